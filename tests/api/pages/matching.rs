//! Page tests: the matching pages. A posting's candidates (consenting graduates only, no
//! contact details) and its shortlist kept by forms; registering for an event; a published
//! round's placements with their explanations.

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, fair_at, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(candidates_and_the_shortlist, registering_for_an_event, round_results);

/// Form fields built from values computed in the test.
fn fields<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

async fn shortlist_of(app: &TestApp, company: &Session, posting: i64) -> Value {
    let reply = app.get(&format!("/api/v1/postings/{posting}/shortlist"), Some(&company.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["graduate_ids"].clone()
}

/// Where each graduate's row stands in the page's shortlist, in order.
fn shortlist_rows(html: &str) -> Vec<i64> {
    let list = html.split("<ol class=\"shortlist\"").nth(1).and_then(|rest| rest.split("</ol>").next()).unwrap_or("");
    list.split("<li data-graduate-id=\"").skip(1).filter_map(|item| item.split('"').next()?.parse().ok()).collect()
}

async fn candidates_and_the_shortlist(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other_company = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let posting = app.create_posting(&company.token, &posting_with(json!({"title": "SMT操作工"}))).await.created_id();
    let graduate = |name: &str, consent: bool, email: &str, phone: &str| {
        graduate_with(json!({"name": name, "consent": consent, "email": email, "phone": phone}))
    };
    let li = app.create_graduate(&school.token, &graduate("李明", true, "liming@example.cn", "13800138001")).await;
    let wang = app.create_graduate(&school.token, &graduate("王芳", true, "wangfang@example.cn", "13800138002")).await;
    let liu = app.create_graduate(&school.token, &graduate("刘洋", false, "liuyang@example.cn", "13800138003")).await;
    let (li, wang, liu) = (li.created_id(), wang.created_id(), liu.created_id());
    app.indexed().await;

    // Consenting graduates who suit the posting, with the parts that matched; never a
    // graduate who did not consent, never contact details.
    let path = format!("/app/postings/{posting}/candidates");
    let shown = app.page(&path, Some(&company)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    for id in [li, wang] {
        assert!(shown.body.contains(&format!("class=\"candidate\" id=\"candidate-{id}\" data-graduate-id=\"{id}\"")));
    }
    assert!(shown.body.contains("李明") && shown.body.contains("肇庆技师学院") && shown.body.contains("机电一体化"));
    assert!(shown.body.contains("data-part=\"major\" data-level=\"good\""), "the major is listed by the posting");
    assert!(shown.body.contains("加入候选名单"));
    assert!(!shown.body.contains(&format!("data-graduate-id=\"{liu}\"")) && !shown.body.contains("刘洋"));
    for contact in ["liming@example.cn", "wangfang@example.cn", "13800138001", "13800138002"] {
        assert!(!shown.body.contains(contact), "{contact} shown to a company");
    }
    assert_eq!(app.page(&path, Some(&other_company)).await.status, StatusCode::NOT_FOUND);

    // Every operation answers 303 back to the page and is stored as the API's shortlist.
    let form = format!("/app/postings/{posting}/shortlist");
    let op = |op: &str, id: i64| vec![("op", op.to_string()), ("graduate_id", id.to_string())];
    for id in [li, wang] {
        let added = app.submit(&form, Some(&company), &fields(&op("add", id)), &[]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert!(added.location().starts_with(&path), "{}", added.location());
    }
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([li, wang]));
    assert_eq!(app.submit(&form, Some(&company), &fields(&op("down", li)), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([wang, li]));
    let shown = app.page(&path, Some(&company)).await;
    assert_eq!(shortlist_rows(&shown.body), vec![wang, li]);
    assert!(shown.body.contains(&format!("name=\"rank_{li}\" type=\"number\"")) && shown.body.contains("按序号重排"));

    // Renumbering: by the rank numbers, or by the order the script sends.
    let (rank_li, rank_wang) = (format!("rank_{li}"), format!("rank_{wang}"));
    let by_rank = vec![("op", "order".to_string()), (rank_li.as_str(), "1".into()), (rank_wang.as_str(), "2".into())];
    assert_eq!(app.submit(&form, Some(&company), &fields(&by_rank), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([li, wang]));
    let dragged = vec![("op", "order".into()), ("graduate_ids", wang.to_string()), ("graduate_ids", li.to_string())];
    assert_eq!(app.submit(&form, Some(&company), &fields(&dragged), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([wang, li]));
    assert_eq!(
        app.submit(&form, Some(&company), &fields(&op("remove", wang)), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([li]));

    // A graduate the company may not see is refused on the page, never a 500; nothing changes.
    let refused = app.submit(&form, Some(&company), &fields(&op("add", liu)), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("class=\"form-errors\"") && !refused.body.contains("刘洋"));
    let nonsense = app.submit(&form, Some(&company), &fields(&op("up", 999_999)), &[]).await;
    assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nonsense.body.contains("class=\"form-errors\""));
    assert_eq!(shortlist_of(&app, &company, posting).await, json!([li]));
    assert_eq!(
        app.submit(&form, Some(&other_company), &fields(&op("add", wang)), &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

fn event_body(title: &str, invited: &[i64]) -> Value {
    fair_at(10, ("14:00", "17:30"), invited, json!({"title": title, "booth_capacity": 5}))
}

async fn registering_for_an_event(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let posting = app.create_posting(&company.token, &posting_with(json!({"title": "SMT操作工"}))).await.created_id();
    let invited = app.create_event(&coordinator.token, &event_body("冬季双选会", &[company.organization_id])).await;
    let elsewhere = app.create_event(&coordinator.token, &event_body("维珍妮专场", &[other.organization_id])).await;
    let (invited, elsewhere) = (invited.created_id(), elsewhere.created_id());
    app.indexed().await;

    let list = app.page("/app/events", Some(&company)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("冬季双选会") && !list.body.contains("维珍妮专场"));
    assert!(list.body.contains("未报名"));

    let path = format!("/app/events/{invited}");
    let shown = app.page(&path, Some(&company)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("肇庆新区体育中心") && shown.body.contains("14:00–17:30"));
    assert!(
        shown.body.contains(&format!("name=\"posting_ids\" value=\"{posting}\"")) && shown.body.contains("报名参加")
    );

    // No posting ticked: the form again, with the error beside the list.
    let form = format!("/app/events/{invited}/register");
    let empty = app.submit(&form, Some(&company), &fields(&[("posting_ids", String::new())]), &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("class=\"form-errors\"") && empty.body.contains("id=\"error-posting_ids\""));

    let sent = app
        .submit(
            &form,
            Some(&company),
            &fields(&[("posting_ids", String::new()), ("posting_ids", posting.to_string())]),
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), path);
    let shown = app.page(&path, Some(&company)).await;
    assert!(shown.body.contains("<p class=\"registration-status\" data-status=\"pending\">"), "{}", shown.body);
    assert!(shown.body.contains("待审核") && shown.body.contains("SMT操作工"));
    assert!(!shown.body.contains("报名参加") && shown.body.contains("保存报名信息"), "editable until decided");
    assert!(app.page("/app/events", Some(&company)).await.body.contains("data-status=\"pending\""));

    // Sending again edits the undecided registration; an event one is not invited to does
    // not exist.
    let again = app.submit(&form, Some(&company), &fields(&[("posting_ids", posting.to_string())]), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let not_invited = format!("/app/events/{elsewhere}/register");
    let uninvited =
        app.submit(&not_invited, Some(&company), &fields(&[("posting_ids", posting.to_string())]), &[]).await;
    assert_eq!(uninvited.status, StatusCode::NOT_FOUND);
    assert_eq!(app.page(&format!("/app/events/{elsewhere}"), Some(&company)).await.status, StatusCode::NOT_FOUND);
}

async fn round_results(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let posting = app
        .create_posting(&company.token, &posting_with(json!({"title": "SMT操作工", "headcount": 1})))
        .await
        .created_id();
    let graduate =
        app.create_graduate(&school.token, &graduate_with(json!({"name": "陈伟", "consent": true}))).await.created_id();
    let chosen = app.set_choices(&school.token, graduate, &json!({"posting_ids": [posting]})).await;
    assert_eq!(chosen.status, StatusCode::OK);
    let listed = app.set_shortlist(&company.token, posting, &json!({"graduate_ids": [graduate]})).await;
    assert_eq!(listed.status, StatusCode::OK);
    let round = app
        .create_round(&coordinator.token, &json!({"name": "第一轮双选", "seed": 42, "fill_from_scores": false}))
        .await
        .created_id();
    assert_eq!(app.start_round(&coordinator.token, round).await.status, StatusCode::ACCEPTED);
    for _ in 0..200 {
        let state = app.get(&format!("/api/v1/rounds/{round}"), Some(&coordinator.token)).await;
        if state.body["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Not published: companies do not see it.
    let path = format!("/app/rounds/{round}");
    assert_eq!(app.page(&path, Some(&company)).await.status, StatusCode::NOT_FOUND);
    assert!(!app.page("/app/rounds", Some(&company)).await.body.contains("第一轮双选"));

    assert_eq!(app.publish_round(&coordinator.token, round).await.status, StatusCode::OK);
    let list = app.page("/app/rounds", Some(&company)).await;
    assert!(list.body.contains(&format!("href=\"/app/rounds/{round}\">第一轮双选</a>")), "{}", list.body);
    let shown = app.page(&path, Some(&company)).await;
    assert_eq!(shown.status, StatusCode::OK);
    let rows = app.get(&format!("/api/v1/rounds/{round}/assignments"), Some(&company.token)).await;
    let explanation = rows.body["items"][0]["explanation"]["zh"].as_str().expect("an explanation").to_string();
    assert!(!explanation.is_empty());
    let section = shown.body.split(&format!("data-posting-id=\"{posting}\"")).nth(1).expect("the posting's section");
    assert!(section.contains(&format!("data-graduate-id=\"{graduate}\"")) && section.contains("陈伟"));
    assert!(section.contains(&askama_escape(&explanation)), "{explanation} not in {section}");

    // A posting's own page of the round lists its placements a page at a time.
    let own = app.page(&format!("{path}/postings/{posting}"), Some(&company)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains(&format!("data-graduate-id=\"{graduate}\"")) && own.body.contains("陈伟"));
    assert_eq!(app.page(&format!("{path}/postings/999999"), Some(&company)).await.status, StatusCode::NOT_FOUND);
}

/// Text as the templates escape it.
fn askama_escape(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}
