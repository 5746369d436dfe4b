//! Cluster mode's store as the reader and the read commands see it: [`PgLibrary`], a
//! [`RemoteStore`] over one PostgreSQL connection, so that
//! `lede serve --postgres URL` serves the pages and API the embedded reader serves, from
//! the same code ([`lede_engine::reads`]).

use lede_engine::{
    ExploreBackend, Library, LibraryStats, ReadBackend, RemoteStore, SearchHit, SearchQuery,
    SearchResults,
};
use lede_pg::PgStore;

/// A PostgreSQL store opened for reading.
pub struct PgLibrary {
    store: PgStore,
}

impl PgLibrary {
    /// Connects to `url` (see [`PgStore::connect`]).
    pub fn connect(url: &str) -> Result<PgLibrary, lede_pg::Error> {
        Ok(PgLibrary { store: PgStore::connect(url)? })
    }

    /// A [`Library`] reading the store at `url`.
    pub fn open(url: &str) -> lede_engine::Result<Library> {
        let library = PgLibrary::connect(url).map_err(store_error)?;
        Ok(Library::remote(Box::new(library)))
    }

    /// What the store looks like now, for a reader's cache: the last article stored and
    /// the last one clustered (both grow with every change a page shows).
    pub fn state(&mut self) -> lede_store::Result<(u64, u64)> {
        let reads: &mut dyn ReadBackend = &mut self.store;
        Ok((reads.last_seq()?.0, reads.clustered_through()?.0))
    }
}

/// lede-pg's error as the engine's, through the store boundary's.
fn store_error(e: lede_pg::Error) -> lede_engine::Error {
    lede_engine::Error::Store(e.into())
}

impl RemoteStore for PgLibrary {
    fn reads(&mut self) -> &mut dyn ReadBackend {
        &mut self.store
    }

    fn explore(&mut self) -> &mut dyn ExploreBackend {
        &mut self.store
    }

    fn search(&mut self, query: &SearchQuery) -> lede_engine::Result<SearchResults> {
        let found = self.store.search_with(query).map_err(store_error)?;
        let hits = found
            .hits
            .into_iter()
            .map(|h| SearchHit {
                id: h.id,
                title: h.title,
                outlet: h.outlet,
                published: h.published,
                score: h.rank,
                snippet: h.snippet,
                highlights: h.highlights,
                entities: h.entities,
            })
            .collect();
        Ok(SearchResults { total: found.total, hits, warnings: found.warnings })
    }

    fn search_count(&mut self, query: &SearchQuery) -> lede_engine::Result<u64> {
        self.store.search_count(query).map_err(store_error)
    }

    fn stats(&mut self) -> lede_engine::Result<LibraryStats> {
        let store = self.store.stats().map_err(store_error)?;
        // Every stored article is searchable: its terms are written in the transaction
        // that stores it (those stored before lede-pg's format 3, by the first search).
        Ok(LibraryStats { indexed: store.articles, store })
    }

    fn name(&self) -> String {
        self.store.target().to_owned()
    }

    fn is_broken(&self) -> bool {
        self.store.is_closed()
    }
}
