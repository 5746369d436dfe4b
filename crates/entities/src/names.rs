//! Canonical names: one name for every way an article refers to an entity.
//!
//! What it detects: mentions of the same entity within one article, and the name to show
//! for it.
//!
//! Signals, in order:
//! - titles, a leading "the" and possessives are not part of a name ("Secretary of State
//!   Rex Tillerson" and "Mr Tillerson" are "Rex Tillerson" and "Tillerson");
//! - places and organisations go by their listed canonical name ("U.S." -> "United
//!   States", "Russian Federation" and "Russian" -> "Russia", "Cavs" -> "Cleveland
//!   Cavaliers");
//! - a one-word person name is the fullest name in the article that ends (or, failing
//!   that, starts) with that word ("Tillerson" -> "Rex Tillerson"); when the article gives
//!   no fuller name, the name that word most often stands for in news, learned from the
//!   corpus (`data/people.tsv`: "Trump" -> "Donald Trump");
//! - an acronym is the organisation in the article whose initials it spells;
//! - one name keeps one kind: the kind most of its mentions were tagged with.
//!
//! Known failures: two people of one surname in one article merge into the one mentioned
//! most; a name the corpus has not seen keeps its short form; no cross-lingual or
//! transliteration variants ("Sergey"/"Sergei") are joined.
//!
//! Example: "Mr Tillerson", "Tillerson" and "Secretary of State Rex Tillerson" are one
//! entity, "Rex Tillerson".

use crate::gazetteer::{Gazetteer, Listed};
use lede_core::{Entity, EntityKind, Mention};
use lede_text::tokens::Token;
use std::collections::HashMap;

/// US postal codes of the states and the District of Columbia.
const POSTAL_CODES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// Party words that stand before a person's name like a title.
const PARTIES: &[&str] = &[
    "Republican",
    "Democrat",
    "Democratic",
    "GOP",
    "Independent",
    "Labour",
    "Conservative",
    "Tory",
    "Liberal",
];

/// A mention as the tagger found it, before names are given.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) paragraph: usize,
    /// Its tokens in the paragraph.
    pub(crate) tokens: std::ops::Range<usize>,
    pub(crate) kind: EntityKind,
    /// Whether it is a nationality ("Russian"), named after its country.
    pub(crate) demonym: bool,
}

/// The words of a mention that make its name: its tokens less titles, "the" and "'s".
fn name_tokens<'t>(
    text: &str,
    tokens: &'t [Token],
    gazetteer: &Gazetteer,
    kind: EntityKind,
) -> &'t [Token] {
    let mut ts = tokens;
    while let Some(last) = ts.last() {
        let post_nominal = kind == EntityKind::Person
            && ts.len() > 2
            && matches!(last.text(text), "QC" | "KC" | "MP" | "MEP" | "MD" | "PhD" | "Jr" | "Sr");
        if post_nominal || matches!(last.text(text), "'s" | "’s" | "'" | "’" | "." | ",") {
            ts = &ts[..ts.len() - 1];
        } else {
            break;
        }
    }
    if let Some(first) = ts.first()
        && ts.len() > 1
        && matches!(first.text(text), "the" | "The")
    {
        ts = &ts[1..];
    }
    if kind == EntityKind::Person {
        // Strip the longest listed title at the start, repeatedly ("U.S. Secretary of State").
        'strip: loop {
            for end in (1..ts.len()).rev() {
                let mut entries = gazetteer.entries_at(text, &ts[..end]);
                // A plural title before one name: "Senators Isakson and Perdue".
                if entries.is_empty()
                    && end == 1
                    && let Some(singular) = ts[0].text(text).strip_suffix('s')
                {
                    entries = gazetteer.lookup(singular);
                }
                // A party before a name is a title too: "Republican Donald Trump".
                let party = end == 1 && end < ts.len() - 1 && PARTIES.contains(&ts[0].text(text));
                let title_like = party
                    || entries.iter().any(|e| {
                        e.listed == Listed::Title
                            || (end < ts.len() - 1
                                && matches!(e.listed, Listed::Demonym | Listed::Place))
                    });
                if title_like {
                    ts = &ts[end..];
                    while ts.len() > 1 && matches!(ts[0].text(text), "." | ",") {
                        ts = &ts[1..];
                    }
                    continue 'strip;
                }
            }
            break;
        }
    }
    ts
}

