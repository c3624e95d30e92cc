use super::AppState;
use super::extract::{Auth, ClientIp, Id, Parsed};
use super::query::{FromQuery, Params, Query};
use crate::domain::Role;
use crate::domain::user::{NewUser, User, UserChange};
use crate::error::{AppError, Problem};
use crate::services::auth::PasswordCheck;
use crate::services::users::{self as service, ResetQueued};
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(password_reset))
}

/// Create an account (coordinators).
#[utoipa::path(post, operation_id = "create_users", path = "/users", tag = "users", security(("bearer" = [])), request_body = NewUser,
    responses((status = 201, body = User, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 409, body = Problem, description = "The e-mail is already in use, named in `errors`"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let user = service::create(&state.db, &state.passwords, &actor, new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// List accounts (coordinators: all; others: their organisation's).
#[utoipa::path(get, operation_id = "list_users", path = "/users", tag = "users", security(("bearer" = [])),
    params(Params<UserQuery>),
    responses((status = 200, body = Page<User>, description = "OK")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(UserQuery { organization_id, role, page }): Params<UserQuery>,
) -> Result<Json<Page<User>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, organization_id, role, page).await?))
}

struct UserQuery {
    organization_id: Option<i64>,
    role: Option<Role>,
    page: PageRequest,
}

impl FromQuery for UserQuery {
    fn from_query(query: &mut Query) -> Self {
        UserQuery {
            organization_id: query.id("organization_id", "accounts of this organisation"),
            role: query.get("role", ""),
            page: query.page(),
        }
    }
}

#[utoipa::path(get, operation_id = "get_users", path = "/users/{id}", tag = "users", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = User, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<User>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Change an account: `password` (your own, with `current_password`; or anyone's for
/// coordinators), which ends every other session and token of the account (the one this
/// request carries stays); `disabled` (coordinators, not their own account): a disabled
/// account cannot sign in, and every session and token it had is revoked at once. Wrong
/// current passwords count like failed sign-ins (429 with Retry-After when too many).
#[utoipa::path(patch, operation_id = "update_users", path = "/users/{id}", tag = "users", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = UserChange,
    responses((status = 200, body = User, description = "OK"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 409, body = Problem, description = "You cannot disable your own account"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors` (`current_password` missing or wrong for your own password)"), (status = 429, body = Problem, description = "Too many wrong current passwords: retry after the delay in Retry-After")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ClientIp(client): ClientIp,
    Id(id): Id,
    Parsed(change): Parsed<UserChange>,
) -> Result<Json<User>, AppError> {
    let check = PasswordCheck { passwords: &state.passwords, limiter: &state.limiter, client };
    Ok(Json(service::update(&state.db, &check, &actor, id, change, chrono::Utc::now()).await?))
}

/// Mail the account a link to set a new password (`/reset/{token}`): valid 24 hours, once
/// (coordinators for anyone, users for themselves).
#[utoipa::path(post, operation_id = "password_reset_users", path = "/users/{id}/password_reset", tag = "users", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 202, body = ResetQueued, description = "The link is queued for mailing"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "The account is disabled")))]
async fn password_reset(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
) -> Result<(StatusCode, Json<ResetQueued>), AppError> {
    let queued = service::request_reset(&state.db, &state.links, &actor, id, chrono::Utc::now()).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

#[utoipa::path(delete, operation_id = "delete_users", path = "/users/{id}", tag = "users", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 204, description = "Done, no content"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "You cannot delete your own account")))]
async fn delete(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<StatusCode, AppError> {
    service::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
