//! What is wrong with an instance file, or with the ids given to an `InstanceBuilder` or to
//! `NamedInstance::new`: shared by the file reader, the builder and the named instance.

use std::fmt;

/// A problem in an instance file or in what was given to `InstanceBuilder`. One line, naming
/// the id or the position at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceFileError {
    Malformed {
        line: usize,
        column: usize,
        detail: String,
    },
    /// A value of the wrong kind where the format needs an object or a list; `detail` says where.
    WrongType {
        detail: String,
    },
    Missing(&'static str),
    DuplicateKey {
        section: &'static str,
        key: String,
    },
    UnknownPosting {
        id: String,
        graduate: String,
        position: u32,
    },
    UnknownGraduate {
        id: String,
        posting: String,
        position: u32,
    },
    DuplicateInList {
        side: &'static str,
        owner: String,
        id: String,
        first: u32,
        second: u32,
    },
    BadId {
        side: &'static str,
        owner: String,
        position: u32,
        got: String,
    },
    BadCapacity {
        posting: String,
        got: String,
    },
    MissingCapacity {
        posting: String,
    },
    IdCount {
        side: &'static str,
        ids: usize,
        expected: usize,
    },
    TooLarge,
}

impl fmt::Display for InstanceFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { line, column, detail } => {
                write!(f, "malformed JSON at line {line} column {column}: {detail}")
            }
            Self::WrongType { detail } => write!(f, "{detail}"),
            Self::Missing(key) => write!(f, "missing {key:?}"),
            Self::DuplicateKey { section, key } => write!(f, "duplicate key {key:?} in {section}"),
            Self::UnknownPosting { id, graduate, position } => {
                write!(f, "unknown posting id {id:?} in graduates[{graduate:?}][{position}]")
            }
            Self::UnknownGraduate { id, posting, position } => {
                write!(f, "unknown graduate id {id:?} in postings[{posting:?}][{position}]")
            }
            Self::DuplicateInList { side, owner, id, first, second } => {
                write!(f, "duplicate {id:?} in {side}[{owner:?}] at positions {first} and {second}")
            }
            Self::BadId { side, owner, position, got } => {
                write!(f, "{side}[{owner:?}][{position}] must be an id (a string or a non-negative integer), got {got}")
            }
            Self::BadCapacity { posting, got } => {
                write!(f, "capacity of {posting:?} must be a non-negative integer, got {got}")
            }
            Self::MissingCapacity { posting } => {
                write!(f, "posting {posting:?} has a list in \"postings\" but no capacity in \"capacities\"")
            }
            Self::IdCount { side, ids, expected } => write!(f, "{ids} ids for {expected} {side}"),
            Self::TooLarge => f.write_str("an instance holds fewer than 2^32 - 1 list entries and ids per side"),
        }
    }
}

impl std::error::Error for InstanceFileError {}
