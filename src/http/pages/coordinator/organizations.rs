//! Organisations: the vetting queue, details, decisions (part B).

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
