//! The foundation's own pages: sign-in and errors. Each area's pages live in its module.

use super::context::Page;
use super::form::FormView;
use crate::error::AppError;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "pages/login.html")]
pub struct LoginPage {
    pub page: Page,
    pub form: FormView,
    /// Where to go after signing in (a local path).
    pub next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/error.html")]
pub struct ErrorPage {
    pub page: Page,
    pub status: u16,
    /// Catalogue keys of the heading and the explanation.
    pub title: &'static str,
    pub body: &'static str,
    /// Offer to sign in (401, 403).
    pub sign_in: bool,
}

impl ErrorPage {
    pub fn response(status: StatusCode, page: Page) -> Response {
        let (title, body) = match status.as_u16() {
            401 => ("error-401-title", "error-401-body"),
            403 => ("error-403-title", "error-403-body"),
            404 | 405 => ("error-404-title", "error-404-body"),
            410 => ("error-410-title", "error-410-body"),
            413 | 415 | 400 | 422 => ("error-400-title", "error-400-body"),
            429 => ("error-429-title", "error-429-body"),
            503 => ("error-503-title", "error-503-body"),
            409 => ("error-409-title", "error-409-body"),
            _ => ("error-500-title", "error-500-body"),
        };
        Self::keyed(status, page, title, body)
    }

    fn keyed(status: StatusCode, page: Page, title: &'static str, body: &'static str) -> Response {
        let sign_in = matches!(status.as_u16(), 401 | 403);
        (status, ErrorPage { page, status: status.as_u16(), title, body, sign_in }).into_response()
    }

    /// A service's refusal or failure as a page in the page's language, the user still
    /// signed in. The API's answer is built first, so an internal error is logged exactly
    /// as for the API, and its status and `Retry-After` (429, 503) are kept. Searches
    /// refused for load or for their rate say so: the status's usual text (maintenance, a
    /// bare "too many requests") would tell a visitor the wrong thing.
    pub fn from_error(page: Page, error: AppError) -> Response {
        let searches = match &error {
            AppError::Busy { .. } => Some(("error-search-busy-title", "error-search-busy-body")),
            AppError::SearchRate { .. } => Some(("error-search-rate-title", "error-search-rate-body")),
            _ => None,
        };
        let answer = error.into_response();
        let mut response = match searches {
            Some((title, body)) => Self::keyed(answer.status(), page, title, body),
            None => Self::response(answer.status(), page),
        };
        if let Some(retry_after) = answer.headers().get(RETRY_AFTER) {
            response.headers_mut().insert(RETRY_AFTER, retry_after.clone());
        }
        response
    }
}

/// Render a page with a status other than 200 (a rejected form: 422).
pub fn with_status(status: StatusCode, page: impl IntoResponse) -> Response {
    (status, page).into_response()
}

/// Run `work` (building or rendering a page), recording how long it took
/// (`xiaoqi_page_render_seconds{page}`): the pages' own cost, apart from searches and
/// queries, which have metrics of their own.
pub fn timed<R>(name: &'static str, work: impl FnOnce() -> R) -> R {
    let started = std::time::Instant::now();
    let result = work();
    metrics::histogram!("xiaoqi_page_render_seconds", "page" => name).record(started.elapsed().as_secs_f64());
    result
}

/// A page's content rendered apart from its frame, with the page's title.
#[derive(Debug)]
pub struct RenderedContent {
    pub title: String,
    pub content: String,
}

/// A page whose content was rendered apart (and may be shared), in this viewer's frame.
#[derive(Template, WebTemplate)]
#[template(path = "pages/framed.html")]
pub struct Framed<'a> {
    pub page: Page,
    pub title: &'a str,
    pub content: &'a str,
}

pub fn framed(page: Page, content: &RenderedContent) -> Response {
    timed("frame", || Framed { page, title: &content.title, content: &content.content }.into_response())
}

/// Content of public pages already rendered, by language and URL, kept until the search
/// index changes: the public search is most of the traffic, and its content is the same
/// for everyone who asks the same thing.
pub type RenderedPages = std::sync::Mutex<crate::search::GenerationCache<std::sync::Arc<RenderedContent>>>;

/// At most this many rendered contents are kept (about 25 KB each).
pub const RENDERED_PAGES: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::pages::i18n::Lang;

    /// The page a refusal answers in `lang`: its status, `Retry-After` and HTML.
    async fn refused(lang: Lang, error: AppError) -> (StatusCode, Option<String>, String) {
        let page = Page { lang, session: None, uri: "/?q=电工".into(), flash: None };
        let response = ErrorPage::from_error(page, error);
        let status = response.status();
        let retry = response.headers().get(RETRY_AFTER).map(|v| v.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, retry, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn refused_searches_say_why_rather_than_maintenance() {
        let (status, retry, html) = refused(Lang::Zh, AppError::Busy { retry_after_secs: 1 }).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(retry.is_some(), "Retry-After is kept");
        assert!(html.contains("搜索的人太多，请几秒后再试") && !html.contains("维护"), "{html}");
        let (_, _, html) = refused(Lang::En, AppError::Busy { retry_after_secs: 1 }).await;
        assert!(html.contains("Too many searches right now"), "{html}");

        let (status, retry, html) = refused(Lang::Zh, AppError::SearchRate { retry_after_secs: 3 }).await;
        assert_eq!((status, retry.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("3")));
        assert!(html.contains("搜索过于频繁") && html.contains("登录后搜索不受此限制"), "{html}");

        // Other 503s keep the status's own text.
        let (_, _, html) = refused(Lang::Zh, AppError::Unavailable("down".into())).await;
        assert!(html.contains("维护或启动中"), "{html}");
    }
}
