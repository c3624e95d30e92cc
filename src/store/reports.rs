//! The reports' counts: one query per table, the same SQL on both backends. Every `SUM`
//! is cast to BIGINT (PostgreSQL sums BIGINT into NUMERIC). An optional filter is bound as
//! `NULL` to mean "any" (`$n IS NULL OR …`); binds are typed, so PostgreSQL knows them.
//! Who may see which rows is the caller's business: it passes the organisation to limit
//! to, or none.

use super::{Access, PageRequest, Result, on_backend};
use chrono::{DateTime, NaiveDate, Utc};

/// A project with its counts. `offers` and `placed` count up to `until` (exclusive).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FillRow {
    pub project_id: i64,
    pub project_name: String,
    pub company_id: i64,
    pub company_name: String,
    pub park: Option<String>,
    pub shortage: i64,
    pub seats: i64,
    pub offers: i64,
    pub placed: i64,
}

/// The projects (of one park, one project, one company, or all) with their shortage, the
/// headcount of their open postings, the offers made on their postings and those accepted.
/// An offer counts from its creation; a placement from its decision.
pub async fn fill(
    db: &mut impl Access,
    park: Option<&str>,
    project_id: Option<i64>,
    company_id: Option<i64>,
    until: DateTime<Utc>,
) -> Result<Vec<FillRow>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT p.id AS project_id, p.name AS project_name, p.organization_id AS company_id, \
                c.name AS company_name, p.park, p.shortage, \
                CAST(COALESCE((SELECT SUM(s.headcount) FROM postings s \
                               WHERE s.project_id = p.id AND s.status = 'open'), 0) AS BIGINT) AS seats, \
                (SELECT COUNT(*) FROM offers f JOIN postings s ON s.id = f.posting_id \
                 WHERE s.project_id = p.id AND f.created_at < $4) AS offers, \
                (SELECT COUNT(*) FROM offers f JOIN postings s ON s.id = f.posting_id \
                 WHERE s.project_id = p.id AND f.status = 'accepted' \
                   AND COALESCE(f.decided_at, f.created_at) < $4) AS placed \
         FROM projects p JOIN organizations c ON c.id = p.organization_id \
         WHERE ($1 IS NULL OR p.park = $1) AND ($2 IS NULL OR p.id = $2) AND ($3 IS NULL OR p.organization_id = $3) \
         ORDER BY p.id"
    )
    .bind(park)
    .bind(project_id)
    .bind(company_id)
    .bind(until)
    .fetch_all(e)
    .await)
}

/// When each offer on the same projects' postings was made, and when it was accepted
/// (none unless accepted): the points of the fill series are counted from these.
pub async fn offer_times(
    db: &mut impl Access,
    park: Option<&str>,
    project_id: Option<i64>,
    company_id: Option<i64>,
    until: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT f.created_at, \
                CASE WHEN f.status = 'accepted' THEN COALESCE(f.decided_at, f.created_at) END AS placed_at \
         FROM offers f JOIN postings s ON s.id = f.posting_id JOIN projects p ON p.id = s.project_id \
         WHERE ($1 IS NULL OR p.park = $1) AND ($2 IS NULL OR p.id = $2) AND ($3 IS NULL OR p.organization_id = $3) \
           AND f.created_at < $4"
    )
    .bind(park)
    .bind(project_id)
    .bind(company_id)
    .bind(until)
    .fetch_all(e)
    .await)
}

/// Offers and accepted offers per school and major.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlacementRow {
    pub school_id: i64,
    pub school_name: String,
    pub major: String,
    pub offers: i64,
    pub placed: i64,
}

/// Offers (of one round, or all) grouped by the graduate's school and major; limited to
/// one school's graduates, or to one company's postings.
pub async fn placements(
    db: &mut impl Access,
    round_id: Option<i64>,
    school_id: Option<i64>,
    company_id: Option<i64>,
) -> Result<Vec<PlacementRow>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT g.organization_id AS school_id, sc.name AS school_name, g.major, COUNT(*) AS offers, \
                CAST(SUM(CASE WHEN f.status = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) AS placed \
         FROM offers f JOIN graduates g ON g.id = f.graduate_id \
              JOIN organizations sc ON sc.id = g.organization_id JOIN postings s ON s.id = f.posting_id \
         WHERE ($1 IS NULL OR f.round_id = $1) AND ($2 IS NULL OR g.organization_id = $2) \
           AND ($3 IS NULL OR s.organization_id = $3) \
         GROUP BY g.organization_id, sc.name, g.major \
         ORDER BY g.organization_id, g.major"
    )
    .bind(round_id)
    .bind(school_id)
    .bind(company_id)
    .fetch_all(e)
    .await)
}

