//! Quotes and who said them.
//!
//! What it detects: direct quotes in every quotation style (straight and curly double
//! quotes, single quotes, guillemets), partial quotes ("declaring a 'low point'"), quotes
//! split by their attribution (two quotes), quotes that run over several paragraphs (one
//! piece per paragraph), and reported speech ("X said that ...", `direct: false`).
//!
//! Signals: the quotation marks, paired within a paragraph; the clause around the quote
//! (up to the sentence stops outside quotation marks); a speech verb or phrase in it
//! (`said`, `told`, `according to`, from `data/speech_verbs.tsv`), the cue nearest the
//! quote winning, and one right after the quote first; the cue's subject: the entity or
//! pronoun just before the cue (over adverbs and an appositive: "Haley, the United Nations
//! envoy, said"), the entity just after it ("said Lavrov"), or for a participle
//! ("declaring", "saying") the clause's subject. A pronoun is the last named speaker of
//! this or the previous paragraph, else the nearest person named there who is not the
//! object of a verb or preposition; a definite description ("the envoy") is the nearest
//! person the article gave that title ("Haley, the United Nations envoy"), else no one, and
//! an indefinite one ("a spokesman") is no one. A quote without a cue is kept when it is
//! five words or more (it continues the quote before it); shorter ones are titles or scare
//! quotes.
//!
//! Known failures: nested quotes are read as their outer quote; "she" and "he" do not
//! check gender; a description is linked only through a title or appositive holding its
//! very word ("the father" stays unnamed beside "David Turpin"); reported speech is only
//! read after a speech verb with a subject, and runs to the end of its clause.
//!
//! Example: `"There is a low level of trust", Mr Tillerson said.` is a quote of Rex
//! Tillerson, cue `said`.

use crate::gazetteer::{Gazetteer, Listed};
use lede_core::{EntityKind, Quote};
use lede_text::lexicon::is_abbreviation;
use lede_text::tokens::Token;
use std::collections::HashMap;
use std::ops::Range;

/// An entity mention with its canonical name, for attribution.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub(crate) tokens: Range<usize>,
    pub(crate) name: String,
    pub(crate) kind: EntityKind,
}

/// One paragraph, as attribution needs it.
pub(crate) struct Para<'a> {
    pub(crate) text: &'a str,
    pub(crate) tokens: &'a [Token],
    /// Mentions in token order.
    pub(crate) named: Vec<Named>,
}

/// A quoted stretch of a paragraph: tokens `open..=close` are the marks (when closed).
#[derive(Debug, Clone)]
struct Marked {
    /// Token of the opening mark.
    open: usize,
    /// Token just past the closing mark (the paragraph's end when it runs on).
    after: usize,
    /// Byte range of the quoted words.
    content: Range<usize>,
    /// Whether it runs to the end of the paragraph without a closing mark.
    runs_on: bool,
}

/// How far, in tokens, a clause reaches either side of a quote: an unpunctuated 10 MB
/// paragraph must cost linear time.
const MAX_CLAUSE: usize = 150;

const ADVERBS: &[&str] = &[
    "also",
    "later",
    "then",
    "again",
    "once",
    "merely",
    "simply",
    "has",
    "had",
    "have",
    "was",
    "repeatedly",
    "previously",
    "earlier",
    "recently",
    "further",
    "publicly",
    "privately",
    "reportedly",
    "flatly",
    "quickly",
    "just",
    "only",
    "still",
    "further",
    "separately",
    "bluntly",
    "firmly",
    "calmly",
    "angrily",
    "told",
    "quietly",
    "openly",
    "would",
    "will",
];

/// Capitalised words that are not names.
const CALENDAR: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Earlier",
    "Later",
    "But",
    "And",
    "The",
    "A",
    "In",
    "On",
    "At",
    "It",
    "This",
    "That",
    "Also",
];

const PREPOSITIONS: &[&str] =
    &["for", "of", "at", "from", "with", "in", "on", "to", "by", "about", "against", "under"];

const PRONOUNS_PERSON: &[&str] = &["he", "she", "He", "She"];
const PRONOUNS_OTHER: &[&str] = &["they", "They", "we", "We", "I", "it", "It", "you", "You"];

/// Words that, before a name, leave it the subject of what follows.
const SUBJECT_OPENERS: &[&str] = &[
    "when",
    "and",
    "but",
    "as",
    "while",
    "after",
    "before",
    "because",
    "that",
    "since",
    "although",
    "though",
    "where",
    "if",
    "so",
    "then",
    "also",
    "whereas",
    "once",
    "until",
    "who",
    "which",
    "meanwhile",
    "however",
];

