//! A matrix's rows decided together: one kind and one scale for all its rows, with a stray
//! answer left out rather than deciding the grid, and option columns read as ticks.

use super::*;

/// The rows of a matrix share one kind and one scale: a row that never used the middle option,
/// whose answers happen to be two numbers, or that nobody answered, reads as its siblings do.
pub(super) fn settle_matrices(infos: &mut [ColumnInfo], profiles: &[Profile], format: Format) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let subquestions: BTreeSet<&str> = infos.iter().map(|info| info.name.as_str()).collect();
    for (i, info) in infos.iter().enumerate() {
        let answers = matches!(
            info.kind,
            Kind::Likert
                | Kind::SingleChoice
                | Kind::Numeric
                | Kind::FreeText
                | Kind::MultiSelect
                | Kind::Empty
        );
        // The box for what an "Other" answer was ("Veuillez préciser") belongs to the question
        // but holds typed words: they are not the grid's answers.
        let other_box = info.kind == Kind::FreeText
            && (is_other_option(label_columns::without_occurrence(&info.name))
                || comments_on(&info.name)
                    .is_some_and(|option| subquestions.contains(option.as_str())));
        if let (Some(m), true) = (&info.matrix, answers && !other_box) {
            groups.entry(m.clone()).or_default().push(i);
        }
    }
    for (matrix, rows) in groups.into_iter().filter(|(_, rows)| rows.len() >= 2) {
        let union: BTreeSet<&str> = rows
            .iter()
            .flat_map(|&i| profiles[i].unique.iter().copied())
            .collect();
        if union.is_empty() {
            continue;
        }
        let one_code_each = format == Format::Qualtrics
            && rows.iter().all(|&i| {
                profiles[i]
                    .unique
                    .iter()
                    .filter(|v| **v != QUALTRICS_SEEN_UNANSWERED)
                    .count()
                    <= 1
            });
        let option_rows: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| !option_of(&infos[i]).is_some_and(is_other_option))
            .collect();
        if chosen_in_order(infos, profiles, &rows) {
            for &i in &rows {
                infos[i].set(
                    Kind::MultiSelect,
                    format!("an answer of multiple-answer question `{matrix}`: SurveyToGo writes the code of each option chosen in a column of its own (`_O1`, `_O2` …), -1 where fewer were chosen"),
                );
                infos[i].spread = Some(Spread::ChosenInOrder);
            }
            continue;
        }
        if option_rows.len() >= 2 && holds_own_label(infos, profiles, &option_rows) {
            for &i in &rows {
                if option_rows.contains(&i) {
                    infos[i].set(
                        Kind::MultiSelect,
                        format!("an option of check-all question `{matrix}`: the option's label when ticked, blank when not"),
                    );
                } else if infos[i].kind != Kind::Empty {
                    infos[i].set(
                        Kind::FreeText,
                        format!("the \"Other\" box of check-all question `{matrix}`: what respondents typed"),
                    );
                }
            }
            continue;
        }
        if is_option_ticks(&union, format) || one_code_each {
            let ticks: Vec<&str> = union.iter().copied().collect();
            for &i in &rows {
                infos[i].set(
                    Kind::MultiSelect,
                    format!(
                        "an option of multiple-choice question `{matrix}`: one column per option, answered {}",
                        ticks.join("/")
                    ),
                );
            }
            continue;
        }
        if let Some((lo, hi)) = shared_numeric_range(infos, &rows) {
            for &i in &rows {
                infos[i].scale = Some(format!("numeric-{lo}-{hi}"));
                infos[i].labels = (lo..=hi).map(|v| v.to_string()).collect();
            }
            continue;
        }
        let (shared, how, strays) = match shared_scale(&union, format) {
            Some((shared, how)) => (shared, how, Vec::new()),
            None => {
                let Some((common, strays)) = without_strays(profiles, &rows) else {
                    continue;
                };
                let Some((shared, how)) = shared_scale(&common, format) else {
                    continue;
                };
                if shared.non_substantive.len() + strays.len()
                    > crate::config::survey::MAX_NON_SUBSTANTIVE
                {
                    continue;
                }
                (shared, how, strays)
            }
        };
        let mut shared = shared;
        shared
            .non_substantive
            .extend(strays.iter().map(|v| v.to_string()));
        let off_scale = if strays.is_empty() {
            String::new()
        } else {
            format!("; rare answers off it left unscored: {}", some_of(&strays))
        };
        for &i in &rows {
            // The grid's "Other (please specify)" row holds what respondents typed, a
            // network or a product with its own rating beside it: its answers, not the scale's.
            if is_other_box(&infos[i]) {
                continue;
            }
            let info = &mut infos[i];
            info.rate(
                &shared,
                format!(
                    "a row of matrix `{matrix}`, whose {} rows answer on one {how} ({} points){off_scale}",
                    rows.len(),
                    shared.labels.len()
                ),
            );
            info.group_sizes = profiles[i].sizes();
        }
    }
}

