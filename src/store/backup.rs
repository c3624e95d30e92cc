//! Backups of the database and their restore into an empty one (`xiaoqi backup`,
//! `xiaoqi restore`).
//!
//! Everything the installation needs is in the database: the link-signing key too
//! (`settings`, see `services::signing`); the search index is derived and rebuilt after a
//! restore; configuration (the mail URL and its password, the database URL) lives outside
//! and is the operator's to keep.
//!
//! - SQLite: `VACUUM INTO` writes a compacted copy from one read transaction, so the copy
//!   is the database as of one instant, while the server goes on writing (readers never
//!   block the writer under WAL). Restore checks the file (`integrity_check`, a xiaoqi
//!   schema) and puts a copy in place of the empty target.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore`, found on
//!   `PATH`; the password goes by `PGPASSWORD`, never on the command line.

use super::{Backend, Db, on_backend};
use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Tables that do not make a database "in use": the migrations' own record, and the
/// installation's settings (a server started once on an empty database has created its
/// signing key there; the restored one replaces it).
const BOOKKEEPING: [&str; 2] = ["_sqlx_migrations", "settings"];

/// The tables of `db` holding rows, bookkeeping aside (empty: the database may receive a
/// restore).
pub async fn tables_in_use(db: &Db) -> anyhow::Result<Vec<String>> {
    let mut conn = db.read().await?;
    let catalogue = match db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let tables: Vec<String> = on_backend!(&mut conn, |e| sqlx::query_scalar(catalogue).fetch_all(e).await)?;
    let mut in_use = Vec::new();
    for table in tables.into_iter().filter(|t| !BOOKKEEPING.contains(&t.as_str())) {
        // The names come from the catalogue, quoted as identifiers.
        let sql = format!("SELECT EXISTS (SELECT 1 FROM \"{}\")", table.replace('"', "\"\""));
        let used: bool =
            on_backend!(&mut conn, |e| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(e).await)?;
        if used {
            in_use.push(table);
        }
    }
    Ok(in_use)
}

/// Refuse a restore into a database with data in it.
async fn require_empty(db: &Db, shown: &str) -> anyhow::Result<()> {
    let in_use = tables_in_use(db).await?;
    if !in_use.is_empty() {
        bail!(
            "the database {shown} is not empty (rows in: {}); restore only into an empty database, \
             e.g. a new DATABASE_URL / 目标数据库不是空的，只能恢复到空数据库",
            in_use.join(", ")
        );
    }
    Ok(())
}

/// Write a backup of the database at `url` to `to` (which must not exist yet).
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} exists already; name a new file / 备份文件已存在", to.display());
    }
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => {
            let options = SqliteConnectOptions::from_str(url)?.create_if_missing(false);
            let mut conn =
                options.connect().await.with_context(|| format!("opening {}", options.get_filename().display()))?;
            let target = to.to_str().context("the backup path must be UTF-8")?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(&mut conn).await.context("VACUUM INTO")?;
            conn.close().await?;
            Ok(())
        }
        Some(Backend::Postgres) => {
            let (url, password) = without_password(url)?;
            let mut command = std::process::Command::new(program("pg_dump")?);
            command.arg("--format=custom").arg("--no-owner").arg("--file").arg(to).arg("--dbname").arg(url);
            run(command, password, "pg_dump").await
        }
        None => bail!("DATABASE_URL must start with sqlite: or postgres://"),
    }
}

/// Restore the backup `from` into the empty database at `url`. The caller migrates (a
/// backup of an older version gets the newer migrations) and rebuilds the search index.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        bail!("{} is not a file / 找不到备份文件", from.display());
    }
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => restore_sqlite(url, from).await,
        Some(Backend::Postgres) => {
            let db = Db::connect(url).await?;
            require_empty(&db, "named by DATABASE_URL").await?;
            let any_tables = has_tables(&db).await?;
            db.close().await;
            let (url, password) = without_password(url)?;
            let mut command = std::process::Command::new(program("pg_restore")?);
            command.arg("--no-owner").arg("--exit-on-error").arg("--single-transaction");
            if any_tables {
                // A migrated but empty database: its empty tables make way for the backup's.
                command.arg("--clean").arg("--if-exists");
            }
            command.arg("--dbname").arg(url).arg(from);
            run(command, password, "pg_restore").await
        }
        None => bail!("DATABASE_URL must start with sqlite: or postgres://"),
    }
}

async fn has_tables(db: &Db) -> anyhow::Result<bool> {
    let mut conn = db.read().await?;
    Ok(on_backend!(&mut conn, |e| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema())"
    )
    .fetch_one(e)
    .await)?)
}

async fn restore_sqlite(url: &str, from: &Path) -> anyhow::Result<()> {
    check_sqlite_backup(from).await?;
    let target = SqliteConnectOptions::from_str(url)?.get_filename().to_path_buf();
    if target.exists() {
        let db = Db::connect(url).await?;
        let empty = require_empty(&db, &target.display().to_string()).await;
        db.close().await;
        empty?;
    }
    // Copied beside the target, then renamed over it, so the target is never half written.
    let staged = sibling(&target, ".restoring");
    std::fs::copy(from, &staged).with_context(|| format!("copying {} to {}", from.display(), staged.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    for stale in [sibling(&target, "-wal"), sibling(&target, "-shm")] {
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(&staged, &target).with_context(|| format!("moving the restored database to {}", target.display()))
}

/// A backup file must be a sound SQLite database with xiaoqi's schema.
async fn check_sqlite_backup(from: &Path) -> anyhow::Result<()> {
    let not_ours = || format!("{} is not a xiaoqi SQLite backup / 不是有效的备份文件", from.display());
    let mut conn = SqliteConnectOptions::new().filename(from).read_only(true).connect().await.with_context(not_ours)?;
    let check: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.with_context(not_ours)?;
    if check != "ok" {
        bail!("{}: integrity check failed: {check}", not_ours());
    }
    let migrated: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')")
            .fetch_one(&mut conn)
            .await?;
    conn.close().await?;
    if !migrated {
        bail!(not_ours());
    }
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `url` without its password, and the password (handed to the tool by `PGPASSWORD`).
fn without_password(url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url).context("DATABASE_URL is not a URL")?;
    let password = parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    let _ = parsed.set_password(None);
    Ok((parsed.to_string(), password))
}

/// A PostgreSQL client program on `PATH`, or the instructions to do it by hand.
fn program(name: &str) -> anyhow::Result<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file());
    found.with_context(|| {
        format!(
            "{name} is not on PATH. Install the PostgreSQL client tools (the server's major version or newer), \
             or run it yourself: pg_dump --format=custom --no-owner --file FILE \"$DATABASE_URL\" to back up; \
             pg_restore --no-owner --exit-on-error --single-transaction --dbname \"$DATABASE_URL\" FILE into an \
             empty database, then xiaoqi migrate and xiaoqi reindex (see README, Backups) / 未找到 {name}"
        )
    })
}

async fn run(mut command: std::process::Command, password: Option<String>, name: &str) -> anyhow::Result<()> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output =
        tokio::task::spawn_blocking(move || command.output()).await?.with_context(|| format!("running {name}"))?;
    if !output.status.success() {
        bail!("{name} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}
