//! The lexicon: the word lists every stage shares, each with the one job it does.
//!
//! English only for now: each list is a property of the language, and issue 12's languages
//! will add theirs beside these.

use std::sync::LazyLock;

/// Words a period follows without ending a sentence (lower-case; titles, company suffixes,
/// short month names, "No." before a number).
#[rustfmt::skip]
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
    "capt", "prof", "rev", "hon", "inc", "co", "corp", "ltd", "no", "vs", "etc", "jan", "feb",
    "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ft", "mt", "ave", "blvd", "dept",
    "univ", "assn", "bros", "est", "approx", "pres", "supt", "messrs", "adm", "brig", "cmdr",
    "maj", "fig", "vol", "op", "pp",
];

/// Whether a period after `word` ends an abbreviation or an initial ("Mr.", "E."), not a
/// sentence.
pub fn is_abbreviation(word: &str) -> bool {
    is_initial(word) || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Whether `word` is one capital letter, as a name's initial is ("E" of "José E. Serrano").
pub fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
}

/// Words that say nothing about what a story is about: the usual English function words,
/// plus the words of news and press-release boilerplate that every story has ("said",
/// "according", "year"). Sorted, for [`is_stop_word`].
#[rustfmt::skip]
pub const STOP_WORDS: &[&str] = &[
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

/// Whether `lower` (a lower-cased word) is a stop word.
pub fn is_stop_word(lower: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(STOP_WORDS));
    SET.contains(lower)
}

/// Words common enough that a phrase made of them matches most documents: the search
/// index holds each pair of adjacent words with one of these as a term of its own. Part
/// of the index's format: a change needs a reindex. Sorted, for [`is_common_word`].
#[rustfmt::skip]
pub const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "during", "each", "for", "from", "had", "has", "have", "he", "her", "here", "his", "how", "i",
    "if", "in", "into", "is", "it", "its", "more", "most", "my", "new", "no", "not", "now", "of",
    "on", "one", "only", "or", "other", "our", "out", "over", "said", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "under", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "will", "with", "would", "you", "your",
];

/// Whether `lower` (a lower-cased word) is a common word.
pub fn is_common_word(lower: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(COMMON_WORDS));
    // No common word is longer than seven bytes: most words stop at the length test.
    lower.len() <= 7 && SET.contains(lower)
}

/// A set of short words, for the lists looked up once per word of every article: the
/// binary searches over the sorted lists, a string comparison at each step, were 7% of
/// `lede ingest` (#13).
///
/// Data structure: each word (at most [`WordSet::LONGEST`] bytes) packed into a `u128`,
/// its bytes and its length in the top byte, in an open-addressing table at most a quarter
/// full. A lookup packs the word and probes, comparing integers.
pub struct WordSet {
    slots: Box<[u128]>,
    mask: usize,
}

impl WordSet {
    /// The longest word a set holds, in bytes.
    pub const LONGEST: usize = 15;

    /// A set of `words`.
    ///
    /// # Panics
    ///
    /// If a word is empty or longer than [`WordSet::LONGEST`] bytes: the lists are
    /// constants, and a test builds each.
    pub fn new(words: &[&str]) -> WordSet {
        let capacity = (words.len() * 4).next_power_of_two().max(16);
        let mut set = WordSet { slots: vec![0; capacity].into_boxed_slice(), mask: capacity - 1 };
        for w in words {
            let key = pack(w).unwrap_or_else(|| panic!("{w:?} cannot be in a WordSet"));
            let mut i = set.home(key);
            while set.slots[i] != 0 && set.slots[i] != key {
                i = (i + 1) & set.mask;
            }
            set.slots[i] = key;
        }
        set
    }

    /// Whether `word` is in the set.
    pub fn contains(&self, word: &str) -> bool {
        let Some(key) = pack(word) else { return false };
        let mut i = self.home(key);
        loop {
            match self.slots[i] {
                0 => return false,
                k if k == key => return true,
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    fn home(&self, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (x.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 40) as usize & self.mask
    }
}

/// `word` as one integer (never 0), or `None` when it is empty or too long for a
/// [`WordSet`].
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > WordSet::LONGEST {
        return None;
    }
    let mut packed = [0u8; 16];
    packed[..bytes.len()].copy_from_slice(bytes);
    packed[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(packed))
}

/// Words that carry no meaning of their own (articles, prepositions, pronouns, auxiliaries,
/// the pieces of contractions): swapping one for another is editing, not spinning.
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would",
    "can", "could", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i",
    "you", "his", "her", "their", "our", "my", "your", "not", "no", "re", "s", "ll", "ve", "d",
    "t", "m",
];

/// Whether `lower` (a lower-cased word) is a function word.
pub fn is_function_word(lower: &str) -> bool {
    FUNCTION_WORDS.contains(&lower)
}

/// English month names as datelines write them, full and short.
#[rustfmt::skip]
pub const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"];

/// Whether `word` is a month name or its short form ("May", "Sept", "December").
pub fn is_month(word: &str) -> bool {
    MONTHS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searched_lists_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(COMMON_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(COMMON_WORDS.iter().all(|w| w.len() <= 7));
    }

    #[test]
    fn lists_answer() {
        assert!(is_stop_word("the") && is_stop_word("yourselves") && !is_stop_word("putin"));
        assert!(is_common_word("the") && !is_common_word("shutdown"));
        assert!(is_function_word("of") && !is_function_word("help"));
        assert!(is_abbreviation("Mr") && is_abbreviation("gov") && is_abbreviation("J"));
        assert!(!is_abbreviation("j") && !is_abbreviation("Putin"));
        assert!(is_month("Sept") && is_month("May") && !is_month("Moscow"));
    }

    #[test]
    fn word_sets_hold_exactly_their_lists() {
        for list in [STOP_WORDS, COMMON_WORDS, FUNCTION_WORDS, ABBREVIATIONS] {
            let set = WordSet::new(list);
            assert!(list.iter().all(|w| set.contains(w)));
            for w in list {
                // A word one byte longer or shorter, or the same bytes with another length,
                // is another word.
                assert_eq!(
                    set.contains(&format!("{w}s")),
                    list.contains(&format!("{w}s").as_str())
                );
                assert_eq!(set.contains(&w[1..]), list.contains(&&w[1..]));
                assert!(!set.contains(&format!("{w}\0")));
            }
            assert!(!set.contains("") && !set.contains("x".repeat(40).as_str()));
        }
    }

    proptest::proptest! {
        #[test]
        fn word_sets_agree_with_the_sorted_lists(w in "[a-z]{0,17}|\\PC{0,6}") {
            proptest::prop_assert_eq!(is_stop_word(&w), STOP_WORDS.binary_search(&w.as_str()).is_ok());
            proptest::prop_assert_eq!(is_common_word(&w), COMMON_WORDS.binary_search(&w.as_str()).is_ok());
        }
    }

    /// The common words are part of the search index's format.
    #[test]
    fn the_common_words_are_those_the_index_was_built_with() {
        assert_eq!(COMMON_WORDS.len(), 97);
    }
}
