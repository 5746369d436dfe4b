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
//! object of a verb or preposition (else, for "she" or "he", the nearest object the
//! article tells to be of that gender); a pronoun that tells a gender ("she", "il",
//! "explique-t-elle", Russian "сказала") never stands for a person the article tells to be
//! of the other, nor for a name it gives only an organisation or place (a person's gender:
//! a title before a mention, "Mrs", "Innenministerin", "la ministre", else the given name
//! in the article's language, from the 1990 U.S. Census lists and a hand list, see
//! `data/README.md`; "Andrea" is a man in Italian); a definite description ("the envoy")
//! is the nearest person the article gave that title ("Haley, the United Nations envoy"),
//! else no one, and an indefinite one ("a spokesman") is no one. A quote without a cue is
//! kept when it is five words or more: the sender's of a statement announced before it ("X
//! issued the following statement. ... “...”"), else it continues the quote before it;
//! shorter ones are titles or scare quotes.
//!
//! Known failures: nested quotes are read as their outer quote; a given name neither list
//! knows tells no gender (nor does German "sie", which may be "they"), and a pronoun is not
//! looked for beyond the previous paragraph; a description is linked only through a title
//! or appositive holding its very word ("the father" stays unnamed beside "David Turpin");
//! reported speech is only read after a speech verb with a subject, and runs to the end of
//! its clause.
//!
//! Beyond English (issue #17), the article's language selects a [`Lexicon`] (German,
//! French, Spanish, Italian, Portuguese, Dutch, Russian, Ukrainian): each quotation-mark
//! style closes with its own mark („…“, »…«, «…», ‹…›, 「…」), speech verbs in their
//! inflected forms and source words ("laut", "selon", "según", "по словам", "aldus") are
//! cues, a French inverted verb ("explique-t-il") and a verb without a subject (Spanish,
//! Italian) name the last speaker, a German clause in Konjunktiv I continues one, and lines
//! of dialogue opened by a dash are quotes. Where no tagger reads the language, the speaker
//! is the capitalised name at the cue, from its given name on ("sagte Innenministerin Nancy
//! Faeser" -> "Nancy Faeser"); in German, whose nouns are capitalised, one capitalised word
//! is a name only when the article wrote it in full before. Reported speech beyond English
//! is read after a speech verb of the language: "X a déclaré que ...", "X dijo que ...",
//! "X zei dat ...", and German Konjunktiv I without "dass" ("Er sagte, er sei ...",
//! "..., sagte X, man habe ..."); Dutch `,,…''` is a quotation style (issue #17).
//!
//! Example: `"There is a low level of trust", Mr Tillerson said.` is a quote of Rex
//! Tillerson, cue `said`.

use crate::aliases::Aliases;
use crate::gazetteer::{Gazetteer, Gender, Listed};
use crate::speech::Lexicon;
use lede_core::{EntityKind, Quote};
use lede_text::lexicon::is_abbreviation;
use lede_text::tokens::Token;
use std::collections::{HashMap, HashSet};
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

/// Possessives and stressed pronouns after a preposition that names a source ("pour son
/// avocat", "para su portavoz", "pour lui", "per lei").
const SOURCE_WORDS: &[&str] = &[
    "son", "sa", "ses", "leur", "leurs", "lui", "eux", "elle", "elles", "su", "sus", "él", "ella",
    "ellos", "ellas", "suo", "sua", "suoi", "sue", "lei", "loro", "seu", "sua", "seus", "suas",
    "ele", "ela", "eles", "elas",
];

/// Prepositions of the languages beyond English: between an article and a name, the name
/// is the preposition's object ("el acuerdo con Torres"), not a title's bearer.
const PREPOSITIONS_ELSEWHERE: &[&str] = &[
    "de", "del", "a", "al", "con", "en", "por", "para", "sobre", "entre", "sin", "à", "au", "aux",
    "avec", "pour", "par", "chez", "sur", "contre", "di", "da", "per", "su", "tra", "fra", "em",
    "no", "na", "nos", "nas", "pelo", "pela", "com", "mit", "von", "bei", "für", "zu", "zum",
    "zur", "an", "auf", "aus", "nach", "gegen", "met", "voor", "door", "bij", "naar", "op", "van",
    "tegen",
];

/// Words before a capitalised word that make it a noun, not a name, in languages that
/// capitalise nouns or write "des Affaires étrangères".
const NOUN_MARKERS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "du", "de",
    "la", "le", "les", "del", "el", "los", "las", "di", "della", "il", "lo", "dei", "het", "van",
    "von", "vom", "zum", "zur", "im", "am", "beim", "of",
];

/// Definite articles of the languages beyond English: "el portavoz", "der Sprecher", "de
/// woordvoerder", "o porta-voz" say who, as "the spokesman" does.
const DEFINITE: &[&str] = &[
    "der", "die", "den", "dem", "des", "le", "la", "les", "el", "los", "las", "il", "lo", "gli",
    "o", "a", "os", "as", "de", "het",
];
/// Other determiners of those languages, which open a sentence but never a name: "Une
/// demande formulée …", "Eine Sprecherin sagte".
const DETERMINERS: &[&str] = &[
    "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur",
    "leurs", "ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine", "diese", "dieser",
    "dieses", "jeder", "jede", "una", "uno", "unos", "unas", "este", "esta", "estos", "estas",
    "ese", "esa", "um", "uma", "uns", "umas", "een", "deze", "dit", "dat",
];
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
    matches!(c, '“' | '«' | '„' | '「' | '『')
}

/// Whether `close` ends a quote opened by `open`: each style closes with its own mark
/// („…“ and „…” in German and Dutch, «…» and »…« with guillemets, 「…」), so that another
/// style nested inside («… “…” …») does not end it. Straight and English curly marks mix
/// as careless typing mixes them.
fn closes(open: char, close: char) -> bool {
    match open {
        '„' => matches!(close, '“' | '”' | '"'),
        '«' => close == '»',
        '»' => close == '«',
        '‹' => close == '›',
        '›' => close == '‹',
        '「' => close == '」',
        '『' => close == '』',
        '‚' => matches!(close, '‘' | '’'),
        '"' | '“' => matches!(close, '"' | '”' | '»'),
        _ => matches!(close, '\'' | '’'),
    }
}

