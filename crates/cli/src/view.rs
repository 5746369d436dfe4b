//! The human-readable view of an article, for a terminal.

use lede_engine::Analysis;
use lede_extract::Verdict;
use std::io::{self, Write};

/// Writes the article as a person would want to read it: headline, one line of
/// metadata, captions, the body, related stories.
pub(crate) fn write_article(out: &mut impl Write, analysis: &Analysis) -> io::Result<()> {
    let a = &analysis.extraction.article;
    if let Verdict::NotArticle { reason } = &analysis.extraction.verdict {
        writeln!(out, "[{}: not an article: {reason}]", analysis.origin)?;
    }
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
