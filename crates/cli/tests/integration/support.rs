//! Helpers shared by the CLI tests: the binary, a tiny HTTP server, gzip without a library.

use insta_cmd::get_cargo_bin;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The store format this lede writes (`lede_store::FORMAT_VERSION`), which a migrated store
/// reports: a test that says so changes with each new format, on purpose.
pub(crate) const STORE_FORMAT: u64 = 10;

/// `lede --data DIR/data`.
pub(crate) fn data(dir: &std::path::Path) -> Command {
    let mut cmd = lede();
    cmd.arg("--data").arg(dir.join("data"));
    cmd
}

/// Runs and parses standard output as JSON; returns it with the exit code.
pub(crate) fn json(cmd: &mut Command) -> (i32, serde_json::Value) {
    let out = cmd.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// The `lede` binary, with no `LEDE_DATA` from the environment.
pub(crate) fn lede() -> Command {
    let mut cmd = Command::new(get_cargo_bin("lede"));
    cmd.env_remove("LEDE_DATA");
    cmd
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A stored (uncompressed) gzip member, so the test needs no compressor.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let mut rest = bytes;
    loop {
        let n = rest.len().min(65_535);
        let last = n == rest.len();
        out.push(u8::from(last));
        out.extend((n as u16).to_le_bytes());
        out.extend((!(n as u16)).to_le_bytes());
        out.extend(&rest[..n]);
        rest = &rest[n..];
        if last {
            break;
        }
    }
    out.extend(crc32(bytes).to_le_bytes());
    out.extend((bytes.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A request's head (request line and headers), as text, read from a test server's
/// connection.
pub(crate) fn read_request(stream: &mut impl Read) -> String {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}

/// One path of the test server.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) path: &'static str,
    pub(crate) status: &'static str,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// Extra response headers, as written.
    pub(crate) headers: Vec<String>,
    /// Seconds to wait before answering.
    pub(crate) delay: u64,
    /// Answer `304 Not Modified` when the request carries this `If-None-Match`.
    pub(crate) etag: Option<&'static str>,
}

impl Route {
    pub(crate) fn new(path: &'static str, status: &'static str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            path,
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into(),
            headers: Vec::new(),
            delay: 0,
            etag: None,
        }
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering each path with its status and body
/// (a 301 points at `/story`). Returns its base URL.
pub(crate) fn serve(routes: Vec<(&'static str, &'static str, Vec<u8>)>) -> String {
    let mut all: Vec<Route> = routes.into_iter().map(|(p, s, b)| Route::new(p, s, b)).collect();
    for r in &mut all {
        if r.status.starts_with("301") {
            r.headers.push("Location: /story".into());
        }
    }
    serve_routes(all)
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for `routes` (others get a 404), one thread per
/// connection. Returns its base URL.
pub(crate) fn serve_routes(routes: Vec<Route>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    std::thread::spawn(move || {
        answer(&listener, &routes, &log, &Arc::default(), &AtomicBool::new(false));
    });
    base
}

/// Requests being answered now, and the most at once so far.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// A test server that writes down the path of every request it answers, and stops when
/// dropped.
pub(crate) struct LoggedServer {
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    log: Arc<Mutex<Vec<String>>>,
    in_flight: Arc<InFlight>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoggedServer {
    /// The paths requested so far, in order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The most requests the server was answering at once.
    pub(crate) fn peak_in_flight(&self) -> usize {
        self.in_flight.peak.load(Ordering::SeqCst)
    }

    /// How many times `path` was requested.
    pub(crate) fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|p| *p == path).count()
    }
}

impl Drop for LoggedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread up so that it sees the flag.
        let _ = std::net::TcpStream::connect(self.base.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Like [`serve_routes`], with routes made knowing the server's base URL (a sitemap names
/// its pages by address), logging every request, stopped when dropped.
pub(crate) fn serve_logged(routes: impl FnOnce(&str) -> Vec<Route>) -> LoggedServer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes = routes(&base);
    let log = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(InFlight::default());
    let (l, f, s) = (Arc::clone(&log), Arc::clone(&in_flight), Arc::clone(&stop));
    let thread = std::thread::spawn(move || answer(&listener, &routes, &l, &f, &s));
    LoggedServer { base, log, in_flight, stop, thread: Some(thread) }
}

fn answer(
    listener: &std::net::TcpListener,
    routes: &[Route],
    log: &Arc<Mutex<Vec<String>>>,
    in_flight: &Arc<InFlight>,
    stop: &AtomicBool,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        let routes = routes.to_vec();
        let log = Arc::clone(log);
        let in_flight = Arc::clone(in_flight);
        std::thread::spawn(move || {
            let text = read_request(&mut stream);
            let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
            log.lock().unwrap().push(path.clone());
            let now = in_flight.now.fetch_add(1, Ordering::SeqCst) + 1;
            in_flight.peak.fetch_max(now, Ordering::SeqCst);
            let if_none_match = text.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .starts_with("if-none-match:")
                    .then(|| l[14..].trim().to_owned())
            });
            let route = routes
                .iter()
                .find(|r| r.path == path)
                .cloned()
                .unwrap_or_else(|| Route::new("", "404 Not Found", ""));
            std::thread::sleep(std::time::Duration::from_secs(route.delay));
            let not_modified = route.etag.is_some() && if_none_match.as_deref() == route.etag;
            let (status, body) = if not_modified {
                ("304 Not Modified", Vec::new())
            } else {
                (route.status, route.body.clone())
            };
            let mut head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                route.content_type,
                body.len()
            );
            if let Some(etag) = route.etag {
                head.push_str(&format!("ETag: {etag}\r\n"));
            }
            for h in &route.headers {
                head.push_str(h);
                head.push_str("\r\n");
            }
            head.push_str("\r\n");
            // Counted from the request read to the answer about to be written: within the
            // time the client holds the request open, so the peak never overstates it.
            in_flight.now.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        });
    }
}

/// Runs `cmd` for at most `secs` seconds (killed and failed past them); returns its exit
/// code, standard output and standard error.
pub(crate) fn run_bounded(cmd: &mut Command, secs: u64) -> (i32, String, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // Read the pipes on threads, so that a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} ran past {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (status.code().unwrap_or(-1), out.join().unwrap(), err.join().unwrap())
}

/// Every story of the store in `data` (`lede stories --json`, all sizes, no limit).
pub(crate) fn all_stories(data: &std::path::Path) -> Vec<serde_json::Value> {
    let (code, stories) = json(lede().arg("--data").arg(data).args([
        "stories",
        "--json",
        "--min-size",
        "1",
        "--limit",
        "0",
    ]));
    assert_eq!(code, 0, "{stories:#}");
    stories.as_array().unwrap().clone()
}

/// How many articles the stories of `data` hold together.
pub(crate) fn articles_in_stories(data: &std::path::Path) -> u64 {
    all_stories(data).iter().map(|s| s["size"].as_u64().unwrap()).sum()
}

/// A server on a free loopback port over `data`; killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// Its address, `127.0.0.1:PORT`.
    pub(crate) addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(data: &std::path::Path) -> Server {
    let mut cmd = lede();
    cmd.arg("--data").arg(data);
    start_with(cmd)
}

/// `lede serve` on a port of its choosing, run by `cmd` (lede with its global options).
pub(crate) fn start_with(mut cmd: Command) -> Server {
    let mut child =
        cmd.args(["serve", "--addr", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|s| s.split('/').next()).unwrap().to_owned();
    Server { child, addr }
}

/// (status, headers, body) of a request.
pub(crate) fn request(addr: &str, method: &str, path: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

pub(crate) fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = request(addr, "GET", path);
    (status, body)
}
