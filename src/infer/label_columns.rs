//! Check-all questions written one column per option, each column holding its option's label
//! when ticked and nothing when not: SurveyMonkey's layout (`Python.` under "3. Python.", or
//! under the blank headers a spreadsheet re-save names `Column2`, `Column3` … once the tool's
//! second header row is gone) and Typeform's (the option's label as header and as answer).
//! Alone, each such column looks like a question everyone answered the same way; the columns
//! of one question are decided together.

use super::{ColumnInfo, Kind, Profile};
use crate::model::label_key;
use std::collections::BTreeSet;

/// Marks each family of adjacent one-label columns as the options of one check-all question.
/// A family is a run of columns each holding one label or nothing, where each column follows
/// the one before as an option does (a placeholder header, the same question number, or the
/// label as the header's end), with at least two different options ticked.
pub(super) fn settle_label_columns(infos: &mut [ColumnInfo], profiles: &[Profile]) {
    let mut start = 0;
    while start < infos.len() {
        let mut end = start + 1;
        if one_label(&infos[start], &profiles[start]).is_some() {
            while infos.get(end).is_some_and(|info| {
                one_label(info, &profiles[end]).is_some()
                    && follows(
                        (&infos[end - 1], &profiles[end - 1]),
                        (info, &profiles[end]),
                    )
            }) {
                end += 1;
            }
            settle_family(infos, profiles, start, end);
        }
        start = end;
    }
}

fn settle_family(infos: &mut [ColumnInfo], profiles: &[Profile], start: usize, end: usize) {
    let ticked: Vec<usize> = (start..end).filter(|&i| profiles[i].answered > 0).collect();
    // Two options at least, told apart by their labels (two questions side by side may each
    // offer "None", so a label may come back).
    let labels: BTreeSet<String> = ticked
        .iter()
        .filter_map(|&i| one_label(&infos[i], &profiles[i]))
        .map(label_key)
        .collect();
    if ticked.len() < 2 || labels.len() < 2 {
        return;
    }
    let first = infos[start].label().to_string();
    // The options from the first ticked to the last, and any between them nobody ticked (0 %
    // is a finding), are one question. Where the columns already share a question's name (a
    // SurveyMonkey header row), it keeps it, and `settle_single_spread` may still find it one
    // single choice. Otherwise (Typeform does not write the question; "SQL - embedded" named a
    // question of its own by its " - ") it is named for what the columns show, a check-all
    // question, which `settle_single_spread` leaves one, by its first and last option columns.
    let (from, to) = (ticked[0], ticked[ticked.len() - 1]);
    let named = infos[from].matrix.clone();
    let question = match named.filter(|m| {
        infos[from..=to]
            .iter()
            .all(|i| i.matrix.as_ref() == Some(m))
    }) {
        Some(m) => m,
        None => format!(
            "Check all that apply: {} … {}",
            infos[from].name, infos[to].name
        ),
    };
    for info in &mut infos[from..=to] {
        info.set(
            Kind::MultiSelect,
            format!(
                "an option of the check-all question beginning at `{first}`: {} columns side by side, each holding its option's label when ticked, nothing when not",
                end - start
            ),
        );
        info.scale = None;
        info.labels.clear();
        info.matrix = Some(question.clone());
    }
}

/// The one label a column holds, when it holds one (or none: an option nobody ticked) and was
/// read as a choice.
fn one_label<'a>(info: &ColumnInfo, profile: &Profile<'a>) -> Option<&'a str> {
    if !matches!(
        info.kind,
        Kind::SingleChoice | Kind::MultiSelect | Kind::Empty
    ) {
        return None;
    }
    let mut values = profile.unique.iter();
    let first = values.next().copied().unwrap_or("");
    values
        .all(|v| label_key(v) == label_key(first))
        .then_some(first)
}

/// Whether column `next` continues the check-all question of the column before it.
fn follows(before: (&ColumnInfo, &Profile), next: (&ColumnInfo, &Profile)) -> bool {
    let own_label = |(info, profile): (&ColumnInfo, &Profile)| {
        let label = profile.unique.iter().next().copied().unwrap_or("");
        profile.answered == 0
            || ends_with_label(&info.name, label)
            || super::option_first::option_and_question(&info.name)
                .is_some_and(|(option, _)| label_key(option) == label_key(label))
    };
    // "8. My local file system." then "9. Images.": two questions, each of its options.
    let numbered_apart = matches!(
        (question_number(&before.0.name), question_number(&next.0.name)),
        (Some(a), Some(b)) if a != b
    );
    let same_number = same_question_number(&before.0.name, &next.0.name);
    // "Gender - Male" then "Age - 18-29" (SurveyMonkey's expanded download): two questions,
    // which a question number would join ("8. SQL - embedded" then "8. NoSQL - columnar").
    let named_apart = matches!((&before.0.matrix, &next.0.matrix), (Some(a), Some(b)) if a != b);
    !numbered_apart
        && (!named_apart || same_number)
        && (is_placeholder(&next.0.name) || same_number || (own_label(before) && own_label(next)))
}

