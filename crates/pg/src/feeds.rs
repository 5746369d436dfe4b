//! `lede watch` in cluster mode: the feeds followed, one row each in `feeds` with the
//! schedule and health the embedded store keeps ([`Feed`]), plus a claim: the watch
//! polling the feed now (`claimed_by`) until when (`claimed_until`, PostgreSQL's clock).
//!
//! Any number of watches on any number of machines share the table. A watch claims the
//! feeds due ([`PgStore::claim_feeds`]: `FOR UPDATE SKIP LOCKED`, so two watches claiming
//! at the same moment take different feeds, and a claimed feed is skipped until its claim
//! runs out), publishes a job for each, and writes each feed's new schedule when its job
//! is done ([`PgStore::finish_poll`]), which releases the claim. A watch that dies holding
//! claims holds them until they run out; another then polls those feeds.
//!
//! Also here, what the worker needs for a feed poll: whether a feed item is stored already
//! ([`PgStore::knows`]), and the validators its server last sent for an address
//! (`fetch_state`, for conditional GETs).

use crate::{PgStore, Result, sql};
use lede_core::Validators;
use lede_store::Feed;
use std::time::Duration;

const COLUMNS: &str = "url, title, added_ts, last_poll_ts, next_poll_ts, interval_s, failures, \
                       last_status, last_error, items_seen, items_added, last_new_ts";

fn row(r: &postgres::Row) -> Feed {
    let count = |i: usize| r.get::<_, i64>(i).max(0) as u64;
    Feed {
        url: r.get(0),
        title: r.get(1),
        added_ts: r.get(2),
        last_poll_ts: r.get(3),
        next_poll_ts: r.get(4),
        interval_s: r.get(5),
        failures: r.get::<_, i32>(6).max(0) as u32,
        last_status: r.get(7),
        last_error: r.get(8),
        items_seen: count(9),
        items_added: count(10),
        last_new_ts: r.get(11),
    }
}

