//! The tantivy index: its schema, writer, and queries.
//!
//! Schema (version 1): `seq` (u64, fast, stored: the store's sequence number), `id`
//! (string, stored), `title` and `body` (text with positions: lede-text's lower-cased
//! words, the body with common-word pairs, see `grams`), `outlet` and `author` (text), `outlet_key` (the lower-cased outlet
//! as one term, for exact filters), `language` (string), `published` (date, fast and
//! indexed), `entity` (each canonical name of an entity the article names, lower-cased, as
//! one term: the entity filter and `entity:"rex tillerson"`; not stored, the store holds
//! them).

use crate::{Error, Result, grams};
use lede_core::{Article, ArticleSeq};
use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TEXT, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Index, IndexReader, Order, ReloadPolicy, TantivyDocument, Term, doc};

/// Memory the writer may use before it flushes a segment (shared by its threads). 64 MiB:
/// at 128 MiB an ingest of 52,060 releases peaked 64 MiB higher and ran no faster.
const WRITER_HEAP: usize = 64 << 20;
/// Indexing threads: indexing (tokenising, building postings) is most of an ingest's work.
const INDEXING_THREADS: usize = 2;

#[derive(Debug, Clone, Copy)]
struct Fields {
    seq: Field,
    id: Field,
    title: Field,
    body: Field,
    outlet: Field,
    outlet_key: Field,
    author: Field,
    language: Field,
    published: Field,
    /// `None` in an index built before entities (opened to search, not yet rebuilt).
    entity: Option<Field>,
    /// The stems of an article in a language with a stemmer (see `stems`); `None` in an
    /// index built before them.
    stems: Option<Field>,
}

/// The name of the `stems` field's tokenizer: its tokens are made by the writer, which
/// knows the article's language (`stems::of_text`); registered so the schema is whole.
const STEMS_TOKENIZER: &str = "lede_stems";

/// The tokenizer of the `entity` field: the whole name as one lower-cased term.
const ENTITY_TOKENIZER: &str = "lede_entity";

fn entity_analyzer() -> tantivy::tokenizer::TextAnalyzer {
    tantivy::tokenizer::TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(tantivy::tokenizer::LowerCaser)
        .build()
}

/// A name as the `entity` field holds it, before lower-casing: runs of spaces as one.
fn entity_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body: words and common-word pairs (see `grams`), with positions for phrases.
fn body_options() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(grams::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let date =
        DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        seq: b.add_u64_field("seq", FAST | STORED | INDEXED),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", TEXT),
        body: b.add_text_field("body", body_options()),
        outlet: b.add_text_field("outlet", TEXT),
        outlet_key: b.add_text_field("outlet_key", STRING),
        author: b.add_text_field("author", TEXT),
        language: b.add_text_field("language", STRING),
        published: b.add_date_field("published", date),
        entity: Some(
            b.add_text_field(
                "entity",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ENTITY_TOKENIZER)
                        .set_index_option(IndexRecordOption::Basic),
                ),
            ),
        ),
        stems: Some(
            b.add_text_field(
                "stems",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(STEMS_TOKENIZER)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
        ),
    };
    (b.build(), fields)
}

/// A search over the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The query text: words, `"phrases"`, `AND`/`OR`/`-`, `field:` prefixes.
    pub text: String,
    /// Only articles published at or after this time (seconds since 1970, UTC).
    pub from: Option<i64>,
    /// Only articles published before this time.
    pub to: Option<i64>,
    /// Only articles from this outlet (its whole name, any case).
    pub outlet: Option<String>,
    /// Only articles that name this entity (its whole canonical name, any case:
    /// `Rex Tillerson`, `russia`).
    pub entity: Option<String>,
    /// How many results.
    pub limit: usize,
    /// Relevance or date order.
    pub order: SortOrder,
}

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
}

