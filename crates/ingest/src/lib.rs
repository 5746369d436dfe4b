//! Reads news pages from wherever they are and turns their bytes into text.
//!
//! Ingest is the only stage that touches files and the network. It hands the rest of the
//! pipeline a [`RawPage`] (bytes plus their [`Origin`](lede_core::Origin)), and
//! [`decode`] turns that into a [`DecodedPage`] of Unicode text. Along the way it:
//!
//! - caps how much it reads ([`ReadConfig::max_bytes`], 32 MiB by default), before reading
//!   it all, so a 1 GB file costs nothing but an error;
//! - unpacks gzip transparently, under the same cap (a decompression bomb is refused);
//! - refuses binary files (PDF, images, archives, executables) with a message that says
//!   what they look like;
//! - reads sitemaps and news sitemaps as streams, under the protocol's limits
//!   ([`read_sitemap`]), and walks a site's sitemaps from its robots.txt
//!   ([`walk_sitemaps`], for `lede crawl`);
//! - decides the character encoding: byte-order mark, then the HTTP `charset`, then
//!   `<meta charset>` or the XML declaration, then valid UTF-8, else detection (chardetng).
//!
//! Every error names its input.
//!
//! ```
//! use lede_ingest::{decode, RawPage};
//! use lede_core::Origin;
//!
//! let page = RawPage::new(b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>".to_vec(), Origin::Stdin);
//! let doc = decode(page).unwrap();
//! assert!(doc.text.contains("café"));
//! assert_eq!(doc.encoding, "windows-1252");
//! ```

mod archive_set;
mod crawl;
mod decode;
mod error;
mod feed;
mod fetch;
mod lines;
mod opml;
mod pieces;
mod prefetch;
mod read;
mod record;
mod sitemap;
mod sniff;
mod sources;
mod warc;

pub use archive_set::{
    ArchiveLocation, ArchiveMember, HostPattern, is_archive_list, read_archive_list,
};
pub use crawl::{Flow, MAX_INDEX_DEPTH, MAX_SITEMAPS, SitemapWalk, walk_sitemaps};
pub use decode::{DecodedPage, decode};
pub use error::{Error, Result};
pub use fetch::{Fetched, MAX_CRAWL_DELAY, PER_HOST, Validators};
pub use opml::{OpmlFeed, read_opml, write_opml};
pub use pieces::{Piece, pieces};
pub use prefetch::Prefetch;
pub use read::{DEFAULT_MAX_BYTES, PageReader, RawPage, ReadConfig, Source};
pub use record::{Body, Payload, RawRecord, Structured};
pub use sitemap::{
    MAX_BYTES as SITEMAP_MAX_BYTES, MAX_FIELD as SITEMAP_MAX_FIELD, MAX_RUN as SITEMAP_MAX_RUN,
    MAX_URLS as SITEMAP_MAX_URLS, NewsEntry, Sitemap, SitemapEntry, SitemapKind, SitemapLimits,
    SitemapProblem, read_sitemap,
};
pub use sources::{Sources, total_size};
