//! Full-text search over the stored articles, answering as the embedded index (lede-search,
//! tantivy) answers: the same words, the same query syntax, the same matches, BM25 with
//! the same statistics.
//!
//! - Terms (`terms`): each article's title and body words, and the body's pairs of common
//!   words, as lede-search indexes them (no stemming, no stop words), in a `tsvector` with
//!   the lengths of its title and body: a row of `search_terms`, written in the
//!   transaction that stores the article. One table, not partitioned, one GIN index:
//!   planning a query over the 60 month partitions of the 52,060 releases took 4 ms a
//!   statement, and a rare term's GIN scan in every partition 2 ms more (`jacqueline`:
//!   6 ms a count, 0.2 ms in one table).
//! - Queries (`query`): tantivy's own query grammar, read as lede-search reads it (words
//!   ANDed, title or body, `"phrases"`, `OR`, `-exclusion`, `title:`), then one `tsquery`:
//!   PostgreSQL finds the matching articles through the GIN index.
//! - Ranking: tantivy's BM25, in Rust, over each match's counts of the query's terms (and
//!   their positions, for phrases), read from its vector by `ts_filter`. The collection's
//!   statistics come from PostgreSQL as it is at the query, in the query's snapshot: each
//!   term's document frequency counted in the GIN index (title and body terms are
//!   distinct lexemes, so a count needs no recheck), or among the matches when every
//!   article holding the term matches (`a OR b`); the number of articles and their total
//!   title and body lengths from `search_totals`, a row per month per stored batch
//!   (written in the batch's transaction, never updated: workers storing at once never
//!   wait on each other for it).
//! - Snippets: `ts_headline` over the top articles' bodies, the query's words marked `[`
//!   `]`.
//!
//! On the 52,060 releases and the 1,000 queries of `bench/store.sh` (`bench/pg.sh`, commit
//! a4e99e0; bench/README.md): the top 10 share 0.993 of tantivy's on average (0.23 with
//! the stemmed `ts_rank_cd` search before), every difference a tie with the 10th score;
//! p50 / p99 15.2 / 377 ms against tantivy's 2.0 / 4.4 (13.5 / 162 before: the slowest
//! are the queries of terms most articles hold, whose vectors the ranking reads one by one,
//! where tantivy skips); storing 550 articles/s against 795 before (2.7 times the GIN
//! entries).
//!
//! Differences left: `outlet:`, `author:`, `entity:`, date ranges, sloppy and prefix
//! phrases are not searchable here yet (left out with a warning,
//! [`PgStore::search_warnings`]); a `tsvector` keeps 256 positions of a word and none past
//! the 16,383rd, so a word's count in a very long article is cut there (see `terms`); ties
//! are broken by sequence number, tantivy's by its own document order.
//!
//! A month retired by detaching its partition takes its search rows with it only when
//! they are deleted too (`DELETE FROM search_terms WHERE month = ...`, and the same from
//! `search_totals`; deploy/README.md): until then its articles still match, and are left
//! out of the hits, as articles no longer stored.
//!
//! Articles stored before format 3 have no terms until a search finds them: the first
//! search after the migration indexes them, a few hundred at a time (it needs write
//! access), and every later one checks one row of `lede_meta`.

mod query;
mod terms;

use crate::{PgStore, Result, sql};
use lede_core::{Article, ArticleSeq};
use lede_text::lexicon::is_common_word;
use postgres::types::ToSql;
use query::{Doc, Match, Query, Stats};
use std::collections::HashMap;
use terms::Terms;

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

type Tx<'a> = postgres::Transaction<'a>;
type Param<'a> = &'a (dyn ToSql + Sync);

