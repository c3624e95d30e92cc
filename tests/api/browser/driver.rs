//! Debian's chromium under chromedriver, one pair per test: found on the machine, started
//! on a port chromedriver picks itself (`--port=0`, so parallel tests never race for one),
//! with a fresh profile directory, and ended when the test's [`Browser`] is dropped.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use reqwest::Method;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Set to make a missing browser (or axe-core) a failure instead of a skip, as CI does.
pub const REQUIRE_BROWSER: &str = "XIAOQI_TEST_REQUIRE_BROWSER";

/// Chromium is heavy for a 2-core machine running the other tests beside it: at most this
/// many browsers at once in one test process.
static BROWSERS_AT_ONCE: Semaphore = Semaphore::const_new(3);

pub fn required() -> bool {
    std::env::var(REQUIRE_BROWSER).is_ok_and(|v| v == "1")
}

/// Say once per test process (`said` remembers), past the test harness's output capture,
/// why a check did not run.
pub fn skip_once(said: &'static Once, line: &'static str) {
    said.call_once(|| {
        let _ = writeln!(std::io::stderr(), "{line}");
    });
}

/// Whether browser tests can run here; when they cannot, says so once (or fails, when
/// `XIAOQI_TEST_REQUIRE_BROWSER=1`).
pub fn installed() -> bool {
    if find_binaries().is_some() {
        return true;
    }
    if required() {
        panic!("{REQUIRE_BROWSER}=1 but chromium or chromedriver is not installed");
    }
    static SAID: Once = Once::new();
    skip_once(&SAID, "browser tests skipped: chromium/chromedriver not installed");
    false
}

/// The chromium binary and chromedriver, or `None` when either is missing.
fn find_binaries() -> Option<(PathBuf, PathBuf)> {
    // Debian's /usr/bin/chromium is a shell wrapper; chromedriver is happier with the
    // binary itself, which the wrapper only adds flags to.
    let chromium = env_path("XIAOQI_CHROMIUM")
        .or_else(|| Some(PathBuf::from("/usr/lib/chromium/chromium")).filter(|p| p.is_file()))
        .or_else(|| ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|n| on_path(n)))?;
    let driver = env_path("XIAOQI_CHROMEDRIVER").or_else(|| on_path("chromedriver"))?;
    Some((chromium, driver))
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_file())
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// A running chromedriver; killed (after ending its browser session) on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let mut child = Command::new(binary)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let stdout = child.stdout.take().expect("chromedriver's stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Read the port it chose, then keep draining so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let port = line.split("started successfully on port ").nth(1);
                if let Some(port) = port.and_then(|p| p.trim_end_matches('.').trim().parse::<u16>().ok())
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(port);
                }
            }
        });
        let port = rx.recv_timeout(Duration::from_secs(20)).expect("chromedriver did not say which port it took");
        Driver { child, port }
    }

    /// End the browser session with a plain blocking request: drop cannot await, and a
    /// chromium left behind would outlive the test.
    fn delete_session(&self, session_id: &str) {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{session_id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        // The answer comes once the browser is gone; its first bytes are all we wait for
        // (chromedriver may keep the connection open after it).
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read(&mut [0; 512]);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver command fantoccini has no method for (chromedriver's log and CDP
/// passthrough), relative to the session's URL.
#[derive(Debug)]
struct SessionCommand {
    method: Method,
    path: &'static str,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(Value::to_string))
    }
}

/// One headless chromium driven over WebDriver, pointed at one test app.
pub struct Browser {
    pub client: Client,
    /// The app's origin, `http://127.0.0.1:PORT`.
    pub origin: String,
    session_id: String,
    closed: bool,
    // Field order is drop order: the session's profile outlives chromium, chromium the
    // slot it holds.
    driver: Driver,
    _profile: tempfile::TempDir,
    _slot: SemaphorePermit<'static>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        self.driver.delete_session(&self.session_id);
    }
}

impl Browser {
    /// A browser for the app at `origin` (call [`installed`] first).
    pub async fn launch(origin: &str) -> Browser {
        let (chromium, chromedriver) = find_binaries().expect("chromium and chromedriver are installed");
        let slot = BROWSERS_AT_ONCE.acquire().await.expect("the semaphore is never closed");
        let profile = tempfile::tempdir().expect("a profile directory");
        let driver = Driver::start(&chromedriver);
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                // A browser set up as the site's users have theirs: Chinese first.
                "prefs": {"intl.accept_languages": "zh-CN,zh"},
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        });
        let capabilities = capabilities.as_object().expect("an object").clone();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("chromedriver starts a chromium session");
        let session_id = client.session_id().await.ok().flatten().expect("a session id");
        client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(30)),
                Some(Duration::from_secs(30)),
                Some(Duration::ZERO),
            ))
            .await
            .expect("set timeouts");
        let browser = Browser {
            client,
            origin: origin.to_string(),
            session_id,
            closed: false,
            driver,
            _profile: profile,
            _slot: slot,
        };
        browser.set_viewport(1280).await;
        browser
    }

    /// End the session cleanly (drop does it too, when a test fails half-way).
    pub async fn close(mut self) {
        if self.client.clone().close().await.is_ok() {
            self.closed = true;
        }
    }

    /// A command chromedriver offers beyond the standard.
    async fn session_command(&self, method: Method, path: &'static str, body: Option<Value>) -> Value {
        self.client
            .issue_cmd(SessionCommand { method, path, body })
            .await
            .unwrap_or_else(|e| panic!("chromedriver {path}: {e}"))
    }

    /// A Chrome DevTools Protocol command, through chromedriver's passthrough.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session_command(Method::POST, "goog/cdp/execute", Some(json!({"cmd": cmd, "params": params}))).await
    }

    /// The console entries logged since the last call (chromedriver empties its buffer on
    /// each read): `(level, message)`.
    pub async fn console_entries(&self) -> Vec<(String, String)> {
        let entries = self.session_command(Method::POST, "se/log", Some(json!({"type": "browser"}))).await;
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["level"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
            .collect()
    }

    /// Lay the page out for a window `width` CSS pixels wide (a phone below 600).
    pub async fn set_viewport(&self, width: u32) {
        let params = json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600});
        self.cdp("Emulation.setDeviceMetricsOverride", params).await;
    }
}
