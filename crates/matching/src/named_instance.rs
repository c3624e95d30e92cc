//! An [`Instance`] together with the string ids of its graduates and postings: what the
//! instance file holds, what a round's inputs are, and how the service builds an instance from
//! its own ids.
//!
//! The file format (see DESIGN.md, "Instance file"):
//! `{"graduates": {"g1": ["p2", "p1"]}, "postings": {"p1": ["g1"]}, "capacities": {"p1": 1, "p2": 1}}`.
//! - All three keys are required; other top-level keys are ignored (a round adds its own).
//! - The postings are the keys of "postings" and "capacities" together. Every posting needs a
//!   capacity; a posting with a capacity and no list ranks nobody. A posting with a list and no
//!   capacity is an error, since silently giving it no seats would hide a mistake.
//! - In lists, an id is a string or a non-negative integer (45 is the id "45").
//! - Graduates and postings are numbered in the order their keys first appear in the file.

use super::id_table::IdTable;
use super::instance::Instance;
use super::instance_file_error::InstanceFileError;

/// An instance with the ids of its graduates (index `g` is `graduate_ids()[g]`) and postings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedInstance {
    graduate_ids: Vec<String>,
    posting_ids: Vec<String>,
    instance: Instance,
}

impl NamedInstance {
    /// Names an instance's graduates and postings. Ids must be unique per side.
    pub fn new(
        graduate_ids: Vec<String>,
        posting_ids: Vec<String>,
        instance: Instance,
    ) -> Result<Self, InstanceFileError> {
        for (side, ids, expected) in
            [("graduates", &graduate_ids, instance.graduates()), ("postings", &posting_ids, instance.postings())]
        {
            if ids.len() != expected {
                return Err(InstanceFileError::IdCount { side, ids: ids.len(), expected });
            }
            let mut seen = IdTable::default();
            if let Some((_, id)) = ids.iter().enumerate().find(|&(i, id)| seen.number(id) as usize != i) {
                let section = if side == "graduates" { "graduate ids" } else { "posting ids" };
                return Err(InstanceFileError::DuplicateKey { section, key: id.clone() });
            }
        }
        Ok(NamedInstance { graduate_ids, posting_ids, instance })
    }

    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    pub fn graduate_ids(&self) -> &[String] {
        &self.graduate_ids
    }

    pub fn posting_ids(&self) -> &[String] {
        &self.posting_ids
    }

    pub fn into_parts(self) -> (Instance, Vec<String>, Vec<String>) {
        (self.instance, self.graduate_ids, self.posting_ids)
    }

    /// For the builder, whose ids are unique by construction.
    pub(crate) fn from_unique_ids(graduate_ids: Vec<String>, posting_ids: Vec<String>, instance: Instance) -> Self {
        debug_assert_eq!((graduate_ids.len(), posting_ids.len()), (instance.graduates(), instance.postings()));
        NamedInstance { graduate_ids, posting_ids, instance }
    }
}
