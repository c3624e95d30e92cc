//! A coordinator vets a company from the queue, disables and re-enables an account, sends
//! a reset link, reads the audit log; the account holder sets a new password by the link.

use super::Browser;
use crate::helpers::{CODE_A, CODE_B, PASSWORD, TestApp};
use crate::in_browser;

in_browser!(coordinator_vets_a_company_and_manages_accounts);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";

async fn coordinator_vets_a_company_and_manages_accounts(app: TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let pending = app.pending_company(&coordinator, "维珍妮国际（肇庆）有限公司", CODE_B).await;
    app.log_in(&pending.email, "a wrong password").await;

    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &coordinator.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
    browser.click("main a[href=\"/app/organizations?status=pending\"]").await;
    assert_eq!(browser.find_all("ul.org-list li.card").await.len(), 1);
    browser.check_page("organizations", "/app/organizations?status=pending").await;

    let detail = format!("/app/organizations/{}", pending.organization_id);
    browser.goto(&detail).await;
    browser.check_page("organization", &detail).await;
    let form = format!("main form[action=\"{detail}/vetting\"]");
    browser.check(&form, "checks", "credit_code", true).await;
    browser.check(&form, "checks", "licence", true).await;
    let radio = format!("{form} input[type=radio][name=status][value=approved]");
    browser.run("document.querySelector(arguments[0]).click()", vec![serde_json::json!(radio)]).await;
    browser.submit(&form).await;
    assert_eq!(browser.path().await, detail);
    assert!(browser.text("p.flash[role=status]").await.contains("已通过审核"));

    let users = format!("/app/users?organization_id={}", pending.organization_id);
    browser.goto(&users).await;
    browser.check_page("users", &users).await;
    browser.submit(&format!("main form[action=\"/app/users/{}/disabled\"]", pending.user_id)).await;
    assert!(browser.text("p.flash[role=status]").await.contains("已停用"));
    browser.submit(&format!("main form[action=\"/app/users/{}/disabled\"]", pending.user_id)).await;
    browser.submit(&format!("main form[action=\"/app/users/{}/password_reset\"]", pending.user_id)).await;
    assert!(browser.text("p.flash[role=status]").await.contains("24 小时"));

    browser.check_page("audit", "/app/audit").await;
    browser.check_page("organization-new", "/app/organizations/new").await;

    // The account holder opens the mailed link, signed out.
    let mails = app.notices_of_kind("password_reset").await;
    let link = mails[0].1["link"].as_str().unwrap().to_string();
    let path = link[link.find("/reset/").unwrap()..].to_string();
    browser.submit("form.logout").await;
    browser.check_page("reset", &path).await;
    browser.goto(&path).await;
    browser.fill("main form", "password", "a-new-password-2026").await;
    browser.submit("main form").await;
    assert_eq!(browser.path().await, "/login");
    assert_eq!(app.log_in(&pending.email, "a-new-password-2026").await.status, reqwest::StatusCode::OK);
}
