use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, PageQuery, Params, Query};
use crate::domain::event::{Event, EventPatch, NewEvent};
use crate::domain::registration::{
    CheckinRequest, NoticeRequest, Registration, RegistrationDecision, RegistrationRequest,
};
use crate::error::{AppError, Problem};
use crate::services::checkin;
use crate::services::events as service;
use crate::services::notices::{self, Queued};
use crate::store::notices::NoticeView;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one, update))
        .routes(routes!(register, registrations))
        .routes(routes!(decide))
        .routes(routes!(queue_notices, list_notices))
        .routes(routes!(retry_notice))
        .routes(routes!(check_in))
        .routes(routes!(assign_booths))
}

/// Create a job fair, symposium or campus visit (coordinators). Times without an offset are Asia/Shanghai.
#[utoipa::path(post, operation_id = "create_events", path = "/events", tag = "events", security(("bearer" = [])), request_body = NewEvent,
    responses((status = 201, body = Event, description = "Created"), (status = 403, body = Problem, description = "Coordinators only"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewEvent>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// Events, soonest first: coordinators see all, companies and schools those they are invited to.
#[utoipa::path(get, operation_id = "list_events", path = "/events", tag = "events", security(("bearer" = [])),
    params(Params<EventQuery>),
    responses((status = 200, body = Page<Event>, description = "OK")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(EventQuery { upcoming, page }): Params<EventQuery>,
) -> Result<Json<Page<Event>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, upcoming, page).await?))
}

struct EventQuery {
    upcoming: bool,
    page: PageRequest,
}

impl FromQuery for EventQuery {
    fn from_query(query: &mut Query) -> Self {
        let upcoming = query.bool("upcoming", "only scheduled events not yet over").unwrap_or(false);
        EventQuery { upcoming, page: query.page() }
    }
}

#[utoipa::path(get, operation_id = "get_events", path = "/events/{id}", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = Event, description = "OK"), (status = 404, body = Problem, description = "Not found, or not invited")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Event>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Change an event (JSON merge patch; coordinators). Every change raises `revision`; cancel with `{"status": "cancelled"}`.
#[utoipa::path(patch, operation_id = "update_events", path = "/events/{id}", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "id")), request_body = EventPatch,
    responses((status = 200, body = Event, description = "OK"), (status = 404, body = Problem, description = "Not found"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    patch: EventPatch,
) -> Result<Json<Event>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, patch).await?))
}

/// Register for an event (invited companies and schools), or complete/edit the registration until the service centre decides (an RSVP link's empty one included). 409 when the booths or seats are all taken, or once decided.
#[utoipa::path(post, operation_id = "register_events", path = "/events/{id}/registrations", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "event id")), request_body = RegistrationRequest,
    responses((status = 201, body = Registration, description = "Registered, pending approval"), (status = 200, body = Registration, description = "The undecided registration completed or changed"), (status = 404, body = Problem, description = "Not found, or not invited"), (status = 409, body = Problem, description = "Full, cancelled, started, or already decided"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn register(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(request): Parsed<RegistrationRequest>,
) -> Result<(StatusCode, Json<Registration>), AppError> {
    let (registration, how) = service::register(&state.db, &actor, id, request).await?;
    let status = if how == service::Registered::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(registration)))
}

/// An event's registrations: coordinators all, companies and schools their own.
#[utoipa::path(get, operation_id = "list_registrations", path = "/events/{id}/registrations", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "event id"), Params<PageQuery>),
    responses((status = 200, body = Page<Registration>, description = "OK"), (status = 404, body = Problem, description = "Not found, or not invited")))]
