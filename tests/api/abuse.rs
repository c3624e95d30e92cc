//! Abuse limits on search (issue 13): bounded words, bounded paging depth on every list,
//! anonymous searches rate-limited per address, and searches run on a bounded pool apart
//! from the async workers, so that a burst of them leaves the rest of the service answering.

use crate::helpers::{CODE_A, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    long_or_wordy_searches_are_refused_naming_q,
    deep_pages_are_refused_on_every_paginated_list,
    anonymous_searches_are_limited_per_address_but_not_signed_in_ones,
    searches_beyond_the_pool_are_refused_while_the_service_answers
);

fn encoded(q: &str) -> String {
    serde_urlencoded::to_string([("q", q)]).unwrap()
}

/// The 422 names `q` (only) and says why in both languages.
#[track_caller]
fn refused_q(reply: &crate::helpers::Reply, chinese: &str) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
    assert_eq!(reply.error_fields(), ["q"], "{:?}", reply.body);
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(chinese), "{message}");
}

async fn long_or_wordy_searches_are_refused_naming_q(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let graduate = app.create_graduate(&school.token, &graduate_with(json!({}))).await.created_id();
    let too_long = "数控".repeat(51);
    let too_many = "电工 焊工 钳工 车工 铣工 磨工 普工 仓管 叉车 质检 文员";
    // The bounds themselves still search.
    let longest = "仓".repeat(100);
    let wordiest = "电工 焊工 钳工 车工 铣工 磨工 普工 仓管 叉车 质检";

    for token in [None, Some(coordinator.token.as_str())] {
        refused_q(&app.get(&format!("/api/v1/postings?{}", encoded(&too_long)), token).await, "搜索词过长");
        refused_q(&app.get(&format!("/api/v1/postings?{}", encoded(too_many)), token).await, "搜索词过多");
        for q in [longest.as_str(), wordiest] {
            let reply = app.get(&format!("/api/v1/postings?{}", encoded(q)), token).await;
            assert_eq!(reply.status, StatusCode::OK, "{q}: {:?}", reply.body);
        }
    }
    let token = Some(coordinator.token.as_str());
    refused_q(&app.get(&format!("/api/v1/graduates?{}", encoded(&too_long)), token).await, "搜索词过长");
    refused_q(&app.get(&format!("/api/v1/graduates?{}", encoded(too_many)), token).await, "搜索词过多");
    assert_eq!(app.get(&format!("/api/v1/graduates?{}", encoded(wordiest)), token).await.status, StatusCode::OK);

    // The document states the bounds, so generated clients (and schemathesis) keep to them.
    let document = app.get("/api/openapi.json", None).await.body;
    for path in ["/api/v1/postings", "/api/v1/graduates"] {
        let parameters = document["paths"][path]["get"]["parameters"].as_array().unwrap();
        let q = parameters.iter().find(|p| p["name"] == "q").unwrap();
        assert_eq!(q["schema"]["maxLength"], 100, "{path}: {q}");
        assert_eq!(q["schema"]["x-max-words"], 10, "{path}: {q}");
    }

    // The search page draws its form again with the reason beside the field, in Chinese.
    let page = app.page(&format!("/?{}", encoded(too_many)), None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"error-q\"") && page.body.contains("搜索词过多"), "{}", page.body);
    let page = app.page(&format!("/?{}&lang=en", encoded(&too_long)), None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("search text too long"), "{}", page.body);
    // So does a graduate's choices page (a school finding postings to choose).
    let choices = format!("/app/graduates/{graduate}/choices");
    let page = app.page(&format!("{choices}?{}", encoded(&too_long)), Some(&school)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("搜索词过长"), "{}", page.body);
    assert_eq!(app.page(&format!("{choices}?{}", encoded(wordiest)), Some(&school)).await.status, StatusCode::OK);
}

