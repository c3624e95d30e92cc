//! Building a [`NamedInstance`] id by id: what the file reader does, and what a caller with
//! ids in hand can do.

use super::id_table::IdTable;
use super::instance::{Instance, Lists};
use super::instance_file_error::InstanceFileError;
use super::named_instance::NamedInstance;

/// Builds a [`NamedInstance`] from string ids, checking what the file reader checks, e.g.
/// numeric ids written as strings:
///
/// ```
/// # use xiaoqi_matching::InstanceBuilder;
/// let mut builder = InstanceBuilder::default();
/// builder.graduate("7", ["45", "46"])?;
/// builder.posting("45", 2, ["7"])?;
/// builder.posting("46", 1, [] as [&str; 0])?;
/// let named = builder.build()?;
/// assert_eq!(named.posting_ids(), ["45", "46"]);
/// # Ok::<(), xiaoqi_matching::InstanceFileError>(())
/// ```
///
/// Graduates and postings are indexed in the order they are first added. After an error the
/// builder holds part of the refused call: drop it.
#[derive(Debug, Default)]
pub struct InstanceBuilder {
    graduate_ids: Side,
    posting_ids: Side,
    /// Rows in graduate order; entries are provisional posting numbers until `build`.
    graduate_lists: OpenLists,
    /// Rows in the order given; entries are provisional graduate numbers until `build`.
    posting_lists: OpenLists,
    /// The posting index of each row of `posting_lists`.
    posting_list_owner: Vec<u32>,
    /// Per posting index.
    has_list: Vec<bool>,
    capacities: Vec<Option<u32>>,
    /// The id whose list or capacity is being added, for error messages.
    owner: String,
    /// The index of the posting whose capacity is being added.
    capacity_of: u32,
    /// Scratch for batches of ids.
    numbers: Vec<u32>,
}

/// Lists being read: `starts` holds where each row starts, the last row runs to the end.
#[derive(Debug, Default)]
struct OpenLists {
    starts: Vec<u32>,
    entries: Vec<u32>,
}

impl OpenLists {
    fn start_row(&mut self) {
        self.starts.push(self.entries.len() as u32);
    }

    fn next_position(&self) -> u32 {
        self.entries.len() as u32 - self.starts.last().copied().unwrap_or(0)
    }

    fn close(self) -> Lists {
        let OpenLists { mut starts, entries } = self;
        starts.push(entries.len() as u32);
        Lists { offsets: starts, entries }
    }
}

/// One side's ids. Ids get a number when first seen anywhere (possibly in the other side's
/// lists, before their own key), and their index when their key is seen.
#[derive(Debug, Default)]
struct Side {
    ids: IdTable,
    index_of: Vec<u32>,
    defined: u32,
    /// Duplicate detection within one list: the row that last listed the id, and where.
    last_row: Vec<u32>,
    last_position: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Side {
    fn number(&mut self, id: &str) -> Result<u32, InstanceFileError> {
        let number = self.ids.number(id);
        self.cover_new_ids()?;
        Ok(number)
    }

    fn numbers(&mut self, ids: &[&str], numbers: &mut Vec<u32>) -> Result<(), InstanceFileError> {
        self.ids.numbers(ids, numbers);
        self.cover_new_ids()
    }

    fn cover_new_ids(&mut self) -> Result<(), InstanceFileError> {
        let count = self.ids.len();
        if count >= NONE as usize {
            return Err(InstanceFileError::TooLarge);
        }
        self.index_of.resize(count, NONE);
        self.last_row.resize(count, NONE);
        self.last_position.resize(count, 0);
        Ok(())
    }

    /// The id's index, and whether this is its first definition.
    fn define(&mut self, id: &str) -> Result<(u32, bool), InstanceFileError> {
        let n = self.number(id)? as usize;
        if self.index_of[n] != NONE {
            return Ok((self.index_of[n], false));
        }
        self.index_of[n] = self.defined;
        self.defined += 1;
        Ok((self.index_of[n], true))
    }

    /// Frees what only adding ids needs, before the ids are copied out.
    fn forget_lookups(&mut self) {
        self.ids.forget_lookups();
        self.last_row = Vec::new();
        self.last_position = Vec::new();
    }

    fn id_numbered(&self, n: u32) -> String {
        self.ids.id(n).to_string()
    }

    /// Error path only: a linear scan.
    fn id_indexed(&self, index: u32) -> String {
        self.index_of.iter().position(|&i| i == index).map(|n| self.id_numbered(n as u32)).unwrap_or_default()
    }

    /// Ids by index; ids that were only referenced are dropped.
    fn into_ids(self) -> Vec<String> {
        let mut ids = vec![String::new(); self.defined as usize];
        for (id, &index) in self.ids.ids().zip(&self.index_of) {
            if index != NONE {
                ids[index as usize] = id.to_string();
            }
        }
        ids
    }
}

impl InstanceBuilder {
    /// Adds a graduate with its ranked posting ids, best first.
    pub fn graduate<S: AsRef<str>>(
        &mut self,
        id: &str,
        postings: impl IntoIterator<Item = S>,
    ) -> Result<(), InstanceFileError> {
        self.begin_graduate(id)?;
        postings.into_iter().try_for_each(|p| self.push_posting(p.as_ref()))
    }

