//! The index on disk: one writer (behind a lock), one reader, a searcher per request.
//! It follows the `changes` log and records how far it got in each commit's payload, so
//! it catches up after a crash and can be rebuilt from the database at any time.

use super::cache::{FilterCache, GenerationCache};
use super::document;
use super::evaluate::SetCaches;
use super::schema::{self, Fields, SCHEMA_VERSION};
use super::tokenize;
use super::word_sets::WordSetCache;
use crate::store::changes::{self, Cursor, Entity};
use crate::store::{Db, search_source};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term};

/// Changes applied per commit while following the log.
const FOLLOW_BATCH: i64 = 2000;
/// Rows read per page during a rebuild.
const REBUILD_PAGE: i64 = 5000;
/// The listing page cache: at most this many pages, holding at most this many bytes.
const PAGE_CACHE_ENTRIES: usize = 2048;
const PAGE_CACHE_BYTES: usize = 24 << 20;
/// The filter cache: a set takes an eighth of a byte per document of its segment, so
/// 24 MB holds about a thousand sets of 200,000-document segments.
const FILTER_CACHE_ENTRIES: usize = 4096;
const FILTER_CACHE_BYTES: usize = 24 << 20;
/// The sets of words searched again: a common word's four sets take half a byte per
/// document of the index, so 32 MB holds about 300 words of a 200,000-document index.
const WORD_CACHE_BYTES: usize = 32 << 20;

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u64,
    cursor: Cursor,
}

pub struct SearchIndex {
    reader: IndexReader,
    pub fields: Fields,
    writer: Mutex<IndexWriter>,
    cursor: Mutex<Cursor>,
    health: Mutex<Health>,
    dir: PathBuf,
    /// Listing pages already computed for the current searcher generation.
    pub(crate) pages: Mutex<PageCache>,
    /// Filters' and returning words' document sets per segment, for the current searcher
    /// generation: every search has filters, and most searches share them.
    pub(crate) sets: SetCaches,
}

/// How the following of the change log went, as far as this process saw.
#[derive(Debug, Default)]
struct Health {
    /// When the last read of the log that found nothing left to apply started: every
    /// change committed before then is in the index.
    caught_up_at: Option<Instant>,
    /// The last attempt to rebuild or to apply changes failed.
    failed: bool,
}

/// How far search is behind the database, for readiness and metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freshness {
    /// The follower's last attempt (a rebuild or a batch of changes) failed.
    pub failed: bool,
    /// An upper bound on how long any committed change has waited to reach search; zero
    /// when none waits. With changes waiting, it is the smaller of two bounds: the age of
    /// the oldest one (stamped when written, so at or before its commit) and the time
    /// since the follower was last caught up (every change committed before then is
    /// applied). The first holds when the follower never caught up or has stalled; the
    /// second keeps a long transaction's early changes from counting as waiting while it
    /// ran.
    pub lag: Duration,
}

/// Listing pages by (searcher generation, viewer scope, filters).
pub(crate) type PageCache = GenerationCache<Arc<super::listing::SearchPage>>;

/// Why the index must be rebuilt from the database, if it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    No,
    Empty,
    OtherSchema,
}

fn writer_for(index: &Index, dir: &Path) -> anyhow::Result<IndexWriter> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 4);
    index.writer_with_num_threads(threads, threads * 40_000_000).map_err(|e| match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => anyhow::anyhow!(
            "the search index in {} is in use by another xiaoqi process (a running server?); \
             stop it first, or give this command another XIAOQI_INDEX_DIR",
            dir.display()
        ),
        other => anyhow::Error::new(other).context(format!("opening the index writer in {}", dir.display())),
    })
}

