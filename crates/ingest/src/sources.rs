//! Turning the arguments of `lede ingest` into a stream of records.
//!
//! Each input is one of:
//!
//! - `-`: standard input;
//! - an `http://` or `https://` address: a page or a feed;
//! - a directory: every file below it with a known extension (`.html`, `.htm`, `.xhtml`,
//!   `.txt`, `.jsonl`, `.ndjson`, `.json`, `.warc`, `.xml`, `.rss`, `.atom`, each optionally
//!   `.gz`), in name order, recursively;
//! - a file, gzip-compressed or not, read by what it holds: a WARC file (starts with
//!   `WARC/`), JSON Lines (`.jsonl`/`.ndjson`, or a first line that is a JSON object), a
//!   feed (RSS, Atom, JSON Feed), else one page (HTML or plain text).
//!
//! JSON Lines and WARC are streamed record by record: a file of any size is read in
//! bounded memory, each record under the size cap. A bad record is reported with its
//! location and the next one is read; a stream that breaks (truncated gzip, cut-off WARC)
//! ends its input with an error, keeping the records before it.

use crate::error::{Error, Result};
use crate::fetch::{Fetched, Validators};
use crate::lines::{CappedLines, Line};
use crate::pieces::Piece;
use crate::prefetch::Prefetch;
use crate::read::{PageReader, RawPage, Source, check_content};
use crate::record::{Payload, RawRecord, Structured};
use crate::warc::WarcRecords;
use crate::{feed, sniff};
use lede_core::{Location, Origin};
use std::collections::HashMap;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// File name extensions read when walking a directory (also under `.gz`).
const EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "shtml", "txt", "text", "jsonl", "ndjson", "json", "warc", "xml",
    "rss", "atom",
];

/// How many bytes are looked at to tell what a file holds.
const PEEK: u64 = 8 * 1024;

type Records<'a> = Box<dyn Iterator<Item = Result<RawRecord>> + 'a>;

/// The records of a list of inputs, in order.
pub struct Sources<'a> {
    reader: &'a PageReader,
    pending: VecDeque<Pending>,
    current: Option<Records<'a>>,
    /// Validators from earlier fetches of URL inputs, for conditional requests.
    known: HashMap<String, Validators>,
    /// Validators servers sent this time, for the caller to keep.
    fresh: Option<&'a Mutex<Vec<(String, Validators)>>>,
    /// Bytes read from input files so far (compressed bytes for gzip), for progress.
    bytes_read: Arc<AtomicU64>,
    /// URL inputs fetched ahead on other threads.
    prefetch: Option<&'a Prefetch>,
}

/// A reader that counts the bytes it reads.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The total size in bytes of the files `inputs` name (walking directories as
/// [`Sources`] does), or `None` when an input is a URL, standard input or a web-archive
/// set, whose size is not known in advance. For progress displays.
pub fn total_size(inputs: &[String]) -> Option<u64> {
    let mut total = 0;
    for input in inputs {
        // A web-archive set's size is its files', read or not: a bar over it would lie.
        if crate::is_archive_list(input) {
            return None;
        }
        let Source::File(path) = Source::parse(input) else { return None };
        let meta = std::fs::metadata(&path).ok()?;
        if meta.is_dir() {
            for f in walk(&path).ok()? {
                total += std::fs::metadata(f).map_or(0, |m| m.len());
            }
        } else {
            total += meta.len();
        }
    }
    Some(total)
}

enum Pending {
    Arg(String),
    Path(PathBuf),
    /// A file read as a stream over HTTP (a web-archive file).
    Stream(String),
}

