//! The entity and quote pages (issue 18): `/entities/{name}` (canonical name, kind,
//! mentions per day, the stories naming it, the names beside it, its articles page by
//! page) and `/quotes?speaker=&q=&from=&to=` (quotes grouped by words and speaker across
//! outlets, each with its first appearance), and their JSON twins `/api/entities/{name}`
//! and `/api/quotes/groups`. Both read either store, with the same answers
//! ([`lede_engine::ExploreBackend`]: cluster mode's PostgreSQL store reads what the
//! embedded store does).

use crate::charts::{self, Chart, Step};
use crate::error::Failure;
use crate::pages::{
    counted, day, entity_link, failure, layout_with, outlet_link, speaker_link, urlencode,
};
use crate::window::{MAX_DAYS, Window, given, page_number, pager, param};
use crate::{AppState, with_library};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use lede_engine::{EntityPage, Library};
use lede_store::{QuoteGroup, QuoteGroupFilter};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

/// Stories listed on an entity's page.
const ENTITY_STORIES: usize = 10;
/// Names listed beside an entity.
const COMPANIONS: usize = 15;
/// An entity's articles stored last that its page reads (its chart, stories and article
/// list, where the store has no summaries for them): a name in 139,000 articles of the
/// million-article store took over the 10 s limit to read whole, cold.
const SAMPLE: usize = 20_000;
/// An entity's articles stored last that the names beside it are counted in, when the
/// store's pairs do not settle them: each article's names are read (18 an article), and
/// a name in 9,000 articles took 60-120 ms to count whole, cold, on the half-built
/// million-article store; its 5,000 newest gave 14 or 15 of the same 15 names.
const COMPANION_SAMPLE: usize = 5_000;
/// Articles on a page of an entity's page.
const ARTICLES_PER_PAGE: usize = 30;
/// Quote groups on a page of `/quotes`.
const QUOTES_PER_PAGE: usize = 30;
/// Longest name or words accepted (bytes).
const MAX_NAME: usize = 512;

/// `?page` of an entity's page.
#[derive(Debug, Deserialize)]
pub(crate) struct EntityParams {
    page: Option<usize>,
}

/// A name from a path or a parameter, checked: no stored name is empty, longer than
/// [`MAX_NAME`] or holds control characters.
fn checked_name<'a>(name: &'a str, what: &str) -> Result<&'a str, Failure> {
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Failure::bad_request(format!(
            "{what} is 1 to {MAX_NAME} bytes of printable text"
        )));
    }
    Ok(name)
}

/// An entity's page data, or 404.
fn read_entity(lib: &Library, name: &str, page: Option<usize>) -> Result<EntityPage, Failure> {
    let name = checked_name(name, "an entity's name")
        .map_err(|_| Failure::not_found("entity of that name"))?;
    let page = page_number(page)?;
    lib.entity(
        name,
        ENTITY_STORIES,
        (COMPANIONS, COMPANION_SAMPLE, SAMPLE),
        ((page - 1) * ARTICLES_PER_PAGE, ARTICLES_PER_PAGE),
    )?
    .ok_or_else(|| {
        Failure::not_found(&format!("entity named \u{201c}{name}\u{201d} in this store"))
    })
}

fn entity_href(name: &str) -> String {
    format!("/entities/{}", urlencode(name))
}

pub(crate) async fn entity(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Result<Query<EntityParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return failure(Failure::bad_request("page is a number")) };
    let built = with_library(&state, move |lib| {
        let e = read_entity(lib, &name, p.page)?;
        let page = page_number(p.page)?;
        Ok(layout_with(
            &format!("{} ({})", e.entity.name, e.entity.kind.as_str()),
            "",
            None,
            &entity_page(&e, page),
        )
        .into_response())
    })
    .await;
    built.unwrap_or_else(failure)
}

