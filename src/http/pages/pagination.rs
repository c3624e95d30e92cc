//! Lists split into pages, as every list on the site is: which page a URL asks for (read
//! as the API reads `?page=` and `?per_page=`), and the links to the others — previous,
//! next and a window of numbers — drawn by `templates/pages/macros.html`'s `pagination`.

use super::context::Page;
use crate::http::query::{PageQuery, Query};
use crate::store::{self, PageRequest};
use axum::response::{IntoResponse, Redirect, Response};

/// The page of a list this URL asks for. A bad number is a bad link, not an error: the
/// first page.
pub fn page_request(page: &Page) -> PageRequest {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    Query::read::<PageQuery>(raw).map(|PageQuery(request)| request).unwrap_or_default()
}

/// A page past the last one (the list shrank since the link was made) goes back to the
/// first page of the same list.
pub fn past_the_end<T>(found: &store::Page<T>, base: &str) -> Option<Response> {
    (found.items.is_empty() && found.page > 1).then(|| Redirect::to(base).into_response())
}

/// The URL of page `number` of the list at `base` (its path with its other parameters):
/// the first page is `base` itself; a page size other than the default is kept.
pub fn page_href(base: &str, number: i64, per_page: i64) -> String {
    let mut pairs = Vec::new();
    if number > 1 {
        pairs.push(("page", number));
    }
    if per_page != PageRequest::DEFAULT_PER_PAGE {
        pairs.push(("per_page", per_page));
    }
    match serde_urlencoded::to_string(pairs).unwrap_or_default() {
        query if query.is_empty() => base.to_string(),
        query if base.contains('?') => format!("{base}&{query}"),
        query => format!("{base}?{query}"),
    }
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

    /// The links of a list read as `found`, whose pages are at `base` (see [`page_href`]).
    pub fn of<T>(found: &store::Page<T>, base: &str) -> Self {
        Self::new(found.page, found.per_page, found.total, |n| page_href(base, n, found.per_page))
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

    #[test]
    fn page_links_keep_the_other_parameters() {
        assert_eq!(page_href("/events", 1, PageRequest::DEFAULT_PER_PAGE), "/events");
        assert_eq!(page_href("/events", 2, 50), "/events?page=2&per_page=50");
        assert_eq!(page_href("/app/postings?status=open", 3, 20), "/app/postings?status=open&page=3");
    }
}
