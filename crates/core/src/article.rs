//! The article: what one news page says, read exactly.
//!
//! [`Article`] is the output of extraction and the unit everything downstream works on.
//! Its JSON form is the `lede analyze --json` object of the CLI contract in `docs/DESIGN.md`:
//! `title`, `authors`, `published` (ISO 8601 or null), `published_raw`, `outlet`, `url`,
//! `language`, `captions`, `paragraphs`, `related` (plus `kind`, which says how the page was
//! read).

use crate::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a page was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// An HTML or XHTML document.
    #[default]
    Html,
    /// A plain-text news page (headline line, dateline, paragraphs separated by blank lines).
    Text,
}

/// A publication time as the page wrote it, and as read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Published {
    /// The text the time was read from, as the page wrote it (`16 April, 2017, 00:53`).
    pub raw: String,
    /// The time, with exactly the precision and zone the page gave.
    pub at: Timestamp,
}

/// A link to another story that the page offers (a "related stories" or "read more" item).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RelatedItem {
    /// The linked story's headline.
    pub title: String,
    /// Its teaser line, when the page gives one.
    pub teaser: Option<String>,
    /// Its address, when the page gives one.
    pub url: Option<String>,
}

/// One news page read exactly: metadata, captions, body paragraphs and related stories.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// How the page was read.
    pub kind: PageKind,
    /// The headline.
    pub title: Option<String>,
    /// Bylined authors, one name each, in page order.
    pub authors: Vec<String>,
    /// When the article was first published.
    pub published: Option<Published>,
    /// The publication or site name.
    pub outlet: Option<String>,
    /// The article's canonical address.
    pub url: Option<String>,
    /// ISO 639-1 code of the body's language (`en`), when it could be told.
    pub language: Option<String>,
    /// Captions of the article's images, in page order.
    pub captions: Vec<String>,
    /// Body paragraphs in reading order: no headline, byline, captions or related stories.
    pub paragraphs: Vec<String>,
    /// Stories the page links to as related, in page order.
    pub related: Vec<RelatedItem>,
}

impl Article {
    /// The body as one text, paragraphs separated by blank lines.
    pub fn body_text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Whitespace-separated words in the body.
    pub fn word_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.split_whitespace().count()).sum()
    }
}

/// The story language of articles whose language is not known ([`story_language`]).
pub const UNDETERMINED_LANGUAGE: &str = "und";

/// The language whose stories an article joins: the primary subtag of its `language`,
/// lower-cased (`en-US` and `EN` are `en`), or `und` (undetermined) when it has none or it
/// is not two or three letters. Stories never mix these partitions: clustering takes each
/// language's articles apart (one writer per language in cluster mode), so a German and
/// an English article on one event are two stories.
///
/// ```
/// assert_eq!(lede_core::story_language(Some("en-GB")), "en");
/// assert_eq!(lede_core::story_language(Some("DE")), "de");
/// assert_eq!(lede_core::story_language(None), "und");
/// assert_eq!(lede_core::story_language(Some("English")), "und");
/// ```
pub fn story_language(language: Option<&str>) -> String {
    let primary = language.unwrap_or("").trim().split(['-', '_']).next().unwrap_or("");
    if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        primary.to_ascii_lowercase()
    } else {
        UNDETERMINED_LANGUAGE.to_owned()
    }
}

/// The JSON shape of [`Article`], field for field as the CLI contract names them.
#[derive(Serialize, Deserialize)]
struct ArticleWire {
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    published: Option<String>,
    published_raw: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    language: Option<String>,
    #[serde(default)]
    captions: Vec<String>,
    #[serde(default)]
    paragraphs: Vec<String>,
    #[serde(default)]
    related: Vec<RelatedItem>,
    #[serde(default)]
    kind: PageKind,
}

impl Serialize for Article {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ArticleWire {
            title: self.title.clone(),
            authors: self.authors.clone(),
            published: self.published.as_ref().map(|p| p.at.to_string()),
            published_raw: self.published.as_ref().map(|p| p.raw.clone()),
            outlet: self.outlet.clone(),
            url: self.url.clone(),
            language: self.language.clone(),
            captions: self.captions.clone(),
            paragraphs: self.paragraphs.clone(),
            related: self.related.clone(),
            kind: self.kind,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Article {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Article, D::Error> {
        let w = ArticleWire::deserialize(deserializer)?;
        let published = match w.published {
            None => None,
            Some(iso) => {
                let at = Timestamp::parse_iso(&iso).map_err(D::Error::custom)?;
                Some(Published { raw: w.published_raw.unwrap_or(iso), at })
            }
        };
        Ok(Article {
            kind: w.kind,
            title: w.title,
            authors: w.authors,
            published,
            outlet: w.outlet,
            url: w.url,
            language: w.language,
            captions: w.captions,
            paragraphs: w.paragraphs,
            related: w.related,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Article {
        Article {
            kind: PageKind::Text,
            title: Some("Headline".into()),
            authors: vec!["Cecelia Webb".into()],
            published: Some(Published {
                raw: "16 April, 2017, 00:53".into(),
                at: Timestamp::parse_iso("2017-04-16T00:53").unwrap(),
            }),
            paragraphs: vec!["One two.".into(), "Three.".into()],
            related: vec![RelatedItem { title: "Other".into(), teaser: None, url: None }],
            ..Article::default()
        }
    }

    #[test]
    fn json_follows_the_cli_contract() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["published"], "2017-04-16T00:53");
        assert_eq!(v["published_raw"], "16 April, 2017, 00:53");
        assert_eq!(v["authors"][0], "Cecelia Webb");
        assert_eq!(v["outlet"], serde_json::Value::Null);
        assert_eq!(v["related"][0]["teaser"], serde_json::Value::Null);
        assert_eq!(v["kind"], "text");
    }

    #[test]
    fn json_roundtrips() {
        let a = sample();
        let back: Article = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
        assert_eq!(a.word_count(), 3);
        assert_eq!(a.body_text(), "One two.\n\nThree.");
    }

    #[test]
    fn a_bad_date_is_an_error_not_a_panic() {
        let err = serde_json::from_str::<Article>(r#"{"title":null,"published":"2017-02-30"}"#);
        assert!(err.is_err());
    }
}
