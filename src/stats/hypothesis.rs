//! Hypothesis tests on aggregated data, and adjustment for multiple comparisons.

use super::dist::{chisq1_upper, erfc};

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
    let z = (diff - 0.5 * diff.signum()) / var.sqrt();
    Some(erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
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
