//! `lede serve` and `lede demo`.

use crate::args::{DemoArgs, ServeArgs};
use anyhow::Context;
use lede_engine::{Analyzer, DupsOptions, IngestOptions, Library, SignalKind, StoryFilter};
use lede_extract::Extractor;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

fn listen(data: &Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    if !data.join("lede.sqlite").exists() {
        anyhow::bail!("no store in {} (run `lede ingest` first, or `lede demo`)", data.display());
    }
    listen_to(lede_server::Source::dir(data), addr)
}

/// `lede serve` in cluster mode: the reader over the PostgreSQL store at `url`, each
/// worker thread with its own connection.
pub(crate) fn serve_postgres(url: &str, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    // Fails now, rather than at the first request, when the database cannot be reached.
    let probe = lede_scaleout::PgLibrary::connect(url)?;
    let name = lede_engine::RemoteStore::name(&probe);
    // Changes are looked for (once a second at most, by the cache) through a connection
    // of their own, opened again after the database restarted.
    let probe = std::sync::Mutex::new(Some(probe));
    let (open_url, probe_url) = (url.to_owned(), url.to_owned());
    let source = lede_server::Source::new(
        name,
        move || lede_scaleout::PgLibrary::open(&open_url),
        move || {
            let mut probe = probe.lock().ok()?;
            if probe.as_ref().is_none_or(lede_engine::RemoteStore::is_broken) {
                *probe = lede_scaleout::PgLibrary::connect(&probe_url).ok();
            }
            probe.as_mut()?.state().ok()
        },
    );
    listen_to(source, args.addr)
}

fn listen_to(source: lede_server::Source, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    if !addr.ip().is_loopback() {
        eprintln!(
            "lede: warning: serving on {addr}: the store is readable by anyone who can reach it"
        );
    }
    lede_server::serve_over(source, addr, |at| {
        let _ = writeln!(
            io::stderr(),
            "lede: the reader is at http://{at}/ (the API at http://{at}/api/openapi.json); Ctrl-C stops it"
        );
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn serve(data: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    listen(data, args.addr)
}

pub(crate) fn demo(data: &Path, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let mut inputs: Vec<String> = Vec::new();
    let sample = std::fs::read_dir(&args.sample).with_context(|| {
        format!(
            "no sample corpus at {} (run from lede's repository, or give --sample DIR)",
            args.sample.display()
        )
    })?;
    let mut files: Vec<_> = sample
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    inputs.extend(files.iter().map(|p| p.display().to_string()));
    if !args.seed.exists() {
        anyhow::bail!("no seed page at {} (give --seed FILE)", args.seed.display());
    }
    inputs.push(args.seed.display().to_string());

    let bar = crate::store_cmds::IngestBar::new(&inputs);
    let progress = |p: lede_engine::Progress| {
        if let Some(bar) = &bar {
            bar.update(p);
        }
    };
    let reader = lede_ingest::PageReader::default();
    let summary = lede_engine::ingest(
        data,
        &reader,
        &Extractor::default(),
        &inputs,
        &IngestOptions::default(),
        &progress,
    )
    .with_context(|| format!("ingest into {} failed", data.display()))?;
    if let Some(bar) = &bar {
        bar.set_message("grouping near-duplicates, tracing the seed");
    }
    let library = Library::open(data)?;
    let stats = library.stats()?;
    let dups = library.dups(&DupsOptions { threshold: None, window_days: Some(3) })?;
    for e in &dups.damaged {
        eprintln!("lede: {e} (left out of the groups)");
    }
    let dups = dups.groups;
    // The stories told by the most outlets: what the grouping is for.
    let mut stories =
        library.stories(&StoryFilter { since: None, min_size: 2, limit: usize::MAX })?;
    stories.sort_by(|a, b| b.outlets.len().cmp(&a.outlets.len()).then(b.size.cmp(&a.size)));
    stories.truncate(5);
    // The newest quotes whose speaker is known: a demo should show who said what.
    let quotes: Vec<_> =
        library.quotes(None, 50)?.into_iter().filter(|q| q.speaker.is_some()).take(5).collect();
    let seed = Analyzer::default()
        .analyze(&lede_ingest::Source::parse(&args.seed.display().to_string()))?;
    let trace = library.trace_article(&seed.extraction.article, None)?;
    if let Some(bar) = bar {
        bar.finish();
    }

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} records read in {:.1} s: {} added, {} already stored; {} failed",
        summary.seen, summary.seconds, summary.added, summary.duplicates, summary.failed
    )?;
    writeln!(
        out,
        "store {}: {} articles from {} outlets, {} entities, {} quotes, {} stories, {} near-duplicate groups",
        data.display(),
        stats.store.articles,
        stats.store.outlets,
        stats.store.entities,
        stats.store.quotes,
        stats.store.stories,
        dups.len()
    )?;
    writeln!(out, "\nstories told by the most outlets:")?;
    for s in &stories {
        writeln!(
            out,
            "  {:>5}  {} articles, {} outlet{}  {}",
            s.id,
            s.size,
            s.outlets.len(),
            if s.outlets.len() == 1 { "" } else { "s" },
            s.label.as_deref().unwrap_or("(no headline)")
        )?;
    }
    writeln!(out, "\nnewest quotes:")?;
    for q in &quotes {
        let text = crate::stories::cut(&q.text, 100);
        writeln!(out, "  {}: \u{201c}{text}\u{201d}", q.speaker.as_deref().unwrap_or("(unnamed)"))?;
    }
    writeln!(
        out,
        "\nthe seed page: {}",
        seed.extraction.article.title.as_deref().unwrap_or("(no headline)")
    )?;
    if trace.composite_suspected {
        // Not "original": the search found nothing, but the page itself shows seams
        // (issue 16); the markers and links printed below are among the signs.
        writeln!(out, "  verdict: no earlier source in this store; signs of a composite:")?;
        let seams = trace.intrinsic.iter().filter(|s| {
            matches!(s.kind, SignalKind::JumpingParagraphs | SignalKind::UnanchoredTime)
        });
        for signal in seams {
            writeln!(out, "    {}", signal.reason())?;
        }
    } else {
        writeln!(
            out,
            "  verdict: {} ({} sources in the store)",
            trace.verdict.as_str(),
            trace.sources.len()
        )?;
    }
    for m in &trace.spin_markers {
        writeln!(
            out,
            "  spin marker: \u{201c}{}\u{201d} where one expects \u{201c}{}\u{201d} ({}x)",
            m.surface, m.expected, m.count
        )?;
    }
    let unrelated: Vec<String> = lede_engine::check_links(&seed.extraction.article)
        .into_iter()
        .filter(|c| !c.related)
        .map(|c| c.title)
        .collect();
    if !unrelated.is_empty() {
        writeln!(out, "  its related links that are not related: {}", unrelated.join("; "))?;
    }
    out.flush()?;
    drop(out);
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    listen(data, args.addr)
}
