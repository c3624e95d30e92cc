use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, PageQuery, Params, Query};
use crate::domain::event::{Event, EventPatch, NewEvent};
use crate::domain::registration::{NoticeRequest, Registration, RegistrationDecision, RegistrationRequest};
use crate::error::{AppError, Problem};
use crate::services::events as service;
use crate::services::notices::{self, Queued};
use crate::store::notices::NoticeView;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one, update))
        .routes(routes!(register, registrations))
        .routes(routes!(decide))
        .routes(routes!(queue_notices, list_notices))
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

/// Register for an event (invited companies and schools). 409 when the booths or seats are all taken.
#[utoipa::path(post, operation_id = "register_events", path = "/events/{id}/registrations", tag = "events", security(("bearer" = [])), params(("id" = i64, Path, description = "event id")), request_body = RegistrationRequest,
    responses((status = 201, body = Registration, description = "Registered, pending approval"), (status = 404, body = Problem, description = "Not found, or not invited"), (status = 409, body = Problem, description = "Full, cancelled, started or already registered"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn register(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(request): Parsed<RegistrationRequest>,
) -> Result<(StatusCode, Json<Registration>), AppError> {
    Ok((StatusCode::CREATED, Json(service::register(&state.db, &actor, id, request).await?)))
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
    Ok(Json(service::decide(&state.db, &actor, id, registration_id, decision).await?))
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