/// Nouns that describe an unnamed speaker.
const DESCRIPTIONS: &[&str] = &[
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "spokesmen",
    "source",
    "sources",
    "aide",
    "aides",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "witness",
    "witnesses",
    "police",
    "prosecutor",
    "prosecutors",
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "statement",
    "report",
    "people",
    "residents",
    "authorities",
    "officer",
    "officers",
    "agency",
    "government",
    "ministry",
    "department",
    "committee",
    "member",
    "members",
    "researcher",
    "researchers",
    "scientist",
    "scientists",
    "doctor",
    "doctors",
    "person",
    "man",
    "woman",
    "group",
    "company",
    "diplomat",
    "diplomats",
    "envoy",
    "minister",
    "leader",
    "leaders",
    "president",
    "secretary",
    "spokesperson",
    "representative",
    "representatives",
    "organizers",
    "organisers",
    "critics",
    "supporters",
    "observers",
    "investigators",
    "officials",
    "campaigners",
    "activists",
    "son",
    "daughter",
    "wife",
    "husband",
    "father",
    "mother",
    "brother",
    "sister",
    "friend",
    "aunt",
    "uncle",
    "host",
    "narrator",
    "chairman",
    "chairwoman",
    "director",
    "editor",
    "executive",
    "founder",
    "manager",
    "candidate",
    "nominee",
    "senator",
    "lawmaker",
    "lawmakers",
    "strategist",
    "pollster",
    "economist",
    "professor",
    "chief",
    "head",
    "adviser",
    "advisor",
    "daily",
    "newspaper",
    "website",
    "network",
    "filing",
    "study",
    "survey",
    "poll",
    "paper",
    "letter",
    "ad",
    "campaign",
    "team",
    "he",
    "she",
];

fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// The quoted stretches of a paragraph, in order.
fn marked(text: &str, tokens: &[Token]) -> Vec<Marked> {
    let first_char = |i: usize| tokens[i].text(text).chars().next().unwrap_or(' ');
    let gap_before = |i: usize| i == 0 || tokens[i - 1].end < tokens[i].start;
    let gap_after = |i: usize| i + 1 >= tokens.len() || tokens[i].end < tokens[i + 1].start;
    let word_like = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.text(text).chars().next().is_some_and(char::is_alphanumeric))
    };
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for i in 0..tokens.len() {
        let t = tokens[i].text(text);
        let mut chars = t.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { continue };
        let double = matches!(c, '"' | '“' | '”' | '«' | '»' | '„');
        let single = matches!(c, '\'' | '‘' | '’');
        if !double && !single {
            continue;
        }
        // Single marks count only outside double ones.
        if single && open.is_some_and(|(_, m)| m != '\'') {
            continue;
        }
        let opening = match c {
            '"' | '\'' => {
                (gap_before(i)
                    || i == 0
                    || matches!(first_char(i - 1), '(' | '[' | '—' | '–' | '-'))
                    && !gap_after(i)
            }
            '‘' => !gap_after(i) && word_like(i + 1),
            _ => is_open_mark(c),
        };
        let closing = match c {
            '"' | '\'' | '’' => !gap_before(i) || !opening,
            _ => is_close_mark(c),
        };
        let kind = if single { '\'' } else { '"' };
        match open {
            Some((at, k)) if closing && k == kind && (c != '’' || !word_like(i + 1)) => {
                let start = tokens[at].end as usize;
                let end = tokens[i].start as usize;
                if end > start {
                    out.push(Marked {
                        open: at,
                        after: i + 1,
                        content: start..end,
                        runs_on: false,
                    });
                }
                open = None;
            }
            None if opening && (!single || word_like(i + 1)) => open = Some((i, kind)),
            _ => {}
        }
    }
    // A paragraph that opens a quote and never closes it continues in the next one.
    if let Some((at, '"')) = open
        && at == 0
    {
        let start = tokens[at].end as usize;
        out.push(Marked {
            open: at,
            after: tokens.len(),
            content: start..text.len(),
            runs_on: true,
        });
    }
    out
}

/// Who a cue's subject is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    Named(String, EntityKind),
    /// A personal pronoun ("he", "she"), to resolve.
    Pronoun(usize),
    /// No one named ("an official", "they").
    Unnamed,
    /// A definite description at this token ("the envoy"), to resolve to the person the
    /// article gave that title, if any.
    Described(usize),
}

struct Reader<'p, 'g> {
    paras: &'p [Para<'p>],
    gazetteer: &'g Gazetteer,
    /// Per paragraph: token is inside a quote (marks included).
    inside: Vec<Vec<bool>>,
    /// Per paragraph: token is part of a listed title.
    title: Vec<Vec<bool>>,
    /// Per paragraph: the named mention ending at token `i` (index into `named`).
    ends: Vec<Vec<Option<usize>>>,
    starts: Vec<Vec<Option<usize>>>,
    /// Speakers named so far: (paragraph, token, name).
    said: Vec<(usize, usize, String)>,
    /// The last word of each person's name in the article -> the name.
    surnames: HashMap<String, String>,
}

fn is_stop(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | ";")
}

impl Reader<'_, '_> {
    fn word(&self, p: usize, i: usize) -> &str {
        self.paras[p].tokens[i].text(self.paras[p].text)
    }

    /// Whether token `j` is a sentence stop: not the dot of "Mr." or of an initial.
    fn stop_at(&self, p: usize, j: usize) -> bool {
        let w = self.word(p, j);
        is_stop(w) && !(w == "." && j > 0 && is_abbreviation(self.word(p, j - 1)))
    }

