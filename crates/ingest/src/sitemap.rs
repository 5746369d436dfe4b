//! Sitemaps (<https://www.sitemaps.org/protocol.html>) and news sitemaps, read as a stream.
//!
//! A sitemap is a `<urlset>` of `<url>` entries (`<loc>`, `<lastmod>`, and in a news
//! sitemap `<news:news>` holding `<news:publication_date>`, `<news:title>` and
//! `<news:publication><news:language>`), or a `<sitemapindex>` of `<sitemap>` entries that
//! point at more sitemaps. [`read_sitemap`] reads either from any byte stream, gzip or
//! not, and holds one XML event at a time besides the entries it returns:
//!
//! - the protocol's limits are checked as the bytes arrive: [`SitemapLimits::max_urls`]
//!   entries (50,000) and [`SitemapLimits::max_bytes`] uncompressed (50 MiB). Gzip is
//!   undone under that cap, so a decompression bomb stops at the cap instead of filling
//!   memory;
//! - a run of more than [`MAX_RUN`] bytes without markup (a text or a tag that never
//!   ends) stops the reading, so one XML event never holds more than that, and a field
//!   longer than [`MAX_FIELD`] drops its entry (a real `<loc>` has at most 2,048
//!   characters), so 50,000 entries stay small;
//! - elements are matched by their local name, so any namespace prefix works (`news:`,
//!   `n:`, none), and by their place, so another extension's `<image:loc>` inside
//!   `<image:image>` is not taken for the page's own `<loc>`;
//! - malformed or truncated XML, or bytes that are not UTF-8 (the protocol's encoding),
//!   end the reading, keeping the entries before them, and the [`Sitemap::stopped`]
//!   problem says why.
//!
//! The walk from a site to its sitemaps (robots.txt, indexes, cycles) is in `crawl`;
//! this module only reads bytes, so it is tested on any input without a network.
//!
//! ```
//! use lede_ingest::{SitemapLimits, read_sitemap};
//!
//! let xml = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
//!     xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
//!   <url><loc>https://news.example/a</loc>
//!     <news:news><news:publication><news:language>en</news:language></news:publication>
//!     <news:publication_date>2017-04-16</news:publication_date>
//!     <news:title>Tom &amp; Jerry</news:title></news:news></url>
//! </urlset>"#;
//! let sitemap = read_sitemap(&xml[..], &SitemapLimits::default()).unwrap();
//! let news = sitemap.entries[0].news.as_ref().unwrap();
//! assert_eq!(news.title.as_deref(), Some("Tom & Jerry"));
//! assert_eq!(sitemap.entries[0].date(), Some("2017-04-16"));
//! ```

use crate::error::human_bytes;
use crate::sniff;
use quick_xml::events::Event;
use std::io::{BufRead, BufReader, Read};

/// The most entries one sitemap file may list (the sitemap protocol's limit).
pub const MAX_URLS: usize = 50_000;
/// The most bytes one sitemap file may hold uncompressed (the protocol's 50 MiB).
pub const MAX_BYTES: u64 = 50 << 20;
/// The longest run of bytes without `<` or `>` read: one XML event is never larger.
pub const MAX_RUN: u64 = 1 << 20;
/// The longest field (`<loc>`, a date, a title) kept, in bytes; an entry with a longer one
/// is dropped.
pub const MAX_FIELD: usize = 8 << 10;
/// Elements nested deeper than this end the reading (a sitemap has five levels).
const MAX_DEPTH: usize = 64;

/// How much of a sitemap is read. The defaults are the protocol's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    /// Entries read at most; the next one stops the reading.
    pub max_urls: usize,
    /// Bytes read at most, after gzip.
    pub max_bytes: u64,
}

impl Default for SitemapLimits {
    fn default() -> SitemapLimits {
        SitemapLimits { max_urls: MAX_URLS, max_bytes: MAX_BYTES }
    }
}

/// Whether a sitemap lists pages or more sitemaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// A `<urlset>`: its entries are pages.
    UrlSet,
    /// A `<sitemapindex>`: its entries are sitemaps.
    Index,
}

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitemapEntry {
    /// The address, as written (whitespace trimmed, entities undone).
    pub loc: String,
    /// `<lastmod>`, as written.
    pub lastmod: Option<String>,
    /// What a news sitemap says of the page.
    pub news: Option<NewsEntry>,
}

