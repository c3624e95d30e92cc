//! What wraps every response outside the JSON API: security headers, the language cookie,
//! the one-shot flash message, and error pages for browsers in place of problem details.

use super::context::{FLASH_COOKIE, LANG_COOKIE, Page, cookie, language, query_language};
use super::templates::ErrorPage;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// No script or style but our own files; no framing; forms post only to us.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Paths that answer machines, not people: left as they are.
fn is_machine_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz" || path == "/readyz"
}

pub async fn site(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if is_machine_path(&path) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let query = request.uri().query();
    let lang = language(headers, query);
    let chosen = query_language(query);
    let had_flash = cookie(headers, FLASH_COOKIE).is_some();
    let wants_html = headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    let uri = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();

    let mut response = next.run(request).await;

    if wants_html && (response.status().is_client_error() || response.status().is_server_error()) && !is_html(&response)
    {
        let page = Page { lang, session: None, uri, flash: None };
        response = ErrorPage::response(response.status(), page);
    }
    let succeeded = response.status().is_success();
    let headers = response.headers_mut();
    if let Some(lang) = chosen {
        let value = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
        headers.append(SET_COOKIE, HeaderValue::from_str(&value).expect("ascii"));
    }
    if had_flash && succeeded {
        headers.append(SET_COOKIE, HeaderValue::from_static("xiaoqi_flash=; Path=/; Max-Age=0; SameSite=Lax"));
    }
    if !path.starts_with("/docs") {
        headers.insert(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY"));
    }
    headers.insert(HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
    headers.insert(HeaderName::from_static("referrer-policy"), HeaderValue::from_static("same-origin"));
    response
}

fn is_html(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// A redirect after a saved form, leaving a message (a catalogue key) for the next page.
pub fn see_other_with_flash(location: &str, key: &'static str) -> Response {
    let mut response = axum::response::Redirect::to(location).into_response();
    let value = format!("{FLASH_COOKIE}={key}; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
    response.headers_mut().append(SET_COOKIE, HeaderValue::from_str(&value).expect("ascii"));
    response
}

/// [`see_other_with_flash`] with counts for the message (`$n1`, `$n2` …: how many were sent).
pub fn see_other_with_flash_counts(location: &str, key: &'static str, counts: &[usize]) -> Response {
    let mut response = axum::response::Redirect::to(location).into_response();
    let counts: String = counts.iter().map(|n| format!(".{n}")).collect();
    let value = format!("{FLASH_COOKIE}={key}{counts}; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
    response.headers_mut().append(SET_COOKIE, HeaderValue::from_str(&value).expect("ascii"));
    response
}

/// The status a cross-site form post gets: refused, before any handler runs.
pub fn cross_site_refused(_: tower_http::csrf::ProtectionError) -> Response {
    crate::error::AppError::CrossSite.into_response()
}
