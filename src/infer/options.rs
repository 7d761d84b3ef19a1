//! Check-all questions as ODK, KoboToolbox and SurveyCTO export them: the question's own column
//! holds the options chosen joined by spaces (`reason` = "employment safety"), and one column per
//! option follows, named by the question and the option (`reason/employment`,
//! `profile.reason.safety`), holding 1/0 or True/False. Each option column alone looks like a
//! yes/no question; seen beside the question's column they are its options.

use super::{ColumnInfo, Kind, Profile};
use crate::ingest::GridRow;
use std::collections::{BTreeMap, BTreeSet};

/// How an option column says ticked or not.
const TICK_VALUES: [&str; 8] = ["0", "1", "0.0", "1.0", "true", "false", "yes", "no"];

/// Marks the option columns of each check-all question, and the question's own column, as
/// multi-select. An option column is one whose name is another column's name, a `/` or `.`,
/// and a last part, holding only ticks.
pub(super) fn settle_option_columns(
    infos: &mut [ColumnInfo],
    profiles: &[Profile],
    rows: &[GridRow],
) {
    let position: BTreeMap<&str, usize> = infos
        .iter()
        .enumerate()
        .map(|(i, info)| (info.name.as_str(), i))
        .collect();
    let underscored = underscored_parents(infos, profiles, rows);
    let mut options: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        let by_separator = parents(&info.name).find_map(|p| position.get(p).copied());
        let Some(question) = by_separator.or(underscored[i]) else {
            continue;
        };
        // A column nobody answered may be an option nobody ticked.
        let ticks = profiles[i].answered == 0 || holds_ticks(&profiles[i]);
        let answers = matches!(
            info.kind,
            Kind::SingleChoice | Kind::MultiSelect | Kind::Numeric | Kind::Empty | Kind::Likert
        );
        if ticks && answers {
            options.entry(question).or_default().push(i);
        }
    }
    settle_split_without_question(infos, profiles, &options);
    settle_other_boxes(infos);
    for (question, members) in options {
        let parent_answers = !matches!(
            infos[question].kind,
            Kind::Identifier | Kind::Metadata | Kind::Date
        ) || names_only_options(infos, profiles, question, &members);
        if !parent_answers {
            continue;
        }
        let name = infos[question].name.clone();
        infos[question].set(
            Kind::MultiSelect,
            format!(
                "the options chosen, joined by spaces: {} option columns `{name}/…` follow",
                members.len()
            ),
        );
        for i in members {
            mark_option(
                &mut infos[i],
                format!("an option of check-all question `{name}`: ticked or not"),
            );
        }
    }
}

/// Whether every answer of a question's own column is its options' names joined by spaces
/// (`3 16 56`, the options `q37/3`, `q37/16`, `q37/56`): then it is the question whatever its
/// values looked like alone (numbered options joined by spaces look like phone numbers).
fn names_only_options(
    infos: &[ColumnInfo],
    profiles: &[Profile],
    question: usize,
    members: &[usize],
) -> bool {
    let options = members.iter().map(|&i| infos[i].name.as_str());
    let values: Vec<&str> = profiles[question].unique.iter().copied().collect();
    joins_its_options(&infos[question].name, &values, options)
}

/// Whether `values` (distinct, at least one) are each the names of options of question `name`
/// joined by spaces, the options being the columns `name/option` (or `name.option`) among
/// `columns`.
pub(crate) fn joins_its_options<'a>(
    name: &str,
    values: &[&str],
    columns: impl Iterator<Item = &'a str>,
) -> bool {
    let options: BTreeSet<&str> = columns
        .filter_map(|c| c.strip_prefix(name))
        .filter_map(|rest| rest.strip_prefix(['/', '.']))
        .collect();
    !values.is_empty()
        && values
            .iter()
            .all(|v| v.split_whitespace().all(|o| options.contains(o)))
}

/// Marks `info` an option's column of a check-all question: ticked or not, so whatever scale,
/// labels or grid its ticks alone suggested go.
fn mark_option(info: &mut ColumnInfo, reason: String) {
    info.set(Kind::MultiSelect, reason);
    info.scale = None;
    info.labels.clear();
    info.matrix = None;
}