    /// The cue at token `i`: its text and how many tokens it spans.
    fn cue(&self, p: usize, i: usize) -> Option<(String, usize)> {
        let w = self.word(p, i);
        if w.eq_ignore_ascii_case("according")
            && i + 1 < self.paras[p].tokens.len()
            && self.word(p, i + 1) == "to"
        {
            return Some(("according to".to_owned(), 2));
        }
        self.gazetteer.speech_verb(w).map(|_| (w.to_owned(), 1))
    }

    /// Whether the mention is the object of a verb or preposition.
    fn is_object(&self, p: usize, n: &Named) -> bool {
        let mut j = n.tokens.start;
        while j > 0 {
            j -= 1;
            let w = self.word(p, j);
            if self.title[p][j] || w.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            if matches!(w, "," | "(" | "—" | "–" | "-" | ":" | "\"" | "“" | "‘")
                || SUBJECT_OPENERS.contains(&w)
                || is_stop(w)
            {
                return false;
            }
            return w.chars().next().is_some_and(char::is_lowercase);
        }
        false
    }

    fn is_possessive(&self, p: usize, n: &Named) -> bool {
        self.paras[p]
            .tokens
            .get(n.tokens.end)
            .is_some_and(|t| matches!(t.text(self.paras[p].text), "'s" | "’s" | "'" | "’"))
    }

    fn subject_named(&self, n: &Named) -> Subject {
        Subject::Named(n.name.clone(), n.kind)
    }

    /// The subject of a finite cue at token `c`, looking left within `from..c`.
    fn subject_before(&self, p: usize, from: usize, c: usize) -> Option<Subject> {
        let mut j = c;
        let skip = |j: &mut usize| {
            while *j > from && ADVERBS.contains(&self.word(p, *j - 1)) {
                *j -= 1;
            }
        };
        skip(&mut j);
        if j > from && self.word(p, j - 1) == "," {
            // An appositive: "Haley, the United Nations envoy, said" or "The Vice
            // President, Mike Pence, said": a person named inside it is the speaker,
            // else the one before it.
            let mut k = j - 1;
            while k > from && k + 15 > j && self.word(p, k - 1) != "," {
                k -= 1;
            }
            if k > from && self.word(p, k - 1) == "," && k + 15 > j {
                // Only a name that fills the appositive ("The Vice President, Mike
                // Pence, said"), not one inside a description ("Howard Rubel, a lawyer
                // representing Spanton, told").
                let inner = self.paras[p].named.iter().find(|n| {
                    n.kind == EntityKind::Person && n.tokens.start >= k && n.tokens.end == j - 1
                });
                if let Some(n) = inner {
                    return Some(self.subject_named(n));
                }
                j = k - 1;
                skip(&mut j);
            } else {
                return None;
            }
        }
        if j <= from || self.inside[p][j - 1] {
            return None;
        }
        let w = self.word(p, j - 1);
        if PRONOUNS_PERSON.contains(&w) {
            return Some(Subject::Pronoun(j - 1));
        }
        if PRONOUNS_OTHER.contains(&w) {
            return Some(Subject::Unnamed);
        }
        if let Some(n) = self.ends[p][j - 1] {
            let n = &self.paras[p].named[n];
            // "Jo Anne Van Tilburg of the University of California, Los Angeles disagreed":
            // a place is seldom the speaker when a person leads the clause.
            // "George Kimbrell of the Center for Food Safety said": an organisation or
            // place after a preposition is not the speaker when a person leads the clause.
            if (n.kind == EntityKind::Place || self.is_object(p, n))
                && n.kind != EntityKind::Person
                && let Some(person) = self.clause_subject(p, from, n.tokens.start)
            {
                return Some(person);
            }
            return Some(self.subject_named(n));
        }
        if DESCRIPTIONS.contains(&w) || self.title[p][j - 1] {
            return Some(self.description(p, j - 1));
        }
        self.capitalised_name(p, from, j)
    }

    /// Capitalised words just before token `end` that the tagger left untagged: before a
    /// speech verb they name the speaker ("Affleck tweeted"). A one-word name is the
    /// article's fuller name ending in it, or the name news usually means by it.
    fn capitalised_name(&self, p: usize, from: usize, end: usize) -> Option<Subject> {
        let capital = |j: usize| {
            let w = self.word(p, j);
            !CALENDAR.contains(&w)
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                && !self.title[p][j]
        };
        let mut start = end;
        while start > from && end - start < 4 && capital(start - 1) {
            start -= 1;
        }
        if start == end {
            return None;
        }
        let para = &self.paras[p];
        let name = &para.text[para.tokens[start].start as usize..para.tokens[end - 1].end as usize];
        if start == end - 1 {
            let word = name;
            if let Some(full) = self.surnames.get(word) {
                return Some(Subject::Named(full.clone(), EntityKind::Person));
            }
            if let Some(full) = self.gazetteer.person(word) {
                return Some(Subject::Named(full.to_owned(), EntityKind::Person));
            }
        }
        Some(Subject::Named(name.to_owned(), EntityKind::Person))
    }

