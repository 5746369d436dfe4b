//! `cargo run --release -p lede-entities --example annotate -- FILE [LANGUAGE]`
//!
//! Reads a plain-text file (paragraphs separated by blank lines) and prints its entities
//! and quotes, one per line: a quick look at what the annotator sees, in LANGUAGE (ISO
//! 639-1; English when left out).
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: annotate FILE [LANGUAGE]")?;
    let language = std::env::args().nth(2);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let paragraphs: Vec<&str> =
        text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let read = lede_entities::Annotator::builtin().annotate_in(&paragraphs, language.as_deref());
    for e in &read.entities {
        let forms: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
        println!("{:<14} {:<40} {}", e.kind.as_str(), e.name, forms.join(" | "));
    }
    for q in &read.quotes {
        println!(
            "{} [{}] {:?} -- {} ({})",
            if q.direct { "quote " } else { "report" },
            q.paragraph,
            q.text,
            q.speaker.as_deref().unwrap_or("(unnamed)"),
            q.cue.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}