/// A school and how many graduates it has (of one year, or all).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchoolCount {
    pub school_id: i64,
    pub school_name: String,
    pub graduates: i64,
}

/// Every school (or one) with its number of graduates; schools without any are listed too.
pub async fn school_graduates(
    db: &mut impl Access,
    graduation_year: Option<i64>,
    school_id: Option<i64>,
) -> Result<Vec<SchoolCount>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT sc.id AS school_id, sc.name AS school_name, COUNT(g.id) AS graduates \
         FROM organizations sc LEFT JOIN graduates g ON g.organization_id = sc.id \
              AND ($1 IS NULL OR g.graduation_year = $1) \
         WHERE sc.kind = 'school' AND ($2 IS NULL OR sc.id = $2) \
         GROUP BY sc.id, sc.name ORDER BY sc.id"
    )
    .bind(graduation_year)
    .bind(school_id)
    .fetch_all(e)
    .await)
}

/// How many graduates of each school had each destination on `on`: each graduate's latest
/// outcome taking effect on or before it (the later record wins on the same day).
/// Graduates without one are not counted here.
pub async fn destinations(
    db: &mut impl Access,
    on: NaiveDate,
    graduation_year: Option<i64>,
    school_id: Option<i64>,
) -> Result<Vec<(i64, String, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT g.organization_id, o.destination, COUNT(*) \
         FROM graduate_outcomes o JOIN graduates g ON g.id = o.graduate_id \
         WHERE o.effective_on <= $1 AND ($2 IS NULL OR g.graduation_year = $2) \
           AND ($3 IS NULL OR g.organization_id = $3) \
           AND NOT EXISTS (SELECT 1 FROM graduate_outcomes n WHERE n.graduate_id = o.graduate_id \
                 AND n.effective_on <= $1 \
                 AND (n.effective_on > o.effective_on OR (n.effective_on = o.effective_on AND n.id > o.id))) \
         GROUP BY g.organization_id, o.destination"
    )
    .bind(on)
    .bind(graduation_year)
    .bind(school_id)
    .fetch_all(e)
    .await)
}

/// An event with its turnout counts; `absent` counts approved registrations not checked
/// in (no-shows once the event has ended).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TurnoutRow {
    pub event_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub invited: i64,
    pub registered: i64,
    pub approved: i64,
    pub checked_in: i64,
    pub absent: i64,
}

/// One page of events (all, or those one organisation was invited to or registered for),
/// latest first, with their counts (of that organisation only, when one is named).
/// A registration declined through the RSVP link is not counted as registered.
pub async fn turnout(
    db: &mut impl Access,
    event_id: Option<i64>,
    organization_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<TurnoutRow>, i64)> {
    let rows = on_backend!(db, |e| sqlx::query_as(
        "SELECT ev.id AS event_id, ev.title, ev.starts_at, ev.ends_at, \
                (SELECT COUNT(*) FROM event_invitations i WHERE i.event_id = ev.id \
                   AND ($2 IS NULL OR i.organization_id = $2)) AS invited, \
                (SELECT COUNT(*) FROM registrations r WHERE r.event_id = ev.id AND r.status <> 'declined' \
                   AND ($2 IS NULL OR r.organization_id = $2)) AS registered, \
                (SELECT COUNT(*) FROM registrations r WHERE r.event_id = ev.id AND r.status = 'approved' \
                   AND ($2 IS NULL OR r.organization_id = $2)) AS approved, \
                (SELECT COUNT(*) FROM registrations r WHERE r.event_id = ev.id AND r.checked_in_at IS NOT NULL \
                   AND ($2 IS NULL OR r.organization_id = $2)) AS checked_in, \
                (SELECT COUNT(*) FROM registrations r WHERE r.event_id = ev.id AND r.status = 'approved' \
                   AND r.checked_in_at IS NULL AND ($2 IS NULL OR r.organization_id = $2)) AS absent \
         FROM events ev \
         WHERE ($1 IS NULL OR ev.id = $1) AND ($2 IS NULL \
               OR EXISTS (SELECT 1 FROM event_invitations i WHERE i.event_id = ev.id AND i.organization_id = $2) \
               OR EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = ev.id AND r.organization_id = $2)) \
         ORDER BY ev.starts_at DESC, ev.id DESC LIMIT $3 OFFSET $4"
    )
    .bind(event_id)
    .bind(organization_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM events ev \
         WHERE ($1 IS NULL OR ev.id = $1) AND ($2 IS NULL \
               OR EXISTS (SELECT 1 FROM event_invitations i WHERE i.event_id = ev.id AND i.organization_id = $2) \
               OR EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = ev.id AND r.organization_id = $2))"
    )
    .bind(event_id)
    .bind(organization_id)
    .fetch_one(e)
    .await)?;
    Ok((rows, total))
}
