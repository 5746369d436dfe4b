//! Entities in German, French, Spanish, Italian, Portuguese, Dutch and Russian text, under
//! the English canonical names the English reader gives (issue #17).
//!
//! German, Portuguese and Russian have a tagger too, and Spanish is read by the Portuguese
//! one ([`crate::taggers`]: it reads the names the lists leave, before the person rules); the
//! other languages, and every canonical name, are read by lists and rules:
//! - places and organisations: the alias table ([`Aliases`]: CLDR country names, GeoNames
//!   city names, a hand-written list of international organisations, with Russian case
//!   forms and the German genitive), then the English gazetteer's names, which other
//!   languages write the same ("Berlin", "NATO", "Google");
//! - people: a run of capitalised words is a person's name where the language gives
//!   evidence for one: a title before it ("Kanzlerin", "président", "министр"), a known
//!   given name first, or a last word that is a surname news knows (`data/people.tsv`) or
//!   that the article already gave a person. German capitalises every noun, so a
//!   capitalised word alone is never enough; a sentence's first word is only a name's
//!   first word when it is a given name or a known surname;
//! - Russian names are read back to their nominative by case endings ("Путина" ->
//!   "Путин", "Павла" -> "Павел") where that gives a known name or a name word the article
//!   writes elsewhere ("Вовка" where it writes "Павел Вовк"), and written in Latin letters by the
//!   transliteration news uses ([`transliterate`]): "Владимир Путин" is "Vladimir Putin";
//!   a foreign name comes out as Russian writes it ("Дональд Трамп", "Donald Tramp") and
//!   is spelt as news does where news knows a full name whose surname and first name both
//!   sound alike ([`Gazetteer::person_sounding`]: "Donald Trump");
//! - a one-word name is the article's full name ending in it, else the full name news most
//!   often means by it ("Putin" -> "Vladimir Putin").
//!
//! Known failures: organisations beyond the lists are not read ("Bundesregierung",
//! "Gazprom" unless the English list has it); a person named without a title, a known
//! given name or a known surname is missed; spellings of a foreign name in another
//! language ("Selenskyj" for "Zelensky") are not joined, nor a Russian transliteration of
//! a name news does not know (its lists hold 1,179 surnames) or of one named by the surname
//! alone ("Трамп" without "Дональд" is "Tramp").

use crate::aliases::{Aliases, fold};
use crate::gazetteer::{Gazetteer, Listed, sound};
use crate::model::Model;
use crate::names::{by_preference, in_mention_order};
use crate::taggers::tag;
use lede_core::{Entity, EntityKind, Mention};
use lede_text::sentences::sentences;
use lede_text::tokens::Token;
use std::collections::{HashMap, HashSet};

/// The languages whose entities lede reads: English by its tagger, the others here.
pub const ENTITY_LANGUAGES: &[&str] = &["en", "de", "fr", "es", "it", "pt", "nl", "ru"];

/// Whether lede reads entities in `language` (ISO 639-1, any case).
pub fn reads_entities(language: &str) -> bool {
    ENTITY_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(language))
}

/// The longest person name read, in words.
const MAX_PERSON_WORDS: usize = 4;

/// Words inside names: "Ursula von der Leyen", "Luiz Inácio Lula da Silva".
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "di", "da", "del", "della", "dos", "das", "du", "la", "le",
    "y", "e", "ten", "ter",
];

/// Russian letters in Latin, as English-language news writes Russian names (BGN/PCGN
/// simplified: "Сергей" -> "Sergey", "Шойгу" -> "Shoygu"; "е" is "ye" at the start of a
/// word and after a vowel, "ий"/"ый" at the end of a word are "y").
pub(crate) fn transliterate(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c != lower;
        let prev = i.checked_sub(1).map(|j| chars[j].to_lowercase().next().unwrap_or(chars[j]));
        let next = chars.get(i + 1).map(|n| n.to_lowercase().next().unwrap_or(*n));
        let latin: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' if prev.is_none_or(|p| "аеёиоуыэюяъь".contains(p)) => "ye",
            'е' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' if next == Some('й') && i + 2 == chars.len() => "",
            'и' => "i",
            'й' if i + 1 == chars.len() && matches!(prev, Some('и' | 'ы')) => "y",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' if next == Some('й') && i + 2 == chars.len() => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        if upper {
            let mut l = latin.chars();
            if let Some(first) = l.next() {
                out.extend(first.to_uppercase());
                out.push_str(l.as_str());
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c))
}

