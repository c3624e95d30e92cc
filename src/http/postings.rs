use super::AppState;
use super::extract::{Auth, Id, JsonBody, MaybeAuth, Query};
use crate::domain::posting::{Posting, PostingFields};
use crate::domain::{Category, Education, PostingStatus};
use crate::error::{AppError, Problem};
use crate::services::postings as service;
use crate::store::{Page, postings::Filter};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create, list)).routes(routes!(get_one, update, close))
}

/// Post an opening (companies: their own; coordinators: name `organization_id`).
#[utoipa::path(post, operation_id = "create_postings", path = "/postings", tag = "postings", security(("bearer" = [])), request_body = PostingFields,
    responses((status = 201, body = Posting, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Posting>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, body).await?)))
}

/// List openings. Open postings are public; drafts and closed ones only for their company
/// and coordinators.
#[utoipa::path(get, operation_id = "list_postings", path = "/postings", tag = "postings",
    params(
        ("organization_id" = Option<i64>, Query,), ("project_id" = Option<i64>, Query,),
        ("status" = Option<PostingStatus>, Query,), ("category" = Option<Category>, Query,),
        ("education" = Option<Education>, Query, description = "postings whose minimum is at most this level"),
        ("location" = Option<String>, Query,), ("salary_min" = Option<i64>, Query, description = "CNY per month"),
        ("page" = Option<i64>, Query,), ("per_page" = Option<i64>, Query,)),
    responses((status = 200, body = Page<Posting>, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn list(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    mut query: Query,
) -> Result<Json<Page<Posting>>, AppError> {
    let filter = Filter {
        organization_id: query.int("organization_id", 1, i64::MAX),
        project_id: query.int("project_id", 1, i64::MAX),
        status: query.get("status"),
        category: query.get("category"),
        education_rank_max: query.get::<Education>("education").map(Education::rank),
        location: query.get("location"),
        salary_at_least: query.int("salary_min", 0, crate::domain::MAX_SALARY),
        viewer_org: None,
    };
    let page = query.page();
    query.finish()?;
    Ok(Json(service::list(&state.db, viewer.as_ref(), filter, page).await?))
}

#[utoipa::path(get, operation_id = "get_postings", path = "/postings/{id}", tag = "postings", params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Id(id): Id,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::get(&state.db, viewer.as_ref(), id).await?))
}

/// Change an opening (JSON merge patch).
#[utoipa::path(patch, operation_id = "update_postings", path = "/postings/{id}", tag = "postings", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = PostingFields,
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    JsonBody(body): JsonBody,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, body).await?))
}

/// Close an opening (it stays on record with status `closed`).
#[utoipa::path(delete, operation_id = "close_postings", path = "/postings/{id}", tag = "postings", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn close(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::close(&state.db, &actor, id).await?))
}
