//! Inline SVG charts, so the HTML summary is one self-contained file that loads nothing.
//!
//! Items sharing a response scale are drawn as one diverging stacked bar chart (Heiberger and
//! Robbins 2014, "Design of diverging stacked bar charts for Likert scales and other
//! applications", J. Stat. Softw. 57(5); R's HH and likert packages): disagreement to the left
//! of a zero line, agreement to the right, so items compare by where their bars cross zero.
//! Answers that are not opinions ("Don't know", N/A) are drawn in a panel of their own, never
//! in the centre, because they are not a midpoint between disagreeing and agreeing.
//!
//! Each bar is its own `<svg>` with a `viewBox` and CSS `width: 100%`, beside an HTML label, so
//! labels wrap (or move above their bar on narrow screens) while the bars of a chart keep one
//! scale: every row of a chart shares the same viewBox.

use super::text::fixed;
use crate::config::{ItemOrder, NeutralPlacement, ReportOptions, ResponseScale};
use crate::score::likert::ItemSummary;
use std::fmt::Write;

/// ColorBrewer 2.0 "RdBu" diverging schemes (Cynthia Brewer, colorbrewer2.org; marked
/// colour-blind safe there), from disagree (red) to agree (blue), by number of classes.
const RD_BU: [&[&str]; 8] = [
    &["#ef8a62", "#f7f7f7", "#67a9cf"],
    &["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
    &["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"],
    &[
        "#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac",
    ],
    &[
        "#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac",
    ],
    &[
        "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac",
    ],
    &[
        "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
        "#2166ac",
    ],
    &[
        "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3",
        "#2166ac", "#053061",
    ],
];

/// RdBu's centre class, #f7f7f7, all but vanishes on white paper; a light grey (ColorBrewer
/// "Greys" 9-class, third) keeps the neutral share visible and still reads as "neither".
const NEUTRAL_GREY: &str = "#d9d9d9";

/// Answers that are not opinions: darker greys (ColorBrewer "Greys"), apart from the scale.
pub(super) const NOT_AN_OPINION: [&str; 4] = ["#969696", "#737373", "#bdbdbd", "#525252"];

/// Colours of a scale's options, lowest first.
pub(super) fn palette(k: usize) -> Vec<&'static str> {
    let scheme: &[&str] = match k {
        0 => return Vec::new(),
        // Two options: the ends of the three-class scheme.
        1 | 2 => &["#ef8a62", "#67a9cf"],
        3..=10 => RD_BU[k - 3],
        // Longer scales (rare) sample the ten-class scheme evenly.
        _ => {
            let base = RD_BU[7];
            return (0..k)
                .map(|i| base[i * (base.len() - 1) / (k - 1)])
                .collect();
        }
    };
    scheme
        .iter()
        .map(|&c| if c == "#f7f7f7" { NEUTRAL_GREY } else { c })
        .take(k.max(1))
        .collect()
}

/// Which side of the chart an option belongs to, as `likert::summarise` counts it: the top
/// `agree_top` options agree, as many at the bottom disagree, the rest are neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// One of the bottom `agree_top` options: drawn left of zero.
    Disagree,
    /// Between the two ends: drawn apart or split across zero (`[report] neutral`).
    Neutral,
    /// One of the top `agree_top` options: drawn right of zero.
    Agree,
}

fn roles(k: usize, agree_top: usize) -> Vec<Role> {
    let top = agree_top.min(k);
    let bottom = top.min(k - top);
    (0..k)
        .map(|i| {
            if i >= k - top {
                Role::Agree
            } else if i < bottom {
                Role::Disagree
            } else {
                Role::Neutral
            }
        })
        .collect()
}

/// Where a segment is drawn: the diverging bars, the neutral panel, or the panel of answers
/// that are not opinions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The diverging bars around the zero line.
    Main,
    /// The neutral options, drawn beside the bars (`neutral = "apart"`).
    Neutral,
    /// Answers that are not opinions ("Don't know", N/A), a share of everyone who answered.
    Apart,
}

