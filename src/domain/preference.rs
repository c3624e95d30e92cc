//! Ranked preferences that matching rounds start from: a graduate's choices (志愿) and a
//! posting's shortlist.

use super::validation::request_schema;
use super::{Input, Parse};

/// Most choices a graduate may rank.
pub const MAX_CHOICES: usize = 30;
/// Most graduates a posting's shortlist may rank.
pub const MAX_SHORTLIST: usize = 500;

/// `PUT /graduates/{id}/choices`: open postings, first choice first, each once.
#[derive(Debug, Clone)]
pub struct RankedPostings {
    pub posting_ids: Vec<i64>,
}

impl Parse for RankedPostings {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { posting_ids: input.required_id_list("posting_ids", MAX_CHOICES)? })
    }
}

/// `PUT /postings/{id}/shortlist`: graduates who consented to be shown, first first, each once.
#[derive(Debug, Clone)]
pub struct RankedGraduates {
    pub graduate_ids: Vec<i64>,
}

impl Parse for RankedGraduates {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { graduate_ids: input.required_id_list("graduate_ids", MAX_SHORTLIST)? })
    }
}

request_schema!(RankedPostings, RankedGraduates);
