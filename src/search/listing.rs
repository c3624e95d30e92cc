//! Listing search (schools and the public look for openings) and graduate search
//! (companies look for people), with facets and highlighted snippets.

use super::SearchIndex;
use super::cache::get_or_build;
use super::document::{GraduateHit, GraduateText, PostingHit, PostingText};
use super::evaluate::{self, Filter, Hits, Order, Plan};
use super::facets::FacetCollector;
use super::query::{self, Word};
use super::schema::{KIND_GRADUATE, KIND_POSTING, code};
use super::snippet::snippet;
use crate::domain::graduate::Graduate;
use crate::domain::{Benefit, Category, Education, GraduateStatus, PostingStatus};
use crate::store::PageRequest;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::schema::Field;
use tantivy::schema::Value as _;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

/// Characters of context in a snippet.
const SNIPPET_WIDTH: usize = 120;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (newest first when there is no text).
    #[default]
    Relevance,
    Newest,
    /// Highest salary first.
    Salary,
}

impl crate::domain::validation::FromField for Sort {
    fn from_field(value: &Value) -> Result<Self, String> {
        match value.as_str() {
            Some("relevance") => Ok(Sort::Relevance),
            Some("newest") => Ok(Sort::Newest),
            Some("salary") => Ok(Sort::Salary),
            _ => Err("must be one of: relevance, newest, salary / 排序方式无效".into()),
        }
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        crate::domain::input_schema::one_of(["relevance", "newest", "salary"])
    }
}

/// A page of hits, with facet counts over all of them when asked for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    /// The records, each with `snippet` (HTML: matches in `<mark>`, the rest escaped) and
    /// the names of its organisation (and project and park, for postings).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Hit>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// `{field: {value: count}}` over the whole result set; counted only when `facets=true`
    /// asks for them on the first page, empty (`{}`) otherwise.
    #[schema(value_type = Object)]
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

impl SearchPage {
    /// About how many bytes the page holds in memory (for the page cache's budget).
    pub fn footprint(&self) -> usize {
        let facets: usize = self.facets.values().flat_map(|counts| counts.keys()).map(|value| value.len() + 48).sum();
        std::mem::size_of::<Self>() + facets + self.items.iter().map(Hit::footprint).sum::<usize>()
    }
}

/// One hit as answers show it: the stored record with what the search adds in front of
/// its fields (`organization_name`, `snippet`, `score` …). It is kept as the JSON text it
/// is sent as: the record goes from the index to the answer without a JSON tree (building
/// and writing trees was a tenth of a search's time).
#[derive(Debug, Clone)]
pub struct Hit {
    id: i64,
    json: Box<RawValue>,
}

impl Hit {
    /// `record` (a JSON object's text) with `extras`' fields in front of its own.
    fn joined(id: i64, record: &str, extras: &impl Serialize) -> anyhow::Result<Self> {
        let extras = serde_json::to_string(extras)?;
        let (Some(own), Some(added)) = (record.trim().strip_prefix('{'), extras.strip_suffix('}')) else {
            anyhow::bail!("a stored record or its extras are not JSON objects");
        };
        let separator = if own.trim_start().starts_with('}') { "" } else { "," };
        Ok(Hit { id, json: RawValue::from_string(format!("{added}{separator}{own}"))? })
    }

    /// The record's id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The hit's JSON text (a deserializer for pages that read it into their own types).
    pub fn json(&self) -> &RawValue {
        &self.json
    }

    /// The hit's fields as a JSON tree, for pages that read them.
    pub fn record(&self) -> Value {
        serde_json::from_str(self.json.get()).unwrap_or(Value::Null)
    }

    fn footprint(&self) -> usize {
        std::mem::size_of::<Self>() + self.json.get().len()
    }
}

impl Serialize for Hit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

/// What a posting hit adds to the posting.
#[derive(Serialize)]
struct PostingExtras<'a> {
    organization_name: &'a str,
    project_name: Option<&'a str>,
    park: Option<&'a str>,
    snippet: String,
    score: Score,
}

/// What a graduate hit adds to the graduate.
#[derive(Serialize)]
struct GraduateExtras<'a> {
    organization_name: &'a str,
    consent_purpose: Option<&'a str>,
    snippet: String,
    score: Score,
}

