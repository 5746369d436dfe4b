//! The whole reading of an article: tokens, sentences, tagged mentions, canonical names,
//! quotes.

use crate::features::{Tokens, features_with};
use crate::gazetteer::{Gazetteer, Listed};
use crate::model::{Model, ModelError};
use crate::names::{Found, entities};
use crate::quotes::{Named, Para, quotes};
use crate::speech::Lexicon;
use lede_core::{Annotations, Article, EntityKind, Sentence};
use lede_text::sentences::sentences;
use lede_text::tokens::{Token, tokenize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The committed model (see `model/README.md` for how it was trained).
const MODEL: &[u8] = include_bytes!("../model/ner.bin");

/// Reads who is in an article and who said what.
///
/// Building one reads the model and the gazetteers (tens of milliseconds);
/// [`Annotator::builtin`] shares one per process. It is `Sync`: share it across threads.
pub struct Annotator {
    model: Model,
    gazetteer: Gazetteer,
    /// Whether languages other than English are read with their taggers (`crate::taggers`)
    /// as well as their rules.
    taggers: bool,
}

impl std::fmt::Debug for Annotator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Annotator").field("features", &self.model.len()).finish()
    }
}

/// The kind of a label index.
fn kind_of(label: usize) -> Option<EntityKind> {
    match label.div_ceil(2) {
        1 => Some(EntityKind::Person),
        2 => Some(EntityKind::Organization),
        3 => Some(EntityKind::Place),
        _ => None,
    }
}

impl Annotator {
    /// An annotator with the committed model.
    pub fn new() -> Result<Annotator, ModelError> {
        Annotator::with_model(MODEL)
    }

    /// An annotator with a model file's bytes (from [`crate::Trainer::model`]).
    pub fn with_model(bytes: &[u8]) -> Result<Annotator, ModelError> {
        Ok(Annotator {
            model: Model::from_bytes(bytes)?,
            gazetteer: Gazetteer::builtin(),
            taggers: true,
        })
    }

    /// This annotator reading languages other than English by their alias tables and name
    /// rules alone, without their taggers: the reading before the taggers (issue #17), kept
    /// for `bench/entities_ner_ml.sh` to compare with.
    pub fn without_taggers(mut self) -> Annotator {
        self.taggers = false;
        self
    }

