//! The accumulation behind scoring: a survey resolved against an export's columns (`Scorer`),
//! each response's answers coded to one byte per item as it is read (`CodedChunk`), what a
//! block of coded responses contributes (`Tally`, mergeable), and the merging of blocks in order
//! (`ScoreStream`), whether responses arrive all at once or batch by batch.
//!
//! Coding happens in the reader's parallel pass, on the row as it sits in the reader's buffer;
//! what travels on is a few bytes per response, not the response. Blocks are always `CHUNK`
//! kept responses in file order, so a table in memory and the same export streamed are added
//! up in the same order and give identical figures, at any thread count.

use super::likert::{AnswerMatcher, Coded, ItemCounts};
use super::reliability::{CoMoments, MissingMethod};
use super::{build_report, check_unrecognised, item_columns, ScoreOptions, ScoreReport, CHUNK};
use crate::clean::Screened;
use crate::config::survey::{MAX_NON_SUBSTANTIVE, MAX_OPTIONS};
use crate::config::{ResponseScale, ScaleItem, Survey};
use crate::error::{Error, Result};
use crate::model::{Column, Format, Row};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::Path;

/// An answer in one byte: option `i` is `i`, non-substantive answer `i` is `NON_SUBSTANTIVE + i`,
/// and the three marks below (the survey's limits `MAX_OPTIONS` and `MAX_NON_SUBSTANTIVE`
/// keep the ranges apart).
const NON_SUBSTANTIVE: u8 = 128;
const UNKNOWN: u8 = 253;
const NOT_SHOWN: u8 = 254;
const MISSING: u8 = 255;
const _: () = assert!(MAX_OPTIONS < NON_SUBSTANTIVE as usize);
const _: () = assert!(NON_SUBSTANTIVE as usize + MAX_NON_SUBSTANTIVE <= UNKNOWN as usize);

fn encode(c: Coded) -> u8 {
    match c {
        Coded::Missing => MISSING,
        // In range by the limits checked in `Scorer::new`.
        Coded::Option(i) => i as u8,
        Coded::NonSubstantive(i) => NON_SUBSTANTIVE + i as u8,
        Coded::Unknown => UNKNOWN,
        Coded::NotShown => NOT_SHOWN,
    }
}

fn decode(b: u8) -> Coded {
    match b {
        MISSING => Coded::Missing,
        NOT_SHOWN => Coded::NotShown,
        UNKNOWN => Coded::Unknown,
        b if b >= NON_SUBSTANTIVE => Coded::NonSubstantive(usize::from(b - NON_SUBSTANTIVE)),
        b => Coded::Option(usize::from(b)),
    }
}

/// Responses coded for scoring, in order: for each, its line, one byte per item, its weight
/// (when weighted) and its group per segment; with the few answers that need their text.
#[derive(Debug, Default)]
pub(super) struct CodedRows {
    lines: Vec<usize>,
    /// Row-major: `items` bytes per response.
    codes: Vec<u8>,
    weights: Vec<f64>,
    /// Row-major: one group number per segment.
    groups: Vec<u32>,
    /// (response, item, answer as shown) for answers that match no option.
    unknown: Vec<(usize, usize, String)>,
    /// (response, value) for weights that are not non-negative numbers.
    bad_weights: Vec<(usize, String)>,
}

impl CodedRows {
    fn len(&self) -> usize {
        self.lines.len()
    }
}

