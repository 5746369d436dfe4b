//! The tagger: an averaged structured perceptron over BIO labels, decoded with Viterbi.
//!
//! Data structure: one row of [`LABELS`] weights per feature hash, in an open-addressing
//! table of its own ([`Weights`]), plus a matrix of label-to-label transition weights (with
//! a row for the sentence start). A sentence's best labelling maximises the sum of its tokens' feature weights and
//! its transitions (Collins 2002); an `I-` label may only follow a `B-` or `I-` of its kind.
//!
//! The model file (`model/ner.bin`, compiled into the binary) is little-endian:
//! `LEDENER1`, the label count, the transition matrix as `f32`, a scale (`f32`), the row
//! count, then each row as a `u32` feature hash and one `i16` per label (weight = value /
//! scale), sorted by hash. Training is in [`crate::train`].

use crate::features::SentenceFeatures;
use lede_text::hash::KeyMap;

/// The labels, in the model's order.
pub const LABELS: [&str; 7] = ["O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-PLACE", "I-PLACE"];
/// How many labels there are.
pub(crate) const L: usize = LABELS.len();
/// The first bytes of a model file.
const MAGIC: &[u8; 8] = b"LEDENER1";

/// Whether label `to` may follow label `from` (`None`: the sentence start).
pub(crate) fn allowed(from: Option<usize>, to: usize) -> bool {
    let inside = to != 0 && to.is_multiple_of(2);
    !inside || from.is_some_and(|f| f == to || f == to - 1)
}

/// A trained model.
pub(crate) struct Model {
    /// Feature hash -> its weights.
    rows: Weights,
    /// `transitions[from * L + to]`; `from == L` is the sentence start.
    transitions: Vec<f32>,
}

/// One slot of [`Weights`]: a feature hash and its quantised weights, 20 bytes, so three
/// share a cache line.
#[derive(Clone, Copy)]
struct Slot {
    key: u32,
    weights: [i16; L],
}

/// Feature hash -> weights, for the tagger's hot loop (issue #13: the lookups were 15% of
/// `lede analyze`, nearly all of it waiting on memory).
///
/// Data structure: linear probing over a power-of-two array of [`Slot`]s kept at most
/// 5/8 full, weights kept as the model file's `i16`s (a third of the memory of `f32` rows
/// in a general hash map, so more of the table stays in cache). Key 0 marks an empty slot;
/// a real feature hashed to 0 lives in `zero`. [`Weights::emissions`] first touches the
/// home slot of every feature of a sentence (independent loads, which the processor
/// overlaps), then probes: the misses are paid together instead of one after another.
struct Weights {
    slots: Vec<Slot>,
    mask: usize,
    zero: Option<[i16; L]>,
    /// Multiplies a sum of `i16` weights into the model's units.
    unscale: f32,
}

impl Weights {
    fn new(rows: &[(u32, [i16; L])], scale: f32) -> Weights {
        let capacity = (rows.len() * 8 / 5 + 1).next_power_of_two().max(16);
        let empty = Slot { key: 0, weights: [0; L] };
        let mut table = Weights {
            slots: vec![empty; capacity],
            mask: capacity - 1,
            zero: None,
            unscale: 1.0 / scale,
        };
        for &(key, weights) in rows {
            if key == 0 {
                table.zero = Some(weights);
                continue;
            }
            let mut i = table.home(key);
            while table.slots[i].key != 0 && table.slots[i].key != key {
                i = (i + 1) & table.mask;
            }
            table.slots[i] = Slot { key, weights };
        }
        table
    }

    fn home(&self, key: u32) -> usize {
        // Fibonacci hashing: the feature hashes are already uniform, this only spreads them
        // over the table's top bits.
        ((u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize) & self.mask
    }

    fn get(&self, key: u32) -> Option<&[i16; L]> {
        if key == 0 {
            return self.zero.as_ref();
        }
        let mut i = self.home(key);
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return Some(&slot.weights);
            }
            if slot.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).count() + usize::from(self.zero.is_some())
    }

    /// The summed weights of each token's features.
    fn emissions(&self, feats: &SentenceFeatures) -> Vec<[f32; L]> {
        // Touch every home slot first: these loads do not depend on each other, so their
        // cache misses overlap. The xor keeps the compiler from dropping them.
        let mut touched = 0u32;
        for &f in &feats.hashes {
            touched ^= self.slots[self.home(f)].key;
        }
        std::hint::black_box(touched);
        (0..feats.len())
            .map(|i| {
                if !feats.read[i] {
                    return UNREAD;
                }
                // Integer sums are exact; one multiply turns them into weights.
                let mut sum = [0i32; L];
                for &f in feats.of(i) {
                    if let Some(w) = self.get(f) {
                        for (s, &w) in sum.iter_mut().zip(w) {
                            *s += i32::from(w);
                        }
                    }
                }
                sum.map(|s| s as f32 * self.unscale)
            })
            .collect()
    }
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub &'static str);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad model file: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError("truncated"));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
}

