//! HTTP: the JSON API under `/api/v1`, operations endpoints, and API docs.
//! Each resource module exports its own `router()`; this file assembles them.

mod auth;
mod docs;
mod events;
pub mod extract;
mod graduates;
mod links;
mod middleware;
mod ops;
mod organizations;
mod postings;
mod preferences;
mod projects;
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
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

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
    pub limiter: LoginLimiter,
    pub metrics: Option<PrometheusHandle>,
    pub search: Arc<SearchIndex>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "xiaoqi 校企 API",
        description = "School–enterprise recruitment matching. 校企招聘对接服务。Errors are RFC 9457 problem details.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    // Enums used only as query parameters are not collected from the handlers.
    components(schemas(crate::search::listing::Sort)),
    tags(
        (name = "auth", description = "登录 Log in"),
        (name = "organizations", description = "机构 Organisations"),
        (name = "users", description = "账号 Accounts"),
        (name = "projects", description = "项目 Industrial projects"),
        (name = "postings", description = "岗位 Openings"),
        (name = "graduates", description = "毕业生 Graduates"),
        (name = "events", description = "双选会与座谈会 Job fairs, symposiums, registrations and notices"),
        (name = "rounds", description = "双选匹配 Matching rounds, choices and shortlists"),
        (name = "vocabulary", description = "取值与标签 Values and labels"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(auth::router())
                .merge(organizations::router())
                .merge(users::router())
                .merge(projects::router())
                .merge(postings::router())
                .merge(graduates::router())
                .merge(preferences::router())
                .merge(rounds::router())
                .merge(events::router())
                .merge(vocabulary::router()),
        )
        .split_for_parts();
    let openapi = Arc::new(openapi);

    Router::new()
        .merge(api)
        .merge(ops::router(openapi))
        .merge(links::router())
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(middleware::record_metrics))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(middleware::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
