//! How each language marks quotes and their attribution (issue #17).
//!
//! Data structure: one [`Lexicon`] per language, read once from `data/speech/<lang>.txt`
//! (compiled in): its quotation-mark pairs, its speech verbs in their inflected forms, the
//! words that name a source before it ("laut", "selon", "según", "по словам"), its personal
//! pronouns, the words that may stand between a subject and its verb ("hat", "a", "ha"),
//! the words that open reported speech ("dass", "que", "что"), the verb forms that mark it
//! in German (Konjunktiv I: "sei", "habe"), and whether its news writes dialogue with dashes.
//! English keeps its own lists (the gazetteer's `speech_verbs.tsv`); its lexicon here is
//! empty, and every language's reading also knows the English cues, so a quoted English
//! sentence inside a German page is still read.
//!
//! Example: `Lexicon::for_language(Some("de"))` knows "sagte" and "laut", and that `„`
//! closes with `“`.

use crate::gazetteer::Gender;
use std::collections::HashSet;
use std::sync::OnceLock;

/// English words before a name that tell its bearer's gender ("Mrs", "Congresswoman"),
/// known in every language's reading (English is quoted on pages of every language).
const ENGLISH_WOMEN: &[&str] = &[
    "Mrs",
    "Ms",
    "Miss",
    "Madam",
    "Lady",
    "Dame",
    "Queen",
    "Princess",
    "Duchess",
    "Baroness",
    "Congresswoman",
    "Councilwoman",
    "Assemblywoman",
    "Chairwoman",
    "spokeswoman",
    "Spokeswoman",
    "businesswoman",
    "actress",
];
/// English phrases that announce a statement the next quote gives ("issued the following
/// statement"), known in every language's reading, as words.
const ENGLISH_STATEMENTS: &[&[&str]] = &[
    &["the", "following", "statement"],
    &["the", "following", "statements"],
    &["the", "following", "remarks"],
    &["the", "following", "comment"],
    &["the", "following", "comments"],
];

/// See [`ENGLISH_WOMEN`].
const ENGLISH_MEN: &[&str] = &[
    "Mr",
    "Sir",
    "Lord",
    "King",
    "Prince",
    "Duke",
    "Baron",
    "Congressman",
    "Councilman",
    "Assemblyman",
    "Chairman",
    "spokesman",
    "Spokesman",
    "businessman",
];

/// The languages with a lexicon, and their data.
const DATA: &[(&str, &str)] = &[
    ("de", include_str!("../data/speech/de.txt")),
    ("fr", include_str!("../data/speech/fr.txt")),
    ("es", include_str!("../data/speech/es.txt")),
    ("it", include_str!("../data/speech/it.txt")),
    ("pt", include_str!("../data/speech/pt.txt")),
    ("nl", include_str!("../data/speech/nl.txt")),
    ("ru", include_str!("../data/speech/ru.txt")),
    ("uk", include_str!("../data/speech/uk.txt")),
];

/// Whether quotes are read in `language` (ISO 639-1, any case, region ignored): English
/// and the languages with a lexicon here.
pub fn reads_quotes(language: &str) -> bool {
    let code = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    code == "en" || DATA.iter().any(|(l, _)| *l == code)
}

/// The languages quotes are read in.
pub fn quote_languages() -> Vec<&'static str> {
    std::iter::once("en").chain(DATA.iter().map(|(l, _)| *l)).collect()
}

