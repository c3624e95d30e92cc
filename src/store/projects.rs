use super::{Access, PageRequest, Result, on_backend};
use crate::domain::project::{Project, ProjectFields};
use chrono::Utc;

macro_rules! columns {
    () => {
        "id, organization_id, name, park, stage, key_project, shortage, created_at, updated_at"
    };
}

/// Graduates placed on a project's postings (accepted offers).
macro_rules! placed {
    () => {
        "(SELECT COUNT(*) FROM offers o JOIN postings s ON s.id = o.posting_id \
          WHERE s.project_id = projects.id AND o.status = 'accepted')"
    };
}

/// A project with what is computed from its postings and offers: `placed`, `seats` and
/// `open_shortage` (read-only in the API).
macro_rules! select {
    () => {
        concat!(
            "SELECT ",
            columns!(),
            ", ",
            placed!(),
            " AS placed, (SELECT CAST(COALESCE(SUM(s.headcount), 0) AS BIGINT) FROM postings s \
             WHERE s.project_id = projects.id AND s.status = 'open') AS seats, \
             CASE WHEN shortage > ",
            placed!(),
            " THEN shortage - ",
            placed!(),
            " ELSE 0 END AS open_shortage"
        )
    };
}

// Writes return the id, then the project is read back: the computed columns are not the
// written table's own, and RETURNING cannot name other tables on both backends alike.
pub async fn insert(db: &mut impl Access, organization_id: i64, f: &ProjectFields) -> Result<Project> {
    let id: i64 = on_backend!(db, |e| sqlx::query_scalar(
        "INSERT INTO projects (organization_id, name, park, stage, key_project, shortage, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"
    )
    .bind(organization_id)
    .bind(&f.name)
    .bind(&f.park)
    .bind(f.stage)
    .bind(f.key_project)
    .bind(f.shortage)
    .bind(Utc::now())
    .fetch_one(e)
    .await)?;
    get(db, id).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Project>> {
    on_backend!(db, |e| sqlx::query_as(concat!(select!(), " FROM projects WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &ProjectFields) -> Result<Option<Project>> {
    let updated: Option<i64> = on_backend!(db, |e| sqlx::query_scalar(
        "UPDATE projects SET name = $2, park = $3, stage = $4, key_project = $5, shortage = $6, updated_at = $7 \
         WHERE id = $1 RETURNING id"
    )
    .bind(id)
    .bind(&f.name)
    .bind(&f.park)
    .bind(f.stage)
    .bind(f.key_project)
    .bind(f.shortage)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)?;
    match updated {
        Some(id) => get(db, id).await,
        None => Ok(None),
    }
}

pub async fn delete(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("DELETE FROM projects WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

macro_rules! filter {
    () => {
        " FROM projects WHERE ($1 IS NULL OR organization_id = $1) AND ($2 IS NULL OR park = $2)"
    };
}

pub async fn list(
    db: &mut impl Access,
    organization_id: Option<i64>,
    park: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<Project>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(concat!(select!(), filter!(), " ORDER BY id LIMIT $3 OFFSET $4"))
        .bind(organization_id)
        .bind(park)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(organization_id)
        .bind(park)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}
