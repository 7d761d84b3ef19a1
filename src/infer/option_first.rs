//! Headers that put a question's option or row before the question, joined by a colon:
//! Alchemer's (SurveyGizmo's) `my hobby:What motivates you …?` for a check-all option and
//! `Code quality:How important were the following?` for a grid's row. Alone, each such column
//! reads as a question of its own; the columns that share the text after the colon are the
//! parts of one question, decided together as any matrix's are.

use super::ColumnInfo;
use std::collections::{BTreeMap, BTreeSet};

/// Gives each column headed `option:question` whose question heads another column with a
/// different option, and that no other layout has placed in a question, that question as its
/// matrix.
pub(super) fn settle_option_first(infos: &mut [ColumnInfo]) {
    let mut options: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for info in infos.iter().filter(|i| i.matrix.is_none()) {
        if let Some((option, question)) = option_and_question(&info.name) {
            options.entry(question).or_default().insert(option);
        }
    }
    let shared: BTreeSet<String> = options
        .into_iter()
        .filter(|(_, options)| options.len() >= 2)
        .map(|(question, _)| question.to_string())
        .collect();
    for info in infos.iter_mut().filter(|i| i.matrix.is_none()) {
        let question = option_and_question(&info.name)
            .map(|(_, q)| q)
            .filter(|q| shared.contains(*q))
            .map(str::to_string);
        info.matrix = question;
    }
}

/// The option and the question of a header `option:question`: a colon with text on both sides
/// and a question that opens with a letter (not a web address's `//` or a time's minutes).
pub(super) fn option_and_question(name: &str) -> Option<(&str, &str)> {
    let (option, question) = name.split_once(':')?;
    let (option, question) = (option.trim(), question.trim());
    let worded = question.chars().next().is_some_and(char::is_alphabetic)
        && question.split_whitespace().nth(1).is_some();
    (!option.is_empty() && worded).then_some((option, question))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_after_the_colon_is_shared_by_its_options() {
        assert_eq!(
            option_and_question("my hobby:What motivates you to contribute?"),
            Some(("my hobby", "What motivates you to contribute?"))
        );
        assert_eq!(option_and_question("https://example.org/form"), None);
        assert_eq!(option_and_question("Start time: 10:30"), None);
        assert_eq!(option_and_question("Note:"), None);
        assert_eq!(option_and_question("Q1:Satisfaction"), None);
    }
}