/// The quoted stretches of a paragraph, in order. With `low_commas` (Dutch), two commas
/// open a quote and two straight apostrophes close it (`,,Ik weet het niet''`), as Dutch
/// newspapers print „…” on a typewriter's keys.
fn marked(text: &str, tokens: &[Token], low_commas: bool) -> Vec<Marked> {
    let first_char = |i: usize| tokens[i].text(text).chars().next().unwrap_or(' ');
    let gap_before = |i: usize| i == 0 || tokens[i - 1].end < tokens[i].start;
    let gap_after = |i: usize| i + 1 >= tokens.len() || tokens[i].end < tokens[i + 1].start;
    let word_like = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.text(text).chars().next().is_some_and(char::is_alphanumeric))
    };
    let mut out = Vec::new();
    // The opening mark's token and character.
    let mut open: Option<(usize, char)> = None;
    // Where the quoted words start: past the opening mark (two tokens for `,,`).
    let mut open_end = 0;
    // Two adjacent one-character tokens `a` `b` at `i`.
    let pair = |i: usize, a: &str, b: &str| {
        i + 1 < tokens.len()
            && tokens[i].text(text) == a
            && tokens[i + 1].text(text) == b
            && tokens[i].end == tokens[i + 1].start
    };
    let mut skip_to = 0;
    for i in 0..tokens.len() {
        if i < skip_to {
            continue;
        }
        if low_commas {
            // `,,` opens (read as „), `''` closes it; `,, ` with a space after it too.
            if open.is_none() && pair(i, ",", ",") {
                open = Some((i, '„'));
                open_end = tokens[i + 1].end as usize;
                skip_to = i + 2;
                continue;
            }
            if let Some((at, '„')) = open
                && pair(i, "'", "'")
            {
                let end = tokens[i].start as usize;
                if end > open_end {
                    out.push(Marked {
                        open: at,
                        after: i + 2,
                        content: open_end..end,
                        runs_on: false,
                    });
                }
                open = None;
                skip_to = i + 2;
                continue;
            }
        }
        let t = tokens[i].text(text);
        let mut chars = t.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { continue };
        let double = matches!(c, '"' | '“' | '”' | '«' | '»' | '„' | '「' | '」' | '『' | '』');
        let single = matches!(c, '\'' | '‘' | '’' | '‹' | '›' | '‚');
        if !double && !single {
            continue;
        }
        let kind = |m: char| {
            if matches!(m, '\'' | '‘' | '’' | '‹' | '›' | '‚') { '\'' } else { '"' }
        };
        // Single marks count only outside double ones.
        if single && open.is_some_and(|(_, m)| kind(m) != '\'') {
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
            // German »…« and ›…‹: a closing guillemet against the word after it opens.
            '»' | '›' => gap_before(i) && !gap_after(i) && word_like(i + 1),
            '‹' | '‚' => !gap_after(i),
            _ => is_open_mark(c),
        };
        match open {
            Some((at, o)) if closes(o, c) && (c != '’' || !word_like(i + 1)) => {
                // A straight or curly English mark closes only against the words before it
                // (or as the only reading left).
                let english = matches!(c, '"' | '\'' | '’');
                if english && gap_before(i) && opening {
                    continue;
                }
                let start = open_end;
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
            None if opening && (!single || word_like(i + 1)) => {
                open = Some((i, c));
                open_end = tokens[i].end as usize;
            }
            _ => {}
        }
    }
    // A paragraph that opens a quote and never closes it continues in the next one.
    if let Some((at, c)) = open
        && at == 0
        && kind_is_double(c)
    {
        let start = open_end;
        out.push(Marked {
            open: at,
            after: tokens.len(),
            content: start..text.len(),
            runs_on: true,
        });
    }
    out
}

