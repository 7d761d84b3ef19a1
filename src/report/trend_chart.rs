//! A trend chart: one series (an item's % agree or a scale's mean) across the waves, as dots
//! joined by a line, each dot with its confidence interval as a whisker. Inline SVG with a
//! `viewBox` and `width="100%"`, so it scales to a phone; every point's figures are in a
//! `<title>` and the whole series in the `aria-label` (and in the table beside the charts).
//!
//! One colour, ColorBrewer RdBu's darkest blue (#2166ac, colour-blind safe), carries the data;
//! a point without a figure says why in words ("suppressed"), never by colour alone. The line
//! breaks at such a point rather than drawing a trend through a wave that shows nothing.

use super::charts::escape;
use super::text::fixed;
use crate::score::trend::{PointStatus, TrendPoint, TrendSeries, TrendWave};
use std::fmt::Write;

const BLUE: &str = "#2166ac";
const GRID: &str = "#d9d9d9";
const MUTED: &str = "#595959";
const INK: &str = "#1b1b1b";

/// User units: each wave's slot, the margins for tick labels and wave labels, the plot height.
const SLOT: f64 = 170.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 26.0;
const PLOT: f64 = 190.0;
const BOTTOM: f64 = 40.0;

/// What a series measures: its y range, tick step and how its figures read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// % agree, 0–100.
    PercentAgree,
    /// A mean score, on the range its intervals need.
    Mean,
}

impl Measure {
    fn decimals(self) -> usize {
        match self {
            Measure::PercentAgree => 1,
            Measure::Mean => 2,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Measure::PercentAgree => "% agree",
            Measure::Mean => "mean",
        }
    }

    /// (low, high, step) of the y axis.
    fn range(self, points: &[TrendPoint]) -> (f64, f64, f64) {
        match self {
            Measure::PercentAgree => (0.0, 100.0, 25.0),
            Measure::Mean => {
                let shown = points.iter().filter(|p| p.status == PointStatus::Shown);
                let lows = shown.clone().filter_map(|p| p.ci_low.or(p.value));
                let highs = shown.filter_map(|p| p.ci_high.or(p.value));
                let low = lows.fold(f64::INFINITY, f64::min);
                let high = highs.fold(f64::NEG_INFINITY, f64::max);
                if !low.is_finite() || !high.is_finite() {
                    return (0.0, 1.0, 0.5);
                }
                // Half-point steps, at least one point tall, so small changes are not blown up.
                let mut lo = (low * 2.0).floor() / 2.0;
                let mut hi = (high * 2.0).ceil() / 2.0;
                if hi - lo < 1.0 {
                    let pad = (1.0 - (hi - lo)) / 2.0;
                    lo -= pad;
                    hi += pad;
                }
                (lo, hi, 0.5)
            }
        }
    }
}

/// A point's figures in words: "Autumn 2025: 97.0% agree (95% CI 89.6 to 99.2), n = 66".
pub fn point_text(p: &TrendPoint, wave: &str, measure: Measure, confidence: &str) -> String {
    match p.status {
        PointStatus::Shown => {
            let d = measure.decimals();
            let value = match measure {
                Measure::PercentAgree => format!("{}% agree", fixed(p.value, d)),
                Measure::Mean => format!("mean {}", fixed(p.value, d)),
            };
            let ci = match (p.ci_low, p.ci_high) {
                (Some(_), Some(_)) => format!(
                    " ({confidence}% CI {} to {})",
                    fixed(p.ci_low, d),
                    fixed(p.ci_high, d)
                ),
                _ => String::new(),
            };
            let n = p.n.map(|n| format!(", n = {n}")).unwrap_or_default();
            format!("{wave}: {value}{ci}{n}")
        }
        status => format!("{wave}: {}", status_words(status)),
    }
}

/// What a point without a figure shows instead.
pub fn status_words(status: PointStatus) -> &'static str {
    match status {
        PointStatus::Shown => "",
        PointStatus::Suppressed => "suppressed",
        PointStatus::NoAnswers => super::text::NO_ANSWERS,
        PointStatus::NotAsked => "not asked",
    }
}

