//! Reading HTML pages: parse, read the metadata, find the article.
//!
//! The stages, in order: [`dom`] parses into an arena tree; [`meta`] reads what the page
//! declares (JSON-LD, OpenGraph, `<meta>`); [`content`] sets furniture aside and finds the
//! body; this module puts the two together into an [`Article`], preferring declared
//! metadata and falling back on what the body shows (bylines, `<time>`, the URL's date).

mod blocks;
mod content;
mod dom;
mod listing;
mod meta;
mod signals;
mod tag;
mod tokenizer;

pub(crate) use dom::MAX_NODES;
pub use listing::{ListedArticle, listed_articles};

use crate::PageHints;
use crate::byline::parse_byline;
use crate::date::{find_date, find_dateline, find_relative};
use lede_core::{Article, PageKind, Published};

/// What reading an HTML page gives, besides the article.
#[derive(Debug, Default)]
pub(crate) struct HtmlFacts {
    /// Whether the page declares itself an article.
    pub(crate) declares_article: bool,
    /// Share of the page's text that is inside links.
    pub(crate) page_link_density: f32,
    /// Whether the tree was cut short at the node cap.
    pub(crate) truncated: bool,
    /// The declared language (`<html lang>`...), for language identification.
    pub(crate) declared_language: Option<String>,
    /// Why the body is what it is, when asked for.
    pub(crate) explanation: Vec<String>,
}

/// Reads an HTML page. The hints give the page's address when known (for relative links
/// and the date in the address) and the time it was fetched (for relative dates).
/// With `explain`, the facts carry an account of the content decisions.
pub(crate) fn read_html(html: &str, hints: &PageHints<'_>, explain: bool) -> (Article, HtmlFacts) {
    let url = hints.url;
    let dom = dom::Dom::parse(html);
    let meta = meta::read(&dom);

    let base_url = url.and_then(|u| url::Url::parse(u).ok());
    let canonical = meta
        .canonical
        .as_deref()
        .or(meta.og_url.as_deref())
        .and_then(|c| content::resolve(base_url.as_ref(), c))
        .or_else(|| base_url.as_ref().map(|u| u.to_string()));
    let base = canonical.as_deref().and_then(|c| url::Url::parse(c).ok()).or(base_url);

    let title = choose_title(&meta);
    let found = content::extract(&dom, title.as_deref(), base.as_ref(), explain);

    let mut authors = meta.authors.clone();
    if authors.is_empty() {
        for line in &found.bylines {
            for name in parse_byline(line) {
                if !authors.contains(&name) && authors.len() < 10 {
                    authors.push(name);
                }
            }
        }
    }

    // Dates as written, most trusted first: declared metadata, `<time>` and dateline
    // elements, bylines; then a wire dateline opening the body, the address's date, short
    // texts around the headline, and last what only the fetch time can resolve
    // (`vor 2 Stunden`).
    let candidates = || meta.dates.iter().chain(found.times.iter()).chain(found.bylines.iter());
    let published = candidates()
        .find_map(|raw| {
            let d = find_date(raw)?;
            Some(Published { raw: raw[d.span.range()].to_owned(), at: d.at })
        })
        .or_else(|| {
            let first = found.paragraphs.first()?;
            let d = find_dateline(first, hints.reference)?;
            Some(Published { raw: first[d.span.range()].to_owned(), at: d.at })
        })
        .or_else(|| {
            let raw = canonical.as_deref().and_then(meta::date_in_url)?;
            let at = lede_core::Timestamp::parse_iso(&raw).ok()?;
            Some(Published { raw, at })
        })
        .or_else(|| {
            found.page_times.iter().find_map(|raw| {
                let d = find_date(raw)?;
                Some(Published { raw: raw[d.span.range()].to_owned(), at: d.at })
            })
        })
        .or_else(|| {
            let reference = hints.reference?;
            candidates().chain(found.page_times.iter()).find_map(|raw| {
                let d = find_relative(raw, reference)?;
                Some(Published { raw: raw[d.span.range()].to_owned(), at: d.at })
            })
        });

    let outlet = meta.outlet.clone().or_else(|| {
        let host = base.as_ref()?.host_str()?.to_owned();
        Some(host.strip_prefix("www.").map(str::to_owned).unwrap_or(host))
    });

    let article = Article {
        kind: PageKind::Html,
        title,
        authors,
        published,
        outlet,
        url: canonical,
        language: None,
        captions: found.captions,
        paragraphs: found.paragraphs,
        related: found.related,
    };
    let facts = HtmlFacts {
        declares_article: meta.declares_article,
        page_link_density: found.page_link_density,
        truncated: dom.truncated,
        declared_language: meta.language,
        explanation: found.explanation,
    };
    (article, facts)
}

