//! Each folder under `tests/fixtures/` is one test: a page and the fields expected of it.
//! See `tests/fixtures/README.md`.

use lede_extract::{Extractor, PageHints, Verdict};
use serde_json::{Value, json};
use std::path::Path;

fn fixture(path: &Path) -> datatest_stable::Result<()> {
    let dir = path.parent().expect("a fixture file is in a folder");
    let text = std::fs::read_to_string(path)?;
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json"))?)?;
    let media_type =
        if path.extension().is_some_and(|e| e == "txt") { "text/plain" } else { "text/html" };
    let extraction = Extractor::default()
        .extract(&text, &PageHints { media_type: Some(media_type), ..PageHints::default() });
    let mut actual = serde_json::to_value(&extraction.article)?;
    actual["is_article"] = json!(extraction.verdict == Verdict::Article);
    let mut failures = Vec::new();
    for (field, want) in expected.as_object().expect("expected.json holds an object") {
        let got = match field.as_str() {
            // Related items are compared on the keys the fixture gives.
            "related" => {
                let items = actual["related"].as_array().cloned().unwrap_or_default();
                let wanted = want.as_array().cloned().unwrap_or_default();
                Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let keys = wanted
                                .get(i)
                                .and_then(Value::as_object)
                                .map(|o| o.keys().cloned().collect::<Vec<_>>());
                            let keys = keys.unwrap_or_else(|| vec!["title".into()]);
                            Value::Object(
                                keys.iter().map(|k| (k.clone(), item[k].clone())).collect(),
                            )
                        })
                        .collect(),
                )
            }
            f => actual[f].clone(),
        };
        if &got != want {
            failures.push(format!("{field}:\n  expected {want}\n  got      {got}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n{}", dir.display(), failures.join("\n")).into())
    }
}

datatest_stable::harness! {
    { test = fixture, root = "tests/fixtures", pattern = r"source\.(html|txt)$" },
}
