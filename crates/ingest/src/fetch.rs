//! Fetching pages over HTTP(S), politely and safely.
//!
//! ## What it does
//! - **Safety**: the host's addresses are resolved first, and an address in a private,
//!   loopback, link-local, shared (CGNAT), multicast or unspecified range is refused unless
//!   [`ReadConfig::allow_private`] is set, so a feed or a page cannot make lede fetch from
//!   the machine's own network. Redirects are followed by hand (at most
//!   [`ReadConfig::max_redirects`]) so that every hop is checked the same way.
//! - **Politeness**: a clear `User-Agent`; `robots.txt` is fetched once per host and
//!   honoured (rules for `lede`, else for `*`; `Allow`/`Disallow` with `*` and `$`, longest
//!   match wins, an `Allow` wins a tie) and its `Crawl-delay` (at most
//!   [`MAX_CRAWL_DELAY`], so that a hostile file cannot stall a run); at most [`PER_HOST`]
//!   requests to one host at a time; a timeout on every request.
//! - **Limits**: a body over the size cap is refused while reading.
//! - **Conditional GET**: given the `ETag` and `Last-Modified` a server sent last time,
//!   the request carries `If-None-Match`/`If-Modified-Since`, and a `304 Not Modified` is
//!   reported as such (feeds re-read often).
//!
//!   The connection itself resolves the name through [`CheckedResolver`], which drops the
//!   same ranges: the address connected to is always one that passed the check, even for a
//!   name whose records change between the check and the connection (DNS rebinding).
//!
//! ## Known failures
//! A `robots.txt` that cannot be fetched (a 5xx, a timeout) is treated as allowing
//! everything.

use crate::error::{Error, Result};
use crate::read::{RawPage, ReadConfig};
use lede_core::Origin;
use std::collections::HashMap;
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The resolver of every connection lede makes: the system's answer, less the addresses
/// [`is_private`] refuses (unless private addresses are allowed). The check before a
/// request gives the clear message; this one makes sure that the connection goes only to
/// an address that passed it, whatever the name resolves to by then.
#[derive(Debug)]
struct CheckedResolver {
    allow_private: bool,
    inner: ureq::unversioned::resolver::DefaultResolver,
}

impl ureq::unversioned::resolver::Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> std::result::Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let all = self.inner.resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(all);
        }
        let mut kept = self.empty();
        for addr in all.iter().filter(|a| !is_private(a.ip())) {
            kept.push(*addr);
        }
        if kept.is_empty() {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the name now resolves only to private, loopback or link-local addresses",
            )));
        }
        Ok(kept)
    }
}

/// Requests to one host at a time, at most.
pub const PER_HOST: usize = 2;

/// The longest `Crawl-delay` honoured: a longer one is read as this, so that a robots.txt
/// asking for a day between requests slows a crawl down without stopping it.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

pub use lede_core::Validators;

/// The result of a fetch.
#[derive(Debug)]
pub enum Fetched {
    /// The page, and the validators its server sent.
    Page(RawPage, Validators),
    /// The server said the page has not changed since the validators given.
    NotModified,
}

/// The HTTP side of a [`PageReader`](crate::PageReader).
#[derive(Debug)]
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    config: ReadConfig,
    slots: HostSlots,
    robots: Mutex<HashMap<String, Arc<Robots>>>,
    /// When each host may next be asked, for hosts whose robots.txt sets a `Crawl-delay`.
    next_turn: Mutex<HashMap<String, Instant>>,
}

/// A successful response, its body not yet read, holding its host's slot until dropped.
pub(crate) struct Opened<'a> {
    pub(crate) response: ureq::http::Response<ureq::Body>,
    /// The address that answered (after redirects).
    pub(crate) url: String,
    pub(crate) origin: Origin,
    /// The host's slot, held while the body is read.
    pub(crate) slot: Slot<'a>,
}

/// What a request came to: a response to read, or "not modified".
enum Answer<'a> {
    Open(Box<Opened<'a>>),
    NotModified,
}

