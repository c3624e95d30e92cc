use super::validation::request_schema;
use super::{Email, Input, Parse, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// An account as shown to clients: never the password hash.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub email: Email,
    pub role: Role,
    pub organization_id: i64,
    /// A disabled account cannot sign in; its sessions were revoked when it was disabled.
    pub disabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A password as typed; its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(text: &str) -> Result<Self, String> {
        let n = text.chars().count();
        if n < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters / 密码至少 {} 位", Self::MIN_CHARS, Self::MIN_CHARS));
        }
        if n > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters / 密码最多 {} 位", Self::MAX_CHARS, Self::MAX_CHARS));
        }
        Ok(Self(text.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl super::validation::FromField for Password {
    fn from_field(value: &serde_json::Value) -> Result<Self, String> {
        // Passwords are not trimmed: spaces are characters like any other.
        Self::parse(value.as_str().ok_or("must be a string / 必须是文本")?)
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        let mut o = super::input_schema::string();
        o.min_length = Some(Self::MIN_CHARS);
        o.max_length = Some(Self::MAX_CHARS);
        o.write_only = Some(true);
        o.format = Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Password));
        utoipa::openapi::schema::Schema::Object(o)
    }
}

/// A password typed to prove who one is (signing in, confirming a change): kept exactly
/// as typed and not held to the rules for new passwords, since a wrong one is simply wrong.
/// Its `Debug` never shows it.
#[derive(Clone)]
pub struct TypedPassword(String);

impl std::fmt::Debug for TypedPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedPassword(***)")
    }
}

impl TypedPassword {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl super::validation::FromField for TypedPassword {
    fn from_field(value: &serde_json::Value) -> Result<Self, String> {
        Ok(Self(value.as_str().ok_or("must be a string / 必须是文本")?.to_string()))
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        let mut o = super::input_schema::string();
        o.write_only = Some(true);
        o.format = Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Password));
        utoipa::openapi::schema::Schema::Object(o)
    }
}

/// An account created together with its organisation (`users` of `POST /organizations`).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub role: Role,
}

impl Parse for NewAccount {
    fn parse(input: &mut Input) -> Option<Self> {
        let email = input.required("email");
        let password = input.required("password");
        let role = input.required("role");
        Some(Self { email: email?, password: password?, role: role? })
    }
}

/// `POST /users`: a new account of the organisation `organization_id`, which must be of
/// the role's kind.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub organization_id: i64,
}

impl Parse for NewUser {
    fn parse(input: &mut Input) -> Option<Self> {
        let account = NewAccount::parse(input);
        let organization_id = input.int_in("organization_id", 1, i64::MAX, true);
        let NewAccount { email, password, role } = account?;
        Some(Self { email, password, role, organization_id: organization_id? })
    }
}

/// A new password (the `/reset/{token}` form).
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub password: Password,
}

impl Parse for PasswordChange {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { password: input.required("password")? })
    }
}

/// `PATCH /users/{id}`: a new `password` (your own, confirmed by `current_password`, or
/// anyone's for coordinators) and/or `disabled` (coordinators: disabling revokes every
/// session of the account at once).
#[derive(Debug, Clone)]
pub struct UserChange {
    pub password: Option<Password>,
    /// Required with a new password for one's own account; checked by the service, since
    /// whether it is right depends on the stored hash.
    pub current_password: Option<TypedPassword>,
    pub disabled: Option<bool>,
}

impl Parse for UserChange {
    fn parse(input: &mut Input) -> Option<Self> {
        let password = input.optional("password");
        let current_password = input.optional("current_password");
        let disabled = input.optional("disabled");
        Some(Self { password, current_password, disabled })
    }
}

/// `POST /auth/token`: an e-mail and password. The password is not checked for length
/// here: a wrong one is a 401 like any other.
#[derive(Debug, Clone)]
pub struct Login {
    pub email: Email,
    pub password: TypedPassword,
}

impl Parse for Login {
    fn parse(input: &mut Input) -> Option<Self> {
        let email = input.required("email");
        let password = input.required("password");
        Some(Self { email: email?, password: password? })
    }
}

request_schema!(NewUser, PasswordChange, UserChange, Login);