/// A match: its sequence number and partition month (`YYYY-MM-DD`), and its score.
#[derive(Debug, Clone, PartialEq)]
struct Ranked {
    seq: i64,
    month: String,
    score: f32,
}

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
        self.snapshot(|tx, target, backfilled| {
            let (mut stats, pending) = stats(tx, target, &query)?;
            if pending && !backfilled {
                return Ok(None);
            }
            let top = if query.ranks() {
                ranked(tx, target, &query, &matching, &mut stats, limit)?
            } else {
                // Every match scores the same (`*`, exclusions only): the oldest first.
                oldest(tx, target, &matching, limit)?
            };
            hits(tx, target, &query, &top).map(Some)
        })
    }

    /// The articles whose bodies share the most distinctive words with `text` (a
    /// paragraph), best first, with their BM25 scores, as
    /// `lede_search::SearchIndex::similar_to` answers: the words of `text` that the fewest
    /// articles' bodies hold (at most `words` of them; common words, and words no article
    /// holds, left out; ties in the order of their bytes) are ORed over the body. This is
    /// how `lede trace` finds candidate sources in cluster mode. At least one result is
    /// asked for, as there; ties are broken by sequence number.
    pub fn similar_to(
        &mut self,
        text: &str,
        words: usize,
        limit: usize,
    ) -> Result<Vec<(ArticleSeq, f32)>> {
        let mut seen = std::collections::HashSet::new();
        let candidates: Vec<String> = terms::words(text)
            .into_iter()
            .map(|w| w.text)
            .filter(|w| !is_common_word(w) && seen.insert(w.clone()))
            .collect();
        if words == 0 || candidates.is_empty() {
            return Ok(Vec::new());
        }
        let top = self.snapshot(|tx, target, backfilled| {
            let (mut stats, pending) = collection(tx, target, &candidates)?;
            if pending && !backfilled {
                return Ok(None);
            }
            let mut rare: Vec<(u64, &String)> =
                stats.df.iter().copied().zip(&candidates).filter(|(df, _)| *df > 0).collect();
            rare.sort_unstable();
            rare.truncate(words);
            if rare.is_empty() {
                return Ok(Some(Vec::new()));
            }
            stats.df = rare.iter().map(|(df, _)| *df).collect();
            let query = Query::any_in_body(rare.into_iter().map(|(_, w)| w.clone()).collect());
            let matching = query.matching();
            ranked(tx, target, &query, &matching, &mut stats, limit.max(1)).map(Some)
        })?;
        Ok(top.into_iter().map(|r| (ArticleSeq(r.seq as u64), r.score)).collect())
    }

    /// Runs `read` in one read-only snapshot (`read(tx, target, backfilled)`), indexing
    /// the articles stored before format 3 first when it answers `None` (it found them
    /// waiting, and `backfilled` was false).
    fn snapshot<T>(
        &mut self,
        mut read: impl FnMut(&mut Tx<'_>, &str, bool) -> Result<Option<T>>,
    ) -> Result<T> {
        let target = self.target.clone();
        let err = sql(&target, "searching");
        let mut backfilled = false;
        loop {
            // One snapshot for the statistics and the matches (a batch committed between
            // them would count terms of articles the search does not see).
            let mut tx = self
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(&err)?;
            // Matches through the GIN index only: the planner, which does not count what
            // decompressing a vector costs, reads every article's vector where a term is
            // common (`the`, in 51,569 of 51,786 articles: 660 ms, against 11 through the
            // index). JIT off: with sequential scans priced out, the totals' scan looks
            // costly enough to compile (134 ms of compiling for a 0.1 ms statement).
            tx.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
                .map_err(&err)?;
            match read(&mut tx, &target, backfilled)? {
                Some(answer) => {
                    tx.commit().map_err(&err)?;
                    return Ok(answer);
                }
                None => {
                    drop(tx);
                    self.backfill()?;
                    backfilled = true;
                }
            }
        }
    }

    /// What `query` leaves out, and why (an unknown field, a syntax error, what only the
    /// embedded index searches yet); empty when it is read whole.
    pub fn search_warnings(query: &str) -> Vec<String> {
        Query::parse(query).warnings
    }

    /// Indexes the articles stored before format 3 (they have no terms), a chunk per
    /// transaction. Several searches may do so at once: an article indexed twice is
    /// stored and counted once.
    fn backfill(&mut self) -> Result<()> {
        let target = self.target.clone();
        let err = sql(&target, "indexing articles stored before format 3");
        let mut after = 0i64;
        loop {
            let mut tx = self.client.transaction().map_err(&err)?;
            let rows = tx
                .query(
                    "SELECT a.seq, a.month::text, a.title, (a.article -> 'paragraphs')::text
                     FROM articles a
                     WHERE a.seq > $1 AND NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.seq = a.seq)
                     ORDER BY a.seq LIMIT $2",
                    &[&after, &BACKFILL_CHUNK],
                )
                .map_err(&err)?;
            let mut index = TermRows::default();
            for r in &rows {
                let (seq, month): (i64, &str) = (r.get(0), r.get(1));
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
                index.push(seq, month, Terms::of(r.get(2), &paragraphs));
                after = seq;
            }
            index.write(&mut tx, &target)?;
            if rows.is_empty() {
                tx.execute(
                    "DELETE FROM lede_meta WHERE key = 'search_backfill' AND NOT EXISTS (
                         SELECT 1 FROM articles a
                         WHERE NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.seq = a.seq))",
                    &[],
                )
                .map_err(&err)?;
            }
            tx.commit().map_err(&err)?;
            if rows.is_empty() {
                return Ok(());
            }
        }
    }
}

