//! OPML, the format feed readers import and export subscription lists in: every
//! `<outline>` with an `xmlUrl` attribute is a feed (nested outlines are folders).

use crate::error::{Error, Result};
use lede_core::Origin;
use quick_xml::events::Event;

/// A feed an OPML file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    /// The feed's address (`xmlUrl`).
    pub url: String,
    /// Its title (`title`, else `text`), when given.
    pub title: Option<String>,
}

/// The feeds an OPML document lists, in document order, each once. A document that is not
/// well-formed XML is an error naming `origin`; one without feeds is an empty list.
pub fn read_opml(bytes: &[u8], origin: &Origin) -> Result<Vec<OpmlFeed>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut feeds: Vec<OpmlFeed> = Vec::new();
    let bad = |message: String| Error::Record { origin: origin.clone(), message };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "outline" => {
                let (mut url, mut title, mut text) = (None, None, None);
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| bad(format!("not OPML: {e}")))?;
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| bad(format!("not OPML: {e}")))?
                        .trim()
                        .to_owned();
                    match attr.key.local_name().as_ref() {
                        "xmlUrl" | "xmlurl" => url = Some(value),
                        "title" => title = Some(value),
                        "text" => text = Some(value),
                        _ => {}
                    }
                }
                if let Some(url) = url.filter(|u| !u.is_empty())
                    && !feeds.iter().any(|f| f.url == url)
                {
                    let title = title.or(text).filter(|t| !t.is_empty());
                    feeds.push(OpmlFeed { url, title });
                }
            }
            Ok(Event::Eof) => return Ok(feeds),
            Ok(_) => {}
            Err(e) => {
                return Err(bad(format!("not OPML: {e} (at byte {})", reader.error_position())));
            }
        }
        buf.clear();
    }
}

/// An OPML 2.0 document listing `feeds`.
pub fn write_opml(feeds: &[OpmlFeed], title: &str) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!("  <head><title>{}</title></head>\n  <body>\n", escape(title)));
    for f in feeds {
        let name = escape(f.title.as_deref().unwrap_or(&f.url));
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"/>\n",
            escape(&f.url)
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_read_from_folders_once_and_written_back() {
        let doc = br#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline type="rss" text="Daily &amp; Co" xmlUrl="https://a.example/feed.xml?x=1&amp;y=2"/>
    <outline type="rss" title="B" text="b" xmlUrl="https://b.example/rss"></outline>
  </outline>
  <outline type="rss" xmlUrl="https://b.example/rss"/>
  <outline text="no feed here"/>
</body></opml>"#;
        let feeds = read_opml(doc, &Origin::file("subs.opml")).unwrap();
        assert_eq!(
            feeds,
            [
                OpmlFeed {
                    url: "https://a.example/feed.xml?x=1&y=2".into(),
                    title: Some("Daily & Co".into())
                },
                OpmlFeed { url: "https://b.example/rss".into(), title: Some("B".into()) },
            ]
        );
        let written = write_opml(&feeds, "lede <feeds>");
        assert_eq!(read_opml(written.as_bytes(), &Origin::Stdin).unwrap(), feeds);
        assert!(written.contains("lede &lt;feeds&gt;"));
    }

    #[test]
    fn broken_documents_are_errors_naming_the_file() {
        let err = read_opml(b"<opml><body><outline xmlUrl=\"x></body>", &Origin::file("bad.opml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.opml: not OPML"), "{err}");
        assert!(read_opml(b"", &Origin::Stdin).unwrap().is_empty());
        assert!(read_opml(b"\xff\xfe garbage", &Origin::Stdin).is_ok_and(|f| f.is_empty()));
    }
}
