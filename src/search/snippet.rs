//! Snippets: a window of the text around the first match, matched terms in `<mark>`,
//! everything else HTML-escaped.

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    text.chars().for_each(|c| push_escaped(&mut out, c));
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// `c` without case, as `char::to_lowercase` gives it (its first char). ASCII and the CJK
/// blocks, nearly all of our text, skip the Unicode tables.
#[inline]
fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if ('\u{2E80}'..='\u{9FFF}').contains(&c) {
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Highlight every occurrence of `terms` (case-insensitive) in `text`, showing at most
/// `width` characters around the first one.
pub fn snippet(text: &str, terms: &[String], width: usize) -> String {
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.chars().flat_map(char::to_lowercase).collect())
        .filter(|n: &Vec<char>| !n.is_empty())
        .collect();
    let lower: Vec<char> = text.chars().map(fold).collect();
    let found = |needle: &[char], from: usize| -> Option<usize> {
        let last = lower.len().checked_sub(needle.len())?;
        (from..=last).find(|&at| lower[at] == needle[0] && lower[at..at + needle.len()] == needle[..])
    };
    let first = needles.iter().filter_map(|n| found(n, 0)).min().unwrap_or(0);
    let start = first.saturating_sub(width / 4);
    let end = (start + width).min(lower.len());
    // Marks inside the window only: a match may begin before it and reach into it.
    let mut marked = vec![false; end - start];
    for needle in &needles {
        let mut from = start.saturating_sub(needle.len() - 1);
        while let Some(at) = found(needle, from).filter(|at| *at < end) {
            let (a, b) = (at.max(start), (at + needle.len()).min(end));
            marked[a - start..b - start].iter_mut().for_each(|m| *m = true);
            from = at + 1;
        }
    }
    let mut out = String::with_capacity((end - start) * 3 + 32);
    if start > 0 {
        out.push('…');
    }
    let mut open = false;
    for (c, marked) in text.chars().skip(start).zip(marked) {
        if marked && !open {
            out.push_str("<mark>");
            open = true;
        } else if !marked && open {
            out.push_str("</mark>");
            open = false;
        }
        push_escaped(&mut out, c);
    }
    if open {
        out.push_str("</mark>");
    }
    if end < lower.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The first implementation, plain and slow: every char folded by the tables, every
    /// match marked over the whole text. The fast one must say exactly what it said.
    fn reference(text: &str, terms: &[String], width: usize) -> String {
        let chars: Vec<char> = text.chars().collect();
        let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
        let mut marked = vec![false; chars.len()];
        for term in terms {
            let needle: Vec<char> = term.chars().flat_map(char::to_lowercase).collect();
            if needle.is_empty() || needle.len() > lower.len() {
                continue;
            }
            for start in 0..=lower.len() - needle.len() {
                if lower[start..start + needle.len()] == needle[..] {
                    marked[start..start + needle.len()].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        let first = marked.iter().position(|m| *m).unwrap_or(0);
        let start = first.saturating_sub(width / 4);
        let end = (start + width).min(chars.len());
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        let mut open = false;
        for i in start..end {
            if marked[i] && !open {
                out.push_str("<mark>");
                open = true;
            } else if !marked[i] && open {
                out.push_str("</mark>");
                open = false;
            }
            push_escaped(&mut out, chars[i]);
        }
        if open {
            out.push_str("</mark>");
        }
        if end < chars.len() {
            out.push('…');
        }
        out
    }

    proptest! {
        #[test]
        fn says_what_the_plain_implementation_said(
            text in "[数控电工aAbBİσΣ<&焊 ；]{0,60}",
            terms in prop::collection::vec("[数控电工aAbBİσΣ焊]{0,3}", 0..4),
            width in 1usize..40,
        ) {
            prop_assert_eq!(snippet(&text, &terms, width), reference(&text, &terms, width));
        }
    }

    #[test]
    fn marks_terms_and_escapes_the_rest() {
        let s = snippet("<script>alert(1)</script> 数控车床操作", &["数控".into()], 200);
        assert_eq!(s, "&lt;script&gt;alert(1)&lt;/script&gt; <mark>数控</mark>车床操作");
    }

    #[test]
    fn latin_terms_match_without_regard_to_case() {
        assert_eq!(snippet("SMT贴片", &["smt".into()], 50), "<mark>SMT</mark>贴片");
    }

    #[test]
    fn overlapping_terms_merge_into_one_mark() {
        assert_eq!(snippet("电子信息工程", &["电子信息".into(), "信息工程".into()], 50), "<mark>电子信息工程</mark>");
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{}焊工{}", "甲".repeat(100), "乙".repeat(100));
        let s = snippet(&text, &["焊工".into()], 20);
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("<mark>焊工</mark>"), "{s}");
    }
}
