//! `/app` for a school's teacher: the roster in numbers (each a link to the roster so
//! filtered), the one next step worth doing, the events the school is invited to and has
//! not answered, and the published rounds its graduates took part in.

use crate::domain::GraduateStatus;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{InvitationLine, NextStep, latest_published_rounds, pending_invitations};
use crate::http::pages::format;
use crate::http::pages::templates::ErrorPage;
use crate::services::{self, Actor};
use crate::store::PageRequest;
use crate::store::rounds::RowFilter;
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

/// A number of the roster, linking to the roster filtered to it.
pub struct Stat {
    pub key: &'static str,
    pub label: String,
    pub count: i64,
    pub href: String,
}

pub struct RoundLine {
    pub id: i64,
    pub name: String,
    pub published: String,
    /// The school's graduates in the round, and how many were placed.
    pub graduates: i64,
    pub placed: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/dashboard.html")]
pub struct SchoolDashboard {
    pub page: Page,
    pub next: NextStep,
    pub stats: Vec<Stat>,
    pub total: i64,
    pub invitations: Vec<InvitationLine>,
    pub rounds: Vec<RoundLine>,
    /// Offers waiting for an answer on the school's graduates' side.
    pub offers_waiting: i64,
}

/// The school's `/app` (the dashboard route belongs to the company pages, which hand
/// schools over here).
pub async fn show(state: &AppState, page: Page, actor: &Actor) -> Response {
    match dashboard(state, page.clone(), actor).await {
        Ok(view) => view.into_response(),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn dashboard(state: &AppState, page: Page, actor: &Actor) -> Result<SchoolDashboard, AppError> {
    let summary = services::roster::summary(&state.db, actor, None).await?;
    let invitations = pending_invitations(state, &page, actor).await?;
    let rounds = published_rounds(state, &page, actor).await?;
    let offers_waiting = services::offers::waiting(&state.db, actor).await?;
    let stat = |key: &'static str, label: String, count: i64, query: &str| Stat {
        key,
        label,
        count,
        href: format!("/app/graduates{query}"),
    };
    let status_label = |s: GraduateStatus| page.label(s.label_zh(), s.label_en()).to_string();
    let stats = vec![
        stat("total", page.t("sc-dash-total"), summary.total, ""),
        stat("consenting", page.t("sc-dash-consenting"), summary.consenting, "?consent=yes"),
        stat(
            "seeking",
            status_label(GraduateStatus::Seeking),
            summary.count(GraduateStatus::Seeking),
            "?status=seeking",
        ),
        stat("placed", status_label(GraduateStatus::Placed), summary.count(GraduateStatus::Placed), "?status=placed"),
    ];
    let not_consenting = summary.total - summary.consenting;
    let next = if summary.total == 0 {
        NextStep {
            text: page.t("sc-dash-next-import"),
            href: "/app/graduates/import".into(),
            button: page.t("sc-roster-import"),
        }
    } else if let Some(first) = invitations.first() {
        NextStep {
            text: page.t1("sc-dash-next-invitations", "count", invitations.len()),
            href: format!("/app/events/{}", first.id),
            button: page.t("sc-dash-next-invitations-button"),
        }
    } else if summary.without_choices > 0 {
        NextStep {
            text: page.t1("sc-dash-next-choices", "count", summary.without_choices),
            href: "/app/graduates?status=seeking&choices=no".into(),
            button: page.t("sc-dash-next-choices-button"),
        }
    } else if not_consenting > 0 {
        NextStep {
            text: page.t1("sc-dash-next-consent", "count", not_consenting),
            href: "/app/graduates?consent=no".into(),
            button: page.t("sc-dash-next-consent-button"),
        }
    } else {
        NextStep {
            text: page.t("sc-dash-next-roster"),
            href: "/app/graduates".into(),
            button: page.t("sc-roster-title"),
        }
    };
    Ok(SchoolDashboard { next, stats, total: summary.total, invitations, rounds, offers_waiting, page })
}

/// The latest published rounds with the school's graduates in them, and how they fared.
async fn published_rounds(state: &AppState, page: &Page, actor: &Actor) -> Result<Vec<RoundLine>, AppError> {
    let one = PageRequest { page: 1, per_page: 1 };
    let mut lines = Vec::new();
    for round in latest_published_rounds(state, actor).await? {
        let graduates = services::rounds::assignments(&state.db, actor, round.id, RowFilter::default(), one).await?;
        if graduates.total == 0 {
            continue;
        }
        let placed = RowFilter { matched: Some(true), ..RowFilter::default() };
        let placed = services::rounds::assignments(&state.db, actor, round.id, placed, one).await?;
        lines.push(RoundLine {
            id: round.id,
            name: round.name,
            published: round.published_at.map(|at| format::date_time(page.lang, at)).unwrap_or_default(),
            graduates: graduates.total,
            placed: placed.total,
        });
    }
    Ok(lines)
}
