use super::AppState;
use super::extract::{Auth, ClientIp, Id, MaybeAuth, Parsed};
use super::query::{FromQuery, LimitQuery, Params, Query};
use crate::domain::posting::{NewPosting, Posting, PostingPatch};
use crate::error::{AppError, Problem};
use crate::search::listing::{PostingFilters, SearchPage};
use crate::search::suggest::Suggestion;
use crate::services::postings as service;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use std::sync::Arc;
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
    responses((status = 201, body = Posting, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 409, body = Problem, description = "An open posting of a company awaiting review (`status` named in `errors`): save it as a draft"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewPosting>,
) -> Result<(StatusCode, Json<Posting>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Search openings (校企岗位搜索). `q` is plain words, Chinese or English; every word must
/// match. Open postings are public; a company sees its own drafts and closed postings by
/// asking for that `status`. Facet counts come only with `facets=true` on the first page.
#[utoipa::path(get, operation_id = "list_postings", path = "/postings", tag = "postings", security((), ("bearer" = [])),
    params(Params<PostingQuery>),
    responses((status = 200, body = SearchPage, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`"),
        (status = 429, body = Problem, description = "Too many searches from this address without signing in; wait `Retry-After` seconds"),
        (status = 503, body = Problem, description = "Too many searches waiting; try again after `Retry-After` seconds")))]
async fn list(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ClientIp(address): ClientIp,
    Params(PostingQuery(filters)): Params<PostingQuery>,
) -> Result<Json<Arc<SearchPage>>, AppError> {
    state.search_rate.admit(viewer.as_ref(), address)?;
    Ok(Json(service::search(&state.searches, viewer.as_ref(), &filters).await?))
}

/// The listing search's parameters; the search page reads its URL with the same code.
pub(crate) struct PostingQuery(pub PostingFilters);

impl FromQuery for PostingQuery {
    fn from_query(query: &mut Query) -> Self {
        PostingQuery(PostingFilters {
            q: query.words("q", "words to find; empty lists by the filters"),
            category: query.get("category", ""),
            education: query.get("education", "postings whose minimum is at most this level"),
            location: query.text("location", "location or industrial park"),
            salary_min: query.int("salary_min", 0, crate::domain::MAX_SALARY, "paying at least this, CNY per month"),
            benefits: query.all("benefit", "repeatable; all must be offered"),
            organization_id: query.id("organization_id", "the company"),
            project_id: query.id("project_id", ""),
            status: query.get("status", "default open"),
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
    responses((status = 200, body = Posting, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "Opening a posting of a company awaiting review (`status` named in `errors`)"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
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
