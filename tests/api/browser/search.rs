//! An anonymous visitor's journey through the public pages: search, narrow by a facet,
//! open a posting, and come back to the same results with the back button.

use super::Browser;
use super::seed;
use crate::helpers::TestApp;
use crate::in_browser;

in_browser!(anonymous_search_facet_posting_and_back);

const SEARCH_FORM: &str = "main form[role=search]";

async fn anonymous_search_facet_posting_and_back(app: TestApp, browser: Browser) {
    let world = seed::world(&app).await;
    let logistics = seed::postings_to_search(&app, &world.company, world.project_id).await;

    browser.goto("/").await;
    assert_eq!(browser.find_all("main h1").await.len(), 1);
    browser.fill(SEARCH_FORM, "q", "仓管").await;
    browser.submit(SEARCH_FORM).await;
    let searched = browser.path().await;
    assert!(
        searched.starts_with("/?") && searched.contains("q=%E4%BB%93%E7%AE%A1"),
        "the query is in the URL: {searched}"
    );
    let found = browser.attrs("ol.results li.result", "data-posting-id").await;
    assert_eq!(found.len(), 3, "three postings mention 仓管: {found:?}");
    assert!(browser.exists("ol.results li.result mark").await, "snippets mark the words found");
    assert!(!browser.text("p.result-count").await.is_empty());
    browser.assert_no_console_errors().await;

    // Narrow to the logistics category by its facet link.
    let facet = "nav.facets a.facet[data-facet=category][data-value=logistics]";
    assert_eq!(browser.text(&format!("{facet} .count")).await, "2");
    browser.click(facet).await;
    let filtered = browser.path().await;
    assert!(filtered.contains("category=logistics") && filtered.contains("q="), "{filtered}");
    let mut ids = browser.attrs("ol.results li.result", "data-posting-id").await;
    ids.sort();
    let mut expected: Vec<String> = logistics.iter().map(i64::to_string).collect();
    expected.sort();
    assert_eq!(ids, expected, "only the logistics postings are left");
    assert!(browser.exists("a.chip.remove-filter").await, "the active filter can be removed");
    browser.assert_no_console_errors().await;

    // Open the first result, then go back.
    let first = browser.attr("ol.results li.result", "data-posting-id").await.unwrap();
    let title = browser.text("ol.results li.result h2 a").await;
    browser.click("ol.results li.result h2 a").await;
    assert_eq!(browser.path().await, format!("/postings/{first}"));
    assert_eq!(browser.text("main h1").await, title);
    assert!(browser.text("main").await.contains(seed::COMPANY_NAME), "the posting names its company");
    browser.assert_no_console_errors().await;
    browser.client.back().await.expect("back");
    assert_eq!(browser.path().await, filtered, "back returns to the filtered results");
    assert_eq!(browser.attrs("ol.results li.result", "data-posting-id").await.len(), logistics.len());

    // Nothing found: a way out is offered.
    browser.goto("/?q=%E6%BD%9C%E6%B0%B4%E5%91%98&category=logistics").await;
    assert!(browser.exists("main div.empty a").await, "no results suggest a filter to drop");
    browser.assert_no_console_errors().await;

    browser.check_page("home", "/").await;
    browser.check_page("search", &filtered).await;
    browser.check_page("posting", &format!("/postings/{first}")).await;
    browser.check_page("events", "/events").await;
    assert!(browser.texts("ol.events li.event").await.iter().any(|e| e.contains(&world.event_title)));
    browser.close().await;
}
