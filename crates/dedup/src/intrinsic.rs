//! Intrinsic signals: signs, read from one article alone, that it was stitched together
//! from others (issue 16: with no earlier source in the store, `original` must not rest on
//! an empty search).
//!
//! What it detects:
//! - paragraphs whose subject jumps away from the rest: the article's paragraphs are
//!   linked when they share [`LINK_WORDS`] content words or more, or a name, and any group
//!   of paragraphs with no link to the main body is named;
//! - relative time words that point to an event the page never introduces ("less than 24
//!   hours later", "the day before") with no date in the sentence or the one before it and
//!   no word in common with the sentence before it;
//! - the spin markers of [`crate::spin`], listed as supporting evidence only: a spinner's
//!   formal names say the text was spun, not that it was stitched, and honest copy writes
//!   them too (Wikinews' attributive "United States": 14% of the tuning originals), so
//!   they do not make [`suspects_composite`] true on their own;
//! - related-story links the page's own text does not tell of (judged by the caller with
//!   `lede-cluster`'s link check, the one the demo prints).
//!
//! Signals: content words are lower-cased words of three letters or more that are not stop
//! words or numbers, with a plural "s" dropped; paragraphs of fewer than
//! [`MIN_PARAGRAPH_WORDS`] content words are too short to judge and take no part.
//!
//! Known failures: a long feature that turns to a new subject without repeating a word
//! (a sidebar, a "meanwhile" round-up) reads as a jump; a composite of two stories on the
//! same subject (the seed's Moscow and Washington halves) shares words and does not; a
//! relative time anchored two sentences back is read as unanchored; "trending" widgets
//! of honest pages are unrelated related links.
//!
//! Example: a Wikinews story on a Russian gas explosion with one paragraph on a US budget
//! vote set in the middle: that paragraph is named (`jumping_paragraphs`, ¶ of the vote),
//! and "Less than 24 hours later" opening it, with nothing in common with the sentence
//! before, is an `unanchored_time`.

use crate::spin::SpinMarker;
use lede_text::lexicon::{is_month, is_stop_word};
use lede_text::sentences::sentence_spans;
use lede_text::words::each_word;
use serde::Serialize;
use std::collections::BTreeSet;

/// Content words two paragraphs must share to count as one subject (one name is enough).
/// Chosen with [`MIN_PARAGRAPH_WORDS`] on the tuning half of `bench/intrinsic.sh`: 3 words
/// flagged twice the originals for few more composites (bench/README.md).
pub const LINK_WORDS: usize = 2;
/// Content words a paragraph needs to be judged for coherence: at 8, short background
/// paragraphs ("Besides his political career, Hickenlooper has been...") flagged 12% of the
/// tuning half's originals; at 10, 8%.
pub const MIN_PARAGRAPH_WORDS: usize = 10;

/// What kind of sign a signal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Paragraphs that share no subject with the rest of the article.
    JumpingParagraphs,
    /// A relative time that points to an event the page never introduces.
    UnanchoredTime,
    /// A spinner's formal name beside the everyday one.
    SpinMarker,
    /// A related-story link that tells of something else than the body.
    UnrelatedRelated,
}

/// One intrinsic sign of a composite, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntrinsicSignal {
    /// What kind of sign.
    pub kind: SignalKind,
    /// The paragraphs it concerns (indexes, from 0); empty for page text outside the body.
    pub paragraphs: Vec<usize>,
    /// The phrase, title or words it rests on.
    pub evidence: String,
}

impl IntrinsicSignal {
    /// A sentence a reader can follow, paragraphs counted from 1.
    pub fn reason(&self) -> String {
        let ns: Vec<String> = self.paragraphs.iter().map(|p| format!("¶{}", p + 1)).collect();
        match self.kind {
            SignalKind::JumpingParagraphs => {
                format!("{} share no subject with the rest ({})", ns.join(", "), self.evidence)
            }
            SignalKind::UnanchoredTime => format!(
                "{} \"{}\" refers to an event the page never introduces",
                ns.join(", "),
                self.evidence
            ),
            SignalKind::SpinMarker => format!("spin marker: {}", self.evidence),
            SignalKind::UnrelatedRelated => {
                format!("related story unrelated to the body: \"{}\"", self.evidence)
            }
        }
    }
}

/// The intrinsic signals of an article: from its body's `paragraphs`, its spin `markers`
/// and the titles of its related-story links that tell of something else
/// (`unrelated_related`: the caller judges them, with `lede-cluster`'s link check, which
/// this stage comes before), in that order of kinds.
pub fn intrinsic_signals<S: AsRef<str>, T: AsRef<str>>(
    paragraphs: &[S],
    unrelated_related: &[T],
    markers: &[SpinMarker],
) -> Vec<IntrinsicSignal> {
    let mut out = jumping_paragraphs(paragraphs);
    out.extend(unanchored_times(paragraphs));
    out.extend(markers.iter().map(|m| IntrinsicSignal {
        kind: SignalKind::SpinMarker,
        paragraphs: Vec::new(),
        evidence: format!("\"{}\" x{} where news copy writes {}", m.surface, m.count, m.expected),
    }));
    out.extend(unrelated_related.iter().map(|title| IntrinsicSignal {
        kind: SignalKind::UnrelatedRelated,
        paragraphs: Vec::new(),
        evidence: title.as_ref().trim().to_owned(),
    }));
    out
}

