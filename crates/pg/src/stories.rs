//! Stories in PostgreSQL, written by one clustering writer per language at a time.
//!
//! Stories never mix languages ([`lede_core::story_language`]): each language's are
//! clustered apart, with word frequencies of their own (`cluster_state`'s
//! `doc_freq:<language>`), so the writers of two languages run at once without reading
//! each other's state. Their new stories' ids come from one counter (`next_story_id`), a
//! block reserved per pass, so that they never collide.
//!
//! A writer holds its language's lease ([`story_scope`]): a row of `leases` with its
//! name, an epoch and an expiry. Any
//! worker may take the lease once it has expired (the epoch then goes up by one); the
//! holder renews it well before. Every write of stories checks, in its own transaction,
//! that the lease row still carries the writer's epoch and has not expired, and holds the
//! row (`FOR SHARE`) until it commits: a writer that was paused or cut off past its lease
//! (SIGSTOP, a long GC-like stall, a partition) and wakes up mid-pass cannot write, and a
//! takeover waits for a write in flight to end. This is fencing, not only mutual exclusion.
//!
//! [`PgStories`] gives clustering what it reads and writes ([`StoryBackend`]), the same as
//! the embedded store, so that `lede_engine::cluster_stories` runs unchanged on it.

use crate::{Error, PgStore, Result, backend, sql};
use lede_core::{ArticleId, ArticleSeq, StoryId};
use lede_store::{
    ArticleFeatures, ArticleText, MemberFeatures, StoryBackend, StoryRow, StoryUpdate, Unclustered,
};
use std::time::Duration;

/// The lease scope of `language`'s story writer: `stories:<language>`.
pub fn story_scope(language: &str) -> String {
    format!("stories:{language}")
}

/// A lease held: the scope, who holds it, and the epoch every write is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// What it is a lease on (`stories:en`, see [`story_scope`]).
    pub scope: String,
    /// Who holds it.
    pub holder: String,
    /// Its epoch: one more at each change of holder (or re-take after expiry).
    pub epoch: i64,
}

