//! `/app/projects`: the company's industrial projects and their shortage of workers; a
//! form to add one and, on a project's page, the same form to change it.

use super::CompanyDesk;
use crate::domain::project::{NewProject, Project, ProjectFields};
use crate::domain::{OrgKind, ProjectStage};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, organizations, path_id};
use crate::http::pages::form::{FormData, FormView, replacing};
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::services::{self, Actor};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/projects", get(list))
        .route("/app/projects/new", get(new_form).post(create))
        .route("/app/projects/{id}", get(show).post(update))
}

/// A project as its list and its page show it.
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub park: String,
    pub stage: &'static str,
    pub key_project: bool,
    pub shortage: i64,
    /// Graduates placed on its postings (accepted offers).
    pub placed: i64,
    /// The shortage less those placed.
    pub open_shortage: i64,
}

impl ProjectRow {
    pub(super) fn of(page: &Page, p: Project) -> ProjectRow {
        ProjectRow {
            id: p.id,
            name: p.fields.name,
            park: p.fields.park.unwrap_or_default(),
            stage: page.label(p.fields.stage.label_zh(), p.fields.stage.label_en()),
            key_project: p.fields.key_project,
            shortage: p.fields.shortage,
            placed: p.placed,
            open_shortage: p.open_shortage,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/company/projects.html")]
pub struct ProjectList {
    pub page: Page,
    pub projects: Vec<ProjectRow>,
    pub total: i64,
    pub pagination: Pagination,
}

/// A project's page (with `project`) or the new-project page: the form either way.
#[derive(Template, WebTemplate)]
#[template(path = "pages/company/project.html")]
pub struct ProjectPage {
    pub page: Page,
    pub project: Option<ProjectRow>,
    /// Headcount of the project's open postings.
    pub seats: i64,
    pub form: FormView,
    pub action: String,
    /// For coordinators: the companies a new project may belong to.
    pub companies: Choices,
    pub stages: Choices,
}

/// The form's fields and the catalogue keys of their labels.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("organization_id", "co-project-organization"),
    ("name", "co-project-name"),
    ("park", "co-project-park"),
    ("stage", "co-project-stage"),
    ("shortage", "co-project-shortage"),
    ("key_project", "co-project-key"),
];

async fn list(State(state): State<AppState>, CompanyDesk(page, actor): CompanyDesk) -> Response {
    let base = "/app/projects";
    match services::projects::list(&state.db, &actor, None, None, page_request(&page)).await {
        Ok(found) => past_the_end(&found, base).unwrap_or_else(|| {
            let pagination = Pagination::of(&found, base);
            let projects = found.items.into_iter().map(|p| ProjectRow::of(&page, p)).collect();
            ProjectList { page, projects, total: found.total, pagination }.into_response()
        }),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

fn stages(page: &Page) -> Choices {
    options(ProjectStage::ALL, page, |s| (s.as_str(), s.label_zh(), s.label_en()))
}

async fn new_form(State(state): State<AppState>, CompanyDesk(page, actor): CompanyDesk) -> Response {
    let form = FormView::new(&[("stage", ProjectStage::Construction.as_str()), ("shortage", "0")]);
    render_new(&state, page, &actor, form, StatusCode::OK).await
}

async fn render_new(state: &AppState, page: Page, actor: &Actor, form: FormView, status: StatusCode) -> Response {
    let companies = match organizations(state, actor, OrgKind::Company).await {
        Ok(c) => c,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let stages = stages(&page);
    let form = form.labelled(&page, FIELD_LABELS);
    let action = "/app/projects/new".to_string();
    let view = ProjectPage { page, project: None, seats: 0, form, action, companies, stages };
    with_status(status, view)
}

async fn create(State(state): State<AppState>, CompanyDesk(page, actor): CompanyDesk, form: FormData) -> Response {
    let rejected = |errors| FormView::rejected(&form, &errors, page.lang);
    let new = match form.parse::<NewProject>() {
        Ok(new) => new,
        Err(errors) => {
            return render_new(&state, page.clone(), &actor, rejected(errors), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match services::projects::create(&state.db, &actor, new).await {
        Ok(project) => see_other_with_flash(&format!("/app/projects/{}", project.id), "flash-project-created"),
        Err(AppError::Validation(errors)) => {
            render_new(&state, page.clone(), &actor, rejected(errors), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn show(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let project = services::projects::get(&state.db, &actor, id).await.or_refused(&page)?;
    let form = FormView::from_record(&project.fields);
    Ok(render_project(page, project, form, StatusCode::OK))
}

fn render_project(page: Page, project: Project, form: FormView, status: StatusCode) -> Response {
    let seats = project.seats;
    let action = format!("/app/projects/{}", project.id);
    let stages = stages(&page);
    let project = Some(ProjectRow::of(&page, project));
    let form = form.labelled(&page, FIELD_LABELS);
    with_status(status, ProjectPage { page, project, seats, form, action, companies: Vec::new(), stages })
}

async fn update(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let project = services::projects::get(&state.db, &actor, id).await.or_refused(&page)?;
    let saved = match form.parse::<ProjectFields>() {
        Ok(fields) => match replacing(&fields) {
            Ok(patch) => services::projects::update(&state.db, &actor, id, patch).await,
            Err(error) => Err(error),
        },
        Err(errors) => Err(AppError::Validation(errors)),
    };
    Ok(match saved {
        Ok(_) => see_other_with_flash(&format!("/app/projects/{id}"), "flash-project-saved"),
        Err(error) => match FormView::refused(&form, error, page.lang) {
            Ok((status, form)) => render_project(page, project, form, status),
            Err(error) => ErrorPage::from_error(page, error),
        },
    })
}
