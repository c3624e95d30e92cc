use super::AppState;
use super::extract::{Auth, Id, MaybeAuth, Parsed, Query};
use crate::domain::posting::{NewPosting, Posting, PostingPatch};
use crate::domain::{Benefit, Category, Education, PostingStatus};
use crate::error::{AppError, Problem};
use crate::search::listing::{PostingFilters, SearchPage, Sort};
use crate::search::suggest::Suggestion;
use crate::services::postings as service;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one, update, close))
        .routes(routes!(suggestions))
}

/// Post an opening (companies: their own; coordinators: name `organization_id`).
#[utoipa::path(post, operation_id = "create_postings", path = "/postings", tag = "postings", security(("bearer" = [])), request_body = NewPosting,
    responses((status = 201, body = Posting, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewPosting>,
) -> Result<(StatusCode, Json<Posting>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Search openings (校企岗位搜索). `q` is plain words, Chinese or English; every word must
/// match. Open postings are public; a company sees its own drafts and closed postings by
/// asking for that `status`.
#[utoipa::path(get, operation_id = "list_postings", path = "/postings", tag = "postings", security((), ("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "words to find; empty lists by the filters"),
        ("category" = Option<Category>, Query,),
        ("education" = Option<Education>, Query, description = "postings whose minimum is at most this level"),
        ("location" = Option<String>, Query, description = "location or industrial park"),
        ("salary_min" = Option<i64>, Query, description = "paying at least this, CNY per month"),
        ("benefit" = Option<Vec<Benefit>>, Query, description = "repeatable; all must be offered"),
        ("organization_id" = Option<i64>, Query,), ("project_id" = Option<i64>, Query,),
        ("status" = Option<PostingStatus>, Query, description = "default open"),
        ("sort" = Option<Sort>, Query, description = "relevance (default), newest or salary"),
        ("page" = Option<i64>, Query,), ("per_page" = Option<i64>, Query,)),
    responses((status = 200, body = SearchPage, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn list(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    mut query: Query,
) -> Result<Json<SearchPage>, AppError> {
    let filters = PostingFilters {
        q: query.get::<String>("q").unwrap_or_default(),
        category: query.get("category"),
        education: query.get("education"),
        location: query.get("location"),
        salary_min: query.int("salary_min", 0, crate::domain::MAX_SALARY),
        benefits: query.all("benefit"),
        organization_id: query.int("organization_id", 1, i64::MAX),
        project_id: query.int("project_id", 1, i64::MAX),
        status: query.get("status"),
        sort: query.get("sort").unwrap_or_default(),
        page: query.page(),
    };
    query.finish()?;
    Ok(Json(service::search(&state.search, viewer.as_ref(), &filters)?))
}

#[utoipa::path(get, operation_id = "get_postings", path = "/postings/{id}", tag = "postings", security((), ("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Id(id): Id,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::get(&state.db, viewer.as_ref(), id).await?))
}

/// Change an opening (JSON merge patch).
#[utoipa::path(patch, operation_id = "update_postings", path = "/postings/{id}", tag = "postings", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = PostingPatch,
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    patch: PostingPatch,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, patch).await?))
}

/// Close an opening (it stays on record with status `closed`).
#[utoipa::path(delete, operation_id = "close_postings", path = "/postings/{id}", tag = "postings", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn close(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::close(&state.db, &actor, id).await?))
}

/// Graduates who would suit this posting, best first, with the score breakdown (its company and coordinators; companies see only consenting graduates, without contact details).
#[utoipa::path(get, operation_id = "suggestions_for_posting", path = "/postings/{id}/suggestions", tag = "postings", security(("bearer" = [])),
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
