//! Graduates' destinations (毕业去向) in the Ministry of Education's categories, each with
//! the date it took effect. An accepted offer records `agreement`; schools record the rest.

use super::validation::request_schema;
use super::{Destination, Input, Parse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One recorded destination.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Outcome {
    pub id: i64,
    pub graduate_id: i64,
    pub school_id: i64,
    pub destination: Destination,
    /// The day it took effect.
    pub date: NaiveDate,
    pub employer_name: Option<String>,
    /// The accepted offer that recorded it, if any.
    pub offer_id: Option<i64>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

/// `POST /graduates/{id}/outcomes`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutcome {
    pub destination: Destination,
    pub date: NaiveDate,
    pub employer_name: Option<String>,
    pub note: Option<String>,
}

impl Parse for NewOutcome {
    fn parse(input: &mut Input) -> Option<Self> {
        let destination = input.required("destination");
        let date = input.required("date");
        let employer_name = input.text("employer_name", 200);
        let note = input.text("note", 500);
        Some(NewOutcome { destination: destination?, date: date?, employer_name, note })
    }
}

request_schema!(NewOutcome);