impl SitemapEntry {
    /// The date to judge the entry by: its news publication date, else its `lastmod`.
    pub fn date(&self) -> Option<&str> {
        self.news.as_ref().and_then(|n| n.publication_date.as_deref()).or(self.lastmod.as_deref())
    }
}

/// The `<news:news>` part of a news sitemap's entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsEntry {
    /// `<news:publication_date>`, as written.
    pub publication_date: Option<String>,
    /// `<news:title>`.
    pub title: Option<String>,
    /// `<news:publication><news:language>`.
    pub language: Option<String>,
}

/// A sitemap as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitemap {
    /// Pages or sitemaps.
    pub kind: SitemapKind,
    /// The entries with an address, in document order.
    pub entries: Vec<SitemapEntry>,
    /// Entries left out: no `<loc>`, or a field longer than [`MAX_FIELD`].
    pub dropped: usize,
    /// Why the reading stopped before the end of the document, if it did.
    pub stopped: Option<SitemapProblem>,
}

/// What is wrong with a sitemap, or with the walk through sitemaps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SitemapProblem {
    /// More entries than the limit.
    #[error(
        "lists more than {limit} URLs, the sitemap protocol's limit: the first {limit} were read, the rest ignored"
    )]
    TooManyUrls {
        /// The limit.
        limit: usize,
    },
    /// More bytes than the limit, after gzip.
    #[error(
        "larger than {} uncompressed, the sitemap protocol's limit (a decompression bomb?): read no further",
        human_bytes(*limit)
    )]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A run of text or a tag longer than [`MAX_RUN`].
    #[error("holds {} without markup: read no further", human_bytes(*limit))]
    RunTooLong {
        /// The limit in bytes.
        limit: u64,
    },
    /// Elements nested deeper than a sitemap's.
    #[error("elements nested more than {limit} deep: read no further")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The XML is malformed.
    #[error("malformed XML near byte {offset}: {message}")]
    Malformed {
        /// Where, in the uncompressed bytes.
        offset: u64,
        /// The XML reader's complaint.
        message: String,
    },
    /// The document ends before its last element closes.
    #[error("ends before its closing tag (truncated)")]
    Truncated,
    /// The gzip stream is corrupt or cut off.
    #[error("corrupt or truncated gzip data: {message}")]
    Gzip {
        /// The decompressor's complaint.
        message: String,
    },
    /// The bytes could not be read.
    #[error("cannot read: {message}")]
    Read {
        /// The underlying failure.
        message: String,
    },
    /// The document's root is something else than a sitemap's.
    #[error("not a sitemap: the document is <{root}>, not <urlset> or <sitemapindex>")]
    NotASitemap {
        /// The root element's name.
        root: String,
    },
    /// No element at all.
    #[error("not a sitemap: no XML element in it")]
    NoElement,
    /// A sitemap index lists a sitemap already read in this crawl (itself, or one that
    /// led to it).
    #[error("lists {url}, a sitemap already read in this crawl (a cycle): not read again")]
    Cycle {
        /// The sitemap listed again.
        url: String,
    },
    /// Sitemap indexes nested deeper than the walk follows.
    #[error("sitemap indexes nested more than {limit} deep: {url} not read")]
    NestedTooDeep {
        /// The limit.
        limit: usize,
        /// The sitemap not read.
        url: String,
    },
    /// More sitemaps than one crawl reads.
    #[error("more than {limit} sitemaps in one crawl: {url} and the rest not read")]
    TooManySitemaps {
        /// The limit.
        limit: usize,
        /// The first sitemap not read.
        url: String,
    },
}

