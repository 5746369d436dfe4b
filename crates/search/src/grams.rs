//! Common-word bigrams, so that phrases of common words are cheap.
//!
//! A phrase query must look at the positions of every document holding all its words;
//! for `"of the"` that is every document, hundreds of milliseconds on a million articles.
//! As Lucene's CommonGrams does, the index also holds, for each pair of adjacent words of
//! which one is a common word, the pair as one term (`"of the"`), at the first word's
//! position. At query time a phrase is rewritten to those pair terms plus the words no pair
//! covers: `"of the"` becomes one term whose postings are short, `"the united states"`
//! becomes `"the united"` then `states` two positions on. The rewrite is exact.
//!
//! Words are lede-text's words (runs of letters and digits, lower-cased; what tantivy's
//! default analyzer makes of the text too), shorter than 40 bytes; the common words are
//! lede-text's lexicon's.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the index's body field uses for its tokenizer.
pub(crate) const NAME: &str = "lede_grams";

pub(crate) use lede_text::lexicon::is_common_word as is_common;

/// The tokenizer: `query` false for indexing (words and pairs), true for queries (pairs
/// and the words no pair covers).
#[derive(Clone)]
pub(crate) struct CommonGrams {
    query: bool,
}

/// Words longer than this (in bytes) are dropped, as tantivy's `RemoveLongFilter(40)` does.
const MAX_WORD: usize = 40;

impl CommonGrams {
    pub(crate) fn new(query: bool) -> CommonGrams {
        CommonGrams { query }
    }

    /// The words of `text` (lede-text's), each with its byte range and position (a dropped
    /// long word still takes its position).
    fn words(text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 6);
        let mut position = 0;
        lede_text::words::each_word(text, |span, lower| {
            if span.len() < MAX_WORD {
                out.push(Token {
                    offset_from: span.start,
                    offset_to: span.end,
                    position,
                    text: lower.to_owned(),
                    position_length: 1,
                });
            }
            position += 1;
        });
        out
    }

    fn tokens(&mut self, text: &str) -> Vec<Token> {
        let words = CommonGrams::words(text);
        let pair = |i: usize| -> Option<Token> {
            let (a, b) = (&words[i], words.get(i + 1)?);
            if b.position != a.position + 1 || !(is_common(&a.text) || is_common(&b.text)) {
                return None;
            }
            let mut text = String::with_capacity(a.text.len() + 1 + b.text.len());
            text.push_str(&a.text);
            text.push(' ');
            text.push_str(&b.text);
            Some(Token {
                offset_from: a.offset_from,
                offset_to: b.offset_to,
                position: a.position,
                text,
                position_length: 2,
            })
        };
        if !self.query {
            let grams: Vec<Option<Token>> = (0..words.len()).map(pair).collect();
            let mut out = Vec::with_capacity(words.len() * 2);
            for (word, gram) in words.into_iter().zip(grams) {
                out.push(word);
                out.extend(gram);
            }
            return out;
        }
        if words.len() < 2 {
            return words;
        }
        let mut out = Vec::with_capacity(words.len());
        let mut covered = vec![false; words.len()];
        for i in 0..words.len() {
            if let Some(p) = pair(i) {
                covered[i] = true;
                covered[i + 1] = true;
                out.push(p);
            }
        }
        out.extend(words.iter().zip(&covered).filter(|(_, c)| !**c).map(|(w, _)| w.clone()));
        out.sort_by_key(|t| t.position);
        out
    }
}

impl Tokenizer for CommonGrams {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens { tokens: self.tokens(text), next: 0 }
    }
}

/// The tokens of one text.
pub(crate) struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(query: bool, s: &str) -> Vec<(usize, String)> {
        CommonGrams::new(query).tokens(s).into_iter().map(|t| (t.position, t.text)).collect()
    }

    #[test]
    fn indexes_words_and_common_pairs() {
        let got = texts(false, "The United States of America");
        let want: Vec<(usize, String)> = [
            (0, "the"),
            (0, "the united"),
            (1, "united"),
            (2, "states"),
            (2, "states of"),
            (3, "of"),
            (3, "of america"),
            (4, "america"),
        ]
        .iter()
        .map(|(p, t)| (*p, (*t).to_owned()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn queries_use_pairs_where_they_can() {
        assert_eq!(texts(true, "of the"), [(0, "of the".to_owned())]);
        assert_eq!(
            texts(true, "the United States"),
            [(0, "the united".to_owned()), (2, "states".to_owned())]
        );
        assert_eq!(
            texts(true, "national emergency"),
            [(0, "national".to_owned()), (1, "emergency".to_owned())]
        );
        assert_eq!(texts(true, "budget"), [(0, "budget".to_owned())]);
    }
}
