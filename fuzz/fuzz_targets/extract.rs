//! Any bytes, through decoding and extraction: must never panic.
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run extract -- -max_len=65536` from the repository
//! root (`RUSTC_BOOTSTRAP` lets the stable toolchain build with the sanitizer flags).
#![no_main]

use lede_core::Origin;
use lede_extract::{Extractor, PageHints};
use lede_ingest::{RawPage, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let extractor = Extractor::default();
    // As ingest would hand it over: encoding sniffed and decoded (errors are fine).
    if let Ok(page) = decode(RawPage::new(data.to_vec(), Origin::Stdin)) {
        let _ = extractor.extract(&page.text, &PageHints { url: Some("https://example.com/a/b"), media_type: None, reference: None });
    }
    // And as raw text, forced through both readers.
    let text = String::from_utf8_lossy(data);
    let _ = extractor.extract(&text, &PageHints { url: None, media_type: Some("text/html"), reference: None });
    let _ = extractor.extract(&text, &PageHints { url: None, media_type: Some("text/plain"), reference: None });
});
