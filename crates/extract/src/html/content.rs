//! Finding the article in a page: which blocks are body text, which are furniture.
//!
//! ## What it detects
//! The element that holds the article's body, and within it the blocks that are body
//! paragraphs, sub-headings, lists and quotes; the images' captions; the related-story
//! lists.
//!
//! ## Signals
//! 1. *Furniture* is set aside first, with its whole subtree: scripts, forms controls,
//!    media; `<nav>`, `<aside>`, `<header>`, `<footer>`; elements whose class, id, role or
//!    style mark them as furniture, hidden, comments, bylines, captions or related lists
//!    (see `signals`). A wrapper of the article is never furniture (a `<div
//!    class="has-sidebar">` around everything is not a sidebar): an element that holds 40 %
//!    or more of the page's unlinked text in two paragraphs or more, and, when its name
//!    says which furniture it is (cookie notice, share bar, newsletter box), an
//!    `<article>`, `<main>` or an element
//!    marked as the article body; comment threads are never wrappers. `<body>`, `<main>`
//!    and an `<article>` are never furniture, unless the `<article>` is a card for another
//!    story: inside another `<article>`, or under a headline that is all link.

//! 2. Every remaining block (see `blocks`) scores its unlinked characters if it reads like
//!    prose: at least 25 characters, at most half of them in links. Paragraphs and quotes
//!    count in full, other blocks less, headings not at all.
//! 3. *Descent*: from `<body>`, step into the child holding the largest score while it holds
//!    at least 75 % of the current element's score. The element where this stops holds most
//!    of the prose and little else: the container. An element marked as the article body
//!    (`itemprop="articleBody"`) stops the descent unless one child holds 95 %.
//! 4. The body is the container's blocks, minus link lists, the headline repeated as an
//!    `<h1>`, and stock furniture lines ("Advertisement", "Continue reading").
//!
//! ## Known failures
//! An article split into two siblings of very different sizes, with furniture between them
//! that is not marked, loses the smaller part. A comment thread that is not marked as such
//! and is longer than the article becomes the body.
//!
//! ## Example
//! `<body><nav>…</nav><div class="story"><p>…</p><p>…</p></div><aside>…</aside></body>`:
//! the body is the two paragraphs of `div.story`.

use super::blocks::{Block, BlockKind, blocks};
use super::dom::{Dom, NodeId};
use super::signals::{self, Signals};
use super::tag::Tag;
use crate::normalize::{collapse_whitespace, visible_len};
use lede_core::RelatedItem;

/// Share of the page's unlinked text that protects an element from being furniture.
const PROTECT_SHARE: f64 = 0.4;
/// Share of an element's score its child must hold for the descent to step into it.
const DESCEND_SHARE: f64 = 0.75;
/// Share a child of an article-body element must hold for the descent to go on.
const DESCEND_BODY_SHARE: f64 = 0.95;
/// Shortest block that counts as prose.
const MIN_PROSE_CHARS: usize = 25;

/// What the page's content is.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub(crate) paragraphs: Vec<String>,
    pub(crate) captions: Vec<String>,
    pub(crate) related: Vec<RelatedItem>,
    /// Text of byline elements (for authors when metadata has none).
    pub(crate) bylines: Vec<String>,
    /// The container's `<time datetime>` or first `<time>`, as written.
    pub(crate) times: Vec<String>,
    /// Texts that may date the page when nothing closer does: `<time>` elements outside
    /// the article, then short texts with digits from the headline to the article's end
    /// (`Stand: 17.06.2025 18:24 Uhr`, `Sat 24 Feb 2024 12.42 CET`), in document order.
    pub(crate) page_times: Vec<String>,
    /// Share of the page's text inside links.
    pub(crate) page_link_density: f32,
    /// Why each decision was taken, when asked for (see [`extract`]).
    pub(crate) explanation: Vec<String>,
}

