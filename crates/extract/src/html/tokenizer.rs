//! A byte-oriented HTML tokenizer: tags, attributes, text and character references.
//!
//! It follows the tokenization rules of the HTML standard where they change which text a
//! page has, and skips what cannot: comments, doctypes and processing instructions are
//! dropped; `<script>`, `<style>` and the other raw-text elements end only at their own
//! end tag; `<title>` and `<textarea>` decode character references but hold no tags;
//! `<plaintext>` runs to the end; `<` that starts no tag is text; a tag cut off by the end
//! of the input is dropped; CR and CRLF become LF and NUL becomes U+FFFD.
//!
//! Text is found with `memchr` and handed over as slices of the input when it needs no
//! decoding, so most of a page is never copied. On the extraction benchmark's pages this
//! is several times faster than html5ever's tokenizer, which walks the input a character
//! at a time (see the README's speed section).
//!
//! ## Known failures
//! The "script data escaped" states are not modelled: `<!-- <script> … </script> -->`
//! inside a script ends the script early. Character references follow the standard's
//! table (2,231 names, from `web_atoms`), but numeric references to C1 control points are
//! mapped as in Windows-1252 only for 0x80–0x9F, as the standard says.

use super::tag::RawText;
use web_atoms::NAMED_ENTITIES;

/// Receives tokens.
pub(crate) trait TokenSink {
    /// A start tag. Returns how the element's content must be read.
    fn start_tag(&mut self, tag: &StartTag<'_>) -> RawText;
    /// An end tag, name lower-cased.
    fn end_tag(&mut self, name: &str);
    /// Character data, decoded.
    fn text(&mut self, text: &str);
}

/// A start tag as seen by a [`TokenSink`].
pub(crate) struct StartTag<'a> {
    /// The name, lower-cased.
    pub(crate) name: &'a str,
    /// Whether the tag ended with `/>`.
    pub(crate) self_closing: bool,
    attrs: &'a [(std::ops::Range<usize>, std::ops::Range<usize>)],
    scratch: &'a str,
}

impl<'a> StartTag<'a> {
    /// The attributes as (lower-cased name, decoded value), first occurrence of each name.
    pub(crate) fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.attrs.iter().map(|(n, v)| (&self.scratch[n.clone()], &self.scratch[v.clone()]))
    }
}

/// Tokenizes `input` into `sink`.
pub(crate) fn tokenize(input: &str, sink: &mut impl TokenSink) {
    let mut t = Tokenizer {
        input,
        bytes: input.as_bytes(),
        pos: 0,
        text: String::new(),
        scratch: String::new(),
        attrs: Vec::new(),
    };
    t.run(sink);
}

