//! `lede quotes` and `lede entities`: who said what, and who is named, across the store.

use crate::args::{EntitiesArgs, QuotesArgs};
use crate::view;
use lede_core::EntityKind;
use lede_engine::ReadBackend;
use lede_engine::{EntityFilter, Library};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Characters of a quote shown on its line (the JSON has all of it).
const SHOWN_CHARS: usize = 160;

/// Says on standard error when some stored articles have not been read for entities and
/// quotes yet (a store written by an older lede).
fn warn_if_pending<R: ReadBackend + ?Sized>(store: &mut R) -> anyhow::Result<()> {
    if store.annotations_pending()? {
        eprintln!(
            "lede: warning: articles stored by an older lede have no entities or quotes yet; \
             the next `lede ingest` reads them"
        );
    }
    Ok(())
}

pub(crate) fn quotes(data: &Path, args: &QuotesArgs) -> anyhow::Result<ExitCode> {
    Library::open(data)?.with_reads(|r| quotes_of(r, args))
}

/// `lede quotes` from either store.
pub(crate) fn quotes_of<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &QuotesArgs,
) -> anyhow::Result<ExitCode> {
    warn_if_pending(store)?;
    let speaker = args.speaker.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let quotes = lede_engine::reads::quotes(store, speaker, args.limit)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &quotes)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if quotes.is_empty() {
        match speaker {
            Some(s) => writeln!(out, "no quotes by {s:?}")?,
            None => writeln!(out, "no quotes")?,
        }
    }
    for q in &quotes {
        let date = q.published.as_deref().map_or("(undated)", |p| p.get(..10).unwrap_or(p));
        writeln!(
            out,
            "{date:<10}  {}: {}{}  [{}]",
            q.speaker.as_deref().unwrap_or(view::UNNAMED),
            view::quoted(&q.text, q.direct, SHOWN_CHARS),
            view::how(q.cue.as_deref(), q.direct),
            &q.article_id[..12]
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn entities(data: &Path, args: &EntitiesArgs) -> anyhow::Result<ExitCode> {
    Library::open(data)?.with_reads(|r| entities_of(r, args))
}

/// `lede entities` from either store.
pub(crate) fn entities_of<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &EntitiesArgs,
) -> anyhow::Result<ExitCode> {
    warn_if_pending(store)?;
    // clap allows only the three kinds.
    let kind = args.kind.as_deref().and_then(EntityKind::parse);
    let entities = store.entities(&EntityFilter { kind, limit: args.limit })?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &entities)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if entities.is_empty() {
        writeln!(out, "no entities")?;
    }
    for e in &entities {
        writeln!(
            out,
            "{:>7} articles {:>8} mentions  {:<12}  {}",
            e.articles,
            e.mentions,
            e.kind.as_str(),
            e.name
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
