//! `/app/postings`: the company's openings with their status; a posting's page with its
//! next steps (edit, preview as the public sees it, candidates, close); the form to post
//! one and the same form to change it.

use super::CompanyDesk;
use crate::domain::posting::{NewPosting, Posting, PostingFields};
use crate::domain::{Benefit, Category, Education, OrgKind, PostingStatus};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, organizations, path_id};
use crate::http::pages::form::{FormData, FormView, replacing};
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::services::{self, Actor};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/postings", get(list))
        .route("/app/postings/new", get(new_form).post(create))
        .route("/app/postings/{id}", get(show))
        .route("/app/postings/{id}/edit", get(edit_form).post(update))
        .route("/app/postings/{id}/close", post(close))
}

pub struct PostingRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub project: String,
    pub headcount: i64,
    pub salary: String,
    pub closes_on: String,
    pub updated: String,
}

/// A status filter above the list: its link, and whether it is the one shown.
pub struct StatusFilter {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/company/postings.html")]
pub struct PostingList {
    pub page: Page,
    pub filters: Vec<StatusFilter>,
    pub postings: Vec<PostingRow>,
    pub total: i64,
    pub pagination: Pagination,
    /// The list is filtered (an empty list then says so rather than "no postings yet").
    pub filtered: bool,
}

pub struct PostingDetail {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub is_open: bool,
    pub is_closed: bool,
    /// (id, name)
    pub project: Option<(i64, String)>,
    pub category: &'static str,
    pub education: &'static str,
    pub headcount: i64,
    /// Graduates placed by accepted offers.
    pub filled: i64,
    pub salary: String,
    pub location: String,
    pub benefits: Vec<&'static str>,
    pub majors: String,
    pub description: String,
    pub starts_on: String,
    pub closes_on: String,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/company/posting.html")]
pub struct PostingPage {
    pub page: Page,
    pub posting: PostingDetail,
}

/// The new-posting and edit-posting form.
#[derive(Template, WebTemplate)]
#[template(path = "pages/company/posting_form.html")]
pub struct PostingForm {
    pub page: Page,
    pub heading: String,
    pub form: FormView,
    pub action: String,
    pub back: String,
    /// For coordinators creating a posting: the companies it may belong to.
    pub companies: Choices,
    pub projects: Choices,
    pub categories: Choices,
    pub educations: Choices,
    pub benefits: Choices,
    pub statuses: Choices,
}

/// The form's fields and the catalogue keys of their labels.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("organization_id", "co-project-organization"),
    ("project_id", "co-posting-project"),
    ("title", "co-posting-title"),
    ("category", "co-posting-category"),
    ("education_min", "co-posting-education-min"),
    ("headcount", "co-posting-headcount"),
    ("salary_min", "co-posting-salary-min"),
    ("salary_max", "co-posting-salary-max"),
    ("location", "co-posting-location"),
    ("benefits", "co-posting-benefits"),
    ("majors", "co-posting-majors"),
    ("description", "co-posting-description"),
    ("starts_on", "co-posting-starts-on"),
    ("closes_on", "co-posting-closes-on"),
    ("status", "co-posting-status"),
];

/// The names of the projects the actor may see, by id (at most a page of a hundred).
async fn project_names(state: &AppState, actor: &Actor) -> Result<Choices, AppError> {
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let projects = services::projects::list(&state.db, actor, None, None, all).await?;
    Ok(projects.items.into_iter().map(|p| (p.id.to_string(), p.fields.name)).collect())
}

fn name_of(projects: &Choices, id: Option<i64>) -> Option<String> {
    let id = id?.to_string();
    projects.iter().find(|(p, _)| *p == id).map(|(_, name)| name.clone())
}

async fn list(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let status = query.get("status").and_then(|s| PostingStatus::parse(s));
    let found = services::postings::list_for_company(&state.db, &actor, None, status, page_request(&page)).await;
    let (found, projects) = match (found, project_names(&state, &actor).await) {
        (Ok(found), Ok(projects)) => (found, projects),
        (Err(error), _) | (_, Err(error)) => return ErrorPage::from_error(page, error),
    };
    let base = match status {
        Some(s) => format!("/app/postings?status={s}"),
        None => "/app/postings".to_string(),
    };
    if let Some(back) = past_the_end(&found, &base) {
        return back;
    }
    let pagination = Pagination::of(&found, &base);
    let mut filters = vec![StatusFilter {
        href: "/app/postings".into(),
        label: page.t("co-postings-filter-all"),
        current: status.is_none(),
    }];
    filters.extend(PostingStatus::ALL.iter().map(|s| StatusFilter {
        href: format!("/app/postings?status={s}"),
        label: page.label(s.label_zh(), s.label_en()).to_string(),
        current: status == Some(*s),
    }));
    let postings = found
        .items
        .into_iter()
        .map(|p| {
            let f = &p.fields;
            PostingRow {
                id: p.id,
                status: f.status.as_str(),
                status_label: page.label(f.status.label_zh(), f.status.label_en()),
                project: name_of(&projects, f.project_id).unwrap_or_default(),
                headcount: f.headcount,
                salary: format::salary(page.lang, f.salary_min, f.salary_max).unwrap_or_default(),
                closes_on: f.closes_on.map(|d| format::date(page.lang, d)).unwrap_or_default(),
                updated: format::date_time(page.lang, p.updated_at),
                title: p.fields.title,
            }
        })
        .collect();
    PostingList { page, filters, postings, total: found.total, pagination, filtered: status.is_some() }.into_response()
}

async fn show(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let posting = writable(&state, &page, &actor, &id).await?;
    let projects = project_names(&state, &actor).await.or_refused(&page)?;
    let f = &posting.fields;
    let lang = page.lang;
    let detail = PostingDetail {
        id: posting.id,
        title: f.title.clone(),
        status: f.status.as_str(),
        status_label: page.label(f.status.label_zh(), f.status.label_en()),
        is_open: f.status == PostingStatus::Open,
        is_closed: f.status == PostingStatus::Closed,
        project: f.project_id.and_then(|id| name_of(&projects, Some(id)).map(|name| (id, name))),
        category: page.label(f.category.label_zh(), f.category.label_en()),
        education: page.label(f.education_min.label_zh(), f.education_min.label_en()),
        headcount: f.headcount,
        filled: posting.filled,
        salary: format::salary(lang, f.salary_min, f.salary_max).unwrap_or_default(),
        location: f.location.clone().unwrap_or_default(),
        benefits: f.benefits.0.iter().map(|b| page.label(b.label_zh(), b.label_en())).collect(),
        majors: f.majors.0.join("、"),
        description: f.description.clone().unwrap_or_default(),
        starts_on: f.starts_on.map(|d| format::date(lang, d)).unwrap_or_default(),
        closes_on: f.closes_on.map(|d| format::date(lang, d)).unwrap_or_default(),
        updated: format::date_time(lang, posting.updated_at),
    };
    Ok(PostingPage { page, posting: detail }.into_response())
}

/// The posting behind `/app/postings/{id}/…`, if the actor may change it; otherwise the
/// error page (another company's posting does not exist for this one).
async fn writable(state: &AppState, page: &Page, actor: &Actor, id: &str) -> Result<Posting, Refused> {
    let id = path_id(page, id)?;
    let posting = services::postings::get(&state.db, Some(actor), id).await.or_refused(page)?;
    if actor.is_coordinator() || posting.organization_id == actor.organization_id {
        Ok(posting)
    } else {
        // Another company's open posting is public, but not this company's to manage.
        Err(Refused::page(page, AppError::NotFound))
    }
}

/// Draw the form; `statuses` are those the user may choose here.
async fn render_form(
    state: &AppState,
    page: Page,
    actor: &Actor,
    (heading, action, back): (String, String, String),
    form: FormView,
    statuses: &[PostingStatus],
    status: StatusCode,
) -> Response {
    let creating = action.ends_with("/new");
    let companies = if creating { organizations(state, actor, OrgKind::Company).await } else { Ok(Vec::new()) };
    let (companies, projects) = match (companies, project_names(state, actor).await) {
        (Ok(c), Ok(p)) => (c, p),
        (Err(error), _) | (_, Err(error)) => return ErrorPage::from_error(page, error),
    };
    let view = PostingForm {
        heading,
        form: form.labelled(&page, FIELD_LABELS),
        action,
        back,
        companies,
        projects,
        categories: options(Category::ALL, &page, |c| (c.as_str(), c.label_zh(), c.label_en())),
        educations: options(Education::ALL, &page, |e| (e.as_str(), e.label_zh(), e.label_en())),
        benefits: options(Benefit::ALL, &page, |b| (b.as_str(), b.label_zh(), b.label_en())),
        statuses: options(statuses, &page, |s| (s.as_str(), s.label_zh(), s.label_en())),
        page,
    };
    with_status(status, view)
}

/// A new posting is saved as a draft or published at once.
const NEW_STATUSES: &[PostingStatus] = &[PostingStatus::Open, PostingStatus::Draft];

fn new_labels(page: &Page) -> (String, String, String) {
    (page.t("co-posting-new-title"), "/app/postings/new".into(), "/app/postings".into())
}

async fn new_form(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let project = query.get("project_id").filter(|p| p.parse::<i64>().is_ok()).cloned().unwrap_or_default();
    let form = FormView::new(&[("status", "open"), ("project_id", project.as_str())]);
    let labels = new_labels(&page);
    render_form(&state, page, &actor, labels, form, NEW_STATUSES, StatusCode::OK).await
}

async fn create(State(state): State<AppState>, CompanyDesk(page, actor): CompanyDesk, form: FormData) -> Response {
    let saved = match form.parse::<NewPosting>() {
        Ok(new) => services::postings::create(&state.db, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(posting) => see_other_with_flash(&format!("/app/postings/{}", posting.id), "flash-posting-created"),
        Err(error) => match FormView::refused(&form, error, page.lang) {
            Ok((status, view)) => {
                let labels = new_labels(&page);
                render_form(&state, page, &actor, labels, view, NEW_STATUSES, status).await
            }
            Err(error) => ErrorPage::from_error(page, error),
        },
    }
}

fn edit_labels(page: &Page, posting: &Posting) -> (String, String, String) {
    (
        page.t1("co-posting-edit-title", "title", posting.fields.title.clone()),
        format!("/app/postings/{}/edit", posting.id),
        format!("/app/postings/{}", posting.id),
    )
}

async fn edit_form(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let posting = writable(&state, &page, &actor, &id).await?;
    let labels = edit_labels(&page, &posting);
    let form = FormView::from_record(&posting.fields);
    Ok(render_form(&state, page, &actor, labels, form, PostingStatus::ALL, StatusCode::OK).await)
}

async fn update(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let posting = writable(&state, &page, &actor, &id).await?;
    let saved = match form.parse::<PostingFields>() {
        Ok(fields) => match replacing(&fields) {
            Ok(patch) => services::postings::update(&state.db, &actor, posting.id, patch).await,
            Err(error) => Err(error),
        },
        Err(errors) => Err(AppError::Validation(errors)),
    };
    Ok(match saved {
        Ok(saved) => see_other_with_flash(&format!("/app/postings/{}", saved.id), "flash-posting-saved"),
        Err(error) => match FormView::refused(&form, error, page.lang) {
            Ok((status, view)) => {
                let labels = edit_labels(&page, &posting);
                render_form(&state, page, &actor, labels, view, PostingStatus::ALL, status).await
            }
            Err(error) => ErrorPage::from_error(page, error),
        },
    })
}

async fn close(
    State(state): State<AppState>,
    CompanyDesk(page, actor): CompanyDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let posting = writable(&state, &page, &actor, &id).await?;
    let closed = services::postings::close(&state.db, &actor, posting.id).await.or_refused(&page)?;
    Ok(see_other_with_flash(&format!("/app/postings/{}", closed.id), "flash-posting-closed"))
}
