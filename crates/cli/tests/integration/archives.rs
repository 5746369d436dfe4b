//! Web-archive sets (issue #14): a `.paths` listing of WARC files, read file by file,
//! filtered by host, date and language, and resumed after an interruption without reading
//! a finished file again or extracting a stored record twice.

use crate::support::{Route, data, gzip, json, lede, serve_routes};
use std::path::Path;

/// One WARC response record holding an HTML article, gzipped on its own (as CC-NEWS is).
fn record(url: &str, date: &str, title: &str, paragraphs: &[String]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    );
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: {date}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    );
    gzip(warc.as_bytes())
}

/// A park article: long (about 3 KiB), so that a cut inside the third file's fourth record
/// falls past the first bytes lede looks at to tell what a file holds.
fn park(n: usize) -> Vec<u8> {
    let mut paragraphs = english(n, "park");
    paragraphs
        .push(format!("In district {n}, the gardeners will plant {} trees. ", 100 + n).repeat(40));
    record(
        &format!("https://a.example/{n}"),
        "2019-01-20T10:00:00Z",
        &format!("Park plan {n}"),
        &paragraphs,
    )
}

/// An English article about `topic`, distinct for each `n`.
fn english(n: usize, topic: &str) -> Vec<String> {
    vec![
        format!(
            "The council of district {n} met on Tuesday and approved the {topic} plan after a long debate about its cost and its schedule."
        ),
        format!(
            "Work on the {topic} project number {n} starts in the spring, the mayor said, and should last about two years."
        ),
        format!(
            "Residents of district {n} asked for more buses, a safer crossing near the school and a new park beside the river."
        ),
    ]
}

fn german(n: usize) -> Vec<String> {
    vec![
        format!("Der Stadtrat des Bezirks {n} hat am Dienstag nach einer langen Debatte über die Kosten den neuen Verkehrsplan beschlossen."),
        format!("Die Arbeiten beginnen im Frühjahr und sollen nach Angaben des Bürgermeisters etwa zwei Jahre dauern, sagte er am Abend."),
        "Die Anwohner forderten mehr Busse, einen sicheren Übergang an der Schule und einen neuen Park am Fluss.".to_owned(),
    ]
}

/// Three WARC files: a.example and b.example in January 2019, one German page, one page
/// of December 2018. Returns the files' bytes by name.
fn files() -> Vec<(&'static str, Vec<u8>)> {
    let mut one = Vec::new();
    for n in 0..3 {
        one.extend(record(
            &format!("https://a.example/{n}"),
            &format!("2019-01-0{}T10:00:00Z", n + 1),
            &format!("Road plan {n}"),
            &english(n, "road"),
        ));
    }
    let mut two = Vec::new();
    for n in 3..6 {
        two.extend(record(
            &format!("https://news.b.example/{n}"),
            "2019-01-15T10:00:00Z",
            &format!("Bridge plan {n}"),
            &english(n, "bridge"),
        ));
    }
    two.extend(record(
        "https://news.b.example/de",
        "2019-01-16T10:00:00Z",
        "Verkehrsplan",
        &german(7),
    ));
    let mut three = Vec::new();
    for n in 8..12 {
        three.extend(park(n));
    }
    three.extend(record(
        "https://a.example/old",
        "2018-12-20T10:00:00Z",
        "Old plan",
        &english(99, "tunnel"),
    ));
    vec![("CC-NEWS-1.warc.gz", one), ("CC-NEWS-2.warc.gz", two), ("CC-NEWS-3.warc.gz", three)]
}

/// A listing of the three files as CC-NEWS names them, and the files in `downloads/`.
fn set_up(d: &Path, files: &[(&str, Vec<u8>)]) {
    std::fs::create_dir_all(d.join("downloads")).unwrap();
    for (name, bytes) in files {
        std::fs::write(d.join("downloads").join(name), bytes).unwrap();
    }
    let listing: String =
        files.iter().map(|(name, _)| format!("crawl-data/CC-NEWS/2019/01/{name}\n")).collect();
    std::fs::write(d.join("warc.paths.gz"), gzip(listing.as_bytes())).unwrap();
}

fn ingest(store: &Path, d: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    json(
        lede()
            .arg("--data")
            .arg(store)
            .args(["ingest", "--json", "--base-url"])
            .arg(d.join("downloads"))
            .args(extra)
            .arg(d.join("warc.paths.gz")),
    )
}

