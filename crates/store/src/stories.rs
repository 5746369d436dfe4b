//! Stories in the store: what clustering reads (features, stories of a time range,
//! document frequencies), what it writes (one transaction per pass), and what `lede
//! stories` and `lede story` list.
//!
//! The store keeps clustering's state as bytes; `lede-cluster` reads and writes them.

use crate::annotations::EntityCount;
use crate::error::{Error, Result};
use crate::store::{ArticleBlob, Store, StoreWriter};
use crate::summaries;
use lede_core::{ArticleId, ArticleSeq, StoryId};
use rusqlite::{OptionalExtension, params};

/// An article waiting to be clustered.
#[derive(Debug, Clone, PartialEq)]
pub struct Unclustered {
    /// Its sequence number.
    pub seq: ArticleSeq,
    /// Its id.
    pub id: ArticleId,
    /// Its date (Unix seconds).
    pub published_ts: Option<i64>,
    /// Its language as stored (its stories' partition is [`lede_core::story_language`]).
    pub language: Option<String>,
    /// Its stored features, if it has them.
    pub features: Option<Vec<u8>>,
}

/// A story's row: its span, size, label and clustering state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// Its id.
    pub id: StoryId,
    /// First and last member's date (Unix seconds).
    pub first_ts: Option<i64>,
    /// See `first_ts`.
    pub last_ts: Option<i64>,
    /// Members.
    pub size: u64,
    /// The member whose headline labels it (`None`: the earliest member).
    pub label_seq: Option<ArticleSeq>,
    /// Clustering's state (`lede_cluster::Story::state_bytes`).
    pub state: Vec<u8>,
    /// Its language ([`lede_core::story_language`]: `und` when its articles told none),
    /// that of all its articles: stories are clustered per language.
    pub language: String,
}

/// What one clustering pass changed, written in one transaction.
#[derive(Debug, Clone, Copy)]
pub struct StoryUpdate<'a> {
    /// Where each article of the pass went.
    pub assignments: &'a [Membership],
    /// The stories the pass created or changed.
    pub stories: &'a [StoryRow],
    /// (old id, id): stories merged into another.
    pub merged: &'a [(StoryId, StoryId)],
    /// The document frequencies of each language the pass clustered, after it
    /// (`lede_cluster::DocFreq::to_bytes`), by [`lede_core::story_language`].
    pub doc_freqs: &'a [(String, Vec<u8>)],
}

/// A member of a story with its stored clustering features.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberFeatures {
    /// The story.
    pub story: StoryId,
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its stored features (`lede_cluster::StoryFeatures::to_bytes`), if it has them.
    pub features: Option<Vec<u8>>,
}

/// A piece of an article's text (its headline, its lead), by sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// The text, `None` when the article has none (a record without a headline).
    pub text: Option<String>,
}

/// Where one article of a pass went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Membership {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its story.
    pub story: StoryId,
    /// How well it fits there (lede-cluster's score).
    pub score: f32,
}

/// A story that names some of the names asked for ([`Store::stories_naming`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingStory {
    /// The story.
    pub story: StoryId,
    /// The names asked for that its articles name.
    pub names: Vec<String>,
    /// Its language ([`lede_core::story_language`]; `und` when its articles told none).
    pub language: String,
}

/// The names [`Store::stories_naming`] looks up: in byte order, each once, the first
/// [`NAMES_LOOKED_UP`].
pub fn names_asked(names: &[String]) -> Vec<&str> {
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    names.truncate(NAMES_LOOKED_UP);
    names
}

/// Names [`Store::stories_naming`] looks up at most (a bit each; callers ask 6 to 8).
pub const NAMES_LOOKED_UP: usize = 64;

/// An article's stored story features.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFeatures {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its features (`lede_cluster::StoryFeatures::to_bytes`).
    pub features: Vec<u8>,
}

/// A direct quote of a story, as its articles give it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryQuoteRow {
    /// The words quoted.
    pub text: String,
    /// Who said them.
    pub speaker: String,
    /// The first article (by id) giving them.
    pub article_id: String,
    /// Articles of the story giving them.
    pub articles: u64,
    /// Distinct outlets among those articles (an article without an outlet counts as one).
    pub outlets: u64,
}

/// Which stories [`Store::stories`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFilter {
    /// Only stories with an article dated at or after this (Unix seconds).
    pub since: Option<i64>,
    /// Only stories with at least this many articles.
    pub min_size: u64,
    /// How many stories at most (newest first).
    pub limit: usize,
}

impl Default for StoryFilter {
    fn default() -> StoryFilter {
        StoryFilter { since: None, min_size: 1, limit: usize::MAX }
    }
}

