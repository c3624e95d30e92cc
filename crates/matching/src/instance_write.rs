//! Writing instance files and solver output as JSON text.

use super::deferred_acceptance::Assignment;
use super::named_instance::NamedInstance;
use std::fmt::Write;

impl NamedInstance {
    /// The instance file format that [`NamedInstance::from_json`] reads, one graduate, posting
    /// or capacity per line.
    pub fn to_json(&self) -> String {
        let (instance, graduates, postings) = (self.instance(), self.graduate_ids(), self.posting_ids());
        let average_id = |ids: &[String]| ids.iter().take(64).map(String::len).max().unwrap_or(0) + 4;
        let mut out = String::with_capacity(
            instance.graduates.entries.len() * average_id(postings)
                + instance.postings.entries.len() * average_id(graduates)
                + (graduates.len() + 2 * postings.len()) * 16,
        );
        out.push_str("{\"graduates\": ");
        let rows = graduates.iter().enumerate().map(|(g, id)| (id, instance.graduate_list(g as u32)));
        push_section(&mut out, rows, |out, list| push_id_list(out, list, postings));
        out.push_str(",\n\"postings\": ");
        let rows = postings.iter().enumerate().map(|(p, id)| (id, instance.posting_list(p as u32)));
        push_section(&mut out, rows, |out, list| push_id_list(out, list, graduates));
        out.push_str(",\n\"capacities\": ");
        push_section(&mut out, postings.iter().zip(&instance.capacities), |out, capacity| {
            write!(out, "{capacity}").expect("writing to a String");
        });
        out.push_str("}\n");
        out
    }

    /// `{"assignment": {"g1": "p2", …}, "unmatched": ["g2", …]}`, graduates in instance order.
    ///
    /// # Panics
    /// If the assignment does not have one entry per graduate or names a posting out of range.
    pub fn assignment_json(&self, assignment: &Assignment) -> String {
        let (graduates, postings) = (self.graduate_ids(), self.posting_ids());
        assert_eq!(assignment.posting_of.len(), graduates.len(), "one assignment entry per graduate");
        let mut out = String::with_capacity(graduates.len() * 24 + 64);
        out.push_str("{\"assignment\": {");
        let matched = graduates.iter().zip(&assignment.posting_of).filter_map(|(g, p)| Some((g, (*p)?)));
        for (k, (graduate, posting)) in matched.enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            push_json_str(&mut out, graduate);
            out.push_str(": ");
            push_json_str(&mut out, &postings[posting as usize]);
        }
        out.push_str("}, \"unmatched\": [");
        let unmatched = graduates.iter().zip(&assignment.posting_of).filter(|(_, p)| p.is_none());
        for (k, (graduate, _)) in unmatched.enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            push_json_str(&mut out, graduate);
        }
        out.push_str("]}\n");
        out
    }
}

fn push_id_list(out: &mut String, list: &[u32], ids: &[String]) {
    out.push('[');
    for (k, &i) in list.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        push_json_str(out, &ids[i as usize]);
    }
    out.push(']');
}

/// An object with one `"key": value` per line, or `{}` when empty.
fn push_section<'a, V>(
    out: &mut String,
    rows: impl Iterator<Item = (&'a String, V)>,
    mut value: impl FnMut(&mut String, V),
) {
    out.push('{');
    let mut first = true;
    for (key, row) in rows {
        out.push_str(if first { "\n " } else { ",\n " });
        first = false;
        push_json_str(out, key);
        out.push_str(": ");
        value(out, row);
    }
    out.push('}');
}

/// Appends `text` as a JSON string literal.
pub(crate) fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        if escape.is_empty() {
            write!(out, "\\u{byte:04x}").expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}
