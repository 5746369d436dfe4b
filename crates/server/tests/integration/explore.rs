//! The reader as an investigation tool (issue 18): time windows on the list pages, the
//! store's and a story's charts, entity pages, grouped quotes, and the 400s for bad
//! windows.

use crate::support::{get_body, ingest};
use axum::http::StatusCode;
use std::path::Path;

const VETO: &str = "Russia vetoed a United Nations resolution on Wednesday that would have \
    condemned the chemical attack in Syria. The vote in the Security Council was ten in \
    favour and two against, with three abstentions. \"The draft was biased from the \
    start,\" said Vassily Nebenzia. Western diplomats said Russia was shielding its ally \
    from responsibility for the deaths of dozens of civilians.";

const FLOODS: &str = "Floods in the Po valley forced thousands of residents from their \
    homes on Monday as the river rose above its banks near Ferrara. Emergency crews \
    worked through the night to shore up levees along the river. \"We have never seen \
    water this high,\" said Giulia Bianchi, the mayor of a nearby town. Forecasters \
    expect more rain across northern Italy this week.";

/// Two stories a month apart: the veto told by three outlets (the newest week of the
/// store) and the floods told by two; and a record without a headline.
fn store(dir: &Path) {
    let records = [
        serde_json::json!({"id": "wire-1", "outlet": "Wire", "date": "2017-04-12",
            "title": "Russia vetoes UN resolution on Syria attack", "text": VETO}),
        serde_json::json!({"id": "farm-1", "outlet": "Farm", "date": "2017-04-14",
            "title": "Russian Federation vetoes resolution",
            "text": VETO.replace("Russia ", "Russian Federation ")}),
        serde_json::json!({"id": "post-1", "outlet": "Post", "date": "2017-04-13",
            "title": "Veto at the Security Council", "text": VETO}),
        serde_json::json!({"id": "po-1", "outlet": "Wire", "date": "2017-03-06",
            "title": "Floods force thousands from homes in the Po valley", "text": FLOODS}),
        serde_json::json!({"id": "po-2", "outlet": "Post", "date": "2017-03-07",
            "title": "Po valley floods", "text": FLOODS}),
        serde_json::json!({"id": "bare-1", "outlet": "Blog", "date": "2017-03-08",
            "text": "Levees held along the river near Ferrara overnight, officials said. \
                     The water began to fall by the morning."}),
    ];
    assert_eq!(ingest(dir, &records), 6);
}

fn app() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let app = lede_server::router(&dir.path().join("store"));
    (dir, app)
}

