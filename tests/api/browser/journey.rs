//! Issue 12's whole journey in the browser, one coordinator's working week: vet a pending
//! company, create a job fair, invite and send invitations, approve both registrations,
//! check the company in on the fair day, set up a round scoped to the fair, run it, read
//! a graduate's explanation, publish; the company confirms its offer and the school
//! accepts it, and the fill report's open shortage falls by one.

use super::Browser;
use super::checks::with_lang;
use crate::helpers::{CODE_A, PASSWORD, Session, TestApp, graduate_with, posting_with, project_body};
use crate::in_browser;
use chrono::{Duration, Utc};
use serde_json::json;

in_browser!(coordinator_runs_a_fair_from_vetting_to_fill);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";
const EVENT_FORM: &str = "main form[action=\"/app/events/new\"]";
const CHECKIN_FORM: &str = "main form.checkin-form";
const ROUND_FORM: &str = "main form[action=\"/app/rounds/new\"]";
const PROJECT: &str = "新区智慧物流园";

async fn sign_in(browser: &Browser, who: &Session) {
    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &who.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
}

async fn sign_out(browser: &Browser) {
    browser.submit("header.site form.logout").await;
}

/// The project's open shortage as the fill report's project table shows it (last column).
async fn open_shortage(browser: &Browser) -> i64 {
    browser.goto("/app/reports").await;
    let rows = browser.find_all("main .rep-section:first-of-type tbody tr").await;
    for row in rows {
        let cells: Vec<String> = {
            let mut texts = Vec::new();
            for cell in row.find_all(fantoccini::Locator::Css("th, td")).await.expect("report cells") {
                texts.push(cell.text().await.expect("cell text"));
            }
            texts
        };
        if cells.first().map(String::as_str) == Some(PROJECT) {
            return cells.last().and_then(|c| c.trim().parse().ok()).expect("open shortage is a number");
        }
    }
    panic!("{PROJECT} is not in the fill report");
}

