//! What an article brings to clustering, and its stored form.

use crate::terms::{entity_hash, term_hash, words};
use lede_core::{Annotations, Article};
use lede_text::hash::KeyMap;

/// Distinct words kept per article: the most frequent, earliest first on ties (the
/// headline and lead come first). A 600-word release has ~250.
const MAX_TERMS: usize = 256;
/// Entities kept per article (most mentioned first).
const MAX_ENTITIES: usize = 48;
/// Quotes kept per article.
const MAX_QUOTES: usize = 32;
/// A quote shorter than this (in words) is too common to be evidence ("no comment").
const MIN_QUOTE_WORDS: usize = 6;
/// The headline's words count this many times.
const TITLE_WEIGHT: u16 = 2;
/// Version byte of the stored form.
const FORMAT: u8 = 1;

/// An article's clustering features.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFeatures {
    /// Word hashes ([`crate::term_hash`]) with their counts, the headline counted twice;
    /// sorted by hash.
    pub terms: Vec<(u32, u16)>,
    /// Hashes of the canonical names of its entities, with their mention counts; sorted by
    /// hash.
    pub entities: Vec<(u32, u16)>,
    /// Hashes of its direct quotes of six words or more (words lower-cased); sorted.
    pub quotes: Vec<u32>,
}

/// Stored features that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored story features are damaged: {0}")]
pub struct FeatureError(&'static str);

impl StoryFeatures {
    /// The features of an article and what `lede-entities` read in it.
    ///
    /// An outlet naming itself is not news: the words of the outlet's name ("Office of
    /// David Perdue", "The Guardian") and entities named inside it are left out, or every
    /// release of one office would look like one story.
    pub fn of(article: &Article, annotations: &Annotations) -> StoryFeatures {
        let outlet = article.outlet.as_deref().unwrap_or("").to_lowercase();
        let mut outlet_words: Vec<u32> = Vec::new();
        words(&outlet, |w| outlet_words.push(term_hash(w)));
        // word -> (count, first position)
        let mut counts: KeyMap<u32, (u32, u32)> = KeyMap::default();
        let mut at = 0u32;
        let mut add = |w: &str, by: u32| {
            let h = term_hash(w);
            if outlet_words.contains(&h) {
                return;
            }
            let e = counts.entry(h).or_insert((0, at));
            e.0 += by;
            at += 1;
        };
        if let Some(title) = &article.title {
            words(title, |w| add(w, u32::from(TITLE_WEIGHT)));
        }
        for p in &article.paragraphs {
            words(p, |w| add(w, 1));
        }
        let mut terms: Vec<(u32, u32, u32)> =
            counts.into_iter().map(|(h, (n, first))| (h, n, first)).collect();
        terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        terms.truncate(MAX_TERMS);
        let mut terms: Vec<(u32, u16)> =
            terms.into_iter().map(|(h, n, _)| (h, n.min(u32::from(u16::MAX)) as u16)).collect();
        terms.sort_unstable();

        let mut entities: Vec<(u32, u16, &str)> = annotations
            .entities
            .iter()
            .filter(|e| outlet.is_empty() || !outlet.contains(&e.name.to_lowercase()))
            .map(|e| (entity_hash(&e.name), e.mentions.len().clamp(1, 65_535) as u16, &*e.name))
            .collect();
        entities.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(b.2)));
        entities.truncate(MAX_ENTITIES);
        let mut entities: Vec<(u32, u16)> = entities.into_iter().map(|(h, n, _)| (h, n)).collect();
        entities.sort_unstable();
        entities.dedup_by_key(|e| e.0);

        let mut quotes: Vec<u32> = annotations
            .quotes
            .iter()
            .filter(|q| q.direct)
            .filter_map(|q| quote_key(&q.text))
            .collect();
        quotes.sort_unstable();
        quotes.dedup();
        quotes.truncate(MAX_QUOTES);
        StoryFeatures { terms, entities, quotes }
    }

    /// The stored form: a version byte, three little-endian `u16` lengths, then the
    /// entries (`u32` hash and `u16` count each for terms and entities, `u32` for quotes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            7 + 6 * (self.terms.len() + self.entities.len()) + 4 * self.quotes.len(),
        );
        out.push(FORMAT);
        for n in [self.terms.len(), self.entities.len(), self.quotes.len()] {
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        for (h, n) in self.terms.iter().chain(&self.entities) {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        for h in &self.quotes {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out
    }

    /// Reads the stored form back.
    pub fn from_bytes(bytes: &[u8]) -> Result<StoryFeatures, FeatureError> {
        let (&format, mut rest) = bytes.split_first().ok_or(FeatureError("empty"))?;
        if format != FORMAT {
            return Err(FeatureError("unknown version"));
        }
        let mut take = |n: usize| -> Result<&[u8], FeatureError> {
            if rest.len() < n {
                return Err(FeatureError("truncated"));
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        let mut len = || -> Result<usize, FeatureError> {
            let b = take(2)?;
            Ok(usize::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let (nt, ne, nq) = (len()?, len()?, len()?);
        let mut pairs = |n: usize| -> Result<Vec<(u32, u16)>, FeatureError> {
            (0..n)
                .map(|_| {
                    let b = take(6)?;
                    Ok((
                        u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                        u16::from_le_bytes([b[4], b[5]]),
                    ))
                })
                .collect()
        };
        let terms = pairs(nt)?;
        let entities = pairs(ne)?;
        let quotes = (0..nq)
            .map(|_| take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect::<Result<Vec<_>, _>>()?;
        if !rest.is_empty() {
            return Err(FeatureError("trailing bytes"));
        }
        Ok(StoryFeatures { terms, entities, quotes })
    }
}

/// The hash of a quote's words (lower-cased, stop words kept), if it is long enough to be
/// evidence. Curly or straight marks, spacing and case do not change it.
pub fn quote_key(text: &str) -> Option<u32> {
    let mut norm = String::with_capacity(text.len());
    let mut n = 0;
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if n > 0 {
            norm.push(' ');
        }
        norm.extend(w.chars().flat_map(char::to_lowercase));
        n += 1;
    }
    (n >= MIN_QUOTE_WORDS).then(|| term_hash(&norm) ^ 0x9e37_79b9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_core::{Entity, EntityKind, Mention, Quote};

    fn mention() -> Mention {
        Mention { paragraph: 0, start: 0, end: 1, text: "x".into() }
    }

    fn sample() -> (Article, Annotations) {
        let article = Article {
            title: Some("Tillerson meets Putin in Moscow".into()),
            paragraphs: vec![
                "Rex Tillerson met Vladimir Putin in Moscow on Wednesday.".into(),
                "\u{201c}We had a very frank and open exchange today,\u{201d} Tillerson said."
                    .into(),
            ],
            ..Article::default()
        };
        let annotations = Annotations {
            entities: vec![
                Entity {
                    name: "Rex Tillerson".into(),
                    kind: EntityKind::Person,
                    mentions: vec![mention(), mention()],
                },
                Entity {
                    name: "Moscow".into(),
                    kind: EntityKind::Place,
                    mentions: vec![mention()],
                },
            ],
            quotes: vec![Quote {
                text: "We had a very frank and open exchange today,".into(),
                speaker: Some("Rex Tillerson".into()),
                cue: Some("said".into()),
                paragraph: 1,
                start: 0,
                end: 10,
                direct: true,
            }],
            ..Annotations::default()
        };
        (article, annotations)
    }

    #[test]
    fn counts_headline_words_twice_and_round_trips() {
        let (article, annotations) = sample();
        let f = StoryFeatures::of(&article, &annotations);
        let count = |w: &str| f.terms.iter().find(|t| t.0 == term_hash(w)).map(|t| t.1);
        assert_eq!(count("moscow"), Some(3));
        assert_eq!(count("wednesday"), Some(1));
        assert_eq!(count("the"), None);
        assert_eq!(f.entities.len(), 2);
        assert_eq!(f.quotes.len(), 1);
        assert_eq!(StoryFeatures::from_bytes(&f.to_bytes()), Ok(f.clone()));
        let same = quote_key("\"We had a very FRANK and open exchange today\"");
        assert_eq!(f.quotes, [same.unwrap()]);
        assert_eq!(quote_key("No comment."), None);
    }

    #[test]
    fn an_outlet_naming_itself_is_left_out() {
        let (mut article, mut annotations) = sample();
        article.outlet = Some("Office of Rex Tillerson".into());
        annotations.entities[0].name = "Rex Tillerson".into();
        let f = StoryFeatures::of(&article, &annotations);
        let count = |w: &str| f.terms.iter().find(|t| t.0 == term_hash(w)).map(|t| t.1);
        assert_eq!((count("tillerson"), count("moscow")), (None, Some(3)));
        assert_eq!(f.entities, [(entity_hash("Moscow"), 1)]);
    }

    #[test]
    fn damaged_bytes_are_an_error() {
        let (article, annotations) = sample();
        let bytes = StoryFeatures::of(&article, &annotations).to_bytes();
        for cut in 0..bytes.len() {
            assert!(StoryFeatures::from_bytes(&bytes[..cut]).is_err(), "{cut}");
        }
        let mut longer = bytes;
        longer.push(0);
        assert!(StoryFeatures::from_bytes(&longer).is_err());
        assert!(StoryFeatures::from_bytes(&[9]).is_err());
    }
}
