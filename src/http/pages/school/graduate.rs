//! A graduate's pages: the record (ID number masked, with an audited "show" form), the
//! consent state, the ranked choices in short, suggested postings with the parts of the
//! score; the form to add a graduate and the same form to change one; and erasure, after
//! a confirmation step.

use super::choices::{ChosenLine, OfferedPosting, chosen_lines, suggested};
use super::{SchoolDesk, graduate_of};
use crate::domain::graduate::{Graduate, GraduateFields, NewGraduate};
use crate::domain::preference::MAX_CHOICES;
use crate::domain::{Education, Gender, GraduateStatus, OrgKind, Patch};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{Choices, OrRefused, Refused, options, organizations};
use crate::http::pages::form::{FormData, FormView, replacing_but};
use crate::http::pages::format;
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::services::{self, Actor, preferences};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

/// Postings suggested on the graduate's page.
const SUGGESTED: usize = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/graduates/new", get(new_form).post(create))
        .route("/app/graduates/{id}", get(show))
        .route("/app/graduates/{id}/edit", get(edit_form).post(update))
        .route("/app/graduates/{id}/id_number", post(reveal))
        .route("/app/graduates/{id}/erase", get(erase_form).post(erase))
        .route("/app/graduates/{id}/outcomes", post(record_destination))
}

/// A graduate as the page shows it: labels in the page's language, absent values empty.
pub struct GraduateView {
    pub id: i64,
    pub name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    /// Coordinators: the school.
    pub school: String,
    pub student_no: String,
    pub class_name: String,
    pub gender: &'static str,
    /// Masked, or whole after the "show" form.
    pub id_number: String,
    pub revealed: bool,
    pub birth_date: String,
    pub major: String,
    pub education: &'static str,
    pub graduation_year: i64,
    pub skills: String,
    pub certificates: String,
    pub locations: String,
    pub expected_salary: String,
    pub available_from: String,
    pub phone: String,
    pub email: String,
    pub summary: String,
    pub consent: bool,
    pub updated: String,
}

fn view(page: &Page, graduate: &Graduate, school: String) -> GraduateView {
    let f = &graduate.fields;
    let lang = page.lang;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| format::date(lang, d)).unwrap_or_default();
    GraduateView {
        id: graduate.id,
        name: f.name.clone(),
        status: f.status.as_str(),
        status_label: page.label(f.status.label_zh(), f.status.label_en()),
        school,
        student_no: f.student_no.clone().unwrap_or_default(),
        class_name: f.class_name.clone().unwrap_or_default(),
        gender: f.gender.map_or("", |g| page.label(g.label_zh(), g.label_en())),
        id_number: f.id_number.as_ref().map(|n| n.as_shown().to_string()).unwrap_or_default(),
        revealed: false,
        birth_date: date(f.birth_date),
        major: f.major.clone(),
        education: page.label(f.education.label_zh(), f.education.label_en()),
        graduation_year: f.graduation_year,
        skills: f.skills.join("、"),
        certificates: f.certificates.join("、"),
        locations: f.preferred_locations.join("、"),
        expected_salary: f.expected_salary.and_then(|s| format::salary(lang, Some(s), Some(s))).unwrap_or_default(),
        available_from: date(f.available_from),
        phone: f.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
        email: f.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
        summary: f.summary.clone().unwrap_or_default(),
        consent: f.consent,
        updated: format::date_time(lang, graduate.updated_at),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/graduate.html")]
pub struct GraduatePage {
    pub page: Page,
    pub graduate: GraduateView,
    pub chosen: Vec<ChosenLine>,
    pub max: usize,
    pub full: bool,
    pub suggestions: Vec<OfferedPosting>,
    /// 毕业去向: the recorded destinations, latest first, and the form to record one.
    pub destinations: Vec<DestinationLine>,
    pub destination_options: Choices,
    pub destination_errors: Vec<String>,
}

/// A recorded destination as the graduate page shows it.
pub struct DestinationLine {
    pub destination: &'static str,
    pub date: String,
    pub employer: String,
    pub note: String,
}

/// Destinations shown on the graduate page (the latest).
const DESTINATIONS_SHOWN: i64 = 20;

/// The school's name, for coordinators (a school's users know their own).
async fn school_name(state: &AppState, actor: &Actor, graduate: &Graduate) -> Result<String, AppError> {
    let schools = organizations(state, actor, OrgKind::School).await?;
    let id = graduate.organization_id.to_string();
    Ok(schools.into_iter().find(|(s, _)| *s == id).map(|(_, name)| name).unwrap_or_default())
}

async fn page_of(state: &AppState, page: Page, actor: &Actor, graduate: Graduate) -> Result<GraduatePage, AppError> {
    let ids = preferences::get_choices(&state.db, actor, graduate.id).await?.posting_ids;
    let chosen = chosen_lines(state, &page, actor, &ids).await?;
    let suggestions = suggested(state, &page, actor, graduate.id, &ids, SUGGESTED).await?;
    let school = school_name(state, actor, &graduate).await?;
    let recorded = services::outcomes::list(
        &state.db,
        actor,
        graduate.id,
        crate::store::PageRequest { page: 1, per_page: DESTINATIONS_SHOWN },
    )
    .await?;
    let destinations = recorded
        .items
        .into_iter()
        .map(|o| DestinationLine {
            destination: page.label(o.destination.label_zh(), o.destination.label_en()),
            date: format::date(page.lang, o.date),
            employer: o.employer_name.unwrap_or_default(),
            note: o.note.unwrap_or_default(),
        })
        .collect();
    let destination_options =
        options(crate::domain::Destination::ALL, &page, |d| (d.as_str(), d.label_zh(), d.label_en()));
    Ok(GraduatePage {
        destinations,
        destination_options,
        destination_errors: Vec::new(),
        graduate: view(&page, &graduate, school),
        full: ids.len() >= MAX_CHOICES,
        max: MAX_CHOICES,
        chosen,
        suggestions,
        page,
    })
}

async fn show(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = crate::http::pages::desk::path_id(&page, &id)?;
    // The page shows contact details: the read is audited.
    let graduate = services::graduates::read(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(page_of(&state, page.clone(), &actor, graduate).await.or_refused(&page)?.into_response())
}

/// Record a destination (毕业去向) from the graduate page's form.
async fn record_destination(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let id = graduate.id;
    let refused = match form.parse::<crate::domain::outcome::NewOutcome>() {
        Ok(new) => match services::outcomes::record(&state.db, &actor, id, new, chrono::Utc::now()).await {
            Ok(_) => {
                return Ok(see_other_with_flash(&format!("/app/graduates/{id}#destinations"), "off-flash-destination"));
            }
            Err(AppError::Validation(errors)) => errors,
            Err(other) => return Err(Refused::page(&page, other)),
        },
        Err(errors) => errors,
    };
    let mut view = page_of(&state, page.clone(), &actor, graduate).await.or_refused(&page)?;
    view.destination_errors = refused.0.iter().map(|e| format!("{}: {}", e.field, page.pick(&e.message))).collect();
    Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, view))
}

