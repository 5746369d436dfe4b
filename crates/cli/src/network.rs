//! `lede outlets` and `lede authors` (issue 16): the outlet copy network and the bylines,
//! from one trace of the store ([`lede_engine::reads::outlet_network`]), in either store.

use crate::args::{AuthorsArgs, OutletsArgs};
use anyhow::Context;
use lede_engine::{
    Authors, BylineFlag, Network, NetworkOptions, NetworkReport, ReadBackend, SpinGroup,
};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) fn outlets(data: &Path, args: &OutletsArgs) -> anyhow::Result<ExitCode> {
    let library = lede_engine::Library::open(data)?;
    library.with_reads(|r| outlets_of(r, args))
}

pub(crate) fn authors(data: &Path, args: &AuthorsArgs) -> anyhow::Result<ExitCode> {
    let library = lede_engine::Library::open(data)?;
    library.with_reads(|r| authors_of(r, args))
}

/// `lede outlets` over either store.
pub(crate) fn outlets_of<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &OutletsArgs,
) -> anyhow::Result<ExitCode> {
    let report = trace_store(store, args.sample)?;
    let network = &report.network;
    if let Some(path) = &args.graphml {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut w = io::BufWriter::new(file);
        write_graphml(&mut w, network)
            .and_then(|()| w.flush())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, network)?;
        writeln!(out)?;
    } else {
        write_network(&mut out, network, args.limit)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `lede authors` over either store.
pub(crate) fn authors_of<R: ReadBackend + ?Sized>(
    store: &mut R,
    args: &AuthorsArgs,
) -> anyhow::Result<ExitCode> {
    let report = trace_store(store, args.sample)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report.authors)?;
        writeln!(out)?;
    } else {
        write_authors(&mut out, &report.authors, args.limit)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Traces the store with a progress bar on a terminal, and says on standard error how
/// long it took (the cost grows with the store: `--sample` bounds it).
fn trace_store<R: ReadBackend + ?Sized>(
    store: &mut R,
    sample: Option<usize>,
) -> anyhow::Result<NetworkReport> {
    let bar = io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} traced, ETA {eta}")
                .expect("a valid progress template"),
        );
        bar
    });
    let started = Instant::now();
    let mut progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let report =
        lede_engine::reads::outlet_network(store, &NetworkOptions { sample }, &mut progress)
            .context("tracing the stored articles")?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    let traced = report.network.traced;
    eprintln!(
        "lede: traced {traced} of {} articles in {secs:.1} s ({:.1} ms an article)",
        report.network.articles,
        secs * 1000.0 / traced.max(1) as f64
    );
    Ok(report)
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "undated".to_owned(), |d| format!("{d:.1} d"))
}

fn write_network(out: &mut impl Write, n: &Network, limit: usize) -> io::Result<()> {
    writeln!(
        out,
        "{} articles in {} outlets, {} traced; {} copy edges, {} groups",
        n.articles,
        n.outlets.len(),
        n.traced,
        n.edges.len(),
        n.groups.len()
    )?;
    writeln!(out, "\noutlets (most articles first):")?;
    for o in n.outlets.iter().take(limit) {
        write!(out, "  {}: {} articles", o.name, o.articles)?;
        if o.traced != o.articles {
            write!(out, " ({} traced)", o.traced)?;
        }
        write!(out, ", {} reused", percent(o.reused_share))?;
        if !o.from.is_empty() {
            let from: Vec<String> = o
                .from
                .iter()
                .take(3)
                .map(|f| format!("{} {}", f.outlet, percent(f.share)))
                .collect();
            write!(out, " ({}), median lag {}", from.join(", "), days(o.median_lag_days))?;
        }
        write!(out, "; {} of its articles reused by others", o.reused_by_others)?;
        write!(out, "; spun {}/{}", o.spun_articles, o.traced)?;
        if !o.bylines.is_empty() {
            let names: Vec<&str> = o.bylines.iter().take(3).map(|b| b.name.as_str()).collect();
            write!(out, "; bylines: {}", names.join(", "))?;
            if o.byline_count > names.len() {
                write!(out, " and {} more", o.byline_count - names.len())?;
            }
        }
        if let Some(g) = o.group {
            write!(out, " [group {}]", g + 1)?;
        }
        writeln!(out)?;
    }
    if n.outlets.len() > limit {
        writeln!(out, "  ... {} more (--limit, --json)", n.outlets.len() - limit)?;
    }
    writeln!(out, "\ncopy edges (copier -> source, most words first):")?;
    if n.edges.is_empty() {
        writeln!(out, "  none: no outlet's article reuses another outlet's earlier one")?;
    }
    for e in n.edges.iter().take(limit) {
        writeln!(
            out,
            "  {} -> {}: {} articles, {} words, median lag {}, spun {} ({})",
            e.copier,
            e.source,
            e.articles,
            e.words,
            days(e.median_lag_days),
            e.spun_articles,
            percent(e.spun_share)
        )?;
        // The largest copy behind it, by record id where the input gave one.
        if let Some(p) = e.pairs.first() {
            let named = |a: &lede_engine::ArticleRef| a.record_id.clone().unwrap_or(a.id.clone());
            writeln!(
                out,
                "    e.g. {} <- {} ({} words{})",
                named(&p.copy),
                named(&p.source),
                p.words,
                if p.spun { ", spun" } else { "" }
            )?;
        }
    }
    if n.edges.len() > limit {
        writeln!(out, "  ... {} more (--limit, --json)", n.edges.len() - limit)?;
    }
    writeln!(out, "\ngroups that republish each other's spun copies:")?;
    if n.groups.is_empty() {
        writeln!(out, "  none")?;
    }
    for (i, g) in n.groups.iter().enumerate() {
        write_group(out, i, g)?;
    }
    Ok(())
}

