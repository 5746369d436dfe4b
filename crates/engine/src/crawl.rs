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
//! the very path `lede ingest URL` takes, with the date range applied again to each
//! page's own date after extraction. So a second crawl of the same site fetches no page
//! it stored the first time.

use crate::ingest::{DateRange, IngestOptions, IngestSummary, Progress, ingest};
use crate::{IngestError, Result};
use lede_extract::Extractor;
use lede_ingest::{Flow, PageReader, SitemapLimits, walk_sitemaps};
use lede_store::Store;
use std::path::Path;

/// How a crawl runs.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Only pages published in this range: judged by the sitemap's date before fetching,
    /// and by the page's own date after.
    pub range: DateRange,
    /// Fetch at most this many pages (those not stored yet, in the range, allowed).
    pub max_pages: Option<usize>,
    /// How the pages are ingested (`published` is set from `range`).
    pub ingest: IngestOptions,
    /// How much of each sitemap is read.
    pub limits: SitemapLimits,
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
    /// Pages whose sitemap date is outside the range: not fetched.
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
    /// What the ingest of the fetched pages did (`out_of_range` there: pages whose own
    /// date is outside the range).
    pub pages: IngestSummary,
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
    // The store is only read here; the ingest below is its writer.
    let store = match Store::open(dir) {
        Ok(store) => Some(store),
        Err(lede_store::Error::NoStore { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let mut summary = CrawlSummary::default();
    let mut urls: Vec<String> = Vec::new();
    let mut lookup_error = None;
    let walk = walk_sitemaps(reader, inputs, &options.limits, &mut |entry| {
        if let Some(date) = entry.date()
            && options.range.contains_date(date) == Some(false)
        {
            summary.out_of_range += 1;
            return Flow::Continue;
        }
        if let Some(store) = &store {
            match store.find(&entry.loc) {
                Ok(Some(_)) => {
                    summary.already_stored += 1;
                    return Flow::Continue;
                }
                Ok(None) => {}
                Err(e) => {
                    lookup_error = Some(e);
                    return Flow::Stop;
                }
            }
        }
        // An address robots.txt disallows is never fetched (the fetcher would refuse it
        // too); counted here, it is not reported as a failure of the crawl.
        if matches!(reader.robots_allow(&entry.loc), Ok(false)) {
            summary.disallowed += 1;
            return Flow::Continue;
        }
        urls.push(entry.loc);
        if options.max_pages.is_some_and(|max| urls.len() >= max) {
            summary.max_pages_reached = true;
            return Flow::Stop;
        }
        Flow::Continue
    });
    if let Some(e) = lookup_error {
        return Err(e.into());
    }
    drop(store);
    summary.sitemaps = walk.sitemaps_read;
    summary.sitemaps_partial = walk.sitemaps_partial;
    summary.listed = walk.pages_listed;
    summary.sitemap_errors = walk.failures.iter().map(IngestError::from_ingest).collect();
    summary.warnings = walk.warnings.iter().map(IngestError::from_ingest).collect();
    summary.fetched = urls.len() as u64;
    if !urls.is_empty() {
        let ingest_options =
            IngestOptions { published: Some(options.range), ..options.ingest.clone() };
        summary.pages = ingest(dir, reader, extractor, urls, &ingest_options, progress)?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_range_is_half_open_and_reads_sitemap_dates() {
        // 2019-02-01T00:00:00Z and 2019-03-01T00:00:00Z.
        let range = DateRange { since: Some(1_548_979_200), until: Some(1_551_398_400) };
        assert!(range.contains(1_548_979_200));
        assert!(!range.contains(1_551_398_400));
        assert!(!range.contains(1_548_979_199));
        assert_eq!(range.contains_date("2019-02-14"), Some(true));
        assert_eq!(range.contains_date("2019-02-28T23:59:59+00:00"), Some(true));
        assert_eq!(range.contains_date("2019-03-01T00:00:00Z"), Some(false));
        assert_eq!(range.contains_date("2019-01-31"), Some(false));
        assert_eq!(range.contains_date("not a date"), None);
        let open = DateRange::default();
        assert!(open.contains(i64::MIN) && open.contains(i64::MAX));
    }
}
