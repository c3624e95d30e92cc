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
//! send. A worker starts a send only while enough of its lease remains to finish it (the
//! send timeout plus a margin) and hands back rows it cannot start, so a live worker never
//! has a lease expire under a send; only a dead worker's rows are claimed again.
//!
//! Failures: every send error is retried with exponential backoff ([`Backoff`]); after
//! `max_attempts` the notice is `failed` with its last error, visible and requeueable
//! (`store::outbox::requeue`). A notice that cannot be rendered (bad payload or address)
//! fails at once: trying again would not help.

use super::backoff::Backoff;
use super::render::{Sender, render_stored};
use super::transport::Mailer;
use crate::config::Settings;
use crate::store::outbox::{self, ClaimedNotice};
use crate::store::{self, Db};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Time kept in hand after a send's timeout to record its outcome before the lease ends.
const MARK_MARGIN: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Notices claimed at once.
    pub batch_size: i64,
    /// How long a claim holds its rows; a dead worker's rows are claimed again after it.
    /// Raised to at least twice the send timeout plus 5 s.
    pub lease: Duration,
    /// Pause when nothing was due.
    pub poll_interval: Duration,
    /// Attempts before a notice is marked failed.
    pub max_attempts: i64,
    /// Sends in flight at once.
    pub concurrency: usize,
    pub backoff: Backoff,
    pub sender: Sender,
}

impl WorkerOptions {
    /// Defaults: batches of 50, 60 s lease, 1 s poll, 8 attempts, 4 concurrent sends.
    pub fn new(sender: Sender) -> WorkerOptions {
        WorkerOptions {
            batch_size: 50,
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(1),
            max_attempts: 8,
            concurrency: 4,
            backoff: Backoff::default(),
            sender,
        }
    }

    /// Defaults, with the default sender and Message-IDs named after `base_url`'s host.
    pub fn for_base_url(base_url: &str) -> WorkerOptions {
        WorkerOptions::new(Sender::for_base_url(base_url))
    }

    /// Defaults, sending from `XIAOQI_MAIL_FROM` with links and Message-IDs after
    /// `XIAOQI_BASE_URL`.
    pub fn for_settings(settings: &Settings) -> anyhow::Result<WorkerOptions> {
        let sender = Sender::new(&settings.mail_from, &settings.base_url)
            .map_err(|e| anyhow::anyhow!("XIAOQI_MAIL_FROM: {e}"))?;
        Ok(WorkerOptions::new(sender))
    }
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claimed but handed back unsent (stopping, or too little lease left to start).
    pub released: usize,
}

impl TickReport {
    fn add(&mut self, other: TickReport) {
        self.claimed += other.claimed;
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.released += other.released;
    }
}

/// Where "now" comes from: the system clock, or a fixed instant (tests, benchmarks).
#[derive(Debug, Clone, Copy)]
enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}

struct Shared {
    db: Db,
    mailer: Mailer,
    options: WorkerOptions,
    clock: Clock,
    stop: Option<watch::Receiver<bool>>,
    claimed_at: Instant,
    lease: Duration,
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow() || s.has_changed().is_err())
    }

    /// Is there lease enough to start a send and record it?
    fn may_start(&self) -> bool {
        self.claimed_at.elapsed() + self.mailer.send_timeout() + MARK_MARGIN < self.lease
    }
}

fn effective_lease(options: &WorkerOptions, mailer: &Mailer) -> Duration {
    options.lease.max(mailer.send_timeout() * 2 + MARK_MARGIN)
}

/// Claim what is due at `now` (one batch) and process it. Times recorded (sent_at, next
/// attempt) are `now`: inject it to test retries and leases without sleeping.
pub async fn tick(db: &Db, mailer: &Mailer, options: &WorkerOptions, now: DateTime<Utc>) -> anyhow::Result<TickReport> {
    pass(db, mailer, options, Clock::Fixed(now), None).await
}

/// Process everything due at `now`, batch after batch, until nothing is left.
pub async fn drain(db: &Db, mailer: &Mailer, options: &WorkerOptions, now: DateTime<Utc>) -> anyhow::Result<TickReport> {
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
    let lease = effective_lease(options, mailer);
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
        });
        let queue = Arc::new(Mutex::new(VecDeque::from(batch)));
        let mut lanes = JoinSet::new();
        for _ in 0..options.concurrency.clamp(1, report.claimed) {
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

/// Send claimed notices one after another until the batch is used up.
async fn lane(shared: Arc<Shared>, queue: Arc<Mutex<VecDeque<ClaimedNotice>>>) -> TickReport {
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
    let rendered = match render_stored(notice.id, &notice.payload, seed.as_bytes(), &options.sender, shared.clock.now()) {
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
/// try a few times before leaving the row to its lease.
async fn record_sent(shared: &Shared, notice: &ClaimedNotice, message_id: &str) {
    let mut wait = Duration::from_millis(100);
    for try_number in 1..=5 {
        let outcome = Outcome::Sent { message_id: message_id.to_string(), at: shared.clock.now() };
        match record(&shared.db, outcome, notice).await {
            Ok(_) => return,
            Err(error) if try_number == 5 => {
                tracing::error!(notice = notice.id, %error, "outbox: sent but not recorded; it will be sent again after its lease");
            }
            Err(error) => {
                tracing::warn!(notice = notice.id, %error, "outbox: recording a delivery failed; trying again");
                tokio::time::sleep(wait).await;
                wait *= 2;
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

fn describe_metrics() {
    metrics::describe_gauge!("xiaoqi_outbox_depth", "Notices queued, retrying or being sent");
    metrics::describe_counter!("xiaoqi_notices_sent_total", "Notices handed to the mail transport");
    metrics::describe_counter!("xiaoqi_notices_failed_total", "Notices given up on (status failed)");
    metrics::describe_counter!("xiaoqi_notices_retried_total", "Failed send attempts scheduled for another try");
}
