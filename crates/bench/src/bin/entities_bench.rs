//! lede's entity and quote reading over a JSON Lines file, for `bench/entities.sh` and
//! `bench/quotes.sh`.
//!
//! Usage: `entities_bench --input DOCS.jsonl --output PRED.jsonl [--threads N]`. Each
//! record has `id` and `text`; the text is split into paragraphs at line breaks, read with
//! `lede_entities::Annotator`, and written back as
//! `{"id","entities":[{"start","end","label","text","name"}],"quotes":[{"start","end","text","speaker","cue","direct"}],"sentences":[[s,e]...]}`
//! with offsets in Unicode code points of `text` (as Python counts them). Labels are
//! `PERSON`, `ORG`, `PLACE` and `NATIONALITY` (a nationality word: a mention of its
//! country). A timing line (JSON, with `sentences_per_s`) goes to stderr; it counts the
//! reading only, one thread unless `--threads` says otherwise.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use lede_core::EntityKind;
use lede_entities::Annotator;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("entities_bench: {e}");
        std::process::exit(1);
    }
}

/// The paragraphs of a text (its non-empty lines) and their byte offsets.
fn paragraphs(text: &str) -> (Vec<&str>, Vec<usize>) {
    let mut paras = Vec::new();
    let mut offsets = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        let trimmed = line.trim_end_matches('\r');
        if !trimmed.trim().is_empty() {
            paras.push(trimmed);
            offsets.push(at);
        }
        at += line.len() + 1;
    }
    (paras, offsets)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut output, mut threads) = (None, None, 1usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--output" => output = args.next(),
            "--threads" => threads = args.next().ok_or("--threads N")?.parse()?,
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let (input, output) =
        input.zip(output).ok_or("usage: entities_bench --input IN --output OUT")?;
    let reader = BufReader::new(std::fs::File::open(&input).map_err(|e| format!("{input}: {e}"))?);
    let mut docs: Vec<(String, String)> = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        docs.push((id, v["text"].as_str().unwrap_or("").to_owned()));
    }
    let loaded = Instant::now();
    let annotator = Annotator::builtin();
    let load_s = loaded.elapsed().as_secs_f64();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let started = Instant::now();
    let read: Vec<_> = pool.install(|| {
        docs.par_iter()
            .map(|(_, text)| {
                let (paras, offsets) = paragraphs(text);
                (annotator.annotate(&paras), offsets)
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();

    let mut out =
        BufWriter::new(std::fs::File::create(&output).map_err(|e| format!("{output}: {e}"))?);
    let mut sentences = 0usize;
    let mut chars = 0usize;
    for ((id, text), (a, offsets)) in docs.iter().zip(&read) {
        // Byte offset -> code point offset.
        let mut cp = vec![0usize; text.len() + 1];
        let mut n = 0;
        for (i, c) in text.char_indices() {
            cp[i..i + c.len_utf8()].fill(n);
            n += 1;
        }
        cp[text.len()] = n;
        chars += n;
        let at = |p: usize, b: usize| cp[offsets[p] + b];
        sentences += a.sentences.len();
        let mut entities = Vec::new();
        for e in &a.entities {
            for m in &e.mentions {
                let label = match e.kind {
                    EntityKind::Person => "PERSON",
                    EntityKind::Organization => "ORG",
                    EntityKind::Place if annotator.is_nationality(&m.text) => "NATIONALITY",
                    EntityKind::Place => "PLACE",
                };
                entities.push(serde_json::json!({
                    "start": at(m.paragraph, m.start), "end": at(m.paragraph, m.end),
                    "label": label, "text": m.text, "name": e.name,
                }));
            }
        }
        entities.sort_by_key(|e| e["start"].as_u64());
        let quotes: Vec<_> = a
            .quotes
            .iter()
            .map(|q| {
                serde_json::json!({
                    "start": at(q.paragraph, q.start), "end": at(q.paragraph, q.end),
                    "text": q.text, "speaker": q.speaker, "cue": q.cue, "direct": q.direct,
                })
            })
            .collect();
        let sents: Vec<_> = a
            .sentences
            .iter()
            .map(|s| [at(s.paragraph, s.start), at(s.paragraph, s.end)])
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": id, "entities": entities, "quotes": quotes, "sentences": sents}),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "{}",
        serde_json::json!({
            "system": "lede", "docs": docs.len(), "sentences": sentences, "chars": chars,
            "threads": threads, "load_s": load_s, "wall_s": seconds,
            "sentences_per_s": sentences as f64 / seconds.max(1e-9),
            "chars_per_s": chars as f64 / seconds.max(1e-9),
        })
    );
    Ok(())
}