/// One article of a story.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoryArticle {
    /// Its id.
    pub id: String,
    /// The id its input record carried.
    pub source_id: Option<String>,
    /// Its headline, if it has one; else `None`, and the reader may label it from `lead`.
    pub title: Option<String>,
    /// The first 300 characters of its first paragraph, when it has no headline.
    #[serde(skip)]
    pub lead: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its date (ISO 8601).
    pub published: Option<String>,
    /// How well it fits the story.
    pub score: f32,
    #[serde(skip)]
    pub(crate) seq: ArticleSeq,
    #[serde(skip)]
    pub(crate) ts: Option<i64>,
}

/// The columns of an article (`articles a`) that [`listed_article`] reads before its score.
pub(crate) const LISTED_COLUMNS: &str = "a.seq, a.id, a.source_id, a.title,
     CASE WHEN a.title IS NULL
          THEN substr(json_extract(a.article, '$.paragraphs[0]'), 1, 300) END,
     a.outlet, a.published, a.published_ts";

/// [`LISTED_COLUMNS`] with no lead (NULL in its place): no article's text is read.
const UNLED_COLUMNS: &str =
    "a.seq, a.id, a.source_id, a.title, NULL, a.outlet, a.published, a.published_ts";

/// A listed article from a row of `seq, id, source_id, title, lead, outlet, published,
/// published_ts, score` ([`LISTED_COLUMNS`] and a score).
pub(crate) fn listed_article(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoryArticle> {
    listed_article_at(r, 0)
}

/// [`listed_article`] from column `at` on.
pub(crate) fn listed_article_at(
    r: &rusqlite::Row<'_>,
    at: usize,
) -> rusqlite::Result<StoryArticle> {
    Ok(StoryArticle {
        seq: ArticleSeq(r.get::<_, i64>(at)? as u64),
        id: r.get(at + 1)?,
        source_id: r.get(at + 2)?,
        title: r.get(at + 3)?,
        lead: r.get(at + 4)?,
        outlet: r.get(at + 5)?,
        published: r.get(at + 6)?,
        ts: r.get(at + 7)?,
        score: r.get::<_, f64>(at + 8)? as f32,
    })
}

impl StoryArticle {
    /// A story's article as another backend reads it (cluster mode's PostgreSQL store):
    /// its sequence number, its date (Unix seconds, which [`StorySummary::span`] orders
    /// by), its id and its score; the other fields start empty, for the caller to fill.
    pub fn new(seq: ArticleSeq, ts: Option<i64>, id: String, score: f32) -> StoryArticle {
        StoryArticle {
            id,
            source_id: None,
            title: None,
            lead: None,
            outlet: None,
            published: None,
            score,
            seq,
            ts,
        }
    }

    /// Its sequence number.
    pub fn seq(&self) -> ArticleSeq {
        self.seq
    }
}

/// A story as listed: label, size, outlets, span, and its articles oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct StorySummary {
    /// Its id.
    pub id: StoryId,
    /// The member that labels it, as clustering chose (`lede_cluster::label`), if any.
    pub label_seq: Option<ArticleSeq>,
    /// Its articles, oldest first (undated last).
    pub articles: Vec<StoryArticle>,
}

impl StorySummary {
    /// Distinct outlets, most articles first.
    pub fn outlets(&self) -> Vec<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for a in &self.articles {
            if let Some(o) = &a.outlet {
                match counts.iter_mut().find(|(name, _)| name == o) {
                    Some(c) => c.1 += 1,
                    None => counts.push((o.clone(), 1)),
                }
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts.into_iter().map(|(o, _)| o).collect()
    }

    /// The first and last date of its articles.
    pub fn span(&self) -> (Option<&str>, Option<&str>) {
        let dated = self.articles.iter().filter(|a| a.ts.is_some());
        let first = dated.clone().min_by_key(|a| a.ts).and_then(|a| a.published.as_deref());
        let last = dated.max_by_key(|a| a.ts).and_then(|a| a.published.as_deref());
        (first, last)
    }
}

impl Store {
    /// Sequence numbers of stored articles without story features, ascending: only a
    /// store migrated from format 3 or older, not yet backfilled, has any.
    pub fn unfeatured(&self) -> Result<Vec<ArticleSeq>> {
        self.missing(4, "story_features", "story_features")
    }

    /// The highest sequence number that clustering has seen (0: none).
    pub fn clustered_through(&self) -> Result<ArticleSeq> {
        if self.format()? < 4 {
            return Ok(ArticleSeq(0));
        }
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM story_members", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        Ok(ArticleSeq(seq.unwrap_or(0) as u64))
    }

    /// Up to `limit` articles after `through`, by sequence number, with their features.
    pub fn unclustered(&self, through: ArticleSeq, limit: usize) -> Result<Vec<Unclustered>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.seq, a.id, a.published_ts, f.features, a.language
                 FROM articles a LEFT JOIN story_features f ON f.seq = a.seq
                 WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![through.0 as i64, limit.min(i64::MAX as usize) as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<Vec<u8>>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.sql(e))?;
        rows.into_iter()
            .map(|(seq, id, published_ts, features, language)| {
                let id = id.parse::<ArticleId>().map_err(|e| Error::Damaged {
                    dir: self.dir.clone(),
                    id: id.clone(),
                    message: e.to_string(),
                })?;
                Ok(Unclustered {
                    seq: ArticleSeq(seq as u64),
                    id,
                    published_ts,
                    language,
                    features,
                })
            })
            .collect()
    }

