//! The other side's view of every list entry, computed once in linear time so that no loop
//! ever searches a list.

use super::instance::Lists;

/// Marks an entry whose counterpart does not list its owner: the pair is not acceptable.
pub(crate) const UNLISTED: u32 = u32::MAX;

/// For every entry of `side` (row `i` lists `j` at some position): the position of `i` in row
/// `j` of `other`, or [`UNLISTED`]. Aligned with `side.entries`.
///
/// Works by dealing the entries of `side` into buckets per `j` (a reverse index), answering
/// each bucket with one pass over row `j` (a stamp array marks who `j` lists, and where), and
/// reading the answers back in the order they were dealt. Three passes, no searching, and only
/// one scratch array as long as the entries.
pub(crate) fn mutual_ranks(side: &Lists, other: &Lists) -> Vec<u32> {
    let buckets = other.count();
    let mut bucket_start = vec![0u32; buckets + 1];
    for &j in &side.entries {
        bucket_start[j as usize + 1] += 1;
    }
    for j in 0..buckets {
        bucket_start[j + 1] += bucket_start[j];
    }

    let mut cursor = bucket_start[..buckets].to_vec();
    let mut dealt = vec![0u32; side.entries.len()];
    for i in 0..side.count() as u32 {
        for &j in side.row(i) {
            dealt[cursor[j as usize] as usize] = i;
            cursor[j as usize] += 1;
        }
    }

    let mut listed_by = vec![UNLISTED; side.count()];
    let mut listed_at = vec![0u32; side.count()];
    for j in 0..buckets as u32 {
        for (position, &i) in other.row(j).iter().enumerate() {
            listed_by[i as usize] = j;
            listed_at[i as usize] = position as u32;
        }
        let bucket = bucket_start[j as usize] as usize..bucket_start[j as usize + 1] as usize;
        for slot in &mut dealt[bucket] {
            let i = *slot as usize;
            *slot = if listed_by[i] == j { listed_at[i] } else { UNLISTED };
        }
    }
    drop((listed_by, listed_at));

    // Each bucket was filled in ascending row order, which is the order we read it back in.
    cursor.copy_from_slice(&bucket_start[..buckets]);
    side.entries
        .iter()
        .map(|&j| {
            let answer = dealt[cursor[j as usize] as usize];
            cursor[j as usize] += 1;
            answer
        })
        .collect()
}
