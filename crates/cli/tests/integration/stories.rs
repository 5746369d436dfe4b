//! `lede stories` and `lede story` (issue #6): articles grouped into stories across outlets,
//! the same stories whatever the input order, stories kept and joined across ingests,
//! related stories with their evidence.

use crate::support::{get, json, lede, start};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Two earthquakes (same vocabulary, other places), a budget vote, each from several
/// outlets; (record id, outlet, date, title, text).
const RECORDS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "peru-1",
        "Daily A",
        "2019-03-03",
        "Earthquake kills 12 in Peru",
        "A strong earthquake struck the coast near Lima, Peru, on Sunday, damaging buildings and killing at least twelve people, officials in Lima said. Rescue teams searched collapsed homes.",
    ),
    (
        "peru-2",
        "Daily B",
        "2019-03-03",
        "Peru earthquake: deaths rise near Lima",
        "The death toll from the earthquake near Lima, Peru, rose to twelve on Sunday as rescue teams searched collapsed buildings, officials in Lima said.",
    ),
    (
        "peru-3",
        "Daily C",
        "2019-03-04",
        "Lima shaken by deadly quake",
        "Residents of Lima, Peru, spent the night outside after the deadly earthquake on Sunday damaged buildings; officials said twelve people were killed.",
    ),
    (
        "japan-1",
        "Daily A",
        "2019-03-03",
        "Earthquake strikes northern Japan",
        "A powerful earthquake hit northern Japan near Sendai on Sunday, damaging homes and injuring dozens, the Sendai fire department said. Trains were halted.",
    ),
    (
        "japan-2",
        "Daily B",
        "2019-03-04",
        "Japan quake injures dozens near Sendai",
        "Dozens were injured when a powerful earthquake shook Sendai in northern Japan on Sunday; the Sendai fire department said trains were halted and homes damaged.",
    ),
    (
        "budget-1",
        "Daily A",
        "2019-03-01",
        "Senate passes budget bill",
        "The Senate passed the budget bill late on Friday after a long debate over spending caps, sending the measure to the House for a final vote next week.",
    ),
    (
        "budget-2",
        "Daily C",
        "2019-03-02",
        "Budget bill clears the Senate",
        "After a long debate over spending caps, the Senate passed the budget bill on Friday night; the House holds its final vote on the measure next week.",
    ),
];

