//! Helpers shared by the unit tests of several modules.

use crate::articles::{NewArticle, Put};
use crate::store::StoreWriter;
use crate::stories::{Membership, StoryRow, StoryUpdate};
use lede_core::{Article, ArticleId, ArticleSeq, Published, StoryId, Timestamp};

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

/// A clustering pass: each of `moves` (seq, story) written, `merged` stories folded
/// into others, and every story's row written again.
pub(crate) fn cluster(w: &mut StoreWriter, moves: &[(u64, u64)], merged: &[(u64, u64)]) {
    let assignments: Vec<Membership> = moves
        .iter()
        .map(|&(seq, story)| Membership { seq: ArticleSeq(seq), story: StoryId(story), score: 0.5 })
        .collect();
    let merged: Vec<(StoryId, StoryId)> =
        merged.iter().map(|&(old, id)| (StoryId(old), StoryId(id))).collect();
    let mut ids: Vec<u64> = moves.iter().map(|m| m.1).collect();
    ids.extend(merged.iter().map(|m| m.1.0));
    ids.extend(
        w.reader()
            .conn
            .prepare("SELECT id FROM stories")
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .map(|id| id.unwrap() as u64),
    );
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|id| !merged.iter().any(|m| m.0.0 == *id));
    let stories: Vec<StoryRow> = ids
        .iter()
        .map(|&id| StoryRow {
            id: StoryId(id),
            first_ts: None,
            last_ts: None,
            size: 0,
            label_seq: None,
            state: Vec::new(),
            language: lede_core::UNDETERMINED_LANGUAGE.to_owned(),
        })
        .collect();
    w.put_stories(&StoryUpdate {
        assignments: &assignments,
        stories: &stories,
        merged: &merged,
        doc_freqs: &[],
    })
    .unwrap();
}

/// Stores each article with its annotations, in one batch.
pub(crate) fn put_annotated(
    w: &mut StoreWriter,
    made: &[(Article, lede_core::Annotations)],
) -> crate::Result<()> {
    let batch: Vec<NewArticle<'_>> = made
        .iter()
        .map(|(a, ann)| NewArticle {
            id: ArticleId::of(a),
            article: a,
            source_id: None,
            extra: None,
            origin: "test",
            fetched_at: &[],
            sketch: None,
            annotations: Some(ann),
            features: None,
        })
        .collect();
    w.put_batch(&batch).map(|_| ())
}
