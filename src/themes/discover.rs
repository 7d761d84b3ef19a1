//! Discovered themes: the comments no codebook or learned theme took, fitted on a seeded
//! sample (at most `FIT_SAMPLE`) and every comment then given its nearest theme.

use super::*;

/// What clustering found out about k, for the report.
#[derive(Default)]
pub(super) struct Discovered {
    pub(super) silhouettes: Vec<(usize, f64)>,
    pub(super) k_used: usize,
    pub(super) k_requested: Option<usize>,
    pub(super) k_allowed: Option<usize>,
    pub(super) too_few: Option<TooFew>,
    pub(super) fitted_on: Option<FittedOn>,
}

/// The sample discovered themes were fitted on, of how many comments to group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FittedOn {
    /// Comments in the seeded sample.
    pub sample: usize,
    /// Comments there were to group.
    pub of: usize,
}

/// Above this many comments to cluster, the vocabulary, idf, LSA and k-means are fitted on a
/// seeded sample of this many, and every comment is then assigned to its nearest theme in
/// chunks (as mini-batch k-means assigns): the stage's memory no longer grows with the wave's
/// comments × terms or comments × dimensions. Below it, the sample is every comment and nothing
/// changes. 50,000 comments show a wave's themes as clearly as a million do (the labelled sets,
/// all smaller, are themed exactly as before).
pub const FIT_SAMPLE: usize = 50_000;

/// Comments projected and assigned at a time outside the fitting sample.
pub(super) const ASSIGN_CHUNK: usize = 2048;

/// The comments no codebook or learned theme took, clustered into discovered themes (appended
/// to `themes`, largest first).
pub(super) fn discovered_themes(
    stage: &Stage,
    themes: &mut Vec<Theme>,
    themes_of: &mut [Vec<usize>],
    trace: &Trace,
) -> Result<Discovered> {
    let params = stage.params;
    let coded_themes = themes.len();
    let to_cluster: Vec<usize> = (0..stage.docs.len())
        .filter(|&d| themes_of[d].is_empty())
        .collect();
    let fit = fit_sample(to_cluster.len(), stage.fit_sample, params.seed);
    let fit_docs: Vec<usize> = fit.iter().map(|&j| to_cluster[j]).collect();
    let fitted_on = (fit.len() < to_cluster.len()).then_some(FittedOn {
        sample: fit.len(),
        of: to_cluster.len(),
    });
    let (vocab, x) = stage.tfidf(&fit_docs);
    // Comments with no retained term cannot be placed; they are counted as unthemed.
    let placed: Vec<usize> = (0..fit.len())
        .filter(|&i| x.indptr[i + 1] > x.indptr[i])
        .collect();
    let mut found = Discovered {
        fitted_on,
        ..Discovered::default()
    };
    if placed.len() < MIN_COMMENTS_TO_GROUP {
        found.too_few = (!to_cluster.is_empty()).then_some(TooFew {
            comments: to_cluster.len(),
            sharing_words: placed.len(),
            minimum: MIN_COMMENTS_TO_GROUP,
        });
        return Ok(found);
    }
    // Usually every comment kept a term, and the matrix needs no copying.
    let x = if placed.len() == x.nrows() {
        x
    } else {
        select_rows(&x, &placed)
    };
    trace.lap("tf-idf");
    trace.matrix(&x);
    let projection = vectorize::Projection::fit(&x, params.dims, params.seed);
    let y = projection.project(&x);
    trace.lap("lsa");
    let (clustering, asked) = found.cluster(params, &y, placed.len())?;
    trace.lap("clustered");
    // Each comment to cluster: its theme (None when it has no term to place it by) and its
    // closeness to the theme's centre, which orders the quotes.
    let mut nearest: Vec<Option<(usize, f64)>> = vec![None; to_cluster.len()];
    for (p, &i) in placed.iter().enumerate() {
        let c = clustering.labels[p];
        nearest[fit[i]] = Some((c, y.row(p).dot(&clustering.centroids.row(c))));
    }
    drop(y);
    if fit.len() < to_cluster.len() {
        let weigher = vectorize::Weigher::new(&vocab, fit.len(), tfidf_params(params));
        let outside = outside_sample(to_cluster.len(), &fit);
        let docs: Vec<usize> = outside.iter().map(|&j| to_cluster[j]).collect();
        let assigned = stage.assign_outside(&docs, &weigher, &projection, &clustering.centroids);
        for (&j, a) in outside.iter().zip(assigned) {
            nearest[j] = a;
        }
        trace.lap("assigned the comments outside the sample");
    }
    let k_fitted = clustering.centroids.nrows();
    // Theme numbers follow the sizes over every comment, not the sample's.
    let renumber = order_by_size(&nearest, k_fitted);
    for slot in nearest.iter_mut().flatten() {
        slot.0 = renumber[slot.0];
    }
    let k_used = k_fitted;
    found.k_used = k_used;
    found.k_requested = (asked != k_used).then_some(asked);
    for (j, slot) in nearest.iter().enumerate() {
        if let Some((c, _)) = slot {
            themes_of[to_cluster[j]].push(coded_themes + c);
        }
    }
    let sub_labels: Vec<Option<usize>> = placed
        .iter()
        .map(|&i| nearest[fit[i]].map(|(c, _)| c))
        .collect();
    let keywords = label::distinctive_terms(&x, &vocab, &sub_labels, k_used, 6);
    drop(x);
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); k_used];
    for (j, slot) in nearest.iter().enumerate() {
        if let Some((c, score)) = *slot {
            members[c].push((j, score));
        }
    }
    for (c, terms) in keywords.iter().enumerate() {
        // Nearest the centre first, ties in file order.
        members[c].sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut theme = stage.theme(
            coded_themes + c + 1,
            "discovered",
            label::label_from(terms, &vocab),
            terms.iter().map(|&t| vocab.surfaces[t].clone()).collect(),
        );
        let quote_order = members[c].iter().map(|&(j, _)| to_cluster[j]);
        stage.fill(&mut theme, members[c].len(), quote_order);
        themes.push(theme);
    }
    Ok(found)
}

