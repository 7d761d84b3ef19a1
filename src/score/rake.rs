//! Raking (iterative proportional fitting): each kept respondent's weight, from their base
//! weight (1, or the survey's weight column), adjusted margin by margin until every group's
//! weighted share meets its population target; with anesrake's cap, weights above `cap` times
//! the mean are trimmed after each cycle and the margins raked again. The fixed point is R
//! survey's `rake()` on the same design; weights are reported normalised to mean 1.

use crate::config::weights::Weights;
use crate::error::{Error, Result};
use crate::suppression::{protect, Column, Reason};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One margin's data: each kept respondent's group number, and the groups' names by number.
pub struct MarginData<'a> {
    /// Group number per kept respondent, in file order.
    pub groups: Vec<u32>,
    /// The groups' values by number (blank answers as `(not answered)`).
    pub names: &'a [String],
}

/// One group of a margin in the weight report: a row of weights.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBalance {
    /// The group (the column's value).
    pub group: String,
    /// Kept respondents in it; `null` when suppressed.
    pub sample_n: Option<u64>,
    /// Its per cent of the kept respondents, unweighted; `null` when suppressed.
    pub sample_pct: Option<f64>,
    /// Its per cent of the population (the target: the survey file's, never hidden).
    pub target_pct: f64,
    /// Its per cent of the kept respondents, weighted; `null` when suppressed.
    pub weighted_pct: Option<f64>,
    /// Hidden as segments hide a group: fewer than `suppress_below` kept respondents, or
    /// hidden so that a smaller one cannot be worked out from the total.
    #[serde(default)]
    pub suppressed: bool,
    /// Why the group is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// One raked margin in the weight report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginBalance {
    /// The survey's `column` for it (a segment's name or an export column).
    pub column: String,
    /// Its groups, in the targets' order.
    pub groups: Vec<GroupBalance>,
}

/// The weights' report: how far the sample was from the population, and what weighting cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weighting {
    /// Raked margins (none when the weights are the survey's weight column alone).
    pub margins: Vec<MarginBalance>,
    /// Kept respondents weighted.
    pub respondents: u64,
    /// Kish's effective sample size over every kept respondent, (Σw)² / Σw².
    pub n_effective: f64,
    /// Kish's design effect of the weights, n Σw² / (Σw)².
    pub design_effect: f64,
    /// 1 / design effect: the share of the sample's information the weights leave.
    pub efficiency: f64,
    /// The smallest weight (mean 1).
    pub min_weight: f64,
    /// The largest weight (mean 1).
    pub max_weight: f64,
    /// The cap on weights, in multiples of the mean, when one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Raking cycles run (0 without raking).
    pub iterations: usize,
    /// Whether raking met every target within the tolerance (a run that does not is refused).
    pub converged: bool,
}

/// Each kept respondent's weight (mean 1) and the report.
pub struct Raked {
    /// Weights in file order, normalised to mean 1.
    pub weights: Vec<f64>,
    /// What weights.csv and the summary show.
    pub report: Weighting,
}

/// Where raking refusals point: the survey file and its `[weights]`.
pub struct RakeSettings<'a> {
    /// The survey file (for messages).
    pub survey_file: &'a Path,
    /// `[weights]`.
    pub weights: &'a Weights,
}

/// One margin prepared: each respondent's target index, the targets' names and shares.
struct Prepared {
    target_of: Vec<usize>,
    names: Vec<String>,
    shares: Vec<f64>,
}

/// The blank answer's group name (as segments name it).
const NOT_ANSWERED: &str = "(not answered)";

/// Rakes `base` weights (empty: every weight 1) to the survey's margins, whose data `margins`
/// holds in `[[weights.rake]]` order.
pub fn rake(settings: &RakeSettings, margins: &[MarginData], base: &[f64]) -> Result<Raked> {
    let n = margins.first().map_or(base.len(), |m| m.groups.len());
    let mut w: Vec<f64> = if base.is_empty() {
        vec![1.0; n]
    } else {
        base.to_vec()
    };
    let prepared = margins
        .iter()
        .enumerate()
        .map(|(i, m)| prepare(settings, i, m, &w))
        .collect::<Result<Vec<Prepared>>>()?;
    let cfg = settings.weights;
    let mut gap = (0, 0, f64::INFINITY);
    let mut iterations = 0;
    while iterations < cfg.max_iterations {
        iterations += 1;
        for m in &prepared {
            adjust(&mut w, m);
        }
        if let Some(cap) = cfg.cap {
            trim(&mut w, cap);
        }
        gap = largest_gap(&w, &prepared);
        if gap.2 < cfg.tolerance {
            break;
        }
    }
    if gap.2 >= cfg.tolerance {
        return Err(not_converged(settings, &prepared, &w, gap, iterations));
    }
    normalise(&mut w);
    let report = report(&w, &prepared, settings, iterations);
    Ok(Raked { weights: w, report })
}

