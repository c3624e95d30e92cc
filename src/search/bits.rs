//! Sets of one segment's documents as bitsets: what a search matches, before it is ranked.
//! Building one from a term's postings costs a pass over them; combining two is a few
//! thousand word operations, and counting is a popcount.

use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, SegmentReader, Term};

/// A list this many times longer than the set it narrows is probed, not read whole.
const PROBE_RATIO: u64 = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocBits {
    words: Vec<u64>,
}

impl DocBits {
    /// No document of a segment with `max_doc` documents.
    pub fn empty(max_doc: DocId) -> Self {
        DocBits { words: vec![0; (max_doc as usize).div_ceil(64)] }
    }

    /// The segment's documents that are not deleted.
    pub fn alive(segment: &SegmentReader) -> Self {
        let max_doc = segment.max_doc();
        let mut bits = DocBits { words: vec![u64::MAX; (max_doc as usize).div_ceil(64)] };
        if let Some(last) = bits.words.last_mut()
            && !max_doc.is_multiple_of(64)
        {
            *last = (1u64 << (max_doc % 64)) - 1;
        }
        if let Some(alive) = segment.alive_bitset() {
            for doc in 0..max_doc {
                if !alive.is_alive(doc) {
                    bits.remove(doc);
                }
            }
        }
        bits
    }

    /// The documents of `segment` that hold `term` (indexed without positions is enough).
    pub fn of_term(segment: &SegmentReader, term: &Term) -> tantivy::Result<Self> {
        let index = segment.inverted_index(term.field())?;
        let mut bits = DocBits::empty(segment.max_doc());
        if let Some(postings) = index.read_block_postings(term, IndexRecordOption::Basic)? {
            bits.insert_all(postings);
        }
        Ok(bits)
    }

    fn insert_all(&mut self, mut postings: BlockSegmentPostings) {
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            for &doc in docs {
                self.insert(doc);
            }
            postings.advance();
        }
    }

    /// The documents holding every one of `terms` (`None` for no terms: no constraint).
    /// The rarest term's postings make the set; a much longer list is probed only at the
    /// set's documents (its skip list jumps the rest) instead of being read whole.
    pub fn of_all(segment: &SegmentReader, terms: &[Term]) -> tantivy::Result<Option<Self>> {
        if terms.is_empty() {
            return Ok(None);
        }
        let mut lists = Vec::with_capacity(terms.len());
        for term in terms {
            let index = segment.inverted_index(term.field())?;
            match index.get_term_info(term)? {
                Some(info) => lists.push((index, info)),
                None => return Ok(Some(DocBits::empty(segment.max_doc()))),
            }
        }
        lists.sort_by_key(|(_, info)| info.doc_freq);
        let mut bits = DocBits::empty(segment.max_doc());
        let (index, info) = &lists[0];
        bits.insert_all(index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?);
        let mut count = u64::from(info.doc_freq);
        for (index, info) in &lists[1..] {
            let mut postings = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            if count * PROBE_RATIO < u64::from(info.doc_freq) {
                let absent: Vec<DocId> = bits
                    .docs()
                    .filter(|doc| {
                        let at = postings.seek(*doc);
                        postings.docs().get(at) != Some(doc)
                    })
                    .collect();
                absent.into_iter().for_each(|doc| bits.remove(doc));
            } else {
                let mut other = DocBits::empty(segment.max_doc());
                other.insert_all(postings);
                bits.and(&other);
            }
            count = bits.count();
            if count == 0 {
                break;
            }
        }
        Ok(Some(bits))
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        self.words[(doc / 64) as usize] |= 1 << (doc % 64);
    }

    #[inline]
    pub fn remove(&mut self, doc: DocId) {
        self.words[(doc / 64) as usize] &= !(1 << (doc % 64));
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words.get((doc / 64) as usize).is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    pub fn and(&mut self, other: &DocBits) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    pub fn or(&mut self, other: &DocBits) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    pub fn and_not(&mut self, other: &DocBits) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= !b);
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The documents in increasing order.
    pub fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let base = (i * 64) as DocId;
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    base + bit
                })
            })
        })
    }

    /// The documents in decreasing order.
    pub fn docs_rev(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().rev().flat_map(|(i, &word)| {
            let base = (i * 64) as DocId;
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = 63 - rest.leading_zeros();
                    rest &= !(1u64 << bit);
                    base + bit
                })
            })
        })
    }

    /// About how many bytes the set holds.
    pub fn footprint(&self) -> usize {
        self.words.len() * 8 + std::mem::size_of::<Self>()
    }
}

#[cfg(test)]
mod tests {
    use super::DocBits;
    use proptest::prelude::*;

    fn of(max: u32, docs: &[u32]) -> DocBits {
        let mut bits = DocBits::empty(max);
        docs.iter().for_each(|d| bits.insert(*d));
        bits
    }

    proptest! {
        #[test]
        fn set_operations_agree_with_sorted_lists(
            a in proptest::collection::btree_set(0u32..300, 0..80),
            b in proptest::collection::btree_set(0u32..300, 0..80),
        ) {
            let (x, y) = (of(300, &a.iter().copied().collect::<Vec<_>>()), of(300, &b.iter().copied().collect::<Vec<_>>()));
            let mut and = x.clone();
            and.and(&y);
            let mut or = x.clone();
            or.or(&y);
            let mut not = x.clone();
            not.and_not(&y);
            prop_assert_eq!(and.docs().collect::<Vec<_>>(), a.intersection(&b).copied().collect::<Vec<_>>());
            prop_assert_eq!(or.docs().collect::<Vec<_>>(), a.union(&b).copied().collect::<Vec<_>>());
            prop_assert_eq!(not.docs().collect::<Vec<_>>(), a.difference(&b).copied().collect::<Vec<_>>());
            prop_assert_eq!(and.count() as usize, a.intersection(&b).count());
            let mut union: Vec<u32> = a.union(&b).copied().collect();
            union.reverse();
            prop_assert_eq!(or.docs_rev().collect::<Vec<_>>(), union);
            prop_assert!(a.iter().all(|d| x.contains(*d)) && !x.contains(300));
        }
    }
}
