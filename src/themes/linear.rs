//! A sparse one-vs-rest linear SVM (L2-regularised, squared hinge loss, bias as an extra
//! feature of value 1, as LIBLINEAR and scikit-learn's `LinearSVC`) trained by dual coordinate
//! descent (Hsieh et al. 2008, "A dual coordinate descent method for large-scale linear SVM"),
//! and Platt scaling of its decision values into probabilities (Lin, Lin & Weng 2007).
//!
//! Why our own and not linfa's: linfa-svm and linfa-logistic take dense `ndarray` matrices, and
//! comments × vocabulary is 10,000 × 20,000 or more — 1.6 GB dense in f64 for what is 150,000
//! non-zeros sparse. Dual coordinate descent touches one sparse row per step, so training costs
//! a few passes over the non-zeros. Visits follow a seeded permutation per pass, and each
//! theme's model is trained on its own (themes in parallel, each sequential), so the weights
//! are the same bits at any thread count.

use super::vectorize::SparseRows;
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Settings of the solver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SvmParams {
    /// Cost of a margin violation (LinearSVC's `C`).
    pub c: f64,
    /// Stop when the projected gradient's spread is below this (LIBLINEAR's stopping rule).
    pub eps: f64,
    /// Stop after this many passes over the data even if not converged.
    pub max_passes: usize,
    /// Seed of the order in which rows are visited.
    pub seed: u64,
    /// Weigh each class by n / (2 · its size) (scikit-learn's `class_weight="balanced"`), so
    /// that a rare theme is not drowned by the comments without it.
    pub balanced: bool,
}

impl Default for SvmParams {
    fn default() -> Self {
        SvmParams {
            c: 1.0,
            eps: 0.01,
            max_passes: 1000,
            seed: 42,
            balanced: true,
        }
    }
}

/// One weight vector per class; the last weight of each is the bias.
#[derive(Debug, Clone, PartialEq)]
pub struct OneVsRest {
    /// Per class, its weights over the features followed by the bias.
    pub weights: Vec<Vec<f64>>,
}

impl OneVsRest {
    /// Trains one binary model per class on rows `rows` of `x`; `labels[i]` are the classes of
    /// `rows[i]` (none, one or several).
    pub fn train(
        x: &SparseRows,
        rows: &[usize],
        labels: &[Vec<usize>],
        classes: usize,
        p: &SvmParams,
    ) -> OneVsRest {
        let weights = (0..classes)
            .into_par_iter()
            .map(|c| {
                let y: Vec<bool> = labels.iter().map(|l| l.contains(&c)).collect();
                let seed = p.seed ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                train_binary(x, rows, &y, &SvmParams { seed, ..*p })
            })
            .collect();
        OneVsRest { weights }
    }

    /// Each class's decision value for row `r` of `x` (positive: on the class's side).
    pub fn scores(&self, x: &SparseRows, r: usize) -> Vec<f64> {
        self.weights.iter().map(|w| decision(w, x, r)).collect()
    }
}

/// w · x_r + bias.
pub fn decision(w: &[f64], x: &SparseRows, r: usize) -> f64 {
    let bias = w[w.len() - 1];
    x.row(r).map(|(c, v)| w[c] * v).sum::<f64>() + bias
}

/// One binary model: `y[i]` says whether `rows[i]` is in the class. Returns ncols + 1 weights.
pub fn train_binary(x: &SparseRows, rows: &[usize], y: &[bool], p: &SvmParams) -> Vec<f64> {
    let d = x.ncols;
    let mut w = vec![0.0; d + 1];
    let n = rows.len();
    if n == 0 {
        return w;
    }
    let positives = y.iter().filter(|&&b| b).count();
    let cost = |yi: bool| {
        let size = if yi { positives } else { n - positives };
        match p.balanced && size > 0 {
            true => p.c * n as f64 / (2.0 * size as f64),
            false => p.c,
        }
    };
    // Squared hinge loss: the dual has no upper bound and a diagonal term 1 / (2 C_i).
    let diag: Vec<f64> = y.iter().map(|&yi| 0.5 / cost(yi)).collect();
    let qd: Vec<f64> = rows
        .iter()
        .zip(&diag)
        .map(|(&r, dg)| x.row(r).map(|(_, v)| v * v).sum::<f64>() + 1.0 + dg)
        .collect();
    let mut alpha = vec![0.0; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(p.seed);
    for _ in 0..p.max_passes {
        shuffle(&mut order, &mut rng);
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        for &i in &order {
            let r = rows[i];
            let yi = if y[i] { 1.0 } else { -1.0 };
            let g = yi * decision(&w, x, r) - 1.0 + alpha[i] * diag[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / qd[i]).max(0.0);
                let step = (alpha[i] - old) * yi;
                for (c, v) in x.row(r) {
                    w[c] += step * v;
                }
                w[d] += step;
            }
        }
        if pg_max - pg_min <= p.eps {
            break;
        }
    }
    w
}

/// Fisher–Yates with the generator's top bits (no modulo bias worth the name at these sizes).
fn shuffle(v: &mut [usize], rng: &mut Xoshiro256PlusPlus) {
    for i in (1..v.len()).rev() {
        let j = (((rng.next_u64() >> 11) as u128 * (i as u128 + 1)) >> 53) as usize;
        v.swap(i, j);
    }
}

/// P(in class | decision value f) = 1 / (1 + exp(a f + b)), fitted to held-out decision values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Platt {
    /// Slope on the decision value (negative when larger values mean the class).
    pub a: f64,
    /// Intercept.
    pub b: f64,
}

