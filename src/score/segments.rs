//! Breakdowns of item and scale figures by segment (region, role, school …), with the
//! small-group suppression of `crate::suppression`.

use serde::{Deserialize, Serialize};

/// One group's figures for one breakdown. `None` where suppressed or where nobody answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub value: String,
    pub suppressed: bool,
    /// Respondents in the group (hidden when suppressed).
    pub n: Option<u64>,
    pub items: Vec<GroupItem>,
    pub scales: Vec<GroupScale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupItem {
    pub id: String,
    pub suppressed: bool,
    pub n: Option<u64>,
    pub pct_agree: Option<f64>,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScale {
    pub name: String,
    pub suppressed: bool,
    pub n: Option<u64>,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentBreakdown {
    pub name: String,
    pub column: String,
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
