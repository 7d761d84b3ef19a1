//! The accumulation behind scoring: a survey resolved against an export's columns (`Scorer`),
//! each response's answers coded to one byte per item as it is read (`coded`), what a block of
//! coded responses contributes (`Tally`, mergeable), and the merging of blocks in order
//! (`ScoreStream`), whether responses arrive all at once or batch by batch.
//!
//! Coding happens in the reader's parallel pass, on the row as it sits in the reader's buffer;
//! what travels on is a few bytes per response, not the response. Blocks are always `CHUNK`
//! kept responses in file order, so a table in memory and the same export streamed are added
//! up in the same order and give identical figures, at any thread count.

use super::coded::{decode, encode, CodedChunk, CodedRows, Numbering, MISSING, UNKNOWN};
use super::likert::{AnswerMatcher, ItemCounts};
use super::questions::{
    choice_score, number_score, weigh_choice, ChoiceScore, Counted, Folding, NumberScore, Source,
    NOT_ANSWERED,
};
use super::reliability::{CoMoments, MissingMethod};
use super::resolved::ResolvedScale;
use super::{build_report, check_unrecognised, item_columns, ScoreOptions, ScoreReport};
use crate::config::{ChoiceKind, ResponseScale, Survey};
use crate::error::{Error, Result};
use crate::model::{Answer, Column, Format, ItemSource, Row};
use crate::stats::design::WeightSums;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::Path;

mod columns;
mod scratch;
use columns::{check_byte_codes, item_coders, margin_columns, segment_columns, weight_column};
use scratch::Scratch;

/// Per-group accumulators for one segment value.
#[derive(Debug, Clone)]
pub(super) struct GroupTally {
    pub(super) n: u64,
    pub(super) items: Vec<ItemCounts>,
    /// Per scale, the group's respondents with a score and their sum.
    pub(super) scales: Vec<ScaleSum>,
    /// Per scale, the group's respondents per score (at `SCORE_RESOLUTION`), for the rank
    /// tests between groups.
    pub(super) scale_scores: Vec<FxHashMap<i64, u64>>,
    /// Per choice or number question's source, the group's respondents per answer number
    /// (`ScoreStream`'s numbering), as `Tally::answers` counts everyone's. Sparse: a school
    /// among thousands holds a few of a number question's thousands of values.
    pub(super) answers: Vec<FxHashMap<u32, u64>>,
    /// With survey weights: per source, the group's sums of weights and squared weights per
    /// answer number, for the design-based tests between groups (empty unweighted).
    pub(super) answer_weights: Vec<FxHashMap<u32, WeightSums>>,
}

impl GroupTally {
    fn merge(&mut self, g: &GroupTally) {
        self.n += g.n;
        for (x, y) in self.items.iter_mut().zip(&g.items) {
            x.merge(y);
        }
        for (x, y) in self.scales.iter_mut().zip(&g.scales) {
            x.merge(y);
        }
        for (x, y) in self.scale_scores.iter_mut().zip(&g.scale_scores) {
            for (k, v) in y {
                *x.entry(*k).or_insert(0) += v;
            }
        }
        for (x, y) in self.answer_weights.iter_mut().zip(&g.answer_weights) {
            for (k, v) in y {
                let sums = x.entry(*k).or_default();
                sums.w += v.w;
                sums.w2 += v.w2;
            }
        }
        for (x, y) in self.answers.iter_mut().zip(&g.answers) {
            for (k, v) in y {
                *x.entry(*k).or_insert(0) += v;
            }
        }
    }
}

/// Respondents with a scale score, and the sum of their scores (a group's mean score); with
/// their weights' sum and the weighted sum of their scores (a weighted group's mean).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ScaleSum {
    pub(super) n: u64,
    pub(super) sum: f64,
    pub(super) weight: f64,
    pub(super) weighted_sum: f64,
}

impl ScaleSum {
    fn merge(&mut self, o: &ScaleSum) {
        self.n += o.n;
        self.sum += o.sum;
        self.weight += o.weight;
        self.weighted_sum += o.weighted_sum;
    }
}

