//! What the read commands read (`show`, `trace`, `stories`, `story`, `quotes`, `entities`,
//! `export`) from PostgreSQL: [`ReadBackend`], each method answering as the embedded
//! store's method of the same name does on the same data, so that lede-engine's read code
//! gives the same answers from either store.
//!
//! The embedded store is SQLite, and two of its habits are kept by hand here:
//! - it compares text by its bytes; a PostgreSQL database made with a language's collation
//!   would not, so names are sorted in Rust or with `COLLATE "C"`;
//! - it puts NULL first in an ascending order, PostgreSQL last: an order that meets NULLs
//!   says where they go.
//!
//! Lists that read many rows (`scan`, `stories`) read them in batches, never the whole
//! store in one result.

use crate::articles::{ARTICLE_COLUMNS, assemble, entity_count};
use crate::stories::{STORY_COLUMNS, story_row};
use crate::{Error, PgStore, backend, sql};
use lede_core::{Annotations, ArticleId, ArticleSeq, Quote, StoryId};
use lede_store::{
    EntityCount, EntityFilter, NamingStory, QuoteFilter, ReadBackend, Result, StoredArticle,
    StoredQuote, StoryArticle, StoryFilter, StoryQuoteRow, StoryRow, StorySummary,
};
use std::collections::{BTreeMap, HashMap};

/// Stories whose articles one statement of [`summaries`] reads: a listing of every story
/// of a large store is read a slice at a time.
const STORIES_AT_ONCE: usize = 500;

/// A story id (`$1`) as it is now: the story it was merged into, else itself. Merges keep
/// `story_aliases` pointing at the surviving story (as the embedded store does), so one
/// look-up resolves a chain of merges.
pub(crate) const RESOLVED_STORY: &str =
    "coalesce((SELECT id FROM story_aliases WHERE old = $1), $1)";

/// A client error as the store boundary's, naming the database and what lede was doing.
pub(crate) fn fail<'t>(
    target: &'t str,
    doing: &'static str,
) -> impl Fn(postgres::Error) -> lede_store::Error + 't {
    let sql = sql(target, doing);
    move |e| backend(sql(e))
}

