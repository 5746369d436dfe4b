//! What the reader's investigation pages read (issue 18): articles per day, the stories of
//! a time window ranked by breadth, one entity's days, stories, companions and articles,
//! and quotes grouped across outlets. Each is one SQL statement over the indexes the store
//! already has (`articles_published_ts`, `entities_name`, the `(seq, name)` key of
//! `entities`, `quotes_speaker`).
//!
//! Days are counted from 1970-01-01 in UTC, as [`Day`]s.

use crate::error::Result;
use crate::store::Store;
use crate::stories::{StoryArticle, listed_article, listed_article_at};
use lede_core::{EntityKind, StoryId};
use rusqlite::params;

/// A day: days since 1970-01-01, in UTC (Unix seconds divided by 86,400, rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Day(pub i64);

impl Day {
    /// The day of a Unix time.
    pub fn of(unix_seconds: i64) -> Day {
        Day(unix_seconds.div_euclid(86_400))
    }

    /// Its first second (Unix seconds).
    pub fn start(self) -> i64 {
        self.0 * 86_400
    }

    /// Its last second (Unix seconds).
    pub fn end(self) -> i64 {
        self.0 * 86_400 + 86_399
    }
}

/// The day of `published_ts` in SQL, rounded down for dates before 1970 too (SQLite's
/// integer division rounds towards zero).
const SQL_DAY: &str = "((a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400)";

/// How many articles, and how many mentions, a day has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DayCount {
    /// The day.
    pub day: Day,
    /// Articles dated that day.
    pub articles: u64,
    /// Mentions of the entity asked about in them (for [`Store::entity_days`]; equal to
    /// `articles` for [`Store::article_days`]).
    pub mentions: u64,
}

/// A story as a time window sees it: its articles dated inside the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowStory {
    /// The story.
    pub id: StoryId,
    /// Distinct outlets among its articles in the window.
    pub outlets: u64,
    /// Its articles in the window.
    pub articles: u64,
    /// Its newest article in the window (Unix seconds).
    pub last_ts: i64,
}

/// A story that names an entity, and how many of its articles do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedIn {
    /// The story.
    pub story: StoryId,
    /// Its articles naming the entity.
    pub articles: u64,
}

/// Which quotes [`Store::quote_groups`] groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteGroupFilter {
    /// Only these speakers (canonical names, exactly); `None`: anyone, named or not.
    pub speakers: Option<Vec<String>>,
    /// Only quotes containing these words (in any ASCII case).
    pub text: Option<String>,
    /// Only quotes of articles dated from this second (Unix seconds).
    pub from: Option<i64>,
    /// ... up to this one, included.
    pub to: Option<i64>,
    /// Groups skipped (a page's offset).
    pub offset: usize,
    /// Groups at most.
    pub limit: usize,
}

/// The same words said by the same speaker, across articles and outlets.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuoteGroup {
    /// The words quoted.
    pub text: String,
    /// Who said them (canonical name), `None` when no article names anyone.
    pub speaker: Option<String>,
    /// Articles quoting them.
    pub articles: u64,
    /// Distinct outlets among those articles.
    pub outlets: u64,
    /// The first article that quotes them (the earliest dated).
    pub first: StoryArticle,
    /// The story of that article, if it is in one.
    pub story: Option<StoryId>,
}