/// An answer that matched no option of its item's response scale. Ordered by item, then label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct UnknownAnswer {
    /// The item's index in the survey.
    pub(super) item: usize,
    pub(super) label: String,
    /// The export column it was in (for an item read from a column per option, that
    /// option's column).
    pub(super) column: String,
}

/// How often an unknown answer was given, and the first row it was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sightings {
    pub(super) count: u64,
    pub(super) first_row: usize,
}

impl Sightings {
    fn add(&mut self, count: u64, row: usize) {
        self.count += count;
        self.first_row = self.first_row.min(row);
    }
}

#[derive(Debug, Clone)]
pub(super) struct ScaleTally {
    pub(super) moments: CoMoments,
    /// Respondents per scale score (at `SCORE_RESOLUTION`). A hash map: it is updated once per
    /// respondent and scale; the report sorts the few distinct scores once.
    pub(super) scores: FxHashMap<i64, u64>,
    /// Weighted surveys: per scale score (as `scores`), the sum of the respondents' weights and
    /// of their squares.
    pub(super) weighted: FxHashMap<i64, [f64; 2]>,
}

/// Everything one block of responses contributes.
#[derive(Debug, Clone)]
pub(super) struct Tally {
    pub(super) items: Vec<ItemCounts>,
    pub(super) scales: Vec<ScaleTally>,
    /// Per segment, per group number (`ScoreStream`'s numbering).
    pub(super) groups: Vec<Vec<GroupTally>>,
    pub(super) unknown: BTreeMap<UnknownAnswer, Sightings>,
    /// Per choice or number question's source, respondents per answer number
    /// (`ScoreStream`'s numbering).
    pub(super) answers: Vec<Vec<u64>>,
    /// Weighted surveys: per source and answer number, the sum of the respondents' weights and
    /// of their squares (the weighted shares and Kish's effective n of choice questions).
    pub(super) answer_weights: Vec<Vec<[f64; 2]>>,
}

impl Tally {
    pub(super) fn merge(mut self, o: Tally) -> Tally {
        for (a, b) in self.items.iter_mut().zip(&o.items) {
            a.merge(b);
        }
        for (a, b) in self.scales.iter_mut().zip(&o.scales) {
            a.moments.merge(&b.moments);
            for (k, v) in &b.scores {
                *a.scores.entry(*k).or_insert(0) += v;
            }
            for (k, [w, w2]) in &b.weighted {
                let sums = a.weighted.entry(*k).or_insert([0.0; 2]);
                *sums = [sums[0] + w, sums[1] + w2];
            }
        }
        for (a, b) in self.groups.iter_mut().zip(o.groups) {
            for (id, g) in b.into_iter().enumerate() {
                match a.get_mut(id) {
                    None => a.push(g),
                    Some(t) => t.merge(&g),
                }
            }
        }
        for (a, b) in self.answers.iter_mut().zip(&o.answers) {
            add_counts(a, b);
        }
        for (a, b) in self.answer_weights.iter_mut().zip(&o.answer_weights) {
            if a.len() < b.len() {
                a.resize(b.len(), [0.0; 2]);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x = [x[0] + y[0], x[1] + y[1]];
            }
        }
        for (k, seen) in o.unknown {
            self.unknown
                .entry(k)
                .or_insert(Sightings {
                    count: 0,
                    first_row: seen.first_row,
                })
                .add(seen.count, seen.first_row);
        }
        self
    }
}

/// Scale scores are stored in the frequency table at a fixed resolution, so equal means compare equal.
pub(super) const SCORE_RESOLUTION: f64 = 1e9;

