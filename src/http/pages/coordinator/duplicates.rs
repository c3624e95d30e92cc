//! `/app/duplicates`: graduates of two schools who may be one person, side by side, with
//! what made them look alike. A pair is merged keeping either record (after a confirmation
//! page that says what the merge will do, since the other record is erased) or marked as
//! two different people. The same services as `/api/v1/duplicates`.

use super::CoordinatorDesk;
use crate::domain::duplicate::{DuplicateReason, DuplicateStatus, MergeDuplicate};
use crate::domain::graduate::{Graduate, GraduateFields};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::duplicates::DuplicateQuery;
use crate::http::extract::Id;
use crate::http::pages::context::Page;
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::ErrorPage;
use crate::http::query::{FromQuery, Query};
use crate::services::duplicates::{self as service, DuplicatePair, MergePlan, PairMember};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/duplicates", get(list))
        .route("/app/duplicates/{id}/merge", get(confirm).post(merge))
        .route("/app/duplicates/{id}/dismiss", post(dismiss))
}

/// A link to the pairs of one status, with how many there are.
pub struct StatusTab {
    pub href: String,
    pub label: String,
    pub count: i64,
    pub current: bool,
}

/// One line of the comparison: a field's label and each record's value. `same` when both
/// hold the same value; `reason` when that is what made them look alike (marked strongest).
pub struct Row {
    pub field: &'static str,
    pub label: String,
    pub left: String,
    pub right: String,
    pub same: bool,
    pub reason: bool,
}

impl Row {
    /// The left and the right value.
    pub fn values(&self) -> [&str; 2] {
        [&self.left, &self.right]
    }

    /// The row's classes: `same`, and `reason` for the fields the pair was found by.
    pub fn class(&self) -> &'static str {
        match (self.same, self.reason) {
            (true, true) => "same reason",
            (true, false) => "same",
            _ => "",
        }
    }
}

/// One of the two records, as a column heading, with what became (or will become) of it.
pub struct Side {
    pub id: i64,
    /// 左侧记录 / Left record.
    pub heading: String,
    /// `kept` or `erased`, and its label; empty while nothing is decided.
    pub fate: &'static str,
    pub fate_label: String,
}

pub struct PairCard {
    pub id: i64,
    pub reason: &'static str,
    pub reason_label: &'static str,
    pub found: String,
    pub status: &'static str,
    /// What became of the pair, once merged or dismissed.
    pub outcome: Option<String>,
    pub left: Side,
    pub right: Side,
    pub rows: Vec<Row>,
}

