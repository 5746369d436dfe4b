//! Any bytes, gzipped or not, through the sitemap reader: must never panic, and never
//! return an entry without an address or with one longer than the field cap.
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run sitemap -- -max_len=65536` from the repository
//! root.
#![no_main]

use lede_ingest::{SITEMAP_MAX_FIELD, SitemapLimits, read_sitemap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Small limits, so that the limit paths are reached by small inputs too.
    for limits in [SitemapLimits::default(), SitemapLimits { max_urls: 3, max_bytes: 4096 }] {
        if let Ok(sitemap) = read_sitemap(data, &limits) {
            assert!(sitemap.entries.len() <= limits.max_urls);
            for e in &sitemap.entries {
                assert!(!e.loc.is_empty() && e.loc.len() <= SITEMAP_MAX_FIELD);
            }
        }
    }
});
