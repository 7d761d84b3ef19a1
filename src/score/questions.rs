//! Choice, check-all and number questions: how each reads a response (`Source`), and their
//! figures from the answers counted in the score pass.
//!
//! Every such question reads one value per response: a cell (a single choice, a check-all
//! question's joined answer, a number), or, for a check-all question spread over a column per
//! option, which of its columns are ticked. The pass counts the distinct values, as it numbers
//! segment groups, so the figures here come from a table of (value, respondents) whatever the
//! export's size: exact shares, nets, quartiles and histograms, with nothing held per response.

use crate::config::{Choice, ChoiceKind, Number, Ranking, Survey};
use crate::error::{Error, Result};
use crate::joins::Joins;
use crate::model::{option_label, trim_cell, Column, ColumnIndex, Row};
use crate::stats::design::WeightSums;
use crate::stats::intervals::wilson;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

mod write_ins;
pub(super) use write_ins::Folding;

/// How a question reads one value from a response.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    /// One cell, trimmed (blank: not answered).
    Cell(usize),
    /// A column per option: the ticked options' positions, joined by `,` (blank: none ticked).
    Ticks(Vec<usize>),
}

impl Source {
    /// The response's value, written into `buffer` when it has to be built.
    pub(super) fn value<'r>(&self, row: &'r impl Row, buffer: &'r mut String) -> &'r str {
        match self {
            // Nearly every cell is its own answer, read where it lies, not copied.
            Source::Cell(c) => match row.scrubbed(*c) {
                Cow::Borrowed(cell) => trim_cell(cell),
                Cow::Owned(scrubbed) => {
                    *buffer = scrubbed;
                    trim_cell(buffer)
                }
            },
            Source::Ticks(columns) => {
                buffer.clear();
                for (i, &c) in columns.iter().enumerate() {
                    if is_ticked(row.value(c)) {
                        if !buffer.is_empty() {
                            buffer.push(',');
                        }
                        let _ = write!(buffer, "{i}");
                    }
                }
                buffer
            }
        }
    }
}

/// Whether an option's own column says it was chosen: anything but a blank or a "no".
fn is_ticked(cell: &str) -> bool {
    let v = trim_cell(cell);
    !(v.is_empty()
        || [
            "0",
            "0.0",
            "false",
            "no",
            "not selected",
            "unchecked",
            "n",
            "n/a",
            "na",
        ]
        .iter()
        .any(|no| v.eq_ignore_ascii_case(no)))
}

/// Each choice, number and ranking question's source, resolved against an export's columns: the
/// choices' first, in the survey's order, then the numbers', then per ranking which of its
/// columns hold a position (its base) and each column's position.
pub(super) fn sources(columns: &[Column], survey: &Survey, file: &Path) -> Result<Vec<Source>> {
    // One index for every lookup: a survey of thousands of check-all options stays linear.
    let index = ColumnIndex::of(columns);
    let find = |wanted: &str, key: String| {
        index.find(wanted).ok_or_else(|| {
            Error::input(file, format!("has no column `{wanted}`"))
                .at_column(wanted.to_string())
                .hint(format!(
                    "fix `{key}` in the survey file; `canvass inspect` lists the columns"
                ))
        })
    };
    let mut out = Vec::new();
    for (i, c) in survey.choices.iter().enumerate() {
        out.push(if c.spread() {
            let cols = c
                .columns
                .iter()
                .map(|w| find(w, format!("choices[{i}].columns")))
                .collect::<Result<Vec<usize>>>()?;
            Source::Ticks(cols)
        } else {
            let key = if c.column.is_some() { "column" } else { "id" };
            Source::Cell(find(c.read_columns()[0], format!("choices[{i}].{key}"))?)
        });
    }
    for (i, n) in survey.numbers.iter().enumerate() {
        let key = if n.column.is_some() { "column" } else { "id" };
        out.push(Source::Cell(find(
            n.column(),
            format!("numbers[{i}].{key}"),
        )?));
    }
    for (i, r) in survey.rankings.iter().enumerate() {
        let cols = r
            .columns
            .iter()
            .map(|w| find(w, format!("rankings[{i}].columns")))
            .collect::<Result<Vec<usize>>>()?;
        out.push(Source::Ticks(cols.clone()));
        out.extend(cols.into_iter().map(Source::Cell));
    }
    Ok(out)
}

/// One option's (or net's) share of the respondents who answered its question: a row of
/// choices.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionShare {
    /// The option's label (a net's name).
    pub option: String,
    /// The export column the count came from (for a question spread over a column per
    /// option, that option's column).
    pub column: String,
    /// Respondents who chose it.
    pub count: u64,
    /// Per cent of those who answered the question; `null` when nobody did.
    pub pct: Option<f64>,
    /// Wilson interval, per cent.
    pub ci_low: Option<f64>,
    /// Wilson interval, per cent.
    pub ci_high: Option<f64>,
}

