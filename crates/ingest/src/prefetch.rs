//! Fetching URL inputs ahead of the reader, several at a time, handed over in input order.
//!
//! [`Sources`](crate::Sources) reads its inputs one after the other, so a list of URLs
//! would be fetched one at a time. A [`Prefetch`] holds the URL inputs of a list; worker
//! threads ([`Prefetch::work`], as many as the caller starts: the global limit on
//! requests in flight) fetch them in order, at most `window` ahead of the reader, and the
//! reader takes each result when it reaches that input ([`Prefetch::take`]). The fetcher's
//! own rules still hold for every request: at most [`PER_HOST`](crate::PER_HOST) in
//! flight to one host, robots.txt and its `Crawl-delay`, the address checks.
//!
//! Memory stays bounded: a worker waits while `window` fetched pages wait to be taken.
//! [`Prefetch::close`] lets the workers go when the reader stops early; the workers also
//! stop when every URL was fetched.

use crate::error::Result;
use crate::fetch::{Fetched, Validators};
use crate::read::PageReader;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

/// URL inputs to fetch ahead, and what came of those fetched.
#[derive(Debug)]
pub struct Prefetch {
    urls: Vec<String>,
    /// Validators from earlier fetches, for conditional requests.
    known: HashMap<String, Validators>,
    window: usize,
    state: Mutex<State>,
    cv: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The next URL a worker fetches (an index into `urls`).
    next: usize,
    /// The next URL the reader takes.
    taken: usize,
    /// Fetched and not yet taken, by index.
    done: HashMap<usize, Result<Fetched>>,
    closed: bool,
}

impl Prefetch {
    /// Fetches `urls` (the URL inputs, in input order) at most `window` ahead of the
    /// reader, conditionally for those `known` has validators for.
    pub fn new(urls: Vec<String>, known: HashMap<String, Validators>, window: usize) -> Prefetch {
        Prefetch {
            urls,
            known,
            window: window.max(1),
            state: Mutex::new(State::default()),
            cv: Condvar::new(),
        }
    }

    /// A worker: fetches the next URL, and the next, until none is left or the prefetch
    /// is closed. Start as many as requests may be in flight.
    pub fn work(&self, reader: &PageReader) {
        loop {
            let index = {
                let mut s = self.state.lock().expect("the prefetch lock is never poisoned");
                while !s.closed && s.next < self.urls.len() && s.next >= s.taken + self.window {
                    s = self.cv.wait(s).expect("the prefetch lock is never poisoned");
                }
                if s.closed || s.next >= self.urls.len() {
                    return;
                }
                s.next += 1;
                s.next - 1
            };
            let url = &self.urls[index];
            let result = reader.fetch(url, self.known.get(url));
            let mut s = self.state.lock().expect("the prefetch lock is never poisoned");
            s.done.insert(index, result);
            self.cv.notify_all();
        }
    }

    /// The fetch of `url`, when it is the next URL input: waits for a worker to finish it.
    /// `None` when `url` is not the next one (the caller fetches it itself).
    pub(crate) fn take(&self, url: &str) -> Option<Result<Fetched>> {
        let mut s = self.state.lock().expect("the prefetch lock is never poisoned");
        if self.urls.get(s.taken).is_none_or(|next| next != url) {
            return None;
        }
        let index = s.taken;
        loop {
            if let Some(result) = s.done.remove(&index) {
                s.taken += 1;
                self.cv.notify_all();
                return Some(result);
            }
            if s.closed {
                return None;
            }
            s = self.cv.wait(s).expect("the prefetch lock is never poisoned");
        }
    }

    /// Lets the workers go: the reader reads no more.
    pub fn close(&self) {
        self.state.lock().expect("the prefetch lock is never poisoned").closed = true;
        self.cv.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_and_workers_stop() {
        // Addresses refused before any request (not http): each fetch fails at once,
        // naming its URL, so the order is checkable without a network.
        let urls: Vec<String> = (0..20).map(|i| format!("ftp://x.example/{i}")).collect();
        let prefetch = Prefetch::new(urls.clone(), HashMap::new(), 3);
        let reader = PageReader::default();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| prefetch.work(&reader));
            }
            assert!(prefetch.take("ftp://x.example/5").is_none(), "not the next one");
            for url in &urls {
                let err = prefetch.take(url).expect("the next one").unwrap_err();
                assert!(err.to_string().starts_with(url.as_str()), "{err}");
            }
            assert!(prefetch.take("ftp://x.example/0").is_none(), "all taken");
        });
    }

    #[test]
    fn closing_lets_waiting_workers_go() {
        let urls: Vec<String> = (0..50).map(|i| format!("ftp://x.example/{i}")).collect();
        let prefetch = Prefetch::new(urls, HashMap::new(), 2);
        let reader = PageReader::default();
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| prefetch.work(&reader));
            }
            assert!(prefetch.take("ftp://x.example/0").is_some());
            prefetch.close();
            // The scope ends only if every worker returned.
        });
        let s = prefetch.state.lock().unwrap();
        assert!(s.next <= 1 + 2, "no worker ran past the window: {}", s.next);
    }
}
