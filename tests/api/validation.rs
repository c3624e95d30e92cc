//! Every validation rule, seen from a client: a 422 problem naming exactly the bad
//! field(s) (a 409 naming the field whose value is already taken), transport errors as
//! problems too, and a request that fails leaves nothing written.

use crate::helpers::{
    Backend, CODE_A, CODE_B, PASSWORD, Reply, Session, TestApp, graduate_body, graduate_with, posting_body,
    posting_with, spawn_app, user_body,
};
use crate::on_both_backends;
use chrono::Datelike;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A 422 problem whose `errors` name exactly `fields` (in any order).
#[track_caller]
fn assert_invalid(reply: &Reply, fields: &[&str]) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "expected 422 naming {fields:?}, got {:?}", reply.body);
    assert_problem(reply, 422);
    let mut got = reply.error_fields();
    got.sort();
    let mut want: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "fields named by {:?}", reply.body);
    for error in reply.body["errors"].as_array().unwrap() {
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "every error carries a message: {error:?}");
    }
}

/// A 409 problem whose `errors` name exactly `fields`: a value that must be unique is
/// already taken (a conflict with what is stored, not an invalid request).
#[track_caller]
fn assert_taken(reply: &Reply, fields: &[&str]) {
    assert_problem(reply, 409);
    let mut got = reply.error_fields();
    got.sort();
    let mut want: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "fields named by {:?}", reply.body);
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    assert!(fields.iter().all(|f| detail.contains(f)), "the detail names {fields:?}: {detail}");
}

/// An RFC 9457 problem with this status.
#[track_caller]
fn assert_problem(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{:?}", reply.body);
    assert!(
        reply.content_type.starts_with("application/problem+json"),
        "content type {:?} for {:?}",
        reply.content_type,
        reply.body
    );
    assert_eq!(reply.body["status"], status, "{:?}", reply.body);
    assert!(reply.body["title"].as_str().is_some_and(|t| !t.is_empty()), "{:?}", reply.body);
    assert!(reply.body["type"].as_str().is_some_and(|t| !t.is_empty()), "{:?}", reply.body);
}

/// Send raw bytes with an optional content type.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut req = app.client.request(method, app.url(path)).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    Reply::from_response(req.send().await.expect("request")).await
}

// ---------------------------------------------------------------------------------------
// Postings

on_both_backends!(posting_rules, posting_errors_are_all_listed, posting_patch_rules, control_characters);

