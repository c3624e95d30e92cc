//! Offers (a published round's placements), their answers, and graduates' destinations.

use super::{Reply, Session, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

impl TestApp {
    /// Create and run a round, wait until it is done; its id.
    pub async fn round_done(&self, coordinator: &Session, settings: &Value) -> i64 {
        let id = self.create_round(&coordinator.token, settings).await.created_id();
        let started = self.start_round(&coordinator.token, id).await;
        assert_eq!(started.status, StatusCode::ACCEPTED, "{:?}", started.body);
        for _ in 0..200 {
            let round = self.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
            match round.body["status"].as_str() {
                Some("done") => return id,
                Some("failed") => panic!("round failed: {:?}", round.body),
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        panic!("round {id} did not finish within 10 s");
    }

    /// `POST /rounds/{id}/publish` with a body (e.g. `{"offers_due": …}`).
    pub async fn publish_round_with(&self, token: &str, id: i64, body: &Value) -> Reply {
        self.post(&format!("/api/v1/rounds/{id}/publish"), Some(token), body).await
    }

    /// `GET /offers?{query}`.
    pub async fn offers(&self, token: &str, query: &str) -> Reply {
        self.get(&format!("/api/v1/offers?{query}"), Some(token)).await
    }

    /// `POST /offers/{id}/answer`.
    pub async fn answer_offer(&self, token: &str, id: i64, answer: &str, reason: Option<&str>) -> Reply {
        let mut body = json!({"answer": answer});
        if let Some(reason) = reason {
            body["reason"] = json!(reason);
        }
        self.post(&format!("/api/v1/offers/{id}/answer"), Some(token), &body).await
    }

    /// Links as the server makes them (only their base matters to what tests call directly).
    pub fn links(&self) -> xiaoqi::services::notices::Links {
        xiaoqi::services::notices::Links {
            base_url: self.address.clone(),
            signer: xiaoqi::services::signing::Signer::new(vec![7; 32]),
        }
    }
}
