//! Stories: clustering what an ingest stored, and reading stories back with their related
//! stories.
//!
//! Clustering runs after an ingest has stored its articles (and after a killed run, on
//! the next one): the articles not yet in a story are taken in passes of up to
//! [`PASS`] by sequence number, each language's apart ([`cluster_stories`]: stories are
//! per language), each sorted into canonical order by `lede-cluster`, so the stories of one
//! ingest of up to [`PASS`] articles do not depend on the order of its input. Each pass is
//! one store transaction.

use crate::Result;
use crate::library::Library;
use lede_cluster::label;
use lede_cluster::{Clusterer, DocFreq, Item, Params, Story, StoryFeatures, StoryId};
use lede_core::ArticleSeq;
use lede_store::{
    Membership, ReadBackend, StoryBackend, StoryFilter, StoryRow, StorySummary, StoryUpdate,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Articles clustered in one pass (and one transaction) at most.
pub const PASS: usize = 65_536;
/// Related stories listed per story at most.
const RELATED: usize = 5;
/// Names a story's related stories are looked up by, among the most named it reads.
const TELLING_NAMES: usize = 6;
const NAMES_READ: usize = 24;
/// Names and quotes a story's page shows.
pub(crate) const NAMES_SHOWN: usize = 12;
const QUOTES_SHOWN: usize = 8;
/// Quotes ranked for a story's page (those the most outlets give first).
const QUOTES_READ: usize = 400;
/// Of the ranked quotes, those looked for in related stories.
const QUOTES_COMPARED: usize = 40;
/// Stories whose members' features are read from the store at once when labelling.
const FEATURES_READ: usize = 256;
/// Articles, and paragraphs of each, read to name a story's heavy words.
const LEAD_ARTICLES: usize = 3;
const LEAD_PARAGRAPHS: usize = 4;

/// What clustering did in an ingest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClusterSummary {
    /// Articles clustered.
    pub articles: u64,
    /// Stories created or changed.
    pub stories: u64,
    /// Stories merged into older ones.
    pub merged: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Articles whose stored features are damaged (each message names the article): they
    /// were clustered as if empty, each a story of its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damaged: Vec<String>,
}

