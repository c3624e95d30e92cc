//! Page tests: the company pages. A browser is imitated with a session cookie holding an
//! API token and url-encoded form posts (no Origin or Sec-Fetch-Site header, which the
//! CSRF layer lets through as it would a same-site browser post).

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, posting_body, posting_with, project_body};
use crate::on_both_backends;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

/// What a page request answered.
struct Answer {
    status: StatusCode,
    location: String,
    cookies: Vec<String>,
    html: String,
}

/// A browser that does not follow redirects, so a test sees each 303.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let location = headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let cookies = headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    Answer { status, location, cookies, html: response.text().await.unwrap_or_default() }
}

/// GET a page as `who` (or signed out); `extra_cookies` like `lang=en`.
async fn page(app: &TestApp, path: &str, who: Option<&Session>, extra_cookies: &str) -> Answer {
    let mut request = browser().get(app.url(path));
    let cookie = cookie_header(who, extra_cookies);
    if !cookie.is_empty() {
        request = request.header(COOKIE, cookie);
    }
    answer(request.send().await.expect("page request")).await
}

/// POST a form as `who`.
async fn submit(app: &TestApp, path: &str, who: &Session, fields: &[(&str, &str)]) -> Answer {
    let request = browser().post(app.url(path)).header(COOKIE, cookie_header(Some(who), "")).form(fields);
    answer(request.send().await.expect("form post")).await
}

fn cookie_header(who: Option<&Session>, extra: &str) -> String {
    let mut parts: Vec<String> = who.map(|s| format!("xiaoqi_session={}", s.token)).into_iter().collect();
    if !extra.is_empty() {
        parts.push(extra.to_string());
    }
    parts.join("; ")
}

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

    let blank = page(&app, "/app/postings/new", Some(&hr), "").await;
    assert_eq!(blank.status, StatusCode::OK);
    for field in ["name=\"title\"", "name=\"category\"", "name=\"benefits\"", "name=\"majors\"", "type=\"date\""] {
        assert!(blank.html.contains(field), "the form has {field}");
    }
    assert!(blank.html.contains("保存岗位"), "the button says what it does");

    let bad = submit(&app, "/app/postings/new", &hr, &posting_form(&[("headcount", "0")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("id=\"error-headcount\""), "{}", bad.html);
    assert!(bad.html.contains("aria-describedby=\"error-headcount\""));
    assert!(bad.html.contains("class=\"form-errors\" role=\"alert\""));
    assert!(bad.html.contains("value=\"仓管员\""), "the title is kept");
    assert!(bad.html.contains("value=\"meals\" checked"), "checked benefits stay checked");
    assert!(!bad.html.contains(" / "), "the message is in one language");
    assert_eq!(app.count_rows("postings").await, 0, "nothing was saved");

    let english = browser()
        .post(app.url("/app/postings/new"))
        .header(COOKIE, cookie_header(Some(&hr), "lang=en"))
        .form(&posting_form(&[("headcount", "many")]))
        .send()
        .await
        .unwrap();
    let english = answer(english).await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(english.html.contains("<html lang=\"en\">") && english.html.contains("Save posting"));

    let saved = submit(&app, "/app/postings/new", &hr, &posting_form(&[])).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let id: i64 = saved.location.strip_prefix("/app/postings/").and_then(|s| s.parse().ok()).expect("its page");
    assert!(saved.cookies.iter().any(|c| c.starts_with("xiaoqi_flash=flash-posting-created")));

    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await;
    assert_eq!(stored.status, StatusCode::OK);
    assert_eq!(stored.body["title"], "仓管员");
    assert_eq!(stored.body["majors"], json!(["物流管理", "电子商务"]));
    assert_eq!(stored.body["benefits"], json!(["meals", "dormitory"]));
    assert_eq!(stored.body["description"], "负责仓库收发货。\n两班倒。");

    let shown = page(&app, &saved.location, Some(&hr), "xiaoqi_flash=flash-posting-created").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.html.contains("<p class=\"flash\" role=\"status\">岗位已保存。</p>"));
    assert!(shown.html.contains(&format!("href=\"/postings/{id}\"")), "an open posting links its public page");
    assert!(shown.html.contains(&format!("href=\"/app/postings/{id}/candidates\"")));
    assert!(shown.html.contains("<form class=\"close-posting\""));

    let list = page(&app, "/app/postings", Some(&hr), "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("<table class=\"cards postings\">"));
    assert!(list.html.contains(&format!("data-posting-id=\"{id}\"")));
    assert!(list.html.contains("data-label=\"岗位名称\""));
}