/// A choice or check-all question's figures: an entry of score.json's `choices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceScore {
    /// The question's id.
    pub id: String,
    /// The question as asked.
    pub text: String,
    /// `single-choice` or `multi-select`.
    pub kind: ChoiceKind,
    /// Respondents who answered (for a check-all question, who ticked at least one option):
    /// the base of every percentage.
    pub n: u64,
    /// Kish's effective sample size of those who answered, (Σw)² / Σw², when the survey is
    /// weighted: the percentages are then weighted and the intervals use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_effective: Option<f64>,
    /// Respondents who did not answer.
    pub missing: u64,
    /// Check-all questions: options ticked per respondent who answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers_per_respondent: Option<f64>,
    /// Each option, in the tool's order (or most chosen first, "Other" last).
    pub options: Vec<OptionShare>,
    /// The nets the survey defines, after the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nets: Vec<OptionShare>,
    /// Answers written into the question's own column (not its options; see [`Folding`]):
    /// how many respondents gave one and the option row they are counted under. Their words
    /// are in no table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_in: Option<WrittenIn>,
    /// Lead the summary with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
}

/// Respondents who wrote an answer of their own into a choice question's column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrittenIn {
    /// The option row that counts them: the survey's "Other" option, else "Other (written in)".
    pub option: String,
    /// Respondents whose answer held a write-in.
    pub respondents: u64,
}

/// The group of respondents who left a segment's column blank.
pub(super) const NOT_ANSWERED: &str = "(not answered)";

/// The row write-ins are counted under when the question has no "Other" option of its own.
pub const WRITTEN_IN: &str = "Other (written in)";

/// One ranked thing's figures: a row of rankings.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedOption {
    /// The ranked thing's label.
    pub option: String,
    /// The export column holding its positions.
    pub column: String,
    /// Respondents who gave it a position.
    pub n: u64,
    /// Its mean position (1 = first); `null` when nobody ranked it.
    pub mean_rank: Option<f64>,
    /// Respondents who ranked it first.
    pub first: u64,
    /// Per cent of the question's respondents who ranked it first.
    pub pct_first: Option<f64>,
}

/// A ranking question's figures: an entry of score.json's `rankings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingScore {
    /// The question's id.
    pub id: String,
    /// The question as asked.
    pub text: String,
    /// Respondents who ranked at least one thing: the base of `pct_first`.
    pub n: u64,
    /// Respondents who ranked nothing.
    pub missing: u64,
    /// Positions that are not whole numbers from 1 (counted, left out of every figure).
    pub not_positions: u64,
    /// Each ranked thing, in the survey's order.
    pub options: Vec<RankedOption>,
    /// Lead the summary with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
}

/// One bar of a number question's histogram: values in `[low, high)` (the last bar includes
/// `high`); for whole numbers over a short range, one bar per value (`low == high`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// The bar's lowest value.
    pub low: f64,
    /// The bar's highest value (exclusive but for the last bar, or equal to `low`).
    pub high: f64,
    /// Respondents in the bar.
    pub count: u64,
}

/// A number question's figures: a row of numbers.csv and an entry of score.json's `numbers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberScore {
    /// The question's id.
    pub id: String,
    /// The question as asked.
    pub text: String,
    /// The export column read.
    pub column: String,
    /// Respondents who answered with a number.
    pub n: u64,
    /// Respondents who left it blank.
    pub missing: u64,
    /// Respondents whose answer is not a number (counted, left out of every figure).
    pub not_numbers: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1).
    pub sd: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// First quartile (R's default, type 7).
    pub q1: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// Third quartile (type 7).
    pub q3: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
    /// The distribution, lowest values first.
    pub histogram: Vec<Bin>,
    /// Lead the summary with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
}

/// The counted values of one source: each distinct value and how many respondents gave it.
pub(super) struct Counted<'a> {
    pub(super) values: &'a [String],
    pub(super) counts: &'a [u64],
}

impl Counted<'_> {
    fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.values
            .iter()
            .map(String::as_str)
            .zip(self.counts.iter().copied())
            .filter(|(_, n)| *n > 0)
    }
}

