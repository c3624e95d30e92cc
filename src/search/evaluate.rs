//! Listing and graduate search, evaluated segment by segment on bitsets.
//!
//! A search is a [`Plan`]: words (each matched by its bigrams, or whole in a field, or in
//! the title, as [`super::query::word_query`] says) and filters. On each segment the
//! matches are one bitset: filters' sets come from the [`FilterCache`] (a status, a kind, a
//! year is asked again and again), each word's sets from its postings or, for a word
//! searched again, from the [`WordSetCache`], ranges from fast fields. The total is a popcount, facets count the set, and only the page is ranked:
//!
//! - Relevance scores `tiers + BM25` exactly as the tantivy query of `query::text_query`
//!   does (a property test holds them to it). A cached word searched alone takes its page
//!   from its documents ranked once, best first ([`WordSets::ranked`]). Otherwise, when the bigrams' BM25 cannot reach the
//!   smallest tier step, documents rank tier by tier, so the page is taken from the best
//!   tiers first; a tier larger than what the page still needs is walked along the
//!   rarest bigram's postings, skipping blocks whose best score cannot enter the page
//!   (block-max WAND), and only documents that can enter are scored on every bigram.
//! - Newest and salary read a fast field over the matches.

use super::bits::DocBits;
use super::cache::{FilterCache, get_or_build, terms_key};
use super::facets::{FacetCollector, FacetCounts};
use super::query::{TITLE_TIER, WHOLE_WORD_TIER, WordTerms};
use super::word_sets::{CachedWord, WordSetCache, WordSets};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

/// The bigrams' BM25 must stay this far under [`TITLE_TIER`] (the smallest step between
/// tiers) for tiers to rank apart whatever rounding does.
const TIER_GAP: Score = 1.0;
/// Tiers are worked out per combination of the words' whole/title matches: 4 per word.
const MOST_TIERED_WORDS: usize = 3;
/// Documents whose fast-field values are read at once.
const BATCH: usize = 512;

pub enum Filter {
    /// The document holds one of these terms.
    AnyOf(Vec<Term>),
    /// The first value of a u64 fast field lies in `low..=high`.
    Range { field: &'static str, low: u64, high: u64 },
}

pub struct Plan {
    pub words: Vec<WordTerms>,
    pub filters: Vec<Filter>,
    /// The field the words' bigrams are scored in.
    pub bigram_field: Field,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Best match first (the plan has words).
    Relevance,
    /// Highest value of this u64 fast field first; documents without one last.
    Desc(&'static str),
}

pub struct Hits {
    /// The page: scores for relevance, the field's value for [`Order::Desc`].
    pub docs: Vec<(Score, DocAddress)>,
    pub total: usize,
    pub facets: Option<FacetCounts>,
}

/// One ranked document: greater is better (higher key, then lower address).
#[derive(Clone, Copy, Debug)]
struct Ranked {
    key: Score,
    /// Ranks below every present value ([`Order::Desc`] without a value).
    missing: bool,
    address: DocAddress,
}

impl Ranked {
    fn cmp_rank(&self, other: &Self) -> Ordering {
        other.missing.cmp(&self.missing).then(self.key.total_cmp(&other.key)).then(other.address.cmp(&self.address))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_rank(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_rank(other)
    }
}

/// The best `size` offered so far.
struct Best {
    heap: BinaryHeap<Reverse<Ranked>>,
    size: usize,
}

impl Best {
    fn new(size: usize) -> Self {
        Best { heap: BinaryHeap::with_capacity(size + 1), size }
    }

    /// The key a newcomer must beat, once full.
    fn floor(&self) -> Option<Score> {
        (self.heap.len() >= self.size).then(|| self.heap.peek().map_or(Score::MAX, |r| r.0.key))
    }

    fn offer(&mut self, ranked: Ranked) {
        if self.size == 0 {
            return;
        }
        if self.heap.len() < self.size {
            self.heap.push(Reverse(ranked));
        } else if self.heap.peek().is_some_and(|worst| ranked > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(ranked));
        }
    }

