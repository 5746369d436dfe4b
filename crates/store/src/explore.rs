//! What the reader's investigation pages read (issue 18): articles per day, the stories of
//! a time window ranked by breadth, one entity's days, stories, companions and articles,
//! and quotes grouped across outlets. Each is one SQL statement over the indexes the store
//! already has (`articles_published_ts`, `entities_name`, the `(seq, name)` key of
//! `entities`, `quotes_speaker`).
//!
//! A store of format 7 also keeps summaries (`schema.rs`): articles per day, each dated
//! clustered article by date with its story and outlet, and per name its totals, days and
//! stories. What they answer is read from them, over every article (the same answers as
//! the grouping queries with no sample, which the tests check); an older store, which a
//! reader opens as it is, is read by the grouping queries.
//!
//! Days are counted from 1970-01-01 in UTC, as [`Day`]s.

use crate::error::Result;
use crate::schema::PAIR_NAMES;
use crate::store::Store;
use crate::stories::StorySummary;
use crate::stories::{LISTED_COLUMNS, StoryArticle, listed_article, listed_article_at};
use lede_core::{ArticleSeq, EntityKind, StoryId};
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

/// A window's stories grouped from its articles' rows and memberships (a store before
/// format 7).
const WINDOW_STORIES_SCANNED: &str = "SELECT m.story, count(DISTINCT a.outlet) AS o, count(*) AS n,
        max(a.published_ts) AS last
 FROM articles a JOIN story_members m ON m.seq = a.seq
      JOIN stories s ON s.id = m.story
 WHERE a.published_ts BETWEEN ?1 AND ?2 AND s.size >= ?3
 GROUP BY m.story ORDER BY o DESC, n DESC, last DESC, m.story DESC";

/// An entity's stories grouped from the memberships of its `?3` articles stored last (a
/// store before format 7).
const ENTITY_STORIES_SCANNED: &str =
    "WITH e AS (SELECT seq FROM entities WHERE name = ?1 ORDER BY seq DESC LIMIT ?3)
     SELECT m.story, count(*) AS n FROM e JOIN story_members m ON m.seq = e.seq
     GROUP BY m.story ORDER BY n DESC, m.story DESC LIMIT ?2";

/// How many times more articles of the date index an entity's page may walk than the
/// name index would read for it (entries of two indexes against whole article rows).
const DATE_WALK: usize = 8;

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

/// Outlets a [`StoryCard`] names, those with the most of its articles first.
pub const CARD_OUTLETS: usize = 5;

/// A story as a list shows it (issue 18): its label's headline, size, outlets and span,
/// without its article list. [`Store::story_card`] reads its members' dates and outlets
/// (two columns of each member's row, no article's text) and three articles whole: the
/// one labelling it and its first and last; a month's front page of 20 stories holding
/// 9,000 articles read each article's text for [`Store::story`]. It is what
/// [`StoryCard::of`] makes of the story's [`StorySummary`], which the tests check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryCard {
    /// The story.
    pub id: StoryId,
    /// The headline of the member that labels it: the one clustering chose, else
    /// (none chosen, or no longer a member) its earliest.
    pub title: Option<String>,
    /// That member's lead (the first 300 characters of its first paragraph) when it has
    /// no headline.
    pub lead: Option<String>,
    /// Its articles.
    pub size: u64,
    /// Distinct outlets among them.
    pub outlets: u64,
    /// The first [`CARD_OUTLETS`] of them, most articles first (then by name).
    pub top_outlets: Vec<String>,
    /// The date of its first dated article, as that article gives it.
    pub first_seen: Option<String>,
    /// The date of its last dated article.
    pub last_seen: Option<String>,
}

impl StoryCard {
    /// The card of a story read whole.
    pub fn of(s: &StorySummary) -> StoryCard {
        let by = s.label_seq.and_then(|l| s.articles.iter().find(|a| a.seq() == l));
        let label = by.or(s.articles.first());
        let outlets = s.outlets();
        let (first, last) = s.span();
        StoryCard {
            id: s.id,
            title: label.and_then(|a| a.title.clone()),
            lead: label.and_then(|a| a.lead.clone()),
            size: s.articles.len() as u64,
            outlets: outlets.len() as u64,
            top_outlets: outlets.into_iter().take(CARD_OUTLETS).collect(),
            first_seen: first.map(str::to_owned),
            last_seen: last.map(str::to_owned),
        }
    }
}

/// Makes a [`StoryCard`] from a story's members' dates and outlets, then the few
/// articles it names ([`StoryCardBuilder::wanted`]), for each store ([`Store::story_card`],
/// cluster mode's) to read them its own way and count them the same.
#[derive(Debug, Clone)]
pub struct StoryCardBuilder {
    id: StoryId,
    label_seq: Option<ArticleSeq>,
    label_member: bool,
    size: u64,
    outlets: std::collections::HashMap<String, u64>,
    /// The earliest member: by date (undated last), then sequence number.
    earliest: Option<(bool, Option<i64>, ArticleSeq)>,
    /// The first dated member (the earliest date, then the lowest sequence number) and
    /// the last (the latest date, then the highest), as [`StorySummary::span`] picks them.
    first: Option<(i64, ArticleSeq)>,
    last: Option<(i64, ArticleSeq)>,
}

impl StoryCardBuilder {
    /// A card of story `id`, labelled by `label_seq` if that is one of its members.
    pub fn new(id: StoryId, label_seq: Option<ArticleSeq>) -> StoryCardBuilder {
        StoryCardBuilder {
            id,
            label_seq,
            label_member: false,
            size: 0,
            outlets: Default::default(),
            earliest: None,
            first: None,
            last: None,
        }
    }

    /// Counts a member: its sequence number, date (Unix seconds) and outlet.
    pub fn member(&mut self, seq: ArticleSeq, ts: Option<i64>, outlet: Option<String>) {
        self.size += 1;
        self.label_member |= self.label_seq == Some(seq);
        if let Some(o) = outlet {
            *self.outlets.entry(o).or_default() += 1;
        }
        let key = (ts.is_none(), ts, seq);
        if self.earliest.is_none_or(|e| key < e) {
            self.earliest = Some(key);
        }
        if let Some(ts) = ts {
            if self.first.is_none_or(|f| (ts, seq) < f) {
                self.first = Some((ts, seq));
            }
            if self.last.is_none_or(|l| (ts, seq) > l) {
                self.last = Some((ts, seq));
            }
        }
    }

    /// The member labelling the story.
    fn label(&self) -> Option<ArticleSeq> {
        if self.label_member { self.label_seq } else { self.earliest.map(|e| e.2) }
    }

    /// The members whose headline, lead and date the card shows: the one labelling the
    /// story, its first and its last dated.
    pub fn wanted(&self) -> Vec<ArticleSeq> {
        let mut seqs: Vec<ArticleSeq> =
            [self.label(), self.first.map(|f| f.1), self.last.map(|l| l.1)]
                .into_iter()
                .flatten()
                .collect();
        seqs.sort_unstable();
        seqs.dedup();
        seqs
    }

    /// The card, from the [`StoryCardBuilder::wanted`] articles as listed (their title,
    /// lead and date; others are ignored).
    pub fn build(self, articles: &[StoryArticle]) -> StoryCard {
        let find = |seq: Option<ArticleSeq>| articles.iter().find(|a| Some(a.seq()) == seq);
        let label = find(self.label());
        let mut outlets: Vec<(String, u64)> = self.outlets.into_iter().collect();
        outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        StoryCard {
            id: self.id,
            title: label.and_then(|a| a.title.clone()),
            lead: label.and_then(|a| a.lead.clone()),
            size: self.size,
            outlets: outlets.len() as u64,
            top_outlets: outlets.into_iter().take(CARD_OUTLETS).map(|(o, _)| o).collect(),
            first_seen: find(self.first.map(|f| f.1)).and_then(|a| a.published.clone()),
            last_seen: find(self.last.map(|l| l.1)).and_then(|a| a.published.clone()),
        }
    }
}

