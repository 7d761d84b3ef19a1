//! Hypothesis tests on aggregated data, and adjustment for multiple comparisons.

use super::dist::{chisq1_upper, erfc, gamma_q};

/// Two-sample test of equal proportions as R's `prop.test(c(x1, x2), c(n1, n2))` (Pearson χ²
/// with Yates' continuity correction, capped as R caps it). Returns the p-value.
pub fn two_proportion_p(x1: f64, n1: f64, x2: f64, n2: f64) -> Option<f64> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (x1 + x2) / (n1 + n2);
    if pooled <= 0.0 || pooled >= 1.0 {
        return Some(1.0);
    }
    let delta = x1 / n1 - x2 / n2;
    let yates = 0.5_f64.min(delta.abs() / (1.0 / n1 + 1.0 / n2));
    let mut stat = 0.0;
    for (x, n) in [(x1, n1), (x2, n2)] {
        for (obs, exp) in [(x, n * pooled), (n - x, n * (1.0 - pooled))] {
            stat += ((obs - exp).abs() - yates).powi(2) / exp;
        }
    }
    Some(chisq1_upper(stat))
}

/// Mann–Whitney U test from two frequency tables over the same ordered categories, with the
/// normal approximation, tie correction and continuity correction, as R's
/// `wilcox.test(x, y, exact = FALSE, correct = TRUE)`. Returns the two-sided p-value.
pub fn mann_whitney_p(a: &[f64], b: &[f64]) -> Option<f64> {
    let n1: f64 = a.iter().sum();
    let n2: f64 = b.iter().sum();
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let n = n1 + n2;
    // Mid-ranks of each category, and Σ(t³ − t) for the tie correction.
    let mut rank_sum_a = 0.0;
    let mut below = 0.0;
    let mut ties = 0.0;
    for (ca, cb) in a.iter().zip(b) {
        let t = ca + cb;
        let mid = below + (t + 1.0) / 2.0;
        rank_sum_a += ca * mid;
        ties += t * t * t - t;
        below += t;
    }
    let u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let var = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
    if var <= 0.0 {
        return Some(1.0);
    }
    let diff = u - mean;
    // R's correction is sign(diff) · ½, and sign(0) is 0 (`f64::signum` of 0 is 1).
    let correction = if diff == 0.0 {
        0.0
    } else {
        0.5 * diff.signum()
    };
    let z = (diff - correction) / var.sqrt();
    Some(erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// Two-sided z-test of equal proportions without continuity correction, as R's
/// `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)` (z² is Pearson's χ² on the 2 × 2 table).
/// Returns the p-value.
pub fn two_proportion_z_p(x1: f64, n1: f64, x2: f64, n2: f64) -> Option<f64> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (x1 + x2) / (n1 + n2);
    if pooled <= 0.0 || pooled >= 1.0 {
        return Some(1.0);
    }
    let z = (x1 / n1 - x2 / n2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    Some(chisq1_upper(z * z))
}

/// An omnibus test's statistic, degrees of freedom and p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Omnibus {
    /// χ² or the Kruskal–Wallis H (both referred to χ²).
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Upper-tail p-value.
    pub p: f64,
}

impl Omnibus {
    fn chi_squared(statistic: f64, df: f64) -> Omnibus {
        Omnibus {
            statistic,
            df,
            p: gamma_q(df / 2.0, statistic / 2.0),
        }
    }
}

/// Pearson's χ² test of independence without continuity correction on a table of counts (one
/// row per group), as R's `chisq.test(table, correct = FALSE)` and scipy's
/// `chi2_contingency(table, correction=False)`. Rows and columns that are all zero are left out;
/// `None` when fewer than two of either remain.
pub fn pearson_chi_squared(table: &[Vec<f64>]) -> Option<Omnibus> {
    let width = table.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: &Vec<f64>, j: usize| r.get(j).copied().unwrap_or(0.0);
    let rows: Vec<&Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let columns: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().map(|r| cell(r, j)).sum::<f64>() > 0.0)
        .collect();
    if rows.len() < 2 || columns.len() < 2 {
        return None;
    }
    let row_sums: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let column_sums: Vec<f64> = columns
        .iter()
        .map(|&j| rows.iter().map(|r| cell(r, j)).sum())
        .collect();
    let total: f64 = row_sums.iter().sum();
    let mut statistic = 0.0;
    for (r, rs) in rows.iter().zip(&row_sums) {
        for (&j, cs) in columns.iter().zip(&column_sums) {
            let expected = rs * cs / total;
            statistic += (cell(r, j) - expected).powi(2) / expected;
        }
    }
    let df = ((rows.len() - 1) * (columns.len() - 1)) as f64;
    Some(Omnibus::chi_squared(statistic, df))
}

