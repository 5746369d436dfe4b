//! Passage provenance: which earlier texts each sentence of an article comes from, how
//! closely, and which words were swapped on the way.
//!
//! What it detects: reused passages, sentence by sentence, across reordered paragraphs,
//! split or merged sentences, inserted or deleted words and synonym substitution
//! ("Russia" written "Russian Federation", "said" written "stated").
//!
//! Signals: seed and extend. Every three-word run of each candidate source is indexed
//! (the candidates come from the store's passage index, see `lede-search`); a sentence's
//! three-word runs vote for source paragraphs; the best few are aligned word by word
//! (Myers' diff on lower-cased words, in a window around the votes). A sentence is
//! attributed when the aligned words make up at least [`MIN_SIMILARITY`] of the sentence
//! and the aligned region (Dice). Replaced runs of at most three words inside an alignment
//! are substitutions. Consecutive sentences from one source paragraph form one passage.
//!
//! Spin is graded (issue 16): each swap is classed by its form (see [`SwapKind`]): a
//! synonym of a common word, an acronym for its long form or a name for its formal form is
//! a spinner's; a number, another name, an inflection or a spelling, a function word is an
//! editor's. The [`Provenance::spin_score`] weighs the spinner's distinct swaps against the
//! few that an editor's own word choice would leave in that much reused text, so that two
//! or three synonyms in a short copy make it `spun` while two in a long digest do not.
//!
//! Known failures: a sentence reworded so much that no three consecutive words survive is
//! not found; a sentence that two sources share word for word is given to the one with the
//! better alignment, ties to the earlier-listed source (callers list the oldest first).
//!
//! Example: a page made of four paragraphs of one wire story and two of another, with
//! "Russia" replaced throughout, is `spun`, with two sources and the pair
//! Russia -> Russian Federation.

use lede_text::hash::shingle;
use lede_text::lexicon::is_function_word;
use lede_text::sentences::sentence_spans;
use lede_text::words::{Word, words};
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::HashMap;
use std::ops::Range;

/// The least Dice similarity of a sentence and its aligned source region.
pub const MIN_SIMILARITY: f64 = 0.5;
/// The fewest words a passage must share with its source: a shared phrase ("8 billion in
/// overpayments", "there's no way") is not a reused passage.
pub const MIN_PASSAGE_WORDS: usize = 8;
/// Words per seed.
const SEED: usize = 3;
/// A seed found in more places than this among the candidates is too common to vote.
const MAX_SEED_HITS: usize = 64;
/// Source paragraphs aligned per sentence (the ones with most votes).
const TRIES: usize = 3;
/// The longest replaced run (in words, on either side) read as a substitution.
const MAX_SUBSTITUTION_WORDS: usize = 3;

/// A word swapped between a source and the article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Substitution {
    /// The words in the source.
    pub from: String,
    /// The words in the article.
    pub to: String,
}

/// A run of an article's sentences that comes from one source paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The article's paragraph (index).
    pub paragraph: usize,
    /// Byte span of the passage in that paragraph.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// The source (index into the sources given).
    pub source: usize,
    /// The source's paragraph (index).
    pub source_paragraph: usize,
    /// Byte span of the aligned text in the source paragraph.
    pub source_start: usize,
    /// End of that span.
    pub source_end: usize,
    /// Dice similarity of the passage and its source text (1 for a verbatim copy).
    pub similarity: f64,
    /// Words swapped, in order of first appearance, each pair once.
    pub substitutions: Vec<Substitution>,
    /// How often each of `substitutions` occurs in the passage.
    pub occurrences: Vec<usize>,
    /// Words of the article in this passage.
    pub words: usize,
    /// Words that are the same on both sides.
    pub matched: usize,
    /// The kind of each of `substitutions`: a spinner's or an editor's.
    pub kinds: Vec<SwapKind>,
    /// Words swapped the way a spinner swaps them (see [`SwapKind::is_spin`]), on the
    /// article's side, counting every occurrence.
    pub spun: usize,
}

/// What a swap looks like, from its form alone: the evidence a spin verdict rests on.
///
/// What it detects: spinners (synonym tools) swap common words for synonyms ("help" ->
/// "assist", "people" -> "individuals"), everyday names for formal ones ("Russia" ->
/// "Russian Federation") and acronyms for their expansions or back ("US" <-> "United
/// States"). Editors change facts (numbers, names, dates), tense and spelling, and trim.
///
/// Signals: general properties of the two sides, never a list of pairs (a list written
/// beside one benchmark's spinner is only that spinner; issue 16 measured such rules at
/// 23 of 30 on a spinner they had not seen): digits or number words on both sides; a
/// function word alone on a side; capitals (a name for a name, a name for a common word)
/// unless one side is the other's initials or its first word begins the other; the same
/// word inflected or spelt another way (same first letters and at most two letters apart,
/// or a shared stem of four letters with short endings). Whatever is left, one common word
/// for another, is a synonym: an editor rarely swaps a word for a word of the same meaning,
/// a spinner does nothing else.
///
/// Known failures: a name for an unrelated formal one ("China" -> "PRC", "America" ->
/// "United States") reads as an editor's name change; an editor's word choice ("said" ->
/// "added") reads as a synonym, which is why one such swap never makes a verdict.
///
/// Example: "said" -> "stated" is `Synonym`; "said" -> "says" `Inflection`; "US" ->
/// "United States" `Acronym`; "Cummings" -> "McGovern" `Name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SwapKind {
    /// A common word for another of the same meaning (a spinner's).
    Synonym,
    /// An acronym for its expansion, or back (a spinner's).
    Acronym,
    /// A name for a longer, formal form of itself (a spinner's).
    FormalName,
    /// A name for another name, or a name for a common word (an editor's).
    Name,
    /// A number or a number word changed (an editor's).
    Number,
    /// The same word inflected or spelt another way (an editor's).
    Inflection,
    /// A side that is only function words, or too short to be a word (an editor's).
    Function,
}