    fn into_sorted(self) -> Vec<Ranked> {
        let mut all: Vec<Ranked> = self.heap.into_iter().map(|r| r.0).collect();
        all.sort_by(|a, b| b.cmp(a));
        all
    }
}

/// The page `offset..offset + limit` of `plan`'s matches in `order`, their number, and
/// facets when `facets` is given.
pub fn search(
    searcher: &Searcher,
    plan: &Plan,
    order: Order,
    offset: usize,
    limit: usize,
    facets: Option<FacetCollector>,
    caches: &SetCaches,
) -> tantivy::Result<Hits> {
    let generation = searcher.generation().generation_id();
    let order = if plan.words.is_empty() && order == Order::Relevance { Order::Desc("id") } else { order };
    // BM25 weights read every segment's statistics: only relevance needs them.
    let weights = match order {
        Order::Relevance => plan
            .words
            .iter()
            .map(|w| w.bigrams.iter().map(|t| Bm25Weight::for_terms(searcher, std::slice::from_ref(t))).collect())
            .collect::<tantivy::Result<Vec<Vec<Bm25Weight>>>>()?,
        Order::Desc(_) => Vec::new(),
    };
    let wanted = offset + limit;
    let mut total = 0usize;
    let mut page: Vec<Ranked> = Vec::new();
    let mut fruits = Vec::new();
    let words: Vec<CachedWord> = plan.words.iter().map(|w| CachedWord::new(w, generation, &caches.words)).collect();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let at = Place { segment, ord, generation };
        let Some(matches) = segment_matches(&at, plan, &words, caches)? else { continue };
        total += matches.set.count() as usize;
        if let Some(collector) = &facets {
            fruits.push(count_facets(collector, ord as u32, segment, &matches.set)?);
        }
        if wanted == 0 {
            continue;
        }
        let ord = ord as u32;
        let best = match order {
            Order::Relevance => {
                let norms = segment.get_fieldnorms_reader(plan.bigram_field)?;
                let scoring = Scoring { segment, weights: &weights, norms, plan, ord, words: &matches.words };
                scoring.best(&matches.set, wanted)?
            }
            Order::Desc(field) => by_field(segment, ord, &matches.set, field, wanted)?,
        };
        page.extend(best);
    }
    page.sort_by(|a, b| b.cmp(a));
    let docs = page.into_iter().skip(offset).take(limit).map(|r| (if r.missing { 0.0 } else { r.key }, r.address));
    let facets = match facets {
        Some(collector) => Some(collector.merge_fruits(fruits)?),
        None => None,
    };
    Ok(Hits { docs: docs.collect(), total, facets })
}

struct Matches {
    set: DocBits,
    words: Vec<Arc<WordSets>>,
}

/// What the searches of one searcher generation share: filters' sets (a status, a kind, a
/// year is asked again and again) and the sets of words searched again.
pub struct SetCaches {
    pub filters: Mutex<FilterCache>,
    pub words: WordSetCache,
}

/// A segment of one generation's searcher.
struct Place<'a> {
    segment: &'a SegmentReader,
    /// Its place in the searcher: it names the segment within the generation.
    ord: usize,
    generation: u64,
}

