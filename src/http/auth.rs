use super::AppState;
use super::extract::{Auth, ClientIp, Parsed};
use crate::domain::user::Login;
use crate::error::{AppError, Problem};
use crate::services::auth;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log_in, log_out))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    token: String,
    expires_at: DateTime<Utc>,
}

/// Log in: exchange an e-mail and password for a bearer token.
#[utoipa::path(post, operation_id = "log_in_auth", path = "/auth/token", tag = "auth", request_body = Login,
    responses(
        (status = 200, body = TokenResponse, description = "OK"),
        (status = 401, body = Problem, description = "wrong e-mail or password"),
        (status = 422, body = Problem, description = "Invalid fields, each named in `errors`"),
        (status = 429, body = Problem, description = "too many failed attempts"),
    ))]
async fn log_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Parsed(Login { email, password }): Parsed<Login>,
) -> Result<Json<TokenResponse>, AppError> {
    let issued = auth::log_in(
        &state.db,
        &state.passwords,
        &state.limiter,
        &email,
        password.expose(),
        ip,
        state.settings.token_ttl,
    )
    .await?;
    Ok(Json(TokenResponse { token: issued.token, expires_at: issued.expires_at }))
}

/// Log out: revoke the token this request carries.
#[utoipa::path(delete, operation_id = "log_out_auth", path = "/auth/token", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Done, no content"), (status = 401, body = Problem, description = "Not logged in, or the token is invalid or expired")))]
async fn log_out(State(state): State<AppState>, Auth(actor): Auth) -> Result<StatusCode, AppError> {
    auth::log_out(&state.db, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