/// Per-node facts computed in one pass over the arena.
#[derive(Clone)]
struct Facts {
    signals: Vec<Signals>,
    /// Visible characters in the subtree.
    text: Vec<u32>,
    /// Of those, inside links.
    link: Vec<u32>,
    /// Paragraphs (`<p>`) of prose in the subtree.
    paras: Vec<u32>,
    /// Whether the subtree holds a heading that is all link (a teaser's headline).
    linked_heading: Vec<bool>,
    /// One past the last node of the subtree (the arena is in document order).
    end: Vec<u32>,
    /// Whether the node is furniture (itself or through an ancestor).
    junk: Vec<bool>,
    /// Whether the subtree holds an `<article>`, a `<main>` or an element marked as the
    /// article body: a wrapper of the article, whatever its own class says.
    wraps_content: Vec<bool>,
}

impl Facts {
    fn prose(&self, id: NodeId) -> u32 {
        self.text[id.index()] - self.link[id.index()]
    }

    /// Whether `node` is `top` or inside it.
    fn within(&self, node: NodeId, top: NodeId) -> bool {
        node.index() >= top.index() && node.index() < self.end[top.index()] as usize
    }
}

/// What the page's markup says of each node, whatever the policy: its signals, its text
/// and link characters, paragraphs and extent. `junk` is left all false for [`with_junk`].
fn facts(dom: &Dom) -> Facts {
    let n = dom.len();
    let mut signals = vec![Signals::default(); n];
    let mut text = vec![0u32; n];
    let mut link = vec![0u32; n];
    let mut end: Vec<u32> = (1..=n as u32).collect();
    let mut wraps_content = vec![false; n];
    let mut paras = vec![0u32; n];
    let mut linked_heading = vec![false; n];
    // Pages repeat their class names on many elements: each value is read once.
    let mut reader = signals::Reader::default();
    for (i, s) in signals.iter_mut().enumerate() {
        let id = dom.id_at(i);
        if let Some(e) = dom.element(id) {
            *s = reader.read(e);
            wraps_content[i] =
                matches!(e.tag, Tag::Article | Tag::Main) || s.contains(Signals::BODY);
        } else if let Some(t) = dom.text(id) {
            text[i] = visible_len(t) as u32;
        }
    }

    // The arena is in document order, so children come after their parent: a backward
    // pass sums subtrees.
    for i in (1..n).rev() {
        let id = dom.id_at(i);
        if dom.tag(id) == Some(Tag::A) {
            link[i] = text[i];
        }
        if dom.tag(id) == Some(Tag::P) && text[i] - link[i] >= MIN_PROSE_CHARS as u32 {
            paras[i] += 1;
        }
        // A headline that is all link points at another story.
        let heading = matches!(dom.tag(id), Some(Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4));
        if heading && text[i] >= 10 && link[i] * 5 >= text[i] * 4 {
            linked_heading[i] = true;
        }
        if let Some(p) = dom.parent(id) {
            text[p.index()] += text[i];
            link[p.index()] += link[i];
            paras[p.index()] += paras[i];
            end[p.index()] = end[p.index()].max(end[i]);
            if wraps_content[i] {
                wraps_content[p.index()] = true;
            }
            if linked_heading[i] {
                linked_heading[p.index()] = true;
            }
        }
    }
    Facts { signals, text, link, paras, end, junk: vec![false; n], wraps_content, linked_heading }
}

/// `base` with the furniture of `policy` marked (the only part of the facts that depends on
/// it, so the relaxed retry reuses the rest).
fn with_junk(dom: &Dom, body: NodeId, base: &Facts, policy: Policy) -> Facts {
    let mut facts = base.clone();
    let total = f64::from(facts.prose(body));
    for i in 1..dom.len() {
        let id = dom.id_at(i);
        let parent_junk = dom.parent(id).is_some_and(|p| facts.junk[p.index()]);
        facts.junk[i] = parent_junk || is_furniture(dom, id, &facts, total, policy);
    }
    facts
}

