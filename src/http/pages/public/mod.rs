//! The pages anyone may read: the listing search (`/`), a posting (`/postings/{id}`) and
//! the upcoming events (`/events`).

mod events;
mod posting;
mod search;

use crate::http::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search::search))
        .route("/postings/{id}", get(posting::posting))
        .route("/events", get(events::events))
}