/// Segment values numbered in order of appearance.
#[derive(Debug, Default)]
struct Numbering {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Numbering {
    fn number(&mut self, value: &str) -> u32 {
        // Looked up by reference first: a value's name is allocated once.
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(value.to_string(), id);
        self.names.push(value.to_string());
        id
    }
}

/// One chunk of coded responses, its group numbers local to the chunk (chunks are coded in
/// parallel; `ScoreStream` renumbers them in file order).
#[derive(Debug, Default)]
pub(super) struct CodedChunk {
    rows: CodedRows,
    values: Vec<Numbering>,
}

/// Per-group accumulators for one segment value.
#[derive(Debug, Clone)]
pub(super) struct GroupTally {
    pub(super) n: u64,
    pub(super) items: Vec<ItemCounts>,
    /// (n, Σ score) per scale.
    pub(super) scales: Vec<(u64, f64)>,
}

#[derive(Debug, Clone)]
pub(super) struct ScaleTally {
    pub(super) moments: CoMoments,
    /// Respondents per scale score (at `SCORE_RESOLUTION`). A hash map: it is updated once per
    /// respondent and scale; the report sorts the few distinct scores once.
    pub(super) scores: FxHashMap<i64, u64>,
}

/// Everything one block of responses contributes.
#[derive(Debug, Clone)]
pub(super) struct Tally {
    pub(super) items: Vec<ItemCounts>,
    pub(super) scales: Vec<ScaleTally>,
    /// Per segment, per group number (`ScoreStream`'s numbering).
    pub(super) groups: Vec<Vec<GroupTally>>,
    pub(super) unknown: BTreeMap<(usize, String), (u64, usize)>,
}

impl Tally {
    fn merge(mut self, o: Tally) -> Tally {
        for (a, b) in self.items.iter_mut().zip(&o.items) {
            a.merge(b);
        }
        for (a, b) in self.scales.iter_mut().zip(&o.scales) {
            a.moments.merge(&b.moments);
            for (k, v) in &b.scores {
                *a.scores.entry(*k).or_insert(0) += v;
            }
        }
        for (a, b) in self.groups.iter_mut().zip(o.groups) {
            for (id, g) in b.into_iter().enumerate() {
                match a.get_mut(id) {
                    None => a.push(g),
                    Some(t) => {
                        t.n += g.n;
                        for (x, y) in t.items.iter_mut().zip(&g.items) {
                            x.merge(y);
                        }
                        for (x, y) in t.scales.iter_mut().zip(&g.scales) {
                            x.0 += y.0;
                            x.1 += y.1;
                        }
                    }
                }
            }
        }
        for (k, (c, row)) in o.unknown {
            let e = self.unknown.entry(k).or_insert((0, row));
            e.0 += c;
            e.1 = e.1.min(row);
        }
        self
    }
}

/// Scale scores are stored in the frequency table at a fixed resolution, so equal means compare equal.
pub(super) const SCORE_RESOLUTION: f64 = 1e9;

/// The survey's scales resolved to item indices with keying.
pub(super) struct ResolvedScale {
    pub(super) items: Vec<(usize, bool)>,
    pub(super) min_items: usize,
    /// What option `o` of the scale's item `j` counts as, reverse keying applied, at
    /// `j * stride + o`; and the same less the scale's midpoint (as the co-moments add them).
    keyed: Vec<f64>,
    shifted: Vec<f64>,
    /// `keyed` as integers, when every keyed value is a whole number (`totals`).
    whole: Vec<i64>,
    stride: usize,
    midpoint: f64,
    /// When every keyed value is a whole number: the lowest total of any answered subset of
    /// items and how many totals there can be (a dense table of score counts, see `tally`).
    totals: Option<(i64, usize)>,
}

impl ResolvedScale {
    fn new(items: Vec<(usize, bool)>, min_items: usize, scales: &[&ResponseScale]) -> Self {
        let midpoint = scale_midpoint(scales[items[0].0]);
        let stride = items
            .iter()
            .map(|&(i, _)| scales[i].labels.len())
            .max()
            .unwrap_or(0);
        let mut keyed = vec![0.0; items.len() * stride];
        for (j, &(i, rev)) in items.iter().enumerate() {
            let s = scales[i];
            for o in 0..s.labels.len() {
                keyed[j * stride + o] = if rev {
                    reverse(s, s.code(o))
                } else {
                    s.code(o)
                };
            }
        }
        let shifted = keyed.iter().map(|v| v - midpoint).collect();
        let whole = keyed.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e6);
        let (lo, hi) = keyed
            .chunks(stride.max(1))
            .fold((0.0, 0.0), |(lo, hi), values| {
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo + min.min(0.0), hi + max.max(0.0))
            });
        let width = (hi - lo) as usize + 1;
        let totals = (whole && width <= 1 << 16).then_some((lo as i64, width));
        let whole = keyed.iter().map(|&v| v as i64).collect();
        ResolvedScale {
            items,
            min_items,
            keyed,
            shifted,
            whole,
            stride,
            midpoint,
            totals,
        }
    }

    /// A respondent's answers to the scale: `shifted` gets each item's shifted keyed value (NaN
    /// where it was not answered substantively); returns how many items were answered and the
    /// total of their keyed values.
    #[inline]
    fn gather(&self, codes: &[u8], shifted: &mut [f64]) -> (usize, f64) {
        let mut answered = 0;
        let mut total = 0.0;
        let mut whole = 0i64;
        for (j, (&(i, _), x)) in self.items.iter().zip(shifted.iter_mut()).enumerate() {
            let c = usize::from(codes[i]);
            if c < usize::from(NON_SUBSTANTIVE) {
                let at = j * self.stride + c;
                answered += 1;
                *x = self.shifted[at];
                // Whole-number scales add in integers: no chain of dependent float adds.
                if self.totals.is_some() {
                    whole += self.whole[at];
                } else {
                    total += self.keyed[at];
                }
            } else {
                *x = f64::NAN;
            }
        }
        if self.totals.is_some() {
            total = whole as f64;
        }
        (answered, total)
    }
}