/// A survey's items, scales, segments and weights resolved against an export's columns.
pub(super) struct Scorer<'s> {
    /// Per source, what the tool writes for a question it did not show (LimeSurvey's "N/A",
    /// Ona's "n/a"), unless the question lists it as an option of its own (as a rating scale
    /// may, `AnswerMatcher::new`).
    not_shown: Vec<Option<&'static str>>,
    pub(super) survey: &'s Survey,
    pub(super) options: &'s ScoreOptions,
    pub(super) file: &'s Path,
    /// Each item's response scale.
    pub(super) scales: Vec<&'s ResponseScale>,
    /// One matcher per response scale; how each item's cells are coded.
    matchers: Vec<AnswerMatcher>,
    coders: Vec<ItemCoder>,
    pub(super) resolved: Vec<ResolvedScale>,
    pub(super) segment_columns: Vec<usize>,
    weight_column: Option<usize>,
    /// The column of each raking margin (`[[weights.rake]]`), in the survey's order.
    pub(super) margin_columns: Vec<usize>,
    /// How each choice and number question reads a response (the choices', then the numbers').
    pub(super) sources: Vec<Source>,
    /// The export's columns, for the questions' option labels and column names.
    pub(super) columns: Vec<Column>,
    /// Whether the tool may write an "Other" answer's typed words into the choice's own column
    /// (see [`writes_other_text_in_the_choice`]).
    other_text_in_choice: bool,
}

/// Google Forms and Microsoft Forms write the words typed after "Other" in place of the option,
/// and a CSV or workbook of no known tool may be either (or a re-save of one). The other tools
/// give "Other" text a column of its own (Qualtrics `_TEXT`, SurveyMonkey's "Other (please
/// specify)", LimeSurvey `[other]`, Kobo and ODK `_other` fields, REDCap and SurveyCTO fields),
/// so every value of their choice columns is an option, however few chose it.
fn writes_other_text_in_the_choice(format: Format) -> bool {
    matches!(
        format,
        Format::GoogleForms | Format::MicrosoftForms | Format::Generic
    )
}

/// Each source's not-shown marker (`Scorer::not_shown`): the choices' sources come first.
fn not_shown_by_source(
    survey: &Survey,
    sources: &[Source],
    format: Format,
) -> Vec<Option<&'static str>> {
    let marker = format.not_shown_marker();
    (0..sources.len())
        .map(|s| {
            let listed = survey
                .choices
                .get(s)
                .is_some_and(|c| c.options.iter().any(|o| Some(o.as_str()) == marker));
            marker.filter(|_| !listed)
        })
        .collect()
}