impl SearchQuery {
    /// A relevance search for `text`, 10 results.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            from: None,
            to: None,
            outlet: None,
            entity: None,
            limit: 10,
            order: SortOrder::Relevance,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The article's sequence number in the store.
    pub seq: ArticleSeq,
    /// The article's id.
    pub id: String,
    /// Its BM25 score (0 when sorted by date).
    pub score: f32,
}

/// The results of a search, and what is needed to mark hits in their texts.
pub struct Results {
    /// The hits, best (or newest) first.
    pub hits: Vec<Hit>,
    /// Parts of the query that could not be read and were left out.
    pub warnings: Vec<String>,
    snippets: SnippetGenerator,
}

/// A passage of a text with the query's terms marked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` that match the query.
    pub highlights: Vec<Range<usize>>,
}

impl Results {
    /// The passage of `text` (an article's body) that best matches the query, at most
    /// about 200 characters, with its matches marked; the text's start when nothing matches.
    pub fn snippet(&self, text: &str) -> Snippet {
        let s = self.snippets.snippet(text);
        if s.fragment().is_empty() {
            let end = text.char_indices().nth(200).map_or(text.len(), |(i, _)| i);
            return Snippet { text: text[..end].to_owned(), highlights: Vec::new() };
        }
        Snippet { text: s.fragment().to_owned(), highlights: s.highlighted().to_vec() }
    }
}

/// The full-text index of a store.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
}