    /// Adds a posting with its capacity and ranked graduate ids, best first.
    pub fn posting<S: AsRef<str>>(
        &mut self,
        id: &str,
        capacity: u32,
        graduates: impl IntoIterator<Item = S>,
    ) -> Result<(), InstanceFileError> {
        self.begin_capacity(id)?;
        self.set_capacity(capacity);
        self.begin_posting(id)?;
        graduates.into_iter().try_for_each(|g| self.push_graduate(g.as_ref()))
    }

    /// Room for this many entries in each side's lists, so that they never move while growing.
    pub(crate) fn reserve_entries(&mut self, per_side: usize) {
        self.graduate_lists.entries.reserve(per_side);
        self.posting_lists.entries.reserve(per_side);
    }

    /// Starts graduate `id`'s list; [`Self::push_posting`] adds to it.
    pub(crate) fn begin_graduate(&mut self, id: &str) -> Result<(), InstanceFileError> {
        let (_, new) = self.graduate_ids.define(id)?;
        if !new {
            return Err(InstanceFileError::DuplicateKey { section: "\"graduates\"", key: id.to_string() });
        }
        self.graduate_lists.start_row();
        set_owner(&mut self.owner, id);
        Ok(())
    }

    pub(crate) fn push_posting(&mut self, id: &str) -> Result<(), InstanceFileError> {
        let n = self.posting_ids.number(id)?;
        push_entry(&mut self.graduate_lists, &mut self.posting_ids, n, "graduates", &self.owner)
    }

    /// Like [`Self::push_posting`] for each id; faster on long lists.
    pub(crate) fn push_postings(&mut self, ids: &[&str]) -> Result<(), InstanceFileError> {
        let mut numbers = std::mem::take(&mut self.numbers);
        numbers.clear();
        self.posting_ids.numbers(ids, &mut numbers)?;
        let pushed = numbers.iter().try_for_each(|&n| {
            push_entry(&mut self.graduate_lists, &mut self.posting_ids, n, "graduates", &self.owner)
        });
        self.numbers = numbers;
        pushed
    }

    /// Starts posting `id`'s list; [`Self::push_graduate`] adds to it.
    pub(crate) fn begin_posting(&mut self, id: &str) -> Result<(), InstanceFileError> {
        let index = self.define_posting(id)?;
        if std::mem::replace(&mut self.has_list[index as usize], true) {
            return Err(InstanceFileError::DuplicateKey { section: "\"postings\"", key: id.to_string() });
        }
        self.posting_list_owner.push(index);
        self.posting_lists.start_row();
        set_owner(&mut self.owner, id);
        Ok(())
    }

    pub(crate) fn push_graduate(&mut self, id: &str) -> Result<(), InstanceFileError> {
        let n = self.graduate_ids.number(id)?;
        push_entry(&mut self.posting_lists, &mut self.graduate_ids, n, "postings", &self.owner)
    }

    /// Like [`Self::push_graduate`] for each id; faster on long lists.
    pub(crate) fn push_graduates(&mut self, ids: &[&str]) -> Result<(), InstanceFileError> {
        let mut numbers = std::mem::take(&mut self.numbers);
        numbers.clear();
        self.graduate_ids.numbers(ids, &mut numbers)?;
        let pushed = numbers
            .iter()
            .try_for_each(|&n| push_entry(&mut self.posting_lists, &mut self.graduate_ids, n, "postings", &self.owner));
        self.numbers = numbers;
        pushed
    }

    /// Starts posting `id`'s capacity; [`Self::set_capacity`] gives it.
    pub(crate) fn begin_capacity(&mut self, id: &str) -> Result<(), InstanceFileError> {
        let index = self.define_posting(id)?;
        if self.capacities[index as usize].is_some() {
            return Err(InstanceFileError::DuplicateKey { section: "\"capacities\"", key: id.to_string() });
        }
        self.capacity_of = index;
        set_owner(&mut self.owner, id);
        Ok(())
    }

    pub(crate) fn set_capacity(&mut self, capacity: u32) {
        self.capacities[self.capacity_of as usize] = Some(capacity);
    }

    /// The id of the list or capacity being read.
    pub(crate) fn owner(&self) -> &str {
        &self.owner
    }