/// One coloured piece of a bar, in percentage points: `x` from the panel's origin (the zero
/// line in the main panel, so negative is disagreement), `width` the share.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Which panel the piece is drawn in.
    pub panel: Panel,
    /// The option's label from the survey file (escaped when drawn).
    pub label: String,
    /// The fill as `#rrggbb` (ColorBrewer RdBu for options, greys for non-opinions).
    pub colour: &'static str,
    /// Start of the piece in percentage points from the panel's origin; negative is disagreement.
    pub x: f64,
    /// Width in percentage points.
    pub width: f64,
    /// Respondents who gave the answer, shown in the piece's text for screen readers.
    pub count: u64,
}

/// The segments of one item's bar. Shares of the scale's options are of substantive answers
/// (as every percentage in the report); answers that are not opinions are a share of all
/// answers, drawn apart.
pub fn segments(
    scale: &ResponseScale,
    summary: &ItemSummary,
    neutral: NeutralPlacement,
) -> Vec<Segment> {
    let colours = palette(summary.options.len());
    let roles = roles(summary.options.len(), scale.agree_top);
    let share = |i: usize| summary.options[i].pct.unwrap_or(0.0);
    let sum_of = |role: Role| -> f64 {
        (0..roles.len())
            .filter(|&i| roles[i] == role)
            .map(share)
            .sum()
    };
    let (disagree, neutral_total) = (sum_of(Role::Disagree), sum_of(Role::Neutral));
    // The left end of the main bar: with the neutral share split, half of it lies left of zero.
    let mut main_x = match neutral {
        NeutralPlacement::Apart => -disagree,
        NeutralPlacement::Split => -(disagree + neutral_total / 2.0),
    };
    let mut neutral_x = 0.0;
    let mut out = Vec::new();
    for (i, (o, colour)) in summary.options.iter().zip(&colours).enumerate() {
        let apart = roles[i] == Role::Neutral && neutral == NeutralPlacement::Apart;
        let (panel, x) = if apart {
            (Panel::Neutral, &mut neutral_x)
        } else {
            (Panel::Main, &mut main_x)
        };
        out.push(Segment {
            panel,
            label: o.label.clone(),
            colour,
            x: *x,
            width: share(i),
            count: o.count,
        });
        *x += share(i);
    }
    out.extend(not_an_opinion(summary));
    out
}

/// "Don't know", N/A …: each a share of everyone who answered the question at all.
fn not_an_opinion(summary: &ItemSummary) -> Vec<Segment> {
    let answered = summary.n + summary.non_substantive;
    let mut x = 0.0;
    summary
        .non_substantive_counts
        .iter()
        .zip(NOT_AN_OPINION.iter().cycle())
        .map(|(c, &colour)| {
            let width = if answered > 0 {
                100.0 * c.count as f64 / answered as f64
            } else {
                0.0
            };
            let s = Segment {
                panel: Panel::Apart,
                label: c.label.clone(),
                colour,
                x,
                width,
                count: c.count,
            };
            x += width;
            s
        })
        .collect()
}

/// An item to chart: its label (from the survey file, escaped when drawn) and its figures.
pub struct ChartItem<'a> {
    /// The item's id, used for the chart's element ids.
    pub id: &'a str,
    /// The item's text from the survey file.
    pub text: &'a str,
    /// The item's figures from score.json.
    pub summary: &'a ItemSummary,
}

/// Horizontal extent of each panel in percentage points, shared by every row of a chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Layout {
    left: f64,
    right: f64,
    neutral: Option<f64>,
    apart: Option<f64>,
}

/// User units per percentage point, bar height, and gaps (the SVGs scale, so these only set
/// proportions).
const UNIT: f64 = 4.0;
const BAR: f64 = 20.0;
pub(super) const ROW: f64 = 26.0;
const GAP: f64 = 28.0;

/// Rounds a panel's extent up to a multiple of ten points, at least `min`, so the scale is
/// round and a panel is wide enough for its heading.
fn nice(pct: f64, min: f64) -> f64 {
    ((pct / 10.0).ceil() * 10.0).clamp(min, 100.0)
}

