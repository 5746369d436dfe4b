//! The read commands' answers from either store: the embedded one (through
//! [`Library`](crate::Library), whose methods of the same names call these) and cluster
//! mode's PostgreSQL store (lede-pg), both giving [`lede_store::ReadBackend`]. One code
//! shapes every answer, so both stores answer alike.

pub use crate::crosslang::{AlsoIn, LinkedStory, also_in};
pub use crate::library::{export, quotes};
pub use crate::network::outlet_network;
pub use crate::provenance::{trace, trace_article};
pub use crate::stories::{stories, stories_pending, story, story_of_article};
