//! lede's library API: the stages of the pipeline wired together.
//!
//! The `lede` binary and its server are thin shells over this crate:
//!
//! - [`Analyzer`] reads one page from a file, a URL or standard input ([`lede_ingest`]),
//!   decodes it, extracts the article ([`lede_extract`]) and reads who is in it and who
//!   said what ([`lede_entities`]), giving an [`Analysis`] whose JSON form is the
//!   `lede analyze --json` object of the CLI contract;
//! - [`ingest`] reads any number of sources into a store ([`lede_store`]) and its search
//!   index ([`lede_search`]), in parallel, in bounded memory, in input order;
//! - [`crawl`] finds a site's pages through its sitemaps, keeps those in a date range
//!   and not yet stored, and ingests them the way [`ingest`] does;
//! - [`Library`] reads a store: [`Library::show`], [`Library::search`],
//!   [`Library::stats`], [`Library::export`], [`Library::trace`] (where each passage
//!   of an article first appeared, [`lede_dedup`]), [`Library::dups`] (near-duplicate
//!   groups), [`Library::quotes`] (who said what, newest first) and [`Library::entities`]
//!   (who and what the store names most), [`Library::stories`] and [`Library::story`]
//!   (which articles tell the same story, and which stories are related, `lede_cluster`).
//!
//! ```no_run
//! use lede_engine::Analyzer;
//! use lede_ingest::Source;
//!
//! let analyzer = Analyzer::default();
//! let analysis = analyzer.analyze(&Source::parse("page.html"))?;
//! println!("{}", analysis.extraction.article.title.unwrap_or_default());
//! # Ok::<(), lede_engine::Error>(())
//! ```

mod crawl;
mod crosslang;
mod ingest;
mod library;
mod network;
mod prepare;
mod provenance;
pub mod reads;
mod selection;
mod stories;
mod watch;

pub use crawl::{
    CrawlOptions, CrawlSink, CrawlSummary, DEFAULT_BATCH, FETCHERS, crawl, walk_crawl,
};
pub use crosslang::LinkedStory;
pub use ingest::{
    ArchiveCounts, IngestOptions, IngestSummary, Progress, Stage, feed_item_keys, feed_title,
    ingest,
};
pub use lede_cluster::{LinkCheck, check_links};
pub use lede_dedup::{
    IntrinsicSignal, SignalKind, SpinMarker, Substitution, Verdict as ProvenanceVerdict,
};
pub use lede_search::{SearchQuery, SortOrder};
pub use lede_store::Feed;
pub use lede_store::{EntityCount, EntityFilter};
pub use lede_store::{ExploreBackend, ReadBackend, StoryArticle, StoryFilter};
pub use library::{
    ArticleStory, EntityPage, EntityStory, Library, LibraryStats, QuoteHit, RemoteStore, SearchHit,
    SearchResults, ShowJson, StoryCardJson, WindowStories, WindowStoryJson, lead_label, show_json,
};
pub use network::{
    ArticleRef, Authors, BylineFlag, BylineStats, CopyEdge, CopyPair, EDGE_PAIRS, MAX_BYLINE_CHARS,
    MAX_BYLINE_WORDS, MIN_GROUP_LINK, MIN_GROUP_STRENGTH, MOSTLY_REUSED, NO_OUTLET, NameCount,
    Network, NetworkOptions, NetworkReport, OutletFlag, OutletShare, OutletStats, SharedSpin,
    SharedSwap, SpinGroup,
};
pub use prepare::{Outcome, Prepared, prepare_record};
pub use provenance::MAX_REUSERS;
pub use provenance::{
    DupGroup, DupMember, Dups, DupsOptions, LearnedPair, PassageHistory, ReusedPassage, Sighting,
    TracePassage, TraceReport, TraceReuse, TraceSource, find_dups,
};
pub use selection::Selection;
pub use stories::{
    ClusterSummary, Evidence, PASS as STORY_PASS, RelatedStory, StoryDetail, StoryEntity,
    StoryJson, StoryQuote, cluster_stories,
};
pub use watch::{
    Poll, PollStatus, Round, WatchOptions, add_feeds, after_poll, feeds, is_listing, listed_pages,
    listing_failed, new_feed, next_due, poll_feeds, remove_feeds,
};