/// A word's content form: lower-cased, a plural or possessive "s" dropped; `None` for
/// stop words, numbers and words under three letters.
fn content_form(lower: &str) -> Option<String> {
    if lower.chars().count() < 3 || is_stop_word(lower) || lower.chars().all(|c| c.is_numeric()) {
        return None;
    }
    let stem = match lower.strip_suffix('s') {
        Some(s) if s.len() >= 4 && !s.ends_with('s') => s,
        _ => lower,
    };
    Some(stem.to_owned())
}

fn content_words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    each_word(text, |_, lower| out.extend(content_form(lower)));
    out
}

/// The content words a text writes with a capital inside a sentence: names, which two
/// paragraphs of one story share where two stories share only common words.
fn names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for span in sentence_spans(text) {
        let mut first = true;
        each_word(&text[span.clone()], |range, lower| {
            let surface = &text[span.start + range.start..span.start + range.end];
            if !first && surface.chars().next().is_some_and(char::is_uppercase) {
                out.extend(content_form(lower));
            }
            first = false;
        });
    }
    out
}

/// Groups of paragraphs cut off from the article's main body: the components of the graph
/// linking paragraphs that share [`LINK_WORDS`] content words, all but the one with the
/// most content words.
fn jumping_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Vec<IntrinsicSignal> {
    let judged: Vec<(usize, BTreeSet<String>)> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (i, content_words(p.as_ref())))
        .filter(|(_, w)| w.len() >= MIN_PARAGRAPH_WORDS)
        .collect();
    let named: Vec<BTreeSet<String>> =
        judged.iter().map(|&(i, _)| names(paragraphs[i].as_ref())).collect();
    if judged.len() < 3 {
        return Vec::new();
    }
    // Union-find over the judged paragraphs: articles have tens of paragraphs, so the
    // quadratic pass is cheap; a page of thousands is capped by the extractor.
    let mut parent: Vec<usize> = (0..judged.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for a in 0..judged.len() {
        for b in a + 1..judged.len() {
            if judged[a].1.intersection(&judged[b].1).take(LINK_WORDS).count() >= LINK_WORDS
                || !named[a].is_disjoint(&named[b])
            {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>, usize)> = Vec::new(); // root, members, words
    for (i, (_, words)) in judged.iter().enumerate() {
        let r = root(&mut parent, i);
        match groups.iter_mut().find(|g| g.0 == r) {
            Some(g) => {
                g.1.push(i);
                g.2 += words.len();
            }
            None => groups.push((r, vec![i], words.len())),
        }
    }
    let Some(main) = groups.iter().map(|g| (g.2, g.1.len())).max() else { return Vec::new() };
    // A body of one paragraph is no body: with nothing linked, there is no rest to jump
    // away from.
    if main.1 < 2 {
        return Vec::new();
    }
    let main_root = groups.iter().find(|g| (g.2, g.1.len()) == main).map(|g| g.0);
    groups
        .iter()
        .filter(|g| Some(g.0) != main_root)
        .map(|g| {
            let own: BTreeSet<&String> = g.1.iter().flat_map(|&i| &judged[i].1).collect();
            let sample: Vec<&str> = own.iter().take(6).map(|s| s.as_str()).collect();
            IntrinsicSignal {
                kind: SignalKind::JumpingParagraphs,
                paragraphs: g.1.iter().map(|&i| judged[i].0).collect(),
                evidence: format!("its words: {}", sample.join(", ")),
            }
        })
        .collect()
}

/// Whether the signals are signs of a composite: any but spin markers (see the module
/// documentation).
pub fn suspects_composite(signals: &[IntrinsicSignal]) -> bool {
    signals.iter().any(|s| s.kind != SignalKind::SpinMarker)
}

/// Relative times that need an event before them.
const RELATIVE: &[&str] = &[
    "the day before",
    "the previous day",
    "the day after",
    "the next day",
    "the following day",
    "later that day",
    "earlier that day",
    "the same day",
    "hours later",
    "hours earlier",
    "days later",
    "days earlier",
    "minutes later",
    "weeks later",
    "a day later",
    "a week later",
];

/// Words that date a sentence on their own.
const DATE_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "morning",
    "evening",
    "night",
];

fn dated(sentence: &str) -> bool {
    let mut yes = false;
    for w in sentence.split(|c: char| !c.is_alphanumeric()) {
        let lower = w.to_lowercase();
        if DATE_WORDS.contains(&lower.as_str())
            || is_month(w)
            || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
        {
            yes = true;
        }
    }
    yes
}

/// Relative times in the body with no anchor: no date in their sentence before them or in
/// the sentence before, and no content word in common with the sentence before (the
/// event they count from). A paragraph's first sentence looks back to the previous
/// paragraph's last.
fn unanchored_times<S: AsRef<str>>(paragraphs: &[S]) -> Vec<IntrinsicSignal> {
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for (n, p) in paragraphs.iter().enumerate() {
        let p = p.as_ref();
        for span in sentence_spans(p) {
            let sentence = &p[span.clone()];
            let lower = sentence.to_lowercase();
            let hit = RELATIVE.iter().filter_map(|r| lower.find(r).map(|at| (at, *r))).min();
            if let Some((at, phrase)) = hit {
                let before = &sentence[..at.min(sentence.len())];
                let anchored = dated(before)
                    || previous.as_deref().is_some_and(|prev| {
                        dated(prev)
                            || !content_words(prev).is_disjoint(&content_words(&sentence[at..]))
                    });
                if !anchored {
                    // The phrase as written, with the words that lead into it ("less
                    // than 24"), up to the sentence's start or a comma.
                    let lead = before.rfind([',', ';']).map_or(0, |c| c + 1);
                    let end = (at + phrase.len()).min(sentence.len());
                    out.push(IntrinsicSignal {
                        kind: SignalKind::UnanchoredTime,
                        paragraphs: vec![n],
                        evidence: sentence[lead..end].trim().to_owned(),
                    });
                }
            }
            previous = Some(sentence.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    fn gas() -> Vec<&'static str> {
        vec![
            "An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia, after a suspected gas explosion destroyed its central section.",
            "Rescuers searched the rubble of the apartment building through the night in freezing temperatures, and officials said the gas explosion killed at least 39 residents.",
            "Investigators from Magnitogorsk said the gas supply to the building had been inspected recently, and residents described hearing the explosion before the collapse.",
            "President Vladimir Putin flew to Magnitogorsk and visited the hospital where an infant rescued from the collapsed building was being treated for frostbite.",
        ]
    }

    #[test]
    fn a_stitched_paragraph_is_named() {
        let mut p = gas();
        p.insert(
            2,
            "Congress approved the federal budget resolution after senators negotiated funding for highway maintenance and veterans healthcare programs.",
        );
        let got = intrinsic_signals(&p, &NONE, &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].kind, SignalKind::JumpingParagraphs);
        assert_eq!(got[0].paragraphs, vec![2]);
        assert!(got[0].reason().starts_with("¶3 share no subject"), "{}", got[0].reason());
    }

    #[test]
    fn a_coherent_story_is_not_flagged() {
        assert_eq!(intrinsic_signals(&gas(), &NONE, &[]), vec![]);
    }

    #[test]
    fn an_unanchored_relative_time_is_found() {
        let p = [
            "Secretary of State Rex Tillerson left a two-hour meeting with Vladimir Putin in Moscow. He said working groups would be established to improve ties. Less than 24 hours later, following a telephone call with Trump, Trudeau said Canada backed the air strikes.",
        ];
        let got = intrinsic_signals(&p, &NONE, &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].kind, SignalKind::UnanchoredTime);
        assert_eq!(got[0].paragraphs, vec![0]);
        assert_eq!(got[0].evidence, "Less than 24 hours later");
    }

    #[test]
    fn an_anchored_relative_time_is_not() {
        let dated = [
            "The United States fired missiles at a Syrian air base on Thursday. Less than 24 hours later, Trudeau said Canada backed the strikes.",
        ];
        assert_eq!(intrinsic_signals(&dated, &NONE, &[]), vec![]);
        let same_subject = [
            "Trudeau spoke with Trump by telephone about the strikes. Less than 24 hours later, Trudeau said Canada backed them.",
        ];
        assert_eq!(intrinsic_signals(&same_subject, &NONE, &[]), vec![]);
    }

    #[test]
    fn unrelated_related_titles_and_markers_are_signals() {
        let markers = [SpinMarker {
            surface: "Russian Federation".into(),
            expected: "Russia".into(),
            count: 4,
            count_in_related: 0,
        }];
        let got = intrinsic_signals(
            &gas(),
            &["LeBron to miss Cavs' season finale", "Snapdeal to merge with Flipkart?"],
            &markers,
        );
        let kinds: Vec<SignalKind> = got.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                SignalKind::SpinMarker,
                SignalKind::UnrelatedRelated,
                SignalKind::UnrelatedRelated
            ]
        );
        assert_eq!(got[1].evidence, "LeBron to miss Cavs' season finale");
        assert!(suspects_composite(&got));
        assert!(!suspects_composite(&got[..1]), "a spin marker alone is not a composite");
        assert_eq!(got[2].evidence, "Snapdeal to merge with Flipkart?");
    }
}
