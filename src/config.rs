//! Settings: command-line flags, then environment variables, then an optional
//! `xiaoqi.toml`, then defaults that serve a first run with nothing set.
//!
//! The environment names (`DATABASE_URL`, `XIAOQI_LISTEN`, `XIAOQI_METRICS_LISTEN`,
//! `XIAOQI_INDEX_DIR`, `XIAOQI_MAIL`, `XIAOQI_BASE_URL`, `XIAOQI_LOG_FORMAT`,
//! `XIAOQI_TRUSTED_PROXIES`) are part of the interface.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Settings as given by one source; `None` means "not set here".
#[derive(Debug, Default, Clone, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct SettingsLayer {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on
    #[arg(long, env = "XIAOQI_LISTEN")]
    pub listen: Option<String>,
    /// Address of the Prometheus `/metrics` listener (keep it private: loopback or an
    /// internal network)
    #[arg(long, env = "XIAOQI_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Directory of the search index
    #[arg(long, env = "XIAOQI_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
    /// Mail transport: file:DIR | smtp://user:pass@host:port?tls=… | stdout
    #[arg(long, env = "XIAOQI_MAIL", hide_env_values = true)]
    pub mail: Option<String>,
    /// Public base URL, for links in e-mails
    #[arg(long, env = "XIAOQI_BASE_URL")]
    pub base_url: Option<String>,
    /// Log format: text or json
    #[arg(long, env = "XIAOQI_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Lifetime of API tokens, in hours
    #[arg(long, env = "XIAOQI_TOKEN_TTL_HOURS")]
    pub token_ttl_hours: Option<u64>,
    /// How long a verified token is trusted without asking the database again, in seconds
    /// (default 5; 0: every request asks). A revocation on this node applies at once; one on
    /// another node within this long
    #[arg(long, env = "XIAOQI_TOKEN_CACHE_SECONDS")]
    pub token_cache_seconds: Option<u64>,
    /// Sender of e-mails, e.g. "肇庆新区人才服务中心 <noreply@xinqu.gov.cn>"
    #[arg(long, env = "XIAOQI_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Hours before an event's start when reminders go out, comma-separated (default 72,24)
    #[arg(long, env = "XIAOQI_REMINDER_HOURS")]
    pub reminder_hours: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client, comma-separated IPs or
    /// CIDRs (default: none, the header is never read)
    #[arg(long, env = "XIAOQI_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    /// Anonymous searches per client address: `PER_SECOND,BURST` (default 10,30), or `off`
    #[arg(long, env = "XIAOQI_SEARCH_RATE")]
    pub search_rate: Option<String>,
    /// Searches run at once (default: the number of CPU cores)
    #[arg(long, env = "XIAOQI_SEARCH_THREADS")]
    pub search_threads: Option<usize>,
    /// Searches that may wait for a free search thread before the rest are refused with 503 (default 64)
    #[arg(long, env = "XIAOQI_SEARCH_QUEUE")]
    pub search_queue: Option<usize>,
    /// Readiness (`/readyz`) fails when search lags the database by more than this many
    /// seconds (default 30)
    #[arg(long, env = "XIAOQI_SEARCH_MAX_LAG_SECONDS")]
    pub search_max_lag_seconds: Option<u64>,
    /// How long a request waits for a database connection (the SQLite writer included)
    /// before it is answered 503 with Retry-After, in milliseconds (default 10000)
    #[arg(long, env = "XIAOQI_DB_WAIT_MS")]
    pub db_wait_ms: Option<u64>,
    /// Rows a matching round's results are saved in per transaction (default 2000), so
    /// other writers get the database in between
    #[arg(long, env = "XIAOQI_ROUND_SAVE_ROWS")]
    pub round_save_rows: Option<usize>,
    /// Keep the search index following the database (off only in tests that simulate a
    /// crash between the database commit and the index commit).
    #[arg(skip)]
    #[serde(skip)]
    pub follow_changes: Option<bool>,
}