    /// The position the next entry of the current graduate's or posting's list will have.
    pub(crate) fn next_position(&self, in_graduate_list: bool) -> u32 {
        if in_graduate_list { self.graduate_lists.next_position() } else { self.posting_lists.next_position() }
    }

    fn define_posting(&mut self, id: &str) -> Result<u32, InstanceFileError> {
        let (index, new) = self.posting_ids.define(id)?;
        if new {
            self.has_list.push(false);
            self.capacities.push(None);
        }
        Ok(index)
    }

    /// Checks that every referenced id was defined and every list has a capacity, and numbers
    /// the lists' entries by index.
    pub fn build(self) -> Result<NamedInstance, InstanceFileError> {
        let InstanceBuilder {
            mut graduate_ids,
            mut posting_ids,
            graduate_lists,
            posting_lists,
            posting_list_owner,
            has_list,
            capacities,
            ..
        } = self;
        graduate_ids.forget_lookups();
        posting_ids.forget_lookups();
        let (mut graduate_lists, mut posting_lists) = (graduate_lists.close(), posting_lists.close());
        if let Some(index) = capacities.iter().position(Option::is_none) {
            return Err(InstanceFileError::MissingCapacity { posting: posting_ids.id_indexed(index as u32) });
        }
        renumber(&mut graduate_lists.entries, &posting_ids.index_of).map_err(|(entry, n)| {
            let (row, position) = locate(&graduate_lists, entry);
            InstanceFileError::UnknownPosting {
                id: posting_ids.id_numbered(n),
                graduate: graduate_ids.id_indexed(row),
                position,
            }
        })?;
        renumber(&mut posting_lists.entries, &graduate_ids.index_of).map_err(|(entry, n)| {
            let (row, position) = locate(&posting_lists, entry);
            InstanceFileError::UnknownGraduate {
                id: graduate_ids.id_numbered(n),
                posting: posting_ids.id_indexed(posting_list_owner[row as usize]),
                position,
            }
        })?;
        let posting_lists = in_index_order(posting_lists, &posting_list_owner, has_list.len());
        let capacities = capacities.into_iter().map(|c| c.unwrap_or(0)).collect();
        let instance = Instance::from_lists(graduate_lists, posting_lists, capacities);
        Ok(NamedInstance::from_unique_ids(graduate_ids.into_ids(), posting_ids.into_ids(), instance))
    }
}

fn set_owner(owner: &mut String, id: &str) {
    owner.clear();
    owner.push_str(id);
}

fn push_entry(
    lists: &mut OpenLists,
    ids: &mut Side,
    n: u32,
    side: &'static str,
    owner: &str,
) -> Result<(), InstanceFileError> {
    // Unique per row and never NONE, so the stamps need no clearing between rows.
    let row = lists.starts.len() as u32;
    let position = lists.next_position();
    if ids.last_row[n as usize] == row {
        let first = ids.last_position[n as usize];
        return Err(InstanceFileError::DuplicateInList {
            side,
            owner: owner.to_string(),
            id: ids.id_numbered(n),
            first,
            second: position,
        });
    }
    if lists.entries.len() == NONE as usize - 1 {
        return Err(InstanceFileError::TooLarge);
    }
    ids.last_row[n as usize] = row;
    ids.last_position[n as usize] = position;
    lists.entries.push(n);
    Ok(())
}

/// Replaces provisional numbers by indices; fails with (entry, number) on an undefined id.
fn renumber(entries: &mut [u32], index_of: &[u32]) -> Result<(), (usize, u32)> {
    for (entry, slot) in entries.iter_mut().enumerate() {
        let index = index_of[*slot as usize];
        if index == NONE {
            return Err((entry, *slot));
        }
        *slot = index;
    }
    Ok(())
}

/// The row and position of an entry.
fn locate(lists: &Lists, entry: usize) -> (u32, u32) {
    let row = lists.offsets.partition_point(|&start| start as usize <= entry) - 1;
    (row as u32, (entry - lists.offsets[row] as usize) as u32)
}

/// Rows reordered by their owners' indices, with an empty row for each posting without a list.
fn in_index_order(lists: Lists, owner: &[u32], postings: usize) -> Lists {
    if owner.iter().enumerate().all(|(row, &index)| row as u32 == index) {
        let mut lists = lists;
        lists.offsets.resize(postings + 1, lists.entries.len() as u32);
        return lists;
    }
    let mut row_of = vec![NONE; postings];
    for (row, &index) in owner.iter().enumerate() {
        row_of[index as usize] = row as u32;
    }
    let mut ordered =
        Lists { offsets: Vec::with_capacity(postings + 1), entries: Vec::with_capacity(lists.entries.len()) };
    ordered.offsets.push(0);
    for row in row_of {
        if row != NONE {
            ordered.entries.extend_from_slice(lists.row(row));
        }
        ordered.offsets.push(ordered.entries.len() as u32);
    }
    ordered
}
