//! `lede trace` and `lede dups` over a store: the store-facing half of `lede-dedup`.
//!
//! Trace: each paragraph's rarest words are looked up in the index, the articles most like
//! each paragraph become the candidate sources, only those published earlier (else stored earlier) are kept, and
//! `lede_dedup::trace` aligns the article with them, oldest first, so that a passage found
//! in several goes to where it first appeared.
//!
//! Where passages went (issue 16): the same lookup, with more hits a paragraph, proposes the
//! later articles (published later, else stored later: the mirror of "earlier"). Each is
//! aligned first with the article's own sources and the article, oldest first: it is listed
//! in [`TraceReport::reused_by`] only when the article would count as one of its sources
//! ([`lede_dedup::Share::supplies`]) even so, that is when it carries text that is the
//! article's own (its spin, its new sentences) and not merely the text both took from a
//! wire. It is then aligned with the article alone, for every passage it carries, and is
//! spun when the swaps in what it took score [`lede_dedup::provenance::SPUN_SCORE`] or
//! more. Each
//! paragraph's [`PassageHistory`] joins both directions: where its passages were first
//! seen, and the later copies.
//!
//! The cost is bounded whatever the article's fame: at most 32 hits a paragraph, 512
//! articles read and [`MAX_REUSERS`] aligned, each
//! alignment linear in the two articles' lengths. When the search stops at a bound while
//! its last candidate still reused the article, [`TraceReport::reused_by_capped`] says
//! that more may exist. Known failure: a later article that reproduces only what this
//! article took verbatim from its sources (a copy of a copy) is credited to the source,
//! where the text first appeared, and not listed here.
//!
//! Dups: every stored sketch is read, banded LSH proposes pairs, and each pair is decided
//! by its estimate or, near the threshold, by reading both texts.

use crate::Result;
use crate::library::Library;
use lede_core::Article;
use lede_core::ArticleSeq;
use lede_dedup::dups::{self, Doc};
use lede_dedup::{
    IntrinsicSignal, Sketch, SpinEvidence, SpinMarker, Substitution, SwapKind, Verdict,
};
use lede_store::{DupsBackend, ReadBackend, StoredArticle};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A paragraph's rarest words that make up its query for similar articles.
const QUERY_WORDS: usize = 16;
/// Candidate sources kept per paragraph (its best matches).
const PER_PARAGRAPH: usize = 6;
/// Candidate sources aligned per article: at least this many...
const MIN_CANDIDATES: usize = 48;
/// ...or this many per paragraph (a digest of many sources has many)...
const CANDIDATES_PER_PARAGRAPH: usize = 2;
/// ...and never more than this, so that one huge page stays bounded.
const MAX_CANDIDATES: usize = 1024;
/// Hits asked for per paragraph when looking for later articles that reuse it: more than
/// for sources, since the earlier articles and the article itself take some of them.
const REUSE_PER_PARAGRAPH: usize = 32;
/// Candidate later articles read from the store, the best-voted first...
const MAX_REUSE_LOOKUPS: usize = 512;
/// ...of which at most this many (the later ones) are aligned with the article: an
/// article reused by 10,000 others costs this many alignments, not 10,000.
pub const MAX_REUSERS: usize = 128;
/// Candidates read from the store at a time.
const REUSE_BATCH: usize = 32;

/// `lede trace`'s answer for one article, in the CLI contract's shape.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    /// The article's id.
    pub id: String,
    /// The id its input record carried, if stored with one.
    pub record_id: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// original, copy, composite or spun.
    pub verdict: Verdict,
    /// How surely the reuse was spun, in [0, 1] (0 for an original; see
    /// [`lede_dedup::spin_score`]): `spun` from 0.5.
    pub spin_score: f64,
    /// The spinner-like swaps the score rests on, most frequent first.
    pub spin_evidence: Vec<SpinEvidence>,
    /// Words in the article.
    pub words: usize,
    /// The sources, largest share first.
    pub sources: Vec<TraceSource>,
    /// The reused passages, in article order.
    pub passages: Vec<TracePassage>,
    /// Signs of spinning inside the article itself.
    pub spin_markers: Vec<SpinMarker>,
    /// With no earlier source supplying the article: whether its own text shows signs of
    /// a composite ([`TraceReport::intrinsic`]), so that `original` never rests on an
    /// empty search alone (issue 16). Always false when a source was found: the verdict
    /// then says what the article is made of.
    pub composite_suspected: bool,
    /// The signs read from the article alone, with their evidence (see
    /// [`lede_dedup::intrinsic`]; spin markers among them support the others but are not
    /// enough alone); computed only when no earlier source supplies it.
    pub intrinsic: Vec<IntrinsicSignal>,
    /// Later articles that reuse its passages, oldest first (same-date ties in storage
    /// order).
    pub reused_by: Vec<TraceReuse>,
    /// Whether the search for later reuse stopped at one of its bounds while still
    /// finding reuse ([`MAX_REUSERS`] and the like): more later articles may reuse it than
    /// `reused_by` lists.
    pub reused_by_capped: bool,
    /// Each paragraph's known history, in article order.
    pub passage_history: Vec<PassageHistory>,
}

