//! Clustering on small hand-made batches: the same story across outlets, two stories of
//! the same kind kept apart by their names, time, order independence, stored state.

use lede_cluster::{Clusterer, DocFreq, Item, Params, Pass, Story, StoryFeatures, StoryId};
use lede_core::{Annotations, Article, ArticleSeq, Entity, EntityKind, Mention};
use proptest::prelude::*;

const DAY: i64 = 86_400;

fn item(seq: u64, day: Option<i64>, title: &str, body: &str, names: &[&str]) -> Item {
    let article =
        Article { title: Some(title.into()), paragraphs: vec![body.into()], ..Article::default() };
    let annotations = Annotations {
        entities: names
            .iter()
            .map(|n| Entity {
                name: (*n).into(),
                kind: EntityKind::Person,
                mentions: vec![Mention { paragraph: 0, start: 0, end: 1, text: (*n).into() }],
            })
            .collect(),
        ..Annotations::default()
    };
    Item {
        seq: ArticleSeq(seq),
        id: u128::from(seq) * 7919,
        ts: day.map(|d| 1_546_300_800 + d * DAY),
        features: StoryFeatures::of(&article, &annotations),
    }
}

/// Two earthquakes (same vocabulary, other places and people) and a budget vote.
fn batch(day: Option<i64>) -> Vec<Item> {
    let quake_a = "A strong earthquake struck the coast near Lima, Peru, on Sunday, damaging \
                   buildings and killing at least twelve people, officials in Lima said.";
    let quake_b = "A powerful earthquake hit northern Japan near Sendai on Sunday, damaging \
                   homes and injuring dozens, the Sendai fire department said.";
    let budget = "The Senate passed the budget bill late on Friday after a long debate over \
                  spending caps, sending the measure to the House for a final vote.";
    vec![
        item(1, day, "Earthquake kills 12 in Peru", quake_a, &["Lima", "Peru", "Ana Torres"]),
        item(2, day, "Peru earthquake: deaths rise near Lima", quake_a, &["Lima", "Peru"]),
        item(3, day, "Lima shaken by deadly quake", quake_a, &["Lima", "Peru", "Ana Torres"]),
        item(4, day, "Earthquake strikes northern Japan", quake_b, &["Sendai", "Japan"]),
        item(
            5,
            day,
            "Japan quake injures dozens near Sendai",
            quake_b,
            &["Sendai", "Japan", "Ken Sato"],
        ),
        item(6, day, "Senate passes budget bill", budget, &["Senate", "House"]),
        item(7, day, "Budget bill clears the Senate", budget, &["Senate", "House", "Mary Hill"]),
    ]
}

fn run(items: Vec<Item>) -> Pass {
    Clusterer::new(Params::default(), DocFreq::default(), StoryId(1))
        .cluster(items, &mut |_| Vec::new())
}

/// Groups as sorted lists of article seqs.
fn groups(pass: &Pass) -> Vec<Vec<u64>> {
    let mut by: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
    for a in &pass.assignments {
        by.entry(a.story.0).or_default().push(a.seq.0);
    }
    let mut g: Vec<Vec<u64>> = by
        .into_values()
        .map(|mut v| {
            v.sort_unstable();
            v
        })
        .collect();
    g.sort();
    g
}

#[test]
fn groups_the_same_story_and_keeps_same_kind_stories_apart() {
    for day in [None, Some(3)] {
        let pass = run(batch(day));
        assert_eq!(groups(&pass), [vec![1, 2, 3], vec![4, 5], vec![6, 7]], "{day:?}");
        assert_eq!(pass.stories.len(), 3);
        assert!(pass.stories.iter().all(|s| s.label.is_some()));
    }
}

#[test]
fn stories_age_past_the_horizon() {
    let mut items = batch(Some(0));
    items.truncate(3);
    let mut late = batch(Some(40));
    late.truncate(3);
    for (n, i) in late.iter_mut().enumerate() {
        i.seq = ArticleSeq(10 + n as u64);
        i.id += 1;
    }
    items.extend(late);
    let pass = run(items);
    assert_eq!(groups(&pass), [vec![1, 2, 3], vec![10, 11, 12]]);
}

