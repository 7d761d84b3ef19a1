//! Crosstabs: every question by every segment, with tests of whether the groups differ.
//!
//! Each group's figures come from its own counts through the code that makes the overall
//! figures (`likert::summarise`, `choice_score`, `number_score`), and a cell is hidden by the
//! same disclosure control as in the segment breakdowns (`super::disclosure`), with its reason.
//! Suppressed groups take part in no test.
//!
//! Per question × segment, one omnibus test across the shown groups: Pearson's χ² without
//! continuity correction on the option counts (single-choice questions; each check-all option,
//! ticked or not, on its own), Kruskal–Wallis on the answers' ranks (Likert items by option,
//! non-substantive answers left out; scales by score; numbers by value). Their p-values are
//! adjusted as one family with the pipeline's `adjustment`. Per cell, each shown group against
//! the other shown groups combined: the two-sided two-proportion z-test (no continuity
//! correction) for an option's share, the Mann–Whitney test (normal approximation with tie
//! and continuity corrections) otherwise; adjusted within the question × segment table, and
//! marked only where the omnibus test holds too.

use super::likert;
use super::questions::{
    choice_score, choice_weights, number_score, number_values, ChoiceScore, Counted, Folding,
    Source,
};
use super::tally::{GroupTally, SCORE_RESOLUTION};
use super::{disclosure, ScoreOptions};
use crate::config::{ChoiceKind, ResponseScale, Survey};
use crate::model::Column;
use crate::stats::design::{rao_scott, WeightSums};
use crate::stats::hypothesis::{
    fill_adjusted, kruskal_wallis, mann_whitney_p, pearson_chi_squared, two_proportion_z_p, Omnibus,
};
use crate::suppression::{Column as Protected, Reason};
use serde::{Deserialize, Serialize};

/// The omnibus test of a crosstab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// Pearson's χ² test of independence, no continuity correction.
    ChiSquared,
    /// The Kruskal–Wallis rank test.
    KruskalWallis,
    /// With survey weights: Pearson's χ² with the Rao–Scott second-order correction, referred
    /// to F (`survey::svychisq`); `statistic` is F and `df` its numerator degrees of freedom.
    RaoScott,
}

/// How a group differs from the other shown groups combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// A larger share, or answers ranked higher.
    Higher,
    /// A smaller share, or answers ranked lower.
    Lower,
}

impl Direction {
    /// As crosstabs.csv writes it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

/// One question (or check-all option) by one segment: an entry of score.json's `crosstabs`,
/// and rows of crosstabs.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crosstab {
    /// The segment's name.
    pub segment: String,
    /// `item`, `scale`, `single-choice`, `multi-select` or `number`.
    pub kind: String,
    /// The question's id (a scale's name).
    pub id: String,
    /// The check-all option this table tests (ticked or not); `None` for other questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The omnibus test.
    pub test: Test,
    /// χ² or H; `None` when not tested (fewer than two shown groups with answers, one answer
    /// only, or weighted figures).
    pub statistic: Option<f64>,
    /// Degrees of freedom.
    pub df: Option<f64>,
    /// The omnibus p-value.
    pub p_value: Option<f64>,
    /// `p_value` adjusted across every crosstab of the wave with the pipeline's `adjustment`.
    pub p_adjusted: Option<f64>,
    /// `p_adjusted` is below 1 − confidence.
    pub significant: bool,
    /// One cell per group (and, for single-choice questions, per option).
    pub cells: Vec<CrosstabCell>,
}

/// One group's figure in a crosstab: a row of crosstabs.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabCell {
    /// The group: the segment column's answer, or "(not answered)".
    pub group: String,
    /// The export column the figure came from (empty for a scale).
    pub column: String,
    /// The option (choice questions) or the measure: `pct_agree` (items) or `mean`.
    pub option: String,
    /// Hidden as in the segment breakdowns: no figure.
    pub suppressed: bool,
    /// Why the cell is hidden; `None` when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The figure's base: substantive answers, respondents with a score, who answered the
    /// question or gave a number; `None` when suppressed.
    pub n: Option<u64>,
    /// Per cent agreeing or choosing the option (0–100), or the mean; `None` when suppressed
    /// or nobody answered.
    pub value: Option<f64>,
    /// The group against the other shown groups combined (two-proportion z or Mann–Whitney).
    pub p_value: Option<f64>,
    /// `p_value` adjusted within the crosstab.
    pub p_adjusted: Option<f64>,
    /// Whether the group differs, where both the crosstab's test and this cell's hold after
    /// adjustment.
    pub differs: Option<Direction>,
}

