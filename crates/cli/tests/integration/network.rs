//! `lede outlets` and `lede authors` (issue 16) on a small network built from the seed
//! page's paragraphs: a wire, two farms that spin its stories with the same spinner and
//! share a byline, a farm that copies it verbatim under a byline of its own, an honest
//! outlet, and articles without an outlet or with a sentence for a byline.

use crate::support::{data, json};
use serde_json::{Value, json};
use std::path::Path;

const SEED_GOLD: &str = "../../tests/fixtures/seed/gold.json";

/// The seed's paragraphs as the wire wrote them: "Russia", not the spinner's "Russian
/// Federation".
fn wire_paragraphs() -> Vec<String> {
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(SEED_GOLD).unwrap()).unwrap();
    gold["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().replace("Russian Federation", "Russia"))
        .collect()
}

/// A spinner's swaps: synonyms of common words and a formal name.
fn spin(paragraphs: &[String]) -> Vec<String> {
    paragraphs
        .iter()
        .map(|p| {
            p.replace(" said", " stated")
                .replace("people", "individuals")
                .replace("government", "administration")
                .replace("Russia ", "Russian Federation ")
        })
        .collect()
}

fn ingest(dir: &Path, records: &[Value]) {
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    let path = dir.join("records.jsonl");
    std::fs::write(&path, lines).unwrap();
    let out = data(dir).arg("ingest").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

pub(crate) fn network(dir: &Path) {
    let wire = wire_paragraphs();
    let mut records = Vec::new();
    let stories = ["Tillerson in Moscow", "Hotline frozen", "Syria strike fallout"];
    for (i, title) in stories.iter().enumerate() {
        let text = &wire[i * 8..i * 8 + 8];
        let day = |d: usize| format!("2017-04-{:02}", 10 + 3 * i + d);
        let authors =
            if i == 0 { json!(["Ann Reporter", "Sam Freelance"]) } else { json!("Ann Reporter") };
        records.push(json!({"id": format!("wire-{i}"), "outlet": "Wire", "title": title,
                            "date": day(0), "authors": authors, "paragraphs": text}));
        records.push(json!({"id": format!("farm-a-{i}"), "outlet": "Farm A", "title": format!("{title} | Farm A"),
                            "date": day(1), "author": "By Cecelia Webb", "paragraphs": spin(text)}));
        records.push(json!({"id": format!("farm-b-{i}"), "outlet": "Farm B", "title": format!("{title} | Farm B"),
                            "date": day(2), "author": "cecelia webb", "paragraphs": spin(text)}));
        records.push(json!({"id": format!("farm-c-{i}"), "outlet": "Farm C", "title": format!("{title} | Farm C"),
                            "date": day(1), "author": "Nobody Else", "paragraphs": text}));
    }
    records.push(json!({"id": "honest-1", "outlet": "Daily Honest", "title": "Budget passes",
        "date": "2017-04-11", "author": "Sam Freelance",
        "text": "The city council passed the budget on Monday after a long debate about school \
                 funding, road repairs and the cost of running the new library on weekends.\n\n\
                 Council members who voted against it said the plan leaves too little for the \
                 bridges that the county inspected last spring and found wanting."}));
    records.push(json!({"id": "honest-2", "outlet": "Daily Honest", "title": "Harbour reopens",
        "date": "2017-04-14", "author": "Pat Local",
        "text": "Fishing boats returned to the harbour on Thursday for the first time since the \
                 storm, after divers cleared the wreck that had blocked the channel for a month."}));
    records.push(json!({"id": "anon", "title": "No outlet", "date": "2017-04-15",
        "author": "This story was written by our staff and edited by the night desk team.",
        "text": "A lone article with no outlet name and a sentence where its byline should be, \
                 about the weather turning cold over the weekend in the northern valleys."}));
    ingest(dir, &records);
}

fn by<'a>(list: &'a Value, field: &str, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[field] == name)
        .unwrap_or_else(|| panic!("no {name} in {list:#}"))
}

