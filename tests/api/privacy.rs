//! No company view or export ever shows a graduate's ID number (whole or masked), phone,
//! e-mail, student number or birth date; no school sees another school's graduates' details.
//!
//! Graduates holding all of these (most of them consenting, so companies do see them) are
//! seeded with their choices, a shortlist, an event and a published round. Then a company
//! user walks every GET operation of the OpenAPI document, path ids filled from the seeded
//! data (every id of the kind, so its own and others' objects are both tried), each query
//! parameter with a closed set of values tried with every value and `q` with every secret;
//! then every page it can reach by following links from its pages and the public ones
//! (workbooks unzipped and their XML read). A school user of another school does the same.
//! Nothing is skipped silently: what is not walked is listed in `SKIPPED` with its reason
//! and printed with the walk's summary.

use crate::duplicates::{id_number, masked};
use crate::helpers::{CODE_A, CODE_B, Session, TestApp, graduate_with, posting_with, project_body};
use crate::on_both_backends;
use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::Read;
use std::time::Duration;

on_both_backends!(a_company_never_sees_identity_or_contact_details, a_school_never_sees_another_schools_graduates);

/// What the walks leave out, and why. Anything else the document or a page links to is
/// walked; an operation whose path names an id the walk cannot fill fails the test until
/// it is seeded or listed here.
const SKIPPED: &[(&str, &str)] = &[
    ("/static/*, /favicon.ico", "compiled-in stylesheet, script and icon: the same bytes for everyone, no data"),
    ("links to other hosts", "not this service"),
    ("unsafe methods (POST, PUT, PATCH, DELETE)", "they change data; the reveal endpoint is tried by hand below"),
    (
        "a path's further query variants beyond 12",
        "facet links of the public search multiply; 12 of each path are read",
    ),
];

/// Query variants read per path (see `SKIPPED`).
const VARIANTS_PER_PATH: usize = 12;
/// Pages read per crawl at most (a guard; the walk reports if it is reached).
const MAX_PAGES: usize = 500;

/// A graduate and what about them no outsider may read.
struct Person {
    id: i64,
    school: i64,
    name: &'static str,
    id_number: String,
    phone: String,
    email: String,
    student_no: String,
    birth_date: String,
}

impl Person {
    /// (what, text) pairs no outsider's answer may contain.
    fn secrets(&self) -> Vec<(String, String)> {
        let who = format!("{} (graduate {})", self.name, self.id);
        vec![
            (format!("{who}: whole ID number"), self.id_number.clone()),
            (format!("{who}: masked ID number"), masked(&self.id_number)),
            (format!("{who}: phone"), self.phone.clone()),
            (format!("{who}: e-mail"), self.email.clone()),
            (format!("{who}: student number"), self.student_no.clone()),
            (format!("{who}: birth date"), self.birth_date.clone()),
        ]
    }
}

struct World {
    coordinator: Session,
    company: Session,
    school: Session,
    walker_school: Session,
    people: Vec<Person>,
    /// Ids of each kind of object, by the path segment that names them.
    ids: BTreeMap<&'static str, Vec<i64>>,
    posting: i64,
    round: i64,
    event: i64,
}

