//! lede-pg's [`ReadBackend`] against the embedded store holding the same articles,
//! annotations, aliases and stories: every method gives the same answer from both (and
//! `similar_to` the embedded index's). The database is made with ICU's English collation,
//! which orders names otherwise than SQLite's bytes, so that an order left to the
//! database's collation shows.

mod support;

use lede_core::{
    Annotations, Article, ArticleId, ArticleSeq, Entity, EntityKind, Mention, Published, Quote,
    Sentence, StoryId, Timestamp,
};
use lede_pg::PgStore;
use lede_store::{
    EntityFilter, ExploreBackend, Membership, NewArticle, Put, QuoteFilter, QuoteGroupFilter,
    ReadBackend, Store, StoreWriter, StoryBackend, StoryCard, StoryFilter, StoryRow, StoryUpdate,
};
use std::collections::HashMap;
use std::fmt::Debug;
use std::time::Duration;
use support::TestPostgres;

/// When the tests store their batches: 2026-12-04T12:00:00Z.
const NOW: i64 = 1_796_385_600;

/// A PostgreSQL store in a new database of ICU's English collation (under which "apple"
/// sorts before "Banana", unlike in SQLite).
fn icu_store(pg: &TestPostgres, name: &str) -> PgStore {
    let mut admin =
        postgres::Client::connect(&pg.database_url("postgres"), postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        ))
        .unwrap();
    let mut store = PgStore::connect(&pg.database_url(name)).unwrap();
    // The collation is what the test needs: say so if the server's build lacks ICU.
    let mut client = postgres::Client::connect(&pg.database_url(name), postgres::NoTls).unwrap();
    let first: String = client
        .query_one("SELECT min(x) FROM (VALUES ('Banana'), ('apple')) v(x)", &[])
        .unwrap()
        .get(0);
    assert_eq!(first, "apple", "the test database should order by ICU's English collation");
    assert_eq!(store.format().unwrap(), lede_pg::FORMAT);
    store
}

/// One article to store: its text, where it was read, and what its text says.
struct Fixture {
    article: Article,
    source_id: Option<&'static str>,
    fetched_at: Vec<String>,
    extra: Option<serde_json::Value>,
    annotations: Option<Annotations>,
}

fn article(title: Option<&str>, url: &str, outlet: Option<&str>, date: Option<&str>) -> Article {
    let body = title.map_or_else(
        // An article without a headline is labelled by its lead: 300 characters, not
        // bytes, of its first paragraph.
        || "Überraschung im Ausschuss: ".repeat(20),
        |t| format!("{t}: officials met on Tuesday and said the talks would go on."),
    );
    Article {
        title: title.map(str::to_owned),
        url: Some(url.into()),
        outlet: outlet.map(str::to_owned),
        paragraphs: vec![body, "A second paragraph with more of the story.".into()],
        published: date.map(|d| Published { raw: d.into(), at: Timestamp::parse_iso(d).unwrap() }),
        language: Some("en".into()),
        ..Article::default()
    }
}

/// Annotations naming `entities` (name, kind, mentions) and giving `quotes` (text,
/// speaker, direct).
fn annotations(
    entities: &[(&str, EntityKind, usize)],
    quotes: &[(&str, Option<&str>, bool)],
) -> Annotations {
    Annotations {
        sentences: vec![Sentence { paragraph: 0, start: 0, end: 9 }],
        entities: entities
            .iter()
            .map(|&(name, kind, n)| Entity {
                name: name.into(),
                kind,
                mentions: (0..n)
                    .map(|i| Mention { paragraph: 0, start: i, end: i + 1, text: "x".into() })
                    .collect(),
            })
            .collect(),
        quotes: quotes
            .iter()
            .enumerate()
            .map(|(i, &(text, speaker, direct))| Quote {
                text: text.into(),
                speaker: speaker.map(str::to_owned),
                cue: Some("said".into()),
                paragraph: 1,
                start: i,
                end: i + 4,
                direct,
            })
            .collect(),
    }
}

