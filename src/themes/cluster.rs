//! Clustering of comment vectors: k-means (k-means++ initialisation, several seeded restarts,
//! lowest inertia kept), behind a small trait so another algorithm can be swapped in,
//! and the choice of k by silhouette.

use crate::error::{DataOf, Error, Result};
use ndarray::{Array2, ArrayView2, Axis};
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

/// Above this many comments, restarts search a sample (see `KMeansSettings::cluster`).
const SAMPLE: usize = 5_000;

/// The result of clustering: a cluster per row, numbered by size (0 = largest).
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Per row, its cluster (0 = largest).
    pub labels: Vec<usize>,
    /// One centroid per cluster, in the same numbering (k × dimensions).
    pub centroids: Array2<f64>,
}

/// A clustering algorithm for unit-length row vectors.
pub trait Clusterer {
    /// Clusters the rows of `x` into `k` clusters; the error says why it could not (e.g. fewer rows
    /// than clusters).
    fn cluster(&self, x: &Array2<f64>, k: usize) -> Result<Clustering>;
}

/// Validated k-means settings (a builder, as linfa's own parameter structs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansSettings {
    seed: u64,
    restarts: usize,
    max_iterations: u64,
    tolerance: f64,
}

impl KMeansSettings {
    /// k-means settings with `seed` and the defaults tuned on the coded comment sets.
    pub fn new(seed: u64) -> Self {
        KMeansSettings {
            seed,
            // Five restarts gave the quality of ten within one SD on the coded comment sets (12
            // seeds: StackOverflow NMI 72.2 against 72.7, NHS 18.1 both) in half the restart
            // time; scikit-learn's own default is one.
            restarts: 5,
            max_iterations: 300,
            // Lloyd stops when the centroids move less than this (Frobenius norm). For unit
            // vectors this matches scikit-learn's default (squared shift < 1e-4 × mean variance).
            tolerance: 1e-3,
        }
    }

    /// Number of seeded restarts; the one with the lowest inertia is kept.
    pub fn restarts(mut self, n: usize) -> Self {
        self.restarts = n.max(1);
        self
    }

