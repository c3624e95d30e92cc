//! Published matching rounds and, for each of the reader's postings, the graduates placed
//! with it and why. Companies and schools see published rounds only (others are 404, as in
//! the API); coordinators see every round, with its results once it has them.

use super::error_page;
use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::Id;
use crate::http::pages::format;
use crate::http::pages::i18n::Lang;
use crate::http::pages::{Page, SignedIn};
use crate::services::Actor;
use crate::services::rounds::{self as service, AssignmentView, RoundView};
use crate::store::PageRequest;
use crate::store::rounds::RowFilter;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Most result rows one page reads (a company's placements over every posting).
const MOST_ROWS: i64 = 2_000;
const ONE: PageRequest = PageRequest { page: 1, per_page: 1 };

pub fn router() -> Router<AppState> {
    Router::new().route("/app/rounds", get(list)).route("/app/rounds/{id}", get(show))
}

pub struct RoundSummary {
    pub id: i64,
    pub name: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub published: Option<String>,
    /// Graduates placed with the reader (a company) or of the reader (a school).
    pub placed: Option<i64>,
}

fn summary(page: &Page, round: RoundView) -> RoundSummary {
    let (id, name, status, published_at) = match round {
        RoundView::Full(r) => (r.id, r.settings.name, r.status, r.published_at),
        RoundView::Published(r) => (r.id, r.name, r.status, r.published_at),
    };
    RoundSummary {
        id,
        name,
        status_code: status.as_str(),
        status: page.label(status.label_zh(), status.label_en()),
        published: published_at.map(|at| format::date_time(page.lang, at)),
        placed: None,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/rounds.html")]
pub struct RoundsPage {
    pub page: Page,
    pub rounds: Vec<RoundSummary>,
    pub coordinator: bool,
}

/// Did the reader take part (a company with postings in it, a school with graduates), and
/// how many graduates were placed with it or of it?
async fn part_taken(state: &AppState, actor: &Actor, id: i64) -> Result<Option<i64>, AppError> {
    let in_round = match actor.role {
        Role::Company => service::postings(&state.db, actor, id, ONE).await?.total,
        _ => service::assignments(&state.db, actor, id, RowFilter::default(), ONE).await?.total,
    };
    if in_round == 0 {
        return Ok(None);
    }
    let matched = RowFilter { matched: Some(true), ..Default::default() };
    Ok(Some(service::assignments(&state.db, actor, id, matched, ONE).await?.total))
}

async fn list(State(state): State<AppState>, signed: SignedIn) -> Response {
    let SignedIn { page, actor } = signed;
    let found =
        match service::list(&state.db, &actor, PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE }).await {
            Ok(found) => found,
            Err(e) => return error_page(page, e),
        };
    let mut rounds = Vec::with_capacity(found.items.len());
    for round in found.items {
        let mut view = summary(&page, round);
        if !actor.is_coordinator() {
            match part_taken(&state, &actor, view.id).await {
                Ok(Some(placed)) => view.placed = Some(placed),
                Ok(None) => continue,
                Err(e) => return error_page(page, e),
            }
        }
        rounds.push(view);
    }
    RoundsPage { page, rounds, coordinator: actor.is_coordinator() }.into_response()
}

/// A graduate placed, with why.
pub struct Placement {
    pub graduate_id: i64,
    pub name: Option<String>,
    pub details: String,
    pub posting_rank: Option<i64>,
    pub graduate_rank: Option<i64>,
    pub explanation: String,
}

/// One posting's outcome with the graduates placed with it.
pub struct PostingOutcome {
    pub posting_id: i64,
    pub title: String,
    pub company: String,
    pub filled: i64,
    pub capacity: i64,
    pub explanation: String,
    pub placed: Vec<Placement>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/round.html")]
pub struct RoundPage {
    pub page: Page,
    pub round: RoundSummary,
    /// Companies and coordinators: by posting.
    pub postings: Vec<PostingOutcome>,
    /// Schools: their graduates, placed or not.
    pub graduates: Vec<Placement>,
    pub by_posting: bool,
    /// Graduates placed with the reader's postings, over all of them.
    pub placed_total: usize,
    /// Coordinators read every company's postings: name the company.
    pub show_company: bool,
    /// The round has no results yet (coordinators only reach such a round).
    pub pending: bool,
}

/// A row as shown; `with_posting` names where the graduate was placed (a school's view,
/// where rows are not grouped by posting).
fn placement(page: &Page, row: &AssignmentView, with_posting: bool) -> Placement {
    let placed_at = row.posting_title.as_ref().zip(row.company_name.as_ref()).filter(|_| with_posting);
    let details = [row.graduate_major.clone(), row.school_name.clone()]
        .into_iter()
        .flatten()
        .chain(placed_at.map(|(title, company)| format!("→ {title}（{company}）")))
        .collect::<Vec<_>>()
        .join(" · ");
    Placement {
        graduate_id: row.graduate_id,
        name: row.graduate_name.clone(),
        details,
        posting_rank: row.posting_rank,
        graduate_rank: row.graduate_rank,
        explanation: in_language(page, &row.explanation.zh, &row.explanation.en),
    }
}

/// The graduates placed with a posting, in the order the company ranked them.
fn placed_with(page: &Page, rows: &[AssignmentView], posting_id: i64) -> Vec<Placement> {
    let mut placed: Vec<&AssignmentView> = rows.iter().filter(|r| r.posting_id == Some(posting_id)).collect();
    placed.sort_by_key(|r| r.posting_rank.unwrap_or(i64::MAX));
    placed.into_iter().map(|r| placement(page, r, false)).collect()
}

/// The half of a bilingual explanation in the page's language.
fn in_language(page: &Page, zh: &str, en: &str) -> String {
    match page.lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Every row the reader may see (pages of 100), up to [`MOST_ROWS`].
async fn all_rows(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: RowFilter,
) -> Result<Vec<AssignmentView>, AppError> {
    let mut rows = Vec::new();
    for number in 1..=MOST_ROWS / PageRequest::MAX_PER_PAGE {
        let request = PageRequest { page: number, per_page: PageRequest::MAX_PER_PAGE };
        let found = service::assignments(&state.db, actor, id, filter, request).await?;
        let last = found.items.len() < PageRequest::MAX_PER_PAGE as usize;
        rows.extend(found.items);
        if last {
            break;
        }
    }
    Ok(rows)
}

async fn outcomes(state: &AppState, page: &Page, actor: &Actor, id: i64) -> Result<RoundPage, AppError> {
    let round = summary(page, service::get(&state.db, actor, id).await?);
    let by_posting = actor.role != Role::School;
    let mut view = RoundPage {
        page: page.clone(),
        round,
        postings: Vec::new(),
        graduates: Vec::new(),
        by_posting,
        placed_total: 0,
        show_company: actor.is_coordinator(),
        pending: false,
    };
    if by_posting {
        let request = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
        let results = match service::postings(&state.db, actor, id, request).await {
            Ok(r) => r,
            Err(AppError::Conflict(_)) => {
                view.pending = true;
                return Ok(view);
            }
            Err(e) => return Err(e),
        };
        let rows = all_rows(state, actor, id, RowFilter { matched: Some(true), ..Default::default() }).await?;
        view.postings = results
            .items
            .into_iter()
            .map(|p| PostingOutcome {
                posting_id: p.posting_id,
                placed: placed_with(page, &rows, p.posting_id),
                title: p.posting_title,
                company: p.company_name,
                filled: p.filled,
                capacity: p.capacity,
                explanation: in_language(page, &p.explanation.zh, &p.explanation.en),
            })
            .collect();
        // Postings with graduates placed first: that is what the reader came for.
        view.postings.sort_by_key(|p| std::cmp::Reverse(p.placed.len()));
        view.placed_total = rows.len();
    } else {
        match all_rows(state, actor, id, RowFilter::default()).await {
            Ok(rows) => view.graduates = rows.iter().map(|r| placement(page, r, true)).collect(),
            Err(AppError::Conflict(_)) => view.pending = true,
            Err(e) => return Err(e),
        }
    }
    Ok(view)
}

async fn show(State(state): State<AppState>, signed: SignedIn, Id(id): Id) -> Response {
    let SignedIn { page, actor } = signed;
    match outcomes(&state, &page, &actor, id).await {
        Ok(view) => view.into_response(),
        Err(e) => error_page(page, e),
    }
}
