//! Offers: each placement of a published round becomes an offer that the company and the
//! graduate's side (the school, the graduate through the personal link, or a coordinator)
//! answer before a deadline. Both yes places the graduate; either no, or the deadline,
//! returns the seat.

use super::event::{LocalTime, in_shanghai, shanghai};
use super::validation::{FromField, request_schema};
use super::{Input, OfferAnswer, OfferStatus, Parse};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;

/// An offer as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Offer {
    pub id: i64,
    pub round_id: i64,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub school_id: i64,
    pub school_name: String,
    pub posting_id: i64,
    pub posting_title: String,
    pub company_id: i64,
    pub company_name: String,
    pub project_id: Option<i64>,
    pub status: OfferStatus,
    pub company_answer: Option<OfferAnswer>,
    /// A code of [`COMPANY_REASONS`] when the company declined.
    pub company_reason: Option<String>,
    pub company_answered_at: Option<DateTime<Utc>>,
    pub graduate_answer: Option<OfferAnswer>,
    /// A code of [`GRADUATE_REASONS`] when the graduate's side declined.
    pub graduate_reason: Option<String>,
    /// `school`, `graduate` (the personal link) or `coordinator`.
    pub graduate_answered_by: Option<String>,
    pub graduate_answered_at: Option<DateTime<Utc>>,
    /// Asia/Shanghai, e.g. `2026-12-10T23:59:00+08:00`.
    #[serde(serialize_with = "in_shanghai")]
    #[schema(value_type = String)]
    pub due_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One change of an offer.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OfferEvent {
    pub at: DateTime<Utc>,
    /// `company`, `school`, `graduate`, `coordinator` or `system`.
    pub side: String,
    /// `created`, `accept`, `decline`, `accepted`, `declined`, `expired`.
    pub action: String,
    pub reason: Option<String>,
}

/// `GET /offers/{id}`: the offer and its history, oldest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferDetail {
    #[serde(flatten)]
    pub offer: Offer,
    pub history: Vec<OfferEvent>,
}

/// A reason for declining, from a fixed list per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn reason(code: &'static str, zh: &'static str, en: &'static str) -> Reason {
    Reason { code, zh, en }
}

/// Why a company declines.
pub const COMPANY_REASONS: &[Reason] = &[
    reason("position_filled", "岗位已招满", "Position already filled"),
    reason("requirements_not_met", "条件不符", "Requirements not met"),
    reason("interview_failed", "面试未通过", "Did not pass the interview"),
    reason("unreachable", "无法联系", "Could not be reached"),
    reason("other", "其他", "Other"),
];

/// Why a graduate (or their school for them) declines.
pub const GRADUATE_REASONS: &[Reason] = &[
    reason("other_offer", "已有其他去向", "Has another destination"),
    reason("location", "工作地点不合适", "Location does not suit"),
    reason("salary", "薪资待遇不合适", "Pay does not suit"),
    reason("further_study", "继续升学", "Continuing studies"),
    reason("other", "其他", "Other"),
];

/// The reason with `code` in either list (for labels).
pub fn reason_of(code: &str) -> Option<Reason> {
    COMPANY_REASONS.iter().chain(GRADUATE_REASONS).find(|r| r.code == code).copied()
}

/// A reason code as sent: one of either side's list (which side's list applies is known
/// only once the answering side is, so the service checks that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonCode(pub &'static str);

fn all_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for r in COMPANY_REASONS.iter().chain(GRADUATE_REASONS) {
        if !codes.contains(&r.code) {
            codes.push(r.code);
        }
    }
    codes
}

impl FromField for ReasonCode {
    fn from_field(value: &Value) -> Result<Self, String> {
        let text = value.as_str().unwrap_or_default();
        all_codes()
            .into_iter()
            .find(|c| *c == text)
            .map(ReasonCode)
            .ok_or_else(|| format!("must be one of: {} / 取值无效", all_codes().join(", ")))
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        super::input_schema::described(
            super::input_schema::one_of(all_codes()),
            "Company: position_filled, requirements_not_met, interview_failed, unreachable, other. \
             Graduate's side: other_offer, location, salary, further_study, other. \
             Required when declining. 拒绝时必填。",
        )
    }
}

/// `POST /offers/{id}/answer`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOffer {
    pub answer: OfferAnswer,
    pub reason: Option<ReasonCode>,
}

impl Parse for AnswerOffer {
    fn parse(input: &mut Input) -> Option<Self> {
        let answer = input.required("answer");
        let reason = input.optional("reason");
        if answer == Some(OfferAnswer::Decline) && reason.is_none() && !input.errors.has("reason") {
            input.errors.push("reason", "is required when declining / 拒绝时须选择原因");
        }
        Some(AnswerOffer { answer: answer?, reason })
    }
}

/// `POST /rounds/{id}/publish`: when offers must be answered by (optional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishRound {
    pub offers_due: Option<DateTime<Utc>>,
}

impl Parse for PublishRound {
    fn parse(input: &mut Input) -> Option<Self> {
        let due: Option<LocalTime> = input.optional("offers_due");
        Some(PublishRound { offers_due: due.map(|d| d.0) })
    }
}

request_schema!(AnswerOffer, PublishRound);

/// The default deadline: seven days after `now`, at 23:59 Beijing time.
pub fn default_due(now: DateTime<Utc>) -> DateTime<Utc> {
    let day = (now.with_timezone(&shanghai()) + Duration::days(7)).date_naive();
    let end = day.and_time(NaiveTime::from_hms_opt(23, 59, 0).expect("23:59 is a time"));
    shanghai().from_local_datetime(&end).single().map(|t| t.with_timezone(&Utc)).unwrap_or(now + Duration::days(7))
}

/// Today's date in Asia/Shanghai (a placement's date, the day postings close after).
pub fn today_in_shanghai(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&shanghai()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn declining_needs_a_reason_from_the_lists() {
        let errors = AnswerOffer::from_json(json!({"answer": "decline"})).unwrap_err();
        assert!(errors.has("reason"));
        let errors = AnswerOffer::from_json(json!({"answer": "decline", "reason": "bored"})).unwrap_err();
        assert!(errors.has("reason"));
        let errors = AnswerOffer::from_json(json!({"answer": "maybe"})).unwrap_err();
        assert!(errors.has("answer"));
        let ok = AnswerOffer::from_json(json!({"answer": "decline", "reason": "salary"})).unwrap();
        assert_eq!(ok.reason, Some(ReasonCode("salary")));
        assert!(AnswerOffer::from_json(json!({"answer": "accept"})).is_ok());
    }

    #[test]
    fn the_default_deadline_is_a_week_later_at_midnight_in_beijing() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T17:30:00Z").unwrap().with_timezone(&Utc);
        // 17:30Z is already 12-02 01:30 in Beijing: a week later is 12-09 23:59 +08:00.
        assert_eq!(default_due(now).to_rfc3339(), "2026-12-09T15:59:00+00:00");
    }
}
