//! A real browser through the reader (issue #7): headless Chromium loads the front page,
//! follows a story, an article, a search and the outlets the way a person would, and the
//! test checks what the rendered pages say. It saves screenshots of the seed's article page
//! and of the front, story, entity and outlet pages.
//!
//! Chromium comes from Debian's `chromium` package (`.ci/run` installs it) or
//! `LEDE_CHROMIUM`; without one the test fails on CI and is skipped elsewhere. The same
//! holds for the accessibility check (issue 18): axe-core over seven pages, light and
//! dark, run by bench/a11y/axe.py from the virtual environment `.ci/run` installs under
//! target/tools/a11y, or by `LEDE_AXE_PYTHON`.

use crate::support::{lede, start};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LEDE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()))
}

/// The page at `url` as the browser rendered it (its DOM).
fn dom(browser: &Path, profile: &Path, url: &str) -> String {
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed on {url}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Python that runs bench/a11y/axe.py: `LEDE_AXE_PYTHON`, else the virtual environment
/// `.ci/run` installs under target/tools/a11y; `None` when neither is there.
fn axe_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LEDE_AXE_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/tools/a11y/bin/python");
    Path::new(venv).is_file().then(|| PathBuf::from(venv))
}

/// Runs `cmd` for at most `limit`, killing it past that: whether it exited 0, its standard
/// output and its standard error.
fn bounded(mut cmd: Command, limit: Duration) -> (bool, String, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("it starts");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            pipe.read_to_string(&mut out).unwrap();
            out
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, mut err) = (stdout.join().unwrap(), stderr.join().unwrap());
    if status.is_none() {
        err.push_str(&format!("\nkilled after {limit:?}"));
    }
    (status.is_some_and(|s| s.success()), out, err)
}

/// The first `href` in `html` that starts with `prefix`.
fn link(html: &str, prefix: &str) -> String {
    let at = html
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix}: {html}"));
    let rest = &html[at + 6..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Text of `html` without tags and with entities of quotes and ampersands read.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
}

