//! Trend: the headline items' % agree and every scale's mean, with intervals, across every wave
//! so far. Like `compare`, it reads the aggregated score artefacts only, so a wave scored last
//! year needs no raw export.
//!
//! A wave where fewer than `suppress_below` answered an item (or have a scale score) is
//! suppressed: the point keeps its status and no figure, not even its n, so a trend line cannot
//! leak what a breakdown hides.

use super::compare::WaveComparison;
use super::{ScaleScore, ScoreReport};
use crate::config::Survey;
use crate::stats::dist::f_quantile;
use crate::stats::hypothesis::{adjust, Adjustment};
use crate::stats::paired::{cochran_armitage, linear_trend};
use serde::{Deserialize, Serialize};

/// One wave's score artefact, named as the reports name the wave.
pub struct WaveScores<'a> {
    /// The wave's short name.
    pub name: &'a str,
    /// The wave's label, as charts show it.
    pub label: &'a str,
    /// The wave's score artefact.
    pub score: &'a ScoreReport,
}

/// A wave in trends.json: its name and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendWave {
    /// The wave's short name (`wave` column of trends.csv).
    pub name: String,
    /// The wave's label (`wave_label` column).
    pub label: String,
}

/// Whether a point has a figure, and if not, why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PointStatus {
    /// The figure is shown.
    Shown,
    /// Fewer than `suppress_below` answered.
    Suppressed,
    /// Asked, but nobody answered.
    NoAnswers,
    /// The item or scale was not in that wave's survey.
    NotAsked,
}

impl PointStatus {
    /// The status as trends.csv's `status` column spells it.
    pub fn name(self) -> &'static str {
        match self {
            PointStatus::Shown => "shown",
            PointStatus::Suppressed => "suppressed",
            PointStatus::NoAnswers => "no-answers",
            PointStatus::NotAsked => "not-asked",
        }
    }
}

/// One wave of one series: % agree (items) or mean score (scales) with its interval. Every
/// figure, n included, is `None` unless `status` is `Shown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The wave's short name.
    pub wave: String,
    /// Whether the point has a figure, and if not why.
    pub status: PointStatus,
    /// Respondents who answered (item) or have a score (scale); `null` unless shown.
    pub n: Option<u64>,
    /// % agree (0–100) for an item, mean score for a scale; `null` unless shown.
    pub value: Option<f64>,
    /// Lower bound of the interval (Wilson for items, t for scales); `null` unless shown.
    pub ci_low: Option<f64>,
    /// Upper bound of the interval; `null` unless shown.
    pub ci_high: Option<f64>,
}

/// One headline item or scale over every wave: the rows of trends.csv with its `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendSeries {
    /// Item id or scale name.
    pub id: String,
    /// The item's text, or the scale's name.
    pub text: String,
    /// One point per wave, in the order of `Trend::waves`.
    pub points: Vec<TrendPoint>,
    /// The test for a linear trend across the waves, when every wave's point is shown.
    #[serde(default)]
    pub test: Option<SeriesTrendTest>,
}

/// A series' test for a linear trend across the waves (scored 1, 2, …), each wave taken as its
/// own sample: Cochran–Armitage for % agree (R `prop.trend.test`), the slope of a regression
/// of the respondents' scores on the wave for a scale (R `lm(score ~ wave)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesTrendTest {
    /// `cochran-armitage` or `linear-regression`.
    pub method: String,
    /// χ² on one degree of freedom (Cochran–Armitage) or the slope's t.
    pub statistic: f64,
    /// Two-sided p-value, unadjusted.
    pub p_value: f64,
    /// `p_value` adjusted across every series of the trend (one family) by the pipeline's
    /// `adjustment`.
    pub p_adjusted: f64,
    /// The fitted change per wave: percentage points (items) or score points (scales).
    pub slope: f64,
    /// `p_adjusted` is below 1 − confidence.
    pub significant: bool,
}

