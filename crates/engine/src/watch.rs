//! `lede watch`: following feeds, each on its own schedule.
//!
//! A poll of a feed is an ingest of its address with `follow` on: a conditional GET with
//! the validators its server sent last time (a `304` reads nothing), then the page of each
//! item not stored yet (an item stored before, under its id or its address, is not fetched
//! again), stored with everything an ingest does (sketches, annotations, the index,
//! stories). The schedule adapts to the feed: an interval halved after a poll that stored
//! something and lengthened by half after one that did not, kept between the minimum and
//! the maximum; failures back off exponentially. Schedule and health live in the store
//! (`lede_store::Feed`), so a restarted watch resumes where it was.
//!
//! A followed address that is not a feed but a page listing articles (a section front,
//! "latest news") is read for the articles it links to (`lede_extract::listed_articles`),
//! and those not stored yet are fetched and stored.
//!
//! Known limits: feeds are polled one after another (a slow feed delays the others, up
//! to the fetch timeout); a `Retry-After` header is not read (a 429 or 503 backs off like
//! any failure).

use crate::{IngestOptions, IngestSummary, Result, ingest};
use lede_extract::Extractor;
use lede_ingest::PageReader;
use lede_store::{Feed, Store, StoreWriter};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How feeds are scheduled.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The shortest interval between two polls of a feed.
    pub min_interval: Duration,
    /// The longest.
    pub max_interval: Duration,
    /// A new feed's first interval.
    pub first_interval: Duration,
    /// Extraction threads per poll (0: one per core).
    pub jobs: usize,
}

impl Default for WatchOptions {
    fn default() -> WatchOptions {
        WatchOptions {
            min_interval: Duration::from_secs(5 * 60),
            max_interval: Duration::from_secs(6 * 3600),
            first_interval: Duration::from_secs(15 * 60),
            jobs: 0,
        }
    }
}

/// How a poll went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PollStatus {
    /// New articles were stored.
    New,
    /// Nothing new (unchanged since the last poll, or every item stored already).
    Unchanged,
    /// The feed could not be read.
    Failed,
}

impl PollStatus {
    fn as_str(self) -> &'static str {
        match self {
            PollStatus::New => "new",
            PollStatus::Unchanged => "unchanged",
            PollStatus::Failed => "failed",
        }
    }
}

/// One poll of one feed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Poll {
    /// The feed.
    pub url: String,
    /// How it went.
    pub status: PollStatus,
    /// What the ingest of its items did.
    pub summary: IngestSummary,
    /// The feed's schedule and health after the poll.
    pub feed: Feed,
}

/// Follows `feeds`, each with its title if it has one (those followed already keep their
/// state and title); returns how many were new.
pub fn add_feeds(
    dir: &Path,
    feeds: &[lede_ingest::OpmlFeed],
    options: &WatchOptions,
    now: i64,
) -> Result<usize> {
    let mut store = StoreWriter::open(dir)?;
    let mut added = 0;
    for f in feeds {
        if store.add_feed(&new_feed(f, options, now))? {
            added += 1;
        }
    }
    Ok(added)
}

/// A feed to follow from now, with the title its list gave it.
pub fn new_feed(f: &lede_ingest::OpmlFeed, options: &WatchOptions, now: i64) -> Feed {
    let mut feed = Feed::new(&f.url, now, options.first_interval.as_secs() as i64);
    feed.title.clone_from(&f.title);
    feed
}

/// The feeds followed, with their schedule and health.
pub fn feeds(dir: &Path) -> Result<Vec<Feed>> {
    Ok(Store::open(dir)?.feeds()?)
}

/// Stops following `urls`; returns how many were followed.
pub fn remove_feeds(dir: &Path, urls: &[String]) -> Result<usize> {
    let mut store = StoreWriter::open(dir)?;
    let mut removed = 0;
    for url in urls {
        removed += usize::from(store.remove_feed(url)?);
    }
    Ok(removed)
}

/// One round of polls: which feeds, the clock, and when to stop.
pub struct Round<'a> {
    /// Every feed, not only those due.
    pub all: bool,
    /// The time now, in Unix seconds (passed in: the engine reads no clock of its own).
    pub now: &'a dyn Fn() -> i64,
    /// Set to stop between two feeds (a signal).
    pub stop: &'a AtomicBool,
}

