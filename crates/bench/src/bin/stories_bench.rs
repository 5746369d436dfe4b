//! lede's story clustering over a JSON Lines file, without a store, for tuning and for the
//! order-dependence figures of `bench/stories.sh`.
//!
//! Usage: `stories_bench --input DOCS.jsonl --output PRED.jsonl [--set NAME=VALUE]...
//! [--shuffle SEED] [--batch N] [--no-entities]`. Each record has `id` and `text`, and may
//! have `date` and `title`; records are read as `lede ingest` reads a JSONL record without
//! a title (headline from the text), annotated with `lede-entities`, and clustered with
//! `lede_cluster::Params::default()` changed by `--set` (`threshold`, `entity_weight`,
//! `quote_bonus`, `tau_days`, `horizon_days`, `merge_threshold`, `candidates`,
//! `query_terms`). `--shuffle` permutes the input first; `--batch` clusters it in passes of
//! N records (the input order then matters across passes). Writes `{"id","cluster"}` per
//! record and a JSON timing line on stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_cluster::{Clusterer, DocFreq, Item, Params, StoryFeatures, StoryId};
use lede_core::{Annotations, Article, ArticleId};
use lede_extract::ExtractConfig;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("stories_bench: {e}");
        std::process::exit(1);
    }
}

fn set(params: &mut Params, kv: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (k, v) = kv.split_once('=').ok_or("--set NAME=VALUE")?;
    match k {
        "threshold" => params.threshold = v.parse()?,
        "entity_weight" => params.entity_weight = v.parse()?,
        "quote_bonus" => params.quote_bonus = v.parse()?,
        "date_boost" => params.date_boost = v.parse()?,
        "tau_days" => params.tau_days = v.parse()?,
        "horizon_days" => params.horizon_days = v.parse()?,
        "merge_threshold" => params.merge_threshold = v.parse()?,
        "rounds" => params.rounds = v.parse()?,
        "candidates" => params.candidates = v.parse()?,
        "query_terms" => params.query_terms = v.parse()?,
        _ => return Err(format!("unknown parameter {k}").into()),
    }
    Ok(())
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut output) = (None, None);
    let (mut shuffle, mut batch, mut entities) = (None::<u64>, usize::MAX, true);
    let mut params = Params::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--output" => output = args.next(),
            "--set" => set(&mut params, &args.next().ok_or("--set NAME=VALUE")?)?,
            "--shuffle" => shuffle = Some(args.next().ok_or("--shuffle SEED")?.parse()?),
            "--batch" => batch = args.next().ok_or("--batch N")?.parse()?,
            "--no-entities" => entities = false,
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let (input, output) =
        input.zip(output).ok_or("usage: stories_bench --input IN --output OUT")?;
    let reader = BufReader::new(std::fs::File::open(&input).map_err(|e| format!("{input}: {e}"))?);
    let mut records: Vec<serde_json::Value> = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            records.push(serde_json::from_str(&line)?);
        }
    }
    if let Some(seed) = shuffle {
        // Fisher-Yates with a fixed generator (xorshift), so a seed names an order.
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        for i in (1..records.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            records.swap(i, (x % (i as u64 + 1)) as usize);
        }
    }
    let extractor = ExtractConfig::default().build();
    let started = Instant::now();
    let prepared: Vec<(String, Item)> = records
        .par_iter()
        .enumerate()
        .map(|(n, r)| {
            let id = match &r["id"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let text = r["text"].as_str().unwrap_or("");
            let mut article: Article = extractor.extract_text_body(text).article;
            article.title =
                r["title"].as_str().map(str::to_owned).or_else(|| extractor.headline_of_text(text));
            article.published = r["date"].as_str().and_then(lede_extract::read_date);
            article.outlet = r["outlet"].as_str().map(str::to_owned);
            let annotations =
                if entities { lede_engine::annotate(&article) } else { Annotations::default() };
            let features = StoryFeatures::of(&article, &annotations);
            let item = Item {
                seq: lede_core::ArticleSeq(n as u64 + 1),
                id: ArticleId::of(&article).as_u128(),
                ts: article.published.as_ref().map(|p| p.at.unix_seconds()),
                features,
            };
            (id, item)
        })
        .collect();
    let read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut clusterer = Clusterer::new(params, DocFreq::default(), StoryId(1));
    let mut story_of = std::collections::HashMap::new();
    let mut merged = std::collections::HashMap::new();
    for chunk in prepared.chunks(batch.max(1)) {
        // No store here: every story of earlier passes stays in memory until it closes.
        let pass =
            clusterer.cluster(chunk.iter().map(|(_, i)| i.clone()).collect(), &mut |_| Vec::new());
        for a in pass.assignments {
            story_of.insert(a.seq, a.story);
        }
        merged.extend(pass.merged);
    }
    let cluster_s = started.elapsed().as_secs_f64();
    let resolve = |mut s: StoryId| {
        while let Some(&to) = merged.get(&s) {
            s = to;
        }
        s
    };
    let mut out = BufWriter::new(std::fs::File::create(&output)?);
    for (id, item) in &prepared {
        let story = resolve(story_of[&item.seq]);
        writeln!(out, "{}", serde_json::json!({"id": id, "cluster": story}))?;
    }
    out.flush()?;
    eprintln!(
        "{}",
        serde_json::json!({"records": prepared.len(), "read_s": read_s, "cluster_s": cluster_s,
            "cluster_us_per_article": cluster_s * 1e6 / prepared.len().max(1) as f64})
    );
    Ok(())
}
