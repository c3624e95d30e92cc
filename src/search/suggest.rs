//! Suggestions: candidates from the index, ranked by the matching module's score so that
//! suggestions and matching rounds agree.

use super::SearchIndex;
use super::document::{StoredGraduate, StoredPosting};
use super::listing::stored_json;
use super::query;
use super::schema::{KIND_GRADUATE, KIND_POSTING, code};
use crate::domain::graduate::Graduate;
use crate::domain::posting::Posting;
use crate::domain::{GraduateStatus, PostingStatus, Weights};
use crate::matching::score::{Breakdown, score};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, ConstScoreQuery, Query};
use tantivy::{DocAddress, Searcher};

/// How many candidates the index proposes before scoring picks the best.
const CANDIDATES: usize = 200;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The suggested graduate or posting.
    #[schema(value_type = Object)]
    pub item: Value,
    pub organization_name: String,
    pub score: Breakdown,
}

/// Text relevance in 0..=1: each candidate's score over the best candidate's.
fn normalise(hits: &[(f32, DocAddress)]) -> impl Fn(f32) -> f64 {
    let best = hits.iter().map(|(s, _)| *s).fold(0.0f32, f32::max);
    move |s| if best > 0.0 { f64::from(s / best).clamp(0.0, 1.0) } else { 0.0 }
}

/// Eligible documents, those sharing words with `text` first; the others still come as
/// candidates (with no text relevance), since major, location and pay may suit them.
fn candidates(
    index: &SearchIndex,
    searcher: &Searcher,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> anyhow::Result<Vec<(f32, DocAddress)>> {
    let words = query::any_word(&index.fields, &query::parse(text));
    let anything: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0));
    let q = query::filtered(query::any(vec![words, anything]), filters);
    Ok(searcher.search(q.as_ref(), &TopDocs::with_limit(CANDIDATES).order_by_score())?)
}

fn rank(mut out: Vec<Suggestion>, limit: usize) -> Vec<Suggestion> {
    out.sort_by(|a, b| b.score.total.total_cmp(&a.score.total));
    out.truncate(limit);
    out
}

/// Graduates for a posting: those seeking work who meet its education minimum. For a
/// company viewer, only consenting graduates, without contact details.
pub fn graduates_for(
    index: &SearchIndex,
    posting: &Posting,
    for_company: bool,
    limit: usize,
) -> anyhow::Result<Vec<Suggestion>> {
    let f = &index.fields;
    let pf = &posting.fields;
    let mut filters = vec![
        query::is_u64(f.kind, KIND_GRADUATE),
        query::is_u64(f.status, code(GraduateStatus::ALL, &GraduateStatus::Seeking)),
        query::between_u64(f.edu_rank, Some(pf.education_min.rank() as u64), None),
    ];
    if for_company {
        filters.push(query::is_u64(f.consent, 1));
    }
    let text = format!("{} {}", pf.title, pf.majors.join(" "));
    suggest(index, &text, filters, limit, |stored: StoredGraduate, relevance, weights| {
        let mut graduate: Graduate = serde_json::from_value(stored.graduate)?;
        if for_company {
            graduate = graduate.without_contact();
        }
        let score = score(posting, &graduate, relevance, weights);
        let purpose = stored.consent_purpose.filter(|_| graduate.fields.consent);
        let mut item = serde_json::to_value(&graduate)?;
        if let Value::Object(fields) = &mut item {
            // What the graduate consented to, shown beside them.
            fields.insert("consent_purpose".into(), Value::from(purpose));
        }
        Ok(Suggestion { item, organization_name: stored.organization_name, score })
    })
}

/// Open postings for a graduate, whose education minimum the graduate meets.
pub fn postings_for(index: &SearchIndex, graduate: &Graduate, limit: usize) -> anyhow::Result<Vec<Suggestion>> {
    let f = &index.fields;
    let gf = &graduate.fields;
    let filters = vec![
        query::is_u64(f.kind, KIND_POSTING),
        query::is_u64(f.status, code(PostingStatus::ALL, &PostingStatus::Open)),
        query::between_u64(f.edu_rank, None, Some(gf.education.rank() as u64)),
    ];
    let text = format!("{} {} {}", gf.major, gf.skills.join(" "), gf.certificates.join(" "));
    suggest(index, &text, filters, limit, |stored: StoredPosting, relevance, weights| {
        let posting = Posting::deserialize(&stored.posting)?;
        let score = score(&posting, graduate, relevance, weights);
        Ok(Suggestion { item: stored.posting, organization_name: stored.organization_name, score })
    })
}

/// Candidates for `text` under `filters`, each scored by `scored`, best `limit` first.
fn suggest<T: serde::de::DeserializeOwned>(
    index: &SearchIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    limit: usize,
    mut scored: impl FnMut(T, f64, &Weights) -> anyhow::Result<Suggestion>,
) -> anyhow::Result<Vec<Suggestion>> {
    let searcher = index.searcher();
    let hits = candidates(index, &searcher, text, filters)?;
    let relevance = normalise(&hits);
    let weights = Weights::default();
    let mut out = Vec::with_capacity(hits.len());
    for (s, at) in &hits {
        out.push(scored(stored_json(&searcher, index, *at)?, relevance(*s), &weights)?);
    }
    Ok(rank(out, limit))
}
