//! lede-pg's search against a real PostgreSQL 15 (tests/support), beside the embedded index
//! (lede-search) holding the same articles: the same matches, the same BM25 scores.

mod support;

use lede_core::{
    Annotations, Article, ArticleId, ArticleSeq, Entity, EntityKind, Published, Timestamp,
};
use lede_pg::PgStore;
use lede_search::{SearchIndex, SearchQuery, SortOrder};
use lede_store::{NewArticle, Put};
use std::collections::BTreeMap;
use support::TestPostgres;

/// When the tests store their batches: 2026-12-04T12:00:00Z.
const NOW: i64 = 1_796_385_600;

fn article(title: &str, paragraphs: &[&str]) -> Article {
    Article {
        title: Some(title.into()),
        paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
        language: Some("en".into()),
        ..Article::default()
    }
}

fn new(a: &Article) -> NewArticle<'_> {
    NewArticle {
        id: ArticleId::of(a),
        article: a,
        source_id: None,
        extra: None,
        origin: "test.jsonl:1",
        fetched_at: &[],
        sketch: None,
        annotations: None,
        features: None,
    }
}

/// Stores `articles` in PostgreSQL (in batches of `batch`) and in an embedded index.
fn both(
    store: &mut PgStore,
    articles: &[Article],
    batch: usize,
) -> (tempfile::TempDir, SearchIndex) {
    let none = vec![Annotations::default(); articles.len()];
    both_annotated(store, articles, &none, batch)
}

/// Stores `articles`, naming the entities of `annotations`, in PostgreSQL (in batches of
/// `batch`) and in an embedded index.
fn both_annotated(
    store: &mut PgStore,
    articles: &[Article],
    annotations: &[Annotations],
    batch: usize,
) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    let mut last = ArticleSeq(0);
    let pairs: Vec<(&Article, &Annotations)> = articles.iter().zip(annotations).collect();
    for chunk in pairs.chunks(batch) {
        let news: Vec<NewArticle<'_>> =
            chunk.iter().map(|(a, n)| NewArticle { annotations: Some(n), ..new(a) }).collect();
        let puts = store.put_batch(&news, NOW).unwrap();
        for ((a, n), put) in chunk.iter().zip(puts) {
            let Put::Added { seq } = put else { panic!("a duplicate: {a:?}") };
            let names: Vec<&str> = n.entities.iter().map(|e| e.name.as_str()).collect();
            writer.add(seq, &ArticleId::of(a).to_string(), a, &names).unwrap();
            last = seq;
        }
    }
    writer.commit(last).unwrap();
    index.reload().unwrap();
    (dir, index)
}

/// Each hit's id and score, from the embedded index and from PostgreSQL.
fn answers(
    store: &mut PgStore,
    index: &SearchIndex,
    q: &str,
) -> (BTreeMap<String, f32>, BTreeMap<String, f32>) {
    let mut query = SearchQuery::new(q);
    query.limit = 1000;
    let tantivy = index.search(&query).unwrap().hits.into_iter().map(|h| (h.id, h.score));
    let pg = store.search(q, 1000).unwrap().into_iter().map(|h| (h.id, h.rank));
    (tantivy.collect(), pg.collect())
}

