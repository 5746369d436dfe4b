//! Cluster mode's commands (`--postgres`, `--nats`; issue #15): `ingest` publishes its
//! inputs as jobs, `crawl` the pages of sitemaps not stored yet, `watch` a job per feed
//! due (the feeds, `lede feeds`, in PostgreSQL), `worker` does them, `errors` lists those that failed for good, and the
//! read commands that PostgreSQL serves so far (`show`, `search`, `stats`, `dups`,
//! `trace`, `stories`, `story`, `quotes`, `entities`, `export`, `outlets`, `authors`,
//! `serve`); most of them are
//! the embedded commands' own code over [`lede_engine::ReadBackend`].

use crate::args::{
    Command, CrawlArgs, DupsArgs, FeedsArgs, IngestArgs, JsonArg, SearchArgs, ShowArgs, WatchArgs,
    WorkerArgs,
};
use crate::view;
use anyhow::Context;
use lede_extract::Extractor;
use lede_scaleout::{PublishOptions, Queue};
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

/// Runs `command` in cluster mode; `None` when the command does not run there.
pub(crate) fn run(
    command: &Command,
    postgres: Option<&str>,
    nats: Option<&str>,
) -> Option<anyhow::Result<ExitCode>> {
    Some(match command {
        Command::Ingest(a) => ingest(a, postgres, nats),
        Command::Crawl(a) => crawl(a, postgres, nats),
        Command::Watch(a) => watch(a, postgres, nats),
        Command::Feeds(a) => needs(postgres, "feeds").and_then(|pg| feeds(a, pg)),
        Command::Worker(a) => worker(a, postgres, nats),
        Command::Errors(a) => errors(a, nats),
        Command::Show(a) => needs(postgres, "show").and_then(|pg| show(a, pg)),
        Command::Search(a) => needs(postgres, "search").and_then(|pg| search(a, pg)),
        Command::Stats(a) => needs(postgres, "stats").and_then(|pg| stats(a, pg)),
        Command::Dups(a) => needs(postgres, "dups").and_then(|pg| dups(a, pg)),
        Command::Trace(a) => {
            reads(postgres, "trace", |store, pg| crate::provenance::trace_in(store, pg, a))
        }
        Command::Stories(a) => {
            reads(postgres, "stories", |store, _| crate::stories::list(store, a))
        }
        Command::Story(a) => reads(postgres, "story", |store, _| crate::stories::show(store, a)),
        Command::Quotes(a) => {
            reads(postgres, "quotes", |store, _| crate::attribution::quotes_of(store, a))
        }
        Command::Entities(a) => {
            reads(postgres, "entities", |store, _| crate::attribution::entities_of(store, a))
        }
        Command::Serve(a) => {
            needs(postgres, "serve").and_then(|pg| crate::serve::serve_postgres(pg, a))
        }
        Command::Export(a) => {
            reads(postgres, "export", |store, _| crate::store_cmds::export_from(store, a))
        }
        Command::Outlets(a) => {
            reads(postgres, "outlets", |store, _| crate::network::outlets_of(store, a))
        }
        Command::Authors(a) => {
            reads(postgres, "authors", |store, _| crate::network::authors_of(store, a))
        }
        _ => return None,
    })
}

fn needs<'a>(url: Option<&'a str>, command: &str) -> anyhow::Result<&'a str> {
    url.with_context(|| {
        format!("lede {command} in cluster mode needs --postgres (or LEDE_POSTGRES)")
    })
}

/// Runs a read command over the PostgreSQL store at `--postgres` (`command` names it in
/// the error when the option is missing).
fn reads(
    url: Option<&str>,
    command: &str,
    run: impl FnOnce(&mut lede_pg::PgStore, &str) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    let mut store = lede_pg::PgStore::connect(needs(url, command)?)?;
    let target = store.target().to_owned();
    run(&mut store, &target)
}

fn ingest(
    args: &IngestArgs,
    postgres: Option<&str>,
    nats: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let Some(nats) = nats else {
        anyhow::bail!(
            "lede ingest with --postgres needs --nats too: cluster mode's workers take the work \
             from NATS (without either option, ingest stores into --data)"
        );
    };
    if args.wait && postgres.is_none() {
        anyhow::bail!("lede ingest --wait needs --postgres, where the workers store what they did");
    }
    let selection = match args.select.selection() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lede: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let queue = Queue::connect(nats)?;
    let options = PublishOptions {
        follow: args.follow,
        since: selection.since,
        until: selection.until,
        hosts: selection.hosts.iter().map(|h| h.as_str().to_owned()).collect(),
        languages: selection.languages.clone(),
        archive_base: args.base_url.clone(),
    };
    let published = lede_scaleout::publish(&queue, &args.sources, &options)?;
    if !args.wait {
        let mut out = io::stdout().lock();
        if args.json {
            serde_json::to_writer_pretty(&mut out, &published)?;
            writeln!(out)?;
        } else {
            writeln!(out, "published {} jobs (run {})", published.jobs, published.run)?;
        }
        for e in &published.errors {
            eprintln!("lede: {e}");
        }
        let failed = published.errors.len() as u64;
        return Ok(crate::outcome::Outcome { read: published.jobs, failed }.exit_code(args.strict));
    }
    let postgres = postgres.expect("checked above");
    let summary = lede_scaleout::wait(postgres, &queue, &published, &|_, _| {}, &|line: &str| {
        eprintln!("lede ingest: {line}");
    })?;
    crate::store_cmds::report_ingest(&summary, args)
}