fn ok(app: &axum::Router, uri: &str) -> String {
    let (status, body) = get_body(app, uri);
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

fn title(body: &str) -> &str {
    body.split("<title>").nth(1).and_then(|s| s.split("</title>").next()).unwrap()
}

#[test]
fn the_front_page_opens_on_the_newest_week_with_articles_and_steps_through_windows() {
    let (_dir, app) = app();
    let front = ok(&app, "/");
    // The newest article is of 2017-04-14: its week, whatever the wall clock says.
    assert_eq!(title(&front), "Stories, 2017-04-08 – 2017-04-14 · lede");
    assert!(front.contains("Russia vetoes UN resolution"), "{front}");
    assert!(!front.contains("Po valley"), "an older story in the newest week: {front}");
    assert!(front.contains("3 articles from 3 outlets in this window"), "{front}");
    assert!(front.contains("href=\"/?from=2017-04-01&amp;to=2017-04-07\" rel=\"prev\""), "{front}");
    assert!(front.contains("href=\"/?from=2017-04-01&amp;to=2017-04-30\">month"), "{front}");
    // The histogram over the whole store: a bar a day, each opening its day, with its
    // text alternative and its table.
    assert!(front.contains("<svg class=\"chart\" role=\"figure\""), "{front}");
    assert!(front.contains("<a href=\"/?from=2017-03-06&amp;to=2017-03-06\">"), "{front}");
    assert!(front.contains("6 articles from 2017-03-06 to 2017-04-14, a bar a day"), "{front}");
    assert!(front.contains("<summary>The chart as a table</summary>"), "{front}");

    let march = ok(&app, "/?from=2017-03-01&to=2017-03-31");
    assert_eq!(title(&march), "Stories, 2017-03-01 – 2017-03-31 · lede");
    assert!(march.contains("Po valley"), "{march}");
    assert!(!march.contains("Russia vetoes"), "{march}");
    assert!(march.contains("href=\"/?from=2017-04-01&amp;to=2017-04-30\" rel=\"next\""), "{march}");
    let empty = ok(&app, "/?from=2016-01-01&to=2016-01-07");
    assert!(empty.contains("No article of the store is dated in this window"), "{empty}");
}

#[test]
fn bad_windows_and_pages_get_a_400_naming_what_is_wrong() {
    let (_dir, app) = app();
    for (uri, says) in [
        ("/?from=2017-04-14&to=2017-04-01", "from (2017-04-14) is after to (2017-04-01)"),
        ("/?from=yesterday", "from=&quot;yesterday&quot; is not a date"),
        ("/?from=2017-02-30", "is not a date"),
        ("/?from=0001-01-01&to=9999-12-31", "days long: at most 366"),
        ("/?page=0", "pages are 1 to 1000"),
        ("/?page=x", "page are dates and a page number"),
        ("/search?q=veto&from=2017-04-14&to=2017-04-01", "from is after to"),
        ("/search?q=veto&page=11", "the best 10 pages"),
        ("/quotes?from=2017-04-14&to=2017-04-01", "is after to"),
        ("/entities/Russia?page=-1", "page is a number"),
    ] {
        let (status, body) = get_body(&app, uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(says), "{uri}: {body}");
    }
    let (status, body) = get_body(&app, "/api/quotes/groups?from=nope");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("\"bad_date\""), "{body}");
}

#[test]
fn a_story_page_draws_its_articles_per_day_by_outlet() {
    let (_dir, app) = app();
    let stories: serde_json::Value =
        serde_json::from_str(&ok(&app, "/api/stories?min_size=3")).unwrap();
    let id = stories[0]["id"].as_u64().expect("the veto story");
    let page = ok(&app, &format!("/stories/{id}"));
    assert!(page.contains("<svg class=\"chart\" role=\"img\""), "{page}");
    assert!(page.contains("3 articles from 2017-04-12 to 2017-04-14, a bar a day"), "{page}");
    // Stacked by outlet, with a legend naming them.
    assert_eq!(page.matches("<rect class=\"c").count(), 3, "{page}");
    for outlet in ["Wire", "Farm", "Post"] {
        assert!(page.contains(&format!("</span> {outlet}</li>")), "{outlet}: {page}");
    }
    assert!(page.contains("When each outlet joined and left (3 outlets)"), "{page}");
    assert!(page.contains("<td>2017-04-13</td><td>2017-04-13</td>"), "{page}");
    // Its timeline pages (100 articles a page): one page here, no pager; a bad page is a 400.
    assert!(!page.contains("aria-label=\"Pages\""), "{page}");
    let (status, body) = get_body(&app, &format!("/stories/{id}?page=0"));
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[test]
fn issue_18_the_names_beside_a_big_name_are_counted_in_its_newest_articles() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let lib = lede_engine::Library::open(&dir.path().join("store")).unwrap();
    // Russia is in three articles: over all of them, and over its newest one.
    let whole = lib.entity("Russia", 10, (15, 20, 20), (0, 30)).unwrap().unwrap();
    assert!(!whole.sampled.companions);
    let syria = |p: &lede_engine::EntityPage| {
        p.companions.iter().find(|c| c.name == "Syria").map(|c| c.articles)
    };
    assert_eq!(syria(&whole), Some(3), "{:?}", whole.companions);
    let newest = lib.entity("Russia", 10, (15, 1, 20), (0, 30)).unwrap().unwrap();
    assert!(newest.sampled.companions, "{:?}", newest.sampled);
    assert_eq!(newest.companion_sample, 1);
    assert_eq!(syria(&newest), Some(1), "{:?}", newest.companions);
    // The rest of the page is read over all of its articles all the same.
    assert!(!newest.sampled.days && !newest.sampled.articles);
    assert_eq!(newest.article_page.len(), 3);
}

