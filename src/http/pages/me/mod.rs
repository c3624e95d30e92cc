//! `/me/{token}`: a graduate's own page, reached by the signed personal link the school
//! sends: what is held about them, their consent (withdraw or give), ranked choices,
//! published round placements, and a download of everything as JSON. No account: the link
//! is the key, so these answers are never cached and never indexed.

pub mod history;

use super::context::Page;
use super::form::FormData;
use super::format;
use super::i18n::Lang;
use super::pagination::{Pagination, page_request, past_the_end};
use super::site::see_other_with_flash;
use super::templates::{ErrorPage, with_status};
use crate::domain::consent::ConsentChange;
use crate::domain::event::shanghai;
use crate::http::AppState;
use crate::services::personal::{self, LinkProblem, Overview};
use crate::services::signing::TokenError;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use history::{ConsentLine, ConsentNow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/{token}", get(show))
        .route("/me/{token}/consent", post(set_consent))
        .route("/me/{token}/data.json", get(download))
        .route("/me/{token}/offers/{id}/answer", post(answer_offer))
}

/// A label and a value of the graduate's record.
pub struct Fact {
    pub label: String,
    pub value: String,
    /// Spans the whole width (long texts).
    pub wide: bool,
}

/// A ranked choice.
pub struct Choice {
    pub rank: i64,
    pub posting_id: i64,
    pub title: String,
    pub company: String,
    pub location: String,
    /// The posting's status when it is no longer open (a choice that cannot be matched).
    pub closed: Option<&'static str>,
}

/// A published round's outcome.
pub struct Outcome {
    pub round: String,
    pub published: Option<String>,
    /// "posting · company" when placed.
    pub placed: Option<String>,
    pub explanation: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/me/me.html")]
pub struct MePage {
    pub page: Page,
    pub token: String,
    pub name: String,
    pub school: String,
    pub link_expires: String,
    pub now: ConsentNow,
    pub history: Vec<ConsentLine>,
    pub history_total: i64,
    pub pagination: Pagination,
    pub facts: Vec<Fact>,
    pub choices: Vec<Choice>,
    pub outcomes: Vec<Outcome>,
    pub offers: Vec<MeOffer>,
    /// Why the consent form was refused, in the page's language.
    pub errors: Vec<String>,
}

/// An offer made to the graduate.
pub struct MeOffer {
    pub id: i64,
    pub posting: String,
    pub company: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub due: String,
    /// The reasons to decline with, while the graduate's side may still answer.
    pub reasons: Option<Vec<(String, String)>>,
}

fn me_offers(page: &Page, overview: &Overview) -> Vec<MeOffer> {
    use crate::domain::OfferStatus;
    overview
        .offers
        .iter()
        .map(|o| MeOffer {
            id: o.id,
            posting: o.posting_title.clone(),
            company: o.company_name.clone(),
            status_code: o.status.as_str(),
            status: page.label(o.status.label_zh(), o.status.label_en()),
            due: format::date_time(page.lang, o.due_at),
            reasons: (o.status == OfferStatus::Pending && o.graduate_answer.is_none() && o.due_at >= Utc::now()).then(
                || {
                    crate::domain::offer::GRADUATE_REASONS
                        .iter()
                        .map(|r| (r.code.to_string(), page.label(r.zh, r.en).to_string()))
                        .collect()
                },
            ),
        })
        .collect()
}

/// The link's problem as a page: altered (400), expired or its record gone (410).
#[derive(Template, WebTemplate)]
#[template(path = "pages/me/link_error.html")]
pub struct LinkErrorPage {
    pub page: Page,
    pub title: &'static str,
    pub body: &'static str,
}

fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex, nofollow"));
    response
}

