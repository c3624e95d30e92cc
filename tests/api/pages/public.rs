//! Page tests: the public pages — the listing search, a posting, the upcoming events.

use crate::helpers::{CODE_A, Session, TestApp, posting_with, project_body};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_shared_search_page_is_fresh_and_never_someone_elses,
    search_lists_open_postings_with_marks_and_facets,
    titles_are_escaped_everywhere,
    english_pages_use_english_labels,
    a_posting_page_shows_the_posting_and_hides_what_is_not_open,
    a_bad_search_url_shows_the_form_with_its_error,
    an_empty_search_suggests_dropping_filters,
    events_page_lists_upcoming_events_without_invitations,
);

/// A page as a browser would get it, signed out: status, content type, HTML.
async fn page(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let html = app.page(path, None).await;
    (html.status, html.content_type().to_string(), html.body)
}

/// The `href` of the first `<a>` whose opening tag contains `marker`, unescaped.
fn link_href(html: &str, marker: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker} in the page"));
    let tag_start = html[..at].rfind("<a ").expect("inside a link");
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').expect("tag ends")];
    let href = tag.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("link has an href");
    // Askama writes `&` as `&#38;`, the search's snippets as `&amp;`.
    href.replace("&#38;", "&").replace("&amp;", "&")
}

/// Ids of the listed postings, in order.
fn listed(html: &str) -> Vec<i64> {
    html.split("class=\"result\" data-posting-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

async fn company(app: &TestApp) -> (Session, Session) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "肇庆宇宙自动化设备有限公司", CODE_A).await;
    (coordinator, company)
}

async fn post(app: &TestApp, company: &Session, changes: Value) -> i64 {
    app.create_posting(&company.token, &posting_with(changes)).await.created_id()
}

async fn search_lists_open_postings_with_marks_and_facets(app: TestApp) {
    let (_, company) = company(&app).await;
    let store = post(
        &app,
        &company,
        json!({"title": "仓管员", "category": "logistics", "description": "负责仓库收发货，仓管经验优先。"}),
    )
    .await;
    let operator = post(&app, &company, json!({"title": "仓管助理", "category": "operator"})).await;
    let draft = post(&app, &company, json!({"title": "仓管主管", "status": "draft"})).await;
    let closed = post(&app, &company, json!({"title": "仓管组长"})).await;
    app.delete(&format!("/api/v1/postings/{closed}"), Some(&company.token)).await;
    app.indexed().await;

    let (status, content_type, html) = page(&app, "/?q=%E4%BB%93%E7%AE%A1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    let mut found = listed(&html);
    found.sort();
    assert_eq!(found, vec![store, operator], "open postings only, not the draft {draft} or closed {closed}");
    assert!(html.contains("<mark>仓管</mark>"), "matches are marked");
    assert!(html.contains("<p class=\"result-count\" id=\"result-count\">共 2 个岗位</p>"));
    assert!(html.contains("<form role=\"search\" method=\"get\" action=\"/\""));
    assert!(html.contains("class=\"chip remove-filter\""), "the words are a removable filter");
    // Labels in Chinese, pay as Chinese write it.
    assert!(html.contains("物流仓储") && html.contains("¥4,500–6,500/月"));

    // A facet narrows the same search, and says how many it will find.
    let facet = link_href(&html, "data-facet=\"category\" data-value=\"logistics\"");
    assert!(facet.starts_with("/?") && facet.contains("q=") && facet.contains("category=logistics"), "{facet}");
    assert!(html.contains("data-value=\"logistics\"") && html.contains("物流仓储 <span class=\"count\">1</span>"));
    let (status, _, narrowed) = page(&app, &facet).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed(&narrowed), vec![store]);
    // The active facet can be removed again, back to the words alone.
    let remove = link_href(&narrowed, "class=\"chip remove-filter\" href=\"/?q=");
    assert_eq!(listed(&page(&app, &remove).await.2).len(), 2, "{remove}");

    // Pages: 1 per page gives a next link, and page 2 a previous one.
    let (_, _, first) = page(&app, "/?q=%E4%BB%93%E7%AE%A1&per_page=1").await;
    let next = link_href(&first, "rel=\"next\"");
    assert!(next.contains("page=2") && next.contains("per_page=1"), "{next}");
    let (_, _, second) = page(&app, &next).await;
    assert_eq!(listed(&second).len(), 1);
    assert!(second.contains("rel=\"prev\""));
    assert_ne!(listed(&first), listed(&second));
}

