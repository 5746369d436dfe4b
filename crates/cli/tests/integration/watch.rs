//! `lede watch` and `lede feeds` (issue #14) against a feed server on loopback that counts
//! what it is asked and changes its feed between polls.

use crate::support::{json, lede, read_request};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

/// What the server answers and what it was asked.
#[derive(Default)]
pub(crate) struct State {
    /// Which items the feed lists (page numbers), and its ETag.
    pub(crate) items: Vec<u32>,
    pub(crate) etag: String,
    /// Answer the feed with this status instead (a broken feed), and this `Retry-After`.
    pub(crate) feed_status: Option<&'static str>,
    pub(crate) retry_after: Option<u32>,
    /// Paths asked for, in order (robots.txt left out).
    pub(crate) log: Vec<String>,
}

fn page(n: u32) -> String {
    format!(
        "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>\
         <p>The council of district {n} met on Tuesday and approved the tram plan after a long debate about its cost.</p>\
         <p>Work on line {n} starts in the spring, the mayor said, and should last about two years, with new stops near the school.</p>\
         <p>Residents of district {n} asked for more buses at night, a safer crossing near the market and a new park beside the river, and the council promised an answer by the summer.</p>\
         </article></body></html>"
    )
}

fn feed(base: &str, items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|n| format!("<item><title>Story {n}</title><link>{base}/p{n}</link><guid>{base}/p{n}</guid></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Daily Example</title>{items}</channel></rss>"
    )
}

/// A "latest news" page (no feed) listing the items, with navigation around them.
fn listing(items: &[u32]) -> String {
    let links: String = items
        .iter()
        .map(|n| format!("<li><a href=\"/news/tram-story-number-{n}\">The tram story number {n} of the week</a></li>"))
        .collect();
    format!(
        "<html><head><title>Latest</title></head><body>\
         <nav><a href=\"/news/all-the-sections-of-the-paper\">All the sections of the paper today</a></nav>\
         <h1>Latest news</h1><ul>{links}</ul><footer>About us</footer></body></html>"
    )
}

/// Starts the server; returns its base URL and its state.
pub(crate) fn server() -> (String, Arc<Mutex<State>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(State { etag: "\"v1\"".into(), ..State::default() }));
    let (shared, b) = (Arc::clone(&state), base.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (state, base) = (Arc::clone(&shared), b.clone());
            std::thread::spawn(move || {
                let text = read_request(&mut stream);
                let asked = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
                // A second feed of the same items: the query is not part of the route.
                let path = asked.split('?').next().unwrap_or("/").to_owned();
                let if_none_match = text.lines().find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("if-none-match:")
                        .then(|| l[14..].trim().to_owned())
                });
                let (status, ctype, body, etag, retry_after) = {
                    let mut s = state.lock().unwrap();
                    if path != "/robots.txt" {
                        s.log.push(asked);
                    }
                    let retry_after = s.retry_after;
                    let (status, ctype, body, etag) = match path.as_str() {
                        "/robots.txt" => ("404 Not Found", "text/plain", String::new(), None),
                        "/feed.xml" => match s.feed_status {
                            Some(status) => (status, "text/plain", "down".to_owned(), None),
                            None if if_none_match.as_deref() == Some(s.etag.as_str()) => (
                                "304 Not Modified",
                                "application/rss+xml",
                                String::new(),
                                Some(s.etag.clone()),
                            ),
                            None => (
                                "200 OK",
                                "application/rss+xml",
                                feed(&base, &s.items),
                                Some(s.etag.clone()),
                            ),
                        },
                        "/latest" => {
                            ("200 OK", "text/html; charset=utf-8", listing(&s.items), None)
                        }
                        // Redirects to itself, for ever.
                        "/loop" => ("302 Found", "text/plain", String::new(), None),
                        p if p.starts_with("/news/tram-story-number-") => {
                            match p.trim_start_matches("/news/tram-story-number-").parse() {
                                Ok(n) => ("200 OK", "text/html; charset=utf-8", page(n), None),
                                Err(_) => ("404 Not Found", "text/plain", String::new(), None),
                            }
                        }
                        p => match p.strip_prefix("/p").and_then(|n| n.parse().ok()) {
                            Some(n) => ("200 OK", "text/html; charset=utf-8", page(n), None),
                            None => ("404 Not Found", "text/plain", String::new(), None),
                        },
                    };
                    (status, ctype, body, etag, retry_after.filter(|_| path == "/feed.xml"))
                };
                let mut head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                if let Some(etag) = etag {
                    head.push_str(&format!("ETag: {etag}\r\n"));
                }
                if path == "/loop" {
                    head.push_str("Location: /loop\r\n");
                }
                if let Some(secs) = retry_after {
                    head.push_str(&format!("Retry-After: {secs}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            });
        }
    });
    (base, state)
}