impl SwapKind {
    /// Whether a spinner, rather than an editor, makes swaps of this kind.
    pub fn is_spin(self) -> bool {
        matches!(self, SwapKind::Synonym | SwapKind::Acronym | SwapKind::FormalName)
    }
}

/// One of the spinner's swaps a verdict rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpinEvidence {
    /// The swap.
    pub substitution: Substitution,
    /// Its kind.
    pub kind: SwapKind,
    /// How often the article makes it.
    pub occurrences: usize,
}

/// How much of an article one source supplies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// The source (index into the sources given).
    pub source: usize,
    /// Share of the article's words in passages from this source.
    pub coverage: f64,
    /// Those words.
    pub words: usize,
}

impl Share {
    /// Whether the source supplies a meaningful part of the article: enough of its words,
    /// or a whole paragraph's worth of a long one. The verdict counts only such sources,
    /// and `lede trace` lists a later article as reusing this one only when this one
    /// would supply it so (issue 16).
    pub fn supplies(&self) -> bool {
        (self.coverage >= MIN_SHARE && self.words >= MIN_SHARE_WORDS)
            || self.words >= PARAGRAPH_WORDS
    }
}

/// What an article is, given its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No earlier source supplies a meaningful part of it.
    Original,
    /// One source supplies it.
    Copy,
    /// Two or more sources supply passages.
    Composite,
    /// Reused, with systematic word substitutions.
    Spun,
}

impl Verdict {
    /// The verdict's name in the CLI contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Original => "original",
            Verdict::Copy => "copy",
            Verdict::Composite => "composite",
            Verdict::Spun => "spun",
        }
    }
}

/// An article's provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The verdict.
    pub verdict: Verdict,
    /// Sources by share, largest first.
    pub sources: Vec<Share>,
    /// The reused passages, in article order.
    pub passages: Vec<Passage>,
    /// Words in the article.
    pub words: usize,
    /// How surely the reuse was spun, in [0, 1]: the probability that fewer spinner-like
    /// swaps than seen would come from editing alone (see [`spin_score`]); 0 for an
    /// original.
    pub spin_score: f64,
    /// The spinner-like swaps, most frequent first.
    pub spin_evidence: Vec<SpinEvidence>,
}

/// A source supplies a part of an article when it supplies at least this share of its
/// words...
const MIN_SHARE: f64 = 0.05;
/// ...and at least this many words; or, whatever its share of a long article, this many
/// (a whole paragraph lifted into a digest of many sources).
const MIN_SHARE_WORDS: usize = 12;
const PARAGRAPH_WORDS: usize = 30;
/// Below this share of reused words, an article is original.
pub const MIN_REUSE: f64 = 0.1;
/// A second source makes a composite when it supplies at least this share.
const COMPOSITE_SHARE: f64 = 0.08;
/// Reuse is spun when its [`spin_score`] is at least this. Chosen with [`EDIT_WORDS`] on
/// one half of each provenance benchmark (bench/README.md, "Provenance verdicts"), where
/// every value from 0.3 to 0.6 scored the same: 0.5 is the least value at which a single
/// swap is never enough (its score is at most e^-1, about 0.37).
pub const SPUN_SCORE: f64 = 0.5;
/// Editing alone leaves about one spinner-like swap (an editor's own choice of word, an
/// alignment's slip) in this many reused words, on top of one in any article. The tuning
/// halves saw none in 130,000 words of unspun reuse; this is the smallest value on their
/// plateau, the most cautious, so that a long digest's scattered edits do not add up to a
/// spin.
pub const EDIT_WORDS: f64 = 1000.0;
/// A swap counts once for each time it is made, up to this many: every "Russia" written
/// "Russian Federation" is a spinner's rule, not a slip, but one word's rule is not three
/// words' worth beyond that.
const SPUN_REPEATS: usize = 3;

/// Whether a swap looks like a spinner's rather than an editor's (see [`SwapKind`]).
pub fn spin_like(s: &Substitution) -> bool {
    swap_kind(s, false).is_spin()
}

/// Words for numbers: swapping one for another changes a fact.
#[rustfmt::skip]
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "billion", "billions", "trillion", "first", "second",
    "third", "fourth", "fifth", "half", "dozen", "dozens",
];