#[test]
fn an_entity_page_shows_its_mentions_stories_companions_and_articles() {
    let (_dir, app) = app();
    let page = ok(&app, "/entities/Ferrara");
    assert!(title(&page).starts_with("Ferrara ("), "{}", title(&page));
    assert!(page.contains("Mentions of Ferrara over time"), "{page}");
    assert!(
        page.contains("href=\"/search?entity=Ferrara&amp;from=2017-03-06&amp;to=2017-03-06\""),
        "{page}"
    );
    assert!(page.contains("Po valley"), "its story: {page}");
    // The headline-less record is listed by its lead's first sentence.
    assert!(
        page.contains("Levees held along the river near Ferrara overnight, officials said."),
        "{page}"
    );
    assert!(page.contains("Named beside it"), "{page}");
    // Any case finds the canonical name; a name the store does not know is a 404.
    assert!(ok(&app, "/entities/ferrara").contains("<h1>Ferrara</h1>"));
    let (status, body) = get_body(&app, "/entities/Nobody%20Known");
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("no entity named \u{201c}Nobody Known\u{201d}"), "{body}");

    let api: serde_json::Value = serde_json::from_str(&ok(&app, "/api/entities/Ferrara")).unwrap();
    assert_eq!(api["name"], "Ferrara", "{api}");
    assert_eq!(api["articles"], 3, "{api}");
    assert_eq!(api["days"].as_array().unwrap().len(), 3, "{api}");
    assert_eq!(api["article_page"][0]["source_id"], "bare-1", "newest first: {api}");
    assert!(api["stories"][0]["naming"].as_u64().is_some(), "{api}");
    // Its stories as cards (issue 18): no article list, a link to the story whole.
    let story = &api["stories"][0];
    assert!(story.get("articles").is_none(), "{api}");
    assert_eq!(story["href"], format!("/api/stories/{}", story["id"]), "{api}");
    assert!(story["outlet_count"].as_u64() >= Some(1), "{api}");
    // Named in fewer articles than the sample: nothing is read from it alone.
    let sampled = &api["sampled"];
    assert!(["days", "stories", "companions", "articles"].iter().all(|p| sampled[p] == false));
    assert!(!page.contains("stored last"), "{page}");
    let (status, _) = get_body(&app, "/api/entities/Nobody");
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Names on article pages lead to entity pages, speakers to their quotes.
    let article = ok(&app, "/articles/wire-1");
    assert!(article.contains("href=\"/entities/Syria\""), "{article}");
    assert!(article.contains("href=\"/quotes?speaker=Vassily%20Nebenzia\""), "{article}");
}

#[test]
fn quotes_are_grouped_across_outlets_with_their_first_appearance() {
    let (_dir, app) = app();
    let page = ok(&app, "/quotes?speaker=Nebenzia");
    assert_eq!(title(&page), "Quotes by Nebenzia · lede");
    assert!(page.contains("The draft was biased from the start"), "{page}");
    assert!(page.contains("in 3 articles from 3 outlets"), "{page}");
    // The first appearance is the earliest article: Wire's, of 2017-04-12.
    assert!(page.contains("first: <a href=\"/articles/"), "{page}");
    assert!(page.contains("Russia vetoes UN resolution on Syria attack</a> · <a href=\"/outlets/Wire\">Wire</a> · 2017-04-12"), "{page}");
    // With no speaker or words, the newest week; the Po valley quote is a month older.
    let week = ok(&app, "/quotes");
    assert!(week.contains("The draft was biased"), "{week}");
    assert!(!week.contains("never seen water"), "{week}");
    // The form's blank fields are fields not given: the newest week again.
    let blank = ok(&app, "/quotes?speaker=&q=&from=&to=");
    assert!(blank.contains("The draft was biased") && !blank.contains("never seen"), "{blank}");
    let words = ok(&app, "/quotes?q=NEVER+SEEN");
    assert!(words.contains("never seen water this high"), "{words}");
    assert!(!words.contains("The draft was biased"), "{words}");

    let api: serde_json::Value =
        serde_json::from_str(&ok(&app, "/api/quotes/groups?speaker=Nebenzia")).unwrap();
    assert_eq!(api["total"], 1, "{api}");
    let group = &api["groups"][0];
    assert_eq!(
        (group["articles"].as_u64(), group["outlets"].as_u64()),
        (Some(3), Some(3)),
        "{api}"
    );
    assert_eq!(group["first"]["outlet"], "Wire", "{api}");
    assert!(group["story"].as_u64().is_some(), "{api}");
}

