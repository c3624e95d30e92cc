//! Signing in and out. The session cookie holds an API token (the same kind
//! `POST /api/v1/auth/token` issues, stored hashed, expiring with it), so a session is
//! revoked, expires and is limited exactly like a token.

use super::context::{Page, SESSION_COOKIE};
use super::form::{FormData, FormView};
use super::site::see_other_with_flash;
use super::templates::{LoginPage, with_status};
use crate::domain::user::Login;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::ClientIp;
use crate::services::auth;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(log_in)).route("/logout", post(log_out))
}

/// Only a path of ours: an absolute URL or `//host` would send the user elsewhere.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") => p.to_string(),
        _ => "/app".to_string(),
    }
}

async fn login_form(page: Page, Query(query): Query<HashMap<String, String>>) -> Response {
    let next = local_path(query.get("next").map(String::as_str));
    if page.session.is_some() {
        return axum::response::Redirect::to(&next).into_response();
    }
    login_page(page, FormView::default(), next).into_response()
}

async fn log_in(State(state): State<AppState>, ClientIp(ip): ClientIp, page: Page, form: FormData) -> Response {
    let next = local_path(form.get("next"));
    let Login { email, password } = match form.parse::<Login>() {
        Ok(login) => login,
        Err(errors) => {
            let view = FormView::rejected(&form, &errors, page.lang);
            return with_status(StatusCode::UNPROCESSABLE_ENTITY, login_page(page, without_password(view), next));
        }
    };
    let ttl = state.settings.token_ttl;
    match auth::log_in(&state.db, &state.passwords, &state.limiter, &email, password.expose(), ip, ttl).await {
        Ok(issued) => {
            let mut response = see_other_with_flash(&next, "flash-signed-in");
            let secure = if state.settings.base_url.starts_with("https://") { "; Secure" } else { "" };
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
                issued.token,
                ttl.as_secs()
            );
            response.headers_mut().append(SET_COOKIE, HeaderValue::from_str(&cookie).expect("token is ascii"));
            response
        }
        Err(error @ (AppError::Unauthorized | AppError::TooManyRequests { .. })) => {
            let (status, key) = match error {
                AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "login-wrong"),
                _ => (StatusCode::TOO_MANY_REQUESTS, "login-too-many"),
            };
            let view =
                without_password(FormView::rejected(&form, &Default::default(), page.lang)).with_error("", page.t(key));
            let mut response = with_status(status, login_page(page, view, next));
            if let AppError::TooManyRequests { retry_after_secs } = error {
                response.headers_mut().insert("retry-after", HeaderValue::from(retry_after_secs));
            }
            response
        }
        Err(other) => other.into_response(),
    }
}

/// The sign-in page, its errors named by the fields' labels.
fn login_page(page: Page, form: FormView, next: String) -> LoginPage {
    let form = form.labelled(&page, &[("email", "login-email"), ("password", "login-password")]);
    LoginPage { page, form, next }
}

/// A rejected sign-in shows the e-mail again, never the password.
fn without_password(view: FormView) -> FormView {
    view.without("password")
}

async fn log_out(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    if let Some(session) = &page.session {
        auth::log_out(&state.db, &session.actor).await?;
    }
    let mut response = see_other_with_flash("/", "flash-signed-out");
    response
        .headers_mut()
        .append(SET_COOKIE, HeaderValue::from_static("xiaoqi_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"));
    Ok(response)
}
