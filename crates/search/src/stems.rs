//! Stems, so that an article in German, French, Russian... is found by the other forms of
//! its words ("Wahl" finds "Wahlen", "élection" finds "élections"; issue 17).
//!
//! An article in a language tantivy's Snowball stemmers know (those of [`language`])
//! gets a second body field, `stems`: its words (`grams::words`, so Chinese and
//! Japanese stay a character a word), without the language's stop words, each cut to its
//! stem by that language's stemmer. The article's language decides, so the tokens are
//! made here and given to tantivy already made (`PreTokenizedString`): a tokenizer does not
//! know which document it reads. English articles get no such field: English search keeps
//! the exact words it has always matched (and the ingest its cost, issue 13).
//!
//! A query of plain words (no quotes, operators or field prefixes) also matches the stems:
//! each word is stemmed in every language of `LANGUAGES` (a query does not say its
//! language; a stem of the wrong language is a word the other language's articles seldom
//! hold), and an article matches when each word matches in one of them. The user's query
//! and this one are ORed, so an article matching both ranks higher, and an index with no
//! stemmed article (an English store) is searched exactly as before.

use crate::grams;
use std::sync::OnceLock;
use tantivy::tokenizer::{
    Language, PreTokenizedString, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream,
};

/// The languages stemmed: every Snowball stemmer tantivy ships but English.
pub(crate) const LANGUAGES: [Language; 17] = [
    Language::Arabic,
    Language::Danish,
    Language::Dutch,
    Language::Finnish,
    Language::French,
    Language::German,
    Language::Greek,
    Language::Hungarian,
    Language::Italian,
    Language::Norwegian,
    Language::Portuguese,
    Language::Romanian,
    Language::Russian,
    Language::Spanish,
    Language::Swedish,
    Language::Tamil,
    Language::Turkish,
];

/// The ISO 639-1 codes of the articles that get stems: those [`language`] knows. Cluster
/// mode's schema names them in SQL (lede-pg), and a test holds the two lists together.
pub const CODES: [&str; 19] = [
    "ar", "da", "nl", "fi", "fr", "de", "el", "hu", "it", "no", "nb", "nn", "pt", "ro", "ru", "es",
    "sv", "ta", "tr",
];

/// The stemmer's language for an article's ISO 639-1 code; `None` for English and the
/// languages without a stemmer.
pub fn language(code: &str) -> Option<Language> {
    Some(match code {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "nl" => Language::Dutch,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "de" => Language::German,
        "el" => Language::Greek,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "es" => Language::Spanish,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

/// One analyzer a language, built once (the stop-word lists are sets shared by clones).
fn analyzers() -> &'static [(Language, TextAnalyzer)] {
    static ANALYZERS: OnceLock<Vec<(Language, TextAnalyzer)>> = OnceLock::new();
    ANALYZERS.get_or_init(|| {
        LANGUAGES
            .iter()
            .map(|&l| {
                let stop = StopWordFilter::new(l).unwrap_or_else(|| StopWordFilter::remove([]));
                (
                    l,
                    TextAnalyzer::builder(grams::Words)
                        .filter(stop)
                        .filter(Stemmer::new(l))
                        .build(),
                )
            })
            .collect()
    })
}

fn analyzer(lang: Language) -> TextAnalyzer {
    analyzers().iter().find(|(l, _)| *l == lang).map(|(_, a)| a.clone()).expect("every language")
}

/// The `stems` field's value for a text in `lang`: the stems, positions and offsets as
/// the words have them (the text itself is not stored).
pub(crate) fn of_text(text: &str, lang: Language) -> PreTokenizedString {
    let mut analyzer = analyzer(lang);
    let mut stream = analyzer.token_stream(text);
    let mut tokens: Vec<Token> = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    PreTokenizedString { text: String::new(), tokens }
}

/// The stems of `text` in `lang` with their positions, as the `stems` field holds them:
/// what cluster mode's search stores in PostgreSQL (lede-pg) to answer as the embedded
/// index does.
pub fn positioned(text: &str, lang: Language) -> Vec<(usize, String)> {
    of_text(text, lang).tokens.into_iter().map(|t| (t.position, t.text)).collect()
}

/// The stems of one query word in every language that keeps it (a stop word is dropped),
/// each once.
pub fn of_query_word(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, analyzer) in analyzers() {
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(word);
        while stream.advance() {
            let stem = &stream.token().text;
            if !out.contains(stem) {
                out.push(stem.clone());
            }
        }
    }
    out
}

/// The words of `query` when it is plain words alone (letters, digits, spaces): the
/// queries the stems answer.
pub fn plain_words(query: &str) -> Option<Vec<String>> {
    if !query.chars().all(|c| c.is_alphanumeric() || c.is_whitespace()) {
        return None;
    }
    let words: Vec<String> = grams::words(query).into_iter().map(|t| t.text).collect();
    // `AND`, `OR` and `NOT` are operators, not words.
    if words.is_empty() || query.split_whitespace().any(|w| matches!(w, "AND" | "OR" | "NOT")) {
        return None;
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str, lang: Language) -> Vec<String> {
        of_text(text, lang).tokens.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_are_cut_to_their_stems_without_stop_words() {
        assert_eq!(stems("Die Wahlen in Berlin", Language::German), ["wahl", "berlin"]);
        assert_eq!(stems("Les élections", Language::French), ["élect"]);
        assert_eq!(stems("Выборы в России", Language::Russian), ["выбор", "росс"]);
        assert_eq!(language("de"), Some(Language::German));
        assert_eq!(language("en"), None, "English keeps its exact words");
        assert_eq!(language("zh"), None);
    }

    #[test]
    fn the_codes_are_the_languages_with_a_stemmer() {
        for code in CODES {
            assert!(language(code).is_some(), "{code}");
        }
        // Every two-letter code not listed gets no stems.
        for a in 'a'..='z' {
            for b in 'a'..='z' {
                let code = format!("{a}{b}");
                assert_eq!(language(&code).is_some(), CODES.contains(&code.as_str()), "{code}");
            }
        }
    }

    #[test]
    fn a_query_word_has_its_stem_in_each_language() {
        let wahl = of_query_word("Wahl");
        assert!(wahl.contains(&"wahl".to_owned()), "{wahl:?}");
        assert!(stems("der", Language::German).is_empty(), "a German stop word");
        assert_eq!(plain_words("Wahl Berlin"), Some(vec!["wahl".into(), "berlin".into()]));
        assert_eq!(plain_words("\"Wahl Berlin\""), None);
        assert_eq!(plain_words("title:Wahl"), None);
        assert_eq!(plain_words("Wahl OR Berlin"), None);
        assert_eq!(plain_words("  "), None);
    }
}