impl PairCard {
    /// The left and the right record.
    pub fn sides(&self) -> [&Side; 2] {
        [&self.left, &self.right]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/duplicates.html")]
pub struct DuplicatesPage {
    pub page: Page,
    pub status: &'static str,
    pub tabs: Vec<StatusTab>,
    pub pairs: Vec<PairCard>,
    pub total: i64,
    pub pagination: Pagination,
}

/// A field of the record a merge keeps, as it will read.
pub struct ResultField {
    pub label: String,
    pub value: String,
    /// Taken from the record merged away.
    pub filled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/coordinator/duplicate_merge.html")]
pub struct MergePage {
    pub page: Page,
    pub pair: PairCard,
    pub keep: i64,
    /// "保留左侧记录（…），删除右侧记录（…）".
    pub summary: String,
    pub result: Vec<ResultField>,
    /// What else moves, one sentence each.
    pub moves: Vec<String>,
}

fn status_label(page: &Page, status: DuplicateStatus) -> &'static str {
    page.label(status.label_zh(), status.label_en())
}

fn reason_label(page: &Page, reason: DuplicateReason) -> &'static str {
    page.label(reason.label_zh(), reason.label_en())
}

/// The list's address for `status` (open is the default).
fn list_href(status: DuplicateStatus) -> String {
    match status {
        DuplicateStatus::Open => "/app/duplicates".to_string(),
        other => format!("/app/duplicates?status={}", other.as_str()),
    }
}

/// The values the comparison shows of one record; all empty for an erased one.
struct Shown {
    school: String,
    name: String,
    student_no: String,
    id_number: String,
    phone: String,
    major: String,
    education: String,
    graduation_year: String,
}

fn shown(page: &Page, member: &PairMember) -> Shown {
    let Some(g) = &member.graduate else {
        let none = String::new;
        return Shown {
            school: none(),
            name: none(),
            student_no: none(),
            id_number: none(),
            phone: none(),
            major: none(),
            education: none(),
            graduation_year: none(),
        };
    };
    let f = &g.fields;
    Shown {
        school: member.school_name.clone().unwrap_or_default(),
        name: f.name.clone(),
        student_no: f.student_no.clone().unwrap_or_default(),
        // Answers carry it masked already; only its shown form is used.
        id_number: f.id_number.as_ref().map(|n| n.masked().as_shown().to_string()).unwrap_or_default(),
        phone: f.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
        major: f.major.clone(),
        education: page.label(f.education.label_zh(), f.education.label_en()).to_string(),
        graduation_year: f.graduation_year.to_string(),
    }
}

/// The pair as a card; `keeping` names the record a merge being confirmed would keep.
fn card(page: &Page, pair: &DuplicatePair, keeping: Option<i64>) -> PairCard {
    let (a, b) = (&pair.graduates[0], &pair.graduates[1]);
    let (l, r) = (shown(page, a), shown(page, b));
    let found_by: &[&str] = match pair.reason {
        DuplicateReason::IdNumber => &["id_number"],
        DuplicateReason::NamePhone => &["name", "phone"],
    };
    let row = |field: &'static str, key: &str, left: &str, right: &str| Row {
        field,
        label: page.t(key),
        left: left.to_string(),
        right: right.to_string(),
        same: !left.is_empty() && left == right,
        reason: found_by.contains(&field),
    };
    let rows = vec![
        row("school", "coo-field-school", &l.school, &r.school),
        row("name", "coo-field-name", &l.name, &r.name),
        row("student_no", "coo-field-student-no", &l.student_no, &r.student_no),
        row("id_number", "coo-field-id-number", &l.id_number, &r.id_number),
        row("phone", "coo-field-phone", &l.phone, &r.phone),
        row("major", "coo-field-major", &l.major, &r.major),
        row("education", "coo-field-education", &l.education, &r.education),
        row("graduation_year", "coo-field-graduation-year", &l.graduation_year, &r.graduation_year),
    ];
    let side = |member: &PairMember, key: &str| {
        let (fate, label) = if member.graduate.is_none() {
            ("erased", "coo-erased")
        } else if pair.kept_id == Some(member.id) {
            ("kept", "coo-kept")
        } else if let Some(keep) = keeping {
            if keep == member.id { ("kept", "coo-will-keep") } else { ("erased", "coo-will-erase") }
        } else {
            ("", "")
        };
        let fate_label = if label.is_empty() { String::new() } else { page.t(label) };
        Side { id: member.id, heading: page.t(key), fate, fate_label }
    };
    let resolved = pair.resolved_at.map(|at| format::date_time(page.lang, at)).unwrap_or_default();
    let outcome = match pair.status {
        DuplicateStatus::Open => None,
        DuplicateStatus::Merged => {
            let key = if pair.kept_id == Some(a.id) { "coo-outcome-merged-left" } else { "coo-outcome-merged-right" };
            Some(page.t1(key, "when", resolved))
        }
        DuplicateStatus::Dismissed => Some(page.t1("coo-outcome-dismissed", "when", resolved)),
    };
    PairCard {
        id: pair.id,
        reason: pair.reason.as_str(),
        reason_label: reason_label(page, pair.reason),
        found: format::date_time(page.lang, pair.found_at),
        status: pair.status.as_str(),
        outcome,
        left: side(a, "coo-left"),
        right: side(b, "coo-right"),
        rows,
    }
}

