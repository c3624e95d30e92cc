//! The API reference page at `/docs`: Swagger UI, vendored in `vendor/swagger-ui` (version,
//! licence and origin in its README) and served from the binary, so the page needs nothing
//! from the network. The page has no inline script: its bootstrap is a file of its own.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// A vendored file's URL. The Swagger UI version is in the path, so browsers may keep the
/// files for a year: an update changes the URLs.
macro_rules! vendored {
    ($file:literal) => {
        concat!("/docs/swagger-ui-5.35.0/", $file)
    };
}

// `lang="zh-CN"` so browsers pick Simplified Chinese glyphs for the descriptions.
const PAGE: &str = concat!(
    r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>xiaoqi 校企 API</title>
<link rel="stylesheet" href=""#,
    vendored!("swagger-ui.css"),
    r#"">
</head>
<body>
<div id="swagger-ui"></div>
<script src=""#,
    vendored!("swagger-ui-bundle.js"),
    r#""></script>
<script src="/docs/start.js"></script>
</body>
</html>
"#
);

const HTML: &str = "text/html; charset=utf-8";
pub(super) const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
pub(super) const CSS: &str = "text/css; charset=utf-8";

/// The page and our bootstrap change with the binary under the same URL: revalidate.
const REVALIDATE: &str = "no-cache";
/// Vendored files never change under their versioned URL.
pub(super) const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/docs", get(|| async { serve(HTML, PAGE, REVALIDATE) }))
        .route("/docs/start.js", get(|| async { serve(JAVASCRIPT, include_str!("docs/start.js"), REVALIDATE) }))
        .route(
            vendored!("swagger-ui-bundle.js"),
            get(|| async {
                serve(JAVASCRIPT, include_str!("../../vendor/swagger-ui/swagger-ui-bundle.js"), FOR_A_YEAR)
            }),
        )
        .route(
            vendored!("swagger-ui.css"),
            get(|| async { serve(CSS, include_str!("../../vendor/swagger-ui/swagger-ui.css"), FOR_A_YEAR) }),
        )
}

pub(super) fn serve(content_type: &'static str, body: &'static str, cache: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, cache)], body)
}
