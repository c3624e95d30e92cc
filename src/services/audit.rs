//! The audit log, read by coordinators: who signed in (and who failed to), who read a
//! graduate's contact details or ID number, exported, decided, changed what. Entries are
//! written by each service in the transaction of its action (`store::audit::record`).

use super::{Actor, require_coordinator};
use crate::error::AppResult;
use crate::store::audit::{self, AuditEntry};
use crate::store::{Db, Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

/// What to read. Days are Beijing days, both ends included.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub organization_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The start of a Beijing day, as a UTC instant.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (midnight - chrono::Duration::hours(8)).and_utc()
}

/// Entries newest first (coordinators only).
pub async fn list(db: &Db, actor: &Actor, query: AuditQuery, page: PageRequest) -> AppResult<Page<AuditEntry>> {
    require_coordinator(actor)?;
    let filter = audit::Filter {
        organization_id: query.organization_id,
        user_id: query.user_id,
        action: query.action,
        entity: query.entity,
        from: query.from.map(start_of),
        until: query.to.and_then(|d| d.succ_opt()).map(start_of),
    };
    let (items, total) = audit::list(&mut db.read().await?, &filter, page).await?;
    Ok(Page::new(items, total, page))
}

/// The actions and entities on record, for the filter form's choices.
pub async fn vocabulary(db: &Db, actor: &Actor) -> AppResult<(Vec<String>, Vec<String>)> {
    require_coordinator(actor)?;
    Ok(audit::actions_and_entities(&mut db.read().await?).await?)
}
