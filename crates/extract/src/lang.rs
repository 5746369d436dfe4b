//! Telling which language an article is written in.
//!
//! ## What it detects
//! The language of the body text, as an ISO 639-1 code (`en`, `de`, `zh`).
//!
//! ## Signals
//! A text at least a fifth of whose words are common English function words is English
//! (a fast path: most news is English, and the trigram model costs tens of microseconds).
//! Otherwise whatlang's trigram model over the first KiB of body text. When the text is short or
//! whatlang is unsure, the page's own declaration (`<html lang>`, `og:locale`,
//! `Content-Language`) decides, if it has one.
//!
//! ## Known failures
//! Close languages on short texts (Danish and Norwegian, Croatian and Serbian in Latin
//! script) are often confused; a page that mixes languages gets its majority language.
//!
//! ## Example
//! "Le gouvernement a annoncé une réforme" gives `fr`.

use whatlang::Lang;

/// The ISO 639-1 code for the language of `text`, falling back on the page's declared
/// language (any BCP 47 tag, such as `en-US`) when the text does not say clearly.
pub fn identify(text: &str, declared: Option<&str>) -> Option<String> {
    let declared = declared.and_then(primary_subtag);
    let sample = crate::normalize::prefix(text, 1024);
    if is_plainly_english(sample) {
        return Some("en".to_owned());
    }
    let detected = whatlang::detect(sample)
        .filter(|info| sample.len() >= 80 && (info.is_reliable() || info.confidence() > 0.5));
    match (detected.map(|info| iso639_1(info.lang())), declared) {
        (Some(code), _) => Some(code.to_owned()),
        (None, Some(declared)) => Some(declared),
        (None, None) => None,
    }
}

/// The language of each paragraph, where a page mixes them (`lede analyze` says which
/// parts were read in which language): a paragraph of 80 bytes or more is identified on
/// its own, by its first `PARAGRAPH_SAMPLE` bytes, a shorter one (a dateline, a caption,
/// "Read more") gets `page`'s language, the article's as [`identify`] found it. Ingest
/// does not call it. Cost: the trigram model on a whole KiB of every paragraph took 316 ms
/// over the 258 fundus pages, as long as extracting them (327 ms; release, one thread).
/// So the function words of 12 languages (`FUNCTION_WORDS`) decide first, with one
/// look-up a word: a paragraph of fewer than 8 words is in the page's language; one whose
/// page language has a tenth of its words and as many as any other is in it; one where
/// another language has a fifth and the most is in that one; the model reads 160 bytes
/// of the rest.
pub fn paragraph_languages<S: AsRef<str>>(
    paragraphs: &[S],
    page: Option<&str>,
) -> Vec<Option<String>> {
    let page_index = page.and_then(|p| FUNCTION_WORDS.iter().position(|(code, _)| *code == p));
    paragraphs
        .iter()
        .map(|p| {
            let p = p.as_ref();
            if p.len() < 80 {
                return page.map(str::to_owned);
            }
            let sample = crate::normalize::prefix(p, PARAGRAPH_SAMPLE);
            let (words, hits) = function_word_hits(sample);
            if words < 8 {
                return page.map(str::to_owned);
            }
            let best = (0..FUNCTION_WORDS.len()).max_by_key(|&i| (hits[i], Some(i) == page_index));
            if let Some(i) = page_index
                && hits[i] * 10 >= words
                && best.is_some_and(|b| hits[i] >= hits[b])
            {
                return page.map(str::to_owned);
            }
            if let Some(b) = best
                && hits[b] * 5 >= words
            {
                return Some(FUNCTION_WORDS[b].0.to_owned());
            }
            identify(sample, page)
        })
        .collect()
}

/// The words of `sample`, and how many of them are function words of each language of
/// [`FUNCTION_WORDS`] (a word may count for several).
fn function_word_hits(sample: &str) -> (usize, [usize; FUNCTION_WORDS.len()]) {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, u16>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = std::collections::HashMap::new();
        for (i, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
            for w in *list {
                *index.entry(*w).or_insert(0u16) |= 1 << i;
            }
        }
        index
    });
    let mut hits = [0usize; FUNCTION_WORDS.len()];
    let mut words = 0usize;
    let mut lower = String::new();
    for w in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.len() > 12 {
            continue;
        }
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        if let Some(&mask) = index.get(lower.as_str()) {
            for (i, h) in hits.iter_mut().enumerate() {
                *h += usize::from(mask & (1 << i) != 0);
            }
        }
    }
    (words, hits)
}

/// The bytes of a paragraph [`paragraph_languages`] reads: two sentences or so, enough
/// for the trigram model (which wants 80) and a tenth of the page's sample.
const PARAGRAPH_SAMPLE: usize = 160;

/// English function words; a text a fifth or more of whose words are these is English.
const ENGLISH: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at",
    "it", "from", "be", "this", "are", "have", "has", "an", "will", "said", "not", "but", "their",
    "his", "her", "they", "which", "were", "been", "who", "would",
];

/// A fast path before the trigram model, which costs tens of microseconds a call: most
/// news is English, and English text says so in its commonest words.
fn is_plainly_english(sample: &str) -> bool {
    let (words, hits) = function_words(sample, ENGLISH);
    words >= 30 && hits * 5 >= words
}