impl Model {
    /// Reads a model file.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return Err(ModelError("not a lede NER model"));
        }
        if r.u32()? as usize != L {
            return Err(ModelError("wrong label count"));
        }
        let mut transitions = Vec::with_capacity((L + 1) * L);
        for _ in 0..(L + 1) * L {
            transitions.push(r.f32()?);
        }
        let scale = r.f32()?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(ModelError("bad scale"));
        }
        let n = r.u32()? as usize;
        if r.0.len() != n * (4 + 2 * L) {
            return Err(ModelError("wrong length"));
        }
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let key = r.u32()?;
            let mut row = [0i16; L];
            for w in &mut row {
                *w = i16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            }
            rows.push((key, row));
        }
        Ok(Model { rows: Weights::new(&rows, scale), transitions })
    }

    /// Writes a model file from averaged weights: `rows` maps feature hashes to rows of
    /// `weights`. Rows whose weights all round to zero are left out.
    pub(crate) fn to_bytes(
        rows: &KeyMap<u32, u32>,
        weights: &[f32],
        transitions: &[f32],
    ) -> Vec<u8> {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
        let scale = f32::from(i16::MAX) / max;
        let mut keyed: Vec<(u32, [i16; L])> = rows
            .iter()
            .map(|(&key, &row)| {
                let mut q = [0i16; L];
                for (l, q) in q.iter_mut().enumerate() {
                    *q = (weights[row as usize * L + l] * scale).round() as i16;
                }
                (key, q)
            })
            .filter(|(_, q)| q.iter().any(|&v| v.unsigned_abs() > 1))
            .collect();
        keyed.sort_unstable_by_key(|&(k, _)| k);
        let mut out = Vec::with_capacity(32 + keyed.len() * (4 + 2 * L));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(L as u32).to_le_bytes());
        for t in transitions {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(keyed.len() as u32).to_le_bytes());
        for (key, q) in keyed {
            out.extend_from_slice(&key.to_le_bytes());
            for v in q {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// How many feature rows the model has.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The best labels (indices into [`LABELS`]) for a sentence.
    pub(crate) fn tag(&self, feats: &SentenceFeatures) -> Vec<usize> {
        if !feats.read.contains(&true) {
            return vec![0; feats.len()];
        }
        viterbi(&self.rows.emissions(feats), &self.transitions)
    }
}

/// The emissions of a token the tagger does not read: only `O` is possible.
const UNREAD: [f32; L] = {
    let mut e = [f32::NEG_INFINITY; L];
    e[0] = 0.0;
    e
};

/// The summed weights of each token's features, with weights found by `row` (training's
/// view of its own growing table).
pub(crate) fn emissions<'w>(
    feats: &SentenceFeatures,
    row: impl Fn(u32) -> Option<&'w [f32]>,
) -> Vec<[f32; L]> {
    (0..feats.len())
        .map(|i| {
            if !feats.read[i] {
                return UNREAD;
            }
            let mut e = [0f32; L];
            for &f in feats.of(i) {
                if let Some(w) = row(f) {
                    for (e, w) in e.iter_mut().zip(w) {
                        *e += w;
                    }
                }
            }
            e
        })
        .collect()
}

/// Viterbi over a sentence's `emissions` and the `transitions`.
pub(crate) fn viterbi(emissions: &[[f32; L]], transitions: &[f32]) -> Vec<usize> {
    let n = emissions.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[f32::NEG_INFINITY; L]; n];
    let mut back = vec![[0u8; L]; n];
    for to in 0..L {
        if allowed(None, to) {
            score[0][to] = transitions[L * L + to] + emissions[0][to];
        }
    }
    for i in 1..n {
        for to in 0..L {
            if emissions[i][to] == f32::NEG_INFINITY {
                // Impossible here (a token the tagger does not read can only be `O`).
                continue;
            }
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for from in 0..L {
                if !allowed(Some(from), to) {
                    continue;
                }
                let s = score[i - 1][from] + transitions[from * L + to];
                if s > best {
                    best = s;
                    arg = from;
                }
            }
            score[i][to] = best + emissions[i][to];
            back[i][to] = arg as u8;
        }
    }
    let mut last =
        (0..L).max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b])).expect("labels");
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = last;
        last = back[i][last] as usize;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_labels_follow_their_begin() {
        assert!(allowed(None, 0));
        assert!(allowed(None, 1));
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2));
        assert!(allowed(Some(2), 2));
        assert!(!allowed(Some(3), 2));
        assert!(!allowed(Some(0), 6));
    }

    #[test]
    fn the_weight_table_finds_every_row_and_nothing_else() {
        // Keys 0 (the empty marker), and many keys sharing home slots (probing).
        let rows: Vec<(u32, [i16; L])> =
            (0..1000u32).map(|k| (k * 64, [k as i16, 1, 2, 3, 4, 5, -(k as i16)])).collect();
        let table = Weights::new(&rows, 2.0);
        assert_eq!(table.len(), 1000);
        for &(k, w) in &rows {
            assert_eq!(table.get(k), Some(&w), "key {k}");
        }
        assert!((1..64).all(|k| table.get(k).is_none()));
        assert!(table.get(u32::MAX).is_none());
        // Emissions are the rows' sums in the model's units.
        let feats = SentenceFeatures {
            hashes: vec![64, 128, 7],
            offsets: vec![0, 2, 3],
            read: vec![true, true],
        };
        let e = table.emissions(&feats);
        assert_eq!(e[0], [1.5, 1.0, 2.0, 3.0, 4.0, 5.0, -1.5]);
        assert_eq!(e[1], [0.0; L]);
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(b"LEDENER1\x07\0\0\0").is_err());
        assert!(Model::from_bytes(b"something else entirely").is_err());
    }
}
