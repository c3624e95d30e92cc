//! A graduate's personal link: the teacher opens the graduate's consent page and takes the
//! link; the graduate, signed out, opens their page, withdraws consent and gives it again.

use super::Browser;
use crate::helpers::{CODE_A, PASSWORD, TestApp, graduate_with, posting_with};
use crate::in_browser;
use serde_json::json;

in_browser!(a_teacher_hands_out_the_link_and_the_graduate_withdraws);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";

async fn a_teacher_hands_out_the_link_and_the_graduate_withdraws(app: TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let mut postings = Vec::new();
    for title in ["设备维护技术员（新区二期）", "SMT操作工", "品质检验员"] {
        postings.push(app.create_posting(&company.token, &posting_with(json!({"title": title}))).await.created_id());
    }
    let body = graduate_with(json!({"name": "陈嘉欣", "student_no": "2022010315", "id_number": "441202200403151237",
        "gender": "male", "birth_date": "2004-03-15", "class_name": "机电2201班", "phone": "13912345678",
        "skills": ["PLC编程", "CAD制图", "电气设备维修"], "certificates": ["电工证（低压）", "数控中级"]}));
    let graduate = app.create_graduate(&school.token, &body).await.created_id();
    app.set_choices(&school.token, graduate, &json!({"posting_ids": postings})).await;
    // A round placing the graduate, published: the graduate's page shows it.
    let round = app.create_round(&coordinator.token, &json!({"name": "2027届第一轮双选", "seed": 5})).await;
    let round = round.body["id"].as_i64().unwrap();
    app.start_round(&coordinator.token, round).await;
    for _ in 0..200 {
        let r = app.get(&format!("/api/v1/rounds/{round}"), Some(&coordinator.token)).await;
        if r.body["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.publish_round(&coordinator.token, round).await;

    // The teacher, signed in, at the graduate's consent page.
    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &school.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    let consent = format!("/app/graduates/{graduate}/consent");
    browser.check_page("consent", &consent).await;
    assert_eq!(browser.text("main .consent-state .badge").await, "已同意推荐");
    let link = browser.attr("main input#personal-link", "value").await.expect("the link to copy");
    let me = format!("/me/{}", link.split_once("/me/").expect("a /me/ link").1);
    browser.submit(&format!("main form[action=\"/app/graduates/{graduate}/consent\"]:has(input[value=false])")).await;
    assert_eq!(browser.path().await, consent);
    assert!(browser.exists("p.flash[role=status]").await);
    assert_eq!(browser.text("main .consent-state .badge").await, "已撤回同意");
    browser.assert_no_console_errors().await;
    browser.submit(&format!("main form[action=\"/app/graduates/{graduate}/consent\"]:has(input[value=true])")).await;
    browser.submit("header.site form.logout").await;

    // The graduate, signed out, with the link.
    browser.check_page("me", &me).await;
    assert!(browser.text("main h1").await.contains("陈嘉欣"));
    assert!(browser.text("main #record").await.contains("4412**********1237"));
    assert!(!browser.exists("header.site .who").await, "nobody is signed in");
    browser.submit("main form.consent-form").await;
    assert!(browser.path().await.starts_with(&me));
    assert!(browser.exists("main section.consent-withdrawn").await);
    assert!(browser.text("p.flash[role=status]").await.contains("已撤回"));
    browser.assert_no_console_errors().await;
    browser.check_page("me-withdrawn", &me).await;
    browser.submit("main form.consent-form").await;
    assert!(browser.exists("main section.consent-given").await);
    browser.close().await;
}
