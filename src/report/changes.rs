//! The change since the previous wave as the summaries say it: one family of tests, each change
//! decided by its own test's adjusted p-value, the sentences and the table's rows saying the same.

use super::*;
use crate::score::compare::{ItemChange, ScaleChange, Test, TestFamily};
use crate::stats::hypothesis::Adjustment;

#[derive(Debug, Serialize)]
pub(super) struct ChangesSection {
    pub(super) before: String,
    pub(super) after: String,
    pub(super) sentences: Vec<String>,
    pub(super) rows: Vec<ChangeRow>,
    pub(super) scale_rows: Vec<ChangeRow>,
    /// The interval column's header: "99.6% simultaneous CI".
    pub(super) ci_header: String,
    /// What the table shows and how its rows were decided, under the table.
    pub(super) note: String,
    /// Where the waves are matched: each item's agreement among this wave's returning and new
    /// respondents.
    pub(super) returning_rows: Vec<ReturningRow>,
}

/// One item's agreement among returning and new respondents.
#[derive(Debug, Serialize)]
pub(super) struct ReturningRow {
    pub(super) label: String,
    /// "39 of 44 (88.6%)", or why there is no figure.
    pub(super) returning: String,
    pub(super) new: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ChangeRow {
    /// The question's words (scales: the scale's name and "(mean)"); ids stay in changes.csv.
    pub(super) label: String,
    pub(super) before: String,
    pub(super) after: String,
    pub(super) change: String,
    /// The test the row is decided by, with the matched respondents of a paired test.
    pub(super) test: String,
    /// The simultaneous interval; "†" marks one that excludes zero for a change the test does
    /// not find significant (the note explains).
    pub(super) ci: String,
    pub(super) p_adjusted: String,
    pub(super) significant: bool,
}

/// The method's name in prose.
pub(super) fn method_name(adjustment: Adjustment) -> &'static str {
    match adjustment {
        Adjustment::Holm => "Holm",
        Adjustment::BenjaminiHochberg => "Benjamini–Hochberg",
    }
}

/// The family a comparison made before families were recorded: every change, one per row.
fn family_of(c: &WaveComparison) -> TestFamily {
    c.family.clone().unwrap_or_else(|| {
        let size = c.items.len() + c.scales.len();
        let alpha = 1.0 - c.confidence;
        TestFamily {
            size,
            adjustment: c.adjustment,
            alpha,
            simultaneous_confidence: 1.0 - alpha / size.max(1) as f64,
        }
    })
}

/// Which comparison a section is: since the previous wave, or since the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Since {
    Previous,
    First,
}

pub(super) fn changes_section(
    c: &WaveComparison,
    score: &ScoreReport,
    since: Since,
) -> ChangesSection {
    let family = family_of(c);
    // Who was matched (and so how the changes are tested), each significant change, the count.
    let mut sentences: Vec<String> = (c.panel.as_ref())
        .filter(|p| p.matched_respondents > 0)
        .map(|p| panel_sentence(c, p, since))
        .into_iter()
        .collect();
    let opening = |sentence: String| match since {
        Since::Previous => sentence,
        Since::First => format!(
            "Since {}, {}{}",
            c.before,
            sentence[..1].to_lowercase(),
            &sentence[1..]
        ),
    };
    let threshold = score.suppress_below as u64;
    sentences.extend(
        (c.items
            .iter()
            .filter(|i| i.significant && !small_base(i, threshold)))
        .map(|i| opening(item_sentence(i, c.panel.as_ref()))),
    );
    sentences
        .extend((c.scales.iter().filter(|s| s.significant)).map(|s| opening(scale_sentence(s))));
    sentences.push(significance_sentence(c, &family));
    let text = |id: &str| {
        score
            .items
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_string(), |i| i.text.clone())
    };
    let rows: Vec<ChangeRow> = c
        .items
        .iter()
        .map(|i| item_change_row(i, &text(&i.id), score.suppress_below as u64))
        .collect();
    let scale_rows: Vec<ChangeRow> = c.scales.iter().map(scale_change_row).collect();
    let flagged = rows.iter().chain(&scale_rows).any(|r| r.ci.ends_with('†'));
    let any_significant = rows.iter().chain(&scale_rows).any(|r| r.significant);
    ChangesSection {
        before: c.before.clone(),
        after: c.after.clone(),
        sentences,
        rows,
        scale_rows,
        ci_header: format!("{} simultaneous CI", level(family.simultaneous_confidence)),
        note: table_note(c, &family, any_significant, flagged),
        returning_rows: match (since, c.panel.as_ref()) {
            (Since::Previous, Some(p)) if p.matched_respondents > 0 => returning_rows(p, &text),
            _ => Vec::new(),
        },
    }
}

