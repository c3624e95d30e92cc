//! `/events` — upcoming job fairs, symposiums and campus visits: what, when, where.
//! Whom an event invites is the service centre's business and never shown here.

use crate::domain::event::shanghai;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request};
use crate::http::pages::templates::ErrorPage;
use crate::services::events as service;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

pub struct EventView {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    /// `job_fair`, `symposium`… (for styling and tests).
    pub kind_code: &'static str,
    /// Start, and the end (a time on the same day, else a date and time).
    pub when: String,
    /// Machine-readable start for `<time datetime>`.
    pub starts_at: String,
    pub venue: String,
    pub description: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/public/events.html")]
pub struct EventsView {
    pub page: Page,
    pub events: Vec<EventView>,
    pub total: i64,
    pub pagination: Pagination,
}

pub async fn events(State(state): State<AppState>, page: Page) -> Response {
    let found = match service::upcoming_public(&state.db, page_request(&page)).await {
        Ok(found) => found,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let lang = page.lang;
    let pagination = Pagination::of(&found, "/events");
    let total = found.total;
    let events = found
        .items
        .into_iter()
        .map(|event| {
            let f = event.fields;
            EventView {
                id: event.id,
                title: f.title,
                kind: page.label(f.kind.label_zh(), f.kind.label_en()),
                kind_code: f.kind.as_str(),
                when: format::span(lang, f.starts_at, f.ends_at),
                starts_at: f.starts_at.with_timezone(&shanghai()).to_rfc3339(),
                venue: f.venue,
                description: f.description.filter(|d| !d.trim().is_empty()),
            }
        })
        .collect();
    EventsView { page, events, total, pagination }.into_response()
}
