//! `lede outlets` and `lede authors`: the outlet copy network and its bylines (issue 16).
//!
//! The data: a first pass reads every stored article's outlet, bylines and date into a
//! small record ([`Meta`]: outlet and bylines as numbers into name tables, so an outlet
//! with 100,000 articles costs its name once). A second pass traces each article (or an
//! even sample of them, [`NetworkOptions::sample`]) backwards as `lede trace` does: the
//! same candidate lookup and `lede_dedup::trace`'s alignment, but not the search for later
//! copies, which would cost up to 128 alignments more an article (`MAX_REUSERS`) and
//! finds the same edges from their other end. Each earlier source that supplies a part of
//! the article ([`lede_dedup::Share::supplies`]) and belongs to another outlet adds to the
//! copy edge *copier -> source outlet* ([`CopyEdge`]): its words, its lag, and whether the
//! passages it took carry a spinner's swaps (their [`lede_dedup::spin_score`] reaches
//! [`lede_dedup::provenance::SPUN_SCORE`]), or the source article is itself spun: a farm
//! that republishes another farm's spun copy takes its text without swaps against that
//! copy (the alignment credits the swapped sentences to the first copy and the others to
//! the original), and is spinning all the same. A source from the article's own outlet is
//! the outlet republishing itself, not reuse from others, and is left out. Each edge keeps
//! a few of its copy pairs ([`CopyEdge::pairs`]) as its evidence.
//!
//! Attribution: the alignment credits each sentence to the source it matches best, so
//! that a farm's copy of a wire story, spun with a thesaurus, matches another farm's
//! earlier copy word for word wherever the two made the same swap, while a republisher
//! of a spun copy has its unswapped sentences credited to the original. Of two supplying
//! sources one of which copies the other, the article is credited to the one it is
//! closer to (fewer changes a matched word, aligned with each alone; a tie to the
//! earlier): a second spinner of the original is closer to the original, a republisher of
//! the copy to the copy.
//! An article whose reuse, its attributed quotations aside, stays under the share at
//! which `lede trace` calls it original ([`lede_dedup::provenance::MIN_REUSE`]: a press
//! office's boilerplate, a stock phrase) adds no edge.
//!
//! Cost: the first pass reads each article once; the second costs what `lede trace`'s
//! backward half costs an article (an index query per distinct paragraph, then reading and
//! aligning up to 48-1,024 candidates): 1.3 ms an article on the bundled sample (2,684
//! articles in 3.5 s, release build, two shared cores; README, "The outlet copy network").
//! The attribution below costs up to three alignments more for each pair of supplying
//! sources, only when two or more supply an article: on a sample of 5,000 of the 52,060
//! press releases 9.9 s against 9.1 s at 973a128, before it (bench/README.md, "Outlet
//! networks").
//! Memory: the per-article records, plus one entry per reuse found (and its copy pair);
//! never the texts of more than one batch.
//!
//! # Groups
//!
//! What it detects: outlets that republish each other's spun copies, or spin the same
//! source articles, the way one content farm's sites do.
//!
//! Signals: two outlets that spun copies (spinners) are linked by each source article
//! both spun and by each spun copy one took from the other. A link counts when it has at
//! least [`MIN_GROUP_LINK`]; its strength is that count over the geometric mean of the
//! two outlets' spun copies, at most 1. Groups are average-linkage clusters of the
//! spinners: the two clusters whose strengths average the most over all their pairs of
//! members merge while that average is at least [`MIN_GROUP_STRENGTH`], so one strong
//! link between two farms does not make them one group, as connected components did.
//! A spinner left out then joins the group that shares at least [`MIN_GROUP_LINK`] and
//! [`MIN_GROUP_STRENGTH`] of its own spun copies: a small site beside big siblings,
//! whose links are weak against their counts ([`SpinGroup::weakest_link`] is the least
//! average or share at which a group's parts joined). The strength keeps apart farms
//! that spin the same popular wire stories (a few shared sources out of many spun copies
//! each), and outlets a few wrong `spun` verdicts link: on the 52,060 press releases of
//! 157 offices, the raw count alone put 129 offices in one group. Its score is the share
//! of its members' spun copies that another member shares (the same source spun by
//! another member, or a member's spun copy respun). The evidence: the shared spun
//! sources, the spinner's swaps two or more members make, the bylines two or more members
//! print, how soon they copy and how close together.
//!
//! Quotations are not copies: a share whose passages stand mostly between quotation marks
//! in a paragraph that names an outlet among the article's candidate sources ("...," the
//! Wire reported) adds no edge, whichever outlet's article the alignment credits.
//!
//! Measured (bench/network.sh, README there): on generated networks of wires, honest
//! outlets and 3-4 farms, every farm is its own group and no wire or honest outlet is a
//! member (ARI 1.0 on the tuning and the report network); copy edges are all found, and
//! about three in four found are in the truth (precision 0.74 on the tuning network): the
//! rest are mostly one press office's releases at two outlets sharing 20-70 words, and
//! two farms' identical spins of one release.
//!
//! Known failures: a farm that spins each source once, with no other member spinning it,
//! stays apart; two farms whose members are linked strongly pair by pair are one group;
//! two farms that spin one source into the same text (a release in another language,
//! whose few English words both thesauri swap alike) are linked as copier and source;
//! press offices' joint releases, reworded a little, read as spun copies; an exact copy (the same headline and text) is the same
//! article to the store, stored once under the first outlet that carried it, so verbatim
//! republication under the same headline is invisible here; shared page templates are not
//! read (the store keeps the text, not the page); articles with no outlet name are pooled
//! under [`NO_OUTLET`], so that one of them copying another counts as an outlet
//! republishing itself, not as reuse.
//!
//! Example: two sites that both run the same three wire stories with "said" made "stated"
//! form a group of score 1 with the wire outlet among its sources, not its members.

use crate::Result;
use crate::provenance::{candidates, earlier};
use lede_core::ArticleSeq;
use lede_dedup::{Passage, Verdict};
use lede_store::{ReadBackend, StoredArticle};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The outlet name of articles stored without one.
pub const NO_OUTLET: &str = "(no outlet)";
/// A byline longer than this many characters is not a name (a sentence, a bio, a
/// dateline read as a byline) and is left out and counted...
pub const MAX_BYLINE_CHARS: usize = 64;
/// ...as is one of more than this many words.
pub const MAX_BYLINE_WORDS: usize = 6;
/// Bylines read an article: a page listing 500 "authors" is not 500 authors.
const BYLINES_PER_ARTICLE: usize = 8;
/// Articles read from the store at a time in the first pass...
const SCAN_BATCH: usize = 256;
/// ...and traced at a time in the second (their texts held together).
const TRACE_BATCH: usize = 32;
/// Shared spun sources (and spun copies between them) that link two spinners into a
/// group: one could be two outlets that ran the same wire story through a spinner each,
/// or one wrong `spun` verdict.
pub const MIN_GROUP_LINK: u64 = 2;
/// The least average link strength at which two clusters of spinners merge into a group
/// (a link's count over the geometric mean of the two outlets' spun copies, at most 1),
/// and the least share of a left-out spinner's spun copies that attach it to a group.
/// Chosen on bench/network.sh's tuning network (seed 1601) with links alone: inside a
/// farm 0.56-0.74, across farms 0.06-0.24 (popular wire stories that several farms spin);
/// the middle of that gap, rounded.
pub const MIN_GROUP_STRENGTH: f64 = 0.4;
/// The copiers of one source paired for group links: a source spun by thousands of
/// outlets links its first 64 (by outlet number), so that it costs 2,016 pairs at most.
const MAX_PAIRED: usize = 64;
/// A byline's or an outlet's text is mostly reused from at least this share of its words
/// from other outlets.
pub const MOSTLY_REUSED: f64 = 0.5;
/// Entries listed per outlet, group or byline (sources, bylines, examples).
const LISTED: usize = 10;
/// Copy pairs listed per edge.
pub const EDGE_PAIRS: usize = 3;
/// Seconds in a day, for lags.
const DAY: f64 = 86_400.0;

/// What `lede outlets` and `lede authors` trace.
#[derive(Debug, Clone, Copy, Default)]
pub struct NetworkOptions {
    /// Trace at most this many articles, spread evenly over the store (every k-th in
    /// storage order); `None` traces them all. Counts of articles and bylines are always
    /// over the whole store; shares of reused text over the traced articles.
    pub sample: Option<usize>,
}

/// The outlet network and the bylines of one pass over a store.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkReport {
    /// The outlets, the copy edges and the groups.
    pub network: Network,
    /// The bylines and their flags.
    pub authors: Authors,
}

/// The outlet copy network (`lede outlets --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    /// Articles stored.
    pub articles: u64,
    /// Articles traced (all of them, unless sampled).
    pub traced: u64,
    /// The outlets, most articles first ([`NO_OUTLET`] for articles without a name).
    pub outlets: Vec<OutletStats>,
    /// Who copies whom, most words first.
    pub edges: Vec<CopyEdge>,
    /// Outlets that republish each other's spun copies, highest score first.
    pub groups: Vec<SpinGroup>,
}

