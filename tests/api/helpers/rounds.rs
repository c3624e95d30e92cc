//! Matching rounds: created as drafts, run, published.

use super::{Reply, TestApp};
use serde_json::{Value, json};

impl TestApp {
    /// `POST /rounds`.
    pub async fn create_round(&self, token: &str, settings: &Value) -> Reply {
        self.post("/api/v1/rounds", Some(token), settings).await
    }

    /// `POST /rounds/{id}/run`: start a run (202), which goes on in the background.
    pub async fn start_round(&self, token: &str, id: i64) -> Reply {
        self.post(&format!("/api/v1/rounds/{id}/run"), Some(token), &json!({})).await
    }

    /// `POST /rounds/{id}/publish`.
    pub async fn publish_round(&self, token: &str, id: i64) -> Reply {
        self.post(&format!("/api/v1/rounds/{id}/publish"), Some(token), &json!({})).await
    }
}
