use super::{Access, PageRequest, Result, on_backend};
use crate::domain::project::{Project, ProjectFields};
use chrono::Utc;

macro_rules! columns {
    () => {
        "id, organization_id, name, park, stage, key_project, shortage, created_at, updated_at"
    };
}

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &ProjectFields) -> Result<Project> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "INSERT INTO projects (organization_id, name, park, stage, key_project, shortage, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ",
        columns!()
    ))
    .bind(organization_id)
    .bind(&f.name)
    .bind(&f.park)
    .bind(f.stage)
    .bind(f.key_project)
    .bind(f.shortage)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Project>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM projects WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &ProjectFields) -> Result<Option<Project>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE projects SET name = $2, park = $3, stage = $4, key_project = $5, shortage = $6, updated_at = $7 \
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(&f.name)
    .bind(&f.park)
    .bind(f.stage)
    .bind(f.key_project)
    .bind(f.shortage)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)
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
    let items = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        filter!(),
        " ORDER BY id LIMIT $3 OFFSET $4"
    ))
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
