//! The JSON API: the CLI contract's shapes over HTTP, described by `openapi.json`.

use crate::error::{ErrorCode, Failure};
use crate::{AppState, checked_id, day_bound, with_library};
use axum::Json;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lede_engine::{SearchQuery, StoryFilter};
use serde::Deserialize;

/// The OpenAPI 3 document of this API.
const OPENAPI: &str = include_str!("openapi.json");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/articles/{id}", get(article))
        .route("/articles/{id}/trace", get(trace))
        .route("/search", get(search))
        .route("/quotes", get(quotes))
        .route("/quotes/groups", get(crate::entities::api_quotes))
        .route("/entities/{name}", get(crate::entities::api_entity))
        .route("/stats", get(stats))
        .route("/outlets", get(crate::outlets::api_index))
        .route("/outlets/{name}", get(crate::outlets::api_outlet))
        .fallback(|| async { Failure::not_found("such API route").json() })
}

fn json<T: serde::Serialize>(r: Result<T, Failure>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(f) => f.json(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// `?since&min_size&limit` of `/api/stories`, or `?from&to&min_size&limit&page` for a
/// time window's stories, the broadest first (as the front page lists them).
#[derive(Debug, Deserialize)]
pub(crate) struct StoriesParams {
    since: Option<String>,
    min_size: Option<u64>,
    limit: Option<usize>,
    from: Option<String>,
    to: Option<String>,
    page: Option<usize>,
}

async fn stories(
    State(state): State<AppState>,
    params: Result<Query<StoriesParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return Failure::new(ErrorCode::BadRequest).json() };
    let given = |s: &Option<String>| crate::window::given(s.as_deref()).is_some();
    if !given(&p.from) && !given(&p.to) {
        if p.page.is_some() {
            return Failure::bad_request("page goes with a window (from, to)").json();
        }
        return json(with_library(&state, move |lib| Ok(lib.stories(&p.filter()?)?)).await);
    }
    if p.since.is_some() {
        return Failure::bad_request("since or a window (from, to), not both").json();
    }
    json(
        with_library(&state, move |lib| {
            let filter = p.filter()?;
            let page = crate::window::page_number(p.page)?;
            let window = crate::window::Window::read(
                p.from.as_deref(),
                p.to.as_deref(),
                None,
                Some(crate::window::MAX_DAYS),
            )?
            .ok_or_else(|| Failure::bad_request("a window needs from or to"))?;
            let listed = lib.window_stories(
                window.seconds(),
                filter.min_size,
                (page - 1) * filter.limit,
                filter.limit,
            )?;
            Ok(listed.stories)
        })
        .await,
    )
}

impl StoriesParams {
    /// The filter these parameters ask for, checked.
    pub(crate) fn filter(&self) -> Result<StoryFilter, Failure> {
        let since = self.since.as_deref().map(|d| day_bound(d, false)).transpose()?;
        if self.limit.is_some_and(|l| l > 1000) || self.min_size.is_some_and(|m| m > 1_000_000) {
            return Err(Failure::bad_request("limit is at most 1000, min_size 1000000"));
        }
        Ok(StoryFilter {
            since,
            min_size: self.min_size.unwrap_or(2),
            limit: self.limit.unwrap_or(50).min(1000),
        })
    }
}

async fn story(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(
        with_library(&state, move |lib| {
            let id: u64 = checked_id(&id)?.parse().map_err(|_| Failure::not_found("story"))?;
            lib.linked_story(lede_core::StoryId(id))?.ok_or_else(|| Failure::not_found("story"))
        })
        .await,
    )
}

async fn article(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(
        with_library(&state, move |lib| {
            let stored =
                lib.show(checked_id(&id)?)?.ok_or_else(|| Failure::not_found("article"))?;
            let annotations = lib.annotations(&stored)?;
            let story = lib.story_of_article(stored.seq)?;
            let shown = lede_engine::show_json(&stored, &annotations).with_story(story.as_ref());
            serde_json::to_value(&shown).map_err(|e| {
                Failure::new(ErrorCode::Internal)
                    .with_internal(format!("article {id:?} could not be serialised: {e}"))
            })
        })
        .await,
    )
}

async fn trace(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(
        with_library(&state, move |lib| {
            lib.trace(checked_id(&id)?)?.ok_or_else(|| Failure::not_found("article"))
        })
        .await,
    )
}

/// `?q&outlet&entity&from&to&limit` of `/api/search` (and the search page).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SearchParams {
    pub(crate) q: Option<String>,
    pub(crate) outlet: Option<String>,
    pub(crate) entity: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) limit: Option<usize>,
}

