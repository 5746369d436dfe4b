//! Every error the server answers, in one table.
//!
//! An [`ErrorCode`] is a kind of failure; [`ErrorCode::entry`] gives each its HTTP status,
//! its stable snake_case code and its fixed public message, in one `match`, so that every
//! error a client can see is on one screen. A [`Failure`] is one failure: its code, an
//! optional public detail that this crate wrote itself from the request (the date the user
//! typed, "no story"), and an optional internal detail that only goes to the log.
//!
//! Nothing internal reaches a client: errors of the engine and the store name the data
//! directory and carry SQLite's or tantivy's text, so they become a code (no store: 503
//! `no_store`; the rest: 500 `internal`) and their text goes to stderr, one line, logged
//! by the `guard` middleware with the request's method and path
//! (see [`Logged`]).
//!
//! The JSON API answers `{"error": {"code", "message", "detail"?}}` ([`Failure::json`]);
//! the pages show the same message and code in HTML (`pages::failure`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::fmt::Display;

/// A kind of failure the server answers. Its status, code and message are in
/// [`ErrorCode::entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorCode {
    /// No such page, API route, article or story.
    NotFound,
    /// The query string's parameters could not be read, or are out of range.
    BadRequest,
    /// A date parameter is not a date.
    BadDate,
    /// An id prefix matches several articles.
    AmbiguousId,
    /// The query string is over [`crate::MAX_QUERY`] bytes.
    QueryTooLong,
    /// A method other than GET or HEAD.
    ReadOnly,
    /// No answer within [`crate::REQUEST_TIMEOUT`].
    Timeout,
    /// The data directory holds no store.
    NoStore,
    /// The outlet network is being computed and there is no result to show yet.
    Computing,
    /// Asked of cluster mode's store, which does not answer it yet (what the engine reads
    /// from the embedded store only). Every page and API path is answered in cluster mode
    /// since the entity page and the grouped quotes were (issue 18): a stable code kept
    /// for what may come, never a 500.
    NotInClusterMode,
    /// Anything else: the store or the index failed, or a bug.
    Internal,
}

impl ErrorCode {
    /// Every code, in the table's order (for the tests that hold the table and
    /// `openapi.json` together).
    #[cfg(test)]
    pub(crate) const ALL: [ErrorCode; 11] = [
        ErrorCode::NotFound,
        ErrorCode::BadRequest,
        ErrorCode::BadDate,
        ErrorCode::AmbiguousId,
        ErrorCode::QueryTooLong,
        ErrorCode::ReadOnly,
        ErrorCode::Timeout,
        ErrorCode::NoStore,
        ErrorCode::Computing,
        ErrorCode::NotInClusterMode,
        ErrorCode::Internal,
    ];

    /// The table: HTTP status, stable code (clients match on it, so it never changes once
    /// published; `openapi.json` lists them all) and public message.
    const fn entry(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ErrorCode::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "Nothing here: no such page, route, article or story.",
            ),
            ErrorCode::BadRequest => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "The request's parameters could not be read or are out of range.",
            ),
            ErrorCode::BadDate => (
                StatusCode::BAD_REQUEST,
                "bad_date",
                "Not a date: write dates as YYYY-MM-DD, such as 2019-03-07.",
            ),
            ErrorCode::AmbiguousId => (
                StatusCode::BAD_REQUEST,
                "ambiguous_id",
                "That id prefix matches several articles: give more of the id.",
            ),
            ErrorCode::QueryTooLong => (
                StatusCode::URI_TOO_LONG,
                "query_too_long",
                "The query string is too long: at most 2048 bytes.",
            ),
            ErrorCode::ReadOnly => (
                StatusCode::METHOD_NOT_ALLOWED,
                "read_only",
                "This server is read-only: it answers GET and HEAD only.",
            ),
            ErrorCode::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "The request took too long and was stopped.",
            ),
            ErrorCode::NoStore => (
                StatusCode::SERVICE_UNAVAILABLE,
                "no_store",
                "There is no store to read yet: ingest some news first.",
            ),
            ErrorCode::Computing => (
                StatusCode::SERVICE_UNAVAILABLE,
                "computing",
                "The outlet network is being computed: try again in a few seconds.",
            ),
            ErrorCode::NotInClusterMode => (
                StatusCode::NOT_IMPLEMENTED,
                "not_in_cluster_mode",
                "This is answered from the embedded store only, not in cluster mode yet.",
            ),
            ErrorCode::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on the server; it has been logged.",
            ),
        }
    }

    /// The HTTP status.
    pub(crate) const fn status(self) -> StatusCode {
        self.entry().0
    }

    /// The stable machine-readable code, such as `not_found`.
    pub(crate) const fn code(self) -> &'static str {
        self.entry().1
    }

    /// The fixed message shown to the client.
    pub(crate) const fn message(self) -> &'static str {
        self.entry().2
    }
}

