//! Gazetteers: lists of places, organisations, nationalities, titles and given names.
//!
//! They serve two purposes, and neither is to recognise entities on their own: they are
//! features of the tagger ("this token starts a known place name"), and they give canonical
//! names ("U.S." -> "United States", "Russian" -> "Russia", "Cavs" -> "Cleveland
//! Cavaliers"). The lists live in `data/` as plain text (see its README), are compiled into
//! the binary, and are read once.
//!
//! Data structure: every name is stored as the hash of its token sequence (see [`seq_hash`]),
//! so that matching the longest name at each token of a sentence costs a few hash lookups
//! and no allocation.

use lede_core::EntityKind;
use lede_text::tokens::{Token, tokenize};
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

const PLACES: &str = include_str!("../data/places.tsv");
const ORGANIZATIONS: &str = include_str!("../data/organizations.tsv");
const TITLES: &str = include_str!("../data/person_titles.txt");
const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");
const GIVEN_GENDERS: &str = include_str!("../data/given_genders.tsv");
const GIVEN_GENDERS_HAND: &str = include_str!("../data/given_genders_hand.tsv");
const SPEECH_VERBS: &str = include_str!("../data/speech_verbs.tsv");
const PEOPLE: &str = include_str!("../data/people.tsv");
const CAPITALS: &str = include_str!("../data/capitals.tsv");

/// The longest name matched, in tokens.
const MAX_NAME_TOKENS: usize = 8;

/// A map keyed by hashes.
pub(crate) type HashMapU64<V> = lede_text::hash::KeyMap<u64, V>;

/// "NEW YORK" -> "New York".
fn title_case(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    let mut start = true;
    for c in phrase.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Extends the hash of a token sequence by one token.
pub(crate) fn seq_hash(h: u64, token: &str) -> u64 {
    combine(h, xxh3_64(token.as_bytes()))
}

/// Extends the hash of a token sequence by one token's hash.
fn combine(h: u64, token: u64) -> u64 {
    (h.rotate_left(17) ^ token).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// What a listed name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Listed {
    /// A place's name or alias.
    Place,
    /// An organisation's name or alias.
    Organization,
    /// A nationality or people ("Russian", "Americans"): a mention of a place.
    Demonym,
    /// A title before a person's name ("Secretary of State", "Mr").
    Title,
}

/// A listed name: what it is and its canonical name (an index into `Gazetteer::names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) listed: Listed,
    pub(crate) name: u32,
}

/// A match of a listed name: tokens `start..end` of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entry: Entry,
}

/// Phrases stored as the hashes of their token sequences (from a seed: 0, or a language),
/// with the hashes of their proper beginnings so a scan stops early: the one phrase matcher
/// behind the gazetteer's lists and the alias table of other languages.
pub(crate) struct Phrases<V> {
    values: HashMapU64<V>,
    prefixes: HashMapU64<()>,
    /// The longest phrase, in tokens.
    max_tokens: usize,
}

/// The hash of a token sequence given as its tokens' hashes, from `seed`.
pub(crate) fn phrase_key(seed: u64, words: impl IntoIterator<Item = u64>) -> u64 {
    words.into_iter().fold(seed, combine)
}

impl<V> Phrases<V> {
    pub(crate) fn new(max_tokens: usize) -> Phrases<V> {
        Phrases { values: HashMapU64::default(), prefixes: HashMapU64::default(), max_tokens }
    }

