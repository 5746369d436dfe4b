//! Inputs cut into pieces that can be read alone, on any machine that sees the same files:
//! cluster mode's units of work (issue #15). A piece is small to describe (a path and a
//! byte range, an address), never the records themselves, so it travels through a message
//! broker whatever the size of the pages.
//!
//! - An uncompressed JSON Lines file is cut at line breaks into pieces of a few hundred
//!   lines each: a byte range and the number of its first line, so that every record keeps
//!   the origin (`file.jsonl` line 12) an ingest of the whole file gives it.
//! - Anything else is one piece: a page file, a feed, a WARC file, a gzipped JSON Lines
//!   file (gzip cannot be entered in the middle), an address, a file of a web-archive set.
//!
//! [`Sources::piece`](crate::Sources::piece) reads a piece's records.

use crate::error::{Error, Result};
use crate::read::Source;
use crate::{ArchiveLocation, sniff};
use lede_core::Origin;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A part of an input that can be read alone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Piece {
    /// A whole input, read as `lede ingest` reads its argument (a file or an address).
    Whole {
        /// The file's path or the address.
        input: String,
    },
    /// A web-archive file read over HTTP as a stream (a file of a `.paths` listing).
    RemoteArchive {
        /// Its address.
        url: String,
    },
    /// Lines of an uncompressed JSON Lines file.
    Lines {
        /// The file's path.
        path: String,
        /// The byte where the first line starts.
        start: u64,
        /// The byte after the last line's break (or the file's end).
        end: u64,
        /// The number of the first line in the file, from 1.
        first_line: u64,
    },
}

impl std::fmt::Display for Piece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Piece::Whole { input } => f.write_str(input),
            Piece::RemoteArchive { url } => f.write_str(url),
            Piece::Lines { path, start, end, first_line } => {
                write!(f, "{path} (bytes {start}..{end}, from line {first_line})")
            }
        }
    }
}

/// Cuts `inputs` (as `lede ingest` takes them: files, directories, addresses) into pieces,
/// JSON Lines files into pieces of `lines` lines. Directories are walked as [`Sources`]
/// walks them; the files of a web-archive set (a `.paths` listing) are looked up under
/// `archive_base` as [`read_archive_list`](crate::read_archive_list) does. Standard input cannot be shared with other machines, and an input that
/// cannot be opened is an error naming it; the other inputs are still cut.
///
/// [`Sources`]: crate::Sources
pub fn pieces(inputs: &[String], lines: usize, archive_base: Option<&str>) -> Vec<Result<Piece>> {
    let mut out = Vec::new();
    for input in inputs {
        match Source::parse(input) {
            Source::Stdin => out.push(Err(Error::Record {
                origin: Origin::Stdin,
                message: "standard input cannot be shared with workers on other machines; \
                          write it to a file they can read"
                    .into(),
            })),
            Source::Url(url) => out.push(Ok(Piece::Whole { input: url })),
            Source::File(path) if crate::is_archive_list(input) => {
                match crate::read_archive_list(&path, archive_base) {
                    Ok(members) => out.extend(members.into_iter().map(|m| {
                        Ok(match m.location {
                            ArchiveLocation::File(p) => {
                                Piece::Whole { input: p.to_string_lossy().into_owned() }
                            }
                            ArchiveLocation::Url(url) => Piece::RemoteArchive { url },
                        })
                    })),
                    Err(e) => out.push(Err(e)),
                }
            }
            Source::File(path) => {
                let origin = Origin::file(&path);
                match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => match crate::sources::walk(&path) {
                        Ok(files) => {
                            for f in files {
                                cut_file(&f, lines, &mut out);
                            }
                        }
                        Err(source) => out.push(Err(Error::Io { origin, source })),
                    },
                    Ok(_) => cut_file(&path, lines, &mut out),
                    Err(source) => out.push(Err(Error::Io { origin, source })),
                }
            }
        }
    }
    out
}

