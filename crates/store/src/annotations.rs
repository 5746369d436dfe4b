//! What the text of each article says (`lede-entities`): its [`Annotations`] stored whole
//! in `annotations` (the compact form of `codec`), and its entities and quotes as rows of
//! `entities` and `quotes`, which [`Store::entities`] and [`Store::quotes`] list and filter
//! across the store. The rows are written with the article by [`StoreWriter::put_batch`],
//! or by the backfill of a store migrated from format 2 or older
//! ([`StoreWriter::put_annotations`]).
//!
//! A name given to filter by is compared in Rust (Unicode case folding, which SQLite's
//! `lower` lacks) with the distinct names stored, which are few beside the rows; the rows
//! of the names that match are then read through the index.

use crate::codec;
use crate::error::{Error, Result};
use crate::store::{Store, StoreWriter};
use crate::summaries;
use lede_core::{Annotations, Article, ArticleId, ArticleSeq, EntityKind};
use rusqlite::{OptionalExtension, params};

/// Which entities [`Store::entities`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityFilter {
    /// Only entities of this kind.
    pub kind: Option<EntityKind>,
    /// How many entities at most.
    pub limit: usize,
}

impl Default for EntityFilter {
    fn default() -> EntityFilter {
        EntityFilter { kind: None, limit: 50 }
    }
}

/// An entity and how much of the store names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntityCount {
    /// The canonical name.
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// Articles that name it.
    pub articles: u64,
    /// Mentions over all those articles.
    pub mentions: u64,
}

/// Which quotes [`Store::quotes`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteFilter<'a> {
    /// Only quotes of this speaker: its whole canonical name, or the last word or words of
    /// it (`Trump` finds "Donald Trump"), in any case.
    pub speaker: Option<&'a str>,
    /// How many quotes at most.
    pub limit: usize,
}

impl Default for QuoteFilter<'_> {
    fn default() -> Self {
        QuoteFilter { speaker: None, limit: 50 }
    }
}

/// A stored quote, with the article it is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuote {
    /// The quote as the article reports it.
    pub quote: lede_core::Quote,
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// The article's id.
    pub article_id: ArticleId,
    /// The article's publication date (ISO 8601), if known.
    pub published: Option<String>,
    /// The article's headline.
    pub title: Option<String>,
    /// The article's outlet.
    pub outlet: Option<String>,
}

impl Store {
    /// Sequence numbers of stored articles without annotations, ascending. Only a store
    /// migrated from an older format and not yet backfilled has any (like
    /// [`Store::unsketched`], the scan is done only then).
    pub fn unannotated(&self) -> Result<Vec<ArticleSeq>> {
        self.missing(3, "annotations", "annotations")
    }

    /// Whether some stored articles may lack annotations: a store of an older format, or
    /// one migrated and not yet backfilled by an ingest.
    pub fn annotations_pending(&self) -> Result<bool> {
        Ok(self.format()? < 3
            || (self.meta_flag("annotations")? && self.last_seq()? > ArticleSeq(0)))
    }

    /// The sentences, entities and quotes stored for an article; `None` when it has none
    /// (a store of an older format, not yet backfilled).
    pub fn annotations(&self, seq: ArticleSeq) -> Result<Option<Annotations>> {
        if self.format()? < 3 {
            return Ok(None);
        }
        // The stored form leaves out the texts of spans; they are read from the article.
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT n.json, a.article, a.id FROM annotations n JOIN articles a ON a.seq = n.seq
                 WHERE n.seq = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([seq.0 as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
            })
            .map_err(|e| self.sql(e))?;
        let Some((json, article, id)) = row else { return Ok(None) };
        let damaged = |message: String| Error::Damaged {
            dir: self.dir.clone(),
            id: id.clone(),
            message: format!("annotations: {message}"),
        };
        let article: Article =
            serde_json::from_str(&article).map_err(|e| damaged(e.to_string()))?;
        codec::decode(&json, &article.paragraphs).map(Some).map_err(damaged)
    }

