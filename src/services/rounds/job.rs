//! Running a round in the background: load → candidates → solve (and the supplementary
//! passes) → explain → save.
//!
//! Progress is written to the round row about once a second (which also serves as the
//! heartbeat). Results are written at the end in short transactions and become the
//! round's with its final flip to `done` (see `save`): a run that dies part-way leaves
//! only unread rows behind, and the round becomes `failed` (by this task on an error, or
//! by [`sweep_stale`] when the process itself died) and may run again.

use super::load::{load, pool_of};
use super::outcome::{Results, results};
use super::prepare::{Builder, Prepared, Rules};
use super::save::Saving;
use super::supplement::{self, Solved};
use crate::domain::round::RoundSettings;
use crate::matching::{self, Explanations};
use crate::store::Db;
use crate::store::rounds as store;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running round that has not written progress for this long is taken to be dead: four
/// missed heartbeats, each of which may wait up to the default writer wait (10 s) behind
/// other writers, so a live run is never taken for dead, and a round whose process was
/// killed may run again within a minute of the restart.
pub const STALE_AFTER: Duration = Duration::from_secs(45);

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

/// One claimed run of a round: writes progress under its token, and a heartbeat every
/// [`HEARTBEAT`] from its own task, so even a long phase without progress keeps it alive.
struct Run {
    db: Db,
    id: i64,
    token: DateTime<Utc>,
    now: Arc<Mutex<(String, i64)>>,
}

/// How often a running round says it is alive (well under [`STALE_AFTER`]).
const HEARTBEAT: Duration = Duration::from_secs(10);

impl Run {
    async fn write(db: &Db, id: i64, token: DateTime<Utc>, phase: &str, percent: i64) -> anyhow::Result<()> {
        let mut tx = db.begin().await?;
        store::progress(&mut tx, id, token, phase, percent).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn report(&self, phase: &str, percent: i64) -> anyhow::Result<()> {
        *self.now.lock().expect("progress lock") = (phase.to_string(), percent);
        Run::write(&self.db, self.id, self.token, phase, percent).await
    }

    fn heartbeat(&self) -> tokio::task::JoinHandle<()> {
        let (db, id, token, now) = (self.db.clone(), self.id, self.token, self.now.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT).await;
                let (phase, percent) = now.lock().expect("progress lock").clone();
                if let Err(e) = Run::write(&db, id, token, &phase, percent).await {
                    tracing::warn!(round = id, error = %e, "could not write the round's heartbeat");
                }
            }
        })
    }
}

/// Run a claimed round (`token` from the claim) to the end, saving `save_rows` result rows
/// per transaction; on error the round is marked failed with the reason.
pub async fn run(db: Db, id: i64, token: DateTime<Utc>, settings: RoundSettings, save_rows: usize) {
    let started = Instant::now();
    let run = Run { db: db.clone(), id, token, now: Arc::new(Mutex::new(("loading".into(), 0))) };
    let heartbeat = run.heartbeat();
    let outcome = execute(&run, &settings, save_rows).await;
    heartbeat.abort();
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
                store::fail(&mut tx, id, token, &message).await?;
                tx.commit().await
            }
            .await;
            if let Err(e) = written {
                tracing::error!(round = id, error = %e, "could not mark the round failed");
            }
        }
    }
}

async fn execute(run: &Run, settings: &RoundSettings, save_rows: usize) -> anyhow::Result<()> {
    let (db, id) = (&run.db, run.id);
    let mut timings = BTreeMap::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str, timings: &mut BTreeMap<String, u64>| {
        timings.insert(name.to_string(), clock.elapsed().as_millis() as u64);
        clock = Instant::now();
    };

    run.report("loading", 0).await?;
    let today = crate::domain::offer::today_in_shanghai(Utc::now());
    let loaded = Arc::new(load(db, settings, today).await?);
    lap("loading", &mut timings);

    run.report("candidates", 10).await?;
    let rules = Rules {
        fill_from_scores: settings.fill_from_scores,
        candidates_per_graduate: settings.candidates_per_graduate as usize,
        weights: settings.weights,
        seed: settings.seed,
    };
    // Without suggestions only the graduates' own choices count: no supplementary offers either.
    let (proposing, supplementary) = (settings.proposing, settings.supplementary && settings.fill_from_scores);
    let done = Arc::new(AtomicUsize::new(0));
    // 0 while lists are built, then 1 + the supplementary passes done.
    let stage = Arc::new(AtomicUsize::new(0));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let building = tokio::task::spawn_blocking({
        let (loaded, done, stage) = (loaded.clone(), done.clone(), stage.clone());
        move || -> anyhow::Result<Built> {
            let clock = Instant::now();
            let pool = pool_of(&loaded);
            let builder = Builder::new(&pool, &rules);
            let mut prepared = builder.prepare(&done, threads);
            let candidates = clock.elapsed().as_millis() as u64;
            stage.store(1, Ordering::Relaxed);
            let solved = supplement::solve_with_passes(
                &builder,
                &mut prepared,
                &loaded.capacities,
                proposing,
                supplementary,
                threads,
                |pass| stage.store(1 + pass as usize, Ordering::Relaxed),
            )?;
            let explanations = matching::explain(&solved.instance, &solved.assignment);
            let solving = clock.elapsed().as_millis() as u64 - candidates;
            let laps = [
                ("candidates", candidates),
                ("solving", solving.saturating_sub(solved.supplementary_ms)),
                ("supplementary", solved.supplementary_ms),
            ];
            Ok((prepared, solved, explanations, laps))
        }
    });
    let total = loaded.graduates.len().max(1);
    let (prepared, solved, explanations, laps) = watch(building, || {
        let (phase, percent) = match stage.load(Ordering::Relaxed) {
            0 => ("candidates", 10 + (done.load(Ordering::Relaxed) * 60 / total) as i64),
            passes => ("solving", 70 + passes.min(6) as i64 - 1),
        };
        run.report(phase, percent.min(75))
    })
    .await??;
    // One lap on this side; the building task's own clock splits it into its phases.
    lap("solving", &mut timings);
    for (name, ms) in laps {
        timings.insert(name.to_string(), ms);
    }

    run.report("explaining", 75).await?;
    let rows = tokio::task::spawn_blocking({
        let loaded = loaded.clone();
        move || results(&loaded, &rules, &prepared, &solved, &explanations)
    })
    .await?;
    lap("explaining", &mut timings);

    // Saved in short transactions, invisible until the final flip (see `save`).
    run.report("saving", 85).await?;
    let Results { graduates, postings, mut stats } = rows;
    let saving = Saving { db, id, token: run.token, rows: save_rows };
    let note = |percent| *run.now.lock().expect("progress lock") = ("saving".to_string(), percent);
    saving.rows(&graduates, &postings, note).await?;
    lap("saving", &mut timings);
    stats.timings_ms = json!(timings);
    saving.finish(&stats).await
}

/// The lists, the final matching and its explanations, with the time of each phase.
type Built = (Prepared, Solved, Explanations, [(&'static str, u64); 3]);

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
