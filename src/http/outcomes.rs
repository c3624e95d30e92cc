//! Graduates' destinations (毕业去向) in the Ministry of Education's categories.

use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{PageQuery, Params};
use crate::domain::outcome::{NewOutcome, Outcome};
use crate::error::{AppError, Problem};
use crate::services::outcomes as service;
use crate::store::Page;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, record))
}

/// A graduate's destinations, latest first (their school, coordinators).
#[utoipa::path(get, operation_id = "list_outcomes", path = "/graduates/{id}/outcomes", tag = "offers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the graduate's id"), Params<PageQuery>),
    responses((status = 200, body = Page<Outcome>, description = "OK"), (status = 403, body = Problem, description = "Companies may not"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<Outcome>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, id, page).await?))
}

/// Record a destination with the day it took effect (their school, coordinators). An
/// accepted offer records `agreement` by itself.
#[utoipa::path(post, operation_id = "create_outcomes", path = "/graduates/{id}/outcomes", tag = "offers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the graduate's id")), request_body = NewOutcome,
    responses((status = 201, body = Outcome, description = "Recorded"), (status = 403, body = Problem, description = "Companies may not"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn record(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(new): Parsed<NewOutcome>,
) -> Result<(StatusCode, Json<Outcome>), AppError> {
    Ok((StatusCode::CREATED, Json(service::record(&state.db, &actor, id, new, chrono::Utc::now()).await?)))
}