/// One outlet's place in the network.
#[derive(Debug, Clone, Serialize)]
pub struct OutletStats {
    /// Its name.
    pub name: String,
    /// Its stored articles.
    pub articles: u64,
    /// Those traced.
    pub traced: u64,
    /// Words in the traced articles.
    pub words: u64,
    /// Of those, words taken from other outlets' earlier articles.
    pub reused_words: u64,
    /// `reused_words / words`.
    pub reused_share: f64,
    /// The outlets it takes from, most words first, with the share of its words each gives.
    pub from: Vec<OutletShare>,
    /// Median days between a source's publication and its copy here (dated pairs only).
    pub median_lag_days: Option<f64>,
    /// Its articles that some other outlet's traced article reuses.
    pub reused_by_others: u64,
    /// `reused_by_others / articles`.
    pub reused_by_others_share: f64,
    /// Traced articles that are spun: verdict `spun`, a spun copy of another outlet's
    /// text, or a copy of a spun copy.
    pub spun_articles: u64,
    /// `spun_articles / traced`.
    pub spin_rate: f64,
    /// Share of `reused_words` in copies that carry a spinner's swaps.
    pub spun_word_share: f64,
    /// Its bylines, most articles first (at most ten).
    pub bylines: Vec<NameCount>,
    /// How many distinct bylines it prints.
    pub byline_count: usize,
    /// The group it belongs to (index into [`Network::groups`]).
    pub group: Option<usize>,
}

/// An outlet and the share of another outlet's words it supplies.
#[derive(Debug, Clone, Serialize)]
pub struct OutletShare {
    /// The outlet.
    pub outlet: String,
    /// The words it supplies.
    pub words: u64,
    /// Those words' share of the copier's traced words.
    pub share: f64,
}

/// A name and how many articles carry it.
#[derive(Debug, Clone, Serialize)]
pub struct NameCount {
    /// The name.
    pub name: String,
    /// Articles.
    pub articles: u64,
}

/// Copies from one outlet into another.
#[derive(Debug, Clone, Serialize)]
pub struct CopyEdge {
    /// The outlet whose articles reuse.
    pub copier: String,
    /// The outlet whose earlier articles they reuse.
    pub source: String,
    /// The copier's traced articles that reuse the source outlet's.
    pub articles: u64,
    /// Words of theirs taken from it.
    pub words: u64,
    /// Median days from the source article to the copy (dated pairs only).
    pub median_lag_days: Option<f64>,
    /// Of `articles`, those whose copy carries a spinner's swaps or republishes a spun
    /// article.
    pub spun_articles: u64,
    /// `spun_articles / articles`.
    pub spun_share: f64,
    /// Some of the copies behind it (at most [`EDGE_PAIRS`]), most words first.
    pub pairs: Vec<CopyPair>,
}

/// One copying article and the source article it reuses.
#[derive(Debug, Clone, Serialize)]
pub struct CopyPair {
    /// The copy.
    pub copy: ArticleRef,
    /// The article it reuses.
    pub source: ArticleRef,
    /// Words of the copy credited to the source.
    pub words: u64,
    /// Whether the copy carries a spinner's swaps or republishes a spun article.
    pub spun: bool,
}

/// A stored article, as the network names it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    /// Its article id.
    pub id: String,
    /// Its record id, if any.
    pub record_id: Option<String>,
    /// Its headline.
    pub title: Option<String>,
}

/// Outlets that republish each other's spun copies.
#[derive(Debug, Clone, Serialize)]
pub struct SpinGroup {
    /// Its outlets, most spun copies first.
    pub outlets: Vec<String>,
    /// Share of the members' spun copies that another member shares (spun the same
    /// source, republished the copy, or is the copy's source), in [0, 1].
    pub score: f64,
    /// The members' spun copies (a copying article and one source outlet's article).
    pub spun_copies: u64,
    /// Source articles that two or more members spun, or a member's that another respun.
    pub shared_spun_sources: u64,
    /// Some of them, most members first.
    pub examples: Vec<SharedSpin>,
    /// The outlets the members spin from most (members included), most spun copies first.
    pub spun_from: Vec<NameCount>,
    /// Spinner's swaps two or more members print (made, or republished from a spun
    /// copy), most members first.
    pub shared_swaps: Vec<SharedSwap>,
    /// Bylines two or more members print.
    pub shared_bylines: Vec<String>,
    /// Median days from a source to a member's spun copy of it.
    pub median_lag_days: Option<f64>,
    /// Median days between the first and the last member to carry a shared spun text.
    pub median_spread_days: Option<f64>,
    /// The least strength at which its parts joined, in [0, 1]: the average link strength
    /// between two clusters when they merged (a link's shared spun sources and spun copies
    /// between the two, over the geometric mean of their spun copies, at most 1), or the
    /// share of a member's spun copies the group shared when it was attached; at least
    /// [`MIN_GROUP_STRENGTH`].
    pub weakest_link: f64,
}

/// A source article spun by several members of a group.
#[derive(Debug, Clone, Serialize)]
pub struct SharedSpin {
    /// The source's article id.
    pub id: String,
    /// Its record id, if any.
    pub record_id: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: String,
    /// The members that carry spun copies of it.
    pub spun_by: Vec<String>,
}

/// A spinner's swap made by several outlets.
#[derive(Debug, Clone, Serialize)]
pub struct SharedSwap {
    /// The source's words.
    pub from: String,
    /// The copy's.
    pub to: String,
    /// The members that make it.
    pub outlets: Vec<String>,
    /// Times they make it, over their spun copies.
    pub count: u64,
}

/// The bylines (`lede authors --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Authors {
    /// Articles stored.
    pub articles: u64,
    /// Articles traced.
    pub traced: u64,
    /// Articles with no byline.
    pub unsigned: u64,
    /// Bylines left out as too long to be a name ([`MAX_BYLINE_CHARS`],
    /// [`MAX_BYLINE_WORDS`]), or past the eighth on one article.
    pub bylines_ignored: u64,
    /// The bylines, most articles first.
    pub bylines: Vec<BylineStats>,
    /// Outlets whose bylines appear at no other outlet while their text is mostly reused
    /// from others.
    pub exclusive_bylines_mostly_reused: Vec<OutletFlag>,
}

/// One byline across the store.
#[derive(Debug, Clone, Serialize)]
pub struct BylineStats {
    /// The name, as first seen.
    pub name: String,
    /// Articles that carry it.
    pub articles: u64,
    /// The outlets that print it, most articles first.
    pub outlets: Vec<NameCount>,
    /// Its traced articles.
    pub traced: u64,
    /// Words in them.
    pub words: u64,
    /// Of those, words taken from other outlets' earlier articles.
    pub reused_words: u64,
    /// `reused_words / words` (0 when none traced).
    pub reused_share: f64,
    /// What is unusual about it.
    pub flags: Vec<BylineFlag>,
    /// For [`BylineFlag::AcrossUnrelatedOutlets`]: pairs of its outlets with no copy edge
    /// either way (at most ten).
    pub unrelated_outlets: Vec<[String; 2]>,
}

/// What is unusual about a byline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BylineFlag {
    /// It appears at two outlets with no copy edge between them.
    AcrossUnrelatedOutlets,
    /// It appears at one outlet only, over text mostly taken from other outlets.
    BorrowedText,
}

/// An outlet whose bylines appear nowhere else while its text is mostly reused.
#[derive(Debug, Clone, Serialize)]
pub struct OutletFlag {
    /// The outlet.
    pub outlet: String,
    /// Its bylines (at most ten).
    pub bylines: Vec<String>,
    /// Share of its traced words taken from other outlets.
    pub reused_share: f64,
    /// The outlets it takes from, most words first.
    pub from: Vec<String>,
}

