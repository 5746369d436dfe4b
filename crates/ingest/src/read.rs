//! Reading one page from a file, standard input or a URL, under a size cap.

use crate::error::{Error, Result};
use crate::fetch::{Fetched, Fetcher, Opened, Validators};
use crate::sitemap::{Sitemap, SitemapLimits, read_sitemap};
use crate::sniff;
use lede_core::Origin;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The default cap on a page's size, compressed or not: 32 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 32 << 20;

/// Where to read a page from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// An `http://` or `https://` address.
    Url(String),
    /// Standard input (`-`).
    Stdin,
}

impl Source {
    /// Reads a command-line argument: `-` is standard input, `http://` and `https://`
    /// addresses are URLs, anything else is a path.
    pub fn parse(arg: &str) -> Source {
        let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
        if arg == "-" {
            Source::Stdin
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Source::Url(arg.to_owned())
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The origin pages read from here carry.
    pub fn origin(&self) -> Origin {
        match self {
            Source::File(path) => Origin::file(path.clone()),
            Source::Url(url) => Origin::url(url.clone()),
            Source::Stdin => Origin::Stdin,
        }
    }
}

/// A page as read: its bytes (gzip already undone) and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    /// The page's bytes, in whatever encoding it uses.
    pub bytes: Vec<u8>,
    /// Where the bytes came from.
    pub origin: Origin,
    /// The HTTP `Content-Type` header, when the page was fetched.
    pub content_type: Option<String>,
    /// The page's address: the final URL after redirects, when fetched.
    pub url: Option<String>,
}

impl RawPage {
    /// A page of `bytes` from `origin`, with no HTTP metadata.
    pub fn new(bytes: Vec<u8>, origin: Origin) -> RawPage {
        RawPage { bytes, origin, content_type: None, url: None }
    }
}

/// How pages are read: size cap and network limits. Builds a [`PageReader`].
#[derive(Debug, Clone)]
pub struct ReadConfig {
    /// The most bytes a page may have, before and after gzip decompression.
    pub max_bytes: u64,
    /// Time allowed for a whole fetch, connection to last byte.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// The `User-Agent` sent with fetches.
    pub user_agent: String,
    /// Whether addresses in private, loopback and link-local ranges may be fetched.
    pub allow_private: bool,
}

impl Default for ReadConfig {
    fn default() -> ReadConfig {
        ReadConfig {
            max_bytes: DEFAULT_MAX_BYTES,
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            user_agent: concat!(
                "lede/",
                env!("CARGO_PKG_VERSION"),
                " (news reader; +https://github.com/lede-news/lede)"
            )
            .to_owned(),
            allow_private: false,
        }
    }
}

impl ReadConfig {
    /// A reader with this configuration.
    pub fn build(self) -> PageReader {
        PageReader { config: self, fetcher: OnceLock::new() }
    }
}

/// Reads pages from [`Source`]s. Cheap to share between threads.
#[derive(Debug)]
pub struct PageReader {
    config: ReadConfig,
    // Built on the first fetch, so reading files never sets up TLS.
    fetcher: OnceLock<Fetcher>,
}

impl Default for PageReader {
    fn default() -> PageReader {
        ReadConfig::default().build()
    }
}

impl PageReader {
    /// The configuration this reader was built with.
    pub fn config(&self) -> &ReadConfig {
        &self.config
    }

    /// Reads one page. Refuses inputs over the cap, empty inputs and binary files, and
    /// undoes gzip.
    pub fn read(&self, source: &Source) -> Result<RawPage> {
        let mut page = match source {
            Source::File(path) => self.read_file(path)?,
            Source::Stdin => {
                let bytes =
                    read_capped(std::io::stdin().lock(), &Origin::Stdin, self.config.max_bytes)?;
                RawPage::new(bytes, Origin::Stdin)
            }
            Source::Url(url) => match self.fetch(url, None)? {
                Fetched::Page(page, _) => page,
                Fetched::NotModified => {
                    unreachable!("an unconditional request is never answered 304")
                }
            },
        };
        if sniff::is_gzip(&page.bytes) {
            page.bytes = gunzip(&page.bytes, &page.origin, self.config.max_bytes)?;
        }
        check_content(&page)?;
        Ok(page)
    }

