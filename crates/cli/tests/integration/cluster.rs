//! Cluster mode (issue #15) against real services the tests start: PostgreSQL 15 and NATS
//! JetStream, `lede ingest --wait` publishing, `lede worker` processes storing.

use crate::nats::TestNats;
use crate::pg_support::TestPostgres;
use crate::support::{get, json, lede, start_with};
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = "../../data/sample";

fn cluster(pg: &str, nats: &str) -> Command {
    let mut cmd = lede();
    cmd.args(["--postgres", pg, "--nats", nats])
        .env("LEDE_ACK_WAIT_SECS", "3")
        .env("LEDE_LEASE_SECS", "3");
    cmd
}

/// A `lede worker` process, killed if the test ends (or fails) before it exits.
struct Worker(Option<Child>);

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn worker(pg: &str, nats: &str, idle: &str) -> Worker {
    let child = cluster(pg, nats)
        .args(["worker", "-j", "1", "--json", "--exit-when-idle", idle])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Worker(Some(child))
}

/// Waits for a worker to exit by itself; what it did.
fn finish(mut worker: Worker) -> serde_json::Value {
    let out = worker.0.take().unwrap().wait_with_output().unwrap();
    assert!(out.status.success(), "the worker failed: {:?}", out.status);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids_in_postgres(url: &str) -> BTreeSet<String> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.query("SELECT id FROM article_ids", &[]).unwrap().iter().map(|r| r.get(0)).collect()
}

/// Articles stored (0 before the first lede has created the schema).
fn count_in_postgres(url: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.query_one("SELECT count(*) FROM articles", &[]).map_or(0, |r| r.get(0))
}