/// Clusters every stored article not yet in a story, in passes of up to [`PASS`]
/// articles: the embedded store's after an ingest, and cluster mode's (PostgreSQL, under
/// a writer lease per language) as workers store articles. One code for both backends.
///
/// A pass takes each language's articles apart ([`lede_core::story_language`], in the
/// order of the languages' names): each is clustered with its language's word frequencies
/// against its language's stories only, so no story mixes languages and a language's
/// stories do not depend on what other languages stored (cluster mode's writers, one per
/// language, find what embedded clustering finds). The pass is still one transaction.
pub fn cluster_stories<S: StoryBackend>(store: &mut S) -> Result<ClusterSummary> {
    let start = std::time::Instant::now();
    let mut summary = ClusterSummary::default();
    loop {
        let pending = store.unclustered(PASS)?;
        if pending.is_empty() {
            break;
        }
        let mut next_id = store.next_story_id(pending.len())?;
        let mut languages: BTreeMap<String, Vec<lede_store::Unclustered>> = BTreeMap::new();
        for u in pending {
            languages.entry(lede_core::story_language(u.language.as_deref())).or_default().push(u);
        }
        let (mut assignments, mut rows, mut merged) = (Vec::new(), Vec::new(), Vec::new());
        let mut doc_freqs = Vec::with_capacity(languages.len());
        for (language, pending) in languages {
            let (clusterer, pass) =
                cluster_language(store, &language, pending, next_id, &mut summary)?;
            next_id = clusterer.next_id();
            assignments.extend(pass.assignments.iter().map(|a| Membership {
                seq: a.seq,
                story: a.story,
                score: a.score,
            }));
            // Each story becomes its stored row and leaves memory (the rows are a fifth of it).
            rows.extend(pass.stories.into_iter().map(|s| StoryRow {
                id: s.id,
                first_ts: s.first_ts,
                last_ts: s.last_ts,
                size: u64::from(s.size),
                label_seq: s.label,
                state: s.state_bytes(),
                language: language.clone(),
            }));
            merged.extend(pass.merged);
            doc_freqs.push((language, clusterer.doc_freq().to_bytes()));
        }
        store.put_stories(&StoryUpdate {
            assignments: &assignments,
            stories: &rows,
            merged: &merged,
            doc_freqs: &doc_freqs,
        })?;
        summary.articles += assignments.len() as u64;
        summary.stories += rows.len() as u64;
        summary.merged += merged.len() as u64;
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Clusters one language's articles of a pass against its stored stories, new stories
/// numbered from `next_id`, and labels the stories it changed.
fn cluster_language<S: StoryBackend>(
    store: &mut S,
    language: &str,
    pending: Vec<lede_store::Unclustered>,
    next_id: StoryId,
    summary: &mut ClusterSummary,
) -> Result<(Clusterer, lede_cluster::Pass)> {
    let df = match store.doc_freq(language)? {
        Some(bytes) => DocFreq::from_bytes(&bytes).ok_or_else(|| {
            store.damaged_story(
                StoryId(0),
                &format!("cluster_state.doc_freq:{language}"),
                &"the stored word frequencies cannot be read",
            )
        })?,
        None => DocFreq::default(),
    };
    let mut items: Vec<Item> = Vec::with_capacity(pending.len());
    for u in &pending {
        // Features that cannot be read (damage) cluster as an empty article: it starts
        // a story of its own rather than stopping the ingest, and is reported.
        let features = match u.features.as_deref().map(StoryFeatures::from_bytes) {
            Some(Ok(f)) => f,
            Some(Err(e)) => {
                summary.damaged.push(store.damaged(u.seq, "story features", &e).to_string());
                StoryFeatures::default()
            }
            None => StoryFeatures::default(),
        };
        items.push(Item { seq: u.seq, id: u.id.as_u128(), ts: u.published_ts, features });
    }
    // The stored bytes are not needed again (labelling reads a story's few from the
    // store): a pass holds one form of its articles' features, not two.
    drop(pending);
    let mut clusterer = Clusterer::new(Params::default(), df, next_id);
    let span = clusterer.max_span_seconds();
    let mut failed = None;
    let mut damaged = Vec::new();
    let mut load = |range: Option<(i64, i64)>| -> Vec<Story> {
        let rows = match range {
            Some((from, to)) => store.story_rows(language, Some((from, to.saturating_add(span)))),
            None => store.story_rows(language, None),
        };
        match rows {
            Ok(rows) => rows
                .into_iter()
                .filter(|r| match (range, r.first_ts) {
                    (Some((_, to)), Some(first)) => first <= to,
                    _ => true,
                })
                // A story whose state is damaged can take no new article; it is reported.
                .filter_map(|r| {
                    let story = decode_story(&r);
                    if story.is_none() {
                        let why = "it cannot be read back";
                        damaged
                            .push(store.damaged_story(r.id, "clustering state", &why).to_string());
                    }
                    story
                })
                .collect(),
            Err(e) => {
                failed.get_or_insert(e);
                Vec::new()
            }
        }
    };
    let mut pass = clusterer.cluster(items, &mut load);
    if let Some(e) = failed {
        return Err(e.into());
    }
    damaged.sort();
    damaged.dedup();
    summary.damaged.extend(damaged);
    relabel(store, &clusterer, &mut pass)?;
    Ok((clusterer, pass))
}

/// Labels each story a pass changed by its member nearest the story's centroid as it now
/// is, among those whose headline (else lead) gives a label ([`label::choose_label`]).
/// Clustering alone keeps the member that fit best when it joined, and the first member of a
/// story fits its one-member centroid perfectly: a 282-release shutdown story was labelled
/// by its first release, about a border proposal.
///
/// Members are the pass's articles and, for a story that had members before the pass,
/// those stored with it and with the stories merged into it; their features are read from
/// the store a few hundred stories at a time (a pass of 65,536 articles never holds them
/// all). Headlines are read for all; leads only for the
/// [`label::LABEL_CANDIDATES`] nearest of a story no headline labels.
fn relabel<S: StoryBackend>(
    reader: &mut S,
    clusterer: &Clusterer,
    pass: &mut lede_cluster::Pass,
) -> Result<()> {
    // The members of each story: the pass's articles, then those stored before it.
    let mut members: HashMap<StoryId, Vec<ArticleSeq>> = HashMap::new();
    for a in &pass.assignments {
        members.entry(a.story).or_default().push(a.seq);
    }
    // Stories with members stored before this pass, and the stories merged into them.
    let mut stored: Vec<StoryId> = pass
        .stories
        .iter()
        .filter(|s| s.size as usize > members.get(&s.id).map_or(0, Vec::len))
        .map(|s| s.id)
        .collect();
    let merged_into: HashMap<StoryId, StoryId> = pass.merged.iter().copied().collect();
    stored.extend(merged_into.keys());
    for m in reader.member_features(&stored)? {
        let story = merged_into.get(&m.story).copied().unwrap_or(m.story);
        members.entry(story).or_default().push(m.seq);
    }
    // Every member of each story with two or more, by fit; headlines are a cheap column.
    let df = clusterer.doc_freq();
    let mut fits: Vec<(usize, Vec<(ArticleSeq, f32)>)> = Vec::new();
    let several: Vec<(usize, &Vec<ArticleSeq>)> = pass
        .stories
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, members.get(&s.id).filter(|l| l.len() > 1)?)))
        .collect();
    for chunk in several.chunks(FEATURES_READ) {
        let seqs: Vec<ArticleSeq> =
            chunk.iter().flat_map(|(_, list)| list.iter().copied()).collect();
        let features: HashMap<ArticleSeq, Vec<u8>> =
            reader.features_of(&seqs)?.into_iter().map(|f| (f.seq, f.features)).collect();
        for &(i, list) in chunk {
            let story = &pass.stories[i];
            let mut f: Vec<(ArticleSeq, f32)> = list
                .iter()
                .map(|seq| {
                    // A member whose features are damaged or missing cannot be placed; it
                    // is never the label.
                    let f = features.get(seq).and_then(|b| StoryFeatures::from_bytes(b).ok());
                    (*seq, f.map_or(0.0, |f| story.fit(&f, df)))
                })
                .collect();
            f.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            fits.push((i, f));
        }
    }
    let seqs: Vec<ArticleSeq> = fits.iter().flat_map(|(_, f)| f.iter().map(|m| m.0)).collect();
    let headline: HashSet<ArticleSeq> = reader
        .titles(&seqs)?
        .into_iter()
        .filter(|t| t.text.as_deref().and_then(label::headline_label).is_some())
        .map(|t| t.seq)
        .collect();
    let with_headline = |f: &[(ArticleSeq, f32)]| -> Vec<(ArticleSeq, f32, bool)> {
        f.iter().map(|&(seq, fit)| (seq, fit, headline.contains(&seq))).collect()
    };
    // Leads (each article's JSON) only for the nearest few of stories no headline labels.
    let need_lead: Vec<ArticleSeq> = fits
        .iter()
        .filter(|(_, f)| label::pick_headline(&with_headline(f)).is_none())
        .flat_map(|(_, f)| f.iter().take(label::LABEL_CANDIDATES).map(|m| m.0))
        .collect();
    let lead: HashSet<ArticleSeq> = reader
        .leads(&need_lead)?
        .into_iter()
        .filter(|l| l.text.as_deref().and_then(label::lead_label).is_some())
        .map(|l| l.seq)
        .collect();
    for (i, f) in fits {
        let candidates: Vec<(ArticleSeq, f32, bool, bool)> = f
            .iter()
            .map(|&(seq, fit)| (seq, fit, headline.contains(&seq), lead.contains(&seq)))
            .collect();
        if let Some(seq) = label::choose_label(&candidates) {
            pass.stories[i].label = Some(seq);
        }
    }
    Ok(())
}

