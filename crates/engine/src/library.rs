//! Reading a store: show, search, stats, export.

use crate::Result;
use lede_core::Article;
use lede_search::{SearchIndex, SearchQuery, Snippet};
use lede_store::{Stats, Store, StoredArticle};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// A store opened for reading, with its index.
pub struct Library {
    store: Store,
    index: Option<SearchIndex>,
}

/// One search result, in the CLI contract's shape.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// The article's id.
    pub id: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication time (ISO 8601).
    pub published: Option<String>,
    /// BM25 score (0 when sorted by date).
    pub score: f32,
    /// The passage that matches best.
    pub snippet: String,
    /// Byte ranges of `snippet` that match the query.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// Search results and the query's leftovers.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The hits.
    pub hits: Vec<SearchHit>,
    /// Parts of the query that could not be read and were ignored.
    pub warnings: Vec<String>,
}

/// `lede stats`: the store's counts and the index's.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryStats {
    /// Store counts.
    #[serde(flatten)]
    pub store: Stats,
    /// Documents in the search index.
    pub indexed: u64,
}

/// A stored article in the shape `lede show` prints: the article, plus `id`,
/// `source_id`, `origin`, `seq`, and any extra fields of its input record.
#[derive(Serialize)]
pub struct ShowJson<'a> {
    id: String,
    source_id: Option<&'a str>,
    #[serde(flatten)]
    article: &'a Article,
    origin: &'a str,
    seq: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<&'a serde_json::Value>,
}

/// The JSON of a stored article as `lede show` prints it.
pub fn show_json(a: &StoredArticle) -> ShowJson<'_> {
    ShowJson {
        id: a.id.to_string(),
        source_id: a.source_id.as_deref(),
        article: &a.article,
        origin: &a.origin,
        seq: a.seq,
        extra: a.extra.as_ref(),
    }
}

/// One line of `lede export --format jsonl`: a record `lede ingest` reads back as the
/// same article. `id` is the input record's own id; `article_id` the content hash.
#[derive(Serialize)]
struct ExportLine<'a> {
    id: Option<&'a str>,
    article_id: String,
    title: Option<&'a str>,
    url: Option<&'a str>,
    outlet: Option<&'a str>,
    date: Option<String>,
    published_raw: Option<&'a str>,
    authors: &'a [String],
    language: Option<&'a str>,
    paragraphs: &'a [String],
    captions: &'a [String],
    related: &'a [lede_core::RelatedItem],
    #[serde(flatten)]
    extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl Library {
    /// Opens the store in `dir` (and its index, when there is one).
    pub fn open(dir: &Path) -> Result<Library> {
        let store = Store::open(dir)?;
        let index = match SearchIndex::open(dir) {
            Ok(i) => Some(i),
            Err(lede_search::Error::NoIndex { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        Ok(Library { store, index })
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn index(&self) -> Option<&SearchIndex> {
        self.index.as_ref()
    }

    /// The article a key names: id (or a unique prefix of 8+ hex digits), record id, or URL.
    pub fn show(&self, key: &str) -> Result<Option<StoredArticle>> {
        Ok(self.store.find(key)?)
    }

    /// Searches the index.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        let Some(index) = &self.index else {
            return Ok(SearchResults {
                hits: Vec::new(),
                warnings: vec!["the store has no search index yet".into()],
            });
        };
        let results = index.search(query)?;
        let seqs: Vec<u64> = results.hits.iter().map(|h| h.seq).collect();
        let articles = self.store.by_seqs(&seqs)?;
        let mut hits = Vec::with_capacity(articles.len());
        for (hit, stored) in results.hits.iter().zip(articles.iter()) {
            let body = stored.article.paragraphs.join("\n");
            let Snippet { text, highlights } = results.snippet(&body);
            hits.push(SearchHit {
                id: stored.id.to_string(),
                title: stored.article.title.clone(),
                outlet: stored.article.outlet.clone(),
                published: stored.article.published.as_ref().map(|p| p.at.to_string()),
                score: hit.score,
                snippet: text,
                highlights,
            });
        }
        Ok(SearchResults { hits, warnings: results.warnings })
    }

    /// Counts.
    pub fn stats(&self) -> Result<LibraryStats> {
        Ok(LibraryStats {
            store: self.store.stats()?,
            indexed: self.index.as_ref().map_or(0, SearchIndex::num_docs),
        })
    }

    /// Writes every article as a JSON Lines record `lede ingest` reads back; returns how
    /// many.
    pub fn export(&self, out: &mut dyn Write) -> Result<u64> {
        let mut n = 0;
        self.store.scan(0, 1024, |a| -> Result<()> {
            let art = &a.article;
            let line = ExportLine {
                id: a.source_id.as_deref(),
                article_id: a.id.to_string(),
                title: art.title.as_deref(),
                url: art.url.as_deref(),
                outlet: art.outlet.as_deref(),
                date: art.published.as_ref().map(|p| p.at.to_string()),
                published_raw: art.published.as_ref().map(|p| p.raw.as_str()),
                authors: &art.authors,
                language: art.language.as_deref(),
                paragraphs: &art.paragraphs,
                captions: &art.captions,
                related: &art.related,
                extra: a.extra.as_ref().and_then(|e| e.as_object()),
            };
            serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }
}
