//! An arena DOM, built by a forgiving, linear-time tree builder over [`tokenizer`].
//!
//! The tree is a `Vec` of [`Node`]s linked by index (parent, first and last child, next
//! sibling), in document order: a node's descendants follow it. Node 0 is the document.
//! Element nodes keep their [`Tag`], and their name and attributes as ranges into one
//! string arena; text nodes keep a range of decoded text, adjacent character data merged.
//! Nothing is allocated per node. Comments and doctypes are dropped, and so is the text of
//! scripts (except JSON-LD) and styles: nothing downstream reads them.
//!
//! ## The tree builder
//! HTML's tree construction algorithm scans the stack of open elements for scope on every
//! start tag, which is quadratic on deep nesting: 100,000 nested `<div>`s take 13 s in
//! html5ever. Extraction needs the shape the standard gives real pages (implied `</p>`,
//! `</li>`, `</td>`; end tags that close what they match; stray end tags ignored), not
//! every corner of it (no adoption agency, no foster parenting, no implied
//! `<head>`/`<body>`). This builder does that in linear time:
//!
//! - the stack of open elements is capped at [`MAX_DEPTH`]; deeper elements are attached
//!   to the deepest open element instead of nesting further, so every scan is bounded;
//! - the whole tree is capped at [`MAX_NODES`] elements; past it, tags are dropped and
//!   [`Dom::truncated`] is set, while text is still kept.
//!
//! ## Known failures
//! Misnested formatting (`<b><i></b></i>`) closes both at `</b>`; content misplaced inside
//! a `<table>` stays where it was written instead of being moved before the table. Neither
//! changes which text an article has.
//!
//! [`tokenizer`]: super::tokenizer

use super::tag::{RawText, Tag};
use super::tokenizer::{StartTag, TokenSink, tokenize};
use std::ops::Range;

/// Deepest nesting of open elements the builder keeps.
pub(crate) const MAX_DEPTH: usize = 512;
/// Most elements the builder creates.
pub(crate) const MAX_NODES: usize = 1_000_000;

/// Index of a node in its [`Dom`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeId(u32);

impl NodeId {
    /// The position in the arena, for side tables indexed like the DOM.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// A range of the DOM's string arena.
type Str = Range<u32>;

/// One node of the tree.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) parent: Option<NodeId>,
    pub(crate) first_child: Option<NodeId>,
    pub(crate) last_child: Option<NodeId>,
    pub(crate) next_sibling: Option<NodeId>,
    data: NodeData,
}

/// What a node is.
#[derive(Debug)]
enum NodeData {
    Document,
    Element { tag: Tag, name: Str, attrs: Range<u32> },
    Text(Str),
}

/// An element of a [`Dom`]: its kind, name and attributes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    pub(crate) tag: Tag,
    dom: &'a Dom,
    name: &'a Str,
    attrs: &'a Range<u32>,
}

impl<'a> Element<'a> {
    /// The element's name, lower-cased.
    pub(crate) fn name(&self) -> &'a str {
        self.dom.str(self.name)
    }

    /// The value of attribute `name` (lower-case).
    pub(crate) fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The attributes, in order.
    pub(crate) fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let dom = self.dom;
        dom.attrs[self.attrs.start as usize..self.attrs.end as usize]
            .iter()
            .map(move |(n, v)| (dom.str(n), dom.str(v)))
    }

    /// Whether the element has no attributes.
    pub(crate) fn has_no_attrs(&self) -> bool {
        self.attrs.is_empty()
    }
}

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Dom {
    nodes: Vec<Node>,
    attrs: Vec<(Str, Str)>,
    strings: String,
    /// Whether elements were dropped at the [`MAX_NODES`] cap.
    pub(crate) truncated: bool,
}

/// An edge of a depth-first walk: entering or leaving a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Open(NodeId),
    Close(NodeId),
}

impl Dom {
    /// Parses `html`.
    pub(crate) fn parse(html: &str) -> Dom {
        let mut builder = Builder::new(html.len());
        tokenize(html, &mut builder);
        builder.dom
    }

    fn str(&self, r: &Str) -> &str {
        &self.strings[r.start as usize..r.end as usize]
    }

