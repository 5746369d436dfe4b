//! `lede crawl` against a local server that counts what it is asked for (issue #14).

use crate::support::{LoggedServer, Route, data, run_bounded, serve_logged};
use std::io::Write;
use std::path::Path;

/// Seconds any one crawl may take.
const BOUND: u64 = 120;

/// An article page dated `date` (its own metadata), about `topic`.
fn page(topic: &str, date: &str) -> Vec<u8> {
    format!(
        "<html><head><title>{topic}</title><meta property=\"article:published_time\" content=\"{date}\"></head>\
         <body><article><h1>{topic}</h1><p>The {topic} story: the council met on Tuesday and approved the plan \
         after a long debate about the budget for {topic}.</p><p>Work starts in the spring, the mayor said, and \
         should last about two years. The new road will link the station to the hospital and the university, \
         with a bus lane and a cycle path on each side.</p></article></body></html>"
    )
    .into_bytes()
}

fn xml(path: &'static str, body: impl Into<Vec<u8>>) -> Route {
    Route { content_type: "application/xml", ..Route::new(path, "200 OK", body) }
}

fn robots(body: String) -> Route {
    Route { content_type: "text/plain", ..Route::new("/robots.txt", "200 OK", body) }
}

fn urlset(entries: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">{entries}</urlset>"
    )
}

fn url(base: &str, path: &str, lastmod: Option<&str>) -> String {
    let lastmod = lastmod.map(|d| format!("<lastmod>{d}</lastmod>")).unwrap_or_default();
    format!("<url><loc>{base}{path}</loc>{lastmod}</url>")
}

