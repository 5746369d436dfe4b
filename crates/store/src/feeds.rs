//! The feeds `lede watch` follows: one row per feed in `feeds`, with its schedule (when it
//! was and will next be polled, at what interval) and its health (failures in a row, the
//! last error, items seen and stored). The validators of its last answer are fetch state
//! (`fetch.rs`), like those of any URL input.

use crate::error::Result;
use crate::store::{Store, StoreWriter};
use rusqlite::{OptionalExtension, params};

/// A followed feed. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Feed {
    /// Its address.
    pub url: String,
    /// Its title: the one the OPML file it was imported from gave it, else the one the
    /// feed gives itself (its channel's), once it has been read.
    pub title: Option<String>,
    /// When it was added.
    pub added_ts: i64,
    /// When it was last polled.
    pub last_poll_ts: Option<i64>,
    /// When it is next due.
    pub next_poll_ts: i64,
    /// The interval it is polled at now (adapted to how often it publishes).
    pub interval_s: i64,
    /// Failed polls in a row (0 when the last one worked).
    pub failures: u32,
    /// How the last poll went: `new`, `unchanged` or `failed`.
    pub last_status: Option<String>,
    /// The last failure, when the last poll failed.
    pub last_error: Option<String>,
    /// Items read from it over all polls.
    pub items_seen: u64,
    /// Articles stored from it.
    pub items_added: u64,
    /// The last poll that stored something.
    pub last_new_ts: Option<i64>,
}

impl Feed {
    /// A feed just added, due at once.
    pub fn new(url: &str, now: i64, interval_s: i64) -> Feed {
        Feed {
            url: url.to_owned(),
            title: None,
            added_ts: now,
            last_poll_ts: None,
            next_poll_ts: now,
            interval_s,
            failures: 0,
            last_status: None,
            last_error: None,
            items_seen: 0,
            items_added: 0,
            last_new_ts: None,
        }
    }

    /// Articles stored from it per day since it was added (at least one day counted).
    pub fn items_per_day(&self, now: i64) -> f64 {
        self.items_added as f64 / ((now - self.added_ts).max(86_400) as f64 / 86_400.0)
    }
}

const COLUMNS: &str = "url, title, added_ts, last_poll_ts, next_poll_ts, interval_s, failures, \
                       last_status, last_error, items_seen, items_added, last_new_ts";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Feed> {
    Ok(Feed {
        url: r.get(0)?,
        title: r.get(1)?,
        added_ts: r.get(2)?,
        last_poll_ts: r.get(3)?,
        next_poll_ts: r.get(4)?,
        interval_s: r.get(5)?,
        failures: r.get::<_, i64>(6)?.clamp(0, i64::from(u32::MAX)) as u32,
        last_status: r.get(7)?,
        last_error: r.get(8)?,
        items_seen: r.get::<_, i64>(9)?.max(0) as u64,
        items_added: r.get::<_, i64>(10)?.max(0) as u64,
        last_new_ts: r.get(11)?,
    })
}

impl Store {
    /// Every followed feed, by address. A store of format 5 or older has none.
    pub fn feeds(&self) -> Result<Vec<Feed>> {
        if self.format()? < 6 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM feeds ORDER BY url"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], row).map_err(|e| self.sql(e))?;
        rows.map(|r| r.map_err(|e| self.sql(e))).collect()
    }

