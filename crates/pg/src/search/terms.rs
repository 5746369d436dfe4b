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
use rustc_hash::FxHashMap;
use std::fmt::Write;

/// The prefix of a title word's lexeme.
pub(crate) const TITLE: &str = "title:";
/// The prefix of an outlet word's lexeme (lede-search's `outlet` field).
pub(crate) const OUTLET: &str = "outlet:";
/// The prefix of an author's word's lexeme (`author`).
pub(crate) const AUTHOR: &str = "author:";
/// The prefix of an entity's lexeme: its canonical name, lower-cased, runs of spaces as
/// one (`entity`).
pub(crate) const ENTITY: &str = "entity:";
/// The prefix of the outlet's whole name, trimmed and lower-cased (`outlet_key`, the
/// outlet filter's).
pub(crate) const OUTLET_KEY: &str = "outlet_key:";
/// The prefix of a stem's lexeme (lede-search's `stems` field: an article in a language
/// with a stemmer, its body's words cut to their stems, stop words left out).
pub(crate) const STEM: &str = "stem:";
/// The longest lexeme PostgreSQL takes (`MAXSTRLEN`, 2 KiB less a byte): an outlet or an
/// entity name longer than this is left out of the vector (it still counts in its field's
/// length), rather than failing the batch.
const MAX_LEXEME: usize = 2_047;

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

/// A query's terms in a field read by tantivy's default tokenizer (the title, the
/// outlet, the authors): its words, as lexemes under `prefix`, with their positions.
pub(crate) fn field_query(prefix: &str, text: &str) -> Vec<(usize, String)> {
    words(text).into_iter().map(|w| (w.position, format!("{prefix}{}", w.text))).collect()
}

/// Whether `lexeme` is a body term (a word or a pair: the other fields' lexemes have a
/// prefix, and words hold letters and digits only).
pub(crate) fn is_body(lexeme: &str) -> bool {
    !lexeme.contains(':')
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

/// What the embedded index reads of an article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub(crate) title: Option<&'a str>,
    pub(crate) paragraphs: &'a [String],
    pub(crate) outlet: Option<&'a str>,
    pub(crate) authors: &'a [String],
    /// The canonical names of the entities it names.
    pub(crate) entities: &'a [&'a str],
    /// Its language (ISO 639-1), which decides its stems.
    pub(crate) language: Option<&'a str>,
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
    /// How many words the outlet has.
    pub(crate) outlet_len: i32,
    /// How many words the authors have, all of them.
    pub(crate) author_len: i32,
    /// How many entity names (one term each).
    pub(crate) entity_len: i32,
    /// 1 with an outlet (its whole name is one term), else 0.
    pub(crate) outlet_key_len: i32,
    /// How many stems the body has (0 for an article in a language without a stemmer).
    pub(crate) stem_len: i32,
}

impl Terms {
    /// The terms of an article.
    pub(crate) fn of(source: Source<'_>) -> Terms {
        let mut lexicon = Lexicon::default();
        let title_len = lexicon.text_field(TITLE, source.title.iter().copied());
        // The embedded index reads the paragraphs joined: positions, and pairs, run on
        // from one to the next.
        let (mut body_len, mut position, mut previous) = (0usize, 0u32, None);
        for paragraph in source.paragraphs {
            lede_text::words::each_word(paragraph, |span, lower| {
                if span.len() < MAX_WORD {
                    let id = lexicon.id(lower);
                    lexicon.found.push((id, position));
                    body_len += 1;
                    if let Some((before, at)) = previous
                        && at + 1 == position
                        && (lexicon.common[before as usize] || lexicon.common[id as usize])
                    {
                        let pair = lexicon.pair(before, id);
                        lexicon.found.push((pair, at));
                        body_len += 1;
                    }
                    previous = Some((id, position));
                }
                position += 1;
            });
        }
        let outlet_len = lexicon.text_field(OUTLET, source.outlet.iter().copied());
        let author_len = lexicon.text_field(AUTHOR, source.authors.iter().map(String::as_str));
        // Whole names, one term each (tantivy's raw tokenizer), each value two positions
        // on from the last as tantivy places a field's values.
        for (n, name) in source.entities.iter().enumerate() {
            lexicon.key(ENTITY, &entity_key(name), 2 * n as u32);
        }
        if let Some(outlet) = source.outlet {
            lexicon.key(OUTLET_KEY, &outlet_key(outlet), 0);
        }
        // The stems of the body, joined as lede-search joins it for its `stems` field.
        let mut stem_len = 0;
        if let Some(lang) = source.language.and_then(lede_search::stems::language) {
            let body = source.paragraphs.join("\n\n");
            let mut name = String::from(STEM);
            for (position, stem) in lede_search::stems::positioned(&body, lang) {
                stem_len += 1;
                // Counted, as tantivy counts it, but not a lexeme PostgreSQL can hold.
                if STEM.len() + stem.len() > MAX_LEXEME {
                    continue;
                }
                name.truncate(STEM.len());
                name.push_str(&stem);
                let id = lexicon.id(&name);
                lexicon.found.push((id, u32::try_from(position).unwrap_or(u32::MAX)));
            }
        }
        let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Terms {
            vector: lexicon.vector(),
            title_len: int(title_len),
            body_len: int(body_len),
            outlet_len: int(outlet_len),
            author_len: int(author_len),
            entity_len: int(source.entities.len()),
            outlet_key_len: int(usize::from(source.outlet.is_some())),
            stem_len: int(stem_len),
        }
    }
}