/// What the crosstabs are made from: the scorer's survey, options and sources, and the
/// tallied groups of every segment.
pub(super) struct Inputs<'a> {
    pub(super) survey: &'a Survey,
    pub(super) options: &'a ScoreOptions,
    pub(super) weighted: bool,
    /// Each item's response scale.
    pub(super) scales: &'a [&'a ResponseScale],
    pub(super) sources: &'a [Source],
    pub(super) columns: &'a [Column],
    /// Per segment, per group number.
    pub(super) groups: &'a [Vec<GroupTally>],
    /// Per segment, each group number's value.
    pub(super) names: &'a [Vec<String>],
    /// Per source, each answer number's value.
    pub(super) answers: &'a [Vec<String>],
    /// The overall choice figures, whose options give the crosstabs' rows.
    pub(super) choices: &'a [ChoiceScore],
    /// Each choice question's write-ins, decided on every respondent: every group counts them
    /// under the overall table's row.
    pub(super) foldings: &'a [Folding],
}

/// Every question by every segment, tested and adjusted.
pub(super) fn crosstabs(input: &Inputs) -> Vec<Crosstab> {
    let mut tables: Vec<Crosstab> = input
        .survey
        .segments
        .iter()
        .zip(input.groups.iter().zip(input.names))
        .flat_map(|(seg, (groups, names))| {
            let mut sorted: Vec<(&str, &GroupTally)> =
                names.iter().map(String::as_str).zip(groups).collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let mut segment = Segment::new(input, &seg.name, sorted);
            segment.own_column = crate::model::find_column(input.columns, seg.column());
            segment.tables()
        })
        .collect();
    let method = input.options.adjustment;
    let alpha = 1.0 - input.options.confidence;
    fill_adjusted(
        &mut tables,
        |t| t.p_value,
        |t, q| t.p_adjusted = Some(q),
        method,
    );
    for t in &mut tables {
        t.significant = t.p_adjusted.is_some_and(|p| p < alpha);
        fill_adjusted(
            &mut t.cells,
            |c| c.p_value,
            |c, q| c.p_adjusted = Some(q),
            method,
        );
        for c in &mut t.cells {
            if !(t.significant && c.p_adjusted.is_some_and(|p| p < alpha)) {
                c.differs = None;
            }
        }
    }
    tables
}

/// One segment's groups, sorted by value, with the groups hidden outright.
struct Segment<'a> {
    input: &'a Inputs<'a>,
    name: &'a str,
    groups: Vec<(&'a str, &'a GroupTally)>,
    /// Per group, why it is hidden as a whole.
    whole: Vec<Option<Reason>>,
    /// The export column the segment groups by: a question that reads it is not broken down
    /// by itself.
    own_column: Option<usize>,
}

/// One group's figure and what its test needs, before suppression.
struct Figure {
    n: u64,
    value: Option<f64>,
}

impl<'a> Segment<'a> {
    fn new(input: &'a Inputs<'a>, name: &'a str, groups: Vec<(&'a str, &'a GroupTally)>) -> Self {
        let sizes: Vec<u64> = groups.iter().map(|(_, g)| g.n).collect();
        let whole = disclosure::whole_groups(&sizes, input.options.suppress_below);
        Segment {
            input,
            name,
            groups,
            whole,
            own_column: None,
        }
    }

    /// Whether the question of `source` reads the segment's own column.
    fn is_own(&self, source: usize) -> bool {
        matches!(self.input.sources[source], Source::Cell(c) if Some(c) == self.own_column)
    }

    fn tables(&self) -> Vec<Crosstab> {
        let survey = self.input.survey;
        let mut out: Vec<Crosstab> = (0..survey.items.len()).map(|i| self.item(i)).collect();
        out.extend((0..survey.scales.len()).map(|s| self.scale(s)));
        for (c, choice) in survey.choices.iter().enumerate() {
            if self.is_own(c) {
                continue;
            }
            match choice.kind {
                ChoiceKind::SingleChoice => out.push(self.single_choice(c)),
                ChoiceKind::MultiSelect => out.extend(self.check_all(c)),
            }
        }
        let choices = survey.choices.len();
        out.extend(
            (0..survey.numbers.len())
                .filter(|q| !self.is_own(choices + q))
                .map(|q| self.number(q)),
        );
        out
    }

