//! Atom feeds out of the store, for the user's own feed reader (issue #14): `/stories.atom`
//! (one entry per story, not one per outlet: the point of deduplicating) and
//! `/search.atom?q=` (a saved search). Atom 1.0 (RFC 4287), built by hand: a handful of
//! elements, every text escaped.

use crate::api::{SearchParams, StoriesParams};
use crate::error::{ErrorCode, Failure};
use crate::{AppState, pages, with_library};
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lede_engine::StoryFilter;
use std::fmt::Write;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/stories.atom", get(stories)).route("/search.atom", get(search))
}

/// One entry.
struct Entry {
    id: String,
    title: String,
    link: String,
    updated: String,
    summary: String,
}

async fn stories(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<StoriesParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return pages::failure(Failure::new(ErrorCode::BadRequest)) };
    let base = base_url(&headers);
    let built = with_library(&state, move |lib| {
        let filter = p.filter()?;
        let stories = lib.stories(&StoryFilter { limit: filter.limit.min(200), ..filter })?;
        Ok(stories
            .into_iter()
            .map(|s| {
                let outlets = s.outlets.len();
                Entry {
                    id: format!("urn:lede:story:{}", s.id.0),
                    title: s.label.unwrap_or_else(|| format!("Story {}", s.id.0)),
                    link: format!("{base}/stories/{}", s.id.0),
                    updated: rfc3339(s.last_seen.as_deref()),
                    summary: format!(
                        "{} articles from {} outlet{} ({}), {} to {}.",
                        s.size,
                        outlets,
                        if outlets == 1 { "" } else { "s" },
                        s.outlets.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                        s.first_seen.as_deref().unwrap_or("undated"),
                        s.last_seen.as_deref().unwrap_or("undated"),
                    ),
                }
            })
            .collect::<Vec<_>>())
    })
    .await;
    respond(built, "lede: stories", "urn:lede:stories")
}

async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return pages::failure(Failure::new(ErrorCode::BadRequest)) };
    let base = base_url(&headers);
    let q = p.q.clone().unwrap_or_default();
    let built = with_library(&state, move |lib| {
        let results = lib.search(&p.query()?)?;
        Ok(results
            .hits
            .into_iter()
            .map(|h| Entry {
                id: format!("urn:lede:article:{}", h.id),
                title: h.title.unwrap_or_else(|| "(no headline)".to_owned()),
                link: format!("{base}/articles/{}", h.id),
                updated: rfc3339(h.published.as_deref()),
                summary: match h.outlet {
                    Some(o) => format!("{o}: {}", h.snippet),
                    None => h.snippet,
                },
            })
            .collect::<Vec<_>>())
    })
    .await;
    respond(built, &format!("lede: search for {q}"), &format!("urn:lede:search:{q}"))
}

fn respond(built: Result<Vec<Entry>, Failure>, title: &str, id: &str) -> Response {
    match built {
        Ok(entries) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            document(title, id, &entries),
        )
            .into_response(),
        Err(f) => pages::failure(f),
    }
}

/// The feed document; it is as new as its newest entry.
fn document(title: &str, id: &str, entries: &[Entry]) -> String {
    let updated =
        entries.iter().map(|e| e.updated.as_str()).max().unwrap_or("1970-01-01T00:00:00Z");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <title>{}</title>", escape(title));
    let _ = writeln!(out, "  <id>{}</id>", escape(id));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    out.push_str("  <generator>lede</generator>\n");
    for e in entries {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(out, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(out, "    <link href=\"{}\"/>", escape(&e.link));
        let _ = writeln!(out, "    <updated>{}</updated>", e.updated);
        let _ = writeln!(out, "    <summary>{}</summary>", escape(&e.summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// `http://HOST` from the request's `Host` header when it is a plain host and port, so
/// that a feed reader gets absolute links; else relative links (a hostile header must not
/// put markup or another site into the feed).
fn base_url(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .map_or_else(String::new, |h| format!("http://{h}"))
}

/// A stored date (`2019-01-05`, `2019-01-05T10:30`, `…+02:00`) as RFC 3339 in UTC, which
/// Atom requires; a date without a time is its midnight UTC, an unknown one the epoch.
fn rfc3339(date: Option<&str>) -> String {
    utc(date
        .and_then(|d| lede_core::Timestamp::parse_iso(d.trim()).ok())
        .map_or(0, |t| t.unix_seconds()))
}

/// Unix seconds as RFC 3339 in UTC (`2019-01-05T10:30:00Z`).
pub(crate) fn utc(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_rfc_3339_in_utc() {
        assert_eq!(rfc3339(Some("2019-01-05")), "2019-01-05T00:00:00Z");
        assert_eq!(rfc3339(Some("2017-04-12T10:30:00+02:00")), "2017-04-12T08:30:00Z");
        assert_eq!(rfc3339(Some("2000-02-29T23:59:59Z")), "2000-02-29T23:59:59Z");
        assert_eq!(rfc3339(Some("1969-12-31T23:00:00Z")), "1969-12-31T23:00:00Z");
        assert_eq!(rfc3339(None), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(Some("yesterday")), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn documents_escape_everything_and_hosts_are_checked() {
        let e = Entry {
            id: "urn:lede:story:1".into(),
            title: "Tillerson & <Putin> \"meet\"\u{1}".into(),
            link: "/stories/1".into(),
            updated: "2017-04-12T00:00:00Z".into(),
            summary: "a'b".into(),
        };
        let doc = document("t", "urn:x", &[e]);
        assert!(
            doc.contains("<title>Tillerson &amp; &lt;Putin&gt; &quot;meet&quot;</title>"),
            "{doc}"
        );
        assert!(doc.contains("<summary>a&apos;b</summary>"));
        assert!(doc.contains("<updated>2017-04-12T00:00:00Z</updated>"));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(base_url(&h), "http://127.0.0.1:8080");
        h.insert(header::HOST, "evil.example/\"><x".parse().unwrap());
        assert_eq!(base_url(&h), "");
    }
}
