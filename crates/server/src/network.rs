//! The outlet copy network, computed in the background and kept in memory (issue 16).
//!
//! [`lede_engine::Library::outlet_network`] traces every stored article backwards, as `lede trace`
//! does: about 1.3 ms of a core an article (the bundled sample's 2,684 articles in 3.5 s,
//! the 52k releases in 158 s; README, "The outlet copy network"). No request can wait for
//! that, and two requests must not pay for it twice. So [`Networks`] computes it once per
//! state of the store (the [`Source`]'s token, the same one that empties the page cache
//! when an ingest commits), on a thread of its own, and keeps the last result:
//!
//! - nothing computed yet: the first request starts the computation and waits for it at
//!   most [`NetworkSettings::wait`]; past that it, and every request until the network is
//!   ready, is told so at once ([`View::Computing`]: how many articles, since when, how far
//!   along), and the page refreshes itself;
//! - computed for the store as it is now: served from memory ([`View::Ready`]);
//! - computed for an older state: the older result is served, marked as such, while the
//!   new one is computed ([`View::Stale`]).
//!
//! One computation at a time: a request that finds one running never starts another, and
//! does not wait for it. A store of more than [`NetworkSettings::sample_over`] articles is
//! traced on an even sample of that many ([`lede_engine::NetworkOptions::sample`]), and
//! the pages say so. A computation that failed (the store went away) is logged and tried
//! again when the store changes, or after [`RETRY_AFTER_FAILURE`].
//!
//! Memory: one [`Network`] (the outlets, edges and groups; no article text), plus the
//! computation's own while it runs (see `lede_engine::network`).

