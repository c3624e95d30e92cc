use super::input_schema::{described, exactly_one_of, items_mut, one_of, property_mut};
use super::user::NewAccount;
use super::validation::{FromField, request_schema};
use super::{CreditCode, Email, Input, OrgKind, OrgStatus, Parse, Phone, Role};
use chrono::{DateTime, NaiveDate, Utc};
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
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub vetting: Vetting,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

super::labels::labeled_enum! {
    /// What a coordinator checked before approving an organisation.
    VettingCheck {
        CreditCode = ("credit_code", "统一社会信用代码核验", "Credit code verified"),
        Licence = ("licence", "营业执照", "Business licence seen"),
        SiteVisit = ("site_visit", "实地核查", "Site visit"),
        Contact = ("contact", "联系人核实", "Contact person confirmed"),
        ProjectRecord = ("project_record", "项目备案", "Project filing checked"),
    }
}

/// The checks as stored: a JSON list of their names in a text column (both backends).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Checks(pub Vec<VettingCheck>);

impl<DB: sqlx::Database> sqlx::Type<DB> for Checks
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for Checks
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <String as sqlx::Decode<'r, DB>>::decode(value)?;
        Ok(Checks(serde_json::from_str(&text)?))
    }
}

impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for Checks
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(&self, buf: &mut DB::ArgumentBuffer) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        let text = serde_json::to_string(&self.0)?;
        <String as sqlx::Encode<'q, DB>>::encode(text, buf)
    }
}

/// Where an organisation stands in vetting. Companies start `pending` and may open
/// postings only once `approved`; schools and coordinators' organisations are created
/// approved (a coordinator creates them: nothing to vet).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Vetting {
    pub status: OrgStatus,
    /// Why it was rejected (mailed to the organisation), or a note on the approval.
    pub status_reason: Option<String>,
    #[schema(value_type = Vec<VettingCheck>)]
    pub checks: Checks,
    /// When a coordinator last decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// When to check the organisation again (by default a year after approval).
    pub reverify_on: Option<NaiveDate>,
}

impl Vetting {
    /// Nothing decided yet.
    pub fn undecided(status: OrgStatus) -> Self {
        Vetting { status, status_reason: None, checks: Checks::default(), decided_at: None, reverify_on: None }
    }
}

/// What a coordinator decides about an organisation (the vetting part of `PATCH
/// /organizations/{id}`): a status, the reason (required to reject), what was checked, and
/// when to check again.
#[derive(Debug, Clone, PartialEq)]
pub struct VettingDecision {
    pub status: OrgStatus,
    pub status_reason: Option<String>,
    pub checks: Vec<VettingCheck>,
    pub reverify_on: Option<NaiveDate>,
}

impl Parse for VettingDecision {
    fn parse(input: &mut Input) -> Option<Self> {
        let status: Option<OrgStatus> = input.required("status");
        let status_reason = input.text("status_reason", 500).filter(|r| !r.is_empty());
        if status == Some(OrgStatus::Rejected) && status_reason.is_none() && !input.errors.has("status_reason") {
            input.errors.push(
                "status_reason",
                "is required when rejecting: it is mailed to the organisation / 不通过时必须填写原因（将邮件告知该机构）",
            );
        }
        let checks = input.enum_list("checks");
        let reverify_on = input.optional("reverify_on");
        Some(Self { status: status?, status_reason, checks, reverify_on })
    }
}

/// `PATCH /organizations/{id}`: what a client may write about an organisation and the
/// coordinator's vetting decision, as one merge patch over the stored organisation.
#[derive(Debug, Clone)]
pub struct OrganizationEditFields {
    pub fields: OrganizationFields,
    pub decision: VettingDecision,
}

impl Parse for OrganizationEditFields {
    const READ_ONLY: &'static [&'static str] = &["id", "kind", "decided_at", "created_at", "updated_at"];

    fn parse(input: &mut Input) -> Option<Self> {
        let fields = OrganizationFields::parse(input);
        let decision = VettingDecision::parse(input);
        Some(Self { fields: fields?, decision: decision? })
    }
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
pub type OrganizationPatch = super::Patch<OrganizationEditFields>;

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
