//! MinHash sketches: a fixed-size summary of a text's set of word shingles from which the
//! overlap of two texts can be estimated without reading them again.
//!
//! Each of [`PERMUTATIONS`] hash functions maps a shingle to a 32-bit value; the sketch keeps
//! each function's minimum over the text's shingles. The chance that two texts share a
//! minimum is their Jaccard similarity. The functions are `x -> a*x + b (mod 2^32)` with
//! odd `a` (each one a permutation of the 32-bit values) over the shingle's xxh3 folded to
//! 32 bits: one multiply-add per function, which the compiler turns into vector
//! instructions, where 128 full 64-bit hashes per shingle would cost ten times more.
//! The constants are fixed, so sketches persist across builds.

use lede_text::hash::shingles;
use lede_text::words::{Word, words};

/// Hash functions per sketch.
pub const PERMUTATIONS: usize = 128;
/// Words per shingle (the near-duplicate benchmark's peers use 5).
pub const SHINGLE: usize = 5;
/// Bytes of a sketch as stored ([`Sketch::to_bytes`]).
pub const SKETCH_BYTES: usize = 4 + 4 * PERMUTATIONS;

/// A MinHash sketch and the size of the set it summarises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// Distinct shingles in the text (0 for a text without words).
    pub shingles: u32,
    /// The minimum of each hash function.
    pub mins: [u32; PERMUTATIONS],
}

/// One step of splitmix64.
const fn splitmix(state: u64) -> (u64, u64) {
    let state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (state, z ^ (z >> 31))
}

/// The hash functions' constants, from a fixed splitmix64 stream.
const fn constants() -> ([u32; PERMUTATIONS], [u32; PERMUTATIONS]) {
    let mut a = [0u32; PERMUTATIONS];
    let mut b = [0u32; PERMUTATIONS];
    let mut state: u64 = 0x6c65_6465_2d6d_6873; // "lede-mhs"
    let mut i = 0;
    while i < PERMUTATIONS {
        let (s, x) = splitmix(state);
        let (s, y) = splitmix(s);
        state = s;
        a[i] = (x as u32) | 1;
        b[i] = y as u32;
        i += 1;
    }
    (a, b)
}

const AB: ([u32; PERMUTATIONS], [u32; PERMUTATIONS]) = constants();

impl Sketch {
    /// The sketch of a text's words.
    pub fn of_words(words: &[Word]) -> Sketch {
        let hashes: Vec<u64> = words.iter().map(|w| w.hash).collect();
        Sketch::of_word_hashes(&hashes)
    }

    /// The sketch of a text given as its words' hashes, in order.
    pub fn of_word_hashes(hashes: &[u64]) -> Sketch {
        let mut distinct = shingles(hashes, SHINGLE);
        distinct.sort_unstable();
        distinct.dedup();
        Sketch::of_shingles(&distinct)
    }

    /// The sketch of an article's body: the words of all its paragraphs, in order.
    pub fn of_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Sketch {
        let mut all = Vec::new();
        for p in paragraphs {
            all.extend(words(p.as_ref()).iter().map(|w| w.hash));
        }
        Sketch::of_word_hashes(&all)
    }

    /// The sketch of a set of (distinct) shingle hashes.
    pub fn of_shingles(distinct: &[u64]) -> Sketch {
        let (a, b) = (&AB.0, &AB.1);
        let mut mins = [u32::MAX; PERMUTATIONS];
        for &h in distinct {
            let x = (h ^ (h >> 32)) as u32;
            for i in 0..PERMUTATIONS {
                let v = a[i].wrapping_mul(x).wrapping_add(b[i]);
                mins[i] = mins[i].min(v);
            }
        }
        Sketch { shingles: distinct.len().min(u32::MAX as usize) as u32, mins }
    }

    /// The estimated Jaccard similarity of the two shingle sets (0 if either is empty).
    pub fn jaccard(&self, other: &Sketch) -> f64 {
        if self.shingles == 0 || other.shingles == 0 {
            return 0.0;
        }
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f64 / PERMUTATIONS as f64
    }

