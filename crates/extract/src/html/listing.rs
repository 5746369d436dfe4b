//! The articles a page lists (a section front, a "latest news" page), for following pages
//! that have no feed: links whose text reads as a headline, to an address on the same site
//! that reads as an article's (a slug of several words, or a long number), outside the
//! page's navigation, header and footer.
//!
//! Known failures: a site whose article addresses are short words (`/news/brexit`) is
//! missed; a list of sections with long names can pass for articles.

use super::content::resolve;
use super::dom::Dom;
use super::tag::Tag;
use crate::normalize::collapse_whitespace;

/// A linked article: its address and its headline as the link writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedArticle {
    /// Its address, absolute.
    pub url: String,
    /// The link's text.
    pub title: String,
}

/// Links listed at most (a hostile page cannot make the follower fetch without end).
const MAX_LISTED: usize = 200;

/// The articles the page at `base` (its address) links to, in page order, each once.
pub fn listed_articles(html: &str, base: &str) -> Vec<ListedArticle> {
    let Ok(base_url) = url::Url::parse(base) else { return Vec::new() };
    let host =
        |u: &url::Url| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase());
    let site = host(&base_url);
    let dom = Dom::parse(html);
    let mut out: Vec<ListedArticle> = Vec::new();
    for id in dom.elements_by_tag(Tag::A) {
        if out.len() >= MAX_LISTED {
            break;
        }
        // Navigation, headers and footers list sections, not stories.
        let mut up = dom.parent(id);
        let mut furniture = false;
        while let Some(p) = up {
            if matches!(dom.tag(p), Some(Tag::Nav | Tag::Header | Tag::Footer)) {
                furniture = true;
                break;
            }
            up = dom.parent(p);
        }
        if furniture {
            continue;
        }
        let title = collapse_whitespace(&dom.text_content(id));
        if title.split_whitespace().count() < 4 || title.chars().count() < 20 {
            continue;
        }
        let Some(url) = dom.attr(id, "href").and_then(|h| resolve(Some(&base_url), h)) else {
            continue;
        };
        let Ok(parsed) = url::Url::parse(&url) else { continue };
        if host(&parsed) != site || !looks_like_article(&parsed) {
            continue;
        }
        let mut url = parsed;
        url.set_fragment(None);
        let url = url.to_string();
        if url != base && !out.iter().any(|l| l.url == url) {
            out.push(ListedArticle { url, title });
        }
    }
    out
}

/// An article's address: a path segment that is a slug of three words or more
/// (`tram-line-opens-in-may`), or a number of five digits or more (`/news/world-65432178`,
/// `/story/3000000218734`).
fn looks_like_article(url: &url::Url) -> bool {
    url.path_segments().into_iter().flatten().any(|segment| {
        let segment = segment.split('.').next().unwrap_or(segment);
        segment.split(['-', '_']).filter(|w| !w.is_empty()).count() >= 3
            || segment.chars().filter(char::is_ascii_digit).count() >= 5
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_linking_to_article_addresses_are_listed_once() {
        let html = r#"<html><body>
            <header><a href="/world/europe-news-section-page-here">World news from all over Europe here</a></header>
            <nav><a href="/politics-and-government-news">Politics and government news section</a></nav>
            <main>
              <h2><a href="/2019/01/05/tram-line-opens-in-may">Tram line opens in May, the council says</a></h2>
              <p><a href="https://www.example.org/news/world-65432178#comments">Ministers meet over the budget again</a></p>
              <a href="/2019/01/05/tram-line-opens-in-may">Tram line opens in May, the council says</a>
              <a href="/about">About this newspaper and its many writers</a>
              <a href="/2019/01/06/short">Short</a>
              <a href="https://other.example/2019/01/05/a-story-elsewhere-today">A story elsewhere on another site</a>
              <a href="javascript:void(0)">Click here to read everything we have</a>
            </main>
            <footer><a href="/terms-of-use-and-privacy">Terms of use and privacy policy here</a></footer>
        </body></html>"#;
        let listed = listed_articles(html, "https://example.org/latest");
        let urls: Vec<&str> = listed.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://example.org/2019/01/05/tram-line-opens-in-may",
                "https://www.example.org/news/world-65432178",
            ]
        );
        assert_eq!(listed[0].title, "Tram line opens in May, the council says");
        assert!(listed_articles("", "https://example.org/").is_empty());
        assert!(listed_articles(html, "not a url").is_empty());
    }
}
