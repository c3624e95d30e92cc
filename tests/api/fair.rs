//! Fair day: a registration made by an RSVP link is completed by its owner until decided,
//! the round takes what was approved, decisions are mailed with a check-in pass, check-in
//! codes work once and only at their own event, booths by zone, attendance and no-shows.

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, fair_at, posting_body, posting_with, project_body};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::services::notices::Links;
use xiaoqi::services::signing::{Claims, Signer};

on_both_backends!(
    an_rsvp_registration_is_completed_until_decided,
    checkin_codes_work_once_at_their_own_event,
    booths_by_zone_and_no_shows_counted_later,
    failed_notices_are_retried
);

/// A morning fair `days` from now, ten booths and a hundred seats.
fn event_body(days: i64, invited: &[i64]) -> Value {
    let sizes = json!({"description": null, "booth_capacity": 10, "seat_capacity": 100});
    fair_at(days, ("09:00", "12:00"), invited, sizes)
}

async fn links(app: &TestApp) -> Links {
    Links { base_url: "http://127.0.0.1".into(), signer: Signer::load_or_create(&app.db).await.unwrap() }
}

async fn form(app: &TestApp, path: &str, body: &str) -> (StatusCode, String) {
    let reply = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (reply.status(), reply.text().await.unwrap())
}

/// Posting ids the event's round would take.
async fn round_postings(app: &TestApp, event: i64) -> Vec<i64> {
    let mut conn = app.db.read().await.unwrap();
    let taking = xiaoqi::store::events::taking_part(&mut conn, event).await.unwrap();
    taking.iter().flat_map(|r| r.posting_ids.0.clone()).collect()
}

/// The RSVP token of the invitation sent to `email`.
async fn rsvp_token(app: &TestApp, event: i64, email: &str) -> String {
    let rows = app.outbox(event).await;
    let (_, _, payload) = rows.iter().find(|(k, r, _)| k == "invitation" && r == email).expect("invitation");
    let url = payload["rsvp"]["attend_url"].as_str().unwrap();
    url.split("/rsvp/").nth(1).unwrap().split('?').next().unwrap().to_string()
}

