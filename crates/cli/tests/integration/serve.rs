//! `lede serve` (issue #7): the reader's pages and API over a store holding hostile
//! articles: everything from articles escaped, no script runs, read-only, limits.

use crate::support::{get, lede, request, start};
use std::process::Stdio;

const HOSTILE: &[(&str, &str, &str, &str)] = &[
    (
        "h-1",
        "<script>alert('title')</script> Senate passes budget bill",
        "Evil <img src=x onerror=alert(1)> Daily",
        "The Senate passed the budget bill on Friday <script>alert('body')</script> after a long debate over spending caps. \"We did it <b>today</b>\", said Mary Hill.",
    ),
    (
        "h-2",
        "Budget bill clears the Senate <style>body{display:none}</style>",
        "Daily \"quoted\" Times",
        "After a long debate over spending caps, the Senate passed the budget bill on Friday night <a href=\"javascript:alert(2)\">click</a>; the House votes next week.",
    ),
];

#[test]
fn issue_7_the_reader_escapes_hostile_articles_and_stays_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("hostile.jsonl");
    let lines: String = HOSTILE
        .iter()
        .map(|(id, title, outlet, text)| {
            serde_json::json!({"id": id, "title": title, "outlet": outlet, "date": "2019-03-01",
                "url": "javascript:alert(3)", "text": text})
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let server = start(&data);
    let addr = server.addr.as_str();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");

    let (_, stories) = get(addr, "/api/stories?min_size=1");
    let stories: serde_json::Value = serde_json::from_str(&stories).unwrap();
    let story = stories[0]["id"].as_u64().unwrap();
    let article = stories[0]["articles"][0].as_str().unwrap().to_owned();
    for path in [
        "/".to_owned(),
        format!("/stories/{story}"),
        format!("/articles/{article}"),
        "/articles/h-2".to_owned(),
        "/search?q=budget".to_owned(),
        "/search?q=%3Cscript%3E".to_owned(),
    ] {
        let (status, headers, body) = request(addr, "GET", &path);
        assert_eq!(status, 200, "{path}: {body}");
        assert!(headers.contains("content-security-policy: default-src 'none'"), "{path}");
        assert!(headers.contains("x-content-type-options: nosniff"));
        let lower = body.to_lowercase();
        for bad in ["<script", "<img", "<style>body", "href=\"javascript", "<b>today"] {
            assert!(!lower.contains(bad), "{path} carries {bad:?}: {body}");
        }
        assert!(
            body.contains("&lt;script&gt;") || path == "/" || path.starts_with("/search"),
            "{path}"
        );
    }
    // The hostile title is there, as text.
    let (_, page) = get(addr, "/articles/h-1");
    assert!(
        page.contains("&lt;script&gt;alert('title')&lt;/script&gt; Senate passes budget bill"),
        "{page}"
    );
    assert!(page.contains("Evil &lt;img src=x onerror=alert(1)&gt; Daily"));

    // Read-only, bounded, no way out of the routes.
    assert_eq!(request(addr, "POST", "/").0, 405);
    assert_eq!(request(addr, "DELETE", "/api/stories").0, 405);
    assert_eq!(get(addr, &format!("/search?q={}", "a".repeat(5000))).0, 414);
    assert_eq!(get(addr, "/../../etc/passwd").0, 404);
    assert_eq!(get(addr, "/articles/..%2F..%2Fetc%2Fpasswd").0, 404);
    assert_eq!(get(addr, "/stories/not-a-number").0, 404);
    assert_eq!(get(addr, "/search?from=yesterday&q=x").0, 400);
    let (status, body) = get(addr, "/api/stories/999999");
    assert_eq!(status, 404);
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (&error["error"]["code"], &error["error"]["detail"]),
        (&"not_found".into(), &"no story".into()),
        "{body}"
    );

    // The API's shapes.
    let (status, body) = get(addr, &format!("/api/articles/{article}"));
    assert_eq!(status, 200);
    let shown: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(shown["story"]["id"].as_u64(), Some(story));
    let (status, body) = get(addr, "/api/openapi.json");
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    for path in [
        "/api/stories",
        "/api/stories/{id}",
        "/api/articles/{id}",
        "/api/search",
        "/api/quotes",
        "/api/stats",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} undocumented");
    }
}

