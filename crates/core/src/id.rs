//! Content-addressed article identifiers.
//!
//! An article's [`ArticleId`] is the 128-bit xxh3 hash of its normalised text: headline and
//! body paragraphs, white space collapsed. The same text always gets the same id, whatever
//! its address or the file it came in, so storing it twice is a no-op and an exact copy under
//! another address is recognised. xxh3 is a fixed, unseeded function, so ids are stable
//! across runs, machines and versions.

use crate::Article;
use std::fmt;
use std::str::FromStr;

/// The content hash of an article, shown as 32 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(u128);

impl ArticleId {
    /// The id of an article's text.
    pub fn of(article: &Article) -> ArticleId {
        let mut text = String::new();
        push_normalised(&mut text, article.title.as_deref().unwrap_or(""));
        for p in &article.paragraphs {
            text.push('\n');
            push_normalised(&mut text, p);
        }
        ArticleId(xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
    }

    /// The id as a number.
    pub fn as_u128(self) -> u128 {
        self.0
    }
}

/// Appends `s` with white space runs as single spaces and no leading or trailing space.
fn push_normalised(out: &mut String, s: &str) {
    let mut first = true;
    for word in s.split_whitespace() {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// An id that is not 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an article id (32 hex digits): {0:?}")]
pub struct ParseIdError(String);

impl FromStr for ArticleId {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<ArticleId, ParseIdError> {
        if s.len() != 32 {
            return Err(ParseIdError(s.to_owned()));
        }
        u128::from_str_radix(s, 16).map(ArticleId).map_err(|_| ParseIdError(s.to_owned()))
    }
}

/// An article's sequence number in a store: given in the order articles are stored, from
/// 1, never reused (0 stands for "before the first"). A type of its own so that it cannot
/// be passed where a story id is meant:
///
/// ```compile_fail
/// let story = lede_core::StoryId(5);
/// let seq: lede_core::ArticleSeq = story;
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct ArticleSeq(pub u64);

impl fmt::Display for ArticleSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A story's id in a store: given in order as stories are made, kept when a story grows,
/// and answered for by its alias when it is merged into another. A type of its own so that
/// it cannot be passed where an article's sequence number is meant:
///
/// ```compile_fail
/// let seq: u64 = 5; // an article's sequence number
/// let story: lede_core::StoryId = seq;
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct StoryId(pub u64);

impl StoryId {
    /// The id after this one.
    pub fn next(self) -> StoryId {
        StoryId(self.0 + 1)
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: Some(title.into()),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn same_text_same_id_whatever_the_spacing_or_metadata() {
        let a = article("A  title", &["One  two.", "Three"]);
        let mut b = article("A title", &[" One two. ", "Three"]);
        b.url = Some("https://elsewhere.example/".into());
        assert_eq!(ArticleId::of(&a), ArticleId::of(&b));
        assert_ne!(ArticleId::of(&a), ArticleId::of(&article("A title", &["One two.", "Three!"])));
        // Paragraph boundaries are part of the text.
        assert_ne!(
            ArticleId::of(&article("T", &["a b"])),
            ArticleId::of(&article("T", &["a", "b"]))
        );
    }

    #[test]
    fn ids_are_stable_and_roundtrip() {
        let id = ArticleId::of(&article("Stable", &["Forever."]));
        // Pinned: a change here changes every stored id.
        assert_eq!(id.to_string(), "734470a65c5590303ed986dde1638804");
        assert_eq!(id.to_string().len(), 32);
        assert_eq!(id.to_string().parse::<ArticleId>(), Ok(id));
        assert!("xyz".parse::<ArticleId>().is_err());
    }
}
