//! What the search index is built from: postings and graduates with the names of their
//! organisation, project and park.

use super::columns::{self, Sql};
use super::{Access, Result, on_backend};
use crate::domain::graduate::{Graduate, GraduateFields};
use crate::domain::posting::{Posting, PostingFields};
use std::sync::Arc;

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
    /// What the graduate's latest consent given was for (shown to companies beside them).
    pub consent_purpose: Option<String>,
}

/// A posting with the names of its organisation, project and park, then `filter`.
fn posting_select(filter: &str) -> Arc<str> {
    format!(
        "SELECT {}, o.name AS organization_name, pr.name AS project_name, pr.park AS park \
         FROM postings p JOIN organizations o ON o.id = p.organization_id LEFT JOIN projects pr ON pr.id = p.project_id \
         {filter}",
        columns::record::<PostingFields>("p.")
    )
    .into()
}

/// A graduate with the name of their school and the purpose of their latest consent
/// given, then `filter`.
fn graduate_select(filter: &str) -> Arc<str> {
    format!(
        "SELECT {}, o.name AS organization_name, \
         (SELECT c.purpose FROM consent_records c WHERE c.graduate_id = g.id AND c.given ORDER BY c.id DESC LIMIT 1) \
         AS consent_purpose FROM graduates g JOIN organizations o ON o.id = g.organization_id {filter}",
        columns::record::<GraduateFields>("g.")
    )
    .into()
}

static POSTING: Sql = Sql::new(|| posting_select("WHERE p.id = $1"));
static POSTINGS_AFTER: Sql = Sql::new(|| posting_select("WHERE p.id > $1 ORDER BY p.id LIMIT $2"));
static GRADUATES_AFTER: Sql = Sql::new(|| graduate_select("WHERE g.id > $1 ORDER BY g.id LIMIT $2"));
static OPEN_POSTINGS_AFTER: Sql =
    Sql::new(|| posting_select("WHERE p.status = 'open' AND p.id > $1 ORDER BY p.id LIMIT $2"));
static SEEKING_GRADUATES_AFTER: Sql =
    Sql::new(|| graduate_select("WHERE g.status = 'seeking' AND g.id > $1 ORDER BY g.id LIMIT $2"));

pub async fn posting(db: &mut impl Access, id: i64) -> Result<Option<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(POSTING.get()).bind(id).fetch_optional(e).await)
}

/// Ids bound in one statement when loading by ids (well under both backends' limits).
const IDS_PER_QUERY: usize = 1000;

/// The postings with these ids that still exist, in no particular order: one query per
/// thousand ids (the follower loads a batch of changes this way, not a query per change).
pub async fn postings_by_ids(db: &mut impl Access, ids: &[i64]) -> Result<Vec<PostingSource>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        found.extend(on_backend!(db, |e| {
            let mut qb = super::bulk::builder(super::bulk::backend_of(&*e), &posting_select("WHERE p.id IN ("));
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as::<PostingSource>().fetch_all(&mut *e).await
        })?);
    }
    Ok(found)
}

/// [`postings_by_ids`] for graduates.
pub async fn graduates_by_ids(db: &mut impl Access, ids: &[i64]) -> Result<Vec<GraduateSource>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        found.extend(on_backend!(db, |e| {
            let mut qb = super::bulk::builder(super::bulk::backend_of(&*e), &graduate_select("WHERE g.id IN ("));
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as::<GraduateSource>().fetch_all(&mut *e).await
        })?);
    }
    Ok(found)
}

/// The next `limit` postings with ids above `after`, in id order (a full rebuild pages
/// through the table this way).
pub async fn postings_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(POSTINGS_AFTER.get()).bind(after).bind(limit).fetch_all(e).await)
}

pub async fn graduates_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<GraduateSource>> {
    on_backend!(db, |e| sqlx::query_as(GRADUATES_AFTER.get()).bind(after).bind(limit).fetch_all(e).await)
}

/// How many documents a full rebuild will index.
pub async fn count(db: &mut impl Access) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM postings) + (SELECT COUNT(*) FROM graduates)")
        .fetch_one(e)
        .await)
}

/// Open postings with ids above `after`, in id order, `limit` at a time (a round's scope).
pub async fn open_postings_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<PostingSource>> {
    on_backend!(db, |e| sqlx::query_as(OPEN_POSTINGS_AFTER.get()).bind(after).bind(limit).fetch_all(e).await)
}

/// Graduates seeking work with ids above `after`, in id order, `limit` at a time.
pub async fn seeking_graduates_after(db: &mut impl Access, after: i64, limit: i64) -> Result<Vec<GraduateSource>> {
    on_backend!(db, |e| sqlx::query_as(SEEKING_GRADUATES_AFTER.get()).bind(after).bind(limit).fetch_all(e).await)
}