impl SearchIndex {
    /// Open the index in `dir`, or create it there. An index written with another schema
    /// version (or unreadable) is cleared; the answer says whether to rebuild.
    pub fn open(dir: &Path) -> anyhow::Result<(Arc<SearchIndex>, Rebuild)> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating the index directory {}", dir.display()))?;
        let (schema, fields) = schema::build();
        let (index, rebuild, cursor) = match Index::open_in_dir(dir) {
            Ok(existing) => {
                // Whoever else writes here must be refused before anything is cleared.
                drop(writer_for(&existing, dir)?);
                let payload = existing
                    .load_metas()
                    .ok()
                    .and_then(|m| m.payload)
                    .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
                match payload {
                    Some(p) if p.schema == SCHEMA_VERSION && existing.schema() == schema => {
                        (existing, Rebuild::No, p.cursor)
                    }
                    // Another schema, or never completed a first build.
                    _ => (recreate(dir, schema)?, Rebuild::OtherSchema, Cursor::default()),
                }
            }
            Err(_) => (recreate(dir, schema)?, Rebuild::Empty, Cursor::default()),
        };
        tokenize::register(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let writer = writer_for(&index, dir)?;
        let index = SearchIndex {
            reader,
            fields,
            writer: Mutex::new(writer),
            cursor: Mutex::new(cursor),
            health: Mutex::new(Health::default()),
            dir: dir.to_path_buf(),
            pages: Mutex::new(PageCache::bounded(PAGE_CACHE_ENTRIES, PAGE_CACHE_BYTES, |page| page.footprint())),
            sets: SetCaches {
                filters: Mutex::new(FilterCache::bounded(FILTER_CACHE_ENTRIES, FILTER_CACHE_BYTES, |bits| {
                    bits.footprint()
                })),
                words: WordSetCache::new(WORD_CACHE_BYTES),
            },
        };
        Ok((Arc::new(index), rebuild))
    }

