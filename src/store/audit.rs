//! Who did what, when: written in the same transaction as the action.
use super::{Access, PageRequest, Result, on_backend};
use chrono::{DateTime, Utc};

pub async fn record(
    db: &mut impl Access,
    user_id: Option<i64>,
    organization_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
) -> Result<()> {
    record_detail(db, user_id, organization_id, action, entity, entity_id, None).await
}

/// [`record`] with a short detail: a decision's reason, an export's filter, the e-mail a
/// failed sign-in named.
pub async fn record_detail(
    db: &mut impl Access,
    user_id: Option<i64>,
    organization_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: Option<&str>,
) -> Result<()> {
    // Details are for reading, not storage: a long one is cut (on a character boundary).
    let detail = detail.map(|d| d.chars().take(500).collect::<String>());
    on_backend!(db, |e| {
        sqlx::query(
            "INSERT INTO audit_entries (user_id, organization_id, action, entity, entity_id, at, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(user_id)
        .bind(organization_id)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(Utc::now())
        .bind(&detail)
        .execute(e)
        .await
        .map(|_| ())
    })
}

/// An audit entry as coordinators read it: who (with their e-mail and organisation's
/// name, as they are now), what, when.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub user_email: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: Option<String>,
}

/// Which entries to read; `from` inclusive, `until` exclusive.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub organization_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

macro_rules! filter {
    () => {
        " FROM audit_entries a LEFT JOIN users u ON u.id = a.user_id \
         LEFT JOIN organizations o ON o.id = a.organization_id \
         WHERE ($1 IS NULL OR a.organization_id = $1) AND ($2 IS NULL OR a.user_id = $2) \
         AND ($3 IS NULL OR a.action = $3) AND ($4 IS NULL OR a.entity = $4) \
         AND ($5 IS NULL OR a.at >= $5) AND ($6 IS NULL OR a.at < $6)"
    };
}

/// Entries newest first, and how many match.
pub async fn list(db: &mut impl Access, filter: &Filter, page: PageRequest) -> Result<(Vec<AuditEntry>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT a.id, a.at, a.user_id, u.email AS user_email, a.organization_id, o.name AS organization_name, \
         a.action, a.entity, a.entity_id, a.detail",
        filter!(),
        " ORDER BY a.at DESC, a.id DESC LIMIT $7 OFFSET $8"
    ))
    .bind(filter.organization_id)
    .bind(filter.user_id)
    .bind(&filter.action)
    .bind(&filter.entity)
    .bind(filter.from)
    .bind(filter.until)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(filter.organization_id)
        .bind(filter.user_id)
        .bind(&filter.action)
        .bind(&filter.entity)
        .bind(filter.from)
        .bind(filter.until)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}

/// The actions and entities on record, for a filter's choices.
pub async fn actions_and_entities(db: &mut impl Access) -> Result<(Vec<String>, Vec<String>)> {
    let actions = on_backend!(db, |e| sqlx::query_scalar("SELECT DISTINCT action FROM audit_entries ORDER BY action")
        .fetch_all(e)
        .await)?;
    let entities =
        on_backend!(db, |e| sqlx::query_scalar("SELECT DISTINCT entity FROM audit_entries ORDER BY entity")
            .fetch_all(e)
            .await)?;
    Ok((actions, entities))
}
