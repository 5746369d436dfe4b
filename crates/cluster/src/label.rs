//! What a story is called, which of its quotes matter, and which stories are related to it.
//!
//! A story is labelled by the article nearest its word centroid (the one most like the
//! whole story, not the first to arrive: the first release of a 282-release story about a
//! shutdown was about a border proposal), by that article's headline, or by its lead's
//! first sentence when the headline is no label: a dateline ("SOCHI, May 12. /TASS/."),
//! an agency tag, a bare name or place, or a run-on paragraph.
//!
//! Key quotes are the quotes nearest the story's centroid, weighted by how many outlets
//! repeat them: in a story of 282 releases the longest quotes, or the ones one office
//! repeated in three releases, are about the SALT deduction and a swearing-in.
//!
//! Example:
//!
//! ```
//! use lede_cluster::label::{headline_label, lead_label};
//!
//! assert_eq!(headline_label("SOCHI, May 12. /TASS/."), None);
//! assert_eq!(
//!     headline_label("Shutdown enters its third week"),
//!     Some("Shutdown enters its third week")
//! );
//! assert_eq!(
//!     lead_label("WASHINGTON, D.C.— The House passed the bill. It now goes to the Senate.")
//!         .as_deref(),
//!     Some("The House passed the bill.")
//! );
//! ```

use crate::clusterer::{DocFreq, Story};
use crate::terms::{term_hash, words};
use lede_core::ArticleSeq;
use lede_text::dateline;
use lede_text::sentences::sentence_spans;

/// A headline longer than this is a paragraph in the title field.
const MAX_HEADLINE_WORDS: usize = 16;
/// Members of a story whose leads are read to find its label, nearest the centroid first.
pub const LABEL_CANDIDATES: usize = 8;
/// Days over which the relatedness of two stories decays by e.
pub const RELATED_TAU_DAYS: f32 = 30.0;
/// Stories at least this related are listed as related: an empty list is better than a
/// list of strangers.
pub const RELATED_FLOOR: f32 = 0.12;

/// `title` as a story's label, or `None` when it is no label: empty, a run-on paragraph, a
/// dateline or agency tag with nothing after it, a headline cut after a function word, or
/// a bare name or place (every word
/// capitalised and no more than three of them: "Congresswoman Betty McCollum",
/// "WASHINGTON"; a three-word title-case headline is lost with them, and the lead labels
/// instead).
pub fn headline_label(title: &str) -> Option<&str> {
    let title = title.trim();
    let rest = dateline::strip(title);
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty()
        || words.len() > MAX_HEADLINE_WORDS
        || !rest.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let capitalised = |w: &&str| {
        w.chars().find(|c| c.is_alphanumeric()).is_none_or(|c| c.is_uppercase() || c.is_numeric())
    };
    if words.len() <= 3 && words.iter().all(capitalised) {
        return None;
    }
    // A headline ending on "the" or "of" was cut ("ESHOO STATEMENT ON THE").
    let last = words[words.len() - 1].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if CUT_AFTER.contains(&last.as_str()) {
        return None;
    }
    // A dateline is stripped only when something readable follows it; the headline is
    // kept whole otherwise (it was the whole headline).
    Some(if rest.len() < title.len() { rest } else { title })
}

/// A label from an article's first words: its place dateline and agency tag left out
/// ("WASHINGTON, D.C.— ", "(Washington, D.C.) – ", "SOCHI, May 12. /TASS/. "), cut at its
/// first sentence or, failing that, at a word near 100 characters. `None` when nothing
/// readable is left, or when it opens with a quotation.
pub fn lead_label(text: &str) -> Option<String> {
    let text = dateline::strip(text.trim());
    // A lead that opens with a quote is someone's words, not what happened.
    if !text.chars().any(char::is_alphabetic) || text.starts_with(['"', '“', '‘', '\'', '«']) {
        return None;
    }
    // The first sentence long enough to say something ("Washington. Today ..." is not one)
    // that is not all of the text (the splitter's last piece may be an unfinished one).
    let sentence_end =
        sentence_spans(text).into_iter().map(|s| s.end).find(|&end| end >= 20 && end < text.len());
    Some(match sentence_end {
        Some(end) if end <= 160 => text[..end].to_owned(),
        _ if text.chars().count() <= 110 => text.to_owned(),
        _ => {
            let cut = text.char_indices().nth(100).map_or(text.len(), |(i, _)| i);
            let at = text[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", text[..at].trim_end_matches([',', ';', ':', ' ']))
        }
    })
}

/// An article's label: its headline when it is one ([`headline_label`]), else its lead's
/// first sentence ([`lead_label`]).
pub fn article_label(title: Option<&str>, lead: Option<&str>) -> Option<String> {
    title
        .and_then(headline_label)
        .map(str::to_owned)
        .or_else(|| lead.and_then(lead_label))
        .or_else(|| title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()))
}

/// Words no headline ends on: one that does was cut.
const CUT_AFTER: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
];

/// A member with a headline labels the story if it is nearly as near the centroid as the
/// nearest member (this share of its fit); press releases mostly have no headline, and
/// the nearest member's lead says less than a near member's headline.
pub const HEADLINE_MARGIN: f32 = 0.8;