    /// One restart: greedy k-means++ seeds, then Lloyd's iterations (`x32` is `x` rounded; see
    /// `restart_lloyd`). Returns the restart's inertia and centroids.
    fn run(
        &self,
        x: &Array2<f64>,
        x32: &Array2<f32>,
        k: usize,
        restart: usize,
    ) -> (f64, Array2<f32>) {
        let mut rng = Xoshiro256Plus::seed_from_u64(
            self.seed
                .wrapping_add((restart as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        );
        let seeds = kmeans_plus_plus(x, k, &mut rng).mapv(|v| v as f32);
        restart_lloyd(x32, seeds, self.max_iterations, self.tolerance as f32)
    }
}

impl Clusterer for KMeansSettings {
    fn cluster(&self, x: &Array2<f64>, k: usize) -> Result<Clustering> {
        if k < 1 || k > x.nrows() {
            return Err(Error::data(
                DataOf::Comments,
                format!("cannot make {k} themes from {} comments", x.nrows()),
            ));
        }
        // On large inputs the restarts run on an evenly spaced sample and only the best start is
        // refined on every comment: the restarts choose a basin, which a sample of 5,000 finds
        // as well as the whole set does, at a fraction of the cost. (On small inputs the
        // restarts saw every comment, and the refinement only moves their centroids, which
        // count themselves among their rows, onto their rows' plain means.)
        let x32 = x.mapv(|v| v as f32);
        let sample: Option<(Array2<f64>, Array2<f32>)> = (x.nrows() > SAMPLE).then(|| {
            let step = x.nrows() as f64 / SAMPLE as f64;
            let rows: Vec<usize> = (0..SAMPLE).map(|i| (i as f64 * step) as usize).collect();
            (x.select(Axis(0), &rows), x32.select(Axis(0), &rows))
        });
        let (search, search32) = sample.as_ref().map_or((x, &x32), |(s, s32)| (s, s32));
        let k_search = k.min(search.nrows());
        // Restarts run in parallel, each from its own seed; the best is chosen by inertia, ties
        // by restart number, so the result does not depend on the thread count.
        let mut runs: Vec<(f64, Array2<f32>)> = (0..self.restarts)
            .into_par_iter()
            .map(|r| self.run(search, search32, k_search, r))
            .collect();
        let best = (0..runs.len())
            .min_by(|&a, &b| runs[a].0.total_cmp(&runs[b].0).then(a.cmp(&b)))
            .ok_or_else(|| Error::data(DataOf::Comments, "no k-means run"))?;
        // Single precision throughout: the iterations only move centroids between basins'
        // means, and the coded sets' NMI is the same as in double (12 seeds); the matrix products
        // take half the time. Rows are then assigned in double precision.
        let start = runs.swap_remove(best).1;
        let centroids = lloyd(&x32, start, self.max_iterations, self.tolerance as f32);
        let centroids = centroids.mapv(f64::from);
        let raw = nearest_centroids(x, &centroids);
        Ok(renumber_by_size(&raw, &centroids, k))
    }
}

/// Lloyd's iterations of one restart, as linfa's k-means ran them when the restarts used it:
/// each centroid moves to the mean of its rows and of itself (linfa's "m_k-means", so an emptied
/// cluster keeps its centroid) until the centroids move less than `tolerance` (Frobenius norm),
/// and the inertia is the rows' squared distances to the centroids they were last assigned to.
/// The distances come from one matrix product per iteration (the nearest centroid minimises
/// ‖c‖² − 2 x·c) instead of linfa's loop over every row and centroid, which was the largest
/// part of choosing k on a large wave. Single-threaded: the restarts run in parallel.
fn restart_lloyd(
    x: &Array2<f32>,
    mut centroids: Array2<f32>,
    max_iterations: u64,
    tolerance: f32,
) -> (f64, Array2<f32>) {
    let row_norms: Vec<f32> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut iterations = 0;
    loop {
        let norms: Vec<f32> = centroids.rows().into_iter().map(|c| c.dot(&c)).collect();
        let nearest = nearest_scored(&x.view(), &centroids, &norms);
        let mut sums = centroids.clone();
        let mut counts = vec![1u32; centroids.nrows()];
        let mut inertia = 0.0;
        for ((row, (c, best)), &norm) in x.rows().into_iter().zip(nearest).zip(&row_norms) {
            inertia += f64::from((norm + best).max(0.0));
            let mut target = sums.row_mut(c);
            target += &row;
            counts[c] += 1;
        }
        for (mut sum, &count) in sums.rows_mut().into_iter().zip(&counts) {
            sum /= count as f32;
        }
        let shift = (&sums - &centroids).mapv(|v| v * v).sum().sqrt();
        centroids = sums;
        iterations += 1;
        if shift < tolerance || iterations >= max_iterations {
            return (inertia, centroids);
        }
    }
}

/// The precisions Lloyd's iterations and the nearest-centroid search run in.
pub(crate) trait Real:
    ndarray::LinalgScalar + num_traits::Float + std::ops::AddAssign + Send + Sync
{
}

impl Real for f32 {}
impl Real for f64 {}

/// Rows per block of Lloyd's partial sums.
const LLOYD_BLOCK: usize = 2048;

/// Lloyd's iterations on every row from the given centroids, stopping as the restarts do (when
/// the centroids move less than `tolerance`, Frobenius norm). Distances come from one matrix
/// product per block of rows (the nearest centroid minimises |c|² − 2x·c), and blocks run in
/// parallel; their partial sums are added in block order, so the result does not depend on
/// the thread count. linfa's loop, used before, was single-threaded and most of the time on
/// 100,000 comments.
fn lloyd<F: Real>(
    x: &Array2<F>,
    mut centroids: Array2<F>,
    max_iterations: u64,
    tolerance: F,
) -> Array2<F> {
    let (n, d) = x.dim();
    let k = centroids.nrows();
    for _ in 0..max_iterations {
        let norms: Vec<F> = centroids.rows().into_iter().map(|c| c.dot(&c)).collect();
        let starts: Vec<usize> = (0..n).step_by(LLOYD_BLOCK).collect();
        let partial: Vec<(Array2<F>, Vec<usize>)> = starts
            .into_par_iter()
            .map(|start| {
                let block = x.slice(ndarray::s![start..(start + LLOYD_BLOCK).min(n), ..]);
                let mut sums = vec![F::zero(); k * d];
                let mut counts = vec![0usize; k];
                for (row, c) in block
                    .rows()
                    .into_iter()
                    .zip(nearest(&block, &centroids, &norms))
                {
                    let target = &mut sums[c * d..(c + 1) * d];
                    // Rows of a standard-layout matrix are slices; slice loops vectorise.
                    match row.as_slice() {
                        Some(values) => target.iter_mut().zip(values).for_each(|(s, &v)| *s += v),
                        None => target
                            .iter_mut()
                            .zip(row.iter())
                            .for_each(|(s, &v)| *s += v),
                    }
                    counts[c] += 1;
                }
                // expect: `sums` was allocated as k × d above; the shape cannot disagree.
                (Array2::from_shape_vec((k, d), sums).expect("k × d"), counts)
            })
            .collect();
        let mut sums = Array2::<F>::zeros((k, d));
        let mut counts = vec![0usize; k];
        for (s, c) in partial {
            sums += &s;
            for (total, add) in counts.iter_mut().zip(c) {
                *total += add;
            }
        }
        let mut next = centroids.clone();
        for (c, &count) in counts.iter().enumerate() {
            // An emptied cluster keeps its centroid.
            if count > 0 {
                let count = F::from(count).unwrap_or_else(F::one);
                next.row_mut(c).assign(&sums.row(c).mapv(|v| v / count));
            }
        }
        let shift = (&next - &centroids).mapv(|v| v * v).sum().sqrt();
        centroids = next;
        if shift < tolerance {
            break;
        }
    }
    centroids
}

/// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ln k local
/// trials per step). Keeps each point's distance to its nearest seed up to date, so a step costs
/// one pass over the data per candidate rather than one per seed chosen so far, and a step's
/// candidates are measured against every point in one matrix product (a pair at a time, with a
/// parallel loop per candidate inside restarts already run in parallel, was a third of the
/// restarts' time).
fn kmeans_plus_plus(x: &Array2<f64>, k: usize, rng: &mut Xoshiro256Plus) -> Array2<f64> {
    let n = x.nrows();
    let trials = 2 + (k as f64).ln() as usize;
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    // Every point's squared distance to each of `points` (n × points): ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b.
    let distances_to = |points: &[usize]| {
        let mut d = x.dot(&x.select(Axis(0), points).t());
        for ((i, j), v) in d.indexed_iter_mut() {
            *v = (norms[i] + norms[points[j]] - 2.0 * *v).max(0.0);
        }
        d
    };
    let first = (rng.next_u64() % n as u64) as usize;
    let mut chosen = vec![first];
    let mut nearest: Vec<f64> = distances_to(&[first]).column(0).to_vec();
    while chosen.len() < k {
        let total: f64 = nearest.iter().sum();
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                if total <= 0.0 {
                    return (rng.next_u64() % n as u64) as usize;
                }
                let target = uniform(rng) * total;
                let mut acc = 0.0;
                for (i, d) in nearest.iter().enumerate() {
                    acc += d;
                    if acc >= target {
                        return i;
                    }
                }
                n - 1
            })
            .collect();
        // The candidate that lowers the total distance most.
        let to_candidates = distances_to(&candidates);
        let scored: Vec<(f64, Vec<f64>)> = to_candidates
            .columns()
            .into_iter()
            .map(|to| {
                let updated: Vec<f64> = nearest.iter().zip(to).map(|(&a, &b)| a.min(b)).collect();
                (updated.iter().sum(), updated)
            })
            .collect();
        let best = (0..scored.len())
            .min_by(|&a, &b| scored[a].0.total_cmp(&scored[b].0).then(a.cmp(&b)))
            .unwrap_or(0);
        chosen.push(candidates[best]);
        nearest = scored.into_iter().nth(best).map(|s| s.1).unwrap_or(nearest);
    }
    x.select(Axis(0), &chosen)
}