/// Reads a sitemap or sitemap index from `input` (gzip undone when the bytes are gzip),
/// under `limits`. An error when the input is no sitemap at all; otherwise the entries
/// read, and in [`Sitemap::stopped`] why the reading ended early, if it did.
pub fn read_sitemap(input: impl Read, limits: &SitemapLimits) -> Result<Sitemap, SitemapProblem> {
    let mut input = BufReader::new(input);
    let head = input.fill_buf().map_err(|e| SitemapProblem::Read { message: e.to_string() })?;
    let gzipped = sniff::is_gzip(head);
    let unpacked: Box<dyn Read + '_> = if gzipped {
        Box::new(flate2::bufread::MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let capped = Capped { inner: unpacked, read: 0, run: 0, max_bytes: limits.max_bytes };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(capped));
    xml.config_mut().trim_text(false);
    let mut walker = Walker::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let problem = problem_of(&e, xml.buffer_position(), gzipped);
                return walker.stop(problem);
            }
        };
        let step = match event {
            Event::Start(e) => walker.open(e.local_name().as_ref()),
            Event::Empty(e) => {
                walker.open(e.local_name().as_ref()).and_then(|()| walker.close(limits))
            }
            Event::End(_) => walker.close(limits),
            // The reader hands over text already decoded from the document's encoding.
            Event::Text(t) => {
                walker.text(&t);
                Ok(())
            }
            Event::CData(t) => {
                walker.text(&t);
                Ok(())
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        // An entity the document declared itself: kept as written.
                        other => format!("&{other};"),
                    },
                };
                walker.text(&text);
                Ok(())
            }
            Event::Eof => {
                return if walker.path.is_empty() && walker.kind.is_some() {
                    walker.finish(None)
                } else {
                    walker.stop(SitemapProblem::Truncated)
                };
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => Ok(()),
        };
        if let Err(problem) = step {
            return walker.stop(problem);
        }
    }
}

/// Why the XML reader failed: one of our caps, the gzip stream, or the XML itself.
fn problem_of(e: &quick_xml::Error, offset: u64, gzipped: bool) -> SitemapProblem {
    if let quick_xml::Error::Io(io) = e {
        if let Some(cap) = io.get_ref().and_then(|inner| inner.downcast_ref::<CapHit>()) {
            return cap.0.clone();
        }
        return if gzipped {
            SitemapProblem::Gzip { message: io.to_string() }
        } else {
            SitemapProblem::Read { message: io.to_string() }
        };
    }
    SitemapProblem::Malformed { offset, message: e.to_string() }
}

/// The elements a sitemap is made of, by local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    UrlSet,
    SitemapIndex,
    Url,
    Sitemap,
    Loc,
    LastMod,
    News,
    PublicationDate,
    Title,
    Publication,
    Language,
    Other,
}

impl Name {
    fn of(local: &str) -> Name {
        match local {
            "urlset" => Name::UrlSet,
            "sitemapindex" => Name::SitemapIndex,
            "url" => Name::Url,
            "sitemap" => Name::Sitemap,
            "loc" => Name::Loc,
            "lastmod" => Name::LastMod,
            "news" => Name::News,
            "publication_date" => Name::PublicationDate,
            "title" => Name::Title,
            "publication" => Name::Publication,
            "language" => Name::Language,
            _ => Name::Other,
        }
    }
}

/// The fields of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    LastMod,
    PublicationDate,
    Title,
    Language,
}

/// The state of a reading: where in the tree it is and the entry being read.
#[derive(Debug, Default)]
struct Walker {
    kind: Option<SitemapKind>,
    /// The open elements, root first.
    path: Vec<Name>,
    entries: Vec<SitemapEntry>,
    /// The entry being read, and whether a field of it was too long.
    current: Option<(SitemapEntry, bool)>,
    dropped: usize,
}

impl Walker {
    fn open(&mut self, local: &str) -> Result<(), SitemapProblem> {
        let name = Name::of(local);
        if self.path.is_empty() {
            if self.kind.is_some() {
                return Err(SitemapProblem::Malformed {
                    offset: 0,
                    message: "a second root element".into(),
                });
            }
            self.kind = Some(match name {
                Name::UrlSet => SitemapKind::UrlSet,
                Name::SitemapIndex => SitemapKind::Index,
                _ => {
                    return Err(SitemapProblem::NotASitemap {
                        root: local.chars().take(64).collect(),
                    });
                }
            });
        }
        if self.path.len() >= MAX_DEPTH {
            return Err(SitemapProblem::TooDeep { limit: MAX_DEPTH });
        }
        self.path.push(name);
        let entry = match self.kind {
            Some(SitemapKind::UrlSet) => Name::Url,
            _ => Name::Sitemap,
        };
        if self.path.len() == 2 && name == entry {
            self.current = Some((SitemapEntry::default(), false));
        }
        Ok(())
    }

