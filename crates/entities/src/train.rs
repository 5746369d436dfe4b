//! Training the tagger: the averaged structured perceptron (Collins 2002).
//!
//! For each training sentence, in an order shuffled per epoch (with a fixed seed, so a
//! training run is reproducible), the current weights label the sentence with Viterbi;
//! where a label is wrong, the features of that token gain weight for the right label and
//! lose it for the wrong one, and the transitions likewise. The model keeps the average of
//! the weights over every step, which generalises far better than the last weights. The
//! averages are kept lazily: each weight remembers when it last changed.
//!
//! `cargo run --release -p lede-entities --example train_ner` trains the committed model (see the
//! crate's README).

use crate::features::{SentenceFeatures, Tokens, features};
use crate::gazetteer::Gazetteer;
use crate::model::{L, LABELS, Model, emissions, viterbi};
use lede_text::hash::KeyMap;
use lede_text::tokens::Token;
use std::collections::HashMap;

/// A sentence of training data: its tokens and one BIO label per token ([`LABELS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSentence {
    /// The tokens as written.
    pub tokens: Vec<String>,
    /// The labels (`O`, `B-PERSON`, `I-ORG`, ...).
    pub labels: Vec<String>,
}

/// A sentence ready for training: its features and label indices.
struct Prepared {
    feats: SentenceFeatures,
    gold: Vec<usize>,
}

/// A perceptron being trained.
pub struct Trainer {
    rows: KeyMap<u32, u32>,
    weights: Vec<f32>,
    totals: Vec<f32>,
    stamps: Vec<u32>,
    transitions: Vec<f32>,
    transition_totals: Vec<f32>,
    transition_stamps: Vec<u32>,
    step: u32,
    data: Vec<Prepared>,
}

/// The text of a token sequence (tokens joined by spaces) and the tokens' spans in it.
pub(crate) fn layout(tokens: &[String]) -> (String, Vec<Token>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(tokens.len());
    for t in tokens {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len() as u32;
        text.push_str(t);
        spans.push(Token { start, end: text.len() as u32 });
    }
    (text, spans)
}

/// The index of a label name; unknown names are `O`.
fn label_index(name: &str) -> usize {
    LABELS.iter().position(|l| *l == name).unwrap_or(0)
}

/// Fixes labels that break the BIO rules (an `I-` with no `B-` before it becomes `B-`).
fn repair(labels: &mut [usize]) {
    for i in 0..labels.len() {
        let prev = i.checked_sub(1).map(|p| labels[p]);
        if !crate::model::allowed(prev, labels[i]) {
            labels[i] -= 1;
        }
    }
}

impl Trainer {
    /// A trainer over `sentences`.
    pub fn new(sentences: &[TrainingSentence]) -> Trainer {
        let gazetteer = Gazetteer::builtin();
        let data = sentences
            .iter()
            .filter(|s| !s.tokens.is_empty() && s.tokens.len() == s.labels.len())
            .map(|s| {
                let (text, tokens) = layout(&s.tokens);
                let mut gold: Vec<usize> = s.labels.iter().map(|l| label_index(l)).collect();
                repair(&mut gold);
                Prepared { feats: features(&text, &tokens, &gazetteer, Tokens::All), gold }
            })
            .collect();
        Trainer {
            rows: HashMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            transitions: vec![0.0; (L + 1) * L],
            transition_totals: vec![0.0; (L + 1) * L],
            transition_stamps: vec![0; (L + 1) * L],
            step: 0,
            data,
        }
    }

    /// How many usable sentences there are.
    pub fn sentences(&self) -> usize {
        self.data.len()
    }

    fn row(&mut self, feature: u32) -> usize {
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(feature).or_insert(next) as usize;
        if row == next as usize {
            self.weights.extend([0.0; L]);
            self.totals.extend([0.0; L]);
            self.stamps.extend([0; L]);
        }
        row
    }

    fn bump(&mut self, at: usize, delta: f32) {
        self.totals[at] += (self.step - self.stamps[at]) as f32 * self.weights[at];
        self.stamps[at] = self.step;
        self.weights[at] += delta;
    }

    fn bump_transition(&mut self, at: usize, delta: f32) {
        self.transition_totals[at] +=
            (self.step - self.transition_stamps[at]) as f32 * self.transitions[at];
        self.transition_stamps[at] = self.step;
        self.transitions[at] += delta;
    }

