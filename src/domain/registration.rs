//! Taking part in an event: a company with the postings it brings (one booth), a school
//! with the graduates it brings and the accompanying teacher (带队老师).

use super::validation::request_schema;
use super::{Input, NoticeKind, OrgKind, Parse, Phone, RegistrationStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub kind: OrgKind,
    /// Companies: the postings brought to the fair.
    #[schema(value_type = Vec<i64>)]
    pub posting_ids: Json<Vec<i64>>,
    /// Schools: how many graduates come.
    pub graduates: i64,
    /// Schools: the accompanying teacher (带队老师).
    pub teacher_name: Option<String>,
    pub teacher_phone: Option<String>,
    pub status: RegistrationStatus,
    /// `form` (registered through the API) or `rsvp` (answered an invitation's link).
    pub source: String,
    /// Approved registrations: the short code typed at the entrance (its QR code carries a
    /// signed token). Only the organisation itself and coordinators ever see it.
    pub checkin_code: Option<String>,
    /// Approved companies: the booth, zone letter and number (`A-07`).
    pub booth: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Approved, not checked in, and the event is over.
    #[sqlx(skip)]
    pub no_show: bool,
    /// Coordinators: how many earlier events (already over) this organisation was approved
    /// for and never came to.
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub past_no_shows: Option<i64>,
    #[serde(skip)]
    pub event_ends_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Registration {
    /// Fill in what depends on the clock: whether it is a no-show at `now`.
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.no_show =
            self.status == RegistrationStatus::Approved && self.checked_in_at.is_none() && self.event_ends_at <= now;
        self
    }

    /// The answer for someone other than the organisation itself or a coordinator.
    pub fn without_code(mut self) -> Self {
        self.checkin_code = None;
        self
    }
}

/// Most postings a company brings to one event.
pub const MAX_POSTINGS_BROUGHT: usize = 50;

/// `POST /events/{id}/registrations`: companies name the postings they bring (their own,
/// open); schools how many graduates come and the accompanying teacher. Coordinators
/// register an organisation by naming `organization_id`.
#[derive(Debug, Clone)]
pub struct RegistrationRequest {
    pub organization_id: Option<i64>,
    pub posting_ids: Vec<i64>,
    pub graduates: Option<i64>,
    pub teacher_name: Option<String>,
    pub teacher_phone: Option<Phone>,
}

impl Parse for RegistrationRequest {
    fn parse(input: &mut Input) -> Option<Self> {
        let organization_id = input.int_in("organization_id", 1, i64::MAX, false);
        let posting_ids = input.id_list("posting_ids", MAX_POSTINGS_BROUGHT).unwrap_or_default();
        let graduates = input.int_in("graduates", 1, 10_000, false);
        let teacher_name = input.text("teacher_name", 50);
        let teacher_phone = input.optional("teacher_phone");
        Some(Self { organization_id, posting_ids, graduates, teacher_name, teacher_phone })
    }
}

/// `PATCH /events/{id}/registrations/{registration_id}`: a coordinator's decision.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationDecision {
    pub status: RegistrationStatus,
}

impl Parse for RegistrationDecision {
    fn parse(input: &mut Input) -> Option<Self> {
        let status = input.required_among("status", &[RegistrationStatus::Approved, RegistrationStatus::Rejected]);
        Some(Self { status: status? })
    }
}

/// `POST /events/{id}/notices`: which notice to queue (round results are sent by publishing).
#[derive(Debug, Clone, Copy)]
pub struct NoticeRequest {
    pub kind: NoticeKind,
}

impl Parse for NoticeRequest {
    fn parse(input: &mut Input) -> Option<Self> {
        use NoticeKind::*;
        let kind = input.required_among("kind", &[Invitation, Reminder, Update, Cancellation]);
        Some(Self { kind: kind? })
    }
}

/// `POST /events/{id}/checkins`: the short code typed at the entrance, or the signed token
/// its QR code carries (a check-in URL holding it is accepted too).
#[derive(Debug, Clone)]
pub struct CheckinRequest {
    pub code: String,
}

impl Parse for CheckinRequest {
    fn parse(input: &mut Input) -> Option<Self> {
        let code = input.required_text("code", 600);
        Some(Self { code: code? })
    }
}

request_schema!(RegistrationRequest, RegistrationDecision, NoticeRequest, CheckinRequest);
