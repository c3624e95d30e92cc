//! The company's pages under `/app`: the dashboard, projects and postings. Coordinators
//! use the same pages for any company (naming it where something is created); schools get
//! a 403 page here. Handlers parse forms into the API's typed inputs and call the same
//! services, which enforce tenancy: another company's object is a 404 page.

mod dashboard;
mod postings;
mod projects;

use super::context::{Page, SignedIn};
use super::templates::ErrorPage;
use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::services::Actor;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;

pub fn router() -> Router<AppState> {
    Router::new().merge(dashboard::router()).merge(projects::router()).merge(postings::router())
}

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
