//! The stored form of an article's [`Annotations`]: compact JSON in `annotations.json`.
//!
//! Data structure: one object, `{"v":1,"s":[…],"e":[…],"q":[…]}`:
//!
//! - `s`: the sentences, flattened: `paragraph, start, end` for each, in order;
//! - `e`: the entities, each `[name, kind, mentions]`, a mention `[paragraph, start, end]`
//!   or, when its text is not the paragraph's bytes `start..end`, `[paragraph, start, end,
//!   text]`;
//! - `q`: the quotes, each `[paragraph, start, end, speaker, cue, direct]` (`direct` 0 or
//!   1; `speaker` and `cue` null when absent), with the text appended when it is not the
//!   paragraph's bytes `start..end`.
//!
//! Why not the contract's JSON: mention and quote texts are slices of the article, which
//! the store already holds, and the contract's keys repeat on every span. On press releases
//! the compact form is a quarter of the size (about 1 KB an article instead of 4), which
//! kept the store of 52,060 releases from growing 2.6 times. Decoding needs the article's
//! paragraphs.

use lede_core::{Annotations, Entity, EntityKind, Mention, Quote, Sentence};
use serde_json::{Value, json};

/// The version of the form, in `v`.
const VERSION: u64 = 1;

/// The paragraph's bytes `start..end`, when they are a span of it.
fn slice(paragraphs: &[String], p: usize, start: usize, end: usize) -> Option<&str> {
    paragraphs.get(p)?.get(start..end)
}

/// The compact JSON of `a`, whose spans point into `paragraphs`.
pub(crate) fn encode(a: &Annotations, paragraphs: &[String]) -> String {
    let sentences: Vec<usize> =
        a.sentences.iter().flat_map(|s| [s.paragraph, s.start, s.end]).collect();
    let entities: Vec<Value> = a
        .entities
        .iter()
        .map(|e| {
            let mentions: Vec<Value> = e
                .mentions
                .iter()
                .map(|m| {
                    if slice(paragraphs, m.paragraph, m.start, m.end) == Some(m.text.as_str()) {
                        json!([m.paragraph, m.start, m.end])
                    } else {
                        json!([m.paragraph, m.start, m.end, m.text])
                    }
                })
                .collect();
            json!([e.name, e.kind.as_str(), mentions])
        })
        .collect();
    let quotes: Vec<Value> = a
        .quotes
        .iter()
        .map(|q| {
            let mut v = json!([q.paragraph, q.start, q.end, q.speaker, q.cue, u8::from(q.direct)]);
            if slice(paragraphs, q.paragraph, q.start, q.end) != Some(q.text.as_str()) {
                v.as_array_mut().expect("an array").push(json!(q.text));
            }
            v
        })
        .collect();
    json!({"v": VERSION, "s": sentences, "e": entities, "q": quotes}).to_string()
}

