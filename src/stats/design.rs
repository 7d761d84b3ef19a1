//! Design-based tests for weighted crosstabs, as R's survey package makes them for a design of
//! one stage, no strata, each respondent their own PSU with their weight
//! (`svydesign(ids = ~1, weights = ~w)`).
//!
//! `svychisq`'s default statistic: Pearson's X² on the weighted table scaled to the sample
//! size, divided by the mean generalised design effect, referred to F with the Rao–Scott
//! second-order degrees of freedom. It needs no respondent's row: per cell of the table, the
//! sum of weights and of squared weights (and the number of respondents) give the estimated
//! cell proportions' linearised covariance exactly, so the test streams with accumulators per
//! group.

use super::dist::beta_inc;
use super::hypothesis::Omnibus;

/// A cell's accumulators: the sum of its respondents' weights and of their squares.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeightSums {
    /// Σ w.
    pub w: f64,
    /// Σ w².
    pub w2: f64,
}

/// The Rao–Scott second-order F test of independence of a weighted table (`table[row][col]`)
/// of `n` respondents, as `survey::svychisq(~row + col, design)`. Rows and columns with no
/// weight are left out, as R's factors hold only the levels present. `statistic` is F and `df`
/// its numerator degrees of freedom (the denominator's is `df × (n − 1)`). `None` with fewer
/// than two rows or columns, or fewer than two respondents.
pub fn rao_scott(table: &[Vec<WeightSums>], n: u64) -> Option<Omnibus> {
    let width = table.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: &Vec<WeightSums>, j: usize| r.get(j).copied().unwrap_or_default();
    let rows: Vec<&Vec<WeightSums>> = table
        .iter()
        .filter(|r| (0..width).any(|j| cell(r, j).w > 0.0))
        .collect();
    let cols: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().any(|r| cell(r, j).w > 0.0))
        .collect();
    let (r, c) = (rows.len(), cols.len());
    if r < 2 || c < 2 || n < 2 {
        return None;
    }
    let n = n as f64;
    // Cells in R's order: rows vary fastest.
    let sums: Vec<WeightSums> = cols
        .iter()
        .flat_map(|&j| rows.iter().map(move |row| cell(row, j)))
        .collect();
    let total: f64 = sums.iter().map(|s| s.w).sum();
    let total_sq: f64 = sums.iter().map(|s| s.w2).sum();
    let p: Vec<f64> = sums.iter().map(|s| s.w / total).collect();
    let pearson = scaled_pearson(&p, r, c, n);
    let contrasts = interaction_contrasts(r, c);
    let inv_p: Vec<f64> = p
        .iter()
        .map(|&x| if x == 0.0 { 0.0 } else { 1.0 / x })
        .collect();
    // B = D⁻¹ C: the contrasts scaled by the inverse cell proportions.
    let b: Vec<Vec<f64>> = contrasts
        .iter()
        .map(|col| col.iter().zip(&inv_p).map(|(x, i)| x * i).collect())
        .collect();
    let m = contrasts.len();
    let scale = n / ((n - 1.0) * total * total);
    // V = scale · (diag(S) − S pᵀ − p Sᵀ + Q p pᵀ), the linearised covariance of p̂.
    let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let s: Vec<f64> = sums.iter().map(|x| x.w2).collect();
    let bs: Vec<f64> = b.iter().map(|col| dot(col, &s)).collect();
    let bp: Vec<f64> = b.iter().map(|col| dot(col, &p)).collect();
    let mut denominator = vec![vec![0.0; m]; m];
    let mut numerator = vec![vec![0.0; m]; m];
    for k in 0..m {
        for l in 0..m {
            let weighted = (0..p.len()).map(|i| b[k][i] * b[l][i] * s[i]).sum::<f64>();
            numerator[k][l] =
                scale * (weighted - bs[k] * bp[l] - bp[k] * bs[l] + total_sq * bp[k] * bp[l]);
            denominator[k][l] = dot(&contrasts[k], &b[l]) / n;
        }
    }
    let delta = solve(denominator, numerator)?;
    let trace: f64 = (0..m).map(|k| delta[k][k]).sum();
    let trace_sq: f64 = (0..m)
        .map(|k| (0..m).map(|l| delta[k][l] * delta[l][k]).sum::<f64>())
        .sum();
    if trace <= 0.0 || trace_sq <= 0.0 {
        return None;
    }
    let f = pearson / trace;
    let d1 = trace * trace / trace_sq;
    let d2 = d1 * (n - 1.0);
    Some(Omnibus {
        statistic: f,
        df: d1,
        p: f_upper(f, d1, d2),
    })
}

