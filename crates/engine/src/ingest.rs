//! `lede ingest`: records from sources, extracted in parallel, stored in order.
//!
//! ```text
//!  reader thread ──(bounded)──> N extraction workers ──(bounded)──> writer (this thread)
//!  Sources: files, JSONL,        decode + extract,                   reorder by record number,
//!  WARC, feeds, URLs             sketch + annotate,                  batch into the store,
//!                                one record at a time                add to the index
//! ```
//!
//! Back-pressure: at most [`IN_FLIGHT`] records are between the reader and the store at any
//! time (a gate the reader waits on and the writer opens), so memory stays bounded whatever
//! the input size, and one slow page cannot make the reorder buffer grow without limit.
//!
//! Results are stored in input order, so the same inputs always give the same store
//! (sequence numbers included). Crash safety comes from the store's transactions and from
//! re-indexing on open: a killed ingest loses its batch in flight; running it again skips
//! what was stored (same content, same id) and stores the rest, giving exactly the store an
//! uninterrupted run gives. The index records which sequence number it holds through, and
//! anything newer in the store is indexed again when a writer opens it.

use crate::Selection;
use crate::prepare::{Outcome, Prepared, prepare};
use crate::{Error, IngestError, Result};
use lede_core::{Location, Origin};
use lede_extract::Extractor;
use lede_ingest::{PageReader, Sources};
use lede_search::SearchIndex;
use lede_store::ArchiveProgress;
use lede_store::{ArticleBlob, NewArticle, Put, StoreWriter};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// Records between the reader and the store at most (each prepared one holds its article,
/// annotations, sketch, features and index document: tens of KiB).
const IN_FLIGHT: usize = 512;
/// Errors kept in the summary (all are counted).
pub(crate) const MAX_ERRORS: usize = 100;

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Extraction workers (0: one per core).
    pub jobs: usize,
    /// Articles per store transaction.
    pub batch: usize,
    /// Longest time between index commits, so that a long ingest is searchable as it goes
    /// (the index is also committed at the end).
    pub commit_every: std::time::Duration,
    /// Fetch the page each feed item links to.
    pub follow: bool,
    /// Requests in flight at most when the inputs are URLs: more than 1 fetches them ahead
    /// on that many threads (the fetcher still allows two per host at most); 0 or 1
    /// fetches them one at a time.
    pub fetchers: usize,
    /// Which records to keep (`--since`, `--until`, `--host`, `--lang`).
    pub selection: Selection,
    /// Where the files of a web-archive set (a `.paths` listing) are: an `http(s)` URL or
    /// a directory (default: the listing's own).
    pub archive_base: Option<String>,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            jobs: 0,
            batch: 512,
            commit_every: std::time::Duration::from_secs(10),
            follow: false,
            fetchers: 0,
            selection: Selection::default(),
            archive_base: None,
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IngestSummary {
    /// Records read (articles, pages, lines, items), good or bad.
    pub seen: u64,
    /// Articles stored.
    pub added: u64,
    /// Records whose text was already stored.
    pub duplicates: u64,
    /// Pages that are not articles (home pages, error pages), not stored.
    pub skipped: u64,
    /// Records left out by `--since`, `--until`, `--host` or `--lang`.
    pub filtered: u64,
    /// Records that could not be read or extracted.
    pub failed: u64,
    /// The first failures, with their source and location.
    pub errors: Vec<IngestError>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Articles re-indexed when the store was opened (after an interrupted run).
    pub reindexed: u64,
    /// What story clustering did.
    pub stories: crate::ClusterSummary,
    /// The files of web-archive sets (`.paths` listings), when any was given.
    #[serde(skip_serializing_if = "ArchiveCounts::is_empty")]
    pub archives: ArchiveCounts,
}

/// The files of the web-archive sets an ingest was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ArchiveCounts {
    /// Files the listings name.
    pub listed: u64,
    /// Files an earlier ingest read to their end: not read again.
    pub finished_before: u64,
    /// Files read to their end by this ingest.
    pub finished: u64,
    /// Files resumed where an interrupted ingest stopped.
    pub resumed: u64,
}