/// A group's weight sums for a choice question: of everyone who answered it, and per option
/// of `options` of those who chose it (`weights` by answer number, as `counted` numbers them).
pub(super) fn choice_weights(
    choice: &Choice,
    source: &Source,
    columns: &[Column],
    counted: &Counted,
    weights: &rustc_hash::FxHashMap<u32, WeightSums>,
    options: &[&str],
    folding: &Folding,
) -> (WeightSums, Vec<WeightSums>) {
    let labels = match source {
        Source::Ticks(cols) => spread_labels(choice, columns, cols),
        Source::Cell(_) => Vec::new(),
    };
    let joins = &folding.joins;
    let mut base = WeightSums::default();
    let mut per_option = vec![WeightSums::default(); options.len()];
    let add = |to: &mut WeightSums, w: &WeightSums| {
        to.w += w.w;
        to.w2 += w.w2;
    };
    for (id, value) in counted.values.iter().enumerate() {
        let Some(w) = weights.get(&(id as u32)) else {
            continue;
        };
        let chose = chosen(choice, value, joins, &labels, folding);
        if value.is_empty() || chose.is_empty() {
            continue;
        }
        add(&mut base, w);
        for (o, sums) in options.iter().zip(per_option.iter_mut()) {
            if chose.contains(o) {
                add(sums, w);
            }
        }
    }
    (base, per_option)
}

/// Per cent of `n` with its Wilson interval.
fn share(option: String, column: String, count: u64, n: u64, confidence: f64) -> OptionShare {
    let ci = wilson(count as f64, n as f64, confidence);
    OptionShare {
        option,
        column,
        count,
        pct: (n > 0).then(|| 100.0 * count as f64 / n as f64),
        ci_low: ci.map(|c| 100.0 * c.low),
        ci_high: ci.map(|c| 100.0 * c.high),
    }
}

/// Whether an option reads as the catch-all one, listed last ("Other", "Other (please specify)").
fn is_other(label: &str) -> bool {
    let l = label.trim().to_lowercase();
    l == "other" || l.starts_with("other ") || l.starts_with("other (") || l.starts_with("other:")
}

/// How a check-all question's joined answers split into options, learned once per question
/// from every answer it was given (not one group's) and kept in its `Folding`, so that every
/// table (overall, weighted, each group's) splits an answer alike.
fn joins(choice: &Choice, counted: &Counted) -> Joins {
    let sep = separator(choice, counted);
    let joined = choice.kind == ChoiceKind::MultiSelect && !choice.spread();
    let answers = counted.values.iter().map(String::as_str).filter(|_| joined);
    Joins::learn(answers, sep, &choice.options)
}

/// The separator of a joined check-all answer: the survey's, else `;` when any answer holds one,
/// else `, ` (Google Forms).
fn separator<'a>(choice: &'a Choice, counted: &Counted) -> &'a str {
    if let Some(s) = &choice.separator {
        return s;
    }
    let any = |sep: &str| counted.values.iter().any(|v| v.contains(sep));
    // Qualtrics joins a multiple-answer question's choices with a bare ","; a label's own comma
    // is followed by a space, so a bare comma is the separator only where no ", " is seen.
    if any(";") {
        ";"
    } else if !any(", ") && any(",") {
        ","
    } else {
        ", "
    }
}

/// A respondent's options, as labels, from their value: a write-in as the row counting them.
fn chosen<'v>(
    choice: &Choice,
    value: &'v str,
    joins: &Joins,
    labels: &'v [String],
    folding: &'v Folding,
) -> Vec<&'v str> {
    let mut out: Vec<&str> = match (choice.kind, choice.spread()) {
        // One answer spread over a column per option: a respondent who filled two columns
        // gave no one answer, and is counted as not answering (so shares add up to 100 %).
        (ChoiceKind::SingleChoice, true) if value.contains(',') => Vec::new(),
        (_, true) => value
            .split(',')
            .filter_map(|i| i.parse::<usize>().ok())
            .filter_map(|i| labels.get(i).map(String::as_str))
            .collect(),
        (ChoiceKind::MultiSelect, false) => joins
            .parts(value)
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect(),
        (ChoiceKind::SingleChoice, false) => vec![value],
    };
    for o in &mut out {
        *o = folding.fold(o);
    }
    // A respondent counts once per option, however often a joined answer repeats it (or
    // however many parts their write-in was split into).
    let mut seen = BTreeSet::new();
    out.retain(|o| seen.insert(*o));
    out
}

/// The option labels of a question spread over a column per option: the survey's `options`,
/// else what follows the last " - " of the column's question text ("Which sessions? - Maths"),
/// else the column's name.
fn spread_labels(choice: &Choice, columns: &[Column], file_columns: &[usize]) -> Vec<String> {
    let labels: Vec<String> = if choice.options.is_empty() {
        derived_labels(columns, file_columns)
    } else {
        choice.options.clone()
    };
    // Options are counted by label: two columns with one label stay two options.
    labels
        .iter()
        .zip(file_columns)
        .map(|(l, &c)| {
            if labels.iter().filter(|x| *x == l).count() > 1 {
                format!("{l} ({})", columns[c].name)
            } else {
                l.clone()
            }
        })
        .collect()
}