async fn coordinator_runs_a_fair_from_vetting_to_fill(app: TestApp, browser: Browser) {
    let coordinator = app.coordinator().await;
    let company = app.pending_company(&coordinator, "肇庆宏达物流有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;

    // 1. Vetting: the pending company is approved from its page.
    sign_in(&browser, &coordinator).await;
    let detail = format!("/app/organizations/{}", company.organization_id);
    browser.goto(&detail).await;
    let vetting = format!("main form[action=\"{detail}/vetting\"]");
    browser.check(&vetting, "checks", "credit_code", true).await;
    browser.check(&vetting, "checks", "licence", true).await;
    let radio = format!("{vetting} input[type=radio][name=status][value=approved]");
    browser.run("document.querySelector(arguments[0]).click()", vec![json!(radio)]).await;
    browser.submit(&vetting).await;
    assert!(browser.text("p.flash[role=status]").await.contains("已通过审核"));

    // Now approved, the company can open a posting on a project short of 100 workers.
    let project = app.create_project(&company.token, &project_body(PROJECT)).await.created_id();
    let posting = app
        .create_posting(
            &company.token,
            &posting_with(json!({"title": "仓管员", "headcount": 2, "project_id": project})),
        )
        .await
        .created_id();
    let graduate = app
        .create_graduate(&school.token, &graduate_with(json!({"name": "陈伟", "major": "物流管理", "consent": true})))
        .await
        .created_id();
    app.set_choices(&school.token, graduate, &json!({"posting_ids": [posting]})).await;
    app.set_shortlist(&company.token, posting, &json!({"graduate_ids": [graduate]})).await;
    let before = open_shortage(&browser).await;
    assert_eq!(before, 100);

    // 2. A job fair five days out, created on the page.
    let day = (Utc::now() + Duration::days(5)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    browser.goto("/app/events/new").await;
    browser.select(EVENT_FORM, "kind", "job_fair").await;
    browser.fill(EVENT_FORM, "title", "2027肇庆新区校企双选会").await;
    browser.fill(EVENT_FORM, "venue", "肇庆新区体育中心").await;
    browser.set_value(EVENT_FORM, "starts_at", &format!("{day}T09:00")).await;
    browser.set_value(EVENT_FORM, "ends_at", &format!("{day}T12:00")).await;
    browser.fill(EVENT_FORM, "booth_capacity", "40").await;
    browser.fill(EVENT_FORM, "seat_capacity", "300").await;
    browser.submit(EVENT_FORM).await;
    let invite = browser.path().await;
    let event: i64 = invite
        .strip_prefix("/app/events/")
        .and_then(|rest| rest.strip_suffix("/invite"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("created event leads to its invite page, not {invite}"));

    // 3. Invite every approved company by kind, and the school by hand.
    browser.submit(&format!("main form.inline-form[method=post][action=\"{invite}\"]")).await;
    assert_eq!(browser.path().await, invite);
    browser.goto(&format!("{invite}?kind=school")).await;
    let pick = format!("main form[method=post][action=\"{invite}\"]:not(.inline-form)");
    browser.check(&pick, "add", &school.organization_id.to_string(), true).await;
    browser.submit(&pick).await;
    let invited = app.get(&format!("/api/v1/events/{event}"), Some(&coordinator.token)).await;
    let mut ids: Vec<i64> = serde_json::from_value(invited.body["invited_organization_ids"].clone()).unwrap();
    ids.sort();
    let mut expected = vec![company.organization_id, school.organization_id];
    expected.sort();
    assert_eq!(ids, expected, "both invited");

    // Send the invitations: one queued notice per invited organisation, listed on the page.
    let notices = format!("/app/events/{event}/notices");
    browser.goto(&notices).await;
    let send = format!("main form[action=\"{notices}\"]:has(input[name=kind][value=invitation])");
    browser.submit(&send).await;
    let sent = app.notices_of_kind("invitation").await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(browser.find_all("main tbody tr[id^=notice-]").await.len(), 2);

    // 4. Both register through the API; the coordinator approves both on the page.
    app.register(&company.token, event, &json!({"posting_ids": [posting]})).await.created();
    app.register(
        &school.token,
        event,
        &json!({"graduates": 30, "teacher_name": "王老师", "teacher_phone": "13800138000"}),
    )
    .await
    .created();
    let registrations = format!("/app/events/{event}/registrations");
    for _ in 0..2 {
        browser.goto(&registrations).await;
        browser.submit("main form.inline-form:has(input[name=status][value=approved])").await;
        assert!(browser.path().await.starts_with(&registrations));
    }
    let listed = app.get(&format!("/api/v1/events/{event}/registrations"), Some(&coordinator.token)).await;
    let items = listed.body["items"].as_array().expect("registrations");
    assert!(items.iter().all(|r| r["status"] == "approved"), "{items:?}");
    let code = items
        .iter()
        .find(|r| r["organization_id"] == company.organization_id)
        .and_then(|r| r["checkin_code"].as_str())
        .expect("the company's check-in code")
        .to_string();
    assert_eq!(app.notices_of_kind("registration_decision").await.len(), 2);

    // 5. Fair day: the company checked in by its typed code, a second time refused kindly.
    let checkin = format!("/app/events/{event}/checkin");
    browser.check_page("journey-checkin", &checkin).await;
    browser.goto(&with_lang(&checkin, "zh")).await;
    browser.fill(CHECKIN_FORM, "code", &code).await;
    browser.submit(CHECKIN_FORM).await;
    assert!(browser.text(".checkin-result .checkin-headline").await.contains("签到成功"));
    browser.fill(CHECKIN_FORM, "code", &code).await;
    browser.submit(CHECKIN_FORM).await;
    assert!(browser.text(".checkin-result.again .checkin-detail").await.contains("已于"));
    browser.assert_only_status_logged(409).await;

    // 6. A round scoped to the fair: set up, run, watched to the end.
    browser.goto("/app/rounds/new").await;
    browser.fill(ROUND_FORM, "name", "双选会后第一轮").await;
    browser.select(ROUND_FORM, "scope.event_id", &event.to_string()).await;
    browser.submit(ROUND_FORM).await;
    let round_path = browser.path().await;
    let round: i64 = round_path.rsplit('/').next().and_then(|id| id.parse().ok()).expect("a round id");
    browser.submit(&format!("main form[action=\"{round_path}/run\"]")).await;
    let done = browser
        .poll_until(&round_path, std::time::Duration::from_secs(20), async |b: &Browser| {
            b.attr("section.round-status", "data-status").await.as_deref() == Some("done")
        })
        .await;
    assert!(done, "the round finished");
    let figures = browser.texts("section.round-stats dl.figures dd").await;
    assert_eq!(&figures[..2], ["1", "1"], "one graduate, placed: {figures:?}");

    // The placed graduate's explanation.
    browser.goto(&format!("{round_path}/graduates?matched=yes")).await;
    browser.click("ol.round-graduates li.placement strong a").await;
    assert_eq!(browser.path().await, format!("{round_path}/graduates/{graduate}"));
    assert!(browser.exists("ol.preference-list li[data-outcome=matched]").await);
    assert!(!browser.text("section.round-outcome p.explanation").await.trim().is_empty());

    // Publish with the offers due in ten days.
    browser.goto(&round_path).await;
    let due = (Utc::now() + Duration::hours(8) + Duration::days(10)).date_naive().to_string();
    let publish = format!("main form[action=\"{round_path}/publish\"]");
    browser.set_value(&publish, "offers_due", &due).await;
    browser.submit(&publish).await;
    assert!(browser.text("p.flash[role=status]").await.contains("已发布"));
    let offers = app.offers(&coordinator.token, &format!("round_id={round}")).await;
    let offer = offers.body["items"][0]["id"].as_i64().expect("one offer");
    assert_eq!(offers.body["items"].as_array().unwrap().len(), 1);
    sign_out(&browser).await;

    // 7. The company confirms, the school accepts, each on its own offers page.
    let accept = format!("#offer-{offer} .offer-actions form:not(.decline-form)");
    for (who, name) in [(&company, "journey-offers-company"), (&school, "journey-offers-school")] {
        sign_in(&browser, who).await;
        browser.check_page(name, "/app/offers").await;
        browser.goto("/app/offers").await;
        browser.submit(&accept).await;
        assert!(browser.text("p.flash[role=status]").await.contains("答复已保存"));
        sign_out(&browser).await;
    }
    let answered = app.get(&format!("/api/v1/offers/{offer}"), Some(&coordinator.token)).await;
    assert_eq!(answered.body["status"], "accepted", "{:?}", answered.body);

    // 8. The fill report: the project's open shortage fell by one.
    sign_in(&browser, &coordinator).await;
    assert_eq!(open_shortage(&browser).await, before - 1);
    browser.check_page("journey-offers-coordinator", &format!("/app/offers?round_id={round}")).await;
    browser.close().await;
}
