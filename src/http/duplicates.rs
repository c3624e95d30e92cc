//! Possible duplicates across schools, for coordinators: list, merge, dismiss.

use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, Params, Query};
use crate::domain::duplicate::{DuplicateStatus, MergeDuplicate};
use crate::error::{AppError, Problem};
use crate::services::duplicates::{self as service, DuplicatePair};
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(merge)).routes(routes!(dismiss))
}

pub struct DuplicateQuery {
    pub status: DuplicateStatus,
    pub page: PageRequest,
}

impl FromQuery for DuplicateQuery {
    fn from_query(query: &mut Query) -> Self {
        DuplicateQuery {
            status: query.get("status", "open (default), merged or dismissed").unwrap_or(DuplicateStatus::Open),
            page: query.page(),
        }
    }
}

/// Graduates of different schools who may be the same person (same ID number, or same name
/// and phone), with both records (ID numbers masked) and their schools. Coordinators only.
/// Open pairs oldest first; merged and dismissed ones most recently resolved first.
#[utoipa::path(get, operation_id = "list_duplicates", path = "/duplicates", tag = "graduates", security(("bearer" = [])),
    params(Params<DuplicateQuery>),
    responses((status = 200, body = Page<DuplicatePair>, description = "OK"), (status = 403, body = Problem, description = "Coordinators only")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(DuplicateQuery { status, page }): Params<DuplicateQuery>,
) -> Result<Json<Page<DuplicatePair>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, status, page).await?))
}

/// Merge a pair, keeping the graduate `keep`: the other's choices are appended to the kept
/// one's (at most 30), its shortlist places go to the kept one (the better rank where both
/// were listed), its consent records move over, the kept record's empty fields are filled
/// from it, and it is erased. One transaction, audited. Coordinators only.
#[utoipa::path(post, operation_id = "merge_duplicates", path = "/duplicates/{id}/merge", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    request_body = MergeDuplicate,
    responses((status = 200, body = DuplicatePair, description = "Merged"), (status = 403, body = Problem, description = "Coordinators only"), (status = 409, body = Problem, description = "Already merged or dismissed"), (status = 422, body = Problem, description = "`keep` is not one of the pair's graduates")))]
async fn merge(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(body): Parsed<MergeDuplicate>,
) -> Result<Json<DuplicatePair>, AppError> {
    Ok(Json(service::merge(&state.db, &actor, id, body).await?))
}

/// Mark a pair as two different people; it is not listed as open again. Coordinators only.
#[utoipa::path(post, operation_id = "dismiss_duplicates", path = "/duplicates/{id}/dismiss", tag = "graduates", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = DuplicatePair, description = "Dismissed"), (status = 403, body = Problem, description = "Coordinators only"), (status = 409, body = Problem, description = "Already merged or dismissed")))]
async fn dismiss(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<Json<DuplicatePair>, AppError> {
    Ok(Json(service::dismiss(&state.db, &actor, id).await?))
}