/// The nominatives a Russian word may be an inflection of, the word itself first.
fn russian_lemmas(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    let strip = |suffix: &str, add: &str| {
        word.strip_suffix(suffix).filter(|s| s.chars().count() >= 2).map(|s| s.to_owned() + add)
    };
    let rules: &[(&str, &str)] = &[
        ("ого", "ий"),
        ("ому", "ий"),
        ("ым", "ий"),
        ("ым", ""),
        ("ом", ""),
        ("ем", ""),
        ("ой", "а"),
        ("ей", "а"),
        ("ей", "я"),
        ("ии", "ия"),
        ("ою", "а"),
        // A fleeting vowel: "Павла", "Павлу", "Павлом" are "Павел".
        ("ла", "ел"),
        ("лу", "ел"),
        ("лом", "ел"),
        ("а", ""),
        ("у", ""),
        ("у", "а"),
        ("е", ""),
        ("ы", "а"),
        ("и", "а"),
        ("ю", "я"),
        ("я", "й"),
        ("я", "ь"),
        // A name ending in a soft sign: "Эммануэлем", "Эммануэлю", "Эммануэле" are
        // "Эммануэль" ("Эммануэля" is the rule above).
        ("ем", "ь"),
        ("ю", "ь"),
        ("е", "ь"),
    ];
    out.extend(rules.iter().filter_map(|(s, a)| strip(s, a)));
    out
}

/// The nominative of a surname declined as an adjective, whose endings tell it without a
/// list: "Мединского", "Мединскому", "Мединским", "Мединском" are "Мединский";
/// "Ковальской", "Ковальскую" are "Ковальская".
fn adjectival_surname(word: &str) -> Option<String> {
    const ENDINGS: &[(&str, &str)] = &[
        ("ского", "ский"),
        ("скому", "ский"),
        ("ским", "ский"),
        ("ском", "ский"),
        ("цкого", "цкий"),
        ("цкому", "цкий"),
        ("цким", "цкий"),
        ("цком", "цкий"),
        ("ской", "ская"),
        ("скую", "ская"),
        ("цкой", "цкая"),
        ("цкую", "цкая"),
    ];
    ENDINGS.iter().find_map(|(end, nominative)| {
        let stem = word.strip_suffix(end)?;
        (stem.chars().count() >= 2 && stem.chars().next().is_some_and(char::is_uppercase))
            .then(|| format!("{stem}{nominative}"))
    })
}

/// A word of a name as lede writes it: in Latin letters, a Russian word in its nominative
/// where a known name says which, a German or Dutch genitive "-s" left off a known name
/// (not in Portuguese, where "Beni Veras" is a name of its own).
fn name_word(lang: &str, word: &str, gazetteer: &Gazetteer, seen: &Seen) -> String {
    let known = |w: &str| {
        gazetteer.is_given_name(w) || gazetteer.person(w).is_some() || seen.surnames.contains(w)
    };
    if is_cyrillic(word) {
        let lemmas: Vec<String> =
            russian_lemmas(&fold(word)).iter().map(|l| transliterate(l)).collect();
        let listed = |w: &str| gazetteer.is_given_name(w) || gazetteer.person(w).is_some();
        // A form the lists know, the word itself first; else another form the article
        // gives a person (its first pass sees every case form of a name as a name of its
        // own: "Вовка" and "Вовку" beside "Вовк"); else the word as it is.
        return lemmas
            .iter()
            .find(|l| listed(l))
            .or_else(|| lemmas[1..].iter().find(|l| seen.words.contains(l.as_str())))
            .cloned()
            .or_else(|| adjectival_surname(&fold(word)).map(|l| transliterate(&l)))
            .unwrap_or_else(|| lemmas[0].clone());
    }
    if matches!(lang, "de" | "nl")
        && let Some(stem) = word.strip_suffix('s')
        && !known(word)
        && known(stem)
    {
        return stem.to_owned();
    }
    word.to_owned()
}

/// The words of a name over tokens `range` that `keep` keeps, as [`name_word`] writes them;
/// a hyphen between two words written together joins them again ("Wout-Jan",
/// "Baden-Württemberg"), where the tokenizer parted them.
fn name_words(
    lang: &str,
    text: &str,
    ts: &[Token],
    range: std::ops::Range<usize>,
    gazetteer: &Gazetteer,
    seen: &Seen,
    keep: impl Fn(usize) -> bool,
) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut join = false;
    for k in range.clone() {
        let w = ts[k].text(text);
        let joined = |a: usize, b: usize| ts[a].end == ts[b].start;
        if w == "-" && k > range.start && k + 1 < range.end && joined(k - 1, k) && joined(k, k + 1)
        {
            join = !words.is_empty();
            continue;
        }
        if !keep(k) {
            join = false;
            continue;
        }
        let w = name_word(lang, w, gazetteer, seen);
        match words.last_mut() {
            Some(last) if join => {
                last.push('-');
                last.push_str(&w);
            }
            _ => words.push(w),
        }
        join = false;
    }
    words
}

