//! The outbox worker: claims due notices, renders and sends each, records the outcome.
//!
//! # Delivery guarantee
//!
//! A notice is sent at most once, except that a process killed between the mail server
//! accepting a message and the row being marked sent will send that single in-flight
//! message again after its lease expires. (The same holds if the server's "accepted" reply
//! is lost, so the send times out although the server kept the message, or if the database
//! cannot record the delivery even after a few tries.) A repeated message carries the same
//! Message-ID, so mail systems that deduplicate on it show it once.
//!
//! Why: a claim moves a row to `sending` with a lease (`claimed_until`), in one statement,
//! so no two workers hold a row at once (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one
//! writer). Each row is marked sent right after its own send succeeds, before the next
//! send. A worker starts a send only while enough of its lease remains to finish it and
//! record it: the send timeout plus a margin of two full waits for the database writer
//! (`lane::record_margin` over `Db::write_wait`, the pool's acquire timeout, after which a
//! write fails instead of waiting on). Recording keeps trying until the lease ends. No
//! write holds the writer for long (round results are saved in short transactions), so
//! the record lands well inside the margin, and the lease, which only then could let
//! another worker claim the row, has not run out: a live worker never has a lease expire
//! between a send and its record; only a dead worker's rows are claimed again. The lease
//! is measured from before the claim waited for the writer, so that wait counts against
//! it too. (Leases are compared with each node's clock: nodes sharing a PostgreSQL
//! database must keep their clocks within seconds of each other, as NTP does.)
//!
//! Failures: every send error is retried with exponential backoff ([`Backoff`](super::Backoff)); after
//! `max_attempts` the notice is `failed` with its last error, visible and requeueable
//! (`store::outbox::requeue`). A notice that cannot be rendered (bad payload or address)
//! fails at once: trying again would not help.

use super::lane::{Clock, Shared, lane, record_margin};
use super::tick_report::TickReport;
use super::transport::Mailer;
use super::worker_options::WorkerOptions;
use crate::store::outbox;
use crate::store::{self, Db};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// The lease asked for, raised so that at least one send and its record fit in it.
fn effective_lease(options: &WorkerOptions, mailer: &Mailer, margin: Duration) -> Duration {
    options.lease.max(mailer.send_timeout() * 2 + margin)
}

/// Claim what is due at `now` (one batch) and process it. Times recorded (sent_at, next
/// attempt) are `now`: inject it to test retries and leases without sleeping.
pub async fn tick(db: &Db, mailer: &Mailer, options: &WorkerOptions, now: DateTime<Utc>) -> anyhow::Result<TickReport> {
    pass(db, mailer, options, Clock::Fixed(now), None).await
}

/// Process everything due at `now`, batch after batch, until nothing is left.
pub async fn drain(
    db: &Db,
    mailer: &Mailer,
    options: &WorkerOptions,
    now: DateTime<Utc>,
) -> anyhow::Result<TickReport> {
    let mut total = TickReport::default();
    loop {
        let report = tick(db, mailer, options, now).await?;
        total.add(report);
        if report.claimed == 0 {
            return Ok(total);
        }
    }
}

/// Run until `stop` turns true (or its sender is dropped). Stops between sends: sends in
/// flight finish (each bounded by the mailer's send timeout), and claimed rows not yet
/// started are handed back.
pub async fn run(db: Db, mailer: Mailer, options: WorkerOptions, mut stop: watch::Receiver<bool>) {
    describe_metrics();
    tracing::info!(transport = mailer.describe(), "outbox worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let claimed = match pass(&db, &mailer, &options, Clock::System, Some(stop.clone())).await {
            Ok(report) => report.claimed,
            Err(error) => {
                tracing::warn!(%error, "outbox: claiming failed; trying again shortly");
                0
            }
        };
        // A full batch suggests more is waiting: go straight on.
        if claimed < options.batch_size.max(1) as usize {
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                _ = tokio::time::sleep(options.poll_interval) => {}
            }
        }
    }
    tracing::info!("outbox worker stopped");
}

