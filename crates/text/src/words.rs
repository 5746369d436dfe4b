//! Words: the unit texts are compared and hashed by.
//!
//! A word is a maximal run of letters and digits (`char::is_alphanumeric`), compared
//! lower-cased, character by character. That is what tantivy's default analyzer indexes,
//! so the search index, the near-duplicate sketches, the provenance alignment and the story
//! terms all count the same words. "Tillerson's" is two words ("tillerson", "s"), "U.S."
//! two ("u", "s"), "Über_alles" two: an underscore is not a letter.
//!
//! Offsets are `u32`: a text longer than 4 GiB is read up to that point (lede's inputs are
//! capped far below it).

use crate::floor;
use crate::hash::word_hash;
use std::ops::Range;

/// One word of a text, with the hash of its lower-cased form ([`word_hash`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first byte.
    pub start: u32,
    /// Byte offset just past its last byte.
    pub end: u32,
    /// [`word_hash`] of the lower-cased word.
    pub hash: u64,
}

impl Word {
    /// The word as written in `text` (the text it was read from).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }

    /// Its byte range in the text.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Whether `c` belongs to a word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Appends the lower-cased `word` to `out` (character by character: the same form
/// whatever surrounds the word).
pub fn lower_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Calls `f` with the byte range and the lower-cased form of each word of `text`, in order.
/// The lower-cased form lives in a buffer reused from word to word.
pub fn each_word(text: &str, mut f: impl FnMut(Range<usize>, &str)) {
    let text = &text[..floor(text, u32::MAX as usize)];
    let mut lower = String::with_capacity(32);
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            lower.clear();
            lower_into(&text[s..i], &mut lower);
            f(s..i, &lower);
        }
    }
    if let Some(s) = start {
        lower.clear();
        lower_into(&text[s..], &mut lower);
        f(s..text.len(), &lower);
    }
}

/// The words of `text`, in order, with their hashes.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    each_word(text, |span, lower| {
        out.push(Word { start: span.start as u32, end: span.end as u32, hash: word_hash(lower) });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_lowercased_with_spans() {
        let text = "Rex Tillerson's talks — in Moscow, 2017 (Über_alles)";
        let ws = words(text);
        let surfaces: Vec<&str> = ws.iter().map(|w| w.surface(text)).collect();
        assert_eq!(
            surfaces,
            ["Rex", "Tillerson", "s", "talks", "in", "Moscow", "2017", "Über", "alles"]
        );
        assert_eq!(ws[0].hash, words("rex")[0].hash);
        assert_eq!(ws[7].hash, words("ÜBER")[0].hash);
        assert!(words(" , — ").is_empty());
    }

    #[test]
    fn each_word_gives_the_lower_form_and_the_span() {
        let mut seen = Vec::new();
        each_word("ÉTÉ in 東京!", |span, lower| seen.push((span, lower.to_owned())));
        assert_eq!(
            seen,
            [(0..5, "été".to_owned()), (6..8, "in".to_owned()), (9..15, "東京".to_owned())]
        );
    }
}
