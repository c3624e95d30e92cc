//! Resident identity card numbers (居民身份证号码, GB 11643-1999): sensitive personal
//! information under PIPL. The number is kept for the graduate's school and coordinators
//! only: never indexed, logged, exported to companies or shown in a company's view, and shown
//! masked (`4401**********123X`) unless a permitted reader explicitly reveals it.

use super::labels::Gender;
use super::validation::FromField;
use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An 18-character ID number whose check character, region and birth date are valid, or
/// its masked form as answers show it: parsing and the database only ever give the whole
/// number, and only [`IdNumber::masked`] makes the other. `Debug` prints the masked form,
/// so the number cannot reach a log by accident; a masked number cannot be stored.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "11010519491231002X")]
pub struct IdNumber(Shown);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Shown {
    Whole(String),
    Masked(String),
}

/// Weights of the first 17 digits (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The schema format naming the check character, which a pattern cannot express.
pub const FORMAT: &str = "cn-id-number";
const PATTERN: &str = "^[1-8][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$";

/// The check character of 17 digits.
pub fn check_character(body: &str) -> Option<char> {
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

impl IdNumber {
    /// Accepts full-width digits and a lower-case x, which people type; stores the canonical
    /// ASCII form with an upper-case X.
    pub fn parse(text: &str) -> Result<Self, String> {
        let number: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'x' | 'ｘ' | 'Ｘ' => 'X',
                _ => c,
            })
            .collect();
        if number.chars().count() != 18 {
            return Err("must be 18 characters (the second-generation ID card) / 须为18位身份证号码".into());
        }
        let (body, check) = number.split_at(17);
        let Some(expected) = check_character(body) else {
            return Err("the first 17 characters must be digits / 前17位须为数字".into());
        };
        if !body.starts_with(|c: char| ('1'..='8').contains(&c)) {
            return Err("does not start with a valid region code / 地区码无效".into());
        }
        if birth_date_of(body).is_none() {
            return Err("does not hold a valid birth date / 出生日期无效".into());
        }
        if !check.starts_with(expected) {
            return Err("the check character is wrong; please check the number / 校验码不符，请核对号码".into());
        }
        Ok(Self(Shown::Whole(number)))
    }

    /// The whole number, or the masked one's visible characters with stars.
    fn text(&self) -> &str {
        match &self.0 {
            Shown::Whole(text) | Shown::Masked(text) => text,
        }
    }

    /// The birth date the number holds (the whole number's only).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.reveal().and_then(birth_date_of)
    }

    /// The 17th digit: odd for men, even for women (the whole number's only).
    pub fn gender(&self) -> Option<Gender> {
        let digit = self.reveal()?.as_bytes()[16] - b'0';
        Some(if digit % 2 == 1 { Gender::Male } else { Gender::Female })
    }

    /// The first four and last four characters shown: `4401**********123X`.
    pub fn masked(&self) -> IdNumber {
        let text = self.text();
        IdNumber(Shown::Masked(format!("{}{}{}", &text[..4], "*".repeat(10), &text[14..])))
    }

    pub fn is_masked(&self) -> bool {
        matches!(self.0, Shown::Masked(_))
    }

    /// The text answers show: whole or masked, as this value is.
    pub fn as_shown(&self) -> &str {
        self.text()
    }

    /// The whole number (`None` for a masked one): only for the graduate's school and
    /// coordinators, on an explicit, audited request, or their own roster export.
    pub fn reveal(&self) -> Option<&str> {
        match &self.0 {
            Shown::Whole(text) => Some(text),
            Shown::Masked(_) => None,
        }
    }
}

impl<DB: sqlx::Database> sqlx::Type<DB> for IdNumber
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

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for IdNumber
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(IdNumber(Shown::Whole(<String as sqlx::Decode<'r, DB>>::decode(value)?)))
    }
}

impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for IdNumber
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(&self, buf: &mut DB::ArgumentBuffer) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.reveal() {
            Some(whole) => <String as sqlx::Encode<'q, DB>>::encode_by_ref(&whole.to_string(), buf),
            None => Err("a masked ID number cannot be stored".into()),
        }
    }
}

fn birth_date_of(body: &str) -> Option<NaiveDate> {
    let digits = body.get(6..14)?;
    let date = NaiveDate::parse_from_str(digits, "%Y%m%d").ok()?;
    let today = Utc::now().date_naive();
    (date.year() >= 1900 && date <= today).then_some(date)
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked().text())
    }
}

impl TryFrom<String> for IdNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Self::parse(&value)
    }
}

impl From<IdNumber> for String {
    fn from(value: IdNumber) -> Self {
        value.text().to_string()
    }
}

impl FromField for IdNumber {
    fn from_field(value: &Value) -> Result<Self, String> {
        Self::parse(value.as_str().ok_or("must be a string / 必须是文本")?)
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        use super::input_schema::{described, patterned};
        use utoipa::openapi::schema::SchemaFormat;
        described(
            patterned(PATTERN, 18, Some(SchemaFormat::Custom(FORMAT.into()))),
            "18 characters (GB 11643-1999): 6-digit region, birth date YYYYMMDD, 3-digit sequence (odd for men), \
             and a check character (mod 11, X for 10) that must match; gender and birth_date, when given, must \
             agree with it. Answers show it masked. 居民身份证号码，校验码须正确。",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_standards_example_passes_and_reads_back() {
        // GB 11643-1999's own example.
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(id.gender(), Some(Gender::Female));
        assert_eq!(id.masked().as_shown(), "1101**********002X");
        assert_eq!(format!("{id:?}"), "IdNumber(1101**********002X)");
        assert_eq!(serde_json::to_value(id.masked()).unwrap(), "1101**********002X");
        assert_eq!(id.masked().reveal(), None);
    }

    #[test]
    fn full_width_digits_and_lower_case_x_are_normalised() {
        let id = IdNumber::parse(" １１０１０５１９４９１２３１００２x ").unwrap();
        assert_eq!(id.reveal(), Some("11010519491231002X"));
    }

    #[test]
    fn bad_numbers_say_what_is_wrong() {
        assert!(IdNumber::parse("110105491231002").unwrap_err().contains("18"));
        assert!(IdNumber::parse("1101051949123100YX").unwrap_err().contains("17"));
        assert!(IdNumber::parse("110105194912310021").unwrap_err().contains("校验码"));
        assert!(IdNumber::parse("110105194902300021").unwrap_err().contains("出生日期"));
        assert!(IdNumber::parse("4.40106E+17").is_err());
    }

    fn body() -> impl Strategy<Value = String> {
        (1u32..=8, 0u32..100_000, 0i64..30_000, 0u32..1000).prop_map(|(region, area, days, seq)| {
            let date = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::TimeDelta::days(days);
            format!("{region}{area:05}{}{seq:03}", date.format("%Y%m%d"))
        })
    }

    proptest! {
        #[test]
        fn completed_numbers_validate_and_any_single_digit_change_is_caught(body in body(), pos in 0usize..17, alt in 0u8..10) {
            let number = format!("{body}{}", check_character(&body).unwrap());
            let id = IdNumber::parse(&number).unwrap();
            prop_assert_eq!(id.reveal(), Some(number.as_str()));
            // Every weight is a unit modulo 11, so a changed digit changes the check character.
            let mut bytes = number.into_bytes();
            prop_assume!(bytes[pos] != b'0' + alt);
            bytes[pos] = b'0' + alt;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(IdNumber::parse(&changed).is_err(), "{} accepted", changed);
        }
    }
}
