//! Articles and their aliases: the types of an article stored ([`StoredArticle`]) and to
//! store ([`NewArticle`], [`Put`]), finding one by any of its keys, reading them by
//! sequence number or in ingest order, and [`StoreWriter::put_batch`], which writes a
//! batch with everything that goes beside each article (sketch, annotations, story
//! features) in one transaction.
//!
//! `articles` holds one row per text (its `id` is the hash of the text); `aliases` maps
//! every address and record id the text was read under to that `id`, so a copy adds an
//! alias rather than a row.

use crate::annotations::write_annotations;
use crate::archives::ArchiveProgress;
use crate::error::{Error, Result};
use crate::store::{Store, StoreWriter};
use crate::summaries;
use lede_core::{Annotations, Article, ArticleId, ArticleSeq};
use rusqlite::{OptionalExtension, params};

/// An article as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    /// Ingest order, from 1.
    pub seq: ArticleSeq,
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
    /// Other addresses it was fetched at, stored as URL aliases beside its own: the
    /// address asked for and where redirects led, when its canonical address differs,
    /// so that a crawl that lists it again by either finds it stored (issue #14).
    pub fetched_at: &'a [String],
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
        seq: ArticleSeq,
    },
    /// The same text was already stored: nothing was added but, when new, its address and
    /// record id as aliases.
    Duplicate {
        /// Whether an alias was added.
        new_alias: bool,
    },
}

impl Store {
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
    pub fn by_seqs(&self, seqs: &[ArticleSeq]) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT} WHERE seq = ?1"))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(seqs.len());
        for &seq in seqs {
            let row =
                stmt.query_row([seq.0 as i64], row_parts).optional().map_err(|e| self.sql(e))?;
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
        after: ArticleSeq,
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
                .query_map(params![last.0 as i64, batch as i64], row_parts)
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
    pub fn exact_copies(&self) -> Result<Vec<ArticleSeq>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.seq FROM articles a JOIN
                   (SELECT id FROM aliases GROUP BY id, kind HAVING count(*) > 1) c ON c.id = a.id
                 GROUP BY a.seq ORDER BY a.seq",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, i64>(0).map(|n| ArticleSeq(n as u64)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// The highest sequence number stored (0 for an empty store).
    pub fn last_seq(&self) -> Result<ArticleSeq> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM articles", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(ArticleSeq(seq.unwrap_or(0) as u64))
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
        Ok(StoredArticle {
            seq: ArticleSeq(seq as u64),
            id: parsed_id,
            source_id,
            article,
            extra,
            origin,
        })
    }
}

const SELECT: &str = "SELECT seq, id, source_id, article, extra, origin FROM articles";

type RowParts = (i64, String, Option<String>, String, Option<String>, String);

fn row_parts(r: &rusqlite::Row<'_>) -> rusqlite::Result<RowParts> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

impl StoreWriter {
    /// Stores a batch of articles in one transaction (all or nothing). Duplicates of stored
    /// articles (same [`ArticleId`]), also within the batch, add only their aliases.
    pub fn put_batch(&mut self, batch: &[NewArticle<'_>]) -> Result<Vec<Put>> {
        self.put_batch_marking(batch, &[])
    }

    /// [`put_batch`](Self::put_batch), also recording how far the ingest has read the files
    /// of a web-archive set, in the same transaction: after a crash, what the store says was
    /// read is exactly what it holds.
    pub fn put_batch_marking(
        &mut self,
        batch: &[NewArticle<'_>],
        progress: &[ArchiveProgress],
    ) -> Result<Vec<Put>> {
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
                        for url in new.fetched_at {
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
                let seq = ArticleSeq(tx.last_insert_rowid() as u64);
                if let Some(sketch) = new.sketch {
                    sketch_insert.execute(params![seq.0 as i64, sketch]).map_err(sql)?;
                }
                if let Some(features) = new.features {
                    features_insert.execute(params![seq.0 as i64, features]).map_err(sql)?;
                }
                if let Some(annotations) = new.annotations {
                    write_annotations(&tx, seq, annotations, &a.paragraphs, false).map_err(sql)?;
                }
                add_aliases(&mut alias).map_err(sql)?;
                out.push(Put::Added { seq });
            }
        }
        // The reader's summaries, counted once for the batch (`summaries.rs`).
        let added = summaries::seq_list(out.iter().filter_map(|put| match put {
            Put::Added { seq } => Some(*seq),
            Put::Duplicate { .. } => None,
        }));
        if added != "[]" {
            summaries::articles_added(&tx, &added).map_err(sql)?;
            summaries::entities_added(&tx, &added).map_err(sql)?;
            summaries::settle_pairs(&tx, &added, &[]).map_err(sql)?;
        }
        crate::archives::write_progress(&tx, progress).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{article, put};

    #[test]
    fn the_addresses_an_article_was_fetched_at_find_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let a = article("One", Some("https://a.example/2019/one"));
        let fetched = ["https://a.example/one".to_owned(), "http://a.example/?p=1".to_owned()];
        let new = |fetched_at| NewArticle {
            id: ArticleId::of(&a),
            article: &a,
            source_id: None,
            extra: None,
            origin: "https://a.example/one",
            fetched_at,
            sketch: None,
            annotations: None,
            features: None,
        };
        assert_eq!(
            w.put_batch(&[new(&fetched[..1])]).unwrap(),
            [Put::Added { seq: ArticleSeq(1) }]
        );
        // Fetched again at another address: that address is added.
        assert_eq!(w.put_batch(&[new(&fetched)]).unwrap(), [Put::Duplicate { new_alias: true }]);
        for key in ["https://a.example/2019/one", &fetched[0], &fetched[1]] {
            assert_eq!(w.reader().find(key).unwrap().map(|s| s.seq), Some(ArticleSeq(1)), "{key}");
        }
    }

    #[test]
    fn stores_once_and_aliases_copies() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let a = article("One", Some("https://a.example/1"));
        assert_eq!(put(&mut w, &a, Some("r1")), Put::Added { seq: ArticleSeq(1) });
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
        r.sketches(|s| sketches.push((s.seq.0, s.published_ts, s.bytes.to_vec()))).unwrap();
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
                fetched_at: &[],
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
                fetched_at: &[],
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
                fetched_at: &[],
                sketch: None,
                annotations: None,
                features: None,
            },
        ];
        let puts = w.put_batch(&batch).unwrap();
        assert_eq!(
            puts,
            [
                Put::Added { seq: ArticleSeq(1) },
                Put::Added { seq: ArticleSeq(2) },
                Put::Duplicate { new_alias: false }
            ]
        );
        let got = w.reader().by_seqs(&[ArticleSeq(2), ArticleSeq(1), ArticleSeq(99)]).unwrap();
        assert_eq!(got.iter().map(|s| s.seq).collect::<Vec<_>>(), [ArticleSeq(2), ArticleSeq(1)]);
        assert_eq!(got[1].extra, Some(extra));
        assert_eq!(got[1].article, a);
        let mut seen = Vec::new();
        w.reader()
            .scan(ArticleSeq(0), 1, |s| {
                seen.push(s.seq);
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(seen, [ArticleSeq(1), ArticleSeq(2)]);
    }
}
