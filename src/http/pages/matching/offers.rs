//! Offers after a published round, by role: companies confirm, schools accept (part A).

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