/// A header a spreadsheet or a data library writes where the file had none: Excel's table
/// `Column7`, pandas' `Unnamed: 7`, R's `...7`, or nothing at all.
pub(super) fn is_placeholder(name: &str) -> bool {
    let name = name.trim();
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    name.is_empty() || numbered("Column") || numbered("Unnamed: ") || numbered("...")
}

/// Two headers that begin with the same question number ("3. Python.", "3. R."; "Q4 - …").
fn same_question_number(a: &str, b: &str) -> bool {
    match (question_number(a), question_number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// `3` of "3. Python.", `Q4` of "Q4: Apple", `12b` of "12b) …": a number, perhaps with a `Q`
/// before it and a letter after, then `.`, `)` or `:` and a space.
fn question_number(name: &str) -> Option<&str> {
    let name = name.trim_start();
    let digits_from = usize::from(name.starts_with(['Q', 'q']));
    let rest = &name[digits_from..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let after = &rest[digits..];
    let letter = after
        .chars()
        .next()
        .filter(char::is_ascii_lowercase)
        .map_or(0, char::len_utf8);
    let marked = after[letter..]
        .strip_prefix(['.', ')', ':'])
        .is_some_and(|r| r.starts_with(' '));
    marked.then(|| &name[..digits_from + digits + letter])
}

/// The header ends with the label (case and a final full stop aside), at a word's start: the
/// option's own column ("3. Python." holding "Python.", Typeform's "Collège" holding "Collège").
fn ends_with_label(name: &str, label: &str) -> bool {
    let clean = |s: &str| s.trim().trim_end_matches('.').trim().to_lowercase();
    let (name, label) = (clean(name), clean(label));
    if label.is_empty() {
        return false;
    }
    let ends = |name: &str| {
        name.strip_suffix(label.as_str())
            .is_some_and(|before| before.chars().last().is_none_or(|c| !c.is_alphanumeric()))
    };
    // Typeform tells a second question's option columns from the first's by a number after the
    // header ("Safe Space" … "Safe Space17"), which no answer carries; when it does not, the
    // header repeats and canvass tells the columns apart by occurrence ("Mining (2)").
    ends(&name)
        || ends(name.trim_end_matches(|c: char| c.is_ascii_digit()))
        || ends(without_occurrence(&name))
}

/// A repeated header without the occurrence canvass gave it (`ingest`: "Mining (2)" → "Mining").
pub(super) fn without_occurrence(name: &str) -> &str {
    name.strip_suffix(')')
        .and_then(|n| n.rsplit_once(" ("))
        .filter(|(_, k)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        .map_or(name, |(head, _)| head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_numbers_are_read_from_the_header_start() {
        assert_eq!(question_number("3. Python."), Some("3"));
        assert_eq!(question_number("Q4: Apple"), Some("Q4"));
        assert_eq!(question_number("12b) Other"), Some("12b"));
        assert_eq!(question_number("2024 budget"), None);
        assert_eq!(question_number("3.5 hours"), None);
    }

    #[test]
    fn a_header_ends_with_its_options_label_at_a_word() {
        assert!(ends_with_label("3. Python.", "Python."));
        assert!(ends_with_label("Mining (2)", "Mining"), "a repeated header");
        assert!(!ends_with_label("Mining (2b)", "Mining"));
        assert!(ends_with_label("Collège", "collège"));
        assert!(!ends_with_label("3. Career", "r"));
    }

    #[test]
    fn placeholders_are_what_spreadsheets_write_for_a_blank_header() {
        assert!(is_placeholder("Column12"));
        assert!(is_placeholder("Unnamed: 3"));
        assert!(is_placeholder(""));
        assert!(!is_placeholder("Columns"));
        assert!(!is_placeholder("Column"));
    }

    #[test]
    fn an_option_column_ends_with_its_label_even_numbered_apart() {
        // Typeform's second check-all question over the same options (batch 7): "Safe Space17".
        assert!(ends_with_label("Safe Space17", "Safe Space"));
        assert!(ends_with_label("3. Python.", "Python"));
        assert!(ends_with_label("Version 2", "Version 2"));
        assert!(!ends_with_label("Workspace17", "Space"));
        assert!(!ends_with_label("Q17", ""));
    }
}
