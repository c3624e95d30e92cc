//! Events, their invited organisations and registrations.

use super::{Access, PageRequest, Result, on_backend};
use crate::domain::RegistrationStatus;
use crate::domain::event::EventFields;
use crate::domain::registration::Registration;
use chrono::{DateTime, Utc};
use sqlx::types::Json;

/// An event row; the service adds invitations and counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub fields: EventFields,
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, kind, title, description, venue, starts_at, ends_at, booth_capacity, seat_capacity, status, revision, \
         created_at, updated_at"
    };
}

pub async fn insert(db: &mut impl Access, f: &EventFields, created_by: Option<i64>) -> Result<EventRow> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "INSERT INTO events (kind, title, description, venue, starts_at, ends_at, booth_capacity, seat_capacity, \
         status, revision, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) RETURNING ",
        columns!()
    ))
    .bind(f.kind)
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.venue)
    .bind(f.starts_at)
    .bind(f.ends_at)
    .bind(f.booth_capacity)
    .bind(f.seat_capacity)
    .bind(f.status)
    .bind(created_by)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<EventRow>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM events WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

/// Write new fields and raise the revision by one.
pub async fn update(db: &mut impl Access, id: i64, f: &EventFields) -> Result<Option<EventRow>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE events SET kind = $2, title = $3, description = $4, venue = $5, starts_at = $6, ends_at = $7, \
         booth_capacity = $8, seat_capacity = $9, status = $10, revision = revision + 1, updated_at = $11 \
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(f.kind)
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.venue)
    .bind(f.starts_at)
    .bind(f.ends_at)
    .bind(f.booth_capacity)
    .bind(f.seat_capacity)
    .bind(f.status)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)
}

/// Take the event's row lock for the rest of the transaction (PostgreSQL), so capacity
/// checks and registrations cannot interleave; SQLite's writer already runs alone.
pub async fn lock(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("UPDATE events SET revision = revision WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() == 1))
}

/// Events, soonest first; `scheduled_after` limits to scheduled events not yet over, and
/// `invited` to events that invited this organisation.
pub async fn list(
    db: &mut impl Access,
    upcoming_after: Option<DateTime<Utc>>,
    invited: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<EventRow>, i64)> {
    macro_rules! filter {
        () => {
            " FROM events WHERE ($1 IS NULL OR (status = 'scheduled' AND ends_at > $1)) \
             AND ($2 IS NULL OR id IN (SELECT event_id FROM event_invitations WHERE organization_id = $2))"
        };
    }
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        filter!(),
        " ORDER BY starts_at, id LIMIT $3 OFFSET $4"
    ))
    .bind(upcoming_after)
    .bind(invited)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(upcoming_after)
        .bind(invited)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

pub async fn invited(db: &mut impl Access, event_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT organization_id FROM event_invitations WHERE event_id = $1 ORDER BY organization_id"
    )
    .bind(event_id)
    .fetch_all(e)
    .await)
}

pub async fn is_invited(db: &mut impl Access, event_id: i64, organization_id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM event_invitations WHERE event_id = $1 AND organization_id = $2"
    )
    .bind(event_id)
    .bind(organization_id)
    .fetch_one(e)
    .await
    .map(|n| n > 0))
}

pub async fn replace_invitations(db: &mut impl Access, event_id: i64, organization_ids: &[i64]) -> Result<()> {
    on_backend!(db, |e| sqlx::query("DELETE FROM event_invitations WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *e)
        .await
        .map(|_| ()))?;
    for id in organization_ids {
        on_backend!(db, |e| sqlx::query("INSERT INTO event_invitations (event_id, organization_id) VALUES ($1, $2)")
            .bind(event_id)
            .bind(id)
            .execute(e)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Booths and seats held by pending and approved registrations.
pub async fn taken(db: &mut impl Access, event_id: i64) -> Result<(i64, i64)> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT COUNT(CASE WHEN kind = 'company' THEN 1 END), \
         CAST(COALESCE(SUM(CASE WHEN kind = 'school' THEN graduates ELSE 0 END), 0) AS BIGINT) \
         FROM registrations WHERE event_id = $1 AND status IN ('pending', 'approved')"
    )
    .bind(event_id)
    .fetch_one(e)
    .await)
}

macro_rules! registration_select {
    () => {
        "SELECT r.id, r.event_id, r.organization_id, o.name AS organization_name, r.kind, r.posting_ids, r.graduates, \
         r.teacher_name, r.teacher_phone, r.status, r.source, r.checkin_code, r.booth, r.checked_in_at, \
         e.ends_at AS event_ends_at, r.created_at, r.updated_at \
         FROM registrations r JOIN organizations o ON o.id = r.organization_id JOIN events e ON e.id = r.event_id "
    };
}

/// A new registration's fields.
#[derive(Clone, Copy)]
pub struct NewRegistration<'a> {
    pub event_id: i64,
    pub organization_id: i64,
    pub kind: crate::domain::OrgKind,
    pub posting_ids: &'a [i64],
    pub graduates: i64,
    pub teacher_name: Option<&'a str>,
    pub teacher_phone: Option<&'a str>,
    pub status: RegistrationStatus,
    pub source: &'a str,
}

