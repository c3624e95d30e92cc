//! Drawing from the vocabularies and filling templates: what the posting and graduate
//! generators share.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

pub(super) fn pick<'t, T>(rng: &mut StdRng, from: &'t [T]) -> &'t T {
    from.choose(rng).expect("demo vocabularies are not empty")
}

/// [`pick`] for lists of references (`&str`, `&Trade`), by value.
pub(super) fn pick_copy<T: Copy>(rng: &mut StdRng, from: &[T]) -> T {
    *pick(rng, from)
}

/// Up to `max` distinct items (at least `min`, as far as there are any).
pub(super) fn pick_some<'t, T>(rng: &mut StdRng, from: &'t [T], min: usize, max: usize) -> Vec<&'t T> {
    let max = max.min(from.len());
    let n = rng.random_range(min.min(max)..=max);
    from.choose_multiple(rng, n).collect()
}

/// Replace `{key}` by its value.
pub(super) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    fill_into(&mut out, template, values);
    out
}

/// Append `template` to `out` with each `{key}` replaced by its value (unknown keys stay).
pub(super) fn fill_into(out: &mut String, template: &str, values: &[(&str, &str)]) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((values.iter().find(|(k, _)| *k == &after[..close])?, close))) {
            Some(((_, value), close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Append the items to `out`, separated by `separator`.
pub(super) fn join_into<S: AsRef<str>>(out: &mut String, items: &[S], separator: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
}
