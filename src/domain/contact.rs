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
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
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
}

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
