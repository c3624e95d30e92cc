//! The load half of `bench/hardening.sh`: N connections for S seconds against a running
//! server holding the demo data, a mix of searches, reads, writes and sign-ins; then every
//! acknowledged write is read back. Prints markdown tables; with `--log FILE` also one line
//! per request (`unix_ms kind status latency_ms`) for the fault timelines.
//!
//!   cargo run --release --example hardening_load -- --base http://127.0.0.1:8080 \
//!     --seconds 60 --connections 64 [--label sqlite] [--log FILE]
//!
//! The mix is `XIAOQI_HARDENING_MIX` (default `search=45,read=30,write=20,signin=5`). Demo
//! accounts (password `xiaoqi-demo-2026`) sign in once at the start for the writes and
//! signed-in searches; `signin` requests then sign in again, spread over every account.
//! 429s are counted apart: rate limits are not errors. Transport failures (no answer within
//! 30 s, connection refused) count as errors beside 5xx.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PASSWORD: &str = "xiaoqi-demo-2026";
/// The demo's companies and schools (src/demo/data.rs): hr@{slug}.demo, jiuye@{slug}.demo.
const COMPANIES: &[&str] = &["aoshikang", "weizhenni", "quanxin", "sihai", "huaqiu", "yuzhou", "siwo", "chengjian"];
const SCHOOLS: &[&str] = &["zqjsxy", "zqgm", "shzz", "zqgszy", "zqkj", "gdgszy", "zqu"];
/// Search words, one or two at a time: distinct queries rather than one cached page.
const TERMS: &str = "操作工 数控 电工 仓管 电子 焊工 宿舍 技术员 质检 叉车 工程师 肇庆新区 机电一体化 设备维修 \
                     五险一金 两班倒 物流 半导体 SMT PLC CNC 包吃住 储能 汽车";
const SORTS: &[&str] = &["relevance", "newest", "salary"];
const KINDS: [&str; 4] = ["search", "read", "write", "signin"];

struct Options {
    base: String,
    seconds: u64,
    connections: usize,
    label: String,
    log: Option<String>,
    mix: [u32; 4],
    forwarded_for: bool,
}

fn options() -> Options {
    let mut o = Options {
        base: "http://127.0.0.1:8080".into(),
        seconds: 60,
        connections: 64,
        label: "server".into(),
        log: None,
        mix: [45, 30, 20, 5],
        forwarded_for: std::env::var("XIAOQI_HARDENING_XFF").is_ok_and(|v| v == "1"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--base" => o.base = value,
            "--seconds" => o.seconds = value.parse().expect("--seconds N"),
            "--connections" => o.connections = value.parse().expect("--connections N"),
            "--label" => o.label = value,
            "--log" => o.log = Some(value),
            other => panic!("unknown argument {other}"),
        }
    }
    if let Ok(mix) = std::env::var("XIAOQI_HARDENING_MIX") {
        for part in mix.split(',') {
            let (name, weight) = part.split_once('=').expect("XIAOQI_HARDENING_MIX: kind=weight,…");
            let i = KINDS.iter().position(|k| *k == name.trim()).expect("kinds: search, read, write, signin");
            o.mix[i] = weight.trim().parse().expect("weight");
        }
    }
    o
}

/// One answer: which kind, its status (0: no answer), how long it took.
struct Sample {
    kind: usize,
    status: u16,
    millis: f64,
    at_ms: u128,
}

/// A write the server acknowledged, and what reading it back must show.
enum Acked {
    /// `maybe`: an update that got no answer (or a 5xx) may have been applied, or not.
    Posting {
        id: i64,
        token: String,
        title: String,
        salary_min: i64,
        maybe: Option<(String, i64)>,
    },
    Graduate {
        id: i64,
        token: String,
        name: String,
        student_no: String,
    },
}

/// A posting this connection created: id, last acknowledged title and salary floor, and an
/// update that may or may not have been applied.
type OwnPosting = (i64, String, i64, Option<(String, i64)>);

struct Shared {
    base: String,
    client: Client,
    company_tokens: Vec<String>,
    school_tokens: Vec<String>,
    posting_ids: Vec<i64>,
    run: u64,
    forwarded_for: bool,
}

fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis()
}

