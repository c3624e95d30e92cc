//! The outcome loop's clock: every minute, offers past their deadline expire and postings
//! past their closing day close. Both rules take the time as an argument (tests pass one);
//! this task passes the real one.

use super::notices::Links;
use crate::domain::offer::today_in_shanghai;
use crate::store::Db;
use chrono::Utc;
use std::time::Duration;

/// How often the sweep runs; search and rounds also check `closes_on` themselves, so a
/// sweep a minute late changes nothing a user sees.
pub const EVERY: Duration = Duration::from_secs(60);

pub async fn run(db: Db, links: Links, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let now = Utc::now();
        match super::offers::expire_due(&db, &links, now).await {
            Ok(n) if n > 0 => tracing::info!(offers = n, "offers expired"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not expire offers"),
        }
        match super::postings::close_due(&db, today_in_shanghai(now)).await {
            Ok(n) if n > 0 => tracing::info!(postings = n, "postings closed after their closing day"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not close postings"),
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}