/// Polls the feeds due now (every feed when `round.all`), one after another, calling
/// `on_poll` after each; stops early, between two feeds, once `round.stop` is set.
pub fn poll_feeds(
    dir: &Path,
    reader: &PageReader,
    extractor: &Extractor,
    options: &WatchOptions,
    round: &Round<'_>,
    on_poll: &mut dyn FnMut(&Poll),
) -> Result<Vec<Poll>> {
    let now = round.now;
    let due: Vec<Feed> = Store::open(dir)?
        .feeds()?
        .into_iter()
        .filter(|f| round.all || f.next_poll_ts <= now())
        .collect();
    let ingest_options =
        IngestOptions { jobs: options.jobs, follow: true, ..IngestOptions::default() };
    let mut polls = Vec::new();
    for mut feed in due {
        if round.stop.load(Ordering::SeqCst) {
            break;
        }
        let mut summary = ingest(
            dir,
            reader,
            extractor,
            std::slice::from_ref(&feed.url),
            &ingest_options,
            &|_| {},
        )?;
        if is_listing(&summary) {
            summary = follow_listing(dir, reader, extractor, &feed.url, &ingest_options)?;
        }
        let status = after_poll(&mut feed, &summary, options, now());
        StoreWriter::open(dir)?.update_feed(&feed)?;
        let poll = Poll { url: feed.url.clone(), status, summary, feed };
        on_poll(&poll);
        polls.push(poll);
    }
    Ok(polls)
}

/// Ingests the articles the page at `url` lists that are not stored yet. The page was
/// just fetched (conditionally) by the poll; it is read once more for its links.
fn follow_listing(
    dir: &Path,
    reader: &PageReader,
    extractor: &Extractor,
    url: &str,
    options: &IngestOptions,
) -> Result<IngestSummary> {
    let listed = match listed_pages(reader, url) {
        Ok(listed) => listed,
        Err(e) => return Ok(listing_failed(&e)),
    };
    let store = Store::open(dir)?;
    let total = listed.len();
    let mut new = Vec::new();
    for article in listed {
        if !store.knows(None, Some(&article))? {
            new.push(article);
        }
    }
    drop(store);
    let known = (total - new.len()) as u64;
    let mut summary = if new.is_empty() {
        IngestSummary::default()
    } else {
        ingest(dir, reader, extractor, &new, options, &|_| {})?
    };
    summary.seen += known;
    summary.duplicates += known;
    Ok(summary)
}

/// Whether a poll that did `summary` read not a feed but a page that is not an article
/// either: a page that lists articles (a section front), whose articles not stored yet are
/// to be fetched and stored ([`listed_pages`]).
pub fn is_listing(summary: &IngestSummary) -> bool {
    summary.seen == 1 && summary.skipped == 1
}

/// The addresses of the articles the page at `url` lists (fetched unconditionally: the
/// poll just read it, conditionally, and found it a page).
pub fn listed_pages(reader: &PageReader, url: &str) -> lede_ingest::Result<Vec<String>> {
    let page = reader.fetch(url, None).and_then(|f| match f {
        lede_ingest::Fetched::Page(page, _) => lede_ingest::decode(page),
        lede_ingest::Fetched::NotModified => unreachable!("an unconditional fetch is never 304"),
    })?;
    let base = page.url.as_deref().unwrap_or(url);
    Ok(lede_extract::listed_articles(&page.text, base).into_iter().map(|a| a.url).collect())
}

/// A listing page that could not be read again, as the poll's summary: the feed's
/// failure.
pub fn listing_failed(e: &lede_ingest::Error) -> IngestSummary {
    IngestSummary {
        seen: 1,
        failed: 1,
        errors: vec![crate::IngestError::from_ingest(e)],
        ..IngestSummary::default()
    }
}

/// Judges a poll that did `summary` and adjusts `feed`'s schedule and health after it, at
/// `now`: the one rule of the embedded and the cluster-mode watch (shorter intervals after
/// polls that stored something, longer after those that did not, failures backing off).
pub fn after_poll(
    feed: &mut Feed,
    summary: &IngestSummary,
    options: &WatchOptions,
    now: i64,
) -> PollStatus {
    let status = status_of(&feed.url, summary);
    schedule(feed, status, summary, options, now);
    status
}

/// When the next feed is due (`None`: no feed is followed).
pub fn next_due(dir: &Path) -> Result<Option<i64>> {
    Ok(Store::open(dir)?.feeds()?.iter().map(|f| f.next_poll_ts).min())
}

/// A poll failed when the feed itself could not be read: an error about the feed's own
/// address, not about one of its items (items that fail are the items' failures).
fn status_of(url: &str, summary: &IngestSummary) -> PollStatus {
    let feed_failed = summary.added == 0
        && summary.duplicates == 0
        && summary.failed > 0
        && summary.errors.iter().any(|e| e.source == url && e.location.is_none());
    if feed_failed {
        PollStatus::Failed
    } else if summary.added > 0 {
        PollStatus::New
    } else {
        PollStatus::Unchanged
    }
}

