use super::{CreditCode, Email, Input, OrgKind, Phone};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a client may write about an organisation.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrganizationFields {
    pub kind: OrgKind,
    /// 名称
    pub name: String,
    /// 统一社会信用代码; required for companies.
    pub credit_code: Option<CreditCode>,
    pub contact_name: Option<String>,
    pub contact_email: Option<Email>,
    pub contact_phone: Option<Phone>,
    /// 区县, e.g. 鼎湖区
    pub district: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Organization {
    pub id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub fields: OrganizationFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrganizationFields {
    pub fn parse(input: &mut Input) -> Option<Self> {
        let kind: Option<OrgKind> = input.required("kind");
        let name = input.required_text("name", 100);
        let credit_code: Option<CreditCode> = input.optional("credit_code");
        if kind == Some(OrgKind::Company) && credit_code.is_none() && !input.errors.has("credit_code") {
            input.errors.push("credit_code", "is required for companies / 企业必须填写统一社会信用代码");
        }
        let contact_name = input.text("contact_name", 50);
        let contact_email = input.optional("contact_email");
        let contact_phone = input.optional("contact_phone");
        let district = input.text("district", 50);
        let address = input.text("address", 200);
        Some(Self {
            kind: kind?,
            name: name?,
            credit_code,
            contact_name,
            contact_email,
            contact_phone,
            district,
            address,
        })
    }
}
