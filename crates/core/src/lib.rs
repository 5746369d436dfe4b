//! Shared types of lede: the data that flows between its stages.
//!
//! Every stage of the pipeline (see `ARCHITECTURE.md`) speaks in these types and nothing
//! else, so each crate can be used alone:
//!
//! - [`Article`]: one news page read exactly (title, authors, date, outlet, captions, body
//!   paragraphs, related stories). Its JSON form is the `lede analyze --json` contract.
//! - [`Timestamp`] and [`Published`]: a date or date-time with exactly the precision and
//!   time zone the page gave, never more.
//! - [`Annotations`]: what an article's text says: sentences, [`Entity`] mentions under
//!   canonical names, and each [`Quote`] with its speaker.
//! - [`Span`]: a byte range into a text, always on `char` boundaries.
//! - [`Origin`]: where a page came from (a file, a URL, standard input).
//! - [`ArticleId`]: the content hash that identifies an article's text.
//!
//! This crate does no I/O.
//!
//! ```
//! use lede_core::{Article, Timestamp};
//!
//! let mut article = Article::default();
//! article.title = Some("Putin receives US Secretary of State".to_owned());
//! article.paragraphs.push("It was a grim assessment.".to_owned());
//! let at = Timestamp::parse_iso("2017-04-16T00:53").unwrap();
//! assert_eq!(at.to_string(), "2017-04-16T00:53");
//! assert_eq!(article.word_count(), 5);
//! ```

mod annotations;
mod article;
mod id;
mod origin;
mod span;
mod time;

pub use annotations::{Annotations, Entity, EntityKind, Mention, Quote, Sentence};
pub use article::{
    Article, PageKind, Published, RelatedItem, UNDETERMINED_LANGUAGE, story_language,
};
pub use id::{ArticleId, ArticleSeq, ParseIdError, StoryId};
pub use origin::{Location, Origin, Validators};
pub use span::Span;
pub use time::{Timestamp, TimestampError};