/// Respondents who must have answered a question spread over a column per option, none filling
/// two, before it is read as a single choice whatever its options' shares: a few who each
/// ticked one of a check-all question's options would look the same (`never_two_by_chance`
/// reads fewer when the shares say enough).
const SPREAD_SINGLE_MIN: usize = 30;

/// Check-all questions whose option columns hold their own labels (SurveyMonkey's expanded
/// export) where no respondent chose two options, thirty or more chose one: a single-choice
/// question SurveyMonkey spread over a column per option, as its "expanded" download writes
/// every closed question. Counted as check-all, each option would be its own share of those
/// who ticked anything, which is right, but the question would read "several could be
/// chosen", which is not.
pub(super) fn settle_single_spread(
    infos: &mut [ColumnInfo],
    profiles: &[Profile],
    raw: &RawExport,
) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate() {
        if info.kind == Kind::MultiSelect && info.distinct <= 1 {
            if let Some(m) = &info.matrix {
                groups.entry(m.clone()).or_default().push(i);
            }
        }
    }
    for (matrix, columns) in groups.into_iter().filter(|(_, c)| c.len() >= 2) {
        // A question that says "check all that apply" is one, however its respondents answered.
        if super::joined::asks_for_all_that_apply(&matrix)
            || columns
                .iter()
                .any(|&c| super::joined::asks_for_all_that_apply(&infos[c].question))
        {
            continue;
        }
        // Each column its own label ("Male", "Female"), not one tick mark for all ("Y"); an
        // option nobody chose ("Non-binary" between them) holds none.
        let labels: BTreeSet<&str> = columns
            .iter()
            .flat_map(|&c| profiles[c].unique.iter().copied())
            .collect();
        let chosen = columns
            .iter()
            .filter(|&&c| profiles[c].answered > 0)
            .count();
        if labels.len() != chosen {
            continue;
        }
        let mut answered = 0;
        let exclusive = raw.rows.iter().all(|row| {
            let chosen = columns
                .iter()
                .filter(|&&c| row.cells.get(c).is_some_and(|v| !v.trim().is_empty()))
                .count();
            answered += usize::from(chosen == 1);
            chosen <= 1
        });
        // Options that climb one scale in the order shown say "one answer" by themselves.
        let scale = spread_scale(infos, profiles, &columns);
        let chosen: Vec<usize> = columns.iter().map(|&c| profiles[c].answered).collect();
        let enough = scale.is_some()
            || answered >= SPREAD_SINGLE_MIN
            || never_two_by_chance(&chosen, answered);
        if !exclusive || answered == 0 || !enough {
            continue;
        }
        for &i in &columns {
            infos[i].group_sizes = vec![infos[i].answered];
            infos[i].spread = Some(Spread::OneOfOptions);
            let Some(scale) = &scale else {
                infos[i].set(
                    Kind::SingleChoice,
                    format!("an option of single-choice question `{matrix}`: one column per option, and no respondent chose two"),
                );
                continue;
            };
            infos[i].rate(
                scale,
                format!("an option of rating question `{matrix}`: one column per option, the options in the order shown climbing one scale"),
            );
        }
    }
}

/// Whether `answered` respondents, each of whom chose exactly one of the options (`chosen`: how
/// many chose each), would hardly all have chosen one had they been free to tick several: with
/// each option ticked as often as it was, independently, the chance that every one of them
/// ticked exactly one, given that they ticked any, is under 1 %. Options chosen evenly say so
/// after a dozen respondents; one option nearly everyone chose needs many more.
fn never_two_by_chance(chosen: &[usize], answered: usize) -> bool {
    if answered == 0 {
        return false;
    }
    let rates: Vec<f64> = chosen.iter().map(|&c| c as f64 / answered as f64).collect();
    let none: f64 = rates.iter().map(|q| 1.0 - q).product();
    let one: f64 = (0..rates.len())
        .map(|i| {
            let others: f64 = (rates.iter().enumerate())
                .filter(|&(j, _)| j != i)
                .map(|(_, q)| 1.0 - q)
                .product();
            rates[i] * others
        })
        .sum();
    let any = 1.0 - none;
    any > 0.0 && (one / any).powi(answered as i32) < 0.01
}

