//! `lede watch` in cluster mode: feeds and their schedules in PostgreSQL (lede-pg's
//! `feeds`), each poll a job for the workers, any number of watches on any number of
//! machines.
//!
//! ```text
//!  a round:  claim the feeds due ──> one `follow` job each ──> its run done (work_done)
//!            (FOR UPDATE SKIP LOCKED,   (its run and message id     or dead ──> the poll's
//!             a claim that runs out)     from the feed and the       summary ──> the embedded
//!                                        poll it is)                 schedule rule ──> released
//! ```
//!
//! A poll's run is named after the feed and the time it was due, so the job of one poll
//! has one message id whoever publishes it: a watch that died after publishing leaves the
//! claim to run out, and the watch that claims the feed next publishes the same message
//! (dropped by the stream within its duplicate window, or found done by the worker) and
//! reads the first job's outcome. The worker fetches the feed conditionally (the
//! validators are in PostgreSQL) and fetches only the items not stored yet; a page that
//! lists articles instead of a feed is read here, and its new articles published as jobs
//! of a second run, as the embedded watch does.

use crate::queue::Queue;
use crate::{Job, Log, Result};
use lede_engine::{Feed, IngestSummary, Poll, Round, WatchOptions};
use lede_ingest::{PageReader, Piece};
use lede_pg::PgStore;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How long a watch's claim on a feed lasts unless told otherwise ([`Watcher::with_claim`]);
/// it is extended while the poll's jobs are waited for, so it runs out only when the watch
/// stopped (or lost the database) that long ago: another watch then polls the feed.
pub const CLAIM: Duration = Duration::from_secs(120);
/// Feeds claimed at most in one round (the rest wait for the next round, or another
/// watch).
const ROUND_FEEDS: usize = 500;
/// How often a watch waiting for its polls says so, when they are slow to come (no
/// worker running?).
const WAITING_NOTE: Duration = Duration::from_secs(30);

/// A poll in flight: its feed, its run, and what to add when it is done.
struct InFlight {
    feed: Feed,
    run: String,
    jobs: u64,
    /// Articles the listing page links to that were stored already (not published).
    known: u64,
    /// Whether the run is the listing's (the second, after the feed's own).
    listing: bool,
}

/// One watch: where it stores and publishes, and its name in the feeds' claims.
pub struct Watcher<'a> {
    /// The database's address.
    pub postgres: &'a str,
    /// The work queue.
    pub queue: &'a Queue,
    /// How listing pages are read (feeds themselves are read by the workers).
    pub reader: &'a PageReader,
    /// The watch's name in the claims: unique to the process.
    holder: String,
    /// How long its claims last without being extended.
    claim: Duration,
}

impl<'a> Watcher<'a> {
    /// A watch of its own name (the clock, the process, the host).
    pub fn new(postgres: &'a str, queue: &'a Queue, reader: &'a PageReader) -> Watcher<'a> {
        Watcher { postgres, queue, reader, holder: crate::publish::new_run(), claim: CLAIM }
    }

    /// The same watch with claims that last `claim` (at least a second): how long the
    /// feeds of a watch that died stay unpolled before another watch takes them over.
    #[must_use]
    pub fn with_claim(self, claim: Duration) -> Watcher<'a> {
        Watcher { claim: claim.max(Duration::from_secs(1)), ..self }
    }

    /// Polls, through the workers, the feeds due now (every feed when `round.all`) that no
    /// other watch is polling; calls `on_poll` after each, with the feed's new schedule,
    /// written to the database. Stops waiting once `round.stop` is set (the claims are
    /// released; the jobs published stay in the queue and are done).
    pub fn poll_feeds(
        &self,
        options: &WatchOptions,
        round: &Round<'_>,
        on_poll: &mut dyn FnMut(&Poll),
        log: Log<'_>,
    ) -> Result<Vec<Poll>> {
        poll_feeds(self, options, round, on_poll, log)
    }

    /// When the next feed no watch is polling is due (`None`: there is none).
    pub fn next_due(&self) -> Result<Option<i64>> {
        Ok(PgStore::connect(self.postgres)?.next_due()?)
    }
}

