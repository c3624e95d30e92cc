//! Pure matching: scores and deferred acceptance. No I/O, no clock.
//!
//! - [`score`]: how well a (posting, graduate) pair fits, as a [`Breakdown`] of six components
//!   in 0..=1 and their weighted mean under [`Weights`].
//! - [`eligibility`]: whether a pair may be matched at all, and if not, why ([`Ineligible`]).
//! - [`Instance`], [`solve`]: deferred acceptance over ranked lists with capacities, from either
//!   side ([`Proposing`]); [`blocking_pairs`] checks a result and [`explain`] says why each
//!   graduate and posting got what it got.
//! - [`NamedInstance`], [`InstanceBuilder`]: an instance with string ids, as in the instance file
//!   of `xiaoqi match solve` and a round's inputs; [`random_instance`] makes one to benchmark.

pub mod eligibility;
pub mod score;

mod deferred_acceptance;
mod explain;
mod generate;
mod id_table;
mod instance;
mod instance_builder;
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
pub use eligibility::{Ineligible, IneligibleExplanation, eligibility, ineligibilities};
pub use explain::{EmptySeats, Explanations, GraduateOutcome, NotHigher, PostingOutcome, WhyNot, explain};
pub use generate::random_instance;
pub use instance::{Instance, InstanceError};
pub use instance_builder::InstanceBuilder;
pub use named_instance::{InstanceFileError, NamedInstance};
pub use score::{Breakdown, Weights, score, score_fields};
pub use stability::{Infeasibility, blocking_pairs, infeasibilities};
