//! Reading a store: show, search, stats, export, quotes, entities.

use crate::Result;
use lede_core::{Annotations, Article, Entity, Quote, Sentence};
use lede_core::{ArticleSeq, StoryId};
use lede_search::{SearchIndex, SearchQuery, Snippet};
use lede_store::{
    EntityCount, EntityFilter, ExploreBackend, NamingStory, QuoteFilter, ReadBackend, Stats, Store,
    StoredArticle, StoredQuote, StoryFilter, StoryQuoteRow, StoryRow, StorySummary,
};
use serde::Serialize;
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

/// A store opened for reading: the embedded one with its index, or another store
/// ([`RemoteStore`]: cluster mode's PostgreSQL), answering the same questions with the
/// same code wherever the answer is shaped (see [`crate::reads`]).
pub struct Library {
    source: Source,
}

#[expect(
    clippy::large_enum_variant,
    reason = "a Library or two per thread: boxing the embedded store saves nothing worth a pointer chase"
)]
enum Source {
    Embedded { store: Store, index: Option<SearchIndex> },
    // A connection answers one call at a time; a Library is used by one thread (the
    // reader keeps one per worker thread).
    Remote(RefCell<Box<dyn RemoteStore>>),
}

/// A store other than the embedded one, as [`Library`] reads it: cluster mode's
/// PostgreSQL store (lede-scaleout gives it). What the read code reads comes through
/// [`RemoteStore::reads`]; search and counts, which the embedded store answers from its
/// own index, through the other methods.
pub trait RemoteStore {
    /// What the read commands read.
    fn reads(&mut self) -> &mut dyn ReadBackend;
    /// What the reader's entity and quote pages read.
    fn explore(&mut self) -> &mut dyn ExploreBackend;
    /// Searches, answering as [`Library::search`] does over the embedded index.
    fn search(&mut self, query: &SearchQuery) -> Result<SearchResults>;
    /// How many articles match, all of them.
    fn search_count(&mut self, query: &SearchQuery) -> Result<u64>;
    /// Counts, as [`Library::stats`].
    fn stats(&mut self) -> Result<LibraryStats>;
    /// The store, as messages name it (never a password).
    fn name(&self) -> String;
    /// Whether the connection is lost for good (the server restarted): a new one is
    /// needed.
    fn is_broken(&self) -> bool;
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
    /// The canonical names of the entities it names (for facets).
    pub entities: Vec<String>,
}

/// Search results and the query's leftovers.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many articles match, all of them (`hits` holds the best of them).
    pub total: u64,
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

/// A stored article in the shape `lede show` prints: the article and its entities,
/// quotes and sentences (as `lede analyze` prints them), plus `id`, `source_id`, `origin`,
/// `seq`, and any extra fields of its input record.
#[derive(Serialize)]
pub struct ShowJson<'a> {
    id: String,
    source_id: Option<&'a str>,
    #[serde(flatten)]
    article: &'a Article,
    entities: &'a [Entity],
    quotes: &'a [Quote],
    sentences: &'a [Sentence],
    origin: &'a str,
    seq: ArticleSeq,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<ArticleStory>,
}

/// The story of a shown article and its related stories.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleStory {
    /// The story's id.
    pub id: StoryId,
    /// Its label.
    pub label: Option<String>,
    /// Its articles.
    pub size: usize,
    /// Stories related to it, with the reason.
    pub related: Vec<crate::RelatedStory>,
}

impl ShowJson<'_> {
    /// Adds the article's story (see [`Library::story_of_article`]).
    pub fn with_story(mut self, story: Option<&crate::StoryDetail>) -> Self {
        self.story = story.map(|d| ArticleStory {
            id: d.story.id,
            label: d.story.label.clone(),
            size: d.story.size,
            related: d.related.clone(),
        });
        self
    }
}

/// The JSON of a stored article and its annotations ([`Library::annotations`]) as
/// `lede show` prints it.
pub fn show_json<'a>(a: &'a StoredArticle, annotations: &'a Annotations) -> ShowJson<'a> {
    ShowJson {
        id: a.id.to_string(),
        source_id: a.source_id.as_deref(),
        article: &a.article,
        entities: &annotations.entities,
        quotes: &annotations.quotes,
        sentences: &annotations.sentences,
        origin: &a.origin,
        seq: a.seq,
        extra: a.extra.as_ref(),
        story: None,
    }
}

