//! How the outbox worker runs: batch size, lease, polling, attempts, concurrency, sender.

use super::backoff::Backoff;
use super::render::Sender;
use crate::config::Settings;
use std::time::Duration;

/// Set once when the worker starts; [`WorkerOptions::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Notices claimed at once.
    pub batch_size: i64,
    /// How long a claim holds its rows; a dead worker's rows are claimed again after it.
    /// Raised to at least twice the send timeout plus two waits for the database writer
    /// and a second (see the delivery guarantee in `worker`).
    pub lease: Duration,
    /// Pause when nothing was due.
    pub poll_interval: Duration,
    /// Attempts before a notice is marked failed.
    pub max_attempts: i64,
    /// Sends in flight at once; `None`: as many as the mailer takes
    /// ([`Mailer::concurrency`](super::Mailer::concurrency), for SMTP the URL's `connections=`).
    pub concurrency: Option<usize>,
    pub backoff: Backoff,
    pub sender: Sender,
}

impl WorkerOptions {
    /// Defaults: batches of 50, 60 s lease, 1 s poll, 8 attempts, as many concurrent sends
    /// as the mailer takes.
    pub fn new(sender: Sender) -> WorkerOptions {
        WorkerOptions {
            batch_size: 50,
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(1),
            max_attempts: 8,
            concurrency: None,
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
