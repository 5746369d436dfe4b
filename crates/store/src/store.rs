//! The store's two handles: [`Store`], a reader, and [`StoreWriter`], the one writer.
//!
//! This module opens them (the writer's lock on `DIR/lock`, SQLite's settings, creating or
//! migrating the format) and holds what the other modules share: SQL errors named by the
//! store's directory, the errors for damaged blobs, and the bookkeeping of backfills after
//! a migration. What the handles read and write is in the module of each concern
//! (`articles`, `fetch`, `sketches`, `annotations`, `stats`, `stories`), each adding its
//! own `impl Store` and `impl StoreWriter`, so that this file stays about opening a store.

use crate::error::{Error, Result};
use crate::read_cache::{Epoch, Kept, ReadCache, ViewCache};
use crate::schema::{self, FORMAT_VERSION, MIGRATIONS};
use lede_core::{ArticleSeq, StoryId};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard};

pub(crate) const DB_FILE: &str = "lede.sqlite";
const LOCK_FILE: &str = "lock";

/// A blob computed from an article (its sketch, its story features), to store beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleBlob {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// The blob.
    pub bytes: Vec<u8>,
}

/// A read-only view of a store. Any number may be open, in any process, while a writer
/// writes: each sees the store as of its last read.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) dir: PathBuf,
    /// What a read-only view keeps between reads ([`ReadCache`]); none for a view that
    /// writes.
    cache: Option<ViewCache>,
}

impl Store {
    /// Opens the store in `dir` for reading, with a [`ReadCache`] of its own.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_sharing(dir, ReadCache::new())
    }

    /// Opens the store in `dir` for reading, keeping what it reads in `cache`, which the
    /// views opened over it share (they must be of this store).
    pub fn open_sharing(dir: &Path, cache: Arc<ReadCache>) -> Result<Store> {
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return Err(Error::NoStore { dir: dir.to_owned() });
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| Error::Sqlite { dir: dir.to_owned(), source })?;
        let cache = Some(ViewCache::new(cache));
        let store = Store { conn, dir: dir.to_owned(), cache };
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
        // The view's first look at its cache, which it cannot know the age of: a new epoch.
        store.read_cache()?;
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The error for a stored blob of article `seq` that its decoder rejected: it names
    /// the article (by id when the row can still be read, else by sequence number) and the
    /// blob (`"sketch"`, `"story features"`).
    pub fn damaged(&self, seq: ArticleSeq, blob: &str, why: impl std::fmt::Display) -> Error {
        let id = self
            .conn
            .query_row("SELECT id FROM articles WHERE seq = ?1", [seq.0 as i64], |r| {
                r.get::<_, String>(0)
            })
            .unwrap_or_else(|_| format!("#{seq}"));
        Error::Damaged { dir: self.dir.clone(), id, message: format!("{blob}: {why}") }
    }

    /// The error for a stored blob of story `story` that its decoder rejected.
    pub fn damaged_story(&self, story: StoryId, blob: &str, why: impl std::fmt::Display) -> Error {
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

    /// The view's [`ReadCache`] as the store is now (emptied first if the store changed
    /// since the view last looked), and its epoch, under which a value read afterwards is
    /// kept ([`Store::keep`]); `None` for a view that writes. The cache is locked while the
    /// guard lives: drop it before reading the store.
    pub(crate) fn read_cache(&self) -> Result<Option<(Epoch, MutexGuard<'_, Kept>)>> {
        let Some(cache) = &self.cache else { return Ok(None) };
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(Some(cache.look(version)))
    }

    /// Puts into the view's cache what `keep` puts there, if the store has not changed
    /// since `epoch` (as any view of the cache has seen it).
    pub(crate) fn keep(&self, epoch: Epoch, keep: impl FnOnce(&mut Kept)) {
        if let Some(cache) = &self.cache {
            cache.keep(epoch, keep);
        }
    }

    /// The value `get` finds in the view's cache, or else the one `read` reads from the
    /// store, which `put` keeps in the cache unless the store changed meanwhile. The cache
    /// is not locked while `read` runs.
    pub(crate) fn cached<T: Clone>(
        &self,
        get: impl FnOnce(&Kept) -> Option<&T>,
        read: impl FnOnce() -> Result<T>,
        put: impl FnOnce(&mut Kept, T),
    ) -> Result<T> {
        let epoch = match self.read_cache()? {
            Some((epoch, kept)) => match get(&kept) {
                Some(value) => return Ok(value.clone()),
                None => Some(epoch),
            },
            None => None,
        };
        let value = read()?;
        if let Some(epoch) = epoch {
            self.keep(epoch, |kept| put(kept, value.clone()));
        }
        Ok(value)
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

    /// Sequence numbers of stored articles with no row in `table` (added by format
    /// `format`), ascending: every article in an older store; in a migrated one, those
    /// without a row while `lede_meta` still holds the backfill key `flag`; none otherwise.
    pub(crate) fn missing(
        &self,
        format: u32,
        flag: &str,
        table: &'static str,
    ) -> Result<Vec<ArticleSeq>> {
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
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| ArticleSeq(n as u64)))
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

    fn all_seqs(&self) -> Result<Vec<ArticleSeq>> {
        let mut stmt =
            self.conn.prepare("SELECT seq FROM articles ORDER BY seq").map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| ArticleSeq(n as u64)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }
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
        let store = Store { conn, dir: dir.to_owned(), cache: None };
        // WAL: readers in other processes keep reading while this writes. NORMAL
        // synchronous: a transaction survives the process being killed (kill -9); a power
        // failure may lose the last ones, never the store's consistency.
        store.pragma("PRAGMA journal_mode = WAL")?;
        store.pragma("PRAGMA synchronous = NORMAL")?;
        store.pragma("PRAGMA busy_timeout = 5000")?;
        // 32 MiB of page cache for the writer (SQLite's default is 2 MiB): the entity-name
        // and speaker indexes take random inserts, and pages read again from the cache
        // instead of the disk made ingest of 52k releases faster (#5). 64 MiB held an
        // ingest's peak above 300 MiB (#13).
        store.pragma("PRAGMA cache_size = -32768")?;
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
    pub(crate) fn put_blobs(&mut self, insert: &str, rows: &[ArticleBlob]) -> Result<()> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        {
            let mut insert = tx.prepare_cached(insert).map_err(sql)?;
            for row in rows {
                insert.execute(params![row.seq.0 as i64, row.bytes]).map_err(sql)?;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{article, put};

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
