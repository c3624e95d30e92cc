//! `/app/organizations`: the vetting queue first (companies awaiting review, with their
//! count), then every organisation by kind, searchable by name; `/app/organizations/{id}`:
//! the details, the vetting form (what was checked, the decision, the reason, when to
//! check again) and the accounts; `/app/organizations/new`. The same services as the API.

use super::CoordinatorDesk;
use crate::domain::organization::{NewOrganization, Organization, OrganizationPatch, VettingCheck};
use crate::domain::{OrgKind, OrgStatus};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::organizations::OrganizationQuery;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, path_id};
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::with_status;
use crate::http::query::Query;
use crate::services::organizations::{self as service, ListFilter};
use crate::services::users;
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/organizations", get(list).post(create))
        .route("/app/organizations/new", get(new_form))
        .route("/app/organizations/{id}", get(show))
        .route("/app/organizations/{id}/vetting", post(vet))
}

pub struct Tab {
    pub href: String,
    pub label: String,
    pub count: Option<i64>,
    pub current: bool,
}

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub created: String,
    pub reverify: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/organizations.html")]
pub struct OrganizationsPage {
    pub page: Page,
    pub tabs: Vec<Tab>,
    pub q: String,
    /// The current tab's query (kept by the search form).
    pub status: String,
    pub kind: String,
    pub rows: Vec<OrgRow>,
    pub total: i64,
    pub pagination: Pagination,
}

fn status_label(page: &Page, status: OrgStatus) -> &'static str {
    page.label(status.label_zh(), status.label_en())
}

fn row(page: &Page, o: &Organization) -> OrgRow {
    OrgRow {
        id: o.id,
        name: o.fields.name.clone(),
        kind: page.label(o.fields.kind.label_zh(), o.fields.kind.label_en()),
        status: o.vetting.status.as_str(),
        status_label: status_label(page, o.vetting.status),
        created: format::date_time(page.lang, o.created_at),
        reverify: o.vetting.reverify_on.map(|d| format::date(page.lang, d)).unwrap_or_default(),
    }
}

async fn list(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
) -> Result<Response, Refused> {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query).to_string();
    let OrganizationQuery { filter, page: wanted } = Query::read::<OrganizationQuery>(&raw)
        .unwrap_or(OrganizationQuery { filter: ListFilter::default(), page: PageRequest::default() });
    let pending = service::pending_count(&state.db, &actor).await.or_refused(&page)?;
    let tab = |href: &str, key: &str, count: Option<i64>, current: bool| Tab {
        href: href.to_string(),
        label: page.t(key),
        count,
        current,
    };
    let (status, kind) = (filter.status, filter.kind);
    let tabs = vec![
        tab(
            "/app/organizations?status=pending",
            "adm-org-tab-pending",
            Some(pending),
            status == Some(OrgStatus::Pending),
        ),
        tab("/app/organizations", "adm-org-tab-all", None, status.is_none() && kind.is_none()),
        tab(
            "/app/organizations?kind=company",
            "adm-org-tab-companies",
            None,
            kind == Some(OrgKind::Company) && status.is_none(),
        ),
        tab("/app/organizations?kind=school", "adm-org-tab-schools", None, kind == Some(OrgKind::School)),
        tab("/app/organizations?status=rejected", "adm-org-tab-rejected", None, status == Some(OrgStatus::Rejected)),
    ];
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(s) = status {
        params.push(("status", s.as_str().to_string()));
    }
    if let Some(k) = kind {
        params.push(("kind", k.as_str().to_string()));
    }
    if let Some(q) = &filter.q {
        params.push(("q", q.clone()));
    }
    let base = match serde_urlencoded::to_string(&params).unwrap_or_default() {
        q if q.is_empty() => "/app/organizations".to_string(),
        q => format!("/app/organizations?{q}"),
    };
    let q = filter.q.clone().unwrap_or_default();
    let found = service::list(&state.db, &actor, filter, wanted).await.or_refused(&page)?;
    if let Some(back) = past_the_end(&found, &base) {
        return Ok(back);
    }
    let pagination = Pagination::of(&found, &base);
    let rows = found.items.iter().map(|o| row(&page, o)).collect();
    Ok(OrganizationsPage {
        tabs,
        q,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        rows,
        total: found.total,
        pagination,
        page,
    }
    .into_response())
}

pub struct Detail {
    pub label: String,
    pub value: String,
}

