//! `GET /audit`: the audit log, for coordinators.

use super::AppState;
use super::extract::Auth;
use super::query::{FromQuery, Params, Query};
use crate::error::{AppError, Problem};
use crate::services::audit::{self as service, AuditQuery};
use crate::store::audit::AuditEntry;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The audit log, newest first (coordinators): sign-ins and failed sign-ins, reads of
/// contact details (`read_contact`) and ID numbers, exports, vetting decisions and every
/// write. `from` and `to` are Beijing days, both included.
#[utoipa::path(get, operation_id = "list_audit", path = "/audit", tag = "audit", security(("bearer" = [])),
    params(Params<AuditParams>),
    responses((status = 200, body = Page<AuditEntry>, description = "OK"), (status = 403, body = Problem, description = "Your role may not do this"), (status = 422, body = Problem, description = "Invalid fields, each named in `errors`")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(AuditParams { query, page }): Params<AuditParams>,
) -> Result<Json<Page<AuditEntry>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, query, page).await?))
}

pub struct AuditParams {
    pub query: AuditQuery,
    pub page: PageRequest,
}

impl FromQuery for AuditParams {
    fn from_query(query: &mut Query) -> Self {
        AuditParams {
            query: AuditQuery {
                organization_id: query.id("organization_id", "entries of this organisation"),
                user_id: query.id("user_id", "entries of what this user did"),
                action: query.text("action", "e.g. sign_in, sign_in_failed, read_contact, approve, reject, export"),
                entity: query.text("entity", "e.g. user, organization, graduate, posting"),
                from: query.get("from", "from this day (Beijing time), YYYY-MM-DD"),
                to: query.get("to", "until this day included (Beijing time), YYYY-MM-DD"),
            },
            page: query.page(),
        }
    }
}