fn kind_is_double(c: char) -> bool {
    !matches!(c, '\'' | '‘' | '’' | '‹' | '›' | '‚')
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
    /// The article's language's cues (English's own lists are the gazetteer's).
    lex: &'static Lexicon,
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
    /// Each person's gender as the article tells it ([`person_genders`]); `None` where
    /// its mentions disagree.
    genders: HashMap<String, Option<Gender>>,
    /// Names the article gives organisations or places only, never a person: "she" is not
    /// one of them.
    not_people: HashSet<String>,
    /// Per paragraph, outside English: names written as a given name and a capitalised
    /// word or two ("Rom Braslavski"), with their first token, for languages the tagger
    /// does not know.
    written: Vec<Vec<(usize, String)>>,
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
        // English cues are read in every language (an English quote inside a German page),
        // but a capitalised "Post" or "Note" is a German or French noun.
        if self.gazetteer.speech_verb(w).is_some()
            && (self.lex.is_english() || w.chars().next().is_some_and(char::is_lowercase))
        {
            return Some((w.to_owned(), 1));
        }
        // Marks and punctuation are never cues: a paragraph of 10 MB of them must cost no
        // look-ups.
        if self.lex.is_english() || !w.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        let n = self.paras[p].tokens.len();
        let words: Vec<&str> = (i..n.min(i + 4)).map(|k| self.word(p, k)).collect();
        if let Some(len) = self.lex.according_at(&words) {
            let phrase = words[..len].join(" ");
            if phrase.eq_ignore_ascii_case("so") {
                let after_quote = i >= 2
                    && self.word(p, i - 1) == ","
                    && matches!(self.word(p, i - 2), "“" | "”" | "\"" | "»" | "«" | "›" | "‹");
                return after_quote.then_some((phrase, 1));
            }
            // "para servir en el Comité": a preposition before a verb or a common noun.
            if self.lex.is_weak_according(&phrase)
                && words.get(len).is_some_and(|next| {
                    next.chars().next().is_some_and(char::is_lowercase)
                        && !self.is_article(next)
                        && !self.is_pronoun(next)
                        && !SOURCE_WORDS.contains(next)
                })
            {
                return None;
            }
            return Some((phrase, len));
        }
        // A German separable verb written apart ("fügte ... hinzu") is read at its stem.
        self.lex.is_verb(w).then(|| (w.to_owned(), 1))
    }

    /// Whether a cue names its source after it ("according to X", "laut X", "selon X").
    fn is_according(&self, cue: &str) -> bool {
        cue == "according to"
            || (!self.lex.is_english()
                && self.lex.according_at(&cue.split(' ').collect::<Vec<_>>()).is_some())
    }

    fn is_pronoun(&self, w: &str) -> bool {
        PRONOUNS_PERSON.contains(&w) || self.lex.is_pronoun(w)
    }

    fn skips(&self, w: &str) -> bool {
        ADVERBS.contains(&w) || self.lex.skips(w)
    }

    /// Whether `w` is a definite article of the article's language (Dutch "de" is one,
    /// the Romance languages' "de" a preposition; Portuguese "a" is one, Spanish "a" not).
    fn is_article(&self, w: &str) -> bool {
        let w = w.to_lowercase();
        DEFINITE.contains(&w.as_str())
            && (!PREPOSITIONS_ELSEWHERE.contains(&w.as_str())
                || matches!((self.lex.language.as_str(), w.as_str()), ("nl", "de") | ("pt", "a")))
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
            // Outside English a title is written in lower case after its article ("el
            // congresista Mario Díaz-Balart", "la representante estadounidense Norma
            // Torres"): the words before the article say whether the name is an object.
            if !self.lex.is_english()
                && let Some(article) =
                    (j.saturating_sub(3)..=j).rev().find(|&k| self.is_article(self.word(p, k)))
                && (article + 1..=j).all(|k| {
                    let w = self.word(p, k);
                    w.chars().all(char::is_alphabetic)
                        && !DEFINITE.contains(&w)
                        && !PREPOSITIONS_ELSEWHERE.contains(&w)
                })
            {
                j = article;
                continue;
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
            while *j > from && self.skips(self.word(p, *j - 1)) {
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
        // "a-t-elle expliqué": the auxiliary carries the pronoun.
        if self.is_pronoun(w) || self.lex.inverted(w) {
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
        if !self.lex.is_english() {
            // A sentence's determiner is no part of a name: "Une demande formulée …".
            let lower = self.word(p, start).to_lowercase();
            if DEFINITE.contains(&lower.as_str()) || DETERMINERS.contains(&lower.as_str()) {
                start += 1;
                if start == end {
                    return None;
                }
            }
            // "Parteipräsident Marco Chiesa", "Innenministerin Nancy Faeser": the name
            // starts at its given name; a lone capitalised word after an article or a
            // preposition is a noun ("der Arzt", "des Affaires").
            if let Some(g) = (start..end).find(|&k| self.gazetteer.is_given_name(self.word(p, k))) {
                start = g;
            } else if end - start > 2 {
                start = end - 2;
            }
            let given = self.gazetteer.is_given_name(self.word(p, start));
            if !given && start > 0 && NOUN_MARKERS.contains(&self.word(p, start - 1)) {
                return None;
            }
            // German capitalises its nouns: one capitalised word is a name only when the
            // article named that person in full ("Chiesa" after "Marco Chiesa").
            if end - start == 1 && self.lex.language == "de" {
                let word = self.word(p, start);
                return self
                    .surnames
                    .get(word)
                    .map(|full| Subject::Named(full.clone(), EntityKind::Person));
            }
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

    /// A capitalised name starting at token `j` (before `to`), for a language without a
    /// tagger: "sagte Innenministerin Nancy Faeser" -> "Nancy Faeser", "selon Emmanuel
    /// Macron", "пояснил Владимир Путин".
    fn capitalised_after(&self, p: usize, j: usize, to: usize) -> Option<Subject> {
        let capital = |k: usize| {
            let w = self.word(p, k);
            k < to
                && !self.inside[p][k]
                && !CALENDAR.contains(&w)
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .skip(1)
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        };
        if !capital(j) || (j > 0 && capital(j - 1)) {
            return None;
        }
        let mut end = j;
        while end < to && end - j < 6 && capital(end) {
            end += 1;
        }
        // "der Berner Gesundheits-, Sozial- und Integrationsdirektor Pierre Alain Schnegg":
        // a later run that holds a given name is the name.
        if !(j..end).any(|k| self.gazetteer.is_given_name(self.word(p, k))) {
            let later = (end..to.min(end + 10))
                .take_while(|&k| !self.stop_at(p, k) && !self.inside[p][k])
                .find(|&k| capital(k) && self.gazetteer.is_given_name(self.word(p, k)));
            if let Some(g) = later {
                let mut e = g;
                while e < to && e - g < 4 && capital(e) {
                    e += 1;
                }
                return self.capitalised_name(p, g, e);
            }
        }
        self.capitalised_name(p, j, end)
    }

    /// Who speaks the lines of dialogue of paragraph `p`: the subject of its attribution
    /// ("пояснил Владимир Путин", "—dijo Ana—"), else of the paragraph before that
    /// introduces them (`Анвар Ибрагим признался:`).
    fn dialogue_speaker(&self, p: usize, lines: &[Range<usize>]) -> Option<Subject> {
        let n = self.paras[p].tokens.len();
        let outside = |j: usize| !lines.iter().any(|l| l.contains(&j));
        if let Some((j, (_, len))) =
            (0..n).filter(|&j| outside(j)).find_map(|j| self.cue(p, j).map(|c| (j, c)))
        {
            let end = (j..n).find(|&k| !outside(k)).unwrap_or(n);
            let from = (0..j).rev().find(|&k| !outside(k)).map_or(0, |k| k + 1);
            return self
                .subject_after(p, j + len, end)
                .or_else(|| self.subject_before(p, from, j))
                .or(Some(Subject::Pronoun(j)));
        }
        let q = p.checked_sub(1)?;
        let m = self.paras[q].tokens.len();
        let cue = (0..m).rev().find(|&j| !self.inside[q][j] && self.cue(q, j).is_some())?;
        let from = (0..cue).rev().find(|&k| self.stop_at(q, k)).map_or(0, |k| k + 1);
        self.subject_before(q, from, cue).or_else(|| self.clause_subject(q, from, cue))
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
                // Outside English an organisation may precede its spokesperson's name: "le
                // porte-parole du Kremlin, Dmitri Peskov".
                if after_comma.is_some() || (org.is_some() && self.lex.is_english()) {
                    break;
                }
                after_comma = Some(j + 1);
                continue;
            }
            if j == c && self.is_pronoun(w) {
                return Some(Subject::Pronoun(j));
            }
            // Without a tagger for the language, a capitalised name after the cue
            // ("sagte Innenministerin Nancy Faeser", "selon Emmanuel Macron").
            if !self.lex.is_english()
                && self.starts[p][j].is_none()
                && let Some(name) = self.capitalised_after(p, j, to.min(c + 14))
            {
                return Some(name);
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
        // German and Dutch put the subject after the verb ("Zwei Jahre war Rom Braslavski in
        // Geiselhaft der Hamas"), where English puts an object: outside English a person
        // read as an object is still a likelier subject than an organisation.
        let mut person_object = None;
        for n in
            named[first..].iter().take_while(|n| n.tokens.start < to).filter(|n| n.tokens.end <= to)
        {
            if self.inside[p][n.tokens.start] || self.is_possessive(p, n) {
                continue;
            }
            if self.is_object(p, n) {
                if n.kind == EntityKind::Person && !self.lex.is_english() {
                    person_object.get_or_insert_with(|| self.subject_named(n));
                }
                continue;
            }
            if n.kind == EntityKind::Person {
                return Some(self.subject_named(n));
            }
            fallback.get_or_insert_with(|| self.subject_named(n));
        }
        let fallback = person_object.or(fallback);
        if fallback.is_none()
            && let Some(j) =
                (from..to).find(|&j| !self.inside[p][j] && self.is_pronoun(self.word(p, j)))
        {
            return Some(Subject::Pronoun(j));
        }
        fallback
    }

    /// The person the sentence just before a quote opening at token `open` is about, when
    /// that sentence quotes no one itself: its named person or its pronoun's.
    fn previous_sentence_speaker(&self, p: usize, open: usize) -> Option<String> {
        if open == 0 || !self.ends_sentence(p, open - 1) {
            return None;
        }
        let from = (0..open - 1).rev().find(|&k| self.ends_sentence(p, k)).map_or(0, |k| k + 1);
        if from + 1 >= open || (from..open).any(|k| self.inside[p][k]) {
            return None;
        }
        match self.clause_subject(p, from, open - 1)? {
            s @ (Subject::Named(_, EntityKind::Person) | Subject::Pronoun(_)) => self.name_of(p, s),
            _ => None,
        }
    }

    /// The person a pronoun at token `at` of paragraph `p` stands for.
    ///
    /// A pronoun that tells a gender ("she", "il", "explique-t-elle", "сказала") stands
    /// only for a person the article does not tell to be of the other.
    fn resolve(&self, p: usize, at: usize) -> Option<String> {
        let gender = self.lex.pronoun_gender(self.word(p, at));
        let fits = |name: &str| {
            gender.is_none()
                || (!self.not_people.contains(name)
                    && self.genders.get(name).copied().flatten().is_none_or(|g| Some(g) == gender))
        };
        if let Some((_, _, name)) = self
            .said
            .iter()
            .rev()
            .filter(|(sp, st, _)| (*sp == p && *st < at) || *sp + 1 == p)
            .find(|(_, _, name)| fits(name))
        {
            return Some(name.clone());
        }
        for q in (p.saturating_sub(1)..=p).rev() {
            let person = |n: &&Named| {
                n.kind == EntityKind::Person
                    && (q < p || n.tokens.end <= at)
                    && !self.inside[q][n.tokens.start]
                    && fits(&n.name)
            };
            let named = &self.paras[q].named;
            // A pronoun of one gender may stand for an object the article tells to be of it
            // ("Smith met Mary Jones. ... she said"); outside English any person after a
            // verb may be its subject (see clause_subject).
            let found = named
                .iter()
                .rev()
                .filter(person)
                .find(|n| !self.is_object(q, n))
                .or_else(|| {
                    gender?;
                    named
                        .iter()
                        .rev()
                        .filter(person)
                        .find(|n| self.genders.get(&n.name).copied().flatten() == gender)
                })
                .or_else(|| {
                    (!self.lex.is_english()).then(|| named.iter().rev().find(person)).flatten()
                });
            if let Some(n) = found {
                return Some(n.name.clone());
            }
            // Without a tagger for the language: the last full name written there.
            if let Some((_, name)) =
                self.written[q].iter().rev().find(|(k, name)| (q < p || *k < at) && fits(name))
            {
                return Some(name.clone());
            }
        }
        None
    }

    fn name_of(&self, p: usize, s: Subject) -> Option<String> {
        match s {
            Subject::Named(name, _) => Some(name),
            Subject::Pronoun(at) => self.resolve(p, at),
            Subject::Unnamed => None,
            // Outside English, "el portavoz" whose title the last paragraphs do not give is
            // whoever spoke last, as the verb alone would be ("explicó").
            Subject::Described(at) => self
                .described(p, at)
                .or_else(|| (!self.lex.is_english()).then(|| self.resolve(p, at)).flatten()),
        }
    }

    /// A description at token `at`: definite ("the envoy", "the commissioner") or not ("an
    /// official").
    fn description(&self, p: usize, at: usize) -> Subject {
        let definite = at > 0 && {
            let w = self.word(p, at - 1);
            matches!(w, "the" | "The")
                || (!self.lex.is_english() && DEFINITE.contains(&w.to_lowercase().as_str()))
        };
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
        if self.is_according(cue) {
            return self.subject_after(p, j + len, if open > j { open } else { n });
        }
        // "explique-t-il": the verb carries its subject.
        if self.lex.inverted(cue) {
            return Some(Subject::Pronoun(j));
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
        let subject = if j > open {
            // After the quote: `"...," Trump said` or `"...," said Trump`.
            self.subject_before(p, from, j).or_else(|| self.subject_after(p, j + len, n))
        } else {
            self.subject_before(p, from, j).or_else(|| self.clause_subject(p, from, j)).or_else(
                || {
                    // "sagte er:", "erklärte Vintz:": the subject after the verb.
                    (!self.lex.is_english()).then(|| self.subject_after(p, j + len, open)).flatten()
                },
            )
        };
        // Spanish, Italian, Portuguese and Russian leave a known subject out ("«...»,
        // explicó."), and German and Dutch put a pronoun after the verb ("sagt er"): whoever
        // spoke last.
        subject.or_else(|| (!self.lex.is_english()).then_some(Subject::Pronoun(j)))
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
                        || self.skips(w)
                        || self.is_pronoun(w)
                        || self.lex.inverted(w)
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

    /// The speaker a statement announced before a quote with no cue of its own gives: "X
    /// issued the following statement. ... “...”", "X hizo la siguiente declaración ...
    /// «...»": the person the announcing sentence is about, in this paragraph before the
    /// quote or in the previous one, where no other quote stands between.
    fn announced(&self, p: usize, open: usize) -> Option<String> {
        for q in (p.saturating_sub(1)..=p).rev() {
            let end = if q == p { open } else { self.paras[q].tokens.len() };
            for k in (0..end).rev() {
                if self.inside[q][k] {
                    return None;
                }
                if !self.word(q, k).chars().next().is_some_and(char::is_alphabetic) {
                    continue;
                }
                let words: [&str; 3] =
                    std::array::from_fn(|i| if k + i < end { self.word(q, k + i) } else { "" });
                if !self.lex.announces_at(&words[..(end - k).min(3)]) {
                    continue;
                }
                // The statement follows its announcement, after a colon or a full stop: a
                // quote inside the announcing sentence is a title or a scare quote ("the
                // following statement on being named to the “Honor Roll”").
                if q == p && !(k..open).any(|i| self.ends_sentence(q, i) || self.word(q, i) == ":")
                {
                    return None;
                }
                let from = (0..k).rev().find(|&i| self.ends_sentence(q, i)).map_or(0, |i| i + 1);
                return match self.clause_subject(q, from, k)? {
                    s @ (Subject::Named(_, EntityKind::Person) | Subject::Pronoun(_)) => {
                        self.name_of(q, s)
                    }
                    _ => None,
                };
            }
        }
        None
    }
}

/// The direct and reported quotes of an article's paragraphs.
pub(crate) fn quotes(
    paras: &[Para<'_>],
    gazetteer: &Gazetteer,
    lex: &'static Lexicon,
) -> Vec<Quote> {
    let mut marks: Vec<Vec<Marked>> =
        paras.iter().map(|p| marked(p.text, p.tokens, lex.low_commas)).collect();
    // Lines of dialogue ("— ..., — пояснил Владимир Путин, — ..."): quotation marks inside
    // them are quotes within the quote.
    let lines: Vec<Vec<Range<usize>>> = paras
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if !lex.dialogue {
                return Vec::new();
            }
            let (lines, attributed) = dialogue_lines(p, gazetteer, lex);
            let introduced = i > 0 && paras[i - 1].text.trim_end().ends_with(':');
            if attributed || introduced { lines } else { Vec::new() }
        })
        .collect();
    for (ms, ls) in marks.iter_mut().zip(&lines) {
        ms.retain(|m| !ls.iter().any(|l| l.contains(&m.open)));
    }
    let mut reader = Reader {
        paras,
        gazetteer,
        lex,
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
            .zip(&lines)
            .map(|(mut v, ls)| {
                for l in ls {
                    v[l.clone()].iter_mut().for_each(|x| *x = true);
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
                // The language's own titles ("bondscoach", "porta-voz").
                if !lex.is_english() {
                    let aliases = Aliases::shared();
                    for (k, t) in p.tokens.iter().enumerate() {
                        v[k] |= aliases.is_title(&lex.language, t.text(p.text));
                    }
                }
                v
            })
            .collect(),
        ends: Vec::new(),
        starts: Vec::new(),
        said: Vec::new(),
        written: paras
            .iter()
            .map(|p| if lex.is_english() { Vec::new() } else { written_names(p, gazetteer) })
            .collect(),
        genders: HashMap::new(),
        not_people: {
            let named = || paras.iter().flat_map(|p| &p.named);
            let people: HashSet<&str> =
                named().filter(|n| n.kind == EntityKind::Person).map(|n| n.name.as_str()).collect();
            named()
                .filter(|n| n.kind != EntityKind::Person && !people.contains(n.name.as_str()))
                .map(|n| n.name.clone())
                .collect()
        },
        surnames: paras
            .iter()
            .flat_map(|p| &p.named)
            .filter(|n| n.kind == EntityKind::Person)
            .filter_map(|n| Some((n.name.rsplit([' ', '-']).next()?.to_owned(), n.name.clone())))
            .collect(),
    };
    reader.genders = person_genders(paras, &reader.written, gazetteer, lex);
    for (name, _) in reader.written.iter().flatten().map(|(k, n)| (n, k)) {
        if let Some(last) = name.rsplit(' ').next() {
            reader.surnames.entry(last.to_owned()).or_insert_with(|| name.clone());
        }
    }
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
        if !lines[p].is_empty() {
            let speaker = reader.dialogue_speaker(p, &lines[p]).and_then(|s| reader.name_of(p, s));
            if let Some(s) = &speaker {
                reader.said.push((p, 0, s.clone()));
            }
            for l in &lines[p] {
                let (s, e) =
                    (para.tokens[l.start].start as usize, para.tokens[l.end - 1].end as usize);
                out.push((
                    p,
                    l.start,
                    Quote {
                        text: para.text[s..e].to_owned(),
                        speaker: speaker.clone(),
                        cue: None,
                        paragraph: p,
                        start: s,
                        end: e,
                        direct: true,
                    },
                    false,
                ));
            }
        }
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
                    // `laut „Washington Post“`, `selon « Le Monde »`: the source's name.
                    if !lex.is_english()
                        && (1..=3.min(m.open)).any(|k| {
                            reader
                                .cue(p, m.open - k)
                                .is_some_and(|(c, len)| len == k && reader.is_according(&c))
                        })
                    {
                        continue;
                    }
                    // German reports speech in Konjunktiv I: a short quote in a clause whose
                    // verb is in it ("Bondi sei „klug“") goes on from the last speaker.
                    let clause = reader.clause(p, m.open, m.after);
                    let reported_clause = !lex.is_english()
                        && clause
                            .clone()
                            .any(|k| !reader.inside[p][k] && lex.is_subjunctive(reader.word(p, k)));
                    if cue.is_none() && subject.is_none() && words < 5 && !reported_clause {
                        continue;
                    }
                    let mut speaker = subject.and_then(|s| reader.name_of(p, s));
                    // A quote with no cue of its own goes on from the quote before it, in
                    // this paragraph or, when it opens the paragraph, the one before:
                    // `"...," Trump told supporters. "They're against what we represent."`
                    let has_cue = cue.is_some();
                    // A statement announced before it: "X issued the following statement."
                    if cue.is_none() && speaker.is_none() {
                        speaker = reader.announced(p, m.open);
                    }
                    // Outside English, a quote standing alone after a sentence about a person
                    // is that person's: `Koerts schonk nog een glas in. ,,Raas had ...''`.
                    if cue.is_none() && speaker.is_none() && !lex.is_english() {
                        speaker = reader.previous_sentence_speaker(p, m.open);
                    }
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
                    let read = if lex.is_english() {
                        reported(&reader, p, at)
                    } else {
                        reported_in_language(&reader, p, at)
                    };
                    if let Some((q, subject)) = read {
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

/// Each person's gender as the article tells it, by canonical name: a title just before
/// a mention ("Mrs", "Innenministerin", "la ministre"), else the given name the name starts
/// with, in the article's language ("Andrea" is a man in Italian), else, in Russian and
/// Ukrainian, a surname's ending ("Zakharova"). `None` where mentions disagree.
fn person_genders(
    paras: &[Para<'_>],
    written: &[Vec<(usize, String)>],
    gazetteer: &Gazetteer,
    lex: &Lexicon,
) -> HashMap<String, Option<Gender>> {
    let mut told: HashMap<String, Option<Gender>> = HashMap::new();
    for (para, written) in paras.iter().zip(written) {
        let word = |k: usize| para.tokens[k].text(para.text);
        let mentions = para
            .named
            .iter()
            .filter(|n| n.kind == EntityKind::Person)
            .map(|n| (n.tokens.start, &n.name))
            .chain(written.iter().map(|(k, name)| (*k, name)));
        for (start, name) in mentions {
            // "Mrs Smith", "M. Macron": an abbreviation's full stop is a token of its own.
            let title = match start.checked_sub(1) {
                Some(k) if word(k) == "." => k.checked_sub(1),
                k => k,
            };
            let Some(title) = title else { continue };
            let article = title.checked_sub(1).map(word);
            if let Some(gender) = lex.title_gender(word(title), article) {
                told.entry(name.clone())
                    .and_modify(|g| {
                        if *g != Some(gender) {
                            *g = None;
                        }
                    })
                    .or_insert(Some(gender));
            }
        }
    }
    let names = paras
        .iter()
        .flat_map(|p| p.named.iter().filter(|n| n.kind == EntityKind::Person).map(|n| &n.name))
        .chain(written.iter().flatten().map(|(_, name)| name));
    for name in names {
        if told.contains_key(name) {
            continue;
        }
        let given = name.split(' ').next().unwrap_or("");
        let gender = gazetteer
            .given_gender(given, &lex.language)
            .or_else(|| gazetteer.given_gender(given.split('-').next()?, &lex.language))
            .or_else(|| {
                matches!(lex.language.as_str(), "ru" | "uk")
                    .then(|| slavic_surname_gender(name.rsplit(' ').next()?))
                    .flatten()
            });
        if gender.is_some() {
            told.insert(name.clone(), gender);
        }
    }
    told
}

/// The gender a Russian or Ukrainian surname's ending tells, as transliterated ("Zakharova",
/// "Peskov", "Kolomoyskyi").
fn slavic_surname_gender(surname: &str) -> Option<Gender> {
    const WOMEN: &[&str] = &["ova", "eva", "yova", "ina", "skaya", "tskaya", "ska"];
    const MEN: &[&str] = &["ov", "ev", "in", "sky", "skiy", "skyi", "skii", "tsky"];
    if surname.chars().count() < 4 {
        return None;
    }
    if WOMEN.iter().any(|e| surname.ends_with(e)) {
        Some(Gender::Female)
    } else if MEN.iter().any(|e| surname.ends_with(e)) {
        Some(Gender::Male)
    } else {
        None
    }
}

/// Names written as a known given name followed by one to three capitalised words, in
/// token order: "Rom Braslavski", "Nancy Faeser", "José Manuel Albares".
fn written_names(para: &Para<'_>, gazetteer: &Gazetteer) -> Vec<(usize, String)> {
    let t = para.tokens;
    let word = |k: usize| t[k].text(para.text);
    let capital = |k: usize| {
        word(k).chars().next().is_some_and(char::is_uppercase)
            && word(k).chars().skip(1).all(|c| c.is_alphabetic() || c == '-')
            && !CALENDAR.contains(&word(k))
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < t.len() {
        if capital(k) && gazetteer.is_given_name(word(k)) {
            let mut end = k + 1;
            while end < t.len() && end - k < 4 && capital(end) {
                end += 1;
            }
            if end > k + 1 {
                let name = &para.text[t[k].start as usize..t[end - 1].end as usize];
                out.push((k, name.to_owned()));
                k = end;
                continue;
            }
        }
        k += 1;
    }
    out
}

fn is_dash(w: &str) -> bool {
    matches!(w, "—" | "–" | "―")
}

/// The lines of dialogue of a paragraph that opens with a dash, as token ranges, in
/// languages whose news writes speech so (Russian, Ukrainian, Spanish, ...):
/// `— Утром,— пояснил Владимир Путин,— мы встретились.` holds two lines around one
/// attribution; `—Llegamos tarde —dijo Ana—. Nadie esperaba.` too.
///
/// What it detects: a dash after punctuation, or one written against the next word, that a
/// speech verb follows within three words, opens the attribution; the next dash closes it
/// (more speech follows), a sentence stop ends the dialogue. A dash between words ("Один —
/// для царя") belongs to the speech. A paragraph with no attribution is a line only when
/// the paragraph before ends with a colon (`Анвар Ибрагим признался:`).
///
/// Known failures: an attribution without a listed verb is read as speech.
fn dialogue_lines(
    para: &Para<'_>,
    gazetteer: &Gazetteer,
    lex: &Lexicon,
) -> (Vec<Range<usize>>, bool) {
    let t = para.tokens;
    let word = |k: usize| t[k].text(para.text);
    if t.len() < 2 || !is_dash(word(0)) {
        return (Vec::new(), false);
    }
    let verb_at = |k: usize| {
        (k..t.len().min(k + 3)).any(|j| {
            let w = word(j);
            lex.is_verb(w)
                || (gazetteer.speech_verb(w).is_some() && w.chars().all(char::is_lowercase))
        })
    };
    let mut lines = Vec::new();
    let mut start = 1;
    let mut in_attribution = false;
    let mut attributed = false;
    let mut k = 1;
    while k < t.len() {
        let w = word(k);
        if in_attribution {
            if is_dash(w) {
                in_attribution = false;
                start = k + 1;
                while start < t.len() && matches!(word(start), "." | "," | ";") {
                    start += 1;
                }
                k = start;
                continue;
            }
            if matches!(w, "." | "!" | "?" | ";") && k + 1 < t.len() && !is_dash(word(k + 1)) {
                // The dialogue has ended; narration follows.
                start = t.len();
                break;
            }
        } else if is_dash(w) && k + 1 < t.len() {
            let after_stop = matches!(word(k - 1), "," | "." | "!" | "?" | "…" | "..");
            let glued = t[k - 1].end < t[k].start && t[k].end == t[k + 1].start;
            if (after_stop || glued)
                && word(k + 1).chars().next().is_some_and(char::is_lowercase)
                && verb_at(k + 1)
            {
                let mut end = k;
                while end > start && matches!(word(end - 1), "," | ";") {
                    end -= 1;
                }
                if end > start {
                    lines.push(start..end);
                }
                in_attribution = true;
                attributed = true;
            }
        }
        k += 1;
    }
    if !in_attribution && start < t.len() {
        lines.push(start..t.len());
    }
    (lines, attributed)
}

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
/// How many tokens past a speech verb the words that open reported speech may stand
/// ("disse ontem que", "sagte der Minister am Montag, er sei").
const REPORTED_REACH: usize = 8;

/// Reported speech beyond English (issue #17), after the speech verb at token `c`:
/// "X a déclaré que ...", "X dijo que ...", "X disse que ...", "X zei dat ..." (the
/// lexicon's `that` words, a comma before them allowed), and German Konjunktiv I without
/// "dass": "Er sagte, er sei ...", "..., sagte Merz, man habe ..." (a comma, then a clause
/// whose verb is subjunctive). The words run to the end of the clause. Who spoke is the
/// verb's subject before it, else after it ("sagte Merz", "disse o ministro"), else the
/// last speaker (a dropped or inverted subject). A source phrase ("segundo Galan",
/// "volgens X") and a verb with no reported words give who spoke alone, so that a quote
/// after it with no cue of its own goes on from them.
fn reported_in_language(
    r: &Reader<'_, '_>,
    p: usize,
    c: usize,
) -> Option<(Option<Quote>, Subject)> {
    let (cue, len) = r.cue(p, c)?;
    let para = &r.paras[p];
    let n = para.tokens.len();
    let clause = r.clause(p, c, c + len);
    if r.is_according(&cue) {
        let subject = r.subject_after(p, c + len, clause.end)?;
        return matches!(subject, Subject::Named(_, EntityKind::Person | EntityKind::Organization))
            .then_some((None, subject));
    }
    // Only the language's own verbs: an English cue inside a German page is English's.
    if !r.lex.is_verb(&cue) {
        return None;
    }
    // A place is not who spoke here ("In Rotterdam zegt ..."), and in German and Dutch a
    // verb second in its sentence has its subject after it when one is named there ("Toch
    // waarschuwt Lode", "Dann sagte Merz").
    let speaks = |s: &Subject| !matches!(s, Subject::Named(_, EntityKind::Place));
    let before = r.subject_before(p, clause.start, c).filter(speaks);
    let after = || r.subject_after(p, c + len, clause.end).filter(speaks);
    let second = c == clause.start + 1 && matches!(r.lex.language.as_str(), "de" | "nl");
    let subject = if second {
        after().filter(|s| matches!(s, Subject::Named(..))).or(before)
    } else {
        before.or_else(after)
    };
    let subject = subject.unwrap_or(Subject::Pronoun(c));
    if matches!(subject, Subject::Unnamed | Subject::Described(_)) {
        return None;
    }
    let reach = (c + len..(c + len + REPORTED_REACH).min(clause.end))
        .take_while(|&k| !r.inside[p][k] && !r.stop_at(p, k))
        .collect::<Vec<_>>();
    // "que", "dass", "dat": right after the verb and its subject, not a relative clause
    // after an appositive ("disse o ministro, que ..." is allowed only straight after the
    // comma that follows the verb).
    let that = reach.iter().copied().find(|&k| r.lex.is_that(r.word(p, k)));
    let start = match that {
        Some(k) => Some(k + 1),
        // German Konjunktiv I: ", er sei", ", man habe", ", die Lage sei": a comma, then a
        // subjunctive verb within the next few words.
        None => reach.iter().copied().find(|&k| r.word(p, k) == ",").and_then(|k| {
            (k + 1..(k + 6).min(clause.end))
                .take_while(|&v| !r.inside[p][v] && r.word(p, v) != ",")
                .any(|v| r.lex.is_subjunctive(r.word(p, v)))
                .then_some(k + 1)
        }),
    };
    let Some(start) = start else {
        return Some((None, subject));
    };
    let mut end = start;
    while end < clause.end {
        let w = r.word(p, end);
        if r.inside[p][end] || matches!(w, ":" | "\"" | "“" | "”" | "«" | "»" | "„") {
            break;
        }
        end += 1;
    }
    if end < start + 3 || end > n {
        return Some((None, subject));
    }
    Some((Some(reported_clause(r, p, start..end, cue, &[',', ' ', '.'])), subject))
}

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
    Some((Some(reported_clause(r, p, start..end, cue, &[',', ' '])), subject))
}

/// The indirect quote of paragraph `p` over its tokens `tokens`, attributed by `cue`, less
/// the `trim` characters it ends with.
fn reported_clause(
    r: &Reader<'_, '_>,
    p: usize,
    tokens: Range<usize>,
    cue: String,
    trim: &[char],
) -> Quote {
    let para = &r.paras[p];
    let (s, e) =
        (para.tokens[tokens.start].start as usize, para.tokens[tokens.end - 1].end as usize);
    let text = para.text[s..e].trim_end_matches(trim).to_owned();
    Quote {
        end: s + text.len(),
        text,
        speaker: None,
        cue: Some(cue),
        paragraph: p,
        start: s,
        direct: false,
    }
}

#[cfg(test)]
mod tests {
    use super::slavic_surname_gender;
    use crate::Annotator;
    use crate::gazetteer::{Gazetteer, Gender};
    use std::time::{Duration, Instant};

    /// (quote text, speaker) of each direct quote read in `language`.
    fn direct(language: &str, paragraphs: &[&str]) -> Vec<(String, Option<String>)> {
        Annotator::builtin()
            .annotate_in(paragraphs, Some(language))
            .quotes
            .into_iter()
            .filter(|q| q.direct)
            .map(|q| (q.text, q.speaker))
            .collect()
    }

    fn has(got: &[(String, Option<String>)], text: &str, speaker: Option<&str>) -> bool {
        got.iter().any(|(t, s)| t == text && s.as_deref() == speaker)
    }

    #[test]
    fn german_marks_and_speakers() {
        let got = direct(
            "de",
            &[
                "„Wir senden falsche Signale aus“, sagte Innenministerin Nancy Faeser am Montag.",
                "»Das ist ein wichtiges Zeichen für Europa«, sagt Nicolas Schmit.",
                "Parteipräsident Marco Chiesa sprach zuerst. «Es kommen zu viele», sagte Chiesa.",
            ],
        );
        assert!(has(&got, "Wir senden falsche Signale aus", Some("Nancy Faeser")), "{got:?}");
        assert!(has(&got, "Das ist ein wichtiges Zeichen für Europa", Some("Nicolas Schmit")));
        assert!(has(&got, "Es kommen zu viele", Some("Marco Chiesa")), "{got:?}");
    }

    #[test]
    fn german_source_names_are_not_quotes() {
        let got = direct("de", &["Laut „Washington Post“ war sie an der Kampagne beteiligt."]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn german_konjunktiv_carries_the_speaker() {
        let got = direct(
            "de",
            &["„Das hört jetzt auf“, sagte Donald Trump. Bondi sei „klug“ und werde viel leisten."],
        );
        assert!(has(&got, "klug", Some("Donald Trump")), "{got:?}");
    }

    #[test]
    fn french_guillemets_and_inversion() {
        let got = direct(
            "fr",
            &[
                "« Les migrants, c'est un besoin », a affirmé le porte-parole du Kremlin, Dmitri Peskov.",
                "« Le problème est que nous avons une situation très tendue », a-t-il expliqué.",
                "Selon Emmanuel Macron, la réforme était « indispensable pour le pays ».",
            ],
        );
        assert!(has(&got, "Les migrants, c'est un besoin", Some("Dmitri Peskov")), "{got:?}");
        assert!(
            has(
                &got,
                "Le problème est que nous avons une situation très tendue",
                Some("Dmitri Peskov")
            ),
            "{got:?}"
        );
        assert!(has(&got, "indispensable pour le pays", Some("Emmanuel Macron")), "{got:?}");
    }

    #[test]
    fn spanish_and_italian_drop_the_subject() {
        let got = direct(
            "es",
            &[
                "José Manuel Albares habló en Madrid.",
                "«El silencio es cómplice», subrayó. «No tenemos otra alternativa», añadió.",
            ],
        );
        assert!(has(&got, "El silencio es cómplice", Some("José Manuel Albares")), "{got:?}");
        let got = direct(
            "it",
            &["«Una bella serata, lo ringrazio per l'accoglienza», ha detto Giorgia Meloni."],
        );
        assert!(
            has(&got, "Una bella serata, lo ringrazio per l'accoglienza", Some("Giorgia Meloni")),
            "{got:?}"
        );
    }

    #[test]
    fn dutch_and_portuguese_cues() {
        let got = direct(
            "nl",
            &["“Ik voel geen behoefte om populair te doen”, zegt Annelies Verlinden."],
        );
        assert!(has(&got, "Ik voel geen behoefte om populair te doen", Some("Annelies Verlinden")));
        let got = direct("pt", &["“Não vamos desistir do projeto”, afirmou António Costa."]);
        assert!(has(&got, "Não vamos desistir do projeto", Some("António Costa")), "{got:?}");
    }

    #[test]
    fn dutch_low_commas_issue_17() {
        let got = direct(
            "nl",
            &[
                ",,Het kabinet gaat door'', zei Mark Rutte in Den Haag.",
                "Rutte antwoordde kort. ,, Ik weet het niet. Ik ga er niet over. ''",
                "Minister Hugo de Jonge:,,We moeten nu doorpakken.''",
                "De partij van ,,Hij zei: 'nee' en vertrok.'' bleef stil, aldus Mark Rutte.",
            ],
        );
        assert!(has(&got, "Het kabinet gaat door", Some("Mark Rutte")), "{got:?}");
        assert!(has(&got, "Ik weet het niet. Ik ga er niet over.", Some("Mark Rutte")), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "We moeten nu doorpakken."), "{got:?}");
        // A single quote inside `,,…''` is part of it; `''` closes the outer quote.
        assert!(got.iter().any(|(t, _)| t == "Hij zei: 'nee' en vertrok."), "{got:?}");
        // Other languages do not read two commas as a quotation mark.
        let got = direct("de", &["Er sagte ,,nein'' und ging, berichtete die Zeitung."]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn speakers_without_a_verb_issue_17() {
        // A name with particles introduces its quote by a colon, by its surname alone.
        let got = direct(
            "nl",
            &[
                "Springruiter Wout-Jan van der Schans verloor de titel.",
                "Van der Schans:,, Ik wist dat het moeilijk zou worden. ''",
                "Hij wilde van geen verwijt weten. ,, Het paard heeft alles gegeven. ''",
            ],
        );
        assert!(
            has(&got, "Ik wist dat het moeilijk zou worden.", Some("Wout-Jan van der Schans")),
            "{got:?}"
        );
        // A quote standing alone after a sentence about a person is that person's.
        assert!(
            has(&got, "Het paard heeft alles gegeven.", Some("Wout-Jan van der Schans")),
            "{got:?}"
        );
        // German puts the subject after the verb: "war Rom Braslavski", not the Hamas.
        let got = direct(
            "de",
            &[
                "Zwei Jahre war Rom Braslavski in Geiselhaft der Terrororganisation Hamas.",
                "„Sie haben mir alle Kleider vom Leib gerissen“, sagt er.",
            ],
        );
        assert!(
            has(&got, "Sie haben mir alle Kleider vom Leib gerissen", Some("Rom Braslavski")),
            "{got:?}"
        );
        // A sentence's determiner is never a speaker.
        let got = direct(
            "fr",
            &["Une demande formulée également par les partis. Mme Binet a fait valoir \
               qu’« il ne peut pas avoir raison seul face à tout le monde »."],
        );
        assert!(got.iter().all(|(_, s)| s.as_deref() != Some("Une")) && !got.is_empty(), "{got:?}");
        // "el portavoz" whose title no paragraph before gives: whoever spoke last.
        let got = direct(
            "es",
            &[
                "David Campo, de la Asociación Vecinal, habló con este diario.",
                "«Nos sigue pareciendo insuficiente», dice Campo.",
                "El portavoz recalca: «No queremos perder las fiestas del barrio».",
            ],
        );
        assert!(
            has(&got, "No queremos perder las fiestas del barrio", Some("David Campo")),
            "{got:?}"
        );
    }

    #[test]
    fn dutch_and_portuguese_verbs_issue_17() {
        let got = direct("nl", &[",,We hebben de echte strijd gehad'', concludeert Mark Rutte."]);
        assert!(has(&got, "We hebben de echte strijd gehad", Some("Mark Rutte")), "{got:?}");
        let got = direct(
            "pt",
            &[
                "«O preço vai subir no próximo ano», ressaltou António Costa.",
                "«Em o próximo ano serão mais 15%», prevê.",
            ],
        );
        assert!(has(&got, "O preço vai subir no próximo ano", Some("António Costa")), "{got:?}");
        assert!(has(&got, "Em o próximo ano serão mais 15%", Some("António Costa")), "{got:?}");
        // "segundo X" names whoever speaks in the next quote without a cue of its own.
        let got = direct(
            "pt",
            &["Segundo António Costa, o plano está pronto. «Vamos avançar com a reforma já.»"],
        );
        assert!(has(&got, "Vamos avançar com a reforma já.", Some("António Costa")), "{got:?}");
    }

    /// (reported words, speaker) of each reported-speech quote read in `language`.
    fn reported(language: &str, paragraphs: &[&str]) -> Vec<(String, Option<String>)> {
        Annotator::builtin()
            .annotate_in(paragraphs, Some(language))
            .quotes
            .into_iter()
            .filter(|q| !q.direct)
            .map(|q| (q.text, q.speaker))
            .collect()
    }

    #[test]
    fn reported_speech_beyond_english_issue_17() {
        let got = reported(
            "de",
            &[
                "Olaf Scholz sagte, er sei zuversichtlich für die Verhandlungen.",
                "Die Lage bleibe ernst, sagte Nancy Faeser am Montag, man habe keine Wahl gehabt.",
                "Nancy Faeser sagte, dass die Grenzen offen bleiben.",
                "Scholz sagte am Montag in Berlin.",
            ],
        );
        assert!(
            has(&got, "er sei zuversichtlich für die Verhandlungen", Some("Olaf Scholz")),
            "{got:?}"
        );
        assert!(has(&got, "man habe keine Wahl gehabt", Some("Nancy Faeser")), "{got:?}");
        assert!(has(&got, "die Grenzen offen bleiben", Some("Nancy Faeser")), "{got:?}");
        assert_eq!(got.len(), 3, "no reported words after 'sagte am Montag': {got:?}");
        let got = reported(
            "fr",
            &["Emmanuel Macron a déclaré que la réforme était indispensable pour le pays."],
        );
        assert!(
            has(&got, "la réforme était indispensable pour le pays", Some("Emmanuel Macron")),
            "{got:?}"
        );
        let got = reported("es", &["Pedro Sánchez dijo que el Gobierno no cederá ante nadie."]);
        assert!(has(&got, "el Gobierno no cederá ante nadie", Some("Pedro Sánchez")), "{got:?}");
        let got = reported("pt", &["António Costa disse ontem que o governo vai avançar."]);
        assert!(has(&got, "o governo vai avançar", Some("António Costa")), "{got:?}");
        let got = reported("nl", &["Mark Rutte zei dat het kabinet gewoon doorgaat."]);
        assert!(has(&got, "het kabinet gewoon doorgaat", Some("Mark Rutte")), "{got:?}");
        // A direct quote's words are not read again as reported speech.
        let got = reported("fr", &["« Nous devons agir », a déclaré Emmanuel Macron."]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn russian_dialogue_dashes() {
        let got = direct(
            "ru",
            &[
                "— Малайзийский концерн Petronas,— пояснил Владимир Путин,— входит в капитал «Роснефти».",
                "Анвар Ибрагим признался:",
                "— Я восхищаюсь теми связями, которые между нами есть.",
                "— Один — для царя, второй — для его жены.",
            ],
        );
        // The gazetteer knows Путин's canonical name.
        let putin =
            |t: &str| has(&got, t, Some("Владимир Путин")) || has(&got, t, Some("Vladimir Putin"));
        assert!(putin("Малайзийский концерн Petronas"), "{got:?}");
        assert!(putin("входит в капитал «Роснефти»."), "{got:?}");
        // Where the Russian tagger reads "Анвар Ибрагим" as a person, the speaker is that
        // mention, under its name in Latin letters (as "Путин" is "Putin").
        let line = "Я восхищаюсь теми связями, которые между нами есть.";
        assert!(
            has(&got, line, Some("Анвар Ибрагим")) || has(&got, line, Some("Anvar Ibragim")),
            "{got:?}"
        );
        // No attribution and no introduction: a dash line, not a quote; and the quoted name
        // inside a line is no quote of its own.
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn she_and_he_stand_for_a_person_of_their_gender() {
        // Before: "she" was the last speaker, John Smith.
        let got = direct(
            "en",
            &[
                "John Smith met Mary Jones in Paris on Monday. \"It went well,\" he said.",
                "\"We still disagree on much,\" she said.",
            ],
        );
        assert!(has(&got, "It went well", Some("John Smith")), "{got:?}");
        assert!(has(&got, "We still disagree on much", Some("Mary Jones")), "{got:?}");
        // A title tells what a given name does not ("Mrs", "la ministre"), and "she" is no
        // organisation.
        let got = direct(
            "en",
            &[
                "Mrs Okonkwo thanked Kwame Mensah and the Ghana Football Association. \"They were wonderful to us,\" said the association.",
                "\"I will not forget it,\" she said.",
            ],
        );
        assert!(has(&got, "I will not forget it", Some("Okonkwo")), "{got:?}");
        let got = direct(
            "fr",
            &[
                "Emmanuel Macron a reçu Sophie Binet, la secrétaire générale de la CGT.",
                "« Je me suis adressée à lui avec gravité », confie-t-elle. « Nous avons parlé de tout », a-t-il expliqué.",
            ],
        );
        assert!(
            has(&got, "Je me suis adressée à lui avec gravité", Some("Sophie Binet")),
            "{got:?}"
        );
        assert!(has(&got, "Nous avons parlé de tout", Some("Emmanuel Macron")), "{got:?}");
    }

    #[test]
    fn a_statement_announced_is_its_senders() {
        // Press releases announce the statement a sentence or more before it.
        let got = direct(
            "en",
            &[
                "WASHINGTON – Congressman Mario Díaz-Balart issued the following statement today. \u{201c}Today, the Castro regime has named another puppet and that is all.\u{201d}",
            ],
        );
        assert!(
            has(
                &got,
                "Today, the Castro regime has named another puppet and that is all.",
                Some("Mario Díaz-Balart")
            ),
            "{got:?}"
        );
        let got = direct(
            "es",
            &[
                "MIAMI – El congresista Mario Díaz-Balart (FL-25) hizo la siguiente declaración después de que la Cámara aprobó la resolución. Díaz-Balart se unió a diez colegas para copatrocinarla. \u{201c}Ortega y sus matones tienen que ser responsabilizados por su brutalidad\u{201d}.",
            ],
        );
        assert!(
            has(
                &got,
                "Ortega y sus matones tienen que ser responsabilizados por su brutalidad",
                Some("Mario Díaz-Balart")
            ),
            "{got:?}"
        );
        // A scare quote inside the announcing sentence is no statement.
        let got = direct(
            "en",
            &[
                "Congressman Louie Gohmert made the following statement on being named to the \u{201c}Honor Roll\u{201d} of the fund.",
            ],
        );
        assert!(got.is_empty(), "{got:?}");
        // Not across another quote: the second one goes on from the first's speaker.
        let got = direct(
            "en",
            &[
                "Senator Jane Smith issued the following statement. \u{201c}We won today.\u{201d} Representative Tom Brown said: \u{201c}It was close.\u{201d} \u{201c}Very close, and we are glad of it.\u{201d}",
            ],
        );
        assert!(has(&got, "Very close, and we are glad of it.", Some("Tom Brown")), "{got:?}");
    }

    #[test]
    fn a_title_after_its_article_leaves_the_name_the_subject() {
        // "la representante estadounidense Norma J. Torres ... emitió": a subject, not an
        // object of "estadounidense"; "para servir en el Comité" is no source.
        let got = direct(
            "es",
            &[
                "WASHINGTON – La representante estadounidense Norma J. Torres (D-CA) emitió la siguiente declaración luego de ser nombrada para servir en el Comité de Asignaciones: \u{201c}Será un honor servir en el Comité de Asignaciones.\u{201d}",
            ],
        );
        assert!(
            has(
                &got,
                "Será un honor servir en el Comité de Asignaciones.",
                Some("Norma J. Torres")
            ),
            "{got:?}"
        );
        // "de Londres": a preposition (Dutch "de" is an article, Romance "de" is not).
        let got = direct(
            "pt",
            &[
                "Em entrevista por telefone, de Londres, o estilista diz que moda hoje não é se preocupar com marcas: «As pessoas estão cansadas do hype que se cria em torno das roupas».",
            ],
        );
        assert!(got.iter().all(|(_, s)| s.as_deref() != Some("London")), "{got:?}");
    }

    #[test]
    fn a_given_names_gender_is_its_languages() {
        // "Andrea" is a man in Italian, a woman in English.
        let paragraphs = |pronoun: &str| {
            [
                "Andrea Rossi ha incontrato Giulia Bianchi a Roma.".to_owned(),
                format!("«È stato un incontro utile», ha detto {pronoun}."),
            ]
        };
        let [a, b] = paragraphs("lui");
        let got = direct("it", &[a.as_str(), b.as_str()]);
        assert!(has(&got, "È stato un incontro utile", Some("Andrea Rossi")), "{got:?}");
        let [a, b] = paragraphs("lei");
        let got = direct("it", &[a.as_str(), b.as_str()]);
        assert!(has(&got, "È stato un incontro utile", Some("Giulia Bianchi")), "{got:?}");
        let gazetteer = Gazetteer::builtin();
        assert_eq!(gazetteer.given_gender("Andrea", "it"), Some(Gender::Male));
        assert_eq!(gazetteer.given_gender("Andrea", "en"), Some(Gender::Female));
        assert_eq!(gazetteer.given_gender("Robin", "en"), None);
        assert_eq!(gazetteer.given_gender("Vladimir", "de"), Some(Gender::Male));
        assert_eq!(slavic_surname_gender("Zakharova"), Some(Gender::Female));
        assert_eq!(slavic_surname_gender("Peskov"), Some(Gender::Male));
    }

    #[test]
    fn english_is_read_as_before() {
        let p = ["\"There is a low level of trust,\" Mr Tillerson said."];
        let en = Annotator::builtin().annotate(&p).quotes;
        let none = Annotator::builtin().annotate_in(&p, Some("en")).quotes;
        assert_eq!(en, none);
        assert_eq!(en.len(), 1);
    }

    #[test]
    fn a_paragraph_of_guillemets_is_read_in_linear_time() {
        // Time grows with the paragraph, not its square: 4x the text costs well under 16x
        // (a 10 MB paragraph is timed in release by `bench/quotes.sh --languages`).
        let time = |text: &str, language: &str| {
            let t = Instant::now();
            let read = Annotator::builtin().annotate_in(&[text], Some(language));
            assert!(read.quotes.iter().all(|q| q.start <= q.end && q.end <= text.len()));
            t.elapsed()
        };
        for (unit, language) in
            [("«« »» ", "fr"), ("»„ “« ", "de"), ("— «слово»,— сказал он,— ", "ru")]
        {
            let small = unit.repeat(64 * 1024 / unit.len());
            let large = unit.repeat(256 * 1024 / unit.len());
            let (a, b) = (time(&small, language), time(&large, language));
            assert!(b < a * 10 + Duration::from_secs(2), "{language}: {a:?} -> {b:?}");
        }
    }
}
