//! The `xiaoqi` command line.

use crate::config::{Settings, SettingsLayer};
use crate::domain::user::{NewUser, Password};
use crate::domain::{Email, Role};
use crate::matching::{NamedInstance, Proposing};
use crate::services::auth::Passwords;
use crate::startup::Application;
use crate::store::{self, Db};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "xiaoqi", version, about = "校企 — school–enterprise recruitment matching")]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsLayer,
    /// Optional settings file, read after flags and environment
    #[arg(long, env = "XIAOQI_CONFIG", default_value = "xiaoqi.toml", global = true)]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the service
    Serve {
        /// Load the demo data set (once) and print its logins
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit
    Migrate,
    /// Rebuild the search index from the database (the server must not be running on it)
    Reindex,
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Add synthetic, realistic demo postings and graduates
    Demo {
        #[arg(long, default_value_t = 300)]
        postings: usize,
        #[arg(long, default_value_t = 300)]
        graduates: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// The e-mail outbox
    Notices {
        #[command(subcommand)]
        command: NoticesCommand,
    },
    /// Import data from files
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Back up the database to a new file while the service runs (SQLite: a consistent
    /// copy by VACUUM INTO; PostgreSQL: pg_dump's custom format). The file holds the
    /// link-signing key: keep it as safe as the database
    Backup {
        /// The backup file to write (must not exist)
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into an empty database (refused otherwise), migrate it and rebuild
    /// the search index; the server must not be running on it
    Restore {
        /// The backup file `xiaoqi backup` wrote
        #[arg(long)]
        from: PathBuf,
    },
    /// The matching solver on instance files; needs no configuration or database
    Match {
        #[command(subcommand)]
        command: MatchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a school's roster from an .xlsx, .xls or .csv file (UTF-8 or GBK), as the
    /// import page does: rows are matched by 学号 (new ones added, changed ones updated, the
    /// same file again changes nothing), all in one transaction. Recorded as done by the
    /// command line (no user); a running server's search index follows within a second.
    Graduates {
        /// The roster file
        file: PathBuf,
        /// The school's organisation id
        #[arg(long)]
        school: i64,
        /// Only report what the import would do
        #[arg(long)]
        dry_run: bool,
        /// valid_rows: import the valid rows, skip the others; all_or_nothing: nothing unless every row is valid
        #[arg(long, value_parser = parse_mode, default_value = "valid_rows")]
        mode: crate::domain::roster::ImportMode,
    },
}

fn parse_mode(text: &str) -> Result<crate::domain::roster::ImportMode, String> {
    crate::domain::roster::ImportMode::parse(text)
        .ok_or_else(|| "mode must be valid_rows or all_or_nothing".to_string())
}

#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Put a failed notice back in the queue (its attempts start again from zero)
    Retry {
        /// The notice's id (GET /api/v1/events/{id}/notices lists them)
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Solve an instance file and write `{"assignment": {graduate: posting}, "unmatched": [graduate]}`
    Solve {
        /// Instance file: {"graduates": {id: [posting ids]}, "postings": {id: [graduate ids]}, "capacities": {id: n}}
        #[arg(long)]
        input: PathBuf,
        /// Whose optimum the stable matching is: graduates or postings
        #[arg(long, value_parser = parse_proposing, default_value = "graduates")]
        proposing: Proposing,
        /// Where to write the result (default: standard output)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Verify the result: report blocking pairs and infeasibilities on standard error, exit 1 if any
        #[arg(long)]
        check: bool,
    },
    /// Write a random instance: each graduate lists --choices postings, each posting ranks exactly
    /// the graduates who listed it, every posting has max(1, graduates / postings) seats
    Gen {
        #[arg(long)]
        graduates: u32,
        #[arg(long)]
        postings: u32,
        #[arg(long, default_value_t = 20)]
        choices: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Where to write the instance (default: standard output)
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Organisation id (coordinators without one join the service centre, created if needed)
        #[arg(long)]
        org: Option<i64>,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "role must be coordinator, company or school".to_string())
}

fn parse_proposing(text: &str) -> Result<Proposing, String> {
    match text {
        "graduates" => Ok(Proposing::Graduates),
        "postings" => Ok(Proposing::Postings),
        _ => Err("proposing must be graduates or postings".to_string()),
    }
}

impl Cli {
    pub fn resolve_settings(&self) -> anyhow::Result<Settings> {
        let file = SettingsLayer::from_file(&self.config)?;
        Settings::resolve(self.settings.clone().or(file))
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.resolve_settings()?;
    crate::telemetry::init(settings.log_format);
    match cli.command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            let db = Db::connect(settings.database_url.expose()).await?;
            db.migrate().await?;
            println!("Migrations applied to {}.", settings.database_url);
            Ok(())
        }
        Command::Reindex => reindex(&settings).await,
        Command::Backup { to } => {
            store::backup::backup(settings.database_url.expose(), &to).await?;
            println!("Backed up {} to {}. / 已备份。", settings.database_url, to.display());
            Ok(())
        }
        Command::Restore { from } => {
            store::backup::restore(settings.database_url.expose(), &from).await?;
            println!(
                "Restored {} into {}; rebuilding the search index. / 已恢复，正在重建索引。",
                from.display(),
                settings.database_url
            );
            reindex(&settings).await
        }
        Command::User { command: UserCommand::Add { email, role, org, password_stdin } } => {
            if !password_stdin {
                bail!("pass --password-stdin and type the password on standard input");
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("reading the password")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let db = connect(&settings).await?;
            let user = add_user(&db, &email, role, org, password).await?;
            println!("Added {} ({}) to organisation {}.", user.email.as_str(), user.role, user.organization_id);
            Ok(())
        }
        Command::Match { .. } => unreachable!("main runs match commands itself, before any runtime or settings"),
        Command::Notices { command: NoticesCommand::Retry { id } } => {
            let db = connect(&settings).await?;
            let mut tx = db.begin().await?;
            let requeued = crate::store::outbox::requeue(&mut tx, id, chrono::Utc::now()).await?;
            tx.commit().await?;
            db.close().await;
            if !requeued {
                bail!(
                    "notice {id} is not a failed notice (only failed notices are retried) / 通知 {id} 不是发送失败的通知"
                );
            }
            println!("Notice {id} queued again. / 通知 {id} 已重新排队。");
            Ok(())
        }
        Command::Import { command: ImportCommand::Graduates { file, school, dry_run, mode } } => {
            let db = connect(&settings).await?;
            let outcome = import_graduates(&db, &file, school, dry_run, mode).await;
            db.close().await;
            outcome
        }
        Command::Demo { postings, graduates, seed } => {
            let db = connect(&settings).await?;
            // Drawn on stderr, and only when it is a terminal.
            let bar = indicatif::ProgressBar::new((postings + graduates) as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg:18} [{bar:40.cyan/blue}] {human_pos}/{human_len} {rate} 剩余 {eta}",
                )?
                .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} rows/s", state.per_sec());
                })
                .progress_chars("=> "),
            );
            bar.set_message("准备 preparing");
            let started = std::time::Instant::now();
            let added = crate::demo::add_synthetic(&db, postings, graduates, seed, |what, n| {
                bar.set_message(what);
                bar.inc(n);
            })
            .await;
            bar.finish_and_clear();
            let (posted, graduated) = added?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "Added {posted} postings and {graduated} graduates (seed {seed}) in {seconds:.1} s ({:.0} rows/s).",
                (posted + graduated) as f64 / seconds.max(1e-9)
            );
            // Closing lets SQLite checkpoint its write-ahead log into the database file.
            db.close().await;
            Ok(())
        }
    }
}