/// Whether an element is furniture by its own signals (see the module documentation).
fn is_furniture(dom: &Dom, id: NodeId, facts: &Facts, total: f64, policy: Policy) -> bool {
    use Tag::*;
    let Some(tag) = dom.tag(id) else { return false };
    match tag {
        Script | Style | Noscript | Template | Svg | Math | Canvas | Iframe | Object | Embed
        | Video | Audio | Button | Select | Input | Textarea | Dialog | Map | Head | Title
        | Meta | Link | Frameset | Noembed | Noframes | Figure | Figcaption => return true,
        _ => {}
    }
    if matches!(tag, Html | Body | Main) {
        return false;
    }
    // An article inside an article, or one whose headline links elsewhere, is a card for
    // another story (a related post, a teaser); otherwise an <article> is the article.
    let card = tag == Article
        && (facts.linked_heading[id.index()]
            || dom.ancestors(id).any(|a| dom.tag(a) == Some(Article)));
    if tag == Article && !card {
        return false;
    }

    let mut s = facts.signals[id.index()];
    if policy == Policy::Relaxed {
        // Only what the markup says for sure: hidden, comments.
        s = s.intersect(Signals::HIDDEN | Signals::COMMENTS);
    }
    // Names of place (a "player", a "meta" box) say little on rows, cells and paragraphs,
    // which are seldom furniture by themselves.
    let row_or_text =
        matches!(tag, Tr | Td | Th | Tbody | Thead | Tfoot | P | H1 | H2 | H3 | H4 | H5 | H6);
    let weak = matches!(tag, Nav | Aside | Footer | Header | Menu)
        || card
        || (s.contains(Signals::WEAK_JUNK) && !row_or_text);

    let strong = s.any(
        Signals::JUNK
            | Signals::HIDDEN
            | Signals::BYLINE
            | Signals::DATELINE
            | Signals::CAPTION
            | Signals::COMMENTS
            | Signals::RELATED,
    );
    if !(weak || strong) {
        return false;
    }
    if s.contains(Signals::BODY) && !s.contains(Signals::HIDDEN) {
        return false;
    }
    // A wrapper of the article is not furniture, whatever its class says: it holds much
    // of the page's prose, and, if its name says what kind of furniture it is (a cookie
    // notice, a share bar), an element that announces content.
    let share = if total > 0.0 { f64::from(facts.prose(id)) / total } else { 0.0 };
    let wrapper = share >= PROTECT_SHARE
        && facts.paras[id.index()] >= 2
        && (!strong || facts.wraps_content[id.index()]);

    let comments_only = s.contains(Signals::COMMENTS) && !s.any(Signals::CONTENT | Signals::BODY);
    comments_only || !wrapper
}

/// How much a block says "article text is here".
fn prose_score(b: &Block) -> f64 {
    if b.chars < MIN_PROSE_CHARS || b.link_density() > 0.5 || is_teaser(b) {
        return 0.0;
    }
    let weight = match b.kind {
        BlockKind::Paragraph | BlockKind::Quote | BlockKind::Preformatted => 1.0,
        BlockKind::Other => 0.8,
        BlockKind::ListItem | BlockKind::Cell => 0.5,
        BlockKind::Heading(_) => 0.0,
    };
    weight * (b.chars - b.link_chars) as f64
}

/// Finds the article's body, captions and related lists in `dom`.
/// With `explain`, also says why: the container's path, the furniture set aside, and each
/// block's fate.
/// How eagerly furniture is set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    /// Tags, classes, roles and styles all count.
    Strict,
    /// Only tags, hidden elements and comment threads: the fallback for pages whose class
    /// names mislead the strict policy into setting the article itself aside.
    Relaxed,
}

/// One pass of content selection under a policy.
struct Selection {
    facts: Facts,
    blocks: Vec<Block>,
    score: Vec<f64>,
    /// The container and its continuations.
    parts: Vec<NodeId>,
    paragraphs: Vec<String>,
    /// Unlinked characters of the kept paragraphs.
    kept_chars: usize,
}

fn select(
    dom: &Dom,
    body: NodeId,
    title_key: Option<&str>,
    base: &Facts,
    policy: Policy,
) -> Selection {
    let facts = with_junk(dom, body, base, policy);
    let skip = |id: NodeId| facts.junk[id.index()];
    let all = blocks(dom, body, &skip);

    // Scores, summed up the tree.
    let mut score = vec![0f64; dom.len()];
    for b in &all {
        score[b.owner.index()] += prose_score(b);
    }
    for i in (1..dom.len()).rev() {
        if let Some(p) = dom.parent(dom.id_at(i)) {
            score[p.index()] += score[i];
        }
    }
    let container = descend(dom, body, &facts, &score);
    let parts = with_continuations(dom, container, &score);
    let kept: Vec<&Block> = all
        .iter()
        .filter(|b| parts.iter().any(|&p| facts.within(b.owner, p)))
        .filter(|b| keep_block(b, title_key))
        .collect();
    let kept_chars = kept.iter().map(|b| b.chars - b.link_chars).sum();
    let paragraphs = kept.into_iter().map(|b| b.text.clone()).collect();
    Selection { facts, blocks: all, score, parts, paragraphs, kept_chars }
}

