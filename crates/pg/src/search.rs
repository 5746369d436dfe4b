//! Full-text search over the stored articles, answering as the embedded index (lede-search,
//! tantivy) answers: the same words, the same query syntax, the same matches, BM25 with
//! the same statistics.
//!
//! - Terms (`terms`): each article's title and body words, and the body's pairs of common
//!   words, as lede-search indexes them (no stemming, no stop words), in a `tsvector`
//!   column written with the article and a GIN index on every partition; the lengths of
//!   its title and body beside it.
//! - Queries (`query`): tantivy's own query grammar, read as lede-search reads it (words
//!   ANDed, title or body, `"phrases"`, `OR`, `-exclusion`, `title:`), then one `tsquery`:
//!   PostgreSQL finds the matching articles through the GIN index.
//! - Ranking: tantivy's BM25, in Rust, over each match's counts of the query's terms (and
//!   their positions, for phrases), read from its vector by `ts_filter`. The collection's
//!   statistics come from PostgreSQL as it is at the query: each term's document frequency
//!   counted in the GIN index (title and body terms are distinct lexemes, so a count needs
//!   no recheck), and the number of articles and their total title and body lengths from
//!   `search_totals`, a row per month per stored batch (written in the batch's
//!   transaction, never updated: workers storing at once never wait on each other for it;
//!   rows of a detached month are not counted).
//! - Snippets: `ts_headline` over the top articles' bodies, the query's words marked `[`
//!   `]`.
//!
//! How far it agrees with tantivy on the 52,060 releases and the 1,000 queries of
//! `bench/store.sh`, and how fast each is: `bench/pg.sh`, figures in bench/README.md.
//!
//! Differences left: `outlet:`, `author:`, `entity:`, date ranges, sloppy and prefix
//! phrases are not searchable here yet (left out with a warning, [`PgStore::search_warnings`]);
//! a `tsvector` keeps 256 positions of a word and none past the 16,383rd, so a word's
//! count in a very long article is cut there (see `terms`); ties are broken by sequence
//! number, tantivy's by its own document order.
//!
//! Articles stored before format 3 have no terms until a search finds them: the first
//! search after the migration indexes them, a few hundred at a time (it needs write
//! access), and every later one checks one row of `lede_meta`.

mod query;
mod terms;

pub(crate) use terms::Terms;

use crate::{PgStore, Result, sql};
use lede_core::ArticleSeq;
use query::{Doc, Match, Query, Stats};
use std::collections::HashMap;

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its id.
    pub id: String,
    /// Its headline, if it has one.
    pub title: Option<String>,
    /// Its BM25 score (higher is better; comparable within one query only).
    pub rank: f32,
    /// Where the query's words occur in the body, marked `[` `]`.
    pub snippet: String,
}

/// How many articles stored before format 3 one transaction indexes.
const BACKFILL_CHUNK: i64 = 500;

