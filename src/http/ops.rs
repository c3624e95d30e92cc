//! Operations endpoints, outside `/api/v1`; `/metrics` on its own listener.

use super::AppState;
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::store::Db;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

pub fn router(openapi: &utoipa::openapi::OpenApi) -> Router<AppState> {
    // The document never changes while the process runs: serialise it once.
    let document: Bytes = serde_json::to_vec(openapi).expect("the OpenAPI document serialises").into();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], document) }
            }),
        )
        .merge(super::docs::router())
}

/// How long readiness waits for the database to answer a ping.
const READY_PING: std::time::Duration = std::time::Duration::from_secs(1);

/// Ready when the database answers and search is fresh: caught up with the database
/// since start, its follower's last attempt succeeded, and no committed change has waited
/// longer than `XIAOQI_SEARCH_MAX_LAG_SECONDS` to reach it (`search::index::Freshness`).
async fn ready(State(state): State<AppState>) -> Result<&'static str, AppError> {
    // The cause goes to the log: the answer is public, and a driver's error text can name
    // hosts, users and schemas.
    // A balancer's probe must get its answer quickly: a database that is down would
    // otherwise hold it for the whole connection wait (`XIAOQI_DB_WAIT_MS`).
    match tokio::time::timeout(READY_PING, state.db.ping()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            return Err(AppError::Unavailable("the database is not reachable".into()));
        }
        Err(_) => {
            tracing::warn!("readiness: the database did not answer within {READY_PING:?}");
            return Err(AppError::Unavailable("the database is not reachable".into()));
        }
    }
    if !state.search.is_ready() {
        return Err(AppError::Unavailable("the search index is still catching up with the database".into()));
    }
    let freshness = state.search.freshness(&state.db).await.map_err(|e| {
        tracing::warn!(error = format!("{e:#}"), "readiness: the change log could not be read");
        AppError::Unavailable("the search index's progress could not be read".into())
    })?;
    if freshness.failed {
        return Err(AppError::Unavailable("the search index failed to follow the database; it is retrying".into()));
    }
    if freshness.lag > state.settings.search_max_lag {
        let seconds = freshness.lag.as_secs();
        return Err(AppError::Unavailable(format!("the search index lags the database by {seconds} s")));
    }
    Ok("ready")
}

/// `/metrics` alone, for the private listener (`XIAOQI_METRICS_LISTEN`): route names,
/// counts and the outbox's depth are for operators, not for the public. Search's lag is
/// measured at each scrape, so it shows a follower that has stopped.
pub fn metrics_router(metrics: Option<PrometheusHandle>, search: Arc<SearchIndex>, db: Db) -> Router {
    Router::new().route(
        "/metrics",
        get(move || async move {
            if let Err(e) = search.freshness(&db).await {
                tracing::warn!(error = format!("{e:#}"), "metrics: the change log could not be read");
            }
            let body = metrics.as_ref().map(PrometheusHandle::render).unwrap_or_default();
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
        }),
    )
}
