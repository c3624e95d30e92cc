//! The company's pages under `/app`: the dashboard, projects and postings. Coordinators
//! use the same pages for any company (naming it where something is created); schools get
//! a 403 page here. Handlers parse forms into the API's typed inputs and call the same
//! services, which enforce tenancy: another company's object is a 404 page.

mod dashboard;
mod postings;
mod projects;

use super::context::{Page, SignedIn};
use super::templates::ErrorPage;
use crate::domain::{OrgKind, Parse, Patch, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::services::{self, Actor};
use crate::store::PageRequest;
use axum::Router;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().merge(dashboard::router()).merge(projects::router()).merge(postings::router())
}

/// Items per page of the lists.
const PER_PAGE: i64 = 20;

/// What a failed service call shows: its status as an error page, in the page's language
/// and with the user still signed in. Validation errors are drawn beside the form
/// instead, by the handlers.
fn failure(page: Page, error: AppError) -> Response {
    match error {
        AppError::Internal(_) | AppError::Unavailable(_) | AppError::TooManyRequests { .. } => error.into_response(),
        other => ErrorPage::response(other.status(), page),
    }
}

/// A page refused before its handler's work (boxed: a response is large to pass around).
type Refused = Box<Response>;

/// The company pages are for companies and coordinators; anyone else gets a 403 page.
fn company_desk(signed: SignedIn) -> Result<(Page, Actor), Refused> {
    let SignedIn { page, actor } = signed;
    match actor.role {
        Role::Company | Role::Coordinator => Ok((page, actor)),
        Role::School => Err(Box::new(failure(page, AppError::Forbidden))),
    }
}

/// An id in a path; anything else is a page that does not exist.
fn path_id(page: &Page, text: &str) -> Result<i64, Refused> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| Box::new(failure(page.clone(), AppError::NotFound)))
}

/// `?page=N` of a list; nonsense means the first page.
fn page_request(query: &HashMap<String, String>) -> PageRequest {
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    PageRequest { page, per_page: PER_PAGE }
}

/// An edit form replaces every field it shows: a field left blank is cleared, which a
/// merge patch of only the sent values would keep. So the form is parsed like a create
/// (the same errors) and handed to the service as a patch naming every field.
fn replacing<T: Parse + Serialize>(fields: &T) -> Result<Patch<T>, AppError> {
    let body = serde_json::to_value(fields).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Patch::from_json(body)?)
}

/// Value and label of each option of a `<select>` or a group of checkboxes.
type Choices = Vec<(String, String)>;

/// Each field's label by its name, for the error summary above a form.
fn labels(page: &Page, fields: &[(&str, &str)]) -> Choices {
    fields.iter().map(|(field, key)| (field.to_string(), page.t(key))).collect()
}

/// The companies a coordinator may act for, for an `organization_id` select; empty for a
/// company's own users (their company is implied).
async fn companies(state: &AppState, actor: &Actor) -> Result<Choices, AppError> {
    if !actor.is_coordinator() {
        return Ok(Vec::new());
    }
    let list = services::organizations::list(
        &state.db,
        actor,
        Some(OrgKind::Company),
        PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE },
    )
    .await?;
    Ok(list.items.into_iter().map(|o| (o.id.to_string(), o.fields.name)).collect())
}

/// Links to the previous and next page of a list, keeping its other parameters.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the list's path with its other parameters (`/app/postings?status=open`).
    fn new(base: &str, page: i64, total: i64) -> Pager {
        let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
        let joiner = if base.contains('?') { '&' } else { '?' };
        let link = |n: i64| format!("{base}{joiner}page={n}");
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| link((page - 1).min(pages))),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    pub fn is_needed(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}