    /// Which groups' cells are hidden in `column`, and why.
    fn hidden(&self, column: &Protected) -> Vec<Option<Reason>> {
        disclosure::hidden(column, &self.whole, self.input.options.suppress_below)
    }

    fn tallies(&self) -> Vec<&GroupTally> {
        self.groups.iter().map(|(_, g)| *g).collect()
    }

    fn item(&self, i: usize) -> Crosstab {
        let input = self.input;
        let item = &input.survey.items[i];
        let figures: Vec<Figure> = self
            .groups
            .iter()
            .map(|(_, g)| {
                let s = likert::summarise(input.scales[i], &g.items[i], input.options.confidence);
                Figure {
                    n: s.n,
                    value: s.pct_agree,
                }
            })
            .collect();
        let distributions: Vec<Vec<f64>> = self
            .groups
            .iter()
            .map(|(_, g)| g.items[i].options.iter().map(|&c| c as f64).collect())
            .collect();
        let hidden = self.hidden(&disclosure::item_of(input.scales[i], &self.tallies(), i));
        let source = item.source_name();
        self.ranked(
            Heading::new("item", &item.id, &source, "pct_agree"),
            figures,
            distributions,
            &hidden,
        )
    }

    fn scale(&self, s: usize) -> Crosstab {
        let figures = self
            .groups
            .iter()
            .map(|(_, g)| {
                let sum = g.scales[s];
                Figure {
                    n: sum.n,
                    value: (sum.n > 0).then(|| sum.sum / sum.n as f64),
                }
            })
            .collect();
        let scores: Vec<Vec<(f64, u64)>> = self
            .groups
            .iter()
            .map(|(_, g)| {
                g.scale_scores[s]
                    .iter()
                    .map(|(&k, &n)| (k as f64 / SCORE_RESOLUTION, n))
                    .collect()
            })
            .collect();
        let name = &self.input.survey.scales[s].name;
        let hidden = self.hidden(&disclosure::values_column(&scores));
        self.ranked(
            Heading::new("scale", name, "", "mean"),
            figures,
            on_common_values(&scores),
            &hidden,
        )
    }

    fn number(&self, q: usize) -> Crosstab {
        let input = self.input;
        let question = &input.survey.numbers[q];
        let source = input.survey.choices.len() + q;
        let Source::Cell(column) = input.sources[source] else {
            unreachable!("a number reads one cell")
        };
        let column = &input.columns[column];
        let mut figures = Vec::new();
        let mut values = Vec::new();
        for (_, g) in &self.groups {
            let counts = self.counts(g, source);
            let counted = self.counted(&counts, source);
            let s = number_score(question, column, &counted, g.n);
            figures.push(Figure {
                n: s.n,
                value: s.mean,
            });
            values.push(number_values(&counted, question.decimal_comma).0);
        }
        let hidden = self.hidden(&disclosure::values_column(&values));
        self.ranked(
            Heading::new("number", &question.id, &column.name, "mean"),
            figures,
            on_common_values(&values),
            &hidden,
        )
    }

    /// Each group's weight sums for choice question `c`: of who answered, and per option of
    /// `labels`.
    fn choice_weights(&self, c: usize, labels: &[&str]) -> Vec<(WeightSums, Vec<WeightSums>)> {
        let input = self.input;
        let none = Default::default();
        self.groups
            .iter()
            .map(|(_, g)| {
                choice_weights(
                    &input.survey.choices[c],
                    &input.sources[c],
                    input.columns,
                    &self.counted(&self.counts(g, c), c),
                    g.answer_weights.get(c).unwrap_or(&none),
                    labels,
                    &input.foldings[c],
                )
            })
            .collect()
    }

    /// A group's respondents per answer of one source, by answer number (as `Counted` reads
    /// them).
    fn counts(&self, g: &GroupTally, source: usize) -> Vec<u64> {
        let mut counts = vec![0; self.input.answers[source].len()];
        for (&id, &n) in &g.answers[source] {
            if let Some(c) = counts.get_mut(id as usize) {
                *c += n;
            }
        }
        counts
    }