/// Two articles whose ids share their first 8 hex digits (a birthday search over 32 bits:
/// some tens of thousands of hashes).
fn ambiguous_pair() -> (Article, Article) {
    let filler = |i: u32| {
        article(Some(&format!("Filler {i}")), &format!("https://z.example/{i}"), None, None)
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    for i in 0.. {
        let prefix = ArticleId::of(&filler(i)).to_string()[..8].to_owned();
        if let Some(first) = seen.insert(prefix, i) {
            return (filler(first), filler(i));
        }
    }
    unreachable!("the loop ends at the first shared prefix")
}

fn fixtures() -> Vec<Fixture> {
    use EntityKind::{Organization as O, Person as P, Place as L};
    let plain = |article, source_id, annotations| Fixture {
        article,
        source_id,
        fetched_at: Vec::new(),
        extra: None,
        annotations,
    };
    let (filler_a, filler_b) = ambiguous_pair();
    let mut out = vec![
        Fixture {
            fetched_at: vec!["https://a.example/m?id=1".into()],
            ..plain(
                article(
                    Some("Talks in Moscow"),
                    "https://a.example/moscow",
                    Some("Alpha"),
                    Some("2017-04-12"),
                ),
                Some("rec-1"),
                Some(annotations(
                    &[
                        ("Rex Tillerson", P, 3),
                        ("Russia", L, 2),
                        ("apple Corp", O, 1),
                        ("Washington", L, 1),
                    ],
                    &[
                        ("low level of trust", Some("Rex Tillerson"), true),
                        ("we will see", None, true),
                        ("things are improving", Some("Rex Tillerson"), false),
                    ],
                )),
            )
        },
        plain(
            article(
                Some("Tillerson meets Lavrov"),
                "https://b.example/lavrov",
                Some("Beta"),
                Some("2017-04-12T15:00:00Z"),
            ),
            Some("rec-2"),
            Some(annotations(
                &[
                    ("Russia", L, 1),
                    ("Banana", O, 1),
                    ("Jordan", P, 1),
                    ("Zed", P, 1),
                    ("Washington", O, 1),
                ],
                &[
                    ("low level of trust", Some("Rex Tillerson"), true),
                    ("Are we insisting on it? No.", Some("Donald Trump"), true),
                ],
            )),
        ),
        plain(
            article(None, "https://c.example/untitled", None, Some("2019-01-05")),
            None,
            Some(annotations(
                &[("Donald Trump", P, 2), ("Jordan", L, 1)],
                &[
                    ("Proud day", Some("Ivanka Trump"), true),
                    ("A fine day", Some("Ivanka  TRUMP"), true),
                    // Tied with each other: byte order puts "Calm" first, English "brave".
                    ("brave words", Some("Ivanka Trump"), true),
                    ("Calm words", Some("Ivanka Trump"), true),
                ],
            )),
        ),
        // Its record id is another article's address: a record id is looked up first.
        plain(
            article(Some("Senate vote"), "https://d.example/vote", None, None),
            Some("https://a.example/moscow"),
            Some(annotations(
                &[("Ivanka Trump", P, 1), ("Jordan", P, 2)],
                // "Vote now" ties with "A fine day", undated: first, as NULL sorts in SQLite.
                &[
                    ("Proud day", Some("Ivanka Trump"), true),
                    ("Vote now", Some("Ivanka Trump"), true),
                ],
            )),
        ),
        plain(
            article(
                Some("Markets fall"),
                "https://e.example/markets",
                Some("Alpha"),
                Some("2019-01-06"),
            ),
            Some("rec-5"),
            Some(annotations(
                &[("apple Corp", O, 1), ("Russia", L, 1)],
                &[("Sell everything", Some("Warren Buffett"), true)],
            )),
        ),
        Fixture {
            extra: Some(serde_json::json!({"topic": "markets", "rank": 3})),
            ..plain(
                article(
                    Some("Markets rebound"),
                    "https://f.example/rebound",
                    Some("Beta"),
                    Some("2019-01-07"),
                ),
                None,
                Some(annotations(
                    &[("Banana", O, 1), ("Zed", P, 2)],
                    &[("Buy now", Some("Warren Buffett"), true)],
                )),
            )
        },
        plain(
            article(
                Some("A lone story"),
                "https://g.example/lone",
                Some("Gamma"),
                Some("2020-02-02"),
            ),
            None,
            Some(annotations(&[("Russia", L, 4)], &[])),
        ),
        plain(
            article(
                Some("Clustered last"),
                "https://h.example/late",
                Some("Gamma"),
                Some("2020-02-02"),
            ),
            None,
            Some(annotations(&[("Zed", P, 1)], &[])),
        ),
        // Stored without annotations (and never put in a story).
        plain(
            article(Some("Bare"), "https://i.example/bare", None, Some("2021-03-03")),
            None,
            None,
        ),
    ];
    out.push(plain(filler_a, Some("filler-a"), None));
    out.push(plain(filler_b, None, None));
    out
}

fn new(f: &Fixture) -> NewArticle<'_> {
    NewArticle {
        id: ArticleId::of(&f.article),
        article: &f.article,
        source_id: f.source_id,
        extra: f.extra.as_ref(),
        origin: "test.jsonl:1",
        fetched_at: &f.fetched_at,
        sketch: None,
        annotations: f.annotations.as_ref(),
        features: None,
    }
}

fn seq(n: u64) -> ArticleSeq {
    ArticleSeq(n)
}

fn story(id: u64, label: Option<u64>, first: Option<&str>, last: Option<&str>) -> StoryRow {
    let ts = |d: Option<&str>| d.map(|d| Timestamp::parse_iso(d).unwrap().unix_seconds());
    StoryRow {
        id: StoryId(id),
        first_ts: ts(first),
        last_ts: ts(last),
        size: 0,
        label_seq: label.map(ArticleSeq),
        state: format!("state of {id}").into_bytes(),
        // Two languages, so that the stories naming names are asked for across them.
        language: if id.is_multiple_of(2) { "fr" } else { "en" }.to_owned(),
    }
}

