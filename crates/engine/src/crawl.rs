//! `lede crawl`: from a site's sitemaps to stored articles.
//!
//! ```text
//!  sites, sitemaps ──> walk_sitemaps (lede-ingest) ──> each page listed ──> ingest (as URLs)
//!  robots.txt            indexes, gzip, news,           date in range?       fetch, extract,
//!  Sitemap: lines        limits, cycles                 not stored yet?      the page's own date,
//!                                                       robots allow it?     store, index, stories
//!                                                       under --max-pages?
//! ```
//!
//! Everything that can be decided without fetching a page is decided first, from the
//! sitemap: the date (`news:publication_date`, else `lastmod`), whether its address is
//! already stored (the store's URL aliases), whether robots.txt lets lede fetch it, and
//! the page budget. The pages left go through [`ingest`](crate::ingest) as URL inputs,
//! the very path `lede ingest URL` takes, [`DEFAULT_BATCH`] at a time while the walk goes on, with
//! the date range applied again to each page's own date after extraction. So a second
//! crawl of the same site fetches no page it stored the first time, and an interrupted one
//! keeps the batches it stored.

use crate::Selection;
use crate::ingest::{IngestOptions, IngestSummary, MAX_ERRORS, Progress, ingest};
use crate::{IngestError, Result};
use lede_extract::Extractor;
use lede_ingest::{Flow, PageReader, SitemapLimits, walk_sitemaps};
use lede_store::Store;
use std::path::Path;

/// How a crawl runs.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Which pages to keep: the date range is judged by the sitemap's date before
    /// fetching and by the page's own date after (an undated page is left out, as by
    /// `lede ingest --since`); the hosts by the listed address before fetching; the
    /// languages on the extracted text.
    pub selection: Selection,
    /// Fetch at most this many pages (those not stored yet, in the range, allowed).
    pub max_pages: Option<usize>,
    /// How the pages are ingested (`selection` is set from the crawl's; `fetchers` 0 is
    /// [`FETCHERS`]).
    pub ingest: IngestOptions,
    /// How much of each sitemap is read.
    pub limits: SitemapLimits,
    /// Pages ingested together (0: [`DEFAULT_BATCH`]).
    pub batch: usize,
}

/// What a crawl did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CrawlSummary {
    /// Sitemaps read, whole or in part.
    pub sitemaps: u64,
    /// Of those, the sitemaps read only in part (a limit, malformed XML; see
    /// `sitemap_errors`).
    pub sitemaps_partial: u64,
    /// Pages the sitemaps list (each address once).
    pub listed: u64,
    /// Pages whose sitemap date is outside the range, or whose address is on a host not
    /// selected: not fetched.
    pub out_of_range: u64,
    /// Pages whose address is already stored: not fetched.
    pub already_stored: u64,
    /// Pages the site's robots.txt disallows: not fetched.
    pub disallowed: u64,
    /// Pages fetched (handed to the ingest).
    pub fetched: u64,
    /// Whether `--max-pages` stopped the crawl before the sitemaps were read to the end.
    pub max_pages_reached: bool,
    /// Sitemaps that could not be read, or were read only in part, with why.
    pub sitemap_errors: Vec<IngestError>,
    /// What the crawl did not follow, harmless: sitemaps listed again (a cycle).
    pub warnings: Vec<IngestError>,
    /// What the ingest of the fetched pages did (`filtered` there: pages whose own date
    /// or language is not selected, or that have no date when a range is given).
    pub pages: IngestSummary,
}

/// Requests in flight at most by default, across hosts (two per host at most: the
/// fetcher's rule).
pub const FETCHERS: usize = 4;

/// Pages ingested together by default: a long crawl stores as it goes (an interrupted one
/// keeps what it stored, and running it again fetches only the rest) and holds at most
/// this many addresses, whatever the number of pages its sitemaps list.
pub const DEFAULT_BATCH: usize = 1_000;

/// Where a crawl's pages go: the store that says which addresses are stored already, and
/// what takes the pages left to fetch. The embedded crawl ingests them into its store;
/// cluster mode (lede-scaleout) publishes them as jobs for its workers. The walk and the
/// selection ([`walk_crawl`]) are the same for both.
pub trait CrawlSink {
    /// What the sink's store or queue fails with.
    type Error;

    /// Whether a page is stored already under the address `url`: it is not fetched again.
    fn is_stored(&mut self, url: &str) -> std::result::Result<bool, Self::Error>;