pub async fn insert_registration(db: &mut impl Access, r: &NewRegistration<'_>) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "INSERT INTO registrations (event_id, organization_id, kind, posting_ids, graduates, teacher_name, \
         teacher_phone, status, source, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id"
    )
    .bind(r.event_id)
    .bind(r.organization_id)
    .bind(r.kind)
    .bind(Json(r.posting_ids))
    .bind(r.graduates)
    .bind(r.teacher_name)
    .bind(r.teacher_phone)
    .bind(r.status)
    .bind(r.source)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn registration(db: &mut impl Access, id: i64) -> Result<Option<Registration>> {
    on_backend!(db, |e| sqlx::query_as(concat!(registration_select!(), "WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn registration_of(
    db: &mut impl Access,
    event_id: i64,
    organization_id: i64,
) -> Result<Option<Registration>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        registration_select!(),
        "WHERE r.event_id = $1 AND r.organization_id = $2"
    ))
    .bind(event_id)
    .bind(organization_id)
    .fetch_optional(e)
    .await)
}

pub async fn set_registration_status(db: &mut impl Access, id: i64, status: RegistrationStatus) -> Result<()> {
    on_backend!(db, |e| sqlx::query("UPDATE registrations SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|_| ()))
}

/// An event's registrations in id order (one organisation's when `organization_id` is given).
pub async fn registrations(
    db: &mut impl Access,
    event_id: i64,
    organization_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<Registration>, i64)> {
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        registration_select!(),
        "WHERE r.event_id = $1 AND ($2 IS NULL OR r.organization_id = $2) ORDER BY r.id LIMIT $3 OFFSET $4"
    ))
    .bind(event_id)
    .bind(organization_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND ($2 IS NULL OR organization_id = $2)"
    )
    .bind(event_id)
    .bind(organization_id)
    .fetch_one(e)
    .await)?;
    Ok((rows, total))
}

/// Scheduled events starting in `(after, before]`: candidates for reminders.
pub async fn starting_between(
    db: &mut impl Access,
    after: DateTime<Utc>,
    before: DateTime<Utc>,
) -> Result<Vec<EventRow>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM events WHERE status = 'scheduled' AND starts_at > $1 AND starts_at <= $2 ORDER BY id"
    ))
    .bind(after)
    .bind(before)
    .fetch_all(e)
    .await)
}

/// Registrations that count for an event's round: the approved ones, with what they
/// registered (an RSVP's registration counts once completed and approved).
pub async fn taking_part(db: &mut impl Access, event_id: i64) -> Result<Vec<Registration>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        registration_select!(),
        "WHERE r.event_id = $1 AND r.status = 'approved' ORDER BY r.id"
    ))
    .bind(event_id)
    .fetch_all(e)
    .await)
}

/// Organisations that will not come: they declined, or their registration was rejected.
pub async fn not_coming(db: &mut impl Access, event_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT organization_id FROM registrations WHERE event_id = $1 AND status IN ('declined', 'rejected')"
    )
    .bind(event_id)
    .fetch_all(e)
    .await)
}

/// Replace what a registration brings (its owner completing or editing it) and set its
/// status (a declined one reopens as pending).
pub async fn update_registration(db: &mut impl Access, id: i64, r: &NewRegistration<'_>) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE registrations SET posting_ids = $2, graduates = $3, teacher_name = $4, teacher_phone = $5, \
         status = $6, updated_at = $7 WHERE id = $1"
    )
    .bind(id)
    .bind(Json(r.posting_ids))
    .bind(r.graduates)
    .bind(r.teacher_name)
    .bind(r.teacher_phone)
    .bind(r.status)
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|_| ()))
}

/// Record a decision: the status, when, and for an approval the check-in code and booth
/// (a rejection clears both).
pub async fn decide_registration(
    db: &mut impl Access,
    id: i64,
    status: RegistrationStatus,
    checkin_code: Option<&str>,
    booth: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE registrations SET status = $2, checkin_code = $3, booth = $4, decided_at = $5, updated_at = $5 \
         WHERE id = $1"
    )
    .bind(id)
    .bind(status)
    .bind(checkin_code)
    .bind(booth)
    .bind(now)
    .execute(e)
    .await
    .map(|_| ()))
}

pub async fn code_taken(db: &mut impl Access, event_id: i64, code: &str) -> Result<bool> {
    on_backend!(db, |e| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND checkin_code = $2"
    )
    .bind(event_id)
    .bind(code)
    .fetch_one(e)
    .await
    .map(|n| n > 0))
}