/// A story's label: the headline of the member that labels it, else its lead's first
/// sentence ([`label::article_label`]); the earliest member's when none was chosen.
pub(crate) fn story_label(s: &StorySummary) -> Option<String> {
    let by = s.label_seq.and_then(|l| s.articles.iter().find(|a| a.seq() == l));
    by.or(s.articles.first())
        .and_then(|a| label::article_label(a.title.as_deref(), a.lead.as_deref()))
}

/// The member that labels a stored story, read alone: the one clustering chose, while it
/// is still a member. `None` when none was chosen or it has left the story; callers then
/// read the story whole, as [`story_label`] would.
pub(crate) fn label_article<R: ReadBackend + ?Sized>(
    store: &mut R,
    row: &StoryRow,
) -> Result<Option<lede_store::StoredArticle>> {
    let Some(seq) = row.label_seq else { return Ok(None) };
    if store.story_of(seq)? != Some(row.id) {
        return Ok(None);
    }
    Ok(store.by_seqs(&[seq])?.pop())
}

/// A story's label, as [`story_label`] gives it, from its labelling member alone where it
/// can: the related stories and other-language reports of a story page were each read
/// whole for their label (the four biggest stories of the million-article store took
/// 1.1-13 s to show, most of it reading the leads of thousands of other stories' members).
pub(crate) fn label_of_row<R: ReadBackend + ?Sized>(
    store: &mut R,
    row: &StoryRow,
) -> Result<Option<String>> {
    let Some(stored) = label_article(store, row)? else {
        return Ok(store.story(row.id)?.as_ref().and_then(story_label));
    };
    let a = &stored.article;
    // As the store lists a member: a lead only for a member with no headline.
    let lead: Option<String> = match a.title {
        Some(_) => None,
        None => a.paragraphs.first().map(|p| p.chars().take(300).collect()),
    };
    Ok(label::article_label(a.title.as_deref(), lead.as_deref()))
}

