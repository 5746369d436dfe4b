//! From a record to an article ready to store: decode, extract, let the record's own
//! metadata win over what extraction guessed, then sketch, annotate and featurise it (on the worker,
//! so the writer only stores).

use crate::Selection;
use lede_core::{Article, ArticleId, Location, Origin, PageKind};
use lede_extract::{Extractor, PageHints, Verdict, read_date};
use lede_ingest::{Body, PageReader, Payload, RawRecord, Source, Structured, decode};

/// An article ready to store: extracted, with its sketch, annotations and story features.
#[derive(Debug)]
pub struct Prepared {
    pub(crate) id: ArticleId,
    pub(crate) article: Article,
    pub(crate) source_id: Option<String>,
    pub(crate) extra: Option<serde_json::Value>,
    pub(crate) origin: String,
    /// The addresses it was fetched at, besides its own (stored as aliases).
    pub(crate) fetched_at: Vec<String>,
    /// Its near-duplicate sketch (computed here, on a worker).
    pub(crate) sketch: lede_dedup::Sketch,
    /// Its sentences, entities and quotes (computed here, on a worker).
    pub(crate) annotations: lede_core::Annotations,
    /// What it brings to story clustering, stored form (computed here, on a worker).
    pub(crate) features: Vec<u8>,
}

/// What became of a record.
#[derive(Debug)]
pub enum Outcome {
    /// An article to store.
    Ready(Box<Prepared>),
    /// A page that is not an article (a home page, an error page): not stored.
    Skipped,
    /// Left out by the ingest's [`Selection`] (`--since`, `--host`, `--lang`…): not stored.
    Filtered,
    /// It could not be read or extracted.
    Failed(crate::IngestError),
}

impl Prepared {
    /// Its content hash.
    pub fn id(&self) -> ArticleId {
        self.id
    }

    /// Its sketch in stored form, for [`Prepared::to_new`].
    pub fn sketch_bytes(&self) -> Vec<u8> {
        self.sketch.to_bytes()
    }

    /// What a store takes, with its sketch's bytes (from [`Prepared::sketch_bytes`]).
    pub fn to_new<'a>(&'a self, sketch: &'a [u8]) -> lede_store::NewArticle<'a> {
        lede_store::NewArticle {
            id: self.id,
            article: &self.article,
            source_id: self.source_id.as_deref(),
            extra: self.extra.as_ref(),
            origin: &self.origin,
            fetched_at: &self.fetched_at,
            sketch: Some(sketch),
            annotations: Some(&self.annotations),
            features: Some(&self.features),
        }
    }
}

/// One record made ready to store as `lede ingest` does it, for cluster mode's workers: the
/// selection's checks (address and capture date first, then the article's language and
/// date), extraction (following a feed item's link when `follow`), the sketch, the
/// annotations and the story features. A panic (a bug) costs this record only.
pub fn prepare_record(
    record: RawRecord,
    extractor: &Extractor,
    reader: &PageReader,
    follow: bool,
    selection: &Selection,
) -> Outcome {
    if !selection.keeps_record(&record) {
        return Outcome::Filtered;
    }
    let origin = record.origin.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        prepare(record, extractor, reader, follow, selection)
    }))
    .unwrap_or_else(|_| {
        Outcome::Failed(crate::IngestError::at(&origin, "internal error (a bug) reading it"))
    })
}

