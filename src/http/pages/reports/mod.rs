//! Reports with server-rendered SVG charts, by role (part D).

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