/// The headline: the page's `<h1>` when it agrees with the declared title (or nothing is
/// declared), else the declared title, else `<title>` without the site name.
fn choose_title(meta: &meta::Meta) -> Option<String> {
    let declared = meta.jsonld_headline.as_deref().or(meta.og_title.as_deref());
    if let Some(h1) = meta.h1.as_deref() {
        let agrees = |t: &str| overlap(h1, t) >= 0.6;
        let agrees_with_declared = declared.is_some_and(agrees);
        let agrees_with_title = meta.html_title.as_deref().is_some_and(agrees);
        if agrees_with_declared || (declared.is_none() && agrees_with_title) {
            return Some(h1.to_owned());
        }
    }
    if let Some(d) = declared {
        return Some(meta::strip_site_name(d, meta.outlet.as_deref()));
    }
    meta.html_title
        .as_deref()
        .map(|t| meta::strip_site_name(t, meta.outlet.as_deref()))
        .or_else(|| meta.h1.clone())
}

/// Share of `a`'s words found in `b` (lower case).
fn overlap(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() {
        return 0.0;
    }
    wa.iter().filter(|w| wb.contains(w)).count() as f64 / wa.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_news_page() {
        let html = r#"<!doctype html><html lang="en"><head><title>Town opens library | Daily Example</title>
            <meta property="og:site_name" content="Daily Example"></head><body>
            <header><a href="/">Daily Example</a></header>
            <article><h1>Town opens library</h1><div class="byline">By Ann Lee</div>
            <time datetime="2019-03-04T09:00:00+01:00">March 4</time>
            <p>The town opened its new library on Monday, after three years of building work.</p>
            <p>"It is a great day," said the mayor, who cut the ribbon in front of a large crowd.</p>
            </article><footer><p>Copyright Daily Example, all rights reserved, since 1850.</p></footer></body></html>"#;
        let hints = PageHints {
            url: Some("https://example.com/news/2019/03/04/library"),
            ..PageHints::default()
        };
        let (a, facts) = read_html(html, &hints, false);
        assert_eq!(a.title.as_deref(), Some("Town opens library"));
        assert_eq!(a.authors, ["Ann Lee"]);
        assert_eq!(a.published.as_ref().unwrap().at.to_string(), "2019-03-04T09:00:00+01:00");
        assert_eq!(a.outlet.as_deref(), Some("Daily Example"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/news/2019/03/04/library"));
        assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
        assert_eq!(facts.declared_language.as_deref(), Some("en"));
    }

    #[test]
    fn a_date_near_the_headline_dates_a_page_without_time_stamps_issue_17() {
        let html = "<html><body><header><span>Mittwoch, 12. April 2017</span></header>\
            <h1>Forscher warnt</h1><div class=\"lastchanged\">Stand: 17.06.2025 18:24 Uhr</div>\
            <article><p>Studierende lesen weniger als früher, sagt ein Forscher aus Osnabrück, der seit Jahren Lesegewohnheiten untersucht.</p>\
            <p>Er rät zu mehr Übung im Alltag und in der Schule, denn Lesen lerne man nur durch Lesen.</p></article></body></html>";
        let (a, _) = read_html(html, &PageHints::default(), false);
        let published = a.published.unwrap();
        assert_eq!(published.at.to_string(), "2025-06-17T18:24");
        assert_eq!(published.raw, "17.06.2025 18:24");
    }

    #[test]
    fn relative_dates_and_datelines_need_the_reference_issue_17() {
        let body = "<p>Le Kremlin a annoncé mercredi de nouvelles mesures, après une semaine de discussions avec les représentants des régions concernées.</p>";
        let relative = format!(
            "<html><body><article><h1>Titre</h1><time>il y a 2 heures</time>{body}</article></body></html>"
        );
        let reference = lede_core::Timestamp::parse_iso("2017-04-12T10:00:00Z").ok();
        let with = PageHints { reference, ..PageHints::default() };
        let (a, _) = read_html(&relative, &with, false);
        let published = a.published.unwrap();
        assert_eq!(
            (published.at.to_string().as_str(), published.raw.as_str()),
            ("2017-04-12T08:00:00Z", "il y a 2 heures")
        );
        assert_eq!(read_html(&relative, &PageHints::default(), false).0.published, None);

        let dateline = "<html><body><article><h1>Titre</h1><p>MOSCOU, 11 avril (Reuters) - Le Kremlin a annoncé de nouvelles mesures, après une semaine de discussions.</p></article></body></html>";
        let (a, _) = read_html(dateline, &with, false);
        assert_eq!(a.published.unwrap().at.to_string(), "2017-04-11");
        assert_eq!(read_html(dateline, &PageHints::default(), false).0.published, None);
    }
}