/// A later article that reuses passages of the traced one.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReuse {
    /// Its article id.
    pub id: String,
    /// Its record id, if any.
    pub record_id: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
    /// Share of the traced article's words it reuses.
    pub coverage: f64,
    /// Whether it spun what it took: `spin_score` is at least
    /// [`lede_dedup::provenance::SPUN_SCORE`].
    pub spun: bool,
    /// How surely what it took was spun, in [0, 1] (see [`lede_dedup::spin_score`]).
    pub spin_score: f64,
    /// The spinner-like swaps it made, most frequent first.
    pub spin_evidence: Vec<SpinEvidence>,
    /// The traced article's passages it reuses, in the traced article's order.
    pub passages: Vec<ReusedPassage>,
}

/// A passage of the traced article found again in a later one.
#[derive(Debug, Clone, Serialize)]
pub struct ReusedPassage {
    /// The traced article's paragraph (index).
    pub paragraph: usize,
    /// Byte span of the passage in that paragraph.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// The later article's paragraph (index).
    pub copy_paragraph: usize,
    /// Byte span of the copy in the later article's paragraph.
    pub copy_start: usize,
    /// End of that span.
    pub copy_end: usize,
    /// Dice similarity of the passage and its copy.
    pub similarity: f64,
    /// Words swapped on the way (`from` the traced article, `to` the later one).
    pub substitutions: Vec<Substitution>,
    /// The kind of each swap: a spinner's or an editor's.
    pub kinds: Vec<SwapKind>,
    /// Whether this copy carries a spinner's swaps, in a reuse that is spun.
    pub spun: bool,
}

/// Where an article was seen: a passage's first sighting.
#[derive(Debug, Clone, Serialize)]
pub struct Sighting {
    /// The article's id.
    pub id: String,
    /// Its record id, if any.
    pub record_id: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
}

/// One paragraph's known history: where its passages were first seen, and where they went.
#[derive(Debug, Clone, Serialize)]
pub struct PassageHistory {
    /// The paragraph (index).
    pub paragraph: usize,
    /// The earliest article its passages were found in: the oldest of its sources, else
    /// the traced article itself.
    pub first_seen: Sighting,
    /// Earlier articles its passages come from.
    pub earlier: usize,
    /// Later articles that reuse it.
    pub copies: usize,
    /// Those of them whose copy is spun (see [`ReusedPassage::spun`]).
    pub spun_copies: usize,
    /// The outlets that carried it, each once: its sources', the article's, then the
    /// copies', oldest first.
    pub outlets: Vec<String>,
}

/// A source of an article.
#[derive(Debug, Clone, Serialize)]
pub struct TraceSource {
    /// The source's article id.
    pub id: String,
    /// Its record id, if any.
    pub record_id: Option<String>,
    /// Share of the traced article's words it supplies.
    pub coverage: f64,
    /// Its headline.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
}

/// A reused passage.
#[derive(Debug, Clone, Serialize)]
pub struct TracePassage {
    /// The article's paragraph (index).
    pub paragraph: usize,
    /// Byte span of the passage in that paragraph.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// The source's article id.
    pub source_id: String,
    /// The source's record id, if any.
    pub source_record_id: Option<String>,
    /// The source's paragraph (index).
    pub source_paragraph: usize,
    /// Byte span of the aligned text in the source paragraph.
    pub source_start: usize,
    /// End of that span.
    pub source_end: usize,
    /// Dice similarity of the passage and its source text.
    pub similarity: f64,
    /// Words swapped on the way.
    pub substitutions: Vec<Substitution>,
    /// The kind of each swap: a spinner's or an editor's.
    pub kinds: Vec<SwapKind>,
}

