//! xiaoqi's matching solver: many-to-one deferred acceptance (Gale–Shapley) with capacities,
//! over ranked lists of graduates and postings, and the instance file of `xiaoqi match solve`.
//!
//! The invariant this crate exists to keep: **pure computation**. No I/O, no clock, no
//! database, no search engine, no global randomness (generated instances take their seed);
//! it depends on serde, serde_json and a seeded `rand` generator only, so the compiler refuses
//! anything else, and its tests build without the service's database, search and mail crates.
//! Scores and eligibility know the domain (postings, graduates), so they live in the service
//! (`xiaoqi::matching`), which feeds this crate plain ranked lists.
//!
//! - [`Instance`], [`solve`]: deferred acceptance over ranked lists with capacities, from either
//!   side ([`Proposing`]); [`blocking_pairs`] and [`infeasibilities`] check a result and
//!   [`explain`] says why each graduate and posting got what it got.
//! - [`NamedInstance`], [`InstanceBuilder`]: an instance with string ids, as in the instance file
//!   of `xiaoqi match solve` and a round's inputs; [`random_instance`] makes one to benchmark.
//!
//! The feature `utoipa` derives the OpenAPI schema of [`Proposing`], which the service publishes.

mod deferred_acceptance;
mod explain;
mod generate;
mod id_table;
mod instance;
mod instance_builder;
mod instance_file_error;
mod instance_read;
mod instance_write;
mod named_instance;
mod ranks;
mod stability;

#[cfg(test)]
mod file_tests;
#[cfg(test)]
mod solver_tests;

pub use deferred_acceptance::{Assignment, Proposing, solve};
pub use explain::{EmptySeats, Explanations, GraduateOutcome, NotHigher, PostingOutcome, WhyNot, explain};
pub use generate::random_instance;
pub use instance::{Instance, InstanceError};
pub use instance_builder::InstanceBuilder;
pub use instance_file_error::InstanceFileError;
pub use named_instance::NamedInstance;
pub use stability::{Infeasibility, blocking_pairs, infeasibilities};
