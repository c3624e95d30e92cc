//! What the search index is built from: postings and graduates with the names of their
//! organisation, project and park.

use super::{Access, Result, on_backend};
use crate::domain::graduate::Graduate;
use crate::domain::posting::Posting;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingSource {
    #[sqlx(flatten)]
    pub posting: Posting,
    pub organization_name: String,
    pub project_name: Option<String>,
    pub park: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateSource {
    #[sqlx(flatten)]
    pub graduate: Graduate,
    pub organization_name: String,
}

macro_rules! posting_select {
    () => {
        "SELECT p.id, p.organization_id, p.project_id, p.title, p.description, p.category, p.majors, p.education_min, \
         p.headcount, p.salary_min, p.salary_max, p.location, p.benefits, p.starts_on, p.closes_on, p.status, \
         p.created_at, p.updated_at, o.name AS organization_name, pr.name AS project_name, pr.park AS park \
         FROM postings p JOIN organizations o ON o.id = p.organization_id LEFT JOIN projects pr ON pr.id = p.project_id "
    };
}

macro_rules! graduate_select {
    () => {
        "SELECT g.id, g.organization_id, g.name, g.major, g.education, g.graduation_year, g.skills, g.certificates, \
         g.preferred_locations, g.expected_salary, g.available_from, g.email, g.phone, g.consent, g.summary, g.status, \
         g.created_at, g.updated_at, o.name AS organization_name \
         FROM graduates g JOIN organizations o ON o.id = g.organization_id "
    };
}

pub async fn posting(db: &mut impl Access, id: i64) -> Result<Option<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(posting_select!(), "WHERE p.id = $1")).bind(id).fetch_optional(e).await)
}

pub async fn graduate(db: &mut impl Access, id: i64) -> Result<Option<GraduateSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(graduate_select!(), "WHERE g.id = $1")).bind(id).fetch_optional(e).await)
}

/// The next `limit` postings with ids above `after`, in id order (a full rebuild pages
/// through the table this way).
pub async fn postings_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(posting_select!(), "WHERE p.id > $1 ORDER BY p.id LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(e)
        .await)
}

pub async fn graduates_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<GraduateSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(graduate_select!(), "WHERE g.id > $1 ORDER BY g.id LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(e)
        .await)
}

/// How many documents a full rebuild will index.
pub async fn count(db: &mut impl Access) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM postings) + (SELECT COUNT(*) FROM graduates)")
        .fetch_one(e)
        .await)
}

/// Open postings with ids above `after`, in id order, `limit` at a time (a round's scope).
pub async fn open_postings_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        posting_select!(),
        "WHERE p.status = 'open' AND p.id > $1 ORDER BY p.id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await)
}

/// Graduates seeking work with ids above `after`, in id order, `limit` at a time.
pub async fn seeking_graduates_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<GraduateSource>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        graduate_select!(),
        "WHERE g.status = 'seeking' AND g.id > $1 ORDER BY g.id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await)
}
