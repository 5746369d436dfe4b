//! `lede trace` latency on a store: `trace_bench DATA_DIR [N]` traces N articles spread
//! evenly over the store (by sequence number) through `lede_engine::Library::trace`, as
//! `lede trace` does minus printing, after tracing 20 others to warm the caches, and prints
//! the latency percentiles and the verdicts as JSON.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_engine::Library;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() > 2 {
        eprintln!("usage: trace_bench DATA_DIR [N]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[0]);
    let n: u64 = args.get(1).map_or(200, |n| n.parse().expect("N is a number"));
    let fail = |e: &dyn std::fmt::Display| -> ! {
        eprintln!("trace_bench: {e}");
        std::process::exit(1)
    };
    let library = Library::open(dir).unwrap_or_else(|e| fail(&e));
    let store = lede_store::Store::open(dir).unwrap_or_else(|e| fail(&e));
    let last = store.last_seq().unwrap_or_else(|e| fail(&e)).0;
    let pick = |count: u64, offset: u64| -> Vec<String> {
        let seqs: Vec<lede_core::ArticleSeq> = (0..count)
            .map(|i| lede_core::ArticleSeq(1 + (offset + i * last / count.max(1)) % last.max(1)))
            .collect();
        let stored = store.by_seqs(&seqs).unwrap_or_else(|e| fail(&e));
        stored.iter().map(|s| s.id.to_string()).collect()
    };
    for id in pick(20, 7) {
        let _ = library.trace(&id);
    }
    let mut ms = Vec::new();
    let mut verdicts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for id in pick(n, 0) {
        let t = Instant::now();
        let report = library.trace(&id).unwrap_or_else(|e| fail(&e)).expect("a stored article");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        *verdicts.entry(report.verdict.as_str()).or_default() += 1;
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{}",
        serde_json::json!({
            "articles": last,
            "traced": ms.len(),
            "p50_ms": at(0.5),
            "p90_ms": at(0.9),
            "p99_ms": at(0.99),
            "max_ms": at(1.0),
            "verdicts": verdicts,
        })
    );
}
