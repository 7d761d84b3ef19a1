//! Scale reliability from accumulated item co-moments: Cronbach's alpha (raw and standardised),
//! Feldt's interval, corrected item–total correlations and alpha-if-item-deleted, computed as
//! `psych::alpha` does (pairwise-complete covariances by default).

use crate::stats::dist::f_quantile;
use serde::{Deserialize, Serialize};

/// The most rows `CoMoments::add_multiples` takes at once: 4,096 × 127² fits an i32.
pub const MAX_MULTIPLE_ROWS: usize = 4096;

/// Rows of a scale's values as whole multiples of `unit`, item by item: item `i`'s multiples
/// for the `n` rows at `columns[i * stride..][..n]` and, for incomplete rows, whether each was
/// answered at `answered[i * stride..][..n]` (1 or 0; a multiple is 0 where not answered).
/// Complete rows need no `answered`. Multiples lie within ±127 and `n` within
/// `MAX_MULTIPLE_ROWS`, so no sum overflows.
#[derive(Clone, Copy)]
pub struct Multiples<'a> {
    /// Item-major multiples: item `i`'s rows at `columns[i * stride..][..n]`.
    pub columns: &'a [i16],
    /// For incomplete rows, 1 where item `i` was answered, same layout; `None` when every row is
    /// complete.
    pub answered: Option<&'a [i16]>,
    /// Distance between consecutive items' rows in `columns` (and `answered`).
    pub stride: usize,
    /// Rows in the block (at most [`MAX_MULTIPLE_ROWS`]).
    pub n: usize,
    /// The value a multiple of 1 stands for (a row's value is `multiple × unit`, before the shift).
    pub unit: f64,
}

/// Σ a·b in i32: vector multiply-adds (the compiler's `pmaddwd`), exact within the limits of
/// `CoMoments::add_multiples`.
#[inline(always)]
fn dot(a: &[i16], b: &[i16]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

/// How incomplete rows enter the covariance matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingMethod {
    /// Each covariance from the rows where both items were answered (`use = "pairwise"`).
    #[default]
    Pairwise,
    /// Only rows where every item of the scale was answered.
    Listwise,
}

/// Sums for every pair of items over the rows where both are present. Adding rows in any order
/// or merging partial accumulators gives the same sums, so chunks of rows can run in parallel.
///
/// Most respondents answer every item of a scale; their rows go to per-item sums and one
/// cross-product per pair (a third of the work), and only incomplete rows to per-pair sums.
#[derive(Debug, Clone, PartialEq)]
pub struct CoMoments {
    k: usize,
    /// Complete rows: their count, Σx per item, and Σxy per pair (i ≤ j, row-major upper triangle).
    complete: u64,
    complete_sum: Vec<f64>,
    complete_cross: Vec<f64>,
    /// Incomplete rows, per pair (i, j) present in the row: count, Σx_i, Σx_j, Σx_i·x_j.
    n: Vec<f64>,
    sum_i: Vec<f64>,
    sum_j: Vec<f64>,
    sum_ij: Vec<f64>,
    /// Rows seen (for Feldt's interval, as psych counts them).
    rows: u64,
    /// Values are shifted by this before summing, to keep the sums small.
    shift: f64,
}

impl CoMoments {
    /// An empty accumulator for a `k`-item scale. `shift` (e.g. the scale's middle code) is
    /// subtracted from every value before summing, which keeps the sums small and the variances
    /// accurate.
    pub fn new(k: usize, shift: f64) -> CoMoments {
        let m = k * (k + 1) / 2;
        CoMoments {
            k,
            complete: 0,
            complete_sum: vec![0.0; k],
            complete_cross: vec![0.0; m],
            n: vec![0.0; m],
            sum_i: vec![0.0; m],
            sum_j: vec![0.0; m],
            sum_ij: vec![0.0; m],
            rows: 0,
            shift,
        }
    }

    fn idx(&self, i: usize, j: usize) -> usize {
        // Upper triangle, row-major: row i starts after i rows of decreasing length.
        i * self.k - i * (i + 1) / 2 + j
    }