/// One file's pieces: line ranges of uncompressed JSON Lines, else the whole file.
fn cut_file(path: &Path, lines: usize, out: &mut Vec<Result<Piece>>) {
    let name = path.to_string_lossy().into_owned();
    let origin = Origin::file(path);
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(source) => return out.push(Err(Error::Io { origin, source })),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let peek = match reader.fill_buf() {
        Ok(p) => p,
        Err(source) => return out.push(Err(Error::Io { origin, source })),
    };
    let lower = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase());
    if sniff::is_gzip(peek) || !crate::sources::is_json_lines(&lower.unwrap_or_default(), peek) {
        return out.push(Ok(Piece::Whole { input: name }));
    }
    let lines = lines.max(1) as u64;
    let (mut start, mut at, mut line, mut first_line) = (0u64, 0u64, 0u64, 1u64);
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => return out.push(Err(Error::Io { origin, source })),
        };
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        for i in memchr::memchr_iter(b'\n', chunk) {
            line += 1;
            if line - first_line + 1 == lines {
                let end = at + i as u64 + 1;
                out.push(Ok(Piece::Lines { path: name.clone(), start, end, first_line }));
                (start, first_line) = (end, line + 1);
            }
        }
        at += len as u64;
        reader.consume(len);
    }
    if at > start {
        out.push(Ok(Piece::Lines { path: name, start, end: at, first_line }));
    }
}

/// The bytes of a [`Piece::Lines`], as a stream (a file that changed since it was cut is
/// read as it now is: a line cut in the middle is then a bad record, reported).
pub(crate) fn open_lines(
    path: &str,
    start: u64,
    end: u64,
) -> std::io::Result<impl BufRead + use<>> {
    use std::io::Seek;
    let mut file = std::fs::File::open(path)?;
    file.seek(std::io::SeekFrom::Start(start))?;
    Ok(BufReader::with_capacity(256 * 1024, file.take(end.saturating_sub(start))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PageReader, Sources};

    fn records(pieces: &[Piece]) -> Vec<String> {
        let reader = PageReader::default();
        pieces
            .iter()
            .flat_map(|p| {
                Sources::piece(&reader, p)
                    .map(|r| match r {
                        Ok(r) => r.origin.to_string(),
                        Err(e) => format!("error: {e}"),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn json_lines_are_cut_at_line_breaks_and_keep_their_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let mut text = String::new();
        for i in 0..10 {
            text.push_str(&format!("{{\"title\": \"t{i}\", \"text\": \"Body {i}.\"}}\n"));
            if i == 4 {
                text.push('\n'); // a blank line counts as a line, as in a whole read
            }
        }
        text.push_str("{\"title\": \"last\", \"text\": \"No break after it.\"}");
        std::fs::write(&path, &text).unwrap();
        let input = path.to_string_lossy().into_owned();
        for lines in [1, 3, 4, 100] {
            let pieces: Vec<Piece> = pieces(std::slice::from_ref(&input), lines, None)
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(pieces.len(), 12usize.div_ceil(lines), "{lines} lines a piece");
            let whole = records(&[Piece::Whole { input: input.clone() }]);
            assert_eq!(whole.len(), 11);
            assert_eq!(records(&pieces), whole, "{lines} lines a piece");
        }
    }

    #[test]
    fn other_files_are_whole_and_stdin_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.html"), "<html><body><p>Hi</p></body></html>").unwrap();
        let got = pieces(&[dir.path().to_string_lossy().into_owned(), "-".into()], 10, None);
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[0], Ok(Piece::Whole { input }) if input.ends_with("p.html")));
        let err = got[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("standard input"), "{err}");
        let missing = pieces(&["/nonexistent/x.jsonl".into()], 10, None);
        assert!(missing[0].as_ref().unwrap_err().to_string().contains("/nonexistent/x.jsonl"));
    }
}
