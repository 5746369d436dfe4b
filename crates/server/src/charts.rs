//! Pictures of counts over time, drawn here as SVG (no script: the CSP stays as strict as
//! it is): bars per day, week or month, stacked by series (outlets) when there are
//! several, each bar a link when it has somewhere to go. Every chart comes with its text
//! alternative (an SVG `<title>` and `<desc>`, and the same sentence on the page) and its
//! numbers as a table behind a `<details>`.
//!
//! The outlet page's copy graph (`outlets.rs`) is drawn beside it with the same label
//! helper, [`short_label`].

use crate::window::{Window, month_of, ymd};
use lede_store::Day;
use maud::{Markup, html};

/// Distinct colours of stacked series (`.c0` … `.c7` in the page's style); more series
/// than this are summed into the last.
pub(crate) const SERIES_COLOURS: usize = 8;
/// Most buckets drawn at one bucket a day; a longer span is drawn a week or a month a
/// bucket.
const MAX_DAY_BUCKETS: i64 = 400;
/// Most buckets drawn a week a bucket.
const MAX_WEEK_BUCKETS: i64 = 260;

/// A label cut to `max` characters (an ellipsis ends a cut one).
pub(crate) fn short_label(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        s.chars().take(max.saturating_sub(1)).chain(['…']).collect()
    } else {
        s.to_owned()
    }
}

/// How much time a bar covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Day,
    Week,
    Month,
}

impl Step {
    /// The step that draws `first..=last` in a few hundred bars at most.
    pub(crate) fn for_span(first: Day, last: Day) -> Step {
        let days = last.0 - first.0 + 1;
        if days <= MAX_DAY_BUCKETS {
            Step::Day
        } else if days <= 7 * MAX_WEEK_BUCKETS {
            Step::Week
        } else {
            Step::Month
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Step::Day => "day",
            Step::Week => "week",
            Step::Month => "month",
        }
    }
}

/// One bar: the window it covers and its count per series.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub(crate) window: Window,
    pub(crate) values: Vec<u64>,
}

impl Bucket {
    fn total(&self) -> u64 {
        self.values.iter().sum()
    }

    /// The non-empty series of its stack, bottom first: (series, count below, count at
    /// its top).
    fn segments(&self) -> Vec<(usize, u64, u64)> {
        let mut below = 0;
        let mut out = Vec::new();
        for (s, v) in self.values.iter().enumerate().filter(|(_, v)| **v > 0) {
            out.push((s, below, below + v));
            below += v;
        }
        out
    }

    fn label(&self, step: Step) -> String {
        match step {
            Step::Day => ymd(self.window.from),
            Step::Week => format!("week of {}", ymd(self.window.from)),
            Step::Month => ymd(self.window.from)[..7].to_owned(),
        }
    }
}

/// Counts per day (`(day, count per series)`, any order, days may repeat) as the
/// buckets of `step` from the first day to the last, empty ones included (the x axis
/// is time).
pub(crate) fn buckets(counts: &[(Day, Vec<u64>)], series: usize, step: Step) -> Vec<Bucket> {
    let Some(first) = counts.iter().map(|c| c.0).min() else { return Vec::new() };
    let last = counts.iter().map(|c| c.0).max().unwrap_or(first);
    let window_of = |d: Day| match step {
        Step::Day => Window { from: d, to: d },
        Step::Week => {
            let n = (d.0 - first.0).div_euclid(7);
            Window { from: Day(first.0 + 7 * n), to: Day(first.0 + 7 * n + 6) }
        }
        Step::Month => {
            let (from, to) = month_of(d);
            Window { from, to }
        }
    };
    let mut out: Vec<Bucket> = Vec::new();
    let mut at = window_of(first);
    loop {
        out.push(Bucket { window: at, values: vec![0; series] });
        if at.to >= last {
            break;
        }
        at = window_of(Day(at.to.0 + 1));
    }
    for (day, values) in counts {
        // Buckets are contiguous and ordered: a binary search by their first day.
        let i = out.partition_point(|b| b.window.to < *day);
        if let Some(b) = out.get_mut(i) {
            for (v, add) in b.values.iter_mut().zip(values) {
                *v += add;
            }
        }
    }
    out
}

/// A bar chart to draw.
pub(crate) struct Chart<'a> {
    /// Unique on its page (for the `aria-labelledby` ids).
    pub(crate) id: &'a str,
    /// What it shows, as a heading would say it.
    pub(crate) title: String,
    /// What is counted ("articles", "mentions").
    pub(crate) unit: &'a str,
    /// The series' names (one: a plain histogram).
    pub(crate) series: Vec<String>,
    pub(crate) step: Step,
    pub(crate) buckets: Vec<Bucket>,
    /// Where a bar leads, if anywhere.
    pub(crate) href: Option<&'a dyn Fn(Window) -> String>,
    /// Days to mark under the bars, each with what happened (a quote's first
    /// appearance).
    pub(crate) marks: Vec<(Day, String)>,
    /// The window the page shows, shaded behind its bars.
    pub(crate) current: Option<Window>,
}