fn derived_labels(columns: &[Column], file_columns: &[usize]) -> Vec<String> {
    file_columns
        .iter()
        .map(|&c| option_label(&columns[c].question, &columns[c].name))
        .collect()
}

/// A choice question's figures from its counted values.
pub(super) fn choice_score(
    choice: &Choice,
    source: &Source,
    columns: &[Column],
    counted: &Counted,
    respondents: u64,
    (confidence, folding): (f64, &Folding),
) -> ChoiceScore {
    let (labels, label_columns): (Vec<String>, Vec<String>) = match source {
        Source::Ticks(cols) => (
            spread_labels(choice, columns, cols),
            cols.iter().map(|&c| columns[c].name.clone()).collect(),
        ),
        Source::Cell(c) => (Vec::new(), vec![columns[*c].name.clone()]),
    };
    let joins = &folding.joins;
    // Per option: respondents, in order of first appearance; then ordered below.
    let mut tally: Vec<(String, u64)> = Vec::new();
    let (mut n, mut ticks, mut written_in) = (0u64, 0u64, 0u64);
    let unfolded = Folding::default();
    for (value, count) in counted.iter().filter(|(v, _)| !v.is_empty()) {
        let options = chosen(choice, value, joins, &labels, folding);
        if options.is_empty() {
            continue;
        }
        if folding.holds_write_in(&chosen(choice, value, joins, &labels, &unfolded)) {
            written_in += count;
        }
        n += count;
        ticks += count * options.len() as u64;
        for o in options {
            match tally.iter_mut().find(|(l, _)| l == o) {
                Some((_, c)) => *c += count,
                None => tally.push((o.to_string(), count)),
            }
        }
    }
    let listed: &[String] = if choice.spread() {
        &labels
    } else {
        &choice.options
    };
    let order = option_order(listed, &tally);
    let column_of = |label: &str| -> String {
        match label_columns.as_slice() {
            [one] => one.clone(),
            many => labels
                .iter()
                .position(|l| l == label)
                .and_then(|i| many.get(i).cloned())
                .unwrap_or_default(),
        }
    };
    let options = order
        .into_iter()
        .map(|(label, count)| {
            let column = column_of(&label);
            share(label, column, count, n, confidence)
        })
        .collect();
    let nets = choice
        .nets
        .iter()
        .map(|(net, members)| {
            let count = counted
                .iter()
                .filter(|(v, _)| !v.is_empty())
                .filter(|(v, _)| {
                    chosen(choice, v, joins, &labels, folding)
                        .iter()
                        .any(|o| members.iter().any(|m| m == o))
                })
                .map(|(_, c)| c)
                .sum();
            share(net.clone(), label_columns.join(" "), count, n, confidence)
        })
        .collect();
    ChoiceScore {
        id: choice.id.clone(),
        text: choice.text.clone(),
        kind: choice.kind,
        n,
        n_effective: None,
        missing: respondents.saturating_sub(n),
        answers_per_respondent: (choice.kind == ChoiceKind::MultiSelect && n > 0)
            .then(|| ticks as f64 / n as f64),
        options,
        nets,
        written_in: (written_in > 0).then(|| WrittenIn {
            option: folding.label.clone(),
            respondents: written_in,
        }),
        headline: choice.headline,
    }
}

/// Replaces a choice question's shares, nets and intervals by their weighted versions (counts
/// stay as observed): `weights` holds, per answer number of `counted`, the sum of the
/// answering respondents' weights and of their squares. Intervals use Kish's effective n.
pub(super) fn weigh_choice(
    score: &mut ChoiceScore,
    question: (&Choice, &Source, &[Column]),
    counted: &Counted,
    weights: &[[f64; 2]],
    (confidence, folding): (f64, &Folding),
) {
    let (choice, source, columns) = question;
    let labels = match source {
        Source::Ticks(cols) => spread_labels(choice, columns, cols),
        Source::Cell(_) => Vec::new(),
    };
    let joins = &folding.joins;
    let (mut total, mut squares) = (0.0, 0.0);
    let mut by_option: Vec<(String, f64)> = Vec::new();
    let mut nets = vec![0.0; choice.nets.len()];
    for (i, value) in counted.values.iter().enumerate() {
        let (Some(&[w, w2]), Some(&count)) = (weights.get(i), counted.counts.get(i)) else {
            continue;
        };
        let options = chosen(choice, value, joins, &labels, folding);
        if count == 0 || value.is_empty() || options.is_empty() {
            continue;
        }
        (total, squares) = (total + w, squares + w2);
        for o in &options {
            match by_option.iter_mut().find(|(l, _)| l == o) {
                Some((_, sum)) => *sum += w,
                None => by_option.push((o.to_string(), w)),
            }
        }
        for (sum, (_, members)) in nets.iter_mut().zip(&choice.nets) {
            if options.iter().any(|o| members.iter().any(|m| m == o)) {
                *sum += w;
            }
        }
    }
    if total <= 0.0 {
        return;
    }
    let n_effective = total * total / squares;
    let weigh = |share: &mut OptionShare, w: f64| {
        let p = w / total;
        let ci = wilson(p * n_effective, n_effective, confidence);
        share.pct = Some(100.0 * p);
        share.ci_low = ci.map(|c| 100.0 * c.low);
        share.ci_high = ci.map(|c| 100.0 * c.high);
    };
    for share in &mut score.options {
        let w = by_option.iter().find(|(l, _)| *l == share.option);
        weigh(share, w.map_or(0.0, |(_, w)| *w));
    }
    for (share, w) in score.nets.iter_mut().zip(nets) {
        weigh(share, w);
    }
    score.n_effective = Some(n_effective);
}

