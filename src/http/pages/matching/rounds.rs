//! Published matching rounds and, for each of the reader's postings, the graduates placed
//! with it and why. Companies and schools see published rounds only (others are 404, as in
//! the API); coordinators see every round, with its results once it has them.

use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::Id;
use crate::http::pages::coordinator::rounds::{RoundPanel, panel as round_panel};
use crate::http::pages::format;
use crate::http::pages::i18n::Lang;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::templates::ErrorPage;
use crate::http::pages::{Page, SignedIn};
use crate::services::Actor;
use crate::services::rounds::{self as service, AssignmentView, RoundView};
use crate::store::PageRequest;
use crate::store::rounds::RowFilter;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Graduates a posting's section of the round page shows (its best ranked); all of them
/// are on the posting's own page of the round, a page at a time.
const PLACED_SHOWN: i64 = 10;
const ONE: PageRequest = PageRequest { page: 1, per_page: 1 };
const PLACED: RowFilter = RowFilter {
    matched: Some(true),
    school_id: None,
    company_id: None,
    posting_id: None,
    graduate_id: None,
    name: None,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/rounds", get(list))
        .route("/app/rounds/{id}", get(show))
        .route("/app/rounds/{id}/postings/{posting_id}", get(show_posting))
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
    pub pagination: Pagination,
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
    Ok(Some(service::assignments(&state.db, actor, id, PLACED, ONE).await?.total))
}

/// The rounds, a page at a time. Companies and schools see those they took part in, so a
/// page may list fewer than a page's worth (the service pages all published rounds).
async fn list(State(state): State<AppState>, signed: SignedIn) -> Response {
    let SignedIn { page, actor } = signed;
    let found = match service::list(&state.db, &actor, page_request(&page)).await {
        Ok(found) => found,
        Err(e) => return ErrorPage::from_error(page, e),
    };
    if let Some(back) = past_the_end(&found, "/app/rounds") {
        return back;
    }
    let pagination = Pagination::of(&found, "/app/rounds");
    let mut rounds = Vec::with_capacity(found.items.len());
    for round in found.items {
        let mut view = summary(&page, round);
        if !actor.is_coordinator() {
            match part_taken(&state, &actor, view.id).await {
                Ok(Some(placed)) => view.placed = Some(placed),
                Ok(None) => continue,
                Err(e) => return ErrorPage::from_error(page, e),
            }
        }
        rounds.push(view);
    }
    RoundsPage { page, rounds, coordinator: actor.is_coordinator(), pagination }.into_response()
}

/// A graduate placed, with why.
pub struct Placement {
    pub graduate_id: i64,
    pub name: Option<String>,
    pub details: String,
    /// What the graduate consented to, for companies.
    pub purpose: Option<String>,
    pub posting_rank: Option<i64>,
    pub graduate_rank: Option<i64>,
    pub explanation: String,
    /// A school's view: where the graduate was placed ("title · company"), if anywhere.
    pub placed_at: Option<String>,
}

/// A school's filter over its graduates in a round: all, placed, or not placed.
pub struct OutcomeFilter {
    pub href: String,
    pub label: String,
    pub count: i64,
    pub current: bool,
}

/// One posting's outcome with the graduates placed with it.
pub struct PostingOutcome {
    pub posting_id: i64,
    pub title: String,
    pub company: String,
    pub filled: i64,
    pub capacity: i64,
    pub explanation: String,
    /// Its best ranked placements, of `placed_count`.
    pub placed: Vec<Placement>,
    pub placed_count: i64,
    /// The posting's own page of the round, when it has more placements than shown.
    pub more: Option<String>,
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
    pub placed_total: i64,
    /// The reader's postings in the round, over all pages.
    pub postings_total: i64,
    /// Coordinators read every company's postings: name the company.
    pub show_company: bool,
    /// The round has no results yet (coordinators only reach such a round).
    pub pending: bool,
    /// Over the postings (by posting) or the graduates (a school).
    pub pagination: Pagination,
    /// A school's view: all / placed / not placed, with counts.
    pub outcome_filters: Vec<OutcomeFilter>,
    /// A school's graduates in the round and how many were placed.
    pub school_total: i64,
    pub school_placed: i64,
    /// Coordinators: the round's status, progress, statistics, publish form and offers.
    pub panel: Option<RoundPanel>,
}

