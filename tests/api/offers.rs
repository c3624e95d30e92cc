//! Offers and destinations: publishing a round makes offers; both sides answer; accepted
//! places the graduate and fills the seat; declined or expired returns both; the next
//! round sees exactly what is left; postings close after their closing day.

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, graduate_with, posting_with, project_body};
use crate::on_both_backends;
use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;

on_both_backends!(offers_story, offers_are_checked, postings_close_after_their_closing_day, destinations_are_recorded);

async fn graduate(app: &TestApp, school: &Session, name: &str, email: &str) -> i64 {
    app.create_graduate(&school.token, &graduate_with(json!({"name": name, "email": email}))).await.created_id()
}

async fn status_of(app: &TestApp, token: &str, path: &str) -> Value {
    let reply = app.get(path, Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
    reply.body["status"].clone()
}

/// Offers of a round as graduate → offer.
async fn offers_by_graduate(app: &TestApp, token: &str, round: i64) -> HashMap<i64, Value> {
    let reply = app.offers(token, &format!("round_id={round}&per_page=100")).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"].as_array().unwrap().iter().map(|o| (o["graduate_id"].as_i64().unwrap(), o.clone())).collect()
}

/// Notices queued of `kind`, as (recipient, dedupe key).
async fn notices(app: &TestApp, kind: &str) -> Vec<(String, String)> {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT recipient_email, dedupe_key FROM notices WHERE kind = $1 ORDER BY id"
    )
    .bind(kind)
    .fetch_all(e)
    .await)
    .unwrap()
}

async fn outcome_rows(app: &TestApp, graduate: i64) -> Vec<(String, Option<String>, Option<i64>)> {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT destination, employer_name, offer_id FROM graduate_outcomes WHERE graduate_id = $1 ORDER BY id"
    )
    .bind(graduate)
    .fetch_all(e)
    .await)
    .unwrap()
}