struct Tokenizer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Decoded text, when a run of text needed decoding.
    text: String,
    /// Tag names and attributes of the tag being read.
    scratch: String,
    attrs: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl Tokenizer<'_> {
    fn run(&mut self, sink: &mut impl TokenSink) {
        while self.pos < self.bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &self.bytes[self.pos..]).map(|i| self.pos + i)
            else {
                self.emit_text(sink, self.pos, self.bytes.len(), true);
                return;
            };
            self.emit_text(sink, self.pos, lt, true);
            self.pos = lt;
            match self.bytes.get(lt + 1) {
                Some(b'!') => self.markup_declaration(),
                Some(b'?') => self.skip_past(b'>', lt + 2),
                Some(b'/') => self.end_tag(sink),
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(sink),
                _ => {
                    sink.text("<");
                    self.pos = lt + 1;
                }
            }
        }
    }

    /// Text from `start` to `end`: handed over as is, or decoded when it holds `&`, CR or
    /// NUL.
    fn emit_text(&mut self, sink: &mut impl TokenSink, start: usize, end: usize, references: bool) {
        if start >= end {
            return;
        }
        let raw = &self.input[start..end];
        let needs_work = if references {
            memchr::memchr3(b'\r', 0, b'&', raw.as_bytes()).is_some()
        } else {
            memchr::memchr2(b'\r', 0, raw.as_bytes()).is_some()
        };
        if !needs_work {
            sink.text(raw);
            return;
        }
        self.text.clear();
        decode_into(raw, references, false, &mut self.text);
        sink.text(&self.text);
    }

    /// `<!--…-->`, `<!doctype…>`, `<![CDATA[…]]>` and other `<!…>`: all skipped.
    fn markup_declaration(&mut self) {
        let at = self.pos;
        if self.bytes[at..].starts_with(b"<!--") {
            let body = at + 4;
            // "<!-->" and "<!--->" are complete comments.
            if self.bytes[body..].starts_with(b">") {
                self.pos = body + 1;
            } else if self.bytes[body..].starts_with(b"->") {
                self.pos = body + 2;
            } else {
                self.pos = memchr::memmem::find(&self.bytes[body..], b"-->")
                    .map_or(self.bytes.len(), |i| body + i + 3);
            }
        } else if self.bytes[at..].starts_with(b"<![CDATA[") {
            let body = at + 9;
            self.pos = memchr::memmem::find(&self.bytes[body..], b"]]>")
                .map_or(self.bytes.len(), |i| body + i + 3);
        } else {
            self.skip_past(b'>', at + 2);
        }
    }

    fn skip_past(&mut self, byte: u8, from: usize) {
        self.pos = memchr::memchr(byte, &self.bytes[from.min(self.bytes.len())..])
            .map_or(self.bytes.len(), |i| from + i + 1);
    }

    fn end_tag(&mut self, sink: &mut impl TokenSink) {
        let start = self.pos + 2;
        match self.bytes.get(start) {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some(b'>') => {
                self.pos = start + 1; // "</>" is nothing
                return;
            }
            None => {
                sink.text("</");
                self.pos = self.bytes.len();
                return;
            }
            Some(_) => {
                self.skip_past(b'>', start); // a bogus comment
                return;
            }
        }
        self.pos = start;
        self.scratch.clear();
        self.attrs.clear();
        self.read_name();
        // End tags may carry attributes; they are read (quotes matter) and dropped.
        if self.read_attributes().is_none() {
            self.pos = self.bytes.len(); // cut off by the end of the input: dropped
            return;
        }
        sink.end_tag(&self.scratch);
    }

    fn start_tag(&mut self, sink: &mut impl TokenSink) {
        self.pos += 1;
        self.scratch.clear();
        self.attrs.clear();
        let name_end = self.read_name();
        let Some(self_closing) = self.read_attributes() else {
            self.pos = self.bytes.len(); // cut off by the end of the input: dropped
            return;
        };

        let tag = StartTag {
            name: &self.scratch[..name_end],
            self_closing,
            attrs: &self.attrs,
            scratch: &self.scratch,
        };
        let mode = sink.start_tag(&tag);
        if mode != RawText::No {
            let name = self.scratch[..name_end].to_owned();
            self.raw_text(sink, &name, mode);
        }
    }

    /// Reads a tag name into `scratch`, lower-cased; returns its end in `scratch`.
    fn read_name(&mut self) -> usize {
        let start = self.pos;
        let end = self.bytes[start..]
            .iter()
            .position(|&b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
            .map_or(self.bytes.len(), |i| start + i);
        push_lower(&self.input[start..end], &mut self.scratch);
        self.pos = end;
        self.scratch.len()
    }

    /// Reads attributes up to and including `>`. Returns whether the tag was self-closing,
    /// or `None` if the input ended first.
    fn read_attributes(&mut self) -> Option<bool> {
        let b = self.bytes;
        loop {
            while self.pos < b.len()
                && matches!(b[self.pos], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
            {
                self.pos += 1;
            }
            match b.get(self.pos)? {
                b'>' => {
                    self.pos += 1;
                    return Some(false);
                }
                b'/' => {
                    self.pos += 1;
                    if b.get(self.pos) == Some(&b'>') {
                        self.pos += 1;
                        return Some(true);
                    }
                    continue;
                }
                _ => {}
            }
            // The name: up to white space, '/', '>' or '=' (a leading '=' belongs to it).
            let name_start = self.pos;
            self.pos += 1;
            while self.pos < b.len()
                && !matches!(
                    b[self.pos],
                    b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
                )
            {
                self.pos += 1;
            }
            let n0 = self.scratch.len();
            push_lower(&self.input[name_start..self.pos], &mut self.scratch);
            let name = n0..self.scratch.len();
            while self.pos < b.len()
                && matches!(b[self.pos], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
            {
                self.pos += 1;
            }
            let v0 = self.scratch.len();
            if b.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.pos < b.len()
                    && matches!(b[self.pos], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
                {
                    self.pos += 1;
                }
                let (vs, ve, next) = match b.get(self.pos)? {
                    &q @ (b'"' | b'\'') => {
                        let vs = self.pos + 1;
                        let ve = memchr::memchr(q, &b[vs..]).map(|i| vs + i)?;
                        (vs, ve, ve + 1)
                    }
                    _ => {
                        let vs = self.pos;
                        let ve = b[vs..]
                            .iter()
                            .position(|&c| {
                                matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                            })
                            .map_or(b.len(), |i| vs + i);
                        (vs, ve, ve)
                    }
                };
                decode_into(&self.input[vs..ve], true, true, &mut self.scratch);
                self.pos = next;
            }
            let value = v0..self.scratch.len();
            let duplicate = self
                .attrs
                .iter()
                .any(|(n, _)| self.scratch[n.clone()] == self.scratch[name.clone()]);
            if !duplicate {
                self.attrs.push((name, value));
            }
        }
    }

    /// The content of a raw-text element, up to its end tag (left for the main loop).
    fn raw_text(&mut self, sink: &mut impl TokenSink, name: &str, mode: RawText) {
        let start = self.pos;
        let end = if mode == RawText::Plaintext {
            self.bytes.len()
        } else {
            self.find_end_tag(start, name)
        };
        self.emit_text(sink, start, end, mode == RawText::Rcdata);
        self.pos = end;
    }

    /// Position of the next `</name` (any case) followed by white space, `/` or `>`.
    fn find_end_tag(&self, from: usize, name: &str) -> usize {
        let b = self.bytes;
        let mut at = from;
        while let Some(i) = memchr::memmem::find(&b[at..], b"</") {
            let lt = at + i;
            let n = lt + 2;
            let matches_name =
                b.get(n..n + name.len()).is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()));
            let ends = matches!(
                b.get(n + name.len()),
                Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') | None
            );
            if matches_name && ends {
                return lt;
            }
            at = lt + 2;
        }
        b.len()
    }
}