/// The trend artefact (`trends.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Points with fewer respondents than this are suppressed.
    pub suppress_below: usize,
    /// Oldest first; the last is the wave being reported.
    pub waves: Vec<TrendWave>,
    /// Headline items: % agree (0–100) with the Wilson interval each wave reported.
    pub items: Vec<TrendSeries>,
    /// Scales: mean score with a t interval (mean ± t(n − 1) · SD / √n).
    pub scales: Vec<TrendSeries>,
    /// The change since the first wave, tested as the change since the previous wave is (one
    /// family, paired where the declared key matches people).
    #[serde(default)]
    pub since_first: Option<WaveComparison>,
    /// How the series' tests for trend were adjusted.
    #[serde(default)]
    pub adjustment: Adjustment,
}

/// A wave's figures for one series: n, the figure and its interval; `None` when not asked.
type Figures = Option<(u64, Option<f64>, Option<(f64, f64)>)>;

/// The fewest waves a trend is drawn for: with two, the change since the previous wave says it.
pub const MIN_WAVES: usize = 3;

/// The trend over `waves` (oldest first, the reported wave last) for the items `items` (ids)
/// and every scale of the reported wave. `None` with fewer than [`MIN_WAVES`] waves.
pub fn trend(
    waves: &[WaveScores],
    items: &[String],
    confidence: f64,
    suppress_below: usize,
    adjustment: Adjustment,
) -> Option<Trend> {
    let last = waves.last().filter(|_| waves.len() >= MIN_WAVES)?;
    let point = |wave: &WaveScores, figures: Figures| {
        let status = match figures {
            None => PointStatus::NotAsked,
            Some((0, ..)) | Some((_, None, _)) => PointStatus::NoAnswers,
            Some((n, ..)) if n < suppress_below as u64 => PointStatus::Suppressed,
            Some(_) => PointStatus::Shown,
        };
        let shown = figures.filter(|_| status == PointStatus::Shown);
        TrendPoint {
            wave: wave.name.to_string(),
            status,
            n: shown.map(|f| f.0),
            value: shown.and_then(|f| f.1),
            ci_low: shown.and_then(|f| f.2).map(|c| c.0),
            ci_high: shown.and_then(|f| f.2).map(|c| c.1),
        }
    };
    let item_series = items
        .iter()
        .filter_map(|id| last.score.items.iter().find(|i| &i.id == id))
        .map(|item| TrendSeries {
            id: item.id.clone(),
            text: item.text.clone(),
            points: waves
                .iter()
                .map(|w| {
                    let figures = w.score.items.iter().find(|i| i.id == item.id).map(|i| {
                        let s = &i.summary;
                        (s.n, s.pct_agree, s.ci_low.zip(s.ci_high))
                    });
                    point(w, figures)
                })
                .collect(),
            test: item_trend(waves, &item.id),
        })
        .collect();
    let scale_series = last
        .score
        .scales
        .iter()
        .map(|scale| TrendSeries {
            id: scale.name.clone(),
            text: scale.name.clone(),
            points: waves
                .iter()
                .map(|w| {
                    let figures = w
                        .score
                        .scales
                        .iter()
                        .find(|s| s.name == scale.name)
                        .map(|s| (s.n, s.mean, mean_interval(s, confidence)));
                    point(w, figures)
                })
                .collect(),
            test: scale_trend(waves, &scale.name),
        })
        .collect();
    let mut item_series: Vec<TrendSeries> = item_series;
    let mut scale_series: Vec<TrendSeries> = scale_series;
    adjust_trend_tests(
        &mut item_series,
        &mut scale_series,
        adjustment,
        1.0 - confidence,
    );
    Some(Trend {
        confidence,
        suppress_below,
        waves: waves
            .iter()
            .map(|w| TrendWave {
                name: w.name.to_string(),
                label: w.label.to_string(),
            })
            .collect(),
        items: item_series,
        scales: scale_series,
        since_first: None,
        adjustment,
    })
}

