//! Web-archive sets: how far ingests have read each file of a `.paths` listing (CC-NEWS and
//! the like: thousands of WARC files of about a gigabyte each), so that an interrupted
//! ingest neither reads a finished file again nor extracts a record it already stored.
//!
//! One row per file in `archive_files`, keyed by the file's name as its listing writes it
//! (not where it was read from: the same set read from a mirror or another directory
//! resumes too). A row is written in the transaction of the batch whose records it covers
//! ([`StoreWriter::put_batch_marking`]), so it never claims a record the store lacks.

use crate::error::Result;
use crate::store::{Store, StoreWriter};
use rusqlite::{Transaction, params};
use std::collections::HashMap;

/// How far the ingests have read one file of a web-archive set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveProgress {
    /// The file's name as its listing gives it.
    pub name: String,
    /// Every record of the file was read.
    pub done: bool,
    /// Records starting before this offset (in the uncompressed stream) were read: stored,
    /// found to be duplicates, skipped, filtered out or reported as failures.
    pub next_offset: u64,
    /// Records read from the file so far.
    pub records: u64,
}

impl Store {
    /// How far ingests have read each file of any web-archive set, by name.
    /// A store of format 5 or older (opened to read, not yet migrated) has none.
    pub fn archive_progress(&self) -> Result<HashMap<String, ArchiveProgress>> {
        if self.format()? < 6 {
            return Ok(HashMap::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT name, done, next_offset, records FROM archive_files")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ArchiveProgress {
                    name: r.get(0)?,
                    done: r.get(1)?,
                    next_offset: r.get::<_, i64>(2)? as u64,
                    records: r.get::<_, i64>(3)? as u64,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.map(|row| row.map(|p| (p.name.clone(), p)).map_err(|e| self.sql(e))).collect()
    }
}

impl StoreWriter {
    /// Records archive progress on its own (when no article is stored with it: a stretch of
    /// records that were all filtered out, or the end of a file).
    pub fn mark_archives(&mut self, progress: &[ArchiveProgress]) -> Result<()> {
        if progress.is_empty() {
            return Ok(());
        }
        self.put_batch_marking(&[], progress).map(|_| ())
    }
}

/// Writes progress rows inside the caller's transaction; a later row for the same file
/// replaces an earlier one.
pub(crate) fn write_progress(
    tx: &Transaction<'_>,
    progress: &[ArchiveProgress],
) -> rusqlite::Result<()> {
    if progress.is_empty() {
        return Ok(());
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO archive_files (name, done, next_offset, records, updated_ts)
         VALUES (?1, ?2, ?3, ?4, strftime('%s', 'now'))
         ON CONFLICT(name) DO UPDATE SET done = excluded.done, next_offset = excluded.next_offset,
             records = excluded.records, updated_ts = excluded.updated_ts",
    )?;
    for p in progress {
        upsert.execute(params![p.name, p.done, p.next_offset as i64, p.records as i64])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreWriter;

    fn progress(name: &str, done: bool, next_offset: u64, records: u64) -> ArchiveProgress {
        ArchiveProgress { name: name.to_owned(), done, next_offset, records }
    }

    #[test]
    fn progress_is_kept_replaced_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        assert!(w.reader().archive_progress().unwrap().is_empty());
        w.mark_archives(&[progress("a.warc.gz", false, 100, 2), progress("b.warc.gz", true, 9, 1)])
            .unwrap();
        w.mark_archives(&[progress("a.warc.gz", false, 250, 5)]).unwrap();
        w.mark_archives(&[progress("a.warc.gz", true, 900, 9)]).unwrap();
        drop(w);
        let got = Store::open(dir.path()).unwrap().archive_progress().unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got["a.warc.gz"], progress("a.warc.gz", true, 900, 9));
        assert_eq!(got["b.warc.gz"], progress("b.warc.gz", true, 9, 1));
    }

    #[test]
    fn progress_goes_with_its_batch() {
        // A batch that fails (here: a constraint broken on purpose inside the same
        // transaction is hard to provoke, so check the success path writes both) leaves
        // articles and progress together.
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let article = lede_core::Article {
            paragraphs: vec!["A paragraph long enough to be stored as an article.".into()],
            ..lede_core::Article::default()
        };
        let id = lede_core::ArticleId::of(&article);
        let new = crate::NewArticle {
            id,
            article: &article,
            source_id: None,
            extra: None,
            origin: "set/a.warc.gz (offset 0)",
            fetched_at: &[],
            sketch: None,
            annotations: None,
            features: None,
        };
        let puts = w.put_batch_marking(&[new], &[progress("a.warc.gz", false, 1, 1)]).unwrap();
        assert_eq!(puts.len(), 1);
        assert_eq!(w.reader().archive_progress().unwrap()["a.warc.gz"].next_offset, 1);
        assert_eq!(w.reader().article_count().unwrap(), 1);
    }
}
