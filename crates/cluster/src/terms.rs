//! Story terms: the words of lede-text that clustering keeps (two to thirty characters,
//! stop words out), with their stored hashes. Chinese and Japanese, which lede-text reads a
//! character a word, give the pairs of adjacent characters instead (most of their words
//! are two characters long: 普京, 会见), as CJK search engines index bigrams.

pub(crate) use lede_text::hash::entity_hash;
pub use lede_text::hash::term_hash;
pub use lede_text::lexicon::is_stop_word;

/// Longest word kept, in characters (longer runs are URLs, hashes, base64).
const MAX_WORD: usize = 30;

/// Calls `f` with each word of `text` that clustering keeps, lower-cased, in text order.
pub fn words(text: &str, mut f: impl FnMut(&str)) {
    // The ideograph just read, and where it ended, for the next one's pair.
    let mut previous: Option<(usize, char)> = None;
    let mut pair = String::with_capacity(8);
    lede_text::words::each_word(text, |span, lower| {
        let mut chars = lower.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && lede_text::words::is_ideograph(c)
        {
            if let Some((end, p)) = previous
                && end == span.start
            {
                pair.clear();
                pair.push(p);
                pair.push(c);
                f(&pair);
            }
            previous = Some((span.end, c));
            return;
        }
        previous = None;
        // A run of more than MAX_WORD four-byte characters is too long however it is
        // counted: skip counting.
        if span.len() > MAX_WORD * 4 {
            return;
        }
        let chars = lower.chars().count();
        if (2..=MAX_WORD).contains(&chars) && !is_stop_word(lower) {
            f(lower);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn keeps_content_words_lower_cased() {
        assert_eq!(
            all("The U.S. Secretary met Putin in Moscow, 2017; it's a 50-50 call."),
            ["secretary", "met", "putin", "moscow", "2017", "50", "50", "call"]
        );
        assert_eq!(all("Ünïcödé ÉTÉ 東京"), ["ünïcödé", "été", "東京"]);
        assert_eq!(all("普京会见。蒂"), ["普京", "京会", "会见"]);
        assert!(all("").is_empty());
        assert!(all(&"x".repeat(100)).is_empty());
    }

    #[test]
    fn story_terms_leave_stop_words_out() {
        assert!(is_stop_word("the") && !is_stop_word("putin"));
        assert_ne!(term_hash("georgia"), entity_hash("georgia"));
    }
}
