//! Fair day in the browser: the company's pass on its event page, the coordinator's
//! registrations and notices pages, and checking in on the phone page by typed code.

use super::Browser;
use super::checks::with_lang;
use crate::helpers::{CODE_A, PASSWORD, Session, fair_at, posting_body};
use crate::in_browser;
use serde_json::json;

in_browser!(coordinator_checks_a_company_in);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";
const CHECKIN_FORM: &str = "main form.checkin-form";

async fn sign_in(browser: &Browser, who: &Session) {
    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &who.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
}

async fn coordinator_checks_a_company_in(app: crate::helpers::TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let fair = json!({"description": null, "booth_capacity": 40, "seat_capacity": 300});
    let invited = [company.organization_id, school.organization_id];
    let id = app.create_event(&coordinator.token, &fair_at(5, ("09:00", "12:00"), &invited, fair)).await.created_id();
    let posting = app.create_posting(&company.token, &posting_body()).await.created_id();
    let registration =
        app.register(&company.token, id, &json!({"posting_ids": [posting]})).await.created()["id"].as_i64().unwrap();
    app.register(
        &school.token,
        id,
        &json!({"graduates": 30, "teacher_name": "王老师", "teacher_phone": "13800138000"}),
    )
    .await
    .created();
    let approved = app.decide_registration(&coordinator.token, id, registration, &json!({"status": "approved"})).await;
    let code = approved.body["checkin_code"].as_str().unwrap().to_string();
    app.queue_notices(&coordinator.token, id, "invitation").await;

    // The company's event page: its pass with the QR code.
    sign_in(&browser, &company).await;
    browser.check_page("fair-pass", &format!("/app/events/{id}")).await;
    assert_eq!(browser.text("#checkin-pass .pass-code").await, code);
    browser.submit("header.site form.logout").await;

    // The coordinator: registrations, notices, then the check-in page.
    sign_in(&browser, &coordinator).await;
    browser.check_page("fair-registrations", &format!("/app/events/{id}/registrations")).await;
    browser.check_page("fair-notices", &format!("/app/events/{id}/notices")).await;
    browser.check_page("fair-invite", &format!("/app/events/{id}/invite")).await;
    browser.check_page("fair-event-edit", &format!("/app/events/{id}/edit")).await;
    let checkin = format!("/app/events/{id}/checkin");
    browser.check_page("fair-checkin", &checkin).await;
    for lang in ["zh", "en"] {
        browser.goto(&with_lang(&checkin, lang)).await;
        browser.fill(CHECKIN_FORM, "code", if lang == "zh" { &code } else { "ZZZZ" }).await;
        browser.submit(CHECKIN_FORM).await;
        let result = browser.text(".checkin-result .checkin-headline").await;
        if lang == "zh" {
            assert!(result.contains("签到成功"), "{result}");
        } else {
            assert!(result.contains("No such check-in code"), "{result}");
        }
        browser.screenshot("fair-checkin-result", 390, lang).await;
    }
    // The same code again says when it was first checked in.
    browser.goto(&with_lang(&checkin, "zh")).await;
    browser.fill(CHECKIN_FORM, "code", &code).await;
    browser.submit(CHECKIN_FORM).await;
    assert!(browser.text(".checkin-result.again .checkin-detail").await.contains("已于"));
    browser.screenshot("fair-checkin-again", 390, "zh").await;
    browser.assert_accessible("check-in result").await;
}
