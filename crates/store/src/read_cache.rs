//! What the read-only views of a store keep between reads while the store does not change,
//! shared by every view opened over one [`ReadCache`] (the server's reading threads): the
//! word frequencies that story pages weigh by (5.9 MB for English on the million-article
//! store), the distinct speakers a speaker's page matches a name against (37,000 seeks of
//! the speaker index) and the story cards of the front page's windows. Kept once for all the
//! views, each read once: with a cache per view, a server's four views each read the same
//! cards again (247 windows: p50 12 -> 21 ms once all four views were in use).
//!
//! A commit by another connection changes a view's SQLite `data_version`; the first view to
//! see the change empties the cache and starts a new epoch. A view keeps what it read only
//! if the epoch is still the one it saw before reading, so a value read before a commit is
//! never kept after a view has seen that commit. A view opening, which cannot know what
//! changed before it, starts a new epoch too. A view that writes keeps nothing: its own
//! commits do not change its `data_version`.

use crate::StoryCard;
use lede_core::StoryId;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The story cards kept at most (about a kilobyte each); then emptied.
pub(crate) const CARDS_KEPT: usize = 4096;

/// The cache that the read-only views opened over it share ([`crate::Store::open_sharing`]).
#[derive(Default)]
pub struct ReadCache {
    kept: Mutex<Kept>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("kept", &*self.lock()).finish()
    }
}

impl ReadCache {
    /// A cache for views to share.
    pub fn new() -> Arc<ReadCache> {
        Arc::default()
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // A panic while holding the lock may have left a value half put: start afresh.
        self.kept.lock().unwrap_or_else(|poisoned| {
            let mut kept = poisoned.into_inner();
            kept.renew();
            self.kept.clear_poison();
            kept
        })
    }
}

/// The values kept, and the epoch they belong to.
#[derive(Default)]
pub(crate) struct Kept {
    epoch: u64,
    /// Stored word frequencies by `cluster_state` key.
    pub(crate) doc_freq: HashMap<String, Option<Vec<u8>>>,
    /// Each distinct speaker with its case-folded form.
    pub(crate) speakers: Option<Arc<Vec<(String, String)>>>,
    /// Story cards by the id asked for: a big story is on the front page of every window
    /// it spans, and its card reads each member's row (4,248 rows for the biggest on the
    /// million-article store). At most [`CARDS_KEPT`].
    pub(crate) cards: HashMap<StoryId, Option<StoryCard>>,
}

impl Kept {
    /// Empties the cache into a new epoch.
    fn renew(&mut self) {
        *self = Kept { epoch: self.epoch + 1, ..Kept::default() };
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("epoch", &self.epoch)
            .field("doc_freq", &self.doc_freq.keys().collect::<Vec<_>>())
            .field("speakers", &self.speakers.as_ref().map(|s| s.len()))
            .field("cards", &self.cards.len())
            .finish()
    }
}

/// The epoch a view saw before reading: what it read is kept only under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Epoch(u64);

/// One view's handle on a [`ReadCache`]: the cache, and what the view last saw.
#[derive(Debug)]
pub(crate) struct ViewCache {
    cache: Arc<ReadCache>,
    /// The view's `data_version` and the cache's epoch when it last looked.
    seen: Cell<Option<(i64, u64)>>,
}

impl ViewCache {
    pub(crate) fn new(cache: Arc<ReadCache>) -> ViewCache {
        ViewCache { cache, seen: Cell::new(None) }
    }

    /// The cache as of `version` (the view's `data_version` now), emptied into a new epoch
    /// if the store changed since the view last looked or the view never looked.
    pub(crate) fn look(&self, version: i64) -> (Epoch, MutexGuard<'_, Kept>) {
        let mut kept = self.cache.lock();
        match self.seen.get() {
            // Nothing committed since this view looked: another view's new epoch (if any)
            // is for a change this view had seen too.
            Some((seen, _)) if seen == version => {}
            _ => kept.renew(),
        }
        self.seen.set(Some((version, kept.epoch)));
        (Epoch(kept.epoch), kept)
    }

    /// Calls `keep` on the cache if it is still in `epoch`, the one the view saw before
    /// reading what `keep` puts in it.
    pub(crate) fn keep(&self, epoch: Epoch, keep: impl FnOnce(&mut Kept)) {
        let mut kept = self.cache.lock();
        if kept.epoch == epoch.0 {
            keep(&mut kept);
        }
    }
}