/// The one decoder of a story's stored clustering state: an error naming the story when
/// the bytes are damaged.
fn story_of_row<R: ReadBackend + ?Sized>(
    store: &mut R,
    r: &StoryRow,
) -> Result<Story, lede_store::Error> {
    decode_story(r)
        .ok_or_else(|| store.damaged_story(r.id, "clustering state", &"it cannot be read back"))
}

/// A story's clustering state from its stored row; `None` when the bytes are damaged.
fn decode_story(r: &StoryRow) -> Option<Story> {
    Story::from_stored(
        r.id,
        r.first_ts,
        r.last_ts,
        u32::try_from(r.size).unwrap_or(u32::MAX),
        r.label_seq,
        &r.state,
    )
}

/// A story as `lede stories --json` lists it (the CLI contract's fields, and more).
#[derive(Debug, Clone, Serialize)]
pub struct StoryJson {
    /// Its id.
    pub id: StoryId,
    /// The headline of the article that represents it best.
    pub label: Option<String>,
    /// Its articles.
    pub size: usize,
    /// Its articles' ids, oldest first.
    pub articles: Vec<String>,
    /// The ids their input records carried (parallel to `articles`; null where none).
    pub source_ids: Vec<Option<String>>,
    /// Distinct outlets, most articles first.
    pub outlets: Vec<String>,
    /// Date of its first article.
    pub first_seen: Option<String>,
    /// Date of its last article.
    pub last_seen: Option<String>,
}

impl From<&StorySummary> for StoryJson {
    fn from(s: &StorySummary) -> StoryJson {
        let (first, last) = s.span();
        StoryJson {
            id: s.id,
            label: story_label(s),
            size: s.articles.len(),
            articles: s.articles.iter().map(|a| a.id.clone()).collect(),
            source_ids: s.articles.iter().map(|a| a.source_id.clone()).collect(),
            outlets: s.outlets(),
            first_seen: first.map(str::to_owned),
            last_seen: last.map(str::to_owned),
        }
    }
}

/// A name a story's articles give, and how many of them.
#[derive(Debug, Clone, Serialize)]
pub struct StoryEntity {
    /// Canonical name.
    pub name: String,
    /// `person`, `org` or `place`.
    pub kind: String,
    /// Articles of the story naming it.
    pub articles: u64,
}

/// A quote of a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryQuote {
    /// The words quoted.
    pub text: String,
    /// Who said them.
    pub speaker: String,
    /// The first article quoting them.
    pub article_id: String,
    /// Articles of the story quoting them.
    pub times: u64,
    /// Outlets among those articles.
    pub outlets: u64,
    /// How near the quote is to the story's words (cosine, 0..1).
    pub fit: f32,
}

