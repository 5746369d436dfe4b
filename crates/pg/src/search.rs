//! Full-text search over the stored articles, answering as the embedded index (lede-search,
//! tantivy) answers: the same words, the same query syntax and filters, the same matches,
//! BM25 with the same statistics, the same count.
//!
//! - Terms (`terms`): each article's title and body words, and the body's pairs of common
//!   words, as lede-search indexes them (no stemming, no stop words), with its other
//!   fields' terms (the outlet's and authors' words, the outlet's whole name, the canonical
//!   names of the entities it names; for an article in a language with a stemmer, the
//!   body's stems as lede-search's `stems` field holds them, which a query of plain words
//!   also looks for once some article has them, as there), in a `tsvector` with each
//!   field's length and the publication time: a row of `search_terms`, written in the transaction that stores the
//!   article. One table, not partitioned, one GIN index: planning a query over the 60
//!   month partitions of the 52,060 releases took 4 ms a statement, and a rare term's GIN
//!   scan in every partition 2 ms more (`jacqueline`: 6 ms a count, 0.2 ms in one table).
//! - Queries (`query`): tantivy's own query grammar, read as lede-search reads it (words
//!   ANDed, title or body, `"phrases"`, `OR`, `-exclusion`, `title:`, `body:`, `outlet:`,
//!   `author:`, `entity:`), and [`SearchQuery`]'s filters as lede-search adds them (MUST
//!   clauses beside the text's: the outlet's whole name and the entity's canonical name,
//!   any case, as terms; the publication time as a range), then one `tsquery` and a
//!   condition on `published`: PostgreSQL finds the matching articles through the GIN
//!   index (and the time's B-tree), filters included.
//! - Ranking: tantivy's BM25, in Rust, over each match's counts of the query's terms (and
//!   their positions, for phrases), read from its vector by `ts_filter`. The collection's
//!   statistics come from PostgreSQL as it is at the query, in the query's snapshot: each
//!   term's document frequency counted in the GIN index (each field's terms are distinct
//!   lexemes, so a count needs no recheck), or among the matches when every article
//!   holding the term matches (`a OR b`, no filter); the number of articles and each
//!   field's total length from `search_totals`, a row per month per stored batch (written
//!   in the batch's transaction, never updated: workers storing at once never wait on each
//!   other for it). Every match is scored, so the count is exact (phrases included) and a
//!   date order (score 0, the undated last, as tantivy orders them) costs what relevance
//!   does; a query whose matches all score the same (`*`, exclusions only, a time range)
//!   is ordered and counted in SQL.
//! - Snippets: `ts_headline` over the top articles' bodies, the query's body words marked,
//!   the marks turned into byte ranges ([`Hit::highlights`]).
//! - [`PgStore::similar_to`]: lede-search's, for `lede trace`: a paragraph's rarest words
//!   (document frequencies from the GIN index) ORed over the body.
//!
//! On the 52,060 releases and the 1,000 queries of `bench/store.sh` (`bench/pg.sh`, commit
//! a4e99e0, before the filters; bench/README.md): the top 10 share 0.993 of tantivy's on
//! average (0.23 with the stemmed `ts_rank_cd` search before), every difference a tie with
//! the 10th score; p50 / p99 15.2 / 377 ms against tantivy's 2.0 / 4.4 (13.5 / 162 before:
//! the slowest are the queries of terms most articles hold, whose vectors the ranking reads
//! one by one, where tantivy skips); storing 550 articles/s against 795 before (2.7 times
//! the GIN entries). Format 4's ranking reads five more integers a match; not measured
//! again.
//!
//! Differences left: ranges in the query text (`published:[a TO b]`), the `seq:`, `id:`
//! and `language:` fields, sets and regular expressions are not searchable here (left out
//! with a warning, [`PgStore::search_warnings`]); sloppy and prefix phrases are searched as
//! exact phrases (with a warning); a `tsvector` keeps 256 positions of a word and none past
//! the 16,383rd, so a word's count in a very long article is cut there (see `terms`), and
//! no lexeme over 2 KiB (an outlet or entity name that long is not found); ties are broken
//! by sequence number, tantivy's by its own document order; snippets are
//! `ts_headline`'s passages, not tantivy's.
//!
//! A month retired by detaching its partition takes its search rows with it only when
//! they are deleted too (`DELETE FROM search_terms WHERE month = ...`, and the same from
//! `search_totals`; deploy/README.md): until then its articles still match, are counted,
//! and are left out of the hits, as articles no longer stored (`similar_to` still names
//! them).
//!
//! Articles stored before format 4 have no terms (or format 3's, without the other fields)
//! until a search finds them: the first search after the migration indexes them, a few
//! hundred at a time (it needs write access), and every later one checks one row of
//! `lede_meta`.