/// Each item's agreement among returning and new respondents; a group of fewer than the
/// suppression threshold shows no figure.
fn returning_rows(panel: &PanelComparison, text: &dyn Fn(&str) -> String) -> Vec<ReturningRow> {
    let cell = |s: Option<crate::score::panel::Share>| match s {
        Some(s) if s.n > 0 => format!(
            "{} of {} ({})",
            s.agree,
            s.n,
            fixed(Some(100.0 * s.agree as f64 / s.n as f64), 1)
        ),
        _ => "too few to show".into(),
    };
    panel
        .items
        .iter()
        .map(|i| ReturningRow {
            label: text(&i.id),
            returning: cell(i.returning),
            new: cell(i.new),
        })
        .collect()
}

/// "99.6%": a level as the tables head it, with as many decimals as tell it from its neighbours.
fn level(confidence: f64) -> String {
    let pct = confidence * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else if ((pct * 10.0) - (pct * 10.0).round()).abs() < 1e-9 || pct < 99.0 {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.2}%")
    }
}

/// A p-value as the prose gives it: three decimals, or "below 0.001".
fn p_words(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "below 0.001".into(),
        p => fixed(p, 3),
    }
}

/// One significant item's change, with one figure (the whole waves' % agree) and its test.
fn item_sentence(i: &ItemChange, panel: Option<&PanelComparison>) -> String {
    let direction = if i.change.unwrap_or(0.0) > 0.0 {
        "rose"
    } else {
        "fell"
    };
    let figure = format!(
        "The share agreeing that {} {direction} from {} to {} per cent ({} points",
        i.statement,
        fixed(i.before_pct_agree, 0),
        fixed(i.after_pct_agree, 0),
        signed(i.change, 0),
    );
    let adjusted = p_words(i.p_test_adjusted);
    let switched = panel
        .and_then(|p| p.items.iter().find(|x| x.id == i.id))
        .and_then(|x| x.started_agreeing.zip(x.stopped_agreeing));
    match (i.test, i.matched, switched) {
        (Test::McnemarExact, Some(n), Some((started, stopped))) => format!(
            "{figure}); of the {n} who answered it in both waves, {started} started agreeing and {stopped} stopped (McNemar’s exact test, adjusted p {adjusted})."
        ),
        _ => format!("{figure}; χ² test, adjusted p {adjusted})."),
    }
}

/// One significant scale's change in mean score, with its test.
fn scale_sentence(s: &ScaleChange) -> String {
    let direction = if s.change.unwrap_or(0.0) > 0.0 {
        "rose"
    } else {
        "fell"
    };
    let test = match (s.test, s.matched) {
        (Test::WilcoxonSignedRank, Some(n)) => {
            format!("Wilcoxon signed-rank test on the {n} respondents with a score in both waves")
        }
        _ => "Mann–Whitney test".into(),
    };
    format!(
        "The mean {} score {direction} from {} to {} ({}; {test}, adjusted p {}).",
        s.name,
        fixed(s.before_mean, 2),
        fixed(s.after_mean, 2),
        signed(s.change, 2),
        p_words(s.p_test_adjusted),
    )
}

/// Who answered both waves, and so how the changes are tested.
pub(super) fn panel_sentence(c: &WaveComparison, panel: &PanelComparison, since: Since) -> String {
    let both = match since {
        Since::Previous => "both waves".to_string(),
        Since::First => format!("both {} and {}", c.before, c.after),
    };
    let matched = plural(
        panel.matched_respondents,
        &format!("respondent answered {both}"),
        &format!("respondents answered {both}"),
    );
    // Which column matched them: the reader can judge whether it is one a person keeps.
    let key = &panel.key;
    let new = match panel.new_respondents {
        0 => String::new(),
        n => format!(", and {n} are new"),
    };
    format!(
        "{matched} (matched by {key}){new}; their answers are compared as pairs: agreement with each item by McNemar’s exact test, each scale score by Wilcoxon’s signed-rank test."
    )
}