/// A count as PostgreSQL's bigint.
fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl PgStore {
    /// Follows `feed`; `false` when its address is followed already (its state is kept).
    pub fn add_feed(&mut self, feed: &Feed) -> Result<bool> {
        let n = self
            .client
            .execute(
                &format!(
                    "INSERT INTO feeds ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                         $10, $11, $12)
                     ON CONFLICT (url) DO NOTHING"
                ),
                &[
                    &feed.url,
                    &feed.title,
                    &feed.added_ts,
                    &feed.last_poll_ts,
                    &feed.next_poll_ts,
                    &feed.interval_s,
                    &i32::try_from(feed.failures).unwrap_or(i32::MAX),
                    &feed.last_status,
                    &feed.last_error,
                    &big(feed.items_seen),
                    &big(feed.items_added),
                    &feed.last_new_ts,
                ],
            )
            .map_err(sql(&self.target, "adding a feed"))?;
        Ok(n > 0)
    }

    /// Stops following `url`; `false` when it was not followed.
    pub fn remove_feed(&mut self, url: &str) -> Result<bool> {
        let n = self
            .client
            .execute("DELETE FROM feeds WHERE url = $1", &[&url])
            .map_err(sql(&self.target, "removing a feed"))?;
        Ok(n > 0)
    }

    /// Every followed feed, by address (in the order of its bytes, as the embedded store
    /// lists them).
    pub fn feeds(&mut self) -> Result<Vec<Feed>> {
        let rows = self
            .client
            .query(&format!("SELECT {COLUMNS} FROM feeds ORDER BY url COLLATE \"C\""), &[])
            .map_err(sql(&self.target, "listing the feeds"))?;
        Ok(rows.iter().map(row).collect())
    }

    /// Claims, for the watch `holder`, up to `limit` feeds due at `now` (Unix seconds;
    /// every feed when `all`) that no other watch holds, for `lease`; the earliest due
    /// first. A feed claimed is skipped by every other watch until the claim is released
    /// ([`PgStore::finish_poll`], [`PgStore::release_feed`]) or runs out.
    pub fn claim_feeds(
        &mut self,
        holder: &str,
        all: bool,
        now: i64,
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<Feed>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                &format!(
                    "UPDATE feeds SET claimed_by = $1,
                         claimed_until = now() + $5::bigint * interval '1 millisecond'
                     WHERE url IN (
                         SELECT url FROM feeds
                         WHERE ($2 OR next_poll_ts <= $3)
                           AND (claimed_until IS NULL OR claimed_until < now())
                         ORDER BY next_poll_ts, url LIMIT $4
                         FOR UPDATE SKIP LOCKED)
                     RETURNING {COLUMNS}"
                ),
                &[&holder, &all, &now, &limit, &lease_ms],
            )
            .map_err(sql(&self.target, "claiming the feeds due"))?;
        let mut feeds: Vec<Feed> = rows.iter().map(row).collect();
        feeds.sort_by(|a, b| a.next_poll_ts.cmp(&b.next_poll_ts).then(a.url.cmp(&b.url)));
        Ok(feeds)
    }

    /// Extends `holder`'s claim on `url` to `lease` from now; `false` when the claim is
    /// no longer `holder`'s.
    pub fn extend_claim(&mut self, holder: &str, url: &str, lease: Duration) -> Result<bool> {
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let n = self
            .client
            .execute(
                "UPDATE feeds SET claimed_until = now() + $3::bigint * interval '1 millisecond'
                 WHERE url = $1 AND claimed_by = $2",
                &[&url, &holder, &lease_ms],
            )
            .map_err(sql(&self.target, "extending a feed's claim"))?;
        Ok(n > 0)
    }

    /// Writes `feed`'s schedule and health after a poll by `holder` and releases the
    /// claim; `false` (nothing written) when the claim is no longer `holder`'s (it ran out
    /// and another watch took the feed, or the feed was removed).
    pub fn finish_poll(&mut self, holder: &str, feed: &Feed) -> Result<bool> {
        let n = self
            .client
            .execute(
                "UPDATE feeds SET title = coalesce($3, title), last_poll_ts = $4,
                     next_poll_ts = $5, interval_s = $6, failures = $7, last_status = $8,
                     last_error = $9, items_seen = $10, items_added = $11, last_new_ts = $12,
                     claimed_by = NULL, claimed_until = NULL
                 WHERE url = $1 AND claimed_by = $2",
                &[
                    &feed.url,
                    &holder,
                    &feed.title,
                    &feed.last_poll_ts,
                    &feed.next_poll_ts,
                    &feed.interval_s,
                    &i32::try_from(feed.failures).unwrap_or(i32::MAX),
                    &feed.last_status,
                    &feed.last_error,
                    &big(feed.items_seen),
                    &big(feed.items_added),
                    &feed.last_new_ts,
                ],
            )
            .map_err(sql(&self.target, "writing a feed's schedule"))?;
        Ok(n > 0)
    }

    /// Names the feed at `url`, if it is followed and has no name yet (the name an OPML
    /// file gave it is the reader's, and stays).
    pub fn set_feed_title(&mut self, url: &str, title: &str) -> Result<()> {
        self.client
            .execute(
                "UPDATE feeds SET title = $2 WHERE url = $1 AND title IS NULL",
                &[&url, &title],
            )
            .map_err(sql(&self.target, "naming a feed"))?;
        Ok(())
    }

    /// Releases `holder`'s claim on `url` without polling it (a watch stopping early): the
    /// feed is due again for every watch at once.
    pub fn release_feed(&mut self, holder: &str, url: &str) -> Result<()> {
        self.client
            .execute(
                "UPDATE feeds SET claimed_by = NULL, claimed_until = NULL
                 WHERE url = $1 AND claimed_by = $2",
                &[&url, &holder],
            )
            .map_err(sql(&self.target, "releasing a feed"))?;
        Ok(())
    }

    /// When the next feed that no watch holds is due (Unix seconds; `None`: there is
    /// none).
    pub fn next_due(&mut self) -> Result<Option<i64>> {
        let row = self
            .client
            .query_one(
                "SELECT min(next_poll_ts) FROM feeds
                 WHERE claimed_until IS NULL OR claimed_until < now()",
                &[],
            )
            .map_err(sql(&self.target, "reading when the next feed is due"))?;
        Ok(row.get(0))
    }

    /// Whether an article is stored under this record id or address: a feed item known by
    /// either is not fetched again (the embedded store's `knows`).
    pub fn knows(&mut self, source_id: Option<&str>, url: Option<&str>) -> Result<bool> {
        let row = self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM aliases WHERE kind = 'source_id' AND key = $1)
                     OR EXISTS (SELECT 1 FROM aliases WHERE kind = 'url' AND key = $2)",
                &[&source_id, &url],
            )
            .map_err(sql(&self.target, "looking up a feed item"))?;
        Ok(row.get(0))
    }

    /// The validators (ETag, Last-Modified) last seen for `url`.
    pub fn fetch_state(&mut self, url: &str) -> Result<Validators> {
        let row = self
            .client
            .query_opt("SELECT etag, last_modified FROM fetch_state WHERE url = $1", &[&url])
            .map_err(sql(&self.target, "reading an address's validators"))?;
        Ok(row.map_or_else(Validators::default, |r| Validators {
            etag: r.get(0),
            last_modified: r.get(1),
        }))
    }

    /// Remembers the validators a server sent for `url`, for the next conditional GET.
    pub fn set_fetch_state(&mut self, url: &str, validators: &Validators) -> Result<()> {
        self.client
            .execute(
                "INSERT INTO fetch_state (url, etag, last_modified) VALUES ($1, $2, $3)
                 ON CONFLICT (url) DO UPDATE
                     SET etag = excluded.etag, last_modified = excluded.last_modified",
                &[&url, &validators.etag, &validators.last_modified],
            )
            .map_err(sql(&self.target, "writing an address's validators"))?;
        Ok(())
    }
}
