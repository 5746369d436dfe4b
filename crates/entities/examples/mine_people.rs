//! `cargo run --release -p lede-entities --example mine_people -- CORPUS.jsonl[.gz]... > crates/entities/data/people.tsv`
//!
//! Learns which full name a surname stands for in news: reads every article with the
//! tagger, keeps the person names written in full ("Donald Trump", not "Mr Trump"), and
//! for each last word the full name most articles use. A surname goes into the table when
//! at least 5 articles write that full name and it is at least 60% of the articles that
//! write any full name ending in that word; surnames that also name a listed place or
//! organisation are left out. Records are JSON Lines with a `text` field; paragraphs are
//! its lines.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "shared/texts.rs"]
mod texts;

use lede_core::EntityKind;
use lede_entities::Annotator;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut texts: Vec<String> = Vec::new();
    texts::for_each_text(std::env::args().skip(1), |text| texts.push(text.to_owned()))?;
    let annotator = Annotator::builtin();
    let started = std::time::Instant::now();
    // Per article: the full person names it writes.
    let names: Vec<Vec<String>> = texts
        .par_iter()
        .map(|text| {
            let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let read = annotator.annotate(&paragraphs);
            let mut out: Vec<String> = read
                .entities
                .into_iter()
                .filter(|e| e.kind == EntityKind::Person)
                .filter(|e| {
                    let words = e.name.split(' ').count();
                    (2..=5).contains(&words)
                        && !e.name.chars().any(|c| c.is_ascii_digit())
                        && e.mentions.iter().any(|m| m.text.ends_with(&e.name))
                })
                .map(|e| e.name)
                .collect();
            out.sort();
            out.dedup();
            out
        })
        .collect();
    eprintln!(
        "mine_people: {} articles read in {:.1} s",
        texts.len(),
        started.elapsed().as_secs_f64()
    );
    let mut by_surname: BTreeMap<String, HashMap<String, u32>> = BTreeMap::new();
    for article in &names {
        for name in article {
            let surname = name.rsplit([' ', '-']).next().expect("two words or more").to_owned();
            *by_surname.entry(surname).or_default().entry(name.clone()).or_default() += 1;
        }
    }
    let mut table: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for (surname, fulls) in by_surname {
        let capitalised = surname.chars().next().is_some_and(char::is_uppercase)
            && surname.chars().skip(1).any(char::is_lowercase);
        if !capitalised || annotator.is_listed(&surname) {
            continue;
        }
        let total: u32 = fulls.values().sum();
        let (best, n) = fulls
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .expect("at least one name");
        if n >= 5 && f64::from(n) >= 0.6 * f64::from(total) {
            table.insert(surname, (best, n));
        }
    }
    println!(
        "# surname<TAB>full name<TAB>articles writing it: learned by `mine_people` from {} articles",
        texts.len()
    );
    for (surname, (full, n)) in table {
        println!("{surname}\t{full}\t{n}");
    }
    Ok(())
}
