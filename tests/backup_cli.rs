//! `xiaoqi backup` and `xiaoqi restore` as an operator runs them: a backup taken while the
//! server writes restores to the database as it was at one instant; a backup of a quiet
//! database restores to an exact copy; a database with data in it is never restored over.

#[path = "common/pg.rs"]
mod pg;

use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn xiaoqi(database_url: &str, index_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiaoqi"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("XIAOQI_INDEX_DIR", index_dir)
        .env("XIAOQI_CONFIG", "/nonexistent/xiaoqi.toml")
        .env("XIAOQI_LOG_FORMAT", "text")
        .output()
        .expect("run xiaoqi")
}

#[track_caller]
fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn open(path: &Path) -> SqliteConnection {
    SqliteConnectOptions::new().filename(path).read_only(true).connect().await.expect("open database")
}

/// The user tables of a SQLite database, in name order.
async fn tables(conn: &mut SqliteConnection, schema: &str) -> Vec<String> {
    let sql = format!(
        "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await.unwrap()
}

async fn count(conn: &mut SqliteConnection, sql: String) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(conn).await.unwrap()
}

/// Per table of `restored`: rows only it holds, rows only `source` holds (attached as `r`
/// and `main` on one connection), and its row count.
async fn differences(source: &Path, restored: &Path) -> Vec<(String, i64, i64, i64)> {
    let mut conn = open(source).await;
    sqlx::query("ATTACH DATABASE $1 AS r").bind(restored.to_str().unwrap()).execute(&mut conn).await.unwrap();
    assert_eq!(tables(&mut conn, "main").await, tables(&mut conn, "r").await, "the same tables");
    let mut out = Vec::new();
    for table in tables(&mut conn, "r").await {
        let only_restored = count(
            &mut conn,
            format!("SELECT COUNT(*) FROM (SELECT * FROM r.\"{table}\" EXCEPT SELECT * FROM main.\"{table}\")"),
        )
        .await;
        let only_source = count(
            &mut conn,
            format!("SELECT COUNT(*) FROM (SELECT * FROM main.\"{table}\" EXCEPT SELECT * FROM r.\"{table}\")"),
        )
        .await;
        let rows = count(&mut conn, format!("SELECT COUNT(*) FROM r.\"{table}\"")).await;
        out.push((table, only_restored, only_source, rows));
    }
    out
}