    /// Fetches `url` under the fetching rules (see the `fetch` module): with validators
    /// from an earlier fetch, a conditional request that may answer
    /// [`Fetched::NotModified`]. Gzip is undone and binaries refused, as for `read`.
    pub fn fetch(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched> {
        let fetcher = self.fetcher.get_or_init(|| Fetcher::new(&self.config));
        match fetcher.fetch(url, validators)? {
            Fetched::Page(mut page, found) => {
                if sniff::is_gzip(&page.bytes) {
                    page.bytes = gunzip(&page.bytes, &page.origin, self.config.max_bytes)?;
                }
                check_content(&page)?;
                Ok(Fetched::Page(page, found))
            }
            Fetched::NotModified => Ok(Fetched::NotModified),
        }
    }

    /// Fetches and reads the sitemap at `url` under `limits`, streaming (the page size cap
    /// does not apply: the sitemap protocol's limits do). Returns the sitemap and the
    /// address that answered, after redirects.
    pub fn fetch_sitemap(&self, url: &str, limits: &SitemapLimits) -> Result<(Sitemap, String)> {
        let fetcher = self.fetcher.get_or_init(|| Fetcher::new(&self.config));
        // The host's slot is held until the body is read.
        let Opened { response, url: at, origin, slot: _slot } = fetcher.open_unconditional(url)?;
        // The cap on the bytes on the wire only stops a compressed stream that inflates to
        // nothing; the sitemap reader caps what it inflates to.
        let body = response
            .into_body()
            .into_with_config()
            .limit(limits.max_bytes.saturating_mul(2))
            .reader();
        let sitemap = read_sitemap(body, limits)
            .map_err(|problem| Error::Sitemap { origin: origin.clone(), problem })?;
        Ok((sitemap, at))
    }

    /// Opens the file at `url` to be read as a stream under the fetching rules (a
    /// web-archive file: the page size cap does not apply to the whole, the WARC reader caps
    /// each record; the timeout applies to each read). The host's slot is held until the
    /// returned reader is dropped.
    pub fn open_stream(&self, url: &str) -> Result<Box<dyn Read + Send + '_>> {
        let fetcher = self.fetcher.get_or_init(|| Fetcher::new(&self.config));
        let Opened { response, slot, .. } = fetcher.open_stream(url)?;
        let body = response.into_body().into_with_config().limit(u64::MAX).reader();
        Ok(Box::new(Streamed { body, _slot: slot }))
    }

    /// The `Sitemap:` lines of the robots.txt of the site `url` is on (none when it has no
    /// robots.txt or it cannot be read).
    pub fn robots_sitemaps(&self, url: &str) -> Result<Vec<String>> {
        let fetcher = self.fetcher.get_or_init(|| Fetcher::new(&self.config));
        Ok(fetcher.robots_of(url)?.sitemaps.clone())
    }

    /// Whether the robots.txt of the site `url` is on lets lede fetch it (checked again
    /// when it is fetched; this lets a crawl leave it out of its count beforehand).
    pub fn robots_allow(&self, url: &str) -> Result<bool> {
        let fetcher = self.fetcher.get_or_init(|| Fetcher::new(&self.config));
        fetcher.allowed(url)
    }

    fn read_file(&self, path: &Path) -> Result<RawPage> {
        let origin = Origin::file(path);
        let io = |source| Error::Io { origin: origin.clone(), source };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(Error::IsDirectory { origin });
        }
        // Check the size up front so a huge file is refused without reading it. Special
        // files (pipes, /dev/stdin) report 0 and are capped while reading instead.
        if meta.len() > self.config.max_bytes {
            return Err(Error::TooLarge { origin, limit: self.config.max_bytes });
        }
        let file = std::fs::File::open(path).map_err(io)?;
        // Sized from the metadata: growing by doubling copied each page several times and
        // took fresh (zeroed) memory for the large steps.
        let bytes =
            take_capped(file, &origin, self.config.max_bytes, meta.len(), |origin, source| {
                Error::Io { origin, source }
            })?;
        Ok(RawPage::new(bytes, origin))
    }
}