    /// The canonical names of an article's entities, in name order (what the search index
    /// holds for it).
    pub fn entity_names(&self, seq: ArticleSeq) -> Result<Vec<String>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM entities WHERE seq = ?1")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([seq.0 as i64], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// Sequence numbers of the articles that name an entity (its canonical name, in any
    /// case), ascending.
    pub fn seqs_with_entity(&self, name: &str) -> Result<Vec<ArticleSeq>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        // Names are few beside rows: match them in Rust (Unicode case), then read the rows
        // of the matching names through the index.
        let wanted = fold(name);
        let names =
            self.matching("SELECT DISTINCT name FROM entities", |candidate| *candidate == wanted)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT seq FROM entities WHERE name IN (SELECT value FROM json_each(?1)) ORDER BY seq",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([names], |r| r.get::<_, i64>(0).map(|n| ArticleSeq(n as u64)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// The values `distinct` (a query of one text column) returns whose case-folded form
    /// `keep` accepts, as a JSON array (for `json_each`).
    pub(crate) fn matching(
        &self,
        distinct: &str,
        keep: impl Fn(&String) -> bool,
    ) -> Result<String> {
        let mut stmt = self.conn.prepare_cached(distinct).map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        let mut names = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let name: Option<String> = row.get(0).map_err(|e| self.sql(e))?;
            if let Some(name) = name
                && keep(&fold(&name))
            {
                names.push(name);
            }
        }
        Ok(serde_json::Value::from(names).to_string())
    }

    /// The entities named across the store, those in the most articles first (then the
    /// most mentioned, then by name, then by kind: a name of two kinds is two entities).
    pub fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityCount>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, kind, count(DISTINCT seq) AS articles, sum(mentions) AS mentions
                 FROM entities WHERE ?1 IS NULL OR kind = ?1
                 GROUP BY name, kind ORDER BY articles DESC, mentions DESC, name, kind LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(String, String, i64, i64)> = stmt
            .query_map(
                params![
                    filter.kind.map(EntityKind::as_str),
                    filter.limit.min(i64::MAX as usize) as i64
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        rows.into_iter().map(|row| self.entity_count(row)).collect()
    }

    /// An entity count from its row (name, kind, articles, mentions); a kind this build
    /// does not know is damage, named.
    pub(crate) fn entity_count(
        &self,
        (name, kind, articles, mentions): (String, String, i64, i64),
    ) -> Result<EntityCount> {
        let kind = EntityKind::parse(&kind).ok_or_else(|| Error::Damaged {
            dir: self.dir.clone(),
            id: format!("entity {name:?}"),
            message: format!("unknown kind {kind:?}"),
        })?;
        Ok(EntityCount { name, kind, articles: articles as u64, mentions: mentions as u64 })
    }

    /// Stored quotes, those of the newest articles first (undated ones last), each
    /// article's in text order.
    pub fn quotes(&self, filter: &QuoteFilter<'_>) -> Result<Vec<StoredQuote>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let speakers = match filter.speaker {
            Some(speaker) => {
                let wanted = fold(speaker);
                let suffix = format!(" {wanted}");
                let names = self.matching(
                    "SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL",
                    |name| *name == wanted || name.ends_with(&suffix),
                )?;
                if names == "[]" {
                    return Ok(Vec::new());
                }
                Some(names)
            }
            None => None,
        };
        // Two statements rather than one with `?1 IS NULL OR …`, which would keep SQLite
        // from reading a speaker's quotes through the index.
        let clause = if speakers.is_some() {
            "WHERE q.speaker IN (SELECT value FROM json_each(?1))"
        } else {
            "WHERE ?1 IS NULL"
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT q.seq, q.speaker, q.text, q.cue, q.direct, q.paragraph, q.start, q.\"end\",
                        a.id, a.published, a.title, a.outlet
                 FROM quotes q JOIN articles a ON a.seq = q.seq
                 {clause}
                 ORDER BY a.published_ts IS NULL, a.published_ts DESC, q.seq DESC, q.n
                 LIMIT ?2"
            ))
            .map_err(|e| self.sql(e))?;
        type Row = (
            i64,
            Option<String>,
            String,
            Option<String>,
            bool,
            i64,
            i64,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = stmt
            .query_map(params![speakers, filter.limit.min(i64::MAX as usize) as i64], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        rows.into_iter()
            .map(
                |(
                    seq,
                    speaker,
                    text,
                    cue,
                    direct,
                    paragraph,
                    start,
                    end,
                    id,
                    published,
                    title,
                    outlet,
                )| {
                    let article_id = id.parse::<ArticleId>().map_err(|e| Error::Damaged {
                        dir: self.dir.clone(),
                        id: id.clone(),
                        message: e.to_string(),
                    })?;
                    Ok(StoredQuote {
                        quote: lede_core::Quote {
                            text,
                            speaker,
                            cue,
                            paragraph: paragraph as usize,
                            start: start as usize,
                            end: end as usize,
                            direct,
                        },
                        seq: ArticleSeq(seq as u64),
                        article_id,
                        published,
                        title,
                        outlet,
                    })
                },
            )
            .collect()
    }
}

