//! `/app/audit`: the audit log with its filters as a GET form (organisation, user id,
//! action, entity, days), newest first, paginated. The same service as `GET /api/v1/audit`.

use super::CoordinatorDesk;
use crate::http::AppState;
use crate::http::audit::AuditParams;
use crate::http::pages::context::Page;
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, past_the_end};
use crate::http::pages::templates::ErrorPage;
use crate::http::query::Query;
use crate::services::audit::{self as service, AuditQuery};
use crate::services::organizations::{self as organizations, ListFilter};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/audit", get(list))
}

pub struct EntryRow {
    pub at: String,
    pub who: String,
    pub organization: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
    /// Failed sign-ins and the like stand out.
    pub alert: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/audit.html")]
pub struct AuditPage {
    pub page: Page,
    /// The filter form's values, as given.
    pub organization_id: String,
    pub user_id: String,
    pub action: String,
    pub entity: String,
    pub from: String,
    pub to: String,
    /// (id, name) of every organisation, for the select.
    pub organizations: Vec<(String, String)>,
    pub actions: Vec<(String, String)>,
    pub entities: Vec<String>,
    /// The filter could not be read: shown, and the whole log listed instead.
    pub invalid: bool,
    pub rows: Vec<EntryRow>,
    pub total: i64,
    pub pagination: Pagination,
}

/// An action as a reader says it; unknown ones as they are stored.
fn action_label(page: &Page, action: &str) -> String {
    let key = format!("adm-action-{}", action.replace('_', "-"));
    let text = page.t(&key);
    if text == key { action.to_string() } else { text }
}

fn text(value: &Option<impl ToString>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

async fn list(State(state): State<AppState>, CoordinatorDesk(page, actor): CoordinatorDesk) -> Response {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query).to_string();
    let (AuditParams { query, page: wanted }, invalid) = match Query::read::<AuditParams>(&raw) {
        Ok(params) => (params, false),
        Err(_) => (AuditParams { query: AuditQuery::default(), page: PageRequest::default() }, true),
    };
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let orgs = match organizations::list(&state.db, &actor, ListFilter::default(), all).await {
        Ok(found) => found.items,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let (actions, entities) = match service::vocabulary(&state.db, &actor).await {
        Ok(v) => v,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    // The list's address with the filters (not the page), for pagination.
    let filters: Vec<(&str, String)> = [
        ("organization_id", text(&query.organization_id)),
        ("user_id", text(&query.user_id)),
        ("action", text(&query.action)),
        ("entity", text(&query.entity)),
        ("from", text(&query.from)),
        ("to", text(&query.to)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let base = match serde_urlencoded::to_string(&filters).unwrap_or_default() {
        q if q.is_empty() => "/app/audit".to_string(),
        q => format!("/app/audit?{q}"),
    };
    let found = match service::list(&state.db, &actor, query.clone(), wanted).await {
        Ok(found) => found,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    if let Some(back) = past_the_end(&found, &base) {
        return back;
    }
    let pagination = Pagination::of(&found, &base);
    let rows = found
        .items
        .iter()
        .map(|e| EntryRow {
            at: format::date_time(page.lang, e.at),
            who: e
                .user_email
                .clone()
                .or(e.user_id.map(|id| format!("#{id}")))
                .unwrap_or_else(|| page.t("adm-audit-system")),
            organization: e.organization_name.clone().unwrap_or_default(),
            action: action_label(&page, &e.action),
            entity: match e.entity_id {
                Some(id) => format!("{} #{id}", e.entity),
                None => e.entity.clone(),
            },
            detail: e.detail.as_deref().map(|d| page.pick(d).to_string()).unwrap_or_default(),
            alert: e.action.ends_with("_failed"),
        })
        .collect();
    AuditPage {
        organizations: orgs.into_iter().map(|o| (o.id.to_string(), o.fields.name)).collect(),
        actions: actions.iter().map(|a| (a.clone(), action_label(&page, a))).collect(),
        entities,
        organization_id: text(&query.organization_id),
        user_id: text(&query.user_id),
        action: text(&query.action),
        entity: text(&query.entity),
        from: text(&query.from),
        to: text(&query.to),
        invalid,
        rows,
        total: found.total,
        pagination,
        page,
    }
    .into_response()
}
