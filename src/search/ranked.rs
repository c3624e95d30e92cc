//! Relevance top-k without scoring every match.
//!
//! A one-word query scores a document `tier + bm25`: the tier is [`WHOLE_WORD_TIER`] when
//! the word stands whole in a field plus [`TITLE_TIER`] when it is in the title, and
//! `bm25` is over the word's bigrams. When the bigrams' BM25 cannot reach the next tier
//! (checked from the index statistics on every search), documents rank tier by tier, and
//! inside a tier by BM25 alone. So the page is taken from the best tier first; a large tier
//! is walked along the bigrams' postings (block-max WAND for a single bigram skips blocks
//! that cannot beat the page), and only documents that would enter the page are scored by
//! the whole query. Scores and order, ties included, are exactly those of scoring every
//! match (a property test compares both); other queries score every match.

use super::query::{TITLE_TIER, WHOLE_WORD_TIER, WordParts};
use tantivy::collector::TopDocs;
use tantivy::query::{Bm25Weight, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// The bigrams' BM25 must stay this far under [`TITLE_TIER`] (the smallest step between
/// tiers) for tiers to rank apart whatever rounding does.
const TIER_GAP: Score = 1.0;

/// A tier that can hold at most this many documents is scored whole: cheaper than walking
/// the bigrams' postings.
pub(super) const SMALL_TIER: u64 = 1024;

/// The best `k` matches of `full` (the word's query with every filter) by score, as
/// `searcher.search(full, &TopDocs::with_limit(k).order_by_score())` gives them; `None`
/// when the query's scores do not rank tier by tier (the caller scores every match).
pub(super) fn top(
    searcher: &Searcher,
    full: &dyn Query,
    parts: &WordParts,
    k: usize,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    top_with(searcher, full, parts, k, SMALL_TIER)
}

/// [`top`], scoring whole only the tiers of at most `small_tier` documents (0: walk every
/// tier along the bigrams, as tests do).
pub(super) fn top_with(
    searcher: &Searcher,
    full: &dyn Query,
    parts: &WordParts,
    k: usize,
    small_tier: u64,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    let Some(bigrams) = &parts.bigrams else { return Ok(None) };
    let mut most = 0.0;
    for term in &parts.bigram_terms {
        most += Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?.max_score();
    }
    if most >= TITLE_TIER - TIER_GAP || k == 0 {
        return Ok(None);
    }
    let bigram_docs = min_doc_freq(searcher, &parts.bigram_terms)?;
    let whole_docs = bound(searcher, &parts.whole_terms)?;
    let title_docs = bound(searcher, &parts.title_terms)?;
    let mut out: Vec<(Score, DocAddress)> = Vec::with_capacity(k);
    for (whole, title) in [(true, true), (true, false), (false, true), (false, false)] {
        let need = k - out.len();
        if need == 0 {
            break;
        }
        if (whole && parts.whole.is_none()) || (title && parts.title.is_none()) {
            continue;
        }
        let at_most = match (whole, title) {
            (true, true) => whole_docs.min(title_docs),
            (true, false) => whole_docs,
            (false, true) => title_docs,
            (false, false) => bigram_docs,
        };
        let tier_value = if whole { WHOLE_WORD_TIER } else { 0.0 } + if title { TITLE_TIER } else { 0.0 };
        let tier = tier_query(full, parts, whole, title);
        let walked = if small_tier > 0 && at_most <= small_tier.max(bigram_docs / 4) {
            None
        } else {
            walk_bigrams(searcher, tier.as_ref(), bigrams.as_ref(), parts.bigram_terms.len() == 1, tier_value, need)?
        };
        match walked {
            Some(hits) => out.extend(hits),
            None => out.extend(searcher.search(tier.as_ref(), &TopDocs::with_limit(need).order_by_score())?),
        }
    }
    Ok(Some(out))
}

/// `full` restricted to one tier. The restrictions add nothing to the score (a constant
/// 0, an exclusion), so a document scores in it exactly what it scores in `full`.
fn tier_query(full: &dyn Query, parts: &WordParts, whole: bool, title: bool) -> Box<dyn Query> {
    let mut clauses = vec![(Occur::Must, full.box_clone())];
    for (part, wanted) in [(&parts.whole, whole), (&parts.title, title)] {
        if let Some(q) = part {
            clauses.push(if wanted {
                (Occur::Must, Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)) as Box<dyn Query>)
            } else {
                (Occur::MustNot, q.box_clone())
            });
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

fn min_doc_freq(searcher: &Searcher, terms: &[Term]) -> tantivy::Result<u64> {
    let mut least = u64::MAX;
    for term in terms {
        least = least.min(searcher.doc_freq(term)?);
    }
    Ok(if terms.is_empty() { 0 } else { least })
}

/// At most how many documents match any of the groups (each needing all of its terms).
fn bound(searcher: &Searcher, groups: &[Vec<Term>]) -> tantivy::Result<u64> {
    let mut sum = 0u64;
    for group in groups {
        sum = sum.saturating_add(min_doc_freq(searcher, group)?);
    }
    Ok(sum)
}

/// The best `need` documents of one tier, found along the bigrams' postings: a document
/// whose bigram BM25 cannot lift it above the page's last is never scored by the whole
/// query. `None` when the tier has fewer documents with the bigrams than the page needs
/// (the others score the bare tier value, and scoring the tier whole finds them).
fn walk_bigrams(
    searcher: &Searcher,
    tier: &dyn Query,
    bigrams: &dyn Query,
    single_bigram: bool,
    tier_value: Score,
    need: usize,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let exact = tier.weight(scoring)?;
    let bm25 = bigrams.weight(scoring)?;
    let mut page = Page { best: Vec::with_capacity(need + 1), need, tier_value, floor: Score::MIN };
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = exact.scorer(reader, 1.0)?;
        let floor = page.floor;
        let mut offer = |doc: DocId, bm25: Score| -> Score {
            if bm25 > page.floor
                && reader.alive_bitset().is_none_or(|alive| alive.is_alive(doc))
                && scorer.doc() <= doc
                && scorer.seek(doc) == doc
            {
                page.offer(scorer.score(), DocAddress::new(ord as u32, doc));
            }
            page.floor
        };
        if single_bigram {
            // A single term's BM25 is computed the same way on either path: WAND may skip.
            bm25.for_each_pruning(floor, reader, &mut offer)?;
        } else {
            // Several bigrams: their sum is taken in the order the whole query takes it.
            walk_scorer(bm25.as_ref(), reader, floor, &mut offer)?;
        }
    }
    let filled = page.best.len() == need && page.best.last().is_some_and(|(s, _)| *s > tier_value);
    Ok(filled.then_some(page.best))
}

fn walk_scorer(
    weight: &dyn Weight,
    reader: &SegmentReader,
    mut floor: Score,
    offer: &mut dyn FnMut(DocId, Score) -> Score,
) -> tantivy::Result<()> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        let score = scorer.score();
        if score > floor {
            floor = offer(doc, score);
        }
        doc = scorer.advance();
    }
    Ok(())
}

