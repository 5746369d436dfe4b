//! Reading plain-text news pages: headline, dateline, captions, body, related stories.
//!
//! A plain-text page is laid out the way news pages are when their markup is stripped
//! (the seed page `000_ca0eda4c4917258e.txt` is one):
//!
//! ```text
//! Headline line
//!                                   <- blank lines
//! 16 April, 2017, 00:53 | Author: Cecelia Webb     <- dateline: date and/or byline
//!   • Caption of the photo                         <- bullet lines before the body
//!
//! First paragraph.                                 <- paragraphs: blocks of lines
//!                                                     separated by blank lines
//! Second paragraph.
//!
//!
//!                                                  <- a run of 2+ blank lines, then
//! Related headline                                 <- related items: title line and
//! Teaser line.                                        optional teaser line
//! ```
//!
//! ## What it detects
//! The headline, the dateline (date, time, byline), photo captions, body paragraphs and a
//! trailing block of related stories.
//!
//! ## Signals
//! - Headline: the first line, when it is at most 300 characters, is not a dateline, and
//!   does not end like a sentence (a final `.`) or is short.
//! - Dateline: a line among the first ones after the headline with a date (see `date`) or a
//!   byline marker (`By`, `Author:`), at most 200 characters; parts are split on `|`, `·`,
//!   `•`, `—`.
//! - Captions: lines before the first body paragraph that start with a bullet (`•`, `▪`,
//!   `*`, `-`) or with `Photo:`, `Image:`, `Caption:`.
//! - Related block: after the last run of two or more blank lines, every block is one to
//!   three lines whose first line reads as a headline (at most 200 characters, no final
//!   `.`, `:` or `;`); or any blocks after a line such as `Related stories` or `Read more`.
//!
//! ## Known failures
//! A body paragraph after a double blank line that happens to look like a headline with a
//! teaser is read as a related story; a one-line first paragraph without a final period is
//! read as the headline.
//!
//! ## Example
//! See the seed page and `tests/fixtures/seed/expected.json`.

use crate::byline::{has_marker, parse_byline};
use crate::date::{FoundDate, find_date};
use lede_core::{Article, PageKind, Published, RelatedItem, Span};

/// Where each part of a plain-text page is, as byte spans into the page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TextLayout {
    pub(crate) title: Option<Span>,
    /// Each dateline line.
    pub(crate) datelines: Vec<Span>,
    /// The publication date, its span in page coordinates.
    pub(crate) date: Option<FoundDate>,
    /// Byline parts (after their marker), as written.
    pub(crate) bylines: Vec<Span>,
    pub(crate) captions: Vec<Span>,
    /// Each paragraph as its lines.
    pub(crate) paragraphs: Vec<Vec<Span>>,
    /// Related items as (title line, teaser lines).
    pub(crate) related: Vec<(Span, Vec<Span>)>,
}

impl TextLayout {
    /// Every span of the layout, for checks.
    #[cfg(test)]
    pub(crate) fn spans(&self) -> Vec<Span> {
        let mut all: Vec<Span> = Vec::new();
        all.extend(self.title);
        all.extend(&self.datelines);
        all.extend(self.date.as_ref().map(|d| d.span));
        all.extend(&self.bylines);
        all.extend(&self.captions);
        all.extend(self.paragraphs.iter().flatten());
        for (title, teaser) in &self.related {
            all.push(*title);
            all.extend(teaser);
        }
        all
    }
}

/// A block of consecutive non-blank lines.
struct Block {
    lines: Vec<Span>,
    /// Blank lines before the block.
    gap_before: usize,
}

const BULLETS: &[char] = &['•', '◦', '▪', '▫', '‣', '∙', '●', '○', '■', '□', '*', '-', '–', '·'];
const CAPTION_MARKERS: &[&str] =
    &["photo:", "image:", "caption:", "picture:", "pictured:", "foto:"];
const RELATED_HEADINGS: &[&str] = &[
    "related",
    "related stories",
    "related articles",
    "related news",
    "related coverage",
    "read more",
    "more stories",
    "more news",
    "see also",
    "you may also like",
    "recommended",
    "also read",
    "more from",
    "further reading",
    "what to read next",
    "trending",
];