impl SettingsLayer {
    /// Fill what this layer leaves unset from `lower`.
    pub fn or(self, lower: SettingsLayer) -> SettingsLayer {
        SettingsLayer {
            database_url: self.database_url.or(lower.database_url),
            listen: self.listen.or(lower.listen),
            metrics_listen: self.metrics_listen.or(lower.metrics_listen),
            index_dir: self.index_dir.or(lower.index_dir),
            mail: self.mail.or(lower.mail),
            base_url: self.base_url.or(lower.base_url),
            log_format: self.log_format.or(lower.log_format),
            token_ttl_hours: self.token_ttl_hours.or(lower.token_ttl_hours),
            token_cache_seconds: self.token_cache_seconds.or(lower.token_cache_seconds),
            mail_from: self.mail_from.or(lower.mail_from),
            reminder_hours: self.reminder_hours.or(lower.reminder_hours),
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
            search_rate: self.search_rate.or(lower.search_rate),
            search_threads: self.search_threads.or(lower.search_threads),
            search_queue: self.search_queue.or(lower.search_queue),
            search_max_lag_seconds: self.search_max_lag_seconds.or(lower.search_max_lag_seconds),
            db_wait_ms: self.db_wait_ms.or(lower.db_wait_ms),
            round_save_rows: self.round_save_rows.or(lower.round_save_rows),
            follow_changes: self.follow_changes.or(lower.follow_changes),
        }
    }

    /// Read a `xiaoqi.toml`; a missing file is an empty layer.
    pub fn from_file(path: &Path) -> anyhow::Result<SettingsLayer> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).with_context(|| format!("reading {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SettingsLayer::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
}

/// A URL that may carry a password; `Debug` and `Display` hide it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The URL with any password replaced by `***`, and without its query (query
    /// strings may carry secrets too, e.g. `?password=`).
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        let without_query = |text: &str| text.split(['?', '#']).next().unwrap_or("").to_string();
        // A password written unencoded may hold any of `/ ? # @ :`, so the user
        // information runs to the last `@`, and all of it after the user name is hidden.
        // (An `@` in the query then hides the host too: showing less is the safe mistake.)
        match rest.rsplit_once('@') {
            Some((userinfo, host_and_path)) => {
                let (user, secret) = userinfo.split_at(userinfo.find([':', '/', '?', '#']).unwrap_or(userinfo.len()));
                let masked = if secret.is_empty() { user.to_string() } else { format!("{user}:***") };
                format!("{scheme}://{masked}@{}", without_query(host_and_path))
            }
            None => format!("{scheme}://{}", without_query(rest)),
        }
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}
impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Where e-mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// One `.eml` file per message in this directory (the embedded default).
    Files(PathBuf),
    Smtp(SecretUrl),
    Stdout,
}