/// A substitution pair learned from aligned reuse across the store (`lede spin`).
#[derive(Debug, Clone, Serialize)]
pub struct LearnedPair {
    /// The words in the source.
    pub from: String,
    /// The words in the reusing article.
    pub to: String,
    /// Times the swap was made.
    pub count: usize,
    /// Articles that made it.
    pub articles: usize,
}

/// How `lede dups` groups.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DupsOptions {
    /// Share of the longer article the shorter must reproduce (default 0.5).
    pub threshold: Option<f64>,
    /// Only pair articles published at most this many days apart.
    pub window_days: Option<u32>,
}

/// A group of near-duplicate articles (or one article read from several records: the
/// same text exactly, under other record ids or addresses).
#[derive(Debug, Clone, Serialize)]
pub struct DupGroup {
    /// The members' ids, oldest first.
    pub ids: Vec<String>,
    /// The lowest similarity among the pairs that joined the group.
    pub similarity: f64,
    /// The members.
    pub members: Vec<DupMember>,
}

/// What [`Library::dups`] found.
#[derive(Debug)]
pub struct Dups {
    /// The groups, largest first.
    pub groups: Vec<DupGroup>,
    /// Articles left out because their stored sketch is damaged, each error naming the
    /// article and the blob.
    pub damaged: Vec<lede_store::Error>,
}

/// A member of a group.
#[derive(Debug, Clone, Serialize)]
pub struct DupMember {
    /// Article id.
    pub id: String,
    /// Record id, if any.
    pub record_id: Option<String>,
    /// Every record id naming this article (exact copies read later add theirs).
    pub record_ids: Vec<String>,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Publication time.
    pub published: Option<String>,
}

/// Sorts candidates as "earlier": publication time when both have one, else store order.
pub(crate) fn earlier(a: &StoredArticle, b_ts: Option<i64>, b_seq: Option<ArticleSeq>) -> bool {
    let a_ts = a.article.published.as_ref().map(|p| p.at.unix_seconds());
    match (a_ts, b_ts, b_seq) {
        (Some(x), Some(y), _) if x != y => x < y,
        (_, _, Some(seq)) => a.seq < seq,
        // Not stored, and no way to order them: any stored article may be its source.
        (_, _, None) => true,
    }
}

/// The mirror of [`earlier`]: published later when both have a time, else stored later;
/// an article that is not stored and not dated has no later articles.
fn later(a: &StoredArticle, b_ts: Option<i64>, b_seq: Option<ArticleSeq>) -> bool {
    let a_ts = a.article.published.as_ref().map(|p| p.at.unix_seconds());
    match (a_ts, b_ts, b_seq) {
        (Some(x), Some(y), _) if x != y => x > y,
        (_, _, Some(seq)) => a.seq > seq,
        (_, _, None) => false,
    }
}

fn sighting(s: &StoredArticle) -> Sighting {
    Sighting {
        id: s.id.to_string(),
        record_id: s.source_id.clone(),
        outlet: s.article.outlet.clone(),
        published: s.article.published.as_ref().map(|p| p.at.to_string()),
    }
}

/// The page's text outside the body: captions, related-story titles and teasers.
fn page_text(article: &Article) -> Vec<&str> {
    let related = article
        .related
        .iter()
        .flat_map(|r| [Some(r.title.as_str()), r.teaser.as_deref()])
        .flatten();
    article.captions.iter().map(String::as_str).chain(related).collect()
}

/// Traces the stored article a key names, in either store; `None` if there is none.
pub fn trace<R: ReadBackend + ?Sized>(store: &mut R, key: &str) -> Result<Option<TraceReport>> {
    let Some(stored) = store.find(key)? else { return Ok(None) };
    trace_article(store, &stored.article, Some(&stored)).map(Some)
}

/// Traces an article against either store. `stored` is the article's own record when
/// it is in the store (it is then excluded, and "earlier" includes store order).
pub fn trace_article<R: ReadBackend + ?Sized>(
    store: &mut R,
    article: &Article,
    stored: Option<&StoredArticle>,
) -> Result<TraceReport> {
    trace_with(store, article, stored, Direction::Both)
}

