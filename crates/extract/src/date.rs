//! Reading publication dates written the ways pages write them, in the languages news is
//! written in.
//!
//! The data are tables, one home for every language: [`MONTH_NAMES`] (month names with
//! their abbreviations and grammatical cases, per language), [`UNITS`], [`AGO_BEFORE`],
//! [`AGO_AFTER`] and [`DAY_WORDS`] (relative forms). The patterns only give a date its
//! shape (day, month word, year, in some order); whether a word is a month is looked up
//! afterwards, after [`fold`] (lower case, accents of Greek and hamza of Arabic taken off),
//! which keeps the patterns small and the tables easy to extend.
//!
//! ## What it detects
//! A calendar date, optionally with a time of day and a zone, inside a line of text or a
//! metadata value: `2019-11-19T10:30:00-05:00`, `16 April, 2017, 00:53`,
//! `Nov. 19, 2019 at 3:45 p.m. ET`, `Tue, 19 Nov 2019 10:30:00 GMT`, `19.11.2019`,
//! `19 de noviembre de 2019`, `12 марта 2017 г.`, `12 Απριλίου 2017`, `١٢ آذار ٢٠١٧`,
//! `2017. április 12.`, `2017年4月12日 14:30`, `令和5年4月12日`, `2017년 4월 12일`,
//! `१२ अप्रैल २०१७`, `2019/11/19`. With a reference time (the page's fetch or WARC date),
//! also relative forms ([`find_relative`]: `vor 2 Stunden`, `hace 3 días`, `2 часа назад`,
//! `3 小时前`, `3시간 전`, `منذ 3 ساعات`, `gestern, 14:30`) and datelines without a year
//! ([`find_dateline`]: `MOSCOU, 12 avril (Reuters) -`).
//!
//! ## Signals
//! ISO 8601 forms; day-month-year, month-day-year and year-month-day with month names in
//! about 25 languages and five scripts (Latin, Cyrillic, Greek, Arabic in its Levant,
//! Egyptian and Maghreb names, Devanagari); CJK dates with 年月日 or 년월일 and Japanese
//! era years (令和, 平成); Arabic-Indic, Persian, Devanagari and full-width digits, read as
//! ASCII digits ([`Normalized`]); numeric dates; a following time (`00:53`, `3:45 p.m.`,
//! `15h30`, `14時30分`, `下午2:30`) with an optional zone (`Z`, `GMT`, `+05:30`, `EST`, and
//! `ET`/`PT`/`CT`/`MT`, which take their daylight-saving offset from the date under US
//! rules). A weekday before a date (`Mittwoch, 12. April 2017`, `Среда, 12 апреля`) is
//! left out of the match or kept in the span, never read as a month.
//!
//! ## Known failures
//! A numeric date whose day and month are both 12 or less, with slashes (`04/05/2019`), is
//! ambiguous between US and European order and is not read at all; with dots
//! (`04.05.2019`) it is read day first. Two-digit years are not read. A time given before
//! the date (`3:45 PM, Nov 19, 2019`) loses its time. Relative forms in months or years
//! (`vor 2 Monaten`) are not resolved (too coarse for a publication date), and neither is
//! anything relative without a reference time: the extractor never reads the clock.
//! Hindi `कल` (yesterday or tomorrow) is not read. Lunar and Hijri calendars are not read.
//!
//! ## Example
//! `16 April, 2017, 00:53 | Author: Cecelia Webb` gives `2017-04-16T00:53`, raw text
//! `16 April, 2017, 00:53`, and no zone.

use lede_core::{Span, Timestamp};
use regex::{Captures, Regex};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A date found in a text: what it says and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub(crate) at: Timestamp,
    pub(crate) span: Span,
}