impl<'s> Scorer<'s> {
    pub(super) fn new(
        columns: &[Column],
        format: Format,
        file: &'s Path,
        survey: &'s Survey,
        options: &'s ScoreOptions,
    ) -> Result<Scorer<'s>> {
        let item_columns = item_columns(columns, survey, file)?;
        check_byte_codes(survey, file)?;
        let refs = survey.resolve(file)?;
        let scales: Vec<&ResponseScale> = refs
            .item_scales
            .iter()
            .map(|&s| &survey.response_scales[s])
            .collect();
        let matchers: Vec<AnswerMatcher> = survey
            .response_scales
            .iter()
            .map(|s| AnswerMatcher::new(s, format))
            .collect();
        let coders = item_coders(&refs.item_scales, item_columns, &matchers);
        let resolved = survey
            .scales
            .iter()
            .zip(refs.scale_members)
            .map(|(s, items)| ResolvedScale::new(items, s.min_items(), &scales))
            .collect();
        let segment_columns = segment_columns(columns, survey, file)?;
        let weight_column = weight_column(columns, options, file)?;
        let margin_columns = margin_columns(columns, survey, file)?;
        let sources = super::questions::sources(columns, survey, file)?;
        Ok(Scorer {
            not_shown: not_shown_by_source(survey, &sources, format),
            sources,
            other_text_in_choice: writes_other_text_in_the_choice(format),
            columns: columns.to_vec(),
            survey,
            options,
            file,
            scales,
            matchers,
            coders,
            resolved,
            segment_columns,
            weight_column,
            margin_columns,
        })
    }

    /// Whether a choice's own column may hold words a respondent typed after "Other": not when
    /// the tool writes them elsewhere, nor when the survey names its Other box (`other_of`).
    fn may_hold_write_ins(&self, choice: &crate::config::Choice) -> bool {
        self.other_text_in_choice && !self.has_other_box(choice)
    }

    /// Whether the survey names a weight column or rakes.
    pub(super) fn weighted(&self) -> bool {
        self.weight_column.is_some() || self.rakes()
    }

    /// Whether the survey rakes to margins (weights are then known once every response is read).
    pub(super) fn rakes(&self) -> bool {
        !self.margin_columns.is_empty()
    }

    fn counts_for(&self, s: &ResponseScale) -> ItemCounts {
        if self.weighted() {
            ItemCounts::new_weighted(s)
        } else {
            ItemCounts::new(s)
        }
    }

    fn new_group(&self) -> GroupTally {
        GroupTally {
            n: 0,
            items: self.scales.iter().map(|s| self.counts_for(s)).collect(),
            scales: vec![ScaleSum::default(); self.resolved.len()],
            scale_scores: vec![FxHashMap::default(); self.resolved.len()],
            answers: vec![FxHashMap::default(); self.sources.len()],
            answer_weights: if self.weight_column.is_some() {
                vec![FxHashMap::default(); self.sources.len()]
            } else {
                Vec::new()
            },
        }
    }

    pub(super) fn empty(&self) -> Tally {
        Tally {
            items: self.scales.iter().map(|s| self.counts_for(s)).collect(),
            scales: self
                .resolved
                .iter()
                .map(|r| ScaleTally {
                    moments: CoMoments::new(r.items.len(), r.midpoint),
                    scores: FxHashMap::default(),
                    weighted: FxHashMap::default(),
                })
                .collect(),
            groups: vec![Vec::new(); self.segment_columns.len()],
            unknown: BTreeMap::new(),
            answers: vec![Vec::new(); self.sources.len()],
            answer_weights: vec![Vec::new(); self.sources.len()],
        }
    }

    pub(super) fn chunk(&self) -> CodedChunk {
        CodedChunk {
            // A chunk of the reader holds at most `CHUNK_ROWS` responses.
            rows: CodedRows::with_capacity(crate::ingest::CHUNK_ROWS, self.coders.len()),
            values: (0..self.segment_columns.len())
                .map(|_| Numbering::default())
                .collect(),
            answer_values: vec![Numbering::default(); self.sources.len()],
            margin_values: vec![Numbering::default(); self.margin_columns.len()],
        }
    }

    /// Codes one response into `chunk`: a byte per item, its weight, its segment values.
    pub(super) fn code(&self, chunk: &mut CodedChunk, r: &impl Row) {
        let rows = &mut chunk.rows;
        let at = rows.len();
        rows.lines.push(r.line());
        // Coded into a buffer on the stack first: the compiler then knows the writes do not
        // touch the row, and keeps the row's field table in registers.
        const GROUP: usize = 64;
        let mut local = [0u8; GROUP];
        for (g, group) in self.coders.chunks(GROUP).enumerate() {
            for (j, (coder, byte)) in group.iter().zip(&mut local).enumerate() {
                let column = match coder.source.answer(r) {
                    Some(Answer::Cell(column)) => column,
                    Some(Answer::Option(column, option)) => {
                        *byte = encode(self.matchers[coder.matcher].code(option));
                        if *byte == UNKNOWN {
                            rows.unknown
                                .push((at, g * GROUP + j, column, option.to_string()));
                        }
                        continue;
                    }
                    None => {
                        *byte = MISSING;
                        continue;
                    }
                };
                *byte = match r.value_bytes(column) {
                    [] => MISSING,
                    [d @ b'0'..=b'9'] => coder.digits[usize::from(d - b'0')],
                    _ => encode(self.matchers[coder.matcher].code(r.value(column))),
                };
                if *byte == UNKNOWN {
                    // Reported by label, so it is shown as people may see it.
                    let shown = r.scrubbed(column).trim().to_string();
                    rows.unknown.push((at, g * GROUP + j, column, shown));
                }
            }
            rows.codes.extend_from_slice(&local[..group.len()]);
        }
        if let Some(col) = self.weight_column {
            let v = r.value(col).trim();
            match v.parse::<f64>().ok().filter(|w| w.is_finite() && *w >= 0.0) {
                Some(w) => rows.weights.push(w),
                None => {
                    rows.weights.push(0.0);
                    rows.bad_weights.push((at, v.to_string()));
                }
            }
        }
        for (numbering, &col) in chunk.values.iter_mut().zip(&self.segment_columns) {
            rows.groups
                .push(numbering.number(group_value(&r.scrubbed(col))));
        }
        for (numbering, &col) in chunk.margin_values.iter_mut().zip(&self.margin_columns) {
            rows.margins
                .push(numbering.number(group_value(&r.scrubbed(col))));
        }
        if !self.sources.is_empty() {
            let mut buffer = String::new();
            let sources = chunk.answer_values.iter_mut().zip(&self.sources);
            for ((numbering, source), &not_shown) in sources.zip(&self.not_shown) {
                let value = source.value(r, &mut buffer);
                // What the tool writes for a question it did not show is no answer.
                let value = if Some(value) == not_shown { "" } else { value };
                rows.answers.push(numbering.number(value));
            }
        }
    }

    /// What one block of coded responses contributes. Every analysed response needs a finite,
    /// non-negative weight, or the run stops naming the row (a silently dropped or zeroed
    /// weight would change every figure).
    pub(super) fn tally(&self, rows: &CodedRows) -> Result<Tally> {
        self.check_weights(rows)?;
        let mut t = self.empty();
        // The work buffers are the thread's own, kept from block to block: allocating them
        // afresh each time costs a page fault per 4 KiB.
        SCRATCH.with_borrow_mut(|scratch| self.tally_into(rows, &mut t, scratch))?;
        Ok(t)
    }

    /// Refuses a block holding a weight that is not a finite, non-negative number.
    pub(super) fn check_weights(&self, rows: &CodedRows) -> Result<()> {
        if let Some((at, v)) = rows.bad_weights.first() {
            return Err(Error::input(
                self.file,
                format!("weight `{v}` is not a non-negative number"),
            )
            .at_row(rows.lines[*at])
            .at_column(self.options.weight.clone().unwrap_or_default())
            .hint(
                "every analysed response needs a weight; fix the value or exclude the response",
            ));
        }
        Ok(())
    }

    /// Adds a block of coded responses to `t`: per response, its answers to the item counts,
    /// its scale scores and co-moment rows, and both to its segment groups; then what the
    /// block gathered in `scratch` (histograms, score tables, co-moment rows) at once.
    fn tally_into(&self, rows: &CodedRows, t: &mut Tally, scratch: &mut Scratch) -> Result<()> {
        let weighted = self.weighted();
        let items = self.coders.len();
        scratch.reset(&self.resolved, items, weighted);
        let mut scale_scores: Vec<Option<f64>> = Vec::with_capacity(self.resolved.len());
        for r in 0..rows.len() {
            let codes = &rows.codes[r * items..(r + 1) * items];
            let w = rows.weights.get(r).copied().unwrap_or(1.0);
            if weighted {
                for (counts, &c) in t.items.iter_mut().zip(codes) {
                    counts.add_weighted(decode(c), w);
                }
            } else {
                scratch.count_answers(codes);
            }
            scale_scores.clear();
            self.add_scales(codes, t, scratch, &mut scale_scores);
            if weighted {
                weigh_scores(&scale_scores, &self.resolved, codes, t, w);
            }
            let segments = self.segment_columns.len();
            let groups = &rows.groups[r * segments..(r + 1) * segments];
            let sources = self.sources.len();
            let answers = &rows.answers[r * sources..(r + 1) * sources];
            let row = GroupRow {
                codes,
                weight: w,
                scale_scores: &scale_scores,
                answers,
            };
            self.add_to_groups(groups, &row, t);
            count_answers(&mut t.answers, answers);
            if weighted {
                weigh_answers(&mut t.answer_weights, answers, w);
            }
        }
        scratch.flush_into(&self.resolved, t);
        for (at, item, column, label) in &rows.unknown {
            let line = rows.lines[*at];
            let key = UnknownAnswer {
                item: *item,
                label: label.clone(),
                column: self.columns[*column].name.clone(),
            };
            let seen = t.unknown.entry(key).or_insert(Sightings {
                count: 0,
                first_row: line,
            });
            seen.add(1, line);
        }
        Ok(())
    }

    /// One response's scale scores: its total of each scale counted (in the block's dense
    /// table, or hashed), its keyed answers gathered for the co-moments, and (when there are
    /// segments) each score pushed to `scores` for the groups' means.
    fn add_scales(
        &self,
        codes: &[u8],
        t: &mut Tally,
        scratch: &mut Scratch,
        scores: &mut Vec<Option<f64>>,
    ) {
        let pairwise = self.options.missing == MissingMethod::Pairwise;
        let segments = self.segment_columns.len();
        for (s, rs) in self.resolved.iter().enumerate() {
            let k = rs.items.len();
            // The total as a number, and as a whole number when the scale counts in them.
            let (answered, total, whole) = if rs.halves.is_empty() {
                // Rows are gathered for a few matrix products per block: complete rows,
                // and (pairwise) incomplete ones apart.
                let buffer = &mut scratch.complete[s];
                let from = buffer.len();
                buffer.resize(from + k, 0.0);
                let (answered, total) = rs.gather(codes, &mut buffer[from..]);
                if answered < k {
                    if pairwise {
                        scratch.incomplete[s].extend_from_slice(&buffer[from..]);
                    }
                    buffer.truncate(from);
                }
                (answered, total, rs.totals.map(|_| total as i64))
            } else {
                let (answered, whole) = scratch.halves[s].add(rs, codes, pairwise);
                (answered, whole as f64, Some(whole))
            };
            let scored = answered >= rs.min_items;
            if scored {
                match (rs.totals, whole) {
                    (Some((lo, width)), Some(whole)) => {
                        scratch.dense[s][answered * width + (whole - lo) as usize] += 1;
                    }
                    _ => add_score(&mut t.scales[s].scores, total, answered, 1),
                }
            }
            // The score itself is for the segments' means (a division per scale and row).
            if segments > 0 {
                scores.push(scored.then(|| total / answered as f64));
            }
        }
    }

    /// One response's answers and scale scores added to its group of each segment (`groups`:
    /// its group number per segment).
    fn add_to_groups(&self, groups: &[u32], row: &GroupRow, t: &mut Tally) {
        for (g, &id) in groups.iter().enumerate() {
            let id = id as usize;
            if t.groups[g].len() <= id {
                t.groups[g].resize_with(id + 1, || self.new_group());
            }
            let gt = &mut t.groups[g][id];
            gt.n += 1;
            for (counts, &c) in gt.items.iter_mut().zip(row.codes) {
                counts.add_weighted(decode(c), row.weight);
            }
            for ((sum, scores), sc) in gt
                .scales
                .iter_mut()
                .zip(&mut gt.scale_scores)
                .zip(row.scale_scores)
            {
                if let Some(v) = sc {
                    sum.merge(&ScaleSum {
                        n: 1,
                        sum: *v,
                        weight: row.weight,
                        weighted_sum: row.weight * v,
                    });
                    *scores
                        .entry((v * SCORE_RESOLUTION).round() as i64)
                        .or_insert(0) += 1;
                }
            }
            for (counts, &id) in gt.answers.iter_mut().zip(row.answers) {
                *counts.entry(id).or_insert(0) += 1;
            }
            for (sums, &id) in gt.answer_weights.iter_mut().zip(row.answers) {
                let sums = sums.entry(id).or_default();
                sums.w += row.weight;
                sums.w2 += row.weight * row.weight;
            }
        }
    }

    /// Whether a choice question's "Other" box is a column of its own (`[[text]] other_of`):
    /// the tool writes what was typed there, never in the choice's column.
    fn has_other_box(&self, choice: &crate::config::Choice) -> bool {
        (self.survey.text.iter()).any(|t| t.other_of.as_deref() == Some(choice.id.as_str()))
    }

    /// Each segment's write-ins: groups too small to show named by words a respondent typed
    /// (see `Folding`), judged as the single-choice question reading the same column judges
    /// them. A segment no such question reads (schools, many of them small) keeps its groups.
    pub(super) fn segment_foldings(&self, tally: &Tally, names: &[Vec<String>]) -> Vec<Folding> {
        let threshold = self.options.suppress_below;
        (self.segment_columns.iter().zip(names).zip(&tally.groups))
            .map(|((&column, names), groups)| {
                let question =
                    (self.survey.choices.iter())
                        .zip(&self.sources)
                        .find(|(c, source)| {
                            c.kind == ChoiceKind::SingleChoice && **source == Source::Cell(column)
                        });
                let Some((choice, _)) = question.filter(|(c, _)| self.may_hold_write_ins(c)) else {
                    return Folding::default();
                };
                let listed = &choice.options;
                let sizes = names
                    .iter()
                    .map(String::as_str)
                    .zip(groups.iter().map(|g| g.n));
                Folding::of_groups(sizes, listed, threshold)
            })
            .collect()
    }

    pub(super) fn report(
        &self,
        mut tally: Tally,
        names: Vec<Vec<String>>,
        answers: Vec<Vec<String>>,
        respondents: usize,
    ) -> Result<(ScoreReport, Vec<Folding>)> {
        check_unrecognised(self.file, self.survey, &self.scales, &tally)?;
        let segment_foldings = self.segment_foldings(&tally, &names);
        let (names, groups): (Vec<Vec<String>>, Vec<Vec<GroupTally>>) = names
            .into_iter()
            .zip(std::mem::take(&mut tally.groups))
            .zip(&segment_foldings)
            .map(|((names, groups), folding)| fold_groups(names, groups, folding))
            .unzip();
        tally.groups = groups;
        let (choices, numbers, foldings) = self.questions(&tally, &answers, respondents as u64);
        let rankings = super::questions::ranking_scores(
            self.survey,
            &self.sources,
            &self.columns,
            |s| Counted {
                values: &answers[s],
                counts: &tally.answers[s],
            },
            respondents as u64,
        );
        let overall = (&choices[..], &foldings[..]);
        let crosstabs = super::crosstabs_of(self, &tally.groups, &names, &answers, overall);
        let mut report = build_report(
            respondents,
            self.survey,
            self.options,
            &self.scales,
            &self.resolved,
            tally,
            names,
        );
        report.choices = choices;
        report.numbers = numbers;
        report.rankings = rankings;
        report.crosstabs = crosstabs;
        Ok((report, segment_foldings))
    }

    /// The choice and number questions' figures from their counted answers, and each choice
    /// question's write-ins (decided here, on every respondent, for the crosstabs too).
    fn questions(
        &self,
        tally: &Tally,
        answers: &[Vec<String>],
        respondents: u64,
    ) -> (Vec<ChoiceScore>, Vec<NumberScore>, Vec<Folding>) {
        let counted = |s: usize| Counted {
            values: &answers[s],
            counts: &tally.answers[s],
        };
        let choices = self.survey.choices.len();
        let foldings: Vec<Folding> = (self.survey.choices.iter().enumerate())
            .map(|(s, c)| {
                if !self.may_hold_write_ins(c) {
                    return Folding::unfolded(c, &self.sources[s], &counted(s));
                }
                let threshold = self.options.suppress_below;
                Folding::of(c, &self.sources[s], &counted(s), threshold)
            })
            .collect();
        let choice_scores = (self.survey.choices.iter().enumerate())
            .zip(&foldings)
            .map(|((s, c), folding)| {
                let source = &self.sources[s];
                let figures = (self.options.confidence, folding);
                let mut score =
                    choice_score(c, source, &self.columns, &counted(s), respondents, figures);
                if self.weighted() {
                    let question = (c, source, &self.columns[..]);
                    let weights = &tally.answer_weights[s];
                    weigh_choice(&mut score, question, &counted(s), weights, figures);
                }
                score
            })
            .collect();
        let number_scores = (self.survey.numbers.iter().enumerate())
            .map(|(i, q)| {
                let s = choices + i;
                let Source::Cell(c) = self.sources[s] else {
                    unreachable!("a number reads one cell")
                };
                number_score(q, &self.columns[c], &counted(s), respondents)
            })
            .collect();
        (choice_scores, number_scores, foldings)
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// How one item's cells become bytes.
struct ItemCoder {
    source: ItemSource,
    /// Its response scale's matcher.
    matcher: usize,
    /// The bytes for the answers `0` … `9` (numeric exports are all such cells).
    digits: [u8; 10],
}

/// Counts `n` respondents whose scale score is `total / answered`, at `SCORE_RESOLUTION`.
fn add_score(scores: &mut FxHashMap<i64, u64>, total: f64, answered: usize, n: u64) {
    let score = total / answered as f64;
    *scores
        .entry((score * SCORE_RESOLUTION).round() as i64)
        .or_insert(0) += n;
}

/// What one response adds to its groups: its item codes, weight, scale scores and answer
/// numbers.
struct GroupRow<'r> {
    codes: &'r [u8],
    weight: f64,
    scale_scores: &'r [Option<f64>],
    answers: &'r [u32],
}

