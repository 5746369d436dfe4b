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
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path } => write!(f, "{}", path.display()),
            Origin::Url { url } => f.write_str(url),
            Origin::Stdin => f.write_str("<stdin>"),
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
    }
}
