//! Researchers' numeric batteries: plain data files (no tool, no question texts) that name a
//! questionnaire's items by a shared stem and a number (`A1` … `A5`, `item_1` … `item_10`),
//! each coded in the same few whole numbers. Such a family is a rating battery on its observed
//! range, as psych's `bfi` is (25 items on 1–6), not 25 unrelated choice questions.

use super::{rating_range, ColumnInfo, Kind, Profile};
use crate::model::Format;
use std::collections::{BTreeMap, BTreeSet};

/// A family needs this many members: two numbered columns are as often "score1, score2".
const MIN_FAMILY: usize = 3;

/// Marks each family of numbered columns coded in the same small whole numbers as one rating
/// battery (`matrix` = the stem, so that `init` drafts its scale). Only for files no survey tool
/// wrote, and only for columns without a question text of their own: a tool's `Q1` … `Q5` are
/// different questions, whose texts say so.
pub(super) fn settle_batteries(infos: &mut [ColumnInfo], profiles: &[Profile], format: Format) {
    if format != Format::Generic {
        return;
    }
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        let bare = info.question.is_empty() || info.question == info.name;
        let coded = matches!(info.kind, Kind::Numeric | Kind::SingleChoice);
        if let (Some(stem), true, true) = (stem(&info.name), bare, coded) {
            families.entry(stem).or_default().push(i);
        }
    }
    let families: Vec<(String, Vec<usize>)> = families
        .into_iter()
        .filter(|(_, members)| members.len() >= MIN_FAMILY)
        .map(|(stem, members)| (stem.to_string(), members))
        .collect();
    for (stem, members) in families {
        let union: BTreeSet<&str> = members
            .iter()
            .flat_map(|&i| profiles[i].unique.iter().copied())
            .collect();
        let values: Vec<&str> = union.iter().copied().collect();
        let Some((lo, hi, negative)) = rating_range(&values, false) else {
            continue;
        };
        for &i in &members {
            let info = &mut infos[i];
            info.set(
                Kind::Likert,
                format!(
                    "one of {} columns `{stem}1` … numbered alike and coded in whole numbers {lo}–{hi}: a rating battery",
                    members.len()
                ),
            );
            info.scale = Some(format!("numeric-{lo}-{hi}"));
            info.labels = (lo..=hi).map(|v| v.to_string()).collect();
            info.not_applicable = negative.iter().map(|v| v.to_string()).collect();
            info.group_sizes = profiles[i].sizes();
            info.matrix = Some(stem.clone());
        }
    }
}

/// `A` of `A1`, `item_` of `item_12`: the name without its trailing number, when what is left
/// ends in letters or a separator (not `2024` of `2024`).
pub(super) fn stem(name: &str) -> Option<&str> {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let numbered = stem.len() < name.len() && name.len() - stem.len() <= 3;
    let named = stem
        .trim_end_matches(['_', '.', '-'])
        .chars()
        .last()
        .is_some_and(char::is_alphabetic);
    (numbered && named).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn a_stem_is_letters_before_a_short_number() {
        assert_eq!(stem("A1"), Some("A"));
        assert_eq!(stem("item_12"), Some("item_"));
        assert_eq!(stem("2024"), None);
        assert_eq!(stem("age"), None);
        assert_eq!(stem("id12345"), None);
    }
}
