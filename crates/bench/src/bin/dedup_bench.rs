//! lede's near-duplicate pipeline on a JSON Lines file, for `bench/dedup.sh`: read, split
//! into words, sketch, group (banded LSH, then the check `lede dups` makes), and write one
//! `{"id","cluster"}` line per record, as the benchmark's evaluator reads.
//!
//! Usage: `dedup_bench INPUT.jsonl[.gz] [--threshold T] [--window DAYS] [--out FILE]`
//! (records: `id`, `text`, optional `date` as `YYYY-MM-DD...`). Prints one JSON line:
//! docs, groups, seconds (the whole pipeline, reading included), docs/s.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_core::Timestamp;
use lede_dedup::Sketch;
use lede_dedup::dups::{self, Doc, Options};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::time::Instant;

/// What is kept of a record: its id, and its words' hashes folded to 32 bits for the
/// check of borderline pairs (half the memory; a collision could only make two different
/// words look alike, about once in four billion word pairs).
struct Record {
    id: String,
    words: Vec<u32>,
}

/// Lines parsed per parallel chunk: the raw text of only this many records is in memory.
const CHUNK: usize = 8192;

fn main() {
    if let Err(e) = run() {
        eprintln!("dedup_bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut out, mut options) = (None, None, Options::default());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threshold" => options.threshold = args.next().ok_or("--threshold T")?.parse()?,
            "--window" => {
                options.window = Some(args.next().ok_or("--window DAYS")?.parse::<i64>()? * 86_400);
            }
            "--out" => out = Some(args.next().ok_or("--out FILE")?),
            _ if input.is_none() => input = Some(a),
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let input = input.ok_or(
        "usage: dedup_bench INPUT.jsonl[.gz] [--threshold T] [--window DAYS] [--out FILE]",
    )?;
    let started = Instant::now();
    let file = std::fs::File::open(&input).map_err(|e| format!("{input}: {e}"))?;
    let reader: Box<dyn Read> = if input.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut lines = BufReader::with_capacity(1 << 20, reader).lines();
    let mut records: Vec<Record> = Vec::new();
    let mut docs: Vec<Doc> = Vec::new();
    loop {
        let chunk: Vec<String> = lines
            .by_ref()
            .take(CHUNK)
            .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .collect::<Result<_, _>>()?;
        if chunk.is_empty() {
            break;
        }
        let parsed: Vec<(Record, Doc)> =
            chunk.par_iter().map(|line| parse(line)).collect::<Result<_, _>>()?;
        for (r, d) in parsed {
            records.push(r);
            docs.push(d);
        }
    }
    let mut checked = 0usize;
    let groups = dups::groups(&docs, &options, |i, j, estimate| {
        checked += 1;
        dups::decide(estimate, options.threshold, || {
            let wide = |r: &Record| r.words.iter().map(|&w| u64::from(w)).collect::<Vec<_>>();
            dups::cover_of_longer(&wide(&records[i]), &wide(&records[j]), dups::VERIFY_WORDS)
        })
    });
    let mut cluster: Vec<usize> = (0..records.len()).collect();
    for g in &groups {
        for &m in &g.members {
            cluster[m] = g.members[0];
        }
    }
    if let Some(out) = out {
        let mut w = BufWriter::new(std::fs::File::create(&out).map_err(|e| format!("{out}: {e}"))?);
        for (r, c) in records.iter().zip(&cluster) {
            serde_json::to_writer(
                &mut w,
                &serde_json::json!({"id": r.id, "cluster": records[*c].id}),
            )?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "docs": records.len(),
            "groups": groups.len(),
            "checked_pairs": checked,
            "seconds": seconds,
            "docs_per_s": records.len() as f64 / seconds,
        })
    );
    Ok(())
}

/// One JSON line -> the record kept and its sketch.
fn parse(line: &str) -> Result<(Record, Doc), String> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let id = match &v["id"] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text = v["text"].as_str().unwrap_or("");
    let time = v["date"]
        .as_str()
        .and_then(|d| Timestamp::parse_iso(d.get(..10).unwrap_or(d)).ok())
        .map(|t| t.unix_seconds());
    let hashes: Vec<u64> = lede_text::words::words(text).iter().map(|w| w.hash).collect();
    let doc = Doc { sketch: Sketch::of_word_hashes(&hashes), time };
    Ok((Record { id, words: hashes.iter().map(|&h| h as u32).collect() }, doc))
}