/// A small collection with common and rare words, long and short fields, titles that
/// repeat body words, and phrases of common words: every part of BM25 and of the query
/// syntax has something to tell apart.
fn collection() -> Vec<Article> {
    const WORDS: &[&str] = &[
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "on",
        "with",
        "budget",
        "council",
        "shutdown",
        "border",
        "senate",
        "vote",
        "health",
        "care",
        "tax",
        "farm",
        "bill",
        "water",
        "school",
        "veterans",
        "energy",
        "trade",
        "china",
        "steel",
        "jobs",
        "rural",
        "grant",
        "bridge",
        "opioid",
        "tariffs",
        "wildfire",
        "covid",
        "19",
        "salmon",
        "lighthouse",
        "état",
        "über",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = Vec::new();
    for i in 0..60 {
        // Zipf-like: common words far more often than rare ones.
        let word = |next: &mut dyn FnMut(usize) -> usize| {
            let a = next(WORDS.len());
            WORDS[next(a + 1)]
        };
        let title: Vec<&str> = (0..2 + next(7)).map(|_| word(&mut next)).collect();
        let paragraphs: Vec<String> = (0..1 + next(3))
            .map(|_| {
                let words: Vec<&str> = (0..3 + next(60)).map(|_| word(&mut next)).collect();
                format!("{}.", words.join(" "))
            })
            .collect();
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let mut a = article(&title.join(" "), &paragraphs);
        if i % 9 == 0 {
            // Punctuation and case, as real text has them.
            a.paragraphs.push(format!("COVID-19 and the State of the Union ({i}); U.S. steel."));
        }
        out.push(a);
    }
    out
}

#[test]
fn search_matches_and_ranks_as_the_embedded_index_does() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("conformance")).unwrap();
    let (_dir, index) = both(&mut store, &collection(), 7);
    let queries = [
        "budget",
        "the",
        "lighthouse",
        "salmon OR lighthouse",
        "budget council",
        "budget -council",
        "-council",
        "title:budget",
        "title:budget OR body:salmon",
        "\"of the\"",
        "\"the state of the union\"",
        "\"budget council\"",
        "\"budget the\"",
        "budget -\"of the\"",
        "\"council budget\" OR lighthouse",
        "title:\"budget council\"",
        "covid-19",
        "COVID-19 steel",
        "état OR über OR lighthouse",
        "(budget OR tax) AND farm",
        "budget^3 tax",
        "*",
        "nosuchfield:budget tax",
        "((( \" -",
        "— !",
        "",
    ];
    for q in queries {
        let (tantivy, pg) = answers(&mut store, &index, q);
        assert_eq!(
            tantivy.keys().collect::<Vec<_>>(),
            pg.keys().collect::<Vec<_>>(),
            "{q:?}: the same articles match"
        );
        for (id, t) in &tantivy {
            let p = pg[id];
            assert!((t - p).abs() <= 1e-4 * t.abs().max(1.0), "{q:?}: {id}: tantivy {t}, pg {p}");
        }
    }
    // Enough of them find something for the comparison to mean anything.
    let found = queries.iter().filter(|q| !answers(&mut store, &index, q).0.is_empty()).count();
    assert!(found >= 15, "{found}");
}

#[test]
fn search_ranks_by_rarity_and_headline_and_reads_the_query_syntax() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("search")).unwrap();
    let moscow = article(
        "Tillerson meets Putin in Moscow",
        &["The talks lasted two hours and ended without an agreement."],
    );
    let vote = article(
        "Senate vote on the shutdown",
        &[
            "Senators voted to reopen the government; one had just returned from Moscow.",
            "The shutdown had lasted 35 days.",
        ],
    );
    let hearing =
        article("Budget hearing", &["The committee heard testimony on the shutdown's cost."]);
    let budget = article("Budget vote", &["The council passed the budget and the shutdown ended."]);
    let batch = [new(&moscow), new(&vote), new(&hearing), new(&budget)];
    store.put_batch(&batch, NOW).unwrap();
    let titles = |hits: Vec<lede_pg::Hit>| -> Vec<String> {
        hits.into_iter().map(|h| h.title.unwrap_or_default()).collect()
    };

    // A headline match outranks a body match.
    let hits = store.search("Moscow", 10).unwrap();
    assert_eq!(
        titles(hits.clone()),
        ["Tillerson meets Putin in Moscow", "Senate vote on the shutdown"]
    );
    let s = &hits[1];
    assert_eq!(s.highlights.iter().map(|h| &s.snippet[h.clone()]).collect::<Vec<_>>(), ["Moscow"]);
    // A rare word counts for more than a common one: "testimony" is in one article,
    // "shutdown" in three; each article below has one of them once.
    let hits = store.search("testimony OR ended", 10).unwrap();
    assert_eq!(titles(hits)[0], "Budget hearing");
    // Words as they are written: no stemming ("meetings" is not "meets").
    assert!(store.search("meetings", 10).unwrap().is_empty());
    // Phrases (of common words too), exclusion, OR, a field.
    assert_eq!(
        titles(store.search("\"reopen the government\"", 10).unwrap()),
        ["Senate vote on the shutdown"]
    );
    assert!(store.search("\"the reopen government\"", 10).unwrap().is_empty());
    let mut excluded = titles(store.search("shutdown -moscow", 10).unwrap());
    excluded.sort();
    assert_eq!(excluded, ["Budget hearing", "Budget vote"]);
    assert_eq!(store.search("talks OR testimony", 10).unwrap().len(), 2);
    assert!(store.search("talks or testimony", 10).unwrap().is_empty(), "`or` is a word");
    assert_eq!(titles(store.search("title:vote", 10).unwrap()).len(), 2);
    assert_eq!(store.search("shutdown", 1).unwrap().len(), 1);
    // Common words are words like any other (there are no stop words).
    assert_eq!(store.search("the", 10).unwrap().len(), 4);
    // Broken syntax is read leniently, with warnings, never an error.
    assert!(store.search("((( \" -", 10).unwrap().is_empty());
    assert!(!PgStore::search_warnings("((( \" -").is_empty());
    assert_eq!(titles(store.search("title:(budget", 10).unwrap()).len(), 2);
    assert!(!PgStore::search_warnings("published:[2019 TO 2020] budget").is_empty());
    assert!(PgStore::search_warnings("budget -vote").is_empty());
}

