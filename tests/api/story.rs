//! The service centre's day, end to end: onboarding, projects, postings, a roster, and
//! who sees what. Runs on each backend.

use crate::helpers::{CODE_A, TestApp, graduate_body, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(service_centre_story);

async fn service_centre_story(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;

    // A company posts a project and an opening under it.
    let project = app
        .create_project(
            &company.token,
            &json!({"name": "奥士康项目一期", "park": "喜珍产业园", "stage": "construction", "key_project": true, "shortage": 800}),
        )
        .await;
    assert_eq!(project.status, StatusCode::CREATED, "{:?}", project.body);
    assert_eq!(project.body["organization_id"], company.organization_id);
    let project_id = project.body["id"].as_i64().unwrap();

    let body = posting_with(json!({"project_id": project_id}));
    let posting = app.create_posting(&company.token, &body).await;
    assert_eq!(posting.status, StatusCode::CREATED, "{:?}", posting.body);
    let posting_id = posting.body["id"].as_i64().unwrap();
    assert_eq!(posting.body["title"], "SMT操作工");
    assert_eq!(posting.body["benefits"], json!(["dormitory", "meals", "shuttle"]));
    assert_eq!(posting.body["education_min"], "secondary_vocational");

    // Open postings are public; the same object comes back.
    let public = app.get(&format!("/api/v1/postings/{posting_id}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body, posting.body);

    // A draft is the company's own business.
    let draft = posting_with(json!({"title": "仓管员", "category": "logistics", "status": "draft"}));
    let draft = app.create_posting(&company.token, &draft).await;
    assert_eq!(draft.status, StatusCode::CREATED);
    let draft_id = draft.body["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/postings/{draft_id}"), Some(&school.token)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&format!("/api/v1/postings/{draft_id}"), Some(&company.token)).await.status, StatusCode::OK);
    app.indexed().await;
    let listed = app.get("/api/v1/postings", None).await;
    assert_eq!(listed.body["total"], 1, "anonymous readers see only the open posting");
    let drafts = app.get("/api/v1/postings?status=draft", Some(&company.token)).await;
    assert_eq!(drafts.body["total"], 1, "a company finds its own drafts");
    assert_eq!(drafts.body["items"][0]["id"], draft_id);
    assert_eq!(app.get("/api/v1/postings?status=draft", Some(&school.token)).await.body["total"], 0);
    assert_eq!(app.get("/api/v1/postings?status=draft", None).await.body["total"], 0);

    // Search, filters, facets and pagination.
    let found = app.get("/api/v1/postings?q=SMT&facets=true", None).await;
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["organization_name"], "奥士康科技股份有限公司");
    assert_eq!(found.body["items"][0]["project_name"], "奥士康项目一期");
    assert!(found.body["items"][0]["snippet"].as_str().unwrap().contains("<mark>SMT</mark>"), "{:?}", found.body);
    assert_eq!(found.body["facets"]["category"]["operator"], 1);
    assert_eq!(found.body["facets"]["benefits"]["dormitory"], 1);
    let filtered = app.get("/api/v1/postings?category=logistics&status=draft", Some(&coordinator.token)).await;
    assert_eq!(filtered.body["total"], 1);
    assert_eq!(filtered.body["items"][0]["id"], draft_id);
    let by_education = app.get("/api/v1/postings?education=junior_high", Some(&coordinator.token)).await;
    assert_eq!(by_education.body["total"], 0, "the posting needs secondary vocational");
    let by_education = app.get("/api/v1/postings?education=technical_school", Some(&coordinator.token)).await;
    assert_eq!(by_education.body["total"], 1, "technical school ranks equal to secondary vocational");
    let page = app.get("/api/v1/postings?per_page=1&page=2", Some(&coordinator.token)).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        (page.body["page"].as_i64(), page.body["per_page"].as_i64(), page.body["total"].as_i64()),
        (Some(2), Some(1), Some(1))
    );

    // PATCH merges; the salary rule holds across the merged result.
    let patched = app.update_posting(&company.token, posting_id, &json!({"headcount": 45, "description": null})).await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["headcount"], 45);
    assert_eq!(patched.body["description"], json!(null));
    assert_eq!(patched.body["title"], "SMT操作工");
    let bad = app.update_posting(&company.token, posting_id, &json!({"salary_max": 3000})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["salary_max"]);

    // The school keeps its roster; one graduate consents to be seen by companies.
    let consenting = app.create_graduate(&school.token, &graduate_body(true)).await;
    assert_eq!(consenting.status, StatusCode::CREATED, "{:?}", consenting.body);
    let private = graduate_with(json!({"name": "王芳", "consent": false}));
    let private = app.create_graduate(&school.token, &private).await;
    assert_eq!(private.status, StatusCode::CREATED);
    let consenting_id = consenting.body["id"].as_i64().unwrap();
    let private_id = private.body["id"].as_i64().unwrap();

    app.indexed().await;
    let seen = app.get("/api/v1/graduates", Some(&company.token)).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.body["total"], 1);
    assert_eq!(seen.body["items"][0]["id"], consenting_id);
    assert_eq!(seen.body["items"][0]["email"], json!(null), "companies never see contact details");
    assert_eq!(seen.body["items"][0]["phone"], json!(null));
    let one = app.get(&format!("/api/v1/graduates/{consenting_id}"), Some(&company.token)).await;
    assert_eq!(one.body["email"], json!(null));
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{private_id}"), Some(&company.token)).await.status,
        StatusCode::NOT_FOUND
    );
    let own = app.get(&format!("/api/v1/graduates/{consenting_id}"), Some(&school.token)).await;
    assert_eq!(own.body["email"], "liming@example.cn", "the school sees its own graduates' contacts");
    assert_eq!(app.get("/api/v1/graduates", Some(&school.token)).await.body["total"], 2);

    // Every change to postings and graduates was logged for the search index.
    // 2 postings created, 1 updated; 2 graduates created, and the consent one of them gave.
    assert_eq!(app.count_rows("changes").await, 6);

    // Closing keeps the posting on record.
    let closed = app.delete(&format!("/api/v1/postings/{posting_id}"), Some(&company.token)).await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(app.get(&format!("/api/v1/postings/{posting_id}"), None).await.status, StatusCode::NOT_FOUND);
    app.indexed().await;
    assert_eq!(
        app.get("/api/v1/postings?q=SMT", None).await.body["total"],
        0,
        "closed postings leave the public search"
    );
    assert_eq!(
        app.get(&format!("/api/v1/postings/{posting_id}"), Some(&coordinator.token)).await.body["status"],
        "closed"
    );

    // Erasing a graduate deletes the record.
    assert_eq!(
        app.delete(&format!("/api/v1/graduates/{private_id}"), Some(&school.token)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{private_id}"), Some(&school.token)).await.status,
        StatusCode::NOT_FOUND
    );
    // The posting closed, the graduate erased.
    assert_eq!(app.count_rows("changes").await, 8);

    // Log out: the token stops working.
    assert_eq!(app.log_out(Some(&company.token)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/projects", Some(&company.token)).await.status, StatusCode::UNAUTHORIZED);
}