/// Why two stories are related.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    /// Names both stories' articles give.
    pub entities: Vec<String>,
    /// Words that weigh in both stories.
    pub terms: Vec<String>,
    /// Quotes both repeat.
    pub quotes: usize,
    /// The words of those shared quotes the story's articles attribute (up to 3).
    pub quoted: Vec<String>,
}

/// A related story.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedStory {
    /// Its id.
    pub id: StoryId,
    /// Its label.
    pub label: Option<String>,
    /// Its articles.
    pub size: usize,
    /// How related (0..1, time-damped).
    pub score: f32,
    /// Why.
    pub evidence: Evidence,
}

/// `lede story ID`: the story, its timeline, names, quotes and related stories.
#[derive(Debug, Clone, Serialize)]
pub struct StoryDetail {
    /// The story as listed.
    #[serde(flatten)]
    pub story: StoryJson,
    /// Its articles, oldest first.
    pub timeline: Vec<lede_store::StoryArticle>,
    /// The names its articles give most.
    pub entities: Vec<StoryEntity>,
    /// Its quotes, the most repeated first.
    pub quotes: Vec<StoryQuote>,
    /// Other stories it is related to, with the reason.
    pub related: Vec<RelatedStory>,
    /// Stored state that could not be read for this page (each message names the story),
    /// so related stories or quote ranking may be missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damaged: Vec<String>,
}

impl Library {
    /// Stories, newest first.
    pub fn stories(&self, filter: &StoryFilter) -> Result<Vec<StoryJson>> {
        self.with_reads(|r| stories(r, filter))
    }

    /// Whether some stored articles are in no story yet (the next ingest clusters them).
    pub fn stories_pending(&self) -> Result<bool> {
        self.with_reads(|r| stories_pending(r))
    }

    /// A story by id (a merged story's old id finds the story it went into).
    pub fn story(&self, id: StoryId) -> Result<Option<StoryDetail>> {
        self.with_reads(|r| story(r, id))
    }

    /// The story of a stored article, with its related stories.
    pub fn story_of_article(&self, seq: ArticleSeq) -> Result<Option<StoryDetail>> {
        self.with_reads(|r| story_of_article(r, seq))
    }
}

/// Stories, newest first (`lede stories`), from either store.
pub fn stories<R: ReadBackend + ?Sized>(
    store: &mut R,
    filter: &StoryFilter,
) -> Result<Vec<StoryJson>> {
    Ok(store.stories(filter)?.iter().map(StoryJson::from).collect())
}

/// Whether some stored articles are in no story yet (the next clustering pass takes them).
pub fn stories_pending<R: ReadBackend + ?Sized>(store: &mut R) -> Result<bool> {
    Ok(store.clustered_through()? < store.last_seq()?)
}

/// A story by id, with its timeline, names, key quotes and related stories (`lede story`,
/// the reader's story page), from either store. A merged story's old id finds the story it
/// went into.
pub fn story<R: ReadBackend + ?Sized>(store: &mut R, id: StoryId) -> Result<Option<StoryDetail>> {
    let Some(summary) = store.story(id)? else { return Ok(None) };
    detail(store, summary)
}

/// [`story`] for a page that shows the `shown` articles of its timeline (by index, oldest
/// first): the members' leads (each one's text read, for those without a headline) are
/// read for those and for the member that labels it only, so their titles are as
/// [`story`] gives them and the others' are `None` where they have no headline. The
/// million-article store's biggest story has 4,248 members, 86% without a headline.
pub(crate) fn story_page<R: ReadBackend + ?Sized>(
    store: &mut R,
    id: StoryId,
    shown: std::ops::Range<usize>,
) -> Result<Option<StoryDetail>> {
    let Some(mut summary) = store.story_unled(id)? else { return Ok(None) };
    let label = summary
        .label_seq
        .and_then(|l| summary.articles.iter().position(|a| a.seq() == l))
        .or((!summary.articles.is_empty()).then_some(0));
    let end = shown.end.min(summary.articles.len());
    let mut wanted: Vec<usize> = label
        .into_iter()
        .chain(shown.start.min(end)..end)
        .filter(|&i| summary.articles[i].title.is_none())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let seqs: Vec<ArticleSeq> = wanted.iter().map(|&i| summary.articles[i].seq()).collect();
    let mut leads: HashMap<ArticleSeq, Option<String>> =
        store.leads(&seqs)?.into_iter().map(|t| (t.seq, t.text)).collect();
    for i in wanted {
        let a = &mut summary.articles[i];
        a.lead = leads.remove(&a.seq()).flatten();
    }
    detail(store, summary)
}