impl Layout {
    pub(super) fn of(
        all: &[Vec<Segment>],
        scale: &ResponseScale,
        neutral: NeutralPlacement,
    ) -> Layout {
        let extent = |panel: Panel, f: fn(&Segment) -> f64| {
            all.iter()
                .flatten()
                .filter(|s| s.panel == panel)
                .map(f)
                .fold(0.0, f64::max)
        };
        let has_neutral = roles(scale.labels.len(), scale.agree_top).contains(&Role::Neutral);
        Layout {
            left: nice(extent(Panel::Main, |s| -s.x), 20.0),
            right: nice(extent(Panel::Main, |s| s.x + s.width), 20.0),
            neutral: (has_neutral && neutral == NeutralPlacement::Apart)
                .then(|| nice(extent(Panel::Neutral, |s| s.x + s.width), 20.0)),
            apart: (!scale.non_substantive.is_empty())
                .then(|| nice(extent(Panel::Apart, |s| s.x + s.width), 20.0)),
        }
    }

    /// Where the zero line of the main panel is, in user units.
    fn zero(&self) -> f64 {
        self.left * UNIT
    }

    /// Start of each side panel in user units (the last is followed by no gap).
    fn neutral_start(&self) -> f64 {
        (self.left + self.right) * UNIT + GAP
    }

    fn apart_start(&self) -> f64 {
        self.neutral_start() + self.neutral.map_or(0.0, |w| w * UNIT + GAP)
    }

    pub(super) fn width(&self) -> f64 {
        self.apart_start() + self.apart.map_or(-GAP, |w| w * UNIT)
    }

    fn origin(&self, panel: Panel) -> f64 {
        match panel {
            Panel::Main => self.zero(),
            Panel::Neutral => self.neutral_start(),
            Panel::Apart => self.apart_start(),
        }
    }
}

/// One chart (a `<figure>`) for the items of one response scale: a legend, a row per item
/// (label, bar) and an axis. Items nobody answered keep their row and say so.
pub fn diverging_chart(
    scale: &ResponseScale,
    items: &[ChartItem],
    options: &ReportOptions,
) -> String {
    let items = ordered(items, options);
    let bars: Vec<Vec<Segment>> = items
        .iter()
        .map(|i| segments(scale, i.summary, options.neutral))
        .collect();
    let layout = Layout::of(&bars, scale, options.neutral);
    let mut html = format!(
        r#"<figure class="likert"><figcaption>{}</figcaption>"#,
        legend(scale)
    );
    html.push_str(&axis_row(&layout, scale, true));
    for (item, bar) in items.iter().zip(&bars) {
        let _ = write!(
            html,
            r#"<div class="likert-row"><div class="likert-label">{}</div>{}</div>"#,
            escape(item.text),
            item_bar(item, bar, &layout)
        );
    }
    html.push_str(&axis_row(&layout, scale, false));
    html.push_str("</figure>");
    html
}

/// The items in the order the chart draws them: the survey's, or by agreement when asked.
pub(super) fn ordered<'a, 'b>(
    items: &'b [ChartItem<'a>],
    options: &ReportOptions,
) -> Vec<&'b ChartItem<'a>> {
    let mut items: Vec<&ChartItem> = items.iter().collect();
    if options.sort_items == ItemOrder::Agreement {
        // Stable, so ties keep the survey's order; items without answers go last.
        items.sort_by(|a, b| {
            let key = |i: &ChartItem| i.summary.pct_agree.unwrap_or(f64::NEG_INFINITY);
            key(b).total_cmp(&key(a))
        });
    }
    items
}

