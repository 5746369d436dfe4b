//! lede-pg against a real PostgreSQL 15 started for the test (tests/support).

mod support;

use lede_core::{Article, ArticleId, Published, Timestamp};
use lede_pg::{Error, FORMAT, PgStore};
use lede_store::{NewArticle, Put};
use support::TestPostgres;

/// When the tests store their batches: 2026-12-04T12:00:00Z.
const NOW: i64 = 1_796_385_600;

fn article(title: &str, url: &str, published: Option<&str>) -> Article {
    Article {
        title: Some(title.into()),
        url: Some(url.into()),
        outlet: Some("Example News".into()),
        paragraphs: vec![format!("{title}: what happened, told in one paragraph of text.")],
        published: published
            .map(|p| Published { raw: p.into(), at: Timestamp::parse_iso(p).unwrap() }),
        ..Article::default()
    }
}

fn new<'a>(a: &'a Article, source_id: Option<&'a str>) -> NewArticle<'a> {
    NewArticle {
        id: ArticleId::of(a),
        article: a,
        source_id,
        extra: None,
        origin: "test.jsonl:1",
        fetched_at: &[],
        sketch: Some(b"sketch"),
        annotations: None,
        features: Some(b"features"),
    }
}

#[test]
fn workers_starting_at_once_migrate_once() {
    let pg = TestPostgres::start();
    let url = pg.database("migrate");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::connect(&url).map(|mut s| s.format()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap().unwrap(), FORMAT);
    }
    // And again, on a database already at the format.
    assert_eq!(PgStore::connect(&url).unwrap().format().unwrap(), FORMAT);

    // A database written by a newer lede is refused, named, and left alone.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.execute("UPDATE lede_meta SET value = '99' WHERE key = 'format'", &[]).unwrap();
    match PgStore::connect(&url) {
        Err(e @ Error::TooNew { found: 99, .. }) => {
            assert!(e.to_string().contains("/migrate"), "{e}");
        }
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

#[test]
fn a_batch_stores_each_text_once_and_keeps_aliases() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("batch")).unwrap();
    let a = article("Talks in Moscow", "https://a.example/moscow", Some("2017-04-12T10:00:00Z"));
    let b = article("Vote in the Senate", "https://b.example/vote", Some("2019-01-05"));
    let undated = article("No date given", "https://c.example/undated", None);
    let odd = article("A typo for a date", "https://c.example/odd", Some("1492-10-12"));
    let mut a_elsewhere = a.clone();
    a_elsewhere.url = Some("https://mirror.example/moscow".into());

    let batch = [
        new(&a, Some("rec-1")),
        new(&b, None),
        new(&a_elsewhere, Some("rec-9")),
        new(&undated, None),
        new(&odd, None),
    ];
    let puts = store.put_batch(&batch, NOW).unwrap();
    assert!(matches!(puts[0], Put::Added { .. }), "{puts:?}");
    assert!(matches!(puts[1], Put::Added { .. }), "{puts:?}");
    assert_eq!(puts[2], Put::Duplicate { new_alias: true });
    assert_eq!(store.count().unwrap(), 4);

    // Found by id, by either address and by either record id, as the same article.
    let id = ArticleId::of(&a).to_string();
    for key in
        [id.as_str(), "https://a.example/moscow", "https://mirror.example/moscow", "rec-1", "rec-9"]
    {
        let found = store.find(key).unwrap().unwrap_or_else(|| panic!("{key} not found"));
        assert_eq!(found.id.to_string(), id);
        assert_eq!(found.article, a);
        assert_eq!(found.source_id.as_deref(), Some("rec-1"));
    }
    assert!(store.find("https://nowhere.example/").unwrap().is_none());

    // The same batch again adds nothing and no alias.
    let again = store.put_batch(&batch, NOW).unwrap();
    assert!(again.iter().all(|p| *p == Put::Duplicate { new_alias: false }), "{again:?}");
    assert_eq!(store.count().unwrap(), 4);

    // Partitions by month of publication; the undated and the out-of-range date by the
    // month they were stored.
    let mut client = postgres::Client::connect(&pg.database_url("batch"), postgres::NoTls).unwrap();
    let rows = client
        .query("SELECT tableoid::regclass::text, count(*) FROM articles GROUP BY 1 ORDER BY 1", &[])
        .unwrap();
    let parts: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(parts[0], ("articles_2017_04".to_owned(), 1), "{parts:?}");
    assert_eq!(parts[1], ("articles_2019_01".to_owned(), 1), "{parts:?}");
    assert_eq!(parts[2], ("articles_2026_12".to_owned(), 2), "{parts:?}");
    assert_eq!(parts.len(), 3, "{parts:?}");
}

