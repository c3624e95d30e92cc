//! Page tests: the company pages. A browser is imitated by the shared page helpers: a
//! session cookie holding an API token and url-encoded form posts (no Origin or
//! Sec-Fetch-Site header, which the CSRF layer lets through as it would a same-site post).

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, posting_body, posting_with, project_body};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::json;

/// A complete, valid posting form; tests change fields by name.
fn posting_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "仓管员"),
        ("project_id", ""),
        ("category", "logistics"),
        ("education_min", "secondary_vocational"),
        ("headcount", "8"),
        ("salary_min", "4800"),
        ("salary_max", "6200"),
        ("location", "肇庆新区"),
        ("benefits", ""),
        ("benefits", "meals"),
        ("benefits", "dormitory"),
        ("majors", "物流管理，电子商务"),
        ("description", "负责仓库收发货。\n两班倒。"),
        ("starts_on", "2026-12-01"),
        ("closes_on", "2027-01-31"),
        ("status", "open"),
    ];
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        if !value.is_empty() || *name == "benefits" {
            fields.push((name, value));
        }
    }
    fields
}

async fn two_companies(app: &TestApp) -> (Session, Session, Session) {
    let coordinator = app.coordinator().await;
    let a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let b = app.company(&coordinator, "维珍妮国际（肇庆）有限公司", CODE_B).await;
    (coordinator, a, b)
}

async fn a_bad_posting_form_comes_back_with_errors_then_saves(app: TestApp) {
    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    let blank = app.page("/app/postings/new", Some(&hr)).await;
    assert_eq!(blank.status, StatusCode::OK);
    for field in ["name=\"title\"", "name=\"category\"", "name=\"benefits\"", "name=\"majors\"", "type=\"date\""] {
        assert!(blank.body.contains(field), "the form has {field}");
    }
    assert!(blank.body.contains("保存岗位"), "the button says what it does");

    let bad = app.submit("/app/postings/new", Some(&hr), &posting_form(&[("headcount", "0")]), &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"error-headcount\""), "{}", bad.body);
    assert!(bad.body.contains("aria-describedby=\"error-headcount\""));
    assert!(bad.body.contains("class=\"form-errors\" role=\"alert\""));
    assert!(bad.body.contains("value=\"仓管员\""), "the title is kept");
    assert!(bad.body.contains("value=\"meals\" checked"), "checked benefits stay checked");
    assert!(!bad.body.contains(" / "), "the message is in one language");
    assert_eq!(app.count_rows("postings").await, 0, "nothing was saved");

    let english = app
        .submit("/app/postings/new", Some(&hr), &posting_form(&[("headcount", "many")]), &[("Cookie", "lang=en")])
        .await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("Save posting"));

    let saved = app.submit("/app/postings/new", Some(&hr), &posting_form(&[]), &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id: i64 = saved.location().strip_prefix("/app/postings/").and_then(|s| s.parse().ok()).expect("its page");
    assert!(saved.cookies().iter().any(|c| c.starts_with("xiaoqi_flash=flash-posting-created")));

    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await;
    assert_eq!(stored.status, StatusCode::OK);
    assert_eq!(stored.body["title"], "仓管员");
    assert_eq!(stored.body["majors"], json!(["物流管理", "电子商务"]));
    assert_eq!(stored.body["benefits"], json!(["meals", "dormitory"]));
    assert_eq!(stored.body["description"], "负责仓库收发货。\n两班倒。");

    let shown = app.page_with(saved.location(), Some(&hr), &[("Cookie", "xiaoqi_flash=flash-posting-created")]).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("<p class=\"flash\" role=\"status\">岗位已保存。</p>"));
    assert!(shown.body.contains(&format!("href=\"/postings/{id}\"")), "an open posting links its public page");
    assert!(shown.body.contains(&format!("href=\"/app/postings/{id}/candidates\"")));
    assert!(shown.body.contains("<form class=\"close-posting\""));

    let list = app.page("/app/postings", Some(&hr)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("<table class=\"cards postings\">"));
    assert!(list.body.contains(&format!("data-posting-id=\"{id}\"")));
    assert!(list.body.contains("data-label=\"岗位名称\""));
}