/// Every series is tested only when every wave's point is shown: a suppressed wave's counts
/// must not be worked back from a test.
fn all_shown(points: &[TrendPoint]) -> bool {
    points.iter().all(|p| p.status == PointStatus::Shown)
}

/// Cochran–Armitage on each wave's agreeing count of answers (effective sizes when weighted).
fn item_trend(waves: &[WaveScores], id: &str) -> Option<SeriesTrendTest> {
    let (mut x, mut n) = (Vec::new(), Vec::new());
    for w in waves {
        let s = &w.score.items.iter().find(|i| i.id == id)?.summary;
        let (agree, size) = match (s.n_effective, s.pct_agree) {
            (Some(m), Some(p)) => (p / 100.0 * m, m),
            _ => (s.agree_count as f64, s.n as f64),
        };
        x.push(agree);
        n.push(size);
    }
    let t = cochran_armitage(&x, &n)?;
    Some(SeriesTrendTest {
        method: "cochran-armitage".into(),
        statistic: t.statistic,
        p_value: t.p_value,
        p_adjusted: t.p_value,
        slope: 100.0 * t.slope,
        significant: false,
    })
}

/// The regression slope of scale scores on the wave, from each wave's n, mean and SD.
fn scale_trend(waves: &[WaveScores], name: &str) -> Option<SeriesTrendTest> {
    let (mut n, mut mean, mut sd) = (Vec::new(), Vec::new(), Vec::new());
    for w in waves {
        let s = w.score.scales.iter().find(|s| s.name == name)?;
        n.push(s.n as f64);
        mean.push(s.mean?);
        sd.push(s.sd.unwrap_or(0.0));
    }
    let t = linear_trend(&n, &mean, &sd)?;
    Some(SeriesTrendTest {
        method: "linear-regression".into(),
        statistic: t.statistic,
        p_value: t.p_value,
        p_adjusted: t.p_value,
        slope: t.slope,
        significant: false,
    })
}

/// Drops the tests of series with a hidden point, and adjusts the rest as one family.
fn adjust_trend_tests(
    items: &mut [TrendSeries],
    scales: &mut [TrendSeries],
    adjustment: Adjustment,
    alpha: f64,
) {
    let mut tested: Vec<&mut SeriesTrendTest> = Vec::new();
    for s in items.iter_mut().chain(scales.iter_mut()) {
        if !all_shown(&s.points) {
            s.test = None;
        }
        if let Some(t) = s.test.as_mut() {
            tested.push(t);
        }
    }
    let p: Vec<f64> = tested.iter().map(|t| t.p_value).collect();
    for (t, q) in tested.into_iter().zip(adjust(&p, adjustment)) {
        t.p_adjusted = q;
        t.significant = q < alpha;
    }
}

/// The items a summary leads with: those marked `headline` in the survey, or the first three.
/// (The report's headline sentences choose the same way.)
pub fn headline_ids(survey: &Survey, score: &ScoreReport) -> Vec<String> {
    let marked: Vec<String> = survey
        .items
        .iter()
        .filter(|i| i.headline)
        .map(|i| i.id.clone())
        .collect();
    if marked.is_empty() {
        score.items.iter().take(3).map(|i| i.id.clone()).collect()
    } else {
        marked
    }
}

