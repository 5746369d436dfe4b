//! Fetch state: the validators (ETag, Last-Modified) a server last sent for a URL input,
//! so that the next ingest of that URL asks with a conditional GET (feeds are read again
//! often). One row per URL in `fetch_state`, replaced when new validators come.

use crate::error::Result;
use crate::store::{Store, StoreWriter};
use lede_core::Validators;
use rusqlite::{OptionalExtension, params};

impl Store {
    /// The validators (ETag, Last-Modified) last seen for `url`.
    pub fn fetch_state(&self, url: &str) -> Result<Validators> {
        self.conn
            .query_row("SELECT etag, last_modified FROM fetch_state WHERE url = ?1", [url], |r| {
                Ok(Validators { etag: r.get(0)?, last_modified: r.get(1)? })
            })
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| self.sql(e))
    }
}

impl StoreWriter {
    /// Remembers the validators a server sent for `url` (for the next conditional GET).
    pub fn set_fetch_state(&self, url: &str, validators: &Validators) -> Result<()> {
        self.store
            .conn
            .execute(
                "INSERT INTO fetch_state (url, etag, last_modified) VALUES (?1, ?2, ?3)
                 ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified",
                params![url, validators.etag, validators.last_modified],
            )
            .map(|_| ())
            .map_err(|e| self.store.sql(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::StoreWriter;
    use lede_core::Validators;

    #[test]
    fn validators_are_kept_per_url_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let w = StoreWriter::open(dir.path()).unwrap();
        let first = Validators { etag: Some("\"e1\"".into()), last_modified: None };
        w.set_fetch_state("https://f.example/feed", &first).unwrap();
        let second = Validators {
            etag: Some("\"e2\"".into()),
            last_modified: Some("Tue, 19 Nov 2019 10:00:00 GMT".into()),
        };
        w.set_fetch_state("https://f.example/feed", &second).unwrap();
        assert_eq!(w.reader().fetch_state("https://f.example/feed").unwrap(), second);
        assert!(w.reader().fetch_state("https://other.example/").unwrap().is_empty());
    }
}
