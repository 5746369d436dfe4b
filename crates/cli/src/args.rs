//! Command-line arguments.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// lede turns news pages into structured, deduplicated, attributed stories.
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// The data directory (the store and its index).
    #[arg(
        long,
        global = true,
        env = "LEDE_DATA",
        default_value = "./lede-data",
        value_name = "DIR"
    )]
    pub(crate) data: PathBuf,

    /// Cluster mode: the PostgreSQL database that holds the records (a `postgresql://`
    /// URL); `ingest`, `worker`, `show`, `search`, `stats` and `dups` then use it instead of the
    /// data directory.
    #[arg(long, global = true, env = "LEDE_POSTGRES", value_name = "URL")]
    pub(crate) postgres: Option<String>,

    /// Cluster mode: the NATS server (JetStream) that carries the work (`nats://host:4222`);
    /// `ingest` then publishes its inputs for `lede worker`s instead of reading them.
    #[arg(long, global = true, env = "LEDE_NATS", value_name = "URL")]
    pub(crate) nats: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Read news pages and print their articles: title, authors, date, outlet, captions,
    /// paragraphs, related stories, language, and who is in them and who said what.
    Analyze(AnalyzeArgs),
    /// Read news from files, directories, JSON Lines, WARC, feeds, URLs or standard input
    /// into the store, each article once, searchable at once.
    Ingest(IngestArgs),
    /// Find a site's articles through its sitemaps (robots.txt, sitemap indexes, gzip, news
    /// sitemaps) and ingest those in the date range that are not stored yet.
    Crawl(CrawlArgs),
    /// Follow feeds (RSS, Atom, JSON Feed): poll each on its own schedule, store what is
    /// new (its pages fetched), until interrupted; `--once` for cron.
    Watch(WatchArgs),
    /// The feeds `lede watch` follows, with their health; add, remove, import, export.
    Feeds(FeedsArgs),
    /// Full-text search: words, "phrases", AND/OR/-, title: outlet: author: entity:
    /// prefixes.
    Search(SearchArgs),
    /// Cluster mode: take ingest work from NATS (`--nats`), read and prepare it, store it
    /// in PostgreSQL (`--postgres`); run any number, on any number of machines.
    Worker(WorkerArgs),
    /// Cluster mode: the work that failed for good (the dead-letter stream), with why.
    Errors(JsonArg),
    /// Print a stored article, by id (or an 8+ digit prefix), record id or URL.
    Show(ShowArgs),
    /// Who said what: stored quotes with their speakers, newest first.
    Quotes(QuotesArgs),
    /// The people, organisations and places the store names, most covered first.
    Entities(EntitiesArgs),
    /// Counts: articles, outlets, aliases, dates, languages, entities, quotes.
    Stats(JsonArg),
    /// Write every stored article as JSON Lines (`lede ingest` reads them back).
    Export(ExportArgs),
    /// Where each passage of an article first appeared and where it went next: its
    /// sources, the passages they supply, the words swapped on the way, a verdict
    /// (original, copy, composite, spun) with a spin score, and the later articles that
    /// reuse it.
    Trace(TraceArgs),
    /// Groups of near-duplicate articles in the store, with their similarity.
    Dups(DupsArgs),
    /// Stories: articles that tell the same story, across outlets and days, newest first.
    Stories(StoriesArgs),
    /// One story: its timeline, outlets, names, quotes, and related stories with the
    /// reason.
    Story(StoryArgs),
    /// The web reader and the JSON API over the store (read-only; loopback unless told).
    Serve(ServeArgs),
    /// The whole pipeline in one command: ingest the bundled sample and the seed page,
    /// print what lede found, and serve the reader.
    Demo(DemoArgs),
    /// The spinner's thesaurus: word swaps that reuse across the store shows, most
    /// widespread first (traces every stored article).
    Spin(SpinArgs),
    /// The outlet copy network: who copies whom, how much, how fast, how spun; each
    /// outlet's reuse, spin rate and bylines; groups that republish each other's spun
    /// copies (traces every stored article, or `--sample N`).
    Outlets(OutletsArgs),
    /// Bylines: each author's outlets, articles and reused text, flagging bylines across
    /// unrelated outlets and outlets whose bylines appear nowhere else over borrowed text.
    Authors(AuthorsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Feed addresses to follow (added to those the store follows already).
    #[arg(value_name = "FEED")]
    pub(crate) feeds: Vec<String>,

    /// Also follow the feeds an OPML file lists.
    #[arg(long, value_name = "FILE")]
    pub(crate) opml: Option<PathBuf>,

    /// A new feed's first polling interval (`30s`, `15m`, `2h`, `1d`).
    #[arg(long, default_value = "15m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) every: std::time::Duration,

    /// The shortest interval a feed that publishes often is polled at.
    #[arg(long, default_value = "5m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) min_interval: std::time::Duration,

    /// The longest interval a quiet feed is polled at.
    #[arg(long, default_value = "6h", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) max_interval: std::time::Duration,

    /// Poll every feed once, then exit (for cron).
    #[arg(long)]
    pub(crate) once: bool,

    /// Also serve the reader on this address, in the same process.
    #[arg(long, value_name = "ADDR")]
    pub(crate) serve: Option<std::net::SocketAddr>,

    /// Print one JSON object per poll.
    #[arg(long)]
    pub(crate) json: bool,

    /// Cluster mode: how long a feed this watch polls stays claimed without a word from
    /// it (the claim is renewed while the watch runs), so how soon another watch takes
    /// over the feeds of one that died.
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) claim: Option<std::time::Duration>,

    #[command(flatten)]
    pub(crate) read: ReadArgs,

    /// Extraction threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct FeedsArgs {
    #[command(subcommand)]
    pub(crate) action: Option<FeedsAction>,

    /// Print JSON (the list).
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FeedsAction {
    /// Follow feeds.
    Add {
        /// Feed addresses (http or https).
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
    },
    /// Stop following feeds (what was stored from them stays).
    Remove {
        /// Feed addresses.
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
    },
    /// Follow the feeds an OPML file lists.
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Write the followed feeds as OPML (`-`: standard output).
    Export {
        /// The OPML file to write.
        file: PathBuf,
    },
}

