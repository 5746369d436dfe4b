//! What an element's `class`, `id`, `role`, `itemprop` and style say about it.
//!
//! ## What it detects
//! Elements that are page furniture rather than article: navigation, share bars, comment
//! threads, newsletter and subscription boxes, cookie notices, ads, "most read" and
//! "related" lists, bylines and datelines, hidden elements. And elements that announce the
//! article body (`itemprop="articleBody"`, `class="story-body"`).
//!
//! ## Signals
//! `class` and `id` are cut into lower-case words at every non-letter and at camelCase
//! humps (`articleBody` is `article body`, `share-bar_top` is `share bar top`), then
//! looked up in word lists; taxonomy classes (`category-advertising`, `tag-social`) are
//! skipped, as they name topics, not roles. Glued forms that are common (`sharebar`, `storybody`) are
//! listed as words. `role` (`navigation`, `complementary`, `banner`, `contentinfo`,
//! `dialog`), `aria-hidden="true"`, `hidden`, and `display:none`/`visibility:hidden` in
//! `style` also count.
//!
//! ## Known failures
//! A site that names its article container with a furniture word (`class="ad-free
//! article"`) has it dropped unless the container holds most of the page's prose, which
//! the caller checks (see `content`). Class names in other languages than English are
//! mostly not understood.
//!
//! ## Example
//! `<div class="c-social-share">` is [`Signals::JUNK`]; `<div itemprop="articleBody">` is
//! [`Signals::BODY`].

use super::dom::Element;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// Flags read off one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Signals(u16);

impl Signals {
    /// Furniture: not part of the article.
    pub(crate) const JUNK: Signals = Signals(1);
    /// Hidden from readers.
    pub(crate) const HIDDEN: Signals = Signals(1 << 1);
    /// Announces the article body.
    pub(crate) const BODY: Signals = Signals(1 << 2);
    /// A list of related stories.
    pub(crate) const RELATED: Signals = Signals(1 << 3);
    /// A byline or author box.
    pub(crate) const BYLINE: Signals = Signals(1 << 4);
    /// An image caption or credit.
    pub(crate) const CAPTION: Signals = Signals(1 << 5);
    /// Comments.
    pub(crate) const COMMENTS: Signals = Signals(1 << 6);
    /// Names content (`article`, `story`, `content`, `post`, `entry`), weaker than BODY.
    pub(crate) const CONTENT: Signals = Signals(1 << 7);
    /// A dateline or time stamp.
    pub(crate) const DATELINE: Signals = Signals(1 << 9);
    /// Furniture by place (sidebar, menu, widget): weaker than JUNK.
    pub(crate) const WEAK_JUNK: Signals = Signals(1 << 8);

    /// Whether no flag is set.
    #[cfg(test)]
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn contains(self, other: Signals) -> bool {
        self.0 & other.0 == other.0
    }

    pub(crate) fn any(self, other: Signals) -> bool {
        self.0 & other.0 != 0
    }

    /// The flags of `self` that are also in `other`.
    pub(crate) fn intersect(self, other: Signals) -> Signals {
        Signals(self.0 & other.0)
    }

    fn insert(&mut self, other: Signals) {
        self.0 |= other.0;
    }
}

impl std::ops::BitOr for Signals {
    type Output = Signals;

    fn bitor(self, rhs: Signals) -> Signals {
        Signals(self.0 | rhs.0)
    }
}

/// Words that mark furniture of a specific kind: ads, share bars, newsletters, cookie
/// notices, pop-ups. An element named so is furniture unless it wraps the article.
const JUNK_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adslot",
    "adunit",
    "adsense",
    "dfp",
    "gpt",
    "sponsor",
    "sponsored",
    "sponsors",
    "promo",
    "promos",
    "promotion",
    "promoted",
    "banner",
    "outbrain",
    "taboola",
    "zergnet",
    "revcontent",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "sharetools",
    "social",
    "socials",
    "socialbar",
    "newsletter",
    "newsletters",
    "subscribe",
    "subscription",
    "subscriptions",
    "signup",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "popup",
    "modal",
    "overlay",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "navbar",
    "masthead",
    "mostpopular",
    "mostread",
    "popular",
    "trending",
    "recirc",
    "recirculation",
    "skiplink",
    "login",
    "signin",
    "rating",
    "poll",
    "survey",
    "disclaimer",
    "copyright",
    "playlist",
    "lightbox",
    "carousel",
    "ticker",
    "feedback",
    "newsfeed",
    "teaser",
    "teasers",
    "readmore",
    "moreon",
    "morefrom",
    "upnext",
    "whatsnext",
    "callout",
    "donate",
    "donation",
    "membership",
    "offer",
    "offers",
    "download",
    "follow",
    "print",
    "email",
];

