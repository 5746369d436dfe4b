//! Reading author names out of bylines and author metadata.
//!
//! ## What it detects
//! The people a byline names: `By Jane Doe and John Smith`, `Author: Cecelia Webb`,
//! `JANE DOE, Associated Press`, `von Anna Müller`, `Jane Doe | Reuters`.
//!
//! ## Signals
//! A leading marker (`By`, `Author:`, `Written by`, `Posted by`, `Words by`, `Von`, `Par`,
//! `Por`, `Di`, `Door`) is dropped; the rest is split on `and`, `&`, commas, semicolons,
//! `|` and the equivalents of "and" in German, French, Spanish, Italian and Dutch. A part is
//! kept when it reads as a name: one to five words, each capitalised or a name
//! particle (`de`, `van`, `bin`, `al-`), no digits, no `@`, no URL. Parts that name a role
//! (`Staff Writer`, `Transport Correspondent`) are dropped; news agencies (`AP`, `dpa`)
//! are kept, as the credit of the story.
//!
//! ## Known failures
//! Names written entirely in lower case are dropped; an organisation with a person-shaped
//! name ("Morgan Stanley") is kept.
//!
//! ## Example
//! `By JANE DOE and John Smith, Associated Press` gives `Jane Doe`, `John Smith`.

use crate::normalize::collapse_whitespace;

/// Leading byline markers, lower-case, longest first where one is a prefix of another.
const MARKERS: &[&str] = &[
    "written by",
    "posted by",
    "words by",
    "reported by",
    "story by",
    "text by",
    "by:",
    "by",
    "author:",
    "authors:",
    "author",
    "von",
    "par",
    "por",
    "di",
    "door",
    "av",
    "af",
    "autor:",
    "autor",
    "auteur:",
    "texte:",
    "text:",
];

/// Parts that, as a whole, name a role or a kind of thing, not a person.
const NOT_PEOPLE: &[&str] = &[
    "staff",
    "staff writer",
    "staff reporter",
    "correspondent",
    "contributor",
    "editor",
    "editors",
    "reporter",
    "writer",
    "columnist",
    "updated",
    "published",
    "news",
    "wire",
    "wire services",
    "admin",
    "administrator",
    "guest",
    "team",
    "desk",
    "news desk",
    "web desk",
    "online",
    "redaktion",
    "foto",
    "photo",
    "photos",
    "image",
    "images",
    "video",
];

/// Words of job titles: a byline part holding one is a role, not a name.
const ROLE_WORDS: &[&str] = &[
    "correspondent",
    "editor",
    "reporter",
    "writer",
    "columnist",
    "contributor",
    "producer",
    "analyst",
    "photographer",
    "bureau",
    "chief",
    "staff",
    "intern",
    "freelance",
    "journalist",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "envoyé",
    "corresponsal",
    "redacción",
    "rédaction",
    "redazione",
];

/// Name particles that stay lower-case inside a name.
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "der", "den", "di", "do", "dos", "du", "la", "le", "van", "von",
    "bin", "binti", "ibn", "al", "el", "y", "e", "ter", "ten", "zu", "st.",
];

/// The names in a byline or author field, in order, without duplicates.
pub(crate) fn parse_byline(text: &str) -> Vec<String> {
    let text = collapse_whitespace(text);
    let text = strip_marker(&text);
    let mut names: Vec<String> = Vec::new();
    for part in split_names(text) {
        if let Some(name) = clean_name(part)
            && !names.iter().any(|n| n.eq_ignore_ascii_case(&name))
        {
            names.push(name);
        }
    }
    names
}

/// `text` without a leading byline marker.
pub(crate) fn strip_marker(text: &str) -> &str {
    let trimmed = text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | '·')
    });
    for marker in MARKERS {
        let Some(head) = trimmed.get(..marker.len()) else { continue };
        if !head.eq_ignore_ascii_case(marker) {
            continue;
        }
        let rest = &trimmed[marker.len()..];
        // "By" must be a word of its own: "Byron Smith" keeps its first name.
        if marker.ends_with(':') || rest.starts_with(|c: char| c.is_whitespace() || c == ':') {
            return rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
        }
    }
    trimmed
}