fn urls(store: &Path) -> Vec<String> {
    let out = lede().arg("--data").arg(store).arg("export").output().unwrap();
    let mut urls: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["url"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    urls.sort();
    urls
}

#[test]
fn issue_14_a_paths_listing_is_read_resumed_and_never_read_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = files();
    // The third file is cut inside its fourth record: an interrupted download, or a run
    // stopped in the middle of a file.
    let mut cut = files.clone();
    let whole = &files[2].1;
    let first_three: usize = (8..11).map(|n| park(n).len()).sum();
    assert!(first_three > 8 * 1024);
    cut[2].1 = whole[..first_three + 40].to_vec();
    set_up(d, &cut);
    let store = d.join("store");
    let (code, first) = ingest(&store, d, &[]);
    assert_eq!(code, 0, "records were read: {first:#}");
    assert_eq!(first["archives"]["listed"], 3);
    assert_eq!(first["archives"]["finished"], 2, "{first:#}");
    assert_eq!(first["failed"], 1, "the cut record: {first:#}");
    let added_first = first["added"].as_u64().unwrap();
    assert_eq!(added_first, 3 + 4 + 3, "{first:#}");

    // The file is whole again: the next run reads only what the first did not.
    set_up(d, &files);
    let (code, second) = ingest(&store, d, &[]);
    assert_eq!(code, 0, "{second:#}");
    assert_eq!(second["archives"]["finished_before"], 2, "{second:#}");
    assert_eq!(second["archives"]["resumed"], 1);
    assert_eq!(second["archives"]["finished"], 1);
    assert_eq!(second["seen"], 2, "only the third file's last two records: {second:#}");
    assert_eq!((second["added"].as_u64(), second["duplicates"].as_u64()), (Some(2), Some(0)));

    // Once more: nothing is read, and that is a success.
    let (code, third) = ingest(&store, d, &[]);
    assert_eq!((code, third["seen"].as_u64()), (0, Some(0)), "{third:#}");
    assert_eq!(third["archives"]["finished_before"], 3);

    // The store is what one uninterrupted run makes.
    let clean = d.join("clean");
    let (code, whole_run) = ingest(&clean, d, &[]);
    assert_eq!((code, whole_run["added"].as_u64()), (0, Some(12)), "{whole_run:#}");
    assert_eq!(urls(&store), urls(&clean));
}

#[test]
fn issue_14_records_are_selected_by_host_date_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    set_up(d, &files());
    let only = |extra: &[&str]| {
        let store = d.join(format!("s{}", extra.join("_").replace(['*', '.', '/'], "")));
        let (code, summary) = ingest(&store, d, extra);
        assert_eq!(code, 0, "{summary:#}");
        (summary, urls(&store))
    };
    let (s, got) = only(&["--host", "*.b.example"]);
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got.iter().all(|u| u.contains("b.example")));
    assert_eq!(s["filtered"], 8, "{s:#}");

    let (_, got) = only(&["--lang", "de"]);
    assert_eq!(got, ["https://news.b.example/de"]);

    let (_, got) = only(&["--since", "2019-01-01", "--until", "2019-01-31", "--lang", "en"]);
    assert_eq!(got.len(), 10, "the December page and the German one left out: {got:?}");
    assert!(!got.iter().any(|u| u.ends_with("/old") || u.ends_with("/de")));

    let (_, got) = only(&["--host", "a.example", "--until", "2018-12-31"]);
    assert_eq!(got, ["https://a.example/old"]);

    // Bad selections are bad usage.
    for bad in [
        &["--lang", "english"][..],
        &["--host", "a/b"],
        &["--since", "2019-02-01", "--until", "2019-01-01"],
        &["--since", "soon"],
    ] {
        let out = data(d).arg("ingest").args(bad).arg(d.join("warc.paths.gz")).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn issue_14_a_listing_that_cannot_be_read_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("web.paths"), "ftp://data.example/x.warc.gz\n").unwrap();
    let out = data(d).arg("ingest").arg(d.join("web.paths")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("web.paths") && err.contains("http or https"), "{err}");
    // A listed file that is missing is a failure naming it; the others are still read.
    set_up(d, &files());
    std::fs::remove_file(d.join("downloads/CC-NEWS-2.warc.gz")).unwrap();
    let (code, summary) = ingest(&d.join("s"), d, &[]);
    assert_eq!(code, 0, "{summary:#}");
    assert_eq!(summary["archives"]["finished"], 2, "{summary:#}");
    assert!(
        summary["errors"][0]["input"].as_str().unwrap_or("").contains("CC-NEWS-2.warc.gz")
            || summary["errors"].to_string().contains("CC-NEWS-2.warc.gz"),
        "{summary:#}"
    );
}

