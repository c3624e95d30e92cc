//! Roster import. A file (`.xlsx`, `.xls` or `.csv`) is read into rows (`sheets`, then
//! `domain::roster`, which turns each row into the JSON `POST /graduates` takes and parses
//! it the same way); each row is compared with the school's roster by 学号: new, changed,
//! unchanged or invalid. A dry run stops there. Otherwise, in ONE transaction: the new rows
//! are inserted in bulk and the changed ones updated (the tables' triggers log them); consent
//! records (method `import`) for new consenting graduates and for changed answers; one
//! audit entry; and the school's cross-school duplicates are looked for. Re-importing the
//! same file finds every row unchanged and writes nothing.
//!
//! The import page stages the file (with the dry run's report as its preview), then runs
//! it in the background; its progress is kept in memory ([`Runs`]) and its report stored.

use super::{Actor, duplicates, owning_org, unique_as_taken};
use crate::domain::OrgKind;
use crate::domain::consent::{CURRENT_TEXT, ConsentMethod};
use crate::domain::graduate::{Graduate, GraduateFields};
use crate::domain::roster::{self, ERROR_HEADING, ImportMode, ImportReport, Reading, RowError, RowReading, Sheet};
use crate::error::{AppError, AppResult};
use crate::sheets;
use crate::sheets::write::TemplateColumn;
use crate::store::imports::{self, NewStaged};
use crate::store::{Db, Tx, audit, bulk, graduates};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

/// The largest file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most rows one file may hold (larger rosters are imported in parts).
pub const MAX_ROWS: usize = 100_000;

/// What a 413 says (a file over either limit).
pub const TOO_LARGE: &str = "The file is larger than 20 MB or has more than 100,000 rows: split it into several files \
     / 文件超过 20 MB 或超过 10 万行：请拆分成几个文件分批导入";

/// Imports reading and checking at once: each holds a whole file's rows in memory, so
/// more would only queue for the same two cores and raise the peak.
static RUNNING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Waiting for another import to finish.
    Queued,
    Reading,
    Checking,
    Writing,
}

/// Told where a run is: (phase, rows done, rows in all).
pub type Progress = Arc<dyn Fn(Phase, u64, u64) + Send + Sync>;

/// A run nobody watches.
pub fn quiet() -> Progress {
    Arc::new(|_, _, _| {})
}

/// Who imports into which school's roster: a user, or the command line (no user).
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub school: i64,
    pub user_id: Option<i64>,
}

impl Importer {
    /// The school `actor` imports into: a school user's own; for coordinators the
    /// `organization_id` they name, which must be a school. Companies get 403.
    pub async fn for_actor(db: &Db, actor: &Actor, organization_id: Option<i64>) -> AppResult<Importer> {
        // Nothing is written: the transaction only lends `owning_org` its connection.
        let mut tx = db.begin().await?;
        let school = owning_org(&mut tx, actor, organization_id, OrgKind::School).await?;
        drop(tx);
        Ok(Importer { school, user_id: Some(actor.user_id) })
    }
}

/// Import `upload` into the importer's roster (or, with `dry_run`, only say what it would
/// do). With [`ImportMode::AllOrNothing`] and an invalid row nothing is written; the
/// report says so (`written: false`).
///
/// Rows are checked on a blocking thread and handed to the writer in batches as they are
/// checked, so a large file is never held as rows and as graduates at once; an
/// all-or-nothing import that meets an invalid row rolls the transaction back.
pub async fn run(
    db: &Db,
    importer: Importer,
    upload: Upload,
    mode: ImportMode,
    dry_run: bool,
    progress: Progress,
) -> AppResult<ImportReport> {
    progress(Phase::Queued, 0, 0);
    let _turn = RUNNING.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let _trim = Trim;
    progress(Phase::Reading, 0, 0);
    let file = Arc::new(blocking(move || File::read(&upload)).await??);
    let phase = if dry_run { Phase::Checking } else { Phase::Writing };
    if dry_run {
        let roster = imports::roster(&mut db.read().await?, importer.school).await?;
        let (checked, _) = check_all(file, roster, phase, progress, |_| true).await?;
        return Ok(checked.report);
    }
    // The roster is read in the writing transaction, so nothing changes it in between.
    let mut tx = db.begin().await?;
    let roster = imports::roster(&mut tx, importer.school).await?;
    let mut writer = Writer::start(&mut tx, importer).await?;
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(2);
    let checking = check_all(file, roster, phase, progress.clone(), move |batch| sender.blocking_send(batch).is_ok());
    // The receiver goes with the writing: should it fail, the checking sees the channel
    // closed and stops instead of waiting for room in it.
    let writing = {
        let (tx, writer) = (&mut tx, &mut writer);
        async move {
            while let Some(batch) = batches.recv().await {
                writer.write(tx, batch).await?;
            }
            Ok::<_, AppError>(())
        }
    };
    let (checked, written) = tokio::join!(checking, writing);
    written?;
    let (checked, _) = checked?;
    let mut report = checked.report;
    if mode == ImportMode::AllOrNothing && report.invalid > 0 {
        // Dropping the transaction rolls back what was written.
        return Ok(report);
    }
    writer.finish(&mut tx).await?;
    tx.commit().await?;
    report.written = true;
    progress(Phase::Writing, report.rows(), report.rows());
    Ok(report)
}

