//! The `zh` tokenizer: jieba in search mode (dictionary only: bigrams already find what
//! the HMM would guess), without punctuation or spaces, lower-cased, at most 40 bytes a
//! token. Finds whole words (数控, 操作工, PLC) for the whole-word tier.
//!
//! Jieba segments each run of Han and ASCII word characters on its own, so text split at
//! punctuation and spaces segments piece by piece exactly as it does whole. Postings and
//! graduates repeat many pieces (a company's name, its park, its benefits, the phrases of
//! its openings, a school's name): an indexing tokenizer remembers each piece's words and
//! segments it once. It is an instance's own, so each segment the writer fills starts
//! afresh, and it is bounded ([`REMEMBERED_PIECES`]).

use super::chars::{is_alphanumeric, is_common_punctuation, is_uppercase};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

/// Tokens longer than this are dropped (jieba keeps long Latin runs whole).
const MAX_TOKEN_BYTES: usize = 40;
/// Pieces remembered per tokenizer before it forgets them all and starts again: a few
/// MB at most, for the 3 jieba fields of each indexing thread.
const REMEMBERED_PIECES: usize = 16_384;
/// Longer pieces are segmented every time: they seldom repeat.
const REMEMBERED_PIECE_BYTES: usize = 96;

/// One word of a piece: its bytes within the piece, and whether it needs lower-casing.
#[derive(Clone, Copy, Debug)]
struct Cut {
    from: u32,
    to: u32,
    lower: bool,
}

#[derive(Clone)]
pub struct ZhTokenizer {
    jieba: JiebaTokenizer,
    /// Words of pieces seen before (an indexing tokenizer's), `None` for one-off use.
    remembered: Option<FxHashMap<Box<str>, Box<[Cut]>>>,
    /// The words of the text being streamed, as byte ranges of it (reused).
    cuts: Vec<Cut>,
}

impl ZhTokenizer {
    /// For one text (a query's words): remembers nothing.
    pub fn once() -> Self {
        Self { jieba: JiebaTokenizer::with_hmm(false), remembered: None, cuts: Vec::new() }
    }

    /// For indexing: remembers the words of the pieces it has seen.
    pub fn indexing() -> Self {
        Self { remembered: Some(FxHashMap::default()), ..Self::once() }
    }
}

/// Characters jieba never puts in a word: where text is cut into pieces. Jieba's word
/// characters are Han, ASCII letters and digits and `+#&._%-`; anything else not listed
/// here (é, a fullwidth Ａ) stays inside a piece and jieba treats it as always.
fn splits(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-'))
    } else {
        is_common_punctuation(c)
    }
}

/// Jieba's words of `piece` that are kept, as byte ranges of it.
fn segment(jieba: &mut JiebaTokenizer, piece: &str, out: &mut Vec<Cut>) {
    let mut stream = jieba.token_stream(piece);
    while stream.advance() {
        let t = stream.token();
        if t.text.len() > MAX_TOKEN_BYTES || !t.text.chars().any(is_alphanumeric) {
            continue;
        }
        out.push(Cut { from: t.offset_from as u32, to: t.offset_to as u32, lower: t.text.chars().any(is_uppercase) });
    }
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhStream<'a> {
        self.cuts.clear();
        let mut start = 0;
        for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            if !splits(c) {
                continue;
            }
            if at > start {
                let piece = &text[start..at];
                let before = self.cuts.len();
                match self.remembered.as_mut().filter(|_| piece.len() <= REMEMBERED_PIECE_BYTES) {
                    Some(remembered) => {
                        if let Some(cuts) = remembered.get(piece) {
                            self.cuts.extend_from_slice(cuts);
                        } else {
                            segment(&mut self.jieba, piece, &mut self.cuts);
                            if remembered.len() >= REMEMBERED_PIECES {
                                remembered.clear();
                            }
                            remembered.insert(piece.into(), self.cuts[before..].into());
                        }
                    }
                    None => segment(&mut self.jieba, piece, &mut self.cuts),
                }
                for cut in &mut self.cuts[before..] {
                    cut.from += start as u32;
                    cut.to += start as u32;
                }
            }
            start = at + c.len_utf8();
        }
        ZhStream { text, cuts: &self.cuts, next: 0, token: Token::default() }
    }
}

/// The words of one text, one reused token at a time.
pub struct ZhStream<'a> {
    text: &'a str,
    cuts: &'a [Cut],
    next: usize,
    token: Token,
}

impl TokenStream for ZhStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(cut) = self.cuts.get(self.next) else { return false };
        let word = &self.text[cut.from as usize..cut.to as usize];
        self.token.offset_from = cut.from as usize;
        self.token.offset_to = cut.to as usize;
        // No field indexes positions: the ordinal is enough.
        self.token.position = self.next;
        self.token.position_length = 1;
        self.token.text.clear();
        if cut.lower {
            // As `str` lower-cases (a final Σ becomes ς), not char by char.
            self.token.text.push_str(&word.to_lowercase());
        } else {
            self.token.text.push_str(word);
        }
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Plain jieba, filtered and lower-cased: what the tokenizer must give.
    fn reference(text: &str) -> Vec<(String, usize, usize)> {
        let mut jieba = JiebaTokenizer::with_hmm(false);
        let mut stream = jieba.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            if t.text.len() > MAX_TOKEN_BYTES || !t.text.chars().any(char::is_alphanumeric) {
                continue;
            }
            out.push((t.text.to_lowercase(), t.offset_from, t.offset_to));
        }
        out
    }

    fn tokens(tokenizer: &mut ZhTokenizer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn words_lower_case_without_punctuation() {
        let text = "招聘PLC工程师，包吃住！SMT操作工 C++/WES-5.4.5";
        let words: Vec<String> = tokens(&mut ZhTokenizer::once(), text).into_iter().map(|t| t.0).collect();
        for expected in ["plc", "工程师", "工程", "smt", "操作工", "c++"] {
            assert!(words.iter().any(|w| w == expected), "{expected} in {words:?}");
        }
        assert!(!words.iter().any(|w| w == "，" || w == "！" || w == " " || w == "/"), "{words:?}");
    }

    proptest! {
        /// Piece by piece, remembered or not, the words are jieba's own.
        #[test]
        fn pieces_segment_as_the_whole_text(
            texts in proptest::collection::vec(
                "[电子信息工程操作员五险一金宿舍数控技术ABCsmtplc0-9 ，。、：；！（）\\-._+#&%/\\néＡ]{0,40}", 1..6)
        ) {
            let mut indexing = ZhTokenizer::indexing();
            for text in texts.iter().chain(texts.iter()) {
                prop_assert_eq!(tokens(&mut indexing, text), reference(text));
                prop_assert_eq!(tokens(&mut ZhTokenizer::once(), text), reference(text));
            }
        }
    }
}