fn member(s: u64, story: u64, score: f32) -> Membership {
    Membership { seq: ArticleSeq(s), story: StoryId(story), score }
}

/// What one clustering pass changed.
struct Pass {
    assignments: Vec<Membership>,
    stories: Vec<StoryRow>,
    merged: Vec<(StoryId, StoryId)>,
    doc_freqs: Vec<(String, Vec<u8>)>,
}

impl Pass {
    fn update(&self) -> StoryUpdate<'_> {
        StoryUpdate {
            assignments: &self.assignments,
            stories: &self.stories,
            merged: &self.merged,
            doc_freqs: &self.doc_freqs,
        }
    }
}

/// Three clustering passes: stories 1-3; then 3 merged into 1 and story 4; then 1 merged
/// into 5 (story 3's alias follows it there) and article 8 joining 5.
fn passes() -> Vec<Pass> {
    vec![
        Pass {
            assignments: vec![
                member(1, 1, 0.9),
                member(2, 1, 0.8),
                member(3, 2, 1.0),
                member(4, 2, 0.5),
                member(5, 3, 0.7),
                member(6, 3, 0.6),
            ],
            stories: vec![
                story(1, Some(2), Some("2017-04-12"), Some("2017-04-12")),
                story(2, None, Some("2019-01-05"), None),
                story(3, None, Some("2019-01-06"), Some("2019-01-07")),
            ],
            merged: vec![],
            doc_freqs: vec![("en".into(), b"df 1".to_vec())],
        },
        Pass {
            assignments: vec![member(7, 4, 1.0)],
            stories: vec![
                story(1, Some(2), Some("2017-04-12"), Some("2019-01-07")),
                story(4, None, Some("2020-02-02"), Some("2020-02-02")),
            ],
            merged: vec![(StoryId(3), StoryId(1))],
            doc_freqs: vec![("en".into(), b"df 2".to_vec()), ("fr".into(), b"df fr".to_vec())],
        },
        Pass {
            assignments: vec![member(8, 5, 0.4)],
            stories: vec![story(5, Some(6), Some("2017-04-12"), Some("2020-02-02"))],
            merged: vec![(StoryId(1), StoryId(5))],
            doc_freqs: vec![("en".into(), b"df 3".to_vec())],
        },
    ]
}

/// Stores the fixtures one at a time in both (so that each gets the same sequence number
/// in both; PostgreSQL numbers a batch in the order of its ids), then a copy of the first
/// under other addresses, then the stories.
fn fill(w: &mut StoreWriter, pg: &mut PgStore) -> Vec<Fixture> {
    let fixtures = fixtures();
    for (i, f) in fixtures.iter().enumerate() {
        let want = [Put::Added { seq: seq(i as u64 + 1) }];
        assert_eq!(w.put_batch(&[new(f)]).unwrap(), want);
        assert_eq!(pg.put_batch(&[new(f)], NOW).unwrap(), want);
    }
    let copy = Fixture {
        article: Article {
            url: Some("https://mirror.example/moscow".into()),
            ..fixtures[0].article.clone()
        },
        source_id: Some("rec-9"),
        fetched_at: vec!["https://mirror.example/m".into()],
        extra: None,
        annotations: fixtures[0].annotations.clone(),
    };
    let dup = [Put::Duplicate { new_alias: true }];
    assert_eq!(w.put_batch(&[new(&copy)]).unwrap(), dup);
    assert_eq!(pg.put_batch(&[new(&copy)], NOW).unwrap(), dup);
    // What an ingest says once it has stored its first batch.
    w.annotations_complete().unwrap();

    let lease = pg.try_lease("stories:en", "test", Duration::from_secs(60)).unwrap().unwrap();
    for pass in passes() {
        w.put_stories(&pass.update()).unwrap();
        StoryBackend::put_stories(&mut pg.stories(&lease, "en"), &pass.update()).unwrap();
    }
    fixtures
}

/// Asserts that both answers are the same: equal values, or the same ambiguous key.
fn same<T: PartialEq + Debug>(
    what: &str,
    embedded: lede_store::Result<T>,
    pg: lede_store::Result<T>,
) {
    match (embedded, pg) {
        (Ok(e), Ok(p)) => assert_eq!(e, p, "{what}"),
        (
            Err(lede_store::Error::Ambiguous { key: k1, count: c1 }),
            Err(lede_store::Error::Ambiguous { key: k2, count: c2 }),
        ) => assert_eq!((k1, c1), (k2, c2), "{what}"),
        (e, p) => panic!("{what}: embedded {e:?}, PostgreSQL {p:?}"),
    }
}

