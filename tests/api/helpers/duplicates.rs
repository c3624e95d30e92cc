//! Possible duplicates across schools, as coordinators handle them.

use super::{Reply, TestApp};
use serde_json::json;

impl TestApp {
    /// `GET /duplicates?status=`.
    pub async fn duplicates(&self, token: &str, status: &str) -> Reply {
        self.get(&format!("/api/v1/duplicates?status={status}"), Some(token)).await
    }

    /// `POST /duplicates/{id}/merge` keeping graduate `keep`.
    pub async fn merge_duplicate(&self, token: &str, pair: i64, keep: i64) -> Reply {
        self.post(&format!("/api/v1/duplicates/{pair}/merge"), Some(token), &json!({ "keep": keep })).await
    }

    /// `POST /duplicates/{id}/dismiss`.
    pub async fn dismiss_duplicate(&self, token: &str, pair: i64) -> Reply {
        self.post(&format!("/api/v1/duplicates/{pair}/dismiss"), Some(token), &json!({})).await
    }
}
