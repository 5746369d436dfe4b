//! Web-archive sets and record selection.
//!
//! A set is a listing of WARC files, one per line, as Common Crawl publishes one per month
//! for CC-NEWS (`warc.paths.gz`: `crawl-data/CC-NEWS/2019/01/CC-NEWS-20190101….warc.gz`).
//! Each line is a path resolved against a base (`--base-url`): a URL (the files are read
//! over HTTP as streams, `https://data.commoncrawl.org/` for Common Crawl's), a local
//! directory (where the files were downloaded, keeping or dropping their folders), or the
//! listing's own directory when none is given. A line that is already an absolute path or a
//! URL is read where it says. The
//! engine reads the files one by one and records its progress in the store, keyed by the
//! line as written, so a set resumes whatever the base.
//!
//! [`HostPattern`] selects records by the host of their address (`*.bbc.co.uk`), before
//! anything is extracted from them.

use crate::error::{Error, Result};
use crate::lines::{CappedLines, Line};
use lede_core::Origin;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Longest line of a listing (CC-NEWS paths are about 80 bytes).
const MAX_LINE: usize = 4096;

/// Whether an input names a web-archive set: a file ending in `.paths` or `.paths.gz`.
pub fn is_archive_list(input: &str) -> bool {
    input.ends_with(".paths") || input.ends_with(".paths.gz")
}

/// One file of a web-archive set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveMember {
    /// The line of the listing that names it (the key of its progress in the store).
    pub name: String,
    /// Where to read it.
    pub location: ArchiveLocation,
}

/// Where a file of a web-archive set is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveLocation {
    /// A local file.
    File(PathBuf),
    /// An `http(s)` address, read as a stream.
    Url(String),
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// The files a listing names, resolved against `base` (a URL or a directory), or against
/// the listing's own directory. Blank lines and lines starting with `#` are left out.
pub fn read_archive_list(listing: &Path, base: Option<&str>) -> Result<Vec<ArchiveMember>> {
    let origin = Origin::file(listing);
    let file = std::fs::File::open(listing)
        .map_err(|source| Error::Io { origin: origin.clone(), source })?;
    let reader: Box<dyn std::io::Read> = if listing.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let dir = listing.parent().map(Path::to_path_buf).unwrap_or_default();
    let gzipped = listing.extension().is_some_and(|e| e == "gz");
    let mut lines = CappedLines::new(BufReader::new(reader), MAX_LINE);
    let mut members = Vec::new();
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(source) if gzipped => return Err(Error::Gzip { origin, source }),
            Err(source) => return Err(Error::Io { origin, source }),
        };
        let at = |message: String| Error::Record {
            origin: origin.record(lede_core::Location::Line(lines.line)),
            message,
        };
        let text = match line {
            Line::Text(bytes) => {
                String::from_utf8(bytes).map_err(|_| at("not UTF-8 text".to_owned()))?
            }
            Line::TooLong => return Err(at(format!("a line longer than {MAX_LINE} bytes"))),
        };
        let name = text.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        let location = if is_url(name) {
            ArchiveLocation::Url(name.to_owned())
        } else if name.contains("://") {
            return Err(at(format!("{name} is an address lede cannot read (http or https only)")));
        } else {
            match base {
                Some(b) if is_url(b) => ArchiveLocation::Url(format!(
                    "{}/{}",
                    b.trim_end_matches('/'),
                    name.trim_start_matches('/')
                )),
                Some(b) => ArchiveLocation::File(resolve(Path::new(b), name)),
                None => ArchiveLocation::File(resolve(&dir, name)),
            }
        };
        members.push(ArchiveMember { name: name.to_owned(), location });
    }
    Ok(members)
}

/// Where a listed file is under `base`: at its listed path if that exists there, else by
/// its file name alone (files downloaded into one folder).
fn resolve(base: &Path, name: &str) -> PathBuf {
    let listed = Path::new(name);
    if listed.is_absolute() {
        return listed.to_path_buf();
    }
    let full = base.join(listed);
    if full.exists() {
        return full;
    }
    match listed.file_name() {
        Some(file) if base.join(file).exists() => base.join(file),
        _ => full,
    }
}

/// A host name pattern: `example.com` (that host only), `*.example.com` (its subdomains and
/// itself), or any glob with `*` (any run of characters) and `?` (one character). Compared
/// without case, and without a leading `www.` on either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern(String);

