//! `lede ingest`, `search`, `show`, `stats`, `export` against real data directories.

use crate::support::{Route, STORE_FORMAT, data, gzip, json, lede, serve_routes};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

/// A JSON Lines file of `n` press-release-like records.
fn jsonl(n: usize, salt: &str) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("{salt}-{i}"),
                "outlet": format!("Office of Member {}", i % 7),
                "date": format!("2019-0{}-{:02}", 1 + i % 4, 1 + i % 28),
                "title": format!("Release {i} on the {salt} budget"),
                "text": format!("Paragraph one of release {i}, about the {salt} budget and the shutdown.\n\nParagraph two says more about item {i}."),
                "topic": "budget",
            })
            .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn bad_inputs_are_reported_and_the_good_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut good = jsonl(3, "good");
    good.insert_str(0, "{not json\n");
    std::fs::write(d.join("good.jsonl"), good).unwrap();
    let packed = gzip(jsonl(400, "cut").as_bytes());
    std::fs::write(d.join("cut.jsonl.gz"), &packed[..packed.len() / 2]).unwrap();
    std::fs::write(
        d.join("feed.xml"),
        "<rss version=\"2.0\"><channel><item><title>x</title></chan",
    )
    .unwrap();
    std::fs::File::create(d.join("huge.html")).unwrap().set_len(1 << 30).unwrap();
    std::fs::write(d.join("page.html"), "<html><head><title>A page</title></head><body><article><p>The council met on Tuesday to vote on the new park by the river, and approved it by seven votes to two after a long debate.</p><p>Work starts in spring.</p></article></body></html>").unwrap();
    let inputs =
        ["good.jsonl", "cut.jsonl.gz", "feed.xml", "huge.html", "missing.html", "page.html"]
            .map(|f| d.join(f));
    let (code, summary) = json(data(d).arg("ingest").arg("--json").args(&inputs));
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["failed"], 5, "{summary:#}");
    let added = summary["added"].as_u64().unwrap();
    assert!(added > 4 && added < 404, "{summary:#}");
    let errors = summary["errors"].as_array().unwrap();
    let by_source = |name: &str| {
        errors.iter().find(|e| e["source"].as_str().unwrap().ends_with(name)).unwrap().clone()
    };
    assert_eq!(by_source("good.jsonl")["location"], "line 1");
    assert!(by_source("good.jsonl")["message"].as_str().unwrap().starts_with("invalid JSON"));
    assert!(by_source("cut.jsonl.gz")["message"].as_str().unwrap().contains("cannot read further"));
    assert!(by_source("feed.xml")["message"].as_str().unwrap().contains("not a readable feed"));
    assert!(
        by_source("huge.html")["message"].as_str().unwrap().contains("larger than the 32 MiB cap")
    );
    assert!(by_source("missing.html")["message"].as_str().unwrap().contains("cannot read"));

    // The same again adds nothing; --strict turns any failure into a non-zero exit.
    let (code, again) = json(data(d).arg("ingest").arg("--json").arg("--strict").args(&inputs));
    assert_eq!(code, 1);
    assert_eq!(again["added"], 0);
    assert_eq!(again["duplicates"].as_u64().unwrap(), added);
}