    /// Takes `urls`, pages to fetch (a batch of at most the crawl's batch size, already
    /// counted in `summary.fetched`), and adds what it did with them to `summary`.
    fn take(
        &mut self,
        urls: &[String],
        summary: &mut CrawlSummary,
    ) -> std::result::Result<(), Self::Error>;
}

/// Walks the sitemaps of `inputs` and hands the pages to fetch to `sink`, [`CrawlOptions::batch`]
/// at a time as the walk goes on: every page is decided from its sitemap entry first (the
/// date and host selected, not stored yet, allowed by robots.txt, under `--max-pages`).
/// Returns the summary with what the sink added to it; the first error of the sink stops
/// the walk and is returned.
pub fn walk_crawl<S: CrawlSink>(
    reader: &PageReader,
    inputs: &[String],
    options: &CrawlOptions,
    sink: &mut S,
) -> std::result::Result<CrawlSummary, S::Error> {
    let batch = if options.batch == 0 { DEFAULT_BATCH } else { options.batch };
    let mut summary = CrawlSummary::default();
    let mut urls: Vec<String> = Vec::new();
    let mut failure: Option<S::Error> = None;
    let flush = |urls: &mut Vec<String>,
                 summary: &mut CrawlSummary,
                 sink: &mut S|
     -> std::result::Result<(), S::Error> {
        if urls.is_empty() {
            return Ok(());
        }
        summary.fetched += urls.len() as u64;
        let taken = sink.take(urls, summary);
        urls.clear();
        taken
    };
    let walk = walk_sitemaps(reader, inputs, &options.limits, &mut |entry| {
        let dated_out = entry.date().and_then(|d| options.selection.keeps_date(d)) == Some(false);
        if dated_out || !options.selection.keeps_address(&entry.loc) {
            summary.out_of_range += 1;
            return Flow::Continue;
        }
        match sink.is_stored(&entry.loc) {
            Ok(true) => {
                summary.already_stored += 1;
                return Flow::Continue;
            }
            Ok(false) => {}
            Err(e) => {
                failure = Some(e);
                return Flow::Stop;
            }
        }
        // An address robots.txt disallows is never fetched (the fetcher would refuse it
        // too); counted here, it is not reported as a failure of the crawl.
        if matches!(reader.robots_allow(&entry.loc), Ok(false)) {
            summary.disallowed += 1;
            return Flow::Continue;
        }
        urls.push(entry.loc);
        let planned = summary.fetched as usize + urls.len();
        if options.max_pages.is_some_and(|max| planned >= max) {
            summary.max_pages_reached = true;
            return Flow::Stop;
        }
        if urls.len() >= batch
            && let Err(e) = flush(&mut urls, &mut summary, sink)
        {
            failure = Some(e);
            return Flow::Stop;
        }
        Flow::Continue
    });
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut urls, &mut summary, sink)?;
    summary.sitemaps = walk.sitemaps_read;
    summary.sitemaps_partial = walk.sitemaps_partial;
    summary.listed = walk.pages_listed;
    summary.sitemap_errors = walk.failures.iter().map(IngestError::from_ingest).collect();
    summary.warnings = walk.warnings.iter().map(IngestError::from_ingest).collect();
    Ok(summary)
}

/// The embedded crawl's sink: the store in `dir` says what is stored, and each batch is
/// ingested into it.
struct StoreSink<'a> {
    dir: &'a Path,
    reader: &'a PageReader,
    extractor: &'a Extractor,
    options: IngestOptions,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// The store, read while the ingest writes it (SQLite readers never wait for the
    /// writer); opened again after the first batch when there was none.
    store: Option<Store>,
}

impl CrawlSink for StoreSink<'_> {
    type Error = crate::Error;

    fn is_stored(&mut self, url: &str) -> Result<bool> {
        match &self.store {
            Some(store) => Ok(store.find(url)?.is_some()),
            None => Ok(false),
        }
    }

    fn take(&mut self, urls: &[String], summary: &mut CrawlSummary) -> Result<()> {
        let part =
            ingest(self.dir, self.reader, self.extractor, urls, &self.options, self.progress)?;
        absorb(&mut summary.pages, part);
        if self.store.is_none() {
            self.store = open_store(self.dir)?;
        }
        Ok(())
    }
}

