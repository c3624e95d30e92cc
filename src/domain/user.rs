use super::{Email, Input, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// An account as shown to clients: never the password hash.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub email: Email,
    pub role: Role,
    pub organization_id: i64,
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
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub organization_id: Option<i64>,
}

impl NewUser {
    pub fn parse(input: &mut Input) -> Option<Self> {
        let email = input.required("email");
        let password = input.required("password");
        let role = input.required("role");
        let organization_id = input.optional("organization_id");
        Some(Self { email: email?, password: password?, role: role?, organization_id })
    }
}

/// The request body documented for `POST /users`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct NewUserBody {
    pub email: String,
    /// write-only, 8–128 characters
    pub password: String,
    pub role: Role,
    /// Required for coordinators creating accounts; must be an organisation of the role's kind.
    pub organization_id: i64,
}