/// The survey's listed options first, in its order (unchosen ones with 0), then the others
/// most chosen first (ties by label), with "Other …" options last.
fn option_order(listed: &[String], tally: &[(String, u64)]) -> Vec<(String, u64)> {
    let count_of = |l: &str| tally.iter().find(|(x, _)| x == l).map_or(0, |(_, c)| *c);
    let mut out: Vec<(String, u64)> = listed.iter().map(|l| (l.clone(), count_of(l))).collect();
    let mut rest: Vec<(String, u64)> = tally
        .iter()
        .filter(|(l, _)| !listed.contains(l))
        .cloned()
        .collect();
    rest.sort_by(|a, b| {
        (is_other(&a.0), std::cmp::Reverse(a.1), &a.0).cmp(&(
            is_other(&b.0),
            std::cmp::Reverse(b.1),
            &b.0,
        ))
    });
    out.extend(rest);
    out
}

/// Type-7 quantile (R's default) of the values `sorted` (value, count), `n` in all.
fn quantile(sorted: &[(f64, u64)], n: u64, p: f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let (lo, frac) = (h.floor() as u64, h - h.floor());
    let at = |k: u64| {
        let mut seen = 0;
        for &(v, c) in sorted {
            seen += c;
            if k < seen {
                return v;
            }
        }
        sorted.last().map_or(f64::NAN, |x| x.0)
    };
    let a = at(lo);
    Some(if frac == 0.0 {
        a
    } else {
        a + frac * (at(lo + 1) - a)
    })
}

/// Whole numbers spanning at most this many values get a bar each.
const BAR_PER_VALUE: f64 = 30.0;

fn histogram(sorted: &[(f64, u64)], n: u64) -> Vec<Bin> {
    let (Some(&(min, _)), Some(&(max, _))) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if sorted.iter().all(|(v, _)| v.fract() == 0.0) && max - min <= BAR_PER_VALUE {
        return sorted
            .iter()
            .map(|&(v, count)| Bin {
                low: v,
                high: v,
                count,
            })
            .collect();
    }
    // Sturges' rule, as R's hist(), at most 20 bars.
    let bars = ((n as f64).log2().ceil() as usize + 1).clamp(1, 20);
    let width = (max - min) / bars as f64;
    let mut bins: Vec<Bin> = (0..bars)
        .map(|b| Bin {
            low: min + width * b as f64,
            high: if b + 1 == bars {
                max
            } else {
                min + width * (b + 1) as f64
            },
            count: 0,
        })
        .collect();
    for &(v, c) in sorted {
        let b = if width > 0.0 {
            (((v - min) / width) as usize).min(bars - 1)
        } else {
            0
        };
        bins[b].count += c;
    }
    bins
}

/// The numbers among counted values, lowest first, each with its respondents (values that read
/// as one number, "1.0" and "1", counted together); and the respondents whose answer is not a
/// number.
pub(super) fn number_values(counted: &Counted, decimal_comma: bool) -> (Vec<(f64, u64)>, u64) {
    let mut sorted: Vec<(f64, u64)> = Vec::new();
    let mut not_numbers = 0u64;
    for (v, c) in counted.iter() {
        if v.is_empty() {
            continue;
        }
        match crate::quantity::parse_written(v, decimal_comma) {
            Some(x) => sorted.push((x, c)),
            None => not_numbers += c,
        }
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    sorted.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1 += later.1;
            true
        } else {
            false
        }
    });
    (sorted, not_numbers)
}