impl<'a> Sources<'a> {
    /// The records of `inputs`, read with `reader` (its size cap and fetch settings).
    pub fn new(reader: &'a PageReader, inputs: impl IntoIterator<Item = String>) -> Sources<'a> {
        Sources {
            reader,
            pending: inputs.into_iter().map(Pending::Arg).collect(),
            current: None,
            known: HashMap::new(),
            fresh: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
            prefetch: None,
        }
    }

    /// The records of the web-archive file (WARC, gzipped or not) at `url`, read over HTTP
    /// as a stream: a file of any size, each record under the size cap, the timeout per
    /// read (see [`PageReader::open_stream`]).
    pub fn remote_archive(reader: &'a PageReader, url: String) -> Sources<'a> {
        let mut sources = Sources::new(reader, std::iter::empty());
        sources.pending.push_back(Pending::Stream(url));
        sources
    }

    /// The records of one [`Piece`] of an input (cluster mode's unit of work), with the
    /// origins a read of the whole input gives them.
    pub fn piece(reader: &'a PageReader, piece: &Piece) -> Sources<'a> {
        match piece {
            Piece::Whole { input } => Sources::new(reader, [input.clone()]),
            Piece::RemoteArchive { url } => Sources::remote_archive(reader, url.clone()),
            Piece::Lines { path, start, end, first_line } => {
                let mut sources = Sources::new(reader, std::iter::empty());
                let origin = Origin::file(path);
                let max = reader.config().max_bytes as usize;
                sources.current = Some(match crate::pieces::open_lines(path, *start, *end) {
                    Ok(bytes) => {
                        let mut lines = CappedLines::new(bytes, max);
                        lines.line = first_line.saturating_sub(1);
                        Box::new(JsonLines { lines, input: origin })
                    }
                    Err(source) => one(Err(Error::Io { origin, source })),
                });
                sources
            }
        }
    }

    /// Counts the bytes read from input files into `counter` (see [`total_size`]).
    pub fn with_byte_counter(mut self, counter: Arc<AtomicU64>) -> Sources<'a> {
        self.bytes_read = counter;
        self
    }

    /// Fetches URL inputs conditionally: `known` holds what their servers sent last time
    /// (an input not modified since yields no records), and the validators sent this time
    /// are pushed to `fresh`.
    pub fn with_validators(
        mut self,
        known: HashMap<String, Validators>,
        fresh: &'a Mutex<Vec<(String, Validators)>>,
    ) -> Sources<'a> {
        self.known = known;
        self.fresh = Some(fresh);
        self
    }

    /// Takes URL inputs from `prefetch`, whose workers fetch them ahead (see
    /// [`Prefetch`]); a URL it does not hold is fetched here, as without it.
    pub fn with_prefetch(mut self, prefetch: &'a Prefetch) -> Sources<'a> {
        self.prefetch = Some(prefetch);
        self
    }

    /// Opens the next input: its records, or an error naming it.
    fn open(&mut self, pending: Pending) -> Records<'a> {
        let path = match pending {
            Pending::Arg(arg) => match Source::parse(&arg) {
                Source::Stdin => {
                    return self.stream(
                        Box::new(BufReader::new(std::io::stdin())),
                        Origin::Stdin,
                        None,
                    );
                }
                Source::Url(url) => return self.url(&url),
                Source::File(path) => path,
            },
            Pending::Path(path) => path,
            Pending::Stream(url) => {
                let origin = Origin::url(&url);
                return match self.reader.open_stream(&url) {
                    Ok(body) => {
                        let counted = Counted { inner: body, count: self.bytes_read.clone() };
                        let name = url.rsplit('/').next().unwrap_or("").to_owned();
                        self.stream(
                            Box::new(BufReader::with_capacity(256 * 1024, counted)),
                            origin,
                            Some(Path::new(&name)),
                        )
                    }
                    Err(e) => one(Err(e)),
                };
            }
        };
        let origin = Origin::file(&path);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(source) => return one(Err(Error::Io { origin, source })),
        };
        if meta.is_dir() {
            match walk(&path) {
                Ok(files) => {
                    for f in files.into_iter().rev() {
                        self.pending.push_front(Pending::Path(f));
                    }
                    return Box::new(std::iter::empty());
                }
                Err(source) => return one(Err(Error::Io { origin, source })),
            }
        }
        match std::fs::File::open(&path) {
            Ok(file) => {
                let counted = Counted { inner: file, count: self.bytes_read.clone() };
                self.stream(
                    Box::new(BufReader::with_capacity(256 * 1024, counted)),
                    origin,
                    Some(&path),
                )
            }
            Err(source) => one(Err(Error::Io { origin, source })),
        }
    }