async fn titles_are_escaped_everywhere(app: TestApp) {
    let (_, company) = company(&app).await;
    let id = post(
        &app,
        &company,
        json!({"title": "<script>alert(1)</script>仓管", "description": "第一行\n<b>第二行</b> 仓管"}),
    )
    .await;
    app.indexed().await;
    let (_, _, html) = page(&app, "/?q=%E4%BB%93%E7%AE%A1").await;
    assert_eq!(listed(&html), vec![id]);
    assert!(!html.contains("<script>alert"), "a title is text, not markup");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;仓管</a></h2>"), "the title, escaped");
    assert!(!html.contains("<b>第二行") && html.contains("&lt;b&gt;第二行&lt;/b&gt; <mark>仓管</mark>"), "the snippet");

    let (status, _, html) = page(&app, &format!("/postings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert") && !html.contains("<b>"));
    assert!(html.contains("<h1>&#60;script&#62;alert(1)&#60;/script&#62;仓管</h1>"));
    // Line breaks are kept as text (CSS shows them), the markup escaped.
    assert!(html.contains("第一行\n&#60;b&#62;第二行&#60;/b&#62; 仓管"));
}

async fn english_pages_use_english_labels(app: TestApp) {
    let (_, company) = company(&app).await;
    let id = post(&app, &company, json!({"title": "仓管员", "category": "logistics"})).await;
    app.indexed().await;
    let response = app.client.get(app.url("/?lang=en")).send().await.unwrap();
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Logistics &#38; warehousing"), "vocabulary labels in English");
    assert!(html.contains("¥4,500–6,500/month"));
    assert!(html.contains("1 opening"));
    assert!(!html.contains("物流仓储"));
    let (_, _, html) = page(&app, &format!("/postings/{id}?lang=en")).await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Secondary vocational school or above"));
    assert!(html.contains("30 people") && html.contains("1 Dec 2026"));
}