    fn close(&mut self, limits: &SitemapLimits) -> Result<(), SitemapProblem> {
        let closed = self.path.len();
        self.path.pop();
        if closed != 2 {
            return Ok(());
        }
        let Some((mut entry, too_long)) = self.current.take() else { return Ok(()) };
        entry.loc = entry.loc.trim().to_owned();
        if entry.loc.is_empty() || too_long {
            self.dropped += 1;
            return Ok(());
        }
        if self.entries.len() >= limits.max_urls {
            return Err(SitemapProblem::TooManyUrls { limit: limits.max_urls });
        }
        for field in [&mut entry.lastmod].into_iter().flatten() {
            *field = field.trim().to_owned();
        }
        if let Some(news) = &mut entry.news {
            for field in [&mut news.publication_date, &mut news.title, &mut news.language]
                .into_iter()
                .flatten()
            {
                *field = field.trim().to_owned();
            }
        }
        self.entries.push(entry);
        Ok(())
    }

    fn field(&self) -> Option<Field> {
        use Name::{Language, LastMod, Loc, News, Publication, PublicationDate, Title};
        match self.path.get(2..)? {
            [Loc] => Some(Field::Loc),
            [LastMod] => Some(Field::LastMod),
            [News, PublicationDate] => Some(Field::PublicationDate),
            [News, Title] => Some(Field::Title),
            [News, Publication, Language] => Some(Field::Language),
            _ => None,
        }
    }

    fn text(&mut self, text: &str) {
        let Some(field) = self.field() else { return };
        let Some((entry, too_long)) = &mut self.current else { return };
        let slot = match field {
            Field::Loc => &mut entry.loc,
            Field::LastMod => entry.lastmod.get_or_insert_default(),
            Field::PublicationDate => {
                entry.news.get_or_insert_default().publication_date.get_or_insert_default()
            }
            Field::Title => entry.news.get_or_insert_default().title.get_or_insert_default(),
            Field::Language => entry.news.get_or_insert_default().language.get_or_insert_default(),
        };
        if slot.len() + text.len() > MAX_FIELD {
            *too_long = true;
        } else {
            slot.push_str(text);
        }
    }

    /// Ends the reading with what was read.
    fn finish(self, stopped: Option<SitemapProblem>) -> Result<Sitemap, SitemapProblem> {
        let kind = self.kind.expect("finish is called once the root element was read");
        Ok(Sitemap { kind, entries: self.entries, dropped: self.dropped, stopped })
    }

    /// Ends the reading early: an error when not even the root element was read.
    fn stop(self, problem: SitemapProblem) -> Result<Sitemap, SitemapProblem> {
        match (&problem, self.kind) {
            (_, Some(_)) => self.finish(Some(problem)),
            (SitemapProblem::Truncated, None) => Err(SitemapProblem::NoElement),
            (_, None) => Err(problem),
        }
    }
}

/// A cap hit while reading, carried through the XML reader's I/O error.
#[derive(Debug)]
struct CapHit(SitemapProblem);

impl std::fmt::Display for CapHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for CapHit {}