#[test]
fn search_lists_a_headline_less_record_by_its_lead_and_pages_with_its_window() {
    let (_dir, app) = app();
    let page = ok(&app, "/search?q=levees");
    assert!(
        page.contains("Levees held along the river near Ferrara overnight, officials said."),
        "{page}"
    );
    assert!(!page.contains("(no headline)"), "{page}");
    assert_eq!(title(&page), "Search: levees · lede");
    let window = ok(&app, "/search?q=levees&from=2017-03-01&to=2017-03-31");
    assert_eq!(title(&window), "Search: levees, 2017-03-01 – 2017-03-31 · lede");
    assert!(
        window.contains(
            "href=\"/search?q=levees&amp;from=2017-04-01&amp;to=2017-04-30\" rel=\"next\""
        ),
        "{window}"
    );
}

#[test]
fn the_store_chart_is_counted_again_after_an_ingest() {
    let (dir, app) = app();
    assert!(ok(&app, "/").contains("6 articles from 2017-03-06 to 2017-04-14"));
    let later = serde_json::json!({"id": "late-1", "outlet": "Wire", "date": "2017-04-20",
        "title": "Council to meet again", "text": "The Security Council will meet again on \
        Thursday to discuss the attack, diplomats said on Monday."});
    assert_eq!(ingest(dir.path(), &[later]), 1);
    // Another URL than above (the page cache looks at the store once a second): the
    // counts are those of the store as it is now.
    let front = ok(&app, "/?from=2017-04-14&to=2017-04-20");
    assert!(front.contains("7 articles from 2017-03-06 to 2017-04-20"), "{front}");
    assert!(front.contains("Council to meet again"), "{front}");
}

#[test]
fn the_api_lists_a_windows_stories_the_broadest_first() {
    let (_dir, app) = app();
    let body = ok(&app, "/api/stories?from=2017-03-01&to=2017-04-30&min_size=1");
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = &listed[0];
    assert_eq!(
        (first["window_outlets"].as_u64(), first["window_articles"].as_u64()),
        (Some(3), Some(3)),
        "{body}"
    );
    assert!(
        listed.as_array().unwrap().iter().all(|s| s["window_articles"].as_u64() >= Some(1)),
        "{body}"
    );
    let second: serde_json::Value = serde_json::from_str(&ok(
        &app,
        "/api/stories?from=2017-03-01&to=2017-04-30&min_size=1&limit=1&page=2",
    ))
    .unwrap();
    assert_eq!(second[0]["id"], listed[1]["id"], "{second}");
    let since: serde_json::Value =
        serde_json::from_str(&ok(&app, "/api/stories?since=2017-01-01&from=&min_size=1")).unwrap();
    assert!(since[0]["window_articles"].is_null(), "a blank from is no window: {since}");
    for (uri, says) in [
        ("/api/stories?since=2017-01-01&from=2017-03-01", "not both"),
        ("/api/stories?page=2", "page goes with a window"),
        ("/api/stories?from=2017-05-01&to=2017-04-01", "is after to"),
    ] {
        let (status, body) = get_body(&app, uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(says), "{uri}: {body}");
    }
}
