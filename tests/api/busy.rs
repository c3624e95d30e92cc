//! A busy database: a large round's results are saved in short transactions, so sign-ins
//! and saves get their turn meanwhile, and readers see the round's rows all or not at all;
//! a request that cannot get a connection in time is a 503 with Retry-After, not a 500.

use crate::helpers::{Backend, PASSWORD, Reply, TestApp, posting_with, spawn_app_with};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod sqlite {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_round_saved_in_chunks_lets_writers_in() {
        super::a_round_saved_in_chunks_lets_writers_in(Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_connection_in_time_is_a_503() {
        super::no_connection_in_time_is_a_503(Backend::Sqlite).await;
    }
}

mod postgres {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_round_saved_in_chunks_lets_writers_in() {
        super::a_round_saved_in_chunks_lets_writers_in(Backend::Postgres).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_connection_in_time_is_a_503() {
        super::no_connection_in_time_is_a_503(Backend::Postgres).await;
    }
}

const GRADUATES: usize = 1_500;

/// Saved a few rows per transaction: sign-ins and posting saves land between them while the
/// round saves (one transaction for all rows would keep them out until it is done), and a
/// reader polling the results sees none or all of them.
async fn a_round_saved_in_chunks_lets_writers_in(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |layer| {
        // SQLite writes fast: smaller steps, so the save lasts long enough to watch.
        layer.round_save_rows = Some(if backend == Backend::Sqlite { 2 } else { 10 });
        layer.db_wait_ms = Some(1_500);
    })
    .await
    else {
        return;
    };
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", crate::helpers::CODE_A).await;
    let posting = app.create_posting(&company.token, &posting_with(json!({"headcount": 5}))).await.created_id();
    xiaoqi::demo::add_synthetic(&app.db, 60, GRADUATES, 11, |_, _| {}).await.expect("demo data");

    let created = app.create_round(&coordinator.token, &json!({"name": "大轮次", "seed": 5})).await;
    let id = created.created_id();
    let started = app.start_round(&coordinator.token, id).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{:?}", started.body);

    // While it runs: one task signs in and saves a posting, one after another, noting when
    // each write was answered; here the round and its results are polled.
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (app, stop, email, token) = (app.clone(), stop.clone(), company.email.clone(), company.token.clone());
        async move {
            let mut answered = Vec::new();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                assert_not_failed(&app.log_in(&email, PASSWORD).await, "a sign-in");
                answered.push(Instant::now());
                let title = format!("SMT操作工 {n}");
                assert_not_failed(&app.update_posting(&token, posting, &json!({"title": title})).await, "a save");
                answered.push(Instant::now());
            }
            answered
        }
    });
    let mut totals_seen = Vec::new();
    // When the round was first and last seen saving.
    let mut saving: Option<(Instant, Instant)> = None;
    let deadline = Instant::now() + Duration::from_secs(300);
    let round = loop {
        let round = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
        assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
        if round.body["progress"]["phase"] == "saving" {
            let now = Instant::now();
            saving = Some((saving.map_or(now, |(first, _)| first), now));
        }
        match round.body["status"].as_str() {
            Some("done") => break round.body,
            Some("failed") => panic!("round failed: {:?}", round.body),
            _ => {}
        }
        assert!(Instant::now() < deadline, "the round did not finish: {:?}", round.body);
        let results = app.get(&format!("/api/v1/rounds/{id}/assignments?per_page=1"), Some(&coordinator.token)).await;
        match results.status {
            StatusCode::CONFLICT => {}
            StatusCode::OK => totals_seen.push(results.body["total"].as_i64().unwrap()),
            other => panic!("results while saving answered {other}: {:?}", results.body),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    stop.store(true, Ordering::Relaxed);
    let answered = writer.await.unwrap();
    let (final_total, _) = totals(&app, &coordinator.token, id).await;
    assert!(final_total > 1_000, "a large round: {final_total} rows");
    assert!(
        totals_seen.iter().all(|t| *t == final_total),
        "a reader saw a partial round: {totals_seen:?} (final {final_total})"
    );
    // Writes answered while the round was seen saving. One transaction for all rows would
    // let in at most those queued before it began (2 of 48 when tried).
    let (first, last) = saving.expect("the round was seen saving");
    let landed = answered.iter().filter(|at| (first..last).contains(*at)).count();
    assert!(
        landed >= 5,
        "only {landed} of {} writes landed in the {:?} the results were saved",
        answered.len(),
        last - first
    );
    assert_eq!(round["progress"], serde_json::Value::Null);

    // Run again: the old rows are cleared in chunks too, and the same rows come back.
    let again = app.start_round(&coordinator.token, id).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{:?}", again.body);
    loop {
        let round = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
        if round.body["status"] == "done" {
            break;
        }
        assert_ne!(round.body["status"], "failed", "{:?}", round.body);
        let results = app.get(&format!("/api/v1/rounds/{id}/assignments?per_page=1"), Some(&coordinator.token)).await;
        assert!(
            results.status == StatusCode::CONFLICT
                || (results.status == StatusCode::OK && results.body["total"] == json!(final_total)),
            "{} {:?}",
            results.status,
            results.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(totals(&app, &coordinator.token, id).await, (final_total, final_total));
}

/// A round's graduate rows as the API counts them, and as the table holds them (no rows
/// of an earlier run left over).
async fn totals(app: &TestApp, token: &str, id: i64) -> (i64, i64) {
    let reply = app.get(&format!("/api/v1/rounds/{id}/assignments?per_page=1"), Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let mut conn = app.db.read().await.unwrap();
    let stored = xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM round_graduates WHERE round_id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await)
    .unwrap();
    (reply.body["total"].as_i64().unwrap(), stored)
}

#[track_caller]
fn assert_not_failed(reply: &Reply, what: &str) {
    assert!(reply.status.is_success(), "{what} while a round was saved answered {}: {:?}", reply.status, reply.body);
}

/// Every connection held (the writer in a transaction, the readers idle): a sign-in waits
/// its 200 ms, then answers 503 with Retry-After; once they are free it signs in.
async fn no_connection_in_time_is_a_503(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |layer| layer.db_wait_ms = Some(200)).await else {
        return;
    };
    let coordinator = app.coordinator().await;
    let writer = app.db.begin().await.unwrap();
    // Background tasks hold connections now and then: take those too as they come back.
    let (mut readers, mut misses) = (Vec::new(), 0);
    while misses < 3 {
        match app.db.read().await {
            Ok(conn) => {
                readers.push(conn);
                misses = 0;
            }
            Err(_) => misses += 1,
        }
        assert!(readers.len() < 100, "the pool never ran out");
    }
    let started = Instant::now();
    let reply = app.log_in(&coordinator.email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", reply.body);
    assert_eq!(reply.content_type, "application/problem+json");
    let retry_after: u64 = reply.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(started.elapsed() < Duration::from_secs(10), "answered only after {:?}", started.elapsed());

    drop(readers);
    drop(writer);
    let reply = app.log_in(&coordinator.email, PASSWORD).await;
    assert!(reply.status.is_success(), "{:?}", reply.body);
}
