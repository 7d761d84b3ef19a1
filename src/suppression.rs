//! Disclosure control, shared by every breakdown canvass writes (segments, crosstabs, themes).
//!
//! A breakdown publishes, per group, a base and figures on it (a share agreeing or choosing an
//! option, a mean), beside the overall figures. Whatever is hidden can be worked out *together*:
//! the hidden groups' union has the total's base minus the shown ones, and so its share and
//! mean. So a column is protected when the union of its hidden cells
//! - holds at least two groups with people in them and at least `threshold` people (a union
//!   smaller than that is a small group whose figure is published), and
//! - is not all-or-nothing on any published share while the total is not: were every hidden
//!   person to agree (or none), each one's answer would be known.
//!
//! Primary suppression hides groups of 1 to `threshold − 1`. While a column is not protected,
//! the smallest shown group whose hiding protects it is hidden too (or, when no single one
//! does, the smallest, and the search goes on): the least that protects, never a large group
//! when a small one would do. A union of every group is the total, which is published anyway.
//! When the total itself is all-or-nothing (everyone agrees), no breakdown can hide that.

use serde::{Deserialize, Serialize};

/// Why a cell holds no figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Fewer people than the threshold.
    TooFew,
    /// Hidden beside a smaller hidden group, which could otherwise be worked out from the
    /// total and the shown groups.
    ProtectsSmaller,
    /// Hidden because otherwise the hidden groups together would all have answered alike (or
    /// none would have), which tells each one's answer.
    RevealsHidden,
}

impl Reason {
    /// The reason in the words of the CSVs' `suppressed_reason` column and the legends.
    pub fn describe(self, threshold: usize) -> String {
        match self {
            Reason::TooFew => format!("fewer than {threshold}"),
            Reason::ProtectsSmaller => "protects a smaller group".to_string(),
            Reason::RevealsHidden => "would reveal the answers of hidden groups".to_string(),
        }
    }

    /// The footnote mark tables print in place of a hidden figure.
    pub fn mark(self) -> &'static str {
        match self {
            Reason::TooFew => "·a",
            Reason::ProtectsSmaller => "·b",
            Reason::RevealsHidden => "·c",
        }
    }
}

/// Every reason with its mark, for a legend of hidden cells ("·a fewer than 10; …").
pub fn legend(threshold: usize) -> String {
    [
        Reason::TooFew,
        Reason::ProtectsSmaller,
        Reason::RevealsHidden,
    ]
    .map(|r| format!("{} {}", r.mark(), r.describe(threshold)))
    .join("; ")
}

/// A share a breakdown publishes per group: how many of each group's base have it.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// Per group, how many have it.
    pub counts: Vec<u64>,
    /// Whether "none of the hidden groups" discloses too (agreeing, ticking an option), or only
    /// "all of them" (one option of several, a theme mentioned).
    pub both_ends: bool,
}

/// A mean a breakdown publishes per group, with the lowest and highest value anyone gave: a
/// union whose mean is one of them gave that value to a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Mean {
    /// Per group, the sum of its values.
    pub sums: Vec<f64>,
    /// The lowest value anyone in the column gave.
    pub lowest: f64,
    /// The highest value anyone in the column gave.
    pub highest: f64,
}

/// One column of a breakdown: per group, the base of its figures and the figures on it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    /// Per group, people in the figure's base.
    pub bases: Vec<u64>,
    /// The shares published on the bases.
    pub shares: Vec<Share>,
    /// The means published on the bases.
    pub means: Vec<Mean>,
}

impl Column {
    /// A column that publishes only its groups' sizes.
    pub fn sizes(bases: &[u64]) -> Column {
        Column {
            bases: bases.to_vec(),
            ..Column::default()
        }
    }
}

