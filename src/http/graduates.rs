use super::AppState;
use super::extract::{Auth, Id, Parsed, Query};
use crate::domain::graduate::{Graduate, GraduatePatch, NewGraduate};
use crate::domain::{Education, GraduateStatus};
use crate::error::{AppError, Problem};
use crate::search::listing::{GraduateFilters, SearchPage, Sort};
use crate::search::suggest::Suggestion;
use crate::services::graduates as service;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(suggestions))
}

/// Add a graduate (schools: their own; coordinators: name `organization_id`).
#[utoipa::path(post, operation_id = "create_graduates", path = "/graduates", tag = "graduates", security(("bearer" = [])), request_body = NewGraduate,
    responses((status = 201, body = Graduate, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewGraduate>,
) -> Result<(StatusCode, Json<Graduate>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Search graduates: coordinators all; schools their own; companies only those who
/// consented, without contact details.
#[utoipa::path(get, operation_id = "list_graduates", path = "/graduates", tag = "graduates", security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "words to find in major, skills, certificates, summary"),
        ("education" = Option<Education>, Query, description = "graduates at or above this level"),
        ("location" = Option<String>, Query, description = "graduates who would work here"),
        ("organization_id" = Option<i64>, Query, description = "the school"),
        ("status" = Option<GraduateStatus>, Query,),
        ("graduation_year" = Option<i64>, Query,), ("major" = Option<String>, Query, description = "exactly this major"),
        ("sort" = Option<Sort>, Query, description = "relevance (default), newest or salary"),
        ("page" = Option<i64>, Query,), ("per_page" = Option<i64>, Query,)),
    responses((status = 200, body = SearchPage, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    mut query: Query,
) -> Result<Json<SearchPage>, AppError> {
    let filters = GraduateFilters {
        q: query.get::<String>("q").unwrap_or_default(),
        education: query.get("education"),
        location: query.get("location"),
        organization_id: query.int("organization_id", 1, i64::MAX),
        status: query.get("status"),
        graduation_year: query.int("graduation_year", 1980, 2100),
        major: query.get("major"),
        sort: query.get("sort").unwrap_or_default(),
        page: query.page(),
    };
    query.finish()?;
    Ok(Json(service::search(&state.search, &actor, &filters)?))
}

#[utoipa::path(get, operation_id = "get_graduates", path = "/graduates/{id}", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Graduate, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Graduate>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Change a graduate (JSON merge patch).
#[utoipa::path(patch, operation_id = "update_graduates", path = "/graduates/{id}", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = GraduatePatch,
    responses((status = 200, body = Graduate, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    patch: GraduatePatch,
) -> Result<Json<Graduate>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, patch).await?))
}

/// Erase a graduate's record.
#[utoipa::path(delete, operation_id = "delete_graduates", path = "/graduates/{id}", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 204, description = "Done, no content"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn delete(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<StatusCode, AppError> {
    service::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open postings that would suit this graduate, best first, with the score breakdown (the graduate's school and coordinators).
#[utoipa::path(get, operation_id = "suggestions_for_graduate", path = "/graduates/{id}/suggestions", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id"), ("limit" = Option<i64>, Query, description = "1–50, default 10")),
    responses((status = 200, body = Vec<Suggestion>, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn suggestions(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    mut query: Query,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    let limit = query.int("limit", 1, 50).unwrap_or(10) as usize;
    query.finish()?;
    Ok(Json(service::suggestions(&state.db, &state.search, &actor, id, limit).await?))
}