/// Every method of both stores, asked the same: `keys` to find, `seqs` and `stories` to
/// read. Returns how many answers were not empty.
fn compare(r: &Store, pg: &mut PgStore, keys: &[String], seqs: u64, stories: u64) -> usize {
    let mut full = 0;
    let mut note = |nonempty: bool| full += usize::from(nonempty);
    for key in keys {
        let found = r.find(key);
        note(matches!(found, Ok(Some(_))));
        same(&format!("find {key:?}"), found, ReadBackend::find(pg, key));
    }
    let asked = [seq(3), seq(1), seq(99), seq(3), seq(seqs)];
    same("by_seqs", r.by_seqs(&asked), pg.by_seqs(&asked));
    for (after, batch) in [(0, 3), (4, 2), (0, 100), (seqs, 1)] {
        let mut embedded = Vec::new();
        r.scan(seq(after), batch, |a| {
            embedded.push(a);
            Ok::<(), lede_store::Error>(())
        })
        .unwrap();
        let mut in_pg = Vec::new();
        pg.scan(seq(after), batch, &mut |a| {
            in_pg.push(a);
            Ok(())
        })
        .unwrap();
        assert_eq!(embedded, in_pg, "scan after {after}, {batch} at a time");
        note(!in_pg.is_empty());
    }
    // A scan stops at the callback's first error, and says it.
    let mut calls = 0;
    let stopped = pg.scan(seq(0), 2, &mut |_| {
        calls += 1;
        if calls == 3 {
            Err(lede_store::Error::Ambiguous { key: "stop".into(), count: 3 })
        } else {
            Ok(())
        }
    });
    let expected_calls = if seqs >= 3 { 3 } else { seqs as usize };
    assert_eq!((calls, stopped.is_err()), (expected_calls, seqs >= 3));

    same("last_seq", r.last_seq(), ReadBackend::last_seq(pg));
    same("article_count", r.article_count(), ReadBackend::article_count(pg));
    same("annotations_pending", r.annotations_pending(), pg.annotations_pending());
    for s in (1..=seqs + 1).map(seq) {
        same(&format!("annotations of {s}"), r.annotations(s), ReadBackend::annotations(pg, s));
        same(&format!("entity_names of {s}"), r.entity_names(s), pg.entity_names(s));
        same(&format!("story_of {s}"), r.story_of(s), ReadBackend::story_of(pg, s));
    }
    for filter in [
        EntityFilter::default(),
        EntityFilter { kind: Some(EntityKind::Person), limit: 50 },
        EntityFilter { kind: Some(EntityKind::Organization), limit: 1 },
        EntityFilter { kind: None, limit: 3 },
    ] {
        let embedded = r.entities(&filter);
        note(embedded.as_ref().is_ok_and(|e| !e.is_empty()));
        same(&format!("entities {filter:?}"), embedded, ReadBackend::entities(pg, &filter));
    }
    for speaker in [
        None,
        Some("trump"),
        Some("ivanka trump"),
        Some("Rex  Tillerson"),
        Some("Donald"),
        Some("ump"),
        Some("nobody"),
    ] {
        for limit in [50, 2] {
            let filter = QuoteFilter { speaker, limit };
            let embedded = r.quotes(&filter);
            note(embedded.as_ref().is_ok_and(|q| !q.is_empty()));
            same(&format!("quotes {filter:?}"), embedded, pg.quotes(&filter));
        }
    }
    same("clustered_through", r.clustered_through(), pg.clustered_through());
    same("story_count", r.story_count(), pg.story_count());
    let since = Timestamp::parse_iso("2019-01-06").unwrap().unix_seconds();
    for filter in [
        StoryFilter::default(),
        StoryFilter { since: Some(since), ..StoryFilter::default() },
        StoryFilter { min_size: 3, ..StoryFilter::default() },
        StoryFilter { limit: 2, ..StoryFilter::default() },
    ] {
        let embedded = r.stories(&filter);
        note(embedded.as_ref().is_ok_and(|s| !s.is_empty()));
        same(&format!("stories {filter:?}"), embedded, ReadBackend::stories(pg, &filter));
    }
    let names: Vec<String> =
        ["Russia", "Zed", "Jordan", "Donald Trump", "apple Corp", "Banana", "Nobody"]
            .map(String::from)
            .to_vec();
    for id in (1..=stories + 1).map(StoryId) {
        let embedded = r.story(id);
        note(matches!(embedded, Ok(Some(_))));
        // Read without leads (a story page's), then the leads of its members: what
        // `story` reads.
        let unled = r.story_unled(id);
        if let (Ok(Some(whole)), Ok(Some(bare))) = (&embedded, &unled) {
            assert!(bare.articles.iter().all(|a| a.lead.is_none()), "story_unled {id}");
            let seqs: Vec<ArticleSeq> = bare.articles.iter().map(|a| a.seq()).collect();
            let leads = r.leads(&seqs).unwrap();
            for a in &whole.articles {
                let lead = leads.iter().find(|l| l.seq == a.seq()).and_then(|l| l.text.clone());
                let expected = if a.title.is_none() { lead } else { a.lead.clone() };
                assert_eq!(a.lead, expected, "story {id}'s leads");
            }
            same(&format!("leads {id}"), Ok(leads), pg.leads(&seqs));
        }
        same(&format!("story_unled {id}"), unled, pg.story_unled(id));
        same(&format!("story {id}"), embedded, pg.story(id));
        same(&format!("story_row {id}"), r.story_row(id), pg.story_row(id));
        for (limit, across) in [(0, 3), (1, 1), (1, 3), (2, 0)] {
            same(
                &format!("stories_naming {id} {limit} {across}"),
                r.stories_naming(id, &names, limit, across),
                pg.stories_naming(id, &names, limit, across),
            );
        }
        for limit in [10, 2] {
            same(
                &format!("story_entities {id} {limit}"),
                r.story_entities(id, limit),
                pg.story_entities(id, limit),
            );
            same(
                &format!("story_quotes {id} {limit}"),
                r.story_quotes(id, limit),
                pg.story_quotes(id, limit),
            );
            same(
                &format!("stories_naming {id} {limit}"),
                r.stories_naming(id, &names, limit, 0),
                pg.stories_naming(id, &names, limit, 0),
            );
        }
        same(
            &format!("stories_naming {id} nothing"),
            r.stories_naming(id, &[], 10, 10),
            pg.stories_naming(id, &[], 10, 10),
        );
    }
    // Rows read at once, in the order asked, the ids that are no story's row left out.
    let ids: Vec<StoryId> = [5, 0, 2, 3, 5, 4, 1, 9].map(StoryId).to_vec();
    same("story_rows_of", r.story_rows_of(&ids), pg.story_rows_of(&ids));
    same("story_rows_of nothing", r.story_rows_of(&[]), pg.story_rows_of(&[]));
    for id in (0..=6).map(StoryId) {
        let embedded = r.story_doc_freq(id);
        same(&format!("doc_freq {id}"), embedded, ReadBackend::doc_freq(pg, id));
    }
    full
}

