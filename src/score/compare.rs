//! Compare: change between two waves' score artefacts. Works on the aggregated artefacts only
//! (counts and score distributions), so a wave scored last year can be compared without its raw
//! export.

use super::panel::PanelComparison;
use super::ScoreReport;
use crate::stats::dist::f_quantile;
use crate::stats::hypothesis::{
    adjust, fill_adjusted, mann_whitney_p, two_proportion_p, Adjustment,
};
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
    /// The comparison's decision: `p_test_adjusted` is below 1 − confidence.
    pub significant: bool,
    /// The test the comparison decides by (see [`Test`]).
    #[serde(default)]
    pub test: Test,
    /// Respondents the paired test compared (answered the item in both waves); `null` for an
    /// independent-samples test.
    #[serde(default)]
    pub matched: Option<u64>,
    /// `test`'s p-value, unadjusted.
    #[serde(default)]
    pub p_test: Option<f64>,
    /// `p_test` adjusted across the comparison's whole family (every item and scale, each by its
    /// own `test`) by the pipeline's `adjustment`: the basis of `significant`.
    #[serde(default)]
    pub p_test_adjusted: Option<f64>,
    /// Newcombe interval of the change at the family's simultaneous level
    /// (`TestFamily::simultaneous_confidence`, Bonferroni), percentage points.
    #[serde(default)]
    pub simultaneous_ci_low: Option<f64>,
    /// Upper bound of the simultaneous interval.
    #[serde(default)]
    pub simultaneous_ci_high: Option<f64>,
}

/// The test a change is decided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// Two independent samples' proportions: Pearson χ² with Yates' correction (R `prop.test`).
    #[default]
    ChiSquaredYates,
    /// The same people's agreement twice: McNemar's exact test (R `binom.test` on the
    /// discordant pairs).
    McnemarExact,
    /// Two independent samples' scores: Mann–Whitney (R `wilcox.test`, normal approximation).
    MannWhitney,
    /// The same people's scores twice: Wilcoxon's signed-rank test (R `wilcox.test(paired =
    /// TRUE)`, normal approximation).
    WilcoxonSignedRank,
}

impl Test {
    /// The name as changes.csv's `test` column spells it.
    pub fn name(self) -> &'static str {
        match self {
            Test::ChiSquaredYates => "chi-squared-yates",
            Test::McnemarExact => "mcnemar-exact",
            Test::MannWhitney => "mann-whitney",
            Test::WilcoxonSignedRank => "wilcoxon-signed-rank",
        }
    }

    /// Whether the test compares the same people twice.
    pub fn paired(self) -> bool {
        matches!(self, Test::McnemarExact | Test::WilcoxonSignedRank)
    }
}

/// The comparison's one family of tests: every item and scale asked in both waves, each tested
/// once, adjusted together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestFamily {
    /// Tests in the family (items and scales with a p-value).
    pub size: usize,
    /// How the family's p-values were adjusted.
    pub adjustment: Adjustment,
    /// A change is significant when its adjusted p-value is below this (1 − confidence).
    pub alpha: f64,
    /// Each simultaneous interval's own level, 1 − alpha / size (Bonferroni): together they
    /// cover every change at `confidence` or more.
    pub simultaneous_confidence: f64,
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
    /// The comparison's decision: `p_test_adjusted` is below 1 − confidence.
    pub significant: bool,
    /// The test the comparison decides by.
    #[serde(default)]
    pub test: Test,
    /// Respondents the paired test compared; `null` for an independent-samples test.
    #[serde(default)]
    pub matched: Option<u64>,
    /// `test`'s p-value, unadjusted.
    #[serde(default)]
    pub p_test: Option<f64>,
    /// `p_test` adjusted across the comparison's whole family: the basis of `significant`.
    #[serde(default)]
    pub p_test_adjusted: Option<f64>,
    /// Welch interval of the change in mean at the family's simultaneous level.
    #[serde(default)]
    pub simultaneous_ci_low: Option<f64>,
    /// Upper bound of the simultaneous interval.
    #[serde(default)]
    pub simultaneous_ci_high: Option<f64>,
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
    /// The family the changes are tested in, and how.
    #[serde(default)]
    pub family: Option<TestFamily>,
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
    // 1 − 0.95 is 0.050000000000000044 in floating point: comparison.json says 0.05.
    let alpha = ((1.0 - confidence) * 1e12).round() / 1e12;
    let mut items = item_changes(before, after, confidence, adjustment);
    let mut scales = scale_changes(before, after, confidence, adjustment);
    choose_item_tests(&mut items, panel.as_ref());
    choose_scale_tests(&mut scales, panel.as_ref());
    let family = decide_family(&mut items, &mut scales, adjustment, alpha);
    for i in &mut items {
        let (low, high) = item_interval(before, after, &i.id, family.simultaneous_confidence);
        (i.simultaneous_ci_low, i.simultaneous_ci_high) = (low, high);
    }
    for s in &mut scales {
        let b = before.scales.iter().find(|b| b.name == s.name);
        let a = after.scales.iter().find(|a| a.name == s.name);
        let ci = b
            .zip(a)
            .and_then(|(b, a)| welch_interval(b, a, family.simultaneous_confidence));
        (s.simultaneous_ci_low, s.simultaneous_ci_high) = ci.unzip();
    }
    WaveComparison {
        before: labels.0.to_string(),
        after: labels.1.to_string(),
        confidence,
        adjustment,
        items,
        scales,
        panel,
        family: Some(family),
    }
}

