//! Cluster mode's units of work: a queue message, or one part of a large one (a WARC file
//! is stored a batch at a time). A unit's row in `work_done` is written in the transaction
//! that stores its articles, so that delivery at least once has its effect exactly once:
//! a redelivered unit (its worker died between commit and acknowledgement, or was thought
//! dead) finds its row and stores and counts nothing; two workers given the same unit at
//! once meet on the row's key, and the second stores nothing.

use crate::{PgStore, Result, sql};
use lede_store::{NewArticle, Put};

/// A unit of work.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    /// Its message's id (unique per run: a duplicate publish is the same message).
    pub msg: &'a str,
    /// Its part of the message, from 0.
    pub part: i32,
    /// Whether it is the message's last part: the message is then done.
    pub last: bool,
    /// The run (one `lede ingest`) that published it.
    pub run: &'a str,
}

/// What a unit, or a run's units together, did with their records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Records read.
    pub seen: u64,
    /// Articles stored.
    pub added: u64,
    /// Records whose text was stored already.
    pub duplicates: u64,
    /// Pages that are not articles.
    pub skipped: u64,
    /// Records left out by the selection.
    pub filtered: u64,
    /// Records that could not be read or extracted.
    pub failed: u64,
    /// The first failures, as the worker describes them (JSON objects).
    pub errors: Vec<serde_json::Value>,
}

/// A run's progress: how many of its messages are done, and what they did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunProgress {
    /// Messages whose last part is stored.
    pub messages_done: u64,
    /// Their counts (and those of the parts stored of the others).
    pub counts: Counts,
}

/// Failures kept per run at most (all are counted).
const MAX_ERRORS: i64 = 100;

impl PgStore {
    /// Whether `unit` is stored already (a redelivery: its records need not be read).
    pub fn unit_done(&mut self, msg: &str, part: i32) -> Result<bool> {
        let row = self
            .client
            .query_opt("SELECT 1 FROM work_done WHERE msg = $1 AND part = $2", &[&msg, &part])
            .map_err(sql(&self.target, "reading the work done"))?;
        Ok(row.is_some())
    }

    /// Stores a unit's articles and its counts in one transaction. `counts` holds what
    /// became of the unit's records other than the articles in `batch` (read, skipped,
    /// filtered, failed); the articles' outcomes are added to it. `None` when the unit was
    /// stored already, by an earlier delivery or by another worker at the same moment:
    /// nothing is then stored or counted.
    pub fn put_unit(
        &mut self,
        unit: &Unit<'_>,
        batch: &[NewArticle<'_>],
        counts: &Counts,
        now: i64,
    ) -> Result<Option<Vec<Put>>> {
        self.ensure_partitions(batch, now)?;
        let target = self.target.clone();
        let err = sql(&target, "storing a unit of work");
        let mut tx = self.client.transaction().map_err(&err)?;
        // The row first: a second delivery of the same unit waits here for the first to
        // commit, then finds the key taken.
        let claimed = tx
            .execute(
                "INSERT INTO work_done (msg, part, last, run, seen, added, duplicates, skipped,
                     filtered, failed, errors)
                 VALUES ($1, $2, $3, $4, 0, 0, 0, 0, 0, 0, '[]')
                 ON CONFLICT (msg, part) DO NOTHING",
                &[&unit.msg, &unit.part, &unit.last, &unit.run],
            )
            .map_err(&err)?;
        if claimed == 0 {
            return Ok(None);
        }
        let puts = crate::articles::put_in(&mut tx, &target, batch, now)?;
        let added = puts.iter().filter(|p| matches!(p, Put::Added { .. })).count() as u64;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let errors = serde_json::Value::Array(counts.errors.clone()).to_string();
        tx.execute(
            "UPDATE work_done SET seen = $3, added = $4, duplicates = $5, skipped = $6,
                 filtered = $7, failed = $8, errors = $9::text::jsonb
             WHERE msg = $1 AND part = $2",
            &[
                &unit.msg,
                &unit.part,
                &n(counts.seen),
                &n(added),
                &n(counts.duplicates + batch.len() as u64 - added),
                &n(counts.skipped),
                &n(counts.filtered),
                &n(counts.failed),
                &errors,
            ],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(Some(puts))
    }

    /// What the units of `run` stored so far did.
    pub fn run_progress(&mut self, run: &str) -> Result<RunProgress> {
        let err = sql(&self.target, "reading a run's progress");
        let row = self
            .client
            .query_one(
                "SELECT count(*) FILTER (WHERE last), coalesce(sum(seen), 0)::bigint,
                     coalesce(sum(added), 0)::bigint, coalesce(sum(duplicates), 0)::bigint,
                     coalesce(sum(skipped), 0)::bigint, coalesce(sum(filtered), 0)::bigint,
                     coalesce(sum(failed), 0)::bigint
                 FROM work_done WHERE run = $1",
                &[&run],
            )
            .map_err(&err)?;
        let get = |i: usize| row.get::<_, i64>(i).max(0) as u64;
        let errors = self
            .client
            .query(
                "SELECT e::text FROM work_done, jsonb_array_elements(errors) e
                 WHERE run = $1 ORDER BY msg, part LIMIT $2",
                &[&run, &MAX_ERRORS],
            )
            .map_err(&err)?
            .iter()
            .filter_map(|r| serde_json::from_str(r.get::<_, &str>(0)).ok())
            .collect();
        Ok(RunProgress {
            messages_done: get(0),
            counts: Counts {
                seen: get(1),
                added: get(2),
                duplicates: get(3),
                skipped: get(4),
                filtered: get(5),
                failed: get(6),
                errors,
            },
        })
    }
}