/// A name table: each distinct name once, numbered in order of first sight.
#[derive(Default)]
struct Names {
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    /// The number of `key`, adding it (shown as `shown`) when new. Of the forms a key is
    /// written in, the one shown is a mixed-case one ("Cecelia Webb" over "cecelia webb"
    /// and "CECELIA WEBB"), then the one with more capitals, then the first in byte
    /// order: the same whatever order the store gives the articles in (cluster mode's
    /// workers store them in another order than an embedded ingest).
    fn id(&mut self, key: &str, shown: &str) -> u32 {
        if let Some(&id) = self.index.get(key) {
            let current = &mut self.names[id as usize];
            let rank = |s: &str| {
                let upper = s.chars().filter(|c| c.is_uppercase()).count();
                let mixed = upper > 0 && s.chars().any(char::is_lowercase);
                (std::cmp::Reverse(mixed), std::cmp::Reverse(upper))
            };
            if (rank(shown), shown) < (rank(current), current.as_str()) {
                shown.clone_into(current);
            }
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 4 billion names");
        self.index.insert(key.to_owned(), id);
        self.names.push(shown.to_owned());
        id
    }
}

/// What the first pass keeps of an article.
struct Meta {
    seq: ArticleSeq,
    outlet: u32,
    /// Publication time in Unix seconds.
    ts: Option<i64>,
    bylines: Vec<u32>,
}

/// A byline as a name: trimmed, "By " dropped, spaces collapsed; `Err` when it is too
/// long to be one, `Ok(None)` when empty.
fn byline(raw: &str) -> std::result::Result<Option<String>, ()> {
    let mut name = raw.trim();
    if name.len() > 3 && name[..3].eq_ignore_ascii_case("by ") {
        name = name[3..].trim_start();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() {
        return Ok(None);
    }
    let joined = words.join(" ");
    if words.len() > MAX_BYLINE_WORDS || joined.chars().count() > MAX_BYLINE_CHARS {
        return Err(());
    }
    Ok(Some(joined))
}

fn outlet_id(outlets: &mut Names, outlet: Option<&str>) -> u32 {
    let name = outlet.map(str::trim).filter(|o| !o.is_empty()).unwrap_or(NO_OUTLET);
    outlets.id(name, name)
}

fn published(a: &StoredArticle) -> Option<i64> {
    a.article.published.as_ref().map(|p| p.at.unix_seconds())
}

/// Per outlet, while tracing.
#[derive(Default)]
struct OutletAcc {
    articles: u64,
    traced: u64,
    words: u64,
    reused_words: u64,
    lags: Vec<f64>,
    /// Words taken, by source outlet.
    from: BTreeMap<u32, u64>,
    bylines: BTreeMap<u32, u64>,
    /// Filled in once every article is traced ([`resolve`]): its spun articles, the words
    /// of its spun copies, and the spinner's swaps (lowercased) in them.
    spun_articles: u64,
    spun_words: u64,
    swaps: BTreeMap<(String, String), u64>,
}

/// Per copy edge, while tracing.
#[derive(Default)]
struct EdgeAcc {
    articles: u64,
    words: u64,
    /// Filled in by [`resolve`].
    spun_articles: u64,
    lags: Vec<f64>,
    /// Its copies: words, the copy, its source, whether the copy made a spinner's swaps.
    pairs: Vec<(u64, ArticleSeq, ArticleSeq, bool)>,
}

/// Per byline, while tracing.
#[derive(Default)]
struct BylineAcc {
    articles: u64,
    outlets: BTreeMap<u32, u64>,
    traced: u64,
    words: u64,
    reused_words: u64,
}

/// A spinner's swap (source words, copy words, lowercased) and how often a copy makes it.
type Swap = ((String, String), u64);

/// One traced article's reuse of one other outlet's article.
struct Reuse {
    copier: ArticleSeq,
    copier_outlet: u32,
    copier_ts: Option<i64>,
    source: ArticleSeq,
    source_outlet: u32,
    words: u64,
    /// Whether the passages taken carry a spinner's swaps.
    direct_spun: bool,
    /// Those swaps, when they do.
    swaps: Vec<Swap>,
}

/// What the groups' evidence says of a reused article.
struct SourceInfo {
    id: String,
    record_id: Option<String>,
    title: Option<String>,
    ts: Option<i64>,
}

/// A source article some traced article spun, or republished as spun.
struct SpunSource {
    outlet: u32,
    /// The spun copies: the copier, its outlet and publication time.
    copies: Vec<(ArticleSeq, u32, Option<i64>)>,
}

/// Everything one pass gathers.
#[derive(Default)]
struct Gather {
    outlets: Names,
    bylines: Names,
    outlet_acc: Vec<OutletAcc>,
    byline_acc: Vec<BylineAcc>,
    edges: BTreeMap<(u32, u32), EdgeAcc>,
    reuses: Vec<Reuse>,
    /// The reused articles, with their outlet.
    sources: BTreeMap<ArticleSeq, (u32, SourceInfo)>,
    /// The reusing articles.
    copies: BTreeMap<ArticleSeq, SourceInfo>,
    /// Traced articles that are spun (verdict `spun`, or a spun copy of another outlet's
    /// text), with their outlet.
    spun_articles: BTreeMap<ArticleSeq, u32>,
    /// Filled in by [`resolve`]: the spun source articles and their spun copies.
    spun: BTreeMap<ArticleSeq, SpunSource>,
    unsigned: u64,
    bylines_ignored: u64,
}

/// Builds the outlet network and the byline report of a store (see the module's
/// documentation); `progress(done, total)` is called after each batch traced.
pub fn outlet_network<R: ReadBackend + ?Sized>(
    store: &mut R,
    options: &NetworkOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<NetworkReport> {
    let mut g = Gather::default();
    let mut metas: Vec<Meta> = Vec::new();
    store.scan(ArticleSeq(0), SCAN_BATCH, &mut |a| {
        let outlet = outlet_id(&mut g.outlets, a.article.outlet.as_deref());
        let mut bylines = Vec::new();
        for raw in &a.article.authors {
            match byline(raw) {
                Ok(Some(name)) if bylines.len() < BYLINES_PER_ARTICLE => {
                    let id = g.bylines.id(&name.to_lowercase(), &name);
                    if !bylines.contains(&id) {
                        bylines.push(id);
                    }
                }
                Ok(None) => {}
                Ok(Some(_)) | Err(()) => g.bylines_ignored += 1,
            }
        }
        if bylines.is_empty() {
            g.unsigned += 1;
        }
        metas.push(Meta { seq: a.seq, outlet, ts: published(&a), bylines });
        Ok(())
    })?;
    g.outlet_acc.resize_with(g.outlets.names.len(), OutletAcc::default);
    g.byline_acc.resize_with(g.bylines.names.len(), BylineAcc::default);
    for m in &metas {
        g.outlet_acc[m.outlet as usize].articles += 1;
        for &b in &m.bylines {
            let acc = &mut g.byline_acc[b as usize];
            acc.articles += 1;
            *acc.outlets.entry(m.outlet).or_default() += 1;
            *g.outlet_acc[m.outlet as usize].bylines.entry(b).or_default() += 1;
        }
    }
    // An even sample: every k-th article, so that every period of the store is seen.
    let chosen: Vec<usize> = match options.sample {
        Some(n) if n < metas.len() => (0..n).map(|i| i * metas.len() / n).collect(),
        _ => (0..metas.len()).collect(),
    };
    let total = chosen.len() as u64;
    let mut done = 0;
    for batch in chosen.chunks(TRACE_BATCH) {
        let seqs: Vec<ArticleSeq> = batch.iter().map(|&i| metas[i].seq).collect();
        let articles = store.by_seqs(&seqs)?;
        for (a, &i) in articles.iter().zip(batch) {
            debug_assert_eq!(a.seq, metas[i].seq, "by_seqs keeps the order asked");
            trace_one(store, &mut g, a, &metas[i])?;
        }
        done += batch.len() as u64;
        progress(done, total);
    }
    resolve(&mut g);
    Ok(assemble(g, metas.len() as u64, total))
}

/// Traces one article backwards and adds what it reuses to the tallies.
fn trace_one<R: ReadBackend + ?Sized>(
    store: &mut R,
    g: &mut Gather,
    a: &StoredArticle,
    meta: &Meta,
) -> Result<()> {
    let found = candidates(store, &a.article, Some(a))?;
    let mut sources: Vec<StoredArticle> = store
        .by_seqs(&found)?
        .into_iter()
        .filter(|c| c.id != a.id && earlier(c, meta.ts, Some(a.seq)))
        .collect();
    sources.sort_by_key(|c| (published(c), c.seq));
    let texts: Vec<&[String]> = sources.iter().map(|s| s.article.paragraphs.as_slice()).collect();
    let provenance = lede_dedup::trace(&a.article.paragraphs, &texts);
    let words = provenance.words as u64;
    let mut reused_words = 0;
    let mut spun = provenance.verdict == Verdict::Spun;
    // An article `lede trace` calls original (under a tenth of it reused: a stock phrase,
    // a press office's boilerplate) adds no edge, whatever its few shared words.
    let credited = if provenance.verdict == Verdict::Original {
        Vec::new()
    } else {
        credits(&a.article.paragraphs, &sources, &provenance)
    };
    // The outlets a quotation may name: those of the candidates, the article's own aside.
    let mut named: Vec<&str> = sources
        .iter()
        .filter_map(|s| s.article.outlet.as_deref().map(str::trim))
        .filter(|o| !o.is_empty() && Some(*o) != a.article.outlet.as_deref().map(str::trim))
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut copied: Vec<(usize, Vec<Passage>, u64)> = Vec::new();
    for (source, taken, share_words) in credited {
        let passages: Vec<Passage> =
            provenance.passages.iter().filter(|p| taken.contains(&p.source)).cloned().collect();
        if passages.iter().all(|p| {
            a.article.paragraphs.get(p.paragraph).is_some_and(|t| quoted(t, p.start, p.end, &named))
        }) {
            // Quoted and attributed in the article's own text: a quotation, not a copy,
            // whichever outlet's article the alignment credits (another that carries the
            // quoted sentence may be credited with it).
            continue;
        }
        copied.push((source, passages, share_words));
    }
    // Without its quotations, an article whose reuse is under the share that makes
    // `lede trace` call it original (boilerplate beside an attributed quote) adds none.
    let copied_words: u64 = copied.iter().map(|c| c.2).sum();
    if (copied_words as f64) < lede_dedup::provenance::MIN_REUSE * words as f64 {
        copied.clear();
    }
    for (source, passages, share_words) in copied {
        let s = &sources[source];
        let source_outlet = outlet_id(&mut g.outlets, s.article.outlet.as_deref());
        if source_outlet == meta.outlet || source_outlet as usize >= g.outlet_acc.len() {
            // Its own outlet's article (republishing itself), or one stored since the
            // first pass began.
            continue;
        }
        let (score, evidence) = lede_dedup::spin_score(&passages);
        let direct_spun = score >= lede_dedup::provenance::SPUN_SCORE;
        spun |= direct_spun;
        reused_words += share_words;
        let lag = meta.ts.zip(published(s)).map(|(c, s)| (c - s) as f64 / DAY);
        let edge = g.edges.entry((meta.outlet, source_outlet)).or_default();
        edge.articles += 1;
        edge.words += share_words;
        edge.lags.extend(lag);
        edge.pairs.push((share_words, a.seq, s.seq, direct_spun));
        g.copies.entry(a.seq).or_insert_with(|| SourceInfo {
            id: a.id.to_string(),
            record_id: a.source_id.clone(),
            title: a.article.title.clone(),
            ts: meta.ts,
        });
        let acc = &mut g.outlet_acc[meta.outlet as usize];
        *acc.from.entry(source_outlet).or_default() += share_words;
        acc.lags.extend(lag);
        g.sources.entry(s.seq).or_insert_with(|| {
            let info = SourceInfo {
                id: s.id.to_string(),
                record_id: s.source_id.clone(),
                title: s.article.title.clone(),
                ts: published(s),
            };
            (source_outlet, info)
        });
        let swaps = if direct_spun {
            evidence
                .into_iter()
                .map(|e| {
                    let key =
                        (e.substitution.from.to_lowercase(), e.substitution.to.to_lowercase());
                    (key, e.occurrences as u64)
                })
                .collect()
        } else {
            Vec::new()
        };
        g.reuses.push(Reuse {
            copier: a.seq,
            copier_outlet: meta.outlet,
            copier_ts: meta.ts,
            source: s.seq,
            source_outlet,
            words: share_words,
            direct_spun,
            swaps,
        });
    }
    if spun {
        g.spun_articles.insert(a.seq, meta.outlet);
    }
    let acc = &mut g.outlet_acc[meta.outlet as usize];
    acc.traced += 1;
    acc.words += words;
    acc.reused_words += reused_words;
    for &b in &meta.bylines {
        let acc = &mut g.byline_acc[b as usize];
        acc.traced += 1;
        acc.words += words;
        acc.reused_words += reused_words;
    }
    Ok(())
}

/// The sources that supply the article (by [`lede_dedup::Share::supplies`]), each with
/// the sources whose passages it is credited with (itself, and those folded into it) and
/// their words.
///
/// Of a supplying source that copies an earlier supplying one and that earlier one, the
/// one the article is farther from is folded into the other ([`closer`]): a second
/// spinner of the original coincides with the copy only where the two made the same swap
/// of the same sentence (two farms that spin one wire story with the same thesaurus), and
/// the alignment credits such sentences to the copy, which they match word for word; a
/// republisher of the copy has the copy's unswapped sentences credited to the original.
fn credits(
    article: &[String],
    sources: &[StoredArticle],
    provenance: &lede_dedup::Provenance,
) -> Vec<(usize, Vec<usize>, u64)> {
    let supplying: Vec<(usize, u64)> = provenance
        .sources
        .iter()
        .filter(|s| s.supplies())
        .map(|s| (s.source, s.words as u64))
        .collect();
    let mut folded: BTreeMap<usize, usize> = BTreeMap::new();
    if supplying.len() >= 2 {
        for &(copy, _) in &supplying {
            // Sources are in order of publication: the candidates are earlier.
            let earlier = supplying
                .iter()
                .map(|s| s.0)
                .filter(|&e| e < copy && sources[e].article.outlet != sources[copy].article.outlet);
            for e in earlier {
                match closer(article, &sources[copy], &sources[e]) {
                    Some(Ordering::Greater) => {
                        folded.insert(copy, e);
                        break;
                    }
                    // The article republishes the copy: the sentences the copy left as
                    // they were, which the alignment credits to the original, are the
                    // copy's too.
                    Some(Ordering::Less) => {
                        folded.entry(e).or_insert(copy);
                    }
                    _ => {}
                }
            }
        }
    }
    // A source folded into one that is folded in turn ends where the chain does (a chain
    // that comes back on itself is cut where it does).
    let home = |mut s: usize| {
        for _ in 0..supplying.len() {
            match folded.get(&s) {
                Some(&e) => s = e,
                None => break,
            }
        }
        s
    };
    let mut out: Vec<(usize, Vec<usize>, u64)> = Vec::new();
    for &(s, words) in &supplying {
        let h = home(s);
        match out.iter_mut().find(|o| o.0 == h) {
            Some(o) => {
                o.1.push(s);
                o.2 += words;
            }
            None => out.push((h, vec![s], words)),
        }
    }
    out
}

/// Whether an article is closer to `copy` or to the `original` it copies: `Less` when its
/// text, aligned with each alone, differs from the copy by fewer changes a matched word (a
/// republisher of the copy makes the copy's swaps), `Greater` when from the original (a
/// second spinner of the original makes its own, and differs from the copy by both
/// spinners' swaps; a tie goes to the earlier source too), `Equal` when it is the same
/// text as both; `None` when `copy` does not copy `original`, or the article shares no
/// text with one of them.
fn closer(article: &[String], copy: &StoredArticle, original: &StoredArticle) -> Option<Ordering> {
    let on = |source: &StoredArticle, text: &[String]| {
        lede_dedup::trace(text, &[source.article.paragraphs.as_slice()])
    };
    if !on(original, &copy.article.paragraphs).sources.iter().any(|s| s.supplies()) {
        return None;
    }
    // Changes per matched word, over the passages the alignment keeps.
    let rate = |t: &lede_dedup::Provenance| {
        let matched: usize = t.passages.iter().map(|p| p.matched).sum();
        let changes: usize = t.passages.iter().flat_map(|p| &p.occurrences).sum();
        (matched > 0).then(|| changes as f64 / matched as f64)
    };
    let (to_copy, to_original) = (rate(&on(copy, article))?, rate(&on(original, article))?);
    Some(if to_copy == 0.0 && to_original == 0.0 {
        Ordering::Equal
    } else if to_copy < to_original {
        Ordering::Less
    } else {
        Ordering::Greater
    })
}

/// Whether `paragraph[start..end]` is a quotation with attribution: at least half
/// of its bytes stand between quotation marks (curly ones, or straight ones taken in
/// pairs), and the paragraph names one of `outlets` (the outlet quoted) — "...," the Wire
/// reported. A farm's copy of a speaker's quote does not name the outlet it took it from.
fn quoted(paragraph: &str, start: usize, end: usize, outlets: &[&str]) -> bool {
    if end <= start || outlets.is_empty() {
        return false;
    }
    let mut inside = false;
    let mut quoted = 0;
    for (i, c) in paragraph.char_indices() {
        match c {
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            '"' => inside = !inside,
            _ if inside && (start..end).contains(&i) => quoted += c.len_utf8(),
            _ => {}
        }
    }
    if 2 * quoted < end - start {
        return false;
    }
    let lower = paragraph.to_lowercase();
    outlets.iter().any(|o| !o.trim().is_empty() && lower.contains(&o.trim().to_lowercase()))
}

/// Passes over the reuses that spread spin: a copy of a spun copy is spun too, although
/// the text it took carries no swaps against the copy it took it from (the swaps were the
/// first copier's, and the alignment credits the swapped passages to the first copy, the
/// rest to the original). A chain of republications longer than this is cut.
const SPREAD_PASSES: usize = 8;

/// Once every article is traced: which reuses are spun (their own swaps, or the source
/// is itself spun), and what that adds to the outlets, the edges and [`Gather::spun`].
fn resolve(g: &mut Gather) {
    for _ in 0..SPREAD_PASSES {
        let before = g.spun_articles.len();
        for r in &g.reuses {
            if g.spun_articles.contains_key(&r.source) {
                g.spun_articles.entry(r.copier).or_insert(r.copier_outlet);
            }
        }
        if g.spun_articles.len() == before {
            break;
        }
    }
    // The swaps each article made itself, for the copies that republish it.
    let mut own_swaps: BTreeMap<ArticleSeq, Vec<&Swap>> = BTreeMap::new();
    for r in g.reuses.iter().filter(|r| r.direct_spun) {
        own_swaps.entry(r.copier).or_default().extend(&r.swaps);
    }
    for r in &g.reuses {
        if !(r.direct_spun || g.spun_articles.contains_key(&r.source)) {
            continue;
        }
        if let Some(edge) = g.edges.get_mut(&(r.copier_outlet, r.source_outlet)) {
            edge.spun_articles += 1;
        }
        let acc = &mut g.outlet_acc[r.copier_outlet as usize];
        acc.spun_words += r.words;
        let inherited = if r.direct_spun { None } else { own_swaps.get(&r.source) };
        let swaps = r.swaps.iter().chain(inherited.into_iter().flatten().copied());
        for (swap, count) in swaps {
            *acc.swaps.entry(swap.clone()).or_default() += count;
        }
        g.spun
            .entry(r.source)
            .or_insert_with(|| SpunSource { outlet: r.source_outlet, copies: Vec::new() })
            .copies
            .push((r.copier, r.copier_outlet, r.copier_ts));
    }
    for &outlet in g.spun_articles.values() {
        g.outlet_acc[outlet as usize].spun_articles += 1;
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Turns the tallies into the report.
fn assemble(mut g: Gather, articles: u64, traced: u64) -> NetworkReport {
    let names = std::mem::take(&mut g.outlets.names);
    let name = |o: u32| names[o as usize].clone();
    let n = g.outlet_acc.len();
    let mut reused_by_others = vec![0u64; n];
    for (o, _) in g.sources.values() {
        reused_by_others[*o as usize] += 1;
    }
    let groups = groups(&g, &name);
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    for (i, group) in groups.iter().enumerate() {
        for o in &group.outlets {
            group_of.insert(o.clone(), i);
        }
    }
    let mut outlets: Vec<OutletStats> = g
        .outlet_acc
        .iter_mut()
        .enumerate()
        .map(|(o, acc)| {
            let mut from: Vec<(u32, u64)> = acc.from.iter().map(|(&s, &w)| (s, w)).collect();
            from.sort_by(|a, b| {
                b.1.cmp(&a.1).then_with(|| names[a.0 as usize].cmp(&names[b.0 as usize]))
            });
            let outlet_name = names[o].clone();
            OutletStats {
                group: group_of.get(&outlet_name).copied(),
                name: outlet_name,
                articles: acc.articles,
                traced: acc.traced,
                words: acc.words,
                reused_words: acc.reused_words,
                reused_share: ratio(acc.reused_words, acc.words),
                from: from
                    .iter()
                    .take(LISTED)
                    .map(|&(s, w)| OutletShare {
                        outlet: names[s as usize].clone(),
                        words: w,
                        share: ratio(w, acc.words),
                    })
                    .collect(),
                median_lag_days: median(&mut acc.lags),
                reused_by_others: reused_by_others[o],
                reused_by_others_share: ratio(reused_by_others[o], acc.articles),
                spun_articles: acc.spun_articles,
                spin_rate: ratio(acc.spun_articles, acc.traced),
                spun_word_share: ratio(acc.spun_words, acc.reused_words),
                bylines: top_names(&acc.bylines, &g.bylines.names),
                byline_count: acc.bylines.len(),
            }
        })
        .collect();
    outlets.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.name.cmp(&b.name)));
    let mut edges: Vec<CopyEdge> = g
        .edges
        .iter_mut()
        .map(|(&(c, s), e)| CopyEdge {
            copier: name(c),
            source: name(s),
            articles: e.articles,
            words: e.words,
            median_lag_days: median(&mut e.lags),
            spun_articles: e.spun_articles,
            spun_share: ratio(e.spun_articles, e.articles),
            pairs: {
                let reference = |info: Option<&SourceInfo>| ArticleRef {
                    id: info.map(|i| i.id.clone()).unwrap_or_default(),
                    record_id: info.and_then(|i| i.record_id.clone()),
                    title: info.and_then(|i| i.title.clone()),
                };
                let mut pairs: Vec<CopyPair> = e
                    .pairs
                    .iter()
                    .map(|&(words, copy, source, direct_spun)| CopyPair {
                        copy: reference(g.copies.get(&copy)),
                        source: reference(g.sources.get(&source).map(|s| &s.1)),
                        words,
                        spun: direct_spun || g.spun_articles.contains_key(&source),
                    })
                    .collect();
                // By article id, not sequence number: cluster mode stores in another order.
                pairs.sort_by(|a, b| {
                    b.words
                        .cmp(&a.words)
                        .then_with(|| a.copy.id.cmp(&b.copy.id))
                        .then_with(|| a.source.id.cmp(&b.source.id))
                });
                pairs.truncate(EDGE_PAIRS);
                pairs
            },
        })
        .collect();
    edges.sort_by(|a, b| {
        b.words
            .cmp(&a.words)
            .then_with(|| a.copier.cmp(&b.copier))
            .then_with(|| a.source.cmp(&b.source))
    });
    let authors = authors(&g, &names, articles, traced);
    NetworkReport { network: Network { articles, traced, outlets, edges, groups }, authors }
}

/// The ten names counted most, most first.
fn top_names(counts: &BTreeMap<u32, u64>, names: &[String]) -> Vec<NameCount> {
    let mut list: Vec<(u32, u64)> = counts.iter().map(|(&k, &v)| (k, v)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| names[a.0 as usize].cmp(&names[b.0 as usize])));
    list.iter()
        .take(LISTED)
        .map(|&(k, v)| NameCount { name: names[k as usize].clone(), articles: v })
        .collect()
}

/// The spin groups (see the module's documentation), highest score first.
fn groups(g: &Gather, name: &dyn Fn(u32) -> String) -> Vec<SpinGroup> {
    // Links between spinners: each source both spun, and each spun copy between them.
    let mut links: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let pair = |a: u32, b: u32| if a < b { (a, b) } else { (b, a) };
    let mut spinners: BTreeSet<u32> = BTreeSet::new();
    for source in g.spun.values() {
        let mut copiers: Vec<u32> = source.copies.iter().map(|c| c.1).collect();
        copiers.sort_unstable();
        copiers.dedup();
        spinners.extend(copiers.iter().copied());
        copiers.truncate(MAX_PAIRED);
        for (i, &a) in copiers.iter().enumerate() {
            for &b in &copiers[i + 1..] {
                *links.entry(pair(a, b)).or_default() += 1;
            }
        }
    }
    for (&(c, s), e) in &g.edges {
        if e.spun_articles > 0 && spinners.contains(&s) {
            *links.entry(pair(c, s)).or_default() += e.spun_articles;
        }
    }
    // Each spinner's spun copies: one per source article it spun.
    let mut spun_count: BTreeMap<u32, u64> = BTreeMap::new();
    for source in g.spun.values() {
        let mut copiers: Vec<u32> = source.copies.iter().map(|c| c.1).collect();
        copiers.sort_unstable();
        copiers.dedup();
        for c in copiers {
            *spun_count.entry(c).or_default() += 1;
        }
    }
    let spun_of = |o: u32| spun_count.get(&o).copied().unwrap_or(0).max(1) as f64;
    // A link's strength: its count over the geometric mean of the two outlets' spun copies
    // (at most 1: a spun copy one took from the other counts besides the source both
    // spun), so that two big spinners that happen to spin a few of the same popular
    // stories stay apart; a small site beside big siblings is attached afterwards, by its
    // own spun copies. (Over the smaller one's, tried first: 33 groups of 79 offices on the
    // 52,060 press releases, two offices with a couple of joint releases a group.) Outlets are numbered by name for the clustering, so that ties break the same
    // whatever order the store gave them in.
    let mut by_name: Vec<u32> = spinners.iter().copied().collect();
    by_name.sort_by_cached_key(|&o| name(o));
    let rank: BTreeMap<u32, usize> = by_name.iter().enumerate().map(|(i, &o)| (o, i)).collect();
    let ranked: Vec<(usize, usize, u64)> = links
        .iter()
        .filter_map(|(&(a, b), &w)| Some((*rank.get(&a)?, *rank.get(&b)?, w)))
        .collect();
    let linked: Vec<(usize, usize, f64)> = ranked
        .iter()
        .filter(|l| l.2 >= MIN_GROUP_LINK)
        .map(|&(a, b, w)| {
            (a, b, (w as f64 / (spun_of(by_name[a]) * spun_of(by_name[b])).sqrt()).min(1.0))
        })
        .collect();
    let mut clusters = average_linkage(by_name.len(), &linked, MIN_GROUP_STRENGTH);
    let sources: Vec<(Option<usize>, Vec<usize>)> = g
        .spun
        .values()
        .map(|source| {
            let mut copiers: Vec<usize> =
                source.copies.iter().filter_map(|c| rank.get(&c.1).copied()).collect();
            copiers.sort_unstable();
            copiers.dedup();
            (rank.get(&source.outlet).copied(), copiers)
        })
        .collect();
    attach(&mut clusters, &sources, &|i| spun_of(by_name[i]));
    let mut out: Vec<SpinGroup> = clusters
        .into_iter()
        .map(|(m, least)| {
            let members: BTreeSet<u32> = m.iter().map(|&i| by_name[i]).collect();
            SpinGroup { weakest_link: least, ..group(g, &members, name) }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.spun_copies.cmp(&a.spun_copies))
            .then_with(|| a.outlets.cmp(&b.outlets))
    });
    out
}

/// Average-linkage clustering of `n` items by the strengths of `links` (pairs of items;
/// a missing pair is 0): the two clusters whose links average the most over all their
/// pairs of members merge, while that average is at least `threshold`. One strong link
/// does not join two clusters whose other members are not linked (single linkage, the
/// connected components, would). Returns the clusters of two or more, each with the least
/// average at which its parts merged. Each merge scans the links between clusters:
/// O(merges x links).
fn average_linkage(
    n: usize,
    links: &[(usize, usize, f64)],
    threshold: f64,
) -> Vec<(Vec<usize>, f64)> {
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut least = vec![f64::INFINITY; n];
    // Summed strength between clusters (by their first item), the smaller first.
    let mut sums: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(a, b, s) in links {
        if a != b && a < n && b < n {
            *sums.entry((a.min(b), a.max(b))).or_default() += s;
        }
    }
    loop {
        let best = sums
            .iter()
            .map(|(&(a, b), &s)| (s / (members[a].len() * members[b].len()) as f64, a, b))
            .filter(|&(avg, _, _)| avg >= threshold)
            // The highest average; of equal ones, the first pair.
            .fold(None, |best: Option<(f64, usize, usize)>, x| match best {
                Some(b) if b.0 >= x.0 => Some(b),
                _ => Some(x),
            });
        let Some((avg, a, b)) = best else { break };
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        least[a] = least[a].min(least[b]).min(avg);
        sums.remove(&(a, b));
        let touching: Vec<((usize, usize), f64)> =
            sums.iter().filter(|(k, _)| k.0 == b || k.1 == b).map(|(&k, &s)| (k, s)).collect();
        for (k, s) in touching {
            sums.remove(&k);
            let other = if k.0 == b { k.1 } else { k.0 };
            *sums.entry((a.min(other), a.max(other))).or_default() += s;
        }
    }
    members
        .into_iter()
        .zip(least)
        .filter(|(m, _)| m.len() >= 2)
        .map(|(mut m, l)| {
            m.sort_unstable();
            (m, l)
        })
        .collect()
}

/// Adds to the clusters the items left out of which at least [`MIN_GROUP_LINK`] spun
/// copies, and [`MIN_GROUP_STRENGTH`] of all (`spun_of`), are one cluster's: copies of a
/// member's article, or of a source a member also spun. `sources` holds each spun source
/// article: its outlet (when a spinner) and the spinners that spun it. A small site whose
/// two spun copies republish two different siblings has one link to each, under the
/// count that a link needs alone, but both its copies are the group's; an outlet with one
/// spun copy that a farm's sites share stays out. Each item joins the cluster that shares
/// most of its copies, as the clusters were: one joined so draws no other in. A cluster's
/// least strength becomes the joining one's, when lower.
fn attach(
    clusters: &mut [(Vec<usize>, f64)],
    sources: &[(Option<usize>, Vec<usize>)],
    spun_of: &dyn Fn(usize) -> f64,
) {
    let mut cluster_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (c, (members, _)) in clusters.iter().enumerate() {
        cluster_of.extend(members.iter().map(|&m| (m, c)));
    }
    // Per item left out and cluster, the item's spun copies that the cluster shares.
    let mut shared: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for (outlet, spinners) in sources {
        let mut of: BTreeSet<usize> =
            spinners.iter().filter_map(|s| cluster_of.get(s)).copied().collect();
        of.extend(outlet.and_then(|o| cluster_of.get(&o)));
        for &item in spinners.iter().filter(|s| !cluster_of.contains_key(s)) {
            for &c in &of {
                *shared.entry((item, c)).or_default() += 1;
            }
        }
    }
    let mut best: BTreeMap<usize, (u64, usize)> = BTreeMap::new();
    for (&(item, c), &n) in &shared {
        let b = best.entry(item).or_insert((n, c));
        if n > b.0 {
            *b = (n, c);
        }
    }
    for (item, (n, c)) in best {
        let strength = (n as f64 / spun_of(item)).min(1.0);
        if n >= MIN_GROUP_LINK && strength >= MIN_GROUP_STRENGTH {
            let (members, least) = &mut clusters[c];
            members.push(item);
            members.sort_unstable();
            *least = least.min(strength);
        }
    }
}

/// One group's score and evidence.
fn group(g: &Gather, members: &BTreeSet<u32>, name: &dyn Fn(u32) -> String) -> SpinGroup {
    // Members' articles that another member republished as spun.
    let republished: BTreeSet<ArticleSeq> = g
        .spun
        .iter()
        .filter(|(_, s)| {
            members.contains(&s.outlet)
                && s.copies.iter().any(|c| members.contains(&c.1) && c.1 != s.outlet)
        })
        .map(|(&seq, _)| seq)
        .collect();
    let (mut copies, mut shared_copies) = (0u64, 0u64);
    let mut spun_by_member: BTreeMap<u32, u64> = BTreeMap::new();
    let mut spun_from: BTreeMap<u32, u64> = BTreeMap::new();
    let (mut lags, mut spreads) = (Vec::new(), Vec::new());
    let mut shared: Vec<(ArticleSeq, u32, Vec<u32>)> = Vec::new();
    for (&seq, source) in &g.spun {
        let mine: Vec<&(ArticleSeq, u32, Option<i64>)> =
            source.copies.iter().filter(|c| members.contains(&c.1)).collect();
        if mine.is_empty() {
            continue;
        }
        let mut spinners: Vec<u32> = mine.iter().map(|c| c.1).collect();
        spinners.sort_unstable();
        spinners.dedup();
        let source_ts = g.sources.get(&seq).and_then(|s| s.1.ts);
        let from_member = members.contains(&source.outlet);
        copies += mine.len() as u64;
        *spun_from.entry(source.outlet).or_default() += mine.len() as u64;
        for c in &mine {
            *spun_by_member.entry(c.1).or_default() += 1;
            lags.extend(c.2.zip(source_ts).map(|(c, s)| (c - s) as f64 / DAY));
            if spinners.len() < 2 && !from_member && republished.contains(&c.0) {
                shared_copies += 1;
            }
        }
        if spinners.len() >= 2 || from_member {
            shared_copies += mine.len() as u64;
            // When the members carried it, from the first to the last (the source among
            // them when it is a member's).
            let times: Vec<i64> =
                mine.iter().filter_map(|c| c.2).chain(source_ts.filter(|_| from_member)).collect();
            if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max())
                && times.len() >= 2
            {
                spreads.push((last - first) as f64 / DAY);
            }
            shared.push((seq, source.outlet, spinners));
        }
    }
    shared.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
    let mut outlets: Vec<u32> = members.iter().copied().collect();
    outlets.sort_by(|a, b| {
        let count = |o: &u32| spun_by_member.get(o).copied().unwrap_or(0);
        count(b).cmp(&count(a)).then_with(|| name(*a).cmp(&name(*b)))
    });
    // The swaps two or more members make.
    let mut swaps: BTreeMap<&(String, String), (Vec<u32>, u64)> = BTreeMap::new();
    for &o in &outlets {
        for (swap, &count) in &g.outlet_acc[o as usize].swaps {
            let entry = swaps.entry(swap).or_default();
            entry.0.push(o);
            entry.1 += count;
        }
    }
    let mut shared_swaps: Vec<SharedSwap> = swaps
        .into_iter()
        .filter(|(_, (who, _))| who.len() >= 2)
        .map(|(swap, (who, count))| SharedSwap {
            from: swap.0.clone(),
            to: swap.1.clone(),
            outlets: who.into_iter().map(name).collect(),
            count,
        })
        .collect();
    shared_swaps.sort_by(|a, b| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.count.cmp(&a.count))
            .then_with(|| a.from.cmp(&b.from))
    });
    shared_swaps.truncate(LISTED);
    let mut byline_outlets: BTreeMap<u32, usize> = BTreeMap::new();
    for &o in &outlets {
        for &b in g.outlet_acc[o as usize].bylines.keys() {
            *byline_outlets.entry(b).or_default() += 1;
        }
    }
    let mut shared_bylines: Vec<String> = byline_outlets
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(b, _)| g.bylines.names[b as usize].clone())
        .collect();
    shared_bylines.sort();
    let mut spun_from: Vec<(u32, u64)> = spun_from.into_iter().collect();
    spun_from.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(a.0).cmp(&name(b.0))));
    SpinGroup {
        outlets: outlets.iter().map(|&o| name(o)).collect(),
        score: ratio(shared_copies, copies),
        spun_copies: copies,
        shared_spun_sources: shared.len() as u64,
        examples: examples(g, &shared)
            .into_iter()
            .take(LISTED)
            .map(|(seq, outlet, who)| {
                let info = g.sources.get(seq).map(|s| &s.1);
                SharedSpin {
                    id: info.map(|i| i.id.clone()).unwrap_or_default(),
                    record_id: info.and_then(|i| i.record_id.clone()),
                    title: info.and_then(|i| i.title.clone()),
                    outlet: name(*outlet),
                    spun_by: {
                        let mut names: Vec<String> = who.iter().map(|&o| name(o)).collect();
                        names.sort();
                        names
                    },
                }
            })
            .collect(),
        spun_from: spun_from
            .iter()
            .take(LISTED)
            .map(|&(o, n)| NameCount { name: name(o), articles: n })
            .collect(),
        shared_swaps,
        shared_bylines,
        median_lag_days: median(&mut lags),
        median_spread_days: median(&mut spreads),
        weakest_link: 0.0,
    }
}

