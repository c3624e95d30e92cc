//! Pages: fair day. The owner completes an RSVP registration and sees its pass once
//! approved; the coordinator approves from the registrations page, checks in on the phone
//! page by typed code (twice: "already checked in"), and retries a failed notice.

use crate::helpers::{CODE_A, TestApp, fair_at, posting_body};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(the_fair_day_pages, the_event_forms_and_invitations);

async fn the_fair_day_pages(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let fair = json!({"title": "新区双选会", "venue": "体育中心", "description": null, "booth_capacity": 5, "seat_capacity": 50});
    let invited = [company.organization_id, school.organization_id];
    let id = app.create_event(&coordinator.token, &fair_at(5, ("09:00", "12:00"), &invited, fair)).await.created_id();
    let posting = app.create_posting(&company.token, &posting_body()).await.created_id();
    app.indexed().await;

    // Registered through the page; the page keeps offering the form until it is decided.
    let saved = app
        .submit(&format!("/app/events/{id}/register"), Some(&company), &[("posting_ids", &posting.to_string())], &[])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.page(&format!("/app/events/{id}"), Some(&company)).await;
    assert!(page.body.contains("保存报名信息"), "still editable: {}", page.body);
    assert!(
        page.body.contains(&format!("value=\"{posting}\" checked")),
        "the form shows what is registered: {}",
        page.body
    );

    // The coordinator sees it on the registrations page and approves it there.
    let list = app.page(&format!("/app/events/{id}/registrations"), Some(&coordinator)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("奥士康科技股份有限公司") && list.body.contains("1 个岗位"), "{}", list.body);
    assert_eq!(
        app.page(&format!("/app/events/{id}/registrations"), Some(&company)).await.status,
        StatusCode::FORBIDDEN
    );
    let registration =
        app.get(&format!("/api/v1/events/{id}/registrations"), Some(&coordinator.token)).await.body["items"][0]["id"]
            .as_i64()
            .unwrap();
    let decided = app
        .submit(
            &format!("/app/events/{id}/registrations/{registration}"),
            Some(&coordinator),
            &[("status", "approved")],
            &[],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);

    // The owner's page shows the pass: code, booth and the QR code.
    let page = app.page(&format!("/app/events/{id}"), Some(&company)).await;
    let code = app.get(&format!("/api/v1/events/{id}/registrations"), Some(&company.token)).await.body["items"][0]
        ["checkin_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(page.body.contains(&code) && page.body.contains("展位 A-01"), "{}", page.body);
    assert!(page.body.contains("<svg role=\"img\""), "the QR code inline");
    assert!(!page.body.contains("保存报名信息"), "decided: no more editing");

    // Check-in on the phone page: the counts, then the typed code, then again.
    let checkin = format!("/app/events/{id}/checkin");
    let empty = app.page(&checkin, Some(&coordinator)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("已签到 0 / 已通过审核 1"), "{}", empty.body);
    assert!(empty.body.contains("autofocus"));
    assert_eq!(app.page(&checkin, Some(&company)).await.status, StatusCode::FORBIDDEN);
    let done = app.submit(&checkin, Some(&coordinator), &[("code", &code.to_lowercase())], &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("签到成功：奥士康科技股份有限公司") && done.body.contains("已签到 1 / 已通过审核 1"));
    let again = app.submit(&checkin, Some(&coordinator), &[("code", &code)], &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("已签到过") && again.body.contains("已于"), "{}", again.body);
    let unknown = app.submit(&checkin, Some(&coordinator), &[("code", "AAAAAAAA")], &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("未找到该签到码"));
    let english = app.submit(&checkin, Some(&coordinator), &[("code", "12")], &[("Cookie", "lang=en")]).await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert!(english.body.contains("No such check-in code"), "{}", english.body);
    // A phone camera opening the pass's link fills the code in and changes nothing.
    let opened = app.page(&format!("{checkin}?code=abc.def"), Some(&coordinator)).await;
    assert!(opened.body.contains("value=\"abc.def\""));

    // Notices: send invitations from the page, see each recipient, retry a failed one.
    let notices = format!("/app/events/{id}/notices");
    let sent = app.submit(&notices, Some(&coordinator), &[("kind", "invitation")], &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let listed = app.get(&format!("/api/v1/events/{id}/notices"), Some(&coordinator.token)).await.body;
    let failed =
        listed["items"].as_array().unwrap().iter().find(|n| n["kind"] == "invitation").unwrap()["id"].as_i64().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(
        "UPDATE notices SET status = 'failed', last_error = 'mailbox full' WHERE id = $1"
    )
    .bind(failed)
    .execute(e)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let page = app.page(&notices, Some(&coordinator)).await;
    assert!(
        page.body.contains("mailbox full") && page.body.contains(&format!("/notices/{failed}/retry")),
        "{}",
        page.body
    );
    let retried = app.submit(&format!("{notices}/{failed}/retry"), Some(&coordinator), &[], &[]).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    let page = app.page(&notices, Some(&coordinator)).await;
    assert!(!page.body.contains(&format!("/notices/{failed}/retry")));
}

async fn the_event_forms_and_invitations(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let day = (Utc::now() + Duration::days(9)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    let starts = format!("{day}T09:00");
    let ends = format!("{day}T12:00");

    // A new event: a missing field is named; a whole one leads to the invitation page.
    assert_eq!(app.page("/app/events/new", Some(&company)).await.status, StatusCode::FORBIDDEN);
    let form = app.page("/app/events/new", Some(&coordinator)).await;
    assert!(form.body.contains("type=\"datetime-local\""), "{}", form.body);
    let mut fields = vec![("kind", "job_fair"), ("title", "新区双选会"), ("venue", ""), ("starts_at", starts.as_str())];
    fields.push(("ends_at", ends.as_str()));
    fields.push(("booth_capacity", "20"));
    let refused = app.submit("/app/events/new", Some(&coordinator), &fields, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("error-venue"), "{}", refused.body);
    fields[2] = ("venue", "肇庆新区体育中心");
    let created = app.submit("/app/events/new", Some(&coordinator), &fields, &[]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created.location().split('/').nth(3).unwrap().parse().unwrap();
    assert_eq!(created.location(), format!("/app/events/{id}/invite"));

    // Invite every school, then hand-pick the company found by name; take the school off.
    let invite = format!("/app/events/{id}/invite");
    app.submit(&invite, Some(&coordinator), &[("every", "schools")], &[]).await;
    let found = app.page(&format!("{invite}?q=奥士康"), Some(&coordinator)).await;
    assert!(found.body.contains("奥士康科技股份有限公司") && !found.body.contains("肇庆技师学院"), "{}", found.body);
    let company_id = company.organization_id.to_string();
    app.submit(&invite, Some(&coordinator), &[("add", company_id.as_str())], &[]).await;
    let event = app.get(&format!("/api/v1/events/{id}"), Some(&coordinator.token)).await.body;
    let mut expected = vec![company.organization_id, school.organization_id];
    expected.sort();
    assert_eq!(event["invited_organization_ids"], json!(expected));
    let school_id = school.organization_id.to_string();
    app.submit(&invite, Some(&coordinator), &[("remove", school_id.as_str())], &[]).await;
    let event = app.get(&format!("/api/v1/events/{id}"), Some(&coordinator.token)).await.body;
    assert_eq!(event["invited_organization_ids"], json!([company.organization_id]));
    assert_eq!(event["revision"], 1, "invitations keep the revision");

    // Editing: the form holds the event in Beijing time; a change raises the revision.
    let edit = format!("/app/events/{id}/edit");
    let form = app.page(&edit, Some(&coordinator)).await;
    assert!(form.body.contains(&format!("value=\"{starts}\"")), "{}", form.body);
    fields[2] = ("venue", "肇庆新区会展中心");
    let saved = app.submit(&edit, Some(&coordinator), &fields, &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("/app/events/{id}/notices"));
    let event = app.get(&format!("/api/v1/events/{id}"), Some(&coordinator.token)).await.body;
    assert_eq!((event["revision"].as_i64(), event["venue"].as_str()), (Some(2), Some("肇庆新区会展中心")));
    assert_eq!(event["invited_organization_ids"], json!([company.organization_id]), "kept by the edit");
}
