//! Reading a page's metadata: headline, authors, date, outlet, address, language.
//!
//! ## What it detects
//! The article's metadata as the page declares it, before looking at the body text.
//!
//! ## Signals
//! In order of trust: JSON-LD objects of an article type (`NewsArticle`, `Article`,
//! `BlogPosting`, `ReportageNewsArticle`… found at the top level, in arrays and in
//! `@graph`); OpenGraph and Twitter `<meta property>`s; other `<meta name>`s (`author`,
//! `article:published_time`, `pubdate`, `dc.date`, `parsely-pub-date`, `sailthru.date`…);
//! `<link rel="canonical">`; `<html lang>`; `<title>` with the site name cut off; the
//! first `<h1>`.
//!
//! ## Known failures
//! A JSON-LD block that is not valid JSON is ignored. A page that declares the wrong date
//! in its metadata (a CMS default, the modification date as publication date) gets that
//! date.
//!
//! ## Example
//! `<meta property="og:site_name" content="The Times">` gives the outlet `The Times`.

use super::dom::Dom;
use super::tag::Tag;
use crate::byline::parse_byline;
use crate::normalize::collapse_whitespace;
use serde_json::Value;

/// Metadata the page declares.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    /// `(headline, source)` candidates, most trusted first.
    pub(crate) jsonld_headline: Option<String>,
    pub(crate) og_title: Option<String>,
    pub(crate) html_title: Option<String>,
    pub(crate) h1: Option<String>,
    pub(crate) authors: Vec<String>,
    /// Publication time candidates as written, most trusted first.
    pub(crate) dates: Vec<String>,
    pub(crate) outlet: Option<String>,
    pub(crate) canonical: Option<String>,
    pub(crate) og_url: Option<String>,
    pub(crate) language: Option<String>,
    /// Whether the page declares itself an article (`og:type`, JSON-LD type).
    pub(crate) declares_article: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "livebloposting",
    "liveblogposting",
    "askpublicnewsarticle",
    "satiricalarticle",
    "scholarlyarticle",
    "techarticle",
    "report",
    "socialmediaposting",
    "posting",
    "webpage",
];

const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "article:published:time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "date",
    "displaydate",
    "cxenseparse:recs:publishtime",
    "release_date",
    "citation_publication_date",
    "citation_date",
    "analyticsattributes.articledate",
    "article.created",
];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
    "citation_author",
    "dc.contributor",
];
const OUTLET_KEYS: &[&str] =
    &["og:site_name", "application-name", "publisher", "dc.publisher", "twitter:app:name:iphone"];

