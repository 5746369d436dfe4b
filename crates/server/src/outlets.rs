//! The outlet pages (`/outlets`, `/outlets/{name}`) and their API (`/api/outlets`,
//! `/api/outlets/{name}`), over the network `network.rs` keeps (issues 16 and 18).
//!
//! Nothing here traces: a request reads the last network computed (microseconds to render
//! from memory), or says that it is being computed. The outlet page draws who the outlet
//! copies and who copies it as an SVG graph rendered here (no script: the CSP stays as it
//! is), with a text alternative and the same data as a table. Every name is escaped by
//! maud; in a URL it is percent-encoded.
//!
//! Answers that say "computing" or show a network older than the store are marked
//! [`Uncached`]: the page cache would otherwise serve them after the new network is ready.

use crate::error::{ErrorCode, Failure};
use crate::network::{Computed, Running, View};
use crate::pages::{failure, layout_with, urlencode};
use crate::{AppState, Uncached, with_library};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use lede_engine::{CopyEdge, Network, OutletStats, SpinGroup};
use maud::{Markup, html};
use serde::Serialize;
use std::sync::Arc;

/// Outlets listed on `/outlets` (most articles first); the API lists them all.
const LISTED_OUTLETS: usize = 300;
/// Sources and copiers drawn on each side of the graph; the table lists them all.
const DRAWN_PER_SIDE: usize = 12;
/// Copy pairs shown on an outlet's page.
const EXAMPLES: usize = 10;
/// Seconds between refreshes of a "computing" page, and the API's `Retry-After`.
const REFRESH_S: u32 = 5;
/// Longest outlet name accepted in a path (bytes); no stored outlet is longer in practice.
const MAX_NAME: usize = 512;

/// What the network looks like now: the store's size and state are read, then
/// [`crate::network::Networks::view`] (which may start the computation, and waits for it
/// a moment at most).
async fn view(state: &AppState) -> Result<View, Failure> {
    let networks = Arc::clone(&state.networks);
    let source = Arc::clone(&state.source);
    with_library(state, move |lib| {
        let (articles, _) = lib.sizes()?;
        let token = (source.state)();
        networks.view(articles, token)
    })
    .await
}

/// The network's figures for `/outlets/{name}`: its outlet, checked.
fn find<'a>(network: &'a Network, name: &str) -> Result<&'a OutletStats, Failure> {
    if name.is_empty() || name.len() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Failure::not_found("outlet of that name"));
    }
    network.outlets.iter().find(|o| o.name == name).ok_or_else(|| {
        Failure::not_found(&format!("outlet named \u{201c}{name}\u{201d} in the copy network"))
    })
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "undated".to_owned(), |d| format!("{d:.1} d"))
}

fn outlet_href(name: &str) -> String {
    format!("/outlets/{}", urlencode(name))
}

/// Marks an answer the cache must not keep.
fn uncached(mut response: Response) -> Response {
    response.extensions_mut().insert(Uncached);
    response
}

/// A page, cached only when it shows the network of the store as it is.
fn page_of(v: &View, title: &str, body: &Markup) -> Response {
    let response = layout_with(title, "", None, body).into_response();
    if matches!(v, View::Ready(_)) { response } else { uncached(response) }
}

/// The "still computing" page: what is traced, since when, how far along; it refreshes
/// itself.
fn computing_page(r: &Running) -> Response {
    let body = html! {
        h1 { "Outlets" }
        p { "The outlet copy network is being computed: " (r.describe()) "." }
        p.small {
            "Each article is traced back to its sources, about 1-3 ms an article; the result is kept "
            "until the store changes. This page refreshes itself every " (REFRESH_S) " seconds."
        }
    };
    uncached(layout_with("Outlets (computing)", "", Some(REFRESH_S), &body).into_response())
}

/// What the page says about when the network was computed, and over what.
fn provenance_note(c: &Computed, running: Option<&Arc<Running>>) -> Markup {
    let n = &c.network;
    html! {
        p.small {
            "Computed " (crate::atom::utc(c.finished_at)) " in " (format!("{:.1}", c.seconds)) " s, "
            @match c.sample {
                Some(_) => { "on a sample of " (n.traced) " of the " (n.articles) " articles (every k-th in storage order; the store is larger than the server traces whole): shares are over the sample, counts of articles over the whole store." }
                None => { "over all " (n.traced) " articles." }
            }
            @if let Some(r) = running {
                strong { " The store has changed since; " (r.describe()) "." }
            }
        }
    }
}

