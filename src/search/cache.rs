//! Results kept for one searcher generation: listing pages, rendered pages, filters' sets.

use super::bits::DocBits;
use std::sync::Arc;

/// Filters' document sets per segment, for one searcher generation.
pub type FilterCache = GenerationCache<Arc<DocBits>>;

/// Results computed for one searcher generation, by key: listing pages by (viewer scope,
/// filters) here, rendered HTML pages in `http`. A new generation (every index commit, at
/// most a few a second) empties it, so a hit is never stale; a full cache (by entries, or
/// by the bytes its values hold when it weighs them) starts over.
pub struct GenerationCache<V> {
    generation: u64,
    entries: std::collections::HashMap<String, V>,
    capacity: usize,
    /// What the values hold, as `weigh` estimates it, and the most they may hold.
    bytes: usize,
    max_bytes: usize,
    weigh: fn(&V) -> usize,
}

impl<V: Clone> GenerationCache<V> {
    /// At most `capacity` entries, whatever their size.
    pub fn new(capacity: usize) -> Self {
        Self::bounded(capacity, usize::MAX, |_| 0)
    }

    /// At most `capacity` entries holding at most `max_bytes` as `weigh` counts them:
    /// distinct searches fill a cache with pages nobody asks for again, so the memory it
    /// may take is stated in bytes.
    pub fn bounded(capacity: usize, max_bytes: usize, weigh: fn(&V) -> usize) -> Self {
        Self { generation: 0, entries: std::collections::HashMap::new(), capacity, bytes: 0, max_bytes, weigh }
    }

    fn start_over(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    pub fn get(&mut self, generation: u64, key: &str) -> Option<V> {
        if generation != self.generation {
            self.generation = generation;
            self.start_over();
        }
        self.entries.get(key).cloned()
    }

    pub fn put(&mut self, generation: u64, key: String, value: V) {
        if generation != self.generation {
            return;
        }
        let weight = (self.weigh)(&value).saturating_add(key.len());
        if weight > self.max_bytes {
            return;
        }
        if self.entries.len() >= self.capacity || self.bytes.saturating_add(weight) > self.max_bytes {
            self.start_over();
        }
        let key_len = key.len();
        self.bytes += weight;
        if let Some(old) = self.entries.insert(key, value) {
            self.bytes = self.bytes.saturating_sub((self.weigh)(&old) + key_len);
        }
    }

    /// The bytes the values hold, as weighed.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

/// The value kept under `key` for `generation`, or the one `build` makes, kept for the
/// searches after. The lock is not held while building: two searches may build the same
/// value at once, and both get what the one would have.
pub fn get_or_build<V: Clone, E>(
    cache: &std::sync::Mutex<GenerationCache<V>>,
    generation: u64,
    key: String,
    build: impl FnOnce() -> Result<V, E>,
) -> Result<V, E> {
    if let Some(value) = cache.lock().expect("generation cache lock").get(generation, &key) {
        return Ok(value);
    }
    let value = build()?;
    cache.lock().expect("generation cache lock").put(generation, key, value.clone());
    Ok(value)
}

/// A short key naming `terms` (their fields and values) within a cache: what `Debug`
/// would say, without its escaping and formatting (keys are made for every search).
pub fn terms_key(terms: &[tantivy::Term]) -> String {
    use std::fmt::Write;
    let mut key = String::with_capacity(terms.len() * 12);
    for term in terms {
        let value = term.value();
        // Lengths keep keys apart whatever the values hold.
        let _ = match (value.as_str(), value.as_u64()) {
            (Some(text), _) => write!(key, "{}s{}:{text}", term.field().field_id(), text.len()),
            (None, Some(n)) => write!(key, "{}u{n};", term.field().field_id()),
            (None, None) => write!(key, "{}b{:?};", term.field().field_id(), term.serialized_value_bytes()),
        };
    }
    key
}
