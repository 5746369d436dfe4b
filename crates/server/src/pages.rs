//! The HTML pages. maud escapes every interpolated value; links to the outside world are
//! made only for http(s) addresses.

use crate::api::SearchParams;
use crate::charts::{self, Chart, Step};
use crate::error::Failure;
use crate::window::{MAX_DAYS, Window, page_number, pager};
use crate::{AppState, checked_id, with_library};
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lede_core::{Annotations, Article};
use lede_engine::{SearchQuery, StoryCardJson, StoryDetail, TraceReport};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// Small, no web fonts, readable on a phone; light and dark.
/// Facet values shown on the search page.
const FACET_OUTLETS: usize = 8;
const FACET_NAMES: usize = 10;
const FACET_MONTHS: usize = 12;

/// The days of month `m` ("2019-02" has 28): a month facet's link ends on its last day
/// (a "2019-02-31" would be refused as no date).
fn days_in_month(m: &str) -> u32 {
    let (y, mo) = m.split_once('-').unwrap_or(("", ""));
    let y: i32 = y.parse().unwrap_or(1);
    match mo.parse().unwrap_or(1) {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The first second of month `m` ("2019-03") and the last (as the search's `to` bound
/// reads it: excluded, so the first second of the next month).
fn month_bounds(m: &str) -> Option<(i64, i64)> {
    let (y, mo) = m.split_once('-')?;
    let (y, mo): (i32, u32) = (y.parse().ok()?, mo.parse().ok()?);
    let next = if mo >= 12 { format!("{}-01-01", y + 1) } else { format!("{y}-{:02}-01", mo + 1) };
    let from = crate::day_bound(&format!("{m}-01"), false).ok()?;
    let to = crate::day_bound(&next, false).ok()?;
    Some((from, to))
}

const CSS: &str = "
:root{--fg:#1b1b1b;--muted:#666;--bg:#fff;--line:#e3e3e3;--accent:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a0a0a0;--bg:#151515;--line:#333;--accent:#8ab4f8}}
*{box-sizing:border-box}body{margin:0;font:17px/1.55 Georgia,'Times New Roman',serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);font-family:system-ui,sans-serif}
header .brand{font-weight:700;font-size:1.2rem;color:var(--fg);text-decoration:none;margin-right:auto}
header input{font:inherit;padding:.3rem .5rem;min-width:12rem;max-width:60vw}
main{max-width:46rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}h1{line-height:1.2;font-size:1.7rem}h2{font-family:system-ui,sans-serif;font-size:1.05rem;margin-top:2rem}
.meta,.small{color:var(--muted);font-family:system-ui,sans-serif;font-size:.85rem}
ol.stories,ul.plain{list-style:none;padding:0}ol.stories li,ul.plain li{padding:.5rem 0;border-bottom:1px solid var(--line)}
blockquote{margin:.6rem 0;padding-left:.8rem;border-left:3px solid var(--line)}
.q{background:rgba(255,200,0,.18)}.s0{background:rgba(0,120,255,.14)}.s1{background:rgba(0,180,90,.16)}.s2{background:rgba(220,60,60,.14)}.s3{background:rgba(150,80,220,.15)}.s4{background:rgba(240,140,0,.16)}
sup a{text-decoration:none;font-family:system-ui,sans-serif;font-size:.7rem}
.verdict{font-family:system-ui,sans-serif;font-weight:700;text-transform:uppercase;letter-spacing:.04em}
.facets{font-family:system-ui,sans-serif;font-size:.85rem}.facets a{margin-right:.6rem}
mark{background:rgba(255,220,0,.35);color:inherit}@media (prefers-color-scheme:dark){mark{background:#5e4d00;color:#fff}}.sub{text-decoration:underline wavy #c0392b}
.hist{font:.7rem system-ui,sans-serif;color:var(--muted);text-decoration:none}
table{border-collapse:collapse;font:.85rem system-ui,sans-serif;margin:.6rem 0}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;caption-side:bottom;padding-top:.3rem}details{margin:.6rem 0;font-family:system-ui,sans-serif}
svg.net text{fill:var(--fg);font:12px system-ui,sans-serif}svg.net text.head{fill:var(--muted)}svg.net text.centre{font-weight:700;paint-order:stroke;stroke:var(--bg);stroke-width:4px}svg.net a text{fill:var(--accent)}
svg.net circle{fill:var(--muted)}svg.net circle.centre{fill:var(--accent)}svg.net .e{stroke:var(--muted);stroke-opacity:.75}svg.net .e.spun{stroke:#c0392b;stroke-dasharray:6 3}svg.net .tip{fill:var(--muted)}
svg.chart text{fill:var(--muted);font:11px system-ui,sans-serif}svg.chart .axis{stroke:var(--line)}svg.chart a:focus rect,svg.chart a:hover rect{opacity:.7}svg.chart .mark{fill:var(--fg)}svg.chart .band{fill:var(--line)}
.c0{fill:#1f77b4;background:#1f77b4}.c1{fill:#e6850e;background:#e6850e}.c2{fill:#2ca02c;background:#2ca02c}.c3{fill:#d62728;background:#d62728}.c4{fill:#9467bd;background:#9467bd}.c5{fill:#8c564b;background:#8c564b}.c6{fill:#e377c2;background:#e377c2}.c7{fill:#8a8a8a;background:#8a8a8a}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font:.8rem system-ui,sans-serif}.sw{display:inline-block;width:.8rem;height:.8rem;vertical-align:-.1rem}
nav.window,nav.pager{font:.9rem system-ui,sans-serif;margin:.6rem 0}
footer{max-width:46rem;margin:2rem auto;padding:1rem;color:var(--muted);font:.8rem system-ui,sans-serif}
";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(front))
        .route("/stories/{id}", get(story))
        .route("/articles/{id}", get(article))
        .route("/search", get(search))
        .route("/feeds", get(feeds))
        .route("/outlets", get(crate::outlets::index))
        .route("/outlets/{name}", get(crate::outlets::outlet))
        .route("/entities/{name}", get(crate::entities::entity))
        .route("/quotes", get(crate::entities::quotes))
        .fallback(|| async { failure(Failure::not_found("such page")) })
}

fn layout(title: &str, query: &str, body: &Markup) -> Markup {
    layout_with(title, query, None, body)
}

/// [`layout`], refreshing itself every `refresh` seconds when that is given (a page that
/// says something is still being computed: no script needed).
pub(crate) fn layout_with(title: &str, query: &str, refresh: Option<u32>, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = refresh { meta http-equiv="refresh" content=(s); }
                title { (title) " · lede" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    a.brand href="/" { "lede" }
                    form action="/search" method="get" role="search" {
                        input type="search" name="q" value=(query) placeholder="Search the store" aria-label="Search";
                        " "
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
                footer { "lede: news read exactly, stories grouped, passages traced. Read-only view of the store." }
            }
        }
    }
}

fn page(title: &str, body: &Markup) -> Response {
    layout(title, "", body).into_response()
}

/// The error page: the table's status, message and code, and the failure's public detail.
pub(crate) fn failure(f: Failure) -> Response {
    let code = f.code();
    let status = code.status();
    let reason = status.canonical_reason().unwrap_or("Error");
    let body = layout(
        reason,
        "",
        &html! {
            h1 { (status.as_u16()) " " (reason) }
            p { (code.message()) }
            @if let Some(detail) = f.detail() { p { (detail) } }
            p.small { "Error code: " code { (code.code()) } }
        },
    );
    f.respond(body)
}

fn render(r: Result<Response, Failure>) -> Response {
    r.unwrap_or_else(failure)
}

/// A link only for http(s) addresses (no `javascript:`, `data:`...).
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

/// An outlet's name, linked to its page in the copy network (`/outlets/{name}`); no
/// link for an article without one.
pub(crate) fn outlet_link(outlet: Option<&str>) -> Markup {
    match outlet.map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => html! { a href={ "/outlets/" (urlencode(o)) } { (o) } },
        None => html! { "unknown outlet" },
    }
}

/// "1 article", "2 articles": a count and its noun.
pub(crate) fn counted(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// An entity's name, linked to its page (`/entities/{name}`).
pub(crate) fn entity_link(name: &str) -> Markup {
    html! { a href={ "/entities/" (urlencode(name)) } { (name) } }
}

/// A speaker's name, linked to their quotes (`/quotes?speaker=`); "unnamed" for none.
pub(crate) fn speaker_link(speaker: Option<&str>) -> Markup {
    match speaker.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => html! { a href={ "/quotes?speaker=" (urlencode(s)) } { (s) } },
        None => html! { "unnamed" },
    }
}

pub(crate) fn day(date: Option<&str>) -> &str {
    date.map_or("undated", |d| d.get(..10).unwrap_or(d))
}

fn span(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if day(Some(a)) == day(Some(b)) => day(Some(a)).to_owned(),
        (Some(a), Some(b)) => format!("{} – {}", day(Some(a)), day(Some(b))),
        _ => "undated".into(),
    }
}

/// The feeds `lede watch` follows and how each is doing. Times are shown as dates in UTC
/// (the page is cached and must not say "3 minutes ago" for a minute).
async fn feeds(State(state): State<AppState>) -> Response {
    let built = with_library(&state, |lib| {
        let feeds = lib.feeds()?;
        let when = |t: Option<i64>| t.map_or("never".to_owned(), crate::atom::utc);
        Ok(page(
            "Feeds",
            &html! {
                h1 { "Feeds" }
                p.meta { (feeds.len()) " feeds followed by " code { "lede watch" } ". Subscribe to this store's stories at " a href="/stories.atom" { "/stories.atom" } "." }
                @if feeds.is_empty() {
                    p { "No feed followed yet: " code { "lede feeds add URL" } " or " code { "lede watch URL" } "." }
                }
                table.feeds {
                    thead { tr { th { "Feed" } th { "Last poll" } th { "Next poll" } th { "Every" } th { "Stored" } th { "Health" } } }
                    tbody {
                        @for f in &feeds {
                            tr {
                                td { (f.url) }
                                td { (when(f.last_poll_ts)) @if let Some(s) = &f.last_status { " (" (s) ")" } }
                                td { (when(Some(f.next_poll_ts))) }
                                td { (f.interval_s / 60) " min" }
                                td { (f.items_added) }
                                td {
                                    @if f.failures == 0 { "ok" } @else {
                                        (f.failures) " failures in a row: " (f.last_error.as_deref().unwrap_or("?"))
                                    }
                                }
                            }
                        }
                    }
                }
            },
        ))
    })
    .await;
    built.unwrap_or_else(failure)
}

/// A story in a list; `in_window`: its articles and outlets inside the list's window.
fn story_item(s: &StoryCardJson, in_window: Option<(u64, u64)>) -> Markup {
    let outlets: Vec<&str> = s.top_outlets.iter().take(4).map(String::as_str).collect();
    html! {
        li {
            a href={ "/stories/" (s.id) } { (s.label.as_deref().unwrap_or("(no headline)")) }
            div.meta {
                @if let Some((articles, outlets)) = in_window {
                    (counted(articles as usize, "article")) " from " (counted(outlets as usize, "outlet")) " in this window · "
                }
                (counted(s.size as usize, "article")) " · " (counted(s.outlet_count as usize, "outlet")) " in all · "
                (span(s.first_seen.as_deref(), s.last_seen.as_deref()))
                @if !outlets.is_empty() { " · " (outlets.join(", ")) @if s.outlet_count > 4 { ", …" } }
            }
        }
    }
}

/// Stories on a page of the front page.
const STORIES_PER_PAGE: usize = 40;

/// `?from&to&page` of the front page.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct FrontParams {
    from: Option<String>,
    to: Option<String>,
    page: Option<usize>,
}

/// The window a list page shows: the one asked for, or the newest week that has
/// articles in the store (not the wall clock's: a historical corpus opens on its own
/// last week). `None`: no article is dated.
pub(crate) fn window_of(
    lib: &lede_engine::Library,
    from: Option<&str>,
    to: Option<&str>,
    max_days: Option<i64>,
) -> Result<Option<Window>, Failure> {
    let (from, to) = (crate::window::given(from), crate::window::given(to));
    let newest = if from.is_none() || to.is_none() { lib.newest_ts()? } else { None };
    let default = newest.map(|t| Window::week_to(lede_store::Day::of(t)));
    Window::read(from, to, default, max_days)
}

/// Articles per day over the whole store, each bar opening its day (or week, or month).
fn store_histogram(days: &[lede_store::DayCount], current: Option<Window>) -> Markup {
    let counts: Vec<(lede_store::Day, Vec<u64>)> =
        days.iter().map(|d| (d.day, vec![d.articles])).collect();
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return html! {} };
    let step = Step::for_span(first.day, last.day);
    let link = |w: Window| format!("/?{}", w.query());
    charts::bars(&Chart {
        id: "store",
        title: format!(
            "Articles per {} in the store",
            match step {
                Step::Day => "day",
                Step::Week => "week",
                Step::Month => "month",
            }
        ),
        unit: "articles",
        series: vec!["articles".into()],
        step,
        buckets: charts::buckets(&counts, 1, step),
        href: Some(&link),
        marks: Vec::new(),
        current,
    })
}