/// `/outlets`.
pub(crate) async fn index(State(state): State<AppState>) -> Response {
    let v = match view(&state).await {
        Ok(v) => v,
        Err(f) => return failure(f),
    };
    let Some(c) = v.computed() else {
        return computing_page(v.running().expect("a view has a network or a computation"));
    };
    let n = &c.network;
    let body = html! {
        h1 { "Outlets" }
        p.meta {
            (n.outlets.len()) " outlets · " (n.articles) " articles · "
            (n.edges.len()) " copy edges · " (n.groups.len()) " spin groups · "
            a href="/api/outlets" { "JSON" }
        }
        (provenance_note(c, v.running()))
        @if n.outlets.len() > LISTED_OUTLETS {
            p.small { "The " (LISTED_OUTLETS) " outlets with the most articles of " (n.outlets.len()) "; the JSON lists them all." }
        }
        table.outlets {
            caption.small { "Reused: share of the outlet's traced words taken from other outlets' earlier articles. Reused by others: share of its articles that another outlet reuses. Spun: share of its traced articles that are spun copies." }
            thead { tr { th { "Outlet" } th { "Articles" } th { "Reused" } th { "Reused by others" } th { "Spun" } th { "Top sources" } } }
            tbody {
                @for o in n.outlets.iter().take(LISTED_OUTLETS) {
                    tr {
                        td { a href=(outlet_href(&o.name)) { (o.name) } }
                        td.num { (o.articles) }
                        td.num { (percent(o.reused_share)) }
                        td.num { (percent(o.reused_by_others_share)) }
                        td.num { (percent(o.spin_rate)) }
                        td.small {
                            @for (i, s) in o.from.iter().take(3).enumerate() {
                                @if i > 0 { ", " }
                                a href=(outlet_href(&s.outlet)) { (s.outlet) } " " (percent(s.share))
                            }
                        }
                    }
                }
            }
        }
        h2 id="groups" { "Spin groups" }
        @if n.groups.is_empty() {
            p.small { "None: no two outlets share spun copies of the same sources." }
        }
        @for (i, g) in n.groups.iter().enumerate() { (group(i, g)) }
    };
    page_of(&v, "Outlets", &body)
}

/// One spin group with its score and evidence.
fn group(i: usize, g: &SpinGroup) -> Markup {
    html! {
        section id={ "group-" (i + 1) } {
            h3 { "Group " (i + 1) ": score " (format!("{:.2}", g.score)) }
            p {
                @for (k, o) in g.outlets.iter().enumerate() {
                    @if k > 0 { ", " }
                    a href=(outlet_href(o)) { (o) }
                }
            }
            p.small {
                (g.spun_copies) " spun copies, " (g.shared_spun_sources) " spun sources shared · median lag "
                (days(g.median_lag_days)) " · median spread between members " (days(g.median_spread_days))
            }
            @if !g.spun_from.is_empty() {
                p.small { "Spins from: " (g.spun_from.iter().map(|s| format!("{} ({})", s.name, s.articles)).collect::<Vec<_>>().join(", ")) }
            }
            @if !g.shared_swaps.is_empty() {
                p.small {
                    "Shared swaps: "
                    (g.shared_swaps.iter().map(|s| format!("\u{201c}{}\u{201d} \u{2192} \u{201c}{}\u{201d} ({} outlets, {}\u{d7})", s.from, s.to, s.outlets.len(), s.count)).collect::<Vec<_>>().join("; "))
                }
            }
            @if !g.shared_bylines.is_empty() {
                p.small { "Shared bylines: " (g.shared_bylines.join(", ")) }
            }
            @if !g.examples.is_empty() {
                ul.small {
                    @for e in &g.examples {
                        li {
                            a href={ "/articles/" (urlencode(&e.id)) } { (e.title.as_deref().or(e.record_id.as_deref()).unwrap_or(&e.id)) }
                            " (" (e.outlet) ") spun by " (e.spun_by.join(", "))
                        }
                    }
                }
            }
        }
    }
}

/// The edges into and out of an outlet: whom it copies, who copies it (most words first,
/// as the network lists edges).
fn sides<'a>(n: &'a Network, name: &str) -> (Vec<&'a CopyEdge>, Vec<&'a CopyEdge>) {
    let from = n.edges.iter().filter(|e| e.copier == name).collect();
    let by = n.edges.iter().filter(|e| e.source == name).collect();
    (from, by)
}

