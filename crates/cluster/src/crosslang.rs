//! Stories across languages: which stories of one language tell the same event as a story
//! of another, without translation (Miranda et al., EMNLP 2018, link monolingual clusters
//! across languages the same way).
//!
//! Stories are clustered within a language (their words are that language's); this layer
//! links them afterwards by what a story says in every language alike:
//! - the canonical names of its entities (`lede-entities` gives "Russland", "Россия" and
//!   "Russia" the one name "Russia", "Путин" and "Putin" the name "Vladimir Putin"): places,
//!   people and organisations;
//! - its words that every language writes alike: names spelt the same ("Boeing", "Aramco"),
//!   and numbers as digits ("39", "2019"; "6,3" is two words, and only words of two
//!   characters or more count): death tolls, years, vote counts. Numbers can also be a kind
//!   of their own (two to four digits, [`LinkParams::number_weight`]); on the benchmark
//!   they added nothing to the words that hold them, so the default weight is 0. Numbers
//!   written out are read as digits in the languages with a table (`NUMBER_WORDS`: en, de,
//!   fr, es, it, pt, nl, ru; 10 to 20, the tens, hundred, thousand, million): German "elf",
//!   French "onze" and Russian "одиннадцать" are "11" (Dutch "onze", "our", is not);
//!   compounds ("twenty-one") are not;
//! - its dates: two stories whose spans of days lie more than [`LinkParams::max_days`] apart
//!   are never linked.
//!
//! Each kind is an IDF-weighted cosine over the stories given (a name or word that many
//! stories share, "United States" or "2019", tells little); the kinds are blended by their
//! weights, and a story is linked to its best-scoring story of each other language (and,
//! unless [`LinkParams::mutual`], to any that finds it best) when the blend reaches
//! [`LinkParams::threshold`] and at least [`LinkParams::min_shared`] weighted keys are
//! shared. Stories in the same language are never linked here: that is clustering's work.

use crate::clusterer::Story;
use crate::features::StoryFeatures;
use lede_core::StoryId;
use lede_text::hash::{KeyMap, term_hash};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Names of a story its candidates are looked up by (its most named).
pub const NAMES_ASKED: usize = 8;
/// Candidates a story is linked among at most (those sharing the most names first).
pub const CANDIDATES: usize = 400;
/// Candidates of told languages other than the story's own among them at least, where
/// that many share a name (those sharing the most names first): on a store of one main
/// language the [`CANDIDATES`] sharing most names with one of its stories are all of it,
/// and its stories found no report in another language that those reports found in them.
pub const ACROSS: usize = 40;
/// Numbers recognised among a story's words: 10 to this (years, tolls, counts of a few
/// thousand; a larger number is written in groups of three digits, each group a word).
const MAX_NUMBER: u32 = 9_999;
/// Names and numbers kept per story (the most mentioned).
const MAX_KEYS: usize = 64;

/// What a story says in every language: the input of [`link`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    /// The story.
    pub story: StoryId,
    /// Its language (ISO 639-1); stories of one language are never linked to each other.
    pub lang: String,
    /// Its first and last dated member (Unix seconds).
    pub first_ts: Option<i64>,
    /// See `first_ts`.
    pub last_ts: Option<i64>,
    /// Hashes of its entities' canonical names with their weights (mentions, or a share
    /// of a story's centroid), sorted by hash.
    pub entities: Vec<(u32, f32)>,
    /// Hashes of the numbers among its words with their weights, sorted by hash.
    pub numbers: Vec<(u32, f32)>,
    /// Hashes of all its words with their weights, sorted by hash
    /// ([`LinkParams::word_weight`]).
    pub words: Vec<(u32, f32)>,
}

