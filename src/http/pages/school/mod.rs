//! The school's pages under `/app/graduates…`: the roster, a graduate, ranked choices and
//! the import. Coordinators use the same pages for any school (naming it where something is
//! created); companies get a 403 page here. Handlers parse forms into the API's typed inputs
//! and call the same services, which enforce tenancy: another school's graduate is a 404 page.

mod import;

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
    Router::new().merge(import::router())
}

/// A signed-in user at the school pages: schools and coordinators; anyone else gets a 403
/// page (and a visitor the sign-in page, as for every `SignedIn` page).
pub struct SchoolDesk(pub Page, pub Actor);

impl FromRequestParts<AppState> for SchoolDesk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn { page, actor } = SignedIn::from_request_parts(parts, state).await?;
        match actor.role {
            Role::School | Role::Coordinator => Ok(SchoolDesk(page, actor)),
            Role::Company => Err(ErrorPage::from_error(page, AppError::Forbidden)),
        }
    }
}