/// Tallies coded responses in blocks of `CHUNK` kept responses (in parallel) and merges the
/// blocks' tallies in order.
pub(super) struct ScoreStream<'a, 's> {
    scorer: &'a Scorer<'s>,
    tally: Tally,
    /// Kept responses not yet in a whole block.
    pending: CodedRows,
    /// Group numbers across the whole stream, per segment.
    values: Vec<Numbering>,
    respondents: usize,
}

impl<'a, 's> ScoreStream<'a, 's> {
    pub(super) fn new(scorer: &'a Scorer<'s>) -> Self {
        ScoreStream {
            tally: scorer.empty(),
            values: (0..scorer.segment_columns.len())
                .map(|_| Numbering::default())
                .collect(),
            scorer,
            pending: CodedRows::default(),
            respondents: 0,
        }
    }

    /// Adds the kept responses of screened chunks (in file order) and tallies every whole block.
    pub(super) fn push(&mut self, chunks: Vec<Screened<CodedChunk>>) -> Result<()> {
        let mut blocks = Vec::new();
        for Screened { rows: chunk, kept } in chunks {
            self.append(chunk, &kept, &mut blocks);
        }
        let scorer = self.scorer;
        let tallies = blocks
            .par_iter()
            .map(|block| scorer.tally(block))
            .collect::<Result<Vec<Tally>>>()?;
        self.respondents += blocks.len() * CHUNK;
        self.merge(tallies);
        Ok(())
    }

    /// Moves a chunk's kept responses into the pending block (renumbering their groups),
    /// sealing each block that fills.
    fn append(&mut self, chunk: CodedChunk, kept: &[bool], blocks: &mut Vec<CodedRows>) {
        let CodedChunk { rows, values } = chunk;
        let (items, segments) = (self.scorer.columns.len(), values.len());
        // Chunk-local group number → stream-wide number, given when a kept response first has
        // the value (so every group has a member).
        let mut renumber: Vec<Vec<u32>> = values
            .iter()
            .map(|v| vec![u32::MAX; v.names.len()])
            .collect();
        let mut unknown = rows.unknown.into_iter().peekable();
        let mut bad_weights = rows.bad_weights.into_iter().peekable();
        for (r, _) in kept.iter().enumerate().filter(|(_, k)| **k) {
            let at = self.pending.len();
            self.pending.lines.push(rows.lines[r]);
            self.pending
                .codes
                .extend_from_slice(&rows.codes[r * items..(r + 1) * items]);
            if !rows.weights.is_empty() {
                self.pending.weights.push(rows.weights[r]);
            }
            for s in 0..segments {
                let local = rows.groups[r * segments + s] as usize;
                let number = &mut renumber[s][local];
                if *number == u32::MAX {
                    *number = self.values[s].number(&values[s].names[local]);
                }
                self.pending.groups.push(*number);
            }
            while unknown.peek().is_some_and(|u| u.0 < r) {
                unknown.next();
            }
            while let Some((_, item, text)) = unknown.next_if(|u| u.0 == r) {
                self.pending.unknown.push((at, item, text));
            }
            while bad_weights.peek().is_some_and(|u| u.0 < r) {
                bad_weights.next();
            }
            if let Some((_, value)) = bad_weights.next_if(|u| u.0 == r) {
                self.pending.bad_weights.push((at, value));
            }
            if self.pending.len() == CHUNK {
                blocks.push(std::mem::take(&mut self.pending));
            }
        }
    }