impl Store {
    /// Articles per dated day over the whole store, oldest day first (days without
    /// articles left out). Reads the date index only.
    pub fn article_days(&self) -> Result<Vec<DayCount>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SQL_DAY} AS d, count(*) FROM articles a
                 WHERE a.published_ts IS NOT NULL GROUP BY d ORDER BY d"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| {
            let n = r.get::<_, i64>(1)? as u64;
            Ok(DayCount { day: Day(r.get(0)?), articles: n, mentions: n })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The newest article's date (Unix seconds), if any article is dated.
    pub fn newest_ts(&self) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT max(published_ts) FROM articles", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// The stories of at least `min_size` articles with articles dated in `[from, to]`
    /// (Unix seconds, both included), ranked by breadth inside the window: the most
    /// outlets, then the most articles, then the newest, then the highest id. All of
    /// them: the caller pages through.
    pub fn window_stories(&self, from: i64, to: i64, min_size: u64) -> Result<Vec<WindowStory>> {
        if self.format()? < 4 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT m.story, count(DISTINCT a.outlet) AS o, count(*) AS n,
                        max(a.published_ts) AS last
                 FROM articles a JOIN story_members m ON m.seq = a.seq
                      JOIN stories s ON s.id = m.story
                 WHERE a.published_ts BETWEEN ?1 AND ?2 AND s.size >= ?3
                 GROUP BY m.story ORDER BY o DESC, n DESC, last DESC, m.story DESC",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map(params![from, to, min_size as i64], |r| {
            Ok(WindowStory {
                id: StoryId(r.get::<_, i64>(0)? as u64),
                outlets: r.get::<_, i64>(1)? as u64,
                articles: r.get::<_, i64>(2)? as u64,
                last_ts: r.get(3)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The entity a name names: that canonical name exactly, or else the one equal to it
    /// in any case (the most named, when several are). A name given as two kinds is the
    /// kind more articles give. `None`: the store names no such entity.
    pub fn entity(&self, name: &str) -> Result<Option<crate::EntityCount>> {
        if self.format()? < 3 {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, kind, count(*) AS n, sum(mentions) FROM entities
                 WHERE name IN (SELECT value FROM json_each(?1))
                 GROUP BY name, kind ORDER BY n DESC, name, kind LIMIT 1",
            )
            .map_err(|e| self.sql(e))?;
        let mut read = |names: String| -> Result<Option<crate::EntityCount>> {
            let row: Option<(String, String, i64, i64)> = stmt
                .query_map([names], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .and_then(|mut rows| rows.next().transpose())
                .map_err(|e| self.sql(e))?;
            row.map(|row| self.entity_count(row)).transpose()
        };
        // Pages link by canonical name: the index answers those at once; only a name typed
        // in another case reads the distinct names.
        if let Some(found) = read(serde_json::Value::from(vec![name]).to_string())? {
            return Ok(Some(found));
        }
        let wanted = crate::annotations::fold(name);
        read(self.matching("SELECT DISTINCT name FROM entities", |n| *n == wanted)?)
    }

    /// An entity's articles and mentions per dated day, oldest first (`name`: its
    /// canonical name, exactly), over its `sample` articles stored last (the name index
    /// gives them in order: a name in a hundred thousand articles costs what one in
    /// `sample` does).
    pub fn entity_days(&self, name: &str, sample: usize) -> Result<Vec<DayCount>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "WITH e AS (SELECT seq, mentions FROM entities WHERE name = ?1
                            ORDER BY seq DESC LIMIT ?2)
                 SELECT {SQL_DAY} AS d, count(*), sum(e.mentions)
                 FROM e JOIN articles a ON a.seq = e.seq
                 WHERE a.published_ts IS NOT NULL GROUP BY d ORDER BY d"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map(params![name, sample.min(i64::MAX as usize) as i64], |r| {
            Ok(DayCount {
                day: Day(r.get(0)?),
                articles: r.get::<_, i64>(1)? as u64,
                mentions: r.get::<_, i64>(2)? as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The stories whose articles name an entity, those with the most such articles
    /// first (then the newest story); at most `limit`; over its `sample` articles stored
    /// last.
    pub fn entity_stories(&self, name: &str, limit: usize, sample: usize) -> Result<Vec<NamedIn>> {
        if self.format()? < 4 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH e AS (SELECT seq FROM entities WHERE name = ?1 ORDER BY seq DESC LIMIT ?3)
                 SELECT m.story, count(*) AS n FROM e JOIN story_members m ON m.seq = e.seq
                 GROUP BY m.story ORDER BY n DESC, m.story DESC LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let (limit, sample) =
            (limit.min(i64::MAX as usize) as i64, sample.min(i64::MAX as usize) as i64);
        stmt.query_map(params![name, limit, sample], |r| {
            Ok(NamedIn {
                story: StoryId(r.get::<_, i64>(0)? as u64),
                articles: r.get::<_, i64>(1)? as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The entities named beside `name` in the same articles, by the articles naming
    /// both; at most `limit`. Counted over the `sample` articles naming it stored last, so
    /// that a name in a hundred thousand articles costs what one in `sample` does.
    pub fn companions(
        &self,
        name: &str,
        kind: EntityKind,
        limit: usize,
        sample: usize,
    ) -> Result<Vec<crate::EntityCount>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH s AS (SELECT seq FROM entities WHERE name = ?1 ORDER BY seq DESC LIMIT ?4)
                 SELECT o.name, o.kind, count(*) AS n, sum(o.mentions)
                 FROM s JOIN entities o ON o.seq = s.seq
                 WHERE NOT (o.name = ?1 AND o.kind = ?2)
                 GROUP BY o.name, o.kind ORDER BY n DESC, o.name, o.kind LIMIT ?3",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(String, String, i64, i64)> = stmt
            .query_map(
                params![
                    name,
                    kind.as_str(),
                    limit.min(i64::MAX as usize) as i64,
                    sample.min(i64::MAX as usize) as i64
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        rows.into_iter().map(|row| self.entity_count(row)).collect()
    }

    /// The articles naming an entity, newest first (undated last), `limit` of them after
    /// skipping `offset`, among its `sample` articles stored last; `score` is the
    /// entity's mentions in each.
    pub fn entity_articles(
        &self,
        name: &str,
        (offset, limit): (usize, usize),
        sample: usize,
    ) -> Result<Vec<StoryArticle>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.seq, a.id, a.source_id, a.title,
                        CASE WHEN a.title IS NULL
                             THEN substr(json_extract(a.article, '$.paragraphs[0]'), 1, 300) END,
                        a.outlet, a.published, a.published_ts, e.mentions
                 FROM (SELECT seq, mentions FROM entities WHERE name = ?1
                       ORDER BY seq DESC LIMIT ?4) e
                      JOIN articles a ON a.seq = e.seq
                 ORDER BY a.published_ts IS NULL, a.published_ts DESC, a.seq DESC
                 LIMIT ?2 OFFSET ?3",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map(
            params![
                name,
                limit.min(i64::MAX as usize) as i64,
                offset.min(i64::MAX as usize) as i64,
                sample.min(i64::MAX as usize) as i64
            ],
            listed_article,
        )
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// The speakers' canonical names a name finds: the whole name or its last word or
    /// words, in any case (as [`Store::quotes`] reads a speaker).
    pub fn speakers_named(&self, speaker: &str) -> Result<Vec<String>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let wanted = crate::annotations::fold(speaker);
        let suffix = format!(" {wanted}");
        let names = self
            .matching("SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL", |name| {
                *name == wanted || name.ends_with(&suffix)
            })?;
        serde_json::from_str(&names).map_err(|e| crate::Error::Backend(Box::new(e)))
    }

    /// Quotes grouped by their words and speaker, with the first article quoting them:
    /// the groups quoted by the most outlets first, then by the most articles, then the
    /// earliest. Returns the page asked for and how many groups there are in all.
    pub fn quote_groups(&self, filter: &QuoteGroupFilter) -> Result<(Vec<QuoteGroup>, u64)> {
        if self.format()? < 3 {
            return Ok((Vec::new(), 0));
        }
        let speakers = filter.speakers.as_ref().map(|s| serde_json::Value::from(s.clone()));
        if speakers.as_ref().is_some_and(|s| s.as_array().is_some_and(Vec::is_empty)) {
            return Ok((Vec::new(), 0));
        }
        // A speaker's quotes are read through the speaker index; the others through the
        // date index when a window is given.
        // A speaker's quotes are read through the speaker index; without a speaker, a
        // window's through the date index, articles first (CROSS JOIN keeps SQLite to that
        // order: it would otherwise read every quote of the store, 9 s on a million
        // articles); with neither, every quote.
        let (rows, by_speaker, window) = match (&speakers, filter.from.or(filter.to)) {
            (Some(_), _) => (
                "quotes q JOIN articles a ON a.seq = q.seq",
                "q.speaker IN (SELECT value FROM json_each(?1))",
                "(?3 IS NULL OR a.published_ts >= ?3) AND (?4 IS NULL OR a.published_ts <= ?4)",
            ),
            (None, Some(_)) => (
                "articles a CROSS JOIN quotes q ON q.seq = a.seq",
                "?1 IS NULL",
                "a.published_ts BETWEEN coalesce(?3, -9223372036854775808)
                                    AND coalesce(?4, 9223372036854775807)",
            ),
            (None, None) => (
                "quotes q JOIN articles a ON a.seq = q.seq",
                "?1 IS NULL",
                "?3 IS NULL AND ?4 IS NULL",
            ),
        };
        // SQLite gives the bare column `a.seq` from the row that `min` picked: the first
        // article quoting the words (ties between equal dates: any of them).
        let (story, members) = if self.format()? >= 4 {
            ("m.story", "LEFT JOIN story_members m ON m.seq = f.seq")
        } else {
            ("NULL", "")
        };
        let sql = format!(
            "WITH g AS (
                 SELECT q.text, q.speaker, count(*) AS n,
                        count(DISTINCT coalesce(a.outlet, a.seq)) AS o,
                        min(coalesce(a.published_ts, 9223372036854775807)) AS first_ts,
                        a.seq AS first_seq, count(*) OVER () AS total
                 FROM {rows}
                 WHERE {by_speaker}
                   AND (?2 IS NULL OR instr(lower(q.text), lower(?2)) > 0)
                   AND {window}
                 GROUP BY q.text, q.speaker
                 ORDER BY o DESC, n DESC, first_ts, q.text
                 LIMIT ?5 OFFSET ?6)
             SELECT g.text, g.speaker, g.n, g.o, g.total,
                    f.seq, f.id, f.source_id, f.title,
                    CASE WHEN f.title IS NULL
                         THEN substr(json_extract(f.article, '$.paragraphs[0]'), 1, 300) END,
                    f.outlet, f.published, f.published_ts, 0.0, {story}
             FROM g JOIN articles f ON f.seq = g.first_seq {members}
             ORDER BY g.o DESC, g.n DESC, g.first_ts, g.text"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let mut total = 0;
        let groups = stmt
            .query_map(
                params![
                    speakers.map(|s| s.to_string()),
                    filter.text,
                    filter.from,
                    filter.to,
                    filter.limit.min(i64::MAX as usize) as i64,
                    filter.offset.min(i64::MAX as usize) as i64
                ],
                |r| {
                    let first = listed_article_at(r, 5)?;
                    Ok((
                        QuoteGroup {
                            text: r.get(0)?,
                            speaker: r.get(1)?,
                            articles: r.get::<_, i64>(2)? as u64,
                            outlets: r.get::<_, i64>(3)? as u64,
                            first,
                            story: r.get::<_, Option<i64>>(14)?.map(|s| StoryId(s as u64)),
                        },
                        r.get::<_, i64>(4)? as u64,
                    ))
                },
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.sql(e))?
            .into_iter()
            .map(|(g, n)| {
                total = n;
                g
            })
            .collect();
        Ok((groups, total))
    }
}
