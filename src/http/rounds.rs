use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, PageQuery, Params, Query};
use crate::domain::Parse;
use crate::domain::offer::PublishRound;
use crate::domain::round::{NewRound, Round};
use crate::error::{AppError, Problem};
use crate::services::rounds::{self as service, AssignmentView, PostingResultView, RoundView};
use crate::store::rounds::RowFilter;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one))
        .routes(routes!(run))
        .routes(routes!(publish))
        .routes(routes!(inputs))
        .routes(routes!(assignments))
        .routes(routes!(postings))
        .routes(routes!(export))
}

/// Create a matching round (draft). Coordinators only.
#[utoipa::path(post, operation_id = "create_rounds", path = "/rounds", tag = "rounds", security(("bearer" = [])), request_body = NewRound,
    responses((status = 201, body = Round, description = "Created"), (status = 403, body = Problem, description = "Coordinators only"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewRound>,
) -> Result<(StatusCode, Json<Round>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Rounds, newest first. Companies and schools see published rounds only.
#[utoipa::path(get, operation_id = "list_rounds", path = "/rounds", tag = "rounds", security(("bearer" = [])),
    params(Params<PageQuery>),
    responses((status = 200, body = Page<RoundView>, description = "OK")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<RoundView>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, page).await?))
}

/// A round: status, progress while running (`progress.phase`, `progress.percent`), then statistics.
#[utoipa::path(get, operation_id = "get_rounds", path = "/rounds/{id}", tag = "rounds", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = RoundView, description = "OK"), (status = 404, body = Problem, description = "Not found, or not published")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<RoundView>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Run the round in the background; poll `GET /rounds/{id}` for progress.
#[utoipa::path(post, operation_id = "run_rounds", path = "/rounds/{id}/run", tag = "rounds", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 202, body = Round, description = "Started"), (status = 403, body = Problem, description = "Coordinators only"), (status = 409, body = Problem, description = "Running or published")))]
async fn run(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<(StatusCode, Json<Round>), AppError> {
    Ok((StatusCode::ACCEPTED, Json(service::run(&state.db, &actor, id, state.settings.round_save_rows).await?)))
}

/// Publish a done round: companies and schools can then read their own rows, and each
/// placement becomes an offer both sides answer by `offers_due` (RFC 3339, in the future;
/// default: 7 days later at 23:59 Beijing time). The body is optional.
#[utoipa::path(post, operation_id = "publish_rounds", path = "/rounds/{id}/publish", tag = "rounds", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    request_body(content = Option<PublishRound>, description = "Optional: when offers are due"),
    responses((status = 200, body = Round, description = "Published"), (status = 403, body = Problem, description = "Coordinators only"), (status = 409, body = Problem, description = "Not done")))]
async fn publish(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    body: axum::body::Bytes,
) -> Result<Json<Round>, AppError> {
    // No body (an empty one, or `null`) takes the default deadline.
    let value: serde_json::Value = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("The body is not valid JSON: {e}")))?
    };
    let request = if value.is_null() { PublishRound::default() } else { PublishRound::from_json(value)? };
    Ok(Json(service::publish(&state.db, &state.links, &actor, id, request, chrono::Utc::now()).await?))
}

/// The instance the solver used, in the `xiaoqi match solve` format (feed it to the command
/// to check the result). Companies and schools get their own part once published.
#[utoipa::path(get, operation_id = "inputs_rounds", path = "/rounds/{id}/inputs", tag = "rounds", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = Object, description = "OK"), (status = 404, body = Problem, description = "Not found, or not published"), (status = 409, body = Problem, description = "No results yet")))]
async fn inputs(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<impl IntoResponse, AppError> {
    let body = service::inputs(&state.db, &actor, id).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}

/// Each graduate's outcome with ranks, score and explanation; unmatched graduates have
/// `posting_id: null`. Companies see graduates placed with them, schools their own.
#[utoipa::path(get, operation_id = "assignments_rounds", path = "/rounds/{id}/assignments", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id"), Params<AssignmentQuery>),
    responses((status = 200, body = Page<AssignmentView>, description = "OK"), (status = 404, body = Problem, description = "Not found, or not published"), (status = 409, body = Problem, description = "No results yet")))]
async fn assignments(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(AssignmentQuery { filter, page }): Params<AssignmentQuery>,
) -> Result<Json<Page<AssignmentView>>, AppError> {
    Ok(Json(service::assignments(&state.db, &actor, id, filter, page).await?))
}

struct AssignmentQuery {
    filter: RowFilter,
    page: PageRequest,
}

impl FromQuery for AssignmentQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = RowFilter {
            matched: query.bool("matched", "only matched (true) or unmatched (false)"),
            school_id: query.id("school_id", "coordinators"),
            company_id: query.id("company_id", "coordinators"),
            ..RowFilter::default()
        };
        AssignmentQuery { filter, page: query.page() }
    }
}

/// Each posting's seats filled and why the rest are empty (coordinators; companies their own).
#[utoipa::path(get, operation_id = "postings_rounds", path = "/rounds/{id}/postings", tag = "rounds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id"), Params<PageQuery>),
    responses((status = 200, body = Page<PostingResultView>, description = "OK"), (status = 404, body = Problem, description = "Not found, or not published"), (status = 409, body = Problem, description = "No results yet")))]
async fn postings(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<PostingResultView>>, AppError> {
    Ok(Json(service::postings(&state.db, &actor, id, page).await?))
}

/// The results as an Excel workbook: assignments, unmatched with reasons, fill per project.
#[utoipa::path(get, operation_id = "export_rounds", path = "/rounds/{id}/export.xlsx", tag = "rounds", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"), (status = 404, body = Problem, description = "Not found, or not published"), (status = 409, body = Problem, description = "No results yet")))]
async fn export(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<impl IntoResponse, AppError> {
    let bytes = service::export(&state.db, &actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"round-{id}.xlsx\"")),
        ],
        bytes,
    ))
}