/// What the reader's entity and quote pages read ([`ExploreBackend`], issue 18), asked of
/// both stores the same. Returns how many answers were not empty.
fn compare_explore(r: &Store, pg: &mut PgStore) -> usize {
    let mut full = 0;
    let mut note = |nonempty: bool| full += usize::from(nonempty);
    // Names as pages link them, typed in another case or spacing, and names of nothing.
    for name in [
        "Russia",
        "russia",
        "RUSSIA",
        "Jordan",
        "jordan",
        "Washington",
        "washington",
        "apple Corp",
        "APPLE  corp",
        "Banana",
        "Donald Trump",
        "Nobody",
        "",
    ] {
        let embedded = r.entity(name);
        note(matches!(embedded, Ok(Some(_))));
        same(&format!("entity {name:?}"), embedded, pg.entity(name));
    }
    let kinds = [EntityKind::Place, EntityKind::Person, EntityKind::Organization];
    for name in ["Russia", "Zed", "Jordan", "Washington", "apple Corp", "Rex Tillerson", "Nobody"] {
        // The whole of a name's articles, and samples of its articles stored last.
        for sample in [20_000, 2, 1, 0] {
            let what = format!("{name:?}, sample {sample}");
            let embedded = r.entity_days(name, sample);
            note(embedded.as_ref().is_ok_and(|d| !d.is_empty()));
            same(&format!("entity_days {what}"), embedded, pg.entity_days(name, sample));
            for limit in [10, 1] {
                let embedded = r.entity_stories(name, limit, sample);
                note(embedded.as_ref().is_ok_and(|s| !s.is_empty()));
                let in_pg = pg.entity_stories(name, limit, sample);
                same(&format!("entity_stories {what}, {limit}"), embedded, in_pg);
            }
            for kind in kinds {
                for limit in [15, 2] {
                    let embedded = r.companions(name, kind, limit, sample);
                    note(embedded.as_ref().is_ok_and(|c| !c.is_empty()));
                    let in_pg = pg.companions(name, kind, limit, sample);
                    same(&format!("companions {what}, {kind:?}, {limit}"), embedded, in_pg);
                }
            }
        }
        // A page among more articles than the sample is read among all of them or among
        // the sample, as costs choose in the embedded store: the same pages when the
        // sample holds all of them.
        for page in [(0, 50), (0, 2), (1, 2), (2, 1), (9, 10)] {
            let embedded = r.entity_articles(name, page, 20_000);
            note(embedded.as_ref().is_ok_and(|a| !a.is_empty()));
            let in_pg = pg.entity_articles(name, page, 20_000);
            same(&format!("entity_articles {name:?}, {page:?}"), embedded, in_pg);
        }
    }
    // Which parts of a page are read from a sample: none with all of its articles; the
    // names beside it in both stores with fewer than it is in (names in under 1,000).
    for name in ["Russia", "Jordan", "Donald Trump", "Rex Tillerson"] {
        let Ok(Some(entity)) = r.entity(name) else { continue };
        for sample in [20_000, 0] {
            let embedded = r.entity_sampled(&entity, 15, (0, 30), sample);
            note(embedded.as_ref().is_ok_and(|s| s.companions));
            same(
                &format!("entity_sampled {name:?} {sample}: days, stories, companions"),
                embedded.map(|s| (s.days, s.stories, s.companions)),
                pg.entity_sampled(&entity, 15, (0, 30), sample)
                    .map(|s| (s.days, s.stories, s.companions)),
            );
        }
    }
    // A time window's stories, ranked by breadth inside it: the whole store, nothing, and
    // the first day and the week before of each story.
    let at = |d: &str| Timestamp::parse_iso(d).unwrap().unix_seconds();
    let mut windows = vec![(i64::MIN, i64::MAX), (0, 0)];
    for id in (0..=8).map(StoryId) {
        if let Ok(Some(s)) = r.story(id)
            && let (Some(first), _) = s.span()
        {
            let t = at(first);
            windows.extend([(t, t + 86_399), (t - 7 * 86_400, t)]);
        }
    }
    for (from, to) in windows {
        for min_size in [1, 2, 3] {
            let embedded = r.window_stories(from, to, min_size);
            note(embedded.as_ref().is_ok_and(|w| !w.is_empty()));
            let in_pg = pg.window_stories(from, to, min_size);
            same(&format!("window_stories {from}..{to}, {min_size}"), embedded, in_pg);
        }
    }
    // Stories' cards: what each story read whole makes of it, merged ids too.
    for id in (0..=8).map(StoryId) {
        let embedded = r.story_card(id);
        note(matches!(embedded, Ok(Some(_))));
        let whole = r.story(id).unwrap();
        assert_eq!(
            embedded.as_ref().ok().cloned().flatten(),
            whole.as_ref().map(StoryCard::of),
            "card {id}"
        );
        same(&format!("story_card {id}"), embedded, pg.story_card(id));
    }
    for speaker in
        ["trump", "ivanka trump", "Rex  Tillerson", "Donald", "ump", "BUFFETT", "nobody", ""]
    {
        let embedded = r.speakers_named(speaker);
        note(embedded.as_ref().is_ok_and(|s| !s.is_empty()));
        same(&format!("speakers_named {speaker:?}"), embedded, pg.speakers_named(speaker));
    }
    let ts = |d: &str| Timestamp::parse_iso(d).unwrap().unix_seconds();
    let page = QuoteGroupFilter { limit: 50, ..QuoteGroupFilter::default() };
    let speakers = |names: &[&str]| Some(names.iter().map(|&n| n.to_owned()).collect());
    let filters = vec![
        page.clone(),
        QuoteGroupFilter { limit: 2, ..page.clone() },
        QuoteGroupFilter { offset: 2, limit: 3, ..page.clone() },
        QuoteGroupFilter { offset: 100, ..page.clone() },
        QuoteGroupFilter { speakers: Some(Vec::new()), ..page.clone() },
        QuoteGroupFilter { speakers: speakers(&["Ivanka Trump"]), ..page.clone() },
        QuoteGroupFilter {
            speakers: speakers(&["Ivanka Trump", "Ivanka  TRUMP", "Rex Tillerson"]),
            ..page.clone()
        },
        QuoteGroupFilter { speakers: speakers(&["ivanka trump"]), ..page.clone() },
        // SQLite's lower() lowers ASCII letters only: "Ü" is not "ü".
        QuoteGroupFilter { text: Some("DAY".into()), ..page.clone() },
        QuoteGroupFilter { text: Some("words".into()), ..page.clone() },
        QuoteGroupFilter { text: Some(String::new()), ..page.clone() },
        QuoteGroupFilter { text: Some("nothing said".into()), ..page.clone() },
        QuoteGroupFilter { from: Some(ts("2019-01-01")), ..page.clone() },
        QuoteGroupFilter { to: Some(ts("2018-12-31")), ..page.clone() },
        QuoteGroupFilter {
            from: Some(ts("2017-04-12T12:00:00Z")),
            to: Some(ts("2019-01-06")),
            ..page.clone()
        },
        QuoteGroupFilter {
            speakers: speakers(&["Ivanka Trump", "Warren Buffett"]),
            from: Some(ts("2019-01-06")),
            ..page.clone()
        },
        QuoteGroupFilter {
            speakers: speakers(&["Rex Tillerson"]),
            text: Some("TRUST".into()),
            to: Some(ts("2017-04-12")),
            ..page.clone()
        },
        QuoteGroupFilter { speakers: r.speakers_named("trump").ok(), ..page },
    ];
    for filter in filters {
        let embedded = r.quote_groups(&filter);
        note(embedded.as_ref().is_ok_and(|(g, _)| !g.is_empty()));
        same(&format!("quote_groups {filter:?}"), embedded, pg.quote_groups(&filter));
    }
    full
}

