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
//! Words are lede-text's words (runs of letters and digits, lower-cased, a Chinese or
//! Japanese character a word), shorter than 40 bytes; the common words are lede-text's
//! lexicon's. The index's other text fields read the same words ([`Words`]).

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

/// The name under which [`Words`] replaces tantivy's default analyzer: the other text
/// fields (title, outlet, author) keep the schema they had, and read lede-text's words.
pub(crate) const WORDS: &str = "default";

/// The other text fields' tokenizer: lede-text's words, lower-cased, shorter than 40
/// bytes, without pairs. For every script but Chinese and Japanese this is what tantivy's
/// default analyzer (`SimpleTokenizer`, `RemoveLongFilter(40)`, `LowerCaser`) made of a
/// text; those two are read a character a word, as the body is, instead of a clause a
/// word (a 14-character clause was over 40 bytes and not indexed at all).
#[derive(Clone)]
pub(crate) struct Words;

impl Tokenizer for Words {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens::Query { tokens: words(text), next: 0 }
    }
}

/// The tokens [`Words`] makes of `text`.
pub(crate) fn words(text: &str) -> Vec<Token> {
    CommonGrams::words(text)
}

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

    /// The query's tokens: the pairs, and the words no pair covers, in order.
    fn query_tokens(text: &str) -> Vec<Token> {
        let words = CommonGrams::words(text);
        let pair = |i: usize| -> Option<Token> {
            let (a, b) = (&words[i], words.get(i + 1)?);
            if b.position != a.position + 1 || !(is_common(&a.text) || is_common(&b.text)) {
                return None;
            }
            Some(Token {
                offset_from: a.offset_from,
                offset_to: b.offset_to,
                position: a.position,
                text: format!("{} {}", a.text, b.text),
                position_length: 2,
            })
        };
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
        if self.query {
            Tokens::Query { tokens: CommonGrams::query_tokens(text), next: 0 }
        } else {
            Tokens::Index(IndexTokens::new(text))
        }
    }
}

/// The tokens of one text.
pub(crate) enum Tokens {
    /// A document's: made one at a time.
    Index(IndexTokens),
    /// A query's (short): made all at once.
    Query { tokens: Vec<Token>, next: usize },
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        match self {
            Tokens::Index(t) => t.advance(),
            Tokens::Query { tokens, next } => {
                *next += 1;
                *next <= tokens.len()
            }
        }
    }

    fn token(&self) -> &Token {
        match self {
            Tokens::Index(t) => &t.token,
            Tokens::Query { tokens, next } => &tokens[*next - 1],
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            Tokens::Index(t) => &mut t.token,
            Tokens::Query { tokens, next } => &mut tokens[*next - 1],
        }
    }
}

/// A document's tokens, in the order tantivy asks for them: each word, then the pair it
/// begins when it begins one. The words' lower-cased forms share one buffer and one
/// [`Token`] is rewritten for each token, so a body costs a few allocations instead of one
/// per word and pair (the tokenizer was 7% of `lede ingest`, mostly allocating; #13).
pub(crate) struct IndexTokens {
    /// Every kept word's lower-cased form, one after another.
    lowered: String,
    words: Vec<IndexedWord>,
    /// The next step: word `step / 2` itself (even), or the pair it begins (odd).
    step: usize,
    token: Token,
}

/// One word of a document.
struct IndexedWord {
    span: std::ops::Range<usize>,
    position: usize,
    /// Its lower-cased form in [`IndexTokens::lowered`].
    lower: std::ops::Range<usize>,
    common: bool,
}

impl IndexTokens {
    fn new(text: &str) -> IndexTokens {
        let mut lowered = String::with_capacity(text.len());
        let mut words = Vec::with_capacity(text.len() / 6);
        let mut position = 0;
        lede_text::words::each_word(text, |span, lower| {
            if span.len() < MAX_WORD {
                let at = lowered.len();
                lowered.push_str(lower);
                words.push(IndexedWord {
                    span,
                    position,
                    lower: at..lowered.len(),
                    common: is_common(lower),
                });
            }
            position += 1;
        });
        IndexTokens { lowered, words, step: 0, token: Token::default() }
    }

    fn advance(&mut self) -> bool {
        while self.step < 2 * self.words.len() {
            let (i, pair) = (self.step / 2, self.step % 2 == 1);
            self.step += 1;
            let a = &self.words[i];
            let t = &mut self.token;
            if !pair {
                t.offset_from = a.span.start;
                t.offset_to = a.span.end;
                t.position = a.position;
                t.position_length = 1;
                t.text.clear();
                t.text.push_str(&self.lowered[a.lower.clone()]);
                return true;
            }
            if let Some(b) = self.words.get(i + 1)
                && b.position == a.position + 1
                && (a.common || b.common)
            {
                t.offset_from = a.span.start;
                t.offset_to = b.span.end;
                t.position = a.position;
                t.position_length = 2;
                t.text.clear();
                t.text.push_str(&self.lowered[a.lower.clone()]);
                t.text.push(' ');
                t.text.push_str(&self.lowered[b.lower.clone()]);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(query: bool, s: &str) -> Vec<(usize, String)> {
        let mut grams = CommonGrams::new(query);
        let mut stream = grams.token_stream(s);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
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
    fn a_dropped_long_word_keeps_its_position_and_breaks_pairs() {
        let long = "x".repeat(MAX_WORD + 5);
        let got = texts(false, &format!("of {long} the end"));
        let want = [(0, "of"), (2, "the"), (2, "the end"), (3, "end")];
        assert_eq!(got, want.map(|(p, t)| (p, t.to_owned())));
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
