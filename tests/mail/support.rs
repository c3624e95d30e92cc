//! A fresh database per test (SQLite in a temporary directory, or a PostgreSQL database
//! created and dropped per test), notice rows queued the way request handlers queue them,
//! and payloads built from the real `NoticePayload` types.

use crate::pg;
use chrono::{DateTime, TimeZone, Utc};
use xiaoqi::domain::notice::{EventSnapshot, NoticePayload, Recipient, RsvpLinks};
use xiaoqi::domain::{EventKind, EventStatus, NoticeKind};
use xiaoqi::notify::{Mailer, WorkerOptions};
use xiaoqi::on_backend;
use xiaoqi::store::Db;

pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl std::ops::Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("xiaoqi.db").display())).await.unwrap();
    db.migrate().await.unwrap();
    TestDb { db, _dir: Some(dir), pg: None }
}

/// A new PostgreSQL database, or `None` (the test skips) when `XIAOQI_TEST_POSTGRES_URL`
/// is not set, unless `XIAOQI_TEST_REQUIRE_POSTGRES` says it must run.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = pg::admin_url()?;
    let (url, name) = pg::create_database(&admin_url, "xiaoqi_mail").await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some(TestDb { db, _dir: None, pg: Some((admin_url, name)) })
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            pg::drop_database(admin_url, name);
        }
    }
}

/// 2026-12-10 14:00–17:00 in Shanghai.
pub fn fair(revision: i64) -> EventSnapshot {
    EventSnapshot {
        id: 7,
        uid: "event-7@xiaoqi.test".into(),
        kind: EventKind::JobFair,
        title: "2026肇庆新区校企双选会".into(),
        description: Some("现场设企业展位，请携带简历。\n<b>不是标签</b> & 更多".into()),
        venue: "肇庆新区体育中心 A 馆".into(),
        starts_at: Utc.with_ymd_and_hms(2026, 12, 10, 6, 0, 0).unwrap(),
        ends_at: Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap(),
        revision,
        status: EventStatus::Scheduled,
    }
}

pub fn recipient(email: &str) -> Recipient {
    Recipient {
        email: email.into(),
        name: Some("王经理".into()),
        organization_id: Some(3),
        organization_name: Some("奥士康科技".into()),
    }
}

pub fn payload(kind: NoticeKind, email: &str, revision: i64) -> NoticePayload {
    let mut event = fair(revision);
    if kind == NoticeKind::Cancellation {
        event.status = EventStatus::Cancelled;
    }
    let event_notice = kind != NoticeKind::RoundResult;
    NoticePayload {
        kind,
        event: event_notice.then_some(event),
        recipient: recipient(email),
        rsvp: matches!(kind, NoticeKind::Invitation | NoticeKind::Update).then(|| RsvpLinks {
            attend_url: "https://xiaoqi.test/rsvp/tok3n?answer=attend&x=1".into(),
            decline_url: "https://xiaoqi.test/rsvp/tok3n?answer=decline".into(),
        }),
        unsubscribe_url: (kind == NoticeKind::Reminder).then(|| "https://xiaoqi.test/unsubscribe/u7".into()),
        summary_zh: (kind == NoticeKind::RoundResult).then(|| "本轮匹配：贵单位 12 个岗位共录用 30 人。".into()),
        summary_en: (kind == NoticeKind::RoundResult)
            .then(|| "This round: 30 graduates matched to your 12 postings.".into()),
        link: (kind == NoticeKind::RoundResult).then(|| "https://xiaoqi.test/rounds/4".into()),
        checkin_qr: None,
    }
}

/// Queue a notice as a request handler does: `queued`, due at `now`. Returns its id.
pub async fn queue(db: &Db, payload: &NoticePayload, dedupe_key: &str, now: DateTime<Utc>) -> i64 {
    let revision = payload.event.as_ref().map(|e| e.revision).unwrap_or(0);
    let mut tx = db.begin().await.unwrap();
    let id: i64 = on_backend!(&mut tx, |e| sqlx::query_scalar(
        "INSERT INTO notices (kind, revision, organization_id, recipient_email, recipient_name, dedupe_key, \
         payload, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, $8) RETURNING id"
    )
    .bind(payload.kind)
    .bind(revision)
    .bind(payload.recipient.organization_id)
    .bind(&payload.recipient.email)
    .bind(&payload.recipient.name)
    .bind(dedupe_key)
    .bind(sqlx::types::Json(payload))
    .bind(now)
    .fetch_one(e)
    .await
    .unwrap());
    tx.commit().await.unwrap();
    id
}

/// Queue `n` invitations to distinct recipients.
pub async fn queue_many(db: &Db, n: usize, now: DateTime<Utc>) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let p = payload(NoticeKind::Invitation, &format!("hr{i}@company{i}.test"), 1);
        ids.push(queue(db, &p, &format!("event:7:invitation:{i}"), now).await);
    }
    ids
}

/// A notice row as the coordinator's page would read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub message_id: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
}

pub async fn row(db: &Db, id: i64) -> Row {
    let mut conn = db.read().await.unwrap();
    on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT status, attempts, last_error, message_id, sent_at, next_attempt_at FROM notices WHERE id = $1"
    )
    .bind(id)
    .fetch_one(e)
    .await
    .unwrap())
}

/// Worker options for tests: no waiting anywhere.
pub fn options() -> WorkerOptions {
    let mut options = WorkerOptions::for_base_url("https://xiaoqi.test");
    options.poll_interval = std::time::Duration::from_millis(50);
    options
}

pub fn mailer(url: &str) -> Mailer {
    Mailer::smtp(url).expect("an SMTP mailer")
}

pub fn now() -> DateTime<Utc> {
    // Whole seconds: SQLite keeps what it is given, and comparisons stay simple to read.
    Utc.timestamp_opt(Utc::now().timestamp(), 0).unwrap()
}