/// One quote of `lede quotes`, in the CLI contract's shape: `text`, `speaker`,
/// `article_id`, `published`, then where it is and how it was said.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteHit {
    /// The words quoted (or, for an indirect quote, the reported clause).
    pub text: String,
    /// Who said it (a canonical name), or `None` when the article names no one.
    pub speaker: Option<String>,
    /// The article's id.
    pub article_id: String,
    /// The article's publication date (ISO 8601).
    pub published: Option<String>,
    /// The article's headline.
    pub title: Option<String>,
    /// The article's outlet.
    pub outlet: Option<String>,
    /// The attributing word or phrase (`said`, `according to`).
    pub cue: Option<String>,
    /// Quoted words (`true`) or reported speech (`false`).
    pub direct: bool,
    /// The body paragraph it is in.
    pub paragraph: usize,
    /// Byte offset of the quoted words in the paragraph.
    pub start: usize,
    /// Byte offset just past them.
    pub end: usize,
}

impl From<StoredQuote> for QuoteHit {
    fn from(q: StoredQuote) -> QuoteHit {
        let StoredQuote { quote, article_id, published, title, outlet, .. } = q;
        QuoteHit {
            text: quote.text,
            speaker: quote.speaker,
            article_id: article_id.to_string(),
            published,
            title,
            outlet,
            cue: quote.cue,
            direct: quote.direct,
            paragraph: quote.paragraph,
            start: quote.start,
            end: quote.end,
        }
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
        Library::open_sharing(dir, lede_store::ReadCache::new())
    }

