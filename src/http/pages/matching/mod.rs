//! The matching half of an organisation's journey: a posting's candidates and shortlist,
//! the events it is invited to, and the published results of matching rounds. Companies
//! first; schools will use the same event pages, coordinators get read views until their
//! own pages come.

mod candidates;
mod events;
mod offers;
mod rounds;

pub(super) use candidates::{Fit, fits, percent};

use super::Page;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::http::AppState;
use axum::Router;
use axum::http::StatusCode;

pub fn router() -> Router<AppState> {
    Router::new().merge(candidates::router()).merge(events::router()).merge(offers::router()).merge(rounds::router())
}

/// The messages of a refused write in the page's language, for the summary above a form;
/// `None` when the refusal is not about what the user sent (not found, forbidden, a
/// failure), which is shown as an error page instead.
fn refusal_messages(page: &Page, error: &AppError) -> Option<(StatusCode, Vec<String>)> {
    let pick = |errors: &FieldErrors| errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect();
    match error {
        AppError::Validation(errors) => Some((StatusCode::UNPROCESSABLE_ENTITY, pick(errors))),
        AppError::Taken(errors) => Some((StatusCode::CONFLICT, pick(errors))),
        AppError::Conflict(message) => Some((StatusCode::CONFLICT, vec![page.pick(message).to_string()])),
        _ => None,
    }
}