impl PgStore {
    /// Takes the lease on `scope` for `holder` for `ttl`, when no one holds it or its
    /// holder let it expire; `None` while another holds it.
    pub fn try_lease(&mut self, scope: &str, holder: &str, ttl: Duration) -> Result<Option<Lease>> {
        let row = self
            .client
            .query_opt(
                "INSERT INTO leases (scope, holder, epoch, expires)
                 VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3))
                 ON CONFLICT (scope) DO UPDATE
                     SET holder = excluded.holder, epoch = leases.epoch + 1,
                         expires = excluded.expires
                     WHERE leases.expires <= clock_timestamp()
                 RETURNING epoch",
                &[&scope, &holder, &ttl.as_secs_f64()],
            )
            .map_err(sql(&self.target, "taking a lease"))?;
        Ok(row.map(|r| Lease { scope: scope.into(), holder: holder.into(), epoch: r.get(0) }))
    }

    /// Extends `lease` by `ttl` from now; `false` when it was lost (it expired, and
    /// perhaps another took it): its holder must stop writing.
    pub fn renew_lease(&mut self, lease: &Lease, ttl: Duration) -> Result<bool> {
        let n = self
            .client
            .execute(
                "UPDATE leases SET expires = clock_timestamp() + make_interval(secs => $4)
                 WHERE scope = $1 AND holder = $2 AND epoch = $3 AND expires > clock_timestamp()",
                &[&lease.scope, &lease.holder, &lease.epoch, &ttl.as_secs_f64()],
            )
            .map_err(sql(&self.target, "renewing a lease"))?;
        Ok(n == 1)
    }

    /// Gives `lease` up at once (another worker may take it without waiting for it to
    /// expire). Nothing happens if it was lost already.
    pub fn release_lease(&mut self, lease: &Lease) -> Result<()> {
        self.client
            .execute(
                "UPDATE leases SET expires = clock_timestamp()
                 WHERE scope = $1 AND holder = $2 AND epoch = $3",
                &[&lease.scope, &lease.holder, &lease.epoch],
            )
            .map_err(sql(&self.target, "releasing a lease"))?;
        Ok(())
    }

    /// Articles stored and not yet in a story, those at or below `through` only.
    pub fn waiting_for_stories(&mut self, through: ArticleSeq) -> Result<u64> {
        let row = self
            .client
            .query_one("SELECT count(*) FROM story_queue WHERE seq <= $1", &[&(through.0 as i64)])
            .map_err(sql(&self.target, "counting the articles waiting for stories"))?;
        Ok(row.get::<_, i64>(0).max(0) as u64)
    }

    /// What waits in `story_queue` at or below `through`, in brief: how many articles, and
    /// the sum of their sequence numbers. It reads the queue alone, where the count by
    /// language ([`PgStore::waiting_by_language`]) joins every waiting article's row.
    pub fn story_queue_state(&mut self, through: ArticleSeq) -> Result<(u64, i64)> {
        let row = self
            .client
            .query_one(
                "SELECT count(*), coalesce(sum(seq), 0)::bigint FROM story_queue WHERE seq <= $1",
                &[&(through.0 as i64)],
            )
            .map_err(sql(&self.target, "counting the articles waiting for stories"))?;
        Ok((row.get::<_, i64>(0).max(0) as u64, row.get(1)))
    }

    /// Articles stored and not yet in a story, those at or below `through` only, by
    /// language ([`lede_core::story_language`]), in the order of the languages' names.
    pub fn waiting_by_language(&mut self, through: ArticleSeq) -> Result<Vec<(String, u64)>> {
        let rows = self
            .client
            .query(
                "SELECT a.language, count(*) FROM story_queue q JOIN articles a ON a.seq = q.seq
                 WHERE q.seq <= $1 GROUP BY a.language",
                &[&(through.0 as i64)],
            )
            .map_err(sql(&self.target, "counting the articles waiting for stories"))?;
        let mut out = std::collections::BTreeMap::new();
        for r in &rows {
            let language = lede_core::story_language(r.get::<_, Option<&str>>(0));
            *out.entry(language).or_insert(0) += r.get::<_, i64>(1).max(0) as u64;
        }
        Ok(out.into_iter().collect())
    }

    /// The highest sequence number stored (0: none).
    pub fn last_seq(&mut self) -> Result<ArticleSeq> {
        let row = self
            .client
            .query_one("SELECT coalesce(max(seq), 0) FROM article_ids", &[])
            .map_err(sql(&self.target, "reading the last sequence number"))?;
        Ok(ArticleSeq(row.get::<_, i64>(0).max(0) as u64))
    }

    /// The story of article `seq`, if it is in one.
    pub fn story_of(&mut self, seq: ArticleSeq) -> Result<Option<StoryId>> {
        let row = self
            .client
            .query_opt("SELECT story FROM story_members WHERE seq = $1", &[&(seq.0 as i64)])
            .map_err(sql(&self.target, "reading an article's story"))?;
        Ok(row.map(|r| StoryId(r.get::<_, i64>(0) as u64)))
    }

    /// The stored document frequencies of `language`'s stories, if clustering has run
    /// (`doc_freq:<language>`, else the store-wide `doc_freq` of a store clustered before
    /// stories were per language, as the embedded store reads them).
    pub(crate) fn doc_freq(&mut self, language: &str) -> Result<Option<Vec<u8>>> {
        let row = self
            .client
            .query_opt(
                "SELECT value FROM cluster_state WHERE key IN ($1, 'doc_freq')
                 ORDER BY key = 'doc_freq' LIMIT 1",
                &[&format!("doc_freq:{language}")],
            )
            .map_err(sql(&self.target, "reading the word frequencies"))?;
        Ok(row.map(|r| r.get(0)))
    }

    /// The languages whose stories have been clustered (those with word frequencies of
    /// their own: `doc_freq:<language>`), in order, as the embedded store reads them.
    pub(crate) fn story_languages(&mut self) -> Result<Vec<String>> {
        let rows = self
            .client
            .query(
                "SELECT substr(key, 10) FROM cluster_state WHERE key LIKE 'doc\\_freq:%'
                 ORDER BY key",
                &[],
            )
            .map_err(sql(&self.target, "reading the languages of stories"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The stored document frequencies of story `id`'s language (that of the article
    /// labelling it), if clustering has run.
    pub(crate) fn story_doc_freq(&mut self, id: StoryId) -> Result<Option<Vec<u8>>> {
        let row = self
            .client
            .query_opt(
                "SELECT a.language FROM stories s JOIN articles a ON a.seq = s.label_seq
                 WHERE s.id = $1",
                &[&(id.0 as i64)],
            )
            .map_err(sql(&self.target, "reading a story's language"))?;
        let language = row.and_then(|r| r.get::<_, Option<String>>(0));
        self.doc_freq(&lede_core::story_language(language.as_deref()))
    }

    /// The error for story `story`'s stored `blob` that its decoder rejected.
    pub(crate) fn damaged_story(
        &self,
        story: StoryId,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> Error {
        Error::DamagedStory {
            target: self.target.clone(),
            story,
            message: format!("{blob}: {why}"),
        }
    }

    /// Clustering's reads and fenced writes of `language`'s stories, under `lease` (the
    /// lease of [`story_scope`]`(language)`).
    pub fn stories<'a>(&'a mut self, lease: &'a Lease, language: &'a str) -> PgStories<'a> {
        PgStories { store: self, lease, language, reserved: None }
    }
}

/// The stories of one language of a PostgreSQL store as clustering reads and writes them,
/// every write checked against the writer's lease.
pub struct PgStories<'a> {
    store: &'a mut PgStore,
    lease: &'a Lease,
    language: &'a str,
    /// The block of story ids this pass reserved: `[start, end)`.
    reserved: Option<(i64, i64)>,
}

