//! The survey's choice, check-all, number and ranking questions (`[[choices]]`, `[[numbers]]`,
//! `[[rankings]]`) as they are synthesised: options chosen with uneven shares, a check-all
//! answer joined in one cell or spread over a column per option, numbers skewed to the right as
//! hours and counts are, and rankings as positions 1..k, the favoured things first more often.
//!
//! Each question draws from a generator of its own, seeded by its first column's name, so adding
//! such a question to a survey leaves every other column of the same seed's export as it was.

use super::{norm, Rng};
use crate::config::questions::ChoiceKind;
use crate::config::Survey;

/// Answers left blank.
const BLANK_RATE: f64 = 0.03;
/// Options of a choice question that lists none.
const UNLISTED_OPTIONS: usize = 4;

#[derive(Debug, Clone)]
enum Draw {
    /// One option, by cumulative share; `spread`: its label in its own column, the others
    /// blank (a single choice spread over a column per option).
    Single { cumulative: Vec<f64>, spread: bool },
    /// Each option ticked with its own chance, joined with `separator` in one cell.
    Joined { ticks: Vec<f64>, separator: String },
    /// Each option ticked with its own chance, its label written in its own column.
    Spread { ticks: Vec<f64> },
    /// A positive number around `median`, in halves.
    Number { median: f64 },
    /// A position per column: things drawn one after another by weight, without replacement.
    Ranking { weights: Vec<f64> },
}

/// One further question: the columns it writes and how their cells are drawn.
#[derive(Debug, Clone)]
pub(crate) struct PlanQuestion {
    /// The export columns, in order (one, or one per option of a spread check-all question).
    pub columns: Vec<String>,
    /// The header text of each column (the question, or "question - option").
    pub texts: Vec<String>,
    /// Whether the tool's id for the column ends `_TEXT` (a typed answer).
    pub typed: bool,
    options: Vec<String>,
    draw: Draw,
    /// The question's own stream of draws.
    pub stream: u64,
}

/// The plan of every choice and number question whose columns no item or segment writes
/// already (a choice question may read a segment's column, such as a role).
pub(crate) fn plan(survey: &Survey, taken: &[&str], seed: u64) -> Vec<PlanQuestion> {
    // A question's plan draws from its own stream too, at a number no row reaches.
    let planner = |column: &str| Rng::new(seed, stream_of(column), u64::MAX);
    let free = |c: &str| !taken.iter().any(|t| norm(t) == norm(c));
    let mut out = Vec::new();
    for c in &survey.choices {
        if !c.read_columns().iter().all(|col| free(col)) {
            continue;
        }
        let options: Vec<String> = if !c.options.is_empty() {
            c.options.clone()
        } else if c.spread() {
            c.columns.clone()
        } else {
            (1..=UNLISTED_OPTIONS)
                .map(|k| format!("{} {k}", c.id))
                .collect()
        };
        let columns: Vec<String> = c.read_columns().iter().map(|s| s.to_string()).collect();
        let rng = &mut planner(&columns[0]);
        let texts = if c.spread() {
            options
                .iter()
                .map(|o| format!("{} - {o}", c.text))
                .collect()
        } else {
            vec![c.text.clone()]
        };
        let draw = match (c.kind, c.spread()) {
            (ChoiceKind::SingleChoice, spread) => Draw::Single {
                cumulative: cumulative(
                    &options.iter().map(|_| 0.3 + rng.unit()).collect::<Vec<_>>(),
                ),
                spread,
            },
            (ChoiceKind::MultiSelect, spread) => {
                let ticks = options.iter().map(|_| 0.1 + 0.7 * rng.unit()).collect();
                if spread {
                    Draw::Spread { ticks }
                } else {
                    Draw::Joined {
                        ticks,
                        separator: c.separator.clone().unwrap_or_else(|| ";".into()),
                    }
                }
            }
        };
        out.push(PlanQuestion {
            stream: stream_of(&columns[0]),
            columns,
            texts,
            typed: false,
            options,
            draw,
        });
    }
    for n in &survey.numbers {
        if !free(n.column()) {
            continue;
        }
        let rng = &mut planner(n.column());
        out.push(PlanQuestion {
            stream: stream_of(n.column()),
            columns: vec![n.column().to_string()],
            texts: vec![n.text.clone()],
            typed: true,
            options: Vec::new(),
            draw: Draw::Number {
                median: 1.0 + 9.0 * rng.unit(),
            },
        });
    }
    for r in &survey.rankings {
        if !r.columns.iter().all(|col| free(col)) {
            continue;
        }
        let rng = &mut planner(&r.columns[0]);
        let options = if r.options.is_empty() {
            r.columns.clone()
        } else {
            r.options.clone()
        };
        out.push(PlanQuestion {
            stream: stream_of(&r.columns[0]),
            columns: r.columns.clone(),
            texts: options
                .iter()
                .map(|o| format!("{} - {o}", r.text))
                .collect(),
            typed: false,
            draw: Draw::Ranking {
                weights: options.iter().map(|_| 0.2 + rng.unit()).collect(),
            },
            options,
        });
    }
    out
}

/// A stream number from a column's name (FNV-1a), away from the synthesiser's fixed streams.
fn stream_of(column: &str) -> u64 {
    let h = column.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h | (1 << 63)
}

fn cumulative(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

impl PlanQuestion {
    /// Appends the question's cells for one respondent (blank when `answered` is false).
    pub(crate) fn cells(&self, answered: bool, rng: &mut Rng, out: &mut Vec<String>) {
        if !answered || rng.unit() < BLANK_RATE {
            out.extend(self.columns.iter().map(|_| String::new()));
            return;
        }
        match &self.draw {
            Draw::Single { cumulative, spread } => {
                let u = rng.unit();
                let k = cumulative.iter().position(|&c| u < c).unwrap_or(0);
                if *spread {
                    out.extend((0..self.columns.len()).map(|i| {
                        if i == k {
                            self.options[k].clone()
                        } else {
                            String::new()
                        }
                    }));
                } else {
                    out.push(self.options[k].clone());
                }
            }
            Draw::Joined { ticks, separator } => {
                let chosen: Vec<&str> = self
                    .options
                    .iter()
                    .zip(ticks)
                    .filter(|(_, &p)| rng.unit() < p)
                    .map(|(o, _)| o.as_str())
                    .collect();
                out.push(chosen.join(separator));
            }
            Draw::Spread { ticks } => {
                for (o, &p) in self.options.iter().zip(ticks) {
                    out.push(if rng.unit() < p {
                        o.clone()
                    } else {
                        String::new()
                    });
                }
            }
            Draw::Number { median } => {
                // Log-normal: most near the median, a long tail of large answers.
                let v = median * (0.6 * rng.normal()).exp();
                out.push(format!("{}", (v * 2.0).round().max(1.0) / 2.0));
            }
            Draw::Ranking { weights } => {
                let mut left: Vec<usize> = (0..weights.len()).collect();
                let mut positions = vec![0usize; weights.len()];
                for position in 1..=weights.len() {
                    let total: f64 = left.iter().map(|&k| weights[k]).sum();
                    let mut u = rng.unit() * total;
                    let at = left
                        .iter()
                        .position(|&k| {
                            u -= weights[k];
                            u < 0.0
                        })
                        .unwrap_or(left.len() - 1);
                    positions[left.remove(at)] = position;
                }
                out.extend(positions.iter().map(usize::to_string));
            }
        }
    }
}