/// A number question's figures from its counted values.
pub(super) fn number_score(
    number: &Number,
    column: &Column,
    counted: &Counted,
    respondents: u64,
) -> NumberScore {
    let (sorted, not_numbers) = number_values(counted, number.decimal_comma);
    let n: u64 = sorted.iter().map(|x| x.1).sum();
    let mean = (n > 0).then(|| sorted.iter().map(|&(v, c)| v * c as f64).sum::<f64>() / n as f64);
    let sd = mean.filter(|_| n > 1).map(|m| {
        let ss: f64 = sorted
            .iter()
            .map(|&(v, c)| c as f64 * (v - m) * (v - m))
            .sum();
        (ss / (n - 1) as f64).sqrt()
    });
    NumberScore {
        id: number.id.clone(),
        text: number.text.clone(),
        column: column.name.clone(),
        n,
        missing: respondents.saturating_sub(n + not_numbers),
        not_numbers,
        mean,
        sd,
        min: sorted.first().map(|x| x.0),
        q1: quantile(&sorted, n, 0.25),
        median: quantile(&sorted, n, 0.5),
        q3: quantile(&sorted, n, 0.75),
        max: sorted.last().map(|x| x.0),
        histogram: histogram(&sorted, n),
        headline: number.headline,
    }
}

/// The sources of every ranking question: their first index in `sources`, then per ranking its
/// base and its columns' positions (see [`sources`]).
pub(super) fn ranking_scores<'a>(
    survey: &Survey,
    sources: &[Source],
    columns: &[Column],
    counted: impl Fn(usize) -> Counted<'a>,
    respondents: u64,
) -> Vec<RankingScore> {
    let mut at = survey.choices.len() + survey.numbers.len();
    let mut out = Vec::with_capacity(survey.rankings.len());
    for r in &survey.rankings {
        let Source::Ticks(cols) = &sources[at] else {
            unreachable!("a ranking's first source is its base")
        };
        let labels = ranking_labels(r, columns, cols);
        let per_column: Vec<Counted> = (0..cols.len()).map(|k| counted(at + 1 + k)).collect();
        out.push(ranking_score(
            r,
            &labels,
            cols,
            columns,
            &counted(at),
            &per_column,
            respondents,
        ));
        at += 1 + cols.len();
    }
    out
}

/// A ranked thing's label: the survey's, else the column's question after its last " - ", else
/// the column's name.
fn ranking_labels(r: &Ranking, columns: &[Column], cols: &[usize]) -> Vec<String> {
    if !r.options.is_empty() {
        return r.options.clone();
    }
    derived_labels(columns, cols)
}

/// A position as tools write it: a whole number from 1 ("2", "2.0"), or its ordinal ("2nd",
/// Google Forms' ranking grid).
fn parse_position(v: &str) -> Option<u64> {
    let Some(x) = crate::quantity::parse(v) else {
        return crate::model::ordinal(v).filter(|&p| p >= 1);
    };
    (x >= 1.0 && x.fract() == 0.0 && x <= u32::MAX as f64).then_some(x as u64)
}

/// A ranking question's figures from its base (which columns hold a position) and each
/// column's counted positions.
fn ranking_score(
    r: &Ranking,
    labels: &[String],
    cols: &[usize],
    columns: &[Column],
    base: &Counted,
    per_column: &[Counted],
    respondents: u64,
) -> RankingScore {
    let n: u64 = base
        .iter()
        .filter(|(v, _)| !v.is_empty())
        .map(|(_, c)| c)
        .sum();
    let mut not_positions = 0;
    let options = per_column
        .iter()
        .zip(labels)
        .zip(cols)
        .map(|((counted, label), &c)| {
            let (mut ranked, mut total, mut first) = (0u64, 0u64, 0u64);
            for (v, count) in counted.iter().filter(|(v, _)| !v.is_empty()) {
                match parse_position(v) {
                    Some(p) => {
                        ranked += count;
                        total += p * count;
                        if p == 1 {
                            first += count;
                        }
                    }
                    None => not_positions += count,
                }
            }
            RankedOption {
                option: label.clone(),
                column: columns[c].name.clone(),
                n: ranked,
                mean_rank: (ranked > 0).then(|| total as f64 / ranked as f64),
                first,
                pct_first: (n > 0).then(|| 100.0 * first as f64 / n as f64),
            }
        })
        .collect();
    RankingScore {
        id: r.id.clone(),
        text: r.text.clone(),
        n,
        missing: respondents.saturating_sub(n),
        not_positions,
        options,
        headline: r.headline,
    }
}

#[cfg(test)]
mod tests {
    use super::write_ins::is_other_option;
    use super::*;