    /// Counted answers of one source.
    fn counted<'c>(&'c self, counts: &'c [u64], source: usize) -> Counted<'c> {
        Counted {
            values: &self.input.answers[source],
            counts,
        }
    }

    /// Each group's figures for choice question `c`, from its counts.
    fn choice_scores(&self, c: usize) -> Vec<ChoiceScore> {
        let input = self.input;
        self.groups
            .iter()
            .map(|(_, g)| {
                choice_score(
                    &input.survey.choices[c],
                    &input.sources[c],
                    input.columns,
                    &self.counted(&self.counts(g, c), c),
                    g.n,
                    (input.options.confidence, &input.foldings[c]),
                )
            })
            .collect()
    }

    fn single_choice(&self, c: usize) -> Crosstab {
        let overall = &self.input.choices[c];
        let per_group = self.choice_scores(c);
        let bases: Vec<u64> = per_group.iter().map(|s| s.n).collect();
        // Per option, each group's respondents who chose it.
        let chose = counts_by_option(overall, &per_group);
        let hidden = self.hidden(&disclosure::options(&bases, &chose, false));
        let shown_table: Vec<Vec<f64>> = (0..self.groups.len())
            .filter(|&g| hidden[g].is_none())
            .map(|g| chose.iter().map(|by_group| by_group[g] as f64).collect())
            .collect();
        let (test, omnibus) = if self.input.weighted {
            let labels: Vec<&str> = overall.options.iter().map(|o| o.option.as_str()).collect();
            let weights = self.choice_weights(c, &labels);
            let table: Vec<Vec<WeightSums>> = (0..self.groups.len())
                .filter(|&g| hidden[g].is_none())
                .map(|g| weights[g].1.clone())
                .collect();
            (
                Test::RaoScott,
                rao_scott(&table, shown_base(&bases, &hidden)),
            )
        } else {
            (Test::ChiSquared, pearson_chi_squared(&shown_table))
        };
        let mut cells = Vec::new();
        for (g, (group, _)) in self.groups.iter().enumerate() {
            for (o, by_group) in overall.options.iter().zip(&chose) {
                let column_and_option = (o.column.as_str(), o.option.as_str());
                cells.push(self.share_cell(
                    group,
                    column_and_option,
                    (by_group, &bases),
                    g,
                    &hidden,
                ));
            }
        }
        let heading = Heading::new(overall.kind.name(), &overall.id, "", "");
        heading.table(self.name, test, None, omnibus, cells)
    }

    /// A check-all question: one crosstab per option, ticked or not.
    fn check_all(&self, c: usize) -> Vec<Crosstab> {
        let overall = &self.input.choices[c];
        let per_group = self.choice_scores(c);
        let bases: Vec<u64> = per_group.iter().map(|s| s.n).collect();
        let ticked_by_option = counts_by_option(overall, &per_group);
        // One protection for the whole question: its options share their bases.
        let hidden = self.hidden(&disclosure::options(&bases, &ticked_by_option, true));
        let labels: Vec<&str> = overall.options.iter().map(|o| o.option.as_str()).collect();
        let weights = if self.input.weighted {
            self.choice_weights(c, &labels)
        } else {
            Vec::new()
        };
        let n = shown_base(&bases, &hidden);
        overall
            .options
            .iter()
            .enumerate()
            .zip(&ticked_by_option)
            .map(|((at, o), ticked)| {
                let shown = (0..self.groups.len()).filter(|&g| hidden[g].is_none());
                let (test, omnibus) = if self.input.weighted {
                    let table: Vec<Vec<WeightSums>> = shown
                        .map(|g| {
                            let (base, chose) = &weights[g];
                            let not = WeightSums {
                                w: base.w - chose[at].w,
                                w2: base.w2 - chose[at].w2,
                            };
                            vec![chose[at], not]
                        })
                        .collect();
                    (Test::RaoScott, rao_scott(&table, n))
                } else {
                    let table: Vec<Vec<f64>> = shown
                        .map(|g| vec![ticked[g] as f64, (bases[g] - ticked[g]) as f64])
                        .collect();
                    (Test::ChiSquared, pearson_chi_squared(&table))
                };
                let cells = (0..self.groups.len())
                    .map(|g| {
                        let column_and_option = (o.column.as_str(), o.option.as_str());
                        let group = self.groups[g].0;
                        self.share_cell(group, column_and_option, (ticked, &bases), g, &hidden)
                    })
                    .collect();
                let heading = Heading::new(overall.kind.name(), &overall.id, "", "");
                heading.table(self.name, test, Some(o.option.clone()), omnibus, cells)
            })
            .collect()
    }