/// Kruskal–Wallis test from frequency tables over the same ordered categories (one per group),
/// with mid-ranks for ties and the tie correction, as R's `kruskal.test` and scipy's `kruskal`.
/// Groups with no answers are left out; `None` when fewer than two remain or every answer is
/// the same (no ranking to compare).
pub fn kruskal_wallis(groups: &[Vec<f64>]) -> Option<Omnibus> {
    let groups: Vec<&Vec<f64>> = groups
        .iter()
        .filter(|g| g.iter().sum::<f64>() > 0.0)
        .collect();
    if groups.len() < 2 {
        return None;
    }
    let width = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let at = |g: &Vec<f64>, j: usize| g.get(j).copied().unwrap_or(0.0);
    // Mid-rank of each category, and Σ(t³ − t) for the tie correction.
    let (mut below, mut ties) = (0.0, 0.0);
    let mut mid = Vec::with_capacity(width);
    for j in 0..width {
        let t: f64 = groups.iter().map(|g| at(g, j)).sum();
        mid.push(below + (t + 1.0) / 2.0);
        ties += t * t * t - t;
        below += t;
    }
    let n = below;
    let correction = 1.0 - ties / (n * n * n - n);
    if correction <= 0.0 {
        return None;
    }
    let spread: f64 = groups
        .iter()
        .map(|g| {
            let size: f64 = g.iter().sum();
            let rank_sum: f64 = g.iter().zip(&mid).map(|(c, m)| c * m).sum();
            rank_sum * rank_sum / size
        })
        .sum();
    let h = (12.0 / (n * (n + 1.0)) * spread - 3.0 * (n + 1.0)) / correction;
    Some(Omnibus::chi_squared(h.max(0.0), (groups.len() - 1) as f64))
}

/// How p-values are adjusted across the items of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Adjustment {
    /// Holm (1979): controls the family-wise error rate.
    #[default]
    Holm,
    /// Benjamini & Hochberg (1995): controls the false discovery rate.
    BenjaminiHochberg,
}

/// Adjusted p-values, as R's `p.adjust(p, "holm")` or `p.adjust(p, "BH")`.
pub fn adjust(p: &[f64], method: Adjustment) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut out = vec![0.0; m];
    match method {
        Adjustment::Holm => {
            let mut running: f64 = 0.0;
            for (rank, &i) in order.iter().enumerate() {
                running = running.max(((m - rank) as f64 * p[i]).min(1.0));
                out[i] = running;
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running: f64 = 1.0;
            for (rank, &i) in order.iter().enumerate().rev() {
                running = running.min((m as f64 / (rank + 1) as f64 * p[i]).min(1.0));
                out[i] = running;
            }
        }
    }
    out
}