    fn counted<'a>(values: &'a [String], counts: &'a [u64]) -> Counted<'a> {
        Counted { values, counts }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn column(name: &str, question: &str) -> Column {
        Column {
            name: name.into(),
            question: question.into(),
            import_id: None,
            role: crate::model::ColumnRole::Answer,
        }
    }

    fn choice(toml_text: &str) -> Choice {
        toml::from_str(toml_text).unwrap()
    }

    /// The values 1, 2, 2, 3, 4, 4, 4, 10: Python's statistics.mean, stdev and
    /// quantiles(method='inclusive') (R's type 7) give 3.75, 2.7645718, and 2, 3.5, 4.
    #[test]
    fn number_figures_equal_r() {
        let values = strings(&["1", "2", "3", "4", "10", "", "n/a", "2.0"]);
        let counts = [1, 1, 1, 3, 1, 2, 1, 1];
        let q: Number = toml::from_str("id = 'h'\ntext = 'Hours'").unwrap();
        let s = number_score(&q, &column("h", ""), &counted(&values, &counts), 11);
        assert_eq!((s.n, s.missing, s.not_numbers), (8, 2, 1));
        assert_eq!(s.mean, Some(3.75));
        assert!((s.sd.unwrap() - 2.764_571_8).abs() < 1e-6);
        assert_eq!(
            (s.min, s.q1, s.median, s.q3, s.max),
            (Some(1.0), Some(2.0), Some(3.5), Some(4.0), Some(10.0))
        );
        assert_eq!(
            s.histogram.len(),
            5,
            "a bar per whole value: {:?}",
            s.histogram
        );
    }

    /// 7 of 10 chose "Teacher": 70 %, Wilson 95 % interval 39.678–89.221 (the formula in
    /// Python with statistics.NormalDist's z; R's prop.test(7, 10, correct = FALSE) agrees).
    #[test]
    fn single_choice_shares_with_wilson_intervals_and_other_last() {
        let values = strings(&["Teacher", "Other (please specify)", "Head", ""]);
        let counts = [7, 1, 2, 5];
        let c = choice("id = 'role'\ntext = 'Role'");
        let s = choice_score(
            &c,
            &Source::Cell(0),
            &[column("Q5", "")],
            &counted(&values, &counts),
            15,
            (0.95, &Folding::default()),
        );
        assert_eq!((s.n, s.missing), (10, 5));
        let labels: Vec<&str> = s.options.iter().map(|o| o.option.as_str()).collect();
        assert_eq!(labels, ["Teacher", "Head", "Other (please specify)"]);
        let t = &s.options[0];
        assert_eq!((t.count, t.pct, t.column.as_str()), (7, Some(70.0), "Q5"));
        assert!((t.ci_low.unwrap() - 39.677_815).abs() < 1e-4, "{t:?}");
        assert!((t.ci_high.unwrap() - 89.220_873).abs() < 1e-4, "{t:?}");
    }

    #[test]
    fn joined_check_all_counts_respondents_per_option_and_nets() {
        let values = strings(&["Maths;Reading", "Reading", "Maths;Maths", ""]);
        let counts = [2, 3, 1, 4];
        let c = choice(
            "id = 's'\ntext = 'Sessions'\nkind = 'multi-select'\nnets = { Any = ['Maths', 'Reading'] }",
        );
        let answers = counted(&values, &counts);
        let unfolded = Folding::unfolded(&c, &Source::Cell(0), &answers);
        let s = choice_score(
            &c,
            &Source::Cell(0),
            &[column("Q6", "")],
            &answers,
            10,
            (0.95, &unfolded),
        );
        assert_eq!(s.n, 6);
        let got: Vec<(&str, u64)> = s
            .options
            .iter()
            .map(|o| (o.option.as_str(), o.count))
            .collect();
        assert_eq!(got, [("Reading", 5), ("Maths", 3)]);
        // (2·2 + 3·1 + 1·1) / 6 options per respondent.
        assert_eq!(s.answers_per_respondent, Some(8.0 / 6.0));
        assert_eq!(s.nets[0].count, 6);
    }

    #[test]
    fn spread_check_all_labels_options_by_column_and_keeps_column_order() {
        let values = strings(&["0,1", "1", ""]);
        let counts = [2, 5, 3];
        let c = choice("id = 's'\ntext = 'S'\nkind = 'multi-select'\ncolumns = ['Q6_1', 'Q6_2']");
        let cols = [
            column("Q6_1", "Which sessions? - Maths"),
            column("Q6_2", "Which sessions? - Reading"),
        ];
        let s = choice_score(
            &c,
            &Source::Ticks(vec![0, 1]),
            &cols,
            &counted(&values, &counts),
            10,
            (0.95, &Folding::default()),
        );
        let got: Vec<(&str, &str, u64)> = s
            .options
            .iter()
            .map(|o| (o.option.as_str(), o.column.as_str(), o.count))
            .collect();
        assert_eq!(got, [("Maths", "Q6_1", 2), ("Reading", "Q6_2", 7)]);
        assert_eq!((s.n, s.missing), (7, 3));
    }

    #[test]
    fn a_single_choice_spread_over_columns_counts_who_filled_two_as_not_answering() {
        // 2 respondents filled Male, 5 Female, 1 both, 3 neither: the one who filled both gave
        // no one answer, so the shares are of 7 and add up to 100 %.
        let values = strings(&["0", "1", "0,1", ""]);
        let counts = [2, 5, 1, 3];
        let c = choice("id = 'g'\ntext = 'Gender'\ncolumns = ['G_1', 'G_2']");
        let cols = [
            column("G_1", "Gender - Male"),
            column("G_2", "Gender - Female"),
        ];
        let s = choice_score(
            &c,
            &Source::Ticks(vec![0, 1]),
            &cols,
            &counted(&values, &counts),
            11,
            (0.95, &Folding::default()),
        );
        assert_eq!(rows(&s), [("Male", 2), ("Female", 5)]);
        assert_eq!((s.n, s.missing), (7, 4));
    }

    fn rows(s: &ChoiceScore) -> Vec<(&str, u64)> {
        s.options
            .iter()
            .map(|o| (o.option.as_str(), o.count))
            .collect()
    }

    fn folded_score(c: &Choice, values: &[String], counts: &[u64]) -> ChoiceScore {
        let counted = counted(values, counts);
        let folding = Folding::of(c, &Source::Cell(0), &counted, 10);
        let respondents = counts.iter().sum();
        let figures = (0.95, &folding);
        choice_score(
            c,
            &Source::Cell(0),
            &[column("Q", "")],
            &counted,
            respondents,
            figures,
        )
    }

    /// Google Forms writes the "Other:" box's words in place of the option: a value fewer
    /// than the threshold gave, not listed and not a stock answer, is counted, never named.
    #[test]
    fn rare_typed_answers_are_counted_under_one_other_row() {
        let values = strings(&[
            "Teacher",
            "Head",
            "Prefer not to say",
            "Jane Okafor, parent governor",
            "jane@example.org",
            "Other: Hillside Primary",
            "",
        ]);
        let counts = [12, 10, 2, 1, 1, 1, 3];
        let c = choice("id = 'role'\ntext = 'Role'");
        let s = folded_score(&c, &values, &counts);
        assert_eq!(
            rows(&s),
            [
                ("Teacher", 12),
                ("Head", 10),
                ("Prefer not to say", 2),
                (WRITTEN_IN, 3)
            ]
        );
        assert_eq!(s.options.iter().map(|o| o.count).sum::<u64>(), s.n);
        assert_eq!(s.written_in.as_ref().map(|w| w.respondents), Some(3));
        assert!(is_other_option("Other (please specify)") && is_other_option("other:"));
        assert!(!is_other_option("Other: Hillside Primary") && !is_other_option("Otherwise"));
        // A threshold of 1 suppresses nothing, so nothing is folded either.
        let counted = counted(&values, &counts);
        assert!(Folding::of(&c, &Source::Cell(0), &counted, 1)
            .written_in
            .is_empty());
    }

    #[test]
    fn a_check_all_write_in_split_by_its_commas_is_one_respondent_under_other() {
        let values = strings(&[
            "Maths, Reading",
            "Reading",
            "Maths, mentoring with Tom Baptiste",
            "Reading, Volunteer, Hillside",
        ]);
        let counts = [10, 5, 1, 1];
        let c = choice("id = 's'\ntext = 'S'\nkind = 'multi-select'");
        let s = folded_score(&c, &values, &counts);
        assert_eq!(rows(&s), [("Reading", 16), ("Maths", 11), (WRITTEN_IN, 2)]);
        assert_eq!(s.n, 17);
        // Options per respondent count the write-in once: (10·2 + 5 + 2 + 2) / 17.
        assert_eq!(s.answers_per_respondent, Some(29.0 / 17.0));
    }

    /// The survey's options decide; its own "Other" option counts the write-ins; an unlisted
    /// answer enough respondents gave is in effect an option and keeps its row.
    #[test]
    fn listed_options_decide_and_their_other_option_counts_write_ins() {
        let values = strings(&[
            "Teacher",
            "Supply teacher",
            "Other",
            "Head of Year 6 at Hillside",
            "7",
        ]);
        let counts = [20, 11, 3, 1, 1];
        let c = choice("id = 'role'\ntext = 'Role'\noptions = ['Teacher', 'Other']");
        let s = folded_score(&c, &values, &counts);
        assert_eq!(
            rows(&s),
            [
                ("Teacher", 20),
                ("Other", 4),
                ("Supply teacher", 11),
                ("7", 1)
            ]
        );
        assert_eq!(
            s.written_in.map(|w| (w.option, w.respondents)),
            Some(("Other".into(), 1))
        );
    }

    #[test]
    fn ticks_are_anything_but_blank_or_no() {
        for yes in ["1", "Maths", "Selected", "TRUE"] {
            assert!(is_ticked(yes), "{yes}");
        }
        for no in ["", " ", "0", "No", "not selected", "FALSE"] {
            assert!(!is_ticked(no), "{no}");
        }
    }
}
