//! Reports, and rows seeded with plain SQL for them: offers, destinations and check-ins are
//! written here directly (not through their APIs), so each report's test states its data
//! and computes every figure from that statement, not from what another endpoint did.

use super::{Reply, TestApp};
use chrono::{DateTime, NaiveDate, Utc};
use xiaoqi::store::on_backend;

impl TestApp {
    /// `GET /reports/{kind}?{query}`.
    pub async fn report(&self, token: &str, kind: &str, query: &str) -> Reply {
        self.get(&format!("/api/v1/reports/{kind}?{query}"), Some(token)).await
    }

    /// The bytes of `GET /reports/{kind}?{query}&format=xlsx`, with its content type.
    pub async fn report_workbook(&self, token: &str, kind: &str, query: &str) -> (String, Vec<u8>) {
        let url = self.url(&format!("/api/v1/reports/{kind}?{query}&format=xlsx"));
        let response = self.client.get(url).bearer_auth(token).send().await.expect("request");
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (content_type, response.bytes().await.expect("body").to_vec())
    }

    /// A round created through the API (a draft) and marked published directly: offers
    /// need a round to belong to, and running one is not what a report test is about.
    pub async fn seed_round(&self, coordinator_token: &str, name: &str) -> i64 {
        let id = self.create_round(coordinator_token, &serde_json::json!({"name": name})).await.created_id();
        let mut tx = self.db.begin().await.unwrap();
        on_backend!(&mut tx, |e| sqlx::query(
            "UPDATE rounds SET status = 'published', published_at = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|_| ()))
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// An offer in `status`, made at `created_at` and decided at `decided_at`; the company,
    /// school and project are the posting's and the graduate's.
    pub async fn seed_offer(
        &self,
        round_id: i64,
        graduate_id: i64,
        posting_id: i64,
        status: &str,
        created_at: DateTime<Utc>,
        decided_at: Option<DateTime<Utc>>,
    ) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let id = on_backend!(&mut tx, |e| sqlx::query_scalar::<_, i64>(
            "INSERT INTO offers (round_id, graduate_id, posting_id, company_id, school_id, project_id, status, \
                                 due_at, decided_at, created_at) \
             SELECT $1, g.id, p.id, p.organization_id, g.organization_id, p.project_id, $4, $5, $6, $7 \
             FROM graduates g, postings p WHERE g.id = $2 AND p.id = $3 RETURNING id"
        )
        .bind(round_id)
        .bind(graduate_id)
        .bind(posting_id)
        .bind(status)
        .bind(created_at + chrono::Duration::days(7))
        .bind(decided_at)
        .bind(created_at)
        .fetch_one(e)
        .await)
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A destination of a graduate (of its school) taking effect on `effective_on`.
    pub async fn seed_outcome(&self, graduate_id: i64, destination: &str, effective_on: NaiveDate) {
        let mut tx = self.db.begin().await.unwrap();
        on_backend!(&mut tx, |e| sqlx::query(
            "INSERT INTO graduate_outcomes (graduate_id, school_id, destination, effective_on, recorded_at) \
             SELECT id, organization_id, $2, $3, $4 FROM graduates WHERE id = $1"
        )
        .bind(graduate_id)
        .bind(destination)
        .bind(effective_on)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|_| ()))
        .unwrap();
        tx.commit().await.unwrap();
    }

    /// A registration of `organization_id` (a company or school) for an event, in `status`,
    /// checked in at `checked_in_at` if given.
    pub async fn seed_registration(
        &self,
        event_id: i64,
        organization_id: i64,
        status: &str,
        checked_in_at: Option<DateTime<Utc>>,
    ) {
        let mut tx = self.db.begin().await.unwrap();
        on_backend!(&mut tx, |e| sqlx::query(
            "INSERT INTO registrations (event_id, organization_id, kind, posting_ids, status, source, created_at, \
                                        updated_at, checked_in_at) \
             SELECT $1, id, kind, '[]', $3, 'form', $4, $4, $5 FROM organizations WHERE id = $2"
        )
        .bind(event_id)
        .bind(organization_id)
        .bind(status)
        .bind(Utc::now())
        .bind(checked_in_at)
        .execute(e)
        .await
        .map(|_| ()))
        .unwrap();
        tx.commit().await.unwrap();
    }

    /// Move an event in time (the API refuses to create one in the past).
    pub async fn seed_event_times(&self, event_id: i64, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
        let mut tx = self.db.begin().await.unwrap();
        on_backend!(&mut tx, |e| sqlx::query("UPDATE events SET starts_at = $2, ends_at = $3 WHERE id = $1")
            .bind(event_id)
            .bind(starts_at)
            .bind(ends_at)
            .execute(e)
            .await
            .map(|_| ()))
        .unwrap();
        tx.commit().await.unwrap();
    }
}