use lede_core::{Annotations, Article, Entity, Origin, Quote, Sentence};
use lede_extract::{Extraction, Extractor, PageHints, Verdict};
use lede_ingest::{PageReader, Source, decode};
use serde::Serialize;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a page could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The page could not be read or decoded (the message names the input).
    #[error(transparent)]
    Ingest(#[from] lede_ingest::Error),
    /// The store failed or refused (locked, too new, not a store...).
    #[error(transparent)]
    Store(#[from] lede_store::Error),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] lede_search::Error),
    /// Writing output failed.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// The ingest pipeline broke (a bug).
    #[error("internal error: {0}")]
    Pipeline(String),
    /// Asked of a store that does not answer it (cluster mode's, for what only the
    /// embedded store answers yet).
    #[error(
        "{store}: {what} is answered from the embedded store only (--data), not in cluster mode yet"
    )]
    NotHere {
        /// The store asked.
        store: String,
        /// What was asked.
        what: &'static str,
    },
    /// Extraction or annotation failed on this page: a bug in lede, contained to the page
    /// so that a batch goes on. Please report it with the page.
    #[error(
        "{origin}: internal error while reading the article (a bug in lede; please report it with this page): {message}"
    )]
    Internal {
        /// The input.
        origin: Origin,
        /// The panic's message.
        message: String,
    },
}

/// One page, read and extracted.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Where the page came from.
    pub origin: Origin,
    /// The encoding the page was decoded from.
    pub encoding: &'static str,
    /// Malformed byte sequences replaced while decoding.
    pub malformed: usize,
    /// The article, and whether the page is one.
    pub extraction: Extraction,
    /// The sentences, entities and quotes of the article's body paragraphs.
    pub annotations: Annotations,
}

/// The JSON form of an [`Analysis`]: the article's fields, then what lede knows about the
/// reading itself.
#[derive(Serialize)]
pub struct AnalysisJson<'a> {
    #[serde(flatten)]
    article: &'a Article,
    /// Who and what the body names: [{name, kind, mentions: [{paragraph, start, end, text}]}].
    entities: &'a [Entity],
    /// What the body reports someone said: [{text, speaker, cue, paragraph, start, end,
    /// direct}].
    quotes: &'a [Quote],
    /// The body's sentences: [{paragraph, start, end}].
    sentences: &'a [Sentence],
    /// Which paragraphs were read in which language: [{language, paragraphs}], one entry
    /// per language in order of its first paragraph (`language` the article's own for
    /// paragraphs too short to tell; null where nothing tells).
    languages: Vec<LanguageRun>,
    /// Whether the page is an article.
    is_article: bool,
    /// Why not, when it is not.
    not_article_reason: Option<&'a str>,
    /// The input, as given.
    source: String,
    /// The character encoding the page was read in.
    encoding: &'a str,
    /// Things worth knowing about this page.
    warnings: Vec<String>,
    /// The page's related links checked against the article (parallel to `related`):
    /// [{title, related, share, shared}].
    related_check: Vec<LinkCheck>,
}

impl Analysis {
    /// Things worth telling the user about this page: extraction's warnings, and bytes
    /// that could not be decoded.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = self.extraction.warnings.clone();
        if self.malformed > 0 {
            warnings.push(format!(
                "{} malformed {} byte sequences were replaced",
                self.malformed, self.encoding
            ));
        }
        // Entities and quotes are read in the languages lede-entities names (issue 17).
        if let Some(language) = self.extraction.article.language.as_deref()
            && language != "en"
        {
            if !lede_entities::reads_entities(language) {
                warnings.push(format!(
                    "entities not read for language `{language}` (lede reads them in {}); the \
                     rest of the page is read",
                    lede_entities::ENTITY_LANGUAGES.join(", ")
                ));
            }
            if !lede_entities::reads_quotes(language) {
                warnings.push(format!(
                    "quotes not read for language `{language}` (lede reads them in {}); the \
                     rest of the page is read",
                    lede_entities::quote_languages().join(", ")
                ));
            }
        }
        warnings
    }

    /// The JSON object `lede analyze --json` prints.
    pub fn to_json(&self) -> AnalysisJson<'_> {
        let warnings = self.warnings();
        let reason = match &self.extraction.verdict {
            Verdict::Article => None,
            Verdict::NotArticle { reason } => Some(reason.as_str()),
        };
        AnalysisJson {
            article: &self.extraction.article,
            entities: &self.annotations.entities,
            quotes: &self.annotations.quotes,
            sentences: &self.annotations.sentences,
            languages: languages(&self.extraction.article),
            is_article: reason.is_none(),
            not_article_reason: reason,
            source: self.origin.to_string(),
            encoding: self.encoding,
            warnings,
            related_check: check_links(&self.extraction.article),
        }
    }
}