impl MailTransport {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        if let Some(dir) = text.strip_prefix("file:") {
            if dir.is_empty() {
                bail!("XIAOQI_MAIL=file: needs a directory, e.g. file:data/mail");
            }
            Ok(MailTransport::Files(PathBuf::from(dir)))
        } else if text.starts_with("smtp://") || text.starts_with("smtps://") {
            Ok(MailTransport::Smtp(SecretUrl::new(text)))
        } else if text == "stdout" {
            Ok(MailTransport::Stdout)
        } else {
            bail!("XIAOQI_MAIL must be file:DIR, smtp://… or stdout")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The resolved settings the service runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: SecretUrl,
    pub listen: SocketAddr,
    /// Where `/metrics` is served, apart from the public API.
    pub metrics_listen: SocketAddr,
    pub index_dir: PathBuf,
    pub mail: MailTransport,
    pub base_url: String,
    pub log_format: LogFormat,
    pub token_ttl: Duration,
    /// How long a verified token is trusted before the database is asked again.
    pub token_cache: Duration,
    pub follow_changes: bool,
    /// Search further behind the database than this is not ready (`/readyz` 503).
    pub search_max_lag: Duration,
    /// The From of e-mails.
    pub mail_from: String,
    /// When reminders go out, before an event's start.
    pub reminder_offsets: Vec<chrono::Duration>,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
    /// Anonymous searches per client address: (per second, burst); `None`: no limit.
    pub search_rate: Option<(f64, u32)>,
    /// Searches run at once, and how many more may wait.
    pub search_threads: usize,
    pub search_queue: usize,
    /// The longest wait for a database connection before a 503.
    pub db_wait: Duration,
    /// Rows per transaction when a round's results are saved.
    pub round_save_rows: usize,
}

/// The reverse proxies in front of the service (`XIAOQI_TRUSTED_PROXIES`): only a request
/// whose TCP peer is one of them may name its client in `X-Forwarded-For`, since anyone
/// else could write any address there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// `10.0.0.1, 10.1.0.0/16, ::1`: addresses and CIDR blocks, comma-separated.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        text.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<ipnet::IpNet>().or_else(|_| t.parse::<IpAddr>().map(ipnet::IpNet::from)).map_err(|_| {
                    anyhow::anyhow!(
                        "XIAOQI_TRUSTED_PROXIES must be IP addresses or CIDR blocks, comma-separated, e.g. 10.0.0.1,10.1.0.0/16 (got `{t}`)"
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/xiaoqi.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";
/// Tens of milliseconds of writing: what a sign-in may wait behind a round being saved.
pub const DEFAULT_ROUND_SAVE_ROWS: usize = 2_000;

impl Settings {
    pub fn resolve(layer: SettingsLayer) -> anyhow::Result<Settings> {
        let database_url = layer.database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if crate::store::Backend::of_url(&database_url).is_none() {
            bail!("DATABASE_URL must start with sqlite: or postgres://");
        }
        let listen = parse_address("XIAOQI_LISTEN", layer.listen.as_deref().unwrap_or(DEFAULT_LISTEN))?;
        let metrics_listen =
            parse_address("XIAOQI_METRICS_LISTEN", layer.metrics_listen.as_deref().unwrap_or(DEFAULT_METRICS_LISTEN))?;
        let mail = MailTransport::parse(layer.mail.as_deref().unwrap_or("file:data/mail"))?;
        let base_url = layer.base_url.unwrap_or_else(|| format!("http://{listen}")).trim_end_matches('/').to_string();
        let log_format = match layer.log_format.as_deref() {
            None | Some("text") | Some("") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("XIAOQI_LOG_FORMAT must be text or json, not `{other}`"),
        };
        let hours = layer.token_ttl_hours.unwrap_or(12);
        if hours == 0 {
            bail!("XIAOQI_TOKEN_TTL_HOURS must be at least 1");
        }
        let mail_from = layer.mail_from.unwrap_or_else(|| format!("xiaoqi 校企 <noreply@{}>", host_of(&base_url)));
        let reminder_offsets = parse_hours(layer.reminder_hours.as_deref().unwrap_or("72,24"))?;
        let trusted_proxies = TrustedProxies::parse(layer.trusted_proxies.as_deref().unwrap_or(""))?;
        let search_rate = parse_rate(layer.search_rate.as_deref().unwrap_or("10,30"))?;
        let search_threads = match layer.search_threads {
            Some(0) => bail!("XIAOQI_SEARCH_THREADS must be at least 1"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(2, |n| n.get()),
        };
        let search_max_lag = layer.search_max_lag_seconds.unwrap_or(30);
        if search_max_lag == 0 {
            bail!("XIAOQI_SEARCH_MAX_LAG_SECONDS must be at least 1");
        }
        let db_wait = Duration::from_millis(layer.db_wait_ms.unwrap_or(crate::store::DEFAULT_WAIT.as_millis() as u64));
        if db_wait.is_zero() {
            bail!("XIAOQI_DB_WAIT_MS must be at least 1");
        }
        let round_save_rows = layer.round_save_rows.unwrap_or(DEFAULT_ROUND_SAVE_ROWS);
        if round_save_rows == 0 {
            bail!("XIAOQI_ROUND_SAVE_ROWS must be at least 1");
        }
        Ok(Settings {
            database_url: SecretUrl::new(database_url),
            listen,
            metrics_listen,
            index_dir: layer.index_dir.unwrap_or_else(|| PathBuf::from("index")),
            mail,
            base_url,
            log_format,
            token_ttl: Duration::from_secs(hours * 3600),
            token_cache: Duration::from_secs(layer.token_cache_seconds.unwrap_or(5)),
            follow_changes: layer.follow_changes.unwrap_or(true),
            search_max_lag: Duration::from_secs(search_max_lag),
            mail_from,
            reminder_offsets,
            trusted_proxies,
            search_rate,
            search_threads,
            search_queue: layer.search_queue.unwrap_or(64),
            db_wait,
            round_save_rows,
        })
    }
}

fn parse_address(name: &str, text: &str) -> anyhow::Result<SocketAddr> {
    text.parse().with_context(|| format!("{name} `{text}` is not an address like 127.0.0.1:8080"))
}

/// The host of the public base URL (lower-cased; `localhost` when there is none): the
/// domain of the default sender, of Message-IDs and of calendar UIDs.
pub fn host_of(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `72,24` → 72 h and 24 h; each between 1 and 720 hours (30 days).
fn parse_hours(text: &str) -> anyhow::Result<Vec<chrono::Duration>> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.parse::<i64>() {
            Ok(h) if (1..=720).contains(&h) => Ok(chrono::Duration::hours(h)),
            _ => {
                bail!("XIAOQI_REMINDER_HOURS must be hours between 1 and 720, comma-separated, e.g. 72,24 (got `{t}`)")
            }
        })
        .collect()
}

/// `10,30` → 10 a second, 30 at once; `off` → no limit.
fn parse_rate(text: &str) -> anyhow::Result<Option<(f64, u32)>> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let parsed = text.split_once(',').and_then(|(rate, burst)| {
        let rate: f64 = rate.trim().parse().ok()?;
        let burst: u32 = burst.trim().parse().ok()?;
        (rate.is_finite() && rate > 0.0 && burst >= 1).then_some((rate, burst))
    });
    match parsed {
        Some(limit) => Ok(Some(limit)),
        None => bail!("XIAOQI_SEARCH_RATE must be PER_SECOND,BURST (e.g. 10,30) or off (got `{text}`)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let layer = SettingsLayer {
            database_url: Some("postgres://app:hunter2@db.internal:5432/xiaoqi?sslmode=require".into()),
            mail: Some("smtp://mailer:s3cret@smtp.example.cn:587?tls=required".into()),
            ..Default::default()
        };
        let settings = Settings::resolve(layer).unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.internal") && shown.contains("smtp.example.cn"), "{shown}");
    }

    #[test]
    fn passwords_with_url_delimiters_stay_hidden() {
        for password in ["pa/ss", "p@ss", "p:ss", "p?ss", "p#ss", "a/b@c:d?e#f"] {
            for url in [
                format!("postgres://app:{password}@db.internal:5432/xiaoqi?sslmode=require"),
                format!("smtp://mailer:{password}@smtp.example.cn:587"),
            ] {
                let secret = SecretUrl::new(url);
                for shown in [format!("{secret:?}"), secret.to_string()] {
                    assert!(!shown.contains(password), "{password}: {shown}");
                    assert!(shown.contains(":***@"), "{password}: {shown}");
                    assert!(shown.contains(".example.cn:587") || shown.contains("db.internal:5432/xiaoqi"), "{shown}");
                }
            }
        }
        assert_eq!(SecretUrl::new("postgres://app@db/x?password=p").to_string(), "postgres://app@db/x");
        assert_eq!(SecretUrl::new("sqlite://data/xiaoqi.db").to_string(), "sqlite://data/xiaoqi.db");
    }

    #[test]
    fn flags_override_environment_override_file() {
        let flag = SettingsLayer { listen: Some("127.0.0.1:9001".into()), ..Default::default() };
        let file = SettingsLayer {
            listen: Some("127.0.0.1:9002".into()),
            index_dir: Some("/srv/index".into()),
            ..Default::default()
        };
        let settings = Settings::resolve(flag.or(file)).unwrap();
        assert_eq!(settings.listen.port(), 9001);
        assert_eq!(settings.index_dir, PathBuf::from("/srv/index"));
        assert_eq!(settings.database_url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(settings.mail, MailTransport::Files("data/mail".into()));
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let bad = SettingsLayer { database_url: Some("mysql://x".into()), ..Default::default() };
        assert!(Settings::resolve(bad).unwrap_err().to_string().contains("DATABASE_URL"));
        let bad = SettingsLayer { mail: Some("carrier-pigeon".into()), ..Default::default() };
        assert!(Settings::resolve(bad).unwrap_err().to_string().contains("XIAOQI_MAIL"));
        let bad = SettingsLayer { trusted_proxies: Some("10.0.0.1, proxy.internal".into()), ..Default::default() };
        assert!(Settings::resolve(bad).unwrap_err().to_string().contains("XIAOQI_TRUSTED_PROXIES"));
    }

    #[test]
    fn trusted_proxies_are_addresses_and_blocks() {
        let none = Settings::resolve(SettingsLayer::default()).unwrap().trusted_proxies;
        assert!(!none.contains("127.0.0.1".parse().unwrap()), "nothing is trusted by default");
        let trusted = TrustedProxies::parse(" 10.0.0.1 , 172.16.0.0/12,fd00::/8,").unwrap();
        for ip in ["10.0.0.1", "172.31.255.9", "fd00::5", "::ffff:10.0.0.1"] {
            assert!(trusted.contains(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["10.0.0.2", "172.32.0.1", "fe80::1", "127.0.0.1"] {
            assert!(!trusted.contains(ip.parse().unwrap()), "{ip}");
        }
        let bad = SettingsLayer { search_rate: Some("fast".into()), ..Default::default() };
        assert!(Settings::resolve(bad).unwrap_err().to_string().contains("XIAOQI_SEARCH_RATE"));
    }
}
