//! The errors of reading and decoding a page. Each names the input it is about.

use lede_core::Origin;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a page could not be read or decoded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file or stream could not be read.
    #[error("{origin}: cannot read: {source}")]
    Io {
        /// The input.
        origin: Origin,
        /// The underlying failure.
        source: std::io::Error,
    },
    /// A directory was given where a page was expected.
    #[error("{origin}: is a directory, not a page")]
    IsDirectory {
        /// The input.
        origin: Origin,
    },
    /// The input is larger than the configured cap.
    #[error("{origin}: larger than the {} cap (raise it with --max-size)", human_bytes(*limit))]
    TooLarge {
        /// The input.
        origin: Origin,
        /// The cap in bytes.
        limit: u64,
    },
    /// The input holds no bytes, or only white space.
    #[error("{origin}: empty")]
    Empty {
        /// The input.
        origin: Origin,
    },
    /// The input is a binary file, not a web page.
    #[error("{origin}: {what}, not a web page")]
    Binary {
        /// The input.
        origin: Origin,
        /// What it looks like ("a PDF document").
        what: &'static str,
    },
    /// The input starts like gzip but does not decompress.
    #[error("{origin}: corrupt or truncated gzip data: {source}")]
    Gzip {
        /// The input.
        origin: Origin,
        /// The decompressor's complaint.
        source: std::io::Error,
    },
    /// The bytes are not text in the encoding they declare or appear to use.
    #[error(
        "{origin}: not valid {encoding} text ({malformed} malformed byte sequences in {chars} characters)"
    )]
    Garbled {
        /// The input.
        origin: Origin,
        /// The encoding that was tried.
        encoding: &'static str,
        /// How many byte sequences could not be decoded.
        malformed: usize,
        /// How many characters the decoded text has.
        chars: usize,
    },
    /// The address is not an `http` or `https` URL that can be fetched.
    #[error("{origin}: not a fetchable http(s) URL: {reason}")]
    BadUrl {
        /// The input.
        origin: Origin,
        /// What is wrong with it.
        reason: String,
    },
    /// The server answered with a status other than success.
    #[error("{origin}: HTTP status {status}{}", retry_after.map_or(String::new(), |s| format!(" (retry after {s} s)")))]
    HttpStatus {
        /// The input.
        origin: Origin,
        /// The status code.
        status: u16,
        /// Seconds the server asked to wait before asking again (`Retry-After` of a 429
        /// or 503, in seconds; a date is not read).
        retry_after: Option<u64>,
    },
    /// One record of an input could not be read (a malformed JSON line, a truncated WARC
    /// record, an unreadable feed). The records around it are still read.
    #[error("{origin}: {message}")]
    Record {
        /// The input and the record's location in it.
        origin: Origin,
        /// What is wrong.
        message: String,
    },
    /// Fetching was refused by lede's own rules: a private address, robots.txt, a redirect
    /// loop.
    #[error("{origin}: not fetched: {reason}")]
    Refused {
        /// The input.
        origin: Origin,
        /// Why.
        reason: String,
    },
    /// A sitemap could not be read, or was read only in part (the protocol's limits, a
    /// cycle of sitemap indexes, malformed XML).
    #[error("{origin}: sitemap {problem}")]
    Sitemap {
        /// The sitemap.
        origin: Origin,
        /// What is wrong with it.
        problem: crate::sitemap::SitemapProblem,
    },
    /// The page could not be fetched (connection, TLS, timeout).
    #[error("{origin}: fetch failed: {source}")]
    Fetch {
        /// The input.
        origin: Origin,
        /// The HTTP client's error.
        source: Box<ureq::Error>,
    },
}

impl Error {
    /// The input this error is about.
    pub fn origin(&self) -> &Origin {
        match self {
            Error::Io { origin, .. }
            | Error::IsDirectory { origin }
            | Error::TooLarge { origin, .. }
            | Error::Empty { origin }
            | Error::Binary { origin, .. }
            | Error::Gzip { origin, .. }
            | Error::Garbled { origin, .. }
            | Error::BadUrl { origin, .. }
            | Error::HttpStatus { origin, .. }
            | Error::Record { origin, .. }
            | Error::Refused { origin, .. }
            | Error::Sitemap { origin, .. }
            | Error::Fetch { origin, .. } => origin,
        }
    }
}

/// `33554432` as `32 MiB`, for messages.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(32 << 20), "32 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }

    #[test]
    fn messages_name_the_input() {
        let e = Error::TooLarge { origin: Origin::file("big.html"), limit: 32 << 20 };
        assert_eq!(
            e.to_string(),
            "big.html: larger than the 32 MiB cap (raise it with --max-size)"
        );
        assert_eq!(e.origin(), &Origin::file("big.html"));
    }
}
