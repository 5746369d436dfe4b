//! Issue 16, "honest when the sources are absent", in the reader: an article with no
//! earlier source in the store is called original only when its own text shows no sign of
//! a composite; otherwise the page says why, as text.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::path::Path;
use tower::ServiceExt;

fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    })
}

/// A coherent story, and a page whose first sentence counts from an event it never
/// introduces, with markup in the words that lead into the phrase.
fn store(dir: &Path) {
    let coherent = "The city council passed the budget on Monday after a long debate about \
        school funding and road repairs.";
    let timed = "Officials <script>alert(1)</script> less than 24 hours later announced that \
        the harbour would reopen to cargo vessels.";
    let records = [
        serde_json::json!({"id": "plain", "outlet": "Gazette", "date": "2017-04-12",
            "title": "Budget passes", "paragraphs": [coherent]}),
        serde_json::json!({"id": "farm", "outlet": "Farm", "date": "2017-04-14",
            "title": "Harbour reopens", "paragraphs": [timed]}),
    ];
    let input = dir.join("in.jsonl");
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(&input, lines).unwrap();
    let options = lede_engine::IngestOptions { jobs: 1, ..lede_engine::IngestOptions::default() };
    let summary = lede_engine::ingest(
        &dir.join("store"),
        &lede_ingest::PageReader::default(),
        &lede_extract::Extractor::default(),
        &[input.display().to_string()],
        &options,
        &|_| {},
    )
    .unwrap();
    assert_eq!(summary.added, 2, "{summary:?}");
}

#[test]
fn issue_16_no_source_and_signs_of_a_composite_is_not_called_original() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));

    let (status, trace) = get(&app, "/api/articles/farm/trace");
    assert_eq!(status, StatusCode::OK, "{trace}");
    let trace: serde_json::Value = serde_json::from_str(&trace).unwrap();
    assert_eq!(trace["verdict"], "original", "the verdict keeps its meaning");
    assert_eq!(trace["composite_suspected"], true);
    assert_eq!(trace["intrinsic"][0]["kind"], "unanchored_time");

    let (status, page) = get(&app, "/articles/farm");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("<span class=\"verdict\">original"), "{page}");
    assert!(page.contains("no earlier source in this store; signs of a composite: ¶1"), "{page}");
    assert!(page.contains("less than 24 hours later"), "{page}");
    assert!(!page.contains("<script>alert"), "escaped: {page}");

    // A coherent story with no source is still original.
    let (status, page) = get(&app, "/articles/plain");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<span class=\"verdict\">original</span>"), "{page}");
    assert!(!page.contains("signs of a composite"), "{page}");
}
