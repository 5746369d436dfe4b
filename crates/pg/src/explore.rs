//! What the reader's entity and quote pages read (issue 18) from PostgreSQL:
//! [`ExploreBackend`], each method answering as the embedded store's method of the same
//! name (lede-store's `explore` module) does on the same data: one entity's days, stories
//! and articles, over every article naming it (as the embedded store of format 7 reads
//! them), the names beside it over its `sample` (20,000 on the reader's page) articles
//! stored last, and quotes grouped across outlets.
//!
//! A name's articles stored last are its newest sequence numbers: the index of format 8
//! (`entities_name_seq`, name then sequence number, with the kind and mentions beside
//! them) gives them in that order and stops at the sample, as the embedded store's key
//! does. A name in no more articles than the sample gets the embedded store's answers
//! whichever way that store reads them. A name in more may not, where the embedded store
//! chooses by cost or by its summaries: a page of its articles that it reads among the
//! sample (when walking its date index back to the page would cost more) is read among
//! all of them here; the names beside it, which its format 8 reads over all of the name's
//! articles when its pairs of names in 1,000 articles settle the list, over the sample
//! here.
//!
//! SQLite's habits are kept as in `reads`: names ordered by their bytes (`COLLATE "C"`),
//! NULL dates placed where SQLite puts them; and its `lower()`, which lowers ASCII letters
//! only, for the quotes' text filter.

use crate::articles::entity_count;
use crate::reads::{RESOLVED_STORY, as_limit, fail, fold};
use crate::{PgStore, backend};
use lede_core::{ArticleSeq, EntityKind, StoryId};
use lede_store::{
    Day, DayCount, EntityCount, ExploreBackend, NamedIn, QuoteGroup, QuoteGroupFilter, Result,
    Sampled, StoryArticle, StoryCard, StoryCardBuilder, WindowStory,
};

/// The day of `a.published_ts` in SQL (days since 1970-01-01, UTC), rounded down for
/// dates before 1970 too, as the embedded store computes it.
const SQL_DAY: &str = "((a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400)";

/// The columns of a listed article (`f`'s row), in the order [`listed_article`] reads
/// them from `at`: seq, id, source id, title, lead (the first 300 characters of the first
/// paragraph, for an article without a headline), outlet, date, Unix date.
const LISTED_COLUMNS: &str = "f.seq, f.id, f.source_id, f.title,
    CASE WHEN f.title IS NULL THEN substr(f.article -> 'paragraphs' ->> 0, 1, 300) END,
    f.outlet, f.published, f.published_ts";

/// A listed article from [`LISTED_COLUMNS`] at column `at`, with its `score`.
fn listed_article(r: &postgres::Row, at: usize, score: f32) -> StoryArticle {
    let mut a = StoryArticle::new(
        ArticleSeq(r.get::<_, i64>(at) as u64),
        r.get(at + 7),
        r.get(at + 1),
        score,
    );
    a.source_id = r.get(at + 2);
    a.title = r.get(at + 3);
    a.lead = r.get(at + 4);
    a.outlet = r.get(at + 5);
    a.published = r.get(at + 6);
    a
}

/// A count as the embedded store gives it (`count(*)`, `sum(...)::bigint`).
fn count(r: &postgres::Row, i: usize) -> u64 {
    r.get::<_, i64>(i).max(0) as u64
}

impl PgStore {
    /// The most named entity among `names` (exact canonical names): the kind of a name
    /// more articles give, then the first name and kind in byte order.
    fn most_named(&mut self, names: &[String]) -> Result<Option<EntityCount>> {
        if names.is_empty() {
            return Ok(None);
        }
        let row = self
            .client
            .query_opt(
                "SELECT name, kind, count(*) AS n, sum(mentions)::bigint FROM entities
                 WHERE name = ANY($1)
                 GROUP BY name, kind ORDER BY n DESC, name COLLATE \"C\", kind COLLATE \"C\"
                 LIMIT 1",
                &[&names],
            )
            .map_err(fail(&self.target, "finding an entity"))?;
        row.map(|r| entity_count(&self.target, &r)).transpose().map_err(backend)
    }
}