fn lede_in(store: &Path) -> std::process::Command {
    let mut cmd = lede();
    cmd.arg("--data").arg(store);
    cmd
}

/// `lede watch --once` (loopback allowed); its exit code and one JSON object per poll.
fn watch_once(store: &Path) -> (i32, Vec<serde_json::Value>) {
    let out =
        lede_in(store).args(["watch", "--once", "--json", "--allow-private"]).output().unwrap();
    let polls = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().unwrap_or(-1), polls)
}

/// Sends SIGTERM to `child` and waits for it to exit (at most 30 s: the test stops by
/// itself).
fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    let killed =
        std::process::Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    assert!(killed.unwrap().success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("lede watch did not stop on SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// What the server was asked since the last call, sorted (pages are fetched in parallel).
pub(crate) fn take_log(state: &Arc<Mutex<State>>) -> Vec<String> {
    let mut log = std::mem::take(&mut state.lock().unwrap().log);
    log.sort();
    log
}

#[test]
fn issue_14_watch_polls_conditionally_and_fetches_only_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, state) = server();
    state.lock().unwrap().items = vec![1, 2];
    let url = format!("{base}/feed.xml");

    // Nothing to watch is bad usage; so is an address that is not a feed's.
    assert_eq!(lede_in(&store).arg("watch").status().unwrap().code(), Some(2));
    assert_eq!(
        lede_in(&store).args(["feeds", "add", "ftp://x/feed"]).status().unwrap().code(),
        Some(2)
    );
    assert!(lede_in(&store).args(["feeds", "add", &url]).status().unwrap().success());
    let (_, feeds) = json(lede_in(&store).args(["feeds", "--json"]));
    assert_eq!(feeds[0]["url"], url.as_str());
    assert_eq!(feeds[0]["last_poll_ts"], serde_json::Value::Null);

    // First poll: the feed and both pages.
    let (code, polls) = watch_once(&store);
    assert_eq!(code, 0, "{polls:?}");
    assert_eq!(
        (polls[0]["status"].as_str(), polls[0]["summary"]["added"].as_u64()),
        (Some("new"), Some(2))
    );
    assert_eq!(take_log(&state), ["/feed.xml", "/p1", "/p2"]);

    // Unchanged feed: a conditional GET answered 304, nothing else asked.
    let (code, polls) = watch_once(&store);
    assert_eq!((code, polls[0]["status"].as_str()), (0, Some("unchanged")));
    assert_eq!(take_log(&state), ["/feed.xml"]);

    // The feed changes: only the new item's page is fetched.
    {
        let mut s = state.lock().unwrap();
        s.items = vec![3, 2, 1];
        s.etag = "\"v2\"".into();
    }
    let (code, polls) = watch_once(&store);
    assert_eq!(code, 0);
    assert_eq!(polls[0]["summary"]["added"], 1);
    assert_eq!(polls[0]["summary"]["duplicates"], 2, "known items count as stored: {:#}", polls[0]);
    assert_eq!(take_log(&state), ["/feed.xml", "/p3"]);

    let (_, feeds) = json(lede_in(&store).args(["feeds", "--json"]));
    let f = &feeds[0];
    assert_eq!((f["items_added"].as_u64(), f["failures"].as_u64()), (Some(3), Some(0)));
    assert!(f["next_poll_ts"].as_i64() > f["last_poll_ts"].as_i64());
    assert_eq!(f["title"], "Daily Example", "the feed is named by its channel: {f:#}");

    // A feed that fails backs off and says why; a cron run where every feed failed is 1.
    {
        let mut s = state.lock().unwrap();
        s.feed_status = Some("503 Service Unavailable");
        s.retry_after = Some(7200);
    }
    let (code, polls) = watch_once(&store);
    assert_eq!((code, polls[0]["status"].as_str()), (1, Some("failed")), "{polls:?}");
    let (_, feeds) = json(lede_in(&store).args(["feeds", "--json"]));
    assert_eq!(feeds[0]["failures"], 1);
    assert!(feeds[0]["last_error"].as_str().unwrap().contains("503"), "{feeds:#}");
    // Not asked again before the server said (Retry-After: 7200).
    let waits =
        feeds[0]["next_poll_ts"].as_i64().unwrap() - feeds[0]["last_poll_ts"].as_i64().unwrap();
    assert!(waits >= 7200, "{feeds:#}");
    let listing = lede_in(&store).arg("feeds").output().unwrap();
    assert!(String::from_utf8_lossy(&listing.stdout).contains("1 failures in a row"));

    // OPML out and in again.
    let opml = dir.path().join("feeds.opml");
    assert!(lede_in(&store).args(["feeds", "export"]).arg(&opml).status().unwrap().success());
    let other = dir.path().join("other");
    assert!(lede_in(&other).args(["feeds", "import"]).arg(&opml).status().unwrap().success());
    let (_, imported) = json(lede_in(&other).args(["feeds", "--json"]));
    assert_eq!(imported[0]["url"], url.as_str());
    // A reader's OPML names its feeds: the names are kept, and exported again.
    let named = dir.path().join("named.opml");
    std::fs::write(
        &named,
        "<opml version=\"2.0\"><body><outline type=\"rss\" text=\"Daily &amp; Co\" \
         xmlUrl=\"https://daily.example/rss\"/></body></opml>",
    )
    .unwrap();
    let third = dir.path().join("third");
    assert!(lede_in(&third).args(["feeds", "import"]).arg(&named).status().unwrap().success());
    let (_, listed) = json(lede_in(&third).args(["feeds", "--json"]));
    assert_eq!(listed[0]["title"], "Daily & Co", "{listed:#}");
    let out = lede_in(&third).args(["feeds", "export", "-"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("title=\"Daily &amp; Co\""));
    std::fs::write(dir.path().join("broken.opml"), "<opml><body><outline xmlUrl=\"x").unwrap();
    let out = lede_in(&other)
        .args(["feeds", "import"])
        .arg(dir.path().join("broken.opml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.opml"));
    assert!(lede_in(&other).args(["feeds", "remove", &url]).status().unwrap().success());
    assert_eq!(json(lede_in(&other).args(["feeds", "--json"])).1, serde_json::json!([]));
}

#[test]
fn issue_14_watch_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, state) = server();
    state.lock().unwrap().items = vec![1];
    let mut child = lede_in(&store)
        .args(["watch", "--json", "--allow-private", "--every", "1s", "--min-interval", "1s"])
        .arg(format!("{base}/feed.xml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first poll (bounded: the test must stop by itself).
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = std::thread::spawn(move || lines.next().and_then(Result::ok));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !first.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(first.is_finished(), "no poll within a minute");
    let line = first.join().unwrap().expect("a poll");
    assert!(line.contains("\"added\":1"), "{line}");
    assert_eq!(terminate(&mut child).code(), Some(0));
    // What it stored is there, and a restart resumes without refetching it.
    take_log(&state);
    let (code, polls) = watch_once(&store);
    assert_eq!((code, polls[0]["summary"]["added"].as_u64()), (0, Some(0)));
    assert!(!take_log(&state).contains(&"/p1".to_owned()));
}

#[test]
fn issue_14_watch_killed_then_restarted_loses_nothing_and_refetches_nothing_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, state) = server();
    state.lock().unwrap().items = (1..=12).collect();
    // The same stories under a second feed of the same site: stored once, fetched once.
    let feeds = [format!("{base}/feed.xml"), format!("{base}/feed.xml?again")];
    assert!(lede_in(&store).args(["feeds", "add"]).args(&feeds).status().unwrap().success());
    // Killed (SIGKILL) while it works, at a few moments (each run resumes the last).
    for wait in [60, 150, 300] {
        let mut child = lede_in(&store)
            .args(["watch", "--json", "--allow-private"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
    }
    take_log(&state);
    // What the killed watch had committed.
    let export = lede_in(&store).arg("export").output().unwrap();
    let committed: Vec<String> = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(|l| {
            let url = serde_json::from_str::<serde_json::Value>(l).unwrap()["url"].clone();
            url.as_str().unwrap().trim_start_matches(&base).to_owned()
        })
        .collect();
    let (code, polls) = watch_once(&store);
    assert_eq!(code, 0, "{polls:?}");
    let fetched: Vec<String> =
        take_log(&state).into_iter().filter(|p| p.starts_with("/p")).collect();
    // Nothing lost: every story is stored, once.
    let (_, stats) = json(lede_in(&store).args(["stats", "--json"]));
    assert_eq!(stats["articles"], 12, "{stats:#}");
    // Nothing stored refetched, and no page fetched twice (the second feed's items are
    // the first's, known once stored).
    assert!(fetched.iter().all(|p| !committed.contains(p)), "{committed:?} refetched: {fetched:?}");
    let mut once = fetched.clone();
    once.dedup();
    assert_eq!(once, fetched, "a page fetched twice: {fetched:?}");
    assert_eq!(fetched.len() + committed.len(), 12, "{committed:?} + {fetched:?}");
    // Once more: nothing is fetched but the feeds.
    let (code, polls) = watch_once(&store);
    assert_eq!(code, 0);
    assert!(polls.iter().all(|p| p["summary"]["added"] == 0), "{polls:?}");
    assert!(take_log(&state).iter().all(|p| !p.starts_with("/p")), "pages fetched again");
}

#[test]
fn issue_14_watch_follows_a_page_that_lists_articles() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, state) = server();
    state.lock().unwrap().items = vec![1, 2];
    let latest = format!("{base}/latest");
    assert!(lede_in(&store).args(["feeds", "add", &latest]).status().unwrap().success());
    let (code, polls) = watch_once(&store);
    assert_eq!(code, 0, "{polls:?}");
    assert_eq!(
        (polls[0]["status"].as_str(), polls[0]["summary"]["added"].as_u64()),
        (Some("new"), Some(2)),
        "{polls:?}"
    );
    let fetched: Vec<String> =
        take_log(&state).into_iter().filter(|p| p.starts_with("/news/")).collect();
    assert_eq!(
        fetched,
        ["/news/tram-story-number-1", "/news/tram-story-number-2"],
        "the navigation is not followed"
    );
    // A new story on the page: only it is fetched.
    state.lock().unwrap().items = vec![3, 2, 1];
    let (code, polls) = watch_once(&store);
    assert_eq!((code, polls[0]["summary"]["added"].as_u64()), (0, Some(1)), "{polls:?}");
    let fetched: Vec<String> =
        take_log(&state).into_iter().filter(|p| p.starts_with("/news/")).collect();
    assert_eq!(fetched, ["/news/tram-story-number-3"]);
}

