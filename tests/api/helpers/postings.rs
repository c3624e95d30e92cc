//! Projects, postings and the shortlists companies rank.

use super::{Reply, TestApp, merged};
use serde_json::{Value, json};

/// A project body that passes validation.
pub fn project_body(name: &str) -> Value {
    json!({"name": name, "park": "喜珍产业园", "stage": "construction", "key_project": false, "shortage": 100})
}

/// A posting body that passes validation.
pub fn posting_body() -> Value {
    json!({
        "title": "SMT操作工",
        "description": "负责SMT贴片机操作，两班倒，包吃住。",
        "category": "operator",
        "majors": ["电子信息工程", "机电一体化"],
        "education_min": "secondary_vocational",
        "headcount": 30,
        "salary_min": 4500,
        "salary_max": 6500,
        "location": "肇庆新区",
        "benefits": ["dormitory", "meals", "shuttle"],
        "starts_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "status": "open"
    })
}

/// [`posting_body`] with `changes` merged over it (`null` removes a field).
pub fn posting_with(changes: Value) -> Value {
    merged(posting_body(), changes)
}

impl TestApp {
    /// `POST /projects`.
    pub async fn create_project(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/projects", Some(token), body).await
    }

    /// `POST /postings`.
    pub async fn create_posting(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/postings", Some(token), body).await
    }

    /// `PATCH /postings/{id}`.
    pub async fn update_posting(&self, token: &str, id: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/postings/{id}"), Some(token), changes).await
    }

    /// `PUT /postings/{id}/shortlist`.
    pub async fn set_shortlist(&self, token: &str, posting: i64, body: &Value) -> Reply {
        let path = format!("/api/v1/postings/{posting}/shortlist");
        self.request(reqwest::Method::PUT, &path, Some(token), Some(body)).await
    }
}