impl HostPattern {
    /// A pattern; an empty one, or one with characters a host cannot have, is an error.
    pub fn parse(pattern: &str) -> std::result::Result<HostPattern, String> {
        let p = pattern.trim().to_ascii_lowercase();
        let p = p.strip_prefix("www.").map(str::to_owned).unwrap_or(p);
        if p.is_empty()
            || !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | '?' | '_'))
        {
            return Err(format!(
                "{pattern:?} is not a host pattern (like bbc.co.uk, *.bbc.co.uk or news.*)"
            ));
        }
        Ok(HostPattern(p))
    }

    /// The pattern as it was read (lower-cased, without a leading `www.`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `host` matches.
    pub fn matches(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        if let Some(domain) = self.0.strip_prefix("*.")
            && !domain.contains(['*', '?'])
        {
            return host == domain || host.ends_with(&format!(".{domain}"));
        }
        glob(self.0.as_bytes(), host.as_bytes())
    }

    /// Whether the host of `url` matches; an address without a host never does.
    pub fn matches_url(&self, url: &str) -> bool {
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(|h| self.matches(h)))
            .unwrap_or(false)
    }
}

/// `*` and `?` glob matching, iterative with one backtrack point (linear for patterns with
/// a single `*`, never exponential).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn listings_are_read_resolved_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("crawl-data/CC-NEWS")).unwrap();
        std::fs::write(dir.path().join("crawl-data/CC-NEWS/a.warc.gz"), b"").unwrap();
        std::fs::write(dir.path().join("b.warc.gz"), b"").unwrap();
        let listing = dir.path().join("warc.paths.gz");
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&listing).unwrap(),
            flate2::Compression::default(),
        );
        gz.write_all(
            b"crawl-data/CC-NEWS/a.warc.gz\n# a comment\n\ncrawl-data/CC-NEWS/b.warc.gz\r\n",
        )
        .unwrap();
        gz.finish().unwrap();
        let members = read_archive_list(&listing, None).unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].name, "crawl-data/CC-NEWS/a.warc.gz");
        let file = ArchiveLocation::File;
        assert_eq!(members[0].location, file(dir.path().join("crawl-data/CC-NEWS/a.warc.gz")));
        // Downloaded into one folder: found by its file name.
        assert_eq!(members[1].location, file(dir.path().join("b.warc.gz")));
        // Read where Common Crawl serves them; the key stays the line.
        let remote = read_archive_list(&listing, Some("https://data.commoncrawl.org/")).unwrap();
        assert_eq!(
            remote[0].location,
            ArchiveLocation::Url(
                "https://data.commoncrawl.org/crawl-data/CC-NEWS/a.warc.gz".into()
            )
        );
        assert_eq!(remote[0].name, "crawl-data/CC-NEWS/a.warc.gz");

        let urls = dir.path().join("urls.paths");
        std::fs::write(&urls, "https://data.commoncrawl.org/x.warc.gz\nftp://x/y.warc.gz\n")
            .unwrap();
        let err = read_archive_list(&urls, None).unwrap_err().to_string();
        assert!(
            err.contains("urls.paths") && err.contains("line 2") && err.contains("http or https"),
            "{err}"
        );

        let truncated = dir.path().join("cut.paths.gz");
        let whole = std::fs::read(&listing).unwrap();
        std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
        let err = read_archive_list(&truncated, None).unwrap_err().to_string();
        assert!(err.contains("cut.paths.gz"), "{err}");
        assert!(read_archive_list(&dir.path().join("missing.paths"), None).is_err());
        assert!(is_archive_list("warc.paths.gz") && is_archive_list("x.paths"));
        // Its size is not the listing's: progress shows a spinner, not a wrong bar.
        assert_eq!(crate::total_size(&[listing.display().to_string()]), None);
        assert!(!is_archive_list("x.warc.gz"));
    }

    #[test]
    fn host_patterns() {
        let p = |s: &str| HostPattern::parse(s).unwrap();
        assert!(p("bbc.co.uk").matches("www.bbc.co.uk"));
        assert!(p("bbc.co.uk").matches("BBC.co.uk"));
        assert!(!p("bbc.co.uk").matches("news.bbc.co.uk"));
        assert!(p("*.bbc.co.uk").matches("news.bbc.co.uk"));
        assert!(p("*.bbc.co.uk").matches("bbc.co.uk"));
        assert!(!p("*.bbc.co.uk").matches("notbbc.co.uk"));
        assert!(p("news.*").matches("news.example.org"));
        assert!(p("*news*").matches("foxnews.com"));
        assert!(p("t?ss.ru").matches("tass.ru"));
        assert!(!p("t?ss.ru").matches("taass.ru"));
        assert!(p("*.ru").matches_url("https://tass.ru/politika/1"));
        assert!(!p("*.ru").matches_url("not a url"));
        assert!(HostPattern::parse("").is_err());
        assert!(HostPattern::parse("a/b").is_err());
        // Many stars against a long host stay fast (no exponential backtracking).
        let long = "a".repeat(5000);
        assert!(!p("*a*a*a*a*a*a*a*b").matches(&long));
    }
}