async fn front(
    State(state): State<AppState>,
    params: Result<Query<FrontParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else {
        return failure(Failure::bad_request("from, to and page are dates and a page number"));
    };
    let app = state.clone();
    render(
        with_library(&state, move |lib| {
            let page_no = page_number(p.page)?;
            let window = window_of(lib, p.from.as_deref(), p.to.as_deref(), Some(MAX_DAYS))?;
            let listed = match window {
                // Single articles too: the newest week of a historical corpus may hold
                // no bigger story, and breadth ranks the wide stories first anyway.
                Some(w) => Some(lib.window_stories(
                    w.seconds(),
                    1,
                    (page_no - 1) * STORIES_PER_PAGE,
                    STORIES_PER_PAGE,
                )?),
                None => None,
            };
            let days = app.article_days(lib)?;
            // Not `stats()`: it scans the store (seconds on a million articles), and the
            // front page is rebuilt after every ingest.
            let (articles, story_count) = lib.sizes()?;
            let title = match window {
                Some(w) => format!("Stories, {}", w.label()),
                None => "Stories".to_owned(),
            };
            let base = window.map_or_else(|| "/".to_owned(), |w| format!("/?{}", w.query()));
            Ok(page(
                &title,
                &html! {
                    h1 { (title) }
                    p.meta {
                        (articles) " articles in " (story_count) " stories in the store. "
                        "In this window, the stories covered by the most outlets come first, then those with the most articles, then the newest."
                    }
                    @if let Some(days) = &days {
                        h2 { "The whole store over time" }
                        (store_histogram(days, window))
                    }
                    @if let Some(w) = window { (w.nav("/")) }
                    @match &listed {
                        Some(l) if l.stories.is_empty() => p { "No article of the store is dated in this window." },
                        Some(l) => {
                            ol.stories start=((page_no - 1) * STORIES_PER_PAGE + 1) {
                                @for s in &l.stories { (story_item(&s.story, Some((s.window_articles, s.window_outlets)))) }
                            }
                            (pager(&base, page_no, STORIES_PER_PAGE, l.total))
                        }
                        None => p { "No dated article yet. " code { "lede ingest" } " some news." },
                    }
                },
            ))
        })
        .await,
    )
}

