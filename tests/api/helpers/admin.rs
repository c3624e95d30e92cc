//! Administration: vetting decisions, the mail they queue, accounts and the audit log.

use super::{Reply, TestApp};
use serde_json::Value;

impl TestApp {
    /// Notices of `kind` in the outbox, oldest first: (recipient e-mail, payload).
    pub async fn notices_of_kind(&self, kind: &str) -> Vec<(String, Value)> {
        let mut conn = self.db.read().await.unwrap();
        let rows: Vec<(String, sqlx::types::Json<Value>)> = xiaoqi::store::on_backend!(&mut conn, |e| {
            sqlx::query_as("SELECT recipient_email, payload FROM notices WHERE kind = $1 ORDER BY id")
                .bind(kind)
                .fetch_all(e)
                .await
        })
        .unwrap();
        rows.into_iter().map(|(r, p)| (r, p.0)).collect()
    }

    /// `GET /audit?{query}`.
    pub async fn audit(&self, token: &str, query: &str) -> Reply {
        self.get(&format!("/api/v1/audit?{query}"), Some(token)).await
    }

    /// `POST /users/{id}/password_reset`.
    pub async fn request_password_reset(&self, token: &str, user: i64) -> Reply {
        self.post(&format!("/api/v1/users/{user}/password_reset"), Some(token), &Value::Null).await
    }
}