impl SearchIndex {
    /// Opens the index in `dir` (the store's data directory), creating it if needed.
    pub fn create_or_open(dir: &Path) -> Result<SearchIndex> {
        let path = dir.join("index");
        std::fs::create_dir_all(&path)
            .map_err(|e| Error::Tantivy { dir: path.clone(), source: e.into() })?;
        let (schema, fields) = schema();
        let err = |source| Error::Tantivy { dir: path.clone(), source };
        // An index of an older schema is rebuilt: the store holds every article, and the
        // writer indexes again what the (new, empty) index does not hold.
        if path.join("meta.json").exists() {
            let old = Index::open_in_dir(&path).map_err(err)?;
            if old.schema() != schema {
                drop(old);
                std::fs::remove_dir_all(&path).map_err(|e| err(e.into()))?;
                std::fs::create_dir_all(&path).map_err(|e| err(e.into()))?;
            }
        }
        let directory =
            tantivy::directory::MmapDirectory::open(&path).map_err(|e| err(e.into()))?;
        let index = Index::open_or_create(directory, schema).map_err(err)?;
        SearchIndex::with(index, fields, path)
    }

    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let path = dir.join("index");
        if !path.join("meta.json").exists() {
            return Err(Error::NoIndex { dir: path });
        }
        let index = Index::open_in_dir(&path)
            .map_err(|source| Error::Tantivy { dir: path.clone(), source })?;
        let (_, mut fields) = schema();
        // An index written before entities (or stems) has no such field until a writer
        // rebuilds it.
        fields.entity = index.schema().get_field("entity").ok();
        fields.stems = index.schema().get_field("stems").ok();
        SearchIndex::with(index, fields, path)
    }

    fn with(index: Index, fields: Fields, dir: PathBuf) -> Result<SearchIndex> {
        index.tokenizers().register(grams::NAME, grams::CommonGrams::new(false));
        index.tokenizers().register(grams::WORDS, grams::Words);
        index.tokenizers().register(ENTITY_TOKENIZER, entity_analyzer());
        index.tokenizers().register(STEMS_TOKENIZER, grams::Words);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| Error::Tantivy { dir: dir.clone(), source })?;
        Ok(SearchIndex { index, reader, fields, dir })
    }

    fn err(&self) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
        |source| Error::Tantivy { dir: self.dir.clone(), source }
    }

    /// The highest store sequence number the last commit holds (0 for a new index).
    pub fn indexed_through(&self) -> Result<ArticleSeq> {
        let metas = self.index.load_metas().map_err(self.err())?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix("through_seq="))
            .and_then(|n| n.parse().ok().map(ArticleSeq))
            .unwrap_or(ArticleSeq(0)))
    }

    /// Documents in the index, as of its latest commit (a long-lived reader, such as the
    /// web reader's, would otherwise count what it saw when it last searched).
    pub fn num_docs(&self) -> Result<u64> {
        self.reload()?;
        Ok(self.reader.searcher().num_docs())
    }

    /// Sees the latest commit (readers see the index as of when they were opened).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(self.err())
    }

    /// The writer; one at a time (the store's lock makes sure of it).
    pub fn writer(&self) -> Result<IndexWriter> {
        let writer = self
            .index
            .writer_with_num_threads(INDEXING_THREADS, WRITER_HEAP)
            .map_err(self.err())?;
        Ok(IndexWriter { writer, fields: self.fields, dir: self.dir.clone() })
    }

    /// Searches the latest commit (a writer may be adding articles meanwhile).
    pub fn search(&self, q: &SearchQuery) -> Result<Results> {
        self.reload()?;
        let (query, user, warnings) = self.parse(q);
        let f = self.fields;
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let addresses: Vec<(f32, tantivy::DocAddress)> = match q.order {
            SortOrder::Relevance => searcher
                .search(&query, &TopDocs::with_limit(limit).order_by_score())
                .map_err(self.err())?,
            SortOrder::Newest | SortOrder::Oldest => {
                let order = if q.order == SortOrder::Newest { Order::Desc } else { Order::Asc };
                let top =
                    TopDocs::with_limit(limit).order_by_fast_field::<DateTime>("published", order);
                searcher
                    .search(&query, &top)
                    .map_err(self.err())?
                    .into_iter()
                    .map(|(_, a)| (0.0, a))
                    .collect()
            }
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let d: TantivyDocument = searcher.doc(address).map_err(self.err())?;
            let seq = d.get_first(f.seq).and_then(|v| v.as_u64()).map_or(ArticleSeq(0), ArticleSeq);
            let id = d.get_first(f.id).and_then(|v| v.as_str()).unwrap_or("").to_owned();
            hits.push(Hit { seq, id, score });
        }
        let mut snippets =
            SnippetGenerator::create(&searcher, &*user, f.body).map_err(self.err())?;
        snippets.set_max_num_chars(200);
        Ok(Results { hits, warnings, snippets })
    }

    /// How many articles match (all of them, not only the `limit` best).
    pub fn count(&self, q: &SearchQuery) -> Result<u64> {
        self.reload()?;
        let (query, ..) = self.parse(q);
        let n = self
            .reader
            .searcher()
            .search(&query, &tantivy::collector::Count)
            .map_err(self.err())?;
        Ok(n as u64)
    }

    /// The query with its filters, the user's part alone (for snippets), and what the
    /// parser could not read.
    fn parse(&self, q: &SearchQuery) -> (BooleanQuery, Box<dyn Query>, Vec<String>) {
        let f = self.fields;
        // Queries read the body with the query side of the common-grams tokenizer.
        let tokenizers = tantivy::tokenizer::TokenizerManager::default();
        tokenizers.register(grams::NAME, grams::CommonGrams::new(true));
        tokenizers.register(grams::WORDS, grams::Words);
        tokenizers.register(ENTITY_TOKENIZER, entity_analyzer());
        let mut parser = QueryParser::new(self.index.schema(), vec![f.title, f.body], tokenizers);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        let text = q.text.trim();
        let (user, errors) = if text.is_empty() {
            (Box::new(tantivy::query::AllQuery) as Box<dyn Query>, Vec::new())
        } else {
            parser.parse_query_lenient(text)
        };
        let warnings: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let matched = match self.stems_query(text) {
            Some(stems) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, user.box_clone()),
                (Occur::Should, stems),
            ])) as Box<dyn Query>,
            None => user.box_clone(),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matched)];
        if q.from.is_some() || q.to.is_some() {
            let term =
                |secs: i64| Term::from_field_date(f.published, DateTime::from_timestamp_secs(secs));
            let lower = q.from.map_or(Bound::Unbounded, |s| Bound::Included(term(s)));
            let upper = q.to.map_or(Bound::Unbounded, |s| Bound::Excluded(term(s)));
            // A range scores 1 wherever it matches. tantivy answers a range that holds every
            // document of a segment with its match-all scorer, which a conjunction drops,
            // score and all: wrapped, the range adds its 1 in every segment, so a match's
            // score does not depend on how the writer's threads split the documents.
            let range = ConstScoreQuery::new(Box::new(RangeQuery::new(lower, upper)), 1.0);
            clauses.push((Occur::Must, Box::new(range)));
        }
        if let Some(outlet) = &q.outlet {
            let term = Term::from_field_text(f.outlet_key, &outlet.trim().to_lowercase());
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        let mut warnings = warnings;
        match (&q.entity, f.entity) {
            (Some(entity), Some(field)) => {
                let term = Term::from_field_text(field, &entity_key(entity).to_lowercase());
                let query = TermQuery::new(term, IndexRecordOption::Basic);
                clauses.push((Occur::Must, Box::new(query)));
            }
            (Some(_), None) => {
                warnings.push(
                    "the index was built before entities; the next `lede ingest` rebuilds it"
                        .into(),
                );
                clauses.push((Occur::Must, Box::new(tantivy::query::EmptyQuery)));
            }
            (None, _) => {}
        }
        (BooleanQuery::new(clauses), user, warnings)
    }

    /// The articles whose bodies share the most distinctive words with `text` (a
    /// paragraph), best first, with their scores: the words of `text` that the fewest
    /// articles hold (at most `words` of them, common words and words no article holds left
    /// out) are ORed and ranked by BM25. This is how `lede trace` finds candidate sources:
    /// names, numbers and rare words survive rewording and spinning, which swaps common ones.
    pub fn similar_to(
        &self,
        text: &str,
        words: usize,
        limit: usize,
    ) -> Result<Vec<(ArticleSeq, f32)>> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let mut seen = std::collections::HashSet::new();
        let mut rare: Vec<(u64, Term)> = Vec::new();
        for token in grams::words(text) {
            if grams::is_common(&token.text) || !seen.insert(token.text.clone()) {
                continue;
            }
            let term = Term::from_field_text(self.fields.body, &token.text);
            let df = searcher.doc_freq(&term).map_err(self.err())?;
            if df > 0 {
                rare.push((df, term));
            }
        }
        rare.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        rare.truncate(words);
        if rare.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = rare
            .into_iter()
            .map(|(_, t)| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                (Occur::Should, q)
            })
            .collect();
        let top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(limit.max(1)).order_by_score(),
            )
            .map_err(self.err())?;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let seqs = segment.fast_fields().u64("seq").map_err(self.err())?;
            if let Some(seq) = seqs.first(address.doc_id) {
                out.push((ArticleSeq(seq), score));
            }
        }
        Ok(out)
    }

    /// A query of plain words read against the stems (see `stems`): each word in one of
    /// its stems. `None` for other queries, and where no article has stems (nothing to
    /// find; an English store's searches stay as they were, cost included).
    fn stems_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let field = self.fields.stems?;
        let words = crate::stems::plain_words(text)?;
        let searcher = self.reader.searcher();
        let stemmed = searcher
            .segment_readers()
            .iter()
            .any(|s| s.inverted_index(field).is_ok_and(|i| i.terms().num_terms() > 0));
        if !stemmed {
            return None;
        }
        let mut each: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words {
            let alternatives: Vec<(Occur, Box<dyn Query>)> = crate::stems::of_query_word(&word)
                .into_iter()
                .map(|stem| {
                    let term = Term::from_field_text(field, &stem);
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, q)
                })
                .collect();
            // A stop word in every language asks nothing of the stems.
            if !alternatives.is_empty() {
                each.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            }
        }
        (!each.is_empty()).then(|| Box::new(BooleanQuery::new(each)) as Box<dyn Query>)
    }

    /// Checks that `text` reads as a query, for callers that prefer an error to a lenient
    /// reading.
    pub fn check_query(&self, text: &str) -> Result<()> {
        let f = self.fields;
        let parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser
            .parse_query(text)
            .map(|_| ())
            .map_err(|e| Error::BadQuery { query: text.to_owned(), message: e.to_string() })
    }
}

