//! Unified social credit code (统一社会信用代码), GB 32100-2015.

use serde::{Deserialize, Serialize};

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// Registration authorities (登记管理部门代码) the standard assigns.
const AUTHORITIES: &[u8] = b"123456789ABCDEFGNY";

/// An 18-character code whose structure and check character have been verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "91441200MA4UJ6F5X1")]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or `None` if one of them is not in
/// the code's alphabet (which excludes I, O, S, V and Z).
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        sum += value_of(*b)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

stored_as_text!(CreditCode);

/// The structure a code must have (upper or lower case); the check character is verified
/// by [`CreditCode::parse`], which a pattern cannot express: the schema names it with the
/// format [`FORMAT`].
const PATTERN: &str = "^[1-9A-GNYa-gny][0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y][0-9]{6}[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{10}$";

/// The schema format of a code with a valid check character: JSON Schema validators treat
/// an unknown format as a note, and test generators can register a generator for it.
pub const FORMAT: &str = "cn-credit-code";

impl CreditCode {
    pub fn parse(text: &str) -> Result<Self, String> {
        let code = text.trim().to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err("must be 18 characters / 统一社会信用代码应为18位".into());
        }
        let bytes = code.as_bytes();
        if !AUTHORITIES.contains(&bytes[0]) {
            return Err("first character is not a registration authority code / 登记管理部门代码无效".into());
        }
        if !bytes[2..8].iter().all(u8::is_ascii_digit) {
            return Err("characters 3–8 must be an administrative division code / 行政区划码应为6位数字".into());
        }
        let expected = check_character(&code[..17]).ok_or_else(|| {
            "contains a character not used in credit codes (I, O, S, V, Z) / 含有无效字符".to_string()
        })?;
        if bytes[17] as char != expected {
            return Err("check character does not match / 校验码错误".into());
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

impl crate::domain::validation::FromField for CreditCode {
    fn from_field(value: &serde_json::Value) -> Result<Self, String> {
        let text = value.as_str().ok_or("must be a string / 必须是文本")?;
        Self::parse(text)
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        use crate::domain::input_schema::{described, patterned};
        use utoipa::openapi::schema::SchemaFormat;
        described(
            patterned(PATTERN, 18, Some(SchemaFormat::Custom(FORMAT.into()))),
            "18 characters (GB 32100-2015): registration authority, organisation type, 6-digit division code, \
             9-character organisation code, and a check character (mod 31) that must match. \
             统一社会信用代码，校验码须正确。",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Codes published by the companies themselves (business licences on their sites).
    const REAL: &[&str] = &[
        "914403001922038216", // 华为技术有限公司
        "9144030071526726XG", // 深圳市腾讯计算机系统有限公司
        "91330100799655058B", // 阿里巴巴(中国)有限公司
        "91110108551385082Q", // 北京小米科技有限责任公司
    ];

    #[test]
    fn real_codes_pass() {
        for code in REAL {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn a_changed_check_character_fails() {
        for code in REAL {
            let (body, check) = code.split_at(17);
            for c in CHARSET.iter().map(|&b| b as char) {
                if c.to_string() != check {
                    let forged = format!("{body}{c}");
                    assert!(CreditCode::parse(&forged).is_err(), "{forged}");
                }
            }
        }
    }

    #[test]
    fn lower_case_is_accepted_and_normalised() {
        assert_eq!(CreditCode::parse("9144030071526726xg").unwrap().as_str(), "9144030071526726XG");
    }

    fn body() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = CHARSET.iter().map(|&b| b as char).collect();
        let authority: Vec<char> = AUTHORITIES.iter().map(|&b| b as char).collect();
        (
            proptest::sample::select(authority),
            proptest::sample::select(alphabet.clone()),
            proptest::collection::vec(0u32..10, 6),
            proptest::collection::vec(proptest::sample::select(alphabet), 9),
        )
            .prop_map(|(a, t, digits, rest)| {
                let mut s = String::new();
                s.push(a);
                s.push(t);
                s.extend(digits.iter().map(|d| char::from_digit(*d, 10).unwrap()));
                s.extend(rest);
                s
            })
    }

    proptest! {
        #[test]
        fn completed_codes_validate_and_any_single_change_is_caught(body in body(), pos in 0usize..18, alt in 0usize..31) {
            let code = format!("{body}{}", check_character(&body).unwrap());
            prop_assert!(CreditCode::parse(&code).is_ok());
            // The weights are units modulo 31, so every single-character substitution changes the sum.
            let mut bytes = code.clone().into_bytes();
            let replacement = CHARSET[alt];
            prop_assume!(bytes[pos] != replacement);
            bytes[pos] = replacement;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
        }
    }
}