async fn offers_story(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company_a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let company_b = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school_1 = app.school(&coordinator, "肇庆技师学院").await;
    let school_2 = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let project = app.create_project(&company_a.token, &project_body("新区电子产业园")).await.created_id();
    let p1 = app
        .create_posting(
            &company_a.token,
            &posting_with(json!({"title": "SMT操作工", "headcount": 1, "project_id": project})),
        )
        .await
        .created_id();
    let p2 = app
        .create_posting(&company_b.token, &posting_with(json!({"title": "机电维修工", "headcount": 2})))
        .await
        .created_id();
    let g1 = graduate(&app, &school_1, "李明", "liming@example.cn").await;
    let g2 = graduate(&app, &school_1, "王芳", "wangfang@example.cn").await;
    let g3 = graduate(&app, &school_2, "陈伟", "chenwei@example.cn").await;
    for (school, g, p) in [(&school_1, g1, p1), (&school_1, g2, p2), (&school_2, g3, p2)] {
        let reply = app.set_choices(&school.token, g, &json!({"posting_ids": [p]})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }

    let round = app.round_done(&coordinator, &json!({"name": "第一轮", "seed": 1, "fill_from_scores": false})).await;
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let reply = app.publish_round_with(&coordinator.token, round, &json!({"offers_due": past})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
    assert_eq!(reply.error_fields(), vec!["offers_due"]);
    let due = Utc::now() + Duration::days(3);
    let reply = app.publish_round_with(&coordinator.token, round, &json!({"offers_due": due.to_rfc3339()})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    // One pending offer per placement, due when the coordinator said; graduates matched.
    let offers = offers_by_graduate(&app, &coordinator.token, round).await;
    assert_eq!(offers.len(), 3);
    for (g, p) in [(g1, p1), (g2, p2), (g3, p2)] {
        let offer = &offers[&g];
        assert_eq!(offer["posting_id"], p);
        assert_eq!(offer["status"], "pending");
        let due_at = chrono::DateTime::parse_from_rfc3339(offer["due_at"].as_str().unwrap()).unwrap();
        assert!((due_at.with_timezone(&Utc) - due).num_seconds().abs() <= 1, "{:?}", offer["due_at"]);
        assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/graduates/{g}")).await, "matched");
    }
    assert_eq!(offers[&g1]["company_name"], "奥士康科技股份有限公司");
    assert_eq!(offers[&g1]["school_name"], "肇庆技师学院");
    assert_eq!(offers[&g1]["project_id"], project);
    // Each side sees its own.
    let mine = offers_by_graduate(&app, &company_a.token, round).await;
    assert_eq!(mine.keys().copied().collect::<Vec<_>>(), vec![g1]);
    assert!(mine[&g1].get("email").is_none() && mine[&g1].get("phone").is_none());
    let mut theirs: Vec<i64> = offers_by_graduate(&app, &school_1.token, round).await.keys().copied().collect();
    theirs.sort();
    assert_eq!(theirs, vec![g1, g2]);
    let o1 = offers[&g1]["id"].as_i64().unwrap();
    let o2 = offers[&g2]["id"].as_i64().unwrap();
    let o3 = offers[&g3]["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/offers/{o1}"), Some(&company_b.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/offers/{o1}"), Some(&school_2.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.answer_offer(&company_b.token, o1, "accept", None).await.status, StatusCode::NOT_FOUND);

    // Told: each company and school once per address, each graduate with an address.
    let offer_notices = notices(&app, "offer").await;
    let to: Vec<&str> = offer_notices.iter().map(|(e, _)| e.as_str()).collect();
    for session in [&company_a, &company_b, &school_1, &school_2] {
        assert_eq!(to.iter().filter(|e| **e == session.email).count(), 1, "{} in {to:?}", session.email);
    }
    for email in ["liming@example.cn", "wangfang@example.cn", "chenwei@example.cn"] {
        assert!(to.contains(&email), "{email} in {to:?}");
    }

    // Both accept g1: placed, the posting full, an agreement recorded.
    let reply = app.answer_offer(&company_a.token, o1, "accept", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "pending");
    assert_eq!(reply.body["company_answer"], "accept");
    assert_eq!(app.answer_offer(&company_a.token, o1, "accept", None).await.status, StatusCode::CONFLICT);
    let reply = app.answer_offer(&school_1.token, o1, "accept", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "accepted");
    assert_eq!(reply.body["graduate_answered_by"], "school");
    assert!(reply.body["decided_at"].is_string());
    assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/graduates/{g1}")).await, "placed");
    assert_eq!(status_of(&app, &company_a.token, &format!("/api/v1/postings/{p1}")).await, "filled");
    placement_shows(&app, [&coordinator, &company_a, &school_1], project, p1, g1).await;
    assert_eq!(
        outcome_rows(&app, g1).await,
        vec![("agreement".to_string(), Some("奥士康科技股份有限公司".to_string()), Some(o1))]
    );
    let recorded = app.get(&format!("/api/v1/graduates/{g1}/outcomes"), Some(&school_1.token)).await;
    assert_eq!(recorded.body["items"][0]["destination"], "agreement", "{:?}", recorded.body);
    assert_eq!(recorded.body["items"][0]["offer_id"], o1);
    let detail = app.get(&format!("/api/v1/offers/{o1}"), Some(&school_1.token)).await;
    let steps: Vec<(String, String)> = detail.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["side"].as_str().unwrap().to_string(), h["action"].as_str().unwrap().to_string()))
        .collect();
    let expected = [("system", "created"), ("company", "accept"), ("school", "accept"), ("system", "accepted")];
    assert_eq!(steps, expected.map(|(s, a)| (s.to_string(), a.to_string())));
    assert_eq!(
        app.answer_offer(&coordinator.token, o1, "decline", Some("other_offer")).await.status,
        StatusCode::CONFLICT
    );
    // Each answer told the other side.
    let answers = notices(&app, "offer_answer").await;
    assert!(answers.iter().any(|(e, k)| *e == school_1.email && k.starts_with(&format!("offer:{o1}:answer:company"))));
    assert!(answers.iter().any(|(e, k)| *e == company_a.email && k.starts_with(&format!("offer:{o1}:answer:school"))));

    // The school declines for g2 (with the graduate's reason): the seat and g2 are free.
    let reply = app.answer_offer(&school_1.token, o2, "decline", Some("position_filled")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "a company's reason is not the graduate's");
    assert_eq!(reply.error_fields(), vec!["reason"]);
    let reply = app.answer_offer(&school_1.token, o2, "decline", Some("location")).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "declined");
    assert_eq!(reply.body["graduate_reason"], "location");
    assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/graduates/{g2}")).await, "seeking");
    assert_eq!(app.answer_offer(&company_b.token, o2, "accept", None).await.status, StatusCode::CONFLICT);

    // g3's offer is left unanswered past its deadline: it expires, g3 is free.
    let links = app.links();
    let expired = xiaoqi::services::offers::expire_due(&app.db, &links, Utc::now()).await.unwrap();
    assert_eq!(expired, 0, "nothing is due yet");
    let expired = xiaoqi::services::offers::expire_due(&app.db, &links, due + Duration::minutes(1)).await.unwrap();
    assert_eq!(expired, 1);
    assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/offers/{o3}")).await, "expired");
    assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/graduates/{g3}")).await, "seeking");
    assert_eq!(app.answer_offer(&school_2.token, o3, "accept", None).await.status, StatusCode::CONFLICT);
    let expiry_notices = notices(&app, "offer_answer").await;
    assert!(expiry_notices.iter().any(|(e, k)| *e == company_b.email && k.starts_with(&format!("offer:{o3}:expired"))));
    assert!(expiry_notices.iter().any(|(e, k)| *e == school_2.email && k.starts_with(&format!("offer:{o3}:expired"))));

    // The next round, over everything: g1 is placed and p1 full, so neither takes part;
    // p2's two seats returned and go to g2 and g3.
    let second = app.round_done(&coordinator, &json!({"name": "第二轮", "seed": 2, "fill_from_scores": false})).await;
    let view = app.get(&format!("/api/v1/rounds/{second}"), Some(&coordinator.token)).await.body;
    assert_eq!(view["stats"]["graduates"], 2, "{view:?}");
    assert_eq!(view["stats"]["seats"], 2, "{view:?}");
    let rows = app.get(&format!("/api/v1/rounds/{second}/assignments?per_page=100"), Some(&coordinator.token)).await;
    let placed: HashMap<i64, Value> = rows.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["graduate_id"].as_i64().unwrap(), r["posting_id"].clone()))
        .collect();
    assert_eq!(placed, HashMap::from([(g2, json!(p2)), (g3, json!(p2))]));

    // A pending offer holds its seat: publish round two, then a third round has none left.
    let reply = app.publish_round(&coordinator.token, second).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let pending = offers_by_graduate(&app, &coordinator.token, second).await;
    assert_eq!(pending.len(), 2);
    let third = app.round_done(&coordinator, &json!({"name": "第三轮", "seed": 3})).await;
    let view = app.get(&format!("/api/v1/rounds/{third}"), Some(&coordinator.token)).await.body;
    assert_eq!(view["stats"]["graduates"], 0, "{view:?}");
    assert_eq!(view["stats"]["seats"], 0, "{view:?}");
}

