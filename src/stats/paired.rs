//! Tests for the same people measured twice (McNemar, Wilcoxon signed-rank), and tests for a
//! trend across ordered groups (Cochran–Armitage, the slope of a linear regression), each as R
//! computes it.

use super::dist::{chisq1_upper, erfc, f_cdf, ln_gamma};

/// McNemar's exact test: the two-sided binomial test of `b` against `c` discordant pairs with
/// probability ½, as R's `binom.test(b, b + c)$p.value` (equivalently the exact McNemar test).
/// 1 when there are no discordant pairs.
pub fn mcnemar_exact_p(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 || b == c {
        return 1.0;
    }
    // Symmetric under p = ½: twice the smaller tail.
    let k = b.min(c);
    let ln_half_n = n as f64 * 0.5_f64.ln();
    let ln_choose = |i: u64| {
        ln_gamma(n as f64 + 1.0) - ln_gamma(i as f64 + 1.0) - ln_gamma((n - i) as f64 + 1.0)
    };
    let tail: f64 = (0..=k).map(|i| (ln_choose(i) + ln_half_n).exp()).sum();
    (2.0 * tail).min(1.0)
}

/// McNemar's test with continuity correction, as R's `mcnemar.test` (χ² on one degree of
/// freedom); 1 when there are no discordant pairs.
pub fn mcnemar_asymptotic_p(b: u64, c: u64) -> f64 {
    let discordant = (b + c) as f64;
    if discordant == 0.0 {
        return 1.0;
    }
    chisq1_upper(((b as f64 - c as f64).abs() - 1.0).powi(2) / discordant)
}

/// Differences closer than this count as equal (zero, or tied): scale scores are means of
/// a few answers, and a third computed twice must not differ in its last bit.
const SAME: f64 = 1e-9;

