//! The index schema: one index holds postings and graduates (`kind` tells them apart).

use super::tokenize::{BIGRAM, ZH};
use crate::domain::graduate::GraduateFields;
use crate::domain::posting::PostingFields;
use crate::store::columns::Columns;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bump when documents are built differently from the same fields (which text goes into
/// which field, the tokenizers, how they are stored). A change of the tantivy schema is seen by comparing
/// schemas, a change of the fields by [`SCHEMA_VERSION`]; neither needs a bump.
const DOCUMENT_REVISION: u64 = 7;

/// The version of the documents in an index: an index with another version is rebuilt
/// from the database at start. Documents store every field of their record, so the
/// version follows the postings' and graduates' column lists.
pub const SCHEMA_VERSION: u64 = fingerprint(DOCUMENT_REVISION, &[PostingFields::FIELDS, GraduateFields::FIELDS]);

/// FNV-1a over `revision` and the names in `lists`, each name and list closed by a byte
/// that UTF-8 never contains: stable across builds and Rust versions.
pub(super) const fn fingerprint(revision: u64, lists: &[&[&str]]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ revision;
    let mut list = 0;
    while list < lists.len() {
        let mut name = 0;
        while name < lists[list].len() {
            let bytes = lists[list][name].as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                hash = (hash ^ bytes[i] as u64).wrapping_mul(PRIME);
                i += 1;
            }
            hash = (hash ^ 0xff).wrapping_mul(PRIME);
            name += 1;
        }
        hash = (hash ^ 0xfe).wrapping_mul(PRIME);
        list += 1;
    }
    hash
}

pub const KIND_POSTING: u64 = 0;
pub const KIND_GRADUATE: u64 = 1;

/// Every field, by role.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `posting:12` / `graduate:7`: the term a document is replaced by.
    pub key: Field,
    pub kind: Field,
    /// The record's id: newest first means highest id first, a total order.
    pub id: Field,
    pub org: Field,
    pub project: Field,
    pub category: Field,
    /// Education rank (postings: the minimum; graduates: their level), for range filters.
    pub edu_rank: Field,
    /// Education level as an index into `Education::ALL`, for facets.
    pub edu_code: Field,
    pub location: Field,
    pub park: Field,
    pub benefit: Field,
    /// Highest monthly salary offered (postings) or expected (graduates).
    pub salary: Field,
    pub status: Field,
    pub consent: Field,
    /// Graduates: year of graduation and exact major, for filters.
    pub year: Field,
    pub major: Field,
    pub starts_on: Field,
    pub closes_on: Field,
    // Searchable text: jieba words, and Han bigrams for words jieba keeps inside longer ones.
    pub title: Field,
    pub tags: Field,
    pub body: Field,
    pub title_bigrams: Field,
    pub all_bigrams: Field,
    /// The JSON shown in results.
    pub stored: Field,
}

/// Text indexed with term frequencies and field lengths, for BM25 (`all_bigrams`), but no
/// positions: no query needs them.
fn scored_text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// Text indexed for presence only: the whole-word and title tiers ask whether a document
/// holds a term, never how often, so frequencies and field lengths would be written (and
/// merged) for nothing.
fn present_text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_u64_field("kind", INDEXED | FAST),
        id: b.add_u64_field("id", FAST),
        org: b.add_u64_field("org", INDEXED | FAST),
        project: b.add_u64_field("project", INDEXED),
        category: b.add_u64_field("category", INDEXED | FAST),
        edu_rank: b.add_u64_field("edu_rank", INDEXED | FAST),
        edu_code: b.add_u64_field("edu_code", FAST),
        location: b.add_text_field("location", STRING | FAST),
        park: b.add_text_field("park", STRING | FAST),
        benefit: b.add_u64_field("benefit", INDEXED | FAST),
        salary: b.add_u64_field("salary", INDEXED | FAST),
        status: b.add_u64_field("status", INDEXED | FAST),
        consent: b.add_u64_field("consent", INDEXED),
        year: b.add_u64_field("year", INDEXED),
        major: b.add_text_field("major", STRING),
        starts_on: b.add_i64_field("starts_on", FAST),
        closes_on: b.add_i64_field("closes_on", FAST),
        title: b.add_text_field("title", present_text(ZH)),
        tags: b.add_text_field("tags", present_text(ZH)),
        body: b.add_text_field("body", present_text(ZH)),
        title_bigrams: b.add_text_field("title_bigrams", present_text(BIGRAM)),
        all_bigrams: b.add_text_field("all_bigrams", scored_text(BIGRAM)),
        stored: b.add_text_field("stored", STORED),
    };
    (b.build(), fields)
}

/// Position of a value in its vocabulary, as stored in u64 fields.
pub fn code<T: PartialEq>(all: &[T], value: &T) -> u64 {
    all.iter().position(|v| v == value).unwrap_or(0) as u64
}
