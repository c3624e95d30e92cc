//! Chinese-aware tokenizers.
//!
//! - `zh`: jieba in search mode, lower-cased, without punctuation and spaces. Finds whole
//!   words (数控, 操作工, PLC) and ranks on them.
//! - `bigram`: every pair of adjacent Han characters, plus Latin/digit words lower-cased.
//!   Jieba keeps some words whole (电子信息工程, 仓管员), so a word inside them is never a
//!   jieba token; a phrase of bigrams finds *any* run of two or more Han characters that
//!   stands verbatim in the text.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

pub const ZH: &str = "zh";
pub const BIGRAM: &str = "bigram";

pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// Tokens collected up front; both tokenizers produce them this way.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn token(from: usize, to: usize, position: usize, text: String) -> Token {
    Token { offset_from: from, offset_to: to, position, text, position_length: 1 }
}

/// Jieba (search mode, dictionary only: bigrams already find what the HMM would guess)
/// without punctuation or spaces, lower-cased, at most 40 bytes a token.
#[derive(Clone)]
pub struct ZhTokenizer {
    jieba: JiebaTokenizer,
}

impl Default for ZhTokenizer {
    fn default() -> Self {
        Self { jieba: JiebaTokenizer::with_hmm(false) }
    }
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut stream = self.jieba.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            if t.text.len() > 40 || !t.text.chars().any(|c| c.is_alphanumeric()) {
                continue;
            }
            tokens.push(token(t.offset_from, t.offset_to, t.position, t.text.to_lowercase()));
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Han bigrams (a lone Han character stays a unigram) and lower-cased Latin/digit words.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: bigrams(text), next: 0 }
    }
}

/// The bigram tokens of `text`, positions counted in tokens.
pub fn bigrams(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |(b, _)| *b);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_han(c) {
            let mut j = i;
            while j + 1 < chars.len() && is_han(chars[j + 1].1) {
                j += 1;
            }
            if j == i {
                tokens.push(token(start, end_of(i), tokens.len(), c.to_string()));
            } else {
                for k in i..j {
                    let text: String = [chars[k].1, chars[k + 1].1].iter().collect();
                    tokens.push(token(chars[k].0, end_of(k + 1), tokens.len(), text));
                }
            }
            i = j + 1;
        } else if is_word_char(c) {
            let mut j = i;
            while j + 1 < chars.len() && is_word_char(chars[j + 1].1) {
                j += 1;
            }
            tokens.push(token(start, end_of(j), tokens.len(), text[start..end_of(j)].to_lowercase()));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    tokens
}

/// The jieba tokens of `text` (as the `zh` field indexes them).
pub fn words(text: &str) -> Vec<String> {
    let mut tokenizer = ZhTokenizer::default();
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
    index.tokenizers().register(ZH, ZhTokenizer::default());
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