/// How many of the family's changes are significant, in which family, and what that means.
pub(super) fn significance_sentence(c: &WaveComparison, family: &TestFamily) -> String {
    let tested = family.size;
    if tested == 0 {
        return nothing_compared(c);
    }
    let significant = c.items.iter().filter(|i| i.significant).count()
        + c.scales.iter().filter(|s| s.significant).count();
    let method = method_name(family.adjustment);
    let family_words = format!(
        "tested as one family of {tested} with {method} adjustment (adjusted p below {})",
        fixed(Some(family.alpha), 2)
    );
    if tested == 1 {
        format!(
            "The one change since {} {} statistically significant (adjusted p below {}){}.",
            c.before,
            if significant == 1 { "is" } else { "is not" },
            fixed(Some(family.alpha), 2),
            if significant == 1 {
                ""
            } else {
                "; a difference of this size could arise by chance"
            }
        )
    } else if significant == 0 {
        format!(
            "None of the {tested} changes since {} is statistically significant, {family_words}; differences of this size could arise by chance.",
            c.before
        )
    } else {
        format!(
            "{} of the {tested} changes since {} {} statistically significant, {family_words}; the others could arise by chance.",
            capitalise(&significant.to_string()),
            c.before,
            if significant == 1 { "is" } else { "are" }
        )
    }
}

/// A comparison with no rating item or scale in both waves: said, rather than "none of the 0
/// changes" under an empty table.
fn nothing_compared(c: &WaveComparison) -> String {
    format!(
        "No rating item or scale was asked in both {} and {}, so nothing is compared between them: choice, check-all and number questions are not compared between waves.",
        c.before, c.after
    )
}

/// Under the table: what the figures are, how each row is decided, and (only where it applies)
/// what bold and "†" mean.
fn table_note(c: &WaveComparison, family: &TestFamily, bold: bool, flagged: bool) -> String {
    if family.size == 0 {
        return nothing_compared(c);
    }
    let tests: Vec<Test> = {
        let mut t: Vec<Test> = (c.items.iter().map(|i| i.test))
            .chain(c.scales.iter().map(|s| s.test))
            .collect();
        t.sort_by_key(|t| t.name());
        t.dedup();
        t
    };
    let described: Vec<String> = tests.iter().map(|t| test_words(*t).to_string()).collect();
    let mut note = format!(
        "Changes are of the whole waves’ percent agreeing (points) and mean scale scores. Each row is decided by one test — {} — and its p-value is adjusted across all {} rows as one family ({} method). The intervals are simultaneous: each at {}, so that together they cover every change with {} confidence (Bonferroni).",
        list_sentence(&described),
        family.size,
        method_name(family.adjustment),
        level(family.simultaneous_confidence),
        level(1.0 - family.alpha),
    );
    if bold {
        note.push_str(" Rows in bold are statistically significant.");
    }
    if flagged {
        note.push_str(" † The interval excludes zero but the row’s test does not find the change significant: the interval compares the two waves as independent samples (Newcombe, Welch), the test does not, and the test decides.");
    }
    note
}

/// A test in the table's note.
fn test_words(t: Test) -> &'static str {
    match t {
        Test::ChiSquaredYates => "χ² with Yates’ correction on the two waves as independent samples",
        Test::McnemarExact => "McNemar’s exact test on the respondents who answered an item in both waves",
        Test::MannWhitney => "Mann–Whitney on the two waves’ scale scores",
        Test::WilcoxonSignedRank => "Wilcoxon’s signed-rank test (normal approximation) on the respondents with a scale score in both waves",
    }
}

/// The table's test column: the test and, when paired, how many it compared.
fn test_cell(test: Test, matched: Option<u64>) -> String {
    let name = match test {
        Test::ChiSquaredYates => "χ²",
        Test::McnemarExact => "McNemar exact",
        Test::MannWhitney => "Mann–Whitney",
        Test::WilcoxonSignedRank => "Wilcoxon signed-rank",
    };
    match matched {
        Some(n) if test.paired() => format!("{name}, {n} matched"),
        _ => name.to_string(),
    }
}

