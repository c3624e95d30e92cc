//! The site's one stylesheet and one script, compiled into the binary and served under a
//! URL that carries their content hash, so browsers may keep them for a year.

use crate::http::docs::{CSS, FOR_A_YEAR, JAVASCRIPT, serve};
use axum::Router;
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const STYLESHEET: &str = include_str!("../../../templates/static/app.css");
const SCRIPT: &str = include_str!("../../../templates/static/app.js");

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new().chain_update(STYLESHEET).chain_update(SCRIPT).finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
});

pub fn stylesheet_href() -> String {
    format!("/static/app.css?v={}", *VERSION)
}

pub fn script_href() -> String {
    format!("/static/app.js?v={}", *VERSION)
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/static/app.css", get(|| async { serve(CSS, STYLESHEET, FOR_A_YEAR) }))
        .route("/static/app.js", get(|| async { serve(JAVASCRIPT, SCRIPT, FOR_A_YEAR) }))
}
