use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, LimitQuery, Params, Query};
use crate::domain::graduate::{Graduate, GraduatePatch, NewGraduate};
use crate::error::{AppError, Problem};
use crate::search::listing::{GraduateFilters, SearchPage};
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
        .routes(routes!(reveal_id_number))
}

/// The whole ID number, which answers show masked.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct RevealedIdNumber {
    /// Null when the roster has none for this graduate.
    id_number: Option<String>,
}

/// Reveal a graduate's whole ID number (the graduate's school and coordinators); every
/// reveal is written to the audit log.
#[utoipa::path(post, operation_id = "reveal_id_number", path = "/graduates/{id}/id_number", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = RevealedIdNumber, description = "OK"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn reveal_id_number(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<Json<RevealedIdNumber>, AppError> {
    Ok(Json(RevealedIdNumber { id_number: service::reveal_id_number(&state.db, &actor, id).await? }))
}

/// Add a graduate (schools: their own; coordinators: name `organization_id`).
#[utoipa::path(post, operation_id = "create_graduates", path = "/graduates", tag = "graduates", security(("bearer" = [])), request_body = NewGraduate,
    responses((status = 201, body = Graduate, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 409, body = Problem, description = "The 学号 is already on this school's roster"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewGraduate>,
) -> Result<(StatusCode, Json<Graduate>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Search graduates: coordinators all; schools their own; companies only those who
/// consented, without contact details. Facet counts come only with `facets=true` on the
/// first page.
#[utoipa::path(get, operation_id = "list_graduates", path = "/graduates", tag = "graduates", security(("bearer" = [])),
    params(Params<GraduateQuery>),
    responses((status = 200, body = SearchPage, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`"),
        (status = 503, body = Problem, description = "Too many searches waiting; try again after `Retry-After` seconds")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(GraduateQuery(filters)): Params<GraduateQuery>,
) -> Result<Json<SearchPage>, AppError> {
    Ok(Json(service::search(&state.db, &state.searches, &actor, &filters).await?))
}

struct GraduateQuery(GraduateFilters);

impl FromQuery for GraduateQuery {
    fn from_query(query: &mut Query) -> Self {
        GraduateQuery(GraduateFilters {
            q: query.words("q", "words to find in major, skills, certificates, summary"),
            education: query.get("education", "graduates at or above this level"),
            location: query.text("location", "graduates who would work here"),
            organization_id: query.id("organization_id", "the school"),
            status: query.get("status", ""),
            graduation_year: query.int("graduation_year", 1980, 2100, ""),
            major: query.text("major", "exactly this major"),
            sort: query.get("sort", "relevance (default), newest or salary").unwrap_or_default(),
            page: query.page(),
            facets: query
                .bool(
                    "facets",
                    "count `facets` over all matches; only on the first page (default false: `facets` is `{}`)",
                )
                .unwrap_or(false),
        })
    }
}

#[utoipa::path(get, operation_id = "get_graduates", path = "/graduates/{id}", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Graduate, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Graduate>, AppError> {
    Ok(Json(service::read(&state.db, &actor, id).await?))
}

/// Change a graduate (JSON merge patch).
#[utoipa::path(patch, operation_id = "update_graduates", path = "/graduates/{id}", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = GraduatePatch,
    responses((status = 200, body = Graduate, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "The 学号 is already on this school's roster"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
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
    params(("id" = i64, Path, description = "id"), Params<LimitQuery>),
    responses((status = 200, body = Vec<Suggestion>, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"),
        (status = 503, body = Problem, description = "Too many searches waiting; try again after `Retry-After` seconds")))]
async fn suggestions(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(LimitQuery(limit)): Params<LimitQuery>,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    Ok(Json(service::suggestions(&state.db, &state.searches, &actor, id, limit).await?))
}