/// Wilcoxon's signed-rank test on paired differences (after − before), with the normal
/// approximation, tie correction and continuity correction, zero differences dropped: as R's
/// `wilcox.test(after, before, paired = TRUE, exact = FALSE, correct = TRUE)`. Returns the
/// two-sided p-value; `None` when every difference is zero or there are none.
pub fn wilcoxon_signed_rank_p(differences: &[f64]) -> Option<f64> {
    let mut d: Vec<f64> = differences
        .iter()
        .copied()
        .filter(|x| x.is_finite() && x.abs() > SAME)
        .collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let n = d.len() as f64;
    let (mut v, mut ties, mut i) = (0.0, 0.0, 0);
    while i < d.len() {
        let mut j = i;
        while j + 1 < d.len() && (d[j + 1].abs() - d[i].abs()).abs() <= SAME {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        let mid = (i + j) as f64 / 2.0 + 1.0;
        v += mid * d[i..=j].iter().filter(|x| **x > 0.0).count() as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    let sigma = (n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - ties / 48.0).sqrt();
    if sigma <= 0.0 {
        return Some(1.0);
    }
    let z = v - n * (n + 1.0) / 4.0;
    let correction = if z == 0.0 { 0.0 } else { 0.5 * z.signum() };
    let z = (z - correction) / sigma;
    Some(erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// A test for trend: its statistic (χ² or t) and two-sided p-value, and the direction of the
/// fitted slope (+1 rising, −1 falling, 0 flat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendTest {
    /// χ² on one degree of freedom (Cochran–Armitage) or t (the slope's).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The fitted slope per step (a proportion 0–1 per wave, or score points per wave).
    pub slope: f64,
}

/// Cochran–Armitage test for a linear trend in proportions `x[i]` of `n[i]` across groups
/// scored 1, 2, …: as R's `prop.trend.test(x, n)`. `None` with fewer than two groups holding
/// answers, or when every answer is the same.
pub fn cochran_armitage(x: &[f64], n: &[f64]) -> Option<TrendTest> {
    let total: f64 = n.iter().sum();
    let groups = n.iter().filter(|&&m| m > 0.0).count();
    if groups < 2 || total <= 0.0 {
        return None;
    }
    let p = x.iter().sum::<f64>() / total;
    if p <= 0.0 || p >= 1.0 {
        return None;
    }
    let score = |i: usize| i as f64 + 1.0;
    let mean_score = n.iter().enumerate().map(|(i, m)| m * score(i)).sum::<f64>() / total;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, (&xi, &ni)) in x.iter().zip(n).enumerate() {
        let dx = score(i) - mean_score;
        sxy += (xi - ni * p) * dx;
        sxx += ni * dx * dx;
    }
    let statistic = sxy * sxy / (p * (1.0 - p) * sxx);
    Some(TrendTest {
        statistic,
        p_value: chisq1_upper(statistic),
        slope: sxy / sxx,
    })
}

/// The slope of a linear regression of respondents' scores on the group's number (1, 2, …),
/// from each group's size, mean and SD: as R's `lm(score ~ wave)` on the respondents, its
/// slope's t and p-value. `None` with fewer than two groups or three respondents.
pub fn linear_trend(n: &[f64], mean: &[f64], sd: &[f64]) -> Option<TrendTest> {
    let total: f64 = n.iter().sum();
    let groups = n.iter().filter(|&&m| m > 0.0).count();
    if groups < 2 || total < 3.0 {
        return None;
    }
    let score = |i: usize| i as f64 + 1.0;
    let mean_x = n.iter().enumerate().map(|(i, m)| m * score(i)).sum::<f64>() / total;
    let mean_y = n.iter().zip(mean).map(|(m, y)| m * y).sum::<f64>() / total;
    let (mut sxy, mut sxx, mut within) = (0.0, 0.0, 0.0);
    for i in 0..n.len() {
        let dx = score(i) - mean_x;
        sxy += n[i] * dx * (mean[i] - mean_y);
        sxx += n[i] * dx * dx;
        if n[i] > 1.0 {
            within += (n[i] - 1.0) * sd[i] * sd[i];
        }
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    // Residual sum of squares: within-group spread plus each group mean's distance from the line.
    let between: f64 = (0..n.len())
        .map(|i| n[i] * (mean[i] - intercept - slope * score(i)).powi(2))
        .sum();
    let df = total - 2.0;
    let se = ((within + between) / df / sxx).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return None;
    }
    let t = slope / se;
    Some(TrendTest {
        statistic: t,
        // t² on (1, df) is F: the two-sided p-value of t.
        p_value: 1.0 - f_cdf(t * t, 1.0, df),
        slope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() < tolerance
    }

    #[test]
    fn mcnemar_matches_r() {
        // R: binom.test(5, 31)$p.value = 0.000192195177078248
        let p = mcnemar_exact_p(5, 26);
        assert!(close(p, 0.000_192_195_177_078_248, 1e-12), "{p}");
        assert_eq!(mcnemar_exact_p(4, 4), 1.0);
        assert_eq!(mcnemar_exact_p(0, 0), 1.0);
        // R: binom.test(2, 9)$p.value = 0.1796875;
        //    mcnemar.test(matrix(c(10, 2, 7, 9), 2))$p.value = 0.182422439451736
        assert!(close(mcnemar_exact_p(2, 7), 0.179_687_5, 1e-12));
        assert!(close(
            mcnemar_asymptotic_p(2, 7),
            0.182_422_439_451_736,
            1e-12
        ));
    }

    #[test]
    fn wilcoxon_signed_rank_matches_r() {
        // R: x <- c(3.5, 4, 4.25, 3, 5, 2.75, 4, 3.25, 4.5, 3.75)
        //    y <- c(3.25, 4, 3.75, 3.5, 4.5, 2.25, 3, 3.25, 4, 3.25)
        //    wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE)$p.value
        //    = 0.0569290363156874 (python: scipy.stats.wilcoxon(x, y, correction=True,
        //    zero_method="wilcox", method="approx").pvalue agrees: 0.056929036315687354)
        let x = [3.5, 4.0, 4.25, 3.0, 5.0, 2.75, 4.0, 3.25, 4.5, 3.75];
        let y = [3.25, 4.0, 3.75, 3.5, 4.5, 2.25, 3.0, 3.25, 4.0, 3.25];
        let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - b).collect();
        let p = wilcoxon_signed_rank_p(&d).unwrap();
        assert!(close(p, 0.056_929_036_315_687_4, 1e-12), "{p}");
        assert_eq!(wilcoxon_signed_rank_p(&[0.0, 0.0]), None);
    }

    #[test]
    fn trend_tests_match_r() {
        // R: r <- prop.trend.test(c(66, 69, 64), c(66, 70, 66))
        //    r$statistic = 2.07116390030964, r$p.value = 0.150106928162047
        let t = cochran_armitage(&[66.0, 69.0, 64.0], &[66.0, 70.0, 66.0]).unwrap();
        assert!(close(t.statistic, 2.071_163_900_309_64, 1e-9), "{t:?}");
        assert!(close(t.p_value, 0.150_106_928_162_047, 1e-9), "{t:?}");
        assert!(t.slope < 0.0);
        // R: y <- c(rep(c(2, 3, 4), c(3, 4, 3)), rep(c(3, 4, 5), c(2, 5, 3)), rep(c(3, 5), c(4, 6)))
        //    w <- rep(1:3, each = 10); summary(lm(y ~ w))$coefficients["w", ]
        //    slope 0.6, t 3.01574813970020683, p 0.00540254885752224;
        //    tapply(y, w, sd) = 0.816496580927726 0.737864787372622 1.032795558988644
        let (n, mean) = ([10.0; 3], [3.0, 4.1, 4.2]);
        let sd = [
            0.816_496_580_927_726,
            0.737_864_787_372_622,
            1.032_795_558_988_644,
        ];
        let t = linear_trend(&n, &mean, &sd).unwrap();
        assert!(close(t.slope, 0.6, 1e-12), "{t:?}");
        assert!(close(t.statistic, 3.015_748_139_700_207, 1e-9), "{t:?}");
        assert!(close(t.p_value, 0.005_402_548_857_522_24, 1e-9), "{t:?}");
    }
}
