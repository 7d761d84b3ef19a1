//! Breakdowns by segment (region, role, school …) with small-group suppression.
//!
//! Primary suppression hides any group smaller than the threshold. Secondary suppression then
//! hides the next-smallest group whenever exactly one group in a breakdown is hidden, because a
//! single hidden count is the total minus the shown ones.

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

/// Which of these cell counts to hide: those below `threshold`, plus the smallest remaining one
/// when exactly one would otherwise be hidden (an empty cell only if no other is left, since a
/// hidden 0 protects as well as any). Empty cells are not hidden for their own sake.
pub fn suppress(counts: &[u64], threshold: usize) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts
        .iter()
        .map(|&n| n > 0 && (n as usize) < threshold)
        .collect();
    if hidden.iter().filter(|&&h| h).count() == 1 {
        let next = (0..counts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (counts[i] == 0, counts[i], i));
        if let Some(i) = next {
            hidden[i] = true;
        }
    }
    hidden
}

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
