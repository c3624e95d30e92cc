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
#[utoipa::path(post, path = "/postings", tag = "postings", security(("bearer" = [])), request_body = PostingFields,
    responses((status = 201, body = Posting), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Posting>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, body).await?)))
}

/// List openings. Open postings are public; drafts and closed ones only for their company
/// and coordinators.
#[utoipa::path(get, path = "/postings", tag = "postings",
    params(
        ("organization_id" = Option<i64>, Query,), ("project_id" = Option<i64>, Query,),
        ("status" = Option<PostingStatus>, Query,), ("category" = Option<Category>, Query,),
        ("education" = Option<Education>, Query, description = "postings whose minimum is at most this level"),
        ("location" = Option<String>, Query,), ("salary_min" = Option<i64>, Query, description = "CNY per month"),
        ("page" = Option<i64>, Query,), ("per_page" = Option<i64>, Query,)),
    responses((status = 200, body = Page<Posting>), (status = 422, body = Problem)))]
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

#[utoipa::path(get, path = "/postings/{id}", tag = "postings",
    responses((status = 200, body = Posting), (status = 404, body = Problem)))]
async fn get_one(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Id(id): Id,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::get(&state.db, viewer.as_ref(), id).await?))
}

/// Change an opening (JSON merge patch).
#[utoipa::path(patch, path = "/postings/{id}", tag = "postings", security(("bearer" = [])), request_body = PostingFields,
    responses((status = 200, body = Posting), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    JsonBody(body): JsonBody,
) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, body).await?))
}

/// Close an opening (it stays on record with status `closed`).
#[utoipa::path(delete, path = "/postings/{id}", tag = "postings", security(("bearer" = [])),
    responses((status = 200, body = Posting), (status = 404, body = Problem)))]
async fn close(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Posting>, AppError> {
    Ok(Json(service::close(&state.db, &actor, id).await?))
}
