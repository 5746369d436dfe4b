//! `lede crawl` in cluster mode: the sitemaps walked here, as the embedded crawl walks them
//! ([`lede_engine::walk_crawl`]: the same selection, robots.txt and `--max-pages`), the
//! addresses already stored looked up in PostgreSQL, and each page left published as a
//! job of one run, an address that a worker fetches and stores; `--wait` then waits for
//! the run as `ingest --wait` does.
//!
//! A job's message id is a hash of the job, its run included: a publish retried within a
//! run is dropped by the stream. Two crawls of one site at the same time are two runs, and
//! a page neither finds stored is fetched by both and stored once (the second copy is a
//! duplicate).

use crate::queue::Queue;
use crate::{Job, Published, Result};
use lede_engine::{CrawlOptions, CrawlSink, CrawlSummary};
use lede_ingest::{PageReader, Piece};
use lede_pg::PgStore;

/// What a crawl published: the summary of the walk (`fetched`: pages published as jobs;
/// `pages` left empty, for [`crate::wait`] to fill) and the run.
#[derive(Debug, Clone)]
pub struct CrawlPublished {
    /// The walk, as the embedded crawl sums it up.
    pub summary: CrawlSummary,
    /// The run the jobs belong to.
    pub published: Published,
}

/// Crawls `inputs` (sites or sitemap addresses): pages not stored in the database at
/// `postgres` are published to `queue` for the workers.
pub fn publish_crawl(
    postgres: &str,
    queue: &Queue,
    reader: &PageReader,
    inputs: &[String],
    options: &CrawlOptions,
) -> Result<CrawlPublished> {
    let selection = &options.selection;
    let template = Job {
        run: crate::publish::new_run(),
        piece: Piece::Whole { input: String::new() },
        follow: false,
        // The page's own date and language are judged by the worker after extraction, as
        // the embedded crawl's ingest judges them.
        since: selection.since,
        until: selection.until,
        hosts: selection.hosts.iter().map(|h| h.as_str().to_owned()).collect(),
        languages: selection.languages.clone(),
    };
    let mut sink = QueueSink {
        store: PgStore::connect(postgres)?,
        queue,
        published: Published { run: template.run.clone(), jobs: 0, errors: Vec::new() },
        template,
    };
    let summary = lede_engine::walk_crawl(reader, inputs, options, &mut sink)?;
    Ok(CrawlPublished { summary, published: sink.published })
}

/// Pages to the work queue, stored pages looked up in PostgreSQL.
struct QueueSink<'a> {
    store: PgStore,
    queue: &'a Queue,
    template: Job,
    published: Published,
}

impl CrawlSink for QueueSink<'_> {
    type Error = crate::Error;

    fn is_stored(&mut self, url: &str) -> Result<bool> {
        // What `PgStore::find` answers for an address (an address is never an article id
        // or a prefix of one), without reading the article: stored under it, as its
        // address or as the record id it was read under.
        Ok(self.store.knows(Some(url), Some(url))?)
    }

    fn take(&mut self, urls: &[String], _: &mut CrawlSummary) -> Result<()> {
        for url in urls {
            let job = Job { piece: Piece::Whole { input: url.clone() }, ..self.template.clone() };
            let payload = serde_json::to_vec(&job).expect("jobs always serialise");
            self.queue.publish(&job.message_id(), payload)?;
            self.published.jobs += 1;
        }
        Ok(())
    }
}