    /// Adds respondents who answered every item: their values already shifted (`v - shift`, the shift given to `new`),
    /// one row of `k` after another. The cross-products of a block of rows are one matrix
    /// product (XᵀX), not a loop per row: this is most of the work of scoring a scale.
    pub fn add_complete(&mut self, shifted: &[f64]) {
        let k = self.k;
        let n = shifted.len() / k.max(1);
        if n == 0 {
            return;
        }
        // expect: n = len / k, so the slice holds exactly n × k values.
        let x = ndarray::ArrayView2::from_shape((n, k), &shifted[..n * k]).expect("n rows of k");
        let gram = x.t().dot(&x);
        self.rows += n as u64;
        self.complete += n as u64;
        let mut t = 0;
        for i in 0..k {
            self.complete_sum[i] += x.column(i).sum();
            for j in i..k {
                self.complete_cross[t] += gram[[i, j]];
                t += 1;
            }
        }
    }

    /// Adds respondents who left some items out: values already shifted (`v - shift`, the shift given to `new`), NaN
    /// where an item was not answered, one row of `k` after another. With X the values (0 for
    /// NaN) and M the answered mask, the per-pair sums are matrix products: counts MᵀM, Σx_i
    /// over rows with j answered XᵀM, and Σx_i·x_j XᵀX.
    pub fn add_incomplete(&mut self, shifted: &[f64]) {
        let k = self.k;
        let n = shifted.len() / k.max(1);
        if n == 0 {
            return;
        }
        let values = &shifted[..n * k];
        let x = ndarray::Array2::from_shape_fn((n, k), |(r, i)| {
            let v = values[r * k + i];
            if v.is_nan() {
                0.0
            } else {
                v
            }
        });
        let m = ndarray::Array2::from_shape_fn((n, k), |(r, i)| {
            if values[r * k + i].is_nan() {
                0.0
            } else {
                1.0
            }
        });
        let (counts, sums, cross) = (m.t().dot(&m), x.t().dot(&m), x.t().dot(&x));
        self.rows += n as u64;
        for i in 0..k {
            for j in i..k {
                let t = self.idx(i, j);
                self.n[t] += counts[[i, j]];
                self.sum_i[t] += sums[[i, j]];
                self.sum_j[t] += sums[[j, i]];
                self.sum_ij[t] += cross[[i, j]];
            }
        }
    }