fn problem_page(page: Page, problem: LinkProblem) -> Response {
    let (status, title, body) = match problem {
        LinkProblem::Token(TokenError::Invalid) => {
            (StatusCode::BAD_REQUEST, "me-link-invalid-title", "me-link-invalid-body")
        }
        LinkProblem::Token(TokenError::Expired) => (StatusCode::GONE, "me-link-expired-title", "me-link-expired-body"),
        LinkProblem::Gone => (StatusCode::GONE, "me-link-gone-title", "me-link-gone-body"),
        LinkProblem::App(error) => return private(ErrorPage::from_error(page, error)),
    };
    private(with_status(status, LinkErrorPage { page, title, body }))
}

fn facts(page: &Page, overview: &Overview) -> Vec<Fact> {
    let f = &overview.graduate.fields;
    let none = || page.t("me-none");
    let list = |items: &[String]| if items.is_empty() { none() } else { items.join("、") };
    let mut out = vec![
        (page.t("me-field-name"), f.name.clone(), false),
        (page.t("me-field-school"), overview.school_name.clone(), false),
        (page.t("me-field-student-no"), f.student_no.clone().unwrap_or_else(none), false),
        (page.t("me-field-class"), f.class_name.clone().unwrap_or_else(none), false),
        (
            page.t("me-field-gender"),
            f.gender.map_or_else(none, |g| page.label(g.label_zh(), g.label_en()).to_string()),
            false,
        ),
        (page.t("me-field-birth-date"), f.birth_date.map_or_else(none, |d| format::date(page.lang, d)), false),
        (page.t("me-field-id-number"), f.id_number.as_ref().map_or_else(none, |n| n.as_shown().to_string()), false),
        (page.t("me-field-major"), f.major.clone(), false),
        (page.t("me-field-education"), page.label(f.education.label_zh(), f.education.label_en()).to_string(), false),
        (page.t("me-field-graduation-year"), f.graduation_year.to_string(), false),
        (page.t("me-field-phone"), f.phone.as_ref().map_or_else(none, |p| p.as_str().to_string()), false),
        (page.t("me-field-email"), f.email.as_ref().map_or_else(none, |e| e.as_str().to_string()), false),
        (page.t("me-field-status"), page.label(f.status.label_zh(), f.status.label_en()).to_string(), false),
        (
            page.t("me-field-expected-salary"),
            f.expected_salary.and_then(|s| format::salary(page.lang, Some(s), Some(s))).unwrap_or_else(none),
            false,
        ),
        (page.t("me-field-available-from"), f.available_from.map_or_else(none, |d| format::date(page.lang, d)), false),
        (page.t("me-field-locations"), list(&f.preferred_locations.0), false),
        (page.t("me-field-skills"), list(&f.skills.0), true),
        (page.t("me-field-certificates"), list(&f.certificates.0), true),
    ];
    if let Some(summary) = f.summary.as_ref().filter(|s| !s.trim().is_empty()) {
        out.push((page.t("me-field-summary"), summary.clone(), true));
    }
    out.into_iter().map(|(label, value, wide)| Fact { label, value, wide }).collect()
}

fn view(page: Page, token: String, overview: Overview, errors: Vec<String>) -> MePage {
    let base = format!("/me/{token}");
    let now = history::now(&page, overview.graduate.fields.consent, overview.latest.as_ref());
    let history = overview.history.items.iter().map(|r| history::line(&page, r, None)).collect();
    let choices = overview
        .choices
        .iter()
        .map(|c| Choice {
            rank: c.rank,
            posting_id: c.posting_id,
            title: c.title.clone(),
            company: c.company_name.clone(),
            location: c.location.clone().unwrap_or_default(),
            closed: (c.status != crate::domain::PostingStatus::Open)
                .then(|| page.label(c.status.label_zh(), c.status.label_en())),
        })
        .collect();
    let outcomes = overview
        .rounds
        .iter()
        .map(|r| Outcome {
            round: r.round_name.clone(),
            published: r.published_at.map(|at| format::date_time(page.lang, at)),
            placed: r.row.posting_id.map(|_| {
                let title = r.row.posting_title.clone().unwrap_or_default();
                match &r.row.company_name {
                    Some(company) => format!("{title} · {company}"),
                    None => title,
                }
            }),
            explanation: match page.lang {
                Lang::Zh => r.row.explanation.zh.clone(),
                Lang::En => r.row.explanation.en.clone(),
            },
        })
        .collect();
    MePage {
        name: overview.graduate.fields.name.clone(),
        school: overview.school_name.clone(),
        link_expires: format::date(page.lang, overview.link_expires_at.with_timezone(&shanghai()).date_naive()),
        facts: facts(&page, &overview),
        now,
        history,
        history_total: overview.history.total,
        pagination: Pagination::of(&overview.history, &base),
        choices,
        outcomes,
        offers: me_offers(&page, &overview),
        errors,
        token,
        page,
    }
}