/// A word that may be part of a name: a capital letter, then letters (or a hyphen).
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && word.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
        && word.chars().any(char::is_lowercase)
}

/// A token without a French or Italian elided article: "l'Allemagne" is read from
/// "Allemagne", "dell'Italia" from "Italia".
fn without_elision(text: &str, t: Token) -> Token {
    let word = t.text(text);
    if let Some(i) = word.find(['\'', '’']) {
        let head = &word[..i];
        let rest = &word[i..];
        let after = rest.chars().next().map_or(0, char::len_utf8);
        let elided = matches!(
            head.to_lowercase().as_str(),
            "l" | "d" | "qu" | "dell" | "all" | "nell" | "dall" | "sull" | "un" | "s" | "n" | "j"
        );
        if elided && rest[after..].chars().next().is_some_and(char::is_uppercase) {
            return Token { start: t.start + (i + after) as u32, end: t.end };
        }
    }
    t
}

/// The entities of paragraphs in `language`: none where lede does not read it.
pub(crate) fn read(
    language: &str,
    texts: &[&str],
    tokens: &[Vec<Token>],
    gazetteer: &Gazetteer,
    taggers: bool,
) -> Vec<Entity> {
    let lang = language.to_ascii_lowercase();
    if lang == "en" || !reads_entities(&lang) {
        return Vec::new();
    }
    let tagger = if taggers { crate::taggers::tagger(&lang) } else { None };
    entities(&lang, texts, tokens, gazetteer, Aliases::shared(), tagger)
}

/// The names an article gives people, found in a first pass over it.
#[derive(Default)]
struct Seen {
    /// The last words of names of two words or more: surnames, for the one-word mentions
    /// ("Merkel" after "Angela Merkel").
    surnames: HashSet<String>,
    /// Every word of those names: the case forms a Russian word of a name may stand for
    /// ("Анвара" and "Анваром" are "Анвар" where the article writes "Анвар Ибрагим").
    words: HashSet<String>,
}

/// A mention before names are given.
struct Read {
    paragraph: usize,
    start: usize,
    end: usize,
    kind: EntityKind,
    /// The canonical name of a listed place or organisation; `None` for a person.
    listed: Option<String>,
    /// A person's name words, as [`name_word`] writes them.
    words: Vec<String>,
}

/// Reads the entities of paragraphs in `lang` (one of [`ENTITY_LANGUAGES`] but English),
/// with the language's tagger where it has one ([`crate::taggers`]).
pub(crate) fn entities(
    lang: &str,
    texts: &[&str],
    tokens: &[Vec<Token>],
    gazetteer: &Gazetteer,
    aliases: &Aliases,
    tagger: Option<&Model>,
) -> Vec<Entity> {
    let mut read: Vec<Read> = Vec::new();
    let mut seen = Seen::default();
    for pass in 0..2 {
        read.clear();
        for (p, (text, ts)) in texts.iter().zip(tokens).enumerate() {
            let ts: Vec<Token> = ts.iter().map(|&t| without_elision(text, t)).collect();
            for s in sentences(text, &ts) {
                let sentence = &ts[s];
                read_sentence(
                    lang, text, sentence, p, gazetteer, aliases, tagger, &seen, &mut read,
                );
            }
        }
        if pass == 0 {
            for r in read.iter().filter(|r| r.kind == EntityKind::Person && r.words.len() > 1) {
                if let Some(last) = r.words.last() {
                    seen.surnames.insert(last.clone());
                }
                seen.words.extend(r.words.iter().cloned());
            }
        }
    }
    group(&read, texts, gazetteer)
}

