//! Time windows of the list pages (issue 18): `?from=&to=` (days, both included), the
//! day / week / month steps and the previous / next links, and pages of a long list
//! (`?page=`).
//!
//! A window is read from the request and checked here once: an unreadable date, a `from`
//! after its `to`, or a window longer than [`MAX_DAYS`] is a 400 naming the parameter.

use crate::error::Failure;
use crate::pages::urlencode;
use lede_store::Day;
use maud::{Markup, html};

/// Longest window a story list ranks (days): beyond a year, a ranking by breadth is
/// a ranking of the whole store, and the query reads every article of the range.
pub(crate) const MAX_DAYS: i64 = 366;
/// Highest page number accepted (a list this long is read through its JSON).
pub(crate) const MAX_PAGE: usize = 1000;

/// Days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) from: Day,
    pub(crate) to: Day,
}

/// A day as `YYYY-MM-DD`.
pub(crate) fn ymd(day: Day) -> String {
    let mut s = crate::atom::utc(day.start());
    s.truncate(10);
    s
}

/// The day a `YYYY-MM-DD` parameter names; `name` is the parameter's, for the message.
fn parse_day(name: &str, text: &str) -> Result<Day, Failure> {
    let at = crate::day_bound(text, false).map_err(|_| {
        Failure::bad_date(text).with_detail(format!("{name}={text:?} is not a date"))
    })?;
    Ok(Day::of(at))
}

/// The first day of `day`'s month, and the last.
pub(crate) fn month_of(day: Day) -> (Day, Day) {
    let s = ymd(day);
    let (y, m): (i64, u32) = (
        s[..s.len() - 6].parse().unwrap_or(1970),
        s[s.len() - 5..s.len() - 3].parse().unwrap_or(1),
    );
    let first = |y: i64, m: u32| {
        Day::of(crate::day_bound(&format!("{y:04}-{m:02}-01"), false).unwrap_or(day.start()))
    };
    let start = first(y, m);
    let next = if m == 12 { first(y + 1, 1) } else { first(y, m + 1) };
    (start, Day(next.0 - 1))
}

impl Window {
    /// The window `from` and `to` ask for; with neither, `default` (the caller's: the
    /// newest week of the store, or none). One alone is a window of that one day to the
    /// other's default. `max_days`: the longest window accepted, if any.
    pub(crate) fn read(
        from: Option<&str>,
        to: Option<&str>,
        default: Option<Window>,
        max_days: Option<i64>,
    ) -> Result<Option<Window>, Failure> {
        let from = given(from).map(|f| parse_day("from", f)).transpose()?;
        let to = given(to).map(|t| parse_day("to", t)).transpose()?;
        let window = match (from, to) {
            (None, None) => return Ok(default),
            (Some(f), Some(t)) => Window { from: f, to: t },
            (Some(f), None) => Window { from: f, to: default.map_or(f, |d| d.to.max(f)) },
            (None, Some(t)) => Window { from: Day(t.0 - 6), to: t },
        };
        if window.from > window.to {
            return Err(Failure::bad_request(format!(
                "from ({}) is after to ({})",
                ymd(window.from),
                ymd(window.to)
            )));
        }
        if let Some(max) = max_days
            && window.days() > max
        {
            return Err(Failure::bad_request(format!(
                "the window from {} to {} is {} days long: at most {max}",
                ymd(window.from),
                ymd(window.to),
                window.days()
            )));
        }
        Ok(Some(window))
    }

    /// The week ending on `last`.
    pub(crate) fn week_to(last: Day) -> Window {
        Window { from: Day(last.0 - 6), to: last }
    }

    /// Its length in days.
    pub(crate) fn days(self) -> i64 {
        self.to.0 - self.from.0 + 1
    }

    /// Its first and last second (Unix seconds).
    pub(crate) fn seconds(self) -> (i64, i64) {
        (self.from.start(), self.to.end())
    }

    /// Whether it is one calendar month, first day to last.
    fn is_month(self) -> bool {
        month_of(self.from) == (self.from, self.to)
    }

    /// The window before it, of its length (the month before, for a month).
    pub(crate) fn previous(self) -> Window {
        if self.is_month() {
            let (from, to) = month_of(Day(self.from.0 - 1));
            return Window { from, to };
        }
        Window { from: Day(self.from.0 - self.days()), to: Day(self.to.0 - self.days()) }
    }

    /// The window after it, of its length (the month after, for a month).
    pub(crate) fn next(self) -> Window {
        if self.is_month() {
            let (from, to) = month_of(Day(self.to.0 + 1));
            return Window { from, to };
        }
        Window { from: Day(self.from.0 + self.days()), to: Day(self.to.0 + self.days()) }
    }

    /// `from=…&to=…`, for a URL.
    pub(crate) fn query(self) -> String {
        format!("from={}&to={}", ymd(self.from), ymd(self.to))
    }

    /// How it reads on a page: one day, or "from – to".
    pub(crate) fn label(self) -> String {
        if self.from == self.to {
            ymd(self.from)
        } else {
            format!("{} – {}", ymd(self.from), ymd(self.to))
        }
    }

