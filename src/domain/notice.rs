//! What an e-mail notice carries from the request that queued it to the worker that
//! renders and sends it. Stored with the outbox row, so a notice always describes the
//! event as it was at the revision it announces.

use super::{EventKind, EventStatus, NoticeKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The event, as of the notice's revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSnapshot {
    pub id: i64,
    /// Stable per event: calendar clients update the same entry (`event-{id}@{host}`).
    pub uid: String,
    pub kind: EventKind,
    pub title: String,
    pub description: Option<String>,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// iCalendar SEQUENCE.
    pub revision: i64,
    pub status: EventStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub email: String,
    pub name: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
}

/// One-click answers for an invitation (signed, no login needed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RsvpLinks {
    pub attend_url: String,
    pub decline_url: String,
}

/// Everything rendering needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticePayload {
    pub kind: NoticeKind,
    pub event: Option<EventSnapshot>,
    pub recipient: Recipient,
    /// Invitations and updates.
    pub rsvp: Option<RsvpLinks>,
    /// Reminders: sent as `List-Unsubscribe`.
    pub unsubscribe_url: Option<String>,
    /// Round results: a short summary in each language and a link to the results.
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub link: Option<String>,
    /// An approved registration's check-in pass: what its QR code encodes (attached to
    /// the mail as a PNG). Absent in every other notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkin_qr: Option<String>,
}

impl NoticePayload {
    /// A notice told as a short summary in each language and a link (round results, offers,
    /// decisions, personal links): about no event, with nothing to answer by mail.
    pub fn summary(kind: NoticeKind, recipient: Recipient, zh: String, en: String, link: String) -> Self {
        NoticePayload {
            kind,
            event: None,
            recipient,
            rsvp: None,
            unsubscribe_url: None,
            summary_zh: Some(zh),
            summary_en: Some(en),
            link: Some(link),
            checkin_qr: None,
        }
    }
}