fn poll_feeds(
    watcher: &Watcher<'_>,
    options: &WatchOptions,
    round: &Round<'_>,
    on_poll: &mut dyn FnMut(&Poll),
    log: Log<'_>,
) -> Result<Vec<Poll>> {
    let Watcher { postgres, queue, reader, .. } = *watcher;
    let (holder, claim) = (watcher.holder.as_str(), watcher.claim);
    let mut store = PgStore::connect(postgres)?;
    let claimed = store.claim_feeds(holder, round.all, (round.now)(), ROUND_FEEDS, claim)?;
    let mut flying = Vec::new();
    for feed in claimed {
        let run = poll_run(&feed);
        let job = Job {
            run: run.clone(),
            piece: Piece::Whole { input: feed.url.clone() },
            follow: true,
            since: None,
            until: None,
            hosts: Vec::new(),
            languages: Vec::new(),
        };
        publish(queue, &job)?;
        flying.push(InFlight { feed, run, jobs: 1, known: 0, listing: false });
    }
    let mut polls = Vec::new();
    let mut extended = Instant::now();
    let mut noted = Instant::now();
    let mut failing_since: Option<Instant> = None;
    let mut dead = DeadLetters::default();
    while !flying.is_empty() {
        if round.stop.load(Ordering::SeqCst) {
            for f in &flying {
                store.release_feed(holder, &f.feed.url)?;
            }
            break;
        }
        let step = (|| -> Result<()> {
            if store.is_closed() {
                store = PgStore::connect(postgres)?;
            }
            // The dead letters, read at most once a step, only when a run is not done, and
            // only those new since the last read.
            dead.fresh = false;
            let mut i = 0;
            while i < flying.len() {
                let Some(mut summary) = outcome(&mut store, queue, &mut dead, &flying[i])? else {
                    i += 1;
                    continue;
                };
                let f = &mut flying[i];
                if !f.listing && lede_engine::is_listing(&summary) {
                    // Not a feed but a page that lists articles: its new ones, as jobs
                    // of a run of their own.
                    match lede_engine::listed_pages(reader, &f.feed.url) {
                        Ok(listed) => {
                            f.run = format!("{} listing", f.run);
                            f.listing = true;
                            (f.jobs, f.known) = (0, 0);
                            for url in listed {
                                if store.knows(None, Some(&url))? {
                                    f.known += 1;
                                    continue;
                                }
                                let job = Job {
                                    run: f.run.clone(),
                                    piece: Piece::Whole { input: url },
                                    follow: false,
                                    since: None,
                                    until: None,
                                    hosts: Vec::new(),
                                    languages: Vec::new(),
                                };
                                publish(queue, &job)?;
                                f.jobs += 1;
                            }
                            i += 1;
                            continue;
                        }
                        Err(e) => summary = lede_engine::listing_failed(&e),
                    }
                }
                let mut f = flying.swap_remove(i);
                summary.seen += f.known;
                summary.duplicates += f.known;
                let status = lede_engine::after_poll(&mut f.feed, &summary, options, (round.now)());
                if !store.finish_poll(holder, &f.feed)? {
                    log(&format!(
                        "{}: polled, but another watch took the feed meanwhile: its schedule \
                         is that watch's",
                        f.feed.url
                    ));
                }
                let poll = Poll { url: f.feed.url.clone(), status, summary, feed: f.feed };
                on_poll(&poll);
                polls.push(poll);
            }
            if extended.elapsed() >= claim / 4 {
                for f in &flying {
                    store.extend_claim(holder, &f.feed.url, claim)?;
                }
                extended = Instant::now();
            }
            Ok(())
        })();
        match step {
            Ok(()) => failing_since = None,
            Err(e) => {
                if failing_since.get_or_insert_with(Instant::now).elapsed() >= crate::PATIENCE {
                    return Err(e);
                }
                log(&format!("{e}; trying again"));
            }
        }
        if !flying.is_empty() {
            if noted.elapsed() >= WAITING_NOTE {
                log(&format!(
                    "waiting for the workers: {} feed polls not done yet (is a `lede worker` \
                     running?)",
                    flying.len()
                ));
                noted = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    Ok(polls)
}

/// The run of one poll of `feed`: the same for every watch that publishes it.
fn poll_run(feed: &Feed) -> String {
    let key = format!("{} {}", feed.next_poll_ts, feed.url);
    format!("watch-{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

fn publish(queue: &Queue, job: &Job) -> Result<()> {
    let payload = serde_json::to_vec(job).expect("jobs always serialise");
    queue.publish(&job.message_id(), payload)?;
    Ok(())
}

/// The dead letters a round of polls has read: the whole stream at its first read (a job
/// of a poll published by a watch that died may have failed before this round began),
/// then only what came after.
#[derive(Default)]
struct DeadLetters {
    letters: Vec<crate::DeadLetter>,
    /// The stream's last sequence number read (0: none; the stream's first is 1).
    through: u64,
    /// Whether this step has read it already.
    fresh: bool,
}

impl DeadLetters {
    /// The dead letters, those new since the last read fetched on this step's first call
    /// (`after`: `Queue::dead_letters_after`).
    fn read(
        &mut self,
        after: impl FnOnce(u64) -> Result<(Vec<crate::DeadLetter>, u64)>,
    ) -> Result<&[crate::DeadLetter]> {
        if !self.fresh {
            let (new, through) = after(self.through)?;
            self.letters.extend(new);
            (self.through, self.fresh) = (through, true);
        }
        Ok(&self.letters)
    }
}

/// What the run of `f` did, once every job of it is stored or dead (`dead`: the
/// dead-letter stream, read on the first call of a step that needs it).
fn outcome(
    store: &mut PgStore,
    queue: &Queue,
    dead: &mut DeadLetters,
    f: &InFlight,
) -> Result<Option<IngestSummary>> {
    let done = store.run_progress(&f.run)?;
    if done.messages_done >= f.jobs {
        return Ok(Some(crate::publish::run_summary(done.counts, &[], &[])));
    }
    let run = Some(f.run.as_str());
    let ours: Vec<crate::DeadLetter> = dead
        .read(|after| queue.dead_letters_after(after))?
        .iter()
        .filter(|d| d.job.as_ref().and_then(|j| j.get("run")).and_then(|r| r.as_str()) == run)
        .cloned()
        .collect();
    if done.messages_done + ours.len() as u64 >= f.jobs {
        return Ok(Some(crate::publish::run_summary(done.counts, &ours, &[])));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::DeadLetters;
    use crate::DeadLetter;

    fn letter(sequence: u64) -> DeadLetter {
        DeadLetter { sequence, id: None, job: None, error: String::new(), deliveries: 5 }
    }

    #[test]
    fn dead_letters_are_read_once_a_step_and_only_what_is_new() {
        let mut dead = DeadLetters::default();
        let mut asked = Vec::new();
        let mut stream = vec![letter(1), letter(2)];
        let step = |dead: &mut DeadLetters, stream: &[DeadLetter], asked: &mut Vec<u64>| {
            dead.fresh = false;
            for _ in 0..3 {
                // Three runs not done: the stream is read for the first only.
                let read = dead.read(|after| {
                    asked.push(after);
                    let new: Vec<DeadLetter> =
                        stream.iter().filter(|d| d.sequence > after).cloned().collect();
                    Ok((new, stream.last().map_or(after, |d| d.sequence)))
                });
                assert_eq!(read.unwrap().len(), stream.len());
            }
        };
        step(&mut dead, &stream, &mut asked);
        step(&mut dead, &stream, &mut asked);
        stream.push(letter(3));
        step(&mut dead, &stream, &mut asked);
        // The whole stream at first, then after the last sequence number read.
        assert_eq!(asked, [0, 2, 2]);
        let sequences: Vec<u64> = dead.letters.iter().map(|d| d.sequence).collect();
        assert_eq!(sequences, [1, 2, 3], "each letter kept once");
    }
}
