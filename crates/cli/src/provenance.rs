//! `lede trace` and `lede dups`.

use crate::args::{DupsArgs, SpinArgs, TraceArgs};
use crate::outcome::Outcome;
use anyhow::Context;
use lede_engine::ReadBackend;
use lede_engine::{Analyzer, DupsOptions, Library, ProvenanceVerdict, TraceReport};
use lede_extract::Extractor;
use lede_ingest::Source;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn trace(data: &Path, args: &TraceArgs) -> anyhow::Result<ExitCode> {
    let library = Library::open(data)?;
    library.with_reads(|r| trace_in(r, &data.display().to_string(), args))
}

/// `lede trace` against either store (`store_name` names it in messages).
pub(crate) fn trace_in<R: ReadBackend + ?Sized>(
    store: &mut R,
    store_name: &str,
    args: &TraceArgs,
) -> anyhow::Result<ExitCode> {
    let analyzer = Analyzer::new(args.read.reader(), Extractor::default());
    let mut out = io::stdout().lock();
    let mut failed = 0;
    let several = args.articles.len() > 1;
    for key in &args.articles {
        let report = match lede_engine::reads::trace(store, key)? {
            Some(report) => report,
            None if key == "-"
                || Path::new(key).exists()
                || key.starts_with("http://")
                || key.starts_with("https://") =>
            {
                let analysis = analyzer.analyze(&Source::parse(key))?;
                lede_engine::reads::trace_article(store, &analysis.extraction.article, None)?
            }
            None => {
                eprintln!("lede: {key:?} is neither an article in {store_name} nor a file");
                failed += 1;
                continue;
            }
        };
        if args.json {
            if several {
                serde_json::to_writer(&mut out, &report)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &report)?;
            }
            writeln!(out)?;
        } else {
            write_trace(&mut out, &report)?;
        }
    }
    let read = (args.articles.len() - failed) as u64;
    Ok(Outcome { read, failed: failed as u64 }.exit_code(args.strict))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

fn write_trace(out: &mut impl Write, r: &TraceReport) -> io::Result<()> {
    let title = r.title.as_deref().unwrap_or("(no title)");
    writeln!(out, "{title}  [{}]", short(&r.id))?;
    let reused: f64 = r.sources.iter().map(|s| s.coverage).sum();
    let n = r.sources.len();
    if n == 0 {
        writeln!(out, "verdict: {}: no earlier source found in the store", r.verdict.as_str())?;
    } else if r.verdict == ProvenanceVerdict::Original {
        writeln!(
            out,
            "verdict: original: fragments shared with {n} earlier articles cover {:.0}% of its {} words",
            100.0 * reused,
            r.words
        )?;
    } else {
        let (plural, verb) = if n == 1 { ("", "supplies") } else { ("s", "supply") };
        writeln!(
            out,
            "verdict: {}: {n} source{plural} {verb} {:.0}% of its {} words",
            r.verdict.as_str(),
            100.0 * reused,
            r.words
        )?;
    }
    if r.composite_suspected {
        // The verdict is original only for want of a source: say what the text itself
        // shows (issue 16).
        writeln!(out, "composite suspected: the article's own text shows signs of one")?;
        for signal in &r.intrinsic {
            writeln!(out, "  {}", signal.reason())?;
        }
    }
    if !r.spin_evidence.is_empty() {
        let swaps: Vec<String> = r
            .spin_evidence
            .iter()
            .map(|e| {
                let times =
                    if e.occurrences > 1 { format!(" x{}", e.occurrences) } else { String::new() };
                format!("{} -> {}{times}", e.substitution.from, e.substitution.to)
            })
            .collect();
        writeln!(out, "spin score {:.2} (spun from 0.50): {}", r.spin_score, swaps.join(", "))?;
    }
    if !r.sources.is_empty() {
        writeln!(out, "\nsources")?;
        for s in &r.sources {
            writeln!(
                out,
                "  {:>4.0}%  {}  {}  {}  {}",
                100.0 * s.coverage,
                short(&s.id),
                s.published.as_deref().unwrap_or("(undated)"),
                s.outlet.as_deref().unwrap_or("(no outlet)"),
                s.title.as_deref().unwrap_or("(no title)")
            )?;
        }
        writeln!(out, "\npassages")?;
        for p in &r.passages {
            let swaps: Vec<String> =
                p.substitutions.iter().map(|s| format!("{} -> {}", s.from, s.to)).collect();
            write!(
                out,
                "  ¶{} [{}..{}]  from {} ¶{}  similarity {:.2}",
                p.paragraph + 1,
                p.start,
                p.end,
                short(&p.source_id),
                p.source_paragraph + 1,
                p.similarity
            )?;
            if swaps.is_empty() {
                writeln!(out)?;
            } else {
                writeln!(out, "  swapped: {}", swaps.join(", "))?;
            }
        }
    }
    write_reuse(out, r)?;
    if !r.spin_markers.is_empty() {
        writeln!(out, "\nspin markers")?;
        for m in &r.spin_markers {
            writeln!(out, "  \"{}\" x{} (news copy writes: {})", m.surface, m.count, m.expected)?;
        }
    }
    Ok(())
}