    /// The entity or pronoun just after a cue ("said Lavrov", "said the official").
    fn subject_after(&self, p: usize, c: usize, to: usize) -> Option<Subject> {
        let mut org = None;
        let mut described = None;
        let mut after_comma = None;
        for j in c..to.min(c + 14) {
            if self.inside[p][j] {
                break;
            }
            let w = self.word(p, j);
            if self.stop_at(p, j) {
                break;
            }
            if w == "," {
                // An appositive may name the speaker: "said his father, Abdullah Kurdi".
                if after_comma.is_some() || org.is_some() {
                    break;
                }
                after_comma = Some(j + 1);
                continue;
            }
            if j == c && PRONOUNS_PERSON.contains(&w) {
                return Some(Subject::Pronoun(j));
            }
            if let Some(n) = self.starts[p][j] {
                let n = &self.paras[p].named[n];
                if after_comma.is_some_and(|a| a != j) {
                    break;
                }
                // "said a spokeswoman for Trump hotels, Jennifer Rodstrom"
                if j > c && PREPOSITIONS.contains(&self.word(p, j - 1)) {
                    continue;
                }
                match n.kind {
                    EntityKind::Person => return Some(self.subject_named(n)),
                    _ => {
                        if org.is_none() && !self.is_possessive(p, n) {
                            org = Some(self.subject_named(n));
                        }
                    }
                }
            } else if after_comma.is_some() {
                if !self.title[p][j] {
                    break;
                }
            } else if DESCRIPTIONS.contains(&w) && described.is_none() {
                described = Some(self.description(p, j));
            }
        }
        org.or(described)
    }

    /// The subject of a clause `from..to` (for participles: "..., saying").
    fn clause_subject(&self, p: usize, from: usize, to: usize) -> Option<Subject> {
        let named = &self.paras[p].named;
        let first = named.partition_point(|n| n.tokens.start < from);
        let mut fallback = None;
        for n in
            named[first..].iter().take_while(|n| n.tokens.start < to).filter(|n| n.tokens.end <= to)
        {
            if self.inside[p][n.tokens.start] || self.is_object(p, n) || self.is_possessive(p, n) {
                continue;
            }
            if n.kind == EntityKind::Person {
                return Some(self.subject_named(n));
            }
            fallback.get_or_insert_with(|| self.subject_named(n));
        }
        if fallback.is_none()
            && let Some(j) = (from..to)
                .find(|&j| !self.inside[p][j] && PRONOUNS_PERSON.contains(&self.word(p, j)))
        {
            return Some(Subject::Pronoun(j));
        }
        fallback
    }

    /// The person a pronoun at token `at` of paragraph `p` stands for.
    fn resolve(&self, p: usize, at: usize) -> Option<String> {
        if let Some((_, _, name)) =
            self.said.iter().rev().find(|(sp, st, _)| (*sp == p && *st < at) || *sp + 1 == p)
        {
            return Some(name.clone());
        }
        for q in (p.saturating_sub(1)..=p).rev() {
            let found = self.paras[q].named.iter().rev().find(|n| {
                n.kind == EntityKind::Person
                    && (q < p || n.tokens.end <= at)
                    && !self.inside[q][n.tokens.start]
                    && !self.is_object(q, n)
            });
            if let Some(n) = found {
                return Some(n.name.clone());
            }
        }
        None
    }

    fn name_of(&self, p: usize, s: Subject) -> Option<String> {
        match s {
            Subject::Named(name, _) => Some(name),
            Subject::Pronoun(at) => self.resolve(p, at),
            Subject::Unnamed => None,
            Subject::Described(at) => self.described(p, at),
        }
    }

    /// A description at token `at`: definite ("the envoy", "the commissioner") or not ("an
    /// official").
    fn description(&self, p: usize, at: usize) -> Subject {
        let definite = at > 0 && matches!(self.word(p, at - 1), "the" | "The");
        if definite { Subject::Described(at) } else { Subject::Unnamed }
    }

    /// The person a definite description at token `at` of paragraph `p` stands for: the
    /// nearest person named before it in this or the three paragraphs before whose title
    /// ("AU trade commissioner Albert Muchanga") or appositive ("Haley, the United Nations
    /// envoy,") holds that word; no one otherwise.
    fn described(&self, p: usize, at: usize) -> Option<String> {
        let word = self.word(p, at).to_lowercase();
        let word = word.as_str();
        let holds = |q: usize, range: Range<usize>| {
            range.into_iter().any(|k| {
                let w = self.word(q, k).to_lowercase();
                w == word
                    || w.strip_suffix('s') == Some(word)
                    || word.strip_suffix('s') == Some(w.as_str())
            })
        };
        for q in (p.saturating_sub(3)..=p).rev() {
            let tokens = self.paras[q].tokens.len();
            for n in self.paras[q].named.iter().rev() {
                if n.kind != EntityKind::Person || (q == p && n.tokens.start >= at) {
                    continue;
                }
                let before = n.tokens.start.saturating_sub(5)..n.tokens.start;
                let mut after = n.tokens.end..n.tokens.end;
                if n.tokens.end < tokens && self.word(q, n.tokens.end) == "," {
                    let end = (n.tokens.end + 1..tokens.min(n.tokens.end + 10))
                        .find(|&k| matches!(self.word(q, k), "," | "." | ";"))
                        .unwrap_or(n.tokens.end);
                    after = n.tokens.end + 1..end;
                }
                if holds(q, before) || holds(q, after) {
                    return Some(n.name.clone());
                }
            }
        }
        None
    }

