//! Confidence intervals for proportions and their differences.

use super::dist::normal_quantile;
use serde::{Deserialize, Serialize};

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound, in the unit of the estimate (a proportion 0–1, a mean on the scale's codes).
    pub low: f64,
    /// Upper bound, in the same unit; `low <= high`.
    pub high: f64,
}

/// z for a two-sided interval at `confidence` (0.95 → 1.959964).
pub fn z_for(confidence: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - confidence) / 2.0)
}

/// Wilson score interval for `x` successes in `n` trials (Wilson 1927; Newcombe 1998 method 3),
/// without continuity correction, as `prop.test(correct = FALSE)` in R. `n` may be an effective
/// sample size, so both are real numbers.
pub fn wilson(x: f64, n: f64, confidence: f64) -> Option<Interval> {
    if n <= 0.0 {
        return None;
    }
    let z = z_for(confidence);
    let p = x / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n successes the interval touches the boundary exactly; rounding must not move it.
    Some(Interval {
        low: if x <= 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        high: if x >= n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

/// Newcombe's hybrid score interval for p1 − p2 (Newcombe 1998, method 10), built from the two
/// Wilson intervals.
pub fn newcombe(x1: f64, n1: f64, x2: f64, n2: f64, confidence: f64) -> Option<Interval> {
    let w1 = wilson(x1, n1, confidence)?;
    let w2 = wilson(x2, n2, confidence)?;
    let (p1, p2) = (x1 / n1, x2 / n2);
    let d = p1 - p2;
    Some(Interval {
        low: d - ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt(),
        high: d + ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_prop_test() {
        // R: prop.test(65, 66, correct = FALSE)$conf.int = 0.9190407974 0.9973203595
        let w = wilson(65.0, 66.0, 0.95).unwrap();
        assert!((w.low - 0.919_040_797_4).abs() < 1e-9, "{w:?}");
        assert!((w.high - 0.997_320_359_5).abs() < 1e-9, "{w:?}");
        // All agree: the upper limit is 1, the lower limit n / (n + z²).
        let w = wilson(66.0, 66.0, 0.95).unwrap();
        assert!((w.low - 66.0 / (66.0 + 1.959_963_984_540_054_f64.powi(2))).abs() < 1e-12);
        assert_eq!(w.high, 1.0);
        assert!(wilson(0.0, 0.0, 0.95).is_none());
    }

    #[test]
    fn newcombe_matches_published_example() {
        // Newcombe (1998) Statistics in Medicine 17:873, Table II, example (a): 56/70 − 48/80,
        // method 10 gives 0.0524 to 0.3339.
        let d = newcombe(56.0, 70.0, 48.0, 80.0, 0.95).unwrap();
        assert!((d.low - 0.0524).abs() < 5e-5, "{d:?}");
        assert!((d.high - 0.3339).abs() < 5e-5, "{d:?}");
    }
}
