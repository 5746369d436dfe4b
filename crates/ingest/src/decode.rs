//! Choosing a page's character encoding and decoding it.
//!
//! ## What it detects
//! The encoding of a page's bytes, in the order a browser would trust the evidence.
//!
//! ## Signals
//! 1. A byte-order mark (UTF-8, UTF-16LE, UTF-16BE).
//! 2. The `charset` of the HTTP `Content-Type` header, when the page was fetched.
//! 3. `<meta charset="…">`, `<meta http-equiv="Content-Type" content="…; charset=…">` or an
//!    XML declaration's `encoding="…"` in the first 4 KiB.
//! 4. Bytes that are valid UTF-8 are UTF-8.
//! 5. Otherwise chardetng's guess, told the URL's top-level domain when there is one.
//!
//! Labels go through the WHATWG Encoding Standard (`latin1` and `iso-8859-1` mean
//! windows-1252; a `<meta>` that says UTF-16 means UTF-8, as in browsers).
//!
//! ## Known failures
//! A page whose declaration is wrong keeps the wrong encoding (browsers do the same); the
//! malformed sequences are counted, and a page that is mostly malformed is refused.
//!
//! ## Example
//! `<meta charset="iso-8859-1">` followed by the byte `0xE9` decodes to `é`.

use crate::error::{Error, Result};
use crate::read::RawPage;
use encoding_rs::{Encoding, UTF_8};
use lede_core::Origin;
use std::borrow::Cow;

/// A page decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedPage {
    /// The page's text, without a byte-order mark.
    pub text: String,
    /// Where the page came from.
    pub origin: Origin,
    /// The page's address, when known.
    pub url: Option<String>,
    /// The media type from the HTTP header (`text/html`), when fetched.
    pub media_type: Option<String>,
    /// The encoding used, by its WHATWG name (`UTF-8`, `windows-1252`).
    pub encoding: &'static str,
    /// Byte sequences that were not valid in that encoding, replaced by U+FFFD.
    pub malformed: usize,
}

/// Decodes a page, choosing its encoding as the module documentation describes.
///
/// A handful of malformed sequences is normal on the web and only counted; a page where
/// more than one character in twenty is malformed is not text, and is refused.
pub fn decode(page: RawPage) -> Result<DecodedPage> {
    let RawPage { bytes, origin, content_type, url } = page;
    let media_type = content_type
        .as_deref()
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    let encoding = choose_encoding(&bytes, content_type.as_deref(), url.as_deref());
    let (text, used, had_errors) = encoding.decode(&bytes);
    let malformed = if had_errors { text.chars().filter(|&c| c == '\u{fffd}').count() } else { 0 };
    let chars = if had_errors { text.chars().count() } else { 0 };
    if malformed > 0 && malformed * 20 > chars {
        return Err(Error::Garbled { origin, encoding: used.name(), malformed, chars });
    }
    let text = match text {
        Cow::Owned(text) => text,
        // The bytes are the text as they are (after a byte-order mark): keep them instead
        // of copying the page.
        Cow::Borrowed(t) => {
            let start = t.as_ptr() as usize - bytes.as_ptr() as usize;
            let end = start + t.len();
            let mut bytes = bytes;
            bytes.truncate(end);
            bytes.drain(..start);
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    };
    Ok(DecodedPage { text, origin, url, media_type, encoding: used.name(), malformed })
}

fn choose_encoding(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if let Some(encoding) =
        content_type.and_then(charset_param).and_then(|l| Encoding::for_label(l.as_bytes()))
    {
        return encoding.output_encoding();
    }
    if let Some(encoding) = prescan(&bytes[..bytes.len().min(4096)]) {
        // A page that says UTF-16 in a <meta> cannot be UTF-16 (the <meta> was readable as
        // ASCII), so browsers read it as UTF-8; output_encoding() does the same.
        return encoding.output_encoding();
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector
        .guess(url.and_then(top_level_domain).map(str::as_bytes), chardetng::Utf8Detection::Allow)
}

/// `charset` from a `Content-Type` value: `text/html; charset="utf-8"` gives `utf-8`.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The label in `<meta charset>`, `<meta http-equiv content="…charset=…">` or `<?xml
/// encoding="…"?>`, found by a byte scan of the page's first bytes.
fn prescan(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    if lower.starts_with(b"<?xml") {
        let end = memchr::memmem::find(&lower, b"?>").unwrap_or(lower.len());
        if let Some(label) = attr_value(&head[..end], &lower[..end], b"encoding") {
            return Encoding::for_label(label);
        }
    }
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |p| start + p);
        let (tag, tag_lower) = (&head[start..end], &lower[start..end]);
        if let Some(label) = attr_value(tag, tag_lower, b"charset")
            && let Some(e) = Encoding::for_label(label)
        {
            return Some(e);
        }
        if let Some(content) = attr_value(tag, tag_lower, b"content") {
            let content = String::from_utf8_lossy(content);
            if let Some(e) = charset_param(&format!("x;{content}"))
                .and_then(|l| Encoding::for_label(l.as_bytes()))
            {
                return Some(e);
            }
        }
        from = end;
    }
    None
}

