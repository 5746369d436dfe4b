//! Turns one news page into one [`Article`]: headline, authors, publication time, outlet,
//! address, language, captions, body paragraphs and related stories.
//!
//! Extraction is a pure function of the page's text (and its address, when known): no I/O,
//! no global state, safe to run on many pages in parallel. It reads two kinds of page:
//!
//! - **HTML and XHTML**: the page is parsed by a fast byte-oriented tokenizer and a
//!   linear-time tree builder, its declared metadata read (JSON-LD, OpenGraph, `<meta>`), furniture set
//!   aside (navigation, share bars, comments, ads, related lists), and the body found as the
//!   element that holds most of the page's prose.
//! - **Plain-text news pages**: headline line, dateline (`16 April, 2017, 00:53 | Author:
//!   Cecelia Webb`), caption bullets, paragraphs separated by blank lines, and a trailing
//!   block of related stories.
//!
//! Every page gets an answer: an [`Extraction`] carries the article and a [`Verdict`] that
//! says whether the page is an article at all (a home page, a 404 page or an empty page is
//! not, and says why).
//!
//! ```
//! use lede_extract::{Extractor, PageHints, Verdict};
//!
//! let page = "Town opens library\n\nMarch 4, 2019 | By Ann Lee\n\n\
//!             The town opened its new library on Monday, after three years of building work \
//!             that cost more than anyone had planned, and a crowd of hundreds came to see it.\n";
//! let extraction = Extractor::default().extract(page, &PageHints::default());
//! assert_eq!(extraction.article.title.as_deref(), Some("Town opens library"));
//! assert_eq!(extraction.article.authors, ["Ann Lee"]);
//! assert_eq!(extraction.article.published.unwrap().at.to_string(), "2019-03-04");
//! assert_eq!(extraction.verdict, Verdict::NotArticle { reason: "too little body text (30 words)".into() });
//! ```

mod byline;
mod date;
mod headline;
mod html;
mod lang;
mod normalize;
mod text_page;

pub use html::{ListedArticle, listed_articles};
pub use lang::{identify as identify_language, paragraph_languages};
use lede_core::{Article, PageKind};

/// What is known about a page besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageHints<'a> {
    /// The page's address, for relative links, the outlet and dates in the address.
    pub url: Option<&'a str>,
    /// The media type the server declared (`text/html`, `text/plain`).
    pub media_type: Option<&'a str>,
    /// When the page was fetched or archived (a WARC record's date): what relative dates
    /// (`vor 2 Stunden`, `yesterday`) and datelines without a year (`MOSCOU, 12 avril`) are
    /// read against. Without it they are not read: extraction never reads the clock.
    pub reference: Option<lede_core::Timestamp>,
}

/// Whether a page is an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A news article (or a post, a press release: a page with a body of prose).
    Article,
    /// Not an article: a home or section page, an error page, an empty page.
    NotArticle {
        /// Why, in words.
        reason: String,
    },
}

/// The result of reading one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// What the page says. For a page that is not an article, what could be read of it.
    pub article: Article,
    /// Whether the page is an article.
    pub verdict: Verdict,
    /// Things worth telling the user about this page (a truncated tree, say).
    pub warnings: Vec<String>,
}

/// How extraction decides what is an article. Builds an [`Extractor`].
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    /// Fewest body words for an article.
    pub min_words: usize,
}

impl Default for ExtractConfig {
    fn default() -> ExtractConfig {
        ExtractConfig { min_words: 50 }
    }
}

impl ExtractConfig {
    /// An extractor with this configuration.
    pub fn build(self) -> Extractor {
        Extractor { config: self }
    }
}

/// Reads pages into articles. Cheap to create and to share between threads.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    config: ExtractConfig,
}

impl Extractor {
    /// Says why extraction read a page as it did: for HTML, the element chosen as the
    /// article's container, the furniture set aside, and each text block with its kind,
    /// size, link density, score and fate. One line each, for people debugging a page.
    pub fn explain(&self, text: &str, hints: &PageHints<'_>) -> Vec<String> {
        match detect_kind(text, hints.media_type) {
            PageKind::Html => html::read_html(text, hints, true).1.explanation,
            PageKind::Text => vec![
                "a plain-text page: read by its layout (headline, dateline, blank-line paragraphs)"
                    .into(),
            ],
        }
    }

