//! Events for the coordinator: create, edit, invite, notices and their delivery (part C).

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
