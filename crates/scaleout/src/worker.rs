//! `lede worker`: takes jobs from the queue, reads and prepares their records with the
//! embedded pipeline's code, and commits them to PostgreSQL a part at a time, each part
//! with its `work_done` row; acknowledges a job once all its parts are committed.
//!
//! A job's records are cut into parts of [`PART_RECORDS`] by their place in the piece, the
//! same on every delivery: a redelivered job skips the parts committed before (without
//! extracting them again) and stores the rest. Failures are of two kinds:
//!
//! - a record that cannot be read or extracted is counted and reported in its part, as
//!   embedded ingest does; the job goes on;
//! - the database or the broker failing (a restart, a lost connection) stops the job: it is
//!   given back to be delivered again after a pause growing with each delivery, and after
//!   [`MAX_DELIVER`] deliveries it goes to the dead-letter stream with the last error.

use crate::queue::{Delivery, MAX_DELIVER, Queue};
use crate::{Error, Job, Result};
use lede_engine::{IngestError, Outcome, Prepared, prepare_record};
use lede_extract::Extractor;
use lede_ingest::{PageReader, Sources};
use lede_pg::{Counts, PgStore, Unit};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Records per part of a job (and at most one transaction's articles).
pub const PART_RECORDS: usize = 256;
/// Failures reported per part at most (all are counted).
const PART_ERRORS: usize = 20;
/// How often a worker on a long job tells the broker it is still on it.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Threads taking jobs (0: one per core).
    pub threads: usize,
    /// Stop once no job has come for this long (`None`: run until stopped).
    pub exit_when_idle: Option<Duration>,
}

/// What a worker did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct WorkerSummary {
    /// Jobs done and acknowledged.
    pub jobs: u64,
    /// Records read (redelivered parts skipped are not counted).
    pub records: u64,
    /// Articles stored.
    pub added: u64,
    /// Jobs given back to be tried again.
    pub retried: u64,
    /// Jobs sent to the dead-letter stream.
    pub dead: u64,
}

#[derive(Default)]
struct Tally {
    jobs: AtomicU64,
    records: AtomicU64,
    added: AtomicU64,
    retried: AtomicU64,
    dead: AtomicU64,
}

/// Says what a worker met on the way (retries, failures), for its log.
pub type Log<'a> = &'a (dyn Fn(&str) + Sync);

/// Runs a worker until `stop` is set (or it has been idle for `exit_when_idle`): jobs from
/// the queue at `nats`, articles to the database at `postgres`.
pub fn work(
    postgres: &str,
    nats: &str,
    reader: &PageReader,
    extractor: &Extractor,
    options: &WorkerOptions,
    stop: &AtomicBool,
    log: Log<'_>,
) -> Result<WorkerSummary> {
    lede_engine::load_models_in_background();
    let queue = Queue::connect(nats)?;
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        options.threads
    };
    // Each thread its own connection: a transaction per part, side by side.
    let stores =
        (0..threads).map(|_| PgStore::connect(postgres)).collect::<lede_pg::Result<Vec<_>>>()?;
    let tally = Tally::default();
    // Set once the job threads have stopped: the story writer then finishes what waits.
    let idle = AtomicBool::new(false);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let idle = &idle;
        let queue = &queue;
        scope.spawn(move || crate::stories::run(postgres, queue, stop, idle, log));
        let handles: Vec<_> = stores
            .into_iter()
            .map(|mut store| {
                let tally = &tally;
                scope.spawn(move || {
                    let mut idle_since = Instant::now();
                    while !stop.load(Ordering::Relaxed) {
                        let deliveries = match queue.fetch(1, Duration::from_secs(1)) {
                            Ok(d) => d,
                            Err(e) => {
                                // The broker restarting: the client reconnects by itself.
                                log(&format!("{e}; trying again"));
                                if options.exit_when_idle.is_some_and(|d| idle_since.elapsed() >= d)
                                {
                                    return Ok(());
                                }
                                std::thread::sleep(Duration::from_secs(1));
                                continue;
                            }
                        };
                        if deliveries.is_empty() {
                            if options.exit_when_idle.is_some_and(|d| idle_since.elapsed() >= d) {
                                return Ok(());
                            }
                            continue;
                        }
                        for delivery in deliveries {
                            handle(&mut store, queue, &delivery, reader, extractor, tally, log);
                        }
                        // The database restarted: the job was given back; a new connection
                        // for the next (tried until the database is back).
                        while store.is_closed() && !stop.load(Ordering::Relaxed) {
                            match PgStore::connect(postgres) {
                                Ok(fresh) => store = fresh,
                                Err(e) => {
                                    log(&format!("{e}; trying again"));
                                    std::thread::sleep(Duration::from_secs(1));
                                }
                            }
                        }
                        idle_since = Instant::now();
                    }
                    Ok(())
                })
            })
            .collect();
        let results =
            handles.into_iter().map(|h| h.join().expect("a worker thread panicked")).collect();
        idle.store(true, Ordering::Relaxed);
        results
    });
    results.into_iter().collect::<Result<()>>()?;
    Ok(WorkerSummary {
        jobs: tally.jobs.into_inner(),
        records: tally.records.into_inner(),
        added: tally.added.into_inner(),
        retried: tally.retried.into_inner(),
        dead: tally.dead.into_inner(),
    })
}

