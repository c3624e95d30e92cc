//! From the user's words to a tantivy query. The text is words, never query syntax:
//! quotes, colons, brackets and operators are just characters.

use super::schema::Fields;
use super::tokenize::{bigrams, words};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

/// Added to a document's score for each query word it contains as a whole jieba word, so
/// whole-word matches always rank above matches found only through bigrams.
pub(super) const WHOLE_WORD_TIER: f32 = 1000.0;
/// Added for each query word found in the title.
pub(super) const TITLE_TIER: f32 = 100.0;

/// One whitespace-separated word of the query, as both fields see it.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    jieba: Vec<String>,
    bigrams: Vec<(usize, String)>,
}

/// Split the user's text into words; operators and pure punctuation are dropped.
pub fn parse(text: &str) -> Vec<Word> {
    text.split_whitespace()
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT" | "&&" | "||"))
        .filter_map(|w| {
            let bigrams: Vec<(usize, String)> = bigrams(w).into_iter().map(|t| (t.position, t.text)).collect();
            let jieba = words(w);
            (!bigrams.is_empty() || !jieba.is_empty()).then(|| Word { text: w.to_string(), jieba, bigrams })
        })
        .collect()
}

/// The strings to mark in snippets: each word's searchable pieces and its jieba words.
pub fn highlight_terms(words: &[Word]) -> Vec<String> {
    let mut terms = Vec::new();
    for w in words {
        for piece in w.text.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
            terms.push(piece.to_string());
        }
        terms.extend(w.jieba.iter().filter(|j| j.chars().count() >= 2 || j.is_ascii()).cloned());
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms.dedup();
    terms
}

/// The terms a word is matched by, in the roles [`word_query`] gives them: what the
/// evaluator (`super::evaluate`) reads instead of running the query.
#[derive(Debug, Clone)]
pub struct WordTerms {
    /// All of them in `all_bigrams` match the word; their BM25 ranks inside a tier.
    pub bigrams: Vec<Term>,
    /// All of one group in one field: the word stands whole there ([`WHOLE_WORD_TIER`]).
    pub whole: Vec<Vec<Term>>,
    /// All of one group: the word is in the title ([`TITLE_TIER`]).
    pub title: Vec<Vec<Term>>,
}

pub fn word_terms(f: &Fields, word: &Word) -> WordTerms {
    let jieba = |field| word.jieba.iter().map(|j| Term::from_field_text(field, j)).collect::<Vec<_>>();
    let bigrams = |field| word.bigrams.iter().map(|(_, t)| Term::from_field_text(field, t)).collect::<Vec<_>>();
    let mut whole = Vec::new();
    let mut title = Vec::new();
    if !word.jieba.is_empty() {
        whole.extend([jieba(f.title), jieba(f.tags), jieba(f.body)]);
        title.push(jieba(f.title));
    }
    if !word.bigrams.is_empty() {
        title.push(bigrams(f.title_bigrams));
    }
    WordTerms { bigrams: bigrams(f.all_bigrams), whole, title }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

/// All of the word's jieba tokens in one field.
fn all_words_in(field: Field, word: &Word) -> Option<Box<dyn Query>> {
    if word.jieba.is_empty() {
        return None;
    }
    let clauses = word.jieba.iter().map(|j| (Occur::Must, term_query(field, j))).collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// All of the word's bigrams in one field. Bigrams are matched as a set, not a phrase:
/// that still finds every run of Han characters standing verbatim in the text (recall is
/// what the bigrams are for), reads no positions, and the few extra documents it admits
/// (all bigrams present but apart) need a 3+-character word split twice in one text.
fn bigrams_in(field: Field, word: &Word) -> Option<Box<dyn Query>> {
    match word.bigrams.as_slice() {
        [] => None,
        [(_, only)] => Some(term_query(field, only)),
        many => {
            Some(Box::new(BooleanQuery::new(many.iter().map(|(_, t)| (Occur::Must, term_query(field, t))).collect())))
        }
    }
}

/// At least one of these.
pub fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// A document matches a word when it holds all of the word's jieba words in one field, or
/// all of its bigrams. Scores: a tier for whole-word matches, a tier for title matches,
/// then BM25 over the bigrams.
fn word_query(f: &Fields, word: &Word) -> Box<dyn Query> {
    let mut whole = Vec::new();
    for (field, boost) in [(f.title, 3.0), (f.tags, 1.5), (f.body, 1.0)] {
        if let Some(q) = all_words_in(field, word) {
            whole.push(boosted(q, boost));
        }
    }
    let mut title = Vec::new();
    title.extend(all_words_in(f.title, word));
    title.extend(bigrams_in(f.title_bigrams, word));

    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    if !whole.is_empty() {
        clauses.push(Box::new(ConstScoreQuery::new(any(whole), WHOLE_WORD_TIER)));
    }
    if !title.is_empty() {
        clauses.push(Box::new(ConstScoreQuery::new(any(title), TITLE_TIER)));
    }
    if let Some(q) = bigrams_in(f.all_bigrams, word) {
        clauses.push(q);
    }
    any(clauses)
}

/// Every word must match; no words matches everything.
pub fn text_query(f: &Fields, words: &[Word]) -> Box<dyn Query> {
    if words.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(words.iter().map(|w| (Occur::Must, word_query(f, w))).collect()))
}

pub fn is_u64(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_u64(field, value), IndexRecordOption::Basic))
}

pub fn between_u64(field: Field, low: Option<u64>, high: Option<u64>) -> Box<dyn Query> {
    let bound = |v: Option<u64>| v.map_or(Bound::Unbounded, |v| Bound::Included(Term::from_field_u64(field, v)));
    Box::new(RangeQuery::new(bound(low), bound(high)))
}

/// The text query restricted by every filter (scores come from the text alone).
pub fn filtered(text: Box<dyn Query>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses = vec![(Occur::Must, text)];
    clauses
        .extend(filters.into_iter().map(|q| (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)));
    Box::new(BooleanQuery::new(clauses))
}

/// Any word may match (for suggestions, where the "query" is a whole profile).
pub fn any_word(f: &Fields, words: &[Word]) -> Box<dyn Query> {
    if words.is_empty() {
        return Box::new(AllQuery);
    }
    any(words.iter().map(|w| word_query(f, w)).collect())
}
