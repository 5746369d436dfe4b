//! `lede ingest`, `search`, `show`, `stats`, `export`: the commands that use the store
//! (`quotes` and `entities` are in `attribution`).

use crate::args::{ExportArgs, IngestArgs, JsonArg, SearchArgs, SelectionArgs, ShowArgs};
use crate::outcome::Outcome;
use crate::view;
use anyhow::Context;
use lede_engine::{IngestOptions, IngestSummary, Library, SearchQuery, Selection, SortOrder};
use lede_extract::{Extractor, read_date};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Errors listed in the human summary.
const SHOWN_ERRORS: usize = 10;

/// An ingest's progress on a terminal: a bar over the input's bytes (with an ETA) when
/// every input is a file, a spinner otherwise, then what the stage after the records does.
pub(crate) struct IngestBar {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
}

impl IngestBar {
    /// `None` when standard error is not a terminal (scripts get no bar).
    pub(crate) fn new(sources: &[String]) -> Option<IngestBar> {
        if !io::stderr().is_terminal() {
            return None;
        }
        let (bar, template) = match lede_ingest::total_size(sources) {
            Some(t) => (
                indicatif::ProgressBar::new(t),
                "{bar:30} {percent:>3}% {elapsed_precise} ETA {eta}  {msg}",
            ),
            None => (indicatif::ProgressBar::new_spinner(), "{spinner} {elapsed_precise}  {msg}"),
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(template).expect("a valid progress template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(IngestBar { bar, start: std::time::Instant::now() })
    }

    pub(crate) fn update(&self, p: lede_engine::Progress) {
        match p.stage {
            lede_engine::Stage::Records => {
                let rate = p.done as f64 / self.start.elapsed().as_secs_f64().max(1e-3);
                self.bar.set_position(p.bytes_read);
                let files = match p.archive_files {
                    (_, 0) => String::new(),
                    (done, listed) => format!("archive files {done} of {listed}; "),
                };
                self.bar.set_message(format!(
                    "{files}reading, extracting, annotating, storing: {} read, {} added, \
                     {} failed  ({rate:.0} records/s)",
                    p.done, p.added, p.failed
                ));
            }
            lede_engine::Stage::Stories => {
                if let Some(len) = self.bar.length() {
                    self.bar.set_position(len);
                }
                self.bar.set_message(format!(
                    "{} records read; grouping the new articles into stories",
                    p.done
                ));
            }
        }
    }

    /// Says what runs next, after the ingest.
    pub(crate) fn set_message(&self, message: &'static str) {
        self.bar.set_message(message);
    }

    pub(crate) fn finish(self) {
        self.bar.finish_and_clear();
    }
}

impl SelectionArgs {
    /// `--since`, `--until`, `--host` and `--lang` as the engine's [`Selection`]; a date
    /// that cannot be read, or a range that is empty, is an error (bad usage).
    pub(crate) fn selection(&self) -> anyhow::Result<Selection> {
        let since = self.since.as_deref().map(|d| bound(d, false)).transpose()?;
        let until = self.until.as_deref().map(|d| bound(d, true)).transpose()?;
        if let (Some(s), Some(u)) = (since, until)
            && s >= u
        {
            anyhow::bail!(
                "--since {:?} is not before --until {:?}",
                self.since.as_deref().unwrap_or(""),
                self.until.as_deref().unwrap_or("")
            );
        }
        Ok(Selection { since, until, hosts: self.hosts.clone(), languages: self.languages.clone() })
    }
}

pub(crate) fn ingest(data: &Path, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    if args.sources.iter().filter(|s| *s == "-").count() > 1 {
        eprintln!("lede: standard input (-) can be read once only");
        return Ok(ExitCode::from(2));
    }
    let reader = args.read.reader();
    let selection = match args.select.selection() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lede: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let options = IngestOptions {
        jobs: args.jobs.unwrap_or(0),
        follow: args.follow,
        selection,
        archive_base: args.base_url.clone(),
        ..IngestOptions::default()
    };
    let bar = IngestBar::new(&args.sources);
    let progress = |p: lede_engine::Progress| {
        if let Some(bar) = &bar {
            bar.update(p);
        }
    };
    let summary = lede_engine::ingest(
        data,
        &reader,
        &Extractor::default(),
        &args.sources,
        &options,
        &progress,
    )
    .with_context(|| format!("ingest into {} failed", data.display()))?;
    if let Some(bar) = bar {
        bar.finish();
    }
    report_ingest(&summary, args)
}

/// Prints an ingest's summary (the same for embedded and cluster mode) and says how it ends.
pub(crate) fn report_ingest(
    summary: &IngestSummary,
    args: &IngestArgs,
) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, summary)?;
        writeln!(out)?;
    } else {
        let rate = summary.seen as f64 / summary.seconds.max(1e-3);
        writeln!(
            out,
            "{} records read in {:.1} s ({rate:.0}/s): {} added, {} duplicates, {} not articles, {} failed",
            summary.seen,
            summary.seconds,
            summary.added,
            summary.duplicates,
            summary.skipped,
            summary.failed
        )?;
        if summary.filtered > 0 {
            writeln!(
                out,
                "({} records left out by --since/--until/--host/--lang)",
                summary.filtered
            )?;
        }
        let a = summary.archives;
        if a.listed > 0 {
            writeln!(
                out,
                "archive files: {} listed, {} finished before (not read again), {} resumed, {} finished now",
                a.listed, a.finished_before, a.resumed, a.finished
            )?;
        }
        if summary.reindexed > 0 {
            writeln!(
                out,
                "(re-indexed {} articles an interrupted run had stored)",
                summary.reindexed
            )?;
        }
    }
    // Bad records are named on standard error whatever the output format, so a script
    // reading the JSON summary on standard output still sees them in its log.
    let mut err = io::stderr().lock();
    for e in summary.errors.iter().take(SHOWN_ERRORS) {
        writeln!(err, "lede: {e}")?;
    }
    for d in &summary.stories.damaged {
        writeln!(err, "lede: {d} (clustered alone)")?;
    }
    if summary.failed as usize > SHOWN_ERRORS {
        let more = summary.failed as usize - SHOWN_ERRORS;
        writeln!(err, "lede: … and {more} more failed records (see --json)")?;
    }
    let read = summary.added + summary.duplicates + summary.skipped + summary.filtered;
    Ok(Outcome { read, failed: summary.failed }.exit_code(args.strict))
}