/// Which ways a trace looks.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    /// Sources and later reuse: `lede trace`.
    Both,
    /// Sources only, for callers that read nothing else (`lede spin`), which would pay
    /// for the search for later reuse in every article for nothing.
    Backward,
}

fn trace_with<R: ReadBackend + ?Sized>(
    store: &mut R,
    article: &Article,
    stored: Option<&StoredArticle>,
    direction: Direction,
) -> Result<TraceReport> {
    let own_id = lede_core::ArticleId::of(article);
    let candidates = candidates(store, article, stored)?;
    let ts = article.published.as_ref().map(|p| p.at.unix_seconds());
    // The candidates that are not earlier are kept for the search for later reuse, which
    // proposes most of them again: read once, not twice.
    let (mut sources, read): (Vec<StoredArticle>, Vec<StoredArticle>) = store
        .by_seqs(&candidates)?
        .into_iter()
        .partition(|c| c.id != own_id && earlier(c, ts, stored.map(|s| s.seq)));
    let mut read: Read = Read {
        earlier: sources.iter().map(|s| s.seq).collect(),
        later: read.into_iter().map(|c| (c.seq, c)).collect(),
    };
    sources.sort_by_key(|c| (c.article.published.as_ref().map(|p| p.at.unix_seconds()), c.seq));
    let texts: Vec<&[String]> = sources.iter().map(|s| s.article.paragraphs.as_slice()).collect();
    let provenance = lede_dedup::trace(&article.paragraphs, &texts);
    // The sources that supply a part of the article, oldest first: a later article that
    // reuses only their text did not take it from this one.
    let mut supplying: Vec<usize> =
        provenance.sources.iter().filter(|s| s.supplies()).map(|s| s.source).collect();
    supplying.sort_unstable();
    let supplying: Vec<&[String]> = supplying.into_iter().map(|i| texts[i]).collect();
    let (reused_by, reused_by_capped) = match direction {
        Direction::Both => reuse(store, article, stored, &supplying, provenance.words, &mut read)?,
        Direction::Backward => (Vec::new(), false),
    };
    let own = Sighting {
        id: own_id.to_string(),
        record_id: stored.and_then(|s| s.source_id.clone()),
        outlet: article.outlet.clone(),
        published: article.published.as_ref().map(|p| p.at.to_string()),
    };
    let passage_history =
        history(article.paragraphs.len(), &own, &sources, &provenance.passages, &reused_by);
    let source = |i: usize| &sources[i];
    let spin_markers = lede_dedup::spin_markers(&article.paragraphs, &page_text(article));
    // Only an article no source supplies is judged from its own text: for the others the
    // alignment has already said what they are made of.
    let intrinsic = if provenance.verdict != Verdict::Original {
        Vec::new()
    } else {
        let unrelated: Vec<String> = lede_cluster::check_links(article)
            .into_iter()
            .filter(|c| !c.related)
            .map(|c| c.title)
            .collect();
        lede_dedup::intrinsic_signals(&article.paragraphs, &unrelated, &spin_markers)
    };
    Ok(TraceReport {
        id: own_id.to_string(),
        record_id: stored.and_then(|s| s.source_id.clone()),
        title: article.title.clone(),
        verdict: provenance.verdict,
        spin_score: provenance.spin_score,
        spin_evidence: provenance.spin_evidence,
        words: provenance.words,
        sources: provenance
            .sources
            .iter()
            .map(|share| {
                let s = source(share.source);
                TraceSource {
                    id: s.id.to_string(),
                    record_id: s.source_id.clone(),
                    coverage: share.coverage,
                    title: s.article.title.clone(),
                    outlet: s.article.outlet.clone(),
                    published: s.article.published.as_ref().map(|p| p.at.to_string()),
                }
            })
            .collect(),
        passages: provenance
            .passages
            .into_iter()
            .map(|p| {
                let s = source(p.source);
                TracePassage {
                    paragraph: p.paragraph,
                    start: p.start,
                    end: p.end,
                    source_id: s.id.to_string(),
                    source_record_id: s.source_id.clone(),
                    source_paragraph: p.source_paragraph,
                    source_start: p.source_start,
                    source_end: p.source_end,
                    similarity: p.similarity,
                    substitutions: p.substitutions,
                    kinds: p.kinds,
                }
            })
            .collect(),
        spin_markers,
        composite_suspected: lede_dedup::suspects_composite(&intrinsic),
        intrinsic,
        reused_by,
        reused_by_capped,
        passage_history,
    })
}