#[test]
fn a_batch_that_fails_stores_nothing() {
    let pg = TestPostgres::start();
    let mut store = PgStore::connect(&pg.database("atomic")).unwrap();
    let good = article("A good article", "https://a.example/good", Some("2019-01-05"));
    // PostgreSQL's text cannot hold a NUL: the second article fails inside the transaction.
    let bad = article("A bad\0 article", "https://a.example/bad", Some("2019-01-06"));
    let err = store.put_batch(&[new(&good, Some("g")), new(&bad, None)], NOW).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("/atomic") && message.contains("storing a batch"), "{message}");
    assert_eq!(store.count().unwrap(), 0);
    assert!(store.find("g").unwrap().is_none());
    assert!(store.find("https://a.example/good").unwrap().is_none());
    // The connection is still good for the next batch.
    assert!(matches!(
        store.put_batch(&[new(&good, Some("g"))], NOW).unwrap()[0],
        Put::Added { .. }
    ));
}

#[test]
fn concurrent_workers_store_each_text_once() {
    let pg = TestPostgres::start();
    let url = pg.database("race");
    PgStore::connect(&url).unwrap();
    let articles: Vec<Article> = (0..60)
        .map(|i| {
            let day = 1 + i % 28;
            article(
                &format!("Story number {i}"),
                &format!("https://w.example/{i}"),
                Some(&format!("2019-0{}-{day:02}", 1 + i % 3)),
            )
        })
        .collect();
    let articles = std::sync::Arc::new(articles);
    // Four workers, each storing every article in batches of 7, each in its own order:
    // the same texts reach the database from several transactions at the same moment.
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let (url, articles) = (url.clone(), articles.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&url).unwrap();
                let mut order: Vec<usize> = (0..articles.len()).collect();
                order.rotate_left(w * 13);
                if w % 2 == 1 {
                    order.reverse();
                }
                let mut added = 0;
                for chunk in order.chunks(7) {
                    let batch: Vec<NewArticle<'_>> =
                        chunk.iter().map(|&i| new(&articles[i], None)).collect();
                    let puts = store.put_batch(&batch, NOW).unwrap();
                    added += puts.iter().filter(|p| matches!(p, Put::Added { .. })).count();
                }
                added
            })
        })
        .collect();
    let added: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(added, 60);
    assert_eq!(store.count().unwrap(), 60);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows: i64 = client.query_one("SELECT count(*) FROM articles", &[]).unwrap().get(0);
    assert_eq!(rows, 60);
}

