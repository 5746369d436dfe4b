//! Issue #5, bar 1: the seed page read against its gold annotations
//! (`tests/fixtures/seed/gold.json`, from `../shared/bench/seed-gold.json`).

use lede_core::EntityKind;
use lede_entities::Annotator;
use serde_json::Value;

fn gold() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seed/gold.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn paragraphs(gold: &Value) -> Vec<String> {
    gold["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect()
}

fn article(gold: &Value) -> lede_core::Article {
    let strings = |k: &str| -> Vec<String> {
        gold[k].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect()
    };
    lede_core::Article {
        title: gold["title"].as_str().map(str::to_owned),
        captions: strings("captions"),
        paragraphs: strings("paragraphs"),
        ..Default::default()
    }
}

#[test]
fn issue_5_every_direct_quote_with_an_accepted_speaker_its_cue_and_no_other() {
    let gold = gold();
    let read = Annotator::builtin().annotate_article(&article(&gold));
    let direct: Vec<_> = read.quotes.iter().filter(|q| q.direct).collect();
    let mut problems = Vec::new();
    for g in gold["quotes"].as_array().unwrap() {
        let text = g["text"].as_str().unwrap();
        let paragraph = g["paragraph"].as_u64().unwrap() as usize;
        let accepted: Vec<Option<&str>> =
            g["accepted_speakers"].as_array().unwrap().iter().map(Value::as_str).collect();
        match direct.iter().find(|q| q.paragraph == paragraph && q.text == text) {
            None => problems.push(format!("missed {text:?} (paragraph {paragraph})")),
            Some(q) if !accepted.contains(&q.speaker.as_deref()) => {
                problems.push(format!("{text:?}: speaker {:?}, accepted {accepted:?}", q.speaker));
            }
            Some(q) if q.cue.as_deref() != g["cue"].as_str() => {
                problems.push(format!("{text:?}: cue {:?}, gold {}", q.cue, g["cue"]));
            }
            Some(_) => {}
        }
    }
    for q in &direct {
        let known = gold["quotes"].as_array().unwrap().iter().any(|g| {
            g["text"] == q.text.as_str() && g["paragraph"].as_u64() == Some(q.paragraph as u64)
        });
        if !known {
            problems.push(format!("spurious {:?} (paragraph {})", q.text, q.paragraph));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn issue_5_every_entity_under_its_canonical_name() {
    let gold = gold();
    let paras = paragraphs(&gold);
    let read = Annotator::builtin().annotate_article(&article(&gold));
    let mut problems = Vec::new();
    for g in gold["entities"].as_array().unwrap() {
        let name = g["name"].as_str().unwrap();
        let kind = EntityKind::parse(g["kind"].as_str().unwrap()).unwrap();
        match read.entities.iter().find(|e| e.name == name) {
            None => problems.push(format!("missing {name}")),
            Some(e) if e.kind != kind => problems.push(format!("{name}: kind {:?}", e.kind)),
            Some(e) => {
                // Each surface form, somewhere in the body, is (part of) a mention of it.
                for form in g["surface_forms"].as_array().unwrap() {
                    let form = form.as_str().unwrap();
                    let places: Vec<(usize, usize)> = paras
                        .iter()
                        .enumerate()
                        .flat_map(|(p, t)| t.match_indices(form).map(move |(at, _)| (p, at)))
                        .collect();
                    let found = places.iter().any(|&(p, at)| {
                        e.mentions
                            .iter()
                            .any(|m| m.paragraph == p && m.start < at + form.len() && at < m.end)
                    });
                    // Forms that only the captions use ("Sergey Lavrov") are not body mentions.
                    if !found && !places.is_empty() {
                        problems.push(format!("{name}: {form:?} is not a mention of it"));
                    }
                }
            }
        }
    }
    // Mentions point at their words.
    for e in &read.entities {
        for m in &e.mentions {
            assert_eq!(&paras[m.paragraph][m.start..m.end], m.text);
        }
    }
    assert!(
        problems.is_empty(),
        "{problems:#?}\n{:#?}",
        read.entities.iter().map(|e| (&e.name, e.kind, e.mentions.len())).collect::<Vec<_>>()
    );
}