    /// The stories of `language` ([`lede_core::story_language`]) whose last article is
    /// dated within `[from, to]`, or the undated ones for `None`.
    pub fn story_rows(&self, language: &str, range: Option<(i64, i64)>) -> Result<Vec<StoryRow>> {
        let columns = self.story_columns()?;
        // Format 10 keeps each story's language, indexed; before, its label's is read for
        // each story in range and told apart below.
        let stored = self.format()? >= 10;
        let (when, mut args): (&str, Vec<rusqlite::types::Value>) = match range {
            Some((from, to)) => ("s.last_ts BETWEEN ?1 AND ?2", vec![from.into(), to.into()]),
            None => ("s.last_ts IS NULL", vec![]),
        };
        let sql = if stored {
            args.push(language.to_owned().into());
            format!("SELECT {columns} FROM stories s WHERE {when} AND s.language = ?{}", args.len())
        } else {
            format!("SELECT {columns} FROM stories s WHERE {when}")
        };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let rows: Vec<StoryRow> = stmt
            .query_map(rusqlite::params_from_iter(args), story_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        Ok(rows.into_iter().filter(|row| row.language == language).collect())
    }

    /// One story's row (an alias resolves to the story it is).
    pub fn story_row(&self, id: StoryId) -> Result<Option<StoryRow>> {
        let Some(id) = self.resolve_story(id)? else { return Ok(None) };
        let columns = self.story_columns()?;
        self.conn
            .prepare_cached(&format!("SELECT {columns} FROM stories s WHERE s.id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.0 as i64], story_row).optional())
            .map_err(|e| self.sql(e))
    }

    /// [`crate::ReadBackend::story_rows_of`]: the rows of those of `ids` that are stories,
    /// in the order given, in one statement.
    pub fn story_rows_of(&self, ids: &[StoryId]) -> Result<Vec<StoryRow>> {
        if ids.is_empty() || self.format()? < 4 {
            return Ok(Vec::new());
        }
        let columns = self.story_columns()?;
        let list: Vec<u64> = ids.iter().map(|id| id.0).collect();
        let list = serde_json::to_string(&list).expect("numbers serialise");
        self.conn
            .prepare_cached(&format!(
                "SELECT {columns} FROM json_each(?1) j CROSS JOIN stories s ON s.id = j.value
                 ORDER BY j.key"
            ))
            .and_then(|mut stmt| stmt.query_map([list], story_row).and_then(|rows| rows.collect()))
            .map_err(|e| self.sql(e))
    }

    /// The columns of `stories s` that [`story_row`] reads, in its order: the language is
    /// the stored one from format 10, its labelling article's before (told apart by
    /// [`story_row`]).
    fn story_columns(&self) -> Result<&'static str> {
        Ok(if self.format()? >= 10 {
            "s.id, s.first_ts, s.last_ts, s.size, s.label_seq, s.state, s.language"
        } else {
            "s.id, s.first_ts, s.last_ts, s.size, s.label_seq, s.state,
             (SELECT a.language FROM articles a WHERE a.seq = s.label_seq)"
        })
    }

    /// The stored document frequencies of `language`'s stories, if clustering has run:
    /// `doc_freq:<language>`, else (a store clustered before stories were per language)
    /// the store-wide `doc_freq` that every language's articles were counted in.
    pub fn doc_freq(&self, language: &str) -> Result<Option<Vec<u8>>> {
        if self.format()? < 4 {
            return Ok(None);
        }
        let key = format!("doc_freq:{language}");
        self.cached(
            |kept| kept.doc_freq.get(&key),
            || {
                self.conn
                    .query_row(
                        "SELECT value FROM cluster_state WHERE key IN (?1, 'doc_freq')
                         ORDER BY key = 'doc_freq' LIMIT 1",
                        [&key],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(|e| self.sql(e))
            },
            |kept, value| {
                kept.doc_freq.insert(key.clone(), value);
            },
        )
    }

    /// The languages whose stories have been clustered since stories were per language
    /// (those with document frequencies of their own), in order.
    pub fn story_languages(&self) -> Result<Vec<String>> {
        if self.format()? < 4 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT substr(key, 10) FROM cluster_state WHERE key LIKE 'doc\\_freq:%' ESCAPE '\\'
                 ORDER BY key",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(|e| self.sql(e))
    }

    /// The stored document frequencies of story `id`'s language (that of the article
    /// labelling it), if clustering has run.
    pub fn story_doc_freq(&self, id: StoryId) -> Result<Option<Vec<u8>>> {
        if self.format()? < 4 {
            return Ok(None);
        }
        let language: Option<String> = self
            .conn
            .query_row(
                "SELECT a.language FROM stories s JOIN articles a ON a.seq = s.label_seq
                 WHERE s.id = ?1",
                [id.0 as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .flatten();
        self.doc_freq(&lede_core::story_language(language.as_deref()))
    }

    /// The id the next new story gets.
    pub fn next_story_id(&self) -> Result<StoryId> {
        if self.format()? < 4 {
            return Ok(StoryId(1));
        }
        let max: i64 = self
            .conn
            .query_row(
                "SELECT max(coalesce((SELECT max(id) FROM stories), 0),
                            coalesce((SELECT max(old) FROM story_aliases), 0))",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        Ok(StoryId(max as u64 + 1))
    }

    /// The story an id is now (itself, or the story it was merged into); `None` if there is
    /// no such story.
    pub fn resolve_story(&self, id: StoryId) -> Result<Option<StoryId>> {
        if self.format()? < 4 {
            return Ok(None);
        }
        let alias: Option<i64> = self
            .conn
            .query_row("SELECT id FROM story_aliases WHERE old = ?1", [id.0 as i64], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))?;
        let id = alias.map_or(id, |a| StoryId(a as u64));
        let exists = self
            .conn
            .query_row("SELECT 1 FROM stories WHERE id = ?1", [id.0 as i64], |_| Ok(()))
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(exists.map(|()| id))
    }

    /// The story of an article.
    pub fn story_of(&self, seq: ArticleSeq) -> Result<Option<StoryId>> {
        if self.format()? < 4 {
            return Ok(None);
        }
        self.conn
            .query_row("SELECT story FROM story_members WHERE seq = ?1", [seq.0 as i64], |r| {
                r.get::<_, i64>(0).map(|n| StoryId(n as u64))
            })
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Stories, newest first (by their last article; undated last), then the largest.
    pub fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        if self.format()? < 4 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id FROM stories
                 WHERE size >= ?1 AND (?2 IS NULL OR last_ts >= ?2)
                 ORDER BY last_ts IS NULL, last_ts DESC, size DESC, id
                 LIMIT ?3",
            )
            .map_err(|e| self.sql(e))?;
        let ids: Vec<i64> = stmt
            .query_map(
                params![
                    filter.min_size as i64,
                    filter.since,
                    filter.limit.min(i64::MAX as usize) as i64
                ],
                |r| r.get(0),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        ids.into_iter().map(|id| self.summary(StoryId(id as u64))).collect()
    }

    /// A story with its articles (an alias resolves to the story it is).
    pub fn story(&self, id: StoryId) -> Result<Option<StorySummary>> {
        match self.resolve_story(id)? {
            Some(id) => self.summary(id).map(Some),
            None => Ok(None),
        }
    }

    /// [`Store::story`] with no member's lead read (every `lead` is `None`).
    pub fn story_unled(&self, id: StoryId) -> Result<Option<StorySummary>> {
        match self.resolve_story(id)? {
            Some(id) => self.summary_with(id, UNLED_COLUMNS).map(Some),
            None => Ok(None),
        }
    }

    fn summary(&self, id: StoryId) -> Result<StorySummary> {
        self.summary_with(id, LISTED_COLUMNS)
    }

    /// A story's summary, its members read as `columns` ([`LISTED_COLUMNS`] or
    /// [`UNLED_COLUMNS`]) say.
    fn summary_with(&self, id: StoryId, columns: &str) -> Result<StorySummary> {
        let label_seq: Option<i64> = self
            .conn
            .query_row("SELECT label_seq FROM stories WHERE id = ?1", [id.0 as i64], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {columns}, m.score
                 FROM story_members m JOIN articles a ON a.seq = m.seq
                 WHERE m.story = ?1
                 ORDER BY a.published_ts IS NULL, a.published_ts, a.seq"
            ))
            .map_err(|e| self.sql(e))?;
        let articles: Vec<StoryArticle> = stmt
            .query_map([id.0 as i64], listed_article)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        Ok(StorySummary { id, label_seq: label_seq.map(|l| ArticleSeq(l as u64)), articles })
    }

    /// The features of every member of `stories`.
    pub fn member_features(&self, stories: &[StoryId]) -> Result<Vec<MemberFeatures>> {
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(stories).expect("numbers serialise");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT m.story, m.seq, f.features
                 FROM story_members m LEFT JOIN story_features f ON f.seq = m.seq
                 WHERE m.story IN (SELECT value FROM json_each(?1))",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([ids], |r| {
            Ok(MemberFeatures {
                story: StoryId(r.get::<_, i64>(0)? as u64),
                seq: ArticleSeq(r.get::<_, i64>(1)? as u64),
                features: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The stored features of those of `seqs` that have them (any story, or none yet).
    pub fn features_of(&self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleFeatures>> {
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(seqs).expect("numbers serialise");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.seq, f.features FROM story_features f
                 WHERE f.seq IN (SELECT value FROM json_each(?1))",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([ids], |r| {
            Ok(ArticleFeatures { seq: ArticleSeq(r.get::<_, i64>(0)? as u64), features: r.get(1)? })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The headlines of those of `seqs` that are stored.
    pub fn titles(&self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>> {
        self.by_seq_list(seqs, "SELECT seq, title FROM articles")
    }

    /// The first 300 characters of the first paragraph of those of `seqs` that are
    /// stored. It reads each article's JSON: ask for few.
    pub fn leads(&self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>> {
        self.by_seq_list(
            seqs,
            "SELECT seq, substr(json_extract(article, '$.paragraphs[0]'), 1, 300) FROM articles",
        )
    }

    fn by_seq_list(&self, seqs: &[ArticleSeq], select: &str) -> Result<Vec<ArticleText>> {
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(seqs).expect("numbers serialise");
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{select} WHERE seq IN (SELECT value FROM json_each(?1))"))
            .map_err(|e| self.sql(e))?;
        stmt.query_map([ids], |r| {
            Ok(ArticleText { seq: ArticleSeq(r.get::<_, i64>(0)? as u64), text: r.get(1)? })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// Stories other than `story` whose articles name any of `names`, with the names they
    /// share, most shared names first: the `limit` sharing the most, and the `across`
    /// sharing the most among those of told languages other than `story`'s (they may be
    /// among the first `limit`; none asked when 0).
    ///
    /// `across` is what a story's reports in other languages are looked for among: on a
    /// store of one main language the stories sharing most names with one of its stories
    /// are all of that language. A store before format 10 (read before a writer migrated
    /// it) gives the first `limit` alone. The names looked up are [`names_asked`]: at most
    /// [`NAMES_LOOKED_UP`].
    pub fn stories_naming(
        &self,
        story: StoryId,
        names: &[String],
        limit: usize,
        across: usize,
    ) -> Result<Vec<NamingStory>> {
        if self.format()? < 4 || names.is_empty() {
            return Ok(Vec::new());
        }
        if self.format()? >= 7 {
            return self.stories_naming_counted(story, names, limit, across);
        }
        let names_json = serde_json::to_string(&names_asked(names)).expect("strings serialise");
        let sql = "WITH hits AS (SELECT m.story, e.name
                                 FROM entities e JOIN story_members m ON m.seq = e.seq
                                 WHERE e.name IN (SELECT value FROM json_each(?1)) AND m.story != ?2
                                 GROUP BY m.story, e.name),
                        top AS (SELECT story, count(*) AS n FROM hits
                                GROUP BY story ORDER BY n DESC, story DESC LIMIT ?3)
                   SELECT t.story, h.name, a.language
                   FROM top t JOIN hits h ON h.story = t.story
                   LEFT JOIN stories s ON s.id = t.story LEFT JOIN articles a ON a.seq = s.label_seq
                   ORDER BY t.n DESC, t.story DESC, h.name";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        let rows: Vec<(i64, String, Option<String>)> = stmt
            .query_map(
                params![names_json, story.0 as i64, limit.min(i64::MAX as usize) as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        let mut out: Vec<NamingStory> = Vec::new();
        for (s, name, language) in rows {
            let s = StoryId(s as u64);
            match out.last_mut() {
                Some(last) if last.story == s => last.names.push(name),
                _ => out.push(NamingStory {
                    story: s,
                    names: vec![name],
                    language: lede_core::story_language(language.as_deref()),
                }),
            }
        }
        Ok(out)
    }

    /// [`Store::stories_naming`] from the summary of each name's stories (format 7),
    /// counted in a hash table: SQLite's grouping sorted the (name, story) rows, 147,000 for
    /// the eight most named names of the million-article store's biggest story, and its
    /// sorter spilled to disk (two such reads were four fifths of a story page). The same
    /// answer: most shared names first, then the higher id; the names in byte order. Each
    /// story's names are kept as it is counted (a bit per name), so that only its language
    /// is read after.
    fn stories_naming_counted(
        &self,
        story: StoryId,
        names: &[String],
        limit: usize,
        across: usize,
    ) -> Result<Vec<NamingStory>> {
        let names = names_asked(names);
        let mut shared: rustc_hash::FxHashMap<i64, u64> = rustc_hash::FxHashMap::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT story FROM entity_stories WHERE name = ?1")
            .map_err(|e| self.sql(e))?;
        for (bit, name) in names.iter().enumerate() {
            let mut rows = stmt.query([name]).map_err(|e| self.sql(e))?;
            while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
                let s: i64 = row.get(0).map_err(|e| self.sql(e))?;
                // One row per (name, story): the table's key.
                *shared.entry(s).or_default() |= 1 << bit;
            }
        }
        shared.remove(&(story.0 as i64));
        let mut top: Vec<(u32, i64)> = shared.iter().map(|(&s, m)| (m.count_ones(), s)).collect();
        // Most shared names first, then the higher id: the best `limit` chosen, then sorted.
        let by_rank = |a: &(u32, i64), b: &(u32, i64)| b.cmp(a);
        let mut rest = Vec::new();
        if limit < top.len() {
            top.select_nth_unstable_by(limit, by_rank);
            rest = top.split_off(limit);
        }
        top.sort_unstable_by(by_rank);
        // Each story with its names and its language, read in one statement.
        let naming = |chosen: Vec<(u32, i64)>| -> Result<Vec<NamingStory>> {
            let languages = self.languages_of(chosen.iter().map(|c| c.1))?;
            Ok(chosen
                .into_iter()
                .map(|(_, s)| NamingStory {
                    story: StoryId(s as u64),
                    names: (0..names.len())
                        .filter(|bit| shared[&s] & (1 << bit) != 0)
                        .map(|bit| names[bit].to_owned())
                        .collect(),
                    language: lede_core::story_language(
                        languages.get(&s).and_then(Option::as_deref),
                    ),
                })
                .collect())
        };
        let mut out = naming(top)?;
        if across == 0 || rest.is_empty() || self.format()? < 10 {
            return Ok(out);
        }
        // The best `across` of other languages: those among the first, then the best of
        // the rest, which all rank below them. The stories of other languages are listed
        // from the language's index (on a store of one main language, few), not each
        // story's language read (the rest: up to 40,000 stories).
        let own = self.story_language_of(story)?;
        let other = |l: &str| l != own && l != lede_core::UNDETERMINED_LANGUAGE;
        let found = out.iter().filter(|n| other(&n.language)).count();
        if found >= across {
            return Ok(out);
        }
        let mut elsewhere: rustc_hash::FxHashSet<i64> = rustc_hash::FxHashSet::default();
        let mut ids = self
            .conn
            .prepare_cached("SELECT id FROM stories WHERE language = ?1")
            .map_err(|e| self.sql(e))?;
        for language in self.story_languages()?.iter().filter(|l| other(l)) {
            let rows =
                ids.query_map([language], |r| r.get::<_, i64>(0)).map_err(|e| self.sql(e))?;
            for id in rows {
                elsewhere.insert(id.map_err(|e| self.sql(e))?);
            }
        }
        rest.retain(|(_, s)| elsewhere.contains(s));
        let more = across - found;
        if more < rest.len() {
            rest.select_nth_unstable_by(more, by_rank);
            rest.truncate(more);
        }
        rest.sort_unstable_by(by_rank);
        out.extend(naming(rest)?);
        Ok(out)
    }

    /// The languages of stories `ids` as stored (from format 10; their labels' before), by
    /// id; a story not found is left out.
    fn languages_of(
        &self,
        ids: impl Iterator<Item = i64>,
    ) -> Result<rustc_hash::FxHashMap<i64, Option<String>>> {
        let ids = serde_json::to_string(&ids.collect::<Vec<i64>>()).expect("numbers serialise");
        let sql = if self.format()? >= 10 {
            "SELECT s.id, s.language FROM json_each(?1) j CROSS JOIN stories s ON s.id = j.value"
        } else {
            "SELECT s.id, a.language FROM json_each(?1) j CROSS JOIN stories s ON s.id = j.value
             LEFT JOIN articles a ON a.seq = s.label_seq"
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        stmt.query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))
    }

    /// The language of story `id` (`und` when it has none told, or no such story): stored
    /// from format 10, its labelling article's before.
    fn story_language_of(&self, id: StoryId) -> Result<String> {
        let languages = self.languages_of(std::iter::once(id.0 as i64))?;
        Ok(lede_core::story_language(languages.get(&(id.0 as i64)).and_then(Option::as_deref)))
    }
    /// The most named entities of a story's articles, by the articles naming them.
    pub fn story_entities(&self, story: StoryId, limit: usize) -> Result<Vec<EntityCount>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.name, e.kind, count(*) AS n, sum(e.mentions)
                 FROM story_members m JOIN entities e ON e.seq = m.seq
                 WHERE m.story = ?1
                 GROUP BY e.name ORDER BY n DESC, e.name LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(String, String, i64, i64)> = stmt
            .query_map(params![story.0 as i64, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        rows.into_iter().map(|row| self.entity_count(row)).collect()
    }

    /// A story's direct quotes with a speaker, those the most outlets give first, then
    /// the most articles, then the earliest; at most `limit`.
    pub fn story_quotes(&self, story: StoryId, limit: usize) -> Result<Vec<StoryQuoteRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT q.text, q.speaker, min(a.id), count(*) AS n,
                        count(DISTINCT coalesce(a.outlet, a.seq)) AS outlets
                 FROM story_members m JOIN quotes q ON q.seq = m.seq JOIN articles a ON a.seq = m.seq
                 WHERE m.story = ?1 AND q.direct AND q.speaker IS NOT NULL
                 GROUP BY q.text, q.speaker
                 ORDER BY outlets DESC, n DESC, min(a.published_ts), q.text LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map(params![story.0 as i64, limit.min(i64::MAX as usize) as i64], |r| {
            Ok(StoryQuoteRow {
                text: r.get(0)?,
                speaker: r.get(1)?,
                article_id: r.get(2)?,
                articles: r.get::<_, i64>(3)? as u64,
                outlets: r.get::<_, i64>(4)? as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// How many articles the store holds (a b-tree count: cheap at any size, unlike
    /// [`Store::stats`], which scans).
    pub fn article_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql(e))
    }

    /// How many stories the store holds.
    pub fn story_count(&self) -> Result<u64> {
        if self.format()? < 4 {
            return Ok(0);
        }
        self.conn
            .query_row("SELECT count(*) FROM stories", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql(e))
    }
}

fn story_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoryRow> {
    Ok(StoryRow {
        id: StoryId(r.get::<_, i64>(0)? as u64),
        first_ts: r.get(1)?,
        last_ts: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        label_seq: r.get::<_, Option<i64>>(4)?.map(|n| ArticleSeq(n as u64)),
        state: r.get(5)?,
        // Stored as the rule gives it from format 10; a label's as declared before.
        language: lede_core::story_language(r.get::<_, Option<String>>(6)?.as_deref()),
    })
}

/// What story clustering reads and writes. The embedded store ([`StoreWriter`]) and cluster
/// mode's PostgreSQL store (lede-pg, under its fenced writer lease) both give it, so that
/// one clustering code (`lede_engine::cluster_stories`) serves both.
pub trait StoryBackend {
    /// Up to `limit` stored articles not yet in a story, by sequence number, with their
    /// features.
    fn unclustered(&mut self, limit: usize) -> Result<Vec<Unclustered>>;
    /// The stored document frequencies of `language` ([`lede_core::story_language`]), if
    /// clustering has run.
    fn doc_freq(&mut self, language: &str) -> Result<Option<Vec<u8>>>;
    /// The id the next new story gets, for a pass that may create up to `reserve` stories
    /// (a store with a writer per language hands each pass a block of ids of its own).
    fn next_story_id(&mut self, reserve: usize) -> Result<StoryId>;
    /// The stories of `language` whose last article is dated within `[from, to]`, or the
    /// undated ones.
    fn story_rows(&mut self, language: &str, range: Option<(i64, i64)>) -> Result<Vec<StoryRow>>;
    /// The features of every member of `stories`.
    fn member_features(&mut self, stories: &[StoryId]) -> Result<Vec<MemberFeatures>>;
    /// The stored features of those of `seqs` that have them.
    fn features_of(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleFeatures>>;
    /// The headlines of those of `seqs` that are stored.
    fn titles(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>>;
    /// The first 300 characters of the first paragraph of those of `seqs` that are stored.
    fn leads(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>>;
    /// Writes what a clustering pass changed, all of it or (on an error) none.
    fn put_stories(&mut self, update: &StoryUpdate<'_>) -> Result<()>;
    /// The error for article `seq`'s stored `blob` that its decoder rejected.
    fn damaged(&mut self, seq: ArticleSeq, blob: &str, why: &dyn std::fmt::Display) -> Error;
    /// The error for story `story`'s stored `blob` that its decoder rejected.
    fn damaged_story(&mut self, story: StoryId, blob: &str, why: &dyn std::fmt::Display) -> Error;
}

impl StoryBackend for StoreWriter {
    fn unclustered(&mut self, limit: usize) -> Result<Vec<Unclustered>> {
        let through = self.reader().clustered_through()?;
        self.reader().unclustered(through, limit)
    }

    fn doc_freq(&mut self, language: &str) -> Result<Option<Vec<u8>>> {
        self.reader().doc_freq(language)
    }

    // One writer: the ids after the last stored are free.
    fn next_story_id(&mut self, _reserve: usize) -> Result<StoryId> {
        self.reader().next_story_id()
    }

    fn story_rows(&mut self, language: &str, range: Option<(i64, i64)>) -> Result<Vec<StoryRow>> {
        self.reader().story_rows(language, range)
    }

    fn member_features(&mut self, stories: &[StoryId]) -> Result<Vec<MemberFeatures>> {
        self.reader().member_features(stories)
    }

    fn features_of(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleFeatures>> {
        self.reader().features_of(seqs)
    }

    fn titles(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>> {
        self.reader().titles(seqs)
    }

    fn leads(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>> {
        self.reader().leads(seqs)
    }

    fn put_stories(&mut self, update: &StoryUpdate<'_>) -> Result<()> {
        StoreWriter::put_stories(self, update)
    }

    fn damaged(&mut self, seq: ArticleSeq, blob: &str, why: &dyn std::fmt::Display) -> Error {
        self.reader().damaged(seq, blob, why)
    }

    fn damaged_story(&mut self, story: StoryId, blob: &str, why: &dyn std::fmt::Display) -> Error {
        self.reader().damaged_story(story, blob, why)
    }
}

impl StoreWriter {
    /// Stores story features of articles stored without them (a store migrated from
    /// format 3), in one transaction.
    pub fn put_story_features(&mut self, features: &[ArticleBlob]) -> Result<()> {
        self.put_blobs(
            "INSERT OR REPLACE INTO story_features (seq, features) VALUES (?1, ?2)",
            features,
        )
    }

    /// Records that every stored article has its story features.
    pub fn story_features_complete(&self) -> Result<()> {
        self.backfill_done("story_features")
    }

    /// Writes what a clustering pass changed, in one transaction: a crash leaves the
    /// stories as they were before the pass, and the next ingest runs it again.
    pub fn put_stories(&mut self, update: &StoryUpdate<'_>) -> Result<()> {
        let dir = self.store.dir.clone();
        let sql = |source| Error::Sqlite { dir: dir.clone(), source };
        let tx = self.store.conn.transaction().map_err(sql)?;
        {
            for &(old, id) in update.merged {
                tx.prepare_cached("DELETE FROM stories WHERE id = ?1")
                    .and_then(|mut s| s.execute([old.0 as i64]))
                    .map_err(sql)?;
                tx.prepare_cached("UPDATE story_members SET story = ?2 WHERE story = ?1")
                    .and_then(|mut s| s.execute(params![old.0 as i64, id.0 as i64]))
                    .map_err(sql)?;
                tx.prepare_cached("UPDATE story_aliases SET id = ?2 WHERE id = ?1")
                    .and_then(|mut s| s.execute(params![old.0 as i64, id.0 as i64]))
                    .map_err(sql)?;
                tx.prepare_cached("INSERT OR REPLACE INTO story_aliases (old, id) VALUES (?1, ?2)")
                    .and_then(|mut s| s.execute(params![old.0 as i64, id.0 as i64]))
                    .map_err(sql)?;
            }
            // Each article where the pass left it (the last of its assignments). One already
            // in a story is moved by an UPDATE, whose trigger moves it in the reader's
            // summaries (format 7, `schema.rs`): a REPLACE would delete the old row without
            // its trigger. New members are inserted, then counted in the summaries at once
            // (`summaries.rs`).
            let mut last: std::collections::HashMap<u64, usize> =
                std::collections::HashMap::with_capacity(update.assignments.len());
            for (i, m) in update.assignments.iter().enumerate() {
                last.insert(m.seq.0, i);
            }
            let placed =
                update.assignments.iter().enumerate().filter(|(i, m)| last[&m.seq.0] == *i);
            let mut exists =
                tx.prepare_cached("SELECT 1 FROM story_members WHERE seq = ?1").map_err(sql)?;
            let mut insert = tx
                .prepare_cached("INSERT INTO story_members (seq, story, score) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            let mut moved = tx
                .prepare_cached("UPDATE story_members SET story = ?2, score = ?3 WHERE seq = ?1")
                .map_err(sql)?;
            let mut added = Vec::new();
            for (_, m) in placed {
                let row = params![m.seq.0 as i64, m.story.0 as i64, f64::from(m.score)];
                if exists.exists([m.seq.0 as i64]).map_err(sql)? {
                    moved.execute(row).map_err(sql)?;
                } else {
                    insert.execute(row).map_err(sql)?;
                    added.push(m.seq);
                }
            }
            if !added.is_empty() {
                summaries::members_added(&tx, &summaries::seq_list(added)).map_err(sql)?;
            }
            let mut story = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO stories (id, label_seq, first_ts, last_ts, size, state,
                                                     language)
                     VALUES (?1, coalesce(?2, (SELECT min(seq) FROM story_members WHERE story = ?1)),
                             ?3, ?4, (SELECT count(*) FROM story_members WHERE story = ?1), ?5, ?6)",
                )
                .map_err(sql)?;
            for s in update.stories {
                story
                    .execute(params![
                        s.id.0 as i64,
                        s.label_seq.map(|l| l.0 as i64),
                        s.first_ts,
                        s.last_ts,
                        s.state,
                        s.language
                    ])
                    .map_err(sql)?;
            }
            let mut doc_freq = tx
                .prepare_cached("INSERT OR REPLACE INTO cluster_state (key, value) VALUES (?1, ?2)")
                .map_err(sql)?;
            for (language, bytes) in update.doc_freqs {
                doc_freq.execute(params![format!("doc_freq:{language}"), bytes]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }
}
