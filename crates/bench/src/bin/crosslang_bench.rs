//! Stories across languages without a store, for `bench/crosslang.sh`: the articles of each
//! language clustered into stories by themselves (as per-language clustering does), each
//! story read back from its stored state, then linked across languages by
//! `lede_cluster::crosslang` under each method given, as `lede story` links one story:
//! `links_of` the story among its candidates (the stories sharing one of its
//! `NAMES_ASKED` heaviest names, at most `CANDIDATES`, those sharing most first), the links
//! of all stories put together.
//!
//! Usage: `crosslang_bench --input DOCS.jsonl --output OUT.json [--method SPEC]...`, where
//! each record has `id`, `text`, and may have `title` and `date` (its `lang` is the gold's,
//! not read: the language is lede's detection, `und` when it tells none, and such stories
//! are linked to nothing, as in `lede story`), and SPEC is `NAME:key=value,...` over the keys
//! `entity`, `number`, `word` (weights), `min_shared`, `max_days`, `mutual` (0 or 1),
//! starting from `LinkParams::default()`, and `pool` (`names`, lede's candidates, or `all`:
//! every story is every story's candidate, for the shared-words baseline). Writes `{"docs": [{"id", "lang", "story"}],
//! "methods": {NAME: [[story, story, score], ...]}}` with every candidate link at a
//! threshold of 0, so that the scorer can sweep thresholds; a timing line goes to stderr.
#![allow(clippy::print_stderr)]

use lede_cluster::crosslang::{self, LinkParams, Signature};
use lede_cluster::{Clusterer, DocFreq, Item, Params, Story, StoryFeatures, StoryId};
use lede_core::{ArticleId, ArticleSeq};
use lede_extract::ExtractConfig;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("crosslang_bench: {e}");
        std::process::exit(1);
    }
}

type Error = Box<dyn std::error::Error>;

fn method(spec: &str) -> Result<(String, LinkParams, bool), Error> {
    let (name, sets) = spec.split_once(':').unwrap_or((spec, ""));
    // Every candidate link is written out: the scorer sweeps the threshold.
    let mut p = LinkParams { threshold: 0.0, ..LinkParams::default() };
    let mut all = false;
    for kv in sets.split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("{kv}: expected KEY=VALUE"))?;
        match k {
            "entity" => p.entity_weight = v.parse()?,
            "number" => p.number_weight = v.parse()?,
            "word" => p.word_weight = v.parse()?,
            "min_shared" => p.min_shared = v.parse()?,
            "max_days" => p.max_days = v.parse()?,
            "mutual" => p.mutual = v == "1" || v == "true",
            "pool" => all = v == "all",
            _ => return Err(format!("unknown key {k} in --method {spec}").into()),
        }
    }
    Ok((name.to_owned(), p, all))
}

/// Each story's candidates, as `lede story` asks the store for them: the stories naming one
/// of its `NAMES_ASKED` heaviest names, those sharing the most first, then the newest (the
/// highest id), at most `CANDIDATES`.
fn candidate_pools(signatures: &[Signature]) -> Vec<Vec<usize>> {
    let mut naming: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, s) in signatures.iter().enumerate() {
        for &(h, _) in &s.entities {
            naming.entry(h).or_default().push(i);
        }
    }
    signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut names = s.entities.clone();
            names.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            names.truncate(crosslang::NAMES_ASKED);
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for (h, _) in names {
                for &j in naming.get(&h).into_iter().flatten() {
                    if j != i {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut pool: Vec<(usize, usize)> = shared.into_iter().collect();
            pool.sort_by(|a, b| {
                b.1.cmp(&a.1).then(signatures[b.0].story.cmp(&signatures[a.0].story))
            });
            pool.truncate(crosslang::CANDIDATES);
            pool.into_iter().map(|(j, _)| j).collect()
        })
        .collect()
}

