//! Consent records and graduates' personal links: the history a school keeps, answers it
//! records for a graduate, and personal links e-mailed through the outbox.

use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{PageQuery, Params};
use crate::domain::consent::{ConsentChange, ConsentRecord, PersonalLinks};
use crate::error::{AppError, Problem};
use crate::services::personal::{LinksQueued, PersonalLink};
use crate::services::{consent as service, personal};
use crate::store::Page;
use crate::store::consent::ConsentEntry;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(history, record)).routes(routes!(personal_link)).routes(routes!(send_links))
}

/// A graduate's consent records, newest first, with who recorded each (the graduate's
/// school and coordinators).
#[utoipa::path(get, operation_id = "consent_history", path = "/graduates/{id}/consent", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id"), Params<PageQuery>),
    responses((status = 200, body = Page<ConsentEntry>, description = "OK"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn history(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<ConsentEntry>>, AppError> {
    Ok(Json(service::history(&state.db, &actor, id, page).await?))
}

/// Record a graduate's answer, given or withdrawn, under the current consent text (the
/// graduate's school and coordinators). A withdrawal takes the graduate out of companies'
/// searches within a second and out of later rounds. Repeating the latest answer writes
/// nothing and answers 200 with that record.
#[utoipa::path(post, operation_id = "record_consent", path = "/graduates/{id}/consent", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id")), request_body = ConsentChange,
    responses((status = 201, body = ConsentRecord, description = "Recorded"), (status = 200, body = ConsentRecord, description = "Unchanged: the latest record already says so"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn record(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(answer): Parsed<ConsentChange>,
) -> Result<(StatusCode, Json<ConsentRecord>), AppError> {
    let recorded = service::change(&state.db, &actor, id, answer).await?;
    let status = if recorded.changed { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(recorded.record)))
}

/// The graduate's personal link (`/me/{token}`, valid about 180 days), to hand over another
/// way than e-mail (the graduate's school and coordinators).
#[utoipa::path(get, operation_id = "personal_link", path = "/graduates/{id}/link", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = PersonalLink, description = "OK"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn personal_link(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<Json<PersonalLink>, AppError> {
    Ok(Json(personal::link_for(&state.db, &state.links, &actor, id).await?))
}

/// E-mail each graduate named their personal link, through the outbox (schools their own
/// graduates, coordinators any). Graduates without an e-mail address are counted, not
/// refused; a link already e-mailed to the same address today is not queued again.
#[utoipa::path(post, operation_id = "send_personal_links", path = "/graduates/links", tag = "graduates", security(("bearer" = [])),
    request_body = PersonalLinks,
    responses((status = 200, body = LinksQueued, description = "Queued"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn send_links(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(request): Parsed<PersonalLinks>,
) -> Result<Json<LinksQueued>, AppError> {
    Ok(Json(personal::send(&state.db, &state.links, &actor, request).await?))
}