/// Adjusts the p-values present in `rows` as one family and stores the results.
pub fn fill_adjusted<T>(
    rows: &mut [T],
    get: impl Fn(&T) -> Option<f64>,
    set: impl Fn(&mut T, f64),
    method: Adjustment,
) {
    let present: Vec<usize> = (0..rows.len())
        .filter(|&i| get(&rows[i]).is_some())
        .collect();
    let p: Vec<f64> = present.iter().filter_map(|&i| get(&rows[i])).collect();
    for (&i, q) in present.iter().zip(adjust(&p, method)) {
        set(&mut rows[i], q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prop_test_matches_r() {
        // R: prop.test(c(56, 48), c(70, 80))$p.value = 0.01340947518
        let p = two_proportion_p(56.0, 70.0, 48.0, 80.0).unwrap();
        assert!((p - 0.013_409_475_18).abs() < 1e-10, "{p}");
    }

    #[test]
    fn mann_whitney_matches_r() {
        // R: x <- rep(1:5, c(2,3,10,30,21)); y <- rep(1:5, c(5,8,12,25,12))
        //    wilcox.test(x, y, exact = FALSE, correct = TRUE)$p.value = 0.01649137349
        let p =
            mann_whitney_p(&[2.0, 3.0, 10.0, 30.0, 21.0], &[5.0, 8.0, 12.0, 25.0, 12.0]).unwrap();
        assert!((p - 0.016_491_373_49).abs() < 1e-10, "{p}");
    }

    /// scipy 1.17: chi2_contingency([[12,5,3],[7,9,10],[4,4,11]], correction=False) gives
    /// statistic 10.74182398932113, dof 4, pvalue 0.029624031707260495.
    #[test]
    fn pearson_chi_squared_matches_scipy() {
        let t = vec![
            vec![12.0, 5.0, 3.0],
            vec![7.0, 9.0, 10.0],
            vec![4.0, 4.0, 11.0],
            vec![0.0, 0.0, 0.0],
        ];
        let r = pearson_chi_squared(&t).unwrap();
        assert!((r.statistic - 10.741_823_989_321_13).abs() < 1e-9, "{r:?}");
        assert_eq!(r.df, 4.0);
        assert!((r.p - 0.029_624_031_707_260_495).abs() < 1e-12, "{r:?}");
        assert_eq!(pearson_chi_squared(&[vec![3.0, 4.0]]), None);
    }

    /// scipy 1.17: kruskal(repeat(1:5, [2,3,10,30,21]), repeat(1:5, [5,8,12,25,12]),
    /// repeat(1:5, [1,1,4,8,20])) gives H 15.17300178128433, p 0.0005072528855587673.
    #[test]
    fn kruskal_wallis_matches_scipy() {
        let r = kruskal_wallis(&[
            vec![2.0, 3.0, 10.0, 30.0, 21.0],
            vec![5.0, 8.0, 12.0, 25.0, 12.0],
            vec![1.0, 1.0, 4.0, 8.0, 20.0],
            vec![0.0; 5],
        ])
        .unwrap();
        assert!((r.statistic - 15.173_001_781_284_33).abs() < 1e-9, "{r:?}");
        assert_eq!(r.df, 2.0);
        assert!((r.p - 0.000_507_252_885_558_767_3).abs() < 1e-12, "{r:?}");
        assert_eq!(kruskal_wallis(&[vec![0.0, 4.0], vec![0.0, 7.0]]), None);
    }

    /// scipy 1.17: chi2_contingency([[56,14],[48,32]], correction=False).pvalue =
    /// 0.008045081368196585 (R: prop.test(c(56, 48), c(70, 80), correct = FALSE)).
    #[test]
    fn two_proportion_z_matches_uncorrected_chi_squared() {
        let p = two_proportion_z_p(56.0, 70.0, 48.0, 80.0).unwrap();
        assert!((p - 0.008_045_081_368_196_585).abs() < 1e-12, "{p}");
    }

    /// Equal mean ranks: R's wilcox.test(c(4, 2) × 6, c(5, 4, 1, 2) × 6, exact = FALSE)
    /// and scipy's mannwhitneyu(use_continuity=True, method='asymptotic') give p = 1.
    #[test]
    fn mann_whitney_of_equal_mean_ranks_is_one() {
        let p = mann_whitney_p(&[0.0, 6.0, 0.0, 6.0, 0.0], &[6.0, 6.0, 0.0, 6.0, 6.0]).unwrap();
        assert_eq!(p, 1.0);
    }

    #[test]
    fn adjustments_match_p_adjust() {
        let p = [0.01, 0.04, 0.03, 0.2];
        // R: p.adjust(c(.01,.04,.03,.2), "holm") = 0.04 0.09 0.09 0.20
        let holm = adjust(&p, Adjustment::Holm);
        for (a, b) in holm.iter().zip([0.04, 0.09, 0.09, 0.2]) {
            assert!((a - b).abs() < 1e-12, "{holm:?}");
        }
        // R: p.adjust(c(.01,.04,.03,.2), "BH") = 0.04 0.0533333 0.0533333 0.2
        let bh = adjust(&p, Adjustment::BenjaminiHochberg);
        for (a, b) in bh
            .iter()
            .zip([0.04, 0.053_333_333_333, 0.053_333_333_333, 0.2])
        {
            assert!((a - b).abs() < 1e-9, "{bh:?}");
        }
    }
}
