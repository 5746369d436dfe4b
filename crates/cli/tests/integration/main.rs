//! The `lede` command as scripts see it: exit codes, standard output, standard error.

mod archives;
mod browser;
mod cluster;
mod crawl;
mod entities;
mod ingest;
mod nats;
mod network;
#[path = "../../../pg/tests/support/mod.rs"]
mod pg_support;
mod provenance;
mod serve;
mod stories;
mod support;
mod watch;

use insta_cmd::assert_cmd_snapshot;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use support::{gzip, lede, serve};

const SEED: &str = "../../tests/fixtures/seed/source.txt";

/// Runs a snapshot with the temporary directory's path replaced by `[TMP]`.
macro_rules! snapshot_in {
    ($dir:expr, $cmd:expr) => {{
        let tmp = regex_escape(&$dir.path().display().to_string());
        insta::with_settings!({ filters => vec![(tmp.as_str(), "[TMP]")] }, {
            assert_cmd_snapshot!($cmd);
        });
    }};
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| if c.is_alphanumeric() || c == '/' { vec![c] } else { vec!['\\', c] })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn analyze_the_seed_as_json() {
    // What the entities stage finds is pinned by the human view's snapshot below and
    // checked span by span in `entities.rs`; here its arrays (mostly byte offsets) are
    // left out, so that this snapshot stays the article's.
    let arrays = r#"(?s)\n  "(entities|quotes|sentences)": (\[\]|\[.*?\n  \])"#;
    insta::with_settings!({ filters => vec![(arrays, "\n  \"$1\": [...]")] }, {
        assert_cmd_snapshot!(lede().args(["analyze", SEED, "--json"]));
    });
}

#[test]
fn analyze_the_seed_for_people() {
    assert_cmd_snapshot!(lede().args(["analyze", SEED]));
}

#[test]
fn usage_errors_exit_2() {
    assert_cmd_snapshot!(lede().arg("analyze"));
    assert_eq!(
        lede().args(["analyze", "--max-size", "lots", SEED]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(lede().args(["analyze", "-", "-"]).output().unwrap().status.code(), Some(2));
    assert_eq!(lede().arg("no-such-command").output().unwrap().status.code(), Some(2));
}

#[test]
fn bad_inputs_name_themselves_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.html", b"");
    let pdf = write(dir.path(), "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    let jpeg =
        write(dir.path(), "photo.jpg", &[0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F']);
    let mut garbage = b"<meta charset=\"utf-8\"><p>".to_vec();
    garbage.extend((0..3000u32).map(|i| (0x80 + (i * 7919) % 64) as u8));
    let garbled = write(dir.path(), "garbled.html", &garbage);
    let missing = dir.path().join("missing.html");
    snapshot_in!(dir, lede().arg("analyze").args([&empty, &pdf, &jpeg, &garbled, &missing]));
}

#[test]
fn a_page_over_the_cap_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    // A sparse 100 MB file: refused from its size, in no time.
    std::fs::File::create(&big).unwrap().set_len(100 << 20).unwrap();
    snapshot_in!(dir, lede().arg("analyze").arg(&big));
    let out = lede().args(["analyze", "--max-size", "1k", SEED]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the 1 KiB cap"));
}

#[test]
fn pages_that_are_not_articles_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let home = write(
        dir.path(),
        "home.html",
        b"<html><head><title>Daily Example</title></head><body><nav><a href=/a>World</a><a href=/b>Sport</a></nav>\
          <div><h2><a href=/1>Bridge to close for repairs next spring</a></h2><h2><a href=/2>Storm warning for the weekend</a></h2></div></body></html>",
    );
    let out = lede().args(["analyze", "--json"]).arg(&home).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["is_article"], false);
    assert!(v["not_article_reason"].as_str().unwrap().contains("body text"));
    let human = lede().arg("analyze").arg(&home).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("not an article"));
}

#[test]
fn several_inputs_give_json_lines_and_one_failure_does_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.html");
    let out = lede().args(["analyze", "--json", SEED]).arg(&missing).arg(SEED).output().unwrap();
    // Something was read, so the run succeeds; --strict makes any failure fail it.
    assert_eq!(out.status.code(), Some(0));
    let strict =
        lede().args(["analyze", "--json", "--strict", SEED]).arg(&missing).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let none = lede().args(["analyze", "--json"]).arg(&missing).output().unwrap();
    assert_eq!(none.status.code(), Some(1), "nothing could be read");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["paragraphs"].as_array().unwrap().len() == 24));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.html: cannot read"));
}

#[test]
fn out_dir_writes_one_file_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "story.html.gz", &gzip(b"<html><body><article><p>The council met on Tuesday to vote on the plan for the new park by the river.</p></article></body></html>"));
    let out_dir = dir.path().join("out");
    let status =
        lede().args(["analyze", "--out-dir"]).arg(&out_dir).arg(SEED).arg(&page).status().unwrap();
    assert!(status.success());
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["source.json", "story.json"]);
    let story: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("story.json")).unwrap()).unwrap();
    assert!(story["paragraphs"][0].as_str().unwrap().starts_with("The council met"));
}

#[test]
fn reads_standard_input() {
    let mut child = lede()
        .args(["analyze", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(std::fs::read(SEED).unwrap().as_slice()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "<stdin>");
    assert_eq!(v["paragraphs"].as_array().unwrap().len(), 24);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = lede()
        .arg("analyze")
        .args(std::iter::repeat_n(SEED, 300))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn explains_its_choices() {
    let out = lede()
        .args(["analyze", "--explain", "../extract/tests/fixtures/jsonld-news-article/source.html"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("container path"));
    assert!(text.contains("+ Paragraph"));
}

/// Fetches from a one-shot HTTP server on loopback: the page, a redirect, a 404, a body
/// over the cap.
#[test]
fn fetches_urls() {
    let page = std::fs::read("../extract/tests/fixtures/jsonld-news-article/source.html").unwrap();
    let server = serve(vec![
        ("/story", "200 OK", page),
        ("/moved", "301 Moved Permanently", Vec::new()),
        ("/gone", "404 Not Found", b"not here".to_vec()),
        ("/huge", "200 OK", vec![b'a'; 4096]),
    ]);
    // Loopback is the machine's own network: refused unless asked for.
    let out = lede().args(["analyze", &format!("{server}/story")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("pass --allow-private"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = lede()
        .args(["analyze", "--allow-private", "--json", &format!("{server}/story")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Harbour bridge to close for repairs");

    let out = lede()
        .args(["analyze", "--allow-private", "--json", &format!("{server}/moved")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out =
        lede().args(["analyze", "--allow-private", &format!("{server}/gone")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/gone: HTTP status 404"));

    let out = lede()
        .args(["analyze", "--allow-private", "--max-size", "1k", &format!("{server}/huge")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("larger than the 1 KiB cap"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
