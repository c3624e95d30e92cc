//! Placements per school and major: offers made to the school's graduates of each major,
//! and how many of them were accepted by both sides.

use super::{Actor, own};
use crate::domain::Role;
use crate::error::AppResult;
use crate::store::{Db, reports};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    pub round_id: Option<i64>,
}

/// `offers`: offers made (any status); `placed`: accepted ones.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacementRow {
    pub school_id: i64,
    pub school_name: String,
    pub major: String,
    pub offers: i64,
    pub placed: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacementReport {
    pub round_id: Option<i64>,
    pub rows: Vec<PlacementRow>,
}

pub async fn placements(db: &Db, actor: &Actor, filter: PlacementFilter) -> AppResult<PlacementReport> {
    // A school reads its own graduates' offers, a company the offers on its own postings.
    let school = if actor.role == Role::School { own(actor) } else { None };
    let company = if actor.role == Role::Company { own(actor) } else { None };
    let mut conn = db.read().await?;
    let rows = reports::placements(&mut conn, filter.round_id, school, company)
        .await?
        .into_iter()
        .map(|r| PlacementRow {
            school_id: r.school_id,
            school_name: r.school_name,
            major: r.major,
            offers: r.offers,
            placed: r.placed,
        })
        .collect();
    Ok(PlacementReport { round_id: filter.round_id, rows })
}
