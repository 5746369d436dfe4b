//! Cluster mode (issue #15): the embedded pipeline spread over machines on existing
//! engines, NATS JetStream carrying the work and PostgreSQL holding the records.
//!
//! ```text
//!  lede ingest --nats --postgres         lede worker (any number, anywhere)             PostgreSQL
//!  inputs cut into pieces ──> LEDE_WORK ──> read the piece, prepare each record  ──> a part's articles and
//!  (a path and byte range,    work-queue    (lede_engine::prepare_record: the        its work_done row in
//!   a file, an address)       stream        same pure code as embedded)              one transaction, then ack
//!       │                                         │ failed for good
//!       └── --wait: sums work_done of its run     └──> LEDE_DEAD ──> lede errors
//! ```
//!
//! Delivery is at least once and the effect exactly once: an article's identity is its
//! content hash (`INSERT ... ON CONFLICT`: a second copy becomes an alias), and a unit of
//! work's row is claimed in the transaction that stores it, so a redelivered unit stores
//! and counts nothing (lede-pg's `work` module).
//!
//! Stories are per language, each language's clustered by one writer at a time under its
//! fenced lease (`stories:<language>`; a process may hold several), and the reader and read
//! commands read PostgreSQL through [`PgLibrary`] (`reader`).
//!
//! `lede crawl` and `lede watch` publish addresses the same way ([`publish_crawl`],
//! [`Watcher`]): the crawl walks the sitemaps with the embedded crawl's own walk and
//! publishes the pages PostgreSQL does not hold, one job each; the watch claims the feeds
//! due in PostgreSQL (any number of watches share them), publishes one `follow` job per
//! feed, and adjusts each feed's schedule from what its job stored, by the embedded
//! watch's rule. A worker fetches a URL job's address conditionally (the validators its
//! server sent last time are in PostgreSQL) and, for a feed, fetches only the items not
//! stored yet.

mod crawl;
mod publish;
mod queue;
mod reader;
mod stories;
mod watch;
mod worker;

pub use crawl::{CrawlPublished, publish_crawl};
pub use publish::{LINES_PER_JOB, PATIENCE, PublishOptions, Published, publish, wait};
pub use queue::{
    ACK_WAIT, DEAD_STREAM, DUPLICATE_WINDOW, DeadLetter, Delivery, MAX_DELIVER, Queue, WORK_STREAM,
};
pub use reader::PgLibrary;
pub use stories::{LEASE, MAX_WAIT, QUIET};
pub use watch::{CLAIM, Watcher};
pub use worker::{Log, PART_RECORDS, WorkerOptions, WorkerSummary, work};

use lede_ingest::Piece;

/// What went wrong, naming the broker or database and what lede was doing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The NATS server could not be reached, or refused a request.
    #[error("{url}: {doing}: {message}")]
    Broker {
        /// The server's address.
        url: String,
        /// What lede was doing.
        doing: &'static str,
        /// Why.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] lede_pg::Error),
    /// A message that is not a job this lede reads.
    #[error("message {id}: not a job this lede reads: {message}")]
    Job {
        /// The message's id.
        id: String,
        /// Why.
        message: String,
    },
}

/// A result of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// The wall clock, in nanoseconds since 1970: a worker's storage time (the partition month
/// of an undated article) and a run's name. Cluster mode's one read of it.
#[allow(clippy::disallowed_methods, reason = "the one wall-clock read of cluster mode")]
fn wall_clock_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// One unit of work: a piece of an input and how to ingest it. Small (a path and a byte
/// range, an address), whatever the size of the pages it names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Job {
    /// The `lede ingest` that published it.
    pub run: String,
    /// What to read.
    pub piece: Piece,
    /// Fetch the page each feed item links to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow: bool,
    /// Only records dated at or after this time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// Only records dated before this time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Only records from these hosts (`--host` patterns).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Only articles in these languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

impl Job {
    /// Its message id: a hash of the job, its run included, so that a publisher that
    /// sends it twice has the second dropped, while the same input ingested again later
    /// (another run) is read again (and found stored: duplicates).
    pub fn message_id(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("jobs always serialise");
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))
    }

    /// The records it keeps.
    pub fn selection(&self) -> std::result::Result<lede_engine::Selection, String> {
        let hosts = self
            .hosts
            .iter()
            .map(|h| lede_ingest::HostPattern::parse(h))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(lede_engine::Selection {
            since: self.since,
            until: self.until,
            hosts,
            languages: self.languages.clone(),
        })
    }
}