impl PgStore {
    /// The `limit` articles that best match `query`, best first (ties: the older article).
    /// The query is read as the embedded index reads it; what cannot be read is left out
    /// ([`PgStore::search_warnings`] says what).
    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let query = Query::parse(query);
        let matching = query.matching();
        if limit == 0 || matching == Match::Nothing {
            return Ok(Vec::new());
        }
        let mut stats = self.stats(&query)?;
        if stats.1 {
            self.backfill()?;
            stats = self.stats(&query)?;
        }
        let top = if query.ranks() {
            self.ranked(&query, &matching, &stats.0, limit)?
        } else {
            // Every match scores the same (`*`, exclusions only): the oldest first.
            self.oldest(&matching, limit)?
        };
        self.hits(&query, &top)
    }

    /// What `query` leaves out, and why (an unknown field, a syntax error, what only the
    /// embedded index searches yet); empty when it is read whole.
    pub fn search_warnings(query: &str) -> Vec<String> {
        Query::parse(query).warnings
    }

    /// The collection's statistics for `query`'s terms, and whether articles stored before
    /// format 3 wait to be indexed.
    fn stats(&mut self, query: &Query) -> Result<(Stats, bool)> {
        let err = sql(&self.target, "reading search statistics");
        let scored: Vec<String> = query
            .lexemes
            .iter()
            .zip(&query.scored)
            .filter(|(_, s)| **s)
            .map(|(l, _)| terms::quoted(l))
            .collect();
        let row = self
            .client
            .query_one(
                "SELECT coalesce(sum(t.docs), 0)::bigint,
                        coalesce(sum(t.title_tokens), 0)::bigint,
                        coalesce(sum(t.body_tokens), 0)::bigint,
                        ARRAY(SELECT (SELECT count(*) FROM articles a WHERE a.terms @@ l.q::tsquery)
                              FROM unnest($1::text[]) WITH ORDINALITY AS l(q, i) ORDER BY l.i),
                        EXISTS (SELECT 1 FROM lede_meta WHERE key = 'search_backfill')
                 FROM (SELECT month, sum(docs) AS docs, sum(title_tokens) AS title_tokens,
                              sum(body_tokens) AS body_tokens
                       FROM search_totals GROUP BY month) t
                 -- A detached month's articles are no longer searched.
                 WHERE EXISTS (SELECT 1 FROM pg_inherits i
                               WHERE i.inhparent = 'articles'::regclass
                                 AND i.inhrelid = to_regclass('articles_' || to_char(t.month, 'YYYY_MM')))",
                &[&scored],
            )
            .map_err(err)?;
        let counts: Vec<i64> = row.get(3);
        let mut counts = counts.into_iter();
        let df = query
            .scored
            .iter()
            .map(|&s| if s { counts.next().unwrap_or(0) as u64 } else { 0 })
            .collect();
        let stats = Stats {
            docs: row.get::<_, i64>(0) as u64,
            title_tokens: row.get::<_, i64>(1) as u64,
            body_tokens: row.get::<_, i64>(2) as u64,
            df,
        };
        Ok((stats, row.get(4)))
    }

    /// The `limit` best matches by BM25, with their scores.
    fn ranked(
        &mut self,
        query: &Query,
        matching: &Match,
        stats: &Stats,
        limit: usize,
    ) -> Result<Vec<(i64, f32)>> {
        let err = sql(&self.target, "searching");
        let positional: Vec<&str> = query
            .lexemes
            .iter()
            .zip(&query.positional)
            .filter(|(_, p)| **p)
            .map(|(l, _)| l.as_str())
            .collect();
        // Each match's counts of the query's lexemes (positions where a phrase needs them):
        // its vector cut down to those lexemes (`setweight` marks them, `ts_filter` keeps
        // the marked), one row per lexeme it holds.
        let (condition, tsquery) = where_clause(matching, 3);
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            vec![&query.lexemes, &positional];
        if let Some(q) = &tsquery {
            params.push(q);
        }
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT a.seq, a.title_len, a.body_len, u.lexeme, cardinality(u.positions),
                            CASE WHEN u.lexeme = ANY($2::text[]) THEN u.positions END
                     FROM articles a
                     LEFT JOIN LATERAL unnest(ts_filter(setweight(a.terms, 'A', $1::text[]), '{{a}}')) u
                       ON true
                     WHERE {condition}"
                ),
                &params,
            )
            .map_err(err)?;
        let index: HashMap<&str, usize> =
            query.lexemes.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
        let mut docs: HashMap<i64, Doc> = HashMap::new();
        for r in &rows {
            let length = |i| r.get::<_, Option<i32>>(i).unwrap_or(0).max(0) as u32;
            let doc = docs.entry(r.get(0)).or_insert_with(|| Doc::new(query, length(1), length(2)));
            let Some(&i) = r.get::<_, Option<&str>>(3).and_then(|l| index.get(l)) else {
                continue;
            };
            doc.counts[i] = r.get::<_, Option<i32>>(4).unwrap_or(0).max(0) as u32;
            if let Some(positions) = r.get::<_, Option<Vec<i16>>>(5) {
                doc.positions[i] = positions.into_iter().map(|p| p as u16).collect();
            }
        }
        let ranker = query.ranker(stats);
        let mut scored: Vec<(i64, f32)> =
            docs.iter().filter_map(|(&seq, d)| ranker.score(d).map(|s| (seq, s))).collect();
        let order = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        Ok(scored)
    }

    /// The `limit` oldest matches, for queries whose matches all score the same.
    fn oldest(&mut self, matching: &Match, limit: usize) -> Result<Vec<(i64, f32)>> {
        let err = sql(&self.target, "searching");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let (condition, tsquery) = where_clause(matching, 2);
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&limit];
        if let Some(q) = &tsquery {
            params.push(q);
        }
        let rows = self
            .client
            .query(
                &format!("SELECT a.seq FROM articles a WHERE {condition} ORDER BY a.seq LIMIT $1"),
                &params,
            )
            .map_err(err)?;
        Ok(rows.iter().map(|r| (r.get(0), 1.0)).collect())
    }

    /// The hits of `top`, in its order, with their ids, headlines and snippets.
    fn hits(&mut self, query: &Query, top: &[(i64, f32)]) -> Result<Vec<Hit>> {
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let err = sql(&self.target, "searching");
        let seqs: Vec<i64> = top.iter().map(|t| t.0).collect();
        let rows = self
            .client
            .query(
                "SELECT a.seq, a.id, a.title,
                        ts_headline('simple', array_to_string(ARRAY(
                            SELECT jsonb_array_elements_text(a.article -> 'paragraphs')), ' '),
                            $2::text::tsquery,
                            'StartSel=[, StopSel=], MaxWords=30, MinWords=12, MaxFragments=2')
                 FROM articles a WHERE a.seq = ANY($1)",
                &[&seqs, &snippet_query(query)],
            )
            .map_err(err)?;
        let mut found: HashMap<i64, &postgres::Row> = rows.iter().map(|r| (r.get(0), r)).collect();
        Ok(top
            .iter()
            .filter_map(|&(seq, rank)| {
                let r = found.remove(&seq)?;
                Some(Hit {
                    seq: ArticleSeq(seq as u64),
                    id: r.get(1),
                    title: r.get(2),
                    rank,
                    snippet: r.get(3),
                })
            })
            .collect())
    }

    /// Indexes the articles stored before format 3 (they have no terms), a chunk per
    /// transaction; several searches may do so at once, each taking other rows.
    fn backfill(&mut self) -> Result<()> {
        let target = self.target.clone();
        let err = sql(&target, "indexing articles stored before format 3");
        loop {
            let mut tx = self.client.transaction().map_err(&err)?;
            let rows = tx
                .query(
                    "SELECT seq, month::text, title, (article -> 'paragraphs')::text FROM articles
                     WHERE terms IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
                    &[&BACKFILL_CHUNK],
                )
                .map_err(&err)?;
            let mut totals = Totals::default();
            for r in &rows {
                let (seq, month): (i64, String) = (r.get(0), r.get(1));
                let paragraphs: Vec<String> = r
                    .get::<_, Option<&str>>(3)
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| crate::Error::Damaged {
                        target: target.clone(),
                        id: format!("#{seq}"),
                        what: "paragraphs",
                        message: e.to_string(),
                    })?
                    .unwrap_or_default();
                let terms = Terms::of(r.get(2), &paragraphs);
                tx.execute(
                    "UPDATE articles SET terms = $1::text::tsvector, title_len = $2, body_len = $3
                     WHERE seq = $4 AND month = $5::text::date",
                    &[&terms.vector, &terms.title_len, &terms.body_len, &seq, &month],
                )
                .map_err(&err)?;
                totals.add(&month, &terms);
            }
            totals.write(&mut tx, &target)?;
            tx.execute(
                "DELETE FROM lede_meta WHERE key = 'search_backfill'
                 AND NOT EXISTS (SELECT 1 FROM articles WHERE terms IS NULL)",
                &[],
            )
            .map_err(&err)?;
            tx.commit().map_err(&err)?;
            if rows.is_empty() {
                return Ok(());
            }
        }
    }
}

