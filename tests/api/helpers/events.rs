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
}