fn crawl(args: &CrawlArgs, postgres: Option<&str>, nats: Option<&str>) -> anyhow::Result<ExitCode> {
    let (Some(postgres), Some(nats)) = (postgres, nats) else {
        anyhow::bail!(
            "lede crawl in cluster mode needs --postgres (where the pages stored are looked up) \
             and --nats (where the pages to fetch are published)"
        );
    };
    let selection = match args.select.selection() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lede: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let options = lede_engine::CrawlOptions {
        selection,
        max_pages: args.max_pages.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        ..lede_engine::CrawlOptions::default()
    };
    let queue = Queue::connect(nats)?;
    let crawled =
        lede_scaleout::publish_crawl(postgres, &queue, &args.read.reader(), &args.sites, &options)
            .context("crawl failed")?;
    let mut summary = crawled.summary;
    let run = crawled.published.run.as_str();
    if !args.wait {
        return crate::crawl::report(&summary, args, Some(run), crawled.published.jobs);
    }
    summary.pages =
        lede_scaleout::wait(postgres, &queue, &crawled.published, &|_, _| {}, &|line: &str| {
            eprintln!("lede crawl: {line}");
        })?;
    crate::crawl::report(&summary, args, Some(run), 0)
}

/// The feeds of cluster mode, in PostgreSQL.
struct PgFeeds(lede_pg::PgStore);

impl crate::watch::FeedList for PgFeeds {
    fn add(
        &mut self,
        feeds: &[lede_ingest::OpmlFeed],
        options: &lede_engine::WatchOptions,
        now: i64,
    ) -> anyhow::Result<usize> {
        let mut added = 0;
        for f in feeds {
            added += usize::from(self.0.add_feed(&lede_engine::new_feed(f, options, now))?);
        }
        Ok(added)
    }

    fn list(&mut self) -> anyhow::Result<Vec<lede_engine::Feed>> {
        Ok(self.0.feeds()?)
    }

    fn remove(&mut self, urls: &[String]) -> anyhow::Result<usize> {
        let mut removed = 0;
        for url in urls {
            removed += usize::from(self.0.remove_feed(url)?);
        }
        Ok(removed)
    }
}

fn feeds(args: &FeedsArgs, postgres: &str) -> anyhow::Result<ExitCode> {
    crate::watch::feeds_in(&mut PgFeeds(lede_pg::PgStore::connect(postgres)?), args)
}

