//! The tagger's features: what it sees of each token.
//!
//! Each feature is a name (the word, the shape of the word before, a gazetteer match) and a
//! value, hashed to 32 bits: values with xxh3 (each word's once per sentence), then mixed
//! with the name. The model keeps a weight per feature and label. The hash is stable across
//! builds and machines, so a committed model stays valid. 32 bits for a few hundred
//! thousand features collide rarely (about one pair in 10,000), and a collision only
//! merges two weights.
//!
//! Signals: the word, lower-cased, and its shape (`Xx`, `X.X.`, `d`); prefixes and
//! suffixes; the words and shapes two tokens either side; whether the token starts the
//! sentence; gazetteer matches (a listed place, organisation, nationality or title at or
//! next to the token) and known given names.

use crate::gazetteer::{Gazetteer, Listed, Match};
use lede_text::tokens::Token;
use std::borrow::Cow;
use xxhash_rust::xxh3::xxh3_64;

/// The gazetteer's view of one token: the listed name covering it, and whether it begins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Listing {
    listed: Listed,
    first: bool,
}

/// Features of every token of one sentence.
pub(crate) struct SentenceFeatures {
    /// The features of token `i` are `hashes[offsets[i]..offsets[i + 1]]`.
    pub(crate) hashes: Vec<u32>,
    pub(crate) offsets: Vec<usize>,
    /// Whether the tagger reads token `i`; a token it does not read has no features and is
    /// labelled `O` (see [`Tokens::Candidates`]).
    pub(crate) read: Vec<bool>,
}

/// Which tokens of a sentence get features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tokens {
    /// All of them (training: the perceptron learns from every token).
    All,
    /// Only those that can be part of an English name: a token with a capital letter, a
    /// token the gazetteer lists, a token at most two after a capitalised one ("Bank *of*
    /// America", "Republican *party*", "BBC Radio *1*", "Cliddesden *railway station*"),
    /// and a token with a digit before a capitalised one ("*17th* Street"). The others are
    /// labelled `O` without reading them. On the gold sets 28-39% of tokens are candidates;
    /// the tagger's weight lookups were 9% of `lede analyze` and 13% of `lede ingest` (#13).
    Candidates,
}

/// Which of `words` the tagger reads (see [`Tokens`]).
fn candidates(words: &[&str], listed: &[bool], which: Tokens) -> Vec<bool> {
    if which == Tokens::All {
        return vec![true; words.len()];
    }
    let capital: Vec<bool> = words.iter().map(|w| w.chars().any(char::is_uppercase)).collect();
    (0..words.len())
        .map(|i| {
            let after_capital = capital[i.saturating_sub(2)..i].contains(&true);
            let before_capital = capital.get(i + 1).copied().unwrap_or(false);
            capital[i]
                || listed[i]
                || after_capital
                || (before_capital && words[i].bytes().any(|b| b.is_ascii_digit()))
        })
        .collect()
}

