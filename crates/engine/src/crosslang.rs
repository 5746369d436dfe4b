//! A story's reports in other languages (`also_in` of `lede story`): the stories of other
//! languages that tell the same event, linked by `lede_cluster::crosslang` from what the
//! store already keeps (each story's clustering state and its articles' canonical names).
//!
//! Links are read, not stored: they are computed when a story is shown, from the stories
//! that name one of its most named entities, so they follow every merge and relabel of
//! clustering with no state of their own to keep in step, and cluster mode's PostgreSQL
//! store gives them through the same [`ReadBackend`] calls.

use crate::Result;
use lede_cluster::Story;
use lede_cluster::crosslang::{self, LinkParams, Signature};
use lede_core::StoryId;
use lede_store::{ReadBackend, StoryRow};
use serde::Serialize;

/// A story and, last, its stories in other languages: what `lede story --json` and the
/// API's `/api/stories/{id}` give.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedStory {
    /// The story.
    #[serde(flatten)]
    pub detail: crate::StoryDetail,
    /// Its stories in other languages, best first ([`also_in`]).
    pub also_in: Vec<AlsoIn>,
}

impl crate::Library {
    /// Story `id` with its stories in other languages ([`also_in`]); `None` when no such
    /// story.
    pub fn linked_story(&self, id: StoryId) -> Result<Option<LinkedStory>> {
        self.with_reads(|r| {
            let Some(detail) = crate::stories::story(r, id)? else { return Ok(None) };
            let also_in = also_in(r, id)?;
            Ok(Some(LinkedStory { detail, also_in }))
        })
    }
}

/// A story of another language that tells the same event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlsoIn {
    /// Its language (ISO 639-1).
    pub lang: String,
    /// The story.
    pub story: StoryId,
    /// Its headline.
    pub label: Option<String>,
    /// Its articles.
    pub size: u64,
    /// How well the two agree (`lede_cluster::crosslang::Link::score`), 0 to 1.
    pub score: f32,
}

/// The stories in other languages that tell story `id`'s event, best first; none for a
/// story that is not stored, whose language was not told, or whose state cannot be read
/// (and a story of no told language is no one's link: "other language" would be a guess).
///
/// A store that has clustered stories in fewer than two told languages has none to give
/// and is not searched: the search for candidates reads every story naming the story's
/// names (1.5 s a story page on the million-article store, all English, against 61 ms
/// without it).
///
/// Candidates are the stories that name one of its [`crosslang::NAMES_ASKED`] most named
/// entities (at most [`crosslang::CANDIDATES`], those sharing the most names first), as
/// `bench/crosslang.sh` takes them.
pub fn also_in<R: ReadBackend + ?Sized>(store: &mut R, id: StoryId) -> Result<Vec<AlsoIn>> {
    let told =
        store.story_languages()?.iter().filter(|l| *l != lede_core::UNDETERMINED_LANGUAGE).count();
    if told < 2 {
        return Ok(Vec::new());
    }
    let Some(row) = store.story_row(id)? else { return Ok(Vec::new()) };
    let Some(target) = signature(store, &row)? else { return Ok(Vec::new()) };
    let names: Vec<String> =
        store.story_entities(id, crosslang::NAMES_ASKED)?.into_iter().map(|e| e.name).collect();
    let mut others = Vec::new();
    for naming in store.stories_naming(id, &names, crosslang::CANDIDATES)? {
        let Some(row) = store.story_row(naming.story)? else { continue };
        if let Some(s) = signature(store, &row)? {
            others.push(s);
        }
    }
    let mut out = Vec::new();
    for l in crosslang::links_of(&target, &others, &LinkParams::default()) {
        let other = if l.a == id { l.b } else { l.a };
        let Some(o) = others.iter().find(|s| s.story == other) else { continue };
        let summary = store.story(other)?;
        out.push(AlsoIn {
            lang: o.lang.clone(),
            story: other,
            label: summary.as_ref().and_then(crate::stories::story_label),
            size: summary.map_or(0, |s| s.articles.len() as u64),
            score: l.score,
        });
    }
    Ok(out)
}

/// A stored story's signature: its state and the language of its articles (the first of
/// its first three whose language was told). `None` when no language was told or the state
/// cannot be read (the story page reports that damage already).
fn signature<R: ReadBackend + ?Sized>(store: &mut R, row: &StoryRow) -> Result<Option<Signature>> {
    let Some(story) = Story::from_stored(
        row.id,
        row.first_ts,
        row.last_ts,
        u32::try_from(row.size).unwrap_or(u32::MAX),
        row.label_seq,
        &row.state,
    ) else {
        return Ok(None);
    };
    let mut lang = None;
    if let Some(summary) = store.story(row.id)? {
        for a in summary.articles.iter().take(3) {
            if let Some(stored) = store.find(&a.id)?
                && let Some(l) = stored.article.language
            {
                lang = Some(l);
                break;
            }
        }
    }
    Ok(lang.map(|l| Signature::of_story(&story, &l)))
}