    /// Opens the store in `dir` as [`Library::open`] does, keeping what its view reads
    /// whole (word frequencies, speakers, story cards) in `cache`, which the views opened
    /// over it share: a server's reading threads read each of them once.
    pub fn open_sharing(
        dir: &Path,
        cache: std::sync::Arc<lede_store::ReadCache>,
    ) -> Result<Library> {
        let store = Store::open_sharing(dir, cache)?;
        let index = match SearchIndex::open(dir) {
            Ok(i) => Some(i),
            Err(lede_search::Error::NoIndex { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        Ok(Library { source: Source::Embedded { store, index } })
    }

    /// Reads another store ([`RemoteStore`]).
    pub fn remote(store: Box<dyn RemoteStore>) -> Library {
        Library { source: Source::Remote(RefCell::new(store)) }
    }

    /// Whether this view of the store is lost for good (a remote store's connection,
    /// after its server restarted) and must be opened again.
    pub fn is_broken(&self) -> bool {
        match &self.source {
            Source::Embedded { .. } => false,
            Source::Remote(remote) => remote.borrow().is_broken(),
        }
    }

    /// Reads into this view's cache (shared with the views opened over the same one) what
    /// the reader's pages read whole (the distinct speakers, each language's word
    /// frequencies: [`Store::warm`]), so that the first page to need them does not wait
    /// for them. A remote store keeps no such cache: nothing to do.
    pub fn warm(&self) -> Result<()> {
        match &self.source {
            Source::Embedded { store, .. } => {
                store.warm()?;
                Ok(store.read_through()?)
            }
            Source::Remote(_) => Ok(()),
        }
    }

    /// The embedded store, for what only it answers (near-duplicates, learning a
    /// spinner's substitutions, feeds).
    pub(crate) fn store(&self, what: &'static str) -> Result<&Store> {
        match &self.source {
            Source::Embedded { store, .. } => Ok(store),
            Source::Remote(remote) => {
                Err(crate::Error::NotHere { store: remote.borrow().name(), what })
            }
        }
    }

    /// Calls `f` with the store as the read code ([`ReadBackend`], [`crate::reads`]) sees
    /// it.
    pub fn with_reads<T>(&self, f: impl FnOnce(&mut dyn ReadBackend) -> T) -> T {
        match &self.source {
            Source::Embedded { store, index } => f(&mut Embedded { store, index: index.as_ref() }),
            Source::Remote(remote) => f(remote.borrow_mut().reads()),
        }
    }

    /// The article a key names: id (or a unique prefix of 8+ hex digits), record id, or URL.
    pub fn show(&self, key: &str) -> Result<Option<StoredArticle>> {
        Ok(self.with_reads(|r| r.find(key))?)
    }

    /// The sentences, entities and quotes of a stored article: those stored with it, or,
    /// for an article stored before lede read them (a store not yet backfilled), read now.
    pub fn annotations(&self, a: &StoredArticle) -> Result<Annotations> {
        Ok(match self.with_reads(|r| r.annotations(a.seq))? {
            Some(annotations) => annotations,
            None => crate::annotate(&a.article),
        })
    }

    /// Stored quotes, newest first: all of them, or one speaker's (the whole canonical
    /// name, or its last word or words: `Tillerson` finds "Rex Tillerson"; any case).
    pub fn quotes(&self, speaker: Option<&str>, limit: usize) -> Result<Vec<QuoteHit>> {
        self.with_reads(|r| quotes(r, speaker, limit))
    }

    /// Whether some stored articles have no stored entities and quotes yet (a store of an
    /// older format: the next ingest reads them).
    pub fn annotations_pending(&self) -> Result<bool> {
        Ok(self.with_reads(|r| r.annotations_pending())?)
    }

    /// The entities the store names, those in the most articles first.
    pub fn entities(&self, filter: &EntityFilter) -> Result<Vec<EntityCount>> {
        Ok(self.with_reads(|r| r.entities(filter))?)
    }

    /// How many articles match a search, all of them (its `limit` is ignored; a search's
    /// results carry this too, as `total`).
    pub fn search_count(&self, query: &SearchQuery) -> Result<u64> {
        match &self.source {
            Source::Embedded { index: Some(index), .. } => Ok(index.count(query)?),
            Source::Embedded { index: None, .. } => Ok(0),
            Source::Remote(remote) => remote.borrow_mut().search_count(query),
        }
    }

    /// Searches the index.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        let (store, index) = match &self.source {
            Source::Embedded { store, index } => (store, index),
            Source::Remote(remote) => return remote.borrow_mut().search(query),
        };
        let Some(index) = index else {
            return Ok(SearchResults {
                total: 0,
                hits: Vec::new(),
                warnings: vec!["the store has no search index yet".into()],
            });
        };
        let results = index.search(query)?;
        let seqs: Vec<ArticleSeq> = results.hits.iter().map(|h| h.seq).collect();
        let articles = store.by_seqs(&seqs)?;
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
                entities: store.entity_names(stored.seq)?,
            });
        }
        let total =
            if hits.len() < query.limit.max(1) { hits.len() as u64 } else { index.count(query)? };
        Ok(SearchResults { total, hits, warnings: results.warnings })
    }

    /// The feeds `lede watch` follows, with their schedule and health.
    pub fn feeds(&self) -> Result<Vec<lede_store::Feed>> {
        match &self.source {
            Source::Embedded { store, .. } => Ok(store.feeds()?),
            // Cluster mode follows no feeds yet (`lede watch` runs on the embedded store).
            Source::Remote(_) => Ok(Vec::new()),
        }
    }

    /// How many articles and stories the store holds: the cheap part of [`Library::stats`]
    /// (which scans the store: seconds on a million articles).
    pub fn sizes(&self) -> Result<(u64, u64)> {
        Ok(self
            .with_reads(|r| Ok::<_, lede_store::Error>((r.article_count()?, r.story_count()?)))?)
    }

    /// Counts.
    pub fn stats(&self) -> Result<LibraryStats> {
        match &self.source {
            Source::Embedded { store, index } => Ok(LibraryStats {
                store: store.stats()?,
                indexed: match index {
                    Some(index) => index.num_docs()?,
                    None => 0,
                },
            }),
            Source::Remote(remote) => remote.borrow_mut().stats(),
        }
    }

    /// Writes every article as a JSON Lines record `lede ingest` reads back; returns how
    /// many.
    pub fn export(&self, out: &mut dyn Write) -> Result<u64> {
        self.with_reads(|r| export(r, out))
    }
}

/// Stored quotes, newest first, from either store: all of them, or one speaker's (see
/// [`Library::quotes`]).
pub fn quotes<R: ReadBackend + ?Sized>(
    store: &mut R,
    speaker: Option<&str>,
    limit: usize,
) -> Result<Vec<QuoteHit>> {
    let quotes = store.quotes(&QuoteFilter { speaker, limit })?;
    Ok(quotes.into_iter().map(QuoteHit::from).collect())
}