/// Which cells of `column` to hide, and why: those `already` hidden (groups hidden as a
/// whole, with their reason), those with 1 to `threshold − 1` people, and the least more that
/// protects the column (see the module's notes).
pub fn protect(
    column: &Column,
    already: &[Option<Reason>],
    threshold: usize,
) -> Vec<Option<Reason>> {
    let bases = &column.bases;
    let mut reasons: Vec<Option<Reason>> = (0..bases.len())
        .map(|g| {
            already
                .get(g)
                .copied()
                .flatten()
                .or((bases[g] > 0 && (bases[g] as usize) < threshold).then_some(Reason::TooFew))
        })
        .collect();
    while let Some(need) = weakness(column, &reasons, threshold) {
        let mut candidates: Vec<usize> = (0..bases.len())
            .filter(|&g| reasons[g].is_none() && bases[g] > 0)
            .collect();
        candidates.sort_by_key(|&g| (bases[g], g));
        let protects = |c: usize| {
            let mut trial = reasons.clone();
            trial[c] = Some(need);
            weakness(column, &trial, threshold).is_none()
        };
        let Some(&first) = candidates.first() else {
            break;
        };
        let pick = candidates
            .iter()
            .copied()
            .find(|&c| protects(c))
            .unwrap_or(first);
        reasons[pick] = Some(need);
    }
    reasons
}

/// Whether the hidden union of a column can be worked out to a disclosure, and what hiding
/// more would be for.
fn weakness(column: &Column, reasons: &[Option<Reason>], threshold: usize) -> Option<Reason> {
    let bases = &column.bases;
    let hidden: Vec<usize> = (0..bases.len())
        .filter(|&g| reasons[g].is_some() && bases[g] > 0)
        .collect();
    let any_shown = (0..bases.len()).any(|g| reasons[g].is_none() && bases[g] > 0);
    if hidden.is_empty() || !any_shown {
        return None;
    }
    let union_n: u64 = hidden.iter().map(|&g| bases[g]).sum();
    if hidden.len() == 1 || (union_n as usize) < threshold {
        return Some(Reason::ProtectsSmaller);
    }
    let total_n: u64 = bases.iter().sum();
    let reveals_share = column.shares.iter().any(|s| {
        let union: u64 = hidden.iter().map(|&g| s.counts[g]).sum();
        let total: u64 = s.counts.iter().sum();
        let all = union == union_n && total != total_n;
        let none = s.both_ends && union == 0 && total != 0;
        all || none
    });
    let reveals_mean = column.means.iter().any(|m| {
        let union: f64 = hidden.iter().map(|&g| m.sums[g]).sum();
        let total: f64 = m.sums.iter().sum();
        let at = |sum: f64, n: u64, v: f64| (sum - n as f64 * v).abs() <= 1e-9 * (1.0 + sum.abs());
        [m.lowest, m.highest]
            .iter()
            .any(|&v| at(union, union_n, v) && !at(total, total_n, v))
    });
    (reveals_share || reveals_mean).then_some(Reason::RevealsHidden)
}

