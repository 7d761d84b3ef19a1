//! "Other (please specify)" boxes: the text a respondent typed beside a choice question's
//! "Other" option. Tools name them after the question (Qualtrics `Q5_4_TEXT`, LimeSurvey
//! `Q5[other]`, KoboToolbox `q5_other`) or put them right after its columns with "Other" in
//! the header (SurveyMonkey's "Other (please specify)"). Tied to their choice, they are themed as
//! open questions and the choice's table says how many wrote one.

use crate::config::{Choice, TextQuestion};

/// What tools append to a question's column to name its "Other" box.
const SUFFIXES: [&str; 6] = ["_TEXT", "[other]", "_other", "/other", "_Other", ".other"];

/// Sets each open question's `other_of` where it is a choice question's "Other" box. `position`
/// gives a text question's column index; `owner` the choice question owning a column index.
pub(super) fn tie_other_boxes(
    text: &mut [(usize, TextQuestion)],
    choices: &[Choice],
    label_of: impl Fn(usize) -> String,
    owner: impl Fn(usize) -> Option<usize>,
) {
    for (at, t) in text.iter_mut() {
        let named = by_name(t.column(), choices);
        let adjacent = || {
            let label = label_of(*at).to_lowercase();
            let worded = label
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "specify" || super::OTHER_WORDS.contains(&w));
            at.checked_sub(1).and_then(&owner).filter(|_| worded)
        };
        if let Some(c) = named.or_else(adjacent) {
            t.other_of = Some(choices[c].id.clone());
        }
    }
}

/// The choice question a box's name points at: its name without the tool's suffix is the
/// choice's column, one of its option columns, or (Qualtrics' `Q5_4_TEXT` of single choice
/// `Q5`) that without the option's number.
fn by_name(name: &str, choices: &[Choice]) -> Option<usize> {
    let stem = SUFFIXES.iter().find_map(|s| name.strip_suffix(s))?;
    let without_option = stem
        .rsplit_once('_')
        .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
        .map(|(q, _)| q);
    let owns = |c: &Choice, column: &str| {
        c.column.as_deref() == Some(column)
            || c.columns.iter().any(|o| o == column)
            || c.columns
                .iter()
                .any(|o| o.strip_prefix(column).is_some_and(|r| r.starts_with('[')))
    };
    choices
        .iter()
        .position(|c| owns(c, stem))
        .or_else(|| without_option.and_then(|q| choices.iter().position(|c| owns(c, q))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ChoiceKind;

    fn choice(id: &str, column: Option<&str>, columns: &[&str]) -> Choice {
        Choice {
            id: id.into(),
            text: id.into(),
            kind: if column.is_some() {
                ChoiceKind::SingleChoice
            } else {
                ChoiceKind::MultiSelect
            },
            column: column.map(Into::into),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            separator: None,
            options: Vec::new(),
            nets: Default::default(),
            headline: false,
            allow_identifying: false,
        }
    }

    fn open(column: &str) -> TextQuestion {
        TextQuestion {
            id: column.to_lowercase(),
            column: Some(column.into()),
            text: column.into(),
            allow_identifying: false,
            coded: None,
            review_below: None,
            other_of: None,
        }
    }

    #[test]
    fn boxes_are_tied_by_the_tools_names_or_by_place_and_wording() {
        let choices = vec![
            choice("q5", Some("Q5"), &[]),
            choice("q6", None, &["Q6_1", "Q6_2"]),
            choice("e7", None, &["E7[SQ001]", "E7[SQ002]"]),
            choice("role", Some("Role"), &[]),
        ];
        let mut text = vec![
            (10, open("Q5_4_TEXT")),
            (11, open("Q6_2_TEXT")),
            (12, open("E7[other]")),
            (13, open("Other (please specify)")),
            (20, open("What should change?")),
        ];
        let label = |at: usize| match at {
            13 => "Other (please specify)".to_string(),
            _ => "What should change?".to_string(),
        };
        // Column 12 holds Role; column 19 belongs to a choice too, but 20's header says nothing
        // of "other".
        let owner = |at: usize| match at {
            12 => Some(3),
            19 => Some(0),
            _ => None,
        };
        tie_other_boxes(&mut text, &choices, label, owner);
        let tied: Vec<Option<&str>> = text.iter().map(|(_, t)| t.other_of.as_deref()).collect();
        assert_eq!(
            tied,
            [Some("q5"), Some("q6"), Some("e7"), Some("role"), None]
        );
    }
}