/// Student's t interval of a scale's mean score: mean ± t(n − 1) · SD / √n.
fn mean_interval(s: &ScaleScore, confidence: f64) -> Option<(f64, f64)> {
    let (mean, sd) = (s.mean?, s.sd?);
    if s.n < 2 {
        return None;
    }
    let n = s.n as f64;
    // The two-sided t quantile from F: t²(df) ~ F(1, df), as in `compare`.
    let t = f_quantile(confidence, 1.0, n - 1.0).sqrt();
    let half = t * sd / n.sqrt();
    Some((mean - half, mean + half))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::ItemScore;

    fn scale(freq: &[(f64, u64)]) -> ScaleScore {
        crate::score::scale_for_tests("lead", freq)
    }

    /// An item with `agree` of `n` agreeing (the top two of five options) on likert's test scale.
    fn item(id: &str, agree: u64, n: u64) -> ItemScore {
        let scale = crate::score::likert::tests::agree5();
        let mut counts = crate::score::likert::ItemCounts::new(&scale);
        counts.options[0] = n - agree;
        counts.options[4] = agree;
        ItemScore {
            id: id.into(),
            text: format!("Item {id}"),
            statement: id.into(),
            column: id.into(),
            response_scale: scale.name.clone(),
            summary: crate::score::likert::summarise(&scale, &counts, 0.95),
        }
    }

    fn report(items: Vec<ItemScore>, scales: Vec<ScaleScore>) -> ScoreReport {
        ScoreReport {
            respondents: 0,
            confidence: 0.95,
            suppress_below: 10,
            items,
            scales,
            segments: vec![],
            unrecognised: vec![],
            choices: vec![],
            numbers: vec![],
            rankings: vec![],
            crosstabs: vec![],
            adjustment: Default::default(),
            weighting: None,
        }
    }

    #[test]
    fn scale_mean_interval_matches_t_test() {
        // R: x <- rep(c(2, 3, 4), c(3, 4, 3)); t.test(x)$conf.int = 2.41591353213 3.58408646787
        let (lo, hi) = mean_interval(&scale(&[(2.0, 3), (3.0, 4), (4.0, 3)]), 0.95).unwrap();
        assert!((lo - 2.415_913_532_13).abs() < 1e-9, "{lo}");
        assert!((hi - 3.584_086_467_87).abs() < 1e-9, "{hi}");
        // R: t.test(rep(c(3, 4, 5), c(2, 5, 3)), conf.level = 0.9)$conf.int
        //    = 3.67227364905 4.52772635095
        let (lo, hi) = mean_interval(&scale(&[(3.0, 2), (4.0, 5), (5.0, 3)]), 0.9).unwrap();
        assert!((lo - 3.672_273_649_05).abs() < 1e-9, "{lo}");
        assert!((hi - 4.527_726_350_95).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn small_waves_are_suppressed_and_missing_items_not_asked() {
        let w1 = report(vec![item("a", 9, 12)], vec![scale(&[(3.0, 5), (4.0, 7)])]);
        // Wave 2: 9 answered, below suppress_below = 10; item b is new.
        let w2 = report(
            vec![item("a", 6, 9), item("b", 5, 20)],
            vec![scale(&[(3.0, 4), (4.0, 5)])],
        );
        let w3 = report(
            vec![item("a", 15, 20), item("b", 10, 20)],
            vec![scale(&[(3.0, 10), (4.0, 10)])],
        );
        let waves = [("w1", &w1), ("w2", &w2), ("w3", &w3)].map(|(n, s)| WaveScores {
            name: n,
            label: n,
            score: s,
        });
        let t = trend(
            &waves,
            &["a".into(), "b".into()],
            0.95,
            10,
            Adjustment::Holm,
        )
        .unwrap();
        let a = &t.items[0].points;
        assert_eq!(a[0].status, PointStatus::Shown);
        // 9 of 12 = 75 %, the Wilson interval score reported.
        assert_eq!(a[0].value, Some(75.0));
        assert_eq!(a[0].n, Some(12));
        assert_eq!(a[1].status, PointStatus::Suppressed);
        assert_eq!((a[1].n, a[1].value, a[1].ci_low), (None, None, None));
        assert_eq!(t.items[1].points[0].status, PointStatus::NotAsked);
        assert_eq!(t.scales[0].points[1].status, PointStatus::Suppressed);
        assert_eq!(t.scales[0].points[1].value, None);
        assert_eq!(t.scales[0].points[2].value, Some(3.5));
        // Two waves: the change since the previous wave says it all.
        assert!(trend(&waves[1..], &["a".into()], 0.95, 10, Adjustment::Holm).is_none());
        // A series with a suppressed wave is not tested for trend; a fully shown one is.
        assert_eq!(t.items[0].test, None);
        assert_eq!(t.scales[0].test, None);
    }
}
