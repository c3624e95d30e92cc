//! Setting up and running matching rounds: `/app/rounds/new` (every setting of `POST
//! /rounds`, each explained), and a round's run and publish buttons. What a round's page
//! shows coordinators above its results (status, live progress, statistics, the publish
//! form, offers) is built here as a [`RoundPanel`] for the matching area's round page.

use super::CoordinatorDesk;
use crate::domain::round::{MAX_CANDIDATES, NewRound};
use crate::domain::{FieldErrors, OrgKind, RoundStatus, Weights};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::{Page, SignedIn};
use crate::http::pages::desk::{Choices, OrRefused, Refused, organizations, path_id};
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::with_status;
use crate::services::rounds::{self as service, RoundView};
use crate::services::{self, Actor};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use super::round_panel::{PublishForm, RoundPanel, panel};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/rounds/new", get(new_form).post(create))
        .route("/app/rounds/{id}/run", post(run))
        .route("/app/rounds/{id}/publish", post(publish))
        .route("/app/rounds/{id}/export.xlsx", get(export))
}

/// The results as a workbook: everything for coordinators, their own rows for companies
/// and schools once published (as `GET /rounds/{id}/export.xlsx`).
async fn export(State(state): State<AppState>, signed: SignedIn, Path(id): Path<String>) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let id = path_id(&page, &id)?;
    let bytes = service::export(&state.db, &actor, id).await.or_refused(&page)?;
    let headers = [
        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"round-{id}.xlsx\"")),
    ];
    Ok((headers, bytes).into_response())
}

/// The new-round form.
#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/round_new.html")]
pub struct NewRoundPage {
    pub page: Page,
    pub form: FormView,
    pub events: Choices,
    pub schools: Choices,
    pub projects: Choices,
    pub rounds: Choices,
    pub proposing: Choices,
    /// The weights' fields (`weights.text` …), each with its label and explanation.
    pub weights: Vec<(String, String, String)>,
    pub max_candidates: i64,
}

/// The form's fields and the catalogue keys of their labels (the error summary's names).
const FIELD_LABELS: &[(&str, &str)] = &[
    ("name", "rnd-name"),
    ("scope.event_id", "rnd-event"),
    ("scope.project_ids", "rnd-projects"),
    ("scope.posting_ids", "rnd-postings"),
    ("scope.school_ids", "rnd-schools"),
    ("scope.exclude_matched_in_round", "rnd-exclude"),
    ("proposing", "rnd-proposing"),
    ("fill_from_scores", "rnd-fill"),
    ("candidates_per_graduate", "rnd-candidates"),
    ("supplementary", "rnd-supplementary"),
    ("weights", "rnd-weights"),
    ("seed", "rnd-seed"),
];

/// Most events, projects, schools and earlier rounds the form offers (the latest first).
const OFFERED: PageRequest = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };

/// The form as first drawn: the API's defaults.
fn defaults() -> FormView {
    let weights: Vec<(String, String)> =
        Weights::default().named().iter().map(|(name, value)| (format!("weights.{name}"), value.to_string())).collect();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("proposing", "graduates"),
        ("fill_from_scores", "true"),
        ("candidates_per_graduate", "20"),
        ("supplementary", "true"),
    ];
    pairs.extend(weights.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    FormView::new(&pairs)
}

async fn new_form(State(state): State<AppState>, CoordinatorDesk(page, actor): CoordinatorDesk) -> Response {
    render_new(&state, page, &actor, defaults(), StatusCode::OK).await.unwrap_or_else(IntoResponse::into_response)
}

