//! Job fairs (双选会), symposiums (座谈会) and campus visits: when and where, how many
//! booths and seats, who is invited. Times are entered and shown in Asia/Shanghai and
//! stored in UTC.

use super::validation::{Bound, FromField, request_schema};
use super::{EventKind, EventStatus, Input, Parse};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// Asia/Shanghai: UTC+8 all year (China has had no daylight saving time since 1991).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// A time shown in Asia/Shanghai, e.g. `2026-12-10T14:00:00+08:00`.
pub fn in_shanghai<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.with_timezone(&shanghai()).to_rfc3339())
}

/// An instant entered by a client: with an offset (`…+08:00`, `…Z`), or without one, in
/// which case it is Asia/Shanghai local time (`2026-12-10T14:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime(pub DateTime<Utc>);

/// What [`LocalTime`] accepts: RFC 3339 with seconds and an offset, or a local time
/// (minutes, optionally seconds) without one.
const LOCAL_TIME_PATTERN: &str = concat!(
    "^",
    super::validation::calendar_day!(),
    "([Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
    "|[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)$"
);

impl FromField for LocalTime {
    fn schema() -> utoipa::openapi::schema::Schema {
        super::input_schema::described(
            super::input_schema::patterned(LOCAL_TIME_PATTERN, 35, None),
            "Asia/Shanghai when no offset is given, e.g. 2026-12-10T14:00. 未带时区时按北京时间。",
        )
    }

    fn from_field(value: &Value) -> Result<Self, String> {
        let text = value.as_str().ok_or("must be a date-time string, e.g. 2026-12-10T14:00 / 必须是日期时间")?;
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(LocalTime(at.with_timezone(&Utc)));
        }
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .and_then(|local| shanghai().from_local_datetime(&local).single())
            .map(|at| LocalTime(at.with_timezone(&Utc)))
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a date-time like 2026-12-10T14:00 (Asia/Shanghai) / 时间格式应为 2026-12-10T14:00"
                )
            })
    }
}

/// What a coordinator writes about an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EventFields {
    pub kind: EventKind,
    pub title: String,
    pub description: Option<String>,
    pub venue: String,
    /// Asia/Shanghai, e.g. `2026-12-10T14:00:00+08:00` (a time without offset is read as Asia/Shanghai).
    #[serde(serialize_with = "in_shanghai")]
    #[schema(value_type = String)]
    pub starts_at: DateTime<Utc>,
    #[serde(serialize_with = "in_shanghai")]
    #[schema(value_type = String)]
    pub ends_at: DateTime<Utc>,
    /// Company booths (one per registered company).
    pub booth_capacity: i64,
    /// Graduate seats (schools register how many graduates they bring).
    pub seat_capacity: i64,
    pub status: EventStatus,
}

/// Most organisations one event may invite.
pub const MAX_INVITED: usize = 2_000;

/// `POST /events` and, as a merge patch, `PATCH /events/{id}`: what a coordinator writes,
/// with the invited companies and schools.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub invited_organization_ids: Vec<i64>,
    pub fields: EventFields,
}

impl Parse for NewEvent {
    const READ_ONLY: &'static [&'static str] =
        &["id", "created_at", "updated_at", "revision", "booths_taken", "seats_taken"];

    fn parse(input: &mut Input) -> Option<Self> {
        let invited = input.id_list("invited_organization_ids", MAX_INVITED).unwrap_or_default();
        let fields = EventFields::parse(input);
        Some(Self { invited_organization_ids: invited, fields: fields? })
    }
}

request_schema!(NewEvent);

/// `PATCH /events/{id}`: every real change raises the revision; cancelling is
/// `{"status": "cancelled"}`.
pub type EventPatch = super::Patch<NewEvent>;

impl EventFields {
    /// `ends_at` must be after `starts_at`.
    fn parse(input: &mut Input) -> Option<Self> {
        let kind = input.required("kind");
        let title = input.required_text("title", 100);
        let description = input.multiline_text("description", 5000);
        let venue = input.required_text("venue", 200);
        let starts_at: Option<LocalTime> = input.required("starts_at");
        let ends_at: Option<LocalTime> = input.required("ends_at");
        let booth_capacity = input.int_in("booth_capacity", 0, 10_000, false).unwrap_or(0);
        let seat_capacity = input.int_in("seat_capacity", 0, 1_000_000, false).unwrap_or(0);
        let status = input.optional("status").unwrap_or(EventStatus::Scheduled);
        let message = "must be after starts_at / 结束时间必须晚于开始时间";
        input.bound_by("ends_at", ends_at.map(|t| t.0), Bound::After, "starts_at", starts_at.map(|t| t.0), message);
        Some(Self {
            kind: kind?,
            title: title?,
            description,
            venue: venue?,
            starts_at: starts_at?.0,
            ends_at: ends_at?.0,
            booth_capacity,
            seat_capacity,
            status,
        })
    }
}

/// An event as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub id: i64,
    #[serde(flatten)]
    pub fields: EventFields,
    /// Coordinators only: every invited organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_organization_ids: Option<Vec<i64>>,
    /// Increases with every change (the calendar SEQUENCE).
    pub revision: i64,
    /// Booths taken and seats taken by pending and approved registrations.
    pub booths_taken: i64,
    pub seats_taken: i64,
    #[serde(serialize_with = "in_shanghai")]
    #[schema(value_type = String)]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "in_shanghai")]
    #[schema(value_type = String)]
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape the documented pattern admits is read, and a day the calendar lacks is
    /// refused by both (the pattern's calendar is checked in `validation`).
    #[test]
    fn local_times_read_every_documented_shape() {
        for text in [
            "2026-12-10T14:00",
            "2026-12-10 14:00",
            "2026-12-10T14:00:05",
            "2026-12-10 14:00:05",
            "2026-12-10T14:00:05Z",
            "2026-12-10t14:00:05z",
            "2026-12-10 14:00:05.123456789+08:00",
            "2024-02-29T23:59:59-23:59",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59+00:00",
        ] {
            assert!(LocalTime::from_field(&Value::from(text)).is_ok(), "{text}");
        }
        for text in ["2026-04-31T14:00", "2025-02-29 14:00", "2026-12-10T24:00"] {
            assert!(LocalTime::from_field(&Value::from(text)).is_err(), "{text}");
        }
    }
}