/// Whether a line starts with a byline marker ("By ...", "Author: ...").
pub(crate) fn has_marker(text: &str) -> bool {
    let stripped = strip_marker(text);
    stripped.len() < text.trim_start().len()
}

fn split_names(text: &str) -> Vec<&str> {
    let mut parts = vec![text];
    for sep in
        [" and ", " & ", " und ", " et ", " y ", " e ", " en ", ",", ";", "|", " / ", "\n", " · "]
    {
        parts = parts.into_iter().flat_map(|p| split_ci(p, sep)).collect();
    }
    parts
}

/// Splits on `sep`, ignoring ASCII case.
fn split_ci<'a>(text: &'a str, sep: &str) -> Vec<&'a str> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(pos) = lower[from..].find(sep) {
        let at = from + pos;
        out.push(&text[start..at]);
        start = at + sep.len();
        from = start;
    }
    out.push(&text[start..]);
    out
}

fn clean_name(part: &str) -> Option<String> {
    let part = part.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
    let part = strip_marker(part).trim();
    if part.is_empty() || part.chars().count() > 60 {
        return None;
    }
    let lower = part.to_lowercase();
    // "Image: Getty Images", "Foto: dpa": a credit line.
    if [
        "image:",
        "images:",
        "photo:",
        "photos:",
        "foto:",
        "fotos:",
        "bild:",
        "picture:",
        "credit:",
        "illustration:",
    ]
    .iter()
    .any(|m| lower.contains(m))
    {
        return None;
    }

    // "Transport Correspondent", "Senior Editor": a job title, not a name.
    let role = lower.split_whitespace().any(|w| ROLE_WORDS.contains(&w));
    if NOT_PEOPLE.contains(&lower.as_str())
        || role
        || lower.contains('@')
        || lower.contains("http")
        || lower.contains("www.")
    {
        return None;
    }
    if part.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let words: Vec<&str> = part.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    let mut capitalised = 0;
    for w in &words {
        let first = w.chars().next()?;
        if first.is_uppercase() {
            capitalised += 1;
        } else if !PARTICLES.contains(&w.to_lowercase().as_str())
            && !w.starts_with("al-")
            && !w.starts_with("el-")
        {
            return None;
        }
    }
    if capitalised == 0 {
        return None;
    }
    // A name in capitals ("JANE DOE") is given its ordinary case.
    let all_caps = part.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        && part.chars().filter(|c| c.is_alphabetic()).count() > 3;
    Some(if all_caps { title_case(part) } else { part.to_owned() })
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c.is_whitespace() || c == '-' || c == '\'' || c == '.';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bylines() {
        assert_eq!(parse_byline("Author: Cecelia Webb"), ["Cecelia Webb"]);
        assert_eq!(
            parse_byline("By JANE DOE and John Smith, Associated Press"),
            ["Jane Doe", "John Smith", "Associated Press"]
        );
        assert_eq!(
            parse_byline("von Anna Müller und Jan de Vries"),
            ["Anna Müller", "Jan de Vries"]
        );
        assert_eq!(parse_byline("Jane Doe | Reuters"), ["Jane Doe", "Reuters"]);
        assert_eq!(parse_byline("Jane Doe, Staff Writer"), ["Jane Doe"]);
        assert_eq!(parse_byline("By Byron York"), ["Byron York"]);
        assert_eq!(parse_byline("Byron York"), ["Byron York"]);
        assert_eq!(parse_byline("Mohammed bin Salman"), ["Mohammed bin Salman"]);
    }

    #[test]
    fn drops_what_is_not_a_name() {
        assert!(parse_byline("By staff").is_empty());
        assert!(parse_byline("jane@example.com").is_empty());
        assert!(parse_byline("https://example.com/authors/jane").is_empty());
        assert!(parse_byline("Updated 10 minutes ago").is_empty());
        assert!(parse_byline("the quick brown fox").is_empty());
        assert_eq!(parse_byline("Jane Doe, Jane Doe"), ["Jane Doe"]);
    }

    #[test]
    fn markers() {
        assert!(has_marker("By Jane Doe"));
        assert!(has_marker("Author: Jane"));
        assert!(!has_marker("Byron York"));
        assert_eq!(strip_marker("Written by Jane"), "Jane");
    }
}
