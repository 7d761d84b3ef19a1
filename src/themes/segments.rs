//! Themes by segment: how many comments of each group fall in each theme, with the same
//! disclosure control as the score breakdowns (`crate::suppression`): a group smaller than the
//! threshold, and the least more that keeps the hidden groups together from being worked out,
//! show no figures. Only "every hidden person wrote about a theme" discloses: not mentioning one
//! is no answer.

use super::ThemeReport;
use crate::suppression::{protect, Column, Reason, Share};
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
    /// Why the group is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
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
    /// Groups smaller than this were hidden (for the reasons' words).
    #[serde(default)]
    pub suppress_below: usize,
}

/// One segment's groups as the themes stage needs them: how many respondents each value has
/// (every respondent of the wave, commenting or not, so group sizes are the true denominators)
/// and the group of each comment. Values are numbered as first seen, so a million respondents
/// cost a number each, not a copy of their key or value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentGroups {
    /// The segment's name in the survey file (`segments[].name`).
    pub name: String,
    /// Group values by number, in the order first seen.
    values: Vec<String>,
    index: HashMap<String, u32>,
    /// Respondents per group number, commenting or not.
    respondents: Vec<u64>,
    /// Per comment (in the gathering's order), its group number.
    of_comment: Vec<u32>,
}

impl SegmentGroups {
    /// A segment with no respondents counted yet.
    pub fn new(name: &str) -> Self {
        SegmentGroups {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Counts one respondent in `value`'s group and, if they commented, notes the comment's
    /// group (comments are added in the order they are gathered).
    pub fn add(&mut self, value: &str, commented: bool) {
        let id = match self.index.get(value) {
            Some(&id) => id,
            None => {
                let id = self.values.len() as u32;
                self.values.push(value.to_string());
                self.index.insert(value.to_string(), id);
                self.respondents.push(0);
                id
            }
        };
        self.respondents[id as usize] += 1;
        if commented {
            self.of_comment.push(id);
        }
    }

    /// Respondents per group value, in value order.
    pub fn sizes(&self) -> BTreeMap<&str, u64> {
        self.values
            .iter()
            .map(String::as_str)
            .zip(self.respondents.iter().copied())
            .collect()
    }
}

/// Comments per theme in each group of each segment, suppressed as score's breakdowns are.
/// Assignment `i` is the comment `segments` numbered `i` (`WaveComments::push` gathers no blank
/// answer, which the themes stage would skip).
pub fn breakdown(
    report: &ThemeReport,
    segments: &[SegmentGroups],
    threshold: usize,
) -> Vec<ThemeBreakdown> {
    segments
        .iter()
        .map(|segment| {
            let sizes = segment.sizes();
            // A group number's place in value order.
            let place: HashMap<&str, usize> =
                sizes.keys().enumerate().map(|(i, v)| (*v, i)).collect();
            let group_place: Vec<usize> =
                segment.values.iter().map(|v| place[v.as_str()]).collect();
            let mut counts = vec![vec![0u64; report.themes.len()]; sizes.len()];
            for (a, &group) in report.assignments.iter().zip(&segment.of_comment) {
                let g = group_place[group as usize];
                for &t in &a.themes {
                    counts[g][t - 1] += 1;
                }
            }
            let column = Column {
                bases: sizes.values().copied().collect(),
                shares: (0..report.themes.len())
                    .map(|t| Share {
                        counts: counts.iter().map(|by_theme| by_theme[t]).collect(),
                        both_ends: false,
                    })
                    .collect(),
                means: Vec::new(),
            };
            let reasons = protect(&column, &[], threshold);
            ThemeBreakdown {
                name: segment.name.clone(),
                suppress_below: threshold,
                groups: sizes
                    .iter()
                    .enumerate()
                    .map(|(g, (value, &n))| ThemeGroup {
                        value: value.to_string(),
                        suppressed: reasons[g].is_some(),
                        reason: reasons[g],
                        respondents: reasons[g].is_none().then_some(n),
                        comments: counts[g]
                            .iter()
                            .map(|&c| reasons[g].is_none().then_some(c))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}