/// Maps each respondent to a target, refusing data groups without a target (blank answers
/// with their count) and targets nobody holds.
fn prepare(settings: &RakeSettings, i: usize, m: &MarginData, w: &[f64]) -> Result<Prepared> {
    let path = settings.survey_file;
    let margin = &settings.weights.rake[i];
    let shares = margin.shares();
    let names: Vec<String> = shares.keys().cloned().collect();
    let index: Vec<Option<usize>> = m
        .names
        .iter()
        .map(|g| names.iter().position(|t| t == g))
        .collect();
    let mut members = vec![0u64; m.names.len()];
    for &g in &m.groups {
        members[g as usize] += 1;
    }
    let key = format!("weights.rake[{i}].targets");
    if let Some(g) = (0..m.names.len()).find(|&g| index[g].is_none() && members[g] > 0) {
        let (group, count) = (&m.names[g], members[g]);
        let who = if count == 1 {
            "1 kept respondent has".to_string()
        } else {
            format!("{count} kept respondents have")
        };
        let error = if group == NOT_ANSWERED {
            Error::config(path, &key, format!("{who} no answer in `{}`, so raking cannot place them", margin.column))
                .hint(format!("fill in their `{}` in the export, or rake them as a group of their own with `\"{NOT_ANSWERED}\" = <share>` in the targets", margin.column))
        } else {
            Error::config(
                path,
                &key,
                format!(
                    "{who} `{group}` in `{}`, which has no target",
                    margin.column
                ),
            )
            .hint(format!(
                "add `\"{group}\" = <share or count>` to {key} (the data's groups: {})",
                listed(m.names, &members)
            ))
        };
        return Err(error);
    }
    let mut total = vec![0.0; names.len()];
    for (&g, wi) in m.groups.iter().zip(w) {
        if let Some(t) = index[g as usize] {
            total[t] += wi;
        }
    }
    if let Some(t) = (0..names.len()).find(|&t| total[t] <= 0.0) {
        return Err(Error::config(
            path,
            format!("{key}.{}", names[t]),
            format!(
                "no kept respondent (with a weight above 0) has `{}` in `{}`, so no weight can make up its {:.4} % of the population",
                names[t], margin.column, 100.0 * shares[&names[t]]
            ),
        )
        .hint(format!(
            "check the group's spelling against the data's groups ({}), or merge it with a group that has respondents",
            listed(m.names, &members)
        )));
    }
    Ok(Prepared {
        target_of: m
            .groups
            .iter()
            .map(|&g| index[g as usize].unwrap_or(usize::MAX))
            .collect(),
        shares: names.iter().map(|g| shares[g]).collect(),
        names,
    })
}

/// The groups present in the data, for messages.
fn listed(names: &[String], members: &[u64]) -> String {
    let present: Vec<&str> = names
        .iter()
        .zip(members)
        .filter(|(_, n)| **n > 0)
        .map(|(g, _)| g.as_str())
        .collect();
    present.join(", ")
}

/// Each group's share of the weight.
fn weighted_shares(w: &[f64], m: &Prepared) -> Vec<f64> {
    let mut total = vec![0.0; m.shares.len()];
    for (&t, wi) in m.target_of.iter().zip(w) {
        total[t] += wi;
    }
    let all: f64 = total.iter().sum();
    total.iter().map(|t| t / all).collect()
}

/// One raking step: scales each group's weights so that its share meets its target.
fn adjust(w: &mut [f64], m: &Prepared) {
    let current = weighted_shares(w, m);
    let factor: Vec<f64> = m.shares.iter().zip(&current).map(|(t, c)| t / c).collect();
    for (wi, &t) in w.iter_mut().zip(&m.target_of) {
        *wi *= factor[t];
    }
}