    /// The clause around tokens `open..after` of paragraph `p`: from the last stop outside
    /// quotes before it to the first stop outside quotes after it.
    fn clause(&self, p: usize, open: usize, after: usize) -> Range<usize> {
        let n = self.paras[p].tokens.len();
        let mut from = open;
        while from > 0 && open - from < MAX_CLAUSE && !self.ends_sentence(p, from - 1) {
            from -= 1;
        }
        let mut to = after;
        while to < n && to - after < MAX_CLAUSE && (self.inside[p][to] || !self.stop_at(p, to)) {
            to += 1;
        }
        from..to
    }

    /// Whether token `j` ends a sentence outside quotes: a stop, or the closing mark of
    /// a quote that ends with one (`... in such conditions."`).
    fn ends_sentence(&self, p: usize, j: usize) -> bool {
        let w = self.word(p, j);
        (self.stop_at(p, j) && !self.inside[p][j])
            || (j > 0
                && matches!(w, "\"" | "”" | "’" | "»")
                && is_stop(self.word(p, j - 1))
                && self.inside[p][j])
    }

    /// The speaker of a cue found at token `j` (`len` tokens), in a clause starting at
    /// `from`, for a quote whose opening mark is token `open`.
    fn speaker_of_cue(
        &self,
        p: usize,
        from: usize,
        j: usize,
        len: usize,
        cue: &str,
        open: usize,
    ) -> Option<Subject> {
        let n = self.paras[p].tokens.len();
        if cue == "according to" {
            return self.subject_after(p, j + len, if open > j { open } else { n });
        }
        // "he was told by Emergencies Minister Yevgeny Zinichev"
        if j + len < n
            && self.word(p, j + len) == "by"
            && let Some(s) = self.subject_after(p, j + len + 1, n)
        {
            return Some(s);
        }
        if cue.ends_with("ing") {
            // "with Zinichev describing", else the clause's subject ("Tillerson ..., saying").
            return match self.subject_before(p, from, j) {
                Some(s @ (Subject::Named(..) | Subject::Pronoun(_))) => Some(s),
                _ => self.clause_subject(p, from, j),
            };
        }
        if j > open {
            // After the quote: `"...," Trump said` or `"...," said Trump`.
            return self.subject_before(p, from, j).or_else(|| self.subject_after(p, j + len, n));
        }
        self.subject_before(p, from, j).or_else(|| self.clause_subject(p, from, j))
    }

