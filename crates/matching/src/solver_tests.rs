//! Properties of the solver, the stability check and the explanations, against definitions
//! written out naively here and, on tiny instances, against every stable matching there is.

use super::{Assignment, Instance, InstanceError, Proposing, WhyNot, blocking_pairs, explain, infeasibilities, solve};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Each list names each other-side member with probability `density`, in random order. With
/// `reciprocal`, postings rank exactly the graduates who listed them; otherwise postings list
/// independently, so many listed pairs are not acceptable. Capacities are 0..=3.
fn random_instance(graduates: u32, postings: u32, density: f64, reciprocal: bool, seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let pick = |n: u32, rng: &mut StdRng| {
        let mut list: Vec<u32> = (0..n).filter(|_| rng.random_bool(density)).collect();
        list.shuffle(rng);
        list
    };
    let graduate_lists: Vec<Vec<u32>> = (0..graduates).map(|_| pick(postings, &mut rng)).collect();
    let posting_lists = (0..postings)
        .map(|p| {
            if reciprocal {
                let mut list: Vec<u32> = (0..graduates).filter(|&g| graduate_lists[g as usize].contains(&p)).collect();
                list.shuffle(&mut rng);
                list
            } else {
                pick(graduates, &mut rng)
            }
        })
        .collect();
    let capacities = (0..postings).map(|_| rng.random_range(0..=3)).collect();
    Instance::new(graduate_lists, posting_lists, capacities).expect("valid by construction")
}

fn instances(max_graduates: u32, max_postings: u32) -> impl Strategy<Value = Instance> {
    (0..=max_graduates, 0..=max_postings, 0.0..=1.0f64, any::<bool>(), any::<u64>()).prop_map(
        |(graduates, postings, density, reciprocal, seed)| {
            random_instance(graduates, postings, density, reciprocal, seed)
        },
    )
}

/// Position of `x` in `list`; absent is worse than anything present.
fn position(list: &[u32], x: u32) -> usize {
    list.iter().position(|&y| y == x).unwrap_or(usize::MAX)
}

fn holders(assignment: &Assignment, p: u32) -> Vec<u32> {
    (0..assignment.posting_of.len() as u32).filter(|&g| assignment.posting_of[g as usize] == Some(p)).collect()
}

/// The definition of a blocking pair, checked for every pair.
fn naive_blocking_pairs(instance: &Instance, assignment: &Assignment) -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    for g in 0..instance.graduates() as u32 {
        for p in 0..instance.postings() as u32 {
            let (graduate_list, posting_list) = (instance.graduate_list(g), instance.posting_list(p));
            if !graduate_list.contains(&p) || !posting_list.contains(&g) {
                continue;
            }
            let graduate_prefers = match assignment.posting_of[g as usize] {
                None => true,
                Some(q) => position(graduate_list, p) < position(graduate_list, q),
            };
            let held = holders(assignment, p);
            let posting_prefers = (held.len() as u32) < instance.capacity(p)
                || held.iter().any(|&h| position(posting_list, h) > position(posting_list, g));
            if graduate_prefers && posting_prefers && instance.capacity(p) > 0 {
                pairs.push((g, p));
            }
        }
    }
    pairs
}

fn is_acceptable(instance: &Instance, g: u32, p: u32) -> bool {
    instance.graduate_list(g).contains(&p) && instance.posting_list(p).contains(&g)
}

