//! `/app/graduates`: the school's roster from the database (exact and fresh right after an
//! import), searched by name, 学号, major or class and filtered by major, year, education,
//! consent, status and whether choices were ranked; a page at a time, with a bulk form
//! (personal links, posted to `/app/graduates/links`) and the same list as an Excel file.

use super::SchoolDesk;
use crate::domain::{Education, FieldErrors, GraduateStatus, OrgKind};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, options, organizations};
use crate::http::pages::form::FormView;
use crate::http::pages::pagination::{Pagination, past_the_end};
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::http::query::{FromQuery, Query};
use crate::services::roster::{self as service, RosterEntry};
use crate::services::{self, Actor};
use crate::store::graduates::RosterFilter;
use crate::store::{self, PageRequest};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/graduates", get(list)).route("/app/graduates/export.xlsx", get(export))
}

/// The roster's URL parameters: the filters and the page.
struct RosterQuery {
    filter: RosterFilter,
    page: PageRequest,
}

/// `yes` or `no` (also `true`/`false`, `1`/`0`).
fn yes_no(query: &mut Query, name: &str) -> Option<bool> {
    match query.text(name, "yes or no")?.as_str() {
        "yes" | "true" | "1" => Some(true),
        "no" | "false" | "0" => Some(false),
        _ => {
            query.errors.push(name, "must be yes or no / 必须是 yes 或 no");
            None
        }
    }
}

impl FromQuery for RosterQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = RosterFilter {
            organization_id: query.id("organization_id", "the school (coordinators)"),
            q: query.text("q", "name, 学号, major or class"),
            major: query.text("major", "exactly this major"),
            graduation_year: query.int("graduation_year", 1980, 2100, ""),
            education: query.get("education", ""),
            consent: yes_no(query, "consent"),
            status: query.get("status", ""),
            has_choices: yes_no(query, "choices"),
        };
        RosterQuery { filter, page: query.page() }
    }
}