/// Born `born` (YYYYMMDD), sequence `seq`.
fn person(name: &'static str, born: &str, seq: u32, n: u32) -> (Person, Value) {
    let number = id_number(born, seq);
    let birth_date = format!("{}-{}-{}", &born[..4], &born[4..6], &born[6..]);
    let p = Person {
        id: 0,
        school: 0,
        name,
        id_number: number.clone(),
        phone: format!("1351234{n:04}"),
        email: format!("grad{n}.secret@example.cn"),
        student_no: format!("XH-SECRET-{n:03}"),
        birth_date: birth_date.clone(),
    };
    let body = json!({
        "name": name, "id_number": number, "phone": p.phone, "email": p.email, "student_no": p.student_no,
        "birth_date": birth_date, "class_name": "机电2301", "major": "机电一体化", "skills": ["PLC", "数控"],
    });
    (p, body)
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let other_company = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let walker_school = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let third_school = app.school(&coordinator, "肇庆医学院").await;

    let project = app.create_project(&company.token, &project_body("新区电子信息产业园")).await.created_id();
    let posting = app
        .create_posting(&company.token, &posting_with(json!({"project_id": project, "majors": ["机电一体化"]})))
        .await;
    let posting = posting.created_id();
    let draft =
        app.create_posting(&company.token, &posting_with(json!({"status": "draft", "title": "储备干部"}))).await;
    let draft = draft.created_id();
    let theirs = app.create_posting(&other_company.token, &posting_with(json!({"title": "车缝工"}))).await.created_id();

    // Three of school A's (one not consenting), one of the walking school's, and one of a
    // third school with school A's first graduate's ID number: a duplicate pair.
    let mut people = Vec::new();
    for (school, (mut p, body), consent) in [
        (&school, person("陈晓东", "20040517", 123, 1), true),
        (&school, person("黄嘉怡", "20030902", 246, 2), true),
        (&school, person("赵敏", "20041130", 468, 3), false),
        (&walker_school, person("周杰", "20050214", 135, 4), true),
        (&third_school, person("陈晓东", "20040517", 123, 6), true),
    ] {
        let mut body = graduate_with(body);
        body["consent"] = json!(consent);
        p.id = app.create_graduate(&school.token, &body).await.created_id();
        p.school = school.organization_id;
        people.push(p);
    }
    let graduates: Vec<i64> = people.iter().map(|p| p.id).collect();

    for (school, graduate) in
        [(&school, graduates[0]), (&school, graduates[1]), (&school, graduates[2]), (&walker_school, graduates[3])]
    {
        let reply = app.set_choices(&school.token, graduate, &json!({"posting_ids": [posting, theirs]})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let ranked = json!({"graduate_ids": [graduates[0], graduates[1], graduates[3]]});
    assert_eq!(app.set_shortlist(&company.token, posting, &ranked).await.status, StatusCode::OK);

    let day = (Utc::now() + chrono::Duration::days(10)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    let invited = [company.organization_id, school.organization_id, walker_school.organization_id];
    let event = app
        .create_event(
            &coordinator.token,
            &json!({
                "kind": "job_fair", "title": "2027肇庆新区校企双选会", "description": "先进制造企业集中招聘",
                "venue": "肇庆新区体育中心", "starts_at": format!("{day}T14:00"), "ends_at": format!("{day}T17:30"),
                "booth_capacity": 10, "seat_capacity": 40, "invited_organization_ids": invited,
            }),
        )
        .await
        .created_id();
    let mut registrations = Vec::new();
    for (session, body) in [
        (&company, json!({"posting_ids": [posting]})),
        (&school, json!({"graduates": 3, "teacher_name": "王老师", "teacher_phone": "13900009999"})),
        (&walker_school, json!({"graduates": 1, "teacher_name": "李老师"})),
    ] {
        registrations.push(app.register(&session.token, event, &body).await.created_id());
    }
    // Approved: the walk meets check-in passes (codes, booths, QR codes) too.
    for registration in &registrations {
        let reply =
            app.decide_registration(&coordinator.token, event, *registration, &json!({"status": "approved"})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }

    let round = run_and_publish(app, &coordinator).await;
    // Publishing made offers: companies read theirs (names only, never contact details).
    let offers = app.offers(&coordinator.token, "per_page=100").await;
    let offer_ids: Vec<i64> =
        offers.body["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
    assert!(!offer_ids.is_empty(), "the round placed someone: {:?}", offers.body);
    // A destination, so the reports have rows to walk: per school and major, never per graduate.
    app.seed_outcome(graduates[0], "agreement", Utc::now().date_naive()).await;
    let pairs = app.duplicates(&coordinator.token, "open").await;
    let pair_ids: Vec<i64> =
        pairs.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(pair_ids.len(), 1, "the third school's record pairs with school A's: {:?}", pairs.body);
    app.indexed().await;

    let mut users = Vec::new();
    for session in [&coordinator, &company, &school, &walker_school] {
        users.push(session.user_id);
    }
    let organizations = vec![
        company.organization_id,
        other_company.organization_id,
        school.organization_id,
        walker_school.organization_id,
        third_school.organization_id,
        coordinator.organization_id,
    ];
    let ids = BTreeMap::from([
        ("postings", vec![posting, draft, theirs]),
        ("graduates", graduates),
        ("projects", vec![project]),
        ("events", vec![event]),
        ("registrations", registrations),
        ("rounds", vec![round]),
        ("organizations", organizations),
        ("users", users),
        ("duplicates", pair_ids),
        ("offers", offer_ids),
    ]);
    World { coordinator, company, school, walker_school, people, ids, posting, round, event }
}

/// Run a round over everything and publish it.
async fn run_and_publish(app: &TestApp, coordinator: &Session) -> i64 {
    let settings = json!({"name": "第一轮双选", "seed": 42, "fill_from_scores": true});
    let id = app.create_round(&coordinator.token, &settings).await.created_id();
    assert_eq!(app.start_round(&coordinator.token, id).await.status, StatusCode::ACCEPTED);
    for _ in 0..200 {
        let round = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
        match round.body["status"].as_str() {
            Some("done") => {
                let published = app.publish_round(&coordinator.token, id).await;
                assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
                return id;
            }
            Some("failed") => panic!("round failed: {:?}", round.body),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    panic!("round {id} did not finish within 10 s");
}

/// What one walker read: each URL with its status, and every secret found where it must
/// not be.
#[derive(Default)]
struct Walk {
    read: BTreeMap<String, u16>,
    leaks: Vec<String>,
    not_followed: BTreeMap<String, usize>,
    /// Every answer's text, for checks that the data itself was there.
    seen: String,
}

impl Walk {
    /// Record what `url` answered and every secret in it, except one the URL's query itself
    /// carries (a search for it echoes the reader's own words; whether anything else is
    /// found by it is checked through the API's search, which echoes nothing).
    fn check(&mut self, url: &str, status: u16, text: &str, secrets: &[(String, String)]) {
        let query = url.split(' ').next().and_then(|u| u.split_once('?')).map_or("", |(_, q)| q);
        let asked: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        for (what, secret) in secrets {
            if asked.iter().any(|(_, v)| v == secret) {
                continue;
            }
            if text.contains(secret.as_str()) {
                self.leaks.push(format!("{url} ({status}) shows {what}: {secret}"));
            }
        }
        self.read.insert(url.to_string(), status);
        self.seen.push_str(text);
    }

    fn status(&self, url: &str) -> Option<u16> {
        self.read.get(url).copied()
    }

    /// Fail on any leak or server error; print what was read and left out.
    #[track_caller]
    fn assert_clean(&self, who: &str) {
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        for status in self.read.values() {
            *statuses.entry(*status).or_default() += 1;
        }
        eprintln!("privacy walk as {who}: {} URLs read, by status {statuses:?}", self.read.len());
        for (url, status) in &self.read {
            eprintln!("  {status} {url}");
        }
        for (what, count) in &self.not_followed {
            eprintln!("  not followed: {count} × {what}");
        }
        for (what, why) in SKIPPED {
            eprintln!("  skipped: {what} — {why}");
        }
        let errors: Vec<_> = self.read.iter().filter(|(_, s)| **s >= 500).collect();
        assert!(errors.is_empty(), "server errors in the walk as {who}: {errors:?}");
        assert!(self.leaks.is_empty(), "as {who}:\n{}", self.leaks.join("\n"));
    }
}

/// An answer's text: a workbook (or any zip) unzipped, each part's XML in turn.
fn text_of(content_type: &str, bytes: &[u8]) -> String {
    if !bytes.starts_with(b"PK\x03\x04") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a readable zip");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap_or_else(|e| panic!("{content_type} part {i}: {e}"));
        text.push_str(&xml);
    }
    assert!(text.contains("<worksheet") || !content_type.contains("spreadsheet"), "a workbook has sheets");
    text
}

/// Read `url` (a path) with a bearer token, a session cookie, or as a visitor.
async fn read(
    app: &TestApp,
    url: &str,
    token: Option<&str>,
    cookie: Option<&str>,
    lang: &str,
) -> (u16, String, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.get(app.url(url)).header(ACCEPT, "text/html, application/json, */*");
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let mut cookies = format!("lang={lang}");
    if let Some(session) = cookie {
        cookies.push_str(&format!("; xiaoqi_session={session}"));
    }
    request = request.header(COOKIE, cookies);
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let bytes = response.bytes().await.expect("body");
    let mut text = text_of(&content_type, &bytes);
    if !location.is_empty() {
        // A redirect's target is followed as a link.
        text.push_str(&format!(" href=\"{location}\""));
    }
    (status, content_type, text)
}

/// Every URL the document's GET operations make with the seeded ids: each path id every id
/// of its kind, lists at their largest page, each closed-set query parameter with each of
/// its values, `q` with each secret and name, ids in the query with every id of the kind.
fn api_urls(document: &Value, ids: &BTreeMap<&str, Vec<i64>>, words: &[String]) -> Vec<String> {
    let mut urls = Vec::new();
    let paths = document["paths"].as_object().expect("the document has paths");
    for (template, item) in paths {
        let Some(operation) = item.get("get") else { continue };
        let parameters: Vec<&Value> =
            operation["parameters"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        // Path parameters: each filled from the kind the segment before it names.
        let mut paths = vec![template.clone()];
        let segments: Vec<&str> = template.split('/').collect();
        for (at, segment) in segments.iter().enumerate() {
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else { continue };
            let parameter = parameters.iter().find(|p| p["name"] == name && p["in"] == "path");
            let values: Vec<String> = match parameter.and_then(|p| p["schema"]["enum"].as_array()) {
                Some(values) => {
                    values.iter().filter_map(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_string).collect()
                }
                None => {
                    let kind = segments[at - 1];
                    let Some(found) = ids.get(kind) else {
                        panic!(
                            "GET {template}: no seeded ids for {{{name}}} after /{kind}/; seed some in privacy.rs's world() \
                             or list the operation in SKIPPED with the reason"
                        );
                    };
                    found.iter().map(i64::to_string).collect()
                }
            };
            paths = paths
                .iter()
                .flat_map(|p| values.iter().map(move |v| p.replacen(&format!("{{{name}}}"), v, 1)))
                .collect();
        }
        // Query parameters: the largest page; then variants, one parameter at a time.
        let query: Vec<&Value> = parameters.iter().copied().filter(|p| p["in"] == "query").collect();
        let names: BTreeSet<&str> = query.iter().filter_map(|p| p["name"].as_str()).collect();
        let base = if names.contains("per_page") { "per_page=100" } else { "" };
        let mut variants = vec![String::new()];
        for parameter in &query {
            let name = parameter["name"].as_str().unwrap_or_default();
            let values: Vec<String> = if let Some(values) = parameter["schema"]["enum"].as_array() {
                values.iter().filter_map(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_string).collect()
            } else if name == "q" {
                words.to_vec()
            } else if let Some(kind) = name.strip_suffix("_id").map(|k| format!("{k}s")) {
                ids.get(kind.as_str()).map(|v| v.iter().map(i64::to_string).collect()).unwrap_or_default()
            } else {
                Vec::new()
            };
            for value in values {
                variants.push(serde_urlencoded::to_string([(name, value.as_str())]).unwrap());
            }
        }
        for path in &paths {
            for variant in &variants {
                let query: Vec<&str> = [base, variant.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
                urls.push(if query.is_empty() { path.clone() } else { format!("{path}?{}", query.join("&")) });
            }
        }
    }
    urls
}

/// Searching for a secret finds nobody: what is not shown cannot be probed either (a
/// phone number that finds a graduate tells whose it is).
async fn assert_found_by_nothing(app: &TestApp, session: &Session, secrets: &[(String, String)]) {
    for (what, secret) in secrets {
        let query = serde_urlencoded::to_string([("q", secret.as_str())]).unwrap();
        let found = app.get(&format!("/api/v1/graduates?{query}"), Some(&session.token)).await;
        assert_eq!(found.status, StatusCode::OK);
        assert_eq!(found.body["total"], 0, "searching for {what} found {:?}", found.body["items"]);
    }
}

/// Walk every GET operation of the document as `token`.
async fn walk_api(app: &TestApp, token: &str, world: &World, secrets: &[(String, String)], walk: &mut Walk) {
    let document = app.get("/api/openapi.json", None).await.body;
    let mut words: Vec<String> = secrets.iter().map(|(_, s)| s.clone()).collect();
    words.extend(world.people.iter().map(|p| p.name.to_string()));
    words.extend(["机电一体化".to_string(), "PLC".to_string()]);
    let urls = api_urls(&document, &world.ids, &words);
    assert!(urls.len() > 50, "the document's GET operations make {} URLs", urls.len());
    for url in urls {
        let (status, _, text) = read(app, &url, Some(token), None, "zh").await;
        walk.check(&url, status, &text, secrets);
    }
    // Outside the API document, for machines: the document itself and the probes.
    for url in ["/api/openapi.json", "/healthz", "/readyz", "/docs"] {
        let (status, _, text) = read(app, url, Some(token), None, "zh").await;
        walk.check(url, status, &text, secrets);
    }
}

/// A link as the crawl follows it: entities decoded, no fragment, no `lang` (each page is
/// read in both languages anyway); `None` for what the crawl does not follow.
fn normalised(href: &str) -> Option<String> {
    let href = href
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"");
    let href = href.split('#').next().unwrap_or_default();
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect();
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    Some(if query.is_empty() { path.to_string() } else { format!("{path}?{query}") })
}

/// The links (`href`) and GET form targets in a page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["href=\"", "action=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

fn is_static(path: &str) -> bool {
    path.starts_with("/static/") || path == "/favicon.ico"
}

/// Read every page reachable from `seeds` by links, as `session` (a visitor when `None`),
/// each in Chinese and English.
async fn crawl(
    app: &TestApp,
    session: Option<&Session>,
    seeds: &[String],
    secrets: &[(String, String)],
    walk: &mut Walk,
) {
    let mut queue: VecDeque<String> = seeds.iter().filter_map(|s| normalised(s)).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut per_path: BTreeMap<String, usize> = BTreeMap::new();
    let mut pages = 0;
    while let Some(url) = queue.pop_front() {
        pages += 1;
        assert!(pages <= MAX_PAGES, "the crawl reached {MAX_PAGES} pages; raise the guard if the site grew");
        let token = session.map(|s| s.token.as_str());
        // API links in pages are read as the API is: with the bearer token.
        let (bearer, cookie) = if url.starts_with("/api/") { (token, None) } else { (None, token) };
        let mut texts = Vec::new();
        for lang in ["zh", "en"] {
            let (status, content_type, text) = read(app, &url, bearer, cookie, lang).await;
            walk.check(&format!("{url} [{lang}]"), status, &text, secrets);
            if content_type.starts_with("text/html") || status / 100 == 3 {
                texts.push(text);
            }
        }
        for href in texts.iter().flat_map(|t| links(t)) {
            let Some(next) = normalised(&href) else { continue };
            if is_static(&next) || next == "/logout" || next == "/login" && session.is_some() {
                continue;
            }
            if seen.contains(&next) {
                continue;
            }
            let path = next.split('?').next().unwrap_or_default().to_string();
            let count = per_path.entry(path.clone()).or_default();
            if *count >= VARIANTS_PER_PATH {
                *walk.not_followed.entry(format!("{path}?… (over {VARIANTS_PER_PATH} variants)")).or_default() += 1;
                continue;
            }
            *count += 1;
            seen.insert(next.clone());
            queue.push_back(next);
        }
    }
}

/// Seeds for a crawl: the signed-in entry points, the pages whose ids no link may carry,
/// and the public search for every secret and name.
fn seeds(world: &World, secrets: &[(String, String)], extra: &[String]) -> Vec<String> {
    let mut seeds: Vec<String> =
        ["/", "/events", "/app", "/app/projects", "/app/postings", "/app/events", "/app/rounds"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let (posting, round, event) = (world.posting, world.round, world.event);
    seeds.extend([
        format!("/postings/{posting}"),
        format!("/app/postings/{posting}"),
        format!("/app/postings/{posting}/candidates"),
        format!("/app/rounds/{round}"),
        format!("/app/rounds/{round}/postings/{posting}"),
        format!("/app/events/{event}"),
        "/app/graduates".to_string(),
        "/app/duplicates".to_string(),
        "/app/duplicates?status=merged".to_string(),
        "/app/offers".to_string(),
    ]);
    for person in &world.people {
        seeds.push(format!("/app/graduates/{}", person.id));
        seeds.push(format!("/app/graduates/{}/choices", person.id));
        seeds.push(format!("/app/graduates/{}/consent", person.id));
        seeds.push(format!("/?q={}", person.name));
    }
    for (_, secret) in secrets {
        seeds.push(format!("/?{}", serde_urlencoded::to_string([("q", secret)]).unwrap()));
    }
    seeds.extend(extra.iter().cloned());
    seeds
}

async fn a_company_never_sees_identity_or_contact_details(app: TestApp) {
    let world = world(&app).await;
    let secrets: Vec<(String, String)> = world.people.iter().flat_map(Person::secrets).collect();
    let mut walk = Walk::default();
    walk_api(&app, &world.company.token, &world, &secrets, &mut walk).await;

    // The walk saw the graduates themselves, just not what is theirs alone.
    let (first, round, posting) = (world.people[0].id, world.round, world.posting);
    for url in [
        format!("/api/v1/graduates/{first}"),
        format!("/api/v1/postings/{posting}/suggestions"),
        format!("/api/v1/postings/{posting}/shortlist"),
        format!("/api/v1/rounds/{round}/assignments?per_page=100"),
        format!("/api/v1/rounds/{round}/export.xlsx"),
        "/api/v1/graduates?per_page=100".to_string(),
        "/api/v1/offers?per_page=100".to_string(),
    ] {
        assert_eq!(walk.status(&url), Some(200), "{url} was read");
    }
    assert_eq!(walk.status(&format!("/api/v1/graduates/{}", world.people[2].id)), Some(404), "not consenting");
    assert_found_by_nothing(&app, &world.company, &secrets).await;
    // The export was unzipped and read: its sheets name the placed graduates.
    let export = format!("/api/v1/rounds/{round}/export.xlsx");
    let (status, content_type, text) = read(&app, &export, Some(&world.company.token), None, "zh").await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    assert!(text.contains("<worksheet") && text.contains("陈晓东"), "the workbook's XML, names and all");
    assert_eq!(walk.status("/api/v1/duplicates?per_page=100"), Some(403));
    assert!(walk.seen.contains("陈晓东") && walk.seen.contains("黄嘉怡"), "the consenting graduates were shown");

    // The one endpoint that reveals: refused.
    let reveal =
        app.post(&format!("/api/v1/graduates/{first}/id_number"), Some(&world.company.token), &json!({})).await;
    assert!(matches!(reveal.status.as_u16(), 403 | 404), "{:?}", reveal.body);
    walk.check("POST reveal", reveal.status.as_u16(), &reveal.body.to_string(), &secrets);

    let mut pages = Walk::default();
    let extra = vec![format!("/app/postings/{posting}/edit")];
    crawl(&app, Some(&world.company), &seeds(&world, &secrets, &extra), &secrets, &mut pages).await;
    assert_eq!(pages.status(&format!("/app/postings/{posting}/candidates [zh]")), Some(200));
    assert_eq!(pages.status(&format!("/app/rounds/{round} [en]")), Some(200));
    assert_eq!(pages.status("/app/duplicates [zh]"), Some(403));
    assert!(pages.seen.contains("陈晓东"), "the candidates page shows consenting graduates");
    let mut visitor = Walk::default();
    crawl(
        &app,
        None,
        &["/".to_string(), "/events".to_string(), format!("/postings/{posting}")],
        &secrets,
        &mut visitor,
    )
    .await;

    walk.assert_clean("a company (API)");
    pages.assert_clean("a company (pages)");
    visitor.assert_clean("a visitor (public pages)");
}

async fn a_school_never_sees_another_schools_graduates(app: TestApp) {
    let world = world(&app).await;
    let walker = &world.walker_school;
    // Its own graduate's details are its own; everyone else's are not.
    let secrets: Vec<(String, String)> =
        world.people.iter().filter(|p| p.school != walker.organization_id).flat_map(Person::secrets).collect();
    let own = world.people.iter().find(|p| p.school == walker.organization_id).unwrap();
    assert!(secrets.iter().all(|(_, s)| *s != own.phone));

    let mut walk = Walk::default();
    walk_api(&app, &walker.token, &world, &secrets, &mut walk).await;
    assert_eq!(walk.status(&format!("/api/v1/graduates/{}", own.id)), Some(200), "its own graduate");
    assert_eq!(walk.status(&format!("/api/v1/graduates/{}", world.people[0].id)), Some(404), "another school's");
    assert_eq!(walk.status(&format!("/api/v1/rounds/{}/export.xlsx", world.round)), Some(200));
    assert!(walk.seen.contains(&own.phone), "its own graduate's details were shown to it");
    assert_found_by_nothing(&app, walker, &secrets).await;
    for other in world.people.iter().filter(|p| p.school != walker.organization_id) {
        let path = format!("/api/v1/graduates/{}/id_number", other.id);
        let reveal = app.post(&path, Some(&walker.token), &json!({})).await;
        assert_eq!(reveal.status, StatusCode::NOT_FOUND, "{path}");
        walk.check(&format!("POST {path}"), 404, &reveal.body.to_string(), &secrets);
    }

    let mut pages = Walk::default();
    crawl(&app, Some(walker), &seeds(&world, &secrets, &[]), &secrets, &mut pages).await;
    assert_eq!(pages.status(&format!("/app/rounds/{} [zh]", world.round)), Some(200));

    walk.assert_clean("another school (API)");
    pages.assert_clean("another school (pages)");
    // The graduates' own school and the coordinators do see them (masked), so the walk's
    // secrets are real: the check would find them if they were shown.
    let mine = app.get(&format!("/api/v1/graduates/{}", world.people[0].id), Some(&world.school.token)).await;
    assert_eq!(mine.body["id_number"], masked(&world.people[0].id_number));
    assert_eq!(mine.body["phone"], world.people[0].phone);
    let listed = app.duplicates(&world.coordinator.token, "open").await;
    assert!(listed.body.to_string().contains(&world.people[4].phone));
}