/// The candidates the search for sources read already.
struct Read {
    /// Those found earlier than the article: no need to read them again.
    earlier: HashSet<ArticleSeq>,
    /// The others (the article itself among them, when stored).
    later: HashMap<ArticleSeq, StoredArticle>,
}

/// The later articles that reuse `article`'s passages, oldest first, and whether the
/// search stopped at a bound while still finding reuse. `sources` are the texts of the
/// article's own sources, oldest first; `words` is the article's length in words.
fn reuse<R: ReadBackend + ?Sized>(
    store: &mut R,
    article: &Article,
    stored: Option<&StoredArticle>,
    sources: &[&[String]],
    words: usize,
    read: &mut Read,
) -> Result<(Vec<TraceReuse>, bool)> {
    let own = stored.map(|s| s.seq);
    let own_id = lede_core::ArticleId::of(article);
    let ts = article.published.as_ref().map(|p| p.at.unix_seconds());
    if own.is_none() && ts.is_none() {
        // Neither stored nor dated: nothing can be said to come later.
        return Ok((Vec::new(), false));
    }
    let mut votes: HashMap<ArticleSeq, f32> = HashMap::new();
    // Each full answer's weakest hit: if even that one reuses the article, the paragraph
    // has more copies than the lookup returned.
    let mut weakest: HashSet<ArticleSeq> = HashSet::new();
    let mut asked = HashSet::new();
    for paragraph in &article.paragraphs {
        if !asked.insert(paragraph.as_str()) {
            continue;
        }
        let hits = store.similar_to(paragraph, QUERY_WORDS, REUSE_PER_PARAGRAPH)?;
        if hits.len() == REUSE_PER_PARAGRAPH
            && let Some(&(seq, _)) = hits.last()
        {
            weakest.insert(seq);
        }
        let best = hits.iter().find(|(seq, _)| Some(*seq) != own).map_or(0.0, |h| h.1);
        for &(seq, score) in hits.iter().filter(|(seq, _)| Some(*seq) != own) {
            *votes.entry(seq).or_default() += score / best.max(f32::MIN_POSITIVE);
        }
    }
    let mut ranked: Vec<(ArticleSeq, f32)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut stopped = ranked.len() > MAX_REUSE_LOOKUPS;
    ranked.truncate(MAX_REUSE_LOOKUPS);
    let seqs: Vec<ArticleSeq> = ranked.into_iter().map(|(seq, _)| seq).collect();
    let mut found: Vec<(Option<i64>, ArticleSeq, TraceReuse)> = Vec::new();
    let (mut aligned, mut last_reused) = (0, false);
    // Read a batch at a time, so that only a batch of candidate texts is held at once and
    // the earlier ones among them cost a read, not an alignment.
    'batches: for batch in seqs.chunks(REUSE_BATCH) {
        let batch: Vec<ArticleSeq> =
            batch.iter().copied().filter(|seq| !read.earlier.contains(seq)).collect();
        let unread: Vec<ArticleSeq> =
            batch.iter().copied().filter(|seq| !read.later.contains_key(seq)).collect();
        let mut fetched: HashMap<ArticleSeq, StoredArticle> = if unread.is_empty() {
            HashMap::new()
        } else {
            store.by_seqs(&unread)?.into_iter().map(|c| (c.seq, c)).collect()
        };
        // In the order of the votes, so that the bound keeps the best-voted.
        for seq in batch {
            let Some(c) = read.later.remove(&seq).or_else(|| fetched.remove(&seq)) else {
                continue;
            };
            if c.id == own_id || !later(&c, ts, own) {
                continue;
            }
            if aligned == MAX_REUSERS {
                stopped = true;
                break 'batches;
            }
            aligned += 1;
            let reused = reuse_in(article, &c, sources, words);
            last_reused = reused.is_some();
            if let Some(r) = reused {
                found.push((c.article.published.as_ref().map(|p| p.at.unix_seconds()), c.seq, r));
            }
        }
    }
    let found_seqs: HashSet<ArticleSeq> = found.iter().map(|f| f.1).collect();
    let capped = (stopped && last_reused) || weakest.iter().any(|s| found_seqs.contains(s));
    // Undated ones last, as "earlier" puts them first among sources.
    found.sort_by_key(|(ts, seq, _)| (ts.is_none(), *ts, *seq));
    Ok((found.into_iter().map(|(_, _, r)| r).collect(), capped))
}