impl ArchiveCounts {
    fn is_empty(&self) -> bool {
        self.listed == 0
    }
}

/// Counts while an ingest runs, for progress displays.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Records done (stored, duplicate, skipped or failed).
    pub done: u64,
    /// Articles stored so far.
    pub added: u64,
    /// Failures so far.
    pub failed: u64,
    /// Bytes read from input files so far (see [`lede_ingest::total_size`]).
    pub bytes_read: u64,
    /// What the ingest is doing.
    pub stage: Stage,
    /// Files of web-archive sets finished (this run or before) and listed (0 and 0 without
    /// a `.paths` input).
    pub archive_files: (u64, u64),
}

/// The stages of an ingest, in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stage {
    /// Reading, extracting, annotating, storing and indexing records.
    #[default]
    Records,
    /// Grouping the stored articles into stories (after every record is stored).
    Stories,
}

/// Closes a prefetch when dropped.
struct CloseOnDrop<'a>(Option<&'a lede_ingest::Prefetch>);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(prefetch) = self.0 {
            prefetch.close();
        }
    }
}

/// A counting semaphore: the reader takes a slot per record, the writer gives it back.
/// Closing it (the writer stopped) lets the reader go.
struct Gate {
    state: Mutex<(usize, bool)>,
    cv: Condvar,
}

impl Gate {
    fn new(slots: usize) -> Gate {
        Gate { state: Mutex::new((slots, false)), cv: Condvar::new() }
    }

    /// Waits for a slot; `false` once the gate is closed.
    fn take(&self) -> bool {
        let mut state = self.state.lock().expect("the gate's lock is never poisoned");
        while state.0 == 0 && !state.1 {
            state = self.cv.wait(state).expect("the gate's lock is never poisoned");
        }
        if state.1 {
            return false;
        }
        state.0 -= 1;
        true
    }

    fn give(&self, n: usize) {
        self.state.lock().expect("the gate's lock is never poisoned").0 += n;
        self.cv.notify_all();
    }

    fn close(&self) {
        self.state.lock().expect("the gate's lock is never poisoned").1 = true;
        self.cv.notify_all();
    }
}

