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
    /// No body (a feed item that is only a link).
    None,
}

/// A structured record: the JSON Lines fields `id`, `url`, `outlet`, `title`, `date`,
/// `author`/`authors`, and `text` or `html`; anything else is kept in `extra`.
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
    /// Fields lede has no place for, kept as they were.
    pub extra: Option<Map<String, Value>>,
}

const KNOWN: &[&str] =
    &["id", "url", "outlet", "title", "date", "published", "author", "authors", "text", "html"];

impl Structured {
    /// Reads a JSON object as a record. Returns what is wrong when it cannot be one.
    pub fn from_json(object: Map<String, Value>) -> Result<Structured, String> {
        let text_of = |key: &str| -> Result<Option<String>, String> {
            match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
                Some(other) => {
                    Err(format!("field {key:?} should be a string, not {}", kind(other)))
                }
            }
        };
        let body = match (text_of("text")?, text_of("html")?) {
            (_, Some(html)) => Body::Html(html),
            (Some(text), None) => Body::Text(text),
            (None, None) => return Err("no \"text\" or \"html\" field".into()),
        };
        let authors = match object.get("authors").or_else(|| object.get("author")) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
            }
            Some(other) => {
                return Err(format!(
                    "field \"authors\" should be a string or a list, not {}",
                    kind(other)
                ));
            }
        };
        let date = match text_of("date")? {
            Some(d) => Some(d),
            None => text_of("published")?,
        };
        let extra: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Structured {
            id: text_of("id")?,
            url: text_of("url")?,
            outlet: text_of("outlet")?,
            title: text_of("title")?,
            date,
            authors,
            body,
            extra: (!extra.is_empty()).then_some(extra),
        })
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
