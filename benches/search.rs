//! Search benchmark: tantivy (jieba + bigrams) against SQLite FTS5 (trigram) on the same
//! rows, in one run. `bench/search.sh` runs it and adds the HTTP figures.
//!
//!   XIAOQI_BENCH_POSTINGS=100000 XIAOQI_BENCH_GRADUATES=100000 cargo bench --bench search
//!
//! Leaves the database and index in `XIAOQI_BENCH_DIR` (default `target/bench-search`) for
//! the HTTP part. Prints a Markdown table.
//!
//!   XIAOQI_BENCH_MIX_ONLY=1 XIAOQI_BENCH_MIX=4000 cargo bench --bench search
//!
//! reuses the index the last run left there and runs only the distinct-query mix (the two
//! Lua generators' requests, in process), so an engine change is measured in seconds.
//!
//!   XIAOQI_BENCH_REINDEX_ONLY=1 cargo bench --bench search
//!
//! rebuilds the index from the database the last run left there, and prints the reindex
//! rows only (for profiling the rebuild).

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};
use tantivy::collector::{Count, TopDocs};
use xiaoqi::search::document::{graduate_text, posting_text};
use xiaoqi::search::schema::KIND_POSTING;
use xiaoqi::search::{SearchIndex, query};
use xiaoqi::store::{Db, search_source};

/// Fixed queries: Chinese words (some only findable inside longer words), Latin terms,
/// and one two-word query.
pub const QUERIES: &[&str] = &[
    "操作工",
    "数控",
    "电工证",
    "仓管",
    "电子信息",
    "焊工",
    "宿舍",
    "技术员",
    "质检",
    "叉车",
    "工程师",
    "肇庆新区",
    "机电一体化",
    "设备维修",
    "五险一金",
    "两班倒",
    "物流",
    "半导体",
    "缝纫",
    "电镀",
    "SMT",
    "PLC",
    "CNC",
    "ERP",
    "SMT 操作工",
];

/// The server's allocator, so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() { dir_size(&e.path()) } else { m.len() }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// The words of a query, as FTS5 and the substring truth see them.
fn words(q: &str) -> Vec<String> {
    q.split_whitespace().map(str::to_lowercase).collect()
}

/// FTS5 with the trigram tokenizer matches terms of 3+ characters; shorter ones need `instr`.
fn fts_sql(q: &str, count: bool) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let long: Vec<String> = words(q).into_iter().filter(|w| w.chars().count() >= 3).collect();
    if !long.is_empty() {
        clauses.push("fts MATCH ?".to_string());
        binds.push(long.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" "));
    }
    for w in words(q).into_iter().filter(|w| w.chars().count() < 3) {
        clauses.push("instr(lower(text), ?) > 0".to_string());
        binds.push(w);
    }
    clauses.push("kind = 'posting'".into());
    let select = if count { "SELECT COUNT(*) FROM fts" } else { "SELECT rowid FROM fts" };
    let order = if count || long.is_empty() { "" } else { " ORDER BY rank" };
    let limit = if count { "" } else { " LIMIT 10" };
    (format!("{select} WHERE {}{order}{limit}", clauses.join(" AND ")), binds)
}

async fn fts_query(pool: &SqlitePool, q: &str, count: bool) -> i64 {
    let (sql, binds) = fts_sql(q, count);
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(pool).await.unwrap();
    if count { rows[0].get::<i64, _>(0) } else { rows.len() as i64 }
}

/// A full rebuild (searchable at its end), then the merge of its segments the server runs
/// in the background (searches below, and the server's, run on the merged index).
async fn reindex(index: &std::sync::Arc<SearchIndex>, db: &Db) -> anyhow::Result<(u64, Duration, Duration)> {
    let started = Instant::now();
    let indexed = index.rebuild(db, |_, _| {}).await?;
    let reindex = started.elapsed();
    let started = Instant::now();
    index.merge_segments().await?;
    Ok((indexed, reindex, started.elapsed()))
}

