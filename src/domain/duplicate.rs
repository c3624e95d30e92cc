//! Possible duplicates across schools: the same person on two rosters, found by the same ID
//! number or the same name and phone. Coordinators merge a pair (one record kept, the other
//! erased) or dismiss it (two people after all).

use super::labels::labeled_enum;
use super::validation::request_schema;
use super::{Input, Parse};

labeled_enum! {
    /// Why two graduates were paired.
    DuplicateReason {
        IdNumber = ("id_number", "身份证号相同", "Same ID number"),
        NamePhone = ("name_phone", "姓名和手机号相同", "Same name and phone"),
    }
}

labeled_enum! {
    /// Where a pair stands.
    DuplicateStatus {
        Open = ("open", "待处理", "Open"),
        Merged = ("merged", "已合并", "Merged"),
        Dismissed = ("dismissed", "不是同一人", "Not the same person"),
    }
}

/// `POST /duplicates/{id}/merge`: which of the pair's two graduates to keep; the other's
/// choices, shortlist places and consent records move to it, its empty fields are filled
/// from the other, and the other is erased.
#[derive(Debug, Clone, Copy)]
pub struct MergeDuplicate {
    pub keep: i64,
}

impl Parse for MergeDuplicate {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { keep: input.int_in("keep", 1, i64::MAX, true)? })
    }
}

request_schema!(MergeDuplicate);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_are_the_stored_names() {
        for reason in DuplicateReason::ALL {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
        }
        for status in DuplicateStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn keep_is_required_and_an_id() {
        assert_eq!(MergeDuplicate::from_json(serde_json::json!({"keep": 7})).unwrap().keep, 7);
        assert!(MergeDuplicate::from_json(serde_json::json!({})).unwrap_err().has("keep"));
        assert!(MergeDuplicate::from_json(serde_json::json!({"keep": 0})).unwrap_err().has("keep"));
        assert!(MergeDuplicate::from_json(serde_json::json!({"keep": "x"})).unwrap_err().has("keep"));
    }
}