    /// The attribution of a quote: its speaker and cue.
    fn attribute(&self, p: usize, m: &Marked) -> (Option<Subject>, Option<String>) {
        let clause = self.clause(p, m.open, m.after);
        let n = self.paras[p].tokens.len();
        // The nearest cue before the quote: `X said: "..."`, `according to X, ... "..."`.
        let mut before = None;
        for j in (clause.start..m.open).rev() {
            if self.inside[p][j] {
                continue;
            }
            if let Some((cue, len)) = self.cue(p, j) {
                // "he hoped to clarify": an infinitive is not the attribution.
                if j > clause.start && self.word(p, j - 1) == "to" {
                    continue;
                }
                before = Some((j, cue, len));
                break;
            }
        }
        // A cue right after the quote: `"...," Trump said` / `"...," said Trump`; not one
        // that introduces the next quote (`Affleck tweeted, "..."`).
        let mut after = None;
        for (seen, j) in (m.after..n).enumerate() {
            if self.ends_sentence(p, j) || seen >= 12 {
                break;
            }
            if self.inside[p][j] {
                break;
            }
            if let Some((cue, len)) = self.cue(p, j) {
                // Only a subject may stand between the quote and its cue
                // (`"...," Police spokesman Mariusz Ciarka said`), not a clause of its own
                // (`"hoped" the Syrian people would ... and reiterated`).
                // "Chris Weston, chief market strategist at IG Ltd., said": what lies
                // between two commas before the cue is an appositive, and free.
                let first_comma = (m.after..j).find(|&k| self.word(p, k) == ",");
                let appositive_end = j > m.after && self.word(p, j - 1) == ",";
                let checked_to = match first_comma {
                    Some(c) if appositive_end && c > m.after && c + 1 < j - 1 => c,
                    _ => j,
                };
                let subject_like = (m.after..checked_to).all(|k| {
                    let w = self.word(p, k);
                    w.chars().next().is_some_and(char::is_uppercase)
                        || self.title[p][k]
                        || matches!(w, "," | "the" | "a" | "an" | "of" | "and" | "'s" | "’s" | "-")
                        || (w == "." && k > 0 && is_abbreviation(self.word(p, k - 1)))
                        || DESCRIPTIONS.contains(&w)
                        || ADVERBS.contains(&w)
                        || PRONOUNS_PERSON.contains(&w)
                        || PRONOUNS_OTHER.contains(&w)
                });
                // "vice presidential candidate Mike Pence said": a description before a
                // named person is part of the subject.
                let named_before = j > m.after
                    && j - m.after <= 8
                    && self.ends[p][j - 1]
                        .is_some_and(|n| self.paras[p].named[n].kind == EntityKind::Person);
                if !subject_like && !named_before {
                    break;
                }
                let mut k = j + len;
                while k < n && matches!(self.word(p, k), "," | ":") {
                    k += 1;
                }
                let introduces = k < n && self.inside[p][k] && k > j + len;
                if !introduces {
                    after = Some((j, cue, len));
                }
                break;
            }
        }
        // A quote that ends its sentence ("...flabbergasted.") is attributed before it
        // when it can be; otherwise after it.
        let content = self.paras[p].text[m.content.clone()].trim_end();
        let ends = content.ends_with(['.', '!', '?']);
        let order: [Option<(usize, String, usize)>; 2] =
            if ends { [before, after] } else { [after, before] };
        if let Some((j, cue, len)) = order.into_iter().flatten().next() {
            let from = if j > m.open { m.after } else { clause.start };
            let subject = self.speaker_of_cue(p, from, j, len, &cue, m.open);
            return (subject, Some(cue));
        }
        // `X: "..."`, where X speaks: not the object of what comes before it ("issued the
        // following statement on the State of the Union Address: “...”"), whose speaker is
        // then the person the clause is about, when it names one.
        if m.open >= 2 && self.word(p, m.open - 1) == ":" {
            if let Some(n) = self.ends[p][m.open - 2] {
                let named = &self.paras[p].named[n];
                if named.kind == EntityKind::Person || !self.is_object(p, named) {
                    return (Some(self.subject_named(named)), None);
                }
            }
            if let Some(s @ Subject::Named(_, EntityKind::Person)) =
                self.clause_subject(p, clause.start, m.open - 1)
            {
                return (Some(s), None);
            }
        }
        (None, None)
    }
}

