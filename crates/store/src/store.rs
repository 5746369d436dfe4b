//! Reading and writing the store.

use crate::annotations::write_annotations;
use crate::error::{Error, Result};
use crate::schema::{self, FORMAT_VERSION, MIGRATIONS};
use lede_core::{Annotations, Article, ArticleId};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

pub(crate) const DB_FILE: &str = "lede.sqlite";
const LOCK_FILE: &str = "lock";

/// An article as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    /// Ingest order, from 1.
    pub seq: u64,
    /// The content hash.
    pub id: ArticleId,
    /// The id the input record carried (a JSONL line's `id`), if any.
    pub source_id: Option<String>,
    /// The article.
    pub article: Article,
    /// Fields of the input record lede has no place for, kept as they were.
    pub extra: Option<serde_json::Value>,
    /// The input and location where it was first seen (`file.jsonl:12`).
    pub origin: String,
}

/// An article to store.
#[derive(Debug, Clone, Copy)]
pub struct NewArticle<'a> {
    /// Its content hash ([`ArticleId::of`]).
    pub id: ArticleId,
    /// The article.
    pub article: &'a Article,
    /// The id the input record carried, if any.
    pub source_id: Option<&'a str>,
    /// Fields of the input record lede has no place for.
    pub extra: Option<&'a serde_json::Value>,
    /// Where it came from (`file.jsonl:12`, `crawl.warc.gz@1234`, a URL).
    pub origin: &'a str,
    /// Its near-duplicate sketch (`lede_dedup::Sketch::to_bytes`), stored beside it.
    pub sketch: Option<&'a [u8]>,
    /// What its text says (`lede-entities`): stored whole, and its entities and quotes
    /// as rows to list and filter.
    pub annotations: Option<&'a Annotations>,
    /// What it brings to story clustering (`lede_cluster::StoryFeatures::to_bytes`).
    pub features: Option<&'a [u8]>,
}

/// What storing one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// Stored, with this sequence number.
    Added {
        /// Its sequence number.
        seq: u64,
    },
    /// The same text was already stored: nothing was added but, when new, its address and
    /// record id as aliases.
    Duplicate {
        /// Whether an alias was added.
        new_alias: bool,
    },
}

/// A read-only view of a store. Any number may be open, in any process, while a writer
/// writes: each sees the store as of its last read.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) dir: PathBuf,
}

impl Store {
    /// Opens the store in `dir` for reading.
    pub fn open(dir: &Path) -> Result<Store> {
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return Err(Error::NoStore { dir: dir.to_owned() });
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| Error::Sqlite { dir: dir.to_owned(), source })?;
        let store = Store { conn, dir: dir.to_owned() };
        store.pragma("PRAGMA busy_timeout = 5000")?;
        let format = store.format()?;
        if format > FORMAT_VERSION {
            return Err(Error::TooNew {
                dir: dir.to_owned(),
                found: format,
                supported: FORMAT_VERSION,
            });
        }
        // An older format is read as it is only if nothing changed in the tables read;
        // until a second version exists there is nothing to check.
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The error for a stored blob of article `seq` that its decoder rejected: it names
    /// the article (by id when the row can still be read, else by sequence number) and the
    /// blob (`"sketch"`, `"story features"`).
    pub fn damaged(&self, seq: u64, blob: &str, why: impl std::fmt::Display) -> Error {
        let id = self
            .conn
            .query_row("SELECT id FROM articles WHERE seq = ?1", [seq as i64], |r| {
                r.get::<_, String>(0)
            })
            .unwrap_or_else(|_| format!("#{seq}"));
        Error::Damaged { dir: self.dir.clone(), id, message: format!("{blob}: {why}") }
    }

    /// The error for a stored blob of story `story` that its decoder rejected.
    pub fn damaged_story(&self, story: u64, blob: &str, why: impl std::fmt::Display) -> Error {
        Error::DamagedStory { dir: self.dir.clone(), story, message: format!("{blob}: {why}") }
    }