fn write_group(out: &mut impl Write, i: usize, g: &SpinGroup) -> io::Result<()> {
    writeln!(out, "  group {} (score {:.2}): {}", i + 1, g.score, g.outlets.join(", "))?;
    writeln!(
        out,
        "    {} spun copies, {} shared spun sources; median lag {}, shared copies {} apart",
        g.spun_copies,
        g.shared_spun_sources,
        days(g.median_lag_days),
        days(g.median_spread_days)
    )?;
    for e in g.examples.iter().take(3) {
        writeln!(
            out,
            "    {:?} ({}) spun by {}",
            e.title.as_deref().or(e.record_id.as_deref()).unwrap_or(&e.id),
            e.outlet,
            e.spun_by.join(", ")
        )?;
    }
    if !g.spun_from.is_empty() {
        let from: Vec<String> =
            g.spun_from.iter().map(|f| format!("{} ({})", f.name, f.articles)).collect();
        writeln!(out, "    spun from: {}", from.join(", "))?;
    }
    if !g.shared_swaps.is_empty() {
        let swaps: Vec<String> = g
            .shared_swaps
            .iter()
            .take(5)
            .map(|s| format!("{} -> {} ({} outlets)", s.from, s.to, s.outlets.len()))
            .collect();
        writeln!(out, "    shared swaps: {}", swaps.join(", "))?;
    }
    if !g.shared_bylines.is_empty() {
        writeln!(out, "    shared bylines: {}", g.shared_bylines.join(", "))?;
    }
    Ok(())
}

fn write_authors(out: &mut impl Write, a: &Authors, limit: usize) -> io::Result<()> {
    writeln!(
        out,
        "{} articles, {} without a byline; {} bylines; {} left out as too long to be names",
        a.articles,
        a.unsigned,
        a.bylines.len(),
        a.bylines_ignored
    )?;
    if a.traced != a.articles {
        writeln!(out, "reuse from {} traced articles", a.traced)?;
    }
    writeln!(out, "\nbylines (most articles first):")?;
    let line = |out: &mut dyn Write, b: &lede_engine::BylineStats| -> io::Result<()> {
        let at: Vec<String> =
            b.outlets.iter().take(5).map(|o| format!("{} ({})", o.name, o.articles)).collect();
        write!(out, "  {}: {} articles at {}", b.name, b.articles, at.join(", "))?;
        if b.outlets.len() > 5 {
            write!(out, " and {} more outlets", b.outlets.len() - 5)?;
        }
        write!(out, "; {} reused", percent(b.reused_share))?;
        for f in &b.flags {
            match f {
                BylineFlag::AcrossUnrelatedOutlets => {
                    let pairs: Vec<String> =
                        b.unrelated_outlets.iter().take(3).map(|p| p.join(" / ")).collect();
                    write!(out, "; ACROSS UNRELATED OUTLETS ({})", pairs.join(", "))?;
                }
                BylineFlag::BorrowedText => write!(out, "; BORROWED TEXT")?,
            }
        }
        writeln!(out)
    };
    for b in a.bylines.iter().take(limit) {
        line(out, b)?;
    }
    if a.bylines.len() > limit {
        writeln!(out, "  ... {} more (--limit, --json)", a.bylines.len() - limit)?;
    }
    let flagged: Vec<_> = a.bylines.iter().filter(|b| !b.flags.is_empty()).collect();
    writeln!(out, "\nflagged bylines: {}", flagged.len())?;
    for b in flagged.iter().take(limit) {
        line(out, b)?;
    }
    writeln!(
        out,
        "\noutlets whose bylines appear nowhere else while their text is mostly reused:"
    )?;
    if a.exclusive_bylines_mostly_reused.is_empty() {
        writeln!(out, "  none")?;
    }
    for o in &a.exclusive_bylines_mostly_reused {
        writeln!(
            out,
            "  {}: {} reused (from {}); bylines: {}",
            o.outlet,
            percent(o.reused_share),
            o.from.join(", "),
            o.bylines.join(", ")
        )?;
    }
    Ok(())
}