/// One posting's placements in a round, a page at a time.
#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/round_posting.html")]
pub struct RoundPostingPage {
    pub page: Page,
    pub round: RoundSummary,
    pub title: String,
    pub company: String,
    pub total: i64,
    pub placed: Vec<Placement>,
    pub pagination: Pagination,
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
    // Companies (rows grouped by posting) see what the graduate consented to.
    let purpose = row.consent_purpose.as_deref().filter(|_| !with_posting).map(|p| match page.lang {
        Lang::Zh => p.to_string(),
        Lang::En => crate::domain::consent::purpose_en(p).unwrap_or(p).to_string(),
    });
    Placement {
        graduate_id: row.graduate_id,
        name: row.graduate_name.clone(),
        details,
        purpose,
        posting_rank: row.posting_rank,
        graduate_rank: row.graduate_rank,
        explanation: in_language(page, &row.explanation.zh, &row.explanation.en),
        placed_at: None,
    }
}

/// A row as a school sees its own graduate: the major (the school is its own), and where
/// the graduate was placed on a line of its own.
fn school_placement(page: &Page, row: &AssignmentView) -> Placement {
    let placed_at = row.posting_title.as_ref().map(|title| match &row.company_name {
        Some(company) => format!("{title} · {company}"),
        None => title.clone(),
    });
    Placement { details: row.graduate_major.clone().unwrap_or_default(), placed_at, ..placement(page, row, false) }
}

