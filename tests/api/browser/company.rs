//! A company's journey: sign in, post an opening (getting one field wrong first), see it
//! in the public search, shortlist and rank candidates, register for a fair, sign out.

use super::Browser;
use super::seed;
use crate::helpers::{PASSWORD, TestApp};
use crate::in_browser;
use std::time::Duration;

in_browser!(company_posts_shortlists_and_registers);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";
const POSTING_FORM: &str = "main form:has(input[name=title])";

async fn company_posts_shortlists_and_registers(app: TestApp, browser: Browser) {
    let world = seed::world(&app).await;

    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &world.company.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
    assert_eq!(browser.status().await, 200);
    browser.assert_no_console_errors().await;
    browser.check_page("dashboard", "/app").await;

    // A new posting with one bad field: the form comes back with the error beside it.
    browser.check_page("posting-new", "/app/postings/new").await;
    let title = "仓储物流专员（新区园区）";
    let project = world.project_id.to_string();
    browser.select(POSTING_FORM, "project_id", &project).await;
    browser.fill(POSTING_FORM, "title", title).await;
    browser.select(POSTING_FORM, "category", "logistics").await;
    browser.select(POSTING_FORM, "education_min", "secondary_vocational").await;
    browser.fill(POSTING_FORM, "headcount", "0").await;
    browser.fill(POSTING_FORM, "salary_min", "5000").await;
    browser.fill(POSTING_FORM, "salary_max", "6900").await;
    browser.fill(POSTING_FORM, "location", "肇庆新区").await;
    browser.check(POSTING_FORM, "benefits", "dormitory", true).await;
    browser.check(POSTING_FORM, "benefits", "meals", true).await;
    browser.fill(POSTING_FORM, "majors", "物流管理，电子商务").await;
    browser.fill(POSTING_FORM, "description", "负责园区仓库的收发货与库存管理，包住宿。").await;
    browser.set_value(POSTING_FORM, "starts_on", "2026-12-01").await;
    browser.set_value(POSTING_FORM, "closes_on", "2027-01-31").await;
    browser.select(POSTING_FORM, "status", "open").await;
    browser.submit(POSTING_FORM).await;

    assert_eq!(browser.status().await, 422);
    assert!(browser.exists("main div.form-errors[role=alert]").await);
    assert!(!browser.text("main p.field-error#error-headcount").await.is_empty());
    let headcount = "main input[name=headcount]";
    assert_eq!(browser.attr(headcount, "aria-invalid").await.as_deref(), Some("true"));
    assert_eq!(browser.attr(headcount, "aria-describedby").await.as_deref(), Some("error-headcount"));
    assert_eq!(browser.find_all("main p.field-error").await.len(), 1, "only the headcount was wrong");
    assert_eq!(browser.attr("main input[name=title]", "value").await.as_deref(), Some(title), "input kept");
    browser.assert_only_status_logged(422).await;
    browser.assert_accessible("posting form with an error").await;

    browser.fill(POSTING_FORM, "headcount", "5").await;
    browser.submit(POSTING_FORM).await;
    let path = browser.path().await;
    let posting: i64 = path
        .strip_prefix("/app/postings/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("saved, the posting's page: {path}"));
    assert!(browser.exists("p.flash[role=status]").await, "a saved form leaves a message");
    assert!(browser.text("main h1").await.contains(title));
    browser.assert_no_console_errors().await;

    // The public finds it within two seconds.
    let search = format!("/?q={}", urlencode(title));
    let row = format!("ol.results li.result[data-posting-id=\"{posting}\"]");
    let found = browser.poll_until(&search, Duration::from_secs(2), async |b| b.exists(&row).await).await;
    assert!(found, "posting {posting} in the public search within 2 s");

    // Candidates: shortlist the first two suggestions, then rank the second above the first.
    let candidates = format!("/app/postings/{posting}/candidates");
    browser.goto(&candidates).await;
    let suggested = browser.attrs("ol.suggestions li.candidate", "data-graduate-id").await;
    assert_eq!(suggested.len(), 3, "the school's consenting graduates are suggested: {suggested:?}");
    assert!(!browser.text("main").await.contains(seed::PRIVATE_GRADUATE), "only consenting graduates");
    let (first, second) = (&suggested[0], &suggested[1]);
    for graduate in [first, second] {
        browser.submit(&format!("ol.suggestions li.candidate[data-graduate-id=\"{graduate}\"] form")).await;
        assert_eq!(browser.path().await, candidates, "each step comes back to the page");
    }
    let shortlist = "ol.shortlist li[data-graduate-id]";
    assert_eq!(browser.attrs(shortlist, "data-graduate-id").await, vec![first.clone(), second.clone()]);
    browser.submit(&shortlist_op(first, "down")).await;
    assert_eq!(browser.attrs(shortlist, "data-graduate-id").await, vec![second.clone(), first.clone()]);
    browser.submit(&shortlist_op(first, "up")).await;
    assert_eq!(browser.attrs(shortlist, "data-graduate-id").await, vec![first.clone(), second.clone()]);
    browser.submit(&shortlist_op(second, "up")).await;
    assert_eq!(browser.attrs(shortlist, "data-graduate-id").await, vec![second.clone(), first.clone()]);
    browser.assert_no_console_errors().await;
    browser.check_page("candidates", &candidates).await;

    // The fair it is invited to: register with the new posting, then see it pending.
    let event = format!("/app/events/{}", world.event_id);
    browser.goto(&event).await;
    assert!(browser.text("main h1").await.contains(&world.event_title));
    let register = format!("main form[action=\"/app/events/{}/register\"]", world.event_id);
    browser.check(&register, "posting_ids", &posting.to_string(), true).await;
    browser.submit(&register).await;
    assert_eq!(browser.path().await, event);
    assert!(browser.exists("p.registration-status[data-status=pending]").await);
    browser.assert_no_console_errors().await;
    browser.check_page("event", &event).await;

    browser.check_page("postings", "/app/postings").await;
    assert!(browser.text("main table.postings").await.contains(title));

    browser.submit("header.site form.logout").await;
    assert_eq!(browser.path().await, "/");
    assert!(browser.exists("header.site a.login-link").await);
    browser.assert_no_console_errors().await;
    browser.close().await;
}

/// The shortlist form that moves `graduate` one place `op` ("up" or "down").
fn shortlist_op(graduate: &str, op: &str) -> String {
    format!("ol.shortlist li[data-graduate-id=\"{graduate}\"] form:has(input[name=op][value={op}])")
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