/// The scale a single choice spread over a column per option is on, when its options in the
/// order shown (an option's column holds its label; one nobody chose is named by its header)
/// are the scale's labels lowest or highest first, with any "Don't know" aside: "Never …
/// Very often", "Very unconfident, 2, 3, 4, Very confident". Bands of a quantity ("Less than
/// 10 hours", "10-50 hours" …) climb too but are no scale, and are not recognised as one.
fn spread_scale(
    infos: &[ColumnInfo],
    profiles: &[Profile],
    columns: &[usize],
) -> Option<scales::Recognised> {
    let shown: Vec<&str> = columns
        .iter()
        .map(|&c| (profiles[c].unique.iter().next().copied()).or_else(|| option_of(&infos[c])))
        .collect::<Option<_>>()?;
    let Some(found) = scales::recognise(&shown.iter().copied().collect()) else {
        return scales::labelled_ends(&shown);
    };
    let substantive: Vec<&str> = shown
        .iter()
        .copied()
        .filter(|l| !scales::is_non_substantive(l))
        .collect();
    let climbing: Vec<String> = found.labels.iter().map(|l| label_key(l)).collect();
    let places: Vec<usize> = substantive
        .iter()
        .map(|l| climbing.iter().position(|c| *c == label_key(l)))
        .collect::<Option<_>>()?;
    let rising = places.windows(2).all(|w| w[0] < w[1]);
    let falling = places.windows(2).all(|w| w[0] > w[1]);
    if !(rising || falling) {
        return None;
    }
    if places.len() == climbing.len() {
        return Some(found);
    }
    if places.len() < 3 {
        return None;
    }
    // A library scale completed what was shown ("Poor, Fair, Good, Excellent" to five points);
    // the question offered only its columns' options, and those are its scale.
    let mut labels: Vec<String> = substantive.iter().map(|l| l.to_string()).collect();
    if falling {
        labels.reverse();
    }
    Some(scales::Recognised {
        name: scales::scale_name(&labels),
        codes: scales::own_numbers(&labels).unwrap_or_default(),
        labels,
        non_substantive: found.non_substantive,
    })
}

/// Qualtrics' code for an option column of a multiple-answer question that the respondent saw
/// and left unticked: a non-answer, never a number.
pub(super) const QUALTRICS_SEEN_UNANSWERED: &str = "-99";

pub(super) use crate::model::{TICKED, UNTICKED};

/// A grid's answers without its strays: a value given in under 2 % of the grid's answers (one
/// typo, one "Sometimes" on an agreement grid of hundreds) does not decide what the grid is.
/// The strays are returned so the rows can leave them unscored. `None` when they are not rare
/// between them, one answer in ten or more: rows that share a few codes but also hold phone
/// numbers, counts and remarks (a form's section of unrelated questions, `q0_0` … `q0_8`) are
/// no rating grid.
pub(super) fn without_strays<'a>(
    profiles: &[Profile<'a>],
    rows: &[usize],
) -> Option<(BTreeSet<&'a str>, Vec<&'a str>)> {
    let mut totals: BTreeMap<&'a str, usize> = BTreeMap::new();
    for &i in rows {
        for (v, n) in &profiles[i].counts {
            *totals.entry(*v).or_insert(0) += n;
        }
    }
    let answers: usize = totals.values().sum();
    let (common, strays): (Vec<_>, Vec<_>) =
        totals.into_iter().partition(|(_, n)| n * 50 >= answers);
    let off: usize = strays.iter().map(|(_, n)| n).sum();
    (off * 10 < answers).then(|| {
        (
            common.into_iter().map(|(v, _)| v).collect(),
            strays.into_iter().map(|(v, _)| v).collect(),
        )
    })
}

/// A grid's "Other (please specify)" row read as what respondents typed.
pub(super) fn is_other_box(info: &ColumnInfo) -> bool {
    info.kind == Kind::FreeText && option_of(info).is_some_and(is_other_option)
}

/// The option a column of a question stands for: SurveyMonkey's "Question - Option".
/// The column an option's comment box comments on: LimeSurvey's "multiple choice with
/// comments" writes the option `Q[SQ001]` and beside it what the respondent typed about it,
/// `Q[SQ001comment]` (`Q[othercomment]` for "Other").
fn comments_on(name: &str) -> Option<String> {
    let stem = name.strip_suffix("comment]")?;
    (stem.contains('[') && !stem.ends_with('[')).then(|| format!("{stem}]"))
}