/// Articles on a page of a story's timeline (a story of a thousand articles would make a
/// page too big to cache).
const TIMELINE_PER_PAGE: usize = 100;

/// A story's page; `page`: which page of its timeline (the chart covers all of it).
fn story_page(d: &StoryDetail, also_in: &[lede_engine::reads::AlsoIn], page: usize) -> Markup {
    let s = &d.story;
    html! {
        h1 dir="auto" { (s.label.as_deref().unwrap_or("(no headline)")) }
        p.meta {
            "Story " (s.id) " · " (s.size) " articles · " (s.outlets.len()) " outlets · "
            (span(s.first_seen.as_deref(), s.last_seen.as_deref()))
        }
        @if !d.entities.is_empty() {
            p.small {
                "Who and where: "
                @for (n, e) in d.entities.iter().enumerate() {
                    @if n > 0 { ", " }
                    (entity_link(&e.name)) " (" (e.articles) ")"
                }
            }
        }
        h2 { "How it spread" }
        (story_chart(d))
        @if !d.quotes.is_empty() {
            h2 { "Key quotes" }
            @for q in &d.quotes {
                blockquote {
                    "\u{201c}" (q.text) "\u{201d}"
                    div.small { "— " (speaker_link(Some(&q.speaker))) @if q.times > 1 { " (quoted " (q.times) " times)" } " · " a href={ "/articles/" (q.article_id) } { "source" } }
                }
            }
        }
        h2 { "Timeline" }
        ul.plain {
            @for a in d.timeline.iter().skip((page - 1) * TIMELINE_PER_PAGE).take(TIMELINE_PER_PAGE) {
                li {
                    span.meta { (day(a.published.as_deref())) " · " (outlet_link(a.outlet.as_deref())) } br;
                    a href={ "/articles/" (a.id) } { (a.title.as_deref().unwrap_or("(no headline)")) }
                }
            }
        }
        (pager(&format!("/stories/{}", s.id), page, TIMELINE_PER_PAGE, d.timeline.len() as u64))
        @if !also_in.is_empty() {
            h2 { "In other languages" }
            ul.plain {
                @for a in also_in {
                    li {
                        span.meta { (a.lang) " · " (counted(a.size as usize, "article")) } br;
                        a href={ "/stories/" (a.story) } lang=(a.lang) dir="auto" { (a.label.as_deref().unwrap_or("(no headline)")) }
                    }
                }
            }
        }
        (related(&d.related))
    }
}