/// Text as XML character data or an attribute value: the five markup characters escaped,
/// and the control characters XML 1.0 forbids dropped (an outlet name is page text).
fn xml(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\t' | '\n' | '\r' => s.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => s.push(c),
        }
    }
    s
}

/// The copy graph as GraphML: a directed graph, one node per outlet (`n0`, `n1`, ... in
/// [`Network::outlets`]' order) and one edge per copy edge, copier to source, `weight`
/// its words; an unknown lag is left out rather than written as a number.
pub(crate) fn write_graphml(w: &mut impl Write, n: &Network) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let keys = [
        ("label", "node", "string"),
        ("articles", "node", "long"),
        ("traced", "node", "long"),
        ("reused_share", "node", "double"),
        ("reused_by_others", "node", "long"),
        ("spin_rate", "node", "double"),
        ("group", "node", "int"),
        ("e_articles", "edge", "long"),
        ("words", "edge", "long"),
        ("weight", "edge", "double"),
        ("median_lag_days", "edge", "double"),
        ("spun_articles", "edge", "long"),
        ("spun_share", "edge", "double"),
    ];
    for (id, on, ty) in keys {
        // Node and edge keys need distinct ids; the edge's article count is named
        // "articles" all the same.
        let name = id.strip_prefix("e_").unwrap_or(id);
        writeln!(w, r#"  <key id="{id}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    writeln!(w, r#"  <graph id="outlets" edgedefault="directed">"#)?;
    let mut index = std::collections::HashMap::new();
    for (i, o) in n.outlets.iter().enumerate() {
        index.insert(o.name.as_str(), i);
        writeln!(w, r#"    <node id="n{i}">"#)?;
        writeln!(w, r#"      <data key="label">{}</data>"#, xml(&o.name))?;
        writeln!(w, r#"      <data key="articles">{}</data>"#, o.articles)?;
        writeln!(w, r#"      <data key="traced">{}</data>"#, o.traced)?;
        writeln!(w, r#"      <data key="reused_share">{}</data>"#, o.reused_share)?;
        writeln!(w, r#"      <data key="reused_by_others">{}</data>"#, o.reused_by_others)?;
        writeln!(w, r#"      <data key="spin_rate">{}</data>"#, o.spin_rate)?;
        writeln!(w, r#"      <data key="group">{}</data>"#, o.group.map_or(-1, |g| g as i64))?;
        writeln!(w, "    </node>")?;
    }
    for (i, e) in n.edges.iter().enumerate() {
        let (Some(c), Some(s)) = (index.get(e.copier.as_str()), index.get(e.source.as_str()))
        else {
            continue;
        };
        writeln!(w, r#"    <edge id="e{i}" source="n{c}" target="n{s}">"#)?;
        writeln!(w, r#"      <data key="e_articles">{}</data>"#, e.articles)?;
        writeln!(w, r#"      <data key="words">{}</data>"#, e.words)?;
        writeln!(w, r#"      <data key="weight">{}</data>"#, e.words as f64)?;
        if let Some(lag) = e.median_lag_days {
            writeln!(w, r#"      <data key="median_lag_days">{lag}</data>"#)?;
        }
        writeln!(w, r#"      <data key="spun_articles">{}</data>"#, e.spun_articles)?;
        writeln!(w, r#"      <data key="spun_share">{}</data>"#, e.spun_share)?;
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}