    fn merge(&mut self, tallies: Vec<Tally>) {
        for t in tallies {
            let running = std::mem::replace(&mut self.tally, self.scorer.empty());
            self.tally = running.merge(t);
        }
    }

    pub(super) fn finish(mut self) -> Result<ScoreReport> {
        let rest = std::mem::take(&mut self.pending);
        let last = self.scorer.tally(&rest)?;
        self.respondents += rest.len();
        self.merge(vec![last]);
        let names = self.values.into_iter().map(|v| v.names).collect();
        self.scorer.report(self.tally, names, self.respondents)
    }
}

/// A survey's items, scales, segments and weights resolved against an export's columns.
pub(super) struct Scorer<'s> {
    survey: &'s Survey,
    options: &'s ScoreOptions,
    file: &'s Path,
    columns: Vec<usize>,
    scales: Vec<&'s ResponseScale>,
    /// One matcher per response scale, and which one each item uses.
    matchers: Vec<AnswerMatcher>,
    item_matcher: Vec<usize>,
    /// Each matcher's byte for the answers `0` … `9` (numeric exports are all such cells).
    digits: Vec<[u8; 10]>,
    resolved: Vec<ResolvedScale>,
    segment_columns: Vec<usize>,
    weight_column: Option<usize>,
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
        if let Some(s) = survey
            .response_scales
            .iter()
            .find(|s| s.labels.len() > MAX_OPTIONS || s.non_substantive.len() > MAX_NON_SUBSTANTIVE)
        {
            return Err(Error::config(
                file,
                "response_scales",
                format!(
                    "`{}` has more than {MAX_OPTIONS} options or {MAX_NON_SUBSTANTIVE} non-substantive answers",
                    s.name
                ),
            ));
        }
        let scales: Vec<&ResponseScale> = survey
            .items
            .iter()
            .map(|i| survey.response_scale(&i.scale).expect("validated survey"))
            .collect();
        let matchers: Vec<AnswerMatcher> = survey
            .response_scales
            .iter()
            .map(|s| AnswerMatcher::new(s, format))
            .collect();
        let item_matcher = survey
            .items
            .iter()
            .map(|i| {
                let named = |s: &ResponseScale| s.name == i.scale;
                survey
                    .response_scales
                    .iter()
                    .position(named)
                    .expect("validated survey")
            })
            .collect();
        let digits = matchers
            .iter()
            .map(|m| std::array::from_fn(|d| encode(m.code(&d.to_string()))))
            .collect();
        let resolved = survey
            .scales
            .iter()
            .map(|s| {
                let items = s
                    .parsed_items()
                    .iter()
                    .map(|si: &ScaleItem| {
                        let i = survey
                            .items
                            .iter()
                            .position(|it| it.id == si.id)
                            .expect("validated survey");
                        (i, si.reversed)
                    })
                    .collect();
                ResolvedScale::new(items, s.min_items(), &scales)
            })
            .collect();
        let segment_columns = survey
            .segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                crate::model::find_column(columns, seg.column()).ok_or_else(|| {
                    Error::input(
                        file,
                        format!(
                            "has no column `{}` for segment `{}`",
                            seg.column(),
                            seg.name
                        ),
                    )
                    .hint(format!("fix `segments[{i}].column` in the survey file"))
                })
            })
            .collect::<Result<_>>()?;
        let weight_column =
            match &options.weight {
                None => None,
                Some(name) => Some(columns.iter().position(|c| &c.name == name).ok_or_else(
                    || {
                        Error::input(file, format!("has no weight column `{name}`"))
                            .hint("`canvass inspect` lists the columns")
                    },
                )?),
            };
        Ok(Scorer {
            survey,
            options,
            file,
            columns: item_columns,
            scales,
            matchers,
            item_matcher,
            digits,
            resolved,
            segment_columns,
            weight_column,
        })
    }

    fn counts_for(&self, s: &ResponseScale) -> ItemCounts {
        if self.weight_column.is_some() {
            ItemCounts::new_weighted(s)
        } else {
            ItemCounts::new(s)
        }
    }

    fn new_group(&self) -> GroupTally {
        GroupTally {
            n: 0,
            items: self.scales.iter().map(|s| self.counts_for(s)).collect(),
            scales: vec![(0, 0.0); self.resolved.len()],
        }
    }

    fn empty(&self) -> Tally {
        Tally {
            items: self.scales.iter().map(|s| self.counts_for(s)).collect(),
            scales: self
                .resolved
                .iter()
                .map(|r| ScaleTally {
                    moments: CoMoments::new(r.items.len(), r.midpoint),
                    scores: FxHashMap::default(),
                })
                .collect(),
            groups: vec![Vec::new(); self.segment_columns.len()],
            unknown: BTreeMap::new(),
        }
    }

    pub(super) fn chunk(&self) -> CodedChunk {
        CodedChunk {
            rows: CodedRows::default(),
            values: (0..self.segment_columns.len())
                .map(|_| Numbering::default())
                .collect(),
        }
    }

    /// Codes one response into `chunk`: a byte per item, its weight, its segment values.
    pub(super) fn code(&self, chunk: &mut CodedChunk, r: &impl Row) {
        let rows = &mut chunk.rows;
        let at = rows.len();
        rows.lines.push(r.line());
        for (i, (&col, &m)) in self.columns.iter().zip(&self.item_matcher).enumerate() {
            let byte = match r.value_bytes(col) {
                [] => MISSING,
                [d @ b'0'..=b'9'] => self.digits[m][usize::from(d - b'0')],
                _ => encode(self.matchers[m].code(r.value(col))),
            };
            if byte == UNKNOWN {
                // Reported by label, so it is shown as people may see it.
                let shown = r.scrubbed(col).trim().to_string();
                rows.unknown.push((at, i, shown));
            }
            rows.codes.push(byte);
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
    }

    /// What one block of coded responses contributes. Every analysed response needs a finite,
    /// non-negative weight, or the run stops naming the row (a silently dropped or zeroed
    /// weight would change every figure).
    fn tally(&self, rows: &CodedRows) -> Result<Tally> {
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
        let resolved = &self.resolved;
        let items = self.columns.len();
        let segments = self.segment_columns.len();
        let mut t = self.empty();
        // Unweighted item counts go to a histogram of bytes first: one increment per answer.
        let weighted = self.weight_column.is_some();
        // Unweighted item counts go to a histogram of bytes first: one increment per answer
        // (u32: a block has at most `CHUNK` responses).
        let mut histogram = vec![0u32; if weighted { 0 } else { items * 256 }];
        // Scale scores of integer-coded scales are counted by (items answered, total) in a
        // dense table, turned into scores once per block; others are hashed per respondent.
        let mut dense: Vec<Vec<u32>> = resolved
            .iter()
            .map(|rs| match rs.totals {
                Some((_, width)) => vec![0; (rs.items.len() + 1) * width],
                None => Vec::new(),
            })
            .collect();
        let mut complete: Vec<Vec<f64>> = resolved
            .iter()
            .map(|rs| Vec::with_capacity(rows.len() * rs.items.len()))
            .collect();
        let mut incomplete: Vec<Vec<f64>> = vec![Vec::new(); resolved.len()];
        let mut scale_scores: Vec<Option<f64>> = Vec::with_capacity(resolved.len());
        for r in 0..rows.len() {
            let codes = &rows.codes[r * items..(r + 1) * items];
            let w = rows.weights.get(r).copied().unwrap_or(1.0);
            if weighted {
                for (counts, &c) in t.items.iter_mut().zip(codes) {
                    counts.add_weighted(decode(c), w);
                }
            } else {
                for (i, &c) in codes.iter().enumerate() {
                    histogram[i * 256 + usize::from(c)] += 1;
                }
            }
            scale_scores.clear();
            for (s, rs) in resolved.iter().enumerate() {
                // Rows are gathered for a few matrix products per block: complete rows, and
                // (pairwise) incomplete ones apart.
                let buffer = &mut complete[s];
                let from = buffer.len();
                buffer.resize(from + rs.items.len(), 0.0);
                let (answered, total) = rs.gather(codes, &mut buffer[from..]);
                if answered < rs.items.len() {
                    if self.options.missing == MissingMethod::Pairwise {
                        incomplete[s].extend_from_slice(&buffer[from..]);
                    }
                    buffer.truncate(from);
                }
                let scored = answered >= rs.min_items;
                if scored {
                    match rs.totals {
                        Some((lo, width)) => {
                            dense[s][answered * width + (total as i64 - lo) as usize] += 1;
                        }
                        None => add_score(&mut t.scales[s].scores, total, answered, 1),
                    }
                }
                // The score itself is for the segments' means (a division per scale and row).
                if segments > 0 {
                    scale_scores.push(scored.then(|| total / answered as f64));
                }
            }
            for g in 0..segments {
                let id = rows.groups[r * segments + g] as usize;
                if t.groups[g].len() <= id {
                    t.groups[g].resize_with(id + 1, || self.new_group());
                }
                let gt = &mut t.groups[g][id];
                gt.n += 1;
                for (counts, &c) in gt.items.iter_mut().zip(codes) {
                    counts.add_weighted(decode(c), w);
                }
                for (s, sc) in scale_scores.iter().enumerate() {
                    if let Some(v) = sc {
                        gt.scales[s].0 += 1;
                        gt.scales[s].1 += v;
                    }
                }
            }
        }
        for ((st, complete), incomplete) in t.scales.iter_mut().zip(&complete).zip(&incomplete) {
            st.moments.add_complete(complete);
            st.moments.add_incomplete(incomplete);
        }
        for (counts, h) in t.items.iter_mut().zip(histogram.chunks_exact(256)) {
            for (b, &n) in h.iter().enumerate().filter(|(_, n)| **n > 0) {
                counts.add_many(decode(b as u8), u64::from(n));
            }
        }
        for ((table, rs), st) in dense.iter().zip(resolved).zip(&mut t.scales) {
            let Some((lo, width)) = rs.totals else {
                continue;
            };
            for (cell, &n) in table.iter().enumerate().filter(|(_, n)| **n > 0) {
                let (answered, total) = (cell / width, (cell % width) as i64 + lo);
                add_score(&mut st.scores, total as f64, answered, u64::from(n));
            }
        }
        for (at, item, text) in &rows.unknown {
            let line = rows.lines[*at];
            let e = t.unknown.entry((*item, text.clone())).or_insert((0, line));
            e.0 += 1;
            e.1 = e.1.min(line);
        }
        Ok(t)
    }

    fn report(
        &self,
        tally: Tally,
        names: Vec<Vec<String>>,
        respondents: usize,
    ) -> Result<ScoreReport> {
        check_unrecognised(self.file, self.survey, &self.scales, &tally)?;
        Ok(build_report(
            respondents,
            self.survey,
            self.options,
            &self.scales,
            &self.resolved,
            tally,
            names,
        ))
    }
}

/// Counts `n` respondents whose scale score is `total / answered`, at `SCORE_RESOLUTION`.
fn add_score(scores: &mut FxHashMap<i64, u64>, total: f64, answered: usize, n: u64) {
    let score = total / answered as f64;
    *scores
        .entry((score * SCORE_RESOLUTION).round() as i64)
        .or_insert(0) += n;
}

/// Blank segment values form their own group, so every respondent is in exactly one group.
fn group_value(v: &str) -> &str {
    let v = v.trim();
    if v.is_empty() {
        "(not answered)"
    } else {
        v
    }
}

pub(super) fn scale_midpoint(s: &ResponseScale) -> f64 {
    (s.code(0) + s.code(s.labels.len() - 1)) / 2.0
}

/// Reverse keying on the response scale's own range: lowest ↔ highest code.
pub(super) fn reverse(s: &ResponseScale, v: f64) -> f64 {
    let (lo, hi) = (s.code(0), s.code(s.labels.len() - 1));
    lo + hi - v
}
