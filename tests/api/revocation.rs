//! Verified tokens are cached for a few seconds (`XIAOQI_TOKEN_CACHE_SECONDS`), yet every
//! revocation made on a node applies to that node's very next request: logging out, a
//! password change, a coordinator setting someone's password, disabling or deleting an
//! account; page sessions alike. A token's expiry holds even while it is cached. The
//! servers here cache for an hour, so a refusal can only come from the revocation itself.

use crate::helpers::{Backend, CODE_A, PASSWORD, Session, TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "another-long-password-2026";

async fn caching_for_an_hour(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |layer| layer.token_cache_seconds = Some(3600)).await
}

macro_rules! on_both_backends_cached {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use crate::helpers::Backend;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(super::caching_for_an_hour(Backend::Sqlite).await.expect("sqlite app")).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = super::caching_for_an_hour(Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}

on_both_backends_cached!(revocations_apply_on_the_next_request, cached_tokens_still_expire);

/// A request only a signed-in user may make: its status.
async fn whoami(app: &TestApp, token: &str) -> StatusCode {
    app.get("/api/v1/organizations", Some(token)).await.status
}

async fn new_token(app: &TestApp, email: &str, password: &str) -> String {
    let reply = app.log_in(email, password).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["token"].as_str().unwrap().to_string()
}

/// A token that has just been used (so it is cached) and works.
async fn warm(app: &TestApp, token: &str) {
    assert_eq!(whoami(app, token).await, StatusCode::OK);
    assert_eq!(whoami(app, token).await, StatusCode::OK);
}

async fn revocations_apply_on_the_next_request(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let email = company.email.clone();
    let account = format!("/api/v1/users/{}", company.user_id);

    // Logging out: that token, not the user's others.
    let (a, b) = (new_token(&app, &email, PASSWORD).await, new_token(&app, &email, PASSWORD).await);
    warm(&app, &a).await;
    warm(&app, &b).await;
    assert_eq!(app.log_out(Some(&a)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(whoami(&app, &a).await, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &b).await, StatusCode::OK);

    // Changing one's own password ends the other sessions, not the one that changed it.
    let c = new_token(&app, &email, PASSWORD).await;
    warm(&app, &c).await;
    let change = json!({"password": NEW_PASSWORD, "current_password": PASSWORD});
    let reply = app.patch(&account, Some(&b), &change).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(whoami(&app, &c).await, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &b).await, StatusCode::OK);

    // A coordinator setting it ends them all.
    let reply = app.patch(&account, Some(&coordinator.token), &json!({"password": PASSWORD})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(whoami(&app, &b).await, StatusCode::UNAUTHORIZED);

    // A page session is the same token: signed out on the API, the pages forget it too.
    let page_session = Session { token: new_token(&app, &email, PASSWORD).await, ..company.clone() };
    assert_eq!(app.page("/app", Some(&page_session)).await.status, StatusCode::OK);
    assert_eq!(app.page("/app", Some(&page_session)).await.status, StatusCode::OK);
    assert_eq!(app.log_out(Some(&page_session.token)).await.status, StatusCode::NO_CONTENT);
    assert_ne!(app.page("/app", Some(&page_session)).await.status, StatusCode::OK);

    // Disabling the account; enabling it again does not bring the old token back.
    let d = new_token(&app, &email, PASSWORD).await;
    warm(&app, &d).await;
    let reply = app.patch(&account, Some(&coordinator.token), &json!({"disabled": true})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(whoami(&app, &d).await, StatusCode::UNAUTHORIZED);
    let reply = app.patch(&account, Some(&coordinator.token), &json!({"disabled": false})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(whoami(&app, &d).await, StatusCode::UNAUTHORIZED);

    // Deleting the account.
    let e = new_token(&app, &email, PASSWORD).await;
    warm(&app, &e).await;
    assert_eq!(app.delete(&account, Some(&coordinator.token)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(whoami(&app, &e).await, StatusCode::UNAUTHORIZED);

    // The coordinator, whose token was used throughout, was never signed out.
    assert_eq!(whoami(&app, &coordinator.token).await, StatusCode::OK);
}

async fn cached_tokens_still_expire(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = "xq_token_that_expires_in_three_seconds_0000";
    let expires_at = chrono::Utc::now() + chrono::Duration::seconds(3);
    let mut tx = app.db.begin().await.unwrap();
    let hash = xiaoqi::services::auth::hash_token(token);
    xiaoqi::store::tokens::insert(&mut tx, coordinator.user_id, &hash, expires_at).await.unwrap();
    tx.commit().await.unwrap();

    warm(&app, token).await;
    let left = (expires_at - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(left + std::time::Duration::from_millis(50)).await;
    // Cached for an hour, but the token's own expiry comes first.
    assert_eq!(whoami(&app, token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &coordinator.token).await, StatusCode::OK);
}

/// With the cache off every request asks the database, so even a revocation this process
/// did not make (another node's, written straight to the database here) applies at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_cache_every_revocation_applies_at_once() {
    let app = spawn_app_with(Backend::Sqlite, |layer| layer.token_cache_seconds = Some(0)).await.expect("sqlite app");
    let coordinator = app.coordinator().await;
    let token = new_token(&app, &coordinator.email, PASSWORD).await;
    warm(&app, &token).await;
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::tokens::revoke_all_of(&mut tx, coordinator.user_id, None, chrono::Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(whoami(&app, &token).await, StatusCode::UNAUTHORIZED);
}