#[test]
fn issue_14_a_redirect_loop_and_a_slow_drip_are_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, _state) = server();
    let out = lede_in(&store)
        .args(["ingest", "--json", "--allow-private"])
        .arg(format!("{base}/loop"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("more than 5 redirects"));

    // A server that sends its answer a byte every 200 ms: a fetch gives up at --timeout.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let drip = format!("http://{}/drip", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf);
                let head =
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n";
                let _ = stream.write_all(head);
                for _ in 0..100 {
                    if stream.write_all(b"<").is_err() {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
            });
        }
    });
    let started = std::time::Instant::now();
    let out = lede_in(&store)
        .args(["ingest", "--json", "--allow-private", "--timeout", "2"])
        .arg(&drip)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(took < std::time::Duration::from_secs(10), "held for {took:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("/drip"));
}

#[test]
fn issue_14_watch_serves_the_reader_in_the_same_process() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let (base, state) = server();
    state.lock().unwrap().items = vec![1];
    let feed = format!("{base}/feed.xml");
    let mut child = lede_in(&store)
        .args(["watch", "--allow-private", "--serve", "127.0.0.1:0"])
        .arg(&feed)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader says where it listens; the first poll says it stored the story.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let addr = std::thread::spawn(move || {
        stderr.lines().map_while(Result::ok).find_map(|l| {
            l.split("the reader is at http://").nth(1).map(|a| a.trim_end_matches('/').to_owned())
        })
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let polled = std::thread::spawn(move || stdout.next().and_then(Result::ok));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !(addr.is_finished() && polled.is_finished()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (Ok(Some(addr)), Ok(Some(line))) = (addr.join(), polled.join()) else {
        let _ = child.kill();
        panic!("no reader address or no poll within a minute");
    };
    assert!(line.contains("1 new"), "{line}");
    // The reader in the same process sees the feed and what the watch stored.
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        body
    };
    let page = get("/feeds");
    assert!(page.contains("200 OK") && page.contains(&feed), "{page}");
    let stats = get("/api/stats");
    assert!(stats.contains("\"articles\":1"), "{stats}");
    assert_eq!(terminate(&mut child).code(), Some(0));
}