fn run() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut output, mut methods) = (None, None, Vec::new());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--output" => output = args.next(),
            "--method" => methods.push(method(&args.next().ok_or("--method NAME:SPEC")?)?),
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let (input, output) =
        input.zip(output).ok_or("usage: crosslang_bench --input IN --output OUT")?;
    let reader = BufReader::new(std::fs::File::open(&input).map_err(|e| format!("{input}: {e}"))?);
    let extractor = ExtractConfig::default().build();
    let started = Instant::now();
    // (id, language, item)
    let mut docs: Vec<(String, String, Item)> = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let r: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{input}: line {}: {e}", n + 1))?;
        let id = r["id"].as_str().ok_or_else(|| format!("line {}: no id", n + 1))?.to_owned();
        let text = r["text"].as_str().unwrap_or("");
        let mut article = extractor.extract_text_body(text).article;
        article.title =
            r["title"].as_str().map(str::to_owned).or_else(|| extractor.headline_of_text(text));
        article.published = r["date"].as_str().and_then(lede_extract::read_date);
        let lang = article.language.clone().unwrap_or_else(|| "und".to_owned());
        let annotations = lede_engine::annotate(&article);
        let item = Item {
            seq: ArticleSeq(docs.len() as u64 + 1),
            id: ArticleId::of(&article).as_u128(),
            ts: article.published.as_ref().map(|p| p.at.unix_seconds()),
            features: StoryFeatures::of(&article, &annotations),
        };
        docs.push((id, lang, item));
    }
    let read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    // Each language's stories by themselves, ids running on across languages.
    let mut by_lang: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, lang, _)) in docs.iter().enumerate() {
        by_lang.entry(lang).or_default().push(i);
    }
    let mut story_of: Vec<StoryId> = vec![StoryId(0); docs.len()];
    let mut signatures: Vec<Signature> = Vec::new();
    let mut next = 1u64;
    for (lang, members) in &by_lang {
        let mut clusterer = Clusterer::new(Params::default(), DocFreq::default(), StoryId(next));
        let items: Vec<Item> = members.iter().map(|&i| docs[i].2.clone()).collect();
        let pass = clusterer.cluster(items, &mut |_| Vec::new());
        let merged: HashMap<StoryId, StoryId> = pass.merged.iter().copied().collect();
        let seq_to_doc: HashMap<ArticleSeq, usize> =
            members.iter().map(|&i| (docs[i].2.seq, i)).collect();
        for a in &pass.assignments {
            let mut s = a.story;
            while let Some(&to) = merged.get(&s) {
                s = to;
            }
            story_of[seq_to_doc[&a.seq]] = s;
            next = next.max(s.0 + 1);
        }
        // What `lede story` reads: the stored state, not the pass's full centroid. A story of
        // no told language has no signature (`lede story` links it to nothing).
        for s in pass.stories.iter().filter(|_| *lang != "und") {
            let stored =
                Story::from_stored(s.id, s.first_ts, s.last_ts, s.size, s.label, &s.state_bytes())
                    .ok_or("a story's state does not read back")?;
            signatures.push(Signature::of_story(&stored, lang));
        }
    }
    let cluster_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let pools = candidate_pools(&signatures);
    let mut out_methods = serde_json::Map::new();
    for (name, params, all) in &methods {
        let mut links: BTreeMap<(u64, u64), f32> = BTreeMap::new();
        for (i, target) in signatures.iter().enumerate() {
            let others: Vec<Signature> = if *all {
                signatures.clone()
            } else {
                pools[i].iter().map(|&j| signatures[j].clone()).collect()
            };
            for l in crosslang::links_of(target, &others, params) {
                let e = links.entry((l.a.0, l.b.0)).or_insert(l.score);
                *e = e.max(l.score);
            }
        }
        let rows: Vec<serde_json::Value> =
            links.iter().map(|((a, b), s)| serde_json::json!([a, b, s])).collect();
        out_methods.insert(name.clone(), rows.into());
    }
    let link_s = started.elapsed().as_secs_f64();
    let out_docs: Vec<serde_json::Value> = docs
        .iter()
        .zip(&story_of)
        .map(|((id, lang, _), s)| serde_json::json!({"id": id, "lang": lang, "story": s.0}))
        .collect();
    let mut f = std::fs::File::create(&output).map_err(|e| format!("{output}: {e}"))?;
    writeln!(f, "{}", serde_json::json!({"docs": out_docs, "methods": out_methods}))?;
    eprintln!(
        "{}",
        serde_json::json!({"records": docs.len(), "stories": signatures.len(), "read_s": read_s,
            "cluster_s": cluster_s, "link_s_all_methods": link_s})
    );
    Ok(())
}