    /// Reads a body given as plain text, its metadata known apart (a JSON Lines record's
    /// `text`): paragraphs are the blocks between blank lines (or the lines, when there is
    /// no blank line), white space collapsed; the language is identified. No headline or
    /// dateline is looked for: the record gives those.
    pub fn extract_text_body(&self, text: &str) -> Extraction {
        let lines: Vec<&str> = text.lines().collect();
        let blank = |l: &&str| l.trim().is_empty();
        let pieces: Vec<String> = if lines.iter().any(blank) {
            lines.split(blank).map(|block| block.join(" ")).collect()
        } else {
            lines.iter().map(|l| (*l).to_owned()).collect()
        };
        let paragraphs = pieces
            .iter()
            .map(|p| normalize::collapse_whitespace(p))
            .filter(|p| !p.is_empty())
            .collect();
        self.with_paragraphs(paragraphs)
    }

    /// The headline at the start of a run-on text that did not keep it apart (press
    /// releases scraped to one line: `03.07.19 Headline Here WASHINGTON, DC – Today, …`),
    /// when a dateline shows where it ends.
    pub fn headline_of_text(&self, text: &str) -> Option<String> {
        headline::headline(text)
    }

    fn with_paragraphs(&self, paragraphs: Vec<String>) -> Extraction {
        let body = paragraphs.join("\n");
        let language = lang::identify(&body, None);
        let article = Article { kind: PageKind::Text, paragraphs, language, ..Article::default() };
        let verdict = if article.word_count() == 0 {
            Verdict::NotArticle { reason: "no body text".into() }
        } else {
            Verdict::Article
        };
        Extraction { article, verdict, warnings: Vec::new() }
    }

    /// Reads one page's text.
    pub fn extract(&self, text: &str, hints: &PageHints<'_>) -> Extraction {
        let mut warnings = Vec::new();
        let (mut article, declared_language, link_list) = match detect_kind(text, hints.media_type)
        {
            PageKind::Html => {
                let (mut article, facts) = html::read_html(text, hints, false);
                if facts.truncated {
                    warnings.push(format!(
                        "the page has more than {} elements; the rest was not read",
                        html::MAX_NODES
                    ));
                }
                if article.url.is_none() {
                    article.url = hints.url.map(str::to_owned);
                }
                let link_list = !facts.declares_article && facts.page_link_density > 0.6;
                (article, facts.declared_language, link_list)
            }
            PageKind::Text => {
                let mut article = text_page::read_text_page(text);
                article.url = hints.url.map(str::to_owned);
                if article.published.is_none() {
                    article.published = text_page_date(text, &article, hints.reference);
                }
                (article, None, false)
            }
        };
        let body = article.paragraphs.join("\n");
        article.language = lang::identify(&body, declared_language.as_deref());
        let verdict = self.verdict(&article, link_list);
        Extraction { article, verdict, warnings }
    }

    fn verdict(&self, article: &Article, link_list: bool) -> Verdict {
        let words = article.word_count();
        let not = |reason: String| Verdict::NotArticle { reason };
        if words == 0 {
            return not("no body text".into());
        }
        let title = article.title.as_deref().unwrap_or("").to_lowercase();
        let error_title = [
            "404",
            "not found",
            "page not found",
            "error",
            "no longer available",
            "does not exist",
        ]
        .iter()
        .any(|m| title.contains(m));
        if error_title && words < 150 {
            return not(format!("an error page (\"{}\")", article.title.as_deref().unwrap_or("")));
        }
        if words < self.config.min_words {
            return not(format!("too little body text ({words} words)"));
        }
        if link_list && words < 150 {
            return not("mostly links, little prose (a home or section page?)".into());
        }
        Verdict::Article
    }
}

/// The date of a plain-text page whose layout gave none: a wire dateline opening its
/// first paragraph (`MOSCOU, 12 avril (Reuters) -`), then, against the reference time, a
/// relative date on one of its first lines (`vor 2 Stunden`) (#17).
fn text_page_date(
    text: &str,
    article: &Article,
    reference: Option<lede_core::Timestamp>,
) -> Option<lede_core::Published> {
    let published = |raw: &str, d: date::FoundDate| lede_core::Published {
        raw: raw[d.span.range()].to_owned(),
        at: d.at,
    };
    if let Some(first) = article.paragraphs.first()
        && let Some(d) = date::find_dateline(first, reference)
    {
        return Some(published(first, d));
    }
    let reference = reference?;
    text.lines()
        .take(10)
        .filter(|l| l.len() <= 200)
        .find_map(|line| date::find_relative(line, reference).map(|d| published(line, d)))
}

