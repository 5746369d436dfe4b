//! Reading news feeds: RSS 2.0 (and 0.9x/1.0), Atom and JSON Feed, through feed-rs.
//!
//! Each item becomes a structured record: its title, link, publication date (the updated
//! date when none), authors, and its content (or, failing that, its summary) as HTML. With
//! `--follow`, the engine fetches each item's link and reads the page instead.

use crate::error::{Error, Result};
use crate::record::{Body, Payload, RawRecord, Structured};
use lede_core::{Location, Origin};

/// Whether `bytes` start like a feed: an XML document whose root is `<rss>`, `<feed>` or
/// `<rdf:RDF>`, or a JSON Feed.
pub(crate) fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org/version");
    }
    head.starts_with('<')
        && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf"))
        && !head.contains("<html")
}

/// The items of a feed, as records; an unreadable feed is one error naming it.
pub(crate) fn items(bytes: &[u8], input: &Origin) -> Vec<Result<RawRecord>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return vec![Err(Error::Record {
                origin: input.clone(),
                message: format!("not a readable feed: {e}"),
            })];
        }
    };
    let outlet = feed.title.as_ref().map(|t| t.content.trim().to_owned()).filter(|t| !t.is_empty());
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let origin = input.record(Location::Item(i as u64 + 1));
            let url = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone());
            let body = entry
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
                .map_or(Body::None, Body::Html);
            let record = Structured {
                id: Some(entry.id.clone()).filter(|id| !id.is_empty()),
                url,
                outlet: outlet.clone(),
                title: entry.title.as_ref().map(|t| t.content.trim().to_owned()),
                date: entry.published.or(entry.updated).map(|d| d.to_rfc3339()),
                authors: entry
                    .authors
                    .iter()
                    .filter_map(|p| p.name.as_deref())
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .collect(),
                body,
                captions: Vec::new(),
                related: Vec::new(),
                language: None,
                published_raw: None,
                extra: None,
            };
            Ok(RawRecord { origin, payload: Payload::Structured(record) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rss_and_atom() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Example</title>
            <item><title>Bridge closes</title><link>https://ex.example/bridge</link><pubDate>Tue, 19 Nov 2019 10:00:00 GMT</pubDate>
            <description>&lt;p&gt;The bridge closes for repairs.&lt;/p&gt;</description><guid>b1</guid></item>
            <item><title>Only a link</title><link>https://ex.example/link</link></item></channel></rss>"#;
        assert!(looks_like_feed(rss));
        let got = items(rss, &Origin::file("feed.xml"));
        assert_eq!(got.len(), 2);
        let Ok(RawRecord { payload: Payload::Structured(r), origin }) = &got[0] else { panic!() };
        assert_eq!(origin.to_string(), "feed.xml (item 1)");
        assert_eq!(r.title.as_deref(), Some("Bridge closes"));
        assert_eq!(r.url.as_deref(), Some("https://ex.example/bridge"));
        assert_eq!(r.outlet.as_deref(), Some("Daily Example"));
        assert_eq!(r.date.as_deref(), Some("2019-11-19T10:00:00+00:00"));
        assert!(matches!(&r.body, Body::Html(h) if h.contains("bridge closes")));
        let Ok(RawRecord { payload: Payload::Structured(r), .. }) = &got[1] else { panic!() };
        assert_eq!(r.body, Body::None);

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>x</id><title>T</title>
            <link href="https://a.example/t"/><updated>2019-11-19T10:00:00Z</updated><content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"#;
        assert!(looks_like_feed(atom));
        assert_eq!(items(atom, &Origin::Stdin).len(), 1);
    }

    #[test]
    fn invalid_xml_is_one_clear_error() {
        let broken = b"<rss><channel><item><title>x</title></channel";
        let got = items(broken, &Origin::file("bad.xml"));
        assert_eq!(got.len(), 1);
        assert!(
            got[0].as_ref().unwrap_err().to_string().starts_with("bad.xml: not a readable feed")
        );
        assert!(!looks_like_feed(b"<!doctype html><html><body>rss</body></html>"));
    }
}