    pub(crate) fn sql(&self, source: rusqlite::Error) -> Error {
        match source {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                Error::NotAStore {
                    dir: self.dir.clone(),
                    reason: format!("{DB_FILE} is not an SQLite database"),
                }
            }
            source => Error::Sqlite { dir: self.dir.clone(), source },
        }
    }

    fn pragma(&self, sql: &str) -> Result<()> {
        // PRAGMAs may return a row; ignore it.
        self.conn.query_row(sql, [], |_| Ok(())).optional().map(|_| ()).map_err(|e| self.sql(e))
    }

    /// The store's format version.
    pub fn format(&self) -> Result<u32> {
        let value: Option<String> = self
            .conn
            .query_row("SELECT value FROM lede_meta WHERE key = 'format'", [], |r| r.get(0))
            .optional()
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("no such table") => {
                    Error::NotAStore { dir: self.dir.clone(), reason: "no lede_meta table".into() }
                }
                e => self.sql(e),
            })?;
        let value = value.ok_or_else(|| Error::NotAStore {
            dir: self.dir.clone(),
            reason: "no format version".into(),
        })?;
        value.parse().map_err(|_| Error::NotAStore {
            dir: self.dir.clone(),
            reason: format!("format {value:?}"),
        })
    }

    /// The article a key names: its id (32 hex digits, or a unique prefix of 8 or more),
    /// the id its input record carried, or one of its addresses.
    pub fn find(&self, key: &str) -> Result<Option<StoredArticle>> {
        let key = key.trim();
        let is_hex =
            !key.is_empty() && key.len() <= 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
        if is_hex
            && key.len() == 32
            && let Some(a) = self.one("WHERE id = ?1", &key.to_ascii_lowercase())?
        {
            return Ok(Some(a));
        }
        for kind in ["source_id", "url"] {
            let id: Option<String> = self
                .conn
                .query_row(
                    "SELECT id FROM aliases WHERE kind = ?1 AND key = ?2",
                    [kind, key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.sql(e))?;
            if let Some(id) = id {
                return self.one("WHERE id = ?1", &id);
            }
        }
        if is_hex && key.len() >= 8 && key.len() < 32 {
            let lower = key.to_ascii_lowercase();
            let pattern = format!("{lower}%");
            let count: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM (SELECT 1 FROM articles WHERE id LIKE ?1 LIMIT 2)",
                    [&pattern],
                    |r| r.get(0),
                )
                .map_err(|e| self.sql(e))?;
            let count = count as usize;
            return match count {
                0 => Ok(None),
                1 => self.one("WHERE id LIKE ?1", &pattern),
                count => Err(Error::Ambiguous { key: key.to_owned(), count }),
            };
        }
        Ok(None)
    }

    /// The articles with these sequence numbers, in the order given (missing ones left out).
    pub fn by_seqs(&self, seqs: &[u64]) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE seq = ?1"))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(seqs.len());
        for &seq in seqs {
            let row =
                stmt.query_row([seq as i64], row_parts).optional().map_err(|e| self.sql(e))?;
            if let Some(parts) = row {
                out.push(self.assemble(parts)?);
            }
        }
        Ok(out)
    }

    /// Calls `f` with every article after sequence number `after`, in order, `batch` rows
    /// per query (so a reader never holds the whole store). Stops at `f`'s first error.
    pub fn scan<E: From<Error>>(
        &self,
        after: u64,
        batch: usize,
        mut f: impl FnMut(StoredArticle) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut last = after;
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE seq > ?1 ORDER BY seq LIMIT ?2"))
            .map_err(|e| self.sql(e))?;
        loop {
            let rows: Vec<RowParts> = stmt
                .query_map(params![last as i64, batch as i64], row_parts)
                .and_then(|rows| rows.collect())
                .map_err(|e| self.sql(e))?;
            if rows.is_empty() {
                return Ok(());
            }
            for parts in rows {
                let a = self.assemble(parts)?;
                last = a.seq;
                f(a)?;
            }
        }
    }

    /// The record ids that name an article (the first record's and those of exact copies
    /// read later), sorted.
    pub fn record_ids(&self, id: &ArticleId) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT key FROM aliases WHERE kind = 'source_id' AND id = ?1 ORDER BY key",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([id.to_string()], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// Sequence numbers of the articles read from more than one record or address (exact
    /// copies: the same text under another record id or URL), ascending.
    pub fn exact_copies(&self) -> Result<Vec<u64>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.seq FROM articles a JOIN
                   (SELECT id FROM aliases GROUP BY id, kind HAVING count(*) > 1) c ON c.id = a.id
                 GROUP BY a.seq ORDER BY a.seq",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| n as u64))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// Sequence numbers of stored articles with no row in `table` (added by format
    /// `format`), ascending: every article in an older store; in a migrated one, those
    /// without a row while `lede_meta` still holds the backfill key `flag`; none otherwise.
    pub(crate) fn missing(&self, format: u32, flag: &str, table: &'static str) -> Result<Vec<u64>> {
        if self.format()? < format {
            return self.all_seqs();
        }
        if !self.meta_flag(flag)? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT a.seq FROM articles a LEFT JOIN {table} t ON t.seq = a.seq WHERE t.seq IS NULL ORDER BY a.seq"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| n as u64))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// Whether `lede_meta` holds `key` (a backfill still to do).
    pub(crate) fn meta_flag(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM lede_meta WHERE key = ?1", [key], |_| Ok(()))
            .optional()
            .map(|row| row.is_some())
            .map_err(|e| self.sql(e))
    }

    fn all_seqs(&self) -> Result<Vec<u64>> {
        let mut stmt =
            self.conn.prepare("SELECT seq FROM articles ORDER BY seq").map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| n as u64))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// The highest sequence number stored (0 for an empty store).
    pub fn last_seq(&self) -> Result<u64> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM articles", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(seq.unwrap_or(0) as u64)
    }

    fn one(&self, clause: &str, key: &str) -> Result<Option<StoredArticle>> {
        let parts = self
            .conn
            .query_row(&format!("{SELECT} {clause}"), [key], row_parts)
            .optional()
            .map_err(|e| self.sql(e))?;
        parts.map(|p| self.assemble(p)).transpose()
    }

    fn assemble(
        &self,
        (seq, id, source_id, article, extra, origin): RowParts,
    ) -> Result<StoredArticle> {
        let damaged =
            |message: String| Error::Damaged { dir: self.dir.clone(), id: id.clone(), message };
        let parsed_id = id.parse::<ArticleId>().map_err(|e| damaged(e.to_string()))?;
        let article: Article =
            serde_json::from_str(&article).map_err(|e| damaged(e.to_string()))?;
        let extra = extra
            .map(|e| serde_json::from_str(&e))
            .transpose()
            .map_err(|e| damaged(e.to_string()))?;
        Ok(StoredArticle { seq: seq as u64, id: parsed_id, source_id, article, extra, origin })
    }
}

