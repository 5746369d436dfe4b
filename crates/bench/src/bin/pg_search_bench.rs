//! PostgreSQL's full-text search (lede-pg) beside the embedded tantivy index, on the same
//! articles and queries: `pg_search_bench DATA_DIR PG_URL QUERIES.jsonl [--load]`.
//!
//! With `--load`, first copies every article of the embedded store in DATA_DIR into the
//! PostgreSQL database (`PgStore::put_batch`, 1,000 a transaction) and times it. Then runs
//! each query's text (`bench/corpus.py queries`; its date and outlet filters are left out,
//! for both: lede-pg has no filters yet) through `lede_engine::Library::search` (tantivy,
//! BM25, store fetch and snippets) and `PgStore::search` (the same terms in a GIN-indexed
//! tsvector, BM25 from PostgreSQL's statistics, snippets), after one warm-up pass of each,
//! and prints JSON: the mean overlap of the two top-10 lists (shared ids / tantivy's count,
//! over queries tantivy answers) and the lowest, how many queries each leaves empty, each
//! one's latency percentiles and PostgreSQL's five slowest queries.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_engine::{Library, SearchQuery};
use lede_pg::PgStore;
use lede_store::{NewArticle, Store};
use std::collections::HashSet;
use std::time::Instant;

const TOP: usize = 10;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: pg_search_bench DATA_DIR PG_URL QUERIES.jsonl [--load]");
        std::process::exit(2);
    }
    let dir = std::path::Path::new(&args[0]);
    let fail = |e: &dyn std::fmt::Display| -> ! {
        eprintln!("{e}");
        std::process::exit(1)
    };
    let mut pg = PgStore::connect(&args[1]).unwrap_or_else(|e| fail(&e));
    let mut load = serde_json::Value::Null;
    if args.get(3).map(String::as_str) == Some("--load") {
        let store = Store::open(dir).unwrap_or_else(|e| fail(&e));
        let t = Instant::now();
        let mut chunk = Vec::with_capacity(1000);
        let mut n = 0u64;
        let mut flush = |chunk: &mut Vec<lede_store::StoredArticle>, pg: &mut PgStore| {
            let batch: Vec<NewArticle<'_>> = chunk
                .iter()
                .map(|a| NewArticle {
                    id: a.id,
                    article: &a.article,
                    source_id: a.source_id.as_deref(),
                    extra: a.extra.as_ref(),
                    origin: &a.origin,
                    fetched_at: &[],
                    sketch: None,
                    annotations: None,
                    features: None,
                })
                .collect();
            // The bench's own clock, fixed: undated articles land in one month.
            pg.put_batch(&batch, 1_796_385_600).unwrap_or_else(|e| fail(&e));
            n += chunk.len() as u64;
            chunk.clear();
        };
        store
            .scan(lede_core::ArticleSeq(0), 1000, |a| -> Result<(), lede_store::Error> {
                chunk.push(a);
                if chunk.len() == 1000 {
                    flush(&mut chunk, &mut pg);
                }
                Ok(())
            })
            .unwrap_or_else(|e| fail(&e));
        flush(&mut chunk, &mut pg);
        let secs = t.elapsed().as_secs_f64();
        load = serde_json::json!({"articles": n, "seconds": secs, "per_second": n as f64 / secs});
    }
    let library = Library::open(dir).unwrap_or_else(|e| fail(&e));
    let text = std::fs::read_to_string(&args[2]).unwrap_or_else(|e| fail(&e));
    let queries: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| fail(&e));
            v["q"].as_str().unwrap_or("").to_owned()
        })
        .collect();
    let tantivy = |q: &str| -> Vec<String> {
        let mut query = SearchQuery::new(q);
        query.limit = TOP;
        let results = library.search(&query).unwrap_or_else(|e| fail(&e));
        results.hits.into_iter().map(|h| h.id).collect()
    };
    for q in &queries {
        tantivy(q);
        pg.search(q, TOP).unwrap_or_else(|e| fail(&e));
    }
    let (mut t_ms, mut p_ms) = (Vec::new(), Vec::new());
    let mut slowest: Vec<(f64, &str)> = Vec::new();
    let mut apart: Vec<(f64, &str)> = Vec::new();
    let (mut overlap, mut answered, mut t_empty, mut p_empty) = (0.0, 0usize, 0usize, 0usize);
    for q in &queries {
        let t = Instant::now();
        let a = tantivy(q);
        t_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let b: HashSet<String> =
            pg.search(q, TOP).unwrap_or_else(|e| fail(&e)).into_iter().map(|h| h.id).collect();
        p_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        slowest.push((*p_ms.last().expect("just pushed"), q));
        t_empty += usize::from(a.is_empty());
        p_empty += usize::from(b.is_empty());
        if !a.is_empty() {
            answered += 1;
            let shared = a.iter().filter(|id| b.contains(*id)).count() as f64 / a.len() as f64;
            overlap += shared;
            if shared < 1.0 {
                apart.push((shared, q));
            }
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
    };
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<serde_json::Value> =
        slowest.iter().take(5).map(|(ms, q)| serde_json::json!({"q": q, "ms": ms})).collect();
    apart.sort_by(|a, b| a.0.total_cmp(&b.0));
    let lowest: Vec<serde_json::Value> =
        apart.iter().take(10).map(|(o, q)| serde_json::json!({"q": q, "overlap": o})).collect();
    println!(
        "{}",
        serde_json::json!({
            "queries": queries.len(),
            "load": load,
            "top10_overlap": overlap / answered.max(1) as f64,
            "below_full_overlap": {"queries": apart.len(), "lowest": lowest},
            "tantivy": {"empty": t_empty, "p50_ms": pct(&mut t_ms, 0.5), "p99_ms": pct(&mut t_ms, 0.99)},
            "postgres": {"empty": p_empty, "p50_ms": pct(&mut p_ms, 0.5), "p99_ms": pct(&mut p_ms, 0.99), "slowest": slowest},
        })
    );
}
