//! Turning a DOM subtree into blocks of text: the paragraphs a reader would see.
//!
//! A block is the text between two block-level boundaries (the start or end of a `<p>`,
//! `<div>`, `<li>`, heading, table cell...; two `<br>` in a row). Inline elements (`<a>`,
//! `<span>`, `<em>`) do not break a block. Each block remembers its *owner*, the innermost
//! block-level element it sits in, and how much of its text is inside links, which is what
//! content selection scores.

use super::dom::{Dom, Edge, NodeId};
use super::tag::Tag;
use crate::normalize::{is_invisible, visible_len};

/// What kind of element a block comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    Quote,
    Preformatted,
    Cell,
    Other,
}

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The text, white space collapsed; a single `<br>` is kept as a line break.
    pub(crate) text: String,
    /// The innermost block-level element holding the text.
    pub(crate) owner: NodeId,
    pub(crate) kind: BlockKind,
    /// Characters that are not white space.
    pub(crate) chars: usize,
    /// Of those, how many are inside links.
    pub(crate) link_chars: usize,
    /// Of those, how many are inside `<time>` elements.
    pub(crate) time_chars: usize,
    /// Whether the block's first visible character is inside a link (a headline link).
    pub(crate) starts_with_link: bool,
}

impl Block {
    /// Share of the text inside links, 0 to 1.
    pub(crate) fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f32 / self.chars as f32 }
    }
}

/// Whether an element starts and ends a block.
pub(crate) fn is_block_level(tag: Tag) -> bool {
    use Tag::*;
    !matches!(
        tag,
        A | Abbr
            | B
            | Br
            | Cite
            | Code
            | Del
            | Em
            | Font
            | I
            | Img
            | Ins
            | Label
            | Mark
            | Q
            | S
            | Samp
            | Small
            | Span
            | Strike
            | Strong
            | Sub
            | Sup
            | Time
            | Tt
            | U
            | Var
            | Wbr
            | Picture
            | Source
            | Output
            | Map
    )
}

/// The blocks of the subtree at `top`, in document order, skipping subtrees for which
/// `skip` is true.
pub(crate) fn blocks(dom: &Dom, top: NodeId, skip: &dyn Fn(NodeId) -> bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut acc = Accumulator::default();
    let mut owners: Vec<NodeId> = vec![top];
    let mut walk = dom.walk(top);
    // The node whose subtree is being skipped: its Close edge is skipped too.
    let mut skipped: Option<NodeId> = None;
    while let Some(edge) = walk.next() {
        match edge {
            Edge::Open(id) => {
                if id != top && skip(id) {
                    walk.skip_children();
                    skipped = Some(id);
                    continue;
                }
                if let Some(t) = dom.text(id) {
                    acc.push_text(t);
                    continue;
                }
                match dom.tag(id) {
                    Some(Tag::Br) => acc.line_break(dom, &owners, &mut out),
                    Some(Tag::A) => acc.links += 1,
                    Some(Tag::Time) => acc.times += 1,
                    Some(Tag::Pre) => {
                        acc.flush(dom, &owners, &mut out);
                        acc.pre += 1;
                        owners.push(id);
                    }
                    Some(tag) if is_block_level(tag) && id != top => {
                        acc.flush(dom, &owners, &mut out);
                        owners.push(id);
                    }
                    _ => {}
                }
            }
            Edge::Close(id) if skipped == Some(id) => skipped = None,
            Edge::Close(id) => match dom.tag(id) {
                Some(Tag::A) => acc.links = acc.links.saturating_sub(1),
                Some(Tag::Time) => acc.times = acc.times.saturating_sub(1),
                Some(tag) if is_block_level(tag) && id != top => {
                    acc.flush(dom, &owners, &mut out);
                    if tag == Tag::Pre {
                        acc.pre = acc.pre.saturating_sub(1);
                    }
                    owners.pop();
                }
                _ => {}
            },
        }
    }
    acc.flush(dom, &owners, &mut out);
    out
}

#[derive(Default)]
struct Accumulator {
    buf: String,
    link_chars: usize,
    time_chars: usize,
    /// Whether the first visible text of the block was inside a link; `None` before it.
    starts_with_link: Option<bool>,
    /// Depth of open `<a>` elements.
    links: usize,
    /// Depth of open `<time>` elements.
    times: usize,
    /// Depth of open `<pre>` elements: white space is kept inside them.
    pre: usize,
    /// Whether the last thing added was a `<br>`.
    after_break: bool,
}