#[test]
fn articles_stored_before_format_3_are_indexed_by_the_first_search() {
    let pg = TestPostgres::start();
    let url = pg.database("backfill");
    let mut store = PgStore::connect(&url).unwrap();
    let articles = collection();
    let (_dir, index) = both(&mut store, &articles, 25);
    let before = answers(&mut store, &index, "budget council").1;
    assert!(!before.is_empty());
    // A database as the migration to format 3 leaves one: no terms, no totals, a note.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "DELETE FROM search_terms;
             DELETE FROM search_totals;
             INSERT INTO lede_meta (key, value) VALUES ('search_backfill', 'pending');",
        )
        .unwrap();
    // Two searches at once: each article indexed and counted once.
    let searches: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::connect(&url).unwrap().search("budget", 10))
        })
        .collect();
    for s in searches {
        s.join().unwrap().unwrap();
    }
    assert_eq!(answers(&mut store, &index, "budget council").1, before);
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM search_terms), (SELECT sum(docs) FROM search_totals)::bigint",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), articles.len() as i64);
    assert_eq!(row.get::<_, i64>(1), articles.len() as i64);
    let note: i64 = client
        .query_one("SELECT count(*) FROM lede_meta WHERE key = 'search_backfill'", &[])
        .unwrap()
        .get(0);
    assert_eq!(note, 0, "later searches have nothing left to do");
}