/// Words that mark furniture by place rather than kind (a sidebar, a menu, a widget).
/// Page builders use some of them for every box, the article's included, so an element
/// named so is furniture only while it holds a small share of the page's prose.
const WEAK_JUNK_WORDS: &[&str] = &[
    "sidebar",
    "rail",
    "widget",
    "widgets",
    "nav",
    "navigation",
    "menu",
    "footer",
    "toolbar",
    "tags",
    "tag",
    "keywords",
    "taglist",
    "skip",
    "jump",
    "toc",
    "player",
    "alert",
    "notice",
    "embed",
    "meta",
    "tools",
    "actions",
    "utility",
    "util",
    "icons",
    "icon",
    "button",
    "btn",
    "contact",
];

/// Whole class names (separators removed) that hide an element. Whole names only:
/// `field-label-hidden` or `overflow-hidden` hide nothing of the element itself.
const HIDDEN_NAMES: &[&str] = &[
    "hidden",
    "hide",
    "ishidden",
    "invisible",
    "sronly",
    "visuallyhidden",
    "screenreadertext",
    "screenreaderonly",
    "offscreen",
    "dnone",
    "displaynone",
    "noprint",
    "uhidden",
    "jshidden",
];
/// Class-name prefixes of taxonomy classes (`category-advertising`, `tag-social-media`):
/// they name the article's topics, not the element's role, so their words are not read.
const TAXONOMY_PREFIXES: &[&str] = &[
    "category-",
    "tag-",
    "tags-",
    "topic-",
    "topics-",
    "post_tag-",
    "format-",
    "status-",
    "type-",
    "postid-",
    "page-id-",
    "author-",
    "term-",
    "section-",
    "channel-",
    "keyword-",
];
/// Words that mark related-story lists.
const RELATED_WORDS: &[&str] = &[
    "related",
    "relatedstories",
    "relatedarticles",
    "relatedcontent",
    "relatedlinks",
    "recommended",
    "recommendations",
    "recommend",
    "moreon",
    "morefrom",
    "readmore",
    "alsoread",
    "seealso",
    "morestories",
];
/// Words that mark bylines, author boxes and datelines.
const BYLINE_WORDS: &[&str] =
    &["byline", "bylines", "author", "authors", "writer", "bio", "contributor", "contributors"];
/// Words that mark datelines and time stamps.
/// Besides English, the word for date in German, Dutch and the Nordic and Slavic languages
/// (`datum`), Turkish (`tarih`) and Spanish (`fecha`) (#17).
const DATELINE_WORDS: &[&str] =
    &["dateline", "timestamp", "date", "published", "pubdate", "posted", "datum", "tarih", "fecha"];
/// Words that mark captions and image credits.
const CAPTION_WORDS: &[&str] = &[
    "caption",
    "captions",
    "figcaption",
    "imagecaption",
    "photocaption",
    "wp-caption-text",
    "credit",
    "credits",
    "attribution",
];
/// Words that mark comments.
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "replies",
    "reply",
    "respond",
    "discussion",
    "talkback",
];
/// Whole class names (after removing separators) that mark the article body.
const BODY_NAMES: &[&str] = &[
    "articlebody",
    "articletext",
    "articlecontent",
    "articlebodytext",
    "articlebodycontent",
    "storybody",
    "storytext",
    "storycontent",
    "storybodytext",
    "entrycontent",
    "entrybody",
    "postcontent",
    "postbody",
    "posttext",
    "postentry",
    "bodytext",
    "bodycopy",
    "articlecopy",
    "contentbody",
    "maintext",
    "richtext",
    "textcontent",
    "articlemain",
    "articlecontentbody",
    "cbody",
    "centrycontent",
    "articleinner",
    "storyinner",
    "articlesection",
];
/// Words that name content, more weakly.
const CONTENT_WORDS: &[&str] =
    &["article", "story", "content", "post", "entry", "body", "text", "main", "prose", "blog"];