/// `xiaoqi import graduates`: the import page's work from a terminal, with a progress bar
/// and the report printed.
pub async fn import_graduates(
    db: &Db,
    file: &std::path::Path,
    school: i64,
    dry_run: bool,
    mode: crate::domain::roster::ImportMode,
) -> anyhow::Result<()> {
    use crate::services::import::{self, Importer, Phase, Upload};
    match crate::store::organizations::kind_of(&mut db.read().await?, school).await? {
        Some(crate::domain::OrgKind::School) => {}
        Some(kind) => bail!("organisation {school} is a {kind}, not a school / 机构 {school} 不是学校"),
        None => bail!("there is no organisation {school} / 机构 {school} 不存在"),
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:20} [{bar:40.cyan/blue}] {human_pos}/{human_len} {per_sec}")?
            .progress_chars("=> "),
    );
    let progress: import::Progress = {
        let bar = bar.clone();
        std::sync::Arc::new(move |phase, done, total| {
            bar.set_message(match phase {
                Phase::Queued => "排队 queued",
                Phase::Reading => "读取 reading",
                Phase::Checking => "检查 checking",
                Phase::Writing => "写入 writing",
            });
            bar.set_length(total);
            bar.set_position(done);
        })
    };
    let started = std::time::Instant::now();
    let importer = Importer { school, user_id: None };
    let report = import::run(db, importer, Upload { file_name, bytes }, mode, dry_run, progress).await;
    bar.finish_and_clear();
    let report = report.map_err(|e| match e {
        crate::error::AppError::Validation(errors) | crate::error::AppError::Taken(errors) => anyhow::anyhow!(
            "{}",
            errors.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        ),
        crate::error::AppError::PayloadTooLarge => anyhow::anyhow!("{}", import::TOO_LARGE),
        other => anyhow::anyhow!(other),
    })?;
    for error in report.errors.iter().take(100) {
        let column = if error.column.is_empty() { String::new() } else { format!(" · {}", error.column) };
        println!("第{}行 row {}{column} · {}", error.row, error.row, error.message);
    }
    if report.errors_total > 100 {
        println!("… {} more / 另有 {} 处", report.errors_total - 100, report.errors_total - 100);
    }
    println!(
        "{}: {} new 新增, {} updated 更新, {} unchanged 无变化, {} invalid 有错误 ({:.1} s)",
        if dry_run {
            "Dry run 预览"
        } else if report.written {
            "Imported 已导入"
        } else {
            "Not imported 未导入"
        },
        report.new,
        report.updated,
        report.unchanged,
        report.invalid,
        started.elapsed().as_secs_f64()
    );
    if !dry_run && !report.written {
        bail!("rows are invalid and the mode is all_or_nothing: nothing was imported / 有错误的行，未导入任何数据");
    }
    Ok(())
}

