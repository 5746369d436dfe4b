//! An article's search terms, made as the embedded index (lede-search) makes them, and
//! written as the `tsvector` of the `terms` column.
//!
//! The embedded index has a title field (tantivy's default tokenizer: lede-text's words,
//! lower-cased, shorter than 40 bytes) and a body field (lede-search's `grams`: the same
//! words, plus each pair of adjacent words of which one is a common word, at the first
//! word's position). Both go into one `tsvector` here: the body's words and pairs as they
//! are (`budget`, `of the`), the title's words under the prefix [`TITLE`] (`title:budget`),
//! which no body term can have (words hold letters and digits only). Title and body terms
//! are distinct lexemes, as they are distinct terms of distinct fields in tantivy: each has
//! its own posting list in the GIN index (a `title:` query reads only titles, with no
//! recheck) and its own document frequency, counted from the index alone.
//!
//! Positions are tantivy's plus one (a `tsvector` counts from 1), so phrases match as they
//! do there. PostgreSQL keeps at most 16,383 positions and 256 per lexeme: words past
//! position 16,383 are left out of the vector (none of the 52,060 releases is that long;
//! their longest has 7,078 words), and a word's occurrences past its 256th (12 releases
//! have such a word, "the" or "of") are not counted. The lengths BM25 needs are counted in
//! full.

use lede_text::lexicon::is_common_word;

/// The prefix of a title word's lexeme.
pub(crate) const TITLE: &str = "title:";

/// Words this long or longer (in bytes) are left out, as tantivy's `RemoveLongFilter(40)`
/// and lede-search's `grams` leave them out; they still take their position.
const MAX_WORD: usize = 40;
/// The highest position a `tsvector` holds.
const MAX_POSITION: usize = 16_383;
/// The most positions a `tsvector` keeps for one lexeme.
const MAX_POSITIONS: usize = 256;
/// What a `tsvector` holds of lexemes at most (PostgreSQL's `MAXSTRPOS`, 1 MiB less a
/// byte); past it a hostile article would fail its whole batch, so its rarest terms are
/// left out instead.
const MAX_LEXEME_BYTES: usize = (1 << 20) - 1;

/// A word of a text: its position (counting the long words left out) and its lower-cased
/// form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) position: usize,
    pub(crate) text: String,
}

/// The words of `text`, as both fields of the embedded index read them.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut position = 0;
    lede_text::words::each_word(text, |span, lower| {
        if span.len() < MAX_WORD {
            out.push(Word { position, text: lower.to_owned() });
        }
        position += 1;
    });
    out
}

/// Whether words `a` and `b` make a pair term: adjacent, one of them a common word.
fn pairs(a: &Word, b: &Word) -> bool {
    b.position == a.position + 1 && (is_common_word(&a.text) || is_common_word(&b.text))
}

/// A query's title terms: its words, as lexemes, with their positions.
pub(crate) fn title_query(text: &str) -> Vec<(usize, String)> {
    words(text).into_iter().map(|w| (w.position, format!("{TITLE}{}", w.text))).collect()
}

/// A query's body terms, as lede-search's `grams` reads a query: the pairs, and the words
/// no pair covers, in order (`"the united states"` is `the united` at 0 and `states` at 2).
pub(crate) fn body_query(text: &str) -> Vec<(usize, String)> {
    let words = words(text);
    if words.len() < 2 {
        return words.into_iter().map(|w| (w.position, w.text)).collect();
    }
    let mut covered = vec![false; words.len()];
    let mut out = Vec::with_capacity(words.len());
    for (i, pair) in words.windows(2).enumerate() {
        if pairs(&pair[0], &pair[1]) {
            covered[i] = true;
            covered[i + 1] = true;
            out.push((pair[0].position, format!("{} {}", pair[0].text, pair[1].text)));
        }
    }
    let alone = words.iter().zip(&covered).filter(|(_, c)| !**c);
    out.extend(alone.map(|(w, _)| (w.position, w.text.clone())));
    out.sort_by_key(|t| t.0);
    out
}

/// An article's search terms and the lengths of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    /// The `tsvector`, as text (`'budget':3 'title:budget':1 ...`).
    pub(crate) vector: String,
    /// How many terms the title has (tantivy's field length: its words).
    pub(crate) title_len: i32,
    /// How many terms the body has (its words and pairs).
    pub(crate) body_len: i32,
}

impl Terms {
    /// The terms of an article with this headline and these paragraphs.
    pub(crate) fn of(title: Option<&str>, paragraphs: &[String]) -> Terms {
        let mut found: Vec<(String, usize)> = Vec::new();
        let title = words(title.unwrap_or(""));
        found.extend(title.iter().map(|w| (format!("{TITLE}{}", w.text), w.position)));
        // The embedded index reads the paragraphs joined (pairs run across them).
        let body = words(&paragraphs.join("\n\n"));
        let mut body_len = body.len();
        for (i, w) in body.iter().enumerate() {
            found.push((w.text.clone(), w.position));
            if let Some(next) = body.get(i + 1)
                && pairs(w, next)
            {
                found.push((format!("{} {}", w.text, next.text), w.position));
                body_len += 1;
            }
        }
        Terms {
            vector: vector(found),
            title_len: i32::try_from(title.len()).unwrap_or(i32::MAX),
            body_len: i32::try_from(body_len).unwrap_or(i32::MAX),
        }
    }
}

