//! What every page stands on: signing in and out, the language switch, error pages, and
//! the refusal of forms posted from another site.

use super::Browser;
use super::seed;
use crate::helpers::{PASSWORD, TestApp};
use crate::in_browser;
use axum::response::Html;

in_browser!(
    signing_in_and_out,
    language_switch_is_remembered,
    unknown_pages_are_a_404_page,
    cross_site_posts_are_refused
);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";

async fn signing_in_and_out(app: TestApp, browser: Browser) {
    let world = seed::world(&app).await;

    // A page for signed-in users sends a visitor to sign in, and back afterwards.
    browser.goto("/app").await;
    assert_eq!(browser.path().await, "/login?next=%2Fapp");
    assert_eq!(browser.html_lang().await, "zh-CN");
    assert!(browser.exists("header.site a.login-link[href=\"/login\"]").await);
    browser.check_page("login", "/login?next=%2Fapp").await;

    // A wrong password: 401, one message that does not say which part was wrong, the
    // e-mail kept and the password not.
    browser.fill(LOGIN_FORM, "email", &world.company.email).await;
    browser.fill(LOGIN_FORM, "password", "not-the-password").await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.status().await, 401);
    assert!(browser.text("main .form-errors").await.contains("邮箱或密码不正确，请重新输入。"));
    assert!(!browser.exists("main .field-error").await, "no field is named as the wrong one");
    assert_eq!(browser.attr("main input[name=email]", "value").await.as_deref(), Some(world.company.email.as_str()));
    assert_eq!(browser.attr("main input[name=password]", "value").await.unwrap_or_default(), "");
    browser.assert_only_status_logged(401).await;
    browser.assert_accessible("login (wrong password)").await;

    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    let cookie = browser.client.get_named_cookie("xiaoqi_session").await.expect("a session cookie");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Lax)");
    assert_eq!(browser.path().await, "/app");

    // Signed in, the header names the account and offers to sign out (on the dashboard).
    assert_eq!(browser.status().await, 200, "the dashboard /app");
    assert!(browser.exists("header.site form.logout[method=post][action=\"/logout\"]").await);
    assert!(!browser.exists("header.site a.login-link").await);
    browser.assert_no_console_errors().await;
    browser.submit("header.site form.logout").await;
    assert_eq!(browser.path().await, "/");
    assert!(browser.client.get_named_cookie("xiaoqi_session").await.is_err(), "the session cookie is cleared");
    assert!(browser.exists("header.site a.login-link").await);
    browser.goto("/app").await;
    assert!(browser.path().await.starts_with("/login"), "the session was revoked");
    browser.close().await;
}

async fn language_switch_is_remembered(_app: TestApp, browser: Browser) {
    browser.goto("/login").await;
    assert_eq!(browser.html_lang().await, "zh-CN");
    assert_eq!(browser.text("main h1").await, "登录");
    assert_eq!(browser.attr("a.lang-switch", "hreflang").await.as_deref(), Some("en"));

    browser.click("a.lang-switch").await;
    assert_eq!(browser.html_lang().await, "en");
    assert_eq!(browser.text("main h1").await, "Sign in");
    assert_eq!(browser.text("a.lang-switch").await, "中文");

    // The choice is a cookie: the next page is English too, even one that is not there.
    browser.goto("/no-such-page").await;
    assert_eq!(browser.html_lang().await, "en");
    assert_eq!(browser.text("main h1").await, "Page not found");
    browser.assert_only_status_logged(404).await;
    browser.goto("/login").await;
    assert_eq!(browser.html_lang().await, "en");
    assert_eq!(browser.text("main form button[type=submit]").await, "Sign in");

    browser.click("a.lang-switch").await;
    assert_eq!(browser.html_lang().await, "zh-CN");
    browser.goto("/login").await;
    assert_eq!(browser.text("main h1").await, "登录");
    browser.assert_no_console_errors().await;
    browser.close().await;
}

async fn unknown_pages_are_a_404_page(_app: TestApp, browser: Browser) {
    for lang in ["zh", "en"] {
        browser.goto(&format!("/no-such-page?lang={lang}")).await;
        assert_eq!(browser.status().await, 404);
        assert_eq!(browser.text("main .status-code").await, "404");
        let title = if lang == "zh" { "页面不存在" } else { "Page not found" };
        assert_eq!(browser.text("main h1").await, title);
        assert!(browser.exists("main a[href=\"/\"]").await, "a way back to the start");
        browser.assert_only_status_logged(404).await;
        browser.assert_accessible(&format!("404 ({lang})")).await;
        for width in super::checks::WIDTHS {
            browser.screenshot("not-found", width, lang).await;
        }
    }
    browser.close().await;
}

async fn cross_site_posts_are_refused(app: TestApp, browser: Browser) {
    let world = seed::world(&app).await;
    // Another site (`localhost` is a different site from `127.0.0.1`) with forms that post
    // to the app: a sign-in and a sign-out.
    let target = app.address.clone();
    let email = world.company.email.clone();
    let page = format!(
        "<!doctype html><html lang=\"en\"><title>elsewhere</title><link rel=\"icon\" href=\"data:,\">\
         <form id=\"login\" method=\"post\" action=\"{target}/login\">\
         <input name=\"email\" value=\"{email}\"><input name=\"password\" value=\"{PASSWORD}\">\
         <button type=\"submit\">go</button></form>\
         <form id=\"logout\" method=\"post\" action=\"{target}/logout\"><button type=\"submit\">go</button></form>"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the other site");
    let other_site = format!("http://localhost:{}/", listener.local_addr().unwrap().port());
    let router = axum::Router::new().route("/", axum::routing::get(move || async move { Html(page) }));
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    for (form, path) in [("#login", "/login"), ("#logout", "/logout")] {
        browser.client.goto(&other_site).await.expect("open the other site");
        browser.submit(form).await;
        assert_eq!(browser.client.current_url().await.unwrap().as_str(), format!("{target}{path}"));
        assert_eq!(browser.status().await, 403, "{form} posted from another site");
        assert_eq!(browser.text("main .status-code").await, "403");
        browser.assert_only_status_logged(403).await;
    }
    assert!(browser.client.get_named_cookie("xiaoqi_session").await.is_err(), "no session came of it");

    // The same sign-in from the app's own page works.
    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &world.company.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert!(browser.client.get_named_cookie("xiaoqi_session").await.is_ok());
    server.abort();
    browser.close().await;
}