#[test]
fn a_second_pass_joins_stored_stories() {
    let mut clusterer = Clusterer::new(Params::default(), DocFreq::default(), StoryId(1));
    let mut first = batch(Some(0));
    let second = first.split_off(5);
    let pass = clusterer.cluster(first, &mut |_| Vec::new());
    // Stored and read back, as the store does between ingests.
    let stored: Vec<Story> = pass
        .stories
        .iter()
        .map(|s| {
            Story::from_stored(s.id, s.first_ts, s.last_ts, s.size, s.label, &s.state_bytes())
                .unwrap()
        })
        .collect();
    let df = DocFreq::from_bytes(&clusterer.doc_freq().to_bytes()).unwrap();
    assert_eq!(df, *clusterer.doc_freq());
    let mut again = Clusterer::new(Params::default(), df, clusterer.next_id());
    let budget = again.cluster(second, &mut |_| stored.clone());
    // The budget story is new; nothing joined the quakes.
    assert_eq!(budget.assignments.len(), 2);
    assert_eq!(budget.assignments[0].story, budget.assignments[1].story);
    assert!(pass.assignments.iter().all(|a| a.story != budget.assignments[0].story));
    let mut third = batch(Some(1));
    third.truncate(1);
    third[0].seq = ArticleSeq(20);
    third[0].id = 99;
    let quake = again.cluster(third, &mut |_| stored.clone());
    let peru = pass.assignments.iter().find(|a| a.seq == ArticleSeq(1)).unwrap().story;
    assert_eq!(quake.assignments[0].story, peru, "a new Peru article joins the stored Peru story");
}

#[test]
fn damaged_state_is_refused() {
    let pass = run(batch(None));
    let bytes = pass.stories[0].state_bytes();
    for cut in 0..bytes.len() {
        assert!(
            Story::from_stored(StoryId(1), None, None, 1, None, &bytes[..cut]).is_none(),
            "{cut}"
        );
    }
    assert!(DocFreq::from_bytes(&[1, 2, 3]).is_none());
    assert!(DocFreq::stored_name_idf(&[1, 2, 3], "Peru").is_none());
}

#[test]
fn a_name_named_everywhere_weighs_less_read_from_the_stored_form() {
    let mut df = DocFreq::default();
    for item in batch(None) {
        df.add(&item.features);
    }
    let bytes = df.to_bytes();
    let idf = |name| DocFreq::stored_name_idf(&bytes, name).unwrap();
    // 7 articles: Peru in 3, Ana Torres in 2, Ken Sato in 1, "Atlantis" in none.
    let expect = |df: f32| (8.0f32 / (1.0 + df)).ln() + 1.0;
    for (name, n) in [("Peru", 3.0), ("Ana Torres", 2.0), ("Ken Sato", 1.0), ("Atlantis", 0.0)] {
        assert!((idf(name) - expect(n)).abs() < 1e-6, "{name}: {}", idf(name));
    }
    assert!(idf("Peru") < idf("Ken Sato"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// One pass gives the same stories, ids included, whatever order its articles came in.
    #[test]
    fn a_pass_does_not_depend_on_input_order(order in Just((0..7usize).collect::<Vec<_>>()).prop_shuffle()) {
        let items = batch(Some(2));
        let shuffled: Vec<Item> = order.iter().map(|&i| items[i].clone()).collect();
        let a = run(items);
        let b = run(shuffled);
        let key = |p: &Pass| {
            let mut v: Vec<(ArticleSeq, StoryId)> = p.assignments.iter().map(|a| (a.seq, a.story)).collect();
            v.sort_unstable();
            v
        };
        prop_assert_eq!(key(&a), key(&b));
        prop_assert_eq!(a.stories, b.stories);
    }
}

/// A made-up word for story `i`, word `j` (letters only, so the tokenizer keeps it).
fn rare_word(i: usize, j: usize) -> String {
    let mut n = i * 7 + j;
    let mut w = String::from("zq");
    for _ in 0..4 {
        w.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    w
}

#[test]
fn an_old_undated_story_is_found_by_its_rare_words_among_thousands() {
    // 1,500 undated stories, two articles each, all sharing the same common words (which
    // thus list every story in the index) and each with rare words of its own.
    let common = "council meeting budget report city officials said on tuesday";
    let body = |i: usize| {
        let rare: Vec<String> = (0..6).map(|j| rare_word(i, j)).collect();
        format!("{common} {}", rare.join(" "))
    };
    let mut items = Vec::new();
    for i in 0..1500 {
        for k in 0..2 {
            let seq = (i * 2 + k + 1) as u64;
            items.push(item(seq, None, &format!("{} update", rare_word(i, 0)), &body(i), &[]));
        }
    }
    let mut clusterer = Clusterer::new(Params::default(), DocFreq::default(), StoryId(1));
    let pass = clusterer.cluster(items, &mut |_| Vec::new());
    let story_of =
        |seq: u64| pass.assignments.iter().find(|a| a.seq == ArticleSeq(seq)).unwrap().story;
    assert_eq!(story_of(5), story_of(6), "story 2's two articles together");
    assert_ne!(story_of(5), story_of(7));
    // A later article on the third story: its common words list 1,500 stories, its rare
    // words one.
    let late = item(10_000, None, "council update", &body(2), &[]);
    let next = clusterer.cluster(vec![late], &mut |_| Vec::new());
    assert_eq!(next.assignments[0].story, story_of(5));
}
