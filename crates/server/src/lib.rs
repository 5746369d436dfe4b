//! `lede serve`: a web reader and a JSON API over a store.
//!
//! - HTML pages rendered on the server (maud: every value from an article is escaped by the
//!   template, and a Content-Security-Policy forbids scripts, so a hostile title stays text
//!   even if a template were wrong): `/` a time window's stories (`window.rs`) under the
//!   store's articles per day, `/stories/{id}`, `/articles/{id}`, `/search?q=`,
//!   `/entities/{name}` and `/quotes` (`entities.rs`), `/outlets` and `/outlets/{name}`
//!   (the outlet copy network, computed in the background once per state of the store:
//!   `network.rs`); their pictures are SVG drawn here (`charts.rs`, `outlets.rs`);
//! - the JSON API under `/api/` in the CLI contract's shapes, described at
//!   `/api/openapi.json`.
//!
//! Read-only: the store is opened for reading (one connection per worker thread) and
//! nothing here writes. Limits: a query string of [`MAX_QUERY`] bytes, bodies of
//! [`MAX_BODY`] bytes (every route is a GET), [`REQUEST_TIMEOUT`] per request. It binds
//! where it is told; `lede serve` defaults to loopback.
//!
//! Every error goes through one table (`error.rs`): a status, a stable code such as
//! `not_found` or `no_store`, and a fixed message; the API answers
//! `{"error": {"code", "message", "detail"?}}`, the pages show the message and the code.
//! What went wrong inside (the store's errors name its directory) is logged to stderr,
//! never sent.

mod api;
mod atom;
mod charts;
mod entities;
mod error;
mod network;
mod outlets;
mod pages;
mod window;

use axum::Router;
use axum::extract::Request;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use error::{ErrorCode, Failure, Logged};
use lede_engine::Library;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub use network::{NetworkSettings, RETRY_AFTER_FAILURE};

/// Longest query string accepted (bytes); longer gets 414.
pub const MAX_QUERY: usize = 2048;
/// Largest request body accepted (bytes).
pub const MAX_BODY: usize = 16 * 1024;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long an idle blocking thread, and the view of the store it holds, is kept.
const VIEW_KEEP_ALIVE: Duration = Duration::from_secs(24 * 3600);
/// Longest a rendered page or API answer is served from memory. The cache is also emptied
/// as soon as the store's files change (an ingest beside the server), looked at once a
/// second at most.
pub const CACHE_FOR: Duration = Duration::from_secs(300);
/// How often the store's files are looked at for changes.
const CHANGE_CHECK: Duration = Duration::from_secs(1);
/// Rendered answers kept at most (the cache is emptied when it is full).
const CACHE_ENTRIES: usize = 4096;
/// Largest answer cached (bytes): at most 512 MiB in all, ~100 MiB for the demo store.
const CACHE_MAX_BYTES: usize = 128 * 1024;

/// Where the pages read.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) source: Arc<Source>,
    /// The outlet network, computed in the background (`network.rs`).
    pub(crate) networks: Arc<network::Networks>,
    /// Articles per day over the whole store, for the state of the store it was counted
    /// in: every front page draws it, and counting reads the whole date index.
    pub(crate) days: Arc<Mutex<Option<(StateToken, Days)>>>,
}

/// Articles per day over a store, shared by the requests that draw it.
pub(crate) type Days = Arc<Vec<lede_store::DayCount>>;

impl AppState {
    /// Articles per day over the whole store ([`Library::article_days`]), counted once
    /// per state of the store; `None` for a store that does not count them.
    pub(crate) fn article_days(&self, lib: &Library) -> Result<Option<Days>, Failure> {
        let token = (self.source.state)();
        let mut kept = self.days.lock().expect("the days' lock is never poisoned");
        if let (Some(t), Some((at, days))) = (token, kept.as_ref())
            && t == *at
        {
            return Ok(Some(Arc::clone(days)));
        }
        let Some(days) = lib.article_days()? else { return Ok(None) };
        let days = Arc::new(days);
        // An unknown state is a change: nothing is kept for it.
        *kept = token.map(|t| (t, Arc::clone(&days)));
        Ok(Some(days))
    }
}