const SELECT: &str = "SELECT seq, id, source_id, article, extra, origin FROM articles";

type RowParts = (i64, String, Option<String>, String, Option<String>, String);

fn row_parts(r: &rusqlite::Row<'_>) -> rusqlite::Result<RowParts> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

/// The one writer of a store. Holds `DIR/lock` while open.
#[derive(Debug)]
pub struct StoreWriter {
    pub(crate) store: Store,
    // Held for the writer's lifetime: the lock is released when the file is closed, also
    // when the process dies.
    _lock: File,
}

impl StoreWriter {
    /// Opens the store in `dir` for writing, creating the directory and the store if
    /// needed, and migrating an older format. Fails at once with [`Error::Locked`] if
    /// another writer has it.
    pub fn open(dir: &Path) -> Result<StoreWriter> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| Error::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let mut lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = lock.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder =
                    if holder.is_empty() { "pid unknown".to_owned() } else { holder.to_owned() };
                return Err(Error::Locked { dir: dir.to_owned(), holder });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(Error::Io { path: lock_path, source });
            }
        }
        // Say who holds it, for the next one's message: one fixed-width write at offset 0,
        // so a reader never sees the file empty (truncating first would leave a window).
        let holder = format!("{:<24}", format!("pid {}", std::process::id()));
        #[cfg(unix)]
        let _ = std::os::unix::fs::FileExt::write_all_at(&lock, holder.as_bytes(), 0)
            .and_then(|()| lock.set_len(24));
        #[cfg(not(unix))]
        let _ = {
            use std::io::{Seek, Write};
            lock.rewind()
                .and_then(|()| lock.write_all(holder.as_bytes()))
                .and_then(|()| lock.set_len(24))
        };

        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path)
            .map_err(|source| Error::Sqlite { dir: dir.to_owned(), source })?;
        let store = Store { conn, dir: dir.to_owned() };
        // WAL: readers in other processes keep reading while this writes. NORMAL
        // synchronous: a transaction survives the process being killed (kill -9); a power
        // failure may lose the last ones, never the store's consistency.
        store.pragma("PRAGMA journal_mode = WAL")?;
        store.pragma("PRAGMA synchronous = NORMAL")?;
        store.pragma("PRAGMA busy_timeout = 5000")?;
        // 64 MiB of page cache for the writer (SQLite's default is 2 MiB): the entity-name
        // and speaker indexes take random inserts, and pages read again from the cache
        // instead of the disk made ingest of 52k releases faster (#5).
        store.pragma("PRAGMA cache_size = -65536")?;
        let has_meta: bool = store
            .conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'lede_meta'", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n > 0)
            .map_err(|e| store.sql(e))?;
        let mut writer = StoreWriter { store, _lock: lock };
        if has_meta {
            writer.migrate()?;
        } else {
            let tx = writer
                .store
                .conn
                .transaction()
                .map_err(|e| Error::Sqlite { dir: dir.to_owned(), source: e })?;
            schema::create(&tx).map_err(|e| Error::Sqlite { dir: dir.to_owned(), source: e })?;
            tx.commit().map_err(|e| Error::Sqlite { dir: dir.to_owned(), source: e })?;
        }
        Ok(writer)
    }

    fn migrate(&mut self) -> Result<()> {
        let format = self.store.format()?;
        if format > FORMAT_VERSION {
            return Err(Error::TooNew {
                dir: self.store.dir.clone(),
                found: format,
                supported: FORMAT_VERSION,
            });
        }
        if format == FORMAT_VERSION {
            return Ok(());
        }
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        for step in &MIGRATIONS[(format as usize - 1)..] {
            tx.execute_batch(step).map_err(sql)?;
        }
        tx.execute(
            "UPDATE lede_meta SET value = ?1 WHERE key = 'format'",
            [FORMAT_VERSION.to_string()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Runs `insert` (`?1` the seq, `?2` the bytes) for each row, in one transaction: the
    /// backfill of a per-article blob after a migration.
    pub(crate) fn put_blobs(&mut self, insert: &str, rows: &[(u64, Vec<u8>)]) -> Result<()> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        {
            let mut insert = tx.prepare_cached(insert).map_err(sql)?;
            for (seq, bytes) in rows {
                insert.execute(params![*seq as i64, bytes]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Records that the backfill `key` of `lede_meta` is done (every stored article has
    /// its row).
    pub(crate) fn backfill_done(&self, key: &str) -> Result<()> {
        self.store
            .conn
            .execute("DELETE FROM lede_meta WHERE key = ?1", [key])
            .map(|_| ())
            .map_err(|e| self.store.sql(e))
    }

    /// Reading through the writer (sees what it wrote).
    pub fn reader(&self) -> &Store {
        &self.store
    }

    /// Stores a batch of articles in one transaction (all or nothing). Duplicates of stored
    /// articles (same [`ArticleId`]), also within the batch, add only their aliases.
    pub fn put_batch(&mut self, batch: &[NewArticle<'_>]) -> Result<Vec<Put>> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        let mut out = Vec::with_capacity(batch.len());
        {
            let mut exists =
                tx.prepare_cached("SELECT 1 FROM articles WHERE id = ?1").map_err(sql)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO articles (id, source_id, url, outlet, title, published, published_ts, language, origin, article, extra)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(sql)?;
            let mut alias = tx
                .prepare_cached("INSERT OR IGNORE INTO aliases (kind, key, id) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            let mut sketch_insert = tx
                .prepare_cached("INSERT OR REPLACE INTO sketches (seq, sketch) VALUES (?1, ?2)")
                .map_err(sql)?;
            let mut features_insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO story_features (seq, features) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            for new in batch {
                let id = new.id.to_string();
                let mut new_alias = false;
                let add_aliases =
                    |alias: &mut rusqlite::CachedStatement<'_>| -> rusqlite::Result<bool> {
                        let mut added = false;
                        if let Some(url) = new.article.url.as_deref() {
                            added |= alias.execute(params!["url", url, id])? > 0;
                        }
                        if let Some(source_id) = new.source_id {
                            added |= alias.execute(params!["source_id", source_id, id])? > 0;
                        }
                        Ok(added)
                    };
                if exists.exists([&id]).map_err(sql)? {
                    new_alias |= add_aliases(&mut alias).map_err(sql)?;
                    out.push(Put::Duplicate { new_alias });
                    continue;
                }
                let a = new.article;
                let json = serde_json::to_string(a).expect("articles always serialise");
                let extra = new.extra.map(|e| e.to_string());
                insert
                    .execute(params![
                        id,
                        new.source_id,
                        a.url,
                        a.outlet,
                        a.title,
                        a.published.as_ref().map(|p| p.at.to_string()),
                        a.published.as_ref().map(|p| p.at.unix_seconds()),
                        a.language,
                        new.origin,
                        json,
                        extra,
                    ])
                    .map_err(sql)?;
                let seq = tx.last_insert_rowid() as u64;
                if let Some(sketch) = new.sketch {
                    sketch_insert.execute(params![seq as i64, sketch]).map_err(sql)?;
                }
                if let Some(features) = new.features {
                    features_insert.execute(params![seq as i64, features]).map_err(sql)?;
                }
                if let Some(annotations) = new.annotations {
                    write_annotations(&tx, seq, annotations, &a.paragraphs, false).map_err(sql)?;
                }
                add_aliases(&mut alias).map_err(sql)?;
                out.push(Put::Added { seq });
            }
        }
        tx.commit().map_err(sql)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{article, put};

    #[test]
    fn stores_once_and_aliases_copies() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let a = article("One", Some("https://a.example/1"));
        assert_eq!(put(&mut w, &a, Some("r1")), Put::Added { seq: 1 });
        assert_eq!(put(&mut w, &a, Some("r1")), Put::Duplicate { new_alias: false });
        let copy = Article { url: Some("https://b.example/copy".into()), ..a.clone() };
        assert_eq!(put(&mut w, &copy, None), Put::Duplicate { new_alias: true });
        let r = w.reader();
        let id = ArticleId::of(&a);
        for key in [
            id.to_string(),
            id.to_string()[..10].to_owned(),
            "r1".into(),
            "https://b.example/copy".into(),
        ] {
            assert_eq!(r.find(&key).unwrap().map(|s| s.id), Some(id), "{key}");
        }
        assert_eq!(r.find("nothing").unwrap(), None);
        let stats = r.stats().unwrap();
        assert_eq!((stats.articles, stats.aliases, stats.outlets), (1, 3, 1));
        let mut sketches = Vec::new();
        r.sketches(|seq, ts, bytes| sketches.push((seq, ts, bytes.to_vec()))).unwrap();
        assert_eq!(sketches, [(1, Some(1_546_387_200), b"sketch".to_vec())]);
        assert!(r.unsketched().unwrap().is_empty());
        assert_eq!(stats.first_published.as_deref(), Some("2019-01-02"));
    }

    #[test]
    fn a_batch_is_one_transaction_and_keeps_extra_fields() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let (a, b) = (article("A", None), article("B", None));
        let extra = serde_json::json!({"topic": "x"});
        let batch = [
            NewArticle {
                id: ArticleId::of(&a),
                article: &a,
                source_id: None,
                extra: Some(&extra),
                origin: "f:1",
                sketch: None,
                annotations: None,
                features: None,
            },
            NewArticle {
                id: ArticleId::of(&b),
                article: &b,
                source_id: None,
                extra: None,
                origin: "f:2",
                sketch: None,
                annotations: None,
                features: None,
            },
            NewArticle {
                id: ArticleId::of(&a),
                article: &a,
                source_id: None,
                extra: None,
                origin: "f:3",
                sketch: None,
                annotations: None,
                features: None,
            },
        ];
        let puts = w.put_batch(&batch).unwrap();
        assert_eq!(
            puts,
            [Put::Added { seq: 1 }, Put::Added { seq: 2 }, Put::Duplicate { new_alias: false }]
        );
        let got = w.reader().by_seqs(&[2, 1, 99]).unwrap();
        assert_eq!(got.iter().map(|s| s.seq).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(got[1].extra, Some(extra));
        assert_eq!(got[1].article, a);
        w.set_fetch_state("https://f.example/feed", Some("\"e1\""), None).unwrap();
        w.set_fetch_state(
            "https://f.example/feed",
            Some("\"e2\""),
            Some("Tue, 19 Nov 2019 10:00:00 GMT"),
        )
        .unwrap();
        assert_eq!(
            w.reader().fetch_state("https://f.example/feed").unwrap(),
            (Some("\"e2\"".into()), Some("Tue, 19 Nov 2019 10:00:00 GMT".into()))
        );
        assert_eq!(w.reader().fetch_state("https://other.example/").unwrap(), (None, None));
        let mut seen = Vec::new();
        w.reader()
            .scan(0, 1, |s| {
                seen.push(s.seq);
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(seen, [1, 2]);
    }

    #[test]
    fn one_writer_at_a_time_readers_always() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        put(&mut w, &article("A", None), None);
        let err = StoreWriter::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        assert!(err.to_string().contains(&format!("pid {}", std::process::id())), "{err}");
        let reader = Store::open(dir.path()).unwrap();
        assert_eq!(reader.stats().unwrap().articles, 1);
        put(&mut w, &article("B", None), None);
        assert_eq!(reader.stats().unwrap().articles, 2, "a reader sees new commits");
        drop(w);
        StoreWriter::open(dir.path()).unwrap();
    }

    #[test]
    fn clear_errors_for_missing_foreign_and_newer_stores() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Store::open(dir.path()), Err(Error::NoStore { .. })));
        std::fs::write(
            dir.path().join(DB_FILE),
            b"this is not sqlite, just some text that is long enough to fill a header",
        )
        .unwrap();
        assert!(
            matches!(Store::open(dir.path()), Err(Error::NotAStore { .. })),
            "{:?}",
            Store::open(dir.path())
        );
        assert!(matches!(StoreWriter::open(dir.path()), Err(Error::NotAStore { .. })));

        let dir = tempfile::tempdir().unwrap();
        drop(StoreWriter::open(dir.path()).unwrap());
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute("UPDATE lede_meta SET value = '99' WHERE key = 'format'", []).unwrap();
        drop(conn);
        assert!(matches!(Store::open(dir.path()), Err(Error::TooNew { found: 99, .. })));
        assert!(matches!(StoreWriter::open(dir.path()), Err(Error::TooNew { found: 99, .. })));
    }
}
