//! Pages: coordinator area. `/app/duplicates`: pairs side by side, a confirmation before a
//! merge, dismissing, pagination, the empty state, and nobody else let in.

use crate::duplicates::{id_number, masked};
use crate::helpers::{Session, TestApp, graduate_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(the_duplicates_page_shows_pairs_side_by_side, merging_from_the_page_asks_first, pages_of_pairs);

async fn schools(app: &TestApp) -> (Session, Session, Session) {
    let coordinator = app.coordinator().await;
    let a = app.school(&coordinator, "肇庆技师学院").await;
    let b = app.school(&coordinator, "肇庆工商职业技术学院").await;
    (coordinator, a, b)
}

async fn graduate(app: &TestApp, school: &Session, changes: serde_json::Value) -> i64 {
    app.create_graduate(&school.token, &graduate_with(changes)).await.created_id()
}

async fn the_duplicates_page_shows_pairs_side_by_side(app: TestApp) {
    let (coordinator, a, b) = schools(&app).await;
    let empty = app.page("/app/duplicates", Some(&coordinator)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("class=\"empty\""), "{}", empty.body);
    assert!(empty.body.contains("目前没有待处理的疑似重复记录"));
    let dashboard = app.page("/app", Some(&coordinator)).await;
    assert!(dashboard.body.contains("href=\"/app/duplicates\""), "the dashboard links the page");

    let number = id_number("20040517", 123);
    let left = graduate(
        &app,
        &a,
        json!({"name": "陈晓东", "student_no": "2023001", "phone": "13500000001", "id_number": number}),
    )
    .await;
    let right = graduate(
        &app,
        &b,
        json!({"name": "陈晓东", "student_no": "B-17", "phone": "13500000002", "id_number": number}),
    )
    .await;

    let page = app.page("/app/duplicates", Some(&coordinator)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("data-reason=\"id_number\"") && body.contains("身份证号相同"), "the reason is shown");
    for text in ["肇庆技师学院", "肇庆工商职业技术学院", "2023001", "B-17", "13500000001", "13500000002", "陈晓东"]
    {
        assert!(body.contains(text), "{text} is shown");
    }
    assert!(body.contains(&masked(&number)), "the ID number masked");
    assert!(!body.contains(&number), "never whole");
    assert!(
        body.contains("<tr data-field=\"id_number\" class=\"same reason\">"),
        "the value they were paired by is marked"
    );
    assert!(body.contains("<tr data-field=\"graduation_year\" class=\"same\">"), "other values both hold too");
    assert!(body.contains(&format!("href=\"/app/duplicates/1/merge?keep={left}\"")), "{body}");
    assert!(body.contains(&format!("href=\"/app/duplicates/1/merge?keep={right}\"")));
    assert!(body.contains("合并（保留左侧）") && body.contains("合并（保留右侧）") && body.contains("不是同一人"));
    assert!(body.contains("action=\"/app/duplicates/1/dismiss\""));
    assert!(body.contains("aria-current=\"page\" class=\"current\">待处理 <span class=\"tab-count\">1</span>"));

    let english = app.page("/app/duplicates?lang=en", Some(&coordinator)).await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("Same ID number"));
    assert!(english.body.contains("Merge, keep left") && english.body.contains("Not the same person"));

    let dismissed = app.submit("/app/duplicates/1/dismiss", Some(&coordinator), &[], &[]).await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
    assert_eq!(dismissed.location(), "/app/duplicates");
    assert!(dismissed.cookie("xiaoqi_flash").is_some_and(|c| c.starts_with("xiaoqi_flash=flash-coo-dismissed")));
    let shown = app
        .page_with(
            "/app/duplicates?status=dismissed",
            Some(&coordinator),
            &[("Cookie", "xiaoqi_flash=flash-coo-dismissed")],
        )
        .await;
    assert!(shown.body.contains("已标记为不是同一人。"), "the flash");
    assert!(shown.body.contains("data-status=\"dismissed\""));
    assert!(!shown.body.contains("合并（保留左侧）"), "a closed pair offers no buttons");
    // Again: someone already did it; back to the list, saying so.
    let again = app.submit("/app/duplicates/1/dismiss", Some(&coordinator), &[], &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(again.cookie("xiaoqi_flash").is_some_and(|c| c.contains("flash-coo-already-resolved")));
    assert_eq!(app.page("/app/duplicates/77/dismiss", Some(&coordinator)).await.status, StatusCode::METHOD_NOT_ALLOWED);
    let missing = app.submit("/app/duplicates/77/dismiss", Some(&coordinator), &[], &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn merging_from_the_page_asks_first(app: TestApp) {
    let (coordinator, a, b) = schools(&app).await;
    let keep = graduate(&app, &a, json!({"name": "黄嘉怡", "phone": "13600000001", "email": null})).await;
    let other =
        graduate(&app, &b, json!({"name": "黄嘉怡", "phone": "13600000001", "email": "jiayi@example.cn"})).await;

    let confirm = app.page(&format!("/app/duplicates/1/merge?keep={keep}"), Some(&coordinator)).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    let body = &confirm.body;
    assert!(
        body.contains("将保留左侧记录（肇庆技师学院 · 黄嘉怡），删除右侧记录（肇庆工商职业技术学院 · 黄嘉怡）"),
        "{body}"
    );
    assert!(body.contains("jiayi@example.cn") && body.contains("由另一条补全"), "the e-mail is filled from the other");
    assert!(body.contains("无法恢复"), "it warns that the other is erased");
    assert!(body.contains(&format!("<input type=\"hidden\" name=\"keep\" value=\"{keep}\">")));
    assert_eq!(app.count_rows("graduates").await, 2, "asking changes nothing");

    for bad in ["/app/duplicates/1/merge", "/app/duplicates/1/merge?keep=999", "/app/duplicates/1/merge?keep=x"] {
        let refused = app.page(bad, Some(&coordinator)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(app.page("/app/duplicates/9/merge?keep=1", Some(&coordinator)).await.status, StatusCode::NOT_FOUND);

    let merged = app.submit("/app/duplicates/1/merge", Some(&coordinator), &[("keep", &other.to_string())], &[]).await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    assert!(merged.cookie("xiaoqi_flash").is_some_and(|c| c.starts_with("xiaoqi_flash=flash-coo-merged")));
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{keep}"), Some(&coordinator.token)).await.status,
        StatusCode::NOT_FOUND
    );

    let list = app.page("/app/duplicates?status=merged&lang=en", Some(&coordinator)).await;
    assert!(list.body.contains("the right record was kept, the left one erased"), "{}", list.body);
    assert!(list.body.contains("<span class=\"badge erased\">Erased</span>"));
    let after = app.page(&format!("/app/duplicates/1/merge?keep={other}"), Some(&coordinator)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "a merged pair cannot be merged again");
}

async fn pages_of_pairs(app: TestApp) {
    let (coordinator, a, b) = schools(&app).await;
    for n in 0..3 {
        let phone = format!("1350000010{n}");
        graduate(&app, &a, json!({"name": "同名", "phone": phone})).await;
        graduate(&app, &b, json!({"name": "同名", "phone": phone})).await;
    }
    let first = app.page("/app/duplicates?per_page=2", Some(&coordinator)).await;
    assert_eq!(first.body.matches("<li class=\"dup-pair\"").count(), 2);
    assert!(first.body.contains("<nav class=\"pagination\""));
    assert!(first.body.contains("href=\"/app/duplicates?page=2&#38;per_page=2\""), "{}", first.body);
    let second = app.page("/app/duplicates?page=2&per_page=2", Some(&coordinator)).await;
    assert_eq!(second.body.matches("<li class=\"dup-pair\"").count(), 1);
    let beyond = app.page("/app/duplicates?page=9", Some(&coordinator)).await;
    assert_eq!((beyond.status, beyond.location()), (StatusCode::SEE_OTHER, "/app/duplicates"));
    let merged = app.page("/app/duplicates?status=merged", Some(&coordinator)).await;
    assert!(merged.body.contains("还没有合并过的记录"));
    let nonsense = app.page("/app/duplicates?status=nonsense", Some(&coordinator)).await;
    assert_eq!(nonsense.status, StatusCode::OK, "a bad link shows the open pairs");
}