/// A sound database: integrity and every foreign key hold.
async fn assert_sound(path: &Path) {
    let mut conn = open(path).await;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
    assert_eq!(integrity, "ok");
    let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await.unwrap();
    assert!(broken.is_empty(), "{} rows break a foreign key", broken.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_database_round_trips_exactly_and_is_never_restored_over() {
    let dir = tempfile::tempdir().unwrap();
    let (source, copy, restored) = (dir.path().join("source.db"), dir.path().join("b.db"), dir.path().join("new.db"));
    let index = dir.path().join("index");
    succeeded(&xiaoqi(&sqlite_url(&source), &index, &["demo", "--postings", "40", "--graduates", "60"]));
    succeeded(&xiaoqi(&sqlite_url(&source), &index, &["backup", "--to", copy.to_str().unwrap()]));
    // A second backup to the same file is refused rather than overwriting it.
    let again = xiaoqi(&sqlite_url(&source), &index, &["backup", "--to", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"), "{}", String::from_utf8_lossy(&again.stderr));

    let new_index = dir.path().join("new-index");
    let restore = xiaoqi(&sqlite_url(&restored), &new_index, &["restore", "--from", copy.to_str().unwrap()]);
    succeeded(&restore);
    assert!(String::from_utf8_lossy(&restore.stdout).contains("Indexed 100 documents"), "{restore:?}");
    assert_sound(&restored).await;
    for (table, only_restored, only_source, rows) in differences(&source, &restored).await {
        assert_eq!((only_restored, only_source), (0, 0), "{table} differs ({rows} rows)");
    }

    // The restored database has data now: a second restore is refused, and changes nothing.
    let before = std::fs::read(&restored).unwrap();
    let refused = xiaoqi(&sqlite_url(&restored), &new_index, &["restore", "--from", copy.to_str().unwrap()]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("not empty") && message.contains("postings"), "{message}");
    assert_eq!(std::fs::read(&restored).unwrap(), before);

    // Neither is a file that is not a backup.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let refused =
        xiaoqi(&sqlite_url(&dir.path().join("other.db")), &new_index, &["restore", "--from", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a xiaoqi SQLite backup"), "{refused:?}");
}

/// A server on `database`, its demo data loaded, and a company's token.
async fn serve(database: &Path, dir: &Path) -> (String, String, tokio::sync::oneshot::Sender<()>) {
    let layer = xiaoqi::config::SettingsLayer {
        database_url: Some(sqlite_url(database)),
        listen: Some("127.0.0.1:0".into()),
        metrics_listen: Some("127.0.0.1:0".into()),
        index_dir: Some(dir.join("index")),
        mail: Some(format!("file:{}", dir.join("mail").display())),
        ..Default::default()
    };
    let app = xiaoqi::startup::Application::build(xiaoqi::config::Settings::resolve(layer).unwrap()).await.unwrap();
    xiaoqi::demo::load_once(&app.state().db).await.unwrap();
    let address = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let reply: Value = client
        .post(format!("{address}/api/v1/auth/token"))
        .json(&json!({"email": "hr@aoshikang.demo", "password": xiaoqi::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (address, reply["token"].as_str().expect("a token").to_string(), stop)
}

/// Post postings one after another until `stop`; returns the ids the server acknowledged.
async fn keep_posting(address: String, token: String, stop: Arc<AtomicBool>) -> BTreeSet<i64> {
    let client = reqwest::Client::new();
    let mut acknowledged = BTreeSet::new();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let body = json!({
            "title": format!("备份测试岗位 {n}"),
            "description": "负责SMT贴片机操作，两班倒，包吃住。",
            "category": "operator",
            "majors": ["电子信息工程"],
            "education_min": "secondary_vocational",
            "headcount": 3,
            "salary_min": 4500,
            "salary_max": 6500,
            "location": "肇庆新区",
            "benefits": ["dormitory"],
            "starts_on": "2026-12-01",
            "closes_on": "2027-01-31",
            "status": "open"
        });
        let reply = client.post(format!("{address}/api/v1/postings")).bearer_auth(&token).json(&body).send().await;
        let reply = reply.expect("the server answers");
        assert_eq!(reply.status().as_u16(), 201, "{:?}", reply.text().await);
        let created: Value = reply.json().await.unwrap();
        acknowledged.insert(created["id"].as_i64().unwrap());
    }
    acknowledged
}

async fn ids(conn: &mut SqliteConnection, sql: &'static str) -> BTreeSet<i64> {
    sqlx::query_scalar(sql).fetch_all(conn).await.unwrap().into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_server_writes_is_the_database_at_one_instant() {
    let dir = tempfile::tempdir().unwrap();
    let (source, copy, restored) = (dir.path().join("source.db"), dir.path().join("b.db"), dir.path().join("new.db"));
    let (address, token, stop_server) = serve(&source, dir.path()).await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn(keep_posting(address, token, stop.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;

    let url = sqlite_url(&source);
    let index = dir.path().join("cli-index");
    let backup = tokio::task::spawn_blocking({
        let (url, index, copy) = (url.clone(), index.clone(), copy.clone());
        move || xiaoqi(&url, &index, &["backup", "--to", copy.to_str().unwrap()])
    })
    .await
    .unwrap();
    succeeded(&backup);
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let acknowledged = writer.await.unwrap();
    let _ = stop_server.send(());
    tokio::time::sleep(Duration::from_millis(300)).await;

    let new_index = dir.path().join("new-index");
    succeeded(&xiaoqi(&sqlite_url(&restored), &new_index, &["restore", "--from", copy.to_str().unwrap()]));
    assert_sound(&restored).await;

    // The writes were inserts: every row the backup holds is in the source as it is now,
    // unchanged.
    for (table, only_restored, _, rows) in differences(&source, &restored).await {
        assert_eq!(only_restored, 0, "{table}: {only_restored} of {rows} rows are not in the source");
    }

    // One instant: the backup holds a prefix of the writes in commit order, each whole.
    let mut source_conn = open(&source).await;
    let mut restored_conn = open(&restored).await;
    let posted = "SELECT id FROM postings WHERE title LIKE '备份测试岗位%'";
    let in_source = ids(&mut source_conn, posted).await;
    let in_backup = ids(&mut restored_conn, posted).await;
    assert!(!in_backup.is_empty() && in_backup.len() < in_source.len(), "{} of {}", in_backup.len(), in_source.len());
    assert!(in_source.is_subset(&acknowledged) && acknowledged.is_subset(&in_source), "every acknowledged write kept");
    let last = *in_backup.last().unwrap();
    assert_eq!(in_backup, in_source.iter().copied().filter(|id| *id <= last).collect());
    for (what, sql) in [
        ("change", "SELECT entity_id FROM changes WHERE entity = 'posting'"),
        ("audit entry", "SELECT entity_id FROM audit_entries WHERE entity = 'posting' AND action = 'create'"),
    ] {
        let recorded = ids(&mut restored_conn, sql).await;
        assert!(in_backup.is_subset(&recorded), "each posting in the backup has its {what}");
    }
    let last_change: i64 =
        sqlx::query_scalar("SELECT MAX(seq) FROM changes").fetch_one(&mut restored_conn).await.unwrap();
    let (backup_changes, source_changes_then): (i64, i64) = (
        sqlx::query_scalar("SELECT COUNT(*) FROM changes").fetch_one(&mut restored_conn).await.unwrap(),
        sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE seq <= $1")
            .bind(last_change)
            .fetch_one(&mut source_conn)
            .await
            .unwrap(),
    );
    assert_eq!(backup_changes, source_changes_then, "the change log is a prefix of the source's");
}

/// PostgreSQL through pg_dump and pg_restore, when they are installed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_round_trips_through_pg_dump() {
    let Some(admin) = pg::admin_url() else { return };
    if Command::new("pg_dump").arg("--version").output().is_err() {
        eprintln!("skipping: pg_dump is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (source, source_name) = pg::create_database(&admin, "xiaoqi_backup_src").await;
    let (target, target_name) = pg::create_database(&admin, "xiaoqi_backup_dst").await;
    let index = dir.path().join("index");
    let copy = dir.path().join("b.dump");
    let new_index = dir.path().join("new-index");
    let outcome = async move {
        succeeded(&xiaoqi(&source, &index, &["demo", "--postings", "30", "--graduates", "30"]));
        succeeded(&xiaoqi(&source, &index, &["backup", "--to", copy.to_str().unwrap()]));
        // Migrated but empty (as `xiaoqi migrate` leaves it): still empty enough.
        succeeded(&xiaoqi(&target, &index, &["migrate"]));
        let restore = xiaoqi(&target, &new_index, &["restore", "--from", copy.to_str().unwrap()]);
        succeeded(&restore);
        assert!(String::from_utf8_lossy(&restore.stdout).contains("Indexed 60 documents"), "{restore:?}");
        let mut a = sqlx::PgConnection::connect(&source).await.unwrap();
        let mut b = sqlx::PgConnection::connect(&target).await.unwrap();
        let list = "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1";
        let tables: Vec<String> = sqlx::query_scalar(list).fetch_all(&mut a).await.unwrap();
        assert_eq!(tables, sqlx::query_scalar::<_, String>(list).fetch_all(&mut b).await.unwrap());
        for table in &tables {
            let sql = format!("SELECT CAST(to_jsonb(t) AS TEXT) FROM \"{table}\" t ORDER BY 1");
            let rows_a: Vec<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_all(&mut a).await.unwrap();
            let rows_b: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&mut b).await.unwrap();
            assert_eq!(rows_a, rows_b, "{table} differs");
        }
        let refused = xiaoqi(&target, &index, &["restore", "--from", copy.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("not empty"), "{refused:?}");
    };
    let result = tokio::spawn(outcome).await;
    pg::drop_database(admin.clone(), source_name);
    pg::drop_database(admin, target_name);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic.into_panic());
    }
}