/// Reads the metadata of `dom`.
pub(crate) fn read(dom: &Dom) -> Meta {
    let mut meta = Meta::default();
    let mut meta_dates: Vec<(usize, String)> = Vec::new();
    let mut meta_authors: Vec<String> = Vec::new();
    let mut outlet_candidates: Vec<(usize, String)> = Vec::new();
    for i in 0..dom.len() {
        let id = dom.id_at(i);
        match dom.tag(id) {
            Some(Tag::Meta) => {
                let Some(content) = dom.attr(id, "content") else { continue };
                let content = collapse_whitespace(content);
                if content.is_empty() {
                    continue;
                }
                for key_attr in ["property", "name", "itemprop", "http-equiv"] {
                    let Some(key) = dom.attr(id, key_attr) else { continue };
                    let key = key.trim().to_ascii_lowercase();
                    match key.as_str() {
                        "og:title" | "twitter:title" if meta.og_title.is_none() => {
                            meta.og_title = Some(content.clone());
                        }
                        "og:url" if meta.og_url.is_none() => meta.og_url = Some(content.clone()),
                        "og:type" if content.eq_ignore_ascii_case("article") => {
                            meta.declares_article = true;
                        }
                        "og:locale" | "content-language" | "language" | "dc.language"
                            if meta.language.is_none() =>
                        {
                            meta.language = Some(content.clone());
                        }
                        _ => {}
                    }
                    if let Some(rank) = DATE_KEYS.iter().position(|k| *k == key) {
                        meta_dates.push((rank, content.clone()));
                    }
                    // `author`, and vendor-prefixed forms: `DCSext.author`, `sailthru.author`.
                    let author_key = AUTHOR_KEYS.contains(&key.as_str())
                        || key
                            .rsplit(['.', ':', '-', '_'])
                            .next()
                            .is_some_and(|last| last == "author" || last == "authors");
                    if author_key && !looks_like_url(&content) {
                        meta_authors.push(content.clone());
                    }
                    if let Some(rank) = OUTLET_KEYS.iter().position(|k| *k == key) {
                        outlet_candidates.push((rank, content.clone()));
                    }
                }
            }
            Some(Tag::Link) => {
                let rel = dom.attr(id, "rel").unwrap_or("");
                if rel.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical"))
                    && meta.canonical.is_none()
                {
                    meta.canonical =
                        dom.attr(id, "href").map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
                }
            }
            Some(Tag::Title) if meta.html_title.is_none() => {
                let t = collapse_whitespace(&dom.text_content(id));
                if !t.is_empty() {
                    meta.html_title = Some(t);
                }
            }
            Some(Tag::H1) if meta.h1.is_none() => {
                let t = collapse_whitespace(&dom.text_content(id));
                if !t.is_empty() && t.chars().count() <= 300 {
                    meta.h1 = Some(t);
                }
            }
            Some(Tag::Html) if meta.language.is_none() => {
                meta.language =
                    dom.attr(id, "lang").or_else(|| dom.attr(id, "xml:lang")).map(str::to_owned);
            }
            Some(Tag::Script) => {
                if let Some(text) = dom.node(id).first_child.and_then(|c| dom.text(c)) {
                    read_jsonld(text, &mut meta);
                }
            }
            _ => {}
        }
    }
    // JSON-LD first (read_jsonld filled `dates`/`authors`), then <meta>.
    meta_dates.sort_by_key(|(rank, _)| *rank);
    meta.dates.extend(meta_dates.into_iter().map(|(_, d)| d));
    if meta.authors.is_empty() {
        for a in meta_authors {
            for name in parse_byline(&a) {
                if !meta.authors.contains(&name) {
                    meta.authors.push(name);
                }
            }
        }
    }
    outlet_candidates.sort_by_key(|(rank, _)| *rank);
    if meta.outlet.is_none() {
        meta.outlet = outlet_candidates.into_iter().map(|(_, o)| o).next();
    }
    meta
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("www.")
        || s.starts_with('/')
}

/// Reads a `<script type="application/ld+json">` body into `meta`.
fn read_jsonld(text: &str, meta: &mut Meta) {
    let cleaned = text.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
    let cleaned = cleaned.trim_start_matches("//<![CDATA[").trim_end_matches("//]]>").trim();
    let Ok(value) = serde_json::from_str::<Value>(cleaned) else { return };
    let mut objects = Vec::new();
    collect_objects(&value, &mut objects, 0);
    // Article types first, WebPage last.
    objects.sort_by_key(|o| type_rank(o));
    for obj in objects {
        let rank = type_rank(obj);
        if rank >= ARTICLE_TYPES.len() {
            continue;
        }
        if rank < ARTICLE_TYPES.len() - 1 {
            meta.declares_article = true;
        }
        if meta.jsonld_headline.is_none() {
            meta.jsonld_headline = str_field(obj, "headline").or_else(|| {
                if rank < ARTICLE_TYPES.len() - 1 { str_field(obj, "name") } else { None }
            });
        }
        for key in ["datePublished", "dateCreated", "uploadDate"] {
            if let Some(d) = str_field(obj, key)
                && !meta.dates.contains(&d)
            {
                meta.dates.push(d);
            }
        }
        if meta.authors.is_empty()
            && let Some(author) = obj.get("author").or_else(|| obj.get("creator"))
        {
            let mut names = Vec::new();
            author_names(author, &mut names);
            for name in names.iter().flat_map(|n| parse_byline(n)) {
                if !meta.authors.contains(&name) {
                    meta.authors.push(name);
                }
            }
        }
        if meta.outlet.is_none() {
            meta.outlet = obj.get("publisher").and_then(|p| match p {
                Value::Object(_) => str_field(p, "name"),
                Value::Array(a) => a.first().and_then(|p| str_field(p, "name")),
                Value::String(s) => Some(collapse_whitespace(s)),
                _ => None,
            });
        }
    }
}