/// One item's bar with a `<title>` per segment and the whole as an aria-label.
fn item_bar(item: &ChartItem, bar: &[Segment], layout: &Layout) -> String {
    if item.summary.pct_agree.is_none() {
        return format!(r#"<p class="likert-none">{}</p>"#, super::text::NO_ANSWERS);
    }
    let width = layout.width();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {ROW:.0}" width="100%" preserveAspectRatio="xMinYMid meet" role="img" aria-label="{}">{}</svg>"#,
        escape(&describe(item, bar)),
        bar_shapes(bar, layout)
    )
}

/// The shapes of one bar in the row's own units (`layout.width()` by `ROW`): a rect with a
/// `<title>` per segment and the zero line. The HTML and the PNG draw the same shapes.
pub(super) fn bar_shapes(bar: &[Segment], layout: &Layout) -> String {
    let mut svg = String::new();
    for s in bar.iter().filter(|s| s.width > 0.0) {
        let _ = write!(
            svg,
            r#"<rect x="{:.2}" y="{:.0}" width="{:.2}" height="{BAR:.0}" fill="{}"><title>{}</title></rect>"#,
            layout.origin(s.panel) + s.x * UNIT,
            (ROW - BAR) / 2.0,
            s.width * UNIT,
            s.colour,
            escape(&segment_text(s))
        );
    }
    let zero = layout.zero();
    let _ = write!(
        svg,
        r##"<line x1="{zero:.2}" y1="0" x2="{zero:.2}" y2="{ROW:.0}" stroke="#1b1b1b" stroke-width="1.5"/>"##
    );
    svg
}

/// "Agree: 30 (45.5%)".
fn segment_text(s: &Segment) -> String {
    format!("{}: {} ({}%)", s.label, s.count, fixed(Some(s.width), 1))
}

/// The bar as a sentence for screen readers: the item, then every option with its count and
/// share, then answers that were not opinions.
fn describe(item: &ChartItem, bar: &[Segment]) -> String {
    let part = |apart: bool| -> Vec<String> {
        bar.iter()
            .filter(|s| (s.panel == Panel::Apart) == apart)
            .map(segment_text)
            .collect()
    };
    let mut text = format!(
        "{}: {} of {} answering agree. {}.",
        item.text,
        fixed(item.summary.pct_agree, 1) + "%",
        item.summary.n,
        part(false).join("; ")
    );
    let apart = part(true);
    if !apart.is_empty() {
        let _ = write!(text, " Not counted: {}.", apart.join("; "));
    }
    text
}

/// The panels' headings (above the bars) or their percentage scales (below), decorative:
/// every figure is also in each bar's aria-label.
fn axis_row(layout: &Layout, scale: &ResponseScale, head: bool) -> String {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0} {AXIS:.0}" width="100%" preserveAspectRatio="xMinYMid meet" aria-hidden="true">{}</svg>"#,
        layout.width(),
        axis_texts(layout, scale, head)
    );
    let class = if head { "likert-head" } else { "likert-axis" };
    format!(r#"<div class="likert-row {class}"><div class="likert-label"></div>{svg}</div>"#)
}

/// Height of a heading or scale row, in the chart's units.
pub(super) const AXIS: f64 = 34.0;