async fn list(State(state): State<AppState>, CoordinatorDesk(page, actor): CoordinatorDesk) -> Response {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    // A bad link shows the open pairs' first page, as a bad page number does elsewhere.
    let DuplicateQuery { status, page: wanted } = Query::read::<DuplicateQuery>(raw)
        .unwrap_or(DuplicateQuery { status: DuplicateStatus::Open, page: Default::default() });
    let counts = match service::counts(&state.db, &actor).await {
        Ok(counts) => counts,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let base = list_href(status);
    match service::list(&state.db, &actor, status, wanted).await {
        Ok(found) => past_the_end(&found, &base).unwrap_or_else(|| {
            let pagination = Pagination::of(&found, &base);
            let tabs = counts
                .iter()
                .map(|(s, count)| StatusTab {
                    href: list_href(*s),
                    label: status_label(&page, *s).to_string(),
                    count: *count,
                    current: *s == status,
                })
                .collect();
            let pairs = found.items.iter().map(|p| card(&page, p, None)).collect();
            DuplicatesPage { page, status: status.as_str(), tabs, pairs, total: found.total, pagination }
                .into_response()
        }),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

/// The kept record's fields after the merge, those taken from the other marked.
fn result_fields(page: &Page, school: &str, plan: &MergePlan) -> Vec<ResultField> {
    let f: &GraduateFields = &plan.fields;
    let filled = |name: &str| plan.filled.contains(&name);
    let text = |value: Option<String>| value.unwrap_or_else(|| page.t("coo-none"));
    let list = |items: &[String]| if items.is_empty() { page.t("coo-none") } else { items.join("、") };
    let field = |key: &str, value: String, name: &str| ResultField { label: page.t(key), value, filled: filled(name) };
    vec![
        field("coo-field-school", school.to_string(), ""),
        field("coo-field-name", f.name.clone(), ""),
        field("coo-field-student-no", text(f.student_no.clone()), ""),
        field(
            "coo-field-id-number",
            text(f.id_number.as_ref().map(|n| n.masked().as_shown().to_string())),
            "id_number",
        ),
        field("coo-field-gender", text(f.gender.map(|g| page.label(g.label_zh(), g.label_en()).to_string())), "gender"),
        field("coo-field-birth-date", text(f.birth_date.map(|d| format::date(page.lang, d))), "birth_date"),
        field("coo-field-phone", text(f.phone.as_ref().map(|p| p.as_str().to_string())), "phone"),
        field("coo-field-email", text(f.email.as_ref().map(|e| e.as_str().to_string())), "email"),
        field("coo-field-major", f.major.clone(), ""),
        field("coo-field-education", page.label(f.education.label_zh(), f.education.label_en()).to_string(), ""),
        field("coo-field-graduation-year", f.graduation_year.to_string(), ""),
        field("coo-field-skills", list(&f.skills.0), "skills"),
        field("coo-field-certificates", list(&f.certificates.0), "certificates"),
        field("coo-field-locations", list(&f.preferred_locations.0), "preferred_locations"),
        field(
            "coo-field-salary",
            text(f.expected_salary.and_then(|s| format::salary(page.lang, Some(s), Some(s)))),
            "expected_salary",
        ),
        field("coo-field-available", text(f.available_from.map(|d| format::date(page.lang, d))), "available_from"),
        field("coo-field-status", page.label(f.status.label_zh(), f.status.label_en()).to_string(), "status"),
    ]
}

/// What moves besides the fields, one sentence each.
fn moves(page: &Page, plan: &MergePlan) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(if plan.choices_added == 0 {
        page.t("coo-moves-choices-none")
    } else {
        page.t1("coo-moves-choices", "count", plan.choices_added)
    });
    if plan.choices_dropped > 0 {
        lines.push(page.t1("coo-moves-choices-dropped", "count", plan.choices_dropped));
    }
    lines.push(if plan.shortlists.is_empty() {
        page.t("coo-moves-shortlists-none")
    } else {
        page.t1("coo-moves-shortlists", "count", plan.shortlists.len())
    });
    lines.push(if plan.consent_records == 0 {
        page.t("coo-moves-consent-none")
    } else {
        page.t1("coo-moves-consent", "count", plan.consent_records)
    });
    lines
}

fn who(graduate: &Graduate, school: &str) -> String {
    format!("{} · {}", school, graduate.fields.name)
}

async fn confirm(State(state): State<AppState>, CoordinatorDesk(page, actor): CoordinatorDesk, Id(id): Id) -> Response {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    let merge = match Query::read::<KeepQuery>(raw) {
        Ok(KeepQuery(Some(keep))) => MergeDuplicate { keep },
        Ok(KeepQuery(None)) => return ErrorPage::from_error(page, AppError::field("keep", "is required / 必填")),
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let (pair, plan) = match service::preview(&state.db, &actor, id, merge).await {
        Ok(found) => found,
        Err(AppError::Conflict(_)) => return already_resolved(),
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let school_of = |member: Option<&PairMember>| member.and_then(|m| m.school_name.clone()).unwrap_or_default();
    let kept_school = school_of(pair.member(plan.keep.id));
    let other_school = school_of(pair.member(plan.other.id));
    let keeping_left = pair.graduates[0].id == plan.keep.id;
    let summary = page.t2(
        if keeping_left { "coo-merge-summary-left" } else { "coo-merge-summary-right" },
        "kept",
        who(&plan.keep, &kept_school),
        "erased",
        who(&plan.other, &other_school),
    );
    let result = result_fields(&page, &kept_school, &plan);
    let moves = moves(&page, &plan);
    let pair = card(&page, &pair, Some(plan.keep.id));
    MergePage { page, pair, keep: plan.keep.id, summary, result, moves }.into_response()
}

/// `?keep=`: the graduate a merge would keep.
struct KeepQuery(Option<i64>);

impl FromQuery for KeepQuery {
    fn from_query(query: &mut Query) -> Self {
        KeepQuery(query.id("keep", "the graduate to keep"))
    }
}

/// A pair someone else has just merged or dismissed: back to the list, saying so.
fn already_resolved() -> Response {
    see_other_with_flash("/app/duplicates", "flash-coo-already-resolved")
}

async fn merge(
    State(state): State<AppState>,
    CoordinatorDesk(page, actor): CoordinatorDesk,
    Id(id): Id,
    form: FormData,
) -> Response {
    let merge = match form.parse::<MergeDuplicate>() {
        Ok(merge) => merge,
        Err(errors) => return ErrorPage::from_error(page, AppError::Validation(errors)),
    };
    match service::merge(&state.db, &actor, id, merge).await {
        Ok(_) => see_other_with_flash("/app/duplicates", "flash-coo-merged"),
        Err(AppError::Conflict(_)) => already_resolved(),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn dismiss(State(state): State<AppState>, CoordinatorDesk(page, actor): CoordinatorDesk, Id(id): Id) -> Response {
    match service::dismiss(&state.db, &actor, id).await {
        Ok(_) => see_other_with_flash("/app/duplicates", "flash-coo-dismissed"),
        Err(AppError::Conflict(_)) => already_resolved(),
        Err(error) => ErrorPage::from_error(page, error),
    }
}