    /// Adds respondents' values given as small whole multiples of a unit (`Multiples`). The
    /// products are integer dot products, exact, and so are the sums they give: the same figures
    /// as `add_complete` and `add_incomplete` (whose f64 sums of such values are exact too), for
    /// a fraction of the work.
    pub fn add_multiples(&mut self, rows: &Multiples) {
        debug_assert!(rows.n <= MAX_MULTIPLE_ROWS);
        if rows.n == 0 {
            return;
        }
        // Sixteen products per instruction with AVX2 (checked once at run time) against four
        // in the portable build.
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor supports AVX2, checked just above.
                return unsafe { self.add_multiples_avx2(rows) };
            }
        }
        self.add_multiples_portable(rows)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn add_multiples_avx2(&mut self, rows: &Multiples) {
        self.add_multiples_portable(rows)
    }

    #[inline(always)]
    fn add_multiples_portable(&mut self, rows: &Multiples) {
        let Multiples {
            columns,
            answered,
            stride,
            n,
            unit,
        } = *rows;
        let k = self.k;
        let column = |i: usize| &columns[i * stride..][..n];
        self.rows += n as u64;
        let square = unit * unit;
        match answered {
            None => {
                self.complete += n as u64;
                let mut t = 0;
                for i in 0..k {
                    let sum: i32 = column(i).iter().map(|&y| i32::from(y)).sum();
                    self.complete_sum[i] += f64::from(sum) * unit;
                    for j in i..k {
                        self.complete_cross[t] += f64::from(dot(column(i), column(j))) * square;
                        t += 1;
                    }
                }
            }
            Some(mask) => {
                let mask = |i: usize| &mask[i * stride..][..n];
                for i in 0..k {
                    for j in i..k {
                        let t = self.idx(i, j);
                        self.n[t] += f64::from(dot(mask(i), mask(j)));
                        self.sum_i[t] += f64::from(dot(column(i), mask(j))) * unit;
                        self.sum_j[t] += f64::from(dot(column(j), mask(i))) * unit;
                        self.sum_ij[t] += f64::from(dot(column(i), column(j))) * square;
                    }
                }
            }
        }
    }

    /// Adds another accumulator's rows to these. The sums are exact for the scales canvass scores,
    /// so any split of rows across threads gives the same figures.
    pub fn merge(&mut self, o: &CoMoments) {
        self.rows += o.rows;
        self.complete += o.complete;
        for (a, b) in [
            (&mut self.complete_sum, &o.complete_sum),
            (&mut self.complete_cross, &o.complete_cross),
            (&mut self.n, &o.n),
            (&mut self.sum_i, &o.sum_i),
            (&mut self.sum_j, &o.sum_j),
            (&mut self.sum_ij, &o.sum_ij),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// (count, Σx_i, Σx_j, Σx_i·x_j) over all rows where items i ≤ j are both present.
    fn pair(&self, i: usize, j: usize) -> (f64, f64, f64, f64) {
        let t = self.idx(i, j);
        (
            self.n[t] + self.complete as f64,
            self.sum_i[t] + self.complete_sum[i],
            self.sum_j[t] + self.complete_sum[j],
            self.sum_ij[t] + self.complete_cross[t],
        )
    }

    /// The pairwise-complete covariance matrix (NaN where fewer than two rows share a pair).
    #[allow(clippy::needless_range_loop)] // symmetric fill reads best with indices
    pub fn covariance(&self) -> Vec<Vec<f64>> {
        let mut c = vec![vec![f64::NAN; self.k]; self.k];
        for i in 0..self.k {
            for j in i..self.k {
                let (n, sum_i, sum_j, sum_ij) = self.pair(i, j);
                if n < 2.0 {
                    continue;
                }
                let v = (sum_ij - sum_i * sum_j / n) / (n - 1.0);
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        c
    }

    /// Item means over the rows where each item is present.
    pub fn means(&self) -> Vec<f64> {
        (0..self.k)
            .map(|i| {
                let (n, sum, _, _) = self.pair(i, i);
                sum / n + self.shift
            })
            .collect()
    }

    /// Per item, the rows where it was answered.
    pub fn counts(&self) -> Vec<u64> {
        (0..self.k).map(|i| self.pair(i, i).0 as u64).collect()
    }

    /// Rows added, complete or not (Feldt's interval counts them as psych does).
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// Per-item reliability figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReliability {
    /// The item's id.
    pub id: String,
    /// Whether it is reverse-keyed (its codes were mirrored before these figures).
    pub reversed: bool,
    /// Respondents who answered it (the rows its mean and SD are over).
    pub n: u64,
    /// Mean of its keyed codes.
    pub mean: f64,
    /// Sample standard deviation of its keyed codes.
    pub sd: f64,
    /// Corrected item–total correlation (psych's `r.drop`).
    pub r_drop: Option<f64>,
    /// Raw alpha of the scale without this item.
    pub alpha_if_deleted: Option<f64>,
}

/// A scale's reliability, as `psych::alpha` reports it; flattened into the scale's entry in
/// score.json. `null` where a figure is undefined (fewer than two items or answers, zero variance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// Cronbach's alpha from the covariance matrix (psych's `raw_alpha`).
    pub alpha: Option<f64>,
    /// Alpha from the correlation matrix (psych's `std.alpha`).
    pub alpha_std: Option<f64>,
    /// Lower bound of Feldt's interval for alpha, at the report's confidence.
    pub alpha_ci_low: Option<f64>,
    /// Upper bound of Feldt's interval for alpha.
    pub alpha_ci_high: Option<f64>,
    /// Mean inter-item correlation.
    pub average_r: Option<f64>,
    /// Per item: r.drop and alpha if deleted, in the scale's order.
    pub items: Vec<ItemReliability>,
}

fn raw_alpha(c: &[Vec<f64>], keep: &[usize]) -> Option<f64> {
    let k = keep.len() as f64;
    if keep.len() < 2 {
        return None;
    }
    let trace: f64 = keep.iter().map(|&i| c[i][i]).sum();
    let total: f64 = keep
        .iter()
        .flat_map(|&i| keep.iter().map(move |&j| c[i][j]))
        .sum();
    let a = (1.0 - trace / total) * k / (k - 1.0);
    a.is_finite().then_some(a)
}

/// Alpha and friends from the co-moments of `ids.len()` keyed items.
pub fn reliability(m: &CoMoments, ids: &[(String, bool)], confidence: f64) -> Reliability {
    let k = ids.len();
    let c = m.covariance();
    let all: Vec<usize> = (0..k).collect();
    let alpha = raw_alpha(&c, &all);
    let sd: Vec<f64> = (0..k).map(|i| c[i][i].sqrt()).collect();
    let r = |i: usize, j: usize| c[i][j] / (sd[i] * sd[j]);
    let pairs = k * (k - 1) / 2;
    let sum_r: f64 = (0..k)
        .flat_map(|i| (i + 1..k).map(move |j| (i, j)))
        .map(|(i, j)| r(i, j))
        .sum();
    let average_r = (pairs > 0)
        .then(|| sum_r / pairs as f64)
        .filter(|v| v.is_finite());
    let alpha_std = average_r.map(|r| k as f64 * r / (1.0 + (k as f64 - 1.0) * r));
    // Feldt (1965) as psych::alpha.ci: 1 − (1 − α)·F(1 − p/2 or p/2; n − 1, (n − 1)(k − 1)).
    let n = m.rows() as f64;
    let (ci_low, ci_high) = match alpha {
        Some(a) if n > 1.0 && k > 1 => {
            let (d1, d2) = (n - 1.0, (n - 1.0) * (k as f64 - 1.0));
            let p = 1.0 - confidence;
            (
                Some(1.0 - (1.0 - a) * f_quantile(1.0 - p / 2.0, d1, d2)),
                Some(1.0 - (1.0 - a) * f_quantile(p / 2.0, d1, d2)),
            )
        }
        _ => (None, None),
    };
    let total: f64 = c.iter().flatten().sum();
    let means = m.means();
    let counts = m.counts();
    let items = (0..k)
        .map(|i| {
            let col: f64 = c[i].iter().sum();
            let rest_var = total - 2.0 * col + c[i][i];
            let r_drop = (col - c[i][i]) / (c[i][i] * rest_var).sqrt();
            let others: Vec<usize> = (0..k).filter(|&j| j != i).collect();
            ItemReliability {
                id: ids[i].0.clone(),
                reversed: ids[i].1,
                n: counts[i],
                mean: means[i],
                sd: sd[i],
                r_drop: r_drop.is_finite().then_some(r_drop),
                alpha_if_deleted: raw_alpha(&c, &others),
            }
        })
        .collect();
    Reliability {
        alpha,
        alpha_std: alpha_std.filter(|v| v.is_finite()),
        alpha_ci_low: ci_low,
        alpha_ci_high: ci_high,
        average_r,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five respondents, three items, one missing answer.
    /// Reference: R 4.x, psych 2.2.9:
    ///   x <- data.frame(a=c(1,2,3,4,5), b=c(2,2,3,5,4), c=c(1,3,NA,4,5)); r <- psych::alpha(x)
    ///   r$total: raw_alpha 0.97799511, std.alpha 0.9792404619
    ///   r$item.stats$r.drop: 1.0334637571 0.8322950452 1.0374854240 (pairwise covariances can
    ///   push it past 1, and psych reports it so)
    ///   r$alpha.drop$raw_alpha: 0.9072978304 1.0510948905 0.9090909091
    ///   r$feldt: lower 0.8888173840, upper 0.9975494523
    #[test]
    fn matches_psych_alpha_with_pairwise_missing() {
        let rows = [
            [Some(1.0), Some(2.0), Some(1.0)],
            [Some(2.0), Some(2.0), Some(3.0)],
            [Some(3.0), Some(3.0), None],
            [Some(4.0), Some(5.0), Some(4.0)],
            [Some(5.0), Some(4.0), Some(5.0)],
        ];
        // Added as scoring adds them: the complete rows in one block, the incomplete in another,
        // values less the shift given to `new` (NaN where unanswered).
        let shift = 3.0;
        let mut m = CoMoments::new(3, shift);
        let (mut complete, mut incomplete) = (Vec::new(), Vec::new());
        for r in &rows {
            let shifted = r.iter().map(|v| v.map_or(f64::NAN, |v| v - shift));
            if r.iter().all(Option::is_some) {
                complete.extend(shifted);
            } else {
                incomplete.extend(shifted);
            }
        }
        m.add_complete(&complete);
        m.add_incomplete(&incomplete);
        let ids: Vec<(String, bool)> = ["a", "b", "c"]
            .iter()
            .map(|s| (s.to_string(), false))
            .collect();
        let rel = reliability(&m, &ids, 0.95);
        let close = |a: Option<f64>, b: f64| assert!((a.unwrap() - b).abs() < 1e-8, "{a:?} vs {b}");
        close(rel.alpha, 0.977_995_110_0);
        close(rel.alpha_std, 0.979_240_461_9);
        close(rel.items[0].r_drop, 1.033_463_757_1);
        close(rel.items[1].r_drop, 0.832_295_045_2);
        close(rel.items[2].r_drop, 1.037_485_424_0);
        close(rel.items[0].alpha_if_deleted, 0.907_297_830_4);
        close(rel.items[1].alpha_if_deleted, 1.051_094_890_5);
        close(rel.items[2].alpha_if_deleted, 0.909_090_909_1);
        close(rel.alpha_ci_low, 0.888_817_384_0);
        close(rel.alpha_ci_high, 0.997_549_452_3);
    }

    /// The integer path gives exactly what the float path gives, on a scale of half-units
    /// (a six-point scale less its midpoint 3.5), complete and incomplete rows alike.
    #[test]
    fn multiples_equal_float_sums_exactly() {
        let k = 4;
        let stride = 7;
        let rows: Vec<[Option<i16>; 4]> = (0..stride as i16)
            .map(|r| {
                let y = |i: i16| ((r * 5 + i * 3) % 6) * 2 - 5; // 2·(code − 3.5), code 1…6
                [
                    Some(y(0)),
                    (r % 3 != 0).then(|| y(1)),
                    Some(y(2)),
                    (r % 4 != 1).then(|| y(3)),
                ]
            })
            .collect();
        let (mut float, mut ints) = (CoMoments::new(k, 3.5), CoMoments::new(k, 3.5));
        let (complete, incomplete): (Vec<&[Option<i16>; 4]>, Vec<_>) =
            rows.iter().partition(|r| r.iter().all(Option::is_some));
        for (part, is_complete) in [(&complete, true), (&incomplete, false)] {
            let values: Vec<f64> = part
                .iter()
                .flat_map(|r| r.iter().map(|y| y.map_or(f64::NAN, |y| f64::from(y) / 2.0)))
                .collect();
            let mut columns = vec![0i16; k * stride];
            let mut mask = vec![0i16; k * stride];
            for (r, row) in part.iter().enumerate() {
                for (i, y) in row.iter().enumerate() {
                    columns[i * stride + r] = y.unwrap_or(0);
                    mask[i * stride + r] = i16::from(y.is_some());
                }
            }
            let multiples = |answered| Multiples {
                columns: &columns,
                answered,
                stride,
                n: part.len(),
                unit: 0.5,
            };
            if is_complete {
                float.add_complete(&values);
                ints.add_multiples(&multiples(None));
            } else {
                float.add_incomplete(&values);
                ints.add_multiples(&multiples(Some(&mask)));
            }
        }
        assert!(!complete.is_empty() && !incomplete.is_empty());
        assert_eq!(float, ints);
    }

    #[test]
    fn merged_accumulators_equal_one_pass() {
        let rows = [
            [Some(1.0), None],
            [Some(2.0), Some(3.0)],
            [Some(4.0), Some(4.0)],
        ];
        let (mut a, mut b, mut all) = (
            CoMoments::new(2, 0.0),
            CoMoments::new(2, 0.0),
            CoMoments::new(2, 0.0),
        );
        // One respondent at a time (shift 0), as a block of one row.
        let add = |m: &mut CoMoments, r: &[Option<f64>]| {
            let values: Vec<f64> = r.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            if r.iter().all(Option::is_some) {
                m.add_complete(&values);
            } else {
                m.add_incomplete(&values);
            }
        };
        for (i, r) in rows.iter().enumerate() {
            if i == 0 {
                add(&mut a, r)
            } else {
                add(&mut b, r)
            }
            add(&mut all, r);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }
}