pub(crate) fn prepare(
    record: RawRecord,
    extractor: &Extractor,
    reader: &PageReader,
    follow: bool,
    selection: &Selection,
) -> Outcome {
    let RawRecord { origin, payload } = record;
    match payload {
        Payload::Page { page, date_hint } => {
            let url = page.url.clone();
            let decoded = match decode(page) {
                Ok(d) => d,
                Err(e) => return Outcome::Failed(crate::IngestError::from_ingest(&e)),
            };
            // Relative dates ("vor 2 Stunden") are read against the capture date of a WARC
            // record, or the fetch time of a page fetched now (#17).
            let reference =
                date_hint.as_deref().and_then(read_date).map(|d| d.at).or_else(|| {
                    matches!(origin, Origin::Url { .. }).then(crate::fetch_time).flatten()
                });
            let hints = PageHints {
                url: url.as_deref(),
                media_type: decoded.media_type.as_deref(),
                reference,
            };
            let extraction = extractor.extract(&decoded.text, &hints);
            if let Verdict::NotArticle { .. } = extraction.verdict {
                return Outcome::Skipped;
            }
            let mut article = extraction.article;
            if article.published.is_none() {
                article.published = date_hint.as_deref().and_then(read_date);
            }
            // The address asked for and where redirects led, besides the canonical one.
            let asked = match &origin {
                Origin::Url { url } => Some(url.clone()),
                _ => None,
            };
            if article.url.is_none() {
                article.url = url.clone();
            }
            let fetched_at = other_addresses(&article, [asked, url]);
            ready(article, None, None, &origin, fetched_at, selection)
        }
        Payload::Structured(s) => {
            let from_feed = matches!(origin, Origin::Record { location: Location::Item(_), .. });
            if follow
                && from_feed
                && let Some(url) = &s.url
            {
                match reader.read(&Source::Url(url.clone())).and_then(decode) {
                    Ok(page) => {
                        // The page's own address: where redirects led.
                        let at = page.url.as_deref().unwrap_or(url);
                        let hints = PageHints {
                            url: Some(at),
                            media_type: page.media_type.as_deref(),
                            reference: crate::fetch_time(),
                        };
                        let extraction = extractor.extract(&page.text, &hints);
                        if extraction.verdict == Verdict::Article {
                            let fetched = [Some(url.clone()), page.url.clone()];
                            return structured(extraction.article, s, &origin, fetched, selection);
                        }
                        if matches!(s.body, Body::None) {
                            // The page was read and is not an article (a video page, a
                            // gallery), and the item has no text of its own.
                            return Outcome::Skipped;
                        }
                    }
                    Err(e) => return Outcome::Failed(crate::IngestError::from_ingest(&e)),
                }
            }
            let article = match &s.body {
                Body::Html(html) => {
                    extractor
                        .extract(
                            html,
                            &PageHints {
                                url: s.url.as_deref(),
                                media_type: Some("text/html"),
                                reference: None,
                            },
                        )
                        .article
                }
                Body::Text(text) => {
                    // A record without a title may carry it run into its text.
                    let mut article = extractor.extract_text_body(text).article;
                    article.title = extractor.headline_of_text(text);
                    article
                }
                Body::Paragraphs(paragraphs) => Article {
                    kind: PageKind::Text,
                    paragraphs: paragraphs.clone(),
                    // The record's own language if it gives one, else the text's (as for
                    // a text body), read from its first KiB.
                    language: s.language.clone().or_else(|| {
                        let mut head = String::new();
                        for p in paragraphs {
                            if head.len() >= 1024 {
                                break;
                            }
                            head.push_str(p);
                            head.push('\n');
                        }
                        lede_extract::identify_language(&head, None)
                    }),
                    ..Article::default()
                },
                Body::None => {
                    return Outcome::Failed(crate::IngestError::at(
                        &origin,
                        "no body text (feed items without content need --follow)",
                    ));
                }
            };
            structured(article, s, &origin, [None, None], selection)
        }
    }
}

/// Puts a structured record's fields over the extracted article. `fetched` holds the
/// addresses a followed page was asked for and answered at (none when not followed).
fn structured(
    mut article: Article,
    s: Structured,
    origin: &Origin,
    fetched: [Option<String>; 2],
    selection: &Selection,
) -> Outcome {
    let followed = fetched.iter().any(Option::is_some);
    if article.paragraphs.iter().all(|p| p.trim().is_empty()) {
        return Outcome::Failed(crate::IngestError::at(origin, "no body text"));
    }
    if let Some(t) = s.title.filter(|t| !t.trim().is_empty()) {
        article.title = Some(t);
    }
    if s.outlet.is_some() {
        article.outlet = s.outlet;
    }
    // A followed page knows its own address (after redirects, or its canonical link).
    if s.url.is_some() && !(followed && article.url.is_some()) {
        article.url = s.url;
    }
    if !s.authors.is_empty() {
        article.authors = s.authors;
    }
    if let Some(date) = s.date.as_deref()
        && let Some(mut published) = read_date(date)
    {
        if let Some(raw) = s.published_raw {
            published.raw = raw;
        }
        article.published = Some(published);
    }
    if !s.captions.is_empty() {
        article.captions = s.captions;
    }
    if !s.related.is_empty() && !followed {
        article.related = s.related;
    }
    if s.language.is_some() {
        article.language = s.language;
    }
    let extra = s.extra.map(serde_json::Value::Object);
    let fetched_at = other_addresses(&article, fetched);
    ready(article, s.id, extra, origin, fetched_at, selection)
}

/// The addresses in `fetched` that are not the article's own, each once.
fn other_addresses(article: &Article, fetched: [Option<String>; 2]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for url in fetched.into_iter().flatten() {
        if article.url.as_deref() != Some(url.as_str()) && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

fn ready(
    article: Article,
    source_id: Option<String>,
    extra: Option<serde_json::Value>,
    origin: &Origin,
    fetched_at: Vec<String>,
    selection: &Selection,
) -> Outcome {
    // Before the costly part: annotation, sketches and story features.
    if !selection.keeps_article(&article) {
        return Outcome::Filtered;
    }
    let id = ArticleId::of(&article);
    let sketch = lede_dedup::Sketch::of_paragraphs(&article.paragraphs);
    let annotations = crate::annotate(&article);
    let features = lede_cluster::StoryFeatures::of(&article, &annotations).to_bytes();
    Outcome::Ready(Box::new(Prepared {
        id,
        article,
        source_id,
        extra,
        origin: origin.to_string(),
        fetched_at,
        sketch,
        annotations,
        features,
    }))
}
