//! Coded responses tallied as they stream in (`ScoreStream`): whole blocks of `CHUNK` kept
//! responses in parallel, merged in file order; a raked survey's blocks held until raking has
//! weighted every respondent.

use super::coded::{CodedChunk, CodedRows, Numbering, Numberings};
use super::tally::{Scorer, Tally};
use super::{ScoreReport, CHUNK};
use crate::clean::Screened;
use crate::error::Result;
use rayon::prelude::*;

/// Tallies coded responses in blocks of `CHUNK` kept responses (in parallel) and merges the
/// blocks' tallies in order. A raked survey's weights depend on every respondent, so its blocks
/// are held (a few bytes per answer) and tallied once raking has weighted them.
pub(super) struct ScoreStream<'a, 's> {
    scorer: &'a Scorer<'s>,
    tally: Tally,
    /// Kept responses not yet in a whole block.
    pending: CodedRows,
    /// Whole blocks waiting for their raked weights.
    held: Vec<CodedRows>,
    /// Group and answer numbers across the whole stream.
    values: Numberings,
    respondents: usize,
    /// A weight column's weights, in file order, for the weight report.
    base_weights: Vec<f64>,
}

/// What a scored stream gives: the report, and each kept respondent's weight (file order) when
/// the survey is weighted.
pub(super) struct Scored {
    pub(super) report: ScoreReport,
    pub(super) weights: Option<Vec<f64>>,
    /// Each segment's write-ins, as the report merged them.
    pub(super) segment_foldings: Vec<super::questions::Folding>,
}

impl<'a, 's> ScoreStream<'a, 's> {
    pub(super) fn new(scorer: &'a Scorer<'s>) -> Self {
        ScoreStream {
            tally: scorer.empty(),
            values: Numberings {
                groups: vec![Numbering::default(); scorer.segment_columns.len()],
                answers: vec![Numbering::default(); scorer.sources.len()],
                margins: vec![Numbering::default(); scorer.margin_columns.len()],
            },
            scorer,
            pending: CodedRows::default(),
            held: Vec::new(),
            respondents: 0,
            base_weights: Vec::new(),
        }
    }

    /// Adds the kept responses of screened chunks (in file order) and tallies every whole block
    /// (or, raking, holds it).
    pub(super) fn push(&mut self, chunks: Vec<Screened<CodedChunk>>) -> Result<()> {
        let mut blocks = Vec::new();
        for Screened { rows: chunk, kept } in chunks {
            self.pending
                .append_kept(chunk, &kept, &mut self.values, CHUNK, &mut blocks);
        }
        if self.scorer.rakes() {
            self.held.extend(blocks);
            return Ok(());
        }
        self.tally_blocks(&blocks)
    }

    fn tally_blocks(&mut self, blocks: &[CodedRows]) -> Result<()> {
        let scorer = self.scorer;
        let tallies = blocks
            .par_iter()
            .map(|block| scorer.tally(block))
            .collect::<Result<Vec<Tally>>>()?;
        for block in blocks {
            self.respondents += block.len();
            self.base_weights.extend_from_slice(&block.weights);
        }
        self.merge(tallies);
        Ok(())
    }

    fn merge(&mut self, tallies: Vec<Tally>) {
        for t in tallies {
            let running = std::mem::replace(&mut self.tally, self.scorer.empty());
            self.tally = running.merge(t);
        }
    }

    pub(super) fn finish(mut self) -> Result<Scored> {
        let mut blocks = std::mem::take(&mut self.held);
        blocks.push(std::mem::take(&mut self.pending));
        let raked = if self.scorer.rakes() {
            Some(self.rake(&mut blocks)?)
        } else {
            None
        };
        self.tally_blocks(&blocks)?;
        let Numberings {
            groups, answers, ..
        } = std::mem::take(&mut self.values);
        let names = groups.into_iter().map(|v| v.names).collect();
        let answers = answers.into_iter().map(|v| v.names).collect();
        let (mut report, segment_foldings) =
            self.scorer
                .report(self.tally, names, answers, self.respondents)?;
        let (weighting, weights) = match raked {
            Some(r) => (
                Some(
                    r.report
                        .hide_small_groups(self.scorer.options.suppress_below),
                ),
                Some(r.weights),
            ),
            None if self.scorer.weighted() && !self.base_weights.is_empty() => (
                Some(super::rake::summary(&self.base_weights)),
                Some(self.base_weights),
            ),
            None => (None, None),
        };
        report.weighting = weighting;
        Ok(Scored {
            report,
            weights,
            segment_foldings,
        })
    }

    /// Rakes every kept respondent (from the weight column's weights, if any) and gives each
    /// block its respondents' weights.
    fn rake(&self, blocks: &mut [CodedRows]) -> Result<super::rake::Raked> {
        for block in blocks.iter() {
            self.scorer.check_weights(block)?;
        }
        let m = self.scorer.margin_columns.len();
        let margins: Vec<super::rake::MarginData> = (0..m)
            .map(|k| super::rake::MarginData {
                groups: blocks
                    .iter()
                    .flat_map(|b| b.margins.iter().skip(k).step_by(m).copied())
                    .collect(),
                names: &self.values.margins[k].names,
            })
            .collect();
        let base: Vec<f64> = blocks
            .iter()
            .flat_map(|b| b.weights.iter().copied())
            .collect();
        let survey_file = self.scorer.options.survey_file.as_deref();
        let settings = super::rake::RakeSettings {
            survey_file: survey_file.unwrap_or(self.scorer.file),
            weights: &self.scorer.survey.weights,
        };
        let raked = super::rake::rake(&settings, &margins, &base)?;
        let mut at = 0;
        for block in blocks.iter_mut() {
            block.weights = raked.weights[at..at + block.len()].to_vec();
            at += block.len();
        }
        Ok(raked)
    }
}