#[test]
fn workers_storing_at_once_count_every_article_once() {
    let pg = TestPostgres::start();
    let url = pg.database("totals");
    PgStore::connect(&url).unwrap();
    let articles = collection();
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let (url, articles) = (url.clone(), articles.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&url).unwrap();
                // Every worker stores every article, in its own order: each is stored once.
                let mut order: Vec<&Article> = articles.iter().collect();
                order.rotate_left(w * 13);
                for chunk in order.chunks(5) {
                    let batch: Vec<NewArticle<'_>> = chunk.iter().map(|a| new(a)).collect();
                    store.put_batch(&batch, NOW).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let row = client
        .query_one(
            "SELECT (SELECT sum(docs) FROM search_totals)::bigint, (SELECT count(*) FROM articles),
                    (SELECT sum(body_tokens) FROM search_totals)::bigint,
                    (SELECT sum(body_len) FROM search_terms)::bigint",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), articles.len() as i64);
    assert_eq!(row.get::<_, i64>(1), articles.len() as i64);
    assert_eq!(row.get::<_, i64>(2), row.get::<_, i64>(3));
}

#[test]
fn similar_to_finds_what_the_embedded_index_finds() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("rare_words")).unwrap();
    let articles = collection();
    let (_dir, index) = both(&mut store, &articles, 9);
    let texts = [
        articles[3].paragraphs[0].clone(),
        articles[17].paragraphs.join(" "),
        "The lighthouse and the salmon, on the bridge.".to_owned(),
        "Budget, council, shutdown: BUDGET again; nosuchword too.".to_owned(),
        "COVID-19 and the State of the Union; U.S. steel.".to_owned(),
        "état über tariffs".to_owned(),
    ];
    let mut found = 0;
    for text in &texts {
        for (words, limit) in [(8, 1000), (3, 1000), (1, 1000), (8, 5)] {
            let tantivy = index.similar_to(text, words, limit).unwrap();
            let pg = store.similar_to(text, words, limit).unwrap();
            assert_eq!(tantivy.len(), pg.len(), "{text:?} ({words} words, {limit})");
            // The same scores in the same order; the articles too, but for ties, which
            // tantivy breaks by its own document order.
            for (t, p) in tantivy.iter().zip(&pg) {
                assert!((t.1 - p.1).abs() <= 1e-4 * t.1.max(1.0), "{text:?}: {t:?} {p:?}");
            }
            if limit == 1000 {
                let by_seq = |hits: &[(ArticleSeq, f32)]| -> BTreeMap<u64, f32> {
                    hits.iter().map(|(s, score)| (s.0, *score)).collect()
                };
                assert_eq!(
                    by_seq(&tantivy).keys().collect::<Vec<_>>(),
                    by_seq(&pg).keys().collect::<Vec<_>>(),
                    "{text:?} ({words} words)"
                );
            }
            found += usize::from(!pg.is_empty());
        }
    }
    assert!(found >= 20, "{found}");
    // Common words only, words no article holds, nothing: no query, no results.
    assert!(store.similar_to("the of and with", 8, 5).unwrap().is_empty());
    assert!(store.similar_to("zyzzyva quux", 8, 5).unwrap().is_empty());
    assert!(store.similar_to("", 8, 5).unwrap().is_empty());
    assert!(store.similar_to("budget", 0, 5).unwrap().is_empty());
    // Fewer words, fewer matches: `lighthouse` (rare) alone before `bridge` joins it.
    let one = store.similar_to("bridge lighthouse", 1, 1000).unwrap();
    let two = store.similar_to("bridge lighthouse", 2, 1000).unwrap();
    assert!(!one.is_empty() && one.len() < two.len(), "{} {}", one.len(), two.len());
}

/// [`collection`] with outlets (one name in two spellings), authors, publication times
/// (some undated) and entities (names that differ in case and spacing).
fn described() -> (Vec<Article>, Vec<Annotations>) {
    const OUTLETS: &[Option<&str>] =
        &[Some("Office of A"), Some("Office of B"), Some(" office of b"), None, Some("État Post")];
    const AUTHORS: &[&[&str]] = &[&["Ann Lee"], &["Bo Chen", "Ann Lee"], &[], &["Lee Marvin"]];
    const ENTITIES: &[&[&str]] = &[
        &["Donald Trump"],
        &["Congress", "Donald Trump", "United  States"],
        &[],
        &["Été Group"],
        &["congress"],
        &["Donald Trump", "Été Group"],
    ];
    let mut articles = collection();
    let mut annotations = Vec::new();
    for (i, a) in articles.iter_mut().enumerate() {
        a.outlet = OUTLETS[i % OUTLETS.len()].map(str::to_owned);
        a.authors = AUTHORS[i % AUTHORS.len()].iter().map(|s| (*s).to_owned()).collect();
        if i % 7 != 3 {
            // Days apart, not in storage order.
            let day = (i * 37) % 90;
            let (month, day) = match day {
                0..31 => (1, day + 1),
                31..59 => (2, day - 30),
                _ => (3, day - 58),
            };
            let raw = format!("2019-{month:02}-{day:02}T08:00:00Z");
            let at = Timestamp::parse_iso(&raw).unwrap();
            a.published = Some(Published { raw, at });
        }
        let entities = ENTITIES[i % ENTITIES.len()]
            .iter()
            .map(|name| Entity {
                name: (*name).into(),
                kind: EntityKind::Organization,
                mentions: Vec::new(),
            })
            .collect();
        annotations.push(Annotations { entities, ..Annotations::default() });
    }
    (articles, annotations)
}

