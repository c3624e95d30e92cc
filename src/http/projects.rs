use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, Params, Query};
use crate::domain::project::{NewProject, Project, ProjectPatch};
use crate::error::{AppError, Problem};
use crate::services::projects as service;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create, list)).routes(routes!(get_one, update, delete))
}

/// Create a project (companies: their own; coordinators: name `organization_id`).
#[utoipa::path(post, operation_id = "create_projects", path = "/projects", tag = "projects", security(("bearer" = [])), request_body = NewProject,
    responses((status = 201, body = Project, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewProject>,
) -> Result<(StatusCode, Json<Project>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &actor, new).await?)))
}

/// List projects (companies see their own).
#[utoipa::path(get, operation_id = "list_projects", path = "/projects", tag = "projects", security(("bearer" = [])),
    params(Params<ProjectQuery>),
    responses((status = 200, body = Page<Project>, description = "OK")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(ProjectQuery { organization_id, park, page }): Params<ProjectQuery>,
) -> Result<Json<Page<Project>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, organization_id, park.as_deref(), page).await?))
}

struct ProjectQuery {
    organization_id: Option<i64>,
    park: Option<String>,
    page: PageRequest,
}

impl FromQuery for ProjectQuery {
    fn from_query(query: &mut Query) -> Self {
        ProjectQuery {
            organization_id: query.id("organization_id", "the company"),
            park: query.text("park", "industrial park"),
            page: query.page(),
        }
    }
}

#[utoipa::path(get, operation_id = "get_projects", path = "/projects/{id}", tag = "projects", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Project, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Project>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, operation_id = "update_projects", path = "/projects/{id}", tag = "projects", params(("id" = i64, Path, description = "id")), security(("bearer" = [])), request_body = ProjectPatch,
    responses((status = 200, body = Project, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    patch: ProjectPatch,
) -> Result<Json<Project>, AppError> {
    Ok(Json(service::update(&state.db, &actor, id, patch).await?))
}

/// Delete a project that has no postings.
#[utoipa::path(delete, operation_id = "delete_projects", path = "/projects/{id}", tag = "projects", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 204, description = "Done, no content"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "Conflicts with other records")))]
async fn delete(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<StatusCode, AppError> {
    service::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
