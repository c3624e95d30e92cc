//! The words of a notice: what the templates under `templates/email/` fill in. Chinese
//! first, English below, in both the plain-text and the HTML part.

use super::when;
use crate::domain::NoticeKind;
use crate::domain::notice::{NoticePayload, RsvpLinks};
use askama::Template;

/// The event as the mail shows it.
pub struct EventView {
    pub title: String,
    pub kind_zh: &'static str,
    pub kind_en: &'static str,
    pub when_zh: String,
    pub when_en: String,
    pub venue: String,
    pub description: Option<String>,
}

/// Everything a body template needs, already formatted.
pub struct BodyView {
    /// The notice kind's JSON name: the templates switch on it.
    pub kind: &'static str,
    pub greeting_zh: String,
    pub greeting_en: String,
    pub event: Option<EventView>,
    pub rsvp: Option<RsvpLinks>,
    pub unsubscribe_url: Option<String>,
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub link: Option<String>,
}

impl BodyView {
    pub fn new(payload: &NoticePayload) -> BodyView {
        let recipient = &payload.recipient;
        let name = recipient
            .name
            .as_deref()
            .or(recipient.organization_name.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let (greeting_zh, greeting_en) = match name {
            Some(name) => (format!("{name}，您好！"), format!("Dear {name},")),
            None => ("您好！".to_string(), "Hello,".to_string()),
        };
        let event = payload.event.as_ref().map(|e| EventView {
            title: e.title.clone(),
            kind_zh: e.kind.label_zh(),
            kind_en: e.kind.label_en(),
            when_zh: when::span_zh(e.starts_at, e.ends_at),
            when_en: when::span_en(e.starts_at, e.ends_at),
            venue: e.venue.clone(),
            description: e.description.clone().filter(|d| !d.trim().is_empty()),
        });
        // Answer links make sense only while the event is on.
        let rsvp = match payload.kind {
            NoticeKind::Invitation | NoticeKind::Update | NoticeKind::Reminder => payload.rsvp.clone(),
            _ => None,
        };
        BodyView {
            kind: payload.kind.as_str(),
            greeting_zh,
            greeting_en,
            event,
            rsvp,
            unsubscribe_url: payload.unsubscribe_url.clone(),
            summary_zh: payload.summary_zh.clone(),
            summary_en: payload.summary_en.clone(),
            link: payload.link.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "email/notice.txt")]
pub struct TextBody<'a> {
    pub v: &'a BodyView,
}

/// Escaped as HTML (by the `.html` extension).
#[derive(Template)]
#[template(path = "email/notice.html")]
pub struct HtmlBody<'a> {
    pub v: &'a BodyView,
}