async fn registrations(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<Registration>>, AppError> {
    Ok(Json(service::registrations(&state.db, &actor, id, page).await?))
}

/// Approve or reject a registration (coordinators).
#[utoipa::path(patch, operation_id = "decide_registrations", path = "/events/{id}/registrations/{registration_id}", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "event id"), ("registration_id" = i64, Path, description = "registration id")), request_body = RegistrationDecision,
    responses((status = 200, body = Registration, description = "OK"), (status = 404, body = Problem, description = "Not found"), (status = 409, body = Problem, description = "The organisation declined, or approving needs room that is taken"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn decide(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path((id, registration_id)): Path<(String, String)>,
    Parsed(decision): Parsed<RegistrationDecision>,
) -> Result<Json<Registration>, AppError> {
    let (Ok(id), Ok(registration_id)) = (id.parse::<i64>(), registration_id.parse::<i64>()) else {
        return Err(AppError::NotFound);
    };
    Ok(Json(checkin::decide(&state.db, &state.links, &actor, id, registration_id, decision, Utc::now()).await?))
}

/// Two path ids, or 404.
fn two_ids(id: &str, other: &str) -> Result<(i64, i64), AppError> {
    match (id.parse::<i64>(), other.parse::<i64>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound),
    }
}

/// Send a failed notice again (coordinators): back to `queued`, its attempts kept.
#[utoipa::path(post, operation_id = "retry_notices", path = "/events/{id}/notices/{notice_id}/retry", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "event id"), ("notice_id" = i64, Path, description = "notice id")),
    responses((status = 200, body = NoticeView, description = "Queued again"), (status = 403, body = Problem, description = "Coordinators only"), (status = 404, body = Problem, description = "No such notice of this event"), (status = 409, body = Problem, description = "The notice has not failed")))]
async fn retry_notice(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path((id, notice_id)): Path<(String, String)>,
) -> Result<Json<NoticeView>, AppError> {
    let (id, notice_id) = two_ids(&id, &notice_id)?;
    Ok(Json(notices::retry(&state.db, &actor, id, notice_id, Utc::now()).await?))
}

/// Check an approved registration in at the entrance (coordinators). `code` is the short code typed, or the signed token (or check-in URL) its QR code carries. Unknown codes, forged tokens, another event's passes and text that is neither: 404; an empty code: 422 naming `code`; a second check-in: 409 naming `code` with the time of the first (Beijing time).
#[utoipa::path(post, operation_id = "create_checkins", path = "/events/{id}/checkins", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "event id")), request_body = CheckinRequest,
    responses((status = 201, body = Registration, description = "Checked in"), (status = 403, body = Problem, description = "Coordinators only"), (status = 404, body = Problem, description = "No such event, or no pass of this event with this code"), (status = 409, body = Problem, description = "Already checked in, or the registration is not approved"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn check_in(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(request): Parsed<CheckinRequest>,
) -> Result<(StatusCode, Json<Registration>), AppError> {
    let registration = checkin::check_in(&state.db, &state.links, &actor, id, request, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(registration)))
}

/// Number the approved companies' booths afresh by zone (the park of their postings' projects, then name); the same registrations always get the same booths (coordinators).
#[utoipa::path(post, operation_id = "assign_booths", path = "/events/{id}/booths", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "event id")),
    responses((status = 200, body = Vec<Registration>, description = "The approved companies with their booths"), (status = 403, body = Problem, description = "Coordinators only"), (status = 404, body = Problem, description = "Not found")))]
async fn assign_booths(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<Json<Vec<Registration>>, AppError> {
    Ok(Json(checkin::assign_booths(&state.db, &actor, id).await?))
}

/// Queue an e-mail to every invited organisation's contact and users (coordinators). A repeated call for the same revision queues nothing new.
#[utoipa::path(post, operation_id = "queue_notices", path = "/events/{id}/notices", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "event id")), request_body = NoticeRequest,
    responses((status = 202, body = Queued, description = "Queued"), (status = 403, body = Problem, description = "Coordinators only"), (status = 409, body = Problem, description = "Does not fit the event's status"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn queue_notices(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(request): Parsed<NoticeRequest>,
) -> Result<(StatusCode, Json<Queued>), AppError> {
    Ok((StatusCode::ACCEPTED, Json(notices::queue_for_event(&state.db, &state.links, &actor, id, request).await?)))
}

/// Every notice of an event with its delivery status (coordinators).
#[utoipa::path(get, operation_id = "list_notices", path = "/events/{id}/notices", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "event id"), Params<PageQuery>),
    responses((status = 200, body = Page<NoticeView>, description = "OK"), (status = 403, body = Problem, description = "Coordinators only")))]
async fn list_notices(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Params(PageQuery(page)): Params<PageQuery>,
) -> Result<Json<Page<NoticeView>>, AppError> {
    Ok(Json(notices::for_event(&state.db, &actor, id, page).await?))
}
