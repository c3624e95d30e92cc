//! Pages behind the links in e-mails: one-click RSVP and unsubscribe. No login: the link's
//! signed token is the proof. GET shows a confirmation page (mail scanners that follow
//! links change nothing); POST records the answer. A tampered link is 400, an expired one 410.

use super::AppState;
use crate::domain::RegistrationStatus;
use crate::domain::event::shanghai;
use crate::search::snippet::escape;
use crate::services::notices::{self, LinkError, RsvpTarget};
use crate::services::signing::TokenError;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use std::collections::HashMap;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/rsvp/{token}", get(rsvp_page).post(rsvp_answer))
        .route("/unsubscribe/{token}", get(unsubscribe_page).post(unsubscribe))
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"{}\"></head>\
         <body><main id=\"main\"><section class=\"narrow signed-link\">{body}</section></main></body></html>",
        escape(title),
        super::pages::assets::stylesheet_href()
    );
    (status, Html(html)).into_response()
}

fn link_error(e: LinkError) -> Response {
    match e {
        LinkError::Token(TokenError::Invalid) => page(
            StatusCode::BAD_REQUEST,
            "链接无效 Invalid link",
            "<h1>链接无效</h1><p>该链接不完整或已被改动，请使用邮件中的原始链接。</p>\
             <p class=\"en\">This link is incomplete or was altered; please use the link in the e-mail as sent.</p>",
        ),
        LinkError::Token(TokenError::Expired) => page(
            StatusCode::GONE,
            "链接已过期 Link expired",
            "<h1>链接已过期</h1><p>活动已开始，无法再通过此链接回复。如需帮助请联系服务中心。</p>\
             <p class=\"en\">The event has started, so this link no longer takes answers. Please contact the service centre.</p>",
        ),
        LinkError::Conflict(message) => page(
            StatusCode::CONFLICT,
            "无法登记 Cannot record",
            &format!("<h1>无法登记</h1><p>{}</p>", escape(&message)),
        ),
        LinkError::App(e) => e.into_response(),
    }
}

/// An unsubscribe link expires by its age (`UNSUBSCRIBE_LINK_LIFETIME`), not with an event.
fn unsubscribe_error(e: LinkError) -> Response {
    match e {
        LinkError::Token(TokenError::Expired) => page(
            StatusCode::GONE,
            "链接已过期 Link expired",
            "<h1>链接已过期</h1><p>此退订链接已过期，请使用最近一封提醒邮件中的链接。</p>\
             <p class=\"en\">This unsubscribe link has expired; please use the link in a recent reminder.</p>",
        ),
        e => link_error(e),
    }
}

fn describe(target: &RsvpTarget) -> String {
    let f = &target.event.fields;
    let starts = f.starts_at.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M");
    let ends = f.ends_at.with_timezone(&shanghai()).format("%H:%M");
    format!(
        "<h1>{}</h1><p>{} · {starts}–{ends}（北京时间 Beijing time）<br>{}</p><p>{}</p>",
        escape(&f.title),
        escape(f.kind.label_zh()),
        escape(&f.venue),
        escape(&target.organization_name)
    )
}

fn answer_of(params: &HashMap<String, String>) -> Option<bool> {
    match params.get("answer").map(String::as_str) {
        Some("attend") => Some(true),
        Some("decline") => Some(false),
        _ => None,
    }
}

async fn rsvp_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let target = match notices::rsvp_target(&state.db, &state.links, &token, Utc::now()).await {
        Ok(t) => t,
        Err(e) => return link_error(e),
    };
    let attend = answer_of(&params).unwrap_or(true);
    let (zh, en, value) = if attend {
        ("确认参加", "Confirm attendance", "attend")
    } else {
        ("确认不参加", "Confirm: not attending", "decline")
    };
    let current = match target.current {
        Some(s) => format!("<p>当前登记状态 Current status: {} / {}</p>", s.label_zh(), s.label_en()),
        None => String::new(),
    };
    let body = format!(
        "{}{current}<form method=\"post\"><input type=\"hidden\" name=\"answer\" value=\"{value}\">\
         <button type=\"submit\">{zh} <span class=\"en\">{en}</span></button></form>",
        describe(&target)
    );
    page(StatusCode::OK, zh, &body)
}

async fn rsvp_answer(State(state): State<AppState>, Path(token): Path<String>, RawForm(form): RawForm) -> Response {
    let params: HashMap<String, String> = serde_urlencoded::from_bytes(&form).unwrap_or_default();
    let Some(attend) = answer_of(&params) else {
        return page(
            StatusCode::BAD_REQUEST,
            "回复无效 Invalid answer",
            "<h1>回复无效</h1><p>请选择参加或不参加。</p><p class=\"en\">Answer attend or decline.</p>",
        );
    };
    match notices::rsvp_answer(&state.db, &state.links, &token, attend, Utc::now()).await {
        Ok(target) => {
            let (zh, en) = match target.current {
                Some(RegistrationStatus::Declined) => ("已登记：不参加。", "Recorded: not attending."),
                _ => ("已登记参加，服务中心审核后将通知您。", "Recorded: attending. The service centre will confirm."),
            };
            // An attending answer holds a place but says nothing of what the organisation
            // brings: its page says what to complete before the service centre decides.
            let next = if target.current == Some(RegistrationStatus::Declined) {
                String::new()
            } else {
                format!(
                    "<p><strong>下一步：</strong>请登录后在活动页面完善报名信息——企业选择携带的岗位，学校填写带队学生人数和带队老师。\
                     </p><p class=\"en\">Next: sign in and complete the registration on the event's page — the postings a company \
                     brings, or how many graduates a school brings and their teacher.</p>\
                     <p><a class=\"button primary\" href=\"/app/events/{}\">完善报名 <span class=\"en\">Complete the registration</span></a></p>",
                    target.event.id
                )
            };
            page(StatusCode::OK, zh, &format!("{}<p>{zh}</p><p class=\"en\">{en}</p>{next}", describe(&target)))
        }
        Err(e) => link_error(e),
    }
}

async fn unsubscribe_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match notices::unsubscribe_email(&state.links, &token) {
        Ok(email) => page(
            StatusCode::OK,
            "退订提醒 Unsubscribe",
            &format!(
                "<h1>退订活动提醒</h1><p>{}</p><form method=\"post\"><button type=\"submit\">确认退订 \
                 <span class=\"en\">Stop reminders</span></button></form>",
                escape(&email)
            ),
        ),
        Err(e) => unsubscribe_error(e),
    }
}

async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match notices::unsubscribe(&state.db, &state.links, &token).await {
        Ok(email) => page(
            StatusCode::OK,
            "已退订 Unsubscribed",
            &format!(
                "<h1>已退订</h1><p>{} 将不再收到活动提醒。</p><p class=\"en\">No more reminders will be sent to this address.</p>",
                escape(&email)
            ),
        ),
        Err(e) => unsubscribe_error(e),
    }
}