/// Reads one sentence of paragraph `paragraph`: `ts` are its tokens.
#[allow(clippy::too_many_arguments, reason = "one sentence's context, passed down")]
fn read_sentence(
    lang: &str,
    text: &str,
    ts: &[Token],
    paragraph: usize,
    gazetteer: &Gazetteer,
    aliases: &Aliases,
    tagger: Option<&Model>,
    seen: &Seen,
    out: &mut Vec<Read>,
) {
    let mut taken = vec![false; ts.len()];
    for m in aliases.matches(lang, text, ts) {
        taken[m.start..m.end].iter_mut().for_each(|t| *t = true);
        out.push(Read {
            paragraph,
            start: ts[m.start].start as usize,
            end: ts[m.end - 1].end as usize,
            kind: m.alias.kind,
            listed: Some(aliases.canonical(m.alias).to_owned()),
            words: Vec::new(),
        });
    }
    for m in gazetteer.matches(text, ts) {
        let kind = match m.entry.listed {
            Listed::Place => EntityKind::Place,
            Listed::Organization => EntityKind::Organization,
            Listed::Demonym | Listed::Title => continue,
        };
        // A listed name is a name only capitalised: "Georgia", not a word in lower case.
        let first = ts[m.start].text(text);
        if taken[m.start..m.end].iter().any(|&t| t) || !first.starts_with(char::is_uppercase) {
            continue;
        }
        // A given name that is also a place, then particles and a surname, is a person:
        // "Virginia de la Guardia".
        let particles = (m.end..ts.len().min(m.end + 3))
            .take_while(|&k| PARTICLES.contains(&ts[k].text(text)))
            .count();
        if particles > 0
            && gazetteer.is_given_name(first)
            && ts.get(m.end + particles).is_some_and(|t| capitalised(t.text(text)))
        {
            continue;
        }
        taken[m.start..m.end].iter_mut().for_each(|t| *t = true);
        out.push(Read {
            paragraph,
            start: ts[m.start].start as usize,
            end: ts[m.end - 1].end as usize,
            kind,
            listed: Some(gazetteer.canonical(m.entry).to_owned()),
            words: Vec::new(),
        });
    }
    let word = |i: usize| ts[i].text(text);
    // The tagger's mentions, where the alias table and the gazetteer left them.
    for mut t in tagger.map(|m| tag(m, text, ts, gazetteer)).unwrap_or_default() {
        if taken[t.tokens.clone()].iter().any(|&t| t) {
            continue;
        }
        // A title the tagger took into a person's name ("el Senador Ted Cruz", "la
        // Congresista Kay Granger") is not part of it.
        while t.kind == EntityKind::Person
            && t.tokens.len() > 1
            && aliases.is_title(lang, word(t.tokens.start))
        {
            t.tokens.start += 1;
        }
        let name = name_words(lang, text, ts, t.tokens.clone(), gazetteer, seen, |k| {
            t.kind != EntityKind::Person || capitalised(word(k)) || PARTICLES.contains(&word(k))
        });
        if name.is_empty() {
            continue;
        }
        taken[t.tokens.clone()].iter_mut().for_each(|t| *t = true);
        let person = t.kind == EntityKind::Person;
        out.push(Read {
            paragraph,
            start: ts[t.tokens.start].start as usize,
            end: ts[t.tokens.end - 1].end as usize,
            kind: t.kind,
            listed: (!person).then(|| name.join(" ")),
            words: if person { name } else { Vec::new() },
        });
    }
    // People the tagger missed: runs of capitalised words (and particles and hyphens
    // inside them).
    let mut i = 0;
    while i < ts.len() {
        if taken[i] || !capitalised(word(i)) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            if end < ts.len() && !taken[end] && capitalised(word(end)) {
                end += 1;
                continue;
            }
            // Particles ("van der", "de la") or a hyphen, then a capitalised word.
            let mut k = end;
            if k < ts.len() && word(k) == "-" && ts[k].start == ts[k - 1].end {
                k += 1;
            } else {
                while k < ts.len() && k - end < 3 && PARTICLES.contains(&word(k)) {
                    k += 1;
                }
            }
            if k > end && k < ts.len() && !taken[k] && capitalised(word(k)) {
                end = k + 1;
            } else {
                break;
            }
        }
        let run = i..end;
        i = end;
        if let Some(person) = person_in(lang, text, ts, run, aliases, gazetteer, seen) {
            let words = name_words(lang, text, ts, person.clone(), gazetteer, seen, |k| {
                capitalised(word(k)) || PARTICLES.contains(&word(k))
            });
            // A name the tagger began a word late ("Kremlchef Wladimir [Putin]", "José E.
            // [Serrano]") is one name with the rule's words before it.
            let initial = |k: usize| lede_text::lexicon::is_initial(word(k));
            let mut after = person.end;
            let stop = |k: usize| k < ts.len() && word(k) == "." && ts[k].start == ts[k - 1].end;
            if stop(after) && initial(after - 1) {
                after += 1;
            } else if after < ts.len() && initial(after) && stop(after + 1) {
                after += 2;
            }
            if let Some(next) = ts.get(after)
                && let Some(tagged) = out.iter_mut().rev().find(|r| {
                    r.paragraph == paragraph
                        && r.kind == EntityKind::Person
                        && r.start == next.start as usize
                })
            {
                tagged.start = ts[person.start].start as usize;
                tagged.words.splice(0..0, words);
                continue;
            }
            out.push(Read {
                paragraph,
                start: ts[person.start].start as usize,
                end: ts[person.end - 1].end as usize,
                kind: EntityKind::Person,
                listed: None,
                words,
            });
        }
    }
}

