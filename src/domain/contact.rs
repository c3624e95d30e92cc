//! Contact details: e-mail addresses and phone numbers.

use super::validation::FromField;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An e-mail address, lower-cased so that uniqueness ignores case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, format = Email, example = "hr@example.cn")]
pub struct Email(String);

stored_as_text!(Email);

impl Email {
    pub fn parse(text: &str) -> Result<Self, String> {
        let email = text.trim().to_lowercase();
        let invalid = || "is not a valid e-mail address / 邮箱格式无效".to_string();
        if email.chars().count() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.chars().count() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}
impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}
impl FromField for Email {
    fn from_field(value: &Value) -> Result<Self, String> {
        Self::parse(value.as_str().ok_or("must be a string / 必须是文本")?)
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        use super::input_schema::{CONTROL, WHITE_SPACE, patterned};
        use utoipa::openapi::schema::SchemaFormat;
        // What `parse` accepts: a local part of 1–64 characters and a domain of
        // dot-separated labels, neither with `@`, white space or control characters.
        let plain = format!("[^@{WHITE_SPACE}{CONTROL}]");
        let label = format!("[^@.{WHITE_SPACE}{CONTROL}]");
        let pattern = format!("^{plain}{{1,64}}@{label}+(\\.{label}+)+$");
        patterned(&pattern, 254, Some(SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Email)))
    }
}

/// A phone number: a mainland mobile (11 digits starting with 1) or a landline with its
/// area code (e.g. 0758-2712345), kept as the digits and separators the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "13800138000")]
pub struct Phone(String);

stored_as_text!(Phone);

impl Phone {
    pub fn parse(text: &str) -> Result<Self, String> {
        let phone = text.trim();
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let allowed = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
        let national = digits.strip_prefix("86").filter(|_| phone.starts_with('+')).unwrap_or(&digits);
        let mobile = national.len() == 11 && national.starts_with('1');
        let landline = national.starts_with('0') && (10..=12).contains(&national.len());
        if !allowed || !(mobile || landline) {
            return Err("is not a valid phone number / 电话号码无效".into());
        }
        Ok(Self(phone.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}
impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}
impl FromField for Phone {
    fn from_field(value: &Value) -> Result<Self, String> {
        Self::parse(value.as_str().ok_or("must be a string / 必须是文本")?)
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        super::input_schema::described(
            super::input_schema::patterned(PHONE_PATTERN, 32, None),
            "A mainland mobile (11 digits starting with 1, optionally +86) or a landline with its area code; \
             digits may be grouped by spaces, hyphens or parentheses. 手机号或带区号的固定电话。",
        )
    }
}

/// The usual ways of writing what [`Phone::parse`] accepts.
const PHONE_PATTERN: &str =
    r"^(\+86[ -]?)?1[0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{4}$|^(0[0-9]{2,3}|\(0[0-9]{2,3}\))[ -]?[0-9]{7,8}$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_fold_case() {
        assert_eq!(Email::parse(" HR@Example.CN ").unwrap().as_str(), "hr@example.cn");
        for bad in ["", "a", "a@b", "@b.cn", "a@.cn", "a b@c.cn", "a@b..cn"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["13800138000", "0758-2712345", "+86 138 0013 8000", "(0758) 2712345"] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["12345", "phone", "2712345", "138001380001"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }
}