/// Adds articles to the index.
pub struct IndexWriter {
    writer: tantivy::IndexWriter<TantivyDocument>,
    fields: Fields,
    dir: PathBuf,
}

impl IndexWriter {
    /// Adds one article under its store sequence number and id, with the canonical names
    /// of the entities it names (for the entity filter).
    pub fn add<S: AsRef<str>>(
        &mut self,
        seq: ArticleSeq,
        id: &str,
        a: &Article,
        entities: &[S],
    ) -> Result<()> {
        let f = self.fields;
        let body = a.paragraphs.join("\n\n");
        let mut d = TantivyDocument::default();
        // An article in a language with a stemmer: its stems too (English: none).
        if let (Some(field), Some(lang)) =
            (f.stems, a.language.as_deref().and_then(crate::stems::language))
        {
            d.add_pre_tokenized_text(field, crate::stems::of_text(&body, lang));
        }
        d.add_u64(f.seq, seq.0);
        d.add_text(f.id, id);
        d.add_text(f.body, body);
        if let Some(t) = &a.title {
            d.add_text(f.title, t);
        }
        if let Some(o) = &a.outlet {
            d.add_text(f.outlet, o);
            d.add_text(f.outlet_key, o.trim().to_lowercase());
        }
        for author in &a.authors {
            d.add_text(f.author, author);
        }
        if let Some(l) = &a.language {
            d.add_text(f.language, l);
        }
        if let Some(p) = &a.published {
            d.add_date(f.published, DateTime::from_timestamp_secs(p.at.unix_seconds()));
        }
        if let Some(field) = f.entity {
            for name in entities {
                d.add_text(field, entity_key(name.as_ref()));
            }
        }
        self.writer
            .add_document(d)
            .map(|_| ())
            .map_err(|source| Error::Tantivy { dir: self.dir.clone(), source })
    }

