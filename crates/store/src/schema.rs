//! The on-disk format and its versions.
//!
//! Version 1 (see the crate's `README.md` for the picture):
//!
//! ```sql
//! lede_meta(key TEXT PRIMARY KEY, value TEXT)       -- 'format' = '1', 'created_by'
//! articles(seq INTEGER PRIMARY KEY,                 -- ingest order, from 1
//!          id TEXT UNIQUE,                          -- 32 hex digits, content hash
//!          source_id, url, outlet, title, published, published_ts, language,
//!          origin TEXT,                             -- input and location first seen at
//!          article TEXT,                            -- the article as JSON (CLI contract)
//!          extra TEXT)                              -- unknown fields of the input record
//! aliases(kind TEXT, key TEXT, id TEXT)             -- 'url' | 'source_id' -> article id
//! fetch_state(url TEXT, etag, last_modified)        -- validators for conditional GET
//! ```
//!
//! Version 2 adds the near-duplicate sketches:
//!
//! ```sql
//! sketches(seq INTEGER PRIMARY KEY,                 -- the article's seq
//!          sketch BLOB)                             -- MinHash sketch (lede-dedup), 516 bytes
//! aliases_id: an index of aliases by article id    -- every record id of an article
//! ```
//!
//! A store migrated from version 1 has no sketches for its articles; `lede_meta` then
//! holds 'sketches' = 'backfill' until the next ingest has computed them (so that a store
//! without that key is never scanned for missing sketches).
//!
//! Version 3 adds what the text of each article says (`lede-entities`):
//!
//! ```sql
//! annotations(seq INTEGER PRIMARY KEY,              -- the article's seq
//!             json TEXT)                            -- its Annotations, compact (codec.rs)
//! entities(seq, name, kind TEXT, mentions INTEGER)  -- one row per entity of an article,
//!                                                   -- indexed by name and by seq
//! quotes(seq, n INTEGER, speaker, text, cue TEXT,   -- one row per quote, n in text order,
//!        direct, paragraph, start, end INTEGER)     -- indexed by speaker
//! ```
//!
//! A store migrated from version 2 (or 1) has no annotations for its articles; `lede_meta`
//! then holds 'annotations' = 'backfill' until the next ingest has computed them.
//!
//! Version 4 adds stories (`lede-cluster`):
//!
//! ```sql
//! story_features(seq INTEGER PRIMARY KEY,           -- the article's seq
//!                features BLOB)                     -- its StoryFeatures (words, names, quotes)
//! stories(id INTEGER PRIMARY KEY, label_seq,        -- the member whose headline labels it
//!         first_ts, last_ts, size INTEGER,          -- span (Unix seconds), members
//!         state BLOB)                               -- centroid and quotes (lede-cluster)
//! story_members(seq INTEGER PRIMARY KEY,            -- each clustered article's story
//!               story INTEGER, score REAL)          -- indexed by story
//! story_aliases(old INTEGER PRIMARY KEY, id)        -- a merged story's id -> the story it is
//! cluster_state(key TEXT PRIMARY KEY, value BLOB)   -- 'doc_freq': word and name frequencies
//! ```
//!
//! Articles up to the highest `story_members.seq` are clustered; later ones are clustered
//! by the next ingest (stories are derived data, like the search index). A store migrated
//! from version 3 holds 'story_features' = 'backfill' until an ingest has computed them.
//!
//! A new version adds a step to [`MIGRATIONS`]; an old store is migrated when a writer
//! opens it, in one transaction.

use rusqlite::Connection;

/// The format this lede writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 5;

/// The statements that create a version-1 store.
const CREATE_V1: &str = "
CREATE TABLE lede_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT,
    url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    published_ts INTEGER,
    language TEXT,
    origin TEXT NOT NULL,
    article TEXT NOT NULL,
    extra TEXT
);
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_published_ts ON articles(published_ts);
CREATE TABLE aliases (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE fetch_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
) WITHOUT ROWID;
";

/// Steps from version `n` to `n + 1`, at index `n - 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1 -> 2: near-duplicate sketches.
    "CREATE TABLE sketches (seq INTEGER PRIMARY KEY, sketch BLOB NOT NULL);
     CREATE INDEX aliases_id ON aliases(id);
     INSERT INTO lede_meta (key, value) VALUES ('sketches', 'backfill');",
    // 2 -> 3: entities and quotes (issue #5).
    "CREATE TABLE annotations (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
     CREATE TABLE entities (
         seq INTEGER NOT NULL,
         name TEXT NOT NULL,
         kind TEXT NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (seq, name)
     ) WITHOUT ROWID;
     CREATE INDEX entities_name ON entities(name);
     CREATE TABLE quotes (
         seq INTEGER NOT NULL,
         n INTEGER NOT NULL,
         speaker TEXT,
         text TEXT NOT NULL,
         cue TEXT,
         direct INTEGER NOT NULL,
         paragraph INTEGER NOT NULL,
         start INTEGER NOT NULL,
         \"end\" INTEGER NOT NULL,
         PRIMARY KEY (seq, n)
     );
     CREATE INDEX quotes_speaker ON quotes(speaker);
     INSERT INTO lede_meta (key, value) VALUES ('annotations', 'backfill');",
    // 3 -> 4: stories (issue #6).
    "CREATE TABLE story_features (seq INTEGER PRIMARY KEY, features BLOB NOT NULL);
     CREATE TABLE stories (
         id INTEGER PRIMARY KEY,
         label_seq INTEGER,
         first_ts INTEGER,
         last_ts INTEGER,
         size INTEGER NOT NULL,
         state BLOB NOT NULL
     );
     CREATE INDEX stories_last_ts ON stories(last_ts);
     CREATE TABLE story_members (
         seq INTEGER PRIMARY KEY,
         story INTEGER NOT NULL,
         score REAL NOT NULL
     );
     CREATE INDEX story_members_story ON story_members(story);
     CREATE TABLE story_aliases (old INTEGER PRIMARY KEY, id INTEGER NOT NULL);
     CREATE TABLE cluster_state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
     INSERT INTO lede_meta (key, value) VALUES ('story_features', 'backfill');",
    // 4 -> 5: indexes that let `stats` count outlets, languages and annotated articles
    // without reading every article and its annotations (2-22 s on a million articles).
    // An index on the row id is a small b-tree that `count(*)` walks instead of the table.
    "CREATE INDEX articles_outlet ON articles(outlet);
     CREATE INDEX articles_language ON articles(language);
     CREATE INDEX annotations_seq ON annotations(seq);",
];

/// Creates the tables of the current version in an empty database: version 1, then every
/// migration.
pub(crate) fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE_V1)?;
    for step in MIGRATIONS {
        conn.execute_batch(step)?;
    }
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('format', ?1)",
        [FORMAT_VERSION.to_string()],
    )?;
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('created_by', ?1)",
        [concat!("lede ", env!("CARGO_PKG_VERSION"))],
    )?;
    Ok(())
}

/// Creates the tables of an old `version` (tests of migrations).
#[cfg(test)]
pub(crate) fn create_old(conn: &Connection, version: u32) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE_V1)?;
    for step in &MIGRATIONS[..version as usize - 1] {
        conn.execute_batch(step)?;
    }
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('format', ?1)",
        [version.to_string()],
    )?;
    Ok(())
}