/// The keys to find: every article's id whole, in capitals, padded and cut to a prefix,
/// its record id and addresses; and what names nothing or more than one.
fn keys(fixtures: &[Fixture]) -> Vec<String> {
    let mut keys = Vec::new();
    for f in fixtures {
        let id = ArticleId::of(&f.article).to_string();
        keys.extend([
            id.clone(),
            id.to_uppercase(),
            format!("  {id} "),
            id[..12].to_owned(),
            id[..31].to_owned(),
        ]);
        keys.extend(f.source_id.map(str::to_owned));
        keys.extend(f.article.url.clone());
        keys.extend(f.fetched_at.iter().cloned());
    }
    let shared = ArticleId::of(&fixtures[fixtures.len() - 1].article).to_string()[..8].to_owned();
    keys.extend([
        shared.clone(),
        shared.to_uppercase(),
        "rec-9".into(),
        "https://mirror.example/m".into(),
        "https://mirror.example/moscow".into(),
        "nothing".into(),
        "0123456789abcdef0123456789abcdef".into(),
        "feedface".into(),
        "abc".into(),
        String::new(),
    ]);
    keys
}

#[test]
fn every_read_answers_as_the_embedded_store_does() {
    let pg_server = TestPostgres::start();
    let mut pg = icu_store(&pg_server, "reads");
    let dir = tempfile::tempdir().unwrap();
    let mut w = StoreWriter::open(dir.path()).unwrap();
    let fixtures = fill(&mut w, &mut pg);
    let keys = keys(&fixtures);
    let n = fixtures.len() as u64;
    let full = compare(w.reader(), &mut pg, &keys, n, 5);
    assert!(full >= 60, "the data exercises the reads: {full} answers were not empty");
    let explored = compare_explore(w.reader(), &mut pg);
    assert!(explored >= 150, "the data exercises the pages' reads: {explored} were not empty");

    // The answers the comparison rests on, spelled out.
    let shared = &keys[keys.len() - 10];
    assert!(matches!(
        ReadBackend::find(&mut pg, shared),
        Err(lede_store::Error::Ambiguous { count: 2, .. })
    ));
    let record_first = ReadBackend::find(&mut pg, "https://a.example/moscow").unwrap().unwrap();
    assert_eq!(record_first.seq, seq(4), "a record id is looked up before an address");
    let merged = pg.story(StoryId(3)).unwrap().unwrap();
    assert_eq!(merged.id, StoryId(5), "3 went into 1, which went into 5");
    assert_eq!(merged.articles.len(), 5);
    assert_eq!(pg.story_row(StoryId(1)).unwrap().map(|r| r.id), Some(StoryId(5)));
    let listed = ReadBackend::stories(&mut pg, &StoryFilter::default()).unwrap();
    let ids: Vec<u64> = listed.iter().map(|s| s.id.0).collect();
    assert_eq!(ids, [5, 4, 2], "newest first, the larger first on the same day, undated last");
    let untitled = &pg.story(StoryId(2)).unwrap().unwrap().articles[0];
    assert_eq!(untitled.lead.as_ref().map(|l| l.chars().count()), Some(300));
    let people = ReadBackend::entities(&mut pg, &EntityFilter::default()).unwrap();
    let names: Vec<&str> = people.iter().map(|e| e.name.as_str()).collect();
    let (apple, banana) = (
        names.iter().position(|n| *n == "apple Corp").unwrap(),
        names.iter().position(|n| *n == "Banana").unwrap(),
    );
    assert!(banana < apple, "ties in byte order, as SQLite: {names:?}");
    // A name of two kinds with the same counts: two entities, in the order of their kinds
    // (the 52k releases have 479 such ties; left to the database, the stores disagreed).
    let washington: Vec<EntityKind> =
        people.iter().filter(|e| e.name == "Washington").map(|e| e.kind).collect();
    assert_eq!(washington, [EntityKind::Organization, EntityKind::Place], "{people:?}");
    let in_two = pg.story_entities(StoryId(2), 10).unwrap();
    let jordan = in_two.iter().find(|e| e.name == "Jordan").unwrap();
    assert_eq!((jordan.kind, jordan.articles), (EntityKind::Place, 2), "{in_two:?}");
    assert_eq!(pg.clustered_through().unwrap(), seq(8));
    assert_eq!(ReadBackend::doc_freq(&mut pg, StoryId(5)).unwrap().as_deref(), Some(&b"df 3"[..]));

    // The entity and quote pages' answers, spelled out: a name in another case finds the
    // canonical one; a name of two kinds in as many articles each is the kind first in
    // byte order, else the kind more articles give.
    use EntityKind::{Organization as O, Person as P, Place as L};
    let russia = pg.entity("RUSSIA").unwrap().unwrap();
    assert_eq!((russia.name.as_str(), russia.kind, russia.articles), ("Russia", L, 4));
    assert_eq!(pg.entity("washington").unwrap().map(|e| e.kind), Some(O));
    assert_eq!(pg.entity("Jordan").unwrap().map(|e| (e.kind, e.articles)), Some((P, 2)));
    // Newest first; the names beside it over its articles stored last (7: Zed's).
    let listed = |page: Vec<lede_store::StoryArticle>| -> Vec<u64> {
        page.iter().map(|a| a.seq().0).collect()
    };
    assert_eq!(listed(pg.entity_articles("Russia", (0, 50), 20_000).unwrap()), [7, 5, 2, 1]);
    assert_eq!(listed(pg.entity_articles("Russia", (1, 2), 20_000).unwrap()), [5, 2]);
    let (groups, total) =
        pg.quote_groups(&QuoteGroupFilter { limit: 2, ..Default::default() }).unwrap();
    assert_eq!(total, 11);
    let firsts: Vec<(&str, u64, u64, u64)> =
        groups.iter().map(|g| (g.text.as_str(), g.articles, g.outlets, g.first.seq().0)).collect();
    // Articles without an outlet count as one each.
    assert_eq!(firsts, [("low level of trust", 2, 2, 1), ("Proud day", 2, 2, 3)]);

    // A database of format 7 (without the index of a name's articles by sequence number,
    // nor the stories' languages) is brought to today's format by the next connection,
    // and answers the same; each story's language is its label's.
    let url = pg_server.database_url("reads");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "DROP INDEX entities_name_seq;
             CREATE INDEX entities_name ON entities (name);
             DROP INDEX stories_language;
             ALTER TABLE stories DROP COLUMN language;
             UPDATE lede_meta SET value = '7' WHERE key = 'format';",
        )
        .unwrap();
    let mut pg = PgStore::connect(&url).unwrap();
    assert_eq!(pg.format().unwrap(), lede_pg::FORMAT);
    assert_eq!(compare_explore(w.reader(), &mut pg), explored);
    let languages: Vec<(String, String)> = client
        .query(
            "SELECT s.language, a.language FROM stories s JOIN articles a ON a.seq = s.label_seq
             ORDER BY s.id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), lede_core::story_language(r.get::<_, Option<&str>>(1))))
        .collect();
    assert!(languages.len() >= 2 && languages.iter().all(|(s, a)| s == a), "{languages:?}");

    // A damaged story is named, with the database.
    let e = ReadBackend::damaged_story(&mut pg, StoryId(3), "clustering state", &"truncated");
    let embedded = w.reader().damaged_story(StoryId(3), "clustering state", "truncated");
    let tail = embedded.to_string();
    let tail = tail.split_once(": ").unwrap().1;
    assert!(e.to_string().ends_with(tail), "{e} / {embedded}");
    assert!(e.to_string().contains("/reads"), "{e}");
}

