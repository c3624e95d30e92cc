//! A coordinator's journey through possible duplicates: the pairs side by side, a merge
//! confirmed on its own page, a pair dismissed, the empty list and the merged ones.

use super::Browser;
use crate::duplicates::id_number;
use crate::helpers::{PASSWORD, Session, TestApp, graduate_with};
use crate::in_browser;
use serde_json::json;

in_browser!(coordinator_merges_and_dismisses_duplicates);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";

async fn graduate(app: &TestApp, school: &Session, changes: serde_json::Value) -> i64 {
    app.create_graduate(&school.token, &graduate_with(changes)).await.created_id()
}

async fn coordinator_merges_and_dismisses_duplicates(app: TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    let technicians = app.school(&coordinator, "肇庆市高级技工学校").await;
    let college = app.school(&coordinator, "广东工商职业技术大学").await;
    // One person on both rosters (the same ID number), and two namesakes who share a phone.
    let number = id_number("20040517", 123);
    graduate(
        &app,
        &technicians,
        json!({"name": "陈晓东", "student_no": "2022040117", "class_name": "数控2201",
        "phone": "13512340001", "id_number": number, "email": null, "major": "数控技术"}),
    )
    .await;
    let kept = graduate(
        &app,
        &college,
        json!({"name": "陈晓东", "student_no": "GS-2022-0831", "phone": "13729880412",
        "id_number": number, "email": "chenxd@example.cn", "major": "数控技术应用", "education": "associate"}),
    )
    .await;
    graduate(&app, &technicians, json!({"name": "王芳", "phone": "13800000011", "major": "物流管理"})).await;
    graduate(&app, &college, json!({"name": "王芳", "phone": "13800000011", "major": "电子商务"})).await;

    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &coordinator.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
    browser.click("main a[href=\"/app/duplicates\"]").await;
    assert_eq!(browser.path().await, "/app/duplicates");
    assert_eq!(browser.find_all("ol.dup-pairs li.dup-pair").await.len(), 2);
    browser.check_page("duplicates", "/app/duplicates").await;

    // Merge the first pair keeping the right-hand record: a page says what will happen.
    let first = "ol.dup-pairs li.dup-pair[data-reason=id_number]";
    browser.click(&format!("{first} a[href$=\"keep={kept}\"]")).await;
    let confirm = format!("/app/duplicates/1/merge?keep={kept}");
    assert_eq!(browser.path().await, confirm);
    assert!(browser.text("main p.lead").await.contains("将保留右侧记录"));
    browser.check_page("duplicate-merge", &confirm).await;
    browser.submit("main form[action=\"/app/duplicates/1/merge\"]").await;
    assert_eq!(browser.path().await, "/app/duplicates");
    assert!(browser.text("p.flash[role=status]").await.contains("已合并"));
    assert_eq!(browser.find_all("ol.dup-pairs li.dup-pair").await.len(), 1);

    // The namesakes are two people.
    browser.submit("ol.dup-pairs li.dup-pair[data-reason=name_phone] form").await;
    assert!(browser.text("p.flash[role=status]").await.contains("不是同一人"));
    assert!(browser.exists("main div.empty").await, "nothing left to look at");
    browser.assert_no_console_errors().await;
    browser.check_page("duplicates-empty", "/app/duplicates").await;
    browser.check_page("duplicates-merged", "/app/duplicates?status=merged").await;
    assert!(browser.text("main p.dup-outcome").await.contains("保留右侧记录"));
    browser.close().await;
}