/// Finds the article's body, captions and related lists in `dom`.
///
/// With `explain`, also says why: the container's path, the furniture set aside, and each
/// block's fate.
pub(crate) fn extract(
    dom: &Dom,
    title: Option<&str>,
    base: Option<&url::Url>,
    explain: bool,
) -> Content {
    let body = dom.elements_by_tag(Tag::Body).next().unwrap_or(dom.root());
    let title_key = title.map(key);
    let marked = facts(dom);
    let mut sel = select(dom, body, title_key.as_deref(), &marked, Policy::Strict);
    // When the strict policy keeps almost none of a page's prose, class names misled it
    // (an article container named like furniture): try again trusting tags only.
    let page_prose = sel.facts.prose(body) as usize;
    let mut relaxed = false;
    if page_prose >= 500 && sel.kept_chars * 100 < page_prose * 15 {
        let retry = select(dom, body, title_key.as_deref(), &marked, Policy::Relaxed);
        if retry.kept_chars > sel.kept_chars * 2 {
            sel = retry;
            relaxed = true;
        }
    }
    let Selection { facts, blocks: all, score, parts, paragraphs, .. } = sel;
    let container = parts[0];
    let scope = article_scope(dom, container, &facts);
    let mut explanation = if explain {
        explain_choices(dom, &facts, &all, &score, &parts, title_key.as_deref())
    } else {
        Vec::new()
    };
    if relaxed && explain {
        explanation
            .insert(0, "class names set most prose aside: read again trusting tags only".into());
    }
    Content {
        explanation,
        paragraphs,
        captions: captions(dom, scope, &facts),
        related: related(dom, &facts, base),
        bylines: {
            // Around the article first; the headline area above it is often outside.
            let near = bylines(dom, scope, &facts);
            if near.is_empty() { bylines(dom, dom.root(), &facts) } else { near }
        },
        times: times(dom, scope, &facts),
        page_times: page_times(dom, scope, &facts),
        page_link_density: if facts.text[body.index()] == 0 {
            0.0
        } else {
            facts.link[body.index()] as f32 / facts.text[body.index()] as f32
        },
    }
}

/// An element as `tag#id.class`, for explanations.
fn describe(dom: &Dom, id: NodeId) -> String {
    let Some(e) = dom.element(id) else { return "#document".into() };
    let mut s = e.name().to_owned();
    if let Some(i) = e.attr("id") {
        s.push('#');
        s.push_str(i);
    }
    if let Some(c) = e.attr("class") {
        for c in c.split_whitespace().take(4) {
            s.push('.');
            s.push_str(c);
        }
    }
    s
}

fn explain_choices(
    dom: &Dom,
    facts: &Facts,
    all: &[Block],
    score: &[f64],
    parts: &[NodeId],
    title_key: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    let container = parts[0];
    for &p in &parts[1..] {
        out.push(format!("continued in: {} ({:.0})", describe(dom, p), score[p.index()]));
    }
    let mut path: Vec<NodeId> = dom.ancestors(container).collect();
    path.reverse();
    path.push(container);
    out.push("container path (score):".to_owned());
    for id in path.into_iter().filter(|&id| dom.element(id).is_some()) {
        out.push(format!("  {} ({:.0})", describe(dom, id), score[id.index()]));
    }
    out.push("furniture set aside (visible characters):".to_owned());
    for i in 1..dom.len() {
        let id = dom.id_at(i);
        let parent_junk = dom.parent(id).is_some_and(|p| facts.junk[p.index()]);
        if facts.junk[i] && !parent_junk && facts.text[i] >= 30 {
            out.push(format!("  {} ({})", describe(dom, id), facts.text[i]));
        }
    }
    out.push("blocks (+ kept, - dropped, . outside the container):".to_owned());
    for b in all {
        let mark = if !parts.iter().any(|&p| facts.within(b.owner, p)) {
            '.'
        } else if keep_block(b, title_key) {
            '+'
        } else {
            '-'
        };
        let text: String = b.text.chars().take(90).collect::<String>().replace('\n', " / ");
        out.push(format!(
            "  {mark} {:?} {}c ld={:.2} s={:.0} <{}> {text}",
            b.kind,
            b.chars,
            b.link_density(),
            prose_score(b),
            describe(dom, b.owner)
        ));
    }
    out
}

