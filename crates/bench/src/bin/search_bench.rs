//! Search latency: `search_bench DATA_DIR QUERIES.jsonl` runs every query of the file
//! (`bench/corpus.py queries`) through `lede_engine::Library::search` — index lookup,
//! store fetch and snippets, what `lede search` does minus printing — after one warm-up
//! pass, and prints the latency percentiles as JSON.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_engine::{Library, SearchQuery};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: search_bench DATA_DIR QUERIES.jsonl");
        std::process::exit(2);
    }
    let library = Library::open(std::path::Path::new(&args[0])).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let text = std::fs::read_to_string(&args[1]).expect("a readable queries file");
    let secs = |v: &serde_json::Value, end: bool| {
        v.as_str()
            .and_then(lede_extract::read_date)
            .map(|p| p.at.unix_seconds() + if end { 86_400 } else { 0 })
    };
    let queries: Vec<SearchQuery> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON query");
            let mut q = SearchQuery::new(v["q"].as_str().unwrap_or(""));
            q.from = secs(&v["from"], false);
            q.to = secs(&v["to"], true);
            q.outlet = v["outlet"].as_str().map(str::to_owned);
            q
        })
        .collect();
    for q in &queries {
        let _ = library.search(q);
    }
    let mut latencies = Vec::with_capacity(queries.len());
    let mut timed: Vec<(f64, &SearchQuery)> = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in &queries {
        let t = Instant::now();
        let results = library.search(q).expect("a search");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        latencies.push(ms);
        timed.push((ms, q));
        hits += results.hits.len();
    }
    if std::env::var_os("SEARCH_BENCH_SLOWEST").is_some() {
        timed.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, q) in timed.iter().take(15) {
            eprintln!(
                "{ms:8.2} ms  {:?} from {:?} to {:?} outlet {:?}",
                q.text, q.from, q.to, q.outlet
            );
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
    println!(
        "{}",
        serde_json::json!({"queries": latencies.len(), "hits": hits, "p50_ms": pct(0.5), "p99_ms": pct(0.99), "mean_ms": mean, "max_ms": latencies[latencies.len() - 1]})
    );
}
