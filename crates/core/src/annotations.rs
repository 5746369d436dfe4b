//! What the text of an article says: its sentences, the entities it names and the quotes
//! it reports.
//!
//! [`Annotations`] is the output of the entities stage (`lede-entities`). Every position is
//! a byte range into one body paragraph of the [`Article`](crate::Article) (`paragraph` is
//! its index), so each claim can be shown highlighted in place. The JSON forms are the
//! `entities` and `quotes` fields of `lede analyze --json` in the CLI contract.

use serde::{Deserialize, Serialize};

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, government body, party, team, newspaper...
    Organization,
    /// A country, region, city or other place. A nationality ("Russian") is a mention of
    /// its country.
    Place,
}

impl EntityKind {
    /// The name used in JSON and in the store: `person`, `organization` or `place`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }

    /// The kind named by [`EntityKind::as_str`], if any.
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s {
            "person" => Some(EntityKind::Person),
            "organization" => Some(EntityKind::Organization),
            "place" => Some(EntityKind::Place),
            _ => None,
        }
    }
}

/// One place in the text where an entity is named.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mention {
    /// The index of the body paragraph.
    pub paragraph: usize,
    /// Byte offset of the mention in the paragraph.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The words as the paragraph writes them (`Mr Tillerson`, `Russian`).
    pub text: String,
}

/// An entity the article names, under one canonical name for all its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entity {
    /// The canonical name (`Rex Tillerson` for "Mr Tillerson", `Russia` for "Russian").
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// Where it is named, in text order.
    pub mentions: Vec<Mention>,
}

/// Something the article reports someone said.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quote {
    /// The words quoted (without the quotation marks), or the reported clause of an
    /// indirect quote.
    pub text: String,
    /// The canonical name of who said it; `None` when the article names no one.
    pub speaker: Option<String>,
    /// The word or phrase that attributes it (`said`, `according to`), when there is one.
    pub cue: Option<String>,
    /// The index of the body paragraph.
    pub paragraph: usize,
    /// Byte offset of the quoted words in the paragraph.
    pub start: usize,
    /// Byte offset just past them.
    pub end: usize,
    /// `true` for words in quotation marks, `false` for reported speech ("X said that ...").
    pub direct: bool,
}

/// A sentence of a body paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sentence {
    /// The index of the body paragraph.
    pub paragraph: usize,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

/// Sentences, entities and quotes of an article's body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Annotations {
    /// The sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// The entities, most mentioned first (ties in order of first mention).
    pub entities: Vec<Entity>,
    /// The quotes, in text order.
    pub quotes: Vec<Quote>,
}