/// Steps from `start` into the child holding most of the score while it holds enough:
/// [`DESCEND_SHARE`] of it, or half of it and more than twice any sibling (a clear
/// winner). Inside an element marked as the article body, only a child holding
/// [`DESCEND_BODY_SHARE`] is stepped into.
fn descend(dom: &Dom, start: NodeId, facts: &Facts, score: &[f64]) -> NodeId {
    let mut node = start;
    loop {
        let here = score[node.index()];
        if here <= 0.0 {
            return node;
        }
        let (mut best, mut second): (Option<NodeId>, f64) = (None, 0.0);
        for child in dom.children(node) {
            let s = score[child.index()];
            match best {
                Some(b) if s <= score[b.index()] => second = second.max(s),
                Some(b) => {
                    second = score[b.index()];
                    best = Some(child);
                }
                None => best = Some(child),
            }
        }
        let Some(best) = best.filter(|&b| dom.element(b).is_some()) else { return node };
        let s = score[best.index()];
        let step = if facts.signals[node.index()].contains(Signals::BODY) {
            s >= DESCEND_BODY_SHARE * here
        } else {
            s >= DESCEND_SHARE * here || (s >= 0.5 * here && s >= 2.0 * second)
        };
        if !step {
            return node;
        }
        node = best;
    }
}

/// The container and its siblings that continue it: an article split into several
/// elements with the same tag and class (`<div class="article-body">` chunks between ads).
fn with_continuations(dom: &Dom, container: NodeId, score: &[f64]) -> Vec<NodeId> {
    let Some(parent) = dom.parent(container) else { return vec![container] };
    let signature =
        |id: NodeId| dom.element(id).map(|e| (e.tag, e.attr("class").unwrap_or("").to_owned()));
    let own = signature(container);
    if own.as_ref().is_none_or(|(tag, class)| class.is_empty() && *tag == Tag::Div) {
        return vec![container];
    }
    dom.children(parent)
        .filter(|&c| c == container || (score[c.index()] > 0.0 && signature(c) == own))
        .collect()
}

/// Lines that are furniture wherever they appear, compared lower-case without punctuation.
const STOCK_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "ad",
    "sponsored",
    "sponsored content",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "article continues below advertisement",
    "continue reading",
    "continue reading the main story",
    "continue reading below",
    "read more",
    "read more below",
    "read full article",
    "read the full article",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "sign up",
    "subscribe",
    "subscribe now",
    "click here",
    "loading",
    "watch",
    "play video",
    "video",
    "image",
    "photo",
    "photos",
    "more",
    "show more",
    "close",
    "listen",
    "listen to this article",
    "skip",
    "skip advertisement",
    "related",
    "related stories",
    "related articles",
    "recommended",
    "most read",
    "most popular",
    "trending",
    "comments",
    "leave a comment",
    "view comments",
    "back to top",
    "top",
    "follow us",
    "supported by",
    "opens in new window",
    "next",
    "previous",
];

/// The comparison form of a line: lower case, letters, digits and single spaces.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// A linked headline followed by a cut-off excerpt ("… may soon..."): a teaser for
/// another story, however long.
fn is_teaser(b: &Block) -> bool {
    let t = b.text.trim_end();
    // Paragraphs may open with a link and end on an ellipsis ("According to <a>the
    // review</a>, … a statement…"); list items and bare blocks that do are teasers.
    !matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote)
        && b.starts_with_link
        && b.link_chars >= 15
        && (t.ends_with("...") || t.ends_with('…') || t.ends_with("[…]") || t.ends_with("[...]"))
}