/// `/outlets/{name}`.
pub(crate) async fn outlet(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let v = match view(&state).await {
        Ok(v) => v,
        Err(f) => return failure(f),
    };
    let Some(c) = v.computed().cloned() else {
        return computing_page(v.running().expect("a view has a network or a computation"));
    };
    let o = match find(&c.network, &name) {
        Ok(o) => o.clone(),
        Err(f) => return failure(f),
    };
    let n = &c.network;
    let (from, by) = sides(n, &name);
    // The copies behind its edges, its own first (their pages show each one's trace).
    let examples: Vec<&lede_engine::CopyPair> =
        from.iter().chain(&by).flat_map(|e| &e.pairs).take(EXAMPLES).collect();
    let share_of = |e: &CopyEdge| o.from.iter().find(|s| s.outlet == e.source).map(|s| s.share);
    let body = html! {
        h1 { (o.name) }
        p.meta {
            (o.articles) " articles · " (o.traced) " traced · "
            (percent(o.reused_share)) " of its words reused from others"
            @if o.median_lag_days.is_some() { " (median lag " (days(o.median_lag_days)) ")" }
            " · " (o.reused_by_others) " articles reused by others (" (percent(o.reused_by_others_share)) ") · spin rate "
            (percent(o.spin_rate)) " · " (o.byline_count) " bylines · "
            a href={ "/api/outlets/" (urlencode(&o.name)) } { "JSON" }
        }
        (provenance_note(&c, v.running()))
        @if let Some(g) = o.group.and_then(|g| n.groups.get(g).map(|x| (g, x))) {
            p {
                "Member of " a href={ "/outlets#group-" (g.0 + 1) } { "spin group " (g.0 + 1) }
                " (score " (format!("{:.2}", g.1.score)) ") with "
                @for (k, m) in g.1.outlets.iter().filter(|m| **m != o.name).enumerate() {
                    @if k > 0 { ", " }
                    a href=(outlet_href(m)) { (m) }
                }
                "."
            }
        }
        h2 { "Who it copies and who copies it" }
        (graph(&o.name, &from, &by))
        h2 { "Copies from" }
        @if from.is_empty() { p.small { "No other outlet's earlier text found in its traced articles." } }
        @else {
            table {
                thead { tr { th { "Outlet" } th { "Articles" } th { "Words" } th { "Share of its words" } th { "Median lag" } th { "Spun" } } }
                tbody {
                    @for e in &from {
                        tr {
                            td { a href=(outlet_href(&e.source)) { (e.source) } }
                            td.num { (e.articles) } td.num { (e.words) }
                            td.num { (share_of(e).map_or("–".to_owned(), percent)) }
                            td.num { (days(e.median_lag_days)) }
                            td.num { (percent(e.spun_share)) }
                        }
                    }
                }
            }
        }
        h2 { "Copied by" }
        @if by.is_empty() { p.small { "No other outlet's traced article reuses its text." } }
        @else {
            table {
                thead { tr { th { "Outlet" } th { "Articles" } th { "Words" } th { "Median lag" } th { "Spun" } } }
                tbody {
                    @for e in &by {
                        tr {
                            td { a href=(outlet_href(&e.copier)) { (e.copier) } }
                            td.num { (e.articles) } td.num { (e.words) }
                            td.num { (days(e.median_lag_days)) }
                            td.num { (percent(e.spun_share)) }
                        }
                    }
                }
            }
        }
        h2 { "Bylines" }
        @if o.bylines.is_empty() { p.small { "None printed." } }
        @else {
            p {
                (o.bylines.iter().map(|b| format!("{} ({})", b.name, b.articles)).collect::<Vec<_>>().join(", "))
                @if o.byline_count > o.bylines.len() { " and " (o.byline_count - o.bylines.len()) " more" }
            }
        }
        h2 { "Copies behind the edges" }
        @if examples.is_empty() { p.small { "No copy between it and another outlet found." } }
        ul.plain {
            @for p in &examples {
                li {
                    a href={ "/articles/" (urlencode(&p.copy.id)) } { (p.copy.title.as_deref().unwrap_or("(no headline)")) }
                    " copies "
                    a href={ "/articles/" (urlencode(&p.source.id)) } { (p.source.title.as_deref().unwrap_or("(no headline)")) }
                    span.small { " · " (p.words) " words" @if p.spun { ", spun" } }
                }
            }
        }
    };
    page_of(&v, &o.name, &body)
}