impl Fetcher {
    pub(crate) fn new(config: &ReadConfig) -> Fetcher {
        let agent_config = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .max_redirects(0)
            .user_agent(config.user_agent.as_str())
            .http_status_as_error(false)
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            ureq::unversioned::transport::DefaultConnector::default(),
            CheckedResolver { allow_private: config.allow_private, inner: Default::default() },
        );
        Fetcher {
            agent,
            config: config.clone(),
            slots: HostSlots::default(),
            robots: Mutex::new(HashMap::new()),
            next_turn: Mutex::new(HashMap::new()),
        }
    }

    /// Fetches `url`, following redirects, under every rule of the module documentation.
    pub(crate) fn fetch(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched> {
        let mut opened = match self.open(url, validators, false)? {
            Answer::Open(opened) => opened,
            Answer::NotModified => return Ok(Fetched::NotModified),
        };
        let header = |name: &str| {
            opened.response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        let content_type = header("content-type");
        let found = Validators { etag: header("etag"), last_modified: header("last-modified") };
        let limit = self.config.max_bytes;
        let origin = opened.origin.clone();
        let bytes = opened
            .response
            .body_mut()
            .with_config()
            .limit(limit.saturating_add(1))
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    Error::TooLarge { origin: origin.clone(), limit }
                }
                e => Error::Fetch { origin: origin.clone(), source: Box::new(e) },
            })?;
        if bytes.len() as u64 > limit {
            return Err(Error::TooLarge { origin, limit });
        }
        Ok(Fetched::Page(RawPage { bytes, origin, content_type, url: Some(opened.url) }, found))
    }

    /// Requests `url` under the same rules as [`Fetcher::fetch`] and hands over the
    /// response unread, so that a caller can stream a body larger than the page cap (a
    /// sitemap) under a cap of its own.
    pub(crate) fn open_unconditional(&self, url: &str) -> Result<Opened<'_>> {
        match self.open(url, None, false)? {
            Answer::Open(opened) => Ok(*opened),
            Answer::NotModified => {
                unreachable!("an unconditional request is never answered 304")
            }
        }
    }

    /// Opens `url` for a long download read as a stream (a web-archive file of a
    /// gigabyte): the timeout applies to connecting, to the answer's head and to each read,
    /// not to the whole body, so a slow but steady transfer goes on and a stalled one stops.
    pub(crate) fn open_stream(&self, url: &str) -> Result<Opened<'_>> {
        match self.open(url, None, true)? {
            Answer::Open(opened) => Ok(*opened),
            Answer::NotModified => {
                unreachable!("an unconditional request is never answered 304")
            }
        }
    }

    /// The request itself: checks, robots.txt, pacing, the host's slot, redirects.
    /// `stream`: timeouts per read instead of for the whole request.
    fn open(&self, url: &str, validators: Option<&Validators>, stream: bool) -> Result<Answer<'_>> {
        let origin = Origin::url(url);
        let mut current = url.to_owned();
        for _ in 0..=self.config.max_redirects {
            let uri = self.check(&origin, &current)?;
            let robots = self.check_robots(&origin, &uri)?;
            let host = authority(&uri);
            self.pace(&host, robots.crawl_delay);
            let slot = self.slots.take(&host);
            let mut request = self.agent.get(&current);
            if stream {
                let t = Some(self.config.timeout);
                request = request
                    .config()
                    .timeout_global(None)
                    .timeout_connect(t)
                    .timeout_recv_response(t)
                    .timeout_per_read(t)
                    .build();
            }
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    request = request.header("If-None-Match", etag);
                }
                if let Some(lm) = &v.last_modified {
                    request = request.header("If-Modified-Since", lm);
                }
            }
            let response = request
                .call()
                .map_err(|e| Error::Fetch { origin: origin.clone(), source: Box::new(e) })?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
            };
            match status {
                200..=299 => {
                    return Ok(Answer::Open(Box::new(Opened {
                        response,
                        url: current,
                        origin,
                        slot,
                    })));
                }
                304 if validators.is_some() => return Ok(Answer::NotModified),
                301 | 302 | 303 | 307 | 308 => {
                    let Some(location) = header("location") else {
                        return Err(Error::HttpStatus { origin, status, retry_after: None });
                    };
                    current = resolve(&current, &location).ok_or_else(|| Error::BadUrl {
                        origin: origin.clone(),
                        reason: format!("redirect to an unreadable address {location:?}"),
                    })?;
                }
                _ => {
                    // "Come back later": how much later, when the server says in seconds.
                    let retry_after = matches!(status, 429 | 503)
                        .then(|| header("retry-after"))
                        .flatten()
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    return Err(Error::HttpStatus { origin, status, retry_after });
                }
            }
        }
        Err(Error::Refused {
            origin,
            reason: format!("more than {} redirects", self.config.max_redirects),
        })
    }

    /// Checks the address: an http(s) URL with a host whose addresses may be fetched.
    fn check(&self, origin: &Origin, url: &str) -> Result<ureq::http::Uri> {
        let uri = parse(origin, url)?;
        let (Some(scheme), Some(host)) = (uri.scheme_str(), uri.host()) else {
            unreachable!("parse checked the scheme and the host");
        };
        if self.config.allow_private {
            return Ok(uri.clone());
        }
        let port = uri.port_u16().unwrap_or(if scheme == "https" { 443 } else { 80 });
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<IpAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => (host, port)
                .to_socket_addrs()
                .map_err(|e| Error::BadUrl {
                    origin: origin.clone(),
                    reason: format!("cannot resolve {host}: {e}"),
                })?
                .map(|a| a.ip())
                .collect(),
        };
        if let Some(ip) = addrs.iter().find(|ip| is_private(**ip)) {
            return Err(Error::Refused {
                origin: origin.clone(),
                reason: format!(
                    "{host} is at {ip}, a private, loopback or link-local address (pass --allow-private to fetch it)"
                ),
            });
        }
        Ok(uri.clone())
    }

    /// Waits for the host's turn when its robots.txt asks for a delay between requests.
    /// Turns are handed out in order, `delay` apart, so that two workers asking at once
    /// do not both go at the end of the same wait.
    fn pace(&self, host: &str, delay: Option<Duration>) {
        let Some(delay) = delay.filter(|d| !d.is_zero()) else { return };
        let wait = {
            let mut turns = self.next_turn.lock().expect("the pacing lock is never poisoned");
            let now = Instant::now();
            let turn = turns.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            turns.insert(host.to_owned(), turn + delay.min(MAX_CRAWL_DELAY));
            turn - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// The robots.txt of the site `url` is on (fetched once per site, its address checked
    /// then).
    pub(crate) fn robots_of(&self, url: &str) -> Result<Arc<Robots>> {
        let uri = parse(&Origin::url(url), url)?;
        Ok(self.robots_for(&uri))
    }

    /// Whether the site's robots.txt lets lede fetch `url`. The address itself is not
    /// resolved here (a crawl asks this of every page a sitemap lists): the fetch checks it.
    pub(crate) fn allowed(&self, url: &str) -> Result<bool> {
        let uri = parse(&Origin::url(url), url)?;
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        Ok(self.robots_for(&uri).allows(path))
    }

    fn robots_for(&self, uri: &ureq::http::Uri) -> Arc<Robots> {
        let key = format!("{}://{}", uri.scheme_str().unwrap_or("http"), authority(uri));
        let cached =
            self.robots.lock().expect("the robots cache lock is never poisoned").get(&key).cloned();
        match cached {
            Some(r) => r,
            None => {
                let r = Arc::new(self.load_robots(&key));
                self.robots
                    .lock()
                    .expect("the robots cache lock is never poisoned")
                    .insert(key, Arc::clone(&r));
                r
            }
        }
    }

    fn check_robots(&self, origin: &Origin, uri: &ureq::http::Uri) -> Result<Arc<Robots>> {
        let robots = self.robots_for(uri);
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        if robots.allows(path) {
            Ok(robots)
        } else {
            Err(Error::Refused {
                origin: origin.clone(),
                reason: "disallowed by the site's robots.txt".into(),
            })
        }
    }

    /// The host's robots.txt; everything allowed when there is none or it cannot be read.
    fn load_robots(&self, base: &str) -> Robots {
        let url = format!("{base}/robots.txt");
        let origin = Origin::url(&url);
        if self.check(&origin, &url).is_err() {
            return Robots::default();
        }
        let host = base.split("://").nth(1).unwrap_or(base).to_owned();
        let _slot = self.slots.take(&host);
        let Ok(mut response) = self.agent.get(&url).call() else { return Robots::default() };
        if !response.status().is_success() {
            return Robots::default();
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(512 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Robots::parse(&text, "lede")
    }
}

/// `url` as a URI, if it is an http(s) URL with a host.
fn parse(origin: &Origin, url: &str) -> Result<ureq::http::Uri> {
    let uri: ureq::http::Uri = url.parse().map_err(|e: ureq::http::uri::InvalidUri| {
        Error::BadUrl { origin: origin.clone(), reason: e.to_string() }
    })?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(_)) => Ok(uri),
        _ => Err(Error::BadUrl {
            origin: origin.clone(),
            reason: "needs http:// or https:// and a host".into(),
        }),
    }
}

fn authority(uri: &ureq::http::Uri) -> String {
    uri.authority().map_or_else(String::new, |a| a.as_str().to_ascii_lowercase())
}

/// `location` made absolute against `base`.
pub(crate) fn resolve(base: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.starts_with("http://") || location.starts_with("https://") {
        return Some(location.to_owned());
    }
    let (scheme, rest) = base.split_once("://")?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    let host = &rest[..host_end];
    if let Some(stripped) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{stripped}"));
    }
    if location.starts_with('/') {
        return Some(format!("{scheme}://{host}{location}"));
    }
    let path = &rest[host_end..];
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    Some(format!("{scheme}://{host}{dir}{location}"))
}

