//! The `lede` command: a thin shell over `lede-engine`.
//!
//! Exit codes scripts can trust: 0 done (commands that read many inputs: every input
//! that could be read was, bad ones are named on standard error), 1 failed (nothing could be
//! read, or any failure with `--strict`; see `outcome`), 2 bad usage. Output goes to standard output (human text, or JSON with `--json`); messages go
//! to standard error. A closed pipe (`lede analyze … | head`) ends quietly with 0.

// The binary prints by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod analyze;
mod args;
mod attribution;
mod cluster;
mod crawl;
mod network;
mod outcome;
mod provenance;
mod serve;
mod store_cmds;
mod stories;
mod view;
mod watch;

use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: an ingest allocates many small short-lived values on
/// five threads. Measured on the press releases (2 cores): 10,000 records 12.7 -> 11.4 s of
/// CPU, 52,060 records 59 -> 55 s wall with a lower peak (459 MB against 487-558 MB), but a
/// higher peak on the small run (305 MB against 222 MB): it keeps freed pages a while.
/// Built without transparent huge pages (the `no_thp` feature): with them, each first touch
/// of an arena zeroed 2 MiB, 30% of `lede analyze`'s samples on the 181 pages, and the
/// 10,000-record ingest peaked at 244 MB instead of 185 MB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let cluster_mode = cli.postgres.is_some() || cli.nats.is_some();
    let clustered = if cluster_mode {
        cluster::run(&cli.command, cli.postgres.as_deref(), cli.nats.as_deref())
    } else {
        None
    };
    let result = if let Some(result) = clustered {
        result
    } else if cluster_mode && !matches!(cli.command, args::Command::Analyze(_)) {
        Err(anyhow::anyhow!(
            "this command does not run in cluster mode yet (--postgres/--nats): ingest, crawl, \
             watch, feeds, worker, errors, show, search, stats, dups, trace, stories, story, \
             quotes, entities, export, outlets, authors and serve do (issue 15)"
        ))
    } else {
        run(cli)
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "lede: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: args::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        args::Command::Analyze(a) => analyze::run(&a),
        args::Command::Ingest(a) => store_cmds::ingest(&cli.data, &a),
        args::Command::Crawl(a) => crawl::crawl(&cli.data, &a),
        args::Command::Watch(a) => watch::watch(&cli.data, &a),
        args::Command::Feeds(a) => watch::feeds(&cli.data, &a),
        args::Command::Search(a) => store_cmds::search(&cli.data, &a),
        args::Command::Show(a) => store_cmds::show(&cli.data, &a),
        args::Command::Quotes(a) => attribution::quotes(&cli.data, &a),
        args::Command::Entities(a) => attribution::entities(&cli.data, &a),
        args::Command::Stats(a) => store_cmds::stats(&cli.data, &a),
        args::Command::Export(a) => store_cmds::export(&cli.data, &a),
        args::Command::Trace(a) => provenance::trace(&cli.data, &a),
        args::Command::Dups(a) => provenance::dups(&cli.data, &a),
        args::Command::Spin(a) => provenance::spin(&cli.data, &a),
        args::Command::Outlets(a) => network::outlets(&cli.data, &a),
        args::Command::Authors(a) => network::authors(&cli.data, &a),
        args::Command::Stories(a) => stories::stories(&cli.data, &a),
        args::Command::Story(a) => stories::story(&cli.data, &a),
        args::Command::Serve(a) => serve::serve(&cli.data, &a),
        args::Command::Demo(a) => serve::demo(&cli.data, &a),
        args::Command::Worker(_) | args::Command::Errors(_) => Err(anyhow::anyhow!(
            "lede worker and lede errors are cluster mode's: they need --postgres and --nats"
        )),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
