//! The human-readable view of an article, for a terminal.

use lede_core::{Annotations, Quote};
use lede_engine::Analysis;
use lede_extract::Verdict;
use std::io::{self, Write};

/// Entities named on the line after the body; the rest are counted.
const SHOWN_ENTITIES: usize = 12;

/// Writes the article as a person would want to read it: headline, one line of
/// metadata, captions, the body, who is in it and who said what, related stories.
pub(crate) fn write_article(out: &mut impl Write, analysis: &Analysis) -> io::Result<()> {
    if let Verdict::NotArticle { reason } = &analysis.extraction.verdict {
        writeln!(out, "[{}: not an article: {reason}]", analysis.origin)?;
    }
    write_body(out, &analysis.extraction.article, &analysis.annotations)
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

/// Writes an article: headline, metadata line, captions, body, entities and quotes,
/// related stories.
pub(crate) fn write_body(
    out: &mut impl Write,
    a: &lede_core::Article,
    annotations: &Annotations,
) -> io::Result<()> {
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
    write_annotations(out, annotations)?;
    if !a.related.is_empty() {
        writeln!(out, "\nRelated:")?;
        let checks = lede_engine::check_links(a);
        for (r, check) in a.related.iter().zip(&checks) {
            let mark = if check.related { "" } else { "[unrelated] " };
            write!(out, "  • {mark}{}", r.title)?;
            if let Some(t) = &r.teaser {
                write!(out, " — {t}")?;
            }
            if let Some(u) = &r.url {
                write!(out, " <{u}>")?;
            }
            writeln!(out)?;
        }
        let unrelated = checks.iter().filter(|c| !c.related).count();
        if unrelated > 0 {
            writeln!(
                out,
                "  ({unrelated} of {} related links share almost no words with the article)",
                checks.len()
            )?;
        }
    }
    Ok(())
}

/// The most mentioned entities on one line, then one line per quote.
fn write_annotations(out: &mut impl Write, annotations: &Annotations) -> io::Result<()> {
    let entities = &annotations.entities;
    if !entities.is_empty() {
        let names: Vec<&str> =
            entities.iter().take(SHOWN_ENTITIES).map(|e| e.name.as_str()).collect();
        write!(out, "\nPeople, organisations, places: {}", names.join(", "))?;
        if entities.len() > SHOWN_ENTITIES {
            write!(out, " and {} more", entities.len() - SHOWN_ENTITIES)?;
        }
        writeln!(out)?;
    }
    if !annotations.quotes.is_empty() {
        writeln!(out, "\nQuotes:")?;
        for q in &annotations.quotes {
            writeln!(out, "  {}", quote_line(q))?;
        }
    }
    Ok(())
}

/// `“text” — speaker (cue)`; reported speech without quotation marks, marked indirect.
fn quote_line(q: &Quote) -> String {
    let speaker = q.speaker.as_deref().unwrap_or(UNNAMED);
    format!(
        "{} — {speaker}{}",
        quoted(&q.text, q.direct, usize::MAX),
        how(q.cue.as_deref(), q.direct)
    )
}

/// What a quote's speaker is called when the article names no one.
pub(crate) const UNNAMED: &str = "(unnamed)";

/// The words of a quote on one line, in quotation marks when they are quoted words, cut
/// after `max` characters.
pub(crate) fn quoted(text: &str, direct: bool, max: usize) -> String {
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
        text.push('…');
    }
    if direct { format!("“{text}”") } else { text }
}

/// ` (cue)`, ` (cue, indirect)`, ` (indirect)` or nothing.
pub(crate) fn how(cue: Option<&str>, direct: bool) -> String {
    match (cue, direct) {
        (Some(cue), true) => format!(" ({cue})"),
        (Some(cue), false) => format!(" ({cue}, indirect)"),
        (None, true) => String::new(),
        (None, false) => " (indirect)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_read_on_one_line() {
        let q = Quote {
            text: "No.\nNo".into(),
            speaker: Some("Donald Trump".into()),
            cue: Some("said".into()),
            paragraph: 0,
            start: 0,
            end: 6,
            direct: true,
        };
        assert_eq!(quote_line(&q), "“No. No” — Donald Trump (said)");
        let q = Quote { speaker: None, cue: None, direct: false, ..q };
        assert_eq!(quote_line(&q), "No. No — (unnamed) (indirect)");
        assert_eq!(quoted("a quote that goes on", true, 7), "“a quote…”");
    }
}