    /// Removes the document of sequence number `seq` (to add it again), as of the next
    /// commit.
    pub fn delete(&mut self, seq: ArticleSeq) {
        self.writer.delete_term(Term::from_field_u64(self.fields.seq, seq.0));
    }

    /// Removes the documents of sequence numbers above `seq` (a crash left them half done).
    pub fn delete_after(&mut self, seq: ArticleSeq) -> Result<()> {
        let query = RangeQuery::new(
            Bound::Excluded(Term::from_field_u64(self.fields.seq, seq.0)),
            Bound::Unbounded,
        );
        self.writer
            .delete_query(Box::new(query))
            .map(|_| ())
            .map_err(|source| Error::Tantivy { dir: self.dir.clone(), source })
    }

    /// Makes what was added durable and visible, recording that the index holds the
    /// store's articles through sequence number `through_seq`.
    pub fn commit(&mut self, through_seq: ArticleSeq) -> Result<()> {
        let err = |source| Error::Tantivy { dir: self.dir.clone(), source };
        let mut prepared = self.writer.prepare_commit().map_err(err)?;
        prepared.set_payload(&format!("through_seq={through_seq}"));
        prepared
            .commit()
            .map(|_| ())
            .map_err(|source| Error::Tantivy { dir: self.dir.clone(), source })
    }

