//! The offers pages: each side answers on `/app/offers`, the dashboards say how many wait,
//! and the graduate answers on their personal page.

use crate::helpers::{CODE_A, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(offers_are_answered_on_the_pages);

async fn my_page(app: &TestApp, school: &Session, graduate: i64) -> String {
    let link = app.get(&format!("/api/v1/graduates/{graduate}/link"), Some(&school.token)).await;
    assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
    let url = link.body["url"].as_str().unwrap().to_string();
    url.split_once("/me/").map(|(_, token)| format!("/me/{token}")).unwrap()
}

async fn offers_are_answered_on_the_pages(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let p = app
        .create_posting(&company.token, &posting_with(json!({"title": "SMT操作工", "headcount": 2})))
        .await
        .created_id();
    let g1 = app.create_graduate(&school.token, &graduate_with(json!({"name": "李明"}))).await.created_id();
    let g2 = app.create_graduate(&school.token, &graduate_with(json!({"name": "王芳"}))).await.created_id();
    for g in [g1, g2] {
        app.set_choices(&school.token, g, &json!({"posting_ids": [p]})).await;
    }
    let round = app.round_done(&coordinator, &json!({"name": "第一轮", "seed": 1, "fill_from_scores": false})).await;
    assert_eq!(app.publish_round(&coordinator.token, round).await.status, StatusCode::OK);
    let offers = app.offers(&coordinator.token, "per_page=100").await.body["items"].as_array().unwrap().clone();
    let offer_of = |g: i64| offers.iter().find(|o| o["graduate_id"] == g).unwrap()["id"].as_i64().unwrap();
    let (o1, o2) = (offer_of(g1), offer_of(g2));

    // The dashboards say how many wait, linking to the list.
    for session in [&company, &school] {
        let dash = app.page("/app", Some(session)).await;
        assert_eq!(dash.status, StatusCode::OK);
        assert!(dash.body.contains("href=\"/app/offers?status=pending\""), "{}", dash.body);
        assert!(dash.body.contains("2 条录用意向等待您答复"), "{}", dash.body);
    }
    let list = app.page("/app/offers", Some(&company)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("李明") && list.body.contains("王芳"));
    assert!(list.body.contains(&format!("action=\"/app/offers/{o1}/answer\"")));
    assert!(list.body.contains("value=\"interview_failed\""), "the company's reasons");
    assert!(!list.body.contains("value=\"further_study\""), "not the graduate's");
    let en = app.page("/app/offers?lang=en", Some(&school)).await;
    assert!(en.body.contains("Offers") && en.body.contains("value=\"further_study\""));

    // The company confirms g1 on the page; declining without a reason is refused and says so.
    let done = app.submit(&format!("/app/offers/{o1}/answer"), Some(&company), &[("answer", "accept")], &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), format!("/app/offers/{o1}"));
    let refused = app.submit(&format!("/app/offers/{o2}/answer"), Some(&company), &[("answer", "decline")], &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("拒绝时须选择原因"), "{}", refused.body);
    let again = app.submit(&format!("/app/offers/{o1}/answer"), Some(&company), &[("answer", "accept")], &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let detail = app.page(&format!("/app/offers/{o1}"), Some(&school)).await;
    assert!(detail.body.contains("发出录用意向") && detail.body.contains("接受"), "{}", detail.body);

    // The graduate answers on their own page: g1 accepts (placed), g2 declines.
    let mine = my_page(&app, &school, g1).await;
    let page = app.page(&mine, None).await;
    assert!(page.body.contains("id=\"offers\"") && page.body.contains("SMT操作工"), "{}", page.body);
    let done = app.submit(&format!("{mine}/offers/{o1}/answer"), None, &[("answer", "accept")], &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let answered = app.get(&format!("/api/v1/offers/{o1}"), Some(&coordinator.token)).await.body;
    assert_eq!(answered["status"], "accepted");
    assert_eq!(answered["graduate_answered_by"], "graduate");
    // Another graduate's offer is not theirs to answer.
    let other = app.submit(&format!("{mine}/offers/{o2}/answer"), None, &[("answer", "accept")], &[]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let theirs = my_page(&app, &school, g2).await;
    let declined = app
        .submit(&format!("{theirs}/offers/{o2}/answer"), None, &[("answer", "decline"), ("reason", "salary")], &[])
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
    assert_eq!(app.get(&format!("/api/v1/offers/{o2}"), Some(&coordinator.token)).await.body["status"], "declined");
    let dash = app.page("/app", Some(&school)).await;
    assert!(!dash.body.contains("/app/offers?status=pending"), "nothing waits any more");

    // The school's graduate page: the placement is recorded as 签就业协议; it records more.
    let page = app.page(&format!("/app/graduates/{g1}"), Some(&school)).await;
    assert!(page.body.contains("id=\"destinations\"") && page.body.contains("签就业协议"), "{}", page.body);
    let path = format!("/app/graduates/{g1}/outcomes");
    let refused = app.submit(&path, Some(&school), &[("destination", "labour_contract")], &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("date"), "the missing field is named");
    let fields =
        [("destination", "labour_contract"), ("date", "2026-10-08"), ("employer_name", "奥士康科技股份有限公司")];
    let done = app.submit(&path, Some(&school), &fields, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app.page(&format!("/app/graduates/{g1}"), Some(&school)).await;
    assert!(page.body.contains("签劳动合同"), "{}", page.body);
    let refused = app.submit(&path, Some(&company), &fields, &[]).await;
    assert!(matches!(refused.status.as_u16(), 403 | 404), "companies may not");
}
