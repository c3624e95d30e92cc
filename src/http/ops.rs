//! Operations endpoints, outside `/api/v1`.

use super::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;

pub fn router(openapi: Arc<utoipa::openapi::OpenApi>) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(move || async move { Json(openapi.as_ref().clone()) }))
        .merge(super::docs::router())
}

/// Ready when the database answers and the search index has caught up with it.
async fn ready(State(state): State<AppState>) -> Result<&'static str, AppError> {
    // The cause goes to the log: the answer is public, and a driver's error text can name
    // hosts, users and schemas.
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "readiness: the database does not answer");
        AppError::Unavailable("the database is not reachable".into())
    })?;
    if !state.search.is_ready() {
        return Err(AppError::Unavailable("the search index is still catching up with the database".into()));
    }
    Ok("ready")
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