#[test]
fn an_article_committed_late_keeps_clustering_pending() {
    let pg_server = TestPostgres::start();
    let mut pg = PgStore::connect(&pg_server.database("late")).unwrap();
    let fixtures = fixtures();
    for f in &fixtures[..3] {
        pg.put_batch(&[new(f)], NOW).unwrap();
    }
    // Articles 1 and 3 are in a story; 2 (as if its worker committed last) waits.
    let lease = pg.try_lease("stories:en", "test", Duration::from_secs(60)).unwrap().unwrap();
    let rows = [story(1, None, None, None)];
    let assignments = [member(1, 1, 1.0), member(3, 1, 1.0)];
    let update =
        StoryUpdate { assignments: &assignments, stories: &rows, merged: &[], doc_freqs: &[] };
    StoryBackend::put_stories(&mut pg.stories(&lease, "en"), &update).unwrap();
    assert_eq!(pg.clustered_through().unwrap(), seq(1));
    assert!(pg.clustered_through().unwrap() < ReadBackend::last_seq(&mut pg).unwrap());
}

#[test]
fn an_empty_store_answers_as_an_empty_embedded_store() {
    let pg_server = TestPostgres::start();
    let mut pg = icu_store(&pg_server, "empty");
    let dir = tempfile::tempdir().unwrap();
    let w = StoreWriter::open(dir.path()).unwrap();
    let keys = keys(&fixtures());
    assert_eq!(compare(w.reader(), &mut pg, &keys, 0, 0), 0);
    assert_eq!(compare_explore(w.reader(), &mut pg), 0);
    assert_eq!(pg.similar_to("Moscow talks", 8, 5).unwrap(), []);
}