    /// Waits for merges to finish, so the index is compact on disk.
    pub fn finish(self) -> Result<()> {
        let dir = self.dir;
        self.writer.wait_merging_threads().map_err(|source| Error::Tantivy { dir, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_core::{Published, Timestamp};

    fn article(title: &str, body: &str, outlet: &str, date: &str) -> Article {
        Article {
            title: Some(title.into()),
            paragraphs: vec![body.into()],
            outlet: Some(outlet.into()),
            authors: vec!["Ann Lee".into()],
            published: Some(Published {
                raw: date.into(),
                at: Timestamp::parse_iso(date).unwrap(),
            }),
            ..Article::default()
        }
    }

    fn index() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::create_or_open(dir.path()).unwrap();
        let mut w = index.writer().unwrap();
        w.add(
            ArticleSeq(1),
            "a",
            &article(
                "Shutdown ends",
                "The government shutdown ended after 35 days.",
                "Office of A",
                "2019-01-25",
            ),
            &["Congress"],
        )
        .unwrap();
        w.add(
            ArticleSeq(2),
            "b",
            &article(
                "Border wall",
                "The president declared a national emergency at the border.",
                "Office of B",
                "2019-02-15",
            ),
            &["Donald Trump", "United  States"],
        )
        .unwrap();
        w.add(
            ArticleSeq(3),
            "c",
            &article(
                "State of the Union",
                "The shutdown delayed the State of the Union address.",
                "Office of B",
                "2019-02-05",
            ),
            &["Congress", "Donald Trump"],
        )
        .unwrap();
        w.commit(ArticleSeq(3)).unwrap();
        index.reload().unwrap();
        (dir, index)
    }

    fn seqs(index: &SearchIndex, q: &SearchQuery) -> Vec<u64> {
        index.search(q).unwrap().hits.iter().map(|h| h.seq.0).collect()
    }

    #[test]
    fn queries() {
        let (_dir, index) = index();
        assert_eq!(index.indexed_through().unwrap(), ArticleSeq(3));
        assert_eq!(seqs(&index, &SearchQuery::new("shutdown")), [1, 3], "title matches weigh more");
        assert_eq!(seqs(&index, &SearchQuery::new("\"national emergency\"")), [2]);
        assert_eq!(seqs(&index, &SearchQuery::new("\"at the border\"")), [2], "common-word pairs");
        assert_eq!(seqs(&index, &SearchQuery::new("\"the border at\"")), Vec::<u64>::new());
        assert_eq!(seqs(&index, &SearchQuery::new("\"of the union\"")), [3]);
        assert_eq!(seqs(&index, &SearchQuery::new("shutdown -union")), [1]);
        assert_eq!(seqs(&index, &SearchQuery::new("title:border")), [2]);
        assert_eq!(
            seqs(&index, &SearchQuery::new("shutdown border")),
            Vec::<u64>::new(),
            "words are ANDed"
        );
        assert_eq!(seqs(&index, &SearchQuery::new("shutdown OR border")).len(), 3);
        assert_eq!(seqs(&index, &SearchQuery::new("author:lee")).len(), 3);
        let mut by_outlet = seqs(&index, &SearchQuery::new("outlet:b"));
        by_outlet.sort_unstable();
        assert_eq!(by_outlet, [2, 3]);
    }

    #[test]
    fn chinese_and_japanese_are_found_by_any_run_of_their_characters() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::create_or_open(dir.path()).unwrap();
        let mut w = index.writer().unwrap();
        let zh = article(
            "蒂勒森在莫斯科会见普京讨论叙利亚问题",
            "美国国务卿蒂勒森周三在克里姆林宫会见俄罗斯总统普京。",
            "新闻社",
            "2017-04-12",
        );
        let ja = article(
            "東京タワーで会合",
            "ティラーソン国務長官はモスクワでプーチン大統領と会談した。",
            "通信",
            "2017-04-13",
        );
        w.add::<&str>(ArticleSeq(1), "zh", &zh, &[]).unwrap();
        w.add::<&str>(ArticleSeq(2), "ja", &ja, &[]).unwrap();
        w.commit(ArticleSeq(2)).unwrap();
        index.reload().unwrap();
        // A name inside a clause with no spaces: a phrase of its characters, title or body.
        assert_eq!(seqs(&index, &SearchQuery::new("普京")), [1]);
        assert_eq!(seqs(&index, &SearchQuery::new("title:莫斯科")), [1]);
        assert_eq!(seqs(&index, &SearchQuery::new("克里姆林宫")), [1]);
        assert_eq!(seqs(&index, &SearchQuery::new("プーチン")), [2]);
        assert_eq!(seqs(&index, &SearchQuery::new("title:東京タワー")), [2]);
        // The characters in another order are not the phrase.
        assert_eq!(seqs(&index, &SearchQuery::new("京普")), Vec::<u64>::new());
        // The rare-word lookup of `similar` reads the same characters.
        let similar = index.similar_to("蒂勒森会见普京", 8, 5).unwrap();
        assert_eq!(similar.first().map(|(s, _)| s.0), Some(1));
    }

    #[test]
    fn articles_in_other_languages_are_found_by_other_forms_of_their_words() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::create_or_open(dir.path()).unwrap();
        let mut w = index.writer().unwrap();
        let with_language = |title: &str, body: &str, language: &str| Article {
            language: Some(language.into()),
            ..article(title, body, "Outlet", "2019-05-20")
        };
        let de = with_language(
            "Neue Wahlen",
            "Die Bundesregierung kündigte am Montag Wahlen in allen Ländern an.",
            "de",
        );
        let fr =
            with_language("Municipales", "Les élections municipales auront lieu en mars.", "fr");
        let en = with_language("Vote", "The elections were held on Sunday.", "en");
        w.add::<&str>(ArticleSeq(1), "de", &de, &[]).unwrap();
        w.add::<&str>(ArticleSeq(2), "fr", &fr, &[]).unwrap();
        w.add::<&str>(ArticleSeq(3), "en", &en, &[]).unwrap();
        w.commit(ArticleSeq(3)).unwrap();
        index.reload().unwrap();
        assert_eq!(seqs(&index, &SearchQuery::new("Wahl")), [1], "Wahlen, by its stem");
        assert_eq!(seqs(&index, &SearchQuery::new("Wahl Bundesregierung")), [1]);
        assert_eq!(seqs(&index, &SearchQuery::new("Wahl Paris")), Vec::<u64>::new(), "AND");
        assert_eq!(seqs(&index, &SearchQuery::new("élection")), [2]);
        assert_eq!(seqs(&index, &SearchQuery::new("wahlen")), [1], "the exact word, as ever");
        // English keeps exact words; a phrase or a field prefix reads no stems.
        assert_eq!(seqs(&index, &SearchQuery::new("election")), Vec::<u64>::new());
        assert_eq!(seqs(&index, &SearchQuery::new("elections")), [3]);
        assert_eq!(seqs(&index, &SearchQuery::new("\"neue wahl\"")), Vec::<u64>::new());
    }