/// The segment's matches, or `None` when it has none.
fn segment_matches(
    at: &Place,
    plan: &Plan,
    words: &[CachedWord],
    caches: &SetCaches,
) -> tantivy::Result<Option<Matches>> {
    let (segment, ord, generation) = (at.segment, at.ord, at.generation);
    let cache = &caches.filters;
    let mut set = (*get_or_build(cache, generation, format!("{ord}|alive"), || {
        tantivy::Result::Ok(Arc::new(DocBits::alive(segment)))
    })?)
    .clone();
    for filter in &plan.filters {
        if let Filter::AnyOf(terms) = filter {
            let bits = get_or_build(cache, generation, format!("{ord}|{}", terms_key(terms)), || {
                let mut any = DocBits::empty(segment.max_doc());
                for term in terms {
                    any.or(&DocBits::of_term(segment, term)?);
                }
                tantivy::Result::Ok(Arc::new(any))
            })?;
            set.and(&bits);
        }
        if set.is_empty() {
            return Ok(None);
        }
    }
    let mut sets = Vec::with_capacity(words.len());
    for word in words {
        let word_sets = word.sets(segment, ord, generation, &caches.words)?;
        set.and(&word_sets.any);
        if set.is_empty() {
            return Ok(None);
        }
        sets.push(word_sets);
    }
    for filter in &plan.filters {
        if let Filter::Range { field, low, high } = filter {
            keep_in_range(segment, &mut set, field, *low..=*high)?;
        }
    }
    Ok((!set.is_empty()).then_some(Matches { set, words: sets }))
}

/// The documents of `set` in increasing order, a batch at a time.
fn batches(set: &DocBits, each: impl FnMut(&[DocId]) -> tantivy::Result<()>) -> tantivy::Result<()> {
    batches_of(set.docs(), each)
}

fn batches_of(
    docs: impl Iterator<Item = DocId>,
    mut each: impl FnMut(&[DocId]) -> tantivy::Result<()>,
) -> tantivy::Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for doc in docs {
        batch.push(doc);
        if batch.len() == BATCH {
            each(&batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        each(&batch)?;
    }
    Ok(())
}

fn keep_in_range(
    segment: &SegmentReader,
    set: &mut DocBits,
    field: &str,
    range: std::ops::RangeInclusive<u64>,
) -> tantivy::Result<()> {
    let column = segment.fast_fields().u64(field)?;
    let mut values = vec![None; BATCH];
    let mut out = Vec::new();
    batches(set, |docs| {
        // `first_vals` leaves a document without a value untouched in some column kinds.
        values[..docs.len()].fill(None);
        column.first_vals(docs, &mut values[..docs.len()]);
        out.extend(docs.iter().zip(&values).filter(|(_, v)| !v.is_some_and(|v| range.contains(&v))).map(|(d, _)| *d));
        Ok(())
    })?;
    out.into_iter().for_each(|doc| set.remove(doc));
    Ok(())
}

fn count_facets(
    collector: &FacetCollector,
    ord: u32,
    segment: &SegmentReader,
    set: &DocBits,
) -> tantivy::Result<FacetCounts> {
    let mut counting = collector.for_segment(ord, segment)?;
    batches(set, |docs| {
        counting.collect_block(docs);
        Ok(())
    })?;
    Ok(counting.harvest())
}

/// The best `wanted` of `set` by a fast field's value, highest first. Documents are read
/// last first: the newest (highest id) were added last, so the page fills with them at
/// once and the rest rarely displace anything.
fn by_field(
    segment: &SegmentReader,
    ord: u32,
    set: &DocBits,
    field: &str,
    wanted: usize,
) -> tantivy::Result<Vec<Ranked>> {
    let column = segment.fast_fields().u64(field)?;
    let mut values = vec![None; BATCH];
    let mut best = Best::new(wanted);
    batches_of(set.docs_rev(), |docs| {
        // `first_vals` leaves a document without a value untouched in some column kinds.
        values[..docs.len()].fill(None);
        column.first_vals(docs, &mut values[..docs.len()]);
        for (doc, value) in docs.iter().zip(&values) {
            let address = DocAddress::new(ord, *doc);
            best.offer(Ranked { key: value.unwrap_or(0) as Score, missing: value.is_none(), address });
        }
        Ok(())
    })?;
    Ok(best.into_sorted())
}

/// Relevance in one segment.
struct Scoring<'a> {
    segment: &'a SegmentReader,
    plan: &'a Plan,
    /// Per word, per bigram: its BM25 weight over the whole index.
    weights: &'a [Vec<Bm25Weight>],
    /// Document lengths in the bigram field, for BM25.
    norms: FieldNormReader,
    ord: u32,
    words: &'a [Arc<WordSets>],
}