    /// The annotator with the committed model, built on first use.
    pub fn builtin() -> &'static Annotator {
        static ONE: OnceLock<Annotator> = OnceLock::new();
        ONE.get_or_init(|| Annotator::new().expect("the committed model is valid (tested)"))
    }

    /// Whether `words` name a nationality or people ("Russian", "Americans"), which lede
    /// reads as a mention of its country.
    pub fn is_nationality(&self, words: &str) -> bool {
        let entries = self.gazetteer.lookup(words);
        !entries.is_empty() && entries.iter().all(|e| e.listed == Listed::Demonym)
    }

    /// Whether `words` are a listed place, organisation or nationality.
    pub fn is_listed(&self, words: &str) -> bool {
        self.gazetteer.lookup(words).iter().any(|e| e.listed != Listed::Title)
    }

    /// Reads an article's body. Its headline and captions are read too, as context for
    /// names (a caption's "Foreign Minister Sergey Lavrov" makes the body's "Mr Lavrov"
    /// "Sergey Lavrov"), but only the body's mentions, quotes and sentences are returned.
    pub fn annotate_article(&self, article: &Article) -> Annotations {
        let mut texts: Vec<&str> = article.paragraphs.iter().map(String::as_str).collect();
        let body = texts.len();
        texts.extend(article.title.as_deref());
        texts.extend(article.captions.iter().map(String::as_str));
        let mut read = self.annotate_in(&texts, article.language.as_deref());
        if texts.len() > body {
            read.sentences.retain(|s| s.paragraph < body);
            read.quotes.retain(|q| q.paragraph < body);
            for e in &mut read.entities {
                e.mentions.retain(|m| m.paragraph < body);
            }
            read.entities.retain(|e| !e.mentions.is_empty());
            // Most mentioned first, as `annotate` orders them (a stable sort keeps ties).
            read.entities.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
        }
        read
    }

    /// Reads paragraphs of English text.
    pub fn annotate<S: AsRef<str>>(&self, paragraphs: &[S]) -> Annotations {
        self.annotate_in(paragraphs, None)
    }

    /// Reads paragraphs of text in `language` (ISO 639-1, as `lede-extract` detects it;
    /// `None` for English). Quotes and their speakers are read with that language's
    /// quotation marks, speech verbs and attribution words (German, French, Spanish,
    /// Italian, Portuguese, Dutch, Russian and Ukrainian have them; English cues are read
    /// in every language). Entity mentions come from the English tagger in English, from
    /// the alias table, the language's tagger (German, Portuguese) and name rules in the
    /// other languages of [`crate::ENTITY_LANGUAGES`], under the same English canonical
    /// names; in any other language none are read. A speaker missed is read from the
    /// capitalised name at the speech verb ("laut Innenministerin Nancy Faeser").
    pub fn annotate_in<S: AsRef<str>>(
        &self,
        paragraphs: &[S],
        language: Option<&str>,
    ) -> Annotations {
        let texts: Vec<&str> = paragraphs.iter().map(AsRef::as_ref).collect();
        let tokens: Vec<Vec<Token>> = texts.iter().map(|t| tokenize(t)).collect();
        let mut out = Annotations::default();
        let mut found: Vec<Found> = Vec::new();
        // Only English text goes to the English tagger (see `languages` for the others).
        let english = language.is_none_or(|l| l.eq_ignore_ascii_case("en"));
        for (p, (text, ts)) in texts.iter().zip(&tokens).enumerate() {
            for s in sentences(text, ts) {
                let sentence = &ts[s.clone()];
                out.sentences.push(Sentence {
                    paragraph: p,
                    start: sentence[0].start as usize,
                    end: sentence[sentence.len() - 1].end as usize,
                });
                let listed = self.gazetteer.matches(text, sentence);
                // A sentence with no capital letter past its first word names no one
                // (English names are capitalised): about a third of news sentences, not
                // worth the tagger's time.
                let sentence_text =
                    &text[sentence[0].start as usize..sentence[sentence.len() - 1].end as usize];
                let first_word = sentence[0].text(text);
                let plain = !sentence_text[first_word.len()..].chars().any(char::is_uppercase)
                    && first_word.chars().skip(1).all(|c| !c.is_uppercase())
                    && self
                        .gazetteer
                        .capitalised(&first_word.to_lowercase())
                        .is_some_and(|c| c == 0);
                let labels = if plain || !english {
                    vec![0; sentence.len()]
                } else {
                    self.model.tag(&features_with(
                        text,
                        sentence,
                        &self.gazetteer,
                        &listed,
                        Tokens::Candidates,
                    ))
                };
                let mut title = vec![false; sentence.len()];
                for m in listed.iter().filter(|m| m.entry.listed == Listed::Title) {
                    title[m.start..m.end].iter_mut().for_each(|t| *t = true);
                }
                let mut covered = vec![false; sentence.len()];
                let mut i = 0;
                while i < labels.len() {
                    let Some(kind) = kind_of(labels[i]) else {
                        i += 1;
                        continue;
                    };
                    let mut end = i + 1;
                    while end < labels.len() && labels[end] == labels[i] + 1 {
                        end += 1;
                    }
                    covered[i..end].iter_mut().for_each(|c| *c = true);
                    // A person's name does not begin inside a title the tagger cut
                    // ("[State Rex Tillerson]" of "Secretary of State Rex Tillerson").
                    let mut first = i;
                    if kind == EntityKind::Person && i > 0 && title[i - 1] {
                        while first + 1 < end && title[first] {
                            first += 1;
                        }
                    }
                    let demonym = end == i + 1
                        && self
                            .gazetteer
                            .entries_at(text, &sentence[i..end])
                            .iter()
                            .all(|e| e.listed == Listed::Demonym)
                        && !self.gazetteer.entries_at(text, &sentence[i..end]).is_empty();
                    found.push(Found {
                        paragraph: p,
                        tokens: s.start + first..s.start + end,
                        kind,
                        demonym,
                    });
                    i = end;
                }
                // Nationalities are mentions of their country, where the tagger left them.
                for m in listed {
                    let capital =
                        sentence[m.start].text(text).chars().next().is_some_and(char::is_uppercase);
                    if m.entry.listed == Listed::Demonym
                        && capital
                        && !covered[m.start..m.end].iter().any(|&c| c)
                    {
                        found.push(Found {
                            paragraph: p,
                            tokens: s.start + m.start..s.start + m.end,
                            kind: EntityKind::Place,
                            demonym: true,
                        });
                    }
                }
            }
        }
        found.sort_by_key(|f| (f.paragraph, f.tokens.start));
        join_particles(&mut found, &texts, &tokens);
        join_initials(&mut found, &texts, &tokens);
        propagate(&mut found, &texts, &tokens);
        let paras: Vec<(&str, &[Token])> =
            texts.iter().zip(&tokens).map(|(t, ts)| (*t, ts.as_slice())).collect();
        out.entities = match language {
            Some(l) if !english => {
                crate::languages::read(l, &texts, &tokens, &self.gazetteer, self.taggers)
            }
            _ => entities(&found, &paras, &self.gazetteer),
        };

        let mut named: Vec<Vec<Named>> = vec![Vec::new(); texts.len()];
        for e in &out.entities {
            for m in &e.mentions {
                let ts = &tokens[m.paragraph];
                let first = ts.partition_point(|t| (t.start as usize) < m.start);
                let last = ts.partition_point(|t| (t.end as usize) <= m.end);
                if first < last {
                    named[m.paragraph].push(Named {
                        tokens: first..last,
                        name: e.name.clone(),
                        kind: e.kind,
                    });
                }
            }
        }
        let paras: Vec<Para<'_>> = texts
            .iter()
            .zip(&tokens)
            .zip(named)
            .map(|((text, ts), mut named)| {
                named.sort_by_key(|n| n.tokens.start);
                Para { text, tokens: ts, named }
            })
            .collect();
        out.quotes = quotes(&paras, &self.gazetteer, Lexicon::for_language(language));
        out
    }
}