/// The key of `cluster_state` holding the next story id no pass has reserved.
const NEXT_STORY_ID: &str = "next_story_id";

/// The columns of `stories` that [`story_row`] reads, in its order.
pub(crate) const STORY_COLUMNS: &str =
    "SELECT id, first_ts, last_ts, size, label_seq, state, language FROM stories";

/// A story's row from a row of [`STORY_COLUMNS`].
pub(crate) fn story_row(r: &postgres::Row) -> StoryRow {
    StoryRow {
        id: StoryId(r.get::<_, i64>(0) as u64),
        first_ts: r.get(1),
        last_ts: r.get(2),
        size: r.get::<_, i64>(3) as u64,
        label_seq: r.get::<_, Option<i64>>(4).map(|n| ArticleSeq(n as u64)),
        state: r.get(5),
        language: r.get(6),
    }
}

fn seqs_param(seqs: &[ArticleSeq]) -> Vec<i64> {
    seqs.iter().map(|s| s.0 as i64).collect()
}

impl PgStories<'_> {
    fn texts(&mut self, seqs: &[ArticleSeq], select: &str) -> lede_store::Result<Vec<ArticleText>> {
        let rows = self
            .store
            .client
            .query(&format!("{select} WHERE seq = ANY($1)"), &[&seqs_param(seqs)])
            .map_err(|e| backend(sql(&self.store.target, "reading articles' text")(e)))?;
        Ok(rows
            .iter()
            .map(|r| ArticleText { seq: ArticleSeq(r.get::<_, i64>(0) as u64), text: r.get(1) })
            .collect())
    }
}