/// The collection's statistics for `query`'s terms, and whether articles stored before
/// format 3 wait to be indexed. The terms every match holds (see [`Query::implied`]) are
/// counted later, among the matches.
fn stats(tx: &mut Tx<'_>, target: &str, query: &Query) -> Result<(Stats, bool)> {
    let implied = query.implied();
    let counted: Vec<usize> =
        (0..query.lexemes.len()).filter(|&i| query.scored[i] && !implied[i]).collect();
    let lexemes: Vec<&str> = counted.iter().map(|&i| query.lexemes[i].as_str()).collect();
    let (mut stats, pending) = collection(tx, target, &lexemes)?;
    let mut df = vec![0; query.lexemes.len()];
    for (&i, &n) in counted.iter().zip(&stats.df) {
        df[i] = n;
    }
    stats.df = df;
    Ok((stats, pending))
}

/// The collection's totals, with the document frequency of each of `lexemes` in their
/// order (counted in the GIN index), and whether articles stored before format 3 wait to
/// be indexed.
fn collection(tx: &mut Tx<'_>, target: &str, lexemes: &[impl AsRef<str>]) -> Result<(Stats, bool)> {
    let tsqueries: Vec<String> = lexemes.iter().map(|l| terms::quoted(l.as_ref())).collect();
    // A count per term, each a GIN scan of its own that the planner sees (a correlated
    // subquery over an array of terms is planned blind, and took seconds).
    let counts: String = (1..=tsqueries.len())
        .map(|n| {
            format!(", (SELECT count(*) FROM search_terms WHERE terms @@ ${n}::text::tsquery)")
        })
        .collect();
    let row = tx
        .query_one(
            &format!(
                "SELECT coalesce(sum(docs), 0)::bigint, coalesce(sum(title_tokens), 0)::bigint,
                        coalesce(sum(body_tokens), 0)::bigint,
                        EXISTS (SELECT 1 FROM lede_meta WHERE key = 'search_backfill') {counts}
                 FROM search_totals"
            ),
            &tsqueries.iter().map(|q| q as Param<'_>).collect::<Vec<_>>(),
        )
        .map_err(sql(target, "reading search statistics"))?;
    let stats = Stats {
        docs: row.get::<_, i64>(0) as u64,
        title_tokens: row.get::<_, i64>(1) as u64,
        body_tokens: row.get::<_, i64>(2) as u64,
        df: (0..tsqueries.len()).map(|n| row.get::<_, i64>(4 + n) as u64).collect(),
    };
    Ok((stats, row.get(3)))
}

/// The `limit` best matches by BM25.
fn ranked(
    tx: &mut Tx<'_>,
    target: &str,
    query: &Query,
    matching: &Match,
    stats: &mut Stats,
    limit: usize,
) -> Result<Vec<Ranked>> {
    let positional: Vec<&str> = query
        .lexemes
        .iter()
        .zip(&query.positional)
        .filter(|(_, p)| **p)
        .map(|(l, _)| l.as_str())
        .collect();
    // Each match's counts of the query's lexemes (positions where a phrase needs them):
    // its vector cut down to those lexemes (`setweight` marks them, `ts_filter` keeps the
    // marked), one row per lexeme it holds.
    let (condition, tsquery) = where_clause(matching, 3);
    let mut params: Vec<Param<'_>> = vec![&query.lexemes, &positional];
    if let Some(q) = &tsquery {
        params.push(q);
    }
    let rows = tx
        .query(
            &format!(
                "SELECT s.seq, s.month::text, s.title_len, s.body_len, u.lexeme,
                        cardinality(u.positions),
                        CASE WHEN u.lexeme = ANY($2::text[]) THEN u.positions END
                 FROM search_terms s
                 LEFT JOIN LATERAL unnest(ts_filter(setweight(s.terms, 'A', $1::text[]), '{{a}}')) u
                   ON true
                 WHERE {condition}"
            ),
            &params,
        )
        .map_err(sql(target, "searching"))?;
    let index: HashMap<&str, usize> =
        query.lexemes.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let mut docs: HashMap<i64, (&str, Doc)> = HashMap::new();
    for r in &rows {
        let length = |i| r.get::<_, i32>(i).max(0) as u32;
        let (_, doc) = docs
            .entry(r.get(0))
            .or_insert_with(|| (r.get(1), Doc::new(query, length(2), length(3))));
        let Some(&i) = r.get::<_, Option<&str>>(4).and_then(|l| index.get(l)) else {
            continue;
        };
        doc.counts[i] = r.get::<_, Option<i32>>(5).unwrap_or(0).max(0) as u32;
        if let Some(positions) = r.get::<_, Option<Vec<i16>>>(6) {
            doc.positions[i] = positions.into_iter().map(|p| p as u16).collect();
        }
    }
    for (i, implied) in query.implied().into_iter().enumerate() {
        if implied {
            stats.df[i] = docs.values().filter(|(_, d)| d.counts[i] > 0).count() as u64;
        }
    }
    let ranker = query.ranker(stats);
    let mut scored: Vec<(i64, &str, f32)> = docs
        .iter()
        .filter_map(|(&seq, (month, d))| ranker.score(d).map(|s| (seq, *month, s)))
        .collect();
    let order =
        |a: &(i64, &str, f32), b: &(i64, &str, f32)| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0));
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit, order);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(order);
    Ok(scored
        .into_iter()
        .map(|(seq, month, score)| Ranked { seq, month: month.to_owned(), score })
        .collect())
}

