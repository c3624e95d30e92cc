use super::AppState;
use super::extract::{Auth, Id, Parsed};
use crate::domain::preference::{RankedGraduates, RankedPostings};
use crate::error::{AppError, Problem};
use crate::services::preferences::{self as service, Choices, Shortlist};
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_choices, put_choices)).routes(routes!(get_shortlist, put_shortlist))
}

/// A graduate's ranked choices (志愿) (its school and coordinators).
#[utoipa::path(get, operation_id = "get_choices", path = "/graduates/{id}/choices", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "graduate id")),
    responses((status = 200, body = Choices, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_choices(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Choices>, AppError> {
    Ok(Json(service::get_choices(&state.db, &actor, id).await?))
}

/// Replace a graduate's ranked choices (its school and coordinators).
#[utoipa::path(put, operation_id = "put_choices", path = "/graduates/{id}/choices", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "graduate id")), request_body = RankedPostings,
    responses((status = 200, body = Choices, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn put_choices(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(ranked): Parsed<RankedPostings>,
) -> Result<Json<Choices>, AppError> {
    Ok(Json(service::put_choices(&state.db, &actor, id, ranked).await?))
}

/// A posting's ranked shortlist (its company and coordinators).
#[utoipa::path(get, operation_id = "get_shortlist", path = "/postings/{id}/shortlist", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "posting id")),
    responses((status = 200, body = Shortlist, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_shortlist(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<Json<Shortlist>, AppError> {
    Ok(Json(service::get_shortlist(&state.db, &actor, id).await?))
}

/// Replace a posting's ranked shortlist (its company and coordinators).
#[utoipa::path(put, operation_id = "put_shortlist", path = "/postings/{id}/shortlist", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "posting id")), request_body = RankedGraduates,
    responses((status = 200, body = Shortlist, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn put_shortlist(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(ranked): Parsed<RankedGraduates>,
) -> Result<Json<Shortlist>, AppError> {
    Ok(Json(service::put_shortlist(&state.db, &actor, id, ranked).await?))
}