/// The SQL condition of `matching`, and its `tsquery` if it has one: parameter `$n`.
fn where_clause(matching: &Match, n: usize) -> (String, Option<&str>) {
    match matching {
        Match::Where(q) => (format!("a.terms @@ ${n}::text::tsquery"), Some(q)),
        Match::All | Match::Nothing => ("true".into(), None),
    }
}

/// The words to mark in snippets: every word of the query's terms (title terms too: the
/// word is marked where the body has it), any of them.
fn snippet_query(query: &Query) -> String {
    let mut words: Vec<&str> = query
        .lexemes
        .iter()
        .zip(&query.scored)
        .filter(|(_, s)| **s)
        .flat_map(|(l, _)| l.strip_prefix(terms::TITLE).unwrap_or(l).split(' '))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.iter().map(|w| terms::quoted(w)).collect::<Vec<_>>().join(" | ")
}

/// The field lengths of the articles one transaction stores, by partition month: the rows
/// it adds to `search_totals`, for BM25's averages.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    months: Vec<String>,
    docs: Vec<i64>,
    title_tokens: Vec<i64>,
    body_tokens: Vec<i64>,
}

impl Totals {
    /// Counts an article of partition `month` (`YYYY-MM-DD`) with these terms.
    pub(crate) fn add(&mut self, month: &str, terms: &Terms) {
        let i = match self.months.iter().position(|m| m == month) {
            Some(i) => i,
            None => {
                self.months.push(month.to_owned());
                self.docs.push(0);
                self.title_tokens.push(0);
                self.body_tokens.push(0);
                self.months.len() - 1
            }
        };
        self.docs[i] += 1;
        self.title_tokens[i] += i64::from(terms.title_len);
        self.body_tokens[i] += i64::from(terms.body_len);
    }

    /// Adds the rows, in `tx` (the transaction that stores the articles).
    pub(crate) fn write(&self, tx: &mut postgres::Transaction<'_>, target: &str) -> Result<()> {
        if self.months.is_empty() {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO search_totals (month, docs, title_tokens, body_tokens)
             SELECT m::date, d, t, b FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])
                 AS x(m, d, t, b)",
            &[&self.months, &self.docs, &self.title_tokens, &self.body_tokens],
        )
        .map(|_| ())
        .map_err(sql(target, "storing search statistics"))
    }
}
