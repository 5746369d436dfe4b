//! What sources yield: records, before extraction.

use crate::read::RawPage;
use lede_core::Origin;
use serde_json::{Map, Value};

/// One record from a source: a page to extract, or a structured record (a JSON Lines
/// object, a feed item) whose fields are already separate.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// Where the record came from, with its location inside its input.
    pub origin: Origin,
    /// The record itself.
    pub payload: Payload,
}

/// A record's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A page's bytes (HTML or plain text), to be decoded and extracted.
    Page {
        /// The page.
        page: RawPage,
        /// A date to use when the page gives none (a WARC record's capture date).
        date_hint: Option<String>,
    },
    /// A record whose fields are given.
    Structured(Structured),
}

/// The body of a structured record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Plain text: paragraphs separated by blank lines (or by line breaks).
    Text(String),
    /// HTML, to be extracted.
    Html(String),
    /// Paragraphs already split (a record written by `lede export`).
    Paragraphs(Vec<String>),
    /// No body (a feed item that is only a link).
    None,
}

/// A structured record: the JSON Lines fields `id`, `url`, `outlet`, `title`, `date`,
/// `author`/`authors`, and `text` or `html`; anything else is kept in `extra`. Records
/// written by `lede export` also carry `paragraphs`, `captions`, `related`, `language` and
/// `published_raw`, and read back as the same articles.
#[derive(Debug, Clone, PartialEq)]
pub struct Structured {
    /// The record's own id.
    pub id: Option<String>,
    /// The article's address.
    pub url: Option<String>,
    /// The publication.
    pub outlet: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The publication date as written.
    pub date: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// The body.
    pub body: Body,
    /// Image captions (exported records).
    pub captions: Vec<String>,
    /// Related stories (exported records).
    pub related: Vec<lede_core::RelatedItem>,
    /// The body's language (exported records).
    pub language: Option<String>,
    /// The date as the page wrote it (exported records).
    pub published_raw: Option<String>,
    /// Fields lede has no place for, kept as they were.
    pub extra: Option<Map<String, Value>>,
}

const KNOWN: &[&str] = &[
    "id",
    "url",
    "outlet",
    "title",
    "date",
    "published",
    "author",
    "authors",
    "text",
    "html",
    "paragraphs",
    "captions",
    "related",
    "language",
    "published_raw",
    "kind",
    "article_id",
];

impl Structured {
    /// Reads a JSON object as a record. Returns what is wrong when it cannot be one.
    pub fn from_json(mut object: Map<String, Value>) -> Result<Structured, String> {
        let o = &mut object;
        let body =
            match (take_text(o, "text")?, take_text(o, "html")?, take_strings(o, "paragraphs")?) {
                (_, _, Some(paragraphs)) => Body::Paragraphs(paragraphs),
                (_, Some(html), None) => Body::Html(html),
                (Some(text), None, None) => Body::Text(text),
                (None, None, None) => return Err("no \"text\" or \"html\" field".into()),
            };
        let related = match o.remove("related") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => serde_json::from_value(v).map_err(|e| format!("field \"related\": {e}"))?,
        };
        let authors = match o.remove("authors").or_else(|| o.remove("author")) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s],
            Some(Value::Array(items)) => {
                items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
            }
            Some(other) => {
                return Err(format!(
                    "field \"authors\" should be a string or a list, not {}",
                    kind(&other)
                ));
            }
        };
        let date = match take_text(o, "date")? {
            Some(d) => Some(d),
            None => take_text(o, "published")?,
        };
        let record = Structured {
            id: take_text(o, "id")?,
            url: take_text(o, "url")?,
            outlet: take_text(o, "outlet")?,
            title: take_text(o, "title")?,
            date,
            authors,
            body,
            captions: take_strings(o, "captions")?.unwrap_or_default(),
            related,
            language: take_text(o, "language")?,
            published_raw: take_text(o, "published_raw")?,
            extra: None,
        };
        // What lede writes itself and reads back differently (the content hash, the page
        // kind) is not kept; everything else unknown is.
        for known in KNOWN {
            o.remove(*known);
        }
        Ok(Structured { extra: (!object.is_empty()).then_some(object), ..record })
    }
}

/// Removes a string field (a number, for `id`).
fn take_text(o: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match o.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
        Some(other) => Err(format!("field {key:?} should be a string, not {}", kind(&other))),
    }
}

/// Removes a list-of-strings field.
fn take_strings(o: &mut Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, String> {
    match o.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(format!("field {key:?} should hold strings only")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("field {key:?} should be a list, not {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Structured, String> {
        match serde_json::from_str::<Value>(json).unwrap() {
            Value::Object(o) => Structured::from_json(o),
            _ => unreachable!(),
        }
    }

    #[test]
    fn reads_records_and_keeps_unknown_fields() {
        let r = parse(r#"{"id":"hc-1","outlet":"Office of A","date":"2019-03-07","text":"Body.","member":"a","n":3}"#).unwrap();
        assert_eq!(r.id.as_deref(), Some("hc-1"));
        assert_eq!(r.body, Body::Text("Body.".into()));
        let extra = r.extra.unwrap();
        assert_eq!(extra.len(), 2);
        assert_eq!(extra["member"], "a");
        let r = parse(r#"{"id":7,"html":"<p>x</p>","authors":["A","B"]}"#).unwrap();
        assert_eq!((r.id.as_deref(), r.authors.len()), (Some("7"), 2));
        assert!(matches!(r.body, Body::Html(_)));
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(parse(r#"{"id":"x"}"#).unwrap_err(), "no \"text\" or \"html\" field");
        assert_eq!(
            parse(r#"{"text":5}"#).unwrap_err(),
            "field \"text\" should be a string, not a number"
        );
    }
}