    #[test]
    fn filters_and_order() {
        let (_dir, index) = index();
        let mut q = SearchQuery::new("");
        q.order = SortOrder::Newest;
        assert_eq!(seqs(&index, &q), [2, 3, 1]);
        q.from = Some(Timestamp::parse_iso("2019-02-01").unwrap().unix_seconds());
        q.to = Some(Timestamp::parse_iso("2019-02-10").unwrap().unix_seconds());
        assert_eq!(seqs(&index, &q), [3]);
        let mut q = SearchQuery::new("shutdown");
        q.outlet = Some("office of b".into());
        assert_eq!(seqs(&index, &q), [3]);
    }

    #[test]
    fn a_time_range_adds_the_same_score_whether_or_not_it_holds_a_whole_segment() {
        let (_dir, index) = index();
        let score = |from: &str, to: &str| {
            let mut q = SearchQuery::new("shutdown");
            q.from = Some(Timestamp::parse_iso(from).unwrap().unix_seconds());
            q.to = Some(Timestamp::parse_iso(to).unwrap().unix_seconds());
            let hits = index.search(&q).unwrap().hits;
            hits.iter().find(|h| h.seq == ArticleSeq(1)).map(|h| h.score)
        };
        let plain = index.search(&SearchQuery::new("shutdown")).unwrap().hits;
        let plain = plain.iter().find(|h| h.seq == ArticleSeq(1)).unwrap().score;
        // Every article of the index inside the range, then only some of them.
        let whole = score("2000-01-01", "2030-01-01").unwrap();
        let part = score("2019-01-20", "2019-02-10").unwrap();
        assert!((whole - (plain + 1.0)).abs() < 1e-5, "{whole} against {plain} + 1");
        assert!((part - whole).abs() < 1e-5, "{part} against {whole}");
    }

