//! Users: create, disable, send a password-reset link (part B).

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
