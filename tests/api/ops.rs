//! Operations endpoints: health, readiness, metrics and the API description.

use crate::helpers::{Backend, spawn_app};
use reqwest::StatusCode;
use std::collections::HashSet;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    app.indexed().await;
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    app.get("/api/v1/postings", None).await;
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains(r#"http_requests_total{method="GET",route="/api/v1/postings",status="200"}"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn openapi_describes_every_operation_once() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["openapi"], "3.1.0");
    let paths = doc.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/token",
        "/api/v1/organizations",
        "/api/v1/organizations/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/postings",
        "/api/v1/postings/{id}",
        "/api/v1/graduates",
        "/api/v1/graduates/{id}",
        "/api/v1/graduates/{id}/choices",
        "/api/v1/postings/{id}/shortlist",
        "/api/v1/rounds",
        "/api/v1/rounds/{id}",
        "/api/v1/rounds/{id}/run",
        "/api/v1/rounds/{id}/inputs",
        "/api/v1/rounds/{id}/assignments",
        "/api/v1/rounds/{id}/export.xlsx",
        "/api/v1/rounds/{id}/publish",
        "/api/v1/events",
        "/api/v1/events/{id}",
        "/api/v1/events/{id}/registrations",
        "/api/v1/events/{id}/notices",
    ] {
        assert!(paths.contains_key(path), "{path} is not described");
    }
    let mut ids = HashSet::new();
    for operations in paths.values() {
        for (method, operation) in operations.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} has no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(response["description"].is_string(), "{id} {status} has no description");
            }
        }
    }
    // Every reference resolves (a schema used only by a query parameter must be registered).
    fn refs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => out.push(r),
                        _ => refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc.body, &mut found);
    assert!(!found.is_empty());
    for reference in found {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{reference}"));
        assert!(doc.body["components"]["schemas"].get(name).is_some(), "{reference} does not resolve");
    }
    let docs = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn not_ready_until_the_index_has_caught_up() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |l| l.follow_changes = Some(false)).await.unwrap();
    let reply = app.get("/readyz", None).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

/// `/docs` works offline: every file the page references comes from this server.
#[tokio::test]
async fn docs_page_needs_nothing_but_this_server() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let page_url = url::Url::parse(&app.url("/docs")).unwrap();
    let page = app.client.get(page_url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let references = linked_urls(&html);
    assert!(references.iter().any(|r| r.ends_with(".js")), "no script in {html}");
    assert!(references.iter().any(|r| r.ends_with(".css")), "no stylesheet in {html}");
    for reference in references {
        let target = page_url.join(&reference).unwrap();
        assert_eq!(target.origin(), page_url.origin(), "/docs references another host: {reference}");
        let reply = app.client.get(target.as_str()).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::OK, "{reference}");
        let content_type = reply.headers()["content-type"].to_str().unwrap();
        let expected = match target.path().rsplit_once('.').map(|(_, extension)| extension) {
            Some("js") => "text/javascript",
            Some("css") => "text/css",
            _ => panic!("/docs references {reference}: add its kind here"),
        };
        assert!(content_type.starts_with(expected), "{reference} is served as {content_type}");
    }
}

/// The values of the `src` and `href` attributes in an HTML page.
fn linked_urls(html: &str) -> Vec<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for attribute in ["src=", "href="] {
        for (at, _) in lower.match_indices(attribute) {
            if !lower[..at].ends_with(char::is_whitespace) {
                continue;
            }
            let rest = &html[at + attribute.len()..];
            let value = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next(),
                _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
            };
            found.push(value.unwrap_or_default().to_string());
        }
    }
    found
}
