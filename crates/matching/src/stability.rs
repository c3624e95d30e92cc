//! Checking an assignment: is it feasible (capacities, acceptable pairs), and which pairs block
//! it (both prefer each other to what they got)?

use super::deferred_acceptance::Assignment;
use super::instance::Instance;
use super::ranks::{UNLISTED, mutual_ranks};

/// Where everyone stands under an assignment, computed in linear time; shared by the stability
/// check and the explanations.
pub(crate) struct Standing {
    /// Aligned with the graduates' list entries: the rank the listed posting gives the graduate.
    pub(crate) rank_by_posting: Vec<u32>,
    /// Per graduate: the position of its posting in its own list. The list length when it is
    /// unmatched or matched to a posting it did not list, so that every listed posting counts
    /// as better.
    pub(crate) match_position: Vec<u32>,
    /// Per graduate: the rank its posting gives it ([`UNLISTED`] if unmatched or not listed).
    pub(crate) rank_at_match: Vec<u32>,
    /// Per posting: how many graduates it holds.
    pub(crate) filled: Vec<u32>,
    /// Per posting holding anyone: its worst-ranked graduate and that rank ([`UNLISTED`] for a
    /// graduate it did not list, worse than anyone it did).
    pub(crate) worst: Vec<Option<(u32, u32)>>,
}

impl Standing {
    /// # Panics
    /// If the assignment does not have one entry per graduate or names a posting out of range.
    pub(crate) fn new(instance: &Instance, assignment: &Assignment) -> Standing {
        assert_eq!(assignment.posting_of.len(), instance.graduates(), "one assignment entry per graduate");
        let rank_by_posting = mutual_ranks(&instance.graduates, &instance.postings);
        // Looked up from the posting's side: the graduate may have been assigned a posting it
        // did not list, which the posting may still rank.
        let mut rank_at_match = vec![UNLISTED; instance.graduates()];
        for p in 0..instance.postings() as u32 {
            for (rank, &g) in instance.postings.row(p).iter().enumerate() {
                if assignment.posting_of[g as usize] == Some(p) {
                    rank_at_match[g as usize] = rank as u32;
                }
            }
        }
        let mut match_position = Vec::with_capacity(instance.graduates());
        let mut filled = vec![0u32; instance.postings()];
        let mut worst: Vec<Option<(u32, u32)>> = vec![None; instance.postings()];
        for (g, &posting) in assignment.posting_of.iter().enumerate() {
            let list = instance.graduates.row(g as u32);
            let Some(p) = posting else {
                match_position.push(list.len() as u32);
                continue;
            };
            assert!((p as usize) < instance.postings(), "graduate {g} is assigned to posting {p}, out of range");
            match_position.push(list.iter().position(|&q| q == p).unwrap_or(list.len()) as u32);
            filled[p as usize] += 1;
            let rank = rank_at_match[g];
            let slot = &mut worst[p as usize];
            if slot.is_none_or(|(_, worst_rank)| rank >= worst_rank) {
                *slot = Some((g as u32, rank));
            }
        }
        Standing { rank_by_posting, match_position, rank_at_match, filled, worst }
    }

    /// Whether posting `p` would take a graduate it ranks at `rank` over what it holds.
    pub(crate) fn posting_would_take(&self, instance: &Instance, p: u32, rank: u32) -> bool {
        let p = p as usize;
        rank != UNLISTED
            && instance.capacities[p] > 0
            && (self.filled[p] < instance.capacities[p] || self.worst[p].is_some_and(|(_, worst)| worst > rank))
    }
}

/// The (graduate, posting) pairs that block `assignment`: each lists the other, the graduate
/// prefers the posting to its own (or is unmatched), and the posting has a free seat or holds
/// someone it ranks lower. In graduate order, each graduate's in its list's order. Linear time
/// in the total list length. Someone holding a partner it
/// did not list prefers everyone it did list, so such an assignment has blocking pairs too.
///
/// # Panics
/// If the assignment does not have one entry per graduate or names a posting out of range.
pub fn blocking_pairs(instance: &Instance, assignment: &Assignment) -> Vec<(u32, u32)> {
    let standing = Standing::new(instance, assignment);
    let mut pairs = Vec::new();
    for g in 0..instance.graduates() as u32 {
        let list = instance.graduates.range(g);
        let better = list.start..list.start + standing.match_position[g as usize] as usize;
        for entry in better {
            let p = instance.graduates.entries[entry];
            if standing.posting_would_take(instance, p, standing.rank_by_posting[entry]) {
                pairs.push((g, p));
            }
        }
    }
    pairs
}

/// What makes an assignment impossible regardless of stability.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Infeasibility {
    /// The pair is assigned though one of them does not list the other.
    NotAcceptable { graduate: u32, posting: u32 },
    /// The posting holds more graduates than it has seats.
    OverCapacity { posting: u32, filled: u32, capacity: u32 },
}

/// Every unacceptable assigned pair and every over-full posting, in index order.
///
/// # Panics
/// If the assignment does not have one entry per graduate or names a posting out of range.
pub fn infeasibilities(instance: &Instance, assignment: &Assignment) -> Vec<Infeasibility> {
    let standing = Standing::new(instance, assignment);
    let mut found = Vec::new();
    for (g, &posting) in assignment.posting_of.iter().enumerate() {
        let Some(p) = posting else { continue };
        let listed_by_graduate = (standing.match_position[g] as usize) < instance.graduates.row(g as u32).len();
        if !listed_by_graduate || standing.rank_at_match[g] == UNLISTED {
            found.push(Infeasibility::NotAcceptable { graduate: g as u32, posting: p });
        }
    }
    for p in 0..instance.postings() as u32 {
        let (filled, capacity) = (standing.filled[p as usize], instance.capacity(p));
        if filled > capacity {
            found.push(Infeasibility::OverCapacity { posting: p, filled, capacity });
        }
    }
    found
}
