//! lede's text layer: what every later stage means by a token, a word, a sentence, a
//! common word and a dateline, defined once.
//!
//! The role charabia plays for meilisearch: extraction, entities, near-duplicates,
//! provenance, stories and search all read text through this crate, so that they agree
//! (one sentence splitter, not three) and so that the hashes written to disk come from one
//! pinned place.
//!
//! - [`tokens`]: tokens with byte spans as the tagger and the quote reader need them
//!   ("U.S." and "O'Brien" are one token, punctuation marks are tokens of their own).
//! - [`words`]: the unit that is compared and hashed: a run of letters and digits,
//!   lower-cased. Sketches, shingles, story terms and the search index are made of words.
//! - [`hash`]: the stable (xxh3, fixed seeds) hashes of words, shingles, story terms and
//!   entity names, pinned by tests: they are stored.
//! - [`sentences`]: the sentence splitter, over tokens or as byte spans.
//! - [`lexicon`]: abbreviations, stop words, common words, function words, month names.
//! - [`dateline`]: the place / agency / date line that opens a news text, found or
//!   stripped.
//!
//! Tokens and words differ on purpose: a token keeps what a name is written with ("U.S.",
//! "in-country"), a word is what two texts share when they are compared ("u", "s"); every
//! word is a run of letters and digits inside the tokens' spans.
//!
//! ```
//! use lede_text::{sentences::sentence_spans, words::words};
//!
//! let text = "Mr. Tillerson met Mr. Putin. Talks lasted two hours.";
//! let spans = sentence_spans(text);
//! assert_eq!(&text[spans[0].clone()], "Mr. Tillerson met Mr. Putin.");
//! assert_eq!(words(text).len(), 9);
//! ```

pub mod dateline;
pub mod hash;
pub mod lexicon;
pub mod sentences;
pub mod tokens;
pub mod words;

/// The largest char boundary of `text` at or below `at`.
pub(crate) fn floor(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
