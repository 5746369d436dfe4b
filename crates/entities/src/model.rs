//! The tagger: an averaged structured perceptron over BIO labels, decoded with Viterbi.
//!
//! Data structure: one row of [`LABELS`] weights per feature hash, found through a hash
//! map, plus a matrix of label-to-label transition weights (with a row for the sentence
//! start). A sentence's best labelling maximises the sum of its tokens' feature weights and
//! its transitions (Collins 2002); an `I-` label may only follow a `B-` or `I-` of its kind.
//!
//! The model file (`model/ner.bin`, compiled into the binary) is little-endian:
//! `LEDENER1`, the label count, the transition matrix as `f32`, a scale (`f32`), the row
//! count, then each row as a `u32` feature hash and one `i16` per label (weight = value /
//! scale), sorted by hash. Training is in [`crate::train`].

use crate::features::SentenceFeatures;
use crate::gazetteer::Prehashed;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

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
    /// Feature hash -> its weights, kept in the table itself so that a lookup touches one
    /// cache line, not two.
    rows: HashMap<u32, [f32; L], BuildHasherDefault<Prehashed>>,
    /// `transitions[from * L + to]`; `from == L` is the sentence start.
    transitions: Vec<f32>,
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
        let mut rows = HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default());
        for _ in 0..n {
            let key = r.u32()?;
            let mut row = [0f32; L];
            for w in &mut row {
                let q = i16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
                *w = f32::from(q) / scale;
            }
            rows.insert(key, row);
        }
        Ok(Model { rows, transitions })
    }

    /// Writes a model file from averaged weights: `rows` maps feature hashes to rows of
    /// `weights`. Rows whose weights all round to zero are left out.
    pub(crate) fn to_bytes(
        rows: &HashMap<u32, u32, BuildHasherDefault<Prehashed>>,
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
        viterbi(feats, |f| self.rows.get(&f).map(|r| r.as_slice()), &self.transitions)
    }
}

/// Viterbi over emission weights found by `row` and `transitions`.
pub(crate) fn viterbi<'w>(
    feats: &SentenceFeatures,
    row: impl Fn(u32) -> Option<&'w [f32]>,
    transitions: &[f32],
) -> Vec<usize> {
    let n = feats.len();
    if n == 0 {
        return Vec::new();
    }
    let emissions: Vec<[f32; L]> = (0..n)
        .map(|i| {
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
        .collect();
    let mut score = vec![[f32::NEG_INFINITY; L]; n];
    let mut back = vec![[0u8; L]; n];
    for to in 0..L {
        if allowed(None, to) {
            score[0][to] = transitions[L * L + to] + emissions[0][to];
        }
    }
    for i in 1..n {
        for to in 0..L {
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
    fn bad_files_are_errors() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(b"LEDENER1\x07\0\0\0").is_err());
        assert!(Model::from_bytes(b"something else entirely").is_err());
    }
}