use crate::error::{ErrorCode, Failure};
use crate::{Source, StateToken};
use lede_engine::{Network, NetworkOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a failed computation is left before a request tries again (unless the store
/// changes first).
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// How the server computes the outlet network.
#[derive(Debug, Clone, Copy)]
pub struct NetworkSettings {
    /// A store of more articles than this is traced on an even sample of this many
    /// (20,000 by default: about 30-60 s of a core at 1.3-3 ms an article).
    pub sample_over: usize,
    /// How long the request that finds no result waits for the computation before it
    /// answers "computing" (1 s by default: a small store's network is on the first page).
    pub wait: Duration,
}

impl Default for NetworkSettings {
    fn default() -> NetworkSettings {
        NetworkSettings { sample_over: 20_000, wait: Duration::from_secs(1) }
    }
}

/// A network computed for one state of the store.
pub(crate) struct Computed {
    /// The network, as `lede outlets --json` prints it.
    pub(crate) network: Network,
    /// The store's state when the computation began.
    token: Option<StateToken>,
    /// When it began and ended (Unix seconds).
    pub(crate) started_at: i64,
    pub(crate) finished_at: i64,
    /// How long it took.
    pub(crate) seconds: f64,
    /// `Some(n)` when an even sample of `n` articles was traced.
    pub(crate) sample: Option<usize>,
}

/// A computation under way.
pub(crate) struct Running {
    /// When it began (Unix seconds).
    pub(crate) started_at: i64,
    /// Articles in the store when it began.
    pub(crate) articles: u64,
    /// `Some(n)` when an even sample of `n` articles is traced.
    pub(crate) sample: Option<usize>,
    /// Articles traced so far, and to trace (0 until the first pass has read the store).
    pub(crate) traced: AtomicU64,
    pub(crate) total: AtomicU64,
}

impl Running {
    /// "tracing 2684 articles since 2024-01-01T10:00:00Z (1200 traced so far)".
    pub(crate) fn describe(&self) -> String {
        let traced = self.traced.load(Ordering::Relaxed);
        let total = self.total.load(Ordering::Relaxed);
        let what = match self.sample {
            Some(n) => format!("an even sample of {n} of the store's {} articles", self.articles),
            None => format!("the store's {} articles", self.articles),
        };
        let progress = if total == 0 {
            "reading the store first".to_owned()
        } else {
            format!("{traced} of {total} traced so far")
        };
        format!("tracing {what} since {} ({progress})", crate::atom::utc(self.started_at))
    }
}

/// What a request can be shown.
pub(crate) enum View {
    /// The network of the store as it is.
    Ready(Arc<Computed>),
    /// The network of an older state of the store, while the current one is computed.
    Stale(Arc<Computed>, Arc<Running>),
    /// Nothing yet: the first computation is under way.
    Computing(Arc<Running>),
}

impl View {
    /// The network to show, if any.
    pub(crate) fn computed(&self) -> Option<&Arc<Computed>> {
        match self {
            View::Ready(c) | View::Stale(c, _) => Some(c),
            View::Computing(_) => None,
        }
    }

    /// The computation under way, if any.
    pub(crate) fn running(&self) -> Option<&Arc<Running>> {
        match self {
            View::Ready(_) => None,
            View::Stale(_, r) | View::Computing(r) => Some(r),
        }
    }
}

#[derive(Default)]
struct State {
    ready: Option<Arc<Computed>>,
    running: Option<Arc<Running>>,
    /// When the last computation failed, and for which state of the store.
    failed: Option<(Instant, Option<StateToken>)>,
    /// Computations started (for the tests: never two at once, never two for one state).
    started: u64,
}

/// The outlet network of one store, computed in the background (see the module's
/// documentation).
pub(crate) struct Networks {
    source: Arc<Source>,
    state: Mutex<State>,
    /// Notified when a computation ends.
    ended: Condvar,
}

impl Networks {
    pub(crate) fn new(source: Arc<Source>) -> Networks {
        Networks { source, state: Mutex::default(), ended: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("the network's lock is never poisoned")
    }

    /// Computations started so far.
    #[cfg(test)]
    pub(crate) fn started(&self) -> u64 {
        self.lock().started
    }

    /// What to show for the store as it is now (`articles` stored, in state `token`):
    /// starts a computation when the result is missing or older and none is running, and
    /// then, with nothing to show yet, waits for it at most [`NetworkSettings::wait`].
    /// Blocks that long at most (a blocking thread's call).
    pub(crate) fn view(
        self: &Arc<Self>,
        articles: u64,
        token: Option<StateToken>,
    ) -> Result<View, Failure> {
        let settings = self.source.network;
        let deadline = Instant::now() + settings.wait;
        let mut state = self.lock();
        let current = |c: &Computed| token.is_some() && c.token == token;
        if state.ready.as_deref().is_some_and(current) {
            return Ok(view_of(&state));
        }
        if state.running.is_none() {
            let failed_here = state
                .failed
                .is_some_and(|(at, t)| t == token && at.elapsed() < RETRY_AFTER_FAILURE);
            if failed_here {
                return match state.ready.clone() {
                    // The older result, honestly dated, is better than an error page.
                    Some(c) => Ok(View::Ready(c)),
                    None => Err(Failure::new(ErrorCode::Internal)
                        .with_internal("the outlet network failed to compute (logged above)")),
                };
            }
            self.start(&mut state, articles, token)?;
            // The request that started the computation waits a little when there is
            // nothing to show yet: a small store's network is ready before the page would
            // refresh. The others answer at once (each wait holds one of the few blocking
            // threads every page needs), and so does this one with an older result to
            // show, marked as older.
            while state.running.is_some() && state.ready.is_none() {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                state = self
                    .ended
                    .wait_timeout(state, left)
                    .expect("the network's lock is never poisoned")
                    .0;
            }
        }
        if state.running.is_none() && state.ready.is_none() {
            return Err(Failure::new(ErrorCode::Internal)
                .with_internal("the outlet network failed to compute (logged above)"));
        }
        Ok(view_of(&state))
    }

    /// Starts a computation on a thread of its own.
    fn start(
        self: &Arc<Self>,
        state: &mut State,
        articles: u64,
        token: Option<StateToken>,
    ) -> Result<(), Failure> {
        let sample_over = self.source.network.sample_over.max(1);
        let sample = usize::try_from(articles)
            .map_or(Some(sample_over), |n| (n > sample_over).then_some(sample_over));
        let running = Arc::new(Running {
            started_at: unix_now(),
            articles,
            sample,
            traced: AtomicU64::new(0),
            total: AtomicU64::new(0),
        });
        let (me, run) = (Arc::clone(self), Arc::clone(&running));
        std::thread::Builder::new()
            .name("lede-network".into())
            .spawn(move || me.compute(&run, token))
            .map_err(|e| {
                Failure::new(ErrorCode::Internal)
                    .with_internal(format!("no thread for the outlet network: {e}"))
            })?;
        state.running = Some(running);
        state.started += 1;
        Ok(())
    }

    /// The computation itself, on its own thread, with its own view of the store.
    fn compute(&self, run: &Running, token: Option<StateToken>) {
        let clock = Instant::now();
        // A panic (a bug) must not leave "computing" forever: it ends the computation as a
        // failure.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (self.source.open)().and_then(|library| {
                let mut progress = |done: u64, total: u64| {
                    run.traced.store(done, Ordering::Relaxed);
                    run.total.store(total, Ordering::Relaxed);
                };
                library.outlet_network(&NetworkOptions { sample: run.sample }, &mut progress)
            })
        }))
        .unwrap_or_else(|_| {
            Err(lede_engine::Error::Io(std::io::Error::other("the computation panicked")))
        });
        let seconds = clock.elapsed().as_secs_f64();
        let mut state = self.lock();
        state.running = None;
        match result {
            Ok(report) => {
                let traced = report.network.traced;
                // Not `eprintln!`: a closed stderr must not panic this thread.
                let _ = writeln!(
                    std::io::stderr(),
                    "lede serve: outlet network of {} articles ({traced} traced) computed in \
                     {seconds:.1} s",
                    report.network.articles
                );
                state.ready = Some(Arc::new(Computed {
                    network: report.network,
                    token,
                    started_at: run.started_at,
                    finished_at: unix_now(),
                    seconds,
                    sample: run.sample,
                }));
                state.failed = None;
            }
            Err(e) => {
                let why = e.to_string().replace(['\n', '\r'], " ");
                let _ = writeln!(std::io::stderr(), "lede serve: the outlet network: {why}");
                state.failed = Some((Instant::now(), token));
            }
        }
        self.ended.notify_all();
    }
}