/// A limit as PostgreSQL takes it (`LIMIT` of a `bigint`): anything beyond is no limit.
pub(crate) fn as_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A name as the embedded store's filters compare it: lower-cased (Unicode), runs of
/// spaces as one. The same as lede-store's own (`annotations::fold`), which is private;
/// the integration test holds them to the same answers.
pub(crate) fn fold(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl ReadBackend for PgStore {
    fn find(&mut self, key: &str) -> Result<Option<StoredArticle>> {
        PgStore::find(self, key).map_err(backend)
    }

    fn by_seqs(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<StoredArticle>> {
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<i64> = seqs.iter().map(|s| s.0 as i64).collect();
        let rows = self
            .client
            .query(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.seq = ANY($1)"),
                &[&wanted],
            )
            .map_err(fail(&self.target, "reading articles"))?;
        let found: HashMap<ArticleSeq, StoredArticle> = rows
            .iter()
            .map(|r| assemble(&self.target, r).map(|a| (a.seq, a)))
            .collect::<crate::Result<_>>()
            .map_err(backend)?;
        // In the order asked for, each as often as asked for, as the embedded store gives
        // them.
        Ok(seqs.iter().filter_map(|s| found.get(s).cloned()).collect())
    }

    fn scan(
        &mut self,
        after: ArticleSeq,
        batch: usize,
        f: &mut dyn FnMut(StoredArticle) -> Result<()>,
    ) -> Result<()> {
        let err = fail(&self.target, "reading articles in order");
        let next = self
            .client
            .prepare(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.seq > $1 ORDER BY a.seq LIMIT $2"
            ))
            .map_err(&err)?;
        let (mut last, batch) = (after.0 as i64, as_limit(batch));
        loop {
            let rows = self.client.query(&next, &[&last, &batch]).map_err(&err)?;
            if rows.is_empty() {
                return Ok(());
            }
            for row in &rows {
                let a = assemble(&self.target, row).map_err(backend)?;
                last = a.seq.0 as i64;
                f(a)?;
            }
        }
    }

    fn last_seq(&mut self) -> Result<ArticleSeq> {
        PgStore::last_seq(self).map_err(backend)
    }

    fn article_count(&mut self) -> Result<u64> {
        self.count().map_err(backend)
    }

    fn annotations(&mut self, seq: ArticleSeq) -> Result<Option<Annotations>> {
        PgStore::annotations(self, seq).map_err(backend)
    }

    fn annotations_pending(&mut self) -> Result<bool> {
        // Annotations are written with each article in every format of this store (format
        // 1 has them): none ever wait for a backfill, as in an embedded store once its
        // first ingest has run.
        Ok(false)
    }

    fn entity_names(&mut self, seq: ArticleSeq) -> Result<Vec<String>> {
        let rows = self
            .client
            .query("SELECT name FROM entities WHERE seq = $1", &[&(seq.0 as i64)])
            .map_err(fail(&self.target, "reading an article's entities"))?;
        let mut names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        // In the order of their bytes, as the embedded store's key gives them.
        names.sort_unstable();
        Ok(names)
    }

    fn entities(&mut self, filter: &EntityFilter) -> Result<Vec<EntityCount>> {
        PgStore::entities(self, filter).map_err(backend)
    }

    fn quotes(&mut self, filter: &QuoteFilter<'_>) -> Result<Vec<StoredQuote>> {
        let err = fail(&self.target, "listing quotes");
        // The speakers a name finds are chosen in Rust (Unicode case folding, as the
        // embedded store does), among the distinct speakers, which are few beside the
        // quotes; their quotes are then read through the speaker index.
        let speakers: Option<Vec<String>> = match filter.speaker {
            Some(speaker) => {
                let wanted = fold(speaker);
                let suffix = format!(" {wanted}");
                let names: Vec<String> = self
                    .client
                    .query("SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL", &[])
                    .map_err(&err)?
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .filter(|name| {
                        let name = fold(name);
                        name == wanted || name.ends_with(&suffix)
                    })
                    .collect();
                if names.is_empty() {
                    return Ok(Vec::new());
                }
                Some(names)
            }
            None => None,
        };
        // Two statements rather than one with `$1 IS NULL OR …`, whose generic plan could
        // not use the speaker index. `DESC NULLS LAST` is the embedded store's
        // `published_ts IS NULL, published_ts DESC` in the form the index of format 5
        // (`articles_published`) gives, so that the newest are read first and no more.
        let clause = if speakers.is_some() { "q.speaker = ANY($1)" } else { "$1::text[] IS NULL" };
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT q.seq, q.speaker, q.text, q.cue, q.direct, q.paragraph, q.start,
                            q.\"end\", a.id, a.published, a.title, a.outlet
                     FROM quotes q JOIN articles a ON a.seq = q.seq
                     WHERE {clause}
                     ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC, q.n
                     LIMIT $2"
                ),
                &[&speakers, &as_limit(filter.limit)],
            )
            .map_err(&err)?;
        rows.iter()
            .map(|r| {
                let id: String = r.get(8);
                let article_id = id.parse::<ArticleId>().map_err(|e| {
                    backend(Error::Damaged {
                        target: self.target.clone(),
                        id: id.clone(),
                        what: "id",
                        message: e.to_string(),
                    })
                })?;
                let int = |i| r.get::<_, i32>(i).max(0) as usize;
                Ok(StoredQuote {
                    quote: Quote {
                        text: r.get(2),
                        speaker: r.get(1),
                        cue: r.get(3),
                        paragraph: int(5),
                        start: int(6),
                        end: int(7),
                        direct: r.get(4),
                    },
                    seq: ArticleSeq(r.get::<_, i64>(0) as u64),
                    article_id,
                    published: r.get(9),
                    title: r.get(10),
                    outlet: r.get(11),
                })
            })
            .collect()
    }

    fn clustered_through(&mut self) -> Result<ArticleSeq> {
        // Workers commit in any order, so the highest clustered article (the embedded
        // store's answer, where articles are clustered in order) may sit above one that
        // committed late and still waits: the first article waiting says how far every
        // article is in a story. With none waiting, the two answers are the same.
        let row = self
            .client
            .query_one(
                "SELECT coalesce((SELECT min(seq) - 1 FROM story_queue),
                                 (SELECT max(seq) FROM story_members), 0)",
                &[],
            )
            .map_err(fail(&self.target, "reading how far stories are made"))?;
        Ok(ArticleSeq(row.get::<_, i64>(0).max(0) as u64))
    }

    fn story_count(&mut self) -> Result<u64> {
        let row = self
            .client
            .query_one("SELECT count(*) FROM stories", &[])
            .map_err(fail(&self.target, "counting stories"))?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn stories(&mut self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        let min_size = i64::try_from(filter.min_size).unwrap_or(i64::MAX);
        let heads: Vec<(StoryId, Option<ArticleSeq>)> = self
            .client
            .query(
                "SELECT id, label_seq FROM stories
                 WHERE size >= $1 AND ($2::bigint IS NULL OR last_ts >= $2)
                 ORDER BY last_ts IS NULL, last_ts DESC, size DESC, id
                 LIMIT $3",
                &[&min_size, &filter.since, &as_limit(filter.limit)],
            )
            .map_err(fail(&self.target, "listing stories"))?
            .iter()
            .map(story_head)
            .collect();
        summaries(self, &heads, true)
    }

    fn story(&mut self, id: StoryId) -> Result<Option<StorySummary>> {
        story_read(self, id, true)
    }

    fn story_unled(&mut self, id: StoryId) -> Result<Option<StorySummary>> {
        story_read(self, id, false)
    }

    fn leads(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<lede_store::ArticleText>> {
        let seqs: Vec<i64> = seqs.iter().map(|s| s.0 as i64).collect();
        Ok(self
            .client
            .query(
                "SELECT seq, substr(article -> 'paragraphs' ->> 0, 1, 300) FROM articles
                 WHERE seq = ANY($1)",
                &[&seqs],
            )
            .map_err(fail(&self.target, "reading articles' leads"))?
            .iter()
            .map(|r| lede_store::ArticleText {
                seq: ArticleSeq(r.get::<_, i64>(0) as u64),
                text: r.get(1),
            })
            .collect())
    }

    fn story_of(&mut self, seq: ArticleSeq) -> Result<Option<StoryId>> {
        PgStore::story_of(self, seq).map_err(backend)
    }

    fn story_row(&mut self, id: StoryId) -> Result<Option<StoryRow>> {
        let row = self
            .client
            .query_opt(&format!("{STORY_COLUMNS} WHERE id = {RESOLVED_STORY}"), &[&(id.0 as i64)])
            .map_err(fail(&self.target, "reading a story"))?;
        Ok(row.as_ref().map(story_row))
    }

    fn story_rows_of(&mut self, ids: &[StoryId]) -> Result<Vec<StoryRow>> {
        let list: Vec<i64> = ids.iter().map(|id| id.0 as i64).collect();
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT s.* FROM unnest($1::bigint[]) WITH ORDINALITY AS j(id, n)
                     JOIN ({STORY_COLUMNS}) s ON s.id = j.id ORDER BY j.n"
                ),
                &[&list],
            )
            .map_err(fail(&self.target, "reading stories"))?;
        Ok(rows.iter().map(story_row).collect())
    }

    fn story_entities(&mut self, story: StoryId, limit: usize) -> Result<Vec<EntityCount>> {
        // The embedded store groups by name alone, and SQLite gives the kind of the group's
        // first row, its plan reading the story's members by sequence number: a name given
        // two kinds (a person and a place called alike) is listed as the story's earliest
        // stored article calls it.
        let rows = self
            .client
            .query(
                "SELECT e.name, (array_agg(e.kind ORDER BY e.seq))[1], count(*) AS n,
                        sum(e.mentions)::bigint
                 FROM story_members m JOIN entities e ON e.seq = m.seq
                 WHERE m.story = $1
                 GROUP BY e.name ORDER BY n DESC, e.name COLLATE \"C\" LIMIT $2",
                &[&(story.0 as i64), &as_limit(limit)],
            )
            .map_err(fail(&self.target, "reading a story's entities"))?;
        rows.iter()
            .map(|r| entity_count(&self.target, r))
            .collect::<crate::Result<_>>()
            .map_err(backend)
    }

    fn story_quotes(&mut self, story: StoryId, limit: usize) -> Result<Vec<StoryQuoteRow>> {
        // `outlets` counts an article without an outlet as one of its own, as the embedded
        // store's `count(DISTINCT coalesce(outlet, seq))` does; the earliest date orders
        // undated quotes first, as NULL sorts there in SQLite.
        let rows = self
            .client
            .query(
                "SELECT q.text, q.speaker, min(a.id COLLATE \"C\"), count(*) AS n,
                        count(DISTINCT a.outlet)
                            + count(DISTINCT a.seq) FILTER (WHERE a.outlet IS NULL) AS outlets
                 FROM story_members m
                 JOIN quotes q ON q.seq = m.seq
                 JOIN articles a ON a.seq = m.seq
                 WHERE m.story = $1 AND q.direct AND q.speaker IS NOT NULL
                 GROUP BY q.text, q.speaker
                 ORDER BY outlets DESC, n DESC, min(a.published_ts) NULLS FIRST,
                          q.text COLLATE \"C\", q.speaker COLLATE \"C\"
                 LIMIT $2",
                &[&(story.0 as i64), &as_limit(limit)],
            )
            .map_err(fail(&self.target, "reading a story's quotes"))?;
        Ok(rows
            .iter()
            .map(|r| StoryQuoteRow {
                text: r.get(0),
                speaker: r.get(1),
                article_id: r.get(2),
                articles: r.get::<_, i64>(3) as u64,
                outlets: r.get::<_, i64>(4) as u64,
            })
            .collect())
    }

    fn stories_naming(
        &mut self,
        story: StoryId,
        names: &[String],
        limit: usize,
        across: usize,
    ) -> Result<Vec<NamingStory>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let names = lede_store::names_asked(names);
        let rows = self
            .client
            .query(
                "SELECT DISTINCT m.story, e.name
                 FROM entities e JOIN story_members m ON m.seq = e.seq
                 WHERE e.name = ANY($1) AND m.story <> $2",
                &[&names, &(story.0 as i64)],
            )
            .map_err(fail(&self.target, "finding stories naming the same"))?;
        let mut by_story: BTreeMap<StoryId, Vec<String>> = BTreeMap::new();
        for r in &rows {
            by_story.entry(StoryId(r.get::<_, i64>(0) as u64)).or_default().push(r.get(1));
        }
        let mut ranked: Vec<NamingStory> = by_story
            .into_iter()
            .map(|(story, mut names)| {
                // In the order of their bytes, as the embedded store's grouping gives them.
                names.sort_unstable();
                NamingStory { story, names, language: String::new() }
            })
            .collect();
        ranked.sort_by(|a, b| b.names.len().cmp(&a.names.len()).then(b.story.cmp(&a.story)));
        let language_of = |client: &mut postgres::Client, ids: Vec<i64>| {
            client.query("SELECT id, language FROM stories WHERE id = ANY($1)", &[&ids]).map(
                |rows| {
                    rows.iter()
                        .map(|r| (StoryId(r.get::<_, i64>(0) as u64), r.get::<_, String>(1)))
                        .collect::<BTreeMap<StoryId, String>>()
                },
            )
        };
        let rest = ranked.split_off(limit.min(ranked.len()));
        let mut out = ranked;
        let ids = out.iter().map(|n| n.story.0 as i64).collect();
        let languages = language_of(&mut self.client, ids)
            .map_err(fail(&self.target, "reading the languages of stories"))?;
        for n in &mut out {
            n.language = languages.get(&n.story).cloned().unwrap_or_else(undetermined);
        }
        // The best `across` of other told languages than the story's: those among the
        // first `limit`, then the best of the rest, which rank below them all.
        if across == 0 || rest.is_empty() {
            return Ok(out);
        }
        let own = language_of(&mut self.client, vec![story.0 as i64])
            .map_err(fail(&self.target, "reading the languages of stories"))?
            .remove(&story)
            .unwrap_or_else(undetermined);
        let other = |l: &str| l != own && l != lede_core::UNDETERMINED_LANGUAGE;
        let found = out.iter().filter(|n| other(&n.language)).count();
        if found >= across {
            return Ok(out);
        }
        let ids = rest.iter().map(|n| n.story.0 as i64).collect();
        let languages = language_of(&mut self.client, ids)
            .map_err(fail(&self.target, "reading the languages of stories"))?;
        let mut more = across - found;
        for mut n in rest {
            if more == 0 {
                break;
            }
            let language = languages.get(&n.story).cloned().unwrap_or_else(undetermined);
            if other(&language) {
                n.language = language;
                out.push(n);
                more -= 1;
            }
        }
        Ok(out)
    }

    fn doc_freq(&mut self, story: StoryId) -> Result<Option<Vec<u8>>> {
        PgStore::story_doc_freq(self, story).map_err(backend)
    }

    fn story_languages(&mut self) -> Result<Vec<String>> {
        PgStore::story_languages(self).map_err(backend)
    }

    fn similar_to(
        &mut self,
        text: &str,
        words: usize,
        limit: usize,
    ) -> Result<Vec<(ArticleSeq, f32)>> {
        PgStore::similar_to(self, text, words, limit).map_err(backend)
    }

    fn damaged_story(
        &mut self,
        story: StoryId,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> lede_store::Error {
        backend(PgStore::damaged_story(self, story, blob, why))
    }
}

