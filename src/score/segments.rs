//! Breakdowns of item and scale figures by segment (region, role, school …), with the
//! small-group suppression of `crate::suppression`.

use serde::{Deserialize, Serialize};

/// One group's figures for one breakdown. `None` where suppressed or where nobody answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// The group: the segment column's answer, or "(not answered)" for a blank.
    pub value: String,
    /// Hidden: fewer respondents than `suppress_below`, or hidden so a lone small group cannot be
    /// worked out from the total (see [`crate::suppression::suppress`]). No figure is shown, not
    /// even n.
    pub suppressed: bool,
    /// Respondents in the group (hidden when suppressed).
    pub n: Option<u64>,
    /// Per item, the group's figures.
    pub items: Vec<GroupItem>,
    /// Per scale, the group's figures.
    pub scales: Vec<GroupScale>,
}

/// One item's figures within one group: a row of segments.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupItem {
    /// The item's id.
    pub id: String,
    /// Hidden (too few in the group answered it, or to protect another cell): no figures.
    pub suppressed: bool,
    /// Substantive answers in the group; `null` when suppressed.
    pub n: Option<u64>,
    /// Kish's effective n of those answers, when the survey is weighted (and the cell shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_effective: Option<f64>,
    /// Per cent agreeing (0–100); `null` when suppressed or nobody answered.
    pub pct_agree: Option<f64>,
    /// Mean code; `null` when suppressed or nobody answered.
    pub mean: Option<f64>,
}

/// One scale's figures within one group: a row of segments.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScale {
    /// The scale's name.
    pub name: String,
    /// Hidden (too few in the group have a score, or to protect another cell): no figures.
    pub suppressed: bool,
    /// Respondents with a scale score; `null` when suppressed.
    pub n: Option<u64>,
    /// Mean scale score; `null` when suppressed or nobody has one.
    pub mean: Option<f64>,
}

/// Every item and scale by the groups of one segment: score.json's `segments` entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentBreakdown {
    /// The segment's name from the survey file.
    pub name: String,
    /// The export column grouped by.
    pub column: String,
    /// The groups, sorted by value; blank answers form the group "(not answered)".
    pub groups: Vec<GroupSummary>,
}

pub use crate::suppression::suppress;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_small_group_takes_the_next_smallest_with_it() {
        assert_eq!(suppress(&[30, 4, 12, 20], 10), [false, true, true, false]);
        assert_eq!(suppress(&[30, 4, 5, 20], 10), [false, true, true, false]);
        assert_eq!(suppress(&[30, 25], 10), [false, false]);
        // The only other group is hidden too, so neither can be derived from the total.
        assert_eq!(suppress(&[30, 4], 10), [true, true]);
    }

    #[test]
    fn no_hidden_count_is_the_total_minus_the_shown_ones() {
        // Exhaustive over small breakdowns: whenever something is hidden, at least two are.
        for a in 0..13u64 {
            for b in 0..13u64 {
                for c in 0..13u64 {
                    let h = suppress(&[a, b, c], 10);
                    let n = h.iter().filter(|&&x| x).count();
                    assert!(n != 1, "{a} {b} {c}: {h:?}");
                }
            }
        }
    }
}
