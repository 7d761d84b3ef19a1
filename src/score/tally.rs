//! The accumulation behind scoring: a survey resolved against an export's columns (`Scorer`),
//! what a block of responses contributes (`Tally`, mergeable), and the merging of blocks in
//! order (`ScoreStream`), whether responses arrive all at once or batch by batch.

use super::likert::{AnswerMatcher, Coded, ItemCounts};
use super::reliability::{CoMoments, MissingMethod};
use super::{build_report, check_unrecognised, item_columns, ScoreOptions, ScoreReport, CHUNK};
use crate::config::{ResponseScale, ScaleItem, Survey};
use crate::error::{Error, Result};
use crate::model::{Column, Format, Response};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::Path;

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
    /// respondent and scale, and a tree map's insert was a visible part of scoring; the report
    /// sorts the few distinct scores once.
    pub(super) scores: FxHashMap<i64, u64>,
}

/// Everything one chunk of rows contributes.
#[derive(Debug, Clone)]
pub(super) struct Tally {
    pub(super) items: Vec<ItemCounts>,
    pub(super) scales: Vec<ScaleTally>,
    pub(super) groups: Vec<BTreeMap<String, GroupTally>>,
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
            for (value, g) in b {
                match a.get_mut(&value) {
                    None => {
                        a.insert(value, g);
                    }
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
}

/// Tallies responses in blocks of `CHUNK` kept responses (in parallel) and merges the blocks'
/// tallies in order, whether the responses arrive all at once or batch by batch; so a table in
/// memory and the same export streamed give identical figures, at any thread count.
pub(super) struct ScoreStream<'s> {
    scorer: Scorer<'s>,
    tally: Tally,
    pending: Vec<Response>,
    respondents: usize,
}

impl<'s> ScoreStream<'s> {
    pub(super) fn new(scorer: Scorer<'s>) -> Self {
        ScoreStream {
            tally: scorer.empty(),
            scorer,
            pending: Vec::new(),
            respondents: 0,
        }
    }

    /// Adds responses, holding back (a copy of) an incomplete block for the next call.
    pub(super) fn push<'a>(&mut self, rows: impl Iterator<Item = &'a Response>) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let mut all: Vec<&Response> = pending.iter().collect();
        all.extend(rows.map(|r| r as &Response));
        let rows = all;
        let whole = rows.len() / CHUNK * CHUNK;
        let scorer = &self.scorer;
        let tallies = rows[..whole]
            .par_chunks(CHUNK)
            .map(|block| scorer.tally(block))
            .collect::<Result<Vec<Tally>>>()?;
        self.merge(tallies);
        self.respondents += whole;
        self.pending = rows[whole..].iter().map(|r| (*r).clone()).collect();
        Ok(())
    }

    fn merge(&mut self, tallies: Vec<Tally>) {
        for t in tallies {
            let running = std::mem::replace(&mut self.tally, self.scorer.empty());
            self.tally = running.merge(t);
        }
    }

    pub(super) fn finish(mut self) -> Result<ScoreReport> {
        let rest: Vec<&Response> = self.pending.iter().collect();
        let last = self.scorer.tally(&rest)?;
        self.respondents += rest.len();
        self.merge(vec![last]);
        self.scorer.report(self.tally, self.respondents)
    }
}

