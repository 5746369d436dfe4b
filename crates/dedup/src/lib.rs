//! Near-duplicates and passage provenance: which articles are the same article, and where
//! each passage of an article first appeared and how it was reworded on the way.
//!
//! - [`Sketch`]: MinHash sketches (persisted by the store);
//! - [`dups`]: near-duplicate groups by banded LSH over sketches;
//! - [`provenance`]: where each sentence of an article comes from, and the verdict;
//! - [`spin`]: spin markers inside one article;
//! - [`intrinsic`]: signs of a composite read from one article alone.
//!
//! Words, their hashes, shingles and sentences come from `lede-text`: the sketches stored
//! by one release are compared with those of the next.

pub mod dups;
pub mod intrinsic;
pub mod provenance;
pub mod sketch;
pub mod spin;

pub use intrinsic::{IntrinsicSignal, SignalKind, intrinsic_signals, suspects_composite};
pub use provenance::{
    Passage, Provenance, Share, SpinEvidence, Substitution, SwapKind, Verdict, spin_score, trace,
};
pub use sketch::{Sketch, SketchError};
pub use spin::{SpinMarker, spin_markers};
