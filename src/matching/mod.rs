//! Pure matching: scores and (later) deferred acceptance. No I/O, no clock.
//!
//! - [`score`]: how well a (posting, graduate) pair fits, as a [`Breakdown`] of six components
//!   in 0..=1 and their weighted mean under [`Weights`].
//! - [`eligibility`]: whether a pair may be matched at all, and if not, why ([`Ineligible`]).

pub mod eligibility;
pub mod score;

pub use eligibility::{Ineligible, IneligibleExplanation, eligibility, ineligibilities};
pub use score::{Breakdown, Weights, score, score_fields};