#[test]
fn similar_to_is_the_search_of_the_embedded_index() {
    let pg_server = TestPostgres::start();
    let mut pg = icu_store(&pg_server, "rare_words");
    let index_dir = tempfile::tempdir().unwrap();
    let index = lede_search::SearchIndex::create_or_open(index_dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    let fixtures = fixtures();
    for (i, f) in fixtures.iter().enumerate() {
        let s = seq(i as u64 + 1);
        assert_eq!(pg.put_batch(&[new(f)], NOW).unwrap(), [Put::Added { seq: s }]);
        let names: Vec<&str> =
            f.annotations.iter().flat_map(|a| &a.entities).map(|e| e.name.as_str()).collect();
        writer.add(s, &ArticleId::of(&f.article).to_string(), &f.article, &names).unwrap();
    }
    writer.commit(seq(fixtures.len() as u64)).unwrap();
    index.reload().unwrap();
    let text = "Officials met in Moscow on Tuesday; Lavrov said the talks would go on.";
    let embedded = index.similar_to(text, 8, 5).unwrap();
    let in_pg = ReadBackend::similar_to(&mut pg, text, 8, 5).unwrap();
    assert!(!in_pg.is_empty());
    assert_eq!(embedded.len(), in_pg.len());
    for (e, p) in embedded.iter().zip(&in_pg) {
        assert!((e.1 - p.1).abs() <= 1e-4 * e.1.max(1.0), "{embedded:?} / {in_pg:?}");
    }
}
