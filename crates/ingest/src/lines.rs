//! Reading lines under a length cap, without ever holding more than the cap.

use std::io::{self, BufRead};

/// One line, or the news that it was too long (and skipped).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line's bytes, without the line break.
    Text(Vec<u8>),
    /// The line had more than the cap; its bytes were skipped.
    TooLong,
}

/// Reads `reader` line by line; a line longer than `max` bytes is skipped.
pub(crate) struct CappedLines<R> {
    reader: R,
    max: usize,
    /// Lines read so far (the number of the last line returned).
    pub(crate) line: u64,
    done: bool,
}

impl<R: BufRead> CappedLines<R> {
    pub(crate) fn new(reader: R, max: usize) -> CappedLines<R> {
        CappedLines { reader, max, line: 0, done: false }
    }

    /// Stops reading: every later call returns `None`.
    pub(crate) fn finish(&mut self) {
        self.done = true;
    }

    /// The next line, or `None` at the end.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line>> {
        if self.done {
            return Ok(None);
        }
        let mut buf = Vec::new();
        let mut too_long = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                self.done = true;
                if buf.is_empty() && !too_long {
                    return Ok(None);
                }
                break;
            }
            let (take, found) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if buf.len() + take > self.max + 1 {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take);
            if found {
                break;
            }
        }
        self.line += 1;
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(Some(Line::Text(buf)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_lines() {
        let input = b"one\r\ntwo\nthis line is too long\nlast";
        let mut lines = CappedLines::new(&input[..], 8);
        assert_eq!(lines.next_line().unwrap(), Some(Line::Text(b"one".to_vec())));
        assert_eq!(lines.next_line().unwrap(), Some(Line::Text(b"two".to_vec())));
        assert_eq!(lines.next_line().unwrap(), Some(Line::TooLong));
        assert_eq!(lines.next_line().unwrap(), Some(Line::Text(b"last".to_vec())));
        assert_eq!(lines.line, 4);
        assert_eq!(lines.next_line().unwrap(), None);
        assert_eq!(CappedLines::new(&b""[..], 8).next_line().unwrap(), None);
    }
}
