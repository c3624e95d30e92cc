//! `/app/users`: accounts, filtered by organisation; create one, disable or enable it
//! (disabling ends its sessions at once), or mail it a password-reset link. The same
//! services as `/api/v1/users`.

use super::CoordinatorDesk;
use crate::domain::Role;
use crate::domain::user::{NewUser, UserChange};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::ClientIp;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, path_id};
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::with_status;
use crate::services::Actor;
use crate::services::auth::PasswordCheck;
use crate::services::organizations::{self as organizations, ListFilter};
use crate::services::users as service;
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/users", get(list).post(create))
        .route("/app/users/{id}/disabled", post(set_disabled))
        .route("/app/users/{id}/password_reset", post(send_reset))
}

pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub role: &'static str,
    pub organization: String,
    pub organization_id: i64,
    pub disabled: bool,
    pub created: String,
    pub me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/users.html")]
pub struct UsersPage {
    pub page: Page,
    pub organization_id: String,
    pub organizations: Choices,
    pub roles: Choices,
    pub rows: Vec<UserRow>,
    pub total: i64,
    pub pagination: Pagination,
    pub form: FormView,
}

/// `?organization_id=` as given (a bad one lists everyone).
fn organization_filter(page: &Page) -> Option<i64> {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "organization_id")
        .and_then(|(_, v)| v.parse().ok())
        .filter(|id: &i64| *id > 0)
}

async fn users_page(state: &AppState, page: Page, actor: &Actor, form: FormView) -> Result<Response, AppError> {
    let filter = organization_filter(&page);
    let wanted = page_request(&page);
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let orgs = organizations::list(&state.db, actor, ListFilter::default(), all).await?.items;
    let base = match filter {
        Some(id) => format!("/app/users?organization_id={id}"),
        None => "/app/users".to_string(),
    };
    let found = service::list(&state.db, actor, filter, None, wanted).await?;
    if let Some(back) = past_the_end(&found, &base) {
        return Ok(back);
    }
    let name_of = |id: i64| orgs.iter().find(|o| o.id == id).map(|o| o.fields.name.clone()).unwrap_or_default();
    let rows = found
        .items
        .iter()
        .map(|u| UserRow {
            id: u.id,
            email: u.email.as_str().to_string(),
            role: page.label(u.role.label_zh(), u.role.label_en()),
            organization: name_of(u.organization_id),
            organization_id: u.organization_id,
            disabled: u.disabled,
            created: format::date_time(page.lang, u.created_at),
            me: u.id == actor.user_id,
        })
        .collect();
    // A fresh form creates an account for the organisation being looked at.
    let form = match filter {
        Some(id) if !form.has_errors() => FormView::new(&[("organization_id", &id.to_string())]),
        _ => form,
    };
    Ok(UsersPage {
        organization_id: filter.map(|id| id.to_string()).unwrap_or_default(),
        organizations: orgs.iter().map(|o| (o.id.to_string(), o.fields.name.clone())).collect(),
        roles: options(Role::ALL, &page, |r| (r.as_str(), r.label_zh(), r.label_en())),
        rows,
        total: found.total,
        pagination: Pagination::of(&found, &base),
        form: form.labelled(&page, LABELS),
        page,
    }
    .into_response())
}

const LABELS: &[(&str, &str)] = &[
    ("email", "adm-user-email"),
    ("password", "adm-user-password"),
    ("role", "adm-user-role"),
    ("organization_id", "adm-user-organization"),
];

async fn list(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
) -> Result<Response, Refused> {
    users_page(&state, page.clone(), &actor, FormView::default()).await.or_refused(&page)
}

async fn create(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    form: FormData,
) -> Result<Response, Refused> {
    let saved = match form.parse::<NewUser>() {
        Ok(new) => service::create(&state.db, &state.passwords, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(user) => Ok(see_other_with_flash(
            &format!("/app/users?organization_id={}", user.organization_id),
            "adm-user-created",
        )),
        Err(error) => {
            let (status, view) = FormView::refused(&form, error, page.lang).or_refused(&page)?;
            let view = view.without("password");
            let response = users_page(&state, page.clone(), &actor, view).await.or_refused(&page)?;
            Ok(with_status(status, response))
        }
    }
}

/// Back to the list the button was on.
fn back(form: &FormData) -> String {
    match form.get("organization_id").and_then(|v| v.parse::<i64>().ok()) {
        Some(id) => format!("/app/users?organization_id={id}"),
        None => "/app/users".to_string(),
    }
}

async fn set_disabled(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let disabled = form.get("disabled") == Some("true");
    let change = UserChange { password: None, current_password: None, disabled: Some(disabled) };
    let check = PasswordCheck { passwords: &state.passwords, limiter: &state.limiter, client };
    service::update(&state.db, &check, &actor, id, change, Utc::now()).await.or_refused(&page)?;
    let key = if disabled { "adm-user-disabled-done" } else { "adm-user-enabled-done" };
    Ok(see_other_with_flash(&back(&form), key))
}

async fn send_reset(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    service::request_reset(&state.db, &state.links, &actor, id, Utc::now()).await.or_refused(&page)?;
    Ok(see_other_with_flash(&back(&form), "adm-user-reset-sent"))
}