/// Reads at most `limit` bytes; one more means the input is too large. `expected` is the
/// size the input says it has (0 when unknown), only a hint for the buffer; `io_error`
/// names the failure of the reader.
fn take_capped(
    reader: impl Read,
    origin: &Origin,
    limit: u64,
    expected: u64,
    io_error: fn(Origin, std::io::Error) -> Error,
) -> Result<Vec<u8>> {
    // One byte more than expected, so reading to the end needs no second allocation.
    let hint = usize::try_from(expected.min(limit).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(hint);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(origin.clone(), e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { origin: origin.clone(), limit });
    }
    Ok(bytes)
}

/// Reads a file or stream under the cap.
pub(crate) fn read_capped(reader: impl Read, origin: &Origin, limit: u64) -> Result<Vec<u8>> {
    take_capped(reader, origin, limit, 0, |origin, source| Error::Io { origin, source })
}

/// Undoes gzip under the cap (a small file that unpacks past it is a bomb).
fn gunzip(bytes: &[u8], origin: &Origin, limit: u64) -> Result<Vec<u8>> {
    take_capped(flate2::read::MultiGzDecoder::new(bytes), origin, limit, 0, |origin, source| {
        Error::Gzip { origin, source }
    })
}

/// Refuses empty pages and binary files.
pub(crate) fn check_content(page: &RawPage) -> Result<()> {
    if page.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty { origin: page.origin.clone() });
    }
    if let Some(what) = sniff::binary_kind(&page.bytes) {
        return Err(Error::Binary { origin: page.origin.clone(), what });
    }
    Ok(())
}

/// A response body read as a stream, holding its host's slot while it is read.
struct Streamed<'a> {
    body: ureq::BodyReader<'static>,
    _slot: crate::fetch::Slot<'a>,
}

impl Read for Streamed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.body.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn reader(max_bytes: u64) -> PageReader {
        ReadConfig { max_bytes, ..ReadConfig::default() }.build()
    }

    fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn parses_arguments() {
        assert_eq!(Source::parse("-"), Source::Stdin);
        assert_eq!(Source::parse("HTTPS://x.org/a"), Source::Url("HTTPS://x.org/a".into()));
        assert_eq!(Source::parse("page.html"), Source::File("page.html".into()));
        assert_eq!(Source::parse("http:"), Source::File("http:".into()));
    }

    #[test]
    fn reads_a_file() {
        let f = temp_file(b"<p>hello</p>");
        let page = reader(1024).read(&Source::File(f.path().into())).unwrap();
        assert_eq!(page.bytes, b"<p>hello</p>");
        assert_eq!(page.origin, Origin::file(f.path()));
    }

    #[test]
    fn refuses_what_it_should() {
        let r = reader(16);
        let big = temp_file(&[b'a'; 17]);
        assert!(matches!(
            r.read(&Source::File(big.path().into())),
            Err(Error::TooLarge { limit: 16, .. })
        ));
        let empty = temp_file(b"  \n");
        assert!(matches!(r.read(&Source::File(empty.path().into())), Err(Error::Empty { .. })));
        let pdf = temp_file(b"%PDF-1.4 xx");
        assert!(matches!(r.read(&Source::File(pdf.path().into())), Err(Error::Binary { .. })));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(r.read(&Source::File(dir.path().into())), Err(Error::IsDirectory { .. })));
        let missing = r.read(&Source::File("/no/such/page.html".into())).unwrap_err();
        assert!(missing.to_string().starts_with("/no/such/page.html: cannot read"));
    }

    #[test]
    fn undoes_gzip_under_the_cap() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&[b'x'; 4096]).unwrap();
        let packed = gz.finish().unwrap();
        let f = temp_file(&packed);
        assert_eq!(reader(8192).read(&Source::File(f.path().into())).unwrap().bytes.len(), 4096);
        // A small file that unpacks past the cap is a bomb, and refused.
        assert!(matches!(
            reader(1024).read(&Source::File(f.path().into())),
            Err(Error::TooLarge { .. })
        ));
        let truncated = temp_file(&packed[..packed.len() / 2]);
        assert!(matches!(
            reader(8192).read(&Source::File(truncated.path().into())),
            Err(Error::Gzip { .. })
        ));
    }
}
