//! Logging in and out, organisations and their accounts, and the sessions tests act as.

use super::{PASSWORD, Reply, Session, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::domain::organization::{Checks, Vetting, VettingCheck};
use xiaoqi::domain::{OrgStatus, Role};
use xiaoqi::store::organizations;

/// A body for `POST /users`.
pub fn user_body(email: &str, password: &str, role: &str, organization_id: i64) -> Value {
    json!({"email": email, "password": password, "role": role, "organization_id": organization_id})
}

impl TestApp {
    /// `POST /auth/token`.
    pub async fn log_in(&self, email: &str, password: &str) -> Reply {
        self.post("/api/v1/auth/token", None, &json!({"email": email, "password": password})).await
    }

    /// `DELETE /auth/token`: revoke the token the request is sent with.
    pub async fn log_out(&self, token: Option<&str>) -> Reply {
        self.delete("/api/v1/auth/token", token).await
    }

    /// `POST /organizations`.
    pub async fn create_organization(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/organizations", Some(token), body).await
    }

    /// `PATCH /organizations/{id}`.
    pub async fn update_organization(&self, token: &str, id: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/organizations/{id}"), Some(token), changes).await
    }

    /// `POST /users`.
    pub async fn create_user(&self, token: &str, body: &Value) -> Reply {
        self.post("/api/v1/users", Some(token), body).await
    }

    /// `PATCH /users/{id}`.
    pub async fn update_user(&self, token: &str, id: i64, changes: &Value) -> Reply {
        self.patch(&format!("/api/v1/users/{id}"), Some(token), changes).await
    }

    /// The first coordinator, created the way an operator would (`xiaoqi user add`).
    pub async fn coordinator(&self) -> Session {
        let email = "coordinator@xinqu.gov.cn";
        let user =
            xiaoqi::cli::add_user(&self.db, email, Role::Coordinator, None, PASSWORD).await.expect("add coordinator");
        self.session(email, user.id, user.organization_id).await
    }

    async fn session(&self, email: &str, user_id: i64, organization_id: i64) -> Session {
        let reply = self.log_in(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "log in {email}: {:?}", reply.body);
        Session {
            token: reply.body["token"].as_str().unwrap().to_string(),
            user_id,
            organization_id,
            email: email.to_string(),
        }
    }

    /// An approved company (with a valid credit code) and one logged-in account of it.
    /// Approved directly in the store, as if vetted long ago: no decision mail, no audit
    /// entry, so tests of other things see only their own.
    pub async fn company(&self, coordinator: &Session, name: &str, credit_code: &str) -> Session {
        let company = self.pending_company(coordinator, name, credit_code).await;
        let vetting = Vetting {
            status: OrgStatus::Approved,
            status_reason: None,
            checks: Checks(vec![VettingCheck::CreditCode]),
            decided_at: None,
            reverify_on: None,
        };
        let mut tx = self.db.begin().await.unwrap();
        organizations::set_vetting(&mut tx, company.organization_id, &vetting, coordinator.user_id, chrono::Utc::now())
            .await
            .expect("approve the company");
        tx.commit().await.unwrap();
        company
    }

    /// A company as it registers: awaiting review (it may write drafts, open nothing).
    pub async fn pending_company(&self, coordinator: &Session, name: &str, credit_code: &str) -> Session {
        let email = format!("hr@{}.example.cn", slug(name));
        self.onboard(coordinator, json!({"kind": "company", "name": name, "credit_code": credit_code}), &email).await
    }

    /// A school and one logged-in account of it.
    pub async fn school(&self, coordinator: &Session, name: &str) -> Session {
        let email = format!("jiuye@{}.example.edu.cn", slug(name));
        self.onboard(coordinator, json!({"kind": "school", "name": name, "district": "端州区"}), &email).await
    }

    /// Create an organisation with one account of the matching role, and log it in.
    async fn onboard(&self, coordinator: &Session, mut organization: Value, email: &str) -> Session {
        let role = organization["kind"].clone();
        organization["users"] = json!([{"email": email, "password": PASSWORD, "role": role}]);
        let reply = self.create_organization(&coordinator.token, &organization).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let org = reply.body["id"].as_i64().unwrap();
        let user = reply.body["users"][0]["id"].as_i64().unwrap();
        self.session(email, user, org).await
    }
}

fn slug(name: &str) -> String {
    let mut h: u64 = 1469598103934665603;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(1099511628211);
    }
    format!("org{:x}", h & 0xffff_ffff)
}