impl ExploreBackend for PgStore {
    fn window_stories(&mut self, from: i64, to: i64, min_size: u64) -> Result<Vec<WindowStory>> {
        // The window's articles through the date index, grouped by story, ranked as the
        // embedded store ranks them.
        let rows = self
            .client
            .query(
                "SELECT m.story, count(DISTINCT a.outlet) AS o, count(*) AS n,
                        max(a.published_ts) AS last
                 FROM articles a JOIN story_members m ON m.seq = a.seq
                      JOIN stories s ON s.id = m.story
                 WHERE a.published_ts BETWEEN $1 AND $2 AND s.size >= $3
                 GROUP BY m.story ORDER BY o DESC, n DESC, last DESC, m.story DESC",
                &[&from, &to, &(min_size.min(i64::MAX as u64) as i64)],
            )
            .map_err(fail(&self.target, "ranking a time window's stories"))?;
        Ok(rows
            .iter()
            .map(|r| WindowStory {
                id: StoryId(r.get::<_, i64>(0) as u64),
                outlets: r.get::<_, i64>(1) as u64,
                articles: r.get::<_, i64>(2) as u64,
                last_ts: r.get(3),
            })
            .collect())
    }

    fn entity(&mut self, name: &str) -> Result<Option<EntityCount>> {
        // Pages link by canonical name: the index answers those at once; only a name typed
        // in another case reads the distinct names, and picks among them in Rust (Unicode
        // case folding, as the embedded store does).
        if let Some(found) = self.most_named(&[name.to_owned()])? {
            return Ok(Some(found));
        }
        let wanted = fold(name);
        let names: Vec<String> = self
            .client
            .query("SELECT DISTINCT name FROM entities", &[])
            .map_err(fail(&self.target, "finding an entity"))?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .filter(|n| fold(n) == wanted)
            .collect();
        self.most_named(&names)
    }