/// Ona's and KoboToolbox's exports with select-multiple questions split and the question's own
/// column left out: only `group/question/option` columns holding `True`/`False`. A single
/// choice never exports True/False (its answers are its choices' names), so such a column
/// beneath a path no column is named by is an option of a check-all question.
fn settle_split_without_question(
    infos: &mut [ColumnInfo],
    profiles: &[Profile],
    settled: &BTreeMap<usize, Vec<usize>>,
) {
    let taken: BTreeSet<usize> = settled.values().flatten().copied().collect();
    let named: BTreeSet<&str> = infos.iter().map(|info| info.name.as_str()).collect();
    let mut families: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        let Some((question, option)) = info.name.rsplit_once('/') else {
            continue;
        };
        // Ona writes "n/a" where the question was not shown.
        let ticks = |v: &&str| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false");
        let unique = &profiles[i].unique;
        let true_or_false = unique.iter().any(ticks)
            && unique
                .iter()
                .all(|v| ticks(v) || super::scales::is_non_substantive(v));
        let answers = matches!(
            info.kind,
            Kind::SingleChoice | Kind::MultiSelect | Kind::Empty | Kind::Likert
        );
        if true_or_false
            && answers
            && !question.is_empty()
            && !option.is_empty()
            && !named.contains(question)
            && !taken.contains(&i)
        {
            families.entry(question.to_string()).or_default().push(i);
        }
    }
    for (question, members) in families {
        let n = members.len();
        for i in members {
            mark_option(
                &mut infos[i],
                format!(
                    "an option of check-all question `{question}` ({n} option columns of True/False, the question's own column not exported)"
                ),
            );
        }
    }
}

/// XLSForm's convention for an "Other" answer's text box: `question_other` (or
/// `question_other_specify`), written beside `question` or beside its option columns
/// `question/…`. Enumerators and respondents type in it; the same few words recur ("Muster
/// roll"), so alone it reads as a choice.
fn settle_other_boxes(infos: &mut [ColumnInfo]) {
    let named: BTreeSet<String> = infos.iter().map(|info| info.name.clone()).collect();
    let split: BTreeSet<String> = infos
        .iter()
        .filter(|info| info.kind == Kind::MultiSelect)
        .filter_map(|info| info.name.rsplit_once('/').map(|(q, _)| q.to_string()))
        .collect();
    for info in infos.iter_mut() {
        let Some(question) = other_box_of(&info.name) else {
            continue;
        };
        let beside = named.contains(question) || split.contains(question);
        if beside && info.kind == Kind::SingleChoice {
            let question = question.rsplit('/').next().unwrap_or(question);
            info.set(
                Kind::FreeText,
                format!("the text box of question `{question}`'s \"Other\" answer (XLSForm's `…_other`): typed, however often answers recur"),
            );
        }
    }
}