impl Accumulator {
    fn push_text(&mut self, text: &str) {
        if self.starts_with_link.is_none() && !text.trim().is_empty() {
            self.starts_with_link = Some(self.links > 0);
        }
        if self.links > 0 {
            self.link_chars += visible_len(text);
        }
        if self.times > 0 {
            self.time_chars += visible_len(text);
        }
        if self.after_break && !text.trim().is_empty() {
            self.after_break = false;
        }
        if self.pre > 0 {
            // Inside <pre>, line breaks are the text's own: keep them as breaks.
            self.buf.push_str(&text.replace('\n', "\u{2028}"));
        } else {
            self.buf.push_str(text);
        }
    }

    /// A `<br>`: a line break, or a block boundary when it follows another.
    fn line_break(&mut self, dom: &Dom, owners: &[NodeId], out: &mut Vec<Block>) {
        if self.after_break {
            self.flush(dom, owners, out);
        } else {
            self.buf.push('\u{2028}');
            self.after_break = true;
        }
    }

    fn flush(&mut self, dom: &Dom, owners: &[NodeId], out: &mut Vec<Block>) {
        self.after_break = false;
        if self.buf.is_empty() {
            return;
        }
        let text = tidy(&self.buf);
        self.buf.clear();
        let link_chars = std::mem::take(&mut self.link_chars);
        let time_chars = std::mem::take(&mut self.time_chars);
        let starts_with_link = self.starts_with_link.take().unwrap_or(false);
        if text.is_empty() {
            return;
        }
        let owner = *owners.last().expect("the top is always an owner");
        let chars = visible_len(&text);
        out.push(Block {
            kind: kind_of(dom, owners),
            text,
            owner,
            chars,
            link_chars: link_chars.min(chars),
            time_chars: time_chars.min(chars),
            starts_with_link,
        });
    }
}

/// Collapses white space within lines, keeps line breaks (written as U+2028 while
/// gathering), drops empty lines.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.split('\u{2028}') {
        let line = crate::normalize::collapse_whitespace(line);
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    if out.chars().all(is_invisible) { String::new() } else { out }
}

/// The block's kind: a quote if any owner is a `<blockquote>`, else the kind of the
/// nearest owner (up to three levels out) that has one.
fn kind_of(dom: &Dom, owners: &[NodeId]) -> BlockKind {
    if owners.iter().any(|&id| dom.tag(id) == Some(Tag::Blockquote)) {
        return BlockKind::Quote;
    }
    for &id in owners.iter().rev().take(3) {
        let kind = match dom.tag(id) {
            Some(Tag::P) => BlockKind::Paragraph,
            Some(Tag::H1) => BlockKind::Heading(1),
            Some(Tag::H2) => BlockKind::Heading(2),
            Some(Tag::H3) => BlockKind::Heading(3),
            Some(Tag::H4) => BlockKind::Heading(4),
            Some(Tag::H5) => BlockKind::Heading(5),
            Some(Tag::H6) => BlockKind::Heading(6),
            Some(Tag::Li | Tag::Dd | Tag::Dt) => BlockKind::ListItem,
            Some(Tag::Pre) => BlockKind::Preformatted,
            Some(Tag::Td | Tag::Th) => BlockKind::Cell,
            _ => continue,
        };
        return kind;
    }
    BlockKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(String, BlockKind, f32)> {
        let dom = Dom::parse(html);
        blocks(&dom, dom.root(), &|_| false)
            .into_iter()
            .map(|b| (b.text.clone(), b.kind, b.link_density()))
            .collect()
    }

    #[test]
    fn splits_at_block_boundaries() {
        let b =
            texts("<div>Intro <b>bold</b><p>Para <a href=x>link</a></p> tail</div><h2>Head</h2>");
        assert_eq!(b[0].0, "Intro bold");
        assert_eq!((b[1].0.as_str(), b[1].1), ("Para link", BlockKind::Paragraph));
        assert!((b[1].2 - 4.0 / 8.0).abs() < 1e-6);
        assert_eq!(b[2].0, "tail");
        assert_eq!(b[3].1, BlockKind::Heading(2));
    }

    #[test]
    fn line_breaks() {
        let b = texts("<p>one<br>two<br><br>three</p>");
        assert_eq!(b.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["one\ntwo", "three"]);
    }

    #[test]
    fn quotes_and_lists() {
        let b = texts("<blockquote><p>Said</p></blockquote><ul><li>a</li></ul><pre>x  y\nz</pre>");
        assert_eq!(b[0].1, BlockKind::Quote);
        assert_eq!(b[1].1, BlockKind::ListItem);
        assert_eq!((b[2].0.as_str(), b[2].1), ("x y\nz", BlockKind::Preformatted));
    }

    #[test]
    fn skips_subtrees() {
        let dom = Dom::parse("<div><p>keep</p><nav><p>drop</p></nav></div>");
        let skip = |id| dom.tag(id) == Some(Tag::Nav);
        let b = blocks(&dom, dom.root(), &skip);
        assert_eq!(b.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(), ["keep"]);
    }
}