/// A story's page from its summary as read.
fn detail<R: ReadBackend + ?Sized>(
    store: &mut R,
    summary: StorySummary,
) -> Result<Option<StoryDetail>> {
    // Read once, for the page (the first few) and for related stories (all of them).
    let mut entities: Vec<StoryEntity> = store
        .story_entities(summary.id, NAMES_READ)?
        .into_iter()
        .map(|e| StoryEntity {
            name: e.name,
            kind: e.kind.as_str().to_owned(),
            articles: e.articles,
        })
        .collect();
    let mut damaged = Vec::new();
    // The word frequencies of the story's language are read once (5.9 MB for English on
    // the million-article store): both the quotes' ranking and related stories weigh by them.
    let df = store.doc_freq(summary.id)?;
    let df = df.as_deref();
    let quotes = key_quotes(store, summary.id, df, &mut damaged)?;
    let compared = &quotes[..quotes.len().min(QUOTES_COMPARED)];
    let related = related(store, &summary, &entities, df, compared, &mut damaged)?;
    entities.truncate(NAMES_SHOWN);
    let mut quotes = quotes;
    quotes.truncate(QUOTES_SHOWN);
    let story = StoryJson::from(&summary);
    let mut timeline = summary.articles;
    for a in &mut timeline {
        if a.title.is_none() {
            a.title = a.lead.as_deref().and_then(label::lead_label);
        }
    }
    Ok(Some(StoryDetail { story, timeline, entities, quotes, related, damaged }))
}

/// The story of a stored article, with its related stories.
pub fn story_of_article<R: ReadBackend + ?Sized>(
    store: &mut R,
    seq: ArticleSeq,
) -> Result<Option<StoryDetail>> {
    match store.story_of(seq)? {
        Some(id) => story(store, id),
        None => Ok(None),
    }
}

