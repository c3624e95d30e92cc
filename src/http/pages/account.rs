//! `/reset/{token}`: set a new password through the signed, single-use link a password
//! reset mails (`services::users::request_reset`). No session needed: the link is the key.
//! A used, expired or altered link says so and what to do next.

use super::context::Page;
use super::form::{FormData, FormView};
use super::site::see_other_with_flash;
use super::templates::with_status;
use crate::domain::user::PasswordChange;
use crate::http::AppState;
use crate::services::signing::TokenError;
use crate::services::users::{self, ResetProblem};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new().route("/reset/{token}", get(form).post(reset))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/account/reset.html")]
pub struct ResetPage {
    pub page: Page,
    pub email: String,
    pub form: FormView,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/account/reset_error.html")]
pub struct ResetErrorPage {
    pub page: Page,
    /// Catalogue keys.
    pub title: &'static str,
    pub body: &'static str,
}

/// The page for a link that cannot be used (410 Gone for used or expired links).
fn refused(page: Page, problem: ResetProblem) -> Response {
    let (status, body) = match problem {
        ResetProblem::Used => (StatusCode::GONE, "adm-reset-used"),
        ResetProblem::Token(TokenError::Expired) => (StatusCode::GONE, "adm-reset-expired"),
        ResetProblem::Token(TokenError::Invalid) => (StatusCode::NOT_FOUND, "adm-reset-invalid"),
        ResetProblem::App(error) => return crate::http::pages::templates::ErrorPage::from_error(page, error),
    };
    with_status(status, ResetErrorPage { page, title: "adm-reset-unusable", body })
}

fn labelled(page: &Page, form: FormView) -> FormView {
    form.labelled(page, &[("password", "adm-reset-password")])
}

async fn form(State(state): State<AppState>, page: Page, Path(token): Path<String>) -> Response {
    match users::reset_target(&state.db, &state.links, &token, Utc::now()).await {
        Ok(user) => {
            let form = labelled(&page, FormView::default());
            ResetPage { page, email: user.email.as_str().to_string(), form }.into_response()
        }
        Err(problem) => refused(page, problem),
    }
}

async fn reset(State(state): State<AppState>, page: Page, Path(token): Path<String>, form: FormData) -> Response {
    let now = Utc::now();
    let user = match users::reset_target(&state.db, &state.links, &token, now).await {
        Ok(user) => user,
        Err(problem) => return refused(page, problem),
    };
    let change = match form.parse::<PasswordChange>() {
        Ok(change) => change,
        Err(errors) => {
            let view = labelled(&page, FormView::rejected(&form, &errors, page.lang).without("password"));
            let email = user.email.as_str().to_string();
            return with_status(StatusCode::UNPROCESSABLE_ENTITY, ResetPage { page, email, form: view });
        }
    };
    match users::reset_password(&state.db, &state.passwords, &state.links, &token, &change.password, now).await {
        Ok(_) => see_other_with_flash("/login", "adm-reset-done"),
        Err(problem) => refused(page, problem),
    }
}