mod query;
mod terms;

use crate::{PgStore, Result, sql};
use lede_core::{Article, ArticleSeq};
use lede_search::{SearchQuery, SortOrder};
use lede_text::lexicon::is_common_word;
use postgres::types::ToSql;
use query::{Doc, Match, Query, Stats};
use std::collections::HashMap;
use std::ops::Range;
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
    /// Its outlet, if known.
    pub outlet: Option<String>,
    /// Its publication time (ISO 8601), if known.
    pub published: Option<String>,
    /// Its BM25 score (higher is better; comparable within one query only; 0 in a date
    /// order, as the embedded index gives).
    pub rank: f32,
    /// A passage of the body where the query's words occur.
    pub snippet: String,
    /// Byte ranges of `snippet` that are the query's words.
    pub highlights: Vec<Range<usize>>,
    /// The canonical names of the entities it names, in name order.
    pub entities: Vec<String>,
}

/// A search's answer: the best hits, how many articles match, what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The hits, best (or newest, or oldest) first.
    pub hits: Vec<Hit>,
    /// How many articles match, all of them.
    pub total: u64,
    /// What the query left out, and why (see [`PgStore::search_warnings`]).
    pub warnings: Vec<String>,
}

/// How many articles stored before format 4 one transaction indexes.
const BACKFILL_CHUNK: i64 = 500;

type Tx<'a> = postgres::Transaction<'a>;
type Param<'a> = &'a (dyn ToSql + Sync);

/// A match: its sequence number and partition month (`YYYY-MM-DD`), its publication time
/// and its score.
#[derive(Debug, Clone, PartialEq)]
struct Ranked {
    seq: i64,
    month: String,
    published: Option<i64>,
    score: f32,
}

/// Marks around the query's words in `ts_headline`'s passages, taken out again for byte
/// ranges: characters of Unicode's private use area, which no article's text has in it
/// (`[` `]` would be confused with a text's own brackets).
const MARK_START: char = '\u{e000}';
const MARK_END: char = '\u{e001}';

