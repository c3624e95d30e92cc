//! Duplicates across schools (the same person on two rosters) are listed for coordinators,
//! found whenever a graduate is written.

use crate::error::AppResult;
use crate::store::{Tx, duplicates};

/// Look for other schools' graduates that may be the same person as each of `graduate_ids`.
pub async fn scan(tx: &mut Tx, graduate_ids: &[i64]) -> AppResult<()> {
    for id in graduate_ids {
        duplicates::scan_one(tx, *id).await?;
    }
    Ok(())
}

/// The same for a school's whole roster, after an import.
pub async fn scan_school(tx: &mut Tx, organization_id: i64) -> AppResult<()> {
    duplicates::scan_school(tx, organization_id).await?;
    Ok(())
}