#[test]
#[allow(clippy::print_stderr, reason = "a skipped test says so, and axe's report is shown")]
fn issue_7_a_browser_reads_stories_articles_and_search() {
    let Some(browser) = chromium() else {
        // .ci/run installs chromium, and says so loudly (LEDE_NO_BROWSER) when it cannot.
        assert!(
            std::env::var_os("CI").is_none() || std::env::var_os("LEDE_NO_BROWSER").is_some(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("skipped: no chromium (set LEDE_CHROMIUM or install Debian's chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let releases = dir.path().join("releases.jsonl");
    let records = [
        (
            "b-1",
            "Daily A",
            "Senate passes budget bill",
            "The Senate passed the budget bill late on Friday after a long debate over spending caps, sending the measure to the House for a final vote next week.",
        ),
        (
            "b-2",
            "Daily B",
            "Budget bill clears the Senate",
            "After a long debate over spending caps, the Senate passed the budget bill on Friday night; the House holds its final vote on the measure next week.",
        ),
    ];
    let lines: String = records
        .iter()
        .map(|(id, outlet, title, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "date": "2017-04-12", "title": title, "text": text}).to_string() + "\n"
        })
        .collect();
    std::fs::write(&releases, lines).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seed/source.txt");
    let ok =
        lede().arg("--data").arg(&data).arg("ingest").arg(&releases).arg(&seed).status().unwrap();
    assert!(ok.success());

    // Killed when dropped, so a failing assertion below leaves no server behind.
    let server = start(&data);
    let base = format!("http://{}", server.addr);
    let profile = dir.path().join("profile");

    // Front page -> the budget story -> one of its articles.
    let front = dom(&browser, &profile, &format!("{base}/"));
    assert!(text(&front).contains("Stories"), "{front}");
    let story = link(&front, "/stories/");
    let story_page = dom(&browser, &profile, &format!("{base}{story}"));
    let story_text = text(&story_page);
    assert!(story_text.contains("2 articles · 2 outlets"), "{story_text}");
    assert!(story_text.contains("Timeline"));
    // Issue 18: the front page opens on the store's newest week (the seed page's, of
    // 2017-04-16) with the whole store drawn over time; the story draws its spread.
    assert!(front.contains("<title>Stories, 2017-04-10 – 2017-04-16 · lede</title>"), "{front}");
    assert!(front.contains("<svg class=\"chart\"") && front.contains("The chart as a table"));
    assert!(story_text.contains("How it spread") && story_page.contains("<svg class=\"chart\""));
    let entity = dom(&browser, &profile, &format!("{base}{}", link(&story_page, "/entities/")));
    assert!(text(&entity).contains("Mentions over time"), "{entity}");
    let article = link(&story_page, "/articles/");
    let article_text = text(&dom(&browser, &profile, &format!("{base}{article}")));
    assert!(article_text.contains("budget bill"), "{article_text}");

    // Search finds the seed page; its article page shows the quotes and the check of its
    // related links.
    let results = dom(&browser, &profile, &format!("{base}/search?q=Tillerson+Putin"));
    assert!(text(&results).contains("Putin receives US Secretary of State"), "{results}");
    let seed_url = format!("{base}{}", link(&results, "/articles/"));
    let seed_text = text(&dom(&browser, &profile, &seed_url));
    assert!(seed_text.contains("Who said what"), "{seed_text}");
    assert!(seed_text.contains("— Rex Tillerson"));
    assert!(seed_text.contains("LeBron to miss Cavs' season finale — unrelated"), "{seed_text}");
    let seed_page = dom(&browser, &profile, &seed_url);
    let quotes =
        dom(&browser, &profile, &format!("{base}{}", link(&seed_page, "/quotes?speaker=")));
    assert!(text(&quotes).contains("Quotes by Rex Tillerson"), "{quotes}");

    // The feeds page (issue #14): none followed in this store, and the stories' Atom feed
    // a feed reader subscribes to.
    let feeds = dom(&browser, &profile, &format!("{base}/feeds"));
    assert!(text(&feeds).contains("No feed followed yet"), "{feeds}");
    assert_eq!(link(&feeds, "/stories.atom"), "/stories.atom");

    // The outlets (issue 16): the network is computed in the background; the page says so
    // and refreshes itself until it is ready. Then one outlet's page and its graph.
    let deadline = Instant::now() + Duration::from_secs(120);
    let outlets = loop {
        let page = dom(&browser, &profile, &format!("{base}/outlets"));
        if !page.contains("being computed") {
            break page;
        }
        assert!(page.contains("http-equiv=\"refresh\""), "{page}");
        assert!(Instant::now() < deadline, "never computed: {page}");
        std::thread::sleep(Duration::from_millis(500));
    };
    let outlets_text = text(&outlets);
    assert!(outlets_text.contains("Spin groups") && outlets_text.contains("Daily A"), "{outlets}");
    let outlet = dom(&browser, &profile, &format!("{base}{}", link(&outlets, "/outlets/Daily")));
    assert!(text(&outlet).contains("Who it copies and who copies it"), "{outlet}");
    assert!(outlet.contains("<svg") && outlet.contains("The graph as a table"), "{outlet}");

    // Accessibility (issue 18): axe-core run in the browser through the DevTools protocol
    // (bench/a11y/axe.py), light and dark, over each kind of page. Its Python packages are
    // pinned in bench/a11y/requirements.txt and installed by .ci/run; CI never skips it.
    match axe_python() {
        Some(python) => {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/a11y/axe.py");
            let mut axe = Command::new(python);
            axe.arg(script).arg(&browser).args([
                format!("{base}/"),
                format!("{base}{story}"),
                format!("{base}{}", link(&story_page, "/entities/")),
                format!("{base}/quotes?speaker=Rex%20Tillerson"),
                seed_url.clone(),
                format!("{base}/search?q=budget"),
                format!("{base}{}", link(&outlets, "/outlets/Daily")),
            ]);
            let (status, report, errors) = bounded(axe, Duration::from_secs(300));
            eprintln!("axe-core:\n{report}");
            assert!(status, "axe-core found violations or could not run:\n{report}\n{errors}");
            assert_eq!(report.lines().count(), 14, "{report}\n{errors}");
        }
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must check accessibility: .ci/run installs bench/a11y/requirements.txt into \
                 target/tools/a11y (or set LEDE_AXE_PYTHON)"
            );
            eprintln!(
                "accessibility not checked: no target/tools/a11y/bin/python (python3 -m venv \
                 target/tools/a11y && target/tools/a11y/bin/pip install --no-deps \
                 --require-hashes -r bench/a11y/requirements.txt) nor LEDE_AXE_PYTHON"
            );
        }
    }

    // The screenshots the README shows (target/, so a test run never dirties the tree):
    // the seed's article, and issue 18's front page, story, entity and outlet pages.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    // The folder is there unless CARGO_TARGET_DIR points elsewhere.
    std::fs::create_dir_all(&shots).unwrap();
    let outlet_url = format!("{base}{}", link(&outlets, "/outlets/Daily"));
    let entity_url = format!("{base}{}", link(&story_page, "/entities/"));
    for (name, url) in [
        ("seed-article", seed_url),
        ("reader-front", format!("{base}/")),
        ("reader-story", format!("{base}{story}")),
        ("reader-entity", entity_url),
        ("reader-outlet", outlet_url),
    ] {
        let shot = shots.join(format!("{name}.png"));
        let status = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1000,2200",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url)
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        let saved = shot.metadata().map(|m| m.len() > 10_000).unwrap_or(false);
        assert!(status.success() && saved, "{name}: {url}");
    }
    drop(server);
}