/// The graph of one outlet: its sources on the left, the outlet in the centre, its
/// copiers on the right; an edge's width grows with the words it carries (square root,
/// so that a small edge stays visible beside a large one), spun edges are dashed and red,
/// arrows point the way text went. At most [`DRAWN_PER_SIDE`] outlets a side, in the
/// network's order (most words first). The same data follows as a table in a
/// `<details>`, and a sentence says what the picture shows.
fn graph(name: &str, from: &[&CopyEdge], by: &[&CopyEdge]) -> Markup {
    const W: f64 = 720.0;
    const ROW: f64 = 28.0;
    const TOP: f64 = 36.0;
    const LEFT: f64 = 210.0;
    const MID: f64 = 360.0;
    const RIGHT: f64 = 510.0;
    let left: Vec<&CopyEdge> = from.iter().take(DRAWN_PER_SIDE).copied().collect();
    let right: Vec<&CopyEdge> = by.iter().take(DRAWN_PER_SIDE).copied().collect();
    let rows = left.len().max(right.len()).max(1);
    let height = TOP + rows as f64 * ROW + 24.0;
    let cy = TOP + rows as f64 * ROW / 2.0 - ROW / 2.0;
    let row_y = |i: usize, n: usize| TOP + (rows - n) as f64 * ROW / 2.0 + i as f64 * ROW;
    let most = from.iter().chain(by).map(|e| e.words).max().unwrap_or(1).max(1) as f64;
    let width = |e: &CopyEdge| 1.0 + 7.0 * (e.words as f64 / most).sqrt();
    // A line from (x1, y1) towards (x2, y2), stopped `gap` short of its end (the arrow
    // then touches the node rather than hiding under it).
    let short = |x1: f64, y1: f64, x2: f64, y2: f64, gap: f64| {
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        (x2 - dx / len * gap, y2 - dy / len * gap)
    };
    let label = |s: &str| crate::charts::short_label(s, 28);
    let describe = |e: &CopyEdge| {
        format!(
            "{} copies {}: {} articles, {} words, median lag {}, {} spun",
            e.copier,
            e.source,
            e.articles,
            e.words,
            days(e.median_lag_days),
            percent(e.spun_share)
        )
    };
    let summary = format!(
        "{name} copies from {} outlet{} and is copied by {}{}.",
        from.len(),
        if from.len() == 1 { "" } else { "s" },
        by.len(),
        if by.is_empty() { "" } else { " (see the table below)" }
    );
    let f = |x: f64| format!("{x:.1}");
    html! {
        // A figure, not an "img": it holds links, and an image may hold nothing focusable
        // (axe-core's nested-interactive, issue 18).
        svg.net role="figure" aria-labelledby="net-title net-desc" viewBox={ "0 0 " (W) " " (f(height)) } width="100%" style={ "max-width:" (W) "px" } {
            title id="net-title" { "Who " (name) " copies and who copies it" }
            desc id="net-desc" { (summary) " Left: the outlets it takes text from; right: the outlets that take its text; wider lines carry more words, dashed red lines spun copies." }
            defs {
                marker id="tip" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto" {
                    path.tip d="M0,0 L10,5 L0,10 z" {}
                }
            }
            text x=(f(LEFT)) y="16" text-anchor="end" class="head" { "copies from" }
            text x=(f(RIGHT)) y="16" class="head" { "copied by" }
            @for (i, e) in left.iter().enumerate() {
                @let y = row_y(i, left.len());
                @let (x2, y2) = short(LEFT, y, MID, cy, 11.0);
                line class=(if e.spun_articles > 0 { "e spun" } else { "e" }) x1=(f(LEFT + 6.0)) y1=(f(y)) x2=(f(x2)) y2=(f(y2)) stroke-width=(f(width(e))) marker-end="url(#tip)" { title { (describe(e)) } }
                circle cx=(f(LEFT)) cy=(f(y)) r="5" {}
                a href=(outlet_href(&e.source)) { text x=(f(LEFT - 10.0)) y=(f(y + 4.0)) text-anchor="end" { (label(&e.source)) title { (e.source) } } }
            }
            @for (i, e) in right.iter().enumerate() {
                @let y = row_y(i, right.len());
                @let (x2, y2) = short(MID, cy, RIGHT, y, 7.0);
                line class=(if e.spun_articles > 0 { "e spun" } else { "e" }) x1=(f(MID + 10.0)) y1=(f(cy)) x2=(f(x2)) y2=(f(y2)) stroke-width=(f(width(e))) marker-end="url(#tip)" { title { (describe(e)) } }
                circle cx=(f(RIGHT)) cy=(f(y)) r="5" {}
                a href=(outlet_href(&e.copier)) { text x=(f(RIGHT + 10.0)) y=(f(y + 4.0)) { (label(&e.copier)) title { (e.copier) } } }
            }
            circle.centre cx=(f(MID)) cy=(f(cy)) r="9" {}
            text x=(f(MID)) y=(f(cy - 16.0)) text-anchor="middle" class="centre" { (label(name)) }
            @if from.len() > left.len() {
                text x=(f(LEFT)) y=(f(height - 6.0)) text-anchor="end" class="head" { "and " (from.len() - left.len()) " more" }
            }
            @if by.len() > right.len() {
                text x=(f(RIGHT)) y=(f(height - 6.0)) class="head" { "and " (by.len() - right.len()) " more" }
            }
        }
        p.small { (summary) " Wider lines carry more words; dashed red lines are spun copies; arrows point the way the text went." }
        details {
            summary { "The graph as a table" }
            table {
                thead { tr { th { "Direction" } th { "Outlet" } th { "Articles" } th { "Words" } th { "Median lag" } th { "Spun" } } }
                tbody {
                    @for e in from {
                        tr { td { "copies from" } td { (e.source) } td.num { (e.articles) } td.num { (e.words) } td.num { (days(e.median_lag_days)) } td.num { (percent(e.spun_share)) } }
                    }
                    @for e in by {
                        tr { td { "copied by" } td { (e.copier) } td.num { (e.articles) } td.num { (e.words) } td.num { (days(e.median_lag_days)) } td.num { (percent(e.spun_share)) } }
                    }
                }
            }
        }
    }
}

