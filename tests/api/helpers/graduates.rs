//! Graduates and the choices their schools record.

use super::{Reply, TestApp, merged};
use serde_json::{Value, json};

/// A graduate body that passes validation.
pub fn graduate_body(consent: bool) -> Value {
    json!({
        "name": "李明",
        "major": "机电一体化",
        "education": "associate",
        "graduation_year": 2026,
        "skills": ["PLC", "CAD"],
        "certificates": ["电工证"],
        "preferred_locations": ["肇庆新区"],
        "expected_salary": 5000,
        "available_from": "2026-07-01",
        "email": "liming@example.cn",
        "phone": "13800138000",
        "consent": consent,
        "summary": "在校期间参加数控技能竞赛获二等奖。"
    })
}

/// A consenting [`graduate_body`] with `changes` merged over it (`null` removes a field).
pub fn graduate_with(changes: Value) -> Value {
    merged(graduate_body(true), changes)
}

impl TestApp {
    /// `POST /graduates`.
    pub async fn create_graduate(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/graduates", Some(token), body).await
    }

    /// `PATCH /graduates/{id}`.
    pub async fn update_graduate(&self, token: &str, id: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/graduates/{id}"), Some(token), changes).await
    }

    /// `PUT /graduates/{id}/choices`.
    pub async fn set_choices(&self, token: &str, graduate: i64, body: &Value) -> Reply {
        let path = format!("/api/v1/graduates/{graduate}/choices");
        self.request(reqwest::Method::PUT, &path, Some(token), Some(body)).await
    }
}
