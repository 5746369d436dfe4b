//! Near-duplicates and passage provenance: which articles are the same article, and where
//! each passage of an article first appeared and how it was reworded on the way.
//!
//! - [`words`]: words with byte spans and stable shingle hashes;
//! - [`Sketch`]: MinHash sketches (persisted by the store);
//! - [`dups`]: near-duplicate groups by banded LSH over sketches;
//! - [`provenance`]: where each sentence of an article comes from, and the verdict;
//! - [`sentences`]: sentence boundaries for alignment;
//! - [`spin`]: spin markers inside one article.

pub mod dups;
pub mod provenance;
pub mod sentences;
pub mod sketch;
pub mod spin;
pub mod words;

pub use provenance::{Passage, Provenance, Share, Substitution, Verdict, trace};
pub use sketch::{Sketch, SketchError};
pub use spin::{SpinMarker, spin_markers};