/// Gives the memory an import used back to the system when the import ends, however it
/// ends: glibc keeps freed memory in its arenas, so a server that read a file of 50,000
/// rows would otherwise stay that large, and the next import (or the search index taking
/// in the new graduates) would add to it.
struct Trim;

impl Drop for Trim {
    fn drop(&mut self) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only hands free pages of the allocator's own heaps back to
        // the system; it touches no memory in use.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.into()))
}

/// A file's sheets and what the roster makes of them.
struct File {
    sheets: Vec<Sheet>,
    reading: Reading,
}

impl File {
    /// A file that is not a spreadsheet is a 422 naming `file`, one over [`MAX_ROWS`] a 413.
    fn read(upload: &Upload) -> AppResult<File> {
        if upload.bytes.is_empty() {
            return Err(AppError::field("file", "is empty / 文件是空的"));
        }
        let sheets = sheets::read(&upload.bytes, upload.file_name.as_deref(), MAX_ROWS).map_err(|e| match e {
            sheets::ReadError::TooManyRows { .. } => AppError::PayloadTooLarge,
            other => AppError::field("file", other.message()),
        })?;
        let reading = roster::read(&sheets);
        Ok(File { sheets, reading })
    }
}

/// Rows checked and ready to write, handed over in batches.
enum Batch {
    New(Vec<GraduateFields>),
    Updates(Vec<Update>),
}

struct Update {
    id: i64,
    consent_before: bool,
    fields: GraduateFields,
}

/// Rows per batch.
const BATCH: usize = 2_000;

/// What checking a whole file found.
struct Checked {
    report: ImportReport,
    /// Every problem (the report lists at most [`ImportReport::MAX_ERRORS`]).
    errors: Vec<RowError>,
}

/// Check every row of `file` against `roster` on a blocking thread, handing the rows to
/// write to `sink` in batches (it answers false to stop early). The file comes back for
/// the error workbook.
async fn check_all(
    file: Arc<File>,
    roster: Vec<Graduate>,
    phase: Phase,
    progress: Progress,
    mut sink: impl FnMut(Batch) -> bool + Send + 'static,
) -> AppResult<(Checked, Arc<File>)> {
    blocking(move || {
        let checked = check(&file, roster, phase, &progress, &mut sink);
        (checked, file)
    })
    .await
}

/// Compare each row with the roster (by 学号): new, changed, unchanged or invalid.
fn check(
    file: &File,
    roster: Vec<Graduate>,
    phase: Phase,
    progress: &Progress,
    sink: &mut dyn FnMut(Batch) -> bool,
) -> Checked {
    let reading = &file.reading;
    // An index into the roster rather than a second copy of it: 50,000 graduates are
    // tens of megabytes.
    let by_number: HashMap<String, usize> =
        roster.iter().enumerate().filter_map(|(i, g)| Some((g.fields.student_no.clone()?, i))).collect();
    let mut roster: Vec<Option<Graduate>> = roster.into_iter().map(Some).collect();
    let mut report = ImportReport::default();
    let mut errors = reading.file_errors.clone();
    let (mut new, mut updates) = (Vec::new(), Vec::new());
    let mut open = true;
    let total = reading.data(&file.sheets).len() as u64;
    for (done, row) in reading.rows(&file.sheets).enumerate() {
        if done % BATCH == 0 {
            progress(phase, done as u64, total);
        }
        let checked = match row {
            RowReading::Invalid(_, found) => Err(found),
            RowReading::Read(values) => match by_number.get(&values.student_no).and_then(|i| roster[*i].take()) {
                None => values.as_new(reading).map(|fields| new.push(fields)),
                Some(stored) => values.over(&stored.fields, reading).map(|fields| {
                    if same(&fields, &stored.fields) {
                        report.unchanged += 1;
                    } else {
                        updates.push(Update { id: stored.id, consent_before: stored.fields.consent, fields });
                    }
                }),
            },
        };
        if let Err(found) = checked {
            report.invalid += 1;
            errors.extend(found);
        }
        if new.len() >= BATCH {
            report.new += new.len() as u64;
            open = open && sink(Batch::New(std::mem::take(&mut new)));
        }
        if updates.len() >= BATCH {
            report.updated += updates.len() as u64;
            open = open && sink(Batch::Updates(std::mem::take(&mut updates)));
        }
    }
    report.new += new.len() as u64;
    report.updated += updates.len() as u64;
    if !new.is_empty() && open {
        open = sink(Batch::New(new));
    }
    if !updates.is_empty() && open {
        sink(Batch::Updates(updates));
    }
    errors.sort_by_key(|e| e.row);
    report.add_errors(errors.iter().cloned());
    Checked { report, errors }
}

