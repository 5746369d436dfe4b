//! Helpers shared by the unit tests of several modules.

use crate::articles::{NewArticle, Put};
use crate::store::StoreWriter;
use lede_core::{Article, ArticleId, Published, Timestamp};

pub(crate) fn article(title: &str, url: Option<&str>) -> Article {
    Article {
        title: Some(title.into()),
        url: url.map(str::to_owned),
        outlet: Some("Daily Example".into()),
        language: Some("en".into()),
        published: Some(Published {
            raw: "2019-01-02".into(),
            at: Timestamp::parse_iso("2019-01-02").unwrap(),
        }),
        paragraphs: vec![format!("Body of {title}.")],
        ..Article::default()
    }
}

pub(crate) fn put(w: &mut StoreWriter, a: &Article, source_id: Option<&str>) -> Put {
    let new = NewArticle {
        id: ArticleId::of(a),
        article: a,
        source_id,
        extra: None,
        origin: "test",
        fetched_at: &[],
        sketch: Some(b"sketch"),
        annotations: None,
        features: None,
    };
    w.put_batch(&[new]).unwrap()[0]
}