/// The words of a heading or scale row (`layout.width()` by `AXIS`), for the HTML and the PNG.
pub(super) fn axis_texts(layout: &Layout, scale: &ResponseScale, head: bool) -> String {
    let mut svg = String::new();
    let y = if head { 28.0 } else { 26.0 };
    // Side panels' words are marked so narrow screens can drop them (the legend names them).
    let mut text = |x: f64, anchor: &str, s: &str, side: bool| {
        let class = if side { r#" class="side""# } else { "" };
        let _ = write!(
            svg,
            r#"<text x="{x:.2}" y="{y:.0}" text-anchor="{anchor}"{class}>{}</text>"#,
            escape(s)
        );
    };
    let zero = layout.zero();
    if head {
        text(zero - 8.0, "end", "◀ disagree", false);
        text(zero + 8.0, "start", "agree ▶", false);
        if layout.neutral.is_some() {
            text(layout.neutral_start(), "start", "neutral", true);
        }
        if layout.apart.is_some() {
            // Anchored at the end so a long name runs into the gap, never off the chart.
            let names = scale.non_substantive.join(", ");
            text(layout.width(), "end", &names, true);
        }
    } else {
        text(0.0, "start", &format!("{:.0}%", layout.left), false);
        text(zero, "middle", "0", false);
        let right = format!("{:.0}%", layout.right);
        text(zero + layout.right * UNIT, "end", &right, false);
        for (start, w) in [
            (layout.neutral_start(), layout.neutral),
            (layout.apart_start(), layout.apart),
        ] {
            if let Some(w) = w {
                text(start + w * UNIT, "end", &format!("{w:.0}%"), true);
            }
        }
    }
    svg
}

/// A legend of a scale's colours, answers that are not opinions last.
pub fn legend(scale: &ResponseScale) -> String {
    let key = |c: &str, l: &str| {
        format!(
            r#"<span class="key"><span class="swatch" style="background:{c}"></span>{}</span>"#,
            escape(l)
        )
    };
    palette(scale.labels.len())
        .iter()
        .zip(&scale.labels)
        .map(|(c, l)| key(c, l))
        .chain(
            NOT_AN_OPINION
                .iter()
                .cycle()
                .zip(&scale.non_substantive)
                .map(|(c, l)| key(c, l)),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes text for HTML content and double- or single-quoted attributes.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::likert::tests::agree5;
    use crate::score::likert::{summarise, ItemCounts};

    /// 1, 1, 2, 2, 4 answers over the options (n = 10: 20 % disagree, 20 % neutral, 60 %
    /// agree) and `dont_know` don't-know answers.
    fn summary(dont_know: u64) -> ItemSummary {
        summary_of(vec![1, 1, 2, 2, 4], dont_know)
    }

    /// An item's summary from its counts per option and of don't-know answers.
    fn summary_of(options: Vec<u64>, dont_know: u64) -> ItemSummary {
        let counts = ItemCounts {
            options,
            non_substantive: vec![dont_know],
            missing: 0,
            unknown: 0,
            not_shown: 0,
            weights: None,
            weight_sq: 0.0,
        };
        summarise(&agree5(), &counts, 0.95)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    fn in_panel(s: &[Segment], panel: Panel) -> Vec<&Segment> {
        s.iter().filter(|s| s.panel == panel).collect()
    }

    #[test]
    fn zero_line_is_where_disagreement_ends_when_neutral_is_apart() {
        let s = segments(&agree5(), &summary(0), NeutralPlacement::Apart);
        let main = in_panel(&s, Panel::Main);
        // Strongly disagree, disagree left of zero; agree, strongly agree from zero on.
        assert_eq!(main.len(), 4);
        close(main[0].x, -20.0);
        close(main[1].x + main[1].width, 0.0);
        close(main[2].x, 0.0);
        close(main[3].x + main[3].width, 60.0);
        let neutral = in_panel(&s, Panel::Neutral);
        assert_eq!(neutral.len(), 1);
        assert_eq!(neutral[0].label, "Neither agree nor disagree");
        close(neutral[0].x, 0.0);
        close(neutral[0].width, 20.0);
    }

    #[test]
    fn split_neutral_straddles_the_zero_line() {
        let s = segments(&agree5(), &summary(0), NeutralPlacement::Split);
        assert!(in_panel(&s, Panel::Neutral).is_empty());
        let main = in_panel(&s, Panel::Main);
        assert_eq!(main.len(), 5);
        // Disagreement ends half a neutral share left of zero; agreement starts as far right.
        close(main[1].x + main[1].width, -10.0);
        close(main[2].x, -10.0);
        close(main[2].x + main[2].width, 10.0);
        close(main[3].x, 10.0);
    }

    #[test]
    fn widths_add_up_to_the_shares() {
        let sum = ItemSummary::clone(&summary(3));
        for placement in [NeutralPlacement::Apart, NeutralPlacement::Split] {
            let s = segments(&agree5(), &sum, placement);
            let opinions: f64 = s
                .iter()
                .filter(|s| s.panel != Panel::Apart)
                .map(|s| s.width)
                .sum();
            close(opinions, 100.0);
            for (seg, o) in s.iter().zip(&sum.options) {
                close(seg.width, o.pct.unwrap_or(f64::NAN));
                assert_eq!(seg.count, o.count);
            }
            let agree: f64 = s[3..5].iter().map(|s| s.width).sum();
            close(agree, sum.pct_agree.unwrap_or(f64::NAN));
        }
    }

    #[test]
    fn dont_know_is_drawn_apart_as_a_share_of_all_answers() {
        for placement in [NeutralPlacement::Apart, NeutralPlacement::Split] {
            let s = segments(&agree5(), &summary(10), placement);
            let apart = in_panel(&s, Panel::Apart);
            assert_eq!(apart.len(), 1);
            assert_eq!(
                (apart[0].label.as_str(), apart[0].count),
                ("Don't know", 10)
            );
            close(apart[0].width, 50.0); // 10 of the 20 who answered
            assert!(in_panel(&s, Panel::Main)
                .iter()
                .all(|m| m.label != "Don't know"));
        }
        // In the drawing, the don't-know bar starts right of every other panel.
        let sum = summary(10);
        let item = ChartItem {
            id: "q",
            text: "Q",
            summary: &sum,
        };
        let html = diverging_chart(&agree5(), &[item], &ReportOptions::default());
        let x_of = |title: &str| -> f64 {
            let end = html.find(&format!("<title>{title}")).unwrap_or(0);
            let rect = html[..end].rfind("<rect x=\"").map_or(0, |i| i + 9);
            html[rect..]
                .split('"')
                .next()
                .and_then(|x| x.parse().ok())
                .unwrap_or(f64::NAN)
        };
        assert!(x_of("Don&#39;t know") > x_of("Neither agree nor disagree"));
        assert!(x_of("Neither agree nor disagree") > x_of("Strongly agree"));
    }

    #[test]
    fn every_bar_says_its_numbers_and_item_text_is_escaped() {
        let sum = summary(1);
        let item = ChartItem {
            id: "q",
            text: "Leaders <script>alert(1)</script> & \"others\"",
            summary: &sum,
        };
        let html = diverging_chart(&agree5(), &[item], &ReportOptions::default());
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("Leaders &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;others&quot;")
        );
        assert!(html.contains(r#"role="img" aria-label="Leaders &lt;script&gt;"#));
        assert!(html.contains("60.0% of 10 answering agree"), "{html}");
        assert!(html.contains("<title>Strongly agree: 4 (40.0%)</title>"));
        assert!(html.contains("Don&#39;t know: 1 (9.1%)"));
        // Every svg either speaks (a bar) or is hidden (headings and scale).
        let svgs = html.matches("<svg").count();
        let labelled = html.matches("aria-label=").count();
        let hidden = html.matches(r#"aria-hidden="true""#).count();
        assert_eq!((svgs, labelled, hidden), (3, 1, 2));
    }

    #[test]
    fn items_sort_by_agreement_when_asked() {
        let (high, low) = (summary(0), summary_of(vec![4, 2, 2, 1, 1], 0));
        let items = [
            ChartItem {
                id: "low",
                text: "Low item",
                summary: &low,
            },
            ChartItem {
                id: "high",
                text: "High item",
                summary: &high,
            },
        ];
        let order = |sort_items| {
            let options = ReportOptions {
                sort_items,
                ..Default::default()
            };
            let html = diverging_chart(&agree5(), &items, &options);
            html.find("Low item") < html.find("High item")
        };
        assert!(order(ItemOrder::Survey));
        assert!(!order(ItemOrder::Agreement));
    }

    #[test]
    fn palette_is_colorbrewer_rdbu_with_a_visible_centre() {
        assert_eq!(
            palette(5),
            ["#ca0020", "#f4a582", NEUTRAL_GREY, "#92c5de", "#0571b0"]
        );
        for k in 2..=12 {
            assert_eq!(palette(k).len(), k);
        }
    }
}
