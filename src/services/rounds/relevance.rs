//! Text relevance inside one round: how much of a graduate's major, skills and certificates
//! a posting's text covers, as IDF-weighted word coverage in 0..=1.
//!
//! Decision: suggestions ask tantivy per graduate (BM25), but a round of 100 000 graduates
//! would need 100 000 queries (minutes). A round instead builds this small inverted index
//! over its own postings, with the same jieba tokenizer the search index uses, and every
//! graduate costs only the postings that share one of its words.

use crate::search::tokenize;
use std::collections::HashMap;

/// The round's postings, word by word.
pub struct TextIndex {
    word_ids: HashMap<String, u32>,
    /// Postings containing each word, ascending.
    postings_of: Vec<Vec<u32>>,
    idf: Vec<f32>,
    /// Idf of a word no posting contains: it still counts in a graduate's total.
    unseen_idf: f32,
}

/// The group of a posting in no group (see [`TextIndex::by_group`]).
pub const NO_GROUP: u32 = u32::MAX;

/// The index's postings by word and group (see [`TextIndex::by_group`]).
pub struct GroupedPostings {
    /// Each word's postings, by group then posting.
    postings: Vec<u32>,
    runs: Vec<Run>,
    /// Each word's runs, as a range of `runs`.
    words: Vec<(u32, u32)>,
}

/// Postings of one word and one group: `postings[start..end]` of [`GroupedPostings`].
struct Run {
    group: u32,
    start: u32,
    end: u32,
}

/// A graduate's words: (word id or unseen, idf).
pub struct TextQuery {
    words: Vec<(Option<u32>, f32)>,
    total: f32,
}