fn slice<'a>(text: &'a str, tokens: &[Token]) -> &'a str {
    match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => &text[a.start as usize..b.end as usize],
        _ => "",
    }
}

/// The initials of a multi-word name ("North Atlantic Treaty Organization" -> "NATO"),
/// leaving out "of", "and", "the", "for".
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| !matches!(*w, "of" | "and" | "the" | "for" | "&" | "on" | "in"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Groups mentions into entities with canonical names. `paragraphs[p]` is the text and
/// tokens of paragraph `p`.
pub(crate) fn entities(
    found: &[Found],
    paragraphs: &[(&str, &[Token])],
    gazetteer: &Gazetteer,
) -> Vec<Entity> {
    // The name each mention writes, after titles and "the" are stripped.
    let written: Vec<String> = found
        .iter()
        .map(|f| {
            let (text, tokens) = paragraphs[f.paragraph];
            slice(text, name_tokens(text, &tokens[f.tokens.clone()], gazetteer, f.kind)).to_owned()
        })
        .collect();

    // Full person names and multi-word organisation names in the article.
    let mut full_names: HashMap<&str, usize> = HashMap::new();
    let mut org_names: Vec<&str> = Vec::new();
    for (f, w) in found.iter().zip(&written) {
        if w.contains(' ') && f.kind == EntityKind::Person {
            *full_names.entry(w.as_str()).or_default() += 1;
        }
        if w.contains(' ') && f.kind == EntityKind::Organization && !org_names.contains(&w.as_str())
        {
            org_names.push(w);
        }
    }
    let mut fulls: Vec<(&str, usize)> = full_names.into_iter().collect();
    by_preference(&mut fulls);

    // Lookups by last word, first word, trailing words and initials, so that a long
    // article costs linear time. The first name in `fulls` order wins.
    let mut by_last: HashMap<&str, &str> = HashMap::new();
    let mut by_first: HashMap<&str, &str> = HashMap::new();
    let mut by_suffix: HashMap<&str, &str> = HashMap::new();
    for (n, _) in &fulls {
        if let Some(last) = n.rsplit([' ', '-']).next() {
            by_last.entry(last).or_insert(n);
        }
        if let Some(first) = n.split(' ').next() {
            by_first.entry(first).or_insert(n);
        }
        for (i, _) in n.match_indices(' ') {
            by_suffix.entry(&n[i + 1..]).or_insert(n);
        }
    }
    let mut by_initials: HashMap<String, &str> = HashMap::new();
    for n in &org_names {
        by_initials.entry(initials(n)).or_insert(n);
    }
    let canonical = |f: &Found, w: &str| -> (String, EntityKind) {
        if f.demonym
            && let Some((name, kind)) = gazetteer.entity(w, EntityKind::Place)
        {
            return (name.to_owned(), kind);
        }
        match f.kind {
            EntityKind::Person => {
                // An abbreviation the tagger took for a person ("D.C." after "Washington,")
                // is the place or organisation it abbreviates.
                let abbreviation =
                    w.contains('.') || (w.len() > 1 && !w.chars().any(char::is_lowercase));
                if abbreviation
                    && !w.contains(' ')
                    && let Some((name, listed_kind)) = gazetteer.entity(w, EntityKind::Place)
                {
                    return (name.to_owned(), listed_kind);
                }
                if !w.contains(' ') {
                    if let Some(n) = by_last.get(w).or_else(|| by_first.get(w)) {
                        return ((*n).to_owned(), EntityKind::Person);
                    }
                    if let Some(n) = gazetteer.person(w) {
                        return (n.to_owned(), EntityKind::Person);
                    }
                } else if let Some(longer) = by_suffix.get(w) {
                    // The fullest form of a name the article also writes longer ("Kim
                    // Jong Un" beside "Kim Jong Un" is itself; "Jong Un" is "Kim Jong Un").
                    return ((*longer).to_owned(), EntityKind::Person);
                }
                (w.to_owned(), EntityKind::Person)
            }
            kind => {
                if let Some((name, listed_kind)) = gazetteer.entity(w, kind) {
                    return (name.to_owned(), listed_kind);
                }
                // A postal code the tagger read as a place: "(R-GA)" is Georgia. The codes
                // are not gazetteer aliases: "IN", "OR" and "ME" are words.
                if kind == EntityKind::Place
                    && let Some(&(_, state)) = POSTAL_CODES.iter().find(|(code, _)| *code == w)
                {
                    return (state.to_owned(), EntityKind::Place);
                }
                let bare = w.replace('.', "");
                if kind == EntityKind::Organization
                    && (2..=6).contains(&bare.len())
                    && bare.chars().all(|c| c.is_ascii_uppercase())
                    && let Some(full) = by_initials.get(&bare)
                {
                    let name = gazetteer.entity(full, kind).map_or(*full, |(n, _)| n);
                    return (name.to_owned(), kind);
                }
                (w.to_owned(), kind)
            }
        }
    };

    // name -> (votes per kind, mentions)
    let mut by_name: HashMap<String, ([usize; 3], Vec<Mention>, usize)> = HashMap::new();
    for (i, (f, w)) in found.iter().zip(&written).enumerate() {
        // A title alone ("Chairman", "the Senator") or the "Jr" of "King, Jr." names no one.
        let title_only = f.kind == EntityKind::Person
            && (matches!(
                w.as_str(),
                "Jr" | "Sr" | "II" | "III" | "IV" | "QC" | "KC" | "MP" | "PhD"
            ) || gazetteer.lookup(w).iter().any(|e| e.listed == Listed::Title));
        if w.is_empty() || !w.chars().any(char::is_alphabetic) || title_only {
            continue;
        }
        let (name, kind) = canonical(f, w);
        let (text, tokens) = paragraphs[f.paragraph];
        let span = &tokens[f.tokens.clone()];
        let entry = by_name.entry(name).or_insert(([0; 3], Vec::new(), i));
        entry.0[kind as usize] += 1;
        entry.1.push(Mention {
            paragraph: f.paragraph,
            start: span[0].start as usize,
            end: span[span.len() - 1].end as usize,
            text: slice(text, span).to_owned(),
        });
    }
    let out: Vec<(usize, Entity)> = by_name
        .into_iter()
        .map(|(name, (votes, mentions, first))| {
            let kind = [EntityKind::Person, EntityKind::Organization, EntityKind::Place]
                .into_iter()
                .max_by_key(|k| (votes[*k as usize], std::cmp::Reverse(*k as usize)))
                .expect("three kinds");
            (first, Entity { name, kind, mentions })
        })
        .collect();
    in_mention_order(out)
}

/// Entities with the order of their first mention, most mentioned first, then first seen:
/// the order every reader of names gives.
pub(crate) fn in_mention_order(mut found: Vec<(usize, Entity)>) -> Vec<Entity> {
    found.sort_by(|a, b| b.1.mentions.len().cmp(&a.1.mentions.len()).then(a.0.cmp(&b.0)));
    found.into_iter().map(|(_, e)| e).collect()
}

/// Full names with their mention counts, most mentioned first, then longest, then by
/// name: a stable choice of the name a short one stands for.
pub(crate) fn by_preference<S: AsRef<str>>(fulls: &mut [(S, usize)]) {
    fulls.sort_by(|a, b| {
        let (a0, b0) = (a.0.as_ref(), b.0.as_ref());
        b.1.cmp(&a.1).then(b0.len().cmp(&a0.len())).then(a0.cmp(b0))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms() {
        assert_eq!(initials("North Atlantic Treaty Organization"), "NATO");
        assert_eq!(initials("Federal Bureau of Investigation"), "FBI");
    }
}
