//! Consent as records: every answer given or withdrawn is kept with its purpose, the text
//! version shown, when, by whom and how; `graduates.consent` mirrors the latest, so search,
//! rounds and shortlists filter on one column. A change goes through the change log, so
//! search follows within the indexer's next pass.

use super::Actor;
use crate::domain::Role;
use crate::domain::consent::{CURRENT_TEXT, ConsentMethod};
use crate::domain::graduate::Graduate;
use crate::error::AppResult;
use crate::store::Tx;
use crate::store::consent::{self, NewRecord};
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
