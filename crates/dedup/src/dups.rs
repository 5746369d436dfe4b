//! Near-duplicate groups: banded LSH over MinHash sketches proposes pairs, a check of how
//! much of the longer text the shorter reproduces accepts them, and groups are the
//! connected components of accepted pairs.
//!
//! What it detects: two articles are near-duplicates when runs of words they share cover at
//! least `threshold` (default half) of the longer one: a joint press release posted by
//! several offices, a wire story reposted with a new headline and a paragraph cut.
//! A short excerpt of a long article is reuse, not a duplicate (`lede trace` reports it).
//!
//! Signals: 5-word shingles; banding (42 bands of 3 rows) finds pairs whose estimated
//! Jaccard is above about 0.2 with high probability; the caller's check then decides each
//! pair (`cover_of_longer` from the sketches, or the texts for borderline pairs).
//!
//! Known failures: heavily reworded copies (synonym spinning on every other word) share too
//! few shingles to be proposed; templated releases (same letter, new names) are duplicates
//! by this measure, which is why callers may pass a time window.
//!
//! Example: `lede dups --window 3` groups the joint releases of a week's press releases.

use crate::sketch::{PERMUTATIONS, Sketch};
use xxhash_rust::xxh3::xxh3_64;

/// Rows per band: a pair with Jaccard `j` shares a band with probability
/// `1 - (1 - j^3)^42`: 0.69 at 0.3, 0.95 at 0.4, 0.997 at 0.5.
pub const ROWS: usize = 3;
/// Bands.
pub const BANDS: usize = PERMUTATIONS / ROWS;
/// A bucket larger than this (many texts sharing one band) compares each member with the
/// `MAX_BUCKET` before it rather than with all of them: identical texts are still joined
/// (through their neighbours) and the work stays linear.
const MAX_BUCKET: usize = 512;

/// One text to group: its sketch and, for the time window, its date in seconds.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The sketch.
    pub sketch: Sketch,
    /// Publication time (seconds since 1970), if known.
    pub time: Option<i64>,
}

/// How to group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Share of the longer text the shorter must reproduce (0..=1).
    pub threshold: f64,
    /// Only pair texts published at most this many seconds apart (texts without a date
    /// pair with any).
    pub window: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { threshold: 0.5, window: None }
    }
}

/// A group of near-duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Indices of the members, ascending.
    pub members: Vec<usize>,
    /// The lowest similarity among the pairs that joined the group.
    pub similarity: f64,
}