/// Month names per language (ISO 639-1 code first, for the tests and for whoever extends
/// it): twelve entries, January first, each the forms of that month separated by `|`
/// (full names, grammatical cases, abbreviations). A form may appear in several languages
/// but always for the same month (a test checks). Forms are compared after [`fold`].
pub(crate) const MONTH_NAMES: &[(&str, [&str; 12])] = &[
    (
        "en",
        [
            "january|jan",
            "february|feb",
            "march|mar",
            "april|apr",
            "may",
            "june|jun",
            "july|jul",
            "august|aug",
            "september|sept|sep",
            "october|oct",
            "november|nov",
            "december|dec",
        ],
    ),
    (
        "de",
        [
            "januar|jänner|jän",
            "februar|feber",
            "märz|mär|maerz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober|okt",
            "november",
            "dezember|dez",
        ],
    ),
    (
        "fr",
        [
            "janvier|janv",
            "février|fevrier|févr|fevr|fév",
            "mars",
            "avril|avr",
            "mai",
            "juin",
            "juillet|juil",
            "août|aout",
            "septembre",
            "octobre",
            "novembre",
            "décembre|decembre|déc",
        ],
    ),
    (
        "es",
        [
            "enero|ene",
            "febrero",
            "marzo",
            "abril|abr",
            "mayo",
            "junio",
            "julio",
            "agosto|ago",
            "septiembre|setiembre",
            "octubre",
            "noviembre",
            "diciembre|dic",
        ],
    ),
    (
        "it",
        [
            "gennaio|gen",
            "febbraio",
            "marzo",
            "aprile",
            "maggio|mag",
            "giugno|giu",
            "luglio|lug",
            "agosto",
            "settembre|set",
            "ottobre|ott",
            "novembre",
            "dicembre",
        ],
    ),
    (
        "pt",
        [
            "janeiro",
            "fevereiro|fev",
            "março|marco",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro|out",
            "novembro",
            "dezembro",
        ],
    ),
    (
        "ca",
        [
            "gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre",
            "octubre", "novembre", "desembre",
        ],
    ),
    (
        "nl",
        [
            "januari",
            "februari",
            "maart|mrt",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
    ),
    (
        "sv",
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
    ),
    (
        "da",
        [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
    ),
    (
        "no",
        [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember|des",
        ],
    ),
    (
        "fi",
        [
            "tammikuuta|tammikuu",
            "helmikuuta|helmikuu",
            "maaliskuuta|maaliskuu",
            "huhtikuuta|huhtikuu",
            "toukokuuta|toukokuu",
            "kesäkuuta|kesäkuu",
            "heinäkuuta|heinäkuu",
            "elokuuta|elokuu",
            "syyskuuta|syyskuu",
            "lokakuuta|lokakuu",
            "marraskuuta|marraskuu",
            "joulukuuta|joulukuu",
        ],
    ),
    (
        "pl",
        [
            "styczeń|stycznia|sty",
            "luty|lutego|lut",
            "marzec|marca",
            "kwiecień|kwietnia|kwi",
            "maj|maja",
            "czerwiec|czerwca|cze",
            "lipiec|lipca|lip",
            "sierpień|sierpnia|sie",
            "wrzesień|września|wrz",
            "październik|października|paź",
            "listopad|listopada|lis",
            "grudzień|grudnia|gru",
        ],
    ),
    (
        "cs",
        [
            "leden|ledna",
            "únor|února",
            "březen|března",
            "duben|dubna",
            "květen|května",
            "červen|června",
            "červenec|července",
            "srpen|srpna",
            "září",
            "říjen|října",
            "listopad|listopadu",
            "prosinec|prosince",
        ],
    ),
    (
        "sk",
        [
            "január|januára",
            "február|februára",
            "marec|marca",
            "apríl|apríla",
            "máj|mája",
            "jún|júna",
            "júl|júla",
            "august|augusta",
            "september|septembra",
            "október|októbra",
            "november|novembra",
            "december|decembra",
        ],
    ),
    (
        "hu",
        [
            "január",
            "február|febr",
            "március|márc",
            "április|ápr",
            "május|máj",
            "június|jún",
            "július|júl",
            "augusztus",
            "szeptember|szept",
            "október",
            "november",
            "december",
        ],
    ),
    (
        "ro",
        [
            "ianuarie|ian",
            "februarie",
            "martie",
            "aprilie",
            "mai",
            "iunie|iun",
            "iulie|iul",
            "august",
            "septembrie",
            "octombrie",
            "noiembrie|noi",
            "decembrie",
        ],
    ),
    (
        "hr",
        [
            "siječnja|siječanj",
            "veljače|veljača",
            "ožujka|ožujak",
            "travnja|travanj",
            "svibnja|svibanj",
            "lipnja|lipanj",
            "srpnja|srpanj",
            "kolovoza|kolovoz",
            "rujna|rujan",
            "",
            "studenoga|studenog|studeni",
            "prosinca|prosinac",
        ],
    ),
    (
        "tr",
        [
            "ocak|oca",
            "şubat|şub",
            "mart",
            "nisan|nis",
            "mayıs",
            "haziran|haz",
            "temmuz|tem",
            "ağustos|ağu",
            "eylül|eyl",
            "ekim|eki",
            "kasım|kas",
            "aralık|ara",
        ],
    ),
    (
        "id",
        [
            "januari",
            "februari|pebruari",
            "maret",
            "april",
            "mei",
            "juni",
            "juli",
            "agustus|agu",
            "september",
            "oktober",
            "november|nopember",
            "desember",
        ],
    ),
    (
        "ru",
        [
            "январь|января|янв",
            "февраль|февраля|фев|февр",
            "март|марта",
            "апрель|апреля|апр",
            "май|мая",
            "июнь|июня|июн",
            "июль|июля|июл",
            "август|августа|авг",
            "сентябрь|сентября|сен|сент",
            "октябрь|октября|окт",
            "ноябрь|ноября|ноя|нояб",
            "декабрь|декабря|дек",
        ],
    ),
    (
        "uk",
        [
            "січень|січня|січ",
            "лютий|лютого|лют",
            "березень|березня|бер",
            "квітень|квітня|квіт",
            "травень|травня|трав",
            "червень|червня|черв",
            "липень|липня|лип",
            "серпень|серпня|серп",
            "вересень|вересня|вер",
            "жовтень|жовтня|жовт",
            "листопад|листопада|лист",
            "грудень|грудня|груд",
        ],
    ),
    (
        "bg",
        [
            "януари",
            "февруари",
            "март",
            "април",
            "май",
            "юни",
            "юли",
            "август",
            "септември",
            "октомври",
            "ноември",
            "декември",
        ],
    ),
    (
        "sr",
        [
            "јануар",
            "фебруар",
            "март",
            "април",
            "мај",
            "јун",
            "јул",
            "август",
            "септембар",
            "октобар",
            "новембар",
            "децембар",
        ],
    ),
    (
        "el",
        [
            "ιανουάριος|ιανουαρίου|ιαν",
            "φεβρουάριος|φεβρουαρίου|φεβ",
            "μάρτιος|μαρτίου|μαρ",
            "απρίλιος|απριλίου|απρ",
            "μάιος|μαΐου|μαΐ",
            "ιούνιος|ιουνίου|ιουν",
            "ιούλιος|ιουλίου|ιουλ",
            "αύγουστος|αυγούστου|αυγ",
            "σεπτέμβριος|σεπτεμβρίου|σεπ",
            "οκτώβριος|οκτωβρίου|οκτ",
            "νοέμβριος|νοεμβρίου|νοε",
            "δεκέμβριος|δεκεμβρίου|δεκ",
        ],
    ),
    // Arabic: the Egyptian and Gulf names (from the French and English ones), the Levant
    // and Iraq names (Syriac), Morocco's (from the French, as spoken) and Algeria's and
    // Tunisia's. Hamza forms are folded (أبريل = ابريل = إبريل).
    (
        "ar",
        [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو|يونيه",
            "يوليو|يوليه",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
    ),
    (
        "ar",
        [
            "كانون الثاني",
            "شباط",
            "آذار",
            "نيسان",
            "أيار",
            "حزيران",
            "تموز",
            "آب",
            "أيلول",
            "تشرين الأول",
            "تشرين الثاني",
            "كانون الأول",
        ],
    ),
    (
        "ar",
        [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "ماي",
            "يونيو",
            "يوليوز",
            "غشت",
            "شتنبر",
            "أكتوبر",
            "نونبر",
            "دجنبر",
        ],
    ),
    (
        "ar",
        [
            "جانفي",
            "فيفري",
            "مارس",
            "أفريل",
            "ماي",
            "جوان",
            "جويلية",
            "أوت",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
    ),
    (
        "fa",
        [
            "ژانویه",
            "فوریه",
            "مارس",
            "آوریل",
            "مه",
            "ژوئن",
            "ژوئیه",
            "اوت",
            "سپتامبر",
            "اکتبر",
            "نوامبر",
            "دسامبر",
        ],
    ),
    (
        "hi",
        [
            "जनवरी",
            "फ़रवरी|फरवरी",
            "मार्च",
            "अप्रैल|अप्रेल",
            "मई",
            "जून",
            "जुलाई",
            "अगस्त",
            "सितंबर|सितम्बर",
            "अक्टूबर|अक्तूबर",
            "नवंबर|नवम्बर",
            "दिसंबर|दिसम्बर",
        ],
    ),
];

/// `word` as month names are compared: lower case; Turkish dotless and dotted i as `i`;
/// Greek without accents or diaeresis and with one sigma; Arabic alef without hamza or
/// madda, alef maqsura as ya; Devanagari nukta letters as their base letters; a final
/// full stop dropped.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.trim_end_matches('.').chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ı' => 'i',
            '\u{307}' | '\u{93c}' => continue,
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ϊ' | 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            'ς' => 'σ',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ی' => 'ي',
            'ک' => 'ك',
            '\u{958}' => 'क',
            '\u{959}' => 'ख',
            '\u{95a}' => 'ग',
            '\u{95b}' => 'ज',
            '\u{95c}' => 'ड',
            '\u{95d}' => 'ढ',
            '\u{95e}' => 'फ',
            '\u{95f}' => 'य',
            c => c,
        };
        out.push(c);
    }
    out
}

static MONTHS: LazyLock<FxHashMap<String, u8>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for (_, months) in MONTH_NAMES {
        for (i, forms) in months.iter().enumerate() {
            // Croatian's October (`listopad`) is Polish and Czech November: left empty.
            for form in forms.split('|').filter(|f| !f.is_empty()) {
                map.insert(fold(form), i as u8 + 1);
            }
        }
    }
    map
});

fn month_number(name: &str) -> Option<u8> {
    let name = name.trim();
    if let Some(&m) = MONTHS.get(&fold(name)) {
        return Some(m);
    }
    // An Arabic month of one word followed by some other word: the first word alone.
    let first = name.split_whitespace().next()?;
    (first.len() < name.len()).then(|| MONTHS.get(&fold(first)).copied()).flatten()
}

// Digits are written `[0-9]`, not `\d`: Unicode's `\d` (the digits of every script) made
// these patterns the biggest start-up cost of `lede analyze` (about 6% of a 181-page run
// compiling them), and the numbers they capture are parsed as ASCII digits anyway. Other
// scripts' digits are made ASCII before matching (see `Normalized`).

/// Letters of the scripts month names are written in: Latin with its extensions, Greek,
/// Cyrillic, Arabic (without its digits and punctuation) and Devanagari (without its
/// digits and dandas), as explicit ranges (the regex build has no Unicode classes).
const LETTER: &str = r"a-zà-öø-ÿ\x{100}-\x{24f}\x{370}-\x{3ff}\x{1f00}-\x{1fff}\x{400}-\x{4ff}\x{621}-\x{64a}\x{64b}-\x{65f}\x{671}-\x{6d3}\x{698}\x{6a9}\x{6af}\x{6cc}\x{900}-\x{963}\x{971}-\x{97f}";

/// A month name's shape; whether it is one is checked against [`MONTH_NAMES`] afterwards,
/// which keeps the patterns small (an alternation of every name is slow to compile). The
/// second word is for Arabic's two-word months (`تشرين الثاني`).
static MONTH: LazyLock<String> =
    LazyLock::new(|| format!(r"[{LETTER}]{{2,14}}(?:\s[\x{{621}}-\x{{64a}}]{{2,8}})?"));

