//! The main solve, then the supplementary pass (like the NRMP's SOAP): graduates left
//! unplaced are offered eligible postings with free seats, best score first, and the solver
//! runs again over the extended lists, while that places more (at most [`MAX_PASSES`]).
//!
//! Decision: in each pass a free seat is offered to one newcomer at most (graduates take
//! turns in lottery order, each offered its best-scoring eligible posting whose free seats
//! are not all offered yet). Offering more newcomers than seats would let a posting prefer a
//! newcomer to a graduate it already holds and move that graduate down its list; with one
//! offer per seat a graduate-proposing round moves nobody and every offer is taken. Moves
//! are still counted (a posting-proposing round, or a change of rule, could make them).
//!
//! Lists only grow at their end, so explicit choices keep their places, and the published
//! assignment is the solver's stable matching for the final lists, which are the inputs.

use super::prepare::{Builder, Prepared, Scored};
use crate::matching::{Assignment, Instance, Proposing, solve};

/// Most supplementary passes in one round.
pub const MAX_PASSES: u32 = 5;
/// Candidates looked up per unplaced graduate at once (kept over the passes; the first with
/// an unoffered free seat is offered). Searching is what costs, so each search keeps enough
/// for most graduates to need only one.
const LOOKAHEAD: usize = 40;

/// The final instance and matching, with what the main solve gave.
pub struct Solved {
    pub instance: Instance,
    pub assignment: Assignment,
    /// The matching of the main solve, before any pass.
    pub main: Assignment,
    /// Each graduate's list length before any pass (entries past it were offered by a pass).
    pub main_len: Vec<u32>,
    /// Passes that offered something.
    pub passes: u32,
    /// Time spent in the passes.
    pub supplementary_ms: u64,
}

fn instance_of(prepared: &Prepared, capacities: &[u32]) -> anyhow::Result<Instance> {
    Ok(Instance::new(prepared.graduate_lists.clone(), prepared.posting_lists.clone(), capacities.to_vec())?)
}

fn placed(assignment: &Assignment) -> usize {
    assignment.posting_of.iter().filter(|p| p.is_some()).count()
}

/// Each graduate's supplementary candidates, searched once and used up over the passes: a
/// search costs a walk of the text index (and of every posting when few match), while a pass
/// only needs the next candidate that still has a free seat.
struct Candidates {
    /// Not yet offered, best score first; entries whose posting filled up are dropped lazily.
    left: Vec<Vec<Scored>>,
    /// The last search found fewer than it asked for, so it saw every eligible posting with a
    /// free seat: a later search could find nothing new, as seats only fill up.
    complete: Vec<bool>,
}

/// Solve, then (with `supplementary`) run the passes, extending `prepared`'s lists in place.
/// `pass_done` is called after each pass with its number.
pub fn solve_with_passes(
    builder: &Builder,
    prepared: &mut Prepared,
    capacities: &[u32],
    proposing: Proposing,
    supplementary: bool,
    threads: usize,
    mut pass_done: impl FnMut(u32),
) -> anyhow::Result<Solved> {
    let main_len: Vec<u32> = prepared.graduate_lists.iter().map(|l| l.len() as u32).collect();
    let mut instance = instance_of(prepared, capacities)?;
    let mut assignment = solve(&instance, proposing);
    let main = assignment.clone();
    let mut passes = 0;
    let clock = std::time::Instant::now();
    let graduates = prepared.graduate_lists.len();
    let mut candidates = Candidates { left: vec![Vec::new(); graduates], complete: vec![false; graduates] };
    while supplementary && passes < MAX_PASSES {
        let before = placed(&assignment);
        if offer_free_seats(builder, prepared, capacities, &assignment, &mut candidates, threads) == 0 {
            break;
        }
        passes += 1;
        instance = instance_of(prepared, capacities)?;
        assignment = solve(&instance, proposing);
        pass_done(passes);
        if placed(&assignment) <= before {
            break;
        }
    }
    let supplementary_ms = clock.elapsed().as_millis() as u64;
    Ok(Solved { instance, assignment, main, main_len, passes, supplementary_ms })
}