/// A failed request: what the client is told, and what only the log is told.
#[derive(Debug)]
pub(crate) struct Failure {
    code: ErrorCode,
    /// Shown to the client: written by this crate from the request (never an error's
    /// text, which may name the data directory).
    detail: Option<String>,
    /// Only logged: the underlying error's full text.
    internal: Option<String>,
}

/// A failed response's log line (code and internal detail), carried in the response's
/// extensions (never in its body) to the `guard` middleware, which knows the request's
/// method and path and writes it to stderr.
#[derive(Debug, Clone)]
pub(crate) struct Logged(pub(crate) String);

/// The JSON body of an error, `{"error": {...}}`; `openapi.json`'s `Error` schema.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: ErrorFields<'a>,
}

#[derive(Debug, Serialize)]
struct ErrorFields<'a> {
    code: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
}

impl Failure {
    /// A failure of kind `code`, with no detail.
    pub(crate) fn new(code: ErrorCode) -> Failure {
        Failure { code, detail: None, internal: None }
    }

    /// Adds a detail shown to the client: only text this crate wrote, or the request's
    /// own words.
    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Failure {
        self.detail = Some(detail.into());
        self
    }

    /// Adds what the log is told (and the client never is).
    pub(crate) fn with_internal(mut self, why: impl Display) -> Failure {
        self.internal = Some(why.to_string());
        self
    }

    /// 404, naming what was not found ("no story").
    pub(crate) fn not_found(what: &str) -> Failure {
        Failure::new(ErrorCode::NotFound).with_detail(format!("no {what}"))
    }

    /// 400, saying what is wrong with the parameters.
    pub(crate) fn bad_request(detail: impl Into<String>) -> Failure {
        Failure::new(ErrorCode::BadRequest).with_detail(detail)
    }

    /// 400 for a date parameter that is not a date; the detail quotes it back.
    pub(crate) fn bad_date(text: &str) -> Failure {
        Failure::new(ErrorCode::BadDate).with_detail(format!("{text:?} is not a date"))
    }

    /// The kind of failure.
    pub(crate) fn code(&self) -> ErrorCode {
        self.code
    }

    /// The detail shown to the client, if any.
    pub(crate) fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// What the log says of a failure no request carries (one of the server's own):
    /// its code and what the log would be told.
    pub(crate) fn log_line(&self) -> String {
        let why =
            self.internal.as_deref().or(self.detail.as_deref()).unwrap_or(self.code.message());
        format!("{}: {}", self.code.code(), why.replace(['\n', '\r'], " "))
    }

    /// `body` with this failure's status, and its internal detail, if any, kept in the
    /// response's extensions for the log.
    pub(crate) fn respond(self, body: impl IntoResponse) -> Response {
        let mut response = (self.code.status(), body).into_response();
        if let Some(why) = self.internal {
            // One line in the log whatever the error's text holds.
            let why = why.replace(['\n', '\r'], " ");
            response.extensions_mut().insert(Logged(format!("{}: {why}", self.code.code())));
        }
        response
    }

    /// The JSON API's answer: `{"error": {"code", "message", "detail"?}}`.
    pub(crate) fn json(self) -> Response {
        let body = Json(ErrorBody {
            error: ErrorFields {
                code: self.code.code(),
                message: self.code.message(),
                detail: self.detail(),
            },
        })
        .into_response();
        self.respond(body)
    }
}