/// Every feasible assignment of acceptable pairs with no blocking pair.
fn all_stable_matchings(instance: &Instance) -> Vec<Assignment> {
    let options: Vec<Vec<Option<u32>>> = (0..instance.graduates() as u32)
        .map(|g| {
            let acceptable = instance.graduate_list(g).iter().copied().filter(|&p| is_acceptable(instance, g, p));
            std::iter::once(None).chain(acceptable.map(Some)).collect()
        })
        .collect();
    let mut stable = Vec::new();
    let mut choice = vec![0usize; options.len()];
    loop {
        let assignment = Assignment { posting_of: choice.iter().zip(&options).map(|(&i, o)| o[i]).collect() };
        let within_capacity =
            (0..instance.postings() as u32).all(|p| holders(&assignment, p).len() as u32 <= instance.capacity(p));
        if within_capacity && naive_blocking_pairs(instance, &assignment).is_empty() {
            stable.push(assignment);
        }
        // Next combination, odometer style.
        let Some(digit) = (0..choice.len()).find(|&i| choice[i] + 1 < options[i].len()) else { break };
        choice[digit] += 1;
        choice[..digit].fill(0);
    }
    stable
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn both_sides_give_feasible_stable_matchings_of_acceptable_pairs(instance in instances(40, 12)) {
        for proposing in [Proposing::Graduates, Proposing::Postings] {
            let assignment = solve(&instance, proposing);
            prop_assert_eq!(assignment.posting_of.len(), instance.graduates());
            prop_assert_eq!(blocking_pairs(&instance, &assignment), vec![]);
            prop_assert_eq!(naive_blocking_pairs(&instance, &assignment), vec![]);
            prop_assert_eq!(infeasibilities(&instance, &assignment), vec![]);
            for (g, p) in assignment.posting_of.iter().enumerate() {
                if let Some(p) = *p {
                    prop_assert!(is_acceptable(&instance, g as u32, p));
                }
            }
            for p in 0..instance.postings() as u32 {
                prop_assert!(holders(&assignment, p).len() as u32 <= instance.capacity(p));
            }
        }
    }

    #[test]
    fn blocking_pairs_matches_the_definition_on_any_assignment(instance in instances(20, 8), seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let postings = instance.postings() as u32;
        let posting_of = (0..instance.graduates())
            .map(|_| (postings > 0 && rng.random_bool(0.7)).then(|| rng.random_range(0..postings)))
            .collect();
        let assignment = Assignment { posting_of };
        let mut found = blocking_pairs(&instance, &assignment);
        let mut naive = naive_blocking_pairs(&instance, &assignment);
        found.sort_unstable();
        naive.sort_unstable();
        prop_assert_eq!(found, naive);
    }

    #[test]
    fn proposing_side_gets_its_optimum_among_all_stable_matchings(instance in instances(5, 3)) {
        let stable = all_stable_matchings(&instance);
        let best = solve(&instance, Proposing::Graduates);
        let worst = solve(&instance, Proposing::Postings);
        prop_assert!(stable.contains(&best) && stable.contains(&worst));
        // A graduate's preference: position in its list, unmatched last.
        let value = |g: usize, a: &Assignment| a.posting_of[g].map_or(usize::MAX, |p| position(instance.graduate_list(g as u32), p));
        for g in 0..instance.graduates() {
            prop_assert_eq!(value(g, &best), stable.iter().map(|a| value(g, a)).min().unwrap());
            prop_assert_eq!(value(g, &worst), stable.iter().map(|a| value(g, a)).max().unwrap());
        }
        // Rural hospitals: the same graduates are matched and every posting fills the same.
        for a in &stable {
            for g in 0..instance.graduates() {
                prop_assert_eq!(a.posting_of[g].is_some(), best.posting_of[g].is_some());
            }
            for p in 0..instance.postings() as u32 {
                prop_assert_eq!(holders(a, p).len(), holders(&best, p).len());
            }
        }
    }

    #[test]
    fn explanations_agree_with_the_inputs_and_the_assignment(instance in instances(30, 10), by_postings in any::<bool>()) {
        let proposing = if by_postings { Proposing::Postings } else { Proposing::Graduates };
        let assignment = solve(&instance, proposing);
        let explanations = explain(&instance, &assignment);
        prop_assert_eq!(explanations.graduates.len(), instance.graduates());
        prop_assert_eq!(explanations.postings.len(), instance.postings());
        for (g, outcome) in explanations.graduates.iter().enumerate() {
            let (g, list) = (g as u32, instance.graduate_list(g as u32));
            prop_assert_eq!(outcome.posting, assignment.posting_of[g as usize]);
            let own_rank = outcome.posting.map(|p| position(list, p) as u32);
            prop_assert_eq!(outcome.rank, own_rank);
            prop_assert_eq!(outcome.posting_rank, outcome.posting.map(|p| position(instance.posting_list(p), g) as u32));
            let above = &list[..own_rank.map_or(list.len(), |r| r as usize)];
            prop_assert_eq!(outcome.above.iter().map(|n| n.posting).collect::<Vec<_>>(), above.to_vec());
            for not_higher in &outcome.above {
                let p = not_higher.posting;
                let posting_list = instance.posting_list(p);
                match not_higher.reason {
                    WhyNot::NoSeats => prop_assert_eq!(instance.capacity(p), 0),
                    WhyNot::NotRanked => prop_assert!(!posting_list.contains(&g)),
                    WhyNot::Full { lowest_admitted, lowest_admitted_rank, your_rank } => {
                        let held = holders(&assignment, p);
                        prop_assert_eq!(held.len() as u32, instance.capacity(p));
                        prop_assert!(held.contains(&lowest_admitted));
                        prop_assert_eq!(position(posting_list, lowest_admitted) as u32, lowest_admitted_rank);
                        prop_assert_eq!(position(posting_list, g) as u32, your_rank);
                        prop_assert!(lowest_admitted_rank < your_rank);
                        for h in held.into_iter().filter(|&h| h != lowest_admitted) {
                            prop_assert!((position(posting_list, h) as u32) < lowest_admitted_rank);
                        }
                    }
                    WhyNot::Unstable => prop_assert!(false, "graduate {} and posting {} block", g, p),
                }
            }
        }
        for (p, outcome) in explanations.postings.iter().enumerate() {
            let p = p as u32;
            let held = holders(&assignment, p).len() as u32;
            prop_assert_eq!(outcome.capacity, instance.capacity(p));
            prop_assert_eq!(outcome.filled, held);
            prop_assert_eq!(outcome.empty_seats.is_some(), held < instance.capacity(p));
            if let Some(empty) = &outcome.empty_seats {
                let listers: Vec<u32> = (0..instance.graduates() as u32).filter(|&g| instance.graduate_list(g).contains(&p)).collect();
                let acceptable: Vec<u32> = listers.iter().copied().filter(|&g| instance.posting_list(p).contains(&g)).collect();
                let placed_higher = acceptable.iter().filter(|&&g| {
                    let list = instance.graduate_list(g);
                    assignment.posting_of[g as usize].is_some_and(|q| position(list, q) < position(list, p))
                });
                prop_assert_eq!(empty.listed_by, listers.len() as u32);
                prop_assert_eq!(empty.ranked, instance.posting_list(p).len() as u32);
                prop_assert_eq!(empty.acceptable, acceptable.len() as u32);
                prop_assert_eq!(empty.placed_higher, placed_higher.count() as u32);
                prop_assert_eq!(empty.acceptable, held + empty.placed_higher);
            }
        }
    }
}