/// The paragraphs of one language in an article (`lede analyze`'s `languages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageRun {
    /// ISO 639-1, or null when neither the paragraph nor the page says.
    pub language: Option<String>,
    /// The body paragraphs (indices) read in it.
    pub paragraphs: Vec<usize>,
}

/// The article's paragraphs grouped by the language each is in.
fn languages(article: &Article) -> Vec<LanguageRun> {
    let mut runs: Vec<LanguageRun> = Vec::new();
    let each = lede_extract::paragraph_languages(&article.paragraphs, article.language.as_deref());
    for (i, language) in each.into_iter().enumerate() {
        match runs.iter_mut().find(|r| r.language == language) {
            Some(run) => run.paragraphs.push(i),
            None => runs.push(LanguageRun { language, paragraphs: vec![i] }),
        }
    }
    runs
}

/// Now, to the second in UTC: the reference time of a page fetched now, against which its
/// relative dates are read (the pure extract crate never reads the clock).
#[allow(
    clippy::disallowed_methods,
    reason = "the fetch time of a page fetched now, passed to extraction"
)]
pub(crate) fn fetch_time() -> Option<lede_core::Timestamp> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
    lede_core::Timestamp::from_unix_seconds(i64::try_from(now.as_secs()).ok()?, Some(0)).ok()
}

/// Reads and extracts pages. Cheap to share between threads.
#[derive(Debug, Default)]
pub struct Analyzer {
    reader: PageReader,
    extractor: Extractor,
}

impl Analyzer {
    /// An analyzer reading with `reader` and extracting with `extractor`.
    pub fn new(reader: PageReader, extractor: Extractor) -> Analyzer {
        Analyzer { reader, extractor }
    }

    /// Reads, decodes and extracts one page. `url` is the page's address when the caller
    /// knows it (a saved page); a fetched page knows its own.
    pub fn analyze_with_url(&self, source: &Source, url: Option<&str>) -> Result<Analysis> {
        let page = self.reader.read(source)?;
        let decoded = decode(page)?;
        let url = decoded.url.as_deref().or(url);
        // A page fetched now is dated by its fetch, for relative dates (#17); a file is not.
        let reference = matches!(source, Source::Url(_)).then(fetch_time).flatten();
        let hints = PageHints { url, media_type: decoded.media_type.as_deref(), reference };
        // A panic in extraction or annotation is a bug; it must cost this page only, never
        // the batch.
        let (extraction, annotations) =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let extraction = self.extractor.extract(&decoded.text, &hints);
                let annotations = annotate(&extraction.article);
                (extraction, annotations)
            }))
            .map_err(|payload| Error::Internal {
                origin: decoded.origin.clone(),
                message: panic_message(&payload),
            })?;

        Ok(Analysis {
            origin: decoded.origin,
            encoding: decoded.encoding,
            malformed: decoded.malformed,
            extraction,
            annotations,
        })
    }

    /// Reads and decodes one page, and says why extraction reads it as it does (see
    /// [`Extractor::explain`]).
    pub fn explain(&self, source: &Source, url: Option<&str>) -> Result<Vec<String>> {
        let decoded = decode(self.reader.read(source)?)?;
        let url = decoded.url.as_deref().or(url);
        Ok(self.extractor.explain(
            &decoded.text,
            &PageHints { url, media_type: decoded.media_type.as_deref(), reference: None },
        ))
    }

    /// Reads, decodes and extracts one page.
    pub fn analyze(&self, source: &Source) -> Result<Analysis> {
        self.analyze_with_url(source, None)
    }
}