/// Whether fetching from `ip` reaches the machine's own networks.
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space (CGNAT)
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || a.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// At most [`PER_HOST`] requests per host at a time.
#[derive(Debug, Default)]
struct HostSlots {
    busy: Mutex<HashMap<String, usize>>,
    cv: Condvar,
}

pub(crate) struct Slot<'a> {
    slots: &'a HostSlots,
    host: String,
}

impl HostSlots {
    fn take(&self, host: &str) -> Slot<'_> {
        let mut busy = self.busy.lock().expect("the host slots lock is never poisoned");
        while busy.get(host).copied().unwrap_or(0) >= PER_HOST {
            busy = self.cv.wait(busy).expect("the host slots lock is never poisoned");
        }
        *busy.entry(host.to_owned()).or_insert(0) += 1;
        Slot { slots: self, host: host.to_owned() }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.slots.busy.lock().expect("the host slots lock is never poisoned");
        if let Some(n) = busy.get_mut(&self.host) {
            *n -= 1;
            if *n == 0 {
                busy.remove(&self.host);
            }
        }
        self.slots.cv.notify_all();
    }
}

/// The rules of a robots.txt that apply to lede, and the sitemaps it lists.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Robots {
    rules: Vec<Rule>,
    /// The pause the site asks for between two requests (`Crawl-delay`, in seconds).
    pub(crate) crawl_delay: Option<Duration>,
    /// The `Sitemap:` lines, in order (they belong to no group: any agent may read them).
    pub(crate) sitemaps: Vec<String>,
}

