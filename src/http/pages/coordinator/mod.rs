//! The coordinator's administration pages under `/app`: the cross-school duplicates
//! (`/app/duplicates`) and setting up, running and publishing matching rounds
//! (`/app/rounds/new`, a round's graduates). Anyone else gets a 403 page.

mod audit;
mod checkin;
mod duplicates;
mod event_admin;
mod event_form;
mod organizations;
mod round_graduates;
mod round_panel;
pub(super) mod rounds;
mod users;

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
    Router::new()
        .merge(audit::router())
        .merge(checkin::router())
        .merge(duplicates::router())
        .merge(event_admin::router())
        .merge(event_form::router())
        .merge(organizations::router())
        .merge(rounds::router())
        .merge(round_graduates::router())
        .merge(users::router())
}

/// A signed-in coordinator; anyone else gets a 403 page.
pub struct CoordinatorDesk(pub Page, pub Actor);

impl FromRequestParts<AppState> for CoordinatorDesk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn { page, actor } = SignedIn::from_request_parts(parts, state).await?;
        match actor.role {
            Role::Coordinator => Ok(CoordinatorDesk(page, actor)),
            Role::School | Role::Company => Err(ErrorPage::from_error(page, AppError::Forbidden)),
        }
    }
}
