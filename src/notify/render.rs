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
        Ok(Sender { from, host: crate::config::host_of(base_url) })
    }

    /// The default sender, [`Sender::DEFAULT_FROM`].
    pub fn for_base_url(base_url: &str) -> Sender {
        Sender::new(Sender::DEFAULT_FROM, base_url).expect("the default sender parses")
    }
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
        (None, NoticeKind::RoundResult) => {
            "【匹配结果】校企匹配结果已发布 / Matching results are published".to_string()
        }
        (None, NoticeKind::PersonalLink) => {
            "【个人页面】查看和管理您的求职信息 / Your personal page: see and manage your information".to_string()
        }
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
        _ => None,
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
        _ => match payload.checkin_qr.as_deref().and_then(|text| super::qr::png(text, 8)) {
            Some(png) => {
                let attachment: SinglePart = Attachment::new("checkin-qr.png".to_string())
                    .body(png, ContentType::parse("image/png").expect("static"));
                builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment))
            }
            None => builder.multipart(alternative),
        },
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
    let payload: NoticePayload = serde_json::from_str(payload_json).map_err(|e| RenderError::Payload(e.to_string()))?;
    render(&payload, sender, message_id(id, seed, &sender.host), now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notice::Recipient;

    fn round_result(email: &str) -> NoticePayload {
        NoticePayload {
            kind: NoticeKind::RoundResult,
            event: None,
            recipient: Recipient { email: email.into(), name: None, organization_id: None, organization_name: None },
            rsvp: None,
            unsubscribe_url: None,
            summary_zh: Some("共录用 3 人".into()),
            summary_en: Some("3 hired".into()),
            link: Some("http://127.0.0.1:8080/rounds/1".into()),
            checkin_qr: None,
        }
    }

    #[test]
    fn a_personal_link_has_its_subject_and_a_button_to_the_page() {
        let mut payload = round_result("chen@example.cn");
        payload.kind = NoticeKind::PersonalLink;
        payload.recipient.name = Some("陈嘉欣".into());
        payload.link = Some("https://xinqu.example.cn/me/abc.def.ghi".into());
        assert!(subject(&payload).starts_with("【个人页面】"), "{}", subject(&payload));
        let view = BodyView::new(&payload);
        let text = TextBody { v: &view }.render().unwrap();
        assert!(text.starts_with("陈嘉欣，您好！"), "{text}");
        assert!(text.contains("打开我的个人页面：https://xinqu.example.cn/me/abc.def.ghi"), "{text}");
        assert!(text.contains("Your personal page: https://xinqu.example.cn/me/abc.def.ghi"), "{text}");
        let html = HtmlBody { v: &view }.render().unwrap();
        assert!(html.contains("href=\"https://xinqu.example.cn/me/abc.def.ghi\""), "{html}");
        assert!(html.contains("打开我的个人页面") && html.contains("Open my personal page"));
        let sender = Sender::for_base_url("https://xinqu.example.cn");
        assert!(render(&payload, &sender, "<a@b>".into(), Utc::now()).is_ok());
    }

    #[test]
    fn an_approval_carries_its_check_in_pass_as_a_png() {
        let mut payload = round_result("hr@example.cn");
        payload.kind = NoticeKind::RegistrationDecision;
        payload.checkin_qr = Some("https://xinqu.example.cn/app/events/3/checkin?code=k.abc.def".into());
        let sender = Sender::for_base_url("https://xinqu.example.cn");
        let rendered = render(&payload, &sender, "<a@b>".into(), Utc::now()).unwrap();
        let raw = String::from_utf8_lossy(&rendered.message.formatted()).to_string();
        assert!(raw.contains("image/png") && raw.contains("checkin-qr.png"), "{raw}");
        payload.checkin_qr = None;
        let rendered = render(&payload, &sender, "<a@b>".into(), Utc::now()).unwrap();
        assert!(!String::from_utf8_lossy(&rendered.message.formatted()).contains("image/png"));
    }

    #[test]
    fn senders_parse_with_utf8_names_and_name_message_ids_by_host() {
        let sender = Sender::new("肇庆新区人才服务中心 <noreply@127.0.0.1>", "http://127.0.0.1:8080").unwrap();
        assert_eq!(sender.from.name.as_deref(), Some("肇庆新区人才服务中心"));
        assert_eq!(sender.host, "127.0.0.1");
        assert_eq!(Sender::for_base_url("https://xinqu.example.cn/app").host, "xinqu.example.cn");
        assert!(Sender::new("not an address", "http://x").is_err());
        let id = message_id(5, b"seed", "xinqu.example.cn");
        assert!(id.starts_with("<notice-5.") && id.ends_with("@xinqu.example.cn>"), "{id}");
        assert_eq!(id, message_id(5, b"seed", "xinqu.example.cn"), "stable across attempts");
        assert_ne!(id, message_id(5, b"other seed", "xinqu.example.cn"));
    }

    #[test]
    fn a_bad_recipient_or_a_missing_event_cannot_render() {
        let sender = Sender::for_base_url("http://localhost");
        let ok = render(&round_result("hr@example.cn"), &sender, "<a@b>".into(), Utc::now()).unwrap();
        assert_eq!(ok.message.headers().get_raw("Message-ID"), Some("<a@b>"));
        let bad = render(&round_result("hr at example"), &sender, "<a@b>".into(), Utc::now());
        assert!(matches!(bad, Err(RenderError::Address(_))), "{bad:?}");
        let mut no_event = round_result("hr@example.cn");
        no_event.kind = NoticeKind::Invitation;
        let bad = render(&no_event, &sender, "<a@b>".into(), Utc::now());
        assert!(matches!(bad, Err(RenderError::Payload(_))), "{bad:?}");
        assert!(render_stored(1, "{}", b"", &sender, Utc::now()).is_err());
    }
}
