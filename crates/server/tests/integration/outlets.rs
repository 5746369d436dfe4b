//! Issues 16 and 18: the outlet pages and their API over a store where one outlet (whose
//! name is markup and needs encoding in a URL) republishes another's story with a
//! spinner's swaps; an unknown outlet; the "still computing" state; a store that changes.

use crate::support::get_body;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lede_server::{NetworkSettings, Source};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The farm's name: markup, an ampersand and a quote.
const FARM: &str = "Farm <b>&\"";
/// The farm's name percent-encoded, as the pages link it.
const FARM_URL: &str = "Farm%20%3Cb%3E%26%22";

const WIRE_TEXT: &str = "Russia vetoed a United Nations resolution on Wednesday that would \
    have condemned the chemical attack in Syria, officials said. The vote in the Security \
    Council was ten in favour and two against, with three abstentions, the government said. \
    Western diplomats said Russia was shielding its ally from responsibility for the deaths \
    of dozens of people. \"The draft was biased from the start,\" said Vassily Nebenzia.";

/// A wire story, the farm's spun copy of it two days later, and an unrelated story of a
/// third outlet.
fn store(dir: &Path) {
    let spun = WIRE_TEXT
        .replace("Russia ", "Russian Federation ")
        .replace(" said", " stated")
        .replace("people", "individuals")
        .replace("government", "administration");
    let records = [
        serde_json::json!({"id": "wire-1", "outlet": "Wire", "date": "2017-04-12",
            "title": "Russia vetoes UN resolution on Syria attack", "text": WIRE_TEXT}),
        serde_json::json!({"id": "farm-1", "outlet": FARM, "date": "2017-04-14",
            "author": "Cecelia Webb", "title": "Russian Federation vetoes resolution",
            "text": spun}),
        serde_json::json!({"id": "local-1", "outlet": "Daily Local", "date": "2017-04-13",
            "title": "Harbour reopens", "text": "Fishing boats returned to the harbour on \
            Thursday for the first time since the storm, after divers cleared the wreck that \
            had blocked the channel for a month."}),
    ];
    assert_eq!(crate::support::ingest(dir, &records), 3);
}

/// Status, `Retry-After` and body of a GET.
fn call(app: &Router, uri: &str) -> (StatusCode, Option<String>, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let retry =
            response.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        (status, retry, String::from_utf8(body.to_vec()).unwrap())
    })
}

/// `/api/outlets` once the network of the store as it is now is ready.
fn current_network(app: &Router) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, _, body) = call(app, "/api/outlets");
        if status == StatusCode::OK {
            let v: Value = serde_json::from_str(&body).unwrap();
            if v["computed"]["current"] == true {
                return v;
            }
        } else {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        }
        assert!(Instant::now() < deadline, "the network never became ready: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn no_wait(dir: &Path) -> Router {
    let settings = NetworkSettings { wait: Duration::ZERO, ..NetworkSettings::default() };
    lede_server::router_over(Source::dir(&dir.join("store")).with_network(settings))
}

#[test]
fn issue_16_outlet_pages_show_who_copies_whom() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));
    let n = current_network(&app);
    assert_eq!((n["articles"].as_u64(), n["traced"].as_u64()), (Some(3), Some(3)), "{n:#}");
    assert_eq!(n["computed"]["sample"], Value::Null);
    let edges = n["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{n:#}");
    assert_eq!(
        (edges[0]["copier"].as_str(), edges[0]["source"].as_str()),
        (Some(FARM), Some("Wire"))
    );
    assert_eq!(edges[0]["spun_articles"], 1, "{n:#}");
    // The copy behind the edge.
    let pair = &edges[0]["pairs"][0];
    assert_eq!(
        (pair["copy"]["record_id"].as_str(), pair["source"]["record_id"].as_str()),
        (Some("farm-1"), Some("wire-1")),
        "{n:#}"
    );
    assert_eq!(pair["spun"], true, "{n:#}");
    let wire_id = pair["source"]["id"].as_str().unwrap().to_owned();

    // One outlet's part, by its encoded name.
    let (status, _, farm) = call(&app, &format!("/api/outlets/{FARM_URL}"));
    assert_eq!(status, StatusCode::OK, "{farm}");
    let farm: Value = serde_json::from_str(&farm).unwrap();
    assert_eq!(farm["outlet"]["name"], FARM);
    assert_eq!(farm["copies_from"][0]["source"], "Wire");
    assert_eq!(farm["copied_by"].as_array().unwrap().len(), 0);
    assert!(farm["outlet"]["spin_rate"].as_f64().unwrap() > 0.99, "{farm:#}");
    let (_, _, wire) = call(&app, "/api/outlets/Wire");
    let wire: Value = serde_json::from_str(&wire).unwrap();
    assert_eq!(wire["copied_by"][0]["copier"], FARM, "{wire:#}");
    assert_eq!(wire["outlet"]["reused_by_others"], 1, "{wire:#}");

    // The list: every outlet linked by its encoded name, the name escaped.
    let (status, page) = get_body(&app, "/outlets");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("href=\"/outlets/{FARM_URL}\"")), "{page}");
    assert!(page.contains("Farm &lt;b&gt;&amp;&quot;"), "{page}");
    assert!(!page.contains("<b>&"), "{page}");
    assert!(
        page.contains("href=\"/outlets/Daily%20Local\"") && page.contains("over all 3 articles")
    );

    // The farm's page: its numbers, the graph (its source on the left, the edge marked
    // spun), the table behind it, its byline and its article.
    let (status, page) = get_body(&app, &format!("/outlets/{FARM_URL}"));
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("<b>&"), "{page}");
    let svg = &page[page.find("<svg").expect("a graph")..page.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"figure\"") && svg.contains("<desc"), "{svg}");
    assert!(svg.contains("class=\"e spun\""), "{svg}");
    assert!(svg.contains("href=\"/outlets/Wire\""), "{svg}");
    assert!(svg.contains("Farm &lt;b&gt;&amp;&quot; copies Wire: 1 articles"), "{svg}");
    let details = &page[page.find("<details>").expect("the table")..];
    assert!(details.contains("<td>copies from</td><td>Wire</td>"), "{details}");
    assert!(page.contains("copies from 1 outlet and is copied by 0."), "{page}");
    assert!(page.contains("Cecelia Webb (1)"), "{page}");
    assert!(page.contains("Russian Federation vetoes resolution"), "the copy: {page}");
    assert!(page.contains(&format!("href=\"/articles/{wire_id}\"")), "its source: {page}");
    assert!(page.contains("Russia vetoes UN resolution on Syria attack"), "{page}");
    // The wire's page has the farm on the copiers' side.
    let (_, page) = get_body(&app, "/outlets/Wire");
    assert!(page.contains("copied by 1"), "{page}");
    assert!(page.contains(&format!("href=\"/outlets/{FARM_URL}\"")), "{page}");

    // Article and story pages link their outlets.
    let (_, article) = get_body(&app, "/articles/farm-1");
    assert!(article.contains(&format!("href=\"/outlets/{FARM_URL}\"")), "{article}");
    assert!(article.contains("href=\"/outlets/Wire\""), "the source's outlet: {article}");
}

