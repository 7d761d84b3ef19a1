//! Compare: change between two waves' score artefacts. Works on the aggregated artefacts only
//! (counts and score distributions), so a wave scored last year can be compared without its raw
//! export.

use super::panel::PanelComparison;
use super::ScoreReport;
use crate::stats::dist::f_quantile;
use crate::stats::hypothesis::{fill_adjusted, mann_whitney_p, two_proportion_p, Adjustment};
use crate::stats::intervals::newcombe;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One item's change since the previous wave: a row of changes.csv and an entry of
/// comparison.json's `items`. Percentages are 0–100; `null` where a wave had no substantive answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChange {
    /// The item's id.
    pub id: String,
    /// The statement, as summaries quote it.
    pub statement: String,
    /// Substantive answers in the previous wave.
    pub before_n: u64,
    /// Per cent agreeing in the previous wave.
    pub before_pct_agree: Option<f64>,
    /// Substantive answers in this wave.
    pub after_n: u64,
    /// Per cent agreeing in this wave.
    pub after_pct_agree: Option<f64>,
    /// Change in percent agreeing, percentage points (after − before).
    pub change: Option<f64>,
    /// Newcombe hybrid score interval of the change, percentage points.
    pub ci_low: Option<f64>,
    /// Upper bound of the Newcombe interval, percentage points.
    pub ci_high: Option<f64>,
    /// Two-sample test of proportions (χ² with Yates' correction), unadjusted.
    pub p_value: Option<f64>,
    /// `p_value` adjusted across the items by the pipeline's `adjustment` (Holm by default).
    pub p_adjusted: Option<f64>,
    /// Mann–Whitney test on the full distributions, unadjusted and adjusted.
    pub p_mann_whitney: Option<f64>,
    /// `p_mann_whitney` adjusted across the items.
    pub p_mann_whitney_adjusted: Option<f64>,
    /// The adjusted proportion test is below 1 − confidence.
    pub significant: bool,
}

/// One scale's change in mean score since the previous wave: an entry of comparison.json's
/// `scales`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleChange {
    /// The scale's name.
    pub name: String,
    /// Respondents with a scale score in the previous wave.
    pub before_n: u64,
    /// Mean scale score in the previous wave (the scale's codes).
    pub before_mean: Option<f64>,
    /// Respondents with a scale score in this wave.
    pub after_n: u64,
    /// Mean scale score in this wave.
    pub after_mean: Option<f64>,
    /// Change in mean score (after − before), in the scale's codes.
    pub change: Option<f64>,
    /// Welch interval of the change in mean score.
    pub ci_low: Option<f64>,
    /// Upper bound of the Welch interval.
    pub ci_high: Option<f64>,
    /// Mann–Whitney test on the two waves' score distributions, unadjusted.
    pub p_mann_whitney: Option<f64>,
    /// `p_mann_whitney` adjusted across the scales by the pipeline's `adjustment`.
    pub p_adjusted: Option<f64>,
    /// The adjusted p-value is below 1 − confidence.
    pub significant: bool,
}

/// The compare artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveComparison {
    /// The previous wave's label.
    pub before: String,
    /// This wave's label.
    pub after: String,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// How p-values were adjusted for the number of tests (`holm` or `benjamini-hochberg`).
    pub adjustment: Adjustment,
    /// Items asked in both waves, in this wave's order.
    pub items: Vec<ItemChange>,
    /// Scales scored in both waves, in this wave's order.
    pub scales: Vec<ScaleChange>,
    /// The paired comparison of respondents who answered both waves, when there are any.
    #[serde(default)]
    pub panel: Option<PanelComparison>,
}

/// The compare stage: the items and scales the two waves share (matched by id and name), with
/// the paired comparison of the respondents both waves share (`panel::compare_panel`, computed
/// first so that this stage takes it as an input rather than have it patched in afterwards).
pub fn compare(
    before: &ScoreReport,
    after: &ScoreReport,
    labels: (&str, &str),
    confidence: f64,
    adjustment: Adjustment,
    panel: Option<PanelComparison>,
) -> WaveComparison {
    let alpha = 1.0 - confidence;
    let items = item_changes(before, after, confidence, adjustment, alpha);
    let scales = scale_changes(before, after, confidence, adjustment, alpha);
    WaveComparison {
        before: labels.0.to_string(),
        after: labels.1.to_string(),
        confidence,
        adjustment,
        items,
        scales,
        panel,
    }
}

/// The items in both waves: change in per cent agreeing, its interval, and the tests, adjusted
/// for multiplicity over the items.
fn item_changes(
    before: &ScoreReport,
    after: &ScoreReport,
    confidence: f64,
    adjustment: Adjustment,
    alpha: f64,
) -> Vec<ItemChange> {
    let mut items: Vec<ItemChange> = after
        .items
        .iter()
        .filter_map(|a| {
            let b = before.items.iter().find(|b| b.id == a.id)?;
            Some(item_change(b, a, confidence))
        })
        .collect();
    fill_adjusted(
        &mut items,
        |c| c.p_value,
        |c, p| c.p_adjusted = Some(p),
        adjustment,
    );
    fill_adjusted(
        &mut items,
        |c| c.p_mann_whitney,
        |c, p| c.p_mann_whitney_adjusted = Some(p),
        adjustment,
    );
    for c in &mut items {
        c.significant = c.p_adjusted.is_some_and(|p| p < alpha);
    }
    items
}