/// The direct and reported quotes of an article's paragraphs.
pub(crate) fn quotes(paras: &[Para<'_>], gazetteer: &Gazetteer) -> Vec<Quote> {
    let marks: Vec<Vec<Marked>> = paras.iter().map(|p| marked(p.text, p.tokens)).collect();
    let mut reader = Reader {
        paras,
        gazetteer,
        inside: paras
            .iter()
            .zip(&marks)
            .map(|(p, ms)| {
                let mut v = vec![false; p.tokens.len()];
                for m in ms {
                    let end = if m.runs_on { p.tokens.len() } else { m.after };
                    v[m.open..end].iter_mut().for_each(|x| *x = true);
                }
                v
            })
            .collect(),
        title: paras
            .iter()
            .map(|p| {
                let mut v = vec![false; p.tokens.len()];
                for m in gazetteer.matches(p.text, p.tokens) {
                    if matches!(m.entry.listed, Listed::Title | Listed::Demonym) {
                        v[m.start..m.end].iter_mut().for_each(|x| *x = true);
                    }
                }
                v
            })
            .collect(),
        ends: Vec::new(),
        starts: Vec::new(),
        said: Vec::new(),
        surnames: paras
            .iter()
            .flat_map(|p| &p.named)
            .filter(|n| n.kind == EntityKind::Person)
            .filter_map(|n| Some((n.name.rsplit([' ', '-']).next()?.to_owned(), n.name.clone())))
            .collect(),
    };
    for p in paras {
        let mut ends = vec![None; p.tokens.len()];
        let mut starts = vec![None; p.tokens.len()];
        for (k, n) in p.named.iter().enumerate() {
            ends[n.tokens.end - 1] = Some(k);
            starts[n.tokens.start] = Some(k);
        }
        reader.ends.push(ends);
        reader.starts.push(starts);
    }

    let mut out: Vec<(usize, usize, Quote, bool)> = Vec::new();
    // Speakers whose cue carried no reported words ("Zapata said, adding ..."): a quote
    // with no cue of its own may go on from them as from a quote.
    let mut spoke: Vec<(usize, usize, String)> = Vec::new();
    for (p, para) in paras.iter().enumerate() {
        // Events in token order: direct quotes and reported speech.
        let mut events: Vec<(usize, Option<&Marked>)> =
            marks[p].iter().map(|m| (m.open, Some(m))).collect();
        for j in 0..para.tokens.len() {
            if !reader.inside[p][j] && reader.cue(p, j).is_some() {
                events.push((j, None));
            }
        }
        events.sort_by_key(|e| e.0);
        let mut reported_until = 0;
        for (at, m) in events {
            match m {
                Some(m) => {
                    let (subject, cue) = reader.attribute(p, m);
                    let text = para.text[m.content.clone()].trim_end_matches([',', ' ']);
                    let text = text.trim_start();
                    let words = text.split_whitespace().count();
                    if !text.chars().any(char::is_alphabetic) {
                        continue;
                    }
                    let starts_paragraph = m.open == 0;
                    if cue.is_none() && subject.is_none() && words < 5 {
                        continue;
                    }
                    let mut speaker = subject.and_then(|s| reader.name_of(p, s));
                    // A quote with no cue of its own goes on from the quote before it, in
                    // this paragraph or, when it opens the paragraph, the one before:
                    // `"...," Trump told supporters. "They're against what we represent."`
                    let has_cue = cue.is_some();
                    let inherits = cue.is_none() && speaker.is_none();
                    if inherits {
                        let near = |qp: usize| qp == p || (starts_paragraph && qp + 1 == p);
                        let quote = out
                            .iter()
                            .rev()
                            .find(|(qp, ..)| near(*qp))
                            .map(|(qp, at, q, _)| ((*qp, *at), q.speaker.clone()));
                        let cue = spoke
                            .iter()
                            .rev()
                            .find(|(qp, ..)| near(*qp))
                            .map(|(qp, at, s)| ((*qp, *at), Some(s.clone())));
                        // Whichever came last.
                        speaker = match (quote, cue) {
                            (Some(q), Some(c)) => {
                                if c.0 > q.0 {
                                    c.1
                                } else {
                                    q.1
                                }
                            }
                            (q, c) => q.or(c).and_then(|(_, s)| s),
                        };
                    }
                    if let Some(s) = &speaker {
                        reader.said.push((p, m.open, s.clone()));
                    }
                    let start = m.content.start
                        + (para.text[m.content.clone()].len()
                            - para.text[m.content.clone()].trim_start().len());
                    out.push((
                        p,
                        m.open,
                        Quote {
                            text: text.to_owned(),
                            speaker,
                            cue,
                            paragraph: p,
                            start,
                            end: start + text.len(),
                            direct: true,
                        },
                        m.runs_on && !has_cue,
                    ));
                }
                // Reported speech does not nest: a cue inside reported words is part of them.
                None if at < reported_until => {}
                None => {
                    if let Some((q, subject)) = reported(&reader, p, at) {
                        let speaker = reader.name_of(p, subject);
                        if let Some(s) = &speaker {
                            reader.said.push((p, at, s.clone()));
                        }
                        match q {
                            Some(q) => {
                                reported_until =
                                    para.tokens.partition_point(|t| (t.start as usize) < q.end);
                                out.push((p, at, Quote { speaker, ..q }, false));
                            }
                            None => spoke.extend(speaker.map(|s| (p, at, s))),
                        }
                    }
                }
            }
        }
    }
    // A quote that runs on into the next paragraph is said by whoever says its end.
    for k in 0..out.len() {
        if out[k].3 {
            let next = out[k + 1..]
                .iter()
                .find(|q| q.2.direct && q.0 > out[k].0)
                .filter(|q| q.0 == out[k].0 + 1)
                .and_then(|q| q.2.speaker.clone());
            if next.is_some() {
                out[k].2.speaker = next;
            }
        }
    }
    out.into_iter().map(|(.., q, _)| q).collect()
}

/// Verbs that cannot open reported speech right after its cue.
const AUXILIARIES: &[&str] =
    &["had", "has", "have", "was", "were", "is", "are", "been", "be", "would", "will"];

/// Words that, right after the cue, open when, where, how or in what capacity something
/// was said ("said after the vote", "said in a statement", "confirmed as deputy",
/// "announced by the Senate"), not what: what was said can then only follow a later "that"
/// ("said on Monday that ..."); without one there is no reported speech to take.
const SETTING: &[&str] = &[
    ",",
    "after",
    "before",
    "when",
    "while",
    "during",
    "on",
    "at",
    "in",
    "as",
    "by",
    "from",
    "to",
    "for",
    "following",
    "outside",
    "upon",
    "since",
    "until",
    "due",
    "and",
    "or",
    "with",
    "without",
    "via",
    "through",
    "amid",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "last",
];

/// Days and parts of days that name a time.
const TIMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "weekend",
    "month",
    "year",
    "night",
    "morning",
    "afternoon",
    "evening",
];

/// How many tokens from `j` name when something was said: "yesterday", "today",
/// "on Monday", "last week", "this morning", "earlier this year", each with an optional
/// part of the day after it ("on Monday night"); 0 if none.
fn time_phrase(r: &Reader<'_, '_>, p: usize, j: usize) -> usize {
    let n = r.paras[p].tokens.len();
    let word = |k: usize| if k < n { r.word(p, k).to_lowercase() } else { String::new() };
    let is_time = |k: usize| TIMES.contains(&word(k).as_str());
    let mut len = match word(j).as_str() {
        "yesterday" | "today" | "tonight" => 1,
        "on" | "last" | "this" | "next" if is_time(j + 1) => 2,
        "earlier" | "later"
            if matches!(word(j + 1).as_str(), "this" | "that") && is_time(j + 2) =>
        {
            3
        }
        "earlier" | "later" => 1,
        _ => 0,
    };
    if len > 0 && matches!(word(j + len).as_str(), "morning" | "afternoon" | "evening" | "night") {
        len += 1;
    }
    len
}