async fn a_posting_page_shows_the_posting_and_hides_what_is_not_open(app: TestApp) {
    let (_, company) = company(&app).await;
    let project = app.create_project(&company.token, &project_body("宇宙自动化产线装备项目")).await.created_id();
    let open = post(&app, &company, json!({"title": "仓管员", "project_id": project})).await;
    let draft = post(&app, &company, json!({"title": "仓管主管", "status": "draft"})).await;
    let closed = post(&app, &company, json!({"title": "仓管组长"})).await;
    app.delete(&format!("/api/v1/postings/{closed}"), Some(&company.token)).await;

    let (status, content_type, html) = page(&app, &format!("/postings/{open}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert_eq!(html.matches("<h1").count(), 1);
    for shown in [
        "<h1>仓管员</h1>",
        "肇庆宇宙自动化设备有限公司",
        "宇宙自动化产线装备项目",
        "喜珍产业园",
        "肇庆新区",
        "¥4,500–6,500/月",
        "宿舍",
        "班车",
        "电子信息工程、机电一体化",
        "中专及以上",
        "30 人",
        "2026年12月1日",
        "2027年1月31日",
        "href=\"/\"",
    ] {
        assert!(html.contains(shown), "{shown} missing");
    }

    // Not open, not there: the same HTML 404 page, whatever the client accepts.
    for path in
        [format!("/postings/{draft}"), format!("/postings/{closed}"), "/postings/999999".into(), "/postings/abc".into()]
    {
        let (status, content_type, html) = page(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(content_type.starts_with("text/html"), "{path}: {content_type}");
        assert!(html.contains("页面不存在") && !html.contains("仓管"), "{path}");
    }
    // Its company may preview its own draft.
    let response = app
        .client
        .get(app.url(&format!("/postings/{draft}")))
        .header("cookie", format!("xiaoqi_session={}", company.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("草稿"));
}

async fn a_bad_search_url_shows_the_form_with_its_error(app: TestApp) {
    let (status, content_type, html) = page(&app, "/?q=%E4%BB%93&salary_min=lots&sort=cheapest").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("<div class=\"form-errors\" role=\"alert\">"));
    assert!(html.contains("id=\"error-salary_min\"") && html.contains("id=\"error-sort\""));
    assert!(
        html.contains("<a href=\"#field-salary_min\">月薪不低于（元）：必须是整数</a>"),
        "the summary names the field"
    );
    assert!(html.contains("name=\"salary_min\" type=\"number\"") && html.contains("value=\"lots\""));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"error-salary_min\""));
    assert!(html.contains("value=\"仓\""), "the rest of the search is kept");
    // A control character in the words: the API's rule, the same form.
    let (status, content_type, html) = page(&app, "/?q=%E4%BB%93%00").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(content_type.starts_with("text/html") && html.contains("id=\"error-q\""));
}

async fn an_empty_search_suggests_dropping_filters(app: TestApp) {
    let (_, company) = company(&app).await;
    let id = post(&app, &company, json!({"title": "仓管员", "category": "logistics"})).await;
    app.indexed().await;
    let (status, _, html) = page(&app, "/?q=%E4%BB%93%E7%AE%A1&category=engineer&benefit=meals").await;
    assert_eq!(status, StatusCode::OK);
    assert!(listed(&html).is_empty());
    assert!(html.contains("<div class=\"empty\">"));
    let drop = link_href(&html, "去掉“工程师”");
    assert!(html.contains("去掉“关键词：仓管”"));
    assert!(!drop.contains("category=") && drop.contains("benefit=meals"), "{drop}");
    assert_eq!(listed(&page(&app, &drop).await.2), vec![id]);
}

async fn events_page_lists_upcoming_events_without_invitations(app: TestApp) {
    let (coordinator, company) = company(&app).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let day = (Utc::now() + Duration::days(10)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    let event = |title: &str| {
        json!({
            "kind": "job_fair", "title": title, "description": "电子信息企业集中招聘",
            "venue": "肇庆新区体育中心", "starts_at": format!("{day}T14:00"), "ends_at": format!("{day}T17:30"),
            "booth_capacity": 10, "seat_capacity": 100,
            "invited_organization_ids": [company.organization_id, school.organization_id]
        })
    };
    let fair = app.create_event(&coordinator.token, &event("2027肇庆新区校企双选会")).await.created_id();
    let cancelled = app.create_event(&coordinator.token, &event("已取消的双选会")).await.created_id();
    app.update_event(&coordinator.token, cancelled, &json!({"status": "cancelled"})).await;

    let (status, _, html) = page(&app, "/events").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<ol class=\"events\">"));
    assert!(html.contains(&format!("<li class=\"event\" data-event-id=\"{fair}\"")));
    assert!(html.contains("2027肇庆新区校企双选会") && html.contains("肇庆新区体育中心") && html.contains("双选会"));
    let date = format!("{}年{}月{}日 14:00–17:30", day.format("%Y"), day.format("%-m"), day.format("%-d"));
    assert!(html.contains(&date), "{date}");
    assert!(!html.contains("已取消的双选会"), "cancelled events are not listed");
    // Whom the service centre invited is not the public's business.
    assert!(!html.contains("肇庆宇宙自动化设备有限公司") && !html.contains("肇庆技师学院"));
    assert!(!html.contains("invited"));
}

/// Visitors who are not signed in share rendered search pages until the index changes; a
/// signed-in user never gets one of those, and a new posting shows at once.
async fn the_shared_search_page_is_fresh_and_never_someone_elses(app: TestApp) {
    let (_, company) = company(&app).await;
    post(&app, &company, json!({"title": "仓管助理"})).await;
    app.indexed().await;
    let first = page(&app, "/?q=%E4%BB%93%E7%AE%A1").await.2;
    assert_eq!(listed(&first).len(), 1);
    assert_eq!(page(&app, "/?q=%E4%BB%93%E7%AE%A1").await.2, first, "the same page for the next visitor");
    let english = page(&app, "/?q=%E4%BB%93%E7%AE%A1&lang=en").await.2;
    assert!(english.contains(r#"<html lang="en">"#));

    let signed_in = app.page("/?q=%E4%BB%93%E7%AE%A1", Some(&company)).await.body;
    assert!(signed_in.contains(r#"action="/logout""#), "the signed-in header, not the shared page");

    post(&app, &company, json!({"title": "仓管主管"})).await;
    app.indexed().await;
    assert_eq!(listed(&page(&app, "/?q=%E4%BB%93%E7%AE%A1").await.2).len(), 2, "a new index generation, a new page");
}
