//! Tokens: words, numbers and punctuation marks of one paragraph, with byte spans.
//!
//! What it detects: word tokens as news writes them: "U.S." and "D.C." (initialisms keep
//! their dots), "in-country" (a hyphen joins lower-case parts), "O'Brien", "don't",
//! "1,000" and "3.5"; a possessive "'s" is its own token ("Trump", "'s"), and a hyphen
//! before a capital splits ("US", "-", "Russian"), so that each name is a token of its own.
//! Every other non-space character is a token of one character.
//!
//! Known failures: "Mr." keeps its dot as a separate token (the sentence splitter knows
//! the abbreviations); emoji sequences become several tokens.
//!
//! Example: `Mr Tillerson's U.S.-Russian talks` is `Mr`, `Tillerson`, `'s`, `U.S.`, `-`,
//! `Russian`, `talks`.

use crate::floor;

/// A token: a byte range of the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset just past the last character.
    pub end: u32,
}

impl Token {
    /// The token's text in `text`.
    pub fn text(self, text: &str) -> &str {
        &text[self.start as usize..self.end as usize]
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The tokens of `text`, in order. Texts over 4 GiB are cut (offsets are `u32`).
///
/// Reads the text in place by byte offset, decoding the few characters around each
/// decision (a vector of every character, 16 bytes each, was 4% of `lede ingest`; #13).
pub fn tokenize(text: &str) -> Vec<Token> {
    let text = &text[..floor(text, u32::MAX as usize)];
    // The character starting at byte `o`, and the one ending there.
    let after = |o: usize| text.get(o..).and_then(|t| t.chars().next());
    let before = |o: usize| text[..o].chars().next_back();
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let span = |start: usize, end: usize| Token { start: start as u32, end: end as u32 };
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut o = 0;
    while let Some(c) = after(o) {
        let w = c.len_utf8();
        if c.is_whitespace() {
            o += w;
            continue;
        }
        if !c.is_alphanumeric() {
            // A possessive or contraction after a word: "'s", "’s".
            if is_apostrophe(c)
                && matches!(after(o + w), Some('s' | 'S'))
                && !alnum(after(o + w + 1))
                && alnum(before(o))
            {
                out.push(span(o, o + w + 1));
                o += w + 1;
                continue;
            }
            out.push(span(o, o + w));
            o += w;
            continue;
        }
        let start = o;
        let mut dotted = false;
        o += w;
        while let Some(c) = after(o) {
            let w = c.len_utf8();
            if c.is_alphanumeric() {
                o += w;
                continue;
            }
            let next = after(o + w);
            let prev = before(o).expect("a word character precedes");
            let joins = match c {
                '-' | '‐' | '‑' => {
                    next.is_some_and(|n| n.is_alphanumeric() && !n.is_uppercase())
                        || (prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()))
                }
                '\'' | '’' => {
                    // Not a possessive "'s", which is a token of its own.
                    let possessive = matches!(next, Some('s' | 'S')) && !alnum(after(o + w + 1));
                    alnum(next) && !possessive
                }
                '.' | ',' if prev.is_ascii_digit() => next.is_some_and(|n| n.is_ascii_digit()),
                '.' => {
                    // An initialism: single letters each followed by a dot ("U.S.", "D.C.").
                    let prev_at = o - prev.len_utf8();
                    let single =
                        prev.is_alphabetic() && (prev_at == start || before(prev_at) == Some('.'));
                    single
                        && (dotted
                            || next.is_some_and(|n| {
                                n.is_alphabetic() && after(o + w + n.len_utf8()) == Some('.')
                            }))
                }
                _ => false,
            };
            if !joins {
                break;
            }
            dotted |= c == '.';
            o += w;
        }
        out.push(span(start, o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first implementation, by a vector of characters: the reference [`tokenize`]
    /// must agree with.
    fn tokenize_by_chars(text: &str) -> Vec<Token> {
        let text = &text[..floor(text, u32::MAX as usize)];
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |i: usize| chars.get(i).map(|&(_, c)| c);
        let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o) as u32;
        let mut out = Vec::with_capacity(chars.len() / 5);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if !c.is_alphanumeric() {
                // A possessive or contraction after a word: "'s", "’s".
                if is_apostrophe(c)
                    && matches!(at(i + 1), Some('s' | 'S'))
                    && !at(i + 2).is_some_and(char::is_alphanumeric)
                    && i > 0
                    && chars[i - 1].1.is_alphanumeric()
                {
                    out.push(Token { start: offset(i), end: offset(i + 2) });
                    i += 2;
                    continue;
                }
                out.push(Token { start: offset(i), end: offset(i + 1) });
                i += 1;
                continue;
            }
            let start = i;
            let mut dotted = false;
            i += 1;
            while let Some(c) = at(i) {
                if c.is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let next = at(i + 1);
                let prev = chars[i - 1].1;
                let joins = match c {
                    '-' | '‐' | '‑' => {
                        next.is_some_and(|n| n.is_alphanumeric() && !n.is_uppercase())
                            || (prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()))
                    }
                    '\'' | '’' => {
                        // Not a possessive "'s", which is a token of its own.
                        let possessive = matches!(next, Some('s' | 'S'))
                            && !at(i + 2).is_some_and(char::is_alphanumeric);
                        next.is_some_and(char::is_alphanumeric) && !possessive
                    }
                    '.' | ',' if prev.is_ascii_digit() => next.is_some_and(|n| n.is_ascii_digit()),
                    '.' => {
                        // An initialism: single letters each followed by a dot ("U.S.", "D.C.").
                        let single =
                            prev.is_alphabetic() && (i - 1 == start || chars[i - 2].1 == '.');
                        single
                            && (dotted
                                || (next.is_some_and(char::is_alphabetic)
                                    && at(i + 2) == Some('.')))
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                dotted |= c == '.';
                i += 1;
            }
            out.push(Token { start: offset(start), end: offset(i) });
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_reference(text in "([a-zA-Z0-9]{1,4}|[ .,'’s\\-‐SéÉ“”%]|\\PC){0,40}") {
            proptest::prop_assert_eq!(tokenize(&text), tokenize_by_chars(&text));
        }
    }

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn news_words() {
        assert_eq!(
            toks("Mr Tillerson's U.S.-Russian talks"),
            ["Mr", "Tillerson", "'s", "U.S.", "-", "Russian", "talks"]
        );
        assert_eq!(toks("US-Russian ties"), ["US", "-", "Russian", "ties"]);
        assert_eq!(toks("expertise in-country."), ["expertise", "in-country", "."]);
        assert_eq!(
            toks("O'Brien don't, 1,000 3.5%"),
            ["O'Brien", "don't", ",", "1,000", "3.5", "%"]
        );
        assert_eq!(
            toks("J. Smith in D.C. and the US."),
            ["J", ".", "Smith", "in", "D.C.", "and", "the", "US", "."]
        );
        assert_eq!(toks("“No. No”, Trump’s"), ["“", "No", ".", "No", "”", ",", "Trump", "’s"]);
        assert_eq!(toks("the US' first"), ["the", "US", "'", "first"]);
        assert!(toks("").is_empty());
    }
}
