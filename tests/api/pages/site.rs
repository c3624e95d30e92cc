//! The site's foundation: signing in and out, the session cookie, cross-site refusal,
//! security headers, languages and error pages.

use crate::helpers::{Backend, CODE_A, PASSWORD, TestApp, spawn_app_with};
use crate::on_both_backends;
use reqwest::StatusCode;

on_both_backends!(signing_in_and_out, wrong_passwords_get_one_message_and_the_limiter);

async fn signing_in_and_out(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    // A page for signed-in users sends a visitor to sign in, and back afterwards.
    let anonymous = app.page("/app/postings?page=2", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/login?next=%2Fapp%2Fpostings%3Fpage%3D2");

    let form = app.page("/login?next=%2Fapp%2Fpostings", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"<html lang="zh-CN">"#));
    assert!(form.body.contains(r#"name="next" value="/app/postings""#), "{}", form.body);

    let signed_in = app
        .submit("/login", None, &[("email", &company.email), ("password", PASSWORD), ("next", "/app/postings")], &[])
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
    assert_eq!(signed_in.location(), "/app/postings");
    let cookie = signed_in.cookie("xiaoqi_session").expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(flag), "{flag} missing in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let token = cookie.trim_start_matches("xiaoqi_session=").split(';').next().unwrap().to_string();

    // The cookie is a session the API also knows; signing out revokes it.
    assert_eq!(app.get("/api/v1/projects", Some(&token)).await.status, StatusCode::OK);
    let session = crate::helpers::Session { token: token.clone(), ..company.clone() };
    let header = app.page("/login", Some(&session)).await;
    assert_eq!(header.status, StatusCode::SEE_OTHER, "a signed-in user is sent on");
    let out = app.submit("/logout", Some(&session), &[], &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/");
    assert!(out.cookie("xiaoqi_session").unwrap().contains("Max-Age=0"));
    assert_eq!(app.get("/api/v1/projects", Some(&token)).await.status, StatusCode::UNAUTHORIZED);

    // `next` never leads off the site.
    for next in ["https://evil.example/", "//evil.example/x", "/\\evil.example"] {
        let away =
            app.submit("/login", None, &[("email", &company.email), ("password", PASSWORD), ("next", next)], &[]).await;
        assert_eq!(away.location(), "/app", "next={next}");
    }
}

async fn wrong_passwords_get_one_message_and_the_limiter(app: TestApp) {
    let coordinator = app.coordinator().await;
    let wrong_password =
        app.submit("/login", None, &[("email", &coordinator.email), ("password", "not-it-at-all")], &[]).await;
    let unknown_user = app.submit("/login", None, &[("email", "nobody@example.cn"), ("password", PASSWORD)], &[]).await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status, StatusCode::UNAUTHORIZED);
    let message =
        |body: &str| body.split(r#"class="form-errors""#).nth(1).map(|s| s.split("</div>").next().unwrap().to_string());
    assert_eq!(message(&wrong_password.body), message(&unknown_user.body), "the same words whatever was wrong");
    assert!(message(&wrong_password.body).unwrap().contains("邮箱或密码不正确"));
    assert!(wrong_password.body.contains(&coordinator.email), "the e-mail is kept");
    assert!(!wrong_password.body.contains("not-it-at-all"), "the password is never sent back");

    // An e-mail that is not one names the field beside it.
    let malformed = app.submit("/login?lang=en", None, &[("email", "not-an-address"), ("password", "x")], &[]).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(malformed.body.contains(r#"id="error-email""#), "{}", malformed.body);
    assert!(malformed.body.contains("not a valid e-mail address"));

    // The login limiter covers the form as it covers the API.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last =
            app.submit("/login", None, &[("email", &coordinator.email), ("password", "still-wrong")], &[]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

on_both_backends!(cross_site_posts_are_refused_and_pages_carry_security_headers);

async fn cross_site_posts_are_refused_and_pages_carry_security_headers(app: TestApp) {
    let coordinator = app.coordinator().await;
    let login = [("email", coordinator.email.as_str()), ("password", PASSWORD)];
    let forged = app
        .submit("/login", None, &login, &[("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.cookie("xiaoqi_session").is_none());
    assert!(forged.body.contains("<h1>"), "a browser gets a page: {}", forged.body);
    let same_site =
        app.submit("/login", None, &login, &[("Origin", &app.address), ("Sec-Fetch-Site", "same-origin")]).await;
    assert_eq!(same_site.status, StatusCode::SEE_OTHER);
    // The API is covered too: a browser on another site cannot log out a user's token.
    let api = app
        .client
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&coordinator.token)
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);

    let page = app.page("/login", None).await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["referrer-policy"], "same-origin");
    assert!(!page.body.contains("<script>") && !page.body.contains(" style="), "no inline script or style");
    let stylesheet = page.body.split(r#"rel="stylesheet" href=""#).nth(1).unwrap().split('"').next().unwrap();
    let css = app.client.get(app.url(stylesheet)).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("immutable"));
}

on_both_backends!(languages_and_error_pages);

async fn languages_and_error_pages(app: TestApp) {
    // Chinese by default; the browser's language; the switch, remembered in a cookie.
    assert!(app.page("/login", None).await.body.contains(r#"<html lang="zh-CN">"#));
    let english = app.page_with("/login", None, &[("Accept-Language", "en-GB,en;q=0.9,zh;q=0.5")]).await;
    assert!(english.body.contains(r#"<html lang="en">"#));
    assert!(english.body.contains(">Sign in<"));
    let switched = app.page("/login?lang=en", None).await;
    assert!(switched.body.contains(r#"<html lang="en">"#));
    let cookie = switched.cookie("lang").expect("the choice is remembered");
    assert!(cookie.starts_with("lang=en;") && cookie.contains("Max-Age="));
    let remembered = app.page_with("/login", None, &[("Cookie", "lang=en"), ("Accept-Language", "zh-CN")]).await;
    assert!(remembered.body.contains(r#"<html lang="en">"#));
    assert!(remembered.body.contains(r#"class="lang-switch" hreflang="zh-CN""#));
    assert!(remembered.body.contains(r#"href="/login?lang=zh""#), "the switch keeps the page");

    // Errors are pages for browsers and problem details for API clients.
    let missing = app.page("/no/such/page", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(missing.body.contains("页面不存在"));
    let missing_en = app.page("/no/such/page?lang=en", None).await;
    assert!(missing_en.body.contains("Page not found"));
    let api = app.get("/api/v1/postings/999999", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.content_type, "application/problem+json");
    // A 403 page offers a way to sign in.
    let forged =
        app.submit("/logout", None, &[], &[("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains(r#"href="/login?next="#));
}

/// Behind https the session cookie is `Secure`.
#[tokio::test]
async fn the_session_cookie_is_secure_behind_https() {
    let app = spawn_app_with(Backend::Sqlite, |layer| layer.base_url = Some("https://xiaoqi.example.cn".into()))
        .await
        .expect("app");
    let coordinator = app.coordinator().await;
    let signed_in = app.submit("/login", None, &[("email", &coordinator.email), ("password", PASSWORD)], &[]).await;
    assert!(signed_in.cookie("xiaoqi_session").unwrap().contains("; Secure"));
}