/// Engine and store errors become a code; their text (paths, SQLite's words) is only
/// logged.
impl From<lede_engine::Error> for Failure {
    fn from(e: lede_engine::Error) -> Failure {
        use lede_store::Error as StoreError;
        let failure = match &e {
            lede_engine::Error::Store(StoreError::NoStore { .. }) => {
                Failure::new(ErrorCode::NoStore)
            }
            // A caller's mistake (a short id prefix), told from the key they gave rather
            // than from the error's text.
            lede_engine::Error::Store(StoreError::Ambiguous { key, count }) => {
                Failure::new(ErrorCode::AmbiguousId)
                    .with_detail(format!("{key:?} matches {count} articles"))
            }
            // What cluster mode does not answer yet: said, not hidden behind a 500.
            lede_engine::Error::NotHere { what, .. } => {
                Failure::new(ErrorCode::NotInClusterMode).with_detail(*what)
            }
            _ => Failure::new(ErrorCode::Internal),
        };
        failure.with_internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::PathBuf;

    #[test]
    fn every_code_is_distinct_snake_case_and_has_its_status() {
        let codes: HashSet<&str> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ErrorCode::ALL.len(), "two kinds share a code");
        for c in ErrorCode::ALL {
            let code = c.code();
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
            assert!(c.message().ends_with('.'), "{code}: {}", c.message());
            assert_eq!(c.status(), c.entry().0);
            assert!(c.status().is_client_error() || c.status().is_server_error(), "{code}");
        }
        let expected = [
            (ErrorCode::NotFound, 404, "not_found"),
            (ErrorCode::BadRequest, 400, "bad_request"),
            (ErrorCode::BadDate, 400, "bad_date"),
            (ErrorCode::AmbiguousId, 400, "ambiguous_id"),
            (ErrorCode::QueryTooLong, 414, "query_too_long"),
            (ErrorCode::ReadOnly, 405, "read_only"),
            (ErrorCode::Timeout, 408, "timeout"),
            (ErrorCode::NoStore, 503, "no_store"),
            (ErrorCode::Computing, 503, "computing"),
            (ErrorCode::NotInClusterMode, 501, "not_in_cluster_mode"),
            (ErrorCode::Internal, 500, "internal"),
        ];
        assert_eq!(expected.len(), ErrorCode::ALL.len());
        for (c, status, code) in expected {
            assert_eq!((c.status().as_u16(), c.code()), (status, code));
        }
        assert!(ErrorCode::QueryTooLong.message().contains(&crate::MAX_QUERY.to_string()));
    }

    #[test]
    fn store_errors_become_codes_and_their_text_is_only_logged() {
        let dir = PathBuf::from("/srv/secret/lede-data");
        let cases = [
            (lede_store::Error::NoStore { dir: dir.clone() }, ErrorCode::NoStore),
            (
                lede_store::Error::TooNew { dir: dir.clone(), found: 99, supported: 5 },
                ErrorCode::Internal,
            ),
            (
                lede_store::Error::Damaged { dir, id: "abc".into(), message: "bad blob".into() },
                ErrorCode::Internal,
            ),
        ];
        for (e, code) in cases {
            let text = e.to_string();
            let f = Failure::from(lede_engine::Error::Store(e));
            assert_eq!(f.code(), code);
            assert_eq!(f.detail(), None);
            let response = f.json();
            assert_eq!(response.status(), code.status());
            let logged = response.extensions().get::<Logged>().expect("logged").0.clone();
            assert!(logged.contains(&text), "{logged}");
            assert!(logged.starts_with(code.code()), "{logged}");
        }
        let ambiguous = lede_store::Error::Ambiguous { key: "abcdef12".into(), count: 2 };
        let f = Failure::from(lede_engine::Error::Store(ambiguous));
        assert_eq!(
            (f.code(), f.detail()),
            (ErrorCode::AmbiguousId, Some("\"abcdef12\" matches 2 articles"))
        );
        // Cluster mode's store says what it does not answer; its address is only logged.
        let remote = lede_engine::Error::NotHere {
            store: "postgres://lede@db.internal/lede".into(),
            what: "near-duplicate groups",
        };
        let f = Failure::from(remote);
        assert_eq!(
            (f.code(), f.detail()),
            (ErrorCode::NotInClusterMode, Some("near-duplicate groups"))
        );
        assert_eq!(f.json().status().as_u16(), 501);
    }

    #[test]
    fn a_log_line_is_one_line() {
        let response = Failure::new(ErrorCode::Internal).with_internal("a\nb\r\nc").json();
        assert_eq!(response.extensions().get::<Logged>().unwrap().0, "internal: a b  c");
    }
}