/// An entity's canonical name as lede-search's `entity` field holds it: runs of spaces as
/// one, lower-cased.
pub(crate) fn entity_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// An outlet's name as lede-search's `outlet_key` field holds it: trimmed, lower-cased.
pub(crate) fn outlet_key(outlet: &str) -> String {
    outlet.trim().to_lowercase()
}

/// The distinct lexemes of one article, each once (a string per lexeme, not per
/// occurrence: making the terms was 400 µs an article of 1,500 words that way), and where
/// each occurs.
#[derive(Default)]
struct Lexicon {
    names: Vec<String>,
    /// Whether each is a common word (of pairs: never looked at).
    common: Vec<bool>,
    words: FxHashMap<String, u32>,
    pairs: FxHashMap<(u32, u32), u32>,
    /// Each occurrence: the lexeme and its position (from 0).
    found: Vec<(u32, u32)>,
}

impl Lexicon {
    /// The id of the word (or title word) `name`.
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.words.get(name) {
            return id;
        }
        let id = self.add(name.to_owned(), is_common_word(name));
        self.words.insert(name.to_owned(), id);
        id
    }

    /// Adds the words of `values`, the values of one field read by tantivy's default
    /// tokenizer (lede-text's words, lower-cased, shorter than 40 bytes), as lexemes under
    /// `prefix`: each value's words one position after the last's end, as tantivy places
    /// a field's values. Returns the field's length, its words.
    fn text_field<'v>(&mut self, prefix: &str, values: impl Iterator<Item = &'v str>) -> usize {
        let (mut len, mut base) = (0usize, 0u32);
        let mut name = String::from(prefix);
        for value in values {
            let (mut position, mut end) = (base, base);
            lede_text::words::each_word(value, |span, lower| {
                if span.len() < MAX_WORD {
                    name.truncate(prefix.len());
                    name.push_str(lower);
                    let id = self.id(&name);
                    self.found.push((id, position));
                    len += 1;
                    end = position + 1;
                }
                position += 1;
            });
            base = end + 1;
        }
        len
    }

    /// Adds `key` (a whole name, one term) under `prefix` at `position`, if PostgreSQL can
    /// hold it.
    fn key(&mut self, prefix: &str, key: &str, position: u32) {
        if !key.is_empty() && prefix.len() + key.len() <= MAX_LEXEME {
            let id = self.id(&format!("{prefix}{key}"));
            self.found.push((id, position));
        }
    }

    /// The id of the pair of words `a` and `b`.
    fn pair(&mut self, a: u32, b: u32) -> u32 {
        if let Some(&id) = self.pairs.get(&(a, b)) {
            return id;
        }
        let name = format!("{} {}", self.names[a as usize], self.names[b as usize]);
        let id = self.add(name, false);
        self.pairs.insert((a, b), id);
        id
    }

    fn add(&mut self, name: String, common: bool) -> u32 {
        self.names.push(name);
        self.common.push(common);
        u32::try_from(self.names.len() - 1).expect("an article has fewer than 2^32 lexemes")
    }

    /// The lexemes and their positions as `tsvector` text, within PostgreSQL's limits (see
    /// the module's documentation).
    fn vector(mut self) -> String {
        self.found.retain(|&(_, p)| (p as usize) < MAX_POSITION);
        self.found.sort_unstable();
        // Each lexeme with its positions, ascending, at most MAX_POSITIONS of them.
        let mut groups: Vec<(u32, &[(u32, u32)])> = Vec::new();
        for run in self.found.chunk_by(|a, b| a.0 == b.0) {
            groups.push((run[0].0, &run[..run.len().min(MAX_POSITIONS)]));
        }
        let name = |id: u32| self.names[id as usize].as_str();
        // Over the limit, the lexemes that occur least are the ones left out.
        let mut bytes: usize = groups.iter().map(|g| name(g.0).len()).sum();
        if bytes > MAX_LEXEME_BYTES {
            groups.sort_by_key(|g| (std::cmp::Reverse(g.1.len()), name(g.0).len()));
            while bytes > MAX_LEXEME_BYTES
                && let Some(g) = groups.pop()
            {
                bytes -= name(g.0).len();
            }
        }
        groups.sort_unstable_by(|a, b| name(a.0).cmp(name(b.0)));
        let mut out = String::with_capacity(bytes + groups.len() * 8);
        for (id, positions) in groups {
            if !out.is_empty() {
                out.push(' ');
            }
            push_quoted(&mut out, name(id));
            out.push(':');
            for (n, (_, p)) in positions.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write!(out, "{}", p + 1).expect("writing to a String");
            }
        }
        out
    }
}

