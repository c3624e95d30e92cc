//! A fresh PostgreSQL database per test, shared by the test binaries (included with
//! `#[path = "../common/pg.rs"] mod pg;`).

use std::sync::atomic::{AtomicUsize, Ordering};

/// The admin URL from `XIAOQI_TEST_POSTGRES_URL`, or `None` (the test skips) when it is not
/// set, unless `XIAOQI_TEST_REQUIRE_POSTGRES` says PostgreSQL tests must run.
pub fn admin_url() -> Option<String> {
    match std::env::var("XIAOQI_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            if std::env::var_os("XIAOQI_TEST_REQUIRE_POSTGRES").is_some() {
                panic!("XIAOQI_TEST_REQUIRE_POSTGRES is set but XIAOQI_TEST_POSTGRES_URL is not");
            }
            eprintln!("skipping: set XIAOQI_TEST_POSTGRES_URL to run the PostgreSQL variant");
            None
        }
    }
}

/// Create a database named after `prefix`, the process and a counter; returns its URL and
/// name (give the name to [`drop_database`] when done).
pub async fn create_database(admin_url: &str, prefix: &str) -> (String, String) {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let name = format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let admin = sqlx::PgPool::connect(admin_url).await.expect("connect to XIAOQI_TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    (replace_database(admin_url, &name), name)
}

/// Drop a test database. Runs from `Drop`, outside async: a short-lived runtime on its own
/// thread does the work.
pub fn drop_database(admin_url: String, name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                let _ = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&admin).await;
                admin.close().await;
            }
        });
    })
    .join();
}

/// `url` with its database name replaced by `name` (query string kept).
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
