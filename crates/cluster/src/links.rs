//! A page's own "related stories" links, checked against the page: a link whose headline
//! and teaser share almost no words with the article is not related, whatever the page
//! says (the seed's LeBron James and Snapdeal links under an article on US-Russia talks).

use crate::terms::words;
use lede_core::Article;
use lede_text::hash::{KeySet, word_hash};
use serde::Serialize;
use std::collections::BTreeMap;

/// A linked story shares at least this many distinct words with the article...
const MIN_SHARED: usize = 3;
/// ...and at least this share of its own words.
const MIN_SHARE: f32 = 0.2;

/// What lede makes of one of a page's related links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkCheck {
    /// The link's headline, as the page gives it.
    pub title: String,
    /// Whether it tells of what the article tells.
    pub related: bool,
    /// Share of the link's distinct words (headline and teaser, stop words out) that the
    /// article uses.
    pub share: f32,
    /// Those words (as the link writes them).
    pub shared: Vec<String>,
}

/// Checks each of `article.related` against the article's headline, captions and body.
pub fn check_links(article: &Article) -> Vec<LinkCheck> {
    if article.related.is_empty() {
        return Vec::new();
    }
    // The article's stems, by their stable hash: a page has thousands of words and only a
    // few links, so the words are not copied (a collision costs one wrong shared word).
    let mut own: KeySet<u64> = KeySet::default();
    let texts = article.title.iter().chain(&article.captions).chain(&article.paragraphs);
    for t in texts {
        words(t, |w| {
            own.insert(word_hash(stem(w)));
        });
    }
    article
        .related
        .iter()
        .map(|r| {
            // stem -> the word as the link first writes it
            let mut theirs: BTreeMap<String, String> = BTreeMap::new();
            for t in std::iter::once(&r.title).chain(&r.teaser) {
                words(t, |w| {
                    theirs.entry(stem(w).to_owned()).or_insert_with(|| w.to_owned());
                });
            }
            let shared: Vec<String> = theirs
                .iter()
                .filter(|(s, _)| own.contains(&word_hash(s)))
                .map(|(_, w)| w.clone())
                .collect();
            let share =
                if theirs.is_empty() { 0.0 } else { shared.len() as f32 / theirs.len() as f32 };
            LinkCheck {
                title: r.title.clone(),
                related: shared.len() >= MIN_SHARED && share >= MIN_SHARE,
                share,
                shared,
            }
        })
        .collect()
}

/// A crude plural and demonym fold, so that "missiles" meets "missile" and "syrian" meets
/// "syria".
fn stem(w: &str) -> &str {
    for suffix in ["ian", "es", "s"] {
        if let Some(stem) = w.strip_suffix(suffix)
            && stem.chars().count() >= 4
        {
            return stem;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_core::RelatedItem;

    #[test]
    fn links_that_share_nothing_are_unrelated() {
        let article = Article {
            title: Some("Putin receives US Secretary of State".into()),
            paragraphs: vec![
                "Russia vetoed a resolution on the chemical attack in Syria after US missiles hit a Syrian air base.".into(),
            ],
            related: vec![
                RelatedItem {
                    title: "Russia vetoes UN resolution to condemn Syria chemical attack".into(),
                    teaser: Some("The U.S. fired 59 missiles at an air base.".into()),
                    url: None,
                },
                RelatedItem { title: "LeBron to miss Cavs' season finale".into(), teaser: None, url: None },
            ],
            ..Article::default()
        };
        let checks = check_links(&article);
        assert!(checks[0].related, "{:?}", checks[0]);
        assert!(checks[0].shared.contains(&"missiles".to_owned()));
        assert!(!checks[1].related);
        assert!(checks[1].shared.is_empty());
        assert!(check_links(&Article::default()).is_empty());
    }
}
