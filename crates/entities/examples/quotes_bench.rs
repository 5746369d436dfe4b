//! `cargo run --release -p lede-entities --example quotes_bench -- IN.jsonl OUT.jsonl`
//!
//! The quote reading alone over a JSON Lines gold file, for `bench/quotes.sh --languages`
//! (issue #17): each record's `text` (paragraphs at line breaks) is read in its `language`
//! and written back as `{"id","quotes":[{"start","end","text","speaker","cue","direct"}]}`
//! with offsets in Unicode code points (as Python counts them). Light to build (this crate
//! only), so that the same file can be built at an older commit for a before/after run.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        return Err("usage: quotes_bench IN.jsonl OUT.jsonl".into());
    };
    let reader = BufReader::new(std::fs::File::open(&input).map_err(|e| format!("{input}: {e}"))?);
    let mut out =
        BufWriter::new(std::fs::File::create(&output).map_err(|e| format!("{output}: {e}"))?);
    let annotator = lede_entities::Annotator::builtin();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        let text = v["text"].as_str().unwrap_or("");
        let language = v["language"].as_str();
        let mut paras = Vec::new();
        let mut offsets = Vec::new();
        let mut at = 0;
        for l in text.split('\n') {
            if !l.trim().is_empty() {
                paras.push(l);
                offsets.push(at);
            }
            at += l.len() + 1;
        }
        let read = annotator.annotate_in(&paras, language);
        let cp = |b: usize| text[..b].chars().count();
        let quotes: Vec<_> = read
            .quotes
            .iter()
            .map(|q| {
                serde_json::json!({
                    "start": cp(offsets[q.paragraph] + q.start),
                    "end": cp(offsets[q.paragraph] + q.end),
                    "text": q.text, "speaker": q.speaker, "cue": q.cue, "direct": q.direct,
                })
            })
            .collect();
        serde_json::to_writer(&mut out, &serde_json::json!({"id": v["id"], "quotes": quotes}))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