/// A story's id and label from a row of `id, label_seq`.
fn story_head(r: &postgres::Row) -> (StoryId, Option<ArticleSeq>) {
    (StoryId(r.get::<_, i64>(0) as u64), r.get::<_, Option<i64>>(1).map(|s| ArticleSeq(s as u64)))
}

/// The stories `heads` (id and label) with their articles, oldest first (undated last,
/// then by sequence number), as the embedded store lists them; in the order of `heads`.
/// A story by id (or a merged story's old id), its members' leads read or not.
fn story_read(store: &mut PgStore, id: StoryId, leads: bool) -> Result<Option<StorySummary>> {
    let head = store
        .client
        .query_opt(
            &format!("SELECT id, label_seq FROM stories WHERE id = {RESOLVED_STORY}"),
            &[&(id.0 as i64)],
        )
        .map_err(fail(&store.target, "reading a story"))?
        .map(|r| story_head(&r));
    match head {
        Some(head) => Ok(summaries(store, &[head], leads)?.pop()),
        None => Ok(None),
    }
}

fn summaries(
    store: &mut PgStore,
    heads: &[(StoryId, Option<ArticleSeq>)],
    leads: bool,
) -> Result<Vec<StorySummary>> {
    let err = fail(&store.target, "reading stories' articles");
    let members = store
        .client
        .prepare(
            "SELECT m.story, a.seq, a.id, a.source_id, a.title,
                    CASE WHEN $2 AND a.title IS NULL
                         THEN substr(a.article -> 'paragraphs' ->> 0, 1, 300) END,
                    a.outlet, a.published, a.published_ts, m.score
             FROM story_members m JOIN articles a ON a.seq = m.seq
             WHERE m.story = ANY($1)
             ORDER BY m.story, a.published_ts IS NULL, a.published_ts, a.seq",
        )
        .map_err(&err)?;
    let mut out = Vec::with_capacity(heads.len());
    for slice in heads.chunks(STORIES_AT_ONCE) {
        let ids: Vec<i64> = slice.iter().map(|(id, _)| id.0 as i64).collect();
        let mut articles: HashMap<StoryId, Vec<StoryArticle>> = HashMap::new();
        for r in store.client.query(&members, &[&ids, &leads]).map_err(&err)? {
            let seq = ArticleSeq(r.get::<_, i64>(1) as u64);
            let mut a = StoryArticle::new(seq, r.get(8), r.get(2), r.get(9));
            a.source_id = r.get(3);
            a.title = r.get(4);
            a.lead = r.get(5);
            a.outlet = r.get(6);
            a.published = r.get(7);
            articles.entry(StoryId(r.get::<_, i64>(0) as u64)).or_default().push(a);
        }
        out.extend(slice.iter().map(|&(id, label_seq)| StorySummary {
            id,
            label_seq,
            articles: articles.remove(&id).unwrap_or_default(),
        }));
    }
    Ok(out)
}

/// The language of a story not found: none told.
fn undetermined() -> String {
    lede_core::UNDETERMINED_LANGUAGE.to_owned()
}
