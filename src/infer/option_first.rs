//! Headers that put a question's option or row before the question, joined by a colon:
//! Alchemer's (SurveyGizmo's) `my hobby:What motivates you …?` for a check-all option and
//! `Code quality:How important were the following?` for a grid's row. Alone, each such column
//! reads as a question of its own; the columns that share the text after the colon are the
//! parts of one question, decided together as any matrix's are.

use super::ColumnInfo;
use std::collections::{BTreeMap, BTreeSet};

/// Gives each column headed `option:question`, whose question heads the columns beside it with
/// at least three options between them, and that no other layout has placed in a question,
/// that question as its matrix.
pub(super) fn settle_option_first(infos: &mut [ColumnInfo]) {
    let mut options: BTreeMap<&str, (BTreeSet<&str>, Vec<usize>)> = BTreeMap::new();
    for (i, info) in infos.iter().enumerate().filter(|(_, i)| i.matrix.is_none()) {
        if let Some((option, question)) = option_and_question(&info.name) {
            let (names, at) = options.entry(question).or_default();
            names.insert(option);
            at.push(i);
        }
    }
    // Three options at least, side by side: "Pre: How confident are you?" and "Post: …", or
    // "Section A: …" and "Section B: …" asking the same, are questions of their own.
    let shared: BTreeSet<String> = options
        .into_iter()
        .filter(|(_, (names, at))| {
            let side_by_side = at
                .last()
                .zip(at.first())
                .is_some_and(|(l, f)| l - f + 1 == at.len());
            names.len() >= 3 && side_by_side
        })
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