/// Marks an answer that the cache must not keep although it is a 200: a page that says
/// "still computing" or shows an older result, which a later request must not be served.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Uncached;

/// What a token of a store's state is: equal tokens, no change in between.
type StateToken = (u64, u64);

/// The store the reader reads: how a worker thread opens its view of it
/// ([`Library`]), and how a change is seen (which empties the cache).
pub struct Source {
    /// Names the store (in messages; distinct stores, distinct names).
    name: String,
    open: Box<dyn Fn() -> lede_engine::Result<Library> + Send + Sync>,
    state: Box<dyn Fn() -> Option<StateToken> + Send + Sync>,
    /// How the outlet network is computed.
    network: NetworkSettings,
}

impl Source {
    /// The embedded store in `dir`; a change is a commit to its files.
    pub fn dir(dir: &Path) -> Source {
        let (open_dir, state_dir) = (dir.to_owned(), dir.to_owned());
        // The threads' views share what they read whole (word frequencies, speakers, story
        // cards), each read once rather than once per view.
        let cache = lede_store::ReadCache::new();
        Source {
            name: dir.display().to_string(),
            open: Box::new(move || Library::open_sharing(&open_dir, Arc::clone(&cache))),
            state: Box::new(move || files_state(&state_dir)),
            network: NetworkSettings::default(),
        }
    }

    /// Another store (cluster mode's PostgreSQL): `open` opens a view of it for a worker
    /// thread, `state` says what it looks like now (the same value while nothing changed;
    /// `None` when it cannot be seen, which counts as a change).
    pub fn new(
        name: String,
        open: impl Fn() -> lede_engine::Result<Library> + Send + Sync + 'static,
        state: impl Fn() -> Option<(u64, u64)> + Send + Sync + 'static,
    ) -> Source {
        Source {
            name,
            open: Box::new(open),
            state: Box::new(state),
            network: NetworkSettings::default(),
        }
    }

    /// This store, with the outlet network computed as `settings` say (the default: the
    /// whole store up to 20,000 articles, an even sample of 20,000 above; a first request
    /// waits 1 s at most).
    #[must_use]
    pub fn with_network(mut self, settings: NetworkSettings) -> Source {
        self.network = settings;
        self
    }
}

/// The embedded store's write-ahead log and database, as modification time (nanoseconds
/// since 1970) and size: a commit changes them.
fn files_state(dir: &Path) -> Option<StateToken> {
    let mut latest = None;
    let mut size = 0;
    for name in ["lede.sqlite", "lede.sqlite-wal"] {
        if let Ok(m) = std::fs::metadata(dir.join(name)) {
            size += m.len();
            let t = m.modified().ok()?;
            latest = Some(latest.map_or(t, |l: std::time::SystemTime| l.max(t)));
        }
    }
    let nanos = latest?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    Some((u64::try_from(nanos).unwrap_or(u64::MAX), size))
}

/// A rendered answer: content type and body.
type Cached = (Instant, HeaderValue, axum::body::Bytes);

/// Answers by path and query, for [`CACHE_FOR`]: a page costs 2-10 ms of a core to build
/// (store reads, provenance), a cached one microseconds.
struct Cache {
    source: Arc<Source>,
    entries: Mutex<HashMap<String, Cached>>,
    /// When the store was last looked at (never yet: `None`), and what it looked like.
    seen: Mutex<(Option<Instant>, Option<StateToken>)>,
    /// How many times the store was seen to change: an answer built while it changed
    /// (begun before, finished after) is not kept, or it would outlive the change.
    generation: AtomicU64,
    /// The answers being built, by key. A request for one of them waits for that build
    /// and takes its answer from the cache, rather than building the same answer beside
    /// it: under load, the first requests for a cold page arrive together, and each copy
    /// would hold one of the few blocking threads the others queue for.
    building: Mutex<HashMap<String, watch::Receiver<()>>>,
}