/// `90s`, `15m`, `2h`, `1d`, or seconds alone, as a duration (at least a second).
pub(crate) fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 =
        number.parse().map_err(|_| format!("{s:?} is not a duration (like 90s, 15m, 2h, 1d)"))?;
    let scale = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{s:?} is not a duration (like 90s, 15m, 2h, 1d)")),
    };
    match n.checked_mul(scale) {
        Some(secs) if secs > 0 => Ok(std::time::Duration::from_secs(secs)),
        _ => Err(format!("{s:?} is not a duration of at least a second")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct QuotesArgs {
    /// Only this speaker's quotes: the whole name or its last word(s), any case
    /// (`Tillerson` finds "Rex Tillerson").
    #[arg(long, value_name = "NAME")]
    pub(crate) speaker: Option<String>,

    /// How many quotes.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) limit: usize,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StoriesArgs {
    /// Only stories with an article dated on or after this day (2019-02-01).
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// Only stories of at least this many articles.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub(crate) min_size: u64,

    /// How many stories (0: all).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) limit: usize,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,

    /// Also give each story's stories in other languages, as `lede story` does (JSON:
    /// `also_in`); a few milliseconds a story.
    #[arg(long)]
    pub(crate) also_in: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Where to listen (another address than loopback makes the store readable by others).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub(crate) addr: std::net::SocketAddr,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub(crate) addr: std::net::SocketAddr,

    /// The sample corpus (JSON Lines files).
    #[arg(long, default_value = "data/sample", value_name = "DIR")]
    pub(crate) sample: PathBuf,

    /// The seed page.
    #[arg(long, default_value = "tests/fixtures/seed/source.txt", value_name = "FILE")]
    pub(crate) seed: PathBuf,

    /// Print the summary and stop, without serving.
    #[arg(long)]
    pub(crate) no_serve: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StoryArgs {
    /// The story's id (as `lede stories` lists it), or an article (id, record id or URL)
    /// whose story to show.
    #[arg(value_name = "ID")]
    pub(crate) id: String,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EntitiesArgs {
    /// Only entities of this kind.
    #[arg(long, value_parser = ["person", "organization", "place"], value_name = "KIND")]
    pub(crate) kind: Option<String>,

    /// How many entities.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) limit: usize,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct OutletsArgs {
    /// Trace at most this many articles, spread evenly over the store (counts of articles
    /// and bylines stay the whole store's).
    #[arg(long, value_name = "N")]
    pub(crate) sample: Option<usize>,

    /// How many outlets and edges to print (the JSON and GraphML hold them all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub(crate) limit: usize,

    /// Also write the copy graph as GraphML (for Gephi, networkx, igraph).
    #[arg(long, value_name = "FILE")]
    pub(crate) graphml: Option<PathBuf>,

    /// Print JSON: the outlets, the edges and the groups.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AuthorsArgs {
    /// Trace at most this many articles, spread evenly over the store.
    #[arg(long, value_name = "N")]
    pub(crate) sample: Option<usize>,

    /// How many bylines to print (the JSON holds them all).
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub(crate) limit: usize,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SpinArgs {
    /// How many pairs to print.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) limit: usize,

    /// Only pairs seen in at least this many articles.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub(crate) min_articles: usize,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// Articles: a stored article's id (or 8+ first digits), record id or URL; or a page
    /// to read (a file, an http(s) URL, `-`), traced against the store.
    #[arg(required = true, value_name = "ID|PATH")]
    pub(crate) articles: Vec<String>,

    /// Print JSON (one object per line when several articles are traced).
    #[arg(long)]
    pub(crate) json: bool,

    /// Exit 1 if any input failed (by default, 1 only when none could be read).
    #[arg(long)]
    pub(crate) strict: bool,

    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DupsArgs {
    /// Share of the longer article that the shorter must reproduce (0 to 1).
    #[arg(long, default_value_t = 0.5, value_parser = parse_share, value_name = "T")]
    pub(crate) threshold: f64,

    /// Only pair articles published at most this many days apart.
    #[arg(long, value_name = "DAYS")]
    pub(crate) window: Option<u32>,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

fn parse_host(s: &str) -> Result<lede_ingest::HostPattern, String> {
    lede_ingest::HostPattern::parse(s)
}

fn parse_lang(s: &str) -> Result<String, String> {
    let code = s.trim().to_ascii_lowercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(code)
    } else {
        Err(format!("{s:?} is not a two-letter language code (like en, de, ru)"))
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("{s:?} is not a number from 0 to 1")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Sources: files (HTML, text, JSON Lines, WARC, feeds; gzip or not), directories,
    /// http(s) URLs of pages or feeds, `-` for standard input, and web-archive sets: a
    /// `.paths` or `.paths.gz` listing of WARC files (CC-NEWS's `warc.paths.gz`), read file
    /// by file and resumed where an interrupted ingest stopped.
    #[arg(required = true, value_name = "SOURCE")]
    pub(crate) sources: Vec<String>,

    /// Where the WARC files of a `.paths` listing are: a URL (read over HTTP as streams,
    /// `https://data.commoncrawl.org/` for CC-NEWS) or a directory (default: the listing's
    /// own), where a file is looked up as listed, then by its name.
    #[arg(long, value_name = "URL|DIR")]
    pub(crate) base_url: Option<String>,

    #[command(flatten)]
    pub(crate) select: SelectionArgs,

    /// Print the summary as JSON.
    #[arg(long)]
    pub(crate) json: bool,

    /// Exit 1 if any input failed (by default, 1 only when none could be read).
    #[arg(long)]
    pub(crate) strict: bool,

    /// For feeds, fetch and read the page each item links to.
    #[arg(long)]
    pub(crate) follow: bool,

    /// Cluster mode: once published, wait until the workers have stored everything, then
    /// print the summary an embedded ingest prints.
    #[arg(long)]
    pub(crate) wait: bool,

    #[command(flatten)]
    pub(crate) read: ReadArgs,

    /// Extraction threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct WorkerArgs {
    /// Threads taking work (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,

    /// Exit once no work has come for this long (`30s`, `5m`; default: run until stopped).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) exit_when_idle: Option<std::time::Duration>,

    /// Print what it did as JSON when it exits.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CrawlArgs {
    /// Sites (`https://news.example`: their sitemaps are named by robots.txt, else
    /// `/sitemap.xml`) or sitemap addresses (sitemaps, sitemap indexes, news sitemaps;
    /// gzip or not).
    #[arg(required = true, value_name = "SITE|SITEMAP_URL")]
    pub(crate) sites: Vec<String>,

    /// Fetch at most this many pages (pages already stored do not count).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_pages: Option<u64>,

    #[command(flatten)]
    pub(crate) select: SelectionArgs,

    /// Print the summary as JSON.
    #[arg(long)]
    pub(crate) json: bool,

    /// Exit 1 if anything failed, a sitemap or a page (by default, 1 only when nothing
    /// could be read).
    #[arg(long)]
    pub(crate) strict: bool,

    /// Cluster mode: once the pages are published, wait until the workers have stored
    /// them, then print the summary an embedded crawl prints.
    #[arg(long)]
    pub(crate) wait: bool,

    #[command(flatten)]
    pub(crate) read: ReadArgs,

    /// Extraction threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,
}

/// What `ingest` and `crawl` keep: `--since`, `--until`, `--host`, `--lang` (the engine's
/// `Selection`).
#[derive(Debug, Args)]
pub(crate) struct SelectionArgs {
    /// Only records dated on or after this day (2019-02-01): by the date known before
    /// fetching or extracting (a sitemap's, a WARC record's capture date), then by the
    /// page's own date; undated pages are left out.
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// Only records dated on or before this day (as --since).
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<String>,

    /// Only records from hosts matching this pattern (`bbc.co.uk`, `*.bbc.co.uk`,
    /// `news.*`); repeat for several. Checked on the address, before fetching or
    /// extracting.
    #[arg(long = "host", value_name = "PATTERN", value_parser = parse_host)]
    pub(crate) hosts: Vec<lede_ingest::HostPattern>,

    /// Only articles in this language (ISO 639-1: `en`, `de`); repeat for several. Checked
    /// on the extracted text, before annotation.
    #[arg(long = "lang", value_name = "CODE", value_parser = parse_lang)]
    pub(crate) languages: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The query (may be left out when a filter says what to list).
    #[arg(
        value_name = "QUERY",
        default_value = "",
        hide_default_value = true,
        required_unless_present_any = ["entity", "outlet", "from", "to"]
    )]
    pub(crate) query: String,

    /// Only articles published on or after this date.
    #[arg(long, value_name = "DATE")]
    pub(crate) from: Option<String>,

    /// Only articles published on or before this date.
    #[arg(long, value_name = "DATE")]
    pub(crate) to: Option<String>,

    /// Only articles from this outlet (its whole name, any case).
    #[arg(long, value_name = "NAME")]
    pub(crate) outlet: Option<String>,

    /// Only articles that name this entity (its whole canonical name, any case: "Rex
    /// Tillerson", "Russia"; see `lede entities`).
    #[arg(long, value_name = "NAME")]
    pub(crate) entity: Option<String>,

    /// How many results.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub(crate) limit: usize,

    /// Order: relevance, newest or oldest.
    #[arg(long, default_value = "relevance", value_parser = ["relevance", "newest", "oldest"])]
    pub(crate) sort: String,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The article: its id (or 8+ first digits), its record's id, or its URL.
    #[arg(value_name = "ID")]
    pub(crate) id: String,

    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The format (JSON Lines is the one there is).
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl"])]
    pub(crate) format: String,

    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// Pages to read: files (HTML, XHTML, plain text, optionally gzipped), http(s) URLs,
    /// or `-` for standard input.
    #[arg(required = true, value_name = "PATH|URL|-")]
    pub(crate) inputs: Vec<String>,

    /// Print JSON: one object for one page, JSON Lines for several.
    #[arg(long)]
    pub(crate) json: bool,

    /// Write one `<name>.json` per page into DIR instead of printing (for batches).
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) read: ReadArgs,

    /// The page's address, when reading a saved page (resolves links, finds the outlet).
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,

    /// Print why each block of an HTML page was kept or dropped, instead of the article.
    #[arg(long, conflicts_with_all = ["json", "out_dir"])]
    pub(crate) explain: bool,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) jobs: Option<usize>,

    /// Exit 1 if any input failed (by default, 1 only when none could be read).
    #[arg(long)]
    pub(crate) strict: bool,
}

/// How pages are read and fetched: the options `analyze`, `ingest` and `crawl` share.
#[derive(Debug, Args)]
pub(crate) struct ReadArgs {
    /// Largest page or record read, compressed or not (`32MiB`, `500k`, `1G`, bytes).
    #[arg(long, default_value = "32MiB", value_parser = parse_size, value_name = "SIZE")]
    pub(crate) max_size: u64,

    /// Allow fetching from private, loopback and link-local addresses.
    #[arg(long)]
    pub(crate) allow_private: bool,

    /// Seconds allowed for a fetch, connection to last byte.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub(crate) timeout: u64,
}

impl ReadArgs {
    /// The page reader these options describe.
    pub(crate) fn reader(&self) -> lede_ingest::PageReader {
        lede_ingest::ReadConfig {
            max_bytes: self.max_size,
            allow_private: self.allow_private,
            timeout: std::time::Duration::from_secs(self.timeout.max(1)),
            ..lede_ingest::ReadConfig::default()
        }
        .build()
    }
}

/// `32MiB`, `32M`, `500k`, `1G`, `4096` as a number of bytes (K, M, G are powers of 1024).
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| format!("not a size: {s:?} (try 32MiB)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown size unit in {s:?} (use K, M or G)")),
    };
    let bytes = value * factor as f64;
    if !(1.0..=(1u64 << 40) as f64).contains(&bytes) {
        return Err(format!("size out of range: {s:?}"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("32MiB"), Ok(32 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