/// Which parts of an entity's page a store read from only the articles naming it stored
/// last (its sample; see [`crate::ExploreBackend`]), `true` for each such part: a name in
/// no more articles than the sample has none; the embedded store of format 7 and later
/// (and cluster mode's) counts its days and stories over all of them, and the one of
/// format 8 its companions too when it is in 1,000 articles or more and its pairs settle
/// the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Sampled {
    /// Its articles and mentions per day.
    pub days: bool,
    /// The stories naming it.
    pub stories: bool,
    /// The names beside it.
    pub companions: bool,
    /// The page of its articles.
    pub articles: bool,
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
    /// Whether the store keeps the reader's summaries (format 7 and later).
    pub(crate) fn summarized(&self) -> Result<bool> {
        Ok(self.format()? >= 7)
    }

    /// Articles per dated day over the whole store, oldest day first (days without
    /// articles left out). Reads the date index only.
    pub fn article_days(&self) -> Result<Vec<DayCount>> {
        if self.summarized()? {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT day, articles FROM day_articles ORDER BY day")
                .map_err(|e| self.sql(e))?;
            return stmt
                .query_map([], |r| {
                    let n = r.get::<_, i64>(1)? as u64;
                    Ok(DayCount { day: Day(r.get(0)?), articles: n, mentions: n })
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| self.sql(e));
        }
        self.article_days_scanned()
    }

    /// [`Store::article_days`] counted from the date index.
    fn article_days_scanned(&self) -> Result<Vec<DayCount>> {
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
        // `story_dates` holds the window's articles side by side, with their story and
        // outlet: one range of a small table instead of each article's row and membership.
        // Every story there has a member, so a size of 1 needs no look at `stories`.
        let sql = match (self.summarized()?, min_size > 1) {
            (true, false) => {
                "SELECT d.story, count(DISTINCT d.outlet) AS o, count(*) AS n,
                        max(d.published_ts) AS last
                 FROM story_dates d
                 WHERE d.published_ts BETWEEN ?1 AND ?2 AND ?3 = ?3
                 GROUP BY d.story ORDER BY o DESC, n DESC, last DESC, d.story DESC"
            }
            (true, true) => {
                "SELECT d.story, count(DISTINCT d.outlet) AS o, count(*) AS n,
                        max(d.published_ts) AS last
                 FROM story_dates d JOIN stories s ON s.id = d.story
                 WHERE d.published_ts BETWEEN ?1 AND ?2 AND s.size >= ?3
                 GROUP BY d.story ORDER BY o DESC, n DESC, last DESC, d.story DESC"
            }
            (false, _) => WINDOW_STORIES_SCANNED,
        };
        self.window_stories_with(sql, from, to, min_size)
    }

    fn window_stories_with(
        &self,
        sql: &str,
        from: i64,
        to: i64,
        min_size: u64,
    ) -> Result<Vec<WindowStory>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
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

    /// A story's card ([`StoryCard`]; an alias resolves to the story it is): its members'
    /// dates and outlets through the story's index and two columns of their rows, then
    /// the three articles it shows. `None`: no such story.
    ///
    /// A read-only view keeps the cards it read while the store does not change.
    pub fn story_card(&self, id: StoryId) -> Result<Option<StoryCard>> {
        self.cached(
            |kept| kept.cards.get(&id),
            || self.story_card_read(id),
            |kept, card| {
                if kept.cards.len() >= crate::read_cache::CARDS_KEPT {
                    kept.cards.clear();
                }
                kept.cards.insert(id, card);
            },
        )
    }

    /// [`Store::story_card`] read from the store.
    fn story_card_read(&self, id: StoryId) -> Result<Option<StoryCard>> {
        let Some(id) = self.resolve_story(id)? else { return Ok(None) };
        let label_seq: Option<i64> = self
            .conn
            .prepare_cached("SELECT label_seq FROM stories WHERE id = ?1")
            .and_then(|mut s| s.query_row([id.0 as i64], |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        let mut card = StoryCardBuilder::new(id, label_seq.map(|l| ArticleSeq(l as u64)));
        // CROSS JOIN: members first, through `story_members_story`, each row by its key.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT m.seq, a.published_ts, a.outlet
                 FROM story_members m CROSS JOIN articles a ON a.seq = m.seq
                 WHERE m.story = ?1",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([id.0 as i64]).map_err(|e| self.sql(e))?;
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let member = (|| {
                Ok::<_, rusqlite::Error>((
                    ArticleSeq(r.get::<_, i64>(0)? as u64),
                    r.get(1)?,
                    r.get(2)?,
                ))
            })()
            .map_err(|e| self.sql(e))?;
            card.member(member.0, member.1, member.2);
        }
        let wanted = serde_json::to_string(&card.wanted()).expect("numbers serialise");
        let articles: Vec<StoryArticle> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LISTED_COLUMNS}, 0.0 FROM articles a
                 WHERE a.seq IN (SELECT value FROM json_each(?1))"
            ))
            .and_then(|mut s| s.query_map([wanted], listed_article).and_then(|rows| rows.collect()))
            .map_err(|e| self.sql(e))?;
        Ok(Some(card.build(&articles)))
    }

    /// The entity a name names: that canonical name exactly, or else the one equal to it
    /// in any case (the most named, when several are). A name given as two kinds is the
    /// kind more articles give. `None`: the store names no such entity.
    pub fn entity(&self, name: &str) -> Result<Option<crate::EntityCount>> {
        if self.format()? < 3 {
            return Ok(None);
        }
        let summarized = self.summarized()?;
        let (counted, names) = if summarized {
            (
                "SELECT name, kind, articles AS n, mentions FROM entity_totals
                 WHERE name IN (SELECT value FROM json_each(?1))
                 ORDER BY n DESC, name, kind LIMIT 1",
                "SELECT DISTINCT name FROM entity_totals",
            )
        } else {
            (
                "SELECT name, kind, count(*) AS n, sum(mentions) FROM entities
                 WHERE name IN (SELECT value FROM json_each(?1))
                 GROUP BY name, kind ORDER BY n DESC, name, kind LIMIT 1",
                "SELECT DISTINCT name FROM entities",
            )
        };
        let mut stmt = self.conn.prepare_cached(counted).map_err(|e| self.sql(e))?;
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
        read(self.matching(names, |n| *n == wanted)?)
    }

    /// An entity's articles and mentions per dated day, oldest first (`name`: its
    /// canonical name, exactly), over its `sample` articles stored last (the name index
    /// gives them in order: a name in a hundred thousand articles costs what one in
    /// `sample` does).
    pub fn entity_days(&self, name: &str, sample: usize) -> Result<Vec<DayCount>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        if self.summarized()? {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT day, articles, mentions FROM entity_days WHERE name = ?1 ORDER BY day",
                )
                .map_err(|e| self.sql(e))?;
            return stmt
                .query_map([name], |r| {
                    Ok(DayCount {
                        day: Day(r.get(0)?),
                        articles: r.get::<_, i64>(1)? as u64,
                        mentions: r.get::<_, i64>(2)? as u64,
                    })
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| self.sql(e));
        }
        self.entity_days_scanned(name, sample)
    }

    /// [`Store::entity_days`] grouped from the entity's articles.
    fn entity_days_scanned(&self, name: &str, sample: usize) -> Result<Vec<DayCount>> {
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
        let sql = if self.summarized()? {
            "SELECT story, articles AS n FROM entity_stories WHERE name = ?1 AND ?3 = ?3
             ORDER BY n DESC, story DESC LIMIT ?2"
        } else {
            ENTITY_STORIES_SCANNED
        };
        self.entity_stories_with(sql, name, limit, sample)
    }

    fn entity_stories_with(
        &self,
        sql: &str,
        name: &str,
        limit: usize,
        sample: usize,
    ) -> Result<Vec<NamedIn>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
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
    /// that a name in a hundred thousand articles costs what one in `sample` does; a store
    /// of format 8 reads those of a name in 1,000 articles or more from its pairs, over
    /// all of its articles, when they settle the list (see `Store::paired`).
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
        if let Some(paired) = self.paired(name, kind, limit)? {
            return Ok(paired);
        }
        self.companions_sampled(name, kind, limit, sample)
    }

    /// The companions of a name in [`PAIR_NAMES`] articles or more read from its pairs
    /// with the other such names, when these settle the list: `limit` of them, the last
    /// in [`PAIR_NAMES`] articles or more beside it. A name in fewer articles cannot be
    /// beside it as often, so none is missing. `None`: a store before format 8, a name
    /// in fewer articles, or a list the pairs do not settle.
    pub(crate) fn paired(
        &self,
        name: &str,
        kind: EntityKind,
        limit: usize,
    ) -> Result<Option<Vec<crate::EntityCount>>> {
        if self.format()? < 8 || limit == 0 {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT other, other_kind, articles, mentions FROM entity_pairs
                 WHERE name = ?1 AND NOT (other = ?1 AND other_kind = ?2)
                 ORDER BY articles DESC, other, other_kind LIMIT ?3",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(String, String, i64, i64)> = stmt
            .query_map(params![name, kind.as_str(), limit.min(i64::MAX as usize) as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql(e))?;
        let settled = rows.len() == limit && rows.last().is_some_and(|r| r.2 as u64 >= PAIR_NAMES);
        if !settled {
            return Ok(None);
        }
        rows.into_iter().map(|row| self.entity_count(row)).collect::<Result<_>>().map(Some)
    }

    /// [`Store::companions`] counted over the name's `sample` articles stored last.
    ///
    /// The rows are counted here, in a hash table, not by SQLite's GROUP BY, which sorts
    /// them: a name in 12,000 articles has 224,000 rows beside it (GROUP BY 154 ms, the
    /// rows alone 37 ms on the million-article store). Names are compared as the bytes
    /// SQLite holds (checked as UTF-8 once, for the names kept) and hashed with FxHash, not
    /// SipHash: the table is built from the store's own rows, not from a request. The order
    /// is the same: the most articles first, then name and kind in byte order (SQLite's
    /// BINARY collation).
    fn companions_sampled(
        &self,
        name: &str,
        kind: EntityKind,
        limit: usize,
        sample: usize,
    ) -> Result<Vec<crate::EntityCount>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH s AS (SELECT seq FROM entities WHERE name = ?1 ORDER BY seq DESC LIMIT ?2)
                 SELECT o.name, o.kind, o.mentions FROM s JOIN entities o ON o.seq = s.seq",
            )
            .map_err(|e| self.sql(e))?;
        // A name or a kind, as the bytes SQLite holds.
        type Bytes = Box<[u8]>;
        // name -> its kinds (nearly always one), each with its articles and mentions.
        let mut groups: rustc_hash::FxHashMap<Bytes, Vec<(Bytes, i64, i64)>> =
            rustc_hash::FxHashMap::default();
        let mut rows = stmt
            .query(params![name, sample.min(i64::MAX as usize) as i64])
            .map_err(|e| self.sql(e))?;
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let read = || -> rusqlite::Result<(&[u8], &[u8], i64)> {
                Ok((r.get_ref(0)?.as_bytes()?, r.get_ref(1)?.as_bytes()?, r.get(2)?))
            };
            let (other, other_kind, mentions) = read().map_err(|e| self.sql(e))?;
            if other == name.as_bytes() && other_kind == kind.as_str().as_bytes() {
                continue;
            }
            // Only new names and kinds are copied; the rest are compared in place.
            let kinds = match groups.get_mut(other) {
                Some(kinds) => kinds,
                None => groups.entry(other.into()).or_default(),
            };
            match kinds.iter_mut().find(|(k, _, _)| **k == *other_kind) {
                Some((_, articles, sum)) => {
                    *articles += 1;
                    *sum += mentions;
                }
                None => kinds.push((other_kind.into(), 1, mentions)),
            }
        }
        let mut counted: Vec<(Bytes, Bytes, i64, i64)> = groups
            .into_iter()
            .flat_map(|(n, kinds)| kinds.into_iter().map(move |(k, a, m)| (n.clone(), k, a, m)))
            .collect();
        counted
            .sort_unstable_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
        counted.truncate(limit);
        let text = |bytes: Bytes| {
            String::from_utf8(bytes.into_vec())
                .map_err(|e| self.sql(rusqlite::Error::Utf8Error(0, e.utf8_error())))
        };
        counted
            .into_iter()
            .map(|(n, k, a, m)| self.entity_count((text(n)?, text(k)?, a, m)))
            .collect()
    }

    /// The articles naming an entity, newest first (undated last), `limit` of them after
    /// skipping `offset`, among its `sample` articles stored last; `score` is the
    /// entity's mentions in each. A store with summaries reads a page among all of its
    /// articles when its days say the page is dated and walking the date index back to
    /// the page's first day costs less than reading its articles: a name in 139,000
    /// articles reads its newest page from the last day's articles.
    pub fn entity_articles(
        &self,
        name: &str,
        (offset, limit): (usize, usize),
        sample: usize,
    ) -> Result<Vec<StoryArticle>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        if let Some(since) = self.entity_page_since(name, offset.saturating_add(limit), sample)? {
            return self.entity_articles_since(name, (offset, limit), since);
        }
        self.entity_articles_sampled(name, (offset, limit), sample)
    }

    /// The first second of the newest days that hold an entity's `need` newest dated
    /// articles, when the summaries have them and the date index from there holds fewer
    /// than [`DATE_WALK`] times the articles the name index would read (its `sample`
    /// stored last, or all of them).
    fn entity_page_since(&self, name: &str, need: usize, sample: usize) -> Result<Option<i64>> {
        if !self.summarized()? {
            return Ok(None);
        }
        let total: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(sum(articles), 0) FROM entity_totals WHERE name = ?1")
            .and_then(|mut s| s.query_row([name], |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT day, articles FROM entity_days WHERE name = ?1 ORDER BY day DESC",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([name]).map_err(|e| self.sql(e))?;
        let mut seen = 0usize;
        let mut first = None;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            seen = seen.saturating_add(row.get::<_, i64>(1).map_err(|e| self.sql(e))? as usize);
            if seen >= need {
                first = Some(Day(row.get(0).map_err(|e| self.sql(e))?));
                break;
            }
        }
        let Some(first) = first else { return Ok(None) };
        let walked: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(sum(articles), 0) FROM day_articles WHERE day >= ?1")
            .and_then(|mut s| s.query_row([first.0], |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        let read = (total.max(0) as usize).min(sample);
        Ok((walked as usize <= read.saturating_mul(DATE_WALK)).then_some(first.start()))
    }

    /// A page of an entity's articles dated from `since`, newest first, read down the date
    /// index (each article's entity row looked up by its key).
    fn entity_articles_since(
        &self,
        name: &str,
        (offset, limit): (usize, usize),
        since: i64,
    ) -> Result<Vec<StoryArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LISTED_COLUMNS}, e.mentions
                 FROM articles a CROSS JOIN entities e ON e.seq = a.seq AND e.name = ?1
                 WHERE a.published_ts >= ?4
                 ORDER BY a.published_ts DESC, a.seq DESC
                 LIMIT ?2 OFFSET ?3"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map(
            params![
                name,
                limit.min(i64::MAX as usize) as i64,
                offset.min(i64::MAX as usize) as i64,
                since
            ],
            listed_article,
        )
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql(e))
    }

    /// A page of an entity's articles among its `sample` stored last, read through the
    /// name index.
    fn entity_articles_sampled(
        &self,
        name: &str,
        (offset, limit): (usize, usize),
        sample: usize,
    ) -> Result<Vec<StoryArticle>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LISTED_COLUMNS}, e.mentions
                 FROM (SELECT seq, mentions FROM entities WHERE name = ?1
                       ORDER BY seq DESC LIMIT ?4) e
                      JOIN articles a ON a.seq = e.seq
                 ORDER BY a.published_ts IS NULL, a.published_ts DESC, a.seq DESC
                 LIMIT ?2 OFFSET ?3"
            ))
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

    /// Which parts of an entity's page the reads above answer from its `sample`
    /// articles stored last (see [`Sampled`]), given `companions` names and the `page` of
    /// articles asked for.
    pub fn entity_sampled(
        &self,
        entity: &crate::EntityCount,
        companions: usize,
        (offset, limit): (usize, usize),
        sample: usize,
    ) -> Result<Sampled> {
        if self.format()? < 3 {
            return Ok(Sampled::default());
        }
        let name = entity.name.as_str();
        // Its articles, whichever kind: counted up to one more than the sample.
        let more: bool = self
            .conn
            .prepare_cached(
                "SELECT count(*) > ?2 FROM (SELECT 1 FROM entities WHERE name = ?1 LIMIT ?2 + 1)",
            )
            .and_then(|mut s| {
                s.query_row(params![name, sample.min(i64::MAX as usize - 1) as i64], |r| r.get(0))
            })
            .map_err(|e| self.sql(e))?;
        if !more {
            return Ok(Sampled::default());
        }
        let summarized = self.summarized()?;
        Ok(Sampled {
            days: !summarized,
            stories: !summarized && self.format()? >= 4,
            companions: self.paired(name, entity.kind, companions)?.is_none(),
            articles: self.entity_page_since(name, offset.saturating_add(limit), sample)?.is_none(),
        })
    }

    /// The speakers' canonical names a name finds: the whole name or its last word or
    /// words, in any case (as [`Store::quotes`] reads a speaker).
    pub fn speakers_named(&self, speaker: &str) -> Result<Vec<String>> {
        if self.format()? < 3 {
            return Ok(Vec::new());
        }
        let wanted = crate::annotations::fold(speaker);
        let suffix = format!(" {wanted}");
        Ok(self
            .speakers()?
            .iter()
            .filter(|(_, folded)| *folded == wanted || folded.ends_with(&suffix))
            .map(|(name, _)| name.clone())
            .collect())
    }

    /// Every distinct speaker with its case-folded form, from the view's read cache (read
    /// into it the first time).
    fn speakers(&self) -> Result<std::sync::Arc<Vec<(String, String)>>> {
        self.cached(
            |kept| kept.speakers.as_ref(),
            || self.distinct_speakers().map(std::sync::Arc::new),
            |kept, speakers| kept.speakers = Some(speakers),
        )
    }

    /// Fills a read-only view's cache (the one its views share: [`crate::ReadCache`]) with
    /// what the reader's pages read whole and the first of them would otherwise pay for:
    /// the distinct speakers (about 150 ms on the million-article store) and each
    /// language's word frequencies. A server warms it once as it starts; a view that
    /// writes keeps nothing, and this reads nothing for it.
    pub fn warm(&self) -> Result<()> {
        if self.read_cache()?.is_none() || self.format()? < 3 {
            return Ok(());
        }
        self.speakers()?;
        for language in self.story_languages()? {
            self.doc_freq(&language)?;
        }
        Ok(())
    }

    /// Reads through the tables and indexes the reader's pages look names, days, stories
    /// and speakers up in (the summaries of format 7, story memberships, the speaker
    /// index: 0.7 GB of a 9 GB million-article store), so that the OS holds them: read
    /// from the disk a page at a time, the first entity and speaker pages after a restart
    /// took up to a second (about 2 s of reading here, in the background as a server
    /// starts). Reads nothing from a store before format 7.
    pub fn read_through(&self) -> Result<()> {
        if self.format()? < 7 {
            return Ok(());
        }
        // Counting a table's rows visits each of its pages (SQLite's `OP_Count`); an index
        // is read as the covering scan of a range.
        for sql in [
            "SELECT count(*) FROM entity_totals",
            "SELECT count(*) FROM entity_days",
            "SELECT count(*) FROM entity_stories",
            "SELECT count(*) FROM entity_pairs",
            "SELECT count(*) FROM story_dates",
            "SELECT count(*) FROM story_members",
            "SELECT count(*) FROM story_members INDEXED BY story_members_story",
            "SELECT count(*) FROM quotes INDEXED BY quotes_speaker WHERE speaker IS NOT NULL",
        ] {
            self.conn.query_row(sql, [], |_| Ok(())).map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Every distinct speaker, in order, with its case-folded form: one seek of the
    /// speaker index each (a name's quotes skipped), rather than every entry of the index:
    /// 2.3 million on a million articles, for 37,000 speakers.
    fn distinct_speakers(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "WITH RECURSIVE s(speaker) AS (
                     SELECT min(speaker) FROM quotes
                     UNION ALL
                     SELECT (SELECT min(q.speaker) FROM quotes q WHERE q.speaker > s.speaker)
                     FROM s WHERE s.speaker IS NOT NULL)
                 SELECT speaker FROM s WHERE speaker IS NOT NULL",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| {
                rows.map(|name| {
                    name.map(|n| (crate::annotations::fold(&n), n)).map(|(f, n)| (n, f))
                })
                .collect()
            })
            .map_err(|e| self.sql(e))
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
        if let Some(speakers) = speakers {
            return self.speakers_quote_groups(&speakers.to_string(), filter);
        }
        // Without a speaker, a window's quotes are read through the date index, articles
        // first (CROSS JOIN keeps SQLite to that order: it would otherwise read every quote
        // of the store, 9 s on a million articles); with no window, every quote. Either
        // may be most of the store's quotes, so SQLite groups them (its sorter spills to
        // disk), not a hash table in memory as for a speaker's.
        let (rows, by_speaker, window) = match filter.from.or(filter.to) {
            Some(_) => (
                "articles a CROSS JOIN quotes q ON q.seq = a.seq",
                "?1 IS NULL",
                "a.published_ts BETWEEN coalesce(?3, -9223372036854775808)
                                    AND coalesce(?4, 9223372036854775807)",
            ),
            None => (
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
                    None::<String>,
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

    /// [`Store::quote_groups`] of the speakers in `speakers` (a JSON array of names).
    ///
    /// The quotes are grouped here, in a hash table, not by SQLite's GROUP BY, which sorts
    /// them by their words: a speaker of 18,000 quotes (6.6 MB of words) on the million-article
    /// store took 120 ms grouped by SQLite, 70 ms to read the rows alone. A speaker's
    /// quotes are bounded by what one speaker said; every quote of a store is not, and is
    /// left to SQLite's sorter. The first article of a group is the earliest dated
    /// (undated ones last), of equal dates the one stored first; groups of equal outlets,
    /// articles and first date are in the byte order of their words, then of their speaker
    /// (as PostgreSQL's store orders them).
    fn speakers_quote_groups(
        &self,
        speakers: &str,
        filter: &QuoteGroupFilter,
    ) -> Result<(Vec<QuoteGroup>, u64)> {
        /// Where an article comes from: its outlet (as an index into the outlets seen), or
        /// the article itself when it names none (each counts as an outlet of its own).
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Source {
            Outlet(u32),
            Article(i64),
        }
        /// A group's words and speaker.
        type Said = (Box<str>, Box<str>);
        /// A quote's row: its words, speaker, outlet, date and article.
        type Row<'r> = (&'r str, &'r str, Option<&'r str>, Option<i64>, i64);
        /// One group as its rows are read.
        struct Tally {
            articles: u64,
            sources: Vec<Source>,
            /// The first article: (date or `i64::MAX` when undated, sequence number).
            first: (i64, i64),
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT q.text, q.speaker, a.outlet, a.published_ts, a.seq
                 FROM quotes q JOIN articles a ON a.seq = q.seq
                 WHERE q.speaker IN (SELECT value FROM json_each(?1))
                   AND (?2 IS NULL OR instr(lower(q.text), lower(?2)) > 0)
                   AND (?3 IS NULL OR a.published_ts >= ?3) AND (?4 IS NULL OR a.published_ts <= ?4)",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt
            .query(params![speakers, filter.text, filter.from, filter.to])
            .map_err(|e| self.sql(e))?;
        let mut outlets: rustc_hash::FxHashMap<Box<str>, u32> = rustc_hash::FxHashMap::default();
        let mut groups: rustc_hash::FxHashMap<Said, Tally> = rustc_hash::FxHashMap::default();
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let read = || -> rusqlite::Result<Row<'_>> {
                Ok((
                    r.get_ref(0)?.as_str()?,
                    r.get_ref(1)?.as_str()?,
                    r.get_ref(2)?.as_str_or_null()?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            };
            let (text, speaker, outlet, ts, seq) = read().map_err(|e| self.sql(e))?;
            let source = match outlet {
                Some(o) => {
                    let next = outlets.len() as u32;
                    Source::Outlet(*outlets.entry(o.into()).or_insert(next))
                }
                None => Source::Article(seq),
            };
            let first = (ts.unwrap_or(i64::MAX), seq);
            let key = (Box::<str>::from(text), Box::<str>::from(speaker));
            let tally =
                groups.entry(key).or_insert(Tally { articles: 0, sources: Vec::new(), first });
            tally.articles += 1;
            if !tally.sources.contains(&source) {
                tally.sources.push(source);
            }
            tally.first = tally.first.min(first);
        }
        let total = groups.len() as u64;
        let mut ranked: Vec<(Said, Tally)> = groups.into_iter().collect();
        ranked.sort_unstable_by(|(a, x), (b, y)| {
            (y.sources.len(), y.articles)
                .cmp(&(x.sources.len(), x.articles))
                .then(x.first.0.cmp(&y.first.0))
                .then_with(|| a.cmp(b))
        });
        let (story, members) = if self.format()? >= 4 {
            ("m.story", "LEFT JOIN story_members m ON m.seq = a.seq")
        } else {
            ("NULL", "")
        };
        let mut first = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LISTED_COLUMNS}, 0.0, {story} FROM articles a {members} WHERE a.seq = ?1"
            ))
            .map_err(|e| self.sql(e))?;
        let groups = ranked
            .into_iter()
            .skip(filter.offset)
            .take(filter.limit)
            .map(|((text, speaker), tally)| {
                let (first, story) = first
                    .query_row([tally.first.1], |r| {
                        Ok((listed_article(r)?, r.get::<_, Option<i64>>(9)?))
                    })
                    .map_err(|e| self.sql(e))?;
                Ok(QuoteGroup {
                    text: text.into(),
                    speaker: Some(speaker.into()),
                    articles: tally.articles,
                    outlets: tally.sources.len() as u64,
                    first,
                    story: story.map(|s| StoryId(s as u64)),
                })
            })
            .collect::<Result<_>>()?;
        Ok((groups, total))
    }
}

