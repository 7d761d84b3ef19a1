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

/// One segment's groups as the themes stage needs them: how many respondents each value has
/// (every respondent of the wave, commenting or not, so group sizes are the true denominators)
/// and the value of each respondent who commented (by hashed key).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentGroups {
    /// The segment's name in the survey file (`segments[].name`).
    pub name: String,
    /// Respondents per group value, commenting or not.
    pub sizes: BTreeMap<String, u64>,
    /// Each commenter's group, by hashed respondent key: an index into `values`.
    pub of_commenter: HashMap<String, u32>,
    /// Group values in the order first seen; `of_commenter` holds indices into it.
    values: Vec<String>,
    index: HashMap<String, u32>,
}

impl SegmentGroups {
    /// A segment with no respondents counted yet.
    pub fn new(name: &str) -> Self {
        SegmentGroups {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Counts one respondent in `value`'s group and, if they commented, remembers their group.
    pub fn add(&mut self, value: &str, commenter: Option<&str>) {
        match self.sizes.get_mut(value) {
            Some(n) => *n += 1,
            None => {
                self.sizes.insert(value.to_string(), 1);
            }
        }
        if let Some(key) = commenter {
            let next = self.values.len() as u32;
            let id = *self.index.entry(value.to_string()).or_insert(next);
            if id == next {
                self.values.push(value.to_string());
            }
            self.of_commenter.insert(key.to_string(), id);
        }
    }

    fn value_of(&self, respondent: &str) -> Option<&str> {
        let id = *self.of_commenter.get(respondent)?;
        self.values.get(id as usize).map(String::as_str)
    }
}

/// Comments per theme in each group of each segment, suppressed as score's breakdowns are.
pub fn breakdown(
    report: &ThemeReport,
    segments: &[SegmentGroups],
    threshold: usize,
) -> Vec<ThemeBreakdown> {
    segments
        .iter()
        .map(|segment| {
            let sizes = &segment.sizes;
            let index: HashMap<&str, usize> = sizes
                .keys()
                .enumerate()
                .map(|(i, v)| (v.as_str(), i))
                .collect();
            let mut counts = vec![vec![0u64; report.themes.len()]; sizes.len()];
            for a in &report.assignments {
                let Some(g) = segment.value_of(&a.respondent).and_then(|v| index.get(v)) else {
                    continue;
                };
                for &t in &a.themes {
                    counts[*g][t - 1] += 1;
                }
            }
            let hidden = suppress(&sizes.values().copied().collect::<Vec<_>>(), threshold);
            ThemeBreakdown {
                name: segment.name.clone(),
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