/// The kind of a swap. `sentence_start`: both sides open a sentence, so a capital there
/// says nothing about a name.
pub fn swap_kind(s: &Substitution, sentence_start: bool) -> SwapKind {
    // A name opening a sentence is still a name: what its capitals show comes first.
    if sentence_start {
        let plain = swap_kind(s, false);
        if plain != SwapKind::Name && plain != SwapKind::Synonym {
            return plain;
        }
    }
    let (from, to) = (s.from.as_str(), s.to.as_str());
    if from.chars().chain(to.chars()).any(|c| c.is_ascii_digit()) {
        return SwapKind::Number;
    }
    let content = |t: &str| -> Vec<String> {
        let mut out: Vec<String> = t
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty() && !is_function_word(&w.to_lowercase()))
            .map(str::to_owned)
            .collect();
        if sentence_start && let Some(first) = out.first_mut() {
            *first = lower_first(first);
        }
        out
    };
    let (cf, ct) = (content(from), content(to));
    if cf.is_empty() || ct.is_empty() {
        return SwapKind::Function;
    }
    if acronym_of(from, to) || acronym_of(to, from) {
        return SwapKind::Acronym;
    }
    let capital =
        |ws: &[String]| ws.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let (capf, capt) = (capital(&cf), capital(&ct));
    let (lf, lt) = (cf.join(" ").to_lowercase(), ct.join(" ").to_lowercase());
    let common = lf.chars().zip(lt.chars()).take_while(|(a, b)| a == b).count();
    if capf && capt {
        // A name for a longer form of itself ("Russia" -> "Russian Federation") is spin;
        // for another name, an edit.
        let first = |ws: &[String]| ws[0].to_lowercase();
        let shared = first(&cf).chars().zip(first(&ct).chars()).take_while(|(a, b)| a == b).count();
        return if shared >= 4 && cf.len() != ct.len() {
            SwapKind::FormalName
        } else {
            SwapKind::Name
        };
    }
    if capf || capt {
        return SwapKind::Name;
    }
    let number =
        |ws: &[String]| ws.iter().all(|w| NUMBER_WORDS.contains(&w.to_lowercase().as_str()));
    if number(&cf) && number(&ct) {
        return SwapKind::Number;
    }
    let (nf, nt) = (lf.chars().count(), lt.chars().count());
    // A side of one or two letters in all is an initial, a token or a typo, never a synonym
    // (a phrase such as "go by" is counted whole).
    let letters = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    if letters(from) < 3 || letters(to) < 3 {
        return SwapKind::Function;
    }
    let short_ends = common >= 4 && nf - common <= 4 && nt - common <= 4;
    if short_ends || (common >= 2 && edit_distance(&lf, &lt) <= 2) {
        return SwapKind::Inflection;
    }
    SwapKind::Synonym
}

/// `word` with its first letter in lower case.
fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// Whether `short` is the initials of `long` ("US", "U.S." of "United States").
fn acronym_of(short: &str, long: &str) -> bool {
    let letters: String = short.chars().filter(|c| c.is_alphanumeric()).collect();
    let initials: String = long
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    letters.chars().count() >= 2
        && letters.chars().all(char::is_uppercase)
        && long.split_whitespace().count() >= 2
        && letters == initials
}

/// Levenshtein distance of two short strings (swaps are at most three words a side).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != b[j]));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

struct Paragraph<'t> {
    text: &'t str,
    words: Vec<Word>,
    hashes: Vec<u64>,
    sentences: Vec<Range<usize>>,
}