/// Trims weights above `cap` times the mean; trimming lowers the mean, so again until none is
/// above (anesrake's `cap`).
fn trim(w: &mut [f64], cap: f64) {
    for _ in 0..1000 {
        let limit = cap * w.iter().sum::<f64>() / w.len() as f64;
        let mut trimmed = false;
        for wi in w.iter_mut().filter(|wi| **wi > limit * (1.0 + 1e-12)) {
            *wi = limit;
            trimmed = true;
        }
        if !trimmed {
            return;
        }
    }
}

/// (margin, group, gap): the group whose weighted share is furthest from its target.
fn largest_gap(w: &[f64], prepared: &[Prepared]) -> (usize, usize, f64) {
    let mut worst = (0, 0, 0.0);
    for (i, m) in prepared.iter().enumerate() {
        for (g, (s, t)) in weighted_shares(w, m).iter().zip(&m.shares).enumerate() {
            if (s - t).abs() > worst.2 {
                worst = (i, g, (s - t).abs());
            }
        }
    }
    worst
}

fn not_converged(
    settings: &RakeSettings,
    prepared: &[Prepared],
    w: &[f64],
    (i, g, _): (usize, usize, f64),
    iterations: usize,
) -> Error {
    let m = &prepared[i];
    let share = weighted_shares(w, m)[g];
    Error::config(
        settings.survey_file,
        format!("weights.rake[{i}].targets.{}", m.names[g]),
        format!(
            "raking did not converge in {iterations} cycles: `{}` = `{}` is weighted to {:.6} % against a target of {:.6} %",
            settings.weights.rake[i].column, m.names[g], 100.0 * share, 100.0 * m.shares[g]
        ),
    )
    .hint(if settings.weights.cap.is_some() {
        "the cap may be too tight for these targets: raise `weights.cap` (or remove it), or merge small groups"
    } else {
        "raise `weights.max_iterations`, or merge small groups: margins whose groups never meet in the data (no respondent in both) cannot all be met"
    })
}

/// Scales weights to mean 1.
fn normalise(w: &mut [f64]) {
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    for wi in w.iter_mut() {
        *wi /= mean;
    }
}

fn report(
    w: &[f64],
    prepared: &[Prepared],
    settings: &RakeSettings,
    iterations: usize,
) -> Weighting {
    let n = w.len() as f64;
    let margins = prepared
        .iter()
        .zip(&settings.weights.rake)
        .map(|(m, margin)| {
            let weighted = weighted_shares(w, m);
            let mut members = vec![0u64; m.names.len()];
            for &t in &m.target_of {
                members[t] += 1;
            }
            MarginBalance {
                column: margin.column.clone(),
                groups: (0..m.names.len())
                    .map(|g| GroupBalance {
                        group: m.names[g].clone(),
                        sample_n: Some(members[g]),
                        sample_pct: Some(100.0 * members[g] as f64 / n),
                        target_pct: 100.0 * m.shares[g],
                        weighted_pct: Some(100.0 * weighted[g]),
                        suppressed: false,
                        reason: None,
                    })
                    .collect(),
            }
        })
        .collect();
    Weighting {
        margins,
        cap: settings.weights.cap,
        iterations,
        converged: true,
        ..summary(w)
    }
}

impl Weighting {
    /// The report with each margin's small groups hidden as a segment's groups are (the same
    /// sizes give the same hidden groups, so weights.csv and segments.csv cannot be set side
    /// by side to work one out): no count and no share of the sample, only the target.
    pub fn hide_small_groups(mut self, threshold: usize) -> Weighting {
        for margin in &mut self.margins {
            hide_in_margin(&mut margin.groups, threshold);
        }
        self
    }
}

fn hide_in_margin(groups: &mut [GroupBalance], threshold: usize) {
    // Segments protect their groups sorted by value; the same order breaks ties alike.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| groups[a].group.cmp(&groups[b].group));
    let sizes: Vec<u64> = order
        .iter()
        .map(|&g| groups[g].sample_n.unwrap_or(0))
        .collect();
    let reasons = protect(&Column::sizes(&sizes), &[], threshold);
    for (&g, reason) in order.iter().zip(reasons) {
        if let Some(reason) = reason {
            let group = &mut groups[g];
            group.sample_n = None;
            group.sample_pct = None;
            group.weighted_pct = None;
            group.suppressed = true;
            group.reason = Some(reason);
        }
    }
}

