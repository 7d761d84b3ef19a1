//! The columns of a breakdown as disclosure control sees them (`crate::suppression`): per
//! group, the base of a figure and what the figure publishes. Segment breakdowns and crosstabs
//! build the same column for the same question, so they hide the same cells: two files hiding
//! different cells of one column could be subtracted from each other.

use super::likert::ItemCounts;
use super::tally::{GroupTally, SCORE_RESOLUTION};
use crate::config::ResponseScale;
use crate::suppression::{protect, Column, Mean, Reason, Share};

/// Per group, why it is hidden as a whole (its size alone), or `None`.
pub(super) fn whole_groups(sizes: &[u64], threshold: usize) -> Vec<Option<Reason>> {
    protect(&Column::sizes(sizes), &[], threshold)
}

/// A Likert item: substantive answers, how many of them agree (its % agree) and their mean
/// code (at an end of the scale, everyone gave that answer, even where everyone agrees).
pub(super) fn item(scale: &ResponseScale, counts: &[&ItemCounts]) -> Column {
    let k = scale.labels.len();
    let top = scale.agree_top.min(k);
    let codes: Vec<f64> = (0..k).map(|i| scale.code(i)).collect();
    let lowest = codes.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = codes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Column {
        bases: counts.iter().map(|c| c.n()).collect(),
        shares: vec![Share {
            counts: counts
                .iter()
                .map(|c| c.options[k - top..].iter().sum())
                .collect(),
            both_ends: true,
        }],
        means: if k > 0 {
            vec![Mean {
                sums: counts
                    .iter()
                    .map(|c| {
                        c.options
                            .iter()
                            .zip(&codes)
                            .map(|(&n, v)| n as f64 * v)
                            .sum()
                    })
                    .collect(),
                lowest,
                highest,
            }]
        } else {
            Vec::new()
        },
    }
}

/// A Likert item across groups' tallies.
pub(super) fn item_of(scale: &ResponseScale, groups: &[&GroupTally], i: usize) -> Column {
    item(
        scale,
        &groups.iter().map(|g| &g.items[i]).collect::<Vec<_>>(),
    )
}

/// A scale: respondents with a score, and their mean.
pub(super) fn scale_of(groups: &[&GroupTally], s: usize) -> Column {
    let values: Vec<Vec<(f64, u64)>> = groups
        .iter()
        .map(|g| {
            g.scale_scores[s]
                .iter()
                .map(|(&k, &n)| (k as f64 / SCORE_RESOLUTION, n))
                .collect()
        })
        .collect();
    values_column(&values)
}

/// A figure that is the mean of values: per group, (value, respondents) pairs.
pub(super) fn values_column(values: &[Vec<(f64, u64)>]) -> Column {
    let all = values.iter().flatten().map(|&(v, _)| v);
    let lowest = all.clone().fold(f64::INFINITY, f64::min);
    let highest = all.fold(f64::NEG_INFINITY, f64::max);
    Column {
        bases: values
            .iter()
            .map(|g| g.iter().map(|&(_, n)| n).sum())
            .collect(),
        shares: Vec::new(),
        means: if lowest.is_finite() {
            vec![Mean {
                sums: values
                    .iter()
                    .map(|g| g.iter().map(|&(v, n)| v * n as f64).sum())
                    .collect(),
                lowest,
                highest,
            }]
        } else {
            Vec::new()
        },
    }
}

/// A choice question: who answered it, and per option how many chose it (`per_option[o][g]`).
/// Of a single choice, only "all chose one option" tells each one's answer; of a check-all
/// question, "none ticked it" does too.
pub(super) fn options(bases: &[u64], per_option: &[Vec<u64>], check_all: bool) -> Column {
    Column {
        bases: bases.to_vec(),
        shares: per_option
            .iter()
            .map(|counts| Share {
                counts: counts.clone(),
                both_ends: check_all,
            })
            .collect(),
        means: Vec::new(),
    }
}

/// The cells of `column` to hide, groups hidden as a whole (`whole`) included.
pub(super) fn hidden(
    column: &Column,
    whole: &[Option<Reason>],
    threshold: usize,
) -> Vec<Option<Reason>> {
    protect(column, whole, threshold)
}