/// One item's change from `b` (before) to `a` (after).
fn item_change(b: &super::ItemScore, a: &super::ItemScore, confidence: f64) -> ItemChange {
    let (sb, sa) = (&b.summary, &a.summary);
    // Weighted waves compare on their effective sample sizes.
    let effective = |s: &super::likert::ItemSummary| match (s.n_effective, s.pct_agree) {
        (Some(n), Some(p)) => (p / 100.0 * n, n),
        _ => (s.agree_count as f64, s.n as f64),
    };
    let ((xb, nb), (xa, na)) = (effective(sb), effective(sa));
    let ci = newcombe(xa, na, xb, nb, confidence);
    let counts = |s: &super::likert::ItemSummary| {
        s.options.iter().map(|o| o.count as f64).collect::<Vec<_>>()
    };
    ItemChange {
        id: a.id.clone(),
        statement: a.statement.clone(),
        before_n: sb.n,
        before_pct_agree: sb.pct_agree,
        after_n: sa.n,
        after_pct_agree: sa.pct_agree,
        change: sa.pct_agree.zip(sb.pct_agree).map(|(x, y)| x - y),
        ci_low: ci.map(|c| 100.0 * c.low),
        ci_high: ci.map(|c| 100.0 * c.high),
        p_value: two_proportion_p(xa, na, xb, nb),
        p_adjusted: None,
        p_mann_whitney: if sb.options.len() == sa.options.len() {
            mann_whitney_p(&counts(sb), &counts(sa))
        } else {
            None
        },
        p_mann_whitney_adjusted: None,
        significant: false,
    }
}

/// The scales in both waves: change in mean (Welch), and Mann–Whitney adjusted over the scales.
fn scale_changes(
    before: &ScoreReport,
    after: &ScoreReport,
    confidence: f64,
    adjustment: Adjustment,
    alpha: f64,
) -> Vec<ScaleChange> {
    let mut scales: Vec<ScaleChange> = after
        .scales
        .iter()
        .filter_map(|a| {
            let b = before.scales.iter().find(|b| b.name == a.name)?;
            let (low, high) = welch_interval(b, a, confidence).unzip();
            Some(ScaleChange {
                name: a.name.clone(),
                before_n: b.n,
                before_mean: b.mean,
                after_n: a.n,
                after_mean: a.mean,
                change: a.mean.zip(b.mean).map(|(x, y)| x - y),
                ci_low: low,
                ci_high: high,
                p_mann_whitney: distributions_p(b, a),
                p_adjusted: None,
                significant: false,
            })
        })
        .collect();
    fill_adjusted(
        &mut scales,
        |c| c.p_mann_whitney,
        |c, p| c.p_adjusted = Some(p),
        adjustment,
    );
    for c in &mut scales {
        c.significant = c.p_adjusted.is_some_and(|p| p < alpha);
    }
    scales
}

/// Mann–Whitney on two score frequency tables aligned on the union of their values.
fn distributions_p(b: &super::ScaleScore, a: &super::ScaleScore) -> Option<f64> {
    let mut table: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    let key = |s: f64| (s * 1e9).round() as i64;
    for f in &b.distribution {
        table.entry(key(f.score)).or_default().0 += f.count as f64;
    }
    for f in &a.distribution {
        table.entry(key(f.score)).or_default().1 += f.count as f64;
    }
    let (xb, xa): (Vec<f64>, Vec<f64>) = table.values().copied().unzip();
    mann_whitney_p(&xb, &xa)
}

/// Welch's interval for the difference in means (after − before).
fn welch_interval(
    b: &super::ScaleScore,
    a: &super::ScaleScore,
    confidence: f64,
) -> Option<(f64, f64)> {
    let (mb, sb, nb) = (b.mean?, b.sd?, b.n as f64);
    let (ma, sa, na) = (a.mean?, a.sd?, a.n as f64);
    let (vb, va) = (sb * sb / nb, sa * sa / na);
    let se = (vb + va).sqrt();
    if se <= 0.0 || nb < 2.0 || na < 2.0 {
        return None;
    }
    let df = (vb + va).powi(2) / (vb * vb / (nb - 1.0) + va * va / (na - 1.0));
    // t quantile from F: t²(df) ~ F(1, df).
    let t = f_quantile(confidence, 1.0, df).sqrt();
    let d = ma - mb;
    Some((d - t * se, d + t * se))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::ScaleScore;

    fn scale(freq: &[(f64, u64)]) -> ScaleScore {
        crate::score::scale_for_tests("s", freq)
    }

    #[test]
    fn welch_interval_matches_t_test() {
        // R: x <- rep(c(2, 3, 4), c(3, 4, 3)); y <- rep(c(3, 4, 5), c(2, 5, 3))
        //    t.test(y, x)$conf.int = 0.3683235601 1.8316764399
        let b = scale(&[(2.0, 3), (3.0, 4), (4.0, 3)]);
        let a = scale(&[(3.0, 2), (4.0, 5), (5.0, 3)]);
        let (lo, hi) = welch_interval(&b, &a, 0.95).unwrap();
        assert!(
            (lo - 0.368_323_560_1).abs() < 1e-8 && (hi - 1.831_676_439_9).abs() < 1e-8,
            "{lo} {hi}"
        );
    }
}