/// Reads the layout of a plain-text page.
pub(crate) fn layout(text: &str) -> TextLayout {
    let blocks = blocks(text);
    let mut out = TextLayout::default();
    // Lines in reading order, with the block each starts.
    let mut lines: Vec<(usize, Span)> = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        for &line in &block.lines {
            lines.push((b, line));
        }
    }
    let mut i = 0;
    // Headline.
    if let Some(&(_, first)) = lines.first() {
        let s = &text[first.range()];
        let chars = s.chars().count();
        if chars <= 300
            && dateline_parts(s).is_none()
            && !is_caption(s)
            && (!s.ends_with('.') || chars <= 80)
        {
            out.title = Some(first);
            i = 1;
        }
    }
    // Datelines and captions, before the first body line. They may share a block with
    // each other (the seed's dateline and caption do), but not with the headline's
    // following body text.
    while let Some(&(_, line)) = lines.get(i) {
        let s = &text[line.range()];
        if i > 6 {
            break;
        }
        if let Some((date, bylines)) = dateline_parts(s) {
            out.datelines.push(line);
            if out.date.is_none() {
                out.date = date.map(|d| FoundDate { at: d.at, span: d.span.shifted(line.start) });
            }
            out.bylines.extend(bylines.into_iter().map(|b| b.shifted(line.start)));
        } else if is_caption(s) {
            out.captions.push(strip_bullet(text, line));
        } else {
            break;
        }
        i += 1;
    }
    // The body: the rest, block by block, minus a trailing related block.
    let first_body_block = match lines.get(i) {
        Some(&(b, _)) => b,
        None => return out,
    };
    let related_from = related_start(text, &blocks, first_body_block);
    for (b, block) in blocks.iter().enumerate().take(related_from).skip(first_body_block) {
        let body_lines: Vec<Span> = if b == first_body_block {
            lines[i..].iter().filter(|(lb, _)| *lb == b).map(|&(_, l)| l).collect()
        } else {
            block.lines.clone()
        };
        push_paragraphs(text, &body_lines, &mut out.paragraphs);
    }
    for block in &blocks[related_from..] {
        let first = &text[block.lines[0].range()];
        if is_related_heading(first) && block.lines.len() == 1 {
            continue;
        }
        let (title, teaser) = if is_related_heading(first) {
            (block.lines[1], block.lines[2..].to_vec())
        } else {
            (block.lines[0], block.lines[1..].to_vec())
        };
        out.related.push((title, teaser));
    }
    out
}

/// Builds the article from a plain-text page.
pub(crate) fn read_text_page(text: &str) -> Article {
    let layout = layout(text);
    let slice = |s: Span| text[s.range()].to_owned();
    let mut authors: Vec<String> = Vec::new();
    for b in &layout.bylines {
        for name in parse_byline(&text[b.range()]) {
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
    }
    Article {
        kind: PageKind::Text,
        title: layout.title.map(|s| crate::normalize::collapse_whitespace(&text[s.range()])),
        authors,
        published: layout.date.as_ref().map(|d| Published { raw: slice(d.span), at: d.at }),
        captions: layout
            .captions
            .iter()
            .map(|&s| crate::normalize::collapse_whitespace(&text[s.range()]))
            .collect(),
        paragraphs: layout.paragraphs.iter().map(|lines| join_lines(text, lines)).collect(),
        related: layout
            .related
            .iter()
            .map(|(title, teaser)| RelatedItem {
                title: crate::normalize::collapse_whitespace(&text[title.range()]),
                teaser: (!teaser.is_empty()).then(|| join_lines(text, teaser)),
                url: None,
            })
            .collect(),
        ..Article::default()
    }
}

fn join_lines(text: &str, lines: &[Span]) -> String {
    let joined: Vec<&str> = lines.iter().map(|l| text[l.range()].trim()).collect();
    crate::normalize::collapse_whitespace(&joined.join(" "))
}

/// Splits a body block into paragraphs: one per line when every line is a list item, else
/// the whole block.
fn push_paragraphs(text: &str, lines: &[Span], out: &mut Vec<Vec<Span>>) {
    if lines.is_empty() {
        return;
    }
    let all_items = lines.len() > 1 && lines.iter().all(|l| starts_with_bullet(&text[l.range()]));
    if all_items {
        out.extend(lines.iter().map(|&l| vec![l]));
    } else {
        out.push(lines.to_vec());
    }
}

/// Lines grouped into blocks, each line's span trimmed of surrounding white space.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut gap = 0;
    let mut current: Vec<Span> = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = start;
        start += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if trimmed.is_empty() || trimmed.chars().all(crate::normalize::is_invisible) {
            if !current.is_empty() {
                blocks.push(Block { lines: std::mem::take(&mut current), gap_before: gap });
                gap = 0;
            }
            gap += 1;
            continue;
        }
        let s = line_start + lead;
        current.push(Span::new(s, s + trimmed.len()));
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current, gap_before: gap });
    }
    blocks
}