/// The weights' Kish figures, range and count (mean-1 weights); no margins.
pub fn summary(w: &[f64]) -> Weighting {
    let (sum, sum_sq) = w.iter().fold((0.0, 0.0), |(s, q), x| (s + x, q + x * x));
    let n = w.len() as f64;
    let mean = sum / n;
    let n_effective = sum * sum / sum_sq;
    Weighting {
        margins: Vec::new(),
        respondents: w.len() as u64,
        n_effective,
        design_effect: n / n_effective,
        efficiency: n_effective / n,
        min_weight: w.iter().copied().fold(f64::INFINITY, f64::min) / mean,
        max_weight: w.iter().copied().fold(0.0, f64::max) / mean,
        cap: None,
        iterations: 0,
        converged: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn weights(text: &str) -> Weights {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_balanced_sample_rakes_in_one_cycle_to_weights_by_hand() {
        // Role a, a, b, b and region x, y, x, y: regions 25/75 % need x × 0.5 and y × 1.5.
        let cfg = weights("[[rake]]\ncolumn = \"role\"\ntargets = { a = 1, b = 1 }\n[[rake]]\ncolumn = \"region\"\ntargets = { x = 0.25, y = 0.75 }\n");
        let settings = RakeSettings {
            survey_file: Path::new("survey.toml"),
            weights: &cfg,
        };
        let (roles, regions) = (names(&["a", "b"]), names(&["x", "y"]));
        let margins = [
            MarginData {
                groups: vec![0, 0, 1, 1],
                names: &roles,
            },
            MarginData {
                groups: vec![0, 1, 0, 1],
                names: &regions,
            },
        ];
        let raked = rake(&settings, &margins, &[]).unwrap();
        for (w, expected) in raked.weights.iter().zip([0.5, 1.5, 0.5, 1.5]) {
            assert!((w - expected).abs() < 1e-12, "{w}");
        }
        let r = &raked.report;
        // Σw = 4, Σw² = 5: Kish's n = 16 / 5, design effect 4 / 3.2.
        assert!((r.n_effective - 3.2).abs() < 1e-12);
        assert!((r.design_effect - 1.25).abs() < 1e-12);
        assert!((r.efficiency - 0.8).abs() < 1e-12);
        assert_eq!((r.min_weight, r.max_weight), (0.5, 1.5));
        assert_eq!(r.margins[1].groups[1].group, "y");
        assert!((r.margins[1].groups[1].weighted_pct.unwrap() - 75.0).abs() < 1e-9);
        assert_eq!(r.margins[1].groups[1].sample_pct, Some(50.0));
        assert!(r.converged && r.iterations <= 2);
    }

    #[test]
    fn the_cap_trims_then_rakes_again_until_both_hold() {
        // One respondent in x must carry 40 % of nine: weight 3.6 × the mean without a cap.
        let text = "[[rake]]\ncolumn = \"region\"\ntargets = { x = 0.4, y = 0.6 }\n";
        let groups = vec![0, 1, 1, 1, 1, 1, 1, 1, 1];
        let region = names(&["x", "y"]);
        let run = |cfg: &Weights| {
            let settings = RakeSettings {
                survey_file: Path::new("survey.toml"),
                weights: cfg,
            };
            let margins = [MarginData {
                groups: groups.clone(),
                names: &region,
            }];
            rake(&settings, &margins, &[])
        };
        let free = run(&weights(text)).unwrap();
        assert!((free.report.max_weight - 3.6).abs() < 1e-9);
        // A cap of 2 cannot give x its 40 %: refused, naming the cap.
        let capped = weights(&format!("cap = 2\nmax_iterations = 200\n{text}"));
        let e = run(&capped).err().unwrap().to_string();
        assert!(
            e.contains("did not converge in 200 cycles") && e.contains("weights.cap"),
            "{e}"
        );
        // A cap of 4 holds without trimming anyone.
        let loose = weights(&format!("cap = 4\n{text}"));
        assert_eq!(run(&loose).unwrap().weights, free.weights);
    }

    #[test]
    fn a_zero_base_weight_group_is_refused() {
        let cfg = weights("[[rake]]\ncolumn = \"region\"\ntargets = { x = 0.5, y = 0.5 }\n");
        let settings = RakeSettings {
            survey_file: Path::new("survey.toml"),
            weights: &cfg,
        };
        let region = names(&["x", "y"]);
        let margins = [MarginData {
            groups: vec![0, 1],
            names: &region,
        }];
        let e = rake(&settings, &margins, &[1.0, 0.0])
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("weights.rake[0].targets.y"), "{e}");
    }
}
