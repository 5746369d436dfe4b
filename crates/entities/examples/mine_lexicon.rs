//! `cargo run --release -p lede-entities --example mine_lexicon -- CORPUS.jsonl[.gz]... > crates/entities/data/capitals.tsv`
//!
//! Counts, in unlabelled news text, how often each word is written with a capital when it
//! does not open a sentence: "Syria" nearly always, "said" never, "Bill" sometimes. The
//! tagger uses the share (in five steps) as a feature, which tells it that "JAPAN" in an
//! all-capitals headline is a name and "The" at a sentence start is not. Records are JSON
//! Lines with a `text` field. Words seen fewer than 5 times are left out.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "shared/texts.rs"]
mod texts;

use lede_text::tokens::tokenize;
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    let mut docs = 0usize;
    texts::for_each_text(std::env::args().skip(1), |text| {
        docs += 1;
        for para in text.split('\n') {
            let tokens = tokenize(para);
            let mut opens = true;
            for t in &tokens {
                let w = t.text(para);
                let first = w.chars().next().unwrap_or(' ');
                if !first.is_alphabetic() {
                    opens = matches!(w, "." | "!" | "?" | ":" | "\"" | "“" | "(" | "-" | "—")
                        || (opens && !first.is_alphanumeric());
                    continue;
                }
                if !opens && !w.chars().all(char::is_uppercase) {
                    let e = counts.entry(w.to_lowercase()).or_default();
                    e.0 += 1;
                    if first.is_uppercase() {
                        e.1 += 1;
                    }
                }
                opens = false;
            }
        }
    })?;
    let mut rows: Vec<(String, u32, u32)> =
        counts.into_iter().filter(|(_, (n, _))| *n >= 5).map(|(w, (n, c))| (w, n, c)).collect();
    rows.sort();
    println!(
        "# word<TAB>share of capitalised uses mid-sentence, 0-4 (0: never, 4: always); from {docs} documents"
    );
    for (w, n, c) in rows {
        let share = (f64::from(c) / f64::from(n) * 4.0).round() as u32;
        println!("{w}\t{share}");
    }
    Ok(())
}