/// Writes every article of either store as a JSON Lines record `lede ingest` reads back,
/// in store order; returns how many.
pub fn export<R: ReadBackend + ?Sized>(store: &mut R, out: &mut dyn Write) -> Result<u64> {
    let mut n = 0;
    // I/O errors cross the store's callback as its own error type and are told apart
    // again below, so that a closed pipe stays an I/O error for the CLI.
    let mut io_error = None;
    let scanned = store.scan(ArticleSeq(0), 1024, &mut |a| {
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
        let written = serde_json::to_writer(&mut *out, &line)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            Ok(()) => {
                n += 1;
                Ok(())
            }
            Err(e) => {
                io_error = Some(e);
                // Stops the scan; the I/O error is what is returned.
                Err(lede_store::Error::Backend("export stopped".into()))
            }
        }
    });
    match (scanned, io_error) {
        (_, Some(e)) => Err(e.into()),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(n),
    }
}

/// The embedded store and its search index, as the read code sees them.
pub(crate) struct Embedded<'a> {
    store: &'a Store,
    index: Option<&'a SearchIndex>,
}

impl ReadBackend for Embedded<'_> {
    fn find(&mut self, key: &str) -> lede_store::Result<Option<StoredArticle>> {
        self.store.find(key)
    }

    fn by_seqs(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<StoredArticle>> {
        self.store.by_seqs(seqs)
    }

    fn scan(
        &mut self,
        after: ArticleSeq,
        batch: usize,
        f: &mut dyn FnMut(StoredArticle) -> lede_store::Result<()>,
    ) -> lede_store::Result<()> {
        self.store.scan(after, batch, f)
    }

    fn last_seq(&mut self) -> lede_store::Result<ArticleSeq> {
        self.store.last_seq()
    }

    fn article_count(&mut self) -> lede_store::Result<u64> {
        self.store.article_count()
    }

    fn annotations(&mut self, seq: ArticleSeq) -> lede_store::Result<Option<Annotations>> {
        self.store.annotations(seq)
    }

    fn annotations_pending(&mut self) -> lede_store::Result<bool> {
        self.store.annotations_pending()
    }

    fn entity_names(&mut self, seq: ArticleSeq) -> lede_store::Result<Vec<String>> {
        self.store.entity_names(seq)
    }

    fn entities(&mut self, filter: &EntityFilter) -> lede_store::Result<Vec<EntityCount>> {
        self.store.entities(filter)
    }

    fn quotes(&mut self, filter: &QuoteFilter<'_>) -> lede_store::Result<Vec<StoredQuote>> {
        self.store.quotes(filter)
    }

    fn clustered_through(&mut self) -> lede_store::Result<ArticleSeq> {
        self.store.clustered_through()
    }

    fn story_count(&mut self) -> lede_store::Result<u64> {
        self.store.story_count()
    }

    fn stories(&mut self, filter: &StoryFilter) -> lede_store::Result<Vec<StorySummary>> {
        self.store.stories(filter)
    }

    fn story(&mut self, id: StoryId) -> lede_store::Result<Option<StorySummary>> {
        self.store.story(id)
    }

    fn story_unled(&mut self, id: StoryId) -> lede_store::Result<Option<StorySummary>> {
        self.store.story_unled(id)
    }

    fn leads(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<lede_store::ArticleText>> {
        self.store.leads(seqs)
    }

    fn story_of(&mut self, seq: ArticleSeq) -> lede_store::Result<Option<StoryId>> {
        self.store.story_of(seq)
    }

    fn story_row(&mut self, id: StoryId) -> lede_store::Result<Option<StoryRow>> {
        self.store.story_row(id)
    }

    fn story_rows_of(&mut self, ids: &[StoryId]) -> lede_store::Result<Vec<StoryRow>> {
        self.store.story_rows_of(ids)
    }

    fn story_entities(
        &mut self,
        story: StoryId,
        limit: usize,
    ) -> lede_store::Result<Vec<EntityCount>> {
        self.store.story_entities(story, limit)
    }

    fn story_quotes(
        &mut self,
        story: StoryId,
        limit: usize,
    ) -> lede_store::Result<Vec<StoryQuoteRow>> {
        self.store.story_quotes(story, limit)
    }

    fn stories_naming(
        &mut self,
        story: StoryId,
        names: &[String],
        limit: usize,
        across: usize,
    ) -> lede_store::Result<Vec<NamingStory>> {
        self.store.stories_naming(story, names, limit, across)
    }

    fn doc_freq(&mut self, story: StoryId) -> lede_store::Result<Option<Vec<u8>>> {
        self.store.story_doc_freq(story)
    }

    fn story_languages(&mut self) -> lede_store::Result<Vec<String>> {
        self.store.story_languages()
    }

    fn similar_to(
        &mut self,
        text: &str,
        words: usize,
        limit: usize,
    ) -> lede_store::Result<Vec<(ArticleSeq, f32)>> {
        match self.index {
            // The index's errors cross the store boundary boxed, naming the index.
            Some(index) => index
                .similar_to(text, words, limit)
                .map_err(|e| lede_store::Error::Backend(Box::new(e))),
            None => Ok(Vec::new()),
        }
    }

    fn damaged_story(
        &mut self,
        story: StoryId,
        blob: &str,
        why: &dyn std::fmt::Display,
    ) -> lede_store::Error {
        self.store.damaged_story(story, blob, why)
    }
}

impl ExploreBackend for Embedded<'_> {
    fn window_stories(
        &mut self,
        from: i64,
        to: i64,
        min_size: u64,
    ) -> lede_store::Result<Vec<lede_store::WindowStory>> {
        self.store.window_stories(from, to, min_size)
    }

    fn entity(&mut self, name: &str) -> lede_store::Result<Option<EntityCount>> {
        self.store.entity(name)
    }

    fn entity_days(
        &mut self,
        name: &str,
        sample: usize,
    ) -> lede_store::Result<Vec<lede_store::DayCount>> {
        self.store.entity_days(name, sample)
    }

    fn entity_stories(
        &mut self,
        name: &str,
        limit: usize,
        sample: usize,
    ) -> lede_store::Result<Vec<lede_store::NamedIn>> {
        self.store.entity_stories(name, limit, sample)
    }

    fn companions(
        &mut self,
        name: &str,
        kind: lede_core::EntityKind,
        limit: usize,
        sample: usize,
    ) -> lede_store::Result<Vec<EntityCount>> {
        self.store.companions(name, kind, limit, sample)
    }

    fn entity_articles(
        &mut self,
        name: &str,
        page: (usize, usize),
        sample: usize,
    ) -> lede_store::Result<Vec<lede_store::StoryArticle>> {
        self.store.entity_articles(name, page, sample)
    }

    fn entity_sampled(
        &mut self,
        entity: &EntityCount,
        companions: usize,
        page: (usize, usize),
        sample: usize,
    ) -> lede_store::Result<lede_store::Sampled> {
        self.store.entity_sampled(entity, companions, page, sample)
    }

    fn story_card(&mut self, id: StoryId) -> lede_store::Result<Option<lede_store::StoryCard>> {
        self.store.story_card(id)
    }

    fn speakers_named(&mut self, speaker: &str) -> lede_store::Result<Vec<String>> {
        self.store.speakers_named(speaker)
    }

    fn quote_groups(
        &mut self,
        filter: &lede_store::QuoteGroupFilter,
    ) -> lede_store::Result<(Vec<lede_store::QuoteGroup>, u64)> {
        self.store.quote_groups(filter)
    }
}

