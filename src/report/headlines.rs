//! The summary's headline sentences: the items the survey marks (or the first three), and the
//! choice and number questions marked `headline` (or, without rating items, the first ones).

use super::*;

/// The items marked `headline` in the survey, or the first three.
pub(super) fn headline_items(input: &ReportInput) -> Vec<usize> {
    let marked: Vec<usize> = input
        .survey
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.headline)
        .map(|(i, _)| i)
        .collect();
    if marked.is_empty() {
        (0..input.score.items.len().min(3)).collect()
    } else {
        marked
    }
}

/// "Of the 66 respondents who answered, 100 per cent said …; 98 per cent said …". Headline
/// items answered by the same number share a sentence; items nobody answered say so.
pub(super) fn headlines(input: &ReportInput) -> Vec<String> {
    let items = &input.score.items;
    // A percentage of fewer respondents than the suppression threshold is never headlined:
    // such an item is said as a count, after the headlines.
    let threshold = input.score.suppress_below as u64;
    let few = |i: &&crate::score::ItemScore| i.summary.n > 0 && i.summary.n < threshold;
    let (small, chosen): (Vec<&crate::score::ItemScore>, Vec<&crate::score::ItemScore>) =
        headline_items(input)
            .into_iter()
            .map(|i| &items[i])
            .partition(few);
    let mut sentences: Vec<String> = chosen
        .chunk_by(|a, b| {
            a.summary.n == b.summary.n
                && a.summary.pct_agree.is_some() == b.summary.pct_agree.is_some()
        })
        .map(headline_sentence)
        .collect();
    sentences.extend(
        small
            .into_iter()
            .map(|i| few_answered_sentence(i, threshold)),
    );
    let (choices, numbers) = (&input.score.choices, &input.score.numbers);
    let rankings = &input.score.rankings;
    let marked = choices.iter().any(|c| c.headline)
        || numbers.iter().any(|n| n.headline)
        || rankings.iter().any(|r| r.headline);
    if marked {
        sentences.extend(
            choices
                .iter()
                .filter(|c| c.headline)
                .map(|c| questions::choice_sentence(c, threshold)),
        );
        sentences.extend(
            numbers
                .iter()
                .filter(|n| n.headline)
                .map(questions::number_sentence),
        );
        sentences.extend(
            rankings
                .iter()
                .filter(|r| r.headline)
                .map(questions::ranking_sentence),
        );
    } else if items.is_empty() {
        // A survey without rating items leads with its first questions.
        sentences
            .extend((choices.iter().take(3)).map(|c| questions::choice_sentence(c, threshold)));
        sentences.extend(
            numbers
                .iter()
                .take(3usize.saturating_sub(choices.len()))
                .map(questions::number_sentence),
        );
    }
    sentences
}

/// "Only 3 respondents answered whether …, too few for a percentage (fewer than 10): 1 of the
/// 3 said so."
pub(super) fn few_answered_sentence(item: &crate::score::ItemScore, threshold: u64) -> String {
    let s = &item.summary;
    format!(
        "Only {} whether {}, too few for a percentage (fewer than {threshold}): {} of the {} said so.",
        plural(s.n, "respondent answered", "respondents answered"),
        item.statement,
        s.agree_count,
        s.n
    )
}

/// One headline sentence for items answered by the same number of respondents.
pub(super) fn headline_sentence(items: &[&crate::score::ItemScore]) -> String {
    let n = items.first().map_or(0, |i| i.summary.n);
    let clauses: Vec<String> = items
        .iter()
        .filter_map(|it| {
            let pct = it.summary.pct_agree?;
            Some(format!("{} per cent said {}", prose_pct(pct), it.statement))
        })
        .collect();
    if clauses.len() < items.len() {
        let whether: Vec<String> = items
            .iter()
            .map(|it| format!("whether {}", it.statement))
            .collect();
        return format!("There were {NO_ANSWERS} on {}.", or_list(&whether));
    }
    let body = match clauses.as_slice() {
        [one] => one.clone(),
        // Two clauses read "A and B"; three or more "A; B; and C" (each holds commas).
        [first, second] => format!("{first} and {second}"),
        [init @ .., last] => format!("{}; and {last}", init.join("; ")),
        [] => String::new(),
    };
    format!(
        "Of the {} who answered, {body}.",
        plural(n, "respondent", "respondents")
    )
}
