//! Sentences as runs of words, for alignment.
//!
//! What it detects: sentence ends in news prose: a word followed by `.`, `!` or `?` and then
//! a word that starts with a capital letter, a digit or a quotation mark.
//!
//! Signals: the punctuation between two words; the word before it (abbreviations such as
//! "Mr", "Gov", "Sen" and single letters such as the initials in "U.S." or "J. Smith" do not
//! end a sentence).
//!
//! Known failures: an abbreviation that does end a sentence ("... in the U.S. The") is read
//! as one sentence; alignment does not mind, since a passage is a run of sentences anyway.
//! Sentences longer than [`MAX_WORDS`] are cut, so that one unpunctuated 10 MB paragraph
//! costs linear time.
//!
//! Example: "Mr. Tillerson met Mr. Putin. Talks lasted two hours." is two sentences.

use crate::words::Word;
use std::ops::Range;

/// The longest sentence, in words; longer runs are cut into pieces of this size.
pub const MAX_WORDS: usize = 80;

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
    "capt", "prof", "rev", "hon", "inc", "co", "corp", "ltd", "no", "vs", "etc", "jan", "feb",
    "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ft", "mt", "ave", "blvd", "dept",
    "univ", "assn", "bros", "est", "approx", "pres", "supt", "messrs",
];

/// The sentences of `text` (whose words are `words`), as ranges of word indices.
pub fn sentences(text: &str, words: &[Word]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..words.len() {
        let ends = match words.get(i + 1) {
            None => true,
            Some(next) => {
                let gap = &text[words[i].end as usize..next.start as usize];
                // Most words are followed by a space only: decide that first.
                gap.contains(['.', '!', '?']) && {
                    let word = words[i].surface(text);
                    let opens = text[next.start as usize..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                        || gap.contains(['"', '“', '‘', '\'']);
                    let abbreviation = word.chars().count() == 1
                        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
                    opens && (!abbreviation || gap.contains(['!', '?']))
                }
            }
        };
        if ends || i + 1 - start >= MAX_WORDS {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::words;

    fn split(text: &str) -> Vec<String> {
        let ws = words(text);
        sentences(text, &ws)
            .into_iter()
            .map(|r| text[ws[r.start].start as usize..ws[r.end - 1].end as usize].to_owned())
            .collect()
    }

    #[test]
    fn news_sentences() {
        assert_eq!(
            split(
                "Mr. Tillerson met Mr. Putin in the U.S. embassy. Talks lasted 2 hours! \"Good,\" he said. 3 more came."
            ),
            [
                "Mr. Tillerson met Mr. Putin in the U.S. embassy",
                "Talks lasted 2 hours",
                "Good,\" he said",
                "3 more came"
            ]
        );
        assert_eq!(split("no punctuation at all").len(), 1);
        assert!(split("").is_empty());
        let long = "word ".repeat(200);
        let pieces = split(&long);
        assert_eq!(pieces.len(), 3);
    }
}