#[test]
fn entities_are_counted_once_per_stored_article() {
    use lede_core::{Annotations, Entity, EntityKind, Mention, Quote};
    use lede_store::EntityFilter;
    let pg = TestPostgres::start();
    let url = pg.database("entities");
    let mut store = PgStore::connect(&url).unwrap();
    let mention =
        |text: &str| Mention { paragraph: 0, start: 0, end: text.len(), text: text.into() };
    let person = |name: &str, n: usize| Entity {
        name: name.into(),
        kind: EntityKind::Person,
        mentions: vec![mention(name); n],
    };
    let annotations = Annotations {
        entities: vec![
            person("Vladimir Putin", 2),
            Entity {
                name: "Moscow".into(),
                kind: EntityKind::Place,
                mentions: vec![mention("Moscow")],
            },
        ],
        quotes: vec![Quote {
            text: "We had a frank talk".into(),
            speaker: Some("Vladimir Putin".into()),
            cue: Some("said".into()),
            paragraph: 0,
            start: 1,
            end: 20,
            direct: true,
        }],
        ..Annotations::default()
    };
    let other =
        Annotations { entities: vec![person("Vladimir Putin", 1)], ..Annotations::default() };
    let a = article("Talks in Moscow", "https://a.example/1", None);
    let b = article("More talks", "https://a.example/2", None);
    fn with<'a>(a: &'a Article, annotations: &'a Annotations) -> NewArticle<'a> {
        NewArticle { annotations: Some(annotations), ..new(a, None) }
    }
    // The first article twice: the duplicate adds no rows.
    store
        .put_batch(&[with(&a, &annotations), with(&b, &other), with(&a, &annotations)], NOW)
        .unwrap();
    let all = store.entities(&EntityFilter { kind: None, limit: 10 }).unwrap();
    let rows: Vec<(&str, u64, u64)> =
        all.iter().map(|e| (e.name.as_str(), e.articles, e.mentions)).collect();
    assert_eq!(rows, [("Vladimir Putin", 2, 3), ("Moscow", 1, 1)]);
    let places =
        store.entities(&EntityFilter { kind: Some(EntityKind::Place), limit: 10 }).unwrap();
    assert_eq!(places.len(), 1);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let quotes: i64 = client.query_one("SELECT count(*) FROM quotes", &[]).unwrap().get(0);
    assert_eq!(quotes, 1);

    // A kind this build does not know is reported as damage, naming the entity.
    client.execute("UPDATE entities SET kind = 'planet' WHERE name = 'Moscow'", &[]).unwrap();
    let err = store.entities(&EntityFilter { kind: None, limit: 10 }).unwrap_err();
    assert!(err.to_string().contains("Moscow") && err.to_string().contains("planet"), "{err}");
}

#[test]
fn a_unit_of_work_is_stored_and_counted_once_whatever_the_deliveries() {
    let pg = TestPostgres::start();
    let url = pg.database("work");
    let a = article("Unit one", "https://example.com/u1", Some("2019-01-05"));
    let b = article("Unit two", "https://example.com/u2", None);
    let unit = lede_pg::Unit { msg: "m1", part: 0, last: true, run: "r1" };
    let counts = lede_pg::Counts {
        seen: 4,
        duplicates: 0,
        skipped: 1,
        failed: 1,
        errors: vec![serde_json::json!({"source": "x.jsonl", "message": "invalid JSON"})],
        ..lede_pg::Counts::default()
    };
    // The same unit from four workers at once (a redelivery while the first still runs):
    // one stores it, the others store and count nothing.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (url, counts) = (url.clone(), counts.clone());
            let (a, b) = (a.clone(), b.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&url).unwrap();
                store.put_unit(&unit, &[new(&a, None), new(&b, None)], &counts, NOW).unwrap()
            })
        })
        .collect();
    let stored: Vec<_> = handles.into_iter().filter_map(|h| h.join().unwrap()).collect();
    assert_eq!(stored.len(), 1, "exactly one delivery stores the unit");
    let mut store = PgStore::connect(&url).unwrap();
    assert!(store.unit_done("m1", 0).unwrap());
    assert!(!store.unit_done("m1", 1).unwrap());
    assert_eq!(store.count().unwrap(), 2);
    // A second unit of another run with one of the same texts: a duplicate.
    let unit2 = lede_pg::Unit { msg: "m2", part: 0, last: false, run: "r1" };
    let c2 = lede_pg::Counts { seen: 1, ..lede_pg::Counts::default() };
    let puts = store.put_unit(&unit2, &[new(&a, None)], &c2, NOW).unwrap().unwrap();
    assert!(matches!(puts[0], Put::Duplicate { .. }));
    let p = store.run_progress("r1").unwrap();
    assert_eq!(p.messages_done, 1, "m2's last part is not stored yet");
    assert_eq!(
        (p.counts.seen, p.counts.added, p.counts.duplicates, p.counts.skipped, p.counts.failed),
        (5, 2, 1, 1, 1)
    );
    assert_eq!(p.counts.errors, counts.errors);
    assert_eq!(store.run_progress("other").unwrap(), lede_pg::RunProgress::default());
}