/// When and over what the network was computed, in the API's answers.
#[derive(Debug, Serialize)]
struct ComputedJson {
    started_at: String,
    finished_at: String,
    seconds: f64,
    sample: Option<usize>,
    /// Whether the network is the store's as it is now.
    current: bool,
    /// When not: what is being traced.
    recomputing: Option<String>,
}

fn computed_json(c: &Computed, running: Option<&Arc<Running>>) -> ComputedJson {
    ComputedJson {
        started_at: crate::atom::utc(c.started_at),
        finished_at: crate::atom::utc(c.finished_at),
        seconds: (c.seconds * 1000.0).round() / 1000.0,
        sample: c.sample,
        current: running.is_none(),
        recomputing: running.map(|r| r.describe()),
    }
}

/// `/api/outlets`: `lede outlets --json`, plus `computed`.
#[derive(Debug, Serialize)]
struct NetworkJson<'a> {
    #[serde(flatten)]
    network: &'a Network,
    computed: ComputedJson,
}

/// `/api/outlets/{name}`: the outlet's part of the network.
#[derive(Debug, Serialize)]
struct OutletJson<'a> {
    outlet: &'a OutletStats,
    copies_from: Vec<&'a CopyEdge>,
    copied_by: Vec<&'a CopyEdge>,
    group: Option<&'a SpinGroup>,
    articles: u64,
    traced: u64,
    computed: ComputedJson,
}

/// The API's answer while nothing is ready: 503 `computing`, how far along, and when to
/// ask again.
fn computing_json(r: &Running) -> Response {
    let mut response = Failure::new(ErrorCode::Computing).with_detail(r.describe()).json();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(REFRESH_S));
    response
}

fn json_of(v: &View, value: impl Serialize) -> Response {
    let response = Json(value).into_response();
    if matches!(v, View::Ready(_)) { response } else { uncached(response) }
}

/// `/api/outlets`.
pub(crate) async fn api_index(State(state): State<AppState>) -> Response {
    let v = match view(&state).await {
        Ok(v) => v,
        Err(f) => return f.json(),
    };
    let Some(c) = v.computed() else {
        return computing_json(v.running().expect("a view has a network or a computation"));
    };
    json_of(&v, NetworkJson { network: &c.network, computed: computed_json(c, v.running()) })
}

/// `/api/outlets/{name}`.
pub(crate) async fn api_outlet(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Response {
    let v = match view(&state).await {
        Ok(v) => v,
        Err(f) => return f.json(),
    };
    let Some(c) = v.computed() else {
        return computing_json(v.running().expect("a view has a network or a computation"));
    };
    let n = &c.network;
    let outlet = match find(n, &name) {
        Ok(o) => o,
        Err(f) => return f.json(),
    };
    let (copies_from, copied_by) = sides(n, &name);
    let answer = OutletJson {
        outlet,
        copies_from,
        copied_by,
        group: outlet.group.and_then(|g| n.groups.get(g)),
        articles: n.articles,
        traced: n.traced,
        computed: computed_json(c, v.running()),
    };
    json_of(&v, answer)
}