/// The day of an ISO 8601 date.
pub(crate) fn day_of(date: Option<&str>) -> Option<lede_store::Day> {
    let at = lede_core::Timestamp::parse_iso(date?.trim()).ok()?;
    Some(lede_store::Day::of(at.unix_seconds()))
}

/// A story's articles per day stacked by outlet (its biggest outlets, the rest summed),
/// the day each key quote first appeared marked under the bars, and each outlet's first
/// and last article as a table.
fn story_chart(d: &StoryDetail) -> Markup {
    let shown = charts::SERIES_COLOURS - 1;
    let mut series: Vec<String> = d.story.outlets.iter().take(shown).cloned().collect();
    let others = d.story.outlets.len() > shown || d.timeline.iter().any(|a| a.outlet.is_none());
    if others {
        series.push("other outlets".into());
    }
    let counts: Vec<(lede_store::Day, Vec<u64>)> = d
        .timeline
        .iter()
        .filter_map(|a| {
            let day = day_of(a.published.as_deref())?;
            let s = a.outlet.as_ref().and_then(|o| {
                series[..series.len() - usize::from(others)].iter().position(|x| x == o)
            });
            let mut values = vec![0; series.len()];
            values[s.unwrap_or(series.len() - 1)] = 1;
            Some((day, values))
        })
        .collect();
    let Some(first) = counts.iter().map(|c| c.0).min() else {
        return html! { p.small { "No article of this story is dated." } };
    };
    let last = counts.iter().map(|c| c.0).max().unwrap_or(first);
    let step = Step::for_span(first, last);
    let marks: Vec<(lede_store::Day, String)> = d
        .quotes
        .iter()
        .filter_map(|q| {
            let a = d.timeline.iter().find(|a| a.id == q.article_id)?;
            Some((
                day_of(a.published.as_deref())?,
                format!(
                    "{} first quoted: \u{201c}{}\u{201d}",
                    q.speaker,
                    charts::short_label(&q.text, 80)
                ),
            ))
        })
        .collect();
    // Each outlet's first and last article, in the order they joined.
    let mut spans: Vec<(&str, &str, &str, usize)> = Vec::new();
    for a in &d.timeline {
        let (Some(o), Some(p)) = (a.outlet.as_deref(), a.published.as_deref()) else { continue };
        match spans.iter_mut().find(|s| s.0 == o) {
            Some(s) => {
                s.2 = day(Some(p));
                s.3 += 1;
            }
            None => spans.push((o, day(Some(p)), day(Some(p)), 1)),
        }
    }
    html! {
        (charts::bars(&Chart {
            id: "spread",
            title: format!("Articles of this story per {}, by outlet", match step { Step::Day => "day", Step::Week => "week", Step::Month => "month" }),
            unit: "articles",
            series,
            step,
            buckets: charts::buckets(&counts, counts.first().map_or(1, |c| c.1.len()), step),
            href: None,
            marks,
            current: None,
        }))
        @if !d.quotes.is_empty() { p.small { "Triangles under the bars: the day each key quote first appeared (hover for the words)." } }
        details {
            summary { "When each outlet joined and left (" (spans.len()) " outlets)" }
            table {
                thead { tr { th { "Outlet" } th { "First article" } th { "Last article" } th { "Articles" } } }
                tbody {
                    @for (o, first, last, n) in &spans {
                        tr { td { (outlet_link(Some(o))) } td { (first) } td { (last) } td.num { (n) } }
                    }
                }
            }
        }
    }
}

