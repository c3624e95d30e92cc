//! Consent to be recommended to companies (PIPL: a purpose, the text shown, and who
//! recorded it how). A graduate's current consent is the latest record's answer.

pub use super::labels::ConsentMethod;
use super::validation::request_schema;
use super::{Input, Parse};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The consent text graduates are shown now. A new wording gets a new version; records
/// keep the version they were given under.
pub struct ConsentText {
    pub version: &'static str,
    /// What the graduate agrees to, in one line: shown to companies beside a consenting
    /// graduate, and stored with each record.
    pub purpose_zh: &'static str,
    pub purpose_en: &'static str,
}

pub const CURRENT_TEXT: ConsentText = ConsentText {
    version: "2026-11",
    purpose_zh: "向园区企业推荐就业：企业可见专业、学历、技能与求职意向，不含联系方式和身份证号",
    purpose_en: "Recommendation to companies in the zone: they see major, education, skills and wishes, \
                 never contact details or the ID number",
};

/// One consent given or withdrawn.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConsentRecord {
    pub id: i64,
    pub graduate_id: i64,
    /// True when consent was given, false when withdrawn.
    pub given: bool,
    pub purpose: String,
    pub text_version: String,
    pub method: ConsentMethod,
    /// The user who recorded it; null when the graduate did, through the personal link.
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// Every consent text graduates have been shown, newest first (records keep the version
/// they were given under, so a purpose stored in Chinese is shown in English from here).
pub const TEXTS: &[ConsentText] = &[CURRENT_TEXT];

/// A stored purpose in English, when it is one of ours.
pub fn purpose_en(purpose_zh: &str) -> Option<&'static str> {
    TEXTS.iter().find(|t| t.purpose_zh == purpose_zh).map(|t| t.purpose_en)
}

/// `POST /graduates/{id}/consent` and `POST /me/{token}/consent`: the graduate's answer,
/// recorded under the current text.
#[derive(Debug, Clone, Copy)]
pub struct ConsentChange {
    /// True to give consent, false to withdraw it.
    pub given: bool,
}

impl Parse for ConsentChange {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { given: input.required("given")? })
    }
}

/// Most graduates one request e-mails their personal links to (a roster page's worth).
pub const MAX_LINKS: usize = 500;

/// `POST /graduates/links`: e-mail each graduate their personal link.
#[derive(Debug, Clone)]
pub struct PersonalLinks {
    pub graduate_ids: Vec<i64>,
}

impl Parse for PersonalLinks {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { graduate_ids: input.required_id_list("graduate_ids", MAX_LINKS)? })
    }
}

request_schema!(ConsentChange, PersonalLinks);