async fn sign_in(client: &Client, base: &str, email: &str) -> Option<String> {
    let reply = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .ok()?;
    if !reply.status().is_success() {
        eprintln!("sign-in of {email}: {}", reply.status());
        return None;
    }
    reply.json::<Value>().await.ok()?["token"].as_str().map(str::to_string)
}

/// Sends one request; the status (0 when there was no answer, or the body broke off) and
/// the JSON body of a 2xx. Every body is read to its end, so the connection is kept.
async fn send(request: reqwest::RequestBuilder) -> (u16, Option<Value>) {
    let Ok(reply) = request.send().await else { return (0, None) };
    let status = reply.status();
    match reply.bytes().await {
        Ok(bytes) if status.is_success() => (status.as_u16(), serde_json::from_slice(&bytes).ok()),
        Ok(_) => (status.as_u16(), None),
        Err(_) => (0, None),
    }
}

/// One connection's loop: picks a kind by the mix, sends it, records the sample.
async fn worker(
    shared: Arc<Shared>,
    me: usize,
    mix: [u32; 4],
    until: Instant,
    samples: Arc<Mutex<Vec<Sample>>>,
    acked: Arc<Mutex<Vec<Acked>>>,
) {
    let mut rng = StdRng::seed_from_u64(shared.run ^ (me as u64 * 7919));
    let total: u32 = mix.iter().sum();
    let company = shared.company_tokens[me % shared.company_tokens.len()].clone();
    let school = shared.school_tokens[me % shared.school_tokens.len()].clone();
    // This connection's own postings: updates go only to them, one at a time, so the last
    // acknowledged update is what must be read back.
    let mut own: Vec<OwnPosting> = Vec::new();
    let mut n = 0u64;
    let client_address = format!("198.51.100.{}", 1 + me % 250);
    let terms: Vec<&str> = TERMS.split_whitespace().collect();
    while Instant::now() < until {
        n += 1;
        let mut pick = rng.random_range(0..total);
        let kind = (0..4)
            .find(|&k| {
                if pick < mix[k] {
                    true
                } else {
                    pick -= mix[k];
                    false
                }
            })
            .unwrap_or(0);
        let base = &shared.base;
        let c = &shared.client;
        let started = Instant::now();
        let (status, ack) = match kind {
            0 => {
                let term = terms[rng.random_range(0..terms.len())];
                let second = terms[rng.random_range(0..terms.len())];
                let q = if rng.random_bool(0.3) { format!("{term} {second}") } else { term.to_string() };
                let salary = [0, 3000, 4000, 4500, 5000, 6000][rng.random_range(0..6)];
                let page = rng.random_range(1..=5);
                let sort = SORTS[rng.random_range(0..SORTS.len())];
                let mut request = c.get(format!("{base}/api/v1/postings")).query(&[
                    ("q", q.as_str()),
                    ("salary_min", &salary.to_string()),
                    ("page", &page.to_string()),
                    ("sort", sort),
                ]);
                // Half the searches are signed in (companies and schools search too), so an
                // anonymous-search rate limit leaves part of the mix unlimited.
                if rng.random_bool(0.5) {
                    request = request.bearer_auth(if rng.random_bool(0.5) { &company } else { &school });
                }
                (send(request).await.0, None)
            }
            1 => {
                if rng.random_bool(0.6) {
                    let id = shared.posting_ids[rng.random_range(0..shared.posting_ids.len())];
                    (send(c.get(format!("{base}/api/v1/postings/{id}"))).await.0, None)
                } else {
                    let page = rng.random_range(1..=3);
                    let url = format!("{base}/api/v1/graduates?page={page}&per_page=20");
                    (send(c.get(url).bearer_auth(&school)).await.0, None)
                }
            }
            2 => {
                let roll = rng.random_range(0..3);
                if roll == 0 && !own.is_empty() {
                    let i = rng.random_range(0..own.len());
                    let id = own[i].0;
                    let title = format!("压测岗位 {}-{me}-{n} 更新", shared.run);
                    let salary_min = rng.random_range(30..=60) * 100;
                    let (status, body) = send(
                        c.patch(format!("{base}/api/v1/postings/{id}"))
                            .bearer_auth(&company)
                            .json(&json!({"title": title, "salary_min": salary_min})),
                    )
                    .await;
                    if body.is_some() {
                        own[i] = (id, title, salary_min, None);
                    } else if status == 0 || status >= 500 {
                        own[i].3 = Some((title, salary_min));
                    }
                    (status, None)
                } else if roll == 1 || own.is_empty() {
                    let title = format!("压测岗位 {}-{me}-{n}", shared.run);
                    let salary_min = rng.random_range(30..=60) * 100;
                    let (status, body) = send(c.post(format!("{base}/api/v1/postings")).bearer_auth(&company).json(&json!({
                        "title": title, "description": "压测写入：负责设备操作，两班倒，包吃住。", "category": "operator",
                        "majors": ["机电一体化"], "education_min": "secondary_vocational", "headcount": 5,
                        "salary_min": salary_min, "salary_max": 6500, "location": "肇庆新区",
                        "benefits": ["dormitory"], "status": "open"
                    })))
                    .await;
                    if let Some(id) = body.as_ref().and_then(|b| b["id"].as_i64()) {
                        own.push((id, title, salary_min, None));
                    }
                    (status, None)
                } else {
                    let name = format!("压测{me}号{n}");
                    let student_no = format!("HB{}{me:03}{n:06}", shared.run % 100_000);
                    let (status, body) =
                        send(c.post(format!("{base}/api/v1/graduates")).bearer_auth(&school).json(&json!({
                            "name": name, "student_no": student_no, "major": "机电一体化", "education": "associate",
                            "graduation_year": 2026, "skills": ["PLC"], "consent": true
                        })))
                        .await;
                    let ack = body.as_ref().and_then(|b| b["id"].as_i64()).map(|id| Acked::Graduate {
                        id,
                        token: school.clone(),
                        name,
                        student_no,
                    });
                    (status, ack)
                }
            }
            _ => {
                let email = if rng.random_bool(0.5) {
                    format!("hr@{}.demo", COMPANIES[rng.random_range(0..COMPANIES.len())])
                } else {
                    format!("jiuye@{}.demo", SCHOOLS[rng.random_range(0..SCHOOLS.len())])
                };
                let mut request =
                    c.post(format!("{base}/api/v1/auth/token")).json(&json!({"email": email, "password": PASSWORD}));
                if shared.forwarded_for {
                    request = request.header("x-forwarded-for", &client_address);
                }
                (send(request).await.0, None)
            }
        };
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        samples.lock().unwrap().push(Sample { kind, status, millis, at_ms: now_ms() });
        if let Some(ack) = ack {
            acked.lock().unwrap().push(ack);
        }
    }
    let mut acked = acked.lock().unwrap();
    for (id, title, salary_min, maybe) in own {
        acked.push(Acked::Posting { id, token: company.clone(), title, salary_min, maybe });
    }
}

