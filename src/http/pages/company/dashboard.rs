//! `/app`: where a signed-in user starts. A company sees its projects (shortage against
//! the seats its open postings offer), its postings by status, the events it is invited
//! to and has not answered, and published round results, with the next step on top.
//! Schools get their own dashboard (`school::dashboard`); coordinators a page of links
//! until theirs exists.

use super::projects::ProjectRow;
use crate::domain::{PostingStatus, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::{Page, SignedIn};
use crate::http::pages::desk::{InvitationLine, NextStep, latest_published_rounds, pending_invitations};
use crate::http::pages::format;
use crate::http::pages::templates::ErrorPage;
use crate::services::{self, Actor};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/app", get(dashboard))
}

/// A project as the projects list shows it, with the seats its open postings offer.
pub struct ProjectLine {
    pub project: ProjectRow,
    /// Headcount of the project's open postings.
    pub seats: i64,
}

impl ProjectLine {
    /// Workers still missing that no open posting asks for yet.
    pub fn unposted(&self) -> i64 {
        (self.project.shortage - self.seats).max(0)
    }
}

pub struct StatusCount {
    pub status: &'static str,
    pub label: &'static str,
    pub count: i64,
}

pub struct RoundLine {
    pub id: i64,
    pub name: String,
    pub published: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/company/dashboard.html")]
pub struct CompanyDashboard {
    pub page: Page,
    pub next: NextStep,
    pub projects: Vec<ProjectLine>,
    pub statuses: Vec<StatusCount>,
    pub total_postings: i64,
    pub invitations: Vec<InvitationLine>,
    pub rounds: Vec<RoundLine>,
    /// Offers waiting for the company's answer.
    pub offers_waiting: i64,
}

/// Coordinators, for now: where to go from here.
#[derive(Template, WebTemplate)]
#[template(path = "pages/company/home.html")]
pub struct OtherDashboard {
    pub page: Page,
    pub lead: String,
    /// (href, label)
    pub links: Vec<(String, String)>,
}

async fn dashboard(State(state): State<AppState>, signed: SignedIn) -> Response {
    let SignedIn { page, actor } = signed;
    if actor.role == Role::School {
        return crate::http::pages::school::dashboard::show(&state, page, &actor).await;
    }
    if actor.role != Role::Company {
        // The coordinator's first task: the companies awaiting review.
        let pending = match actor.is_coordinator() {
            true => match services::organizations::pending_count(&state.db, &actor).await {
                Ok(count) => Some(count),
                Err(error) => return ErrorPage::from_error(page, error),
            },
            false => None,
        };
        return other_roles(page, &actor, pending).into_response();
    }
    match company(&state, page.clone(), &actor).await {
        Ok(view) => view.into_response(),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

fn other_roles(page: Page, actor: &Actor, pending: Option<i64>) -> OtherDashboard {
    let mut links = Vec::new();
    if let Some(count) = pending {
        links.push(("/app/organizations?status=pending".to_string(), page.t1("adm-dash-queue", "count", count)));
        links.push(("/app/organizations".to_string(), page.t("adm-dash-organizations")));
        links.push(("/app/users".to_string(), page.t("adm-dash-users")));
        links.push(("/app/audit".to_string(), page.t("adm-dash-audit")));
    }
    if actor.is_coordinator() {
        links.push(("/app/projects".to_string(), page.t("co-nav-projects")));
        links.push(("/app/postings".to_string(), page.t("co-nav-postings")));
        links.push(("/app/duplicates".to_string(), page.t("coo-nav-duplicates")));
        links.push(("/app/graduates".to_string(), page.t("sc-roster-title")));
    }
    links.push(("/app/rounds".to_string(), page.t("co-home-rounds")));
    links.push(("/events".to_string(), page.t("nav-events")));
    links.push(("/".to_string(), page.t("nav-search")));
    let lead = page.t("co-home-lead-coordinator");
    OtherDashboard { page, lead, links }
}

async fn company(state: &AppState, page: Page, actor: &Actor) -> Result<CompanyDashboard, AppError> {
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let projects = services::projects::list(&state.db, actor, None, None, all).await?;
    let overview = services::postings::overview(&state.db, actor, actor.organization_id).await?;
    let seats_of = |id: i64| overview.seats_by_project.iter().find(|(p, _)| *p == id).map_or(0, |(_, s)| *s);
    let projects: Vec<ProjectLine> = projects
        .items
        .into_iter()
        .map(|p| ProjectLine { seats: seats_of(p.id), project: ProjectRow::of(&page, p) })
        .collect();
    let count_of = |s: PostingStatus| overview.by_status.iter().find(|(t, _)| *t == s).map_or(0, |(_, c)| *c);
    let statuses: Vec<StatusCount> = PostingStatus::ALL
        .iter()
        .map(|s| StatusCount { status: s.as_str(), label: page.label(s.label_zh(), s.label_en()), count: count_of(*s) })
        .collect();
    let total_postings = statuses.iter().map(|s| s.count).sum();
    let invitations = pending_invitations(state, &page, actor).await?;
    let rounds = published_rounds(state, &page, actor).await?;
    let offers_waiting = services::offers::waiting(&state.db, actor).await?;

    let drafts = count_of(PostingStatus::Draft);
    let next = if projects.is_empty() {
        NextStep {
            text: page.t("co-dash-next-new-project"),
            href: "/app/projects/new".into(),
            button: page.t("co-projects-new"),
        }
    } else if total_postings == 0 {
        NextStep {
            text: page.t("co-dash-next-new-posting"),
            href: format!("/app/postings/new?project_id={}", projects[0].project.id),
            button: page.t("co-postings-new"),
        }
    } else if let Some(first) = invitations.first() {
        NextStep {
            text: page.t1("co-dash-next-invitations", "count", invitations.len()),
            href: format!("/app/events/{}", first.id),
            button: page.t("co-dash-next-invitations-button"),
        }
    } else if drafts > 0 {
        NextStep {
            text: page.t1("co-dash-next-drafts", "count", drafts),
            href: "/app/postings?status=draft".into(),
            button: page.t("co-dash-next-drafts-button"),
        }
    } else if let Some(short) = projects.iter().find(|p| p.unposted() > 0) {
        NextStep {
            text: page.t2("co-dash-next-unposted", "project", short.project.name.clone(), "count", short.unposted()),
            href: format!("/app/postings/new?project_id={}", short.project.id),
            button: page.t("co-postings-new"),
        }
    } else {
        NextStep {
            text: page.t("co-dash-next-candidates"),
            href: "/app/postings?status=open".into(),
            button: page.t("co-dash-next-candidates-button"),
        }
    };
    Ok(CompanyDashboard { page, next, projects, statuses, total_postings, invitations, rounds, offers_waiting })
}

/// The latest published rounds.
async fn published_rounds(state: &AppState, page: &Page, actor: &Actor) -> Result<Vec<RoundLine>, AppError> {
    Ok(latest_published_rounds(state, actor)
        .await?
        .into_iter()
        .map(|r| RoundLine {
            id: r.id,
            name: r.name,
            published: r.published_at.map(|at| format::date_time(page.lang, at)).unwrap_or_default(),
        })
        .collect())
}
