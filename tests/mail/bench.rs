//! Throughput: N queued invitations (each with its `.ics`) through the real worker loop,
//! over SMTP into the in-process server. Ignored by default; `bench/mail.sh` runs it in
//! release mode: `XIAOQI_BENCH_MAIL_N=2000 cargo test --release --test mail -- --ignored
//! --nocapture throughput`. Runs on SQLite, and on PostgreSQL too when
//! `XIAOQI_TEST_POSTGRES_URL` is set.

use crate::server::SmtpServer;
use crate::support::{self, TestDb, now, queue_many};
use std::time::{Duration, Instant};
use xiaoqi::notify::{self, Mailer, WorkerOptions};
use xiaoqi::store::outbox;

async fn measure(name: &str, db: TestDb, n: usize) {
    let server = SmtpServer::start().await;
    let started = Instant::now();
    queue_many(&db, n, now()).await;
    let queued = started.elapsed();

    let options = WorkerOptions::for_base_url("https://xiaoqi.bench");
    // Connections (and so concurrent sends) as the URL says; the default unless asked.
    let url = match std::env::var("XIAOQI_BENCH_MAIL_CONNECTIONS") {
        Ok(n) => format!("{}&connections={n}", server.url()),
        Err(_) => server.url(),
    };
    let mailer = Mailer::smtp(&url).unwrap();
    let (batch, concurrency) = (options.batch_size, mailer.concurrency());
    let started = Instant::now();
    let worker = notify::spawn(db.db.clone(), mailer, options);
    let deadline = started + Duration::from_secs(600);
    while server.received().len() < n {
        assert!(Instant::now() < deadline, "only {} of {n} arrived", server.received().len());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    worker.shutdown().await;

    let mut conn = db.read().await.unwrap();
    assert_eq!(outbox::depth(&mut conn).await.unwrap(), 0);
    assert_eq!(server.received().len(), n, "each sent once");
    let bytes: usize = server.received().iter().map(|r| r.data.len()).sum();
    println!(
        "{name}: {n} e-mails in {:.2} s = {:.0} e-mails/s (batch {batch}, {concurrency} SMTP connections, \
         {:.1} KB each; queueing took {:.2} s)",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        bytes as f64 / n as f64 / 1024.0,
        queued.as_secs_f64(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by bench/mail.sh"]
async fn throughput() {
    let n = std::env::var("XIAOQI_BENCH_MAIL_N").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    measure("sqlite", support::sqlite().await, n).await;
    if let Some(db) = support::postgres().await {
        measure("postgres", db, n).await;
    }
}
