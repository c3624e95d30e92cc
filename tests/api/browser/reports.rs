//! Reports in the browser: a coordinator opens each report from the navigation, filters
//! the fill by park with the GET form, and sees a school's view; every page is checked
//! whole (axe, console, screenshots at 390 and 1280 px in both languages).

use super::Browser;
use crate::helpers::PASSWORD;
use crate::in_browser;
use crate::reports::world;

in_browser!(reports_by_role_with_charts_and_filters);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";

async fn log_in(browser: &Browser, email: &str) {
    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
}

async fn reports_by_role_with_charts_and_filters(app: crate::helpers::TestApp, browser: Browser) {
    let w = world(&app).await;
    log_in(&browser, &w.coordinator.email).await;
    browser.click("header.site a[href=\"/app/reports\"]").await;
    assert_eq!(browser.path().await, "/app/reports");
    assert_eq!(browser.find_all("main svg.chart").await.len(), 3, "projects, parks, over time");
    browser.check_page("reports-fill", "/app/reports").await;

    // Filter by park with the form: only that park's projects remain.
    browser.select("form.rep-filters", "park", "新区科技园").await;
    browser.submit("form.rep-filters").await;
    let rows = browser.texts("main .rep-section:first-of-type tbody th[scope=row]").await;
    assert_eq!(rows, ["奥士康研发中心"]);

    for kind in ["placements", "destinations", "turnout"] {
        let path = format!("/app/reports?report={kind}");
        browser.goto(&path).await;
        assert!(browser.exists("main svg.chart").await, "{kind} has a chart");
        browser.check_page(&format!("reports-{kind}"), &path).await;
    }

    // A school sees its own destinations.
    browser.submit("header.site form.logout").await;
    log_in(&browser, &w.schools[0].email).await;
    browser.goto("/app/reports?report=destinations").await;
    assert_eq!(browser.texts("main tbody th[scope=row]").await, ["肇庆技师学院"]);
    browser.check_page("reports-school-destinations", "/app/reports?report=destinations").await;
    browser.close().await;
}
