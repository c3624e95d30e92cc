//! The coordinator's event forms: `/app/events/new`, `/app/events/{id}/edit` (every change
//! raises the revision; the notices page then offers the update to those still coming),
//! and `/app/events/{id}/invite`: invite every company, every school or approved
//! companies only, or hand-pick from a paginated list searched by name.

use super::CoordinatorDesk;
use crate::domain::event::{EventFields, NewEvent, shanghai};
use crate::domain::{EventKind, OrgKind};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, path_id};
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::pagination::{Pagination, page_request};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::with_status;
use crate::services::events::{self, InvitationChange};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/events/new", get(new_form).post(create))
        .route("/app/events/{id}/edit", get(edit_form).post(save))
        .route("/app/events/{id}/invite", get(invite_page).post(invite))
}

const FIELD_LABELS: &[(&str, &str)] = &[
    ("kind", "fair-field-kind"),
    ("title", "fair-field-title"),
    ("description", "fair-field-description"),
    ("venue", "fair-field-venue"),
    ("starts_at", "fair-field-starts-at"),
    ("ends_at", "fair-field-ends-at"),
    ("booth_capacity", "fair-field-booths"),
    ("seat_capacity", "fair-field-seats"),
];

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/event_form.html")]
pub struct EventFormPage {
    pub page: Page,
    /// `None` for a new event.
    pub event_id: Option<i64>,
    pub revision: i64,
    pub kinds: Choices,
    pub form: FormView,
}

/// `2026-12-06T09:00` in Beijing time, as a `datetime-local` input holds it.
fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%dT%H:%M").to_string()
}

fn form_page(page: Page, event_id: Option<i64>, revision: i64, form: FormView) -> EventFormPage {
    let kinds = options(EventKind::ALL, &page, |k| (k.as_str(), k.label_zh(), k.label_en()));
    let form = form.labelled(&page, FIELD_LABELS);
    EventFormPage { page, event_id, revision, kinds, form }
}

async fn new_form(CoordinatorDesk(page, _): CoordinatorDesk) -> Response {
    form_page(page, None, 0, FormView::new(&[("kind", "job_fair")])).into_response()
}

async fn create(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    form: FormData,
) -> Response {
    let saved = match form.parse::<NewEvent>() {
        Ok(new) => events::create(&state.db, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(event) => see_other_with_flash(&format!("/app/events/{}/invite", event.id), "fair-flash-created"),
        Err(error) => match FormView::refused(&form, error, page.lang) {
            Ok((status, view)) => with_status(status, form_page(page, None, 0, view)),
            Err(error) => Refused::page(&page, error).into_response(),
        },
    }
}

fn values_of(fields: &EventFields) -> FormView {
    let (starts, ends) = (local(fields.starts_at), local(fields.ends_at));
    let (booths, seats) = (fields.booth_capacity.to_string(), fields.seat_capacity.to_string());
    FormView::new(&[
        ("kind", fields.kind.as_str()),
        ("title", &fields.title),
        ("description", fields.description.as_deref().unwrap_or("")),
        ("venue", &fields.venue),
        ("starts_at", &starts),
        ("ends_at", &ends),
        ("booth_capacity", &booths),
        ("seat_capacity", &seats),
        ("status", fields.status.as_str()),
    ])
}

async fn edit_form(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let event = events::get(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(form_page(page, Some(id), event.revision, values_of(&event.fields)).into_response())
}

async fn save(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let current = events::get(&state.db, &actor, id).await.or_refused(&page)?;
    // The form holds every field but the invitations (their own page) and the status.
    let mut fields = form.0.clone();
    fields.push(("status".into(), current.fields.status.as_str().into()));
    let full = FormData(fields);
    let saved = match full.parse::<NewEvent>() {
        Ok(new) => {
            let patch = crate::domain::Patch::from_json(serde_json::json!({
                "kind": new.fields.kind, "title": new.fields.title, "description": new.fields.description,
                "venue": new.fields.venue, "starts_at": new.fields.starts_at, "ends_at": new.fields.ends_at,
                "booth_capacity": new.fields.booth_capacity, "seat_capacity": new.fields.seat_capacity,
            }));
            match patch {
                Ok(patch) => events::update(&state.db, &actor, id, patch).await,
                Err(errors) => Err(AppError::Validation(errors)),
            }
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(event) if event.revision > current.revision => {
            Ok(see_other_with_flash(&format!("/app/events/{id}/notices"), "fair-flash-changed"))
        }
        Ok(_) => Ok(see_other_with_flash(&format!("/app/events/{id}/registrations"), "fair-flash-unchanged")),
        Err(error) => match FormView::refused(&form, error, page.lang) {
            Ok((status, view)) => Ok(with_status(status, form_page(page, Some(id), current.revision, view))),
            Err(error) => Err(Refused::page(&page, error)),
        },
    }
}

/// One organisation on the invitation page.
pub struct InvitableRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub invited: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/event_invite.html")]
pub struct InvitePage {
    pub page: Page,
    pub event_id: i64,
    pub title: String,
    pub invited: usize,
    pub q: String,
    pub kind: String,
    pub rows: Vec<InvitableRow>,
    pub total: i64,
    pub pagination: Pagination,
}

async fn invite_page(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let event = events::get(&state.db, &actor, id).await.or_refused(&page)?;
    let q = query.get("q").map(|q| q.trim().to_string()).unwrap_or_default();
    let kind = match query.get("kind").map(String::as_str) {
        Some("company") => Some(OrgKind::Company),
        Some("school") => Some(OrgKind::School),
        _ => None,
    };
    let wanted: PageRequest = page_request(&page);
    let found =
        events::invitable(&state.db, &actor, id, Some(&q).filter(|q| !q.is_empty()).map(String::as_str), kind, wanted)
            .await
            .or_refused(&page)?;
    let kind_text = kind.map(|k| k.as_str().to_string()).unwrap_or_default();
    let base = format!(
        "/app/events/{id}/invite?q={}&kind={kind_text}",
        url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
    );
    let pagination = Pagination::of(&found, &base);
    let rows = found
        .items
        .into_iter()
        .map(|o| InvitableRow {
            id: o.id,
            name: o.name,
            kind: page.label(o.kind.label_zh(), o.kind.label_en()),
            invited: o.invited,
        })
        .collect();
    let invited = event.invited_organization_ids.as_ref().map_or(0, Vec::len);
    Ok(InvitePage {
        page,
        event_id: id,
        title: event.fields.title,
        invited,
        q,
        kind: kind_text,
        rows,
        total: found.total,
        pagination,
    }
    .into_response())
}

async fn invite(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let ids = |name: &str| form.all(name).iter().filter_map(|v| v.parse::<i64>().ok()).collect::<Vec<i64>>();
    let every = match form.get("every") {
        Some("companies") => Some((OrgKind::Company, false)),
        Some("approved_companies") => Some((OrgKind::Company, true)),
        Some("schools") => Some((OrgKind::School, false)),
        _ => None,
    };
    let change = InvitationChange { add: ids("add"), remove: ids("remove"), every };
    events::change_invitations(&state.db, &actor, id, change).await.or_refused(&page)?;
    Ok(see_other_with_flash(&format!("/app/events/{id}/invite"), "fair-flash-invited"))
}
