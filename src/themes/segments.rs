//! Themes by segment: how many comments of each group fall in each theme, with the same
//! small-group suppression as the score breakdowns (a group smaller than the threshold, and the
//! next-smallest when only one would be hidden, shows no figures).

use super::ThemeReport;
use crate::suppression::suppress;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One group's comments per theme: rows of themes_by_segment.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeGroup {
    /// The group: the segment column's answer.
    pub value: String,
    /// Hidden because the group is small (or to protect another small group): no figure, not even
    /// its size.
    pub suppressed: bool,
    /// Respondents in the group (hidden when suppressed).
    pub respondents: Option<u64>,
    /// Comments per theme, in theme order (hidden when suppressed).
    pub comments: Vec<Option<u64>>,
}

/// Comments per theme by the groups of one segment: an entry of themes.json's `segments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeBreakdown {
    /// The segment's name from the survey file.
    pub name: String,
    /// The groups, each with its comments per theme.
    pub groups: Vec<ThemeGroup>,
}

/// `groups[s]` maps each respondent key to its value of segment `s` (every respondent of the
/// wave, commenting or not, so group sizes are the true denominators).
pub fn breakdown(
    report: &ThemeReport,
    names: &[String],
    groups: &[HashMap<String, String>],
    threshold: usize,
) -> Vec<ThemeBreakdown> {
    names
        .iter()
        .zip(groups)
        .map(|(name, members)| {
            let mut sizes: BTreeMap<&str, u64> = BTreeMap::new();
            for v in members.values() {
                *sizes.entry(v.as_str()).or_insert(0) += 1;
            }
            let index: HashMap<&str, usize> =
                sizes.keys().enumerate().map(|(i, v)| (*v, i)).collect();
            let mut counts = vec![vec![0u64; report.themes.len()]; sizes.len()];
            for a in &report.assignments {
                let Some(g) = members
                    .get(&a.respondent)
                    .and_then(|v| index.get(v.as_str()))
                else {
                    continue;
                };
                for &t in &a.themes {
                    counts[*g][t - 1] += 1;
                }
            }
            let hidden = suppress(&sizes.values().copied().collect::<Vec<_>>(), threshold);
            ThemeBreakdown {
                name: name.clone(),
                groups: sizes
                    .iter()
                    .enumerate()
                    .map(|(g, (value, &n))| ThemeGroup {
                        value: value.to_string(),
                        suppressed: hidden[g],
                        respondents: (!hidden[g]).then_some(n),
                        comments: counts[g]
                            .iter()
                            .map(|&c| (!hidden[g]).then_some(c))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}