    /// The generation of what searches see now; it changes with every index commit.
    pub fn generation(&self) -> u64 {
        self.searcher().generation().generation_id()
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Has the index caught up with the database since start?
    pub fn is_ready(&self) -> bool {
        self.health.lock().expect("health lock").caught_up_at.is_some()
    }

    /// How far behind the database search is now (reads the change log); also sets the
    /// `xiaoqi_search_lag_seconds` gauge.
    pub async fn freshness(&self, db: &Db) -> anyhow::Result<Freshness> {
        let cursor = self.cursor();
        let (caught_up_at, failed) = {
            let health = self.health.lock().expect("health lock");
            (health.caught_up_at, health.failed)
        };
        let oldest = changes::oldest_unapplied_age(db, &cursor).await?;
        let lag = match oldest {
            None => Duration::ZERO,
            Some(age) => {
                let age = Duration::from_secs_f64(age.max(0.0));
                caught_up_at.map_or(age, |at| age.min(at.elapsed()))
            }
        };
        metrics::gauge!("xiaoqi_search_lag_seconds").set(lag.as_secs_f64());
        Ok(Freshness { failed, lag })
    }

    fn note_failure(&self, failed: bool) {
        self.health.lock().expect("health lock").failed = failed;
    }

    pub fn cursor(&self) -> Cursor {
        self.cursor.lock().expect("cursor lock").clone()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write documents, replacing those with the same keys, and commit with `cursor`.
    pub(crate) fn commit(
        &self,
        deletes: Vec<String>,
        docs: Vec<TantivyDocument>,
        cursor: &Cursor,
    ) -> anyhow::Result<()> {
        let mut writer = self.writer.lock().expect("index writer lock");
        let written = (|| -> anyhow::Result<()> {
            for key in deletes {
                writer.delete_term(Term::from_field_text(self.fields.key, &key));
            }
            for doc in docs {
                writer.add_document(doc)?;
            }
            let payload = serde_json::to_string(&Payload { schema: SCHEMA_VERSION, cursor: cursor.clone() })?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            Ok(())
        })();
        if let Err(error) = written {
            // A commit that failed (a full disk, say) leaves operations pending in the writer;
            // drop them, so the retry starts from the last commit and its cursor again.
            if let Err(rollback) = writer.rollback() {
                tracing::error!(error = %rollback, "could not roll the index writer back");
            }
            return Err(error);
        }
        drop(writer);
        self.reader.reload()?;
        *self.cursor.lock().expect("cursor lock") = cursor.clone();
        Ok(())
    }

    /// Apply one batch of the change log. Returns how many changes it applied; none means
    /// the index is caught up (and ready).
    pub async fn apply_changes(self: &Arc<Self>, db: &Db) -> anyhow::Result<usize> {
        let started = Instant::now();
        let applied = self.apply_batch(db).await;
        let mut health = self.health.lock().expect("health lock");
        health.failed = applied.is_err();
        if let Ok(0) = applied {
            health.caught_up_at = Some(started);
        }
        applied
    }

    async fn apply_batch(self: &Arc<Self>, db: &Db) -> anyhow::Result<usize> {
        let cursor = self.cursor();
        let (changes, next) = changes::unapplied(db, &cursor, FOLLOW_BATCH).await?;
        if changes.is_empty() {
            // Nothing new; still remember which transactions to come back for.
            *self.cursor.lock().expect("cursor lock") = next;
            return Ok(0);
        }
        // The current row is what counts, whatever the operation: applying twice is harmless.
        // Each changed record is deleted by key and, if it still exists, added again, its
        // rows loaded with one query per kind (a large import catches up in few queries).
        let mut seen = HashSet::new();
        let mut deletes = Vec::new();
        let (mut postings, mut graduates) = (Vec::new(), Vec::new());
        for change in &changes {
            let Some(entity) = Entity::parse(&change.entity) else { continue };
            if !seen.insert((entity, change.entity_id)) {
                continue;
            }
            deletes.push(document::key(entity, change.entity_id));
            match entity {
                Entity::Posting => postings.push(change.entity_id),
                Entity::Graduate => graduates.push(change.entity_id),
            }
        }
        let mut conn = db.read().await?;
        let postings = search_source::postings_by_ids(&mut conn, &postings).await?;
        let graduates = search_source::graduates_by_ids(&mut conn, &graduates).await?;
        drop(conn);
        let mut docs: Vec<TantivyDocument> = postings.iter().map(|p| document::posting(&self.fields, p)).collect();
        docs.extend(graduates.iter().map(|g| document::graduate(&self.fields, g)));
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.commit(deletes, docs, &next)).await??;
        Ok(changes.len())
    }

    /// Apply changes until none are left.
    pub async fn catch_up(self: &Arc<Self>, db: &Db) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let n = self.apply_changes(db).await?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// Rebuild everything from the database; `progress(done, total)` is called as it goes.
    /// Returns the number of documents indexed. Reading the database, building documents
    /// and tokenizing (in the writer's threads) run side by side.
    pub async fn rebuild(self: &Arc<Self>, db: &Db, progress: impl Fn(u64, u64)) -> anyhow::Result<u64> {
        enum Page {
            Postings(Vec<search_source::PostingSource>),
            Graduates(Vec<search_source::GraduateSource>),
        }
        let cursor = changes::current_cursor(db).await?;
        let total = search_source::count(&mut db.read().await?).await? as u64;
        self.writer.lock().expect("index writer lock").delete_all_documents()?;
        progress(0, total);

        let (pages, mut received) = tokio::sync::mpsc::channel::<Page>(2);
        let reader = {
            let db = db.clone();
            tokio::spawn(async move {
                let mut conn = db.read().await?;
                let mut after = 0;
                loop {
                    let rows = search_source::postings_after(&mut conn, after, REBUILD_PAGE).await?;
                    let Some(last) = rows.last() else { break };
                    after = last.posting.id;
                    if pages.send(Page::Postings(rows)).await.is_err() {
                        return Ok(());
                    }
                }
                after = 0;
                loop {
                    let rows = search_source::graduates_after(&mut conn, after, REBUILD_PAGE).await?;
                    let Some(last) = rows.last() else { break };
                    after = last.graduate.id;
                    if pages.send(Page::Graduates(rows)).await.is_err() {
                        return Ok(());
                    }
                }
                anyhow::Ok(())
            })
        };
        let mut done = 0u64;
        while let Some(page) = received.recv().await {
            let this = self.clone();
            done += tokio::task::spawn_blocking(move || -> anyhow::Result<u64> {
                use rayon::prelude::*;
                let f = &this.fields;
                // Documents are built on every core; the writer's threads tokenize them.
                let docs: Vec<TantivyDocument> = match &page {
                    Page::Postings(rows) => rows.par_iter().map(|r| document::posting(f, r)).collect(),
                    Page::Graduates(rows) => rows.par_iter().map(|r| document::graduate(f, r)).collect(),
                };
                let n = docs.len() as u64;
                let writer = this.writer.lock().expect("index writer lock");
                for doc in docs {
                    writer.add_document(doc)?;
                }
                Ok(n)
            })
            .await??;
            progress(done, total);
        }
        reader.await??;
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.commit(Vec::new(), Vec::new(), &cursor)).await??;
        Ok(done)
    }