impl SentenceFeatures {
    pub(crate) fn of(&self, i: usize) -> &[u32] {
        &self.hashes[self.offsets[i]..self.offsets[i + 1]]
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// The shape of a word: capitals become `X`, small letters `x`, digits `d`, and runs of the
/// same class collapse ("Tillerson" -> `Xx`, "U.S." -> `X.X.`, "2017" -> `d`).
#[cfg(test)]
fn shape(word: &str) -> String {
    let mut out = String::with_capacity(8);
    shape_into(word, &mut out);
    out
}

/// [`shape`], written into `out` (cleared first), so a sentence reuses one buffer.
fn shape_into(word: &str, out: &mut String) {
    out.clear();
    let mut last = None;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if last != Some(s) || !s.is_alphanumeric() {
            out.push(s);
        }
        last = Some(s);
        if out.len() >= 12 {
            break;
        }
    }
}

/// Feature names: each feature hashes its name with its value.
mod name {
    pub(super) const BIAS: u64 = 1;
    pub(super) const WORD: u64 = 2;
    pub(super) const RAW: u64 = 3;
    pub(super) const SHAPE: u64 = 4;
    pub(super) const PREFIX: u64 = 5;
    pub(super) const SUFFIX: u64 = 6;
    pub(super) const WORD_M1: u64 = 7;
    pub(super) const WORD_P1: u64 = 8;
    pub(super) const WORD_M2: u64 = 9;
    pub(super) const WORD_P2: u64 = 10;
    pub(super) const WORD_M1_WORD: u64 = 11;
    pub(super) const WORD_WORD_P1: u64 = 12;
    pub(super) const SHAPE_M1: u64 = 13;
    pub(super) const SHAPE_P1: u64 = 14;
    pub(super) const SHAPE_M1_SHAPE: u64 = 15;
    pub(super) const SHAPE_SHAPE_P1: u64 = 16;
    pub(super) const WORD_M1_SHAPE: u64 = 17;
    pub(super) const SHAPE_WORD_P1: u64 = 18;
    pub(super) const FIRST: u64 = 19;
    pub(super) const LISTED_M1: u64 = 20;
    pub(super) const LISTED: u64 = 21;
    pub(super) const LISTED_P1: u64 = 22;
    pub(super) const LISTED_POSITION: u64 = 23;
    pub(super) const CAPITALS: u64 = 24;
    pub(super) const CAPITALS_SHAPE: u64 = 25;
    pub(super) const CAPITALS_M1: u64 = 26;
    pub(super) const CAPITALS_P1: u64 = 27;
    pub(super) const GIVEN: u64 = 28;
    pub(super) const GIVEN_M1: u64 = 29;
}

/// The 32-bit hash of a feature: its name and its value's hash, mixed.
fn feature(name: u64, value: u64) -> u32 {
    let x = (value ^ name.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    (x ^ (x >> 32)) as u32
}

/// The value hash of a pair of values.
fn pair(a: u64, b: u64) -> u64 {
    a.rotate_left(23) ^ b.wrapping_mul(0xA076_1D64_78BD_642F)
}

fn hash(s: &str) -> u64 {
    xxh3_64(s.as_bytes())
}

fn listed_id(l: Listed) -> u64 {
    match l {
        Listed::Place => 1,
        Listed::Organization => 2,
        Listed::Demonym => 3,
        Listed::Title => 4,
    }
}

/// The features of each token of a sentence: `tokens` of `text`.
pub(crate) fn features(
    text: &str,
    tokens: &[Token],
    gazetteer: &Gazetteer,
    which: Tokens,
) -> SentenceFeatures {
    features_with(text, tokens, gazetteer, &gazetteer.matches(text, tokens), which)
}

/// [`features`], given the gazetteer's matches in the sentence.
pub(crate) fn features_with(
    text: &str,
    tokens: &[Token],
    gazetteer: &Gazetteer,
    matches: &[Match],
    which: Tokens,
) -> SentenceFeatures {
    let n = tokens.len();
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let mut listing: Vec<Option<Listing>> = vec![None; n];
    for m in matches {
        for (i, l) in listing.iter_mut().enumerate().take(m.end).skip(m.start) {
            *l = Some(Listing { listed: m.entry.listed, first: i == m.start });
        }
    }
    let read = candidates(&words, &listing.iter().map(Option::is_some).collect::<Vec<_>>(), which);
    // What a token's features read of its neighbours reaches two tokens either side: only
    // the tokens near one the tagger reads are looked at.
    let near: Vec<bool> =
        (0..n).map(|i| read[i.saturating_sub(2)..(i + 3).min(n)].contains(&true)).collect();
    // Most words are lower-case already: borrow those.
    let lower: Vec<Cow<'_, str>> = words
        .iter()
        .zip(&near)
        .map(|(w, &near)| {
            if !near {
                Cow::Borrowed("")
            } else if w.chars().any(char::is_uppercase) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(*w)
            }
        })
        .collect();
    let mut buffer = String::with_capacity(16);
    let shape_hashes: Vec<u64> = words
        .iter()
        .zip(&near)
        .map(|(w, &near)| {
            if !near {
                return 0;
            }
            shape_into(w, &mut buffer);
            hash(&buffer)
        })
        .collect();
    let given: Vec<bool> =
        words.iter().zip(&near).map(|(w, &near)| near && gazetteer.is_given_name(w)).collect();
    // How often news capitalises the word: 0-4, 5 for a word seldom seen.
    let capitals: Vec<u64> = lower
        .iter()
        .zip(&near)
        .map(|(w, &near)| {
            if !near {
                return 0;
            }
            gazetteer.capitalised(w).map_or(5, |c| u64::from(c.min(4)))
        })
        .collect();
    let word_hashes: Vec<u64> =
        lower.iter().zip(&near).map(|(w, &near)| if near { hash(w) } else { 0 }).collect();
    let (start, end) = (hash("<s>"), hash("</s>"));
    let at = |v: &[u64], i: isize| -> u64 {
        if i < 0 {
            start
        } else if i as usize >= n {
            end
        } else {
            v[i as usize]
        }
    };

    let mut hashes = Vec::with_capacity(n * 36);
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    for i in 0..n {
        if !read[i] {
            offsets.push(hashes.len());
            continue;
        }
        let k = i as isize;
        let w = &lower[i];
        let (wh, sh) = (word_hashes[i], shape_hashes[i]);
        let mut put = |name: u64, value: u64| hashes.push(feature(name, value));
        put(name::BIAS, 0);
        put(name::WORD, wh);
        if words[i] != w {
            put(name::RAW, hash(words[i]));
        }
        put(name::SHAPE, sh);
        for (at, c) in w.char_indices().take(4) {
            put(name::PREFIX, hash(&w[..at + c.len_utf8()]));
        }
        for (at, _) in w.char_indices().rev().take(4) {
            put(name::SUFFIX, hash(&w[at..]));
        }
        let (w_m1, w_p1) = (at(&word_hashes, k - 1), at(&word_hashes, k + 1));
        let (s_m1, s_p1) = (at(&shape_hashes, k - 1), at(&shape_hashes, k + 1));
        put(name::WORD_M1, w_m1);
        put(name::WORD_P1, w_p1);
        put(name::WORD_M2, at(&word_hashes, k - 2));
        put(name::WORD_P2, at(&word_hashes, k + 2));
        put(name::WORD_M1_WORD, pair(w_m1, wh));
        put(name::WORD_WORD_P1, pair(wh, w_p1));
        put(name::SHAPE_M1, s_m1);
        put(name::SHAPE_P1, s_p1);
        put(name::SHAPE_M1_SHAPE, pair(s_m1, sh));
        put(name::SHAPE_SHAPE_P1, pair(sh, s_p1));
        put(name::WORD_M1_SHAPE, pair(w_m1, sh));
        put(name::SHAPE_WORD_P1, pair(sh, w_p1));
        if i == 0 {
            put(name::FIRST, sh);
        }
        for (d, feature_name) in
            [(-1isize, name::LISTED_M1), (0, name::LISTED), (1, name::LISTED_P1)]
        {
            let j = k + d;
            if j >= 0
                && (j as usize) < n
                && let Some(l) = listing[j as usize]
            {
                let listed = listed_id(l.listed);
                put(feature_name, listed);
                if d == 0 {
                    put(name::LISTED_POSITION, pair(listed, u64::from(l.first)));
                }
            }
        }
        put(name::CAPITALS, capitals[i]);
        put(name::CAPITALS_SHAPE, pair(capitals[i], sh));
        if i > 0 {
            put(name::CAPITALS_M1, capitals[i - 1]);
        }
        if i + 1 < n {
            put(name::CAPITALS_P1, capitals[i + 1]);
        }
        if given[i] {
            put(name::GIVEN, 0);
        }
        if i > 0 && given[i - 1] {
            put(name::GIVEN_M1, 0);
        }
        offsets.push(hashes.len());
    }
    SentenceFeatures { hashes, offsets, read }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tagger_reads_only_tokens_that_can_be_in_a_name() {
        let words = ["the", "talks", "at", "the", "Bank", "of", "America", "on", "17th", "Street"];
        let listed = [false, true, false, false, false, false, false, false, false, false];
        let read = candidates(&words, &listed, Tokens::Candidates);
        let read: Vec<&str> =
            words.iter().zip(&read).filter(|(_, r)| **r).map(|(w, _)| *w).collect();
        assert_eq!(read, ["talks", "Bank", "of", "America", "on", "17th", "Street"]);
        assert!(candidates(&words, &listed, Tokens::All).iter().all(|r| *r));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Tillerson"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("2017"), "d");
        assert_eq!(shape("McDonald"), "XxXx");
        assert_eq!(shape("in-country"), "x-x");
    }
}