#[cfg(test)]
mod tests {
    // The summaries of format 7 hold nothing new: what they answer must be what the
    // grouping queries answer over every article. Each test builds a store through the
    // writer, changes it as ingests and clustering passes do, and after each change asks
    // both: the store itself, and a copy of it marked format 6, which reads as an
    // unmigrated store does.

    use super::*;
    use crate::store::{DB_FILE, StoreWriter};
    use crate::testing::cluster;
    use lede_core::{Annotations, Article, ArticleSeq, Entity, Mention, Published, Timestamp};
    use rusqlite::Connection;

    /// Every article of a test store: no sample.
    const ALL: usize = usize::MAX;
    /// The names of the test articles: one of two kinds, one rare.
    const NAMES: [(&str, EntityKind); 6] = [
        ("Donald Trump", EntityKind::Person),
        ("NATO", EntityKind::Organization),
        ("Georgia", EntityKind::Place),
        ("Georgia", EntityKind::Person),
        ("Russia", EntityKind::Place),
        ("Rex Tillerson", EntityKind::Person),
    ];
    /// 2019-01-01.
    const DAY0: i64 = 17_897;

    /// Article `i`: its date (a few undated, one before 1970), outlet (a few without),
    /// and names, all drawn from `i` and `salt`.
    fn article(i: u64, salt: u64) -> (Article, Annotations) {
        let mix = i.wrapping_mul(2_654_435_761).wrapping_add(salt.wrapping_mul(40_503)) >> 3;
        let published = match mix % 11 {
            0 => None,
            1 => Some("1969-12-31T22:00:00Z".to_owned()),
            n => Some(format!("2019-01-0{}T{:02}:00:00Z", 1 + n % 6, (mix >> 4) % 24)),
        };
        let article = Article {
            title: Some(format!("Article {i} ({salt})")),
            outlet: (!mix.is_multiple_of(7)).then(|| format!("Outlet {}", mix % 4)),
            published: published
                .map(|raw| Published { at: Timestamp::parse_iso(&raw).unwrap(), raw }),
            paragraphs: vec![format!("Body of {i} ({salt}).")],
            ..Article::default()
        };
        let mut names: Vec<(&str, EntityKind)> = Vec::new();
        for (n, &(name, kind)) in NAMES.iter().enumerate() {
            if (mix >> (n + 2)) % 2 == 1 && !names.iter().any(|(had, _)| *had == name) {
                names.push((name, kind));
            }
        }
        let entities = names
            .into_iter()
            .map(|(name, kind)| Entity {
                name: name.into(),
                kind,
                mentions: (0..1 + (mix as usize + name.len()) % 3)
                    .map(|s| Mention { paragraph: 0, start: s, end: s + 1, text: "x".into() })
                    .collect(),
            })
            .collect();
        (article, Annotations { sentences: Vec::new(), entities, quotes: Vec::new() })
    }

