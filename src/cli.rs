//! The `xiaoqi` command line.

use crate::config::{Settings, SettingsLayer};
use crate::domain::user::{NewUser, Password};
use crate::domain::{Email, Role};
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
    let new = NewUser { email, password, role, organization_id: Some(organization_id) };
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
    Ok(())
}
