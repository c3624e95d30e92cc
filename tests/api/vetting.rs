//! Vetting: companies start pending and open no posting until a coordinator approves them;
//! decisions need a reason to reject, are mailed and audited; rejecting closes what is open.

use crate::helpers::{CODE_A, CODE_B, TestApp, posting_body, posting_with};
use crate::on_both_backends;
use chrono::{Datelike, Months, Utc};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    a_pending_company_writes_drafts_and_opens_postings_once_approved,
    rejecting_needs_a_reason_that_is_mailed_and_closes_open_postings,
    the_list_filters_by_status_kind_and_name,
    only_coordinators_decide_and_only_companies_are_vetted
);

async fn a_pending_company_writes_drafts_and_opens_postings_once_approved(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.pending_company(&coordinator, "肇庆鼎湖精密模具有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆市技师学院").await;

    let org = app.get(&format!("/api/v1/organizations/{}", company.organization_id), Some(&company.token)).await;
    assert_eq!(org.body["status"], "pending", "{:?}", org.body);
    assert_eq!(org.body["checks"], json!([]));
    assert!(org.body["decided_at"].is_null() && org.body["reverify_on"].is_null());
    let school_org = app.get(&format!("/api/v1/organizations/{}", school.organization_id), Some(&school.token)).await;
    assert_eq!(school_org.body["status"], "approved", "schools are not vetted");

    // Opening a posting waits for the review: 409 naming `status`, nothing written.
    let refused = app.create_posting(&company.token, &posting_body()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.error_fields(), ["status"]);
    assert!(refused.body["errors"][0]["message"].as_str().unwrap().contains("审核"), "{:?}", refused.body);
    let mine = app.get("/api/v1/postings?status=draft", Some(&company.token)).await;
    assert_eq!(mine.status, StatusCode::OK);
    let draft = app.create_posting(&company.token, &posting_with(json!({"status": "draft"}))).await.created_id();
    let opened = app.update_posting(&company.token, draft, &json!({"status": "open"})).await;
    assert_eq!(opened.status, StatusCode::CONFLICT, "{:?}", opened.body);
    assert_eq!(opened.error_fields(), ["status"]);
    // A coordinator acting for it is refused the same way.
    let body = posting_with(json!({"organization_id": company.organization_id}));
    assert_eq!(app.create_posting(&coordinator.token, &body).await.status, StatusCode::CONFLICT);

    // Approve, naming what was checked; the re-verification date defaults to a year on.
    let approved = app
        .update_organization(
            &coordinator.token,
            company.organization_id,
            &json!({"status": "approved", "checks": ["credit_code", "licence", "credit_code"]}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["checks"], json!(["credit_code", "licence"]));
    assert!(approved.body["decided_at"].is_string());
    let reverify: chrono::NaiveDate = approved.body["reverify_on"].as_str().unwrap().parse().unwrap();
    let today = Utc::now().date_naive();
    let in_a_year = today.checked_add_months(Months::new(12)).unwrap();
    assert!((reverify - in_a_year).num_days().abs() <= 1, "{reverify} vs {in_a_year}");
    assert_eq!(reverify.year(), today.year() + 1);

    // The decision is mailed to the company (its account: it gave no contact e-mail).
    let mails = app.notices_of_kind("organization_decision").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, company.email);
    let summary = mails[0].1["summary_zh"].as_str().unwrap();
    assert!(summary.contains("已通过") && summary.contains("营业执照"), "{summary}");

    // And audited.
    let audit =
        app.audit(&coordinator.token, &format!("action=approve&organization_id={}", company.organization_id)).await;
    assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
    assert_eq!(audit.body["total"], 1);
    assert_eq!(audit.body["items"][0]["user_id"], coordinator.user_id);
    assert_eq!(audit.body["items"][0]["entity"], "organization");

    // Now it may open postings.
    assert_eq!(app.update_posting(&company.token, draft, &json!({"status": "open"})).await.status, StatusCode::OK);
    app.create_posting(&company.token, &posting_body()).await.created_id();

    // The same decision again changes nothing and mails nothing more.
    let again =
        app.update_organization(&coordinator.token, company.organization_id, &json!({"status": "approved"})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(app.notices_of_kind("organization_decision").await.len(), 1);
}

async fn rejecting_needs_a_reason_that_is_mailed_and_closes_open_postings(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let contact = json!({"contact_email": "renshi@aoshikang.example.cn"});
    assert_eq!(
        app.update_organization(&coordinator.token, company.organization_id, &contact).await.status,
        StatusCode::OK
    );
    let open = app.create_posting(&company.token, &posting_body()).await.created_id();
    let draft = app.create_posting(&company.token, &posting_with(json!({"status": "draft"}))).await.created_id();

    let no_reason =
        app.update_organization(&coordinator.token, company.organization_id, &json!({"status": "rejected"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", no_reason.body);
    assert_eq!(no_reason.error_fields(), ["status_reason"]);
    let blank = json!({"status": "rejected", "status_reason": "   "});
    assert_eq!(
        app.update_organization(&coordinator.token, company.organization_id, &blank).await.error_fields(),
        ["status_reason"]
    );
    // Nothing was changed by the refusals.
    let posting = app.get(&format!("/api/v1/postings/{open}"), Some(&company.token)).await;
    assert_eq!(posting.body["status"], "open");

    let reason = "营业执照已过期，请上传新的执照";
    let rejected = app
        .update_organization(
            &coordinator.token,
            company.organization_id,
            &json!({"status": "rejected", "status_reason": reason, "checks": ["licence"]}),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["status_reason"], reason);

    // Its open posting is closed (the public no longer finds it); drafts stay drafts.
    let posting = app.get(&format!("/api/v1/postings/{open}"), Some(&company.token)).await;
    assert_eq!(posting.body["status"], "closed");
    assert_eq!(app.get(&format!("/api/v1/postings/{open}"), None).await.status, StatusCode::NOT_FOUND);
    let posting = app.get(&format!("/api/v1/postings/{draft}"), Some(&company.token)).await;
    assert_eq!(posting.body["status"], "draft");
    // And it cannot open them again.
    assert_eq!(app.update_posting(&company.token, open, &json!({"status": "open"})).await.status, StatusCode::CONFLICT);

    // The reason goes to the contact e-mail, and into the audit entry's detail.
    let mails = app.notices_of_kind("organization_decision").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "renshi@aoshikang.example.cn");
    assert!(mails[0].1["summary_zh"].as_str().unwrap().contains(reason));
    assert!(mails[0].1["summary_en"].as_str().unwrap().contains(reason));
    let audit = app.audit(&coordinator.token, "action=reject").await;
    assert_eq!(audit.body["total"], 1, "{:?}", audit.body);
    assert_eq!(audit.body["items"][0]["detail"], reason);
    assert_eq!(audit.body["items"][0]["organization_name"], "奥士康科技股份有限公司");

    // Approving later drops the rejection's reason.
    let approved =
        app.update_organization(&coordinator.token, company.organization_id, &json!({"status": "approved"})).await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert!(approved.body["status_reason"].is_null(), "{:?}", approved.body);
    assert_eq!(app.notices_of_kind("organization_decision").await.len(), 2);
}

async fn the_list_filters_by_status_kind_and_name(app: TestApp) {
    let coordinator = app.coordinator().await;
    let approved = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let pending = app.pending_company(&coordinator, "维珍妮国际（肇庆）有限公司", CODE_B).await;
    app.school(&coordinator, "肇庆市技师学院").await;

    let ids = |reply: &crate::helpers::Reply| -> Vec<i64> {
        reply.body["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect()
    };
    let queue = app.get("/api/v1/organizations?status=pending", Some(&coordinator.token)).await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    assert_eq!(ids(&queue), [pending.organization_id]);
    assert_eq!(queue.body["total"], 1);
    // Pending first in the whole list.
    let all = app.get("/api/v1/organizations?kind=company", Some(&coordinator.token)).await;
    assert_eq!(ids(&all), [pending.organization_id, approved.organization_id]);
    let named = app.get("/api/v1/organizations?q=%E5%A5%A5%E5%A3%AB", Some(&coordinator.token)).await; // 奥士
    assert_eq!(ids(&named), [approved.organization_id]);
    let literal = app.get("/api/v1/organizations?q=%25", Some(&coordinator.token)).await; // "%" taken literally
    assert_eq!(literal.body["total"], 0);
    let bad = app.get("/api/v1/organizations?status=maybe", Some(&coordinator.token)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["status"]);
    // A company sees only itself, whatever it asks.
    let own = app.get("/api/v1/organizations?status=approved", Some(&pending.token)).await;
    assert_eq!(own.body["total"], 0);
}

async fn only_coordinators_decide_and_only_companies_are_vetted(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.pending_company(&coordinator, "维珍妮国际（肇庆）有限公司", CODE_B).await;
    let school = app.school(&coordinator, "肇庆市技师学院").await;

    let own = app.update_organization(&company.token, company.organization_id, &json!({"status": "approved"})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let other = app.update_organization(&school.token, company.organization_id, &json!({"status": "approved"})).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let school_rejected = app
        .update_organization(
            &coordinator.token,
            school.organization_id,
            &json!({"status": "rejected", "status_reason": "测试"}),
        )
        .await;
    assert_eq!(school_rejected.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", school_rejected.body);
    assert_eq!(school_rejected.error_fields(), ["status"]);

    let bad = app
        .update_organization(
            &coordinator.token,
            company.organization_id,
            &json!({"status": "approved", "checks": ["horoscope"], "reverify_on": "2027-02-30"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["checks", "reverify_on"]);
    let status = app.get(&format!("/api/v1/organizations/{}", company.organization_id), Some(&company.token)).await;
    assert_eq!(status.body["status"], "pending");
    assert!(app.notices_of_kind("organization_decision").await.is_empty());
}