/// g1: [p1, p2], g2: [p1, p2]; p1: [g1, g2], p2: [g1, g2]; one seat each.
fn two_by_two() -> Instance {
    Instance::new(vec![vec![0, 1], vec![0, 1]], vec![vec![0, 1], vec![0, 1]], vec![1, 1]).unwrap()
}

#[test]
fn blocking_pairs_finds_the_pair_that_a_swapped_assignment_leaves() {
    let instance = two_by_two();
    let stable = solve(&instance, Proposing::Graduates);
    assert_eq!(stable.posting_of, vec![Some(0), Some(1)]);
    let swapped = Assignment { posting_of: vec![Some(1), Some(0)] };
    assert_eq!(blocking_pairs(&instance, &swapped), vec![(0, 0)]);
    let leaving_a_seat = Assignment { posting_of: vec![Some(0), None] };
    assert_eq!(blocking_pairs(&instance, &leaving_a_seat), vec![(1, 1)]);
}

#[test]
fn a_posting_ranks_its_assignees_by_its_own_list_even_those_who_did_not_list_it() {
    // p1 holds g2, whom it ranks first although g2 did not list p1; g1 (ranked second by p1)
    // wants p1 but p1 prefers what it holds.
    let instance = Instance::new(vec![vec![0], vec![]], vec![vec![1, 0]], vec![1]).unwrap();
    let assignment = Assignment { posting_of: vec![None, Some(0)] };
    assert_eq!(blocking_pairs(&instance, &assignment), vec![]);
    assert_eq!(naive_blocking_pairs(&instance, &assignment), vec![]);
    assert_eq!(
        infeasibilities(&instance, &assignment),
        vec![super::Infeasibility::NotAcceptable { graduate: 1, posting: 0 }]
    );
}

#[test]
fn infeasibilities_name_unacceptable_pairs_and_overfull_postings() {
    let instance = Instance::new(vec![vec![0], vec![0], vec![]], vec![vec![0, 1], vec![]], vec![1, 1]).unwrap();
    let assignment = Assignment { posting_of: vec![Some(0), Some(0), Some(1)] };
    assert_eq!(
        infeasibilities(&instance, &assignment),
        vec![
            super::Infeasibility::NotAcceptable { graduate: 2, posting: 1 },
            super::Infeasibility::OverCapacity { posting: 0, filled: 2, capacity: 1 },
        ]
    );
}

#[test]
fn design_example_matches_each_graduate_to_its_only_stable_partner() {
    // graduates g1: [p2, p1], g2: [p1]; postings p1: [g1, g2], p2: [g1]; one seat each.
    let instance = Instance::new(vec![vec![1, 0], vec![0]], vec![vec![0, 1], vec![0]], vec![1, 1]).unwrap();
    for proposing in [Proposing::Graduates, Proposing::Postings] {
        assert_eq!(solve(&instance, proposing).posting_of, vec![Some(1), Some(0)]);
    }
}

