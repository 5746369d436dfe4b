//! Reading WARC files (ISO 28500): the HTML responses of a web crawl.
//!
//! ## What it reads
//! `response` records whose payload is an HTTP response with status 2xx and an HTML or
//! text body, and `resource` records of those media types. Each becomes a page with the
//! record's `WARC-Target-URI` as its address and `WARC-Date` as a fallback date. Other
//! records (requests, metadata, redirects, images) are skipped without complaint.
//!
//! ## Signals
//! The WARC headers (`Content-Length` decides where a record ends), then the HTTP status
//! line and headers of the payload: `Content-Type` (media type and charset),
//! `Transfer-Encoding: chunked` and `Content-Encoding: gzip`/`deflate`, which are undone.
//!
//! ## Known failures
//! A record cut short, or one whose header block is not WARC, ends the file with an error
//! naming its offset: the records before it are kept. Brotli-encoded payloads are reported
//! and skipped. Offsets count bytes of the uncompressed stream.

use crate::error::{Error, Result};
use crate::read::RawPage;
use crate::record::{Payload, RawRecord};
use lede_core::{Location, Origin};
use std::io::{BufRead, Read};

/// Reads WARC records from `reader` (already decompressed).
pub(crate) struct WarcRecords<R> {
    reader: R,
    input: Origin,
    offset: u64,
    max_bytes: u64,
    done: bool,
}

impl<R: BufRead> WarcRecords<R> {
    pub(crate) fn new(reader: R, input: Origin, max_bytes: u64) -> WarcRecords<R> {
        WarcRecords { reader, input, offset: 0, max_bytes, done: false }
    }

    fn fail(&mut self, at: u64, message: impl Into<String>) -> Option<Result<RawRecord>> {
        self.done = true;
        Some(Err(Error::Record {
            origin: self.input.record(Location::Offset(at)),
            message: message.into(),
        }))
    }

    fn read_line(&mut self, line: &mut Vec<u8>) -> std::io::Result<usize> {
        line.clear();
        let n = (&mut self.reader).take(64 * 1024).read_until(b'\n', line)?;
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> Iterator for WarcRecords<R> {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Result<RawRecord>> {
        let mut line = Vec::new();
        loop {
            if self.done {
                return None;
            }
            // Skip the blank lines between records.
            let start = loop {
                let at = self.offset;
                match self.read_line(&mut line) {
                    Ok(0) => return None,
                    Ok(_) if line.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(_) => break at,
                    Err(e) => return self.fail(self.offset, format!("cannot read: {e}")),
                }
            };
            if !line.starts_with(b"WARC/") {
                return self.fail(start, "not a WARC record header (expected \"WARC/1.x\")");
            }
            let mut headers: Vec<(String, String)> = Vec::new();
            loop {
                match self.read_line(&mut line) {
                    Ok(0) => {
                        return self
                            .fail(start, "truncated record: the file ends inside its headers");
                    }
                    Ok(_) if line == b"\r\n" || line == b"\n" => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line);
                        if let Some((k, v)) = text.split_once(':') {
                            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                        }
                    }
                    Err(e) => return self.fail(start, format!("cannot read: {e}")),
                }
            }
            let header =
                |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
            let Some(length) = header("content-length").and_then(|v| v.parse::<u64>().ok()) else {
                return self.fail(start, "record without a valid Content-Length");
            };
            let kind = header("warc-type").unwrap_or("").to_ascii_lowercase();
            let uri = header("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_owned());
            let date = header("warc-date").map(str::to_owned);
            let block_type = header("content-type").unwrap_or("").to_ascii_lowercase();
            let wanted = (kind == "response" && block_type.starts_with("application/http"))
                || kind == "resource";
            if !wanted || length > self.max_bytes + 64 * 1024 {
                // Skip the block without keeping it.
                match std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink()) {
                    Ok(n) if n == length => {
                        self.offset += n;
                        if wanted {
                            let origin = self.input.record(Location::Offset(start));
                            return Some(Err(Error::TooLarge { origin, limit: self.max_bytes }));
                        }
                        continue;
                    }
                    Ok(_) => {
                        return self
                            .fail(start, "truncated record: the file ends inside its content");
                    }
                    Err(e) => return self.fail(start, format!("cannot read: {e}")),
                }
            }
            let mut block = Vec::with_capacity(length as usize);
            match (&mut self.reader).take(length).read_to_end(&mut block) {
                Ok(n) if n as u64 == length => self.offset += length,
                Ok(_) => {
                    return self.fail(start, "truncated record: the file ends inside its content");
                }
                Err(e) => return self.fail(start, format!("cannot read: {e}")),
            }
            let origin = self.input.record(Location::Offset(start));
            let page = if kind == "resource" {
                Some(HttpBody { bytes: block, content_type: Some(block_type) })
            } else {
                match http_payload(block, self.max_bytes) {
                    Ok(p) => p,
                    Err(message) => return Some(Err(Error::Record { origin, message })),
                }
            };
            let Some(HttpBody { bytes, content_type }) = page else { continue };
            let is_page = content_type.as_deref().is_none_or(|ct| {
                let ct = ct.to_ascii_lowercase();
                ct.contains("html") || ct.starts_with("text/plain")
            });
            if !is_page {
                continue;
            }
            let page = RawPage { bytes, origin: origin.clone(), content_type, url: uri };
            return Some(Ok(RawRecord {
                origin,
                payload: Payload::Page { page, date_hint: date },
            }));
        }
    }
}