/// One request's build of an answer, registered in [`Cache::building`] until it ends,
/// however it ends (answered, failed, dropped by the timeout or a client gone): the
/// requests waiting on it are woken when its sender drops, after the key is removed.
struct Building {
    cache: Arc<Cache>,
    key: String,
    _done: watch::Sender<()>,
}

impl Drop for Building {
    fn drop(&mut self) {
        self.cache.building.lock().expect("the cache's lock is never poisoned").remove(&self.key);
    }
}

impl Cache {
    fn new(source: Arc<Source>) -> Cache {
        Cache {
            source,
            entries: Mutex::default(),
            seen: Mutex::new((None, None)),
            generation: AtomicU64::new(0),
            building: Mutex::default(),
        }
    }

    /// The fresh answer kept for `key`, if any. A stale one is marked fresh again and not
    /// returned: this request builds it again, the others keep the old answer meanwhile
    /// rather than all building it at once.
    fn fresh(&self, key: &str, now: Instant) -> Option<Response> {
        let mut entries = self.entries.lock().expect("the cache's lock is never poisoned");
        let (at, kind, body) = entries.get_mut(key)?;
        if now.duration_since(*at) < CACHE_FOR {
            return Some(([(header::CONTENT_TYPE, kind.clone())], body.clone()).into_response());
        }
        *at = now;
        None
    }

    /// Registers this request as the builder of `key`'s answer, or, when another request
    /// is building it, the means to wait for that one.
    fn build_or_wait(self: &Arc<Self>, key: &str) -> Result<Building, watch::Receiver<()>> {
        let mut building = self.building.lock().expect("the cache's lock is never poisoned");
        if let Some(done) = building.get(key) {
            return Err(done.clone());
        }
        let (done, waiting) = watch::channel(());
        building.insert(key.to_owned(), waiting);
        Ok(Building { cache: Arc::clone(self), key: key.to_owned(), _done: done })
    }

    /// Empties the cache if the store changed since it was last looked at. The look runs
    /// on a blocking thread: a remote store's is a query, whose client may not block the
    /// runtime's threads.
    async fn check(&self, now: Instant) {
        {
            let mut seen = self.seen.lock().expect("the cache's lock is never poisoned");
            if seen.0.is_some_and(|at| now.duration_since(at) < CHANGE_CHECK) {
                return;
            }
            // Looked at now: the requests arriving meanwhile do not look again.
            seen.0 = Some(now);
        }
        let source = Arc::clone(&self.source);
        let state = tokio::task::spawn_blocking(move || (source.state)()).await.ok().flatten();
        let mut seen = self.seen.lock().expect("the cache's lock is never poisoned");
        if state.is_none() || state != seen.1 {
            self.generation.fetch_add(1, Ordering::SeqCst);
            self.entries.lock().expect("the cache's lock is never poisoned").clear();
        }
        seen.1 = state;
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// The routes, over the store in `dir`.
pub fn router(dir: &Path) -> Router {
    router_over(Source::dir(dir))
}

/// The routes, over any store.
pub fn router_over(source: Source) -> Router {
    app(Arc::new(source))
}

fn app(source: Arc<Source>) -> Router {
    let networks = Arc::new(network::Networks::new(Arc::clone(&source)));
    let state = AppState { source: Arc::clone(&source), networks, days: Arc::default() };
    let cache = Arc::new(Cache::new(source));
    Router::new()
        .merge(pages::routes())
        .merge(atom::routes())
        .nest("/api", api::routes())
        .with_state(state)
        .layer(middleware::from_fn(move |r, n| cached(Arc::clone(&cache), r, n)))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(REQUEST_TIMEOUT, timeout))
        .layer(middleware::from_fn(guard))
}

/// Whether `path` is the JSON API's: its errors are JSON, the others' HTML pages.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// A failure found before routing (by a middleware), in the form the path's routes use.
fn respond(path: &str, failure: Failure) -> Response {
    if is_api(path) { failure.json() } else { pages::failure(failure) }
}

/// Refuses long query strings and non-GET methods; adds the security headers; logs what
/// failed inside (outermost, so that it sees every answer, timeouts included).
async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let mut response = if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        respond(&path, Failure::new(ErrorCode::QueryTooLong))
    } else if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        let mut refused = respond(&path, Failure::new(ErrorCode::ReadOnly));
        // A 405 names the methods that are allowed (RFC 9110, 15.5.6).
        refused.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        refused
    } else {
        next.run(request).await
    };
    if let Some(Logged(line)) = response.extensions_mut().remove::<Logged>() {
        // Not `eprintln!`: it panics when stderr is closed (a terminal gone, a pipe whose
        // reader stopped), and a failed log line must not fail the request too.
        let _ = writeln!(std::io::stderr(), "lede serve: {method} {path}: {line}");
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Answers [`ErrorCode::Timeout`] when the inner service takes longer than `limit`. Its
/// own middleware rather than tower-http's `TimeoutLayer`, whose 408 has an empty body:
/// this one answers in the error table's form.
async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => respond(
            &path,
            Failure::new(ErrorCode::Timeout).with_internal(format!("no answer within {limit:?}")),
        ),
    }
}

