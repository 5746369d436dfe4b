//! Datelines: the place, date and agency line that opens a news text ("WASHINGTON, D.C.—",
//! "SOCHI, May 12. /TASS/.", "MOSCOW, December 3 (Reuters) -", "(WASHINGTON) –").
//!
//! Two questions, one notion of a dateline: [`strip`] takes it off the start of a lead or
//! headline (story labels), [`find`] says where the first one begins in a run-on text whose
//! headline ran into its body (extraction's headline reader).
//!
//! Known failures: a capitalised phrase before a colon in the first 40 characters reads as a
//! place ("Breaking News: ..." loses its "Breaking News"); datelines in other languages'
//! month names are not recognised (issue 12).

use crate::lexicon::is_month;
use regex::Regex;
use std::sync::LazyLock;

/// `text` without a leading dateline: a place (up to six capitalised words; commas,
/// periods and parentheses allowed, so "WASHINGTON (Reuters)" is one) before a dash or
/// colon in the first 40 characters, or an agency's "PLACE, Month Day. /AGENCY/." line;
/// then any agency tag ("/TASS/.", "(AP) —") left at the start. A place dateline that would
/// leave under 20 characters is no dateline ("Note: see below"), unless nothing readable
/// is left at all (then the empty rest says so).
pub fn strip(text: &str) -> &str {
    if let Some(rest) = strip_agency_date(text) {
        // A month and day before an agency tag or dash is a dateline for certain.
        return strip_agency_tag(rest);
    }
    let rest = strip_agency_tag(strip_place(text));
    if rest.len() == text.len() {
        return text;
    }
    let readable = rest.chars().filter(|c| c.is_alphanumeric()).count();
    if readable == 0 || rest.chars().count() >= 20 { rest } else { text }
}

/// "SOCHI, May 12. /TASS/." and "MOSCOW, December 3 (Reuters) -": a capitalised place, a
/// comma, a month and a day number, then a period, dash or parenthesis.
fn strip_agency_date(text: &str) -> Option<&str> {
    let (place, after) = text.split_once(',')?;
    let place_words: Vec<&str> = place.split_whitespace().collect();
    if place_words.is_empty()
        || place_words.len() > 4
        || !place_words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return None;
    }
    let after = after.trim_start();
    let month_end = after.find(|c: char| !c.is_alphabetic())?;
    if !is_month(after[..month_end].trim_end_matches('.')) {
        return None;
    }
    let after = after[month_end..].trim_start_matches('.').trim_start();
    let day_end = after.find(|c: char| !c.is_ascii_digit())?;
    if day_end == 0 || day_end > 2 {
        return None;
    }
    let after = &after[day_end..];
    // A year may follow: "May 12, 2017."
    let after = after
        .strip_prefix(", ")
        .and_then(|a| a.get(4..).filter(|_| a.as_bytes()[..4].iter().all(u8::is_ascii_digit)))
        .unwrap_or(after);
    let after = after.trim_start();
    let c = after.chars().next()?;
    match c {
        '.' | '-' | '—' | '–' | ':' => {
            Some(after[c.len_utf8()..].trim_start_matches(['-', '—', '–', ' ']))
        }
        '(' | '/' => Some(after),
        _ => None,
    }
}

/// A place before a dash or colon in the first 40 characters.
fn strip_place(text: &str) -> &str {
    let head: String = text.chars().take(40).collect();
    let Some((at, sep)) = head
        .char_indices()
        .find(|&(i, c)| matches!(c, '—' | '–' | ':') || (c == '-' && head[..i].ends_with(' ')))
    else {
        return text;
    };
    let words: Vec<&str> = text[..at].split_whitespace().collect();
    let is_place = !words.is_empty()
        && words.len() <= 6
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | '.' | '[' | ']'));
            w.chars().next().is_some_and(char::is_uppercase)
        });
    if !is_place {
        return text;
    }
    text[at + sep.len_utf8()..].trim_start_matches([' ', '-', '—', '–'])
}

/// An agency tag at the start: "/TASS/.", "(AP) —", "(Reuters) -".
fn strip_agency_tag(text: &str) -> &str {
    let text = text.trim_start();
    let (open, close) = match text.chars().next() {
        Some('/') => ('/', '/'),
        Some('(') => ('(', ')'),
        _ => return text,
    };
    let Some(end) = text[open.len_utf8()..].find(close).map(|i| i + open.len_utf8()) else {
        return text;
    };
    let tag = &text[open.len_utf8()..end];
    let is_tag = (2..=20).contains(&tag.len())
        && tag.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '.' | '&'))
        && tag.chars().next().is_some_and(char::is_uppercase);
    if !is_tag {
        return text;
    }
    text[end + close.len_utf8()..].trim_start_matches(['.', ' ', '-', '—', '–', ':'])
}

/// A dateline inside a run-on text: a place in capitals ("WASHINGTON, DC", up to four
/// words) or "Washington, D.C.", maybe in parentheses, then a dash; or a place in
/// parentheses ("(Washington, D.C.)"), maybe with a dash; then what starts a sentence.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\s\(?(?:[A-Z]{2}[A-Z.'’]*(?:[ ,]+[A-Z][A-Z.'’]*){0,3}|Washington,?\s*D\.?\s?C\.?|Washington)\)?\s*[–—-]+\s*|\s\((?:[A-Z][A-Za-z.,' ]{2,30})\)\s+[–—-]?\s*)[A-Z(“\x22]",
    )
    .expect("valid dateline regex")
});

/// Where the first dateline after the start of `text` begins (at the space before it), if
/// any: "Schiff Receives Responses Washington, DC – Today, Rep. Adam Schiff" gives the
/// offset of " Washington".
pub fn find(text: &str) -> Option<usize> {
    DATELINE.find(text).map(|m| m.start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_places_dates_and_agency_tags() {
        for (text, rest) in [
            ("WASHINGTON, D.C.— Congressman Adam Smith spoke.", "Congressman Adam Smith spoke."),
            (
                "(Washington, D.C.) – Today, Congressman Albio Sires spoke.",
                "Today, Congressman Albio Sires spoke.",
            ),
            (
                "SOCHI, May 12. /TASS/. Russian President Vladimir Putin met",
                "Russian President Vladimir Putin met",
            ),
            ("MOSCOW, December 3 (Reuters) - The central bank held", "The central bank held"),
            (
                "WASHINGTON, Jan. 12 – Lockheed Martin showed its F-35",
                "Lockheed Martin showed its F-35",
            ),
            ("SOCHI, May 12. /TASS/.", ""),
            ("Note: see below", "Note: see below"),
            ("The Senate passed the bill - again.", "The Senate passed the bill - again."),
        ] {
            assert_eq!(strip(text), rest, "{text:?}");
        }
    }

    #[test]
    fn finds_the_dateline_of_a_run_on_text() {
        let text = "Schiff Receives Official Responses from Google Washington, DC – Today, Rep. Adam Schiff";
        assert_eq!(find(text), Some(text.find(" Washington").unwrap()));
        let text =
            "Thornberry on death of Sergeant Cameron A. Meddock WASHINGTON- U.S. Congressman";
        assert_eq!(find(text), Some(text.find(" WASHINGTON").unwrap()));
        assert_eq!(find("Today, Congressman Scott Peters voted to reopen the government."), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}", tail in "[A-Z]{1,8}, (May|Jan\\.) [0-9]{1,3}[.(/—–-]\\PC{0,20}") {
            for t in [text.as_str(), tail.as_str(), &format!("{tail}{text}"), &format!("{text}{tail}")] {
                let _ = strip(t);
                let _ = find(t);
            }
        }
    }
}