/// What `later` reuses of `article` (of `words` words), if `article` would count as one
/// of its sources beside the article's own `sources` (oldest first).
fn reuse_in(
    article: &Article,
    later: &StoredArticle,
    sources: &[&[String]],
    words: usize,
) -> Option<TraceReuse> {
    let provenance = lede_dedup::trace(&later.article.paragraphs, &[article.paragraphs.as_slice()]);
    if !provenance.sources.first().is_some_and(lede_dedup::Share::supplies) {
        return None;
    }
    // Only for the few that reuse the article at all (57 of 4,830 candidates for 80 traces
    // on bench/provenance.sh's store), so the second alignment costs little.
    if !sources.is_empty() {
        let mut texts = sources.to_vec();
        texts.push(article.paragraphs.as_slice());
        let beside = lede_dedup::trace(&later.article.paragraphs, &texts);
        if !beside.sources.iter().any(|s| s.source == sources.len() && s.supplies()) {
            return None;
        }
    }
    let (spin_score, spin_evidence) = lede_dedup::spin_score(&provenance.passages);
    let spun = spin_score >= lede_dedup::provenance::SPUN_SCORE;
    let mut passages: Vec<ReusedPassage> = provenance
        .passages
        .into_iter()
        .map(|p| ReusedPassage {
            paragraph: p.source_paragraph,
            start: p.source_start,
            end: p.source_end,
            copy_paragraph: p.paragraph,
            copy_start: p.start,
            copy_end: p.end,
            similarity: p.similarity,
            spun: spun && p.spun > 0,
            substitutions: p.substitutions,
            kinds: p.kinds,
        })
        .collect();
    passages.sort_by_key(|p| (p.paragraph, p.start, p.copy_paragraph));
    Some(TraceReuse {
        id: later.id.to_string(),
        record_id: later.source_id.clone(),
        title: later.article.title.clone(),
        outlet: later.article.outlet.clone(),
        published: later.article.published.as_ref().map(|p| p.at.to_string()),
        coverage: covered_words(article, &passages) as f64 / words.max(1) as f64,
        spun,
        spin_score,
        spin_evidence,
        passages,
    })
}

/// Words of `article` inside the passages (sorted by paragraph and start), each counted
/// once where two copies overlap.
fn covered_words(article: &Article, passages: &[ReusedPassage]) -> usize {
    let mut total = 0;
    let mut span: Option<(usize, usize, usize)> = None;
    let count = |(p, a, b): (usize, usize, usize)| {
        article
            .paragraphs
            .get(p)
            .and_then(|t| t.get(a..b))
            .map_or(0, |t| lede_text::words::words(t).len())
    };
    for p in passages {
        match &mut span {
            Some((para, _, end)) if *para == p.paragraph && p.start <= *end => {
                *end = (*end).max(p.end);
            }
            _ => {
                total += span.map_or(0, count);
                span = Some((p.paragraph, p.start, p.end));
            }
        }
    }
    total + span.map_or(0, count)
}

/// Each paragraph's history: its earlier sightings from the backward trace (`passages`
/// index `sources`, which are oldest first), its later copies from `reused_by`. Linear in
/// the passages on both sides.
fn history(
    paragraphs: usize,
    own: &Sighting,
    sources: &[StoredArticle],
    passages: &[lede_dedup::Passage],
    reused_by: &[TraceReuse],
) -> Vec<PassageHistory> {
    let mut before: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); paragraphs];
    for p in passages {
        if let Some(set) = before.get_mut(p.paragraph) {
            set.insert(p.source);
        }
    }
    // For each paragraph, the copies (indices into `reused_by`, oldest first) and whether
    // each is spun there.
    let mut copies: Vec<Vec<(usize, bool)>> = vec![Vec::new(); paragraphs];
    for (r, reuse) in reused_by.iter().enumerate() {
        for p in &reuse.passages {
            let Some(list) = copies.get_mut(p.paragraph) else { continue };
            match list.last_mut() {
                Some((last, spun)) if *last == r => *spun |= p.spun,
                _ => list.push((r, p.spun)),
            }
        }
    }
    before
        .into_iter()
        .zip(copies)
        .enumerate()
        .map(|(n, (before, copies))| {
            let mut outlets: Vec<String> = Vec::new();
            let carriers = before
                .iter()
                .map(|&i| sources[i].article.outlet.as_ref())
                .chain([own.outlet.as_ref()])
                .chain(copies.iter().map(|&(r, _)| reused_by[r].outlet.as_ref()));
            for outlet in carriers.flatten() {
                if !outlets.contains(outlet) {
                    outlets.push(outlet.clone());
                }
            }
            PassageHistory {
                paragraph: n,
                first_seen: before.first().map_or_else(|| own.clone(), |&i| sighting(&sources[i])),
                earlier: before.len(),
                copies: copies.len(),
                spun_copies: copies.iter().filter(|c| c.1).count(),
                outlets,
            }
        })
        .collect()
}

