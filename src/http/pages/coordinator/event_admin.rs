//! Events for the coordinator: the registrations of an event (approve or reject, booths,
//! attendance, no-shows and each organisation's earlier no-shows), and its notices (send
//! invitations, reminders, updates or the cancellation; each recipient's delivery state,
//! with a retry for failed ones). The same services as `/api/v1/events/{id}/…`.

use super::CoordinatorDesk;
use crate::domain::event::Event;
use crate::domain::registration::{NoticeRequest, Registration, RegistrationDecision};
use crate::domain::{NoticeStatus, OrgKind, RegistrationStatus};
use crate::error::AppResult;
use crate::http::AppState;
use crate::http::pages::Page;
use crate::http::pages::desk::{OrRefused, Refused, path_id};
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::{see_other_with_flash, see_other_with_flash_counts};
use crate::services::{Actor, checkin, events, notices};
use crate::store::{self, PageRequest};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/events/{id}/registrations", get(registrations))
        .route("/app/events/{id}/registrations/{registration_id}", post(decide))
        .route("/app/events/{id}/booths", post(booths))
        .route("/app/events/{id}/notices", get(notice_list).post(send))
        .route("/app/events/{id}/notices/{notice_id}/retry", post(retry))
}

/// An event and the page asked for of one of its lists.
struct Listed<T> {
    id: i64,
    event: Event,
    found: store::Page<T>,
    pagination: Pagination,
}

/// What both of an event's list pages begin with: the event (404 if none) and the page of
/// the list at `/app/events/{id}/{list}` that `read` gives; a page past its end goes back
/// to the first.
async fn listed<T>(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    id: &str,
    list: &str,
    read: impl AsyncFnOnce(i64, PageRequest) -> AppResult<store::Page<T>>,
) -> Result<Listed<T>, Refused> {
    let id = path_id(page, id)?;
    let event = events::get(&state.db, actor, id).await.or_refused(page)?;
    let found = read(id, page_request(page)).await.or_refused(page)?;
    let base = format!("/app/events/{id}/{list}");
    if let Some(redirect) = past_the_end(&found, &base) {
        return Err(Refused::instead(redirect));
    }
    let pagination = Pagination::of(&found, &base);
    Ok(Listed { id, event, found, pagination })
}

/// One registration as the coordinator's list shows it.
pub struct RegistrationRow {
    pub id: i64,
    pub organization: String,
    pub kind: &'static str,
    pub brings: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub booth: String,
    /// Checked in at (Beijing time), or empty.
    pub checked_in: String,
    pub no_show: bool,
    pub past_no_shows: i64,
    pub decidable: bool,
}

