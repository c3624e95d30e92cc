//! Interning ids: each distinct id gets a number, in order of first sight.
//!
//! Reading a large instance looks up millions of short ids in a table too large for the
//! nearest caches, so this table is built for that: one open-addressing slot array whose
//! slots hold ids of up to 8 bytes inline (no second memory access to compare them), a fast
//! multiplicative hash (not resistant to chosen collisions: an adversarial file can only slow
//! its own reading down), and batch lookups that prefetch every slot of a list before
//! comparing any, so that their cache misses overlap.

/// Ids in order of first sight, their bytes in one arena.
#[derive(Debug)]
pub(crate) struct IdTable {
    slots: Vec<Slot>,
    arena: String,
    ends: Vec<usize>,
    /// Scratch for batch lookups.
    hashes: Vec<u64>,
}

/// `number` is the id's number plus one (0: empty slot); `tag` holds hash bits and the length
/// (up to 255) so that most mismatches are rejected without reading the id; `inline` holds ids
/// of up to 8 bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    inline: u64,
    tag: u32,
    number: u32,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Default for IdTable {
    fn default() -> Self {
        IdTable { slots: vec![Slot::default(); 64], arena: String::new(), ends: vec![0], hashes: Vec::new() }
    }
}

impl IdTable {
    pub(crate) fn len(&self) -> usize {
        self.ends.len() - 1
    }

    pub(crate) fn id(&self, number: u32) -> &str {
        &self.arena[self.ends[number as usize]..self.ends[number as usize + 1]]
    }

    /// The id's number, given one if it is new.
    pub(crate) fn number(&mut self, id: &str) -> u32 {
        self.number_hashed(id, hash(id.as_bytes()))
    }

    /// The numbers of `ids`, in order, appended to `numbers`.
    pub(crate) fn numbers(&mut self, ids: &[&str], numbers: &mut Vec<u32>) {
        let mut hashes = std::mem::take(&mut self.hashes);
        hashes.clear();
        let mask = self.slots.len() - 1;
        for id in ids {
            let hash = hash(id.as_bytes());
            hashes.push(hash);
            prefetch(&self.slots[hash as usize & mask]);
        }
        for (id, &hash) in ids.iter().zip(&hashes) {
            numbers.push(self.number_hashed(id, hash));
        }
        self.hashes = hashes;
    }

    /// Frees the lookup structures; [`Self::id`] and [`Self::ids`] still work, adding does not.
    pub(crate) fn forget_lookups(&mut self) {
        self.slots = Vec::new();
        self.hashes = Vec::new();
    }

    /// All ids by number.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        (0..self.len() as u32).map(|n| self.id(n))
    }

    fn number_hashed(&mut self, id: &str, hash: u64) -> u32 {
        let (inline, tag) = (inline(id.as_bytes()), tag(hash, id.len()));
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.number == 0 {
                break;
            }
            if slot.tag == tag && slot.inline == inline && (id.len() <= 8 || self.id(slot.number - 1) == id) {
                return slot.number - 1;
            }
            i = (i + 1) & mask;
        }
        let number = self.len() as u32;
        self.arena.push_str(id);
        self.ends.push(self.arena.len());
        self.slots[i] = Slot { inline, tag, number: number + 1 };
        if self.len() * 2 > self.slots.len() {
            self.grow();
        }
        number
    }

    /// Doubles the slots, keeping the load at most one half so that probes stay short.
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![Slot::default(); old.len() * 2];
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|slot| slot.number != 0) {
            let mut i = hash(self.id(slot.number - 1).as_bytes()) as usize & mask;
            while self.slots[i].number != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

/// The first 8 bytes of an id, zero-padded. Assembled from loads that stay inside the slice
/// rather than copied into a buffer: a copy of variable length is a library call, and reading
/// the buffer back right after stalls on store forwarding.
fn inline(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes")));
    match n {
        8.. => u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
        // Two overlapping loads; the overlap holds the same bytes in both.
        4..=7 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        1..=3 => {
            u64::from(bytes[0])
                | (u64::from(bytes[n / 2]) << (8 * (n / 2)))
                | (u64::from(bytes[n - 1]) << (8 * (n - 1)))
        }
        0 => 0,
    }
}

fn tag(hash: u64, len: usize) -> u32 {
    ((hash >> 40) as u32 & 0x00ff_ffff) | ((len.min(255) as u32) << 24)
}

/// The Fx hash of rustc over 8-byte words, rotated so that the slot index (low bits) gets the
/// well-mixed high bits of the last multiplication.
fn hash(bytes: &[u8]) -> u64 {
    let add = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    let mut hash = (bytes.len() as u64).wrapping_mul(SEED);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        hash = add(hash, u64::from_le_bytes(word.try_into().expect("8 bytes")));
    }
    if !words.remainder().is_empty() {
        hash = add(hash, inline(words.remainder()));
    }
    hash.rotate_left(26)
}

/// Asks the CPU to start loading `slot`'s cache line, so that a batch's misses overlap.
#[inline]
fn prefetch<T>(slot: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing the program sees and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((slot as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = slot;
}

#[cfg(test)]
mod tests {
    use super::IdTable;

    #[test]
    fn inline_words_are_the_zero_padded_first_bytes() {
        for text in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi"] {
            let mut word = [0u8; 8];
            let n = text.len().min(8);
            word[..n].copy_from_slice(&text.as_bytes()[..n]);
            assert_eq!(super::inline(text.as_bytes()), u64::from_le_bytes(word), "{text}");
        }
    }

    #[test]
    fn numbers_ids_in_order_of_first_sight_short_and_long() {
        let mut table = IdTable::default();
        let ids: Vec<String> =
            (0..5000).map(|i| if i % 3 == 0 { format!("a-long-id-{i}") } else { format!("g{i}") }).collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.number(id), i as u32);
        }
        let mut numbers = Vec::new();
        let batch: Vec<&str> = ids.iter().rev().map(String::as_str).chain(["new", "g1"]).collect();
        table.numbers(&batch, &mut numbers);
        let expected: Vec<u32> = (0..5000).rev().chain([5000, 1]).collect();
        assert_eq!(numbers, expected);
        assert_eq!(table.id(5000), "new");
        assert_eq!(table.ids().nth(3), Some("a-long-id-3"));
        assert_eq!(table.number(""), 5001);
        assert_eq!(table.number(""), 5001);
    }
}