    #[test]
    fn issue_5_entity_filter_matches_whole_names_in_any_case() {
        let (_dir, index) = index();
        let with = |entity: &str| {
            let mut q = SearchQuery::new("");
            q.entity = Some(entity.into());
            q.order = SortOrder::Oldest;
            seqs(&index, &q)
        };
        assert_eq!(with("Donald Trump"), [3, 2]);
        assert_eq!(with(" donald  TRUMP "), [3, 2]);
        assert_eq!(with("Trump"), Vec::<u64>::new(), "a whole name, not a word of it");
        assert_eq!(with("united states"), [2]);
        let mut q = SearchQuery::new("shutdown");
        q.entity = Some("congress".into());
        assert_eq!(seqs(&index, &q), [1, 3]);
        assert_eq!(seqs(&index, &SearchQuery::new("entity:\"Donald Trump\" shutdown")), [3]);
        // An article re-added with other entities (a backfill) replaces the old document.
        let mut w = index.writer().unwrap();
        w.delete(ArticleSeq(1));
        w.add(
            ArticleSeq(1),
            "a",
            &article("Shutdown ends", "It ended.", "Office of A", "2019-01-25"),
            &["Nancy Pelosi"],
        )
        .unwrap();
        w.commit(ArticleSeq(3)).unwrap();
        assert_eq!(with("congress"), [3]);
        assert_eq!(with("nancy pelosi"), [1]);
        assert_eq!(index.num_docs().unwrap(), 3);
    }

    #[test]
    fn snippets_mark_hits_and_bad_queries_are_lenient() {
        let (_dir, index) = index();
        let results = index.search(&SearchQuery::new("emergency")).unwrap();
        let s = results.snippet("The president declared a national emergency at the border.");
        assert_eq!(&s.text[s.highlights[0].clone()], "emergency");
        let results = index.search(&SearchQuery::new("nosuchfield:x shutdown")).unwrap();
        assert!(!results.warnings.is_empty());
        assert!(index.check_query("title:(unclosed").is_err());
    }

    #[test]
    fn similar_bodies_by_their_rare_words() {
        let (_dir, index) = index();
        let got = index
            .similar_to("A national emergency was declared, the president said.", 8, 5)
            .unwrap();
        assert_eq!(got[0].0, ArticleSeq(2));
        assert!(index.similar_to("the of and", 8, 5).unwrap().is_empty(), "common words only");
        assert!(index.similar_to("", 8, 5).unwrap().is_empty());
    }

    #[test]
    fn deletes_a_half_done_tail() {
        let (_dir, index) = index();
        let mut w = index.writer().unwrap();
        w.delete_after(ArticleSeq(1)).unwrap();
        w.commit(ArticleSeq(1)).unwrap();
        index.reload().unwrap();
        assert_eq!(index.num_docs().unwrap(), 1);
        assert_eq!(index.indexed_through().unwrap(), ArticleSeq(1));
    }
}
