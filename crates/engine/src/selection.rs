//! Which records an ingest keeps: `--since`/`--until`, `--host`, `--lang`.
//!
//! Checked as early as each can be, so that a record left out costs little: the address
//! and a WARC record's capture date before anything is decoded or extracted (on the reader
//! thread), the language and the page's own date after extraction and before annotation,
//! sketching and clustering (on a worker). A record left out is counted as `filtered`.

use lede_core::Article;
use lede_extract::read_date;
use lede_ingest::{HostPattern, Payload, RawRecord};

/// What an ingest keeps; the default keeps everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only records dated at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Only records dated before this time (Unix seconds).
    pub until: Option<i64>,
    /// Only records whose address's host matches one of these (none: any host).
    pub hosts: Vec<HostPattern>,
    /// Only articles in one of these languages, ISO 639-1 (none: any language).
    pub languages: Vec<String>,
}

impl Selection {
    /// Whether it keeps everything.
    pub fn keeps_all(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.hosts.is_empty()
            && self.languages.is_empty()
    }

    fn in_range(&self, unix_seconds: i64) -> bool {
        self.since.is_none_or(|s| unix_seconds >= s) && self.until.is_none_or(|u| unix_seconds < u)
    }

    /// Whether a date as a sitemap writes it (`2019-02-01`, `2019-02-01T10:00:00+01:00`)
    /// is in the range; `None` when it is not a date (`lede crawl` then fetches the page
    /// and judges it by its own date).
    pub(crate) fn keeps_date(&self, text: &str) -> Option<bool> {
        read_date(text).map(|d| self.in_range(d.at.unix_seconds()))
    }

    /// Whether an address's host is one of those kept.
    pub(crate) fn keeps_address(&self, url: &str) -> bool {
        self.host_allowed(Some(url))
    }

    fn host_allowed(&self, url: Option<&str>) -> bool {
        self.hosts.is_empty() || url.is_some_and(|u| self.hosts.iter().any(|h| h.matches_url(u)))
    }

    /// Before extraction: a record whose address is on another host, or whose capture date
    /// (a WARC record's) is out of range, is left out. A record with neither is kept for
    /// now; [`Selection::keeps_article`] decides on what extraction finds.
    pub(crate) fn keeps_record(&self, record: &RawRecord) -> bool {
        match &record.payload {
            Payload::Page { page, date_hint } => {
                self.host_allowed(page.url.as_deref())
                    && date_hint
                        .as_deref()
                        .and_then(read_date)
                        .is_none_or(|d| self.in_range(d.at.unix_seconds()))
            }
            // A structured record's address may be filled by following it; its date is
            // read with the article.
            Payload::Structured(s) => s.url.is_none() || self.host_allowed(s.url.as_deref()),
        }
    }

    /// After extraction, before annotation: the article's language, its own date (the
    /// capture date stands in when the page gives none), and its address.
    pub(crate) fn keeps_article(&self, article: &Article) -> bool {
        if !self.languages.is_empty()
            && !article
                .language
                .as_deref()
                .is_some_and(|l| self.languages.iter().any(|want| want.eq_ignore_ascii_case(l)))
        {
            return false;
        }
        if let Some(p) = &article.published
            && !self.in_range(p.at.unix_seconds())
        {
            return false;
        }
        if (self.since.is_some() || self.until.is_some()) && article.published.is_none() {
            // Undated: a date range cannot be kept to, so the record is left out rather
            // than let into a backfill of another period.
            return false;
        }
        self.host_allowed(article.url.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_core::{Origin, Published, Timestamp};
    use lede_ingest::RawPage;

    fn page(url: &str, date: Option<&str>) -> RawRecord {
        let mut raw = RawPage::new(b"<p>x</p>".to_vec(), Origin::Stdin);
        raw.url = Some(url.to_owned());
        RawRecord {
            origin: Origin::Stdin,
            payload: Payload::Page { page: raw, date_hint: date.map(str::to_owned) },
        }
    }

    fn article(lang: Option<&str>, day: Option<(i32, u8, u8)>, url: &str) -> Article {
        Article {
            language: lang.map(str::to_owned),
            published: day.map(|(y, m, d)| Published {
                at: Timestamp::date(y, m, d).unwrap(),
                raw: String::new(),
            }),
            url: Some(url.to_owned()),
            ..Article::default()
        }
    }

    #[test]
    fn records_and_articles_are_kept_or_left_out() {
        let jan = Timestamp::date(2019, 1, 1).unwrap().unix_seconds();
        let feb = Timestamp::date(2019, 2, 1).unwrap().unix_seconds();
        let s = Selection {
            since: Some(jan),
            until: Some(feb),
            hosts: vec![HostPattern::parse("*.example.org").unwrap()],
            languages: vec!["en".into(), "de".into()],
        };
        assert!(!s.keeps_all() && Selection::default().keeps_all());
        assert!(s.keeps_record(&page("https://news.example.org/a", Some("2019-01-15T10:00:00Z"))));
        assert!(s.keeps_record(&page("https://news.example.org/a", None)));
        assert!(!s.keeps_record(&page("https://other.com/a", Some("2019-01-15T10:00:00Z"))));
        assert!(!s.keeps_record(&page("https://example.org/a", Some("2019-02-01T00:00:00Z"))));
        assert!(!s.keeps_record(&page("https://example.org/a", Some("2018-12-31T23:59:59Z"))));

        let url = "https://example.org/a";
        assert!(s.keeps_article(&article(Some("en"), Some((2019, 1, 20)), url)));
        assert!(s.keeps_article(&article(Some("DE"), Some((2019, 1, 1)), url)));
        assert!(!s.keeps_article(&article(Some("ru"), Some((2019, 1, 20)), url)));
        assert!(!s.keeps_article(&article(None, Some((2019, 1, 20)), url)));
        assert!(!s.keeps_article(&article(Some("en"), Some((2019, 2, 1)), url)));
        assert!(!s.keeps_article(&article(Some("en"), None, url)));
        assert!(!s.keeps_article(&article(Some("en"), Some((2019, 1, 20)), "https://x.com/")));
        assert!(Selection::default().keeps_article(&article(None, None, "x")));

        // Sitemap dates and addresses, for `lede crawl` (#14).
        assert_eq!(s.keeps_date("2019-01-15"), Some(true));
        assert_eq!(s.keeps_date("2019-01-31T23:59:59+00:00"), Some(true));
        assert_eq!(s.keeps_date("2019-02-01T00:00:00Z"), Some(false));
        assert_eq!(s.keeps_date("soon"), None);
        assert!(s.keeps_address("https://www.example.org/a"));
        assert!(!s.keeps_address("https://example.com/a"));
    }
}