/// The block index where the related-stories section starts (`blocks.len()` if none).
fn related_start(text: &str, blocks: &[Block], body_start: usize) -> usize {
    // An explicit heading ("Related stories") starts the section wherever it is.
    for (b, block) in blocks.iter().enumerate().skip(body_start + 1) {
        if is_related_heading(&text[block.lines[0].range()]) {
            let items = &blocks[b..];
            let count = items.iter().map(|bl| bl.lines.len()).sum::<usize>();
            if count > 1 && items.iter().skip(1).all(|bl| is_related_item(text, bl)) {
                return b;
            }
        }
    }
    // Otherwise: after the last run of two or more blank lines, if every block after it
    // reads as a headline with an optional teaser.
    let Some(gap_at) = (body_start + 1..blocks.len()).rev().find(|&b| blocks[b].gap_before >= 2)
    else {
        return blocks.len();
    };
    if blocks[gap_at..].iter().all(|bl| is_related_item(text, bl)) { gap_at } else { blocks.len() }
}

fn is_related_item(text: &str, block: &Block) -> bool {
    if block.lines.len() > 3 {
        return false;
    }
    let title = text[block.lines[0].range()].trim();
    title.chars().count() <= 200
        && !title.ends_with(['.', ':', ';', ','])
        && !starts_with_bullet(title)
}

fn is_related_heading(line: &str) -> bool {
    let l = line.trim().trim_end_matches([':', '.']).to_lowercase();
    RELATED_HEADINGS.contains(&l.as_str())
}

fn starts_with_bullet(line: &str) -> bool {
    let mut chars = line.trim_start().chars();
    matches!(chars.next(), Some(c) if BULLETS.contains(&c))
        && matches!(chars.next(), Some(c) if c.is_whitespace())
}

fn is_caption(line: &str) -> bool {
    let lower = line.trim_start().to_lowercase();
    starts_with_bullet(line) || CAPTION_MARKERS.iter().any(|m| lower.starts_with(m))
}

/// The caption's span without its bullet or marker.
fn strip_bullet(text: &str, line: Span) -> Span {
    let s = &text[line.range()];
    let mut rest = s.trim_start();
    if starts_with_bullet(rest) {
        rest = rest[rest.chars().next().map_or(0, char::len_utf8)..].trim_start();
    } else if let Some(m) = CAPTION_MARKERS.iter().find(|m| rest.to_lowercase().starts_with(*m)) {
        rest = rest.get(m.len()..).unwrap_or(rest).trim_start();
    }
    let start = line.start + (s.len() - rest.len());
    Span::new(start, line.end)
}