    /// The document node.
    pub(crate) fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// Number of nodes, for side tables.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The id of the node at arena position `index` (`index < len()`). Node ids are in
    /// document order: a node's descendants follow it, before its next sibling.
    pub(crate) fn id_at(&self, index: usize) -> NodeId {
        debug_assert!(index < self.nodes.len());
        NodeId(index as u32)
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The element at `id`, if it is one.
    pub(crate) fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match &self.node(id).data {
            NodeData::Element { tag, name, attrs } => {
                Some(Element { tag: *tag, dom: self, name, attrs })
            }
            _ => None,
        }
    }

    /// The tag at `id`, if it is an element.
    pub(crate) fn tag(&self, id: NodeId) -> Option<Tag> {
        match &self.node(id).data {
            NodeData::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    /// The attribute `name` of the element at `id`.
    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(name))
    }

    /// The text at `id`, if it is a text node.
    pub(crate) fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Text(t) => Some(self.str(t)),
            _ => None,
        }
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).first_child, |&c| self.node(c).next_sibling)
    }

    /// The ancestors of `id`, nearest first, not including `id`.
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), |&p| self.parent(p))
    }

    /// A depth-first walk of the subtree at `id`, as open and close edges. Iterative: deep
    /// trees cannot overflow the stack.
    pub(crate) fn walk(&self, id: NodeId) -> Walk<'_> {
        Walk { dom: self, top: id, next: Some(Edge::Open(id)) }
    }

    /// The nodes of the subtree at `id` in document order, `id` first.
    pub(crate) fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.walk(id).filter_map(|e| match e {
            Edge::Open(n) => Some(n),
            Edge::Close(_) => None,
        })
    }

    /// The elements of the whole document with `tag`, in document order.
    pub(crate) fn elements_by_tag(&self, tag: Tag) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len() as u32).map(NodeId).filter(move |&id| self.tag(id) == Some(tag))
    }

    /// The subtree's text, concatenated as written.
    pub(crate) fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let Some(t) = self.text(n) {
                out.push_str(t);
            }
        }
        out
    }
}

/// Iterator of [`Dom::walk`].
pub(crate) struct Walk<'a> {
    dom: &'a Dom,
    top: NodeId,
    next: Option<Edge>,
}

impl Walk<'_> {
    /// After an `Open(id)` edge: do not descend into `id`; its `Close` comes next.
    pub(crate) fn skip_children(&mut self) {
        if let Some(Edge::Open(child)) = self.next
            && let Some(parent) = self.dom.parent(child)
        {
            self.next = Some(Edge::Close(parent));
        }
    }
}

impl Iterator for Walk<'_> {
    type Item = Edge;

    fn next(&mut self) -> Option<Edge> {
        let edge = self.next?;
        self.next = match edge {
            Edge::Open(id) => match self.dom.node(id).first_child {
                Some(child) => Some(Edge::Open(child)),
                None => Some(Edge::Close(id)),
            },
            Edge::Close(id) if id == self.top => None,
            Edge::Close(id) => {
                let node = self.dom.node(id);
                match (node.next_sibling, node.parent) {
                    (Some(sibling), _) => Some(Edge::Open(sibling)),
                    (None, Some(parent)) => Some(Edge::Close(parent)),
                    (None, None) => None,
                }
            }
        };
        Some(edge)
    }
}

/// The tree builder, as the tokenizer's sink.
struct Builder {
    dom: Dom,
    /// Open elements, innermost last. The document is not on it.
    stack: Vec<NodeId>,
    elements: usize,
    /// The one `<html>`, `<head>` and `<body>` element each, once seen.
    singletons: [Option<NodeId>; 3],
}

