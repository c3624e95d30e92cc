//! Events, registrations with capacities, notices queued once, one-click RSVP and
//! reminders at the right times (an injected clock, not sleeps).

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, fair_body, posting_body};
use crate::on_both_backends;
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::services::notices::{Links, queue_reminders};
use xiaoqi::services::signing::{Claims, Signer};

on_both_backends!(events_and_registrations, notices_are_queued_once, rsvp_links, reminders_fire_once_each);

async fn events_and_registrations(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other_company = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other_school = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let outsider = app.school(&coordinator, "肇庆医学院").await;
    let invited =
        [company.organization_id, other_company.organization_id, school.organization_id, other_school.organization_id];

    // Only coordinators create events, and every field is checked.
    let reply = app.create_event(&school.token, &fair_body(10, &invited)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut bad = fair_body(10, &[999_999]);
    bad["kind"] = json!("party");
    bad["ends_at"] = json!("2020-01-01T00:00");
    bad["starts_at"] = json!("2020-01-01T08:00");
    bad["seat_capacity"] = json!(-1);
    let reply = app.create_event(&coordinator.token, &bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.error_fields();
    for field in ["kind", "ends_at", "seat_capacity"] {
        assert!(fields.contains(&field.to_string()), "{field} not in {fields:?}");
    }
    let mut unknown = fair_body(10, &[999_999]);
    unknown["starts_at"] = json!("next tuesday");
    let reply = app.create_event(&coordinator.token, &unknown).await;
    assert_eq!(reply.error_fields(), vec!["starts_at"]);
    let reply = app.create_event(&coordinator.token, &fair_body(10, &[999_999])).await;
    assert_eq!(reply.error_fields(), vec!["invited_organization_ids[0]"]);

    // Times are entered and shown in Asia/Shanghai.
    let event = app.create_event(&coordinator.token, &fair_body(10, &invited)).await.created();
    let id = event["id"].as_i64().unwrap();
    assert!(event["starts_at"].as_str().unwrap().ends_with("T14:00:00+08:00"), "{}", event["starts_at"]);
    assert_eq!(event["revision"], 1);
    assert_eq!(event["status"], "scheduled");
    let utc: DateTime<Utc> = event["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(utc.format("%H:%M").to_string(), "06:00", "stored as the same instant");

    // Invited tenants see the event without the invitation list; others do not see it.
    let seen = app.get(&format!("/api/v1/events/{id}"), Some(&school.token)).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.get("invited_organization_ids").is_none());
    assert_eq!(app.get(&format!("/api/v1/events/{id}"), Some(&outsider.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/events", Some(&outsider.token)).await.body["total"], 0);
    assert_eq!(app.get("/api/v1/events?upcoming=true", Some(&school.token)).await.body["total"], 1);

    // A company brings its postings and takes the one booth; the next company is turned away.
    let posting = app.create_posting(&company.token, &posting_body()).await.created_id();
    let path = format!("/api/v1/events/{id}/registrations");
    let reply = app.register(&company.token, id, &json!({"posting_ids": []})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids"]);
    let reply = app.register(&company.token, id, &json!({"posting_ids": [posting], "teacher_name": "王老师"})).await;
    assert_eq!(reply.error_fields(), vec!["teacher_name"]);
    let reply = app.register(&company.token, id, &json!({"posting_ids": [posting]})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "pending");
    assert_eq!(reply.body["posting_ids"], json!([posting]));
    let registration = reply.body["id"].as_i64().unwrap();
    let again = app.register(&company.token, id, &json!({"posting_ids": [posting]})).await;
    assert_eq!(again.status, StatusCode::OK, "an undecided registration is edited: {:?}", again.body);
    assert_eq!(again.body["id"], registration);
    let other_posting = app.create_posting(&other_company.token, &posting_body()).await.created_id();
    let full = app.register(&other_company.token, id, &json!({"posting_ids": [other_posting]})).await;
    assert_eq!(full.status, StatusCode::CONFLICT);
    assert!(full.body["detail"].as_str().unwrap().contains("展位已满"), "{:?}", full.body);
    let foreign = app.register(&other_company.token, id, &json!({"posting_ids": [posting]})).await;
    assert_eq!(foreign.error_fields(), vec!["posting_ids[0]"], "another company's posting");

    // Schools bring graduates with a teacher; seats run out.
    let reply = app.register(&school.token, id, &json!({"graduates": 30})).await;
    assert_eq!(reply.error_fields(), vec!["teacher_name"]);
    let reply = app
        .register(
            &school.token,
            id,
            &json!({"graduates": 30, "teacher_name": "王老师", "teacher_phone": "13800138000"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let reply = app.register(&other_school.token, id, &json!({"graduates": 20, "teacher_name": "李老师"})).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body["detail"].as_str().unwrap().contains("剩余 10"), "{:?}", reply.body);
    let reply = app.register(&outsider.token, id, &json!({"graduates": 5, "teacher_name": "赵老师"})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "not invited");

    // Each side lists its own; the coordinator lists all and decides.
    let own = app.get(&path, Some(&company.token)).await;
    assert_eq!(own.body["total"], 1);
    assert_eq!(own.body["items"][0]["organization_id"], company.organization_id);
    assert_eq!(app.get(&path, Some(&coordinator.token)).await.body["total"], 2);
    let reply = app.decide_registration(&school.token, id, registration, &json!({"status": "approved"})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.decide_registration(&coordinator.token, id, registration, &json!({"status": "declined"})).await;
    assert_eq!(reply.error_fields(), vec!["status"]);
    let reply = app.decide_registration(&coordinator.token, id, registration, &json!({"status": "approved"})).await;
    assert_eq!(reply.body["status"], "approved");
    let counts = app.get(&format!("/api/v1/events/{id}"), Some(&coordinator.token)).await.body;
    assert_eq!((counts["booths_taken"].as_i64(), counts["seats_taken"].as_i64()), (Some(1), Some(30)));

    // Every change raises the revision; an unchanged patch does not; derived fields are read-only.
    let changed = app.update_event(&coordinator.token, id, &json!({"venue": "肇庆新区会展中心"})).await;
    assert_eq!(changed.body["revision"], 2, "{:?}", changed.body);
    let same = app.update_event(&coordinator.token, id, &json!({"venue": "肇庆新区会展中心"})).await;
    assert_eq!(same.body["revision"], 2);
    let reply = app.update_event(&coordinator.token, id, &json!({"revision": 9})).await;
    assert_eq!(reply.error_fields(), vec!["revision"]);
}

/// A company and a school invited to an event in ten days, by the coordinator.
struct Invited {
    coordinator: Session,
    company: Session,
    school: Session,
    event: Value,
    id: i64,
}

async fn invited(app: &TestApp) -> Invited {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let event = app
        .create_event(&coordinator.token, &fair_body(10, &[company.organization_id, school.organization_id]))
        .await
        .created();
    let id = event["id"].as_i64().unwrap();
    Invited { coordinator, company, school, event, id }
}

async fn notices_are_queued_once(app: TestApp) {
    let Invited { coordinator, company, school, id, .. } = invited(&app).await;
    let path = format!("/api/v1/events/{id}/notices");

    let reply = app.queue_notices(&school.token, id, "invitation").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&path, Some(&company.token)).await.status, StatusCode::FORBIDDEN);
    let reply = app.queue_notices(&coordinator.token, id, "fax").await;
    assert_eq!(reply.error_fields(), vec!["kind"]);

    let first = app.queue_notices(&coordinator.token, id, "invitation").await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{:?}", first.body);
    assert_eq!(first.body["queued"], 2, "one per user of each invited organisation");
    let again = app.queue_notices(&coordinator.token, id, "invitation").await;
    assert_eq!((again.body["queued"].as_i64(), again.body["recipients"].as_i64()), (Some(0), Some(2)));
    let rows = app.outbox(id).await;
    assert_eq!(rows.len(), 2);
    let recipients: Vec<&str> = rows.iter().map(|(_, r, _)| r.as_str()).collect();
    assert!(recipients.contains(&company.email.as_str()) && recipients.contains(&school.email.as_str()));
    let payload = &rows[0].2;
    assert_eq!(payload["event"]["revision"], 1);
    assert_eq!(payload["event"]["uid"], format!("event-{id}@127.0.0.1"));
    assert!(payload["rsvp"]["attend_url"].as_str().unwrap().contains("/rsvp/"));

    // Inviting one more organisation keeps the revision: the invitation reaches only it.
    let late = app.school(&coordinator, "肇庆医学院").await;
    let invited = json!([company.organization_id, school.organization_id, late.organization_id]);
    let reply = app.update_event(&coordinator.token, id, &json!({"invited_organization_ids": invited})).await;
    assert_eq!(reply.body["revision"], 1);
    let more = app.queue_notices(&coordinator.token, id, "invitation").await;
    assert_eq!((more.body["queued"].as_i64(), more.body["recipients"].as_i64()), (Some(1), Some(3)));

    // A change is a new revision: the update goes out again; a cancellation needs a cancelled event.
    let reply = app.queue_notices(&coordinator.token, id, "cancellation").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    app.update_event(&coordinator.token, id, &json!({"venue": "肇庆新区会展中心"})).await;
    let update = app.queue_notices(&coordinator.token, id, "update").await;
    assert_eq!(update.body["queued"], 3);
    app.update_event(&coordinator.token, id, &json!({"status": "cancelled"})).await;
    let reply = app.queue_notices(&coordinator.token, id, "invitation").await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "no invitations to a cancelled event");
    let cancel = app.queue_notices(&coordinator.token, id, "cancellation").await;
    assert_eq!(cancel.body["queued"], 3);

    // An operator puts a failed notice back in the queue from the command line.
    let failed_id: i64 = {
        let mut tx = app.db.begin().await.unwrap();
        let id = xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query_scalar(
            "UPDATE notices SET status = 'failed', last_error = 'mailbox unavailable' \
             WHERE id = (SELECT MIN(id) FROM notices WHERE event_id = $1) RETURNING id"
        )
        .bind(id)
        .fetch_one(e)
        .await)
        .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let retry = |notice: i64| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xiaoqi"))
            .args(["notices", "retry", &notice.to_string()])
            .env("DATABASE_URL", app.layer.database_url.clone().unwrap())
            .env("XIAOQI_CONFIG", "/nonexistent/xiaoqi.toml")
            .output()
            .unwrap()
    };
    let done = retry(failed_id);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let again = retry(failed_id);
    assert!(!again.status.success(), "only failed notices are retried");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not a failed notice"));

    let listed = app.get(&format!("{path}?per_page=10"), Some(&coordinator.token)).await;
    assert_eq!(listed.body["total"], 9);
    let first = &listed.body["items"][0];
    assert_eq!(first["kind"], "invitation");
    assert!(["queued", "sending", "sent", "retrying"].contains(&first["status"].as_str().unwrap()), "{first:?}");
    assert!(first["attempts"].as_i64().unwrap() <= 1, "{first:?}");
    assert!(first.get("attempts").is_some() && first.get("last_error").is_some() && first.get("sent_at").is_some());
    let kinds: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "invitation",
            "invitation",
            "invitation",
            "update",
            "update",
            "update",
            "cancellation",
            "cancellation",
            "cancellation"
        ]
    );
}

async fn links(app: &TestApp) -> Links {
    Links { base_url: "http://127.0.0.1".into(), signer: Signer::load_or_create(&app.db).await.unwrap() }
}

/// The token in a link like `http://host/rsvp/TOKEN?answer=attend`.
fn token_of(url: &str) -> String {
    url.split("/rsvp/").nth(1).unwrap().split('?').next().unwrap().to_string()
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

async fn rsvp_links(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let mut body = fair_body(10, &[company.organization_id, other.organization_id]);
    body["booth_capacity"] = json!(1);
    let event = app.create_event(&coordinator.token, &body).await.created();
    let id = event["id"].as_i64().unwrap();
    app.queue_notices(&coordinator.token, id, "invitation").await;
    let rows = app.outbox(id).await;
    let link_for = |email: &str| {
        rows.iter()
            .find(|(_, r, _)| r == email)
            .map(|(_, _, p)| p["rsvp"]["attend_url"].as_str().unwrap().to_string())
            .unwrap()
    };
    let token = token_of(&link_for(&company.email));

    // GET only shows a confirmation page: nothing is recorded by following the link.
    let page = app.get(&format!("/rsvp/{token}?answer=attend"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.as_str().unwrap().contains("2027肇庆新区校企双选会")
            || page.body.as_str().unwrap().contains("双选会")
    );
    let registrations = format!("/api/v1/events/{id}/registrations");
    assert_eq!(app.get(&registrations, Some(&coordinator.token)).await.body["total"], 0);

    // POST records the answer as a registration; declining afterwards changes it.
    let (status, _) = form(&app, &format!("/rsvp/{token}"), "answer=attend").await;
    assert_eq!(status, StatusCode::OK);
    let listed = app.get(&registrations, Some(&coordinator.token)).await.body;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["source"], "rsvp");
    assert_eq!(listed["items"][0]["status"], "pending");
    let (status, _) = form(&app, &format!("/rsvp/{token}"), "answer=decline").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.get(&registrations, Some(&coordinator.token)).await.body["items"][0]["status"], "declined");
    let (status, _) = form(&app, &format!("/rsvp/{token}"), "answer=attend").await;
    assert_eq!(status, StatusCode::OK);

    // The one booth is taken: the other company's attend is refused.
    let other_token = token_of(&link_for(&other.email));
    let (status, page) = form(&app, &format!("/rsvp/{other_token}"), "answer=attend").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("展位已满"), "{page}");
    // Declining frees the booth; once the other company has it, attending again is refused.
    assert_eq!(form(&app, &format!("/rsvp/{token}"), "answer=decline").await.0, StatusCode::OK);
    assert_eq!(form(&app, &format!("/rsvp/{other_token}"), "answer=attend").await.0, StatusCode::OK);
    let (status, page) = form(&app, &format!("/rsvp/{token}"), "answer=attend").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    // A registration the service centre rejected cannot be revived by the link.
    let listed = app.get(&registrations, Some(&coordinator.token)).await.body;
    let other_registration = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["organization_id"] == other.organization_id)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let reply =
        app.decide_registration(&coordinator.token, id, other_registration, &json!({"status": "rejected"})).await;
    assert_eq!(reply.body["status"], "rejected");
    let (status, page) = form(&app, &format!("/rsvp/{other_token}"), "answer=decline").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("未通过"), "{page}");
    // An organisation taken off the invitation list can no longer answer.
    let reply =
        app.update_event(&coordinator.token, id, &json!({"invited_organization_ids": [other.organization_id]})).await;
    assert_eq!(reply.body["revision"], 1, "changing only the invitations keeps the revision");
    let (status, _) = form(&app, &format!("/rsvp/{token}"), "answer=attend").await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A tampered token is 400; an expired one (the event has started) 410.
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'x' { b'y' } else { b'x' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(app.get(&format!("/rsvp/{tampered}?answer=attend"), None).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(form(&app, &format!("/rsvp/{tampered}"), "answer=attend").await.0, StatusCode::BAD_REQUEST);
    let signer = links(&app).await.signer;
    let expired = signer.sign(&Claims::Rsvp {
        event: id,
        organization: company.organization_id,
        expires: Utc::now().timestamp() - 1,
    });
    assert_eq!(app.get(&format!("/rsvp/{expired}?answer=attend"), None).await.status, StatusCode::GONE);
    assert_eq!(form(&app, &format!("/rsvp/{expired}"), "answer=decline").await.0, StatusCode::GONE);
}

async fn reminders_fire_once_each(app: TestApp) {
    let Invited { coordinator, company, school, event, id } = invited(&app).await;
    let starts: DateTime<Utc> = event["starts_at"].as_str().unwrap().parse().unwrap();
    let links = links(&app).await;
    let offsets = [Duration::hours(72), Duration::hours(24)];
    let at = |before: Duration| starts - before;
    let reminders = |rows: &[(String, String, Value)]| rows.iter().filter(|(k, _, _)| k == "reminder").count();

    assert_eq!(queue_reminders(&app.db, &links, &offsets, at(Duration::days(4))).await.unwrap(), 0, "too early");
    assert_eq!(queue_reminders(&app.db, &links, &offsets, at(Duration::hours(71))).await.unwrap(), 2, "3 days before");
    assert_eq!(queue_reminders(&app.db, &links, &offsets, at(Duration::hours(70))).await.unwrap(), 0, "once");
    assert_eq!(reminders(&app.outbox(id).await), 2);

    // One recipient unsubscribes through the reminder's link.
    let rows = app.outbox(id).await;
    let (_, email, payload) = rows.iter().find(|(k, _, _)| k == "reminder").unwrap();
    let url = payload["unsubscribe_url"].as_str().unwrap();
    let path = &url[url.find("/unsubscribe/").unwrap()..];
    assert_eq!(app.get(path, None).await.status, StatusCode::OK);
    let (status, _) = form(&app, path, "List-Unsubscribe=One-Click").await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        queue_reminders(&app.db, &links, &offsets, at(Duration::hours(23))).await.unwrap(),
        1,
        "1 day before, minus the unsubscribed"
    );
    assert_eq!(queue_reminders(&app.db, &links, &offsets, at(Duration::hours(1))).await.unwrap(), 0, "once");
    assert_eq!(
        queue_reminders(&app.db, &links, &offsets, starts + Duration::minutes(1)).await.unwrap(),
        0,
        "after the start"
    );
    let rows = app.outbox(id).await;
    assert_eq!(reminders(&rows), 3);
    assert_eq!(rows.iter().filter(|(k, r, _)| k == "reminder" && r == email).count(), 1);

    // An event created a few hours before its start gets only the nearest reminder.
    let mut soon = fair_body(0, &[company.organization_id, school.organization_id]);
    let start = Utc::now() + Duration::hours(5);
    let local = start.with_timezone(&xiaoqi::domain::event::shanghai());
    soon["starts_at"] = json!(local.format("%Y-%m-%dT%H:%M").to_string());
    soon["ends_at"] = json!((local + Duration::hours(2)).format("%Y-%m-%dT%H:%M").to_string());
    let soon = app.create_event(&coordinator.token, &soon).await.created();
    assert_eq!(queue_reminders(&app.db, &links, &offsets, Utc::now()).await.unwrap(), 1, "the unsubscribed stays so");
    let rows = app.outbox(soon["id"].as_i64().unwrap()).await;
    assert_eq!(rows.len(), 1);
    assert_ne!(&rows[0].1, email);
    assert!(rows[0].2["unsubscribe_url"].is_string());
}

on_both_backends!(queued_notices_are_delivered_by_the_running_service);

/// The service's own outbox worker sends what the API queued (here into `.eml` files).
async fn queued_notices_are_delivered_by_the_running_service(app: TestApp) {
    let Invited { coordinator, id, .. } = invited(&app).await;
    let path = format!("/api/v1/events/{id}/notices");
    let queued = app.queue_notices(&coordinator.token, id, "invitation").await;
    assert_eq!(queued.body["queued"], 2);

    let mut listed = Value::Null;
    for _ in 0..100 {
        listed = app.get(&path, Some(&coordinator.token)).await.body;
        if listed["items"].as_array().unwrap().iter().all(|n| n["status"] == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let items = listed["items"].as_array().unwrap();
    assert!(items.iter().all(|n| n["status"] == "sent" && n["sent_at"].is_string()), "{listed:?}");

    let dir = app.layer.mail.as_deref().unwrap().strip_prefix("file:").unwrap().to_string();
    let files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap()).collect();
    assert_eq!(files.len(), 2, "one message per recipient");
    for notice in items {
        let message_id = notice["message_id"].as_str().unwrap();
        assert!(files.iter().any(|f| f.contains(message_id)), "{message_id} not in any message");
    }
}

/// With the mail server unreachable, notices wait in the outbox; cancelling the event
/// withdraws its waiting invitations, and unsubscribing withdraws waiting reminders.
mod waiting_notices_are_withdrawn {
    use crate::helpers::{Backend, spawn_app_with};

    fn unreachable_mail(layer: &mut xiaoqi::config::SettingsLayer) {
        // Nothing listens on the discard port: every send fails at once and waits to retry.
        layer.mail = Some("smtp://127.0.0.1:9?tls=none".into());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::waiting_notices_are_withdrawn(spawn_app_with(Backend::Sqlite, unreachable_mail).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = spawn_app_with(Backend::Postgres, unreachable_mail).await {
            super::waiting_notices_are_withdrawn(app).await;
        }
    }
}

/// Wait until every notice of the event has left `queued`/`sending` (the worker tried once).
async fn all_waiting(app: &TestApp, token: &str, path: &str, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let listed = app.get(&format!("{path}?per_page=50"), Some(token)).await.body;
        let items = listed["items"].as_array().unwrap().clone();
        if items.len() == count && items.iter().all(|n| n["status"] == "retrying" || n["status"] == "failed") {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the notices did not reach retrying");
}

async fn waiting_notices_are_withdrawn(app: TestApp) {
    let Invited { coordinator, id, .. } = invited(&app).await;
    let path = format!("/api/v1/events/{id}/notices");

    // Reminders wait; an unsubscribe withdraws the one to that address.
    app.queue_notices(&coordinator.token, id, "reminder").await;
    let waiting = all_waiting(&app, &coordinator.token, &path, 2).await;
    assert!(waiting.iter().all(|n| n["status"] == "retrying" && n["last_error"].is_string()), "{waiting:?}");
    let rows = app.outbox(id).await;
    let (_, email, payload) = &rows[0];
    let url = payload["unsubscribe_url"].as_str().unwrap();
    form(&app, &url[url.find("/unsubscribe/").unwrap()..], "").await;
    let listed = app.get(&path, Some(&coordinator.token)).await.body;
    for n in listed["items"].as_array().unwrap() {
        let withdrawn = n["recipient_email"] == email.as_str();
        assert_eq!(n["status"], if withdrawn { "failed" } else { "retrying" }, "{n:?}");
        if withdrawn {
            assert!(n["last_error"].as_str().unwrap().contains("unsubscribed"));
        }
    }

    // Invitations wait; cancelling the event withdraws them, and the cancellation is queued.
    app.queue_notices(&coordinator.token, id, "invitation").await;
    all_waiting(&app, &coordinator.token, &path, 4).await;
    app.update_event(&coordinator.token, id, &json!({"status": "cancelled"})).await;
    let listed = app.get(&format!("{path}?per_page=50"), Some(&coordinator.token)).await.body;
    for n in listed["items"].as_array().unwrap() {
        assert_eq!(n["status"], "failed", "{n:?}");
    }
    let cancel = app.queue_notices(&coordinator.token, id, "cancellation").await;
    assert_eq!(cancel.body["queued"], 2);
}