/// The same page with the whole ID number: each time is recorded in the audit log, and the
/// answer is not kept by the browser's cache.
async fn reveal(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let number = services::graduates::reveal_id_number(&state.db, &actor, graduate.id).await.or_refused(&page)?;
    let mut view = page_of(&state, page.clone(), &actor, graduate).await.or_refused(&page)?;
    if let Some(number) = number {
        view.graduate.id_number = number;
        view.graduate.revealed = true;
    }
    let mut response = view.into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The add and change form.
#[derive(Template, WebTemplate)]
#[template(path = "pages/school/graduate_form.html")]
pub struct GraduateForm {
    pub page: Page,
    pub heading: String,
    pub form: FormView,
    pub action: String,
    pub back: String,
    /// Adding: consent may be recorded with the graduate; changing: it has its own page.
    pub creating: bool,
    /// Changing: the graduate's id, name and consent as stored.
    pub graduate_id: i64,
    pub graduate_name: String,
    pub consent: bool,
    /// Coordinators adding a graduate: the schools it may belong to.
    pub schools: Choices,
    pub educations: Choices,
    pub genders: Choices,
    pub statuses: Choices,
}

/// The form's fields and the catalogue keys of their labels.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("organization_id", "sc-field-school"),
    ("name", "sc-field-name"),
    ("student_no", "sc-field-student-no"),
    ("gender", "sc-field-gender"),
    ("id_number", "sc-field-id-number"),
    ("birth_date", "sc-field-birth-date"),
    ("class_name", "sc-field-class"),
    ("major", "sc-field-major"),
    ("education", "sc-field-education"),
    ("graduation_year", "sc-field-graduation-year"),
    ("skills", "sc-field-skills"),
    ("certificates", "sc-field-certificates"),
    ("preferred_locations", "sc-field-locations"),
    ("expected_salary", "sc-field-expected-salary"),
    ("available_from", "sc-field-available-from"),
    ("phone", "sc-field-phone"),
    ("email", "sc-field-email"),
    ("consent", "sc-field-consent"),
    ("summary", "sc-field-summary"),
    ("status", "sc-field-status"),
];

/// What the form is for: its heading, where it posts, where "cancel" goes, and (changing)
/// the graduate.
struct Purpose {
    heading: String,
    action: String,
    back: String,
    graduate: Option<(i64, String, bool)>,
}

fn adding(page: &Page) -> Purpose {
    Purpose {
        heading: page.t("sc-new-title"),
        action: "/app/graduates/new".into(),
        back: "/app/graduates".into(),
        graduate: None,
    }
}

fn changing(page: &Page, graduate: &Graduate) -> Purpose {
    Purpose {
        heading: page.t1("sc-edit-title", "name", graduate.fields.name.clone()),
        action: format!("/app/graduates/{}/edit", graduate.id),
        back: format!("/app/graduates/{}", graduate.id),
        graduate: Some((graduate.id, graduate.fields.name.clone(), graduate.fields.consent)),
    }
}

