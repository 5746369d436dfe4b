//! The reader's summaries (`schema.rs`, formats 7 and later), kept per batch of writes.
//!
//! Formats 7 and 8 kept them with SQLite triggers that fired for every inserted or deleted
//! row of `articles`, `entities` and `story_members`: a batch ingest of 7,999 releases took
//! 1.6 times as long, most of it the entity-insert trigger counting each row's name, day,
//! story and pairs (issue 13). Format 9 drops the triggers on inserts (and on deletes of
//! entities); the three write paths that add or remove such rows count what they wrote,
//! once per batch, in the same transaction (so a batch that fails, or a process killed
//! mid-batch, leaves the summaries as exact as the rows):
//!
//! - [`StoreWriter::put_batch`](crate::StoreWriter::put_batch) inserts articles and their
//!   entities: [`articles_added`], then [`entities_added`] and [`settle_pairs`];
//! - [`StoreWriter::put_annotations`](crate::StoreWriter::put_annotations) replaces an
//!   article's entities: [`entities_removing`] before the old rows go, then
//!   [`entities_added`] and [`settle_pairs`] after the new ones are in;
//! - [`StoreWriter::put_stories`](crate::StoreWriter::put_stories) makes articles members
//!   of stories: [`members_added`].
//!
//! Each is one set-based statement per summary over the batch's rows (`GROUP BY` and an
//! upsert), so a name, day or story named by many articles of a batch is written once.
//!
//! A member moved to another story (a merge, a split) or deleted is still followed by
//! format 7's triggers on `story_members` (`summary_member_move`, `summary_member_out`):
//! few rows, and no write path deletes members (a test does, by hand).
//!
//! # Pairs
//!
//! `entity_pairs` counts, for the names in `entity_top` (those in at least
//! [`PAIR_NAMES`] articles), the articles naming both. Within a batch the pairs of the
//! names already in `entity_top` are counted from the batch's rows, and `entity_top` is
//! left as it was; [`settle_pairs`] then lets the names that crossed the threshold in or
//! out: one that fell below leaves with its pairs, one that reached it joins and its pairs
//! are counted from all its articles (with the names already there, and with the others
//! joining), so every pair is counted once.

use crate::schema::PAIR_NAMES;
use lede_core::ArticleSeq;
use rusqlite::{Transaction, params};

/// A batch's articles as the statements below read them: a JSON array of sequence numbers
/// (for `json_each`).
pub(crate) fn seq_list(seqs: impl IntoIterator<Item = ArticleSeq>) -> String {
    let seqs: Vec<u64> = seqs.into_iter().map(|s| s.0).collect();
    serde_json::to_string(&seqs).expect("numbers serialise")
}

/// Counts the articles `seqs` (a [`seq_list`]), just inserted, in `day_articles`. `day` is
/// Unix seconds divided by 86,400 rounded down, as format 7's migration counted it.
pub(crate) fn articles_added(tx: &Transaction<'_>, seqs: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO day_articles (day, articles)
         SELECT (published_ts - ((published_ts % 86400) + 86400) % 86400) / 86400 AS d, count(*)
         FROM articles
         WHERE seq IN (SELECT value FROM json_each(?1)) AND published_ts IS NOT NULL
         GROUP BY d
         ON CONFLICT (day) DO UPDATE SET articles = articles + excluded.articles",
    )?
    .execute([seqs])?;
    Ok(())
}

/// Counts the articles `seqs`, each just made a member of a story (inserted into
/// `story_members`; a member moved is an UPDATE, which format 7's trigger follows), in
/// `story_dates` and in the stories of their names.
pub(crate) fn members_added(tx: &Transaction<'_>, seqs: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO story_dates (published_ts, seq, story, outlet)
         SELECT a.published_ts, a.seq, m.story, a.outlet
         FROM story_members m JOIN articles a ON a.seq = m.seq
         WHERE m.seq IN (SELECT value FROM json_each(?1)) AND a.published_ts IS NOT NULL",
    )?
    .execute([seqs])?;
    tx.prepare_cached(ENTITY_STORIES)?.execute(params![seqs, 1])?;
    Ok(())
}