impl PgStore {
    /// The `limit` articles that best match `query`, best first (ties: the older article).
    /// The query is read as the embedded index reads it; what cannot be read is left out
    /// ([`PgStore::search_warnings`] says what).
    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut search = SearchQuery::new(query);
        search.limit = limit;
        Ok(self.search_with(&search)?.hits)
    }

    /// The articles that match `search` as the embedded index answers it
    /// (`lede_search::SearchIndex::search` and `count`): its text read as there, its
    /// filters (publication time, outlet by its whole name in any case, entity by its
    /// whole canonical name in any case) narrowing the matches inside PostgreSQL, at most
    /// `limit` of them (at least one is asked for, as there) by relevance (ties: the
    /// older article) or date (the undated last), and how many match in all.
    pub fn search_with(&mut self, search: &SearchQuery) -> Result<SearchResults> {
        let exact = Query::search(search, false);
        let limit = search.limit.max(1);
        let warnings = exact.warnings.clone();
        if exact.matching() == Match::Nothing {
            return Ok(SearchResults { hits: Vec::new(), total: 0, warnings });
        }
        let (hits, total) = self.snapshot(|tx, target, backfilled| {
            let stemmed = with_stems(tx, target, search, &exact)?;
            let query = stemmed.as_ref().unwrap_or(&exact);
            let matching = query.matching();
            let (mut stats, pending) = stats(tx, target, query)?;
            if pending && !backfilled {
                return Ok(None);
            }
            let (top, total) = if query.ranks() {
                let scored = scored(tx, target, query, &matching, &mut stats)?;
                let total = scored.len() as u64;
                (best(scored, search.order, limit), total)
            } else {
                // Every match scores the same (`*`, exclusions only, a time range only).
                unranked(tx, target, query, &matching, &stats, search.order, limit)?
            };
            Ok(Some((hits(tx, target, query, &top)?, total)))
        })?;
        Ok(SearchResults { hits, total, warnings })
    }

    /// How many articles match `search`, all of them, as
    /// `lede_search::SearchIndex::count` counts (its limit and order aside).
    pub fn search_count(&mut self, search: &SearchQuery) -> Result<u64> {
        let exact = Query::search(search, false);
        if exact.matching() == Match::Nothing {
            return Ok(0);
        }
        self.snapshot(|tx, target, backfilled| {
            let stemmed = with_stems(tx, target, search, &exact)?;
            let query = stemmed.as_ref().unwrap_or(&exact);
            let matching = query.matching();
            let (mut stats, pending) = stats(tx, target, query)?;
            if pending && !backfilled {
                return Ok(None);
            }
            // The `tsquery` matches a phrase's words anywhere: only the ranking, which
            // reads their positions, counts a query with a phrase exactly.
            if query.positional.iter().any(|p| *p) {
                Ok(Some(scored(tx, target, query, &matching, &mut stats)?.len() as u64))
            } else {
                count(tx, target, query, &matching).map(Some)
            }
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
            let scored = scored(tx, target, &query, &matching, &mut stats)?;
            Ok(Some(best(scored, SortOrder::Relevance, limit.max(1))))
        })?;
        Ok(top.into_iter().map(|r| (ArticleSeq(r.seq as u64), r.score)).collect())
    }

    /// Runs `read` in one read-only snapshot (`read(tx, target, backfilled)`), indexing
    /// the articles stored before format 4 first when it answers `None` (it found them
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

    /// Indexes the articles stored before format 4 (they have no terms), a chunk per
    /// transaction. Several searches may do so at once: an article indexed twice is
    /// stored and counted once.
    fn backfill(&mut self) -> Result<()> {
        let target = self.target.clone();
        let err = sql(&target, "indexing articles stored before format 4");
        let mut after = 0i64;
        loop {
            let mut tx = self.client.transaction().map_err(&err)?;
            let rows = tx
                .query(
                    "SELECT a.seq, a.month::text, a.article::text,
                            ARRAY(SELECT e.name FROM entities e WHERE e.seq = a.seq ORDER BY e.name)
                     FROM articles a
                     WHERE a.seq > $1 AND NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.seq = a.seq)
                     ORDER BY a.seq LIMIT $2",
                    &[&after, &BACKFILL_CHUNK],
                )
                .map_err(&err)?;
            let mut index = TermRows::default();
            for r in &rows {
                let (seq, month): (i64, &str) = (r.get(0), r.get(1));
                let article: Article =
                    serde_json::from_str(r.get(2)).map_err(|e| crate::Error::Damaged {
                        target: target.clone(),
                        id: format!("#{seq}"),
                        what: "article",
                        message: e.to_string(),
                    })?;
                let entities: Vec<&str> = r.get(3);
                index.add(seq, month, &article, &entities);
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

/// `search` read with its stems when its text is plain words and some article has stems
/// (as lede-search adds its stems query only then: a store without stemmed articles
/// searches as before, cost included); `None` to search `exact` as it is.
fn with_stems(
    tx: &mut Tx<'_>,
    target: &str,
    search: &SearchQuery,
    exact: &Query,
) -> Result<Option<Query>> {
    if lede_search::stems::plain_words(&search.text).is_none() {
        return Ok(None);
    }
    // `search_totals_stemmed` (a partial index) makes this a look-up, not a scan.
    let stemmed: bool = tx
        .query_one("SELECT EXISTS (SELECT 1 FROM search_totals WHERE stem_tokens > 0)", &[])
        .map_err(sql(target, "reading search statistics"))?
        .get(0);
    let query = stemmed.then(|| Query::search(search, true));
    Ok(query.filter(|q| q.lexemes.len() > exact.lexemes.len()))
}

/// The collection's statistics for `query`'s terms, and whether articles stored before
/// format 4 wait to be indexed. The terms every match holds (see [`Query::implied`]) are
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
/// order (counted in the GIN index), and whether articles stored before format 4 wait to
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
                "SELECT coalesce(sum(docs), 0)::bigint,
                        EXISTS (SELECT 1 FROM lede_meta WHERE key = 'search_backfill'),
                        {totals} {counts}
                 FROM search_totals",
                totals = FIELD_COLUMNS
                    .iter()
                    .map(|c| format!("coalesce(sum({}), 0)::bigint", c.1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &tsqueries.iter().map(|q| q as Param<'_>).collect::<Vec<_>>(),
        )
        .map_err(sql(target, "reading search statistics"))?;
    let stats = Stats {
        docs: row.get::<_, i64>(0) as u64,
        tokens: std::array::from_fn(|f| row.get::<_, i64>(2 + f) as u64),
        df: (0..tsqueries.len()).map(|n| row.get::<_, i64>(2 + query::FIELDS + n) as u64).collect(),
    };
    Ok((stats, row.get(1)))
}

/// Every match, scored by BM25.
fn scored(
    tx: &mut Tx<'_>,
    target: &str,
    query: &Query,
    matching: &Match,
    stats: &mut Stats,
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
    let mut params: Vec<Param<'_>> = vec![&query.lexemes, &positional];
    let condition = condition(query, matching, &mut params);
    let lens: Vec<String> = FIELD_COLUMNS.iter().map(|c| format!("s.{}", c.0)).collect();
    let rows = tx
        .query(
            &format!(
                "SELECT s.seq, s.month::text, s.published, u.lexeme, cardinality(u.positions),
                        CASE WHEN u.lexeme = ANY($2::text[]) THEN u.positions END, {lens}
                 FROM search_terms s
                 LEFT JOIN LATERAL unnest(ts_filter(setweight(s.terms, 'A', $1::text[]), '{{a}}')) u
                   ON true
                 WHERE {condition}",
                lens = lens.join(", ")
            ),
            &params,
        )
        .map_err(sql(target, "searching"))?;
    let index: HashMap<&str, usize> =
        query.lexemes.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let mut docs: HashMap<i64, (&str, Option<i64>, Doc)> = HashMap::new();
    for r in &rows {
        let (_, _, doc) = docs.entry(r.get(0)).or_insert_with(|| {
            let lens = std::array::from_fn(|f| r.get::<_, i32>(6 + f).max(0) as u32);
            (r.get(1), r.get(2), Doc::new(query, lens))
        });
        let Some(&i) = r.get::<_, Option<&str>>(3).and_then(|l| index.get(l)) else {
            continue;
        };
        doc.counts[i] = r.get::<_, Option<i32>>(4).unwrap_or(0).max(0) as u32;
        if let Some(positions) = r.get::<_, Option<Vec<i16>>>(5) {
            doc.positions[i] = positions.into_iter().map(|p| p as u16).collect();
        }
    }
    for (i, implied) in query.implied().into_iter().enumerate() {
        if implied {
            stats.df[i] = docs.values().filter(|(.., d)| d.counts[i] > 0).count() as u64;
        }
    }
    let ranker = query.ranker(stats);
    Ok(docs
        .iter()
        .filter_map(|(&seq, (month, published, d))| {
            let score = ranker.score(d)?;
            Some(Ranked { seq, month: (*month).to_owned(), published: *published, score })
        })
        .collect())
}

/// The `limit` first of `scored` in `order`: by score (ties: the older article), or by
/// publication time (ties, and the undated, after, oldest first) with score 0, as the
/// embedded index gives in a date order.
fn best(mut scored: Vec<Ranked>, order: SortOrder, limit: usize) -> Vec<Ranked> {
    let cmp = |a: &Ranked, b: &Ranked| match order {
        SortOrder::Relevance => b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq)),
        SortOrder::Newest => by_date(a.published, b.published, true).then(a.seq.cmp(&b.seq)),
        SortOrder::Oldest => by_date(a.published, b.published, false).then(a.seq.cmp(&b.seq)),
    };
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit, cmp);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(cmp);
    if order != SortOrder::Relevance {
        for r in &mut scored {
            r.score = 0.0;
        }
    }
    scored
}