impl TextIndex {
    /// Index the postings' texts; posting `i` is the `i`-th text.
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut postings_of: Vec<Vec<u32>> = Vec::new();
        let mut count = 0u32;
        for (p, text) in texts.into_iter().enumerate() {
            count += 1;
            for word in tokenize::words(text) {
                let next = word_ids.len() as u32;
                let id = *word_ids.entry(word).or_insert(next);
                if id == next {
                    postings_of.push(Vec::new());
                }
                postings_of[id as usize].push(p as u32);
            }
        }
        let n = count as f32;
        let idf = postings_of.iter().map(|ps| (1.0 + n / (1.0 + ps.len() as f32)).ln()).collect();
        TextIndex { word_ids, postings_of, idf, unseen_idf: (1.0 + n).ln() }
    }

    pub fn query(&self, text: &str) -> TextQuery {
        let words: Vec<(Option<u32>, f32)> = tokenize::words(text)
            .into_iter()
            .map(|w| match self.word_ids.get(&w) {
                Some(&id) => (Some(id), self.idf[id as usize]),
                None => (None, self.unseen_idf),
            })
            .collect();
        let total = words.iter().map(|(_, idf)| idf).sum();
        TextQuery { words, total }
    }

    /// Add each posting's covered weight to `acc` (indexed by posting, all zero on entry for
    /// postings not yet in `touched`); postings touched for the first time go to `touched`.
    /// The plain form of [`Self::accumulate_in`], which rounds use; tests compare the two.
    #[cfg(test)]
    pub fn accumulate(&self, query: &TextQuery, acc: &mut [f32], touched: &mut Vec<u32>) {
        for (word, idf) in &query.words {
            let Some(word) = word else { continue };
            for &p in &self.postings_of[*word as usize] {
                let slot = &mut acc[p as usize];
                if *slot == 0.0 {
                    touched.push(p);
                }
                *slot += idf;
            }
        }
    }

    /// Each word's postings split into runs of one group (`group_of[p]`, or [`NO_GROUP`] for
    /// postings no one may take, which are left out), for [`Self::accumulate_in`].
    pub fn by_group(&self, group_of: &[u32]) -> GroupedPostings {
        let mut postings = Vec::new();
        let mut runs = Vec::new();
        let mut words = Vec::with_capacity(self.postings_of.len());
        for of_word in &self.postings_of {
            let first_run = runs.len() as u32;
            let mut sorted: Vec<(u32, u32)> =
                of_word.iter().map(|&p| (group_of[p as usize], p)).filter(|(g, _)| *g != NO_GROUP).collect();
            sorted.sort_unstable();
            for (i, &(group, p)) in sorted.iter().enumerate() {
                if i == 0 || sorted[i - 1].0 != group {
                    runs.push(Run { group, start: postings.len() as u32, end: postings.len() as u32 });
                }
                postings.push(p);
                runs.last_mut().expect("a run was pushed").end += 1;
            }
            words.push((first_run, runs.len() as u32));
        }
        GroupedPostings { postings, runs, words }
    }

    /// Each posting's covered weight (as `accumulate` in the tests), over the postings of the
    /// groups marked in `joinable` only: a
    /// graduate's common words touch thousands of postings, most of them in places or at
    /// levels it may not take, and skipping those groups skips their work. Each posting's
    /// weight is the same sum, added in the same order, as over every posting.
    pub fn accumulate_in(
        &self,
        grouped: &GroupedPostings,
        joinable: &[bool],
        query: &TextQuery,
        acc: &mut [f32],
        touched: &mut Vec<u32>,
    ) {
        for (word, idf) in &query.words {
            let Some(word) = word else { continue };
            let (first, last) = grouped.words[*word as usize];
            for run in &grouped.runs[first as usize..last as usize] {
                if !joinable[run.group as usize] {
                    continue;
                }
                for &p in &grouped.postings[run.start as usize..run.end as usize] {
                    let slot = &mut acc[p as usize];
                    if *slot == 0.0 {
                        touched.push(p);
                    }
                    *slot += idf;
                }
            }
        }
    }

    /// The relevance of a posting whose covered weight is `covered`.
    pub fn relevance(query: &TextQuery, covered: f32) -> f64 {
        if query.total > 0.0 { f64::from(covered / query.total).clamp(0.0, 1.0) } else { 0.0 }
    }

    /// The relevance of one posting for a query (for a pair outside the candidates).
    pub fn relevance_of(&self, query: &TextQuery, posting: u32) -> f64 {
        let covered: f32 = query
            .words
            .iter()
            .filter_map(|(w, idf)| w.map(|w| (w, idf)))
            .filter(|(w, _)| self.postings_of[*w as usize].binary_search(&posting).is_ok())
            .map(|(_, idf)| idf)
            .sum();
        Self::relevance(query, covered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_idf_weighted_and_bounded() {
        let index = TextIndex::build(["数控车床操作工", "电工 维修电工证", "数控 编程 工程师"]);
        let q = index.query("数控技术 电工证");
        let rel: Vec<f64> = (0..3).map(|p| index.relevance_of(&q, p)).collect();
        assert!(rel.iter().all(|r| (0.0..=1.0).contains(r)));
        assert!(rel[1] > 0.0 && rel[0] > 0.0, "{rel:?}");
        let mut acc = vec![0.0; 3];
        let mut touched = Vec::new();
        index.accumulate(&q, &mut acc, &mut touched);
        for p in 0..3u32 {
            let via_acc = TextIndex::relevance(&q, acc[p as usize]);
            assert!((via_acc - rel[p as usize]).abs() < 1e-6);
            assert_eq!(touched.contains(&p), rel[p as usize] > 0.0);
        }
        assert_eq!(index.relevance_of(&index.query("完全无关的词"), 0), 0.0);
    }

    #[test]
    fn a_walk_by_group_gives_the_same_weights_for_the_groups_it_walks() {
        let texts =
            ["数控车床操作工 技术", "电工 维修电工证 技术", "数控 编程 工程师 技术", "技术 数控 电工", "仓库 技术"];
        let index = TextIndex::build(texts);
        let q = index.query("数控技术 电工证 编程");
        let mut all = vec![0.0; texts.len()];
        let mut touched_all = Vec::new();
        index.accumulate(&q, &mut all, &mut touched_all);
        // Posting 4 is in no group; group 1 is skipped.
        let group_of = [0, 1, 0, 2, NO_GROUP];
        let grouped = index.by_group(&group_of);
        let mut some = vec![0.0; texts.len()];
        let mut touched = Vec::new();
        index.accumulate_in(&grouped, &[true, false, true], &q, &mut some, &mut touched);
        for p in 0..texts.len() {
            let walked = matches!(group_of[p], 0 | 2);
            assert_eq!(some[p].to_bits(), if walked { all[p].to_bits() } else { 0 }, "posting {p}");
            assert_eq!(touched.contains(&(p as u32)), walked && all[p] > 0.0);
        }
    }
}