fn index(locs: &[String]) -> String {
    let entries: String =
        locs.iter().map(|l| format!("<sitemap><loc>{l}</loc></sitemap>")).collect();
    format!(
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{entries}</sitemapindex>"
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `lede crawl --json --allow-private ARGS…` on the store in `dir`: exit code, summary,
/// standard error.
pub(crate) fn crawl(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut cmd = data(dir);
    cmd.args(["crawl", "--json", "--allow-private", "--timeout", "10"]).args(args);
    let (code, out, err) = run_bounded(&mut cmd, BOUND);
    let summary = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    (code, summary, err)
}

/// A site whose robots.txt names a sitemap index, which lists a gzipped sitemap and a news
/// sitemap.
pub(crate) fn news_site() -> LoggedServer {
    serve_logged(|base| {
        vec![
            robots(format!(
                "User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n"
            )),
            xml(
                "/sitemap_index.xml",
                index(&[format!("{base}/pages.xml.gz"), format!("{base}/news.xml")]),
            ),
            Route {
                content_type: "application/gzip",
                ..Route::new(
                    "/pages.xml.gz",
                    "200 OK",
                    gzip(
                        urlset(&format!(
                            "{}{}",
                            url(base, "/a", Some("2019-02-01")),
                            url(base, "/b", Some("2019-02-02T10:00:00+00:00"))
                        ))
                        .as_bytes(),
                    ),
                )
            },
            xml(
                "/news.xml",
                urlset(&format!(
                    "<url><loc>{base}/n1</loc><news:news><news:publication><news:name>Example</news:name>\
                     <news:language>en</news:language></news:publication>\
                     <news:publication_date>2019-02-03</news:publication_date>\
                     <news:title>Harbour plan</news:title></news:news></url>"
                )),
            ),
            // Its canonical address is not the one the sitemap lists.
            Route::new(
                "/a",
                "200 OK",
                String::from_utf8(page("bridge", "2019-02-01")).unwrap().replace(
                    "<title>",
                    &format!("<link rel=\"canonical\" href=\"{base}/2019/bridge\"><title>"),
                ),
            ),
            // Listed at an address that redirects.
            Route {
                headers: vec!["Location: /2019/tunnel".into()],
                ..Route::new("/b", "301 Moved Permanently", "")
            },
            Route::new("/2019/tunnel", "200 OK", page("tunnel", "2019-02-02")),
            Route::new("/n1", "200 OK", page("harbour", "2019-02-03")),
        ]
    })
}

#[test]
fn crawl_finds_sitemaps_through_robots_reads_indexes_gzip_and_news() {
    let site = news_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, summary, err) = crawl(dir.path(), &[&site.base]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert_eq!(summary["sitemaps"], 3, "{summary:#}");
    assert_eq!(summary["listed"], 3);
    assert_eq!(summary["fetched"], 3);
    assert_eq!(summary["pages"]["added"], 3, "{summary:#}");
    for path in
        ["/robots.txt", "/sitemap_index.xml", "/pages.xml.gz", "/news.xml", "/a", "/b", "/n1"]
    {
        assert_eq!(site.count(path), 1, "{path}: {:?}", site.requests());
    }
    let (code, out, _) =
        run_bounded(data(dir.path()).args(["show", "--json", &format!("{}/n1", site.base)]), BOUND);
    assert_eq!(code, 0);
    assert!(out.contains("harbour"), "{out}");
}

#[test]
fn a_second_crawl_fetches_no_stored_page_again() {
    let site = news_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, first, _) = crawl(dir.path(), &[&site.base]);
    assert_eq!((code, first["pages"]["added"].as_u64()), (0, Some(3)), "{first:#}");
    let before = site.requests().len();
    let (code, again, err) = crawl(dir.path(), &[&site.base]);
    assert_eq!(code, 0, "{again:#}\n{err}");
    assert_eq!(again["already_stored"], 3, "{again:#}");
    assert_eq!(again["fetched"], 0);
    assert_eq!(again["pages"]["added"], 0);
    // Only the sitemaps were read again (robots.txt is read once per run).
    let later: Vec<String> = site.requests()[before..].to_vec();
    assert!(
        later.iter().all(|p| p == "/robots.txt" || p.ends_with(".xml") || p.ends_with(".xml.gz")),
        "{later:?}"
    );
    // Not even the page whose canonical address differs, nor the one that redirects:
    // the addresses it was fetched at are stored beside its own.
    for path in ["/a", "/b", "/2019/tunnel", "/n1"] {
        assert_eq!(site.count(path), 1, "{path} fetched again: {:?}", site.requests());
    }
}

#[test]
fn dates_outside_the_range_are_never_requested() {
    let site = serve_logged(|base| {
        vec![
            xml(
                "/sitemap.xml",
                urlset(&format!(
                    "{}{}{}<url><loc>{base}/spun</loc><lastmod>2019-03-01</lastmod><news:news>\
                     <news:publication_date>2015-06-01</news:publication_date></news:news></url>",
                    url(base, "/old", Some("2018-12-31")),
                    url(base, "/new", Some("2019-03-01T08:00:00Z")),
                    url(base, "/undated", None),
                )),
            ),
            Route::new("/old", "200 OK", page("old", "2018-12-31")),
            Route::new("/new", "200 OK", page("new", "2019-03-01")),
            // No date in the sitemap: fetched, then judged by its own date.
            Route::new("/undated", "200 OK", page("undated", "2017-04-16")),
            Route::new("/spun", "200 OK", page("spun", "2015-06-01")),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let sitemap = format!("{}/sitemap.xml", site.base);
    let (code, summary, err) =
        crawl(dir.path(), &["--since", "2019-01-01", "--until", "2019-12-31", &sitemap]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    // The news publication date wins over lastmod: /spun is from 2015.
    assert_eq!(summary["out_of_range"], 2, "{summary:#}");
    assert_eq!(summary["fetched"], 2);
    assert_eq!(summary["pages"]["added"], 1);
    assert_eq!(summary["pages"]["filtered"], 1, "/undated, by its own date");
    assert_eq!(site.count("/old"), 0, "{:?}", site.requests());
    assert_eq!(site.count("/spun"), 0, "{:?}", site.requests());
    assert_eq!((site.count("/new"), site.count("/undated")), (1, 1));
    // Another host only: every page is left out before it is fetched.
    let before = site.requests().len();
    let other = tempfile::tempdir().unwrap();
    let (code, hosts, err) = crawl(other.path(), &["--host", "*.other.example", &sitemap]);
    assert_eq!(code, 0, "{hosts:#}\n{err}");
    assert_eq!((hosts["out_of_range"].as_u64(), hosts["fetched"].as_u64()), (Some(4), Some(0)));
    let later: Vec<String> = site.requests()[before..].to_vec();
    assert!(later.iter().all(|p| p == "/robots.txt" || p == "/sitemap.xml"), "{later:?}");
    // A bad date is bad usage, and nothing is fetched.
    let before = site.requests().len();
    let (code, _, err) = run_bounded(
        data(dir.path()).args(["crawl", "--allow-private", "--since", "someday", &sitemap]),
        BOUND,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a date"), "{err}");
    assert_eq!(site.requests().len(), before);
}

#[test]
fn a_sitemap_index_listing_itself_ends_with_a_message() {
    let site = serve_logged(|base| {
        vec![
            xml(
                "/index.xml",
                index(&[
                    format!("{base}/index.xml"),
                    format!("{base}/other-index.xml"),
                    format!("{base}/pages.xml"),
                ]),
            ),
            // A cycle of two indexes, too.
            xml("/other-index.xml", index(&[format!("{base}/index.xml")])),
            xml("/pages.xml", urlset(&url(base, "/a", None))),
            Route::new("/a", "200 OK", page("bridge", "2019-02-01")),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, summary, err) = crawl(dir.path(), &[&format!("{}/index.xml", site.base)]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert_eq!(summary["pages"]["added"], 1);
    assert_eq!(summary["warnings"].as_array().unwrap().len(), 2, "{summary:#}");
    assert!(err.contains("a sitemap already read in this crawl (a cycle)"), "{err}");
    assert_eq!(site.count("/index.xml"), 1, "{:?}", site.requests());
    assert_eq!(site.count("/other-index.xml"), 1);
}

#[test]
fn a_disallowed_page_listed_in_a_sitemap_is_never_fetched() {
    let site = serve_logged(|base| {
        vec![
            robots(format!("User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n")),
            xml(
                "/sitemap.xml",
                urlset(&format!("{}{}", url(base, "/private/secret", None), url(base, "/a", None))),
            ),
            Route::new("/private/secret", "200 OK", page("secret", "2019-02-01")),
            Route::new("/a", "200 OK", page("bridge", "2019-02-01")),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, summary, err) = crawl(dir.path(), &[&site.base]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert_eq!((summary["disallowed"].as_u64(), summary["fetched"].as_u64()), (Some(1), Some(1)));
    assert_eq!(summary["pages"]["added"], 1);
    assert_eq!(site.count("/private/secret"), 0, "{:?}", site.requests());
}

#[test]
fn a_gzip_bomb_sitemap_is_refused_while_decompressing() {
    // 60 MiB of XML comments, 1 MiB gzip members repeated (a gzip file may hold many
    // members): about 100 KiB on the wire.
    let mut bomb = gzip(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    let comment = format!("<!--{}-->", "a".repeat(512 << 10));
    let member = gzip(comment.repeat(2).as_bytes());
    for _ in 0..60 {
        bomb.extend_from_slice(&member);
    }
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let site = serve_logged(move |_| {
        vec![Route {
            content_type: "application/gzip",
            ..Route::new("/bomb.xml.gz", "200 OK", bomb)
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, summary, err) = crawl(dir.path(), &[&format!("{}/bomb.xml.gz", site.base)]);
    assert_eq!(code, 1, "nothing could be read: {summary:#}\n{err}");
    assert!(
        err.contains("bomb.xml.gz: sitemap larger than 50 MiB uncompressed"),
        "the message names the sitemap and the limit: {err}"
    );
    assert_eq!(summary["listed"], 0);
}

#[test]
fn an_oversize_sitemap_is_cut_at_the_protocol_limit() {
    let site = serve_logged(|base| {
        let entries: String = (0..50_001).map(|i| url(base, &format!("/p{i}"), None)).collect();
        vec![
            xml("/big.xml", urlset(&entries)),
            Route::new("/p0", "200 OK", page("bridge", "2019-02-01")),
            Route::new("/p1", "200 OK", page("tunnel", "2019-02-02")),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, summary, err) =
        crawl(dir.path(), &["--max-pages", "2", &format!("{}/big.xml", site.base)]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert!(
        err.contains("big.xml: sitemap lists more than 50000 URLs, the sitemap protocol's limit"),
        "{err}"
    );
    assert_eq!(summary["sitemaps_partial"], 1);
    assert_eq!(summary["max_pages_reached"], true);
    assert_eq!(
        (summary["fetched"].as_u64(), summary["pages"]["added"].as_u64()),
        (Some(2), Some(2))
    );
    let pages = site.requests().iter().filter(|p| p.starts_with("/p")).count();
    assert_eq!(pages, 2, "--max-pages 2");
    // Strict: the cut sitemap fails the run.
    let (code, _, _) =
        crawl(dir.path(), &["--strict", "--max-pages", "1", &format!("{}/big.xml", site.base)]);
    assert_eq!(code, 1);
}

#[test]
fn robots_crawl_delay_spaces_the_requests() {
    let site = serve_logged(|base| {
        vec![
            robots(format!("User-agent: *\nCrawl-delay: 1\nSitemap: {base}/sitemap.xml\n")),
            xml(
                "/sitemap.xml",
                urlset(&format!("{}{}", url(base, "/a", None), url(base, "/b", None))),
            ),
            Route::new("/a", "200 OK", page("bridge", "2019-02-01")),
            Route::new("/b", "200 OK", page("tunnel", "2019-02-02")),
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let (code, summary, err) = crawl(dir.path(), &[&site.base]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert_eq!(summary["pages"]["added"], 2);
    // The sitemap, then each page, a second apart.
    assert!(start.elapsed() >= std::time::Duration::from_secs(2), "{:?}", start.elapsed());
}

#[test]
fn pages_are_fetched_ahead_at_most_two_at_a_time_per_host() {
    const PAGES: [&str; 6] = ["/p1", "/p2", "/p3", "/p4", "/p5", "/p6"];
    let site = serve_logged(|base| {
        let entries: String = PAGES.iter().map(|p| url(base, p, None)).collect();
        let mut routes = vec![xml("/sitemap.xml", urlset(&entries))];
        for (i, p) in PAGES.iter().enumerate() {
            // Each page takes a second to answer, so that requests overlap when they can.
            let body = page(
                ["bridge", "tunnel", "harbour", "station", "airport", "ferry"][i],
                "2019-02-01",
            );
            routes.push(Route { delay: 1, ..Route::new(p, "200 OK", body) });
        }
        routes
    });
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let (code, summary, err) = crawl(dir.path(), &[&format!("{}/sitemap.xml", site.base)]);
    assert_eq!(code, 0, "{summary:#}\n{err}");
    assert_eq!(summary["pages"]["added"], 6, "in input order, whatever order they came in");
    // Four fetchers, one host: two at a time, never more.
    assert_eq!(site.peak_in_flight(), 2, "{:?}", site.requests());
    assert!(start.elapsed() < std::time::Duration::from_secs(6), "{:?}", start.elapsed());
}
