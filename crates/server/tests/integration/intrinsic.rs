//! Issue 16, "honest when the sources are absent", in the reader: an article with no
//! earlier source in the store is called original only when its own text shows no sign of
//! a composite; otherwise the page says why, as text.

use crate::support::get_body;
use axum::http::StatusCode;
use std::path::Path;

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
    assert_eq!(crate::support::ingest(dir, &records), 2);
}

#[test]
fn issue_16_no_source_and_signs_of_a_composite_is_not_called_original() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));

    let (status, trace) = get_body(&app, "/api/articles/farm/trace");
    assert_eq!(status, StatusCode::OK, "{trace}");
    let trace: serde_json::Value = serde_json::from_str(&trace).unwrap();
    assert_eq!(trace["verdict"], "original", "the verdict keeps its meaning");
    assert_eq!(trace["composite_suspected"], true);
    assert_eq!(trace["intrinsic"][0]["kind"], "unanchored_time");

    let (status, page) = get_body(&app, "/articles/farm");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("<span class=\"verdict\">original"), "{page}");
    assert!(page.contains("no earlier source in this store; signs of a composite: ¶1"), "{page}");
    assert!(page.contains("less than 24 hours later"), "{page}");
    assert!(!page.contains("<script>alert"), "escaped: {page}");

    // A coherent story with no source is still original.
    let (status, page) = get_body(&app, "/articles/plain");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<span class=\"verdict\">original</span>"), "{page}");
    assert!(!page.contains("signs of a composite"), "{page}");
}