fn push_lower(s: &str, out: &mut String) {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b == 0) {
        out.extend(s.chars().map(|c| if c == '\0' { '\u{fffd}' } else { c.to_ascii_lowercase() }));
    } else {
        out.push_str(s);
    }
}

/// Appends `raw` to `out` with CR/CRLF as LF, NUL as U+FFFD and, when `references` is
/// set, character references decoded (in attribute values when `in_attribute` is set,
/// where a legacy reference followed by a letter, digit or `=` is left as written).
fn decode_into(raw: &str, references: bool, in_attribute: bool, out: &mut String) {
    let b = raw.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < b.len() {
        match b[i] {
            b'\r' => {
                out.push_str(&raw[plain..i]);
                out.push('\n');
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                plain = i;
            }
            0 => {
                out.push_str(&raw[plain..i]);
                out.push('\u{fffd}');
                i += 1;
                plain = i;
            }
            b'&' if references => {
                if let Some((len, chars)) = char_ref(&raw[i..], in_attribute) {
                    out.push_str(&raw[plain..i]);
                    out.extend(chars.into_iter().flatten());
                    i += len;
                    plain = i;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&raw[plain..]);
}

/// The character reference at the start of `s` (which starts with `&`): its length and
/// the one or two characters it stands for.
fn char_ref(s: &str, in_attribute: bool) -> Option<(usize, [Option<char>; 2])> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, digits_from) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[digits_from..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let text = &s[digits_from..digits_from + digits];
        let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut len = digits_from + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((len, [Some(numeric_char(value)), None]));
    }
    // Named: the longest name in the table, with its ';' if it has one.
    let name_len = b[1..].iter().take(32).take_while(|c| c.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return None;
    }
    let with_semicolon = b.get(1 + name_len) == Some(&b';');
    if with_semicolon
        && let Some(&(a, z)) = NAMED_ENTITIES.get(&s[1..2 + name_len])
        && a != 0
    {
        return Some((2 + name_len, [char::from_u32(a), char::from_u32(z).filter(|_| z != 0)]));
    }
    // Legacy references without ';' (`&amp`, `&copy2019`): the longest that matches.
    for len in (2..=name_len.min(6)).rev() {
        if let Some(&(a, z)) = NAMED_ENTITIES.get(&s[1..1 + len]) {
            if a == 0 {
                continue;
            }
            let next = b.get(1 + len).copied();
            if in_attribute && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
                return None;
            }
            return Some((1 + len, [char::from_u32(a), char::from_u32(z).filter(|_| z != 0)]));
        }
    }
    None
}

