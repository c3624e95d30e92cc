//! `XIAOQI_MAIL=smtp://user:pass@host:port?tls=…` read into a lettre transport.
//!
//! | `tls=` | meaning | default port |
//! |---|---|---|
//! | `none` | plain SMTP, no encryption (a relay on this machine or a trusted network) | 25 |
//! | `starttls` (alias `required`) | STARTTLS, refusing to go on without it | 587 |
//! | `opportunistic` | STARTTLS when the server offers it, plain otherwise | 587 |
//! | `tls` (alias `wrapper`) | implicit TLS from the first byte; also `smtps://` | 465 |
//!
//! Without `tls=`: `smtps://` means `tls`; `smtp://` means `starttls`, except for a
//! loopback host (localhost, 127.0.0.0/8, ::1), which means `none` — so a password never
//! crosses a network in clear unless the URL says so. User and password are optional and
//! percent-decoded; a path (`smtp://host/ehlo.name`) sets the EHLO name.
//!
//! `connections=N` (1–64, default 16) caps the connections kept open, and so the sends in
//! flight. Each connection carries one message at a time and, with lettre 0.11.23, waits
//! about 40 ms per message on a loopback relay (Nagle's algorithm meets the server's delayed
//! ACK: lettre writes the final `.` separately and does not set TCP_NODELAY; fixed upstream,
//! not yet released). So a local relay gives about 20 messages/s per connection; lower N
//! for a provider that limits concurrent connections.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, PoolConfig};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    None,
    StartTls,
    Opportunistic,
    Implicit,
}

/// What an SMTP URL says, before any connection is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub credentials: Option<(String, String)>,
    pub ehlo: Option<String>,
    pub connections: u32,
}

/// Connections kept open when the URL does not say (`connections=`).
pub const DEFAULT_CONNECTIONS: u32 = 16;

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<std::net::IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

fn decode(text: &str) -> Result<String, String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|t| t.into_owned())
        .map_err(|_| "user and password must be UTF-8 once percent-decoded".to_string())
}

impl SmtpUrl {
    pub fn parse(text: &str) -> Result<SmtpUrl, String> {
        let url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or("the URL names no host")?.to_string();
        let tls_param = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let tls = match (url.scheme(), tls_param.as_deref()) {
            ("smtps", None | Some("tls") | Some("wrapper")) => TlsMode::Implicit,
            ("smtps", Some(other)) => return Err(format!("smtps:// always uses TLS; tls={other} contradicts it")),
            ("smtp", Some("none")) => TlsMode::None,
            ("smtp", Some("starttls") | Some("required")) => TlsMode::StartTls,
            ("smtp", Some("opportunistic")) => TlsMode::Opportunistic,
            ("smtp", Some("tls") | Some("wrapper")) => TlsMode::Implicit,
            ("smtp", None) if is_loopback(&host) => TlsMode::None,
            ("smtp", None) => TlsMode::StartTls,
            ("smtp", Some(other)) => {
                return Err(format!("tls={other} is not one of none, starttls, opportunistic, tls"));
            }
            (scheme, _) => return Err(format!("scheme {scheme}:// is not smtp:// or smtps://")),
        };
        let port = url.port().unwrap_or(match tls {
            TlsMode::None => 25,
            TlsMode::StartTls | TlsMode::Opportunistic => 587,
            TlsMode::Implicit => 465,
        });
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, password) => Some((decode(user)?, decode(password.unwrap_or(""))?)),
        };
        let ehlo = Some(url.path().trim_matches('/')).filter(|p| !p.is_empty()).map(str::to_string);
        let connections = match url.query_pairs().find(|(k, _)| k == "connections") {
            None => DEFAULT_CONNECTIONS,
            Some((_, n)) => match n.parse::<u32>() {
                Ok(n) if (1..=64).contains(&n) => n,
                _ => return Err(format!("connections={n} is not a number from 1 to 64")),
            },
        };
        Ok(SmtpUrl { host, port, tls, credentials, ehlo, connections })
    }

    /// A pooled transport; `connect_timeout` bounds connecting and each command.
    pub fn transport(&self, connect_timeout: Duration) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let parameters = || TlsParameters::new(self.host.clone()).map_err(|e| format!("TLS set-up: {e}"));
        let tls = match self.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls => Tls::Required(parameters()?),
            TlsMode::Opportunistic => Tls::Opportunistic(parameters()?),
            TlsMode::Implicit => Tls::Wrapper(parameters()?),
        };
        let mut builder: AsyncSmtpTransportBuilder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
                .port(self.port)
                .tls(tls)
                .timeout(Some(connect_timeout))
                .pool_config(PoolConfig::new().max_size(self.connections).idle_timeout(Duration::from_secs(60)));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        if let Some(name) = &self.ehlo {
            builder = builder.hello_name(ClientId::Domain(name.clone()));
        }
        Ok(builder.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_names_and_lettres() {
        let u = SmtpUrl::parse("smtp://mailer:s%40cret@smtp.example.cn:2525?tls=starttls").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("smtp.example.cn", 2525, TlsMode::StartTls));
        assert_eq!(u.credentials, Some(("mailer".into(), "s@cret".into())));
        assert_eq!(SmtpUrl::parse("smtp://h?tls=required").unwrap().tls, TlsMode::StartTls);
        assert_eq!(SmtpUrl::parse("smtp://h?tls=none").unwrap().port, 25);
        assert_eq!(SmtpUrl::parse("smtp://h?tls=tls").unwrap().port, 465);
        assert_eq!(SmtpUrl::parse("smtps://h").unwrap().tls, TlsMode::Implicit);
        assert_eq!(SmtpUrl::parse("smtp://h/ehlo.example").unwrap().ehlo.as_deref(), Some("ehlo.example"));
        assert_eq!(SmtpUrl::parse("smtp://h").unwrap().credentials, None);
        assert_eq!(SmtpUrl::parse("smtp://h").unwrap().connections, DEFAULT_CONNECTIONS);
        assert_eq!(SmtpUrl::parse("smtp://h?tls=none&connections=3").unwrap().connections, 3);
    }

    #[test]
    fn plain_only_when_asked_or_on_this_machine() {
        let default = SmtpUrl::parse("smtp://user:pw@smtp.example.cn").unwrap();
        assert_eq!((default.tls, default.port), (TlsMode::StartTls, 587));
        assert_eq!(SmtpUrl::parse("smtp://127.0.0.1:2525").unwrap().tls, TlsMode::None);
        assert_eq!(SmtpUrl::parse("smtp://localhost").unwrap().port, 25);
        assert_eq!(SmtpUrl::parse("smtp://[::1]:2525").unwrap().tls, TlsMode::None);
    }

    #[test]
    fn refuses_what_it_cannot_honour() {
        assert!(SmtpUrl::parse("smtp://h?tls=maybe").unwrap_err().contains("tls=maybe"));
        assert!(SmtpUrl::parse("smtps://h?tls=none").is_err());
        assert!(SmtpUrl::parse("http://h").is_err());
        assert!(SmtpUrl::parse("smtp://").is_err());
        assert!(SmtpUrl::parse("smtp://h?connections=0").unwrap_err().contains("connections=0"));
    }
}