#[test]
fn search_filters_orders_and_counts_as_the_embedded_index_does() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("filters")).unwrap();
    let (articles, annotations) = described();
    let (_dir, index) = both_annotated(&mut store, &articles, &annotations, 11);
    let at = |day: &str| Timestamp::parse_iso(day).unwrap().unix_seconds();
    let texts = [
        "",
        "budget",
        "budget council",
        "\"of the\"",
        "-council",
        "outlet:b",
        "outlet:\"office of\" budget",
        "author:lee",
        "author:\"ann lee\" OR title:tax",
        "entity:\"donald trump\"",
        "entity:congress budget",
        "outlet_key:office",
        "title:budget OR author:marvin",
    ];
    type Filter = fn(&mut SearchQuery, &dyn Fn(&str) -> i64);
    let filters: [Filter; 8] = [
        |_, _| {},
        |q, at| q.from = Some(at("2019-02-01")),
        |q, at| {
            q.from = Some(at("2019-01-10"));
            q.to = Some(at("2019-03-01"));
        },
        |q, _| q.outlet = Some("OFFICE OF B".into()),
        |q, _| q.outlet = Some("État post ".into()),
        |q, _| q.entity = Some(" donald  TRUMP".into()),
        |q, _| q.entity = Some("été group".into()),
        |q, at| {
            q.entity = Some("Congress".into());
            q.to = Some(at("2019-03-01"));
            q.outlet = Some("office of b".into());
        },
    ];
    let mut compared = 0;
    for text in texts {
        for filter in filters {
            for order in [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest] {
                for limit in [1000, 3] {
                    let mut q = SearchQuery::new(text);
                    filter(&mut q, &at);
                    q.order = order;
                    q.limit = limit;
                    let embedded = index.search(&q).unwrap();
                    let count = index.count(&q).unwrap();
                    let found = store.search_with(&q).unwrap();
                    let what = format!("{q:?}");
                    assert_eq!(found.total, count, "{what}: the count");
                    assert_eq!(store.search_count(&q).unwrap(), count, "{what}: the count alone");
                    assert_eq!(found.hits.len(), embedded.hits.len(), "{what}");
                    assert_eq!(
                        found.warnings.is_empty(),
                        embedded.warnings.is_empty(),
                        "{what}: {:?}",
                        found.warnings
                    );
                    for (t, p) in embedded.hits.iter().zip(&found.hits) {
                        let close = (t.score - p.rank).abs() <= 1e-4 * t.score.abs().max(1.0);
                        assert!(close, "{what}: tantivy {t:?}, pg {} {}", p.id, p.rank);
                    }
                    if order != SortOrder::Relevance || limit == 1000 {
                        // Dates are distinct but for the undated, which both put last;
                        // scores tie, and tantivy breaks ties by its own document order.
                        fn ids(mut ids: Vec<&String>, order: SortOrder) -> Vec<&String> {
                            if order == SortOrder::Relevance {
                                ids.sort();
                            }
                            ids
                        }
                        let dated = |id: &String| {
                            articles
                                .iter()
                                .find(|a| ArticleId::of(a).to_string() == *id)
                                .unwrap()
                                .published
                                .is_some()
                        };
                        assert_eq!(
                            ids(
                                embedded
                                    .hits
                                    .iter()
                                    .map(|h| &h.id)
                                    .filter(|id| order == SortOrder::Relevance || dated(id))
                                    .collect(),
                                order
                            ),
                            ids(
                                found
                                    .hits
                                    .iter()
                                    .map(|h| &h.id)
                                    .filter(|id| order == SortOrder::Relevance || dated(id))
                                    .collect(),
                                order
                            ),
                            "{what}"
                        );
                    }
                    compared += usize::from(!found.hits.is_empty());
                }
            }
        }
    }
    assert!(compared >= 300, "{compared}");
}