/// How `a` and `b` compare by date (newest first or oldest first), the undated after
/// every date.
fn by_date(a: Option<i64>, b: Option<i64>, newest: bool) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) if newest => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// The `limit` first matches in `order` (by relevance: the oldest, as every match scores
/// the same), for queries whose matches all score the same, and how many match.
fn unranked(
    tx: &mut Tx<'_>,
    target: &str,
    query: &Query,
    matching: &Match,
    stats: &Stats,
    order: SortOrder,
    limit: usize,
) -> Result<(Vec<Ranked>, u64)> {
    let n = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut params: Vec<Param<'_>> = vec![&n];
    let condition = condition(query, matching, &mut params);
    let order_by = match order {
        SortOrder::Relevance => "s.seq",
        SortOrder::Newest => "s.published DESC NULLS LAST, s.seq",
        SortOrder::Oldest => "s.published ASC NULLS LAST, s.seq",
    };
    // What any match scores (`*` and a time range score 1 each in the embedded index); a
    // date order scores 0.
    let score = match order {
        SortOrder::Relevance => {
            query.ranker(stats).score(&Doc::new(query, [0; query::FIELDS])).unwrap_or(1.0)
        }
        SortOrder::Newest | SortOrder::Oldest => 0.0,
    };
    let rows = tx
        .query(
            &format!(
                "SELECT s.seq, s.month::text, s.published FROM search_terms s WHERE {condition}
                 ORDER BY {order_by} LIMIT $1"
            ),
            &params,
        )
        .map_err(sql(target, "searching"))?;
    let top: Vec<Ranked> = rows
        .iter()
        .map(|r| Ranked { seq: r.get(0), month: r.get(1), published: r.get(2), score })
        .collect();
    let total =
        if top.len() < limit { top.len() as u64 } else { count(tx, target, query, matching)? };
    Ok((top, total))
}