const WEEKDAY: &str = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\.?,?\s+";
const TIME: &str = r"(?:\s*(?:,|\||-|–|—|·|/|\bat\b|\bà\b|\bum\b|\ba las\b|\balle\b|\bàs\b|\bom\b|\bkl\.?|\bgodz\.?|\bsaat\b|\bв\b|\bо\b|T)?\s*(?P<h>[0-9]{1,2})[:.h](?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?:[^A-Za-z0-9_]|$))?(?:\s*(?P<zone>Z\b|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}\b|(?:UTC|GMT)?\s?[+-][0-9]{1,2}(?::?[0-9]{2})?\b|[ECMP][SD]?T\b|BST\b|CES?T\b|JST\b|AES?DT\b|AEST\b|MSK\b))?)?";
/// What may follow a year before the time: Russian `г.`, Ukrainian `р.`, Polish `r.`.
const YEAR_TAIL: &str = r"(?:\s?(?:г|р|r)\.)?";

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})(?:[T ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9})[0-9]*)?)?\s?(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2}|[+-][0-9]{2}\b)?)?")
        .expect("valid ISO regex")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    let month = &*MONTH;
    let pattern = format!(
        r"(?i)\b(?:{WEEKDAY})?(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|d[’']\s*|of\s+)?(?P<mo>{month})\b\.?,?\s*(?:de\s+|del\s+)?(?P<y>[0-9]{{4}})\b{YEAR_TAIL}{TIME}"
    );
    Regex::new(&pattern).expect("valid day-month regex")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    let month = &*MONTH;
    let pattern = format!(
        r"(?i)\b(?:{WEEKDAY})?(?P<mo>{month})\b\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{{4}})\b{TIME}"
    );
    Regex::new(&pattern).expect("valid month-day regex")
});
/// Year, month name, day: Hungarian `2017. április 12.`, Lithuanian-like orders.
static YEAR_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    let month = &*MONTH;
    let pattern = format!(
        r"(?i)\b(?P<y>[0-9]{{4}})\.?\s+(?P<mo>{month})\b\.?\s+(?P<d>[0-9]{{1,2}})\b\.?{TIME}"
    );
    Regex::new(&pattern).expect("valid year-month-day regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"\b(?P<a>[0-9]{{1,2}})(?P<sep>[./])\s?(?P<b>[0-9]{{1,2}})[./]\s?(?P<y>[0-9]{{4}})\b{TIME}"
    );
    Regex::new(&pattern).expect("valid numeric regex")
});
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    let pattern =
        format!(r"\b(?P<y>[0-9]{{4}})[/.](?P<mo>[0-9]{{1,2}})[/.](?P<d>[0-9]{{1,2}})\b{TIME}");
    Regex::new(&pattern).expect("valid year-first regex")
});
/// Chinese, Japanese and Korean dates: `2017年4月12日`, `2017년 4월 12일`, `令和5年4月12日`,
/// then an optional weekday in brackets and a time (`14:30`, `14時30分`, `下午2:30`,
/// `오후 2:30`). No `\b`: these run into the words around them.
static CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<y>[0-9]{4})|(?P<era>令和|平成)\s*(?P<ey>元|[0-9]{1,2}))\s*[年년]\s*(?P<mo>[0-9]{1,2})\s*[月월]\s*(?P<d>[0-9]{1,2})\s*[日号號일]?(?:\s*[(（][^)）]{1,4}[)）])?(?:\s*(?:(?P<pm>下午|午後|오후)|上午|午前|오전)?\s*(?P<h>[0-9]{1,2})\s*[:時时시]\s*(?P<mi>[0-9]{1,2})(?:\s*[:分분]\s*(?:(?P<s>[0-9]{2})\s*秒?)?)?)?")
        .expect("valid CJK regex")
});

/// A text with other scripts' digits (and the full-width colon) made ASCII, and where each
/// of its bytes came from, so that spans found in it can be told in the original.
pub(crate) struct Normalized<'a> {
    pub(crate) text: Cow<'a, str>,
    /// For each byte of `text` and one past its end, the offset in the original; `None`
    /// when `text` is the original.
    map: Option<Vec<usize>>,
}

/// The ASCII digit (or colon) that `c` writes, for digits of other scripts.
fn ascii_equivalent(c: char) -> Option<char> {
    let base = match c {
        '٠'..='٩' => '٠',
        '۰'..='۹' => '۰',
        '०'..='९' => '०',
        '０'..='９' => '０',
        '：' => return Some(':'),
        _ => return None,
    };
    char::from_digit(c as u32 - base as u32, 10)
}

impl<'a> Normalized<'a> {
    pub(crate) fn new(text: &'a str) -> Normalized<'a> {
        // Every character to replace is outside ASCII: a pure ASCII text is its own.
        if text.is_ascii() || !text.chars().any(|c| ascii_equivalent(c).is_some()) {
            return Normalized { text: Cow::Borrowed(text), map: None };
        }
        let mut out = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let c = ascii_equivalent(c).unwrap_or(c);
            for _ in 0..c.len_utf8() {
                map.push(i);
            }
            out.push(c);
        }
        map.push(text.len());
        Normalized { text: Cow::Owned(out), map: Some(map) }
    }

    /// `span` of the normalized text as a span of the original.
    pub(crate) fn original(&self, span: Span) -> Span {
        match &self.map {
            None => span,
            Some(map) => Span::new(map[span.start], map[span.end]),
        }
    }

    fn found(&self, found: Option<FoundDate>) -> Option<FoundDate> {
        found.map(|f| FoundDate { at: f.at, span: self.original(f.span) })
    }
}

/// The first date written in `text`, with where it is.
pub(crate) fn find_date(text: &str) -> Option<FoundDate> {
    // Patterns are tried on a bounded prefix: a date is never far into a dateline, and a
    // hostile page must not make this slow.
    let text = crate::normalize::prefix(text, 2000);
    let normalized = Normalized::new(text);
    normalized.found(find_ascii_digits(&normalized.text))
}

fn find_ascii_digits(text: &str) -> Option<FoundDate> {
    let mut best: Option<FoundDate> = None;
    let mut consider = |found: Option<FoundDate>| {
        if let Some(f) = found {
            let better = match &best {
                None => true,
                Some(b) => {
                    f.span.start < b.span.start
                        || (f.span.start == b.span.start && f.span.end > b.span.end)
                }
            };
            if better {
                best = Some(f);
            }
        }
    };
    consider(ISO.captures_iter(text).find_map(|c| from_iso(&c)));
    // Month names need letters: a text of digits and punctuation (most metadata values,
    // which are ISO) skips the named patterns.
    if text.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80) {
        consider(DAY_MONTH.captures_iter(text).find_map(|c| from_named(&c)));
        consider(MONTH_DAY.captures_iter(text).find_map(|c| from_named(&c)));
        consider(YEAR_MONTH_DAY.captures_iter(text).find_map(|c| from_named(&c)));
    }
    if !text.is_ascii() {
        consider(CJK.captures_iter(text).find_map(|c| from_cjk(text, &c)));
    }
    consider(NUMERIC.captures_iter(text).find_map(|c| from_numeric(&c)));
    consider(YEAR_FIRST.captures_iter(text).find_map(|c| from_year_first(&c)));
    best
}

fn num(c: &Captures<'_>, name: &str) -> Option<u32> {
    c.name(name)?.as_str().parse().ok()
}

fn span_of(c: &Captures<'_>) -> Span {
    let m = c.get(0).expect("group 0 always matches");
    // Trailing separators (a comma before a time that did not come) are not the date's.
    let trimmed = m.as_str().trim_end_matches([' ', ',', '|', '-', '–', '—', '·', '/']);
    Span::new(m.start(), m.start() + trimmed.len())
}

fn from_iso(c: &Captures<'_>) -> Option<FoundDate> {
    let date =
        Timestamp::date(num(c, "y")? as i32, num(c, "mo")? as u8, num(c, "d")? as u8).ok()?;
    let mut at = date;
    if let (Some(h), Some(mi)) = (num(c, "h"), num(c, "mi")) {
        at = at.with_time(h as u8, mi as u8).ok()?;
        if let Some(s) = num(c, "s") {
            at = at.with_second(s as u8).ok()?;
        }
        if let Some(f) = c.name("f") {
            let digits = f.as_str();
            let iso = format!("{at}.{digits}");
            at = Timestamp::parse_iso(&iso).ok()?;
        }
        if let Some(zone) = c.name("zone") {
            at = with_zone(at, zone.as_str())?;
        }
    }
    Some(FoundDate { at, span: span_of(c) })
}

fn from_named(c: &Captures<'_>) -> Option<FoundDate> {
    let month = month_number(c.name("mo")?.as_str())?;
    let date = Timestamp::date(num(c, "y")? as i32, month, num(c, "d")? as u8).ok()?;
    with_time(c, date)
}

