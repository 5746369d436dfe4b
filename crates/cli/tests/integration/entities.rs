//! Issue #5: who is in an article and who said what, from `lede analyze` to the store:
//! `lede quotes`, `lede entities`, `lede search --entity`, `lede show`.
//!
//! Two kinds of test: structural ones (shapes, spans, order, counts, migrations) hold
//! whatever the model; those marked "model" check what the trained tagger finds in the
//! seed (the gold answers are in `tests/fixtures/seed/gold.json`).

use crate::ingest::copy_dir;
use crate::support::{data, json, lede};
use serde_json::{Value, json};
use std::path::Path;

const SEED: &str = "../../tests/fixtures/seed/source.txt";

fn analyze_seed() -> Value {
    let (code, v) = json(lede().args(["analyze", "--json", SEED]));
    assert_eq!(code, 0);
    v
}

/// The bytes `start..end` of paragraph `p`, which must lie on char boundaries.
fn slice<'a>(paragraphs: &'a [Value], span: &Value) -> &'a str {
    let p = paragraphs[span["paragraph"].as_u64().unwrap() as usize].as_str().unwrap();
    let (start, end) = (span["start"].as_u64().unwrap(), span["end"].as_u64().unwrap());
    assert!(start <= end, "{span}");
    p.get(start as usize..end as usize).unwrap_or_else(|| panic!("{span} is not a span of {p:?}"))
}

fn names(v: &Value) -> Vec<&str> {
    v["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect()
}

fn entity<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no entity {name:?} in {:?}", names(v)))
}

fn quote<'a>(v: &'a Value, text: &str) -> &'a Value {
    v["quotes"].as_array().unwrap().iter().find(|q| q["text"] == text).unwrap_or_else(|| {
        panic!("no quote {text:?} in {:#}", v["quotes"]);
    })
}

/// Writes `records` as JSON Lines and ingests them with the seed page.
fn ingest_with_seed(dir: &Path, records: &[Value]) -> Value {
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    let path = dir.join("records.jsonl");
    std::fs::write(&path, lines).unwrap();
    let (code, summary) = json(data(dir).args(["ingest", "--json", SEED]).arg(&path));
    assert_eq!(code, 0, "{summary:#}");
    assert_eq!(summary["added"].as_u64(), Some(1 + records.len() as u64), "{summary:#}");
    summary
}

fn records() -> Vec<Value> {
    vec![
        json!({"id": "wire-1", "outlet": "Wire A", "date": "2017-04-12",
               "title": "Tillerson meets Putin",
               "text": "Secretary of State Rex Tillerson met Russian President Vladimir Putin in Moscow on Wednesday.\n\n\"There is a low level of trust between our two countries,\" Mr Tillerson told reporters after the talks."}),
        json!({"id": "budget-1", "outlet": "Office of B", "date": "2019-01-25",
               "title": "Shutdown ends",
               "text": "The partial government shutdown ended on Friday after 35 days.\n\n\"Federal workers will finally be paid,\" Senator Maria Lopez said in a statement."}),
        json!({"id": "undated-1", "outlet": "Office of C", "title": "No date",
               "text": "\"We will keep working on it,\" said Governor Tom Reyes of Ohio."}),
    ]
}