/// The question an XLSForm "Other" text box (`question_other`, `question_other_specify`)
/// belongs to, by its name.
pub(super) fn other_box_of(name: &str) -> Option<&str> {
    ["_other", "_other_specify"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .filter(|q| !q.is_empty())
}

/// `reason` of `reason/employment` and `profile.reason.safety`'s `profile.reason`, longest
/// first: every part before a `/` or `.` with something after it, as an option's label may hold
/// one too (KoboToolbox's "channels?/NGO staff members/volunteers").
fn parents(name: &str) -> impl Iterator<Item = &str> {
    name.rmatch_indices(['/', '.'])
        .filter(move |&(at, _)| at > 0 && at + 1 < name.len())
        .map(move |(at, _)| &name[..at])
}

/// SurveyCTO's wide export names an option's column `question_choice` (`income_sources_maize`;
/// a negative code's `question__99`): the question is the longest leading part, cut at a `_`,
/// that is another column's name. Names are full of `_`, and a follow-up numbered after its
/// question (`Q36_1`, a yes/no asked after `Q36`) looks the same, so the ticks must agree with
/// the question's answers row by row: an option's column is ticked on the rows whose answer
/// names its choice (`bananas maize` names `maize`), bar one row in fifty. A question with one
/// such option column ticked is a check-all question, and then the choices nobody picked
/// (`income_sources_other`, all 0) are its options too; a column nobody answered is evidence
/// of nothing.
fn underscored_parents(
    infos: &[ColumnInfo],
    profiles: &[Profile],
    rows: &[GridRow],
) -> Vec<Option<usize>> {
    let position: BTreeMap<&str, usize> = infos
        .iter()
        .enumerate()
        .map(|(i, info)| (info.name.as_str(), i))
        .collect();
    let cuts = |name: &str| -> Vec<(usize, String)> {
        let mut found: Vec<(usize, String)> = name
            .match_indices('_')
            .filter_map(|(at, _)| {
                let q = *position.get(&name[..at])?;
                Some((q, name[at + 1..].to_string()))
            })
            .filter(|(_, choice)| !choice.is_empty())
            .collect();
        found.reverse();
        found
    };
    // Per column of ticks, each cut whose ticks agree with the question's answers, and whether
    // anybody ticked it.
    let agreeing: Vec<Vec<(usize, bool)>> = (profiles.iter().zip(infos).enumerate())
        .map(|(i, (p, info))| {
            if !holds_ticks(p) {
                return Vec::new();
            }
            cuts(&info.name)
                .into_iter()
                .filter_map(|(q, choice)| {
                    let ticked = agreement(rows, (i, q), &choice)?;
                    Some((q, ticked))
                })
                .collect()
        })
        .collect();
    let named: BTreeSet<usize> = agreeing
        .iter()
        .flatten()
        .filter(|(_, any)| *any)
        .map(|(q, _)| *q)
        .collect();
    agreeing
        .iter()
        .map(|cuts| cuts.iter().map(|(q, _)| *q).find(|q| named.contains(q)))
        .collect()
}

/// Whether a column holds ticks only (1/0, true/false, yes/no), and some.
fn holds_ticks(p: &Profile) -> bool {
    p.answered > 0
        && p.counts
            .keys()
            .all(|v| TICK_VALUES.contains(&v.to_ascii_lowercase().as_str()))
}

/// Whether column `option`'s ticks agree, row by row, with whether column `question`'s answer
/// names `choice` (`_99` names `-99`, SurveyCTO's negative codes): `Some(anybody ticked)` when
/// they agree on all rows where both were answered but one in fifty, `None` when they do not
/// or no row has both.
fn agreement(rows: &[GridRow], (option, question): (usize, usize), choice: &str) -> Option<bool> {
    let negative = choice.strip_prefix('_').map(|code| format!("-{code}"));
    let (mut compared, mut mismatched, mut ticked) = (0usize, 0usize, false);
    for row in rows {
        let (Some(tick), Some(answer)) = (row.cells.get(option), row.cells.get(question)) else {
            continue;
        };
        let (tick, answer) = (tick.trim(), answer.trim());
        if tick.is_empty() || answer.is_empty() {
            continue;
        }
        let is_ticked = matches!(
            tick.to_ascii_lowercase().as_str(),
            "1" | "1.0" | "true" | "yes"
        );
        let names = answer
            .split_whitespace()
            .any(|token| token == choice || negative.as_deref() == Some(token));
        compared += 1;
        ticked |= is_ticked;
        mismatched += usize::from(is_ticked != names);
    }
    (compared > 0 && mismatched <= compared / 50).then_some(ticked)
}

#[cfg(test)]
mod tests {
    use super::parents;

    #[test]
    fn an_option_column_names_its_question() {
        let all = |name| parents(name).collect::<Vec<_>>();
        assert_eq!(all("reason/employment"), ["reason"]);
        assert_eq!(all("profile.reason.safety"), ["profile.reason", "profile"]);
        assert!(all("reason").is_empty());
        assert!(all("reason/").is_empty());
        // An option's label with a slash of its own: the question is a shorter part.
        assert_eq!(
            all("Channels?/NGO staff members/volunteers"),
            ["Channels?/NGO staff members", "Channels?"]
        );
    }
}