/// The stored articles most like each paragraph (by its rarest words, see
/// [`ReadBackend::similar_to`]), pooled over the article: a source gets
/// a paragraph's vote for each of the paragraph's best matches it is.
pub(crate) fn candidates<R: ReadBackend + ?Sized>(
    store: &mut R,
    article: &Article,
    stored: Option<&StoredArticle>,
) -> Result<Vec<ArticleSeq>> {
    let own = stored.map(|s| s.seq);
    let mut votes: HashMap<ArticleSeq, f32> = HashMap::new();
    // A paragraph repeated votes once (a page of one paragraph 25,000 times is one
    // query, not 25,000).
    let mut asked = HashSet::new();
    for paragraph in &article.paragraphs {
        if !asked.insert(paragraph.as_str()) {
            continue;
        }
        // One more than needed, since the article itself may come first.
        let hits = store.similar_to(paragraph, QUERY_WORDS, PER_PARAGRAPH + 1)?;
        let best = hits.iter().find(|(seq, _)| Some(*seq) != own).map_or(0.0, |h| h.1);
        for &(seq, score) in hits.iter().filter(|(seq, _)| Some(*seq) != own).take(PER_PARAGRAPH) {
            // Relative to the paragraph's best match, so that long paragraphs (high
            // scores) do not drown short ones.
            *votes.entry(seq).or_default() += score / best.max(f32::MIN_POSITIVE);
        }
    }
    let mut ranked: Vec<(ArticleSeq, f32)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let cap =
        (CANDIDATES_PER_PARAGRAPH * article.paragraphs.len()).clamp(MIN_CANDIDATES, MAX_CANDIDATES);
    Ok(ranked.into_iter().take(cap).map(|(seq, _)| seq).collect())
}

impl Library {
    /// Traces the stored article a key names; `None` if there is none.
    pub fn trace(&self, key: &str) -> Result<Option<TraceReport>> {
        self.with_reads(|r| trace(r, key))
    }

    /// Traces an article against the store. `stored` is the article's own record when it
    /// is in the store (it is then excluded, and "earlier" includes store order).
    pub fn trace_article(
        &self,
        article: &Article,
        stored: Option<&StoredArticle>,
    ) -> Result<TraceReport> {
        self.with_reads(|r| trace_article(r, article, stored))
    }

    /// Traces every stored article and gathers the spinner-like substitutions their reuse
    /// shows ([`lede_dedup::provenance::spin_like`]), most widespread first: the spinner's
    /// thesaurus, learned from the corpus. `progress(done, total)` is called now and then.
    pub fn learn_substitutions(&self, progress: &dyn Fn(u64, u64)) -> Result<Vec<LearnedPair>> {
        let store = self.store("learning a spinner's substitutions")?;
        let total = store.last_seq()?.0;
        let mut pairs: HashMap<(String, String), (usize, usize)> = HashMap::new();
        let mut done = 0;
        store.scan(ArticleSeq(0), 256, |a| -> Result<()> {
            let report =
                self.with_reads(|r| trace_with(r, &a.article, Some(&a), Direction::Backward))?;
            let mut seen = HashSet::new();
            for p in &report.passages {
                for s in p.substitutions.iter().filter(|s| lede_dedup::provenance::spin_like(s)) {
                    let key = (s.from.to_lowercase(), s.to.to_lowercase());
                    let entry = pairs.entry(key.clone()).or_default();
                    entry.0 += 1;
                    if seen.insert(key) {
                        entry.1 += 1;
                    }
                }
            }
            done += 1;
            if done % 256 == 0 {
                progress(done, total);
            }
            Ok(())
        })?;
        let mut out: Vec<LearnedPair> = pairs
            .into_iter()
            .map(|((from, to), (count, articles))| LearnedPair { from, to, count, articles })
            .collect();
        out.sort_by(|a, b| {
            b.articles.cmp(&a.articles).then(b.count.cmp(&a.count)).then(a.from.cmp(&b.from))
        });
        Ok(out)
    }