impl Platt {
    /// Newton's method with backtracking on the regularised targets of Platt (1999), as
    /// corrected by Lin, Lin & Weng (2007); the targets keep a separable set finite.
    pub fn fit(f: &[f64], y: &[bool]) -> Platt {
        let prior1 = y.iter().filter(|&&b| b).count() as f64;
        let prior0 = y.len() as f64 - prior1;
        let hi = (prior1 + 1.0) / (prior1 + 2.0);
        let lo = 1.0 / (prior0 + 2.0);
        let t: Vec<f64> = y.iter().map(|&b| if b { hi } else { lo }).collect();
        let objective = |a: f64, b: f64| -> f64 {
            f.iter()
                .zip(&t)
                .map(|(fi, ti)| {
                    let z = fi * a + b;
                    if z >= 0.0 {
                        ti * z + (-z).exp().ln_1p()
                    } else {
                        (ti - 1.0) * z + z.exp().ln_1p()
                    }
                })
                .sum()
        };
        let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
        let mut value = objective(a, b);
        for _ in 0..100 {
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
            for (fi, ti) in f.iter().zip(&t) {
                let z = fi * a + b;
                let (p, q) = if z >= 0.0 {
                    ((-z).exp() / (1.0 + (-z).exp()), 1.0 / (1.0 + (-z).exp()))
                } else {
                    (1.0 / (1.0 + z.exp()), z.exp() / (1.0 + z.exp()))
                };
                let d2 = p * q;
                h11 += fi * fi * d2;
                h22 += d2;
                h21 += fi * d2;
                let d1 = ti - p;
                g1 += fi * d1;
                g2 += d1;
            }
            if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let gd = g1 * da + g2 * db;
            let mut step = 1.0;
            while step >= 1e-10 {
                let (na, nb) = (a + step * da, b + step * db);
                let nv = objective(na, nb);
                if nv < value + 1e-4 * step * gd {
                    (a, b, value) = (na, nb, nv);
                    break;
                }
                step /= 2.0;
            }
            if step < 1e-10 {
                break;
            }
        }
        Platt { a, b }
    }

    /// The probability (0–1) that a comment with decision value `f` is in the class; computed
    /// without overflow for any `f`.
    pub fn probability(&self, f: f64) -> f64 {
        let z = f * self.a + self.b;
        if z >= 0.0 {
            (-z).exp() / (1.0 + (-z).exp())
        } else {
            1.0 / (1.0 + z.exp())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[&[(u32, f64)]], ncols: usize) -> SparseRows {
        let mut m = SparseRows {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            ncols,
        };
        for r in data {
            for &(c, v) in *r {
                m.indices.push(c);
                m.values.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    #[test]
    fn separates_a_separable_set_and_is_seeded() {
        // Two features; class 0 has feature 0, class 1 feature 1, and class 2 both.
        let x = rows(
            &[
                &[(0, 1.0)],
                &[(0, 0.9)],
                &[(1, 1.0)],
                &[(1, 0.8)],
                &[(0, 0.7), (1, 0.7)],
                &[(0, 0.6), (1, 0.8)],
            ],
            2,
        );
        let labels = vec![vec![0], vec![0], vec![1], vec![1], vec![0, 1], vec![0, 1]];
        let all: Vec<usize> = (0..6).collect();
        let p = SvmParams::default();
        let m = OneVsRest::train(&x, &all, &labels, 2, &p);
        for (r, want) in labels.iter().enumerate() {
            let s = m.scores(&x, r);
            let got: Vec<usize> = (0..2).filter(|&c| s[c] > 0.0).collect();
            assert_eq!(&got, want, "row {r}: {s:?}");
        }
        assert_eq!(m, OneVsRest::train(&x, &all, &labels, 2, &p));
    }

    #[test]
    fn one_dimensional_svm_matches_its_closed_form() {
        // x = ±1 (bias feature 1 too), one point each side, C = 1, squared hinge, unweighted.
        // By symmetry the bias is 0; the primal ½w² + C Σ max(0, 1 − y w x)² has both points
        // short of the margin by 1 − w, so its derivative is w − 2·2(1 − w) = 5w − 4 = 0 → w = 0.8.
        let x = rows(&[&[(0, 1.0)], &[(0, -1.0)]], 1);
        let p = SvmParams {
            c: 1.0,
            eps: 1e-9,
            balanced: false,
            ..SvmParams::default()
        };
        let w = train_binary(&x, &[0, 1], &[true, false], &p);
        assert!((w[0] - 0.8).abs() < 1e-6, "{w:?}");
        assert!(w[1].abs() < 1e-6, "{w:?}");
    }

    #[test]
    fn platt_probabilities_rise_with_the_decision_value() {
        let f = [-2.0, -1.5, -1.0, -0.2, 0.1, 0.3, 1.0, 1.4, 2.0, -0.1];
        let y = [
            false, false, false, false, true, true, true, true, true, true,
        ];
        let p = Platt::fit(&f, &y);
        assert!(p.a < 0.0, "{p:?}");
        assert!(
            p.probability(2.0) > 0.8 && p.probability(-2.0) < 0.2,
            "{p:?}"
        );
        // A separable set stays finite thanks to the regularised targets.
        let q = Platt::fit(&[-1.0, 1.0], &[false, true]);
        assert!(q.a.is_finite() && q.probability(1.0) < 1.0, "{q:?}");
    }
}