impl Scoring<'_> {
    /// The best `wanted` documents of `set`, best first.
    fn best(&self, set: &DocBits, wanted: usize) -> tantivy::Result<Vec<Ranked>> {
        if let [word] = self.words
            && let Some(ranked) = &word.ranked
        {
            let ranked = match ranked.get() {
                Some(ranked) => ranked,
                None => {
                    let all = self.score_all(&word.any, word.any.count() as usize)?;
                    // Two searches may rank at once; both find the same.
                    let _ = ranked.set(all.into_iter().map(|r| (r.key, r.address.doc_id)).collect());
                    ranked.get().expect("just set")
                }
            };
            let address = |doc| DocAddress::new(self.ord, doc);
            let page = ranked.iter().filter(|(_, doc)| set.contains(*doc)).take(wanted);
            return Ok(page.map(|&(key, doc)| Ranked { key, missing: false, address: address(doc) }).collect());
        }
        let most_bm25: Score = self.weights.iter().flatten().map(Bm25Weight::max_score).sum();
        if self.words.len() > MOST_TIERED_WORDS || most_bm25 >= TITLE_TIER - TIER_GAP {
            return self.score_all(set, wanted);
        }
        let mut out = Vec::with_capacity(wanted);
        for (tier, docs) in self.tiers(set) {
            let need = wanted - out.len();
            if need == 0 {
                break;
            }
            if docs.count() as usize <= need || self.words.len() > 1 {
                out.extend(self.score_all(&docs, need)?);
            } else {
                out.extend(self.walk_one_word(&docs, tier, need)?);
            }
        }
        Ok(out)
    }

    /// `set` split by tier value (the words' whole-word and title points), best first.
    fn tiers(&self, set: &DocBits) -> Vec<(Score, DocBits)> {
        let mut tiers = vec![(0.0, set.clone())];
        for word in self.words {
            let mut next = Vec::new();
            for (value, docs) in tiers {
                for (whole, title) in [(true, true), (true, false), (false, true), (false, false)] {
                    let mut part = docs.clone();
                    for (wanted, bits) in [(whole, &word.whole), (title, &word.title)] {
                        match (wanted, bits) {
                            (true, Some(bits)) => part.and(bits),
                            (true, None) => part = DocBits::empty(0),
                            (false, Some(bits)) => part.and_not(bits),
                            (false, None) => {}
                        }
                    }
                    if !part.is_empty() {
                        let add = if whole { WHOLE_WORD_TIER } else { 0.0 } + if title { TITLE_TIER } else { 0.0 };
                        next.push((value + add, part));
                    }
                }
            }
            tiers = next;
        }
        tiers.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut merged: Vec<(Score, DocBits)> = Vec::with_capacity(tiers.len());
        for (value, docs) in tiers {
            match merged.last_mut() {
                Some((last, into)) if *last == value => into.or(&docs),
                _ => merged.push((value, docs)),
            }
        }
        merged
    }

    fn postings(&self, term: &Term) -> tantivy::Result<BlockSegmentPostings> {
        let index = self.segment.inverted_index(term.field())?;
        Ok(index.read_block_postings(term, IndexRecordOption::WithFreqs)?.unwrap_or_else(BlockSegmentPostings::empty))
    }

    /// Every document of `set` scored (its tier and BM25); the best `wanted`.
    fn score_all(&self, set: &DocBits, wanted: usize) -> tantivy::Result<Vec<Ranked>> {
        let norms = &self.norms;
        let docs: Vec<DocId> = set.docs().collect();
        let mut scores = vec![0.0; docs.len()];
        for (doc, score) in docs.iter().zip(scores.iter_mut()) {
            for word in self.words {
                let has = |bits: &Option<DocBits>| bits.as_ref().is_some_and(|b| b.contains(*doc));
                *score += if has(&word.whole) { WHOLE_WORD_TIER } else { 0.0 }
                    + if has(&word.title) { TITLE_TIER } else { 0.0 };
            }
        }
        for ((terms, weights), sets) in self.plan.words.iter().map(|w| &w.bigrams).zip(self.weights).zip(self.words) {
            let Some(with_bigrams) = &sets.bigrams else { continue };
            for (term, weight) in terms.iter().zip(weights) {
                let mut postings = self.postings(term)?;
                for (doc, score) in docs.iter().zip(scores.iter_mut()) {
                    if with_bigrams.contains(*doc) {
                        let at = postings.seek(*doc);
                        *score += weight.score(norms.fieldnorm_id(*doc), postings.freq(at));
                    }
                }
            }
        }
        let mut best = Best::new(wanted);
        for (doc, score) in docs.into_iter().zip(scores) {
            best.offer(Ranked { key: score, missing: false, address: DocAddress::new(self.ord, doc) });
        }
        Ok(best.into_sorted())
    }

    /// The best `wanted` of one word's tier `set` (each scoring `tier` plus its bigrams'
    /// BM25), walking the rarest bigram's postings block by block.
    fn walk_one_word(&self, set: &DocBits, tier: Score, wanted: usize) -> tantivy::Result<Vec<Ranked>> {
        let (terms, weights, sets) = (&self.plan.words[0].bigrams, &self.weights[0], &self.words[0]);
        let Some(with_bigrams) = &sets.bigrams else { return Ok(self.first(set, tier, wanted)) };
        let mut walk = set.clone();
        walk.and(with_bigrams);
        let norms = &self.norms;
        let mut postings = terms.iter().map(|t| self.postings(t)).collect::<tantivy::Result<Vec<_>>>()?;
        let driver = (0..postings.len()).min_by_key(|i| postings[*i].doc_freq()).expect("a word with bigrams");
        let mut best = Best::new(wanted);
        let mut lead = std::mem::replace(&mut postings[driver], BlockSegmentPostings::empty());
        loop {
            let (first, last) = match lead.docs() {
                [] => break,
                docs => (docs[0], docs[docs.len() - 1]),
            };
            // The most the other bigrams can add to a document of this block: each one's
            // best in the block of its postings that spans this one (else its best anywhere).
            let mut others: Score = 0.0;
            for (j, other) in postings.iter_mut().enumerate().filter(|(j, _)| *j != driver) {
                other.seek(first);
                let spans = other.docs().last().is_some_and(|end| *end >= last);
                others += if spans { other.block_max_score(norms, &weights[j]) } else { weights[j].max_score() };
            }
            let floor = best.floor();
            if floor.is_some_and(|floor| tier + lead.block_max_score(norms, &weights[driver]) + others <= floor) {
                lead.advance();
                continue;
            }
            for (i, &doc) in lead.docs().iter().enumerate() {
                if !walk.contains(doc) {
                    continue;
                }
                let norm = norms.fieldnorm_id(doc);
                let mut score = tier + weights[driver].score(norm, lead.freq(i));
                if best.floor().is_some_and(|floor| score + others <= floor) {
                    continue;
                }
                for (j, other) in postings.iter_mut().enumerate() {
                    if j != driver {
                        let at = other.seek(doc);
                        score += weights[j].score(norm, other.freq(at));
                    }
                }
                best.offer(Ranked { key: score, missing: false, address: DocAddress::new(self.ord, doc) });
            }
            lead.advance();
        }
        let mut out = best.into_sorted();
        if out.len() < wanted {
            // The rest of the tier has none of the bigrams: it scores the tier alone.
            let mut rest = set.clone();
            rest.and_not(with_bigrams);
            out.extend(self.first(&rest, tier, wanted - out.len()));
        }
        Ok(out)
    }

    /// The first `wanted` of `set`, all scoring `tier`.
    fn first(&self, set: &DocBits, tier: Score, wanted: usize) -> Vec<Ranked> {
        let ranked = |doc| Ranked { key: tier, missing: false, address: DocAddress::new(self.ord, doc) };
        set.docs().take(wanted).map(ranked).collect()
    }
}