/// The `limit` oldest matches, for queries whose matches all score the same.
fn oldest(tx: &mut Tx<'_>, target: &str, matching: &Match, limit: usize) -> Result<Vec<Ranked>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let (condition, tsquery) = where_clause(matching, 2);
    let mut params: Vec<Param<'_>> = vec![&limit];
    if let Some(q) = &tsquery {
        params.push(q);
    }
    let rows = tx
        .query(
            &format!(
                "SELECT s.seq, s.month::text FROM search_terms s WHERE {condition}
                 ORDER BY s.seq LIMIT $1"
            ),
            &params,
        )
        .map_err(sql(target, "searching"))?;
    Ok(rows.iter().map(|r| Ranked { seq: r.get(0), month: r.get(1), score: 1.0 }).collect())
}

/// The hits of `top`, in its order, with their ids, headlines and snippets (an article no
/// longer stored, its month detached, is left out).
fn hits(tx: &mut Tx<'_>, target: &str, query: &Query, top: &[Ranked]) -> Result<Vec<Hit>> {
    if top.is_empty() {
        return Ok(Vec::new());
    }
    let seqs: Vec<i64> = top.iter().map(|t| t.seq).collect();
    // The months written into the statement, so that the planner looks at their
    // partitions only (with months as a parameter it plans every partition: 4 ms).
    let mut months: Vec<&str> = top.iter().map(|t| t.month.as_str()).collect();
    months.sort_unstable();
    months.dedup();
    let is_date = |m: &&str| m.len() == 10 && m.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let months = if months.iter().all(is_date) {
        format!("a.month IN ('{}') AND", months.join("', '"))
    } else {
        String::new()
    };
    let rows = tx
        .query(
            &format!(
                "SELECT a.seq, a.id, a.title,
                        ts_headline('simple', array_to_string(ARRAY(
                            SELECT jsonb_array_elements_text(a.article -> 'paragraphs')), ' '),
                            $2::text::tsquery,
                            'StartSel=[, StopSel=], MaxWords=30, MinWords=12, MaxFragments=2')
                 FROM articles a WHERE {months} a.seq = ANY($1)"
            ),
            &[&seqs, &snippet_query(query)],
        )
        .map_err(sql(target, "searching"))?;
    let mut found: HashMap<i64, &postgres::Row> = rows.iter().map(|r| (r.get(0), r)).collect();
    Ok(top
        .iter()
        .filter_map(|t| {
            let r = found.remove(&t.seq)?;
            Some(Hit {
                seq: ArticleSeq(t.seq as u64),
                id: r.get(1),
                title: r.get(2),
                rank: t.score,
                snippet: r.get(3),
            })
        })
        .collect())
}

