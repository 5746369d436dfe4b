//! The story writers of a worker process: one writer per language across the cluster at a
//! time, by the language's lease (`stories:<language>`, lede-pg's `stories` module: fenced
//! by epoch). A process may hold several languages' leases.
//!
//! Each worker process runs one writer thread; for each language with articles waiting
//! (`story_queue`, told apart by `lede_core::story_language`) it tries that language's
//! lease, and clusters the languages it holds; the others are some other process's, until
//! their holder lets them expire or gives them up. A thread of its own renews the leases
//! held (a long pass does not let them lapse). The holder runs the embedded clustering
//! code (`lede_engine::cluster_stories`, which clusters each language apart, as it does
//! embedded) on its language's waiting articles only. A language's pass runs when
//! [`PASS`](lede_engine::STORY_PASS) of its articles wait; when the work queue is empty
//! (no job waiting or in progress: nothing more is coming for now) and its waiting count
//! has stopped growing for [`QUIET`]; or when its oldest article has waited [`MAX_WAIT`].
//! A batch ingest of up to a pass is then clustered in one pass per language, as
//! embedded ingest clusters it after storing (the same stories), and a stream within
//! seconds of each poll.
//!
//! Clustering state is rebuilt from PostgreSQL at each pass (the language's open stories
//! of the pass's time window, its word frequencies), so a new holder takes over where the
//! last one committed. A holder whose lease was taken while it was paused gets its next
//! write refused (fencing) and gives that language up.

use crate::Log;
use crate::queue::Queue;
use lede_pg::{Lease, PgStore, story_scope};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a lease lasts unless renewed (`LEDE_LEASE_SECS` overrides it; the fault
/// tests use a few seconds). It is renewed every third of it.
pub const LEASE: Duration = Duration::from_secs(30);
/// How long a language's queue must stop growing before a pass.
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

/// The leases this process holds, by language.
type Held = Mutex<BTreeMap<String, Lease>>;

/// Runs the story writer until `stop` is set, or until `idle` is set and nothing waits for
/// a story that this process may write (other processes hold the other languages).
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
    let held: Held = Mutex::new(BTreeMap::new());
    let done = AtomicBool::new(false);
    let mut store = None;
    std::thread::scope(|scope| {
        scope.spawn(|| renew(postgres, &held, ttl, &done, log));
        let writer = Writer { queue, holder: &holder, ttl, held: &held, stop, idle, log };
        let mut seen = Seen::default();
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
            match writer.step(pg, &mut seen) {
                Ok(true) => {}
                Ok(false) => break,
                // The database restarting: the pass wrote nothing; the next holder (this
                // process, on a new connection, or another) does it again.
                Err(e) => {
                    log(&format!("story writer: {e}; trying again"));
                    store = None;
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
        done.store(true, Ordering::Relaxed);
    });
    // Given up at once: another process may take them without waiting for them to expire.
    let leases = std::mem::take(&mut *held.lock().unwrap_or_else(|p| p.into_inner()));
    if leases.is_empty() {
        return;
    }
    let pg = match store {
        Some(pg) => Ok(pg),
        None => PgStore::connect(postgres),
    };
    let released = pg.and_then(|mut pg| leases.values().try_for_each(|l| pg.release_lease(l)));
    if let Err(e) = released {
        log(&format!("story writer: {e} (the leases expire by themselves)"));
    }
}

/// Renews the leases in `held` every third of `ttl` until `done`; a lease that could not
/// be renewed (it expired, perhaps taken over) leaves `held`, and its language's next
/// write would be refused anyway.
fn renew(postgres: &str, held: &Held, ttl: Duration, done: &AtomicBool, log: Log<'_>) {
    let mut store: Option<PgStore> = None;
    let mut last = Instant::now();
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if last.elapsed() < ttl / 3 {
            continue;
        }
        last = Instant::now();
        let leases: Vec<Lease> =
            held.lock().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        if leases.is_empty() {
            continue;
        }
        let pg = match store.as_mut() {
            Some(pg) => pg,
            None => match PgStore::connect(postgres) {
                Ok(pg) => store.insert(pg),
                Err(e) => {
                    log(&format!("story writer: renewing its leases: {e}"));
                    continue;
                }
            },
        };
        for lease in leases {
            match pg.renew_lease(&lease, ttl) {
                Ok(true) => {}
                Ok(false) => {
                    log(&format!("story writer: lost the lease {}", lease.scope));
                    forget(held, &lease);
                }
                Err(e) => {
                    log(&format!("story writer: renewing its leases: {e}"));
                    store = None;
                    break;
                }
            }
        }
    }
}

/// Takes `lease` out of `held`, unless a newer lease of its language is there.
fn forget(held: &Held, lease: &Lease) {
    let mut held = held.lock().unwrap_or_else(|p| p.into_inner());
    held.retain(|_, l| l != lease);
}

/// What the writer thread works with.
struct Writer<'a> {
    queue: &'a Queue,
    holder: &'a str,
    ttl: Duration,
    held: &'a Held,
    stop: &'a AtomicBool,
    idle: &'a AtomicBool,
    log: Log<'a>,
}