/// How many articles `matching` and the query's time range keep (every match of a query
/// without phrases).
fn count(tx: &mut Tx<'_>, target: &str, query: &Query, matching: &Match) -> Result<u64> {
    let mut params = Vec::new();
    let condition = condition(query, matching, &mut params);
    let row = tx
        .query_one(&format!("SELECT count(*) FROM search_terms s WHERE {condition}"), &params)
        .map_err(sql(target, "counting matches"))?;
    Ok(row.get::<_, i64>(0) as u64)
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
                "SELECT a.seq, a.id, a.title, a.outlet, a.published,
                        ts_headline('simple', array_to_string(ARRAY(
                            SELECT jsonb_array_elements_text(a.article -> 'paragraphs')), ' '),
                            $2::text::tsquery,
                            'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2'),
                        ARRAY(SELECT e.name FROM entities e WHERE e.seq = a.seq ORDER BY e.name)
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
            let (snippet, highlights) = unmark(r.get(5));
            Some(Hit {
                seq: ArticleSeq(t.seq as u64),
                id: r.get(1),
                title: r.get(2),
                outlet: r.get(3),
                published: r.get(4),
                rank: t.score,
                snippet,
                highlights,
                entities: r.get(6),
            })
        })
        .collect())
}

/// The SQL condition over `search_terms s` of `matching` and the query's time range, its
/// values added to `params` (numbered after those there).
fn condition<'q>(query: &'q Query, matching: &'q Match, params: &mut Vec<Param<'q>>) -> String {
    let mut parts = Vec::new();
    if let Match::Where(q) = matching {
        params.push(q);
        parts.push(format!("s.terms @@ ${}::text::tsquery", params.len()));
    }
    if let Some((from, to)) = &query.published {
        parts.push("s.published IS NOT NULL".to_owned());
        if let Some(from) = from {
            params.push(from);
            parts.push(format!("s.published >= ${}", params.len()));
        }
        if let Some(to) = to {
            params.push(to);
            parts.push(format!("s.published < ${}", params.len()));
        }
    }
    if parts.is_empty() { "true".to_owned() } else { parts.join(" AND ") }
}

/// The words to mark in snippets, as the embedded index marks them: the words of the
/// query's body terms, any of them (`''` when it has none: nothing is marked).
fn snippet_query(query: &Query) -> String {
    let mut words: Vec<&str> = query
        .lexemes
        .iter()
        .zip(&query.scored)
        .filter(|(l, s)| **s && terms::is_body(l))
        .flat_map(|(l, _)| l.split(' '))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.iter().map(|w| terms::quoted(w)).collect::<Vec<_>>().join(" | ")
}

