use super::user::NewUser;
use super::validation::request_schema;
use super::{CreditCode, Email, Input, OrgKind, Parse, Phone, Role};
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

/// Most accounts created together with an organisation.
pub const MAX_FIRST_USERS: usize = 100;

/// `POST /organizations`: a new organisation, optionally with its first accounts (onboarded
/// in one transaction: if any account cannot be created, neither is the organisation). Each
/// account's role must fit the organisation's kind.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub fields: OrganizationFields,
    pub users: Vec<NewUser>,
}

impl Parse for NewOrganization {
    fn parse(input: &mut Input) -> Option<Self> {
        let fields = OrganizationFields::parse(input);
        // Named even when other fields are invalid, so that roles are still checked.
        let kind = fields
            .as_ref()
            .map(|f| f.kind)
            .or_else(|| input.peek("kind").and_then(|v| v.as_str()).and_then(OrgKind::parse));
        let users = input.nested_list("users", MAX_FIRST_USERS, |user| {
            user.ignore("organization_id");
            let role = user.peek("role").and_then(|v| v.as_str()).and_then(Role::parse);
            if let (Some(kind), Some(role)) = (kind, role)
                && kind != role.org_kind()
            {
                user.errors.push("role", "does not fit the organisation's kind / 角色与机构类型不符");
            }
            NewUser::parse(user)
        });
        Some(Self { fields: fields?, users: users.unwrap_or_default() })
    }
}

request_schema!(NewOrganization);

/// `PATCH /organizations/{id}`: a JSON merge patch; the kind cannot change.
pub type OrganizationPatch = super::Patch<OrganizationFields>;

impl Parse for OrganizationFields {
    /// `credit_code` is required for companies.
    fn parse(input: &mut Input) -> Option<Self> {
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