/// Every list the document pages (a `per_page` parameter), with or without a path id:
/// paging past the first 10,000 results is a 422 naming `page`, before anything is read.
async fn deep_pages_are_refused_on_every_paginated_list(app: TestApp) {
    let coordinator = app.coordinator().await;
    let document = app.get("/api/openapi.json", None).await.body;
    let mut lists = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        let Some(parameters) = item["get"]["parameters"].as_array() else { continue };
        if parameters.iter().any(|p| p["name"] == "per_page" && p["in"] == "query") {
            lists.push(with_ids(path));
        }
    }
    assert!(lists.len() >= 10, "paginated lists found: {lists:?}");
    for list in &lists {
        for query in ["page=10001&per_page=1", "page=101&per_page=100", "page=1000000&per_page=100"] {
            let reply = app.get(&format!("{list}?{query}"), Some(&coordinator.token)).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{list}?{query}: {:?}", reply.body);
            assert_eq!(reply.error_fields(), ["page"], "{list}?{query}: {:?}", reply.body);
        }
    }
}

/// A path template with each `{id}` as 1: an id that names nothing is fine, since the
/// query is read before the path's row.
fn with_ids(template: &str) -> String {
    let mut path = String::new();
    let mut in_name = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_name = true;
                path.push('1');
            }
            '}' => in_name = false,
            c if !in_name => path.push(c),
            _ => {}
        }
    }
    path
}

async fn anonymous_searches_are_limited_per_address_but_not_signed_in_ones(app: TestApp) {
    // Three at once, then one every ten seconds.
    let app = app.restart(|layer| layer.search_rate = Some("0.1,3".into())).await;
    let coordinator = app.coordinator().await;
    for i in 0..3 {
        let reply = app.get(&format!("/api/v1/postings?q=电工{i}"), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let limited = app.get("/api/v1/postings?q=电工", None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", limited.body);
    assert_eq!(limited.content_type, "application/problem+json");
    let wait: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=10).contains(&wait), "Retry-After: {wait}");
    // The search page counts the same searches, and answers with a page.
    let page = app.page("/?q=电工", None).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key("retry-after"));
    assert!(page.content_type().starts_with("text/html") && page.body.contains("搜索过于频繁"), "{}", page.body);
    // Signed in, the same address searches on, by the API and on the page.
    for _ in 0..5 {
        let reply = app.get("/api/v1/postings?q=电工", Some(&coordinator.token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    assert_eq!(app.page("/?q=电工", Some(&coordinator)).await.status, StatusCode::OK);
    // Nothing else is limited: reading one posting, health.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

/// One search thread and no queue: searches beyond it are refused with 503 and
/// `Retry-After` (never queued without bound, never an error of another kind), and
/// `/healthz` answers all along, since no search runs on the async workers.
async fn searches_beyond_the_pool_are_refused_while_the_service_answers(app: TestApp) {
    let app = app
        .restart(|layer| {
            layer.search_threads = Some(1);
            layer.search_queue = Some(0);
        })
        .await;
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "四海光电", CODE_A).await;
    for i in 0..20 {
        let body =
            posting_with(json!({"title": format!("数控操作工 {i}"), "description": "操作数控车床 加工中心 质检 仓管"}));
        app.create_posting(&company.token, &body).await.created_id();
    }
    app.indexed().await;
    let words = ["数控", "车床", "加工", "中心", "质检", "仓管", "操作", "电工", "焊工", "普工"];
    // Every other one on the search page (`/`), which shares the pool.
    let searches: Vec<_> = (0..48)
        .map(|i| {
            let q: Vec<&str> = (0..10).map(|j| words[(i + j) % words.len()]).collect();
            let path = if i % 2 == 0 { "/api/v1/postings" } else { "/" };
            let url = app.url(&format!("{path}?per_page=100&sort=salary&{}", encoded(&q.join(" "))));
            let client = app.client.clone();
            (path, tokio::spawn(async move { client.get(url).send().await.expect("search") }))
        })
        .collect();
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    for (path, search) in searches {
        let reply = search.await.unwrap();
        match reply.status() {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                let wait: u64 = reply.headers()["retry-after"].to_str().unwrap().parse().unwrap();
                assert!(wait >= 1);
                if path == "/" {
                    // The page says the searches are busy, not that the site is down.
                    let html = reply.text().await.unwrap();
                    assert!(html.contains("搜索的人太多，请几秒后再试") && !html.contains("维护"), "{html}");
                } else {
                    let body: Value = reply.json().await.unwrap();
                    assert!(body["title"].as_str().unwrap().contains("服务器繁忙"), "{body}");
                }
            }
            other => panic!("{path} answered {other}"),
        }
    }
    // The pool is free again once they are done.
    assert_eq!(app.get("/api/v1/postings?q=数控", None).await.status, StatusCode::OK);
}