/// A story in a list of the reader's (issue 18): its card ([`lede_store::StoryCard`]) and
/// where to read it whole, not its article list (the 10 stories of a name in 139,000
/// articles held 14,000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryCardJson {
    /// Its id.
    pub id: StoryId,
    /// The headline of the article that represents it best (else its lead's first
    /// sentence), as `lede stories` labels it.
    pub label: Option<String>,
    /// Its articles.
    pub size: u64,
    /// Distinct outlets among them.
    pub outlet_count: u64,
    /// The outlets with the most of its articles (up to [`lede_store::CARD_OUTLETS`]).
    pub top_outlets: Vec<String>,
    /// Date of its first article.
    pub first_seen: Option<String>,
    /// Date of its last article.
    pub last_seen: Option<String>,
    /// The story whole, in the API: `/api/stories/{id}`.
    pub href: String,
}

impl From<lede_store::StoryCard> for StoryCardJson {
    fn from(c: lede_store::StoryCard) -> StoryCardJson {
        StoryCardJson {
            id: c.id,
            label: lede_cluster::label::article_label(c.title.as_deref(), c.lead.as_deref()),
            size: c.size,
            outlet_count: c.outlets,
            top_outlets: c.top_outlets,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            href: format!("/api/stories/{}", c.id),
        }
    }
}

