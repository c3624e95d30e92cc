//! Search through the API: highlighting, privacy, crash recovery, rebuilds, and the
//! change log's ordering on PostgreSQL.

use crate::helpers::{Backend, CODE_A, TestApp, graduate_with, posting_with, spawn_app};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

on_both_backends!(
    snippets_are_escaped_and_marked,
    company_search_respects_consent,
    a_crash_before_the_index_commit_loses_nothing,
    a_rebuild_answers_like_the_incremental_index
);

fn ids(reply: &Value) -> Vec<i64> {
    reply["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

async fn snippets_are_escaped_and_marked(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "四海光电", CODE_A).await;
    let body =
        posting_with(json!({"title": "<script>alert(1)</script> 数控", "description": "操作数控车床 & 加工中心"}));
    let posting = app.create_posting(&company.token, &body).await;
    assert_eq!(posting.status, StatusCode::CREATED);
    app.indexed().await;
    let found = app.get("/api/v1/postings?q=数控", None).await;
    assert_eq!(found.body["total"], 1, "{:?}", found.body);
    let snippet = found.body["items"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script>"), "{snippet}");
    assert!(snippet.contains("<mark>数控</mark>"), "{snippet}");
    assert!(snippet.contains("&amp;"), "{snippet}");
    // Query syntax is just text.
    for q in ["\"数控", "title:数控", "数控 AND", "(数控)", "数控 OR 焊工)", "*", "\\", "数控~2"] {
        let reply = app.get(&format!("/api/v1/postings?q={}", urlencode(q)), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{q}: {:?}", reply.body);
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn company_search_respects_consent(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "全芯半导体", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let shown = graduate_with(json!({"name": "陈嘉欣"}));
    let hidden = graduate_with(json!({"name": "黄志豪", "consent": false}));
    let shown = app.create_graduate(&school.token, &shown).await.created_id();
    let hidden = app.create_graduate(&school.token, &hidden).await.created_id();
    app.indexed().await;
    for q in ["", "机电一体化", "PLC", "电工证", "黄志豪", "李明"] {
        let reply = app.get(&format!("/api/v1/graduates?q={}", urlencode(q)), Some(&company.token)).await;
        assert_eq!(reply.status, StatusCode::OK);
        for item in reply.body["items"].as_array().unwrap() {
            assert_ne!(item["id"], hidden, "{q}: a non-consenting graduate was shown to a company");
            assert_eq!(item["email"], Value::Null, "{q}: contact details reached a company");
            assert_eq!(item["phone"], Value::Null);
        }
    }
    let mine = app.get("/api/v1/graduates?q=机电一体化", Some(&school.token)).await;
    assert_eq!(ids(&mine.body).len(), 2);
    assert!(mine.body["items"].as_array().unwrap().iter().all(|i| i["email"] == "liming@example.cn"));
    let theirs = app.get("/api/v1/graduates?q=机电一体化", Some(&company.token)).await;
    assert_eq!(ids(&theirs.body), vec![shown]);
}

async fn a_crash_before_the_index_commit_loses_nothing(app: TestApp) {
    // The index stops following right after the database commits: the process "dies"
    // between the two commits.
    let app = app.restart(|l| l.follow_changes = Some(false)).await;
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "维珍妮", CODE_A).await;
    let body = posting_with(json!({"title": "缝纫车位工"}));
    let id = app.create_posting(&company.token, &body).await.created_id();
    assert_eq!(app.get("/api/v1/postings?q=车位", None).await.body["total"], 0, "not indexed while stopped");
    let app = app.restart(|l| l.follow_changes = None).await;
    app.indexed().await;
    let found = app.get("/api/v1/postings?q=车位", None).await;
    assert_eq!(ids(&found.body), vec![id], "the restarted index caught up from its commit payload");
}

async fn a_rebuild_answers_like_the_incremental_index(app: TestApp) {
    xiaoqi::demo::load_once(&app.db).await.unwrap();
    app.indexed().await;
    let queries = ["", "操作工", "数控", "电工证", "SMT", "仓管", "电子信息", "宿舍", "肇庆新区 技术员", "工程师"];
    let mut before = Vec::new();
    for q in queries {
        before.push(every_page(&app, q).await);
    }
    // A new, empty index directory: the server rebuilds it from the database at start.
    let fresh = tempfile::tempdir().unwrap().keep();
    let app = app.restart(|l| l.index_dir = Some(fresh)).await;
    app.indexed().await;
    for (q, before) in queries.iter().zip(before) {
        let after = every_page(&app, q).await;
        assert_eq!(after.0, before.0, "{q}: facets");
        assert_eq!(after.1, before.1, "{q}: the same postings");
    }
}

/// A search's facets and the ids of every hit, over all pages (ties may order differently).
async fn every_page(app: &TestApp, q: &str) -> (Value, Vec<i64>) {
    let mut all = Vec::new();
    let mut facets = Value::Null;
    for page in 1.. {
        let url = format!("/api/v1/postings?per_page=100&page={page}&facets=true&q={}", urlencode(q));
        let reply = app.get(&url, None).await.body;
        if page == 1 {
            facets = reply["facets"].clone();
        } else {
            assert_eq!(reply["facets"], json!({}), "{q}: facets come with the first page only");
        }
        let found = ids(&reply);
        if found.is_empty() {
            break;
        }
        all.extend(found);
    }
    all.sort_unstable();
    (facets, all)
}

/// On PostgreSQL a change with a lower seq can commit after one with a higher seq; the
/// follower must apply both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_commits_are_all_indexed() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "华秋电子", CODE_A).await;
    let fields = |title: &str| {
        let body = posting_with(json!({"title": title}));
        <xiaoqi::domain::posting::PostingFields as xiaoqi::domain::Parse>::from_json(body).unwrap()
    };
    // The first writer takes the lower seq (its insert's trigger logs it) but commits last.
    let mut first = app.db.begin().await.unwrap();
    let early =
        xiaoqi::store::postings::insert(&mut first, company.organization_id, &fields("早到的焊工")).await.unwrap();
    let mut second = app.db.begin().await.unwrap();
    let late =
        xiaoqi::store::postings::insert(&mut second, company.organization_id, &fields("晚到的电工")).await.unwrap();
    second.commit().await.unwrap();
    wait_for(&app, "电工", late.id).await;
    first.commit().await.unwrap();
    wait_for(&app, "焊工", early.id).await;
}

async fn wait_for(app: &TestApp, q: &str, id: i64) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if ids(&app.get(&format!("/api/v1/postings?q={}", urlencode(q)), None).await.body).contains(&id) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("posting {id} ({q}) was not indexed within 3 s");
}

/// Two server processes on one PostgreSQL, each with its own index, follow the same log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_process_finds_what_the_first_wrote() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let index = tempfile::tempdir().unwrap();
    let mut other = std::process::Command::new(env!("CARGO_BIN_EXE_xiaoqi"))
        .args(["serve"])
        .env("DATABASE_URL", app.layer.database_url.clone().unwrap())
        .env("XIAOQI_LISTEN", format!("127.0.0.1:{port}"))
        .env("XIAOQI_METRICS_LISTEN", "127.0.0.1:0")
        .env("XIAOQI_INDEX_DIR", index.path())
        .env("XIAOQI_MAIL", "stdout")
        .env("XIAOQI_CONFIG", "/nonexistent/xiaoqi.toml")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let other_url = format!("http://127.0.0.1:{port}");
    let ready = async {
        for _ in 0..200 {
            if let Ok(r) = app.client.get(format!("{other_url}/readyz")).send().await
                && r.status() == StatusCode::OK
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    };
    let is_ready = ready.await;
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "宇宙自动化", CODE_A).await;
    let body = posting_with(json!({"title": "工业机器人运维技术员"}));
    let id = app.create_posting(&company.token, &body).await.created_id();
    let started = Instant::now();
    let mut found = false;
    while is_ready && started.elapsed() < Duration::from_secs(2) {
        let reply =
            app.client.get(format!("{other_url}/api/v1/postings?q=%E6%9C%BA%E5%99%A8%E4%BA%BA")).send().await.unwrap();
        let body: Value = reply.json().await.unwrap();
        if ids(&body).contains(&id) {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = other.kill();
    let _ = other.wait();
    assert!(is_ready, "the second server never became ready");
    assert!(found, "the second server did not find the posting within 2 s");
}

on_both_backends!(facets_count_the_database_and_filters_narrow);

async fn facets_count_the_database_and_filters_narrow(app: TestApp) {
    use sqlx::types::Json;
    use std::collections::BTreeMap;
    xiaoqi::demo::load_once(&app.db).await.unwrap();
    app.indexed().await;
    let all = app.get("/api/v1/postings?per_page=1&facets=true", None).await.body;
    let facets = &all["facets"];

    // The same counts, straight from the database.
    type Row = (String, String, Json<Vec<String>>, Option<String>);
    let mut conn = app.db.read().await.unwrap();
    let rows: Vec<Row> = xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT category, education_min, benefits, location FROM postings WHERE status = 'open'"
    )
    .fetch_all(e)
    .await)
    .unwrap();
    drop(conn);
    let mut expected: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for (category, education, benefits, location) in &rows {
        *expected.entry("category").or_default().entry(category.clone()).or_default() += 1;
        *expected.entry("education_min").or_default().entry(education.clone()).or_default() += 1;
        for b in benefits.iter() {
            *expected.entry("benefits").or_default().entry(b.clone()).or_default() += 1;
        }
        if let Some(l) = location {
            *expected.entry("location").or_default().entry(l.clone()).or_default() += 1;
        }
    }
    assert_eq!(all["total"], rows.len());
    for (facet, counts) in &expected {
        assert_eq!(facets[*facet], serde_json::to_value(counts).unwrap(), "facet {facet}");
    }

    // Each filter keeps exactly what it names.
    let get = |query: String| {
        let app = &app;
        async move { app.get(&format!("/api/v1/postings?per_page=100&{query}"), None).await.body }
    };
    for (category, n) in &expected["category"] {
        let r = get(format!("category={category}")).await;
        assert_eq!(r["total"], *n, "category {category}");
        assert!(r["items"].as_array().unwrap().iter().all(|i| i["category"] == *category.as_str()));
    }
    for (benefit, n) in &expected["benefits"] {
        let r = get(format!("benefit={benefit}")).await;
        assert_eq!(r["total"], *n, "benefit {benefit}");
        assert!(
            r["items"].as_array().unwrap().iter().all(|i| i["benefits"].as_array().unwrap().contains(&json!(benefit)))
        );
    }
    let both = get("benefit=dormitory&benefit=training".into()).await;
    let expect_both =
        rows.iter().filter(|r| r.2.contains(&"dormitory".to_string()) && r.2.contains(&"training".to_string())).count();
    assert_eq!(both["total"], expect_both, "benefits combine with AND");
    let level = xiaoqi::domain::Education::TechnicalSchool;
    let at_most: u64 = expected["education_min"]
        .iter()
        .filter(|(e, _)| xiaoqi::domain::Education::parse(e).unwrap().rank() <= level.rank())
        .map(|(_, n)| n)
        .sum();
    assert_eq!(get("education=technical_school".into()).await["total"], at_most);
    let offered = |i: &Value| i["salary_max"].as_i64().or(i["salary_min"].as_i64()).unwrap_or(0);
    let rich = get("salary_min=8000".into()).await;
    assert!(rich["total"].as_i64().unwrap() > 0);
    assert!(rich["items"].as_array().unwrap().iter().all(|i| offered(i) >= 8000));
    for (location, n) in &expected["location"] {
        let r = get(format!("location={}", urlencode(location))).await;
        assert!(r["total"].as_u64().unwrap() >= *n, "location {location}");
        assert!(
            r["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["location"] == *location.as_str() || i["park"] == *location.as_str())
        );
    }
    // Sorting: newest first by creation, salary highest first.
    let by_salary = get("sort=salary".into()).await;
    let salaries: Vec<i64> = by_salary["items"].as_array().unwrap().iter().map(offered).collect();
    assert!(salaries.windows(2).all(|w| w[0] >= w[1]), "{salaries:?}");
}

on_both_backends!(suggestions_are_ranked_eligible_and_private);

async fn suggestions_are_ranked_eligible_and_private(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let body = posting_with(json!({"education_min": "associate"}));
    let posting = app.create_posting(&company.token, &body).await.created_id();
    let fits = graduate_with(json!({"major": "电子信息工程"}));
    let fits = app.create_graduate(&school.token, &fits).await.created_id();
    let weaker = graduate_with(json!({"major": "会计", "preferred_locations": ["四会市"]}));
    let weaker = app.create_graduate(&school.token, &weaker).await.created_id();
    let private = graduate_with(json!({"major": "电子信息工程", "consent": false}));
    let private = app.create_graduate(&school.token, &private).await.created_id();
    let too_young = graduate_with(json!({"education": "secondary_vocational", "major": "电子信息工程"}));
    let too_young = app.create_graduate(&school.token, &too_young).await.created_id();
    app.indexed().await;

    let reply = app.get(&format!("/api/v1/postings/{posting}/suggestions"), Some(&company.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let items = reply.body.as_array().unwrap();
    let ids: Vec<i64> = items.iter().map(|s| s["item"]["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.first(), Some(&fits), "the matching major ranks first: {ids:?}");
    assert!(ids.contains(&weaker));
    assert!(!ids.contains(&private), "companies are never shown non-consenting graduates");
    assert!(!ids.contains(&too_young), "graduates below the education minimum are not suggested");
    let totals: Vec<f64> = items.iter().map(|s| s["score"]["total"].as_f64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    for s in items {
        assert_eq!(s["item"]["email"], Value::Null);
        for c in ["text", "major", "education", "location", "salary", "benefits", "total"] {
            let v = s["score"][c].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{c} = {v}");
        }
    }
    // The coordinator also sees the non-consenting graduate.
    let all = app.get(&format!("/api/v1/postings/{posting}/suggestions?limit=50"), Some(&coordinator.token)).await;
    assert!(all.body.as_array().unwrap().iter().any(|s| s["item"]["id"] == private));

    let for_graduate = app.get(&format!("/api/v1/graduates/{fits}/suggestions"), Some(&school.token)).await;
    assert_eq!(for_graduate.status, StatusCode::OK);
    assert_eq!(for_graduate.body[0]["item"]["id"], posting);
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{too_young}/suggestions"), Some(&school.token)).await.body,
        json!([])
    );
    // Other tenants and roles.
    assert_eq!(
        app.get(&format!("/api/v1/postings/{posting}/suggestions"), Some(&school.token)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{fits}/suggestions"), Some(&company.token)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/api/v1/postings/{posting}/suggestions?limit=0"), Some(&company.token)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

on_both_backends!(facets_come_only_when_asked_for_on_the_first_page);

async fn facets_come_only_when_asked_for_on_the_first_page(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "鸿图物流", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    for (title, category) in [("仓管员", "logistics"), ("叉车司机", "logistics"), ("包装操作工", "operator")]
    {
        let body = posting_with(json!({"title": title, "category": category}));
        assert_eq!(app.create_posting(&company.token, &body).await.status, StatusCode::CREATED);
    }
    for name in ["陈嘉欣", "黄志豪"] {
        app.create_graduate(&school.token, &graduate_with(json!({"name": name}))).await.created_id();
    }
    app.indexed().await;

    let plain = app.get("/api/v1/postings", None).await;
    assert_eq!(plain.body["total"], 3);
    assert_eq!(plain.body["facets"], json!({}), "not asked for");
    let asked = app.get("/api/v1/postings?facets=true&per_page=1", None).await;
    assert_eq!(asked.body["facets"]["category"], json!({"logistics": 2, "operator": 1}));
    assert_eq!(asked.body["items"].as_array().unwrap().len(), 1);
    let later = app.get("/api/v1/postings?facets=true&per_page=1&page=2", None).await;
    assert_eq!(later.body["facets"], json!({}), "later pages come without facets");
    assert_eq!((later.body["total"].clone(), later.body["items"].as_array().unwrap().len()), (json!(3), 1));
    let words = app.get(&format!("/api/v1/postings?facets=1&q={}", urlencode("叉车")), None).await;
    assert_eq!(words.body["facets"]["category"], json!({"logistics": 1}), "counted over the matches");

    let graduates = app.get("/api/v1/graduates", Some(&coordinator.token)).await;
    assert_eq!((graduates.body["total"].clone(), graduates.body["facets"].clone()), (json!(2), json!({})));
    let asked = app.get("/api/v1/graduates?facets=true", Some(&coordinator.token)).await;
    let seeking: u64 = asked.body["facets"]["status"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(seeking, 2, "{:?}", asked.body["facets"]);
    let later = app.get("/api/v1/graduates?facets=true&per_page=1&page=2", Some(&coordinator.token)).await;
    assert_eq!(later.body["facets"], json!({}));

    let wrong = app.get("/api/v1/postings?facets=maybe", None).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.to_string().contains("facets"), "{:?}", wrong.body);
}