/// The SQL condition of `matching`, and its `tsquery` if it has one: parameter `$n`.
fn where_clause(matching: &Match, n: usize) -> (String, Option<&str>) {
    match matching {
        Match::Where(q) => (format!("s.terms @@ ${n}::text::tsquery"), Some(q)),
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

/// The search rows of the articles one transaction stores: their terms, and their share
/// of `search_totals`.
#[derive(Debug, Default)]
pub(crate) struct TermRows {
    seqs: Vec<i64>,
    months: Vec<String>,
    vectors: Vec<String>,
    title_lens: Vec<i32>,
    body_lens: Vec<i32>,
}

impl TermRows {
    /// Adds article `seq`, of partition `month` (`YYYY-MM-DD`).
    pub(crate) fn add(&mut self, seq: i64, month: &str, article: &Article) {
        self.push(seq, month, Terms::of(article.title.as_deref(), &article.paragraphs));
    }

    fn push(&mut self, seq: i64, month: &str, terms: Terms) {
        self.seqs.push(seq);
        self.months.push(month.to_owned());
        self.vectors.push(terms.vector);
        self.title_lens.push(terms.title_len);
        self.body_lens.push(terms.body_len);
    }

    /// Writes the rows in `tx` (the transaction that stores the articles), in one
    /// statement; an article that has its row already (two searches indexing the same
    /// old articles) is neither stored nor counted again.
    pub(crate) fn write(&self, tx: &mut Tx<'_>, target: &str) -> Result<()> {
        if self.seqs.is_empty() {
            return Ok(());
        }
        tx.execute(
            "WITH added AS (
                 INSERT INTO search_terms (seq, month, terms, title_len, body_len)
                 SELECT s, m::date, t::tsvector, tl, bl
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::integer[])
                     AS x(s, m, t, tl, bl)
                 ON CONFLICT (seq) DO NOTHING
                 RETURNING month, title_len, body_len)
             INSERT INTO search_totals (month, docs, title_tokens, body_tokens)
             SELECT month, count(*), sum(title_len), sum(body_len) FROM added GROUP BY month",
            &[&self.seqs, &self.months, &self.vectors, &self.title_lens, &self.body_lens],
        )
        .map(|_| ())
        .map_err(sql(target, "storing search terms"))
    }
}