impl Signature {
    /// The signature of a stored story, from its clustering state (the heaviest names and
    /// words of its centroid): what `lede story` links from.
    pub fn of_story(story: &Story, lang: &str) -> Signature {
        let numbers = number_hashes();
        let mut entities = story.top_entities(MAX_KEYS);
        let mut words = with_digits(story.top_terms(usize::MAX), lang);
        let mut nums: Vec<(u32, f32)> =
            words.iter().copied().filter(|(h, _)| numbers.contains_key(h)).collect();
        nums.truncate(MAX_KEYS);
        for v in [&mut entities, &mut words, &mut nums] {
            v.sort_unstable_by_key(|e| e.0);
        }
        Signature {
            story: story.id,
            lang: lang.to_ascii_lowercase(),
            first_ts: story.first_ts,
            last_ts: story.last_ts,
            entities,
            numbers: nums,
            words,
        }
    }

    /// The signature of a story from its members' features and dates.
    pub fn of<'a>(
        story: StoryId,
        lang: &str,
        members: impl IntoIterator<Item = (&'a StoryFeatures, Option<i64>)>,
    ) -> Signature {
        let numbers = number_hashes();
        let written = number_words(lang);
        let mut entities: KeyMap<u32, u32> = KeyMap::default();
        let mut words: KeyMap<u32, u32> = KeyMap::default();
        let (mut first_ts, mut last_ts) = (None::<i64>, None::<i64>);
        for (f, ts) in members {
            if let Some(ts) = ts {
                first_ts = Some(first_ts.map_or(ts, |t| t.min(ts)));
                last_ts = Some(last_ts.map_or(ts, |t| t.max(ts)));
            }
            for &(h, n) in &f.entities {
                *entities.entry(h).or_default() += u32::from(n);
            }
            for &(h, n) in &f.terms {
                let h = written.and_then(|t| t.get(&h).copied()).unwrap_or(h);
                *words.entry(h).or_default() += u32::from(n);
            }
        }
        let top = |m: KeyMap<u32, u32>, keep: &dyn Fn(u32) -> bool, limit: usize| {
            let mut v: Vec<(u32, u32)> = m.into_iter().filter(|(h, _)| keep(*h)).collect();
            v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(limit);
            v.sort_unstable();
            v.into_iter().map(|(h, n)| (h, n as f32)).collect::<Vec<(u32, f32)>>()
        };
        let nums: KeyMap<u32, u32> =
            words.iter().filter(|(h, _)| numbers.contains_key(h)).map(|(h, n)| (*h, *n)).collect();
        Signature {
            story,
            lang: lang.to_ascii_lowercase(),
            first_ts,
            last_ts,
            entities: top(entities, &|_| true, MAX_KEYS),
            numbers: top(nums, &|_| true, MAX_KEYS),
            words: top(words, &|_| true, usize::MAX),
        }
    }
}