/// "+6.7 to +38.0", with "†" when it excludes zero and the row is not significant.
fn interval_cell(
    low: Option<f64>,
    high: Option<f64>,
    significant: bool,
    decimals: usize,
) -> String {
    let excludes_zero = matches!((low, high), (Some(l), Some(h)) if l > 0.0 || h < 0.0);
    let mark = if excludes_zero && !significant {
        " †"
    } else {
        ""
    };
    format!(
        "{} to {}{mark}",
        signed(low, decimals),
        signed(high, decimals)
    )
}

/// Whether either wave's base is below the suppression threshold: then no percentage of it is
/// given, as everywhere else (a count instead), and the change is not put in words.
fn small_base(i: &ItemChange, threshold: u64) -> bool {
    (i.before_n > 0 && i.before_n < threshold) || (i.after_n > 0 && i.after_n < threshold)
}

/// A change in % agree; where a wave had no answers it says so and shows no change; where
/// fewer than `threshold` answered, that wave shows the count agreeing ("2 of 5") and the row
/// no change in points nor its interval.
pub(super) fn item_change_row(i: &ItemChange, text: &str, threshold: u64) -> ChangeRow {
    let pct = |n: u64, p: Option<f64>| {
        if n == 0 {
            NO_ANSWERS.to_string()
        } else {
            // Changes are unweighted, so the count agreeing is the share of n.
            let agreeing = (p.unwrap_or(0.0) / 100.0 * n as f64).round() as u64;
            share_cell(agreeing, n, p, threshold)
        }
    };
    let unanswered = i.before_n == 0 || i.after_n == 0;
    let answered = |s: String| if unanswered { String::new() } else { s };
    let in_points = |s: String| {
        if unanswered || small_base(i, threshold) {
            String::new()
        } else {
            s
        }
    };
    ChangeRow {
        label: text.to_string(),
        before: pct(i.before_n, i.before_pct_agree),
        after: pct(i.after_n, i.after_pct_agree),
        change: in_points(signed(i.change, 1)),
        test: answered(test_cell(i.test, i.matched)),
        ci: in_points(interval_cell(
            i.simultaneous_ci_low,
            i.simultaneous_ci_high,
            i.significant,
            1,
        )),
        p_adjusted: answered(fixed(i.p_test_adjusted, 3)),
        significant: i.significant,
    }
}

/// A change in a scale's mean score.
fn scale_change_row(s: &ScaleChange) -> ChangeRow {
    ChangeRow {
        label: format!("{} (mean)", s.name),
        before: fixed(s.before_mean, 2),
        after: fixed(s.after_mean, 2),
        change: signed(s.change, 2),
        test: test_cell(s.test, s.matched),
        ci: interval_cell(
            s.simultaneous_ci_low,
            s.simultaneous_ci_high,
            s.significant,
            2,
        ),
        p_adjusted: fixed(s.p_test_adjusted, 3),
        significant: s.significant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before_n: u64, before: f64, after_n: u64, after: f64) -> ItemChange {
        serde_json::from_value(serde_json::json!({
            "id": "q1", "statement": "it helped",
            "before_n": before_n, "before_pct_agree": before,
            "after_n": after_n, "after_pct_agree": after,
            "change": after - before, "ci_low": -10.0, "ci_high": 30.0,
            "p_value": 0.5, "p_adjusted": 0.5, "p_mann_whitney": null,
            "p_mann_whitney_adjusted": null, "significant": false,
            "test": "chi-squared-yates", "matched": null, "p_test": 0.5, "p_test_adjusted": 0.5,
            "simultaneous_ci_low": -12.0, "simultaneous_ci_high": 32.0
        }))
        .unwrap()
    }

    /// A wave where fewer than the threshold answered shows the count agreeing (2 of 5 at
    /// 40 %), never its percentage, and the row no change in points nor interval.
    #[test]
    fn a_small_base_is_a_count_in_the_change_table() {
        let row = item_change_row(&change(5, 40.0, 66, 75.0), "It helped", 10);
        assert_eq!(
            (row.before.as_str(), row.after.as_str()),
            ("2 of 5", "75.0")
        );
        assert_eq!((row.change.as_str(), row.ci.as_str()), ("", ""));
        let row = item_change_row(&change(50, 40.0, 66, 75.0), "It helped", 10);
        assert_eq!(
            (row.before.as_str(), row.change.as_str()),
            ("40.0", "+35.0")
        );
    }
}