/// Serves successful GET answers from the cache while they are fresh; keeps new ones.
async fn cached(cache: Arc<Cache>, request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::GET {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    // Atom feeds carry absolute links built from the Host header: keyed by it too.
    let key = if path.ends_with(".atom") {
        let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        format!("{host} {}", request.uri())
    } else {
        request.uri().to_string()
    };
    let now = Instant::now();
    cache.check(now).await;
    if let Some(hit) = cache.fresh(&key, now) {
        return hit;
    }
    // One build of an answer at a time; the requests that wait look in the cache once it
    // ends, and build it themselves only when it was not kept (an error, too big).
    let building = match cache.build_or_wait(&key) {
        Ok(building) => Some(building),
        Err(mut done) => {
            // An error means the build ended (its sender dropped): the only way it ends.
            let _ = done.changed().await;
            if let Some(hit) = cache.fresh(&key, Instant::now()) {
                return hit;
            }
            None
        }
    };
    // The build is a task of its own: a request that stops waiting (its timeout, a client
    // gone) does not stop it, so the work done is kept for the next request rather than
    // thrown away, which under load would leave a slow page cold for ever.
    let build = tokio::spawn(build(cache, key, now, request, next, building));
    build.await.unwrap_or_else(|e| {
        let why = format!("the answer's build failed: {e}");
        respond(&path, Failure::new(ErrorCode::Internal).with_internal(why))
    })
}

/// Builds the answer to `request` and keeps it in the cache under `key` when it can be
/// kept (a 200 of at most [`CACHE_MAX_BYTES`], built while the store did not change);
/// `building`, if this is the one build of `key`, ends with it.
async fn build(
    cache: Arc<Cache>,
    key: String,
    now: Instant,
    request: Request,
    next: Next,
    building: Option<Building>,
) -> Response {
    let path = request.uri().path().to_owned();
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.extensions().get::<Uncached>().is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let small = axum::body::HttpBody::size_hint(&body)
        .exact()
        .is_some_and(|n| n as usize <= CACHE_MAX_BYTES);
    if !small {
        return Response::from_parts(parts, body);
    }
    let bytes = match axum::body::to_bytes(body, CACHE_MAX_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let why = format!("the answer's body could not be read for the cache: {e}");
            return respond(&path, Failure::new(ErrorCode::Internal).with_internal(why));
        }
    };
    let unchanged = cache.generation.load(Ordering::SeqCst) == generation;
    if let Some(kind) = parts.headers.get(header::CONTENT_TYPE).filter(|_| unchanged) {
        let mut entries = cache.entries.lock().expect("the cache's lock is never poisoned");
        if entries.len() >= CACHE_ENTRIES {
            evict_older_half(&mut entries);
        }
        entries.insert(key, (now, kind.clone(), bytes.clone()));
    }
    drop(building);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Makes room in a full cache: the older half of its answers go (a wide load, say a
/// crawler walking every article, keeps the pages read most recently).
fn evict_older_half(entries: &mut HashMap<String, Cached>) {
    let mut ages: Vec<Instant> = entries.values().map(|(at, _, _)| *at).collect();
    let middle = ages.len() / 2;
    let (_, cut, _) = ages.select_nth_unstable(middle);
    let cut = *cut;
    entries.retain(|_, (at, _, _)| *at >= cut);
}

/// Serves until the process is stopped (Ctrl-C ends it cleanly). `ready` is called with
/// the bound address once the server listens.
pub fn serve(dir: &Path, addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    serve_over(Source::dir(dir), addr, ready)
}

/// [`serve`] over any store.
pub fn serve_over(
    source: Source,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), Error> {
    // Each blocking thread holds a view of the store (SQLite pages, the index's readers,
    // the read cache: word frequencies, speakers, story cards): a few of them, not tokio's
    // default of 512, kept while the server runs rather than tokio's 10 s idle, after which
    // the next page would open the store and fill its caches again (a reader clicking every
    // 15 s would pay that on every page).
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let views = (2 * cores).max(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(views)
        .thread_keep_alive(VIEW_KEEP_ALIVE)
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        ready(listener.local_addr()?);
        let source = Arc::new(source);
        tokio::spawn(warm_views(Arc::clone(&source), views));
        axum::serve(listener, app(source))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

thread_local! {
    /// Each blocking worker thread keeps its own read-only view of the store.
    static LIBRARY: RefCell<Option<(String, Library)>> = const { RefCell::new(None) };
}

/// Runs `f` on a blocking thread with that thread's view of the store.
pub(crate) async fn with_library<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Library) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let source = Arc::clone(&state.source);
    tokio::task::spawn_blocking(move || on_this_thread(&source, f)).await.unwrap_or_else(|e| {
        // A panic in `f` (a bug): the client is told no more than for any internal error.
        Err(Failure::new(ErrorCode::Internal)
            .with_internal(format!("the request's worker failed: {e}")))
    })
}

/// Calls `f` with this blocking thread's view of `source`, opened first if the thread has
/// none yet (or one of another store, or one whose connection was lost: a database
/// restart).
fn on_this_thread<T>(
    source: &Source,
    f: impl FnOnce(&Library) -> Result<T, Failure>,
) -> Result<T, Failure> {
    LIBRARY.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(name, l)| *name != source.name || l.is_broken()) {
            let library = (source.open)().map_err(Failure::from)?;
            *cell = Some((source.name.clone(), library));
        }
        let (_, library) = cell.as_ref().expect("opened above");
        f(library)
    })
}