/// One response's answer numbers (one per source) counted.
fn count_answers(counts: &mut [Vec<u64>], answers: &[u32]) {
    for (counts, &id) in counts.iter_mut().zip(answers) {
        let id = id as usize;
        if counts.len() <= id {
            counts.resize(id + 1, 0);
        }
        counts[id] += 1;
    }
}

/// One response's scale scores with its weight `w`, by score: Σw and Σw². The scores are
/// `add_scales`' when there are segments; otherwise worked out again here (weighted surveys
/// only, so the unweighted pass keeps its speed).
fn weigh_scores(
    scores: &[Option<f64>],
    scales: &[ResolvedScale],
    codes: &[u8],
    t: &mut Tally,
    w: f64,
) {
    let mut buffer = Vec::new();
    for (s, rs) in scales.iter().enumerate() {
        let score = match scores.get(s) {
            Some(score) => *score,
            None => {
                buffer.resize(rs.items.len(), 0.0);
                let (answered, total) = rs.gather(codes, &mut buffer);
                (answered >= rs.min_items && answered > 0).then(|| total / answered as f64)
            }
        };
        if let Some(v) = score {
            let key = (v * SCORE_RESOLUTION).round() as i64;
            let sums = t.scales[s].weighted.entry(key).or_insert([0.0; 2]);
            *sums = [sums[0] + w, sums[1] + w * w];
        }
    }
}