#[test]
fn issue_16_outlets_finds_the_copy_edges_and_the_spun_group() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path());
    let graphml = dir.path().join("net.graphml");
    let (code, n) = json(data(dir.path()).args(["outlets", "--json", "--graphml"]).arg(&graphml));
    assert_eq!(code, 0);
    assert_eq!((n["articles"].as_u64(), n["traced"].as_u64()), (Some(15), Some(15)));

    // Every farm copies the wire; nobody copies the honest outlet, and the wire copies no
    // one. Farm B's sentences with swaps match Farm A's earlier copy exactly, so the
    // alignment credits them to Farm A (and the rest to the wire); Farm B's text is closer
    // to Farm A's copy than to the wire, so the rest is Farm A's too: Farm B republishes
    // Farm A's spun copies, which is spinning too, and takes nothing from the wire.
    let edges: Vec<(&str, &str, u64, u64)> = n["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |f: &str| e[f].as_str().unwrap();
            (
                s("copier"),
                s("source"),
                e["articles"].as_u64().unwrap(),
                e["spun_articles"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut found: Vec<(&str, &str, u64, u64)> = edges.clone();
    found.sort();
    assert_eq!(
        found,
        [("Farm A", "Wire", 3, 3), ("Farm B", "Farm A", 3, 3), ("Farm C", "Wire", 3, 0)],
        "(copier, source, articles, spun)"
    );
    let a_wire = by(&n["edges"], "copier", "Farm A");
    assert_eq!(a_wire["median_lag_days"], 1.0);
    // The copies behind it: each farm article with the wire story it spun.
    let pairs = a_wire["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3, "{a_wire:#}");
    for p in pairs {
        let copy = p["copy"]["record_id"].as_str().unwrap();
        let source = p["source"]["record_id"].as_str().unwrap();
        assert_eq!(copy.replace("farm-a-", "wire-"), source, "{p:#}");
        assert_eq!(p["spun"], true, "{p:#}");
        assert!(p["copy"]["title"].as_str().unwrap().ends_with("| Farm A"), "{p:#}");
    }

    let outlets = &n["outlets"];
    let wire = by(outlets, "name", "Wire");
    assert_eq!(wire["reused_by_others"], 3);
    assert_eq!(wire["reused_words"], 0);
    assert_eq!(wire["spin_rate"], 0.0);
    let farm_a = by(outlets, "name", "Farm A");
    assert!(farm_a["reused_share"].as_f64().unwrap() > 0.95, "{farm_a:#}");
    assert_eq!(farm_a["spin_rate"], 1.0);
    assert_eq!(farm_a["from"][0]["outlet"], "Wire");
    assert_eq!(farm_a["bylines"], json!([{"name": "Cecelia Webb", "articles": 3}]));
    assert_eq!(by(outlets, "name", "Farm B")["spin_rate"], 1.0, "it republishes spun copies");
    let farm_c = by(outlets, "name", "Farm C");
    assert_eq!((farm_c["spin_rate"].as_f64(), farm_c["group"].as_u64()), (Some(0.0), None));
    assert_eq!(by(outlets, "name", "Daily Honest")["reused_words"], 0);
    assert_eq!(by(outlets, "name", "(no outlet)")["articles"], 1);

    // One group: the two farms, one spinning the wire and the other republishing its spun
    // copies, with their evidence.
    let groups = n["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let g = &groups[0];
    assert_eq!(g["outlets"], json!(["Farm A", "Farm B"]), "most spun copies first, then by name");
    assert_eq!(g["score"], 1.0);
    assert_eq!((g["spun_copies"].as_u64(), g["shared_spun_sources"].as_u64()), (Some(6), Some(3)));
    assert_eq!(g["examples"][0]["outlet"], "Farm A");
    assert_eq!(g["examples"][0]["spun_by"], json!(["Farm B"]));
    assert_eq!(g["shared_bylines"], json!(["Cecelia Webb"]));
    assert_eq!(
        g["spun_from"],
        json!([{"name": "Farm A", "articles": 3}, {"name": "Wire", "articles": 3}])
    );
    let swaps: Vec<(&str, &str)> = g["shared_swaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["from"].as_str().unwrap(), s["to"].as_str().unwrap()))
        .collect();
    assert!(swaps.contains(&("said", "stated")), "{swaps:?}");
    assert_eq!(g["median_lag_days"], 1.0, "a day after the wire, a day after Farm A");
    assert_eq!(g["median_spread_days"], 1.0, "Farm B runs each story a day after Farm A");
    assert_eq!((farm_a["group"].as_u64(), wire["group"].as_u64()), (Some(0), None));

    // The GraphML holds the same graph: a node per outlet, an edge per copy edge, each
    // element closed, names escaped.
    let xml = std::fs::read_to_string(&graphml).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "), "{xml}");
    assert!(xml.trim_end().ends_with("</graphml>"));
    assert_eq!(xml.matches("<node ").count(), n["outlets"].as_array().unwrap().len());
    assert_eq!(xml.matches("</node>").count(), xml.matches("<node ").count());
    assert_eq!(xml.matches("<edge ").count(), 3);
    assert_eq!(xml.matches("<data ").count(), xml.matches("</data>").count());
    assert!(xml.contains(r#"<graph id="outlets" edgedefault="directed">"#));
    assert!(xml.contains(r#"<data key="label">Farm A</data>"#));
    let node = |name: &str| {
        let at = xml.find(&format!(r#"<data key="label">{name}</data>"#)).unwrap();
        let open = xml[..at].rfind("<node id=\"").unwrap() + "<node id=\"".len();
        xml[open..].split('"').next().unwrap().to_owned()
    };
    let (a, w) = (node("Farm A"), node("Wire"));
    assert!(xml.contains(&format!(r#"source="{a}" target="{w}""#)), "{xml}");

    // The human view says the same.
    let out = data(dir.path()).arg("outlets").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Farm A -> Wire: 3 articles"), "{text}");
    assert!(text.contains("    e.g. farm-a-"), "{text}");
    assert!(text.contains("group 1 (score 1.00): Farm A, Farm B"), "{text}");
    assert!(text.contains("shared bylines: Cecelia Webb"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("traced 15 of 15 articles"), "{stderr}");
}

#[test]
fn issue_16_authors_flags_shared_and_borrowed_bylines() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path());
    let (code, a) = json(data(dir.path()).args(["authors", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(a["bylines_ignored"], 1, "the sentence read as a byline");
    assert_eq!(a["unsigned"], 1);
    let bylines = &a["bylines"];
    let flags = |name: &str| by(bylines, "name", name)["flags"].clone();
    // "By Cecelia Webb" and "cecelia webb" are one byline, at two farms that copy one
    // another: related outlets, so not flagged here (the group's evidence names it).
    let webb = by(bylines, "name", "Cecelia Webb");
    assert_eq!(webb["articles"], 6);
    assert_eq!(
        webb["outlets"],
        json!([{"name": "Farm A", "articles": 3}, {"name": "Farm B", "articles": 3}])
    );
    assert_eq!(webb["flags"], json!([]));
    assert!(webb["reused_share"].as_f64().unwrap() > 0.95);
    // A freelance at the wire and at the honest outlet: unrelated outlets too.
    assert_eq!(flags("Sam Freelance"), json!(["across_unrelated_outlets"]));
    assert_eq!(
        by(bylines, "name", "Sam Freelance")["unrelated_outlets"],
        json!([["Daily Honest", "Wire"]])
    );
    assert_eq!(flags("Ann Reporter"), json!([]));
    assert_eq!(by(bylines, "name", "Ann Reporter")["reused_share"], 0.0);
    assert_eq!(flags("Pat Local"), json!([]));
    // The seed's "Cecelia Webb" pattern: a byline nobody else prints, over copied text.
    assert_eq!(flags("Nobody Else"), json!(["borrowed_text"]));
    let outlets: Vec<&str> = a["exclusive_bylines_mostly_reused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outlet"].as_str().unwrap())
        .collect();
    assert_eq!(outlets, ["Farm C"], "the other farms share their byline");
    assert_eq!(a["exclusive_bylines_mostly_reused"][0]["from"], json!(["Wire"]));

    let out = data(dir.path()).arg("authors").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 left out as too long to be names"), "{text}");
    assert!(text.contains("Cecelia Webb: 6 articles at Farm A (3), Farm B (3)"), "{text}");
    assert!(text.contains("Farm C: 100% reused (from Wire); bylines: Nobody Else"), "{text}");
}

#[test]
fn issue_16_outlets_samples_and_handles_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    network(dir.path());
    let (code, n) = json(data(dir.path()).args(["outlets", "--json", "--sample", "5"]));
    assert_eq!(code, 0);
    assert_eq!((n["articles"].as_u64(), n["traced"].as_u64()), (Some(15), Some(5)));
    let traced: u64 =
        n["outlets"].as_array().unwrap().iter().map(|o| o["traced"].as_u64().unwrap()).sum();
    assert_eq!(traced, 5);

    let empty = tempfile::tempdir().unwrap();
    ingest(empty.path(), &[]);
    let out = data(empty.path()).arg("outlets").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("0 articles in 0 outlets, 0 traced; 0 copy edges, 0 groups"),
        "{text}"
    );
    let (code, a) = json(data(empty.path()).args(["authors", "--json"]));
    assert_eq!((code, a["bylines"].clone()), (0, json!([])));
}