/// A story of a time window ([`Library::window_stories`]): the story's card, and its
/// articles and outlets inside the window (what it is ranked by).
#[derive(Debug, Clone, Serialize)]
pub struct WindowStoryJson {
    /// The story's card.
    #[serde(flatten)]
    pub story: StoryCardJson,
    /// Its articles dated inside the window.
    pub window_articles: u64,
    /// Distinct outlets among them.
    pub window_outlets: u64,
}

/// One page of a time window's stories, and how many stories the window has.
#[derive(Debug, Clone, Serialize)]
pub struct WindowStories {
    /// Stories in the window, all pages together.
    pub total: u64,
    /// This page's stories, the broadest first.
    pub stories: Vec<WindowStoryJson>,
}

/// What the reader shows of one entity ([`Library::entity`]).
#[derive(Debug, Clone, Serialize)]
pub struct EntityPage {
    /// Its canonical name, kind and counts over the store.
    #[serde(flatten)]
    pub entity: EntityCount,
    /// Articles and mentions per dated day, oldest first.
    pub days: Vec<lede_store::DayCount>,
    /// The stories naming it most, with how many of their articles do.
    pub stories: Vec<EntityStory>,
    /// The names most often beside it.
    pub companions: Vec<EntityCount>,
    /// How many of its articles stored last a part of the page is read from where the
    /// store reads a sample (`sampled` says which parts did; none when it is named in no
    /// more articles than this).
    pub sample: usize,
    /// How many of its articles stored last the names beside it are counted in, when the
    /// store's pairs do not settle them (`sampled.companions` says whether they were).
    pub companion_sample: usize,
    /// The parts read from that sample only; the others (and its counts, always) are over
    /// all of its articles.
    pub sampled: lede_store::Sampled,
    /// This page of its articles, newest first (`score`: its mentions in each).
    pub article_page: Vec<lede_store::StoryArticle>,
}

/// A story naming an entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityStory {
    /// The story's card.
    #[serde(flatten)]
    pub story: StoryCardJson,
    /// Its articles naming the entity.
    pub naming: u64,
}

impl Library {
    /// Articles per dated day over the whole store, oldest first; `None` for a store that
    /// does not count them (cluster mode's, for now).
    pub fn article_days(&self) -> Result<Option<Vec<lede_store::DayCount>>> {
        match &self.source {
            Source::Embedded { store, .. } => Ok(Some(store.article_days()?)),
            Source::Remote(_) => Ok(None),
        }
    }

    /// The newest article's date (Unix seconds): the embedded store's newest dated
    /// article; a remote store's newest story's last article.
    pub fn newest_ts(&self) -> Result<Option<i64>> {
        match &self.source {
            Source::Embedded { store, .. } => Ok(store.newest_ts()?),
            Source::Remote(remote) => {
                let filter = StoryFilter { since: None, min_size: 1, limit: 1 };
                let newest = remote.borrow_mut().reads().stories(&filter)?;
                Ok(newest.first().and_then(|s| s.span().1).and_then(unix_seconds))
            }
        }
    }

    /// The stories of at least `min_size` articles with articles dated in `[from, to]`
    /// (Unix seconds, both included), the broadest inside the window first (most outlets,
    /// then most articles, then the newest inside it): `limit` of them after skipping
    /// `offset`, as cards. Either store ranks the window itself (cluster mode's read the
    /// 5,000 newest stories whole and ranked them here).
    pub fn window_stories(
        &self,
        (from, to): (i64, i64),
        min_size: u64,
        offset: usize,
        limit: usize,
    ) -> Result<WindowStories> {
        self.with_explore(|r| {
            let all = r.window_stories(from, to, min_size)?;
            let total = all.len() as u64;
            let mut stories = Vec::new();
            for w in all.into_iter().skip(offset).take(limit) {
                if let Some(card) = r.story_card(w.id)? {
                    stories.push(WindowStoryJson {
                        story: card.into(),
                        window_articles: w.articles,
                        window_outlets: w.outlets,
                    });
                }
            }
            Ok(WindowStories { total, stories })
        })
    }