fn same(a: &GraduateFields, b: &GraduateFields) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// Writes the batches of one import in its transaction, then what follows from them.
struct Writer {
    importer: Importer,
    now: DateTime<Utc>,
    /// The highest graduate id before the import: the new ones are above it.
    before: i64,
    new_numbers: HashSet<String>,
    /// Whether any existing graduate was updated.
    updated: bool,
    consent_changed: Vec<(i64, bool)>,
}

impl Writer {
    async fn start(tx: &mut Tx, importer: Importer) -> AppResult<Writer> {
        Ok(Writer {
            importer,
            now: Utc::now(),
            before: imports::max_graduate_id(tx).await?,
            new_numbers: HashSet::new(),
            updated: false,
            consent_changed: Vec::new(),
        })
    }

    async fn write(&mut self, tx: &mut Tx, batch: Batch) -> AppResult<()> {
        let taken = |e| unique_as_taken(e, "student_no", "is already on this school's roster / 本校已有该学号");
        match batch {
            Batch::New(rows) => {
                self.new_numbers.extend(rows.iter().filter_map(|f| f.student_no.clone()));
                let rows = rows.into_iter().map(|fields| (self.importer.school, fields)).collect();
                bulk::insert_graduates(tx, rows).await.map_err(taken)?;
            }
            Batch::Updates(updates) => {
                for update in updates {
                    graduates::update(tx, update.id, &update.fields).await.map_err(taken)?;
                    if update.fields.consent != update.consent_before {
                        self.consent_changed.push((update.id, update.fields.consent));
                    }
                    self.updated = true;
                }
            }
        }
        Ok(())
    }

    /// Consent records, the audit entry and the duplicates scan; nothing when nothing
    /// changed.
    async fn finish(self, tx: &mut Tx) -> AppResult<()> {
        if self.new_numbers.is_empty() && !self.updated {
            return Ok(());
        }
        let Writer { importer, now, before, new_numbers, consent_changed, .. } = self;
        // Ours are the new ids with our 学号s (another session may add to the school meanwhile).
        let consenting: Vec<(i64, bool)> = imports::added_since(tx, importer.school, before)
            .await?
            .into_iter()
            .filter(|(_, no, consent)| *consent && no.as_ref().is_some_and(|no| new_numbers.contains(no)))
            .map(|(id, _, _)| (id, true))
            .collect();
        let records = [consenting, consent_changed].concat();
        let (purpose, version) = (CURRENT_TEXT.purpose_zh, CURRENT_TEXT.version);
        imports::insert_consent_records(tx, &records, purpose, version, ConsentMethod::Import, importer.user_id, now)
            .await?;
        audit::record(tx, importer.user_id, Some(importer.school), "import", "graduate", None).await?;
        duplicates::scan_school(tx, importer.school).await?;
        Ok(())
    }
}

/// The template: the roster's columns with a notes row, every column text, dropdowns for
/// education, gender, consent and status.
pub fn template() -> AppResult<Vec<u8>> {
    static TEMPLATE: LazyLock<Result<Vec<u8>, String>> = LazyLock::new(|| {
        let columns: Vec<TemplateColumn> = roster::COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| TemplateColumn {
                header: c.zh,
                // The first note carries the mark that makes the row skipped when the
                // template comes back with its notes still in it.
                note: if i == 0 { format!("{}{}", roster::NOTES_MARK, c.note) } else { c.note.to_string() },
                options: c.options(),
                required: c.required,
                width: if c.field == "id_number" { 22.0 } else { (c.zh.chars().count() as f64 * 2.5).max(12.0) },
            })
            .collect();
        sheets::write::template("毕业生名单", &columns).map_err(|e| e.to_string())
    });
    TEMPLATE.clone().map_err(|e| AppError::Internal(anyhow::anyhow!("building the import template: {e}")))
}