    /// The links that move it: previous / next, and the day, week and month that end on
    /// its last day. `base` is the page's path and its other parameters (`/search?q=x`).
    pub(crate) fn nav(self, base: &str) -> Markup {
        let sep = if base.contains('?') { "&" } else { "?" };
        let href = |w: Window| format!("{base}{sep}{}", w.query());
        let (month_from, month_to) = month_of(self.to);
        html! {
            nav.window aria-label="Time window" {
                a href=(href(self.previous())) rel="prev" { "← previous" }
                " · " strong { (self.label()) } " · "
                a href=(href(self.next())) rel="next" { "next →" }
                " · show: "
                a href=(href(Window { from: self.to, to: self.to })) { "day" } " "
                a href=(href(Window::week_to(self.to))) { "week" } " "
                a href=(href(Window { from: month_from, to: month_to })) { "month" }
            }
        }
    }
}

/// A parameter's value, trimmed; `None` when absent or blank (a form's field left empty
/// sends `from=`: it is not given).
pub(crate) fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A page number from `?page=` (1 when absent), checked.
pub(crate) fn page_number(page: Option<usize>) -> Result<usize, Failure> {
    match page {
        None => Ok(1),
        Some(p) if (1..=MAX_PAGE).contains(&p) => Ok(p),
        Some(p) => Err(Failure::bad_request(format!("page={p}: pages are 1 to {MAX_PAGE}"))),
    }
}

/// "Page n of m" with previous / next links; `base` is the page's URL without `page`.
pub(crate) fn pager(base: &str, page: usize, per_page: usize, total: u64) -> Markup {
    let pages = (total as usize).div_ceil(per_page.max(1)).max(1);
    let sep = if base.contains('?') { "&" } else { "?" };
    html! {
        @if pages > 1 {
            nav.pager aria-label="Pages" {
                @if page > 1 { a href={ (base) (sep) "page=" (page - 1) } rel="prev" { "← page " (page - 1) } " · " }
                "page " (page) " of " (pages)
                @if page < pages.min(MAX_PAGE) { " · " a href={ (base) (sep) "page=" (page + 1) } rel="next" { "page " (page + 1) " →" } }
            }
        }
    }
}

/// A query parameter, `&name=value`, or nothing when absent or empty.
pub(crate) fn param(name: &str, value: Option<&str>) -> String {
    match given(value) {
        Some(v) => format!("&{name}={}", urlencode(v)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn day(s: &str) -> Day {
        parse_day("d", s).unwrap()
    }

    #[test]
    fn windows_step_by_their_length_and_months_by_months() {
        let w = Window::read(Some("2019-01-07"), Some("2019-01-13"), None, Some(MAX_DAYS))
            .unwrap()
            .unwrap();
        assert_eq!(w.days(), 7);
        assert_eq!(w.previous().query(), "from=2018-12-31&to=2019-01-06");
        assert_eq!(w.next().query(), "from=2019-01-14&to=2019-01-20");
        let feb = Window { from: day("2019-02-01"), to: day("2019-02-28") };
        assert_eq!(feb.next().query(), "from=2019-03-01&to=2019-03-31");
        assert_eq!(feb.previous().query(), "from=2019-01-01&to=2019-01-31");
        assert_eq!(
            Window { from: day("2020-02-01"), to: day("2020-02-29") }.next().label(),
            "2020-03-01 – 2020-03-31"
        );
        assert_eq!(month_of(day("1969-12-15")), (day("1969-12-01"), day("1969-12-31")));
    }

    #[test]
    fn bad_windows_are_refused_by_name() {
        let read = |f: Option<&str>, t: Option<&str>| Window::read(f, t, None, Some(MAX_DAYS));
        let e = read(Some("2019-02-01"), Some("2019-01-01")).unwrap_err();
        assert_eq!(e.detail(), Some("from (2019-02-01) is after to (2019-01-01)"));
        let e = read(Some("yesterday"), None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadDate);
        assert!(e.detail().unwrap().contains("from=\"yesterday\""), "{:?}", e.detail());
        let e = read(Some("0001-01-01"), Some("9999-12-31")).unwrap_err();
        assert!(e.detail().unwrap().contains("at most 366"), "{:?}", e.detail());
        assert_eq!(read(None, None).unwrap(), None);
        assert_eq!(read(Some(""), Some(" ")).unwrap(), None, "blank fields are not given");
        assert_eq!(
            read(None, Some("2019-01-13")).unwrap().unwrap().query(),
            "from=2019-01-07&to=2019-01-13"
        );
        assert!(page_number(Some(0)).is_err());
        let html = pager("/stories/13", 2, 100, 298).into_string();
        assert!(html.contains("href=\"/stories/13?page=1\" rel=\"prev\""), "{html}");
        assert!(html.contains("page 2 of 3") && html.contains("/stories/13?page=3"), "{html}");
        assert!(pager("/quotes?speaker=X", 1, 30, 30).into_string().is_empty());
        assert_eq!(page_number(None).unwrap(), 1);
    }
}
