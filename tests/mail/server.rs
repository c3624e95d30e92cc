//! A real SMTP server inside the test process: TCP on 127.0.0.1, the protocol from the
//! `mailin` crate (a maintained SMTP server state machine), messages kept in memory.

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder, response};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// One message as the server took it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn parse(&self) -> mail_parser::Message<'static> {
        mail_parser::MessageParser::default().parse(&self.data).expect("a parsable message").into_owned()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Require AUTH PLAIN/LOGIN with this user and password.
    pub credentials: Option<(String, String)>,
    /// Refuse recipients whose address contains this text (550).
    pub reject_containing: Option<String>,
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    tasks: Arc<Mutex<JoinSet<()>>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        SmtpServer::start_with(0, Config::default()).await
    }

    /// Listen on `port` (0: any free port).
    pub async fn start_with(port: u16, config: Config) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind the test SMTP server");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let tasks = Arc::new(Mutex::new(JoinSet::new()));
        let (store, children) = (received.clone(), tasks.clone());
        tasks.lock().unwrap().spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else { return };
                let handler = Collect { config: config.clone(), store: store.clone(), current: None };
                let config = config.clone();
                children.lock().unwrap().spawn(async move {
                    let _ = serve(stream, peer.ip(), handler, &config).await;
                });
            }
        });
        SmtpServer { addr, received, tasks }
    }

    /// `smtp://127.0.0.1:PORT?tls=none`, for the mailer.
    pub fn url(&self) -> String {
        format!("smtp://{}?tls=none", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Close the port and every open connection.
    pub fn stop(&self) {
        self.tasks.lock().unwrap().abort_all();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(stream: TcpStream, peer: IpAddr, handler: Collect, config: &Config) -> std::io::Result<()> {
    let mut builder = SessionBuilder::new("mail.test");
    if config.credentials.is_some() {
        // Plain-text AUTH over a connection without TLS: acceptable on loopback in a test.
        builder.enable_auth(AuthMechanism::Plain).enable_auth(AuthMechanism::Login).insecure_enable_plaintext_auth();
    }
    let mut session = builder.build(peer, handler);
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(&session.greeting().buffer()?).await?;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let reply = session.process(&line);
        match reply.action {
            Action::Reply => writer.write_all(&reply.buffer()?).await?,
            Action::Close => {
                writer.write_all(&reply.buffer()?).await?;
                return Ok(());
            }
            Action::UpgradeTls => return Ok(()),
            Action::NoReply => {}
        }
    }
}

struct Collect {
    config: Config,
    store: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Collect {
    fn rcpt(&mut self, to: &str) -> Response {
        match &self.config.reject_containing {
            Some(bad) if to.contains(bad.as_str()) => response::NO_MAILBOX,
            _ => response::OK,
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received { from: from.to_string(), to: to.to_vec(), data: Vec::new() });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = self.current.as_mut() {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(done) = self.current.take() {
            self.store.lock().unwrap().push(done);
        }
        response::OK
    }

    fn auth_plain(&mut self, _authorization_id: &str, user: &str, password: &str) -> Response {
        self.check(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.check(user, password)
    }
}

impl Collect {
    fn check(&self, user: &str, password: &str) -> Response {
        match &self.config.credentials {
            Some((u, p)) if u == user && p == password => response::AUTH_OK,
            _ => response::INVALID_CREDENTIALS,
        }
    }
}

/// A server that accepts connections and then never says a word (pitfall: a send without
/// its own timeout would wait forever).
pub struct SilentServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl SilentServer {
    pub async fn start() -> SilentServer {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        SilentServer { addr, task }
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
