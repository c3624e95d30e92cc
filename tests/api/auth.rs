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

/// A 429 problem with a sensible Retry-After (in seconds, at most the 15-minute cap).
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

/// The number in a 429's Retry-After.
#[track_caller]
fn retry_after(reply: &Reply) -> u64 {
    assert_rate_limited(reply);
    reply.headers["retry-after"].to_str().unwrap().parse().unwrap()
}

/// `POST /auth/token` as the client a trusted proxy names in `X-Forwarded-For`.
async fn log_in_from(app: &TestApp, client: &str, email: &str, password: &str) -> Reply {
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("x-forwarded-for", client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    Reply::from_response(response).await
}

/// Tests whose server sits behind a proxy on loopback (`XIAOQI_TRUSTED_PROXIES`), so that
/// `X-Forwarded-For` makes one test several clients; on both backends.
macro_rules! behind_a_proxy {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use crate::helpers::{Backend, spawn_app_with};
            fn trusted(layer: &mut xiaoqi::config::SettingsLayer) {
                layer.trusted_proxies = Some("127.0.0.0/8, ::1".into());
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(spawn_app_with(Backend::Sqlite, trusted).await.expect("sqlite app")).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn_app_with(Backend::Postgres, trusted).await {
                    super::$name(app).await;
                }
            }
        }
    )+};
}

on_both_backends!(
    failures_bring_growing_delays_not_a_lock,
    thirty_right_passwords_at_once_all_get_in,
    forwarded_addresses_are_ignored_from_untrusted_peers
);
behind_a_proxy!(
    a_thousand_wrong_passwords_leave_other_clients_in,
    forwarded_addresses_name_the_client_behind_a_trusted_proxy
);

async fn failures_bring_growing_delays_not_a_lock(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // Four failures, then the right password: still allowed, and it clears the count.
    for _ in 0..4 {
        assert_unauthorized(&app.log_in(&company.email, "wrong-password").await);
    }
    assert_eq!(app.log_in(&company.email, PASSWORD).await.status, StatusCode::OK);

    // Five failures in a row (the e-mail written in any case counts as the same account)…
    for i in 0..5 {
        let email = if i % 2 == 0 { company.email.clone() } else { company.email.to_uppercase() };
        assert_unauthorized(&app.log_in(&email, "wrong-password").await);
    }
    // …then each further try waits: 1 s, then 2 s, then 4 s, as Retry-After says. A try
    // inside the delay is refused whatever the password, and does not lengthen it.
    let mut waits = Vec::new();
    for _ in 0..3 {
        let wait = retry_after(&app.log_in(&company.email, PASSWORD).await);
        assert_eq!(retry_after(&app.log_in(&company.email.to_uppercase(), "wrong-password").await), wait);
        waits.push(wait);
        tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 100)).await;
        assert_unauthorized(&app.log_in(&company.email, "wrong-password").await);
    }
    assert_eq!(waits, [1, 2, 4]);
    // The sign-in page shares the limit.
    let page = app.submit("/login", None, &[("email", &company.email), ("password", PASSWORD)], &[]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.headers["retry-after"].to_str().unwrap(), "8");

    // Tokens issued before keep working; the limit is on signing in.
    assert_eq!(whoami(&app, &company.token).await.status, StatusCode::OK);
    // Another account from the same client still signs in.
    let other = app.log_in(&coordinator.email, PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "{:?}", other.body);
}

/// A fair's shared Wi-Fi: one address, many people signing in at once (here all to one
/// account, the hardest case). Attempts in progress are not failures.
async fn thirty_right_passwords_at_once_all_get_in(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let replies = futures_join_all((0..30).map(|_| app.log_in(&company.email, PASSWORD))).await;
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    // And with a few wrong ones mixed in, every right one still gets in.
    let mixed = futures_join_all((0..30).map(|i| {
        let password = if i % 10 == 0 { "wrong-password" } else { PASSWORD };
        app.log_in(&coordinator.email, password)
    }))
    .await;
    let ok = mixed.iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(ok, 27, "{:?}", mixed.iter().map(|r| r.status).collect::<Vec<_>>());
}

/// Without `XIAOQI_TRUSTED_PROXIES` anyone could write any address in `X-Forwarded-For`:
/// it is ignored, and the guesses below all count for the one peer they come from.
async fn forwarded_addresses_are_ignored_from_untrusted_peers(app: TestApp) {
    let coordinator = app.coordinator().await;
    for i in 0..5 {
        assert_unauthorized(&log_in_from(&app, &format!("203.0.113.{i}"), &coordinator.email, "wrong-password").await);
    }
    assert_rate_limited(&log_in_from(&app, "198.51.100.7", &coordinator.email, PASSWORD).await);
    assert_rate_limited(&app.log_in(&coordinator.email, PASSWORD).await);
}

async fn forwarded_addresses_name_the_client_behind_a_trusted_proxy(app: TestApp) {
    let coordinator = app.coordinator().await;
    // The client is the right-most address not itself a proxy; what the client wrote to
    // the left of it (here a spoofed 198.51.100.7) is not believed.
    for _ in 0..5 {
        let reply =
            log_in_from(&app, "198.51.100.7, 203.0.113.5, 127.0.0.9", &coordinator.email, "wrong-password").await;
        assert_unauthorized(&reply);
    }
    assert_rate_limited(&log_in_from(&app, "203.0.113.5", &coordinator.email, PASSWORD).await);
    assert_eq!(log_in_from(&app, "198.51.100.7", &coordinator.email, PASSWORD).await.status, StatusCode::OK);
    // The proxy itself, with no header, is a client of its own.
    assert_eq!(app.log_in(&coordinator.email, PASSWORD).await.status, StatusCode::OK);
}

/// Behind a proxy, one client's guessing cannot lock the account for anyone else.
async fn a_thousand_wrong_passwords_leave_other_clients_in(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let (mut checked, mut refused) = (0, 0);
    for i in 0..1000 {
        let reply = log_in_from(&app, "203.0.113.5", &company.email, &format!("guess-{i}")).await;
        match reply.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            _ => {
                assert_rate_limited(&reply);
                refused += 1;
            }
        }
    }
    // Five free guesses, then a doubling delay: a handful more in the seconds this takes.
    assert!((5..20).contains(&checked), "{checked} of 1,000 guesses were checked");
    assert_eq!(checked + refused, 1000);
    // The guesser is still waiting; everyone else signs in to the same account.
    assert_rate_limited(&log_in_from(&app, "203.0.113.5", &company.email, PASSWORD).await);
    for client in ["198.51.100.7", "2001:db8::7", "127.0.0.1"] {
        let reply = log_in_from(&app, client, &company.email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{client}: {:?}", reply.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_account_limit_holds_for_parallel_guesses() {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // Twelve guesses at once: no more than five may be checked against the password (the
    // others wait for those in flight, then get the delay they left).
    let guesses = (0..12).map(|i| {
        let app = &app;
        let email = company.email.clone();
        async move { app.log_in(&email, &format!("wrong-password-{i}")).await }
    });
    let replies = futures_join_all(guesses).await;
    let checked = replies.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let refused: Vec<&Reply> = replies.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).collect();
    assert_eq!(checked + refused.len(), 12, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(checked <= 5, "{checked} parallel guesses were checked against the password");
    for reply in refused {
        assert_rate_limited(reply);
    }
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