fn entity_page(e: &EntityPage, page: usize) -> Markup {
    let name = &e.entity.name;
    let counts: Vec<(lede_store::Day, Vec<u64>)> =
        e.days.iter().map(|d| (d.day, vec![d.mentions])).collect();
    let search = |w: Window| format!("/search?entity={}&{}", urlencode(name), w.query());
    let chart = match (e.days.first(), e.days.last()) {
        (Some(a), Some(z)) => {
            let step = Step::for_span(a.day, z.day);
            Some(Chart {
                id: "mentions",
                title: format!("Mentions of {name} over time"),
                unit: "mentions",
                series: vec!["mentions".into()],
                step,
                buckets: charts::buckets(&counts, 1, step),
                href: Some(&search),
                marks: Vec::new(),
                current: None,
            })
        }
        _ => None,
    };
    let base = entity_href(name);
    html! {
        h1 { (name) }
        p.meta {
            (e.entity.kind.as_str()) " · named in " (e.entity.articles) " articles, "
            (e.entity.mentions) " mentions · "
            a href={ "/search?entity=" (urlencode(name)) } { "search its articles" } " · "
            a href={ "/quotes?speaker=" (urlencode(name)) } { "quotes by " (name) } " · "
            a href={ "/api" (base) } { "JSON" }
        }
        @if let Some(parts) = sampled_parts(&e.sampled) {
            p.small { "Below, " (parts) " from its " (e.sample) " articles stored last only; the rest, like the counts above, over all of them." }
        }
        h2 { "Mentions over time" }
        @match &chart {
            Some(c) => (charts::bars(c)),
            None => p.small { "None of its articles is dated." },
        }
        h2 { "Stories" }
        @if e.stories.is_empty() { p.small { "No story of the store names it yet." } }
        ol.stories {
            @for s in &e.stories {
                li {
                    a href={ "/stories/" (s.story.id) } { (s.story.label.as_deref().unwrap_or("(no headline)")) }
                    div.meta {
                        (s.naming) " of its " (s.story.size) " articles name " (name) " · "
                        (counted(s.story.outlet_count as usize, "outlet")) " · " (day(s.story.first_seen.as_deref())) " – " (day(s.story.last_seen.as_deref()))
                    }
                }
            }
        }
        h2 { "Named beside it" }
        @if e.companions.is_empty() { p.small { "No other name in its articles." } }
        @else {
            p.small {
                @for (n, c) in e.companions.iter().enumerate() {
                    @if n > 0 { ", " }
                    (entity_link(&c.name)) " (" (c.articles) ")"
                }
            }
            @if e.sampled.companions {
                p.small { "Counted in how many of its " (e.companion_sample) " articles stored last each is named." }
            } @else {
                p.small { "Counted in how many of its articles each is named." }
            }
        }
        h2 { "Articles" }
        ol.stories start=((page - 1) * ARTICLES_PER_PAGE + 1) {
            @for a in &e.article_page {
                li {
                    a href={ "/articles/" (a.id) } { (a.title.as_deref().unwrap_or("(no headline)")) }
                    div.meta { (day(a.published.as_deref())) " · " (outlet_link(a.outlet.as_deref())) " · " (a.score) " mentions" }
                }
            }
        }
        @if e.article_page.is_empty() { p.small { "No article on this page." } }
        (pager(&base, page, ARTICLES_PER_PAGE, e.entity.articles.min(e.sample as u64)))
    }
}

/// The parts of an entity's page read from its sample only, in words (`None`: none); the
/// names beside it say their own sample where they are listed.
fn sampled_parts(s: &lede_store::Sampled) -> Option<String> {
    let parts: Vec<&str> = [
        (s.days, "the mentions over time"),
        (s.stories, "the stories"),
        (s.articles, "the articles listed"),
    ]
    .into_iter()
    .filter_map(|(read, what)| read.then_some(what))
    .collect();
    let (last, rest) = parts.split_last()?;
    Some(match rest {
        [] => format!("{last} are read"),
        _ => format!("{} and {last} are read", rest.join(", ")),
    })
}

pub(crate) async fn api_entity(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Result<Query<EntityParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return Failure::bad_request("page is a number").json() };
    match with_library(&state, move |lib| read_entity(lib, &name, p.page)).await {
        Ok(e) => Json(e).into_response(),
        Err(f) => f.json(),
    }
}

/// `?speaker&q&from&to&page` of `/quotes` and `/api/quotes/groups`.
#[derive(Debug, Deserialize)]
pub(crate) struct QuotesParams {
    speaker: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<usize>,
}

/// One page of grouped quotes, as the API answers it.
#[derive(Debug, Serialize)]
pub(crate) struct QuoteGroups {
    /// The window read, if any (`YYYY-MM-DD`, both included).
    from: Option<String>,
    to: Option<String>,
    /// Groups in all, every page together.
    total: u64,
    page: usize,
    groups: Vec<QuoteGroup>,
}