/// What the writer saw of the queue: for each language waiting, (articles waiting, since
/// when that count, since when any waits); and the last count by language, with the
/// queue's state when it was made and when.
#[derive(Default)]
struct Seen {
    languages: HashMap<String, (u64, Instant, Instant)>,
    counted: Option<Counted>,
}

/// Articles waiting by language, counted when the queue was in this state
/// ([`PgStore::story_queue_state`]), at this moment.
type Counted = ((u64, i64), Instant, Vec<(String, u64)>);

impl Seen {
    /// The articles waiting by language: counted again when the queue's count or sum of
    /// sequence numbers changed, or [`QUIET`] after the last count (two changes could
    /// leave both as they were; a new language is then seen that much later, not never).
    fn waiting(
        &mut self,
        pg: &mut PgStore,
        through: lede_core::ArticleSeq,
    ) -> Result<Vec<(String, u64)>, String> {
        let state = pg.story_queue_state(through).map_err(|e| e.to_string())?;
        if let Some((was, when, counts)) = &self.counted
            && *was == state
            && when.elapsed() < QUIET
        {
            return Ok(counts.clone());
        }
        let counts = pg.waiting_by_language(through).map_err(|e| e.to_string())?;
        self.counted = Some((state, Instant::now(), counts.clone()));
        Ok(counts)
    }
}

impl Writer<'_> {
    /// One look at what waits: takes the leases of the languages waiting that no one
    /// holds, and runs the passes due among those this process holds. `false` when idle
    /// and nothing waits that this process may cluster.
    fn step(&self, pg: &mut PgStore, seen: &mut Seen) -> Result<bool, String> {
        let through = pg.last_seq().map_err(|e| e.to_string())?;
        let waiting = seen.waiting(pg, through)?;
        let idle = self.idle.load(Ordering::Relaxed);
        seen.languages.retain(|language, _| waiting.iter().any(|(l, _)| l == language));
        let (mut others, mut ran) = (0, false);
        for (language, count) in &waiting {
            if self.stop.load(Ordering::Relaxed) {
                return Ok(true);
            }
            let held = self.held.lock().unwrap_or_else(|p| p.into_inner()).get(language).cloned();
            let lease = match held {
                Some(lease) => lease,
                None => {
                    let scope = story_scope(language);
                    match pg.try_lease(&scope, self.holder, self.ttl).map_err(|e| e.to_string())? {
                        Some(lease) => {
                            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
                            held.insert(language.clone(), lease.clone());
                            lease
                        }
                        None => {
                            others += 1;
                            continue;
                        }
                    }
                }
            };
            if !idle && !self.due(language, *count, seen) {
                continue;
            }
            ran = true;
            match lede_engine::cluster_stories(&mut pg.stories(&lease, language)) {
                Ok(summary) => {
                    seen.languages.remove(language);
                    seen.counted = None; // the pass took its articles out of the queue
                    for d in &summary.damaged {
                        (self.log)(&format!("story writer: {d} (clustered alone)"));
                    }
                }
                Err(e) if is_fenced(&e) => {
                    (self.log)(&format!("story writer: {e}"));
                    forget(self.held, &lease);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        if idle && others == waiting.len() {
            return Ok(false); // nothing waits, or other processes write what does
        }
        if !ran {
            std::thread::sleep(Duration::from_millis(250));
        }
        Ok(true)
    }

    /// Whether `language`'s pass is due, `count` of its articles waiting.
    fn due(&self, language: &str, count: u64, seen: &mut Seen) -> bool {
        let now = Instant::now();
        let entry = seen.languages.entry(language.to_owned()).or_insert((count, now, now));
        if entry.0 != count {
            *entry = (count, now, entry.2);
        }
        let (_, steady, first) = *entry;
        // A broker that cannot say leaves the quiet and the wait to decide.
        let more_coming = || self.queue.pending().is_ok_and(|n| n > 0);
        count >= lede_engine::STORY_PASS as u64
            || first.elapsed() >= MAX_WAIT
            || (steady.elapsed() >= QUIET && !more_coming())
    }
}

/// Whether clustering failed because the lease was lost (a fenced write).
fn is_fenced(e: &lede_engine::Error) -> bool {
    matches!(
        e,
        lede_engine::Error::Store(lede_store::Error::Backend(b))
            if matches!(b.downcast_ref::<lede_pg::Error>(), Some(lede_pg::Error::Fenced { .. }))
    )
}