/// Which of these group sizes to hide: [`protect`] on sizes alone.
pub fn suppress(counts: &[u64], threshold: usize) -> Vec<bool> {
    protect(&Column::sizes(counts), &[], threshold)
        .iter()
        .map(Option::is_some)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(counts: &[u64]) -> Share {
        Share {
            counts: counts.to_vec(),
            both_ends: true,
        }
    }

    #[test]
    fn a_lone_small_group_takes_the_smallest_that_protects_it() {
        assert_eq!(suppress(&[30, 4, 12, 20], 10), [false, true, true, false]);
        assert_eq!(suppress(&[30, 25], 10), [false, false]);
        assert_eq!(suppress(&[30, 4], 10), [true, true]);
        // Two small groups of 9 people together are a group below the threshold.
        assert_eq!(suppress(&[3, 6, 40, 12], 10), [true, true, false, true]);
        // A union of everyone is the total, shown anyway: an empty group protects nobody.
        assert_eq!(suppress(&[0, 4, 0], 10), [false, true, false]);
    }

    #[test]
    fn the_reasons_say_which_rule_hid_a_cell() {
        let got = protect(&Column::sizes(&[30, 4, 12, 20]), &[], 10);
        assert_eq!(
            got,
            [
                None,
                Some(Reason::TooFew),
                Some(Reason::ProtectsSmaller),
                None
            ]
        );
    }

    /// Groups already hidden as a whole protect the column's small cell: nothing large is
    /// hidden for it (before, a group of 40 was).
    #[test]
    fn hidden_groups_count_as_protection_in_a_column() {
        let already = [
            None,
            Some(Reason::TooFew),
            Some(Reason::ProtectsSmaller),
            None,
        ];
        let got = protect(&Column::sizes(&[40, 5, 12, 8]), &already, 10);
        assert_eq!(got, [None, already[1], already[2], Some(Reason::TooFew)]);
    }

    /// 9 hidden and agreeing: 12 and 20 all agree too, so hiding either would leave a union
    /// whose answers are known; 25 (mixed) is the smallest that protects.
    #[test]
    fn a_lone_small_group_takes_the_smallest_group_that_leaves_the_union_mixed() {
        let column = Column {
            bases: vec![9, 12, 20, 25, 30],
            shares: vec![share(&[9, 12, 20, 10, 15])],
            means: vec![],
        };
        let got = protect(&column, &[], 10);
        assert_eq!(
            got,
            [
                Some(Reason::TooFew),
                None,
                None,
                Some(Reason::ProtectsSmaller),
                None
            ]
        );
    }

    /// 9 + 12 hidden as whole groups, all agreeing, while the total does not: the smallest
    /// group that breaks the unanimity is hidden too, and no smaller one that would not.
    #[test]
    fn an_all_agreeing_union_is_broken_by_the_smallest_mixed_group() {
        let column = Column {
            bases: vec![9, 12, 20, 25, 30],
            shares: vec![share(&[9, 12, 20, 10, 15])],
            means: vec![],
        };
        let already = [
            Some(Reason::TooFew),
            Some(Reason::ProtectsSmaller),
            None,
            None,
            None,
        ];
        let got = protect(&column, &already, 10);
        assert_eq!(got[..3], already[..3]);
        assert_eq!(got[3], Some(Reason::RevealsHidden));
        assert_eq!(got[4], None);
    }

    #[test]
    fn a_unanimous_total_cannot_be_hidden_and_hides_nothing_more() {
        let column = Column {
            bases: vec![9, 12, 20],
            shares: vec![share(&[9, 12, 20])],
            means: vec![],
        };
        let got = protect(&column, &[], 10);
        assert_eq!(got.iter().filter(|r| r.is_some()).count(), 2);
    }

    #[test]
    fn a_union_at_the_lowest_mean_reveals_too() {
        let column = Column {
            bases: vec![4, 8, 20],
            shares: vec![],
            means: vec![Mean {
                sums: vec![4.0, 8.0, 50.0],
                lowest: 1.0,
                highest: 5.0,
            }],
        };
        assert!(protect(&column, &[], 10).iter().all(Option::is_some));
    }

    /// Exhaustive over small columns with a share: after protection, the hidden union is
    /// everyone, or at least two groups and the threshold, and not unanimous unless the total
    /// is.
    #[test]
    fn no_hidden_union_is_small_or_unanimous() {
        let t = 5;
        for a in 0..7u64 {
            for b in 0..7u64 {
                for c in 0..7u64 {
                    let bases = [a, b, c, 6];
                    let agree = [a / 2, b, c.min(1), 3];
                    let column = Column {
                        bases: bases.to_vec(),
                        shares: vec![share(&agree)],
                        means: vec![],
                    };
                    let got = protect(&column, &[], t);
                    let hidden: Vec<usize> = (0..4)
                        .filter(|&g| got[g].is_some() && bases[g] > 0)
                        .collect();
                    let shown = (0..4).any(|g| got[g].is_none() && bases[g] > 0);
                    if hidden.is_empty() || !shown {
                        continue;
                    }
                    let n: u64 = hidden.iter().map(|&g| bases[g]).sum();
                    let x: u64 = hidden.iter().map(|&g| agree[g]).sum();
                    assert!(hidden.len() >= 2 && n >= t as u64, "{bases:?}: {got:?}");
                    assert!(x != 0 && x != n, "{bases:?} {agree:?}: {got:?}");
                }
            }
        }
    }
}