impl SearchParams {
    pub(crate) fn query(&self) -> Result<SearchQuery, Failure> {
        let nonempty = |s: &Option<String>| {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        // A date given empty is a mistake, not "no date".
        if [&self.from, &self.to].iter().any(|d| d.as_deref().is_some_and(|d| d.trim().is_empty()))
        {
            return Err(Failure::new(ErrorCode::BadDate).with_detail("a date is empty"));
        }
        if self.limit.is_some_and(|l| !(1..=200).contains(&l)) {
            return Err(Failure::bad_request("limit is 1 to 200"));
        }
        let from = nonempty(&self.from).map(|d| day_bound(&d, false)).transpose()?;
        let to = nonempty(&self.to).map(|d| day_bound(&d, true)).transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(Failure::bad_request("from is after to"));
        }
        Ok(SearchQuery {
            text: self.q.clone().unwrap_or_default(),
            order: lede_engine::SortOrder::Relevance,
            from,
            to,
            outlet: nonempty(&self.outlet),
            entity: nonempty(&self.entity),
            limit: self.limit.unwrap_or(20).clamp(1, 200),
        })
    }
}

async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return Failure::new(ErrorCode::BadRequest).json() };
    json(with_library(&state, move |lib| Ok(lib.search(&p.query()?)?)).await)
}

/// `?speaker&limit` of `/api/quotes`.
#[derive(Debug, Deserialize)]
pub(crate) struct QuotesParams {
    speaker: Option<String>,
    limit: Option<usize>,
}

async fn quotes(
    State(state): State<AppState>,
    params: Result<Query<QuotesParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else { return Failure::new(ErrorCode::BadRequest).json() };
    json(
        with_library(&state, move |lib| {
            let speaker = p.speaker.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if p.limit.is_some_and(|l| l > 1000) {
                return Err(Failure::bad_request("limit is at most 1000"));
            }
            Ok(lib.quotes(speaker, p.limit.unwrap_or(50))?)
        })
        .await,
    )
}

async fn stats(State(state): State<AppState>) -> Response {
    json(with_library(&state, |lib| Ok(lib.stats()?)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openapi.json` lists exactly the error table's codes, and every error response of
    /// every operation is a JSON `Error`.
    #[test]
    fn the_openapi_error_schema_is_the_error_table() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        let error = &doc["components"]["schemas"]["Error"];
        let fields = &error["properties"]["error"];
        let listed: Vec<&str> = fields["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let table: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(listed, table);
        assert_eq!(fields["required"], serde_json::json!(["code", "message"]));
        assert_eq!(error["additionalProperties"], false);
        assert_eq!(fields["additionalProperties"], false);

        let responses = &doc["components"]["responses"];
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (status, response) in item["get"]["responses"].as_object().unwrap() {
                if status == "200" {
                    continue;
                }
                if !path.starts_with("/api/") {
                    // The Atom feeds answer errors as the pages do: an HTML page, with a
                    // status from the same table.
                    assert!(response["content"]["text/html"].is_object(), "{path} {status}");
                    let status: u16 = status.parse().unwrap();
                    assert!(ErrorCode::ALL.iter().any(|c| c.status().as_u16() == status));
                    continue;
                }
                let name = response["$ref"].as_str().unwrap_or_else(|| panic!("{path} {status}"));
                let name = name.strip_prefix("#/components/responses/").unwrap();
                let schema = &responses[name]["content"]["application/json"]["schema"];
                assert_eq!(schema["$ref"], "#/components/schemas/Error", "{path} {status}");
                // The documented status is one the table gives.
                let status: u16 = status.parse().unwrap();
                assert!(
                    ErrorCode::ALL.iter().any(|c| c.status().as_u16() == status),
                    "{path} {status}"
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked}");
    }
}