async fn editing_replaces_the_fields_and_closing_closes(app: TestApp) {
    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let id = app.create_posting(&hr.token, &posting_body()).await.created_id();

    let form = page(&app, &format!("/app/postings/{id}/edit"), Some(&hr), "").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("value=\"SMT操作工\""), "the form shows the stored values");
    assert!(form.html.contains("value=\"dormitory\" checked"));

    let fields = posting_form(&[("title", "SMT操作工"), ("benefits", ""), ("salary_min", ""), ("salary_max", "")]);
    assert!(!fields.iter().any(|(k, v)| *k == "benefits" && !v.is_empty()), "no benefit ticked");
    let saved = submit(&app, &format!("/app/postings/{id}/edit"), &hr, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location, format!("/app/postings/{id}"));
    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await.body;
    assert_eq!(stored["benefits"], json!([]), "unticking every box empties the list");
    assert_eq!(stored["salary_min"], json!(null), "a field left blank is cleared");
    assert_eq!(stored["headcount"], 8);

    let bad =
        submit(&app, &format!("/app/postings/{id}/edit"), &hr, &posting_form(&[("closes_on", "2026-11-01")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("id=\"error-closes_on\""));

    let closed = submit(&app, &format!("/app/postings/{id}/close"), &hr, &[]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(closed.location, format!("/app/postings/{id}"));
    let stored = app.get(&format!("/api/v1/postings/{id}"), Some(&hr.token)).await.body;
    assert_eq!(stored["status"], "closed");
    let shown = page(&app, &closed.location, Some(&hr), "").await;
    assert!(!shown.html.contains("close-posting"), "a closed posting has no close button");
    assert!(!shown.html.contains(&format!("href=\"/postings/{id}\"")), "nor a public page to preview");
}

async fn another_companys_postings_and_projects_are_not_found(app: TestApp) {
    let (_, a, b) = two_companies(&app).await;
    let open = app.create_posting(&a.token, &posting_body()).await.created_id();
    let draft = app.create_posting(&a.token, &posting_with(json!({"status": "draft"}))).await.created_id();
    let project = app.create_project(&a.token, &project_body("奥士康项目一期")).await.created_id();

    for id in [open, draft] {
        for path in [format!("/app/postings/{id}"), format!("/app/postings/{id}/edit")] {
            let seen = page(&app, &path, Some(&b), "").await;
            assert_eq!(seen.status, StatusCode::NOT_FOUND, "{path}");
            assert!(seen.html.contains("<h1>页面不存在</h1>"), "an error page, still signed in");
        }
        let edit = submit(&app, &format!("/app/postings/{id}/edit"), &b, &posting_form(&[("title", "改掉")])).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);
        let close = submit(&app, &format!("/app/postings/{id}/close"), &b, &[]).await;
        assert_eq!(close.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.get(&format!("/api/v1/postings/{open}"), Some(&a.token)).await.body["status"], "open");
    assert_eq!(app.get(&format!("/api/v1/postings/{draft}"), Some(&a.token)).await.body["title"], "SMT操作工");

    assert_eq!(page(&app, &format!("/app/projects/{project}"), Some(&b), "").await.status, StatusCode::NOT_FOUND);
    let changed =
        submit(&app, &format!("/app/projects/{project}"), &b, &[("name", "改掉"), ("stage", "planning")]).await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, "/app/postings/abc", Some(&b), "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, "/app/postings/99999", Some(&b), "").await.status, StatusCode::NOT_FOUND);

    // Posting into another company's project is a field error, not a crash.
    let project_text = project.to_string();
    let theirs = submit(&app, "/app/postings/new", &b, &posting_form(&[("project_id", project_text.as_str())])).await;
    assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(theirs.html.contains("id=\"error-project_id\""));

    let list = page(&app, "/app/postings", Some(&b), "").await;
    assert!(!list.html.contains(&format!("data-posting-id=\"{open}\"")), "B's list holds none of A's");
    let past_the_end = page(&app, "/app/postings?status=open&page=9", Some(&b), "").await;
    assert_eq!(
        (past_the_end.status, past_the_end.location.as_str()),
        (StatusCode::SEE_OTHER, "/app/postings?status=open")
    );
}

async fn the_dashboard_needs_a_session_and_shows_shortage_and_seats(app: TestApp) {
    let signed_out = page(&app, "/app", None, "").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.location, "/login?next=%2Fapp");

    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let empty = page(&app, "/app", Some(&hr), "").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.html.contains("<a class=\"button primary\" href=\"/app/projects/new\">新建项目</a>"), "next step");

    let new_project = [("name", "奥士康项目一期"), ("park", "喜珍产业园"), ("stage", "construction")];
    let bad = submit(&app, "/app/projects/new", &hr, &[new_project[0], new_project[1], ("shortage", "-3")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("id=\"error-shortage\"") && bad.html.contains("value=\"奥士康项目一期\""));
    let fields = [new_project[0], new_project[1], new_project[2], ("shortage", "120"), ("key_project", "true")];
    let created = submit(&app, "/app/projects/new", &hr, &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let project: i64 = created.location.strip_prefix("/app/projects/").and_then(|s| s.parse().ok()).expect("its page");
    let stored = app.get(&format!("/api/v1/projects/{project}"), Some(&hr.token)).await.body;
    assert_eq!((stored["shortage"].as_i64(), stored["key_project"].as_bool()), (Some(120), Some(true)));

    // Unticking "key project" and clearing the park on the project's page.
    let edit = [("name", "奥士康项目一期"), ("park", ""), ("stage", "production"), ("shortage", "120")];
    assert_eq!(submit(&app, &created.location, &hr, &edit).await.status, StatusCode::SEE_OTHER);
    let stored = app.get(&format!("/api/v1/projects/{project}"), Some(&hr.token)).await.body;
    assert_eq!((stored["key_project"].as_bool(), &stored["park"]), (Some(false), &json!(null)));

    for (headcount, status) in [(30, "open"), (12, "open"), (5, "draft")] {
        let body = posting_with(json!({"project_id": project, "headcount": headcount, "status": status}));
        app.create_posting(&hr.token, &body).await.created_id();
    }
    let dashboard = page(&app, "/app", Some(&hr), "").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let html = &dashboard.html;
    let row = &html[html.find(&format!("data-project-id=\"{project}\"")).expect("the project's row")..];
    assert!(row.contains("class=\"num shortage\">120<"), "{row}");
    assert!(row.contains("class=\"num seats\">42<"), "open postings' headcount: {row}");
    assert!(row.contains(&format!("href=\"/app/postings/new?project_id={project}\"")), "78 still to post");
    assert!(html.contains("data-status=\"draft\"><span class=\"stat\">1</span>"));
    assert!(html.contains("data-status=\"open\"><span class=\"stat\">2</span>"));
    assert!(html.contains("href=\"/app/postings?status=draft\">查看草稿</a>"), "drafts are the next step");

    let english = page(&app, "/app?lang=en", Some(&hr), "").await;
    assert!(english.html.contains("<html lang=\"en\">") && english.html.contains("Seats posted"));
}

async fn schools_are_refused_and_coordinators_name_the_company(app: TestApp) {
    let coordinator = app.coordinator().await;
    let hr = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    for path in ["/app/postings", "/app/postings/new", "/app/projects", "/app/projects/new"] {
        assert_eq!(page(&app, path, Some(&school), "").await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(submit(&app, "/app/postings/new", &school, &posting_form(&[])).await.status, StatusCode::FORBIDDEN);
    assert_eq!(page(&app, "/app", Some(&school), "").await.status, StatusCode::OK, "a page of links");

    let form = page(&app, "/app/postings/new", Some(&coordinator), "").await;
    assert!(form.html.contains("name=\"organization_id\""), "coordinators choose the company");
    let unnamed = submit(&app, "/app/postings/new", &coordinator, &posting_form(&[])).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.html.contains("id=\"error-organization_id\""));
    let company = hr.organization_id.to_string();
    let named =
        submit(&app, "/app/postings/new", &coordinator, &posting_form(&[("organization_id", company.as_str())])).await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.html);
    let list = page(&app, "/app/postings", Some(&hr), "").await;
    assert!(list.html.contains(&named.location.replace("/app/postings/", "data-posting-id=\"")));
}

on_both_backends!(
    a_bad_posting_form_comes_back_with_errors_then_saves,
    editing_replaces_the_fields_and_closing_closes,
    another_companys_postings_and_projects_are_not_found,
    the_dashboard_needs_a_session_and_shows_shortage_and_seats,
    schools_are_refused_and_coordinators_name_the_company,
);
