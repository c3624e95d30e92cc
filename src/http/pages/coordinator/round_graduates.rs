//! A round's graduates: `/app/rounds/{id}/graduates` lists them a page at a time
//! (coordinators: search by name, placed or not), and
//! `/app/rounds/{id}/graduates/{graduate_id}` shows one graduate's preference list as the
//! round used it and why it came out as it did (coordinators, and a school for its own).

use super::CoordinatorDesk;
use crate::domain::{Role, Weights};
use crate::http::AppState;
use crate::http::pages::context::{Page, SignedIn};
use crate::http::pages::desk::{OrRefused, Refused, path_id};
use crate::http::pages::i18n::Lang;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::services::rounds::{self as service, AssignmentView, EntryOutcome, RoundView};
use crate::store::rounds::RowFilter;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/rounds/{id}/graduates", get(list))
        .route("/app/rounds/{id}/graduates/{graduate_id}", get(show))
}

/// A parameter of the page's URL, trimmed; empty counts as absent.
fn query_value(page: &Page, name: &str) -> Option<String> {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(raw).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn round_name(round: RoundView) -> String {
    match round {
        RoundView::Full(r) => r.settings.name,
        RoundView::Published(r) => r.name,
    }
}

/// The half of a bilingual text in the page's language.
fn in_language(page: &Page, zh: &str, en: &str) -> String {
    match page.lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A graduate's line in the list.
pub struct GraduateLine {
    pub graduate_id: i64,
    pub href: String,
    pub name: String,
    pub details: String,
    /// "title · company" where placed.
    pub placed_at: Option<String>,
    pub graduate_rank: Option<i64>,
}

/// A filter link: all, placed, not placed.
pub struct FilterLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/round_graduates.html")]
pub struct GraduatesPage {
    pub page: Page,
    pub id: i64,
    pub name: String,
    pub q: String,
    /// `yes`, `no` or empty.
    pub matched: String,
    pub filters: Vec<FilterLink>,
    pub graduates: Vec<GraduateLine>,
    pub total: i64,
    pub pagination: Pagination,
}

/// The list's URL with its search and filter (for pagination and the filter links).
fn listed(id: i64, q: &str, matched: &str) -> String {
    let pairs: Vec<(&str, &str)> =
        [("q", q), ("matched", matched)].into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if query.is_empty() { format!("/app/rounds/{id}/graduates") } else { format!("/app/rounds/{id}/graduates?{query}") }
}

fn line(page: &Page, id: i64, row: &AssignmentView) -> GraduateLine {
    let details = [row.graduate_major.clone(), row.school_name.clone()].into_iter().flatten().collect::<Vec<_>>();
    GraduateLine {
        graduate_id: row.graduate_id,
        href: format!("/app/rounds/{id}/graduates/{}", row.graduate_id),
        name: row.graduate_name.clone().unwrap_or_else(|| page.t("rnd-name-erased")),
        details: details.join(" · "),
        placed_at: row.posting_title.as_ref().map(|title| match &row.company_name {
            Some(company) => format!("{title} · {company}"),
            None => title.clone(),
        }),
        graduate_rank: row.graduate_rank.filter(|_| row.posting_id.is_some()),
    }
}

async fn list(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let name = round_name(service::get(&state.db, &actor, id).await.or_refused(&page)?);
    let q = query_value(&page, "q").unwrap_or_default();
    let matched = query_value(&page, "matched").filter(|m| m == "yes" || m == "no").unwrap_or_default();
    let filter = RowFilter {
        name: Some(q.clone()).filter(|q| !q.is_empty()),
        matched: (!matched.is_empty()).then(|| matched == "yes"),
        ..RowFilter::default()
    };
    let rows = service::assignments(&state.db, &actor, id, filter, page_request(&page)).await.or_refused(&page)?;
    let base = listed(id, &q, &matched);
    if let Some(back) = past_the_end(&rows, &base) {
        return Ok(back);
    }
    let filters = [("", "rnd-filter-all"), ("yes", "rnd-filter-matched"), ("no", "rnd-filter-unmatched")]
        .into_iter()
        .map(|(value, key)| FilterLink { href: listed(id, &q, value), label: page.t(key), current: value == matched })
        .collect();
    let pagination = Pagination::of(&rows, &base);
    let graduates = rows.items.iter().map(|r| line(&page, id, r)).collect();
    Ok(GraduatesPage { page, id, name, q, matched, filters, graduates, total: rows.total, pagination }.into_response())
}

/// One entry of the graduate's list as shown.
pub struct EntryLine {
    pub position: u32,
    pub posting_id: i64,
    pub title: String,
    pub company: String,
    pub own_choice: bool,
    /// `matched`, `full`, `not_ranked`, `no_seats` or `below`.
    pub code: &'static str,
    pub why: String,
}

/// A choice that did not enter the round.
pub struct LeftOutLine {
    pub choice: u32,
    pub title: String,
    pub company: String,
    pub why: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/round_graduate.html")]
pub struct GraduatePage {
    pub page: Page,
    pub round_name: String,
    pub name: String,
    pub details: String,
    pub placed_at: Option<String>,
    pub graduate_rank: Option<i64>,
    pub posting_rank: Option<i64>,
    pub explanation: String,
    pub entries: Vec<EntryLine>,
    pub left_out: Vec<LeftOutLine>,
    /// The score of the match, component by component (label, value), then the total.
    pub score: Vec<(String, String)>,
    pub total_score: Option<String>,
    /// Where "back" goes, and its words: the round's graduates (coordinators) or the
    /// round (a school).
    pub back: String,
    pub back_label: String,
}

fn entry(page: &Page, e: crate::services::rounds::ListEntry) -> EntryLine {
    let (code, why) = match e.outcome {
        EntryOutcome::Matched => ("matched", page.t("rnd-why-matched")),
        EntryOutcome::Full { lowest_admitted_rank, your_rank } => {
            ("full", page.t2("rnd-why-full", "last", lowest_admitted_rank, "yours", your_rank))
        }
        EntryOutcome::NotRanked => ("not_ranked", page.t("rnd-why-not-ranked")),
        EntryOutcome::NoSeats => ("no_seats", page.t("rnd-why-no-seats")),
        EntryOutcome::Below => ("below", page.t("rnd-why-below")),
    };
    EntryLine {
        position: e.position,
        posting_id: e.posting_id,
        title: e.title,
        company: e.company,
        own_choice: e.own_choice,
        code,
        why,
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, graduate_id)): Path<(String, String)>,
) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let (id, graduate_id) = (path_id(&page, &id)?, path_id(&page, &graduate_id)?);
    let round_name = round_name(service::get(&state.db, &actor, id).await.or_refused(&page)?);
    let found = service::graduate(&state.db, &actor, id, graduate_id).await.or_refused(&page)?;
    let row = &found.row;
    let shown = line(&page, id, row);
    let mut score = Vec::new();
    let mut total_score = None;
    if let Some(breakdown) = row.score.as_ref() {
        for (name, _) in Weights::default().named() {
            if let Some(value) = breakdown.get(name).and_then(|v| v.as_f64()) {
                score.push((page.t(&format!("rnd-weight-{name}")), format!("{value:.2}")));
            }
        }
        total_score = breakdown.get("total").and_then(|v| v.as_f64()).map(|v| format!("{v:.2}"));
    }
    let view = GraduatePage {
        name: shown.name,
        details: shown.details,
        placed_at: shown.placed_at,
        graduate_rank: shown.graduate_rank,
        posting_rank: row.posting_rank.filter(|_| row.posting_id.is_some()),
        explanation: in_language(&page, &row.explanation.zh, &row.explanation.en),
        left_out: found
            .left_out
            .iter()
            .map(|l| LeftOutLine {
                choice: l.choice,
                title: l.title.clone(),
                company: l.company.clone(),
                why: in_language(&page, &l.zh, &l.en),
            })
            .collect(),
        entries: found.list.into_iter().map(|e| entry(&page, e)).collect(),
        score,
        total_score,
        back: if actor.role == Role::Coordinator {
            format!("/app/rounds/{id}/graduates")
        } else {
            format!("/app/rounds/{id}")
        },
        back_label: if actor.role == Role::Coordinator {
            page.t1("rnd-back-to-graduates", "round", round_name.as_str())
        } else {
            page.t1("rnd-back-to-round", "round", round_name.as_str())
        },
        round_name,
        page,
    };
    Ok(view.into_response())
}