/// Numbers written out, per language (ISO 639-1): 10 to 20, the tens, and the words for a
/// hundred, a thousand and a million, in the forms news writes them (Russian with its case
/// forms). Only values of 10 and more: a single digit is one character, which no story
/// keeps as a word. A compound ("twenty-one", "einundzwanzig") is not read.
const NUMBER_WORDS: &[(&str, &str)] = &[
    (
        "en",
        "ten:10 eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 \
         eighteen:18 nineteen:19 twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 \
         eighty:80 ninety:90 hundred:100 thousand:1000 million:1000000 millions:1000000",
    ),
    (
        "de",
        "zehn:10 elf:11 zwölf:12 dreizehn:13 vierzehn:14 fünfzehn:15 sechzehn:16 siebzehn:17 \
         achtzehn:18 neunzehn:19 zwanzig:20 dreißig:30 vierzig:40 fünfzig:50 sechzig:60 \
         siebzig:70 achtzig:80 neunzig:90 hundert:100 einhundert:100 tausend:1000 \
         eintausend:1000 million:1000000 millionen:1000000",
    ),
    (
        "fr",
        "dix:10 onze:11 douze:12 treize:13 quatorze:14 quinze:15 seize:16 vingt:20 trente:30 \
         quarante:40 cinquante:50 soixante:60 cent:100 mille:1000 million:1000000 \
         millions:1000000",
    ),
    (
        "es",
        "diez:10 once:11 doce:12 trece:13 catorce:14 quince:15 dieciséis:16 diecisiete:17 \
         dieciocho:18 diecinueve:19 veinte:20 treinta:30 cuarenta:40 cincuenta:50 sesenta:60 \
         setenta:70 ochenta:80 noventa:90 cien:100 ciento:100 mil:1000 millón:1000000 \
         millones:1000000",
    ),
    (
        "it",
        "dieci:10 undici:11 dodici:12 tredici:13 quattordici:14 quindici:15 sedici:16 \
         diciassette:17 diciotto:18 diciannove:19 venti:20 trenta:30 quaranta:40 \
         cinquanta:50 sessanta:60 settanta:70 ottanta:80 novanta:90 cento:100 mille:1000 \
         milione:1000000 milioni:1000000",
    ),
    (
        "pt",
        "dez:10 onze:11 doze:12 treze:13 catorze:14 quatorze:14 quinze:15 dezesseis:16 \
         dezasseis:16 dezessete:17 dezassete:17 dezoito:18 dezenove:19 dezanove:19 vinte:20 \
         trinta:30 quarenta:40 cinquenta:50 sessenta:60 setenta:70 oitenta:80 noventa:90 \
         cem:100 cento:100 mil:1000 milhão:1000000 milhões:1000000",
    ),
    (
        "nl",
        "tien:10 elf:11 twaalf:12 dertien:13 veertien:14 vijftien:15 zestien:16 zeventien:17 \
         achttien:18 negentien:19 twintig:20 dertig:30 veertig:40 vijftig:50 zestig:60 \
         zeventig:70 tachtig:80 negentig:90 honderd:100 duizend:1000 miljoen:1000000",
    ),
    (
        "ru",
        "десять:10 десяти:10 одиннадцать:11 одиннадцати:11 двенадцать:12 двенадцати:12 \
         тринадцать:13 тринадцати:13 четырнадцать:14 четырнадцати:14 пятнадцать:15 \
         пятнадцати:15 шестнадцать:16 шестнадцати:16 семнадцать:17 семнадцати:17 \
         восемнадцать:18 восемнадцати:18 девятнадцать:19 девятнадцати:19 двадцать:20 \
         двадцати:20 тридцать:30 тридцати:30 сорок:40 сорока:40 пятьдесят:50 пятидесяти:50 \
         шестьдесят:60 шестидесяти:60 семьдесят:70 семидесяти:70 восемьдесят:80 \
         восьмидесяти:80 девяносто:90 девяноста:90 сто:100 ста:100 тысяча:1000 тысячи:1000 \
         тысяч:1000 тысячу:1000 миллион:1000000 миллиона:1000000 миллионов:1000000",
    ),
];

/// Word hash -> the hash of its digits, for a language's numbers written out (elf -> 11).
fn number_words(lang: &str) -> Option<&'static KeyMap<u32, u32>> {
    static TABLES: OnceLock<Vec<(&'static str, KeyMap<u32, u32>)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        NUMBER_WORDS
            .iter()
            .map(|(l, list)| {
                let map = list
                    .split_whitespace()
                    .filter_map(|e| e.split_once(':'))
                    .map(|(w, n)| (term_hash(w), term_hash(n)))
                    .collect();
                (*l, map)
            })
            .collect()
    });
    let code = lang.split(['-', '_']).next().unwrap_or("");
    tables.iter().find(|(l, _)| l.eq_ignore_ascii_case(code)).map(|(_, m)| m)
}

/// A story's word hashes, heaviest first, with numbers written out read as digits ("elf"
/// -> "11") and merged with the digits' own weights, heaviest first again.
fn with_digits(words: Vec<(u32, f32)>, lang: &str) -> Vec<(u32, f32)> {
    let Some(table) = number_words(lang) else { return words };
    if !words.iter().any(|(h, _)| table.contains_key(h)) {
        return words;
    }
    let mut merged: BTreeMap<u32, f32> = BTreeMap::new();
    for (h, w) in words {
        *merged.entry(table.get(&h).copied().unwrap_or(h)).or_default() += w;
    }
    let mut out: Vec<(u32, f32)> = merged.into_iter().collect();
    out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The hashes of the numbers [`Signature::of`] recognises, computed once.
fn number_hashes() -> &'static KeyMap<u32, ()> {
    static HASHES: OnceLock<KeyMap<u32, ()>> = OnceLock::new();
    HASHES.get_or_init(|| (10..=MAX_NUMBER).map(|n| (term_hash(&n.to_string()), ())).collect())
}