fn view_of(state: &State) -> View {
    match (&state.ready, &state.running) {
        (Some(c), Some(r)) => View::Stale(Arc::clone(c), Arc::clone(r)),
        (Some(c), None) => View::Ready(Arc::clone(c)),
        (None, Some(r)) => View::Computing(Arc::clone(r)),
        (None, None) => unreachable!("callers return before when neither is there"),
    }
}

/// The wall clock in Unix seconds: when a computation began and ended, shown on the pages.
#[allow(clippy::disallowed_methods, reason = "the server's one wall-clock read, for display")]
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::mpsc;

    /// Requests that find the computation running never start another, whatever their
    /// number; one that failed is not retried for the same state of the store, and is
    /// an internal error (logged) rather than an endless "computing".
    #[test]
    fn one_computation_at_a_time_and_none_again_for_a_failed_state() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-store");
        let opened = Arc::new(AtomicUsize::new(0));
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let count = Arc::clone(&opened);
        let source = Source::new(
            "test".into(),
            move || {
                count.fetch_add(1, Ordering::SeqCst);
                // Held here until the test lets it go: the computation is "running".
                let _ = gate.lock().unwrap().recv();
                lede_engine::Library::open(&missing)
            },
            || Some((1, 1)),
        )
        .with_network(NetworkSettings { sample_over: 10, wait: Duration::ZERO });
        let networks = Arc::new(Networks::new(Arc::new(source)));
        let views: Vec<_> = (0..8)
            .map(|_| {
                let n = Arc::clone(&networks);
                std::thread::spawn(move || n.view(25, Some((1, 1))).map(|v| v.running().cloned()))
            })
            .collect();
        for v in views {
            let running = v.join().unwrap().ok().flatten().expect("computing");
            // 25 articles over the threshold of 10: a sample of 10, said so.
            assert_eq!((running.articles, running.sample), (25, Some(10)));
            assert!(running.describe().contains("an even sample of 10 of the store's 25"));
        }
        assert_eq!(networks.started(), 1);
        release.send(()).unwrap();
        // The computation fails (no store); wait until it has said so.
        let deadline = Instant::now() + Duration::from_secs(30);
        while networks.lock().running.is_some() {
            assert!(Instant::now() < deadline, "the computation never ended");
            std::thread::sleep(Duration::from_millis(10));
        }
        let again = networks.view(25, Some((1, 1)));
        assert_eq!(again.err().map(|f| f.code()), Some(ErrorCode::Internal));
        assert_eq!((networks.started(), opened.load(Ordering::SeqCst)), (1, 1));
        // A change of the store is worth another try.
        drop(release);
        let changed = networks.view(25, Some((2, 1)));
        assert!(changed.is_ok_and(|v| v.running().is_some()));
        assert_eq!(networks.started(), 2);
    }
}
