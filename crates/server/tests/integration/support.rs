//! What the server's tests share: a GET through the router, and a store made of records.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::path::Path;
use tower::ServiceExt;

/// The status and body of a GET of `uri`.
pub(crate) fn get_body(app: &Router, uri: &str) -> (StatusCode, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    })
}

/// Ingests `records` (JSON Lines records) into `dir/store` the way `lede ingest` does, one
/// thread; returns how many were added.
pub(crate) fn ingest(dir: &Path, records: &[serde_json::Value]) -> u64 {
    let input = dir.join("in.jsonl");
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    std::fs::write(&input, lines).unwrap();
    let options = lede_engine::IngestOptions { jobs: 1, ..lede_engine::IngestOptions::default() };
    lede_engine::ingest(
        &dir.join("store"),
        &lede_ingest::PageReader::default(),
        &lede_extract::Extractor::default(),
        &[input.display().to_string()],
        &options,
        &|_| {},
    )
    .unwrap()
    .added
}