#[test]
fn issue_13_the_same_ingest_twice_exits_0() {
    // A cron job re-reads the same dump: the second run stores nothing new, meets the same
    // bad records again, and must still exit 0 (it read everything it could).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut input = jsonl(5, "again");
    input.push_str("{\"id\": \"no-text\", \"title\": \"A record without a body\"}\n");
    input.push_str("{not json\n");
    std::fs::write(d.join("dump.jsonl"), input).unwrap();
    let run = |extra: &[&str]| {
        let out =
            data(d).arg("ingest").arg("--json").args(extra).arg(d.join("dump.jsonl")).output();
        let out = out.unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), summary, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, first, stderr) = run(&[]);
    assert_eq!(
        (code, first["added"].as_u64(), first["failed"].as_u64()),
        (Some(0), Some(5), Some(2))
    );
    // The bad records are named on standard error too, not only in the summary.
    assert!(stderr.contains("dump.jsonl (line 7)") && stderr.contains("invalid JSON"), "{stderr}");
    for _ in 0..2 {
        let (code, again, _) = run(&[]);
        assert_eq!(code, Some(0), "{again:#}");
        assert_eq!((again["added"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(5)));
        assert_eq!(again["failed"].as_u64(), Some(2));
    }
    let (code, _, _) = run(&["--strict"]);
    assert_eq!(code, Some(1));

    // Nothing readable at all is a failure; so is a missing input alone.
    std::fs::write(d.join("bad.jsonl"), "{not json\n[1, 2]\n").unwrap();
    let out = data(d).arg("ingest").arg(d.join("bad.jsonl")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = data(d).arg("ingest").arg(d.join("absent.jsonl")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Bad usage is 2.
    let out = data(d).args(["ingest", "-", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    // `analyze` and `trace` follow the same rule over their inputs.
    let page = d.join("page.html");
    std::fs::write(&page, "<html><head><title>A page</title></head><body><article><p>The council met on Tuesday to vote on the new park by the river, and approved it by seven votes to two after a long debate.</p></article></body></html>").unwrap();
    let missing = d.join("missing.html");
    let analyze = |strict: bool| {
        let mut cmd = lede();
        cmd.args(["analyze", "--json"]).arg(&page).arg(&missing);
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!((analyze(false), analyze(true)), (Some(0), Some(1)));
    let trace = |keys: &[&str]| data(d).arg("trace").args(keys).output().unwrap().status.code();
    assert_eq!(trace(&["again-1", "no-such-article"]), Some(0));
    assert_eq!(trace(&["no-such-article"]), Some(1));
}

#[test]
fn search_show_stats_and_an_export_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.jsonl"), jsonl(40, "alpha")).unwrap();
    let (code, _) = json(data(d).args(["ingest", "--json"]).arg(d.join("a.jsonl")));
    assert_eq!(code, 0);

    let (_, hits) =
        json(data(d).args(["search", "--json", "\"alpha budget\" shutdown", "--limit", "5"]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    for key in ["id", "title", "outlet", "published", "score", "snippet"] {
        assert!(hits[0].get(key).is_some(), "{key} in {}", hits[0]);
    }
    let (_, hits) = json(data(d).args([
        "search",
        "--json",
        "budget",
        "--from",
        "2019-02-01",
        "--to",
        "2019-02-28",
        "--outlet",
        "office of member 3",
        "--limit",
        "100",
    ]));
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|h| h["outlet"] == "Office of Member 3"
            && h["published"].as_str().unwrap().starts_with("2019-02")),
        "{hits:?}"
    );
    let (_, by_date) =
        json(data(d).args(["search", "--json", "budget", "--sort", "newest", "--limit", "3"]));
    assert_eq!(by_date[0]["published"], "2019-04-28");
    let (_, title_only) = json(data(d).args(["search", "--json", "title:\"release 17\""]));
    assert_eq!(title_only[0]["title"], "Release 17 on the alpha budget");

    let (code, shown) = json(data(d).args(["show", "--json", "alpha-7"]));
    assert_eq!(code, 0);
    assert_eq!(shown["source_id"], "alpha-7");
    assert_eq!(shown["extra"]["topic"], "budget");
    assert_eq!(shown["paragraphs"].as_array().unwrap().len(), 2);
    let id = shown["id"].as_str().unwrap().to_owned();
    let (_, by_id) = json(data(d).args(["show", "--json", &id[..10]]));
    assert_eq!(by_id["id"], id.as_str());
    let missing = data(d).args(["show", "nothing-like-this"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));

    let (_, stats) = json(data(d).args(["stats", "--json"]));
    assert_eq!(stats["articles"], 40);
    assert_eq!(stats["indexed"], 40);
    assert_eq!(stats["outlets"], 7);

    let export = d.join("export.jsonl");
    assert!(
        data(d)
            .args(["export", "--format", "jsonl", "-o"])
            .arg(&export)
            .status()
            .unwrap()
            .success()
    );
    let mut other = lede();
    other.arg("--data").arg(d.join("copy"));
    let (code, summary) = json(other.args(["ingest", "--json"]).arg(&export));
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["added"], 40);
    let again = d.join("again.jsonl");
    let mut copy = lede();
    assert!(
        copy.arg("--data")
            .arg(d.join("copy"))
            .args(["export", "-o"])
            .arg(&again)
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(std::fs::read_to_string(&export).unwrap(), std::fs::read_to_string(&again).unwrap());
}

#[test]
fn one_writer_at_a_time_and_readers_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.jsonl"), jsonl(5, "first")).unwrap();
    assert!(data(d).arg("ingest").arg(d.join("a.jsonl")).output().unwrap().status.success());
    // A writer that waits on its standard input holds the store.
    let mut writer =
        data(d).args(["ingest", "-"]).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    // Wait until it holds the lock (the lock file names its pid), then try a second writer.
    let started = std::time::Instant::now();
    let holder = format!("pid {}", writer.id());
    while !std::fs::read_to_string(d.join("data/lock")).unwrap_or_default().starts_with(&holder) {
        assert!(started.elapsed().as_secs() < 30, "the writer never took the lock");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let second = data(d).arg("ingest").arg(d.join("a.jsonl")).output().unwrap();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("another lede process is writing to this store ("), "{stderr}");
    let (code, stats) = json(data(d).args(["stats", "--json"]));
    assert_eq!(
        (code, stats["articles"].as_u64()),
        (0, Some(5)),
        "readers work while a writer runs"
    );
    writer.stdin.take().unwrap().write_all(jsonl(2, "second").as_bytes()).unwrap();
    assert!(writer.wait().unwrap().success());
    let (_, stats) = json(data(d).args(["stats", "--json"]));
    assert_eq!(stats["articles"], 7);
}

/// Issue 3, bar 2: `kill -9` at any moment, then the same ingest again, gives exactly the
/// store an uninterrupted run gives.
#[test]
fn issue_3_kill_9_then_again_gives_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.jsonl");
    std::fs::write(&input, jsonl(3000, "crash")).unwrap();
    let clean = d.join("clean");
    let crashed = d.join("crashed");
    assert!(lede().arg("--data").arg(&clean).arg("ingest").arg(&input).status().unwrap().success());
    // Kill at a spread of moments: early, middle, late.
    let mut seed = 0x9e37_79b9_u64 ^ std::process::id() as u64;
    for round in 0..4 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let wait = 50 + (seed >> 33) % (400 + 300 * round);
        let mut child = lede()
            .arg("--data")
            .arg(&crashed)
            .arg("ingest")
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    assert!(
        lede().arg("--data").arg(&crashed).arg("ingest").arg(&input).status().unwrap().success()
    );
    let export =
        |store: &Path| lede().arg("--data").arg(store).arg("export").output().unwrap().stdout;
    let (a, b) = (export(&clean), export(&crashed));
    assert_eq!(a.len(), b.len());
    assert!(a == b, "the stores differ");
    let stats = |store: &Path| json(lede().arg("--data").arg(store).args(["stats", "--json"])).1;
    assert_eq!(stats(&crashed)["indexed"], 3000, "the index caught up");
    assert_eq!(stats(&clean)["articles"], stats(&crashed)["articles"]);
}

#[test]
fn network_sources_polite_and_safe() {
    let page = |title: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>The {title} story: the council met on Tuesday and approved the plan after a long debate about the budget.</p><p>Work starts in the spring, the mayor said, and should last about two years. The new road will link the station to the hospital and the university, with a bus lane and a cycle path on each side.</p></article></body></html>"
        )
    };
    let rss = |base: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Daily Example</title>\
             <item><title>First story</title><link>{base}/first</link><description>Short first.</description></item>\
             <item><title>Second story</title><link>{base}/moved</link><description>Short second.</description></item>\
             <item><title>Private story</title><link>{base}/private/x</link><description>Not to be fetched.</description></item>\
             </channel></rss>"
        )
    };
    // The feed names pages by address, so the pages are served first, then the feed.
    let mut routes = vec![
        Route::new("/first", "200 OK", page("first")),
        Route {
            headers: vec!["Location: /second".into()],
            ..Route::new("/moved", "301 Moved Permanently", "")
        },
        Route::new("/second", "200 OK", page("second")),
        Route::new("/private/x", "200 OK", page("private")),
        Route {
            content_type: "text/plain",
            ..Route::new("/robots.txt", "200 OK", "User-agent: *\nDisallow: /private/\n")
        },
        Route { delay: 3, ..Route::new("/slow", "200 OK", page("slow")) },
        Route::new("/huge", "200 OK", page(&"huge ".repeat(2000))),
    ];
    let pages = serve_routes(routes.clone());
    routes.push(Route {
        content_type: "application/rss+xml",
        etag: Some("\"v1\""),
        ..Route::new("/feed.xml", "200 OK", rss(&pages))
    });
    let base = serve_routes(routes);
    let feed = format!("{base}/feed.xml");

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Without --allow-private, loopback is refused.
    let (code, refused) = json(data(d).args(["ingest", "--json", &feed]));
    assert_eq!(code, 1);
    assert!(
        refused["errors"][0]["message"].as_str().unwrap().contains("pass --allow-private"),
        "{refused:#}"
    );

    let (code, summary) = json(data(d).args([
        "ingest",
        "--json",
        "--allow-private",
        "--follow",
        "--timeout",
        "1",
        "--max-size",
        "8k",
        &feed,
        &format!("{base}/slow"),
        &format!("{base}/huge"),
    ]));
    assert_eq!(code, 0, "{summary:#}");
    assert_eq!(summary["added"], 2, "first and second, through the redirect: {summary:#}");
    let messages: Vec<&str> = summary["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.contains("robots.txt")), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("fetch failed")
            || m.contains("timed out")
            || m.contains("timeout")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("larger than the 8 KiB cap")), "{messages:?}");
    let (_, second) = json(data(d).args(["show", "--json", &format!("{pages}/second")]));
    assert_eq!(second["title"], "Second story");

    // Read again: the server says the feed has not changed, so nothing is read.
    let (code, again) =
        json(data(d).args(["ingest", "--json", "--allow-private", "--follow", &feed]));
    assert_eq!((code, again["seen"].as_u64()), (0, Some(0)), "{again:#}");
}