/// The body and content type of an HTTP response with a 2xx status; `None` for other
/// statuses.
/// An HTTP response's body, transfer and content encodings undone.
struct HttpBody {
    bytes: Vec<u8>,
    content_type: Option<String>,
}

/// The body of an HTTP response block (`block` becomes it: the header is drained, not the
/// body copied).
fn http_payload(
    mut block: Vec<u8>,
    max_bytes: u64,
) -> std::result::Result<Option<HttpBody>, String> {
    let end = memchr::memmem::find(&block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(&block, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = end else {
        return Err("HTTP response without a header block".into());
    };
    let head = String::from_utf8_lossy(&block[..head_end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad HTTP status line {status:?}"))?;
    if !(200..300).contains(&code) {
        return Ok(None);
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(v.trim().to_owned()),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = v.trim().to_ascii_lowercase(),
            _ => {}
        }
    }
    block.drain(..body_start);
    let mut body = block;
    if chunked {
        body = dechunk(&body).ok_or("malformed chunked transfer encoding")?;
    }
    let decoded = match encoding.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&body[..]), max_bytes)?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(&body[..]), max_bytes)?,
        other => return Err(format!("content encoding {other:?} is not supported")),
    };
    Ok(Some(HttpBody { bytes: decoded, content_type }))
}

fn inflate(reader: impl Read, max_bytes: u64) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("corrupt compressed body: {e}"))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "body larger than the {} cap once decompressed",
            crate::error::human_bytes(max_bytes)
        ));
    }
    Ok(out)
}

/// Undoes HTTP chunked transfer encoding.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = memchr::memchr(b'\n', body)?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?.trim();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2019-03-04T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn read(bytes: &[u8]) -> Vec<Result<RawRecord>> {
        WarcRecords::new(bytes, Origin::file("crawl.warc"), 1 << 20).collect()
    }

    #[test]
    fn reads_html_responses_and_skips_the_rest() {
        let mut warc = record("request", "https://a.example/", b"GET / HTTP/1.1\r\n\r\n");
        warc.extend(record(
            "response",
            "https://a.example/",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello</p>",
        ));
        warc.extend(record(
            "response",
            "https://a.example/x.png",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        warc.extend(record(
            "response",
            "https://a.example/moved",
            b"HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n",
        ));
        warc.extend(record("response", "https://b.example/", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>Hi\r\n5\r\n!</p>\r\n0\r\n\r\n"));
        let records = read(&warc);
        assert_eq!(records.len(), 2);
        let Ok(RawRecord { payload: Payload::Page { page, date_hint }, origin }) = &records[0]
        else {
            panic!("{:?}", records[0])
        };
        assert_eq!(page.bytes, b"<p>Hello</p>");
        assert_eq!(page.url.as_deref(), Some("https://a.example/"));
        assert_eq!(date_hint.as_deref(), Some("2019-03-04T10:00:00Z"));
        assert!(origin.to_string().starts_with("crawl.warc (offset "));
        let Ok(RawRecord { payload: Payload::Page { page, .. }, .. }) = &records[1] else {
            panic!()
        };
        assert_eq!(page.bytes, b"<p>Hi!</p>");
    }

    #[test]
    fn a_truncated_file_keeps_what_came_before() {
        let mut warc = record(
            "response",
            "https://a.example/",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>one</p>",
        );
        let second = record(
            "response",
            "https://b.example/",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>two</p>",
        );
        let first_len = warc.len();
        warc.extend_from_slice(&second[..second.len() - 20]);
        let records = read(&warc);
        assert_eq!(records.len(), 2);
        assert!(records[0].is_ok());
        let err = records[1].as_ref().unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "crawl.warc (offset {first_len}): truncated record: the file ends inside its content"
            )
        );
        let junk = read(b"this is not a warc file\n");
        assert!(junk[0].as_ref().unwrap_err().to_string().contains("not a WARC record header"));
    }

    #[test]
    fn dechunks() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;ext\r\nde\r\n0\r\n\r\n").unwrap(), b"abcde");
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"10\r\nshort"), None);
    }
}