/// How stories are linked across languages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkParams {
    /// Weight of the canonical names' cosine.
    pub entity_weight: f32,
    /// Weight of the numbers' cosine.
    pub number_weight: f32,
    /// Weight of the cosine of all words: names other languages spell alike ("Boeing",
    /// "Aramco"), numbers and cognates, without telling them apart. It catches what the
    /// names miss where no name was read; the shared-words baseline of
    /// `bench/crosslang.sh` uses it alone.
    pub word_weight: f32,
    /// The blend (divided by the weights' sum) a link needs.
    pub threshold: f32,
    /// Keys (names, numbers, and words when weighted) two stories must share at least: one
    /// shared "Paris" is not an event.
    pub min_shared: usize,
    /// Days between two stories' spans beyond which they are not linked.
    pub max_days: f32,
    /// Whether a link needs each story to be the other's best in its language; else one
    /// side's choice is enough (a story that monolingual clustering split in two keeps
    /// both halves linked, at the price of more false links).
    pub mutual: bool,
}

impl Default for LinkParams {
    /// Chosen on the halves of `bench/crosslang.sh` (weights, `mutual` and threshold; both
    /// halves chose these): numbers as a kind of their own add nothing to the words, which
    /// hold them already; bench/README.md gives the held-out figures.
    fn default() -> LinkParams {
        LinkParams {
            entity_weight: 1.0,
            number_weight: 0.0,
            word_weight: 0.25,
            threshold: 0.05,
            min_shared: 2,
            max_days: 3.0,
            mutual: false,
        }
    }
}

/// Two stories in different languages found to tell the same event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// The lower story id.
    pub a: StoryId,
    /// The higher story id.
    pub b: StoryId,
    /// The blended similarity, 0 to 1.
    pub score: f32,
}

/// Links among `stories` across languages, by story ids (each pair once, `a < b`).
///
/// A story is linked to the best story of each other language when that pair passes the
/// threshold and (with [`LinkParams::mutual`]) that story finds it best too; a pair is only
/// scored when it shares a name, a number or (with a word weight) a word, so the work grows
/// with shared keys, not with the square of the stories.
pub fn link(stories: &[Signature], params: &LinkParams) -> Vec<Link> {
    candidates(stories, params).into_iter().filter(|l| l.score >= params.threshold).collect()
}

/// The links of one story: [`link`] over it and `others` (its candidates, e.g. the stories
/// sharing one of its names), keeping the links that involve it, best first. Names' and
/// numbers' rarity is counted over these stories, as `lede story` sees them.
pub fn links_of(target: &Signature, others: &[Signature], params: &LinkParams) -> Vec<Link> {
    let mut all = Vec::with_capacity(others.len() + 1);
    all.push(target.clone());
    all.extend(others.iter().filter(|o| o.story != target.story).cloned());
    // Only the target's choices and those of the stories it can be chosen by (of other
    // languages) can give it a link: the others of its language are weighed and compared
    // with, but their own best are not looked for (on a store of one main language, 400
    // of the 440 candidates, and most of a story page's linking).
    let chooses = |i: usize| i == 0 || all[i].lang != target.lang;
    let mut out: Vec<Link> = scored(&all, params, chooses)
        .into_iter()
        .filter(|l| l.score >= params.threshold)
        .filter(|l| l.a == target.story || l.b == target.story)
        .collect();
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b)));
    out
}

/// Every pair [`link`] would keep at a threshold of 0, with its score: what the benchmark
/// sweeps thresholds over.
pub fn candidates(stories: &[Signature], params: &LinkParams) -> Vec<Link> {
    scored(stories, params, |_| true)
}

