//! lede's embedded store: every article once, keyed by the hash of its text.
//!
//! One data directory holds the store (see `README.md` beside this crate for the on-disk
//! format):
//!
//! - [`Store`] reads: any number of readers, in any number of processes, also while a
//!   writer is writing (SQLite in WAL mode gives each reader a consistent snapshot);
//! - [`StoreWriter`] writes, one at a time: it holds an exclusive lock on `DIR/lock`, and a
//!   second writer gets [`Error::Locked`] at once, naming the holder;
//! - [`StoreWriter::put_batch`] stores a batch of articles in one transaction: an article
//!   whose [`ArticleId`](lede_core::ArticleId) is already stored is a duplicate, and its address and record id
//!   become aliases of the stored one. A crash (even `kill -9`) loses at most the batch in
//!   flight, never what was committed, and the store stays consistent.
//! - With each article go its sentences, entities and quotes
//!   ([`Annotations`](lede_core::Annotations)), read back whole by [`Store::annotations`]
//!   and across the store by [`Store::entities`] (most covered first) and [`Store::quotes`]
//!   (newest first, by speaker).
//! - With each article go its story features; stories, their members and clustering's
//!   state are written per clustering pass ([`StoreWriter::put_stories`]) and listed by
//!   [`Store::stories`].
//! - The format carries a version; a newer lede opens an older store (migrating it when a
//!   writer opens it) and an older lede refuses a newer store with a clear error.
//!
//! ```
//! use lede_core::{Article, ArticleId};
//! use lede_store::{NewArticle, Put, Store, StoreWriter};
//!
//! let dir = tempfile::tempdir()?;
//! let mut writer = StoreWriter::open(dir.path())?;
//! let article = Article { title: Some("Hello".into()), paragraphs: vec!["World.".into()], ..Article::default() };
//! let id = ArticleId::of(&article);
//! let new = NewArticle { id, article: &article, source_id: Some("rec-1"), extra: None, origin: "demo.jsonl:1", fetched_at: &[], sketch: None, annotations: None, features: None };
//! assert!(matches!(writer.put_batch(&[new])?[0], Put::Added { .. }));
//! let store = Store::open(dir.path())?;
//! assert_eq!(store.find("rec-1")?.unwrap().id, id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules
//!
//! One module per concern, each adding its own `impl Store` and `impl StoreWriter`, so that
//! what is stored for one purpose (and read back for it) is in one file:
//!
//! - `store`: the two handles and opening them (the writer's lock, SQLite's settings,
//!   creating or migrating the format), and what the others share (SQL errors, damaged
//!   blobs, the bookkeeping of backfills);
//! - `articles`: articles and their aliases, found by any key or read in ingest order, and
//!   [`StoreWriter::put_batch`], which writes a batch with all that goes beside each
//!   article;
//! - `fetch`: the validators of URL inputs, for conditional GETs;
//! - `feeds`: the feeds `lede watch` follows, their schedule and health;
//! - `archives`: how far ingests have read the files of web-archive sets (`.paths`
//!   listings), so that an interrupted one resumes;
//! - `sketches`: the near-duplicate sketches, and their backfill;
//! - `annotations`: annotations, entities and quotes, and their backfill (`codec` is the
//!   compact form annotations are stored in);
//! - `stories`: story features, stories and clustering's state;
//! - `stats`: counts over the store;
//! - `reads`: [`ReadBackend`], what the read commands read, and [`ExploreBackend`], what
//!   the reader's entity and quote pages read, which cluster mode's PostgreSQL store gives
//!   too;
//! - `schema`: the format's versions and the migrations between them; `error`: the
//!   crate's [`Error`].

mod annotations;
mod archives;
mod articles;
mod codec;
mod error;
mod explore;
mod feeds;
mod fetch;
mod read_cache;
mod reads;
mod schema;
mod sketches;
mod stats;
mod store;
mod stories;
mod summaries;
#[cfg(test)]
mod testing;

pub use annotations::{EntityCount, EntityFilter, QuoteFilter, StoredQuote};
pub use archives::ArchiveProgress;
pub use articles::{NewArticle, Put, StoredArticle};
pub use error::{Error, Result};
pub use explore::{
    CARD_OUTLETS, Day, DayCount, NamedIn, QuoteGroup, QuoteGroupFilter, Sampled, StoryCard,
    StoryCardBuilder, WindowStory,
};
pub use feeds::Feed;
pub use read_cache::ReadCache;
pub use reads::{ExploreBackend, ReadBackend};
pub use schema::FORMAT_VERSION;
pub use sketches::{DupsBackend, StoredSketch};
pub use stats::Stats;
pub use store::{ArticleBlob, Store, StoreWriter};
pub use stories::{
    ArticleFeatures, ArticleText, MemberFeatures, Membership, NAMES_LOOKED_UP, NamingStory,
    StoryArticle, StoryBackend, StoryFilter, StoryQuoteRow, StoryRow, StorySummary, StoryUpdate,
    Unclustered, names_asked,
};