/// A language's quoting and attribution words.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    /// ISO 639-1 code; empty for English (the default).
    pub(crate) language: String,
    /// Speech verb forms, lower-cased.
    verbs: HashSet<String>,
    /// Phrases naming a source before it, lower-cased, as words, longest first.
    according: Vec<Vec<String>>,
    /// The first words of [`Lexicon::according`]: a word not among them begins none
    /// (asked of every word of a page, so it must cost one look-up).
    according_first: HashSet<String>,
    /// Phrases that announce a statement the next quote gives ("la siguiente declaración"),
    /// lower-cased, as words.
    statements: Vec<Vec<String>>,
    /// Those of `according` that are also everyday prepositions ("para", "per"): a
    /// source only where a name, an article or a pronoun follows ("para el ministro", not
    /// "para servir").
    according_weak: HashSet<String>,
    pronouns: HashSet<String>,
    skip: HashSet<String>,
    subjunctive: HashSet<String>,
    /// Words that open reported speech ("dass", "que", "dat", "что").
    that: HashSet<String>,
    /// Personal pronouns (of `pronouns`) naming a woman, and a man.
    she: HashSet<String>,
    he: HashSet<String>,
    /// Words before a name that make its bearer a woman ("Frau", "Mme"), and a man.
    women: HashSet<String>,
    men: HashSet<String>,
    /// Articles that, before a title before a name, make its bearer a woman ("la ministre
    /// Rachida Dati"), and a man.
    women_articles: HashSet<String>,
    men_articles: HashSet<String>,
    /// Endings of a title just before a name that make its bearer a woman
    /// ("Innenministerin Nancy Faeser").
    women_endings: Vec<String>,
    /// Endings of a speech verb that tell its subject's gender (Russian "сказала",
    /// "сказал").
    she_verb_endings: Vec<String>,
    he_verb_endings: Vec<String>,
    /// Whether a paragraph opened by a dash is a line of dialogue.
    pub(crate) dialogue: bool,
    /// Whether `,,…''` is a quotation style (Dutch: its `marks` list `,,''`).
    pub(crate) low_commas: bool,
}

impl Lexicon {
    fn parse(language: &str, data: &str) -> Lexicon {
        let mut lex = Lexicon { language: language.to_owned(), ..Lexicon::default() };
        for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let (key, value) = line.split_once('\t').unwrap_or((line, ""));
            let words = || value.split_whitespace().map(str::to_lowercase);
            match key.trim() {
                "verbs" => lex.verbs.extend(words()),
                "according" => lex.according.extend(
                    value
                        .split('|')
                        .map(|p| p.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>()),
                ),
                "according_weak" => lex.according_weak.extend(words()),
                "statement" => lex.statements.extend(
                    value
                        .split('|')
                        .map(|p| p.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
                        .filter(|p| !p.is_empty()),
                ),
                "pronouns" => lex.pronouns.extend(value.split_whitespace().map(str::to_owned)),
                "skip" => lex.skip.extend(words()),
                "she" => lex.she.extend(value.split_whitespace().map(str::to_owned)),
                "he" => lex.he.extend(value.split_whitespace().map(str::to_owned)),
                "women" => lex.women.extend(value.split_whitespace().map(str::to_owned)),
                "men" => lex.men.extend(value.split_whitespace().map(str::to_owned)),
                "women_articles" => lex.women_articles.extend(words()),
                "men_articles" => lex.men_articles.extend(words()),
                "women_endings" => lex.women_endings.extend(words()),
                "she_verb_endings" => lex.she_verb_endings.extend(words()),
                "he_verb_endings" => lex.he_verb_endings.extend(words()),
                "that" => lex.that.extend(words()),
                "subjunctive" => lex.subjunctive.extend(words()),
                "dialogue" => lex.dialogue = value.trim() == "yes",
                "marks" => lex.low_commas = value.split_whitespace().any(|m| m == ",,''"),
                // Otherwise the marks are documentation of what `quotes::closes` accepts.
                _ => {}
            }
        }
        lex.according.retain(|p| !p.is_empty());
        // Longest first, so that "nach Angaben von" wins over a shorter phrase.
        lex.according.sort_by_key(|p| std::cmp::Reverse(p.len()));
        lex.according_first = lex.according.iter().map(|p| p[0].clone()).collect();
        lex
    }

