//! `lede stories` and `lede story`: which articles tell the same story, and how stories
//! relate.

use crate::args::{StoriesArgs, StoryArgs};
use crate::store_cmds::bound;
use lede_engine::ReadBackend;
use lede_engine::reads::{AlsoIn, LinkedStory};
use lede_engine::{Library, StoryDetail, StoryFilter, StoryJson};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Characters of a label or quote shown on a line (the JSON has all of it).
const SHOWN_CHARS: usize = 100;

fn warn_if_pending<R: ReadBackend + ?Sized>(store: &mut R) -> anyhow::Result<()> {
    if lede_engine::reads::stories_pending(store)? {
        eprintln!(
            "lede: warning: some stored articles are in no story yet (stored by an older lede, \
             or by an interrupted ingest); the next `lede ingest` clusters them"
        );
    }
    Ok(())
}

fn day(date: Option<&str>) -> &str {
    date.map_or("(undated)", |d| d.get(..10).unwrap_or(d))
}

/// `text` cut to `n` characters, with an ellipsis if anything was cut.
pub(crate) fn cut(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

pub(crate) fn stories(data: &Path, args: &StoriesArgs) -> anyhow::Result<ExitCode> {
    Library::open(data)?.with_reads(|r| list(r, args))
}

/// `lede stories` from either store.
pub(crate) fn list<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &StoriesArgs,
) -> anyhow::Result<ExitCode> {
    warn_if_pending(store)?;
    let since = args.since.as_deref().map(|d| bound(d, false)).transpose()?;
    let limit = if args.limit == 0 { usize::MAX } else { args.limit };
    let filter = StoryFilter { since, min_size: args.min_size, limit };
    let stories = lede_engine::reads::stories(store, &filter)?;
    let also_in: Vec<Vec<AlsoIn>> = if args.also_in {
        stories
            .iter()
            .map(|s| lede_engine::reads::also_in(store, s.id))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let mut out = io::stdout().lock();
    if args.json {
        if args.also_in {
            let rows: Vec<StoriesOut<'_>> = stories
                .iter()
                .zip(&also_in)
                .map(|(story, also_in)| StoriesOut { story, also_in })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
        } else {
            serde_json::to_writer_pretty(&mut out, &stories)?;
        }
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if stories.is_empty() {
        writeln!(out, "no stories of {} articles or more", args.min_size)?;
    }
    for (i, s) in stories.iter().enumerate() {
        writeln!(
            out,
            "{:>7}  {:>4} articles {:>3} outlets  {} .. {}  {}",
            s.id,
            s.size,
            s.outlets.len(),
            day(s.first_seen.as_deref()),
            day(s.last_seen.as_deref()),
            cut(s.label.as_deref().unwrap_or("(no headline)"), SHOWN_CHARS)
        )?;
        if let Some(links) = also_in.get(i)
            && !links.is_empty()
        {
            let langs: Vec<String> =
                links.iter().map(|a| format!("{} {}", a.lang, a.story)).collect();
            writeln!(out, "         also in: {}", langs.join(", "))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `lede stories --json --also-in`: each story and, last, its stories in other languages.
#[derive(serde::Serialize)]
struct StoriesOut<'a> {
    #[serde(flatten)]
    story: &'a StoryJson,
    also_in: &'a [AlsoIn],
}

pub(crate) fn story(data: &Path, args: &StoryArgs) -> anyhow::Result<ExitCode> {
    Library::open(data)?.with_reads(|r| show(r, args))
}

/// `lede story` from either store.
pub(crate) fn show<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &StoryArgs,
) -> anyhow::Result<ExitCode> {
    warn_if_pending(store)?;
    let key = args.id.trim();
    // A number is a story id; anything else (or a number that is no story) an article.
    let mut detail = match key.parse::<u64>() {
        Ok(id) => lede_engine::reads::story(store, lede_core::StoryId(id))?,
        Err(_) => None,
    };
    if detail.is_none()
        && let Some(article) = store.find(key)?
    {
        detail = lede_engine::reads::story_of_article(store, article.seq)?;
    }
    let Some(detail) = detail else {
        eprintln!("lede: no story {key:?} (a story id from `lede stories`, or an article)");
        return Ok(ExitCode::FAILURE);
    };
    for d in &detail.damaged {
        eprintln!("lede: {d}");
    }
    let also_in = lede_engine::reads::also_in(store, detail.story.id)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &LinkedStory { detail, also_in })?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_story(&mut out, &detail)?;
    print_also_in(&mut out, &also_in)?;
    Ok(ExitCode::SUCCESS)
}

fn print_also_in(out: &mut impl Write, also_in: &[AlsoIn]) -> io::Result<()> {
    writeln!(
        out,
        "
also in other languages:"
    )?;
    if also_in.is_empty() {
        writeln!(out, "  none found")?;
    }
    for a in also_in {
        writeln!(
            out,
            "  {:>7}  {}  {:.2}  {} ({} articles)",
            a.story,
            a.lang,
            a.score,
            cut(a.label.as_deref().unwrap_or("(no headline)"), SHOWN_CHARS),
            a.size
        )?;
    }
    Ok(())
}

fn print_story(out: &mut impl Write, d: &StoryDetail) -> io::Result<()> {
    let s = &d.story;
    writeln!(out, "story {}: {}", s.id, s.label.as_deref().unwrap_or("(no headline)"))?;
    writeln!(
        out,
        "{} articles, {} outlets, {} .. {}",
        s.size,
        s.outlets.len(),
        day(s.first_seen.as_deref()),
        day(s.last_seen.as_deref())
    )?;
    if !d.entities.is_empty() {
        let names: Vec<String> =
            d.entities.iter().map(|e| format!("{} ({})", e.name, e.articles)).collect();
        writeln!(out, "names: {}", names.join(", "))?;
    }
    writeln!(out, "\ntimeline:")?;
    for a in &d.timeline {
        writeln!(
            out,
            "  {}  {:<28}  {}  [{}]",
            day(a.published.as_deref()),
            cut(a.outlet.as_deref().unwrap_or("-"), 28),
            cut(a.title.as_deref().unwrap_or("(no headline)"), SHOWN_CHARS),
            a.id.get(..12).unwrap_or(&a.id)
        )?;
    }
    if !d.quotes.is_empty() {
        writeln!(out, "\nquotes:")?;
        for q in &d.quotes {
            let times = if q.times > 1 { format!(" ({}x)", q.times) } else { String::new() };
            writeln!(out, "  {}: \u{201c}{}\u{201d}{times}", q.speaker, cut(&q.text, SHOWN_CHARS))?;
        }
    }
    writeln!(out, "\nrelated stories:")?;
    if d.related.is_empty() {
        writeln!(out, "  none above the bar")?;
    }
    for r in &d.related {
        let mut why = Vec::new();
        if !r.evidence.entities.is_empty() {
            why.push(format!("names: {}", r.evidence.entities.join(", ")));
        }
        if !r.evidence.terms.is_empty() {
            why.push(format!("words: {}", r.evidence.terms.join(", ")));
        }
        if r.evidence.quotes > 0 {
            why.push(format!("{} shared quotes", r.evidence.quotes));
        }
        for q in &r.evidence.quoted {
            why.push(format!("quoted in both: \u{201c}{}\u{201d}", cut(q, SHOWN_CHARS)));
        }
        writeln!(
            out,
            "  {:>7}  {:.2}  {} ({} articles)\n           {}",
            r.id,
            r.score,
            cut(r.label.as_deref().unwrap_or("(no headline)"), SHOWN_CHARS),
            r.size,
            why.join("; ")
        )?;
    }
    Ok(())
}
