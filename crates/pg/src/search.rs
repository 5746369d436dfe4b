//! Full-text search over the stored articles: PostgreSQL's `tsvector` with a GIN index,
//! the headline weighted above the body (the `search` column of the schema).
//!
//! A query is read as a web search (`websearch_to_tsquery`: words, "quoted phrases", `or`,
//! `-word`) in English's configuration; articles are ranked by `ts_rank_cd` (cover
//! density: how close and how often the query's words occur, headline weight 1.0, body
//! 0.4). There is no inverse document frequency, unlike the embedded index's BM25: a word
//! common to every article counts as much as a rare one. How much that costs against
//! tantivy is measured in issue 15's note.

use crate::{PgStore, Result, sql};
use lede_core::ArticleSeq;

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its id.
    pub id: String,
    /// Its headline, if it has one.
    pub title: Option<String>,
    /// Its rank (higher is better; comparable within one query only).
    pub rank: f32,
    /// Where the query's words occur in the body, marked `[` `]`.
    pub snippet: String,
}

impl PgStore {
    /// The `limit` articles that best match `query`, best first (ties: the older article).
    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let err = sql(&self.target, "searching");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                "WITH q AS (SELECT websearch_to_tsquery('english', $1) AS q),
                 top AS (
                     SELECT a.seq, a.id, a.title, a.article,
                            ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search, q.q) AS rank
                     FROM articles a, q
                     WHERE a.search @@ q.q
                     ORDER BY rank DESC, a.seq
                     LIMIT $2)
                 SELECT top.seq, top.id, top.title, top.rank,
                        ts_headline('english', array_to_string(ARRAY(
                            SELECT jsonb_array_elements_text(top.article -> 'paragraphs')), ' '),
                            q.q, 'StartSel=[, StopSel=], MaxWords=30, MinWords=12, MaxFragments=2')
                 FROM top, q
                 ORDER BY top.rank DESC, top.seq",
                &[&query, &limit],
            )
            .map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| Hit {
                seq: ArticleSeq(r.get::<_, i64>(0) as u64),
                id: r.get(1),
                title: r.get(2),
                rank: r.get(3),
                snippet: r.get(4),
            })
            .collect())
    }
}