/// Ingests `inputs` into the store in `dir`, calling `progress` now and then.
pub fn ingest(
    dir: &Path,
    reader: &PageReader,
    extractor: &Extractor,
    inputs: &[String],
    options: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestSummary> {
    let start = Instant::now();
    // Opening the store and the index, and reading the first records, overlap the loading.
    crate::load_models_in_background();
    let mut store = StoreWriter::open(dir)?;
    let index = SearchIndex::create_or_open(dir)?;
    let mut index_writer = index.writer()?;
    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        options.jobs
    };
    let mut summary = IngestSummary {
        reindexed: reconcile(&mut store, &index, &mut index_writer, jobs)?,
        ..IngestSummary::default()
    };

    // Conditional requests for URL inputs read before (feeds are re-read often).
    let mut known = std::collections::HashMap::new();
    for input in inputs {
        if let lede_ingest::Source::Url(url) = lede_ingest::Source::parse(input) {
            let validators = store.reader().fetch_state(&url)?;
            if !validators.is_empty() {
                known.insert(url, validators);
            }
        }
    }
    let plan = plan(inputs, options, &store, &mut summary)?;
    let fresh = Mutex::new(Vec::new());
    // The titles the feeds read give themselves, by feed address.
    let titles: Mutex<BTreeMap<String, String>> = Mutex::default();
    let bytes_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let filtered_early = std::sync::atomic::AtomicU64::new(0);
    // Feed items already stored (by their id or address) are not fetched again: a feed
    // polled every few minutes repeats most of its items.
    let known_early = std::sync::atomic::AtomicU64::new(0);
    let lookup = if options.follow { Some(lede_store::Store::open(dir)?) } else { None };

    let gate = Gate::new(IN_FLIGHT);
    let (record_tx, record_rx) = sync_channel::<(u64, Item)>(256);
    let record_rx = Mutex::new(record_rx);
    let (outcome_tx, outcome_rx) = sync_channel::<(u64, Done)>(256);

    // URL inputs fetched ahead, `fetchers` at a time, with at most two pages per fetcher
    // waiting to be read (a page may be as large as the size cap).
    let prefetch = (options.fetchers > 1).then(|| {
        // In the order the reader meets them: the plan's plain inputs, step by step.
        let urls: Vec<String> = plan
            .iter()
            .filter_map(|step| match step {
                Step::Inputs(inputs) => Some(inputs),
                Step::Archive(..) => None,
            })
            .flatten()
            .filter_map(|i| match lede_ingest::Source::parse(i) {
                lede_ingest::Source::Url(url) => Some(url),
                _ => None,
            })
            .collect();
        lede_ingest::Prefetch::new(urls, known.clone(), options.fetchers * 2)
    });

    let result = std::thread::scope(|scope| -> Result<()> {
        let gate = &gate;
        let fresh = &fresh;
        let titles = &titles;
        let filtered_early = &filtered_early;
        let known_early = &known_early;
        let counter = std::sync::Arc::clone(&bytes_read);
        if let Some(prefetch) = &prefetch {
            for _ in 0..options.fetchers {
                scope.spawn(move || prefetch.work(reader));
            }
        }
        let prefetch = prefetch.as_ref();
        scope.spawn(move || {
            // Whether the inputs run out, the writer stops or a bug unwinds this thread,
            // the fetchers stop too (else the scope would wait for them for ever).
            let _close = CloseOnDrop(prefetch);
            let mut n = 0u64;
            let mut send = |item: Item| -> bool {
                let sent = gate.take() && record_tx.send((n, item)).is_ok();
                n += 1;
                sent
            };
            let keep = |record: &lede_ingest::Result<lede_ingest::RawRecord>| match record {
                Ok(r) if !options.selection.keeps_record(r) => {
                    filtered_early.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    false
                }
                Ok(r) if options.follow && known_item(&lookup, r) => {
                    known_early.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    false
                }
                _ => true,
            };
            for step in plan {
                match step {
                    Step::Inputs(inputs) => {
                        let mut sources = Sources::new(reader, inputs)
                            .with_validators(known.clone(), fresh)
                            .with_byte_counter(std::sync::Arc::clone(&counter));
                        if let Some(prefetch) = prefetch {
                            sources = sources.with_prefetch(prefetch);
                        }
                        let note_title = |r: &lede_ingest::Result<lede_ingest::RawRecord>| {
                            if let Some((feed, title)) = r.as_ref().ok().and_then(feed_title) {
                                let mut titles = titles.lock().expect("never poisoned");
                                if !titles.contains_key(feed) {
                                    titles.insert(feed.to_owned(), title.to_owned());
                                }
                            }
                        };
                        for record in sources.inspect(note_title).filter(keep) {
                            if !send(Item::Record(record, None)) {
                                return; // the writer stopped
                            }
                        }
                    }
                    Step::Archive(member, mut at) => {
                        let sources = match &member.location {
                            lede_ingest::ArchiveLocation::File(path) => {
                                Sources::new(reader, [path.to_string_lossy().into_owned()])
                            }
                            lede_ingest::ArchiveLocation::Url(url) => {
                                Sources::remote_archive(reader, url.clone())
                            }
                        }
                        .with_byte_counter(std::sync::Arc::clone(&counter));
                        // A file whose last item is an error (a truncated stream, a bad
                        // last record) is not finished: the next ingest reads on from the
                        // last good record.
                        let mut last_failed = false;
                        for record in sources {
                            let offset = match &record {
                                Ok(r) => offset_of(&r.origin),
                                Err(e) => offset_of(e.origin()),
                            };
                            if offset.is_some_and(|o| o < at.next_offset) {
                                continue; // read by an earlier ingest
                            }
                            if let (Ok(_), Some(o)) = (&record, offset) {
                                at.next_offset = o + 1;
                                at.records += 1;
                            }
                            last_failed = record.is_err();
                            let item = if keep(&record) {
                                Item::Record(record, Some(at.clone()))
                            } else {
                                Item::Mark(at.clone())
                            };
                            if !send(item) {
                                return;
                            }
                        }
                        at.done = !last_failed;
                        if !send(Item::Mark(at)) {
                            return;
                        }
                    }
                }
            }
        });
        for _ in 0..jobs {
            let outcome_tx = outcome_tx.clone();
            let record_rx = &record_rx;
            scope.spawn(move || {
                loop {
                    let next = record_rx.lock().expect("the queue's lock is never poisoned").recv();
                    let Ok((n, item)) = next else { return };
                    let done = match item {
                        Item::Record(Ok(record), mark) => {
                            // A panic is a bug: it costs this record only.
                            let outcome =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    prepare(
                                        record,
                                        extractor,
                                        reader,
                                        options.follow,
                                        &options.selection,
                                    )
                                }))
                                .unwrap_or_else(|_| Outcome::Failed(IngestError::internal(n)));
                            Done { outcome: Some(outcome), mark }
                        }
                        Item::Record(Err(e), mark) => Done {
                            outcome: Some(Outcome::Failed(IngestError::from_ingest(&e))),
                            mark,
                        },
                        Item::Mark(mark) => Done { outcome: None, mark: Some(mark) },
                    };
                    if outcome_tx.send((n, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(outcome_tx);
        let report = |mut p: Progress| {
            p.bytes_read = bytes_read.load(std::sync::atomic::Ordering::Relaxed);
            progress(p);
        };
        let written =
            write(&mut store, &mut index_writer, outcome_rx, gate, options, &mut summary, &report);
        // Whatever happened, let the reader go: it may be waiting for a slot.
        gate.close();
        written
    });
    result?;
    summary.filtered += filtered_early.load(std::sync::atomic::Ordering::Relaxed);
    let known = known_early.load(std::sync::atomic::Ordering::Relaxed);
    summary.seen += known;
    summary.duplicates += known;
    for (url, v) in fresh.into_inner().expect("the validators lock is never poisoned") {
        store.set_fetch_state(&url, &v)?;
    }
    for (url, title) in titles.into_inner().expect("never poisoned") {
        store.set_feed_title(&url, &title)?;
    }
    index_writer.finish()?;
    progress(Progress {
        done: summary.seen,
        added: summary.added,
        failed: summary.failed,
        bytes_read: 0,
        stage: Stage::Stories,
        archive_files: archive_files(&summary),
    });
    summary.stories = crate::stories::cluster_stories(&mut store)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// What the reader thread sends the workers, numbered in input order.
// Records are nearly every item: boxing them to shrink the rare marks would cost an
// allocation per record.
#[allow(clippy::large_enum_variant)]
enum Item {
    /// A record (or the error reading it), with the progress through its web-archive file
    /// once it is read.
    Record(lede_ingest::Result<lede_ingest::RawRecord>, Option<ArchiveProgress>),
    /// Progress through a web-archive file with no record to prepare (records filtered out
    /// before extraction, or the end of the file).
    Mark(ArchiveProgress),
}

/// What a worker sends the writer for an [`Item`].
struct Done {
    /// What became of the record; `None` for a [`Item::Mark`].
    outcome: Option<Outcome>,
    mark: Option<ArchiveProgress>,
}

/// The inputs of an ingest, in order: plain inputs as [`Sources`] reads them, and each
/// file of a web-archive set with where to start in it.
enum Step {
    Inputs(Vec<String>),
    Archive(lede_ingest::ArchiveMember, ArchiveProgress),
}

/// Expands web-archive sets (`.paths` listings) into their files, leaving out those an
/// earlier ingest finished; a listing that cannot be read is a failure in the summary.
fn plan(
    inputs: &[String],
    options: &IngestOptions,
    store: &StoreWriter,
    summary: &mut IngestSummary,
) -> Result<Vec<Step>> {
    if !inputs.iter().any(|i| lede_ingest::is_archive_list(i)) {
        return Ok(vec![Step::Inputs(inputs.to_vec())]);
    }
    let progress = store.reader().archive_progress()?;
    let mut steps = Vec::new();
    let mut plain = Vec::new();
    for input in inputs {
        if !lede_ingest::is_archive_list(input) {
            plain.push(input.clone());
            continue;
        }
        if !plain.is_empty() {
            steps.push(Step::Inputs(std::mem::take(&mut plain)));
        }
        let members =
            match lede_ingest::read_archive_list(Path::new(input), options.archive_base.as_deref())
            {
                Ok(m) => m,
                Err(e) => {
                    summary.seen += 1;
                    summary.failed += 1;
                    summary.errors.push(IngestError::from_ingest(&e));
                    continue;
                }
            };
        for member in members {
            summary.archives.listed += 1;
            let at = match progress.get(&member.name) {
                Some(p) if p.done => {
                    summary.archives.finished_before += 1;
                    continue;
                }
                Some(p) => {
                    summary.archives.resumed += 1;
                    p.clone()
                }
                None => ArchiveProgress {
                    name: member.name.clone(),
                    done: false,
                    next_offset: 0,
                    records: 0,
                },
            };
            steps.push(Step::Archive(member, at));
        }
    }
    if !plain.is_empty() {
        steps.push(Step::Inputs(plain));
    }
    Ok(steps)
}

/// Archive files finished (this run or an earlier one) and listed, for progress.
fn archive_files(summary: &IngestSummary) -> (u64, u64) {
    let a = summary.archives;
    (a.finished + a.finished_before, a.listed)
}

/// Whether a feed item is stored already, under its id or its address (a lookup that fails
/// says no: the item is fetched, and stored once whatever happens).
fn known_item(lookup: &Option<lede_store::Store>, record: &lede_ingest::RawRecord) -> bool {
    let (Some(store), Some((id, url))) = (lookup, feed_item_keys(record)) else {
        return false;
    };
    store.knows(id, url).unwrap_or(false)
}

/// A feed item's record id and address, what a store knows a stored item by (`None`: the
/// record is not a feed item). With `follow`, an item stored under either is not fetched
/// again, in the embedded ingest and in cluster mode's worker alike.
pub fn feed_item_keys(record: &lede_ingest::RawRecord) -> Option<(Option<&str>, Option<&str>)> {
    match (&record.origin, &record.payload) {
        (
            Origin::Record { location: Location::Item(_), .. },
            lede_ingest::Payload::Structured(s),
        ) => Some((s.id.as_deref(), s.url.as_deref())),
        _ => None,
    }
}

/// The feed a record is an item of, and the title the feed gives itself (`None`: the
/// record is not a feed item, or its feed has no title). `lede watch` names the feeds it
/// follows by it, in the embedded ingest and in cluster mode's worker alike.
pub fn feed_title(record: &lede_ingest::RawRecord) -> Option<(&str, &str)> {
    match (&record.origin, &record.payload) {
        (
            Origin::Record { input, location: Location::Item(_) },
            lede_ingest::Payload::Structured(s),
        ) => Some((input.as_str(), s.outlet.as_deref()?)),
        _ => None,
    }
}

/// Where a WARC record starts, when its origin says.
fn offset_of(origin: &Origin) -> Option<u64> {
    match origin {
        Origin::Record { location: Location::Offset(o), .. } => Some(*o),
        _ => None,
    }
}

/// Brings a store and its index up to date before new records go in:
///
/// - sketches the articles stored without a sketch (a store of format 1);
/// - annotates those stored without annotations (a store of format 1 or 2), several
///   threads at a time; any the index already holds are indexed again, with their entities,
///   and that index commit comes before the store's, so a crash between the two only makes
///   the next run do it again;
/// - indexes the store's articles that the index does not hold (an earlier run was killed
///   between a store commit and an index commit, or the index was rebuilt in a new
///   schema), with the entity names the store holds for them.
///
/// Returns how many articles were indexed.
fn reconcile(
    store: &mut StoreWriter,
    index: &SearchIndex,
    writer: &mut lede_search::IndexWriter,
    jobs: usize,
) -> Result<u64> {
    let unsketched = store.reader().unsketched()?;
    for seqs in unsketched.chunks(1024) {
        let sketches: Vec<ArticleBlob> = store
            .reader()
            .by_seqs(seqs)?
            .iter()
            .map(|a| ArticleBlob {
                seq: a.seq,
                bytes: lede_dedup::Sketch::of_paragraphs(&a.article.paragraphs).to_bytes(),
            })
            .collect();
        store.put_sketches(&sketches)?;
    }
    store.sketches_complete()?;
    let through = index.indexed_through()?;
    let last = store.reader().last_seq()?;
    let mut n = 0;
    let unannotated = store.reader().unannotated()?;
    for seqs in unannotated.chunks(1024) {
        let articles = store.reader().by_seqs(seqs)?;
        let annotations = annotate_all(&articles, jobs);
        let mut reindexed = false;
        for (a, (seq, annotations)) in articles.iter().zip(&annotations) {
            if *seq <= through.min(last) {
                writer.delete(*seq);
                writer.add(*seq, &a.id.to_string(), &a.article, &entity_names(annotations))?;
                reindexed = true;
                n += 1;
            }
        }
        if reindexed {
            writer.commit(through.min(last))?;
        }
        let rows: Vec<(lede_core::ArticleSeq, &[String], &lede_core::Annotations)> = articles
            .iter()
            .zip(&annotations)
            .map(|(a, (seq, annotations))| (*seq, a.article.paragraphs.as_slice(), annotations))
            .collect();
        store.put_annotations(&rows)?;
    }
    store.annotations_complete()?;
    // Story features of articles stored before stories existed (format 3 and older).
    for seqs in store.reader().unfeatured()?.chunks(1024) {
        let mut features = Vec::with_capacity(seqs.len());
        for a in store.reader().by_seqs(seqs)? {
            let annotations = store.reader().annotations(a.seq)?.unwrap_or_default();
            features.push(ArticleBlob {
                seq: a.seq,
                bytes: lede_cluster::StoryFeatures::of(&a.article, &annotations).to_bytes(),
            });
        }
        store.put_story_features(&features)?;
    }
    store.story_features_complete()?;
    if through == last {
        return Ok(n);
    }
    // Anything past `through` may be half there: remove it, then add it all again.
    writer.delete_after(through.min(last))?;
    store.reader().scan(through.min(last), 1024, |a| -> Result<()> {
        n += 1;
        let names = store.reader().entity_names(a.seq)?;
        writer.add(a.seq, &a.id.to_string(), &a.article, &names)?;
        Ok(())
    })?;
    writer.commit(last)?;
    Ok(n)
}

/// The canonical names of the entities in `annotations`, for the index.
fn entity_names(annotations: &lede_core::Annotations) -> Vec<&str> {
    annotations.entities.iter().map(|e| e.name.as_str()).collect()
}

/// Annotates stored articles on `jobs` threads, in order. A panic (a bug) costs the
/// article its annotations only: it is stored with none, as a page with no names would be.
fn annotate_all(
    articles: &[lede_store::StoredArticle],
    jobs: usize,
) -> Vec<(lede_core::ArticleSeq, lede_core::Annotations)> {
    let one = |a: &lede_store::StoredArticle| {
        let annotations =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::annotate(&a.article)))
                .unwrap_or_default();
        (a.seq, annotations)
    };
    let per_thread = articles.len().div_ceil(jobs.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = articles
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("annotation panics are caught per article"))
            .collect()
    })
}

