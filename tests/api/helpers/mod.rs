//! Test harness: a real server on port 0 with a fresh database per test, on SQLite or on
//! PostgreSQL (`XIAOQI_TEST_POSTGRES_URL`; each test creates and drops its own database).
//!
//! Beside the harness, one helper per endpoint the tests call repeatedly, by area
//! (`app.create_posting(token, &body)` …): each sends the request and returns the
//! [`Reply`], so a test states what it expects of the answer. Request bodies that pass
//! validation come from `posting_body()`, `graduate_body()` and friends, with changes
//! merged over them by `posting_with(json!({…}))`.

mod accounts;
mod admin;
mod duplicates;
mod events;
mod graduates;
mod offers;
mod pages;
mod postings;
mod reports;
mod rounds;

pub use accounts::user_body;
pub use events::{fair_at, fair_body};
pub use graduates::{graduate_body, graduate_with};
pub use pages::Html;
pub use postings::{posting_body, posting_with, project_body};

use crate::pg;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::Duration;
use xiaoqi::config::{Settings, SettingsLayer};
use xiaoqi::startup::Application;
use xiaoqi::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served (a listener of its own).
    pub metrics_address: String,
    /// The settings this app was built from (restarts reuse them).
    pub layer: SettingsLayer,
    pub client: reqwest::Client,
    pub db: Db,
    pub search: std::sync::Arc<xiaoqi::search::SearchIndex>,
    pub backend: Backend,
    _dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Build a test app; `None` when PostgreSQL was asked for but is not configured (the
/// test then skips, unless `XIAOQI_TEST_REQUIRE_POSTGRES` says it must run).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut SettingsLayer)) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut pg_database = None;
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("xiaoqi.db").display()),
        Backend::Postgres => {
            let admin_url = pg::admin_url()?;
            let (url, name) = pg::create_database(&admin_url, "xiaoqi_test").await;
            pg_database = Some((admin_url, name));
            url
        }
    };
    let mut layer = SettingsLayer {
        database_url: Some(database_url),
        listen: Some("127.0.0.1:0".into()),
        metrics_listen: Some("127.0.0.1:0".into()),
        index_dir: Some(dir.path().join("index")),
        mail: Some(format!("file:{}", dir.path().join("mail").display())),
        // Tests search anonymously from 127.0.0.1 as fast as they can; the per-address
        // limit is tested on its own (abuse.rs) with a low one.
        search_rate: Some("1000,1000".into()),
        ..Default::default()
    };
    configure(&mut layer);
    Some(start(layer, backend, dir, pg_database).await)
}

/// Start a server on `layer`'s database and index directory.
async fn start(
    layer: SettingsLayer,
    backend: Backend,
    dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
) -> TestApp {
    let settings = Settings::resolve(layer.clone()).expect("test settings");
    let app = Application::build(settings).await.expect("build app");
    let address = format!("http://{}", app.local_addr());
    let metrics_address = format!("http://{}", app.metrics_addr());
    let db = app.state().db.clone();
    let search = app.state().search.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        address,
        metrics_address,
        layer,
        client: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap(),
        db,
        search,
        backend,
        _dir: dir,
        pg_database,
        shutdown: Some(tx),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((admin_url, name)) = self.pg_database.take() {
            pg::drop_database(admin_url, name);
        }
    }
}

/// A logged-in user of the test app.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: i64,
    pub organization_id: i64,
    pub email: String,
}

/// What a request answered.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Read a whole response; a body that is not JSON is kept as a JSON string.
    pub async fn from_response(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, content_type, headers, body }
    }

    /// The body of a 201 Created (the test fails with the answer otherwise).
    #[track_caller]
    pub fn created(self) -> Value {
        assert_eq!(self.status, StatusCode::CREATED, "{:?}", self.body);
        self.body
    }

    /// The id of what a 201 Created answer created.
    #[track_caller]
    pub fn created_id(&self) -> i64 {
        assert_eq!(self.status, StatusCode::CREATED, "{:?}", self.body);
        self.body["id"].as_i64().expect("a created resource has an id")
    }

    /// The fields a 422 named.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_string()).collect())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Stop this server and start another on the same database and index directory,
    /// after `configure` has changed its settings (as an operator restarting would).
    pub async fn restart(mut self, configure: impl FnOnce(&mut SettingsLayer)) -> TestApp {
        let mut layer = self.layer.clone();
        configure(&mut layer);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Let the old server release the index writer's lock.
        for _ in 0..100 {
            if std::sync::Arc::strong_count(&self.search) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = std::mem::replace(&mut self._dir, dir);
        let pg_database = self.pg_database.take();
        let backend = self.backend;
        drop(self);
        start(layer, backend, dir, pg_database).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Send a request with an optional token and JSON body.
    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        Reply::from_response(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.request(Method::POST, path, token, Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.request(Method::PATCH, path, token, Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::DELETE, path, token, None).await
    }

    /// Wait until the search index has applied every change committed so far (it follows
    /// the database within a second; tests that search right after writing wait for it).
    pub async fn indexed(&self) {
        let target = xiaoqi::store::changes::current_cursor(&self.db).await.expect("read the change log");
        for _ in 0..100 {
            let at = self.search.cursor();
            if self.search.is_ready()
                && at.seq >= target.seq
                && target.in_flight.iter().all(|t| !at.in_flight.contains(t))
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the search index did not catch up within 5 s");
    }

    /// Count rows of a table directly in the database (to prove nothing was written).
    pub async fn count_rows(&self, table: &'static str) -> i64 {
        let sql = match table {
            "organizations" => "SELECT COUNT(*) FROM organizations",
            "users" => "SELECT COUNT(*) FROM users",
            "projects" => "SELECT COUNT(*) FROM projects",
            "postings" => "SELECT COUNT(*) FROM postings",
            "graduates" => "SELECT COUNT(*) FROM graduates",
            "changes" => "SELECT COUNT(*) FROM changes",
            other => panic!("unknown table {other}"),
        };
        let mut conn = self.db.read().await.unwrap();
        xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(sql).fetch_one(e).await).unwrap()
    }
}

/// Valid credit codes for tests (check characters computed by GB 32100-2015).
pub const CODE_A: &str = "914412006924690922";
pub const CODE_B: &str = "91441200MA4UM5K3XN";

/// A copy of `body` with `changes` merged over it, field by field (`null` removes a field).
fn merged(mut body: Value, changes: Value) -> Value {
    let fields = body.as_object_mut().expect("a body is an object");
    for (k, v) in changes.as_object().expect("changes are an object") {
        if v.is_null() {
            fields.remove(k);
        } else {
            fields.insert(k.clone(), v.clone());
        }
    }
    body
}

/// Run an async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use $crate::helpers::{spawn_app, Backend};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = spawn_app(Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}
