//! Words as clustering compares them: lower-cased runs of letters and digits, two
//! characters or more, stop words out, hashed with a fixed xxh3 seed (the hashes are
//! stored, so one build must read what another wrote).

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of word hashes.
const TERM_SEED: u64 = 0x6c65_6465_7465_726d; // "ledeterm"
/// Seed of entity-name hashes: another space than words ("Georgia" the place and the
/// word "georgia" are different features).
const ENTITY_SEED: u64 = 0x6c65_6465_656e_7469; // "ledeenti"
/// Longest word kept (longer runs are URLs, hashes, base64).
const MAX_WORD: usize = 30;

/// Function words that say nothing about what a story is about (the usual English list,
/// plus the words of news and press-release boilerplate that every story has), sorted.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "according", "across", "after", "afterwards", "again", "against",
    "all", "almost", "alone", "along", "already", "also", "although", "always", "am", "among",
    "amongst", "an", "and", "another", "any", "anyhow", "anyone", "anything", "anyway",
    "anywhere", "are", "aren", "around", "as", "at", "back", "be", "became", "because",
    "become", "becomes", "becoming", "been", "before", "beforehand", "behind", "being",
    "below", "beside", "besides", "between", "beyond", "both", "but", "by", "can", "cannot",
    "could", "did", "didn", "do", "does", "doesn", "doing", "don", "done", "down", "due",
    "during", "each", "eg", "either", "else", "elsewhere", "enough", "etc", "even", "ever",
    "every", "everyone", "everything", "everywhere", "except", "few", "for", "former",
    "formerly", "from", "further", "get", "going", "got", "had", "has", "have", "having", "he",
    "hence", "her", "here", "hereafter", "hereby", "herein", "hers", "herself", "him",
    "himself", "his", "how", "however", "ie", "if", "in", "indeed", "into", "is", "isn", "it",
    "its", "itself", "just", "last", "latter", "least", "less", "like", "ll", "made", "make",
    "many", "may", "me", "meanwhile", "might", "more", "moreover", "most", "mostly", "much",
    "must", "my", "myself", "namely", "neither", "never", "nevertheless", "new", "next", "no",
    "nobody", "none", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on",
    "once", "one", "only", "onto", "or", "other", "others", "otherwise", "our", "ours",
    "ourselves", "out", "over", "own", "per", "perhaps", "please", "put", "rather", "re",
    "said", "same", "say", "says", "see", "seem", "seemed", "seeming", "seems", "several",
    "she", "should", "since", "so", "some", "somehow", "someone", "something", "sometime",
    "sometimes", "somewhere", "still", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore",
    "therein", "thereupon", "these", "they", "this", "those", "though", "through",
    "throughout", "thru", "thus", "time", "to", "together", "told", "too", "toward", "towards",
    "under", "until", "up", "upon", "us", "ve", "very", "via", "want", "was", "wasn", "way",
    "we", "well", "were", "what", "whatever", "when", "whence", "whenever", "where",
    "whereafter", "whereas", "whereby", "wherein", "whereupon", "wherever", "whether", "which",
    "while", "whither", "who", "whoever", "whole", "whom", "whose", "why", "will", "with",
    "within", "without", "won", "would", "year", "years", "yet", "you", "your", "yours",
    "yourself", "yourselves",
];

/// Whether `word` (lower-case) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Calls `f` with each word of `text` that clustering keeps, lower-cased, in text order.
pub fn words(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::with_capacity(32);
    for run in text.split(|c: char| !c.is_alphanumeric()) {
        if run.is_empty() || run.len() > MAX_WORD * 4 {
            continue;
        }
        buf.clear();
        for c in run.chars() {
            buf.extend(c.to_lowercase());
        }
        let chars = buf.chars().count();
        if !(2..=MAX_WORD).contains(&chars) || is_stop_word(&buf) {
            continue;
        }
        f(&buf);
    }
}

/// The stored hash of a word.
pub fn term_hash(word: &str) -> u32 {
    xxh3_64_with_seed(word.as_bytes(), TERM_SEED) as u32
}

/// The stored hash of an entity's canonical name.
pub(crate) fn entity_hash(name: &str) -> u32 {
    xxh3_64_with_seed(name.as_bytes(), ENTITY_SEED) as u32
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
        assert!(all("").is_empty());
        assert!(all(&"x".repeat(100)).is_empty());
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("yourselves") && !is_stop_word("putin"));
    }

    /// xxh3-64 of "shutdown" with seed "ledeterm", low 32 bits (Python's `xxhash` agrees).
    const PINNED_SHUTDOWN: u32 = 1_043_756_558;

    #[test]
    fn hashes_are_stable_and_spaces_apart() {
        // Stored on disk: a change here is a format change.
        assert_eq!(term_hash("putin"), term_hash("putin"));
        assert_ne!(term_hash("georgia"), entity_hash("georgia"));
        assert_eq!(term_hash("shutdown"), PINNED_SHUTDOWN);
    }
}
