//! Nothing lost, nothing sent twice: a dead server, a crashed worker, a server that never
//! answers, a recipient refused for good, a payload that cannot render, and stopping.

use crate::server::{Config, SilentServer, SmtpServer};
use crate::support::{self, now, options, payload, queue, queue_many};
use chrono::Duration;
use std::collections::HashSet;
use xiaoqi::domain::NoticeKind;
use xiaoqi::notify::{self, tick};
use xiaoqi::store::outbox;

/// A port nobody listens on (bound, then released).
async fn free_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_dead_server_delays_delivery_and_loses_nothing() {
    let db = support::sqlite().await;
    let at = now();
    let ids = queue_many(&db, 5, at).await;
    let port = free_port().await;
    let mailer = support::mailer(&format!("smtp://127.0.0.1:{port}?tls=none"));

    let report = tick(&db, &mailer, &options(), at).await.unwrap();
    assert_eq!((report.claimed, report.retried, report.sent), (5, 5, 0), "{report:?}");
    let mut latest = at;
    for &id in &ids {
        let row = support::row(&db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("retrying", 1), "{row:?}");
        assert!(row.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{row:?}");
        // First retry after 30 s ± 20 %.
        let wait = row.next_attempt_at - at;
        assert!(wait >= Duration::seconds(23) && wait <= Duration::seconds(37), "{wait}");
        latest = latest.max(row.next_attempt_at);
    }

    let server = SmtpServer::start_with(port, Config::default()).await;
    assert_eq!(tick(&db, &mailer, &options(), at + Duration::seconds(5)).await.unwrap().claimed, 0, "not yet due");
    let report = tick(&db, &mailer, &options(), latest).await.unwrap();
    assert_eq!((report.claimed, report.sent), (5, 5), "{report:?}");
    assert_eq!(tick(&db, &mailer, &options(), latest + Duration::hours(2)).await.unwrap().claimed, 0);

    let received = server.received();
    assert_eq!(received.len(), 5, "each delivered exactly once");
    let recipients: HashSet<_> = received.iter().map(|r| r.to[0].clone()).collect();
    assert_eq!(recipients.len(), 5);
    for &id in &ids {
        let row = support::row(&db, id).await;
        assert_eq!((row.status.as_str(), row.attempts, row.last_error), ("sent", 2, None));
        assert_eq!(row.sent_at, Some(latest));
    }
}

#[tokio::test]
async fn a_crashed_workers_claim_is_taken_over_after_its_lease() {
    let server = SmtpServer::start().await;
    let mailer = support::mailer(&server.url());
    let db = support::sqlite().await;
    let at = now();
    let ids = queue_many(&db, 3, at).await;

    // A worker claims the batch and dies before sending anything.
    let mut tx = db.begin().await.unwrap();
    let claimed = outbox::claim(&mut tx, at, Duration::seconds(60), 50).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.id).collect::<Vec<_>>(), ids);
    assert!(claimed.iter().all(|c| c.attempts == 1 && c.recipient_email.ends_with(".test")));
    drop(claimed);

    let report = tick(&db, &mailer, &options(), at + Duration::seconds(59)).await.unwrap();
    assert_eq!(report.claimed, 0, "the lease still holds");
    assert!(server.received().is_empty());

    let report = tick(&db, &mailer, &options(), at + Duration::seconds(61)).await.unwrap();
    assert_eq!((report.claimed, report.sent), (3, 3), "{report:?}");
    assert_eq!(tick(&db, &mailer, &options(), at + Duration::days(1)).await.unwrap().claimed, 0);
    assert_eq!(server.received().len(), 3, "sent once each");
    for id in ids {
        let row = support::row(&db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_instead_of_hanging() {
    let silent = SilentServer::start().await;
    let mailer = support::mailer(&format!("smtp://{}?tls=none", silent.addr))
        .with_send_timeout(std::time::Duration::from_millis(300));
    let db = support::sqlite().await;
    let at = now();
    let id = queue(&db, &payload(NoticeKind::Invitation, "a@b.test", 1), "k", at).await;
    let started = std::time::Instant::now();
    let report = tick(&db, &mailer, &options(), at).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(report.retried, 1);
    let row = support::row(&db, id).await;
    assert!(row.last_error.unwrap().contains("no answer"));
}

#[tokio::test]
async fn a_refused_recipient_fails_after_the_last_attempt_and_can_be_requeued() {
    let config = Config { reject_containing: Some("nobody".into()), ..Config::default() };
    let server = SmtpServer::start_with(0, config).await;
    let mailer = support::mailer(&server.url());
    let db = support::sqlite().await;
    let mut options = options();
    options.max_attempts = 3;
    let at = now();
    let bad = queue(&db, &payload(NoticeKind::Invitation, "nobody@b.test", 1), "bad", at).await;
    let good = queue(&db, &payload(NoticeKind::Invitation, "hr@b.test", 1), "good", at).await;

    let mut when = at;
    for attempt in 1..=3 {
        let report = tick(&db, &mailer, &options, when).await.unwrap();
        let row = support::row(&db, bad).await;
        assert_eq!(row.attempts, attempt);
        if attempt < 3 {
            assert_eq!((row.status.as_str(), report.retried), ("retrying", 1), "{row:?}");
            when = row.next_attempt_at;
        } else {
            assert_eq!((row.status.as_str(), report.failed), ("failed", 1), "{row:?}");
            assert!(row.last_error.as_deref().unwrap().contains("550"), "{row:?}");
        }
    }
    assert_eq!(support::row(&db, good).await.status, "sent");
    assert_eq!(tick(&db, &mailer, &options, when + Duration::days(1)).await.unwrap().claimed, 0, "failed stays failed");

    let mut tx = db.begin().await.unwrap();
    assert!(!outbox::requeue(&mut tx, good, at).await.unwrap(), "only failed notices are requeued");
    assert!(outbox::requeue(&mut tx, bad, when).await.unwrap());
    tx.commit().await.unwrap();
    let row = support::row(&db, bad).await;
    assert_eq!((row.status.as_str(), row.attempts), ("queued", 0));
    assert_eq!(tick(&db, &mailer, &options, when).await.unwrap().claimed, 1);
    assert_eq!(server.received().len(), 1, "only the good one ever arrived");
}

#[tokio::test]
async fn an_unrenderable_notice_fails_at_once_and_spares_the_batch() {
    let server = SmtpServer::start().await;
    let db = support::sqlite().await;
    let at = now();
    let bad_address = queue(&db, &payload(NoticeKind::Invitation, "not an address", 1), "bad-address", at).await;
    let good = queue(&db, &payload(NoticeKind::Invitation, "hr@b.test", 1), "good", at).await;
    // A payload from some future version that this worker cannot read.
    let mut tx = db.begin().await.unwrap();
    let broken: i64 = xiaoqi::on_backend!(&mut tx, |e| sqlx::query_scalar(
        "INSERT INTO notices (kind, recipient_email, dedupe_key, payload, status, next_attempt_at, created_at) \
         VALUES ('invitation', 'x@b.test', 'broken', $1, 'queued', $2, $2) RETURNING id"
    )
    .bind(sqlx::types::Json(serde_json::json!({"kind": "invitation", "surprise": true})))
    .bind(at)
    .fetch_one(e)
    .await
    .unwrap());
    tx.commit().await.unwrap();

    let report = tick(&db, &support::mailer(&server.url()), &options(), at).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 2), "{report:?}");
    assert_eq!(support::row(&db, good).await.status, "sent");
    for id in [bad_address, broken] {
        let row = support::row(&db, id).await;
        assert_eq!(row.status, "failed");
        assert!(row.last_error.unwrap().starts_with("cannot render"));
    }
}

