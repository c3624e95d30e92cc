//! A word's document sets in one segment, and the cache that keeps the sets of words
//! searched again.
//!
//! Building a common word's sets is most of a search's engine time: its bigrams' postings
//! are read whole (宿舍, 机械 are in tens of thousands of documents). Searches are not all
//! new words: the same few hundred words (普工, 电工, 数控) come back with other filters,
//! pages and sorts from many schools at once. So a word's sets are kept for the searcher
//! generation once the word has been searched a second time in it (Lucene's
//! usage-tracking caching policy: one-off words never displace the words that return).
//! Only sets (and, once a word is searched alone by relevance, its documents ranked) are
//! kept, never pages: every search still combines its filters, counts and takes its page.

use super::bits::DocBits;
use super::cache::{GenerationCache, get_or_build, terms_key};
use super::query::WordTerms;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::{DocId, Score, SegmentReader};

/// Words remembered as searched once, per generation.
const SEEN_WORDS: usize = 8192;

/// A word's sets in one segment: with all its bigrams, whole in a field, in the title,
/// and any of those.
pub struct WordSets {
    pub bigrams: Option<DocBits>,
    pub whole: Option<DocBits>,
    pub title: Option<DocBits>,
    pub any: DocBits,
    /// Kept sets only: the word's documents best first (tier, then BM25, then address),
    /// filled by the first search of the word alone by relevance. Scores depend only on
    /// the word and the generation's statistics, so a later search of the word takes its
    /// page from the front of this list, whatever its filters.
    pub ranked: Option<OnceLock<Vec<(Score, DocId)>>>,
}

impl WordSets {
    /// `kept`: the sets go into the cache (and may hold their ranking).
    pub fn of(segment: &SegmentReader, word: &WordTerms, kept: bool) -> tantivy::Result<Self> {
        let any_group = |groups: &[Vec<tantivy::Term>]| -> tantivy::Result<Option<DocBits>> {
            let mut all: Option<DocBits> = None;
            for group in groups {
                if let Some(bits) = DocBits::of_all(segment, group)? {
                    match &mut all {
                        Some(all) => all.or(&bits),
                        None => all = Some(bits),
                    }
                }
            }
            Ok(all)
        };
        let (bigrams, whole, title) =
            (DocBits::of_all(segment, &word.bigrams)?, any_group(&word.whole)?, any_group(&word.title)?);
        let any = any_of(segment.max_doc(), [&bigrams, &whole, &title]);
        Ok(WordSets { bigrams, whole, title, any, ranked: kept.then(OnceLock::new) })
    }

    /// About how many bytes the sets hold, with room for the ranking they may come to hold.
    pub fn footprint(&self) -> usize {
        let sets = [&self.bigrams, &self.whole, &self.title].into_iter().flatten();
        let ranking =
            if self.ranked.is_some() { self.any.count() as usize * std::mem::size_of::<(Score, DocId)>() } else { 0 };
        std::mem::size_of::<Self>() + self.any.footprint() + sets.map(DocBits::footprint).sum::<usize>() + ranking
    }
}

fn any_of(max_doc: DocId, parts: [&Option<DocBits>; 3]) -> DocBits {
    let mut all = DocBits::empty(max_doc);
    for part in parts.into_iter().flatten() {
        all.or(part);
    }
    all
}

/// Words' sets per segment for one searcher generation, kept from a word's second search.
pub struct WordSetCache {
    sets: Mutex<GenerationCache<Arc<WordSets>>>,
    seen: Mutex<GenerationCache<()>>,
}

impl WordSetCache {
    /// Sets holding at most `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        WordSetCache {
            sets: Mutex::new(GenerationCache::bounded(usize::MAX, max_bytes, |sets| sets.footprint())),
            seen: Mutex::new(GenerationCache::new(SEEN_WORDS)),
        }
    }

    /// Whether the word named `key` was searched before in `generation` (and remember
    /// that it now has been).
    fn searched_again(&self, generation: u64, key: &str) -> bool {
        let mut seen = self.seen.lock().expect("seen words lock");
        let again = seen.get(generation, key).is_some();
        if !again {
            seen.put(generation, key.to_string(), ());
        }
        again
    }

    /// The bytes the kept sets hold.
    pub fn bytes(&self) -> usize {
        self.sets.lock().expect("word set cache lock").bytes()
    }
}

/// One word of a search, looked up in the cache at most once per segment.
pub struct CachedWord<'a> {
    word: &'a WordTerms,
    /// Keep its sets: it was searched before in this generation.
    keep: bool,
    key: String,
}

impl<'a> CachedWord<'a> {
    pub fn new(word: &'a WordTerms, generation: u64, cache: &WordSetCache) -> Self {
        let groups = |groups: &[Vec<tantivy::Term>]| groups.iter().map(|g| terms_key(g)).collect::<Vec<_>>().join(",");
        let key = format!("{}|{}|{}", terms_key(&word.bigrams), groups(&word.whole), groups(&word.title));
        let keep = cache.searched_again(generation, &key);
        CachedWord { word, keep, key }
    }

    /// Its sets in the segment at `ord` of `generation`'s searcher.
    pub fn sets(
        &self,
        segment: &SegmentReader,
        ord: usize,
        generation: u64,
        cache: &WordSetCache,
    ) -> tantivy::Result<Arc<WordSets>> {
        if !self.keep {
            return Ok(Arc::new(WordSets::of(segment, self.word, false)?));
        }
        let key = format!("{ord}|{}", self.key);
        get_or_build(&cache.sets, generation, key, || WordSets::of(segment, self.word, true).map(Arc::new))
    }
}