#[test]
fn issue_7_serve_needs_a_store_and_binds_loopback_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = lede().arg("--data").arg(dir.path().join("none")).arg("serve").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store in"));
    let help = lede().args(["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("[default: 127.0.0.1:8080]"));
}

#[test]
fn issue_7_an_article_page_marks_reused_passages_and_swapped_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let original = "Russia vetoed a United Nations resolution on Wednesday that would have condemned the chemical attack in Syria. The vote in the Security Council was ten in favour and two against, with three abstentions. Russia said the draft was biased against the government in Damascus and its allies. Western diplomats said Russia was shielding its ally from responsibility for the deaths of dozens of civilians.";
    let spun = original.replace("Russia", "Russian Federation");
    let lines = [
        serde_json::json!({"id": "wire-1", "outlet": "Wire", "date": "2017-04-12", "title": "Russia vetoes UN resolution on Syria attack", "text": original}),
        serde_json::json!({"id": "farm-1", "outlet": "Farm", "date": "2017-04-14", "title": "Russian Federation vetoes resolution", "text": spun}),
    ];
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.iter().map(|l| l.to_string() + "\n").collect::<String>()).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let server = start(&data);
    let (status, page) = get(&server.addr, "/articles/farm-1");
    assert_eq!(status, 200);
    assert!(page.contains("<span class=\"verdict\">spun</span>"), "{page}");
    assert!(page.contains("class=\"s0\""), "the reused passage is tinted: {page}");
    assert_eq!(
        page.matches("title=\"the source has “Russia”\">Russian Federation").count(),
        3,
        "{page}"
    );
    assert!(page.contains("href=\"/articles/"), "the passage links its source");
}

/// `lede demo --no-serve` (the README's first command without the server): ingests the
/// sample and the seed, prints what lede found; a second run adds nothing; a missing
/// sample is a clear error.
#[test]
fn issue_7_demo_summarises_the_sample_and_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample");
    std::fs::create_dir(&sample).unwrap();
    let flood = "Floodwater covered the centre of Riverton on Monday after the river burst its \
                 banks overnight, and rescue crews moved hundreds of families to the school.";
    let records = [
        ("flood-a", "Daily A", "Riverton flooded as river bursts its banks", flood),
        ("flood-b", "Daily B", "River bursts its banks, floods Riverton", flood),
        ("flood-c", "Daily C", "Hundreds moved as Riverton floods", flood),
        (
            "vote",
            "Daily A",
            "Council approves new library",
            "\u{201c}Every child in this town deserves a library within walking distance,\u{201d} \
             Mayor Ana Torres said after the council approved the new library on Monday.",
        ),
    ];
    let lines: String = records
        .iter()
        .map(|(id, outlet, title, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "date": "2020-03-02", "title": title, "text": text})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(sample.join("news.jsonl"), lines).unwrap();
    std::fs::write(sample.join("README.md"), "not read: only .jsonl files are").unwrap();
    let data = dir.path().join("store");
    let demo = |sample: &std::path::Path| {
        lede()
            .arg("--data")
            .arg(&data)
            .args(["demo", "--no-serve", "--sample"])
            .arg(sample)
            .args(["--seed", crate::SEED])
            .output()
            .unwrap()
    };
    let out = demo(&sample);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("5 records read in"), "{text}");
    assert!(text.contains("5 added"), "{text}");
    assert!(text.contains("stories told by the most outlets:"), "{text}");
    assert!(text.contains("3 articles, 3 outlets  "), "the flood story: {text}");
    assert!(text.contains("Ana Torres: \u{201c}Every child in this town deserves"), "{text}");
    assert!(text.contains("the seed page: Putin receives US Secretary of State"), "{text}");
    assert!(text.contains("\u{201c}Russian Federation\u{201d} where one expects"), "{text}");
    assert!(text.contains("LeBron to miss Cavs' season finale"), "{text}");
    // Issue 16: the seed's sources are absent, and its own text shows seams.
    assert!(
        text.contains("verdict: no earlier source in this store; signs of a composite:"),
        "{text}"
    );
    assert!(text.contains("\"Less than 24 hours later\" refers to an event"), "{text}");
    assert!(!text.contains("verdict: original"), "{text}");

    let again = demo(&sample);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 added, 5 already stored"));

    let missing = demo(&dir.path().join("no-such-sample"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no sample corpus at"));
}

/// The search page counts every match, not only the best 50 it shows, and so do its
/// facets; a month facet's link (February included) is a valid search.
#[test]
fn issue_7_search_counts_every_match_and_its_facets_link_to_valid_searches() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let outlets = ["Daily A", "Daily B", "Daily C"];
    let lines: String = (0..60)
        .map(|i| {
            let date = if i < 36 { format!("2019-02-{:02}", 1 + i % 28) } else { format!("2019-03-{:02}", 1 + i % 28) };
            serde_json::json!({
                "id": format!("h-{i}"),
                "outlet": outlets[i % 3],
                "date": date,
                "title": format!("Harbour works, day {i}"),
                "text": format!("Crews worked on the harbour wall for the {i}th day on a project of {} stones, the port authority said.", 1000 + i),
            })
            .to_string()
                + "\n"
        })
        .collect();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let server = start(&data);
    let (status, page) = get(&server.addr, "/search?q=harbour");
    assert_eq!(status, 200);
    assert!(page.contains("60 results (1–50 shown)"), "{page}");
    assert!(page.contains("href=\"/search?q=harbour&amp;page=2\" rel=\"next\""), "{page}");
    for o in outlets {
        assert!(page.contains(&format!("{o} (20)")), "{o} counted over all 60: {page}");
    }
    assert!(page.contains("2019-02 (36)") && page.contains("2019-03 (24)"), "{page}");
    let (status, feb) = get(&server.addr, "/search?q=harbour&from=2019-02-01&to=2019-02-28");
    assert_eq!(status, 200, "{feb}");
    assert!(feb.contains("36 results"), "{feb}");
    assert!(page.contains("to=2019-02-28\""), "February's link ends on the 28th: {page}");
    let (status, api) = get(&server.addr, "/api/search?q=harbour&limit=10");
    assert_eq!(status, 200);
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!((api["total"].as_u64(), api["hits"].as_array().unwrap().len()), (Some(60), 10));
}