/// A survey's items, scales, segments and weights resolved against an export's columns.
pub(super) struct Scorer<'s> {
    survey: &'s Survey,
    options: &'s ScoreOptions,
    file: &'s Path,
    columns: Vec<usize>,
    scales: Vec<&'s ResponseScale>,
    matchers: Vec<AnswerMatcher>,
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
        let scales: Vec<&ResponseScale> = survey
            .items
            .iter()
            .map(|i| survey.response_scale(&i.scale).expect("validated survey"))
            .collect();
        let matchers = scales
            .iter()
            .map(|s| AnswerMatcher::new(s, format))
            .collect();
        let resolved = survey
            .scales
            .iter()
            .map(|s| ResolvedScale {
                items: s
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
                    .collect(),
                min_items: s.min_items(),
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

    fn empty(&self) -> Tally {
        Tally {
            items: self.scales.iter().map(|s| self.counts_for(s)).collect(),
            scales: self
                .resolved
                .iter()
                .map(|r| ScaleTally {
                    moments: CoMoments::new(
                        r.items.len(),
                        scale_midpoint(self.scales[r.items[0].0]),
                    ),
                    scores: FxHashMap::default(),
                })
                .collect(),
            groups: vec![BTreeMap::new(); self.segment_columns.len()],
            unknown: BTreeMap::new(),
        }
    }

    /// Every analysed response needs a finite, non-negative weight, or the run stops naming the
    /// row (a silently dropped or zeroed weight would change every figure).
    fn weight(&self, r: &Response) -> Result<f64> {
        let Some(col) = self.weight_column else {
            return Ok(1.0);
        };
        let v = r.values[col].trim();
        v.parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| {
                Error::input(
                    self.file,
                    format!("weight `{v}` is not a non-negative number"),
                )
                .at_row(r.row)
                .at_column(self.options.weight.clone().unwrap_or_default())
                .hint(
                    "every analysed response needs a weight; fix the value or exclude the response",
                )
            })
    }

    /// What one block of responses contributes.
    fn tally(&self, rows: &[&Response]) -> Result<Tally> {
        let (scales, resolved) = (&self.scales, &self.resolved);
        let mut t = self.empty();
        let mut coded = vec![Coded::Missing; self.columns.len()];
        let mut keyed: Vec<Option<f64>> = Vec::new();
        let mut scale_scores: Vec<Option<f64>> = Vec::with_capacity(resolved.len());
        for &r in rows {
            let w = self.weight(r)?;
            for (i, &col) in self.columns.iter().enumerate() {
                let c = self.matchers[i].code(&r.values[col]);
                coded[i] = c;
                t.items[i].add_weighted(c, w);
                if c == Coded::Unknown {
                    let e = t
                        .unknown
                        .entry((i, r.values[col].trim().to_string()))
                        .or_insert((0, r.row));
                    e.0 += 1;
                }
            }
            let value = |i: usize| match coded[i] {
                Coded::Option(o) => Some(scales[i].code(o)),
                _ => None,
            };
            scale_scores.clear();
            for (s, rs) in resolved.iter().enumerate() {
                keyed.clear();
                keyed.extend(rs.items.iter().map(|&(i, rev)| {
                    value(i).map(|v| if rev { reverse(scales[i], v) } else { v })
                }));
                let include = match self.options.missing {
                    MissingMethod::Pairwise => true,
                    MissingMethod::Listwise => keyed.iter().all(Option::is_some),
                };
                if include {
                    t.scales[s].moments.add(&keyed);
                }
                let (answered, total) = keyed
                    .iter()
                    .flatten()
                    .fold((0usize, 0.0), |(n, sum), v| (n + 1, sum + v));
                let score = (answered >= rs.min_items).then(|| total / answered as f64);
                if let Some(sc) = score {
                    *t.scales[s]
                        .scores
                        .entry((sc * SCORE_RESOLUTION).round() as i64)
                        .or_insert(0) += 1;
                }
                scale_scores.push(score);
            }
            for (g, &col) in self.segment_columns.iter().enumerate() {
                let value = group_value(&r.values[col]);
                // Looked up by reference first: a group's name is allocated once per block.
                if !t.groups[g].contains_key(value) {
                    t.groups[g].insert(
                        value.to_string(),
                        GroupTally {
                            n: 0,
                            items: scales.iter().map(|s| self.counts_for(s)).collect(),
                            scales: vec![(0, 0.0); resolved.len()],
                        },
                    );
                }
                let gt = t.groups[g].get_mut(value).expect("inserted above");
                gt.n += 1;
                for (i, c) in coded.iter().enumerate() {
                    gt.items[i].add_weighted(*c, w);
                }
                for (s, sc) in scale_scores.iter().enumerate() {
                    if let Some(v) = sc {
                        gt.scales[s].0 += 1;
                        gt.scales[s].1 += v;
                    }
                }
            }
        }
        Ok(t)
    }

    fn report(&self, tally: Tally, respondents: usize) -> Result<ScoreReport> {
        check_unrecognised(self.file, self.survey, &self.scales, &tally)?;
        Ok(build_report(
            respondents,
            self.survey,
            self.options,
            &self.scales,
            &self.resolved,
            tally,
        ))
    }
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