    /// One followed feed.
    pub fn feed(&self, url: &str) -> Result<Option<Feed>> {
        if self.format()? < 6 {
            return Ok(None);
        }
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM feeds WHERE url = ?1"), [url], row)
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Whether an article is stored under this record id or address: a feed item known
    /// by either is not fetched again.
    pub fn knows(&self, source_id: Option<&str>, url: Option<&str>) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM aliases WHERE kind = ?1 AND key = ?2")
            .map_err(|e| self.sql(e))?;
        for (kind, key) in [("source_id", source_id), ("url", url)] {
            if let Some(key) = key
                && stmt.exists([kind, key]).map_err(|e| self.sql(e))?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl StoreWriter {
    /// Follows a feed; `false` if it was followed already (its row is left as it is).
    pub fn add_feed(&mut self, feed: &Feed) -> Result<bool> {
        let added = self
            .store
            .conn
            .execute(
                &format!(
                    "INSERT OR IGNORE INTO feeds ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                ),
                params![
                    feed.url,
                    feed.title,
                    feed.added_ts,
                    feed.last_poll_ts,
                    feed.next_poll_ts,
                    feed.interval_s,
                    i64::from(feed.failures),
                    feed.last_status,
                    feed.last_error,
                    feed.items_seen as i64,
                    feed.items_added as i64,
                    feed.last_new_ts,
                ],
            )
            .map_err(|e| self.store.sql(e))?;
        Ok(added > 0)
    }

    /// Stops following a feed (what was stored from it stays); `false` if it was not
    /// followed.
    pub fn remove_feed(&mut self, url: &str) -> Result<bool> {
        let removed = self
            .store
            .conn
            .execute("DELETE FROM feeds WHERE url = ?1", [url])
            .map_err(|e| self.store.sql(e))?;
        Ok(removed > 0)
    }

    /// Names the feed at `url`, if it is followed and has no name yet (the name an OPML
    /// file gave it is the reader's, and stays).
    pub fn set_feed_title(&mut self, url: &str, title: &str) -> Result<()> {
        self.store
            .conn
            .execute("UPDATE feeds SET title = ?2 WHERE url = ?1 AND title IS NULL", [url, title])
            .map(|_| ())
            .map_err(|e| self.store.sql(e))
    }

    /// Writes a feed's schedule and health after a poll (a title of `None` keeps the one
    /// stored).
    pub fn update_feed(&mut self, feed: &Feed) -> Result<()> {
        self.store
            .conn
            .execute(
                "UPDATE feeds SET title = coalesce(?2, title), last_poll_ts = ?3, next_poll_ts = ?4, interval_s = ?5,
                     failures = ?6, last_status = ?7, last_error = ?8, items_seen = ?9,
                     items_added = ?10, last_new_ts = ?11
                 WHERE url = ?1",
                params![
                    feed.url,
                    feed.title,
                    feed.last_poll_ts,
                    feed.next_poll_ts,
                    feed.interval_s,
                    i64::from(feed.failures),
                    feed.last_status,
                    feed.last_error,
                    feed.items_seen as i64,
                    feed.items_added as i64,
                    feed.last_new_ts,
                ],
            )
            .map(|_| ())
            .map_err(|e| self.store.sql(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_added_once_updated_listed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let mut feed = Feed::new("https://a.example/feed.xml", 1_000, 900);
        assert!(w.add_feed(&feed).unwrap());
        assert!(!w.add_feed(&Feed::new("https://a.example/feed.xml", 2_000, 60)).unwrap());
        assert!(w.add_feed(&Feed::new("https://b.example/rss", 1_000, 900)).unwrap());
        feed.title = Some("A".into());
        feed.last_poll_ts = Some(1_100);
        feed.next_poll_ts = 2_000;
        feed.failures = 2;
        feed.last_status = Some("failed".into());
        feed.last_error = Some("HTTP status 503".into());
        feed.items_seen = 20;
        feed.items_added = 3;
        w.update_feed(&feed).unwrap();
        let feeds = w.reader().feeds().unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0], feed);
        assert_eq!(w.reader().feed("https://b.example/rss").unwrap().unwrap().interval_s, 900);
        assert!(w.remove_feed("https://b.example/rss").unwrap());
        assert!(!w.remove_feed("https://b.example/rss").unwrap());
        assert_eq!(w.reader().feeds().unwrap().len(), 1);
        assert!((feed.items_per_day(1_000 + 3 * 86_400) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn known_items_are_found_by_record_id_or_address() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = StoreWriter::open(dir.path()).unwrap();
        let article = lede_core::Article {
            url: Some("https://a.example/1".into()),
            paragraphs: vec!["A paragraph long enough to be stored as an article.".into()],
            ..lede_core::Article::default()
        };
        let new = crate::NewArticle {
            id: lede_core::ArticleId::of(&article),
            article: &article,
            source_id: Some("guid-1"),
            extra: None,
            origin: "feed.xml (item 1)",
            fetched_at: &[],
            sketch: None,
            annotations: None,
            features: None,
        };
        w.put_batch(&[new]).unwrap();
        let r = w.reader();
        assert!(r.knows(Some("guid-1"), None).unwrap());
        assert!(r.knows(None, Some("https://a.example/1")).unwrap());
        assert!(r.knows(Some("other"), Some("https://a.example/1")).unwrap());
        assert!(!r.knows(Some("guid-2"), Some("https://a.example/2")).unwrap());
        assert!(!r.knows(None, None).unwrap());
    }
}