async fn connect(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(settings.database_url.expose()).await?;
    db.migrate().await?;
    Ok(db)
}

/// Add an account from the command line.
pub async fn add_user(
    db: &Db,
    email: &str,
    role: Role,
    org: Option<i64>,
    password: &str,
) -> anyhow::Result<crate::domain::user::User> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("--email: {m}"))?;
    let password = Password::parse(password).map_err(|m| anyhow::anyhow!("password: {m}"))?;
    let organization_id = match (org, role) {
        (Some(id), _) => id,
        (None, Role::Coordinator) => crate::services::organizations::service_centre(db).await?,
        (None, _) => bail!("--org is required for {role} accounts"),
    };
    let new = NewUser { email, password, role, organization_id };
    crate::services::users::create_unchecked(db, &Passwords::default(), &new, None).await.map_err(|e| match e {
        crate::error::AppError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        ),
        other => anyhow::anyhow!(other),
    })
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    let db = app.state().db.clone();
    if demo {
        if crate::demo::load_once(&db).await? {
            println!("Demo data loaded. / 已载入演示数据。");
        } else {
            println!("Demo data was loaded before; not loading it again. / 演示数据已存在。");
        }
        crate::demo::print_logins();
    } else if store::users::count(&mut db.read().await?).await? == 0 {
        println!(
            "No accounts yet. Create the first coordinator:\n  \
             echo 'a-long-password' | xiaoqi user add --email you@example.cn --role coordinator --password-stdin\n\
             or start with demo data: xiaoqi serve --demo"
        );
    }
    let addr = app.local_addr();
    println!("xiaoqi listening on http://{addr} (API docs at http://{addr}/docs)");
    app.run().await
}

async fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    let (index, _) = crate::search::SearchIndex::open(&settings.index_dir)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} 重建索引 reindexing [{bar:40}] {pos}/{len} {per_sec} eta {eta}",
        )
        .expect("progress template")
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let n = index
        .rebuild(&db, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Indexed {n} documents in {seconds:.1} s ({:.0} docs/s) into {}.",
        n as f64 / seconds.max(1e-9),
        index.dir().display()
    );
    let started = std::time::Instant::now();
    index.merge_segments().await?;
    println!("Merged its segments into one in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(())
}

/// A `match` command that failed, with the process exit status it calls for: 2 for an unusable
/// input, 1 for anything else (a failed `--check`, an unwritable output).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct MatchFailure {
    pub status: u8,
    pub message: String,
}

/// Runs a `match` command synchronously: no runtime, database, index or logging.
pub fn run_match(command: &MatchCommand) -> Result<(), MatchFailure> {
    match command {
        MatchCommand::Solve { input, proposing, output, check } => {
            let bytes = std::fs::read(input)
                .map_err(|e| MatchFailure { status: 2, message: format!("reading {}: {e}", input.display()) })?;
            let named = NamedInstance::from_json_vec(bytes)
                .map_err(|e| MatchFailure { status: 2, message: format!("{}: {e}", input.display()) })?;
            let assignment = crate::matching::solve(named.instance(), *proposing);
            write_output(output.as_deref(), named.assignment_json(&assignment).as_bytes())?;
            if *check {
                check_assignment(&named, &assignment)?;
            }
            Ok(())
        }
        MatchCommand::Gen { graduates, postings, choices, seed, output } => {
            let named = crate::matching::random_instance(*graduates, *postings, *choices, *seed);
            write_output(output.as_deref(), named.to_json().as_bytes())
        }
    }
}

fn write_output(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), MatchFailure> {
    use std::io::Write;
    let written = match path {
        Some(path) => std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display())),
        None => std::io::stdout().lock().write_all(bytes).map_err(|e| format!("writing standard output: {e}")),
    };
    written.map_err(|message| MatchFailure { status: 1, message })
}

/// Reports on standard error what makes the assignment unstable or infeasible.
fn check_assignment(named: &NamedInstance, assignment: &crate::matching::Assignment) -> Result<(), MatchFailure> {
    const SHOWN: usize = 20;
    let (instance, graduates, postings) = (named.instance(), named.graduate_ids(), named.posting_ids());
    let infeasible = crate::matching::infeasibilities(instance, assignment);
    let blocking = crate::matching::blocking_pairs(instance, assignment);
    for problem in infeasible.iter().take(SHOWN) {
        eprintln!("infeasible: {}", serde_json::to_string(problem).unwrap_or_default());
    }
    for &(g, p) in blocking.iter().take(SHOWN) {
        eprintln!("blocking pair: graduate {:?} and posting {:?}", graduates[g as usize], postings[p as usize]);
    }
    let matched = assignment.posting_of.iter().flatten().count();
    eprintln!(
        "check: {} blocking pairs, {} infeasibilities ({matched} of {} graduates matched)",
        blocking.len(),
        infeasible.len(),
        graduates.len()
    );
    if blocking.is_empty() && infeasible.is_empty() {
        Ok(())
    } else {
        Err(MatchFailure { status: 1, message: "check failed: the assignment is not stable".to_string() })
    }
}
