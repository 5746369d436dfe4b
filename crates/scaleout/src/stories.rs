//! The story writer of a worker process: one per process, and one across the cluster at a
//! time, by the `stories` lease (lede-pg's `stories` module: fenced by epoch).
//!
//! Each worker process runs one; they all try to take the lease, one gets it and the others
//! wait for it to expire or be given up. The holder renews it on a thread of its own (a
//! long pass does not let it lapse) and runs the embedded clustering code
//! (`lede_engine::cluster_stories`) on the articles waiting in `story_queue`. A pass runs
//! when [`PASS`](lede_engine::STORY_PASS) articles wait; when the work queue is empty (no
//! job waiting or in progress: nothing more is coming for now) and `story_queue` has
//! stopped growing for [`QUIET`]; or when the oldest article has waited [`MAX_WAIT`]. A
//! batch ingest of up to a pass is then clustered in one pass, as embedded ingest clusters
//! it after storing (the same stories), and a stream within seconds of each poll.
//!
//! Clustering state is rebuilt from PostgreSQL at each pass (the open stories of the
//! pass's time window, the word frequencies), so a new holder takes over where the last
//! one committed. A holder whose lease was taken while it was paused gets its next write
//! refused (fencing) and goes back to waiting.

use crate::Log;
use crate::queue::Queue;
use lede_pg::{Lease, PgStore};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The lease's scope. All languages share it: embedded clustering puts every language in
/// one pass (and issue 17 wants stories across languages).
const SCOPE: &str = "stories";
/// How long the lease lasts unless renewed (`LEDE_LEASE_SECS` overrides it; the fault
/// tests use a few seconds). It is renewed every third of it.
pub const LEASE: Duration = Duration::from_secs(30);
/// How long the queue must stop growing before a pass.
pub const QUIET: Duration = Duration::from_secs(2);
/// How long an article waits for its story at most (about), while more work keeps coming.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

fn lease_ttl() -> Duration {
    std::env::var("LEDE_LEASE_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(LEASE, Duration::from_secs)
}

/// Runs the story writer until `stop` is set, or until `idle` is set and nothing waits for
/// a story (or another process holds the lease).
pub(crate) fn run(
    postgres: &str,
    queue: &Queue,
    stop: &AtomicBool,
    idle: &AtomicBool,
    log: Log<'_>,
) {
    let holder = format!(
        "{}:{}:{:x}",
        std::fs::read_to_string("/etc/hostname").unwrap_or_default().trim(),
        std::process::id(),
        crate::wall_clock_nanos()
    );
    let ttl = lease_ttl();
    let mut store = None;
    while !stop.load(Ordering::Relaxed) {
        let pg = match store.as_mut() {
            Some(pg) => pg,
            None => match PgStore::connect(postgres) {
                Ok(pg) => store.insert(pg),
                Err(e) => {
                    log(&format!("story writer: {e}; trying again"));
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            },
        };
        match pg.try_lease(SCOPE, &holder, ttl) {
            Ok(Some(lease)) => {
                if let Err(e) = hold(pg, postgres, queue, &lease, ttl, stop, idle, log) {
                    log(&format!("story writer: {e}"));
                    store = None; // a fresh connection next time
                }
            }
            Ok(None) => {
                if idle.load(Ordering::Relaxed) {
                    return; // another process writes the stories
                }
                std::thread::sleep((ttl / 4).min(Duration::from_secs(2)));
            }
            Err(e) => {
                log(&format!("story writer: {e}; trying again"));
                store = None;
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        if idle.load(Ordering::Relaxed) && store.as_mut().is_some_and(nothing_waits) {
            return;
        }
    }
}

fn nothing_waits(pg: &mut PgStore) -> bool {
    let through = pg.last_seq().unwrap_or(lede_core::ArticleSeq(u64::MAX >> 1));
    pg.waiting_for_stories(through).is_ok_and(|n| n == 0)
}

/// Holds `lease`: renews it on another thread and clusters while it is held. Returns when
/// the lease is lost, when stopped, or when idle with nothing waiting (the lease is then
/// given up).
#[allow(clippy::too_many_arguments, reason = "one call, each argument a different thing")]
fn hold(
    pg: &mut PgStore,
    postgres: &str,
    queue: &Queue,
    lease: &Lease,
    ttl: Duration,
    stop: &AtomicBool,
    idle: &AtomicBool,
    log: Log<'_>,
) -> Result<(), String> {
    let mut renewer = PgStore::connect(postgres).map_err(|e| e.to_string())?;
    let lost = AtomicBool::new(false);
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut last = Instant::now();
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if last.elapsed() < ttl / 3 {
                    continue;
                }
                last = Instant::now();
                if !matches!(renewer.renew_lease(lease, ttl), Ok(true)) {
                    lost.store(true, Ordering::Relaxed);
                    return;
                }
            }
        });
        let result = cluster_while_held(pg, queue, lease, stop, idle, &lost, log);
        done.store(true, Ordering::Relaxed);
        result
    })?;
    if !lost.load(Ordering::Relaxed) {
        pg.release_lease(lease).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn cluster_while_held(
    pg: &mut PgStore,
    queue: &Queue,
    lease: &Lease,
    stop: &AtomicBool,
    idle: &AtomicBool,
    lost: &AtomicBool,
    log: Log<'_>,
) -> Result<(), String> {
    // (articles waiting, since when that count, since when any waits)
    let mut seen: Option<(u64, Instant, Instant)> = None;
    while !stop.load(Ordering::Relaxed) && !lost.load(Ordering::Relaxed) {
        let through = pg.last_seq().map_err(|e| e.to_string())?;
        let waiting = pg.waiting_for_stories(through).map_err(|e| e.to_string())?;
        if waiting == 0 {
            if idle.load(Ordering::Relaxed) {
                return Ok(());
            }
            seen = None;
            std::thread::sleep(Duration::from_millis(250));
            continue;
        }
        let now = Instant::now();
        let (count, steady, first) = match seen {
            Some((n, steady, first)) if n == waiting => (n, steady, first),
            Some((_, _, first)) => (waiting, now, first),
            None => (waiting, now, now),
        };
        seen = Some((count, steady, first));
        // A broker that cannot say leaves the quiet and the wait to decide.
        let more_coming = || queue.pending().is_ok_and(|n| n > 0);
        let due = waiting >= lede_engine::STORY_PASS as u64
            || first.elapsed() >= MAX_WAIT
            || idle.load(Ordering::Relaxed)
            || (steady.elapsed() >= QUIET && !more_coming());
        if !due {
            std::thread::sleep(Duration::from_millis(250));
            continue;
        }
        match lede_engine::cluster_stories(&mut pg.stories(lease)) {
            Ok(summary) => {
                seen = None;
                for d in &summary.damaged {
                    log(&format!("story writer: {d} (clustered alone)"));
                }
            }
            Err(e) if is_fenced(&e) => {
                log(&format!("story writer: {e}"));
                lost.store(true, Ordering::Relaxed);
                return Ok(());
            }
            // The database restarting: the pass wrote nothing; the next holder (this
            // process, on a new connection, or another) does it again.
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}

/// Whether clustering failed because the lease was lost (a fenced write).
fn is_fenced(e: &lede_engine::Error) -> bool {
    matches!(
        e,
        lede_engine::Error::Store(lede_store::Error::Backend(b))
            if matches!(b.downcast_ref::<lede_pg::Error>(), Some(lede_pg::Error::Fenced { .. }))
    )
}
