//! Running a round in the background: load → candidates → solve → explain → save.
//!
//! Progress is written to the round row about once a second (which also serves as the
//! heartbeat). Results are written in one transaction at the end: a run that dies
//! part-way leaves no rows behind, and the round becomes `failed` (by this task on an
//! error, or by [`sweep_stale`] when the process itself died) and may run again.

use super::explain::{self, GraduateNote};
use super::prepare::{self, DropReason, Pool, Prepared, Rules};
use crate::domain::round::{ProjectFill, RoundSettings, RoundStats, SchoolPlacement};
use crate::matching::{self, Assignment, Explanations, Instance, score};
use crate::store::rounds::{self as store, GraduateRow, PostingRow};
use crate::store::search_source::{self, GraduateSource, PostingSource};
use crate::store::{Db, preferences};
use chrono::Utc;
use serde_json::json;
use sqlx::types::Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A running round that has not written progress for this long is taken to be dead.
pub const STALE_AFTER: Duration = Duration::from_secs(120);

/// Rows read per query while loading.
const LOAD_BATCH: i64 = 5_000;

/// Mark rounds whose run died (no heartbeat for [`STALE_AFTER`]) as failed, now and then
/// every half minute, until `stop` turns true.
pub async fn sweep_stale(db: Db, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let stale_before = Utc::now() - STALE_AFTER;
        match db.begin().await {
            Ok(mut tx) => match store::fail_stale(&mut tx, stale_before).await {
                Ok(n) => {
                    if let Err(e) = tx.commit().await {
                        tracing::warn!(error = %e, "could not mark interrupted rounds failed");
                    } else if n > 0 {
                        tracing::warn!(rounds = n, "marked interrupted matching rounds as failed");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not mark interrupted rounds failed"),
            },
            Err(e) => tracing::warn!(error = %e, "could not mark interrupted rounds failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Run a claimed round to the end; on error the round is marked failed with the reason.
pub async fn run(db: Db, id: i64, settings: RoundSettings) {
    let started = Instant::now();
    let outcome = execute(&db, id, &settings).await;
    match outcome {
        Ok(()) => {
            tracing::info!(round = id, seconds = started.elapsed().as_secs_f64(), "matching round done");
            metrics::histogram!("xiaoqi_round_seconds").record(started.elapsed().as_secs_f64());
        }
        Err(error) => {
            tracing::error!(round = id, error = ?error, "matching round failed");
            let message = format!("run failed / 运行失败: {error}");
            let written = async {
                let mut tx = db.begin().await?;
                store::fail(&mut tx, id, &message).await?;
                tx.commit().await
            }
            .await;
            if let Err(e) = written {
                tracing::error!(round = id, error = %e, "could not mark the round failed");
            }
        }
    }
}

async fn report(db: &Db, id: i64, phase: &str, percent: i64) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    store::progress(&mut tx, id, phase, percent).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything a round is built from.
struct Loaded {
    postings: Vec<PostingSource>,
    capacities: Vec<u32>,
    graduates: Vec<GraduateSource>,
    choices: Vec<Vec<i64>>,
    shortlists: Vec<Vec<i64>>,
    absent: HashMap<i64, DropReason>,
}

async fn execute(db: &Db, id: i64, settings: &RoundSettings) -> anyhow::Result<()> {
    let mut timings = BTreeMap::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str, timings: &mut BTreeMap<String, u64>| {
        timings.insert(name.to_string(), clock.elapsed().as_millis() as u64);
        clock = Instant::now();
    };

    report(db, id, "loading", 0).await?;
    let loaded = Arc::new(load(db, settings).await?);
    lap("loading", &mut timings);

    report(db, id, "candidates", 10).await?;
    let rules = Rules {
        fill_from_scores: settings.fill_from_scores,
        candidates_per_graduate: settings.candidates_per_graduate as usize,
        weights: settings.weights,
        seed: settings.seed,
    };
    let done = Arc::new(AtomicUsize::new(0));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let building = tokio::task::spawn_blocking({
        let (loaded, done) = (loaded.clone(), done.clone());
        move || {
            let pool = pool_of(&loaded);
            prepare::prepare(&pool, &rules, &done, threads)
        }
    });
    let total = loaded.graduates.len().max(1);
    let prepared = watch(building, || {
        let percent = 10 + (done.load(Ordering::Relaxed) * 60 / total) as i64;
        report(db, id, "candidates", percent.min(70))
    })
    .await?;
    lap("candidates", &mut timings);

    report(db, id, "solving", 70).await?;
    let proposing = settings.proposing;
    let (prepared, instance, assignment, explanations) = tokio::task::spawn_blocking({
        let capacities = loaded.capacities.clone();
        move || -> anyhow::Result<(Prepared, Instance, Assignment, Explanations)> {
            let instance = Instance::new(prepared.graduate_lists.clone(), prepared.posting_lists.clone(), capacities)?;
            let assignment = matching::solve(&instance, proposing);
            let explanations = matching::explain(&instance, &assignment);
            Ok((prepared, instance, assignment, explanations))
        }
    })
    .await??;
    lap("solving", &mut timings);

    report(db, id, "explaining", 75).await?;
    let rows = tokio::task::spawn_blocking({
        let loaded = loaded.clone();
        move || results(&loaded, &rules, &prepared, &instance, &assignment, &explanations)
    })
    .await?;
    lap("explaining", &mut timings);

    // No progress writes from here: on SQLite the one writer is this transaction's.
    report(db, id, "saving", 85).await?;
    let Results { graduates, postings, mut stats } = rows;
    let mut tx = db.begin().await?;
    store::clear_results(&mut tx, id).await?;
    store::insert_graduate_rows(&mut tx, id, &graduates).await?;
    store::insert_posting_rows(&mut tx, id, &postings).await?;
    lap("saving", &mut timings);
    stats.timings_ms = json!(timings);
    if !store::finish(&mut tx, id, &stats).await? {
        anyhow::bail!("the round stopped being ours while it ran");
    }
    tx.commit().await?;
    Ok(())
}

/// Await `task`, calling `tick` every half second while it runs.
async fn watch<T, F, Fut>(task: tokio::task::JoinHandle<T>, mut tick: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    tokio::pin!(task);
    loop {
        tokio::select! {
            result = &mut task => return Ok(result?),
            _ = tokio::time::sleep(Duration::from_millis(500)) => tick().await?,
        }
    }
}

fn pool_of(loaded: &Loaded) -> Pool<'_> {
    Pool {
        postings: &loaded.postings,
        graduates: &loaded.graduates,
        choices: &loaded.choices,
        shortlists: &loaded.shortlists,
        absent: &loaded.absent,
    }
}

async fn load(db: &Db, settings: &RoundSettings) -> anyhow::Result<Loaded> {
    let scope = &settings.scope;
    let mut conn = db.read().await?;
    let (placed, taken) = match scope.exclude_matched_in_round {
        Some(round) => {
            let mut placed = HashSet::new();
            let mut taken: HashMap<i64, u32> = HashMap::new();
            for (g, p) in store::placements(&mut conn, round).await? {
                placed.insert(g);
                *taken.entry(p).or_default() += 1;
            }
            (placed, taken)
        }
        None => (HashSet::new(), HashMap::new()),
    };

    // An event's scope: the postings its registered companies bring, the graduates of its
    // registered schools (unless schools or graduates are named).
    let (event_postings, event_schools) = match scope.event_id {
        Some(event) => {
            let mut postings = HashSet::new();
            let mut schools = HashSet::new();
            for r in crate::store::events::taking_part(&mut conn, event).await? {
                match r.kind {
                    crate::domain::OrgKind::School => {
                        schools.insert(r.organization_id);
                    }
                    _ => postings.extend(r.posting_ids.0.iter().copied()),
                }
            }
            (Some(postings), Some(schools))
        }
        None => (None, None),
    };
    let posting_ids: Option<HashSet<i64>> =
        scope.posting_ids.as_ref().map(|ids| ids.iter().copied().collect()).or(event_postings);
    let project_ids: Option<HashSet<i64>> = scope.project_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let in_scope = |p: &PostingSource| match (&posting_ids, &project_ids) {
        (Some(ids), _) => ids.contains(&p.posting.id),
        (None, Some(ids)) => p.posting.fields.project_id.is_some_and(|id| ids.contains(&id)),
        (None, None) => true,
    };
    let mut postings = Vec::new();
    let mut capacities = Vec::new();
    let mut absent = HashMap::new();
    let mut after = 0;
    loop {
        let batch = search_source::open_postings_after(&mut conn, after, LOAD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.posting.id;
        for p in batch {
            let left = (p.posting.fields.headcount.max(0) as u32)
                .saturating_sub(taken.get(&p.posting.id).copied().unwrap_or(0));
            if !in_scope(&p) {
                absent.insert(p.posting.id, DropReason::OutOfScope);
            } else if left == 0 {
                absent.insert(p.posting.id, DropReason::NoSeatsLeft);
            } else {
                capacities.push(left);
                postings.push(p);
            }
        }
    }

    let school_ids: Option<HashSet<i64>> =
        scope.school_ids.as_ref().map(|ids| ids.iter().copied().collect()).or(event_schools);
    let graduate_ids: Option<HashSet<i64>> = scope.graduate_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let mut graduates = Vec::new();
    let mut after = 0;
    loop {
        let batch = search_source::seeking_graduates_after(&mut conn, after, LOAD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.graduate.id;
        graduates.extend(batch.into_iter().filter(|g| {
            let id = g.graduate.id;
            !placed.contains(&id)
                && match (&graduate_ids, &school_ids) {
                    (Some(ids), _) => ids.contains(&id),
                    (None, Some(ids)) => ids.contains(&g.graduate.organization_id),
                    (None, None) => true,
                }
        }));
    }

    let graduate_at: HashMap<i64, usize> = graduates.iter().enumerate().map(|(i, g)| (g.graduate.id, i)).collect();
    let mut choices = vec![Vec::new(); graduates.len()];
    for (g, p) in preferences::all_choices(&mut conn).await? {
        if let Some(&at) = graduate_at.get(&g) {
            choices[at].push(p);
        }
    }
    let posting_at: HashMap<i64, usize> = postings.iter().enumerate().map(|(i, p)| (p.posting.id, i)).collect();
    let mut shortlists = vec![Vec::new(); postings.len()];
    for (p, g) in preferences::all_shortlists(&mut conn).await? {
        if let Some(&at) = posting_at.get(&p) {
            shortlists[at].push(g);
        }
    }
    Ok(Loaded { postings, capacities, graduates, choices, shortlists, absent })
}

struct Results {
    graduates: Vec<GraduateRow>,
    postings: Vec<PostingRow>,
    stats: RoundStats,
}

fn results(
    loaded: &Loaded,
    rules: &Rules,
    prepared: &Prepared,
    instance: &Instance,
    assignment: &Assignment,
    explanations: &Explanations,
) -> Results {
    let posting_ids: Vec<i64> = loaded.postings.iter().map(|p| p.posting.id).collect();
    let graduate_ids: Vec<i64> = loaded.graduates.iter().map(|g| g.graduate.id).collect();

    let mut graduates = Vec::with_capacity(graduate_ids.len());
    let mut filled = vec![0i64; posting_ids.len()];
    for (g, source) in loaded.graduates.iter().enumerate() {
        let outcome = &explanations.graduates[g];
        let matched = assignment.posting_of[g];
        let note: GraduateNote = explain::graduate_note(
            outcome,
            instance.graduate_list(g as u32).len(),
            prepared.explicit[g],
            &prepared.dropped[g],
            &posting_ids,
            &graduate_ids,
        );
        let score = matched.map(|p| {
            filled[p as usize] += 1;
            let relevance = outcome.rank.map_or(0.0, |r| prepared.relevance[g][r as usize]);
            let breakdown =
                score(&loaded.postings[p as usize].posting, &source.graduate, f64::from(relevance), &rules.weights);
            Json(serde_json::to_value(breakdown).unwrap_or_default())
        });
        graduates.push(GraduateRow {
            graduate_id: source.graduate.id,
            school_id: source.graduate.organization_id,
            preferences: Json(prepared.graduate_lists[g].iter().map(|p| posting_ids[*p as usize]).collect()),
            lottery: prepared.graduate_lottery[g],
            posting_id: matched.map(|p| posting_ids[p as usize]),
            company_id: matched.map(|p| loaded.postings[p as usize].posting.organization_id),
            graduate_rank: outcome.rank.map(|r| i64::from(r) + 1),
            posting_rank: outcome.posting_rank.map(|r| i64::from(r) + 1),
            score,
            explanation: Json(serde_json::to_value(&note).unwrap_or_default()),
        });
    }

    let mut postings = Vec::with_capacity(posting_ids.len());
    for (p, source) in loaded.postings.iter().enumerate() {
        let note = explain::posting_note(&explanations.postings[p], prepared.shortlisted[p]);
        postings.push(PostingRow {
            posting_id: source.posting.id,
            company_id: source.posting.organization_id,
            project_id: source.posting.fields.project_id,
            preferences: Json(prepared.posting_lists[p].iter().map(|g| graduate_ids[*g as usize]).collect()),
            lottery: prepared.posting_lottery[p],
            capacity: i64::from(loaded.capacities[p]),
            filled: filled[p],
            explanation: Json(serde_json::to_value(&note).unwrap_or_default()),
        });
    }
    let stats = stats(loaded, prepared, &postings, &graduates);
    Results { graduates, postings, stats }
}

fn rate(part: i64, whole: i64) -> f64 {
    if whole > 0 { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 } else { 0.0 }
}

fn stats(loaded: &Loaded, prepared: &Prepared, postings: &[PostingRow], graduates: &[GraduateRow]) -> RoundStats {
    let seats: i64 = postings.iter().map(|p| p.capacity).sum();
    let matched = graduates.iter().filter(|g| g.posting_id.is_some()).count() as i64;

    let mut by_project: BTreeMap<Option<i64>, ProjectFill> = BTreeMap::new();
    for (row, source) in postings.iter().zip(&loaded.postings) {
        let entry = by_project.entry(row.project_id).or_insert_with(|| ProjectFill {
            project_id: row.project_id,
            project_name: source.project_name.clone(),
            postings: 0,
            seats: 0,
            filled: 0,
            fill_rate: 0.0,
        });
        entry.postings += 1;
        entry.seats += row.capacity;
        entry.filled += row.filled;
    }
    let by_project = by_project
        .into_values()
        .map(|mut f| {
            f.fill_rate = rate(f.filled, f.seats);
            f
        })
        .collect();

    let mut by_school: BTreeMap<i64, SchoolPlacement> = BTreeMap::new();
    for (row, source) in graduates.iter().zip(&loaded.graduates) {
        let entry = by_school.entry(row.school_id).or_insert_with(|| SchoolPlacement {
            school_id: row.school_id,
            school_name: source.organization_name.clone(),
            graduates: 0,
            matched: 0,
            placement_rate: 0.0,
        });
        entry.graduates += 1;
        entry.matched += i64::from(row.posting_id.is_some());
    }
    let by_school = by_school
        .into_values()
        .map(|mut s| {
            s.placement_rate = rate(s.matched, s.graduates);
            s
        })
        .collect();

    RoundStats {
        graduates: graduates.len() as i64,
        postings: postings.len() as i64,
        seats,
        matched,
        unmatched: graduates.len() as i64 - matched,
        fill_rate: rate(matched, seats),
        dropped_choices: prepared.dropped.iter().map(|d| d.len() as i64).sum(),
        by_project,
        by_school,
        timings_ms: serde_json::Value::Null,
    }
}
