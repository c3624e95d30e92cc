//! HTTP: the JSON API under `/api/v1`, operations endpoints, and API docs.
//! Each resource module exports its own `router()`; this file assembles them.

mod audit;
mod auth;
mod consent;
mod docs;
mod duplicates;
mod events;
pub mod extract;
mod graduate_import;
mod graduates;
mod links;
mod middleware;
mod offers;
mod openapi;
mod ops;
mod organizations;
mod outcomes;
pub mod pages;
mod postings;
mod preferences;
mod projects;
mod query;
mod reports;
mod rounds;
mod users;
mod vocabulary;

use crate::config::Settings;
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::services::auth::{LoginLimiter, Passwords};
use crate::store::Db;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use ops::metrics_router;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Signed links in e-mails (RSVP, unsubscribe).
    pub links: crate::services::notices::Links,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    /// Bearer tokens and page sessions verified in the last few seconds.
    pub tokens: crate::services::auth::VerifiedTokens,
    pub limiter: LoginLimiter,
    pub metrics: Option<PrometheusHandle>,
    pub search: Arc<SearchIndex>,
    /// Where searches run (blocking threads, bounded); every search goes through it.
    pub searches: crate::services::search_pool::SearchPool,
    /// Anonymous searches per client address.
    pub search_rate: crate::services::search_rate::SearchRate,
    /// Public pages already rendered for the current search index generation.
    pub rendered: Arc<pages::templates::RenderedPages>,
    /// Roster imports running in this process, with their progress.
    pub imports: crate::services::import::Runs,
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(auth::router())
                .merge(organizations::router())
                .merge(users::router())
                .merge(projects::router())
                .merge(postings::router())
                .merge(graduates::router())
                .merge(consent::router())
                .merge(duplicates::router())
                .merge(graduate_import::router())
                .merge(preferences::router())
                .merge(rounds::router())
                .merge(events::router())
                .merge(offers::router())
                .merge(outcomes::router())
                .merge(reports::router())
                .merge(audit::router())
                .merge(vocabulary::router()),
        )
        .split_for_parts();
    openapi::complete(&mut openapi);

    Router::new()
        .merge(api)
        .merge(ops::router(&openapi))
        .merge(links::router())
        .merge(pages::router())
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CsrfLayer::new().with_rejection_response(pages::site::cross_site_refused))
        .layer(axum::middleware::from_fn(middleware::record_metrics))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(pages::site::site))
        .layer(middleware::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