/// The commonest function words of the languages most news is written in, lower-cased:
/// a paragraph of a page in one of them is told to be in it by these alone.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    ("en", ENGLISH),
    (
        "de",
        &[
            "der", "die", "das", "und", "in", "den", "von", "zu", "mit", "sich", "des", "auf",
            "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "er",
            "hat", "aus", "bei", "sie", "nach", "wird", "sei", "dass",
        ],
    ),
    (
        "fr",
        &[
            "de", "la", "le", "et", "les", "des", "en", "un", "une", "du", "est", "que", "qui",
            "dans", "pour", "pas", "au", "sur", "par", "il", "elle", "a", "ont", "aux", "avec",
            "ce", "se", "plus", "sont", "été",
        ],
    ),
    (
        "es",
        &[
            "de", "la", "que", "el", "en", "y", "los", "del", "se", "las", "por", "un", "una",
            "para", "con", "no", "al", "lo", "es", "su", "como", "más", "pero", "sus", "ha", "fue",
            "este", "entre",
        ],
    ),
    (
        "it",
        &[
            "di", "e", "il", "la", "che", "in", "a", "per", "un", "una", "del", "della", "è",
            "non", "si", "le", "da", "con", "i", "gli", "al", "ha", "sono", "anche", "nel", "alla",
            "dei", "come",
        ],
    ),
    (
        "pt",
        &[
            "de", "a", "o", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "os",
            "no", "na", "se", "por", "mais", "as", "dos", "das", "foi", "ao", "como", "é", "seu",
            "sua",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "in", "is", "op", "te", "dat", "die", "niet", "met",
            "voor", "zijn", "er", "aan", "ook", "als", "bij", "door", "om", "heeft", "werd",
            "naar", "wordt",
        ],
    ),
    (
        "ru",
        &[
            "в",
            "и",
            "не",
            "на",
            "что",
            "с",
            "по",
            "как",
            "это",
            "он",
            "она",
            "к",
            "из",
            "за",
            "от",
            "о",
            "для",
            "его",
            "также",
            "был",
            "была",
            "были",
            "которые",
            "у",
            "так",
            "но",
        ],
    ),
    (
        "uk",
        &[
            "в",
            "у",
            "і",
            "й",
            "та",
            "на",
            "що",
            "не",
            "з",
            "із",
            "до",
            "за",
            "як",
            "це",
            "від",
            "по",
            "для",
            "також",
            "був",
            "була",
            "які",
            "але",
        ],
    ),
    (
        "pl",
        &[
            "w", "i", "na", "z", "się", "nie", "do", "to", "że", "jest", "o", "jak", "po", "co",
            "od", "za", "przez", "oraz", "jego", "ale", "które", "był",
        ],
    ),
    (
        "sv",
        &[
            "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den",
            "har", "de", "inte", "om", "ett", "men", "var", "från", "vid",
        ],
    ),
    (
        "tr",
        &[
            "ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "en",
            "olan", "ama", "değil", "kadar", "sonra", "ise", "her", "mi",
        ],
    ),
];

/// The words of `sample`, and how many of them are in `list` (any case).
fn function_words(sample: &str, list: &[&str]) -> (usize, usize) {
    let mut words = 0usize;
    let mut hits = 0usize;
    let mut lower = String::new();
    for w in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.len() <= 12 {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            hits += usize::from(list.contains(&lower.as_str()));
        }
    }
    (words, hits)
}

/// `en` from `en-US`, `EN_gb` or `en`; `None` for tags that are not a language code.
fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// ISO 639-1 for the languages whatlang knows.
fn iso639_1(lang: Lang) -> &'static str {
    use Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_languages() {
        let en = "It was a grim assessment that echoed the words of the president's top diplomat, who left a meeting in Moscow.";
        assert_eq!(identify(en, None).as_deref(), Some("en"));
        let fr = "Le gouvernement a annoncé mardi une réforme importante des retraites, qui sera présentée au Parlement en janvier.";
        assert_eq!(
            identify(fr, Some("en")).as_deref(),
            Some("fr"),
            "the text beats the declaration"
        );
        let de = "Die Bundesregierung hat am Dienstag eine umfassende Reform der Rente angekündigt, die im Januar kommt.";
        assert_eq!(identify(de, None).as_deref(), Some("de"));
    }

    #[test]
    fn each_long_paragraph_is_identified_and_short_ones_take_the_pages_language() {
        let paragraphs = [
            "BERLIN (dpa)",
            "Die Bundesregierung hat am Dienstag eine umfassende Reform der Rente angekündigt, die im Januar kommt.",
            "\"We will not accept this,\" the minister said in English at the press conference on Tuesday morning in Berlin.",
        ];
        assert_eq!(
            paragraph_languages(&paragraphs, Some("de")),
            [Some("de".to_owned()), Some("de".to_owned()), Some("en".to_owned())]
        );
        assert_eq!(paragraph_languages(&["kurz"], None), [None]);
        let english_page = [
            "The minister said on Tuesday that the talks with the delegation would go on for a week.",
            "Le ministre a déclaré mardi que les discussions avec la délégation se poursuivront.",
            "Apple, Google, Microsoft, Amazon, Meta, Nvidia, Tesla, Netflix, Oracle, Intel, AMD.",
        ];
        assert_eq!(
            paragraph_languages(&english_page, Some("en")),
            [Some("en".to_owned()), Some("fr".to_owned()), Some("en".to_owned())]
        );
    }

    #[test]
    fn short_text_falls_back_on_the_declaration() {
        assert_eq!(identify("OK", Some("pt-BR")).as_deref(), Some("pt"));
        assert_eq!(identify("OK", Some("x-klingon")), None);
        assert_eq!(identify("", None), None);
    }
}
