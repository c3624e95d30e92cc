//! Random instances for benchmarks and tests (`xiaoqi match gen`).

use super::instance::{Instance, Lists};
use super::named_instance::NamedInstance;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{SeedableRng, seq::index};

/// Graduates "g1".."gN" each list `choices` distinct postings (at most all of them) in random
/// order; postings "p1".."pM" each rank exactly the graduates who listed them, in random order,
/// so every listed pair is acceptable. Every posting has `max(1, N / M)` seats (rounded down),
/// about one seat per graduate in total. The same arguments give the same instance with the
/// same version of `rand`.
pub fn random_instance(graduates: u32, postings: u32, choices: u32, seed: u64) -> NamedInstance {
    let mut rng = StdRng::seed_from_u64(seed);
    let choices = choices.min(postings) as usize;

    let mut graduate_lists = Lists { offsets: vec![0], entries: Vec::with_capacity(graduates as usize * choices) };
    for _ in 0..graduates {
        let picks = index::sample(&mut rng, postings as usize, choices);
        graduate_lists.entries.extend(picks.into_iter().map(|p| p as u32));
        graduate_lists.offsets.push(graduate_lists.entries.len() as u32);
    }

    let mut counts = vec![0u32; postings as usize + 1];
    for &p in &graduate_lists.entries {
        counts[p as usize + 1] += 1;
    }
    for p in 0..postings as usize {
        counts[p + 1] += counts[p];
    }
    let offsets = counts;
    let mut cursor = offsets[..postings as usize].to_vec();
    let mut entries = vec![0u32; graduate_lists.entries.len()];
    for g in 0..graduates {
        for &p in graduate_lists.row(g) {
            entries[cursor[p as usize] as usize] = g;
            cursor[p as usize] += 1;
        }
    }
    let mut posting_lists = Lists { offsets, entries };
    for p in 0..postings {
        let range = posting_lists.range(p);
        posting_lists.entries[range].shuffle(&mut rng);
    }

    let seats = (graduates / postings.max(1)).max(1);
    let instance = Instance::from_lists(graduate_lists, posting_lists, vec![seats; postings as usize]);
    let ids = |prefix: char, n: u32| (1..=n).map(|i| format!("{prefix}{i}")).collect();
    // "g1".."gN" and "p1".."pM" are unique by construction: no id tables to check them.
    NamedInstance::from_unique_ids(ids('g', graduates), ids('p', postings), instance)
}
