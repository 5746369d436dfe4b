//! lede's store in PostgreSQL, for cluster mode (issue #15): what the embedded store
//! (`lede-store`, SQLite in one directory) keeps, in a database that many workers on many
//! machines write at once.
//!
//! What it holds, one module per concern: the schema and its versioned migrations
//! (`schema`); articles stored a batch per transaction with their aliases, sketches, story
//! features and annotations (the blob, and entities and quotes as rows), an article's
//! identity being its content hash (`articles`); cluster mode's units of work, each stored
//! once (`work`); the story writer's fenced lease and clustering's reads and writes under
//! it (`stories`, `lede_store::StoryBackend`); every sketch for `lede dups` (`sketches`,
//! `lede_store::DupsBackend`); full-text search answering as the embedded index
//! (lede-search) answers: its words and query syntax, its filters and orders, its BM25
//! scores, and `similar_to` for `lede trace` (`search`, see [`PgStore::search_with`]); and
//! the embedded store's counts (`stats`).
//!
//! What the read commands read (`show`, `trace`, `stories`, `story`, `quotes`, `entities`,
//! `export`) it gives as the embedded store does: `impl`
//! [`ReadBackend`](lede_store::ReadBackend) `for PgStore`, each answer the embedded
//! store's on the same data (order and tie-breaks, keys and merged story ids resolved the
//! same way). So it gives what the reader's entity and quote pages read (`explore`,
//! [`ExploreBackend`](lede_store::ExploreBackend)).
//!
//! The promises are the embedded store's, kept under concurrency:
//! - a batch is one transaction: a reader sees all of it or none of it, and a batch that
//!   fails leaves nothing behind;
//! - an article's identity is its [`ArticleId`](lede_core::ArticleId): two workers storing
//!   the same text at the same moment store it once, and the other sees a duplicate (the
//!   unique key decides, not a look-up before the insert, which two transactions can both
//!   pass);
//! - every stored blob decodes, or the reader says which article's is damaged.
//!
//! Articles are partitioned by month (of publication, or of storage when undated), so that
//! old months can be detached and archived whole.

mod articles;
mod explore;
mod feeds;
mod reads;
mod schema;
mod search;
mod sketches;
mod stats;
mod stories;
mod work;

pub use schema::FORMAT;
pub use search::{Hit, SearchResults};
pub use stories::{Lease, PgStories, story_scope};
pub use work::{Counts, RunProgress, Unit};

/// A PostgreSQL store: one connection (a worker opens one per thread).
pub struct PgStore {
    client: postgres::Client,
    /// The database as errors name it: user, host, port and name, never the password.
    target: String,
}

/// What went wrong, naming the database (without its password) and what lede was doing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address is not a PostgreSQL connection string or URL.
    #[error("{url}: not a PostgreSQL address: {source}")]
    Address {
        /// The address, its password left out.
        url: String,
        /// Why.
        source: postgres::Error,
    },
    /// The server could not be reached or refused the connection.
    #[error("{target}: cannot connect: {source}")]
    Connect {
        /// The database.
        target: String,
        /// Why.
        source: postgres::Error,
    },
    /// A statement failed.
    #[error("{target}: {doing}: {source}")]
    Sql {
        /// The database.
        target: String,
        /// What lede was doing.
        doing: &'static str,
        /// Why.
        source: postgres::Error,
    },
    /// The database was written by a newer lede.
    #[error(
        "{target}: the database is of format {found}, newer than this lede reads ({FORMAT}); upgrade lede"
    )]
    TooNew {
        /// The database.
        target: String,
        /// Its format.
        found: u32,
    },
    /// A write of a lease holder that lost its lease (it expired while the holder was
    /// paused or cut off, and perhaps another took it): refused, nothing written.
    #[error("{target}: the {scope} lease of epoch {epoch} is no longer held: nothing written")]
    Fenced {
        /// The database.
        target: String,
        /// The lease's scope.
        scope: String,
        /// The epoch the writer held.
        epoch: i64,
    },
    /// A key names several articles (an id prefix too short): a caller's mistake, which
    /// crosses the store boundary as [`lede_store::Error::Ambiguous`].
    #[error("{key:?} matches {count} articles; give more of the id")]
    Ambiguous {
        /// The key given.
        key: String,
        /// How many articles it matches (2: the search stops at the second).
        count: usize,
    },
    /// A story's stored clustering state (or another of its values) cannot be read.
    #[error("{target}: stored story {story} is damaged: {message}")]
    DamagedStory {
        /// The database.
        target: String,
        /// The story.
        story: lede_core::StoryId,
        /// Which value, then why.
        message: String,
    },
    /// A stored value cannot be read.
    #[error("{target}: article {id}: its {what} cannot be read: {message}")]
    Damaged {
        /// The database.
        target: String,
        /// The article.
        id: String,
        /// Which of its values.
        what: &'static str,
        /// Why.
        message: String,
    },
}