/// One pass's offers: appended to the unplaced graduates' lists and placed in the postings'
/// lists by their rule. Returns how many were made.
fn offer_free_seats(
    builder: &Builder,
    prepared: &mut Prepared,
    capacities: &[u32],
    assignment: &Assignment,
    candidates: &mut Candidates,
    threads: usize,
) -> usize {
    let mut free = capacities.to_vec();
    for p in assignment.posting_of.iter().flatten() {
        free[*p as usize] -= 1;
    }
    let open: Vec<bool> = free.iter().map(|f| *f > 0).collect();
    if !open.contains(&true) {
        return 0;
    }
    let mut unplaced: Vec<u32> =
        (0..assignment.posting_of.len() as u32).filter(|g| assignment.posting_of[*g as usize].is_none()).collect();
    unplaced.sort_by_key(|g| builder.graduate_lottery[*g as usize]);
    // Search again only for graduates whose candidates all filled up and whose last search
    // may have left some out.
    let mut search = Vec::new();
    for &g in &unplaced {
        let left = &mut candidates.left[g as usize];
        left.retain(|c| open[c.posting as usize]);
        if left.is_empty() && !candidates.complete[g as usize] {
            search.push(g);
        }
    }
    let found = builder.free_candidates(&search, &prepared.graduate_lists, &open, LOOKAHEAD, threads);
    for (g, found) in search.iter().zip(found) {
        candidates.complete[*g as usize] = found.len() < LOOKAHEAD;
        candidates.left[*g as usize] = found;
    }
    let mut offered = vec![0u32; free.len()];
    let mut made = 0;
    for g in unplaced {
        let g = g as usize;
        let left = &mut candidates.left[g];
        let Some(at) = left.iter().position(|c| offered[c.posting as usize] < free[c.posting as usize]) else {
            continue;
        };
        let c = left.remove(at);
        offered[c.posting as usize] += 1;
        made += 1;
        prepared.graduate_lists[g].push(c.posting);
        prepared.scores[g].push(c.score);
        prepared.relevance[g].push(c.relevance);
        admit(prepared, builder, c.posting as usize, g as u32, c.score);
    }
    made
}

