//! Words with their byte spans, and hashes of runs of words (shingles).
//!
//! A word is a maximal run of letters, digits and `_` (what a regex `\w+` matches), compared
//! lower-cased. Every hash here is xxh3 with a fixed seed, so sketches written
//! to disk by one build are read the same by the next.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first byte.
    pub start: u32,
    /// Byte offset just past its last byte.
    pub end: u32,
    /// xxh3 of the lower-cased word.
    pub hash: u64,
}

impl Word {
    /// The word as written in `text` (the text it was read from).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of `text`, in order. Offsets are `u32`: a text longer than 4 GiB is read up to
/// that point (lede's inputs are capped far below it).
pub fn words(text: &str) -> Vec<Word> {
    let text = &text[..text.len().min(u32::MAX as usize)];
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut lower = String::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
                lower.clear();
            }
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        } else if let Some(s) = start.take() {
            out.push(Word { start: s as u32, end: i as u32, hash: xxh3_64(lower.as_bytes()) });
        }
    }
    out
}

/// The hash of `k` consecutive word hashes (one shingle).
pub fn shingle(hashes: impl Iterator<Item = u64>, k: usize) -> u64 {
    let mut buf = [0u8; 8 * 16];
    let mut n = 0;
    for h in hashes.take(k.min(16)) {
        buf[n..n + 8].copy_from_slice(&h.to_le_bytes());
        n += 8;
    }
    xxh3_64_with_seed(&buf[..n], 0x6c65_6465)
}

/// The hashes of every run of `k` words, in order (one when there are fewer than `k`
/// words but at least one, so a short text still has something to compare).
pub fn shingles(words: &[Word], k: usize) -> Vec<u64> {
    let hashes: Vec<u64> = words.iter().map(|w| w.hash).collect();
    shingles_of_hashes(&hashes, k)
}

/// [`shingles`] over word hashes.
pub fn shingles_of_hashes(hashes: &[u64], k: usize) -> Vec<u64> {
    if hashes.is_empty() {
        return Vec::new();
    }
    if hashes.len() < k {
        return vec![shingle(hashes.iter().copied(), k)];
    }
    hashes.windows(k).map(|w| shingle(w.iter().copied(), k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_with_spans() {
        let text = "Rex Tillerson's talks — in Moscow, 2017 (Über_alles)";
        let ws = words(text);
        let surfaces: Vec<&str> = ws.iter().map(|w| w.surface(text)).collect();
        assert_eq!(
            surfaces,
            ["Rex", "Tillerson", "s", "talks", "in", "Moscow", "2017", "Über_alles"]
        );
        assert_eq!(ws[0].hash, words("rex")[0].hash);
        assert_eq!(ws[7].hash, words("über_ALLES")[0].hash);
    }

    #[test]
    fn shingles_are_stable_and_order_sensitive() {
        let a = shingles(&words("one two three four five six"), 5);
        assert_eq!(a.len(), 2);
        assert_eq!(a, shingles(&words("ONE two, three; four five six!"), 5));
        assert_ne!(a[0], shingles(&words("two one three four five"), 5)[0]);
        assert_eq!(shingles(&words("just two"), 5).len(), 1);
        assert!(shingles(&words(" , "), 5).is_empty());
        // Persisted in sketches and the passage index: this value must never change.
        assert_eq!(shingles(&words("a b c d e"), 5)[0], 8_463_782_260_468_465_238);
    }
}
