//! Near-duplicate sketches: one MinHash sketch (`lede-dedup`) per article in `sketches`,
//! written with the article by [`StoreWriter::put_batch`]. A store migrated from format 1
//! has none until an ingest backfills them ([`Store::unsketched`],
//! [`StoreWriter::put_sketches`], [`StoreWriter::sketches_complete`]).

use crate::error::Result;
use crate::store::{ArticleBlob, Store, StoreWriter};
use lede_core::ArticleSeq;

/// One stored sketch, as [`Store::sketches`] reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredSketch<'a> {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its publication date (Unix seconds), if known.
    pub published_ts: Option<i64>,
    /// The sketch's bytes (`lede_dedup::Sketch::from_bytes` reads them).
    pub bytes: &'a [u8],
}

impl Store {
    /// Calls `f` with every stored sketch, in `seq` order. A store of format 1 (opened
    /// read-only, not yet migrated) has none.
    pub fn sketches(&self, mut f: impl FnMut(StoredSketch<'_>)) -> Result<()> {
        if self.format()? < 2 {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.seq, a.published_ts, s.sketch FROM sketches s JOIN articles a ON a.seq = s.seq ORDER BY s.seq",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let seq: i64 = row.get(0).map_err(|e| self.sql(e))?;
            let ts: Option<i64> = row.get(1).map_err(|e| self.sql(e))?;
            let sketch = row.get_ref(2).map_err(|e| self.sql(e))?;
            let bytes = sketch.as_blob().map_err(|e| self.sql(e.into()))?;
            f(StoredSketch { seq: ArticleSeq(seq as u64), published_ts: ts, bytes });
        }
        Ok(())
    }

    /// Sequence numbers of stored articles without a sketch, ascending. Only a store
    /// migrated from format 1 and not yet backfilled has any (checking costs a scan of
    /// the whole table, so it is done only then).
    pub fn unsketched(&self) -> Result<Vec<ArticleSeq>> {
        self.missing(2, "sketches", "sketches")
    }
}

/// What the near-duplicate grouping reads (`lede_engine::find_dups`). The embedded store
/// and cluster mode's PostgreSQL store (lede-pg) both give it, so that `lede dups` groups
/// the same way on both.
pub trait DupsBackend {
    /// Calls `f` with every stored sketch, in sequence order.
    fn each_sketch(&mut self, f: &mut dyn FnMut(StoredSketch<'_>)) -> Result<()>;
    /// The stored articles of `seqs` (those that exist), in that order.
    fn articles_of(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<crate::StoredArticle>>;
    /// Sequence numbers of the articles read from more than one record or address.
    fn exact_copies_of(&mut self) -> Result<Vec<ArticleSeq>>;
    /// The record ids that name an article, sorted.
    fn record_ids_of(&mut self, id: &lede_core::ArticleId) -> Result<Vec<String>>;
    /// The error for article `seq`'s stored `blob` that its decoder rejected.
    fn damaged_blob(
        &mut self,
        seq: ArticleSeq,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> crate::Error;
}

impl DupsBackend for &Store {
    fn each_sketch(&mut self, f: &mut dyn FnMut(StoredSketch<'_>)) -> Result<()> {
        self.sketches(f)
    }

    fn articles_of(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<crate::StoredArticle>> {
        self.by_seqs(seqs)
    }

    fn exact_copies_of(&mut self) -> Result<Vec<ArticleSeq>> {
        self.exact_copies()
    }

    fn record_ids_of(&mut self, id: &lede_core::ArticleId) -> Result<Vec<String>> {
        self.record_ids(id)
    }

    fn damaged_blob(
        &mut self,
        seq: ArticleSeq,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> crate::Error {
        self.damaged(seq, blob, why)
    }
}

impl StoreWriter {
    /// Stores sketches of articles stored without one (a store migrated from format 1),
    /// in one transaction.
    pub fn put_sketches(&mut self, sketches: &[ArticleBlob]) -> Result<()> {
        self.put_blobs("INSERT OR REPLACE INTO sketches (seq, sketch) VALUES (?1, ?2)", sketches)
    }

    /// Records that every stored article has its sketch (the backfill after a migration
    /// is done).
    pub fn sketches_complete(&self) -> Result<()> {
        self.backfill_done("sketches")
    }
}