/// Each article's story (by article id) in the embedded store.
fn embedded_stories(data: &std::path::Path) -> Vec<(String, i64)> {
    let db = rusqlite::Connection::open(data.join("lede.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT a.id, m.story FROM story_members m JOIN articles a ON a.seq = m.seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// Each article's story (by article id) in PostgreSQL.
fn postgres_stories(url: &str) -> Vec<(String, i64)> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query("SELECT i.id, m.story FROM story_members m JOIN article_ids i ON i.seq = m.seq ORDER BY i.id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// B-cubed F1 of clustering `b` against `a` (both: article id -> cluster).
fn bcubed_f1(a: &[(String, i64)], b: &[(String, i64)]) -> f64 {
    use std::collections::BTreeMap;
    let of = |pairs: &[(String, i64)]| -> BTreeMap<String, i64> { pairs.iter().cloned().collect() };
    let (a, b) = (of(a), of(b));
    assert_eq!(a.len(), b.len(), "both cluster the same articles");
    fn members(m: &BTreeMap<String, i64>) -> BTreeMap<i64, Vec<&String>> {
        let mut by: BTreeMap<i64, Vec<&String>> = BTreeMap::new();
        for (id, c) in m {
            by.entry(*c).or_default().push(id);
        }
        by
    }
    let (ma, mb) = (members(&a), members(&b));
    let (mut p, mut r) = (0.0, 0.0);
    for (id, ca) in &a {
        let in_a: BTreeSet<&String> = ma[ca].iter().copied().collect();
        let in_b: BTreeSet<&String> = mb[&b[id]].iter().copied().collect();
        let both = in_a.intersection(&in_b).count() as f64;
        p += both / in_b.len() as f64;
        r += both / in_a.len() as f64;
    }
    let (p, r) = (p / a.len() as f64, r / a.len() as f64);
    2.0 * p * r / (p + r)
}

/// The summary fields both modes share.
fn counts(summary: &serde_json::Value) -> [u64; 6] {
    ["seen", "added", "duplicates", "skipped", "filtered", "failed"]
        .map(|k| summary[k].as_u64().unwrap_or_else(|| panic!("no {k} in {summary}")))
}

#[test]
fn workers_store_the_sample_as_embedded_ingest_does_and_a_rerun_finds_it_stored() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("sample");
    let dir = tempfile::tempdir().unwrap();
    let (code, embedded) =
        json(lede().arg("--data").arg(dir.path().join("data")).args(["ingest", "--json", SAMPLE]));
    assert_eq!(code, 0);
    let workers = [worker(&url, &nats.url(), "5s"), worker(&url, &nats.url(), "5s")];
    let (code, clustered) =
        json(cluster(&url, &nats.url()).args(["ingest", "--wait", "--json", SAMPLE]));
    assert_eq!(code, 0, "{clustered}");
    assert_eq!(counts(&clustered), counts(&embedded), "cluster {clustered}\nembedded {embedded}");

    // The same article ids (content hashes) as the embedded store's.
    let out = lede().arg("--data").arg(dir.path().join("data")).arg("export").output().unwrap();
    let embedded_ids: BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["article_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(embedded_ids.len() as u64, embedded["added"].as_u64().unwrap());
    assert_eq!(ids_in_postgres(&url), embedded_ids);
    // Stories: every article in one (the story writer ran before --wait returned), and
    // the same stories as embedded ingest's (B-cubed F1 1.0 when measured; 0.98 is the
    // issue's bound, for a pass cut where the work queue emptied for a moment).
    let (emb, pg) = (embedded_stories(&dir.path().join("data")), postgres_stories(&url));
    assert_eq!(pg.len(), emb.len());
    let f1 = bcubed_f1(&emb, &pg);
    assert!(f1 >= 0.98, "B-cubed F1 {f1}");

    let done: u64 = workers.map(finish).iter().map(|s| s["added"].as_u64().unwrap()).sum();
    assert_eq!(done, embedded["added"].as_u64().unwrap(), "each article added by one worker once");

    // Again, with a new worker: everything is found stored, and it exits 0 (scripts and
    // cron depend on it).
    let again_worker = worker(&url, &nats.url(), "5s");
    let (code, again) =
        json(cluster(&url, &nats.url()).args(["ingest", "--wait", "--json", SAMPLE]));
    assert_eq!(code, 0);
    let [seen, added, duplicates, ..] = counts(&again);
    assert_eq!((seen, added), (counts(&embedded)[0], 0));
    assert_eq!(duplicates, counts(&embedded)[1] + counts(&embedded)[2]);
    assert_eq!(finish(again_worker)["added"].as_u64(), Some(0));

    // The same near-duplicate groups, member for member.
    let dups = |cmd: &mut Command| json(cmd.args(["dups", "--window", "3", "--json"]));
    let (code, embedded_dups) = dups(lede().arg("--data").arg(dir.path().join("data")));
    assert_eq!(code, 0);
    let (code, cluster_dups) = dups(&mut cluster(&url, &nats.url()));
    assert_eq!(code, 0);
    // Groups as sets of ids: within a group, members of the same date are listed by
    // storage order, which workers make differ, and so is the reported similarity (the
    // weakest pair on the path that joined the group: 0.7362 against 0.7355 for one group
    // of the sample), within 0.01.
    let groups = |v: &serde_json::Value| -> std::collections::BTreeMap<Vec<String>, f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let mut ids: Vec<String> = g["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_str().unwrap().to_owned())
                    .collect();
                ids.sort();
                (ids, g["similarity"].as_f64().unwrap())
            })
            .collect()
    };
    let (embedded_groups, cluster_groups) = (groups(&embedded_dups), groups(&cluster_dups));
    assert!(embedded_groups.len() > 10, "the sample has near-duplicates");
    let ids = |g: &std::collections::BTreeMap<Vec<String>, f64>| -> Vec<Vec<String>> {
        g.keys().cloned().collect()
    };
    assert_eq!(ids(&cluster_groups), ids(&embedded_groups), "the same groups");
    for (members, similarity) in &embedded_groups {
        assert!((similarity - cluster_groups[members]).abs() <= 0.01, "{members:?}");
    }

    // Read back through PostgreSQL.
    let some_id = embedded_ids.iter().next().unwrap();
    let (code, shown) = json(cluster(&url, &nats.url()).args(["show", "--json", some_id]));
    assert_eq!(code, 0);
    assert_eq!(shown["id"].as_str(), Some(some_id.as_str()), "{shown}");
    let out = cluster(&url, &nats.url()).arg("errors").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "no failed work");

    let data = dir.path().join("data");
    reads_answer_as_embedded(&data, &url, &nats.url(), &embedded_dups);
}

/// The read commands answer from PostgreSQL as from the embedded store holding the same
/// articles. Where workers stored in another order than embedded ingest (sequence
/// numbers differ), lists are compared as sets; everything else is compared whole.
fn reads_answer_as_embedded(
    data: &std::path::Path,
    pg: &str,
    nats: &str,
    dups: &serde_json::Value,
) {
    let command = |embedded: bool| -> Command {
        if embedded {
            let mut c = lede();
            c.arg("--data").arg(data);
            c
        } else {
            cluster(pg, nats)
        }
    };
    let run = |args: &[&str], embedded: bool| -> serde_json::Value {
        let mut cmd = command(embedded);
        let (code, out) = json(cmd.args(args));
        assert_eq!(code, 0, "{args:?} (embedded: {embedded}): {out}");
        out
    };
    let both = |args: &[&str]| (run(args, true), run(args, false));

    // Entities: counts per article, most named first; ties by name.
    let (e, c) = both(&["entities", "--json", "--limit", "40"]);
    assert!(e.as_array().unwrap().len() >= 20, "{e}");
    assert_eq!(c, e);

    // Quotes: every one, as a set (newest first; among quotes of the same date, store
    // order decides).
    let quote_set = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array().unwrap().iter().map(|q| q.to_string()).collect()
    };
    let (e, c) = both(&["quotes", "--json", "--limit", "100000"]);
    assert!(quote_set(&e).len() > 50, "{e}");
    assert_eq!(quote_set(&c), quote_set(&e));
    let (e, c) = both(&["quotes", "--json", "--speaker", "Trump", "--limit", "100000"]);
    assert_eq!(quote_set(&c), quote_set(&e));

    // Stories: the same articles together under the same label; numbering may differ.
    let story_set = |v: &serde_json::Value| -> BTreeSet<(Vec<String>, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let mut ids: Vec<String> = s["articles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_str().unwrap().to_owned())
                    .collect();
                ids.sort();
                (ids, s["label"].to_string())
            })
            .collect()
    };
    let (e, c) = both(&["stories", "--json", "--min-size", "2"]);
    let (e_set, c_set) = (story_set(&e), story_set(&c));
    assert!(e_set.len() > 20, "{e}");
    let same = e_set.intersection(&c_set).count() as f64 / e_set.len() as f64;
    assert!(same >= 0.95, "{same} of the embedded stories found alike");

    // One story whole, named by one of its articles: timeline, names, quotes and related
    // stories (compared by label: ids may differ).
    let biggest = e.as_array().unwrap().iter().max_by_key(|s| s["size"].as_u64()).unwrap();
    let article = biggest["articles"][0].as_str().unwrap();
    let (e, c) = both(&["story", "--json", article]);
    let timeline = |v: &serde_json::Value| -> BTreeSet<String> {
        v["timeline"].as_array().unwrap().iter().map(|a| a["id"].to_string()).collect()
    };
    assert_eq!(timeline(&c), timeline(&e));
    for field in ["label", "size", "outlets", "first_seen", "last_seen", "entities", "quotes"] {
        assert_eq!(c[field], e[field], "{field}");
    }
    let related = |v: &serde_json::Value| -> Vec<String> {
        v["related"].as_array().unwrap().iter().map(|r| r["label"].to_string()).collect()
    };
    assert_eq!(related(&c), related(&e));

    // Trace: the later article of a near-duplicate pair, whose source is the earlier.
    let pair = dups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["ids"].as_array().unwrap().len() == 2)
        .expect("a pair among the near-duplicates");
    let later = pair["ids"][1].as_str().unwrap();
    let (e, c) = both(&["trace", "--json", later]);
    assert_ne!(e["verdict"], "original", "{e}");
    for field in ["verdict", "words", "spin_markers"] {
        assert_eq!(c[field], e[field], "{field}");
    }
    // The same sources, covering nearly the same share: among articles of the same date,
    // "earlier" is storage order, which workers make differ from embedded ingest's, so a
    // fragment may be credited to another candidate (0.642 against 0.663 once).
    let sources = |v: &serde_json::Value| -> Vec<(String, f64)> {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_owned(), s["coverage"].as_f64().unwrap()))
            .collect()
    };
    let (e_sources, c_sources) = (sources(&e), sources(&c));
    assert_eq!(c_sources.len(), e_sources.len(), "{c}\n{e}");
    for ((e_id, e_cov), (c_id, c_cov)) in e_sources.iter().zip(&c_sources) {
        assert_eq!(c_id, e_id);
        assert!((c_cov - e_cov).abs() <= 0.05, "{c_id}: {c_cov} against {e_cov}");
    }

    // Export: the same records.
    let lines = |embedded: bool| -> BTreeSet<String> {
        let out = command(embedded).arg("export").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
    };
    let exported = lines(true);
    assert!(exported.len() > 100);
    assert_eq!(lines(false), exported);

    // Stats: the same counts (the format is each store's own).
    let (mut e, mut c) = both(&["stats", "--json"]);
    for s in [&mut e, &mut c] {
        s.as_object_mut().unwrap().remove("format");
    }
    assert_eq!(c, e);

    // The reader: the same API answers, and its pages render from PostgreSQL.
    let (embedded, clustered) = (start_with(command(true)), start_with(command(false)));
    let api = |server: &crate::support::Server, path: &str| -> serde_json::Value {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    };
    let (e, c) = (api(&embedded, "/api/stats"), api(&clustered, "/api/stats"));
    assert_eq!(
        (c["articles"].clone(), c["stories"].clone()),
        (e["articles"].clone(), e["stories"].clone())
    );
    // The same article, all but its sequence number (storage order) and the ids of its
    // story and related stories: the languages' story writers (the sample has 20 Spanish
    // articles and one of no language told beside the English) take ids from one counter
    // at once, in blocks, where embedded clustering numbers the languages one after another.
    let path = format!("/api/articles/{later}");
    let (mut e, mut c) = (api(&embedded, &path), api(&clustered, &path));
    for a in [&mut e, &mut c] {
        assert!(a.as_object_mut().unwrap().remove("seq").is_some());
        let story = a["story"].as_object_mut().unwrap();
        assert!(story.remove("id").is_some());
        for r in story["related"].as_array_mut().unwrap() {
            assert!(r.as_object_mut().unwrap().remove("id").is_some());
        }
    }
    assert_eq!(c, e);
    let path = format!("/api/articles/{later}/trace");
    assert_eq!(api(&clustered, &path)["verdict"], api(&embedded, &path)["verdict"]);
    let ids = |v: &serde_json::Value| -> BTreeSet<String> {
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].to_string()).collect()
    };
    let path = "/api/search?q=shutdown&limit=5";
    let (e, c) = (api(&embedded, path), api(&clustered, path));
    assert!(!ids(&e).is_empty(), "{e}");
    assert_eq!((ids(&c), &c["total"]), (ids(&e), &e["total"]));
    let in_cluster = |page: &str| -> String {
        let (status, body) = get(&clustered.addr, page);
        assert_eq!(status, 200, "{page}: {body}");
        body
    };
    assert!(in_cluster("/").contains("<html"));
    assert!(in_cluster(&format!("/articles/{later}")).contains("<html"));
    assert!(in_cluster("/search?q=shutdown").contains("<html"));
    let first = &api(&clustered, "/api/stories?min_size=2")[0];
    let story = first["id"].as_u64().unwrap();
    assert!(in_cluster(&format!("/stories/{story}")).contains("<html"));
    assert_eq!(api(&clustered, &format!("/api/stories/{story}"))["id"].as_u64(), Some(story));
    // An entity's page and grouped quotes (issue 18): the same data from both stores, and
    // the pages render from PostgreSQL. Story ids are numbered apart, and articles of one
    // date follow store order, which differs: those are compared as sets, and a quote
    // group's first article by its date.
    let named = run(&["entities", "--json", "--limit", "1000"], true);
    let named: Vec<(String, u64)> = named
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap().to_owned(), e["articles"].as_u64().unwrap()))
        .collect();
    let few = named.iter().rev().find(|(_, n)| (2..=30).contains(n)).expect("a name in a few");
    let entity_page = |mut v: serde_json::Value, whole: bool| -> serde_json::Value {
        for story in v["stories"].as_array_mut().unwrap() {
            // A story's card (issue 18): its id and link to it are numbered apart.
            let story = story.as_object_mut().unwrap();
            assert!(story.remove("id").is_some());
            assert!(story.remove("href").is_some());
            assert!(story["outlet_count"].as_u64() >= Some(1), "{story:?}");
        }
        v["stories"].as_array_mut().unwrap().sort_by_key(|s| s.to_string());
        let page = v["article_page"].as_array_mut().unwrap();
        if whole {
            page.sort_by_key(|a| a.to_string());
        } else {
            *page = page.iter().map(|a| a["published"].clone()).collect();
        }
        v
    };
    for (name, articles) in [&named[0], few] {
        let path = format!("/api/entities/{}", percent_encoded(name));
        let (e, c) = (api(&embedded, &path), api(&clustered, &path));
        assert!(!e["days"].as_array().unwrap().is_empty(), "{e}");
        let whole = *articles <= 30;
        assert_eq!(entity_page(c, whole), entity_page(e, whole), "{path}");
        // A name typed in another case finds the same entity.
        let lower = format!("/entities/{}", percent_encoded(&name.to_lowercase()));
        assert!(in_cluster(&lower).contains("<html"), "{lower}");
    }
    let groups = |v: serde_json::Value| -> serde_json::Value {
        let mut v = v;
        for g in v["groups"].as_array_mut().unwrap() {
            g["first"] = g["first"]["published"].clone();
            g["story"] = g["story"].is_u64().into();
        }
        v
    };
    // The day the quote said by the most outlets was first said.
    let said = api(&embedded, "/api/quotes/groups?q=e");
    let day = &said["groups"][0]["first"]["published"].as_str().unwrap()[..10];
    for path in [
        format!("/api/quotes/groups?from={day}&to={day}"),
        "/api/quotes/groups?speaker=trump".into(),
        "/api/quotes/groups?speaker=trump&page=2".into(),
        "/api/quotes/groups?q=PEOPLE".into(),
    ] {
        let (e, c) = (api(&embedded, &path), api(&clustered, &path));
        assert!(e["total"].as_u64().unwrap() > 0, "{path}: {e}");
        assert_eq!(groups(c), groups(e), "{path}");
    }
    assert!(in_cluster("/quotes?speaker=trump").contains("<html"));
}