fn keep_block(b: &Block, title_key: Option<&str>) -> bool {
    // A date standing alone is a dateline.
    if b.time_chars == b.chars || is_teaser(b) {
        return false;
    }

    // Link lists and "Read more: <a>…</a>" lines.
    if b.link_density() > 0.5 && !matches!(b.kind, BlockKind::Heading(_)) {
        return false;
    }
    // Stock lines are short, and so are headlines: longer blocks need no comparing.
    if b.chars > 300 {
        return true;
    }
    let k = key(&b.text);
    if k.is_empty() || STOCK_LINES.contains(&k.as_str()) {
        return false;
    }
    // The headline, repeated above the body.
    !matches!((b.kind, title_key), (BlockKind::Heading(_), Some(t)) if k == t)
}

/// The element whose captions, bylines and times belong to the article: the nearest
/// `<article>` (or article-marked element) around the container, else the container's
/// grandparent.
fn article_scope(dom: &Dom, container: NodeId, facts: &Facts) -> NodeId {
    let mut candidates = std::iter::once(container).chain(dom.ancestors(container));
    let marked = candidates.find(|&id| {
        dom.tag(id) == Some(Tag::Article)
            || facts.signals[id.index()].any(Signals::BODY) && id != container
    });
    marked.unwrap_or_else(|| dom.ancestors(container).nth(1).unwrap_or(container))
}

/// What [`scan`] does at a node.
enum Visit {
    /// Go into the node's children.
    Descend,
    /// Skip the node's subtree.
    Skip,
}

/// Visits the subtree at `scope` in document order; `visit` decides, at each node, whether
/// to go into its children.
fn scan(facts: &Facts, scope: NodeId, mut visit: impl FnMut(usize) -> Visit) {
    let end = facts.end[scope.index()] as usize;
    let mut i = scope.index();
    while i < end {
        i = match visit(i) {
            Visit::Descend => i + 1,
            Visit::Skip => facts.end[i] as usize,
        };
    }
}

fn captions(dom: &Dom, scope: NodeId, facts: &Facts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    scan(facts, scope, |i| {
        let id = dom.id_at(i);
        let is_caption = dom.tag(id) == Some(Tag::Figcaption)
            || (facts.signals[i].contains(Signals::CAPTION) && dom.tag(id) != Some(Tag::Figure));
        if !is_caption {
            return Visit::Descend;
        }
        let text = collapse_whitespace(&dom.text_content(id));
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
        // A caption's own parts (credit lines) are not captions of their own.
        Visit::Skip
    });
    out
}

fn bylines(dom: &Dom, scope: NodeId, facts: &Facts) -> Vec<String> {
    let mut out = Vec::new();
    scan(facts, scope, |i| {
        let id = dom.id_at(i);
        let s = facts.signals[i];
        // Image credits name photographers, not authors; comments and teasers name others.
        let elsewhere = s.any(Signals::CAPTION | Signals::COMMENTS | Signals::RELATED)
            || matches!(
                dom.tag(id),
                Some(Tag::Figure | Tag::Figcaption | Tag::Aside | Tag::Nav | Tag::Footer)
            );
        if elsewhere {
            return Visit::Skip;
        }
        let rel_author = dom.attr(id, "rel").is_some_and(|r| r.eq_ignore_ascii_case("author"));
        if s.contains(Signals::BYLINE) || rel_author {
            let text = collapse_whitespace(&dom.text_content(id));
            if !text.is_empty() && text.chars().count() <= 200 {
                out.push(text);
                return Visit::Skip;
            }
        }
        Visit::Descend
    });
    out
}