#[tokio::test]
async fn the_worker_sends_in_the_background_and_stops_when_told() {
    let server = SmtpServer::start().await;
    let db = support::sqlite().await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(notify::run(db.db.clone(), support::mailer(&server.url()), options(), stopped));

    queue_many(&db, 20, now()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.received().len() < 20 {
        assert!(std::time::Instant::now() < deadline, "only {} arrived", server.received().len());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), worker).await.expect("stops promptly").unwrap();
    let mut conn = db.read().await.unwrap();
    assert_eq!(outbox::depth(&mut conn).await.unwrap(), 0);
    assert_eq!(server.received().len(), 20);
}

#[tokio::test]
async fn a_spawned_worker_shuts_down_between_sends() {
    let server = SmtpServer::start().await;
    let db = support::sqlite().await;
    let handle = notify::spawn(db.db.clone(), support::mailer(&server.url()), options());
    queue_many(&db, 5, now()).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tokio::time::timeout(std::time::Duration::from_secs(5), handle.shutdown()).await.expect("shuts down");
    // Whatever was not sent is queued again, not stuck in `sending`.
    let mut conn = db.read().await.unwrap();
    let sending: i64 =
        xiaoqi::on_backend!(&mut conn, |e| sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE status = 'sending'")
            .fetch_one(e)
            .await
            .unwrap());
    assert_eq!(sending, 0);
}

#[tokio::test]
async fn a_worker_hands_back_what_it_cannot_start_within_its_lease() {
    // One connection, a server that never answers, a 300 ms send timeout: the lease is
    // raised to 2 × 0.3 s + the record margin (two 10 s writer waits and 1 s), and a send may
    // start only while its timeout + that margin still fit.
    let silent = SilentServer::start().await;
    let mailer = support::mailer(&format!("smtp://{}?tls=none&connections=1", silent.addr))
        .with_send_timeout(std::time::Duration::from_millis(300));
    let db = support::sqlite().await;
    let mut options = options();
    options.lease = std::time::Duration::from_secs(1);
    let at = now();
    let ids = queue_many(&db, 5, at).await;

    let report = tick(&db, &mailer, &options, at).await.unwrap();
    assert_eq!((report.claimed, report.retried, report.released), (5, 1, 4), "{report:?}");
    assert_eq!(support::row(&db, ids[0]).await.status, "retrying");
    for &id in &ids[1..] {
        let row = support::row(&db, id).await;
        assert_eq!((row.status.as_str(), row.attempts, row.next_attempt_at), ("queued", 0, at), "{row:?}");
    }
}
