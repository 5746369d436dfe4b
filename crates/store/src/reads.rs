//! What the read commands read (`show`, `trace`, `stories`, `story`, `quotes`,
//! `entities`, `export`): [`ReadBackend`]. The embedded store with its search index
//! (`lede_engine::Library`) and cluster mode's PostgreSQL store (lede-pg) both give it, so
//! that one code shapes every answer and both stores give the same answers. The reader's
//! entity and quote pages read more of the same kind: [`ExploreBackend`].

use crate::{
    ArticleText, DayCount, EntityCount, EntityFilter, Error, NamedIn, NamingStory, QuoteFilter,
    QuoteGroup, QuoteGroupFilter, Result, Sampled, StoredArticle, StoredQuote, StoryArticle,
    StoryCard, StoryFilter, StoryQuoteRow, StoryRow, StorySummary, WindowStory,
};
use lede_core::{Annotations, ArticleSeq, EntityKind, StoryId};

/// A store as the read commands see it. Each method answers as the [`crate::Store`]
/// method of the same name does (same order, same resolution of keys and merged story
/// ids); an older embedded store answers "nothing yet" where a newer format's data is
/// missing.
pub trait ReadBackend {
    /// The article a key names: id (or a unique prefix of 8+ hex digits), record id, or
    /// URL.
    fn find(&mut self, key: &str) -> Result<Option<StoredArticle>>;
    /// The stored articles of `seqs` (those that exist), in that order.
    fn by_seqs(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<StoredArticle>>;
    /// Calls `f` with every article after `after`, in sequence order, `batch` at a time;
    /// stops at `f`'s first error.
    fn scan(
        &mut self,
        after: ArticleSeq,
        batch: usize,
        f: &mut dyn FnMut(StoredArticle) -> Result<()>,
    ) -> Result<()>;
    /// The highest sequence number stored (0 when empty).
    fn last_seq(&mut self) -> Result<ArticleSeq>;
    /// How many articles are stored.
    fn article_count(&mut self) -> Result<u64>;
    /// The sentences, entities and quotes stored with an article (`None`: not read yet).
    fn annotations(&mut self, seq: ArticleSeq) -> Result<Option<Annotations>>;
    /// Whether some stored articles have no stored annotations yet.
    fn annotations_pending(&mut self) -> Result<bool>;
    /// The canonical names of the entities an article names, sorted.
    fn entity_names(&mut self, seq: ArticleSeq) -> Result<Vec<String>>;
    /// The entities the store names, those in the most articles first.
    fn entities(&mut self, filter: &EntityFilter) -> Result<Vec<EntityCount>>;
    /// Stored quotes, newest first.
    fn quotes(&mut self, filter: &QuoteFilter<'_>) -> Result<Vec<StoredQuote>>;
    /// Every article up to this one is in a story.
    fn clustered_through(&mut self) -> Result<ArticleSeq>;
    /// How many stories there are.
    fn story_count(&mut self) -> Result<u64>;
    /// Stories, newest first.
    fn stories(&mut self, filter: &StoryFilter) -> Result<Vec<StorySummary>>;
    /// A story by id, or by the id of a story merged into it.
    fn story(&mut self, id: StoryId) -> Result<Option<StorySummary>>;
    /// A story as [`ReadBackend::story`] reads it, but with no member's lead (each `lead`
    /// is `None`): the lead of a member without a headline is read from its text, and a
    /// story of thousands shows a hundred at a time ([`ReadBackend::leads`] reads those).
    fn story_unled(&mut self, id: StoryId) -> Result<Option<StorySummary>>;
    /// The first 300 characters of the first paragraph of those of `seqs` that are stored
    /// (each one's text is read: ask for few).
    fn leads(&mut self, seqs: &[ArticleSeq]) -> Result<Vec<ArticleText>>;
    /// The story an article is in.
    fn story_of(&mut self, seq: ArticleSeq) -> Result<Option<StoryId>>;
    /// A story's clustering state (a merged story's old id finds the story it went into).
    fn story_row(&mut self, id: StoryId) -> Result<Option<StoryRow>>;
    /// The rows of those of `ids` that are stories, in the order given, read at once (an
    /// old id of a merged story is not followed: give ids the store gave, such as
    /// [`ReadBackend::stories_naming`]'s).
    fn story_rows_of(&mut self, ids: &[StoryId]) -> Result<Vec<StoryRow>>;
    /// The entities a story's articles name most.
    fn story_entities(&mut self, story: StoryId, limit: usize) -> Result<Vec<EntityCount>>;
    /// A story's quotes, those the most outlets give first.
    fn story_quotes(&mut self, story: StoryId, limit: usize) -> Result<Vec<StoryQuoteRow>>;
    /// Other stories naming any of `names`, those sharing the most first: the `limit`
    /// sharing the most, and the `across` sharing the most among those of told languages
    /// other than `story`'s (they may be among the first `limit`).
    fn stories_naming(
        &mut self,
        story: StoryId,
        names: &[String],
        limit: usize,
        across: usize,
    ) -> Result<Vec<NamingStory>>;
    /// The stored document frequencies of story clustering in story `story`'s language,
    /// if it has run.
    fn doc_freq(&mut self, story: StoryId) -> Result<Option<Vec<u8>>>;
    /// The languages whose stories have been clustered apart (`und` among them when some
    /// articles had none), in order; empty for a store clustered before stories were per
    /// language.
    fn story_languages(&mut self) -> Result<Vec<String>>;
    /// The stored articles whose bodies share the most distinctive words with `text`,
    /// best first, with their scores: at most `words` of its words, those the fewest
    /// articles hold (common words left out), ORed and ranked by BM25 (how `lede trace`
    /// finds candidate sources). Empty when the store has no search index.
    fn similar_to(
        &mut self,
        text: &str,
        words: usize,
        limit: usize,
    ) -> Result<Vec<(ArticleSeq, f32)>>;
    /// The error for story `story`'s stored `blob` that its decoder rejected.
    fn damaged_story(&mut self, story: StoryId, blob: &str, why: &dyn std::fmt::Display) -> Error;
}

/// What the reader's entity and quote pages read (issue 18), beside what the read commands
/// read: each method answers as the [`crate::Store`] method of the same name does (the
/// same entity found for a name, the same order and tie-breaks, the same page), so that
/// both stores give the same pages. `sample` is how many of an entity's articles stored
/// last a method reads where it reads a sample: an embedded store before format 7 for its
/// days, stories and articles, every store for the names beside it. A store that keeps
/// summaries (the embedded store of format 7) or can afford it (cluster mode's) counts
/// days and stories over all of a name's articles; the answers are the same for a name in
/// no more than `sample` articles.
pub trait ExploreBackend: ReadBackend {
    /// The stories of at least `min_size` articles with articles dated in `[from, to]`
    /// (Unix seconds, both included), ranked by breadth inside the window: the most
    /// outlets, then the most articles, then the newest inside it, then the highest id.
    /// All of them: the caller pages through.
    fn window_stories(&mut self, from: i64, to: i64, min_size: u64) -> Result<Vec<WindowStory>>;
    /// The entity a name names: that canonical name exactly, or else the one equal to it
    /// in any case (the most named, when several are); a name of two kinds is the kind
    /// more articles give. `None`: the store names no such entity.
    fn entity(&mut self, name: &str) -> Result<Option<EntityCount>>;
    /// An entity's articles and mentions per dated day, oldest first (`name`: its
    /// canonical name, exactly).
    fn entity_days(&mut self, name: &str, sample: usize) -> Result<Vec<DayCount>>;
    /// The stories whose articles name an entity, those with the most such articles first
    /// (then the newest story); at most `limit`.
    fn entity_stories(&mut self, name: &str, limit: usize, sample: usize) -> Result<Vec<NamedIn>>;
    /// The entities named beside `name` (of `kind`) in the same articles, by the articles
    /// naming both; at most `limit`; over its `sample` articles stored last.
    fn companions(
        &mut self,
        name: &str,
        kind: EntityKind,
        limit: usize,
        sample: usize,
    ) -> Result<Vec<EntityCount>>;
    /// The articles naming an entity, newest first (undated last), `limit` of them after
    /// skipping `offset` (`page`); `score` is the entity's mentions in each.
    fn entity_articles(
        &mut self,
        name: &str,
        page: (usize, usize),
        sample: usize,
    ) -> Result<Vec<StoryArticle>>;
    /// Which parts of an entity's page ([`Sampled`]) the calls above, given `sample`,
    /// `companions` names and the `page` of articles, read from its `sample` articles
    /// stored last only: none for a name in no more articles than that.
    fn entity_sampled(
        &mut self,
        entity: &EntityCount,
        companions: usize,
        page: (usize, usize),
        sample: usize,
    ) -> Result<Sampled>;
    /// A story's card, for lists ([`StoryCard`]: as [`StoryCard::of`] makes it of the
    /// story read whole, without reading every article's text); an alias resolves to the
    /// story it is. `None`: no such story.
    fn story_card(&mut self, id: StoryId) -> Result<Option<StoryCard>>;
    /// The speakers' canonical names a name finds: the whole name or its last word or
    /// words, in any case.
    fn speakers_named(&mut self, speaker: &str) -> Result<Vec<String>>;
    /// Quotes grouped by their words and speaker, with the first article quoting them:
    /// the page asked for and how many groups there are in all.
    fn quote_groups(&mut self, filter: &QuoteGroupFilter) -> Result<(Vec<QuoteGroup>, u64)>;
}
