//! A coordinator's journey through a matching round: set it up on the page (a refused
//! form first), run it and watch it finish, read the statistics, find a graduate who was
//! not placed and read why, then publish with the offers' deadline.

use super::Browser;
use crate::helpers::{CODE_A, PASSWORD, Session, TestApp, graduate_with, posting_with, project_body};
use crate::in_browser;
use chrono::{Duration, Utc};
use serde_json::json;

in_browser!(coordinator_sets_up_runs_and_publishes_a_round);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";
const NEW_FORM: &str = "main form[action=\"/app/rounds/new\"]";

/// One warehouse seat wanted by three graduates (the company ranks 陈伟 first), and a
/// forklift posting nobody chose.
async fn contested_seats(app: &TestApp, coordinator: &Session) -> i64 {
    let company = app.company(coordinator, "肇庆宏达物流有限公司", CODE_A).await;
    let school = app.school(coordinator, "肇庆技师学院").await;
    app.school(coordinator, "广东工商职业技术大学").await;
    let project = app.create_project(&company.token, &project_body("新区智慧物流园")).await.created_id();
    let posting = app
        .create_posting(
            &company.token,
            &posting_with(json!({"title": "仓管员", "headcount": 1, "project_id": project})),
        )
        .await
        .created_id();
    app.create_posting(
        &company.token,
        &posting_with(json!({"title": "叉车司机", "headcount": 2, "project_id": project})),
    )
    .await
    .created_id();
    let mut ranked = Vec::new();
    for name in ["陈伟", "李娜", "王芳"] {
        let body = graduate_with(json!({"name": name, "major": "物流管理", "consent": true}));
        let graduate = app.create_graduate(&school.token, &body).await.created_id();
        app.set_choices(&school.token, graduate, &json!({"posting_ids": [posting]})).await;
        ranked.push(graduate);
    }
    app.set_shortlist(&company.token, posting, &json!({"graduate_ids": ranked})).await;
    school.organization_id
}

async fn coordinator_sets_up_runs_and_publishes_a_round(app: TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    let school_id = contested_seats(&app, &coordinator).await;

    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &coordinator.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    browser.goto("/app/rounds").await;
    browser.click("main a[href=\"/app/rounds/new\"]").await;
    assert_eq!(browser.path().await, "/app/rounds/new");
    browser.check_page("round-new", "/app/rounds/new").await;

    // A list longer than allowed is refused beside its field, the rest kept.
    browser.fill(NEW_FORM, "name", "2027届物流专场第一轮").await;
    browser.check(NEW_FORM, "scope.school_ids", &school_id.to_string(), true).await;
    browser.fill(NEW_FORM, "candidates_per_graduate", "500").await;
    browser.fill(NEW_FORM, "seed", "42").await;
    browser.submit(NEW_FORM).await;
    browser.assert_only_status_logged(422).await;
    assert!(browser.text("#error-candidates_per_graduate").await.contains("100"));
    assert_eq!(
        browser.attr(&format!("{NEW_FORM} [name=\"name\"]"), "value").await.as_deref(),
        Some("2027届物流专场第一轮")
    );
    for width in [390, 1280] {
        browser.screenshot("round-new-refused", width, "zh").await;
    }
    browser.assert_accessible("the refused round form").await;
    browser.fill(NEW_FORM, "candidates_per_graduate", "10").await;
    browser.check(NEW_FORM, "fill_from_scores", "true", false).await;
    browser.submit(NEW_FORM).await;
    let path = browser.path().await;
    assert!(path.starts_with("/app/rounds/"), "{path}");
    assert!(browser.text("p.flash[role=status]").await.contains("草稿"));
    browser.check_page("round-draft", &path).await;

    // Run it and watch the status until it is done.
    browser.submit(&format!("main form[action=\"{path}/run\"]")).await;
    let done = browser
        .poll_until(&path, std::time::Duration::from_secs(20), async |b: &Browser| {
            b.attr("section.round-status", "data-status").await.as_deref() == Some("done")
        })
        .await;
    assert!(done, "the round finished");
    let figures = browser.texts("section.round-stats dl.figures dd").await;
    assert_eq!(&figures[..3], ["3", "1", "2"], "{figures:?}");
    browser.check_page("round-done", &path).await;

    // The graduates not placed, one of them found by name, and why.
    browser.click(&format!("main a[href=\"{path}/graduates?matched=no\"]")).await;
    assert_eq!(browser.find_all("ol.round-graduates li.placement").await.len(), 2);
    browser.fill("main form[role=search]", "q", "李娜").await;
    browser.submit("main form[role=search]").await;
    assert_eq!(browser.texts("ol.round-graduates li.placement strong a").await, ["李娜"]);
    let list = browser.path().await;
    browser.check_page("round-graduates", &list).await;
    browser.click("ol.round-graduates li.placement strong a").await;
    let explained = browser.path().await;
    assert!(browser.text("ol.preference-list li[data-outcome=full]").await.contains("最后录取者第 1 位，本人第 2 位"));
    browser.check_page("round-graduate", &explained).await;

    // Publish with a deadline ten days out.
    browser.goto(&path).await;
    let due = (Utc::now() + Duration::hours(8) + Duration::days(10)).date_naive().to_string();
    let publish = format!("main form[action=\"{path}/publish\"]");
    browser.set_value(&publish, "offers_due", &due).await;
    browser.submit(&publish).await;
    assert_eq!(browser.path().await, path);
    assert!(browser.text("p.flash[role=status]").await.contains("已发布"));
    assert_eq!(browser.attr("section.round-status", "data-status").await.as_deref(), Some("published"));
    browser.check_page("round-published", &path).await;
    browser.assert_no_console_errors().await;

    // A round still running: its page shows the phase and percent and reloads itself.
    browser.goto("/app/rounds/new").await;
    browser.fill(NEW_FORM, "name", "第二轮（运行中）").await;
    browser.submit(NEW_FORM).await;
    let running = browser.path().await;
    let id: i64 = running.rsplit('/').next().and_then(|id| id.parse().ok()).expect("a round id");
    let mut tx = app.db.begin().await.unwrap();
    let token = xiaoqi::store::rounds::claim(&mut tx, id, Utc::now() - Duration::minutes(5)).await.unwrap().unwrap();
    xiaoqi::store::rounds::progress(&mut tx, id, token, "candidates", 42).await.unwrap();
    tx.commit().await.unwrap();
    // The page reloads itself every two seconds, so it is photographed without axe.
    for lang in ["en", "zh"] {
        browser.goto(&super::checks::with_lang(&running, lang)).await;
        assert_eq!(browser.attr("progress#round-progress-bar", "value").await.as_deref(), Some("42"));
        for width in [390, 1280] {
            browser.screenshot("round-running", width, lang).await;
        }
    }
    browser.close().await;
}
