//! Near-duplicates and passage provenance: which articles are the same article, and where
//! each passage of an article first appeared and how it was reworded on the way.
//!
//! - [`words`]: words with byte spans and stable shingle hashes;
//! - [`Sketch`]: MinHash sketches (persisted by the store);
//! - [`dups`]: near-duplicate groups by banded LSH over sketches.

pub mod dups;
pub mod sketch;
pub mod words;

pub use sketch::Sketch;
