//! Events, registrations for them, and the notices sent about them.

use super::{Reply, TestApp, merged};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

/// A job fair `days` from now, 14:00–17:30 Asia/Shanghai, inviting `invited`, with one
/// booth and forty seats.
pub fn fair_body(days: i64, invited: &[i64]) -> Value {
    fair_at(days, ("14:00", "17:30"), invited, json!({}))
}

/// A job fair `days` from now from `start` to `end` (Asia/Shanghai), inviting `invited`,
/// with `changes` over [`fair_body`]'s other fields (a null removes one).
pub fn fair_at(days: i64, (start, end): (&str, &str), invited: &[i64], changes: Value) -> Value {
    let day = (Utc::now() + Duration::days(days)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    let body = json!({
        "kind": "job_fair",
        "title": "2027肇庆新区校企双选会",
        "description": "电子信息、先进制造企业集中招聘",
        "venue": "肇庆新区体育中心",
        "starts_at": format!("{day}T{start}"),
        "ends_at": format!("{day}T{end}"),
        "booth_capacity": 1,
        "seat_capacity": 40,
        "invited_organization_ids": invited
    });
    merged(body, changes)
}

impl TestApp {
    /// (kind, recipient, payload) of an event's notices in the outbox, in order, straight
    /// from the database.
    pub async fn outbox(&self, event: i64) -> Vec<(String, String, Value)> {
        let mut conn = self.db.read().await.unwrap();
        let rows: Vec<(String, String, sqlx::types::Json<Value>)> =
            xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
                "SELECT kind, recipient_email, payload FROM notices WHERE event_id = $1 ORDER BY id"
            )
            .bind(event)
            .fetch_all(e)
            .await)
            .unwrap();
        rows.into_iter().map(|(k, r, p)| (k, r, p.0)).collect()
    }

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