    /// The slot of the phrase of `words` (its tokens' hashes) from `seed`; `None` for a
    /// phrase of no token or of more than the longest.
    pub(crate) fn slot(
        &mut self,
        seed: u64,
        words: &[u64],
    ) -> Option<std::collections::hash_map::Entry<'_, u64, V>> {
        if words.is_empty() || words.len() > self.max_tokens {
            return None;
        }
        let mut h = seed;
        for &w in &words[..words.len() - 1] {
            h = combine(h, w);
            self.prefixes.insert(h, ());
        }
        Some(self.values.entry(combine(h, words[words.len() - 1])))
    }

    /// The value stored under a phrase's key (`phrase_key`).
    pub(crate) fn get(&self, key: u64) -> Option<&V> {
        self.values.get(&key)
    }

    /// The longest phrases (under any of `seeds`, the first seed winning a tie) in a
    /// sentence given as its tokens' hashes, left to right, not overlapping: each match's
    /// token range and value.
    pub(crate) fn longest(
        &self,
        seeds: &[u64],
        words: &[u64],
    ) -> Vec<(std::ops::Range<usize>, &V)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut best: Option<(usize, &V)> = None;
            for &seed in seeds {
                let mut h = seed;
                for end in i + 1..=(i + self.max_tokens).min(words.len()) {
                    h = combine(h, words[end - 1]);
                    if let Some(v) = self.values.get(&h)
                        && best.is_none_or(|(b, _)| b < end)
                    {
                        best = Some((end, v));
                    }
                    if !self.prefixes.contains_key(&h) {
                        break;
                    }
                }
            }
            match best {
                Some((end, v)) => {
                    out.push((i..end, v));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Whom "she" or "he" can stand for: the gender a given name, a title or a pronoun tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Female,
    Male,
}

impl Gender {
    /// `f` or `m`; `None` for anything else (`-`: either).
    fn parse(code: &str) -> Option<Gender> {
        match code {
            "f" => Some(Gender::Female),
            "m" => Some(Gender::Male),
            _ => None,
        }
    }
}

/// The lists, ready for matching.
pub(crate) struct Gazetteer {
    phrases: Phrases<Vec<Entry>>,
    names: Vec<String>,
    given: HashMapU64<()>,
    /// A given name -> the gender it tells (`None`: either), in every language but those
    /// of `genders_in`.
    genders: HashMap<String, Option<Gender>>,
    /// A language -> its given names whose gender differs ("Andrea" is a man in Italian).
    genders_in: HashMap<String, HashMap<String, Option<Gender>>>,
    speech: HashMapU64<u32>,
    lemmas: Vec<String>,
    /// A surname (or one-word name) -> the full name it most often stands for in news.
    people: HashMap<String, String>,
    /// The [`sound`] of each of `people`'s surnames -> the surname, where one alone sounds
    /// so (`None` where two do).
    people_by_sound: HashMap<String, Option<String>>,
    /// A lower-cased word -> how often news capitalises it mid-sentence, 0 to 4.
    capitals: HashMapU64<u8>,
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// The hashes of a phrase's tokens.
fn word_hashes(text: &str, tokens: &[Token]) -> Vec<u64> {
    tokens.iter().map(|t| xxh3_64(t.text(text).as_bytes())).collect()
}

impl Gazetteer {
    /// The compiled-in lists.
    pub(crate) fn builtin() -> Gazetteer {
        let mut g = Gazetteer {
            phrases: Phrases::new(MAX_NAME_TOKENS),
            names: Vec::new(),
            given: HashMapU64::default(),
            genders: HashMap::new(),
            genders_in: HashMap::new(),
            speech: HashMapU64::default(),
            lemmas: Vec::new(),
            people: HashMap::new(),
            people_by_sound: HashMap::new(),
            capitals: HashMapU64::default(),
        };
        for row in rows(PLACES) {
            let Some(&canonical) = row.first() else { continue };
            let name = g.name(canonical);
            g.add(canonical, Listed::Place, name);
            for alias in row.get(2).into_iter().flat_map(|a| a.split('|')) {
                g.add(alias, Listed::Place, name);
            }
            for demonym in row.get(3).into_iter().flat_map(|a| a.split('|')) {
                g.add(demonym, Listed::Demonym, name);
            }
        }
        for row in rows(ORGANIZATIONS) {
            let Some(&canonical) = row.first() else { continue };
            let name = g.name(canonical);
            g.add(canonical, Listed::Organization, name);
            for alias in row.get(1).into_iter().flat_map(|a| a.split('|')) {
                g.add(alias, Listed::Organization, name);
            }
        }
        for title in TITLES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let name = g.name(title);
            g.add(title, Listed::Title, name);
            // Titles are written capitalised before a name and lower-case elsewhere.
            let mut chars = title.chars();
            if let Some(first) = chars.next() {
                let lower: String = first.to_lowercase().chain(chars).collect();
                g.add(&lower, Listed::Title, name);
            }
        }
        for given in
            GIVEN_NAMES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            g.given.insert(xxh3_64(given.as_bytes()), ());
        }
        // The census list, then the hand list over it.
        for row in rows(GIVEN_GENDERS).chain(rows(GIVEN_GENDERS_HAND)) {
            let [name, gender, rest @ ..] = &row[..] else { continue };
            g.genders.insert((*name).to_owned(), Gender::parse(gender));
            for (language, gender) in
                rest.iter().flat_map(|r| r.split_whitespace()).filter_map(|d| d.split_once(':'))
            {
                g.genders_in
                    .entry(language.to_owned())
                    .or_default()
                    .insert((*name).to_owned(), Gender::parse(gender));
            }
        }
        for row in rows(SPEECH_VERBS) {
            let Some(&lemma) = row.first() else { continue };
            let id = g.lemmas.len() as u32;
            g.lemmas.push(lemma.to_owned());
            g.speech.insert(xxh3_64(lemma.as_bytes()), id);
            for form in row.get(1).into_iter().flat_map(|a| a.split('|')) {
                g.speech.insert(xxh3_64(form.trim().as_bytes()), id);
            }
        }
        for row in rows(CAPITALS) {
            if let [word, share] = row[..]
                && let Ok(share) = share.parse::<u8>()
            {
                g.capitals.insert(xxh3_64(word.as_bytes()), share);
            }
        }
        for row in rows(PEOPLE) {
            if let [short, full, ..] = row[..] {
                g.people.insert(short.to_owned(), full.to_owned());
            }
        }
        for row in rows(PEOPLE) {
            if let [short, ..] = row[..] {
                let key = sound(short);
                if key.len() >= MIN_SOUND {
                    g.people_by_sound
                        .entry(key)
                        .and_modify(|found| {
                            if found.as_deref() != Some(short) {
                                *found = None;
                            }
                        })
                        .or_insert_with(|| Some(short.to_owned()));
                }
            }
        }
        g
    }

    fn name(&mut self, canonical: &str) -> u32 {
        self.names.push(canonical.to_owned());
        (self.names.len() - 1) as u32
    }

    fn add(&mut self, phrase: &str, listed: Listed, name: u32) {
        let phrase = phrase.trim();
        let words = word_hashes(phrase, &tokenize(phrase));
        let Some(slot) = self.phrases.slot(0, &words) else { return };
        let entries = slot.or_default();
        let entry = Entry { listed, name };
        if !entries.iter().any(|e| e.listed == listed) {
            entries.push(entry);
        }
    }

    /// The canonical name of an entry.
    pub(crate) fn canonical(&self, entry: Entry) -> &str {
        &self.names[entry.name as usize]
    }

    /// The entries listed under exactly this phrase.
    pub(crate) fn lookup(&self, phrase: &str) -> &[Entry] {
        let words = word_hashes(phrase, &tokenize(phrase));
        self.phrases.get(phrase_key(0, words)).map_or(&[], Vec::as_slice)
    }

    /// The canonical name a listed place or organisation goes by, with its kind.
    pub(crate) fn entity(&self, phrase: &str, prefer: EntityKind) -> Option<(&str, EntityKind)> {
        let mut entries = self.lookup(phrase);
        if entries.is_empty() && phrase.len() > 3 && !phrase.chars().any(char::is_lowercase) {
            // A dateline or headline in capitals: "WASHINGTON" is "Washington".
            entries = self.lookup(&title_case(phrase));
        }
        let kind_of = |e: &Entry| match e.listed {
            Listed::Place | Listed::Demonym => Some(EntityKind::Place),
            Listed::Organization => Some(EntityKind::Organization),
            Listed::Title => None,
        };
        let best = entries
            .iter()
            .filter(|e| kind_of(e).is_some())
            .max_by_key(|e| (kind_of(e) == Some(prefer), e.listed != Listed::Demonym))?;
        Some((self.canonical(*best), kind_of(best)?))
    }

    /// The longest listed names in `tokens` of `text`, left to right, not overlapping.
    /// Words in capitals ("JAPAN", in a headline) also match their capitalised form.
    pub(crate) fn matches(&self, text: &str, tokens: &[Token]) -> Vec<Match> {
        let folded: Vec<Option<String>> = tokens
            .iter()
            .map(|t| {
                let w = t.text(text);
                let mut chars = w.chars();
                let first = chars.next()?;
                (w.len() > 3 && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()))
                    .then(|| first.to_string() + &chars.as_str().to_lowercase())
            })
            .collect();
        let hashes: Vec<u64> = (0..tokens.len())
            .map(|i| {
                let w = folded[i].as_deref().unwrap_or_else(|| tokens[i].text(text));
                xxh3_64(w.as_bytes())
            })
            .collect();
        self.phrases
            .longest(&[0], &hashes)
            .into_iter()
            .map(|(at, entries)| Match { start: at.start, end: at.end, entry: entries[0] })
            .collect()
    }

    /// All entries for the phrase a match covers.
    pub(crate) fn entries_at(&self, text: &str, tokens: &[Token]) -> &[Entry] {
        self.phrases.get(phrase_key(0, word_hashes(text, tokens))).map_or(&[], Vec::as_slice)
    }

    /// How often news capitalises `lower` (a lower-cased word) mid-sentence: 0 (never) to
    /// 4 (always); `None` for a word seldom seen.
    pub(crate) fn capitalised(&self, lower: &str) -> Option<u8> {
        self.capitals.get(&xxh3_64(lower.as_bytes())).copied()
    }

    /// Whether `word` is a known given name.
    pub(crate) fn is_given_name(&self, word: &str) -> bool {
        self.given.contains_key(&xxh3_64(word.as_bytes()))
    }

    /// The gender a given name tells in `language` (ISO 639-1), if it tells one: "Andrea"
    /// is a woman in English and German, a man in Italian; "Robin" either.
    pub(crate) fn given_gender(&self, given: &str, language: &str) -> Option<Gender> {
        match self.genders_in.get(language).and_then(|names| names.get(given)) {
            Some(&gender) => gender,
            None => self.genders.get(given).copied().flatten(),
        }
    }

    /// The lemma of a speech verb form ("said" -> "say"), if `word` is one.
    pub(crate) fn speech_verb(&self, word: &str) -> Option<&str> {
        self.speech.get(&xxh3_64(word.as_bytes())).map(|&i| self.lemmas[i as usize].as_str())
    }

    /// The full name a one-word person name usually stands for in news ("Trump" ->
    /// "Donald Trump"), learned from the corpus (see `data/README.md`).
    pub(crate) fn person(&self, short: &str) -> Option<&str> {
        self.people.get(short).map(String::as_str)
    }

    /// The surname news knows ([`Gazetteer::person`]) that a transliterated `word` sounds
    /// like, where one alone does: "Tramp" (Трамп) is "Trump", "Dzhonson" (Джонсон)
    /// "Johnson".
    pub(crate) fn person_sounding(&self, word: &str) -> Option<&str> {
        let key = sound(word);
        if key.len() < MIN_SOUND {
            return None;
        }
        self.people_by_sound.get(&key)?.as_deref()
    }
}