// ---- The import page: staged files, background runs, the error workbook ----

/// Where each run of this process is, by staged import id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunState {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// The runs of this process (kept in memory: the page polls them every second).
#[derive(Debug, Clone, Default)]
pub struct Runs(Arc<Mutex<HashMap<i64, RunState>>>);

impl Runs {
    pub fn get(&self, id: i64) -> Option<RunState> {
        self.0.lock().ok()?.get(&id).copied()
    }

    fn set(&self, id: i64, state: RunState) {
        if let Ok(mut runs) = self.0.lock() {
            runs.insert(id, state);
        }
    }

    fn remove(&self, id: i64) {
        if let Ok(mut runs) = self.0.lock() {
            runs.remove(&id);
        }
    }
}

/// How long a staged file is kept.
const KEPT_DAYS: i64 = 7;

/// A run with no progress in this process for this long (the process that ran it died)
/// may be run again.
const INTERRUPTED_AFTER_MINUTES: i64 = 10;

/// Where a staged import is.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Checked (the preview), not run.
    Staged,
    /// Running here (with its progress) or in another process (`None`).
    Running(Option<RunState>),
    Done(ImportReport),
    Failed(String),
    /// It was running when its process stopped; nothing was written.
    Interrupted,
}

/// A file staged on the import page.
#[derive(Debug, Clone)]
pub struct StagedImport {
    pub id: i64,
    pub school: i64,
    pub file_name: String,
    pub mode: ImportMode,
    /// The dry run's report, from when the file was uploaded.
    pub preview: ImportReport,
    pub state: State,
    pub created_at: DateTime<Utc>,
}