impl<'t> Paragraph<'t> {
    fn new(text: &'t str) -> Paragraph<'t> {
        let words = words(text);
        let hashes = words.iter().map(|w| w.hash).collect();
        let sentences = word_sentences(text, &words);
        Paragraph { text, words, hashes, sentences }
    }

    /// The words of the sentences that hold words `first` to `last`.
    fn sentences_around(&self, first: usize, last: usize) -> Range<usize> {
        let holding =
            |w: usize| self.sentences.partition_point(|s| s.end <= w).min(self.sentences.len() - 1);
        self.sentences[holding(first)].start..self.sentences[holding(last)].end
    }
}

/// The longest sentence alignment reads, in words; longer ones are cut into pieces of this
/// size, so that one unpunctuated 10 MB paragraph costs linear time.
const MAX_SENTENCE_WORDS: usize = 80;

/// The sentences of `text` (lede-text's splitter) as runs of its `words`, tiling them: each
/// word belongs to the sentence whose span holds it.
fn word_sentences(text: &str, words: &[Word]) -> Vec<Range<usize>> {
    let spans = sentence_spans(text);
    let mut out = Vec::new();
    let (mut start, mut span) = (0, 0);
    for i in 0..words.len() {
        let sentence_of = |w: &Word, mut s: usize| {
            while s + 1 < spans.len() && spans[s].end <= w.start as usize {
                s += 1;
            }
            s
        };
        span = sentence_of(&words[i], span);
        let ends = words.get(i + 1).is_none_or(|next| sentence_of(next, span) != span);
        if ends || i + 1 - start >= MAX_SENTENCE_WORDS {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

/// Where each seed occurs among the sources: (source, paragraph, word).
struct Seeds {
    places: HashMap<u64, Vec<(u32, u32, u32)>>,
}

impl Seeds {
    fn new(sources: &[Vec<Paragraph<'_>>]) -> Seeds {
        let mut places: HashMap<u64, Vec<(u32, u32, u32)>> = HashMap::new();
        for (s, paragraphs) in sources.iter().enumerate() {
            for (p, para) in paragraphs.iter().enumerate() {
                for (i, w) in para.hashes.windows(SEED).enumerate() {
                    let at = places.entry(shingle(w.iter().copied(), SEED)).or_default();
                    if at.len() <= MAX_SEED_HITS {
                        at.push((s as u32, p as u32, i as u32));
                    }
                }
            }
        }
        Seeds { places }
    }
}

/// A source paragraph: (source, paragraph).
type Place = (u32, u32);
/// Votes for a source paragraph: the words its seeds start at.
type Votes = Vec<u32>;

/// The densest run of votes no wider than `width` words: (votes in it, first, last).
fn densest(votes: &mut [u32], width: u32) -> (usize, u32, u32) {
    votes.sort_unstable();
    let mut best = (0, 0, 0);
    let mut start = 0;
    for end in 0..votes.len() {
        while votes[end] - votes[start] > width {
            start += 1;
        }
        if end + 1 - start > best.0 {
            best = (end + 1 - start, votes[start], votes[end]);
        }
    }
    best
}

/// One sentence's alignment.
struct Aligned {
    source: usize,
    paragraph: usize,
    similarity: f64,
    matched: usize,
    source_words: Range<usize>,
    substitutions: Vec<(Substitution, usize, SwapKind)>,
}

/// Traces `article` (its paragraphs) to `sources` (each a list of paragraphs, oldest
/// source first). Linear in the article's length, for a bounded number of sources.
pub fn trace<S: AsRef<str>>(article: &[S], sources: &[&[S]]) -> Provenance {
    let sources: Vec<Vec<Paragraph<'_>>> = sources
        .iter()
        .map(|paragraphs| paragraphs.iter().map(|p| Paragraph::new(p.as_ref())).collect())
        .collect();
    let seeds = Seeds::new(&sources);
    let mut passages: Vec<Passage> = Vec::new();
    let mut total_words = 0;
    for (p, text) in article.iter().enumerate() {
        let para = Paragraph::new(text.as_ref());
        total_words += para.words.len();
        let mut current: Option<Passage> = None;
        for range in para.sentences.clone() {
            let found = align_sentence(&para, range.clone(), &sources, &seeds);
            let span =
                para.words[range.start].start as usize..para.words[range.end - 1].end as usize;
            match (found, current.as_mut()) {
                (Some(a), Some(c)) if c.source == a.source && c.source_paragraph == a.paragraph => {
                    extend(c, &a, span, range.len(), &sources);
                }
                (Some(a), _) => {
                    passages.extend(current.take());
                    let mut c = Passage {
                        paragraph: p,
                        start: span.start,
                        end: span.end,
                        source: a.source,
                        source_paragraph: a.paragraph,
                        source_start: usize::MAX,
                        source_end: 0,
                        similarity: 0.0,
                        substitutions: Vec::new(),
                        occurrences: Vec::new(),
                        kinds: Vec::new(),
                        words: 0,
                        matched: 0,
                        spun: 0,
                    };
                    extend(&mut c, &a, span, range.len(), &sources);
                    current = Some(c);
                }
                // A short unmatched sentence inside a passage ("No.") stays in it.
                (None, Some(c)) if range.len() <= SEED => {
                    c.end = span.end;
                    c.words += range.len();
                }
                (None, _) => passages.extend(current.take()),
            }
        }
        passages.extend(current);
    }
    let passages = drop_stray_phrases(passages);
    let mut shares: HashMap<usize, usize> = HashMap::new();
    for passage in &passages {
        *shares.entry(passage.source).or_default() += passage.words;
    }
    let mut sources: Vec<Share> = shares
        .into_iter()
        .map(|(source, words)| Share {
            source,
            coverage: words as f64 / total_words.max(1) as f64,
            words,
        })
        .collect();
    sources.sort_by(|a, b| b.words.cmp(&a.words).then(a.source.cmp(&b.source)));
    let (spin_score, spin_evidence) = spin_score(&passages);
    let verdict = verdict(&sources, spin_score);
    let spin_score = if verdict == Verdict::Original { 0.0 } else { spin_score };
    Provenance { verdict, sources, passages, words: total_words, spin_score, spin_evidence }
}

/// Drops passages shorter than [`MIN_PASSAGE_WORDS`] unless they sit in context: next to
/// a passage from the neighbouring paragraph of the same source ("He said Assad's
/// government was responsible." between two copied paragraphs is copied too).
fn drop_stray_phrases(passages: Vec<Passage>) -> Vec<Passage> {
    let near = |a: &Passage, b: &Passage| {
        a.source == b.source
            && a.paragraph.abs_diff(b.paragraph) <= 1
            && a.source_paragraph.abs_diff(b.source_paragraph) <= 1
    };
    let keep: Vec<bool> = (0..passages.len())
        .map(|i| {
            let p = &passages[i];
            p.matched >= MIN_PASSAGE_WORDS
                || (i > 0
                    && near(p, &passages[i - 1])
                    && passages[i - 1].matched >= MIN_PASSAGE_WORDS)
                || passages.get(i + 1).is_some_and(|n| near(p, n) && n.matched >= MIN_PASSAGE_WORDS)
        })
        .collect();
    passages.into_iter().zip(keep).filter_map(|(p, k)| k.then_some(p)).collect()
}

/// Adds an aligned sentence to a passage.
fn extend(
    c: &mut Passage,
    a: &Aligned,
    span: Range<usize>,
    words: usize,
    sources: &[Vec<Paragraph<'_>>],
) {
    let src = &sources[a.source][a.paragraph];
    c.start = c.start.min(span.start);
    c.end = c.end.max(span.end);
    c.source_start = c.source_start.min(src.words[a.source_words.start].start as usize);
    c.source_end = c.source_end.max(src.words[a.source_words.end - 1].end as usize);
    // The passage's similarity is its sentences', weighted by their words.
    c.similarity =
        (c.similarity * c.words as f64 + a.similarity * words as f64) / (c.words + words) as f64;
    c.words += words;
    c.matched += a.matched;
    for (s, n, kind) in &a.substitutions {
        if kind.is_spin() {
            c.spun += n;
        }
        match c.substitutions.iter().position(|x| x == s) {
            Some(i) => c.occurrences[i] += 1,
            None => {
                c.substitutions.push(s.clone());
                c.occurrences.push(1);
                c.kinds.push(*kind);
            }
        }
    }
}

/// Finds the source paragraph a sentence comes from, if any.
fn align_sentence(
    para: &Paragraph<'_>,
    range: Range<usize>,
    sources: &[Vec<Paragraph<'_>>],
    seeds: &Seeds,
) -> Option<Aligned> {
    let sentence = &para.hashes[range.clone()];
    if sentence.len() < SEED {
        return None;
    }
    let mut votes: HashMap<Place, Votes> = HashMap::new();
    for w in sentence.windows(SEED) {
        if let Some(places) = seeds.places.get(&shingle(w.iter().copied(), SEED))
            && places.len() <= MAX_SEED_HITS
        {
            for &(s, p, i) in places {
                votes.entry((s, p)).or_default().push(i);
            }
        }
    }
    // Only votes close together count: a sentence's words sit together in its source, while
    // seeds of common phrases scatter over a long paragraph (and would make the diff's
    // window, and its cost, as long as the paragraph).
    let needed = if sentence.len() <= 6 { 1 } else { 2 };
    let width = 2 * sentence.len() as u32;
    let mut ranked: Vec<(Place, (usize, u32, u32))> = votes
        .into_iter()
        .map(|(place, mut v)| (place, densest(&mut v, width)))
        .filter(|(_, d)| d.0 >= needed)
        .collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let mut best: Option<Aligned> = None;
    for &((s, p), (_, first, last)) in ranked.iter().take(TRIES) {
        let src = &sources[s as usize][p as usize];
        // Whole source sentences, so that a swap at a sentence's edge is read as one, but
        // no further from the votes than the sentence is long.
        let (first, last) = (first as usize, last as usize + SEED - 1);
        let around = src.sentences_around(first, last);
        let window = around.start.max(first.saturating_sub(sentence.len()))
            ..around.end.min(last + 1 + sentence.len());
        if let Some(a) = align(para, range.clone(), src, window, s as usize, p as usize)
            && best.as_ref().is_none_or(|b| a.similarity > b.similarity)
        {
            best = Some(a);
        }
    }
    best.filter(|a| a.similarity >= MIN_SIMILARITY && a.matched >= SEED)
}

/// Aligns a sentence with a window of a source paragraph, word by word.
fn align(
    para: &Paragraph<'_>,
    range: Range<usize>,
    src: &Paragraph<'_>,
    window: Range<usize>,
    source: usize,
    paragraph: usize,
) -> Option<Aligned> {
    let ops = capture_diff_slices(
        Algorithm::Myers,
        &src.hashes[window.clone()],
        &para.hashes[range.clone()],
    );
    let equal: Vec<&DiffOp> = ops.iter().filter(|op| matches!(op, DiffOp::Equal { .. })).collect();
    let (first, last) = (equal.first()?, equal.last()?);
    let mut region = first.old_range().start..last.old_range().end;
    let matched: usize = equal.iter().map(|op| op.old_range().len()).sum();
    let mut substitutions: Vec<(Substitution, usize, SwapKind)> = Vec::new();
    for op in &ops {
        if let DiffOp::Replace { old_index, old_len, new_index, new_len } = *op
            && old_len <= MAX_SUBSTITUTION_WORDS
            && new_len <= MAX_SUBSTITUTION_WORDS
        {
            // A swap inside the alignment, or at its edge (the window ends where the
            // source sentence does, so the edge is the sentence's).
            region.start = region.start.min(old_index);
            region.end = region.end.max(old_index + old_len);
            // Runs of equal length are word-for-word swaps ("small businesses" ->
            // "little enterprises" is two); others are one phrase for another
            // ("Russia" -> "Russian Federation").
            let pieces = if old_len == new_len { old_len } else { 1 };
            let (old_step, new_step) = (old_len / pieces, new_len / pieces);
            for k in 0..pieces {
                let o = window.start + old_index + k * old_step;
                let n = range.start + new_index + k * new_step;
                let from = surface(src, o..o + old_step);
                let to = surface(para, n..n + new_step);
                let opens = n == range.start && src.sentences.iter().any(|s| s.start == o);
                let s = Substitution { from, to };
                let kind = swap_kind(&s, opens);
                substitutions.push((s, new_step, kind));
            }
        }
    }
    let similarity = 2.0 * matched as f64 / (range.len() + region.len()) as f64;
    Some(Aligned {
        source,
        paragraph,
        similarity,
        matched,
        source_words: window.start + region.start..window.start + region.end,
        substitutions,
    })
}

/// The text of a run of words, as written.
fn surface(p: &Paragraph<'_>, words: Range<usize>) -> String {
    p.text[p.words[words.start].start as usize..p.words[words.end - 1].end as usize].to_owned()
}

/// How surely reused text was spun, and the spinner-like swaps it rests on.
///
/// The evidence is the number of spinner-like swaps (see [`SwapKind`]) in passages of at
/// least [`MIN_PASSAGE_WORDS`] aligned words, each distinct swap counting once for each
/// time it is made, up to `SPUN_REPEATS` (3). Editing alone is taken to leave a Poisson
/// number of such swaps, one in any article plus one per [`EDIT_WORDS`] reused words; the
/// score is the probability that editing alone would leave fewer than the evidence. Three
/// synonyms in 200 reused words score 0.88, two 0.66, one 0.30; two in 1,500 words 0.29
/// (a long digest's slips), five 0.89; the seed page's every "Russia" written "Russian
/// Federation", four times in 750 words, 0.76.
pub fn spin_score(passages: &[Passage]) -> (f64, Vec<SpinEvidence>) {
    let mut evidence: Vec<SpinEvidence> = Vec::new();
    let mut reused = 0;
    for p in passages {
        reused += p.matched + p.spun;
        // A passage kept only for its neighbours (fewer than MIN_PASSAGE_WORDS words of its
        // own in common) is aligned too loosely for its swaps to be evidence.
        if p.matched < MIN_PASSAGE_WORDS {
            continue;
        }
        for ((s, &n), &kind) in p.substitutions.iter().zip(&p.occurrences).zip(&p.kinds) {
            if !kind.is_spin() {
                continue;
            }
            match evidence.iter_mut().find(|e| e.substitution == *s) {
                Some(e) => e.occurrences += n,
                None => {
                    evidence.push(SpinEvidence { substitution: s.clone(), kind, occurrences: n });
                }
            }
        }
    }
    evidence.sort_by(|a, b| {
        b.occurrences.cmp(&a.occurrences).then(a.substitution.cmp(&b.substitution))
    });
    let weight: usize = evidence.iter().map(|e| e.occurrences.min(SPUN_REPEATS)).sum();
    let expected = 1.0 + reused as f64 / EDIT_WORDS;
    // P(X < weight) for X ~ Poisson(expected), summed term by term.
    let (mut term, mut below) = ((-expected).exp(), 0.0);
    for k in 0..weight {
        below += term;
        term *= expected / (k + 1) as f64;
    }
    (below.min(1.0), evidence)
}

/// The verdict, from the shares and the spin score.
fn verdict(shares: &[Share], spin_score: f64) -> Verdict {
    let supplying: Vec<&Share> = shares.iter().filter(|s| s.supplies()).collect();
    let reused: f64 = supplying.iter().map(|s| s.coverage).sum();
    if supplying.is_empty() || reused < MIN_REUSE {
        return Verdict::Original;
    }
    if spin_score >= SPUN_SCORE {
        return Verdict::Spun;
    }
    let second = supplying.get(1).map_or(0, |s| s.words);
    if supplying.len() >= 2
        && (supplying[1].coverage >= COMPOSITE_SHARE || second >= PARAGRAPH_WORDS)
    {
        return Verdict::Composite;
    }
    Verdict::Copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_tile_the_words_and_long_ones_are_cut() {
        let split = |text: &str| -> Vec<String> {
            let ws = words(text);
            let sentences = word_sentences(text, &ws);
            assert!(sentences.windows(2).all(|p| p[0].end == p[1].start));
            assert_eq!(sentences.last().map_or(0, |s| s.end), ws.len());
            sentences
                .into_iter()
                .map(|r| text[ws[r.start].start as usize..ws[r.end - 1].end as usize].to_owned())
                .collect()
        };
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
        assert_eq!(split(&"word ".repeat(200)).len(), 3);
    }

    const WIRE_A: [&str; 3] = [
        "Secretary of State Rex Tillerson met Vladimir Putin in Moscow on Wednesday for two hours of talks. The meeting came after days of sharp words over Syria.",
        "Relations between Russia and the United States are at a low point, officials on both sides said.",
        "Mr. Tillerson told reporters that there is a low level of trust between the two countries.",
    ];
    const WIRE_B: [&str; 2] = [
        "The chemical attack in Idlib province killed more than eighty people, according to local doctors and rescue workers.",
        "Russia has blocked a resolution at the United Nations Security Council that would have condemned the attack.",
    ];

    fn refs(sources: &[Vec<String>]) -> Vec<&[String]> {
        sources.iter().map(Vec::as_slice).collect()
    }

    fn owned(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_verbatim_copy_is_a_copy() {
        let sources = vec![owned(&WIRE_A), owned(&WIRE_B)];
        let got = trace(&owned(&WIRE_A), &refs(&sources));
        assert_eq!(got.verdict, Verdict::Copy);
        assert_eq!(got.sources.len(), 1);
        assert!((got.sources[0].coverage - 1.0).abs() < 1e-9, "{got:?}");
        let first = &got.passages[0];
        assert_eq!((first.paragraph, first.source, first.source_paragraph), (0, 0, 0));
        assert_eq!((first.start, first.end), (0, WIRE_A[0].len() - 1));
        assert_eq!(first.similarity, 1.0);
        assert!(first.substitutions.is_empty());
    }

    #[test]
    fn a_spun_composite_names_its_sources_and_swaps() {
        let spin = |s: &str| {
            s.replace("Russia ", "Russian Federation ")
                .replace("said", "stated")
                .replace("killed", "slain")
        };
        let article = vec![
            spin(WIRE_B[1]),
            format!(
                "{} {}",
                spin(WIRE_A[1]),
                "An entirely new closing line was written here by someone."
            ),
            spin(WIRE_A[0]),
            spin(WIRE_B[0]),
        ];
        let sources = vec![owned(&WIRE_A), owned(&WIRE_B)];
        let got = trace(&article, &refs(&sources));
        assert_eq!(got.verdict, Verdict::Spun, "{got:#?}");
        assert_eq!(got.sources.len(), 2);
        let at: Vec<(usize, usize, usize)> =
            got.passages.iter().map(|p| (p.paragraph, p.source, p.source_paragraph)).collect();
        assert_eq!(at, [(0, 1, 1), (1, 0, 1), (2, 0, 0), (3, 1, 0)]);
        let swaps: Vec<(&str, &str)> = got
            .passages
            .iter()
            .flat_map(|p| &p.substitutions)
            .map(|s| (s.from.as_str(), s.to.as_str()))
            .collect();
        assert!(swaps.contains(&("Russia", "Russian Federation")), "{swaps:?}");
        assert!(swaps.contains(&("said", "stated")), "{swaps:?}");
        // The new closing line is not part of the passage.
        assert_eq!(
            &article[1][got.passages[1].end..],
            ". An entirely new closing line was written here by someone."
        );
    }

    #[test]
    fn spinners_swaps_are_told_from_editors() {
        let swap =
            |from: &str, to: &str| spin_like(&Substitution { from: from.into(), to: to.into() });
        for (from, to) in [
            ("Russia", "Russian Federation"),
            ("US", "United States"),
            ("U.S.", "United States"),
            ("help", "assist"),
            ("said", "stated"),
            ("big", "large"),
        ] {
            assert!(swap(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("Cummings", "McGovern"),
            ("Committee", "Committees"),
            ("look", "ll"),
            ("556", "518"),
            ("refused", "refuse"),
            ("and", "or"),
            ("Michiganders", "Marylanders"),
        ] {
            assert!(!swap(from, to), "{from} -> {to}");
        }
    }

    /// A short wire story, 80-odd words, for the issue 16 cases below.
    const SHORT: [&str; 2] = [
        "The government said on Tuesday that 40 people were hurt when a bus left the road near Leeds. Officials said the driver had been taken to hospital.",
        "Police asked witnesses to help the inquiry and said the road would stay closed until the evening, while engineers checked the damaged bridge.",
    ];

    fn traced(article: &[String]) -> Provenance {
        let source = owned(&SHORT);
        trace(article, &[&source[..]])
    }

    #[test]
    fn a_short_copy_with_three_spinner_swaps_is_spun_issue_16() {
        // The swaps of the independent benchmark that lede called a copy: every "said",
        // "help" and "people" replaced, in two short paragraphs.
        let article: Vec<String> = SHORT
            .iter()
            .map(|p| {
                p.replace("said", "stated")
                    .replace("help", "assist")
                    .replace("people", "individuals")
            })
            .collect();
        let got = traced(&article);
        assert_eq!(got.verdict, Verdict::Spun, "{got:#?}");
        assert!(got.spin_score >= SPUN_SCORE, "{}", got.spin_score);
        let swaps: Vec<(&str, &str, SwapKind)> = got
            .spin_evidence
            .iter()
            .map(|e| (e.substitution.from.as_str(), e.substitution.to.as_str(), e.kind))
            .collect();
        assert_eq!(
            swaps,
            [
                ("said", "stated", SwapKind::Synonym),
                ("help", "assist", SwapKind::Synonym),
                ("people", "individuals", SwapKind::Synonym)
            ]
        );
        assert_eq!(got.spin_evidence[0].occurrences, 3);
    }

    #[test]
    fn two_swaps_in_a_short_copy_are_spun_one_is_not() {
        let two: Vec<String> = SHORT
            .iter()
            .map(|p| p.replace("government", "administration").replace("help", "assist"))
            .collect();
        assert_eq!(traced(&two).verdict, Verdict::Spun, "{:#?}", traced(&two));
        let one: Vec<String> = SHORT.iter().map(|p| p.replace("help", "assist")).collect();
        let got = traced(&one);
        assert_eq!(got.verdict, Verdict::Copy, "{got:#?}");
        assert!(got.spin_score > 0.0 && got.spin_score < SPUN_SCORE, "{}", got.spin_score);
    }

    #[test]
    fn one_swap_made_everywhere_is_spun() {
        // The seed page's pattern: one formal name for every "Russia" of a longer text.
        let source: Vec<String> = (0..8)
            .map(|i| format!("{} Russia answered in statement number {i}.", SHORT[i % 2]))
            .collect();
        let article: Vec<String> =
            source.iter().map(|p| p.replace("Russia", "Russian Federation")).collect();
        let got = trace(&article, &[&source[..]]);
        assert_eq!(got.verdict, Verdict::Spun, "{got:#?}");
        assert_eq!(got.spin_evidence[0].kind, SwapKind::FormalName);
        // Made once in the same text, it is an edit.
        let mut once = source.clone();
        once[0] = article[0].clone();
        assert_eq!(trace(&once, &[&source[..]]).verdict, Verdict::Copy);
    }

    #[test]
    fn an_editors_changes_leave_a_copy_issue_16() {
        // Numbers, a name, a weekday, tense, spelling and a trim: facts and style, no spin.
        let article = vec![
            SHORT[0]
                .replace("40", "41")
                .replace("Leeds", "Bradford")
                .replace("Tuesday", "Wednesday")
                .replace("The government said", "The government says"),
            SHORT[1]
                .replace("said the road", "say the road")
                .replace("damaged bridge", "damaged bridges")
                .replace(", while engineers checked the damaged bridges", ""),
        ];
        let got = traced(&article);
        assert_eq!(got.verdict, Verdict::Copy, "{got:#?}");
        assert!(got.spin_evidence.is_empty(), "{:?}", got.spin_evidence);
        assert!(got.passages.iter().any(|p| !p.substitutions.is_empty()), "{got:#?}");
    }

    #[test]
    fn spin_score_grows_with_swaps_and_falls_with_length() {
        // The swaps are made in the first copy only: in a longer text they are as many, but
        // scattered (a digest's slips), not a spinner's rule.
        let spun =
            |pairs: &[(&str, &str)], copies: usize| {
                let mut article = Vec::new();
                let mut sources = Vec::new();
                for i in 0..copies {
                    // Distinct sources, so that each copy is aligned on its own.
                    let mark = |p: &str| format!("{p} Report number {i} of the series follows.");
                    sources.extend(SHORT.iter().map(|p| mark(p)));
                    let swaps = if i == 0 { pairs } else { &[] };
                    article.extend(SHORT.iter().map(|p| {
                        swaps.iter().fold(mark(p), |t, (from, to)| t.replacen(from, to, 1))
                    }));
                }
                let source = sources;
                trace(&article, &[&source[..]]).spin_score
            };
        let swaps = [
            ("hurt", "injured"),
            ("inquiry", "investigation"),
            ("road", "street"),
            ("asked", "requested"),
        ];
        let scores: Vec<f64> = (0..=4).map(|n| spun(&swaps[..n], 1)).collect();
        assert!(scores.windows(2).all(|w| w[0] < w[1]), "{scores:?}");
        assert_eq!(scores[0], 0.0);
        // The same two swaps weigh less in a text twenty times as long (1,500 words).
        assert!(spun(&swaps[..2], 20) < spun(&swaps[..2], 1));
        assert!(spun(&swaps[..2], 20) < SPUN_SCORE);
        // A whole-text spin scores near 1.
        assert!(spun(&swaps, 1) > 0.9, "{scores:?}");
    }

    #[test]
    fn swap_kinds_follow_the_words_form() {
        let kind = |from: &str, to: &str| {
            swap_kind(&Substitution { from: from.into(), to: to.into() }, false)
        };
        assert_eq!(kind("United States", "US"), SwapKind::Acronym);
        assert_eq!(kind("FBI", "Federal Bureau of Investigation"), SwapKind::Acronym);
        assert_eq!(kind("Russia", "Russian Federation"), SwapKind::FormalName);
        assert_eq!(kind("government", "administration"), SwapKind::Synonym);
        assert_eq!(kind("saying", "stating"), SwapKind::Synonym);
        assert_eq!(kind("said", "says"), SwapKind::Inflection);
        assert_eq!(kind("organisation", "organization"), SwapKind::Inflection);
        assert_eq!(kind("announced", "announces"), SwapKind::Inflection);
        assert_eq!(kind("two", "three"), SwapKind::Number);
        assert_eq!(kind("Tuesday", "Wednesday"), SwapKind::Name);
        assert_eq!(kind("yesterday", "on Monday"), SwapKind::Name);
        assert_eq!(kind("the", "a"), SwapKind::Function);
        assert_eq!(kind("b", "c"), SwapKind::Function);
        assert_eq!(kind("pass", "go by"), SwapKind::Synonym);
        // At a sentence's start, a capital is no name.
        let opening = Substitution { from: "People".into(), to: "Individuals".into() };
        assert_eq!(swap_kind(&opening, true), SwapKind::Synonym);
        assert_eq!(swap_kind(&opening, false), SwapKind::Name);
    }

    #[test]
    fn votes_count_where_they_cluster() {
        // Seeds of a common phrase scattered over a long paragraph, and a dense run.
        let mut votes = vec![5, 900, 1_800, 3_000, 3_004, 3_009, 3_012, 4_500];
        assert_eq!(densest(&mut votes, 20), (4, 3_000, 3_012));
        assert_eq!(densest(&mut [], 20), (0, 0, 0));
    }

    #[test]
    fn a_long_source_paragraph_costs_its_window_only() {
        // A 20,000-word source paragraph without sentence ends, the sentence in its middle.
        let filler = |n: usize| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let sentence = "The envoy met the minister in Moscow for two hours of talks";
        let source = [format!("{} {sentence} {}", filler(10_000), filler(10_000))];
        let started = std::time::Instant::now();
        let got = trace(&[sentence.to_owned()], &[&source[..]]);
        assert_eq!(got.verdict, Verdict::Copy);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn without_sources_it_is_original() {
        let got = trace(&owned(&WIRE_A), &[]);
        assert_eq!(got.verdict, Verdict::Original);
        assert!(got.passages.is_empty());
        let got = trace(&owned(&[]), &refs(&[owned(&WIRE_A)]));
        assert_eq!((got.verdict, got.words), (Verdict::Original, 0));
    }

    #[test]
    fn two_sources_make_a_composite() {
        let article = vec![WIRE_A[0].to_owned(), WIRE_B[0].to_owned(), WIRE_A[2].to_owned()];
        let got = trace(&article, &refs(&[owned(&WIRE_A), owned(&WIRE_B)]));
        assert_eq!(got.verdict, Verdict::Composite, "{got:#?}");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn refs(sources: &[Vec<String>]) -> Vec<&[String]> {
        sources.iter().map(Vec::as_slice).collect()
    }

    fn paragraph() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                "[a-e]{1,3}",
                Just("Russia".to_owned()),
                Just("Ünïcödé".to_owned()),
                Just("Mr.".to_owned()),
                Just("said.".to_owned()),
                Just("“quote”".to_owned()),
            ],
            0..60,
        )
        .prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Spans fall on char boundaries inside their paragraphs, coverage is a share, and
        /// tracing never panics, whatever the text.
        #[test]
        fn spans_and_shares_are_sound(
            article in proptest::collection::vec(paragraph(), 0..6),
            sources in proptest::collection::vec(proptest::collection::vec(paragraph(), 0..6), 0..4),
        ) {
            let got = trace(&article, &refs(&sources));
            for p in &got.passages {
                let text = &article[p.paragraph];
                prop_assert!(p.start <= p.end && p.end <= text.len());
                prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
                let src = &sources[p.source][p.source_paragraph];
                prop_assert!(p.source_start <= p.source_end && p.source_end <= src.len());
                prop_assert!(src.is_char_boundary(p.source_start) && src.is_char_boundary(p.source_end));
                prop_assert!((0.0..=1.0).contains(&p.similarity));
            }
            let total: f64 = got.sources.iter().map(|s| s.coverage).sum();
            prop_assert!(total <= 1.0 + 1e-9);
        }

        /// An article traced against itself is all reused, as a copy.
        #[test]
        fn an_article_is_a_copy_of_itself(article in proptest::collection::vec(paragraph(), 1..5)) {
            let words: usize = article.iter().map(|p| words(p).len()).sum();
            prop_assume!(words >= 40);
            let got = trace(&article, &[&article[..]]);
            prop_assert_eq!(got.verdict, Verdict::Copy);
            prop_assert!(got.sources[0].coverage >= 0.5, "{:?}", got.sources);
        }
    }
}
