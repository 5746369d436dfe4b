//! Near-duplicates in PostgreSQL: what `lede_engine::find_dups` reads ([`DupsBackend`]),
//! the same as from the embedded store, so `lede dups` groups the same articles.
//!
//! Groups are computed when asked, from every stored sketch, as embedded: workers storing
//! near-duplicates at the same moment can never miss each other (there is no
//! "look up, then insert" step whose race would lose a pair).

use crate::{Error, PgStore, backend, sql};
use lede_core::{ArticleId, ArticleSeq};
use lede_store::{DupsBackend, StoredArticle, StoredSketch};

impl DupsBackend for PgStore {
    fn each_sketch(&mut self, f: &mut dyn FnMut(StoredSketch<'_>)) -> lede_store::Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let target = self.target.clone();
        let err = |e| backend(sql(&target, "reading the sketches")(e));
        // Streamed: a million sketches are never all in one result.
        let mut rows = self
            .client
            .query_raw(
                "SELECT s.seq, a.published_ts, s.sketch
                 FROM sketches s JOIN articles a ON a.seq = s.seq ORDER BY s.seq",
                std::iter::empty::<i64>(),
            )
            .map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let bytes: &[u8] = row.get(2);
            f(StoredSketch {
                seq: ArticleSeq(row.get::<_, i64>(0) as u64),
                published_ts: row.get(1),
                bytes,
            });
        }
        Ok(())
    }

    fn articles_of(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<StoredArticle>> {
        let wanted: Vec<i64> = seqs.iter().map(|s| s.0 as i64).collect();
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {} FROM articles a WHERE a.seq = ANY($1)",
                    crate::articles::ARTICLE_COLUMNS
                ),
                &[&wanted],
            )
            .map_err(|e| backend(sql(&self.target, "reading articles")(e)))?;
        let mut found = rows
            .iter()
            .map(|r| crate::articles::assemble(&self.target, r))
            .collect::<crate::Result<Vec<_>>>()
            .map_err(backend)?;
        // In the order asked for, as the embedded store gives them.
        found.sort_by_key(|a| seqs.iter().position(|s| *s == a.seq));
        Ok(found)
    }

    fn exact_copies_of(&mut self) -> lede_store::Result<Vec<ArticleSeq>> {
        let rows = self
            .client
            .query(
                "SELECT i.seq FROM article_ids i JOIN
                   (SELECT id FROM aliases GROUP BY id, kind HAVING count(*) > 1) c ON c.id = i.id
                 GROUP BY i.seq ORDER BY i.seq",
                &[],
            )
            .map_err(|e| backend(sql(&self.target, "finding exact copies")(e)))?;
        Ok(rows.iter().map(|r| ArticleSeq(r.get::<_, i64>(0) as u64)).collect())
    }

    fn record_ids_of(&mut self, id: &ArticleId) -> lede_store::Result<Vec<String>> {
        let rows = self
            .client
            .query(
                "SELECT key FROM aliases WHERE kind = 'source_id' AND id = $1 ORDER BY key",
                &[&id.to_string()],
            )
            .map_err(|e| backend(sql(&self.target, "reading record ids")(e)))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn damaged_blob(
        &mut self,
        seq: ArticleSeq,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> lede_store::Error {
        backend(Error::Damaged {
            target: self.target.clone(),
            id: format!("#{}", seq.0),
            what: "stored value",
            message: format!("{blob}: {why}"),
        })
    }
}