fn watch(args: &WatchArgs, postgres: Option<&str>, nats: Option<&str>) -> anyhow::Result<ExitCode> {
    let (Some(postgres), Some(nats)) = (postgres, nats) else {
        anyhow::bail!(
            "lede watch in cluster mode needs --postgres (where the feeds and their schedules \
             are) and --nats (where each poll is published for the workers)"
        );
    };
    if args.serve.is_some() {
        eprintln!(
            "lede: watch --serve runs the embedded reader; in cluster mode run \
             `lede serve --postgres URL` beside the watch"
        );
        return Ok(ExitCode::from(2));
    }
    // Both reached before anything is written: a broker that is down adds no feed.
    let queue = Queue::connect(nats)?;
    let mut store = PgFeeds(lede_pg::PgStore::connect(postgres)?);
    let options = match crate::watch::start(args, &mut store)? {
        Ok(options) => options,
        Err(code) => return Ok(code),
    };
    drop(store);
    let reader = args.read.reader();
    let mut watcher = lede_scaleout::Watcher::new(postgres, &queue, &reader);
    if let Some(claim) = args.claim {
        watcher = watcher.with_claim(claim);
    }
    let log = |line: &str| eprintln!("lede watch: {line}");
    let mut failed_all = true;
    let mut polled = 0usize;
    loop {
        let mut report = |poll: &lede_engine::Poll| {
            polled += 1;
            failed_all &= poll.status == lede_engine::PollStatus::Failed;
            let _ = crate::watch::print_poll(poll, args.json);
        };
        let round = lede_engine::Round {
            all: args.once,
            now: &crate::watch::now,
            stop: crate::watch::stop_flag(),
        };
        watcher.poll_feeds(&options, &round, &mut report, &log).context("watch failed")?;
        if args.once || crate::watch::stopping() {
            break;
        }
        // Until the next feed no watch is polling is due, a minute at most: feeds added
        // meanwhile (by `lede feeds add` anywhere) and claims that run out are noticed.
        let now = crate::watch::now();
        let due = watcher.next_due()?.unwrap_or(now + 60).clamp(now + 1, now + 60);
        crate::watch::sleep_until(due);
        if crate::watch::stopping() {
            break;
        }
    }
    // Only a cron run in which every feed failed is a failure, as embedded.
    Ok(if args.once && polled > 0 && failed_all { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn worker(
    args: &WorkerArgs,
    postgres: Option<&str>,
    nats: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let (Some(postgres), Some(nats)) = (postgres, nats) else {
        anyhow::bail!("lede worker needs --postgres and --nats (or LEDE_POSTGRES and LEDE_NATS)");
    };
    let options = lede_scaleout::WorkerOptions {
        threads: args.jobs.unwrap_or(0),
        exit_when_idle: args.exit_when_idle,
    };
    let stop = AtomicBool::new(false);
    let summary = lede_scaleout::work(
        postgres,
        nats,
        &args.read.reader(),
        &Extractor::default(),
        &options,
        &stop,
        &|line: &str| eprintln!("lede worker: {line}"),
    )?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} jobs done: {} records read, {} articles added; {} given back to retry, {} failed for good",
            summary.jobs, summary.records, summary.added, summary.retried, summary.dead
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn errors(args: &JsonArg, nats: Option<&str>) -> anyhow::Result<ExitCode> {
    let nats = nats.context("lede errors lists cluster mode's failed work: it needs --nats")?;
    let dead = Queue::connect(nats)?.dead_letters()?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &dead)?;
        writeln!(out)?;
    } else if dead.is_empty() {
        writeln!(out, "no failed work")?;
    } else {
        for d in &dead {
            let job = d.job.as_ref().map_or_else(|| "(job unreadable)".into(), |j| j.to_string());
            writeln!(
                out,
                "{} after {} deliveries: {}\n  job: {job}",
                d.sequence, d.deliveries, d.error
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(args: &ShowArgs, postgres: &str) -> anyhow::Result<ExitCode> {
    let mut store = lede_pg::PgStore::connect(postgres)?;
    let Some(stored) = store.find(&args.id)? else {
        eprintln!("lede: no article {:?} in {postgres}", args.id);
        return Ok(ExitCode::FAILURE);
    };
    let annotations = store.annotations(stored.seq)?.unwrap_or_default();
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &lede_engine::show_json(&stored, &annotations))?;
        writeln!(out)?;
    } else {
        writeln!(out, "[{}] from {}", stored.id, stored.origin)?;
        view::write_body(&mut out, &stored.article, &annotations)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn search(args: &SearchArgs, postgres: &str) -> anyhow::Result<ExitCode> {
    // The query as the embedded `lede search` builds it from the same arguments.
    let query = lede_engine::SearchQuery {
        text: args.query.clone(),
        from: args.from.as_deref().map(|d| crate::store_cmds::bound(d, false)).transpose()?,
        to: args.to.as_deref().map(|d| crate::store_cmds::bound(d, true)).transpose()?,
        outlet: args.outlet.clone(),
        entity: args.entity.clone(),
        limit: args.limit,
        order: match args.sort.as_str() {
            "newest" => lede_engine::SortOrder::Newest,
            "oldest" => lede_engine::SortOrder::Oldest,
            _ => lede_engine::SortOrder::Relevance,
        },
    };
    let mut store = lede_pg::PgStore::connect(postgres)?;
    // lede-pg's errors name the database without its password; the URL may hold one.
    let found = store.search_with(&query)?;
    let results = lede_engine::SearchResults {
        total: found.total,
        hits: found
            .hits
            .into_iter()
            .map(|h| lede_engine::SearchHit {
                id: h.id,
                title: h.title,
                outlet: h.outlet,
                published: h.published,
                score: h.rank,
                snippet: h.snippet,
                highlights: h.highlights,
                entities: h.entities,
            })
            .collect(),
        warnings: found.warnings,
    };
    // Printed as the embedded `lede search` prints.
    for w in &results.warnings {
        eprintln!("lede: warning: {w}");
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &results.hits)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if results.hits.is_empty() {
        writeln!(out, "no results")?;
    } else if results.total > results.hits.len() as u64 {
        writeln!(out, "{} matches; the best {}:", results.total, results.hits.len())?;
    }
    let color = io::IsTerminal::is_terminal(&io::stdout());
    for (i, hit) in results.hits.iter().enumerate() {
        let meta: Vec<&str> =
            [hit.outlet.as_deref(), hit.published.as_deref()].into_iter().flatten().collect();
        writeln!(out, "{}. {}", i + 1, hit.title.as_deref().unwrap_or("(no headline)"))?;
        writeln!(out, "   {}  [{}]", meta.join(" · "), &hit.id[..12])?;
        writeln!(out, "   {}", view::highlight(&hit.snippet, &hit.highlights, color))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: &JsonArg, postgres: &str) -> anyhow::Result<ExitCode> {
    crate::store_cmds::stats_of(&lede_scaleout::PgLibrary::open(postgres)?, args)
}

fn dups(args: &DupsArgs, postgres: &str) -> anyhow::Result<ExitCode> {
    let mut store = lede_pg::PgStore::connect(postgres)?;
    let options =
        lede_engine::DupsOptions { threshold: Some(args.threshold), window_days: args.window };
    let dups = lede_engine::find_dups(&mut store, &options)
        .with_context(|| format!("near-duplicates in {postgres}"))?;
    crate::provenance::print_dups(dups, args)
}