/// The character a numeric reference stands for, with the standard's replacements.
fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{fffd}',
        0x80..=0x9f => web_atoms::C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        v => char::from_u32(v).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Record(Vec<String>);

    impl TokenSink for Record {
        fn start_tag(&mut self, tag: &StartTag<'_>) -> RawText {
            let attrs: Vec<String> = tag.attrs().map(|(n, v)| format!("{n}={v}")).collect();
            self.0.push(format!(
                "<{}{}{}{}>",
                tag.name,
                if attrs.is_empty() { "" } else { " " },
                attrs.join(" "),
                if tag.self_closing { "/" } else { "" }
            ));
            match tag.name {
                "script" => RawText::Script,
                "title" => RawText::Rcdata,
                "plaintext" => RawText::Plaintext,
                _ => RawText::No,
            }
        }
        fn end_tag(&mut self, name: &str) {
            self.0.push(format!("</{name}>"));
        }
        fn text(&mut self, text: &str) {
            match self.0.last_mut() {
                Some(last) if !last.starts_with('<') => last.push_str(text),
                _ => self.0.push(text.to_owned()),
            }
        }
    }

    fn tokens(html: &str) -> Vec<String> {
        let mut r = Record::default();
        tokenize(html, &mut r);
        r.0
    }

    #[test]
    fn tags_and_attributes() {
        assert_eq!(
            tokens(r#"<DIV Class="a b" id=x data-x='1' hidden>t</Div>"#),
            ["<div class=a b id=x data-x=1 hidden=>", "t", "</div>"]
        );
        assert_eq!(tokens("<br/><img src=a.png />"), ["<br/>", "<img src=a.png/>"]);
        assert_eq!(tokens("<a href=x href=y>"), ["<a href=x>"]);
        assert_eq!(tokens("<p title='a > b'>x"), ["<p title=a > b>", "x"]);
    }

    #[test]
    fn text_and_references() {
        assert_eq!(
            tokens("a &amp; b &lt;c&gt; &#8212; &#x2014; &copy2019 &notit; &nosuch;"),
            ["a & b <c> — — ©2019 ¬it; &nosuch;"]
        );
        assert_eq!(tokens("<a href=\"?a=1&copy=2&amp;b\">"), ["<a href=?a=1&copy=2&b>"]);
        assert_eq!(tokens("a\r\nb\rc\0"), ["a\nb\nc\u{fffd}"]);
        assert_eq!(tokens("&#128; &#0; &#x110000;"), ["€ \u{fffd} \u{fffd}"]);
        assert_eq!(tokens("1 < 2 <3 </ 4"), ["1 < 2 <3 "]);
    }

    #[test]
    fn comments_doctypes_and_raw_text() {
        assert_eq!(tokens("<!doctype html><!-- c --><!----><p>x<?php y ?>z"), ["<p>", "xz"]);
        assert_eq!(
            tokens("<script>if (a<b && c) '</div>'</script>x"),
            ["<script>", "if (a<b && c) '</div>'", "</script>", "x"]
        );
        assert_eq!(tokens("<script>x</SCRIPT >y"), ["<script>", "x", "</script>", "y"]);
        assert_eq!(tokens("<title>a &amp; <b></title>"), ["<title>", "a & <b>", "</title>"]);
        assert_eq!(tokens("<plaintext><p>x"), ["<plaintext>", "<p>x"]);
        assert_eq!(tokens("<!-- never closed <p>x"), Vec::<String>::new());
    }

    #[test]
    fn truncated_input() {
        assert_eq!(tokens("x<div class=\"a"), ["x"]);
        assert_eq!(tokens("x<div"), ["x"]);
        assert_eq!(tokens("x</"), ["x</"]);
        assert_eq!(tokens("<script>never ends"), ["<script>", "never ends"]);
    }
}