/// Reads the quote groups the parameters ask for. Without a speaker or words, the
/// window defaults to the store's newest week and is at most [`MAX_DAYS`] long.
fn read_quotes(lib: &Library, p: &QuotesParams) -> Result<QuoteGroups, Failure> {
    let speaker = given(p.speaker.as_deref()).map(|s| checked_name(s, "speaker")).transpose()?;
    let words = given(p.q.as_deref()).map(|s| checked_name(s, "q")).transpose()?;
    let page = page_number(p.page)?;
    let window = if speaker.is_none() && words.is_none() {
        crate::pages::window_of(lib, p.from.as_deref(), p.to.as_deref(), Some(MAX_DAYS))?
    } else {
        Window::read(p.from.as_deref(), p.to.as_deref(), None, None)?
    };
    let (from, to) = window.map(Window::seconds).unzip();
    let (groups, total) = lib.quote_groups(
        speaker,
        QuoteGroupFilter {
            speakers: None,
            text: words.map(str::to_owned),
            from,
            to,
            offset: (page - 1) * QUOTES_PER_PAGE,
            limit: QUOTES_PER_PAGE,
        },
    )?;
    let (from, to) = window.map(|w| (crate::window::ymd(w.from), crate::window::ymd(w.to))).unzip();
    Ok(QuoteGroups { from, to, total, page, groups })
}

pub(crate) async fn quotes(
    State(state): State<AppState>,
    params: Result<Query<QuotesParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return failure(Failure::bad_request("page is a number")) };
    let built = with_library(&state, move |lib| {
        let g = read_quotes(lib, &p)?;
        let (speaker, words) = (given(p.speaker.as_deref()), given(p.q.as_deref()));
        let window = match (&g.from, &g.to) {
            (Some(f), Some(t)) => Window::read(Some(f), Some(t), None, None)?,
            _ => None,
        };
        let parts = format!("{}{}", param("speaker", speaker), param("q", words));
        let kept = match parts.strip_prefix('&') {
            Some(parts) => format!("/quotes?{parts}"),
            None => "/quotes".to_owned(),
        };
        let paged = match window {
            Some(w) => format!("{kept}{}{}", if parts.is_empty() { "?" } else { "&" }, w.query()),
            None => kept.clone(),
        };
        let mut title = "Quotes".to_owned();
        if let Some(s) = speaker { title.push_str(&format!(" by {s}")); }
        if let Some(q) = words { title.push_str(&format!(" with \u{201c}{q}\u{201d}")); }
        if let Some(w) = window { title.push_str(&format!(", {}", w.label())); }
        let body = html! {
            h1 { (title) }
            form.facets action="/quotes" method="get" {
                label { "Speaker " input name="speaker" value=(speaker.unwrap_or("")); } " "
                label { "Words " input name="q" value=(words.unwrap_or("")); } " "
                label { "From " input type="date" name="from" value=(g.from.as_deref().unwrap_or("")); } " "
                label { "To " input type="date" name="to" value=(g.to.as_deref().unwrap_or("")); } " "
                button type="submit" { "Show" }
            }
            @if let Some(w) = window { (w.nav(&kept)) }
            p.meta {
                (counted(g.total as usize, "quote")) ", each grouped with every article that gives the same words from the same speaker; those the most outlets give first."
            }
            @if g.groups.is_empty() { p { "No quote found." } }
            @for q in &g.groups {
                blockquote {
                    "\u{201c}" (q.text) "\u{201d}"
                    div.small {
                        "— " (speaker_link(q.speaker.as_deref()))
                        " · in " (counted(q.articles as usize, "article")) " from " (counted(q.outlets as usize, "outlet"))
                        " · first: " a href={ "/articles/" (q.first.id) } { (q.first.title.as_deref().unwrap_or("(no headline)")) }
                        " · " (outlet_link(q.first.outlet.as_deref())) " · " (day(q.first.published.as_deref()))
                        @if let Some(s) = q.story { " · " a href={ "/stories/" (s) } { "its story" } }
                    }
                }
            }
            (pager(&paged, g.page, QUOTES_PER_PAGE, g.total))
        };
        Ok(layout_with(&title, "", None, &body).into_response())
    })
    .await;
    built.unwrap_or_else(failure)
}

pub(crate) async fn api_quotes(
    State(state): State<AppState>,
    params: Result<Query<QuotesParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return Failure::bad_request("page is a number").json() };
    match with_library(&state, move |lib| read_quotes(lib, &p)).await {
        Ok(g) => Json(g).into_response(),
        Err(f) => f.json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_store::Sampled;

    #[test]
    fn issue_18_an_entity_page_names_the_parts_read_from_its_sample() {
        assert_eq!(sampled_parts(&Sampled::default()), None);
        // The names beside it say their sample where they are listed.
        let companions = Sampled { companions: true, ..Sampled::default() };
        assert_eq!(sampled_parts(&companions), None);
        let old = Sampled { days: true, stories: true, companions: true, articles: true };
        assert_eq!(
            sampled_parts(&old).as_deref(),
            Some("the mentions over time, the stories and the articles listed are read")
        );
    }
}