fn uniform(rng: &mut Xoshiro256Plus) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The nearest centroid of each row of a block (ties to the lower index), from one matrix
/// product: the nearest centroid c minimises ‖c‖² − 2 x·c.
fn nearest<F: Real>(block: &ArrayView2<F>, centroids: &Array2<F>, norms: &[F]) -> Vec<usize> {
    nearest_scored(block, centroids, norms)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// `nearest`, each with its ‖c‖² − 2 x·c: with ‖x‖² added, the squared distance.
fn nearest_scored<F: Real>(
    block: &ArrayView2<F>,
    centroids: &Array2<F>,
    norms: &[F],
) -> Vec<(usize, F)> {
    let dots = block.dot(&centroids.t());
    dots.rows()
        .into_iter()
        .map(|dot| {
            let mut best = (0, F::infinity());
            for (c, &p) in dot.iter().enumerate() {
                let score = norms[c] - (p + p);
                if score < best.1 {
                    best = (c, score);
                }
            }
            best
        })
        .collect()
}

/// The index of each row's nearest centroid, block by block in parallel.
pub(crate) fn nearest_centroids(x: &Array2<f64>, centroids: &Array2<f64>) -> Vec<usize> {
    let norms: Vec<f64> = centroids.rows().into_iter().map(|c| c.dot(&c)).collect();
    let n = x.nrows();
    let starts: Vec<usize> = (0..n).step_by(LLOYD_BLOCK).collect();
    let parts: Vec<Vec<usize>> = starts
        .into_par_iter()
        .map(|start| {
            let block = x.slice(ndarray::s![start..(start + LLOYD_BLOCK).min(n), ..]);
            nearest(&block, centroids, &norms)
        })
        .collect();
    parts.concat()
}

/// Numbers clusters by decreasing size (ties by first member), dropping empty ones, so that theme
/// numbers mean something and do not depend on initialisation order.
fn renumber_by_size(raw: &[usize], centroids: &Array2<f64>, k: usize) -> Clustering {
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &c) in raw.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(i);
    }
    let mut order: Vec<usize> = (0..k).filter(|&c| size[c] > 0).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
    let mut new_id = vec![0; k];
    for (n, &c) in order.iter().enumerate() {
        new_id[c] = n;
    }
    Clustering {
        labels: raw.iter().map(|&c| new_id[c]).collect(),
        centroids: centroids.select(Axis(0), &order),
    }
}

