//! `/postings/{id}` — an open posting as anyone sees it. Drafts, closed and unknown
//! postings are the same 404 page (a company previewing its own draft sees it).

use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::format;
use crate::http::pages::templates::ErrorPage;
use crate::services::postings as service;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "pages/public/posting.html")]
pub struct PostingView {
    pub page: Page,
    pub id: i64,
    pub title: String,
    pub company: String,
    pub project: Option<String>,
    pub park: Option<String>,
    pub location: Option<String>,
    pub pay: Option<String>,
    pub category: &'static str,
    pub education: &'static str,
    pub headcount: i64,
    pub benefits: Vec<&'static str>,
    pub majors: Vec<String>,
    pub starts_on: Option<String>,
    pub closes_on: Option<String>,
    /// Shown with its line breaks (CSS `white-space: pre-line`), escaped like any text.
    pub description: Option<String>,
    /// Not open: only its company and coordinators get here; say so.
    pub status: Option<&'static str>,
}

pub async fn posting(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    // `/postings/abc` is a page that does not exist, not a bad request.
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return ErrorPage::from_error(page, AppError::NotFound);
    };
    let source = match service::get_named(&state.db, page.actor(), id).await {
        Ok(source) => source,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let p = source.posting.fields;
    let lang = page.lang;
    PostingView {
        id,
        title: p.title,
        company: source.organization_name,
        project: source.project_name,
        park: source.park,
        location: p.location,
        pay: format::salary(lang, p.salary_min, p.salary_max),
        category: page.label(p.category.label_zh(), p.category.label_en()),
        education: page.label(p.education_min.label_zh(), p.education_min.label_en()),
        headcount: p.headcount,
        benefits: p.benefits.iter().map(|b| page.label(b.label_zh(), b.label_en())).collect(),
        majors: p.majors.0,
        starts_on: p.starts_on.map(|d| format::date(lang, d)),
        closes_on: p.closes_on.map(|d| format::date(lang, d)),
        description: p.description.filter(|d| !d.trim().is_empty()),
        status: (p.status != crate::domain::PostingStatus::Open)
            .then(|| page.label(p.status.label_zh(), p.status.label_en())),
        page,
    }
    .into_response()
}
