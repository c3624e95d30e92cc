//! `/events` — upcoming job fairs, symposiums and campus visits: what, when, where.
//! Whom an event invites is the service centre's business and never shown here.

use super::{Pagination, error_page};
use crate::domain::event::shanghai;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::format;
use crate::http::query::{PageQuery, Query};
use crate::services::events as service;
use crate::store::PageRequest;
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
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query).to_string();
    // A bad `page` number is a bad link: the first page rather than an error.
    let request = Query::read::<PageQuery>(&raw).map(|PageQuery(request)| request).unwrap_or_default();
    let found = match service::upcoming_public(&state.db, request).await {
        Ok(found) => found,
        Err(error) => return error_page(page, error),
    };
    let lang = page.lang;
    let events = found
        .items
        .into_iter()
        .map(|event| {
            let f = event.fields;
            let (start, end) = (f.starts_at.with_timezone(&shanghai()), f.ends_at.with_timezone(&shanghai()));
            let until = if start.date_naive() == end.date_naive() {
                format::time(f.ends_at)
            } else {
                format::date_time(lang, f.ends_at)
            };
            EventView {
                id: event.id,
                title: f.title,
                kind: page.label(f.kind.label_zh(), f.kind.label_en()),
                kind_code: f.kind.as_str(),
                when: format!("{}–{until}", format::date_time(lang, f.starts_at)),
                starts_at: start.to_rfc3339(),
                venue: f.venue,
                description: f.description.filter(|d| !d.trim().is_empty()),
            }
        })
        .collect();
    let per_page = found.per_page;
    let pagination = Pagination::new(found.page, per_page, found.total, |n| {
        let mut pairs = Vec::new();
        if n > 1 {
            pairs.push(("page", n));
        }
        if per_page != PageRequest::DEFAULT_PER_PAGE {
            pairs.push(("per_page", per_page));
        }
        match serde_urlencoded::to_string(pairs).unwrap_or_default() {
            query if query.is_empty() => "/events".to_string(),
            query => format!("/events?{query}"),
        }
    });
    EventsView { page, events, total: found.total, pagination }.into_response()
}