pub async fn registration_by_code(db: &mut impl Access, event_id: i64, code: &str) -> Result<Option<Registration>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        registration_select!(),
        "WHERE r.event_id = $1 AND r.checkin_code = $2"
    ))
    .bind(event_id)
    .bind(code)
    .fetch_optional(e)
    .await)
}

/// Mark checked in unless it already is; returns whether this call did it.
pub async fn check_in(db: &mut impl Access, id: i64, by: i64, now: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE registrations SET checked_in_at = $2, checked_in_by = $3 WHERE id = $1 AND checked_in_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// (checked in, approved) of an event.
pub async fn attendance(db: &mut impl Access, event_id: i64) -> Result<(i64, i64)> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT COUNT(checked_in_at), COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'approved'"
    )
    .bind(event_id)
    .fetch_one(e)
    .await)
}

/// An approved company's registration as booths are numbered.
#[derive(Debug, sqlx::FromRow)]
pub struct BoothHolder {
    pub id: i64,
    pub name: String,
    pub booth: Option<String>,
    pub posting_ids: Json<Vec<i64>>,
}

/// Approved companies' registrations with their booths, in id order.
pub async fn booth_holders(db: &mut impl Access, event_id: i64) -> Result<Vec<BoothHolder>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT r.id, o.name, r.booth, r.posting_ids FROM registrations r \
         JOIN organizations o ON o.id = r.organization_id \
         WHERE r.event_id = $1 AND r.status = 'approved' AND r.kind = 'company' ORDER BY r.id"
    )
    .bind(event_id)
    .fetch_all(e)
    .await)
}

/// The park of the first of these postings that belongs to a project with one.
pub async fn park_of_postings(db: &mut impl Access, posting_ids: &[i64]) -> Result<Option<String>> {
    for id in posting_ids {
        let park: Option<Option<String>> = on_backend!(db, |e| sqlx::query_scalar(
            "SELECT pr.park FROM postings p JOIN projects pr ON pr.id = p.project_id WHERE p.id = $1"
        )
        .bind(id)
        .fetch_optional(e)
        .await)?;
        if let Some(Some(park)) = park.filter(|p| p.as_ref().is_some_and(|p| !p.trim().is_empty())) {
            return Ok(Some(park));
        }
    }
    Ok(None)
}

pub async fn set_booth(db: &mut impl Access, id: i64, booth: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query("UPDATE registrations SET booth = $2 WHERE id = $1")
        .bind(id)
        .bind(booth)
        .execute(e)
        .await
        .map(|_| ()))
}

/// Events over before `now` that this organisation was approved for and never checked in at.
pub async fn no_shows_of(db: &mut impl Access, organization_id: i64, now: DateTime<Utc>) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations r JOIN events e ON e.id = r.event_id \
         WHERE r.organization_id = $1 AND r.status = 'approved' AND r.checked_in_at IS NULL AND e.ends_at <= $2 \
         AND e.status <> 'cancelled'"
    )
    .bind(organization_id)
    .bind(now)
    .fetch_one(e)
    .await)
}

/// A company or school as the invitation list shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct Invitable {
    pub id: i64,
    pub name: String,
    pub kind: crate::domain::OrgKind,
    pub invited: bool,
}

/// Companies and schools by name (`q`: a part of it), `kind` if given, marked when invited.
pub async fn invitable(
    db: &mut impl Access,
    event_id: i64,
    q: Option<&str>,
    kind: Option<crate::domain::OrgKind>,
    page: PageRequest,
) -> Result<(Vec<Invitable>, i64)> {
    let pattern = q.map(|q| format!("%{}%", q.replace(['%', '_'], "")));
    macro_rules! filter {
        () => {
            " FROM organizations o WHERE o.kind IN ('company', 'school') AND ($2 IS NULL OR o.name LIKE $2) \
             AND ($3 IS NULL OR o.kind = $3)"
        };
    }
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT o.id, o.name, o.kind, \
         (EXISTS (SELECT 1 FROM event_invitations i WHERE i.event_id = $1 AND i.organization_id = o.id)) AS invited",
        filter!(),
        " ORDER BY o.kind, o.name, o.id LIMIT $4 OFFSET $5"
    ))
    .bind(event_id)
    .bind(pattern.as_deref())
    .bind(kind)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!(), " AND $1 = $1"))
        .bind(event_id)
        .bind(pattern.as_deref())
        .bind(kind)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

/// Every organisation of `kind` (approved ones only when `approved_only`).
pub async fn organizations_of_kind(
    db: &mut impl Access,
    kind: crate::domain::OrgKind,
    approved_only: bool,
) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT id FROM organizations WHERE kind = $1 AND ($2 = FALSE OR status = 'approved') ORDER BY id"
    )
    .bind(kind)
    .bind(approved_only)
    .fetch_all(e)
    .await)
}