async fn editing_replaces_the_fields_and_closing_closes(app: TestApp) {
    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let id = app.create_posting(&hr.token, &posting_body()).await.created_id();

    let form = app.page(&format!("/app/postings/{id}/edit"), Some(&hr)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"SMT操作工\""), "the form shows the stored values");
    assert!(form.body.contains("value=\"dormitory\" checked"));

    let fields = posting_form(&[("title", "SMT操作工"), ("benefits", ""), ("salary_min", ""), ("salary_max", "")]);
    assert!(!fields.iter().any(|(k, v)| *k == "benefits" && !v.is_empty()), "no benefit ticked");
    let saved = app.submit(&format!("/app/postings/{id}/edit"), Some(&hr), &fields, &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("/app/postings/{id}"));
    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await.body;
    assert_eq!(stored["benefits"], json!([]), "unticking every box empties the list");
    assert_eq!(stored["salary_min"], json!(null), "a field left blank is cleared");
    assert_eq!(stored["headcount"], 8);

    let bad = app
        .submit(&format!("/app/postings/{id}/edit"), Some(&hr), &posting_form(&[("closes_on", "2026-11-01")]), &[])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"error-closes_on\""));

    let closed = app.submit(&format!("/app/postings/{id}/close"), Some(&hr), &[], &[]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(closed.location(), format!("/app/postings/{id}"));
    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await.body;
    assert_eq!(stored["status"], "closed");
    let shown = app.page(closed.location(), Some(&hr)).await;
    assert!(!shown.body.contains("close-posting"), "a closed posting has no close button");
    assert!(!shown.body.contains(&format!("href=\"/postings/{id}\"")), "nor a public page to preview");
}

