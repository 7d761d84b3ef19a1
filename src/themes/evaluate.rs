//! Agreement between themes and gold labels, as the short-text clustering literature reports
//! it: normalised mutual information (arithmetic mean normalisation, scikit-learn's default),
//! adjusted Rand index, and accuracy under the best one-to-one matching (Hungarian algorithm).

use serde::Serialize;
use std::collections::BTreeMap;

/// How well themes recover gold labels (the themes benchmarks and tests report it); each 1 for a
/// perfect match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Agreement {
    /// Normalised mutual information (arithmetic mean normalisation, as scikit-learn), 0–1.
    pub nmi: f64,
    /// Adjusted Rand index: 0 for chance agreement, 1 for identical partitions (can be negative).
    pub ari: f64,
    /// Share of comments correctly labelled under the best one-to-one matching of clusters to
    /// labels, 0–1.
    pub accuracy: f64,
}

/// Contingency table of two labellings, as dense counts with index maps.
fn contingency(a: &[usize], b: &[usize]) -> Vec<Vec<f64>> {
    let index = |v: &[usize]| -> BTreeMap<usize, usize> {
        let mut m = BTreeMap::new();
        for &x in v {
            let n = m.len();
            m.entry(x).or_insert(n);
        }
        m
    };
    let (ia, ib) = (index(a), index(b));
    let mut t = vec![vec![0.0; ib.len()]; ia.len()];
    for (x, y) in a.iter().zip(b) {
        t[ia[x]][ib[y]] += 1.0;
    }
    t
}

/// Agreement of `predicted` clusters with `gold` labels. Panics if the lengths differ: the callers
/// are tests and benchmarks that build both from one list.
pub fn agreement(gold: &[usize], predicted: &[usize]) -> Agreement {
    assert_eq!(gold.len(), predicted.len(), "one prediction per gold label");
    let t = contingency(gold, predicted);
    let n = gold.len() as f64;
    let rows: Vec<f64> = t.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<f64> = (0..t.first().map_or(0, Vec::len))
        .map(|j| t.iter().map(|r| r[j]).sum())
        .collect();
    let entropy = |v: &[f64]| {
        -v.iter()
            .filter(|&&c| c > 0.0)
            .map(|&c| (c / n) * (c / n).ln())
            .sum::<f64>()
    };
    let mut mi = 0.0;
    for (i, r) in t.iter().enumerate() {
        for (j, &c) in r.iter().enumerate() {
            if c > 0.0 {
                mi += (c / n) * ((c * n) / (rows[i] * cols[j])).ln();
            }
        }
    }
    let (ha, hb) = (entropy(&rows), entropy(&cols));
    let nmi = if ha + hb > 0.0 {
        2.0 * mi / (ha + hb)
    } else {
        1.0
    };
    let comb = |x: f64| x * (x - 1.0) / 2.0;
    let index: f64 = t.iter().flatten().map(|&c| comb(c)).sum();
    let (sa, sb): (f64, f64) = (
        rows.iter().map(|&c| comb(c)).sum(),
        cols.iter().map(|&c| comb(c)).sum(),
    );
    let expected = sa * sb / comb(n);
    let max = (sa + sb) / 2.0;
    let ari = if max == expected {
        1.0
    } else {
        (index - expected) / (max - expected)
    };
    Agreement {
        nmi,
        ari,
        accuracy: best_matching(&t) / n,
    }
}

/// The largest total count of a one-to-one matching of rows to columns (Kuhn–Munkres with
/// potentials, O(n²m)).
fn best_matching(t: &[Vec<f64>]) -> f64 {
    let (r, c) = (t.len(), t.first().map_or(0, Vec::len));
    let size = r.max(c);
    // Square cost matrix: minimise −count, padding with zeros.
    let cost = |i: usize, j: usize| if i < r && j < c { -t[i][j] } else { 0.0 };
    let (mut u, mut v) = (vec![0.0; size + 1], vec![0.0; size + 1]);
    let (mut p, mut way) = (vec![0usize; size + 1], vec![0usize; size + 1]);
    for i in 1..=size {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; size + 1];
        let mut used = vec![false; size + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=size {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=size {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=size)
        .filter(|&j| p[j] > 0)
        .map(|j| -cost(p[j] - 1, j - 1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scikit_learn() {
        // scikit-learn 1.x: normalized_mutual_info_score = 0.6180656463, adjusted_rand_score =
        // 0.4318181818; linear_sum_assignment on the confusion matrix matches 8 of 10.
        let gold = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
        let pred = [1, 1, 0, 0, 0, 0, 2, 2, 2, 1];
        let a = agreement(&gold, &pred);
        assert!((a.nmi - 0.618_065_646_3).abs() < 1e-9, "{a:?}");
        assert!((a.ari - 0.431_818_181_8).abs() < 1e-9, "{a:?}");
        assert!((a.accuracy - 0.8).abs() < 1e-12, "{a:?}");
    }

    #[test]
    fn identical_up_to_renaming_is_perfect() {
        let a = agreement(&[0, 0, 1, 1, 2], &[5, 5, 3, 3, 9]);
        assert!((a.nmi - 1.0).abs() < 1e-12 && (a.ari - 1.0).abs() < 1e-12 && a.accuracy == 1.0);
    }
}
