use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, Params, Query};
use crate::domain::organization::{NewOrganization, Organization, OrganizationPatch};
use crate::domain::user::User;
use crate::domain::{OrgKind, OrgStatus};
use crate::error::{AppError, Problem};
use crate::services::organizations::{self as service, ListFilter};
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create, list)).routes(routes!(get_one, update, delete))
}

/// A new organisation, with its first accounts (`users`) if given.
#[derive(Serialize, utoipa::ToSchema)]
struct Created {
    #[serde(flatten)]
    organization: Organization,
    users: Vec<User>,
}

/// Create an organisation (coordinators). Optional `users: [{email, password, role}]`
/// are created with it, all or nothing.
#[utoipa::path(post, operation_id = "create_organizations", path = "/organizations", tag = "organizations", security(("bearer" = [])),
    request_body = NewOrganization,
    responses((status = 201, body = Created, description = "Created"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 409, body = Problem, description = "The credit code or an account's e-mail is already registered, named in `errors`"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Parsed(new): Parsed<NewOrganization>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let (organization, users) = service::create(&state.db, &state.passwords, &actor, new).await?;
    Ok((StatusCode::CREATED, Json(Created { organization, users })))
}

/// List organisations, those awaiting review first (coordinators: all; others: their own).
#[utoipa::path(get, operation_id = "list_organizations", path = "/organizations", tag = "organizations", security(("bearer" = [])),
    params(Params<OrganizationQuery>),
    responses((status = 200, body = Page<Organization>, description = "OK"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(OrganizationQuery { filter, page }): Params<OrganizationQuery>,
) -> Result<Json<Page<Organization>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, filter, page).await?))
}

pub struct OrganizationQuery {
    pub filter: ListFilter,
    pub page: PageRequest,
}

impl FromQuery for OrganizationQuery {
    fn from_query(query: &mut Query) -> Self {
        let kind: Option<OrgKind> = query.get("kind", "");
        let status: Option<OrgStatus> = query.get("status", "vetting status: pending, approved or rejected");
        let q = query.text("q", "a part of the name");
        OrganizationQuery { filter: ListFilter { kind, status, q }, page: query.page() }
    }
}

#[utoipa::path(get, operation_id = "get_organizations", path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 200, body = Organization, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<Organization>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Change an organisation (JSON merge patch; coordinators), and vet a company: `status`
/// `approved` or `rejected` (with `status_reason`, mailed to the organisation), `checks`
/// made, `reverify_on` (default a year after approval). A decision is audited and mailed;
/// a company no longer approved has its open postings closed.
#[utoipa::path(patch, operation_id = "update_organizations", path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    request_body = OrganizationPatch,
    responses((status = 200, body = Organization, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "The credit code is already registered, named in `errors`"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    patch: OrganizationPatch,
) -> Result<Json<Organization>, AppError> {
    Ok(Json(service::update(&state.db, &state.links, &actor, id, patch, chrono::Utc::now()).await?))
}

/// Delete an organisation that has no accounts, projects, postings or graduates.
#[utoipa::path(delete, operation_id = "delete_organizations", path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path, description = "id")), security(("bearer" = [])),
    responses((status = 204, description = "Done, no content"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "Conflicts with other records")))]
async fn delete(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<StatusCode, AppError> {
    service::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
