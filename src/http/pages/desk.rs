//! What the organisations' desks (the company's and the school's pages) share: ids in
//! paths, a page refused before its handler's work, the options of a `<select>`, the
//! organisations a coordinator may act for, and the dashboards' next step and invitations.

use super::context::Page;
use super::format;
use super::templates::ErrorPage;
use crate::domain::round::PublishedRound;
use crate::domain::{EventStatus, OrgKind, RoundStatus};
use crate::error::AppError;
use crate::http::AppState;
use crate::services::rounds::RoundView;
use crate::services::{self, Actor};
use crate::store::PageRequest;
use axum::response::{IntoResponse, Response};

/// A page refused before (or instead of) its handler's work: the error page it answers.
/// Handlers return `Result<Response, Refused>` and stop at the first refusal with `?`.
/// (Boxed: a response is large to pass around.)
pub struct Refused(Box<Response>);

impl Refused {
    /// A service's refusal or failure as the error page (`ErrorPage::from_error`).
    pub fn page(page: &Page, error: AppError) -> Self {
        Refused(Box::new(ErrorPage::from_error(page.clone(), error)))
    }

    /// Another answer in the page's place: the redirect of a list page past its end.
    pub fn instead(response: Response) -> Self {
        Refused(Box::new(response))
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// A service's answer, or the error page in its place.
pub trait OrRefused<T> {
    fn or_refused(self, page: &Page) -> Result<T, Refused>;
}

impl<T> OrRefused<T> for Result<T, AppError> {
    fn or_refused(self, page: &Page) -> Result<T, Refused> {
        self.map_err(|error| Refused::page(page, error))
    }
}

/// An id in a path; anything else is a page that does not exist.
pub fn path_id(page: &Page, text: &str) -> Result<i64, Refused> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| Refused::page(page, AppError::NotFound))
}

/// Value and label of each option of a `<select>` or a group of checkboxes.
pub type Choices = Vec<(String, String)>;

/// The options of a labelled value (`Education::ALL`, …) in the page's language; `label`
/// gives each one's value and its Chinese and English labels.
pub fn options<T: Copy>(
    all: &[T],
    page: &Page,
    label: impl Fn(T) -> (&'static str, &'static str, &'static str),
) -> Choices {
    all.iter()
        .map(|v| {
            let (value, zh, en) = label(*v);
            (value.to_string(), page.label(zh, en).to_string())
        })
        .collect()
}

/// The organisations of `kind` a coordinator may act for (id, name), for an
/// `organization_id` select; empty for an organisation's own users (theirs is implied).
pub async fn organizations(state: &AppState, actor: &Actor, kind: OrgKind) -> Result<Choices, AppError> {
    if !actor.is_coordinator() {
        return Ok(Vec::new());
    }
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let list = services::organizations::list(
        &state.db,
        actor,
        services::organizations::ListFilter { kind: Some(kind), ..Default::default() },
        all,
    )
    .await?;
    Ok(list.items.into_iter().map(|o| (o.id.to_string(), o.fields.name)).collect())
}

/// A dashboard's one thing most worth doing now, as a sentence and a button.
pub struct NextStep {
    pub text: String,
    pub href: String,
    pub button: String,
}

/// An event the organisation is invited to, on its dashboard.
pub struct InvitationLine {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub venue: String,
}

/// Upcoming events the actor's organisation is invited to and has not registered for.
pub async fn pending_invitations(
    state: &AppState,
    page: &Page,
    actor: &Actor,
) -> Result<Vec<InvitationLine>, AppError> {
    let events = services::events::list(&state.db, actor, true, PageRequest::default()).await?;
    let mut lines = Vec::new();
    for event in events.items.into_iter().filter(|e| e.fields.status == EventStatus::Scheduled) {
        let own = services::events::registrations(&state.db, actor, event.id, PageRequest { page: 1, per_page: 1 });
        if own.await?.total > 0 {
            continue;
        }
        let fields = event.fields;
        lines.push(InvitationLine {
            id: event.id,
            title: fields.title,
            kind: page.label(fields.kind.label_zh(), fields.kind.label_en()),
            when: format::date_time(page.lang, fields.starts_at),
            venue: fields.venue,
        });
    }
    Ok(lines)
}

/// Published rounds looked at for a dashboard (the latest first).
const ROUNDS_LOOKED_AT: i64 = 10;

/// The published rounds among the latest the actor may see, latest first, for a dashboard.
pub async fn latest_published_rounds(state: &AppState, actor: &Actor) -> Result<Vec<PublishedRound>, AppError> {
    let recent = PageRequest { page: 1, per_page: ROUNDS_LOOKED_AT };
    let rounds = services::rounds::list(&state.db, actor, recent).await?;
    Ok(rounds
        .items
        .into_iter()
        .map(|view| match view {
            RoundView::Published(r) => r,
            RoundView::Full(r) => PublishedRound::from(*r),
        })
        .filter(|r| r.status == RoundStatus::Published)
        .collect())
}