#[test]
fn a_lease_holder_that_lost_its_lease_writes_nothing() {
    use lede_pg::story_scope;
    use lede_store::{StoryBackend, StoryUpdate};
    let pg = TestPostgres::start();
    let url = pg.database("lease");
    let mut a = PgStore::connect(&url).unwrap();
    let mut b = PgStore::connect(&url).unwrap();
    let ttl = std::time::Duration::from_millis(500);
    let (en, de) = (story_scope("en"), story_scope("de"));
    let first = a.try_lease(&en, "a", ttl).unwrap().expect("a free lease is taken");
    assert_eq!(b.try_lease(&en, "b", ttl).unwrap(), None, "held: not taken");
    // Each language has a writer of its own: German's lease is free while English's is held.
    let german = b.try_lease(&de, "b", ttl).unwrap().expect("another language's lease is free");
    assert!(a.renew_lease(&first, ttl).unwrap());
    // A pass that writes `language`'s word frequencies only.
    fn write(
        mut stories: lede_pg::PgStories<'_>,
        language: &str,
        bytes: &[u8],
    ) -> lede_store::Result<()> {
        let doc_freqs = [(language.to_owned(), bytes.to_vec())];
        stories.put_stories(&StoryUpdate {
            assignments: &[],
            stories: &[],
            merged: &[],
            doc_freqs: &doc_freqs,
        })
    }
    write(a.stories(&first, "en"), "en", b"a1").unwrap();
    write(b.stories(&german, "de"), "de", b"d1").unwrap();
    // A lease is for its language's stories only.
    let other = write(a.stories(&first, "de"), "de", b"a0").unwrap_err();
    assert!(other.to_string().contains("stories:de lease of epoch 1"), "{other}");
    // `a` is paused past its lease (as SIGSTOP would); `b` takes it over.
    std::thread::sleep(std::time::Duration::from_millis(700));
    let second = b.try_lease(&en, "b", ttl).unwrap().expect("an expired lease is taken");
    assert_eq!(second.epoch, first.epoch + 1);
    // `a` wakes up: its renewal fails and its write is refused, naming the lease.
    assert!(!a.renew_lease(&first, ttl).unwrap());
    let refused = write(a.stories(&first, "en"), "en", b"a2").unwrap_err();
    let refused = refused.to_string();
    assert!(refused.contains("stories:en lease of epoch 1 is no longer held"), "{refused}");
    write(b.stories(&second, "en"), "en", b"b1").unwrap();
    assert_eq!(b.stories(&second, "en").doc_freq("en").unwrap().as_deref(), Some(&b"b1"[..]));
    assert_eq!(b.stories(&second, "en").doc_freq("de").unwrap().as_deref(), Some(&b"d1"[..]));
    // Given up, it is free at once.
    b.release_lease(&second).unwrap();
    let third = a.try_lease(&en, "a", ttl).unwrap().expect("a released lease is taken");
    assert_eq!(third.epoch, second.epoch + 1);
}

