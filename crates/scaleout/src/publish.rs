//! `lede ingest` in cluster mode: the inputs cut into pieces, one job per piece published
//! to the work queue; with `--wait`, the same summary as embedded ingest once every job is
//! stored (or dead).

use crate::queue::Queue;
use crate::{Job, Result};
use lede_core::ArticleSeq;
use lede_engine::{IngestError, IngestSummary};
use lede_ingest::Piece;
use lede_pg::PgStore;
use std::time::{Duration, Instant};

/// Lines of a JSON Lines file per job: a job is then one part (see
/// [`PART_RECORDS`](crate::worker::PART_RECORDS)), and a file of 52,000 records is 200
/// jobs that any number of workers share.
pub const LINES_PER_JOB: usize = crate::worker::PART_RECORDS;

/// How to ingest (the options of `lede ingest` that travel with each job).
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// Fetch the page each feed item links to.
    pub follow: bool,
    /// Only records dated at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Only records dated before this time (Unix seconds).
    pub until: Option<i64>,
    /// Only records from these hosts (`--host` patterns).
    pub hosts: Vec<String>,
    /// Only articles in these languages.
    pub languages: Vec<String>,
    /// Where the files of a web-archive set are (see `lede ingest --base-url`).
    pub archive_base: Option<String>,
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Published {
    /// The run: what `--wait` and the database know this ingest's jobs by.
    pub run: String,
    /// Jobs published (each is done once, whatever the deliveries).
    pub jobs: u64,
    /// Inputs that could not be cut into jobs (each names its input).
    pub errors: Vec<IngestError>,
}

/// Publishes a job for each piece of `inputs`.
pub fn publish(queue: &Queue, inputs: &[String], options: &PublishOptions) -> Result<Published> {
    let run = new_run();
    let mut published = Published { run: run.clone(), jobs: 0, errors: Vec::new() };
    for piece in lede_ingest::pieces(inputs, LINES_PER_JOB, options.archive_base.as_deref()) {
        let piece: Piece = match piece {
            Ok(p) => p,
            Err(e) => {
                published.errors.push(IngestError::from_ingest(&e));
                continue;
            }
        };
        let job = Job {
            run: run.clone(),
            piece,
            follow: options.follow,
            since: options.since,
            until: options.until,
            hosts: options.hosts.clone(),
            languages: options.languages.clone(),
        };
        let payload = serde_json::to_vec(&job).expect("jobs always serialise");
        queue.publish(&job.message_id(), payload)?;
        published.jobs += 1;
    }
    Ok(published)
}

/// Waits until every job of `published` is stored or dead and what was stored is in
/// stories, calling `progress` with the jobs done so far, and returns the run's summary,
/// as embedded ingest prints it (each dead job is one failure, with its error; inputs that
/// could not be cut are failures). The database or the broker restarting meanwhile is
/// waited out (it is said to `log`), up to [`PATIENCE`] of failing in a row.
pub fn wait(
    postgres: &str,
    queue: &Queue,
    published: &Published,
    progress: &dyn Fn(u64, u64),
    log: crate::Log<'_>,
) -> Result<IngestSummary> {
    let start = Instant::now();
    let mut store: Option<PgStore> = None;
    let mut failing_since: Option<Instant> = None;
    // Once every job is done: what they did, where the stories must reach, since when.
    let mut stored: Option<(lede_pg::Counts, Vec<crate::DeadLetter>, ArticleSeq, Instant)> = None;
    loop {
        let step = (|| -> Result<bool> {
            let pg = match store.as_mut() {
                Some(pg) => pg,
                None => store.insert(PgStore::connect(postgres)?),
            };
            if stored.is_none() {
                let done = pg.run_progress(&published.run)?;
                let dead = dead_of_run(queue, &published.run)?;
                let finished = done.messages_done + dead.len() as u64;
                progress(finished, published.jobs);
                if finished < published.jobs {
                    return Ok(false);
                }
                // Stored: now clustered. The story writer (whichever worker holds the
                // lease) takes everything stored up to here.
                stored = Some((done.counts, dead, pg.last_seq()?, Instant::now()));
            }
            let through = stored.as_ref().map(|s| s.2).expect("set above");
            Ok(pg.waiting_for_stories(through)? == 0)
        })();
        match step {
            Ok(true) => break,
            Ok(false) => {
                failing_since = None;
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => {
                if failing_since.get_or_insert_with(Instant::now).elapsed() >= PATIENCE {
                    return Err(e);
                }
                log(&format!("{e}; trying again"));
                store = None;
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
    let (c, dead, _, clustering) = stored.expect("the loop ends once stored");
    let mut summary = run_summary(c, &dead, &published.errors);
    summary.seconds = start.elapsed().as_secs_f64();
    // The writer's passes span runs: it counts this run's articles, and the seconds
    // waited for them, not the stories they made or merged.
    summary.stories = lede_engine::ClusterSummary {
        articles: summary.added,
        seconds: clustering.elapsed().as_secs_f64(),
        ..lede_engine::ClusterSummary::default()
    };
    Ok(summary)
}

/// The jobs of `run` that failed for good.
fn dead_of_run(queue: &Queue, run: &str) -> Result<Vec<crate::DeadLetter>> {
    Ok(queue
        .dead_letters()?
        .into_iter()
        .filter(|d| d.job.as_ref().and_then(|j| j.get("run")).and_then(|r| r.as_str()) == Some(run))
        .collect())
}

/// What a run's jobs did, as embedded ingest's summary counts it: what the workers stored
/// (`c`), each dead job one failure with its error, and each input that could not be cut
/// into jobs (`cut`) one failure. Times and stories are left at zero.
pub(crate) fn run_summary(
    c: lede_pg::Counts,
    dead: &[crate::DeadLetter],
    cut: &[IngestError],
) -> IngestSummary {
    let mut errors = cut.to_vec();
    errors.extend(c.errors.into_iter().filter_map(|e| serde_json::from_value(e).ok()));
    for d in dead {
        errors.push(IngestError {
            source: d
                .job
                .as_ref()
                .and_then(|j| serde_json::from_value::<Job>(j.clone()).ok())
                .map_or_else(
                    || format!("job {}", d.id.as_deref().unwrap_or("?")),
                    |j| j.piece.to_string(),
                ),
            location: None,
            message: d.error.clone(),
            retry_after: None,
        });
    }
    errors.truncate(100);
    let failures = cut.len() as u64 + dead.len() as u64;
    IngestSummary {
        seen: c.seen + failures,
        added: c.added,
        duplicates: c.duplicates,
        skipped: c.skipped,
        filtered: c.filtered,
        failed: c.failed + failures,
        errors,
        ..IngestSummary::default()
    }
}

/// How long `wait` bears the database or the broker failing in a row.
pub const PATIENCE: Duration = Duration::from_secs(300);

/// A new run's name: unique across machines and time (the clock, the process, the host).
pub(crate) fn new_run() -> String {
    let nanos = crate::wall_clock_nanos();
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let seed = format!("{nanos} {} {host}", std::process::id());
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(seed.as_bytes()))
}