fn related(related: &[lede_engine::RelatedStory]) -> Markup {
    html! {
        h2 { "Related stories" }
        @if related.is_empty() { p.small { "None above the bar (lede would rather show none than strangers)." } }
        ul.plain {
            @for r in related {
                li {
                    a href={ "/stories/" (r.id) } { (r.label.as_deref().unwrap_or("(no headline)")) }
                    div.small {
                        (r.size) " articles · relatedness " (format!("{:.2}", r.score))
                        @if !r.evidence.entities.is_empty() { " · shared names: " (r.evidence.entities.join(", ")) }
                        @if !r.evidence.terms.is_empty() { " · shared words: " (r.evidence.terms.join(", ")) }
                        @if r.evidence.quotes > 0 { " · " (r.evidence.quotes) " shared quotes" }
                    }
                    @for q in &r.evidence.quoted {
                        blockquote.small { "\u{201c}" (q) "\u{201d}" }
                    }
                }
            }
        }
    }
}

async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    page_param: Result<Query<PageParam>, QueryRejection>,
) -> Response {
    let Ok(Query(PageParam { page: page_no })) = page_param else {
        return failure(Failure::bad_request("page is a number"));
    };
    render(
        with_library(&state, move |lib| {
            let id: u64 = checked_id(&id)?.parse().map_err(|_| Failure::not_found("story"))?;
            let page_no = page_number(page_no)?;
            // Only this page of the timeline needs its articles' titles.
            let shown = (page_no - 1).saturating_mul(TIMELINE_PER_PAGE)
                ..page_no.saturating_mul(TIMELINE_PER_PAGE);
            let linked = lib
                .linked_story_page(lede_core::StoryId(id), shown)?
                .ok_or_else(|| Failure::not_found("story"))?;
            let d = &linked.detail;
            let mut title = d.story.label.clone().unwrap_or_else(|| format!("Story {id}"));
            if page_no > 1 {
                title.push_str(&format!(", page {page_no}"));
            }
            Ok(page(&title, &story_page(d, &linked.also_in, page_no)))
        })
        .await,
    )
}

/// One mark over a paragraph's bytes: a quote (with its speaker) or a reused passage (with
/// its source's number).
struct Mark {
    start: usize,
    end: usize,
    class: String,
    title: String,
    source: Option<(usize, String)>,
}

/// A paragraph with its marks: the text cut at every mark boundary, each piece wrapped in
/// the marks that cover it; a source marker after each passage.
fn marked(text: &str, marks: &[Mark]) -> Markup {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for m in marks {
        cuts.push(m.start.min(text.len()));
        cuts.push(m.end.min(text.len()));
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @let covering: Vec<&Mark> = marks.iter().filter(|m| m.start <= a && b <= m.end).collect();
            @if covering.is_empty() {
                (&text[a..b])
            } @else {
                (nest(&text[a..b], &covering))
            }
            @for m in marks.iter().filter(|m| m.end == b && m.source.is_some()) {
                @if let Some((n, id)) = &m.source {
                    sup { a href={ "/articles/" (id) } title=(m.title) { "[" (n + 1) "]" } }
                }
            }
        }
    }
}

fn nest(text: &str, marks: &[&Mark]) -> Markup {
    match marks.split_first() {
        None => html! { (text) },
        Some((m, rest)) => html! { span class=(m.class) title=(m.title) { (nest(text, rest)) } },
    }
}