#[test]
fn writers_of_two_languages_take_story_ids_that_never_meet() {
    use lede_core::StoryId;
    use lede_pg::story_scope;
    use lede_store::{StoryBackend, StoryRow, StoryUpdate};
    let pg = TestPostgres::start();
    let url = pg.database("storyids");
    let (mut a, mut b) = (PgStore::connect(&url).unwrap(), PgStore::connect(&url).unwrap());
    let ttl = std::time::Duration::from_secs(60);
    let en = a.try_lease(&story_scope("en"), "a", ttl).unwrap().unwrap();
    let de = b.try_lease(&story_scope("de"), "b", ttl).unwrap().unwrap();
    let (mut en_pass, mut de_pass) = (a.stories(&en, "en"), b.stories(&de, "de"));
    // Two passes at once: each gets a block of its own.
    assert_eq!(en_pass.next_story_id(10).unwrap(), StoryId(1));
    assert_eq!(de_pass.next_story_id(5).unwrap(), StoryId(11));
    let row = |id| StoryRow {
        id: StoryId(id),
        first_ts: None,
        last_ts: None,
        size: 0,
        label_seq: None,
        state: Vec::new(),
        language: "en".to_owned(),
    };
    let pass = |rows: &[StoryRow], mut stories: lede_pg::PgStories<'_>| {
        let update = StoryUpdate { assignments: &[], stories: rows, merged: &[], doc_freqs: &[] };
        stories.put_stories(&update).unwrap();
    };
    // English used 1-3; German reserved after it, so 4-10 stay unused rather than meet
    // German's block.
    pass(&[row(1), row(2), row(3)], en_pass);
    // German used 11 and was the last to reserve: 12-15 are given back.
    pass(&[row(11)], de_pass);
    assert_eq!(a.stories(&en, "en").next_story_id(3).unwrap(), StoryId(12));
}

#[test]
fn two_watches_claiming_at_once_never_take_the_same_feed() {
    use lede_store::Feed;
    use std::time::Duration;
    let pg = TestPostgres::start();
    let url = pg.database("feeds");
    let mut store = PgStore::connect(&url).unwrap();
    for i in 0..40 {
        let due = if i < 30 { NOW - 60 } else { NOW + 3600 };
        let mut feed = Feed::new(&format!("https://f{i:02}.example/feed"), NOW - 600, 900);
        feed.next_poll_ts = due;
        assert!(store.add_feed(&feed).unwrap());
    }
    assert!(!store.add_feed(&Feed::new("https://f00.example/feed", NOW, 60)).unwrap());
    // Eight watches claim at the same moment: each due feed goes to one of them.
    let handles: Vec<_> = (0..8)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&url).unwrap();
                let claimed =
                    store.claim_feeds(&format!("w{w}"), false, NOW, 10, Duration::from_secs(60));
                claimed.unwrap().into_iter().map(|f| f.url).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let claimed = all.len();
    all.sort();
    all.dedup();
    assert_eq!((claimed, all.len()), (30, 30), "every due feed claimed, once");
    assert!(
        store.claim_feeds("late", true, NOW, 100, Duration::from_secs(60)).unwrap().len() == 10
    );
    assert_eq!(store.next_due().unwrap(), None, "every feed is held");

    // The holder writes the schedule and releases; another holder cannot write it.
    let mut feed = store.feeds().unwrap().remove(0);
    let holder = {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .query_one("SELECT claimed_by FROM feeds WHERE url = $1", &[&feed.url])
            .unwrap()
            .get::<_, String>(0)
    };
    feed.next_poll_ts = NOW + 450;
    assert!(!store.finish_poll("someone else", &feed).unwrap());
    assert!(store.finish_poll(&holder, &feed).unwrap());
    assert_eq!(store.next_due().unwrap(), Some(NOW + 450));

    // A claim that ran out is taken by the next watch.
    assert_eq!(
        store.claim_feeds("short", true, NOW, 1, Duration::from_millis(1)).unwrap().len(),
        1
    );
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(
        store.claim_feeds("next", true, NOW, 100, Duration::from_secs(60)).unwrap().len(),
        1
    );

    // Validators are kept per address and replaced.
    let v = lede_core::Validators { etag: Some("\"e1\"".into()), last_modified: None };
    store.set_fetch_state("https://f01.example/feed", &v).unwrap();
    assert_eq!(store.fetch_state("https://f01.example/feed").unwrap(), v);
    assert!(store.fetch_state("https://f02.example/feed").unwrap().is_empty());
}