    fn url(&self, url: &str) -> Records<'a> {
        let fetched = match self.prefetch.and_then(|p| p.take(url)) {
            Some(fetched) => fetched,
            None => self.reader.fetch(url, self.known.get(url)),
        };
        let page = match fetched {
            Ok(Fetched::Page(page, validators)) => {
                if let Some(fresh) = self.fresh
                    && validators != Validators::default()
                {
                    fresh
                        .lock()
                        .expect("the validators lock is never poisoned")
                        .push((url.to_owned(), validators));
                }
                page
            }
            Ok(Fetched::NotModified) => return Box::new(std::iter::empty()),
            Err(e) => return one(Err(e)),
        };
        if feed::looks_like_feed(&page.bytes) {
            return Box::new(feed::items(&page.bytes, &page.origin).into_iter());
        }
        let origin = page.origin.clone();
        one(Ok(RawRecord { origin, payload: Payload::Page { page, date_hint: None } }))
    }

    /// Reads a file or standard input by what it holds.
    fn stream(
        &self,
        mut input: Box<dyn BufRead + 'a>,
        origin: Origin,
        path: Option<&Path>,
    ) -> Records<'a> {
        let max = self.reader.config().max_bytes;
        let mut peek = Vec::new();
        if let Err(source) = (&mut input).take(PEEK).read_to_end(&mut peek) {
            return one(Err(Error::Io { origin, source }));
        }
        let mut name = path
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if sniff::is_gzip(&peek) {
            let rejoined = Cursor::new(peek).chain(input);
            let mut unpacked: Box<dyn BufRead + 'a> = Box::new(BufReader::with_capacity(
                256 * 1024,
                flate2::bufread::MultiGzDecoder::new(BufReader::new(rejoined)),
            ));
            let mut inner = Vec::new();
            if let Err(source) = (&mut unpacked).take(PEEK).read_to_end(&mut inner) {
                return one(Err(Error::Gzip { origin, source }));
            }
            peek = inner;
            input = unpacked;
            name = name.trim_end_matches(".gz").to_owned();
        }
        let rest = Cursor::new(peek.clone()).chain(input);
        if peek.starts_with(b"WARC/") {
            return Box::new(WarcRecords::new(BufReader::new(rest), origin, max));
        }
        if is_json_lines(&name, &peek) {
            return Box::new(JsonLines {
                lines: CappedLines::new(BufReader::new(rest), max as usize),
                input: origin,
            });
        }
        // A single document: read it whole, under the cap.
        let mut bytes = Vec::new();
        if let Err(source) = rest.take(max.saturating_add(1)).read_to_end(&mut bytes) {
            return one(Err(Error::Io { origin, source }));
        }
        if bytes.len() as u64 > max {
            return one(Err(Error::TooLarge { origin, limit: max }));
        }
        if feed::looks_like_feed(&bytes) {
            return Box::new(feed::items(&bytes, &origin).into_iter());
        }
        let page = RawPage::new(bytes, origin.clone());
        if let Err(e) = check_content(&page) {
            return one(Err(e));
        }
        one(Ok(RawRecord { origin, payload: Payload::Page { page, date_hint: None } }))
    }
}

impl Iterator for Sources<'_> {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Result<RawRecord>> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let next = self.pending.pop_front()?;
            self.current = Some(self.open(next));
        }
    }
}

fn one<'a>(item: Result<RawRecord>) -> Records<'a> {
    Box::new(std::iter::once(item))
}

/// Whether a file (its name, lower-cased and without `.gz`, and its first bytes) holds JSON
/// Lines: by its extension, or a first line that is a JSON object and not a JSON Feed.
pub(crate) fn is_json_lines(name: &str, peek: &[u8]) -> bool {
    let first = peek.iter().copied().find(|b| !b.is_ascii_whitespace());
    name.ends_with(".jsonl")
        || name.ends_with(".ndjson")
        || (first == Some(b'{') && !feed::looks_like_feed(peek) && first_line_is_object(peek))
}

fn first_line_is_object(peek: &[u8]) -> bool {
    let line = peek.split(|&b| b == b'\n').next().unwrap_or(peek);
    // A first line cut off by the peek cannot be checked; trust its opening brace.
    line.len() == peek.len()
        || serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line).is_ok()
}

/// The files below `dir` with a known extension, in name order, recursively. Hidden files
/// and directories (`.git`) are skipped.
pub(crate) fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)?.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for e in entries {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            if name.starts_with('.') {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                subdirs.push(path);
            } else {
                let base = name.trim_end_matches(".gz");
                if base.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.contains(&ext)) {
                    out.push(path);
                }
            }
        }
        // Depth first, in name order: files of a directory before those of its subdirectories.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(out)
}