/// Crawls `inputs` (sites or sitemap addresses) into the store in `dir`.
pub fn crawl(
    dir: &Path,
    reader: &PageReader,
    extractor: &Extractor,
    inputs: &[String],
    options: &CrawlOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<CrawlSummary> {
    let mut sink = StoreSink {
        dir,
        reader,
        extractor,
        options: IngestOptions {
            selection: options.selection.clone(),
            fetchers: if options.ingest.fetchers == 0 { FETCHERS } else { options.ingest.fetchers },
            ..options.ingest.clone()
        },
        progress,
        store: open_store(dir)?,
    };
    walk_crawl(reader, inputs, options, &mut sink)
}

/// The store in `dir` for reading, `None` when there is none yet.
fn open_store(dir: &Path) -> Result<Option<Store>> {
    match Store::open(dir) {
        Ok(store) => Ok(Some(store)),
        Err(lede_store::Error::NoStore { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Adds one batch's ingest summary to the crawl's (times and counts summed; a story
/// changed by two batches is counted twice).
fn absorb(total: &mut IngestSummary, part: IngestSummary) {
    total.seen += part.seen;
    total.added += part.added;
    total.duplicates += part.duplicates;
    total.skipped += part.skipped;
    total.filtered += part.filtered;
    total.failed += part.failed;
    let room = MAX_ERRORS.saturating_sub(total.errors.len());
    total.errors.extend(part.errors.into_iter().take(room));
    total.seconds += part.seconds;
    total.reindexed += part.reindexed;
    let (s, p) = (&mut total.stories, part.stories);
    s.articles += p.articles;
    s.stories += p.stories;
    s.merged += p.merged;
    s.seconds += p.seconds;
    s.damaged.extend(p.damaged);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback server answering `routes` (path, content type, body), 404 otherwise;
    /// returns its base URL and the paths asked for. It stops with the test process.
    fn serve(
        routes: impl FnOnce(&str) -> Vec<(String, &'static str, String)>,
    ) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = routes(&base);
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&request).to_string();
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
                seen.lock().unwrap().push(path.clone());
                let found = routes.iter().find(|(p, _, _)| *p == path);
                let (status, kind, body) = match found {
                    Some((_, kind, body)) => ("200 OK", *kind, body.as_str()),
                    None => ("404 Not Found", "text/plain", ""),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (base, log)
    }

    #[test]
    fn a_crawl_ingests_in_batches_and_skips_what_it_stored() {
        let topics = ["bridge", "tunnel", "harbour", "station", "airport"];
        let (base, log) = serve(|base| {
            let entries: String = topics
                .iter()
                .map(|t| format!("<url><loc>{base}/{t}</loc><lastmod>2019-02-01</lastmod></url>"))
                .collect();
            let mut routes = vec![(
                "/sitemap.xml".to_owned(),
                "application/xml",
                format!(
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{entries}</urlset>"
                ),
            )];
            for t in topics {
                routes.push((
                    format!("/{t}"),
                    "text/html",
                    format!(
                        "<html><head><title>{t}</title><meta property=\"article:published_time\" \
                         content=\"2019-02-01\"></head><body><article><h1>{t}</h1><p>The {t} story: the \
                         council met on Tuesday and approved the plan after a long debate about the budget \
                         for {t}.</p><p>Work starts in the spring, the mayor said, and should last about \
                         two years. The new road will link the station to the hospital and the university, \
                         with a bus lane and a cycle path on each side.</p></article></body></html>"
                    ),
                ));
            }
            routes
        });
        let dir = tempfile::tempdir().unwrap();
        let reader = lede_ingest::ReadConfig { allow_private: true, ..Default::default() }.build();
        let options = CrawlOptions { batch: 2, ..CrawlOptions::default() };
        let sitemap = vec![format!("{base}/sitemap.xml")];
        let extractor = Extractor::default();
        // Each ingest reports its stories stage once: one per batch.
        let ingests = std::sync::atomic::AtomicUsize::new(0);
        let count = |p: Progress| {
            if p.stage == crate::Stage::Stories {
                ingests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        };
        let first = crawl(dir.path(), &reader, &extractor, &sitemap, &options, &count).unwrap();
        assert_eq!(ingests.into_inner(), 3, "batches of 2, 2 and 1");
        assert_eq!((first.listed, first.fetched), (5, 5), "{first:#?}");
        assert_eq!(first.pages.added, 5, "{first:#?}");
        assert_eq!(first.pages.stories.articles, 5);
        // Again, with a fresh reader: every page is found stored before it is fetched.
        let reader = lede_ingest::ReadConfig { allow_private: true, ..Default::default() }.build();
        let asked = log.lock().unwrap().len();
        let again = crawl(dir.path(), &reader, &extractor, &sitemap, &options, &|_| {}).unwrap();
        assert_eq!((again.already_stored, again.fetched), (5, 0), "{again:#?}");
        let later: Vec<String> = log.lock().unwrap()[asked..].to_vec();
        assert_eq!(later, ["/robots.txt", "/sitemap.xml"]);
    }
}