/// Loads the entity model and gazetteer on a thread of their own, so that a command about
/// to read many pages does not stall its first workers on them: the pages' reading and
/// extraction (which need neither) overlap the loading. Calling it more than once, or
/// annotating before it is done, is harmless (the first caller builds, others wait).
pub fn load_models_in_background() {
    // Detached on purpose: the process may exit before it ends, and nothing waits on it.
    let _ = std::thread::Builder::new().name("lede-models".into()).spawn(|| {
        lede_entities::Annotator::builtin();
    });
}

/// The sentences, entities and quotes of an article's body paragraphs, with the built-in
/// model (`lede_entities::Annotator::builtin`); the headline and captions help name
/// people ("Mr Lavrov" in the body, "Sergey Lavrov" in a caption).
pub fn annotate(article: &Article) -> Annotations {
    lede_entities::Annotator::builtin().annotate_article(article)
}

/// A record that could not be ingested, for the summary: its input, where in it, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IngestError {
    /// The input (a path, a URL, `<stdin>`).
    pub source: String,
    /// Where in the input (`line 12`, `offset 4096`, `item 3`), when it is a record of a
    /// larger input.
    pub location: Option<String>,
    /// What went wrong.
    pub message: String,
    /// Seconds the server asked to wait before asking again (a 429 or 503 with
    /// `Retry-After`): `lede watch` waits at least that long.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl IngestError {
    fn split(origin: &Origin) -> (String, Option<String>) {
        match origin {
            Origin::Record { input, location } => (input.clone(), Some(location.to_string())),
            other => (other.to_string(), None),
        }
    }

    /// The summary line for an ingest error.
    pub fn from_ingest(e: &lede_ingest::Error) -> IngestError {
        let (source, location) = IngestError::split(e.origin());
        let full = e.to_string();
        let message = full.strip_prefix(&format!("{}: ", e.origin())).unwrap_or(&full).to_owned();
        let retry_after = match e {
            lede_ingest::Error::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        };
        IngestError { source, location, message, retry_after }
    }

    /// An error with `message` about the record or input at `origin`.
    pub fn at(origin: &Origin, message: &str) -> IngestError {
        let (source, location) = IngestError::split(origin);
        IngestError { source, location, message: message.to_owned(), retry_after: None }
    }

    pub(crate) fn internal(record: u64) -> IngestError {
        IngestError {
            source: format!("record {}", record + 1),
            location: None,
            message: "internal error while reading the article (a bug in lede; please report it)"
                .into(),
            retry_after: None,
        }
    }
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{} ({l}): {}", self.source, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// The text of a panic's payload.
fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

#[cfg(test)]
mod tests {

    use super::*;
    use std::io::Write;

    #[test]
    fn analyzes_a_file_into_the_contract_shape() {
        let mut f = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
        f.write_all(b"A headline\n\nBy Jane Doe\n\nOne paragraph of text.\n").unwrap();
        let analysis = Analyzer::default().analyze(&Source::File(f.path().into())).unwrap();
        let v = serde_json::to_value(analysis.to_json()).unwrap();
        assert_eq!(v["title"], "A headline");
        assert_eq!(v["authors"][0], "Jane Doe");
        assert_eq!(v["is_article"], false);
        assert_eq!(v["encoding"], "UTF-8");
        assert_eq!(v["source"], f.path().display().to_string());
        for field in ["entities", "quotes", "sentences"] {
            assert!(v[field].is_array(), "{field}: {v}");
        }
        assert_eq!(v["sentences"][0], serde_json::json!({"paragraph": 0, "start": 0, "end": 22}));
    }

    #[test]
    fn errors_name_the_input() {
        let err =
            Analyzer::default().analyze(&Source::File("/nonexistent/x.html".into())).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/x.html:"));
    }
}