/// The member whose headline labels a story: the nearest the centroid of those with a
/// headline that is a label, if it is within [`HEADLINE_MARGIN`] of the nearest member.
/// `members` are (sequence number, fit, whether its headline is a label), in any order.
pub fn pick_headline(members: &[(ArticleSeq, f32, bool)]) -> Option<ArticleSeq> {
    let best = members.iter().map(|m| m.1).fold(f32::NEG_INFINITY, f32::max);
    nearest(members.iter().filter(|m| m.2 && m.1 >= HEADLINE_MARGIN * best).map(|m| (m.0, m.1)))
}

/// The member to label a story with: [`pick_headline`]'s, else the nearest whose lead
/// gives a label, else the nearest with a headline, else the nearest. `members` are
/// (sequence number, fit, whether its headline is a label, whether its lead gives one),
/// in any order; leads need only be judged for the nearest few.
pub fn choose_label(members: &[(ArticleSeq, f32, bool, bool)]) -> Option<ArticleSeq> {
    let headlines: Vec<(ArticleSeq, f32, bool)> = members.iter().map(|m| (m.0, m.1, m.2)).collect();
    pick_headline(&headlines)
        .or_else(|| nearest(members.iter().filter(|m| m.3).map(|m| (m.0, m.1))))
        .or_else(|| nearest(members.iter().filter(|m| m.2).map(|m| (m.0, m.1))))
        .or_else(|| nearest(members.iter().map(|m| (m.0, m.1))))
}

/// The member with the highest fit; the earlier article on a tie.
fn nearest(members: impl Iterator<Item = (ArticleSeq, f32)>) -> Option<ArticleSeq> {
    members.max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map(|m| m.0)
}

impl Story {
    /// How near an article is to the story: the cosine of its word vector (weighted with
    /// `df`) with the story's word centroid.
    pub fn fit(&self, features: &crate::StoryFeatures, df: &DocFreq) -> f32 {
        let v = crate::clusterer::weigh_terms(features.terms.iter().copied(), |h| df.term_idf(h));
        self.terms_cos(&v)
    }

    /// How near a quote is to the story: the cosine of its words (weighted by `idf`) with
    /// the story's word centroid.
    pub fn quote_fit(&self, quote: &str, idf: impl Fn(u32) -> f32) -> f32 {
        let mut counts: Vec<(u32, u16)> = Vec::new();
        words(quote, |w| {
            let h = term_hash(w);
            match counts.iter_mut().find(|(k, _)| *k == h) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => counts.push((h, 1)),
            }
        });
        let v = crate::clusterer::weigh_terms(counts.into_iter(), idf);
        self.terms_cos(&v)
    }

    /// How related two stories are (0..1): their word and name centroids' cosines,
    /// averaged, decaying by e every [`RELATED_TAU_DAYS`] days between their spans.
    pub fn relatedness(&self, other: &Story) -> f32 {
        let (t, e) = self.similarity(other);
        let gap_days = match (self.first_ts, self.last_ts, other.first_ts, other.last_ts) {
            (Some(af), Some(al), Some(bf), Some(bl)) => {
                (bf - al).max(af - bl).max(0) as f32 / 86_400.0
            }
            _ => 0.0,
        };
        (0.5 * t + 0.5 * e) * (-gap_days / RELATED_TAU_DAYS).exp()
    }
}

/// The order of a story's key quotes: by their fit with the story ([`Story::quote_fit`])
/// times one plus the log of the outlets repeating them. `quotes` are (fit, outlets);
/// returns their indexes, best first (ties: the earlier index).
pub fn rank_quotes(quotes: &[(f32, u64)]) -> Vec<usize> {
    let score = |&(fit, outlets): &(f32, u64)| fit * (1.0 + (outlets.max(1) as f32).ln());
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by(|&a, &b| score(&quotes[b]).total_cmp(&score(&quotes[a])).then(a.cmp(&b)));
    order
}

