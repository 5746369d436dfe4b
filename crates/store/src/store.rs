//! Reading and writing the store.

use crate::codec;
use crate::error::{Error, Result};
use crate::schema::{self, FORMAT_VERSION, MIGRATIONS};
use lede_core::{Annotations, Article, ArticleId, EntityKind};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

const DB_FILE: &str = "lede.sqlite";
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
    pub seq: u64,
    /// The article's id.
    pub article_id: ArticleId,
    /// The article's publication date (ISO 8601), if known.
    pub published: Option<String>,
    /// The article's headline.
    pub title: Option<String>,
    /// The article's outlet.
    pub outlet: Option<String>,
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

    /// Sequence numbers of stored articles without annotations, ascending. Only a store
    /// migrated from an older format and not yet backfilled has any (like
    /// [`Store::unsketched`], the scan is done only then).
    pub fn unannotated(&self) -> Result<Vec<u64>> {
        self.missing(3, "annotations", "annotations")
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

    /// Whether some stored articles may lack annotations: a store of an older format, or
    /// one migrated and not yet backfilled by an ingest.
    pub fn annotations_pending(&self) -> Result<bool> {
        Ok(self.format()? < 3 || (self.meta_flag("annotations")? && self.last_seq()? > 0))
    }

    /// Whether `lede_meta` holds `key` (a backfill still to do).
    fn meta_flag(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM lede_meta WHERE key = ?1", [key], |_| Ok(()))
            .optional()
            .map(|row| row.is_some())
            .map_err(|e| self.sql(e))
    }

    /// The sentences, entities and quotes stored for an article; `None` when it has none
    /// (a store of an older format, not yet backfilled).
    pub fn annotations(&self, seq: u64) -> Result<Option<Annotations>> {
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
                stmt.query_row([seq as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
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
    pub fn entity_names(&self, seq: u64) -> Result<Vec<String>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM entities WHERE seq = ?1")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([seq as i64], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// Sequence numbers of the articles that name an entity (its canonical name, in any
    /// case), ascending.
    pub fn seqs_with_entity(&self, name: &str) -> Result<Vec<u64>> {
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
        stmt.query_map([names], |r| r.get::<_, i64>(0).map(|n| n as u64))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// The values `distinct` (a query of one text column) returns whose case-folded form
    /// `keep` accepts, as a JSON array (for `json_each`).
    fn matching(&self, distinct: &str, keep: impl Fn(&String) -> bool) -> Result<String> {
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
    /// most mentioned, then by name).
    pub fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityCount>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, kind, count(DISTINCT seq) AS articles, sum(mentions) AS mentions
                 FROM entities WHERE ?1 IS NULL OR kind = ?1
                 GROUP BY name, kind ORDER BY articles DESC, mentions DESC, name LIMIT ?2",
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
        rows.into_iter()
            .map(|(name, kind, articles, mentions)| {
                let kind = EntityKind::parse(&kind).ok_or_else(|| Error::Damaged {
                    dir: self.dir.clone(),
                    id: format!("entity {name:?}"),
                    message: format!("unknown kind {kind:?}"),
                })?;
                Ok(EntityCount { name, kind, articles: articles as u64, mentions: mentions as u64 })
            })
            .collect()
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
                        seq: seq as u64,
                        article_id,
                        published,
                        title,
                        outlet,
                    })
                },
            )
            .collect()
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

/// A name as filters compare it: lower-cased (Unicode), runs of spaces as one.
fn fold(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Writes an article's annotations: the whole in the compact form of [`codec`] (spans
/// into `paragraphs`, the article's), its entities and quotes as rows. `replace` first
/// removes rows an earlier write left (a backfill run again).
fn write_annotations(
    tx: &rusqlite::Transaction<'_>,
    seq: u64,
    a: &Annotations,
    paragraphs: &[String],
    replace: bool,
) -> rusqlite::Result<()> {
    let seq = seq as i64;
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

    /// Stores the annotations of articles stored without them (a store migrated from an
    /// older format), in one transaction; those already there are replaced. Each comes
    /// with the article's paragraphs, which its spans point into.
    pub fn put_annotations(
        &mut self,
        annotations: &[(u64, &[String], &Annotations)],
    ) -> Result<()> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        for (seq, paragraphs, a) in annotations {
            write_annotations(&tx, *seq, a, paragraphs, true).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Records that every stored article has its annotations (the backfill after a
    /// migration is done).
    pub fn annotations_complete(&self) -> Result<()> {
        self.backfill_done("annotations")
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
    use lede_core::{Published, Timestamp};

    fn article(title: &str, url: Option<&str>) -> Article {
        Article {
            title: Some(title.into()),
            url: url.map(str::to_owned),
            outlet: Some("Daily Example".into()),
            language: Some("en".into()),
            published: Some(Published {
                raw: "2019-01-02".into(),
                at: Timestamp::parse_iso("2019-01-02").unwrap(),
            }),
            paragraphs: vec![format!("Body of {title}.")],
            ..Article::default()
        }
    }

    fn put(w: &mut StoreWriter, a: &Article, source_id: Option<&str>) -> Put {
        let new = NewArticle {
            id: ArticleId::of(a),
            article: a,
            source_id,
            extra: None,
            origin: "test",
            sketch: Some(b"sketch"),
            annotations: None,
            features: None,
        };
        w.put_batch(&[new]).unwrap()[0]
    }

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
        assert_eq!(r.annotations(1).unwrap().as_ref(), Some(&first));
        assert_eq!(r.annotations(99).unwrap(), None);
        assert_eq!(r.entity_names(2).unwrap(), ["Donald Trump", "Russia"]);
        assert_eq!(r.seqs_with_entity("russia").unwrap(), [1, 2]);
        assert_eq!(r.seqs_with_entity("RUSSIA ").unwrap(), [1, 2]);
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
        assert_eq!(quotes[1].seq, 2);
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
        assert!(w.put_annotations(&[(1, &a.paragraphs, &bad)]).is_err());
        assert_eq!(w.reader().annotations(1).unwrap(), Some(good.clone()), "the old ones stay");
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
        assert_eq!(old.annotations(1).unwrap(), None);
        assert!(old.quotes(&QuoteFilter::default()).unwrap().is_empty());
        assert!(old.entities(&EntityFilter::default()).unwrap().is_empty());
        assert_eq!(old.unannotated().unwrap(), [1]);
        assert!(old.annotations_pending().unwrap());
        assert_eq!(old.stats().unwrap().quotes, 0);
        drop(old);

        let mut w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!(w.reader().format().unwrap(), FORMAT_VERSION);
        assert_eq!(w.reader().unannotated().unwrap(), [1]);
        let ann = annotations(&[("Russia", EntityKind::Place, 2)], &[("hello", None)]);
        w.put_annotations(&[(1, &a.paragraphs, &ann)]).unwrap();
        w.put_annotations(&[(1, &a.paragraphs, &ann)]).unwrap();
        assert_eq!(w.reader().stats().unwrap().quotes, 1, "a backfill run again replaces");
        assert!(w.reader().annotations_pending().unwrap());
        w.annotations_complete().unwrap();
        assert!(!w.reader().annotations_pending().unwrap());
        assert!(w.reader().unannotated().unwrap().is_empty());
        assert_eq!(w.reader().annotations(1).unwrap(), Some(ann));
        // A new store has nothing to backfill once its first ingest said so.
        let dir = tempfile::tempdir().unwrap();
        let w = StoreWriter::open(dir.path()).unwrap();
        assert!(w.reader().unannotated().unwrap().is_empty());
        assert!(!w.reader().annotations_pending().unwrap(), "nothing stored, nothing pending");
    }
}
