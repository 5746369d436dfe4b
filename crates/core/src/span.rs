//! Byte ranges into a text.
//!
//! A [`Span`] is a half-open byte range `start..end`. Stages hand out spans into texts they
//! own (an article's paragraphs, a plain-text page), and every span they hand out falls on
//! `char` boundaries, so slicing with it never panics.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A half-open byte range `start..end` into some text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; an inverted pair is ordered first.
    pub fn new(start: usize, end: usize) -> Span {
        if start <= end { Span { start, end } } else { Span { start: end, end: start } }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The range form, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether both ends fall inside `text` and on `char` boundaries.
    pub fn is_valid_in(self, text: &str) -> bool {
        self.end <= text.len()
            && text.is_char_boundary(self.start)
            && text.is_char_boundary(self.end)
    }

    /// The slice of `text` this span covers, or `None` if it does not fit `text`.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.range())
    }

    /// This span shifted right by `offset` bytes.
    pub fn shifted(self, offset: usize) -> Span {
        Span { start: self.start + offset, end: self.end + offset }
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_and_validates() {
        let text = "Café au lait";
        let s = Span::new(0, 5);
        assert_eq!(s.slice(text), Some("Café"));
        assert!(s.is_valid_in(text));
        assert!(!Span::new(0, 4).is_valid_in(text), "4 is inside 'é'");
        assert_eq!(Span::new(0, 4).slice(text), None);
        assert!(!Span::new(0, 99).is_valid_in(text));
    }

    #[test]
    fn inverted_pairs_are_ordered() {
        assert_eq!(Span::new(7, 3), Span { start: 3, end: 7 });
        assert_eq!(Span::new(7, 3).len(), 4);
        assert!(Span::new(2, 2).is_empty());
        assert_eq!(Span::from(1..3).shifted(10), Span::new(11, 13));
    }
}
