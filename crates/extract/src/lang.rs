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
/// its own, a shorter one (a dateline, a caption, "Read more") gets `page`'s language,
/// the article's as [`identify`] found it. Costs one identification a long paragraph;
/// ingest does not call it.
pub fn paragraph_languages<S: AsRef<str>>(
    paragraphs: &[S],
    page: Option<&str>,
) -> Vec<Option<String>> {
    paragraphs
        .iter()
        .map(|p| {
            let p = p.as_ref();
            if p.len() < 80 { page.map(str::to_owned) } else { identify(p, page) }
        })
        .collect()
}

/// English function words; a text a fifth or more of whose words are these is English.
const ENGLISH: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at",
    "it", "from", "be", "this", "are", "have", "has", "an", "will", "said", "not", "but", "their",
    "his", "her", "they", "which", "were", "been", "who", "would",
];

/// A fast path before the trigram model, which costs tens of microseconds a call: most
/// news is English, and English text says so in its commonest words.
fn is_plainly_english(sample: &str) -> bool {
    let mut words = 0usize;
    let mut hits = 0usize;
    for w in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.len() <= 5 && w.is_ascii() && ENGLISH.iter().any(|e| e.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    words >= 30 && hits * 5 >= words
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
    }

    #[test]
    fn short_text_falls_back_on_the_declaration() {
        assert_eq!(identify("OK", Some("pt-BR")).as_deref(), Some("pt"));
        assert_eq!(identify("OK", Some("x-klingon")), None);
        assert_eq!(identify("", None), None);
    }
}
