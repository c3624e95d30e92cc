use super::input_schema::{described, exactly_one_of, items_mut, one_of, property_mut};
use super::user::NewAccount;
use super::validation::{FromField, request_schema};
use super::{CreditCode, Email, Input, OrgKind, Parse, Phone, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::schema::Schema;

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
/// account's role must fit the organisation's kind, and no two accounts share an e-mail.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub fields: OrganizationFields,
    pub users: Vec<NewAccount>,
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
            NewAccount::parse(user)
        });
        if let Some(users) = &users {
            for (at, user) in users.iter().enumerate() {
                if let Some(first) = users[..at].iter().position(|u| u.email == user.email) {
                    let message = format!("repeats the e-mail of users[{first}] / 与 users[{first}] 的邮箱重复");
                    input.errors.push(format!("users[{at}].email"), message);
                }
            }
        }
        Some(Self { fields: fields?, users: users.unwrap_or_default() })
    }

    /// One alternative per kind, so that the schema states what the parse checks by kind:
    /// a company's `credit_code` is required, and first accounts have the kind's role.
    fn refine_schema(recorded: Schema) -> Schema {
        let for_kind = |kind: OrgKind| {
            let mut schema = recorded.clone();
            if let Some(property) = property_mut(&mut schema, "kind") {
                *property = one_of([kind.as_str()]);
            }
            if kind == OrgKind::Company
                && let Some(property) = property_mut(&mut schema, "credit_code")
            {
                *property = CreditCode::schema();
                if let Schema::Object(object) = &mut schema {
                    object.required.push("credit_code".into());
                }
            }
            if let Some(users) = property_mut(&mut schema, "users") {
                if let Schema::Array(list) = users {
                    // Two identical accounts repeat an e-mail.
                    list.unique_items = true;
                }
                if let Some(role) = items_mut(users).and_then(|user| property_mut(user, "role")) {
                    *role = one_of(Role::ALL.iter().filter(|r| r.org_kind() == kind).map(|r| r.as_str()));
                }
            }
            schema
        };
        described(
            exactly_one_of(OrgKind::ALL.iter().map(|&kind| for_kind(kind))),
            "One alternative per `kind`. Companies must give `credit_code`; the roles of the first \
             `users` fit the kind, and no two share an e-mail address (compared ignoring case).",
        )
    }
}

request_schema!(NewOrganization);

/// `PATCH /organizations/{id}`: a JSON merge patch; the kind cannot change.
pub type OrganizationPatch = super::Patch<OrganizationFields>;

impl Parse for OrganizationFields {
    /// The kind is fixed at creation: a patch may echo it but not change it.
    const READ_ONLY: &'static [&'static str] = &["id", "kind", "created_at", "updated_at"];

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