/// Reads every acknowledged write back: (checked, missing, different, unreadable).
async fn read_back(shared: &Shared, acked: &[Acked]) -> (usize, usize, usize, usize) {
    let (mut missing, mut different, mut unreadable) = (0, 0, 0);
    for ack in acked {
        let (url, token) = match ack {
            Acked::Posting { id, token, .. } => (format!("{}/api/v1/postings/{id}", shared.base), token),
            Acked::Graduate { id, token, .. } => (format!("{}/api/v1/graduates/{id}", shared.base), token),
        };
        let mut answer = None;
        for _ in 0..5 {
            match shared.client.get(&url).bearer_auth(token).send().await {
                Ok(reply) if reply.status() == StatusCode::NOT_FOUND => {
                    answer = Some(None);
                    break;
                }
                Ok(reply) if reply.status().is_success() => {
                    answer = Some(reply.json::<Value>().await.ok());
                    break;
                }
                _ => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        }
        match answer {
            None => unreadable += 1,
            Some(None) => missing += 1,
            Some(Some(body)) => {
                let same = match ack {
                    Acked::Posting { title, salary_min, maybe, .. } => {
                        let is = |t: &String, s: &i64| body["title"] == json!(t) && body["salary_min"] == json!(s);
                        is(title, salary_min) || maybe.as_ref().is_some_and(|(t, s)| is(t, s))
                    }
                    Acked::Graduate { name, student_no, .. } => {
                        body["name"] == json!(name) && body["student_no"] == json!(student_no)
                    }
                };
                if !same {
                    different += 1;
                }
            }
        }
    }
    (acked.len(), missing, different, unreadable)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let o = options();
    let client = Client::builder()
        .pool_max_idle_per_host(o.connections)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client");
    let mut company_tokens = Vec::new();
    for slug in COMPANIES {
        company_tokens.extend(sign_in(&client, &o.base, &format!("hr@{slug}.demo")).await);
    }
    let mut school_tokens = Vec::new();
    for slug in SCHOOLS {
        school_tokens.extend(sign_in(&client, &o.base, &format!("jiuye@{slug}.demo")).await);
    }
    assert!(
        !company_tokens.is_empty() && !school_tokens.is_empty(),
        "no demo company or school could sign in: is the server running with the demo data?"
    );
    let listing: Value = client
        .get(format!("{}/api/v1/postings?per_page=100&sort=newest", o.base))
        .send()
        .await
        .expect("listing postings")
        .json()
        .await
        .expect("listing JSON");
    let posting_ids: Vec<i64> =
        listing["items"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_i64()).collect();
    assert!(!posting_ids.is_empty(), "no open postings to read");
    let shared = Arc::new(Shared {
        base: o.base.clone(),
        client,
        company_tokens,
        school_tokens,
        posting_ids,
        run: (now_ms() / 1000) as u64,
        forwarded_for: o.forwarded_for,
    });
    let samples = Arc::new(Mutex::new(Vec::with_capacity(1 << 20)));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let until = started + Duration::from_secs(o.seconds);
    let mut tasks = Vec::new();
    for me in 0..o.connections {
        tasks.push(tokio::spawn(worker(shared.clone(), me, o.mix, until, samples.clone(), acked.clone())));
    }
    for task in tasks {
        task.await.expect("worker");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let samples = std::mem::take(&mut *samples.lock().unwrap());
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    if let Some(path) = &o.log {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("log file"));
        for s in &samples {
            writeln!(file, "{} {} {} {:.2}", s.at_ms, KINDS[s.kind], s.status, s.millis).expect("log");
        }
    }

    println!(
        "### Load · {} · {} connections · {:.0} s · {} requests ({:.0}/s)",
        o.label,
        o.connections,
        elapsed,
        samples.len(),
        samples.len() as f64 / elapsed
    );
    println!();
    println!("| kind | requests | 2xx | 4xx (not 429) | 429 | 5xx | no answer | p50 ms | p99 ms | statuses |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut server_errors = 0;
    for (k, name) in KINDS.iter().enumerate() {
        let of_kind: Vec<&Sample> = samples.iter().filter(|s| s.kind == k).collect();
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        for s in &of_kind {
            *statuses.entry(s.status).or_default() += 1;
        }
        let count = |f: &dyn Fn(u16) -> bool| statuses.iter().filter(|(s, _)| f(**s)).map(|(_, n)| n).sum::<usize>();
        let fivexx = count(&|s| s >= 500);
        server_errors += fivexx + count(&|s| s == 0);
        let mut times: Vec<f64> = of_kind.iter().filter(|s| s.status != 0).map(|s| s.millis).collect();
        times.sort_by(f64::total_cmp);
        let listed: Vec<String> = statuses
            .iter()
            .map(|(s, n)| format!("{}×{n}", if *s == 0 { "none".into() } else { s.to_string() }))
            .collect();
        println!(
            "| {name} | {} | {} | {} | {} | {fivexx} | {} | {:.1} | {:.1} | {} |",
            of_kind.len(),
            count(&|s| (200..300).contains(&s)),
            count(&|s| (400..500).contains(&s) && s != 429),
            count(&|s| s == 429),
            count(&|s| s == 0),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            listed.join(" ")
        );
    }
    let (checked, missing, different, unreadable) = read_back(&shared, &acked).await;
    println!();
    println!("| acknowledged writes read back | missing | different | unreadable | 5xx + no answer |");
    println!("|---|---|---|---|---|");
    println!("| {checked} | {missing} | {different} | {unreadable} | {server_errors} |");
    println!();
    let lost = missing + different + unreadable;
    println!(
        "verdict: {} 5xx/no answer, {} lost writes → {}",
        server_errors,
        lost,
        if server_errors == 0 && lost == 0 { "PASS" } else { "FAIL" }
    );
}
