//! The weight report: weights.csv (per raked margin and group, the sample's, the target's and
//! the weighted share), weights_summary.csv (what weighting cost: design effect, efficiency,
//! the range of the weights, raking's cycles) and the summary's "Weights" paragraph.

use super::tables::{Cell, Kind, Table};
use crate::config::Survey;
use crate::score::rake::Weighting;
use crate::score::ScoreReport;
use serde::Serialize;

fn figure(value: f64, kind: Kind) -> Cell {
    if value.is_finite() {
        Cell::Number {
            value,
            decimals: 4,
            kind,
        }
    } else {
        Cell::Empty
    }
}

fn optional(pct: Option<f64>) -> Cell {
    pct.map_or(Cell::Empty, |p| figure(p, Kind::Percent))
}

/// weights.csv: a row per raked margin and group (none when the weights are a weight column's);
/// a hidden group keeps its target and says why it shows no count.
pub(crate) fn margins(w: &Weighting, threshold: usize) -> Table<'_> {
    let header = [
        "margin",
        "group",
        "sample_n",
        "sample_pct",
        "target_pct",
        "weighted_pct",
        "suppressed",
        "suppressed_reason",
    ];
    let rows = w
        .margins
        .iter()
        .flat_map(|m| m.groups.iter().map(move |g| (m, g)))
        .map(|(m, g)| {
            vec![
                Cell::Text(m.column.clone()),
                Cell::Text(g.group.clone()),
                g.sample_n.map_or(Cell::Empty, Cell::Count),
                optional(g.sample_pct),
                figure(g.target_pct, Kind::Percent),
                optional(g.weighted_pct),
                Cell::Text(g.suppressed.to_string()),
                g.reason
                    .map_or(Cell::Empty, |r| Cell::Text(r.describe(threshold))),
            ]
        })
        .collect();
    Table::new("weights", &header, rows)
}

/// weights_summary.csv: one row per measure of the weights.
pub(crate) fn summary(w: &Weighting) -> Table<'_> {
    let measure = |name: &str, value: Cell| vec![Cell::Text(name.to_string()), value];
    let rows = vec![
        measure("respondents", Cell::Count(w.respondents)),
        measure("n_effective", figure(w.n_effective, Kind::Mean)),
        measure("design_effect", figure(w.design_effect, Kind::Coefficient)),
        measure("efficiency", figure(w.efficiency, Kind::Coefficient)),
        measure("min_weight", figure(w.min_weight, Kind::Coefficient)),
        measure("max_weight", figure(w.max_weight, Kind::Coefficient)),
        measure(
            "cap",
            w.cap.map_or(Cell::Empty, |c| figure(c, Kind::Coefficient)),
        ),
        measure("iterations", Cell::Count(w.iterations as u64)),
        measure(
            "converged",
            Cell::Text(if w.converged { "yes" } else { "no" }.into()),
        ),
    ];
    Table::new("weights_summary", &["measure", "value"], rows)
}

/// The weight report's tables, when the wave is weighted.
pub(crate) fn tables(s: &ScoreReport) -> Vec<Table<'_>> {
    s.weighting
        .iter()
        .flat_map(|w| [margins(w, s.suppress_below), summary(w)])
        .collect()
}

/// The summary's "Weights" paragraph.
#[derive(Debug, Serialize)]
pub(crate) struct WeightsSection {
    /// How the weights were made and what they cost, in sentences.
    pub(crate) text: String,
}

/// The "Weights" paragraph, when the wave is weighted.
pub(crate) fn section(s: &ScoreReport, survey: &Survey) -> Option<WeightsSection> {
    let w = s.weighting.as_ref()?;
    let base = survey
        .respondent
        .weight
        .as_ref()
        .map(|c| format!("the export’s `{c}` weights"));
    let made = if w.margins.is_empty() {
        format!("Figures are weighted by {}.", base.unwrap_or_default())
    } else {
        let margins: Vec<&str> = w.margins.iter().map(|m| m.column.as_str()).collect();
        let start = base.map_or(String::new(), |b| format!(", starting from {b}"));
        let cap = w.cap.map_or(String::new(), |c| {
            format!(", with no weight above {c} times the mean")
        });
        format!(
            "Figures are weighted to the population: the {} respondents were raked to its {} (iterative proportional fitting{start}{cap}; {} {}). Each group’s share of the sample, of the population and after weighting is in weights.csv.",
            w.respondents,
            and_list(&margins),
            w.iterations,
            if w.iterations == 1 { "cycle" } else { "cycles" },
        )
    };
    Some(WeightsSection {
        text: format!(
            "{made} Weights run from {:.2} to {:.2} times the mean. Their design effect is {:.2}: the {} answers carry as much information as {:.1} unweighted ones (an efficiency of {:.0} %). The percentages and means of the rating items, choice questions and scales are weighted, and their intervals use the effective number of answers to each question (n_effective in items.csv, choices.csv and scales.csv); reliability and number questions are not weighted.",
            w.min_weight,
            w.max_weight,
            w.design_effect,
            w.respondents,
            w.n_effective,
            100.0 * w.efficiency
        ),
    })
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