/// Time stamps around the article: `<time>` elements (their `datetime`, else their text),
/// then the text of elements marked as datelines.
fn times(dom: &Dom, scope: NodeId, facts: &Facts) -> Vec<String> {
    let end = facts.end[scope.index()] as usize;
    let ids = || (scope.index()..end).map(|i| dom.id_at(i));
    let time_elements = ids().filter(|&id| dom.tag(id) == Some(Tag::Time)).map(|id| {
        dom.attr(id, "datetime")
            .map(str::to_owned)
            .unwrap_or_else(|| collapse_whitespace(&dom.text_content(id)))
    });
    let datelines = ids()
        .filter(|&id| {
            facts.signals[id.index()].contains(Signals::DATELINE) && facts.text[id.index()] <= 200
        })
        .map(|id| collapse_whitespace(&dom.text_content(id)));
    time_elements
        .filter(|t| !t.is_empty())
        .take(4)
        .chain(datelines.filter(|t| !t.is_empty()).take(4))
        .collect()
}

/// Texts that may date a page whose article holds no time stamp: the page's other
/// `<time>` elements, then the short texts holding a digit between the headline (or the
/// article's start) and the article's end, furniture left out (#17). Bounded: a few of
/// each, of at most 80 visible characters.
fn page_times(dom: &Dom, scope: NodeId, facts: &Facts) -> Vec<String> {
    const MAX_CHARS: u32 = 80;
    let (from, to) = (scope.index(), facts.end[scope.index()] as usize);
    let outside = |i: usize| i < from || i >= to;
    let mut out: Vec<String> = (0..dom.len())
        .filter(|&i| outside(i))
        .map(|i| dom.id_at(i))
        .filter(|&id| dom.tag(id) == Some(Tag::Time))
        .filter_map(|id| {
            let text = dom
                .attr(id, "datetime")
                .map(str::to_owned)
                .unwrap_or_else(|| collapse_whitespace(&dom.text_content(id)));
            (!text.is_empty() && text.len() <= 200).then_some(text)
        })
        .take(4)
        .collect();
    let headline = dom.elements_by_tag(Tag::H1).map(NodeId::index).find(|&h| h < to);
    let start = headline.map_or(from, |h| h.min(from));
    let shorts = (start..to)
        .filter(|&i| {
            let id = dom.id_at(i);
            dom.element(id).is_some()
                && !facts.junk[i]
                && (4..=MAX_CHARS).contains(&facts.text[i])
                && dom
                    .children(id)
                    .filter_map(|c| dom.text(c))
                    .any(|t| t.chars().any(|c| c.is_numeric()))
        })
        .map(|i| collapse_whitespace(&dom.text_content(dom.id_at(i))))
        .take(12);
    out.extend(shorts);
    out
}

/// Links in related-story lists: elements marked as related, anywhere on the page. A
/// link counts when its text reads as a headline (three words, fifteen characters).
fn related(dom: &Dom, facts: &Facts, base: Option<&url::Url>) -> Vec<RelatedItem> {
    const MAX_ITEMS: usize = 20;
    let mut out: Vec<RelatedItem> = Vec::new();
    scan(facts, dom.root(), |i| {
        if out.len() >= MAX_ITEMS {
            return Visit::Skip;
        }
        // A list marked as related, or the list right after a "Related stories" heading.
        let list = if facts.signals[i].contains(Signals::RELATED) {
            dom.id_at(i)
        } else if let Some(next) = after_related_heading(dom, dom.id_at(i)) {
            next
        } else {
            return Visit::Descend;
        };
        for j in list.index()..facts.end[list.index()] as usize {
            let id = dom.id_at(j);
            if dom.tag(id) != Some(Tag::A) || out.len() >= MAX_ITEMS {
                continue;
            }
            let title = collapse_whitespace(&dom.text_content(id));
            if title.chars().count() < 15 || title.split_whitespace().count() < 3 {
                continue;
            }
            let url = dom.attr(id, "href").and_then(|h| resolve(base, h));
            if !out.iter().any(|r| r.title == title || (url.is_some() && r.url == url)) {
                out.push(RelatedItem { title, teaser: None, url });
            }
        }
        Visit::Skip
    });
    out
}

/// Headings that introduce related-story lists, compared as [`key`]s.
const RELATED_HEADINGS: &[&str] = &[
    "related",
    "related stories",
    "related articles",
    "related content",
    "related coverage",
    "related news",
    "related links",
    "read more",
    "more on this story",
    "more on this topic",
    "see also",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "also read",
    "further reading",
    "more stories",
];

