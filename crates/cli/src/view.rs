//! The human-readable view of an article, for a terminal.

use lede_engine::Analysis;
use lede_extract::Verdict;
use std::io::{self, Write};

/// Writes the article as a person would want to read it: headline, one line of
/// metadata, captions, the body, related stories.
pub(crate) fn write_article(out: &mut impl Write, analysis: &Analysis) -> io::Result<()> {
    if let Verdict::NotArticle { reason } = &analysis.extraction.verdict {
        writeln!(out, "[{}: not an article: {reason}]", analysis.origin)?;
    }
    write_body(out, &analysis.extraction.article)
}

/// `text` with the `highlights` ranges in bold (ANSI) when `color`, else in «guillemets».
pub(crate) fn highlight(text: &str, highlights: &[std::ops::Range<usize>], color: bool) -> String {
    let (open, close) = if color { ("\x1b[1m", "\x1b[0m") } else { ("«", "»") };
    let mut out = String::with_capacity(text.len() + highlights.len() * 8);
    let mut at = 0;
    for r in highlights {
        let (Some(before), Some(hit)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(hit);
        out.push_str(close);
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out.replace('\n', " ")
}

/// Writes an article: headline, metadata line, captions, body, related stories.
pub(crate) fn write_body(out: &mut impl Write, a: &lede_core::Article) -> io::Result<()> {
    writeln!(out, "{}", a.title.as_deref().unwrap_or("(no headline)"))?;
    let mut meta: Vec<String> = Vec::new();
    if !a.authors.is_empty() {
        meta.push(format!("By {}", a.authors.join(", ")));
    }
    if let Some(p) = &a.published {
        meta.push(p.at.to_string());
    }
    meta.extend(a.outlet.clone());
    meta.extend(a.language.clone());
    if !meta.is_empty() {
        writeln!(out, "{}", meta.join(" · "))?;
    }
    if let Some(url) = &a.url {
        writeln!(out, "{url}")?;
    }
    for c in &a.captions {
        writeln!(out, "  [caption] {c}")?;
    }
    for p in &a.paragraphs {
        writeln!(out, "\n{p}")?;
    }
    if !a.related.is_empty() {
        writeln!(out, "\nRelated:")?;
        for r in &a.related {
            write!(out, "  • {}", r.title)?;
            if let Some(t) = &r.teaser {
                write!(out, " — {t}")?;
            }
            if let Some(u) = &r.url {
                write!(out, " <{u}>")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
