use super::columns::{self, Columns, Sql, columns};
use super::{Access, PageRequest, Result, on_backend};
use crate::domain::PostingStatus;
use crate::domain::posting::{Posting, PostingFields};

use chrono::Utc;

columns! {
    table: "postings",
    record: Posting,
    fields: PostingFields {
        project_id, title, description, category, majors, education_min, headcount, salary_min, salary_max,
        location, benefits, starts_on, closes_on, status,
    },
    derived: { education_min_rank = education_min.rank() },
    // Accepted offers raise it (`store::offers`); clients only read it.
    read: { filled = "{row}filled" },
}

static INSERT: Sql = Sql::new(columns::insert::<PostingFields>);
static GET: Sql = Sql::new(columns::select_by_id::<PostingFields>);
static UPDATE: Sql = Sql::new(columns::update::<PostingFields>);

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &PostingFields) -> Result<Posting> {
    on_backend!(db, |e| f.bind(sqlx::query_as(INSERT.get()).bind(organization_id)).bind(Utc::now()).fetch_one(e).await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Posting>> {
    on_backend!(db, |e| sqlx::query_as(GET.get()).bind(id).fetch_optional(e).await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &PostingFields) -> Result<Option<Posting>> {
    on_backend!(db, |e| f.bind(sqlx::query_as(UPDATE.get()).bind(id)).bind(Utc::now()).fetch_optional(e).await)
}

/// How many postings reference a project (a project in use is not deleted).
pub async fn count_for_project(db: &mut impl Access, project_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM postings WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(e)
        .await)
}

static LIST_FOR_COMPANY: Sql = Sql::new(|| {
    format!(
        "SELECT {} FROM postings WHERE ($1 IS NULL OR organization_id = $1) AND ($2 IS NULL OR status = $2) \
         ORDER BY updated_at DESC, id DESC LIMIT $3 OFFSET $4",
        columns::record::<PostingFields>("")
    )
    .into()
});

/// A company's postings (every company's with `None`), last changed first, optionally of
/// one status; with the total over all pages.
pub async fn list_for_company(
    db: &mut impl Access,
    organization_id: Option<i64>,
    status: Option<PostingStatus>,
    page: PageRequest,
) -> Result<(Vec<Posting>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(LIST_FOR_COMPANY.get())
        .bind(organization_id)
        .bind(status)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM postings WHERE ($1 IS NULL OR organization_id = $1) AND ($2 IS NULL OR status = $2)"
    )
    .bind(organization_id)
    .bind(status)
    .fetch_one(e)
    .await)?;
    Ok((items, total))
}

/// How many postings a company has in each status (statuses it has none of are absent).
pub async fn count_by_status(db: &mut impl Access, organization_id: i64) -> Result<Vec<(PostingStatus, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT status, COUNT(*) FROM postings WHERE organization_id = $1 GROUP BY status"
    )
    .bind(organization_id)
    .fetch_all(e)
    .await)
}

/// Seats a company offers per project: the headcount of its open postings, summed.
pub async fn open_seats_by_project(db: &mut impl Access, organization_id: i64) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT project_id, CAST(SUM(headcount) AS BIGINT) FROM postings \
         WHERE organization_id = $1 AND status = $2 AND project_id IS NOT NULL GROUP BY project_id"
    )
    .bind(organization_id)
    .bind(PostingStatus::Open)
    .fetch_all(e)
    .await)
}

/// Open postings whose closing day is before `today` become closed; returns their ids.
pub async fn close_due(db: &mut impl Access, today: chrono::NaiveDate) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "UPDATE postings SET status = $2, updated_at = $3 WHERE status = $4 AND closes_on < $1 RETURNING id"
    )
    .bind(today)
    .bind(PostingStatus::Closed)
    .bind(Utc::now())
    .bind(PostingStatus::Open)
    .fetch_all(e)
    .await)
}
