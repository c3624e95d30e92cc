//! Character classes the tokenizers ask about for every character, answered without
//! Unicode's tables for ASCII, Han and common Chinese punctuation (a table lookup for
//! every comma took a few per cent of a rebuild).

pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Punctuation common in Chinese text (none of it alphanumeric, none of it Han).
pub fn is_common_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '：'
            | '；'
            | '！'
            | '？'
            | '（'
            | '）'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '—'
            | '～'
            | '《'
            | '》'
            | '【'
            | '】'
            | '·'
            | '…'
            | '\u{3000}'
    )
}

/// `char::is_alphanumeric`.
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        // Unified ideographs, every one assigned (the other Han blocks have gaps).
        true
    } else {
        !is_common_punctuation(c) && c.is_alphanumeric()
    }
}

/// `char::is_uppercase`.
pub fn is_uppercase(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_uppercase() } else { !is_han(c) && c.is_uppercase() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_classes_agree_with_unicode() {
        let samples = ('\0'..='\u{FFFF}').step_by(7).chain("，。、：；！？（）“”—～《》【】·…〇々ÄÖéΩЖＡａ１".chars());
        for c in samples {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
        assert!("，。、：；！？（）“”‘’—～《》【】·…\u{3000}".chars().all(|c| is_common_punctuation(c) && !is_han(c)));
    }
}