fn from_cjk(text: &str, c: &Captures<'_>) -> Option<FoundDate> {
    let m = c.get(0).expect("group 0 always matches");
    // 12017年: not a year.
    if text[..m.start()].ends_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    let year = match (num(c, "y"), c.name("era"), c.name("ey")) {
        (Some(y), _, _) => y as i32,
        (None, Some(era), Some(ey)) => {
            let n = if ey.as_str() == "元" { 1 } else { ey.as_str().parse::<i32>().ok()? };
            // Year 1 of Reiwa is 2019, of Heisei 1989.
            n + if era.as_str() == "令和" { 2018 } else { 1988 }
        }
        _ => return None,
    };
    let date = Timestamp::date(year, num(c, "mo")? as u8, num(c, "d")? as u8).ok()?;
    let date_end = c.name("d").map_or(m.end(), |d| d.end());
    let timed = (|| {
        let mut h = num(c, "h")?;
        if c.name("pm").is_some() && (1..12).contains(&h) {
            h += 12;
        }
        let mut at = date.with_time(h as u8, num(c, "mi")? as u8).ok()?;
        if let Some(s) = num(c, "s") {
            at = at.with_second(s as u8).ok()?;
        }
        Some(at)
    })();
    Some(match timed {
        Some(at) => FoundDate { at, span: span_of(c) },
        None => {
            // The date's own characters: through 日 or 일 when written.
            let rest = &text[date_end..m.end()];
            let unit = rest.chars().next().filter(|ch| "日号號일".contains(*ch));
            let end = date_end + unit.map_or(0, char::len_utf8);
            FoundDate { at: date, span: Span::new(m.start(), end) }
        }
    })
}

fn from_numeric(c: &Captures<'_>) -> Option<FoundDate> {
    let (a, b) = (num(c, "a")? as u8, num(c, "b")? as u8);
    let dotted = c.name("sep").is_some_and(|s| s.as_str() == ".");
    let (day, month) = if a > 12 || dotted {
        (a, b)
    } else if b > 12 {
        (b, a)
    } else {
        return None; // 04/05/2019: US or European order? Not guessed.
    };
    let date = Timestamp::date(num(c, "y")? as i32, month, day).ok()?;
    with_time(c, date)
}

fn from_year_first(c: &Captures<'_>) -> Option<FoundDate> {
    let date =
        Timestamp::date(num(c, "y")? as i32, num(c, "mo")? as u8, num(c, "d")? as u8).ok()?;
    with_time(c, date)
}

/// Adds the time and zone captured after a date, when they make sense.
fn with_time(c: &Captures<'_>, date: Timestamp) -> Option<FoundDate> {
    let span = span_of(c);
    let (Some(mut h), Some(mi)) = (num(c, "h"), num(c, "mi")) else {
        return Some(FoundDate { at: date, span: date_only_span(c, span) });
    };
    if let Some(ampm) = c.name("ampm") {
        if h == 0 || h > 12 {
            return Some(FoundDate { at: date, span: date_only_span(c, span) });
        }
        let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let Ok(mut at) = date.with_time(h as u8, mi as u8) else {
        return Some(FoundDate { at: date, span: date_only_span(c, span) });
    };
    if let Some(s) = num(c, "s") {
        at = at.with_second(s as u8).ok()?;
    }
    if let Some(zone) = c.name("zone") {
        at = with_zone(at, zone.as_str()).unwrap_or(at);
    }
    Some(FoundDate { at, span })
}

/// The span of the date part alone, when the time after it was not usable.
fn date_only_span(c: &Captures<'_>, full: Span) -> Span {
    let end = c.name("y").map_or(full.end, |y| y.end());
    Span::new(full.start, end.min(full.end).max(full.start))
}

/// `at` with the offset that `zone` names.
fn with_zone(at: Timestamp, zone: &str) -> Option<Timestamp> {
    let z = zone.trim().trim_start_matches("UTC").trim_start_matches("GMT").trim();
    if z.is_empty() || z.eq_ignore_ascii_case("z") {
        return at.with_offset_minutes(0).ok();
    }
    if let Some(rest) = z.strip_prefix(['+', '-']) {
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
            4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
            _ => return None,
        };
        return at.with_offset_minutes(sign * (h * 60 + m)).ok();
    }
    let hours = match z.to_ascii_uppercase().as_str() {
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "BST" | "CET" => 1,
        "CEST" => 2,
        "JST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "ET" => us_zone(at, -5),
        "CT" => us_zone(at, -6),
        "MT" => us_zone(at, -7),
        "PT" => us_zone(at, -8),
        _ => return None,
    };
    at.with_offset_minutes(hours * 60).ok()
}

/// A US zone's offset on `at`'s date: standard time plus one hour from the second Sunday
/// of March to the first Sunday of November (the rules since 2007).
fn us_zone(at: Timestamp, standard: i32) -> i32 {
    let (y, m, d) = (at.year(), at.month(), at.day());
    let dst = match m {
        4..=10 => true,
        3 => d >= nth_sunday(y, 3, 2),
        11 => d < nth_sunday(y, 11, 1),
        _ => false,
    };
    standard + i32::from(dst)
}

/// Day of the month of the `n`th Sunday.
fn nth_sunday(year: i32, month: u8, n: u8) -> u8 {
    let first = Timestamp::date(year, month, 1).expect("the first of a month exists");
    // 1970-01-01 was a Thursday: day 0 -> weekday 4 (Sunday = 0).
    let weekday = ((first.unix_seconds().div_euclid(86_400) + 4).rem_euclid(7)) as u8;
    let first_sunday = 1 + (7 - weekday) % 7;
    first_sunday + 7 * (n - 1)
}

// ---------------------------------------------------------------- relative forms

/// A unit of relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

impl Unit {
    fn seconds(self) -> i64 {
        match self {
            Unit::Minute => 60,
            Unit::Hour => 3600,
            Unit::Day => 86_400,
            Unit::Week => 7 * 86_400,
        }
    }
}