/// The filters as URL parameters, in a fixed order (for links that keep them).
fn filter_pairs(filter: &RosterFilter) -> Vec<(&'static str, String)> {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    [
        ("q", filter.q.clone()),
        ("major", filter.major.clone()),
        ("graduation_year", filter.graduation_year.map(|y| y.to_string())),
        ("education", filter.education.map(|e| e.as_str().to_string())),
        ("consent", filter.consent.map(yes_no)),
        ("status", filter.status.map(|s| s.as_str().to_string())),
        ("choices", filter.has_choices.map(yes_no)),
        ("organization_id", filter.organization_id.map(|o| o.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect()
}

/// `path` with the filters as its query.
fn with_filters(path: &str, filter: &RosterFilter) -> String {
    let pairs = filter_pairs(filter);
    if pairs.is_empty() {
        return path.to_string();
    }
    format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// One graduate as a row of the roster.
pub struct RosterRow {
    pub id: i64,
    pub name: String,
    pub student_no: String,
    pub class_name: String,
    pub gender: &'static str,
    pub major: String,
    pub education: &'static str,
    pub graduation_year: i64,
    pub consent: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub choices: i64,
    /// The latest destination recorded (毕业去向), empty when none.
    pub destination: &'static str,
    /// Coordinators: the school's name.
    pub school: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/roster.html")]
pub struct RosterPage {
    pub page: Page,
    /// The filter form as the URL holds it (and the errors of a bad URL).
    pub form: FormView,
    pub majors: Choices,
    pub years: Choices,
    pub educations: Choices,
    pub statuses: Choices,
    pub consents: Choices,
    pub choice_states: Choices,
    /// Coordinators: the schools to choose from.
    pub schools: Choices,
    pub rows: Vec<RosterRow>,
    pub total: i64,
    /// Some filter is set (an empty list then says so, rather than "no graduates yet").
    pub filtered: bool,
    pub export_href: String,
    pub pagination: Pagination,
    pub coordinator: bool,
}

fn row(page: &Page, entry: RosterEntry, schools: &Choices) -> RosterRow {
    let g = entry.graduate;
    let f = g.fields;
    let school = g.organization_id.to_string();
    RosterRow {
        id: g.id,
        student_no: f.student_no.unwrap_or_default(),
        class_name: f.class_name.unwrap_or_default(),
        gender: f.gender.map_or("", |s| page.label(s.label_zh(), s.label_en())),
        major: f.major,
        education: page.label(f.education.label_zh(), f.education.label_en()),
        graduation_year: f.graduation_year,
        consent: f.consent,
        status: f.status.as_str(),
        status_label: page.label(f.status.label_zh(), f.status.label_en()),
        choices: entry.choices,
        destination: g.destination.map_or("", |d| page.label(d.label_zh(), d.label_en())),
        school: schools.iter().find(|(id, _)| *id == school).map(|(_, name)| name.clone()).unwrap_or_default(),
        name: f.name,
    }
}

/// The page around `rows`: the filter form, its options, the links.
async fn render(
    state: &AppState,
    page: Page,
    actor: &Actor,
    (filter, form): (&RosterFilter, FormView),
    found: Option<store::Page<RosterEntry>>,
) -> Result<RosterPage, AppError> {
    let schools = organizations(state, actor, OrgKind::School).await?;
    let (majors, years) = service::filter_values(&state.db, actor, filter.organization_id).await?;
    let yes_no = |yes: &str, no: &str| vec![("yes".to_string(), page.t(yes)), ("no".to_string(), page.t(no))];
    let base = with_filters("/app/graduates", filter);
    let (rows, total, pagination) = match found {
        Some(found) => {
            let pagination = Pagination::of(&found, &base);
            let total = found.total;
            (found.items.into_iter().map(|e| row(&page, e, &schools)).collect(), total, pagination)
        }
        None => (Vec::new(), 0, Pagination::default()),
    };
    Ok(RosterPage {
        form,
        majors: majors.into_iter().map(|m| (m.clone(), m)).collect(),
        years: years.into_iter().map(|y| (y.to_string(), y.to_string())).collect(),
        educations: options(Education::ALL, &page, |e| (e.as_str(), e.label_zh(), e.label_en())),
        statuses: options(GraduateStatus::ALL, &page, |s| (s.as_str(), s.label_zh(), s.label_en())),
        consents: yes_no("sc-consent-yes", "sc-consent-no"),
        choice_states: yes_no("sc-roster-choices-yes", "sc-roster-choices-no"),
        coordinator: actor.is_coordinator(),
        schools,
        rows,
        total,
        filtered: !filter_pairs(filter).is_empty(),
        export_href: with_filters("/app/graduates/export.xlsx", filter),
        pagination,
        page,
    })
}

/// The URL's query, read as the API reads its parameters.
fn raw_query(page: &Page) -> String {
    page.uri.split_once('?').map_or("", |(_, query)| query).to_string()
}

async fn list(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk) -> Response {
    let raw = raw_query(&page);
    let form = FormView::new(
        &serde_urlencoded::from_str::<Vec<(String, String)>>(&raw)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    match Query::read::<RosterQuery>(&raw) {
        Ok(RosterQuery { filter, page: request }) => {
            let found = match service::list(&state.db, &actor, filter.clone(), request).await {
                Ok(found) => found,
                Err(error) => return ErrorPage::from_error(page, error),
            };
            if let Some(back) = past_the_end(&found, &with_filters("/app/graduates", &filter)) {
                return back;
            }
            match render(&state, page.clone(), &actor, (&filter, form), Some(found)).await {
                Ok(view) => view.into_response(),
                Err(error) => ErrorPage::from_error(page, error),
            }
        }
        // A hand-edited or stale URL: the filters again, with what is wrong.
        Err(AppError::Validation(errors)) => {
            let form = rejected(form, &errors, &page);
            match render(&state, page.clone(), &actor, (&RosterFilter::default(), form), None).await {
                Ok(view) => with_status(StatusCode::UNPROCESSABLE_ENTITY, view),
                Err(error) => ErrorPage::from_error(page, error),
            }
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}

/// The filter form with the URL's errors beside its fields.
fn rejected(form: FormView, errors: &FieldErrors, page: &Page) -> FormView {
    let form = errors.0.iter().fold(form, |form, e| form.with_error(&e.field, page.pick(&e.message).to_string()));
    form.labelled(page, FILTER_LABELS)
}

/// The filters and the catalogue keys of their labels.
const FILTER_LABELS: &[(&str, &str)] = &[
    ("q", "sc-roster-q"),
    ("major", "sc-field-major"),
    ("graduation_year", "sc-field-graduation-year"),
    ("education", "sc-field-education"),
    ("consent", "sc-roster-consent-col"),
    ("status", "sc-field-status"),
    ("choices", "sc-roster-choices"),
    ("organization_id", "sc-field-school"),
    ("page", "sc-roster-page"),
    ("per_page", "sc-roster-page"),
];

/// The roster under the same filters as an Excel workbook (every page of it).
async fn export(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk) -> Response {
    let filter = match Query::read::<RosterQuery>(&raw_query(&page)) {
        Ok(RosterQuery { filter, .. }) => filter,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    match services::roster::export(&state.db, &actor, filter).await {
        Ok(bytes) => {
            let name = format!(
                "graduates-{}.xlsx",
                Utc::now().with_timezone(&crate::domain::event::shanghai()).format("%Y%m%d")
            );
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}
