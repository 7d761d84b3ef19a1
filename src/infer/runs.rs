//! Questionnaires laid out one question per item: an inventory's items (the State-Trait Anxiety
//! Inventory's "I feel calm.", "I feel secure." …) asked as separate questions side by side,
//! each on the same ordered answer set. Each item alone may not show the scale (nobody chose
//! "1= Not at all" for "I feel calm."; an item answered only "Agree" and "Strongly agree"), so
//! a run of adjacent items is decided together, as a grid's rows are.

use super::{scales, ColumnInfo, Kind, Profile};
use crate::model::label_key;
use std::collections::BTreeSet;

/// A run needs this many items: two neighbours sharing two labels may be chance.
const MIN_RUN: usize = 3;

/// Labels an item must share with the run so far to join it: one shared label ("Yes") is
/// common to unrelated questions.
const MIN_SHARED: usize = 2;

/// Marks each run of adjacent choice or rating columns whose answers together are labels of one
/// ordered scale, each item sharing at least two labels with the others, as ratings on that
/// scale; a rating whose labels are part of it takes the whole scale.
pub(super) fn settle_runs(infos: &mut [ColumnInfo], profiles: &[Profile]) {
    let mut start = 0;
    while start < infos.len() {
        let (end, union) = run_from(infos, profiles, start);
        if end - start >= MIN_RUN {
            if let Some(scale) = scales::recognise(&union) {
                mark_run(infos, profiles, start..end, &scale);
            }
        }
        start = end.max(start + 1);
    }
}

/// The end (exclusive) of the run that starts at `start`, and its answers together.
fn run_from<'a>(
    infos: &[ColumnInfo],
    profiles: &[Profile<'a>],
    start: usize,
) -> (usize, BTreeSet<&'a str>) {
    let mut union: BTreeSet<&'a str> = BTreeSet::new();
    let mut end = start;
    while end < infos.len() && candidate(&infos[end], &profiles[end]) {
        let own = &profiles[end].unique;
        if end > start {
            let keys: BTreeSet<String> = union.iter().map(|v| label_key(v)).collect();
            let shared = own.iter().filter(|v| keys.contains(&label_key(v))).count();
            let mut grown = union.clone();
            grown.extend(own.iter().copied());
            if shared < MIN_SHARED || scales::recognise(&grown).is_none() {
                break;
            }
        }
        union.extend(own.iter().copied());
        end += 1;
    }
    (end, union)
}

/// A column that may be an item of a run: a choice or a rating, answered with at least two
/// different labels, not a number (numbers are decided by their own rules).
fn candidate(info: &ColumnInfo, profile: &Profile) -> bool {
    let kind = matches!(info.kind, Kind::SingleChoice | Kind::Likert);
    kind && profile.unique.len() >= MIN_SHARED && !profile.all_numbers()
}

fn mark_run(
    infos: &mut [ColumnInfo],
    profiles: &[Profile],
    run: std::ops::Range<usize>,
    scale: &scales::Recognised,
) {
    let items = run.len();
    for i in run {
        let info = &mut infos[i];
        if info.kind == Kind::Likert {
            // A rating that saw part of the run's scale is on all of it ("I feel upset." that
            // nobody answered 4 is still on 1–4); one on another scale keeps its own.
            if within(&info.labels, &scale.labels) {
                info.scale = Some(scale.name.clone());
                info.labels = scale.labels.clone();
                info.codes = scale.codes.clone();
            }
            continue;
        }
        info.rate(
            scale,
            format!(
                "one of {items} adjacent questions answered on one ordered scale ({} points): items of one inventory",
                scale.labels.len()
            ),
        );
        info.group_sizes = profiles[i].sizes();
    }
}

/// Whether every one of `labels` is one of `scale`'s (case and punctuation aside).
fn within(labels: &[String], scale: &[String]) -> bool {
    let keys: BTreeSet<String> = scale.iter().map(|l| label_key(l)).collect();
    !labels.is_empty() && labels.iter().all(|l| keys.contains(&label_key(l)))
}
