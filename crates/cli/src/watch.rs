//! `lede watch` and `lede feeds`: following feeds.

use crate::args::{FeedsAction, FeedsArgs, WatchArgs};
use anyhow::Context;
use lede_engine::{Feed, Poll, PollStatus, WatchOptions};
use lede_extract::Extractor;
use lede_ingest::OpmlFeed;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Set by SIGINT or SIGTERM: the poll in flight ends, then the watch stops.
static STOP: AtomicBool = AtomicBool::new(false);

/// The time now, in Unix seconds: the watch's one clock, read here at the edge and passed
/// to the engine.
#[allow(clippy::disallowed_methods, reason = "the one wall-clock read of `lede watch`")]
pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// An `http(s)` address, or a message saying why not.
fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        _ => Err(format!("{url:?} is not an http(s) feed address")),
    }
}

/// The feeds an OPML file lists.
fn opml_feeds(path: &Path) -> anyhow::Result<Vec<OpmlFeed>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(lede_ingest::read_opml(&bytes, &lede_core::Origin::file(path))?)
}

/// Where the followed feeds are kept: the embedded store in `--data`, or PostgreSQL in
/// cluster mode (`crate::cluster`). `lede feeds` and the start of `lede watch` are the
/// same over both.
pub(crate) trait FeedList {
    /// Follows `feeds`, with their titles when given (those followed already keep their
    /// state); how many were new.
    fn add(
        &mut self,
        feeds: &[OpmlFeed],
        options: &WatchOptions,
        now: i64,
    ) -> anyhow::Result<usize>;
    /// The feeds followed, by address.
    fn list(&mut self) -> anyhow::Result<Vec<Feed>>;
    /// Stops following `urls`; how many were followed.
    fn remove(&mut self, urls: &[String]) -> anyhow::Result<usize>;
}

/// The embedded store's feeds.
struct Embedded<'a>(&'a Path);

impl FeedList for Embedded<'_> {
    fn add(
        &mut self,
        feeds: &[OpmlFeed],
        options: &WatchOptions,
        now: i64,
    ) -> anyhow::Result<usize> {
        lede_engine::add_feeds(self.0, feeds, options, now)
            .with_context(|| format!("cannot add feeds to {}", self.0.display()))
    }

    fn list(&mut self) -> anyhow::Result<Vec<Feed>> {
        Ok(lede_engine::feeds(self.0)?)
    }

    fn remove(&mut self, urls: &[String]) -> anyhow::Result<usize> {
        Ok(lede_engine::remove_feeds(self.0, urls)?)
    }
}

/// The start of a watch, in either mode: the feeds given (arguments, `--opml`) added to
/// those followed, and the schedule's options; `Err` with the exit code when there is
/// nothing to watch or an argument is wrong (said on standard error).
pub(crate) fn start(
    args: &WatchArgs,
    list: &mut dyn FeedList,
) -> anyhow::Result<Result<WatchOptions, ExitCode>> {
    let mut feeds: Vec<OpmlFeed> =
        args.feeds.iter().map(|url| OpmlFeed { url: url.clone(), title: None }).collect();
    if let Some(opml) = &args.opml {
        match opml_feeds(opml) {
            Ok(listed) => feeds.extend(listed),
            Err(e) => {
                eprintln!("lede: {e:#}");
                return Ok(Err(ExitCode::FAILURE));
            }
        }
    }
    if let Some(bad) = feeds.iter().find_map(|f| check_url(&f.url).err()) {
        eprintln!("lede: {bad}");
        return Ok(Err(ExitCode::from(2)));
    }
    let options = WatchOptions {
        min_interval: args.min_interval,
        max_interval: args.max_interval.max(args.min_interval),
        first_interval: args.every,
        jobs: args.jobs.unwrap_or(0),
    };
    list.add(&feeds, &options, now())?;
    if list.list()?.is_empty() {
        eprintln!(
            "lede: no feeds to watch: give feed addresses, --opml FILE, or `lede feeds add URL`"
        );
        return Ok(Err(ExitCode::from(2)));
    }
    // SIGINT and SIGTERM let the poll in flight finish (it commits what it read), then stop.
    ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst))
        .context("cannot install the signal handler")?;
    Ok(Ok(options))
}

/// Whether a signal asked the watch to stop.
pub(crate) fn stopping() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// The signal flag, for the engine's rounds.
pub(crate) fn stop_flag() -> &'static AtomicBool {
    &STOP
}

/// Sleeps until `due` (Unix seconds), waking each second to notice a signal.
pub(crate) fn sleep_until(due: i64) {
    while now() < due && !stopping() {
        std::thread::sleep(Duration::from_millis(
            1000.min(((due - now()).max(0) * 1000) as u64).max(50),
        ));
    }
}

