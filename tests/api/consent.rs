//! Consent as records: given and withdrawn, history, search and rounds following, the personal link.

use crate::helpers::{CODE_A, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use xiaoqi::domain::consent::CURRENT_TEXT;

on_both_backends!(
    consent_is_recorded_with_its_history,
    withdrawal_leaves_company_search_within_a_second,
    withdrawn_graduates_are_left_out_of_later_rounds,
    erasure_leaves_rounds_with_ids_only,
    personal_links_are_emailed_through_the_outbox,
);

struct World {
    coordinator: Session,
    school: Session,
    other_school: Session,
    company: Session,
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other_school = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    World { coordinator, school, other_school, company }
}

fn consent_path(id: i64) -> String {
    format!("/api/v1/graduates/{id}/consent")
}

async fn record(app: &TestApp, session: &Session, id: i64, given: bool) -> crate::helpers::Reply {
    app.post(&consent_path(id), Some(&session.token), &json!({"given": given})).await
}

/// One database number (the tests prove what is stored, not only what is answered).
async fn scalar(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(e).await).unwrap()
}

async fn consent_is_recorded_with_its_history(app: TestApp) {
    let w = world(&app).await;
    let id = app.create_graduate(&w.school.token, &graduate_with(json!({"name": "陈嘉欣"}))).await.created_id();

    // Created consenting: one record, by the teacher who created the graduate.
    let history = app.get(&consent_path(id), Some(&w.school.token)).await;
    assert_eq!(history.status, StatusCode::OK, "{:?}", history.body);
    assert_eq!(history.body["total"], 1);
    let first = &history.body["items"][0];
    assert_eq!(first["given"], true);
    assert_eq!(first["method"], "teacher");
    assert_eq!(first["user_id"], w.school.user_id);
    assert_eq!(first["recorded_by"], w.school.email.as_str());
    assert_eq!(first["purpose"], CURRENT_TEXT.purpose_zh);
    assert_eq!(first["text_version"], CURRENT_TEXT.version);

    // Withdrawn: a new record, the mirror follows.
    let withdrawn = record(&app, &w.school, id, false).await;
    assert_eq!(withdrawn.status, StatusCode::CREATED, "{:?}", withdrawn.body);
    assert_eq!(withdrawn.body["given"], false);
    assert_eq!(withdrawn.body["graduate_id"], id);
    let graduate = app.get(&format!("/api/v1/graduates/{id}"), Some(&w.school.token)).await;
    assert_eq!(graduate.body["consent"], false);

    // The same answer again writes nothing (a form sent twice records once).
    let again = record(&app, &w.school, id, false).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], withdrawn.body["id"]);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", id).await, 2);

    // A coordinator records it given again, as the service centre.
    let given = record(&app, &w.coordinator, id, true).await;
    assert_eq!(given.status, StatusCode::CREATED);
    assert_eq!(given.body["method"], "coordinator");

    // Newest first, a page at a time.
    let page = app.get(&format!("{}?per_page=2", consent_path(id)), Some(&w.school.token)).await;
    assert_eq!(page.body["total"], 3);
    let answers: Vec<&Value> = page.body["items"].as_array().unwrap().iter().map(|r| &r["given"]).collect();
    assert_eq!(answers, [&json!(true), &json!(false)]);
    assert_eq!(page.body["items"][0]["recorded_by"], w.coordinator.email.as_str());
    let second = app.get(&format!("{}?per_page=2&page=2", consent_path(id)), Some(&w.school.token)).await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);

    // Each change is audited.
    let audited = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_entries WHERE entity = 'graduate' AND entity_id = $1 AND action LIKE 'consent_%'",
        id,
    )
    .await;
    assert_eq!(audited, 2);

    // Bad answers name the field; nobody else's graduate is reachable.
    for body in [json!({}), json!({"given": "yes"}), json!({"given": null})] {
        let bad = app.post(&consent_path(id), Some(&w.school.token), &body).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(bad.error_fields(), ["given"], "{body}");
    }
    assert_eq!(app.get(&consent_path(id), Some(&w.other_school.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(record(&app, &w.other_school, id, false).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&consent_path(id), Some(&w.company.token)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(record(&app, &w.company, id, false).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&consent_path(id), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&consent_path(999_999), Some(&w.school.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", id).await, 3);
}

/// A company's search for the graduate, by name: the hit, if any.
async fn company_hit(app: &TestApp, company: &Session, name: &str) -> Option<Value> {
    let reply = app.get(&format!("/api/v1/graduates?q={}", urlencoding(name)), Some(&company.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"].as_array().unwrap().iter().find(|i| i["name"] == name).cloned()
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Poll the company's search from the moment of the withdrawal request until the
/// graduate is gone: the latency a person would see.
async fn gone_from_search_after(app: &TestApp, company: &Session, name: &str, requested: Instant) -> Duration {
    loop {
        if company_hit(app, company, name).await.is_none() {
            return requested.elapsed();
        }
        assert!(requested.elapsed() < Duration::from_secs(5), "{name} still found 5 s after withdrawing");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn withdrawal_leaves_company_search_within_a_second(app: TestApp) {
    let w = world(&app).await;
    let by_school = app.create_graduate(&w.school.token, &graduate_with(json!({"name": "陈嘉欣"}))).await.created_id();
    let by_link = app.create_graduate(&w.school.token, &graduate_with(json!({"name": "黄志豪"}))).await.created_id();
    let posting = app
        .create_posting(&w.company.token, &posting_with(json!({"title": "设备维护技术员", "majors": ["机电一体化"]})))
        .await
        .created_id();
    app.indexed().await;

    // Companies see what each consenting graduate agreed to, in search and suggestions.
    let hit = company_hit(&app, &w.company, "陈嘉欣").await.expect("found while consenting");
    assert_eq!(hit["consent_purpose"], CURRENT_TEXT.purpose_zh);
    let suggested = app.get(&format!("/api/v1/postings/{posting}/suggestions"), Some(&w.company.token)).await;
    assert_eq!(suggested.status, StatusCode::OK, "{:?}", suggested.body);
    let items = suggested.body.as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|s| s["item"]["consent_purpose"] == CURRENT_TEXT.purpose_zh), "{items:?}");

    // The school records a withdrawal.
    let requested = Instant::now();
    assert_eq!(record(&app, &w.school, by_school, false).await.status, StatusCode::CREATED);
    let school_latency = gone_from_search_after(&app, &w.company, "陈嘉欣", requested).await;

    // The graduate withdraws through their own link.
    let link = app.get(&format!("/api/v1/graduates/{by_link}/link"), Some(&w.school.token)).await;
    assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
    let path = link.body["url"].as_str().unwrap().split_once("/me/").map(|(_, t)| format!("/me/{t}/consent")).unwrap();
    let requested = Instant::now();
    let posted = app.submit(&path, None, &[("given", "false")], &[]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let link_latency = gone_from_search_after(&app, &w.company, "黄志豪", requested).await;

    eprintln!(
        "withdrawal → gone from a company's search ({:?}): recorded by the school {school_latency:?}, by the graduate's link {link_latency:?}",
        app.backend
    );
    for latency in [school_latency, link_latency] {
        assert!(latency <= Duration::from_secs(1), "withdrawal took {latency:?} to leave search");
    }

    // Once the index has caught up, nothing shows them to companies: search, suggestions.
    app.indexed().await;
    assert!(company_hit(&app, &w.company, "陈嘉欣").await.is_none());
    assert!(company_hit(&app, &w.company, "黄志豪").await.is_none());
    let suggested = app.get(&format!("/api/v1/postings/{posting}/suggestions"), Some(&w.company.token)).await;
    let ids: Vec<i64> = suggested.body.as_array().unwrap().iter().map(|s| s["item"]["id"].as_i64().unwrap()).collect();
    assert!(!ids.contains(&by_school) && !ids.contains(&by_link), "{ids:?}");
    // The school still finds its own graduates, now without a purpose.
    app.indexed().await;
    let own = app.get("/api/v1/graduates?q=%E9%99%88%E5%98%89%E6%AC%A3", Some(&w.school.token)).await;
    let own = own.body["items"].as_array().unwrap().iter().find(|i| i["id"] == by_school).cloned().unwrap();
    assert_eq!(own["consent"], false);
    assert_eq!(own["consent_purpose"], Value::Null);

    // Consent given again: found again.
    let requested = Instant::now();
    assert_eq!(record(&app, &w.school, by_school, true).await.status, StatusCode::CREATED);
    loop {
        if company_hit(&app, &w.company, "陈嘉欣").await.is_some() {
            break;
        }
        assert!(requested.elapsed() < Duration::from_secs(5), "not found again");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Create and run a round; wait until it is done and return its id.
async fn run_round(app: &TestApp, coordinator: &Session, body: Value) -> i64 {
    let created = app.create_round(&coordinator.token, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(app.start_round(&coordinator.token, id).await.status, StatusCode::ACCEPTED);
    for _ in 0..200 {
        let round = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
        match round.body["status"].as_str() {
            Some("done") => return id,
            Some("failed") => panic!("round failed: {:?}", round.body),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    panic!("round {id} did not finish within 10 s");
}

async fn rows(app: &TestApp, token: &str, round: i64) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/rounds/{round}/assignments?per_page=100"), Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"].as_array().unwrap().clone()
}

fn row_of(rows: &[Value], graduate: i64) -> Option<&Value> {
    rows.iter().find(|r| r["graduate_id"] == graduate)
}

async fn withdrawn_graduates_are_left_out_of_later_rounds(app: TestApp) {
    let w = world(&app).await;
    let posting = app
        .create_posting(&w.company.token, &posting_with(json!({"title": "SMT操作工", "headcount": 3})))
        .await
        .created_id();
    let stays = app.create_graduate(&w.school.token, &graduate_with(json!({"name": "李明"}))).await.created_id();
    let leaves = app.create_graduate(&w.school.token, &graduate_with(json!({"name": "王芳"}))).await.created_id();
    for g in [stays, leaves] {
        let chosen = app.set_choices(&w.school.token, g, &json!({"posting_ids": [posting]})).await;
        assert_eq!(chosen.status, StatusCode::OK, "{:?}", chosen.body);
    }
    let listed = app.set_shortlist(&w.company.token, posting, &json!({"graduate_ids": [leaves, stays]})).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);

    // Before: both would be placed.
    let settings = json!({"name": "第一轮", "seed": 7, "fill_from_scores": false});
    let before = run_round(&app, &w.coordinator, settings.clone()).await;
    let before_rows = rows(&app, &w.coordinator.token, before).await;
    for g in [stays, leaves] {
        assert_eq!(row_of(&before_rows, g).unwrap()["posting_id"], posting, "{before_rows:?}");
    }

    assert_eq!(record(&app, &w.school, leaves, false).await.status, StatusCode::CREATED);

    // A round prepared after the withdrawal: never placed, on no company's list.
    let after = run_round(&app, &w.coordinator, json!({"name": "第二轮", "seed": 7, "fill_from_scores": false})).await;
    let after_rows = rows(&app, &w.coordinator.token, after).await;
    assert_eq!(row_of(&after_rows, stays).unwrap()["posting_id"], posting);
    if let Some(row) = row_of(&after_rows, leaves) {
        assert_eq!(row["posting_id"], Value::Null, "a withdrawn graduate is never placed: {row:?}");
        let dropped = &row["explanation"]["reasons"]["dropped"];
        assert_eq!(dropped[0]["code"], "no_consent", "{row:?}");
    }
    let inputs = app.get(&format!("/api/v1/rounds/{after}/inputs"), Some(&w.coordinator.token)).await;
    let posting_list = &inputs.body["postings"][posting.to_string()];
    assert_eq!(
        posting_list,
        &json!([stays.to_string()]),
        "the company's list leaves the graduate out: {:?}",
        inputs.body
    );

    // Published: the company sees whom it got, with what they consented to.
    assert_eq!(app.publish_round(&w.coordinator.token, after).await.status, StatusCode::OK);
    let company_rows = rows(&app, &w.company.token, after).await;
    assert_eq!(company_rows.len(), 1, "{company_rows:?}");
    assert_eq!(company_rows[0]["graduate_id"], stays);
    assert_eq!(company_rows[0]["consent_purpose"], CURRENT_TEXT.purpose_zh);
    let page = app.page(&format!("/app/rounds/{after}"), Some(&w.company)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("同意用途：{}", CURRENT_TEXT.purpose_zh)), "{}", page.body);
}

async fn erasure_leaves_rounds_with_ids_only(app: TestApp) {
    let w = world(&app).await;
    let posting = app.create_posting(&w.company.token, &posting_with(json!({"title": "SMT操作工"}))).await.created_id();
    let erased = app
        .create_graduate(
            &w.school.token,
            &graduate_with(json!({"name": "刘洋", "phone": "13912345678", "email": "liuyang@example.cn",
                "id_number": "441202200403151237", "gender": "male"})),
        )
        .await
        .created_id();
    assert_eq!(
        app.set_choices(&w.school.token, erased, &json!({"posting_ids": [posting]})).await.status,
        StatusCode::OK
    );
    let round = run_round(&app, &w.coordinator, json!({"name": "第一轮", "seed": 1, "fill_from_scores": false})).await;
    assert_eq!(app.publish_round(&w.coordinator.token, round).await.status, StatusCode::OK);
    assert_eq!(row_of(&rows(&app, &w.coordinator.token, round).await, erased).unwrap()["graduate_name"], "刘洋");
    let sent = app.post("/api/v1/graduates/links", Some(&w.school.token), &json!({"graduate_ids": [erased]})).await;
    assert_eq!(sent.body["queued"], 1, "{:?}", sent.body);
    let link = app.get(&format!("/api/v1/graduates/{erased}/link"), Some(&w.school.token)).await;
    let me = link.body["url"].as_str().unwrap().split_once("/me/").map(|(_, t)| format!("/me/{t}")).unwrap();
    assert_eq!(app.page(&me, None).await.status, StatusCode::OK);

    assert_eq!(
        app.delete(&format!("/api/v1/graduates/{erased}"), Some(&w.school.token)).await.status,
        StatusCode::NO_CONTENT
    );

    // The round keeps its row: ids and numbers, no name, major or anything personal.
    for reader in [&w.coordinator, &w.school, &w.company] {
        let all = rows(&app, &reader.token, round).await;
        let row = row_of(&all, erased).unwrap_or_else(|| panic!("the row stays: {all:?}"));
        assert_eq!(row["graduate_name"], Value::Null);
        assert_eq!(row["graduate_major"], Value::Null);
        assert_eq!(row["consent_purpose"], Value::Null);
        assert_eq!(row["posting_id"], posting);
        assert_eq!(row["school_id"], w.school.organization_id);
        let text = row.to_string();
        for personal in ["刘洋", "13912345678", "liuyang@example.cn", "441202200403151237"] {
            assert!(!text.contains(personal), "{personal} left in the round: {text}");
        }
    }
    let stored: String = {
        let mut conn = app.db.read().await.unwrap();
        xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar(
            "SELECT CAST(preferences AS TEXT) || ' ' || CAST(explanation AS TEXT) || ' ' || COALESCE(CAST(score AS TEXT), '') \
             FROM round_graduates WHERE round_id = $1 AND graduate_id = $2"
        )
        .bind(round)
        .bind(erased)
        .fetch_one(e)
        .await)
        .unwrap()
    };
    assert!(!stored.contains("刘洋") && !stored.contains("1391234"), "{stored}");

    // Personal data is gone with them: consent records, the e-mail that carried the link.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", erased).await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notices WHERE graduate_id = $1", erased).await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM graduate_choices WHERE graduate_id = $1", erased).await, 0);
    // The link opens nothing any more.
    let gone = app.page(&me, None).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(!gone.body.contains("刘洋"));
}

async fn personal_links_are_emailed_through_the_outbox(app: TestApp) {
    let w = world(&app).await;
    let with_email = app
        .create_graduate(&w.school.token, &graduate_with(json!({"name": "陈嘉欣", "email": "Chen.JX@Example.cn"})))
        .await
        .created_id();
    let without_email = app
        .create_graduate(&w.school.token, &graduate_with(json!({"name": "黄志豪", "email": null})))
        .await
        .created_id();
    let elsewhere = app.create_graduate(&w.other_school.token, &graduate_with(json!({}))).await.created_id();
    let path = "/api/v1/graduates/links";

    let sent = app.post(path, Some(&w.school.token), &json!({"graduate_ids": [with_email, without_email]})).await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body, json!({"queued": 1, "without_email": 1, "already_queued": 0}));
    // Sent twice the same day: queued once.
    let again = app.post(path, Some(&w.school.token), &json!({"graduate_ids": [with_email]})).await;
    assert_eq!(again.body, json!({"queued": 0, "without_email": 0, "already_queued": 1}));

    // Refusals name what was wrong and queue nothing.
    let foreign = app.post(path, Some(&w.school.token), &json!({"graduate_ids": [without_email, elsewhere]})).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign.error_fields(), ["graduate_ids[1]"]);
    for body in [json!({}), json!({"graduate_ids": "1"}), json!({"graduate_ids": [0]}), json!({"graduate_ids": [1, 1]})]
    {
        let bad = app.post(path, Some(&w.school.token), &body).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(bad.error_fields().iter().all(|f| f.starts_with("graduate_ids")), "{body}: {:?}", bad.body);
    }
    assert_eq!(
        app.post(path, Some(&w.company.token), &json!({"graduate_ids": [with_email]})).await.status,
        StatusCode::FORBIDDEN
    );
    let by_coordinator = app.post(path, Some(&w.coordinator.token), &json!({"graduate_ids": [elsewhere]})).await;
    assert_eq!(by_coordinator.body["queued"], 1);

    // The notice: to the graduate, by name, with a link that opens their page.
    let (kind, recipient, payload): (String, String, sqlx::types::Json<Value>) = {
        let mut conn = app.db.read().await.unwrap();
        xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
            "SELECT kind, recipient_email, payload FROM notices WHERE graduate_id = $1"
        )
        .bind(with_email)
        .fetch_one(e)
        .await)
        .unwrap()
    };
    assert_eq!(kind, "personal_link");
    assert_eq!(recipient, "chen.jx@example.cn");
    assert_eq!(payload.0["recipient"]["name"], "陈嘉欣");
    let url = payload.0["link"].as_str().unwrap();
    let me = url.split_once("/me/").map(|(_, t)| format!("/me/{t}")).unwrap();
    let page = app.page(&me, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("陈嘉欣"));
    assert!(payload.0["summary_zh"].as_str().unwrap().contains("肇庆技师学院"));

    // The service's outbox worker sends it.
    let mut status = String::new();
    for _ in 0..100 {
        status = {
            let mut conn = app.db.read().await.unwrap();
            xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar(
                "SELECT status FROM notices WHERE graduate_id = $1"
            )
            .bind(with_email)
            .fetch_one(e)
            .await)
            .unwrap()
        };
        if status == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "sent");
    let dir = app.layer.mail.as_deref().unwrap().strip_prefix("file:").unwrap().to_string();
    let files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap()).collect();
    assert!(files.iter().any(|f| f.contains("chen.jx@example.cn")), "{files:?}");
    // Each sending is in the graduate's audit trail.
    let audited = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_entries WHERE entity = 'graduate' AND entity_id = $1 AND action = 'send_personal_link'",
        with_email,
    )
    .await;
    assert_eq!(audited, 1);
}
