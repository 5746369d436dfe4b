//! The walk from a site to the pages its sitemaps list, for `lede crawl`.
//!
//! Each input is a site (`https://news.example`, `news.example/`: no path) or a sitemap's
//! address. A site's sitemaps are the `Sitemap:` lines of its robots.txt, else
//! `/sitemap.xml`. Sitemaps are read one at a time through the [`PageReader`]'s fetcher
//! (robots.txt, `Crawl-delay`, the host slots and the address checks all apply), each under
//! the protocol's limits ([`read_sitemap`](crate::read_sitemap)). A sitemap index's
//! entries are queued after the sitemaps already waiting, so the walk is breadth first.
//!
//! The walk keeps a set of the sitemaps it read (both the address asked for and the one
//! that answered after redirects), so an index that lists itself, or a cycle of indexes,
//! ends with a [`SitemapProblem::Cycle`] warning instead of running forever; indexes are
//! followed [`MAX_INDEX_DEPTH`] deep and [`MAX_SITEMAPS`] sitemaps at most, so a server
//! that makes up new sitemap addresses forever cannot keep a crawl going either.
//!
//! Pages are handed to the caller one at a time, each address once, as they are read; the
//! caller says whether to go on ([`Flow`]), so a crawl that has what it wants (its
//! `--max-pages`) reads no further sitemaps.

use crate::error::Error;
use crate::fetch::resolve;
use crate::read::PageReader;
use crate::sitemap::{SitemapEntry, SitemapKind, SitemapLimits, SitemapProblem};
use lede_core::Origin;
use std::collections::{HashSet, VecDeque};

/// Sitemap indexes followed this deep at most (the protocol allows one level; sites nest).
pub const MAX_INDEX_DEPTH: usize = 4;
/// Sitemaps read by one crawl at most.
pub const MAX_SITEMAPS: usize = 1_000;

/// Whether the walk goes on after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Read on.
    Continue,
    /// Stop: read no more sitemaps.
    Stop,
}

/// What a walk through sitemaps did.
#[derive(Debug, Default)]
pub struct SitemapWalk {
    /// Sitemaps read, whole or in part.
    pub sitemaps_read: u64,
    /// Of those, the sitemaps read only in part (each has its failure).
    pub sitemaps_partial: u64,
    /// Pages listed (each address once).
    pub pages_listed: u64,
    /// Sitemaps that could not be read, or only in part (each names its sitemap).
    pub failures: Vec<Error>,
    /// Things the walk did not follow, harmless to the crawl: sitemaps listed again (a
    /// cycle), pages listed again.
    pub warnings: Vec<Error>,
}

/// Walks the sitemaps of `inputs` (sites or sitemap addresses), calling `page` with each
/// page entry listed, each address once, until the sitemaps are exhausted or `page` says
/// [`Flow::Stop`].
pub fn walk_sitemaps(
    reader: &PageReader,
    inputs: &[String],
    limits: &SitemapLimits,
    page: &mut dyn FnMut(SitemapEntry) -> Flow,
) -> SitemapWalk {
    let mut walk = SitemapWalk::default();
    // Sitemaps to read, with how many indexes led to each.
    let mut queue: VecDeque<(String, usize)> = VecDeque::new();
    for input in inputs {
        let url = absolute(input);
        if is_site(&url) {
            match reader.robots_sitemaps(&url) {
                Ok(listed) if !listed.is_empty() => {
                    queue.extend(listed.into_iter().map(|s| (s, 0)));
                }
                Ok(_) => queue.push_back((format!("{}/sitemap.xml", url.trim_end_matches('/')), 0)),
                Err(e) => walk.failures.push(e),
            }
        } else {
            queue.push_back((url, 0));
        }
    }
    let mut read: HashSet<String> = HashSet::new();
    let mut pages: HashSet<String> = HashSet::new();
    while let Some((url, depth)) = queue.pop_front() {
        if !read.insert(url.clone()) {
            // Listed twice in the inputs or in robots.txt: read once, nothing to say.
            continue;
        }
        if walk.sitemaps_read as usize >= MAX_SITEMAPS {
            walk.failures.push(Error::Sitemap {
                origin: Origin::url(&url),
                problem: SitemapProblem::TooManySitemaps { limit: MAX_SITEMAPS, url },
            });
            break;
        }
        let (sitemap, at) = match reader.fetch_sitemap(&url, limits) {
            Ok(found) => found,
            Err(e) => {
                walk.failures.push(e);
                continue;
            }
        };
        walk.sitemaps_read += 1;
        read.insert(at.clone());
        let origin = Origin::url(&url);
        if let Some(problem) = sitemap.stopped {
            walk.sitemaps_partial += 1;
            walk.failures.push(Error::Sitemap { origin: origin.clone(), problem });
        }
        match sitemap.kind {
            SitemapKind::Index => {
                for entry in sitemap.entries {
                    let Some(next) = resolve(&at, &entry.loc) else { continue };
                    if read.contains(&next) {
                        walk.warnings.push(Error::Sitemap {
                            origin: origin.clone(),
                            problem: SitemapProblem::Cycle { url: next },
                        });
                    } else if depth + 1 > MAX_INDEX_DEPTH {
                        walk.failures.push(Error::Sitemap {
                            origin: origin.clone(),
                            problem: SitemapProblem::NestedTooDeep {
                                limit: MAX_INDEX_DEPTH,
                                url: next,
                            },
                        });
                    } else {
                        queue.push_back((next, depth + 1));
                    }
                }
            }
            SitemapKind::UrlSet => {
                for mut entry in sitemap.entries {
                    let Some(loc) = resolve(&at, &entry.loc) else { continue };
                    if !pages.insert(loc.clone()) {
                        continue;
                    }
                    entry.loc = loc;
                    walk.pages_listed += 1;
                    if page(entry) == Flow::Stop {
                        return walk;
                    }
                }
            }
        }
    }
    walk
}

/// `news.example` as `https://news.example`; addresses with a scheme as they are.
fn absolute(input: &str) -> String {
    let input = input.trim();
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    }
}

/// Whether `url` names a whole site (no path beyond `/`, no query) rather than a sitemap.
fn is_site(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        None => !rest.contains('?'),
        Some(at) => &rest[at..] == "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_and_sitemaps() {
        assert_eq!(absolute("news.example"), "https://news.example");
        assert_eq!(absolute("HTTP://news.example/"), "HTTP://news.example/");
        assert!(is_site("https://news.example"));
        assert!(is_site("https://news.example/"));
        assert!(is_site("http://127.0.0.1:8080/"));
        assert!(!is_site("https://news.example/sitemap.xml"));
        assert!(!is_site("https://news.example/?sitemap=1"));
        assert!(!is_site("https://news.example?sitemap=1"));
    }
}
