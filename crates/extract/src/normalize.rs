//! Small text helpers shared by the readers: white space, prefixes.

/// `s` with white space runs (including no-break spaces) collapsed to one space, invisible
/// characters (zero-width spaces, soft hyphens, BOMs) removed, and the ends trimmed.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Characters that take no room and carry no meaning in extracted text.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// The longest prefix of `s` of at most `max_bytes` bytes that ends on a `char` boundary.
pub(crate) fn prefix(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Number of characters that are not white space.
pub(crate) fn visible_len(s: &str) -> usize {
    // Most text nodes are ASCII, where a character is a byte and the white space is
    // `\t`..`\r` and the space (as `char::is_whitespace` has it: vertical tab included).
    if s.is_ascii() {
        return s.bytes().filter(|b| !matches!(b, b'\t'..=b'\r' | b' ')).count();
    }
    s.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{a0}\u{a0}c  "), "a b c");
        assert_eq!(collapse_whitespace("co\u{ad}operate\u{200b}"), "cooperate");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn prefixes_on_char_boundaries() {
        assert_eq!(prefix("héllo", 2), "h");
        assert_eq!(prefix("héllo", 3), "hé");
        assert_eq!(prefix("hi", 10), "hi");
        assert_eq!(visible_len(" a b\nc "), 3);
        assert_eq!(visible_len("\t\u{b}\u{c}\r\n x"), 1);
        assert_eq!(visible_len("\u{a0}é\u{2003}x"), 2);
        for b in 0..128u8 {
            let c = char::from(b);
            assert_eq!(visible_len(c.encode_utf8(&mut [0; 4])), usize::from(!c.is_whitespace()));
        }
    }
}