/// One `Allow` or `Disallow` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    pattern: String,
}

/// A group of a robots.txt: the agents it names and their rules.
#[derive(Debug, Default)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

impl Robots {
    /// The rules for `agent` (a product token such as `lede`), else for `*`.
    pub(crate) fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Consecutive User-agent lines share one group.
        let mut groups: Vec<Group> = Vec::new();
        let mut sitemaps = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push(Group::default());
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.agents.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty Disallow allows everything: it adds no rule.
                        if !value.is_empty() {
                            g.rules.push(Rule { allow: key == "allow", pattern: value.to_owned() });
                        }
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    // Seconds, possibly fractional; anything else is ignored.
                    let delay = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(|s| Duration::from_secs_f64(s.min(MAX_CRAWL_DELAY.as_secs_f64())));
                    if let (Some(g), Some(d)) = (groups.last_mut(), delay) {
                        g.crawl_delay = Some(d);
                    }
                }
                "sitemap" => {
                    // The first colon ends the key, so the URL's own colon stays in the value.
                    if !value.is_empty() {
                        sitemaps.push(value.to_owned());
                    }
                }
                _ => in_agents = false,
            }
        }
        let mine =
            groups.iter().find(|g| g.agents.iter().any(|a| a != "*" && agent.contains(a.as_str())));
        let any = groups.iter().find(|g| g.agents.iter().any(|a| a == "*"));
        let group = mine.or(any);
        Robots {
            rules: group.map(|g| g.rules.clone()).unwrap_or_default(),
            crawl_delay: group.and_then(|g| g.crawl_delay),
            sitemaps,
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub(crate) fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for rule in &self.rules {
            if matches(&rule.pattern, path) {
                let len = rule.pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, rule.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// robots.txt matching: the pattern matches a prefix of the path, `*` matching any run of
/// characters; a final `$` makes it match the whole path.
fn matches(pattern: &str, path: &str) -> bool {
    let owned;
    let pattern = match pattern.strip_suffix('$') {
        Some(p) => p,
        None => {
            owned = format!("{pattern}*");
            &owned
        }
    };
    // Glob matching with backtracking to the last star: linear in practice.
    let (p, s) = (pattern.as_bytes(), path.as_bytes());
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_go_only_to_checked_addresses() {
        use ureq::unversioned::resolver::Resolver;
        let config = ureq::config::Config::default();
        let timeout = ureq::unversioned::transport::NextTimeout::default();
        // What a rebinding name resolves to at connection time: the machine itself.
        for uri in ["http://localhost:8080/", "http://127.0.0.1/", "http://[::1]:80/"] {
            let uri: ureq::http::Uri = uri.parse().unwrap();
            let strict = CheckedResolver { allow_private: false, inner: Default::default() };
            let err = strict.resolve(&uri, &config, timeout).unwrap_err().to_string();
            assert!(err.contains("private, loopback or link-local"), "{uri}: {err}");
            let open = CheckedResolver { allow_private: true, inner: Default::default() };
            assert!(open.resolve(&uri, &config, timeout).is_ok(), "{uri}");
        }
    }

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1", "100.128.0.1"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn robots_rules() {
        let text = "User-agent: *\nDisallow: /private/\nAllow: /private/open\nDisallow: /*.pdf$\n\nUser-agent: badbot\nDisallow: /\n";
        let r = Robots::parse(text, "lede");
        assert!(r.allows("/news/1"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/open/y"));
        assert!(!r.allows("/files/a.pdf"));
        assert!(r.allows("/files/a.pdf?x=1"));
        let mine = Robots::parse(
            "User-agent: lede\nUser-agent: other\nDisallow: /\nUser-agent: *\nAllow: /",
            "lede/0.1",
        );
        assert!(!mine.allows("/anything"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "lede").allows("/x"));
        assert!(Robots::parse("garbage\n\0\n", "lede").allows("/x"));
        assert!(matches("/a*b$", "/a/x/b"));
        assert!(!matches("/a*b$", "/a/x/bc"));
        assert!(matches("/a", "/abc"));
        assert!(!matches("/a$", "/abc"));
    }

    #[test]
    fn robots_crawl_delay_and_sitemaps() {
        let text = "Sitemap: https://a.example/sitemap.xml\nUser-agent: *\nCrawl-delay: 1.5\nDisallow: /x\n\nUser-agent: lede\nCrawl-delay: 2\nDisallow: /y\nsitemap:https://a.example/news.xml.gz # the news\n";
        let r = Robots::parse(text, "lede");
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
        assert!(r.allows("/x") && !r.allows("/y"));
        assert_eq!(
            r.sitemaps,
            vec!["https://a.example/sitemap.xml", "https://a.example/news.xml.gz"]
        );
        let other = Robots::parse(text, "otherbot");
        assert_eq!(other.crawl_delay, Some(Duration::from_millis(1500)));
        // A day between requests is read as the cap; nonsense is ignored.
        let long = Robots::parse("User-agent: *\nCrawl-delay: 86400\n", "lede");
        assert_eq!(long.crawl_delay, Some(MAX_CRAWL_DELAY));
        for bad in ["-1", "soon", "NaN", "inf", ""] {
            let r = Robots::parse(&format!("User-agent: *\nCrawl-delay: {bad}\n"), "lede");
            assert_eq!(r.crawl_delay, None, "{bad}");
        }
    }

    #[test]
    fn pacing_spaces_requests_to_a_host() {
        let fetcher = Fetcher::new(&ReadConfig::default());
        let delay = Duration::from_millis(150);
        let start = Instant::now();
        for _ in 0..3 {
            fetcher.pace("a.example", Some(delay));
        }
        // The first goes at once, the next two wait their turn.
        assert!(start.elapsed() >= delay * 2, "{:?}", start.elapsed());
        let other = Instant::now();
        fetcher.pace("b.example", Some(delay));
        fetcher.pace("c.example", None);
        assert!(other.elapsed() < delay, "other hosts do not wait");
    }

    #[test]
    fn resolves_redirects() {
        assert_eq!(resolve("http://a.example/x/y", "/z").as_deref(), Some("http://a.example/z"));
        assert_eq!(resolve("http://a.example/x/y", "z").as_deref(), Some("http://a.example/x/z"));
        assert_eq!(
            resolve("http://a.example/x", "https://b.example/").as_deref(),
            Some("https://b.example/")
        );
        assert_eq!(
            resolve("https://a.example/x", "//c.example/q").as_deref(),
            Some("https://c.example/q")
        );
    }
}
