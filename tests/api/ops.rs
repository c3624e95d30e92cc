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
    let metrics =
        app.client.get(format!("{}/metrics", app.metrics_address)).send().await.unwrap().text().await.unwrap();
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

/// What `.ci/schemathesis` relies on: every operation lists the statuses its kind can
/// answer, and every error is a problem document. The handlers' annotations list only their
/// own answers; `openapi::complete` adds the rest, so this fails without it.
#[tokio::test]
async fn every_operation_lists_the_answers_of_its_kind() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/openapi.json", None).await.body;
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let name = format!("{} {path}", method.to_uppercase());
            let responses = operation["responses"].as_object().unwrap();
            let lists = |status: &str| responses.contains_key(status);
            let parameters_in =
                |place: &str| operation["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == place));
            let security = operation["security"].as_array().cloned().unwrap_or_default();

            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(lists(status), "{name} takes a body but does not list {status}");
                }
            }
            if parameters_in("query") {
                assert!(lists("400") && lists("422"), "{name} reads a query but does not list 400 and 422");
            }
            if parameters_in("path") {
                assert!(lists("404"), "{name} names a resource but does not list 404");
            }
            if security.iter().any(|s| s.get("bearer").is_some()) {
                assert!(lists("401"), "{name} checks a bearer token but does not list 401");
            }
            if !security.is_empty() && !security.iter().any(|s| s.as_object().is_some_and(|o| o.is_empty())) {
                assert!(lists("403"), "{name} needs a login but does not list 403");
            }
            for (status, response) in responses {
                if status.starts_with('2') || status.starts_with('3') {
                    continue;
                }
                let content = response["content"].as_object().unwrap_or_else(|| panic!("{name} {status} has no body"));
                let types: Vec<&String> = content.keys().collect();
                assert_eq!(types, ["application/problem+json"], "{name} {status}");
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem",
                    "{name} {status}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} operations");
}

/// The rules the schemas state beyond single fields, as the test generator reads them:
/// every `x-after` / `x-at-least` names a property of the same object, and every query
/// parameter admits the empty string (an empty value is read as "not given").
#[tokio::test]
async fn cross_field_notes_and_query_parameters_are_consistent() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/openapi.json", None).await.body;

    fn bounds(schema: &serde_json::Value, found: &mut usize) {
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                for keyword in ["x-after", "x-at-least"] {
                    if let Some(other) = property[keyword].as_str() {
                        assert!(properties.contains_key(other), "{name}: {keyword} names {other}, not a sibling");
                        *found += 1;
                    }
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for part in schema[key].as_array().into_iter().flatten() {
                bounds(part, found);
            }
        }
    }
    let mut found = 0;
    for schema in doc["components"]["schemas"].as_object().unwrap().values() {
        bounds(schema, &mut found);
    }
    assert!(found >= 3, "ends_at, closes_on and salary_max are compared with another field");

    let accepts_empty = |schema: &serde_json::Value| {
        let schema = if schema["type"] == "array" { &schema["items"] } else { schema };
        match schema["enum"].as_array() {
            Some(values) => values.contains(&serde_json::json!("")),
            None => {
                schema["type"] == "string" || schema["type"].as_array().is_some_and(|t| t.contains(&"string".into()))
            }
        }
    };
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "query" {
                    assert!(accepts_empty(&parameter["schema"]), "{method} {path}: {} refuses \"\"", parameter["name"]);
                }
            }
        }
    }
}

/// `/readyz` is public: when the database is down it says so, but the driver's error
/// text (hosts, users, pool state) goes to the log only.
#[tokio::test]
async fn readiness_does_not_show_the_database_error() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.indexed().await;
    app.db.close().await;
    let reply = app.get("/readyz", None).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.body["detail"], "the database is not reachable", "{:?}", reply.body);
}

/// `/metrics` (route names, counts, the outbox's depth) is for operators: it is served on
/// `XIAOQI_METRICS_LISTEN` only, not beside the public API.
#[tokio::test]
async fn metrics_are_served_only_on_their_own_listener() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    assert_ne!(app.metrics_address, app.address);
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::NOT_FOUND);
    let reply = app.client.get(format!("{}/metrics", app.metrics_address)).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(reply.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert!(reply.text().await.unwrap().contains("http_requests_total"));
}
