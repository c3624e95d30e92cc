//! Fill per project and per park: shortage, seats posted, offers made, graduates placed,
//! and the weekly cumulative series of offers and placements.

use super::{Actor, end_of, own};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::store::{Db, reports};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The default span of the series: the last twelve weeks.
const DEFAULT_WEEKS: i64 = 12;
/// A series has a point every week, or fewer for long spans: at most about this many.
const MAX_POINTS: i64 = 156;

#[derive(Debug, Clone, Default)]
pub struct FillFilter {
    pub park: Option<String>,
    pub project_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A project's fill. `seats`: headcount of its open postings now; `offers`: offers made on
/// its postings (any status) up to `to`; `placed`: offers accepted by both sides up to `to`;
/// `open_shortage`: max(shortage − placed, 0).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FillRow {
    pub project_id: i64,
    pub project_name: String,
    pub company_id: i64,
    pub company_name: String,
    pub park: Option<String>,
    pub shortage: i64,
    pub seats: i64,
    pub offers: i64,
    pub placed: i64,
    pub open_shortage: i64,
}

/// The same figures summed over a park's projects (`park` null: projects without one).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParkFill {
    pub park: Option<String>,
    pub shortage: i64,
    pub seats: i64,
    pub offers: i64,
    pub placed: i64,
    pub open_shortage: i64,
}

/// Offers made and graduates placed up to and including `date` (cumulative).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FillPoint {
    pub date: NaiveDate,
    pub offers: i64,
    pub placed: i64,
}

/// Days are Asia/Shanghai days; the series has a point every seven days from `from` (every
/// 14, 21, … days when the span would give more than 156 points), and one on `to`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FillReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<FillRow>,
    pub parks: Vec<ParkFill>,
    pub series: Vec<FillPoint>,
}

/// The span asked for, or the last twelve weeks up to `today`.
fn span(filter: &FillFilter, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    // Up to today by default, or up to `from` when that is later (a span of one day).
    let to = filter.to.unwrap_or_else(|| filter.from.map_or(today, |from| from.max(today)));
    let from = filter.from.unwrap_or_else(|| to.checked_sub_signed(Duration::weeks(DEFAULT_WEEKS)).unwrap_or(to));
    if to < from {
        return Err(AppError::field("to", "must not be before `from` / 结束日期不能早于开始日期"));
    }
    Ok((from, to))
}

/// The points from `from` to `to`, always ending on `to`: every seven days, or every 7·k
/// days when a long span would make more than [`MAX_POINTS`].
fn points(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let weeks = (to - from).num_days() / 7;
    let step = Duration::weeks(weeks / MAX_POINTS + 1);
    let mut days: Vec<NaiveDate> =
        std::iter::successors(Some(from), |d| d.checked_add_signed(step)).take_while(|d| *d <= to).collect();
    if days.last() != Some(&to) {
        days.push(to);
    }
    days
}

pub async fn fill(db: &Db, actor: &Actor, filter: FillFilter, today: NaiveDate) -> AppResult<FillReport> {
    let (from, to) = span(&filter, today)?;
    // A company reads its own projects; everyone else every project.
    let company = if actor.role == Role::Company { own(actor) } else { None };
    let park = filter.park.as_deref();
    let mut conn = db.read().await?;
    let stored = reports::fill(&mut conn, park, filter.project_id, company, end_of(to)).await?;
    let times = reports::offer_times(&mut conn, park, filter.project_id, company, end_of(to)).await?;

    let rows: Vec<FillRow> = stored
        .into_iter()
        .map(|r| FillRow {
            open_shortage: (r.shortage - r.placed).max(0),
            project_id: r.project_id,
            project_name: r.project_name,
            company_id: r.company_id,
            company_name: r.company_name,
            park: r.park,
            shortage: r.shortage,
            seats: r.seats,
            offers: r.offers,
            placed: r.placed,
        })
        .collect();

    let mut by_park: BTreeMap<Option<String>, ParkFill> = BTreeMap::new();
    for r in &rows {
        let p = by_park.entry(r.park.clone()).or_insert_with(|| ParkFill {
            park: r.park.clone(),
            shortage: 0,
            seats: 0,
            offers: 0,
            placed: 0,
            open_shortage: 0,
        });
        p.shortage += r.shortage;
        p.seats += r.seats;
        p.offers += r.offers;
        p.placed += r.placed;
        // Summed per project: one project's surplus does not cover another's shortage.
        p.open_shortage += r.open_shortage;
    }
    // Named parks first (in name order), then the projects without one.
    let mut parks: Vec<ParkFill> = by_park.into_values().collect();
    parks.sort_by_key(|p| p.park.is_none());

    let series = points(from, to)
        .into_iter()
        .map(|date| {
            let end = end_of(date);
            FillPoint {
                date,
                offers: times.iter().filter(|(made, _)| *made < end).count() as i64,
                placed: times.iter().filter(|(_, placed)| placed.is_some_and(|at| at < end)).count() as i64,
            }
        })
        .collect();
    Ok(FillReport { from, to, rows, parks, series })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn points_are_weekly_and_end_on_the_last_day() {
        assert_eq!(
            points(day("2026-11-01"), day("2026-11-15")),
            [day("2026-11-01"), day("2026-11-08"), day("2026-11-15")]
        );
        assert_eq!(
            points(day("2026-11-01"), day("2026-11-10")),
            [day("2026-11-01"), day("2026-11-08"), day("2026-11-10")]
        );
        assert_eq!(points(day("2026-11-01"), day("2026-11-01")), [day("2026-11-01")]);
    }

    #[test]
    fn the_default_span_is_twelve_weeks_up_to_today() {
        let (from, to) = span(&FillFilter::default(), day("2026-11-30")).unwrap();
        assert_eq!((from, to), (day("2026-09-07"), day("2026-11-30")));
        let backwards = FillFilter { from: Some(day("2026-11-30")), to: Some(day("2026-11-01")), ..Default::default() };
        assert!(span(&backwards, day("2026-11-30")).is_err());
        let ahead = FillFilter { from: Some(day("2027-01-01")), ..Default::default() };
        assert_eq!(span(&ahead, day("2026-11-30")).unwrap(), (day("2027-01-01"), day("2027-01-01")));
    }

    #[test]
    fn a_long_span_has_fewer_points() {
        let points = points(day("0000-01-01"), day("9999-12-31"));
        assert!(points.len() <= 158, "{}", points.len());
        assert_eq!(points.last(), Some(&day("9999-12-31")));
        let two_years = super::points(day("2025-01-01"), day("2026-12-31"));
        assert_eq!(two_years[1] - two_years[0], Duration::weeks(1));
    }
}