/// Objects with an `@type`, depth-first, bounded in depth.
fn collect_objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 || out.len() > 64 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            if map.contains_key("@type") {
                out.push(v);
            }
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Position of the object's type in [`ARTICLE_TYPES`] (past the end if none).
fn type_rank(v: &Value) -> usize {
    let types: Vec<String> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => {
            a.iter().filter_map(|t| t.as_str()).map(str::to_ascii_lowercase).collect()
        }
        _ => Vec::new(),
    };
    types
        .iter()
        .filter_map(|t| ARTICLE_TYPES.iter().position(|k| *k == t))
        .min()
        .unwrap_or(ARTICLE_TYPES.len())
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(collapse_whitespace(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => {
            a.iter().find_map(|x| x.as_str()).map(collapse_whitespace).filter(|s| !s.is_empty())
        }
        _ => None,
    }
}

fn author_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !looks_like_url(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().take(20).for_each(|i| author_names(i, out)),
        Value::Object(_) => {
            let is_org = type_rank(v) == ARTICLE_TYPES.len()
                && v.get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.eq_ignore_ascii_case("organization"));
            if !is_org && let Some(n) = str_field(v, "name") {
                out.push(n);
            }
        }
        _ => {}
    }
}

/// The page title without the site name: `Headline | Site` gives `Headline`.
pub(crate) fn strip_site_name(title: &str, outlet: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_is_site = outlet.is_some_and(|o| tail.trim().eq_ignore_ascii_case(o.trim()))
                || tail.split_whitespace().count() <= 4;
            if tail_is_site && head.split_whitespace().count() >= 3 {
                return strip_site_name(head.trim(), outlet);
            }
        }
    }
    title.to_owned()
}

/// A date written in the page's address (`/2019/11/19/`, `/2019-11-19/`).
pub(crate) fn date_in_url(url: &str) -> Option<String> {
    use regex::Regex;
    use std::sync::LazyLock;
    static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)[0-9]{2})[/-]([0-9]{1,2})[/-]([0-9]{1,2})(?:/|-|$|\.)")
            .expect("valid URL date regex")
    });
    let c = URL_DATE.captures(url)?;
    let (y, m, d): (i32, u8, u8) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    lede_core::Timestamp::date(y, m, d).ok().map(|t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonld_and_meta() {
        let html = r#"<html lang="en-GB"><head><title>Big news | The Paper</title>
            <meta property="og:site_name" content="The Paper">
            <meta property="og:title" content="Big news">
            <meta name="author" content="By Jane Doe">
            <meta property="article:published_time" content="2019-11-19T10:30:00Z">
            <link rel="canonical" href="https://paper.example/big-news">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
              {"@type":"NewsArticle","headline":"Big news, really","datePublished":"2019-11-19T05:30:00-05:00",
               "author":[{"@type":"Person","name":"John Smith"}],"publisher":{"@type":"Organization","name":"Paper Inc"}}]}</script>
            </head><body><h1>Big news</h1></body></html>"#;
        let m = read(&Dom::parse(html));
        assert_eq!(m.jsonld_headline.as_deref(), Some("Big news, really"));
        assert_eq!(m.og_title.as_deref(), Some("Big news"));
        assert_eq!(m.authors, ["John Smith"]);
        assert_eq!(m.dates[0], "2019-11-19T05:30:00-05:00");
        assert_eq!(m.dates[1], "2019-11-19T10:30:00Z");
        assert_eq!(m.outlet.as_deref(), Some("Paper Inc"));
        assert_eq!(m.canonical.as_deref(), Some("https://paper.example/big-news"));
        assert_eq!(m.language.as_deref(), Some("en-GB"));
        assert_eq!(m.h1.as_deref(), Some("Big news"));
        assert!(m.declares_article);
    }

    #[test]
    fn bad_jsonld_is_ignored() {
        let m = read(&Dom::parse(
            r#"<script type="application/ld+json">{"@type": "NewsArticle",</script><meta name=author content="Ann Lee">"#,
        ));
        assert_eq!(m.authors, ["Ann Lee"]);
        assert_eq!(m.jsonld_headline, None);
    }

    #[test]
    fn site_names_and_url_dates() {
        assert_eq!(
            strip_site_name("Big news on the economy | The Paper", None),
            "Big news on the economy"
        );
        assert_eq!(
            strip_site_name("Big news on the economy - World - The Paper", Some("The Paper")),
            "Big news on the economy"
        );
        assert_eq!(strip_site_name("Yes - No", None), "Yes - No");
        assert_eq!(
            date_in_url("https://x.com/2019/11/19/politics/a.html").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(date_in_url("https://x.com/news/2019-11-19-a"), Some("2019-11-19".into()));
        assert_eq!(date_in_url("https://x.com/a/123456"), None);
    }
}