/// A worker running in the background.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    /// Ask the worker to stop and wait until it has.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Spawn [`run`] on the current runtime.
pub fn spawn(db: Db, mailer: Mailer, options: WorkerOptions) -> WorkerHandle {
    let (stop, receiver) = watch::channel(false);
    WorkerHandle { stop, task: tokio::spawn(run(db, mailer, options, receiver)) }
}

async fn pass(
    db: &Db,
    mailer: &Mailer,
    options: &WorkerOptions,
    clock: Clock,
    stop: Option<watch::Receiver<bool>>,
) -> anyhow::Result<TickReport> {
    let margin = record_margin(db.write_wait());
    let lease = effective_lease(options, mailer, margin);
    let claimed_at = Instant::now();
    let now = clock.now();
    let batch = {
        let mut tx = db.begin().await?;
        let batch = outbox::claim(&mut tx, now, chrono::Duration::from_std(lease)?, options.batch_size).await?;
        tx.commit().await?;
        batch
    };
    let mut report = TickReport { claimed: batch.len(), ..TickReport::default() };
    if !batch.is_empty() {
        let shared = Arc::new(Shared {
            db: db.clone(),
            mailer: mailer.clone(),
            options: options.clone(),
            clock,
            stop,
            claimed_at,
            lease,
            margin,
        });
        let queue = Arc::new(Mutex::new(VecDeque::from(batch)));
        let mut lanes = JoinSet::new();
        let lanes_wanted = options.concurrency.unwrap_or_else(|| mailer.concurrency());
        for _ in 0..lanes_wanted.clamp(1, report.claimed) {
            lanes.spawn(lane(shared.clone(), queue.clone()));
        }
        while let Some(done) = lanes.join_next().await {
            match done {
                Ok(lane_report) => report.add(lane_report),
                Err(error) => tracing::error!(%error, "outbox: a sending task died"),
            }
        }
    }
    if let Ok(depth) = depth(db).await {
        metrics::gauge!("xiaoqi_outbox_depth").set(depth as f64);
    }
    Ok(report)
}

async fn depth(db: &Db) -> store::Result<i64> {
    let mut conn = db.read().await?;
    outbox::depth(&mut conn).await
}

fn describe_metrics() {
    metrics::describe_gauge!("xiaoqi_outbox_depth", "Notices queued, retrying or being sent");
    metrics::describe_counter!("xiaoqi_notices_sent_total", "Notices handed to the mail transport");
    metrics::describe_counter!("xiaoqi_notices_failed_total", "Notices given up on (status failed)");
    metrics::describe_counter!("xiaoqi_notices_retried_total", "Failed send attempts scheduled for another try");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last send a worker may start, if it takes its whole timeout and the writer then
    /// makes it wait the longest it allows twice over, is still recorded before the lease
    /// ends (when another worker could claim the row and send it again).
    #[test]
    fn a_send_started_last_is_recorded_within_its_lease_after_two_full_writer_waits() {
        for wait_secs in [1, 5, 10, 30, 120] {
            for send_secs in [1, 10, 30, 60] {
                let write_wait = Duration::from_secs(wait_secs);
                let mailer = Mailer::stdout().with_send_timeout(Duration::from_secs(send_secs));
                let options = WorkerOptions::for_base_url("http://localhost");
                let margin = record_margin(write_wait);
                let lease = effective_lease(&options, &mailer, margin);
                // `may_start` holds while elapsed + send timeout + margin < lease.
                let last_start = lease - mailer.send_timeout() - margin;
                let recorded_by = last_start + mailer.send_timeout() + write_wait * 2;
                assert!(recorded_by < lease, "wait {wait_secs} s, send {send_secs} s: {recorded_by:?} ≥ {lease:?}");
                assert!(lease >= mailer.send_timeout() + margin, "at least one send fits");
            }
        }
    }
}