/// The chart as SVG, with its text alternative and its table.
pub(crate) fn bars(c: &Chart<'_>) -> Markup {
    const W: f64 = 720.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 8.0;
    const TOP: f64 = 10.0;
    const PLOT: f64 = 140.0;
    let marks_h = if c.marks.is_empty() { 0.0 } else { 14.0 };
    let height = TOP + PLOT + marks_h + 22.0;
    let n = c.buckets.len().max(1) as f64;
    let slot = (W - LEFT - RIGHT) / n;
    // A bar no wider than 40 units: a chart of a day or two stays a chart of bars.
    let bar = (slot * 0.85).clamp(0.6, 40.0);
    let max = c.buckets.iter().map(Bucket::total).max().unwrap_or(0).max(1);
    let y_of = |v: u64| TOP + PLOT - PLOT * v as f64 / max as f64;
    let f = |x: f64| format!("{x:.1}");
    let total: u64 = c.buckets.iter().map(Bucket::total).sum();
    let busiest = c.buckets.iter().max_by_key(|b| (b.total(), std::cmp::Reverse(b.window.from)));
    let (first, last) = (c.buckets.first(), c.buckets.last());
    let summary = match (first, last, busiest) {
        (Some(a), Some(z), Some(b)) if total > 0 => format!(
            "{total} {} from {} to {}, a bar a {}; the most, {}, in {}.",
            c.unit,
            ymd(a.window.from),
            ymd(z.window.to),
            c.step.noun(),
            b.total(),
            b.label(c.step)
        ),
        _ => format!("No dated {}.", c.unit),
    };
    let x_of_day = |d: Day| -> Option<f64> {
        let i = c.buckets.partition_point(|b| b.window.to < d);
        (i < c.buckets.len()).then(|| LEFT + slot * i as f64 + slot / 2.0)
    };
    let stacked = c.series.len() > 1;
    // The buckets the page's window overlaps, as a band from the first to the last.
    let band = c.current.and_then(|w| {
        let first =
            c.buckets.iter().position(|b| b.window.to >= w.from && b.window.from <= w.to)?;
        let last =
            c.buckets.iter().rposition(|b| b.window.to >= w.from && b.window.from <= w.to)?;
        Some((LEFT + slot * first as f64, slot * (last - first + 1) as f64, w))
    });
    html! {
        // A picture of links is a figure: an "img" may hold nothing focusable.
        svg.chart role=(if c.href.is_some() { "figure" } else { "img" }) aria-labelledby={ (c.id) "-title " (c.id) "-desc" } viewBox={ "0 0 " (W) " " (f(height)) } width="100%" style={ "max-width:" (W) "px" } {
            title id={ (c.id) "-title" } { (c.title) }
            desc id={ (c.id) "-desc" } { (summary) @if stacked { " Each bar is stacked by outlet, as the legend below says." } }
            @if let Some((x, width, w)) = band {
                rect.band x=(f(x)) y=(f(TOP)) width=(f(width.max(2.0))) height=(f(PLOT)) { title { "shown below: " (w.label()) } }
            }
            line.axis x1=(f(LEFT)) y1=(f(TOP + PLOT)) x2=(f(W - RIGHT)) y2=(f(TOP + PLOT)) {}
            text.tick x=(f(LEFT - 4.0)) y=(f(TOP + 8.0)) text-anchor="end" { (max) }
            text.tick x=(f(LEFT - 4.0)) y=(f(TOP + PLOT)) text-anchor="end" { "0" }
            @for (i, b) in c.buckets.iter().enumerate().filter(|(_, b)| b.total() > 0) {
                @let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
                @let tip = format!("{}: {} {}", b.label(c.step), b.total(), c.unit);
                @let stack = html! {
                    g {
                        title { (tip) }
                        @for (s, below, top) in b.segments() {
                            rect class={ "c" (s.min(SERIES_COLOURS - 1)) } x=(f(x)) y=(f(y_of(top))) width=(f(bar)) height=(f((y_of(below) - y_of(top)).max(0.5))) {}
                        }
                    }
                };
                @match c.href {
                    Some(href) => { a href=(href(b.window)) { (stack) } }
                    None => { (stack) }
                }
            }
            @for (day, what) in &c.marks {
                @if let Some(x) = x_of_day(*day) {
                    path.mark d={ "M" (f(x)) "," (f(TOP + PLOT + 2.0)) " l-4,8 h8 z" } { title { (ymd(*day)) ": " (what) } }
                }
            }
            @if let (Some(a), Some(z)) = (first, last) {
                text.tick x=(f(LEFT)) y=(f(height - 4.0)) { (a.label(c.step)) }
                text.tick x=(f(W - RIGHT)) y=(f(height - 4.0)) text-anchor="end" { (z.label(c.step)) }
            }
        }
        @if stacked {
            ul.legend {
                @for (s, name) in c.series.iter().enumerate() {
                    li { span class={ "sw c" (s.min(SERIES_COLOURS - 1)) } {} " " (name) }
                }
            }
        }
        p.small {
            (summary) @if c.href.is_some() { " Each bar opens its " (c.step.noun()) "." }
            @if let Some((_, _, w)) = band { " The shaded band is the window shown below, " (w.label()) "." }
        }
        details {
            summary { "The chart as a table" }
            table {
                thead { tr { th { (c.step.noun()) } @if stacked { @for s in &c.series { th { (s) } } } th { (c.unit) } } }
                tbody {
                    @for b in c.buckets.iter().filter(|b| b.total() > 0) {
                        tr {
                            td { @match c.href { Some(href) => { a href=(href(b.window)) { (b.label(c.step)) } } None => { (b.label(c.step)) } } }
                            @if stacked { @for v in &b.values { td.num { (v) } } }
                            td.num { (b.total()) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::of(crate::day_bound(s, false).unwrap())
    }

    #[test]
    fn labels_are_cut_by_characters_with_an_ellipsis() {
        assert_eq!(short_label("Office of Brenda Lawrence", 28), "Office of Brenda Lawrence");
        assert_eq!(short_label("Büro für Öffentlichkeitsarbeit", 10), "Büro für …");
        assert_eq!(short_label("Büro für Öffentlichkeitsarbeit", 10).chars().count(), 10);
    }

    #[test]
    fn buckets_cover_the_span_without_gaps_and_sum_the_counts() {
        let counts = vec![
            (day("2019-01-30"), vec![2, 1]),
            (day("2019-03-02"), vec![0, 4]),
            (day("2019-01-31"), vec![1, 0]),
        ];
        let days = buckets(&counts, 2, Step::Day);
        assert_eq!(days.len(), 32);
        assert_eq!(days[0].values, vec![2, 1]);
        assert_eq!(days[31].values, vec![0, 4]);
        let months = buckets(&counts, 2, Step::Month);
        let totals: Vec<u64> = months.iter().map(Bucket::total).collect();
        assert_eq!(totals, vec![4, 0, 4]);
        assert_eq!(months[1].label(Step::Month), "2019-02");
        let weeks = buckets(&counts, 2, Step::Week);
        assert_eq!(weeks.iter().map(Bucket::total).sum::<u64>(), 8);
        assert_eq!(weeks[0].window.days(), 7);
        assert_eq!(Step::for_span(day("2010-01-01"), day("2019-01-01")), Step::Month);
    }

    #[test]
    fn a_chart_says_in_words_what_it_draws_and_escapes_names() {
        let counts = vec![(day("2019-01-07"), vec![3, 1]), (day("2019-01-09"), vec![0, 2])];
        let link = |w: Window| format!("/?{}", w.query());
        let chart = Chart {
            id: "t",
            title: "Articles per day".into(),
            unit: "articles",
            series: vec!["<b>Wire</b>".into(), "Farm".into()],
            step: Step::Day,
            buckets: buckets(&counts, 2, Step::Day),
            href: Some(&link),
            marks: vec![(day("2019-01-09"), "a quote".into())],
            current: Some(Window { from: day("2019-01-08"), to: day("2019-01-09") }),
        };
        let html = bars(&chart).into_string();
        assert!(
            html.contains(
                "6 articles from 2019-01-07 to 2019-01-09, a bar a day; the most, 4, in 2019-01-07."
            ),
            "{html}"
        );
        assert!(html.contains("href=\"/?from=2019-01-07&amp;to=2019-01-07\""), "{html}");
        assert!(html.contains("&lt;b&gt;Wire&lt;/b&gt;") && !html.contains("<b>Wire"), "{html}");
        assert_eq!(html.matches("<rect class=\"c").count(), 3, "{html}");
        assert!(html.contains("2019-01-09: a quote"), "{html}");
        assert!(
            html.contains("The shaded band is the window shown below, 2019-01-08 – 2019-01-09.")
        );
        assert!(html.contains("<rect class=\"band\" x=\"266.7\""), "{html}");
    }
}