fn article_page(
    id: &str,
    a: &Article,
    annotations: &Annotations,
    trace: Option<&TraceReport>,
    story: Option<&StoryDetail>,
) -> Markup {
    let sources: Vec<&str> =
        trace.map(|t| t.sources.iter().map(|s| s.id.as_str()).collect()).unwrap_or_default();
    let marks_of = |p: usize, text: &str| -> Vec<Mark> {
        let mut marks: Vec<Mark> = annotations
            .quotes
            .iter()
            .filter(|q| q.paragraph == p && q.direct)
            .map(|q| Mark {
                start: q.start,
                end: q.end,
                class: "q".into(),
                title: format!("said by {}", q.speaker.as_deref().unwrap_or("someone unnamed")),
                source: None,
            })
            .collect();
        if let Some(t) = trace {
            for pass in t.passages.iter().filter(|x| x.paragraph == p) {
                let n = sources.iter().position(|s| *s == pass.source_id).unwrap_or(0);
                let swaps: Vec<String> =
                    pass.substitutions.iter().map(|s| format!("{} → {}", s.from, s.to)).collect();
                let mut title =
                    format!("from source {} ({:.0}% similar)", n + 1, pass.similarity * 100.0);
                if !swaps.is_empty() {
                    title.push_str(&format!("; words swapped: {}", swaps.join(", ")));
                }
                marks.push(Mark {
                    start: pass.start,
                    end: pass.end,
                    class: format!("s{}", n % 5),
                    title,
                    source: Some((n, pass.source_id.clone())),
                });
                // Each swapped word where it stands in the passage, with what the source had.
                let inside = text.get(pass.start..pass.end.min(text.len())).unwrap_or("");
                for sub in pass.substitutions.iter().filter(|s| !s.to.is_empty()) {
                    for (at, _) in inside.match_indices(sub.to.as_str()) {
                        marks.push(Mark {
                            start: pass.start + at,
                            end: pass.start + at + sub.to.len(),
                            class: "sub".into(),
                            title: format!("the source has \u{201c}{}\u{201d}", sub.from),
                            source: None,
                        });
                    }
                }
            }
        }
        marks
    };
    // The article's own text is in its own language and direction (`dir="auto"`: Arabic
    // and Hebrew read right to left); the page around it is lede's, in English.
    let lang = a.language.as_deref();
    html! {
        h1 lang=[lang] dir="auto" { (a.title.as_deref().unwrap_or("(no headline)")) }
        p.meta {
            @if !a.authors.is_empty() { "By " (a.authors.join(", ")) " · " }
            (a.published.as_ref().map_or("undated".to_owned(), |p| p.at.to_string()))
            @if a.outlet.is_some() { " · " (outlet_link(a.outlet.as_deref())) }
            @if let Some(u) = &a.url {
                " · "
                @if let Some(u) = safe_url(u) { a href=(u) rel="noopener noreferrer nofollow" { "original" } }
                @else { (u) }
            }
        }
        @if let Some(t) = trace {
            p.small {
                "Provenance: "
                // An empty search is no proof of originality: when the text itself shows
                // signs of a composite, say so instead of "ORIGINAL" (issue 16).
                @if t.composite_suspected {
                    "no earlier source in this store; signs of a composite: "
                    (t.intrinsic.iter().map(|s| s.reason()).collect::<Vec<_>>().join("; "))
                    "."
                } @else {
                    span.verdict { (t.verdict.as_str()) }
                }
                @if !t.sources.is_empty() { " — passages tinted by source, quotes in yellow (hover for who said them)." }
            }
        }
        @for c in &a.captions { p.small { "[caption] " span lang=[lang] dir="auto" { (c) } } }
        // Each paragraph links to its history further down (an anchor: no script, no
        // second trace).
        @for (n, p) in a.paragraphs.iter().enumerate() {
            p id={ "p" (n + 1) } lang=[lang] dir="auto" {
                (marked(p, &marks_of(n, p)))
                @if trace.is_some() {
                    " " a.hist href={ "#passage-" (n + 1) } title="where this paragraph was first seen, and where it went" { "¶" (n + 1) }
                }
            }
        }
        @if let Some(t) = trace {
            @if !t.sources.is_empty() {
                h2 { "Sources" }
                ol {
                    @for s in &t.sources {
                        li {
                            a href={ "/articles/" (s.id) } { (s.title.as_deref().unwrap_or(&s.id)) }
                            span.small { " · " (outlet_link(s.outlet.as_deref())) " · " (day(s.published.as_deref())) " · supplies " (format!("{:.0}%", s.coverage * 100.0)) }
                        }
                    }
                }
            }
            (passages_went(t))
            @if !t.spin_markers.is_empty() {
                h2 { "Spin markers" }
                ul { @for m in &t.spin_markers { li { "“" (m.surface) "” where one expects “" (m.expected) "” (" (m.count) "×)" } } }
            }
        }
        @if !annotations.quotes.is_empty() {
            h2 { "Who said what" }
            @for q in annotations.quotes.iter().filter(|q| q.direct) {
                blockquote { "\u{201c}" (q.text) "\u{201d}" div.small { "— " (speaker_link(q.speaker.as_deref())) } }
            }
        }
        @if !annotations.entities.is_empty() {
            p.small {
                "Named: "
                @for (n, e) in annotations.entities.iter().take(20).enumerate() {
                    @if n > 0 { ", " }
                    (entity_link(&e.name))
                }
            }
        }
        @if let Some(d) = story {
            h2 { "Story" }
            p { a href={ "/stories/" (d.story.id) } { (d.story.label.as_deref().unwrap_or("(no headline)")) } span.small { " · " (d.story.size) " articles" } }
            (related(&d.related))
        }
        @if !a.related.is_empty() {
            h2 { "The page's own related links" }
            ul.plain {
                @for (r, c) in a.related.iter().zip(lede_engine::check_links(a)) {
                    li {
                        @if let Some(u) = r.url.as_deref().and_then(safe_url) { a href=(u) rel="noopener noreferrer nofollow" { (r.title) } } @else { (r.title) }
                        @if !c.related { span.small { " — unrelated: shares almost no words with this article" } }
                    }
                }
            }
        }
        p.small { "Article " (id) " · " a href={ "/api/articles/" (id) } { "JSON" } }
    }
}

/// The paragraphs of the traced article a later one took passages from, each once.
fn taken(r: &lede_engine::TraceReuse) -> Vec<usize> {
    let mut ns: Vec<usize> = r.passages.iter().map(|p| p.paragraph).collect();
    ns.dedup();
    ns
}

/// Paragraph links ("¶1", "¶2"...) to the article's own paragraphs.
fn paragraph_links(ns: &[usize]) -> Markup {
    html! {
        @for (i, n) in ns.iter().enumerate() {
            @if i > 0 { " " }
            a href={ "#p" (n + 1) } { "¶" (n + 1) }
        }
    }
}