async fn another_companys_postings_and_projects_are_not_found(app: TestApp) {
    let (_, a, b) = two_companies(&app).await;
    let open = app.create_posting(&a.token, &posting_body()).await.created_id();
    let draft = app.create_posting(&a.token, &posting_with(json!({"status": "draft"}))).await.created_id();
    let project = app.create_project(&a.token, &project_body("奥士康项目一期")).await.created_id();

    for id in [open, draft] {
        for path in [format!("/app/postings/{id}"), format!("/app/postings/{id}/edit")] {
            let seen = app.page(&path, Some(&b)).await;
            assert_eq!(seen.status, StatusCode::NOT_FOUND, "{path}");
            assert!(seen.body.contains("<h1>页面不存在</h1>"), "an error page, still signed in");
        }
        let edit =
            app.submit(&format!("/app/postings/{id}/edit"), Some(&b), &posting_form(&[("title", "改掉")]), &[]).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);
        let close = app.submit(&format!("/app/postings/{id}/close"), Some(&b), &[], &[]).await;
        assert_eq!(close.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.get(&format!("/api/v1/postings/{open}"), Some(&a.token)).await.body["status"], "open");
    assert_eq!(app.get(&format!("/api/v1/postings/{draft}"), Some(&a.token)).await.body["title"], "SMT操作工");

    assert_eq!(app.page(&format!("/app/projects/{project}"), Some(&b)).await.status, StatusCode::NOT_FOUND);
    let changed = app
        .submit(&format!("/app/projects/{project}"), Some(&b), &[("name", "改掉"), ("stage", "planning")], &[])
        .await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    assert_eq!(app.page("/app/postings/abc", Some(&b)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.page("/app/postings/99999", Some(&b)).await.status, StatusCode::NOT_FOUND);

    // Posting into another company's project is a field error, not a crash.
    let project_text = project.to_string();
    let theirs =
        app.submit("/app/postings/new", Some(&b), &posting_form(&[("project_id", project_text.as_str())]), &[]).await;
    assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(theirs.body.contains("id=\"error-project_id\""));

    let list = app.page("/app/postings", Some(&b)).await;
    assert!(!list.body.contains(&format!("data-posting-id=\"{open}\"")), "B's list holds none of A's");
    let past_the_end = app.page("/app/postings?status=open&page=9", Some(&b)).await;
    assert_eq!((past_the_end.status, past_the_end.location()), (StatusCode::SEE_OTHER, "/app/postings?status=open"));
}

async fn the_dashboard_needs_a_session_and_shows_shortage_and_seats(app: TestApp) {
    let signed_out = app.page("/app", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.location(), "/login?next=%2Fapp");

    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let empty = app.page("/app", Some(&hr)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("<a class=\"button primary\" href=\"/app/projects/new\">新建项目</a>"), "next step");

    let new_project = [("name", "奥士康项目一期"), ("park", "喜珍产业园"), ("stage", "construction")];
    let bad =
        app.submit("/app/projects/new", Some(&hr), &[new_project[0], new_project[1], ("shortage", "-3")], &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"error-shortage\"") && bad.body.contains("value=\"奥士康项目一期\""));
    let fields = [new_project[0], new_project[1], new_project[2], ("shortage", "120"), ("key_project", "true")];
    let created = app.submit("/app/projects/new", Some(&hr), &fields, &[]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let project: i64 =
        created.location().strip_prefix("/app/projects/").and_then(|s| s.parse().ok()).expect("its page");
    let stored = app.get(&format!("/api/v1/projects/{project}"), Some(&hr.token)).await.body;
    assert_eq!((stored["shortage"].as_i64(), stored["key_project"].as_bool()), (Some(120), Some(true)));

    // Unticking "key project" and clearing the park on the project's page.
    let edit = [("name", "奥士康项目一期"), ("park", ""), ("stage", "production"), ("shortage", "120")];
    assert_eq!(app.submit(created.location(), Some(&hr), &edit, &[]).await.status, StatusCode::SEE_OTHER);
    let stored = app.get(&format!("/api/v1/projects/{project}"), Some(&hr.token)).await.body;
    assert_eq!((stored["key_project"].as_bool(), &stored["park"]), (Some(false), &json!(null)));

    for (headcount, status) in [(30, "open"), (12, "open"), (5, "draft")] {
        let body = posting_with(json!({"project_id": project, "headcount": headcount, "status": status}));
        app.create_posting(&hr.token, &body).await.created_id();
    }
    let dashboard = app.page("/app", Some(&hr)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let html = &dashboard.body;
    let row = &html[html.find(&format!("data-project-id=\"{project}\"")).expect("the project's row")..];
    assert!(row.contains("class=\"num shortage\">120<"), "{row}");
    assert!(row.contains("class=\"num seats\">42<"), "open postings' headcount: {row}");
    assert!(row.contains(&format!("href=\"/app/postings/new?project_id={project}\"")), "78 still to post");
    assert!(html.contains("data-status=\"draft\"><span class=\"stat\">1</span>"));
    assert!(html.contains("data-status=\"open\"><span class=\"stat\">2</span>"));
    assert!(html.contains("href=\"/app/postings?status=draft\">查看草稿</a>"), "drafts are the next step");

    let english = app.page("/app?lang=en", Some(&hr)).await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("Seats posted"));
}

async fn schools_are_refused_and_coordinators_name_the_company(app: TestApp) {
    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    for path in ["/app/postings", "/app/postings/new", "/app/projects", "/app/projects/new"] {
        assert_eq!(app.page(path, Some(&school)).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.submit("/app/postings/new", Some(&school), &posting_form(&[]), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.page("/app", Some(&school)).await.status, StatusCode::OK, "a page of links");

    let form = app.page("/app/postings/new", Some(&coordinator)).await;
    assert!(form.body.contains("name=\"organization_id\""), "coordinators choose the company");
    let unnamed = app.submit("/app/postings/new", Some(&coordinator), &posting_form(&[]), &[]).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("id=\"error-organization_id\""));
    let company = hr.organization_id.to_string();
    let named = app
        .submit("/app/postings/new", Some(&coordinator), &posting_form(&[("organization_id", company.as_str())]), &[])
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    let list = app.page("/app/postings", Some(&hr)).await;
    assert!(list.body.contains(&named.location().replace("/app/postings/", "data-posting-id=\"")));
}

on_both_backends!(
    a_bad_posting_form_comes_back_with_errors_then_saves,
    editing_replaces_the_fields_and_closing_closes,
    another_companys_postings_and_projects_are_not_found,
    the_dashboard_needs_a_session_and_shows_shortage_and_seats,
    schools_are_refused_and_coordinators_name_the_company,
);