/// Lower-case words inside names: "Mohammed bin Abdulrahman", "Ludwig van Beethoven".
const PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "ben", "abu", "al", "el", "de", "del", "della", "di", "da", "dos", "das",
    "du", "la", "le", "van", "von", "der", "den", "ter", "y",
];

/// Joins person mentions that one name particle separates: the tagger, trained mostly on
/// English names, splits "Mohammed bin Abdulrahman bin Jassim Al-Thani" at each "bin".
fn join_particles(found: &mut Vec<Found>, texts: &[&str], tokens: &[Vec<Token>]) {
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found.drain(..) {
        if let Some(last) = out.last_mut()
            && last.paragraph == f.paragraph
            && last.kind == EntityKind::Person
            && f.kind == EntityKind::Person
            && f.tokens.start == last.tokens.end + 1
            && PARTICLES.contains(&tokens[f.paragraph][last.tokens.end].text(texts[f.paragraph]))
        {
            last.tokens.end = f.tokens.end;
            continue;
        }
        out.push(f);
    }
    *found = out;
}

/// Completes person names cut at a middle initial: reading "Elijah E. Cummings" or "John F.
/// Kennedy", the tagger can end the name at the initial and leave the surname out, or tag
/// it as a name of its own. A person mention of two or more tokens ending in a capital
/// letter written against a full stop takes the capitalised word after the stop (or the
/// person mention that starts there); a stop word after it ("... John E. The talks") is
/// the next sentence's, not a surname.
fn join_initials(found: &mut Vec<Found>, texts: &[&str], tokens: &[Vec<Token>]) {
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    let mut rest = std::mem::take(found).into_iter().peekable();
    while let Some(mut f) = rest.next() {
        let (text, ts) = (texts[f.paragraph], &tokens[f.paragraph]);
        let initial = |t: &Token| lede_text::lexicon::is_initial(t.text(text));
        // Again after each step: "George H. W. Bush" has two initials.
        while f.kind == EntityKind::Person && f.tokens.len() >= 2 {
            let end = f.tokens.end;
            let cut = initial(&ts[end - 1])
                && ts
                    .get(end)
                    .is_some_and(|stop| stop.text(text) == "." && stop.start == ts[end - 1].end)
                && ts.get(end + 1).is_some_and(|next| {
                    let word = next.text(text);
                    next.start > ts[end].end
                        && word.chars().next().is_some_and(char::is_uppercase)
                        && word.chars().all(char::is_alphabetic)
                        && !lede_text::lexicon::is_stop_word(&word.to_lowercase())
                });
            if !cut {
                break;
            }
            match rest.peek() {
                Some(next) if next.paragraph == f.paragraph && next.tokens.start == end + 1 => {
                    if next.kind != EntityKind::Person {
                        break;
                    }
                    f.tokens.end = next.tokens.end;
                    rest.next();
                }
                _ => f.tokens.end = end + 2,
            }
        }
        out.push(f);
    }
    *found = out;
}

