//! Pages: administration. `/app/organizations` (the vetting queue first, the vetting
//! form), `/app/users` (disable, reset link), `/app/audit` (filters), the coordinator's
//! dashboard count, and nobody else let in.

use crate::helpers::{CODE_A, CODE_B, PASSWORD, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    the_queue_comes_first_and_the_vetting_form_decides,
    accounts_are_disabled_and_sent_reset_links_from_the_page,
    the_audit_page_filters_the_log,
    administration_pages_are_for_coordinators_only
);

async fn the_queue_comes_first_and_the_vetting_form_decides(app: TestApp) {
    let coordinator = app.coordinator().await;
    app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let pending = app.pending_company(&coordinator, "维珍妮国际（肇庆）有限公司", CODE_B).await;

    let dashboard = app.page("/app", Some(&coordinator)).await;
    assert!(dashboard.body.contains("待审核企业：1 家"), "{}", dashboard.body);
    assert!(dashboard.body.contains("href=\"/app/organizations?status=pending\""));

    let queue = app.page("/app/organizations?status=pending", Some(&coordinator)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("维珍妮国际（肇庆）有限公司"));
    assert!(!queue.body.contains("奥士康科技股份有限公司"), "only the pending one");
    let all = app.page("/app/organizations?q=%E5%A5%A5", Some(&coordinator)).await; // 奥
    assert!(all.body.contains("奥士康科技股份有限公司") && !all.body.contains("维珍妮"));

    let path = format!("/app/organizations/{}", pending.organization_id);
    let detail = app.page(&path, Some(&coordinator)).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("name=\"checks\" value=\"site_visit\""), "the checks are boxes");
    assert!(detail.body.contains(&pending.email), "its accounts are listed");

    // Rejecting without a reason: the form comes back with the error beside the reason.
    let vetting = format!("{path}/vetting");
    let refused = app.submit(&vetting, Some(&coordinator), &[("status", "rejected"), ("checks", "")], &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("error-status_reason"), "{}", refused.body);

    let approved = app
        .submit(
            &vetting,
            Some(&coordinator),
            &[
                ("checks", ""),
                ("checks", "credit_code"),
                ("checks", "site_visit"),
                ("status", "approved"),
                ("status_reason", ""),
                ("reverify_on", "2027-06-30"),
            ],
            &[],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(approved.location(), path);
    let org = app.get(&format!("/api/v1/organizations/{}", pending.organization_id), Some(&coordinator.token)).await;
    assert_eq!(org.body["status"], "approved");
    assert_eq!(org.body["checks"], json!(["credit_code", "site_visit"]));
    assert_eq!(org.body["reverify_on"], "2027-06-30");
    assert_eq!(app.notices_of_kind("organization_decision").await.len(), 1);
    let dashboard = app.page("/app", Some(&coordinator)).await;
    assert!(dashboard.body.contains("待审核企业：0 家"));

    // A new organisation from the page: a company starts pending.
    let created = app
        .submit(
            "/app/organizations",
            Some(&coordinator),
            &[
                ("kind", "company"),
                ("name", "四海光电有限公司"),
                ("credit_code", "91441200MA4UM5K3XN"),
                ("contact_email", ""),
            ],
            &[],
        )
        .await;
    // CODE_B is taken: refused with the field named, nothing created.
    assert_eq!(created.status, StatusCode::CONFLICT, "{}", created.body);
    assert!(created.body.contains("error-credit_code"));
    let created = app
        .submit("/app/organizations", Some(&coordinator), &[("kind", "school"), ("name", "肇庆理工学校")], &[])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert!(app.page(created.location(), Some(&coordinator)).await.body.contains("肇庆理工学校"));
}

async fn accounts_are_disabled_and_sent_reset_links_from_the_page(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let list = app.page(&format!("/app/users?organization_id={}", company.organization_id), Some(&coordinator)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&company.email));

    let back = [("organization_id", company.organization_id.to_string())];
    let back: Vec<(&str, &str)> = back.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut fields = back.clone();
    fields.push(("disabled", "true"));
    let disabled =
        app.submit(&format!("/app/users/{}/disabled", company.user_id), Some(&coordinator), &fields, &[]).await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.body);
    assert_eq!(disabled.location(), format!("/app/users?organization_id={}", company.organization_id));
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_ne!(app.page("/app", Some(&company)).await.status, StatusCode::OK);
    let list = app.page(&format!("/app/users?organization_id={}", company.organization_id), Some(&coordinator)).await;
    assert!(list.body.contains("已停用"));

    let mut fields = back.clone();
    fields.push(("disabled", "false"));
    app.submit(&format!("/app/users/{}/disabled", company.user_id), Some(&coordinator), &fields, &[]).await;
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK);

    let sent =
        app.submit(&format!("/app/users/{}/password_reset", company.user_id), Some(&coordinator), &back, &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(app.notices_of_kind("password_reset").await.len(), 1);

    // A new account from the page; a bad one is named.
    let bad = app
        .submit(
            "/app/users",
            Some(&coordinator),
            &[
                ("organization_id", &company.organization_id.to_string()),
                ("role", "school"),
                ("email", "x@y.cn"),
                ("password", "long-enough-1"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("error-role"));
    let made = app
        .submit(
            "/app/users",
            Some(&coordinator),
            &[
                ("organization_id", &company.organization_id.to_string()),
                ("role", "company"),
                ("email", "zhaopin@aoshikang.example.cn"),
                ("password", "long-enough-1"),
            ],
            &[],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(app.log_in("zhaopin@aoshikang.example.cn", "long-enough-1").await.status, StatusCode::OK);
}

async fn the_audit_page_filters_the_log(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    app.log_in(&company.email, "wrong password").await;

    let page = app.page("/app/audit", Some(&coordinator)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("登录失败") && page.body.contains("登录"), "{}", page.body);
    let failed = app.page("/app/audit?action=sign_in_failed", Some(&coordinator)).await;
    assert!(failed.body.contains("共 1 条记录"), "{}", failed.body);
    assert!(failed.body.contains("奥士康科技股份有限公司"));
    let english = app.page("/app/audit?action=sign_in_failed&lang=en", Some(&coordinator)).await;
    assert!(english.body.contains("Sign-in failed"));
    let bad = app.page("/app/audit?from=yesterday", Some(&coordinator)).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("筛选条件有误"));
}

async fn administration_pages_are_for_coordinators_only(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆市技师学院").await;
    for path in ["/app/organizations", "/app/organizations/new", "/app/users", "/app/audit"] {
        for session in [&company, &school] {
            assert_eq!(app.page(path, Some(session)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(app.page(path, Some(&coordinator)).await.status, StatusCode::OK, "{path}");
    }
    let path = format!("/app/organizations/{}", company.organization_id);
    assert_eq!(app.page(&path, Some(&company)).await.status, StatusCode::FORBIDDEN);
    let vetting = format!("{path}/vetting");
    assert_eq!(
        app.submit(&vetting, Some(&company), &[("status", "approved")], &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.page("/app/organizations/999999", Some(&coordinator)).await.status, StatusCode::NOT_FOUND);
}