/// Disjoint sets with path halving and union by size.
struct Components {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Components {
    fn new(n: usize) -> Components {
        Components { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// Groups `docs` into near-duplicate groups of two or more. `check(i, j, estimate)` decides
/// a proposed pair (the estimate is [`Sketch::cover_of_longer`]) and returns its
/// similarity if the two are near-duplicates. Pairs already in one group are not checked
/// again. Groups come in order of their first member.
pub fn groups(
    docs: &[Doc],
    options: &Options,
    mut check: impl FnMut(usize, usize, f64) -> Option<f64>,
) -> Vec<Group> {
    let n = docs.len();
    let mut components = Components::new(n);
    let mut weakest = vec![f64::INFINITY; n];
    let mut bucket: Vec<(u64, u32)> = Vec::with_capacity(n);
    for band in 0..BANDS {
        bucket.clear();
        for (i, d) in docs.iter().enumerate() {
            if d.sketch.shingles == 0 {
                continue;
            }
            let rows = &d.sketch.mins[band * ROWS..(band + 1) * ROWS];
            let mut key = [0u8; 4 * ROWS];
            for (k, r) in rows.iter().enumerate() {
                key[4 * k..4 * k + 4].copy_from_slice(&r.to_le_bytes());
            }
            bucket.push((xxh3_64(&key), i as u32));
        }
        bucket.sort_unstable();
        for run in bucket.chunk_by(|a, b| a.0 == b.0) {
            for (k, &(_, j)) in run.iter().enumerate() {
                for &(_, i) in &run[k.saturating_sub(MAX_BUCKET)..k] {
                    let (a, b) = (&docs[i as usize], &docs[j as usize]);
                    if let (Some(window), Some(ta), Some(tb)) = (options.window, a.time, b.time)
                        && (ta - tb).abs() > window
                    {
                        continue;
                    }
                    if components.find(i) == components.find(j) {
                        continue;
                    }
                    let estimate = a.sketch.cover_of_longer(&b.sketch);
                    if let Some(similarity) = check(i as usize, j as usize, estimate) {
                        let root_sim = {
                            let (ri, rj) = (components.find(i), components.find(j));
                            weakest[ri as usize].min(weakest[rj as usize]).min(similarity)
                        };
                        components.union(i, j);
                        let root = components.find(i);
                        weakest[root as usize] = root_sim;
                    }
                }
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for i in 0..n as u32 {
        let root = components.find(i);
        if components.size[root as usize] > 1 {
            by_root.entry(root).or_default().push(i as usize);
        }
    }
    let mut out: Vec<Group> = by_root
        .into_iter()
        .map(|(root, members)| Group { members, similarity: weakest[root as usize] })
        .collect();
    out.sort_by_key(|g| g.members[0]);
    out
}

/// Words in a run that counts as shared when a pair is checked on its texts.
pub const VERIFY_WORDS: usize = 8;
/// How far from the threshold an estimate must be to be trusted without reading the texts:
/// about three standard errors of a 128-function estimate.
pub const MARGIN: f64 = 0.15;

/// Decides a proposed pair: by its sketch estimate when that is clearly above or below
/// `threshold`, else by `exact()` (reading both texts, [`cover_of_longer`]).
pub fn decide(estimate: f64, threshold: f64, exact: impl FnOnce() -> f64) -> Option<f64> {
    if estimate >= threshold + MARGIN {
        return Some(estimate);
    }
    if estimate < threshold - MARGIN {
        return None;
    }
    let exact = exact();
    (exact >= threshold).then_some(exact)
}

/// The share of the longer of two texts covered by runs of at least `k` words that the
/// other text also has (in any order): the exact form of what
/// [`Sketch::cover_of_longer`] estimates, for pairs near the threshold.
pub fn cover_of_longer(a: &[u64], b: &[u64], k: usize) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < k || long.is_empty() {
        return 0.0;
    }
    let gram = |w: &[u64]| lede_text::hash::shingle(w.iter().copied(), k);
    let mut set: Vec<u64> = short.windows(k).map(gram).collect();
    set.sort_unstable();
    set.dedup();
    let mut covered = vec![false; long.len()];
    for (i, w) in long.windows(k).enumerate() {
        if set.binary_search(&gram(w)).is_ok() {
            covered[i..i + k].iter_mut().for_each(|c| *c = true);
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / long.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_text::words::words;

    fn doc(text: &str, day: i64) -> Doc {
        Doc { sketch: Sketch::of_words(&words(text)), time: Some(day * 86_400) }
    }

    fn body(seed: usize, n: usize) -> String {
        (0..n)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn groups_copies_and_respects_the_window() {
        let a = body(1, 300);
        let a_edited = format!("Headline. {} and one more sentence here", &a[..a.len() * 9 / 10]);
        let b = body(2, 300);
        let docs = [doc(&a, 0), doc(&b, 0), doc(&a_edited, 1), doc(&a, 30), doc("", 0)];
        let by_estimate = |_: usize, _: usize, e: f64| (e >= 0.5).then_some(e);
        let got = groups(&docs, &Options::default(), by_estimate);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].members, [0, 2, 3]);
        assert!(got[0].similarity > 0.7 && got[0].similarity <= 1.0, "{got:?}");
        let windowed =
            groups(&docs, &Options { window: Some(3 * 86_400), ..Options::default() }, by_estimate);
        assert_eq!(windowed[0].members, [0, 2]);
    }

    #[test]
    fn exact_cover() {
        let h = |t: &str| words(t).iter().map(|w| w.hash).collect::<Vec<_>>();
        let long = h(&body(3, 100));
        let half = long[..50].to_vec();
        assert!((cover_of_longer(&long, &half, 8) - 0.5).abs() < 1e-9);
        assert_eq!(cover_of_longer(&half, &long, 8), cover_of_longer(&long, &half, 8));
        assert_eq!(cover_of_longer(&long, &h("too short"), 8), 0.0);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use lede_text::words::words;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-h]{1,2}", 0..120).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Near-duplicate measures are symmetric, and grouping does not depend on order.
        #[test]
        fn symmetric_and_order_free(texts in proptest::collection::vec(text(), 0..12)) {
            let hashes: Vec<Vec<u64>> =
                texts.iter().map(|t| words(t).iter().map(|w| w.hash).collect()).collect();
            let sketches: Vec<Sketch> = texts.iter().map(|t| Sketch::of_words(&words(t))).collect();
            for i in 0..texts.len() {
                for j in 0..texts.len() {
                    prop_assert_eq!(sketches[i].jaccard(&sketches[j]), sketches[j].jaccard(&sketches[i]));
                    prop_assert_eq!(
                        cover_of_longer(&hashes[i], &hashes[j], VERIFY_WORDS),
                        cover_of_longer(&hashes[j], &hashes[i], VERIFY_WORDS)
                    );
                }
            }
            let group_sets = |order: &[usize]| {
                let docs: Vec<Doc> =
                    order.iter().map(|&i| Doc { sketch: sketches[i].clone(), time: None }).collect();
                let mut sets: Vec<Vec<usize>> = groups(&docs, &Options::default(), |a, b, e| {
                    decide(e, 0.5, || cover_of_longer(&hashes[order[a]], &hashes[order[b]], VERIFY_WORDS))
                })
                .into_iter()
                .map(|g| {
                    let mut m: Vec<usize> = g.members.iter().map(|&k| order[k]).collect();
                    m.sort_unstable();
                    m
                })
                .collect();
                sets.sort();
                sets
            };
            let forward: Vec<usize> = (0..texts.len()).collect();
            let backward: Vec<usize> = forward.iter().rev().copied().collect();
            prop_assert_eq!(group_sets(&forward), group_sets(&backward));
        }
    }
}
