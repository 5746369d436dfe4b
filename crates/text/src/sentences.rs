//! Sentences of a paragraph, as runs of tokens or byte spans: lede's one sentence splitter
//! (annotations, quotes, provenance alignment and story labels all use it).
//!
//! What it detects: sentence ends in news prose: `.`, `!`, `?` or `…`, then any closing
//! quotation marks and brackets, then a token that starts with a capital letter, a letter
//! of a script without case (Arabic, Hebrew, Devanagari, Chinese...), a digit or an
//! opening quotation mark. The stops of other scripts end a sentence wherever they stand:
//! the ideographic full stop and the full-width `！` and `？` (Chinese, Japanese), the
//! danda `।` (Hindi), the Arabic question mark `؟` and the Urdu full stop `۔`.
//!
//! Signals: the token before the stop. Titles and abbreviations ("Mr", "Gov", "Sen",
//! "Jan") and single capital letters (the initials of "J. Smith") do not end a sentence.
//! "U.S." keeps its dots inside its token, so "the U.S. embassy" is never cut.
//!
//! Known failures: an initialism that ends a sentence ("... in the U.S. The talks") is read
//! as part of one sentence. Sentences longer than [`MAX_TOKENS`] are cut, so that one
//! unpunctuated 10 MB paragraph costs linear time.
//!
//! Example: `Mr. Tillerson met Mr. Putin. "Good," he said.` is two sentences.

use crate::lexicon::is_abbreviation;
use crate::tokens::{Token, tokenize};
use std::ops::Range;

/// The longest sentence, in tokens; longer runs are cut into pieces of this size.
pub const MAX_TOKENS: usize = 200;

fn is_stop(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "…") || is_final(t)
}

/// A stop that ends its sentence whatever follows: no abbreviation or initial is written
/// with it.
fn is_final(t: &str) -> bool {
    matches!(t, "。" | "！" | "？" | "।" | "॥" | "؟" | "۔")
}

fn is_closing(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "'" | ")" | "]" | "»" | "」" | "』" | "）" | "》" | "〉")
}

fn opens(t: &str) -> bool {
    t.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            // A script without case: its every letter may begin a sentence.
            || (c.is_alphabetic() && !c.is_lowercase())
            || matches!(c, '"' | '“' | '‘' | '\'' | '«' | '(' | '「' | '『' | '《')
    })
}

/// The sentences of `text` (whose tokens are `tokens`), as ranges of token indices.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i + 1;
        let t = tokens[i].text(text);
        let mut ends = false;
        if is_stop(t) {
            // Closing marks stick to the stop; a mark after a space opens the next sentence.
            while end < tokens.len()
                && tokens[end].start == tokens[end - 1].end
                && is_closing(tokens[end].text(text))
            {
                end += 1;
            }
            ends = match tokens.get(end) {
                None => true,
                Some(next) => {
                    let before = i.checked_sub(1).map(|b| tokens[b].text(text));
                    let abbreviation = t == "."
                        && before.is_some_and(|w| {
                            is_abbreviation(w)
                                // "No. 5", but "No. No."
                                && (!w.eq_ignore_ascii_case("no")
                                    || next.text(text).starts_with(|c: char| c.is_ascii_digit()))
                        });
                    is_final(t) || (opens(next.text(text)) && !abbreviation)
                }
            };
        }
        if !ends {
            end = i + 1;
        }
        if ends || end - start >= MAX_TOKENS {
            out.push(start..end);
            start = end;
        }
        i = end;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// The sentences of `text` as byte ranges, from the first character of each sentence's
/// first token to the last of its last (the stop and closing quotes included).
pub fn sentence_spans(text: &str) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    sentences(text, &tokens)
        .into_iter()
        .map(|r| tokens[r.start].start as usize..tokens[r.end - 1].end as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let ts = tokenize(text);
        sentences(text, &ts)
            .into_iter()
            .map(|r| &text[ts[r.start].start as usize..ts[r.end - 1].end as usize])
            .collect()
    }

    #[test]
    fn news_sentences() {
        assert_eq!(
            split(
                "Mr. Tillerson met Mr. Putin in the U.S. embassy. Talks lasted 2 hours! \"Good,\" he said. 3 more came."
            ),
            [
                "Mr. Tillerson met Mr. Putin in the U.S. embassy.",
                "Talks lasted 2 hours!",
                "\"Good,\" he said.",
                "3 more came."
            ]
        );
        assert_eq!(
            split("“Are we insisting on it? No.” Trump said."),
            ["“Are we insisting on it?", "No.”", "Trump said."]
        );
        assert_eq!(split("J. Smith spoke."), ["J. Smith spoke."]);
        assert_eq!(split("no punctuation at all").len(), 1);
        assert!(split("").is_empty());
        assert_eq!(split(&"word ".repeat(450)).len(), 3);
    }

    #[test]
    fn sentences_in_other_scripts() {
        assert_eq!(
            split("蒂勒森周三会见普京。双方讨论了叙利亚局势！会谈持续了两个小时吗？随后他离开了。"),
            [
                "蒂勒森周三会见普京。",
                "双方讨论了叙利亚局势！",
                "会谈持续了两个小时吗？",
                "随后他离开了。"
            ]
        );
        assert_eq!(
            split("「会談は有意義だった」と述べた。次の会合は来月だ。"),
            ["「会談は有意義だった」と述べた。", "次の会合は来月だ。"]
        );
        assert_eq!(
            split("التقى تيلرسون بوتين. ماذا قالا؟ لم يعلن شيء."),
            ["التقى تيلرسون بوتين.", "ماذا قالا؟", "لم يعلن شيء."]
        );
        assert_eq!(
            split("टिलरसन ने पुतिन से मुलाकात की। बातचीत दो घंटे चली।"),
            ["टिलरसन ने पुतिन से मुलाकात की।", "बातचीत दो घंटे चली।"]
        );
        assert_eq!(
            split("Тиллерсон встретился с Путиным. Переговоры шли долго."),
            ["Тиллерсон встретился с Путиным.", "Переговоры шли долго."]
        );
        // A lower-case word after a dot still continues the sentence.
        assert_eq!(split("Talks lasted 2 hrs. and ended."), ["Talks lasted 2 hrs. and ended."]);
    }
}