/// Paragraph numbers (from 0) as the reader counts them, runs joined: "¶1-12, 14".
fn paragraphs(ns: impl IntoIterator<Item = usize>) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for n in ns {
        match runs.last_mut() {
            Some((_, last)) if n <= *last + 1 => *last = (*last).max(n),
            _ => runs.push((n, n)),
        }
    }
    let runs: Vec<String> = runs
        .iter()
        .map(|&(a, b)| if a == b { format!("{}", a + 1) } else { format!("{}-{}", a + 1, b + 1) })
        .collect();
    format!("¶{}", runs.join(", "))
}

/// Where the article's passages went: the later articles that reuse them, and the history
/// of each paragraph that has one beyond this article.
fn write_reuse(out: &mut impl Write, r: &TraceReport) -> io::Result<()> {
    if !r.reused_by.is_empty() {
        let n = r.reused_by.len();
        writeln!(out, "\nreused by {n} later article{}", if n == 1 { "" } else { "s" })?;
        for u in &r.reused_by {
            let mut ns: Vec<usize> = u.passages.iter().map(|p| p.paragraph).collect();
            ns.dedup();
            let how =
                if u.spun { format!("spun {:.2}", u.spin_score) } else { "copied".to_owned() };
            writeln!(
                out,
                "  {:>4.0}%  {}  {}  {}  {how}  {}  {}",
                100.0 * u.coverage,
                short(&u.id),
                u.published.as_deref().unwrap_or("(undated)"),
                u.outlet.as_deref().unwrap_or("(no outlet)"),
                paragraphs(ns),
                u.title.as_deref().unwrap_or("(no title)")
            )?;
        }
    }
    if r.reused_by_capped {
        writeln!(
            out,
            "  (capped: the search for later reuse stopped at its bounds, {} articles aligned at \
             most, while still finding reuse; more later articles may reuse this one)",
            lede_engine::MAX_REUSERS
        )?;
    }
    // Paragraphs with the same history share a line ("¶3, 7  first seen ..."), so that a
    // copied article's history takes a line or two, not one a paragraph.
    let mut groups: Vec<(Vec<usize>, &lede_engine::PassageHistory)> = Vec::new();
    for h in r.passage_history.iter().filter(|h| h.earlier > 0 || h.copies > 0) {
        let same = |g: &lede_engine::PassageHistory| {
            (&g.first_seen.id, g.copies, g.spun_copies, &g.outlets)
                == (&h.first_seen.id, h.copies, h.spun_copies, &h.outlets)
        };
        match groups.iter_mut().find(|(_, g)| same(g)) {
            Some((ns, _)) => ns.push(h.paragraph),
            None => groups.push((vec![h.paragraph], h)),
        }
    }
    if !groups.is_empty() {
        writeln!(out, "\npassage history")?;
    }
    for (ns, h) in groups {
        let first = &h.first_seen;
        let here = if first.id == r.id { " (here)" } else { "" };
        writeln!(
            out,
            "  {}  first seen {} {} {}{here}; {} cop{}, {} spun; outlets: {}",
            paragraphs(ns),
            first.published.as_deref().unwrap_or("(undated)"),
            first.outlet.as_deref().unwrap_or("(no outlet)"),
            short(&first.id),
            h.copies,
            if h.copies == 1 { "y" } else { "ies" },
            h.spun_copies,
            if h.outlets.is_empty() { "(none named)".to_owned() } else { h.outlets.join(", ") }
        )?;
    }
    Ok(())
}

pub(crate) fn dups(data: &Path, args: &DupsArgs) -> anyhow::Result<ExitCode> {
    let library = Library::open(data)?;
    let options = DupsOptions { threshold: Some(args.threshold), window_days: args.window };
    let dups =
        library.dups(&options).with_context(|| format!("near-duplicates in {}", data.display()))?;
    print_dups(dups, args)
}

/// Prints near-duplicate groups (embedded or cluster mode) as `lede dups` does.
pub(crate) fn print_dups(dups: lede_engine::Dups, args: &DupsArgs) -> anyhow::Result<ExitCode> {
    // A damaged sketch is reported, never skipped in silence; the rest is still grouped.
    for e in &dups.damaged {
        eprintln!("lede: {e} (left out of the groups)");
    }
    let groups = dups.groups;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &groups)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if groups.is_empty() {
        writeln!(out, "no near-duplicates")?;
    }
    for g in &groups {
        writeln!(out, "{} articles, similarity {:.2}", g.ids.len(), g.similarity)?;
        for m in &g.members {
            writeln!(
                out,
                "  {}  {}  {}  {}",
                short(&m.id),
                m.published.as_deref().unwrap_or("(undated)"),
                m.outlet.as_deref().unwrap_or("(no outlet)"),
                m.title.as_deref().unwrap_or("(no title)")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn spin(data: &Path, args: &SpinArgs) -> anyhow::Result<ExitCode> {
    let library = Library::open(data)?;
    let bar = io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} traced, ETA {eta}")
                .expect("a valid progress template"),
        );
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let mut pairs = library
        .learn_substitutions(&progress)
        .with_context(|| format!("tracing the articles in {}", data.display()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    pairs.retain(|p| p.articles >= args.min_articles);
    pairs.truncate(args.limit);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &pairs)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if pairs.is_empty() {
        writeln!(out, "no word swaps seen in {} or more articles", args.min_articles)?;
    }
    for p in &pairs {
        writeln!(out, "{:>6} articles {:>6} times  {} -> {}", p.articles, p.count, p.from, p.to)?;
    }
    Ok(ExitCode::SUCCESS)
}