/// After g1's offer on p1 (headcount 1, in `project`, shortage 100) is accepted: the
/// read-only fields say so in the API and on the pages; the destination stays with the
/// school and coordinators.
async fn placement_shows(
    app: &TestApp,
    [coordinator, company, school]: [&Session; 3],
    project: i64,
    posting: i64,
    g1: i64,
) {
    let read = app.get(&format!("/api/v1/postings/{posting}"), Some(&company.token)).await.body;
    assert_eq!((read["filled"].as_i64(), read["headcount"].as_i64()), (Some(1), Some(1)), "{read}");
    let read = app.get(&format!("/api/v1/projects/{project}"), Some(&company.token)).await.body;
    // The only posting is filled now, so no open seats are left.
    assert_eq!(
        (read["placed"].as_i64(), read["open_shortage"].as_i64(), read["seats"].as_i64()),
        (Some(1), Some(99), Some(0)),
        "{read}"
    );
    let listed = app.get("/api/v1/projects?per_page=100", Some(&company.token)).await.body;
    assert_eq!(listed["items"][0]["open_shortage"], 99, "{listed}");
    for session in [school, coordinator] {
        let read = app.get(&format!("/api/v1/graduates/{g1}"), Some(&session.token)).await.body;
        assert_eq!(read["destination"], "agreement", "{read}");
        let today = (Utc::now() + Duration::hours(8)).date_naive().to_string();
        assert_eq!(read["destination_date"], json!(today), "{read}");
    }
    let seen = app.get(&format!("/api/v1/graduates/{g1}"), Some(&company.token)).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert!(seen.body.get("destination").is_none_or(Value::is_null), "{:?}", seen.body);
    assert!(seen.body.get("destination_date").is_none_or(Value::is_null), "{:?}", seen.body);

    // Read-only: echoed back unchanged is fine, changed is a 422 naming the field.
    let path = format!("/api/v1/postings/{posting}");
    assert_eq!(app.patch(&path, Some(&company.token), &json!({"filled": 1})).await.status, StatusCode::OK);
    let reply = app.patch(&path, Some(&company.token), &json!({"filled": 0})).await;
    assert_eq!((reply.status, reply.error_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["filled".to_string()]));
    let path = format!("/api/v1/projects/{project}");
    let reply = app.patch(&path, Some(&company.token), &json!({"placed": 5, "open_shortage": 0})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let path = format!("/api/v1/graduates/{g1}");
    let reply = app.patch(&path, Some(&school.token), &json!({"destination": "military"})).await;
    assert_eq!(
        (reply.status, reply.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["destination".to_string()])
    );

    let page = app.page(&format!("/app/postings/{posting}"), Some(company)).await;
    assert!(page.body.contains("<dd class=\"filled\">1 / 1 人</dd>"), "{}", page.body);
    let page = app.page(&format!("/app/projects/{project}"), Some(company)).await;
    assert!(page.body.contains("<dd class=\"placed\">1</dd>"), "{}", page.body);
    assert!(page.body.contains("<dd class=\"open-shortage\">99</dd>"), "{}", page.body);
    let list = app.page("/app/projects", Some(company)).await.body;
    assert!(list.contains("class=\"num open-shortage\">99<"), "{list}");
    let roster = app.page("/app/graduates", Some(school)).await.body;
    let row = &roster[roster.find(&format!("data-graduate-id=\"{g1}\"")).expect("g1's row")..];
    assert!(row[..row.find("</tr>").unwrap()].contains("签就业协议"), "{row}");
}

async fn offers_are_checked(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let p = app.create_posting(&company.token, &posting_with(json!({"headcount": 3}))).await.created_id();
    let g = graduate(&app, &school, "李明", "liming@example.cn").await;
    app.set_choices(&school.token, g, &json!({"posting_ids": [p]})).await;
    let round = app.round_done(&coordinator, &json!({"name": "第一轮", "seed": 1, "fill_from_scores": false})).await;
    let reply = app.publish_round_with(&coordinator.token, round, &json!({"offers_due": "tomorrow"})).await;
    assert_eq!(reply.error_fields(), vec!["offers_due"]);
    // No body: the default deadline, a week later at 23:59 Beijing time.
    let reply = app
        .request(reqwest::Method::POST, &format!("/api/v1/rounds/{round}/publish"), Some(&coordinator.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let offers = app.offers(&school.token, "status=pending").await;
    assert_eq!(offers.body["total"], 1);
    let offer = offers.body["items"][0].clone();
    assert!(offer["due_at"].as_str().unwrap().ends_with("T23:59:00+08:00"), "{:?}", offer["due_at"]);
    let id = offer["id"].as_i64().unwrap();

    for (body, field) in [
        (json!({"answer": "maybe"}), "answer"),
        (json!({"answer": "decline"}), "reason"),
        (json!({"answer": "decline", "reason": "bored"}), "reason"),
        (json!({"answer": "accept", "colour": "red"}), "colour"),
    ] {
        let reply = app.post(&format!("/api/v1/offers/{id}/answer"), Some(&company.token), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
        assert_eq!(reply.error_fields(), vec![field], "{body}");
    }
    // A graduate's reason is not the company's.
    let reply = app.answer_offer(&company.token, id, "decline", Some("salary")).await;
    assert_eq!(reply.error_fields(), vec!["reason"]);
    let filter = app.offers(&company.token, "status=perhaps").await;
    assert_eq!(filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/offers/999999", Some(&coordinator.token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/offers", None).await.status, StatusCode::UNAUTHORIZED);

    // The company declines: declined at once, whatever the school would say.
    let reply = app.answer_offer(&company.token, id, "decline", Some("interview_failed")).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["status"], "declined");
    assert_eq!(reply.body["company_reason"], "interview_failed");
    assert_eq!(status_of(&app, &coordinator.token, &format!("/api/v1/graduates/{g}")).await, "seeking");
    assert_eq!(status_of(&app, &company.token, &format!("/api/v1/postings/{p}")).await, "open");
    assert!(outcome_rows(&app, g).await.is_empty());
}

async fn postings_close_after_their_closing_day(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let today = xiaoqi::domain::offer::today_in_shanghai(Utc::now());
    let yesterday = today.pred_opt().unwrap();
    let past = app
        .create_posting(
            &company.token,
            &posting_with(
                json!({"title": "已截止岗位", "starts_on": "2026-01-01", "closes_on": yesterday.to_string()}),
            ),
        )
        .await
        .created_id();
    let current = app.create_posting(&company.token, &posting_with(json!({"title": "在招岗位"}))).await.created_id();
    let g = graduate(&app, &school, "李明", "liming@example.cn").await;
    app.set_choices(&school.token, g, &json!({"posting_ids": [past, current]})).await;

    // Rounds leave it out even before the sweep closes it.
    let round = app.round_done(&coordinator, &json!({"name": "第一轮", "seed": 1, "fill_from_scores": false})).await;
    let rows = app.get(&format!("/api/v1/rounds/{round}/assignments"), Some(&coordinator.token)).await;
    let row = &rows.body["items"][0];
    assert_eq!(row["posting_id"], current);
    assert_eq!(row["explanation"]["reasons"]["dropped"][0]["posting_id"], past);

    // The day it closed on is still open; the next day it closes.
    let on_the_day = NaiveDate::parse_from_str(&yesterday.to_string(), "%Y-%m-%d").unwrap();
    xiaoqi::services::postings::close_due(&app.db, on_the_day).await.unwrap();
    assert_eq!(status_of(&app, &company.token, &format!("/api/v1/postings/{past}")).await, "open");
    xiaoqi::services::postings::close_due(&app.db, today).await.unwrap();
    assert_eq!(status_of(&app, &company.token, &format!("/api/v1/postings/{past}")).await, "closed");
    assert_eq!(status_of(&app, &company.token, &format!("/api/v1/postings/{current}")).await, "open");
    assert_eq!(xiaoqi::services::postings::close_due(&app.db, today).await.unwrap(), 0, "closing is idempotent");
}

async fn destinations_are_recorded(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let g = graduate(&app, &school, "李明", "liming@example.cn").await;
    let path = format!("/api/v1/graduates/{g}/outcomes");

    let reply = app.post(&path, Some(&school.token), &json!({"destination": "abroad_maybe", "note": "x"})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["date", "destination"]);
    let reply = app
        .post(
            &path,
            Some(&school.token),
            &json!({"destination": "further_study", "date": "2026-09-01", "note": "专升本"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["destination"], "further_study");
    assert_eq!(reply.body["date"], "2026-09-01");
    let reply = app
        .post(
            &path,
            Some(&coordinator.token),
            &json!({"destination": "labour_contract", "date": "2026-10-08", "employer_name": "肇庆小鹏汽车有限公司"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    let list = app.get(&path, Some(&school.token)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 2);
    let order: Vec<&str> =
        list.body["items"].as_array().unwrap().iter().map(|o| o["destination"].as_str().unwrap()).collect();
    assert_eq!(order, vec!["labour_contract", "further_study"], "latest first");
    // Another school and companies neither read nor write them.
    assert_eq!(app.get(&path, Some(&other.token)).await.status, StatusCode::NOT_FOUND);
    let body = json!({"destination": "military", "date": "2026-09-01"});
    assert_eq!(app.post(&path, Some(&other.token), &body).await.status, StatusCode::NOT_FOUND);
    assert!(matches!(app.get(&path, Some(&company.token)).await.status.as_u16(), 403 | 404));
    assert!(matches!(app.post(&path, Some(&company.token), &body).await.status.as_u16(), 403 | 404));
    assert_eq!(outcome_rows(&app, g).await.len(), 2, "nothing written by refused requests");
}