fn print_reindex(indexed: u64, reindex: Duration, merge: Duration) {
    println!(
        "| full reindex | {:.0} docs/s ({indexed} docs, {:.1} s) |",
        indexed as f64 / reindex.as_secs_f64(),
        reindex.as_secs_f64()
    );
    println!(
        "| then its segments merged into one (searches answer meanwhile) | {:.1} s more ({:.0} docs/s to the end) |",
        merge.as_secs_f64(),
        indexed as f64 / (reindex + merge).as_secs_f64()
    );
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    if std::env::var_os("XIAOQI_BENCH_MIX_ONLY").is_some() {
        let dir = PathBuf::from(std::env::var("XIAOQI_BENCH_DIR").unwrap_or_else(|_| "target/bench-search".into()));
        let (index, _) = SearchIndex::open(&dir.join("index"))?;
        print_mix(&mix_searches(&index, env_usize("XIAOQI_BENCH_MIX", 4000))?);
        return Ok(());
    }
    if std::env::var_os("XIAOQI_BENCH_REINDEX_ONLY").is_some() {
        let dir = PathBuf::from(std::env::var("XIAOQI_BENCH_DIR").unwrap_or_else(|_| "target/bench-search".into()));
        let db = Db::connect(&format!("sqlite://{}", dir.join("xiaoqi.db").display())).await?;
        let index_dir = dir.join("index");
        std::fs::remove_dir_all(&index_dir)?;
        let (index, _) = SearchIndex::open(&index_dir)?;
        let (indexed, reindex, merge) = reindex(&index, &db).await?;
        print_reindex(indexed, reindex, merge);
        return Ok(());
    }
    let postings = env_usize("XIAOQI_BENCH_POSTINGS", 100_000);
    let graduates = env_usize("XIAOQI_BENCH_GRADUATES", 100_000);
    let repeats = env_usize("XIAOQI_BENCH_REPEATS", 40);
    let dir = PathBuf::from(std::env::var("XIAOQI_BENCH_DIR").unwrap_or_else(|_| "target/bench-search".into()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let db_path = dir.join("xiaoqi.db");
    let db = Db::connect(&format!("sqlite://{}", db_path.display())).await?;
    db.migrate().await?;

    eprintln!("generating {postings} postings and {graduates} graduates …");
    let started = Instant::now();
    let (p, g) = xiaoqi::demo::add_synthetic(&db, postings, graduates, 2026, |_, _| {}).await?;
    let generate = started.elapsed();

    eprintln!("indexing …");
    let index_dir = dir.join("index");
    let (index, _) = SearchIndex::open(&index_dir)?;
    let (indexed, reindex, merge) = reindex(&index, &db).await?;

    eprintln!("building the FTS5 table …");
    let fts_path = dir.join("fts5.db");
    let fts = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::from_str(&format!("sqlite://{}", fts_path.display()))?.create_if_missing(true),
        )
        .await?;
    sqlx::query("CREATE VIRTUAL TABLE fts USING fts5(text, kind UNINDEXED, tokenize = 'trigram')")
        .execute(&fts)
        .await?;
    let mut texts: Vec<String> = Vec::new();
    let started = Instant::now();
    let mut tx = fts.begin().await?;
    let mut conn = db.read().await?;
    let mut after = 0;
    loop {
        let rows = search_source::postings_after(&mut conn, after, 5000).await?;
        let Some(last) = rows.last() else { break };
        after = last.posting.id;
        for r in &rows {
            let text = posting_text(r);
            sqlx::query("INSERT INTO fts (text, kind) VALUES (?, 'posting')").bind(&text).execute(&mut *tx).await?;
            texts.push(text.to_lowercase());
        }
    }
    after = 0;
    loop {
        let rows = search_source::graduates_after(&mut conn, after, 5000).await?;
        let Some(last) = rows.last() else { break };
        after = last.graduate.id;
        for r in &rows {
            sqlx::query("INSERT INTO fts (text, kind) VALUES (?, 'graduate')")
                .bind(graduate_text(r))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    drop(conn);
    sqlx::query("INSERT INTO fts(fts) VALUES ('optimize')").execute(&fts).await?;
    let fts_build = started.elapsed();
    sqlx::query("VACUUM").execute(&fts).await?;

    let f = index.fields;
    let searcher = index.searcher();
    let mut rows = Vec::new();
    let (mut all_t, mut all_f) = (Vec::new(), Vec::new());
    for q in QUERIES {
        let tantivy_query =
            query::filtered(query::text_query(&f, &query::parse(q)), vec![query::is_u64(f.kind, KIND_POSTING)]);
        let hits = searcher.search(tantivy_query.as_ref(), &Count)?;
        let mut t = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let started = Instant::now();
            let top = searcher.search(tantivy_query.as_ref(), &TopDocs::with_limit(10).order_by_score())?;
            t.push(started.elapsed());
            std::hint::black_box(top);
        }
        let fts_hits = fts_query(&fts, q, true).await;
        let mut fl = Vec::with_capacity(repeats);
        for _ in 0..repeats.min(10) {
            let started = Instant::now();
            std::hint::black_box(fts_query(&fts, q, false).await);
            fl.push(started.elapsed());
        }
        let qw = words(q);
        let truth = texts.iter().filter(|t| qw.iter().all(|w| occurs(t, w))).count();
        t.sort();
        fl.sort();
        rows.push((q, truth, hits, fts_hits, percentile(&t, 0.5), percentile(&fl, 0.5)));
        all_t.extend(t);
        all_f.extend(fl);
    }
    all_t.sort();
    all_f.sort();

    let distinct = distinct_searches(&index, repeats)?;
    let mix = mix_searches(&index, env_usize("XIAOQI_BENCH_MIX", 4000))?;

    let index_bytes = dir_size(&index_dir);
    let fts_bytes = std::fs::metadata(&fts_path)?.len();
    println!(
        "## Search benchmark: {p} postings + {g} graduates ({} cores)\n",
        std::thread::available_parallelism()?.get()
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| synthetic data (`xiaoqi demo`) | {:.0} rows/s ({:.1} s) |",
        (p + g) as f64 / generate.as_secs_f64(),
        generate.as_secs_f64()
    );
    print_reindex(indexed, reindex, merge);
    println!("| FTS5 table build | {:.1} s |", fts_build.as_secs_f64());
    println!(
        "| tantivy top-10 p50 / p99 (all queries × {repeats}) | {:.3} ms / {:.3} ms |",
        ms(percentile(&all_t, 0.5)),
        ms(percentile(&all_t, 0.99))
    );
    println!(
        "| FTS5 top-10 p50 / p99 | {:.3} ms / {:.3} ms |",
        ms(percentile(&all_f, 0.5)),
        ms(percentile(&all_f, 0.99))
    );
    println!("| FTS5 ÷ tantivy, p50 | {:.0}× |", ms(percentile(&all_f, 0.5)) / ms(percentile(&all_t, 0.5)));
    println!(
        "| index size: tantivy / FTS5 | {:.1} MB / {:.1} MB ({:.0}%) |",
        mb(index_bytes),
        mb(fts_bytes),
        100.0 * index_bytes as f64 / fts_bytes as f64
    );
    println!(
        "\n| query | true substring hits | tantivy hits | FTS5 hits | tantivy p50 ms | FTS5 p50 ms |\n|---|---|---|---|---|---|"
    );
    let mut full_recall = true;
    for (q, truth, hits, fts_hits, t, fl) in &rows {
        full_recall &= hits >= truth;
        println!("| {q} | {truth} | {hits} | {fts_hits} | {:.3} | {:.3} |", ms(*t), ms(*fl));
    }
    println!("\ntantivy finds every true substring hit: {}", if full_recall { "yes" } else { "NO" });
    println!(
        "\n### Whole searches in process, each distinct (one of the first 20 queries, a salary floor never asked before)\n"
    );
    println!("| search | p50 ms | p99 ms | max ms |\n|---|---|---|---|");
    for (name, mut times) in distinct {
        times.sort();
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap())
        );
    }
    print_mix(&mix);
    Ok(())
}

