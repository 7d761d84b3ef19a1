//! Breakdowns of item and scale figures by segment (region, role, school …), with the
//! small-group suppression of `crate::suppression`.

use crate::suppression::Reason;
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
    /// Why the group is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
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
    /// Why the cell is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
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
    /// Why the cell is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
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
