//! Every API route's answer, and every error the router can be made to give (issue #13):
//! each in the error table's form, none naming the store's directory or carrying an
//! error's own text.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::HashMap;
use std::path::Path;
use tower::ServiceExt;

/// A response as the tests read it.
struct Answer {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

/// Calls `app` once, in-process.
fn call(app: &Router, method: Method, uri: &str) -> Answer {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let request = Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map_or(String::new(), |v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        Answer { status, content_type, headers, body: String::from_utf8(body.to_vec()).unwrap() }
    })
}

fn get(app: &Router, uri: &str) -> Answer {
    call(app, Method::GET, uri)
}

/// Two tellings of one story (the second reuses the first's passages, swapping a word), a
/// quote in each; ingested into `dir` the way `lede ingest` does.
fn store(dir: &Path) {
    let original = "Russia vetoed a United Nations resolution on Wednesday that would have \
        condemned the chemical attack in Syria. The vote in the Security Council was ten in \
        favour and two against, with three abstentions. \"The draft was biased from the \
        start,\" said Vassily Nebenzia. Western diplomats said Russia was shielding its ally \
        from responsibility for the deaths of dozens of civilians.";
    let spun = original.replace("Russia", "Russian Federation");
    let records = [
        serde_json::json!({"id": "wire-1", "outlet": "Wire", "date": "2017-04-12",
            "title": "Russia vetoes UN resolution on Syria attack", "text": original}),
        serde_json::json!({"id": "farm-1", "outlet": "Farm", "date": "2017-04-14",
            "title": "Russian Federation vetoes resolution", "text": spun}),
    ];
    assert_eq!(crate::support::ingest(dir, &records), 2);
}

/// The code of an error answer, after checking that nothing internal is in it and that
/// it has the table's form: JSON `{"error": {"code", "message", "detail"?}}` under
/// `/api/`, an HTML page showing the code elsewhere.
fn error_code(uri: &str, a: &Answer, dir: &Path) -> String {
    let shown = dir.display().to_string();
    assert!(!a.body.contains(&shown), "{uri} names the directory: {}", a.body);
    // An error's Debug form (`Store(NoStore { dir: ...` ) or Display text.
    let internal = [
        "lede.sqlite",
        "Error {",
        "Error(",
        "Error::",
        "NoStore",
        "NotAStore",
        "Sqlite",
        "store error",
    ];
    for internal in internal {
        assert!(!a.body.contains(internal), "{uri} carries {internal:?}: {}", a.body);
    }
    assert!(
        a.headers.contains_key(header::CONTENT_SECURITY_POLICY),
        "{uri}: an error answer has the security headers too"
    );
    if uri.starts_with("/api/") {
        assert_eq!(a.content_type, "application/json", "{uri}");
        let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        let root = v.as_object().unwrap();
        assert_eq!(root.keys().collect::<Vec<_>>(), ["error"], "{uri}: {}", a.body);
        let error = v["error"].as_object().unwrap();
        let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert!(
            keys == ["code", "message"] || keys == ["code", "detail", "message"],
            "{uri}: {}",
            a.body
        );
        assert!(!error["message"].as_str().unwrap().is_empty());
        error["code"].as_str().unwrap().to_owned()
    } else {
        assert!(a.content_type.starts_with("text/html"), "{uri}: {}", a.content_type);
        let code = a
            .body
            .split("Error code: <code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .unwrap_or_else(|| panic!("{uri}: no code shown: {}", a.body));
        code.to_owned()
    }
}

#[test]
fn issue_13_every_api_route_answers_json() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));

    let stories = get(&app, "/api/stories?min_size=1");
    assert_eq!(stories.status, StatusCode::OK, "{}", stories.body);
    let stories: serde_json::Value = serde_json::from_str(&stories.body).unwrap();
    let story = stories[0]["id"].as_u64().expect("a story");
    for uri in [
        "/api/stories".to_owned(),
        format!("/api/stories/{story}"),
        "/api/articles/farm-1".to_owned(),
        "/api/articles/farm-1/trace".to_owned(),
        "/api/search?q=resolution&limit=5".to_owned(),
        "/api/search?q=vetoed&from=2017-04-01&to=2017-04-30".to_owned(),
        "/api/quotes?limit=5".to_owned(),
        "/api/stats".to_owned(),
        "/api/openapi.json".to_owned(),
    ] {
        let a = get(&app, &uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        assert_eq!(a.content_type, "application/json", "{uri}");
        let _: serde_json::Value =
            serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{uri}: {e}: {}", a.body));
    }
    let stats: serde_json::Value = serde_json::from_str(&get(&app, "/api/stats").body).unwrap();
    assert_eq!(stats["articles"], 2, "{stats}");
    let search: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/search?q=resolution").body).unwrap();
    assert_eq!(search["total"], 2, "{search}");
    for uri in ["/", &format!("/stories/{story}"), "/articles/farm-1", "/search?q=veto"] {
        let a = get(&app, uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        assert!(a.content_type.starts_with("text/html"), "{uri}");
    }
}

#[test]
fn issue_13_every_error_has_its_code_and_names_nothing_internal() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));
    let long = format!("/api/search?q={}", "a".repeat(3000));
    let long_page = format!("/search?q={}", "a".repeat(3000));
    let cases: &[(Method, &str, u16, &str)] = &[
        (Method::GET, "/api/no-such-route", 404, "not_found"),
        (Method::GET, "/api/stories/not-a-number", 404, "not_found"),
        (Method::GET, "/api/stories/999999", 404, "not_found"),
        (Method::GET, "/api/articles/no-such-article", 404, "not_found"),
        (Method::GET, "/api/articles/no-such-article/trace", 404, "not_found"),
        (Method::GET, "/api/articles/%01", 404, "not_found"),
        (Method::GET, "/api/stories?since=yesterday", 400, "bad_date"),
        (Method::GET, "/api/search?q=x&from=", 400, "bad_date"),
        (Method::GET, "/api/search?q=x&to=2019-13-45", 400, "bad_date"),
        (Method::GET, "/api/stories?limit=many", 400, "bad_request"),
        (Method::GET, "/api/stories?limit=5000", 400, "bad_request"),
        (Method::GET, "/api/search?q=x&limit=0", 400, "bad_request"),
        (Method::GET, "/api/quotes?limit=5000", 400, "bad_request"),
        (Method::GET, &long, 414, "query_too_long"),
        (Method::POST, "/api/stories", 405, "read_only"),
        (Method::DELETE, "/api/articles/farm-1", 405, "read_only"),
        (Method::GET, "/no-such-page", 404, "not_found"),
        (Method::GET, "/stories/not-a-number", 404, "not_found"),
        (Method::GET, "/articles/no-such-article", 404, "not_found"),
        (Method::GET, "/search?q=x&from=yesterday", 400, "bad_date"),
        (Method::GET, "/search?q=x&limit=many", 400, "bad_request"),
        (Method::GET, &long_page, 414, "query_too_long"),
        (Method::POST, "/", 405, "read_only"),
    ];
    // Each code has one message, wherever it is given.
    let mut messages: HashMap<String, String> = HashMap::new();
    for (method, uri, status, code) in cases {
        let a = call(&app, method.clone(), uri);
        let short = uri.get(..60).unwrap_or(uri);
        assert_eq!(a.status.as_u16(), *status, "{method} {short}: {}", a.body);
        assert_eq!(error_code(short, &a, dir.path()), *code, "{method} {short}");
        if *status == 405 {
            assert_eq!(a.headers[header::ALLOW], "GET, HEAD", "{uri}");
        }
        if uri.starts_with("/api/") {
            let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
            let message = v["error"]["message"].as_str().unwrap().to_owned();
            let known = messages.entry((*code).to_owned()).or_insert_with(|| message.clone());
            assert_eq!(*known, message, "{code}");
        }
    }

    // The public detail says what was wrong with this request, in words this crate chose.
    let a = get(&app, "/api/stories/999999");
    assert_eq!(
        a.body,
        r#"{"error":{"code":"not_found","message":"Nothing here: no such page, route, article or story.","detail":"no story"}}"#
    );
    let a = get(&app, "/api/stories?since=yesterday");
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(v["error"]["detail"], "\"yesterday\" is not a date");
    // The page escapes the date it quotes back.
    let a = get(&app, "/search?q=x&from=%3Cb%3E");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("&quot;&lt;b&gt;&quot; is not a date"), "{}", a.body);
}

