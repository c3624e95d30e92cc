//! Saving a run's results in short transactions, so other writers are not starved.
//!
//! On SQLite there is one writer: a 100,000-graduate round written in one transaction held
//! it for seconds, and sign-ins, saves and the outbox's records waited behind it (and timed
//! out). Here each transaction writes at most `rows` rows, and other writers take their turn
//! in between. Readers never see a half-saved round: the rows are written while the round is
//! `running`, every reader of result rows reads finished rounds only
//! (`store::rounds::results`), and [`finish`] flips the status in a transaction of its own at
//! the end. A run that dies part-way leaves the round `running` until the stale sweep fails
//! it; its rows stay unread, and the next run clears them first (also in short steps).
//!
//! Each transaction first renews the run's claim (`store::progress`, which also moves the
//! heartbeat) and writes only if the round is still this run's: once another run has claimed
//! the round, this one stops before writing another row, so the rows the new run finds and
//! clears are all there will be.

use crate::domain::round::RoundStats;
use crate::store::rounds::{self as store, GraduateRow, PostingRow};
use crate::store::{Db, Tx};
use chrono::{DateTime, Utc};

/// Where the save of one run stands: the claim it writes under and how far it got.
pub(super) struct Saving<'a> {
    pub db: &'a Db,
    pub id: i64,
    pub token: DateTime<Utc>,
    /// Rows per transaction (at least 1; `XIAOQI_ROUND_SAVE_ROWS`).
    pub rows: usize,
}

const LOST: &str = "the round stopped being ours while it ran";

impl Saving<'_> {
    /// A write transaction in which the round is still this run's, with progress `percent`.
    async fn turn(&self, percent: i64) -> anyhow::Result<Tx> {
        let mut tx = self.db.begin().await?;
        if !store::progress(&mut tx, self.id, self.token, "saving", percent).await? {
            anyhow::bail!(LOST);
        }
        Ok(tx)
    }

    /// Clear what an earlier run left, then write the rows, `rows` at a time; `percent`
    /// hears the progress (85–99) after each step.
    pub async fn rows(
        &self,
        graduates: &[GraduateRow],
        postings: &[PostingRow],
        percent: impl Fn(i64),
    ) -> anyhow::Result<()> {
        let step = self.rows.max(1);
        loop {
            let mut tx = self.turn(85).await?;
            let cleared = store::clear_results(&mut tx, self.id, step as i64).await?;
            tx.commit().await?;
            if cleared == 0 {
                break;
            }
        }
        let total = (graduates.len() + postings.len()).max(1);
        let mut written = 0;
        let at = |written: usize| 85 + (written * 14 / total) as i64;
        for chunk in graduates.chunks(step) {
            let mut tx = self.turn(at(written)).await?;
            store::insert_graduate_rows(&mut tx, self.id, chunk).await?;
            tx.commit().await?;
            written += chunk.len();
            percent(at(written));
        }
        for chunk in postings.chunks(step) {
            let mut tx = self.turn(at(written)).await?;
            store::insert_posting_rows(&mut tx, self.id, chunk).await?;
            tx.commit().await?;
            written += chunk.len();
            percent(at(written));
        }
        Ok(())
    }

    /// The flip that makes the saved rows the round's results.
    pub async fn finish(&self, stats: &RoundStats) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        if !store::finish(&mut tx, self.id, self.token, stats).await? {
            anyhow::bail!(LOST);
        }
        tx.commit().await?;
        Ok(())
    }
}