/// `text` as a URL path segment or query value: every byte but ASCII letters, digits and
/// `-._~` percent-encoded.
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Three English and three German reports of one earthquake, as JSON Lines: the same
/// names, numbers and (in English) quote; `language` gives every record that language
/// instead of its own.
fn quake_records(language: Option<&str>) -> String {
    let quote = "\"We are facing one of the biggest disasters in our history,\" Erdogan said.";
    let en = [
        "An earthquake of magnitude 7.8 struck near Gaziantep in southern Turkey on Monday, killing more than 1,500 people in Turkey and Syria.",
        "A 7.8 magnitude earthquake hit Gaziantep, Kahramanmaras and Hatay in Turkey early on Monday; more than 1,500 people died in Turkey and Syria.",
        "Rescue teams from Ankara and Istanbul reached Gaziantep and Hatay after the 7.8 earthquake in Turkey, which killed more than 1,500 people.",
    ];
    let de = [
        "Ein Erdbeben der Stärke 7,8 hat am Montag die Region um Gaziantep im Süden der Türkei erschüttert und mehr als 1500 Menschen in der Türkei und in Syrien getötet.",
        "Das Erdbeben der Stärke 7,8 traf am frühen Montag Gaziantep, Kahramanmaras und Hatay in der Türkei; mehr als 1500 Menschen starben in der Türkei und in Syrien.",
        "Rettungsteams aus Ankara und Istanbul erreichten nach dem Erdbeben der Stärke 7,8 in der Türkei Gaziantep und Hatay, wo mehr als 1500 Menschen starben.",
    ];
    let record = |id: String, title: &str, lead: &str, rest: &str, own: &str| {
        let mut r = serde_json::json!({
            "id": id,
            "title": title,
            "date": "2023-02-06",
            "text": format!("{lead}\n\nPresident Recep Tayyip Erdogan spoke in Ankara. {rest}\n\n{quote}"),
            "language": language.unwrap_or(own),
        });
        if language.is_none() {
            r.as_object_mut().unwrap().remove("language");
        }
        r.to_string() + "\n"
    };
    let mut out = String::new();
    for (i, lead) in en.iter().enumerate() {
        let rest = "Buildings collapsed in Gaziantep, Kahramanmaras and Hatay, and rescuers searched the rubble through the night in the cold.";
        out += &record(
            format!("en{i}"),
            "Earthquake of magnitude 7.8 kills 1,500 in Turkey and Syria",
            lead,
            rest,
            "en",
        );
    }
    for (i, lead) in de.iter().enumerate() {
        let rest = "In Gaziantep, Kahramanmaras und Hatay stürzten Gebäude ein, und Helfer suchten die ganze Nacht in der Kälte in den Trümmern.";
        out += &record(
            format!("de{i}"),
            "Erdbeben der Stärke 7,8 tötet 1500 Menschen in der Türkei und Syrien",
            lead,
            rest,
            "de",
        );
    }
    out
}