    /// Merge every segment into one, as after a rebuild (which leaves several): a search
    /// repeats its per-segment work (term lookups, sets, BM25 statistics) on each. The
    /// index answers fully meanwhile; the merged segment replaces the others when done.
    /// Later commits add small segments again, which the writer's merge policy folds in.
    pub async fn merge_segments(self: &Arc<Self>) -> anyhow::Result<()> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.merge_all()).await?
    }

    fn merge_all(&self) -> anyhow::Result<()> {
        let segments = self.reader.searcher().segment_readers().iter().map(|s| s.segment_id()).collect::<Vec<_>>();
        if segments.len() < 2 {
            return Ok(());
        }
        // The writer stays free while the merge runs in its own threads.
        let merging = self.writer.lock().expect("index writer lock").merge(&segments);
        merging.wait()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Bring the index up to date (rebuilding if `rebuild` says so; caught up, it is
    /// ready), then follow the change log until `stop` turns true.
    pub async fn follow(self: Arc<Self>, db: Db, rebuild: Rebuild, mut stop: tokio::sync::watch::Receiver<bool>) {
        tokenize::warm_up();
        metrics::describe_gauge!(
            "xiaoqi_search_lag_seconds",
            "How long, at most, a committed change has waited to reach search (0 when none waits)"
        );
        loop {
            let started = std::time::Instant::now();
            let attempt = async {
                if rebuild != Rebuild::No {
                    let n = self.rebuild(&db, |_, _| {}).await?;
                    tracing::info!(documents = n, reason = ?rebuild, seconds = started.elapsed().as_secs_f64(), "search index rebuilt");
                    // Searches are answered while the rebuild's segments merge.
                    let index = self.clone();
                    tokio::spawn(async move {
                        let started = std::time::Instant::now();
                        match index.merge_segments().await {
                            Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "search index merged"),
                            Err(error) => tracing::warn!(%error, "search index not merged; searches stay correct"),
                        }
                    });
                }
                self.catch_up(&db).await
            };
            tokio::select! {
                result = attempt => match result {
                    Ok(n) => {
                        tracing::info!(changes = n, "search index caught up");
                        break;
                    }
                    // A rebuild that failed half-way is simply run again.
                    Err(e) => {
                        self.note_failure(true);
                        tracing::error!(error = format!("{e:#}"), "search index could not catch up; retrying in 2 s")
                    }
                },
                _ = stop.changed() => return,
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                _ = stop.changed() => return,
            }
        }
        let mut pause = Duration::from_millis(100);
        loop {
            match self.apply_changes(&db).await {
                Ok(n) => {
                    pause = Duration::from_millis(if n > 0 { 0 } else { 100 });
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "search index follower failed; retrying");
                    pause = (pause * 2).clamp(Duration::from_millis(500), Duration::from_secs(10));
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// An empty index in `dir`, after clearing whatever was there.
/// Stored documents are compressed in blocks of this many bytes: a page of results reads
/// one block per hit, so small blocks decompress little beyond the hit (tantivy's default,
/// 16 KB, took a tenth of a graduate search's time).
const DOCSTORE_BLOCK_BYTES: usize = 4096;

fn recreate(dir: &Path, schema: tantivy::schema::Schema) -> anyhow::Result<Index> {
    clear_dir(dir)?;
    let settings = tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK_BYTES, ..Default::default() };
    Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)
        .with_context(|| format!("creating an index in {}", dir.display()))
}

fn clear_dir(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // The README that marks the default index folder stays.
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
