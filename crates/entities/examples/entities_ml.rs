//! Reads entities in documents of any language, for bench/entities_ml.sh (issue #17).
//!
//! Input on stdin: JSON lines `{"id", "lang", "paragraphs": [..]}`. Output on stdout: JSON
//! lines `{"id", "mentions": [{"paragraph", "start", "end", "kind", "name"}]}` (byte
//! offsets). With `--repeat N` every document is read N times and the time of the reading
//! alone is reported on stderr as `{"documents", "sentences", "seconds"}`. With `--rules`
//! languages other than English are read without their taggers (the reading before them).

#![allow(clippy::print_stderr)]

use std::io::{BufRead, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let repeat: usize = match args.iter().position(|a| a == "--repeat") {
        Some(i) => args.get(i + 1).ok_or("--repeat needs a number")?.parse()?,
        None => 1,
    };
    // `--rules`: without the taggers of languages other than English (issue #17's before).
    let annotator = if args.iter().any(|a| a == "--rules") {
        &lede_entities::Annotator::new()?.without_taggers()
    } else {
        lede_entities::Annotator::builtin()
    };
    let mut docs: Vec<(String, lede_core::Article)> = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let id = v["id"].as_str().ok_or("a document without an id")?.to_owned();
        let lang = v["lang"].as_str().unwrap_or("en").to_owned();
        let paragraphs = v["paragraphs"]
            .as_array()
            .ok_or("a document without paragraphs")?
            .iter()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        let article = lede_core::Article {
            language: Some(lang),
            paragraphs,
            ..lede_core::Article::default()
        };
        docs.push((id, article));
    }
    let mut out = std::io::stdout().lock();
    let (mut sentences, start) = (0, Instant::now());
    for round in 0..repeat {
        for (id, article) in &docs {
            let read = annotator.annotate_article(article);
            sentences += read.sentences.len();
            if round > 0 {
                continue;
            }
            let mentions: Vec<serde_json::Value> = read
                .entities
                .iter()
                .flat_map(|e| {
                    e.mentions.iter().map(move |m| {
                        serde_json::json!({"paragraph": m.paragraph, "start": m.start,
                            "end": m.end, "kind": format!("{:?}", e.kind), "name": e.name})
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::json!({"id": id, "mentions": mentions}))?;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "{}",
        serde_json::json!({"documents": docs.len() * repeat, "sentences": sentences, "seconds": seconds})
    );
    Ok(())
}
