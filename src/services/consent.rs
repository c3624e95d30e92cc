//! Consent as records: every answer given or withdrawn is kept with its purpose, the text
//! version shown, when, by whom and how; `graduates.consent` mirrors the latest, so search,
//! rounds and shortlists filter on one column. A change goes through the change log, so
//! search follows within the indexer's next pass.

use super::{Actor, check_write};
use crate::domain::consent::{CURRENT_TEXT, ConsentChange, ConsentMethod, ConsentRecord};
use crate::domain::graduate::Graduate;
use crate::domain::{OrgKind, Role};
use crate::error::{AppError, AppResult};
use crate::store::consent::{self, ConsentEntry, NewRecord};
use crate::store::{Access, Db, Page, PageRequest, Tx, audit, graduates};
use chrono::Utc;

/// How a school user's or coordinator's write is recorded.
pub fn method_of(actor: &Actor) -> ConsentMethod {
    if actor.role == Role::Coordinator { ConsentMethod::Coordinator } else { ConsentMethod::Teacher }
}

/// A new graduate's first record, when the school recorded consent with them (no record
/// means consent was never given).
pub async fn record_initial(tx: &mut Tx, actor: &Actor, graduate: &Graduate, method: ConsentMethod) -> AppResult<()> {
    if graduate.fields.consent {
        record_change(tx, actor, graduate, method).await?;
    }
    Ok(())
}

/// Record the graduate's current answer (already written to `graduates.consent`).
pub async fn record_change(tx: &mut Tx, actor: &Actor, graduate: &Graduate, method: ConsentMethod) -> AppResult<()> {
    record(tx, graduate.id, graduate.fields.consent, method, Some(actor.user_id)).await
}

/// Write a record under the current text.
pub async fn record(
    tx: &mut Tx,
    graduate_id: i64,
    given: bool,
    method: ConsentMethod,
    user_id: Option<i64>,
) -> AppResult<()> {
    let record = NewRecord {
        graduate_id,
        given,
        purpose: CURRENT_TEXT.purpose_zh,
        text_version: CURRENT_TEXT.version,
        method,
        user_id,
        at: Utc::now(),
    };
    consent::insert(tx, &record).await?;
    Ok(())
}

/// The graduate, if `actor` keeps its consent (its school, coordinators). Companies never
/// learn more than they may see: a graduate they cannot find is a 404, one they can a 403.
async fn kept(db: &mut impl Access, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let graduate = graduates::get(db, id).await?.ok_or(AppError::NotFound)?;
    if actor.role == Role::Company {
        return Err(if graduate.fields.consent { AppError::Forbidden } else { AppError::NotFound });
    }
    check_write(actor, graduate.organization_id, OrgKind::School)?;
    Ok(graduate)
}

/// `GET /graduates/{id}/consent`: the graduate's records, newest first, with who recorded
/// each (the graduate's school and coordinators).
pub async fn history(db: &Db, actor: &Actor, id: i64, page: PageRequest) -> AppResult<Page<ConsentEntry>> {
    let mut conn = db.read().await?;
    kept(&mut conn, actor, id).await?;
    Ok(consent::history(&mut conn, id, page).await?)
}

/// What recording an answer did: the graduate's latest record, and whether it is new.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub record: ConsentRecord,
    /// False when the answer repeats the latest record under the same text (nothing written).
    pub changed: bool,
}

/// `POST /graduates/{id}/consent`: the school (or a coordinator) records the graduate's
/// answer.
pub async fn change(db: &Db, actor: &Actor, id: i64, answer: ConsentChange) -> AppResult<Recorded> {
    let mut tx = db.begin().await?;
    kept(&mut tx, actor, id).await?;
    let recorded = apply(&mut tx, id, answer.given, method_of(actor), Some(actor.user_id)).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Record `given` for graduate `id` (in `tx`, the caller having checked who may): a
/// record, the mirror, a change for search (so a withdrawal leaves company searches on the
/// indexer's next pass) and an audit entry. An answer that repeats the latest record under
/// the current text writes nothing, so a form sent twice records once.
pub(super) async fn apply(
    tx: &mut Tx,
    id: i64,
    given: bool,
    method: ConsentMethod,
    user_id: Option<i64>,
) -> AppResult<Recorded> {
    if !consent::lock(tx, id).await? {
        return Err(AppError::NotFound);
    }
    let graduate = graduates::get(tx, id).await?.ok_or(AppError::NotFound)?;
    if let Some(latest) = consent::latest(tx, id).await?
        && latest.given == given
        && latest.text_version == CURRENT_TEXT.version
        && graduate.fields.consent == given
    {
        return Ok(Recorded { record: latest, changed: false });
    }
    record(tx, id, given, method, user_id).await?;
    consent::set_current(tx, id, given).await?;
    let action = if given { "consent_given" } else { "consent_withdrawn" };
    audit::record(tx, user_id, Some(graduate.organization_id), action, "graduate", Some(id)).await?;
    let record = consent::latest(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(Recorded { record, changed: true })
}
