//! Logging in and out, tokens that expire or are revoked, and the login rate limits.

use crate::helpers::{Backend, CODE_A, PASSWORD, Reply, TestApp, spawn_app, spawn_app_with};
use crate::on_both_backends;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

/// A 401 problem that tells the client to send a bearer token.
#[track_caller]
fn assert_unauthorized(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
    assert!(reply.content_type.starts_with("application/problem+json"), "{:?}", reply.content_type);
    assert_eq!(reply.body["status"], 401);
    assert_eq!(
        reply.headers.get("www-authenticate").and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "401 carries WWW-Authenticate: Bearer"
    );
}

/// A 429 problem with a sensible Retry-After (in seconds, within the 15-minute window).
#[track_caller]
fn assert_rate_limited(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", reply.body);
    assert!(reply.content_type.starts_with("application/problem+json"), "{:?}", reply.content_type);
    assert_eq!(reply.body["status"], 429);
    let retry_after: u64 = reply
        .headers
        .get("retry-after")
        .expect("429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");
    assert!(reply.body.get("token").is_none());
}

fn expires_at(reply: &Reply) -> DateTime<Utc> {
    reply.body["expires_at"].as_str().expect("expires_at is a string").parse().expect("expires_at is an RFC 3339 time")
}

/// A request only a logged-in user may make.
async fn whoami(app: &TestApp, token: &str) -> Reply {
    app.get("/api/v1/organizations", Some(token)).await
}

on_both_backends!(
    log_in_returns_a_working_token,
    wrong_credentials_are_one_401,
    expired_tokens_are_refused,
    log_out_revokes_the_token
);