pub(super) fn option_of(info: &ColumnInfo) -> Option<&str> {
    [info.question.as_str(), info.name.as_str()]
        .into_iter()
        .find_map(|t| t.rsplit_once(" - "))
        .map(|(_, option)| option.trim())
        .filter(|o| !o.is_empty())
}

/// Columns `<question>_O1` … `_On` of codes that fewer respondents fill the further right
/// they are: SurveyToGo's multiple-answer question, the first chosen option's code in `_O1`,
/// the second in `_O2`, -1 (or blank) after the last.
fn chosen_in_order(infos: &[ColumnInfo], profiles: &[Profile], rows: &[usize]) -> bool {
    let numbered = |i: usize| {
        let name = &infos[i].name;
        let (_, n) = name.rsplit_once("_O")?;
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.parse::<u32>().ok())?
    };
    let chosen = |i: usize| -> Option<usize> {
        let p = &profiles[i];
        let mut n = 0;
        for (v, count) in &p.counts {
            let code: f64 = v.trim().parse().ok()?;
            if code >= 0.0 {
                n += count;
            }
        }
        Some(n)
    };
    let mut order: Vec<(u32, usize)> = Vec::with_capacity(rows.len());
    for &i in rows {
        let (Some(n), Some(c)) = (numbered(i), chosen(i)) else {
            return false;
        };
        order.push((n, c));
    }
    order.sort_unstable();
    order.len() >= 2 && order.windows(2).all(|w| w[0].1 >= w[1].1)
}

/// Each column holds its own option's label or nothing (SurveyMonkey's check-all columns,
/// "Apple" under "Which fruits? - Apple"), and at least one was ticked.
pub(super) fn holds_own_label(infos: &[ColumnInfo], profiles: &[Profile], rows: &[usize]) -> bool {
    let mut ticked = false;
    for &i in rows {
        let Some(option) = option_of(&infos[i]) else {
            return false;
        };
        match profiles[i].unique.len() {
            0 => {}
            1 => {
                let value = profiles[i].unique.iter().next().copied().unwrap_or("");
                if label_key(value) != label_key(option) {
                    return false;
                }
                ticked = true;
            }
            _ => return false,
        }
    }
    ticked
}

/// When every row of a matrix is already a rating on whole numbers (each judged alone), the
/// range that holds them all: a row nobody rated 4 is still on the grid's 1–4.
pub(super) fn shared_numeric_range(infos: &[ColumnInfo], rows: &[usize]) -> Option<(i64, i64)> {
    let mut range: Option<(i64, i64)> = None;
    for &i in rows {
        let info = &infos[i];
        if info.kind != Kind::Likert {
            return None;
        }
        let (lo, hi) = info
            .scale
            .as_deref()?
            .strip_prefix("numeric-")?
            .split_once('-')?;
        let (lo, hi): (i64, i64) = (lo.parse().ok()?, hi.parse().ok()?);
        range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    }
    range
}

/// A matrix's answers are option ticks: LimeSurvey's `Y`/blank or `Yes`/`No` (with its `N/A`
/// for not shown, and in the survey's language: `Oui`/`Non`), `1`/`0`, `True`/`False`; in
/// Qualtrics beside its -99 "seen, not answered".
pub(super) fn is_option_ticks(union: &BTreeSet<&str>, format: Format) -> bool {
    let said = |v: &str, words: &[&str]| words.iter().any(|t| v.to_lowercase() == *t);
    let ticked = union.iter().any(|v| said(v, &TICKED));
    ticked
        && union.iter().all(|v| {
            said(v, &TICKED)
                || said(v, &UNTICKED)
                || v.eq_ignore_ascii_case("n/a")
                || (format == Format::Qualtrics && *v == QUALTRICS_SEEN_UNANSWERED)
        })
}

/// The one scale a matrix's answers are on, and how it was told: labels ordered by their words,
/// small whole numbers (a grid of them is a rating grid: tools code nominal questions one
/// column each, not as matrix rows), or LimeSurvey's answer codes `A1` … `An` in code order.
pub(super) fn shared_scale(
    union: &BTreeSet<&str>,
    format: Format,
) -> Option<(scales::Recognised, &'static str)> {
    if union.iter().all(|v| v.parse::<f64>().is_ok()) {
        let values: Vec<&str> = union.iter().copied().collect();
        let (lo, hi, negative) = rating_range(&values, false)?;
        return Some((
            scales::Recognised {
                name: format!("numeric-{lo}-{hi}"),
                labels: (lo..=hi).map(|v| v.to_string()).collect(),
                non_substantive: negative.iter().map(|v| v.to_string()).collect(),
                // The draft reads a numeric scale's codes from its labels.
                codes: Vec::new(),
            },
            "rating scale of whole numbers",
        ));
    }
    if format == Format::Limesurvey {
        if let Some(codes) = answer_codes(union) {
            return Some((codes, "scale of LimeSurvey answer codes, in code order (their labels are in the survey structure file)"));
        }
    }
    scales::recognise(union).map(|r| (r, "ordered scale"))
}