/// The value of attribute `name` inside one tag's bytes (found in the lower-cased copy,
/// taken from the original), quoted or not.
fn attr_value<'a>(tag: &'a [u8], lower: &[u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(&lower[from..], name) {
        let at = from + pos;
        from = at + name.len();
        // The name must start an attribute: preceded by white space (or `<?xml `).
        if at == 0 || !lower[at - 1].is_ascii_whitespace() {
            continue;
        }
        let mut i = at + name.len();
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let (start, end) = match tag.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let len = tag[i + 1..].iter().position(|&b| b == q).unwrap_or(tag.len() - i - 1);
                (i + 1, i + 1 + len)
            }
            Some(_) => {
                let len = tag[i..]
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>');
                (i, i + len.unwrap_or(tag.len() - i))
            }
            None => continue,
        };
        return Some(&tag[start..end]);
    }
    None
}

/// `fr` from `https://www.lemonde.fr/…`.
fn top_level_domain(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_bytes(bytes: &[u8], content_type: Option<&str>) -> DecodedPage {
        let mut page = RawPage::new(bytes.to_vec(), Origin::Stdin);
        page.content_type = content_type.map(str::to_owned);
        decode(page).unwrap()
    }

    #[test]
    fn the_bom_wins() {
        let d = decode_bytes(b"\xef\xbb\xbf<meta charset=latin1>caf\xc3\xa9", None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("<meta"), "the BOM is removed");
        let d = decode_bytes(b"\xff\xfeh\0i\0", None);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE", "hi"));
    }

    #[test]
    fn the_http_header_beats_meta() {
        let d =
            decode_bytes(b"<meta charset=utf-8>caf\xe9", Some("text/html; charset=\"ISO-8859-1\""));
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.ends_with("café"));
        assert_eq!(d.media_type.as_deref(), Some("text/html"));
    }

    #[test]
    fn meta_and_xml_declarations() {
        assert_eq!(decode_bytes(b"<html><META CHARSET='koi8-r'>\xc1", None).encoding, "KOI8-R");
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=shift_jis\">";
        assert_eq!(decode_bytes(equiv, None).encoding, "Shift_JIS");
        assert_eq!(
            decode_bytes(b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a/>", None).encoding,
            "ISO-8859-2"
        );
        assert_eq!(decode_bytes(b"<meta charset=utf-16><p>x", None).encoding, "UTF-8");
        assert_eq!(
            decode_bytes(b"<meta name=description content=\"about charset=none\">", None).encoding,
            "UTF-8"
        );
    }

    #[test]
    fn undeclared_pages_are_detected() {
        assert_eq!(decode_bytes("naïve café".as_bytes(), None).encoding, "UTF-8");
        let latin = b"<p>Le gouvernement fran\xe7ais a annonc\xe9 une r\xe9forme des \xe9coles et des h\xf4pitaux.</p>";
        let d = decode_bytes(latin, None);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("français"));
    }

    #[test]
    fn malformed_bytes_are_counted_or_refused() {
        let d = decode_bytes(
            b"<meta charset=utf-8><p>one bad byte \xff in a long enough line of text</p>",
            None,
        );
        assert_eq!(d.malformed, 1);
        let garbage: Vec<u8> = b"<meta charset=utf-8>"
            .iter()
            .copied()
            .chain((0..400).map(|i| 0x80 + (i % 60) as u8))
            .collect();
        let err = decode(RawPage::new(garbage, Origin::file("junk.html"))).unwrap_err();
        assert!(err.to_string().starts_with("junk.html: not valid UTF-8 text"), "{err}");
    }

    #[test]
    fn finds_top_level_domains() {
        assert_eq!(top_level_domain("https://www.lemonde.fr/a/b"), Some("fr"));
        assert_eq!(top_level_domain("http://user@host.co.jp:8080/"), Some("jp"));
        assert_eq!(top_level_domain("http://127.0.0.1/"), None);
    }
}
