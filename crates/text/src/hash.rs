//! The stable hashes of the text layer. Every one is stored (sketches, the passage index,
//! story features), so each is xxh3 with a fixed seed and pinned by a test: a change here is
//! a change of the store format, and needs a migration.

use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Seed of shingle hashes.
const SHINGLE_SEED: u64 = 0x6c65_6465; // "lede"
/// Seed of story-term hashes.
const TERM_SEED: u64 = 0x6c65_6465_7465_726d; // "ledeterm"
/// Seed of entity-name hashes: another space than words ("Georgia" the place and the
/// word "georgia" are different features).
const ENTITY_SEED: u64 = 0x6c65_6465_656e_7469; // "ledeenti"
/// Most word hashes in one shingle.
pub const MAX_SHINGLE: usize = 16;

/// The hash of a lower-cased word (near-duplicate sketches and passage alignment).
pub fn word_hash(lower: &str) -> u64 {
    xxh3_64(lower.as_bytes())
}

/// The hash of `k` consecutive word hashes (one shingle; at most [`MAX_SHINGLE`] are read).
pub fn shingle(hashes: impl Iterator<Item = u64>, k: usize) -> u64 {
    let mut buf = [0u8; 8 * MAX_SHINGLE];
    let mut n = 0;
    for h in hashes.take(k.min(MAX_SHINGLE)) {
        buf[n..n + 8].copy_from_slice(&h.to_le_bytes());
        n += 8;
    }
    xxh3_64_with_seed(&buf[..n], SHINGLE_SEED)
}

/// The hashes of every run of `k` word hashes, in order (one when there are fewer than `k`
/// but at least one, so a short text still has something to compare).
pub fn shingles(hashes: &[u64], k: usize) -> Vec<u64> {
    if hashes.is_empty() {
        return Vec::new();
    }
    if hashes.len() < k {
        return vec![shingle(hashes.iter().copied(), k)];
    }
    hashes.windows(k).map(|w| shingle(w.iter().copied(), k)).collect()
}

/// The stored hash of a story term (a lower-cased word).
pub fn term_hash(lower: &str) -> u32 {
    xxh3_64_with_seed(lower.as_bytes(), TERM_SEED) as u32
}

/// The stored hash of an entity's canonical name.
pub fn entity_hash(name: &str) -> u32 {
    xxh3_64_with_seed(name.as_bytes(), ENTITY_SEED) as u32
}

/// The hasher of in-memory maps keyed by integers or by hashes already (word and feature
/// hashes, article numbers, story ids): a multiply and a rotate per key where the standard
/// library's SipHash runs rounds (SipHash was a quarter of clustering's time). Not stable
/// and not for untrusted keys chosen to collide: nothing hashed with it is stored, and its
/// keys come from lede's own hashes and counters.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A map keyed by integers or hashes ([`KeyHasher`]).
pub type KeyMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<KeyHasher>>;
/// A set of integers or hashes ([`KeyHasher`]).
pub type KeySet<K> = std::collections::HashSet<K, BuildHasherDefault<KeyHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::words;

    fn hashes(text: &str) -> Vec<u64> {
        words(text).iter().map(|w| w.hash).collect()
    }

    #[test]
    fn shingles_are_stable_and_order_sensitive() {
        let a = shingles(&hashes("one two three four five six"), 5);
        assert_eq!(a.len(), 2);
        assert_eq!(a, shingles(&hashes("ONE two, three; four five six!"), 5));
        assert_ne!(a[0], shingles(&hashes("two one three four five"), 5)[0]);
        assert_eq!(shingles(&hashes("just two"), 5).len(), 1);
        assert!(shingles(&hashes(" , "), 5).is_empty());
    }

    /// Stored on disk: these values must never change (Python's `xxhash` agrees).
    #[test]
    fn stored_hashes_are_pinned() {
        assert_eq!(shingles(&hashes("a b c d e"), 5)[0], 8_463_782_260_468_465_238);
        assert_eq!(word_hash("putin"), PINNED_PUTIN);
        assert_eq!(term_hash("shutdown"), 1_043_756_558);
        assert_eq!(entity_hash("Vladimir Putin"), PINNED_VLADIMIR_PUTIN);
        assert_ne!(term_hash("georgia"), entity_hash("georgia"));
    }

    const PINNED_PUTIN: u64 = 4_675_623_094_828_681_580;
    const PINNED_VLADIMIR_PUTIN: u32 = 2_620_195_928;
}