/// One of the mix's kinds of request, as the report groups them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum MixKind {
    PostingsRelevance,
    PostingsSorted,
    PostingsDeepPage,
    PostingsFacets,
    Graduates,
    GraduatesFacets,
}

impl MixKind {
    fn name(self) -> &'static str {
        match self {
            MixKind::PostingsRelevance => "postings, relevance, page 1",
            MixKind::PostingsSorted => "postings, by salary or newest, page 1",
            MixKind::PostingsDeepPage => "postings, page 2–5 (any sort)",
            MixKind::PostingsFacets => "postings, page 1 with facets",
            MixKind::Graduates => "graduates (coordinator), no facets",
            MixKind::GraduatesFacets => "graduates (coordinator), page 1 with facets",
        }
    }
}

/// The requests of `bench/search_postings.lua` and `bench/search_graduates.lua`, `n` of
/// each, drawn from a fixed seed and run one after another in process: the engine's share
/// of the HTTP load, request for request.
fn mix_searches(index: &SearchIndex, n: usize) -> anyhow::Result<Vec<(MixKind, Duration)>> {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use xiaoqi::domain::{Benefit, Category, Education, GraduateStatus};
    use xiaoqi::search::listing::{
        GraduateFilters, GraduateReach, PostingFilters, PostingReach, Sort, search_graduates, search_postings,
    };
    use xiaoqi::store::PageRequest;
    const GRADUATE_TERMS: &[&str] = &[
        "电子信息",
        "机电一体化",
        "数控",
        "电工证",
        "PLC",
        "焊接",
        "会计",
        "物流",
        "计算机",
        "护理",
        "汽车",
        "模具",
        "低压电工证",
        "设备维修",
        "工业机器人",
        "CAD",
        "电子商务",
        "SMT",
        "钳工",
        "吃苦耐劳",
    ];
    let categories = [
        Category::Operator,
        Category::Technician,
        Category::Engineer,
        Category::Logistics,
        Category::Quality,
        Category::Maintenance,
    ];
    let benefits = [
        Benefit::Dormitory,
        Benefit::Meals,
        Benefit::Shuttle,
        Benefit::SocialInsurance,
        Benefit::OvertimePay,
        Benefit::Training,
    ];
    let educations =
        [Education::SecondaryVocational, Education::TechnicalSchool, Education::Associate, Education::Bachelor];
    let statuses = [GraduateStatus::Seeking, GraduateStatus::Placed];
    let sorts = [Sort::Newest, Sort::Salary];
    let mut rng = StdRng::seed_from_u64(14);
    let mut out = Vec::with_capacity(2 * n);
    for _ in 0..n {
        let mut p = PostingFilters {
            q: QUERIES[rng.random_range(0..20)].to_string(),
            salary_min: Some(rng.random_range(0..=9000)),
            ..Default::default()
        };
        let page = if rng.random::<f64>() < 0.3 { rng.random_range(2..=5) } else { 1 };
        p.page = PageRequest { page, per_page: 10 };
        if rng.random::<f64>() < 0.2 {
            p.sort = sorts[rng.random_range(0..2)];
        }
        if rng.random::<f64>() < 0.15 {
            p.category = Some(categories[rng.random_range(0..categories.len())]);
        }
        if rng.random::<f64>() < 0.15 {
            p.benefits = vec![benefits[rng.random_range(0..benefits.len())]];
        }
        p.facets = page == 1 && rng.random::<f64>() < 0.25;
        let kind = match (p.facets, page > 1, p.sort) {
            (true, _, _) => MixKind::PostingsFacets,
            (_, true, _) => MixKind::PostingsDeepPage,
            (_, _, Sort::Relevance) => MixKind::PostingsRelevance,
            _ => MixKind::PostingsSorted,
        };
        let started = Instant::now();
        std::hint::black_box(search_postings(index, PostingReach::OpenOnly, &p)?);
        out.push((kind, started.elapsed()));

        let mut g = GraduateFilters { q: GRADUATE_TERMS[rng.random_range(0..20)].to_string(), ..Default::default() };
        if rng.random::<f64>() < 0.5 {
            g.graduation_year = Some(rng.random_range(2024..=2027));
        }
        let page = if rng.random::<f64>() < 0.3 { rng.random_range(2..=5) } else { 1 };
        g.page = PageRequest { page, per_page: rng.random_range(10..=30) };
        if rng.random::<f64>() < 0.2 {
            g.sort = sorts[rng.random_range(0..2)];
        }
        if rng.random::<f64>() < 0.2 {
            g.education = Some(educations[rng.random_range(0..educations.len())]);
        }
        if rng.random::<f64>() < 0.15 {
            g.status = Some(statuses[rng.random_range(0..2)]);
        }
        g.facets = page == 1 && rng.random::<f64>() < 0.25;
        let kind = if g.facets { MixKind::GraduatesFacets } else { MixKind::Graduates };
        let started = Instant::now();
        std::hint::black_box(search_graduates(index, GraduateReach::Everyone, &g)?);
        out.push((kind, started.elapsed()));
    }
    Ok(out)
}