async fn show(State(state): State<AppState>, page: Page, Path(token): Path<String>) -> Response {
    let request = page_request(&page);
    match personal::overview(&state.db, &state.links, &token, request, Utc::now()).await {
        Ok(overview) => {
            if let Some(back) = past_the_end(&overview.history, &format!("/me/{token}")) {
                return private(back);
            }
            private(view(page, token, overview, Vec::new()).into_response())
        }
        Err(problem) => problem_page(page, problem),
    }
}

async fn set_consent(State(state): State<AppState>, page: Page, Path(token): Path<String>, form: FormData) -> Response {
    let answer = match form.parse::<ConsentChange>() {
        Ok(answer) => answer,
        Err(errors) => {
            let errors: Vec<String> = errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect();
            return match personal::overview(&state.db, &state.links, &token, page_request(&page), Utc::now()).await {
                Ok(overview) => {
                    private(with_status(StatusCode::UNPROCESSABLE_ENTITY, view(page, token, overview, errors)))
                }
                Err(problem) => problem_page(page, problem),
            };
        }
    };
    match personal::set_consent(&state.db, &state.links, &token, answer, Utc::now()).await {
        Ok(recorded) => {
            let key = match (recorded.changed, answer.given) {
                (false, _) => "me-flash-consent-unchanged",
                (true, true) => "me-flash-own-consent-given",
                (true, false) => "me-flash-own-consent-withdrawn",
            };
            private(see_other_with_flash(&format!("/me/{token}#consent"), key))
        }
        Err(problem) => problem_page(page, problem),
    }
}

async fn answer_offer(
    State(state): State<AppState>,
    page: Page,
    Path((token, id)): Path<(String, i64)>,
    form: FormData,
) -> Response {
    let refused = match form.parse::<crate::domain::offer::AnswerOffer>() {
        Ok(input) => match personal::answer_offer(&state.db, &state.links, &token, id, input, Utc::now()).await {
            Ok(_) => return private(see_other_with_flash(&format!("/me/{token}#offers"), "off-flash-answered")),
            Err(LinkProblem::App(e)) => e,
            Err(problem) => return problem_page(page, problem),
        },
        Err(errors) => crate::error::AppError::Validation(errors),
    };
    let (status, errors) = match refused {
        crate::error::AppError::Validation(errors) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect())
        }
        crate::error::AppError::Conflict(message) => (StatusCode::CONFLICT, vec![page.pick(&message).to_string()]),
        other => return private(ErrorPage::from_error(page, other)),
    };
    match personal::overview(&state.db, &state.links, &token, page_request(&page), Utc::now()).await {
        Ok(overview) => private(with_status(status, view(page, token, overview, errors))),
        Err(problem) => problem_page(page, problem),
    }
}

async fn download(State(state): State<AppState>, page: Page, Path(token): Path<String>) -> Response {
    match personal::export(&state.db, &state.links, &token, Utc::now()).await {
        Ok((id, data)) => {
            let body = serde_json::to_string_pretty(&data).unwrap_or_default();
            let disposition = format!("attachment; filename=\"xiaoqi-my-data-{id}.json\"");
            let mut response = (StatusCode::OK, body).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            private(response)
        }
        Err(problem) => problem_page(page, problem),
    }
}