/// The person's name in a run of capitalised tokens, if the language gives evidence of
/// one (see the module's notes).
fn person_in(
    lang: &str,
    text: &str,
    ts: &[Token],
    run: std::ops::Range<usize>,
    aliases: &Aliases,
    gazetteer: &Gazetteer,
    seen: &Seen,
) -> Option<std::ops::Range<usize>> {
    let word = |i: usize| ts[i].text(text);
    let latin = |i: usize| {
        let w = word(i);
        if is_cyrillic(w) { transliterate(&fold(w)) } else { w.to_owned() }
    };
    let given = |i: usize| {
        if is_cyrillic(word(i)) {
            russian_lemmas(&fold(word(i)))
                .iter()
                .any(|l| gazetteer.is_given_name(&transliterate(l)))
        } else {
            gazetteer.is_given_name(word(i))
        }
    };
    let known_surname = |i: usize| {
        let w = name_word(lang, word(i), gazetteer, seen);
        gazetteer.person(&w).is_some() || seen.surnames.contains(&w)
    };
    let title_before = |i: usize| {
        i > 0 && {
            let w = word(i - 1);
            aliases.is_title(lang, w) || aliases.is_title(lang, &latin(i - 1))
        }
    };
    // A title inside the run (German capitalises it): the name starts after the last one.
    let mut start = run.start;
    for k in run.clone() {
        if aliases.is_title(lang, word(k)) {
            start = k + 1;
        }
    }
    if start >= run.end {
        return None;
    }
    // A name's end: at most MAX_PERSON_WORDS words, where a particle ("van der") or the
    // second half of a hyphenated word ("Wout-Jan") is not a word of its own.
    let name_end = |from: usize| {
        let mut words = 0;
        let mut k = from;
        while k < run.end {
            let w = word(k);
            let own = w != "-" && !PARTICLES.contains(&w) && !(k > from && word(k - 1) == "-");
            if own {
                if words == MAX_PERSON_WORDS {
                    break;
                }
                words += 1;
            }
            k += 1;
        }
        while k > from + 1 && (word(k - 1) == "-" || PARTICLES.contains(&word(k - 1))) {
            k -= 1;
        }
        k
    };
    let end = name_end(start);
    let titled = title_before(start);
    // German nouns: from the first given name on, or the last word alone. A given name may
    // be the second half of a hyphenated one: "Wout-Jan van der Schans".
    if let Some(mut g) = (start..run.end).find(|&k| given(k)) {
        if g >= start + 2 && word(g - 1) == "-" && capitalised(word(g - 2)) {
            g -= 2;
        }
        let end = name_end(g);
        if g + 1 < end {
            return Some(g..end);
        }
    }
    if titled && (lang != "de" || end - start <= 3) {
        return Some(start..end);
    }
    if known_surname(end - 1) {
        return Some(end - 1..end);
    }
    None
}