/// Sounds a surname's key holds at least to be matched by [`sound`]: shorter ones match
/// too many names.
const MIN_SOUND: usize = 4;

/// A name as it sounds, roughly, so that a Russian transliteration and the English spelling
/// of a foreign name meet ("Tramp" and "Trump", "Bayden" and "Biden", "Makron" and "Macron",
/// "Dzhonson" and "Johnson" are alike): lower-cased letters, the sounds English spells in
/// two letters or Russian transliteration in three written as one ("dzh", "zh" -> j, "kh",
/// "h" -> h, "ph" -> f, "th" -> t, "ck", "q" -> k, "x" -> ks, "w" -> v, "c" -> s before e, i
/// and y, else k), a final silent "e" and an "h" after the first letter left out, every run
/// of vowels (y among them) one "a", and a letter doubled written once.
pub(crate) fn sound(word: &str) -> String {
    let mut w = word.to_lowercase();
    for (from, to) in [
        ("dzh", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ph", "f"),
        ("th", "t"),
        ("ck", "k"),
        ("q", "k"),
        ("x", "ks"),
        ("w", "v"),
    ] {
        w = w.replace(from, to);
    }
    let chars: Vec<char> = w.chars().filter(char::is_ascii_lowercase).collect();
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let c = match c {
            'c' if next.is_some_and(|n| matches!(n, 'e' | 'i' | 'y')) => 's',
            'c' => 'k',
            'h' if i > 0 => continue,
            'e' if i + 1 == chars.len() && i > 1 && !vowel(chars[i - 1]) => continue,
            c if vowel(c) => 'a',
            c => c,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transliteration_and_the_english_spelling_sound_alike() {
        for (russian, english) in [
            ("Tramp", "Trump"),
            ("Bayden", "Biden"),
            ("Makron", "Macron"),
            ("Dzhonson", "Johnson"),
            ("Khillari", "Hillary"),
            ("Klinton", "Clinton"),
            ("Mayk", "Mike"),
            ("Pens", "Pence"),
            ("Netanyakhu", "Netanyahu"),
            ("Tillerson", "Tillerson"),
        ] {
            assert_eq!(sound(russian), sound(english), "{russian} / {english}");
        }
        for (a, b) in [("Putin", "Patton"), ("Tramp", "Tromp"), ("Lavrov", "Lavrova")] {
            // Vowels are one sound, but how many and where still count.
            assert_eq!(sound(a) == sound(b), a == "Putin" || a == "Tramp", "{a} / {b}");
        }
    }

    #[test]
    fn lists_load_and_match() {
        let g = Gazetteer::builtin();
        assert_eq!(g.entity("U.S.", EntityKind::Place), Some(("United States", EntityKind::Place)));
        assert_eq!(g.entity("Russian", EntityKind::Place), Some(("Russia", EntityKind::Place)));
        assert_eq!(
            g.entity("Russian Federation", EntityKind::Place),
            Some(("Russia", EntityKind::Place))
        );
        assert_eq!(g.speech_verb("said"), Some("say"));
        assert_eq!(
            g.entity("WASHINGTON", EntityKind::Place),
            Some(("Washington", EntityKind::Place))
        );
        assert!(g.is_given_name("Rex"));
        let text = "Secretary of State Rex Tillerson met NATO in the United States";
        let tokens = tokenize(text);
        let found: Vec<(&str, Listed)> = g
            .matches(text, &tokens)
            .iter()
            .map(|m| {
                let span = &text[tokens[m.start].start as usize..tokens[m.end - 1].end as usize];
                (span, m.entry.listed)
            })
            .collect();
        assert!(found.contains(&("Secretary of State", Listed::Title)), "{found:?}");
        assert!(found.contains(&("NATO", Listed::Organization)), "{found:?}");
        assert!(found.contains(&("United States", Listed::Place)), "{found:?}");
    }
}