/// Adds `?2` times the entity rows of the articles `?1` that are in a story to their
/// names' rows of that story.
const ENTITY_STORIES: &str = "INSERT INTO entity_stories (name, story, articles)
     SELECT e.name, m.story, ?2 * count(*)
     FROM story_members m JOIN entities e ON e.seq = m.seq
     WHERE m.seq IN (SELECT value FROM json_each(?1))
     GROUP BY e.name, m.story
     ON CONFLICT (name, story) DO UPDATE SET articles = articles + excluded.articles";

/// Counts the entity rows of the articles `seqs`, just written, in the names' totals,
/// days, stories, and the pairs of names already in `entity_top`. [`settle_pairs`] must
/// follow, in the same transaction.
pub(crate) fn entities_added(tx: &Transaction<'_>, seqs: &str) -> rusqlite::Result<()> {
    count_entities(tx, seqs, 1)
}

/// Takes the entity rows of the articles `seqs`, about to be deleted, out of the names'
/// totals, days, stories and pairs (rows fallen to zero are deleted). Returns the names of
/// `entity_top` among them, which [`settle_pairs`] checks against the threshold once the
/// new rows are counted (a name that falls below and comes back within the batch keeps its
/// pairs).
pub(crate) fn entities_removing(tx: &Transaction<'_>, seqs: &str) -> rusqlite::Result<Vec<String>> {
    count_entities(tx, seqs, -1)?;
    // The rows of the batch's names and keys that fell to zero: read through the rows
    // still there, each summary's key a prefix of its primary key.
    tx.prepare_cached(
        "DELETE FROM entity_totals WHERE articles <= 0 AND (name, kind) IN (
             SELECT name, kind FROM entities WHERE seq IN (SELECT value FROM json_each(?1)))",
    )?
    .execute([seqs])?;
    tx.prepare_cached(
        "DELETE FROM entity_days WHERE articles <= 0 AND (name, day) IN (
             SELECT e.name,
                    (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400
             FROM entities e JOIN articles a ON a.seq = e.seq
             WHERE e.seq IN (SELECT value FROM json_each(?1)) AND a.published_ts IS NOT NULL)",
    )?
    .execute([seqs])?;
    tx.prepare_cached(
        "DELETE FROM entity_stories WHERE articles <= 0 AND (name, story) IN (
             SELECT e.name, m.story FROM entities e JOIN story_members m ON m.seq = e.seq
             WHERE e.seq IN (SELECT value FROM json_each(?1)))",
    )?
    .execute([seqs])?;
    let top: Vec<String> = tx
        .prepare_cached(
            "SELECT DISTINCT e.name FROM entities e JOIN entity_top t ON t.name = e.name
             WHERE e.seq IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([seqs], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let top_json = serde_json::to_string(&top).expect("strings serialise");
    tx.prepare_cached(
        "DELETE FROM entity_pairs
         WHERE articles <= 0 AND name IN (SELECT value FROM json_each(?1))",
    )?
    .execute([top_json])?;
    Ok(top)
}

/// Adds `sign` (1 or -1) times the entity rows of the articles `seqs` to the names'
/// totals, days and stories, and to the pairs of names in `entity_top`.
fn count_entities(tx: &Transaction<'_>, seqs: &str, sign: i64) -> rusqlite::Result<()> {
    // Each statement groups the batch's rows by the summary's key, then adds to the row of
    // each key (a row not there yet is made; when taking away, every key's row is there).
    tx.prepare_cached(
        "INSERT INTO entity_totals (name, kind, articles, mentions)
         SELECT name, kind, ?2 * count(*), ?2 * sum(mentions)
         FROM entities WHERE seq IN (SELECT value FROM json_each(?1))
         GROUP BY name, kind
         ON CONFLICT (name, kind)
         DO UPDATE SET articles = articles + excluded.articles,
                       mentions = mentions + excluded.mentions",
    )?
    .execute(params![seqs, sign])?;
    tx.prepare_cached(
        "INSERT INTO entity_days (name, day, articles, mentions)
         SELECT e.name, (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400 AS d,
                ?2 * count(*), ?2 * sum(e.mentions)
         FROM entities e JOIN articles a ON a.seq = e.seq
         WHERE e.seq IN (SELECT value FROM json_each(?1)) AND a.published_ts IS NOT NULL
         GROUP BY e.name, d
         ON CONFLICT (name, day)
         DO UPDATE SET articles = articles + excluded.articles,
                       mentions = mentions + excluded.mentions",
    )?
    .execute(params![seqs, sign])?;
    // Newly stored articles are in no story yet: the members are found first, so that
    // their rows alone are read.
    tx.prepare_cached(ENTITY_STORIES)?.execute(params![seqs, sign])?;
    // Pairs of the names in `entity_top` (the same name included, in its row's kind): the
    // batch's rows of those names first, few beside all its rows, then paired by article.
    tx.prepare_cached(
        "WITH t AS MATERIALIZED (
             SELECT e.seq, e.name, e.kind, e.mentions
             FROM entities e JOIN entity_top u ON u.name = e.name
             WHERE e.seq IN (SELECT value FROM json_each(?1)))
         INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT s.name, o.name, o.kind, ?2 * count(*), ?2 * sum(o.mentions)
         FROM t s JOIN t o ON o.seq = s.seq
         GROUP BY s.name, o.name, o.kind
         ON CONFLICT (name, other, other_kind)
         DO UPDATE SET articles = articles + excluded.articles,
                       mentions = mentions + excluded.mentions",
    )?
    .execute(params![seqs, sign])?;
    Ok(())
}

/// Lets the names that crossed [`PAIR_NAMES`] articles in a batch in or out of
/// `entity_top`: of `was_top` (from [`entities_removing`]), those now below leave with
/// their pairs; of the names of the articles `added` (whose rows [`entities_added`]
/// counted), those now at or above it join, their pairs counted from all their articles.
pub(crate) fn settle_pairs(
    tx: &Transaction<'_>,
    added: &str,
    was_top: &[String],
) -> rusqlite::Result<()> {
    let threshold = PAIR_NAMES as i64;
    for name in was_top {
        let articles: i64 = tx
            .prepare_cached("SELECT coalesce(sum(articles), 0) FROM entity_totals WHERE name = ?1")?
            .query_row([name], |r| r.get(0))?;
        if articles >= threshold {
            continue;
        }
        tx.prepare_cached("DELETE FROM entity_pairs WHERE name = ?1")?.execute([name])?;
        // Pairs are symmetric: the names paired with it are in `entity_top`, and their
        // rows are found through the key's prefix.
        tx.prepare_cached(
            "DELETE FROM entity_pairs
             WHERE name IN (SELECT name FROM entity_top) AND other = ?1",
        )?
        .execute([name])?;
        tx.prepare_cached("DELETE FROM entity_top WHERE name = ?1")?.execute([name])?;
    }
    let joining: Vec<String> = tx
        .prepare_cached(
            "SELECT x.name FROM entity_totals x
             WHERE x.name IN (SELECT e.name FROM entities e
                              WHERE e.seq IN (SELECT value FROM json_each(?1)))
               AND NOT EXISTS (SELECT 1 FROM entity_top t WHERE t.name = x.name)
             GROUP BY x.name HAVING sum(x.articles) >= ?2",
        )?
        .query_map(params![added, threshold], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if joining.is_empty() {
        return Ok(());
    }
    for name in &joining {
        tx.prepare_cached("INSERT INTO entity_top (name) VALUES (?1)")?.execute([name])?;
    }
    let joining_json = serde_json::to_string(&joining).expect("strings serialise");
    for name in &joining {
        // With every name of `entity_top`, those joining and itself included.
        tx.prepare_cached(
            "INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
             SELECT s.name, o.name, o.kind, count(*), sum(o.mentions)
             FROM entities s CROSS JOIN entities o ON o.seq = s.seq
             WHERE s.name = ?1 AND o.name IN (SELECT name FROM entity_top)
             GROUP BY o.name, o.kind",
        )?
        .execute([name])?;
        // Beside it in the pairs of the names there before the batch (those joining count
        // theirs with it above).
        tx.prepare_cached(
            "INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
             SELECT o.name, s.name, s.kind, count(*), sum(s.mentions)
             FROM entities s CROSS JOIN entities o ON o.seq = s.seq
             WHERE s.name = ?1 AND o.name IN (SELECT name FROM entity_top)
               AND o.name NOT IN (SELECT value FROM json_each(?2))
             GROUP BY o.name, s.kind",
        )?
        .execute(params![name, joining_json])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // Each test changes a store through the writer as ingests, backfills and clustering
    // passes do, and after each change compares every summary with what the migrations'
    // backfills (formats 7 and 8) count from the rows themselves.

    use super::*;
    use crate::error::Error;
    use crate::store::{DB_FILE, StoreWriter};
    use crate::testing::cluster;
    use lede_core::{
        Annotations, Article, ArticleId, Entity, EntityKind, Mention, Published, Timestamp,
    };
    use rusqlite::Connection;
    use rusqlite::types::Value;

    /// Each summary as stored, and as counted from the rows (the backfills' queries).
    const SUMMARIES: [(&str, &str); 7] = [
        (
            "SELECT day, articles FROM day_articles ORDER BY 1",
            "SELECT (published_ts - ((published_ts % 86400) + 86400) % 86400) / 86400 AS d, count(*)
             FROM articles WHERE published_ts IS NOT NULL GROUP BY d ORDER BY 1",
        ),
        (
            "SELECT published_ts, seq, story, outlet FROM story_dates ORDER BY 1, 2",
            "SELECT a.published_ts, a.seq, m.story, a.outlet
             FROM story_members m JOIN articles a ON a.seq = m.seq
             WHERE a.published_ts IS NOT NULL ORDER BY 1, 2",
        ),
        (
            "SELECT name, kind, articles, mentions FROM entity_totals ORDER BY 1, 2",
            "SELECT name, kind, count(*), sum(mentions) FROM entities GROUP BY name, kind
             ORDER BY 1, 2",
        ),
        (
            "SELECT name, day, articles, mentions FROM entity_days ORDER BY 1, 2",
            "SELECT e.name,
                    (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400 AS d,
                    count(*), sum(e.mentions)
             FROM entities e JOIN articles a ON a.seq = e.seq
             WHERE a.published_ts IS NOT NULL GROUP BY e.name, d ORDER BY 1, 2",
        ),
        (
            "SELECT name, story, articles FROM entity_stories ORDER BY 1, 2",
            "SELECT e.name, m.story, count(*)
             FROM entities e JOIN story_members m ON m.seq = e.seq
             GROUP BY e.name, m.story ORDER BY 1, 2",
        ),
        (
            "SELECT name FROM entity_top ORDER BY 1",
            "SELECT name FROM entities GROUP BY name HAVING count(*) >= 1000 ORDER BY 1",
        ),
        (
            "SELECT name, other, other_kind, articles, mentions FROM entity_pairs
             ORDER BY 1, 2, 3",
            "WITH top AS (SELECT name FROM entities GROUP BY name HAVING count(*) >= 1000)
             SELECT s.name, o.name, o.kind, count(*), sum(o.mentions)
             FROM entities s JOIN entities o ON o.seq = s.seq
             WHERE s.name IN top AND o.name IN top
             GROUP BY s.name, o.name, o.kind ORDER BY 1, 2, 3",
        ),
    ];

    fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .and_then(|rows| rows.collect())
            .unwrap()
    }

    /// Every summary as stored.
    fn stored(conn: &Connection) -> Vec<Vec<Vec<Value>>> {
        SUMMARIES.iter().map(|(kept, _)| rows(conn, kept)).collect()
    }

    /// Asserts that every summary holds what the rows say.
    fn exact(w: &StoreWriter) {
        let conn = &w.reader().conn;
        for (kept, counted) in SUMMARIES {
            assert_eq!(rows(conn, kept), rows(conn, counted), "{kept}");
        }
    }

    fn pair_count(w: &StoreWriter) -> usize {
        rows(&w.reader().conn, "SELECT * FROM entity_pairs").len()
    }

    /// Article `i`'s names: "Alpha" in every one (an organization in every 40th), "Beta"
    /// in 19 of 20, "Gamma" in half, and one of 30 rare names; `alpha` and `beta` leave
    /// those out, `alpha_kind` names Alpha's kind in all of them.
    fn names(i: u64, alpha: bool, beta: bool, alpha_kind: Option<EntityKind>) -> Annotations {
        let mut names = Vec::new();
        if alpha {
            let kind =
                if i.is_multiple_of(40) { EntityKind::Organization } else { EntityKind::Person };
            names.push(("Alpha".to_owned(), alpha_kind.unwrap_or(kind)));
        }
        if beta && !i.is_multiple_of(20) {
            names.push(("Beta".to_owned(), EntityKind::Place));
        }
        if i.is_multiple_of(2) {
            names.push(("Gamma".to_owned(), EntityKind::Place));
        }
        names.push((format!("Rare {}", i % 30), EntityKind::Person));
        let entities = names
            .into_iter()
            .map(|(name, kind)| Entity {
                mentions: (0..1 + (i as usize + name.len()) % 3)
                    .map(|s| Mention { paragraph: 0, start: s, end: s + 1, text: "x".into() })
                    .collect(),
                name,
                kind,
            })
            .collect();
        Annotations { sentences: Vec::new(), entities, quotes: Vec::new() }
    }

    /// Article `i` (sequence number `i + 1`): dated on one of 9 days (a few undated, one
    /// before 1970), from one of 3 outlets (a few from none).
    fn article(i: u64) -> Article {
        let published = match i % 13 {
            0 => None,
            1 => Some("1969-12-31T22:00:00Z".to_owned()),
            n => Some(format!("2019-01-0{}T{:02}:00:00Z", 1 + n % 9, i % 24)),
        };
        Article {
            title: Some(format!("Article {i}")),
            outlet: (!i.is_multiple_of(11)).then(|| format!("Outlet {}", i % 3)),
            published: published
                .map(|raw| Published { at: Timestamp::parse_iso(&raw).unwrap(), raw }),
            paragraphs: vec![format!("Body of {i}.")],
            ..Article::default()
        }
    }

    fn ingest(w: &mut StoreWriter, range: std::ops::Range<u64>) {
        try_ingest(w, range).unwrap();
    }

    fn try_ingest(w: &mut StoreWriter, range: std::ops::Range<u64>) -> crate::Result<()> {
        let made: Vec<(Article, Annotations)> =
            range.map(|i| (article(i), names(i, true, true, None))).collect();
        crate::testing::put_annotated(w, &made)
    }

    /// Writes the annotations of articles `range` again, as `names` says.
    fn rewrite(
        w: &mut StoreWriter,
        range: std::ops::Range<u64>,
        names: impl Fn(u64) -> Annotations,
    ) -> crate::Result<()> {
        let made: Vec<(u64, Article, Annotations)> =
            range.map(|i| (i, article(i), names(i))).collect();
        let rows: Vec<(ArticleSeq, &[String], &Annotations)> = made
            .iter()
            .map(|(i, a, ann)| (ArticleSeq(i + 1), a.paragraphs.as_slice(), ann))
            .collect();
        w.put_annotations(&rows)
    }

    #[test]
    fn issue_13_summaries_kept_per_batch_are_exact_through_ingests_rewrites_and_passes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..600);
        cluster(&mut w, &(1..=500).map(|seq| (seq, 1 + seq % 9)).collect::<Vec<_>>(), &[]);
        exact(&w);
        assert_eq!(pair_count(&w), 0, "no name in 1,000 articles yet");

        // Alpha and Beta both reach 1,000 articles inside one batch: their pairs are
        // counted from all their articles, the pair of the two once.
        ingest(&mut w, 600..1100);
        exact(&w);
        assert_eq!(
            rows(&w.reader().conn, "SELECT name FROM entity_top ORDER BY 1"),
            [[Value::Text("Alpha".into())], [Value::Text("Beta".into())]]
        );
        // Then counted per batch among the names already there; new members, moves and
        // merges of stories.
        ingest(&mut w, 1100..1200);
        let mut pass: Vec<(u64, u64)> = (501..=1150).map(|seq| (seq, 10 + seq % 7)).collect();
        pass.extend([(1, 12), (2, 3), (9, 9), (700, 1)]);
        cluster(&mut w, &pass, &[(2, 1), (11, 4)]);
        exact(&w);

        // Alpha written again as an organization in 300 articles: below 1,000 while its
        // old rows are taken away, back once the new ones are counted; it stays, and its
        // pairs follow the kind.
        rewrite(&mut w, 0..300, |i| names(i, true, true, Some(EntityKind::Organization))).unwrap();
        exact(&w);
        // Without Alpha and Beta in 300 articles: both leave, with their pairs.
        rewrite(&mut w, 0..300, |i| names(i, false, false, None)).unwrap();
        exact(&w);
        assert_eq!(pair_count(&w), 0);
        // Back, in one backfill: both join again.
        rewrite(&mut w, 0..300, |i| names(i, true, true, None)).unwrap();
        exact(&w);
        assert!(pair_count(&w) > 4);
        // One in, one out in the same backfill; articles written twice in it.
        rewrite(&mut w, 0..300, |i| names(i, i >= 150, true, None)).unwrap();
        rewrite(&mut w, 100..300, |i| names(i, true, i < 200, None)).unwrap();
        exact(&w);
    }

    #[test]
    fn issue_13_a_failed_batch_leaves_the_summaries_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        ingest(&mut w, 0..1005);
        cluster(&mut w, &(1..=1000).map(|seq| (seq, 1 + seq % 5)).collect::<Vec<_>>(), &[]);
        exact(&w);
        let before = stored(&w.reader().conn);
        // The summaries are written in the batch's transaction, after its rows: a failure
        // at its end (as a kill there) rolls them back with the rows.
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER boom BEFORE INSERT ON lede_meta WHEN NEW.key = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom'); END;
             CREATE TRIGGER boom_pairs AFTER INSERT ON entity_pairs
             BEGIN INSERT INTO lede_meta (key, value) VALUES ('boom', 'x'); END;",
        )
        .unwrap();
        drop(conn);
        // Beta reaches 1,000 articles in this batch: its pairs fail.
        let err = try_ingest(&mut w, 1005..1100);
        assert!(
            matches!(&err, Err(Error::Sqlite { source, .. }) if source.to_string().contains("boom")),
            "{err:?}"
        );
        assert_eq!(stored(&w.reader().conn), before);
        assert_eq!(w.reader().article_count().unwrap(), 1005);
        exact(&w);
        // A backfill fails as a whole too.
        let err = rewrite(&mut w, 0..100, |i| names(i, true, true, Some(EntityKind::Place)));
        assert!(
            matches!(&err, Err(Error::Sqlite { source, .. }) if source.to_string().contains("boom")),
            "{err:?}"
        );
        assert_eq!(stored(&w.reader().conn), before);
        exact(&w);
    }

    #[test]
    fn issue_13_a_store_of_format_8_keeps_its_summaries_without_its_triggers() {
        let dir = tempfile::tempdir().unwrap();
        // Format 8 as released: the summaries kept by its triggers.
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        crate::schema::create_old(&conn, 8).unwrap();
        drop(conn);
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            let tx = conn.unchecked_transaction().unwrap();
            for i in 0..1010u64 {
                let a = article(i);
                tx.execute(
                    "INSERT INTO articles (seq, id, outlet, published_ts, origin, article)
                     VALUES (?1, ?2, ?3, ?4, 'old', '{}')",
                    params![
                        i as i64 + 1,
                        ArticleId::of(&a).to_string(),
                        a.outlet,
                        a.published.as_ref().map(|p| p.at.unix_seconds())
                    ],
                )
                .unwrap();
                for e in names(i, true, true, None).entities {
                    tx.execute(
                        "INSERT INTO entities (seq, name, kind, mentions) VALUES (?1, ?2, ?3, ?4)",
                        params![i as i64 + 1, e.name, e.kind.as_str(), e.mentions.len() as i64],
                    )
                    .unwrap();
                }
                tx.execute(
                    "INSERT INTO story_members (seq, story, score) VALUES (?1, ?2, 0.5)",
                    params![i as i64 + 1, 1 + i as i64 % 4],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let triggers = |w: &StoreWriter| {
            rows(
                &w.reader().conn,
                "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            )
        };
        let mut w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!(w.reader().format().unwrap(), crate::FORMAT_VERSION);
        assert_eq!(
            triggers(&w),
            ["summary_member_move", "summary_member_out"].map(|t| [Value::Text(t.into())])
        );
        exact(&w);
        assert!(pair_count(&w) > 0, "Alpha is in 1,010 articles");
        ingest(&mut w, 1010..1100);
        cluster(&mut w, &[(1011, 2), (1012, 7), (5, 7)], &[(3, 1)]);
        exact(&w);
    }
}