/// A `--from`/`--to` date as seconds since 1970; `end` moves a date without a time to the
/// end of its day.
pub(crate) fn bound(text: &str, end: bool) -> anyhow::Result<i64> {
    let published =
        read_date(text).with_context(|| format!("not a date: {text:?} (try 2019-03-07)"))?;
    let secs = published.at.unix_seconds();
    Ok(if end && !published.at.has_time() { secs + 86_400 } else { secs })
}

pub(crate) fn search(data: &Path, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let query = SearchQuery {
        text: args.query.clone(),
        from: args.from.as_deref().map(|d| bound(d, false)).transpose()?,
        to: args.to.as_deref().map(|d| bound(d, true)).transpose()?,
        outlet: args.outlet.clone(),
        entity: args.entity.clone(),
        limit: args.limit,
        order: match args.sort.as_str() {
            "newest" => SortOrder::Newest,
            "oldest" => SortOrder::Oldest,
            _ => SortOrder::Relevance,
        },
    };
    let library = Library::open(data)?;
    let results = library.search(&query)?;
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
    let color = io::stdout().is_terminal();
    for (i, hit) in results.hits.iter().enumerate() {
        let meta: Vec<&str> =
            [hit.outlet.as_deref(), hit.published.as_deref()].into_iter().flatten().collect();
        writeln!(out, "{}. {}", i + 1, hit.title.as_deref().unwrap_or("(no headline)"))?;
        writeln!(out, "   {}  [{}]", meta.join(" · "), &hit.id[..12])?;
        writeln!(out, "   {}", view::highlight(&hit.snippet, &hit.highlights, color))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn show(data: &Path, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let library = Library::open(data)?;
    let Some(stored) = library.show(&args.id)? else {
        eprintln!("lede: no article {:?} in {}", args.id, data.display());
        return Ok(ExitCode::FAILURE);
    };
    let annotations = library.annotations(&stored)?;
    let story = library.story_of_article(stored.seq)?;
    let mut out = io::stdout().lock();
    if args.json {
        let json = lede_engine::show_json(&stored, &annotations).with_story(story.as_ref());
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        writeln!(out, "[{}] from {}", stored.id, stored.origin)?;
        view::write_body(&mut out, &stored.article, &annotations)?;
        if let Some(d) = &story {
            writeln!(
                out,
                "\nstory {}: {} ({} articles; `lede story {}` for its timeline)",
                d.story.id,
                d.story.label.as_deref().unwrap_or("(no headline)"),
                d.story.size,
                d.story.id
            )?;
            for r in &d.related {
                let names = r.evidence.entities.join(", ");
                writeln!(
                    out,
                    "  related: story {} {} ({:.2}; names: {names})",
                    r.id,
                    r.label.as_deref().unwrap_or("(no headline)"),
                    r.score
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn stats(data: &Path, args: &JsonArg) -> anyhow::Result<ExitCode> {
    stats_of(&Library::open(data)?, args)
}

/// `lede stats` over either store.
pub(crate) fn stats_of(library: &Library, args: &JsonArg) -> anyhow::Result<ExitCode> {
    let stats = library.stats()?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &stats.store;
    writeln!(out, "articles   {}", s.articles)?;
    writeln!(out, "outlets    {}", s.outlets)?;
    writeln!(out, "aliases    {}", s.aliases)?;
    writeln!(out, "indexed    {}", stats.indexed)?;
    writeln!(out, "entities   {} (in {} annotated articles)", s.entities, s.annotated)?;
    writeln!(out, "quotes     {}", s.quotes)?;
    writeln!(out, "stories    {}", s.stories)?;
    if let (Some(a), Some(b)) = (&s.first_published, &s.last_published) {
        writeln!(out, "published  {a} … {b}")?;
    }
    let langs: Vec<String> = s.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
    writeln!(out, "languages  {}", langs.join(", "))?;
    writeln!(out, "format     {}", s.format)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export(data: &Path, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    Library::open(data)?.with_reads(|r| export_from(r, args))
}

/// `lede export` from either store.
pub(crate) fn export_from<R: lede_engine::ReadBackend + ?Sized>(
    store: &mut R,
    args: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let n = match &args.output {
        Some(path) => {
            // Written beside the target and renamed: an interrupted export leaves no half file.
            let tmp = path.with_extension("part");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut w = io::BufWriter::new(file);
            let n = lede_engine::reads::export(store, &mut w)?;
            w.flush()?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            n
        }
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            let n = lede_engine::reads::export(store, &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("lede: exported {n} articles");
    Ok(ExitCode::SUCCESS)
}