#[test]
fn issue_14_a_set_killed_at_any_moment_resumes_to_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Eight files of 60 records: about 1.5 s of ingest in a debug build, so the kills below
    // land before, inside and between files.
    const NAMES: [&str; 8] = [
        "k1.warc.gz",
        "k2.warc.gz",
        "k3.warc.gz",
        "k4.warc.gz",
        "k5.warc.gz",
        "k6.warc.gz",
        "k7.warc.gz",
        "k8.warc.gz",
    ];
    let files: Vec<(&'static str, Vec<u8>)> = NAMES
        .into_iter()
        .enumerate()
        .map(|(f, name)| {
            let bytes = (0..60)
                .flat_map(|i| {
                    let n = f * 100 + i;
                    record(
                        &format!("https://a.example/k/{n}"),
                        "2019-01-10T10:00:00Z",
                        &format!("Plan {n}"),
                        &english(n, "tram"),
                    )
                })
                .collect();
            (name, bytes)
        })
        .collect();
    set_up(d, &files);
    let clean = d.join("clean");
    assert_eq!(ingest(&clean, d, &[]).0, 0);
    let crashed = d.join("crashed");
    let mut seed = 0x51_7cc1_b727_220a_u64 ^ u64::from(std::process::id());
    for round in 0..4 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let wait = 50 + (seed >> 33) % (300 + 300 * round);
        let mut child = lede()
            .arg("--data")
            .arg(&crashed)
            .args(["ingest", "--base-url"])
            .arg(d.join("downloads"))
            .arg(d.join("warc.paths.gz"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    let (code, last) = ingest(&crashed, d, &[]);
    assert_eq!(code, 0, "{last:#}");
    // Whatever was stored before a kill is not extracted again: the last run stores only
    // what is new, and finds no record it already has.
    assert_eq!(last["duplicates"], 0, "{last:#}");
    assert_eq!(urls(&crashed), urls(&clean));
    let (_, again) = ingest(&crashed, d, &[]);
    assert_eq!(
        (again["seen"].as_u64(), again["archives"]["finished_before"].as_u64()),
        (Some(0), Some(8))
    );
}

#[test]
fn issue_14_a_set_is_read_over_http_as_streams() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = files();
    // The files where a mirror serves them, under the listing's paths.
    let routes: Vec<Route> = files
        .iter()
        .map(|(name, bytes)| {
            let path: &'static str =
                Box::leak(format!("/mirror/crawl-data/CC-NEWS/2019/01/{name}").into_boxed_str());
            Route {
                content_type: "application/octet-stream",
                ..Route::new(path, "200 OK", bytes.clone())
            }
        })
        .collect();
    let base = serve_routes(routes);
    set_up(d, &files);
    let mirror = format!("{base}/mirror/");
    let run = |store: &Path, extra: &[&str]| {
        json(
            lede()
                .arg("--data")
                .arg(store)
                .args(["ingest", "--json", "--base-url", &mirror])
                .args(extra)
                .arg(d.join("warc.paths.gz")),
        )
    };
    let store = d.join("remote");
    let (code, first) = run(&store, &["--allow-private"]);
    assert_eq!(code, 0, "{first:#}");
    assert_eq!(
        (first["added"].as_u64(), first["archives"]["finished"].as_u64()),
        (Some(12), Some(3))
    );
    // Read from the mirror, the store is the one the downloaded files give.
    let (_, local) = ingest(&d.join("local"), d, &[]);
    assert_eq!(local["added"], 12);
    assert_eq!(urls(&store), urls(&d.join("local")));
    // Finished files are not asked for again.
    let (code, again) = run(&store, &["--allow-private"]);
    assert_eq!(
        (code, again["seen"].as_u64(), again["archives"]["finished_before"].as_u64()),
        (0, Some(0), Some(3))
    );
    // The mirror is on loopback: without --allow-private it is refused, naming the file.
    let (code, refused) = run(&d.join("refused"), &[]);
    assert_eq!(code, 1, "{refused:#}");
    let said = refused["errors"].to_string();
    assert!(said.contains("CC-NEWS-1.warc.gz") && said.contains("private"), "{said}");
}