    /// Groups the stored articles into near-duplicate groups, largest first (see
    /// [`find_dups`]).
    pub fn dups(&self, options: &DupsOptions) -> Result<Dups> {
        find_dups(&mut self.store("near-duplicate groups")?, options)
    }
}

/// Groups the stored articles of `store` (the embedded store, or cluster mode's
/// PostgreSQL) into near-duplicate groups, largest first. Articles whose stored sketch is
/// damaged are left out of the groups and listed in [`Dups::damaged`], each error naming
/// the article.
pub fn find_dups<S: DupsBackend>(store: &mut S, options: &DupsOptions) -> Result<Dups> {
    let mut seqs = Vec::new();
    let mut docs = Vec::new();
    let mut damaged_seqs = Vec::new();
    store.each_sketch(&mut |s| match Sketch::from_bytes(s.bytes) {
        Ok(sketch) => {
            seqs.push(s.seq);
            docs.push(Doc { sketch, time: s.published_ts });
        }
        Err(e) => damaged_seqs.push((s.seq, e)),
    })?;
    let damaged =
        damaged_seqs.into_iter().map(|(seq, e)| store.damaged_blob(seq, "sketch", &e)).collect();
    let threshold = options.threshold.unwrap_or(0.5);
    let group_options =
        dups::Options { threshold, window: options.window_days.map(|d| i64::from(d) * 86_400) };
    let mut failure = None;
    let groups = dups::groups(&docs, &group_options, |i, j, estimate| {
        dups::decide(estimate, threshold, || match store.articles_of(&[seqs[i], seqs[j]]) {
            Ok(pair) if pair.len() == 2 => {
                let words = |a: &StoredArticle| -> Vec<u64> {
                    lede_text::words::words(&a.article.paragraphs.join("\n"))
                        .iter()
                        .map(|w| w.hash)
                        .collect()
                };
                dups::cover_of_longer(&words(&pair[0]), &words(&pair[1]), dups::VERIFY_WORDS)
            }
            Ok(_) => 0.0,
            Err(e) => {
                failure.get_or_insert(e);
                0.0
            }
        })
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    // An article read from several records (the same text exactly) is a group of its
    // own when no near-duplicate joined it.
    let grouped: HashSet<ArticleSeq> =
        groups.iter().flat_map(|g| g.members.iter().map(|&i| seqs[i])).collect();
    let exact: Vec<Vec<ArticleSeq>> = store
        .exact_copies_of()?
        .into_iter()
        .filter(|seq| !grouped.contains(seq))
        .map(|seq| vec![seq])
        .collect();
    let near =
        groups.into_iter().map(|g| (g.members.iter().map(|&i| seqs[i]).collect(), g.similarity));
    let mut out = Vec::new();
    for (members, similarity) in near.chain(exact.into_iter().map(|m| (m, 1.0))) {
        let members: Vec<ArticleSeq> = members;
        let mut stored = store.articles_of(&members)?;
        stored.sort_by_key(|c| (c.article.published.as_ref().map(|p| p.at.unix_seconds()), c.seq));
        let mut members = Vec::with_capacity(stored.len());
        for s in &stored {
            members.push(DupMember {
                id: s.id.to_string(),
                record_id: s.source_id.clone(),
                record_ids: store.record_ids_of(&s.id)?,
                title: s.article.title.clone(),
                outlet: s.article.outlet.clone(),
                published: s.article.published.as_ref().map(|p| p.at.to_string()),
            });
        }
        out.push(DupGroup {
            ids: stored.iter().map(|s| s.id.to_string()).collect(),
            similarity,
            members,
        });
    }
    out.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.ids.cmp(&b.ids)));
    Ok(Dups { groups: out, damaged })
}
