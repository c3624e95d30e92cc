//! `/me/{token}`: a graduate's own page, reached by the signed personal link the school
//! sends: what is held about them, their consent (withdraw or give), offers, and a download
//! of everything as JSON. No account: the link is the key.

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
