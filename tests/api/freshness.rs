//! Search stays true to the database: every write a document copies reaches the index
//! (the database logs it by trigger), companies never see a withdrawn consent even while
//! the index lags, and readiness and metrics say how far behind the index is.

use crate::helpers::{CODE_A, TestApp, graduate_with, posting_with, project_body};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    renames_reach_search,
    a_withdrawal_hides_a_graduate_from_companies_at_once,
    readiness_says_when_search_lags_or_fails
);

fn ids(reply: &Value) -> Vec<i64> {
    reply["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Renaming an organisation, a project or a park, or recording a graduate's destination,
/// changes no posting or graduate row, yet their documents copy those names: search finds
/// the new name and no longer the old one.
async fn renames_reach_search(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "旧名光电", CODE_A).await;
    let school = app.school(&coordinator, "旧名技校").await;
    let project = app.create_project(&company.token, &project_body("老厂房扩建")).await.created_id();
    let posting = app.create_posting(&company.token, &posting_with(json!({"project_id": project}))).await.created_id();
    let graduate = app.create_graduate(&school.token, &graduate_with(json!({}))).await.created_id();
    app.indexed().await;
    let postings = |query: String| {
        let app = &app;
        async move { app.get(&format!("/api/v1/postings?{query}"), None).await.body }
    };
    let graduates = |q: &str| {
        let (app, token, q) = (&app, coordinator.token.clone(), encoded(q));
        async move { app.get(&format!("/api/v1/graduates?q={q}"), Some(&token)).await.body }
    };
    assert_eq!(ids(&postings(format!("q={}", encoded("旧名光电"))).await), vec![posting]);
    assert_eq!(ids(&postings(format!("location={}", encoded("喜珍产业园"))).await), vec![posting]);
    assert_eq!(ids(&graduates("旧名技校").await), vec![graduate]);

    let renamed =
        app.update_organization(&coordinator.token, company.organization_id, &json!({"name": "启航智造"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    let renamed =
        app.update_organization(&coordinator.token, school.organization_id, &json!({"name": "新区工匠学院"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    let moved = app
        .patch(
            &format!("/api/v1/projects/{project}"),
            Some(&company.token),
            &json!({"name": "智能产线", "park": "砚阳湖科创园"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    let outcome = json!({"destination": "further_study", "date": "2026-09-01"});
    let recorded = app.post(&format!("/api/v1/graduates/{graduate}/outcomes"), Some(&school.token), &outcome).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    app.indexed().await;

    let found = postings(format!("q={}", encoded("启航智造"))).await;
    assert_eq!(ids(&found), vec![posting], "the company's new name");
    let item = &found["items"][0];
    assert_eq!(item["organization_name"], "启航智造");
    assert_eq!(item["project_name"], "智能产线");
    assert_eq!(item["park"], "砚阳湖科创园");
    assert_eq!(ids(&postings(format!("q={}", encoded("旧名光电"))).await), Vec::<i64>::new(), "the old name");
    assert_eq!(ids(&postings(format!("q={}", encoded("智能产线"))).await), vec![posting], "the project's new name");
    assert_eq!(ids(&postings(format!("q={}", encoded("老厂房扩建"))).await), Vec::<i64>::new());
    // The park filter.
    assert_eq!(ids(&postings(format!("location={}", encoded("砚阳湖科创园"))).await), vec![posting]);
    assert_eq!(ids(&postings(format!("location={}", encoded("喜珍产业园"))).await), Vec::<i64>::new());

    let found = graduates("新区工匠学院").await;
    assert_eq!(ids(&found), vec![graduate], "the school's new name");
    assert_eq!(found["items"][0]["organization_name"], "新区工匠学院");
    assert_eq!(found["items"][0]["destination"], "further_study", "the destination just recorded");
    assert_eq!(ids(&graduates("旧名技校").await), Vec::<i64>::new());
}

/// The index is told of nothing here (the follower is off and changes are applied by
/// hand), yet a company's search and suggestions drop a graduate the moment consent is
/// withdrawn, and the total counts them out.
async fn a_withdrawal_hides_a_graduate_from_companies_at_once(app: TestApp) {
    let app = app.restart(|l| l.follow_changes = Some(false)).await;
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let posting = app.create_posting(&company.token, &posting_with(json!({}))).await.created_id();
    let stays = app.create_graduate(&school.token, &graduate_with(json!({"name": "陈嘉欣"}))).await.created_id();
    let leaves = app.create_graduate(&school.token, &graduate_with(json!({"name": "黄志豪"}))).await.created_id();
    app.search.catch_up(&app.db).await.unwrap();
    let search = || async { app.get("/api/v1/graduates?q=PLC", Some(&company.token)).await.body };
    let suggested = || async {
        let reply = app.get(&format!("/api/v1/postings/{posting}/suggestions"), Some(&company.token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body.as_array().unwrap().iter().map(|s| s["item"]["id"].as_i64().unwrap()).collect::<Vec<_>>()
    };
    let mut before = ids(&search().await);
    before.sort_unstable();
    assert_eq!(before, vec![stays, leaves]);
    assert!(suggested().await.contains(&leaves));

    let withdrawn =
        app.post(&format!("/api/v1/graduates/{leaves}/consent"), Some(&school.token), &json!({"given": false})).await;
    assert!(withdrawn.status.is_success(), "{:?}", withdrawn.body);
    // The index still holds the graduate as consenting…
    let school_view = app.get("/api/v1/graduates?q=PLC", Some(&coordinator.token)).await.body;
    assert_eq!(school_view["total"], 2, "the index has not been told: {school_view:?}");
    // …companies do not see them.
    let after = search().await;
    assert_eq!(ids(&after), vec![stays]);
    assert_eq!(after["total"], 1);
    assert!(!suggested().await.contains(&leaves), "suggested after consent was withdrawn");
    assert!(suggested().await.contains(&stays));
}

/// `/readyz` is 503 while search lags the database by more than the limit or its follower
/// failed, 200 once caught up; `/metrics` has the lag.
async fn readiness_says_when_search_lags_or_fails(app: TestApp) {
    let app = app
        .restart(|l| {
            l.follow_changes = Some(false);
            l.search_max_lag_seconds = Some(1);
        })
        .await;
    let ready = || async { app.get("/readyz", None).await };
    assert_eq!(ready().await.status, StatusCode::SERVICE_UNAVAILABLE, "never caught up");
    app.search.catch_up(&app.db).await.unwrap();
    assert_eq!(ready().await.status, StatusCode::OK);
    let metrics = || async {
        let text =
            app.client.get(format!("{}/metrics", app.metrics_address)).send().await.unwrap().text().await.unwrap();
        let line = text.lines().find(|l| l.starts_with("xiaoqi_search_lag_seconds ")).map(str::to_string);
        line.unwrap_or_else(|| panic!("no lag gauge in {text}"))
    };
    metrics().await;

    // A write the index is not told of: within the limit still ready, beyond it not.
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "维珍妮", CODE_A).await;
    let posting = app.create_posting(&company.token, &posting_with(json!({}))).await.created_id();
    assert_eq!(ready().await.status, StatusCode::OK, "a change just written is within the limit");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let lagging = ready().await;
    assert_eq!(lagging.status, StatusCode::SERVICE_UNAVAILABLE);
    let detail = lagging.body["detail"].as_str().unwrap();
    assert!(detail.starts_with("the search index lags the database by"), "{detail}");
    let lag: f64 = metrics().await.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(lag >= 1.0, "lag {lag}");
    app.search.catch_up(&app.db).await.unwrap();
    assert_eq!(ready().await.status, StatusCode::OK, "caught up again");

    // A follower whose last attempt failed: not ready, and the database's words stay in the log.
    app.update_posting(&company.token, posting, &json!({"title": "缝纫车位工"})).await;
    rename(&app, "postings", "postings_away").await;
    assert!(app.search.apply_changes(&app.db).await.is_err());
    let failed = ready().await;
    assert_eq!(failed.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failed.body["detail"], "the search index failed to follow the database; it is retrying");
    rename(&app, "postings_away", "postings").await;
    app.search.catch_up(&app.db).await.unwrap();
    assert_eq!(ready().await.status, StatusCode::OK, "recovered");
}

async fn rename(app: &TestApp, from: &str, to: &str) {
    let sql = format!("ALTER TABLE {from} RENAME TO {to}");
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(e).await.map(|_| ()))
        .unwrap();
    tx.commit().await.unwrap();
}