/// Each item's test: McNemar's exact test on the matched respondents where the waves are
/// paired and enough answered the item in both, else the independent samples' χ².
fn choose_item_tests(items: &mut [ItemChange], panel: Option<&PanelComparison>) {
    for i in items {
        let paired = panel
            .and_then(|p| p.items.iter().find(|x| x.id == i.id))
            .filter(|x| !x.suppressed && x.p_exact.is_some());
        (i.test, i.matched, i.p_test) = match paired {
            Some(x) => (Test::McnemarExact, Some(x.matched), x.p_exact),
            None => (Test::ChiSquaredYates, None, i.p_value),
        };
    }
}

/// Each scale's test: Wilcoxon's signed-rank test on the matched respondents where the waves
/// are paired and enough have a score in both, else Mann–Whitney on the two waves.
fn choose_scale_tests(scales: &mut [ScaleChange], panel: Option<&PanelComparison>) {
    for s in scales {
        let paired = panel
            .and_then(|p| p.scales.iter().find(|x| x.name == s.name))
            .filter(|x| !x.suppressed && x.p_wilcoxon.is_some());
        (s.test, s.matched, s.p_test) = match paired {
            Some(x) => (Test::WilcoxonSignedRank, Some(x.matched), x.p_wilcoxon),
            None => (Test::MannWhitney, None, s.p_mann_whitney),
        };
    }
}

/// Adjusts every change's chosen p-value as one family and decides each change by it.
fn decide_family(
    items: &mut [ItemChange],
    scales: &mut [ScaleChange],
    adjustment: Adjustment,
    alpha: f64,
) -> TestFamily {
    let p: Vec<Option<f64>> = (items.iter().map(|i| i.p_test))
        .chain(scales.iter().map(|s| s.p_test))
        .collect();
    let present: Vec<f64> = p.iter().flatten().copied().collect();
    let mut adjusted = adjust(&present, adjustment).into_iter();
    let mut next = |p: Option<f64>| p.and_then(|_| adjusted.next());
    for i in items.iter_mut() {
        i.p_test_adjusted = next(i.p_test);
        i.significant = i.p_test_adjusted.is_some_and(|p| p < alpha);
    }
    for s in scales.iter_mut() {
        s.p_test_adjusted = next(s.p_test);
        s.significant = s.p_test_adjusted.is_some_and(|p| p < alpha);
    }
    let size = present.len();
    TestFamily {
        size,
        adjustment,
        alpha,
        simultaneous_confidence: 1.0 - alpha / size.max(1) as f64,
    }
}

/// The Newcombe interval of item `id`'s change at `confidence`, percentage points.
fn item_interval(
    before: &ScoreReport,
    after: &ScoreReport,
    id: &str,
    confidence: f64,
) -> (Option<f64>, Option<f64>) {
    let b = before.items.iter().find(|b| b.id == id);
    let a = after.items.iter().find(|a| a.id == id);
    let Some((b, a)) = b.zip(a) else {
        return (None, None);
    };
    let ((xb, nb), (xa, na)) = (effective(&b.summary), effective(&a.summary));
    newcombe(xa, na, xb, nb, confidence)
        .map(|c| (100.0 * c.low, 100.0 * c.high))
        .unzip()
}

/// An item's agreeing count and n; weighted waves compare on their effective sample sizes.
fn effective(s: &super::likert::ItemSummary) -> (f64, f64) {
    match (s.n_effective, s.pct_agree) {
        (Some(n), Some(p)) => (p / 100.0 * n, n),
        _ => (s.agree_count as f64, s.n as f64),
    }
}