/// Pearson's X² on the table of cell proportions `p` (rows fastest) scaled to `n`, as
/// `chisq.test(svytable(…, Ntotal = n), correct = FALSE)`.
fn scaled_pearson(p: &[f64], r: usize, c: usize, n: f64) -> f64 {
    let row = |i: usize| (0..c).map(|j| p[i + r * j]).sum::<f64>();
    let col = |j: usize| (0..r).map(|i| p[i + r * j]).sum::<f64>();
    let mut x2 = 0.0;
    for j in 0..c {
        for i in 0..r {
            let expected = n * row(i) * col(j);
            let observed = n * p[i + r * j];
            x2 += (observed - expected).powi(2) / expected;
        }
    }
    x2
}

/// The interaction columns of the r × c grid with the main effects projected out (R's
/// `qr.resid(qr(X1), X12[, interaction])`): for levels (a, b) beyond the first, the cell (i, j)
/// holds (δᵢₐ − 1/r)(δⱼᵦ − 1/c). Each column is indexed by cell, rows fastest.
fn interaction_contrasts(r: usize, c: usize) -> Vec<Vec<f64>> {
    let (rf, cf) = (r as f64, c as f64);
    let mut out = Vec::with_capacity((r - 1) * (c - 1));
    for b in 1..c {
        for a in 1..r {
            let col = (0..r * c)
                .map(|cell| {
                    let (i, j) = (cell % r, cell / r);
                    (f64::from(u8::from(i == a)) - 1.0 / rf)
                        * (f64::from(u8::from(j == b)) - 1.0 / cf)
                })
                .collect();
            out.push(col);
        }
    }
    out
}

/// A⁻¹B by Gauss–Jordan elimination with partial pivoting; `None` when A is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let m = a.len();
    for k in 0..m {
        let pivot = (k..m).max_by(|&i, &j| a[i][k].abs().total_cmp(&a[j][k].abs()))?;
        if a[pivot][k].abs() < 1e-300 {
            return None;
        }
        a.swap(k, pivot);
        b.swap(k, pivot);
        let d = a[k][k];
        for v in a[k].iter_mut().chain(b[k].iter_mut()) {
            *v /= d;
        }
        for i in 0..m {
            if i == k || a[i][k] == 0.0 {
                continue;
            }
            let factor = a[i][k];
            for j in 0..m {
                a[i][j] -= factor * a[k][j];
                b[i][j] -= factor * b[k][j];
            }
        }
    }
    Some(b)
}

/// P(F > f) for F with (d1, d2) degrees of freedom, from the upper tail's own beta integral so
/// that a small p keeps its digits.
fn f_upper(f: f64, d1: f64, d2: f64) -> f64 {
    if f <= 0.0 {
        return 1.0;
    }
    beta_inc(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tests/fixtures/weighted, q1 by region: the cell sums and R's svychisq printed by
    /// `Rscript tests/reference/crosstabs_weighted.R` (survey 4.1.1):
    /// n 56 F 0.745162093646452 ndf 6.87765078476238 ddf 378.270793161931 p 0.631462872018202
    #[test]
    fn rao_scott_f_equals_svychisq() {
        let cell = |w: f64, w2: f64| WeightSums { w, w2 };
        // Columns: Agree, Disagree, Neither, Strongly agree, Strongly disagree (R's order;
        // any order gives the same test).
        let table = vec![
            vec![
                cell(6.69, 4.1787),
                cell(0.48, 0.2304),
                cell(1.35, 0.9225),
                cell(3.78, 2.4354),
                cell(1.83, 1.1529),
            ],
            vec![
                cell(7.30, 7.765),
                cell(3.00, 3.0),
                cell(4.30, 4.765),
                cell(5.45, 5.1225),
                cell(0.0, 0.0),
            ],
            vec![
                cell(9.99, 20.5011),
                cell(2.25, 5.0625),
                cell(6.30, 13.365),
                cell(2.88, 4.1472),
                cell(3.24, 5.3136),
            ],
        ];
        let t = rao_scott(&table, 56).unwrap();
        assert!((t.statistic - 0.745_162_093_646_452).abs() < 1e-9, "{t:?}");
        assert!((t.df - 6.877_650_784_762_38).abs() < 1e-9, "{t:?}");
        assert!((t.p - 0.631_462_872_018_202).abs() < 1e-9, "{t:?}");
        // The columns in another order: the same test.
        let reordered: Vec<Vec<WeightSums>> = table
            .iter()
            .map(|r| vec![r[4], r[0], r[3], r[1], r[2]])
            .collect();
        let u = rao_scott(&reordered, 56).unwrap();
        assert!((u.p - t.p).abs() < 1e-12);
    }

    #[test]
    fn one_row_or_column_is_not_tested() {
        let w = WeightSums { w: 1.0, w2: 1.0 };
        assert!(rao_scott(&[vec![w, w]], 2).is_none());
        assert!(rao_scott(&[vec![w], vec![w]], 2).is_none());
    }
}
