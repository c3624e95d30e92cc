//! A ranked list kept by small forms — a graduate's choices, a posting's shortlist: add an
//! entry, move one up or down, remove it. The list after the change is read as the API
//! reads its body, so the API's limits (how many, no repeats) hold for the pages too.

use super::form::FormData;
use crate::domain::{FieldErrors, Parse};

/// One kind of ranked list: the forms' field names and the catalogue keys it answers with.
pub struct RankedList {
    /// The form field naming the entry acted on (`posting_id`).
    pub field: &'static str,
    /// The body field of the whole list (`posting_ids`).
    pub list_field: &'static str,
    /// At most this many entries, and the key of the refusal to add one more; `None`: the
    /// API's parse of the list judges.
    pub max: Option<(usize, &'static str)>,
    /// Refusals: a form that makes no sense, an entry not on the list.
    pub bad_form: &'static str,
    pub not_listed: &'static str,
    /// Flash messages: already listed, added, moved, removed.
    pub already: &'static str,
    pub added: &'static str,
    pub moved: &'static str,
    pub removed: &'static str,
}

impl RankedList {
    /// The list after the form's operation (`op`: add, up, down, remove), and the flash
    /// message to leave; or the catalogue key of why the form makes no sense.
    pub fn edited(&self, form: &FormData, current: &[i64]) -> Result<(Vec<i64>, &'static str), &'static str> {
        let entry =
            || form.get(self.field).and_then(|v| v.parse::<i64>().ok()).filter(|id| *id > 0).ok_or(self.bad_form);
        let position = |id: i64| current.iter().position(|e| *e == id).ok_or(self.not_listed);
        let mut ids = current.to_vec();
        match form.get("op") {
            Some("add") => {
                let id = entry()?;
                if ids.contains(&id) {
                    return Ok((ids, self.already));
                }
                match self.max {
                    Some((max, full)) if ids.len() >= max => return Err(full),
                    _ => {}
                }
                ids.push(id);
                Ok((ids, self.added))
            }
            Some("up") => {
                let at = position(entry()?)?;
                if at > 0 {
                    ids.swap(at, at - 1);
                }
                Ok((ids, self.moved))
            }
            Some("down") => {
                let at = position(entry()?)?;
                if at + 1 < ids.len() {
                    ids.swap(at, at + 1);
                }
                Ok((ids, self.moved))
            }
            Some("remove") => {
                let at = position(entry()?)?;
                ids.remove(at);
                Ok((ids, self.removed))
            }
            _ => Err(self.bad_form),
        }
    }

    /// The list read as the API reads a body of it (`RankedPostings`, `RankedGraduates`).
    pub fn parse<T: Parse>(&self, ids: &[i64]) -> Result<T, FieldErrors> {
        // The leading empty value makes even an empty list a list.
        let values = std::iter::once(String::new()).chain(ids.iter().map(i64::to_string));
        FormData(values.map(|v| (self.list_field.to_string(), v)).collect()).parse::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: RankedList = RankedList {
        field: "id",
        list_field: "ids",
        max: Some((4, "full")),
        bad_form: "bad",
        not_listed: "not-listed",
        already: "already",
        added: "added",
        moved: "moved",
        removed: "removed",
    };

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn edited(op: &str, id: &str, list: &[i64]) -> Result<(Vec<i64>, &'static str), &'static str> {
        LIST.edited(&form(&[("op", op), ("id", id)]), list)
    }

    #[test]
    fn moves_adds_and_removes() {
        let list = [1, 2, 3];
        assert_eq!(edited("up", "3", &list), Ok((vec![1, 3, 2], "moved")));
        assert_eq!(edited("up", "1", &list).unwrap().0, [1, 2, 3]);
        assert_eq!(edited("down", "1", &list).unwrap().0, [2, 1, 3]);
        assert_eq!(edited("down", "3", &list).unwrap().0, [1, 2, 3]);
        assert_eq!(edited("remove", "2", &list), Ok((vec![1, 3], "removed")));
        assert_eq!(edited("add", "9", &list), Ok((vec![1, 2, 3, 9], "added")));
        assert_eq!(edited("add", "2", &list), Ok((vec![1, 2, 3], "already")));
        assert_eq!(edited("down", "7", &list), Err("not-listed"));
        assert_eq!(edited("jump", "1", &list), Err("bad"));
        assert_eq!(edited("add", "x", &list), Err("bad"));
        assert_eq!(edited("add", "-4", &list), Err("bad"));
    }

    #[test]
    fn a_full_list_takes_no_more_but_still_moves() {
        let full = [1, 2, 3, 4];
        assert_eq!(edited("add", "9", &full), Err("full"));
        assert_eq!(edited("add", "2", &full).unwrap().1, "already");
        assert_eq!(edited("up", "4", &full).unwrap().0, [1, 2, 4, 3]);
        let unlimited = RankedList { max: None, ..LIST };
        assert_eq!(unlimited.edited(&form(&[("op", "add"), ("id", "9")]), &full).unwrap().0, [1, 2, 3, 4, 9]);
    }
}
