//! Graduates' destinations (毕业去向): their school and coordinators record and read them.
//! An accepted offer records `agreement` itself (see `offers`); any other destination,
//! or a labour contract signed later, is recorded here with the day it took effect.

use super::Actor;
use crate::domain::outcome::{NewOutcome, Outcome};
use crate::error::AppResult;
use crate::store::outcomes::{self as store, NewOutcome as Row};
use crate::store::{Db, Page, PageRequest, audit};
use chrono::{DateTime, Utc};

/// A graduate's destinations, latest first (their school, coordinators).
pub async fn list(db: &Db, actor: &Actor, graduate_id: i64, page: PageRequest) -> AppResult<Page<Outcome>> {
    let mut conn = db.read().await?;
    super::graduates::writable(&mut conn, actor, graduate_id).await?;
    let (items, total) = store::of_graduate(&mut conn, graduate_id, page).await?;
    Ok(Page::new(items, total, page))
}

/// Record a destination for a graduate (their school, coordinators).
pub async fn record(
    db: &Db,
    actor: &Actor,
    graduate_id: i64,
    new: NewOutcome,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let mut tx = db.begin().await?;
    let graduate = super::graduates::writable(&mut tx, actor, graduate_id).await?;
    let row = Row {
        graduate_id,
        school_id: graduate.organization_id,
        destination: new.destination,
        date: new.date,
        employer_name: new.employer_name.as_deref(),
        offer_id: None,
        note: new.note.as_deref(),
        recorded_by: Some(actor.user_id),
    };
    let outcome = store::insert(&mut tx, &row, now).await?;
    audit::record(
        &mut tx,
        Some(actor.user_id),
        Some(graduate.organization_id),
        "record_outcome",
        "graduate",
        Some(graduate_id),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}
