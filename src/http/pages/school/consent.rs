//! `/app/graduates/{id}/consent`: a graduate's consent as the school keeps it — the current
//! answer with its purpose and text version, the whole history (when, given or withdrawn,
//! how, by whom), a form to record the graduate's answer, and the graduate's personal link
//! to copy (for WeChat) or send by e-mail. `POST /app/graduates/links` e-mails personal
//! links to the graduates ticked on the roster (or the one on this page).

use super::SchoolDesk;
use crate::domain::consent::{CURRENT_TEXT, ConsentChange, PersonalLinks};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::Id;
use crate::http::pages::context::Page;
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::me::history::{self, ConsentLine, ConsentNow};
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::{see_other_with_flash, see_other_with_flash_counts};
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::services::{self, Actor};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/graduates/{id}/consent", get(show).post(record))
        .route("/app/graduates/links", post(send_links))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/consent.html")]
pub struct ConsentPage {
    pub page: Page,
    pub graduate_id: i64,
    pub name: String,
    /// 学号 · 专业 · 班级, what tells graduates apart.
    pub details: String,
    pub email: Option<String>,
    pub now: ConsentNow,
    pub history: Vec<ConsentLine>,
    pub total: i64,
    pub pagination: Pagination,
    /// The current consent text, which a recorded answer is given under.
    pub text_version: &'static str,
    pub text_purpose: String,
    pub link: String,
    pub link_expires: String,
    /// Why the last form was refused, in the page's language.
    pub errors: Vec<String>,
}

async fn load(
    state: &AppState,
    page: Page,
    actor: &Actor,
    id: i64,
    errors: Vec<String>,
) -> Result<ConsentPage, Response> {
    let base = format!("/app/graduates/{id}/consent");
    let graduate = match services::graduates::get(&state.db, actor, id).await {
        Ok(g) => g,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    // The history checks that the reader keeps this graduate (its school, coordinators).
    let found = match services::consent::history(&state.db, actor, id, page_request(&page)).await {
        Ok(found) => found,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    if let Some(back) = past_the_end(&found, &base) {
        return Err(back);
    }
    let latest = if found.page == 1 {
        found.items.first().map(|e| e.record.clone())
    } else {
        match services::consent::history(&state.db, actor, id, crate::store::PageRequest { page: 1, per_page: 1 }).await
        {
            Ok(first) => first.items.into_iter().next().map(|e| e.record),
            Err(e) => return Err(ErrorPage::from_error(page, e)),
        }
    };
    let link = match services::personal::link_for(&state.db, &state.links, actor, id).await {
        Ok(link) => link,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let f = &graduate.fields;
    let details = [f.student_no.clone(), Some(f.major.clone()), f.class_name.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let now = history::now(&page, f.consent, latest.as_ref());
    let history = found.items.iter().map(|e| history::line(&page, &e.record, e.recorded_by.as_deref())).collect();
    Ok(ConsentPage {
        graduate_id: id,
        name: f.name.clone(),
        details,
        email: f.email.as_ref().map(|e| e.as_str().to_string()),
        now,
        history,
        total: found.total,
        pagination: Pagination::of(&found, &base),
        text_version: CURRENT_TEXT.version,
        text_purpose: history::purpose(&page, CURRENT_TEXT.purpose_zh),
        link: link.url,
        link_expires: format::date(
            page.lang,
            link.expires_at.with_timezone(&crate::domain::event::shanghai()).date_naive(),
        ),
        errors,
        page,
    })
}

async fn show(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk, Id(id): Id) -> Response {
    match load(&state, page, &actor, id, Vec::new()).await {
        Ok(view) => view.into_response(),
        Err(response) => response,
    }
}

async fn record(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Id(id): Id,
    form: FormData,
) -> Response {
    let refused =
        |errors: crate::domain::FieldErrors| errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect();
    let answer = match form.parse::<ConsentChange>() {
        Ok(answer) => answer,
        Err(errors) => {
            let errors = refused(errors);
            return match load(&state, page.clone(), &actor, id, errors).await {
                Ok(view) => with_status(StatusCode::UNPROCESSABLE_ENTITY, view),
                Err(response) => response,
            };
        }
    };
    match services::consent::change(&state.db, &actor, id, answer).await {
        Ok(recorded) => {
            let key = match (recorded.changed, answer.given) {
                (false, _) => "me-flash-consent-unchanged",
                (true, true) => "me-flash-consent-given",
                (true, false) => "me-flash-consent-withdrawn",
            };
            see_other_with_flash(&format!("/app/graduates/{id}/consent"), key)
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}

/// Where to go back to after sending links: the roster (default), a graduate's page or
/// its consent page; never another site.
fn back_to(form: &FormData) -> String {
    let roster = "/app/graduates".to_string();
    let Some(back) = form.get("back") else { return roster };
    let rest = back.strip_prefix("/app/graduates/").unwrap_or("");
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if id_ok && (tail.is_empty() || tail == "consent") { back.to_string() } else { roster }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/consent_links.html")]
pub struct LinksRefused {
    pub page: Page,
    pub back: String,
    pub errors: Vec<String>,
}

async fn send_links(State(state): State<AppState>, SchoolDesk(page, actor): SchoolDesk, form: FormData) -> Response {
    let back = back_to(&form);
    let sent = match form.parse::<PersonalLinks>() {
        Ok(request) => services::personal::send(&state.db, &state.links, &actor, request).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match sent {
        Ok(q) => {
            see_other_with_flash_counts(&back, "me-flash-links-sent", &[q.queued, q.without_email, q.already_queued])
        }
        Err(AppError::Validation(errors)) => {
            let none_ticked = errors.0.iter().any(|e| e.field == "graduate_ids");
            let errors = if none_ticked {
                vec![page.t("me-links-none-ticked")]
            } else {
                errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect()
            };
            with_status(StatusCode::UNPROCESSABLE_ENTITY, LinksRefused { page, back, errors })
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}
