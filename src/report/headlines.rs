//! The summary's headline sentences: the items the survey marks (or the first three), and the
//! choice and number questions marked `headline` (or, without rating items, the first ones).

use super::*;

/// The items marked `headline` in the survey, or else the first item of each of the first
/// three questions (a grid counts once: its rows are not three findings).
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
        lead_questions(input)
            .iter()
            .filter_map(|q| q.items.first().copied())
            .collect()
    } else {
        marked
    }
}

/// The first three questions of the survey's rating items, grids counted once.
fn lead_questions(input: &ReportInput) -> Vec<grids::Question> {
    grids::questions(&input.score.items)
        .into_iter()
        .take(3)
        .collect()
}

/// "Of the 66 respondents who answered, 100 per cent said …; 98 per cent said …". Headline
/// items answered by the same number share a sentence; items nobody answered say so; a grid
/// leads with one sentence over its rows.
pub(super) fn headlines(input: &ReportInput) -> Vec<String> {
    let items = &input.score.items;
    // A percentage of fewer respondents than the suppression threshold is never headlined:
    // such an item is said as a count, after the headlines.
    let threshold = input.score.suppress_below as u64;
    let few = |i: &crate::score::ItemScore| i.summary.n > 0 && i.summary.n < threshold;
    let marked = input.survey.items.iter().any(|i| i.headline);
    let questions: Vec<grids::Question> = if marked {
        headline_items(input)
            .into_iter()
            .map(|i| grids::Question {
                items: vec![i],
                stem: None,
            })
            .collect()
    } else {
        lead_questions(input)
    };
    let mut sentences: Vec<String> = Vec::new();
    let mut singles: Vec<&crate::score::ItemScore> = Vec::new();
    let mut small: Vec<&crate::score::ItemScore> = Vec::new();
    for q in &questions {
        match &q.stem {
            Some(stem) => {
                flush_singles(&mut singles, &mut sentences);
                let rows: Vec<usize> = q
                    .items
                    .iter()
                    .copied()
                    .filter(|&i| !few(&items[i]))
                    .collect();
                sentences.push(if rows.is_empty() {
                    format!("Fewer than {threshold} respondents answered each row of “{stem}”, too few for percentages; the items table gives the counts.")
                } else {
                    grid_sentence(input, stem, &rows)
                });
            }
            None => {
                for &i in &q.items {
                    if few(&items[i]) {
                        small.push(&items[i]);
                    } else {
                        singles.push(&items[i]);
                    }
                }
            }
        }
    }
    flush_singles(&mut singles, &mut sentences);
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

/// Single items in a row: one sentence per run answered by the same number.
fn flush_singles(singles: &mut Vec<&crate::score::ItemScore>, sentences: &mut Vec<String>) {
    sentences.extend(
        singles
            .chunk_by(|a, b| {
                a.summary.n == b.summary.n
                    && a.summary.pct_agree.is_some() == b.summary.pct_agree.is_some()
            })
            .map(headline_sentence),
    );
    singles.clear();
}

/// "Across the 8 rows of “Please rate your confidence …”, between 67 and 100 per cent said
/// “Very confident” or “Extremely confident”: most to “Writing” (100 per cent), least to …".
fn grid_sentence(input: &ReportInput, stem: &str, rows: &[usize]) -> String {
    let items = &input.score.items;
    let answered: Vec<(&str, f64)> = rows
        .iter()
        .filter_map(|&i| {
            let it = &items[i];
            Some((grids::row_words(&it.text, stem), it.summary.pct_agree?))
        })
        .collect();
    let (Some(lo), Some(hi)) = (
        answered.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
        answered.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
    ) else {
        return format!("There were {NO_ANSWERS} to “{stem}”.");
    };
    let top = top_labels(input, &items[rows[0]].response_scale);
    let bases: Vec<u64> = rows.iter().map(|&i| items[i].summary.n).collect();
    let base = if bases.iter().all(|&n| n == bases[0]) {
        format!(
            "of the {} who answered",
            plural(bases[0], "respondent", "respondents")
        )
    } else {
        "of those who answered each row".to_string()
    };
    let (lo_pct, hi_pct) = (prose_pct(lo.1), prose_pct(hi.1));
    if lo_pct == hi_pct {
        return format!(
            "Asked “{stem}”, {hi_pct} per cent said {top} to each of its {} rows ({base}).",
            rows.len()
        );
    }
    let at = |p: &str| answered.iter().filter(|r| prose_pct(r.1) == p).count();
    let extreme = |word: &str, row: &(&str, f64), p: &str| match at(p) {
        1 => format!("{word} to “{}” ({p} per cent)", row.0),
        k => format!("{p} per cent to {k} of them"),
    };
    format!(
        "Across the {} rows of “{stem}”, between {lo_pct} and {hi_pct} per cent said {top} ({base}): {}, {}.",
        rows.len(),
        extreme("most", hi, &hi_pct),
        extreme("least", lo, &lo_pct),
    )
}

/// The options a scale's "% agree" counts, as a reader sees them: "“Agree” or “Strongly agree”".
fn top_labels(input: &ReportInput, scale: &str) -> String {
    let labels: Vec<String> = input
        .survey
        .response_scales
        .iter()
        .find(|s| s.name == scale)
        .map(|s| {
            let from = s.labels.len().saturating_sub(s.agree_top);
            s.labels[from..].iter().map(|l| format!("“{l}”")).collect()
        })
        .unwrap_or_default();
    if labels.is_empty() {
        "one of the scale's top options".to_string()
    } else {
        or_list(&labels)
    }
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