/// A reader that fails once more than `max_bytes` came through it, or a run of more than
/// [`MAX_RUN`] bytes without `<` or `>`.
struct Capped<R> {
    inner: R,
    read: u64,
    /// Bytes since the last `<` or `>`.
    run: u64,
    max_bytes: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.max_bytes {
            return Err(std::io::Error::other(CapHit(SitemapProblem::TooLarge {
                limit: self.max_bytes,
            })));
        }
        let chunk = &buf[..n];
        self.run = match memchr::memrchr2(b'<', b'>', chunk) {
            Some(at) => (n - at - 1) as u64,
            None => self.run + n as u64,
        };
        if self.run > MAX_RUN {
            return Err(std::io::Error::other(CapHit(SitemapProblem::RunTooLong {
                limit: MAX_RUN,
            })));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn read(bytes: &[u8]) -> Result<Sitemap, SitemapProblem> {
        read_sitemap(bytes, &SitemapLimits::default())
    }

    fn locs(s: &Sitemap) -> Vec<&str> {
        s.entries.iter().map(|e| e.loc.as_str()).collect()
    }

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc> https://a.example/one?x=1&amp;y=2 </loc>
    <lastmod>2019-02-01T10:00:00+00:00</lastmod>
    <image:image><image:loc>https://a.example/pic.jpg</image:loc></image:image>
  </url>
  <!-- a comment -->
  <url><loc><![CDATA[https://a.example/two]]></loc></url>
  <url><lastmod>2019-02-03</lastmod></url>
  <url><loc>https://a.example/caf&#233;</loc></url>
</urlset>"#;

    #[test]
    fn reads_a_urlset() {
        let s = read(URLSET.as_bytes()).unwrap();
        assert_eq!(s.kind, SitemapKind::UrlSet);
        assert_eq!(
            locs(&s),
            ["https://a.example/one?x=1&y=2", "https://a.example/two", "https://a.example/café"]
        );
        assert_eq!(s.entries[0].date(), Some("2019-02-01T10:00:00+00:00"));
        assert_eq!(s.entries[1].date(), None);
        assert_eq!((s.dropped, s.stopped.as_ref()), (1, None));
    }

    #[test]
    fn reads_an_index_gzipped() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://a.example/s1.xml.gz</loc><lastmod>2019-01-01</lastmod></sitemap>
            <sitemap><loc>https://a.example/news.xml</loc></sitemap></sitemapindex>"#;
        let s = read(&gz(xml.as_bytes())).unwrap();
        assert_eq!(s.kind, SitemapKind::Index);
        assert_eq!(locs(&s), ["https://a.example/s1.xml.gz", "https://a.example/news.xml"]);
        assert_eq!(s.entries[0].lastmod.as_deref(), Some("2019-01-01"));
    }

    #[test]
    fn reads_a_news_sitemap_with_any_prefix() {
        let xml = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>https://a.example/n1</loc><lastmod>2020-01-01</lastmod>
            <n:news><n:publication><n:name>The Example</n:name><n:language>fr</n:language></n:publication>
              <n:publication_date>2017-04-16T00:53:00+02:00</n:publication_date>
              <n:title>Un titre &lt;important&gt;</n:title></n:news></url></urlset>"#;
        let s = read(xml.as_bytes()).unwrap();
        let e = &s.entries[0];
        let news = e.news.as_ref().unwrap();
        assert_eq!(news.language.as_deref(), Some("fr"));
        assert_eq!(news.title.as_deref(), Some("Un titre <important>"));
        // The publication date wins over lastmod.
        assert_eq!(e.date(), Some("2017-04-16T00:53:00+02:00"));
    }

    #[test]
    fn refuses_what_is_not_a_sitemap() {
        let html = read(b"<!doctype html><html><body>Not found</body></html>").unwrap_err();
        assert_eq!(html, SitemapProblem::NotASitemap { root: "html".into() });
        assert_eq!(read(b"").unwrap_err(), SitemapProblem::NoElement);
        assert_eq!(read(b"just text").unwrap_err(), SitemapProblem::NoElement);
        assert!(matches!(read(&[0x1f, 0x8b, 8, 0, 1, 2]), Err(SitemapProblem::Gzip { .. })));
        assert_eq!(
            read(b"<rss><channel/></rss>").unwrap_err().to_string(),
            "not a sitemap: the document is <rss>, not <urlset> or <sitemapindex>"
        );
    }

    #[test]
    fn a_truncated_sitemap_keeps_what_came_before() {
        let cut = &URLSET[..URLSET.find("<url><loc><![CDATA").unwrap() + 10];
        let s = read(cut.as_bytes()).unwrap();
        assert_eq!(locs(&s), ["https://a.example/one?x=1&y=2"]);
        assert_eq!(s.stopped, Some(SitemapProblem::Truncated));
        let broken = URLSET.replace("</loc></url>\n  <url><lastmod>", "</lox></url><url><lastmod>");
        let s = read(broken.as_bytes()).unwrap();
        assert_eq!(locs(&s), ["https://a.example/one?x=1&y=2"]);
        assert!(matches!(s.stopped, Some(SitemapProblem::Malformed { .. })), "{:?}", s.stopped);
    }

    #[test]
    fn the_url_limit_keeps_the_first_entries() {
        let urls: String =
            (0..10).map(|i| format!("<url><loc>https://a.example/{i}</loc></url>")).collect();
        let xml = format!("<urlset>{urls}</urlset>");
        let limits = SitemapLimits { max_urls: 4, ..SitemapLimits::default() };
        let s = read_sitemap(xml.as_bytes(), &limits).unwrap();
        assert_eq!(s.entries.len(), 4);
        assert_eq!(s.stopped, Some(SitemapProblem::TooManyUrls { limit: 4 }));
        let exact = SitemapLimits { max_urls: 10, ..SitemapLimits::default() };
        assert_eq!(read_sitemap(xml.as_bytes(), &exact).unwrap().stopped, None);
        assert!(
            SitemapProblem::TooManyUrls { limit: 50_000 }
                .to_string()
                .contains("more than 50000 URLs")
        );
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_cap() {
        // 60 MiB of markup in 60 gzip members of 1 MiB each (a gzip file may hold several):
        // a few hundred KiB on the wire.
        let mut bomb = gz(b"<urlset>");
        let member = gz("<x/>".repeat(1 << 18).as_bytes());
        for _ in 0..60 {
            bomb.extend_from_slice(&member);
        }
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let s = read(&bomb).unwrap();
        assert_eq!(s.stopped, Some(SitemapProblem::TooLarge { limit: MAX_BYTES }));
        assert!(s.stopped.unwrap().to_string().contains("larger than 50 MiB uncompressed"));
    }

    #[test]
    fn a_run_without_markup_stops_the_reading() {
        let mut xml = b"<urlset><url><loc>".to_vec();
        xml.extend(std::iter::repeat_n(b'a', (MAX_RUN + 10) as usize));
        let s = read(&xml).unwrap();
        assert_eq!(s.stopped, Some(SitemapProblem::RunTooLong { limit: MAX_RUN }));
        // A long field drops its entry, not the sitemap.
        let long = format!(
            "<urlset><url><loc>https://a.example/{}</loc></url><url><loc>https://a.example/ok</loc></url></urlset>",
            "x".repeat(MAX_FIELD)
        );
        let s = read(long.as_bytes()).unwrap();
        assert_eq!((locs(&s), s.dropped), (vec!["https://a.example/ok"], 1));
    }

    #[test]
    fn deep_nesting_stops_the_reading() {
        let xml = format!("<urlset>{}", "<a>".repeat(1000));
        let s = read(xml.as_bytes()).unwrap();
        assert_eq!(s.stopped, Some(SitemapProblem::TooDeep { limit: MAX_DEPTH }));
    }

    #[test]
    fn bytes_that_are_not_utf8_stop_the_reading() {
        // The protocol says UTF-8; a sitemap in another encoding, declared or not, keeps the
        // entries before its first byte that is not UTF-8 and says why it stopped.
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://a.example/ok</loc></url><url><loc>https://a.example/caf\xe9</loc></url></urlset>";
        let bad = b"<urlset><url><loc>https://a.example/ok</loc></url><url><loc>https://a.example/\xff\xfe</loc></url></urlset>";
        for bytes in [&latin[..], &bad[..]] {
            let s = read(bytes).unwrap();
            assert_eq!(locs(&s), ["https://a.example/ok"]);
            let why = s.stopped.unwrap().to_string();
            assert!(why.contains("cannot decode input using UTF-8"), "{why}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read(&bytes);
            let _ = read(&gz(&bytes));
        }

        #[test]
        fn a_cut_sitemap_reads_a_prefix_of_its_entries(cut in 0..URLSET.len()) {
            let whole = read(URLSET.as_bytes()).unwrap();
            let bytes = &URLSET.as_bytes()[..cut];
            if let Ok(part) = read(bytes) {
                prop_assert!(part.entries.len() <= whole.entries.len());
                // Every entry read whole is one of the sitemap's, in order.
                for (a, b) in part.entries.iter().zip(&whole.entries) {
                    prop_assert!(a.loc == b.loc || b.loc.starts_with(&a.loc));
                }
            }
            let packed = gz(URLSET.as_bytes());
            let _ = read(&packed[..cut.min(packed.len())]);
        }

        #[test]
        fn mangled_sitemaps_never_panic(
            at in 0..URLSET.len(),
            junk in proptest::collection::vec(any::<u8>(), 1..64),
        ) {
            let mut bytes = URLSET.as_bytes().to_vec();
            bytes.splice(at..at, junk);
            if let Ok(s) = read(&bytes) {
                prop_assert!(s.entries.iter().all(|e| !e.loc.is_empty() && e.loc.len() <= MAX_FIELD));
            }
        }
    }
}