impl Builder {
    fn new(input_len: usize) -> Builder {
        let document = Node {
            parent: None,
            first_child: None,
            last_child: None,
            next_sibling: None,
            data: NodeData::Document,
        };
        // Text and attributes are most of a page: reserve about that much once.
        let dom = Dom {
            nodes: vec![document],
            attrs: Vec::new(),
            strings: String::with_capacity(input_len / 2),
            truncated: false,
        };
        Builder { dom, stack: Vec::new(), elements: 0, singletons: [None; 3] }
    }

    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(NodeId(0))
    }

    fn tag_of(&self, id: NodeId) -> Tag {
        self.dom.tag(id).unwrap_or(Tag::Other)
    }

    fn push_str(&mut self, s: &str) -> Str {
        let start = self.dom.strings.len() as u32;
        self.dom.strings.push_str(s);
        start..self.dom.strings.len() as u32
    }

    fn append(&mut self, parent: NodeId, data: NodeData) -> NodeId {
        let nodes = &mut self.dom.nodes;
        let id = NodeId(nodes.len() as u32);
        let prev = nodes[parent.index()].last_child;
        nodes.push(Node {
            parent: Some(parent),
            first_child: None,
            last_child: None,
            next_sibling: None,
            data,
        });
        match prev {
            Some(prev) => nodes[prev.index()].next_sibling = Some(id),
            None => nodes[parent.index()].first_child = Some(id),
        }
        nodes[parent.index()].last_child = Some(id);
        id
    }

    /// Position in the stack of the innermost open element for which `pred` holds, not
    /// looking past one for which `stop` holds.
    fn find_open(&self, pred: impl Fn(Tag) -> bool, stop: impl Fn(Tag) -> bool) -> Option<usize> {
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let tag = self.tag_of(id);
            if pred(tag) {
                return Some(i);
            }
            if stop(tag) {
                return None;
            }
        }
        None
    }

    fn pop_to(&mut self, index: usize) {
        self.stack.truncate(index);
    }

    fn in_foreign(&self) -> bool {
        self.stack.iter().rev().any(|&id| matches!(self.tag_of(id), Tag::Svg | Tag::Math))
    }

    /// Closes what a start tag implicitly closes (HTML's implied end tags).
    fn close_implied(&mut self, tag: Tag) {
        use Tag::*;
        let boundary = |t: Tag| t.is_scope_boundary() || t == Button;
        if tag.closes_p()
            && let Some(i) = self.find_open(|t| t == P, boundary)
        {
            self.pop_to(i);
        }
        let table_stop = |t: Tag| t == Table || t == Html;
        let found = match tag {
            Li => self.find_open(|t| t == Li, |t| boundary(t) || matches!(t, Ul | Ol | Menu | Dir)),
            Dd | Dt => self.find_open(|t| matches!(t, Dd | Dt), |t| boundary(t) || t == Dl),
            H1 | H2 | H3 | H4 | H5 | H6 if self.tag_of(self.current()).is_heading() => {
                Some(self.stack.len() - 1)
            }
            A => self.find_open(|t| t == A, boundary),
            Td | Th => self.find_open(|t| matches!(t, Td | Th), table_stop),
            Tr => self.find_open(|t| t == Tr, table_stop),
            Thead | Tbody | Tfoot => {
                self.find_open(|t| matches!(t, Thead | Tbody | Tfoot), table_stop)
            }
            Option if self.tag_of(self.current()) == Option => Some(self.stack.len() - 1),
            Optgroup => {
                self.find_open(|t| matches!(t, Option | Optgroup), |t| t == Select || boundary(t))
            }
            Body => self.find_open(|t| t == Head, |_| false),
            _ => None,
        };
        if let Some(i) = found {
            self.pop_to(i);
        }
    }
}

impl TokenSink for Builder {
    fn start_tag(&mut self, start: &StartTag<'_>) -> RawText {
        let tag = Tag::from_name(start.name);
        let raw = tag.raw_text();
        // A second <html>, <head> or <body> adds its missing attributes to the first.
        let singleton = match tag {
            Tag::Html => Some(0),
            Tag::Head => Some(1),
            Tag::Body => Some(2),
            _ => None,
        };
        if let Some(existing) = singleton.and_then(|slot| self.singletons[slot]) {
            let missing: Vec<(&str, &str)> = {
                let e = self.dom.element(existing).expect("singletons are elements");
                start.attrs().filter(|(n, _)| e.attr(n).is_none()).collect()
            };
            if !missing.is_empty() {
                let (name, attrs) = match &self.dom.nodes[existing.index()].data {
                    NodeData::Element { name, attrs, .. } => (name.clone(), attrs.clone()),
                    _ => unreachable!("singletons are elements"),
                };
                // Copy the old attributes and the missing ones to the end of the table.
                let old: Vec<(Str, Str)> =
                    self.dom.attrs[attrs.start as usize..attrs.end as usize].to_vec();
                let first = self.dom.attrs.len() as u32;
                self.dom.attrs.extend(old);
                for (n, v) in missing {
                    let (n, v) = (self.push_str(n), self.push_str(v));
                    self.dom.attrs.push((n, v));
                }
                let last = self.dom.attrs.len() as u32;
                self.dom.nodes[existing.index()].data =
                    NodeData::Element { tag, name, attrs: first..last };
            }
            if tag == Tag::Body {
                self.close_implied(tag);
            }
            return RawText::No;
        }
        self.close_implied(tag);
        if self.elements >= MAX_NODES {
            self.dom.truncated = true;
            return raw;
        }
        self.elements += 1;
        let name = self.push_str(start.name);
        let first = self.dom.attrs.len() as u32;
        for (n, v) in start.attrs() {
            let (n, v) = (self.push_str(n), self.push_str(v));
            self.dom.attrs.push((n, v));
        }
        let attrs = first..self.dom.attrs.len() as u32;
        let parent = self.current();
        let id = self.append(parent, NodeData::Element { tag, name, attrs });
        if let Some(slot) = singleton {
            self.singletons[slot] = Some(id);
        }
        let void = tag.is_void()
            || (start.self_closing
                && matches!(tag, Tag::Other | Tag::Svg | Tag::Math)
                && self.in_foreign());
        // Raw-text elements are always pushed, even past the depth cap: they hold no
        // elements, and their end tag must find them.
        if !void && (self.stack.len() < MAX_DEPTH || raw != RawText::No) {
            self.stack.push(id);
        }
        raw
    }