/// Whose postings that are not open a reader may see (open ones are public). The services
/// decide it from who asks; search only applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostingReach {
    /// Every company's (coordinators).
    Everyone,
    /// One company's own.
    Company(i64),
    /// None (anonymous readers, schools).
    OpenOnly,
}

impl PostingReach {
    pub fn admits(self, organization_id: i64, status: PostingStatus) -> bool {
        status == PostingStatus::Open
            || match self {
                PostingReach::Everyone => true,
                PostingReach::Company(own) => own == organization_id,
                PostingReach::OpenOnly => false,
            }
    }
}

/// Which graduates a reader may find, and whose contact details it may see. The services
/// decide it from who asks; search only applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraduateReach {
    /// Everyone, with contact details (coordinators).
    Everyone,
    /// One school's own, with contact details.
    School(i64),
    /// Graduates who consented, without contact details (companies).
    Consenting,
}

impl GraduateReach {
    pub fn admits(self, organization_id: i64, consent: bool) -> bool {
        match self {
            GraduateReach::Everyone => true,
            GraduateReach::School(own) => own == organization_id,
            GraduateReach::Consenting => consent,
        }
    }

    pub fn shows_contact(self, organization_id: i64) -> bool {
        match self {
            GraduateReach::Everyone => true,
            GraduateReach::School(own) => own == organization_id,
            GraduateReach::Consenting => false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PostingFilters {
    pub q: String,
    pub category: Option<Category>,
    /// Postings whose minimum is at most this level.
    pub education: Option<Education>,
    pub location: Option<String>,
    pub salary_min: Option<i64>,
    pub benefits: Vec<Benefit>,
    pub organization_id: Option<i64>,
    pub project_id: Option<i64>,
    /// Default: open.
    pub status: Option<PostingStatus>,
    pub sort: Sort,
    pub page: PageRequest,
    /// Count facets over all matches (on the first page only).
    pub facets: bool,
}

#[derive(Debug, Clone, Default)]
pub struct GraduateFilters {
    pub q: String,
    /// Graduates at or above this level.
    pub education: Option<Education>,
    /// Graduates who would work here.
    pub location: Option<String>,
    pub organization_id: Option<i64>,
    pub status: Option<GraduateStatus>,
    pub graduation_year: Option<i64>,
    /// Exactly this major.
    pub major: Option<String>,
    pub sort: Sort,
    pub page: PageRequest,
    /// Count facets over all matches (on the first page only).
    pub facets: bool,
}

/// The page, the total and the facets of `plan` (see [`evaluate`]), sorted as asked
/// (relevance without words: newest first).
fn run(
    index: &SearchIndex,
    searcher: &Searcher,
    plan: &Plan,
    sort: Sort,
    page: PageRequest,
    facets: Option<FacetCollector>,
) -> tantivy::Result<Hits> {
    let order = match sort {
        Sort::Relevance if !plan.words.is_empty() => Order::Relevance,
        Sort::Salary => Order::Desc("salary"),
        _ => Order::Desc("id"),
    };
    let mut hits =
        evaluate::search(searcher, plan, order, page.offset() as usize, page.per_page as usize, facets, &index.sets)?;
    if order == Order::Desc("id") {
        // Newest first shows no score.
        hits.docs.iter_mut().for_each(|(score, _)| *score = 0.0);
    }
    Ok(hits)
}

fn term_u64(field: Field, value: u64) -> Filter {
    Filter::AnyOf(vec![Term::from_field_u64(field, value)])
}

fn term_text(field: Field, value: &str) -> Filter {
    Filter::AnyOf(vec![Term::from_field_text(field, value)])
}

fn plan(index: &SearchIndex, q: &str, filters: Vec<Filter>) -> (Plan, Vec<Word>) {
    let words = query::parse(q);
    let terms = words.iter().map(|w| query::word_terms(&index.fields, w)).collect();
    (Plan { words: terms, filters, bigram_field: index.fields.all_bigrams }, words)
}

/// Facets are counted only for the first page of a search that asks for them: a client
/// paging through results already has them, and counting is most of a broad search's cost.
fn facets_for(asked: bool, page: PageRequest, collector: impl FnOnce() -> FacetCollector) -> Option<FacetCollector> {
    (asked && page.page == 1).then(collector)
}

/// The JSON a document stores for display.
pub(super) fn stored_json<T: serde::de::DeserializeOwned>(
    searcher: &Searcher,
    index: &SearchIndex,
    address: DocAddress,
) -> anyhow::Result<T> {
    Ok(serde_json::from_str(&stored_text(searcher, index, address)?)?)
}

/// The JSON text a document stores for display.
fn stored_text(searcher: &Searcher, index: &SearchIndex, address: DocAddress) -> anyhow::Result<String> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(doc.get_first(index.fields.stored).and_then(|v| v.as_str()).unwrap_or("{}").to_string())
}

/// Name facet values: codes become their vocabulary's JSON names.
fn named<T: Copy>(
    counts: Option<&BTreeMap<String, u64>>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> BTreeMap<String, u64> {
    counts
        .map(|c| {
            c.iter()
                .filter_map(|(code, n)| {
                    code.parse::<usize>().ok().and_then(|i| all.get(i)).map(|v| (name(*v).to_string(), *n))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Listing search, answered from the page cache when the same search ran on the same
/// index generation (popular searches — 普工, 电工 — come from many schools at once).
pub fn search_postings(
    index: &SearchIndex,
    reach: PostingReach,
    p: &PostingFilters,
) -> anyhow::Result<Arc<SearchPage>> {
    let searcher = index.searcher();
    let generation = searcher.generation().generation_id();
    // Only non-open statuses depend on who asks.
    let scope = if p.status.is_none_or(|s| s == PostingStatus::Open) { None } else { Some(reach) };
    let key = format!("{scope:?}|{p:?}");
    get_or_build(&index.pages, generation, key, || search_postings_on(index, &searcher, reach, p).map(Arc::new))
}

fn search_postings_on(
    index: &SearchIndex,
    searcher: &Searcher,
    reach: PostingReach,
    p: &PostingFilters,
) -> anyhow::Result<SearchPage> {
    let f = &index.fields;
    let mut filters = vec![term_u64(f.kind, KIND_POSTING)];
    let status = p.status.unwrap_or(PostingStatus::Open);
    filters.push(term_u64(f.status, code(PostingStatus::ALL, &status)));
    if status != PostingStatus::Open {
        match reach {
            PostingReach::Everyone => {}
            PostingReach::Company(own) => filters.push(term_u64(f.org, own as u64)),
            PostingReach::OpenOnly => filters.push(term_u64(f.org, u64::MAX)),
        }
    }
    if let Some(c) = p.category {
        filters.push(term_u64(f.category, code(Category::ALL, &c)));
    }
    if let Some(e) = p.education {
        filters.push(Filter::Range { field: "edu_rank", low: 0, high: e.rank() as u64 });
    }
    if let Some(l) = &p.location {
        filters.push(Filter::AnyOf(vec![Term::from_field_text(f.location, l), Term::from_field_text(f.park, l)]));
    }
    if let Some(s) = p.salary_min {
        filters.push(Filter::Range { field: "salary", low: s.max(0) as u64, high: u64::MAX });
    }
    for b in &p.benefits {
        filters.push(term_u64(f.benefit, code(Benefit::ALL, b)));
    }
    if let Some(o) = p.organization_id {
        filters.push(term_u64(f.org, o as u64));
    }
    if let Some(pr) = p.project_id {
        filters.push(term_u64(f.project, pr as u64));
    }
    let (plan, words) = plan(index, &p.q, filters);
    let facets = facets_for(p.facets, p.page, || FacetCollector {
        coded: vec!["category", "edu_code", "benefit"],
        texts: vec!["location"],
    });
    let hits = run(index, searcher, &plan, p.sort, p.page, facets)?;
    let terms = query::highlight_terms(&words);
    let mut items = Vec::with_capacity(hits.docs.len());
    for (score, address) in hits.docs {
        let stored = stored_text(searcher, index, address)?;
        let stored: PostingHit = serde_json::from_str(&stored)?;
        let posting: PostingText = serde_json::from_str(stored.posting.get())?;
        let extras = PostingExtras {
            organization_name: &stored.organization_name,
            project_name: stored.project_name.as_deref(),
            park: stored.park.as_deref(),
            snippet: snippet(&posting.snippet_text(), &terms, SNIPPET_WIDTH),
            score,
        };
        items.push(Hit::joined(posting.id, stored.posting.get(), &extras)?);
    }
    let mut facets = BTreeMap::new();
    if let Some(counts) = &hits.facets {
        facets.insert("category".to_string(), named(counts.get("category"), Category::ALL, Category::as_str));
        facets.insert("education_min".to_string(), named(counts.get("edu_code"), Education::ALL, Education::as_str));
        facets.insert("benefits".to_string(), named(counts.get("benefit"), Benefit::ALL, Benefit::as_str));
        facets.insert("location".to_string(), counts.get("location").cloned().unwrap_or_default());
    }
    Ok(SearchPage { items, total: hits.total as i64, page: p.page.page, per_page: p.page.per_page, facets })
}

pub fn search_graduates(index: &SearchIndex, reach: GraduateReach, p: &GraduateFilters) -> anyhow::Result<SearchPage> {
    let f = &index.fields;
    let mut filters = vec![term_u64(f.kind, KIND_GRADUATE)];
    match reach {
        GraduateReach::Everyone => {}
        GraduateReach::School(own) => filters.push(term_u64(f.org, own as u64)),
        GraduateReach::Consenting => filters.push(term_u64(f.consent, 1)),
    }
    if let Some(e) = p.education {
        filters.push(Filter::Range { field: "edu_rank", low: e.rank() as u64, high: u64::MAX });
    }
    if let Some(l) = &p.location {
        filters.push(term_text(f.location, l));
    }
    if let Some(o) = p.organization_id {
        filters.push(term_u64(f.org, o as u64));
    }
    if let Some(s) = p.status {
        filters.push(term_u64(f.status, code(GraduateStatus::ALL, &s)));
    }
    if let Some(y) = p.graduation_year {
        filters.push(term_u64(f.year, y.max(0) as u64));
    }
    if let Some(m) = &p.major {
        filters.push(term_text(f.major, m));
    }
    let (plan, words) = plan(index, &p.q, filters);
    let searcher = index.searcher();
    let facets =
        facets_for(p.facets, p.page, || FacetCollector { coded: vec!["edu_code", "status"], texts: vec!["location"] });
    let hits = run(index, &searcher, &plan, p.sort, p.page, facets)?;
    let terms = query::highlight_terms(&words);
    let mut items = Vec::with_capacity(hits.docs.len());
    for (score, address) in hits.docs {
        let stored = stored_text(&searcher, index, address)?;
        let stored: GraduateHit = serde_json::from_str(&stored)?;
        let graduate: GraduateText = serde_json::from_str(stored.graduate.get())?;
        let masked;
        let record = if reach.shows_contact(graduate.organization_id) {
            stored.graduate.get()
        } else {
            // Contact details stay with the school: the record goes through the one rule
            // that removes them.
            let whole: Graduate = serde_json::from_str(stored.graduate.get())?;
            masked = serde_json::to_string(&whole.without_contact())?;
            &masked
        };
        let extras = GraduateExtras {
            organization_name: &stored.organization_name,
            // Companies see what the graduate consented to, beside the graduate.
            consent_purpose: stored.consent_purpose.as_deref().filter(|_| graduate.consent),
            snippet: snippet(&graduate.snippet_text(), &terms, SNIPPET_WIDTH),
            score,
        };
        items.push(Hit::joined(graduate.id, record, &extras)?);
    }
    let mut facets = BTreeMap::new();
    if let Some(counts) = &hits.facets {
        facets.insert("education".to_string(), named(counts.get("edu_code"), Education::ALL, Education::as_str));
        facets.insert("status".to_string(), named(counts.get("status"), GraduateStatus::ALL, GraduateStatus::as_str));
        facets.insert("location".to_string(), counts.get("location").cloned().unwrap_or_default());
    }
    Ok(SearchPage { items, total: hits.total as i64, page: p.page.page, per_page: p.page.per_page, facets })
}