async fn registration_of(app: &TestApp, token: &str, event: i64) -> Value {
    let listed = app.get(&format!("/api/v1/events/{event}/registrations"), Some(token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    listed.body["items"][0].clone()
}

async fn approve(app: &TestApp, coordinator: &Session, event: i64, registration: i64) -> Value {
    let reply = app.decide_registration(&coordinator.token, event, registration, &json!({"status": "approved"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn an_rsvp_registration_is_completed_until_decided(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let invited = [company.organization_id, other.organization_id, school.organization_id];
    let event = app.create_event(&coordinator.token, &event_body(10, &invited)).await.created();
    let id = event["id"].as_i64().unwrap();
    app.queue_notices(&coordinator.token, id, "invitation").await;

    // The company and the school answer "attend" by their links: empty registrations.
    for who in [&company, &school] {
        let token = rsvp_token(&app, id, &who.email).await;
        let (status, page) = form(&app, &format!("/rsvp/{token}"), "answer=attend").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(&format!("/app/events/{id}")), "the answer page leads to completing it: {page}");
    }
    let empty = registration_of(&app, &company.token, id).await;
    assert_eq!((empty["source"].as_str(), empty["posting_ids"].clone()), (Some("rsvp"), json!([])));

    // Their owners complete them (200, the same registration), and may edit again.
    let posting = app.create_posting(&company.token, &posting_body()).await.created_id();
    let second = app.create_posting(&company.token, &posting_with(json!({"title": "储备干部"}))).await.created_id();
    let reply = app.register(&company.token, id, &json!({"posting_ids": [posting]})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!((reply.body["id"].clone(), reply.body["status"].clone()), (empty["id"].clone(), json!("pending")));
    let reply = app.register(&company.token, id, &json!({"posting_ids": [posting, second]})).await;
    assert_eq!(reply.body["posting_ids"], json!([posting, second]));
    let reply = app.register(&school.token, id, &json!({"graduates": 120, "teacher_name": "王老师"})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "more seats than the event has: {:?}", reply.body);
    let reply = app.register(&school.token, id, &json!({"graduates": 25, "teacher_name": "王老师"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["graduates"], 25);
    let school_registration = reply.body["id"].as_i64().unwrap();
    // Still invalid input is refused the same way.
    let reply = app.register(&company.token, id, &json!({"posting_ids": []})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids"]);

    // The round takes approved registrations only, with what they registered.
    assert!(round_postings(&app, id).await.is_empty(), "pending registrations are not in the round");
    let registration = empty["id"].as_i64().unwrap();
    let approved = approve(&app, &coordinator, id, registration).await;
    assert_eq!(round_postings(&app, id).await, vec![posting, second]);

    // Once decided, the owner can no longer change it.
    let reply = app.register(&company.token, id, &json!({"posting_ids": [posting]})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body["detail"].as_str().unwrap().contains("已审核"), "{:?}", reply.body);
    let reply =
        app.decide_registration(&coordinator.token, id, school_registration, &json!({"status": "rejected"})).await;
    assert_eq!(reply.body["status"], "rejected");
    assert!(reply.body["checkin_code"].is_null() && reply.body["booth"].is_null());

    // Each decision is mailed: the approval with its code, booth and QR pass.
    let rows = app.outbox(id).await;
    let decisions: Vec<&(String, String, Value)> =
        rows.iter().filter(|(k, _, _)| k == "registration_decision").collect();
    assert_eq!(decisions.len(), 2, "{decisions:?}");
    let (_, to, payload) = decisions.iter().find(|(_, r, _)| r == &company.email).unwrap();
    assert_eq!(to, &company.email);
    let code = approved["checkin_code"].as_str().unwrap();
    assert!(payload["summary_zh"].as_str().unwrap().contains(code), "{payload}");
    assert!(payload["summary_zh"].as_str().unwrap().contains(approved["booth"].as_str().unwrap()));
    assert!(payload["checkin_qr"].as_str().unwrap().contains(&format!("/app/events/{id}/checkin?code=")));
    let (_, _, rejected) = decisions.iter().find(|(_, r, _)| r == &school.email).unwrap();
    assert!(rejected["summary_zh"].as_str().unwrap().contains("未通过"));
    assert!(rejected.get("checkin_qr").is_none_or(Value::is_null));

    // Updates go only to organisations still coming: not the rejected school, not the
    // company that declined.
    let token = rsvp_token(&app, id, &other.email).await;
    assert_eq!(form(&app, &format!("/rsvp/{token}"), "answer=decline").await.0, StatusCode::OK);
    app.update_event(&coordinator.token, id, &json!({"venue": "肇庆新区会展中心"})).await;
    let reply = app.queue_notices(&coordinator.token, id, "update").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let updates: Vec<String> =
        app.outbox(id).await.into_iter().filter(|(k, _, _)| k == "update").map(|(_, r, _)| r).collect();
    assert_eq!(updates, vec![company.email.clone()]);
}

async fn checkin_codes_work_once_at_their_own_event(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let invited = [company.organization_id, school.organization_id];
    let id = app.create_event(&coordinator.token, &event_body(3, &invited)).await.created_id();
    let other_event = app.create_event(&coordinator.token, &event_body(4, &invited)).await.created_id();
    let posting = app.create_posting(&company.token, &posting_body()).await.created_id();

    let company_registration =
        app.register(&company.token, id, &json!({"posting_ids": [posting]})).await.created()["id"].as_i64().unwrap();
    let school_registration =
        app.register(&school.token, id, &json!({"graduates": 10, "teacher_name": "王老师"})).await.created()["id"]
            .as_i64()
            .unwrap();
    let elsewhere = app.register(&school.token, other_event, &json!({"graduates": 5, "teacher_name": "李老师"})).await;
    let elsewhere = elsewhere.created()["id"].as_i64().unwrap();

    // Pending registrations have no code; approval gives one (and a booth to companies).
    assert!(registration_of(&app, &company.token, id).await["checkin_code"].is_null());
    let approved = approve(&app, &coordinator, id, company_registration).await;
    let code = approved["checkin_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| xiaoqi::services::checkin::CODE_ALPHABET.contains(&b)), "{code}");
    assert_eq!(approved["booth"], "A-01");
    let school_pass = approve(&app, &coordinator, id, school_registration).await;
    assert!(school_pass["booth"].is_null(), "schools have no booth");
    approve(&app, &coordinator, other_event, elsewhere).await;
    // The owner sees its code; nobody else's.
    let own = registration_of(&app, &company.token, id).await;
    assert_eq!(own["checkin_code"], code.as_str());
    let listed = app.get(&format!("/api/v1/events/{id}/registrations"), Some(&school.token)).await.body;
    assert_eq!(listed["total"], 1);
    assert!(!listed.to_string().contains(&code));

    // Only coordinators check in.
    assert_eq!(app.check_in(&company.token, id, &code).await.status, StatusCode::FORBIDDEN);

    // The typed code (any case, spaces and dashes allowed) checks in once.
    let typed = format!("{}-{}", &code[..4].to_lowercase(), &code[4..]);
    let first = app.check_in(&coordinator.token, id, &typed).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["id"], company_registration);
    let at: chrono::DateTime<Utc> = first.body["checked_in_at"].as_str().unwrap().parse().unwrap();
    let again = app.check_in(&coordinator.token, id, &code).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_fields(), vec!["code"]);
    let hhmm = at.with_timezone(&xiaoqi::domain::event::shanghai()).format("%H:%M").to_string();
    assert!(
        again.body["detail"].as_str().unwrap().contains(&format!("already checked in at {hhmm}")),
        "{:?}",
        again.body
    );

    // The QR pass from the school's approval mail: the URL or its token.
    let rows = app.outbox(id).await;
    let qr = rows
        .iter()
        .find(|(k, r, _)| k == "registration_decision" && r == &school.email)
        .map(|(_, _, p)| p["checkin_qr"].as_str().unwrap().to_string())
        .unwrap();
    let token = qr.split("code=").nth(1).unwrap().to_string();
    // Another event's pass (the same school's, signed by us) is refused at this event.
    let other_rows = app.outbox(other_event).await;
    let other_qr = other_rows.iter().find(|(k, _, _)| k == "registration_decision").unwrap().2["checkin_qr"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.check_in(&coordinator.token, id, &other_qr).await.status, StatusCode::NOT_FOUND);
    // A forged token: the school's claims, signed with another key; and a tampered one.
    let forger = Signer::new(b"not the installation's key".to_vec());
    let forged = forger.sign(&Claims::Checkin { event: id, registration: school_registration });
    assert_eq!(app.check_in(&coordinator.token, id, &forged).await.status, StatusCode::NOT_FOUND);
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(app.check_in(&coordinator.token, id, &tampered).await.status, StatusCode::NOT_FOUND);
    // Another kind of signed link is no pass either.
    let signer = links(&app).await.signer;
    let rsvp = signer.sign(&Claims::Rsvp { event: id, organization: school.organization_id, expires: i64::MAX });
    assert_eq!(app.check_in(&coordinator.token, id, &rsvp).await.status, StatusCode::NOT_FOUND);
    // Unknown and malformed codes.
    assert_eq!(app.check_in(&coordinator.token, id, "AAAAAAAA").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.check_in(&coordinator.token, id, "12").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.check_in(&coordinator.token, id, "").await.error_fields(), vec!["code"]);
    assert_eq!(app.check_in(&coordinator.token, 999_999, &code).await.status, StatusCode::NOT_FOUND);
    // The company's code at the other event is unknown there.
    assert_eq!(app.check_in(&coordinator.token, other_event, &code).await.status, StatusCode::NOT_FOUND);

    // The genuine pass works once, by URL as scanned.
    let scanned = app.check_in(&coordinator.token, id, &qr).await;
    assert_eq!(scanned.status, StatusCode::CREATED, "{:?}", scanned.body);
    assert_eq!(scanned.body["id"], school_registration);
    assert_eq!(app.check_in(&coordinator.token, id, &token).await.status, StatusCode::CONFLICT);

    // A rejected registration's pass no longer checks in: its code is gone, its token 409.
    let other_elsewhere =
        app.decide_registration(&coordinator.token, other_event, elsewhere, &json!({"status": "rejected"})).await;
    assert_eq!(other_elsewhere.body["status"], "rejected");
    let reply = app.check_in(&coordinator.token, other_event, &other_qr).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    assert!(reply.body["detail"].as_str().unwrap().contains("未通过审核"), "{:?}", reply.body);

    // Each check-in is audited.
    let mut conn = app.db.read().await.unwrap();
    let audited: i64 = xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_entries WHERE action = 'check_in'"
    )
    .fetch_one(e)
    .await)
    .unwrap();
    assert_eq!(audited, 2);
}

async fn booths_by_zone_and_no_shows_counted_later(app: TestApp) {
    let coordinator = app.coordinator().await;
    let first = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let second = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let invited = [first.organization_id, second.organization_id, school.organization_id];
    let id = app.create_event(&coordinator.token, &event_body(2, &invited)).await.created_id();

    // The first company's posting belongs to a project in 喜珍产业园; the second has none.
    let project = app.create_project(&first.token, &project_body("新区电子厂")).await.created_id();
    let parked = app.create_posting(&first.token, &posting_with(json!({"project_id": project}))).await.created_id();
    let plain = app.create_posting(&second.token, &posting_body()).await.created_id();
    let r_second =
        app.register(&second.token, id, &json!({"posting_ids": [plain]})).await.created()["id"].as_i64().unwrap();
    let r_first =
        app.register(&first.token, id, &json!({"posting_ids": [parked]})).await.created()["id"].as_i64().unwrap();
    let r_school = app.register(&school.token, id, &json!({"graduates": 10, "teacher_name": "王老师"})).await.created()
        ["id"]
        .as_i64()
        .unwrap();
    // In order of approval, each zone its own letter.
    assert_eq!(approve(&app, &coordinator, id, r_second).await["booth"], "A-01");
    assert_eq!(approve(&app, &coordinator, id, r_first).await["booth"], "B-01");
    approve(&app, &coordinator, id, r_school).await;

    // Reassigned by zone: parks by name first, companies without a park last; twice the same.
    assert_eq!(app.assign_booths(&school.token, id).await.status, StatusCode::FORBIDDEN);
    let booths = |reply: &Value| -> Vec<(i64, String)> {
        let mut out: Vec<(i64, String)> = reply
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_i64().unwrap(), r["booth"].as_str().unwrap().to_string()))
            .collect();
        out.sort();
        out
    };
    let assigned = app.assign_booths(&coordinator.token, id).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    let mut expected = vec![(r_first, "A-01".to_string()), (r_second, "B-01".to_string())];
    expected.sort();
    assert_eq!(booths(&assigned.body), expected);
    assert_eq!(booths(&app.assign_booths(&coordinator.token, id).await.body), expected, "idempotent");

    // One company checks in; nobody is a no-show before the event is over.
    let code = registration_of(&app, &first.token, id).await["checkin_code"].as_str().unwrap().to_string();
    assert_eq!(app.check_in(&coordinator.token, id, &code).await.status, StatusCode::CREATED);
    let path = format!("/api/v1/events/{id}/registrations");
    let listed = app.get(&path, Some(&coordinator.token)).await.body;
    assert!(listed["items"].as_array().unwrap().iter().all(|r| r["no_show"] == false), "{listed}");

    // After the event: the approved who did not come are no-shows.
    let mut conn = app.db.begin().await.unwrap();
    let past = Utc::now() - Duration::hours(1);
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query(
        "UPDATE events SET starts_at = $2, ends_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(past - Duration::hours(3))
    .bind(past)
    .execute(e)
    .await
    .map(|_| ()))
    .unwrap();
    conn.commit().await.unwrap();
    let listed = app.get(&path, Some(&coordinator.token)).await.body;
    let no_shows: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["no_show"] == true)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let mut expected = vec![r_second, r_school];
    expected.sort();
    assert_eq!(no_shows, expected);
    let own = registration_of(&app, &second.token, id).await;
    assert_eq!(own["no_show"], true);
    assert!(own.get("past_no_shows").is_none(), "the count is for the service centre");

    // The next time it registers, the service centre sees its past no-show.
    let next = app.create_event(&coordinator.token, &event_body(20, &invited)).await.created_id();
    app.register(&second.token, next, &json!({"posting_ids": [plain]})).await.created();
    app.register(&first.token, next, &json!({"posting_ids": [parked]})).await.created();
    let listed = app.get(&format!("/api/v1/events/{next}/registrations"), Some(&coordinator.token)).await.body;
    let counts: Vec<(i64, i64)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["organization_id"].as_i64().unwrap(), r["past_no_shows"].as_i64().unwrap()))
        .collect();
    assert!(
        counts.contains(&(second.organization_id, 1)) && counts.contains(&(first.organization_id, 0)),
        "{counts:?}"
    );
}

async fn failed_notices_are_retried(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let id = app.create_event(&coordinator.token, &event_body(5, &[company.organization_id])).await.created_id();
    let other = app.create_event(&coordinator.token, &event_body(6, &[company.organization_id])).await.created_id();
    app.queue_notices(&coordinator.token, id, "invitation").await;
    let path = format!("/api/v1/events/{id}/notices");
    let notice = app.get(&path, Some(&coordinator.token)).await.body["items"][0]["id"].as_i64().unwrap();

    // A queued notice is not retried.
    let reply = app.retry_notice(&coordinator.token, id, notice).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);

    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(
        "UPDATE notices SET status = 'failed', attempts = 8, last_error = 'mailbox full' WHERE id = $1"
    )
    .bind(notice)
    .execute(e)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.retry_notice(&company.token, id, notice).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.retry_notice(&coordinator.token, other, notice).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.retry_notice(&coordinator.token, id, 999_999).await.status, StatusCode::NOT_FOUND);
    let reply = app.retry_notice(&coordinator.token, id, notice).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "queued");
    assert_eq!(reply.body["attempts"], 8, "attempts are kept");
}