/// A group's shared spun sources in the order they are shown: oldest first, then by
/// article id (not by sequence number: the order of storage is not the same in cluster
/// mode as embedded).
fn examples<'s>(
    g: &Gather,
    shared: &'s [(ArticleSeq, u32, Vec<u32>)],
) -> Vec<&'s (ArticleSeq, u32, Vec<u32>)> {
    let mut listed: Vec<_> = shared.iter().collect();
    listed.sort_by_cached_key(|(seq, _, _)| {
        let info = g.sources.get(seq).map(|s| &s.1);
        (info.and_then(|i| i.ts), info.map(|i| i.id.clone()))
    });
    listed
}

/// The byline report: each byline's outlets and reuse, and the flags.
fn authors(g: &Gather, outlets: &[String], articles: u64, traced: u64) -> Authors {
    let related = |a: u32, b: u32| g.edges.contains_key(&(a, b)) || g.edges.contains_key(&(b, a));
    let no_outlet = g.outlets.index.get(NO_OUTLET).copied();
    let mut bylines: Vec<BylineStats> = g
        .byline_acc
        .iter()
        .enumerate()
        .map(|(b, acc)| {
            let mut at: Vec<(u32, u64)> = acc.outlets.iter().map(|(&o, &n)| (o, n)).collect();
            at.sort_by(|x, y| {
                y.1.cmp(&x.1).then_with(|| outlets[x.0 as usize].cmp(&outlets[y.0 as usize]))
            });
            let named: Vec<u32> =
                at.iter().map(|x| x.0).filter(|&o| Some(o) != no_outlet).collect();
            // The pairs of its outlets with no copy edge; the 32 outlets it is most at,
            // so that a byline at thousands of outlets costs 496 pairs.
            let mut unrelated = Vec::new();
            let considered = &named[..named.len().min(32)];
            for (i, &x) in considered.iter().enumerate() {
                for &y in &considered[i + 1..] {
                    if !related(x, y) {
                        unrelated.push([outlets[x as usize].clone(), outlets[y as usize].clone()]);
                    }
                }
            }
            let reused_share = ratio(acc.reused_words, acc.words);
            let mut flags = Vec::new();
            if !unrelated.is_empty() {
                flags.push(BylineFlag::AcrossUnrelatedOutlets);
            }
            if named.len() == 1 && acc.traced > 0 && reused_share >= MOSTLY_REUSED {
                flags.push(BylineFlag::BorrowedText);
            }
            unrelated.truncate(LISTED);
            BylineStats {
                name: g.bylines.names[b].clone(),
                articles: acc.articles,
                outlets: at
                    .iter()
                    .map(|&(o, n)| NameCount { name: outlets[o as usize].clone(), articles: n })
                    .collect(),
                traced: acc.traced,
                words: acc.words,
                reused_words: acc.reused_words,
                reused_share,
                flags,
                unrelated_outlets: unrelated,
            }
        })
        .collect();
    bylines.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.name.cmp(&b.name)));
    let mut flagged: Vec<OutletFlag> = g
        .outlet_acc
        .iter()
        .enumerate()
        .filter(|&(o, acc)| {
            Some(o as u32) != no_outlet
                && !acc.bylines.is_empty()
                && ratio(acc.reused_words, acc.words) >= MOSTLY_REUSED
                && acc.bylines.keys().all(|&b| g.byline_acc[b as usize].outlets.len() == 1)
        })
        .map(|(o, acc)| {
            let mut from: Vec<(u32, u64)> = acc.from.iter().map(|(&s, &w)| (s, w)).collect();
            from.sort_by(|a, b| {
                b.1.cmp(&a.1).then_with(|| outlets[a.0 as usize].cmp(&outlets[b.0 as usize]))
            });
            OutletFlag {
                outlet: outlets[o].clone(),
                bylines: top_names(&acc.bylines, &g.bylines.names)
                    .into_iter()
                    .map(|n| n.name)
                    .collect(),
                reused_share: ratio(acc.reused_words, acc.words),
                from: from.iter().take(LISTED).map(|&(s, _)| outlets[s as usize].clone()).collect(),
            }
        })
        .collect();
    flagged.sort_by(|a, b| {
        b.reused_share.total_cmp(&a.reused_share).then_with(|| a.outlet.cmp(&b.outlet))
    });
    Authors {
        articles,
        traced,
        unsigned: g.unsigned,
        bylines_ignored: g.bylines_ignored,
        bylines,
        exclusive_bylines_mostly_reused: flagged,
    }
}

