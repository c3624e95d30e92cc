//! The outbox on PostgreSQL, where several server nodes run workers on one database:
//! concurrent claimers never share a row (`FOR UPDATE SKIP LOCKED`), and every statement
//! the worker uses runs there too. Skips unless `XIAOQI_TEST_POSTGRES_URL` is set.

use crate::server::{Config, SmtpServer};
use crate::support::{self, now, options, payload, queue, queue_many};
use chrono::Duration;
use std::collections::HashSet;
use xiaoqi::domain::NoticeKind;
use xiaoqi::notify::{drain, tick};
use xiaoqi::store::outbox;

#[tokio::test]
async fn concurrent_claimers_never_get_the_same_row() {
    let Some(db) = support::postgres().await else { return };
    let at = now();
    let ids = queue_many(&db, 300, at).await;

    let mut claimers = Vec::new();
    for _ in 0..4 {
        let db = db.db.clone();
        claimers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let mut tx = db.begin().await.unwrap();
                let batch = outbox::claim(&mut tx, at, Duration::seconds(60), 7).await.unwrap();
                // Hold the row locks a moment so the claimers really overlap.
                tokio::time::sleep(std::time::Duration::from_millis(3)).await;
                tx.commit().await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|n| n.id));
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut busy_claimers = 0;
    for claimer in claimers {
        let mine = claimer.await.unwrap();
        busy_claimers += usize::from(!mine.is_empty());
        total += mine.len();
        seen.extend(mine);
    }
    assert_eq!(total, ids.len(), "no row claimed twice");
    assert_eq!(seen, ids.into_iter().collect::<HashSet<_>>(), "every row claimed");
    assert!(busy_claimers > 1, "the claimers ran side by side");
}

#[tokio::test]
async fn two_workers_deliver_each_notice_exactly_once() {
    let Some(db) = support::postgres().await else { return };
    let server = SmtpServer::start().await;
    let at = now();
    queue_many(&db, 120, at).await;
    let mut small_batches = options();
    small_batches.batch_size = 10;
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (db, mailer, options) = (db.db.clone(), support::mailer(&server.url()), small_batches.clone());
            tokio::spawn(async move { drain(&db, &mailer, &options, at).await.unwrap() })
        })
        .collect();
    let mut sent = 0;
    for worker in workers {
        sent += worker.await.unwrap().sent;
    }
    assert_eq!(sent, 120);
    let received = server.received();
    assert_eq!(received.len(), 120);
    assert_eq!(received.iter().map(|r| r.to[0].clone()).collect::<HashSet<_>>().len(), 120);
}

#[tokio::test]
async fn retries_failures_leases_and_requeue_work_on_postgres() {
    let Some(db) = support::postgres().await else { return };
    let config = Config { reject_containing: Some("nobody".into()), ..Config::default() };
    let server = SmtpServer::start_with(0, config).await;
    let mailer = support::mailer(&server.url());
    let mut options = options();
    options.max_attempts = 2;
    let at = now();
    let good = queue(&db, &payload(NoticeKind::Update, "hr@b.test", 2), "good", at).await;
    let bad = queue(&db, &payload(NoticeKind::Reminder, "nobody@b.test", 1), "bad", at).await;

    let report = tick(&db, &mailer, &options, at).await.unwrap();
    assert_eq!((report.sent, report.retried), (1, 1), "{report:?}");
    let row = support::row(&db, good).await;
    assert_eq!(row.status, "sent");
    assert!(row.message_id.unwrap().starts_with(&format!("<notice-{good}.")));
    let retry_at = support::row(&db, bad).await.next_attempt_at;
    assert_eq!(tick(&db, &mailer, &options, retry_at).await.unwrap().failed, 1);
    assert_eq!(support::row(&db, bad).await.status, "failed");

    let mut tx = db.begin().await.unwrap();
    assert!(outbox::requeue(&mut tx, bad, retry_at).await.unwrap());
    // A claim left by a dead worker …
    let claimed = outbox::claim(&mut tx, retry_at, Duration::seconds(60), 10).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bad]);
    let mut conn = db.read().await.unwrap();
    assert_eq!(outbox::depth(&mut conn).await.unwrap(), 1);
    drop(conn);
    // … is taken over once its lease has run out.
    assert_eq!(tick(&db, &mailer, &options, retry_at + Duration::seconds(30)).await.unwrap().claimed, 0);
    assert_eq!(tick(&db, &mailer, &options, retry_at + Duration::seconds(61)).await.unwrap().claimed, 1);
    assert_eq!(server.received().len(), 1);
}