/// Whether token `j` opens a [`SETTING`] ("at least 71 people" opens a quantity, not one).
fn opens_setting(r: &Reader<'_, '_>, p: usize, j: usize) -> bool {
    let w = r.word(p, j).to_lowercase();
    SETTING.contains(&w.as_str())
        && !(matches!(w.as_str(), "at" | "for")
            && j + 1 < r.paras[p].tokens.len()
            && matches!(r.word(p, j + 1), "least" | "most" | "once"))
}

/// Auxiliaries that make a reporting verb passive ("was confirmed by the Senate").
const PASSIVE: &[&str] = &["was", "were", "is", "are", "be", "been", "being"];

/// Finite verbs that introduce reported speech.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "warned",
    "claimed",
    "insisted",
    "argued",
    "explained",
    "noted",
    "suggested",
    "confirmed",
    "denied",
    "acknowledged",
    "admitted",
    "stated",
    "announced",
    "declared",
    "predicted",
    "stressed",
    "maintained",
    "asserted",
];

/// Reported speech after the cue at token `c` of paragraph `p`: "X said (that) ...", with
/// who said it; or only who spoke, when the words after the cue say when or where and no
/// "that" follows ("X said after the vote").
fn reported(r: &Reader<'_, '_>, p: usize, c: usize) -> Option<(Option<Quote>, Subject)> {
    let (cue, len) = r.cue(p, c)?;
    if !REPORTING.contains(&cue.as_str()) {
        return None;
    }
    let para = &r.paras[p];
    let n = para.tokens.len();
    let clause = r.clause(p, c, c + len);
    let subject = r.subject_before(p, clause.start, c)?;
    if matches!(subject, Subject::Unnamed | Subject::Described(_)) {
        return None;
    }
    if c > 0 && PASSIVE.contains(&r.word(p, c - 1)) {
        return None;
    }
    let mut j = c + len;
    let mut parenthetical = false;
    if cue == "told" {
        let that = (j..(j + 6).min(n)).find(|&k| r.word(p, k) == "that")?;
        j = that;
    } else {
        // "announced on Monday she was ...": a time is skipped, and what follows it read
        // as what follows the cue.
        j += time_phrase(r, p, j);
    }
    if cue != "told" && j < n && opens_setting(r, p, j) {
        // The setting ends at "that" ("said on Monday that ...") or at a comma that a new
        // clause follows ("said in its report, the fault ...", "Beyond that, he said, the
        // bank ..."; not ", referring to ..." nor ", as the crowd applauded").
        let end = (j..(j + 12).min(clause.end)).find(|&k| matches!(r.word(p, k), "that" | ","));
        match end {
            Some(k) if r.word(p, k) == "that" => j = k,
            Some(k)
                if (k > j || r.word(p, j) == ",")
                    && k + 1 < n
                    && !opens_setting(r, p, k + 1)
                    && !r.word(p, k + 1).ends_with("ing")
                    && !matches!(
                        r.word(p, k + 1),
                        "which" | "who" | "whom" | "whose" | "where"
                    ) =>
            {
                j = k + 1;
                parenthetical = true;
            }
            _ => return Some((None, subject)),
        }
    }
    while j < n
        && ((ADVERBS.contains(&r.word(p, j)) && !AUXILIARIES.contains(&r.word(p, j)))
            || r.word(p, j) == "that")
    {
        j += 1;
    }
    // "the agreement Moscow suggested had been reached": a verb right after the cue makes
    // it a relative clause, not reported speech.
    // After a comma ("Democrats, Mr. Clyburn noted, are all too familiar ..."), the cue was
    // a parenthesis in a sentence that is the speech: who spoke is known, its words are not
    // cut out.
    if j < n && AUXILIARIES.contains(&r.word(p, j)) {
        return parenthetical.then_some((None, subject));
    }
    let start = j;
    let mut end = j;
    while end < clause.end {
        let w = r.word(p, end);
        if r.inside[p][end] || matches!(w, ":" | "\"" | "“" | "”") {
            break;
        }
        if w == ","
            && end + 1 < n
            && matches!(r.word(p, end + 1), "whereas" | "while" | "but" | "although" | "though")
        {
            break;
        }
        end += 1;
    }
    if end < start + 4 || (end < clause.end && r.inside[p][end]) {
        return None;
    }
    let (s, e) = (para.tokens[start].start as usize, para.tokens[end - 1].end as usize);
    let text = para.text[s..e].trim_end_matches([',', ' ']).to_owned();
    Some((
        Some(Quote {
            end: s + text.len(),
            text,
            speaker: None,
            cue: Some(cue),
            paragraph: p,
            start: s,
            direct: false,
        }),
        subject,
    ))
}