/// A result of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl PgStore {
    /// Connects to `url` (a `postgresql://` URL or a `key=value` string) and brings the
    /// schema up to date; any number of workers may do so at once.
    pub fn connect(url: &str) -> Result<PgStore> {
        let config: postgres::Config =
            url.parse().map_err(|source| Error::Address { url: without_password(url), source })?;
        let target = describe(&config);
        let client = config
            .connect(postgres::NoTls)
            .map_err(|source| Error::Connect { target: target.clone(), source })?;
        let mut store = PgStore { client, target };
        schema::migrate(&mut store)?;
        Ok(store)
    }

    /// Whether the connection is lost (the server restarted or went away): every call
    /// then fails, and a new [`PgStore::connect`] is needed.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// The database, as messages name it (host, port, database; never the password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The schema's format (see [`FORMAT`]).
    pub fn format(&mut self) -> Result<u32> {
        schema::format(self)
    }
}

/// Turns this crate's error into the store boundary's, for the backend traits lede-pg
/// gives (`StoryBackend`, `DupsBackend`, `ReadBackend`): [`lede_store::Error::Backend`],
/// but for an ambiguous key, which is the caller's mistake and keeps its meaning (the
/// reader answers it as the embedded store's).
fn backend(e: Error) -> lede_store::Error {
    match e {
        Error::Ambiguous { key, count } => lede_store::Error::Ambiguous { key, count },
        e => lede_store::Error::Backend(Box::new(e)),
    }
}

impl From<Error> for lede_store::Error {
    fn from(e: Error) -> lede_store::Error {
        backend(e)
    }
}

/// Turns a client error into [`Error::Sql`], naming the database and what lede was doing.
fn sql<'t>(target: &'t str, doing: &'static str) -> impl Fn(postgres::Error) -> Error + 't {
    move |source| Error::Sql { target: target.to_owned(), doing, source }
}

/// `user@host:port/dbname`, for errors: what a user needs to know which database, without
/// its password.
fn describe(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgresql://{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

/// `url` with the password of its user-info part replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        // key=value form: drop the password pair.
        return url
            .split_whitespace()
            .map(|kv| if kv.starts_with("password=") { "password=***" } else { kv })
            .collect::<Vec<_>>()
            .join(" ");
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_an_error() {
        assert_eq!(
            without_password("postgresql://lede:s3cret@db:5432/news"),
            "postgresql://lede:***@db:5432/news"
        );
        assert_eq!(without_password("postgresql://db/news"), "postgresql://db/news");
        assert_eq!(
            without_password("host=db user=lede password=s3cret"),
            "host=db user=lede password=***"
        );
        let config: postgres::Config = "postgresql://lede:s3cret@db:6543/news".parse().unwrap();
        assert_eq!(describe(&config), "postgresql://lede@db:6543/news");
        let err = PgStore::connect("postgresql://lede:s3cret@db:notaport/news").err().unwrap();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