/// [`candidates`], with only the stories `chooses` picks choosing their best in each other
/// language (a story not picked is still weighed, chosen and compared with).
fn scored(
    stories: &[Signature],
    params: &LinkParams,
    chooses: impl Fn(usize) -> bool,
) -> Vec<Link> {
    let n = stories.len();
    let weight_sum = params.entity_weight + params.number_weight + params.word_weight;
    if n < 2 || weight_sum <= 0.0 {
        return Vec::new();
    }
    let weights = [params.entity_weight, params.number_weight, params.word_weight];
    // Document frequencies over the stories given, per kind (hash spaces differ by seed).
    let mut df: [KeyMap<u32, u32>; 3] = Default::default();
    for s in stories {
        for (k, keys) in [&s.entities, &s.numbers, &s.words].into_iter().enumerate() {
            for &(h, _) in keys {
                *df[k].entry(h).or_default() += 1;
            }
        }
    }
    let idf = |k: usize, h: u32| -> f32 {
        let d = df[k].get(&h).copied().unwrap_or(1) as f32;
        ((1.0 + n as f32) / (1.0 + d)).ln() + 1.0
    };
    // Weighted vectors (sublinear counts times IDF), their norms, and an inverted index.
    let vectors: Vec<[Vec<(u32, f32)>; 3]> = stories
        .iter()
        .map(|s| {
            let mut out: [Vec<(u32, f32)>; 3] = Default::default();
            for (k, keys) in [&s.entities, &s.numbers, &s.words].into_iter().enumerate() {
                // A kind without weight is neither scored nor counted as shared.
                if weights[k] <= 0.0 {
                    continue;
                }
                // Sublinear in the weight: a name mentioned ten times is not ten names.
                out[k] =
                    keys.iter().map(|&(h, w)| (h, (1.0 + w.max(0.0)).ln() * idf(k, h))).collect();
            }
            out
        })
        .collect();
    let norms: Vec<[f32; 3]> = vectors
        .iter()
        .map(|v| {
            let norm = |x: &Vec<(u32, f32)>| x.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            [norm(&v[0]), norm(&v[1]), norm(&v[2])]
        })
        .collect();
    let mut index: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
    for (i, v) in vectors.iter().enumerate() {
        for (k, keys) in v.iter().enumerate() {
            for &(h, _) in keys {
                index.entry((k, h)).or_default().push(i);
            }
        }
    }
    let max_gap = (params.max_days.max(0.0) * 86_400.0) as i64;
    let mut best: BTreeMap<(usize, &str), (f32, usize)> = BTreeMap::new();
    for i in (0..n).filter(|&i| chooses(i)) {
        // Dot products with every story sharing a key, per kind, and shared key counts.
        let mut dots: BTreeMap<usize, ([f32; 3], usize)> = BTreeMap::new();
        for (k, keys) in vectors[i].iter().enumerate() {
            for &(h, w) in keys {
                for &j in &index[&(k, h)] {
                    if j == i || stories[j].lang == stories[i].lang {
                        continue;
                    }
                    let wj = vectors[j][k]
                        .binary_search_by_key(&h, |e| e.0)
                        .map_or(0.0, |p| vectors[j][k][p].1);
                    let e = dots.entry(j).or_default();
                    e.0[k] += w * wj;
                    e.1 += 1;
                }
            }
        }
        for (j, (dot, shared)) in dots {
            if shared < params.min_shared || !near(&stories[i], &stories[j], max_gap) {
                continue;
            }
            let cos = |k: usize| {
                let d = norms[i][k] * norms[j][k];
                if d > 0.0 { dot[k] / d } else { 0.0 }
            };
            let score = (0..3).map(|k| weights[k] * cos(k)).sum::<f32>() / weight_sum;
            let slot = best.entry((i, stories[j].lang.as_str())).or_insert((-1.0, j));
            // Ties go to the lower story id, so the answer depends neither on map order nor
            // on the order the stories are given in (`links_of` puts its target first).
            if score > slot.0 || (score == slot.0 && stories[j].story < stories[slot.1].story) {
                *slot = (score, j);
            }
        }
    }
    let mut links: BTreeMap<(StoryId, StoryId), f32> = BTreeMap::new();
    for (&(i, _), &(score, j)) in &best {
        if params.mutual && best.get(&(j, stories[i].lang.as_str())).map(|b| b.1) != Some(i) {
            continue;
        }
        let (a, b) = (stories[i].story, stories[j].story);
        links.insert((a.min(b), a.max(b)), score);
    }
    let mut out: Vec<Link> =
        links.into_iter().map(|((a, b), score)| Link { a, b, score }).collect();
    out.sort_by(|x, y| x.a.cmp(&y.a).then(x.b.cmp(&y.b)));
    out
}

