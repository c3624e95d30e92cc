//! The events an organisation is invited to, and registering for one: a company names the
//! open postings it brings, a school how many graduates come and the accompanying teacher.
//! Coordinators see the same pages without the form (their management pages come later).

use super::refusal_messages;
use crate::domain::event::Event;
use crate::domain::registration::{Registration, RegistrationRequest};
use crate::domain::{EventStatus, FieldErrors, OrgKind, PostingStatus, RegistrationStatus, Role};
use crate::http::AppState;
use crate::http::extract::Id;
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::http::pages::{Page, SignedIn};
use crate::search::listing::PostingFilters;
use crate::services::{Actor, events, postings};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/events", get(list))
        .route("/app/events/{id}", get(show))
        .route("/app/events/{id}/register", post(register))
}

/// An event as its pages show it.
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub venue: String,
    pub description: Option<String>,
    pub cancelled: bool,
    /// The reader's registration: its status code and label.
    pub registration: Option<(&'static str, &'static str)>,
}

fn event_view(page: &Page, event: Event, registration: Option<&Registration>) -> EventView {
    let f = event.fields;
    EventView {
        id: event.id,
        title: f.title,
        kind: page.label(f.kind.label_zh(), f.kind.label_en()),
        when: format::span(page.lang, f.starts_at, f.ends_at),
        venue: f.venue,
        description: f.description,
        cancelled: f.status == EventStatus::Cancelled,
        registration: registration.map(|r| (r.status.as_str(), page.label(r.status.label_zh(), r.status.label_en()))),
    }
}