/// Does one delivery, then acknowledges it, gives it back, or sends it to the dead letters.
fn handle(
    store: &mut PgStore,
    queue: &Queue,
    delivery: &Delivery,
    reader: &PageReader,
    extractor: &Extractor,
    tally: &Tally,
    log: Log<'_>,
) {
    let job: Job = match serde_json::from_slice(&delivery.payload) {
        Ok(job) => job,
        Err(e) => {
            let error = Error::Job { id: delivery.id.clone(), message: e.to_string() };
            dead(queue, delivery, &error.to_string(), tally, log);
            return;
        }
    };
    let outcome = run_job(store, queue, delivery, &job, reader, extractor, tally);
    let done = outcome.and_then(|()| queue.ack(delivery));
    match done {
        Ok(()) => {
            tally.jobs.fetch_add(1, Ordering::Relaxed);
        }
        Err(e @ Error::Job { .. }) => dead(queue, delivery, &e.to_string(), tally, log),
        Err(e) if delivery.delivered >= MAX_DELIVER => {
            dead(queue, delivery, &format!("{}: {e}", job.piece), tally, log);
        }
        Err(e) => {
            log(&format!("{}: {e}; it will be tried again", job.piece));
            // 1, 2, 4, 8 s: a database restart is over by then.
            let delay = Duration::from_secs(1 << (delivery.delivered - 1).clamp(0, 3));
            tally.retried.fetch_add(1, Ordering::Relaxed);
            if let Err(e) = queue.retry(delivery, delay) {
                // The broker will deliver it again after its acknowledgement wait anyway.
                log(&e.to_string());
            }
        }
    }
}

fn dead(queue: &Queue, delivery: &Delivery, error: &str, tally: &Tally, log: Log<'_>) {
    log(&format!("giving up on message {}: {error}", delivery.id));
    tally.dead.fetch_add(1, Ordering::Relaxed);
    if let Err(e) = queue.dead(delivery, error) {
        log(&e.to_string());
    }
}

