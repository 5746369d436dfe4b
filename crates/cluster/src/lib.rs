//! Stories: which articles tell the same story, across outlets and days.
//!
//! - [`StoryFeatures`]: what an article brings to clustering (its words with counts, the
//!   canonical names of its entities, its quotes), computed once, beside its annotations,
//!   and stored with it;
//! - [`crosslang`]: links between stories of different languages that tell one event, by
//!   the canonical names, numbers and dates they share (a layer on top of the stories of
//!   each language);
//! - [`Clusterer`]: incremental clustering. Each pass takes a batch of new articles, sorts
//!   it into a canonical order (date, then content hash), freezes word statistics for the
//!   batch, lets each article join the best open story or start one, then repairs the pass
//!   (merges stories that met, moves each new article to its best story once). A batch's
//!   stories therefore do not depend on the order its articles arrived in;
//!
//! Similarity of an article to a story: cosine of TF-IDF word vectors (sublinear counts,
//! headline words counted twice) blended with the cosine of entity vectors (the names of
//! `lede-entities`, which tell apart two stories of the same kind: two earthquakes, two
//! rehab stays), plus a bonus for a quote they share; damped by the days between the
//! article and the story, and none at all past a horizon (stories age and close).

mod clusterer;
pub mod crosslang;
mod features;
pub mod label;
mod links;
mod terms;

pub use clusterer::{Assignment, Clusterer, DocFreq, Item, Params, Pass, Story, StoryId};
pub use features::{FeatureError, StoryFeatures, quote_key};
pub use links::{LinkCheck, check_links};
pub use terms::{is_stop_word, term_hash, words};