/// Reads the signals of an element.
pub(crate) fn read(element: Element<'_>) -> Signals {
    let mut s = read_attrs(element);
    for attr in ["class", "id"] {
        if let Some(value) = element.attr(attr) {
            read_names(value, &mut s);
        }
    }
    s
}

/// What an element's attributes other than `class` and `id` say.
fn read_attrs(element: Element<'_>) -> Signals {
    let mut s = Signals::default();
    if element.has_no_attrs() {
        return s;
    }
    if element.attr("hidden").is_some()
        || element.attr("aria-hidden").is_some_and(|v| v.trim() == "true")
    {
        s.insert(Signals::HIDDEN);
    }
    if let Some(style) =
        element.attr("style").filter(|st| st.contains("none") || st.contains("hidden"))
    {
        let style: String =
            style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            s.insert(Signals::HIDDEN);
        }
    }
    if let Some(prop) = element.attr("itemprop") {
        let prop = prop.to_ascii_lowercase();
        if prop.contains("articlebody") || prop == "text" {
            s.insert(Signals::BODY);
        }
        if prop.contains("author") {
            s.insert(Signals::BYLINE);
        }
        if prop.contains("datepublished") {
            s.insert(Signals::DATELINE);
        }
        if prop == "caption" {
            s.insert(Signals::CAPTION);
        }
    }
    if let Some(role) = element.attr("role") {
        match role.trim().to_ascii_lowercase().as_str() {
            "dialog" | "alertdialog" => s.insert(Signals::JUNK),
            "navigation" | "banner" | "contentinfo" | "complementary" | "menu" | "menubar"
            | "search" | "toolbar" | "tablist" => s.insert(Signals::WEAK_JUNK),

            "article" | "main" => s.insert(Signals::CONTENT),
            _ => {}
        }
    }
    s
}

/// [`read`] for every element of one page, reading each distinct `class` value once (a
/// page repeats a few dozen class names over thousands of elements; issue #13 found the
/// names' lower-casing and look-ups a tenth of `lede analyze`).
#[derive(Default)]
pub(crate) struct Reader<'d> {
    classes: FxHashMap<&'d str, Signals>,
}

impl<'d> Reader<'d> {
    /// What `element` says, as [`read`] does.
    pub(crate) fn read(&mut self, element: Element<'d>) -> Signals {
        let Some(class) = element.attr("class") else { return read(element) };
        // `read` without the class, then the class's names from the cache.
        let mut s = read_attrs(element);
        if let Some(id) = element.attr("id") {
            read_names(id, &mut s);
        }
        let names = *self.classes.entry(class).or_insert_with(|| {
            let mut names = Signals::default();
            read_names(class, &mut names);
            names
        });
        s.insert(names);
        s
    }
}

/// Flags by word, and by whole (glued) class name, built once from the lists above.
struct Lexicon {
    words: FxHashMap<&'static str, Signals>,
    names: FxHashMap<&'static str, Signals>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words: FxHashMap<&'static str, Signals> = FxHashMap::default();
    let mut names: FxHashMap<&'static str, Signals> = FxHashMap::default();
    let add =
        |map: &mut FxHashMap<&'static str, Signals>, list: &[&'static str], flags: Signals| {
            for w in list {
                let e = map.entry(*w).or_default();
                *e = *e | flags;
            }
        };
    add(&mut words, JUNK_WORDS, Signals::JUNK);
    add(&mut words, WEAK_JUNK_WORDS, Signals::WEAK_JUNK);
    add(&mut words, RELATED_WORDS, Signals::RELATED | Signals::JUNK);
    add(&mut words, BYLINE_WORDS, Signals::BYLINE);
    add(&mut words, DATELINE_WORDS, Signals::DATELINE);
    add(&mut words, CAPTION_WORDS, Signals::CAPTION);
    add(&mut words, COMMENT_WORDS, Signals::COMMENTS);
    add(&mut words, CONTENT_WORDS, Signals::CONTENT);
    add(&mut names, HIDDEN_NAMES, Signals::HIDDEN);
    add(&mut names, BODY_NAMES, Signals::BODY);
    add(&mut names, RELATED_WORDS, Signals::RELATED | Signals::JUNK);
    add(&mut names, CAPTION_WORDS, Signals::CAPTION);
    Lexicon { words, names }
});