/// The chart of one series as a `<figure>`.
pub fn trend_chart(
    series: &TrendSeries,
    waves: &[TrendWave],
    measure: Measure,
    confidence: &str,
) -> String {
    let width = LEFT + SLOT * waves.len() as f64 + RIGHT;
    let height = TOP + PLOT + BOTTOM;
    let (lo, hi, step) = measure.range(&series.points);
    let axes = Axes { lo, hi };
    let label = |i: usize| waves.get(i).map_or("", |w| w.label.as_str());
    let described: Vec<String> = series
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| point_text(p, label(i), measure, confidence))
        .collect();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{}">"#,
        escape(&format!(
            "{}, {} by wave: {}",
            series.text,
            measure.what(),
            described.join("; ")
        ))
    );
    grid(&mut svg, &axes, step, width, measure);
    line(&mut svg, series, &axes);
    wave_marks(&mut svg, series, waves, &described, &axes, measure);
    svg.push_str("</svg>");
    // A scale's id is its name, which the caption already gives.
    let what = if series.id == series.text {
        measure.what().to_string()
    } else {
        format!("{}, {}", escape(&series.id), measure.what())
    };
    format!(
        r#"<figure class="trend"><figcaption>{} <span class="muted">({what})</span></figcaption>{svg}</figure>"#,
        escape(&series.text),
    )
}

/// Where a value and a wave go on the chart: values from `lo` (bottom) to `hi` (top).
struct Axes {
    lo: f64,
    hi: f64,
}

impl Axes {
    fn y(&self, v: f64) -> f64 {
        TOP + PLOT * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }

    fn x(i: usize) -> f64 {
        LEFT + SLOT * (i as f64 + 0.5)
    }
}

/// Grid lines and tick labels, every `step` from `lo` to `hi`.
fn grid(svg: &mut String, axes: &Axes, step: f64, width: f64, measure: Measure) {
    let (lo, hi) = (axes.lo, axes.hi);
    let ticks = ((hi - lo) / step).round() as usize;
    for t in 0..=ticks {
        let v = lo + step * t as f64;
        let ty = axes.y(v);
        let _ = write!(
            svg,
            r#"<line x1="{LEFT:.0}" x2="{:.0}" y1="{ty:.1}" y2="{ty:.1}" stroke="{GRID}" stroke-width="1"/><text x="{:.0}" y="{:.1}" text-anchor="end" font-size="18" fill="{MUTED}">{}</text>"#,
            width - RIGHT,
            LEFT - 8.0,
            ty + 6.0,
            tick_label(v, measure)
        );
    }
}