    /// Calls `f` with the store as the reader's entity and quote pages see it
    /// ([`ExploreBackend`]).
    fn with_explore<T>(&self, f: impl FnOnce(&mut dyn ExploreBackend) -> T) -> T {
        match &self.source {
            Source::Embedded { store, index } => f(&mut Embedded { store, index: index.as_ref() }),
            Source::Remote(remote) => f(remote.borrow_mut().explore()),
        }
    }

    /// One entity: its canonical name found from `name` (exactly, or in any case), kind,
    /// mentions per day, the `stories` stories naming it most, the `companions` names
    /// most often beside it, and `limit` of its articles after skipping `offset`, the
    /// stories as cards ([`StoryCardJson`]). Its counts are over all of its articles; in
    /// an embedded store before format 7 its days, stories and articles may be read from
    /// its `sample` articles stored last, and the names beside it, unless the store's pairs
    /// settle them, from its `companion_sample` articles stored last
    /// ([`ExploreBackend`]): the page's `sampled` says which were. `None`: the store names
    /// no such entity. Either store, with the same answers.
    pub fn entity(
        &self,
        name: &str,
        stories: usize,
        (companions, companion_sample, sample): (usize, usize, usize),
        (offset, limit): (usize, usize),
    ) -> Result<Option<EntityPage>> {
        let companion_sample = companion_sample.min(sample);
        self.with_explore(|store| {
            let Some(entity) = store.entity(name)? else { return Ok(None) };
            let days = store.entity_days(&entity.name, sample)?;
            let mut named_in = Vec::new();
            for n in store.entity_stories(&entity.name, stories, sample)? {
                if let Some(card) = store.story_card(n.story)? {
                    named_in.push(EntityStory { story: card.into(), naming: n.articles });
                }
            }
            let mut sampled = store.entity_sampled(&entity, companions, (offset, limit), sample)?;
            sampled.companions = store
                .entity_sampled(&entity, companions, (offset, limit), companion_sample)?
                .companions;
            let companions =
                store.companions(&entity.name, entity.kind, companions, companion_sample)?;
            let mut articles = store.entity_articles(&entity.name, (offset, limit), sample)?;
            label_leads(&mut articles);
            Ok(Some(EntityPage {
                entity,
                days,
                stories: named_in,
                companions,
                sample,
                companion_sample,
                sampled,
                article_page: articles,
            }))
        })
    }

    /// Quotes grouped by words and speaker across articles, each with its first
    /// appearance (see [`Store::quote_groups`]); `speaker` is read as `lede quotes` reads
    /// it (the whole name or its last words, any case). The page and the number of groups
    /// in all. Either store, with the same answers.
    pub fn quote_groups(
        &self,
        speaker: Option<&str>,
        filter: lede_store::QuoteGroupFilter,
    ) -> Result<(Vec<lede_store::QuoteGroup>, u64)> {
        self.with_explore(|store| {
            let mut filter = filter;
            if let Some(s) = speaker {
                filter.speakers = Some(store.speakers_named(s)?);
            }
            let (mut groups, total) = store.quote_groups(&filter)?;
            for g in &mut groups {
                label_leads(std::slice::from_mut(&mut g.first));
            }
            Ok((groups, total))
        })
    }
}

/// An article's label when it has no headline: its lead's first sentence (as the story
/// page labels its timeline).
pub fn lead_label(lead: &str) -> Option<String> {
    lede_cluster::label::lead_label(lead)
}

/// Gives the headline-less articles of a list their lead's first sentence as a title.
fn label_leads(articles: &mut [lede_store::StoryArticle]) {
    for a in articles {
        if a.title.is_none() {
            a.title = a.lead.as_deref().and_then(lead_label);
        }
    }
}

/// An ISO 8601 date as Unix seconds.
fn unix_seconds(iso: &str) -> Option<i64> {
    lede_core::Timestamp::parse_iso(iso).ok().map(|t| t.unix_seconds())
}