    /// The lexicon for an article's language (ISO 639-1, any case, region ignored); the
    /// English one (empty) for English, for a language without one, and for none.
    pub(crate) fn for_language(language: Option<&str>) -> &'static Lexicon {
        static ALL: OnceLock<Vec<Lexicon>> = OnceLock::new();
        static ENGLISH: OnceLock<Lexicon> = OnceLock::new();
        let all = ALL.get_or_init(|| DATA.iter().map(|(l, d)| Lexicon::parse(l, d)).collect());
        let code = language
            .map(|l| l.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase())
            .unwrap_or_default();
        all.iter()
            .find(|l| l.language == code)
            .unwrap_or_else(|| ENGLISH.get_or_init(Lexicon::default))
    }

    /// Whether this is English's (empty) lexicon.
    pub(crate) fn is_english(&self) -> bool {
        self.language.is_empty()
    }

    /// Whether `word` is a speech verb form of this language. French inversion counts:
    /// "déclare-t-il", "a-t-elle expliqué" (the pronoun is then the subject; see
    /// [`Lexicon::inverted`]).
    pub(crate) fn is_verb(&self, word: &str) -> bool {
        if self.verbs.is_empty() {
            return false;
        }
        let lower = word.to_lowercase();
        self.verbs.contains(&lower)
            || Self::strip_inversion(&lower).is_some_and(|v| self.verbs.contains(v))
    }

    /// "déclare-t-il" -> "déclare".
    fn strip_inversion(word: &str) -> Option<&str> {
        ["-t-il", "-t-elle", "-il", "-elle", "-ils", "-elles", "-t-on"]
            .iter()
            .find_map(|s| word.strip_suffix(s))
            .filter(|v| !v.is_empty())
    }

    /// Whether a verb form carries its pronoun subject ("explique-t-il").
    pub(crate) fn inverted(&self, word: &str) -> bool {
        self.language == "fr" && Self::strip_inversion(&word.to_lowercase()).is_some()
    }

    /// The length in words of a source phrase starting at `words[0]` ("laut", "по словам"),
    /// if one does.
    pub(crate) fn according_at(&self, words: &[&str]) -> Option<usize> {
        let first = words.first()?.to_lowercase();
        if !self.according_first.contains(&first) {
            return None;
        }
        let lower: Vec<String> =
            std::iter::once(first).chain(words[1..].iter().map(|w| w.to_lowercase())).collect();
        // Longest first: "nach Angaben von" before "nach".
        self.according
            .iter()
            .find(|p| p.len() <= lower.len() && p.iter().zip(&lower).all(|(a, b)| a == b))
            .map(Vec::len)
    }

    /// The gender a pronoun, or a verb that carries its subject, tells of whom it stands
    /// for: "she", "elle", "explique-t-elle", Russian "сказала".
    pub(crate) fn pronoun_gender(&self, word: &str) -> Option<Gender> {
        if matches!(word, "she" | "She") || self.she.contains(word) {
            return Some(Gender::Female);
        }
        if matches!(word, "he" | "He") || self.he.contains(word) {
            return Some(Gender::Male);
        }
        let lower = word.to_lowercase();
        if self.inverted(word) {
            return if lower.ends_with("-elle") {
                Some(Gender::Female)
            } else if lower.ends_with("-il") {
                Some(Gender::Male)
            } else {
                None
            };
        }
        if !self.is_verb(word) {
            return None;
        }
        if self.she_verb_endings.iter().any(|e| lower.ends_with(e.as_str())) {
            Some(Gender::Female)
        } else if self.he_verb_endings.iter().any(|e| lower.ends_with(e.as_str())) {
            Some(Gender::Male)
        } else {
            None
        }
    }

    /// The gender the words just before a name tell of its bearer: `title`, the word just
    /// before it ("Mrs", "Frau", "Innenministerin"; an abbreviation without its full stop),
    /// and `article`, the word before that ("la" of "la ministre Rachida Dati").
    pub(crate) fn title_gender(&self, title: &str, article: Option<&str>) -> Option<Gender> {
        if ENGLISH_WOMEN.contains(&title) || self.women.contains(title) {
            return Some(Gender::Female);
        }
        if ENGLISH_MEN.contains(&title) || self.men.contains(title) {
            return Some(Gender::Male);
        }
        let capitalised = title.chars().next().is_some_and(char::is_uppercase);
        if capitalised && self.women_endings.iter().any(|e| title.ends_with(e.as_str())) {
            return Some(Gender::Female);
        }
        // A title after an article is written in lower case ("la ministre").
        let article = article.filter(|_| !capitalised)?.to_lowercase();
        if self.women_articles.contains(&article) {
            Some(Gender::Female)
        } else if self.men_articles.contains(&article) {
            Some(Gender::Male)
        } else {
            None
        }
    }

    /// Whether words starting at `words[0]` announce a statement ("the following
    /// statement", "la siguiente declaración", "folgende Erklärung").
    pub(crate) fn announces_at(&self, words: &[&str]) -> bool {
        fn is<S: AsRef<str>>(phrase: &[S], words: &[&str]) -> bool {
            phrase.len() <= words.len()
                && phrase.iter().zip(words).all(|(a, b)| a.as_ref().eq_ignore_ascii_case(b))
        }
        ENGLISH_STATEMENTS.iter().any(|p| is(p, words))
            || self.statements.iter().any(|p| is(p, words))
    }

    /// Whether a source phrase ([`Lexicon::according_at`]) is an everyday preposition
    /// too ("para", "per").
    pub(crate) fn is_weak_according(&self, phrase: &str) -> bool {
        self.according_weak.contains(&phrase.to_lowercase())
    }

    /// Whether `word` is a personal pronoun that can name a speaker ("er", "elle", "он").
    pub(crate) fn is_pronoun(&self, word: &str) -> bool {
        self.pronouns.contains(word)
    }

    /// Whether `word` may stand between a subject and its speech verb ("hat", "a").
    pub(crate) fn skips(&self, word: &str) -> bool {
        self.skip.contains(&word.to_lowercase())
    }

    /// Whether `word` opens reported speech after a speech verb ("dass", "que", "dat").
    pub(crate) fn is_that(&self, word: &str) -> bool {
        self.that.contains(&word.to_lowercase())
    }

    /// Whether `word` is a verb form that marks reported speech (German Konjunktiv I).
    pub(crate) fn is_subjunctive(&self, word: &str) -> bool {
        self.subjunctive.contains(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_titles_and_verbs_tell_a_gender() {
        let ru = Lexicon::for_language(Some("ru"));
        assert_eq!(ru.pronoun_gender("сказала"), Some(Gender::Female));
        assert_eq!(ru.pronoun_gender("сказал"), Some(Gender::Male));
        assert_eq!(ru.pronoun_gender("сказали"), None);
        assert_eq!(ru.pronoun_gender("она"), Some(Gender::Female));
        let fr = Lexicon::for_language(Some("fr"));
        assert_eq!(fr.pronoun_gender("explique-t-elle"), Some(Gender::Female));
        assert_eq!(fr.pronoun_gender("a-t-il"), Some(Gender::Male));
        assert_eq!(fr.pronoun_gender("explique"), None);
        assert_eq!(fr.title_gender("ministre", Some("la")), Some(Gender::Female));
        assert_eq!(fr.title_gender("M", Some("selon")), Some(Gender::Male));
        let de = Lexicon::for_language(Some("de"));
        assert_eq!(de.title_gender("Innenministerin", None), Some(Gender::Female));
        assert_eq!(de.title_gender("Innenminister", None), None);
        let en = Lexicon::for_language(Some("en"));
        assert_eq!(en.title_gender("Mrs", None), Some(Gender::Female));
        assert_eq!(en.pronoun_gender("He"), Some(Gender::Male));
    }

    #[test]
    fn every_language_loads() {
        for (code, _) in DATA {
            let lex = Lexicon::for_language(Some(code));
            assert_eq!(lex.language, *code);
            assert!(!lex.verbs.is_empty() && !lex.according.is_empty(), "{code}");
        }
        assert!(Lexicon::for_language(Some("de-AT")).is_verb("sagte"));
        assert!(Lexicon::for_language(Some("en")).is_english());
        assert!(Lexicon::for_language(Some("xx")).is_english());
        assert!(Lexicon::for_language(None).is_english());
    }

    #[test]
    fn reads_cues() {
        let fr = Lexicon::for_language(Some("fr"));
        assert!(fr.is_verb("déclare-t-il") && fr.inverted("déclare-t-il"));
        assert!(!fr.is_verb("maison"));
        let de = Lexicon::for_language(Some("de"));
        assert_eq!(de.according_at(&["nach", "Angaben", "von", "X"]), Some(3));
        assert_eq!(de.according_at(&["Laut", "Faeser"]), Some(1));
        let ru = Lexicon::for_language(Some("ru"));
        assert_eq!(ru.according_at(&["По", "словам", "Путина"]), Some(2));
        assert!(ru.dialogue && !de.dialogue);
    }
}