/// One response's answer numbers (one per source) with its weight `w`: Σw and Σw².
fn weigh_answers(sums: &mut [Vec<[f64; 2]>], answers: &[u32], w: f64) {
    for (sums, &id) in sums.iter_mut().zip(answers) {
        let id = id as usize;
        if sums.len() <= id {
            sums.resize(id + 1, [0.0; 2]);
        }
        sums[id] = [sums[id][0] + w, sums[id][1] + w * w];
    }
}

/// Adds `b`'s counts to `a`'s, position by position.
fn add_counts(a: &mut Vec<u64>, b: &[u64]) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Blank segment values form their own group, so every respondent is in exactly one group.
pub(super) fn group_value(v: &str) -> &str {
    let v = crate::model::trim_cell(v);
    if v.is_empty() {
        NOT_ANSWERED
    } else {
        v
    }
}

/// A segment's groups with its write-ins (`folding`) merged into one group.
fn fold_groups(
    names: Vec<String>,
    groups: Vec<GroupTally>,
    folding: &Folding,
) -> (Vec<String>, Vec<GroupTally>) {
    let mut out: (Vec<String>, Vec<GroupTally>) = Default::default();
    for (name, group) in names.into_iter().zip(groups) {
        let folded = folding.fold(&name);
        match out.0.iter().position(|n| n == folded) {
            Some(at) => out.1[at].merge(&group),
            None => {
                out.0.push(folded.to_string());
                out.1.push(group);
            }
        }
    }
    out
}