async fn posting_rules(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let post = |body: Value| {
        let app = &app;
        let token = company.token.clone();
        async move { app.create_posting(&token, &body).await }
    };

    // headcount: 1–10000, an integer.
    for bad in [json!(0), json!(10001), json!(-1), json!("ten"), json!(2.5)] {
        let reply = post(posting_with(json!({ "headcount": bad }))).await;
        assert_invalid(&reply, &["headcount"]);
    }
    assert_invalid(&post(posting_with(json!({ "headcount": null }))).await, &["headcount"]);
    for ok in [1, 10000] {
        let reply = post(posting_with(json!({ "headcount": ok }))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "headcount {ok}: {:?}", reply.body);
        assert_eq!(reply.body["headcount"], ok);
    }

    // salary_min <= salary_max: the error is on salary_max; equal is fine.
    let reply = post(posting_with(json!({"salary_min": 7000, "salary_max": 6000}))).await;
    assert_invalid(&reply, &["salary_max"]);
    let reply = post(posting_with(json!({"salary_min": 6000, "salary_max": 6000}))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_invalid(&post(posting_with(json!({"salary_min": -1}))).await, &["salary_min"]);
    assert_invalid(&post(posting_with(json!({"salary_max": 1_000_001}))).await, &["salary_max"]);

    // closes_on after starts_on: the same day is not after.
    let reply = post(posting_with(json!({"starts_on": "2026-12-01", "closes_on": "2026-11-30"}))).await;
    assert_invalid(&reply, &["closes_on"]);
    let reply = post(posting_with(json!({"starts_on": "2026-12-01", "closes_on": "2026-12-01"}))).await;
    assert_invalid(&reply, &["closes_on"]);
    let reply = post(posting_with(json!({"starts_on": "2026-12-01", "closes_on": "2026-12-02"}))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    // Closed vocabularies.
    assert_invalid(&post(posting_with(json!({"education_min": "phd"}))).await, &["education_min"]);
    assert_invalid(&post(posting_with(json!({"category": "astronaut"}))).await, &["category"]);
    assert_invalid(&post(posting_with(json!({"benefits": ["dormitory", "spa"]}))).await, &["benefits"]);
    assert_invalid(&post(posting_with(json!({"benefits": "dormitory"}))).await, &["benefits"]);
    assert_invalid(&post(posting_with(json!({"status": "archived"}))).await, &["status"]);

    // Required fields, missing or blank.
    assert_invalid(&post(posting_with(json!({"title": null}))).await, &["title"]);
    assert_invalid(&post(posting_with(json!({"title": "   "}))).await, &["title"]);
    assert_invalid(&post(posting_with(json!({"title": "岗".repeat(101)}))).await, &["title"]);
    assert_invalid(&post(posting_with(json!({"category": null}))).await, &["category"]);
    assert_invalid(&post(posting_with(json!({"education_min": null}))).await, &["education_min"]);

    // Dates are YYYY-MM-DD and real.
    for bad in ["2026/12/01", "01-12-2026", "2026-02-30", "tomorrow"] {
        assert_invalid(&post(posting_with(json!({ "starts_on": bad }))).await, &["starts_on"]);
    }
    assert_invalid(&post(posting_with(json!({"closes_on": 20270131}))).await, &["closes_on"]);

    // A typo is not silently ignored.
    assert_invalid(&post(posting_with(json!({"colour": "red"}))).await, &["colour"]);

    // Lists of text.
    assert_invalid(&post(posting_with(json!({"majors": "电子"}))).await, &["majors"]);
    assert_invalid(&post(posting_with(json!({"majors": [1, 2]}))).await, &["majors"]);

    // The body must be an object.
    assert_invalid(&app.create_posting(&company.token, &json!([posting_body()])).await, &["body"]);

    // A project of another company (or none at all) is named.
    assert_invalid(&post(posting_with(json!({"project_id": 424242}))).await, &["project_id"]);

    // Only the valid ones above were stored: headcount 1 and 10000, equal salaries, dates a day apart.
    assert_eq!(app.count_rows("postings").await, 4);
}

/// Control characters: single-line text refuses them all (a NUL cannot be stored by
/// PostgreSQL; a line break would reach calendar parameters), multi-line text keeps line
/// breaks and tabs, and a query's text parameter refuses them like a body's field.
async fn control_characters(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let post = |body: Value| {
        let app = &app;
        let token = company.token.clone();
        async move { app.create_posting(&token, &body).await }
    };

    for bad in ["SMT\u{0}操作工", "SMT操作工\r\nATTENDEE:mailto:x@example.cn", "SMT\u{7f}操作工", "SMT\u{85}操作工"]
    {
        assert_invalid(&post(posting_with(json!({ "title": bad }))).await, &["title"]);
        assert_invalid(&post(posting_with(json!({ "location": bad }))).await, &["location"]);
        assert_invalid(&post(posting_with(json!({ "majors": ["电子", bad] }))).await, &["majors"]);
    }
    // A trailing line break is a control character too, even though trimming would drop it.
    assert_invalid(&post(posting_with(json!({"title": "SMT操作工\n"}))).await, &["title"]);
    assert_invalid(&post(posting_with(json!({"description": "第一行\u{0}"}))).await, &["description"]);
    assert_eq!(app.count_rows("postings").await, 0, "nothing refused was written");

    let description = "第一行\n\t第二行\r\n第三行";
    let reply = post(posting_with(json!({ "description": description }))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["description"], description);

    let reply = app.get("/api/v1/postings?location=%00", Some(&company.token)).await;
    assert_invalid(&reply, &["location"]);
    let reply = app.get("/api/v1/postings?q=SMT%0D%0A", Some(&company.token)).await;
    assert_invalid(&reply, &["q"]);
}

async fn posting_errors_are_all_listed(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let body = posting_with(json!({
        "title": null,
        "headcount": 0,
        "category": "astronaut",
        "education_min": "phd",
        "salary_min": 9000,
        "salary_max": 8000,
        "benefits": ["spa"],
        "starts_on": "2027-01-31",
        "closes_on": "2026-12-01",
        "colour": "red",
        "shape": "round",
    }));
    let reply = app.create_posting(&company.token, &body).await;
    assert_invalid(
        &reply,
        &["title", "headcount", "category", "education_min", "salary_max", "benefits", "closes_on", "colour", "shape"],
    );
    assert_eq!(app.count_rows("postings").await, 0);
    assert_eq!(app.count_rows("changes").await, 0);
}

async fn posting_patch_rules(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other = app.company(&coordinator, "风华高科", CODE_B).await;
    let created = app.create_posting(&company.token, &posting_body()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/postings/{id}");
    let changes_before = app.count_rows("changes").await;

    // A 422 on PATCH leaves the stored posting unchanged, even the fields that were valid.
    let reply = app.update_posting(&company.token, id, &json!({"title": "新标题", "salary_max": 3000})).await;
    assert_invalid(&reply, &["salary_max"]);
    let reply =
        app.update_posting(&company.token, id, &json!({"title": "新标题", "headcount": 0, "colour": "red"})).await;
    assert_invalid(&reply, &["headcount", "colour"]);
    let reply = app.update_posting(&company.token, id, &json!({"title": null})).await;
    assert_invalid(&reply, &["title"]);
    let reply = app.update_posting(&company.token, id, &json!({"closes_on": "2026-11-01"})).await;
    assert_invalid(&reply, &["closes_on"]);

    // Read-only fields: changing them is named; echoing them back unchanged is fine.
    let reply = app.update_posting(&company.token, id, &json!({"title": "新标题", "id": id + 1})).await;
    assert_invalid(&reply, &["id"]);
    let reply = app.update_posting(&company.token, id, &json!({"organization_id": other.organization_id})).await;
    assert_invalid(&reply, &["organization_id"]);
    let reply = app.update_posting(&coordinator.token, id, &json!({"organization_id": other.organization_id})).await;
    assert_invalid(&reply, &["organization_id"]);
    let reply = app.update_posting(&company.token, id, &json!({"created_at": "2000-01-01T00:00:00Z"})).await;
    assert_invalid(&reply, &["created_at"]);

    let stored = app.get(&path, Some(&company.token)).await;
    assert_eq!(stored.status, StatusCode::OK);
    assert_eq!(stored.body, created.body, "a rejected PATCH changed nothing");
    assert_eq!(app.count_rows("changes").await, changes_before, "no change was logged for a rejected PATCH");

    // Echoing the whole representation back with one change is accepted.
    let mut echoed = created.body.clone();
    echoed["headcount"] = json!(31);
    let reply = app.update_posting(&company.token, id, &echoed).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["headcount"], 31);
    assert_eq!(reply.body["id"], id);
    assert_eq!(reply.body["organization_id"], company.organization_id);
}

// ---------------------------------------------------------------------------------------
// Graduates

on_both_backends!(graduate_rules, graduate_patch_leaves_the_record_unchanged);

async fn graduate_rules(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let this_year = i64::from(chrono::Utc::now().year());
    let post = |body: Value| {
        let app = &app;
        let token = school.token.clone();
        async move { app.create_graduate(&token, &body).await }
    };

    assert_invalid(&post(graduate_with(json!({"education": "phd"}))).await, &["education"]);
    assert_invalid(&post(graduate_with(json!({"education": null}))).await, &["education"]);
    for bad in [json!(1979), json!(this_year + 7), json!("2026"), json!(null)] {
        assert_invalid(&post(graduate_with(json!({ "graduation_year": bad }))).await, &["graduation_year"]);
    }
    for bad in ["liming", "liming@", "li ming@example.cn", "liming@example..cn", "@example.cn"] {
        assert_invalid(&post(graduate_with(json!({ "email": bad }))).await, &["email"]);
    }
    for bad in ["12345", "phone", "2712345", "138001380001", "1380013800x"] {
        assert_invalid(&post(graduate_with(json!({ "phone": bad }))).await, &["phone"]);
    }
    assert_invalid(&post(graduate_with(json!({"expected_salary": -1}))).await, &["expected_salary"]);
    assert_invalid(&post(graduate_with(json!({"expected_salary": "5000"}))).await, &["expected_salary"]);
    assert_invalid(&post(graduate_with(json!({"available_from": "2026-7-1x"}))).await, &["available_from"]);
    assert_invalid(&post(graduate_with(json!({"consent": "yes"}))).await, &["consent"]);
    assert_invalid(&post(graduate_with(json!({"status": "retired"}))).await, &["status"]);
    assert_invalid(&post(graduate_with(json!({"name": " "}))).await, &["name"]);
    assert_invalid(&post(graduate_with(json!({"major": null}))).await, &["major"]);
    assert_invalid(&post(graduate_with(json!({"skills": ["PLC", 3]}))).await, &["skills"]);
    assert_invalid(&post(graduate_with(json!({"hobby": "围棋"}))).await, &["hobby"]);

    // All at once: every bad field is listed.
    let reply = post(graduate_with(json!({
        "education": "phd",
        "graduation_year": 1900,
        "email": "not-an-email",
        "phone": "12345",
        "expected_salary": -100,
        "hobby": "围棋",
    })))
    .await;
    assert_invalid(&reply, &["education", "graduation_year", "email", "phone", "expected_salary", "hobby"]);
    assert_eq!(app.count_rows("graduates").await, 0, "nothing invalid was stored");

    // The edges of the ranges pass, and so do the accepted phone forms.
    for (year, phone) in [(1980, "0758-2712345"), (this_year + 6, "+86 138 0013 8000")] {
        let reply = post(graduate_with(json!({"graduation_year": year, "phone": phone, "expected_salary": 0}))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{year} {phone}: {:?}", reply.body);
    }
    assert_eq!(app.count_rows("graduates").await, 2);
}

async fn graduate_patch_leaves_the_record_unchanged(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let created = app.create_graduate(&school.token, &graduate_body(true)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/graduates/{id}");
    let changes_before = app.count_rows("changes").await;

    let reply = app
        .update_graduate(&school.token, id, &json!({"name": "李明明", "phone": "12345", "expected_salary": -1}))
        .await;
    assert_invalid(&reply, &["phone", "expected_salary"]);
    let reply = app.update_graduate(&school.token, id, &json!({"name": "李明明", "id": 0})).await;
    assert_invalid(&reply, &["id"]);
    let reply = app.update_graduate(&school.token, id, &json!({"organization_id": school.organization_id + 1})).await;
    assert_invalid(&reply, &["organization_id"]);

    let stored = app.get(&path, Some(&school.token)).await;
    assert_eq!(stored.body, created.body);
    assert_eq!(app.count_rows("changes").await, changes_before);
}

// ---------------------------------------------------------------------------------------
// Organisations

on_both_backends!(
    organization_rules,
    onboarding_errors_are_all_listed,
    credit_codes,
    organization_patch_leaves_the_record_unchanged
);

fn company_body(name: &str, credit_code: Option<&str>) -> Value {
    let mut body = json!({"kind": "company", "name": name});
    if let Some(code) = credit_code {
        body["credit_code"] = json!(code);
    }
    body
}

async fn organization_rules(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = coordinator.token.as_str();
    let before = app.count_rows("organizations").await;

    // Companies need a credit code; schools do not.
    assert_invalid(&app.create_organization(token, &company_body("无码公司", None)).await, &["credit_code"]);
    let reply =
        app.create_organization(token, &json!({"kind": "company", "name": "空码公司", "credit_code": ""})).await;
    assert_invalid(&reply, &["credit_code"]);
    let school = app.create_organization(token, &json!({"kind": "school", "name": "肇庆学院"})).await;
    assert_eq!(school.status, StatusCode::CREATED, "{:?}", school.body);

    assert_invalid(&app.create_organization(token, &json!({"kind": "factory", "name": "某厂"})).await, &["kind"]);
    assert_invalid(&app.create_organization(token, &json!({"name": "无类型"})).await, &["kind"]);
    assert_invalid(&app.create_organization(token, &json!({"kind": "school"})).await, &["name"]);
    let reply = app
        .create_organization(
            token,
            &json!({"kind": "school", "name": "肇庆学院二", "contact_email": "nobody", "contact_phone": "123", "fax": "0758"}),
        )
        .await;
    assert_invalid(&reply, &["contact_email", "contact_phone", "fax"]);

    // An account whose role does not fit the organisation's kind.
    let reply = app
        .create_organization(
            token,
            &json!({"kind": "school", "name": "肇庆学院三", "users": [
                {"email": "ok@zqu.example.edu.cn", "password": PASSWORD, "role": "school"},
                {"email": "co@zqu.example.edu.cn", "password": PASSWORD, "role": "company"},
            ]}),
        )
        .await;
    assert_invalid(&reply, &["users[1].role"]);
    let reply = app
        .create_organization(token, &json!({"kind": "school", "name": "肇庆学院四", "users": {"email": "a@b.cn"}}))
        .await;
    assert_invalid(&reply, &["users"]);
    let reply =
        app.create_organization(token, &json!({"kind": "school", "name": "肇庆学院五", "users": ["a@b.cn"]})).await;
    assert_invalid(&reply, &["users[0]"]);

    assert_eq!(app.count_rows("organizations").await, before + 1, "only the valid school was stored");
}

/// Every invalid field of an onboarding request is named, the accounts' included, and the
/// role check among them (it must not wait until everything else is valid).
async fn onboarding_errors_are_all_listed(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = coordinator.token.as_str();
    let before = (app.count_rows("organizations").await, app.count_rows("users").await);

    // First accounts are validated with the organisation; their fields are named by position.
    let reply = app
        .create_organization(
            token,
            &json!({"kind": "school", "name": "肇庆学院三", "users": [
                {"email": "ok@zqu.example.edu.cn", "password": PASSWORD, "role": "school"},
                {"email": "bad", "password": "short", "role": "school"},
                {"email": "co@zqu.example.edu.cn", "password": PASSWORD, "role": "company"},
                {"email": "x@zqu.example.edu.cn", "password": PASSWORD, "role": "school", "nickname": "x"},
            ]}),
        )
        .await;
    assert_invalid(&reply, &["users[1].email", "users[1].password", "users[2].role", "users[3].nickname"]);

    // A bad organisation field and a misfit role together.
    let reply = app
        .create_organization(
            token,
            &json!({"kind": "company", "name": "无码公司", "users": [
                {"email": "hr@nocode.example.cn", "password": PASSWORD, "role": "school"},
            ]}),
        )
        .await;
    assert_invalid(&reply, &["credit_code", "users[0].role"]);
    assert_eq!((app.count_rows("organizations").await, app.count_rows("users").await), before);
}

async fn credit_codes(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = coordinator.token.as_str();

    // Codes companies publish on their licences pass, and are stored upper-cased.
    let real = [
        ("华为技术有限公司", "914403001922038216"),
        ("深圳市腾讯计算机系统有限公司", "9144030071526726xg"),
        ("阿里巴巴(中国)有限公司", "91330100799655058B"),
    ];
    for (name, code) in real {
        let reply = app.create_organization(token, &company_body(name, Some(code))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{code}: {:?}", reply.body);
        assert_eq!(reply.body["credit_code"], code.to_ascii_uppercase());
    }
    let count = app.count_rows("organizations").await;

    // A changed check character, or any other changed character, is caught.
    for forged in
        ["914403001922038217", "914403001922038210", "9144030071526726XH", "91330100799655058A", "924403001922038216"]
    {
        let reply = app.create_organization(token, &company_body("假冒公司", Some(forged))).await;
        assert_invalid(&reply, &["credit_code"]);
    }
    // Wrong length, letters the code never uses, a non-numeric division code, not a string.
    for bad in [
        json!("91440300192203821"),
        json!("9144030019220382166"),
        json!("91440300I92203821O"),
        json!("91AB0300192203821X"),
        json!(914403001922038216_i64),
    ] {
        let body = json!({"kind": "company", "name": "假冒公司", "credit_code": bad});
        assert_invalid(&app.create_organization(token, &body).await, &["credit_code"]);
    }

    // A code already registered, however it is written, is named.
    for duplicate in ["914403001922038216", "9144030071526726XG", " 91330100799655058b "] {
        let reply = app.create_organization(token, &company_body("重复公司", Some(duplicate))).await;
        assert_taken(&reply, &["credit_code"]);
    }
    assert_eq!(app.count_rows("organizations").await, count, "no forged or duplicate code was stored");
}

async fn organization_patch_leaves_the_record_unchanged(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    app.company(&coordinator, "风华高科", CODE_B).await;
    let id = company.organization_id;
    let path = format!("/api/v1/organizations/{id}");
    let original = app.get(&path, Some(&coordinator.token)).await;
    assert_eq!(original.status, StatusCode::OK);

    let reply = app
        .update_organization(&coordinator.token, id, &json!({"name": "改名", "credit_code": "914412006924690923"}))
        .await;
    assert_invalid(&reply, &["credit_code"]);
    let reply = app.update_organization(&coordinator.token, id, &json!({"name": "改名", "credit_code": CODE_B})).await;
    assert_taken(&reply, &["credit_code"]);
    let reply = app.update_organization(&coordinator.token, id, &json!({"name": "改名", "credit_code": null})).await;
    assert_invalid(&reply, &["credit_code"]);
    let reply = app.update_organization(&coordinator.token, id, &json!({"name": "改名", "kind": "school"})).await;
    assert_invalid(&reply, &["kind"]);
    let reply = app.update_organization(&coordinator.token, id, &json!({"name": "改名", "id": 1})).await;
    assert_invalid(&reply, &["id"]);
    let reply = app
        .update_organization(&coordinator.token, id, &json!({"name": "改名", "updated_at": "2000-01-01T00:00:00Z"}))
        .await;
    assert_invalid(&reply, &["updated_at"]);

    let stored = app.get(&path, Some(&coordinator.token)).await;
    assert_eq!(stored.body, original.body, "a rejected PATCH changed nothing");
}

// ---------------------------------------------------------------------------------------
// Accounts

on_both_backends!(user_rules, a_failed_onboarding_writes_nothing);

async fn user_rules(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let token = coordinator.token.as_str();
    let users_before = app.count_rows("users").await;

    // An e-mail already in use, differing only in case.
    let shouted = company.email.to_uppercase();
    assert_ne!(shouted, company.email);
    let reply = app.create_user(token, &user_body(&shouted, PASSWORD, "company", company.organization_id)).await;
    assert_taken(&reply, &["email"]);
    let reply = app
        .create_user(token, &user_body("Coordinator@XinQu.gov.cn", PASSWORD, "company", company.organization_id))
        .await;
    assert_taken(&reply, &["email"]);

    // Passwords: 8 to 128 characters.
    let reply = app.create_user(token, &user_body("hr2@example.cn", "short", "company", company.organization_id)).await;
    assert_invalid(&reply, &["password"]);
    let reply = app
        .create_user(token, &user_body("hr2@example.cn", &"x".repeat(129), "company", company.organization_id))
        .await;
    assert_invalid(&reply, &["password"]);

    // The role must fit the organisation's kind.
    let reply = app.create_user(token, &user_body("hr2@example.cn", PASSWORD, "school", company.organization_id)).await;
    assert_invalid(&reply, &["role"]);
    let reply = app.create_user(token, &user_body("t2@example.cn", PASSWORD, "company", school.organization_id)).await;
    assert_invalid(&reply, &["role"]);
    let reply =
        app.create_user(token, &user_body("c2@example.cn", PASSWORD, "coordinator", company.organization_id)).await;
    assert_invalid(&reply, &["role"]);
    let reply = app.create_user(token, &user_body("hr2@example.cn", PASSWORD, "boss", company.organization_id)).await;
    assert_invalid(&reply, &["role"]);

    // Other fields.
    let reply = app.create_user(token, &user_body("hr2@", PASSWORD, "company", company.organization_id)).await;
    assert_invalid(&reply, &["email"]);
    let reply = app.create_user(token, &user_body("hr2@example.cn", PASSWORD, "company", 987_654)).await;
    assert_invalid(&reply, &["organization_id"]);
    let reply =
        app.create_user(token, &json!({"email": "hr2@example.cn", "password": PASSWORD, "role": "company"})).await;
    assert_invalid(&reply, &["organization_id"]);
    // Every missing field is named at once, the organisation's included.
    let reply = app.create_user(token, &json!({"admin": true})).await;
    assert_invalid(&reply, &["email", "password", "role", "organization_id", "admin"]);
    assert_eq!(app.count_rows("users").await, users_before, "no invalid account was stored");

    // The same request with everything right is accepted (so the 422s above were about the fields).
    let reply =
        app.create_user(token, &user_body("hr2@example.cn", PASSWORD, "company", company.organization_id)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    // Changing a password follows the same rule.
    let reply = app.update_user(&company.token, company.user_id, &json!({"password": "short"})).await;
    assert_invalid(&reply, &["password"]);
    let reply =
        app.update_user(&company.token, company.user_id, &json!({"password": PASSWORD, "role": "coordinator"})).await;
    assert_invalid(&reply, &["role"]);
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK, "the password was not changed");
}

/// The organisation is inserted before its accounts, in one transaction: when an account
/// cannot be created, the organisation is not kept either.
async fn a_failed_onboarding_writes_nothing(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let organizations = app.count_rows("organizations").await;
    let users = app.count_rows("users").await;
    let onboard = |name: &str, code: &str, users: Value| json!({"kind": "company", "name": name, "credit_code": code, "users": users});

    // The second account's e-mail is taken (in another case).
    let body = onboard(
        "风华高科",
        CODE_B,
        json!([
            {"email": "hr@fenghua.example.cn", "password": PASSWORD, "role": "company"},
            {"email": company.email.to_uppercase(), "password": PASSWORD, "role": "company"},
        ]),
    );
    let reply = app.create_organization(&coordinator.token, &body).await;
    assert_taken(&reply, &["users[1].email"]);
    assert_eq!(
        app.count_rows("organizations").await,
        organizations,
        "{:?}: the organisation was rolled back",
        app.backend
    );
    assert_eq!(app.count_rows("users").await, users, "{:?}: the first account was rolled back", app.backend);
    assert_eq!(app.log_in("hr@fenghua.example.cn", PASSWORD).await.status, StatusCode::UNAUTHORIZED);

    // Two accounts of the same request with one e-mail.
    let body = onboard(
        "风华高科",
        CODE_B,
        json!([
            {"email": "hr@fenghua.example.cn", "password": PASSWORD, "role": "company"},
            {"email": "HR@fenghua.example.cn", "password": PASSWORD, "role": "company"},
        ]),
    );
    let reply = app.create_organization(&coordinator.token, &body).await;
    assert_invalid(&reply, &["users[1].email"]);
    assert_eq!(app.count_rows("organizations").await, organizations);
    assert_eq!(app.count_rows("users").await, users);

    // The credit code is taken: nothing of the request is kept.
    let body =
        onboard("冒名公司", CODE_A, json!([{"email": "hr@fake.example.cn", "password": PASSWORD, "role": "company"}]));
    let reply = app.create_organization(&coordinator.token, &body).await;
    assert_taken(&reply, &["credit_code"]);
    assert_eq!(app.count_rows("organizations").await, organizations);
    assert_eq!(app.count_rows("users").await, users);

    // And the same onboarding, corrected, goes through in full: the rollbacks left no residue.
    let body = onboard(
        "风华高科",
        CODE_B,
        json!([{"email": "hr@fenghua.example.cn", "password": PASSWORD, "role": "company"}]),
    );
    let reply = app.create_organization(&coordinator.token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(app.count_rows("organizations").await, organizations + 1);
    assert_eq!(app.count_rows("users").await, users + 1);
    assert_eq!(app.log_in("hr@fenghua.example.cn", PASSWORD).await.status, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------
// Query parameters

on_both_backends!(query_parameters, search_text_is_words);

async fn query_parameters(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = Some(coordinator.token.as_str());
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=1000", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=ten", "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("education=phd", "education"),
        ("category=astronaut", "category"),
        ("status=archived", "status"),
        ("salary_min=-5", "salary_min"),
        ("organization_id=abc", "organization_id"),
        ("sort=best", "sort"),
        ("benefit=gym", "benefit"),
        ("benefit=dormitory&benefit=gym", "benefit"),
    ] {
        // Public and authenticated readers alike.
        assert_invalid(&app.get(&format!("/api/v1/postings?{query}"), None).await, &[field]);
        assert_invalid(&app.get(&format!("/api/v1/postings?{query}"), token).await, &[field]);
    }
    for (path, field) in [
        ("/api/v1/graduates?education=phd", "education"),
        ("/api/v1/graduates?graduation_year=twenty", "graduation_year"),
        ("/api/v1/graduates?per_page=0", "per_page"),
        ("/api/v1/graduates?sort=best", "sort"),
        ("/api/v1/organizations?kind=factory", "kind"),
        ("/api/v1/organizations?page=abc", "page"),
        ("/api/v1/users?role=boss", "role"),
        ("/api/v1/users?per_page=1000", "per_page"),
        ("/api/v1/projects?per_page=0", "per_page"),
    ] {
        assert_invalid(&app.get(path, token).await, &[field]);
    }

    // Paging deeper than the first 10,000 results is refused before any search runs (a
    // deep page made tantivy reserve room for page × per_page documents: gigabytes), on
    // every list, search or not; the deepest page allowed still answers.
    for path in [
        "/api/v1/postings?page=1000000&per_page=100&sort=salary",
        "/api/v1/postings?page=101&per_page=100",
        "/api/v1/postings?page=501",
        "/api/v1/graduates?page=10001&per_page=1",
        "/api/v1/organizations?page=200&per_page=51",
    ] {
        let reply = app.get(path, token).await;
        assert_invalid(&reply, &["page"]);
        assert!(reply.body.to_string().contains("10000"), "{path}: {}", reply.body);
    }
    for path in [
        "/api/v1/postings?page=100&per_page=100",
        "/api/v1/postings?page=500",
        "/api/v1/organizations?page=100&per_page=100",
    ] {
        assert_eq!(app.get(path, token).await.status, StatusCode::OK, "{path}");
    }

    // Several bad parameters are all named.
    let reply = app.get("/api/v1/postings?per_page=0&page=abc&education=phd&sort=best&benefit=gym", None).await;
    assert_invalid(&reply, &["per_page", "page", "education", "sort", "benefit"]);

    // The bounds themselves, every sort, known benefits, and unknown parameters, are fine.
    for query in [
        "per_page=1",
        "per_page=100",
        "page=1&education=doctorate",
        "utm_source=wechat",
        "sort=relevance",
        "sort=newest",
        "sort=salary",
        "benefit=dormitory&benefit=meals",
        "status=draft",
    ] {
        let reply = app.get(&format!("/api/v1/postings?{query}"), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    }
    for query in ["sort=relevance", "sort=newest", "sort=salary"] {
        let reply = app.get(&format!("/api/v1/graduates?{query}"), token).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    }
}

/// `q` is words, never query syntax: quotes, brackets, operators and `field:` prefixes
/// are characters to search for, not a query to parse (nor a parse error to report).
async fn search_text_is_words(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let body = posting_with(json!({"title": "数控车床操作工"}));
    let reply = app.create_posting(&company.token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let id = reply.body["id"].as_i64().unwrap();
    let reply = app.create_graduate(&school.token, &graduate_body(true)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    app.indexed().await;

    let search = |path: &str, q: &str, token: Option<String>| {
        let app = &app;
        let url = format!("{path}?{}", serde_urlencoded::to_string([("q", q)]).unwrap());
        async move { app.get(&url, token.as_deref()).await }
    };
    let syntax = r#""数控 AND (焊工" OR title:x"#;
    for (path, token) in [
        ("/api/v1/postings", None),
        ("/api/v1/postings", Some(company.token.clone())),
        ("/api/v1/graduates", Some(coordinator.token.clone())),
        ("/api/v1/graduates", Some(company.token.clone())),
    ] {
        for q in [syntax, "title:", "\"", "(", "*", "AND", "-", "[1 TO 5]", "数控~2^3"] {
            let reply = search(path, q, token.clone()).await;
            assert_eq!(reply.status, StatusCode::OK, "{path} q={q}: {:?}", reply.body);
            assert!(reply.body["items"].is_array() && reply.body["total"].is_i64(), "{path} q={q}: {:?}", reply.body);
        }
    }

    // The stray quote and operator are not syntax: what is left is the word 数控.
    let reply = search("/api/v1/postings", r#""数控 OR"#, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["total"], 1, "{:?}", reply.body);
    assert_eq!(reply.body["items"][0]["id"], id);
    // Every word must match: 焊工 is in no posting, so nothing is found (an OR would find it).
    let reply = search("/api/v1/postings", syntax, None).await;
    assert_eq!(reply.body["total"], 0, "{:?}", reply.body);
}

// ---------------------------------------------------------------------------------------
// Transport: what is not even a request for a rule to judge.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_problems() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator: Session = app.coordinator().await;
    let token = Some(coordinator.token.as_str());

    // Not JSON at all, or truncated: 400.
    for body in [&b"{\"title\": "[..], b"not json", b"{\"a\": 1,}"] {
        let reply = raw(&app, Method::POST, "/api/v1/postings", token, Some("application/json"), body.to_vec()).await;
        assert_problem(&reply, 400);
    }
    let reply = raw(&app, Method::POST, "/api/v1/auth/token", None, Some("application/json"), b"{".to_vec()).await;
    assert_problem(&reply, 400);

    // Not declared as JSON: 415, whether the type is wrong or missing.
    let body = serde_json::to_vec(&posting_body()).unwrap();
    let reply = raw(&app, Method::POST, "/api/v1/postings", token, Some("text/plain"), body.clone()).await;
    assert_problem(&reply, 415);
    let reply = raw(&app, Method::POST, "/api/v1/postings", token, None, body.clone()).await;
    assert_problem(&reply, 415);
    let reply = raw(
        &app,
        Method::POST,
        "/api/v1/postings",
        token,
        Some("application/x-www-form-urlencoded"),
        b"title=x".to_vec(),
    )
    .await;
    assert_problem(&reply, 415);
    // A JSON type with parameters is JSON.
    let reply = raw(
        &app,
        Method::POST,
        "/api/v1/organizations",
        token,
        Some("application/json; charset=utf-8"),
        serde_json::to_vec(&json!({"kind": "school", "name": "字符集学院"})).unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);

    // Over 1 MiB: 413. Just under is read and judged field by field.
    let big = serde_json::to_vec(&json!({"kind": "school", "name": "大学院", "address": "x".repeat(1024 * 1024 + 16)}))
        .unwrap();
    let reply = raw(&app, Method::POST, "/api/v1/organizations", token, Some("application/json"), big).await;
    assert_problem(&reply, 413);
    let near =
        serde_json::to_vec(&json!({"kind": "school", "name": "大学院", "address": "x".repeat(1000 * 1000)})).unwrap();
    let reply = raw(&app, Method::POST, "/api/v1/organizations", token, Some("application/json"), near).await;
    assert_invalid(&reply, &["address"]);
    let big_login = serde_json::to_vec(&json!({"email": "a@b.cn", "password": "p".repeat(2 * 1024 * 1024)})).unwrap();
    let reply = raw(&app, Method::POST, "/api/v1/auth/token", None, Some("application/json"), big_login).await;
    assert_problem(&reply, 413);

    // Unknown routes and ids that are not numbers name no resource.
    for path in [
        "/api/v1/nothing-here",
        "/nothing-here",
        "/api/v2/postings",
        "/api/v1/postings/abc",
        "/api/v1/postings/1.5",
        "/api/v1/postings/99999999999999999999",
        "/api/v1/graduates/abc",
        "/api/v1/organizations/-x",
    ] {
        let reply = app.get(path, token).await;
        assert_problem(&reply, 404);
    }
    let reply = app.patch("/api/v1/postings/abc", token, &json!({"title": "x"})).await;
    assert_problem(&reply, 404);
    let reply = app.delete("/api/v1/users/abc", token).await;
    assert_problem(&reply, 404);
    let reply = app.get("/api/v1/postings/424242", None).await;
    assert_problem(&reply, 404);

    // Login input is validated like any other.
    assert_invalid(&app.post("/api/v1/auth/token", None, &json!({"email": "a@b.cn"})).await, &["password"]);
    assert_invalid(&app.log_in("nobody", PASSWORD).await, &["email"]);
    assert_invalid(&app.post("/api/v1/auth/token", None, &json!({})).await, &["email", "password"]);
    assert_invalid(
        &app.post("/api/v1/auth/token", None, &json!({"email": "a@b.cn", "password": PASSWORD, "remember": true}))
            .await,
        &["remember"],
    );
}
