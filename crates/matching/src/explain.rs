//! Why each graduate got what it got, and why each posting has the graduates it has.
//!
//! In a stable matching every posting a graduate listed above its match either did not list
//! the graduate, has no seats, or is full with graduates it ranks higher; and every posting
//! with empty seats either had no mutually acceptable graduate or lost each one to a posting
//! that graduate preferred. The explanations name which, with the ranks that prove it.

use super::deferred_acceptance::Assignment;
use super::instance::Instance;
use super::ranks::UNLISTED;
use super::stability::Standing;
use serde::{Deserialize, Serialize};

/// One outcome per graduate and per posting, indexed like the instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanations {
    pub graduates: Vec<GraduateOutcome>,
    pub postings: Vec<PostingOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraduateOutcome {
    /// The posting the graduate is matched to.
    pub posting: Option<u32>,
    /// 0-based position of that posting in the graduate's own list.
    pub rank: Option<u32>,
    /// 0-based position of the graduate in that posting's list.
    pub posting_rank: Option<u32>,
    /// Every posting the graduate listed above its match (all of its list when unmatched), in
    /// its order, with the reason it did not get it.
    pub above: Vec<NotHigher>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotHigher {
    pub posting: u32,
    pub reason: WhyNot,
}

/// Why a graduate did not get a posting it ranked above its match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum WhyNot {
    /// The posting has no seats (capacity 0).
    NoSeats,
    /// The posting did not list this graduate.
    NotRanked,
    /// The posting is full with graduates it ranks higher; the lowest of them is named.
    Full {
        /// Graduate index of the lowest-ranked graduate the posting holds.
        lowest_admitted: u32,
        /// That graduate's 0-based position in the posting's list.
        lowest_admitted_rank: u32,
        /// This graduate's 0-based position in the posting's list (larger: ranked lower).
        your_rank: u32,
    },
    /// None of the above: the pair blocks the assignment. Never produced for an assignment from
    /// [`solve`](super::solve); present so that a broken one is reported rather than explained.
    Unstable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingOutcome {
    pub capacity: u32,
    pub filled: u32,
    /// Present when `filled < capacity`.
    pub empty_seats: Option<EmptySeats>,
}

/// Counts that account for a posting's empty seats: in a stable matching
/// `acceptable == filled + placed_higher`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptySeats {
    /// Graduates who listed the posting.
    pub listed_by: u32,
    /// Graduates the posting listed.
    pub ranked: u32,
    /// Graduates who listed the posting and whom it listed.
    pub acceptable: u32,
    /// Of those, the ones placed in a posting they rank higher.
    pub placed_higher: u32,
}

/// Explains `assignment` (normally from [`solve`](super::solve)). Linear in the total list
/// length plus the size of the answer.
///
/// # Panics
/// If the assignment does not have one entry per graduate or names a posting out of range.
pub fn explain(instance: &Instance, assignment: &Assignment) -> Explanations {
    let standing = Standing::new(instance, assignment);
    let graduates =
        (0..instance.graduates() as u32).map(|g| graduate_outcome(instance, assignment, &standing, g)).collect();
    Explanations { graduates, postings: posting_outcomes(instance, &standing) }
}

fn graduate_outcome(instance: &Instance, assignment: &Assignment, standing: &Standing, g: u32) -> GraduateOutcome {
    let list = instance.graduates.range(g);
    let position = standing.match_position[g as usize] as usize;
    let posting = assignment.posting_of[g as usize];
    let rank = (posting.is_some() && position < list.len()).then_some(position as u32);
    let posting_rank = Some(standing.rank_at_match[g as usize]).filter(|&r| r != UNLISTED);
    let above = (list.start..list.start + position)
        .map(|entry| {
            let p = instance.graduates.entries[entry];
            NotHigher { posting: p, reason: why_not(instance, standing, p, standing.rank_by_posting[entry]) }
        })
        .collect();
    GraduateOutcome { posting, rank, posting_rank, above }
}

/// Why posting `p`, which ranks the graduate at `your_rank`, did not take it.
fn why_not(instance: &Instance, standing: &Standing, p: u32, your_rank: u32) -> WhyNot {
    let reason = if instance.capacity(p) == 0 {
        WhyNot::NoSeats
    } else if your_rank == UNLISTED {
        WhyNot::NotRanked
    } else {
        match standing.worst[p as usize] {
            Some((lowest_admitted, lowest_admitted_rank))
                if standing.filled[p as usize] >= instance.capacity(p) && lowest_admitted_rank < your_rank =>
            {
                WhyNot::Full { lowest_admitted, lowest_admitted_rank, your_rank }
            }
            _ => WhyNot::Unstable,
        }
    };
    debug_assert!(reason != WhyNot::Unstable, "posting {p} and a graduate it ranks {your_rank} block the assignment");
    reason
}

fn posting_outcomes(instance: &Instance, standing: &Standing) -> Vec<PostingOutcome> {
    let postings = instance.postings();
    let (mut listed_by, mut acceptable, mut placed_higher) =
        (vec![0u32; postings], vec![0u32; postings], vec![0; postings]);
    for g in 0..instance.graduates() as u32 {
        let list = instance.graduates.range(g);
        let match_entry = list.start + standing.match_position[g as usize] as usize;
        for entry in list {
            let p = instance.graduates.entries[entry] as usize;
            listed_by[p] += 1;
            if standing.rank_by_posting[entry] != UNLISTED {
                acceptable[p] += 1;
                placed_higher[p] += u32::from(entry > match_entry);
            }
        }
    }
    (0..postings)
        .map(|p| {
            let (capacity, filled) = (instance.capacities[p], standing.filled[p]);
            let empty_seats = (filled < capacity).then(|| EmptySeats {
                listed_by: listed_by[p],
                ranked: instance.postings.row(p as u32).len() as u32,
                acceptable: acceptable[p],
                placed_higher: placed_higher[p],
            });
            PostingOutcome { capacity, filled, empty_seats }
        })
        .collect()
}