/// The line, broken wherever a wave has no figure.
fn line(svg: &mut String, series: &TrendSeries, axes: &Axes) {
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    for (i, p) in series.points.iter().enumerate() {
        match p.value.filter(|_| p.status == PointStatus::Shown) {
            Some(v) => run.push((Axes::x(i), axes.y(v))),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for r in runs.iter().filter(|r| r.len() > 1) {
        let pts: Vec<String> = r.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{BLUE}" stroke-width="3"/>"#,
            pts.join(" ")
        );
    }
}

/// Each wave: a whisker and a dot with its figure, or words saying why there is none.
fn wave_marks(
    svg: &mut String,
    series: &TrendSeries,
    waves: &[TrendWave],
    described: &[String],
    axes: &Axes,
    measure: Measure,
) {
    for (i, p) in series.points.iter().enumerate() {
        let px = Axes::x(i);
        let _ = write!(svg, "<g><title>{}</title>", escape(&described[i]));
        match p.value.filter(|_| p.status == PointStatus::Shown) {
            Some(v) => {
                if let (Some(l), Some(h)) = (p.ci_low, p.ci_high) {
                    let (yl, yh) = (axes.y(l), axes.y(h));
                    let _ = write!(
                        svg,
                        r#"<path d="M{px:.1} {yl:.1}V{yh:.1}M{:.1} {yl:.1}h16M{:.1} {yh:.1}h16" stroke="{BLUE}" stroke-width="2" fill="none"/>"#,
                        px - 8.0,
                        px - 8.0
                    );
                }
                let py = axes.y(v);
                let _ = write!(
                    svg,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="7" fill="{BLUE}"/><text x="{:.1}" y="{:.1}" font-size="20" fill="{INK}">{}</text>"#,
                    px + 12.0,
                    py - 8.0,
                    fixed(Some(v), if measure == Measure::Mean { 2 } else { 0 })
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r#"<text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="18" font-style="italic" fill="{MUTED}">{}</text>"#,
                    TOP + PLOT / 2.0,
                    status_words(p.status)
                );
            }
        }
        let _ = write!(
            svg,
            r#"<text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="18" fill="{INK}">{}</text></g>"#,
            TOP + PLOT + 28.0,
            escape(waves.get(i).map_or("", |w| w.label.as_str()))
        );
    }
}

fn tick_label(v: f64, measure: Measure) -> String {
    match measure {
        Measure::PercentAgree => format!("{v:.0}%"),
        Measure::Mean => format!("{v:.1}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(status: PointStatus, v: Option<(f64, f64, f64)>) -> TrendPoint {
        TrendPoint {
            wave: "w".into(),
            status,
            n: v.map(|_| 40),
            value: v.map(|v| v.0),
            ci_low: v.map(|v| v.1),
            ci_high: v.map(|v| v.2),
        }
    }

    fn waves(n: usize) -> Vec<TrendWave> {
        (1..=n)
            .map(|i| TrendWave {
                name: format!("wave-{i}"),
                label: format!("Wave <{i}>"),
            })
            .collect()
    }

    #[test]
    fn suppressed_wave_shows_words_and_breaks_the_line() {
        let series = TrendSeries {
            test: None,
            id: "Q1".into(),
            text: "Support <b>was</b> good".into(),
            points: vec![
                point(PointStatus::Shown, Some((80.0, 70.0, 88.0))),
                point(PointStatus::Suppressed, None),
                point(PointStatus::Shown, Some((90.0, 81.5, 95.0))),
            ],
        };
        let html = trend_chart(&series, &waves(3), Measure::PercentAgree, "95");
        assert!(html.contains("Wave &lt;2&gt;: suppressed"));
        assert!(html.contains(">suppressed</text>"));
        // Two shown points either side of a suppressed one: no line joins them.
        assert!(!html.contains("<polyline"));
        assert!(html.contains("Wave &lt;1&gt;: 80.0% agree (95% CI 70.0 to 88.0), n = 40"));
        assert!(
            !html.contains("<b>") && !html.contains("<1>"),
            "text is escaped"
        );
        // x of wave 1 = 64 + 85 = 149; y of 80 % = 26 + 190 · 0.2 = 64.
        assert!(html.contains(r#"<circle cx="149.0" cy="64.0""#), "{html}");
    }

    #[test]
    fn consecutive_points_are_joined_and_means_get_a_readable_axis() {
        let series = TrendSeries {
            test: None,
            id: "lead".into(),
            text: "lead".into(),
            points: vec![
                point(PointStatus::Shown, Some((3.5, 3.3, 3.7))),
                point(PointStatus::Shown, Some((3.8, 3.6, 4.1))),
                point(PointStatus::NotAsked, None),
            ],
        };
        let html = trend_chart(&series, &waves(3), Measure::Mean, "95");
        assert_eq!(html.matches("<polyline").count(), 1);
        assert!(html.contains(">not asked</text>"));
        // 3.3–4.1 rounds out to half points, 3.0–4.5: four ticks.
        assert_eq!(html.matches("<line ").count(), 4, "{html}");
        assert!(html.contains(">3.0</text>") && html.contains(">4.5</text>"));
    }
}