pub(crate) fn watch(data: &Path, args: &WatchArgs) -> anyhow::Result<ExitCode> {
    if args.claim.is_some() {
        // One embedded watch holds the store's lock: there is no claim to take over.
        eprintln!("lede: watch --claim is for cluster mode (--postgres and --nats)");
        return Ok(ExitCode::from(2));
    }
    let options = match start(args, &mut Embedded(data))? {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    if let Some(addr) = args.serve {
        let dir = data.to_path_buf();
        std::thread::spawn(move || {
            let served = lede_server::serve(&dir, addr, |at| {
                let _ = writeln!(io::stderr(), "lede: the reader is at http://{at}/");
            });
            if let Err(e) = served {
                let _ = writeln!(io::stderr(), "lede: the reader stopped: {e}");
            }
            // The reader ends on Ctrl-C too: so does the watch.
            STOP.store(true, Ordering::SeqCst);
        });
    }
    let reader = args.read.reader();
    let extractor = Extractor::default();
    let mut failed_all = true;
    let mut polled = 0usize;
    loop {
        let mut report = |poll: &Poll| {
            polled += 1;
            failed_all &= poll.status == PollStatus::Failed;
            let _ = print_poll(poll, args.json);
        };
        lede_engine::poll_feeds(
            data,
            &reader,
            &extractor,
            &options,
            &lede_engine::Round { all: args.once, now: &now, stop: &STOP },
            &mut report,
        )
        .with_context(|| format!("watching into {} failed", data.display()))?;
        if args.once || STOP.load(Ordering::SeqCst) {
            break;
        }
        // Sleep until the next feed is due, waking each second to notice a signal.
        sleep_until(lede_engine::next_due(data)?.unwrap_or(now() + 60));
        if STOP.load(Ordering::SeqCst) {
            break;
        }
    }
    // Only a cron run in which every feed failed is a failure.
    Ok(if args.once && polled > 0 && failed_all { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

pub(crate) fn print_poll(poll: &Poll, json: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, poll)?;
        return writeln!(out);
    }
    let s = &poll.summary;
    let wait = poll.feed.next_poll_ts - poll.feed.last_poll_ts.unwrap_or(poll.feed.next_poll_ts);
    match poll.status {
        PollStatus::Failed => writeln!(
            out,
            "{}: failed ({}); next poll in {}",
            poll.url,
            poll.feed.last_error.as_deref().unwrap_or("unreadable"),
            human(wait)
        ),
        _ => writeln!(
            out,
            "{}: {} new, {} known, {} failed; next poll in {}",
            poll.url,
            s.added,
            s.duplicates,
            s.failed,
            human(wait)
        ),
    }?;
    out.flush()
}

/// `90` as `1m30s`, `7200` as `2h`.
fn human(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() { "0s".to_owned() } else { out }
}

pub(crate) fn feeds(data: &Path, args: &FeedsArgs) -> anyhow::Result<ExitCode> {
    feeds_in(&mut Embedded(data), args)
}

/// `lede feeds` over the feeds of either mode.
pub(crate) fn feeds_in(store: &mut dyn FeedList, args: &FeedsArgs) -> anyhow::Result<ExitCode> {
    let options = WatchOptions::default();
    match &args.action {
        None => list(store, args.json),
        Some(FeedsAction::Add { urls }) => {
            if let Some(bad) = urls.iter().find_map(|u| check_url(u).err()) {
                eprintln!("lede: {bad}");
                return Ok(ExitCode::from(2));
            }
            let feeds: Vec<OpmlFeed> =
                urls.iter().map(|url| OpmlFeed { url: url.clone(), title: None }).collect();
            let added = store.add(&feeds, &options, now())?;
            eprintln!("lede: {added} feeds added ({} followed already)", urls.len() - added);
            Ok(ExitCode::SUCCESS)
        }
        Some(FeedsAction::Remove { urls }) => {
            let removed = store.remove(urls)?;
            eprintln!("lede: {removed} feeds removed");
            Ok(ExitCode::from(u8::from(removed < urls.len())))
        }
        Some(FeedsAction::Import { file }) => {
            let feeds = match opml_feeds(file) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("lede: {e:#}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            let (good, bad): (Vec<_>, Vec<_>) =
                feeds.into_iter().partition(|f| check_url(&f.url).is_ok());
            for f in &bad {
                eprintln!("lede: {}: skipped {:?}: not an http(s) address", file.display(), f.url);
            }
            let added = store.add(&good, &options, now())?;
            eprintln!(
                "lede: {added} feeds added from {} ({} followed already)",
                file.display(),
                good.len() - added
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(FeedsAction::Export { file }) => {
            let feeds: Vec<OpmlFeed> = store
                .list()?
                .into_iter()
                .map(|f| OpmlFeed { url: f.url, title: f.title })
                .collect();
            let doc = lede_ingest::write_opml(&feeds, "Feeds followed by lede");
            if file.as_os_str() == "-" {
                io::stdout().lock().write_all(doc.as_bytes())?;
            } else {
                std::fs::write(file, doc)
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(store: &mut dyn FeedList, json: bool) -> anyhow::Result<ExitCode> {
    let feeds = store.list()?;
    let mut out = io::stdout().lock();
    let t = now();
    if json {
        let rows: Vec<serde_json::Value> = feeds
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).unwrap_or_default();
                v["items_per_day"] = serde_json::json!(f.items_per_day(t));
                v
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if feeds.is_empty() {
        writeln!(out, "no feeds followed (add some with `lede feeds add URL`)")?;
    }
    for f in &feeds {
        writeln!(out, "{}", f.url)?;
        writeln!(out, "    {}", health(f, t))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One line on a feed's health.
fn health(f: &Feed, t: i64) -> String {
    let last = f.last_poll_ts.map_or("never polled".to_owned(), |p| {
        format!("{} {} ago", f.last_status.as_deref().unwrap_or("polled"), human(t - p))
    });
    let next = if f.next_poll_ts <= t {
        "due now".to_owned()
    } else {
        format!("next in {}", human(f.next_poll_ts - t))
    };
    let mut line = format!(
        "{last}; {next} (every {}); {:.1} articles a day, {} stored",
        human(f.interval_s),
        f.items_per_day(t),
        f.items_added
    );
    if f.failures > 0 {
        line.push_str(&format!(
            "; {} failures in a row: {}",
            f.failures,
            f.last_error.as_deref().unwrap_or("?")
        ));
    }
    line
}
