//! Errors of the store. Each names the data directory or the key it is about.

use std::path::PathBuf;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// There is no store in the directory (yet).
    #[error("{dir}: no lede store here (create one with `lede ingest`)")]
    NoStore {
        /// The data directory.
        dir: PathBuf,
    },
    /// Another process is writing to the store.
    #[error(
        "{dir}: another lede process is writing to this store ({holder}); wait for it to finish"
    )]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
    /// The store was written by a newer lede.
    #[error(
        "{dir}: the store has format {found}, newer than this lede understands ({supported}); upgrade lede"
    )]
    TooNew {
        /// The data directory.
        dir: PathBuf,
        /// The store's format version.
        found: u32,
        /// The newest format this lede reads.
        supported: u32,
    },
    /// The directory holds something that is not a lede store.
    #[error("{dir}: not a lede store ({reason})")]
    NotAStore {
        /// The data directory.
        dir: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A key matches several articles (an id prefix that is too short).
    #[error("{key:?} matches {count} articles; give more of the id")]
    Ambiguous {
        /// The key given.
        key: String,
        /// How many articles it matches.
        count: usize,
    },
    /// The directory or lock file could not be created or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// SQLite failed (disk full, corruption, permissions).
    #[error("{dir}: store error: {source}")]
    Sqlite {
        /// The data directory.
        dir: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A story's stored clustering state could not be read back.
    #[error("{dir}: stored story {story} is damaged: {message}")]
    DamagedStory {
        /// The data directory.
        dir: PathBuf,
        /// The story's id.
        story: lede_core::StoryId,
        /// What is wrong (the blob, then why).
        message: String,
    },
    /// A stored record could not be read back (corruption, or a bug).
    #[error("{dir}: stored article {id} is damaged: {message}")]
    Damaged {
        /// The data directory.
        dir: PathBuf,
        /// The article's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// Another backend behind the same boundary failed (cluster mode's PostgreSQL store,
    /// through [`StoryBackend`](crate::StoryBackend)); its error names the database.
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}
