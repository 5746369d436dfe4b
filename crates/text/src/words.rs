//! Words: the unit texts are compared and hashed by.
//!
//! A word is a maximal run of letters and digits (`char::is_alphanumeric`), compared
//! lower-cased, character by character, except in the scripts written without spaces
//! between words: each Han ideograph, hiragana and katakana character is a word of its own
//! ([`is_ideograph`]), so that Chinese and Japanese text is compared by characters and its
//! shingles are character n-grams (as Lucene's standard tokenizer and CJK analyzers index
//! it); otherwise a whole clause would be one word, and two copies differing in one
//! character would share nothing. The search index (its own tokenizers are built on
//! [`each_word`]), the near-duplicate sketches, the provenance alignment and the story
//! terms all count the same words. "Tillerson's" is two words ("tillerson", "s"), "U.S."
//! two ("u", "s"), "Über_alles" two: an underscore is not a letter; "東京タワー" five.
//! Hangul is written with spaces and keeps its runs; Thai, Lao, Khmer and Burmese, also
//! written without spaces, are read as runs (one word a clause: no dictionary here).
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

/// Whether `c` is a word by itself: a Han ideograph (CJK unified ideographs and their
/// extensions, compatibility ideographs, the iteration mark 々 and 〇), hiragana or
/// katakana (full- and half-width). Every other letter or digit joins its neighbours.
pub fn is_ideograph(c: char) -> bool {
    // Below U+3005 nothing qualifies: one comparison for Latin, Cyrillic, Greek, Arabic...
    let c = c as u32;
    c >= 0x3005
        && matches!(c,
            0x3005 | 0x3007 // 々 〇
            | 0x3040..=0x30FF // hiragana, katakana
            | 0x31F0..=0x31FF // katakana phonetic extensions
            | 0x3400..=0x4DBF // extension A
            | 0x4E00..=0x9FFF // unified ideographs
            | 0xF900..=0xFAFF // compatibility ideographs
            | 0xFF66..=0xFF9F // half-width katakana
            | 0x20000..=0x3134F // extensions B-G
        )
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
        if is_word_char(c) && !is_ideograph(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            lower.clear();
            lower_into(&text[s..i], &mut lower);
            f(s..i, &lower);
        }
        if is_word_char(c) {
            // An ideograph: a word of one character (none has a lower case).
            let end = i + c.len_utf8();
            f(i..end, &text[i..end]);
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
            [
                (0..5, "été".to_owned()),
                (6..8, "in".to_owned()),
                (9..12, "東".to_owned()),
                (12..15, "京".to_owned())
            ]
        );
    }

    #[test]
    fn chinese_and_japanese_are_read_a_character_a_word_and_other_scripts_by_runs() {
        let surfaces = |text: &str| -> Vec<String> {
            words(text).iter().map(|w| w.surface(text).to_owned()).collect()
        };
        assert_eq!(surfaces("普京会见蒂勒森"), ["普", "京", "会", "见", "蒂", "勒", "森"]);
        // Kana and kanji alike; Latin letters and digits inside keep their runs.
        assert_eq!(
            surfaces("東京タワーでG7会合2017年"),
            ["東", "京", "タ", "ワ", "ー", "で", "G7", "会", "合", "2017", "年"]
        );
        // Hangul is written with spaces; Cyrillic and Arabic are runs as ever.
        assert_eq!(surfaces("푸틴 대통령"), ["푸틴", "대통령"]);
        assert_eq!(surfaces("Путин встретился"), ["Путин", "встретился"]);
        assert_eq!(surfaces("بوتين يلتقي"), ["بوتين", "يلتقي"]);
        // The same character hashes the same, wherever it stands.
        let a = words("会见");
        let b = words("他会说");
        assert_eq!(a[0].hash, b[1].hash);
    }

    #[test]
    fn a_long_text_of_ideographs_is_read_in_linear_time() {
        let text = "中".repeat(1_000_000);
        let t = std::time::Instant::now();
        assert_eq!(words(&text).len(), 1_000_000);
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "{:?}", t.elapsed());
    }
}