fn write(
    store: &mut StoreWriter,
    index: &mut lede_search::IndexWriter,
    outcomes: Receiver<(u64, Done)>,
    gate: &Gate,
    options: &IngestOptions,
    summary: &mut IngestSummary,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<()> {
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut batch: Vec<Prepared> = Vec::with_capacity(options.batch);
    // Progress through web-archive files, up to the last record taken in order: written
    // with the batch that holds those records (or alone, when no record waits).
    let mut marks: Vec<ArchiveProgress> = Vec::new();
    let mut last_commit = Instant::now();
    let mut last_report = Instant::now();
    let mut flush = |batch: &mut Vec<Prepared>,
                     marks: &mut Vec<ArchiveProgress>,
                     summary: &mut IngestSummary,
                     last_commit: &mut Instant|
     -> Result<()> {
        if batch.is_empty() {
            store.mark_archives(marks)?;
            marks.clear();
            return Ok(());
        }
        let sketches: Vec<Vec<u8>> = batch.iter().map(Prepared::sketch_bytes).collect();
        let news: Vec<NewArticle<'_>> =
            batch.iter().zip(&sketches).map(|(p, sketch)| p.to_new(sketch)).collect();
        let puts = store.put_batch_marking(&news, marks)?;
        marks.clear();
        for (p, put) in batch.iter().zip(puts) {
            match put {
                Put::Added { seq } => {
                    index.add(seq, &p.id.to_string(), &p.article, &entity_names(&p.annotations))?;
                    summary.added += 1;
                }
                Put::Duplicate { .. } => summary.duplicates += 1,
            }
        }
        if last_commit.elapsed() >= options.commit_every {
            index.commit(store.reader().last_seq()?)?;
            *last_commit = Instant::now();
        }
        gate.give(batch.len());
        batch.clear();
        Ok(())
    };
    for (n, done) in outcomes {
        pending.insert(n, done);
        while let Some(done) = pending.remove(&next) {
            next += 1;
            if let Some(mark) = done.mark {
                let finished = mark.done;
                match marks.iter_mut().find(|m| m.name == mark.name) {
                    Some(m) => *m = mark,
                    None => marks.push(mark),
                }
                if finished {
                    // A finished file is committed at once, so a later interruption never
                    // makes the next ingest read it again.
                    summary.archives.finished += 1;
                    flush(&mut batch, &mut marks, summary, &mut last_commit)?;
                }
            }
            let Some(outcome) = done.outcome else {
                gate.give(1);
                continue;
            };
            summary.seen += 1;
            match outcome {
                Outcome::Ready(p) => batch.push(*p),
                Outcome::Skipped => {
                    summary.skipped += 1;
                    gate.give(1);
                }
                Outcome::Filtered => {
                    summary.filtered += 1;
                    gate.give(1);
                }
                Outcome::Failed(e) => {
                    summary.failed += 1;
                    if summary.errors.len() < MAX_ERRORS {
                        summary.errors.push(e);
                    }
                    gate.give(1);
                }
            }
            if batch.len() >= options.batch {
                flush(&mut batch, &mut marks, summary, &mut last_commit)?;
            }
        }
        // A long run of records left out stores nothing: keep its progress anyway, now and
        // then, so that a resumed ingest does not read it again.
        if batch.is_empty() && !marks.is_empty() && last_commit.elapsed() >= options.commit_every {
            flush(&mut batch, &mut marks, summary, &mut last_commit)?;
            last_commit = Instant::now();
        }
        if last_report.elapsed().as_millis() >= 100 {
            last_report = Instant::now();
            progress(Progress {
                done: summary.seen,
                added: summary.added,
                failed: summary.failed,
                bytes_read: 0,
                stage: Stage::Records,
                archive_files: archive_files(summary),
            });
        }
    }
    flush(&mut batch, &mut marks, summary, &mut last_commit)?;
    index.commit(store.reader().last_seq()?)?;
    progress(Progress {
        done: summary.seen,
        added: summary.added,
        failed: summary.failed,
        bytes_read: 0,
        stage: Stage::Records,
        archive_files: archive_files(summary),
    });
    if pending.is_empty() {
        Ok(())
    } else {
        Err(Error::Pipeline("records were lost between the workers and the writer".into()))
    }
}