/// Check and keep an uploaded file for the page's preview; its id.
pub async fn stage(
    db: &Db,
    actor: &Actor,
    organization_id: Option<i64>,
    upload: Upload,
    mode: ImportMode,
) -> AppResult<i64> {
    let importer = Importer::for_actor(db, actor, organization_id).await?;
    let file_name = upload.file_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "roster".into());
    let content = upload.bytes.clone();
    let preview = run(db, importer, upload, mode, true, quiet()).await?;
    let preview = serde_json::to_string(&preview).map_err(|e| AppError::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    imports::purge(&mut tx, Utc::now() - chrono::TimeDelta::days(KEPT_DAYS)).await?;
    let new = NewStaged {
        organization_id: importer.school,
        user_id: importer.user_id,
        file_name: &file_name,
        content: &content,
        mode: mode.as_str(),
        preview: &preview,
    };
    let id = imports::stage(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(id)
}

/// A staged import `actor` may see: its school's users and coordinators.
pub async fn staged(db: &Db, runs: &Runs, actor: &Actor, id: i64) -> AppResult<StagedImport> {
    let row = imports::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if !(actor.is_coordinator() || actor.organization_id == row.organization_id) {
        return Err(AppError::NotFound);
    }
    let report = |json: &str| serde_json::from_str::<ImportReport>(json).map_err(|e| AppError::Internal(e.into()));
    let state = match row.status.as_str() {
        "staged" => State::Staged,
        "done" => State::Done(report(row.result.as_deref().unwrap_or("{}"))?),
        "failed" => State::Failed(row.result.clone().unwrap_or_default()),
        _ => match runs.get(id) {
            Some(progress) => State::Running(Some(progress)),
            None if row.started_at.is_some_and(|at| at < interrupted_before()) => State::Interrupted,
            None => State::Running(None),
        },
    };
    Ok(StagedImport {
        id,
        school: row.organization_id,
        file_name: row.file_name,
        mode: ImportMode::parse(&row.mode).unwrap_or_default(),
        preview: report(&row.preview)?,
        state,
        created_at: row.created_at,
    })
}

fn interrupted_before() -> DateTime<Utc> {
    Utc::now() - chrono::TimeDelta::minutes(INTERRUPTED_AFTER_MINUTES)
}

/// Run a staged import in the background; false when it is already running or done.
pub async fn start(db: &Db, runs: &Runs, actor: &Actor, id: i64) -> AppResult<bool> {
    let staged = staged(db, runs, actor, id).await?;
    let importer = Importer { school: staged.school, user_id: Some(actor.user_id) };
    let claimed = {
        let mut tx = db.begin().await?;
        let claimed = imports::claim(&mut tx, id, interrupted_before()).await?;
        tx.commit().await?;
        claimed
    };
    if !claimed {
        return Ok(false);
    }
    let content = imports::content(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let upload = Upload { file_name: Some(staged.file_name), bytes: content };
    runs.set(id, RunState { phase: Phase::Queued, done: 0, total: 0 });
    let (db, runs) = (db.clone(), runs.clone());
    tokio::spawn(async move {
        let progress: Progress = {
            let runs = runs.clone();
            Arc::new(move |phase, done, total| runs.set(id, RunState { phase, done, total }))
        };
        let outcome = run(&db, importer, upload, staged.mode, false, progress).await;
        let (status, result) = match &outcome {
            Ok(report) => ("done", serde_json::to_string(report).unwrap_or_else(|_| "{}".into())),
            Err(error) => ("failed", failure(error)),
        };
        let finished = async {
            let mut tx = db.begin().await?;
            imports::finish(&mut tx, id, status, &result).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = finished {
            tracing::error!(import = id, error = %e, "could not record the end of an import");
        }
        runs.remove(id);
    });
    Ok(true)
}

/// Why a run failed, for the page (bilingual); internal errors are logged, not shown.
fn failure(error: &AppError) -> String {
    match error {
        AppError::Validation(errors) | AppError::Taken(errors) => {
            errors.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        }
        AppError::PayloadTooLarge => TOO_LARGE.into(),
        AppError::Internal(e) => {
            tracing::error!(error = format!("{e:#}"), "import failed");
            "Something went wrong on our side; nothing was imported / 服务器内部错误，未导入任何数据".into()
        }
        other => other.to_string(),
    }
}

/// The error workbook of a staged import: the rejected rows as uploaded (under the file's
/// own header), and a 错误原因 column, in Chinese or English. The teacher fixes the rows
/// and uploads this file again. Checked against the roster as it is now.
pub async fn error_workbook(
    db: &Db,
    runs: &Runs,
    actor: &Actor,
    id: i64,
    english: bool,
) -> AppResult<(String, Vec<u8>)> {
    let staged = staged(db, runs, actor, id).await?;
    let content = imports::content(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let upload = Upload { file_name: Some(staged.file_name.clone()), bytes: content };
    let file = Arc::new(blocking(move || File::read(&upload)).await??);
    let roster = imports::roster(&mut db.read().await?, staged.school).await?;
    let (checked, file) = check_all(file, roster, Phase::Checking, quiet(), |_| true).await?;
    let bytes = blocking(move || rejected_rows(&file, &checked.errors, english)).await??;
    let stem = staged.file_name.rsplit_once('.').map_or(staged.file_name.as_str(), |(stem, _)| stem).to_string();
    Ok((format!("{stem}-错误行.xlsx"), bytes))
}

fn rejected_rows(file: &File, errors: &[RowError], english: bool) -> AppResult<Vec<u8>> {
    let reading = &file.reading;
    let half = |message: &str| -> String {
        match message.rsplit_once(" / ") {
            Some((en, zh)) => if english { en } else { zh }.to_string(),
            None => message.to_string(),
        }
    };
    let reason = |e: &RowError| {
        if e.column.is_empty() { half(&e.message) } else { format!("{}：{}", e.column, half(&e.message)) }
    };
    let header_row = reading.header.as_ref().map(|h| h.row);
    let mut by_row: HashMap<u32, Vec<String>> = HashMap::new();
    for error in errors.iter().filter(|e| Some(e.row) != header_row) {
        by_row.entry(error.row).or_default().push(reason(error));
    }
    let data = reading.data(&file.sheets);
    // A file nothing could be read from: every data row, for the file's own reasons.
    if reading.unusable {
        let file: Vec<String> = reading.file_errors.iter().map(reason).collect();
        for row in data {
            by_row.entry(row.number).or_insert_with(|| file.clone());
        }
    }
    let mut headers: Vec<String> = reading.header.as_ref().map(|h| h.texts.clone()).unwrap_or_default();
    let rows: Vec<&roster::Row> = data.iter().filter(|r| by_row.contains_key(&r.number)).collect();
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(headers.len());
    headers.resize(width, String::new());
    headers.push(ERROR_HEADING.into());
    let table = rows.into_iter().map(|r| {
        let mut cells: Vec<String> = (0..width).map(|at| r.cell(at).shown()).collect();
        cells.push(by_row.get(&r.number).map(|reasons| reasons.join("；")).unwrap_or_default());
        cells
    });
    sheets::write::table("错误行", &headers, table, true).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}