#[test]
fn issue_5_analyze_gives_entities_quotes_and_sentences_with_valid_spans() {
    let v = analyze_seed();
    let paragraphs = v["paragraphs"].as_array().unwrap();
    let sentences = v["sentences"].as_array().expect("sentences");
    assert!(!sentences.is_empty());
    let mut last = (0, 0);
    for s in sentences {
        assert!(!slice(paragraphs, s).trim().is_empty(), "{s}");
        let at = (s["paragraph"].as_u64().unwrap(), s["start"].as_u64().unwrap());
        assert!(at >= last, "sentences in text order: {s}");
        last = at;
    }
    // Every paragraph has a sentence.
    for p in 0..paragraphs.len() as u64 {
        assert!(sentences.iter().any(|s| s["paragraph"] == p), "paragraph {p}");
    }
    for e in v["entities"].as_array().expect("entities") {
        assert!(!e["name"].as_str().unwrap().is_empty());
        assert!(["person", "organization", "place"].contains(&e["kind"].as_str().unwrap()), "{e}");
        let mentions = e["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty(), "{e}");
        for m in mentions {
            assert_eq!(slice(paragraphs, m), m["text"].as_str().unwrap(), "{m}");
        }
    }
    for q in v["quotes"].as_array().expect("quotes") {
        let words = slice(paragraphs, q);
        assert!(!words.is_empty(), "{q}");
        assert!(q["direct"].is_boolean());
        assert!(q["speaker"].is_null() || q["speaker"].is_string(), "{q}");
        assert!(q["cue"].is_null() || q["cue"].is_string(), "{q}");
        assert!(q["text"].is_string(), "{q}");
    }
    // The human view lists them after the body.
    let out = lede().args(["analyze", SEED]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    if !v["entities"].as_array().unwrap().is_empty() {
        assert!(text.contains("\nPeople, organisations, places: "), "{text}");
    }
    if !v["quotes"].as_array().unwrap().is_empty() {
        assert!(text.contains("\nQuotes:\n  "), "{text}");
    }
}

/// Model: the seed's people, places and quotes under their canonical names.
#[test]
fn issue_5_seed_names_and_speakers() {
    let v = analyze_seed();
    for (name, kind) in [
        ("Rex Tillerson", "person"),
        ("Vladimir Putin", "person"),
        ("Sergey Lavrov", "person"),
        ("Donald Trump", "person"),
        ("Russia", "place"),
        ("United States", "place"),
        ("Syria", "place"),
        ("Moscow", "place"),
    ] {
        assert_eq!(entity(&v, name)["kind"], kind, "{name}");
    }
    let russia: Vec<&str> = entity(&v, "Russia")["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    for form in ["Russian Federation", "Russia", "Russian"] {
        assert!(russia.contains(&form), "{form} in {russia:?}");
    }
    let tillerson: Vec<&str> = entity(&v, "Rex Tillerson")["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(tillerson.contains(&"Mr Tillerson"), "{tillerson:?}");
    let q = quote(&v, "There is a low level of trust between our two countries");
    assert_eq!((q["speaker"].as_str(), q["direct"].as_bool()), (Some("Rex Tillerson"), Some(true)));
    assert_eq!(quote(&v, "Are we insisting on it? No. No")["speaker"], "Donald Trump");
    assert_eq!(
        quote(&v, "We know the Russians have chemical expertise in-country")["speaker"],
        Value::Null
    );
}

#[test]
fn issue_5_quotes_entities_and_entity_search_over_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ingest_with_seed(d, &records());

    // Structural: the contract's fields, newest first, undated last.
    let (code, quotes) = json(data(d).args(["quotes", "--json"]));
    assert_eq!(code, 0);
    let quotes = quotes.as_array().unwrap();
    assert!(quotes.len() >= 3, "the three records' quotes at least: {quotes:#?}");
    for q in quotes {
        for field in [
            "text",
            "speaker",
            "article_id",
            "published",
            "cue",
            "direct",
            "paragraph",
            "start",
            "end",
            "title",
        ] {
            assert!(q.get(field).is_some(), "{field} in {q}");
        }
        assert_eq!(q["article_id"].as_str().unwrap().len(), 32);
    }
    let dates: Vec<Option<&str>> = quotes.iter().map(|q| q["published"].as_str()).collect();
    let dated: Vec<&str> = dates.iter().map_while(|d| *d).collect();
    assert!(dated.windows(2).all(|w| w[0][..10] >= w[1][..10]), "newest first: {dates:?}");
    assert!(dates[dated.len()..].iter().all(Option::is_none), "undated last: {dates:?}");
    assert_eq!(quotes.last().unwrap()["text"], "We will keep working on it");
    assert_eq!(quotes[0]["text"], "Federal workers will finally be paid", "2019 first");
    let (_, limited) = json(data(d).args(["quotes", "--json", "--limit", "2"]));
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let (code, none) = json(data(d).args(["quotes", "--json", "--speaker", "Nobody Atall"]));
    assert_eq!((code, none), (0, json!([])));

    // Structural: entities are counted and ordered by coverage.
    let (code, entities) = json(data(d).args(["entities", "--json"]));
    assert_eq!(code, 0);
    let entities = entities.as_array().unwrap();
    assert!(!entities.is_empty());
    for e in entities {
        let (articles, mentions) =
            (e["articles"].as_u64().unwrap(), e["mentions"].as_u64().unwrap());
        assert!(articles >= 1 && mentions >= articles && articles <= 4, "{e}");
    }
    let coverage: Vec<u64> = entities.iter().map(|e| e["articles"].as_u64().unwrap()).collect();
    assert!(coverage.windows(2).all(|w| w[0] >= w[1]), "{coverage:?}");
    let (_, places) = json(data(d).args(["entities", "--json", "--kind", "place", "--limit", "3"]));
    let places = places.as_array().unwrap();
    assert!(places.len() <= 3 && places.iter().all(|e| e["kind"] == "place"), "{places:?}");
    let (_, stats) = json(data(d).args(["stats", "--json"]));
    assert_eq!(stats["annotated"], 4);
    assert!(stats["quotes"].as_u64().unwrap() >= 3, "{stats}");

    // Structural: `show` gives what `analyze` gives, from the store.
    let (_, seed) = json(data(d).args(["search", "--json", "Stoltenberg"]));
    let seed_id = seed
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == analyze_seed()["title"])
        .expect("the seed is found")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, shown) = json(data(d).args(["show", "--json", &seed_id]));
    assert_eq!(code, 0);
    let analyzed = analyze_seed();
    for field in ["entities", "quotes", "sentences"] {
        assert_eq!(shown[field], analyzed[field], "{field}");
    }
    let out = data(d).args(["show", &seed_id]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\nQuotes:\n"), "{text}");

    // Structural: the human views, one line each.
    let out = data(d).args(["quotes", "--limit", "3"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("2019-01-25  "), "{text}");
    let out = data(d).args(["entities", "--limit", "2"]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);

    // Model: Tillerson's quotes (the seed's and the wire's), by surname or whole name.
    let (_, his) = json(data(d).args(["quotes", "--json", "--speaker", "Tillerson"]));
    let his = his.as_array().unwrap();
    assert!(his.len() >= 2, "{his:#?}");
    assert!(his.iter().all(|q| q["speaker"] == "Rex Tillerson"), "{his:#?}");
    assert!(
        his.iter().any(|q| q["text"] == "There is a low level of trust between our two countries"
            && q["article_id"] == seed_id.as_str())
    );
    let (_, again) = json(data(d).args(["quotes", "--json", "--speaker", "rex tillerson"]));
    assert_eq!(again.as_array().unwrap().len(), his.len());
    let (_, lopez) = json(data(d).args(["quotes", "--json", "--speaker", "Lopez"]));
    assert_eq!(lopez[0]["speaker"], "Maria Lopez");

    // Model: search by entity finds the seed and the wire story, and nothing else.
    let (code, hits) = json(data(d).args(["search", "--json", "--entity", "Rex Tillerson"]));
    assert_eq!(code, 0);
    let mut titles: Vec<&str> =
        hits.as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap()).collect();
    titles.sort_unstable();
    let seed_title = analyzed["title"].as_str().unwrap();
    let mut expected = vec![seed_title, "Tillerson meets Putin"];
    expected.sort_unstable();
    assert_eq!(titles, expected);
    let (_, hits) = json(data(d).args(["search", "--json", "trust", "--entity", "rex tillerson"]));
    assert_eq!(hits.as_array().unwrap().len(), 2, "a query and an entity together");
    let (_, people) = json(data(d).args(["entities", "--json", "--kind", "person"]));
    let tillerson =
        people.as_array().unwrap().iter().find(|e| e["name"] == "Rex Tillerson").unwrap().clone();
    assert_eq!(tillerson["articles"], 2);
}

#[test]
fn issue_5_a_store_of_the_second_format_is_annotated_by_the_next_ingest() {
    // A store written before entities (tests/fixtures/store-v2, see its README).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/store-v2");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("data");
    copy_dir(&fixture, &copy);
    let at = |args: &[&str]| lede().arg("--data").arg(&copy).args(args).output().unwrap();
    let (code, stats) = json(lede().arg("--data").arg(&copy).args(["stats", "--json"]));
    assert_eq!(code, 0);
    assert_eq!((stats["format"].as_u64(), stats["annotated"].as_u64()), (Some(2), Some(0)));
    // Read as it is: no quotes stored yet, and a word about why.
    let out = at(&["quotes", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!([]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the next `lede ingest` reads them"));
    // `show` reads an article's quotes itself meanwhile.
    let (code, shown) = json(lede().arg("--data").arg(&copy).args(["show", "--json", "v2-1"]));
    assert_eq!(code, 0);
    assert!(
        shown["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["text"] == "There is a low level of trust between our two countries")
    );

    // The old index has no entities: an entity filter finds nothing, and says why.
    let out = at(&["search", "--json", "--entity", "Rex Tillerson"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!([]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("built before entities"));

    std::fs::write(
        dir.path().join("more.jsonl"),
        json!({"id": "v3-1", "outlet": "Wire D", "date": "2019-03-01", "title": "Later",
               "text": "\"It is done,\" said Senator Maria Lopez."})
        .to_string(),
    )
    .unwrap();
    let (code, summary) = json(
        lede()
            .arg("--data")
            .arg(&copy)
            .args(["ingest", "--json"])
            .arg(dir.path().join("more.jsonl")),
    );
    assert_eq!((code, summary["added"].as_u64()), (0, Some(1)), "{summary:#}");
    assert_eq!(summary["reindexed"], 3, "the index is rebuilt with the entity field");
    let (_, stats) = json(lede().arg("--data").arg(&copy).args(["stats", "--json"]));
    assert_eq!(stats["format"], crate::support::STORE_FORMAT, "migrated to the current format");
    // Every article, the migrated ones too, is in a story.
    assert_eq!(crate::support::articles_in_stories(&copy), 4);
    assert_eq!((stats["articles"].as_u64(), stats["annotated"].as_u64()), (Some(4), Some(4)));
    assert_eq!(stats["indexed"], 4);
    let out = at(&["quotes", "--json"]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let quotes: Value = serde_json::from_slice(&out.stdout).unwrap();
    let texts: Vec<&str> =
        quotes.as_array().unwrap().iter().map(|q| q["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "It is done",
            "This is not how our Constitution works",
            "There is a low level of trust between our two countries"
        ],
        "the migrated articles' quotes, newest first"
    );
    let (_, shown_after) = json(lede().arg("--data").arg(&copy).args(["show", "--json", "v2-1"]));
    assert_eq!(shown_after["quotes"], shown["quotes"], "stored as computed");

    // Model: the backfilled entities are searchable and attributed.
    let (_, hits) = json(lede().arg("--data").arg(&copy).args([
        "search",
        "--json",
        "--entity",
        "Rex Tillerson",
    ]));
    assert_eq!(hits[0]["title"], "Tillerson meets Putin in Moscow", "{hits:#}");
    let (_, his) =
        json(lede().arg("--data").arg(&copy).args(["quotes", "--json", "--speaker", "Tillerson"]));
    assert_eq!(his.as_array().unwrap().len(), 1, "{his:#}");
}

#[test]
fn issue_5_usage_and_missing_stores() {
    let dir = tempfile::tempdir().unwrap();
    let out = data(dir.path()).args(["quotes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no lede store here"));
    let out = data(dir.path()).args(["entities", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    for bad in [&["entities", "--kind", "animal"][..], &["quotes", "--limit", "many"], &["search"]]
    {
        assert_eq!(data(dir.path()).args(bad).output().unwrap().status.code(), Some(2), "{bad:?}");
    }
}

/// Bar 3 of the issue: text without punctuation, unbalanced quotation marks and non-Latin
/// text give clear output in time and space linear in the input (a reported clause must
/// not run to the end of an unpunctuated page, once per speech verb).
#[test]
fn issue_5_bad_text_costs_linear_time_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let words = ["the", "minister", "said", "that", "talks", "with", "Russia", "would", "go", "on"];
    let mut x = 7u32;
    let unpunctuated: Vec<&str> = (0..30_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            words[(x >> 16) as usize % words.len()]
        })
        .collect();
    let pages = [
        ("unpunctuated.txt", unpunctuated.join(" ")),
        ("unbalanced.txt", "\"He said \" it was fine, \" Mr Smith said \"and then. ".repeat(3_000)),
        (
            "russian.txt",
            "Министр Сергей Лавров заявил, что «переговоры продолжатся». ".repeat(3_000),
        ),
        (
            "turkish.txt",
            "Bakan Sergey Lavrov görüşmelerin devam edeceğini söyledi ve toplantı bitti. "
                .repeat(3_000),
        ),
    ];
    for (name, body) in pages {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("A headline\n\n{body}\n")).unwrap();
        let start = std::time::Instant::now();
        let out = lede().args(["analyze", "--json"]).arg(&path).output().unwrap();
        let took = start.elapsed();
        assert_eq!(out.status.code(), Some(0), "{name}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["sentences"].as_array().unwrap().len() > 1, "{name}: long runs are cut");
        assert!(
            out.stdout.len() < 20 * body.len(),
            "{name}: {} bytes of JSON for {} bytes of text",
            out.stdout.len(),
            body.len()
        );
        assert!(took.as_secs() < 30, "{name}: {took:?}");
        // A page in a language lede reads no entities or quotes in says so (Russian is
        // read, issue 17; Turkish is not).
        let warned = |what: &str| {
            v["warnings"].as_array().unwrap().iter().any(|w| {
                w.as_str().unwrap().starts_with(&format!("{what} not read for language `tr`"))
            })
        };
        let turkish = name == "turkish.txt";
        assert_eq!(
            (warned("entities"), warned("quotes")),
            (turkish, turkish),
            "{name}: {}",
            v["warnings"]
        );
    }
}