#[test]
fn issue_13_a_missing_store_is_503_and_a_broken_one_500_without_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let none = lede_server::router(&dir.path().join("no-store-here"));
    for uri in ["/api/stats", "/api/stories", "/api/search?q=x", "/", "/articles/x"] {
        let a = get(&none, uri);
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {}", a.body);
        assert_eq!(error_code(uri, &a, dir.path()), "no_store", "{uri}");
    }
    // Not a database: the store's error names the directory and SQLite's complaint; the
    // client hears only `internal`.
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("lede.sqlite"), "this is not a database, it is a text file\n")
        .unwrap();
    let broken = lede_server::router(&broken);
    for uri in ["/api/stats", "/api/articles/x", "/", "/search?q=x"] {
        let a = get(&broken, uri);
        assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}: {}", a.body);
        assert_eq!(error_code(uri, &a, dir.path()), "internal", "{uri}");
        assert!(!a.body.contains("database"), "{uri}: {}", a.body);
    }
}

#[test]
fn issue_14_atom_feeds_of_stories_and_searches_read_as_feeds() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));
    let a = get(&app, "/stories.atom?min_size=1");
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.content_type, "application/atom+xml; charset=utf-8");
    // What a feed reader sees: one entry per story (the two tellings are one story).
    let feed = feed_rs::parser::parse(a.body.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 1, "{}", a.body);
    let entry = &feed.entries[0];
    assert!(entry.title.as_ref().unwrap().content.contains("vetoes"), "{}", a.body);
    assert!(entry.links[0].href.contains("/stories/"), "{}", a.body);
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2017-04-14T00:00:00+00:00");
    assert!(a.body.contains("2 articles from 2 outlets"), "{}", a.body);

    let s = get(&app, "/search.atom?q=resolution");
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let feed = feed_rs::parser::parse(s.body.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 2, "{}", s.body);
    assert!(feed.entries.iter().all(|e| e.links[0].href.contains("/articles/")));
    // The feeds page: none followed in this store, and a link to subscribe.
    let page = get(&app, "/feeds");
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("No feed followed yet") && page.body.contains("/stories.atom"));
    // Bad parameters are the pages' errors, not a broken feed.
    let bad = get(&app, "/stories.atom?since=soon");
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.content_type.starts_with("text/html"));
}
