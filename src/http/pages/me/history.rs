//! Consent as both the school's consent page and the graduate's own page show it: the
//! current answer with its purpose and text version, and each record of the history.

use crate::domain::consent::{ConsentRecord, purpose_en};
use crate::http::pages::context::Page;
use crate::http::pages::format;
use crate::http::pages::i18n::Lang;

/// The graduate's answer now.
pub struct ConsentNow {
    /// `given`, `withdrawn` or `never` (nothing recorded): a class and a test hook.
    pub state: &'static str,
    pub label: String,
    /// What consent is (or was) for, in the page's language.
    pub purpose: String,
    pub version: String,
    /// When the current answer was recorded, and how.
    pub since: Option<String>,
    pub method: Option<&'static str>,
}

/// One record of the history.
pub struct ConsentLine {
    pub at: String,
    pub given: bool,
    pub answer: String,
    pub method: &'static str,
    /// Who recorded it: a user's e-mail, the graduate themselves, or unknown.
    pub by: String,
    pub version: String,
    pub purpose: String,
}

/// A stored purpose (Chinese) in the page's language.
pub fn purpose(page: &Page, zh: &str) -> String {
    match page.lang {
        Lang::Zh => zh.to_string(),
        Lang::En => purpose_en(zh).unwrap_or(zh).to_string(),
    }
}

/// The current answer: the mirror on the graduate's record, described by the latest record.
pub fn now(page: &Page, consent: bool, latest: Option<&ConsentRecord>) -> ConsentNow {
    let current = crate::domain::consent::CURRENT_TEXT;
    let (state, key) = match (consent, latest) {
        (true, _) => ("given", "me-consent-state-given"),
        (false, Some(_)) => ("withdrawn", "me-consent-state-withdrawn"),
        (false, None) => ("never", "me-consent-state-never"),
    };
    ConsentNow {
        state,
        label: page.t(key),
        purpose: purpose(page, latest.map_or(current.purpose_zh, |r| r.purpose.as_str())),
        version: latest.map_or(current.version, |r| r.text_version.as_str()).to_string(),
        since: latest.map(|r| format::date_time(page.lang, r.at)),
        method: latest.map(|r| page.label(r.method.label_zh(), r.method.label_en())),
    }
}

/// A record as a line of the history; `by` is the recording user's e-mail, if known.
pub fn line(page: &Page, record: &ConsentRecord, by: Option<&str>) -> ConsentLine {
    let by = match (record.user_id, by) {
        (None, _) => page.t("me-history-by-graduate"),
        (Some(_), Some(email)) => email.to_string(),
        (Some(_), None) => page.t("me-history-by-unknown"),
    };
    ConsentLine {
        at: format::date_time(page.lang, record.at),
        given: record.given,
        answer: page.t(if record.given { "me-history-given" } else { "me-history-withdrawn" }),
        method: page.label(record.method.label_zh(), record.method.label_en()),
        by,
        version: record.text_version.clone(),
        purpose: purpose(page, &record.purpose),
    }
}