    fn end_tag(&mut self, name: &str) {
        let tag = Tag::from_name(name);
        match tag {
            // Content after </body> or </html> still belongs to the body, as in browsers.
            Tag::Body | Tag::Html => return,
            // </br> is read as <br>, as in browsers.
            Tag::Br => {
                let parent = self.current();
                let name = self.push_str("br");
                let attrs = self.dom.attrs.len() as u32;
                self.append(parent, NodeData::Element { tag, name, attrs: attrs..attrs });
                return;
            }
            t if t.is_void() => return,
            _ => {}
        }
        let crosses_cells = tag.is_table_part();
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let open = self.dom.element(id).expect("the stack holds elements");
            if open.tag == tag && (tag != Tag::Other || open.name() == name) {
                self.pop_to(i);
                return;
            }
            let stop = if crosses_cells {
                open.tag == Tag::Html || (open.tag == Tag::Table && tag != Tag::Table)
            } else {
                open.tag.is_scope_boundary()
            };
            if stop {
                return;
            }
        }
    }

    fn text(&mut self, text: &str) {
        let parent = self.current();
        if let Some(e) = self.dom.element(parent) {
            let keep = match e.tag {
                Tag::Script => e
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")),
                Tag::Style
                | Tag::Noscript
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Xmp => false,
                _ => true,
            };
            if !keep {
                return;
            }
        }
        let end = self.dom.strings.len() as u32;
        if let Some(last) = self.dom.nodes[parent.index()].last_child {
            // Adjacent text is merged; it is contiguous in the arena when nothing else was
            // stored since.
            if let NodeData::Text(r) = &mut self.dom.nodes[last.index()].data {
                if r.end == end {
                    self.dom.strings.push_str(text);
                    r.end = self.dom.strings.len() as u32;
                    return;
                }
                let mut merged = self.dom.strings[r.start as usize..r.end as usize].to_owned();
                merged.push_str(text);
                let start = self.dom.strings.len() as u32;
                self.dom.strings.push_str(&merged);
                *r = start..self.dom.strings.len() as u32;
                return;
            }
        }
        let r = self.push_str(text);
        self.append(parent, NodeData::Text(r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as `tag(children)` with text in quotes, for compact assertions.
    fn shape(dom: &Dom, id: NodeId) -> String {
        let mut out = String::new();
        for edge in dom.walk(id) {
            match edge {
                Edge::Open(n) => {
                    if let Some(e) = dom.element(n) {
                        out.push_str(e.name());
                        out.push('(');
                    } else if let Some(t) = dom.text(n) {
                        out.push('"');
                        out.push_str(t);
                        out.push('"');
                    }
                }
                Edge::Close(n) => {
                    if dom.element(n).is_some() {
                        out.push(')');
                    }
                }
            }
        }
        out
    }

    fn parse(html: &str) -> String {
        let dom = Dom::parse(html);
        shape(&dom, dom.root())
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(parse("<p>a<p>b<div>c</div>"), r#"p("a")p("b")div("c")"#);
        assert_eq!(parse("<ul><li>a<li>b</ul>"), r#"ul(li("a")li("b"))"#);
        assert_eq!(parse("<ul><li>a<ul><li>b</ul></ul>"), r#"ul(li("a"ul(li("b"))))"#);
        assert_eq!(
            parse("<table><tr><td>a<td>b<tr><td>c</table>"),
            r#"table(tr(td("a")td("b"))tr(td("c")))"#
        );
        assert_eq!(parse("<h2>a<h3>b"), r#"h2("a")h3("b")"#);
        assert_eq!(parse("<a href=x>a<a>b"), r#"a("a")a("b")"#);
        assert_eq!(parse("<dl><dt>a<dd>b<dt>c</dl>"), r#"dl(dt("a")dd("b")dt("c"))"#);
    }

    #[test]
    fn stray_and_misnested_end_tags() {
        assert_eq!(parse("<div>a</span>b</div>c"), r#"div("ab")"c""#);
        assert_eq!(parse("<b><i>a</b>b</i>"), r#"b(i("a"))"b""#);
        assert_eq!(
            parse("<table><tr><td><div>a</div></div>b</td></tr></table>"),
            r#"table(tr(td(div("a")"b")))"#
        );
        assert_eq!(parse("<p>a</p></p>b"), r#"p("a")"b""#);
    }

    #[test]
    fn raw_text_and_dropped_content() {
        assert_eq!(parse("<script>if (a<b) x()</script><p>t"), r#"script()p("t")"#);
        assert_eq!(
            parse(r#"<script type="application/ld+json">{"a":"<p>"}</script>"#),
            r#"script("{"a":"<p>"}")"#
        );
        assert_eq!(parse("<title>a &amp; <b></title>"), r#"title("a & <b>")"#);
        assert_eq!(
            parse("<style>p{}</style><!-- c --><noscript><img></noscript>x"),
            r#"style()noscript()"x""#
        );
    }

    #[test]
    fn void_and_foreign_elements() {
        assert_eq!(parse("a<br>b<img src=x>c"), r#""a"br()"b"img()"c""#);
        assert_eq!(parse("<svg><path/><g><path/></g></svg>x"), r#"svg(path()g(path()))"x""#);
        assert_eq!(parse("<div/>x"), r#"div("x")"#, "self-closing is ignored on HTML elements");
        assert_eq!(parse("a</br>b"), r#""a"br()"b""#);
    }

    #[test]
    fn html_head_and_body_are_kept_once() {
        let dom =
            Dom::parse("<html lang=en><head><title>t</title><body class=a><p>x<body class=b id=c>");
        let body = dom.elements_by_tag(Tag::Body).collect::<Vec<_>>();
        assert_eq!(body.len(), 1);
        assert_eq!(dom.attr(body[0], "class"), Some("a"));
        assert_eq!(dom.attr(body[0], "id"), Some("c"));
        assert_eq!(shape(&dom, dom.root()), r#"html(head(title("t"))body(p("x")))"#);
    }

    #[test]
    fn deep_nesting_is_linear_and_capped() {
        let nested = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let timed = |html: &str| {
            let t = std::time::Instant::now();
            let dom = Dom::parse(html);
            (dom, t.elapsed())
        };
        // Linear: ten times the input takes about ten times as long, where quadratic
        // work would take a hundred. A ratio, with slack, so a loaded machine does not fail it.
        let n = 100_000;
        let (_, small) = timed(&nested(n / 10));
        let (dom, big) = timed(&nested(n));
        assert!(
            big < small * 40 + std::time::Duration::from_secs(2),
            "{n} levels took {big:?}, {} took {small:?}",
            n / 10
        );
        assert_eq!(dom.elements_by_tag(Tag::Div).count(), n);
        let depth = dom.descendants(dom.root()).map(|id| dom.ancestors(id).count()).max().unwrap();
        assert!(depth <= MAX_DEPTH + 1, "depth {depth}");
        assert_eq!(dom.text_content(dom.root()), "x");
    }

    #[test]
    fn walk_visits_every_node_once() {
        let dom = Dom::parse("<div><p>a<b>b</b></p><p>c</p></div>d");
        let opens = dom.walk(dom.root()).filter(|e| matches!(e, Edge::Open(_))).count();
        let closes = dom.walk(dom.root()).filter(|e| matches!(e, Edge::Close(_))).count();
        assert_eq!(opens, dom.len());
        assert_eq!(closes, dom.len());
        let div = dom.elements_by_tag(Tag::Div).next().unwrap();
        assert_eq!(dom.text_content(div), "abc");
        assert_eq!(dom.children(div).count(), 2);
    }
}
