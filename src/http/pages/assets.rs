//! The site's one stylesheet, one script and its icon, compiled into the binary and served under a
//! URL that carries their content hash, so browsers may keep them for a year.

use crate::http::docs::{CSS, FOR_A_YEAR, JAVASCRIPT, serve};
use axum::Router;
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const STYLESHEET: &str = include_str!("../../../templates/static/app.css");
const SCRIPT: &str = include_str!("../../../templates/static/app.js");
const ICON: &str = include_str!("../../../templates/static/icon.svg");
const SVG: &str = "image/svg+xml";

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new().chain_update(STYLESHEET).chain_update(SCRIPT).chain_update(ICON).finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
});

pub fn stylesheet_href() -> String {
    format!("/static/app.css?v={}", *VERSION)
}

pub fn script_href() -> String {
    format!("/static/app.js?v={}", *VERSION)
}

pub fn icon_href() -> String {
    format!("/static/icon.svg?v={}", *VERSION)
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/static/app.css", get(|| async { serve(CSS, STYLESHEET, FOR_A_YEAR) }))
        .route("/static/app.js", get(|| async { serve(JAVASCRIPT, SCRIPT, FOR_A_YEAR) }))
        .route("/static/icon.svg", get(|| async { serve(SVG, ICON, FOR_A_YEAR) }))
        // Browsers ask for it whatever the page names; a day, since its URL cannot change.
        .route("/favicon.ico", get(|| async { serve(SVG, ICON, "public, max-age=86400") }))
}
