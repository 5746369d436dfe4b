//! lede-extract as a user of the crate sees it.

use lede_extract::{Extractor, PageHints, Verdict};
use proptest::prelude::*;
use serde_json::Value;
use std::time::{Duration, Instant};

const SEED: &str = include_str!("../../../tests/fixtures/seed/source.txt");
const SEED_GOLD: &str = include_str!("../../../tests/fixtures/seed/gold.json");

fn extract(text: &str) -> lede_extract::Extraction {
    Extractor::default().extract(text, &PageHints::default())
}

/// Issue 2, bar 1: the seed page reads exactly as its gold file says.
#[test]
fn issue_2_seed_page_matches_gold() {
    let gold: Value = serde_json::from_str(SEED_GOLD).unwrap();
    let e = extract(SEED);
    let a = &e.article;
    assert_eq!(a.title.as_deref(), gold["title"].as_str());
    let published = a.published.as_ref().expect("the seed has a date");
    assert_eq!(published.at.to_string(), gold["published"]["iso"].as_str().unwrap());
    assert_eq!(published.raw, gold["published"]["raw"].as_str().unwrap());
    assert_eq!(published.at.offset_minutes(), None, "no zone is invented");
    let strings = |v: &Value| {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(a.authors, strings(&gold["authors"]));
    assert_eq!(a.captions, strings(&gold["captions"]));
    assert_eq!(a.paragraphs, strings(&gold["paragraphs"]));
    assert_eq!(a.paragraphs.len(), 24);
    let related: Vec<(String, Option<String>)> =
        a.related.iter().map(|r| (r.title.clone(), r.teaser.clone())).collect();
    let gold_related: Vec<(String, Option<String>)> = gold["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["title"].as_str().unwrap().to_owned(), r["teaser"].as_str().map(str::to_owned)))
        .collect();
    assert_eq!(related, gold_related);
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(e.verdict, Verdict::Article);
}

/// Runs `f` and fails if it takes longer than `limit` (a guard against quadratic blow-ups,
/// generous enough for a loaded machine and a debug build).
fn within<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    out
}

#[test]
fn deeply_nested_tags_are_linear() {
    for tag in ["div", "span", "b", "table", "li", "p", "a"] {
        let html = format!(
            "<html><body>{}deep text{}</body></html>",
            format!("<{tag}>").repeat(100_000),
            format!("</{tag}>").repeat(100_000)
        );
        let e = within(Duration::from_secs(20), || extract(&html));
        assert!(e.article.word_count() <= 2, "{tag}");
    }
}

#[test]
fn huge_article_in_bounded_time() {
    let para = "<p>The committee met again on Thursday and agreed to publish its report in the spring, after months of delay.</p>";
    let html = format!("<html><body><article>{}</article></body></html>", para.repeat(100_000)); // about 11 MB
    let e = within(Duration::from_secs(60), || extract(&html));
    assert_eq!(e.article.paragraphs.len(), 100_000);
}

#[test]
fn a_text_without_punctuation_or_structure() {
    let text = "word ".repeat(200_000);
    let e = within(Duration::from_secs(30), || extract(&text));
    assert_eq!(e.article.paragraphs.len(), 1);
}

#[test]
fn unclosed_markup_everywhere() {
    let html = "<html><body><div><p>One <b>two <i>three <a href='x'>four <table><tr><td>five <select><option>six";
    let e = extract(html);
    assert!(e.article.paragraphs.join(" ").contains("One two three"));
}

#[test]
fn non_english_pages() {
    let de = "<html lang=de><body><article><p>Die Bundesregierung hat am Dienstag eine umfassende Reform der Rente angekündigt, die im Januar in Kraft treten soll.</p><p>Die Opposition kritisierte den Plan als unzureichend und forderte Nachbesserungen.</p></article></body></html>";
    assert_eq!(extract(de).article.language.as_deref(), Some("de"));
    let ja = "<html><body><article><p>政府は火曜日、年金制度の大規模な改革を発表した。改革は一月に施行される予定で、野党は不十分だと批判している。</p></article></body></html>";
    let e = extract(ja);
    assert_eq!(e.article.language.as_deref(), Some("ja"));
    assert_eq!(e.article.paragraphs.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any string at all: no panic, and no empty paragraph or caption.
    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,2000}") {
        let e = extract(&text);
        prop_assert!(e.article.paragraphs.iter().all(|p| !p.trim().is_empty()));
        prop_assert!(e.article.captions.iter().all(|c| !c.trim().is_empty()));
    }

    /// Markup-shaped noise: tags, attributes, entities, comments, cut anywhere.
    #[test]
    fn never_panics_on_markup_soup(parts in proptest::collection::vec(prop_oneof![
        Just("<div class=\"article-body\">".to_owned()), Just("</div>".to_owned()), Just("<p>".to_owned()),
        Just("</p>".to_owned()), Just("<script>".to_owned()), Just("</script>".to_owned()), Just("<!--".to_owned()),
        Just("-->".to_owned()), Just("&amp;".to_owned()), Just("&#x1F600;".to_owned()), Just("&#99999999;".to_owned()),
        Just("<table><tr><td>".to_owned()), Just("<br><br>".to_owned()), Just("<a href='/x'>".to_owned()),
        Just("<html><body>".to_owned()), Just("<meta charset=utf-8>".to_owned()), Just("<h1>".to_owned()),
        Just("<script type=application/ld+json>{\"@type\":\"NewsArticle\",\"author\":".to_owned()),
        "[a-zA-Z .,]{0,80}", "\\PC{0,20}",
    ], 0..60)) {
        let html = parts.concat();
        let e = extract(&html);
        prop_assert!(e.article.paragraphs.iter().all(|p| !p.trim().is_empty()));
    }

    /// Arbitrary bytes, decoded the way ingest would.
    #[test]
    fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = extract(&text);
        let _ = Extractor::default().explain(&text, &PageHints::default());
    }
}