/// The items in both waves: change in per cent agreeing, its interval, and the tests, adjusted
/// for multiplicity over the items.
fn item_changes(
    before: &ScoreReport,
    after: &ScoreReport,
    confidence: f64,
    adjustment: Adjustment,
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
    items
}

/// One item's change from `b` (before) to `a` (after).
fn item_change(b: &super::ItemScore, a: &super::ItemScore, confidence: f64) -> ItemChange {
    let (sb, sa) = (&b.summary, &a.summary);
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
        test: Test::ChiSquaredYates,
        matched: None,
        p_test: None,
        p_test_adjusted: None,
        simultaneous_ci_low: None,
        simultaneous_ci_high: None,
    }
}

/// The scales in both waves: change in mean (Welch), and Mann–Whitney adjusted over the scales.
fn scale_changes(
    before: &ScoreReport,
    after: &ScoreReport,
    confidence: f64,
    adjustment: Adjustment,
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
                test: Test::MannWhitney,
                matched: None,
                p_test: None,
                p_test_adjusted: None,
                simultaneous_ci_low: None,
                simultaneous_ci_high: None,
            })
        })
        .collect();
    fill_adjusted(
        &mut scales,
        |c| c.p_mann_whitney,
        |c, p| c.p_adjusted = Some(p),
        adjustment,
    );
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

    /// An item with `agree` of `n` agreeing (the top option of five), as likert scores it.
    fn item(id: &str, agree: u64, n: u64) -> super::super::ItemScore {
        let scale = crate::score::likert::tests::agree5();
        let mut counts = crate::score::likert::ItemCounts::new(&scale);
        counts.options[0] = n - agree;
        counts.options[4] = agree;
        super::super::ItemScore {
            id: id.into(),
            text: id.into(),
            statement: id.into(),
            column: id.into(),
            response_scale: scale.name.clone(),
            summary: crate::score::likert::summarise(&scale, &counts, 0.95),
        }
    }

    fn report(items: Vec<super::super::ItemScore>, scales: Vec<ScaleScore>) -> ScoreReport {
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
    fn every_change_is_decided_in_one_family_by_its_own_test() {
        let before = report(
            vec![item("a", 20, 60), item("b", 30, 60)],
            vec![scale(&[(2.0, 30), (3.0, 30)])],
        );
        let after = report(
            vec![item("a", 45, 60), item("b", 33, 60)],
            vec![scale(&[(3.0, 30), (4.0, 30)])],
        );
        // A panel whose item `a` had too few matched falls back to the independent test for it.
        let panel = PanelComparison {
            key: "email".into(),
            matched_respondents: 40,
            items: vec![super::super::panel::PanelChange {
                id: "a".into(),
                matched: 0,
                before_pct_agree: None,
                after_pct_agree: None,
                stopped_agreeing: None,
                started_agreeing: None,
                p_value: None,
                p_adjusted: None,
                significant: false,
                suppressed: true,
                p_exact: None,
                returning: None,
                new: None,
            }],
            scales: vec![],
            new_respondents: 0,
        };
        let c = compare(
            &before,
            &after,
            ("1", "2"),
            0.95,
            Adjustment::Holm,
            Some(panel),
        );
        let family = c.family.clone().unwrap();
        assert_eq!(family.size, 3);
        assert!((family.simultaneous_confidence - (1.0 - 0.05 / 3.0)).abs() < 1e-12);
        assert_eq!(
            (c.items[0].test, c.items[1].test, c.scales[0].test),
            (
                Test::ChiSquaredYates,
                Test::ChiSquaredYates,
                Test::MannWhitney
            )
        );
        let p: Vec<f64> = vec![
            c.items[0].p_value.unwrap(),
            c.items[1].p_value.unwrap(),
            c.scales[0].p_mann_whitney.unwrap(),
        ];
        let adjusted = adjust(&p, Adjustment::Holm);
        let got = [
            c.items[0].p_test_adjusted.unwrap(),
            c.items[1].p_test_adjusted.unwrap(),
            c.scales[0].p_test_adjusted.unwrap(),
        ];
        assert_eq!(got.to_vec(), adjusted);
        assert!(c.items[0].significant && !c.items[1].significant && c.scales[0].significant);
        // The simultaneous interval is wider than the unadjusted one, and holds the change.
        let i = &c.items[0];
        assert!(i.simultaneous_ci_low.unwrap() < i.ci_low.unwrap());
        assert!(i.simultaneous_ci_high.unwrap() > i.ci_high.unwrap());
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
