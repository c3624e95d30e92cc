use super::{Access, PageRequest, Result, on_backend};
use crate::domain::OrgKind;
use crate::domain::organization::{Organization, OrganizationFields};
use chrono::Utc;

macro_rules! columns {
    () => {
        "id, kind, name, credit_code, contact_name, contact_email, contact_phone, district, address, created_at, updated_at"
    };
}

pub async fn insert(db: &mut impl Access, f: &OrganizationFields) -> Result<Organization> {
    on_backend!(db, |e| {
        sqlx::query_as(concat!(
        "INSERT INTO organizations (kind, name, credit_code, contact_name, contact_email, contact_phone, district, address, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ",
        columns!()
    ))
    .bind(f.kind)
    .bind(&f.name)
    .bind(&f.credit_code)
    .bind(&f.contact_name)
    .bind(&f.contact_email)
    .bind(&f.contact_phone)
    .bind(&f.district)
    .bind(&f.address)
    .bind(Utc::now())
    .fetch_one(e)
    .await
    })
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Organization>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM organizations WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &OrganizationFields) -> Result<Option<Organization>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE organizations SET kind = $2, name = $3, credit_code = $4, contact_name = $5, contact_email = $6, \
         contact_phone = $7, district = $8, address = $9, updated_at = $10 WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(f.kind)
    .bind(&f.name)
    .bind(&f.credit_code)
    .bind(&f.contact_name)
    .bind(&f.contact_email)
    .bind(&f.contact_phone)
    .bind(&f.district)
    .bind(&f.address)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)
}

pub async fn delete(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

/// Filters for listing organisations; `only_id` restricts to one (a non-coordinator's own).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<OrgKind>,
    pub only_id: Option<i64>,
}

macro_rules! filter {
    () => {
        " FROM organizations WHERE ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR id = $2)"
    };
}

pub async fn list(db: &mut impl Access, filter: &Filter, page: PageRequest) -> Result<(Vec<Organization>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        filter!(),
        " ORDER BY id LIMIT $3 OFFSET $4"
    ))
    .bind(filter.kind)
    .bind(filter.only_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(filter.kind)
        .bind(filter.only_id)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}