async fn render_form(
    state: &AppState,
    page: Page,
    actor: &Actor,
    purpose: Purpose,
    form: FormView,
    status: StatusCode,
) -> Response {
    let creating = purpose.graduate.is_none();
    let schools = if creating { organizations(state, actor, OrgKind::School).await } else { Ok(Vec::new()) };
    let schools = match schools {
        Ok(schools) => schools,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let (graduate_id, graduate_name, consent) = purpose.graduate.unwrap_or_default();
    let view = GraduateForm {
        heading: purpose.heading,
        form: form.labelled(&page, FIELD_LABELS),
        action: purpose.action,
        back: purpose.back,
        creating,
        graduate_id,
        graduate_name,
        consent,
        schools,
        educations: options(Education::ALL, &page, |e| (e.as_str(), e.label_zh(), e.label_en())),
        genders: options(Gender::ALL, &page, |g| (g.as_str(), g.label_zh(), g.label_en())),
        statuses: options(GraduateStatus::ALL, &page, |s| (s.as_str(), s.label_zh(), s.label_en())),
        page,
    };
    with_status(status, view)
}

async fn new_form(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk) -> Response {
    let form = FormView::new(&[("status", "seeking")]);
    let purpose = adding(&page);
    render_form(&state, page, &actor, purpose, form, StatusCode::OK).await
}

/// A refused save drawn again: the input kept, each error beside its field; a 学号 already
/// on the roster is a 409.
async fn rejected(
    state: &AppState,
    page: Page,
    actor: &Actor,
    purpose: Purpose,
    form: &FormData,
    error: AppError,
) -> Response {
    match FormView::refused(form, error, page.lang) {
        Ok((status, view)) => render_form(state, page, actor, purpose, view, status).await,
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn create(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk, form: FormData) -> Response {
    let saved = match form.parse::<NewGraduate>() {
        Ok(new) => services::graduates::create(&state.db, &actor, new).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match saved {
        Ok(graduate) => see_other_with_flash(&format!("/app/graduates/{}", graduate.id), "sc-flash-graduate-created"),
        Err(error) => {
            let purpose = adding(&page);
            rejected(&state, page, &actor, purpose, &form, error).await
        }
    }
}

async fn edit_form(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let purpose = changing(&page, &graduate);
    let form = FormView::from_record(&graduate.fields);
    Ok(render_form(&state, page, &actor, purpose, form, StatusCode::OK).await)
}

/// The edit form as a patch replacing every field it shows (a field left blank is
/// cleared), except consent, which has its own page and records, and the ID number when
/// it comes back as shown (masked): that keeps the stored one, while a blank one clears it.
fn replacing(fields: &GraduateFields, keep_id_number: bool) -> Result<Patch<GraduateFields>, AppError> {
    replacing_but(fields, |map| {
        map.remove("consent");
        if keep_id_number {
            map.remove("id_number");
        } else {
            map.entry("id_number").or_insert(Value::Null);
        }
    })
}

async fn update(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let shown = graduate.fields.id_number.as_ref().map(|n| n.as_shown().to_string());
    let keep = shown.is_some() && form.get("id_number") == shown.as_deref();
    let sent = FormData(form.0.iter().filter(|(k, _)| !(keep && k == "id_number")).cloned().collect());
    let saved = match sent.parse::<GraduateFields>() {
        Ok(fields) => match replacing(&fields, keep) {
            Ok(patch) => services::graduates::update(&state.db, &actor, graduate.id, patch).await,
            Err(error) => Err(error),
        },
        Err(errors) => Err(AppError::Validation(errors)),
    };
    Ok(match saved {
        Ok(saved) => see_other_with_flash(&format!("/app/graduates/{}", saved.id), "sc-flash-graduate-saved"),
        Err(error) => {
            let purpose = changing(&page, &graduate);
            rejected(&state, page, &actor, purpose, &form, error).await
        }
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/erase.html")]
pub struct ErasePage {
    pub page: Page,
    pub graduate: GraduateView,
    pub choices: usize,
}

async fn erase_form(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    Ok(erase_page(&state, page.clone(), &actor, &graduate).await.or_refused(&page)?.into_response())
}

async fn erase_page(state: &AppState, page: Page, actor: &Actor, graduate: &Graduate) -> Result<ErasePage, AppError> {
    let choices = preferences::get_choices(&state.db, actor, graduate.id).await?.posting_ids.len();
    let school = school_name(state, actor, graduate).await?;
    Ok(ErasePage { graduate: view(&page, graduate, school), choices, page })
}

/// Erase after the confirmation step: without `confirm=yes` the confirmation is asked.
async fn erase(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    if form.get("confirm") != Some("yes") {
        return Ok(axum::response::Redirect::to(&format!("/app/graduates/{}/erase", graduate.id)).into_response());
    }
    services::graduates::delete(&state.db, &actor, graduate.id).await.or_refused(&page)?;
    Ok(see_other_with_flash("/app/graduates", "sc-flash-graduate-erased"))
}