/// The half of a bilingual explanation in the page's language.
fn in_language(page: &Page, zh: &str, en: &str) -> String {
    match page.lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

async fn outcomes(state: &AppState, page: &Page, actor: &Actor, id: i64) -> Result<RoundPage, AppError> {
    let found = service::get(&state.db, actor, id).await?;
    let panel = match &found {
        RoundView::Full(full) if actor.is_coordinator() => Some(round_panel(state, page, actor, full).await?),
        _ => None,
    };
    let round = summary(page, found);
    let by_posting = actor.role != Role::School;
    let mut view = RoundPage {
        page: page.clone(),
        round,
        postings: Vec::new(),
        graduates: Vec::new(),
        by_posting,
        placed_total: 0,
        postings_total: 0,
        show_company: actor.is_coordinator(),
        pending: false,
        pagination: Pagination::default(),
        outcome_filters: Vec::new(),
        school_total: 0,
        school_placed: 0,
        panel,
    };
    let base = format!("/app/rounds/{id}");
    if by_posting {
        let results = match service::postings(&state.db, actor, id, page_request(page)).await {
            Ok(r) => r,
            Err(AppError::Conflict(_)) => {
                view.pending = true;
                return Ok(view);
            }
            Err(e) => return Err(e),
        };
        view.placed_total = service::assignments(&state.db, actor, id, PLACED, ONE).await?.total;
        view.postings_total = results.total;
        view.pagination = Pagination::of(&results, &base);
        for p in results.items {
            let shown = PageRequest { page: 1, per_page: PLACED_SHOWN };
            let filter = RowFilter { posting_id: Some(p.posting_id), ..PLACED };
            let placed = service::assignments(&state.db, actor, id, filter, shown).await?;
            view.postings.push(PostingOutcome {
                posting_id: p.posting_id,
                placed: placed.items.iter().map(|r| placement(page, r, false)).collect(),
                placed_count: placed.total,
                more: (placed.total > PLACED_SHOWN).then(|| format!("{base}/postings/{}", p.posting_id)),
                title: p.posting_title,
                company: p.company_name,
                filled: p.filled,
                capacity: p.capacity,
                explanation: in_language(page, &p.explanation.zh, &p.explanation.en),
            });
        }
    } else {
        // A school: its graduates, all of them or only those placed or not (`?matched=`).
        let matched = match query_value(page, "matched").as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        let filter = RowFilter { matched, ..RowFilter::default() };
        let rows = match service::assignments(&state.db, actor, id, filter, page_request(page)).await {
            Ok(rows) => rows,
            Err(AppError::Conflict(_)) => {
                view.pending = true;
                return Ok(view);
            }
            Err(e) => return Err(e),
        };
        view.school_total = service::assignments(&state.db, actor, id, RowFilter::default(), ONE).await?.total;
        view.school_placed = service::assignments(&state.db, actor, id, PLACED, ONE).await?.total;
        let unplaced = view.school_total - view.school_placed;
        view.outcome_filters = [
            (None, "sc-round-filter-all", view.school_total),
            (Some("yes"), "sc-round-filter-placed", view.school_placed),
            (Some("no"), "sc-round-filter-unplaced", unplaced),
        ]
        .into_iter()
        .map(|(value, key, count)| OutcomeFilter {
            href: value.map_or_else(|| base.clone(), |v| format!("{base}?matched={v}")),
            label: page.t(key),
            count,
            current: value.map(|v| v == "yes") == matched,
        })
        .collect();
        let listed = match matched {
            Some(m) => format!("{base}?matched={}", if m { "yes" } else { "no" }),
            None => base.clone(),
        };
        view.pagination = Pagination::of(&rows, &listed);
        view.graduates = rows.items.iter().map(|r| school_placement(page, r)).collect();
    }
    Ok(view)
}

/// A parameter of the page's URL.
fn query_value(page: &Page, name: &str) -> Option<String> {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw).ok()?.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

async fn show(State(state): State<AppState>, signed: SignedIn, Id(id): Id) -> Response {
    let SignedIn { page, actor } = signed;
    match outcomes(&state, &page, &actor, id).await {
        Ok(view) => view.into_response(),
        Err(e) => ErrorPage::from_error(page, e),
    }
}

/// The graduates placed with one posting in a round, in its company's ranking's order.
/// A posting the reader has no placements of is a page that does not exist.
async fn posting_outcome(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    (id, posting_id): (i64, i64),
) -> Result<Response, AppError> {
    let round = summary(page, service::get(&state.db, actor, id).await?);
    let filter = RowFilter { posting_id: Some(posting_id), ..PLACED };
    let rows = service::assignments(&state.db, actor, id, filter, page_request(page)).await?;
    let base = format!("/app/rounds/{id}/postings/{posting_id}");
    if let Some(back) = past_the_end(&rows, &base) {
        return Ok(back);
    }
    let Some(first) = rows.items.first() else { return Err(AppError::NotFound) };
    let (title, company) =
        (first.posting_title.clone().unwrap_or_default(), first.company_name.clone().unwrap_or_default());
    let pagination = Pagination::of(&rows, &base);
    let placed = rows.items.iter().map(|r| placement(page, r, false)).collect();
    Ok(RoundPostingPage { page: page.clone(), round, title, company, total: rows.total, placed, pagination }
        .into_response())
}

async fn show_posting(State(state): State<AppState>, signed: SignedIn, Path(ids): Path<(String, String)>) -> Response {
    let SignedIn { page, actor } = signed;
    let ids = match (ids.0.parse::<i64>(), ids.1.parse::<i64>()) {
        (Ok(id), Ok(posting_id)) => (id, posting_id),
        _ => return ErrorPage::from_error(page, AppError::NotFound),
    };
    match posting_outcome(&state, &page, &actor, ids).await {
        Ok(response) => response,
        Err(e) => ErrorPage::from_error(page, e),
    }
}