    /// Stores articles `range` in one batch.
    fn ingest(w: &mut StoreWriter, range: std::ops::Range<u64>, salt: u64) {
        put(w, &range.map(|i| article(i, salt)).collect::<Vec<_>>());
    }

    /// Stores `made` in one batch.
    fn put(w: &mut StoreWriter, made: &[(Article, Annotations)]) {
        crate::testing::put_annotated(w, made).unwrap();
    }

    /// Issue 17: on a store of one main language the stories sharing the most names with
    /// one of its stories are all of that language, so those of other told languages are
    /// asked for apart (`across`): the best of them, wherever they rank.
    #[test]
    fn issue_17_stories_of_other_languages_are_found_beside_those_sharing_most_names() {
        use crate::stories::{Membership, StoryRow, StoryUpdate};
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        // Story i is article i: its language and the names it shares with story 1.
        let stories: [(&str, &[usize]); 7] = [
            ("en", &[0, 1, 4]),
            ("en", &[0, 1, 4]),
            ("en", &[0, 1, 4]),
            ("en", &[0, 1, 4]),
            ("es", &[0, 4]),
            ("und", &[0, 1, 4]),
            ("fr", &[0]),
        ];
        let made: Vec<(Article, Annotations)> = stories
            .iter()
            .enumerate()
            .map(|(i, (_, names))| {
                let (article, mut annotations) = article(i as u64 + 1, 17);
                annotations.entities = names
                    .iter()
                    .map(|&n| Entity {
                        name: NAMES[n].0.into(),
                        kind: NAMES[n].1,
                        mentions: vec![Mention {
                            paragraph: 0,
                            start: 0,
                            end: 1,
                            text: "x".into(),
                        }],
                    })
                    .collect();
                (article, annotations)
            })
            .collect();
        put(&mut w, &made);
        let assignments: Vec<Membership> = (1..=7)
            .map(|i| Membership { seq: ArticleSeq(i), story: StoryId(i), score: 1.0 })
            .collect();
        let rows: Vec<StoryRow> = stories
            .iter()
            .enumerate()
            .map(|(i, (language, _))| StoryRow {
                id: StoryId(i as u64 + 1),
                first_ts: None,
                last_ts: None,
                size: 1,
                label_seq: Some(ArticleSeq(i as u64 + 1)),
                state: Vec::new(),
                language: (*language).to_owned(),
            })
            .collect();
        let doc_freqs: Vec<(String, Vec<u8>)> =
            ["en", "es", "fr", "und"].iter().map(|l| ((*l).to_owned(), Vec::new())).collect();
        w.put_stories(&StoryUpdate {
            assignments: &assignments,
            stories: &rows,
            merged: &[],
            doc_freqs: &doc_freqs,
        })
        .unwrap();
        let store = w.reader();
        let names: Vec<String> = [0, 1, 4].iter().map(|&n| NAMES[n].0.to_owned()).collect();
        let naming = |story: u64, limit: usize, across: usize| -> Vec<(u64, usize, String)> {
            store
                .stories_naming(StoryId(story), &names, limit, across)
                .unwrap()
                .into_iter()
                .map(|n| (n.story.0, n.names.len(), n.language))
                .collect()
        };
        let row = |story: u64, shared: usize, language: &str| (story, shared, language.to_owned());
        // Three names shared by stories 2-4 and 6 (of no language told): the higher id first.
        assert_eq!(naming(1, 2, 0), [row(6, 3, "und"), row(4, 3, "en")]);
        // The Spanish story shares two, the French one: they come after, the best first.
        assert_eq!(naming(1, 2, 1), [row(6, 3, "und"), row(4, 3, "en"), row(5, 2, "es")]);
        assert_eq!(
            naming(1, 2, 5),
            [row(6, 3, "und"), row(4, 3, "en"), row(5, 2, "es"), row(7, 1, "fr")]
        );
        // Those of other languages among the first count: none is added.
        assert_eq!(naming(1, 6, 1).len(), 6);
        assert_eq!(naming(1, 6, 1)[4..], [row(5, 2, "es"), row(7, 1, "fr")]);
        // From the Spanish story, English is another language: the best English story.
        assert_eq!(naming(5, 1, 1), [row(6, 3, "und"), row(4, 3, "en")]);
        assert_eq!(naming(5, 1, 0), [row(6, 3, "und")]);
        // A story's row tells its language; rows are read at once in the order asked.
        assert_eq!(store.story_row(StoryId(5)).unwrap().unwrap().language, "es");
        let rows = store.story_rows_of(&[7, 99, 5, 1].map(StoryId)).unwrap();
        let rows: Vec<(u64, &str)> = rows.iter().map(|r| (r.id.0, r.language.as_str())).collect();
        assert_eq!(rows, [(7, "fr"), (5, "es"), (1, "en")]);
    }

