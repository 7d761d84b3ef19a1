//! "Differences between groups" in the summaries: a plain sentence for each crosstab whose
//! test holds after adjustment, naming the groups that stand out, and a note on the tests.

use super::text::{fixed, list_sentence, prose_pct};
use crate::score::crosstabs::{Crosstab, Direction, Test};
use crate::score::ScoreReport;
use crate::stats::hypothesis::Adjustment;
use serde::Serialize;

/// The section as the templates show it.
#[derive(Debug, Serialize)]
pub(super) struct DifferencesSection {
    /// One sentence per difference that holds, or one saying none does.
    pub(super) sentences: Vec<String>,
    /// How the differences were tested.
    pub(super) note: String,
}

/// The section, when the wave has crosstabs (a survey with segments).
pub(super) fn section(score: &ScoreReport) -> Option<DifferencesSection> {
    if score.crosstabs.is_empty() {
        return None;
    }
    let method = method_name(score.adjustment);
    let tested = score
        .crosstabs
        .iter()
        .filter(|t| t.p_value.is_some())
        .count();
    let mut sentences: Vec<String> = score
        .crosstabs
        .iter()
        .filter(|t| t.significant)
        .map(|t| sentence(score, t, method))
        .collect();
    if sentences.is_empty() {
        sentences.push(match tested {
            0 => "No difference between groups could be tested (with survey weights, or with fewer than two groups shown in every breakdown).".to_string(),
            1 => format!("The one test between groups finds no statistically significant difference after {method} adjustment; a difference of the size seen could arise by chance."),
            n => format!(
                "None of the {n} tests between groups finds a statistically significant difference after {method} adjustment; differences of the size seen could arise by chance."
            ),
        });
    }
    Some(DifferencesSection {
        sentences,
        note: note(tested, method),
    })
}

/// The mark a table shows beside a figure that differs from the other groups.
pub(super) fn marker(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "▲",
        Direction::Lower => "▼",
    }
}

/// What the markers mean, for a table's legend.
pub(super) fn marker_legend() -> String {
    "▲ higher or ▼ lower than the other groups shown combined, where the difference holds after adjustment (see “About these figures”)".to_string()
}

/// Whether the crosstab of `kind` `id` by `segment` finds `group` different from the rest.
pub(super) fn differs(
    score: &ScoreReport,
    segment: &str,
    kind: &str,
    id: &str,
    group: &str,
) -> Option<Direction> {
    score
        .crosstabs
        .iter()
        .find(|t| t.segment == segment && t.kind == kind && t.id == id)?
        .cells
        .iter()
        .find(|c| c.group == group)?
        .differs
}

fn method_name(a: Adjustment) -> &'static str {
    match a {
        Adjustment::Holm => "Holm",
        Adjustment::BenjaminiHochberg => "Benjamini-Hochberg",
    }
}

/// How the differences were tested, in the words of "About these figures". Hyphens, not en
/// dashes, in the tests' names: the summaries keep an en dash for ranges of figures.
fn note(tested: usize, method: &str) -> String {
    format!(
        "Each question is tested across the groups shown in each breakdown; suppressed groups take no part. Rating items (their answers in order, “Don’t know” and similar left out), scale scores and numbers are compared with the Kruskal-Wallis test; choice questions, and each option of a tick-all question, with Pearson’s chi-squared test without continuity correction.{} A group is named as higher or lower when, in addition, its own test against the other shown groups combined (the Mann-Whitney test, or for an option’s share the two-sided two-proportion z-test) holds after {method} adjustment within that question’s table. With survey weights, only choice questions and tick-all options are tested, with the design-based Rao-Scott chi-squared test (second-order, referred to F, as R’s survey::svychisq); rating items, scales and numbers are then not tested, and no single group is named. Every group’s figure and p-value is in crosstabs.csv.",
        match tested {
            0 => String::new(),
            1 => format!(" There is one test; its p-value is reported as adjusted ({method})."),
            n => format!(" The p-values are adjusted across all {n} tests with the {method} method."),
        }
    )
}

/// "By region, agreement that … differs between groups (Kruskal-Wallis, Holm-adjusted
/// p = 0.012): higher in North (95 per cent), lower in South (60 per cent)."
fn sentence(score: &ScoreReport, t: &Crosstab, method: &str) -> String {
    let by = t.segment.to_lowercase();
    let what = match t.kind.as_str() {
        "item" => {
            let statement = score
                .items
                .iter()
                .find(|i| i.id == t.id)
                .map_or(t.id.as_str(), |i| i.statement.as_str());
            format!("agreement that {statement}")
        }
        "scale" => format!("the mean {} score", t.id),
        "number" => format!("answers to “{}”", question_text(score, &t.id)),
        _ => match &t.option {
            Some(option) => format!(
                "the share choosing {option} in “{}”",
                question_text(score, &t.id)
            ),
            None => format!("answers to “{}”", question_text(score, &t.id)),
        },
    };
    let test = match t.test {
        Test::ChiSquared => "chi-squared test",
        Test::KruskalWallis => "Kruskal-Wallis test",
        Test::RaoScott => "Rao-Scott chi-squared test",
    };
    let standing_out: Vec<String> = t
        .cells
        .iter()
        .filter_map(|c| {
            let d = c.differs?;
            let figure = match t.kind.as_str() {
                "scale" | "number" => format!("mean {}", fixed(c.value, 2)),
                _ => format!("{} per cent", c.value.map_or("no".into(), prose_pct)),
            };
            let what = match (t.kind.as_str(), d) {
                ("single-choice", Direction::Higher) => format!("{} more often", c.option),
                ("single-choice", Direction::Lower) => format!("{} less often", c.option),
                (_, d) => d.name().to_string(),
            };
            Some(format!("{what} in {} ({figure})", c.group))
        })
        .collect();
    let groups = if standing_out.is_empty() {
        "no single group stands out from the others combined".to_string()
    } else {
        list_sentence(&standing_out)
    };
    format!(
        "By {by}, {what} differs between groups ({test}, {method}-adjusted {}): {groups}.",
        p_phrase(t.p_adjusted)
    )
}

/// "p = 0.012", or "p below 0.001" where three decimals would show 0.
fn p_phrase(p: Option<f64>) -> String {
    match p {
        // In words: Markdown shows a `<` from a figure as an entity.
        Some(p) if p < 0.0005 => "p below 0.001".to_string(),
        p => format!("p = {}", fixed(p, 3)),
    }
}

fn question_text<'a>(score: &'a ScoreReport, id: &'a str) -> &'a str {
    score
        .choices
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.text.as_str())
        .or_else(|| {
            score
                .numbers
                .iter()
                .find(|n| n.id == id)
                .map(|n| n.text.as_str())
        })
        .unwrap_or(id)
}