/// Whether two stories' spans of days lie within `max_gap` seconds of each other (an
/// undated story is near any).
fn near(a: &Signature, b: &Signature, max_gap: i64) -> bool {
    match (a.first_ts, a.last_ts, b.first_ts, b.last_ts) {
        (Some(a0), Some(a1), Some(b0), Some(b1)) => {
            let gap = if a1 < b0 {
                b0 - a1
            } else if b1 < a0 {
                a0 - b1
            } else {
                0
            };
            gap <= max_gap
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_text::hash::entity_hash;

    const DAY: i64 = 86_400;

    /// A one-article story with these canonical names and words.
    fn story(id: u64, lang: &str, day: i64, names: &[&str], words: &[&str]) -> Signature {
        let mut f = StoryFeatures::default();
        for n in names {
            f.entities.push((entity_hash(n), 1));
        }
        f.entities.sort_unstable();
        f.entities.dedup_by_key(|e| e.0);
        for w in words {
            match f.terms.iter_mut().find(|t| t.0 == term_hash(w)) {
                Some(t) => t.1 += 1,
                None => f.terms.push((term_hash(w), 1)),
            }
        }
        f.terms.sort_unstable();
        Signature::of(StoryId(id), lang, [(&f, Some(day * DAY))])
    }

    fn pairs(links: &[Link]) -> Vec<(u64, u64)> {
        links.iter().map(|l| (l.a.0, l.b.0)).collect()
    }

    /// Two events of one kind (a building collapse) in two languages each, and noise.
    fn collapses() -> Vec<Signature> {
        vec![
            story(
                1,
                "en",
                0,
                &["Magnitogorsk", "Russia", "Vladimir Putin"],
                &["collapse", "39", "1973", "48"],
            ),
            story(2, "de", 0, &["Magnitogorsk", "Russia"], &["einsturz", "39", "1973"]),
            story(3, "en", 30, &["Aleppo", "Syria", "Russia"], &["collapse", "2016", "eleven"]),
            story(4, "fr", 31, &["Aleppo", "Syria"], &["effondrement", "2016", "onze"]),
            story(5, "fr", 0, &["Paris", "France"], &["grève", "12"]),
        ]
    }

    #[test]
    fn links_the_same_event_across_languages_and_not_its_kind() {
        let links = link(&collapses(), &LinkParams::default());
        assert_eq!(pairs(&links), [(1, 2), (3, 4)]);
        assert!(links.iter().all(|l| l.score > 0.05 && l.score <= 1.0), "{links:?}");
    }

    #[test]
    fn never_links_within_a_language() {
        let mut s = collapses();
        for x in &mut s {
            x.lang = "en".into();
        }
        assert!(candidates(&s, &LinkParams::default()).is_empty());
    }

    #[test]
    fn dates_too_far_apart_are_not_linked() {
        let mut s = collapses();
        // The German report of Magnitogorsk moved a month on: same names, another time.
        s[1].first_ts = Some(60 * DAY);
        s[1].last_ts = Some(60 * DAY);
        assert_eq!(pairs(&link(&s, &LinkParams::default())), [(3, 4)]);
        let wide = LinkParams { max_days: 90.0, ..LinkParams::default() };
        assert!(pairs(&link(&s, &wide)).contains(&(1, 2)));
    }

    #[test]
    fn one_shared_name_is_not_enough() {
        let s = vec![
            story(1, "en", 0, &["Paris", "France"], &["strike"]),
            story(2, "de", 0, &["Paris", "Germany"], &["streik"]),
        ];
        assert!(link(&s, &LinkParams::default()).is_empty());
        let lax = LinkParams { min_shared: 1, threshold: 0.0, ..LinkParams::default() };
        assert_eq!(lax.word_weight, 0.25, "the words differ: only Paris is shared");
        assert_eq!(pairs(&link(&s, &lax)), [(1, 2)]);
    }

    #[test]
    fn numbers_are_digits_only_and_count_as_evidence() {
        let s = story(1, "en", 0, &[], &["39", "1973", "collapse", "9", "12345"]);
        assert_eq!(s.numbers.len(), 2, "two-to-four-digit numbers only: {s:?}");
        // Names alone share one key; a shared toll and year make the case.
        let a = story(1, "en", 0, &["Karaj"], &["707", "16"]);
        let b = story(2, "ru", 0, &["Karaj"], &["707", "16"]);
        let only_names =
            LinkParams { number_weight: 0.0, word_weight: 0.0, ..LinkParams::default() };
        let numbers = LinkParams { number_weight: 0.5, ..only_names };
        assert_eq!(pairs(&link(&[a.clone(), b.clone()], &numbers)), [(1, 2)]);
        // lede's default reads the numbers among the shared words.
        assert_eq!(pairs(&link(&[a.clone(), b.clone()], &LinkParams::default())), [(1, 2)]);
        assert!(link(&[a, b], &only_names).is_empty(), "without numbers one name is shared");
    }

    #[test]
    fn numbers_written_out_are_read_as_digits_issue_17() {
        // "elf" (de), "onze" (fr), "одиннадцать" (ru) and "11" are one key; Dutch "onze"
        // ("our") and English "elf" are words.
        let de = story(1, "de", 0, &["Karaj"], &["elf", "tote"]);
        let fr = story(2, "fr", 0, &["Karaj"], &["onze", "morts"]);
        let ru = story(3, "ru", 0, &["Karaj"], &["одиннадцать"]);
        let en = story(4, "en", 0, &["Karaj"], &["11", "dead"]);
        let eleven = term_hash("11");
        for s in [&de, &fr, &ru, &en] {
            assert!(s.words.iter().any(|w| w.0 == eleven), "{s:?}");
            assert!(s.numbers.iter().any(|w| w.0 == eleven), "{s:?}");
        }
        let nl = story(5, "nl", 0, &[], &["onze", "twaalf"]);
        assert!(nl.words.iter().any(|w| w.0 == term_hash("onze")));
        assert!(nl.words.iter().any(|w| w.0 == term_hash("12")));
        let en = story(6, "en", 0, &[], &["elf", "thousand"]);
        assert!(en.words.iter().any(|w| w.0 == term_hash("elf")));
        assert!(en.numbers.iter().any(|w| w.0 == term_hash("1000")));
        // A word and its digits in one story count together, and stay sorted.
        let both = story(7, "de", 0, &[], &["elf", "11", "zwanzig"]);
        assert_eq!(both.words.iter().find(|w| w.0 == eleven).map(|w| w.1), Some(2.0));
        assert!(both.words.windows(2).all(|w| w[0].0 < w[1].0));
        // Names and a toll written out in one language and in digits in the other link.
        let only_numbers =
            LinkParams { number_weight: 0.5, word_weight: 0.0, ..LinkParams::default() };
        let a = story(8, "de", 0, &["Karaj"], &["siebzehn", "tausend"]);
        let b = story(9, "en", 0, &["Karaj"], &["17", "1000"]);
        assert_eq!(pairs(&link(&[a, b], &only_numbers)), [(8, 9)]);
    }

    #[test]
    fn a_story_keeps_its_best_partner_per_language() {
        let s = vec![
            story(1, "en", 0, &["Carrie Lam", "Hong Kong", "China"], &["bill", "2019"]),
            story(2, "de", 0, &["Carrie Lam", "Hong Kong", "China"], &["gesetz", "2019"]),
            story(3, "de", 1, &["Hong Kong", "China"], &["polizei"]),
        ];
        let all = LinkParams { threshold: 0.0, mutual: true, ..LinkParams::default() };
        let links = link(&s, &all);
        assert_eq!(pairs(&links), [(1, 2)], "{links:?}");
        // One side's choice: the other German story's best English story is 1.
        let links = link(&s, &LinkParams { mutual: false, ..all });
        assert_eq!(pairs(&links), [(1, 2), (1, 3)], "{links:?}");
    }

    #[test]
    fn links_of_one_story_keeps_its_own_links() {
        let s = collapses();
        let l = links_of(&s[2], &s, &LinkParams::default());
        assert_eq!(pairs(&l), [(3, 4)]);
        assert!(links_of(&s[4], &s, &LinkParams::default()).is_empty());
    }

    /// `links_of` looks for the best of the target and of the stories of other languages
    /// only: the links it keeps are those `link` finds over the same stories, whatever
    /// the languages, the threshold and `mutual`.
    #[test]
    fn links_of_one_story_are_those_of_all_that_involve_it() {
        let names = ["Carrie Lam", "Hong Kong", "China", "Boris Johnson", "Paris", "NATO"];
        let words = ["bill", "2019", "39", "polizei", "vote", "1973", "karaj"];
        let langs = ["en", "en", "en", "de", "de", "fr", "en", "ru", "de", "en", "en", "fr"];
        // Stories drawn from their number: names, words and day vary, languages repeat.
        let s: Vec<Signature> = (0..langs.len())
            .map(|i| {
                let pick = |all: &[&'static str], k: usize| -> Vec<&'static str> {
                    (0..all.len())
                        .filter(|j| !(i * 7 + j * k).is_multiple_of(3))
                        .map(|j| all[j])
                        .collect()
                };
                story(i as u64 + 1, langs[i], (i % 4) as i64, &pick(&names, 5), &pick(&words, 2))
            })
            .collect();
        for mutual in [false, true] {
            for threshold in [0.0, 0.05, 0.3] {
                let params = LinkParams { threshold, mutual, ..LinkParams::default() };
                let all = link(&s, &params);
                assert!(!all.is_empty());
                for target in &s {
                    let mut expected: Vec<Link> = all
                        .iter()
                        .copied()
                        .filter(|l| l.a == target.story || l.b == target.story)
                        .collect();
                    expected.sort_by(|x, y| {
                        y.score.total_cmp(&x.score).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b))
                    });
                    let others: Vec<Signature> =
                        s.iter().filter(|o| o.story != target.story).cloned().collect();
                    assert_eq!(
                        links_of(target, &others, &params),
                        expected,
                        "{mutual} {threshold}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_and_weightless_inputs_give_nothing() {
        assert!(link(&[], &LinkParams::default()).is_empty());
        let zero = LinkParams {
            entity_weight: 0.0,
            number_weight: 0.0,
            word_weight: 0.0,
            ..LinkParams::default()
        };
        assert!(link(&collapses(), &zero).is_empty());
    }

    #[test]
    fn the_words_baseline_links_by_surface_words() {
        let s = vec![
            story(1, "en", 0, &[], &["boeing", "707", "karaj"]),
            story(2, "fr", 0, &[], &["boeing", "707", "karaj"]),
        ];
        let words = LinkParams {
            entity_weight: 0.0,
            number_weight: 0.0,
            word_weight: 1.0,
            ..LinkParams::default()
        };
        // No names read: names and numbers alone cannot see the pair (one number shared).
        let names = LinkParams { word_weight: 0.0, ..LinkParams::default() };
        assert!(link(&s, &names).is_empty());
        let l = link(&s, &words);
        assert_eq!(pairs(&l), [(1, 2)]);
        assert!((l[0].score - 1.0).abs() < 1e-5);
    }
}
