//! Offers after a published round, by role: a company confirms or declines each (with a
//! reason from its list), a school accepts or declines for each of its graduates, a
//! coordinator sees all of them (and may answer for a graduate). Each row shows the
//! deadline and both sides' answers; `/app/offers/{id}` adds the history.

use crate::domain::offer::{AnswerOffer, Offer, OfferDetail, reason_of};
use crate::domain::{OfferAnswer, OfferStatus, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::desk::{OrRefused, Refused, path_id};
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::pagination::{Pagination, page_request, past_the_end};
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::with_status;
use crate::http::pages::{Page, SignedIn};
use crate::services::offers::{self as service, Side};
use crate::services::{Actor, offers};
use crate::store::offers::Filter;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/offers", get(list))
        .route("/app/offers/{id}", get(show))
        .route("/app/offers/{id}/answer", post(answer))
}

/// One side's answer as shown.
pub struct AnswerView {
    pub code: &'static str,
    pub text: String,
}

/// An offer as its pages show it.
pub struct OfferView {
    pub id: i64,
    pub round_id: i64,
    pub graduate: String,
    pub school: String,
    pub posting: String,
    pub company: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub due: String,
    pub company_answer: AnswerView,
    pub graduate_answer: AnswerView,
    /// The reasons the reader may decline with, when the reader may answer now.
    pub reasons: Option<Vec<(String, String)>>,
    /// What accepting means for the reader: a company confirms the hire, a school (or a
    /// coordinator) accepts on the graduate's behalf.
    pub accept_label: String,
}

/// The side `actor` answers for.
fn side_of(actor: &Actor) -> Side {
    match actor.role {
        Role::Company => Side::Company,
        Role::School => Side::School,
        Role::Coordinator => Side::Coordinator,
    }
}

fn answer_view(page: &Page, answer: Option<OfferAnswer>, reason: Option<&str>, by: Option<&str>) -> AnswerView {
    let Some(answer) = answer else {
        return AnswerView { code: "none", text: page.t("off-answer-none") };
    };
    let mut text = page.label(answer.label_zh(), answer.label_en()).to_string();
    if let Some(r) = reason.and_then(reason_of) {
        text = format!("{text} · {}", page.label(r.zh, r.en));
    }
    if let Some(by) = by {
        text = format!("{text} ({})", page.t(&format!("off-by-{by}")));
    }
    AnswerView { code: answer.as_str(), text }
}

fn view(page: &Page, actor: &Actor, offer: Offer) -> OfferView {
    let side = side_of(actor);
    let own = if side == Side::Company { offer.company_answer } else { offer.graduate_answer };
    let open = offer.status == OfferStatus::Pending && offer.due_at >= Utc::now() && own.is_none();
    let reasons =
        open.then(|| side.reasons().iter().map(|r| (r.code.to_string(), page.label(r.zh, r.en).to_string())).collect());
    OfferView {
        id: offer.id,
        round_id: offer.round_id,
        graduate: offer.graduate_name.clone(),
        school: offer.school_name.clone(),
        posting: offer.posting_title.clone(),
        company: offer.company_name.clone(),
        status_code: offer.status.as_str(),
        status: page.label(offer.status.label_zh(), offer.status.label_en()),
        due: format::date_time(page.lang, offer.due_at),
        company_answer: answer_view(page, offer.company_answer, offer.company_reason.as_deref(), None),
        graduate_answer: answer_view(
            page,
            offer.graduate_answer,
            offer.graduate_reason.as_deref(),
            offer.graduate_answered_by.as_deref(),
        ),
        reasons,
        accept_label: page.t(if side == Side::Company { "off-accept-company" } else { "off-accept-graduate" }),
    }
}

/// A status tab.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/offers.html")]
pub struct OffersPage {
    pub page: Page,
    pub offers: Vec<OfferView>,
    pub total: i64,
    pub waiting: i64,
    pub role: &'static str,
    pub round_id: Option<i64>,
    pub tabs: Vec<Tab>,
    pub pagination: Pagination,
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let round_id = query.get("round_id").and_then(|v| v.parse::<i64>().ok()).filter(|id| *id > 0);
    let status = query.get("status").and_then(|v| OfferStatus::parse(v));
    let filter = Filter { round_id, status, ..Filter::default() };
    let found = offers::list(&state.db, &actor, filter, page_request(&page)).await.or_refused(&page)?;
    let round_query = round_id.map(|r| format!("round_id={r}"));
    let base = |status: Option<OfferStatus>| {
        let parts: Vec<String> =
            round_query.iter().cloned().chain(status.map(|s| format!("status={}", s.as_str()))).collect();
        if parts.is_empty() { "/app/offers".to_string() } else { format!("/app/offers?{}", parts.join("&")) }
    };
    if let Some(back) = past_the_end(&found, &base(status)) {
        return Ok(back);
    }
    let waiting = service::waiting(&state.db, &actor).await.or_refused(&page)?;
    let mut tabs = vec![Tab { href: base(None), label: page.t("off-tab-all"), current: status.is_none() }];
    for s in OfferStatus::ALL {
        tabs.push(Tab {
            href: base(Some(*s)),
            label: page.label(s.label_zh(), s.label_en()).to_string(),
            current: status == Some(*s),
        });
    }
    let pagination = Pagination::of(&found, &base(status));
    let offers = found.items.into_iter().map(|o| view(&page, &actor, o)).collect();
    let role = actor.role.as_str();
    Ok(OffersPage { page, offers, total: found.total, waiting, role, round_id, tabs, pagination }.into_response())
}

/// One change of the offer, as shown.
pub struct HistoryLine {
    pub at: String,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/offers_detail.html")]
pub struct OfferPage {
    pub page: Page,
    pub offer: OfferView,
    pub history: Vec<HistoryLine>,
    pub errors: Vec<String>,
}

fn offer_page(page: Page, actor: &Actor, detail: OfferDetail, errors: Vec<String>) -> OfferPage {
    let history = detail
        .history
        .iter()
        .map(|h| {
            let mut text = format!(
                "{} · {}",
                page.t(&format!("off-side-{}", h.side)),
                page.t(&format!("off-action-{}", h.action))
            );
            if let Some(r) = h.reason.as_deref().and_then(reason_of) {
                text = format!("{text} · {}", page.label(r.zh, r.en));
            }
            HistoryLine { at: format::date_time(page.lang, h.at), text }
        })
        .collect();
    let offer = view(&page, actor, detail.offer);
    OfferPage { page, offer, history, errors }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<String>) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let id = path_id(&page, &id)?;
    let detail = offers::get(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(offer_page(page, &actor, detail, Vec::new()).into_response())
}

async fn answer(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let id = path_id(&page, &id)?;
    let refused = match form.parse::<AnswerOffer>() {
        Ok(input) => match offers::answer(&state.db, &state.links, &actor, id, input, Utc::now()).await {
            Ok(_) => return Ok(see_other_with_flash(&format!("/app/offers/{id}"), "off-flash-answered")),
            Err(e) => e,
        },
        Err(errors) => AppError::Validation(errors),
    };
    let (status, errors) = match refused {
        AppError::Validation(errors) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect())
        }
        AppError::Conflict(message) => (StatusCode::CONFLICT, vec![page.pick(&message).to_string()]),
        other => return Err(Refused::page(&page, other)),
    };
    let detail = offers::get(&state.db, &actor, id).await.or_refused(&page)?;
    Ok(with_status(status, offer_page(page, &actor, detail, errors)))
}