#[test]
fn issue_16_an_unknown_outlet_is_404_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));
    current_network(&app);
    let (status, page) = get_body(&app, "/outlets/No%20%3Cone%3E");
    assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
    assert!(page.contains("no outlet named “No &lt;one&gt;” in the copy network"), "{page}");
    let (status, _, body) = call(&app, "/api/outlets/Nobody");
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
    assert_eq!(v["error"]["detail"], "no outlet named “Nobody” in the copy network");
    // A control character is no outlet's name.
    let (status, _, _) = call(&app, "/api/outlets/%01");
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn issue_16_while_computing_the_pages_say_so_and_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    // The first request starts the computation and does not wait for it.
    let app = no_wait(dir.path());
    let (status, page) = get_body(&app, "/outlets");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains(
            "The outlet copy network is being computed: tracing the store's 3 articles since "
        ),
        "{page}"
    );
    assert!(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"), "{page}");
    // An outlet's page says the same, not "no such outlet".
    let (status, page) = get_body(&app, "/outlets/Wire");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("being computed") || page.contains("copied by 1"), "{page}");
    // Once ready, the page shows the network: the "computing" answer was not kept.
    current_network(&app);
    let (_, page) = get_body(&app, "/outlets");
    assert!(page.contains("href=\"/outlets/Wire\"") && !page.contains("being computed"), "{page}");
    assert!(!page.contains("http-equiv"), "{page}");

    // The API, on a fresh server: 503 `computing`, how far along, when to ask again.
    let app = no_wait(dir.path());
    let (status, retry, body) = call(&app, "/api/outlets");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(retry.as_deref(), Some("5"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "computing", "{v}");
    assert!(
        v["error"]["detail"].as_str().unwrap().starts_with("tracing the store's 3 articles since ")
    );
    current_network(&app);

    // The store changes: the older network is served at once, marked so, while the new one
    // is computed; then the new one.
    let more = [serde_json::json!({"id": "local-2", "outlet": "Daily Local", "date": "2017-04-15",
        "title": "Ferry timetable", "text": "The ferry to the islands runs twice a day from \
        Monday, the harbour office said, after the summer timetable was agreed with the crews."})];
    assert_eq!(crate::support::ingest(dir.path(), &more), 1);
    // The page cache looks at the store once a second at most.
    std::thread::sleep(Duration::from_millis(1100));
    let (status, _, body) = call(&app, "/api/outlets");
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["computed"]["current"].as_bool(), v["articles"].as_u64()),
        (Some(false), Some(3))
    );
    assert!(
        v["computed"]["recomputing"].as_str().unwrap().contains("the store's 4 articles"),
        "{v}"
    );
    let (_, page) = get_body(&app, "/outlets");
    assert!(
        page.contains("The store has changed since") || page.contains("over all 4 articles"),
        "{page}"
    );
    assert_eq!(current_network(&app)["articles"], 4);
    let (_, page) = get_body(&app, "/outlets");
    assert!(page.contains("over all 4 articles") && !page.contains("changed since"), "{page}");
}

#[test]
fn issue_16_a_large_store_is_traced_on_a_sample_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let settings = NetworkSettings { sample_over: 2, ..NetworkSettings::default() };
    let app =
        lede_server::router_over(Source::dir(&dir.path().join("store")).with_network(settings));
    let n = current_network(&app);
    assert_eq!((n["articles"].as_u64(), n["traced"].as_u64()), (Some(3), Some(2)), "{n:#}");
    assert_eq!(n["computed"]["sample"], 2);
    let (_, page) = get_body(&app, "/outlets");
    assert!(page.contains("on a sample of 2 of the 3 articles"), "{page}");
}