/// The feed's schedule and health after a poll at `now`.
fn schedule(
    feed: &mut Feed,
    status: PollStatus,
    summary: &IngestSummary,
    options: &WatchOptions,
    now: i64,
) {
    let (min, max) = (options.min_interval.as_secs() as i64, options.max_interval.as_secs() as i64);
    let max = max.max(min);
    feed.last_poll_ts = Some(now);
    feed.last_status = Some(status.as_str().to_owned());
    feed.items_seen += summary.seen;
    feed.items_added += summary.added;
    let wait = match status {
        PollStatus::Failed => {
            feed.failures = feed.failures.saturating_add(1);
            let error =
                summary.errors.iter().find(|e| e.source == feed.url && e.location.is_none());
            feed.last_error = error.map(|e| e.message.clone());
            // 2, 4, 8… intervals, never past the maximum; never sooner than the server
            // asked (`Retry-After`, up to a week).
            let backoff = feed.interval_s.saturating_mul(1 << feed.failures.min(16)).min(max);
            let asked = error.and_then(|e| e.retry_after).map_or(0, |s| s.min(7 * 86_400) as i64);
            backoff.max(asked)
        }
        PollStatus::New => {
            feed.failures = 0;
            feed.last_error = None;
            feed.last_new_ts = Some(now);
            feed.interval_s = (feed.interval_s / 2).clamp(min, max);
            feed.interval_s
        }
        PollStatus::Unchanged => {
            feed.failures = 0;
            feed.last_error = None;
            feed.interval_s = (feed.interval_s + feed.interval_s / 2).clamp(min, max);
            feed.interval_s
        }
    };
    feed.next_poll_ts = now + wait;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IngestError;

    fn summary(
        added: u64,
        duplicates: u64,
        failed: u64,
        error_source: Option<&str>,
    ) -> IngestSummary {
        IngestSummary {
            seen: added + duplicates + failed,
            added,
            duplicates,
            failed,
            errors: error_source
                .map(|s| IngestError {
                    source: s.into(),
                    location: None,
                    message: "HTTP status 503".into(),
                    retry_after: None,
                })
                .into_iter()
                .collect(),
            ..IngestSummary::default()
        }
    }

    #[test]
    fn the_schedule_follows_what_the_feed_publishes() {
        let options = WatchOptions {
            min_interval: Duration::from_secs(60),
            max_interval: Duration::from_secs(3600),
            first_interval: Duration::from_secs(600),
            jobs: 1,
        };
        let url = "https://a.example/feed.xml";
        let mut feed = Feed::new(url, 0, 600);
        let new = summary(3, 1, 0, None);
        assert_eq!(status_of(url, &new), PollStatus::New);
        schedule(&mut feed, PollStatus::New, &new, &options, 1_000);
        assert_eq!((feed.interval_s, feed.next_poll_ts, feed.items_added), (300, 1_300, 3));
        let same = summary(0, 4, 0, None);
        assert_eq!(status_of(url, &same), PollStatus::Unchanged);
        schedule(&mut feed, PollStatus::Unchanged, &same, &options, 2_000);
        assert_eq!(feed.interval_s, 450);
        for _ in 0..20 {
            schedule(&mut feed, PollStatus::Unchanged, &same, &options, 3_000);
        }
        assert_eq!(feed.interval_s, 3600, "kept to the maximum");
        for _ in 0..20 {
            schedule(&mut feed, PollStatus::New, &new, &options, 4_000);
        }
        assert_eq!(feed.interval_s, 60, "kept to the minimum");
        // Failures back off, exponentially, to the maximum; the interval itself is kept.
        let down = summary(0, 0, 1, Some(url));
        assert_eq!(status_of(url, &down), PollStatus::Failed);
        schedule(&mut feed, PollStatus::Failed, &down, &options, 5_000);
        assert_eq!((feed.failures, feed.next_poll_ts), (1, 5_120));
        schedule(&mut feed, PollStatus::Failed, &down, &options, 6_000);
        assert_eq!((feed.failures, feed.next_poll_ts), (2, 6_240));
        for _ in 0..30 {
            schedule(&mut feed, PollStatus::Failed, &down, &options, 7_000);
        }
        assert_eq!(feed.next_poll_ts, 7_000 + 3600);
        // A server that asks for a longer wait gets it.
        let mut busy = summary(0, 0, 1, Some(url));
        busy.errors[0].retry_after = Some(10_000);
        schedule(&mut feed, PollStatus::Failed, &busy, &options, 7_500);
        assert_eq!(feed.next_poll_ts, 7_500 + 10_000);
        assert_eq!(feed.last_error.as_deref(), Some("HTTP status 503"));
        schedule(&mut feed, PollStatus::New, &new, &options, 8_000);
        assert_eq!((feed.failures, feed.last_error.as_deref()), (0, None));
        // An item that fails is the item's failure, not the feed's.
        let mut item_failed = summary(0, 0, 1, Some(url));
        item_failed.errors[0].location = Some("item 1".into());
        assert_eq!(status_of(url, &item_failed), PollStatus::Unchanged);
        assert_eq!(
            status_of(url, &summary(0, 2, 1, Some("https://a.example/page"))),
            PollStatus::Unchanged
        );
    }
}