/// The annotations `encode` stored, with the texts read back from `paragraphs`; why not,
/// when the JSON or a span is damaged.
pub(crate) fn decode(json: &str, paragraphs: &[String]) -> Result<Annotations, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if v["v"].as_u64() != Some(VERSION) {
        return Err(format!("unknown annotation form {}", v["v"]));
    }
    let array = |v: &Value, what: &str| -> Result<Vec<Value>, String> {
        v.as_array().cloned().ok_or_else(|| format!("{what} is not an array"))
    };
    let number = |v: &Value, what: &str| -> Result<usize, String> {
        v.as_u64().map(|n| n as usize).ok_or_else(|| format!("{what} is not a number"))
    };
    let text_of = |item: &[Value], extra: usize, what: &str| -> Result<String, String> {
        let (p, start, end) =
            (number(&item[0], what)?, number(&item[1], what)?, number(&item[2], what)?);
        match item.get(extra).and_then(Value::as_str) {
            Some(text) => Ok(text.to_owned()),
            None => slice(paragraphs, p, start, end)
                .map(str::to_owned)
                .ok_or_else(|| format!("{what} {p}:{start}..{end} is not a span of the article")),
        }
    };
    let flat = array(&v["s"], "sentences")?;
    if flat.len() % 3 != 0 {
        return Err("sentences are not triples".into());
    }
    let sentences = flat
        .chunks(3)
        .map(|s| {
            Ok(Sentence {
                paragraph: number(&s[0], "a sentence")?,
                start: number(&s[1], "a sentence")?,
                end: number(&s[2], "a sentence")?,
            })
        })
        .collect::<Result<_, String>>()?;
    let entities = array(&v["e"], "entities")?
        .iter()
        .map(|e| {
            let name = e[0].as_str().ok_or("an entity has no name")?.to_owned();
            let kind = e[1]
                .as_str()
                .and_then(EntityKind::parse)
                .ok_or_else(|| format!("{name}: unknown kind {}", e[1]))?;
            let mentions = array(&e[2], "mentions")?
                .iter()
                .map(|m| {
                    let m = m.as_array().filter(|m| m.len() >= 3).ok_or("a short mention")?;
                    Ok(Mention {
                        paragraph: number(&m[0], "a mention")?,
                        start: number(&m[1], "a mention")?,
                        end: number(&m[2], "a mention")?,
                        text: text_of(m, 3, "a mention")?,
                    })
                })
                .collect::<Result<_, String>>()?;
            Ok(Entity { name, kind, mentions })
        })
        .collect::<Result<_, String>>()?;
    let quotes = array(&v["q"], "quotes")?
        .iter()
        .map(|q| {
            let q = q.as_array().filter(|q| q.len() >= 6).ok_or("a short quote")?;
            Ok(Quote {
                text: text_of(q, 6, "a quote")?,
                speaker: q[3].as_str().map(str::to_owned),
                cue: q[4].as_str().map(str::to_owned),
                paragraph: number(&q[0], "a quote")?,
                start: number(&q[1], "a quote")?,
                end: number(&q[2], "a quote")?,
                direct: q[5].as_u64() == Some(1),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Annotations { sentences, entities, quotes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs() -> Vec<String> {
        vec![
            "Secretary of State Rex Tillerson met Russian President Vladimir Putin.".into(),
            "\"There is a low level of trust,\" Mr Tillerson said, «à Moscou».".into(),
        ]
    }

    fn annotations() -> Annotations {
        let p = paragraphs();
        let mention = |para: usize, word: &str| {
            let start = p[para].find(word).unwrap();
            Mention { paragraph: para, start, end: start + word.len(), text: word.into() }
        };
        Annotations {
            sentences: vec![
                Sentence { paragraph: 0, start: 0, end: p[0].len() },
                Sentence { paragraph: 1, start: 0, end: p[1].len() },
            ],
            entities: vec![
                Entity {
                    name: "Rex Tillerson".into(),
                    kind: EntityKind::Person,
                    mentions: vec![
                        mention(0, "Rex Tillerson"),
                        // A text that is not the slice (a future normalisation) is kept.
                        Mention { text: "Tillerson".into(), ..mention(1, "Mr Tillerson") },
                    ],
                },
                Entity {
                    name: "Russia".into(),
                    kind: EntityKind::Place,
                    mentions: vec![mention(0, "Russian")],
                },
            ],
            quotes: vec![
                Quote {
                    text: "There is a low level of trust,".into(),
                    speaker: Some("Rex Tillerson".into()),
                    cue: Some("said".into()),
                    paragraph: 1,
                    start: 1,
                    end: 31,
                    direct: true,
                },
                Quote {
                    text: "a joined quote".into(),
                    speaker: None,
                    cue: None,
                    paragraph: 1,
                    start: 58,
                    end: 65,
                    direct: false,
                },
            ],
        }
    }

    #[test]
    fn round_trips_and_leaves_slices_out() {
        let (a, p) = (annotations(), paragraphs());
        let json = encode(&a, &p);
        assert_eq!(decode(&json, &p).unwrap(), a);
        assert!(!json.contains("\"Rex Tillerson\"]"), "slices are not stored: {json}");
        assert!(json.contains("\"a joined quote\""), "other texts are: {json}");
        assert!(json.len() * 2 < serde_json::to_string(&a).unwrap().len(), "{json}");
        let empty = Annotations::default();
        assert_eq!(decode(&encode(&empty, &[]), &[]).unwrap(), empty);
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let p = paragraphs();
        for bad in [
            "",
            "[]",
            r#"{"v":2,"s":[],"e":[],"q":[]}"#,
            r#"{"v":1,"s":[0,1],"e":[],"q":[]}"#,
            r#"{"v":1,"s":[],"e":[["X","animal",[]]],"q":[]}"#,
            r#"{"v":1,"s":[],"e":[["X","place",[[0,1]]]],"q":[]}"#,
            r#"{"v":1,"s":[],"e":[["X","place",[[5,0,1]]]],"q":[]}"#,
            r#"{"v":1,"s":[],"e":[],"q":[[1,0,999,null,null,1]]}"#,
            r#"{"v":1,"s":[],"e":[],"q":[[1,55,56,null,null,1]]}"#,
            r#"{"v":1,"s":[],"e":[],"q":[[1,0,1]]}"#,
        ] {
            assert!(decode(bad, &p).is_err(), "{bad}");
        }
    }
}
