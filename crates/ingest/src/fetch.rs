//! Fetching one page over HTTP(S), with a timeout, a redirect limit and a body cap.

use crate::error::{Error, Result};
use crate::read::{RawPage, ReadConfig};
use lede_core::Origin;
use ureq::ResponseExt;

/// The HTTP client for `config`. Statuses are checked by [`fetch`], not by the client,
/// so that the error can name the input.
pub(crate) fn agent(config: &ReadConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(config.timeout))
        .max_redirects(config.max_redirects)
        .user_agent(config.user_agent.as_str())
        .http_status_as_error(false)
        .build()
        .into()
}

/// Fetches `url`, reading at most `limit` bytes of body.
pub(crate) fn fetch(agent: &ureq::Agent, url: &str, limit: u64) -> Result<RawPage> {
    let origin = Origin::url(url);
    let uri: ureq::http::Uri = url.parse().map_err(|e: ureq::http::uri::InvalidUri| {
        Error::BadUrl { origin: origin.clone(), reason: e.to_string() }
    })?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
        return Err(Error::BadUrl {
            origin,
            reason: "needs http:// or https:// and a host".into(),
        });
    }
    let fetch_error = |e: ureq::Error| Error::Fetch { origin: origin.clone(), source: Box::new(e) };
    let mut response = agent.get(uri).call().map_err(fetch_error)?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(Error::HttpStatus { origin, status });
    }
    let final_url = response.get_uri().to_string();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limit.saturating_add(1))
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Error::TooLarge { origin: origin.clone(), limit },
            e => fetch_error(e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { origin, limit });
    }
    Ok(RawPage { bytes, origin, content_type, url: Some(final_url) })
}