/// Words for units of relative time in every case and number they take after a numeral,
/// with the count a word implies when no numeral is written (Arabic duals: `ساعتين`, two
/// hours).
const UNITS: &[(&str, Unit, u32)] = &[
    // English, German, French, Spanish, Italian, Portuguese, Dutch, Nordic.
    ("minutes", Unit::Minute, 1),
    ("minute", Unit::Minute, 1),
    ("mins", Unit::Minute, 1),
    ("min", Unit::Minute, 1),
    ("hours", Unit::Hour, 1),
    ("hour", Unit::Hour, 1),
    ("hrs", Unit::Hour, 1),
    ("hr", Unit::Hour, 1),
    ("days", Unit::Day, 1),
    ("day", Unit::Day, 1),
    ("weeks", Unit::Week, 1),
    ("week", Unit::Week, 1),
    ("minuten", Unit::Minute, 1),
    ("stunden", Unit::Hour, 1),
    ("stunde", Unit::Hour, 1),
    ("std", Unit::Hour, 1),
    ("tagen", Unit::Day, 1),
    ("tag", Unit::Day, 1),
    ("wochen", Unit::Week, 1),
    ("woche", Unit::Week, 1),
    ("heures", Unit::Hour, 1),
    ("heure", Unit::Hour, 1),
    ("jours", Unit::Day, 1),
    ("jour", Unit::Day, 1),
    ("semaines", Unit::Week, 1),
    ("semaine", Unit::Week, 1),
    ("minutos", Unit::Minute, 1),
    ("minuto", Unit::Minute, 1),
    ("minuti", Unit::Minute, 1),
    ("horas", Unit::Hour, 1),
    ("hora", Unit::Hour, 1),
    ("ore", Unit::Hour, 1),
    ("ora", Unit::Hour, 1),
    ("días", Unit::Day, 1),
    ("día", Unit::Day, 1),
    ("dias", Unit::Day, 1),
    ("dia", Unit::Day, 1),
    ("giorni", Unit::Day, 1),
    ("giorno", Unit::Day, 1),
    ("semanas", Unit::Week, 1),
    ("semana", Unit::Week, 1),
    ("settimane", Unit::Week, 1),
    ("settimana", Unit::Week, 1),
    ("minuut", Unit::Minute, 1),
    ("uur", Unit::Hour, 1),
    ("dagen", Unit::Day, 1),
    ("dag", Unit::Day, 1),
    ("weken", Unit::Week, 1),
    ("minuter", Unit::Minute, 1),
    ("minutter", Unit::Minute, 1),
    ("minut", Unit::Minute, 1),
    ("timmar", Unit::Hour, 1),
    ("timme", Unit::Hour, 1),
    ("timer", Unit::Hour, 1),
    ("time", Unit::Hour, 1),
    ("dagar", Unit::Day, 1),
    ("dager", Unit::Day, 1),
    ("dage", Unit::Day, 1),
    ("veckor", Unit::Week, 1),
    ("vecka", Unit::Week, 1),
    ("uker", Unit::Week, 1),
    ("uger", Unit::Week, 1),
    // Polish, Czech, Turkish.
    ("minuty", Unit::Minute, 1),
    ("minutę", Unit::Minute, 1),
    ("godziny", Unit::Hour, 1),
    ("godzinę", Unit::Hour, 1),
    ("godzin", Unit::Hour, 1),
    ("dni", Unit::Day, 1),
    ("dzień", Unit::Day, 1),
    ("tygodnie", Unit::Week, 1),
    ("tygodni", Unit::Week, 1),
    ("tydzień", Unit::Week, 1),
    ("minutami", Unit::Minute, 1),
    ("minutou", Unit::Minute, 1),
    ("hodinami", Unit::Hour, 1),
    ("hodinou", Unit::Hour, 1),
    ("dny", Unit::Day, 1),
    ("dnem", Unit::Day, 1),
    ("týdny", Unit::Week, 1),
    ("týdnem", Unit::Week, 1),
    ("dakika", Unit::Minute, 1),
    ("saat", Unit::Hour, 1),
    ("gün", Unit::Day, 1),
    ("hafta", Unit::Week, 1),
    // Russian, Ukrainian, Greek.
    ("минуты", Unit::Minute, 1),
    ("минуту", Unit::Minute, 1),
    ("минут", Unit::Minute, 1),
    ("мин", Unit::Minute, 1),
    ("часов", Unit::Hour, 1),
    ("часа", Unit::Hour, 1),
    ("час", Unit::Hour, 1),
    ("дней", Unit::Day, 1),
    ("дня", Unit::Day, 1),
    ("день", Unit::Day, 1),
    ("недели", Unit::Week, 1),
    ("недель", Unit::Week, 1),
    ("неделю", Unit::Week, 1),
    ("хвилини", Unit::Minute, 1),
    ("хвилину", Unit::Minute, 1),
    ("хвилин", Unit::Minute, 1),
    ("хв", Unit::Minute, 1),
    ("години", Unit::Hour, 1),
    ("годину", Unit::Hour, 1),
    ("годин", Unit::Hour, 1),
    ("год", Unit::Hour, 1),
    ("днів", Unit::Day, 1),
    ("дні", Unit::Day, 1),
    ("тижні", Unit::Week, 1),
    ("тижнів", Unit::Week, 1),
    ("тиждень", Unit::Week, 1),
    ("λεπτά", Unit::Minute, 1),
    ("λεπτό", Unit::Minute, 1),
    ("ώρες", Unit::Hour, 1),
    ("ώρα", Unit::Hour, 1),
    ("ημέρες", Unit::Day, 1),
    ("μέρες", Unit::Day, 1),
    ("ημέρα", Unit::Day, 1),
    ("μέρα", Unit::Day, 1),
    ("εβδομάδες", Unit::Week, 1),
    // Arabic (plural, singular, dual), Hindi.
    ("دقائق", Unit::Minute, 1),
    ("دقيقتين", Unit::Minute, 2),
    ("دقيقة", Unit::Minute, 1),
    ("ساعات", Unit::Hour, 1),
    ("ساعتين", Unit::Hour, 2),
    ("ساعة", Unit::Hour, 1),
    ("أيام", Unit::Day, 1),
    ("ايام", Unit::Day, 1),
    ("يومين", Unit::Day, 2),
    ("يوم", Unit::Day, 1),
    ("أسابيع", Unit::Week, 1),
    ("أسبوعين", Unit::Week, 2),
    ("أسبوع", Unit::Week, 1),
    ("मिनट", Unit::Minute, 1),
    ("घंटे", Unit::Hour, 1),
    ("घंटा", Unit::Hour, 1),
    ("दिन", Unit::Day, 1),
    ("सप्ताह", Unit::Week, 1),
    ("हफ्ते", Unit::Week, 1),
    // Chinese, Japanese, Korean.
    ("分钟", Unit::Minute, 1),
    ("分鐘", Unit::Minute, 1),
    ("个小时", Unit::Hour, 1),
    ("個小時", Unit::Hour, 1),
    ("小时", Unit::Hour, 1),
    ("小時", Unit::Hour, 1),
    ("时间", Unit::Hour, 1),
    ("時間", Unit::Hour, 1),
    ("天", Unit::Day, 1),
    ("日", Unit::Day, 1),
    ("周", Unit::Week, 1),
    ("週間", Unit::Week, 1),
    ("週", Unit::Week, 1),
    ("分", Unit::Minute, 1),
    ("시간", Unit::Hour, 1),
    ("분", Unit::Minute, 1),
    ("일", Unit::Day, 1),
    ("주", Unit::Week, 1),
];

/// Words written before a span of time to say it is past: `vor 2 Stunden`, `hace 3 días`.
const AGO_BEFORE: &[&str] = &[
    "vor",
    "hace",
    "il y a",
    "il ya",
    "há",
    "ha",
    "för",
    "před",
    "πριν από",
    "πριν",
    "منذ",
    "قبل",
    "prije",
    "pred",
];

/// Words written after a span of time to say it is past: `2 часа назад`, `3 小时前`.
const AGO_AFTER: &[&str] = &[
    "ago",
    "назад",
    "тому",
    "fa",
    "geleden",
    "sedan",
    "siden",
    "temu",
    "önce",
    "πριν",
    "पहले",
    "以前",
    "前",
    "전",
];

/// Words for one written instead of a numeral: `an hour ago`, `vor einer Stunde`.
const ONE: &[&str] = &[
    "an", "a", "one", "einer", "einem", "einen", "eine", "ein", "une", "un", "una", "uno", "uma",
    "um", "un'", "een", "bir", "jedną", "jeden", "jedna",
];

/// Days named relative to today, with how many days before today they are, and whether
/// they count only when a time follows (`hier` is French yesterday and German here).
const DAY_WORDS: &[(&str, i64, bool)] = &[
    ("today", 0, false),
    ("heute", 0, false),
    ("aujourd'hui", 0, false),
    ("aujourd’hui", 0, false),
    ("hoy", 0, false),
    ("oggi", 0, false),
    ("hoje", 0, false),
    ("vandaag", 0, false),
    ("dzisiaj", 0, false),
    ("dziś", 0, false),
    ("idag", 0, false),
    ("i dag", 0, false),
    ("сегодня", 0, false),
    ("сьогодні", 0, false),
    ("bugün", 0, false),
    ("σήμερα", 0, false),
    ("dnes", 0, false),
    ("اليوم", 0, false),
    ("今天", 0, false),
    ("今日", 0, false),
    ("오늘", 0, false),
    ("आज", 0, false),
    ("yesterday", 1, false),
    ("gestern", 1, false),
    ("hier", 1, true),
    ("ayer", 1, false),
    ("ieri", 1, false),
    ("ontem", 1, false),
    ("gisteren", 1, false),
    ("wczoraj", 1, false),
    ("igår", 1, false),
    ("i går", 1, false),
    ("вчера", 1, false),
    ("вчора", 1, false),
    ("dün", 1, false),
    ("χθες", 1, false),
    ("včera", 1, false),
    ("أمس", 1, false),
    ("امس", 1, false),
    ("البارحة", 1, false),
    ("昨天", 1, false),
    ("昨日", 1, false),
    ("어제", 1, false),
    ("vorgestern", 2, false),
    ("avant-hier", 2, false),
    ("anteayer", 2, false),
    ("позавчера", 2, false),
    ("前天", 2, false),
    ("一昨日", 2, false),
];

/// An alternation of `words`, longest first (so that `stunden` wins over `stunde`).
fn alternation<'w>(words: impl Iterator<Item = &'w str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    words.iter().map(|w| regex::escape(w).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    let before = alternation(AGO_BEFORE.iter().copied());
    let after = alternation(AGO_AFTER.iter().copied());
    let one = alternation(ONE.iter().copied());
    let units = alternation(UNITS.iter().map(|u| u.0));
    let pattern = format!(
        r"(?i)(?:(?P<pre>{before})\s+)?(?:(?P<n>[0-9]{{1,3}})|(?P<one>{one})\s*)?\s*(?P<unit>{units})(?:\s*(?P<post>{after}))?"
    );
    Regex::new(&pattern).expect("valid relative regex")
});

static DAY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let words = alternation(DAY_WORDS.iter().map(|w| w.0));
    let pattern = format!(
        r"(?i)(?P<word>{words})(?:\s*,?\s*(?:um|at|à|a las|alle|às|om|kl\.?|в|о|saat)?\s*(?P<h>[0-9]{{1,2}})[:.h時点시](?P<mi>[0-9]{{2}}))?"
    );
    Regex::new(&pattern).expect("valid day-word regex")
});

