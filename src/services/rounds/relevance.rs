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
}