/// The longest name, in tokens, that [`propagate`] looks for.
const PROPAGATED_TOKENS: usize = 4;

/// Tags the other occurrences of a name the tagger tagged somewhere in the article: a
/// name keeps its kind through one article ("Pelosi" after a closing quote mark, which
/// the tagger missed, is the "Pelosi" it tagged elsewhere), and a person's surname alone
/// is that person ("McCarthy" after "Kevin McCarthy"). A name tagged with two kinds as
/// often is left alone.
fn propagate(found: &mut Vec<Found>, texts: &[&str], tokens: &[Vec<Token>]) {
    let join = |p: usize, r: std::ops::Range<usize>| -> String {
        tokens[p][r].iter().map(|t| t.text(texts[p])).collect::<Vec<_>>().join(" ")
    };
    let mut votes: HashMap<String, [usize; 3]> = HashMap::new();
    for f in found.iter().filter(|f| !f.demonym) {
        let len = f.tokens.len();
        if len <= PROPAGATED_TOKENS {
            votes.entry(join(f.paragraph, f.tokens.clone())).or_default()[f.kind as usize] += 1;
        }
        if f.kind == EntityKind::Person && len > 1 {
            let last = f.tokens.end - 1;
            votes.entry(join(f.paragraph, last..last + 1)).or_default()[0] += 1;
        }
    }
    let known: HashMap<String, EntityKind> = votes
        .into_iter()
        .filter_map(|(name, v)| {
            let best = (0..3).max_by_key(|&k| v[k])?;
            let kind = [EntityKind::Person, EntityKind::Organization, EntityKind::Place][best];
            (v.iter().filter(|&&n| n == v[best]).count() == 1).then_some((name, kind))
        })
        .collect();
    if known.is_empty() {
        return;
    }
    let mut covered: Vec<Vec<bool>> = tokens.iter().map(|t| vec![false; t.len()]).collect();
    for f in found.iter() {
        covered[f.paragraph][f.tokens.clone()].iter_mut().for_each(|c| *c = true);
    }
    let mut added = Vec::new();
    for (p, ts) in tokens.iter().enumerate() {
        let mut i = 0;
        while i < ts.len() {
            let capital = ts[i].text(texts[p]).chars().next().is_some_and(char::is_uppercase);
            if covered[p][i] || !capital {
                i += 1;
                continue;
            }
            let longest = (1..=PROPAGATED_TOKENS.min(ts.len() - i)).rev().find_map(|len| {
                let free = !covered[p][i..i + len].iter().any(|&c| c);
                let next_free = i + len >= ts.len() || !covered[p][i + len];
                let kind = known.get(&join(p, i..i + len))?;
                (free && next_free).then_some((len, *kind))
            });
            match longest {
                Some((len, kind)) => {
                    added.push(Found { paragraph: p, tokens: i..i + len, kind, demonym: false });
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    if !added.is_empty() {
        found.extend(added);
        found.sort_by_key(|f| (f.paragraph, f.tokens.start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every span of `read` lies on char boundaries of its paragraph and says its text.
    fn check_spans(paragraphs: &[&str], read: &Annotations) {
        for s in &read.sentences {
            let p = paragraphs[s.paragraph];
            assert!(s.start < s.end && p.get(s.start..s.end).is_some(), "{s:?}");
        }
        for e in &read.entities {
            assert!(!e.name.is_empty());
            for m in &e.mentions {
                assert_eq!(paragraphs[m.paragraph].get(m.start..m.end), Some(m.text.as_str()));
            }
        }
        for q in &read.quotes {
            assert_eq!(paragraphs[q.paragraph].get(q.start..q.end), Some(q.text.as_str()));
        }
    }

    #[test]
    fn bad_input_is_read_without_panic() {
        let a = Annotator::builtin();
        let cases: Vec<String> = vec![
            String::new(),
            "\"".into(),
            "“”«»‘’'\"".into(),
            "\"Unbalanced, he said. And \"again".into(),
            "He said \"open and never closed".into(),
            "”Closed first,“ she said.".into(),
            "Президент России Владимир Путин заявил: «Мы готовы к диалогу».".into(),
            "中国外交部发言人说：“我们反对。”".into(),
            "قال الرئيس إن \"الوضع صعب\"".into(),
            "🙂🙂🙂 \"🙂\" said 🙂.".into(),
            "word ".repeat(50_000),
            "\"a\" ".repeat(20_000),
            "Smith said \"x\" ".repeat(5_000),
        ];
        for text in &cases {
            let read = a.annotate(&[text.as_str()]);
            check_spans(&[text.as_str()], &read);
        }
        // A quote that runs on into the next paragraph is one quote per paragraph.
        let paras = [
            "\"We will not stop here, and we will not stop until the job is done.",
            "\"That is our promise,\" Mayor Jane Doe said.",
        ];
        let read = a.annotate(&paras);
        check_spans(&paras, &read);
        assert_eq!(read.quotes.len(), 2, "{:?}", read.quotes);
        assert!(
            read.quotes.iter().all(|q| q.speaker.as_deref() == Some("Jane Doe")),
            "{:?}",
            read.quotes
        );
    }

    #[test]
    fn quote_styles_and_attributions() {
        let a = Annotator::builtin();
        let paras = [
            "“We are ready,” said Foreign Minister Sergey Lavrov.",
            "Angela Merkel told reporters: «Wir schaffen das».",
            "According to Emmanuel Macron, the plan is 'dead on arrival'.",
            "The official said, \"No comment\".",
            "Mr Lavrov added that talks would continue next week in Geneva.",
        ];
        let read = a.annotate(&paras);
        check_spans(&paras, &read);
        let said: Vec<(&str, Option<&str>, bool)> =
            read.quotes.iter().map(|q| (q.text.as_str(), q.speaker.as_deref(), q.direct)).collect();
        assert_eq!(
            said,
            [
                ("We are ready", Some("Sergey Lavrov"), true),
                ("Wir schaffen das", Some("Angela Merkel"), true),
                ("dead on arrival", Some("Emmanuel Macron"), true),
                ("No comment", None, true),
                ("talks would continue next week in Geneva", Some("Sergey Lavrov"), false),
            ]
        );
    }

    #[test]
    fn reported_speech_is_what_was_said_not_when_or_where() {
        let a = Annotator::builtin();
        let reported = |text: &str| -> Vec<String> {
            a.annotate(&[text]).quotes.into_iter().filter(|q| !q.direct).map(|q| q.text).collect()
        };
        // What follows the setting's "that" is what was said.
        assert_eq!(
            reported("Mayor Ana Torres said on Monday that the library would open in May."),
            ["the library would open in May"]
        );
        assert_eq!(
            reported("Ana Torres said in a statement that the council had made the right call."),
            ["the council had made the right call"]
        );
        assert_eq!(
            reported("Ana Torres said in her report, the fault makes the province unsafe."),
            ["the fault makes the province unsafe"]
        );
        assert_eq!(
            reported("Police chief Vladimir Rebic said at least 71 people were arrested."),
            ["at least 71 people were arrested"]
        );
        assert_eq!(
            reported(
                "Attorney General Loretta Lynch announced on Monday she was appointing investigators."
            ),
            ["she was appointing investigators"]
        );
        assert_eq!(
            reported(
                "Beyond that, Ana Torres said, the bank may be following a lead from Washington."
            ),
            ["the bank may be following a lead from Washington"]
        );
        assert_eq!(
            reported(
                "\"I am just the messenger, folks,\" Donald Trump said, as the crowd applauded."
            ),
            Vec::<String>::new()
        );
        // Without one, a time, a place or a capacity is not speech.
        for text in [
            "Mayor Ana Torres said after the council approved the new library on Monday.",
            "Ana Torres said at a press conference in the town hall on Monday.",
            "Ana Torres said during a visit to the flooded school on Monday morning.",
            "Ana Torres announced as the new chair of the regional transport board.",
            "Ana Torres was confirmed by the council to be the next chair of the board.",
            "Ana Torres said, according to two aides who were in the room at the time.",
        ] {
            assert_eq!(reported(text), Vec::<String>::new(), "{text}");
        }
        // The speaker of a cue without reported words still speaks the next quote.
        let paras = ["Strong winds made the crossing hard, Franky Zapata said, adding it took \
                      endurance. \"It's an isometric exercise for the thighs, so it burns.\""];
        let read = a.annotate(&paras);
        let said: Vec<(&str, Option<&str>, bool)> =
            read.quotes.iter().map(|q| (q.text.as_str(), q.speaker.as_deref(), q.direct)).collect();
        assert_eq!(
            said,
            [(
                "It's an isometric exercise for the thighs, so it burns.",
                Some("Franky Zapata"),
                true
            )]
        );
        // Plain reported speech is kept.
        assert_eq!(
            reported("Ana Torres said the library would open in May next year."),
            ["the library would open in May next year"]
        );
    }

    #[test]
    fn descriptions_resolve_to_the_person_given_that_title() {
        let paras = [
            "Nikki Haley, the United Nations envoy, arrived in New York on Monday.",
            "\"We will act,\" the envoy said. \"Nothing has changed,\" an official said.",
        ];
        let read = Annotator::builtin().annotate(&paras);
        let said: Vec<(&str, Option<&str>)> =
            read.quotes.iter().map(|q| (q.text.as_str(), q.speaker.as_deref())).collect();
        assert_eq!(said, [("We will act", Some("Nikki Haley")), ("Nothing has changed", None)]);
    }

    #[test]
    fn a_statement_on_an_address_is_its_senders_not_the_addresss() {
        // Issue #13: the SOTU story's key quotes were given to "Union Address".
        let paras = [
            "WASHINGTON - U.S. Sen. Mike Rounds (R-S.D.) today issued the following statement on the president’s State of the Union Address: “Tonight, the president laid out a vision for our country. I couldn’t agree more.”",
            "NATO: “The alliance stands together.”",
        ];
        let read = Annotator::builtin().annotate(&paras);
        let said: Vec<Option<&str>> = read.quotes.iter().map(|q| q.speaker.as_deref()).collect();
        assert_eq!(said, [Some("Mike Rounds"), Some("NATO")]);
    }

    #[test]
    fn middle_initials_stay_in_the_name() {
        let annotator = Annotator::builtin();
        for (text, name) in [
            (
                "WASHINGTON - Today, Congressman Elijah E. Cummings voted again to end the shutdown.",
                "Elijah E. Cummings",
            ),
            (
                "Congressman John F. Kennedy voted again to end the shutdown after a long debate.",
                "John F. Kennedy",
            ),
            (
                "Former president George H. W. Bush spoke at the ceremony on Monday.",
                "George H. W. Bush",
            ),
        ] {
            let read = annotator.annotate(&[text]);
            check_spans(&[text], &read);
            let people: Vec<&str> = read
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .map(|e| e.name.as_str())
                .collect();
            assert_eq!(people, [name], "{text}");
        }
        // A stop word after the initial begins the next sentence.
        let text = "The bill was written by Senator John B. The talks went on.";
        let read = annotator.annotate(&[text]);
        assert!(read.entities.iter().all(|e| !e.name.ends_with("The")), "{read:?}");
    }

    #[test]
    fn press_release_names() {
        let paras = [
            "WASHINGTON, D.C. – U.S. Senator David Perdue (R-GA) and Republican Donald Trump met on Monday.",
            "The Chairman said the talks went well. Martin Luther King, Jr. was quoted.",
        ];
        let read = Annotator::builtin().annotate(&paras);
        check_spans(&paras, &read);
        let names: Vec<&str> = read.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(names.contains(&"Donald Trump"), "{names:?}");
        assert!(names.contains(&"David Perdue"), "{names:?}");
        for wrong in ["Chairman", "Jr", "D.C.", "WASHINGTON", "Republican Donald Trump", "GA"] {
            assert!(!names.contains(&wrong), "{wrong} in {names:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn spans_are_always_valid(
            paras in prop::collection::vec("[A-Za-z .,\"“”'‘’«»:é日—-]{0,120}", 0..5)
        ) {
            let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
            let read = Annotator::builtin().annotate(&refs);
            check_spans(&refs, &read);
        }
    }
}