fn write_jsonl(path: &Path, order: &[usize]) {
    let lines: String = order
        .iter()
        .map(|&i| {
            let (id, outlet, date, title, text) = RECORDS[i];
            serde_json::json!({"id": id, "outlet": outlet, "date": date, "title": title, "text": text})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(path, lines).unwrap();
}

/// Stories as sets of record ids.
fn groups(data: &Path) -> BTreeSet<BTreeSet<String>> {
    crate::support::all_stories(data)
        .iter()
        .map(|s| {
            s["source_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn issue_6_articles_group_into_stories_whatever_the_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let expected: BTreeSet<BTreeSet<String>> = [
        set(&["peru-1", "peru-2", "peru-3"]),
        set(&["japan-1", "japan-2"]),
        set(&["budget-1", "budget-2"]),
    ]
    .into();
    let mut ids = Vec::new();
    for (n, order) in
        [[0, 1, 2, 3, 4, 5, 6], [6, 4, 2, 0, 5, 3, 1], [3, 1, 5, 0, 6, 2, 4]].iter().enumerate()
    {
        let data = dir.path().join(format!("store-{n}"));
        write_jsonl(&input, order);
        let out = lede().arg("--data").arg(&data).args(["ingest"]).arg(&input).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(groups(&data), expected, "order {order:?}");
        let (_, stories) =
            json(lede().arg("--data").arg(&data).args(["stories", "--json", "--min-size", "1"]));
        let mut story_ids: Vec<u64> =
            stories.as_array().unwrap().iter().map(|s| s["id"].as_u64().unwrap()).collect();
        story_ids.sort_unstable();
        ids.push(story_ids);
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "story ids depend on the order: {ids:?}");
}

#[test]
fn issue_6_stories_are_kept_joined_by_later_ingests_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let first = dir.path().join("first.jsonl");
    write_jsonl(&first, &[0, 1, 3, 5, 6]);
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&first).status().unwrap().success());
    let (_, stories) = json(lede().arg("--data").arg(&data).args(["stories", "--json"]));
    let peru = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source_ids"].as_array().unwrap().contains(&Value::from("peru-1")))
        .expect("the Peru story is listed")
        .clone();
    assert_eq!(peru["size"], 2);
    assert_eq!(peru["outlets"].as_array().unwrap().len(), 2);
    assert_eq!(
        (peru["first_seen"].as_str(), peru["last_seen"].as_str()),
        (Some("2019-03-03"), Some("2019-03-03"))
    );

    // A later ingest (a new process: the stories came from the store) joins it.
    let second = dir.path().join("second.jsonl");
    write_jsonl(&second, &[2, 4]);
    let (code, summary) =
        json(lede().arg("--data").arg(&data).args(["ingest", "--json"]).arg(&second));
    assert_eq!((code, summary["stories"]["articles"].as_u64()), (0, Some(2)), "{summary:#}");
    let id = peru["id"].as_u64().unwrap();
    let (code, story) =
        json(lede().arg("--data").arg(&data).args(["story", "--json", &id.to_string()]));
    assert_eq!(code, 0);
    assert_eq!(story["size"], 3, "{story:#}");
    assert_eq!(story["last_seen"], "2019-03-04");
    let timeline: Vec<&str> = story["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source_id"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, ["peru-1", "peru-2", "peru-3"], "oldest first");
    // The other earthquake is related (same kind of event, a few days apart) but not
    // the budget; the evidence says why.
    let related = story["related"].as_array().unwrap();
    assert!(
        related.iter().all(|r| !r["label"].as_str().unwrap().contains("udget")),
        "{related:#?}"
    );
    for r in related {
        assert!(
            !r["evidence"]["terms"].as_array().unwrap().is_empty()
                || !r["evidence"]["entities"].as_array().unwrap().is_empty()
        );
    }

    // An article finds its story too, in `lede story` and in `lede show`.
    let (code, by_article) =
        json(lede().arg("--data").arg(&data).args(["story", "--json", "peru-3"]));
    assert_eq!((code, by_article["id"].as_u64()), (0, Some(id)));
    let (_, shown) = json(lede().arg("--data").arg(&data).args(["show", "--json", "peru-2"]));
    assert_eq!(shown["story"]["id"].as_u64(), Some(id));
    let human = lede().arg("--data").arg(&data).args(["story", &id.to_string()]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("3 articles, 3 outlets, 2019-03-03 .. 2019-03-04"), "{text}");
    let (_, stats) = json(lede().arg("--data").arg(&data).args(["stats", "--json"]));
    assert_eq!(stats["stories"], 3);

    // No such story: a clear message and exit 1.
    let out = lede().arg("--data").arg(&data).args(["story", "999999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story \"999999\""));
    let out = lede()
        .arg("--data")
        .arg(&data)
        .args(["stories", "--since", "not a date"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
}

#[test]
fn issue_6_an_ingest_killed_before_its_stories_is_finished_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, &[0, 1, 2, 3, 4, 5, 6]);
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let before = groups(&data);
    // A kill between the articles' transaction and the stories' leaves the articles
    // stored and no stories: the state made here by hand.
    let db = rusqlite::Connection::open(data.join("lede.sqlite")).unwrap();
    db.execute_batch(
        "DELETE FROM story_members; DELETE FROM stories; DELETE FROM story_aliases;
         DELETE FROM cluster_state;",
    )
    .unwrap();
    drop(db);
    let out = lede().arg("--data").arg(&data).args(["stories", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("in no story yet"));
    // The next ingest (here of nothing new) clusters them: the same stories as before.
    let (code, summary) =
        json(lede().arg("--data").arg(&data).args(["ingest", "--json"]).arg(&input));
    assert_eq!((code, summary["duplicates"].as_u64()), (0, Some(7)));
    assert_eq!(summary["stories"]["articles"], 7);
    assert_eq!(groups(&data), before);
}

#[test]
fn issue_6_related_stories_name_what_they_share() {
    // A flood story, and a week later a budget story in which the governor repeats what
    // she said at the dam: related, and the evidence names the governor, the words and the
    // quote they share.
    let quote = "\u{201c}We will not gamble with the lives of the families who live below \
                 the Riverside dam,\u{201d} Governor Maria Lopez said.";
    let records = [
        (
            "flood-1",
            "Valley Post",
            "2019-05-01",
            "Governor closes Riverside dam as floods rise",
            format!(
                "Governor Maria Lopez ordered the Riverside dam closed on Wednesday after \
                 heavy rain flooded the valley and forced hundreds of families from their \
                 homes. {quote}"
            ),
        ),
        (
            "flood-2",
            "State Ledger",
            "2019-05-01",
            "Riverside dam closed after valley floods",
            format!(
                "Heavy rain flooded the valley on Wednesday and Governor Maria Lopez closed the \
                 Riverside dam, as hundreds of families left their homes. {quote}"
            ),
        ),
        (
            "budget-1",
            "State Ledger",
            "2019-05-08",
            "Lopez signs road and school budget",
            format!(
                "Governor Maria Lopez signed the state budget on Wednesday, with money for \
                 roads, schools and teachers' pay after months of talks with lawmakers. Asked \
                 about the spring floods, she repeated her words. {quote}"
            ),
        ),
        (
            "budget-2",
            "Capital Wire",
            "2019-05-08",
            "State budget signed: roads, schools, teachers",
            format!(
                "Lawmakers watched as Governor Maria Lopez signed the budget for roads, schools \
                 and teachers' pay on Wednesday, ending months of talks. {quote}"
            ),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("in.jsonl");
    let lines: String = records
        .iter()
        .map(|(id, outlet, date, title, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "date": date, "title": title, "text": text})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    assert_eq!(
        groups(&data),
        [set(&["flood-1", "flood-2"]), set(&["budget-1", "budget-2"])].into(),
        "two stories"
    );
    let (code, flood) = json(lede().arg("--data").arg(&data).args(["story", "--json", "flood-1"]));
    assert_eq!(code, 0);
    let related = flood["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{flood:#}");
    // Its label and size are those of the story itself (read from its labelling article
    // alone, not the story whole).
    let (_, budget) = json(lede().arg("--data").arg(&data).args(["story", "--json", "budget-1"]));
    assert_eq!(related[0]["id"], budget["id"], "{flood:#}");
    assert_eq!(related[0]["label"], budget["label"], "{flood:#}");
    assert_eq!(related[0]["size"], budget["size"], "{flood:#}");
    let evidence = &related[0]["evidence"];
    assert_eq!(evidence["entities"][0], "Maria Lopez", "{evidence:#}");
    assert_eq!(evidence["quotes"], 1, "{evidence:#}");
    let quoted = evidence["quoted"][0].as_str().unwrap();
    assert!(quoted.starts_with("We will not gamble with the lives"), "{evidence:#}");
    let terms: Vec<&str> =
        evidence["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(terms.contains(&"families"), "words from the bodies, not only headlines: {terms:?}");
}

#[test]
fn issue_13_a_story_is_labelled_by_its_most_central_article_and_its_key_quotes_stay_on_topic() {
    // A shutdown story: its first article is mostly about something else (a border plan),
    // its most central one has only an agency dateline for a headline, and one office
    // repeats a quote about a tax deduction in two releases.
    let on_topic = "\u{201c}Federal workers should not go without pay because of this shutdown \
                    of the federal government,\u{201d} Senator Ann Reyes said.";
    let salt = "\u{201c}The cap on the state and local tax deduction hurts middle-class \
                families in our state,\u{201d} Representative Tom Hale said.";
    let body = "The partial government shutdown entered its third week on Friday as federal \
                workers missed their paychecks and the Senate failed to pass a funding bill \
                to reopen the government.";
    let records = [
        (
            "border",
            "Office of Reyes",
            "2019-01-04",
            "Reyes on the President's border security proposal",
            format!(
                "Senator Ann Reyes spoke about the border security proposal, the wall, \
                 border patrol agents, drones and ports of entry. {body} {on_topic}"
            ),
        ),
        (
            "central",
            "Wire Service",
            "2019-01-05",
            "WASHINGTON, January 5. /TASS/.",
            format!("{body} {on_topic}"),
        ),
        (
            "shutdown-2",
            "Office of Hale",
            "2019-01-05",
            "Hale: end the government shutdown and pay federal workers",
            format!("{body} Federal workers missed their paychecks. {salt}"),
        ),
        (
            "shutdown-3",
            "Office of Hale",
            "2019-01-06",
            "Hale votes to reopen the government",
            format!("{body} The funding bill would reopen the government. {salt}"),
        ),
        (
            "shutdown-4",
            "Office of Diaz",
            "2019-01-06",
            "Diaz statement on the shutdown and federal workers' pay",
            format!("{body} Federal workers missed their paychecks again. {on_topic}"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("in.jsonl");
    let lines: String = records
        .iter()
        .map(|(id, outlet, date, title, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "date": date, "title": title, "text": text})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let ids: Vec<&str> = records.iter().map(|r| r.0).collect();
    assert_eq!(groups(&data), [set(&ids)].into(), "one story");
    let (code, story) = json(lede().arg("--data").arg(&data).args(["story", "--json", "central"]));
    assert_eq!(code, 0);
    let label = story["label"].as_str().unwrap();
    assert!(!label.contains("TASS") && !label.contains("border"), "{label}");
    assert!(label.contains("shutdown") || label.contains("reopen"), "{label}");
    let quotes = story["quotes"].as_array().unwrap();
    assert!(quotes[0]["text"].as_str().unwrap().starts_with("Federal workers"), "{quotes:#?}");
    assert_eq!(quotes[0]["outlets"], 3, "{quotes:#?}");
    assert!(quotes.last().unwrap()["text"].as_str().unwrap().contains("tax deduction"));
    // Listing gives the same label.
    let (_, listed) =
        json(lede().arg("--data").arg(&data).args(["stories", "--json", "--min-size", "2"]));
    assert_eq!(listed[0]["label"], story["label"]);
}

/// Issue 17: a German and an English report of one event are linked across languages
/// (`also_in` of `lede story`), and neither is linked to a German report of another
/// collapse a month later nor to an English budget vote; (record id, date, title, text).
const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    (
        "collapse-en",
        "2019-01-03",
        "Magnitogorsk apartment building collapse: death toll rises to 39",
        "Rescuers in Magnitogorsk, Russia, ended their search on Thursday after the collapse of a ten-storey apartment building killed 39 people, the emergencies ministry said. A suspected gas explosion brought the building down on Monday. The 1973 building was home to more than 1,000 people, and 48 apartments were damaged. President Vladimir Putin visited the site.",
    ),
    (
        "collapse-de",
        "2019-01-03",
        "Magnitogorsk: Zahl der Toten nach Hauseinsturz steigt auf 39",
        "Nach dem Einsturz eines zehnstöckigen Wohnhauses im russischen Magnitogorsk ist die Zahl der Toten auf 39 gestiegen. Die Rettungskräfte beendeten am Donnerstag ihre Suche in den Trümmern, wie das Katastrophenschutzministerium in Russland mitteilte. Vermutlich hatte eine Gasexplosion das Haus am Montag zum Einsturz gebracht. In dem 1973 gebauten Haus lebten mehr als 1000 Menschen, 48 Wohnungen wurden beschädigt. Präsident Wladimir Putin besuchte die Unglücksstelle.",
    ),
    (
        "aleppo-de",
        "2019-02-03",
        "Wohnhaus in Aleppo eingestürzt – elf Tote",
        "Im syrischen Aleppo ist ein vom Krieg beschädigtes fünfstöckiges Wohnhaus eingestürzt. Nach Angaben der staatlichen Nachrichtenagentur kamen elf Menschen ums Leben, nur ein Kind überlebte. Das Viertel Salaheddin in Syrien war 2016 nach schweren Bombardierungen von Regierungstruppen zurückerobert worden, die von Russland unterstützt wurden.",
    ),
    (
        "budget-en",
        "2019-01-03",
        "Senate passes budget bill",
        "The Senate passed the budget bill late on Thursday after a long debate over spending caps, sending the measure to the House for a final vote next week. Senators voted 61 to 39 in favour.",
    ),
];

#[test]
fn issue_17_stories_link_across_languages_and_not_across_events() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("in.jsonl");
    let lines: String = LANGUAGES
        .iter()
        .map(|(id, date, title, text)| {
            serde_json::json!({"id": id, "date": date, "title": title, "text": text}).to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let story = |record: &str| -> Value {
        let (code, s) = json(lede().arg("--data").arg(&data).args(["story", "--json", record]));
        assert_eq!(code, 0, "{s:#}");
        s
    };
    let (en, de) = (story("collapse-en"), story("collapse-de"));
    assert_ne!(en["id"], de["id"], "each language has its own story");
    let also = |s: &Value| -> Vec<(String, u64)> {
        s["also_in"]
            .as_array()
            .unwrap_or_else(|| panic!("no also_in: {s:#}"))
            .iter()
            .map(|a| (a["lang"].as_str().unwrap().to_owned(), a["story"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(also(&en), [("de".to_owned(), de["id"].as_u64().unwrap())], "{en:#}");
    assert_eq!(also(&de), [("en".to_owned(), en["id"].as_u64().unwrap())], "{de:#}");
    assert!(en["also_in"][0]["score"].as_f64().unwrap() > 0.0);
    assert_eq!(en["also_in"][0]["label"], de["label"], "the German story's own label");
    assert_eq!(en["also_in"][0]["size"], de["size"], "and size");
    // Another collapse, a month on, and a vote of the same day: no link.
    assert_eq!(also(&story("aleppo-de")), []);
    assert_eq!(also(&story("budget-en")), []);
    let human = lede().arg("--data").arg(&data).args(["story", "collapse-en"]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("also in other languages:") && text.contains(" de "), "{text}");

    // `lede stories --also-in` gives the same links for every story listed.
    let (code, listed) = json(lede().arg("--data").arg(&data).args([
        "stories",
        "--json",
        "--also-in",
        "--min-size",
        "1",
    ]));
    assert_eq!(code, 0);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 4, "{listed:#?}");
    for s in listed {
        let expected = if s["id"] == en["id"] {
            vec![("de".to_owned(), de["id"].as_u64().unwrap())]
        } else if s["id"] == de["id"] {
            vec![("en".to_owned(), en["id"].as_u64().unwrap())]
        } else {
            Vec::new()
        };
        assert_eq!(also(s), expected, "{s:#}");
    }
    let (_, plain) =
        json(lede().arg("--data").arg(&data).args(["stories", "--json", "--min-size", "1"]));
    assert!(plain[0].get("also_in").is_none(), "only asked for: {plain:#}");

    // The reader and the API give the same links: the story page lists the German story
    // under "In other languages", marked with its language; a story without one has none.
    let server = start(&data);
    let (en_id, de_id) = (en["id"].as_u64().unwrap(), de["id"].as_u64().unwrap());
    let (status, page) = get(&server.addr, &format!("/stories/{en_id}"));
    assert_eq!(status, 200);
    let link = format!("<a href=\"/stories/{de_id}\" lang=\"de\" dir=\"auto\">");
    assert!(page.contains("In other languages") && page.contains(&link), "{page}");
    let budget = story("budget-en")["id"].as_u64().unwrap();
    let (_, page) = get(&server.addr, &format!("/stories/{budget}"));
    assert!(!page.contains("In other languages"), "{page}");
    let (status, api) = get(&server.addr, &format!("/api/stories/{en_id}"));
    assert_eq!(status, 200);
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(also(&api), [("de".to_owned(), de_id)], "{api:#}");
}

#[test]
fn issue_18_a_story_page_titles_its_headline_less_articles_by_their_leads() {
    // Press releases without headlines: the story page reads the leads of the articles it
    // shows only (not of every member), and shows them as the API gives them.
    let text = |n: usize| {
        format!(
            "Senator Ada Moss introduced the Clean Harbors Act on Tuesday to fund the dredging \
             of the Bayport harbor, release {n}. The bill would give the port authority ten \
             million dollars over five years, Moss said at the harbor."
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("in.jsonl");
    let lines: String = (0..3)
        .map(|n| {
            serde_json::json!({
                "id": format!("release-{n}"),
                "outlet": format!("Office {n}"),
                "date": format!("2019-05-0{}", n + 1),
                "text": text(n),
            })
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    assert!(lede().arg("--data").arg(&data).arg("ingest").arg(&input).status().unwrap().success());
    let (code, story) =
        json(lede().arg("--data").arg(&data).args(["story", "--json", "release-0"]));
    assert_eq!(code, 0, "{story:#}");
    assert_eq!(story["size"], 3, "one story: {story:#}");
    let server = start(&data);
    let id = story["id"].as_u64().unwrap();
    let (status, api) = get(&server.addr, &format!("/api/stories/{id}"));
    assert_eq!(status, 200);
    let api: Value = serde_json::from_str(&api).unwrap();
    let (status, page) = get(&server.addr, &format!("/stories/{id}"));
    assert_eq!(status, 200);
    for a in api["timeline"].as_array().unwrap() {
        let title = a["title"].as_str().unwrap_or_else(|| panic!("a lead's label: {api:#}"));
        assert!(title.starts_with("Senator Ada Moss introduced"), "{title}");
        let item = format!("<a href=\"/articles/{}\">{}</a>", a["id"].as_str().unwrap(), title);
        assert!(page.contains(&item), "{item} in {page}");
    }
    assert!(!page.contains("(no headline)"), "{page}");
}