/// For a heading that announces related stories, the element after it.
fn after_related_heading(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let tag = dom.tag(id)?;
    if !(tag.is_heading() || tag == Tag::Strong) {
        return None;
    }
    let text = dom.text_content(id);
    if text.len() > 60 || !RELATED_HEADINGS.contains(&key(&text).as_str()) {
        return None;
    }
    let mut next = dom.node(id).next_sibling;
    while let Some(n) = next {
        if dom.element(n).is_some() {
            return Some(n);
        }
        next = dom.node(n).next_sibling;
    }
    None
}

/// An `href` made absolute against the page's address; `javascript:` and fragments dropped.
pub(crate) fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let joined = match base {
        Some(b) => b.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(html: &str) -> Vec<String> {
        let dom = Dom::parse(html);
        extract(&dom, Some("The headline"), None, false).paragraphs
    }

    const PROSE: &str = "This sentence is long enough to count as prose in an article body.";

    #[test]
    fn finds_the_story_among_furniture() {
        let html = format!(
            "<body><nav><a href=/>Home</a><a href=/w>World news and more links</a></nav>\
             <div class=story><h1>The headline</h1><p>{PROSE}</p><p>{PROSE} Two.</p><h2>Sub-head</h2><p>{PROSE} Three.</p>\
             <div class=share-bar><p>Share this article with everyone you know today</p></div><p>Advertisement</p></div>\
             <aside><p>{PROSE} Sidebar.</p></aside><footer><p>{PROSE} Footer.</p></footer></body>"
        );
        let body = body_of(&html);
        assert_eq!(
            body,
            [
                PROSE.to_string(),
                format!("{PROSE} Two."),
                "Sub-head".into(),
                format!("{PROSE} Three.")
            ]
        );
    }

    #[test]
    fn a_wrapper_with_a_furniture_name_is_not_furniture() {
        let html = format!(
            "<body><div class=has-sidebar><div><p>{PROSE}</p><p>{PROSE}</p></div></div></body>"
        );
        assert_eq!(body_of(&html).len(), 2);
    }

    #[test]
    fn link_lists_are_dropped() {
        let html = format!(
            "<body><div><p>{PROSE}</p><p>{PROSE}</p><ul><li><a href=a>A related headline here</a></li></ul>\
             <p>Read more: <a href=b>Another story with a long title</a></p></div></body>"
        );
        assert_eq!(body_of(&html).len(), 2);
    }

    #[test]
    fn captions_and_related() {
        let html = format!(
            "<body><article><figure><img src=x><figcaption>A man walks a dog.</figcaption></figure>\
             <p>{PROSE}</p><p>{PROSE}</p></article><div class=related-stories><a href=/a/b>A related story about things</a></div></body>"
        );
        let dom = Dom::parse(&html);
        let base = url::Url::parse("https://example.com/news/1").unwrap();
        let c = extract(&dom, None, Some(&base), false);
        assert_eq!(c.captions, ["A man walks a dog."]);
        assert_eq!(c.related.len(), 1);
        assert_eq!(c.related[0].url.as_deref(), Some("https://example.com/a/b"));
        assert_eq!(c.paragraphs.len(), 2);
    }

    #[test]
    fn lists_under_a_related_heading() {
        let html = format!(
            "<body><article><p>{PROSE}</p><p>{PROSE}</p><h3>Related stories</h3>\
             <ul><li><a href=/x>Bridge inspection finds worn cables</a></li><li><a href=/y>Ferry timetable changes this spring</a></li></ul>\
             </article></body>"
        );
        let dom = Dom::parse(&html);
        let c = extract(&dom, None, None, false);
        let titles: Vec<&str> = c.related.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Bridge inspection finds worn cables", "Ferry timetable changes this spring"]
        );
        assert_eq!(c.paragraphs.len(), 2, "{:?}", c.paragraphs);
    }

    #[test]
    fn resolves_links() {
        let base = url::Url::parse("https://example.com/a/b").unwrap();
        assert_eq!(resolve(Some(&base), "../c").as_deref(), Some("https://example.com/c"));
        assert_eq!(resolve(Some(&base), "javascript:alert(1)"), None);
        assert_eq!(resolve(Some(&base), "#top"), None);
        assert_eq!(resolve(None, "/relative"), None);
    }
}