/// Where the article's passages went: the later articles that reuse them, then each
/// paragraph's history, under the anchors the paragraphs link to.
fn passages_went(t: &TraceReport) -> Markup {
    html! {
        @if !t.reused_by.is_empty() {
            h2 { "Reused by" }
            ol {
                @for r in &t.reused_by {
                    @let ns: Vec<usize> = taken(r);
                    li {
                        a href={ "/articles/" (r.id) } { (r.title.as_deref().unwrap_or(&r.id)) }
                        span.small {
                            " · " (outlet_link(r.outlet.as_deref())) " · " (day(r.published.as_deref()))
                            " · takes " (format!("{:.0}%", r.coverage * 100.0)) " · "
                            @if r.spun {
                                span.verdict { "spun" } (format!(" ({:.2})", r.spin_score))
                            } @else { "copied" }
                            " · " (paragraph_links(&ns))
                        }
                    }
                }
            }
            @if t.reused_by_capped {
                p.small { "More later articles may reuse this one: the search stopped at its bounds (" (lede_engine::MAX_REUSERS) " articles compared at most) while still finding reuse." }
            }
        }
        h2 id="passages" { "Passage history" }
        ol.plain {
            @for h in &t.passage_history {
                li id={ "passage-" (h.paragraph + 1) } {
                    a href={ "#p" (h.paragraph + 1) } { "¶" (h.paragraph + 1) }
                    " first seen "
                    @if h.first_seen.id == t.id { "here" } @else {
                        "in " a href={ "/articles/" (h.first_seen.id) } { (h.first_seen.record_id.as_deref().unwrap_or(&h.first_seen.id)) }
                    }
                    span.small {
                        " · " (outlet_link(h.first_seen.outlet.as_deref())) " · " (day(h.first_seen.published.as_deref()))
                        @if h.earlier > 1 { " · in " (h.earlier) " earlier articles" }
                        " · "
                        @match h.copies {
                            0 => "no later copy known",
                            1 => "1 later copy",
                            n => (format!("{n} later copies")),
                        }
                        @if h.spun_copies > 0 { ", " (h.spun_copies) " spun" }
                        @if !h.outlets.is_empty() { " · outlets: " (h.outlets.join(", ")) }
                    }
                }
            }
        }
    }
}

async fn article(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    render(
        with_library(&state, move |lib| {
            let stored =
                lib.show(checked_id(&id)?)?.ok_or_else(|| Failure::not_found("article"))?;
            let annotations = lib.annotations(&stored)?;
            // Provenance is shown when it can be had; its absence is not an error.
            let trace = lib.trace_article(&stored.article, Some(&stored)).ok();
            let story = lib.story_of_article(stored.seq)?;
            let title = stored
                .article
                .title
                .clone()
                .or_else(|| {
                    stored.article.paragraphs.first().and_then(|p| lede_engine::lead_label(p))
                })
                .unwrap_or_else(|| "Article".into());
            let body = article_page(
                &stored.id.to_string(),
                &stored.article,
                &annotations,
                trace.as_ref(),
                story.as_ref(),
            );
            Ok(page(&title, &body))
        })
        .await,
    )
}

/// Results on a page of the search page.
const RESULTS_PER_PAGE: usize = 50;
/// Pages of search results shown (the index ranks the best `pages × 50`).
const MAX_SEARCH_PAGES: usize = 10;

/// `?page` of the search page (its other parameters are the API's).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct PageParam {
    page: Option<usize>,
}