    /// Group `g`'s share choosing an option (`ticked` of `bases` in each group), tested
    /// against the other shown groups combined.
    fn share_cell(
        &self,
        group: &str,
        (column, option): (&str, &str),
        (ticked, bases): (&[u64], &[u64]),
        g: usize,
        hidden: &[Option<Reason>],
    ) -> CrosstabCell {
        if let Some(reason) = hidden[g] {
            return suppressed_cell(group, column, option, reason);
        }
        let (x, n) = (ticked[g] as f64, bases[g] as f64);
        let rest = |v: &[u64]| -> f64 {
            (0..v.len())
                .filter(|&o| o != g && hidden[o].is_none())
                .map(|o| v[o] as f64)
                .sum()
        };
        let (rx, rn) = (rest(ticked), rest(bases));
        let p = (!self.input.weighted)
            .then(|| two_proportion_z_p(x, n, rx, rn))
            .flatten();
        let direction = if x * rn > rx * n {
            Direction::Higher
        } else {
            Direction::Lower
        };
        CrosstabCell {
            group: group.to_string(),
            column: column.to_string(),
            option: option.to_string(),
            suppressed: false,
            reason: None,
            n: Some(bases[g]),
            value: (n > 0.0).then(|| 100.0 * x / n),
            p_value: p,
            p_adjusted: None,
            differs: p.map(|_| direction),
        }
    }

    /// A crosstab tested on ranks: Kruskal–Wallis across the shown groups' `distributions`
    /// (counts over common ordered values), Mann–Whitney per group against the rest.
    fn ranked(
        &self,
        heading: Heading,
        figures: Vec<Figure>,
        distributions: Vec<Vec<f64>>,
        hidden: &[Option<Reason>],
    ) -> Crosstab {
        let shown: Vec<Vec<f64>> = distributions
            .iter()
            .zip(hidden)
            .filter(|(_, h)| h.is_none())
            .map(|(d, _)| d.clone())
            .collect();
        let omnibus = self.tested(kruskal_wallis(&shown));
        let cells = figures
            .iter()
            .enumerate()
            .map(|(g, f)| {
                let group = self.groups[g].0;
                if let Some(reason) = hidden[g] {
                    return suppressed_cell(group, heading.column, heading.measure, reason);
                }
                let rest = rest_of(&distributions, hidden, g);
                let p = (!self.input.weighted)
                    .then(|| mann_whitney_p(&distributions[g], &rest))
                    .flatten();
                CrosstabCell {
                    group: group.to_string(),
                    column: heading.column.to_string(),
                    option: heading.measure.to_string(),
                    suppressed: false,
                    reason: None,
                    n: Some(f.n),
                    value: f.value,
                    p_value: p,
                    p_adjusted: None,
                    differs: p.map(|_| rank_direction(&distributions[g], &rest)),
                }
            })
            .collect();
        heading.table(self.name, Test::KruskalWallis, None, omnibus, cells)
    }

    /// No rank test on weighted figures: `svyranktest`'s design-based form is not made here
    /// yet (choice questions get theirs, Rao–Scott's).
    fn tested(&self, omnibus: Option<Omnibus>) -> Option<Omnibus> {
        omnibus.filter(|_| !self.input.weighted)
    }
}

/// What a crosstab is of: its kind, question, column and measure.
struct Heading<'h> {
    kind: &'h str,
    id: &'h str,
    column: &'h str,
    measure: &'h str,
}

impl<'h> Heading<'h> {
    fn new(kind: &'h str, id: &'h str, column: &'h str, measure: &'h str) -> Self {
        Heading {
            kind,
            id,
            column,
            measure,
        }
    }