    /// A copy of the store marked format 6: read as a store before the summaries is.
    fn unsummarized(store: &Store) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        store.conn.execute("VACUUM INTO ?1", [path.to_str().unwrap()]).unwrap();
        Connection::open(&path)
            .unwrap()
            .execute("UPDATE lede_meta SET value = '6' WHERE key = 'format'", [])
            .unwrap();
        let copy = Store::open(dir.path()).unwrap();
        (dir, copy)
    }

    /// A name's companions as SQL's GROUP BY counts them.
    fn grouped_companions(
        store: &Store,
        name: &str,
        kind: EntityKind,
        limit: usize,
        sample: usize,
    ) -> Vec<crate::EntityCount> {
        let mut stmt = store
            .conn
            .prepare(
                "WITH s AS (SELECT seq FROM entities WHERE name = ?1 ORDER BY seq DESC LIMIT ?4)
                 SELECT o.name, o.kind, count(*) AS n, sum(o.mentions)
                 FROM s JOIN entities o ON o.seq = s.seq
                 WHERE NOT (o.name = ?1 AND o.kind = ?2)
                 GROUP BY o.name, o.kind ORDER BY n DESC, o.name, o.kind LIMIT ?3",
            )
            .unwrap();
        let rows: Vec<(String, String, i64, i64)> = stmt
            .query_map(
                params![name, kind.as_str(), limit as i64, sample.min(1 << 40) as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.into_iter().map(|row| store.entity_count(row).unwrap()).collect()
    }

    /// Asserts that every summary answers as the grouping queries do.
    fn same_answers(store: &Store) {
        let (_dir, scanned) = unsummarized(store);
        assert!(store.summarized().unwrap() && !scanned.summarized().unwrap());
        assert_eq!(store.article_days().unwrap(), scanned.article_days().unwrap());
        assert!(!store.article_days().unwrap().is_empty());
        let day = |d: i64| Day(DAY0 + d);
        for (from, to) in [(day(0), day(0)), (day(1), day(3)), (day(0), day(9)), (Day(-1), day(9))]
        {
            for min_size in [1, 3] {
                let ours = store.window_stories(from.start(), to.end(), min_size).unwrap();
                let theirs = scanned.window_stories(from.start(), to.end(), min_size).unwrap();
                assert_eq!(ours, theirs, "{from:?} to {to:?}, at least {min_size}");
            }
        }
        assert!(!store.window_stories(day(0).start(), day(9).end(), 1).unwrap().is_empty());
        for (name, kind) in NAMES.iter().copied().chain([("georgia", EntityKind::Place)]) {
            let entity = store.entity(name).unwrap();
            assert_eq!(entity, scanned.entity(name).unwrap(), "{name}");
            let Some(entity) = entity else { continue };
            let name = entity.name.as_str();
            assert_eq!(
                store.entity_days(name, ALL).unwrap(),
                scanned.entity_days(name, ALL).unwrap()
            );
            assert_eq!(
                store.entity_stories(name, 100, ALL).unwrap(),
                scanned.entity_stories(name, 100, ALL).unwrap(),
                "{name}"
            );
            assert_eq!(
                store.entity_stories(name, 2, ALL).unwrap(),
                scanned.entity_stories(name, 2, ALL).unwrap()
            );
            assert_eq!(
                store.companions(name, kind, 10, ALL).unwrap(),
                scanned.companions(name, kind, 10, ALL).unwrap()
            );
            // Counted in a hash table, as SQL's grouping counts them.
            for (limit, sample) in [(10, ALL), (3, ALL), (10, 2), (1000, 1)] {
                assert_eq!(
                    store.companions_sampled(name, kind, limit, sample).unwrap(),
                    grouped_companions(store, name, kind, limit, sample),
                    "{name}, {limit}, {sample}"
                );
            }
            for page in [(0, 3), (2, 4), (0, 1000)] {
                assert_eq!(
                    store.entity_articles(name, page, ALL).unwrap(),
                    scanned.entity_articles(name, page, ALL).unwrap(),
                    "{name}, {page:?}"
                );
            }
        }
        assert_eq!(store.entity("Nobody").unwrap(), None);
        // The stories naming names, as the related stories read them.
        let named: Vec<String> = NAMES.iter().map(|(n, _)| (*n).to_owned()).collect();
        for id in (1..=7).map(StoryId) {
            for limit in [100, 2] {
                let ours = store.stories_naming(id, &named, limit, 0).unwrap();
                assert_eq!(ours, scanned.stories_naming(id, &named, limit, 0).unwrap(), "{id}");
            }
        }
        // A story's card is what its summary makes of it, merged ids too.
        let cards = (0..=12).filter_map(|id| store.story_card(StoryId(id)).unwrap());
        assert!(
            cards.filter(|c| c.size > 1 && c.outlets > 1 && c.first_seen.is_some()).count() > 1
        );
        for id in (0..=12).map(StoryId) {
            let whole = store.story(id).unwrap();
            assert_eq!(store.story_card(id).unwrap(), whole.as_ref().map(StoryCard::of), "{id}");
            assert_eq!(scanned.story_card(id).unwrap(), store.story_card(id).unwrap(), "{id}");
        }
    }

    #[test]
    fn issue_18_summaries_answer_as_the_grouping_queries_through_ingests_and_passes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..40, 1);
        let first: Vec<(u64, u64)> = (1..=40).map(|seq| (seq, 1 + seq % 6)).collect();
        cluster(&mut w, &first, &[]);
        same_answers(w.reader());
        // A page of a big name is read down the date index.
        let (name, need) = ("Donald Trump", 3);
        assert!(w.reader().entity_page_since(name, need, ALL).unwrap().is_some());

        // Another ingest: stored, not yet clustered (its names are in no story yet).
        ingest(&mut w, 40..70, 2);
        same_answers(w.reader());

        // The next pass: new articles placed, some old ones moved, story 2 merged into 1
        // and 3 into 5.
        let mut pass: Vec<(u64, u64)> = (41..=70).map(|seq| (seq, 4 + seq % 5)).collect();
        pass.extend([(1, 4), (7, 6), (8, 7), (12, 1)]);
        cluster(&mut w, &pass, &[(2, 1), (3, 5)]);
        same_answers(w.reader());
        assert_eq!(w.reader().story_of(ArticleSeq(1)).unwrap(), Some(StoryId(4)), "moved");
        assert_eq!(w.reader().story_of(ArticleSeq(2)).unwrap(), Some(StoryId(5)), "merged");

        // A split: a story's articles moved to a new story, one of them back again.
        cluster(&mut w, &[(4, 9), (10, 9), (16, 9), (22, 9), (10, 4)], &[]);
        same_answers(w.reader());

        // Annotations written again (a backfill run again): names removed and added.
        let again: Vec<(u64, Article, Annotations)> =
            (5..15).map(|seq| (seq, article(seq, 1).0, article(seq, 3).1)).collect();
        let rows: Vec<(ArticleSeq, &[String], &Annotations)> = again
            .iter()
            .map(|(seq, a, ann)| (ArticleSeq(*seq), a.paragraphs.as_slice(), ann))
            .collect();
        w.put_annotations(&rows).unwrap();
        same_answers(w.reader());
    }

    #[test]
    fn issue_18_a_store_of_format_6_is_read_as_it_is_and_its_summaries_backfilled() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..50, 1);
        cluster(&mut w, &(1..=45).map(|seq| (seq, 1 + seq % 7)).collect::<Vec<_>>(), &[]);
        let expected = unsummarized(w.reader());
        drop(w);
        // The store as format 6 wrote it: no summaries, no pairs, no triggers.
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS summary_article; DROP TRIGGER IF EXISTS summary_entity_in;
             DROP TRIGGER IF EXISTS summary_entity_out; DROP TRIGGER IF EXISTS summary_member_in;
             DROP TRIGGER summary_member_move; DROP TRIGGER summary_member_out;
             DROP TABLE day_articles; DROP TABLE story_dates; DROP TABLE entity_totals;
             DROP TABLE entity_days; DROP TABLE entity_stories;
             DROP TABLE entity_top; DROP TABLE entity_pairs;
             DROP INDEX stories_language; ALTER TABLE stories DROP COLUMN language;
             UPDATE lede_meta SET value = '6' WHERE key = 'format';",
        )
        .unwrap();
        drop(conn);

        // A reader reads it as it is, by the grouping queries.
        let old = Store::open(dir.path()).unwrap();
        assert!(!old.summarized().unwrap());
        let day = |d: i64| Day(DAY0 + d);
        let window = (day(0).start(), day(9).end());
        assert_eq!(
            old.window_stories(window.0, window.1, 1).unwrap(),
            expected.1.window_stories(window.0, window.1, 1).unwrap()
        );
        assert_eq!(old.entity("NATO").unwrap(), expected.1.entity("NATO").unwrap());
        drop(old);

        // A writer migrates it: the summaries are backfilled, then kept.
        let mut w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!(w.reader().format().unwrap(), crate::FORMAT_VERSION);
        same_answers(w.reader());
        ingest(&mut w, 50..60, 4);
        cluster(&mut w, &(46..=60).map(|seq| (seq, 1 + seq % 3)).collect::<Vec<_>>(), &[(7, 1)]);
        same_answers(w.reader());
    }

    /// Article `j` of the pair tests: "Donald Trump" (a place in every 50th), "United
    /// States" in 11 of 12, "Washington" in 2 of 3, "Georgia" in 1 of 5; `salt` makes it
    /// new.
    fn paired_article(j: u64, salt: u64, trump: bool) -> (Article, Annotations) {
        let (mut article, _) = article(j, salt);
        article.paragraphs = vec![format!("Paired {j} ({salt}).")];
        let mut names = Vec::new();
        if trump {
            let kind = if j.is_multiple_of(50) { EntityKind::Place } else { EntityKind::Person };
            names.push(("Donald Trump", kind));
        }
        if !j.is_multiple_of(12) {
            names.push(("United States", EntityKind::Place));
        }
        if !j.is_multiple_of(3) {
            names.push(("Washington", EntityKind::Place));
        }
        if j.is_multiple_of(5) {
            names.push(("Georgia", EntityKind::Place));
        }
        let entities = names
            .into_iter()
            .map(|(name, kind)| Entity {
                name: name.into(),
                kind,
                mentions: (0..1 + j as usize % 3)
                    .map(|s| Mention { paragraph: 0, start: s, end: s + 1, text: "x".into() })
                    .collect(),
            })
            .collect();
        (article, Annotations { sentences: Vec::new(), entities, quotes: Vec::new() })
    }

    fn ingest_paired(w: &mut StoreWriter, range: std::ops::Range<u64>) {
        put(w, &range.map(|j| paired_article(j, 9, true)).collect::<Vec<_>>());
    }

    /// The companions of the pair tests' names, from the store and from its unsummarized
    /// copy; and whether the store read those of "Donald Trump" from its pairs.
    fn same_companions(store: &Store) -> bool {
        let (_dir, scanned) = unsummarized(store);
        for (name, kind) in [
            ("Donald Trump", EntityKind::Person),
            ("Donald Trump", EntityKind::Place),
            ("United States", EntityKind::Place),
            ("Washington", EntityKind::Place),
        ] {
            for limit in [1, 2, 3, 10] {
                assert_eq!(
                    store.companions(name, kind, limit, ALL).unwrap(),
                    scanned.companions(name, kind, limit, ALL).unwrap(),
                    "{name} ({kind:?}), {limit}"
                );
            }
        }
        store.paired("Donald Trump", EntityKind::Person, 1).unwrap().is_some()
    }

    #[test]
    fn issue_18_names_in_a_thousand_articles_are_paired_as_their_articles_say() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest_paired(&mut w, 0..990);
        assert!(!same_companions(w.reader()), "990 articles: no pairs yet");
        // "Donald Trump" reaches 1,000 articles inside a batch, and "United States" after.
        ingest_paired(&mut w, 990..1200);
        assert!(same_companions(w.reader()), "the pairs settle its first companion");
        assert_eq!(
            w.reader().paired("Donald Trump", EntityKind::Person, 2).unwrap(),
            None,
            "Washington is beside it in fewer than 1,000 articles: not settled"
        );
        // Annotations written again without it: it falls below 1,000 articles, then comes
        // back.
        let without: Vec<(u64, Article, Annotations)> = (1..=250)
            .map(|seq| {
                let j = seq - 1;
                let (a, ann) = paired_article(j, 9, false);
                (seq, a, ann)
            })
            .collect();
        let rows: Vec<(ArticleSeq, &[String], &Annotations)> = without
            .iter()
            .map(|(seq, a, ann)| (ArticleSeq(*seq), a.paragraphs.as_slice(), ann))
            .collect();
        w.put_annotations(&rows).unwrap();
        assert!(!same_companions(w.reader()), "950 articles: its pairs are gone");
        let with: Vec<(u64, Article, Annotations)> = (1..=250)
            .map(|seq| {
                let (a, ann) = paired_article(seq - 1, 9, true);
                (seq, a, ann)
            })
            .collect();
        let rows: Vec<(ArticleSeq, &[String], &Annotations)> = with
            .iter()
            .map(|(seq, a, ann)| (ArticleSeq(*seq), a.paragraphs.as_slice(), ann))
            .collect();
        w.put_annotations(&rows).unwrap();
        assert!(same_companions(w.reader()), "back at 1,200 articles");
        let pairs = |w: &StoreWriter| -> Vec<(String, String, String, i64, i64)> {
            w.reader()
                .conn
                .prepare("SELECT * FROM entity_pairs ORDER BY name, other, other_kind")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let kept = pairs(&w);
        drop(w);
        // The migration's backfill counts the same pairs.
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch(
            "DROP TABLE entity_top; DROP TABLE entity_pairs;
             DROP INDEX stories_language; ALTER TABLE stories DROP COLUMN language;
             UPDATE lede_meta SET value = '7' WHERE key = 'format';",
        )
        .unwrap();
        drop(conn);
        let w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!(pairs(&w), kept);
        assert!(kept.len() >= 4, "{kept:?}");
        assert!(same_companions(w.reader()));
    }

    /// The quote groups as SQL groups them, the first article of each the earliest dated
    /// (undated last), of equal dates the one stored first: the reference for the hash
    /// table of [`Store::speakers_quote_groups`].
    fn grouped_quotes(store: &Store, filter: &QuoteGroupFilter) -> (Vec<QuoteGroup>, u64) {
        let speakers = serde_json::Value::from(filter.speakers.clone().unwrap()).to_string();
        let mut stmt = store
            .conn
            .prepare(&format!(
                "WITH r AS (
                     SELECT q.text, q.speaker, a.outlet, a.seq,
                            coalesce(a.published_ts, 9223372036854775807) AS ts
                     FROM quotes q JOIN articles a ON a.seq = q.seq
                     WHERE q.speaker IN (SELECT value FROM json_each(?1))
                       AND (?2 IS NULL OR instr(lower(q.text), lower(?2)) > 0)
                       AND (?3 IS NULL OR a.published_ts >= ?3)
                       AND (?4 IS NULL OR a.published_ts <= ?4)),
                 g AS (
                     SELECT text, speaker, count(*) AS n,
                            count(DISTINCT coalesce(outlet, seq)) AS o, min(ts) AS first_ts,
                            (SELECT f.seq FROM r f WHERE f.text = r.text AND f.speaker = r.speaker
                             ORDER BY f.ts, f.seq LIMIT 1) AS first_seq,
                            count(*) OVER () AS total
                     FROM r GROUP BY text, speaker
                     ORDER BY o DESC, n DESC, first_ts, text, speaker LIMIT ?5 OFFSET ?6)
                 SELECT g.text, g.speaker, g.n, g.o, g.total, {LISTED_COLUMNS}, 0.0, m.story
                 FROM g JOIN articles a ON a.seq = g.first_seq
                      LEFT JOIN story_members m ON m.seq = a.seq
                 ORDER BY g.o DESC, g.n DESC, g.first_ts, g.text, g.speaker"
            ))
            .unwrap();
        let mut total = 0;
        let groups = stmt
            .query_map(
                params![
                    speakers,
                    filter.text,
                    filter.from,
                    filter.to,
                    filter.limit as i64,
                    filter.offset as i64
                ],
                |r| {
                    total = r.get::<_, i64>(4)? as u64;
                    Ok(QuoteGroup {
                        text: r.get(0)?,
                        speaker: r.get(1)?,
                        articles: r.get::<_, i64>(2)? as u64,
                        outlets: r.get::<_, i64>(3)? as u64,
                        first: listed_article_at(r, 5)?,
                        story: r.get::<_, Option<i64>>(14)?.map(|s| StoryId(s as u64)),
                    })
                },
            )
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (groups, total)
    }

    #[test]
    fn issue_18_a_speakers_quote_groups_are_counted_as_sql_groups_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        // The same words in articles of one outlet, of several and of none; dates shared
        // by several articles; undated articles; one speaker's words said by another too.
        let said = [
            "We will not back down.",
            "The budget is late.",
            "Nothing to add.",
            "we will not back down.",
        ];
        let speakers = ["Ivanka Trump", "Donald Trump", "Rex Tillerson"];
        let made: Vec<(Article, Annotations)> = (0..90u64)
            .map(|i| {
                let mix = i.wrapping_mul(2_654_435_761) >> 5;
                let (mut a, _) = article(i, 5);
                a.published = match mix % 6 {
                    0 => None,
                    n => {
                        let raw = format!("2019-01-0{}T00:00:00Z", 1 + n % 3);
                        Some(Published { at: Timestamp::parse_iso(&raw).unwrap(), raw })
                    }
                };
                let quotes = (0..1 + mix % 3)
                    .map(|k| lede_core::Quote {
                        text: said[((mix >> 3) + k) as usize % said.len()].into(),
                        speaker: Some(speakers[((mix >> 6) + k) as usize % speakers.len()].into()),
                        cue: None,
                        paragraph: 0,
                        start: 0,
                        end: 1,
                        direct: true,
                    })
                    .collect();
                (a, Annotations { sentences: Vec::new(), entities: Vec::new(), quotes })
            })
            .collect();
        put(&mut w, &made);
        cluster(&mut w, &(1..=60).map(|seq| (seq, 1 + seq % 4)).collect::<Vec<_>>(), &[]);
        let store = w.reader();
        let page = QuoteGroupFilter { limit: 100, ..QuoteGroupFilter::default() };
        let who = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect());
        let day = |d: i64| Some(Day(DAY0 + d).start());
        let filters = [
            QuoteGroupFilter { speakers: who(&["Ivanka Trump"]), ..page.clone() },
            QuoteGroupFilter { speakers: who(&["Ivanka Trump", "Donald Trump"]), ..page.clone() },
            QuoteGroupFilter { speakers: who(&speakers), ..page.clone() },
            QuoteGroupFilter { speakers: who(&speakers), limit: 2, offset: 1, ..page.clone() },
            QuoteGroupFilter { speakers: who(&speakers), offset: 100, ..page.clone() },
            QuoteGroupFilter {
                speakers: who(&speakers),
                text: Some("BACK".into()),
                ..page.clone()
            },
            QuoteGroupFilter { speakers: who(&speakers), from: day(1), ..page.clone() },
            QuoteGroupFilter { speakers: who(&speakers), from: day(1), to: day(1), ..page.clone() },
            QuoteGroupFilter { speakers: who(&["Nobody"]), ..page.clone() },
        ];
        let mut seen = 0;
        for filter in filters {
            let ours = store.quote_groups(&filter).unwrap();
            let theirs = grouped_quotes(store, &filter);
            if theirs.0.is_empty() && filter.offset > 0 {
                // Past the last page SQL has no row to count on; the total is still all.
                let all = QuoteGroupFilter { offset: 0, limit: usize::MAX >> 1, ..filter.clone() };
                assert_eq!((ours.0.len(), ours.1), (0, grouped_quotes(store, &all).0.len() as u64));
                continue;
            }
            assert_eq!(ours, theirs, "{filter:?}");
            seen += ours.0.len();
            assert!(ours.0.iter().all(|g| g.articles >= g.outlets && g.outlets >= 1));
        }
        assert!(seen > 20, "{seen} groups");
        // Some group is in several articles, some of them of no outlet or undated.
        let all =
            store.quote_groups(&QuoteGroupFilter { speakers: who(&speakers), ..page }).unwrap();
        assert!(all.0.iter().any(|g| g.articles > g.outlets), "{all:?}");
    }

    #[test]
    fn issue_18_a_reader_keeps_story_cards_until_the_store_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..20, 1);
        cluster(&mut w, &(1..=20).map(|seq| (seq, 1 + seq % 3)).collect::<Vec<_>>(), &[]);
        let r = Store::open(dir.path()).unwrap();
        let card = r.story_card(StoryId(1)).unwrap().unwrap();
        assert_eq!(card, w.reader().story_card(StoryId(1)).unwrap().unwrap());
        assert_eq!(r.story_card(StoryId(99)).unwrap(), None);
        let kept = r.read_cache().unwrap().unwrap().1.cards.clone();
        assert_eq!(kept.get(&StoryId(1)), Some(&Some(card.clone())));
        assert_eq!(kept.get(&StoryId(99)), Some(&None), "no such story, also kept");
        assert_eq!(r.story_card(StoryId(1)).unwrap().as_ref(), Some(&card), "from the cache");
        // A clustering pass by the writer moves articles into story 1: read again.
        cluster(&mut w, &(10..=20).map(|seq| (seq, 1)).collect::<Vec<_>>(), &[]);
        let moved = r.story_card(StoryId(1)).unwrap().unwrap();
        assert!(moved.size > card.size, "{moved:?} after {card:?}");
        assert_eq!(moved, w.reader().story_card(StoryId(1)).unwrap().unwrap());
        // The writer's own view keeps nothing.
        assert!(w.reader().read_cache().unwrap().is_none());
    }
    /// Views opened over one cache (a server's reading threads) read each card once; a
    /// commit that one of them sees empties it for all, and a card read before that commit
    /// is not kept after it.
    #[test]
    fn issue_18_views_over_one_cache_share_the_cards_they_read_until_the_store_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..20, 1);
        cluster(&mut w, &(1..=20).map(|seq| (seq, 1 + seq % 3)).collect::<Vec<_>>(), &[]);
        let cache = crate::ReadCache::new();
        let a = Store::open_sharing(dir.path(), std::sync::Arc::clone(&cache)).unwrap();
        let b = Store::open_sharing(dir.path(), std::sync::Arc::clone(&cache)).unwrap();
        let card = a.story_card(StoryId(1)).unwrap().unwrap();
        let kept =
            |view: &Store| view.read_cache().unwrap().unwrap().1.cards.get(&StoryId(1)).cloned();
        assert_eq!(kept(&b), Some(Some(card.clone())), "read by a, kept for b");
        // b reads the card as it is, then the writer moves articles into story 1, then a
        // sees the change and reads the card again: b's older card must not be kept.
        let before = b.read_cache().unwrap().unwrap().0;
        cluster(&mut w, &(10..=20).map(|seq| (seq, 1)).collect::<Vec<_>>(), &[]);
        let moved = a.story_card(StoryId(1)).unwrap().unwrap();
        assert!(moved.size > card.size, "{moved:?} after {card:?}");
        b.keep(before, |kept| {
            kept.cards.insert(StoryId(1), Some(card.clone()));
        });
        assert_eq!(a.story_card(StoryId(1)).unwrap().as_ref(), Some(&moved), "not the older card");
        assert_eq!(b.story_card(StoryId(1)).unwrap().as_ref(), Some(&moved));
        // A view opening later cannot know what changed before it: it starts afresh.
        let c = Store::open_sharing(dir.path(), cache).unwrap();
        assert_eq!(kept(&c), None);
        assert_eq!(c.story_card(StoryId(1)).unwrap().as_ref(), Some(&moved));
        assert_eq!(kept(&a), Some(Some(moved)), "and keeps what it reads for the others");
    }
}
