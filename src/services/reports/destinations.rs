//! Destinations per school on a cut-off date, with the rates schools report. Each
//! graduate counts once, with the latest destination taking effect on or before the date;
//! a graduate with none recorded by then is still seeking.
//!
//! The rates, each over all the school's graduates (of the year, when one is named):
//! - 就业率 employment: every destination except 待就业 (seeking) and 暂不就业 (not seeking),
//!   so further study, military service and going abroad count, as the Ministry's
//!   毕业去向落实率 does;
//! - 协议和合同就业率 contract: an employment agreement or a labour contract;
//! - 升学率 further study;
//! - 待就业率 seeking: 待就业, or nothing recorded by the date.

use super::{Actor, own, rate};
use crate::domain::{Destination, Role};
use crate::error::{AppError, AppResult};
use crate::store::{Db, reports};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default)]
pub struct DestinationFilter {
    pub on: Option<NaiveDate>,
    pub graduation_year: Option<i64>,
}

/// `by_destination` names every destination (zero when none); `unrecorded` counts the
/// graduates with no destination recorded by `on`. Rates are fractions of `graduates`
/// (0.25 is 25%), null when the school has no graduates.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DestinationRow {
    pub school_id: i64,
    pub school_name: String,
    pub graduates: i64,
    pub by_destination: BTreeMap<String, i64>,
    pub unrecorded: i64,
    pub employment_rate: Option<f64>,
    pub contract_rate: Option<f64>,
    pub further_study_rate: Option<f64>,
    pub seeking_rate: Option<f64>,
}

impl DestinationRow {
    pub fn count(&self, destination: Destination) -> i64 {
        self.by_destination.get(destination.as_str()).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DestinationReport {
    pub on: NaiveDate,
    pub graduation_year: Option<i64>,
    pub rows: Vec<DestinationRow>,
}

pub async fn destinations(
    db: &Db,
    actor: &Actor,
    filter: DestinationFilter,
    today: NaiveDate,
) -> AppResult<DestinationReport> {
    let school = match actor.role {
        Role::Coordinator => None,
        Role::School => own(actor),
        Role::Company => return Err(AppError::Forbidden),
    };
    let on = filter.on.unwrap_or(today);
    let mut conn = db.read().await?;
    let schools = reports::school_graduates(&mut conn, filter.graduation_year, school).await?;
    let mut counts: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for (school_id, destination, n) in reports::destinations(&mut conn, on, filter.graduation_year, school).await? {
        counts.entry(school_id).or_default().insert(destination, n);
    }
    let rows = schools
        .into_iter()
        .map(|s| {
            let found = counts.remove(&s.school_id).unwrap_or_default();
            let by_destination: BTreeMap<String, i64> = Destination::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), found.get(d.as_str()).copied().unwrap_or(0)))
                .collect();
            let n = |d: Destination| by_destination[d.as_str()];
            let recorded: i64 = by_destination.values().sum();
            let unrecorded = (s.graduates - recorded).max(0);
            let employed = recorded - n(Destination::Seeking) - n(Destination::NotSeeking);
            DestinationRow {
                employment_rate: rate(employed, s.graduates),
                contract_rate: rate(n(Destination::Agreement) + n(Destination::LabourContract), s.graduates),
                further_study_rate: rate(n(Destination::FurtherStudy), s.graduates),
                seeking_rate: rate(n(Destination::Seeking) + unrecorded, s.graduates),
                school_id: s.school_id,
                school_name: s.school_name,
                graduates: s.graduates,
                by_destination,
                unrecorded,
            }
        })
        .collect();
    Ok(DestinationReport { on, graduation_year: filter.graduation_year, rows })
}
