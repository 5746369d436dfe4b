//! Counts over the store: [`Stats`], what `lede stats` and the reader's `/api/stats`
//! show. The counts of outlets, languages and annotated articles are read from indexes
//! (format 5 added them), so that counting does not read every article and its
//! annotations.

use crate::error::Result;
use crate::store::Store;

/// Counts over the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Articles stored.
    pub articles: u64,
    /// Distinct outlets.
    pub outlets: u64,
    /// Aliases (addresses and record ids pointing at stored articles).
    pub aliases: u64,
    /// Earliest publication date (ISO 8601), if any article has one.
    pub first_published: Option<String>,
    /// Latest publication date.
    pub last_published: Option<String>,
    /// Articles per language, most first.
    pub languages: Vec<(String, u64)>,
    /// Articles whose entities and quotes are stored (all of them, once a store migrated
    /// from an older format has been backfilled).
    pub annotated: u64,
    /// Distinct entities (canonical names) over the store.
    pub entities: u64,
    /// Quotes over the store.
    pub quotes: u64,
    /// Stories (groups of articles telling the same story).
    pub stories: u64,
    /// The store's format version.
    pub format: u32,
}

impl Store {
    /// Counts over the store.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(|e| self.sql(e))
        };
        let (first, last): (Option<String>, Option<String>) = self
            .conn
            .query_row(
                "SELECT (SELECT published FROM articles WHERE published_ts IS NOT NULL ORDER BY published_ts ASC LIMIT 1),
                        (SELECT published FROM articles WHERE published_ts IS NOT NULL ORDER BY published_ts DESC LIMIT 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql(e))?;
        let mut stmt = self
            .conn
            .prepare("SELECT coalesce(language, '?'), count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20")
            .map_err(|e| self.sql(e))?;
        let languages = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        let format = self.format()?;
        let (annotated, entities, quotes) = if format >= 3 {
            (
                count("SELECT count(*) FROM annotations")?,
                count("SELECT count(*) FROM (SELECT DISTINCT name FROM entities)")?,
                count("SELECT count(*) FROM quotes")?,
            )
        } else {
            (0, 0, 0)
        };
        Ok(Stats {
            articles: count("SELECT count(*) FROM articles")?,
            outlets: count("SELECT count(DISTINCT outlet) FROM articles")?,
            aliases: count("SELECT count(*) FROM aliases")?,
            first_published: first,
            last_published: last,
            languages,
            annotated,
            entities,
            quotes,
            stories: self.story_count()?,
            format,
        })
    }
}