/// A lexeme as `tsvector` or `tsquery` text (words hold letters and digits only; quoted
/// all the same).
pub(crate) fn quoted(lexeme: &str) -> String {
    let mut out = String::with_capacity(lexeme.len() + 2);
    push_quoted(&mut out, lexeme);
    out
}

fn push_quoted(out: &mut String, lexeme: &str) {
    out.push('\'');
    for c in lexeme.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source<'a>(title: Option<&'a str>, paragraphs: &'a [String]) -> Source<'a> {
        Source { title, paragraphs, outlet: None, authors: &[], entities: &[], language: None }
    }

    #[test]
    fn outlet_authors_and_entities_as_the_embedded_index_holds_them() {
        let authors = ["Ann Lee".to_owned(), "Bo".to_owned()];
        let t = Terms::of(Source {
            title: None,
            paragraphs: &[],
            outlet: Some(" Office of B "),
            authors: &authors,
            entities: &["Donald  Trump", "Été"],
            language: None,
        });
        // Authors: the second value two positions past the first's last word.
        assert_eq!(
            t.vector,
            "'author:ann':1 'author:bo':4 'author:lee':2 'entity:donald trump':1 \
             'entity:été':3 'outlet:b':3 'outlet:of':2 'outlet:office':1 \
             'outlet_key:office of b':1"
        );
        assert_eq!((t.outlet_len, t.author_len, t.entity_len, t.outlet_key_len), (3, 3, 2, 1));
    }

    #[test]
    fn an_article_in_a_language_with_a_stemmer_gets_its_stems() {
        let paragraphs = ["Die Wahlen in Berlin.".to_owned(), "Wahl".to_owned()];
        let german = Source { language: Some("de"), ..source(None, &paragraphs) };
        let t = Terms::of(german);
        // Stop words ("die", "in") are left out of the stems, not out of the body.
        assert_eq!(
            t.vector,
            "'berlin':4 'die':1 'in':3 'in berlin':3 'stem:berlin':4 'stem:wahl':2,5 \
             'wahl':5 'wahlen':2 'wahlen in':2"
        );
        assert_eq!(t.stem_len, 3);
        let english = Terms::of(Source { language: Some("en"), ..source(None, &paragraphs) });
        assert_eq!(english.stem_len, 0, "English keeps its exact words");
        assert!(!english.vector.contains("stem:"));
    }

    #[test]
    fn title_and_body_terms_as_the_embedded_index_makes_them() {
        let paragraphs = ["The budget passed.".into(), "Of course".into()];
        let t = Terms::of(source(Some("Budget of the City"), &paragraphs));
        assert_eq!(
            t.vector,
            "'budget':2 'course':5 'of':4 'of course':4 'passed':3 \
             'passed of':3 'the':1 'the budget':1 'title:budget':1 'title:city':4 \
             'title:of':2 'title:the':3"
        );
        // Title: four words; body: five words and three pairs.
        assert_eq!((t.title_len, t.body_len), (4, 8));
        assert_eq!(Terms::of(source(None, &[])).vector, "");
    }

    #[test]
    fn long_words_keep_their_position_and_break_pairs() {
        let long = "x".repeat(MAX_WORD);
        let t = Terms::of(source(None, &[format!("of {long} the end")]));
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
            field_query(TITLE, "Use of"),
            [(0, "title:use".to_owned()), (1, "title:of".to_owned())]
        );
        assert!(body_query("— !").is_empty());
    }

    #[test]
    fn vectors_stay_within_postgresql_limits() {
        let t = Terms::of(source(None, &["word ".repeat(300)]));
        assert_eq!(t.vector.matches(',').count(), MAX_POSITIONS - 1, "256 positions kept");
        assert_eq!(t.body_len, 300, "the length counts them all");
        let t = Terms::of(source(None, &["w ".repeat(MAX_POSITION + 10)]));
        assert!(!t.vector.contains(&(MAX_POSITION + 1).to_string()));
        // Lexemes past 1 MiB: the rarest are left out, rather than the batch refused.
        let mut lexicon = Lexicon::default();
        for i in 0..30_000 {
            let id = lexicon.id(&format!("{i:0>60}"));
            lexicon.found.push((id, i % 16_000));
        }
        let kept = lexicon.id("kept");
        lexicon.found.extend([(kept, 1), (kept, 2)]);
        let v = lexicon.vector();
        let lexeme_bytes: usize =
            v.split(' ').map(|g| g.rsplit_once(':').unwrap().0.len() - 2).sum();
        assert!(lexeme_bytes <= MAX_LEXEME_BYTES, "{lexeme_bytes}");
        assert!(v.contains("'kept':2,3"), "the most frequent lexeme stays");
    }
}
