//! Job fairs (双选会), symposiums (座谈会) and campus visits: when and where, how many
//! booths and seats, who is invited. Times are entered and shown in Asia/Shanghai and
//! stored in UTC.

use super::validation::FromField;
use super::{EventKind, EventStatus, Input};
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

impl FromField for LocalTime {
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

impl EventFields {
    pub fn parse(input: &mut Input) -> Option<Self> {
        let kind = input.required("kind");
        let title = input.required_text("title", 100);
        let description = input.text("description", 5000);
        let venue = input.required_text("venue", 200);
        let starts_at: Option<LocalTime> = input.required("starts_at");
        let ends_at: Option<LocalTime> = input.required("ends_at");
        let booth_capacity = input.int_in("booth_capacity", 0, 10_000, false).unwrap_or(0);
        let seat_capacity = input.int_in("seat_capacity", 0, 1_000_000, false).unwrap_or(0);
        let status = input.optional("status").unwrap_or(EventStatus::Scheduled);
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e.0 <= s.0
        {
            input.errors.push("ends_at", "must be after starts_at / 结束时间必须晚于开始时间");
        }
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