/// Opens the view of each of the `threads` blocking threads as the server starts, then fills
/// the cache they share ([`Library::warm`]): without it the first speaker's page reads
/// every distinct speaker (about 150 ms on the million-article store). Runs beside the
/// first requests; a failure is logged, and the pages open their views as they would have.
async fn warm_views(source: Arc<Source>, threads: usize) {
    let clock = Instant::now();
    // Each task waits for the others to start (a task per thread, not four on the first)
    // and, having opened its view, for the others to have opened theirs: a view opening
    // empties the cache they share. Then one of them fills it.
    let started = Arc::new(std::sync::Barrier::new(threads));
    let opened = Arc::new(std::sync::Barrier::new(threads));
    let tasks: Vec<_> = (0..threads)
        .map(|_| {
            let (source, started, opened) =
                (Arc::clone(&source), Arc::clone(&started), Arc::clone(&opened));
            tokio::task::spawn_blocking(move || {
                started.wait();
                let open = on_this_thread(&source, |_| Ok(()));
                let warms = opened.wait().is_leader();
                open?;
                if warms {
                    on_this_thread(&source, |library| library.warm().map_err(Failure::from))?;
                }
                Ok::<(), Failure>(())
            })
        })
        .collect();
    for task in tasks {
        if let Ok(Err(failure)) = task.await {
            // Not `eprintln!`: a closed stderr must not panic this task.
            let _ = writeln!(
                std::io::stderr(),
                "lede serve: warming a view of {} failed: {}",
                source.name,
                failure.log_line()
            );
            return;
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "lede serve: {threads} views of the store opened and their cache warmed in {:.1} s",
        clock.elapsed().as_secs_f64()
    );
}

/// A path id, checked: article ids, record ids and story ids are short and printable.
pub(crate) fn checked_id(id: &str) -> Result<&str, Failure> {
    if id.is_empty() || id.len() > 512 || id.chars().any(char::is_control) {
        // No stored article or story has such an id.
        return Err(Failure::not_found("such id"));
    }
    Ok(id)
}

/// A `YYYY-MM-DD` (or fuller ISO 8601) date as Unix seconds; `end` moves a bare day to its
/// end.
pub(crate) fn day_bound(text: &str, end: bool) -> Result<i64, Failure> {
    let at = lede_core::Timestamp::parse_iso(text.trim()).map_err(|_| Failure::bad_date(text))?;
    Ok(if end && !at.has_time() { at.unix_seconds() + 86_399 } else { at.unix_seconds() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    /// As the server starts, every blocking thread it will use opens its view of the store,
    /// each on a thread of its own (then one of them warms the cache the views share).
    #[test]
    fn each_blocking_thread_opens_its_view_as_the_server_starts() {
        let dir = tempfile::tempdir().unwrap();
        drop(lede_store::StoreWriter::open(dir.path()).unwrap());
        let opened = Arc::new(Mutex::new(Vec::new()));
        let (seen, store) = (Arc::clone(&opened), dir.path().to_owned());
        let cache = lede_store::ReadCache::new();
        let open = move || {
            seen.lock().unwrap().push(std::thread::current().id());
            Library::open_sharing(&store, Arc::clone(&cache))
        };
        let source = Arc::new(Source::new("test".into(), open, || Some((0, 0))));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(4)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(warm_views(Arc::clone(&source), 4));
        let threads = opened.lock().unwrap().clone();
        assert_eq!(threads.len(), 4, "one view opened per thread");
        let distinct: std::collections::HashSet<_> = threads.iter().collect();
        assert_eq!(distinct.len(), 4, "on four threads: {threads:?}");
        // A thread's next call finds its view open and warm: nothing is opened again.
        runtime.block_on(warm_views(source, 4));
        assert_eq!(opened.lock().unwrap().len(), 4);
    }

    /// Requests arriving together for one cold answer build it once: the others wait and
    /// take it from the cache. An answer the cache does not keep (here, an error) is built
    /// by each waiting request after the first ends, not shared.
    #[test]
    fn requests_for_one_cold_answer_build_it_once() {
        use std::sync::atomic::AtomicUsize;
        let source =
            Source::new("test".into(), || unreachable!("no store is read"), || Some((0, 0)));
        let cache = Arc::new(Cache::new(Arc::new(source)));
        let builds = Arc::new(AtomicUsize::new(0));
        let slow = |builds: Arc<AtomicUsize>, status: StatusCode| {
            move || async move {
                builds.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                (status, "built").into_response()
            }
        };
        let app = Router::new()
            .route("/page", get(slow(Arc::clone(&builds), StatusCode::OK)))
            .route("/broken", get(slow(Arc::clone(&builds), StatusCode::INTERNAL_SERVER_ERROR)))
            .layer(middleware::from_fn({
                let cache = Arc::clone(&cache);
                move |r, n| cached(Arc::clone(&cache), r, n)
            }));
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        // The store's first look (answers built while it runs are not kept).
        runtime.block_on(cache.check(Instant::now()));
        let together = |path: &'static str| {
            let requests = (0..20).map(|_| {
                let request = Request::builder().uri(path).body(Body::empty()).unwrap();
                runtime.spawn(app.clone().oneshot(request))
            });
            let requests: Vec<_> = requests.collect();
            runtime.block_on(async {
                let mut statuses = Vec::new();
                for r in requests {
                    statuses.push(r.await.unwrap().unwrap().status());
                }
                statuses
            })
        };
        assert!(together("/page").iter().all(|s| *s == StatusCode::OK));
        assert_eq!(builds.load(Ordering::SeqCst), 1, "one build for 20 requests");
        assert!(together("/page").iter().all(|s| *s == StatusCode::OK));
        assert_eq!(builds.load(Ordering::SeqCst), 1, "then answered from the cache");
        let statuses = together("/broken");
        assert!(statuses.iter().all(|s| *s == StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(builds.load(Ordering::SeqCst), 21, "errors are not shared");
    }

    /// A build whose request timed out goes on, and its answer is kept for the next
    /// request; a full cache drops its older half, not everything.
    #[test]
    fn an_answer_built_after_its_request_timed_out_is_kept() {
        use std::sync::atomic::AtomicUsize;
        let source =
            Source::new("test".into(), || unreachable!("no store is read"), || Some((0, 0)));
        let cache = Arc::new(Cache::new(Arc::new(source)));
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&builds);
        let slow = move || async move {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            "built".into_response()
        };
        let app = Router::new()
            .route("/slow", get(slow))
            .layer(middleware::from_fn({
                let cache = Arc::clone(&cache);
                move |r, n| cached(Arc::clone(&cache), r, n)
            }))
            .layer(middleware::from_fn_with_state(Duration::from_millis(20), timeout));
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(cache.check(Instant::now()));
        let get = || {
            let request = Request::builder().uri("/slow").body(Body::empty()).unwrap();
            runtime.block_on(app.clone().oneshot(request)).unwrap().status()
        };
        assert_eq!(get(), StatusCode::REQUEST_TIMEOUT);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(get(), StatusCode::OK, "answered from the cache");
        assert_eq!(builds.load(Ordering::SeqCst), 1);

        let mut entries = HashMap::new();
        let start = Instant::now();
        for i in 0..10u64 {
            let kind = HeaderValue::from_static("text/plain");
            let at = start + Duration::from_secs(i);
            entries.insert(i.to_string(), (at, kind, axum::body::Bytes::new()));
        }
        evict_older_half(&mut entries);
        let mut kept: Vec<u64> = entries.keys().map(|k| k.parse().unwrap()).collect();
        kept.sort_unstable();
        assert_eq!(kept, [5, 6, 7, 8, 9]);
    }

    /// A route that never answers, behind the timeout and the guard, as in [`router`]:
    /// the timeout answers in the table's form, JSON under `/api/`, a page elsewhere, and
    /// the client is not told the limit (the log is).
    #[test]
    fn a_request_that_takes_too_long_gets_the_tables_408() {
        let never = || std::future::pending::<Response>();
        let app = Router::new()
            .route("/api/slow", get(never))
            .route("/slow", get(never))
            .layer(middleware::from_fn_with_state(Duration::from_millis(20), timeout))
            .layer(middleware::from_fn(guard));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        for (path, kind) in [("/api/slow", "application/json"), ("/slow", "text/html")] {
            let request = Request::builder().uri(path).body(Body::empty()).unwrap();
            let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT, "{path}");
            let content_type = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
            assert!(content_type.starts_with(kind), "{path}: {content_type}");
            assert!(response.headers().contains_key(header::CONTENT_SECURITY_POLICY), "{path}");
            assert!(response.extensions().get::<Logged>().is_none(), "the guard logged it");
            let body = runtime.block_on(axum::body::to_bytes(response.into_body(), 1 << 20));
            let body = String::from_utf8(body.unwrap().to_vec()).unwrap();
            assert!(body.contains("\"timeout\"") || body.contains(">timeout<"), "{body}");
            assert!(!body.contains("20ms"), "{body}");
        }
    }
}