pub struct AccountRow {
    pub email: String,
    pub disabled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/organization.html")]
pub struct OrganizationPage {
    pub page: Page,
    pub id: i64,
    pub name: String,
    pub is_company: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub decided: String,
    pub details: Vec<Detail>,
    pub checks: Choices,
    pub decisions: Choices,
    pub form: FormView,
    pub accounts: Vec<AccountRow>,
    pub accounts_total: i64,
}

async fn detail(
    state: &AppState,
    page: Page,
    actor: &crate::services::Actor,
    org: Organization,
    form: Option<FormView>,
) -> Result<OrganizationPage, AppError> {
    let found = users::list(&state.db, actor, Some(org.id), None, PageRequest { page: 1, per_page: 20 }).await?;
    let none = || page.t("adm-none");
    let f = &org.fields;
    let details = [
        ("adm-org-kind", page.label(f.kind.label_zh(), f.kind.label_en()).to_string()),
        ("adm-org-credit-code", f.credit_code.as_ref().map(|c| c.as_str().to_string()).unwrap_or_else(none)),
        ("adm-org-contact", f.contact_name.clone().unwrap_or_else(none)),
        ("adm-org-email", f.contact_email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_else(none)),
        ("adm-org-phone", f.contact_phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_else(none)),
        ("adm-org-district", f.district.clone().unwrap_or_else(none)),
        ("adm-org-address", f.address.clone().unwrap_or_else(none)),
        ("adm-org-registered", format::date_time(page.lang, org.created_at)),
        ("adm-org-reverify", org.vetting.reverify_on.map(|d| format::date(page.lang, d)).unwrap_or_else(none)),
    ]
    .into_iter()
    .map(|(key, value)| Detail { label: page.t(key), value })
    .collect();
    let form = form.unwrap_or_else(|| FormView::from_record(&org.vetting)).labelled(
        &page,
        &[
            ("status", "adm-vet-decision"),
            ("status_reason", "adm-vet-reason"),
            ("checks", "adm-vet-checks"),
            ("reverify_on", "adm-vet-reverify"),
        ],
    );
    Ok(OrganizationPage {
        id: org.id,
        name: f.name.clone(),
        is_company: f.kind == OrgKind::Company,
        status: org.vetting.status.as_str(),
        status_label: status_label(&page, org.vetting.status),
        decided: org.vetting.decided_at.map(|at| format::date_time(page.lang, at)).unwrap_or_default(),
        details,
        checks: options(VettingCheck::ALL, &page, |c| (c.as_str(), c.label_zh(), c.label_en())),
        decisions: options(&[OrgStatus::Approved, OrgStatus::Rejected], &page, |s| {
            (s.as_str(), s.label_zh(), s.label_en())
        }),
        form,
        accounts: found
            .items
            .iter()
            .map(|u| AccountRow { email: u.email.as_str().to_string(), disabled: u.disabled })
            .collect(),
        accounts_total: found.total,
        page,
    })
}

async fn show(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let org = service::get(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(detail(&state, page.clone(), &actor, org, None).await.or_refused(&page)?.into_response())
}

/// The vetting form as a patch: every field it shows is replaced (a blank reason or date
/// is cleared, no box ticked is no checks).
fn vetting_patch(form: &FormData) -> Result<OrganizationPatch, AppError> {
    let blank_as_null = |name: &str| form.get(name).filter(|v| !v.trim().is_empty()).map_or(Value::Null, |v| json!(v));
    let checks: Vec<&str> = form.all("checks").into_iter().filter(|v| !v.is_empty()).collect();
    let body = json!({
        "status": form.get("status").unwrap_or_default(),
        "status_reason": blank_as_null("status_reason"),
        "checks": checks,
        "reverify_on": blank_as_null("reverify_on"),
    });
    Ok(OrganizationPatch::from_json(body)?)
}

async fn vet(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let saved = match vetting_patch(&form) {
        Ok(patch) => service::update(&state.db, &state.links, &actor, id, patch, Utc::now()).await,
        Err(error) => Err(error),
    };
    match saved {
        Ok(org) => {
            let key = match org.vetting.status {
                OrgStatus::Approved => "adm-vet-approved",
                OrgStatus::Rejected => "adm-vet-rejected",
                OrgStatus::Pending => "adm-vet-saved",
            };
            Ok(see_other_with_flash(&format!("/app/organizations/{id}"), key))
        }
        Err(error) => {
            let (status, view) = FormView::refused(&form, error, page.lang).or_refused(&page)?;
            let org = service::get(&state.db, &actor, id).await.or_refused(&page)?;
            let view = detail(&state, page.clone(), &actor, org, Some(view)).await.or_refused(&page)?;
            Ok(with_status(status, view))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/organization_new.html")]
pub struct NewOrganizationPage {
    pub page: Page,
    pub kinds: Choices,
    pub form: FormView,
}

const NEW_LABELS: &[(&str, &str)] = &[
    ("kind", "adm-org-kind"),
    ("name", "adm-org-name"),
    ("credit_code", "adm-org-credit-code"),
    ("contact_name", "adm-org-contact"),
    ("contact_email", "adm-org-email"),
    ("contact_phone", "adm-org-phone"),
    ("district", "adm-org-district"),
    ("address", "adm-org-address"),
];

fn new_page(page: Page, form: FormView) -> NewOrganizationPage {
    let kinds = options(&[OrgKind::Company, OrgKind::School], &page, |k| (k.as_str(), k.label_zh(), k.label_en()));
    let form = form.labelled(&page, NEW_LABELS);
    NewOrganizationPage { page, kinds, form }
}

async fn new_form(CoordinatorDesk(page, _): CoordinatorDesk) -> Response {
    new_page(page, FormView::new(&[("kind", "company")])).into_response()
}

async fn create(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    form: FormData,
) -> Result<Response, Refused> {
    let saved = match form.parse::<NewOrganization>() {
        Ok(new) => service::create(&state.db, &state.passwords, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok((org, _)) => Ok(see_other_with_flash(&format!("/app/organizations/{}", org.id), "adm-org-created")),
        Err(error) => {
            let (status, view) = FormView::refused(&form, error, page.lang).or_refused(&page)?;
            Ok(with_status(status, new_page(page, view)))
        }
    }
}