impl StoryBackend for PgStories<'_> {
    fn unclustered(&mut self, limit: usize) -> lede_store::Result<Vec<Unclustered>> {
        let target = self.store.target.clone();
        let err = |e| backend(sql(&target, "reading the articles waiting for stories")(e));
        // This writer's language's first `limit`, told apart by the one rule (in Rust);
        // then their features, which are the bulk.
        let mut seqs: Vec<i64> = Vec::new();
        for r in self
            .store
            .client
            .query(
                "SELECT q.seq, a.language FROM story_queue q JOIN articles a ON a.seq = q.seq
                 ORDER BY q.seq",
                &[],
            )
            .map_err(err)?
        {
            if lede_core::story_language(r.get::<_, Option<&str>>(1)) == self.language {
                seqs.push(r.get(0));
                if seqs.len() >= limit {
                    break;
                }
            }
        }
        let rows = self
            .store
            .client
            .query(
                "SELECT q.seq, a.id, a.published_ts, f.features, a.language
                 FROM story_queue q
                 JOIN articles a ON a.seq = q.seq
                 LEFT JOIN story_features f ON f.seq = q.seq
                 WHERE q.seq = ANY($1)
                 ORDER BY q.seq",
                &[&seqs],
            )
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                let id: String = r.get(1);
                let parsed = id.parse::<ArticleId>().map_err(|e| {
                    backend(Error::Damaged {
                        target: target.clone(),
                        id: id.clone(),
                        what: "id",
                        message: e.to_string(),
                    })
                })?;
                Ok(Unclustered {
                    seq: ArticleSeq(r.get::<_, i64>(0) as u64),
                    id: parsed,
                    published_ts: r.get(2),
                    language: r.get(4),
                    features: r.get(3),
                })
            })
            .collect()
    }

    fn doc_freq(&mut self, language: &str) -> lede_store::Result<Option<Vec<u8>>> {
        self.store.doc_freq(language).map_err(backend)
    }

    /// Reserves `reserve` ids (a pass creates at most one story per article) past every
    /// stored and reserved one, in a transaction of its own: another language's writer
    /// reserving at the same time waits for it and gets the next block.
    fn next_story_id(&mut self, reserve: usize) -> lede_store::Result<StoryId> {
        let target = self.store.target.clone();
        let err = |e| backend(sql(&target, "reserving story ids")(e));
        let mut tx = self.store.client.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO cluster_state (key, value) VALUES ($1, int8send(1::bigint))
             ON CONFLICT (key) DO NOTHING",
            &[&NEXT_STORY_ID],
        )
        .map_err(err)?;
        let row = tx
            .query_one(
                "SELECT greatest(
                     (SELECT ('x' || encode(value, 'hex'))::bit(64)::bigint FROM cluster_state
                      WHERE key = $1 FOR UPDATE),
                     coalesce((SELECT max(id) FROM stories), 0) + 1,
                     coalesce((SELECT max(old) FROM story_aliases), 0) + 1)",
                &[&NEXT_STORY_ID],
            )
            .map_err(err)?;
        let start: i64 = row.get(0);
        let end = start.saturating_add(i64::try_from(reserve).unwrap_or(i64::MAX));
        tx.execute(
            "UPDATE cluster_state SET value = int8send($2) WHERE key = $1",
            &[&NEXT_STORY_ID, &end],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        self.reserved = Some((start, end));
        Ok(StoryId(start as u64))
    }

    fn story_rows(
        &mut self,
        language: &str,
        range: Option<(i64, i64)>,
    ) -> lede_store::Result<Vec<StoryRow>> {
        let err = |e| backend(sql(&self.store.target, "reading stories")(e));
        let rows = match range {
            Some((from, to)) => self.store.client.query(
                &format!("{STORY_COLUMNS} WHERE language = $1 AND last_ts BETWEEN $2 AND $3"),
                &[&language, &from, &to],
            ),
            None => self.store.client.query(
                &format!("{STORY_COLUMNS} WHERE language = $1 AND last_ts IS NULL"),
                &[&language],
            ),
        }
        .map_err(err)?;
        Ok(rows.iter().map(story_row).collect())
    }

    fn member_features(&mut self, stories: &[StoryId]) -> lede_store::Result<Vec<MemberFeatures>> {
        let ids: Vec<i64> = stories.iter().map(|s| s.0 as i64).collect();
        let rows = self
            .store
            .client
            .query(
                "SELECT m.story, m.seq, f.features
                 FROM story_members m LEFT JOIN story_features f ON f.seq = m.seq
                 WHERE m.story = ANY($1)",
                &[&ids],
            )
            .map_err(|e| backend(sql(&self.store.target, "reading stories' members")(e)))?;
        Ok(rows
            .iter()
            .map(|r| MemberFeatures {
                story: StoryId(r.get::<_, i64>(0) as u64),
                seq: ArticleSeq(r.get::<_, i64>(1) as u64),
                features: r.get(2),
            })
            .collect())
    }

    fn features_of(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<ArticleFeatures>> {
        let rows = self
            .store
            .client
            .query(
                "SELECT seq, features FROM story_features WHERE seq = ANY($1)",
                &[&seqs_param(seqs)],
            )
            .map_err(|e| backend(sql(&self.store.target, "reading story features")(e)))?;
        Ok(rows
            .iter()
            .map(|r| ArticleFeatures {
                seq: ArticleSeq(r.get::<_, i64>(0) as u64),
                features: r.get(1),
            })
            .collect())
    }

    fn titles(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<ArticleText>> {
        self.texts(seqs, "SELECT seq, title FROM articles")
    }

    fn leads(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<ArticleText>> {
        self.texts(seqs, "SELECT seq, substr(article -> 'paragraphs' ->> 0, 1, 300) FROM articles")
    }

    fn put_stories(&mut self, update: &StoryUpdate<'_>) -> lede_store::Result<()> {
        let reserved = self.reserved.take();
        put_stories(self.store, self.lease, self.language, reserved, update).map_err(backend)
    }

    fn damaged(
        &mut self,
        seq: ArticleSeq,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> lede_store::Error {
        backend(Error::Damaged {
            target: self.store.target.clone(),
            id: format!("#{}", seq.0),
            what: "stored value",
            message: format!("{blob}: {why}"),
        })
    }

    fn damaged_story(
        &mut self,
        story: StoryId,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> lede_store::Error {
        backend(self.store.damaged_story(story, blob, why))
    }
}

/// Writes a pass of `language`'s stories in one transaction, after checking (and holding)
/// the lease, which must be that language's; gives back the ids of `reserved` the pass did
/// not use when no pass reserved any since.
fn put_stories(
    store: &mut PgStore,
    lease: &Lease,
    language: &str,
    reserved: Option<(i64, i64)>,
    update: &StoryUpdate<'_>,
) -> Result<()> {
    let target = store.target.clone();
    let err = sql(&target, "storing stories");
    let mut tx = store.client.transaction().map_err(&err)?;
    let scope = story_scope(language);
    let held = tx
        .query_opt(
            "SELECT 1 FROM leases
             WHERE scope = $1 AND holder = $2 AND epoch = $3 AND expires > clock_timestamp()
             FOR SHARE",
            &[&scope, &lease.holder, &lease.epoch],
        )
        .map_err(&err)?;
    if held.is_none() {
        return Err(Error::Fenced { target: target.clone(), scope, epoch: lease.epoch });
    }
    for &(old, id) in update.merged {
        let (old, id) = (old.0 as i64, id.0 as i64);
        tx.execute("DELETE FROM stories WHERE id = $1", &[&old]).map_err(&err)?;
        tx.execute("UPDATE story_members SET story = $2 WHERE story = $1", &[&old, &id])
            .map_err(&err)?;
        tx.execute("UPDATE story_aliases SET id = $2 WHERE id = $1", &[&old, &id]).map_err(&err)?;
        tx.execute(
            "INSERT INTO story_aliases (old, id) VALUES ($1, $2)
             ON CONFLICT (old) DO UPDATE SET id = excluded.id",
            &[&old, &id],
        )
        .map_err(&err)?;
    }
    let member = tx
        .prepare(
            "INSERT INTO story_members (seq, story, score) VALUES ($1, $2, $3)
             ON CONFLICT (seq) DO UPDATE SET story = excluded.story, score = excluded.score",
        )
        .map_err(&err)?;
    let dequeue = tx.prepare("DELETE FROM story_queue WHERE seq = $1").map_err(&err)?;
    for m in update.assignments {
        let seq = m.seq.0 as i64;
        tx.execute(&member, &[&seq, &(m.story.0 as i64), &m.score]).map_err(&err)?;
        tx.execute(&dequeue, &[&seq]).map_err(&err)?;
    }
    let story = tx
        .prepare(
            "INSERT INTO stories (id, label_seq, first_ts, last_ts, size, state, language)
             VALUES ($1, coalesce($2, (SELECT min(seq) FROM story_members WHERE story = $1)),
                     $3, $4, (SELECT count(*) FROM story_members WHERE story = $1), $5, $6)
             ON CONFLICT (id) DO UPDATE SET label_seq = excluded.label_seq,
                 first_ts = excluded.first_ts, last_ts = excluded.last_ts,
                 size = excluded.size, state = excluded.state, language = excluded.language",
        )
        .map_err(&err)?;
    for s in update.stories {
        let label = s.label_seq.map(|l| l.0 as i64);
        tx.execute(
            &story,
            &[&(s.id.0 as i64), &label, &s.first_ts, &s.last_ts, &s.state, &s.language],
        )
        .map_err(&err)?;
    }
    for (language, bytes) in update.doc_freqs {
        tx.execute(
            "INSERT INTO cluster_state (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&format!("doc_freq:{language}"), bytes],
        )
        .map_err(&err)?;
    }
    if let Some((start, end)) = reserved {
        let created = update.stories.iter().map(|s| s.id).chain(update.merged.iter().map(|m| m.0));
        let used = created.map(|id| id.0 as i64 + 1).filter(|&n| n > start).max().unwrap_or(start);
        tx.execute(
            "UPDATE cluster_state SET value = int8send($3)
             WHERE key = $1 AND value = int8send($2)",
            &[&NEXT_STORY_ID, &end, &used],
        )
        .map_err(&err)?;
    }
    tx.commit().map_err(&err)
}