/// LimeSurvey's own answer codes `A1` … `An` (3 to 11 of them), lowest code first.
pub(super) fn answer_codes(union: &BTreeSet<&str>) -> Option<scales::Recognised> {
    let mut codes = BTreeSet::new();
    for v in union {
        if *v == "N/A" || *v == "-oth-" {
            continue;
        }
        codes.insert(v.strip_prefix('A')?.parse::<u32>().ok()?);
    }
    let (&first, &last) = (codes.first()?, codes.last()?);
    ((3..=11).contains(&codes.len()) && first >= 1 && last <= 11).then(|| scales::Recognised {
        name: format!("codes-a{first}-a{last}"),
        labels: (first..=last).map(|c| format!("A{c}")).collect(),
        non_substantive: Vec::new(),
        codes: Vec::new(),
    })
}

/// A known or word-ordered scale from the answer options a tool defines (REDCap's dictionary),
/// with the code of each of its labels.
pub(super) fn scale_from_choices(
    choices: &[(String, String)],
) -> Option<(scales::Recognised, Vec<f64>)> {
    let labels: BTreeSet<&str> = choices.iter().map(|(_, l)| l.as_str()).collect();
    let Some(recognised) = scales::recognise(&labels) else {
        return polar_choices(choices);
    };
    let codes = recognised
        .labels
        .iter()
        .map(|l| {
            let (code, _) = choices
                .iter()
                .find(|(_, cl)| label_key(cl) == label_key(l))?;
            code.parse::<f64>().ok()
        })
        .collect::<Option<Vec<f64>>>()?;
    Some((recognised, codes))
}

/// Options that run, in code order, from "not X" to "very X" (REDCap's `0, not open | 1,
/// undecided | 2, very open`): one quality graded, whatever X is, ordered as the tool codes it.
pub(super) fn polar_choices(
    choices: &[(String, String)],
) -> Option<(scales::Recognised, Vec<f64>)> {
    if !(3..=7).contains(&choices.len()) {
        return None;
    }
    let codes: Vec<f64> = choices
        .iter()
        .map(|(c, _)| c.trim().parse::<f64>().ok())
        .collect::<Option<_>>()?;
    if !codes.windows(2).all(|w| w[0] < w[1]) {
        return None;
    }
    let lower = |i: usize| choices[i].1.trim().to_lowercase();
    let (first, last) = (lower(0), lower(choices.len() - 1));
    let quality = first.strip_prefix("not ")?;
    let top = ["very ", "extremely ", "completely ", "fully "]
        .iter()
        .find_map(|p| last.strip_prefix(p))?;
    (quality == top && !quality.is_empty()).then(|| {
        (
            scales::Recognised {
                name: format!("not-very-{}", label_key(quality)),
                labels: choices.iter().map(|(_, l)| l.trim().to_string()).collect(),
                non_substantive: Vec::new(),
                // The tool's codes, returned beside the scale.
                codes: Vec::new(),
            },
            codes,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_option_each_is_evidence_by_how_evenly_the_options_were_chosen() {
        // By hand: four options chosen evenly (a quarter each). Ticked independently at those
        // rates, a respondent ticks none with 0.75^4 = 0.31641 and exactly one with
        // 4 × 0.25 × 0.75^3 = 0.42188, so one of those who ticked any with 0.42188 / 0.68359 =
        // 0.61714; all of 12 with 0.61714^12 = 0.0031 (under 1 %), all of 8 with 0.0211.
        assert!(never_two_by_chance(&[3, 3, 3, 3], 12));
        assert!(!never_two_by_chance(&[2, 2, 2, 2], 8));
        // One option nearly everyone chose (0.9, 0.05, 0.05): 0.903 a respondent, 0.903^30 =
        // 0.047, so thirty say nothing; SPREAD_SINGLE_MIN decides there.
        assert!(!never_two_by_chance(&[27, 2, 1], 30));
        assert!(!never_two_by_chance(&[], 0));
    }
}
