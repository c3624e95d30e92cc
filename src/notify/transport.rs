//! Where rendered mail goes: SMTP (production), a directory of `.eml` files (the embedded
//! default) or stdout (development). Every send is bounded in time: lettre's own timeout
//! covers connecting and single commands, and a server that accepts a connection and then
//! stops answering would otherwise hold a send (and its notice's lease) forever.

use super::smtp_url::SmtpUrl;
use crate::config::MailTransport;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::io::Write;
use std::time::Duration;

/// Why a send did not go through. Every kind is retried by the worker.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the .eml file: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("writing to stdout: {0}")]
    Stdout(#[from] std::io::Error),
    #[error("no answer from the mail server within {0:?}")]
    Timeout(Duration),
}

#[derive(Clone)]
enum Kind {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
    Stdout,
}

/// A mail transport; cheap to clone (SMTP connections are pooled and shared).
#[derive(Clone)]
pub struct Mailer {
    kind: Kind,
    send_timeout: Duration,
    description: String,
    concurrency: usize,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("to", &self.description).field("send_timeout", &self.send_timeout).finish()
    }
}

impl Mailer {
    /// Default bound on one send, connecting included.
    pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);

    /// The transport `XIAOQI_MAIL` names (`Settings.mail`). Creates a `file:` directory.
    pub fn from_config(transport: &MailTransport) -> anyhow::Result<Mailer> {
        match transport {
            MailTransport::Files(dir) => Mailer::files(dir),
            MailTransport::Smtp(url) => {
                Mailer::smtp(url.expose()).map_err(|e| anyhow::anyhow!("XIAOQI_MAIL {url}: {e}"))
            }
            MailTransport::Stdout => Ok(Mailer::stdout()),
        }
    }

    /// SMTP at `url` (see [`super::smtp_url`] for the URL's form).
    pub fn smtp(url: &str) -> Result<Mailer, String> {
        let parsed = SmtpUrl::parse(url)?;
        let transport = parsed.transport(Mailer::SEND_TIMEOUT)?;
        Ok(Mailer {
            kind: Kind::Smtp(transport),
            send_timeout: Mailer::SEND_TIMEOUT,
            description: format!(
                "smtp {}:{} ({:?}, up to {} connections)",
                parsed.host, parsed.port, parsed.tls, parsed.connections
            ),
            concurrency: parsed.connections as usize,
        })
    }

    /// One `.eml` file per message in `dir`, named by a random UUID.
    pub fn files(dir: &std::path::Path) -> anyhow::Result<Mailer> {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("creating mail directory {}: {e}", dir.display()))?;
        Ok(Mailer {
            kind: Kind::Files(AsyncFileTransport::new(dir)),
            send_timeout: Mailer::SEND_TIMEOUT,
            description: format!("files in {}", dir.display()),
            concurrency: 4,
        })
    }

    /// Print each message, as sent, to standard output.
    pub fn stdout() -> Mailer {
        // One at a time, so messages do not interleave.
        Mailer {
            kind: Kind::Stdout,
            send_timeout: Mailer::SEND_TIMEOUT,
            description: "stdout".to_string(),
            concurrency: 1,
        }
    }

    /// Bound each send by `timeout` instead of [`Mailer::SEND_TIMEOUT`].
    pub fn with_send_timeout(mut self, timeout: Duration) -> Mailer {
        self.send_timeout = timeout;
        self
    }

    pub fn send_timeout(&self) -> Duration {
        self.send_timeout
    }

    /// Sends worth running at once: SMTP's connection cap (`connections=`), 4 for files,
    /// 1 for stdout.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Where mail goes, without secrets (for logs).
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Hand `message` over; `Ok` means the server (or file, or stdout) has it.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let attempt = async {
            match &self.kind {
                Kind::Smtp(smtp) => smtp.send(message.clone()).await.map(drop).map_err(SendError::from),
                Kind::Files(files) => files.send(message.clone()).await.map(drop).map_err(SendError::from),
                Kind::Stdout => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(&message.formatted())?;
                    out.write_all(b"\n\n")?;
                    out.flush()?;
                    Ok(())
                }
            }
        };
        tokio::time::timeout(self.send_timeout, attempt).await.map_err(|_| SendError::Timeout(self.send_timeout))?
    }
}