fn print_mix(mix: &[(MixKind, Duration)]) {
    println!("\n### The distinct-query mix in process (the Lua generators' requests, one at a time)\n");
    println!("| kind | requests | mean ms | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|");
    let mut kinds: Vec<MixKind> = mix.iter().map(|(k, _)| *k).collect();
    kinds.sort();
    kinds.dedup();
    let row = |name: &str, mut times: Vec<Duration>| {
        times.sort();
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            times.len(),
            ms(mean),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap())
        );
    };
    for kind in kinds {
        row(kind.name(), mix.iter().filter(|(k, _)| *k == kind).map(|(_, t)| *t).collect());
    }
    let postings = |k: MixKind| k < MixKind::Graduates;
    row("**all postings**", mix.iter().filter(|(k, _)| postings(*k)).map(|(_, t)| *t).collect());
    row("**all graduates**", mix.iter().filter(|(k, _)| !postings(*k)).map(|(_, t)| *t).collect());
}

/// `search_postings` and `search_graduates` as the API runs them, every call distinct so
/// the page cache never answers: without facets, with facets, and a later page.
fn distinct_searches(index: &SearchIndex, repeats: usize) -> anyhow::Result<Vec<(&'static str, Vec<Duration>)>> {
    use xiaoqi::search::listing::{
        GraduateFilters, GraduateReach, PostingFilters, PostingReach, search_graduates, search_postings,
    };
    use xiaoqi::store::PageRequest;
    let first = PageRequest { page: 1, per_page: 10 };
    let third = PageRequest { page: 3, per_page: 10 };
    let mut out: Vec<(&'static str, Vec<Duration>)> = Vec::new();
    let mut floor = 0;
    for (name, page, facets) in [
        ("postings, page 1", first, false),
        ("postings, page 1 with facets", first, true),
        ("postings, page 3", third, false),
    ] {
        let mut times = Vec::new();
        for q in &QUERIES[..20] {
            for _ in 0..repeats.min(10) {
                floor += 1;
                let filters = PostingFilters {
                    q: q.to_string(),
                    salary_min: Some(floor % 9000),
                    page,
                    facets,
                    ..Default::default()
                };
                let started = Instant::now();
                std::hint::black_box(search_postings(index, PostingReach::OpenOnly, &filters)?);
                times.push(started.elapsed());
            }
        }
        out.push((name, times));
    }
    for (name, facets) in [("graduates (coordinator), page 1", false), ("graduates, page 1 with facets", true)] {
        let mut times = Vec::new();
        for q in &QUERIES[..20] {
            for year in 2024..2024 + repeats.min(10) as i64 {
                let filters = GraduateFilters {
                    q: q.to_string(),
                    graduation_year: Some(year % 4 + 2024),
                    page: first,
                    facets,
                    ..Default::default()
                };
                let started = Instant::now();
                std::hint::black_box(search_graduates(index, GraduateReach::Everyone, &filters)?);
                times.push(started.elapsed());
            }
        }
        out.push((name, times));
    }
    Ok(out)
}

/// Han text matches as a substring; Latin terms (SMT, PLC) as whole words.
fn occurs(text: &str, word: &str) -> bool {
    if !word.chars().all(|c| c.is_ascii_alphanumeric()) {
        return text.contains(word);
    }
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
