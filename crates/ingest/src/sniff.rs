//! Telling web pages from binary files by their first bytes.
//!
//! ## What it detects
//! Files that are not text: PDF, images, audio and video, archives, executables, and
//! anything else whose first 8 KiB hold NUL bytes or many control characters.
//!
//! ## Signals
//! Magic numbers at offset 0 (and `ftyp` at offset 4 for ISO media); then the share of
//! bytes below 0x20 other than tab, line feed, form feed, carriage return and escape.
//!
//! ## Known failures
//! UTF-16 text without a byte-order mark is full of NUL bytes and is called binary; with a
//! BOM it is recognised as text. A text file that starts with a PDF's `%PDF-` is called a PDF.
//!
//! ## Example
//! `%PDF-1.7 ...` is "a PDF document"; `<!doctype html>` is text.

/// The gzip magic number.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// What a binary file looks like, or `None` if it looks like text.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (&[0xff, 0xd8, 0xff], "a JPEG image"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x7fELF", "an executable"),
        (b"MZ", "a Windows executable"),
        (b"ID3", "an MP3 file"),
        (b"OggS", "an Ogg media file"),
        (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
        (b"BZh", "a bzip2 archive"),
        (b"\xfd7zXZ\x00", "an xz archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"Rar!\x1a\x07", "a RAR archive"),
        (b"\x28\xb5\x2f\xfd", "a zstd archive"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"wOFF", "a web font"),
        (b"wOF2", "a web font"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(what);
        }
    }
    if bytes.starts_with(b"RIFF") && bytes.len() >= 12 {
        return Some(match &bytes[8..12] {
            b"WEBP" => "a WebP image",
            b"WAVE" => "a WAV audio file",
            b"AVI " => "an AVI video",
            _ => "a RIFF media file",
        });
    }
    if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        return Some("an MP4/ISO media file");
    }
    let has_utf16_bom = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    if has_utf16_bom {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Some("binary data");
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b))
        .count();
    // Real pages carry a stray control character now and then; binary data is full of them.
    if head.len() >= 64 && control * 20 > head.len() {
        return Some("binary data");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_common_binaries() {
        assert_eq!(binary_kind(b"%PDF-1.7\n%\xe2\xe3"), Some("a PDF document"));
        assert_eq!(binary_kind(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Some("a JPEG image"));
        assert_eq!(binary_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("a WebP image"));
        assert_eq!(binary_kind(b"\0\0\0\x20ftypisom"), Some("an MP4/ISO media file"));
        assert_eq!(binary_kind(b"abc\0def"), Some("binary data"));
        let noisy: Vec<u8> = (0..200u8).map(|i| i % 16).collect();
        assert_eq!(binary_kind(&noisy[1..]), Some("binary data"));
    }

    #[test]
    fn text_is_not_binary() {
        assert_eq!(binary_kind(b"<!doctype html><p>Hello</p>"), None);
        assert_eq!(binary_kind("Putin receives\n\n16 April".as_bytes()), None);
        assert_eq!(binary_kind(b"\xff\xfe<\0h\0t\0m\0l\0"), None, "UTF-16 with BOM");
        assert!(is_gzip(&[0x1f, 0x8b, 8]));
    }
}