/// Stories as sets of record ids (`source_id`), from the stories a store lists.
fn story_sets(stories: &serde_json::Value) -> BTreeSet<BTreeSet<String>> {
    stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["source_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn a_mixed_language_batch_makes_a_story_per_language_embedded_and_in_cluster_mode() {
    let dir = tempfile::tempdir().unwrap();
    let embedded_stories_of = |name: &str, records: String| {
        let input = dir.path().join(format!("{name}.jsonl"));
        std::fs::write(&input, records).unwrap();
        let data = dir.path().join(name);
        let (code, out) =
            json(lede().arg("--data").arg(&data).args(["ingest", "--json"]).arg(&input));
        assert_eq!(code, 0, "{out}");
        let (code, stories) = json(lede().arg("--data").arg(&data).args(["stories", "--json"]));
        assert_eq!(code, 0);
        (input, story_sets(&stories))
    };
    let ids =
        |prefix: &str| -> BTreeSet<String> { (0..3).map(|i| format!("{prefix}{i}")).collect() };
    // The control: told they are all English, the six reports are one story; so it is
    // their languages that keep them apart below, not their words.
    let (_, one_language) = embedded_stories_of("all-en", quake_records(Some("en")));
    let all: BTreeSet<String> = ids("en").union(&ids("de")).cloned().collect();
    assert_eq!(one_language, BTreeSet::from([all]), "one language, one story");
    // In their own languages (as detected): a story per language, embedded...
    let (input, embedded) = embedded_stories_of("mixed", quake_records(None));
    assert_eq!(embedded, BTreeSet::from([ids("en"), ids("de")]), "a story per language");
    // ...and in cluster mode, where each language has a writer (a lease) of its own: the
    // same stories.
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("mixed");
    let w = worker(&url, &nats.url(), "5s");
    let (code, out) =
        json(cluster(&url, &nats.url()).args(["ingest", "--wait", "--json"]).arg(&input));
    assert_eq!(code, 0, "{out}");
    let (code, stories) = json(cluster(&url, &nats.url()).args(["stories", "--json"]));
    assert_eq!(code, 0, "{stories}");
    assert_eq!(story_sets(&stories), embedded, "cluster mode's stories are embedded's");
    let scopes = "SELECT count(*) FROM leases WHERE scope IN ('stories:de', 'stories:en')";
    assert_eq!(query_i64(&url, scopes), 2, "a lease per language");
    let holders = "SELECT count(DISTINCT holder) FROM leases WHERE scope LIKE 'stories:%'";
    assert_eq!(query_i64(&url, holders), 1, "the one worker process held both");
    // The two stories are linked across languages (issue 17), by both stores alike; the
    // one-language control has nothing to link (and does not look).
    let also_in = |mut cmd: Command| -> Vec<(String, u64)> {
        let (code, story) = json(cmd.args(["story", "en0", "--json"]));
        assert_eq!(code, 0, "{story}");
        story["also_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["lang"].as_str().unwrap().to_owned(), l["size"].as_u64().unwrap()))
            .collect()
    };
    let embedded_store = |name: &str| {
        let mut cmd = lede();
        cmd.arg("--data").arg(dir.path().join(name));
        cmd
    };
    assert_eq!(also_in(embedded_store("mixed")), [("de".to_owned(), 3)], "embedded");
    assert_eq!(also_in(cluster(&url, &nats.url())), [("de".to_owned(), 3)], "cluster mode");
    assert_eq!(also_in(embedded_store("all-en")), [], "one language");
    finish(w);
}

/// Records of distinct text, `n` of them, as JSON Lines.
fn distinct_records(n: usize) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("r{i}"),
                "title": format!("Council votes on measure {i}"),
                "date": "2019-03-07",
                "text": format!(
                    "The council met on Thursday to vote on measure number {i}. Members said the \
                     measure {i} would change how the city pays for roads. The vote was {} to {}.",
                    i % 9,
                    i % 7
                ),
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// Publishes `total` distinct records with `ingest --wait` and one worker, calls `fault`
/// once some are stored and not all, and checks that the ingest still ends with every
/// record stored once.
fn survives(name: &str, total: usize, fault: impl FnOnce(&TestPostgres, &mut TestNats)) {
    let (pg, mut nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database(name);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.jsonl");
    std::fs::write(&input, distinct_records(total)).unwrap();
    let ingest = cluster(&url, &nats.url())
        .args(["ingest", "--wait", "--json", input.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ingest = Worker(Some(ingest)); // killed if the test fails
    let w = worker(&url, &nats.url(), "20s");
    wait_for_part_stored(&url, total, "the worker finished before the fault");
    fault(&pg, &mut nats);
    let out = ingest_output(ingest);
    let [seen, added, duplicates, _, _, failed] = counts(&out);
    assert_eq!((seen, added, duplicates, failed), (total as u64, total as u64, 0, 0), "{out}");
    assert_eq!(count_in_postgres(&url), total as i64);
    finish(w);
}

/// Waits until some, but not all, of `total` records are stored (`too_late` says why it
/// matters that not all are).
fn wait_for_part_stored(url: &str, total: usize, too_late: &str) {
    let start = Instant::now();
    loop {
        let stored = count_in_postgres(url);
        if stored > 0 {
            assert!(stored < total as i64, "{too_late}");
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "the worker stored nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ingest_output(mut ingest: Worker) -> serde_json::Value {
    let out = ingest.0.take().unwrap().wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ingest --wait failed: {:?}: {stderr}", out.status);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_ingest_goes_on_through_a_nats_restart() {
    survives("natsrestart", 3_000, |_, nats| nats.restart());
}

#[test]
fn an_ingest_goes_on_through_an_immediate_postgres_restart() {
    survives("pgrestart", 3_000, |pg, _| pg.restart_immediate());
}

#[test]
fn a_worker_killed_mid_job_loses_nothing_and_doubles_nothing() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("kill");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.jsonl");
    let total = 3_000;
    std::fs::write(&input, distinct_records(total)).unwrap();
    let input = input.to_str().unwrap();
    let ingest = cluster(&url, &nats.url())
        .args(["ingest", "--wait", "--json", input])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The first worker is killed (SIGKILL: no chance to clean up) once it has committed
    // some of the work and before it has done it all.
    let first = worker(&url, &nats.url(), "60s");
    wait_for_part_stored(&url, total, "the worker finished before it could be killed");
    drop(first); // SIGKILL, and waited for
    let second = worker(&url, &nats.url(), "6s");
    let out = ingest.wait_with_output().unwrap();
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let [seen, added, duplicates, _, _, failed] = counts(&summary);
    assert_eq!((seen, added, duplicates, failed), (total as u64, total as u64, 0, 0), "{summary}");
    assert_eq!(count_in_postgres(&url), total as i64);
    finish(second);
}

fn query_i64(url: &str, sql: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.query_one(sql, &[]).map_or(-1, |r| r.get(0))
}

fn signal(worker: &Worker, name: &str) {
    let pid = worker.0.as_ref().unwrap().id().to_string();
    assert!(Command::new("kill").args([name, &pid]).status().unwrap().success());
}

#[test]
fn a_story_writer_paused_past_its_lease_is_replaced_and_writes_nothing_after() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("pause");
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    let records = distinct_records(600);
    let (a_half, b_half) = records.split_at(records.match_indices('\n').nth(299).unwrap().0 + 1);
    std::fs::write(&first, a_half).unwrap();
    std::fs::write(&second, b_half).unwrap();
    // Worker A alone: it stores and clusters the first half, and keeps the lease.
    let a = worker(&url, &nats.url(), "120s");
    let (code, _) = json(cluster(&url, &nats.url()).args([
        "ingest",
        "--wait",
        "--json",
        first.to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    let held = "SELECT epoch FROM leases WHERE scope = 'stories:en'";
    let epoch = query_i64(&url, held);
    assert!(epoch >= 1);
    // A is paused (SIGSTOP) past its lease (3 s here); B starts, takes the lease over
    // (a new epoch) and stores and clusters the second half.
    signal(&a, "-STOP");
    let b = worker(&url, &nats.url(), "5s");
    let (code, out) = json(cluster(&url, &nats.url()).args([
        "ingest",
        "--wait",
        "--json",
        second.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{out}");
    assert!(query_i64(&url, held) > epoch, "B took the lease over");
    // A wakes up: it finds its lease lost and writes nothing; B's stories stand.
    let stories_before = postgres_stories(&url);
    signal(&a, "-CONT");
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(postgres_stories(&url), stories_before, "the woken writer changed nothing");
    assert_eq!(stories_before.len(), 600, "every article is in one story");
    assert_eq!(query_i64(&url, "SELECT count(*) FROM story_queue"), 0);
    let sizes_agree = "SELECT count(*) FROM stories s
        WHERE s.size <> (SELECT count(*) FROM story_members m WHERE m.story = s.id)";
    assert_eq!(query_i64(&url, sizes_agree), 0);
    drop(a);
    finish(b);
}

#[test]
fn a_worker_that_dies_between_commit_and_acknowledgement_doubles_nothing() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("commitack");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.jsonl");
    let total = 1_000; // four jobs of 256 lines, one part each
    std::fs::write(&input, distinct_records(total)).unwrap();
    let mut crashing = cluster(&url, &nats.url());
    crashing
        .args(["worker", "-j", "1", "--exit-when-idle", "30s"])
        .env("LEDE_FAULT_ABORT_AFTER_COMMITS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let crashing = Worker(Some(crashing.spawn().unwrap()));
    let ingest = cluster(&url, &nats.url())
        .args(["ingest", "--wait", "--json", input.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ingest = Worker(Some(ingest));
    // It committed its first job and died before acknowledging it.
    let mut crashing = crashing;
    let status = crashing.0.as_mut().unwrap().wait().unwrap();
    assert!(!status.success(), "the worker aborted");
    let after_crash = count_in_postgres(&url);
    assert!(after_crash > 0 && after_crash < total as i64, "{after_crash} stored");
    // Another worker gets that job again (after the acknowledgement wait), finds it done,
    // and does the rest.
    let other = worker(&url, &nats.url(), "5s");
    let out = ingest_output(ingest);
    let [seen, added, duplicates, _, _, failed] = counts(&out);
    assert_eq!((seen, added, duplicates, failed), (total as u64, total as u64, 0, 0), "{out}");
    assert_eq!(count_in_postgres(&url), total as i64);
    let done = query_i64(&url, "SELECT count(*) FROM work_done WHERE last");
    assert_eq!(done, 4, "each job's work recorded once");
    assert_eq!(finish(other)["added"].as_u64(), Some(total as u64 - after_crash as u64));
}

/// `n` texts of 60 words drawn from a large vocabulary (distinct from each other), and
/// for each a near-duplicate with two words changed, as two JSON Lines files' contents.
fn near_duplicate_pairs(n: usize) -> (String, String) {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut a, mut b) = (String::new(), String::new());
    for i in 0..n {
        let mut words: Vec<String> = (0..60).map(|_| format!("w{}", next() % 50_000)).collect();
        let line = |id: String, words: &[String]| {
            serde_json::json!({ "id": id, "title": format!("Report {i}"), "date": "2019-03-07",
                "text": words.join(" ") + "." })
            .to_string()
                + "\n"
        };
        a.push_str(&line(format!("a{i}"), &words));
        words[20] = "changed".into();
        words[40] = "edited".into();
        b.push_str(&line(format!("b{i}"), &words));
    }
    (a, b)
}

#[test]
fn workers_storing_near_duplicates_at_once_miss_no_pair() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("pairs");
    let dir = tempfile::tempdir().unwrap();
    let pairs = 600;
    let (a, b) = near_duplicate_pairs(pairs);
    std::fs::write(dir.path().join("a.jsonl"), a).unwrap();
    std::fs::write(dir.path().join("b.jsonl"), b).unwrap();
    // Three workers; each pair's two halves are in different jobs, stored side by side.
    let workers = [
        worker(&url, &nats.url(), "5s"),
        worker(&url, &nats.url(), "5s"),
        worker(&url, &nats.url(), "5s"),
    ];
    let (code, out) = json(cluster(&url, &nats.url()).args([
        "ingest",
        "--wait",
        "--json",
        dir.path().join("a.jsonl").to_str().unwrap(),
        dir.path().join("b.jsonl").to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    assert_eq!(out["added"].as_u64(), Some(2 * pairs as u64), "{out}");
    let (code, groups) = json(cluster(&url, &nats.url()).args(["dups", "--json"]));
    assert_eq!(code, 0);
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), pairs, "every pair found, and nothing else");
    for g in groups {
        let ids: BTreeSet<String> = g["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["record_id"].as_str().unwrap()[1..].to_owned())
            .collect();
        assert_eq!(ids.len(), 1, "a group is one pair: {g}");
    }
    for w in workers {
        finish(w);
    }
}

/// A worker that may fetch from loopback (the tests' sites).
fn fetching_worker(pg: &str, nats: &str, idle: &str) -> Worker {
    let child = cluster(pg, nats)
        .args(["worker", "-j", "1", "--json", "--allow-private", "--timeout", "10"])
        .args(["--exit-when-idle", idle])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Worker(Some(child))
}

/// The article ids of the embedded store in `data`.
fn embedded_ids(data: &std::path::Path) -> BTreeSet<String> {
    let out = lede().arg("--data").arg(data).arg("export").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["article_id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn outlets_and_authors_answer_from_postgresql_as_embedded() {
    // The small network of the outlets tests (a wire, spinning farms, a verbatim farm, an
    // honest outlet, no-outlet and sentence bylines), embedded and in PostgreSQL.
    let dir = tempfile::tempdir().unwrap();
    crate::network::network(dir.path());
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("outlets");
    let w = worker(&url, &nats.url(), "5s");
    let records = dir.path().join("records.jsonl");
    let (code, out) =
        json(cluster(&url, &nats.url()).args(["ingest", "--wait", "--json"]).arg(&records));
    assert_eq!(code, 0, "{out}");
    finish(w);
    for command in ["outlets", "authors"] {
        let (code, embedded) = json(crate::support::data(dir.path()).args([command, "--json"]));
        assert_eq!(code, 0);
        let (code, clustered) = json(cluster(&url, &nats.url()).args([command, "--json"]));
        assert_eq!(code, 0, "{clustered}");
        assert_eq!(clustered, embedded, "lede {command}");
    }
    let (_, n) = json(cluster(&url, &nats.url()).args(["outlets", "--json"]));
    assert!(!n["edges"].as_array().unwrap().is_empty(), "{n:#}");
}

/// `lede crawl` in cluster mode: exit code, summary (JSON), standard error.
fn cluster_crawl(pg: &str, nats: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = cluster(pg, nats)
        .args(["crawl", "--json", "--allow-private", "--timeout", "10"])
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let summary = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (out.status.code().unwrap_or(-1), summary, stderr.into_owned())
}

#[test]
fn a_crawl_in_cluster_mode_stores_what_embedded_crawl_stores_and_a_rerun_publishes_nothing() {
    let site = crate::crawl::news_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, embedded, err) = crate::crawl::crawl(dir.path(), &[&site.base]);
    assert_eq!(code, 0, "{embedded:#}\n{err}");
    let expected = embedded_ids(&dir.path().join("data"));
    assert_eq!(expected.len(), 3);

    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("crawl");
    let w = fetching_worker(&url, &nats.url(), "10s");
    let (code, clustered, err) = cluster_crawl(&url, &nats.url(), &["--wait", &site.base]);
    assert_eq!(code, 0, "{clustered:#}\n{err}");
    // The walk is the embedded one, field for field; the pages' counts are the workers'.
    for field in ["sitemaps", "sitemaps_partial", "listed", "out_of_range", "disallowed", "fetched"]
    {
        assert_eq!(clustered[field], embedded[field], "{field}: {clustered:#}");
    }
    assert_eq!(clustered["already_stored"], 0);
    for field in ["seen", "added", "duplicates", "skipped", "filtered", "failed"] {
        assert_eq!(clustered["pages"][field], embedded["pages"][field], "{field}: {clustered:#}");
    }
    assert!(clustered["run"].is_string(), "{clustered:#}");
    assert_eq!(ids_in_postgres(&url), expected, "the same article ids as embedded crawl");

    // Again: every page is found stored in PostgreSQL (under the address the sitemap
    // lists, the one it redirected to, or beside its canonical address), none published.
    let before = site.requests().len();
    let (code, again, err) = cluster_crawl(&url, &nats.url(), &[&site.base]);
    assert_eq!(code, 0, "{again:#}\n{err}");
    assert_eq!((again["already_stored"].as_u64(), again["fetched"].as_u64()), (Some(3), Some(0)));
    let later = site.requests()[before..].to_vec();
    assert!(
        later.iter().all(|p| p == "/robots.txt" || p.ends_with(".xml") || p.ends_with(".xml.gz")),
        "a stored page was fetched again: {later:?}"
    );
    assert_eq!(finish(w)["added"].as_u64(), Some(3));
    assert_eq!(ids_in_postgres(&url), expected);
}

/// `lede watch --once` in cluster mode: exit code and one JSON object per poll, by feed.
fn cluster_watch_once(
    pg: &str,
    nats: &str,
    feeds: &[&str],
) -> (i32, std::collections::BTreeMap<String, serde_json::Value>) {
    let out = cluster(pg, nats)
        .args(["watch", "--once", "--json", "--allow-private", "--timeout", "10"])
        .args(feeds)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let polls = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["url"].as_str().unwrap().to_owned(), v)
        })
        .collect();
    (out.status.code().unwrap_or(-1), polls)
}

#[test]
fn a_watch_in_cluster_mode_stores_a_feeds_items_once_and_reports_a_feed_that_fails() {
    let (base, state) = crate::watch::server();
    state.lock().unwrap().items = vec![1, 2, 3];
    let feed = format!("{base}/feed.xml");
    // Nothing listens on port 1: the feed cannot be read.
    let down = "http://127.0.0.1:1/feed.xml";

    // The embedded watch's articles, for comparison.
    let dir = tempfile::tempdir().unwrap();
    let out = lede()
        .arg("--data")
        .arg(dir.path())
        .args(["watch", "--once", "--json", "--allow-private", &feed])
        .output()
        .unwrap();
    assert!(out.status.success());
    let expected = embedded_ids(dir.path());
    assert_eq!(expected.len(), 3);
    crate::watch::take_log(&state);

    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("watch");
    let w = fetching_worker(&url, &nats.url(), "10s");
    let (code, polls) = cluster_watch_once(&url, &nats.url(), &[&feed, down]);
    assert_eq!(code, 0, "one feed failing is not the watch failing: {polls:#?}");
    assert_eq!(polls.len(), 2, "{polls:#?}");
    let first = &polls[&feed];
    assert_eq!(first["status"], "new", "{first:#}");
    assert_eq!(first["summary"]["added"], 3, "{first:#}");
    assert_eq!(ids_in_postgres(&url), expected, "the same articles as the embedded watch");
    let failed = &polls[down];
    assert_eq!(failed["status"], "failed", "{failed:#}");
    assert_eq!(failed["feed"]["failures"], 1);
    assert!(failed["feed"]["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{failed:#}");
    assert_eq!(
        crate::watch::take_log(&state),
        ["/feed.xml", "/p1", "/p2", "/p3"],
        "the feed and its items, each once"
    );
    // The schedule is the embedded rule's: a poll that stored something halves the first
    // interval (15 minutes, kept to the 5-minute minimum), a failure backs off.
    let interval = |p: &serde_json::Value| p["feed"]["interval_s"].as_i64().unwrap();
    assert_eq!(interval(first), 450);
    assert!(
        failed["feed"]["next_poll_ts"].as_i64().unwrap()
            > first["feed"]["next_poll_ts"].as_i64().unwrap(),
        "{polls:#?}"
    );

    // Again, the feed unchanged: a conditional GET answered 304, nothing stored.
    let (code, polls) = cluster_watch_once(&url, &nats.url(), &[]);
    assert_eq!(code, 0, "{polls:#?}");
    assert_eq!(polls[&feed]["status"], "unchanged", "{:#}", polls[&feed]);
    assert_eq!(polls[&feed]["summary"]["added"], 0);
    assert_eq!(polls[down]["feed"]["failures"], 2, "{:#}", polls[down]);
    assert_eq!(crate::watch::take_log(&state), ["/feed.xml"]);

    // A new item (and a new ETag): only it is fetched; the items stored are not.
    {
        let mut s = state.lock().unwrap();
        s.items = vec![1, 2, 3, 4];
        s.etag = "\"v2\"".into();
    }
    let (_, polls) = cluster_watch_once(&url, &nats.url(), &[]);
    let third = &polls[&feed];
    assert_eq!(
        (third["summary"]["added"].as_u64(), third["summary"]["duplicates"].as_u64()),
        (Some(1), Some(3)),
        "{third:#}"
    );
    assert_eq!(crate::watch::take_log(&state), ["/feed.xml", "/p4"]);

    // A page that lists articles instead of a feed: the articles it links to that are not
    // stored are fetched, as the embedded watch does (here their texts are those of the
    // feed's items: duplicates).
    let latest = format!("{base}/latest");
    let (_, polls) = cluster_watch_once(&url, &nats.url(), &[&latest]);
    let listing = &polls[&latest];
    assert_eq!(listing["status"], "unchanged", "{listing:#}");
    assert_eq!(
        (listing["summary"]["seen"].as_u64(), listing["summary"]["duplicates"].as_u64()),
        (Some(4), Some(4)),
        "{listing:#}"
    );
    let log = crate::watch::take_log(&state);
    for n in 1..=4 {
        assert!(log.contains(&format!("/news/tram-story-number-{n}")), "{log:?}");
    }
    assert_eq!(finish(w)["added"].as_u64(), Some(4));

    // `lede feeds` lists the feeds of PostgreSQL, with their health.
    let (code, listed) = json(cluster(&url, &nats.url()).args(["feeds", "--json"]));
    assert_eq!(code, 0);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3, "{listed:#?}");
    let of = |u: &str| listed.iter().find(|f| f["url"].as_str() == Some(u)).unwrap();
    assert_eq!(of(&feed)["items_added"], 4, "{listed:#?}");
    assert_eq!(of(&feed)["title"], "Daily Example", "named by its channel: {listed:#?}");
    assert_eq!(of(down)["failures"], 4, "{listed:#?}");
}

#[test]
fn a_watch_in_cluster_mode_waits_as_long_as_a_server_asks_with_retry_after() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    for (status, asked) in [("429 Too Many Requests", 20_000), ("503 Service Unavailable", 7200)] {
        // A database each: `--once` polls every feed it holds, due or not.
        let url = pg.database(&format!("retry{asked}"));
        let (base, state) = crate::watch::server();
        {
            let mut s = state.lock().unwrap();
            (s.feed_status, s.retry_after) = (Some(status), Some(asked));
        }
        let feed = format!("{base}/feed.xml");
        let w = fetching_worker(&url, &nats.url(), "3s");
        let (code, polls) = cluster_watch_once(&url, &nats.url(), &[&feed]);
        assert_eq!(code, 1, "every feed failed: {polls:#?}");
        let poll = &polls[&feed];
        assert_eq!(poll["status"], "failed", "{poll:#}");
        assert!(poll["feed"]["last_error"].as_str().unwrap().contains(&status[..3]), "{poll:#}");
        // Scheduled no sooner than the server asked (the embedded watch's rule; its first
        // back-off alone would be 30 minutes)...
        let f = &poll["feed"];
        let waits = f["next_poll_ts"].as_i64().unwrap() - f["last_poll_ts"].as_i64().unwrap();
        assert!(waits >= i64::from(asked), "{status}: next poll in {waits} s: {poll:#}");
        // ...and asked once: the worker did not try again meanwhile.
        assert_eq!(crate::watch::take_log(&state), ["/feed.xml"], "{status}");
        finish(w);
        // A watch that keeps running does not ask before then either, while it polls a
        // healthy feed added with it (so it was running).
        let (healthy, healthy_state) = crate::watch::server();
        healthy_state.lock().unwrap().items = vec![1];
        let watch = Worker(Some(
            cluster(&url, &nats.url())
                .args(["watch", "--json", "--allow-private", "--timeout", "10"])
                .arg(format!("{healthy}/feed.xml"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        ));
        let w = fetching_worker(&url, &nats.url(), "30s");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !healthy_state.lock().unwrap().log.contains(&"/p1".to_owned()) {
            assert!(Instant::now() < deadline, "the watch polled nothing in 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        drop(watch);
        drop(w);
        assert_eq!(crate::watch::take_log(&state), Vec::<String>::new(), "{status}");
    }
}

/// Waits (up to 60 s) until `sql` counts `want`.
fn wait_for_count(url: &str, sql: &str, want: i64, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while query_i64(url, sql) != want {
        assert!(Instant::now() < deadline, "{what}: still {} after 60 s", query_i64(url, sql));
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_watch_killed_mid_poll_leaves_its_feed_to_the_next_watch_and_nothing_is_fetched_twice() {
    let (base, state) = crate::watch::server();
    state.lock().unwrap().items = vec![1, 2, 3];
    let feed = format!("{base}/feed.xml");
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("watchkill");
    // Watch A claims the feed and publishes its poll, but no worker is running: A waits
    // for it, and is killed there (SIGKILL: no claim released, nothing written).
    let a = Worker(Some(
        cluster(&url, &nats.url())
            .args(["watch", "--json", "--allow-private", "--claim", "2s", &feed])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    wait_for_count(&url, "SELECT count(*) FROM feeds WHERE claimed_by IS NOT NULL", 1, "A's claim");
    drop(a);
    // A worker does the poll A published: the feed and its three items, stored.
    let w = fetching_worker(&url, &nats.url(), "5s");
    wait_for_count(&url, "SELECT count(*) FROM articles", 3, "the feed's items stored");
    // A's claim runs out (it was never renewed); watch B takes the feed over. The poll is
    // the same one A published (the same run and message id): B reads its outcome from
    // PostgreSQL, and nothing is fetched again.
    wait_for_count(&url, "SELECT count(*) FROM feeds WHERE claimed_until < now()", 1, "A's claim");
    let out = cluster(&url, &nats.url())
        .args(["watch", "--once", "--json", "--allow-private", "--claim", "2s"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let poll: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(poll["url"], feed.as_str());
    assert_eq!(poll["status"], "new", "{poll:#}");
    assert_eq!(poll["summary"]["added"], 3, "{poll:#}");
    assert_eq!(
        crate::watch::take_log(&state),
        ["/feed.xml", "/p1", "/p2", "/p3"],
        "the feed and its items, each once, for two watches"
    );
    assert_eq!(finish(w)["added"].as_u64(), Some(3));
    // B wrote the poll's schedule and released the claim.
    let settled = "SELECT count(*) FROM feeds
        WHERE claimed_by IS NULL AND last_poll_ts IS NOT NULL AND items_added = 3";
    assert_eq!(query_i64(&url, settled), 1);
    assert_eq!(count_in_postgres(&url), 3);
}

#[test]
fn cluster_crawl_and_watch_name_what_they_cannot_reach() {
    let (pg, nats) = (TestPostgres::start(), TestNats::start());
    let url = pg.database("unreachable");
    // A sitemap that cannot be read: named in the summary's errors, nothing published.
    let sitemap = "http://127.0.0.1:1/sitemap.xml";
    let (code, summary, err) = cluster_crawl(&url, &nats.url(), &["--wait", sitemap]);
    assert_eq!(code, 1, "{summary:#}\n{err}");
    assert_eq!(summary["fetched"], 0);
    assert!(
        summary["sitemap_errors"][0]["source"].as_str().unwrap().contains(sitemap),
        "{summary:#}"
    );
    assert!(err.contains(sitemap), "{err}");

    // A broker or a database that is down: an error naming it, before anything is done.
    let dead_nats = "nats://127.0.0.1:1";
    let dead_pg = "postgresql://lede@127.0.0.1:1/news";
    for (command, pg_url, nats_url, named) in [
        (&["crawl", sitemap][..], url.as_str(), dead_nats, dead_nats),
        (&["crawl", sitemap][..], dead_pg, nats.url().as_str(), "127.0.0.1:1/news"),
        (&["watch", "--once", sitemap][..], url.as_str(), dead_nats, dead_nats),
        (&["watch", "--once", sitemap][..], dead_pg, nats.url().as_str(), "127.0.0.1:1/news"),
        (&["feeds"][..], dead_pg, nats.url().as_str(), "127.0.0.1:1/news"),
    ] {
        let out = cluster(pg_url, nats_url).args(command).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {err}");
        assert!(err.contains(named), "{command:?} does not name {named}: {err}");
    }
}