/// The best documents of a tier so far, by (score descending, address ascending): the
/// order tantivy's top-k gives. Documents are offered in ascending address order, so a
/// newcomer must beat the last strictly.
struct Page {
    best: Vec<(Score, DocAddress)>,
    need: usize,
    tier_value: Score,
    /// Bigram BM25 at or under which a document cannot enter.
    floor: Score,
}

impl Page {
    fn offer(&mut self, score: Score, address: DocAddress) {
        if self.best.len() == self.need && self.best.last().is_some_and(|(last, _)| score <= *last) {
            return;
        }
        let at = self.best.partition_point(|(s, _)| *s >= score);
        self.best.insert(at, (score, address));
        self.best.truncate(self.need);
        if self.best.len() == self.need {
            self.floor = bm25_floor(self.best[self.need - 1].0, self.tier_value);
        }
    }
}

/// The largest BM25 `b` with `tier_value + b` (as f32, the way the query sums it) not
/// above `last`: only a document with more can enter the page.
fn bm25_floor(last: Score, tier_value: Score) -> Score {
    let mut b = last - tier_value;
    while tier_value + b > last {
        b = b.next_down();
    }
    while tier_value + b.next_up() <= last {
        b = b.next_up();
    }
    b
}

#[cfg(test)]
mod tests {
    use super::bm25_floor;

    #[test]
    fn the_floor_is_the_last_bm25_that_cannot_enter() {
        for (last, tier) in [(1000.5f32, 1000.0f32), (1100.0001, 1100.0), (3.25, 0.0), (100.1, 100.0)] {
            let b = bm25_floor(last, tier);
            assert!(tier + b <= last && tier + b.next_up() > last, "{last} {tier}");
        }
    }
}