/// A dateline's date and byline parts (spans relative to the line), or `None` when the
/// line is not a dateline.
fn dateline_parts(line: &str) -> Option<(Option<FoundDate>, Vec<Span>)> {
    if line.chars().count() > 200 {
        return None;
    }
    let date = find_date(line);
    let mut bylines = Vec::new();
    let mut offset = 0;
    for part in line.split_inclusive(['|', '•', '·', '—']) {
        let start = offset;
        offset += part.len();
        let body = part.trim_end_matches(['|', '•', '·', '—']);
        let lead = body.len() - body.trim_start().len();
        let body_trim = body.trim();
        let part_span = Span::new(start + lead, start + lead + body_trim.len());
        if date
            .as_ref()
            .is_some_and(|d| d.span.start >= part_span.start && d.span.end <= part_span.end)
        {
            // "Posted on April 16, 2017 by Jane Doe": a byline after the date.
            let after = &line[date.as_ref().map_or(part_span.end, |d| d.span.end)..part_span.end];
            if let Some(pos) = after.to_lowercase().find("by ") {
                let from = part_span.end - after.len() + pos;
                bylines.push(Span::new(from, part_span.end));
            }
            continue;
        }
        // "By the time we arrived…" starts like a byline but names no one.
        if has_marker(body_trim) && !parse_byline(body_trim).is_empty() {
            bylines.push(part_span);
        }
    }
    let short_date_line =
        date.as_ref().is_some_and(|d| d.span.len() * 3 >= line.trim().len() || !bylines.is_empty());
    (short_date_line || (!bylines.is_empty() && line.chars().count() <= 120))
        .then_some((date, bylines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_minimal_page() {
        let page = "A headline\n\nBy Jane Doe\n\nFirst paragraph, with a lot to say.\nStill the first.\n\nSecond one.\n";
        let a = read_text_page(page);
        assert_eq!(a.title.as_deref(), Some("A headline"));
        assert_eq!(a.authors, ["Jane Doe"]);
        assert_eq!(
            a.paragraphs,
            ["First paragraph, with a lot to say. Still the first.", "Second one."]
        );
        assert!(a.related.is_empty());
        assert!(a.published.is_none());
    }

    #[test]
    fn dateline_with_date_and_author_and_caption() {
        let page = "Title here\n\nMarch 3, 2019 | By John Smith\n• A caption.\n\nBody text here.\n";
        let a = read_text_page(page);
        assert_eq!(a.published.as_ref().map(|p| p.at.to_string()).as_deref(), Some("2019-03-03"));
        assert_eq!(a.published.as_ref().map(|p| p.raw.as_str()), Some("March 3, 2019"));
        assert_eq!(a.authors, ["John Smith"]);
        assert_eq!(a.captions, ["A caption."]);
        assert_eq!(a.paragraphs, ["Body text here."]);
    }

    #[test]
    fn posted_on_by() {
        let a = read_text_page("Title\nPosted on 2019-03-03 by Jane Roe\n\nText.\n");
        assert_eq!(a.authors, ["Jane Roe"]);
        assert_eq!(a.published.unwrap().at.to_string(), "2019-03-03");
    }

    #[test]
    fn related_block_after_a_double_gap() {
        let page =
            "Title\n\nBody one.\n\nBody two.\n\n\n\nOther story\nIts teaser.\n\nThird story\n";
        let a = read_text_page(page);
        assert_eq!(a.paragraphs, ["Body one.", "Body two."]);
        assert_eq!(a.related.len(), 2);
        assert_eq!(a.related[0].title, "Other story");
        assert_eq!(a.related[0].teaser.as_deref(), Some("Its teaser."));
        assert_eq!(a.related[1].teaser, None);
    }

    #[test]
    fn a_double_gap_before_body_text_is_not_related() {
        let page = "Title\n\nBody one.\n\n\nBody two ends like a sentence.\n";
        let a = read_text_page(page);
        assert_eq!(a.paragraphs.len(), 2);
        assert!(a.related.is_empty());
    }

    #[test]
    fn related_heading() {
        let page = "Title\n\nBody.\n\nRead more:\n\nA story\n\nAnother story\n";
        let a = read_text_page(page);
        assert_eq!(a.paragraphs, ["Body."]);
        assert_eq!(
            a.related.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
            ["A story", "Another story"]
        );
    }

    #[test]
    fn no_headline_when_the_page_starts_with_a_sentence() {
        let long = "This page starts directly with a long paragraph of body text that is clearly a sentence and not a headline at all.";
        let a = read_text_page(long);
        assert_eq!(a.title, None);
        assert_eq!(a.paragraphs, [long]);
    }

    #[test]
    fn list_items_stay_apart() {
        let a = read_text_page("Title\n\nIntro.\n\n- one\n- two\n");
        assert_eq!(a.paragraphs, ["Intro.", "- one", "- two"]);
    }

    #[test]
    fn crlf_and_odd_spacing() {
        let a = read_text_page("Title\r\n\r\n  Body\twith   tabs.  \r\n");
        assert_eq!(a.title.as_deref(), Some("Title"));
        assert_eq!(a.paragraphs, ["Body with tabs."]);
    }

    proptest::proptest! {
        #[test]
        fn spans_fall_on_char_boundaries(text in "(\\PC|\n|\r|\t| |•|\\|){0,400}") {
            let layout = layout(&text);
            for span in layout.spans() {
                proptest::prop_assert!(span.is_valid_in(&text), "{span:?} in {text:?}");
            }
            let _ = read_text_page(&text);
        }

        #[test]
        fn page_like_text_keeps_every_paragraph(paras in proptest::collection::vec("[A-Za-z][a-z ,]{5,60}\\.", 1..8)) {
            let text = format!("Headline\n\n{}\n", paras.join("\n\n"));
            let a = read_text_page(&text);
            proptest::prop_assert_eq!(a.paragraphs.len(), paras.len());
        }
    }
}
