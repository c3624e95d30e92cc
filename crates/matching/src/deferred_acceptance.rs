//! Deferred acceptance (Gale–Shapley), many-to-one with capacities, from either side.
//!
//! Both directions give a stable matching: graduate-proposing the one every graduate likes
//! best among stable matchings, posting-proposing the one every graduate likes least (and
//! postings best). Each proposal costs O(1) or O(log capacity): ranks are looked up in
//! arrays from [`mutual_ranks`], never searched for.

use super::instance::Instance;
use super::ranks::{UNLISTED, mutual_ranks};

/// Which side proposes, and so whose optimum the stable matching is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Proposing {
    /// Graduate-optimal; no graduate gains by misreporting their list.
    #[default]
    Graduates,
    /// Posting-optimal.
    Postings,
}

/// The posting each graduate is matched to, if any, indexed by graduate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    pub posting_of: Vec<Option<u32>>,
}

impl Assignment {
    /// Graduates per posting, each posting's in ascending graduate order.
    pub fn graduates_of(&self, postings: usize) -> Vec<Vec<u32>> {
        let mut placed = vec![Vec::new(); postings];
        for (g, p) in self.posting_of.iter().enumerate() {
            if let Some(p) = p {
                placed[*p as usize].push(g as u32);
            }
        }
        placed
    }
}

/// The stable matching optimal for the `proposing` side. Linear in the total list length,
/// times the log of the largest capacity for graduate-proposing.
pub fn solve(instance: &Instance, proposing: Proposing) -> Assignment {
    match proposing {
        Proposing::Graduates => graduates_propose(instance),
        Proposing::Postings => postings_propose(instance),
    }
}

/// Graduates propose down their lists; each posting holds its best `capacity` proposers so far
/// in a max-heap keyed by its rank of them, so the worst is at the top, ready to be evicted.
fn graduates_propose(instance: &Instance) -> Assignment {
    let lists = &instance.graduates;
    let rank_by_posting = mutual_ranks(lists, &instance.postings);

    // A posting never holds more than it lists, so its heap needs no more room than that.
    let mut seats_start = Vec::with_capacity(instance.postings() + 1);
    seats_start.push(0usize);
    for p in 0..instance.postings() as u32 {
        let room = instance.capacity(p).min(instance.postings.row(p).len() as u32);
        seats_start.push(seats_start[p as usize] + room as usize);
    }
    let mut seats = vec![0u64; seats_start[instance.postings()]];
    let mut held = vec![0u32; instance.postings()];
    let mut next: Vec<u32> = lists.offsets[..instance.graduates()].to_vec();

    for first in 0..instance.graduates() as u32 {
        let mut suitor = first;
        'chain: loop {
            let end = lists.offsets[suitor as usize + 1];
            while next[suitor as usize] < end {
                let entry = next[suitor as usize] as usize;
                next[suitor as usize] += 1;
                let rank = rank_by_posting[entry];
                if rank == UNLISTED {
                    continue;
                }
                let p = lists.entries[entry] as usize;
                let heap = &mut seats[seats_start[p]..seats_start[p + 1]];
                let key = seat_key(rank, suitor);
                if (held[p] as usize) < heap.len() {
                    push(&mut heap[..=held[p] as usize], key);
                    held[p] += 1;
                    break 'chain;
                }
                if heap.first().is_some_and(|&worst| worst > key) {
                    let evicted = heap[0] as u32;
                    heap[0] = key;
                    sift_down(heap, 0);
                    suitor = evicted;
                    continue 'chain;
                }
            }
            break;
        }
    }

    let mut posting_of = vec![None; instance.graduates()];
    for p in 0..instance.postings() {
        for &key in &seats[seats_start[p]..seats_start[p] + held[p] as usize] {
            posting_of[key as u32 as usize] = Some(p as u32);
        }
    }
    Assignment { posting_of }
}

/// Postings with open seats offer them down their lists; each graduate keeps the best offer so
/// far and releases the seat of the one it drops, which sends that posting back to offering.
fn postings_propose(instance: &Instance) -> Assignment {
    let lists = &instance.postings;
    let rank_by_graduate = mutual_ranks(lists, &instance.graduates);

    let mut held_from = vec![UNLISTED; instance.graduates()];
    let mut held_rank = vec![UNLISTED; instance.graduates()];
    let mut filled = vec![0u32; instance.postings()];
    let mut next: Vec<u32> = lists.offsets[..instance.postings()].to_vec();
    let mut offering: Vec<u32> = (0..instance.postings() as u32).rev().collect();
    let mut is_offering = vec![true; instance.postings()];

    while let Some(p) = offering.pop() {
        is_offering[p as usize] = false;
        let (capacity, end) = (instance.capacity(p), lists.offsets[p as usize + 1]);
        while filled[p as usize] < capacity && next[p as usize] < end {
            let entry = next[p as usize] as usize;
            next[p as usize] += 1;
            let g = lists.entries[entry] as usize;
            let rank = rank_by_graduate[entry];
            if rank >= held_rank[g] {
                continue;
            }
            let dropped = held_from[g];
            if dropped != UNLISTED {
                filled[dropped as usize] -= 1;
                if !is_offering[dropped as usize] {
                    is_offering[dropped as usize] = true;
                    offering.push(dropped);
                }
            }
            held_from[g] = p;
            held_rank[g] = rank;
            filled[p as usize] += 1;
        }
    }

    let posting_of = held_from.into_iter().map(|p| (p != UNLISTED).then_some(p)).collect();
    Assignment { posting_of }
}

/// Ordered by the posting's rank of the graduate (worse is larger), then by graduate.
fn seat_key(rank: u32, graduate: u32) -> u64 {
    (u64::from(rank) << 32) | u64::from(graduate)
}

/// Restores the max-heap after `heap`'s last element was written.
fn push(heap: &mut [u64], key: u64) {
    let mut child = heap.len() - 1;
    while child > 0 {
        let parent = (child - 1) / 2;
        if heap[parent] >= key {
            break;
        }
        heap[child] = heap[parent];
        child = parent;
    }
    heap[child] = key;
}

fn sift_down(heap: &mut [u64], mut parent: usize) {
    let key = heap[parent];
    loop {
        let mut child = 2 * parent + 1;
        if child >= heap.len() {
            break;
        }
        if child + 1 < heap.len() && heap[child + 1] > heap[child] {
            child += 1;
        }
        if heap[child] <= key {
            break;
        }
        heap[parent] = heap[child];
        parent = child;
    }
    heap[parent] = key;
}