fn row(page: &Page, r: Registration) -> RegistrationRow {
    let brings = match r.kind {
        OrgKind::School => match &r.teacher_name {
            Some(teacher) => page.t2("fair-brings-school", "count", r.graduates, "teacher", teacher.as_str()),
            None => page.t1("fair-brings-graduates", "count", r.graduates),
        },
        _ => page.t1("fair-brings-postings", "count", r.posting_ids.0.len() as i64),
    };
    RegistrationRow {
        id: r.id,
        organization: r.organization_name,
        kind: page.label(r.kind.label_zh(), r.kind.label_en()),
        brings,
        status: r.status.as_str(),
        status_label: page.label(r.status.label_zh(), r.status.label_en()),
        booth: r.booth.unwrap_or_default(),
        checked_in: r.checked_in_at.map(format::time).unwrap_or_default(),
        no_show: r.no_show,
        past_no_shows: r.past_no_shows.unwrap_or(0),
        decidable: matches!(
            r.status,
            RegistrationStatus::Pending | RegistrationStatus::Approved | RegistrationStatus::Rejected
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/event_registrations.html")]
pub struct RegistrationsPage {
    pub page: Page,
    pub event_id: i64,
    pub title: String,
    pub rows: Vec<RegistrationRow>,
    pub total: i64,
    pub checked_in: i64,
    pub approved: i64,
    pub over: bool,
    pub pagination: Pagination,
}

async fn registrations(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let read = async |id: i64, request: PageRequest| events::registrations(&state.db, &actor, id, request).await;
    let Listed { id, event, found, pagination } = listed(&state, &page, &actor, &id, "registrations", read).await?;
    let (checked_in, approved) = checkin::attendance(&state.db, &actor, id).await.or_refused(&page)?;
    let total = found.total;
    let rows = found.items.into_iter().map(|r| row(&page, r)).collect();
    let over = event.fields.ends_at <= Utc::now();
    Ok(RegistrationsPage {
        page,
        event_id: id,
        title: event.fields.title,
        rows,
        total,
        checked_in,
        approved,
        over,
        pagination,
    }
    .into_response())
}

async fn decide(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path((id, registration_id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let registration_id = path_id(&page, &registration_id)?;
    let decision =
        form.parse::<RegistrationDecision>().map_err(crate::error::AppError::Validation).or_refused(&page)?;
    checkin::decide(&state.db, &state.links, &actor, id, registration_id, decision, Utc::now())
        .await
        .or_refused(&page)?;
    let key =
        if decision.status == RegistrationStatus::Approved { "fair-flash-approved" } else { "fair-flash-rejected" };
    Ok(see_other_with_flash(&format!("/app/events/{id}/registrations"), key))
}

async fn booths(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let assigned = checkin::assign_booths(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(see_other_with_flash_counts(&format!("/app/events/{id}/registrations"), "fair-flash-booths", &[assigned.len()]))
}

/// One notice's delivery, as the list shows it.
pub struct NoticeRow {
    pub id: i64,
    pub kind: &'static str,
    pub recipient: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub attempts: i64,
    pub last_error: String,
    pub when: String,
    pub failed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/event_notices.html")]
pub struct NoticesPage {
    pub page: Page,
    pub event_id: i64,
    pub title: String,
    pub cancelled: bool,
    pub rows: Vec<NoticeRow>,
    pub total: i64,
    pub pagination: Pagination,
}

async fn notice_list(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let read = async |id: i64, request: PageRequest| notices::for_event(&state.db, &actor, id, request).await;
    let Listed { id, event, found, pagination } = listed(&state, &page, &actor, &id, "notices", read).await?;
    let total = found.total;
    let rows = found
        .items
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            kind: page.label(n.kind.label_zh(), n.kind.label_en()),
            recipient: match &n.recipient_name {
                Some(name) => format!("{name} <{}>", n.recipient_email),
                None => n.recipient_email.clone(),
            },
            status: n.status.as_str(),
            status_label: page.label(n.status.label_zh(), n.status.label_en()),
            attempts: n.attempts,
            last_error: n.last_error.clone().unwrap_or_default(),
            when: format::date_time(page.lang, n.sent_at.unwrap_or(n.created_at)),
            failed: n.status == NoticeStatus::Failed,
        })
        .collect();
    let cancelled = event.fields.status == crate::domain::EventStatus::Cancelled;
    Ok(NoticesPage { page, event_id: id, title: event.fields.title, cancelled, rows, total, pagination }
        .into_response())
}

async fn send(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let request = form.parse::<NoticeRequest>().map_err(crate::error::AppError::Validation).or_refused(&page)?;
    let queued = notices::queue_for_event(&state.db, &state.links, &actor, id, request).await.or_refused(&page)?;
    Ok(see_other_with_flash_counts(
        &format!("/app/events/{id}/notices"),
        "fair-flash-queued",
        &[queued.queued, queued.recipients],
    ))
}

async fn retry(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path((id, notice_id)): Path<(String, String)>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let notice_id = path_id(&page, &notice_id)?;
    notices::retry(&state.db, &actor, id, notice_id, Utc::now()).await.or_refused(&page)?;
    Ok(see_other_with_flash(&format!("/app/events/{id}/notices"), "fair-flash-retried"))
}