/// The reader's own registration (companies and schools have at most one per event).
async fn own_registration(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Option<Registration>, crate::error::AppError> {
    if actor.is_coordinator() {
        return Ok(None);
    }
    let own = events::registrations(&state.db, actor, id, PageRequest { page: 1, per_page: 1 }).await?;
    Ok(own.items.into_iter().next())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/events.html")]
pub struct EventsPage {
    pub page: Page,
    pub events: Vec<EventView>,
    pub all: bool,
    pub coordinator: bool,
    pub pagination: Pagination,
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let SignedIn { page, actor } = signed;
    let all = query.get("all").is_some_and(|v| v == "1");
    let found = match events::list(&state.db, &actor, !all, page_request(&page)).await {
        Ok(found) => found,
        Err(e) => return ErrorPage::from_error(page, e),
    };
    let pagination = Pagination::of(&found, if all { "/app/events?all=1" } else { "/app/events" });
    let mut views = Vec::with_capacity(found.items.len());
    for event in found.items {
        let registration = match own_registration(&state, &actor, event.id).await {
            Ok(r) => r,
            Err(e) => return ErrorPage::from_error(page, e),
        };
        views.push(event_view(&page, event, registration.as_ref()));
    }
    EventsPage { page, events: views, all, coordinator: actor.is_coordinator(), pagination }.into_response()
}

/// One of the company's open postings, to tick.
pub struct PostingChoice {
    pub id: i64,
    pub title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/event.html")]
pub struct EventPage {
    pub page: Page,
    pub event: EventView,
    /// Which registration form to offer: `company`, `school`, or none (registered
    /// already, a coordinator, or the event is over or cancelled).
    pub form_kind: Option<&'static str>,
    pub postings: Vec<PostingChoice>,
    /// Titles of the postings the reader's registration brings.
    pub brought: Vec<String>,
    /// A school's registration: how many graduates come, with which teacher.
    pub party: Option<String>,
    pub form: FormView,
    pub coordinator: bool,
    /// An approved registration's check-in pass.
    pub pass: Option<Pass>,
    /// The registration came from an invitation's link and still lacks what it brings.
    pub incomplete: bool,
}

/// What the organisation shows at the entrance: the code, its booth, the QR code (SVG).
pub struct Pass {
    pub code: String,
    pub booth: Option<String>,
    pub qr_svg: String,
}

/// The registration form's fields and the catalogue keys of their labels.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("posting_ids", "registration-postings"),
    ("graduates", "registration-graduates"),
    ("teacher_name", "registration-teacher-name"),
    ("teacher_phone", "registration-teacher-phone"),
];

/// The event page, with the form as `form` holds it.
async fn load(state: &AppState, signed: SignedIn, id: i64, form: FormView) -> Result<EventPage, Response> {
    let SignedIn { page, actor } = signed;
    let event = match events::get(&state.db, &actor, id).await {
        Ok(e) => e,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let registration = match own_registration(state, &actor, id).await {
        Ok(r) => r,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let open = event.fields.status == EventStatus::Scheduled && event.fields.starts_at > Utc::now();
    // Until the service centre decides, the owner completes or edits the registration (an
    // invitation link's empty one included); a declined one may come back.
    let undecided = registration
        .as_ref()
        .is_none_or(|r| matches!(r.status, RegistrationStatus::Pending | RegistrationStatus::Declined));
    let form_kind = match actor.role {
        _ if !undecided || !open => None,
        Role::Company => Some("company"),
        Role::School => Some("school"),
        Role::Coordinator => None,
    };
    let mut choices = Vec::new();
    if form_kind == Some("company") {
        let filters = PostingFilters {
            organization_id: Some(actor.organization_id),
            status: Some(PostingStatus::Open),
            page: PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE },
            ..Default::default()
        };
        let found = match postings::search(&state.searches, Some(&actor), &filters).await {
            Ok(found) => found,
            Err(e) => return Err(ErrorPage::from_error(page, e)),
        };
        choices = found
            .items
            .iter()
            .filter_map(|hit| {
                let p = hit.record();
                Some(PostingChoice { id: p["id"].as_i64()?, title: p["title"].as_str()?.to_string() })
            })
            .collect();
    }
    let mut brought = Vec::new();
    for posting_id in registration.iter().flat_map(|r| r.posting_ids.0.iter()) {
        // A posting closed or deleted since is simply not listed.
        if let Ok(p) = postings::get(&state.db, Some(&actor), *posting_id).await {
            brought.push(p.fields.title);
        }
    }
    let party = registration.as_ref().filter(|r| r.kind == OrgKind::School && r.graduates > 0).map(|r| {
        let teacher = match (&r.teacher_name, &r.teacher_phone) {
            (Some(name), Some(phone)) => {
                page.t2("sc-registration-teacher", "name", name.as_str(), "phone", phone.as_str())
            }
            (Some(name), None) => name.clone(),
            (None, _) => String::new(),
        };
        if teacher.is_empty() {
            page.t1("sc-registration-graduates", "count", r.graduates)
        } else {
            page.t2("sc-registration-party", "count", r.graduates, "teacher", teacher)
        }
    });
    let incomplete = registration
        .as_ref()
        .is_some_and(|r| r.status == RegistrationStatus::Pending && r.posting_ids.0.is_empty() && r.graduates == 0);
    // The edit form starts from what is registered (unless it is being drawn again).
    let form = match &registration {
        Some(r) if form_kind.is_some() && form.errors().is_empty() && !incomplete => {
            let graduates = r.graduates.to_string();
            let ids: Vec<String> = r.posting_ids.0.iter().map(i64::to_string).collect();
            let mut values: Vec<(&str, &str)> = ids.iter().map(|id| ("posting_ids", id.as_str())).collect();
            if r.graduates > 0 {
                values.push(("graduates", graduates.as_str()));
            }
            if let Some(name) = &r.teacher_name {
                values.push(("teacher_name", name.as_str()));
            }
            if let Some(phone) = &r.teacher_phone {
                values.push(("teacher_phone", phone.as_str()));
            }
            FormView::new(&values)
        }
        _ => form,
    };
    let pass = registration.as_ref().filter(|r| r.status == RegistrationStatus::Approved).and_then(|r| {
        let code = r.checkin_code.clone()?;
        let text = crate::services::checkin::qr_text(&state.links, r.event_id, r.id);
        let qr_svg = crate::notify::qr::svg(&text, &page.t1("fair-pass-qr-label", "code", code.as_str()))?;
        Some(Pass { code, booth: r.booth.clone(), qr_svg })
    });
    let event = event_view(&page, event, registration.as_ref());
    let coordinator = actor.is_coordinator();
    let form = form.labelled(&page, FIELD_LABELS);
    Ok(EventPage { page, event, form_kind, postings: choices, brought, party, form, coordinator, pass, incomplete })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Id(id): Id) -> Response {
    match load(&state, signed, id, FormView::default()).await {
        Ok(view) => view.into_response(),
        Err(response) => response,
    }
}

/// Errors named by list position (`posting_ids[2]`) belong beside the list's field.
fn by_field(errors: &FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::default();
    for e in &errors.0 {
        let field = e.field.split('[').next().unwrap_or(&e.field);
        out.push(field, e.message.clone());
    }
    out
}

/// The event page again, with the form as sent and why it was refused.
async fn refused(state: &AppState, signed: SignedIn, id: i64, status: StatusCode, view: FormView) -> Response {
    match load(state, signed, id, view).await {
        Ok(page) => with_status(status, page),
        Err(response) => response,
    }
}

async fn register(State(state): State<AppState>, signed: SignedIn, Id(id): Id, form: FormData) -> Response {
    let lang = signed.page.lang;
    let request = match form.parse::<RegistrationRequest>() {
        Ok(request) => request,
        Err(errors) => {
            let view = FormView::rejected(&form, &by_field(&errors), lang);
            return refused(&state, signed, id, StatusCode::UNPROCESSABLE_ENTITY, view).await;
        }
    };
    match events::register(&state.db, &signed.actor, id, request).await {
        Ok(_) => see_other_with_flash(&format!("/app/events/{id}"), "flash-registered"),
        Err(crate::error::AppError::Validation(errors)) => {
            let view = FormView::rejected(&form, &by_field(&errors), lang);
            refused(&state, signed, id, StatusCode::UNPROCESSABLE_ENTITY, view).await
        }
        Err(error) => match refusal_messages(&signed.page, &error) {
            Some((status, messages)) => {
                let view = messages
                    .into_iter()
                    .fold(FormView::rejected(&form, &FieldErrors::default(), lang), |v, m| v.with_error("", m));
                refused(&state, signed, id, status, view).await
            }
            None => ErrorPage::from_error(signed.page, error),
        },
    }
}
