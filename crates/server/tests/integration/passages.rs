//! Issue 16, "where passages went", in the reader and the API: each paragraph of an article
//! links to its history on the same page, the later articles that reuse it are listed, and
//! everything a record supplies stays text.

use crate::support::get_body;
use axum::http::StatusCode;
use std::path::Path;

/// A wire story of two paragraphs and a later spun copy of its first, from an outlet whose
/// name is markup.
fn store(dir: &Path) {
    let first = "Russia vetoed a United Nations resolution on Wednesday that would have \
        condemned the chemical attack in Syria. The vote in the Security Council was ten in \
        favour and two against, with three abstentions. Western diplomats said Russia was \
        shielding its ally from responsibility for the deaths of dozens of civilians.";
    let second = "Separately, the city's harbour authority announced new berths for cargo \
        vessels, a project that had been delayed by a dispute over dredging contracts.";
    let records = [
        serde_json::json!({"id": "wire-1", "outlet": "Wire", "date": "2017-04-12",
            "title": "Russia vetoes UN resolution", "paragraphs": [first, second]}),
        serde_json::json!({"id": "farm-1", "outlet": "<script>alert(1)</script>Farm",
            "date": "2017-04-14", "title": "Resolution <b>vetoed</b>",
            "paragraphs": [first.replace("Russia", "Russian Federation")]}),
    ];
    assert_eq!(crate::support::ingest(dir, &records), 2);
}

#[test]
fn issue_16_each_paragraph_links_to_where_it_went() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));

    let (status, trace) = get_body(&app, "/api/articles/wire-1/trace");
    assert_eq!(status, StatusCode::OK, "{trace}");
    let trace: serde_json::Value = serde_json::from_str(&trace).unwrap();
    let reuse = &trace["reused_by"][0];
    assert_eq!(
        (reuse["record_id"].as_str(), reuse["spun"].as_bool()),
        (Some("farm-1"), Some(true))
    );
    assert_eq!(trace["reused_by"].as_array().unwrap().len(), 1);
    let farm = reuse["id"].as_str().unwrap().to_owned();
    let history = trace["passage_history"].as_array().unwrap();
    assert_eq!(
        (history[0]["copies"].as_u64(), history[0]["spun_copies"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(history[1]["copies"], 0, "the second paragraph went nowhere");

    let (status, page) = get_body(&app, "/articles/wire-1");
    assert_eq!(status, StatusCode::OK, "{page}");
    // Each paragraph carries an anchor and links to its history, which links back.
    for n in 1..=2 {
        assert!(page.contains(&format!("<p id=\"p{n}\" lang=\"en\" dir=\"auto\">")), "{n}: {page}");
        assert!(page.contains(&format!("href=\"#passage-{n}\"")), "paragraph {n}: {page}");
        assert!(page.contains(&format!("<li id=\"passage-{n}\"><a href=\"#p{n}\">")), "{page}");
    }
    let item = |n: usize| -> &str {
        let at = page.find(&format!("<li id=\"passage-{n}\">")).unwrap();
        &page[at..at + page[at..].find("</li>").unwrap()]
    };
    assert!(item(1).contains("first seen here"), "{}", item(1));
    assert!(item(1).contains("1 later copy, 1 spun"), "{}", item(1));
    assert!(item(2).contains("no later copy known"), "{}", item(2));
    // The reusing article, linked, marked spun, with the paragraph it took.
    let reused = &page[page.find("<h2>Reused by</h2>").expect("a Reused by section")..];
    assert!(reused.contains(&format!("href=\"/articles/{farm}\"")), "{reused}");
    assert!(reused.contains(">spun</span>") && reused.contains("href=\"#p1\""), "{reused}");
    // What the farm's record supplied stays text, in the list and in the history.
    assert!(!page.contains("<script>") && !page.contains("<b>vetoed"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;Farm"), "{page}");
    assert!(page.contains("Resolution &lt;b&gt;vetoed&lt;/b&gt;"), "{page}");

    // The spun copy's own page: its paragraph was first seen in the wire story.
    let (_, page) = get_body(&app, "/articles/farm-1");
    let at = page.find("<li id=\"passage-1\">").unwrap();
    let item = &page[at..at + page[at..].find("</li>").unwrap()];
    assert!(item.contains("first seen in <a href=\"/articles/"), "{item}");
    assert!(item.contains(">wire-1</a>") && item.contains("Wire"), "{item}");

    // The API's description carries the new fields.
    let (_, openapi) = get_body(&app, "/api/openapi.json");
    let openapi: serde_json::Value = serde_json::from_str(&openapi).unwrap();
    let schema = &openapi["components"]["schemas"]["Trace"];
    for field in ["reused_by", "reused_by_capped", "passage_history"] {
        assert!(schema["properties"][field].is_object(), "{field}");
        assert!(schema["required"].as_array().unwrap().contains(&field.into()), "{field}");
        assert!(trace.get(field).is_some(), "{field} in the answer");
    }
}