/// Reads a date as pages and records write it (`2019-03-07`, `16 April, 2017, 00:53`,
/// `Tue, 19 Nov 2019 10:30:00 GMT`): the first date in `text`, with the text it was read
/// from as its raw form.
pub fn read_date(text: &str) -> Option<lede_core::Published> {
    let found = date::find_date(text)?;
    Some(lede_core::Published { raw: text[found.span.range()].to_owned(), at: found.at })
}

/// Whether `text` is HTML or a plain-text page: the declared media type when there is one,
/// else whether markup opens the document.
pub fn detect_kind(text: &str, media_type: Option<&str>) -> PageKind {
    match media_type {
        Some("text/html" | "application/xhtml+xml" | "application/xml" | "text/xml") => {
            return PageKind::Html;
        }
        Some("text/plain") => return PageKind::Text,
        _ => {}
    }
    let head =
        normalize::prefix(text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']), 4096);
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<!doctype")
        || lower.starts_with("<html")
        || lower.starts_with("<?xml")
        || lower.starts_with("<!--")
    {
        return PageKind::Html;
    }
    // Pages without a doctype: count tags that only markup has.
    let tags = [
        "<head", "<body", "<div", "<p>", "<p ", "<meta", "<title", "<br", "<span", "<a href",
        "<article", "<script",
    ];
    let hits: usize = tags.iter().map(|t| lower.matches(t).count()).sum();
    if hits >= 2 || (lower.starts_with('<') && hits >= 1) { PageKind::Html } else { PageKind::Text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_bodies() {
        let e = Extractor::default();
        let a = e.extract_text_body("First para\ncontinues.\n\n\nSecond.\n").article;
        assert_eq!(a.paragraphs, ["First para continues.", "Second."]);
        assert_eq!(
            e.extract_text_body("Line one.\nLine two.").article.paragraphs,
            ["Line one.", "Line two."]
        );
        assert_eq!(e.extract_text_body("One long  line.").article.paragraphs, ["One long line."]);
        assert!(matches!(e.extract_text_body("  \n ").verdict, Verdict::NotArticle { .. }));
        assert_eq!(read_date("03.07.19 Schiff, 2019-03-07").unwrap().raw, "2019-03-07");
    }

    #[test]
    fn plain_text_pages_read_relative_dates_against_the_reference_issue_17() {
        let page = "Kremlin annonce des mesures\n\nil y a 3 heures | Par Anne Lee\n\n\
                    Le Kremlin a annoncé mercredi de nouvelles mesures.\n";
        let reference = lede_core::Timestamp::parse_iso("2017-04-12T10:00:00Z").ok();
        let hints = PageHints { reference, ..PageHints::default() };
        let published = Extractor::default().extract(page, &hints).article.published.unwrap();
        assert_eq!(published.at.to_string(), "2017-04-12T07:00:00Z");
        assert_eq!(published.raw, "il y a 3 heures");
        let without = Extractor::default().extract(page, &PageHints::default());
        assert_eq!(without.article.published, None);
    }

    #[test]
    fn detects_kinds() {
        assert_eq!(detect_kind("<!DOCTYPE html><p>x", None), PageKind::Html);
        assert_eq!(detect_kind("\u{feff}  <html>", None), PageKind::Html);
        assert_eq!(detect_kind("<div>a</div><p>b</p>", None), PageKind::Html);
        assert_eq!(detect_kind("Headline\n\nBody with a < sign.", None), PageKind::Text);
        assert_eq!(detect_kind("<p>x", Some("text/plain")), PageKind::Text);
    }

    #[test]
    fn error_pages_are_not_articles() {
        let html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The page you asked for is not here.</p></body></html>";
        let e = Extractor::default().extract(html, &PageHints::default());
        assert!(
            matches!(e.verdict, Verdict::NotArticle { ref reason } if reason.starts_with("an error page")),
            "{:?}",
            e.verdict
        );
    }
}