/// A name as filters compare it: lower-cased (Unicode), runs of spaces as one.
pub(crate) fn fold(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Writes an article's annotations: the whole in the compact form of [`codec`] (spans
/// into `paragraphs`, the article's), its entities and quotes as rows. `replace` first
/// removes rows an earlier write left (a backfill run again). The caller keeps the reader's
/// summaries of the entity rows (`summaries.rs`), once for its batch.
pub(crate) fn write_annotations(
    tx: &rusqlite::Transaction<'_>,
    seq: ArticleSeq,
    a: &Annotations,
    paragraphs: &[String],
    replace: bool,
) -> rusqlite::Result<()> {
    let seq = seq.0 as i64;
    if replace {
        tx.prepare_cached("DELETE FROM entities WHERE seq = ?1")?.execute([seq])?;
        tx.prepare_cached("DELETE FROM quotes WHERE seq = ?1")?.execute([seq])?;
    }
    let json = codec::encode(a, paragraphs);
    tx.prepare_cached("INSERT OR REPLACE INTO annotations (seq, json) VALUES (?1, ?2)")?
        .execute(params![seq, json])?;
    let mut entity = tx.prepare_cached(
        "INSERT INTO entities (seq, name, kind, mentions) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for e in &a.entities {
        entity.execute(params![seq, e.name, e.kind.as_str(), e.mentions.len() as i64])?;
    }
    let mut quote = tx.prepare_cached(
        "INSERT INTO quotes (seq, n, speaker, text, cue, direct, paragraph, start, \"end\")
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (n, q) in a.quotes.iter().enumerate() {
        quote.execute(params![
            seq,
            n as i64,
            q.speaker,
            q.text,
            q.cue,
            q.direct,
            q.paragraph as i64,
            q.start as i64,
            q.end as i64,
        ])?;
    }
    Ok(())
}

impl StoreWriter {
    /// Stores the annotations of articles stored without them (a store migrated from an
    /// older format), in one transaction; those already there are replaced. Each comes
    /// with the article's paragraphs, which its spans point into.
    pub fn put_annotations(
        &mut self,
        annotations: &[(ArticleSeq, &[String], &Annotations)],
    ) -> Result<()> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        // The reader's summaries lose the old rows before they go and count the new ones
        // once they are in (`summaries.rs`).
        let seqs = summaries::seq_list(annotations.iter().map(|(seq, _, _)| *seq));
        let was_top = summaries::entities_removing(&tx, &seqs).map_err(sql)?;
        for (seq, paragraphs, a) in annotations {
            write_annotations(&tx, *seq, a, paragraphs, true).map_err(sql)?;
        }
        summaries::entities_added(&tx, &seqs).map_err(sql)?;
        summaries::settle_pairs(&tx, &seqs, &was_top).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Records that every stored article has its annotations (the backfill after a
    /// migration is done).
    pub fn annotations_complete(&self) -> Result<()> {
        self.backfill_done("annotations")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::{NewArticle, Put};
    use crate::schema::{self, FORMAT_VERSION};
    use crate::store::DB_FILE;
    use crate::testing::article;
    use lede_core::{Published, Timestamp};
    use rusqlite::Connection;

    fn annotations(
        names: &[(&str, EntityKind, usize)],
        quotes: &[(&str, Option<&str>)],
    ) -> Annotations {
        use lede_core::{Entity, Mention, Quote};
        Annotations {
            sentences: vec![lede_core::Sentence { paragraph: 0, start: 0, end: 5 }],
            entities: names
                .iter()
                .map(|&(name, kind, n)| Entity {
                    name: name.into(),
                    kind,
                    mentions: (0..n)
                        .map(|i| Mention { paragraph: 0, start: i, end: i + 1, text: "x".into() })
                        .collect(),
                })
                .collect(),
            quotes: quotes
                .iter()
                .enumerate()
                .map(|(i, &(text, speaker))| Quote {
                    text: text.into(),
                    speaker: speaker.map(str::to_owned),
                    cue: Some("said".into()),
                    paragraph: i,
                    start: 1,
                    end: 1 + text.len(),
                    direct: true,
                })
                .collect(),
        }
    }

    fn put_annotated(w: &mut StoreWriter, a: &Article, ann: &Annotations) -> Result<Vec<Put>> {
        let new = NewArticle {
            id: ArticleId::of(a),
            article: a,
            source_id: None,
            extra: None,
            origin: "test",
            fetched_at: &[],
            sketch: None,
            features: None,
            annotations: Some(ann),
        };
        w.put_batch(&[new])
    }

    fn dated(title: &str, date: &str) -> Article {
        let mut a = article(title, None);
        a.published = Some(Published { raw: date.into(), at: Timestamp::parse_iso(date).unwrap() });
        a
    }

    #[test]
    fn entities_and_quotes_are_stored_counted_and_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let (p, o, l) = (EntityKind::Person, EntityKind::Organization, EntityKind::Place);
        let first = annotations(
            &[("Rex Tillerson", p, 3), ("Russia", l, 2), ("NATO", o, 1)],
            &[("low level of trust", Some("Rex Tillerson")), ("no comment", None)],
        );
        let second = annotations(
            &[("Russia", l, 1), ("Donald Trump", p, 2)],
            &[("Are we insisting on it? No.", Some("Donald Trump"))],
        );
        let third = annotations(&[("Ivanka Trump", p, 1)], &[("Proud day", Some("Ivanka Trump"))]);
        put_annotated(&mut w, &dated("One", "2017-04-12"), &first).unwrap();
        put_annotated(&mut w, &dated("Two", "2017-04-13"), &second).unwrap();
        put_annotated(&mut w, &article("Three", None), &third).unwrap();
        let r = w.reader();
        assert_eq!(r.annotations(ArticleSeq(1)).unwrap().as_ref(), Some(&first));
        assert_eq!(r.annotations(ArticleSeq(99)).unwrap(), None);
        assert_eq!(r.entity_names(ArticleSeq(2)).unwrap(), ["Donald Trump", "Russia"]);
        assert_eq!(r.seqs_with_entity("russia").unwrap(), [ArticleSeq(1), ArticleSeq(2)]);
        assert_eq!(r.seqs_with_entity("RUSSIA ").unwrap(), [ArticleSeq(1), ArticleSeq(2)]);
        assert!(r.seqs_with_entity("Russ").unwrap().is_empty());

        let all = r.entities(&EntityFilter::default()).unwrap();
        assert_eq!(
            all[0],
            EntityCount { name: "Russia".into(), kind: l, articles: 2, mentions: 3 }
        );
        assert_eq!(all[1].name, "Rex Tillerson", "then the most mentioned");
        assert_eq!(all.len(), 5);
        let people = r.entities(&EntityFilter { kind: Some(p), limit: 2 }).unwrap();
        let names: Vec<&str> = people.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Rex Tillerson", "Donald Trump"]);

        let quotes = r.quotes(&QuoteFilter::default()).unwrap();
        let texts: Vec<&str> = quotes.iter().map(|q| q.quote.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Proud day", "Are we insisting on it? No.", "low level of trust", "no comment"],
            "newest first (2019, then April 2017), each article's in text order"
        );
        assert_eq!(quotes[1].seq, ArticleSeq(2));
        assert_eq!(quotes[1].published.as_deref(), Some("2017-04-13"));
        assert_eq!(quotes[1].title.as_deref(), Some("Two"));
        assert_eq!(quotes[1].article_id, ArticleId::of(&dated("Two", "2017-04-13")));
        assert_eq!(quotes[3].quote, first.quotes[1]);
        let by = |speaker: &str| -> Vec<String> {
            r.quotes(&QuoteFilter { speaker: Some(speaker), limit: 10 })
                .unwrap()
                .into_iter()
                .map(|q| q.quote.speaker.unwrap_or_default())
                .collect()
        };
        assert_eq!(by("Tillerson"), ["Rex Tillerson"]);
        assert_eq!(by("rex  tillerson"), ["Rex Tillerson"]);
        assert_eq!(by("trump"), ["Ivanka Trump", "Donald Trump"]);
        assert_eq!(by("Donald"), Vec::<String>::new(), "a first name alone is not a match");
        assert_eq!(by("ump"), Vec::<String>::new(), "whole words only");
        assert_eq!(r.quotes(&QuoteFilter { speaker: None, limit: 1 }).unwrap().len(), 1);

        let stats = r.stats().unwrap();
        assert_eq!((stats.annotated, stats.entities, stats.quotes), (3, 5, 4));
    }

    #[test]
    fn a_reader_keeps_speakers_and_word_frequencies_until_the_store_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let p = EntityKind::Person;
        let first = annotations(&[("Donald Trump", p, 1)], &[("Yes.", Some("Donald Trump"))]);
        put_annotated(&mut w, &dated("One", "2017-04-12"), &first).unwrap();
        let df = |w: &StoreWriter, bytes: &[u8]| {
            w.store
                .conn
                .execute(
                    "INSERT OR REPLACE INTO cluster_state (key, value) VALUES ('doc_freq:en', ?1)",
                    [bytes],
                )
                .unwrap();
        };
        df(&w, b"one");
        let r = Store::open(dir.path()).unwrap();
        assert_eq!(r.speakers_named("trump").unwrap(), ["Donald Trump"]);
        assert_eq!(r.doc_freq("en").unwrap().as_deref(), Some(&b"one"[..]));
        let (_, cached) = r.read_cache().unwrap().unwrap();
        assert!(cached.speakers.is_some() && cached.doc_freq.contains_key("doc_freq:en"));
        drop(cached);
        assert_eq!(r.speakers_named("trump").unwrap(), ["Donald Trump"], "from the cache");
        // Another connection writes: the reader reads again.
        let second = annotations(&[("Ivanka Trump", p, 1)], &[("Proud day", Some("Ivanka Trump"))]);
        put_annotated(&mut w, &dated("Two", "2017-04-13"), &second).unwrap();
        assert_eq!(r.speakers_named("trump").unwrap(), ["Donald Trump", "Ivanka Trump"]);
        df(&w, b"two");
        assert_eq!(r.doc_freq("en").unwrap().as_deref(), Some(&b"two"[..]));
        // The writer's own view keeps nothing (its commits leave its data_version alone).
        assert!(w.reader().read_cache().unwrap().is_none());
        assert_eq!(w.reader().doc_freq("en").unwrap().as_deref(), Some(&b"two"[..]));
        df(&w, b"three");
        assert_eq!(w.reader().doc_freq("en").unwrap().as_deref(), Some(&b"three"[..]));
    }

    #[test]
    fn a_warmed_reader_holds_the_speakers_and_every_language_s_word_frequencies() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let p = EntityKind::Person;
        let first = annotations(&[("Donald Trump", p, 1)], &[("Yes.", Some("Donald Trump"))]);
        put_annotated(&mut w, &dated("One", "2017-04-12"), &first).unwrap();
        for (key, value) in [("doc_freq:en", "EN"), ("doc_freq:de", "DE")] {
            w.store
                .conn
                .execute(
                    "INSERT OR REPLACE INTO cluster_state (key, value) VALUES (?1, ?2)",
                    params![key, value.as_bytes()],
                )
                .unwrap();
        }
        let r = Store::open(dir.path()).unwrap();
        assert!(r.read_cache().unwrap().unwrap().1.speakers.is_none(), "nothing read yet");
        r.warm().unwrap();
        let (_, cached) = r.read_cache().unwrap().unwrap();
        let speakers = cached.speakers.as_deref().expect("the speakers were read");
        assert_eq!(speakers, &[("Donald Trump".to_owned(), "donald trump".to_owned())]);
        let mut languages: Vec<_> = cached.doc_freq.keys().cloned().collect();
        languages.sort();
        assert_eq!(languages, ["doc_freq:de", "doc_freq:en"]);
        drop(cached);
        // The tables the pages look up are read through (they are all there to read).
        r.read_through().unwrap();
        // A writer's view has no cache to fill; warming it reads nothing and fails nothing.
        w.reader().warm().unwrap();
        assert!(w.reader().read_cache().unwrap().is_none());
    }

    #[test]
    fn a_failed_batch_leaves_no_partial_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        // A trigger makes the second article's quote fail, after the first was written.
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON quotes WHEN NEW.text = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        )
        .unwrap();
        drop(conn);
        let (a, b) = (article("A", None), article("B", None));
        let good = annotations(&[("Russia", EntityKind::Place, 1)], &[("fine", None)]);
        let bad = annotations(&[("NATO", EntityKind::Organization, 1)], &[("boom", None)]);
        let batch = [
            NewArticle {
                id: ArticleId::of(&a),
                article: &a,
                source_id: Some("a"),
                extra: None,
                origin: "f:1",
                fetched_at: &[],
                sketch: Some(b"s"),
                features: None,
                annotations: Some(&good),
            },
            NewArticle {
                id: ArticleId::of(&b),
                article: &b,
                source_id: None,
                extra: None,
                origin: "f:2",
                fetched_at: &[],
                sketch: None,
                features: None,
                annotations: Some(&bad),
            },
        ];
        assert!(matches!(w.put_batch(&batch), Err(Error::Sqlite { .. })));
        let rows = |w: &StoreWriter, table: &str| -> i64 {
            w.reader()
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        for table in ["articles", "aliases", "sketches", "annotations", "entities", "quotes"] {
            assert_eq!(rows(&w, table), 0, "{table}");
        }
        // A backfill is one transaction too.
        w.put_batch(&batch[..1]).unwrap();
        assert!(w.put_annotations(&[(ArticleSeq(1), &a.paragraphs, &bad)]).is_err());
        assert_eq!(
            w.reader().annotations(ArticleSeq(1)).unwrap(),
            Some(good.clone()),
            "the old ones stay"
        );
        assert_eq!((rows(&w, "entities"), rows(&w, "quotes")), (1, 1));
    }

    #[test]
    fn a_store_of_format_2_is_migrated_and_backfilled() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        schema::create_old(&conn, 2).unwrap();
        let a = article("Old", None);
        conn.execute(
            "INSERT INTO articles (id, origin, article) VALUES (?1, 'old', ?2)",
            params![ArticleId::of(&a).to_string(), serde_json::to_string(&a).unwrap()],
        )
        .unwrap();
        drop(conn);
        // Read as it is: nothing to show, no error.
        let old = Store::open(dir.path()).unwrap();
        assert_eq!(old.format().unwrap(), 2);
        assert_eq!(old.annotations(ArticleSeq(1)).unwrap(), None);
        assert!(old.quotes(&QuoteFilter::default()).unwrap().is_empty());
        assert!(old.entities(&EntityFilter::default()).unwrap().is_empty());
        assert_eq!(old.unannotated().unwrap(), [ArticleSeq(1)]);
        assert!(old.annotations_pending().unwrap());
        assert_eq!(old.stats().unwrap().quotes, 0);
        drop(old);

        let mut w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!(w.reader().format().unwrap(), FORMAT_VERSION);
        assert_eq!(w.reader().unannotated().unwrap(), [ArticleSeq(1)]);
        let ann = annotations(&[("Russia", EntityKind::Place, 2)], &[("hello", None)]);
        w.put_annotations(&[(ArticleSeq(1), &a.paragraphs, &ann)]).unwrap();
        w.put_annotations(&[(ArticleSeq(1), &a.paragraphs, &ann)]).unwrap();
        assert_eq!(w.reader().stats().unwrap().quotes, 1, "a backfill run again replaces");
        assert!(w.reader().annotations_pending().unwrap());
        w.annotations_complete().unwrap();
        assert!(!w.reader().annotations_pending().unwrap());
        assert!(w.reader().unannotated().unwrap().is_empty());
        assert_eq!(w.reader().annotations(ArticleSeq(1)).unwrap(), Some(ann));
        // A new store has nothing to backfill once its first ingest said so.
        let dir = tempfile::tempdir().unwrap();
        let w = StoreWriter::open(dir.path()).unwrap();
        assert!(w.reader().unannotated().unwrap().is_empty());
        assert!(!w.reader().annotations_pending().unwrap(), "nothing stored, nothing pending");
    }
}