/// Whether words of `c`'s script are separated by spaces (CJK and Hangul run on).
fn spaced(c: char) -> bool {
    !matches!(c, '\u{1100}'..='\u{11ff}' | '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}')
}

/// Whether `text[start..end]` stands as whole words: no letter runs into it from a spaced
/// script.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let joins = |outer: Option<char>, inner: Option<char>| match (outer, inner) {
        (Some(o), Some(i)) => o.is_alphanumeric() && i.is_alphanumeric() && spaced(i),
        _ => false,
    };
    !joins(before, first) && !joins(after, last)
}

/// The date `days` days before `date`'s calendar day, without a time.
fn days_before(date: Timestamp, days: i64) -> Option<Timestamp> {
    let day = Timestamp::date(date.year(), date.month(), date.day()).ok()?;
    let at = Timestamp::from_unix_seconds(day.unix_seconds() - days * 86_400, None).ok()?;
    Timestamp::date(at.year(), at.month(), at.day()).ok()
}

/// The first relative date in `text` (`vor 2 Stunden`, `3 小时前`, `gestern, 14:30`),
/// resolved against `reference`, the time the page was fetched or archived. Minutes and
/// hours keep the reference's time and zone when it has them; days and weeks give a date.
pub(crate) fn find_relative(text: &str, reference: Timestamp) -> Option<FoundDate> {
    let text = crate::normalize::prefix(text, 2000);
    let normalized = Normalized::new(text);
    let t = &*normalized.text;
    let ago = RELATIVE.captures_iter(t).find_map(|c| {
        let m = c.get(0).expect("group 0 always matches");
        if (c.name("pre").is_none() && c.name("post").is_none())
            || !whole_words(t, m.start(), m.end())
        {
            return None;
        }
        let unit = c.name("unit")?.as_str().to_lowercase();
        let &(_, unit, implied) = UNITS.iter().find(|u| u.0 == unit)?;
        let n = match num(&c, "n") {
            Some(n) => i64::from(n),
            None => i64::from(implied),
        };
        let at = ago(reference, n, unit)?;
        Some(FoundDate { at, span: Span::new(m.start(), m.end()) })
    });
    let day = DAY_WORD.captures_iter(t).find_map(|c| {
        let m = c.get(0).expect("group 0 always matches");
        if !whole_words(t, m.start(), m.end()) {
            return None;
        }
        let word = c.name("word")?.as_str().to_lowercase();
        let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let &(_, back, needs_time) = DAY_WORDS.iter().find(|w| w.0 == word)?;
        let date = days_before(reference, back)?;
        match (num(&c, "h"), num(&c, "mi")) {
            (Some(h), Some(mi)) => {
                let at = date.with_time(h as u8, mi as u8).ok()?;
                Some(FoundDate { at, span: Span::new(m.start(), m.end()) })
            }
            // A bare "today" counts only as the whole of a short text ("Today",
            // "Heute aktualisiert"), not inside a sentence or a byline.
            _ if needs_time || t.trim().chars().count() > 30 => None,
            _ => Some(FoundDate { at: date, span: c.name("word")?.range().into() }),
        }
    });
    let best = match (ago, day) {
        (Some(a), Some(d)) => Some(if d.span.start < a.span.start { d } else { a }),
        (a, d) => a.or(d),
    };
    normalized.found(best)
}

/// `reference` less `n` of `unit`: a time for minutes and hours (when the reference has
/// one), a date otherwise.
fn ago(reference: Timestamp, n: i64, unit: Unit) -> Option<Timestamp> {
    if !(0..=999).contains(&n) {
        return None;
    }
    let back = n * unit.seconds();
    if matches!(unit, Unit::Minute | Unit::Hour) && reference.has_time() {
        let at = reference.unix_seconds() - back;
        let at = at - at.rem_euclid(60);
        return Timestamp::from_unix_seconds(at, reference.offset_minutes()).ok();
    }
    days_before(reference, back / 86_400)
}

// ---------------------------------------------------------------- datelines

/// A wire dateline's place: capitals (with spaces, dots, apostrophes, hyphens and a
/// bracketed agency), then a comma. Latin, Greek and Cyrillic capitals.
static DATELINE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁІЇЄҐ][A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁІЇЄҐ .'’/-]{1,40}(?:\s*\([^)]{1,40}\))?\s*,\s*")
        .expect("valid dateline regex")
});

/// A day and a month name without a year, then the end of a dateline: a bracketed agency
/// and a dash, or a dash alone.
static DAY_MONTH_NO_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    let month = &*MONTH;
    let pattern = format!(
        r"(?i)^(?:(?P<d>[0-9]{{1,2}})\.?\s*(?:de\s+)?(?P<mo>{month})|(?P<mo2>{month})\.?\s+(?P<d2>[0-9]{{1,2}}))\b\.?\s*(?:\([^)]{{1,40}}\)\s*)?[-–—:]"
    );
    Regex::new(&pattern).expect("valid dateline date regex")
});

/// A Chinese wire dateline: `新华社北京4月12日电`.
static CJK_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.{0,30}?(?P<mo>[0-9]{1,2})月(?P<d>[0-9]{1,2})日电").expect("valid CJK dateline")
});

/// The date of a dateline that opens `text` (`BERLIN, 12. April 2017 –`,
/// `MOSCOU, 12 avril (Reuters) -`, `新华社北京4月12日电`). A date with its year is read as
/// written; one without takes the year of `reference` (the year before, when that would
/// put it more than two days after the reference), and is not read without one.
pub(crate) fn find_dateline(text: &str, reference: Option<Timestamp>) -> Option<FoundDate> {
    let text = crate::normalize::prefix(text, 200);
    let normalized = Normalized::new(text);
    let t = &*normalized.text;
    if let Some(c) = CJK_DATELINE.captures(t) {
        let at = with_reference_year(reference?, num(&c, "mo")?, num(&c, "d")?)?;
        let m = c.name("mo").expect("matched").start();
        return normalized
            .found(Some(FoundDate { at, span: Span::new(m, c.name("d")?.end() + "日".len()) }));
    }
    let place = DATELINE_PLACE.find(t)?;
    let rest = &t[place.end()..];
    if let Some(found) = find_ascii_digits(crate::normalize::prefix(rest, 80))
        && found.span.start == 0
    {
        let span = Span::new(found.span.start + place.end(), found.span.end + place.end());
        return normalized.found(Some(FoundDate { at: found.at, span }));
    }
    let c = DAY_MONTH_NO_YEAR.captures(rest)?;
    let month = month_number(c.name("mo").or(c.name("mo2"))?.as_str())?;
    let day = num(&c, "d").or(num(&c, "d2"))?;
    let at = with_reference_year(reference?, u32::from(month), day)?;
    let end = c.name("mo").or(c.name("d2"))?.end().max(c.name("d").or(c.name("mo2"))?.end());
    normalized.found(Some(FoundDate { at, span: Span::new(place.end(), place.end() + end) }))
}

