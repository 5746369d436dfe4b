//! Incremental story clustering.
//!
//! State: the document frequencies of words and names seen so far ([`DocFreq`]), and the
//! stories a new article may still join ([`Story`]: a centroid of its members' vectors,
//! its time span, its quotes), with an inverted index from words and names to stories so
//! that an article is compared with a few dozen stories, not all of them.
//!
//! A pass ([`Clusterer::cluster`]) over a batch of new articles:
//! 1. sorts the batch by (date, content hash): a function of the batch's set, not of the
//!    order it arrived in;
//! 2. counts the batch into the document frequencies first, so that every article of the
//!    batch is weighted with the same statistics;
//! 3. lets each article join the story it scores best with (at least
//!    [`Params::threshold`]), else start one;
//! 4. repairs: stories of the pass that score at least [`Params::merge_threshold`] with
//!    another are merged into the older one (the younger id becomes an alias), then each
//!    article of the batch is taken out of its story and put into its best story once
//!    (the first articles of a pass joined before later ones could pull them elsewhere).

use crate::features::StoryFeatures;
use std::collections::BTreeSet;

// Keys here are xxh3 hashes or story ids already.
use lede_text::hash::{KeyMap as HashMap, KeySet as HashSet};

use lede_core::ArticleSeq;
/// A story's id: positive, stable (a merged story's id resolves to the story it went to).
pub use lede_core::StoryId;

const DAY: f32 = 86_400.0;
/// Words and names of a story's centroid kept when it is stored.
const STORED_TERMS: usize = 200;
const STORED_ENTITIES: usize = 64;
/// Quote hashes a story keeps.
const MAX_STORY_QUOTES: usize = 256;
/// Index keys a story is listed under at most.
const MAX_KEYS: usize = 256;
/// An article lists its story under its best words and names (by weight).
const INDEX_TERMS: usize = 10;
const INDEX_ENTITIES: usize = 6;
/// Articles of a sorted batch assigned and repaired together.
const WINDOW: usize = 4096;
/// Stories visited per index key when looking for candidates: the newest of its list.
/// Dated stories close after the horizon, so their lists stay short; undated stories never
/// close, and a common word's list would grow with the corpus (scanning it made clustering
/// 13x slower per article on undated press releases). A key listing this many open stories
/// says little about any one of them; rarer keys, which decide, are read whole.
const MAX_POSTINGS: usize = 512;

/// How clustering decides. [`Params::default`] is what lede uses; the numbers were fit on
/// the shared ECB+ topics and the 2019 press releases (see `bench/stories/README.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// An article joins a story when it scores at least this, else it starts one.
    pub threshold: f32,
    /// Share of the score that comes from names (the rest from words), when both the
    /// article and the story name someone.
    pub entity_weight: f32,
    /// Added to the score when the article repeats a quote of the story.
    pub quote_bonus: f32,
    /// When an article and a story are both dated, their score is multiplied by this (and
    /// by the decay): appearing at the same time is evidence of telling the same story.
    /// Undated articles (ECB+) are judged on their text alone.
    pub date_boost: f32,
    /// Days over which the score of an article outside a story's time span decays by e.
    pub tau_days: f32,
    /// An article further than this many days from a story's span cannot join it.
    pub horizon_days: f32,
    /// A story spans at most this many days (first to last article): a longer saga is
    /// several stories, related. It bounds what a pass must load from the store.
    pub max_span_days: f32,
    /// Two stories of a pass that score at least this with each other are merged.
    pub merge_threshold: f32,
    /// Times each article of a window is moved to its best story after the window is in.
    pub rounds: usize,
    /// Stories scored exactly per article (the best by index hits).
    pub candidates: usize,
    /// An article's words used to find and score candidates (its best by weight).
    pub query_terms: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            threshold: 0.25,
            entity_weight: 0.3,
            quote_bonus: 0.25,
            date_boost: 1.8,
            tau_days: 4.0,
            horizon_days: 14.0,
            max_span_days: 60.0,
            merge_threshold: 0.6,
            rounds: 1,
            candidates: 24,
            query_terms: 96,
        }
    }
}

/// Document frequencies of word and name hashes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFreq {
    docs: u64,
    df: HashMap<u64, u32>,
}

impl DocFreq {
    /// Counts one article in.
    pub fn add(&mut self, f: &StoryFeatures) {
        self.docs += 1;
        for &(h, _) in &f.terms {
            *self.df.entry(term_key(h)).or_insert(0) += 1;
        }
        for &(h, _) in &f.entities {
            *self.df.entry(entity_key(h)).or_insert(0) += 1;
        }
    }

