//! Matching in the service: scores and eligibility, which know postings and graduates, over the
//! pure solver crate `xiaoqi_matching`. No I/O, no clock.
//!
//! - [`score`](mod@score): how well a (posting, graduate) pair fits, as a [`Breakdown`] of six
//!   components in 0..=1 and their weighted mean under the round's
//!   [`Weights`](crate::domain::Weights).
//! - [`eligibility`](mod@eligibility): whether a pair may be matched at all, and if not, why
//!   ([`Ineligible`]).
//! - Re-exported from `xiaoqi_matching`: [`Instance`], [`solve`] (deferred acceptance from
//!   either side, [`Proposing`]), [`blocking_pairs`], [`explain`], [`NamedInstance`],
//!   [`InstanceBuilder`] and [`random_instance`]; see that crate.

pub mod eligibility;
pub mod score;

pub use eligibility::{Ineligible, IneligibleExplanation, eligibility, ineligibilities};
pub use score::{Breakdown, score, score_fields};
pub use xiaoqi_matching::*;
