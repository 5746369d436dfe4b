//! `lede trace` and `lede dups` on stores built from the seed page's own paragraphs.

use crate::support::{data, json};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Instant;

const SEED: &str = "../../tests/fixtures/seed/source.txt";
const SEED_GOLD: &str = "../../tests/fixtures/seed/gold.json";

fn seed_paragraphs() -> Vec<String> {
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(SEED_GOLD).unwrap()).unwrap();
    gold["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect()
}

fn ingest(dir: &Path, records: &[Value]) {
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    let path = dir.join("records.jsonl");
    std::fs::write(&path, lines).unwrap();
    let out = data(dir).arg("ingest").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The wire copy the seed was spun from: its paragraphs with "Russia" as news writes it.
fn unspun(paragraphs: &[String]) -> Vec<String> {
    paragraphs.iter().map(|p| p.replace("Russian Federation", "Russia")).collect()
}

#[test]
fn issue_4_seed_without_its_sources_is_original_with_spin_markers() {
    let dir = tempfile::tempdir().unwrap();
    ingest(
        dir.path(),
        &[json!({"id": "other", "title": "Budget passes", "date": "2017-04-01",
                 "text": "The city council passed the budget on Monday after a long debate about school funding and road repairs."})],
    );
    let (code, t) = json(data(dir.path()).args(["trace", "--json", SEED]));
    assert_eq!(code, 0);
    assert_eq!(t["verdict"], "original");
    assert_eq!(t["sources"], json!([]));
    let markers = t["spin_markers"].as_array().unwrap();
    let marker = |surface: &str| markers.iter().find(|m| m["surface"] == surface).cloned();
    let russia = marker("Russian Federation").expect("Russian Federation marked");
    assert_eq!((russia["expected"].as_str(), russia["count"].as_u64()), (Some("Russia"), Some(4)));
    assert_eq!(russia["count_in_related"], 1, "the spun related-story title");
    let us = marker("United States").expect("attributive United States marked");
    assert_eq!(us["count"], 2);
    // The human view says the same.
    let out = data(dir.path()).args(["trace", SEED]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("verdict: original: no earlier source"), "{text}");
    assert!(text.contains("\"Russian Federation\" x4"), "{text}");
}

/// Issue 16: "original" must not rest on an empty search. The seed's sources are absent,
/// so the verdict keeps its meaning (no earlier source), but its own text shows it is a
/// composite: the unanchored "Less than 24 hours later" of its first paragraph, the spin
/// markers, and two related stories that share nothing with the body.
#[test]
fn issue_16_seed_without_its_sources_is_suspected_composite() {
    let dir = tempfile::tempdir().unwrap();
    ingest(
        dir.path(),
        &[json!({"id": "other", "title": "Budget passes", "date": "2017-04-01",
                 "text": "The city council passed the budget on Monday after a long debate about school funding and road repairs."})],
    );
    let (code, t) = json(data(dir.path()).args(["trace", "--json", SEED]));
    assert_eq!(code, 0);
    assert_eq!(t["verdict"], "original");
    assert_eq!(t["composite_suspected"], true, "{t:#}");
    let signals = t["intrinsic"].as_array().unwrap();
    let of = |kind: &str| -> Vec<&Value> { signals.iter().filter(|s| s["kind"] == kind).collect() };
    let time = of("unanchored_time");
    assert_eq!(time.len(), 1, "{signals:#?}");
    assert_eq!(time[0]["evidence"], "Less than 24 hours later");
    assert_eq!(time[0]["paragraphs"], json!([0]));
    let related: Vec<&str> =
        of("unrelated_related").iter().map(|s| s["evidence"].as_str().unwrap()).collect();
    assert_eq!(related.len(), 2, "{related:?}");
    assert!(related.iter().any(|r| r.starts_with("LeBron")), "{related:?}");
    assert!(!of("spin_marker").is_empty());
    // The human view gives the reasons.
    let out = data(dir.path()).args(["trace", SEED]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("composite suspected"), "{text}");
    assert!(text.contains("\"Less than 24 hours later\" refers to an event"), "{text}");
}

/// An article with a source is judged by its sources, not by its own text.
#[test]
fn issue_16_an_article_with_a_source_is_not_judged_intrinsically() {
    let dir = tempfile::tempdir().unwrap();
    let p = seed_paragraphs();
    ingest(
        dir.path(),
        &[json!({"id": "wire", "outlet": "Wire", "title": "Tillerson in Moscow",
                 "date": "2017-04-12", "paragraphs": unspun(&p)})],
    );
    let (code, t) = json(data(dir.path()).args(["trace", "--json", SEED]));
    assert_eq!(code, 0);
    assert_ne!(t["verdict"], "original");
    assert_eq!(
        (t["composite_suspected"].clone(), t["intrinsic"].clone()),
        (json!(false), json!([]))
    );
}

#[test]
fn issue_4_trace_names_sources_passages_and_swaps() {
    let dir = tempfile::tempdir().unwrap();
    let p = seed_paragraphs();
    let wire = unspun(&p);
    ingest(
        dir.path(),
        &[
            json!({"id": "wire-a", "outlet": "Wire A", "title": "Tillerson in Moscow",
                   "date": "2017-04-12", "paragraphs": wire[..12]}),
            json!({"id": "wire-b", "outlet": "Wire B", "title": "Syria attack fallout",
                   "date": "2017-04-13", "paragraphs": wire[12..]}),
            json!({"id": "wire-a-repost", "outlet": "Repost", "title": "Tillerson meets Putin",
                   "date": "2017-04-12", "paragraphs": wire[1..12]}),
            json!({"id": "later", "outlet": "Late", "title": "Later copy", "date": "2017-05-01",
                   "paragraphs": wire[..12]}),
        ],
    );
    let (code, t) = json(data(dir.path()).args(["trace", "--json", SEED]));
    assert_eq!(code, 0);
    assert_eq!(t["verdict"], "spun", "{t:#}");
    let sources: Vec<&str> =
        t["sources"].as_array().unwrap().iter().map(|s| s["record_id"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources.contains(&"wire-b"), "{sources:?}");
    assert!(!sources.contains(&"later"), "a later copy is not a source");
    let coverage: f64 =
        t["sources"].as_array().unwrap().iter().map(|s| s["coverage"].as_f64().unwrap()).sum();
    assert!(coverage > 0.95, "{coverage}");
    let passages = t["passages"].as_array().unwrap();
    let from_b: Vec<(u64, u64)> = passages
        .iter()
        .filter(|x| x["source_record_id"] == "wire-b")
        .map(|x| (x["paragraph"].as_u64().unwrap(), x["source_paragraph"].as_u64().unwrap()))
        .collect();
    assert_eq!(from_b, (12..24).map(|i| (i, i - 12)).collect::<Vec<_>>());
    let swap =
        passages.iter().find(|x| x["paragraph"] == 2).map(|x| x["substitutions"].clone()).unwrap();
    assert_eq!(swap, json!([{"from": "Russia", "to": "Russian Federation"}]));
    // The verdict's evidence: the formal name, made several times.
    assert!(t["spin_score"].as_f64().unwrap() >= 0.5, "{}", t["spin_score"]);
    let evidence = &t["spin_evidence"][0];
    assert_eq!(evidence["substitution"], json!({"from": "Russia", "to": "Russian Federation"}));
    assert_eq!(evidence["kind"], "formal_name");
    assert!(evidence["occurrences"].as_u64().unwrap() >= 2, "{evidence}");
    // Spans point into the article's paragraph and the source's.
    let first = &passages[0];
    let (s, e) =
        (first["start"].as_u64().unwrap() as usize, first["end"].as_u64().unwrap() as usize);
    assert_eq!((first["paragraph"].as_u64(), s), (Some(0), 0));
    assert_eq!(&p[0][e..], ".", "the whole paragraph, up to its last word");
    assert!((first["similarity"].as_f64().unwrap() - 1.0).abs() < 1e-9);

    // The earliest source has nothing before it; the later copy is a copy of it.
    let (_, a) = json(data(dir.path()).args(["trace", "--json", "wire-a"]));
    assert_eq!(a["verdict"], "original");
    let (_, later) = json(data(dir.path()).args(["trace", "--json", "later"]));
    assert_eq!(later["verdict"], "copy");
    assert_eq!(later["sources"][0]["record_id"], "wire-a", "where it first appeared");

    // Several articles: JSON Lines. An unknown key: a message naming it, and exit 0 because
    // the others were traced (1 with --strict, or when no key is known).
    let out =
        data(dir.path()).args(["trace", "--json", "wire-a", "wire-b", "nosuch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let strict = data(dir.path()).args(["trace", "--strict", "wire-a", "nosuch"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let none = data(dir.path()).args(["trace", "nosuch"]).output().unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"nosuch\""));

    // Near-duplicates: the wire story, its repost and its later copy.
    let (code, groups) = json(data(dir.path()).args(["dups", "--json"]));
    assert_eq!(code, 0);
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let ids: Vec<&str> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["record_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["wire-a", "wire-a-repost", "later"]);
    assert!(groups[0]["similarity"].as_f64().unwrap() >= 0.5);
    // A window of three days leaves the later copy out.
    let (_, windowed) = json(data(dir.path()).args(["dups", "--json", "--window", "3"]));
    assert_eq!(windowed[0]["ids"].as_array().unwrap().len(), 2);
    let out = data(dir.path()).args(["dups", "--threshold", "2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a threshold above 1 is bad usage");

    // Stored, the spun page teaches the spinner's thesaurus.
    ingest(
        dir.path(),
        &[json!({"id": "seed", "title": "Putin receives US Secretary of State",
                 "date": "2017-04-16", "paragraphs": p})],
    );
    let (code, learned) = json(data(dir.path()).args(["spin", "--json", "--min-articles", "1"]));
    assert_eq!(code, 0);
    assert_eq!(learned[0]["from"], "russia");
    assert_eq!(learned[0]["to"], "russian federation");
    assert_eq!((learned[0]["count"].as_u64(), learned[0]["articles"].as_u64()), (Some(4), Some(1)));
}

#[test]
fn issue_4_bad_articles_get_clear_answers_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = seed_paragraphs();
    let big_paragraph = p[0].repeat(2_000); // ~1 MB of one repeated sentence run
    let quotes: Vec<String> = p.iter().map(|x| format!("\"{x}\"")).collect();
    ingest(
        dir.path(),
        &[
            json!({"id": "source", "title": "Source", "date": "2017-04-10", "paragraphs": p}),
            json!({"id": "one-word", "title": "One", "date": "2017-04-11", "text": "Hello"}),
            json!({"id": "quotes", "title": "All quotes", "date": "2017-04-12", "paragraphs": quotes}),
            json!({"id": "same", "title": "Same paragraph", "date": "2017-04-13",
                   "paragraphs": vec![p[3].clone(); 3_000]}),
            json!({"id": "huge", "title": "Huge", "date": "2017-04-14",
                   "paragraphs": [big_paragraph.repeat(10)]}),
        ],
    );
    for (key, verdict) in
        [("one-word", "original"), ("quotes", "copy"), ("same", "copy"), ("huge", "copy")]
    {
        let started = Instant::now();
        let (code, t) = json(data(dir.path()).args(["trace", "--json", key]));
        assert_eq!((code, t["verdict"].as_str()), (0, Some(verdict)), "{key}");
        assert!(started.elapsed().as_secs() < 60, "{key} took {:?}", started.elapsed());
    }
    let (code, _) = json(data(dir.path()).args(["dups", "--json"]));
    assert_eq!(code, 0);
}

/// Issue 16, "where passages went": the wire stories the seed was spun from, the seed, a
/// later verbatim copy and an unrelated later article.
fn wire_and_copies(dir: &Path) {
    let p = seed_paragraphs();
    let wire = unspun(&p);
    ingest(
        dir,
        &[
            json!({"id": "wire-a", "outlet": "Wire A", "title": "Tillerson in Moscow",
                   "date": "2017-04-12", "paragraphs": wire[..12]}),
            json!({"id": "wire-b", "outlet": "Wire B", "title": "Syria attack fallout",
                   "date": "2017-04-13", "paragraphs": wire[12..]}),
            json!({"id": "seed", "outlet": "Farm", "title": "Putin receives US Secretary of State",
                   "date": "2017-04-16", "paragraphs": p}),
            json!({"id": "later", "outlet": "Late", "title": "Later copy", "date": "2017-05-01",
                   "paragraphs": wire[..12]}),
            json!({"id": "unrelated", "outlet": "City", "title": "Budget passes",
                   "date": "2017-06-01",
                   "text": "The city council passed the budget on Monday after a long debate about school funding and road repairs. Councillors argued for hours over the cost of new buses."}),
        ],
    );
}

#[test]
fn issue_16_trace_lists_later_reuse_and_each_passages_history() {
    let dir = tempfile::tempdir().unwrap();
    wire_and_copies(dir.path());
    let (code, t) = json(data(dir.path()).args(["trace", "--json", "wire-a"]));
    assert_eq!(code, 0);
    assert_eq!(t["verdict"], "original", "nothing earlier");
    let reused = t["reused_by"].as_array().unwrap();
    let ids: Vec<&str> = reused.iter().map(|r| r["record_id"].as_str().unwrap()).collect();
    // Oldest first; the unrelated later article and wire-b (which shares no passage) are
    // not listed.
    assert_eq!(ids, ["seed", "later"], "{t:#}");
    assert_eq!(t["reused_by_capped"], false);
    let (seed, later) = (&reused[0], &reused[1]);
    assert_eq!((&seed["outlet"], seed["spun"].as_bool()), (&json!("Farm"), Some(true)), "{seed:#}");
    assert!(seed["spin_score"].as_f64().unwrap() >= 0.5, "{seed}");
    assert_eq!(
        seed["spin_evidence"][0]["substitution"],
        json!({"from": "Russia", "to": "Russian Federation"})
    );
    assert_eq!(later["spun"], false, "a verbatim copy is not spun: {later:#}");
    assert!(later["coverage"].as_f64().unwrap() > 0.95, "{later}");
    // Which of wire-a's paragraphs the seed took, and where they stand in the seed.
    let taken: Vec<(u64, u64)> = seed["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["paragraph"].as_u64().unwrap(), x["copy_paragraph"].as_u64().unwrap()))
        .collect();
    assert_eq!(taken, (0..12).map(|i| (i, i)).collect::<Vec<_>>());
    let spun_copy = seed["passages"].as_array().unwrap().iter().find(|x| x["paragraph"] == 2);
    assert_eq!(spun_copy.unwrap()["spun"], true);

    // Each paragraph's history: first seen here, two copies, one of them spun where the
    // seed swapped a word in it, and none spun where it copied word for word.
    let history = t["passage_history"].as_array().unwrap();
    assert_eq!(history.len(), 12);
    let h2 = &history[2];
    assert_eq!(h2["first_seen"]["record_id"], "wire-a", "{h2:#}");
    assert_eq!((h2["earlier"].as_u64(), h2["copies"].as_u64()), (Some(0), Some(2)), "{h2:#}");
    assert_eq!(h2["spun_copies"], 1, "{h2:#}");
    assert_eq!(h2["outlets"], json!(["Wire A", "Farm", "Late"]));
    assert_eq!(
        (history[0]["copies"].as_u64(), history[0]["spun_copies"].as_u64()),
        (Some(2), Some(0))
    );

    // From the seed's side: its paragraphs were first seen in the wires, nothing reuses it.
    let (_, s) = json(data(dir.path()).args(["trace", "--json", "seed"]));
    assert_eq!(s["reused_by"], json!([]), "the later copy took wire-a's text, not the seed's");
    let history = s["passage_history"].as_array().unwrap();
    assert_eq!(history[2]["first_seen"]["record_id"], "wire-a");
    assert_eq!(history[2]["earlier"], 1);
    assert_eq!(history[14]["first_seen"]["record_id"], "wire-b");
    assert_eq!(history[14]["outlets"], json!(["Wire B", "Farm"]));

    // The human view says the same.
    let out = data(dir.path()).args(["trace", "wire-a"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reused by 2 later articles"), "{text}");
    let seed_line = text.lines().find(|l| l.contains("Farm") && l.contains("spun")).unwrap();
    assert!(seed_line.contains("¶1-12"), "{text}");
    let spun_line = text.lines().find(|l| l.contains("1 spun")).unwrap_or_else(|| panic!("{text}"));
    assert!(spun_line.starts_with("  ¶3"), "{text}");
    assert!(spun_line.contains("first seen 2017-04-12 Wire A"), "{text}");
    assert!(spun_line.ends_with("2 copies, 1 spun; outlets: Wire A, Farm, Late"), "{text}");
    assert!(!text.contains("capped"), "{text}");
}

#[test]
fn issue_16_an_article_reused_more_than_the_search_reads_says_it_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let wire = unspun(&seed_paragraphs());
    let mut records = vec![json!({"id": "wire", "outlet": "Wire", "title": "Tillerson in Moscow",
                                  "date": "2017-04-12", "paragraphs": wire[..12]})];
    // More copies than a paragraph's lookup returns, each with a line of its own (an
    // exact copy would be stored as the same article).
    for i in 0..40 {
        let mut paragraphs = wire[..12].to_vec();
        paragraphs.push(format!("Republished by outlet number {i} under licence {}.", 1000 + i));
        records.push(json!({"id": format!("copy-{i}"), "outlet": format!("Outlet {i}"),
                            "date": "2017-04-20", "paragraphs": paragraphs}));
    }
    ingest(dir.path(), &records);
    let started = Instant::now();
    let (code, t) = json(data(dir.path()).args(["trace", "--json", "wire"]));
    assert_eq!(code, 0);
    assert_eq!(t["reused_by_capped"], true, "{}", t["reused_by"]);
    let reused = t["reused_by"].as_array().unwrap();
    assert!(!reused.is_empty() && reused.len() <= 40, "{}", reused.len());
    assert!(reused.iter().all(|r| r["spun"] == false && r["outlet"] != "Wire"));
    let copies = t["passage_history"][0]["copies"].as_u64().unwrap();
    assert_eq!(copies, reused.len() as u64);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let out = data(dir.path()).args(["trace", "wire"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(capped: the search for later reuse stopped"), "{text}");
}
