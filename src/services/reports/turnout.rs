//! Event turnout: invited, registered, approved, checked in, and no-shows (approved but
//! not checked in, counted once the event has ended).

use super::{Actor, own};
use crate::error::AppResult;
use crate::store::{Db, PageRequest, reports};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct TurnoutFilter {
    pub event_id: Option<i64>,
    pub page: PageRequest,
}

/// For a company or school the counts are of its own invitation and registration (0 or 1
/// each). `registered` leaves out registrations declined through the RSVP link.
/// `no_show` is 0 until `ended`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TurnoutRow {
    pub event_id: i64,
    pub title: String,
    #[serde(serialize_with = "crate::domain::event::in_shanghai")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::domain::event::in_shanghai")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: DateTime<Utc>,
    pub ended: bool,
    pub invited: i64,
    pub registered: i64,
    pub approved: i64,
    pub checked_in: i64,
    pub no_show: i64,
}

/// A page of events, latest first: `total`, `page` and `per_page` as lists have them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TurnoutReport {
    pub rows: Vec<TurnoutRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub async fn turnout(db: &Db, actor: &Actor, filter: TurnoutFilter, now: DateTime<Utc>) -> AppResult<TurnoutReport> {
    let mut conn = db.read().await?;
    let (stored, total) = reports::turnout(&mut conn, filter.event_id, own(actor), filter.page).await?;
    let rows = stored
        .into_iter()
        .map(|r| {
            let ended = r.ends_at <= now;
            TurnoutRow {
                event_id: r.event_id,
                title: r.title,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                ended,
                invited: r.invited,
                registered: r.registered,
                approved: r.approved,
                checked_in: r.checked_in,
                no_show: if ended { r.absent } else { 0 },
            }
        })
        .collect();
    Ok(TurnoutReport { rows, total, page: filter.page.page, per_page: filter.page.per_page })
}