/// Groups mentions under canonical names: listed names under theirs; a person under the
/// fullest name the article gives that ends in its last word, else the one news most
/// often means by it (`people.tsv`), else its own words.
fn group(read: &[Read], texts: &[&str], gazetteer: &Gazetteer) -> Vec<Entity> {
    let mut fulls: HashMap<String, usize> = HashMap::new();
    for r in read.iter().filter(|r| r.kind == EntityKind::Person && r.words.len() > 1) {
        *fulls.entry(r.words.join(" ")).or_default() += 1;
    }
    let mut fulls: Vec<(String, usize)> = fulls.into_iter().collect();
    by_preference(&mut fulls);
    let mut by_last: HashMap<&str, &str> = HashMap::new();
    for (n, _) in &fulls {
        if let Some(last) = n.rsplit(' ').next() {
            by_last.entry(last).or_insert(n);
        }
    }
    // The news form of a full name: "Wladimir Putin" is "Vladimir Putin" when news knows
    // a Putin whose first name starts alike; "Donald Tramp" (Дональд Трамп) is "Donald
    // Trump" when news knows a name whose surname and first name both sound alike
    // (`Gazetteer::person_sounding`: one word alone that sounds like a surname news knows
    // is too little, "Высшей" sounds like "Veasey").
    let news_form = |name: &str| -> String {
        let Some((first, last)) = name.split_once(' ').map(|(f, _)| f).zip(name.rsplit(' ').next())
        else {
            return name.to_owned();
        };
        let initial = |w: &str| {
            w.chars().next().map(|c| match c.to_ascii_uppercase() {
                'W' => 'V',
                c => c,
            })
        };
        let first_alike = |full: &str| {
            initial(full) == initial(first)
                || full.split(' ').next().is_some_and(|f| sound(f) == sound(first))
        };
        match gazetteer.person(last) {
            Some(full) if first_alike(full) && full.ends_with(last) => full.to_owned(),
            Some(_) => name.to_owned(),
            None => match gazetteer.person_sounding(last).and_then(|s| gazetteer.person(s)) {
                Some(full) if full.split(' ').next().is_some_and(|f| sound(f) == sound(first)) => {
                    full.to_owned()
                }
                _ => name.to_owned(),
            },
        }
    };
    let mut by_name: HashMap<String, (usize, EntityKind, Vec<Mention>)> = HashMap::new();
    for (i, r) in read.iter().enumerate() {
        let name = match &r.listed {
            Some(name) => name.clone(),
            None if r.words.len() > 1 => news_form(&r.words.join(" ")),
            None => {
                let w = r.words.first().map_or("", String::as_str);
                match by_last.get(w) {
                    Some(full) => news_form(full),
                    None => gazetteer.person(w).unwrap_or(w).to_owned(),
                }
            }
        };
        if name.is_empty() {
            continue;
        }
        let e = by_name.entry(name).or_insert((i, r.kind, Vec::new()));
        e.2.push(Mention {
            paragraph: r.paragraph,
            start: r.start,
            end: r.end,
            text: texts[r.paragraph][r.start..r.end].to_owned(),
        });
    }
    let out: Vec<(usize, Entity)> = by_name
        .into_iter()
        .map(|(name, (first, kind, mut mentions))| {
            mentions.sort_by_key(|m| (m.paragraph, m.start));
            (first, Entity { name, kind, mentions })
        })
        .collect();
    in_mention_order(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_text::tokens::tokenize;

    /// What the rules alone read.
    fn read(lang: &str, paragraphs: &[&str]) -> Vec<(String, EntityKind, Vec<String>)> {
        read_with(lang, paragraphs, None)
    }

    /// What the rules and the language's tagger read.
    fn tagged(lang: &str, paragraphs: &[&str]) -> Vec<(String, EntityKind, Vec<String>)> {
        read_with(lang, paragraphs, crate::taggers::tagger(lang))
    }

    fn read_with(
        lang: &str,
        paragraphs: &[&str],
        tagger: Option<&Model>,
    ) -> Vec<(String, EntityKind, Vec<String>)> {
        let tokens: Vec<Vec<Token>> = paragraphs.iter().map(|p| tokenize(p)).collect();
        entities(lang, paragraphs, &tokens, &Gazetteer::builtin(), &Aliases::builtin(), tagger)
            .into_iter()
            .map(|e| (e.name, e.kind, e.mentions.into_iter().map(|m| m.text).collect()))
            .collect()
    }

    fn names(found: &[(String, EntityKind, Vec<String>)]) -> Vec<(&str, EntityKind)> {
        let mut v: Vec<(&str, EntityKind)> =
            found.iter().map(|(n, k, _)| (n.as_str(), *k)).collect();
        v.sort();
        v
    }

    use EntityKind::{Organization as Org, Person, Place};

    #[test]
    fn names_with_particles_and_hyphens_issue_17() {
        let got = read(
            "nl",
            &["Springruiter Wout-Jan van der Schans verloor.", "Van der Schans bleef kalm."],
        );
        assert_eq!(names(&got), vec![("Wout-Jan van der Schans", Person)], "{got:?}");
        let got = read("pt", &["«Não damos conta», diz Virginia de la Guardia, porta-voz."]);
        assert!(names(&got).contains(&("Virginia de la Guardia", Person)), "{got:?}");
        // A Portuguese name ending in -s keeps it: the genitive -s is German and Dutch.
        let got = tagged("pt", &["A dotação é assim explicada por Beni Veras."]);
        assert!(names(&got).contains(&("Beni Veras", Person)), "{got:?}");
    }

    #[test]
    fn transliterates_russian_as_news_does() {
        assert_eq!(transliterate("Владимир"), "Vladimir");
        assert_eq!(transliterate("Путин"), "Putin");
        assert_eq!(transliterate("Сергей"), "Sergey");
        assert_eq!(transliterate("Шойгу"), "Shoygu");
        assert_eq!(transliterate("Дмитрий"), "Dmitry");
        assert_eq!(transliterate("Евгений"), "Yevgeny");
        assert_eq!(transliterate("Хабаровск"), "Khabarovsk");
    }

    #[test]
    fn russian() {
        let found = read(
            "ru",
            &[
                "Президент России Владимир Путин провёл переговоры в Москве.",
                "Как заявил Путин, НАТО угрожает безопасности страны.",
                "Встреча Путина с министром прошла в Кремле.",
            ],
        );
        assert_eq!(
            names(&found),
            vec![
                ("Kremlin", Org),
                ("Moscow", Place),
                ("NATO", Org),
                ("Russia", Place),
                ("Vladimir Putin", Person)
            ],
            "{found:?}"
        );
        let putin = found.iter().find(|e| e.0 == "Vladimir Putin").unwrap();
        assert_eq!(putin.2, ["Владимир Путин", "Путин", "Путина"]);
    }

    /// A person news does not know is one entity in all the cases the article writes:
    /// first name and surname read back to the forms the article gives in its nominative.
    #[test]
    fn russian_case_forms_of_a_name_the_article_gives_are_one_person() {
        let found = read(
            "ru",
            &[
                "Судья Павел Вовк отказался от комментариев.",
                "Адвокат Павла Вовка заявил, что решение обжалуют. Журналисты написали Павлу Вовку.",
                "Премьер-министр Анвар Ибрагим прилетел в Москву.",
                "Переговоры с Анваром Ибрагимом продлились час, сообщил помощник Анвара Ибрагима.",
            ],
        );
        let persons: Vec<&str> =
            found.iter().filter(|e| e.1 == Person).map(|e| e.0.as_str()).collect();
        assert_eq!(persons, ["Pavel Vovk", "Anvar Ibragim"], "{found:?}");
        let vovk = found.iter().find(|e| e.0 == "Pavel Vovk").unwrap();
        assert_eq!(vovk.2, ["Павел Вовк", "Павла Вовка", "Павлу Вовку"]);
        let anvar = found.iter().find(|e| e.0 == "Anvar Ibragim").unwrap();
        // The rules alone read the surname of the inflected mentions (the first name is no
        // given name they know), under the one person all the same.
        assert_eq!(anvar.2, ["Анвар Ибрагим", "Ибрагимом", "Ибрагима"]);
    }

    /// A foreign name transliterated from Russian is written as news spells it where news
    /// knows a name whose surname and first name both sound alike; a word that only sounds
    /// like a surname news knows is left as it is.
    #[test]
    fn russian_transliterations_of_names_news_knows_are_spelt_as_news_does() {
        let found = tagged(
            "ru",
            &[
                "Президент США Дональд Трамп заявил, что готов к диалогу. По словам Трампа, визит важен.",
                "Вице-президент Майк Пенс и советник Джон Болтон встретились с Владимиром Путиным.",
                "Бывший госсекретарь Хиллари Клинтон раскритиковала визит.",
                "Премьер-министр Борис Джонсон обсудил визит. Президент Франции Эммануэль Макрон промолчал.",
                "Путин поговорил с Эммануэлем Макроном по телефону.",
                "Об этом сообщил помощник Владимира Мединского.",
            ],
        );
        let mut persons: Vec<&str> =
            found.iter().filter(|e| e.1 == Person).map(|e| e.0.as_str()).collect();
        persons.sort_unstable();
        assert_eq!(
            persons,
            [
                // News (the lists) knows a Johnson of another first name: not joined.
                "Boris Dzhonson",
                "Donald Trump",
                "Emmanuel Macron",
                "Hillary Clinton",
                "John Bolton",
                "Mike Pence",
                "Vladimir Medinsky",
                "Vladimir Putin",
            ],
            "{found:?}"
        );
        // The instrumental of a name ending in a soft sign is the same person.
        assert!(
            found.iter().any(|e| e.0 == "Emmanuel Macron"
                && e.2.iter().any(|m| m == "Эммануэлем Макроном")),
            "{found:?}"
        );
        let g = Gazetteer::builtin();
        assert_eq!(g.person_sounding("Tramp"), Some("Trump"));
        // "Высшей" ("highest") sounds like a congressman's surname: a word alone is not
        // joined to it (see `group`).
        assert_eq!(g.person_sounding("Vysshey"), Some("Veasey"));
    }

    #[test]
    fn german_needs_evidence_for_a_person() {
        let found = read(
            "de",
            &[
                "Bundeskanzlerin Angela Merkel hat am Montag in Berlin mit dem Präsidenten Frankreichs gesprochen.",
                "Die Regierung will die Steuer senken, sagte Merkel. Kremlchef Wladimir Putin warnte die EU.",
                "Der Vertrag gilt nach Angaben der Bank auch für die Schweiz und Russlands Nachbarn.",
            ],
        );
        assert_eq!(
            names(&found),
            vec![
                ("Angela Merkel", Person),
                ("Berlin", Place),
                ("European Union", Org),
                ("France", Place),
                ("Russia", Place),
                ("Switzerland", Place),
                ("Vladimir Putin", Person),
            ],
            "{found:?}"
        );
    }

    #[test]
    fn french_spanish_italian_portuguese_dutch() {
        let fr = read(
            "fr",
            &[
                "Le président Emmanuel Macron a reçu à l'Élysée le chancelier allemand. Selon Macron, la Russie doit respecter l'ONU.",
            ],
        );
        assert_eq!(
            names(&fr),
            vec![
                ("Emmanuel Macron", Person),
                ("Russia", Place),
                ("United Nations", Org),
                ("Élysée Palace", Org)
            ],
            "{fr:?}"
        );
        let es = read("es", &["El presidente Pedro Sánchez viajó a Alemania y a Estados Unidos."]);
        assert_eq!(
            names(&es),
            vec![("Germany", Place), ("Pedro Sánchez", Person), ("United States", Place)],
            "{es:?}"
        );
        let it =
            read("it", &["Il ministro degli Esteri Luigi Di Maio è volato a Mosca dell'Italia."]);
        assert!(names(&it).contains(&("Moscow", Place)), "{it:?}");
        assert!(names(&it).contains(&("Luigi Di Maio", Person)), "{it:?}");
        let pt = read("pt", &["O presidente Jair Bolsonaro criticou a China e a Rússia."]);
        assert_eq!(
            names(&pt),
            vec![("China", Place), ("Jair Bolsonaro", Person), ("Russia", Place)],
            "{pt:?}"
        );
        // A capitalised title the tagger takes into a name is left out of it.
        let es = tagged("es", &["Ayer, la Congresista Kay Granger y el Senador Ted Cruz votaron."]);
        let people: Vec<&str> = es.iter().filter(|e| e.1 == Person).map(|e| e.0.as_str()).collect();
        assert!(
            people.iter().all(|p| !p.starts_with("Congresista") && !p.starts_with("Senador")),
            "{es:?}"
        );
        // The rules' given name and initial before the tagger's surname are one name.
        let es = tagged(
            "es",
            &[
                "Washington, DC – El Congresista José E. Serrano emitió hoy las siguientes declaraciones.",
            ],
        );
        let people: Vec<&str> = es.iter().filter(|e| e.1 == Person).map(|e| e.0.as_str()).collect();
        assert_eq!(people, ["José Serrano"], "{es:?}");
        let nl = read("nl", &["Premier Mark Rutte sprak in Brussel over Rusland en de NAVO."]);
        assert_eq!(
            names(&nl),
            vec![("Brussels", Place), ("Mark Rutte", Person), ("NATO", Org), ("Russia", Place)],
            "{nl:?}"
        );
    }

    #[test]
    fn tagged_names_keep_the_canonical_names() {
        // The tagger reads names no list or rule has (a person with no title or known
        // given name, an organisation not listed); listed names keep their English
        // canonical names, and a rule's words before a tagged name join it.
        let de = tagged(
            "de",
            &[
                "Kremlchef Wladimir Putin warnte am Montag in Moskau vor einer Ausweitung des Krieges.",
                "Der Abgeordnete widersprach Russland.",
            ],
        );
        assert_eq!(
            names(&de),
            vec![("Moscow", Place), ("Russia", Place), ("Vladimir Putin", Person)],
            "{de:?}"
        );
        let putin = de.iter().find(|e| e.0 == "Vladimir Putin").unwrap();
        assert_eq!(putin.2, ["Wladimir Putin"]);
        let pt = tagged(
            "pt",
            &[
                "O ministro Fernando Haddad disse que a Petrobras vai investir na Rússia e em Portugal.",
                "Segundo Haddad, o Banco Central discorda.",
            ],
        );
        assert_eq!(
            names(&pt),
            vec![
                ("Banco Central", Org),
                ("Fernando Haddad", Person),
                ("Petrobras", Org),
                ("Portugal", Place),
                ("Russia", Place)
            ],
            "{pt:?}"
        );
        assert_eq!(names(&read("pt", &["A Petrobras vai investir."])), vec![]);
    }

    #[test]
    fn languages_read() {
        assert!(reads_entities("de") && reads_entities("RU") && reads_entities("en"));
        assert!(!reads_entities("tr") && !reads_entities(""));
    }

    #[test]
    fn hostile_input_takes_bounded_time() {
        // Capitalised words without end and long runs of one alias: linear.
        let caps = "Angela Merkel Putin ".repeat(20_000);
        let moscow = "Москва ".repeat(50_000);
        let start = std::time::Instant::now();
        for (lang, text) in [("de", caps.as_str()), ("ru", moscow.as_str())] {
            let tokens = vec![tokenize(text)];
            let tagger = crate::taggers::tagger(lang);
            let _ = entities(
                lang,
                &[text],
                &tokens,
                &Gazetteer::builtin(),
                &Aliases::builtin(),
                tagger,
            );
        }
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
