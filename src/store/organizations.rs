use super::{Access, PageRequest, Result, on_backend};
use crate::domain::organization::{Checks, Organization, OrganizationFields, Vetting};
use crate::domain::{OrgKind, OrgStatus};
use chrono::{DateTime, Utc};

macro_rules! columns {
    () => {
        "id, kind, name, credit_code, contact_name, contact_email, contact_phone, district, address, \
         status, status_reason, COALESCE(checks, '[]') AS checks, decided_at, reverify_on, created_at, updated_at"
    };
}

/// A new organisation in vetting state `status` (the service decides: companies start
/// pending).
pub async fn insert(db: &mut impl Access, f: &OrganizationFields, status: OrgStatus) -> Result<Organization> {
    on_backend!(db, |e| {
        sqlx::query_as(concat!(
        "INSERT INTO organizations (kind, name, credit_code, contact_name, contact_email, contact_phone, district, address, created_at, updated_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING ",
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
    .bind(status)
    .fetch_one(e)
    .await
    })
}

/// Record a coordinator's vetting decision.
pub async fn set_vetting(
    db: &mut impl Access,
    id: i64,
    vetting: &Vetting,
    decided_by: i64,
    now: DateTime<Utc>,
) -> Result<Option<Organization>> {
    let checks: &Checks = &vetting.checks;
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE organizations SET status = $2, status_reason = $3, checks = $4, decided_at = $5, decided_by = $6, \
         reverify_on = $7, updated_at = $5 WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(vetting.status)
    .bind(&vetting.status_reason)
    .bind(checks)
    .bind(now)
    .bind(decided_by)
    .bind(vetting.reverify_on)
    .fetch_optional(e)
    .await)
}

/// How many organisations of `kind` are in vetting state `status`.
pub async fn count_with_status(db: &mut impl Access, kind: OrgKind, status: OrgStatus) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE kind = $1 AND status = $2")
        .bind(kind)
        .bind(status)
        .fetch_one(e)
        .await)
}

/// What kind of organisation `id` is, if it exists.
pub async fn kind_of(db: &mut impl Access, id: i64) -> Result<Option<OrgKind>> {
    Ok(get(db, id).await?.map(|o| o.fields.kind))
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

/// Filters for listing organisations; `only_id` restricts to one (a non-coordinator's own);
/// `q` is a substring of the name.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<OrgKind>,
    pub only_id: Option<i64>,
    pub status: Option<OrgStatus>,
    pub q: Option<String>,
}

impl Filter {
    /// `q` as a `LIKE` pattern: a substring, its own `%`, `_` and `\` taken literally.
    fn pattern(&self) -> Option<String> {
        let q = self.q.as_deref()?.trim();
        (!q.is_empty()).then(|| {
            let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{}%", escaped.to_lowercase())
        })
    }
}

macro_rules! filter {
    () => {
        " FROM organizations WHERE ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR id = $2) \
         AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR lower(name) LIKE $4 ESCAPE '\\')"
    };
}

pub async fn list(db: &mut impl Access, filter: &Filter, page: PageRequest) -> Result<(Vec<Organization>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        filter!(),
        " ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id LIMIT $5 OFFSET $6"
    ))
    .bind(filter.kind)
    .bind(filter.only_id)
    .bind(filter.status)
    .bind(filter.pattern())
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(filter.kind)
        .bind(filter.only_id)
        .bind(filter.status)
        .bind(filter.pattern())
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}

/// Close a company's open postings (it is no longer approved); their ids.
pub async fn close_open_postings(db: &mut impl Access, organization_id: i64, now: DateTime<Utc>) -> Result<Vec<i64>> {
    on_backend!(db, |e| {
        sqlx::query_scalar(
        "UPDATE postings SET status = 'closed', updated_at = $2 WHERE organization_id = $1 AND status = 'open' RETURNING id"
    )
    .bind(organization_id)
    .bind(now)
    .fetch_all(e)
    .await
    })
}
