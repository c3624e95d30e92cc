//! Chinese-aware tokenizers.
//!
//! - `zh` ([`super::zh`]): jieba in search mode, lower-cased, without punctuation and
//!   spaces. Finds whole words (数控, 操作工, PLC) and ranks on them.
//! - `bigram`: every pair of adjacent Han characters, plus Latin/digit words lower-cased.
//!   Jieba keeps some words whole (电子信息工程, 仓管员), so a word inside them is never a
//!   jieba token; a phrase of bigrams finds *any* run of two or more Han characters that
//!   stands verbatim in the text.

use super::chars::is_alphanumeric;
pub use super::chars::is_han;
use super::zh::ZhTokenizer;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const ZH: &str = "zh";
pub const BIGRAM: &str = "bigram";

fn is_word_char(c: char) -> bool {
    !is_han(c) && is_alphanumeric(c)
}

/// Han bigrams (a lone Han character stays a unigram) and lower-cased Latin/digit words.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream { text, at: 0, token: Token::default(), emitted: 0 }
    }
}

/// Streams bigrams into one reused token: indexing allocates nothing per token.
pub struct BigramStream<'a> {
    text: &'a str,
    /// Byte offset where the next token may start.
    at: usize,
    token: Token,
    emitted: usize,
}

impl BigramStream<'_> {
    fn emit(&mut self, from: usize, to: usize, lower: bool) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.emitted;
        self.token.position_length = 1;
        self.token.text.clear();
        let piece = &self.text[from..to];
        if lower {
            self.token.text.extend(piece.chars().flat_map(char::to_lowercase));
        } else {
            self.token.text.push_str(piece);
        }
        self.emitted += 1;
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let text = self.text;
        while self.at < text.len() {
            let mut chars = text[self.at..].char_indices();
            let (_, c) = chars.next().expect("not at the end");
            let start = self.at;
            let after_c = start + c.len_utf8();
            if is_han(c) {
                match text[after_c..].chars().next() {
                    Some(d) if is_han(d) => {
                        // A bigram; the next one starts at its second character.
                        self.at = after_c;
                        self.emit(start, after_c + d.len_utf8(), false);
                    }
                    _ => {
                        self.at = after_c;
                        // A lone Han character, unless it ends a run (its bigram was emitted).
                        let ends_run = text[..start].chars().next_back().is_some_and(is_han);
                        if ends_run {
                            continue;
                        }
                        self.emit(start, after_c, false);
                    }
                }
                return true;
            } else if is_word_char(c) {
                let end = text[start..]
                    .char_indices()
                    .find(|(_, ch)| !is_word_char(*ch))
                    .map_or(text.len(), |(i, _)| start + i);
                self.at = end;
                self.emit(start, end, true);
                return true;
            }
            self.at = after_c;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The bigram tokens of `text`, positions counted in tokens.
pub fn bigrams(text: &str) -> Vec<Token> {
    let mut tokenizer = BigramTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// The jieba tokens of `text` (as the `zh` field indexes them).
pub fn words(text: &str) -> Vec<String> {
    let mut tokenizer = ZhTokenizer::once();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token().text.clone();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Register both tokenizers on an index.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(ZH, ZhTokenizer::indexing());
    index.tokenizers().register(BIGRAM, BigramTokenizer);
}

/// Load jieba's dictionary now rather than on the first request.
pub fn warm_up() {
    let _ = words("肇庆新区电子信息产业园招聘SMT操作工");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn bigrams_cover_han_runs_and_latin_words() {
        let t = bigrams("SMT操作工, 电工证 A1");
        assert_eq!(texts(&t), ["smt", "操作", "作工", "电工", "工证", "a1"]);
        assert_eq!(t.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5]);
        assert_eq!(&"SMT操作工, 电工证 A1"[t[1].offset_from..t[1].offset_to], "操作");
        assert_eq!(texts(&bigrams("厂 区")), ["厂", "区"]);
    }

    #[test]
    fn jieba_words_are_lower_case_without_punctuation() {
        let w = words("招聘PLC工程师，包吃住！");
        assert!(w.contains(&"plc".to_string()), "{w:?}");
        assert!(w.contains(&"工程师".to_string()), "{w:?}");
        assert!(!w.iter().any(|t| t == "，" || t == "！" || t == " "), "{w:?}");
    }
}