async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
    page_param: Result<Query<PageParam>, QueryRejection>,
) -> Response {
    let (Ok(Query(p)), Ok(Query(PageParam { page }))) = (params, page_param) else {
        return failure(Failure::bad_request("limit and page are numbers"));
    };
    render(
        with_library(&state, move |lib| {
            let q = p.q.clone().unwrap_or_default();
            let mut query = p.query()?;
            let page_no = page_number(page)?;
            if page_no > MAX_SEARCH_PAGES {
                return Err(Failure::bad_request(format!("page={page_no}: search shows the best {MAX_SEARCH_PAGES} pages")));
            }
            // A window is shown with its steps only when one is asked for: a search
            // looks through the whole store unless told otherwise.
            let window = Window::read(p.from.as_deref(), p.to.as_deref(), None, None)?;
            if q.trim().is_empty() && query.entity.is_none() && query.outlet.is_none() {
                return Ok(layout("Search", "", &html! { h1 { "Search" } p { "Words, \"phrases\", AND/OR/-, title: outlet: author: entity:." } }).into_response());
            }
            query.limit = RESULTS_PER_PAGE * page_no;
            let mut results = lib.search(&query)?;
            results.hits.drain(..(RESULTS_PER_PAGE * (page_no - 1)).min(results.hits.len()));
            let total = results.total;
            // A record without a headline is listed by its lead's first sentence.
            let mut leads: Vec<Option<String>> = Vec::with_capacity(results.hits.len());
            for h in &results.hits {
                leads.push(match &h.title {
                    Some(_) => None,
                    None => lib.show(&h.id)?.and_then(|a| a.article.paragraphs.first().and_then(|p| lede_engine::lead_label(p))),
                });
            }
            let kept = format!(
                "/search?q={}{}{}",
                urlencode(&q),
                crate::window::param("outlet", p.outlet.as_deref()),
                crate::window::param("entity", p.entity.as_deref())
            );
            let paged = match window {
                Some(w) => format!("{kept}&{}", w.query()),
                None => kept.clone(),
            };
            // Facet values come from the best hits (outlets, names, months); each is then
            // counted over every match, with one counting query per value shown.
            let mut outlets: Vec<(String, usize)> = Vec::new();
            let mut months: Vec<(String, usize)> = Vec::new();
            let mut names: Vec<(String, usize)> = Vec::new();
            for h in &results.hits {
                let bump = |list: &mut Vec<(String, usize)>, key: String| match list.iter_mut().find(|(k, _)| *k == key) {
                    Some(e) => e.1 += 1,
                    None => list.push((key, 1)),
                };
                if let Some(o) = &h.outlet { bump(&mut outlets, o.clone()); }
                if let Some(d) = h.published.as_deref().and_then(|d| d.get(..7)) { bump(&mut months, d.to_owned()); }
                for e in &h.entities { bump(&mut names, e.clone()); }
            }
            outlets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            months.sort_by(|a, b| b.0.cmp(&a.0));
            names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            outlets.truncate(FACET_OUTLETS);
            months.truncate(FACET_MONTHS);
            names.truncate(FACET_NAMES);
            if results.hits.len() < total as usize {
                for (o, n) in &mut outlets {
                    *n = lib.search_count(&SearchQuery { outlet: Some(o.clone()), ..query.clone() })? as usize;
                }
                // One entity filter at a time: with one set, the others keep their counts
                // over the hits shown.
                if query.entity.is_none() {
                    for (e, n) in &mut names {
                        *n = lib.search_count(&SearchQuery { entity: Some(e.clone()), ..query.clone() })? as usize;
                    }
                }
                for (m, n) in &mut months {
                    let Some((from, to)) = month_bounds(m) else { continue };
                    let from = query.from.map_or(from, |f| f.max(from));
                    let to = query.to.map_or(to, |t| t.min(to));
                    *n = lib.search_count(&SearchQuery { from: Some(from), to: Some(to), ..query.clone() })? as usize;
                }
                outlets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
            let base = format!("/search?q={}", urlencode(&q));
            let body = html! {
                h1 { "Search" }
                p.meta {
                    (total) " results"
                    @if results.hits.len() < total as usize && !results.hits.is_empty() {
                        " (" (RESULTS_PER_PAGE * (page_no - 1) + 1) "–" (RESULTS_PER_PAGE * (page_no - 1) + results.hits.len()) " shown)"
                    }
                    @if let Some(e) = &query.entity { " naming " (e) }
                    @if let Some(o) = &query.outlet { " from " (o) }
                }
                @for w in &results.warnings { p.small { "Note: " (w) } }
                @if !outlets.is_empty() {
                    p.facets { "Outlets: " @for (o, n) in &outlets { a href={ (base) "&outlet=" (urlencode(o)) } { (o) " (" (n) ")" } } }
                }
                @if !names.is_empty() {
                    p.facets { "Names: " @for (e, n) in &names { a href={ (base) "&entity=" (urlencode(e)) } { (e) " (" (n) ")" } } }
                }
                @if !months.is_empty() {
                    p.facets {
                        "Months: "
                        @for (m, n) in &months {
                            a href={ (base) "&from=" (m) "-01&to=" (m) "-" (days_in_month(m)) } { (m) " (" (n) ")" }
                        }
                    }
                }
                @if let Some(w) = window { (w.nav(&kept)) }
                ol.stories start=(RESULTS_PER_PAGE * (page_no - 1) + 1) {
                    @for (h, lead) in results.hits.iter().zip(&leads) {
                        li {
                            a href={ "/articles/" (h.id) } { (h.title.as_deref().or(lead.as_deref()).unwrap_or("(no headline)")) }
                            div.meta { (day(h.published.as_deref())) " · " (outlet_link(h.outlet.as_deref())) }
                            div.small { (snippet(&h.snippet, &h.highlights)) }
                        }
                    }
                }
                (pager(&paged, page_no, RESULTS_PER_PAGE, total.min((RESULTS_PER_PAGE * MAX_SEARCH_PAGES) as u64)))
            };
            let mut title = if q.trim().is_empty() { "Search".to_owned() } else { format!("Search: {}", q.trim()) };
            for (what, v) in [("naming", &query.entity), ("from", &query.outlet)] {
                if let Some(v) = v { title.push_str(&format!(" {what} {v}")); }
            }
            if let Some(w) = window { title.push_str(&format!(", {}", w.label())); }
            Ok(layout(&title, &q, &body).into_response())
        })
        .await,
    )
}

/// A snippet with its matches marked (byte ranges; any not on character boundaries are
/// dropped).
fn snippet(text: &str, highlights: &[std::ops::Range<usize>]) -> Markup {
    // (plain, marked) pieces in order
    let mut pieces: Vec<(&str, &str)> = Vec::new();
    let mut at = 0;
    for r in highlights {
        let fits = r.start >= at && r.start <= r.end && r.end <= text.len();
        if fits && text.is_char_boundary(r.start) && text.is_char_boundary(r.end) {
            pieces.push((&text[at..r.start], &text[r.start..r.end]));
            at = r.end;
        }
    }
    html! {
        @for (plain, hit) in &pieces { (plain) mark { (hit) } }
        (text.get(at..).unwrap_or(""))
    }
}

/// Percent-encoding for a query parameter value.
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(safe_url("https://example.com/a"), Some("https://example.com/a"));
        assert_eq!(safe_url("HTTP://x.org"), Some("HTTP://x.org"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" data:text/html,<script>"), None);
        assert_eq!(urlencode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn marks_escape_and_nest() {
        let text = "He said \"<script>x</script>\" today.";
        let marks = [
            Mark {
                start: 8,
                end: 29,
                class: "q".into(),
                title: "said by <b>".into(),
                source: None,
            },
            Mark {
                start: 0,
                end: 12,
                class: "s0".into(),
                title: "from source 1".into(),
                source: Some((0, "abc".into())),
            },
        ];
        let html = marked(text, &marks).into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;/script&gt;"), "{html}");
        assert!(html.contains("said by &lt;b&gt;"));
        assert!(html.contains("href=\"/articles/abc\""));
    }
}