/// `(lexeme, position from 0)` as `tsvector` text, within PostgreSQL's limits (see the
/// module's documentation).
fn vector(mut found: Vec<(String, usize)>) -> String {
    found.retain(|(_, p)| *p < MAX_POSITION);
    // By lexeme, then position: each lexeme's positions together, ascending.
    found.sort_unstable();
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (lexeme, position) in &found {
        match groups.last_mut() {
            Some((last, positions)) if last == lexeme => {
                if positions.len() < MAX_POSITIONS {
                    positions.push(*position);
                }
            }
            _ => groups.push((lexeme, vec![*position])),
        }
    }
    // Over the limit, the lexemes that occur least are the ones left out.
    let mut bytes: usize = groups.iter().map(|(l, _)| l.len()).sum();
    if bytes > MAX_LEXEME_BYTES {
        let mut by_count: Vec<usize> = (0..groups.len()).collect();
        by_count.sort_by_key(|&i| (groups[i].1.len(), std::cmp::Reverse(groups[i].0.len())));
        let mut dropped = vec![false; groups.len()];
        for i in by_count {
            if bytes <= MAX_LEXEME_BYTES {
                break;
            }
            bytes -= groups[i].0.len();
            dropped[i] = true;
        }
        let mut kept = dropped.iter().map(|d| !d);
        groups.retain(|_| kept.next().unwrap_or(true));
    }
    let mut out = String::with_capacity(bytes + groups.len() * 8);
    for (lexeme, positions) in groups {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&quoted(lexeme));
        out.push(':');
        for (n, p) in positions.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&(p + 1).to_string());
        }
    }
    out
}

/// A lexeme as `tsvector` or `tsquery` text (words hold letters and digits only; quoted
/// all the same).
pub(crate) fn quoted(lexeme: &str) -> String {
    let mut out = String::with_capacity(lexeme.len() + 2);
    out.push('\'');
    for c in lexeme.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_body_terms_as_the_embedded_index_makes_them() {
        let t = Terms::of(
            Some("Budget of the City"),
            &["The budget passed.".into(), "Of course".into()],
        );
        assert_eq!(
            t.vector,
            "'budget':2 'course':5 'of':4 'of course':4 'passed':3 \
             'passed of':3 'the':1 'the budget':1 'title:budget':1 'title:city':4 \
             'title:of':2 'title:the':3"
        );
        // Title: four words; body: five words and three pairs.
        assert_eq!((t.title_len, t.body_len), (4, 8));
        assert_eq!(Terms::of(None, &[]).vector, "");
    }

    #[test]
    fn long_words_keep_their_position_and_break_pairs() {
        let long = "x".repeat(MAX_WORD);
        let t = Terms::of(None, &[format!("of {long} the end")]);
        assert_eq!(t.vector, "'end':4 'of':1 'the':3 'the end':3");
        assert_eq!(t.body_len, 4);
    }

    #[test]
    fn queries_read_as_lede_search_reads_them() {
        assert_eq!(body_query("of the"), [(0, "of the".to_owned())]);
        assert_eq!(
            body_query("the United States"),
            [(0, "the united".to_owned()), (2, "states".to_owned())]
        );
        assert_eq!(
            body_query("national emergency"),
            [(0, "national".to_owned()), (1, "emergency".to_owned())]
        );
        assert_eq!(
            title_query("Use of"),
            [(0, "title:use".to_owned()), (1, "title:of".to_owned())]
        );
        assert!(body_query("— !").is_empty());
    }

    #[test]
    fn vectors_stay_within_postgresql_limits() {
        let t = Terms::of(None, &["word ".repeat(300)]);
        assert_eq!(t.vector.matches(',').count(), MAX_POSITIONS - 1, "256 positions kept");
        assert_eq!(t.body_len, 300, "the length counts them all");
        let t = Terms::of(None, &["w ".repeat(MAX_POSITION + 10)]);
        assert!(!t.vector.contains(&(MAX_POSITION + 1).to_string()));
        // Lexemes past 1 MiB: the rarest are left out, rather than the batch refused.
        let mut found: Vec<(String, usize)> =
            (0..30_000).map(|i| (format!("{i:0>60}"), i % 16_000)).collect();
        found.extend([("kept".to_owned(), 1), ("kept".to_owned(), 2)]);
        let v = vector(found);
        let lexeme_bytes: usize =
            v.split(' ').map(|g| g.rsplit_once(':').unwrap().0.len() - 2).sum();
        assert!(lexeme_bytes <= MAX_LEXEME_BYTES, "{lexeme_bytes}");
        assert!(v.contains("'kept':2,3"), "the most frequent lexeme stays");
    }
}