/// `ts_headline`'s passage without its marks, and the byte ranges they marked.
fn unmark(marked: &str) -> (String, Vec<Range<usize>>) {
    let mut text = String::with_capacity(marked.len());
    let mut highlights = Vec::new();
    let mut start = None;
    for c in marked.chars() {
        match c {
            MARK_START => start = Some(text.len()),
            MARK_END => {
                if let Some(start) = start.take() {
                    highlights.push(start..text.len());
                }
            }
            c => text.push(c),
        }
    }
    (text, highlights)
}

/// The search rows of the articles one transaction stores: their terms, and their share
/// of `search_totals`.
#[derive(Debug, Default)]
pub(crate) struct TermRows {
    seqs: Vec<i64>,
    months: Vec<String>,
    published: Vec<Option<i64>>,
    vectors: Vec<String>,
    /// Each article's field lengths, in the order of `FIELD_COLUMNS`.
    lens: [Vec<i32>; query::FIELDS],
}

/// The columns of `search_terms` holding the field lengths, and of `search_totals` their
/// sums, in [`query::Field`]'s order.
const FIELD_COLUMNS: [(&str, &str); query::FIELDS] = [
    ("title_len", "title_tokens"),
    ("body_len", "body_tokens"),
    ("outlet_len", "outlet_tokens"),
    ("author_len", "author_tokens"),
    ("entity_len", "entity_tokens"),
    ("outlet_key_len", "outlet_key_tokens"),
    ("stem_len", "stem_tokens"),
];

impl TermRows {
    /// Adds article `seq`, of partition `month` (`YYYY-MM-DD`), naming the entities of
    /// these canonical names.
    pub(crate) fn add(&mut self, seq: i64, month: &str, article: &Article, entities: &[&str]) {
        let published = article.published.as_ref().map(|p| p.at.unix_seconds());
        self.push(seq, month, published, Terms::of(source(article, entities)));
    }

    fn push(&mut self, seq: i64, month: &str, published: Option<i64>, terms: Terms) {
        self.seqs.push(seq);
        self.months.push(month.to_owned());
        self.published.push(published);
        self.vectors.push(terms.vector);
        let lens = [
            terms.title_len,
            terms.body_len,
            terms.outlet_len,
            terms.author_len,
            terms.entity_len,
            terms.outlet_key_len,
            terms.stem_len,
        ];
        for (column, len) in self.lens.iter_mut().zip(lens) {
            column.push(len);
        }
    }

    /// Writes the rows in `tx` (the transaction that stores the articles), in one
    /// statement; an article that has its row already (two searches indexing the same
    /// old articles) is neither stored nor counted again.
    pub(crate) fn write(&self, tx: &mut Tx<'_>, target: &str) -> Result<()> {
        if self.seqs.is_empty() {
            return Ok(());
        }
        let lens: Vec<&str> = FIELD_COLUMNS.iter().map(|c| c.0).collect();
        let totals: Vec<&str> = FIELD_COLUMNS.iter().map(|c| c.1).collect();
        let sums: Vec<String> = lens.iter().map(|l| format!("sum({l})")).collect();
        let arrays: Vec<String> = (5..5 + lens.len()).map(|n| format!("${n}::integer[]")).collect();
        let mut params: Vec<Param<'_>> =
            vec![&self.seqs, &self.months, &self.published, &self.vectors];
        params.extend(self.lens.iter().map(|l| l as Param<'_>));
        tx.execute(
            &format!(
                "WITH added AS (
                     INSERT INTO search_terms (seq, month, published, terms, {lens})
                     SELECT s, m::date, p, t::tsvector, {lens}
                     FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], {arrays})
                         AS x(s, m, p, t, {lens})
                     ON CONFLICT (seq) DO NOTHING
                     RETURNING month, {lens})
                 INSERT INTO search_totals (month, docs, {totals})
                 SELECT month, count(*), {sums} FROM added GROUP BY month",
                lens = lens.join(", "),
                totals = totals.join(", "),
                sums = sums.join(", "),
                arrays = arrays.join(", "),
            ),
            &params,
        )
        .map(|_| ())
        .map_err(sql(target, "storing search terms"))
    }
}

/// What the embedded index reads of `article`.
fn source<'a>(article: &'a Article, entities: &'a [&'a str]) -> terms::Source<'a> {
    terms::Source {
        title: article.title.as_deref(),
        paragraphs: &article.paragraphs,
        outlet: article.outlet.as_deref(),
        authors: &article.authors,
        entities,
        language: article.language.as_deref(),
    }
}
