//! `/app/events/{id}/checkin`: checking organisations in at the entrance, on a phone. A
//! big field for the typed code (autofocus), the last result shown large in words (not by
//! colour alone), and how many have come of those approved. The script adds a camera
//! scanner where the browser has `BarcodeDetector`; without it the form is the whole page.
//! A phone's own camera app opening a pass's QR link lands here with the token filled in:
//! a GET changes nothing, the coordinator confirms with the button.

use super::CoordinatorDesk;
use crate::domain::registration::CheckinRequest;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::Page;
use crate::http::pages::desk::{OrRefused, Refused, path_id};
use crate::http::pages::form::FormData;
use crate::http::pages::templates::with_status;
use crate::services::{checkin, events};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/events/{id}/checkin", get(show).post(check_in))
}

/// The last check-in's outcome, in words.
pub struct Outcome {
    /// `ok`, `again` (already checked in) or `refused`.
    pub kind: &'static str,
    pub headline: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/checkin.html")]
pub struct CheckinPage {
    pub page: Page,
    pub event_id: i64,
    pub title: String,
    pub code: String,
    pub outcome: Option<Outcome>,
    pub checked_in: i64,
    pub approved: i64,
}

async fn render(
    state: &AppState,
    page: Page,
    actor: &crate::services::Actor,
    id: i64,
    code: String,
    outcome: Option<Outcome>,
) -> Result<CheckinPage, Refused> {
    let event = events::get(&state.db, actor, id).await.or_refused(&page)?;
    let (checked_in, approved) = checkin::attendance(&state.db, actor, id).await.or_refused(&page)?;
    Ok(CheckinPage { page, event_id: id, title: event.fields.title, code, outcome, checked_in, approved })
}

async fn show(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let code = query.get("code").cloned().unwrap_or_default();
    Ok(render(&state, page, &actor, id, code, None).await?.into_response())
}

async fn check_in(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let typed = form.get("code").unwrap_or_default().to_string();
    let answer = match form.parse::<CheckinRequest>() {
        Ok(request) => checkin::check_in(&state.db, &state.links, &actor, id, request, Utc::now()).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    let (status, outcome) = match answer {
        Ok(registration) => {
            let detail = match &registration.booth {
                Some(booth) => page.t1("fair-checkin-booth", "booth", booth.as_str()),
                None => page.label(registration.kind.label_zh(), registration.kind.label_en()).to_string(),
            };
            let headline = page.t1("fair-checkin-ok", "name", registration.organization_name.as_str());
            (StatusCode::OK, Outcome { kind: "ok", headline, detail })
        }
        Err(AppError::Taken(errors)) => {
            let detail = errors.0.first().map(|e| page.lang.pick(&e.message).to_string()).unwrap_or_default();
            (StatusCode::CONFLICT, Outcome { kind: "again", headline: page.t("fair-checkin-again"), detail })
        }
        Err(AppError::NotFound) => (
            StatusCode::NOT_FOUND,
            Outcome {
                kind: "refused",
                headline: page.t("fair-checkin-unknown"),
                detail: page.t("fair-checkin-unknown-hint"),
            },
        ),
        // The field's message is written for an API client; the page says what to type.
        Err(AppError::Validation(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                kind: "refused",
                headline: page.t("fair-checkin-malformed"),
                detail: page.t("fair-checkin-code-hint"),
            },
        ),
        Err(AppError::Conflict(message)) => (
            StatusCode::CONFLICT,
            Outcome {
                kind: "refused",
                headline: page.t("fair-checkin-not-approved"),
                detail: page.lang.pick(&message).to_string(),
            },
        ),
        Err(error) => return Err(Refused::page(&page, error)),
    };
    // After a success the field is empty for the next one; a refused code stays to correct.
    let code = if outcome.kind == "ok" { String::new() } else { typed };
    Ok(with_status(status, render(&state, page, &actor, id, code, Some(outcome)).await?))
}
