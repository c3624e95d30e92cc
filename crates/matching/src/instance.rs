//! A matching instance on dense indices: graduates `0..n` rank postings, postings `0..m` rank
//! graduates, each posting has a capacity.
//!
//! Lists are stored flat (one offsets array and one entries array per side) because the solver
//! walks millions of entries and a `Vec<Vec<u32>>` would scatter them over the heap.

use std::fmt;

/// Ranked lists of one side, flat: row `i` is `entries[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lists {
    pub(crate) offsets: Vec<u32>,
    pub(crate) entries: Vec<u32>,
}

impl Lists {
    pub(crate) fn from_rows(rows: &[Vec<u32>]) -> Lists {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        let mut entries = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        offsets.push(0);
        for row in rows {
            entries.extend_from_slice(row);
            offsets.push(entries.len() as u32);
        }
        Lists { offsets, entries }
    }

    pub(crate) fn count(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn range(&self, i: u32) -> std::ops::Range<usize> {
        self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize
    }

    pub(crate) fn row(&self, i: u32) -> &[u32] {
        &self.entries[self.range(i)]
    }
}

/// Preference lists and capacities, validated: every index is in range and no list names
/// anyone twice. A pair is acceptable only when each side lists the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub(crate) graduates: Lists,
    pub(crate) postings: Lists,
    pub(crate) capacities: Vec<u32>,
}

/// Why [`Instance::new`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceError {
    PostingOutOfRange { graduate: u32, position: u32, posting: u32, postings: usize },
    GraduateOutOfRange { posting: u32, position: u32, graduate: u32, graduates: usize },
    DuplicatePosting { graduate: u32, posting: u32, first: u32, second: u32 },
    DuplicateGraduate { posting: u32, graduate: u32, first: u32, second: u32 },
    CapacityCount { postings: usize, capacities: usize },
    TooLarge,
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PostingOutOfRange { graduate, position, posting, postings } => write!(
                f,
                "graduate {graduate} lists posting {posting} at position {position}, but there are {postings} postings"
            ),
            Self::GraduateOutOfRange { posting, position, graduate, graduates } => write!(
                f,
                "posting {posting} lists graduate {graduate} at position {position}, but there are {graduates} graduates"
            ),
            Self::DuplicatePosting { graduate, posting, first, second } => {
                write!(f, "graduate {graduate} lists posting {posting} twice, at positions {first} and {second}")
            }
            Self::DuplicateGraduate { posting, graduate, first, second } => {
                write!(f, "posting {posting} lists graduate {graduate} twice, at positions {first} and {second}")
            }
            Self::CapacityCount { postings, capacities } => {
                write!(f, "{postings} postings have lists but {capacities} have capacities")
            }
            Self::TooLarge => f.write_str("an instance holds fewer than 2^32 - 1 list entries and people per side"),
        }
    }
}

impl std::error::Error for InstanceError {}

impl Instance {
    /// Validates: every index in range, no duplicate within one list, one capacity per posting.
    /// An error names the graduate or posting index and the position in its list.
    pub fn new(
        graduates: Vec<Vec<u32>>,
        postings: Vec<Vec<u32>>,
        capacities: Vec<u32>,
    ) -> Result<Instance, InstanceError> {
        if capacities.len() != postings.len() {
            return Err(InstanceError::CapacityCount { postings: postings.len(), capacities: capacities.len() });
        }
        let total = |rows: &[Vec<u32>]| rows.iter().map(Vec::len).sum::<usize>();
        let limit = u32::MAX as usize;
        if graduates.len() >= limit
            || postings.len() >= limit
            || total(&graduates) >= limit
            || total(&postings) >= limit
        {
            return Err(InstanceError::TooLarge);
        }
        check_rows(&graduates, postings.len(), |graduate, position, posting, first| match first {
            None => InstanceError::PostingOutOfRange { graduate, position, posting, postings: postings.len() },
            Some(first) => InstanceError::DuplicatePosting { graduate, posting, first, second: position },
        })?;
        check_rows(&postings, graduates.len(), |posting, position, graduate, first| match first {
            None => InstanceError::GraduateOutOfRange { posting, position, graduate, graduates: graduates.len() },
            Some(first) => InstanceError::DuplicateGraduate { posting, graduate, first, second: position },
        })?;
        Ok(Instance { graduates: Lists::from_rows(&graduates), postings: Lists::from_rows(&postings), capacities })
    }

    /// For callers that built flat lists they already validated (the instance file reader).
    pub(crate) fn from_lists(graduates: Lists, postings: Lists, capacities: Vec<u32>) -> Instance {
        debug_assert_eq!(postings.count(), capacities.len());
        debug_assert!(graduates.entries.iter().all(|&p| (p as usize) < postings.count()));
        debug_assert!(postings.entries.iter().all(|&g| (g as usize) < graduates.count()));
        Instance { graduates, postings, capacities }
    }

    pub fn graduates(&self) -> usize {
        self.graduates.count()
    }

    pub fn postings(&self) -> usize {
        self.postings.count()
    }

    /// The postings graduate `g` ranks, best first.
    pub fn graduate_list(&self, g: u32) -> &[u32] {
        self.graduates.row(g)
    }

    /// The graduates posting `p` ranks, best first.
    pub fn posting_list(&self, p: u32) -> &[u32] {
        self.postings.row(p)
    }

    pub fn capacity(&self, p: u32) -> u32 {
        self.capacities[p as usize]
    }
}

/// Checks that every entry is below `others` and appears once in its row. `error` gets
/// (row, position, entry, earlier position of the same entry if it is a duplicate).
fn check_rows(
    rows: &[Vec<u32>],
    others: usize,
    error: impl Fn(u32, u32, u32, Option<u32>) -> InstanceError,
) -> Result<(), InstanceError> {
    // Stamped with the row number, so the scratch arrays are never cleared between rows.
    let mut seen_in = vec![u32::MAX; others];
    let mut seen_at = vec![0u32; others];
    for (row, list) in rows.iter().enumerate() {
        let row = row as u32;
        for (position, &other) in list.iter().enumerate() {
            let position = position as u32;
            let Some(slot) = seen_in.get_mut(other as usize) else {
                return Err(error(row, position, other, None));
            };
            if *slot == row {
                return Err(error(row, position, other, Some(seen_at[other as usize])));
            }
            *slot = row;
            seen_at[other as usize] = position;
        }
    }
    Ok(())
}
