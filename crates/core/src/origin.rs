//! Where a page came from.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// Where a page came from, for messages that name their input and for provenance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Origin {
    /// A file on disk.
    File {
        /// The path as given.
        path: PathBuf,
    },
    /// A page fetched over HTTP(S).
    Url {
        /// The address asked for (redirects may have led elsewhere).
        url: String,
    },
    /// Standard input.
    Stdin,
    /// One record inside a larger input: a JSON Lines line, a WARC record, a feed item.
    Record {
        /// The input that holds it (a path, a URL, `<stdin>`).
        input: String,
        /// Where in the input.
        location: Location,
    },
}

/// Where a record sits in its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum Location {
    /// A line number, from 1 (JSON Lines).
    Line(u64),
    /// A byte offset, from 0 (WARC records, in the uncompressed stream).
    Offset(u64),
    /// An item number, from 1 (feed items).
    Item(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Offset(n) => write!(f, "offset {n}"),
            Location::Item(n) => write!(f, "item {n}"),
        }
    }
}

impl Origin {
    /// A file origin.
    pub fn file(path: impl Into<PathBuf>) -> Origin {
        Origin::File { path: path.into() }
    }

    /// A URL origin.
    pub fn url(url: impl Into<String>) -> Origin {
        Origin::Url { url: url.into() }
    }

    /// A record at `location` inside this origin.
    pub fn record(&self, location: Location) -> Origin {
        let input = match self {
            Origin::Record { input, .. } => input.clone(),
            other => other.to_string(),
        };
        Origin::Record { input, location }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path } => write!(f, "{}", path.display()),
            Origin::Url { url } => f.write_str(url),
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Record { input, location } => write!(f, "{input} ({location})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_the_input_as_given() {
        assert_eq!(Origin::file("pages/a.html").to_string(), "pages/a.html");
        assert_eq!(Origin::url("https://example.com/a").to_string(), "https://example.com/a");
        assert_eq!(Origin::Stdin.to_string(), "<stdin>");
        assert_eq!(
            Origin::file("a.jsonl").record(Location::Line(12)).to_string(),
            "a.jsonl (line 12)"
        );
        assert_eq!(Origin::Stdin.record(Location::Offset(0)).to_string(), "<stdin> (offset 0)");
    }
}

/// Validators a server sent with a page, for the next conditional request (and what the
/// store keeps per fetched URL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is anything to ask with.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}
