//! Taggers for languages other than English (issue #17): one averaged perceptron per
//! language, of the English tagger's kind ([`Model`], the same features), trained on openly
//! licensed annotated text and compiled in (`model/ner-<lang>.bin`; how they were trained
//! and on what: the crate's README and `bench/entities/data/ner_ml/NOTICE.md`).
//!
//! Data structure: a table of (language, model bytes) and one lazily read [`Model`] per
//! language, so a process that never reads, say, Portuguese never builds its weight table.
//!
//! A language is here only where its tagger read its held-out split and the fundus gold
//! better than the rules of [`crate::languages`] alone (bench/README.md has the figures).
//! The tagger finds the mentions; their canonical names still come from the alias table
//! and the gazetteer where those list them, which `languages` tries first.

use crate::features::{Tokens, features};
use crate::gazetteer::Gazetteer;
use crate::model::Model;
use lede_core::EntityKind;
use lede_text::tokens::Token;
use std::ops::Range;
use std::sync::OnceLock;

/// The languages with a tagger and their model files.
const MODELS: &[(&str, &[u8])] = &[
    ("de", include_bytes!("../model/ner-de.bin")),
    ("pt", include_bytes!("../model/ner-pt.bin")),
    ("ru", include_bytes!("../model/ner-ru.bin")),
];

/// Languages with no openly licensed annotated data, read by a near language's tagger:
/// (language, the tagger's language). Spanish by the Portuguese tagger: on the Europarl
/// NER test set (measured only: it has no licence) it reads Spanish at 0.631 F1 against
/// the rules' 0.332, and the Spanish fundus pages at 76.4 against 70.8. Italian and
/// French were tried the same way and are not here: the Portuguese tagger took Italian
/// and French places and institutions for people ("Lazio", "Méditerranée"; bench/README.md).
const READ_AS: &[(&str, &str)] = &[("es", "pt")];

/// The models, read on first use (one slot per entry of [`MODELS`]).
static READ: [OnceLock<Model>; MODELS.len()] = [const { OnceLock::new() }; MODELS.len()];

/// The tagger of `lang` (ISO 639-1, lower case), if lede has one.
pub(crate) fn tagger(lang: &str) -> Option<&'static Model> {
    let lang = READ_AS.iter().find(|(l, _)| *l == lang).map_or(lang, |(_, by)| by);
    let i = MODELS.iter().position(|(l, _)| *l == lang)?;
    Some(READ[i].get_or_init(|| {
        Model::from_bytes(MODELS[i].1).expect("the committed models are valid (tested)")
    }))
}

/// A mention the tagger found: a range of the sentence's tokens and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tagged {
    pub(crate) tokens: Range<usize>,
    pub(crate) kind: EntityKind,
}

/// The mentions `model` finds in one sentence: `ts` of `text`.
pub(crate) fn tag(model: &Model, text: &str, ts: &[Token], gazetteer: &Gazetteer) -> Vec<Tagged> {
    let labels = model.tag(&features(text, ts, gazetteer, Tokens::Candidates));
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let kind = match labels[i].div_ceil(2) {
            1 => EntityKind::Person,
            2 => EntityKind::Organization,
            3 => EntityKind::Place,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut end = i + 1;
        while end < labels.len() && labels[end] == labels[i] + 1 {
            end += 1;
        }
        // A double surname written with a hyphen is one name, and so is a name with a
        // middle initial: the tagger, trained on few of them, ends "Mario Díaz-Balart" at
        // the hyphen (and reads "Balart" as a place) and "Norma J. Torres" at the initial.
        if kind == EntityKind::Person {
            let word = |k: usize| ts[k].text(text);
            let glued = |k: usize| ts[k].start == ts[k - 1].end;
            let initial = |k: usize| lede_text::lexicon::is_initial(word(k));
            let capital = |k: usize| k < ts.len() && word(k).starts_with(char::is_uppercase);
            loop {
                if capital(end + 1)
                    && ((word(end) == "-" && glued(end) && glued(end + 1))
                        || (word(end) == "." && glued(end) && !glued(end + 1) && initial(end - 1)))
                {
                    end += 2;
                } else if capital(end + 2)
                    && initial(end)
                    && word(end + 1) == "."
                    && glued(end + 1)
                    && !glued(end + 2)
                {
                    end += 3;
                } else {
                    break;
                }
                while end < labels.len() && labels[end].is_multiple_of(2) && labels[end] > 0 {
                    end += 1;
                }
            }
        }
        out.push(Tagged { tokens: i..end, kind });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_text::tokens::tokenize;

    #[test]
    fn every_committed_model_reads() {
        for (lang, _) in MODELS {
            assert!(tagger(lang).is_some_and(|m| m.len() > 1000), "{lang}");
        }
        for (lang, by) in READ_AS {
            assert!(std::ptr::eq(tagger(lang).unwrap(), tagger(by).unwrap()), "{lang}");
        }
        assert!(tagger("en").is_none() && tagger("tr").is_none());
    }

    #[test]
    fn tags_names_in_their_language() {
        let gazetteer = Gazetteer::builtin();
        let cases = [
            (
                "pt",
                "O presidente Jair Bolsonaro viajou para Brasília na segunda-feira.",
                "Jair Bolsonaro",
            ),
            (
                "de",
                "Bundeskanzler Olaf Scholz traf am Montag den französischen Präsidenten.",
                "Olaf Scholz",
            ),
            (
                "es",
                "La alcaldesa Ada Colau anunció el lunes nuevas medidas en Barcelona.",
                "Ada Colau",
            ),
            (
                "ru",
                "В понедельник Андрей Колесников выступил на заседании правительства в Москве.",
                "Андрей Колесников",
            ),
            // A hyphenated surname and a middle initial stay in the name.
            (
                "es",
                "WASHINGTON – El congresista Mario Díaz-Balart (FL-25) emitió la siguiente declaración.",
                "Mario Díaz-Balart",
            ),
            (
                "es",
                "La representante estadounidense Norma J. Torres emitió la siguiente declaración.",
                "Norma J. Torres",
            ),
        ];
        for (lang, text, name) in cases {
            let Some(model) = tagger(lang) else { continue };
            let ts = tokenize(text);
            let found = tag(model, text, &ts, &gazetteer);
            assert!(
                found.iter().any(|t| t.kind == EntityKind::Person
                    && &text[ts[t.tokens.start].start as usize..ts[t.tokens.end - 1].end as usize]
                        == name),
                "{lang}: {found:?}"
            );
        }
    }
}