    /// Runs one pass over the data in an order drawn from `seed`; returns the share of
    /// tokens labelled right before their update.
    pub fn epoch(&mut self, seed: u64) -> f64 {
        let mut order: Vec<usize> = (0..self.data.len()).collect();
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let (mut right, mut all) = (0usize, 0usize);
        for k in order {
            self.step += 1;
            let predicted = {
                let s = &self.data[k];
                let (rows, weights) = (&self.rows, &self.weights);
                let e =
                    emissions(&s.feats, |f| rows.get(&f).map(|&r| &weights[r as usize * L..][..L]));
                viterbi(&e, &self.transitions)
            };
            let gold = std::mem::take(&mut self.data[k].gold);
            all += gold.len();
            for i in 0..gold.len() {
                if predicted[i] == gold[i] {
                    right += 1;
                    continue;
                }
                let feats: Vec<u32> = self.data[k].feats.of(i).to_vec();
                for f in feats {
                    let row = self.row(f);
                    self.bump(row * L + gold[i], 1.0);
                    self.bump(row * L + predicted[i], -1.0);
                }
            }
            for i in 0..gold.len() {
                let from_gold = i.checked_sub(1).map_or(L, |p| gold[p]);
                let from_pred = i.checked_sub(1).map_or(L, |p| predicted[p]);
                if (from_gold, gold[i]) != (from_pred, predicted[i]) {
                    self.bump_transition(from_gold * L + gold[i], 1.0);
                    self.bump_transition(from_pred * L + predicted[i], -1.0);
                }
            }
            self.data[k].gold = gold;
        }
        right as f64 / all.max(1) as f64
    }

    /// The averaged model, as a model file.
    pub fn model(&self) -> Vec<u8> {
        let step = self.step.max(1) as f32;
        let average = |w: &[f32], t: &[f32], s: &[u32]| -> Vec<f32> {
            w.iter()
                .zip(t)
                .zip(s)
                .map(|((&w, &t), &s)| (t + (self.step - s) as f32 * w) / step)
                .collect()
        };
        let weights = average(&self.weights, &self.totals, &self.stamps);
        let transitions =
            average(&self.transitions, &self.transition_totals, &self.transition_stamps);
        Model::to_bytes(&self.rows, &weights, &transitions)
    }
}

/// Labels gold-tokenised sentences with a model file: one label name per token.
pub fn label_tokens(
    model: &[u8],
    sentences: &[Vec<String>],
) -> Result<Vec<Vec<&'static str>>, crate::model::ModelError> {
    let model = Model::from_bytes(model)?;
    let gazetteer = Gazetteer::builtin();
    Ok(sentences
        .iter()
        .map(|tokens| {
            let (text, spans) = layout(tokens);
            // As lede reads: only the tokens that can be part of a name.
            let feats = features(&text, &spans, &gazetteer, Tokens::Candidates);
            model.tag(&feats).into_iter().map(|l| LABELS[l]).collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(words: &str, labels: &str) -> TrainingSentence {
        TrainingSentence {
            tokens: words.split(' ').map(str::to_owned).collect(),
            labels: labels.split(' ').map(str::to_owned).collect(),
        }
    }

    #[test]
    fn learns_a_toy_language() {
        let data = vec![
            sentence("Alice Brown visited Paris", "B-PERSON I-PERSON O B-PLACE"),
            sentence("Carol White left Rome", "B-PERSON I-PERSON O B-PLACE"),
            sentence("the Acme Corp hired Dave Green", "O B-ORG I-ORG O B-PERSON I-PERSON"),
            sentence("Erin Black joined Zeta Corp", "B-PERSON I-PERSON O B-ORG I-ORG"),
        ];
        let mut t = Trainer::new(&data);
        assert_eq!(t.sentences(), 4);
        for e in 0..10 {
            t.epoch(e);
        }
        assert!(t.epoch(99) > 0.99);
        let model = t.model();
        let labels = label_tokens(
            &model,
            &[vec!["Frank".into(), "Gray".into(), "visited".into(), "Rome".into()]],
        )
        .unwrap();
        assert_eq!(labels[0], ["B-PERSON", "I-PERSON", "O", "B-PLACE"]);
    }
}