/// How much a name tells a story apart, to find related stories by: sublinear in the
/// articles naming it (a name in every article of a large story should not outweigh a
/// rarer one in a third of them), times its inverse document frequency ("Washington" in
/// every dateline says little).
pub fn name_weight(articles: u64, idf: f32) -> f32 {
    (1.0 + (articles.max(1) as f32).ln()) * idf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_and_agency_tags_are_no_label() {
        for title in [
            "SOCHI, May 12. /TASS/.",
            "MOSCOW, December 3. /TASS/.",
            "WASHINGTON",
            "Congresswoman Betty McCollum",
            "/TASS/.",
            "",
            "   ",
            "2019",
            "ESHOO STATEMENT ON THE",
        ] {
            assert_eq!(headline_label(title), None, "{title:?}");
        }
        for (title, label) in [
            ("Shutdown enters its third week", "Shutdown enters its third week"),
            ("SOCHI, May 12. /TASS/. Putin meets Erdogan", "Putin meets Erdogan"),
            (
                "ESHOO ELECTED CHAIR OF HOUSE HEALTH SUBCOMMITTEE",
                "ESHOO ELECTED CHAIR OF HOUSE HEALTH SUBCOMMITTEE",
            ),
            (
                "Sullivan on President’s State of the Union Address",
                "Sullivan on President’s State of the Union Address",
            ),
        ] {
            assert_eq!(headline_label(title), Some(label), "{title:?}");
        }
        let run_on = "The Senate passed the budget bill on Friday after a long debate over spending caps and sent it on";
        assert_eq!(headline_label(run_on), None);
    }

    #[test]
    fn a_lead_labels_a_story_without_its_dateline_cut_at_its_first_sentence() {
        for (text, label) in [
            (
                "WASHINGTON, D.C.— Congressman Adam Smith (WA-09) released the following statement after passage of H.R. 8, the Bipartisan Background Checks Act. The bill passed 240-190.",
                "Congressman Adam Smith (WA-09) released the following statement after passage of H.R. 8, the Bipartisan Background Checks Act.",
            ),
            (
                "(Washington, D.C.) – Today, Congressman Albio Sires released the following statement on the State of the Union. \"Tonight ...\"",
                "Today, Congressman Albio Sires released the following statement on the State of the Union.",
            ),
            (
                "Washington, DC – Congresswoman Marcy Kaptur (OH-09) met Sen. Brown on Tuesday. Then she left.",
                "Congresswoman Marcy Kaptur (OH-09) met Sen. Brown on Tuesday.",
            ),
            (
                "SOCHI, May 12. /TASS/. Russian President Vladimir Putin met his Turkish counterpart on Friday. They spoke for three hours.",
                "Russian President Vladimir Putin met his Turkish counterpart on Friday.",
            ),
            (
                "MOSCOW, December 3 (Reuters) - The central bank held its key rate at 7.5 percent on Friday, as expected.",
                "The central bank held its key rate at 7.5 percent on Friday, as expected.",
            ),
            ("Congresswoman Betty McCollum", "Congresswoman Betty McCollum"),
            (
                "The Senate passed the budget bill on Friday after a long debate over spending caps and sent it on to the House of Representatives for a vote next week",
                "The Senate passed the budget bill on Friday after a long debate over spending caps and sent it on…",
            ),
        ] {
            assert_eq!(lead_label(text).as_deref(), Some(label), "{text}");
        }
        assert_eq!(lead_label("SOCHI, May 12. /TASS/."), None);
        assert_eq!(lead_label("“This shutdown is not political,” she said. It is not."), None);
    }

    #[test]
    fn the_label_is_the_nearest_member_with_a_headline_then_with_a_lead() {
        let members = [
            (ArticleSeq(1), 0.9, false, true),
            (ArticleSeq(2), 0.7, true, true),
            (ArticleSeq(3), 0.8, true, false),
        ];
        assert_eq!(choose_label(&members), Some(ArticleSeq(3)));
        // A headline far from the centroid loses to the nearest member's lead.
        let members = [(ArticleSeq(1), 0.9, false, true), (ArticleSeq(2), 0.5, true, true)];
        assert_eq!(choose_label(&members), Some(ArticleSeq(1)));
        assert_eq!(
            choose_label(&[(ArticleSeq(1), 0.2, false, true), (ArticleSeq(2), 0.5, false, false)]),
            Some(ArticleSeq(1))
        );
        assert_eq!(
            choose_label(&[(ArticleSeq(1), 0.2, false, false), (ArticleSeq(2), 0.5, false, false)]),
            Some(ArticleSeq(2))
        );
        assert_eq!(choose_label(&[]), None);
        // Equal fits: the earlier article.
        assert_eq!(
            choose_label(&[(ArticleSeq(5), 0.5, true, true), (ArticleSeq(4), 0.5, true, true)]),
            Some(ArticleSeq(4))
        );
    }

    proptest::proptest! {
        #[test]
        fn labels_never_panic(text in "\\PC{0,80}", tail in "[A-Z]{1,8}, (May|Jan\\.) [0-9]{1,3}[.(/—–-]\\PC{0,20}") {
            for t in [text.as_str(), tail.as_str(), &format!("{tail}{text}"), &format!("{text}{tail}")] {
                let _ = headline_label(t);
                let _ = lead_label(t);
                let _ = dateline::strip(t);
                let _ = article_label(Some(t), Some(t));
            }
        }
    }

    #[test]
    fn a_dash_after_the_date_may_be_any_dash() {
        let text = "WASHINGTON, Jan. 12 – Lockheed Martin showed its F-35 cockpit demonstrator to Members of Congress.";
        assert_eq!(
            lead_label(text).as_deref(),
            Some("Lockheed Martin showed its F-35 cockpit demonstrator to Members of Congress.")
        );
    }

    #[test]
    fn quotes_rank_by_fit_and_outlets() {
        // An off-topic quote repeated by one outlet ranks below an on-topic one, and a
        // quote four outlets repeat beats a slightly nearer one only one gives.
        let order = rank_quotes(&[(0.05, 1), (0.6, 1), (0.5, 4)]);
        assert_eq!(order, vec![2, 1, 0]);
    }
}