impl crate::Library {
    /// The outlet network and bylines of the store (see [`outlet_network`]).
    pub fn outlet_network(
        &self,
        options: &NetworkOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<NetworkReport> {
        self.with_reads(|r| outlet_network(r, options, progress))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_are_names_or_counted_out() {
        assert_eq!(byline("  By  Cecelia   Webb "), Ok(Some("Cecelia Webb".to_owned())));
        assert_eq!(byline("   "), Ok(None));
        assert_eq!(
            byline("The reporter who wrote this story has covered Moscow for years."),
            Err(())
        );
        assert_eq!(byline(&"x".repeat(MAX_BYLINE_CHARS + 1)), Err(()));
        // A name of several parts is still a name.
        assert_eq!(byline("J. R. R. Tolkien"), Ok(Some("J. R. R. Tolkien".to_owned())));
    }

    #[test]
    fn quotations_are_told_from_copies() {
        let p = "\u{201c}The budget is balanced and the roads are fixed by June,\u{201d} the Wire reported.";
        assert!(quoted(p, 3, p.len(), &["Wire"]), "most of it between the marks, the outlet named");
        assert!(!quoted(p, 3, p.len(), &["Other Wire"]), "not attributed to that outlet");
        assert!(quoted(p, 3, p.len(), &["Farm", "Wire"]), "attributed to one of the candidates'");
        assert!(!quoted(p, 3, p.len(), &[]), "no outlet to name");
        let q = "He said \"the budget is balanced and the roads are fixed\" (Wire).";
        assert!(quoted(q, q.find("the").unwrap(), q.find(" (").unwrap(), &["wire"]));
        // A copied paragraph that merely contains a short quote is not a quotation.
        let c = "The mayor of Wire Town said \"no\" and the council agreed on Monday.";
        assert!(!quoted(c, 0, c.len(), &["Wire"]));
        assert!(!quoted(c, 4, 4, &["Wire"]), "an empty span");
    }

    /// A store in memory for the bad-input bounds: articles in storage order, and one
    /// article that every paragraph search finds (or none).
    struct Memory {
        articles: Vec<StoredArticle>,
        found: Option<ArticleSeq>,
    }

    impl Memory {
        fn new(articles: Vec<lede_core::Article>, found: Option<ArticleSeq>) -> Memory {
            let articles = articles
                .into_iter()
                .enumerate()
                .map(|(i, article)| StoredArticle {
                    seq: ArticleSeq(i as u64),
                    id: lede_core::ArticleId::of(&article),
                    source_id: Some(format!("r{i}")),
                    article,
                    extra: None,
                    origin: "test".to_owned(),
                })
                .collect();
            Memory { articles, found }
        }
    }

    impl ReadBackend for Memory {
        fn find(&mut self, _: &str) -> lede_store::Result<Option<StoredArticle>> {
            Ok(None)
        }
        fn by_seqs(&mut self, seqs: &[ArticleSeq]) -> lede_store::Result<Vec<StoredArticle>> {
            Ok(seqs.iter().filter_map(|s| self.articles.get(s.0 as usize).cloned()).collect())
        }
        fn scan(
            &mut self,
            after: ArticleSeq,
            _: usize,
            f: &mut dyn FnMut(StoredArticle) -> lede_store::Result<()>,
        ) -> lede_store::Result<()> {
            self.articles.iter().filter(|a| a.seq >= after).try_for_each(|a| f(a.clone()))
        }
        fn last_seq(&mut self) -> lede_store::Result<ArticleSeq> {
            Ok(ArticleSeq(self.articles.len() as u64))
        }
        fn article_count(&mut self) -> lede_store::Result<u64> {
            Ok(self.articles.len() as u64)
        }
        fn annotations(
            &mut self,
            _: ArticleSeq,
        ) -> lede_store::Result<Option<lede_core::Annotations>> {
            Ok(None)
        }
        fn annotations_pending(&mut self) -> lede_store::Result<bool> {
            Ok(false)
        }
        fn entity_names(&mut self, _: ArticleSeq) -> lede_store::Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn entities(
            &mut self,
            _: &lede_store::EntityFilter,
        ) -> lede_store::Result<Vec<lede_store::EntityCount>> {
            Ok(Vec::new())
        }
        fn quotes(
            &mut self,
            _: &lede_store::QuoteFilter<'_>,
        ) -> lede_store::Result<Vec<lede_store::StoredQuote>> {
            Ok(Vec::new())
        }
        fn clustered_through(&mut self) -> lede_store::Result<ArticleSeq> {
            Ok(ArticleSeq(0))
        }
        fn story_count(&mut self) -> lede_store::Result<u64> {
            Ok(0)
        }
        fn stories(
            &mut self,
            _: &lede_store::StoryFilter,
        ) -> lede_store::Result<Vec<lede_store::StorySummary>> {
            Ok(Vec::new())
        }
        fn story(
            &mut self,
            _: lede_core::StoryId,
        ) -> lede_store::Result<Option<lede_store::StorySummary>> {
            Ok(None)
        }
        fn story_unled(
            &mut self,
            _: lede_core::StoryId,
        ) -> lede_store::Result<Option<lede_store::StorySummary>> {
            Ok(None)
        }
        fn leads(&mut self, _: &[ArticleSeq]) -> lede_store::Result<Vec<lede_store::ArticleText>> {
            Ok(Vec::new())
        }
        fn story_of(&mut self, _: ArticleSeq) -> lede_store::Result<Option<lede_core::StoryId>> {
            Ok(None)
        }
        fn story_row(
            &mut self,
            _: lede_core::StoryId,
        ) -> lede_store::Result<Option<lede_store::StoryRow>> {
            Ok(None)
        }
        fn story_rows_of(
            &mut self,
            _: &[lede_core::StoryId],
        ) -> lede_store::Result<Vec<lede_store::StoryRow>> {
            Ok(Vec::new())
        }
        fn story_entities(
            &mut self,
            _: lede_core::StoryId,
            _: usize,
        ) -> lede_store::Result<Vec<lede_store::EntityCount>> {
            Ok(Vec::new())
        }
        fn story_quotes(
            &mut self,
            _: lede_core::StoryId,
            _: usize,
        ) -> lede_store::Result<Vec<lede_store::StoryQuoteRow>> {
            Ok(Vec::new())
        }
        fn stories_naming(
            &mut self,
            _: lede_core::StoryId,
            _: &[String],
            _: usize,
            _: usize,
        ) -> lede_store::Result<Vec<lede_store::NamingStory>> {
            Ok(Vec::new())
        }
        fn doc_freq(&mut self, _: lede_core::StoryId) -> lede_store::Result<Option<Vec<u8>>> {
            Ok(None)
        }
        fn story_languages(&mut self) -> lede_store::Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn similar_to(
            &mut self,
            _: &str,
            _: usize,
            _: usize,
        ) -> lede_store::Result<Vec<(ArticleSeq, f32)>> {
            Ok(self.found.map(|s| vec![(s, 1.0)]).unwrap_or_default())
        }
        fn damaged_story(
            &mut self,
            _: lede_core::StoryId,
            _: &str,
            _: &dyn std::fmt::Display,
        ) -> lede_store::Error {
            unreachable!("the network reads no stories")
        }
    }

    fn article(
        outlet: Option<&str>,
        authors: Vec<String>,
        paragraphs: Vec<String>,
    ) -> lede_core::Article {
        lede_core::Article {
            outlet: outlet.map(str::to_owned),
            authors,
            paragraphs,
            ..Default::default()
        }
    }

    const WIRE_TEXT: [&str; 2] = [
        "The city council voted on Monday to approve the new budget after a long debate about \
         school funding, road repairs and the cost of keeping the library open at weekends, \
         officials said.",
        "Council members who voted against the plan said it leaves too little money for the \
         bridges that county inspectors examined last spring and found in need of urgent work.",
    ];

    #[test]
    fn issue_16_an_outlet_of_100000_articles_is_bounded() {
        let articles: Vec<_> = (0..100_000)
            .map(|i| {
                article(Some("Big"), vec![format!("Writer {}", i % 7)], vec![format!("Item {i}.")])
            })
            .collect();
        let mut store = Memory::new(articles, None);
        let started = std::time::Instant::now();
        let report =
            outlet_network(&mut store, &NetworkOptions::default(), &mut |_, _| {}).unwrap();
        let n = &report.network;
        assert_eq!((n.articles, n.traced, n.outlets.len()), (100_000, 100_000, 1));
        assert_eq!(n.outlets[0].byline_count, 7, "one name table entry a byline, not an article");
        assert!(n.edges.is_empty() && n.groups.is_empty());
        // Sampled: the cost is the sample's.
        let sampled =
            outlet_network(&mut store, &NetworkOptions { sample: Some(500) }, &mut |_, _| {})
                .unwrap();
        assert_eq!((sampled.network.articles, sampled.network.traced), (100_000, 500));
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    }

    #[test]
    fn issue_16_an_article_reused_by_10000_others_is_bounded() {
        // A wire story spun by 10,000 articles of 500 outlets: group links pair the first
        // 64 outlets of a source, not 500 (124,750 pairs).
        let spun: Vec<String> = WIRE_TEXT
            .iter()
            .map(|p| {
                p.replace(" said", " stated")
                    .replace("money", "funds")
                    .replace("officials", "authorities")
            })
            .collect();
        let mut articles =
            vec![article(Some("Wire"), vec![], WIRE_TEXT.map(str::to_owned).to_vec())];
        for i in 0..10_000 {
            let mut p = spun.clone();
            p.push(format!("Republished by site number {i}."));
            articles.push(article(
                Some(&format!("Site {}", i % 500)),
                vec!["Cecelia Webb".into()],
                p,
            ));
        }
        let mut store = Memory::new(articles, Some(ArticleSeq(0)));
        let started = std::time::Instant::now();
        let report =
            outlet_network(&mut store, &NetworkOptions { sample: Some(2_000) }, &mut |_, _| {})
                .unwrap();
        let n = &report.network;
        assert_eq!((n.articles, n.traced), (10_001, 2_000));
        let wire = n.outlets.iter().find(|o| o.name == "Wire").unwrap();
        assert_eq!(wire.reused_by_others, 1, "one source article");
        assert!(n.edges.iter().all(|e| e.source == "Wire"), "{:?}", &n.edges[..3]);
        let traced_sites = n.outlets.iter().filter(|o| o.traced > 0 && o.name != "Wire").count();
        assert!(traced_sites >= 100, "{traced_sites}");
        assert_eq!(n.edges.len(), traced_sites, "every traced site copies the wire");
        // One byline at 500 outlets: its unrelated pairs are bounded too.
        let webb = report.authors.bylines.iter().find(|b| b.name == "Cecelia Webb").unwrap();
        assert_eq!((webb.articles, webb.outlets.len()), (10_000, 500));
        assert!(webb.unrelated_outlets.len() <= LISTED);
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    }

    #[test]
    fn issue_16_no_outlet_names_and_sentences_for_bylines() {
        let sentence = "This story was written by our staff and edited by the night desk team.";
        let mut articles =
            vec![article(None, vec![sentence.into()], WIRE_TEXT.map(str::to_owned).to_vec())];
        for i in 0..20 {
            // Copies with no outlet either, and a page that lists 500 "authors".
            let authors =
                (0..500).map(|k| format!("Name {k}")).chain([sentence.repeat(50)]).collect();
            let mut p = WIRE_TEXT.map(str::to_owned).to_vec();
            p.push(format!("A line of its own, number {i}."));
            articles.push(article(None, authors, p));
        }
        let mut store = Memory::new(articles, Some(ArticleSeq(0)));
        let report =
            outlet_network(&mut store, &NetworkOptions::default(), &mut |_, _| {}).unwrap();
        let n = &report.network;
        assert_eq!(n.outlets.len(), 1);
        assert_eq!((n.outlets[0].name.as_str(), n.outlets[0].articles), (NO_OUTLET, 21));
        assert!(
            n.edges.is_empty(),
            "articles without an outlet copying each other is no outlet's reuse"
        );
        assert!(n.groups.is_empty());
        let a = &report.authors;
        // The sentence is no name; of the 500 names, eight an article are read.
        assert_eq!(a.bylines.len(), BYLINES_PER_ARTICLE);
        assert_eq!(a.bylines_ignored, 1 + 20 * (500 - BYLINES_PER_ARTICLE as u64 + 1));
        assert_eq!(a.unsigned, 1);
    }

    #[test]
    fn average_linkage_does_not_chain_two_clusters_through_one_link() {
        // Two triangles (0, 1, 2) and (3, 4, 5), one strong link between 2 and 3, and 6
        // linked to two of the first triangle's three.
        let mut links = vec![(0, 1, 0.8), (1, 2, 0.7), (0, 2, 0.9), (3, 4, 0.8), (4, 5, 0.8)];
        links.extend([(3, 5, 0.7), (2, 3, 0.6), (6, 0, 0.9), (6, 1, 0.9)]);
        let clusters = average_linkage(8, &links, 0.4);
        let sets: Vec<&Vec<usize>> = clusters.iter().map(|c| &c.0).collect();
        assert_eq!(sets, [&vec![0, 1, 2, 6], &vec![3, 4, 5]], "7 has no link and stays out");
        // {0, 2} and {1, 6} joined at (0.8 + 0.7 + 0.9 + 0) / 4; {3, 4} and 5 at 0.75.
        assert!((clusters[0].1 - 0.6).abs() < 1e-9, "{}", clusters[0].1);
        assert!((clusters[1].1 - 0.75).abs() < 1e-9, "{}", clusters[1].1);
        // The triangles' link averages 0.6 / 12: only a threshold under it (or the
        // connected components of links over 0.4) makes one group of 0-6.
        assert!(average_linkage(8, &links, 0.04).iter().any(|c| c.0.len() == 7));
        assert!(average_linkage(3, &[(0, 1, 0.3)], 0.4).is_empty());
    }

    #[test]
    fn a_small_site_linked_once_to_each_sibling_is_attached() {
        let mut clusters = vec![(vec![0, 1], 0.6)];
        // 2 respun an article of 0 and one of 1; 3 respun one of 0's articles, which 1
        // respun too (a link of 2 to each, one copy); 4 spun two sources 0 spun, but has
        // forty spun copies of its own.
        let sources = [
            (Some(0), vec![2]),
            (Some(1), vec![2]),
            (Some(0), vec![1, 3]),
            (None, vec![0, 4]),
            (None, vec![0, 1, 4]),
        ];
        let spun = [20.0, 20.0, 2.0, 1.0, 40.0];
        attach(&mut clusters, &sources, &|i| spun[i]);
        assert_eq!(clusters, [(vec![0, 1, 2], 0.6)]);
        // With 4 spun copies in all, 4's two shared make half: it joins, at 0.5.
        let spun = [20.0, 20.0, 2.0, 1.0, 4.0];
        attach(&mut clusters, &sources, &|i| spun[i]);
        assert_eq!(clusters, [(vec![0, 1, 2, 4], 0.5)]);
    }

    fn stored(outlet: &str, paragraphs: &[String]) -> StoredArticle {
        let article = article(Some(outlet), vec![], paragraphs.to_vec());
        StoredArticle {
            seq: ArticleSeq(0),
            id: lede_core::ArticleId::of(&article),
            source_id: None,
            article,
            extra: None,
            origin: "test".to_owned(),
        }
    }

    #[test]
    fn a_second_spinner_follows_the_original_and_a_republisher_the_copy() {
        let swap = |pairs: &[(&str, &str)]| -> Vec<String> {
            WIRE_TEXT
                .iter()
                .map(|p| pairs.iter().fold(p.to_string(), |t, (a, b)| t.replace(a, b)))
                .collect()
        };
        let wire = stored("Wire", &WIRE_TEXT.map(str::to_owned));
        // One farm's copy, three swaps.
        let copy = stored(
            "Farm A",
            &swap(&[("voted", "balloted"), ("debate", "argument"), ("urgent", "pressing")]),
        );
        // Another farm spins the wire itself: one swap the same, two of its own.
        let second = swap(&[("voted", "balloted"), ("money", "funds"), ("examined", "inspected")]);
        assert_eq!(closer(&second, &copy, &wire), Some(Ordering::Greater));
        // A sibling republishes the copy, respun once.
        let sibling: Vec<String> =
            copy.article.paragraphs.iter().map(|p| p.replace("roads", "streets")).collect();
        assert_eq!(closer(&sibling, &copy, &wire), Some(Ordering::Less));
        // The wire's own text is as close to the copy as to itself only when they match.
        assert_eq!(closer(&copy.article.paragraphs, &copy, &wire), Some(Ordering::Less));
        assert_eq!(closer(&wire.article.paragraphs, &wire, &wire), Some(Ordering::Equal));
        // A source that does not copy the original says nothing.
        let other = stored("Other", &["An unrelated note about the weather on the coast.".into()]);
        assert_eq!(closer(&second, &other, &wire), None);
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
