//! `lede crawl`: a site's sitemaps into the store (issue #14).

use crate::args::CrawlArgs;
use crate::outcome::Outcome;
use crate::store_cmds::IngestBar;
use anyhow::Context;
use lede_engine::{CrawlOptions, CrawlSummary, IngestOptions};
use lede_extract::Extractor;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Errors of each kind listed on standard error (all are in `--json`, up to the
/// engine's cap).
const SHOWN_ERRORS: usize = 10;

pub(crate) fn crawl(data: &Path, args: &CrawlArgs) -> anyhow::Result<ExitCode> {
    // Dates are checked before anything is fetched: a bad one is bad usage.
    let selection = match args.select.selection() {
        Ok(selection) => selection,
        Err(e) => {
            eprintln!("lede: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let reader = args.read.reader();
    let options = CrawlOptions {
        selection,
        max_pages: args.max_pages.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        ingest: IngestOptions { jobs: args.jobs.unwrap_or(0), ..IngestOptions::default() },
        ..CrawlOptions::default()
    };
    let bar = IngestBar::new(&args.sites);
    let progress = |p: lede_engine::Progress| {
        if let Some(bar) = &bar {
            bar.update(p);
        }
    };
    let summary =
        lede_engine::crawl(data, &reader, &Extractor::default(), &args.sites, &options, &progress)
            .with_context(|| format!("crawl into {} failed", data.display()))?;
    if let Some(bar) = bar {
        bar.finish();
    }
    report(&summary, args, None, 0)
}

/// Prints a crawl's summary (as JSON with `--json`, the run added in cluster mode) and its
/// errors, and says how it went. In cluster mode without `--wait`, `run` is the run the
/// pages were published in and `published` how many: they count as read.
pub(crate) fn report(
    summary: &CrawlSummary,
    args: &CrawlArgs,
    run: Option<&str>,
    published: u64,
) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    if args.json {
        let mut json = serde_json::to_value(summary)?;
        if let Some(run) = run {
            json["run"] = serde_json::json!(run);
        }
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, summary, args.max_pages)?;
        if let Some(run) = run.filter(|_| !args.wait) {
            writeln!(out, "published {published} pages for the workers (run {run})")?;
        }
    }
    // Named on standard error whatever the output format (as `lede ingest` does).
    let mut err = io::stderr().lock();
    for e in summary.sitemap_errors.iter().take(SHOWN_ERRORS) {
        writeln!(err, "lede: {e}")?;
    }
    for w in summary.warnings.iter().take(SHOWN_ERRORS) {
        writeln!(err, "lede: warning: {w}")?;
    }
    for e in summary.pages.errors.iter().take(SHOWN_ERRORS) {
        writeln!(err, "lede: {e}")?;
    }
    if summary.pages.failed as usize > SHOWN_ERRORS {
        let more = summary.pages.failed as usize - SHOWN_ERRORS;
        writeln!(err, "lede: … and {more} more failed pages (see --json)")?;
    }
    let mut outcome = outcome(summary);
    outcome.read += published;
    Ok(outcome.exit_code(args.strict))
}

/// Read: every sitemap read whole, every page decided from its sitemap entry (out of
/// range, already stored, disallowed) and every page fetched and read (stored, a
/// duplicate, not an article, or left out by the selection). Failed: every
/// sitemap that could not be read whole and every page that could not be read. So a
/// re-run that finds everything stored reads, and succeeds.
fn outcome(s: &CrawlSummary) -> Outcome {
    let p = &s.pages;
    Outcome {
        read: (s.sitemaps - s.sitemaps_partial)
            + s.out_of_range
            + s.already_stored
            + s.disallowed
            + p.added
            + p.duplicates
            + p.skipped
            + p.filtered,
        failed: s.sitemap_errors.len() as u64 + p.failed,
    }
}

fn write_human(out: &mut impl Write, s: &CrawlSummary, max_pages: Option<u64>) -> io::Result<()> {
    let p = &s.pages;
    writeln!(
        out,
        "{} sitemaps read ({} in part), {} pages listed: {} outside the dates or hosts, {} already stored, \
         {} disallowed by robots.txt, {} fetched",
        s.sitemaps,
        s.sitemaps_partial,
        s.listed,
        s.out_of_range,
        s.already_stored,
        s.disallowed,
        s.fetched
    )?;
    if s.fetched > 0 {
        writeln!(
            out,
            "{} pages read in {:.1} s: {} added, {} duplicates, {} not articles, {} left out \
             (date, language), {} failed",
            p.seen, p.seconds, p.added, p.duplicates, p.skipped, p.filtered, p.failed
        )?;
    }
    if s.max_pages_reached
        && let Some(n) = max_pages
    {
        writeln!(out, "(stopped at --max-pages {n}; run again for the next pages)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crawl_that_finds_everything_stored_succeeds() {
        let rerun =
            CrawlSummary { sitemaps: 2, listed: 5, already_stored: 5, ..Default::default() };
        assert_eq!(outcome(&rerun).exit_code(false), ExitCode::SUCCESS);
    }

    #[test]
    fn a_sitemap_read_in_part_with_nothing_else_fails() {
        let bomb = CrawlSummary {
            sitemaps: 1,
            sitemaps_partial: 1,
            sitemap_errors: vec![lede_engine::IngestError {
                source: "http://x/bomb.xml.gz".into(),
                location: None,
                message: "sitemap larger than 50 MiB".into(),
                retry_after: None,
            }],
            ..Default::default()
        };
        assert_eq!(outcome(&bomb), Outcome { read: 0, failed: 1 });
        assert_eq!(outcome(&bomb).exit_code(false), ExitCode::FAILURE);
    }
}