    /// Articles counted.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// Smoothed inverse document frequency of an index key.
    fn idf(&self, key: u64) -> f32 {
        let df = self.df.get(&key).copied().unwrap_or(0);
        ((1.0 + self.docs as f32) / (1.0 + df as f32)).ln() + 1.0
    }

    /// The inverse document frequency of a word hash ([`crate::term_hash`]).
    pub fn term_idf(&self, hash: u32) -> f32 {
        self.idf(term_key(hash))
    }

    /// The stored form: article count, then (key, count) pairs sorted by key, all
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut keys: Vec<(&u64, &u32)> = self.df.iter().collect();
        keys.sort_unstable();
        let mut out = Vec::with_capacity(8 + keys.len() * 12);
        out.extend_from_slice(&self.docs.to_le_bytes());
        for (k, n) in keys {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        out
    }

    /// The inverse document frequency of an entity's canonical name, looked up in the
    /// stored form without reading it all (its pairs are sorted by key: a binary search).
    /// `None` if the bytes are damaged.
    pub fn stored_name_idf(bytes: &[u8], name: &str) -> Option<f32> {
        Self::stored_idf(bytes, entity_key(crate::terms::entity_hash(name)))
    }

    /// The inverse document frequency of a word hash ([`crate::term_hash`]), looked up in
    /// the stored form as [`DocFreq::stored_name_idf`] does.
    pub fn stored_term_idf(bytes: &[u8], hash: u32) -> Option<f32> {
        Self::stored_idf(bytes, term_key(hash))
    }

    fn stored_idf(bytes: &[u8], key: u64) -> Option<f32> {
        if bytes.len() < 8 || !(bytes.len() - 8).is_multiple_of(12) {
            return None;
        }
        let docs = u64::from_le_bytes(bytes[..8].try_into().ok()?);
        let pairs = &bytes[8..];
        let key_at =
            |i: usize| u64::from_le_bytes(pairs[i * 12..i * 12 + 8].try_into().expect("8 bytes"));
        let (mut lo, mut hi) = (0, pairs.len() / 12);
        let mut df = 0;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match key_at(mid).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let at = mid * 12 + 8;
                    df = u32::from_le_bytes(pairs[at..at + 4].try_into().expect("4 bytes"));
                    break;
                }
            }
        }
        Some(((1.0 + docs as f32) / (1.0 + df as f32)).ln() + 1.0)
    }

    /// Reads the stored form; `None` if it is damaged.
    pub fn from_bytes(bytes: &[u8]) -> Option<DocFreq> {
        if bytes.len() < 8 || !(bytes.len() - 8).is_multiple_of(12) {
            return None;
        }
        let docs = u64::from_le_bytes(bytes[..8].try_into().ok()?);
        let df = bytes[8..]
            .chunks_exact(12)
            .map(|c| {
                let k = u64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
                let n = u32::from_le_bytes(c[8..].try_into().expect("4 bytes"));
                (k, n)
            })
            .collect();
        Some(DocFreq { docs, df })
    }
}

fn term_key(h: u32) -> u64 {
    u64::from(h)
}

fn entity_key(h: u32) -> u64 {
    (1 << 32) | u64::from(h)
}

/// An article's weighted vectors (L2-normalised), best weight first.
#[derive(Debug, Clone, Default)]
struct Vector {
    terms: Vec<(u64, f32)>,
    entities: Vec<(u64, f32)>,
}

impl Vector {
    fn of(f: &StoryFeatures, df: &DocFreq, query_terms: usize) -> Vector {
        let mut terms = weigh_terms(f.terms.iter().copied(), |h| df.term_idf(h));
        let mut entities: Vec<(u64, f32)> = f
            .entities
            .iter()
            .map(|&(h, n)| {
                let key = entity_key(h);
                (key, (1.0 + f32::from(n.max(1)).ln()) * df.idf(key))
            })
            .collect();
        normalise(&mut entities);
        by_weight(&mut terms);
        by_weight(&mut entities);
        // The norm is of the whole vector; the tail adds little to a dot product.
        terms.truncate(query_terms);
        Vector { terms, entities }
    }
}

/// Word hashes with their counts as a normalised TF-IDF vector (sublinear counts), the
/// weighting articles are clustered with.
pub(crate) fn weigh_terms(
    terms: impl Iterator<Item = (u32, u16)>,
    idf: impl Fn(u32) -> f32,
) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> =
        terms.map(|(h, n)| (term_key(h), (1.0 + f32::from(n.max(1)).ln()) * idf(h))).collect();
    normalise(&mut v);
    v
}

