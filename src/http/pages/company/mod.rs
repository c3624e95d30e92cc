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
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().merge(dashboard::router()).merge(projects::router()).merge(postings::router())
}

/// A page refused before its handler's work (boxed: a response is large to pass around).
type Refused = Box<Response>;

/// A signed-in user at the company pages: companies and coordinators; anyone else gets a
/// 403 page (and a visitor the sign-in page, as for every `SignedIn` page).
pub struct CompanyDesk(pub Page, pub Actor);

impl FromRequestParts<AppState> for CompanyDesk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn { page, actor } = SignedIn::from_request_parts(parts, state).await?;
        match actor.role {
            Role::Company | Role::Coordinator => Ok(CompanyDesk(page, actor)),
            Role::School => Err(ErrorPage::from_error(page, AppError::Forbidden)),
        }
    }
}

/// An id in a path; anything else is a page that does not exist.
fn path_id(page: &Page, text: &str) -> Result<i64, Refused> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Box::new(ErrorPage::from_error(page.clone(), AppError::NotFound)))
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
