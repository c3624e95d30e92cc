//! Reports the service centre answers to the district with: fill per project and park over
//! time, placements per school and major, destinations per school with the rates schools
//! report, and event turnout. Each report is counted by the store in one pass and shaped
//! here; `workbook` writes any of them as an Excel workbook.
//!
//! Who sees what: the coordinator everything; a company its own projects (fill), the
//! offers on its postings (placements) and its own registrations (turnout); a school the
//! fill of every project (what shortages exist is public information, as the postings
//! are), its own graduates (placements, destinations) and its own registrations (turnout).
//! Destinations are a school's business: companies get 403.

mod destinations;
mod fill;
mod placements;
mod turnout;
pub mod workbook;

pub use destinations::{DestinationFilter, DestinationReport, DestinationRow, destinations};
pub use fill::{FillFilter, FillPoint, FillReport, FillRow, ParkFill, fill};
pub use placements::{PlacementFilter, PlacementReport, PlacementRow, placements};
pub use turnout::{TurnoutFilter, TurnoutReport, TurnoutRow, turnout};

use super::Actor;
use crate::domain::Role;
use chrono::{NaiveDate, Utc};

/// The organisation whose own rows `actor` is limited to; none for coordinators.
fn own(actor: &Actor) -> Option<i64> {
    (actor.role != Role::Coordinator).then_some(actor.organization_id)
}

/// Today in Asia/Shanghai: the day reports count up to by default.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&crate::domain::event::shanghai()).date_naive()
}

/// The first instant after `day` ends in Asia/Shanghai, in UTC: "up to and including
/// `day`" is "before this". Capped within year 9999, so that stored times (four-digit years)
/// compare with it as text on SQLite too.
fn end_of(day: NaiveDate) -> chrono::DateTime<Utc> {
    let last = NaiveDate::from_ymd_opt(9999, 12, 30).unwrap_or(day);
    let next = day.min(last).succ_opt().unwrap_or(day);
    next.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::domain::event::shanghai()).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// A share of a whole, none when the whole is empty (a rate of nothing is not 0%).
fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