pub(super) fn tfidf_params(params: &ThemeParams) -> vectorize::TfidfParams {
    vectorize::TfidfParams {
        min_df: params.min_df,
        sublinear_tf: true,
    }
}

/// Positions, in order, of a seeded sample of `size` of `n` items (all of them when `n <= size`):
/// the `size` positions with the smallest keys of a seeded hash, so the sample depends on the
/// seed and the count alone, and a file sorted by region or date is sampled evenly.
pub(super) fn fit_sample(n: usize, size: usize, seed: u64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    let mut keyed: Vec<(u64, u32)> = (0..n as u64)
        .map(|j| (splitmix(seed ^ splitmix(j)), j as u32))
        .collect();
    keyed.select_nth_unstable(size - 1);
    let mut chosen: Vec<usize> = keyed[..size].iter().map(|&(_, j)| j as usize).collect();
    chosen.sort_unstable();
    chosen
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
pub(super) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The positions below `n` not in `sample` (sorted), in order.
pub(super) fn outside_sample(n: usize, sample: &[usize]) -> Vec<usize> {
    let mut inside = vec![false; n];
    for &j in sample {
        inside[j] = true;
    }
    (0..n).filter(|&j| !inside[j]).collect()
}

/// The new number of each cluster: by decreasing size, ties by first member.
pub(super) fn order_by_size(nearest: &[Option<(usize, f64)>], k: usize) -> Vec<usize> {
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (j, slot) in nearest.iter().enumerate() {
        if let Some((c, _)) = *slot {
            size[c] += 1;
            first[c] = first[c].min(j);
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
    let mut new_id = vec![0; k];
    for (n, &c) in order.iter().enumerate() {
        new_id[c] = n;
    }
    new_id
}

impl Discovered {
    /// Clusters the `rows` rows of `y` into the k asked for (capped to what the rows allow) or the k
    /// silhouette chooses, noting the cap or the silhouettes; returns the k asked for too.
    pub(super) fn cluster(
        &mut self,
        params: &ThemeParams,
        y: &ndarray::Array2<f64>,
        rows: usize,
    ) -> Result<(cluster::Clustering, usize)> {
        let clusterer = KMeansSettings::new(params.seed);
        Ok(match params.k {
            ThemeCount::Fixed(k) => {
                let allowed = rows / MIN_COMMENTS_PER_THEME;
                if k > allowed {
                    self.k_allowed = Some(allowed);
                }
                (clusterer.cluster(y, k.min(allowed))?, k)
            }
            ThemeCount::Auto => {
                let max_k = (rows / 4).clamp(2, 15);
                let choice = cluster::choose_k(y, 2..=max_k, &clusterer)?;
                self.silhouettes = choice.tried;
                (choice.clustering, choice.k)
            }
        })
    }
}

pub(super) fn select_rows(x: &vectorize::SparseRows, rows: &[usize]) -> vectorize::SparseRows {
    let mut out = vectorize::SparseRows {
        indptr: vec![0],
        indices: Vec::new(),
        values: Vec::new(),
        ncols: x.ncols,
    };
    for &r in rows {
        for (c, v) in x.row(r) {
            out.indices.push(c as u32);
            out.values.push(v);
        }
        out.indptr.push(out.indices.len());
    }
    out
}