async fn render_new(
    state: &AppState,
    page: Page,
    actor: &Actor,
    form: FormView,
    status: StatusCode,
) -> Result<Response, Refused> {
    let events = services::events::list(&state.db, actor, false, OFFERED).await.or_refused(&page)?;
    let events = events
        .items
        .into_iter()
        .map(|e| {
            let when = crate::http::pages::format::date(page.lang, e.fields.starts_at.date_naive());
            (e.id.to_string(), format!("{} · {when}", e.fields.title))
        })
        .collect();
    let projects = services::projects::list(&state.db, actor, None, None, OFFERED).await.or_refused(&page)?;
    let projects = projects
        .items
        .into_iter()
        .map(|p| {
            let park = p.fields.park.map(|park| format!("（{park}）")).unwrap_or_default();
            (p.id.to_string(), format!("{}{park}", p.fields.name))
        })
        .collect();
    let schools = organizations(state, actor, OrgKind::School).await.or_refused(&page)?;
    let rounds = service::list(&state.db, actor, OFFERED).await.or_refused(&page)?;
    let rounds = rounds
        .items
        .into_iter()
        .filter_map(|r| match r {
            RoundView::Full(r) if matches!(r.status, RoundStatus::Done | RoundStatus::Published) => Some((
                r.id.to_string(),
                format!("{} · {}", r.settings.name, page.label(r.status.label_zh(), r.status.label_en())),
            )),
            _ => None,
        })
        .collect();
    let proposing = vec![
        ("graduates".to_string(), page.t("rnd-proposing-graduates")),
        ("postings".to_string(), page.t("rnd-proposing-postings")),
    ];
    let weights = Weights::default()
        .named()
        .iter()
        .map(|(name, _)| {
            let key = format!("rnd-weight-{name}");
            (format!("weights.{name}"), page.t(&key), page.t(&format!("{key}-hint")))
        })
        .collect();
    let form = form.labelled(&page, FIELD_LABELS);
    let view = NewRoundPage {
        page,
        form,
        events,
        schools,
        projects,
        rounds,
        proposing,
        weights,
        max_candidates: MAX_CANDIDATES,
    };
    Ok(with_status(status, view))
}

/// Posting numbers come typed in one field ("12, 15、18"); the API takes a list. Split
/// them into repeated fields, as checkboxes would send, so the one parse reads them.
fn with_posting_ids_split(form: &FormData) -> FormData {
    let mut pairs = Vec::with_capacity(form.0.len());
    for (name, value) in &form.0 {
        if name == "scope.posting_ids" {
            let items = value.split([',', '，', '、', ';', '；', ' ', '\n', '\r']).filter(|v| !v.trim().is_empty());
            pairs.extend(items.map(|v| (name.clone(), v.trim().to_string())));
        } else {
            pairs.push((name.clone(), value.clone()));
        }
    }
    FormData(pairs)
}

/// Errors named by a list's position (`scope.school_ids[3]`) shown beside the list's field.
fn by_field(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::default();
    for e in errors.0 {
        let field = e.field.split_once('[').map_or(e.field.as_str(), |(list, _)| list).to_string();
        out.push(field, e.message);
    }
    out
}

async fn create(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    form: FormData,
) -> Result<Response, Refused> {
    // The form is drawn again as typed (posting numbers in their one field).
    let refused = |errors: FieldErrors| FormView::rejected(&form, &by_field(errors), page.lang);
    let created = match with_posting_ids_split(&form).parse::<NewRound>() {
        Ok(new) => service::create(&state.db, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match created {
        Ok(round) => Ok(see_other_with_flash(&format!("/app/rounds/{}", round.id), "rnd-flash-created")),
        Err(AppError::Validation(errors)) => {
            render_new(&state, page.clone(), &actor, refused(errors), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(Refused::page(&page, error)),
    }
}

async fn run(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    service::run(&state.db, &actor, id, state.settings.round_save_rows).await.or_refused(&page)?;
    Ok(see_other_with_flash(&format!("/app/rounds/{id}"), "rnd-flash-started"))
}

/// The publish form refused: drawn again on a page of its own, its error beside the date.
#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/round_publish.html")]
pub struct PublishPage {
    pub page: Page,
    pub id: i64,
    pub name: String,
    pub form: FormView,
}

async fn publish(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let round = service::get(&state.db, &actor, id).await.or_refused(&page)?;
    let now = chrono::Utc::now();
    let due = match form.parse::<PublishForm>().and_then(|f| f.due_at(now)) {
        Ok(due) => due,
        Err(errors) => {
            let form =
                FormView::rejected(&form, &errors, page.lang).labelled(&page, &[("offers_due", "rnd-offers-due")]);
            let name = match round {
                RoundView::Full(r) => r.settings.name,
                RoundView::Published(r) => r.name,
            };
            return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, PublishPage { page, id, name, form }));
        }
    };
    let request = crate::domain::offer::PublishRound { offers_due: Some(due) };
    service::publish(&state.db, &state.links, &actor, id, request, now).await.or_refused(&page)?;
    Ok(see_other_with_flash(&format!("/app/rounds/{id}"), "rnd-flash-published"))
}