    /// The estimated share of the larger set's shingles that the other set also has: the
    /// intersection `J (|A| + |B|) / (1 + J)` over `max(|A|, |B|)`. This is how much of the
    /// longer text the shorter one reproduces, which is what makes two articles the same
    /// article (a short excerpt of a long one is reuse, not a duplicate).
    pub fn cover_of_longer(&self, other: &Sketch) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        if a == 0.0 || b == 0.0 {
            return 0.0;
        }
        (j * (a + b) / (1.0 + j) / a.max(b)).min(1.0)
    }

    /// The sketch as stored: the shingle count, then the minima, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SKETCH_BYTES);
        out.extend_from_slice(&self.shingles.to_le_bytes());
        for m in &self.mins {
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// Reads a stored sketch; an error saying what is wrong if `bytes` is not one (a
    /// caller names the article: this crate does not know it).
    pub fn from_bytes(bytes: &[u8]) -> Result<Sketch, SketchError> {
        if bytes.len() != SKETCH_BYTES {
            return Err(SketchError { len: bytes.len() });
        }
        let word =
            |i: usize| u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap_or_default());
        let mut mins = [0u32; PERMUTATIONS];
        for (i, m) in mins.iter_mut().enumerate() {
            *m = word(i + 1);
        }
        Ok(Sketch { shingles: word(0), mins })
    }
}

/// Stored bytes that are not a sketch (a truncated or overwritten row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SketchError {
    len: usize,
}

impl std::fmt::Display for SketchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the sketch has {} bytes, not {SKETCH_BYTES}", self.len)
    }
}

impl std::error::Error for SketchError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize, offset: usize) -> String {
        (offset..offset + n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn estimates_follow_the_true_overlap() {
        let a = Sketch::of_words(&words(&text(1000, 0)));
        let b = Sketch::of_words(&words(&text(1000, 500)));
        // 496 shared shingles of 1,504: J = 0.33.
        let j = a.jaccard(&b);
        assert!((j - 0.33).abs() < 0.1, "{j}");
        let c = Sketch::of_words(&words(&text(500, 250)));
        // c lies inside a: it covers half of a.
        let cover = a.cover_of_longer(&c);
        assert!((cover - 0.5).abs() < 0.1, "{cover}");
        assert_eq!(a.jaccard(&a), 1.0);
        let empty = Sketch::of_words(&[]);
        assert_eq!(empty.jaccard(&a), 0.0);
        assert_eq!(empty.cover_of_longer(&empty), 0.0);
    }

    #[test]
    fn chinese_copies_that_differ_in_a_few_characters_are_near_duplicates() {
        // No spaces: the shingles are of characters (lede-text reads a character a word).
        let a = "美国国务卿蒂勒森周三在莫斯科与俄罗斯外长拉夫罗夫举行会谈，双方讨论了叙利亚局势、\
                 乌克兰危机以及两国关系的未来。会谈持续了数个小时，随后蒂勒森前往克里姆林宫会见普京总统。";
        let b = a.replace("周三", "星期三").replace("数个", "几个");
        let j = Sketch::of_paragraphs(&[a]).jaccard(&Sketch::of_paragraphs(&[b.as_str()]));
        assert!(j > 0.6, "{j}");
        let other = "日本首相在东京召开记者会，宣布新的经济刺激计划，将在明年春季实施，\
                     以应对消费低迷和出口放缓带来的压力。";
        let k = Sketch::of_paragraphs(&[a]).jaccard(&Sketch::of_paragraphs(&[other]));
        assert!(k < 0.1, "{k}");
    }

    #[test]
    fn bytes_round_trip_and_are_stable() {
        let s = Sketch::of_words(&words("The quick brown fox jumps over the lazy dog"));
        assert_eq!(Sketch::from_bytes(&s.to_bytes()), Ok(s.clone()));
        let damaged = Sketch::from_bytes(&[1, 2, 3]).unwrap_err();
        assert_eq!(damaged.to_string(), format!("the sketch has 3 bytes, not {SKETCH_BYTES}"));
        // Persisted: a change here makes every stored sketch wrong.
        assert_eq!(s.shingles, 5);
        assert_eq!(s.mins[0], PINNED_MIN0);
    }

    const PINNED_MIN0: u32 = 248_586_159;
}