/// Stories that share names with `story` and score above a floor on names and words
/// together, time-damped; the best [`RELATED`], with the evidence.
fn related<R: ReadBackend + ?Sized>(
    store: &mut R,
    story: &StorySummary,
    entities: &[StoryEntity],
    df: Option<&[u8]>,
    quotes: &[StoryQuote],
    damaged: &mut Vec<String>,
) -> Result<Vec<RelatedStory>> {
    let Some(row) = store.story_row(story.id)? else { return Ok(Vec::new()) };
    let this = match story_of_row(store, &row) {
        Ok(s) => s,
        Err(e) => {
            damaged.push(format!("{e} (no related stories)"));
            return Ok(Vec::new());
        }
    };
    let names = telling_names(entities, df);
    let words = words_of(store, story)?;
    let mut own_quotes: Vec<(u32, &str)> = Vec::new();
    for q in quotes {
        if let Some(key) = lede_cluster::quote_key(&q.text)
            && !own_quotes.iter().any(|(k, _)| *k == key)
        {
            own_quotes.push((key, &q.text));
        }
    }
    let mut out = Vec::new();
    for naming in store.stories_naming(story.id, &names, 40, 0)? {
        let (id, mut shared) = (naming.story, naming.names);
        // Most telling first, as `names` is.
        shared.sort_by_key(|n| names.iter().position(|m| m == n));
        let Some(other_row) = store.story_row(id)? else { continue };
        let other = match story_of_row(store, &other_row) {
            Ok(s) => s,
            Err(e) => {
                damaged.push(format!("{e} (left out of the related stories)"));
                continue;
            }
        };
        let score = this.relatedness(&other);
        if score < label::RELATED_FLOOR {
            continue;
        }
        let other_terms: HashSet<u32> = other.top_terms(60).into_iter().map(|(h, _)| h).collect();
        let mut terms: Vec<String> = this
            .top_terms(60)
            .into_iter()
            .filter(|(h, _)| other_terms.contains(h))
            .filter_map(|(h, _)| words.get(&h).cloned())
            .collect();
        terms.truncate(8);
        let quoted = own_quotes
            .iter()
            .filter(|(key, _)| other.repeats(*key))
            .map(|(_, text)| (*text).to_owned())
            .take(3)
            .collect();
        out.push(RelatedStory {
            id,
            // The label is read for the best few only.
            label: None,
            size: other_row.size as usize,
            score,
            evidence: Evidence {
                entities: shared,
                terms,
                quotes: this.shared_quotes(&other),
                quoted,
            },
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    out.truncate(RELATED);
    for r in &mut out {
        if let Some(row) = store.story_row(r.id)? {
            r.label = label_of_row(store, &row)?;
        }
    }
    Ok(out)
}

/// A story's key quotes, best first: the quotes nearest its words, weighted by the outlets
/// giving them ([`label::rank_quotes`]), among the [`QUOTES_READ`] the most outlets give.
fn key_quotes<R: ReadBackend + ?Sized>(
    store: &mut R,
    story: StoryId,
    df: Option<&[u8]>,
    damaged: &mut Vec<String>,
) -> Result<Vec<StoryQuote>> {
    let rows = store.story_quotes(story, QUOTES_READ)?;
    let this = match store.story_row(story)? {
        Some(row) => story_of_row(store, &row)
            .map_err(|e| damaged.push(format!("{e} (quotes ranked by outlets alone)")))
            .ok(),
        None => None,
    };
    let idf = |h: u32| df.and_then(|b| DocFreq::stored_term_idf(b, h)).unwrap_or(1.0);
    let fits: Vec<(f32, u64)> = rows
        .iter()
        .map(|q| (this.as_ref().map_or(0.0, |s| s.quote_fit(&q.text, idf)), q.outlets))
        .collect();
    let mut rows: Vec<Option<lede_store::StoryQuoteRow>> = rows.into_iter().map(Some).collect();
    Ok(label::rank_quotes(&fits)
        .into_iter()
        .filter_map(|i| {
            let q = rows[i].take()?;
            Some(StoryQuote {
                text: q.text,
                speaker: q.speaker,
                article_id: q.article_id,
                times: q.articles,
                outlets: q.outlets,
                fit: fits[i].0,
            })
        })
        .collect())
}

/// The names that tell a story apart, to find its related stories by: its most named
/// entities weighed by how often the story and how rarely the store names them
/// ([`label::name_weight`]), the [`TELLING_NAMES`] heaviest, heaviest first.
fn telling_names(entities: &[StoryEntity], df: Option<&[u8]>) -> Vec<String> {
    let mut names: Vec<(f32, &str)> = entities
        .iter()
        .map(|e| {
            let idf = df.and_then(|b| DocFreq::stored_name_idf(b, &e.name)).unwrap_or(1.0);
            (label::name_weight(e.articles, idf), e.name.as_str())
        })
        .collect();
    names.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    names.into_iter().take(TELLING_NAMES).map(|(_, n)| n.to_owned()).collect()
}

/// Words of a story by hash, to name the hashes clustering keeps: its headlines, and the
/// leads of the articles that fit it best (the heavy words of a story are mostly in its
/// articles' first paragraphs; reading whole bodies would cost more than the answer).
fn words_of<R: ReadBackend + ?Sized>(
    store: &mut R,
    story: &StorySummary,
) -> Result<HashMap<u32, String>> {
    let mut words = HashMap::new();
    let mut add = |text: &str| {
        lede_cluster::words(text, |w| {
            words.entry(lede_cluster::term_hash(w)).or_insert_with(|| w.to_owned());
        });
    };
    for a in story.articles.iter().take(50) {
        if let Some(title) = &a.title {
            add(title);
        }
    }
    let mut best: Vec<_> = story.articles.iter().collect();
    best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.seq().cmp(&b.seq())));
    let seqs: Vec<ArticleSeq> = best.iter().take(LEAD_ARTICLES).map(|a| a.seq()).collect();
    for stored in store.by_seqs(&seqs)? {
        for p in stored.article.paragraphs.iter().take(LEAD_PARAGRAPHS) {
            add(p);
        }
    }
    Ok(words)
}
