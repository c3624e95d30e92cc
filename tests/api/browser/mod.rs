//! Browser tests: journeys in Debian's chromium, driven over WebDriver (fantoccini →
//! chromedriver), against a real server on SQLite and on PostgreSQL. Data is seeded
//! through the JSON API; everything a journey checks is what a person would see, by the
//! page contract's selectors. Where chromium or chromedriver is missing the tests skip
//! with one printed line, unless `XIAOQI_TEST_REQUIRE_BROWSER=1` (CI) makes them required.
//!
//! Each main page visited is also checked whole (`Browser::check_page`): no console error,
//! axe-core (`XIAOQI_AXE_JS`) without serious or critical violations, screenshots at 1280
//! and 390 px in both languages under `target/screenshots/`.

mod admin;
mod checks;
mod company;
mod coordinator;
mod driver;
mod fair;
mod foundation;
mod journey;
mod me;
mod page;
mod reports;
mod rounds;
mod school;
mod search;
mod seed;

pub use driver::Browser;

/// Run `async fn name(app: TestApp, browser: Browser)` as two tests, on SQLite and on
/// PostgreSQL, each with its own server and its own browser.
#[macro_export]
macro_rules! in_browser {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use $crate::browser::{Browser, installed};
                use $crate::helpers::{spawn_app, Backend};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if !installed() {
                        return;
                    }
                    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
                    let browser = Browser::launch(&app.address).await;
                    super::$name(app, browser).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if !installed() {
                        return;
                    }
                    if let Some(app) = spawn_app(Backend::Postgres).await {
                        let browser = Browser::launch(&app.address).await;
                        super::$name(app, browser).await;
                    }
                }
            }
        )+
    };
}

pub use driver::installed;
