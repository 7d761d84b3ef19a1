//! Clustering of comment vectors: k-means from linfa (k-means++ initialisation, several seeded
//! restarts, lowest inertia kept), behind a small trait so another algorithm can be swapped in,
//! and the choice of k by silhouette.

use linfa::traits::{Fit, Predict};
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, Axis};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

/// The result of clustering: a cluster per row, numbered by size (0 = largest).
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    pub labels: Vec<usize>,
    pub centroids: Array2<f64>,
}

/// A clustering algorithm for unit-length row vectors.
pub trait Clusterer {
    fn cluster(&self, x: &Array2<f64>, k: usize) -> Result<Clustering, String>;
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
    pub fn new(seed: u64) -> Self {
        KMeansSettings {
            seed,
            restarts: 10,
            max_iterations: 300,
            tolerance: 1e-4,
        }
    }

    /// Number of k-means++ restarts; the one with the lowest inertia is kept.
    pub fn restarts(mut self, n: usize) -> Self {
        self.restarts = n.max(1);
        self
    }
}

impl Clusterer for KMeansSettings {
    fn cluster(&self, x: &Array2<f64>, k: usize) -> Result<Clustering, String> {
        if k < 1 || k > x.nrows() {
            return Err(format!(
                "cannot make {k} themes from {} comments",
                x.nrows()
            ));
        }
        let data = DatasetBase::from(x.clone());
        let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(self.seed))
            .n_runs(self.restarts)
            .max_n_iterations(self.max_iterations)
            .tolerance(self.tolerance)
            .init_method(KMeansInit::KMeansPlusPlus)
            .fit(&data)
            .map_err(|e| format!("k-means failed: {e}"))?;
        let raw: Vec<usize> = model.predict(x).to_vec();
        Ok(renumber_by_size(&raw, model.centroids(), k))
    }
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

/// Mean silhouette (Euclidean) over the given rows, against all rows of the sample.
pub fn silhouette(x: &Array2<f64>, labels: &[usize], sample: &[usize]) -> f64 {
    let k = labels.iter().copied().max().map_or(0, |m| m + 1);
    if k < 2 {
        return 0.0;
    }
    let scores: Vec<f64> = sample
        .par_iter()
        .map(|&i| {
            let mut sum = vec![0.0; k];
            let mut count = vec![0usize; k];
            for &j in sample {
                if i == j {
                    continue;
                }
                let d = (&x.row(i) - &x.row(j)).mapv(|v| v * v).sum().sqrt();
                sum[labels[j]] += d;
                count[labels[j]] += 1;
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
    pub k: usize,
    pub clustering: Clustering,
    /// Mean silhouette of every k tried.
    pub tried: Vec<(usize, f64)>,
}

/// Chooses k in `range` by the highest mean silhouette on an evenly spaced sample of at most
/// 2,000 comments.
pub fn choose_k(
    x: &Array2<f64>,
    range: std::ops::RangeInclusive<usize>,
    clusterer: &dyn Clusterer,
) -> Result<KChoice, String> {
    let n = x.nrows();
    let step = n.div_ceil(2000).max(1);
    let sample: Vec<usize> = (0..n).step_by(step).collect();
    let mut best: Option<(usize, Clustering, f64)> = None;
    let mut tried = Vec::new();
    for k in range {
        if k > n {
            break;
        }
        let c = clusterer.cluster(x, k)?;
        let s = silhouette(x, &c.labels, &sample);
        tried.push((k, s));
        if best.as_ref().is_none_or(|b| s > b.2 + 1e-12) {
            best = Some((k, c, s));
        }
    }
    let (k, clustering, _) = best.ok_or("too few comments to choose a number of themes")?;
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
    fn finds_three_blobs_numbered_by_size() {
        let x = blobs();
        let c = KMeansSettings::new(1).cluster(&x, 3).unwrap();
        assert_eq!(c.labels[..6], [0; 6]);
        assert_eq!(c.labels[6..10], [2; 4]);
        assert_eq!(c.labels[10..], [1; 5]);
    }

    #[test]
    fn silhouette_picks_the_true_k() {
        let x = blobs();
        let choice = choose_k(&x, 2..=5, &KMeansSettings::new(3)).unwrap();
        assert_eq!(choice.k, 3, "{:?}", choice.tried);
    }

    #[test]
    fn same_seed_same_clusters() {
        let x = blobs();
        let s = KMeansSettings::new(9).restarts(3);
        assert_eq!(s.cluster(&x, 3).unwrap(), s.cluster(&x, 3).unwrap());
        assert!(s.cluster(&x, 16).is_err());
    }
}
