//! Taking part in an event: a company with the postings it brings (one booth), a school
//! with the graduates it brings and the accompanying teacher (带队老师).

use super::{OrgKind, RegistrationStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub kind: OrgKind,
    /// Companies: the postings brought to the fair.
    #[schema(value_type = Vec<i64>)]
    pub posting_ids: Json<Vec<i64>>,
    /// Schools: how many graduates come.
    pub graduates: i64,
    /// Schools: the accompanying teacher (带队老师).
    pub teacher_name: Option<String>,
    pub teacher_phone: Option<String>,
    pub status: RegistrationStatus,
    /// `form` (registered through the API) or `rsvp` (answered an invitation's link).
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