/// The reader keeps answering while an ingest writes to its store, and then shows what
/// the ingest added.
#[test]
fn issue_7_the_reader_answers_while_an_ingest_writes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let record = |i: usize| {
        let outlet = ["Daily A", "Daily B"][i % 2];
        serde_json::json!({
            "id": format!("r-{i}"),
            "outlet": outlet,
            "date": format!("2019-04-{:02}", 1 + i % 28),
            "title": format!("Council report {i}"),
            "text": format!("The council published report number {i} on the river, the bridge and {} new homes, officials said on Tuesday.", 10 + i),
        })
        .to_string()
            + "\n"
    };
    let first = dir.path().join("first.jsonl");
    std::fs::write(&first, (0..20).map(record).collect::<String>()).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&first).status().unwrap().success());
    let server = start(&data);
    let more = dir.path().join("more.jsonl");
    std::fs::write(&more, (20..600).map(record).collect::<String>()).unwrap();
    let mut ingest = lede()
        .arg("--data")
        .arg(&data)
        .arg("ingest")
        .arg(&more)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut answered = 0;
    loop {
        let done = ingest.try_wait().unwrap();
        for path in ["/", "/search?q=council", "/api/stats", "/articles/r-3"] {
            let (status, body) = get(&server.addr, path);
            assert_eq!(status, 200, "{path} during the ingest: {body}");
            answered += 1;
        }
        if let Some(status) = done {
            assert!(status.success());
            break;
        }
    }
    assert!(answered >= 4);
    // The server looks at the store's files once a second: within a few seconds every
    // answer, the index's count included, is the finished ingest's.
    let fresh = |stats: &serde_json::Value| stats["articles"] == 600 && stats["indexed"] == 600;
    let mut stats = serde_json::Value::Null;
    for _ in 0..50 {
        stats = serde_json::from_str(&get(&server.addr, "/api/stats").1).unwrap();
        if fresh(&stats) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(fresh(&stats), "the reader sees the ingest's articles: {stats}");
}