async fn log_in_returns_a_working_token(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    let before = Utc::now();
    let reply = app.log_in(&company.email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(reply.content_type.starts_with("application/json"), "{:?}", reply.content_type);
    let object = reply.body.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["expires_at", "token"], "the answer is exactly {{token, expires_at}}");
    let token = reply.body["token"].as_str().unwrap();
    assert!(token.starts_with("xq_") && token.len() >= 40, "{token}");
    // The default lifetime is 12 hours.
    let lifetime = expires_at(&reply) - before;
    assert!(
        lifetime > chrono::Duration::hours(12) - chrono::Duration::minutes(1)
            && lifetime <= chrono::Duration::hours(12) + chrono::Duration::minutes(1),
        "lifetime {lifetime}"
    );

    // The token acts for its user.
    let seen = whoami(&app, token).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["total"], 1);
    assert_eq!(seen.body["items"][0]["id"], company.organization_id);

    // Each login is a new token; the earlier ones keep working.
    let again = app.log_in(&company.email, PASSWORD).await;
    assert_ne!(again.body["token"], reply.body["token"]);
    assert_eq!(whoami(&app, token).await.status, StatusCode::OK);
    assert_eq!(whoami(&app, &company.token).await.status, StatusCode::OK);

    // E-mail matching is case-insensitive (and ignores surrounding blanks); passwords are not.
    let shouted = app.log_in(&company.email.to_uppercase(), PASSWORD).await;
    assert_eq!(shouted.status, StatusCode::OK, "{:?}", shouted.body);
    let padded = app.log_in(&format!("  {}  ", company.email), PASSWORD).await;
    assert_eq!(padded.status, StatusCode::OK, "{:?}", padded.body);
    let mixed = app.log_in("Coordinator@XinQu.Gov.CN", PASSWORD).await;
    assert_eq!(mixed.status, StatusCode::OK, "{:?}", mixed.body);
    assert_unauthorized(&app.log_in(&company.email, &PASSWORD.to_uppercase()).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_lifetime_is_configurable() {
    let app = spawn_app_with(Backend::Sqlite, |l| l.token_ttl_hours = Some(1)).await.expect("sqlite app");
    app.coordinator().await;
    let before = Utc::now();
    let reply = app.log_in("coordinator@xinqu.gov.cn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let lifetime = expires_at(&reply) - before;
    assert!(
        lifetime > chrono::Duration::minutes(59) && lifetime <= chrono::Duration::minutes(61),
        "lifetime {lifetime}"
    );
}

async fn wrong_credentials_are_one_401(app: TestApp) {
    let coordinator = app.coordinator().await;

    let wrong_password = app.log_in(&coordinator.email, "not-the-password").await;
    assert_unauthorized(&wrong_password);
    assert!(wrong_password.body.get("token").is_none());
    let unknown = app.log_in("nobody@xinqu.gov.cn", PASSWORD).await;
    assert_unauthorized(&unknown);
    // Nothing tells the two apart.
    assert_eq!(wrong_password.body, unknown.body);
    assert_eq!(wrong_password.content_type, unknown.content_type);

    // An empty password is just a wrong one.
    assert_unauthorized(&app.log_in(&coordinator.email, "").await);
}

async fn expired_tokens_are_refused(app: TestApp) {
    let coordinator = app.coordinator().await;
    let expired = "xq_expired_token_for_the_test_0000000000000";
    let almost = "xq_token_that_expires_in_a_minute_000000000";
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::tokens::insert(
        &mut tx,
        coordinator.user_id,
        &xiaoqi::services::auth::hash_token(expired),
        Utc::now() - chrono::Duration::minutes(1),
    )
    .await
    .unwrap();
    xiaoqi::store::tokens::insert(
        &mut tx,
        coordinator.user_id,
        &xiaoqi::services::auth::hash_token(almost),
        Utc::now() + chrono::Duration::minutes(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    assert_unauthorized(&whoami(&app, expired).await);
    // Even on a public endpoint, a token that was sent but is no good is a 401.
    assert_unauthorized(&app.get("/api/v1/postings", Some(expired)).await);
    // A token stored the same way that has not expired yet works, and so does a fresh login.
    assert_eq!(whoami(&app, almost).await.status, StatusCode::OK);
    assert_eq!(whoami(&app, &coordinator.token).await.status, StatusCode::OK);
    let fresh = app.log_in(&coordinator.email, PASSWORD).await;
    assert_eq!(whoami(&app, fresh.body["token"].as_str().unwrap()).await.status, StatusCode::OK);
    // Logging out with an expired token is not possible either.
    assert_unauthorized(&app.log_out(Some(expired)).await);
}

async fn log_out_revokes_the_token(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let second = app.log_in(&company.email, PASSWORD).await.body["token"].as_str().unwrap().to_string();

    let reply = app.log_out(Some(&company.token)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    assert_unauthorized(&whoami(&app, &company.token).await);
    assert_unauthorized(&app.create_project(&company.token, &json!({"name": "项目"})).await);
    assert_unauthorized(&app.get("/api/v1/postings", Some(&company.token)).await);
    // A second log-out with the same token: it is no longer a token.
    assert_unauthorized(&app.log_out(Some(&company.token)).await);

    // Only that token was revoked: another session of the same user goes on.
    assert_eq!(whoami(&app, &second).await.status, StatusCode::OK);
    assert_eq!(whoami(&app, &coordinator.token).await.status, StatusCode::OK);
    // Logging in again gives a working token.
    let again = app.log_in(&company.email, PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(whoami(&app, again.body["token"].as_str().unwrap()).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_authorization_headers_are_401() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator = app.coordinator().await;

    // No token at all on a protected endpoint.
    assert_unauthorized(&app.get("/api/v1/organizations", None).await);
    assert_unauthorized(&app.log_out(None).await);
    // A token nobody issued.
    assert_unauthorized(&whoami(&app, "garbage").await);
    assert_unauthorized(&whoami(&app, "xq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await);
    // A real token with one character changed.
    let mut forged = coordinator.token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_unauthorized(&whoami(&app, &forged).await);
    // The token's hash is not a token.
    assert_unauthorized(&whoami(&app, &xiaoqi::services::auth::hash_token(&coordinator.token)).await);

    // Other schemes, or a bearer header without its token, are refused; also on public endpoints.
    for header in [
        format!("Basic {}", coordinator.token),
        format!("Token {}", coordinator.token),
        coordinator.token.clone(),
        "Bearer".to_string(),
        "Bearer ".to_string(),
    ] {
        for path in ["/api/v1/organizations", "/api/v1/postings"] {
            let response = app.client.get(app.url(path)).header("authorization", &header).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header:?} on {path}");
            assert_eq!(
                response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()),
                Some("Bearer"),
                "{header:?} on {path}"
            );
            assert!(
                response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|c| c.starts_with("application/problem+json")),
                "{header:?} on {path}"
            );
        }
    }
    // The real token under the right scheme works (so the refusals above were about the header).
    let response = app
        .client
        .get(app.url("/api/v1/organizations"))
        .header("authorization", format!("Bearer {}", coordinator.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Anonymous reads of public data need no header at all.
    assert_eq!(app.get("/api/v1/postings", None).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // Four failures, then the right password: still allowed, and it clears the count.
    for _ in 0..4 {
        assert_unauthorized(&app.log_in(&company.email, "wrong-password").await);
    }
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK);

    // Five failures in a row (the e-mail written in any case counts as the same account)...
    for i in 0..5 {
        let email = if i % 2 == 0 { company.email.clone() } else { company.email.to_uppercase() };
        assert_unauthorized(&app.log_in(&email, "wrong-password").await);
    }
    // ...and the sixth attempt is refused even with the right password.
    let reply = app.log_in(&company.email, PASSWORD).await;
    assert_rate_limited(&reply);
    assert_rate_limited(&app.log_in(&company.email.to_uppercase(), PASSWORD).await);
    assert_rate_limited(&app.log_in(&company.email, "wrong-password").await);

    // Tokens issued before keep working; the limit is on logging in.
    assert_eq!(whoami(&app, &company.token).await.status, StatusCode::OK);
    // Another account from the same client still logs in.
    let other = app.log_in(&coordinator.email, PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "{:?}", other.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_failures_from_one_address_lock_it() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // Nineteen failures, each on a different account (none locked on its own).
    for i in 0..19 {
        assert_unauthorized(&app.log_in(&format!("guess{i}@xinqu.gov.cn"), "wrong-password").await);
    }
    // The address is not locked yet, and a successful login does not clear its count.
    assert_eq!(app.log_in(&coordinator.email, PASSWORD).await.status, StatusCode::OK);
    // The twentieth failure, on a real account.
    assert_unauthorized(&app.log_in(&company.email, "wrong-password").await);

    // Now a further account from this client is refused, right password or not.
    assert_rate_limited(&app.log_in(&coordinator.email, PASSWORD).await);
    assert_rate_limited(&app.log_in(&company.email, PASSWORD).await);
    assert_rate_limited(&app.log_in("someone-new@xinqu.gov.cn", "wrong-password").await);
    // Existing tokens are unaffected.
    assert_eq!(whoami(&app, &coordinator.token).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_account_limit_holds_for_parallel_guesses() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // Twelve guesses at once: no more than five may be checked against the password.
    let guesses = (0..12).map(|i| {
        let app = &app;
        let email = company.email.clone();
        async move { app.log_in(&email, &format!("wrong-password-{i}")).await }
    });
    let replies = futures_join_all(guesses).await;
    let checked = replies.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let refused = replies.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + refused, 12, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(checked <= 5, "{checked} parallel guesses were checked against the password");
    assert_rate_limited(&app.log_in(&company.email, PASSWORD).await);
}

/// Run futures concurrently on this task and collect their outputs in order.
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if outputs[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => outputs[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}
