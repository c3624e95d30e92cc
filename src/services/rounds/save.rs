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
//!
//! On PostgreSQL the chunks go [`LANES`] at a time on as many connections, each chunk its own
//! transaction under the claim: a short committed transaction renews the claim and progress,
//! then each chunk's transaction checks the claim holding a share lock on the round's row
//! (`store::rounds::holds_shared`), so a new run's claim waits for them and they see it
//! after. The order rows land in does not matter, since nothing reads them before the flip. Measured on the 10,000-posting, 100,000-graduate demo
//! (issue 14); the other options weighed: a bigger chunk (20,000 rows) barely helped, so it is
//! not per-transaction cost; `json` instead of `jsonb` would save the server's parse (about
//! a third of an insert) but changes the key order readers get back; the indexes cost under
//! a fifth. The explanations are TOASTed, and compressing them with lz4 rather than pglz
//! (migration `round_results_lz4`) took about a third off the server's insert time.

use crate::domain::round::RoundStats;
use crate::store::Backend;
use crate::store::rounds::{self as store, GraduateRow, PostingRow};
use crate::store::{Db, Tx};
use chrono::{DateTime, Utc};

/// Transactions writing at once on PostgreSQL (3 at most: `tokio::try_join!` in [`Saving::rows`]).
/// A chunk's time is mostly the server parsing and storing its JSONB, one core per
/// connection, while the client encodes the next one; one connection at a time left the
/// other core idle. SQLite has one writer, so it saves on one lane.
const LANES: usize = 3;

/// A transaction's worth of rows.
enum Chunk<'r> {
    Graduates(&'r [GraduateRow]),
    Postings(&'r [PostingRow]),
}

impl Chunk<'_> {
    fn len(&self) -> usize {
        match self {
            Chunk::Graduates(rows) => rows.len(),
            Chunk::Postings(rows) => rows.len(),
        }
    }
}

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
        let chunks: Vec<Chunk> =
            (graduates.chunks(step).map(Chunk::Graduates)).chain(postings.chunks(step).map(Chunk::Postings)).collect();
        let at = |written: usize| 85 + (written * 14 / total) as i64;
        let mut written = 0;
        if self.db.backend() == Backend::Sqlite {
            for chunk in &chunks {
                let mut tx = self.turn(at(written)).await?;
                self.insert(&mut tx, chunk).await?;
                tx.commit().await?;
                written += chunk.len();
                percent(at(written));
            }
            return Ok(());
        }
        for batch in chunks.chunks(LANES) {
            // The progress (and heartbeat) first, committed, so the lanes' share locks on the
            // round's row do not wait for it, nor it for them.
            self.turn(at(written)).await?.commit().await?;
            let lane = |n: usize| async move {
                let Some(chunk) = batch.get(n) else { return anyhow::Ok(()) };
                let mut tx = self.db.begin().await?;
                if !store::holds_shared(&mut tx, self.id, self.token).await? {
                    anyhow::bail!(LOST);
                }
                self.insert(&mut tx, chunk).await?;
                tx.commit().await?;
                Ok(())
            };
            tokio::try_join!(lane(0), lane(1), lane(2))?;
            written += batch.iter().map(Chunk::len).sum::<usize>();
            percent(at(written));
        }
        Ok(())
    }

    async fn insert(&self, tx: &mut Tx, chunk: &Chunk<'_>) -> anyhow::Result<()> {
        match chunk {
            Chunk::Graduates(rows) => store::insert_graduate_rows(tx, self.id, rows).await?,
            Chunk::Postings(rows) => store::insert_posting_rows(tx, self.id, rows).await?,
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
