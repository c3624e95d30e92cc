//! Graduates' recorded destinations.

use super::columns::Sql;
use super::{Access, PageRequest, Result, on_backend};
use crate::domain::Destination;
use crate::domain::outcome::Outcome;
use chrono::{DateTime, NaiveDate, Utc};

const COLUMNS: &str = "id, graduate_id, school_id, destination, effective_on AS date, employer_name, offer_id, note, \
    recorded_by, recorded_at";

/// A destination to record.
pub struct NewOutcome<'a> {
    pub graduate_id: i64,
    pub school_id: i64,
    pub destination: Destination,
    pub date: NaiveDate,
    pub employer_name: Option<&'a str>,
    pub offer_id: Option<i64>,
    pub note: Option<&'a str>,
    pub recorded_by: Option<i64>,
}

static INSERT: Sql = Sql::new(|| {
    format!(
        "INSERT INTO graduate_outcomes (graduate_id, school_id, destination, effective_on, employer_name, offer_id, \
         note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
    )
    .into()
});
static OF_GRADUATE: Sql = Sql::new(|| {
    format!(
        "SELECT {COLUMNS} FROM graduate_outcomes WHERE graduate_id = $1 \
         ORDER BY effective_on DESC, id DESC LIMIT $2 OFFSET $3"
    )
    .into()
});

pub async fn insert(db: &mut impl Access, n: &NewOutcome<'_>, now: DateTime<Utc>) -> Result<Outcome> {
    on_backend!(db, |e| sqlx::query_as(INSERT.get())
        .bind(n.graduate_id)
        .bind(n.school_id)
        .bind(n.destination)
        .bind(n.date)
        .bind(n.employer_name)
        .bind(n.offer_id)
        .bind(n.note)
        .bind(n.recorded_by)
        .bind(now)
        .fetch_one(e)
        .await)
}

/// A graduate's destinations, the latest (by date, then by when recorded) first.
pub async fn of_graduate(db: &mut impl Access, graduate_id: i64, page: PageRequest) -> Result<(Vec<Outcome>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(OF_GRADUATE.get())
        .bind(graduate_id)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?;
    let total =
        on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM graduate_outcomes WHERE graduate_id = $1")
            .bind(graduate_id)
            .fetch_one(e)
            .await)?;
    Ok((items, total))
}

/// The latest destination of a graduate: (destination, date).
pub async fn latest(db: &mut impl Access, graduate_id: i64) -> Result<Option<(Destination, NaiveDate)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT destination, effective_on FROM graduate_outcomes WHERE graduate_id = $1 \
         ORDER BY effective_on DESC, id DESC LIMIT 1"
    )
    .bind(graduate_id)
    .fetch_optional(e)
    .await)
}
