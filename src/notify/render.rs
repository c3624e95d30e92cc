//! From a [`NoticePayload`] to a complete e-mail: UTF-8 subject and names, a
//! `multipart/alternative` body (plain text and HTML), and for event notices an `.ics`.

use super::body::{BodyView, HtmlBody, TextBody};
use super::calendar::{self, Method};
use crate::domain::NoticeKind;
use crate::domain::notice::NoticePayload;
use askama::Template;
use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};

/// Who the mail is from, and the host that names its Message-IDs.
#[derive(Debug, Clone)]
pub struct Sender {
    pub from: Mailbox,
    /// Right-hand side of Message-IDs: the host of the public base URL.
    pub host: String,
}

impl Sender {
    pub const DEFAULT_FROM: &'static str = "xiaoqi 校企 <noreply@localhost>";

    /// `from` as an address with an optional UTF-8 name (`名称 <user@host>`);
    /// `base_url` as in `Settings.base_url`.
    pub fn new(from: &str, base_url: &str) -> Result<Sender, RenderError> {
        let from = from.parse::<Mailbox>().map_err(|e| RenderError::Address(format!("sender `{from}`: {e}")))?;
        Ok(Sender { from, host: host_of(base_url) })
    }

    /// The default sender, [`Sender::DEFAULT_FROM`].
    pub fn for_base_url(base_url: &str) -> Sender {
        Sender::new(Sender::DEFAULT_FROM, base_url).expect("the default sender parses")
    }
}

fn host_of(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// Why a notice cannot be rendered. Such a notice will never render: it fails at once.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("invalid payload: {0}")]
    Payload(String),
    #[error("invalid address: {0}")]
    Address(String),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("message: {0}")]
    Message(String),
}

/// A notice ready to send.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub message: Message,
    /// As in the `Message-ID` header, with angle brackets.
    pub message_id: String,
}

/// The Message-ID of notice `id`: `<notice-{id}.{token}@{host}>`. The token is a digest of
/// `seed` (the row's creation time and payload), unguessable but the same on every
/// attempt, so a message sent twice (see the worker's guarantee) carries one Message-ID
/// and mail systems that deduplicate on it show it once.
pub fn message_id(id: i64, seed: &[u8], host: &str) -> String {
    let digest = Sha256::new().chain_update(id.to_be_bytes()).chain_update(seed).finalize();
    let token: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("<notice-{id}.{token}@{host}>")
}

/// "【邀请函】2026肇庆新区校企双选会 / Invitation: 2026肇庆新区校企双选会".
pub fn subject(payload: &NoticePayload) -> String {
    let kind = payload.kind;
    match (&payload.event, kind) {
        (Some(event), _) => format!("【{}】{} / {}: {}", kind.label_zh(), event.title, kind.label_en(), event.title),
        (None, NoticeKind::RoundResult) => "【匹配结果】校企匹配结果已发布 / Matching results are published".to_string(),
        (None, _) => format!("【{}】xiaoqi 校企 / {}", kind.label_zh(), kind.label_en()),
    }
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

/// Build the e-mail for notice `id`. `now` is the Date header and the calendar's DTSTAMP.
pub fn render(
    payload: &NoticePayload,
    sender: &Sender,
    message_id: String,
    now: DateTime<Utc>,
) -> Result<Rendered, RenderError> {
    let recipient = &payload.recipient;
    let email = recipient
        .email
        .trim()
        .parse()
        .map_err(|e| RenderError::Address(format!("recipient `{}`: {e}", recipient.email)))?;
    let name = recipient.name.clone().or_else(|| recipient.organization_name.clone()).filter(|n| !n.trim().is_empty());
    let to = Mailbox::new(name, email);

    let view = BodyView::new(payload);
    let text = TextBody { v: &view }.render()?;
    let html = HtmlBody { v: &view }.render()?;
    let alternative = MultiPart::alternative_plain_html(text, html);

    let method = match payload.kind {
        NoticeKind::Invitation | NoticeKind::Update => Some(Method::Request),
        NoticeKind::Cancellation => Some(Method::Cancel),
        NoticeKind::Reminder | NoticeKind::RoundResult => None,
    };
    if method.is_some() && payload.event.is_none() {
        return Err(RenderError::Payload(format!("a {} needs an event", payload.kind)));
    }

    let mut builder = Message::builder()
        .from(sender.from.clone())
        .to(to)
        .subject(subject(payload))
        .message_id(Some(message_id.clone()))
        .date(now.into());
    if payload.kind == NoticeKind::Reminder
        && let Some(url) = payload.unsubscribe_url.as_deref()
    {
        // RFC 8058 one-click unsubscribe: mail clients POST to the URL.
        builder = builder
            .raw_header(header("List-Unsubscribe", format!("<{url}>")))
            .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".to_string()));
    }

    let message = match (method, &payload.event) {
        (Some(method), Some(event)) => {
            let ics = calendar::ics(event, method, &sender.from, recipient, now);
            let content_type = ContentType::parse(&format!("text/calendar; method={}; charset=UTF-8", method.as_str()))
                .map_err(|e| RenderError::Message(e.to_string()))?;
            let attachment: SinglePart = Attachment::new("invite.ics".to_string()).body(ics, content_type);
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
        }
        _ => builder.multipart(alternative),
    }
    .map_err(|e| RenderError::Message(e.to_string()))?;
    Ok(Rendered { message, message_id })
}

/// Parse a stored payload and render it.
pub fn render_stored(
    id: i64,
    payload_json: &str,
    seed: &[u8],
    sender: &Sender,
    now: DateTime<Utc>,
) -> Result<Rendered, RenderError> {
    let payload: NoticePayload =
        serde_json::from_str(payload_json).map_err(|e| RenderError::Payload(e.to_string()))?;
    render(&payload, sender, message_id(id, seed, &sender.host), now)
}
