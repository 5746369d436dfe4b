//! `cargo run --release -p lede-entities --example train_ner -- bench/entities/data/ner`
//!
//! Trains lede's entity tagger (an averaged structured perceptron, `lede-entities`) and
//! writes the model file that `lede-entities` compiles in.
//!
//! Usage: `train_ner DATA_DIR [--epochs N] [--out FILE] [--test GOLD.jsonl]...` where `DATA_DIR` holds
//! `train*.jsonl` and `dev.jsonl` (one sentence per line: `tokens`, `tags` in BIO with
//! `PERSON`/`ORG`/`PLACE`; see `bench/entities/README.md`). Trains on every `train*.jsonl`, prints
//! entity F1 on `dev.jsonl` after every epoch, and writes the model of the best epoch
//! (default `crates/entities/model/ner.bin`), and its scores on each `--test` file. Deterministic: the same data gives the same
//! bytes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_entities::{Trainer, TrainingSentence, label_tokens};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("train_ner: {e}");
        std::process::exit(1);
    }
}

fn read(path: &Path) -> Result<Vec<TrainingSentence>, Box<dyn std::error::Error>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let strings = |k: &str| -> Vec<String> {
            v[k].as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        out.push(TrainingSentence { tokens: strings("tokens"), labels: strings("tags") });
    }
    Ok(out)
}

/// Entity spans `(start, end, kind)` of BIO labels.
fn spans<S: AsRef<str>>(labels: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let l = labels[i].as_ref();
        let Some(kind) = l.strip_prefix("B-").or_else(|| l.strip_prefix("I-")) else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < labels.len() && labels[end].as_ref() == format!("I-{kind}") {
            end += 1;
        }
        out.push((i, end, kind.to_owned()));
        i = end;
    }
    out
}

/// Micro precision, recall and F1 of predicted against gold spans.
fn score(gold: &[TrainingSentence], predicted: &[Vec<&str>]) -> (f64, f64, f64) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for (g, p) in gold.iter().zip(predicted) {
        let gs = spans(&g.labels);
        let ps = spans(p);
        ng += gs.len();
        np += ps.len();
        tp += ps.iter().filter(|s| gs.contains(s)).count();
    }
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut epochs, mut out) =
        (None, 12usize, "crates/entities/model/ner.bin".to_owned());
    let mut tests = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--epochs" => epochs = args.next().ok_or("--epochs N")?.parse()?,
            "--out" => out = args.next().ok_or("--out FILE")?,
            "--test" => tests.push(args.next().ok_or("--test FILE")?),
            _ if dir.is_none() => dir = Some(a),
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let dir = dir.ok_or("usage: train_ner DATA_DIR [--epochs N] [--out FILE]")?;
    // Every `train*.jsonl` of the folder, in name order.
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("train") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    let mut train = Vec::new();
    for f in &files {
        train.extend(read(f)?);
    }
    let dev = read(&Path::new(&dir).join("dev.jsonl"))?;
    let dev_tokens: Vec<Vec<String>> = dev.iter().map(|s| s.tokens.clone()).collect();
    let started = Instant::now();
    let mut trainer = Trainer::new(&train);
    eprintln!("train_ner: {} training sentences, {} dev", trainer.sentences(), dev.len());
    let mut best: Option<(f64, usize, Vec<u8>)> = None;
    for epoch in 1..=epochs {
        let accuracy = trainer.epoch(epoch as u64 * 0x9E37_79B9);
        let model = trainer.model();
        let predicted = label_tokens(&model, &dev_tokens)?;
        let (p, r, f) = score(&dev, &predicted);
        eprintln!(
            "epoch {epoch:2}: train token accuracy {accuracy:.4}; dev P {p:.3} R {r:.3} F1 {f:.3}; model {} KiB; {:.1} s",
            model.len() / 1024,
            started.elapsed().as_secs_f64()
        );
        if best.as_ref().is_none_or(|b| f > b.0) {
            best = Some((f, epoch, model));
        }
    }
    let (f, epoch, model) = best.ok_or("no epochs")?;
    for test in &tests {
        let gold = read(Path::new(test))?;
        let tokens: Vec<Vec<String>> = gold.iter().map(|s| s.tokens.clone()).collect();
        let predicted = label_tokens(&model, &tokens)?;
        let (p, r, f) = score(&gold, &predicted);
        let per_kind: Vec<String> = ["PERSON", "ORG", "PLACE"]
            .iter()
            .map(|k| {
                let only = |labels: &[String]| -> Vec<String> {
                    labels
                        .iter()
                        .map(|l| if l.ends_with(k) { l.clone() } else { "O".to_owned() })
                        .collect()
                };
                let g: Vec<TrainingSentence> = gold
                    .iter()
                    .map(|s| TrainingSentence { tokens: s.tokens.clone(), labels: only(&s.labels) })
                    .collect();
                let pr: Vec<Vec<String>> = predicted
                    .iter()
                    .map(|ls| only(&ls.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>()))
                    .collect();
                let pr: Vec<Vec<&str>> =
                    pr.iter().map(|v| v.iter().map(String::as_str).collect()).collect();
                format!("{k} {:.3}", score(&g, &pr).2)
            })
            .collect();
        eprintln!(
            "test {test}: P {p:.3} R {r:.3} F1 {f:.3} ({}; gold tokens)",
            per_kind.join(", ")
        );
    }
    std::fs::write(&out, &model).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "{}",
        serde_json::json!({"out": out, "best_epoch": epoch, "dev_f1": f, "bytes": model.len(), "seconds": started.elapsed().as_secs_f64()})
    );
    Ok(())
}
