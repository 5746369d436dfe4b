//! What ingest keeps of each article for later comparison: its MinHash sketch (for
//! near-duplicates) and its passage anchors (for provenance).
//!
//! Anchors are a fixed sample of the article's four-word runs: those whose hash is 0
//! modulo [`ANCHOR_SAMPLE`]. Because the choice depends on the words only, two texts that
//! share a passage share its sampled runs, and a 25-word sentence carries about five of
//! them: enough to find its source even when one word in ten was swapped, at a quarter of
//! the index a full set would cost. Runs never cross paragraphs.

use crate::sketch::Sketch;
use crate::words::{shingles_of_hashes, words};

/// Words per anchor.
pub const ANCHOR_WORDS: usize = 4;
/// One four-word run in this many is an anchor.
pub const ANCHOR_SAMPLE: u64 = 4;

/// The sketch and anchors of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The sketch of the whole body.
    pub sketch: Sketch,
    /// Distinct anchors, ascending.
    pub anchors: Vec<u64>,
}

/// The anchors of one paragraph, in text order (repeats kept).
pub fn anchors(paragraph: &str) -> Vec<u64> {
    let hashes: Vec<u64> = words(paragraph).iter().map(|w| w.hash).collect();
    if hashes.len() < ANCHOR_WORDS {
        return Vec::new();
    }
    shingles_of_hashes(&hashes, ANCHOR_WORDS)
        .into_iter()
        .filter(|h| h % ANCHOR_SAMPLE == 0)
        .collect()
}

/// The fingerprint of an article's paragraphs.
pub fn fingerprint<S: AsRef<str>>(paragraphs: &[S]) -> Fingerprint {
    let mut all = Vec::new();
    let mut anchors_out = Vec::new();
    for p in paragraphs {
        let hashes: Vec<u64> = words(p.as_ref()).iter().map(|w| w.hash).collect();
        if hashes.len() >= ANCHOR_WORDS {
            anchors_out.extend(
                shingles_of_hashes(&hashes, ANCHOR_WORDS)
                    .into_iter()
                    .filter(|h| h % ANCHOR_SAMPLE == 0),
            );
        }
        all.extend(hashes);
    }
    let mut shingles = shingles_of_hashes(&all, crate::sketch::SHINGLE);
    shingles.sort_unstable();
    shingles.dedup();
    anchors_out.sort_unstable();
    anchors_out.dedup();
    Fingerprint { sketch: Sketch::of_shingles(&shingles), anchors: anchors_out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_a_stable_sample() {
        let text = "The meeting between the two ministers lasted for more than two hours on Wednesday afternoon in the Kremlin, officials said after it ended.";
        let a = anchors(text);
        let grams = words(text).len() - ANCHOR_WORDS + 1;
        assert!(!a.is_empty() && a.len() < grams, "{} of {grams}", a.len());
        let f = fingerprint(&[text, "Too short."]);
        let mut sorted = a;
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(f.anchors, sorted);
        assert!(f.sketch.shingles > 0);
        assert!(anchors("three short words").is_empty());
    }
}