/// Euclidean distances between the sampled rows, from one matrix product
/// (‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b). They do not depend on k, so `choose_k` computes them once
/// for every k it tries.
pub fn sample_distances(x: &Array2<f64>, sample: &[usize]) -> Array2<f64> {
    let rows = x.select(Axis(0), sample);
    let gram = rows.dot(&rows.t());
    let m = sample.len();
    Array2::from_shape_fn((m, m), |(i, j)| {
        if i == j {
            0.0
        } else {
            (gram[[i, i]] + gram[[j, j]] - 2.0 * gram[[i, j]])
                .max(0.0)
                .sqrt()
        }
    })
}

/// Mean silhouette of the sampled rows, given their distances (`sample_distances`) and labels.
pub fn silhouette(distances: &Array2<f64>, labels: &[usize]) -> f64 {
    let k = labels.iter().copied().max().map_or(0, |m| m + 1);
    if k < 2 {
        return 0.0;
    }
    let scores: Vec<f64> = (0..labels.len())
        .into_par_iter()
        .map(|i| {
            let mut sum = vec![0.0; k];
            let mut count = vec![0usize; k];
            for (j, (&d, &label)) in distances.row(i).iter().zip(labels).enumerate() {
                if i != j {
                    sum[label] += d;
                    count[label] += 1;
                }
            }
            let own = labels[i];
            if count[own] == 0 {
                return 0.0; // a singleton's silhouette is 0 by convention
            }
            let a = sum[own] / count[own] as f64;
            let b = (0..k)
                .filter(|&c| c != own && count[c] > 0)
                .map(|c| sum[c] / count[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if b.is_infinite() {
                0.0
            } else {
                (b - a) / a.max(b)
            }
        })
        .collect();
    scores.iter().sum::<f64>() / scores.len().max(1) as f64
}

/// The number of themes chosen automatically, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct KChoice {
    /// The number of themes chosen (best mean silhouette).
    pub k: usize,
    /// The clustering with that many themes.
    pub clustering: Clustering,
    /// Mean silhouette of every k tried.
    pub tried: Vec<(usize, f64)>,
}

/// Above this many comments, `choose_k` tries each k on an evenly spaced sample of this many.
const K_SAMPLE: usize = 20_000;

/// Chooses k in `range` by the highest mean silhouette on an evenly spaced sample of at most
/// 2,000 comments.
///
/// On more than `K_SAMPLE` comments each k is tried on an evenly spaced sample of `K_SAMPLE`
/// (the silhouette is read on 2,000 of them either way) and only the chosen k is clustered on
/// every comment: trying fourteen k's on every comment was most of the time of `k = "auto"` on
/// large waves, and a sample of 20,000 shows the same structure. The silhouettes reported are
/// then those of the sample's clusterings.
pub fn choose_k(
    x: &Array2<f64>,
    range: std::ops::RangeInclusive<usize>,
    clusterer: &dyn Clusterer,
) -> Result<KChoice> {
    if x.nrows() <= K_SAMPLE {
        return choose_k_on_all(x, range, clusterer);
    }
    let step = x.nrows() as f64 / K_SAMPLE as f64;
    let rows: Vec<usize> = (0..K_SAMPLE).map(|i| (i as f64 * step) as usize).collect();
    let choice = choose_k_on_all(&x.select(Axis(0), &rows), range, clusterer)?;
    Ok(KChoice {
        k: choice.k,
        clustering: clusterer.cluster(x, choice.k)?,
        tried: choice.tried,
    })
}

/// `choose_k`, clustering every row for every k.
fn choose_k_on_all(
    x: &Array2<f64>,
    range: std::ops::RangeInclusive<usize>,
    clusterer: &dyn Clusterer,
) -> Result<KChoice> {
    let n = x.nrows();
    let step = n.div_ceil(2000).max(1);
    let sample: Vec<usize> = (0..n).step_by(step).collect();
    let distances = sample_distances(x, &sample);
    let mut best: Option<(usize, Clustering, f64)> = None;
    let mut tried = Vec::new();
    for k in range {
        if k > n {
            break;
        }
        let c = clusterer.cluster(x, k)?;
        let sampled: Vec<usize> = sample.iter().map(|&i| c.labels[i]).collect();
        let s = silhouette(&distances, &sampled);
        tried.push((k, s));
        if best.as_ref().is_none_or(|b| s > b.2 + 1e-12) {
            best = Some((k, c, s));
        }
    }
    let (k, clustering, _) = best.ok_or_else(|| {
        Error::data(
            DataOf::Comments,
            "too few comments to choose a number of themes",
        )
    })?;
    Ok(KChoice {
        k,
        clustering,
        tried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Array2<f64> {
        let mut rows = Vec::new();
        for (cx, cy, n) in [(1.0, 0.0, 6), (0.0, 1.0, 4), (-1.0, 0.0, 5)] {
            for i in 0..n {
                let e = 0.02 * i as f64;
                rows.extend([cx + e, cy - e]);
            }
        }
        Array2::from_shape_vec((15, 2), rows).unwrap()
    }

    #[test]
    fn parallel_lloyd_converges_to_the_blob_means_at_any_thread_count() {
        // Many copies of the blobs, so that several blocks of rows are summed in parallel.
        let x = blobs();
        let big = ndarray::concatenate(Axis(0), &vec![x.view(); 400]).unwrap();
        let start = x.select(Axis(0), &[0, 6, 10]);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| lloyd(&big, start.clone(), 300, 1e-9))
        };
        let c = on(2);
        assert_eq!(c, on(1), "same centroids bit for bit");
        // Hand calculation: blob 1 is (1 + 0.02·i, −0.02·i) for i = 0..5, mean (1.05, −0.05).
        assert!((c[[0, 0]] - 1.05).abs() < 1e-12 && (c[[0, 1]] + 0.05).abs() < 1e-12);
        assert!((c[[1, 0]] - 0.03).abs() < 1e-12 && (c[[1, 1]] - 0.97).abs() < 1e-12);
        assert!((c[[2, 0]] + 0.96).abs() < 1e-12 && (c[[2, 1]] + 0.04).abs() < 1e-12);
    }

    #[test]
    fn a_restart_moves_each_centroid_to_the_mean_of_its_rows_and_itself() {
        // Hand calculation (linfa's m_k-means update, which the restarts used before): rows 0, 2,
        // 10, 12 from seeds 0 and 2. Iteration 1: {0} and {2, 10, 12} give 0/1 → 0 and
        // (2+2+10+12)/4 = 6.5 (inertia 0+0+64+100). Iteration 2: {0, 2} and {10, 12} give
        // (0+0+2)/3 = 2/3 and (6.5+10+12)/3 = 9.5. Iteration 3: 8/9 and 10.5. Iteration 4 assigns
        // with 8/9 and 10.5 (inertia 64/81 + 100/81 + 0.25 + 2.25 = 4.52469) and moves them to
        // 26/27 and 32.5/3, a shift of √((2/27)² + (1/3)²) = 0.341 < 0.5: it stops there.
        let x = Array2::from_shape_vec((4, 1), vec![0.0f32, 2.0, 10.0, 12.0]).unwrap();
        let seeds = Array2::from_shape_vec((2, 1), vec![0.0f32, 2.0]).unwrap();
        let (inertia, c) = restart_lloyd(&x, seeds.clone(), 300, 0.5);
        assert!((inertia - 4.52469).abs() < 1e-4, "{inertia}");
        assert!((c[[0, 0]] - 26.0 / 27.0).abs() < 1e-5, "{c}");
        assert!((c[[1, 0]] - 32.5 / 3.0).abs() < 1e-5, "{c}");
        // One iteration only: the first update, and the inertia of the seeds' assignment.
        let (inertia, c) = restart_lloyd(&x, seeds, 1, 0.5);
        assert_eq!(inertia, 164.0);
        assert_eq!((c[[0, 0]], c[[1, 0]]), (0.0, 6.5));
    }

    #[test]
    fn finds_three_blobs_numbered_by_size() {
        let x = blobs();
        let c = KMeansSettings::new(1).cluster(&x, 3).unwrap();
        assert_eq!(c.labels[..6], [0; 6]);
        assert_eq!(c.labels[6..10], [2; 4]);
        assert_eq!(c.labels[10..], [1; 5]);
    }

    #[test]
    fn silhouette_matches_a_hand_calculation() {
        // Points 0, 1 | 10, 11 on a line. For 0: a = 1, b = (10 + 11) / 2, s = 9.5 / 10.5; for 1:
        // a = 1, b = (9 + 10) / 2, s = 8.5 / 9.5; the other pair mirrors them.
        let x = ndarray::arr2(&[[0.0], [1.0], [10.0], [11.0]]);
        let d = sample_distances(&x, &[0, 1, 2, 3]);
        assert!((d[[1, 3]] - 10.0).abs() < 1e-12);
        let want = (9.5 / 10.5 + 8.5 / 9.5) / 2.0;
        assert!((silhouette(&d, &[0, 0, 1, 1]) - want).abs() < 1e-12);
        assert_eq!(
            silhouette(&d, &[0, 0, 0, 0]),
            0.0,
            "one cluster has no silhouette"
        );
    }

    #[test]
    fn silhouette_picks_the_true_k() {
        let x = blobs();
        let choice = choose_k(&x, 2..=5, &KMeansSettings::new(3)).unwrap();
        assert_eq!(choice.k, 3, "{:?}", choice.tried);
    }

    #[test]
    fn k_is_chosen_on_a_sample_of_a_large_set_and_every_row_is_clustered() {
        // 21,000 rows (1,400 copies of the three blobs): above K_SAMPLE, so k is tried on the
        // sample and the chosen k clustered on all rows.
        let x = blobs();
        let big = ndarray::concatenate(Axis(0), &vec![x.view(); 1400]).unwrap();
        assert!(big.nrows() > K_SAMPLE);
        let choice = choose_k(&big, 2..=5, &KMeansSettings::new(3)).unwrap();
        assert_eq!(choice.k, 3, "{:?}", choice.tried);
        assert_eq!(choice.tried.len(), 4);
        assert_eq!(choice.clustering.labels.len(), big.nrows());
        // Sizes 6, 5, 4 per copy (hand count of `blobs`), numbered largest first.
        assert_eq!(
            &choice.clustering.labels[..15],
            &[0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1, 1]
        );
    }

    #[test]
    fn same_seed_same_clusters() {
        let x = blobs();
        let s = KMeansSettings::new(9).restarts(3);
        assert_eq!(s.cluster(&x, 3).unwrap(), s.cluster(&x, 3).unwrap());
        assert!(s.cluster(&x, 16).is_err());
    }
}