/// Put newcomer `g` (score `score`) in posting `p`'s list by the posting's rule: its
/// shortlist first (a shortlisted graduate is there already), then best score, then lottery.
fn admit(prepared: &mut Prepared, builder: &Builder, p: usize, g: u32, score: f32) {
    let short = prepared.shortlisted[p] as usize;
    let list = &mut prepared.posting_lists[p];
    if list[..short].contains(&g) {
        return;
    }
    let scores = &mut prepared.posting_scores[p];
    let lottery = &builder.graduate_lottery;
    let at = scores
        .iter()
        .zip(&list[short..])
        .position(|(s, h)| s.total_cmp(&score).then(lottery[g as usize].cmp(&lottery[*h as usize])).is_lt())
        .unwrap_or(scores.len());
    list.insert(short + at, g);
    scores.insert(at, score);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Education, Weights};
    use crate::matching::eligibility::eligibility;
    use crate::matching::score::tests::{graduate, posting};
    use crate::matching::{blocking_pairs, infeasibilities};
    use crate::services::rounds::prepare::{DropReason, Pool, Rules};
    use crate::store::search_source::{GraduateSource, PostingSource};
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::seq::IndexedRandom;
    use rand::{Rng, SeedableRng};
    use sqlx::types::Json;
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    const MAJORS: [&str; 3] = ["数控技术", "会计", "机电一体化"];
    const PLACES: [&str; 3] = ["肇庆新区", "端州区", "四会市"];
    const LEVELS: [Education; 4] =
        [Education::JuniorHigh, Education::SecondaryVocational, Education::Associate, Education::Bachelor];

    /// A random round: postings of a few majors, places, levels and sizes (some closed to
    /// this round by id), graduates likewise (some without consent), random choices (some
    /// naming postings not in the round) and shortlists.
    struct World {
        postings: Vec<PostingSource>,
        graduates: Vec<GraduateSource>,
        choices: Vec<Vec<i64>>,
        shortlists: Vec<Vec<i64>>,
        capacities: Vec<u32>,
        absent: HashMap<i64, DropReason>,
    }

    fn world(postings: usize, graduates: usize, seed: u64) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let postings: Vec<PostingSource> = (0..postings as i64)
            .map(|i| {
                let mut p = posting(&[MAJORS[rng.random_range(0..3)]], *LEVELS.choose(&mut rng).unwrap());
                p.id = i + 1;
                p.fields.location = Some(PLACES[rng.random_range(0..3)].into());
                p.fields.salary_max = Some(rng.random_range(40..90) * 100);
                PostingSource { posting: p, organization_name: "企业".into(), project_name: None, park: None }
            })
            .collect();
        let graduates: Vec<GraduateSource> = (0..graduates as i64)
            .map(|i| {
                let mut g = graduate(MAJORS[rng.random_range(0..3)], *LEVELS.choose(&mut rng).unwrap());
                g.id = 1000 + i;
                g.fields.consent = rng.random_bool(0.85);
                g.fields.preferred_locations =
                    Json(if rng.random_bool(0.5) { vec![] } else { vec![PLACES[rng.random_range(0..3)].into()] });
                GraduateSource { graduate: g, organization_name: "学校".into(), consent_purpose: None }
            })
            .collect();
        // Ids up to postings + 2: the last two are not in the round.
        let choices = graduates
            .iter()
            .map(|_| {
                let mut ids: Vec<i64> = (1..=postings.len() as i64 + 2).collect();
                ids.retain(|_| rng.random_bool(0.3));
                for i in (1..ids.len()).rev() {
                    ids.swap(i, rng.random_range(0..=i));
                }
                ids
            })
            .collect();
        let shortlists = postings
            .iter()
            .map(|_| graduates.iter().map(|g| g.graduate.id).filter(|_| rng.random_bool(0.15)).collect())
            .collect();
        let capacities = postings.iter().map(|_| rng.random_range(1..=3)).collect();
        let absent = HashMap::from([(postings.len() as i64 + 1, DropReason::OutOfScope)]);
        World { postings, graduates, choices, shortlists, capacities, absent }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever the passes add, each graduate's list starts with its own choices that are in
        /// the round and eligible, all of them, in its order; the final matching is stable for
        /// the final lists (both sides proposing) and the passes never place fewer.
        #[test]
        fn own_choices_lead_and_the_final_matching_is_stable(
            postings in 1usize..7,
            graduates in 0usize..25,
            k in 1usize..5,
            seed in any::<u64>(),
            postings_propose in any::<bool>(),
        ) {
            let w = world(postings, graduates, seed);
            let pool = Pool {
                postings: &w.postings,
                graduates: &w.graduates,
                choices: &w.choices,
                shortlists: &w.shortlists,
                absent: &w.absent,
                capacities: &w.capacities,
            };
            let rules = Rules { fill_from_scores: true, candidates_per_graduate: k, weights: Weights::default(), seed: 3 };
            let builder = Builder::new(&pool, &rules);
            let mut prepared = builder.prepare(&AtomicUsize::new(0), 2);
            let proposing = if postings_propose { Proposing::Postings } else { Proposing::Graduates };
            let solved = solve_with_passes(&builder, &mut prepared, &w.capacities, proposing, true, 2, |_| {}).unwrap();

            for (g, source) in w.graduates.iter().enumerate() {
                let own: Vec<u32> = w.choices[g]
                    .iter()
                    .filter_map(|id| w.postings.iter().position(|p| p.posting.id == *id))
                    .filter(|p| eligibility(&w.postings[*p].posting, &source.graduate).is_ok())
                    .map(|p| p as u32)
                    .collect();
                let list = solved.instance.graduate_list(g as u32);
                prop_assert_eq!(&list[..own.len().min(list.len())], &own[..], "graduate {}", g);
                prop_assert_eq!(prepared.explicit[g] as usize, own.len());
                // Everything past them is eligible, listed once.
                for p in list {
                    prop_assert!(eligibility(&w.postings[*p as usize].posting, &source.graduate).is_ok());
                }
            }
            prop_assert!(blocking_pairs(&solved.instance, &solved.assignment).is_empty());
            prop_assert!(infeasibilities(&solved.instance, &solved.assignment).is_empty());
            prop_assert_eq!(&solved.assignment, &solve(&solved.instance, proposing), "the published matching is the solver's");
            prop_assert!(placed(&solved.assignment) >= placed(&solved.main));
            // A posting ranks every graduate who lists it, its shortlist first.
            for p in 0..w.postings.len() as u32 {
                let ranked = solved.instance.posting_list(p);
                for g in 0..w.graduates.len() as u32 {
                    if solved.instance.graduate_list(g).contains(&p) {
                        prop_assert!(ranked.contains(&g), "posting {} does not rank graduate {}", p, g);
                    }
                }
                let short = prepared.shortlisted[p as usize] as usize;
                let ids: Vec<i64> = ranked[..short].iter().map(|g| w.graduates[*g as usize].graduate.id).collect();
                let listed: Vec<i64> = w.shortlists[p as usize].iter().copied().filter(|id| ids.contains(id)).collect();
                prop_assert_eq!(ids, listed);
            }
            // Graduate-proposing: a graduate left unplaced has no eligible posting with a free seat
            // it did not list, unless the passes ran out.
            if !postings_propose && solved.passes < MAX_PASSES {
                let mut free = w.capacities.clone();
                for p in solved.assignment.posting_of.iter().flatten() {
                    free[*p as usize] -= 1;
                }
                for (g, source) in w.graduates.iter().enumerate() {
                    if solved.assignment.posting_of[g].is_some() {
                        continue;
                    }
                    for (p, posting) in w.postings.iter().enumerate() {
                        let open = free[p] > 0 && eligibility(&posting.posting, &source.graduate).is_ok();
                        prop_assert!(!open, "graduate {} left out while posting {} has a free seat", g, p);
                    }
                }
            }
        }
    }

    #[test]
    fn a_contested_posting_sends_the_others_to_free_seats_without_moving_anyone() {
        // Three graduates, one list entry each, all the same best posting with one seat; a
        // second posting has room for all.
        let mut w = world(2, 3, 1);
        for p in &mut w.postings {
            p.posting.fields.location = Some("肇庆新区".into());
            p.posting.fields.education_min = Education::JuniorHigh;
            p.posting.fields.majors = Json(vec!["数控技术".into()]);
        }
        w.postings[0].posting.fields.salary_max = Some(9000);
        w.postings[1].posting.fields.salary_max = Some(3000);
        for g in &mut w.graduates {
            g.graduate.fields.consent = true;
            g.graduate.fields.major = "数控技术".into();
            g.graduate.fields.preferred_locations = Json(vec![]);
        }
        w.choices = vec![Vec::new(); 3];
        w.shortlists = vec![Vec::new(); 2];
        w.capacities = vec![1, 5];
        let pool = Pool {
            postings: &w.postings,
            graduates: &w.graduates,
            choices: &w.choices,
            shortlists: &w.shortlists,
            absent: &w.absent,
            capacities: &w.capacities,
        };
        let rules = Rules { fill_from_scores: true, candidates_per_graduate: 1, weights: Weights::default(), seed: 3 };
        let builder = Builder::new(&pool, &rules);
        let mut prepared = builder.prepare(&AtomicUsize::new(0), 1);
        assert!(prepared.graduate_lists.iter().all(|l| l == &[0]), "{:?}", prepared.graduate_lists);
        let solved =
            solve_with_passes(&builder, &mut prepared, &w.capacities, Proposing::Graduates, true, 1, |_| {}).unwrap();
        assert_eq!(placed(&solved.main), 1);
        assert_eq!(placed(&solved.assignment), 3);
        assert_eq!(solved.passes, 1);
        assert_eq!(solved.main_len, vec![1, 1, 1]);
        let kept = (0..3).find(|g| solved.main.posting_of[*g] == Some(0)).unwrap();
        assert_eq!(solved.assignment.posting_of[kept], Some(0), "nobody placed in the main solve moved");
        for g in (0..3).filter(|g| *g != kept) {
            assert_eq!(solved.instance.graduate_list(g as u32), &[0, 1]);
            assert_eq!(solved.assignment.posting_of[g], Some(1));
        }
        assert_eq!(solved.instance.posting_list(1).len(), 2, "the newcomers are ranked by the posting");

        // Without the pass the others stay out.
        let mut again = builder.prepare(&AtomicUsize::new(0), 1);
        let without =
            solve_with_passes(&builder, &mut again, &w.capacities, Proposing::Graduates, false, 1, |_| {}).unwrap();
        assert_eq!(placed(&without.assignment), 1);
        assert_eq!(without.passes, 0);
    }
}
