//! Finding the headline in a run-on text whose headline was not kept apart.
//!
//! ## What it detects
//! The headline at the start of a text that lost its layout, as many press-release and
//! scraped corpora have: `03.07.19 Schiff Receives Official Responses from Google
//! Washington, DC – Today, Rep. Adam Schiff …` has the headline "Schiff Receives Official
//! Responses from Google".
//!
//! ## Signals
//! A leading date (`03.07.19`) and release boilerplate (`FOR IMMEDIATE RELEASE`, `Press
//! Release`) are skipped; the headline is what comes before the first dateline in the first
//! 400 characters: a place in capitals or `Washington, D.C.` followed by a dash, or a place
//! in parentheses (`(WASHINGTON)`). A date right before the dateline is not part of it. The
//! headline must be 3 to 40 words and must not end like a sentence.
//!
//! ## Known failures
//! A text that starts with its body (no headline) gets none, as it should; a headline
//! followed by a subtitle keeps both.
//!
//! ## Example
//! `01.09.19 Sullivan Addresses Alaskans on Partial Government Shutdown WASHINGTON, DC—Today,
//! …` gives "Sullivan Addresses Alaskans on Partial Government Shutdown".

use regex::Regex;
use std::sync::LazyLock;

static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\*+\s*press release\s*\*+|for immediate release|press release|\+\s*share|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4}|\s)+")
        .expect("valid lead regex")
});
static TRAILING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s+(?:[a-z]+\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4})\s*$",
    )
    .expect("valid date regex")
});

/// The headline at the start of `text`: its first line when the text has several and that
/// line reads as a headline, else what comes before a dateline.
pub(crate) fn headline(text: &str) -> Option<String> {
    first_line(text).or_else(|| before_dateline(text))
}

/// The first line of a text of several lines, if it reads as a headline: 3 to 25 words,
/// not ending like a sentence, not a byline or a date, and more text after it (ECB+ and
/// many text corpora keep the headline on a line of its own).
fn first_line(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = crate::normalize::collapse_whitespace(lines.next()?);
    lines.next()?;
    let words = first.split_whitespace().count();
    let lower = first.to_lowercase();
    let sentence_like = first.ends_with(['.', ':', ';', ',', '!', '?']);
    if !(3..=25).contains(&words)
        || sentence_like
        || lower.starts_with("by ")
        || crate::read_date(&first).is_some()
        || LEAD.find(&first).is_some_and(|m| m.end() > 0)
    {
        return None;
    }
    Some(first)
}

/// The headline before the first dateline of a run-on text.
fn before_dateline(text: &str) -> Option<String> {
    let head = crate::normalize::prefix(text, 400);
    let lead = LEAD.find(head).map_or(0, |m| m.end());
    let rest = &head[lead..];
    let dateline = lede_text::dateline::find(rest)?;
    let candidate = rest[..dateline].trim();
    let candidate = TRAILING_DATE.replace(candidate, "");
    let candidate = crate::normalize::collapse_whitespace(candidate.trim());
    let words = candidate.split_whitespace().count();
    if !(3..=40).contains(&words) || candidate.ends_with(['.', ':', ';', ',']) {
        return None;
    }
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_press_release_headlines() {
        let cases = [
            (
                "03.07.19 Schiff Receives Official Responses from Google, Facebook Regarding Anti-Vaccine Misinformation Washington, DC – Today, Rep. Adam Schiff (D-CA) released",
                Some(
                    "Schiff Receives Official Responses from Google, Facebook Regarding Anti-Vaccine Misinformation",
                ),
            ),
            (
                "01.09.19 Sullivan Addresses Alaskans on Partial Government Shutdown and Border Security WASHINGTON, DC—Today, U.S. Senator Dan Sullivan",
                Some(
                    "Sullivan Addresses Alaskans on Partial Government Shutdown and Border Security",
                ),
            ),
            (
                "Chairman Thompson: Sowing Fear, Trump Lies Directly to American People January 8, 2019 (WASHINGTON) – Today, Rep. Bennie G. Thompson",
                Some("Chairman Thompson: Sowing Fear, Trump Lies Directly to American People"),
            ),
            (
                "Thornberry on death of Sergeant Cameron A. Meddock WASHINGTON- U.S. Congressman Mac Thornberry",
                Some("Thornberry on death of Sergeant Cameron A. Meddock"),
            ),
            (
                "WASHINGTON, D.C. – Rep. Rick Larsen (WA-02) voted today to reopen key federal agencies.",
                None,
            ),
            (
                "Today, U.S. Congressman Scott Peters (CA-52) voted to reopen the government by funding six bills.",
                None,
            ),
            ("Washington, DC – Today, Congresswoman Julia Brownley introduced two bills.", None),
        ];
        for (text, want) in cases {
            assert_eq!(headline(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_first_line_of_its_own_is_the_headline() {
        let cases = [
            (
                "Report: Red Sox offer Teixeira $200 million\nDecember 15th, 2008\nDan Patrick reported",
                Some("Report: Red Sox offer Teixeira $200 million"),
            ),
            (
                "  Colts Beat  Chiefs 20 - 13 To Clinch Playoff Berth \n\nThe Colts won.",
                Some("Colts Beat Chiefs 20 - 13 To Clinch Playoff Berth"),
            ),
            ("One line only, no headline here", None),
            ("The fire spread fast.\nIt burned for days.", None),
            ("By Jane Doe and John Roe\nThe fire spread fast.", None),
            ("December 15th, 2008\nThe fire spread fast.", None),
            ("Fire\nThe fire spread fast.", None),
        ];
        for (text, want) in cases {
            assert_eq!(headline(text).as_deref(), want, "{text}");
        }
    }
}
