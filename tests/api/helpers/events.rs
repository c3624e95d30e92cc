//! Events, registrations for them, and the notices sent about them.

use super::{Reply, TestApp};
use serde_json::{Value, json};

impl TestApp {
    /// `POST /events`.
    pub async fn create_event(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/events", Some(token), body).await
    }

    /// `PATCH /events/{id}`.
    pub async fn update_event(&self, token: &str, id: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/events/{id}"), Some(token), changes).await
    }

    /// `POST /events/{id}/registrations`.
    pub async fn register(&self, token: &str, event: i64, body: &Value) -> Reply {
        self.post(&format!("/api/v1/events/{event}/registrations"), Some(token), body).await
    }

    /// `PATCH /events/{id}/registrations/{registration}`: the service centre's decision.
    pub async fn decide_registration(&self, token: &str, event: i64, registration: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/events/{event}/registrations/{registration}"), Some(token), changes).await
    }

    /// `POST /events/{id}/notices`: queue notices of `kind` to the invited organisations.
    pub async fn queue_notices(&self, token: &str, event: i64, kind: &str) -> Reply {
        self.post(&format!("/api/v1/events/{event}/notices"), Some(token), &json!({ "kind": kind })).await
    }

    /// `POST /events/{id}/checkins {code}`.
    pub async fn check_in(&self, token: &str, event: i64, code: &str) -> Reply {
        self.post(&format!("/api/v1/events/{event}/checkins"), Some(token), &json!({ "code": code })).await
    }

    /// `POST /events/{id}/booths`.
    pub async fn assign_booths(&self, token: &str, event: i64) -> Reply {
        self.post(&format!("/api/v1/events/{event}/booths"), Some(token), &json!({})).await
    }

    /// `POST /events/{id}/notices/{notice}/retry`.
    pub async fn retry_notice(&self, token: &str, event: i64, notice: i64) -> Reply {
        self.post(&format!("/api/v1/events/{event}/notices/{notice}/retry"), Some(token), &json!({})).await
    }
}
