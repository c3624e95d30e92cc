//! One sending lane of the worker: takes claimed notices off a shared queue one at a time,
//! renders and sends each, and records its outcome before taking the next.

use super::render::render_stored;
use super::tick_report::TickReport;
use super::transport::Mailer;
use super::worker_options::WorkerOptions;
use crate::store::outbox::{self, ClaimedNotice};
use crate::store::{self, Db};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Time kept in hand after a send's timeout to record its outcome before the lease ends:
/// two full waits for the writer (`Db::write_wait`, after which a write fails rather than
/// waits on) and a second for the writes themselves. A write waits at most one
/// `write_wait` for its turn (round results are saved in short transactions, so the writer
/// is never held for long), so a delivery is recorded within this time unless the database
/// refuses two writes in a row, each after the longest wait it allows.
pub(super) fn record_margin(write_wait: Duration) -> Duration {
    write_wait * 2 + Duration::from_secs(1)
}

/// Where "now" comes from: the system clock, or a fixed instant (tests, benchmarks).
#[derive(Debug, Clone, Copy)]
pub(super) enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}

/// What the lanes of one pass share.
pub(super) struct Shared {
    pub db: Db,
    pub mailer: Mailer,
    pub options: WorkerOptions,
    pub clock: Clock,
    pub stop: Option<watch::Receiver<bool>>,
    pub claimed_at: Instant,
    pub lease: Duration,
    /// [`record_margin`] for this database.
    pub margin: Duration,
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow() || s.has_changed().is_err())
    }

    /// Is there lease enough to start a send and record it?
    fn may_start(&self) -> bool {
        self.claimed_at.elapsed() + self.mailer.send_timeout() + self.margin < self.lease
    }

    /// Has the lease run out (another worker may claim the rows from now on)?
    fn lease_over(&self) -> bool {
        self.claimed_at.elapsed() >= self.lease
    }
}

/// Send claimed notices one after another until the batch is used up.
pub(super) async fn lane(shared: Arc<Shared>, queue: Arc<Mutex<VecDeque<ClaimedNotice>>>) -> TickReport {
    let mut report = TickReport::default();
    loop {
        let Some(notice) = queue.lock().expect("queue lock").pop_front() else {
            return report;
        };
        if shared.stopping() || !shared.may_start() {
            let now = shared.clock.now();
            log_store_error(notice.id, record(&shared.db, Outcome::Release { now }, &notice).await);
            report.released += 1;
            continue;
        }
        match attempt(&shared, &notice).await {
            Attempted::Sent => report.sent += 1,
            Attempted::Retrying => report.retried += 1,
            Attempted::Failed => report.failed += 1,
        }
    }
}

enum Attempted {
    Sent,
    Retrying,
    Failed,
}

async fn attempt(shared: &Shared, notice: &ClaimedNotice) -> Attempted {
    let options = &shared.options;
    let seed = format!("{}\n{}", notice.created_at.to_rfc3339(), notice.payload);
    let rendered = match render_stored(notice.id, &notice.payload, seed.as_bytes(), &options.sender, shared.clock.now())
    {
        Ok(rendered) => rendered,
        Err(error) => {
            tracing::error!(notice = notice.id, %error, "outbox: notice cannot be rendered; marked failed");
            let outcome = Outcome::Failed { error: format!("cannot render: {error}") };
            log_store_error(notice.id, record(&shared.db, outcome, notice).await);
            metrics::counter!("xiaoqi_notices_failed_total").increment(1);
            return Attempted::Failed;
        }
    };
    match shared.mailer.send(&rendered.message).await {
        Ok(()) => {
            tracing::debug!(notice = notice.id, message_id = rendered.message_id, "outbox: sent");
            metrics::counter!("xiaoqi_notices_sent_total").increment(1);
            record_sent(shared, notice, &rendered.message_id).await;
            Attempted::Sent
        }
        Err(error) if notice.attempts >= options.max_attempts => {
            tracing::error!(notice = notice.id, attempts = notice.attempts, %error, "outbox: giving up");
            let outcome = Outcome::Failed { error: error.to_string() };
            log_store_error(notice.id, record(&shared.db, outcome, notice).await);
            metrics::counter!("xiaoqi_notices_failed_total").increment(1);
            Attempted::Failed
        }
        Err(error) => {
            let delay = options.backoff.delay(notice.attempts, &mut rand::rng());
            let next = shared.clock.now() + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1));
            tracing::warn!(notice = notice.id, attempts = notice.attempts, %error, retry_at = %next, "outbox: send failed");
            let outcome = Outcome::Retry { error: error.to_string(), next };
            log_store_error(notice.id, record(&shared.db, outcome, notice).await);
            metrics::counter!("xiaoqi_notices_retried_total").increment(1);
            Attempted::Retrying
        }
    }
}

/// The server has the message: recording that is what keeps it from going out twice, so
/// keep trying while the lease lasts (the send started with [`record_margin`] of it left:
/// room for two full waits for the writer) before leaving the row to its lease.
async fn record_sent(shared: &Shared, notice: &ClaimedNotice, message_id: &str) {
    let mut wait = Duration::from_millis(100);
    loop {
        let outcome = Outcome::Sent { message_id: message_id.to_string(), at: shared.clock.now() };
        match record(&shared.db, outcome, notice).await {
            Ok(_) => return,
            Err(error) if shared.lease_over() => {
                tracing::error!(notice = notice.id, %error, "outbox: sent but not recorded; it will be sent again after its lease");
                return;
            }
            Err(error) => {
                tracing::warn!(notice = notice.id, %error, "outbox: recording a delivery failed; trying again");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(2));
            }
        }
    }
}

enum Outcome {
    Sent { message_id: String, at: DateTime<Utc> },
    Retry { error: String, next: DateTime<Utc> },
    Failed { error: String },
    Release { now: DateTime<Utc> },
}

/// Record one outcome in its own write transaction. Returns whether the row took it (the
/// claim may have moved on; see the fence in `store::outbox`).
async fn record(db: &Db, outcome: Outcome, notice: &ClaimedNotice) -> store::Result<bool> {
    let (id, attempts) = (notice.id, notice.attempts);
    let mut tx = db.begin().await?;
    let applied = match outcome {
        Outcome::Sent { message_id, at } => outbox::mark_sent(&mut tx, id, &message_id, at).await?,
        Outcome::Retry { error, next } => outbox::mark_retry(&mut tx, id, attempts, &error, next).await?,
        Outcome::Failed { error } => outbox::mark_failed(&mut tx, id, attempts, &error).await?,
        Outcome::Release { now } => outbox::release(&mut tx, id, attempts, now).await?,
    };
    tx.commit().await?;
    Ok(applied)
}

fn log_store_error(id: i64, result: store::Result<bool>) {
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!(notice = id, "outbox: the claim had moved on; outcome not recorded"),
        Err(error) => tracing::error!(notice = id, %error, "outbox: recording an outcome failed"),
    }
}