/// Records of a JSON Lines stream.
struct JsonLines<R> {
    lines: CappedLines<R>,
    input: Origin,
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Result<RawRecord>> {
        loop {
            let line = match self.lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return None,
                Err(e) => {
                    // The stream is broken (a truncated gzip, a read error): it ends here.
                    let origin = self.input.record(Location::Line(self.lines.line + 1));
                    self.lines.finish();
                    return Some(Err(Error::Record {
                        origin,
                        message: format!("cannot read further: {e}"),
                    }));
                }
            };
            let origin = self.input.record(Location::Line(self.lines.line));
            let bytes = match line {
                Line::TooLong => {
                    return Some(Err(Error::Record {
                        origin,
                        message: "line longer than the size cap".into(),
                    }));
                }
                Line::Text(b) => b,
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_slice(&bytes) {
                Ok(v) => v,
                Err(e) => {
                    return Some(Err(Error::Record {
                        origin,
                        message: format!("invalid JSON: {e}"),
                    }));
                }
            };
            let serde_json::Value::Object(object) = value else {
                return Some(Err(Error::Record { origin, message: "not a JSON object".into() }));
            };
            return Some(match Structured::from_json(object) {
                Ok(record) => Ok(RawRecord { origin, payload: Payload::Structured(record) }),
                Err(message) => Err(Error::Record { origin, message }),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReadConfig;
    use std::io::Write;

    fn records(reader: &PageReader, inputs: &[&str]) -> Vec<std::result::Result<String, String>> {
        Sources::new(reader, inputs.iter().map(|s| (*s).to_owned()))
            .map(|r| {
                r.map(|r| match r.payload {
                    Payload::Page { page, .. } => {
                        format!("page {} {}", r.origin, String::from_utf8_lossy(&page.bytes))
                    }
                    Payload::Structured(s) => {
                        format!("record {} {}", r.origin, s.id.unwrap_or_default())
                    }
                })
                .map_err(|e| e.to_string())
            })
            .collect()
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn reads_directories_jsonl_gzip_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.html"), "<p>A</p>").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/b.txt"), "Headline\n\nBody.").unwrap();
        std::fs::write(root.join("sub/ignored.png"), [0x89, b'P']).unwrap();
        std::fs::write(root.join(".hidden.html"), "x").unwrap();
        let jsonl = "{\"id\":\"r1\",\"text\":\"One.\"}\n\n{broken\n[1]\n{\"id\":\"r4\"}\n{\"id\":\"r5\",\"text\":\"Five.\"}\n";
        std::fs::write(root.join("c.jsonl.gz"), gz(jsonl.as_bytes())).unwrap();
        let reader = PageReader::default();
        let got = records(&reader, &[root.to_str().unwrap()]);
        let p = |s: &str| root.join(s).display().to_string();
        assert_eq!(
            got,
            vec![
                Ok(format!("page {} <p>A</p>", p("a.html"))),
                Ok(format!("record {} (line 1) r1", p("c.jsonl.gz"))),
                Err(format!(
                    "{} (line 3): invalid JSON: key must be a string at line 1 column 2",
                    p("c.jsonl.gz")
                )),
                Err(format!("{} (line 4): not a JSON object", p("c.jsonl.gz"))),
                Err(format!("{} (line 5): no \"text\" or \"html\" field", p("c.jsonl.gz"))),
                Ok(format!("record {} (line 6) r5", p("c.jsonl.gz"))),
                Ok(format!("page {} Headline\n\nBody.", p("sub/b.txt"))),
            ]
        );
    }

    #[test]
    fn a_truncated_gzip_keeps_the_records_before_the_break() {
        let dir = tempfile::tempdir().unwrap();
        let lines: String = (0..2000)
            .map(|i| {
                format!("{{\"id\":\"r{i}\",\"text\":\"Record number {i} with some text.\"}}\n")
            })
            .collect();
        let packed = gz(lines.as_bytes());
        let path = dir.path().join("cut.jsonl.gz");
        std::fs::write(&path, &packed[..packed.len() * 2 / 3]).unwrap();
        let got = records(&PageReader::default(), &[path.to_str().unwrap()]);
        let ok = got.iter().filter(|r| r.is_ok()).count();
        assert!(ok > 500 && ok < 2000, "{ok}");
        let last = got.last().unwrap().as_ref().unwrap_err();
        assert!(last.contains("cannot read further"), "{last}");
        assert_eq!(got.iter().filter(|r| r.is_err()).count(), 1);
    }

    #[test]
    fn caps_and_errors_name_their_input() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.html");
        std::fs::write(&big, "x".repeat(5000)).unwrap();
        let long = dir.path().join("long.jsonl");
        std::fs::write(
            &long,
            format!("{{\"text\":\"{}\"}}\n{{\"id\":\"ok\",\"text\":\"fine\"}}\n", "y".repeat(5000)),
        )
        .unwrap();
        let reader = ReadConfig { max_bytes: 1000, ..ReadConfig::default() }.build();
        let got = records(
            &reader,
            &[big.to_str().unwrap(), long.to_str().unwrap(), "/no/such/file.html"],
        );
        assert!(
            got[0].as_ref().unwrap_err().contains("larger than the 1000 bytes cap"),
            "{:?}",
            got[0]
        );
        assert!(got[1].as_ref().unwrap_err().ends_with("(line 1): line longer than the size cap"));
        assert!(got[2].as_ref().unwrap().ends_with(" ok"));
        assert!(got[3].as_ref().unwrap_err().starts_with("/no/such/file.html: cannot read"));
    }
}