fn normalise(v: &mut [(u64, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

fn by_weight(v: &mut [(u64, f32)]) {
    v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
}

/// A sum of vectors, with its squared norm kept as members come and go.
#[derive(Debug, Clone, Default, PartialEq)]
struct Centroid {
    w: HashMap<u64, f32>,
    sumsq: f64,
}

impl Centroid {
    fn add(&mut self, v: &[(u64, f32)], sign: f32) {
        for &(k, x) in v {
            let e = self.w.entry(k).or_insert(0.0);
            let old = f64::from(*e);
            *e += sign * x;
            let new = f64::from(*e);
            self.sumsq += new * new - old * old;
            if new.abs() < 1e-6 {
                self.w.remove(&k);
            }
        }
        if self.w.is_empty() {
            self.sumsq = 0.0;
        }
    }

    fn norm(&self) -> f32 {
        self.sumsq.max(0.0).sqrt() as f32
    }

    /// Cosine with a normalised vector.
    fn cos(&self, v: &[(u64, f32)]) -> Option<f32> {
        let norm = self.norm();
        if norm <= 1e-9 || v.is_empty() {
            return None;
        }
        let dot: f32 = v.iter().map(|(k, x)| self.w.get(k).map_or(0.0, |c| c * x)).sum();
        Some(dot / norm)
    }

    /// The heaviest `n` entries, normalised: what the story looks like.
    fn top(&self, n: usize) -> Vec<(u64, f32)> {
        let mut v: Vec<(u64, f32)> = self.w.iter().map(|(k, w)| (*k, *w)).collect();
        by_weight(&mut v);
        v.truncate(n);
        normalise(&mut v);
        v
    }

    fn merge(&mut self, other: &Centroid) {
        let v: Vec<(u64, f32)> = other.w.iter().map(|(k, w)| (*k, *w)).collect();
        self.add(&v, 1.0);
    }
}

/// A story as clustering keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its id.
    pub id: StoryId,
    /// Date of its first and last member (Unix seconds), if they are dated.
    pub first_ts: Option<i64>,
    /// See `first_ts`.
    pub last_ts: Option<i64>,
    /// Members.
    pub size: u32,
    /// The member that represents it best (its headline labels the story); `None` when
    /// the pass could not tell (the caller then picks its earliest member).
    pub label: Option<ArticleSeq>,
    label_score: f32,
    terms: Centroid,
    entities: Centroid,
    quotes: Vec<u32>,
    keys: BTreeSet<u64>,
}

impl Story {
    fn new(id: StoryId) -> Story {
        Story {
            id,
            first_ts: None,
            last_ts: None,
            size: 0,
            label: None,
            label_score: -1.0,
            terms: Centroid::default(),
            entities: Centroid::default(),
            quotes: Vec::new(),
            keys: BTreeSet::new(),
        }
    }

    /// Days between `ts` and this story's span (0 inside it); `None` if either is undated.
    fn gap_days(&self, ts: Option<i64>) -> Option<f32> {
        let (ts, first, last) = (ts?, self.first_ts?, self.last_ts?);
        let gap = if ts < first {
            first - ts
        } else if ts > last {
            ts - last
        } else {
            0
        };
        Some(gap as f32 / DAY)
    }

    fn widen(&mut self, first: Option<i64>, last: Option<i64>) {
        self.first_ts = match (self.first_ts, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_ts = match (self.last_ts, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    /// The stored form of the centroid and quotes: `u16` counts of terms, entities and
    /// quotes, then (`u64` key, `f32` weight) pairs and `u32` quote hashes, little-endian.
    /// Only the heaviest entries are kept, so a story read back is a close copy.
    pub fn state_bytes(&self) -> Vec<u8> {
        let terms = self.terms.top_raw(STORED_TERMS);
        let entities = self.entities.top_raw(STORED_ENTITIES);
        let mut out =
            Vec::with_capacity(10 + 12 * (terms.len() + entities.len()) + 4 * self.quotes.len());
        for n in [terms.len(), entities.len(), self.quotes.len()] {
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        out.extend_from_slice(&self.label_score.to_le_bytes());
        for (k, w) in terms.iter().chain(&entities) {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&w.to_le_bytes());
        }
        for q in &self.quotes {
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    /// A story read back from its columns and [`Story::state_bytes`]; `None` if the bytes
    /// are damaged.
    pub fn from_stored(
        id: StoryId,
        first_ts: Option<i64>,
        last_ts: Option<i64>,
        size: u32,
        label: Option<ArticleSeq>,
        state: &[u8],
    ) -> Option<Story> {
        let mut rest = state;
        let mut take = |n: usize| -> Option<&[u8]> {
            if rest.len() < n {
                return None;
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Some(head)
        };
        let mut counts = [0usize; 3];
        for c in &mut counts {
            *c = usize::from(u16::from_le_bytes(take(2)?.try_into().ok()?));
        }
        let label_score = f32::from_le_bytes(take(4)?.try_into().ok()?);
        let mut centroid = |n: usize| -> Option<Centroid> {
            let mut c = Centroid::default();
            for _ in 0..n {
                let k = u64::from_le_bytes(take(8)?.try_into().ok()?);
                let w = f32::from_le_bytes(take(4)?.try_into().ok()?);
                if !w.is_finite() {
                    return None;
                }
                c.w.insert(k, w);
                c.sumsq += f64::from(w) * f64::from(w);
            }
            Some(c)
        };
        let terms = centroid(counts[0])?;
        let entities = centroid(counts[1])?;
        let quotes = (0..counts[2])
            .map(|_| Some(u32::from_le_bytes(take(4)?.try_into().ok()?)))
            .collect::<Option<Vec<u32>>>()?;
        if !rest.is_empty() {
            return None;
        }
        let mut story = Story {
            id,
            first_ts,
            last_ts,
            size,
            label,
            label_score,
            terms,
            entities,
            quotes,
            keys: BTreeSet::new(),
        };
        story.keys = story.index_keys().collect();
        Some(story)
    }

    /// The keys a stored story is listed under when read back: its heaviest words and names.
    fn index_keys(&self) -> impl Iterator<Item = u64> + use<> {
        let terms = self.terms.top(INDEX_TERMS * 3);
        let entities = self.entities.top(INDEX_ENTITIES * 2);
        terms.into_iter().chain(entities).map(|(k, _)| k)
    }

    /// The heaviest word hashes of the story, with their share of its centroid: what it is
    /// about (for labels and evidence).
    pub fn top_terms(&self, n: usize) -> Vec<(u32, f32)> {
        self.terms.top(n).into_iter().map(|(k, w)| (k as u32, w)).collect()
    }

    /// The heaviest canonical-name hashes of the story, with their share of its centroid:
    /// what it says in every language (`crate::crosslang`).
    pub fn top_entities(&self, n: usize) -> Vec<(u32, f32)> {
        self.entities.top(n).into_iter().map(|(k, w)| (k as u32, w)).collect()
    }

    /// How many quotes two stories both repeat.
    pub fn shared_quotes(&self, other: &Story) -> usize {
        self.quotes.iter().filter(|q| other.quotes.binary_search(q).is_ok()).count()
    }

    /// Whether one of the story's articles gives the quote with this [`quote_key`].
    ///
    /// [`quote_key`]: crate::quote_key
    pub fn repeats(&self, quote: u32) -> bool {
        self.quotes.binary_search(&quote).is_ok()
    }

    /// Cosine of a normalised word vector with the story's word centroid (0 if either is
    /// empty).
    pub(crate) fn terms_cos(&self, v: &[(u64, f32)]) -> f32 {
        self.terms.cos(v).unwrap_or(0.0)
    }

    /// Cosine of two stories' word centroids, and of their name centroids.
    pub fn similarity(&self, other: &Story) -> (f32, f32) {
        let a = self.terms.top(STORED_TERMS);
        let b = self.entities.top(STORED_ENTITIES);
        (other.terms.cos(&a).unwrap_or(0.0), other.entities.cos(&b).unwrap_or(0.0))
    }
}

impl Centroid {
    /// The heaviest `n` entries as they are (not normalised), for storing.
    fn top_raw(&self, n: usize) -> Vec<(u64, f32)> {
        let mut v: Vec<(u64, f32)> = self.w.iter().map(|(k, w)| (*k, *w)).collect();
        by_weight(&mut v);
        v.truncate(n);
        v
    }
}

/// An article to cluster.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its sequence number in the store.
    pub seq: ArticleSeq,
    /// Its content hash ([`lede_core::ArticleId`]): with the date, its place in a pass.
    pub id: u128,
    /// Its date (Unix seconds), if known.
    pub ts: Option<i64>,
    /// Its features.
    pub features: StoryFeatures,
}

/// Where an article went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// The article's sequence number.
    pub seq: ArticleSeq,
    /// Its story.
    pub story: StoryId,
    /// How well it fits there (1 for the article that started it alone).
    pub score: f32,
}

/// What a pass changed.
#[derive(Debug, Clone, Default)]
pub struct Pass {
    /// The story of each article of the batch, in canonical order.
    pub assignments: Vec<Assignment>,
    /// Every story the pass created or changed, as it now is.
    pub stories: Vec<Story>,
    /// Stories merged into another: (old id, the id it now is).
    pub merged: Vec<(StoryId, StoryId)>,
}

/// The clusterer: document frequencies and the stories articles may join.
#[derive(Debug, Clone)]
pub struct Clusterer {
    params: Params,
    df: DocFreq,
    stories: HashMap<StoryId, Story>,
    postings: HashMap<u64, Vec<StoryId>>,
    next_id: StoryId,
}

impl Clusterer {
    /// A clusterer that continues from stored state: document frequencies and the next
    /// free story id. Stored stories come in through [`Clusterer::cluster`]'s loader.
    pub fn new(params: Params, df: DocFreq, next_id: StoryId) -> Clusterer {
        Clusterer {
            params,
            df,
            stories: HashMap::default(),
            postings: HashMap::default(),
            next_id: next_id.max(StoryId(1)),
        }
    }

    /// The document frequencies (to store after a pass).
    pub fn doc_freq(&self) -> &DocFreq {
        &self.df
    }

    /// The next id a new story gets.
    pub fn next_id(&self) -> StoryId {
        self.next_id
    }

    /// The longest span a story may have, in seconds: with it, the stories a window of
    /// articles may join are exactly those whose last article is within
    /// [start - horizon, end + horizon + max span] (what a loader must return, at least).
    pub fn max_span_seconds(&self) -> i64 {
        (self.params.max_span_days * DAY) as i64
    }

    /// Clusters a batch of new articles (see the module's documentation). `load` gives
    /// the stored stories whose span meets a time range (Unix seconds, inclusive), or the
    /// undated stories for `None`; stories it returns that the pass already holds or
    /// merged away are ignored.
    pub fn cluster(
        &mut self,
        mut items: Vec<Item>,
        load: &mut dyn FnMut(Option<(i64, i64)>) -> Vec<Story>,
    ) -> Pass {
        items.sort_by_key(|i| (i.ts, i.id, i.seq));
        for item in &items {
            self.df.add(&item.features);
        }
        let mut pass = Pass::default();
        let mut touched: HashSet<StoryId> = HashSet::default();
        let mut done: HashMap<StoryId, Story> = HashMap::default();
        let mut gone: HashSet<StoryId> = HashSet::default();
        let horizon = (self.params.horizon_days * DAY) as i64;
        // Windows of the sorted batch, each assigned then repaired; stories that closed
        // before a window starts leave memory (and the index) first, so the cost of an
        // article depends on the stories of its weeks, not on the batch's length.
        for window in items.chunks_mut(WINDOW) {
            let dated = window.iter().filter_map(|i| i.ts);
            let range = dated.clone().min().zip(dated.max());
            if let Some((first, _)) = range {
                self.close_before(first - horizon, &mut touched, &mut done);
            }
            if window.iter().any(|i| i.ts.is_none()) {
                self.admit(load(None), &mut done, &gone);
            }
            if let Some((first, last)) = range {
                self.admit(load(Some((first - horizon, last + horizon))), &mut done, &gone);
            }
            let before = pass.merged.len();
            self.window(window, &mut touched, &mut pass);
            gone.extend(pass.merged[before..].iter().map(|m| m.0));
            // A window's articles are placed for good: their features leave memory now,
            // not when the whole batch is done (65,536 articles' features are ~100 MB).
            for item in window.iter_mut() {
                item.features = StoryFeatures::default();
            }
        }
        let mut ids: Vec<StoryId> = touched.into_iter().collect();
        ids.sort_unstable();
        pass.stories.extend(done.into_values());
        pass.stories.extend(ids.iter().filter_map(|id| self.stories.get(id).cloned()));
        pass.stories.sort_unstable_by_key(|s| s.id);
        pass.merged.sort_unstable();
        let into: HashMap<StoryId, StoryId> = pass.merged.iter().copied().collect();
        let resolve = |mut id: StoryId| {
            while let Some(&to) = into.get(&id) {
                id = to;
            }
            id
        };
        for m in &mut pass.merged {
            m.1 = resolve(m.1);
        }
        for a in &mut pass.assignments {
            a.story = resolve(a.story);
        }
        pass
    }

    /// Takes stored stories into memory and the index: the pass's own copy if it has one
    /// (closed earlier in the pass, changed since it was stored), none if it merged it
    /// away, else the stored one.
    fn admit(
        &mut self,
        stored: Vec<Story>,
        done: &mut HashMap<StoryId, Story>,
        gone: &HashSet<StoryId>,
    ) {
        for s in stored {
            if self.stories.contains_key(&s.id) || gone.contains(&s.id) {
                continue;
            }
            let s = done.remove(&s.id).unwrap_or(s);
            for &k in &s.keys {
                self.postings.entry(k).or_default().push(s.id);
            }
            self.next_id = self.next_id.max(s.id.next());
            self.stories.insert(s.id, s);
        }
    }

    /// Forgets the stories whose last article is older than `before` (they are closed to
    /// new articles); those this pass touched go to `done`.
    fn close_before(
        &mut self,
        before: i64,
        touched: &mut HashSet<StoryId>,
        done: &mut HashMap<StoryId, Story>,
    ) {
        let closed: Vec<StoryId> = self
            .stories
            .values()
            .filter(|s| s.last_ts.is_some_and(|l| l < before))
            .map(|s| s.id)
            .collect();
        if closed.is_empty() {
            return;
        }
        let mut keys: BTreeSet<u64> = BTreeSet::new();
        for id in &closed {
            let s = self.stories.remove(id).expect("listed above");
            keys.extend(&s.keys);
            if touched.remove(id) {
                done.insert(s.id, s);
            }
        }
        let closed: HashSet<StoryId> = closed.into_iter().collect();
        for k in keys {
            if let Some(list) = self.postings.get_mut(&k) {
                list.retain(|id| !closed.contains(id));
                if list.is_empty() {
                    self.postings.remove(&k);
                }
            }
        }
    }

    /// Assigns one window of a sorted batch, then repairs it.
    fn window(&mut self, items: &[Item], all_touched: &mut HashSet<StoryId>, pass: &mut Pass) {
        let mut local: HashSet<StoryId> = HashSet::default();
        let touched = &mut local;
        let vectors: Vec<Vector> = items
            .iter()
            .map(|i| Vector::of(&i.features, &self.df, self.params.query_terms))
            .collect();
        let mut home: Vec<(StoryId, f32)> = Vec::with_capacity(items.len());
        for (item, v) in items.iter().zip(&vectors) {
            let (story, score) = match self.best(item, v, None) {
                Some((id, score)) if score >= self.params.threshold => (id, score),
                _ => (self.start(), 1.0),
            };
            self.join(story, item, v);
            touched.insert(story);
            home.push((story, score));
        }

        let merged = self.merge_touched(touched);
        for (story, _) in &mut home {
            *story = resolve(&merged, *story);
        }
        pass.merged.extend(merged);

        // Each article once more, now that the whole window is in.
        for (n, (item, v)) in
            (0..self.params.rounds).flat_map(|_| items.iter().zip(&vectors).enumerate())
        {
            let current = home[n].0;
            self.leave(current, v);
            let alone = self.stories.get(&current).is_none_or(|s| s.size == 0);
            let stay = if alone {
                self.params.threshold
            } else {
                self.score(item, v, &self.stories[&current]).unwrap_or(0.0)
            };
            let (story, score) = match self.best(item, v, Some(current)) {
                Some((id, score)) if score >= self.params.threshold && score > stay => (id, score),
                _ => (current, if alone { 1.0 } else { stay }),
            };
            if story != current && alone {
                self.stories.remove(&current);
                touched.remove(&current);
            }
            self.join(story, item, v);
            touched.insert(story);
            home[n] = (story, score);
        }

        // Labels: a label that moved to another story is no label; then the window's
        // member closest to its story's centroid, if closer than the current label.
        let homes: HashMap<ArticleSeq, StoryId> =
            items.iter().zip(&home).map(|(i, &(story, _))| (i.seq, story)).collect();
        let mut ids: Vec<StoryId> = touched.iter().copied().collect();
        ids.sort_unstable();
        for id in &ids {
            if let Some(s) = self.stories.get_mut(id)
                && s.label.is_some_and(|l| homes.get(&l).is_some_and(|h| h != id))
            {
                s.label = None;
                s.label_score = -1.0;
            }
        }
        for ((item, v), (story, _)) in items.iter().zip(&vectors).zip(&home) {
            let s = self.stories.get_mut(story).expect("a member's story exists");
            let fit = s.terms.cos(&v.terms).unwrap_or(0.0);
            if fit > s.label_score {
                s.label_score = fit;
                s.label = Some(item.seq);
            }
        }
        pass.assignments.extend(items.iter().zip(&home).map(|(i, &(story, score))| Assignment {
            seq: i.seq,
            story,
            score,
        }));
        for (gone, _) in &pass.merged {
            all_touched.remove(gone);
        }
        all_touched.extend(local);
    }

    fn start(&mut self) -> StoryId {
        let id = self.next_id;
        self.next_id = self.next_id.next();
        self.stories.insert(id, Story::new(id));
        id
    }

    fn join(&mut self, id: StoryId, item: &Item, v: &Vector) {
        let s = self.stories.get_mut(&id).expect("joined stories exist");
        s.size += 1;
        s.terms.add(&v.terms, 1.0);
        s.entities.add(&v.entities, 1.0);
        s.widen(item.ts, item.ts);
        for q in &item.features.quotes {
            if s.quotes.len() < MAX_STORY_QUOTES
                && let Err(at) = s.quotes.binary_search(q)
            {
                s.quotes.insert(at, *q);
            }
        }
        let keys = v.terms.iter().take(INDEX_TERMS).chain(v.entities.iter().take(INDEX_ENTITIES));
        for &(k, _) in keys {
            if s.keys.len() < MAX_KEYS && s.keys.insert(k) {
                self.postings.entry(k).or_default().push(id);
            }
        }
    }

    /// Takes an article's vectors out of a story (its span and quotes stay: a story
    /// remembers where it has been).
    fn leave(&mut self, id: StoryId, v: &Vector) {
        if let Some(s) = self.stories.get_mut(&id) {
            s.size = s.size.saturating_sub(1);
            s.terms.add(&v.terms, -1.0);
            s.entities.add(&v.entities, -1.0);
        }
    }

    /// How well an article fits a story; `None` if it is beyond the horizon.
    fn score(&self, item: &Item, v: &Vector, s: &Story) -> Option<f32> {
        if let (Some(ts), Some(first), Some(last)) = (item.ts, s.first_ts, s.last_ts)
            && (ts.max(last) - ts.min(first)) as f32 > self.params.max_span_days * DAY
        {
            return None;
        }
        let decay = match s.gap_days(item.ts) {
            Some(gap) if gap > self.params.horizon_days => return None,
            Some(gap) => self.params.date_boost * (-gap / self.params.tau_days).exp(),
            None => 1.0,
        };
        let t = s.terms.cos(&v.terms).unwrap_or(0.0);
        let mut score = match s.entities.cos(&v.entities) {
            Some(e) => (1.0 - self.params.entity_weight) * t + self.params.entity_weight * e,
            None => t,
        };
        if item.features.quotes.iter().any(|q| s.quotes.binary_search(q).is_ok()) {
            score += self.params.quote_bonus;
        }
        Some(score * decay)
    }

    /// The stories an index key lists, the newest [`MAX_POSTINGS`] of them.
    fn newest_postings(&self, key: u64) -> &[StoryId] {
        let list = self.postings.get(&key).map_or(&[][..], Vec::as_slice);
        &list[list.len().saturating_sub(MAX_POSTINGS)..]
    }

    /// The best-scoring story for an article among those its words and names lead to
    /// (ties: the older story), other than `except`.
    fn best(&self, item: &Item, v: &Vector, except: Option<StoryId>) -> Option<(StoryId, f32)> {
        let mut hits: HashMap<StoryId, f32> = HashMap::default();
        let query =
            v.terms.iter().take(INDEX_TERMS * 3).chain(v.entities.iter().take(INDEX_ENTITIES * 2));
        for &(k, w) in query {
            for &id in self.newest_postings(k) {
                *hits.entry(id).or_insert(0.0) += w;
            }
        }
        let mut ranked: Vec<(StoryId, f32)> = hits
            .into_iter()
            .filter(|(id, _)| Some(*id) != except)
            .filter(|(id, _)| {
                self.stories.get(id).is_some_and(|s| {
                    s.size > 0 && s.gap_days(item.ts).is_none_or(|g| g <= self.params.horizon_days)
                })
            })
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(self.params.candidates);
        ranked
            .into_iter()
            .filter_map(|(id, _)| Some((id, self.score(item, v, &self.stories[&id])?)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Merges stories of this pass into others they now match; returns (old, new) pairs.
    fn merge_touched(&mut self, touched: &mut HashSet<StoryId>) -> Vec<(StoryId, StoryId)> {
        let mut merged: Vec<(StoryId, StoryId)> = Vec::new();
        let mut order: Vec<StoryId> = touched.iter().copied().collect();
        order.sort_unstable();
        for id in order {
            let Some(s) = self.stories.get(&id) else { continue };
            if s.size == 0 {
                continue;
            }
            let probe = Vector {
                terms: s.terms.top(STORED_TERMS),
                entities: s.entities.top(STORED_ENTITIES),
            };
            // The stories sharing the most weight of its heaviest words and names, as
            // `best` ranks candidates for an article.
            let mut hits: HashMap<StoryId, f32> = HashMap::default();
            let keys = probe.terms.iter().take(INDEX_TERMS * 3);
            for &(k, w) in keys.chain(probe.entities.iter().take(INDEX_ENTITIES * 2)) {
                for &o in self.newest_postings(k) {
                    *hits.entry(o).or_insert(0.0) += w;
                }
            }
            let mut ranked: Vec<(StoryId, f32)> = hits.into_iter().filter(|h| h.0 != id).collect();
            ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(self.params.candidates);
            let mut others: Vec<StoryId> = ranked.into_iter().map(|(o, _)| o).collect();
            others.sort_unstable();
            let mut best: Option<(StoryId, f32)> = None;
            for o in others {
                let Some(other) = self.stories.get(&o) else { continue };
                if other.size == 0 {
                    continue;
                }
                let score = self.story_score(s, &probe, other);
                if score >= self.params.merge_threshold && best.is_none_or(|b| score > b.1) {
                    best = Some((o, score));
                }
            }
            if let Some((o, _)) = best {
                let (keep, gone) = (id.min(o), id.max(o));
                let gone_story = self.stories.remove(&gone).expect("merged stories exist");
                let keep_story = self.stories.get_mut(&keep).expect("merged stories exist");
                keep_story.size += gone_story.size;
                keep_story.terms.merge(&gone_story.terms);
                keep_story.entities.merge(&gone_story.entities);
                keep_story.widen(gone_story.first_ts, gone_story.last_ts);
                for q in gone_story.quotes {
                    if keep_story.quotes.len() < MAX_STORY_QUOTES
                        && let Err(at) = keep_story.quotes.binary_search(&q)
                    {
                        keep_story.quotes.insert(at, q);
                    }
                }
                for k in gone_story.keys {
                    if keep_story.keys.len() < MAX_KEYS && keep_story.keys.insert(k) {
                        self.postings.entry(k).or_default().push(keep);
                    }
                }
                if gone_story.label_score > keep_story.label_score {
                    keep_story.label = gone_story.label;
                    keep_story.label_score = gone_story.label_score;
                }
                touched.remove(&gone);
                touched.insert(keep);
                for m in &mut merged {
                    if m.1 == gone {
                        m.1 = keep;
                    }
                }
                merged.push((gone, keep));
            }
        }
        merged
    }

    /// How well two stories fit each other (centroid against centroid, time-damped).
    fn story_score(&self, a: &Story, probe: &Vector, b: &Story) -> f32 {
        if let (Some(af), Some(al), Some(bf), Some(bl)) =
            (a.first_ts, a.last_ts, b.first_ts, b.last_ts)
            && (al.max(bl) - af.min(bf)) as f32 > self.params.max_span_days * DAY
        {
            return 0.0;
        }
        let gap = match (a.first_ts, a.last_ts) {
            (Some(f), Some(l)) => {
                let g = [b.gap_days(Some(f)), b.gap_days(Some(l))]
                    .into_iter()
                    .flatten()
                    .fold(f32::MAX, f32::min);
                // Overlapping spans: no gap.
                if b.first_ts.is_some_and(|bf| bf <= l) && b.last_ts.is_some_and(|bl| bl >= f) {
                    Some(0.0)
                } else if g == f32::MAX {
                    None
                } else {
                    Some(g)
                }
            }
            _ => None,
        };
        let decay = match gap {
            Some(g) if g > self.params.horizon_days => return 0.0,
            Some(g) => self.params.date_boost * (-g / self.params.tau_days).exp(),
            None => 1.0,
        };
        let t = b.terms.cos(&probe.terms).unwrap_or(0.0);
        let e = b.entities.cos(&probe.entities).unwrap_or(0.0);
        let score = if a.entities.norm() > 0.0 && b.entities.norm() > 0.0 {
            (1.0 - self.params.entity_weight) * t + self.params.entity_weight * e
        } else {
            t
        };
        score * decay
    }
}

/// Follows merges to the story an id now is.
fn resolve(merged: &[(StoryId, StoryId)], mut id: StoryId) -> StoryId {
    while let Some(&(_, to)) = merged.iter().find(|(from, _)| *from == id) {
        id = to;
    }
    id
}