/// `month`/`day` in the reference's year, or the year before when that date would be more
/// than two days after the reference (a December dateline read in January).
fn with_reference_year(reference: Timestamp, month: u32, day: u32) -> Option<Timestamp> {
    let (month, day) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    let this_year = Timestamp::date(reference.year(), month, day).ok();
    match this_year {
        Some(d) if d.unix_seconds() <= reference.unix_seconds() + 2 * 86_400 => Some(d),
        _ => Timestamp::date(reference.year() - 1, month, day).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(String, &str)> {
        let f = find_date(text)?;
        Some((f.at.to_string(), &text[f.span.range()]))
    }

    #[test]
    fn the_seed_dateline() {
        assert_eq!(
            read("16 April, 2017, 00:53 | Author: Cecelia Webb"),
            Some(("2017-04-16T00:53".into(), "16 April, 2017, 00:53"))
        );
    }

    #[test]
    fn iso_forms() {
        assert_eq!(read("2019-11-19T10:30:00-05:00").unwrap().0, "2019-11-19T10:30:00-05:00");
        assert_eq!(read("2019-11-19T10:30:00.000+0000").unwrap().0, "2019-11-19T10:30:00.000Z");
        assert_eq!(read("on 2019-11-19 10:30 +01:00.").unwrap().0, "2019-11-19T10:30+01:00");
        assert_eq!(read("2019-11-19").unwrap().0, "2019-11-19");
        assert_eq!(read("2019-02-30"), None);
    }

    #[test]
    fn named_months() {
        assert_eq!(read("Nov. 19, 2019 at 3:45 p.m. ET").unwrap().0, "2019-11-19T15:45-05:00");
        assert_eq!(read("July 4, 2019 at 3:45 p.m. ET").unwrap().0, "2019-07-04T15:45-04:00");
        assert_eq!(read("Tue, 19 Nov 2019 10:30:00 GMT").unwrap().0, "2019-11-19T10:30:00Z");
        assert_eq!(
            read("Tuesday, November 19, 2019").unwrap(),
            ("2019-11-19".into(), "Tuesday, November 19, 2019")
        );
        assert_eq!(read("Published 19th November 2019").unwrap().0, "2019-11-19");
        assert_eq!(read("19. November 2019, 15:30 Uhr").unwrap().0, "2019-11-19T15:30");
        assert_eq!(read("19 de noviembre de 2019").unwrap().0, "2019-11-19");
        assert_eq!(read("le 5 août 2019 à 12h30").unwrap().0, "2019-08-05T12:30");
        assert_eq!(read("12:30 am, January 2, 2019").unwrap().0, "2019-01-02");
        assert_eq!(read("Jan 2, 2019 12:30 am").unwrap().0, "2019-01-02T00:30");
        assert_eq!(read("May 2019 budget"), None);
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(read("19/11/2019").unwrap().0, "2019-11-19");
        assert_eq!(read("11/19/2019 08:00").unwrap().0, "2019-11-19T08:00");
        assert_eq!(read("04/05/2019"), None);
        assert_eq!(read("04.05.2019").unwrap().0, "2019-05-04");
        assert_eq!(read("28. 4. 2023, 18:41 Uhr").unwrap().0, "2023-04-28T18:41");
        assert_eq!(read("2019/11/19").unwrap().0, "2019-11-19");
    }

    #[test]
    fn month_forms_agree_across_languages() {
        let mut seen: FxHashMap<String, (u8, &str)> = FxHashMap::default();
        for (lang, months) in MONTH_NAMES {
            for (i, forms) in months.iter().enumerate() {
                for form in forms.split('|').filter(|f| !f.is_empty()) {
                    let month = i as u8 + 1;
                    if let Some((other, other_lang)) = seen.insert(fold(form), (month, lang)) {
                        assert_eq!(
                            other, month,
                            "{form} is month {month} in {lang}, {other} in {other_lang}"
                        );
                    }
                    assert_eq!(month_number(form), Some(month), "{lang} {form}");
                }
            }
        }
    }

    /// Real-looking snippets per language: (language, text, date read, raw span).
    const SNIPPETS: &[(&str, &str, &str, &str)] = &[
        (
            "de",
            "Veröffentlicht am Mittwoch, 12. April 2017, 14:30 Uhr",
            "2017-04-12T14:30",
            "Mittwoch, 12. April 2017, 14:30",
        ),
        ("de", "Stand: 3. März 2023 um 09:15", "2023-03-03T09:15", "3. März 2023 um 09:15"),
        ("at", "12. Jänner 2021", "2021-01-12", "12. Jänner 2021"),
        (
            "fr",
            "Publié le mercredi 12 avril 2017 à 14h30",
            "2017-04-12T14:30",
            "mercredi 12 avril 2017 à 14h30",
        ),
        ("fr", "1er février 2024", "2024-02-01", "1er février 2024"),
        (
            "es",
            "Madrid, 12 de abril de 2017 - 14:30",
            "2017-04-12T14:30",
            "12 de abril de 2017 - 14:30",
        ),
        ("es", "Actualizado: 3 de septiembre del 2023", "2023-09-03", "3 de septiembre del 2023"),
        (
            "it",
            "Pubblicato il 12 aprile 2017 alle 14:30",
            "2017-04-12T14:30",
            "12 aprile 2017 alle 14:30",
        ),
        ("pt", "12 de abril de 2017 às 14:30", "2017-04-12T14:30", "12 de abril de 2017 às 14:30"),
        ("pt", "quarta-feira, 5 de outubro de 2022", "2022-10-05", "5 de outubro de 2022"),
        ("ca", "12 d'abril de 2017", "2017-04-12", "12 d'abril de 2017"),
        ("nl", "woensdag 12 april 2017, 14:30", "2017-04-12T14:30", "12 april 2017, 14:30"),
        ("nl", "3 mrt 2023", "2023-03-03", "3 mrt 2023"),
        ("pl", "Środa, 12 marca 2017, 14:30", "2017-03-12T14:30", "12 marca 2017, 14:30"),
        ("pl", "5 października 2022 r.", "2022-10-05", "5 października 2022"),
        ("cs", "12. března 2017", "2017-03-12", "12. března 2017"),
        ("sv", "12 april 2017 kl. 14.30", "2017-04-12T14:30", "12 april 2017 kl. 14.30"),
        ("sv", "Publicerad 3 maj 2023", "2023-05-03", "3 maj 2023"),
        ("da", "12. marts 2017", "2017-03-12", "12. marts 2017"),
        ("no", "12. desember 2017", "2017-12-12", "12. desember 2017"),
        ("fi", "12. huhtikuuta 2017", "2017-04-12", "12. huhtikuuta 2017"),
        ("hu", "2017. április 12. 14:30", "2017-04-12T14:30", "2017. április 12. 14:30"),
        ("ro", "12 aprilie 2017", "2017-04-12", "12 aprilie 2017"),
        ("ru", "Среда, 12 марта 2017 г., 14:30", "2017-03-12T14:30", "12 марта 2017 г., 14:30"),
        (
            "ru",
            "Опубликовано 1 сентября 2023 в 09:05 МСК",
            "2023-09-01T09:05",
            "1 сентября 2023 в 09:05",
        ),
        ("uk", "12 березня 2017 р., 14:30", "2017-03-12T14:30", "12 березня 2017 р., 14:30"),
        ("uk", "Середа, 3 листопада 2021", "2021-11-03", "3 листопада 2021"),
        ("bg", "12 април 2017", "2017-04-12", "12 април 2017"),
        ("el", "Τετάρτη, 12 Απριλίου 2017", "2017-04-12", "12 Απριλίου 2017"),
        ("el", "3 ΜΑΪΟΥ 2023", "2023-05-03", "3 ΜΑΪΟΥ 2023"),
        ("tr", "12 Nisan 2017 Çarşamba 14:30", "2017-04-12", "12 Nisan 2017"),
        ("tr", "3 KASIM 2022", "2022-11-03", "3 KASIM 2022"),
        ("tr", "1 Şubat 2024, 10:00", "2024-02-01T10:00", "1 Şubat 2024, 10:00"),
        ("ar", "الأربعاء 12 أبريل 2017", "2017-04-12", "12 أبريل 2017"),
        ("ar", "١٢ آذار ٢٠١٧", "2017-03-12", "١٢ آذار ٢٠١٧"),
        ("ar", "نشر في 3 تشرين الثاني 2021", "2021-11-03", "3 تشرين الثاني 2021"),
        ("ar", "12 يوليوز 2019", "2019-07-12", "12 يوليوز 2019"),
        ("ar", "5 جانفي 2020", "2020-01-05", "5 جانفي 2020"),
        ("ar", "٥ ابريل ٢٠٢٢ - ١٤:٣٠", "2022-04-05T14:30", "٥ ابريل ٢٠٢٢ - ١٤:٣٠"),
        ("zh", "发布时间：2017年4月12日 14:30", "2017-04-12T14:30", "2017年4月12日 14:30"),
        ("zh", "2017年04月12日", "2017-04-12", "2017年04月12日"),
        ("zh", "於2023年3月3日下午2:15發表", "2023-03-03T14:15", "2023年3月3日下午2:15"),
        ("ja", "2017年4月12日(水) 14時30分", "2017-04-12T14:30", "2017年4月12日(水) 14時30分"),
        ("ja", "令和5年4月12日", "2023-04-12", "令和5年4月12日"),
        ("ja", "平成元年1月8日", "1989-01-08", "平成元年1月8日"),
        ("ja", "２０１７年４月１２日", "2017-04-12", "２０１７年４月１２日"),
        ("ko", "입력 2017년 4월 12일 오후 2:30", "2017-04-12T14:30", "2017년 4월 12일 오후 2:30"),
        ("ko", "2017.04.12 14:30", "2017-04-12T14:30", "2017.04.12 14:30"),
        ("hi", "12 अप्रैल 2017", "2017-04-12", "12 अप्रैल 2017"),
        ("hi", "१२ अप्रैल २०१७", "2017-04-12", "१२ अप्रैल २०१७"),
        ("hi", "अपडेटेड 3 फ़रवरी 2023, 10:00", "2023-02-03T10:00", "3 फ़रवरी 2023, 10:00"),
        ("hi", "सितम्बर 5, 2022", "2022-09-05", "सितम्बर 5, 2022"),
        ("id", "Rabu, 12 April 2017 14:30 WIB", "2017-04-12T14:30", "12 April 2017 14:30"),
    ];

    #[test]
    fn dates_per_language() {
        let wrong: Vec<String> = SNIPPETS
            .iter()
            .filter(|(_, text, at, raw)| read(text) != Some(((*at).into(), *raw)))
            .map(|(lang, text, _, _)| format!("{lang}: {text:?} read as {:?}", read(text)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn weekdays_and_lookalikes_are_not_months() {
        assert_eq!(read("Mittwoch 2017"), None);
        assert_eq!(read("mar, 12 abr 2017").unwrap().0, "2017-04-12");
        assert_eq!(read("12 de 2017"), None);
        assert_eq!(read("12017年4月12日"), None);
        assert_eq!(read("Samstag, 12 Tage 2017"), None);
    }

    fn at(iso: &str) -> Timestamp {
        Timestamp::parse_iso(iso).unwrap()
    }

    fn relative(text: &str, reference: &str) -> Option<(String, String)> {
        let f = find_relative(text, at(reference))?;
        Some((f.at.to_string(), text[f.span.range()].to_owned()))
    }

    #[test]
    fn relative_forms_per_language() {
        let r = "2019-03-04T10:00:00Z";
        let cases: &[(&str, &str, &str)] = &[
            ("vor 2 Stunden", "2019-03-04T08:00:00Z", "vor 2 Stunden"),
            ("Aktualisiert vor einer Stunde", "2019-03-04T09:00:00Z", "vor einer Stunde"),
            ("hace 3 días", "2019-03-01", "hace 3 días"),
            ("il y a 2 jours", "2019-03-02", "il y a 2 jours"),
            ("2 ore fa", "2019-03-04T08:00:00Z", "2 ore fa"),
            ("há 5 minutos", "2019-03-04T09:55:00Z", "há 5 minutos"),
            ("3 uur geleden", "2019-03-04T07:00:00Z", "3 uur geleden"),
            ("för 2 timmar sedan", "2019-03-04T08:00:00Z", "för 2 timmar sedan"),
            ("2 timer siden", "2019-03-04T08:00:00Z", "2 timer siden"),
            ("2 godziny temu", "2019-03-04T08:00:00Z", "2 godziny temu"),
            ("před 3 dny", "2019-03-01", "před 3 dny"),
            ("2 часа назад", "2019-03-04T08:00:00Z", "2 часа назад"),
            ("час назад", "2019-03-04T09:00:00Z", "час назад"),
            ("3 години тому", "2019-03-04T07:00:00Z", "3 години тому"),
            ("πριν από 2 ώρες", "2019-03-04T08:00:00Z", "πριν από 2 ώρες"),
            ("2 saat önce", "2019-03-04T08:00:00Z", "2 saat önce"),
            ("منذ 3 ساعات", "2019-03-04T07:00:00Z", "منذ 3 ساعات"),
            ("منذ ساعتين", "2019-03-04T08:00:00Z", "منذ ساعتين"),
            ("قبل ٣ أيام", "2019-03-01", "قبل ٣ أيام"),
            ("2 घंटे पहले", "2019-03-04T08:00:00Z", "2 घंटे पहले"),
            ("3 小时前", "2019-03-04T07:00:00Z", "3 小时前"),
            ("3天前", "2019-03-01", "3天前"),
            ("2時間前", "2019-03-04T08:00:00Z", "2時間前"),
            ("3시간 전", "2019-03-04T07:00:00Z", "3시간 전"),
            ("2 weeks ago", "2019-02-18", "2 weeks ago"),
            ("an hour ago", "2019-03-04T09:00:00Z", "an hour ago"),
            ("yesterday", "2019-03-03", "yesterday"),
            ("gestern, 14:30", "2019-03-03T14:30", "gestern, 14:30"),
            ("вчера в 18:05", "2019-03-03T18:05", "вчера в 18:05"),
            ("hier à 14h30", "2019-03-03T14:30", "hier à 14h30"),
            ("昨天 09:10", "2019-03-03T09:10", "昨天 09:10"),
            ("Heute", "2019-03-04", "Heute"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(text, want, raw)| relative(text, r) != Some(((*want).into(), (*raw).into())))
            .map(|(text, _, _)| format!("{text:?} read as {:?}", relative(text, r)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn relative_forms_need_their_marker_and_a_word_of_their_own() {
        let r = "2019-03-04T10:00:00Z";
        assert_eq!(relative("2 Stunden Fahrt", r), None);
        assert_eq!(relative("Hier ist die Lage", r), None, "German hier is here");
        assert_eq!(relative("Vorstand 2 Stunden", r), None);
        assert_eq!(relative("He said today that prices will rise again next year", r), None);
        assert_eq!(relative("vor 2 Monaten", r), None, "months are not resolved");
        // A date-only reference gives dates.
        assert_eq!(relative("vor 2 Stunden", "2019-03-04").unwrap().0, "2019-03-04");
        // The reference's zone is kept.
        assert_eq!(
            relative("vor 2 Stunden", "2019-03-04T01:30:00+02:00").unwrap().0,
            "2019-03-03T23:30:00+02:00"
        );
    }

    fn dateline(text: &str, reference: Option<&str>) -> Option<(String, String)> {
        let f = find_dateline(text, reference.map(at))?;
        Some((f.at.to_string(), text[f.span.range()].to_owned()))
    }

    #[test]
    fn datelines() {
        let r = Some("2017-04-13T08:00:00Z");
        assert_eq!(
            dateline("BERLIN, 12. April 2017 – Die Regierung hat", None),
            Some(("2017-04-12".into(), "12. April 2017".into()))
        );
        assert_eq!(
            dateline("MOSCOU, 12 avril (Reuters) - Le Kremlin a", r),
            Some(("2017-04-12".into(), "12 avril".into()))
        );
        assert_eq!(dateline("MOSCOU, 12 avril (Reuters) - Le Kremlin a", None), None);
        assert_eq!(
            dateline("WASHINGTON (AP), Dec. 30 — The", Some("2018-01-02T00:00:00Z")),
            Some(("2017-12-30".into(), "Dec. 30".into()))
        );
        assert_eq!(
            dateline("МОСКВА, 12 апреля — РИА Новости.", r),
            Some(("2017-04-12".into(), "12 апреля".into()))
        );
        assert_eq!(
            dateline("新华社北京4月12日电（记者 王）", r),
            Some(("2017-04-12".into(), "4月12日".into()))
        );
        assert_eq!(dateline("The minister said, 12 April - ", r), None);
    }

    #[test]
    fn digits_of_other_scripts_keep_their_spans() {
        let n = Normalized::new("x ١٢ y");
        assert_eq!(n.text, "x 12 y");
        assert_eq!(n.original(Span::new(2, 4)), Span::new(2, 6));
    }

    #[test]
    fn ten_megabytes_of_cjk_digits_are_bounded() {
        let text = "２０１７年".repeat(700_000) + &"1年".repeat(1_000_000);
        assert!(text.len() > 10_000_000);
        let start = std::time::Instant::now();
        let _ = find_date(&text);
        let _ = find_relative(&text, at("2019-03-04T10:00:00Z"));
        let _ = find_dateline(&text, Some(at("2019-03-04T10:00:00Z")));
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in "[0-9０-９٠-٩年月日년월일 .:/,\\-a-zа-яαβأ-يअ-ह前天전]{0,200}") {
            let r = at("2019-03-04T10:00:00Z");
            for f in [find_date(&text), find_relative(&text, r), find_dateline(&text, Some(r))].into_iter().flatten() {
                proptest::prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                proptest::prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            }
        }
    }

    #[test]
    fn us_daylight_saving() {
        assert_eq!(nth_sunday(2019, 3, 2), 10);
        assert_eq!(nth_sunday(2019, 11, 1), 3);
        let at = Timestamp::date(2019, 3, 10).unwrap();
        assert_eq!(us_zone(at, -5), -4);
        let at = Timestamp::date(2019, 3, 9).unwrap();
        assert_eq!(us_zone(at, -5), -5);
    }
}
