//! A list of people written one column per person: a household's members by name, `p1` …
//! `p20`, of which the first few are answered by most and the last by a handful. The full
//! columns read as names; the sparse ones, a name or two each, read as a choice or as
//! comments, and would put someone's name in a report. They are entries of the same list.

use super::{ColumnInfo, Kind, Profile};
use std::collections::BTreeMap;

/// Columns of a numbered family at least this many, and as many of them read as names, before
/// the rest are taken for further entries.
const LEAST_NAMED: usize = 3;
/// Columns a numbered family has at least to be a list (a household's members), not the first
/// questions of a questionnaire numbered `Q1` ….
const LEAST_MEMBERS: usize = 6;

/// Marks the sparse members of a numbered family whose fuller members identify people.
pub(super) fn settle_rosters(infos: &mut [ColumnInfo], profiles: &[Profile]) {
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        if let Some(stem) = super::battery::stem(&info.name) {
            families.entry(stem).or_default().push(i);
        }
    }
    let mut marks = Vec::new();
    for (stem, members) in families {
        let named: Vec<usize> = (members.iter().copied())
            .filter(|&i| infos[i].kind == Kind::Identifier)
            .collect();
        let others: Vec<usize> = (members.iter().copied())
            .filter(|&i| infos[i].kind != Kind::Identifier && profiles[i].answered > 0)
            .collect();
        // Entries of a list of people are a few words each, read as a choice or a comment: a
        // rating, a number or a sentence after a name, an e-mail and a phone is a question.
        let entry = |i: &usize| {
            matches!(infos[*i].kind, Kind::SingleChoice | Kind::FreeText)
                && profiles[*i]
                    .unique
                    .iter()
                    .all(|v| v.split_whitespace().count() <= 4)
        };
        // The named entries are the list's fuller ones: every other is answered by fewer than
        // each, and by at most half as many as the fullest (a question asked after a name,
        // an e-mail and a phone number is answered by about as many as they are).
        let fewest_named = named.iter().map(|&i| profiles[i].answered).min();
        let most = members
            .iter()
            .map(|&i| profiles[i].answered)
            .max()
            .unwrap_or(0);
        let sparse = |i: &usize| {
            let n = profiles[*i].answered;
            fewest_named.is_some_and(|least| n < least) && n * 2 <= most
        };
        let list = named.len() >= LEAST_NAMED && members.len() >= LEAST_MEMBERS;
        if list && named.len() > others.len() && others.iter().all(|i| sparse(i) && entry(i)) {
            let first = &infos[named[0]].name;
            for i in others {
                marks.push((i, format!("a later entry of the list `{first}` … (`{stem}` numbered), whose fuller entries identify people: names, ids or contact details")));
            }
        }
    }
    for (i, reason) in marks {
        let info = &mut infos[i];
        info.scale = None;
        info.labels.clear();
        info.set(Kind::Identifier, reason);
    }
}
