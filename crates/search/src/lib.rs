//! lede's full-text index: tantivy over each stored article's title, body, outlet and
//! authors, with its publication date as a fast field and the canonical names of the
//! entities it names as exact terms.
//!
//! - [`SearchIndex::create_or_open`] / [`SearchIndex::open`]: the index in `DIR/index`.
//! - [`IndexWriter`]: adds articles and commits, recording with each commit the highest
//!   store sequence number it holds ([`SearchIndex::indexed_through`]), so that after a
//!   crash the store's newer articles can be indexed again and nothing is lost or doubled.
//! - [`SearchIndex::search`]: BM25 with the title weighted double; `"phrases"`, `AND`,
//!   `OR`, `-excluded`, `title:`, `outlet:`, `author:`, `entity:` prefixes; `from`/`to`
//!   date bounds, outlet and entity filters, relevance or date order; [`Results::snippet`] marks the hits in a text.
//!
//! ```
//! use lede_core::{Article, ArticleSeq};
//! use lede_search::{SearchIndex, SearchQuery};
//!
//! let dir = tempfile::tempdir()?;
//! let index = SearchIndex::create_or_open(dir.path())?;
//! let mut writer = index.writer()?;
//! let article = Article { title: Some("Budget approved".into()), paragraphs: vec!["The council approved the budget.".into()], ..Article::default() };
//! writer.add(ArticleSeq(1), "0123", &article, &["City Council"])?;
//! writer.commit(ArticleSeq(1))?;
//! let results = index.search(&SearchQuery::new("council budget"))?;
//! assert_eq!(results.hits[0].seq, ArticleSeq(1));
//! let mut by_entity = SearchQuery::new("");
//! by_entity.entity = Some("city council".into());
//! assert_eq!(index.search(&by_entity)?.hits.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod grams;
mod index;
pub mod stems;

pub use index::{Hit, IndexWriter, Results, SearchIndex, SearchQuery, Snippet, SortOrder};

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the index could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// There is no index in the directory.
    #[error("{dir}: no search index here (create one with `lede ingest`)")]
    NoIndex {
        /// The index directory.
        dir: std::path::PathBuf,
    },
    /// The query could not be read (a caller's mistake).
    #[error("cannot read the query {query:?}: {message}")]
    BadQuery {
        /// The query.
        query: String,
        /// What is wrong with it.
        message: String,
    },
    /// tantivy failed (disk, corruption, another writer).
    #[error("{dir}: index error: {source}")]
    Tantivy {
        /// The index directory.
        dir: std::path::PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
}
