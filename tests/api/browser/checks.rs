//! What every main page must pass in the browser: nothing on the console (a CSP refusal,
//! a script error, a missing file all land there), no serious or critical axe-core
//! violation, and full-page screenshots at desktop and phone widths in both languages,
//! written to `target/screenshots/` for people to look at.

use super::driver::{Browser, REQUIRE_BROWSER, required, skip_once};
use base64::Engine;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;

/// axe-core's `axe.min.js` (npm package `axe-core`), injected into each page checked.
pub const AXE_JS: &str = "XIAOQI_AXE_JS";

/// The widths screenshots are taken at: a desktop and a phone.
pub const WIDTHS: [u32; 2] = [1280, 390];

fn axe_source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = std::env::var_os(AXE_JS)?;
            Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {AXE_JS}={path:?}: {e}")))
        })
        .as_deref()
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// `path` with `?lang=` set (the app remembers it in a cookie, as the switch does).
pub fn with_lang(path: &str, lang: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let mut query = kept.join("&");
    if !query.is_empty() {
        query.push('&');
    }
    format!("{base}?{query}lang={lang}")
}

impl Browser {
    /// The console errors logged since the last look (and forget them).
    pub async fn take_console_errors(&self) -> Vec<String> {
        let entries = self.console_entries().await.into_iter();
        entries.filter(|(level, _)| level == "SEVERE").map(|(_, m)| m).collect()
    }

    /// Fail if anything was logged as an error on the console since the last look.
    pub async fn assert_no_console_errors(&self) {
        let errors = self.take_console_errors().await;
        assert!(errors.is_empty(), "console errors on {}:\n{}", self.path().await, errors.join("\n"));
    }

    /// After a page deliberately answered `status` (a 404 page, a re-rendered bad form),
    /// Chrome logs that the document failed to load: accept exactly that, nothing else.
    pub async fn assert_only_status_logged(&self, status: u16) {
        let unexpected: Vec<String> = self
            .take_console_errors()
            .await
            .into_iter()
            .filter(|m| !m.contains(&format!("status of {status}")))
            .collect();
        assert!(unexpected.is_empty(), "console errors on {}:\n{}", self.path().await, unexpected.join("\n"));
    }

    /// Run axe-core on the page shown; fail listing every serious or critical violation.
    pub async fn assert_accessible(&self, what: &str) {
        let Some(source) = axe_source() else {
            if required() {
                panic!("{REQUIRE_BROWSER}=1 but {AXE_JS} is not set");
            }
            static SAID: std::sync::Once = std::sync::Once::new();
            skip_once(&SAID, "axe checks skipped: set XIAOQI_AXE_JS to axe-core's axe.min.js");
            return;
        };
        // Injected through WebDriver, which the page's CSP does not apply to.
        self.run(&format!("{source}\n;return typeof axe;"), vec![]).await;
        let script = "const done = arguments[arguments.length - 1];\
            axe.run(document, {resultTypes: ['violations']})\
              .then(r => done(JSON.stringify(r.violations)))\
              .catch(e => done(JSON.stringify({error: String(e)})));";
        let answer = self.client.execute_async(script, vec![]).await.expect("axe.run");
        let violations: Value = serde_json::from_str(answer.as_str().unwrap_or("null")).expect("axe answers JSON");
        assert!(violations.get("error").is_none(), "axe failed on {what}: {violations}");
        let serious: Vec<String> = violations
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| {
                let targets: Vec<String> =
                    v["nodes"].as_array().into_iter().flatten().map(|n| n["target"].to_string()).collect();
                format!("{} ({}): {} — {}", v["id"], v["impact"], v["help"], targets.join(", "))
            })
            .collect();
        assert!(serious.is_empty(), "axe on {what} ({}):\n{}", self.path().await, serious.join("\n"));
    }

    /// Save a full-page screenshot of what is shown, as `<name>-<width>-<lang>.png`.
    pub async fn screenshot(&self, name: &str, width: u32, lang: &str) {
        self.set_viewport(width).await;
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let height = metrics["cssContentSize"]["height"].as_f64().unwrap_or(900.0).ceil();
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                }),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("screenshot is base64");
        // Both backends write the same names: write aside, then rename into place.
        let dir = screenshot_dir();
        let file = dir.join(format!("{name}-{width}-{lang}.png"));
        let partial = dir.join(format!(".{name}-{width}-{lang}.{}.png", std::process::id()));
        std::fs::write(&partial, png).expect("write screenshot");
        std::fs::rename(&partial, &file).expect("move screenshot into place");
    }

    /// The whole check of a main page (`path`, openable by GET): in English and in
    /// Chinese, no console error, axe clean, screenshots at both widths. Axe runs once per
    /// language, at the phone width in English and the desktop width in Chinese, so both
    /// layouts and both languages are looked at. Leaves the browser on the page in Chinese
    /// at desktop width (and the language cookie on Chinese).
    pub async fn check_page(&self, name: &str, path: &str) {
        for (lang, widths) in [("en", [1280, 390]), ("zh", [390, 1280])] {
            self.goto(&with_lang(path, lang)).await;
            self.assert_no_console_errors().await;
            for width in widths {
                self.screenshot(name, width, lang).await;
            }
            self.assert_accessible(&format!("{name} ({lang}, {} px)", widths[1])).await;
            self.assert_no_console_errors().await;
        }
    }
}