    fn entity_days(&mut self, name: &str, _sample: usize) -> Result<Vec<DayCount>> {
        // Over every article naming it, as the embedded store of format 7 counts them
        // (from its summaries): the sample is the embedded store's before that format.
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {SQL_DAY} AS d, count(*), sum(e.mentions)::bigint
                     FROM entities e JOIN articles a ON a.seq = e.seq
                     WHERE e.name = $1 AND a.published_ts IS NOT NULL GROUP BY d ORDER BY d"
                ),
                &[&name],
            )
            .map_err(fail(&self.target, "counting an entity's days"))?;
        Ok(rows
            .iter()
            .map(|r| DayCount { day: Day(r.get(0)), articles: count(r, 1), mentions: count(r, 2) })
            .collect())
    }

    fn entity_stories(&mut self, name: &str, limit: usize, _sample: usize) -> Result<Vec<NamedIn>> {
        // Over every article naming it, as `entity_days`.
        let rows = self
            .client
            .query(
                "SELECT m.story, count(*) AS n FROM entities e JOIN story_members m ON m.seq = e.seq
                 WHERE e.name = $1
                 GROUP BY m.story ORDER BY n DESC, m.story DESC LIMIT $2",
                &[&name, &as_limit(limit)],
            )
            .map_err(fail(&self.target, "reading the stories naming an entity"))?;
        Ok(rows
            .iter()
            .map(|r| NamedIn { story: StoryId(r.get::<_, i64>(0) as u64), articles: count(r, 1) })
            .collect())
    }

    fn companions(
        &mut self,
        name: &str,
        kind: EntityKind,
        limit: usize,
        sample: usize,
    ) -> Result<Vec<EntityCount>> {
        let rows = self
            .client
            .query(
                "WITH s AS (SELECT seq FROM entities WHERE name = $1 ORDER BY seq DESC LIMIT $4)
                 SELECT o.name, o.kind, count(*) AS n, sum(o.mentions)::bigint
                 FROM s JOIN entities o ON o.seq = s.seq
                 WHERE NOT (o.name = $1 AND o.kind = $2)
                 GROUP BY o.name, o.kind
                 ORDER BY n DESC, o.name COLLATE \"C\", o.kind COLLATE \"C\" LIMIT $3",
                &[&name, &kind.as_str(), &as_limit(limit), &as_limit(sample)],
            )
            .map_err(fail(&self.target, "reading the names beside an entity"))?;
        rows.iter()
            .map(|r| entity_count(&self.target, r))
            .collect::<crate::Result<_>>()
            .map_err(backend)
    }

    fn entity_articles(
        &mut self,
        name: &str,
        (offset, limit): (usize, usize),
        _sample: usize,
    ) -> Result<Vec<StoryArticle>> {
        // Among every article naming it, as the embedded store of format 7 reads a page
        // (down its date index) when that is cheap, and as it always reads a name in no
        // more than `sample` articles. `DESC NULLS LAST` is its `published_ts IS NULL,
        // published_ts DESC`: undated articles last.
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {LISTED_COLUMNS}, e.mentions
                     FROM entities e JOIN articles f ON f.seq = e.seq
                     WHERE e.name = $1
                     ORDER BY f.published_ts DESC NULLS LAST, f.seq DESC
                     LIMIT $2 OFFSET $3"
                ),
                &[&name, &as_limit(limit), &as_limit(offset)],
            )
            .map_err(fail(&self.target, "reading an entity's articles"))?;
        Ok(rows.iter().map(|r| listed_article(r, 0, r.get::<_, i32>(8) as f32)).collect())
    }

    fn entity_sampled(
        &mut self,
        entity: &EntityCount,
        _companions: usize,
        _page: (usize, usize),
        sample: usize,
    ) -> Result<Sampled> {
        // Days, stories and the article pages are read over all of a name's articles
        // here; the names beside it over its sample, when it is in more.
        let more: bool = self
            .client
            .query_one(
                "SELECT count(*) > $2::bigint
                 FROM (SELECT 1 FROM entities WHERE name = $1 LIMIT $2::bigint + 1) e",
                &[&entity.name, &as_limit(sample.min(i64::MAX as usize - 1))],
            )
            .map_err(fail(&self.target, "counting an entity's articles"))?
            .get(0);
        Ok(Sampled { companions: more, ..Sampled::default() })
    }

    fn story_card(&mut self, id: StoryId) -> Result<Option<StoryCard>> {
        let err = fail(&self.target, "reading a story's card");
        let Some(head) = self
            .client
            .query_opt(
                &format!("SELECT id, label_seq FROM stories WHERE id = {RESOLVED_STORY}"),
                &[&(id.0 as i64)],
            )
            .map_err(&err)?
        else {
            return Ok(None);
        };
        let id = StoryId(head.get::<_, i64>(0) as u64);
        let label = head.get::<_, Option<i64>>(1).map(|s| ArticleSeq(s as u64));
        let mut card = StoryCardBuilder::new(id, label);
        for r in self
            .client
            .query(
                "SELECT m.seq, a.published_ts, a.outlet
                 FROM story_members m JOIN articles a ON a.seq = m.seq WHERE m.story = $1",
                &[&(id.0 as i64)],
            )
            .map_err(&err)?
        {
            card.member(ArticleSeq(r.get::<_, i64>(0) as u64), r.get(1), r.get(2));
        }
        let wanted: Vec<i64> = card.wanted().iter().map(|s| s.0 as i64).collect();
        let articles: Vec<StoryArticle> = self
            .client
            .query(
                &format!("SELECT {LISTED_COLUMNS} FROM articles f WHERE f.seq = ANY($1)"),
                &[&wanted],
            )
            .map_err(&err)?
            .iter()
            .map(|r| listed_article(r, 0, 0.0))
            .collect();
        Ok(Some(card.build(&articles)))
    }

    fn speakers_named(&mut self, speaker: &str) -> Result<Vec<String>> {
        let wanted = fold(speaker);
        let suffix = format!(" {wanted}");
        let mut names: Vec<String> = self
            .client
            .query("SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL", &[])
            .map_err(fail(&self.target, "finding speakers"))?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .filter(|name| {
                let name = fold(name);
                name == wanted || name.ends_with(&suffix)
            })
            .collect();
        // In the order of their bytes, as the embedded store's speaker index gives them.
        names.sort_unstable();
        Ok(names)
    }

    fn quote_groups(&mut self, filter: &QuoteGroupFilter) -> Result<(Vec<QuoteGroup>, u64)> {
        if filter.speakers.as_ref().is_some_and(Vec::is_empty) {
            return Ok((Vec::new(), 0));
        }
        // One statement per shape of filter rather than `$1 IS NULL OR …`, whose generic
        // plan could use neither the speaker index nor the date index (as in `quotes`).
        let by_speaker =
            if filter.speakers.is_some() { "q.speaker = ANY($1)" } else { "$1::text[] IS NULL" };
        // SQLite's `lower()` lowers ASCII letters only: the words asked for are lowered so
        // in Rust, the quotes' text by `translate`.
        let by_text = if filter.text.is_some() {
            "strpos(translate(q.text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
                    $2) > 0"
        } else {
            "$2::text IS NULL"
        };
        let window = if filter.from.is_some() || filter.to.is_some() {
            "a.published_ts BETWEEN coalesce($3, '-9223372036854775808'::bigint)
                                AND coalesce($4, '9223372036854775807'::bigint)"
        } else {
            "$3::bigint IS NULL AND $4::bigint IS NULL"
        };
        // `o` counts an article without an outlet as one of its own, as the embedded
        // store's `count(DISTINCT coalesce(outlet, seq))` does. The first article is the
        // earliest dated (undated ones last); of articles of the same date, the one stored
        // first.
        let order = "g.o DESC, g.n DESC, g.first_ts, g.text COLLATE \"C\",
                     g.speaker COLLATE \"C\" NULLS FIRST";
        let sql = format!(
            "WITH g AS (
                 SELECT q.text, q.speaker, count(*) AS n,
                        count(DISTINCT a.outlet)
                            + count(DISTINCT a.seq) FILTER (WHERE a.outlet IS NULL) AS o,
                        min(coalesce(a.published_ts, 9223372036854775807)) AS first_ts,
                        (array_agg(a.seq ORDER BY coalesce(a.published_ts, 9223372036854775807),
                                   a.seq))[1] AS first_seq,
                        count(*) OVER () AS total
                 FROM quotes q JOIN articles a ON a.seq = q.seq
                 WHERE {by_speaker} AND {by_text} AND {window}
                 GROUP BY q.text, q.speaker),
             p AS (SELECT * FROM g ORDER BY {order} LIMIT $5 OFFSET $6)
             SELECT g.text, g.speaker, g.n, g.o, g.total, {LISTED_COLUMNS}, m.story
             FROM p g JOIN articles f ON f.seq = g.first_seq
                  LEFT JOIN story_members m ON m.seq = f.seq
             ORDER BY {order}"
        );
        let text = filter.text.as_deref().map(str::to_ascii_lowercase);
        let rows = self
            .client
            .query(
                &sql,
                &[
                    &filter.speakers,
                    &text,
                    &filter.from,
                    &filter.to,
                    &as_limit(filter.limit),
                    &as_limit(filter.offset),
                ],
            )
            .map_err(fail(&self.target, "grouping quotes"))?;
        let total = rows.first().map_or(0, |r| count(r, 4));
        let groups = rows
            .iter()
            .map(|r| QuoteGroup {
                text: r.get(0),
                speaker: r.get(1),
                articles: count(r, 2),
                outlets: count(r, 3),
                first: listed_article(r, 5, 0.0),
                story: r.get::<_, Option<i64>>(13).map(|s| StoryId(s as u64)),
            })
            .collect();
        Ok((groups, total))
    }
}
