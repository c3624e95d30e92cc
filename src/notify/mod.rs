//! E-mail notices: the outbox worker, rendering (Chinese first, English below, with
//! calendar files) and transports (SMTP, `.eml` files, stdout).
//!
//! Requests queue rows in `notices` (see `store::outbox`); [`worker::run`] turns them into
//! mail. Wiring, from `Settings`:
//!
//! ```no_run
//! # async fn wire(settings: xiaoqi::config::Settings, db: xiaoqi::store::Db) -> anyhow::Result<()> {
//! use xiaoqi::notify::{Mailer, WorkerOptions};
//! let mailer = Mailer::from_config(&settings.mail)?;
//! let worker = xiaoqi::notify::spawn(db, mailer, WorkerOptions::for_settings(&settings)?);
//! // … on shutdown: stops between sends.
//! worker.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The delivery guarantee is documented on [`worker`].

pub mod backoff;
pub mod body;
pub mod calendar;
mod lane;
pub mod qr;
pub mod render;
pub mod smtp_url;
mod tick_report;
pub mod transport;
pub mod when;
pub mod worker;
mod worker_options;

pub use backoff::Backoff;
pub use render::{RenderError, Rendered, Sender, render};
pub use tick_report::TickReport;
pub use transport::{Mailer, SendError};
pub use worker::{WorkerHandle, drain, run, spawn, tick};
pub use worker_options::WorkerOptions;