/// Articles in German, French, Russian and English: the stemmed languages get stems, the
/// English keeps its exact words.
fn languages() -> Vec<Article> {
    let texts: &[(&str, &str, &str)] = &[
        ("de", "Die Wahlen in Berlin", "Die Wahl fand am Sonntag statt. Die Wähler wählten."),
        ("de", "Berliner Wahl", "Nach der Wahl in Berlin begann die Auszählung der Stimmen."),
        ("de", "Haushalt", "Der Haushalt des Landes wurde beschlossen."),
        ("fr", "Les élections à Paris", "L'élection a eu lieu dimanche. Les électeurs ont voté."),
        ("fr", "Budget", "Le budget de la ville a été adopté par le conseil."),
        ("ru", "Выборы в Москве", "Выборы прошли в воскресенье. Избиратели проголосовали."),
        ("ru", "Бюджет", "Бюджет города принят советом."),
        ("en", "Berlin election", "The election in Berlin was held on Sunday; elections matter."),
        ("en", "Budget", "The city council adopted the budget."),
    ];
    texts
        .iter()
        .map(|(lang, title, body)| Article {
            language: Some((*lang).into()),
            ..article(title, &[body])
        })
        .collect()
}

#[test]
fn search_by_stems_answers_as_the_embedded_index_does() {
    let pg = TestPostgres::start();
    let url = pg.database("stems");
    let mut store = PgStore::connect(&url).unwrap();
    let (_dir, index) = both(&mut store, &languages(), 4);
    let queries = [
        "Wahl",
        "wahlen",
        "Wahl Berlin",
        "élections",
        "électeur",
        "выбор",
        "Москва",
        "election",
        "budget",
        "der",
        "\"Wahl in Berlin\"",
        "title:Wahl",
        "Wahl OR budget",
    ];
    let check = |store: &mut PgStore| {
        for q in queries {
            let (tantivy, pg) = answers(store, &index, q);
            assert_eq!(
                tantivy.keys().collect::<Vec<_>>(),
                pg.keys().collect::<Vec<_>>(),
                "{q:?}: the same articles match"
            );
            for (id, t) in &tantivy {
                let p = pg[id];
                assert!((t - p).abs() <= 1e-4 * t.abs().max(1.0), "{q:?}: {id}: {t} vs {p}");
            }
        }
    };
    check(&mut store);
    // The stems find what the exact words do not: "Wahlen" finds "Wahl", "выбор" "Выборы".
    assert_eq!(answers(&mut store, &index, "wahlen").1.len(), 2);
    assert_eq!(answers(&mut store, &index, "выбор").1.len(), 1);
    let count = |store: &mut PgStore, q: &str| store.search_count(&SearchQuery::new(q)).unwrap();
    assert_eq!(count(&mut store, "wahlen"), index.count(&SearchQuery::new("wahlen")).unwrap());

    // A database of format 6 (vectors without stems, format 8's index not made) is brought
    // to the current format by the next connection, and its stemmed articles are indexed again by the first search.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "UPDATE search_terms SET terms = ts_delete(terms, ARRAY(
                 SELECT lexeme FROM unnest(terms) WHERE lexeme LIKE 'stem:%'));
             ALTER TABLE search_terms DROP COLUMN stem_len;
             ALTER TABLE search_totals DROP COLUMN stem_tokens;
             DROP INDEX entities_name_seq;
             CREATE INDEX entities_name ON entities (name);
             DROP INDEX stories_language;
             ALTER TABLE stories DROP COLUMN language;
             UPDATE lede_meta SET value = '6' WHERE key = 'format';",
        )
        .unwrap();
    let mut store = PgStore::connect(&url).unwrap();
    check(&mut store);
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM search_terms), (SELECT sum(docs) FROM search_totals)::bigint,
                    (SELECT value FROM lede_meta WHERE key = 'format')",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 9);
    assert_eq!(row.get::<_, i64>(1), 9, "each article counted once");
    assert_eq!(row.get::<_, String>(2), lede_pg::FORMAT.to_string());
}