#[test]
fn the_two_sides_optima_differ_when_preferences_cross() {
    // Graduates prefer p1 then p2 in opposite orders to the postings' preferences.
    let instance = Instance::new(vec![vec![0, 1], vec![1, 0]], vec![vec![1, 0], vec![0, 1]], vec![1, 1]).unwrap();
    assert_eq!(solve(&instance, Proposing::Graduates).posting_of, vec![Some(0), Some(1)]);
    let posting_optimal = solve(&instance, Proposing::Postings);
    assert_eq!(posting_optimal.posting_of, vec![Some(1), Some(0)]);
    assert_eq!(posting_optimal.graduates_of(3), vec![vec![1], vec![0], vec![]]);
}

#[test]
fn explanations_serialise_with_snake_case_codes() {
    let instance =
        Instance::new(vec![vec![0, 1], vec![0, 1], vec![1]], vec![vec![0, 1], vec![0], vec![]], vec![1, 0, 2]).unwrap();
    let explanations = explain(&instance, &solve(&instance, Proposing::Graduates));
    let json = serde_json::to_value(&explanations).unwrap();
    assert_eq!(
        json["graduates"][1]["above"][0],
        serde_json::json!({"posting": 0, "reason": {"code": "full", "lowest_admitted": 0, "lowest_admitted_rank": 0, "your_rank": 1}})
    );
    assert_eq!(json["graduates"][1]["above"][1], serde_json::json!({"posting": 1, "reason": {"code": "no_seats"}}));
    assert_eq!(json["graduates"][1]["posting"], serde_json::Value::Null);
    assert_eq!(
        json["postings"][2],
        serde_json::json!({"capacity": 2, "filled": 0, "empty_seats": {"listed_by": 0, "ranked": 0, "acceptable": 0, "placed_higher": 0}})
    );
    assert_eq!(serde_json::to_value(WhyNot::NotRanked).unwrap(), serde_json::json!({"code": "not_ranked"}));
    assert_eq!(serde_json::to_value(Proposing::Postings).unwrap(), serde_json::json!("postings"));
}

#[test]
fn instance_new_names_the_index_and_position_at_fault() {
    let error = Instance::new(vec![vec![0], vec![1, 2]], vec![vec![], vec![]], vec![1, 1]).unwrap_err();
    assert_eq!(error, InstanceError::PostingOutOfRange { graduate: 1, position: 1, posting: 2, postings: 2 });
    assert_eq!(error.to_string(), "graduate 1 lists posting 2 at position 1, but there are 2 postings");
    let error = Instance::new(vec![vec![]], vec![vec![0, 0]], vec![1]).unwrap_err();
    assert_eq!(error.to_string(), "posting 0 lists graduate 0 twice, at positions 0 and 1");
    let error = Instance::new(vec![vec![0, 0]], vec![vec![]], vec![1]).unwrap_err();
    assert_eq!(error, InstanceError::DuplicatePosting { graduate: 0, posting: 0, first: 0, second: 1 });
    let error = Instance::new(vec![], vec![vec![3]], vec![1]).unwrap_err();
    assert_eq!(error, InstanceError::GraduateOutOfRange { posting: 0, position: 0, graduate: 3, graduates: 0 });
    let error = Instance::new(vec![], vec![vec![]], vec![]).unwrap_err();
    assert_eq!(error, InstanceError::CapacityCount { postings: 1, capacities: 0 });
}

#[test]
fn the_generator_is_deterministic_and_shaped_as_documented() {
    let named = super::random_instance(50, 7, 3, 11);
    assert_eq!(named, super::random_instance(50, 7, 3, 11));
    assert_ne!(named, super::random_instance(50, 7, 3, 12));
    let instance = named.instance();
    assert_eq!((named.graduate_ids()[0].as_str(), named.posting_ids()[6].as_str()), ("g1", "p7"));
    for g in 0..50 {
        assert_eq!(instance.graduate_list(g).len(), 3);
    }
    for p in 0..7 {
        assert_eq!(instance.capacity(p), 50 / 7);
        let mut listed: Vec<u32> = instance.posting_list(p).to_vec();
        listed.sort_unstable();
        let applicants: Vec<u32> = (0..50).filter(|&g| instance.graduate_list(g).contains(&p)).collect();
        assert_eq!(listed, applicants);
    }
    let capped = super::random_instance(3, 2, 20, 1);
    assert!((0..3).all(|g| capped.instance().graduate_list(g).len() == 2));
    assert_eq!(capped.instance().capacity(0), 1);
    assert_eq!(super::random_instance(4, 0, 5, 1).instance().graduate_list(3), &[] as &[u32]);
}
