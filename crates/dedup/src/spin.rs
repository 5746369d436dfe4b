//! Spin markers: signs inside one article, with no source at hand, that its words were
//! swapped by a synonym spinner.
//!
//! What it detects: one place named two ways in one article, where one of them is a form
//! news copy does not use: "Russian Federation" beside "Russia", "United States" used
//! attributively ("United States presidential election") beside "US" or "U.S.", and the
//! formal names of other states ("People's Republic of China" beside "China").
//!
//! Signals: the formal form, and the everyday form elsewhere in the same article (a
//! diplomatic text that only ever says "Russian Federation" is consistent, not spun). For
//! "United States", only attributive uses count (followed by a lower-case word that is not
//! a function word or a verb): "the United States said" is ordinary news English.
//!
//! Known failures: quotes of official documents use formal names legitimately; spinners
//! that swap common words ("said" -> "stated") leave no trace this can see: `lede trace`
//! finds those against a source.
//!
//! Example: the seed page says "Russia" 4 times and "Russian Federation" 5 times:
//! one marker, surface "Russian Federation", expected "Russia", count 5.

use serde::Serialize;

/// One spin marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpinMarker {
    /// The unusual form, as the article writes it.
    pub surface: String,
    /// What news copy writes.
    pub expected: String,
    /// How often the article's body uses the unusual form.
    pub count: usize,
    /// How often the page's other text (related-story titles and teasers, captions) does.
    pub count_in_related: usize,
}

/// A formal name, the everyday forms it should agree with, and whether only its
/// attributive uses are unusual.
struct Variant {
    formal: &'static str,
    everyday: &'static [&'static str],
    expected: &'static str,
    attributive_only: bool,
}

const VARIANTS: &[Variant] = &[
    Variant {
        formal: "Russian Federation",
        everyday: &["Russia"],
        expected: "Russia",
        attributive_only: false,
    },
    Variant {
        formal: "United States",
        everyday: &["US", "U.S."],
        expected: "US / U.S.",
        attributive_only: true,
    },
    Variant {
        formal: "United Kingdom",
        everyday: &["UK", "U.K.", "Britain"],
        expected: "UK / Britain",
        attributive_only: true,
    },
    Variant {
        formal: "People's Republic of China",
        everyday: &["China"],
        expected: "China",
        attributive_only: false,
    },
    Variant {
        formal: "Islamic Republic of Iran",
        everyday: &["Iran"],
        expected: "Iran",
        attributive_only: false,
    },
    Variant {
        formal: "Syrian Arab Republic",
        everyday: &["Syria"],
        expected: "Syria",
        attributive_only: false,
    },
    Variant {
        formal: "Democratic People's Republic of Korea",
        everyday: &["North Korea"],
        expected: "North Korea",
        attributive_only: false,
    },
    Variant {
        formal: "Federal Republic of Germany",
        everyday: &["Germany"],
        expected: "Germany",
        attributive_only: false,
    },
    Variant {
        formal: "French Republic",
        everyday: &["France"],
        expected: "France",
        attributive_only: false,
    },
    Variant {
        formal: "Kingdom of Saudi Arabia",
        everyday: &["Saudi Arabia"],
        expected: "Saudi Arabia",
        attributive_only: false,
    },
    Variant {
        formal: "Republic of Turkey",
        everyday: &["Turkey"],
        expected: "Turkey",
        attributive_only: false,
    },
    Variant {
        formal: "Republic of India",
        everyday: &["India"],
        expected: "India",
        attributive_only: false,
    },
];