/// Reads, prepares and stores a job's records, part by part.
fn run_job(
    store: &mut PgStore,
    queue: &Queue,
    delivery: &Delivery,
    job: &Job,
    reader: &PageReader,
    extractor: &Extractor,
    tally: &Tally,
) -> Result<()> {
    let selection =
        job.selection().map_err(|message| Error::Job { id: delivery.id.clone(), message })?;
    let msg = delivery.id.as_str();
    let mut part = 0i32;
    let mut skip = store.unit_done(msg, part)?;
    let mut in_part = 0usize;
    let mut batch: Vec<Prepared> = Vec::new();
    let mut counts = Counts::default();
    let mut last_progress = Instant::now();
    let commit = |store: &mut PgStore,
                  part: i32,
                  last: bool,
                  batch: &mut Vec<Prepared>,
                  counts: &mut Counts|
     -> Result<()> {
        let sketches: Vec<Vec<u8>> = batch.iter().map(Prepared::sketch_bytes).collect();
        let news: Vec<_> = batch.iter().zip(&sketches).map(|(p, s)| p.to_new(s)).collect();
        let unit = Unit { msg, part, last, run: &job.run };
        if let Some(puts) = store.put_unit(&unit, &news, counts, now())? {
            let added = puts.iter().filter(|p| matches!(p, lede_store::Put::Added { .. })).count();
            tally.added.fetch_add(added as u64, Ordering::Relaxed);
        }
        crash_point_after_commit();
        batch.clear();
        *counts = Counts::default();
        Ok(())
    };
    // An address read before is fetched conditionally, with the validators its server sent
    // then (a feed polled again that has not changed reads nothing), as embedded ingest
    // does; the new ones are kept once the job's records are stored.
    let fresh = std::sync::Mutex::new(Vec::new());
    let mut sources = Sources::piece(reader, &job.piece);
    if let lede_ingest::Piece::Whole { input } = &job.piece
        && let lede_ingest::Source::Url(url) = lede_ingest::Source::parse(input)
    {
        let validators = store.fetch_state(&url)?;
        let known = if validators.is_empty() {
            std::collections::HashMap::new()
        } else {
            std::collections::HashMap::from([(url, validators)])
        };
        sources = sources.with_validators(known, &fresh);
    }
    let mut title = None;
    for record in sources {
        if job.follow
            && title.is_none()
            && let Some((feed, t)) = record.as_ref().ok().and_then(lede_engine::feed_title)
        {
            title = Some((feed.to_owned(), t.to_owned()));
        }
        // A full part is committed when the next record comes (at the end, the last part
        // is committed as the last): a piece of exactly one part is one transaction.
        if in_part == PART_RECORDS {
            if !skip {
                commit(store, part, false, &mut batch, &mut counts)?;
            }
            part += 1;
            in_part = 0;
            skip = store.unit_done(msg, part)?;
        }
        if !skip {
            tally.records.fetch_add(1, Ordering::Relaxed);
            counts.seen += 1;
            let outcome = match record {
                // A feed item stored before (under its id or its address) is not fetched
                // again: a feed polled every few minutes repeats most of its items.
                Ok(record) if job.follow && known_item(store, &record)? => None,
                Ok(record) => {
                    Some(prepare_record(record, extractor, reader, job.follow, &selection))
                }
                Err(e) => Some(Outcome::Failed(IngestError::from_ingest(&e))),
            };
            match outcome {
                None => counts.duplicates += 1,
                Some(Outcome::Ready(p)) => batch.push(*p),
                Some(Outcome::Skipped) => counts.skipped += 1,
                Some(Outcome::Filtered) => counts.filtered += 1,
                Some(Outcome::Failed(e)) => {
                    counts.failed += 1;
                    if counts.errors.len() < PART_ERRORS {
                        counts.errors.push(serde_json::to_value(&e).expect("errors serialise"));
                    }
                }
            }
        }
        in_part += 1;
        if last_progress.elapsed() >= PROGRESS_EVERY {
            queue.in_progress(delivery)?;
            last_progress = Instant::now();
        }
    }
    if !skip {
        commit(store, part, true, &mut batch, &mut counts)?;
    }
    for (url, validators) in fresh.into_inner().expect("the validators lock is never poisoned") {
        store.set_fetch_state(&url, &validators)?;
    }
    if let Some((feed, title)) = title {
        store.set_feed_title(&feed, &title)?;
    }
    Ok(())
}

/// Whether `record` is a feed item stored already (see [`lede_engine::feed_item_keys`]).
fn known_item(store: &mut PgStore, record: &lede_ingest::RawRecord) -> Result<bool> {
    match lede_engine::feed_item_keys(record) {
        Some((id, url)) => Ok(store.knows(id, url)?),
        None => Ok(false),
    }
}

/// The fault tests' way to stop a worker between a commit and its acknowledgement, the
/// one moment a kill from outside cannot aim at: with `LEDE_FAULT_ABORT_AFTER_COMMITS=N`
/// the process aborts (no cleanup, as a crash) right after its Nth commit. Unset, as
/// everywhere but those tests, it costs one relaxed load.
fn crash_point_after_commit() {
    static LIMIT: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    static COMMITS: AtomicU64 = AtomicU64::new(0);
    let limit = LIMIT.get_or_init(|| {
        std::env::var("LEDE_FAULT_ABORT_AFTER_COMMITS").ok().and_then(|v| v.parse().ok())
    });
    if let Some(n) = limit
        && COMMITS.fetch_add(1, Ordering::Relaxed) + 1 >= *n
    {
        std::process::abort();
    }
}

/// Now, in Unix seconds (the partition month of undated articles).
fn now() -> i64 {
    (crate::wall_clock_nanos() / 1_000_000_000) as i64
}
