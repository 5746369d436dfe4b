//! A story's reports in other languages (`also_in` of `lede story`): the stories of other
//! languages that tell the same event, linked by `lede_cluster::crosslang` from what the
//! store already keeps (each story's clustering state and its articles' canonical names).
//!
//! Links are read, not stored: they are computed when a story is shown, from the stories
//! that name one of its most named entities (those of other languages asked for apart, so
//! that a story of a store's main language is not left with its own language's alone), so
//! they follow every merge and relabel of clustering with no state of their own to keep in
//! step, and cluster mode's PostgreSQL store gives them through the same [`ReadBackend`]
//! calls.

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
            let detail = crate::stories::story(r, id)?;
            linked(r, detail)
        })
    }

    /// [`crate::Library::linked_story`] for a page showing the `shown` articles of its
    /// timeline (by index, oldest first): the leads of the articles without a headline are
    /// read for those and the story's label only, so the others' titles are `None` where
    /// they have no headline.
    pub fn linked_story_page(
        &self,
        id: StoryId,
        shown: std::ops::Range<usize>,
    ) -> Result<Option<LinkedStory>> {
        self.with_reads(|r| {
            let detail = crate::stories::story_page(r, id, shown)?;
            linked(r, detail)
        })
    }
}

/// A story read and its stories in other languages.
fn linked<R: ReadBackend + ?Sized>(
    r: &mut R,
    detail: Option<crate::StoryDetail>,
) -> Result<Option<LinkedStory>> {
    let Some(detail) = detail else { return Ok(None) };
    // The story's most named entities are its page's first names (the same order: by
    // articles, then name), not read again.
    const _: () = assert!(crosslang::NAMES_ASKED <= crate::stories::NAMES_SHOWN);
    let names: Vec<String> =
        detail.entities.iter().take(crosslang::NAMES_ASKED).map(|e| e.name.clone()).collect();
    let also_in = also_in_naming(r, detail.story.id, &names)?;
    Ok(Some(LinkedStory { detail, also_in }))
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
/// entities: the [`crosslang::CANDIDATES`] sharing the most names, as `bench/crosslang.sh`
/// takes them, and the [`crosslang::ACROSS`] of other languages sharing the most, so that
/// a story of a store's main language finds the reports that find it.
pub fn also_in<R: ReadBackend + ?Sized>(store: &mut R, id: StoryId) -> Result<Vec<AlsoIn>> {
    if !several_languages(store)? {
        return Ok(Vec::new());
    }
    let Some(row) = store.story_row(id)? else { return Ok(Vec::new()) };
    let names: Vec<String> =
        store.story_entities(row.id, crosslang::NAMES_ASKED)?.into_iter().map(|e| e.name).collect();
    also_in_naming(store, row.id, &names)
}

/// Whether the store has clustered stories in two told languages or more.
fn several_languages<R: ReadBackend + ?Sized>(store: &mut R) -> Result<bool> {
    let languages = store.story_languages()?;
    Ok(languages.iter().filter(|l| *l != lede_core::UNDETERMINED_LANGUAGE).count() >= 2)
}

/// [`also_in`], given the story's [`crosslang::NAMES_ASKED`] most named entities.
fn also_in_naming<R: ReadBackend + ?Sized>(
    store: &mut R,
    id: StoryId,
    names: &[String],
) -> Result<Vec<AlsoIn>> {
    if !several_languages(store)? {
        return Ok(Vec::new());
    }
    let Some(row) = store.story_row(id)? else { return Ok(Vec::new()) };
    // A merged story's old id finds the story it went into: that one is left out below.
    let id = row.id;
    let Some(target) = signature(&row) else { return Ok(Vec::new()) };
    let candidates = store.stories_naming(id, names, crosslang::CANDIDATES, crosslang::ACROSS)?;
    // Links join languages only: when every candidate is of the story's own language
    // there is none to find, and their states are not read.
    if candidates.iter().all(|n| n.language == target.lang) {
        return Ok(Vec::new());
    }
    let ids: Vec<StoryId> = candidates.iter().map(|n| n.story).collect();
    let others: Vec<Signature> = store.story_rows_of(&ids)?.iter().filter_map(signature).collect();
    let mut out = Vec::new();
    for l in crosslang::links_of(&target, &others, &LinkParams::default()) {
        let other = if l.a == id { l.b } else { l.a };
        let Some(o) = others.iter().find(|s| s.story == other) else { continue };
        let Some(row) = store.story_row(other)? else { continue };
        out.push(AlsoIn {
            lang: o.lang.clone(),
            story: other,
            label: crate::stories::label_of_row(store, &row)?,
            size: row.size,
            score: l.score,
        });
    }
    Ok(out)
}

/// A stored story's signature: its state and its language (that of its articles: stories
/// are clustered per language). `None` when no language was told or the state cannot be
/// read (the story page reports that damage already).
fn signature(row: &StoryRow) -> Option<Signature> {
    if row.language == lede_core::UNDETERMINED_LANGUAGE {
        return None;
    }
    let story = Story::from_stored(
        row.id,
        row.first_ts,
        row.last_ts,
        u32::try_from(row.size).unwrap_or(u32::MAX),
        row.label_seq,
        &row.state,
    )?;
    Some(Signature::of_story(&story, &row.language))
}