/// Words after "United States" that make it a noun, not a modifier: function words,
/// common verbs, and the words of names ("United States of America").
const NOT_ATTRIBUTIVE: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "nor",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "into",
    "over",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "might",
    "must",
    "shall",
    "did",
    "does",
    "do",
    "said",
    "says",
    "say",
    "says",
    "wants",
    "want",
    "wanted",
    "needs",
    "must",
    "remains",
    "remained",
    "also",
    "still",
    "already",
    "now",
    "then",
    "not",
    "never",
    "again",
    "too",
    "so",
    "if",
    "since",
    "because",
    "while",
    "after",
    "before",
    "until",
    "during",
    "about",
    "against",
    "under",
    "without",
    "within",
    "through",
    "toward",
    "towards",
    "between",
    "among",
    "amid",
    "via",
    "itself",
    "alone",
    "only",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "this",
    "these",
    "those",
    "its",
    "their",
    "is",
    "took",
    "takes",
    "take",
    "made",
    "makes",
    "make",
    "sent",
    "sends",
    "announced",
    "agreed",
    "accused",
    "launched",
    "led",
    "leads",
    "lead",
    "joined",
    "became",
    "become",
    "continues",
    "continued",
    "believes",
    "believed",
    "sees",
    "saw",
    "seeks",
    "sought",
    "struck",
    "strikes",
    "used",
    "uses",
    "plans",
    "planned",
];

/// Where `needle` occurs in `text` as whole words.
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(needle).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        let ends_in_word = needle.chars().next_back().is_some_and(word);
        let joined = before.is_some_and(word) || (ends_in_word && after.is_some_and(word));
        if !joined {
            out.push(i);
        }
        from = i + needle.len();
    }
    out
}

/// The word after byte `at` in `text`, if the next thing is a word (and not punctuation).
fn next_word(text: &str, at: usize) -> Option<&str> {
    let rest = text[at..].strip_prefix(' ')?;
    let end =
        rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The spin markers of an article's paragraphs and of the rest of its page (`other`:
/// related-story titles and teasers, captions).
pub fn spin_markers<S: AsRef<str>, T: AsRef<str>>(
    paragraphs: &[S],
    other: &[T],
) -> Vec<SpinMarker> {
    let mut out = Vec::new();
    for v in VARIANTS {
        let mut counts = [0, 0];
        let mut everyday = 0;
        let body = paragraphs.iter().map(|p| (0, p.as_ref()));
        for (part, p) in body.chain(other.iter().map(|t| (1, t.as_ref()))) {
            let formal = occurrences(p, v.formal);
            let inside_formal = |i: usize| formal.iter().any(|&f| i >= f && i < f + v.formal.len());
            for e in v.everyday {
                everyday += occurrences(p, e).into_iter().filter(|&i| !inside_formal(i)).count();
            }
            counts[part] += formal
                .iter()
                .filter(|&&i| {
                    !v.attributive_only
                        || next_word(p, i + v.formal.len()).is_some_and(|w| {
                            w.chars().next().is_some_and(char::is_lowercase)
                                && !NOT_ATTRIBUTIVE.contains(&w)
                                && !w.ends_with("ly")
                        })
                })
                .count();
        }
        if counts[0] + counts[1] > 0 && everyday > 0 {
            out.push(SpinMarker {
                surface: v.formal.to_owned(),
                expected: v.expected.to_owned(),
                count: counts[0],
                count_in_related: counts[1],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    fn marker(surface: &str, expected: &str, count: usize, count_in_related: usize) -> SpinMarker {
        SpinMarker { surface: surface.into(), expected: expected.into(), count, count_in_related }
    }

    #[test]
    fn mixed_forms_are_marked() {
        let p = [
            "Russia and the Russian Federation. The United States presidential election.",
            "The United States said the U.S. embassy was open. Russian Federation officials agreed.",
        ];
        let got = spin_markers(&p, &["Russian Federation vetoes resolution"]);
        assert_eq!(
            got,
            [
                marker("Russian Federation", "Russia", 2, 1),
                marker("United States", "US / U.S.", 1, 0)
            ]
        );
    }

    #[test]
    fn consistent_texts_are_not_marked() {
        let formal = ["The Russian Federation and the United States of America signed."];
        assert!(spin_markers(&formal, &NONE).is_empty());
        let plain = ["Russia said so. Russians agreed. The United States said no; the US left."];
        assert!(spin_markers(&plain, &NONE).is_empty());
        assert!(spin_markers(&NONE, &NONE).is_empty());
    }
}