#[test]
fn a_store_of_the_first_format_opens() {
    // A small store written by lede's first store format, committed under
    // tests/fixtures/store-v1 (see its README). Read a copy, then write to it.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/store-v1");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("data");
    copy_dir(&fixture, &copy);
    let (code, stats) = json(lede().arg("--data").arg(&copy).args(["stats", "--json"]));
    assert_eq!(code, 0);
    assert_eq!((stats["format"].as_u64(), stats["articles"].as_u64()), (Some(1), Some(3)));
    let (_, hits) = json(lede().arg("--data").arg(&copy).args(["search", "--json", "shutdown"]));
    assert!(!hits.as_array().unwrap().is_empty());
    let (_, shown) = json(lede().arg("--data").arg(&copy).args(["show", "--json", "v1-2"]));
    assert_eq!(shown["source_id"], "v1-2");
    // Tracing works on the first format as it is (read-only: it needs no sketches).
    let (code, t) = json(lede().arg("--data").arg(&copy).args(["trace", "--json", "v1-2"]));
    assert_eq!((code, t["verdict"].as_str()), (0, Some("original")));
    std::fs::write(dir.path().join("more.jsonl"), jsonl(2, "later")).unwrap();
    let (code, summary) = json(
        lede()
            .arg("--data")
            .arg(&copy)
            .args(["ingest", "--json"])
            .arg(dir.path().join("more.jsonl")),
    );
    assert_eq!((code, summary["added"].as_u64()), (0, Some(2)));
    // The index of the first format is rebuilt in the current one, from the store.
    assert_eq!(summary["reindexed"], 3);
    let (_, hits) =
        json(lede().arg("--data").arg(&copy).args(["search", "--json", "\"of the union\""]));
    assert_eq!(hits[0]["title"], "State of the Union delivered");
    let (_, stats) = json(lede().arg("--data").arg(&copy).args(["stats", "--json"]));
    assert_eq!((stats["articles"].as_u64(), stats["indexed"].as_u64()), (Some(5), Some(5)));
    assert_eq!(stats["format"], STORE_FORMAT, "migrated to the current format");
    // Every article, the migrated ones too, is in a story.
    assert_eq!(crate::support::articles_in_stories(&copy), 5);
    assert_eq!(stats["annotated"], 5, "the old articles were read for entities and quotes");
    let (code, t) = json(lede().arg("--data").arg(&copy).args(["trace", "--json", "v1-2"]));
    assert_eq!((code, t["record_id"].as_str()), (0, Some("v1-2")));
    // The migrated articles were sketched: near-duplicates work on them.
    let (code, _) = json(lede().arg("--data").arg(&copy).args(["dups", "--json"]));
    assert_eq!(code, 0);
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "README.md" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn issue_13_a_damaged_blob_names_its_article_and_every_other_command_works() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.jsonl");
    std::fs::write(&input, jsonl(6, "blob")).unwrap();
    assert!(data(d).arg("ingest").arg(&input).status().unwrap().success());
    let db = rusqlite::Connection::open(d.join("data").join("lede.sqlite")).unwrap();
    let id_of = |record: &str| -> (i64, String) {
        db.query_row("SELECT seq, id FROM articles WHERE source_id = ?1", [record], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    // By hand, as a bad disk or a bug would: one sketch, one annotations row and (for the
    // last article, made unclustered again) its story features, each cut short.
    let (sketch_seq, sketch_id) = id_of("blob-1");
    let (notes_seq, notes_id) = id_of("blob-2");
    let (features_seq, features_id) = id_of("blob-5");
    db.execute("UPDATE sketches SET sketch = substr(sketch, 1, 10) WHERE seq = ?1", [sketch_seq])
        .unwrap();
    db.execute("UPDATE annotations SET json = substr(json, 1, 12) WHERE seq = ?1", [notes_seq])
        .unwrap();
    db.execute(
        "UPDATE story_features SET features = substr(features, 1, 5) WHERE seq = ?1",
        [features_seq],
    )
    .unwrap();
    let last: i64 = db.query_row("SELECT max(seq) FROM story_members", [], |r| r.get(0)).unwrap();
    assert_eq!(last, features_seq, "blob-5 is the last article clustered");
    db.execute("DELETE FROM story_members WHERE seq = ?1", [features_seq]).unwrap();
    drop(db);

    // `dups` groups the rest and names the article whose sketch it could not read.
    let out = data(d).args(["dups", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&sketch_id) && stderr.contains("sketch"), "{stderr}");
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();

    // The command that needs the damaged annotations says which article and what.
    let out = data(d).args(["show", "blob-2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&notes_id) && stderr.contains("annotations"), "{stderr}");

    // Re-clustering the article with damaged features reports it and still succeeds.
    let out = data(d).arg("ingest").arg(&input).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&features_id) && stderr.contains("story features"), "{stderr}");

    // Everything else works.
    for args in [
        &["show", "blob-1"][..],
        &["show", "blob-3"],
        &["stats"],
        &["search", "budget"],
        &["stories"],
        &["entities"],
        &["quotes"],
    ] {
        let out = data(d).args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn issue_13_a_store_of_every_later_format_opens_reads_and_migrates() {
    // tests/fixtures/store-v3 to -v6 were written by a lede of each format
    // from tests/fixtures/store-old-source.jsonl (see tests/fixtures/README.md); stores of
    // formats 1 and 2 have their own tests above and in entities.rs. Like tantivy's
    // compat_tests: every format a store in the wild may have must open as it is, answer
    // every reading command, and take a new ingest.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    for format in [3u64, 4, 5, 6] {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("data");
        copy_dir(&fixtures.join(format!("store-v{format}")), &copy);
        let run = |args: &[&str]| json(lede().arg("--data").arg(&copy).args(args));
        let (code, stats) = run(&["stats", "--json"]);
        assert_eq!(code, 0, "format {format}");
        assert_eq!(
            (stats["format"].as_u64(), stats["articles"].as_u64()),
            (Some(format), Some(4)),
            "format {format}: {stats:#}"
        );
        let (code, hits) = run(&["search", "--json", "tillerson"]);
        assert_eq!((code, hits.as_array().map(Vec::len)), (0, Some(2)), "format {format}");
        let (code, shown) = run(&["show", "--json", "old-3"]);
        assert_eq!((code, shown["source_id"].as_str()), (0, Some("old-3")), "format {format}");
        let (code, quotes) = run(&["quotes", "--json"]);
        assert_eq!(code, 0, "format {format}");
        assert!(
            quotes.as_array().unwrap().iter().any(|q| q["speaker"] == "Rex Tillerson"),
            "format {format}: {quotes:#}"
        );
        let (code, groups) = run(&["dups", "--json"]);
        assert_eq!(code, 0, "format {format}");
        assert!(groups.to_string().contains("old-4"), "format {format}: the near-copy {groups}");

        std::fs::write(dir.path().join("more.jsonl"), jsonl(2, "later")).unwrap();
        let more = dir.path().join("more.jsonl");
        let (code, summary) =
            json(lede().arg("--data").arg(&copy).args(["ingest", "--json"]).arg(&more));
        assert_eq!((code, summary["added"].as_u64()), (0, Some(2)), "format {format}");
        let (_, stats) = run(&["stats", "--json"]);
        assert_eq!(
            (stats["format"].as_u64(), stats["articles"].as_u64(), stats["annotated"].as_u64()),
            (Some(STORE_FORMAT), Some(6), Some(6)),
            "format {format} migrated"
        );
        assert_eq!(crate::support::articles_in_stories(&copy), 6, "format {format}");
        let (code, story) = run(&["story", "--json", "old-1"]);
        assert_eq!(code, 0, "format {format}");
        assert!(story.to_string().contains("old-4"), "format {format}: one story {story}");
    }
}