/// Looks up the words of a `class` or `id` value.
fn read_names(value: &str, s: &mut Signals) {
    let lexicon = &*LEXICON;
    let mut word = String::new();
    let mut glued = String::new();
    for name in value.split_ascii_whitespace() {
        if TAXONOMY_PREFIXES
            .iter()
            .any(|p| name.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)))
        {
            continue;
        }
        glued.clear();
        if name.is_ascii() {
            glued.extend(
                name.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| b.to_ascii_lowercase() as char),
            );
        } else {
            glued.extend(name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase));
        }
        if let Some(&flags) = lexicon.names.get(glued.as_str()) {
            s.insert(flags);
        }
        if glued.starts_with("related") {
            s.insert(Signals::RELATED | Signals::JUNK);
        }
        for_each_word(name, &mut word, |w| {
            if let Some(&flags) = lexicon.words.get(w) {
                s.insert(flags);
            }
        });
    }
}

/// Calls `f` with each lower-case word of a class name: split at non-alphanumerics and
/// camelCase humps. `buf` is scratch space, reused so that no word allocates.
fn for_each_word(name: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !buf.is_empty() {
                f(buf);
                buf.clear();
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !buf.is_empty() {
            f(buf);
            buf.clear();
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
    if !buf.is_empty() {
        f(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::super::dom::Dom;
    use super::*;

    /// The signals of a `<div>` with `attrs`.
    fn el(attrs: &[(&str, &str)]) -> Signals {
        let attrs: Vec<String> = attrs.iter().map(|(n, v)| format!("{n}=\"{v}\"")).collect();
        let dom = Dom::parse(&format!("<div {}></div>", attrs.join(" ")));
        read(dom.element(dom.id_at(1)).unwrap())
    }

    #[test]
    fn splits_class_names() {
        let words = |name: &str| {
            let mut out = Vec::new();
            for_each_word(name, &mut String::new(), |w| out.push(w.to_owned()));
            out
        };
        assert_eq!(words("articleBody"), ["article", "body"]);
        assert_eq!(words("c-social-share__bar"), ["c", "social", "share", "bar"]);
        assert_eq!(words("HTMLContent"), ["htmlcontent"]);
    }

    #[test]
    fn reads_furniture_and_bodies() {
        assert!((el(&[("class", "c-social-share")])).contains(Signals::JUNK));
        assert!((el(&[("id", "comments")])).contains(Signals::COMMENTS));
        assert!((el(&[("itemprop", "articleBody")])).contains(Signals::BODY));
        assert!((el(&[("class", "story-body__inner")])).contains(Signals::CONTENT));
        assert!((el(&[("class", "StoryBody")])).contains(Signals::BODY));
        assert!((el(&[("class", "hub💩 category-advertising")])).is_empty());

        assert!((el(&[("style", "display: none")])).contains(Signals::HIDDEN));
        assert!((el(&[("class", "related-stories")])).contains(Signals::RELATED));
        assert!((el(&[("role", "navigation")])).contains(Signals::WEAK_JUNK));
        assert!((el(&[("class", "elementor-widget-container")])).contains(Signals::WEAK_JUNK));
        assert!(!(el(&[("class", "elementor-widget-container")])).contains(Signals::JUNK));
        assert!(
            !(el(&[("class", "header-commentary shadow")])).any(Signals::JUNK | Signals::COMMENTS)
        );
    }
}
