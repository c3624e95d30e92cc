//! The pages anyone may read: the listing search (`/`), a posting (`/postings/{id}`) and
//! the upcoming events (`/events`).

mod events;
mod posting;
mod search;

use super::context::Page;
use super::templates::ErrorPage;
use crate::error::AppError;
use crate::http::AppState;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search::search))
        .route("/postings/{id}", get(posting::posting))
        .route("/events", get(events::events))
}

/// An error as a page, whatever the request accepts (a 500 is logged, as for the API).
fn error_page(page: Page, error: AppError) -> Response {
    let status = error.into_response().status();
    ErrorPage::response(status, page)
}

/// A link to another page of a paginated list.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub number: i64,
    pub href: String,
    pub current: bool,
}

/// Previous and next links and a window of page numbers around the current one (first
/// and last always), with `None` marking a gap.
#[derive(Debug, Clone, Default)]
pub struct Pagination {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<Option<PageLink>>,
}

impl Pagination {
    /// `href(n)` is the URL of page `n`.
    pub fn new(page: i64, per_page: i64, total: i64, href: impl Fn(i64) -> String) -> Self {
        let last = ((total + per_page - 1) / per_page.max(1)).max(1);
        if last <= 1 && page <= 1 {
            return Self::default();
        }
        let mut pages = Vec::new();
        let mut previous = 0;
        for n in 1..=last {
            if n == 1 || n == last || (n - page).abs() <= 2 {
                if n > previous + 1 {
                    pages.push(None);
                }
                pages.push(Some(PageLink { number: n, href: href(n), current: n == page }));
                previous = n;
            }
        }
        Self {
            prev: (page > 1).then(|| href((page - 1).min(last))),
            next: (page < last).then(|| href(page + 1)),
            pages,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.prev.is_none() && self.next.is_none() && self.pages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_pages_with_gaps() {
        let p = Pagination::new(6, 20, 400, |n| format!("/?page={n}"));
        let numbers: Vec<Option<i64>> = p.pages.iter().map(|l| l.as_ref().map(|l| l.number)).collect();
        assert_eq!(numbers, vec![Some(1), None, Some(4), Some(5), Some(6), Some(7), Some(8), None, Some(20)]);
        assert_eq!(p.prev.as_deref(), Some("/?page=5"));
        assert_eq!(p.next.as_deref(), Some("/?page=7"));
        assert!(Pagination::new(1, 20, 5, |n| n.to_string()).is_empty());
        // Past the end: a way back, no way on.
        let beyond = Pagination::new(9, 20, 30, |n| n.to_string());
        assert_eq!((beyond.prev.as_deref(), beyond.next.as_deref()), (Some("2"), None));
    }
}
