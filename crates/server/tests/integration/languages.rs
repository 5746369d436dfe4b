//! Issue 17 in the reader: an article's text carries its language and reads in its own
//! direction; Chinese is found by a name inside a clause.

use crate::support::get_body;
use axum::http::StatusCode;

#[test]
fn issue_17_articles_read_in_their_language_and_direction() {
    let dir = tempfile::tempdir().unwrap();
    let arabic = "التقى وزير الخارجية الأمريكي ريكس تيلرسون بالرئيس الروسي فلاديمير بوتين في \
        موسكو يوم الأربعاء لبحث الأزمة السورية والعلاقات بين البلدين.";
    let chinese = "美国国务卿蒂勒森周三在克里姆林宫会见俄罗斯总统普京，双方讨论了叙利亚局势和两国关系的未来。\
        会谈持续了两个小时，随后蒂勒森离开莫斯科。";
    let records = [
        serde_json::json!({"id": "ar", "outlet": "Akhbar", "date": "2017-04-12",
            "title": "تيلرسون يلتقي بوتين", "paragraphs": [arabic]}),
        serde_json::json!({"id": "zh", "outlet": "Xinwen", "date": "2017-04-12",
            "title": "蒂勒森会见普京", "paragraphs": [chinese]}),
    ];
    assert_eq!(crate::support::ingest(dir.path(), &records), 2);
    let app = lede_server::router(&dir.path().join("store"));

    let (status, page) = get_body(&app, "/articles/ar");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(r#"<h1 lang="ar" dir="auto">"#), "{page}");
    assert!(page.contains(r#"<p id="p1" lang="ar" dir="auto">"#), "{page}");
    // The page around the article stays lede's own, in English.
    assert!(page.contains(r#"<html lang="en">"#));

    let (status, page) = get_body(&app, "/articles/zh");
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(r#"lang="zh" dir="auto""#), "{page}");

    // A name inside a clause without spaces: Chinese is indexed a character a word.
    let (status, found) = get_body(&app, "/api/search?q=%E6%99%AE%E4%BA%AC"); // 普京
    assert_eq!(status, StatusCode::OK, "{found}");
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    let ids: Vec<&str> =
        found["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(found["total"], 1, "{found:#}");
    assert_eq!(ids.len(), 1);
}
