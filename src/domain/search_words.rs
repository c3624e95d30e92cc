//! The words of a search (`q`): bounded, because a search's cost grows with every word
//! and character it must match (each becomes terms, and each term a posting list to read).

/// Characters a search's text may hold (counted as Unicode code points, as JSON Schema's
/// `maxLength` counts them, before trimming).
pub const MAX_CHARS: usize = 100;

/// Words a search may hold, split on white space (a Chinese phrase without spaces is one).
pub const MAX_WORDS: usize = 10;

/// Whether `text` is within both bounds; the error says how to narrow it.
pub fn check(text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_CHARS {
        return Err(format!(
            "search text too long: at most {MAX_CHARS} characters; use a few specific words instead / 搜索词过长：最多 {MAX_CHARS} 个字符，请改用几个更具体的词"
        ));
    }
    if text.split_whitespace().count() > MAX_WORDS {
        return Err(format!(
            "too many words: at most {MAX_WORDS}; keep the most specific ones / 搜索词过多：最多 {MAX_WORDS} 个词，请只保留最具体的几个"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive_and_counted_in_characters_and_words() {
        assert!(check(&"仓".repeat(MAX_CHARS)).is_ok());
        assert!(check(&"仓".repeat(MAX_CHARS + 1)).is_err());
        let ten = ["电工"; MAX_WORDS].join(" ");
        assert!(check(&ten).is_ok());
        // The ideographic space separates words too.
        assert!(check(&format!("{ten}\u{3000}普工")).unwrap_err().contains("搜索词过多"));
    }
}