    fn table(
        &self,
        segment: &str,
        test: Test,
        option: Option<String>,
        omnibus: Option<Omnibus>,
        cells: Vec<CrosstabCell>,
    ) -> Crosstab {
        Crosstab {
            segment: segment.to_string(),
            kind: self.kind.to_string(),
            id: self.id.to_string(),
            option,
            test,
            statistic: omnibus.map(|o| o.statistic),
            df: omnibus.map(|o| o.df),
            p_value: omnibus.map(|o| o.p),
            p_adjusted: None,
            significant: false,
            cells,
        }
    }
}

fn suppressed_cell(group: &str, column: &str, option: &str, reason: Reason) -> CrosstabCell {
    CrosstabCell {
        group: group.to_string(),
        column: column.to_string(),
        option: option.to_string(),
        suppressed: true,
        reason: Some(reason),
        n: None,
        value: None,
        p_value: None,
        p_adjusted: None,
        differs: None,
    }
}

/// Respondents who answered, in the shown groups.
fn shown_base(bases: &[u64], hidden: &[Option<Reason>]) -> u64 {
    bases
        .iter()
        .zip(hidden)
        .filter(|(_, h)| h.is_none())
        .map(|(b, _)| b)
        .sum()
}

/// Per option of `overall`, each group's count of it (rows: options; columns: groups).
fn counts_by_option(overall: &ChoiceScore, per_group: &[ChoiceScore]) -> Vec<Vec<u64>> {
    (overall.options.iter())
        .map(|o| {
            per_group
                .iter()
                .map(|s| option_count(s, &o.option))
                .collect()
        })
        .collect()
}

/// Respondents in a group's figures who chose the option labelled `label` (0 when none did).
fn option_count(s: &ChoiceScore, label: &str) -> u64 {
    s.options
        .iter()
        .find(|o| o.option == label)
        .map_or(0, |o| o.count)
}

/// Each group's (value, count) pairs as counts over every value any group has, lowest first.
fn on_common_values(groups: &[Vec<(f64, u64)>]) -> Vec<Vec<f64>> {
    let mut values: Vec<f64> = groups.iter().flatten().map(|&(v, _)| v).collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    groups
        .iter()
        .map(|g| {
            let mut counts = vec![0.0; values.len()];
            for &(v, n) in g {
                if let Ok(at) = values.binary_search_by(|x| x.total_cmp(&v)) {
                    counts[at] += n as f64;
                }
            }
            counts
        })
        .collect()
}

/// The other shown groups' distributions added together.
fn rest_of(distributions: &[Vec<f64>], hidden: &[Option<Reason>], g: usize) -> Vec<f64> {
    let mut rest = vec![0.0; distributions[g].len()];
    for (o, d) in distributions.iter().enumerate() {
        if o != g && hidden[o].is_none() {
            for (r, c) in rest.iter_mut().zip(d) {
                *r += c;
            }
        }
    }
    rest
}

/// Whether `a`'s answers rank above `b`'s: its mean rank in the pooled answers against theirs.
fn rank_direction(a: &[f64], b: &[f64]) -> Direction {
    let (mut below, mut rank_a, mut rank_b) = (0.0, 0.0, 0.0);
    for (ca, cb) in a.iter().zip(b) {
        let mid = below + (ca + cb + 1.0) / 2.0;
        rank_a += ca * mid;
        rank_b += cb * mid;
        below += ca + cb;
    }
    let (na, nb): (f64, f64) = (a.iter().sum(), b.iter().sum());
    if rank_a * nb > rank_b * na {
        Direction::Higher
    } else {
        Direction::Lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_put_on_one_scale_for_the_rank_tests() {
        let got = on_common_values(&[vec![(2.0, 3), (0.5, 1)], vec![(1.0, 2), (2.0, 1)]]);
        assert_eq!(got, [vec![1.0, 0.0, 3.0], vec![0.0, 2.0, 1.0]]);
    }

    #[test]
    fn a_group_ranked_above_the_rest_is_higher() {
        assert_eq!(
            rank_direction(&[0.0, 1.0, 5.0], &[4.0, 1.0, 1.0]),
            Direction::Higher
        );
        assert_eq!(
            rank_direction(&[4.0, 1.0, 1.0], &[0.0, 1.0, 5.0]),
            Direction::Lower
        );
    }
}
