//! Each respondent's coded answers and scale scores, for the respondent-level Parquet table
//! (`report/parquet.rs`). Coded by the same `Scorer` as the aggregate figures, so a row's
//! codes and scores are exactly those the items and scales tables count.

use super::coded::{decode, CodedRows};
use super::likert::Coded;
use super::tally::{group_value, Scorer};
use super::ScoreOptions;
use crate::clean::CleanTable;
use crate::config::Survey;
use crate::error::{Error, Result};
use crate::model::Row;
use rayon::prelude::*;
use std::path::Path;

/// Respondents in the clean table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondents {
    /// Row-major, one byte per item as `score` codes answers (see [`Respondents::code`]): a
    /// byte, not the figure, so a million respondents × 30 items take 30 MB.
    bytes: Vec<u8>,
    /// Items per respondent (the row stride of the codes).
    pub items: usize,
    /// Per item, the code of each option of its response scale.
    option_codes: Vec<Vec<f64>>,
    /// Row-major, one per scale: the mean of the keyed answers when at least the scale's
    /// `min_items` were answered, as the scales table counts them.
    pub scale_scores: Vec<Option<f64>>,
    /// Scales per respondent (the row stride of `scale_scores`).
    pub scales: usize,
    /// Row-major, one per segment: the group, as the segments table names it (a blank answer
    /// is "(not answered)").
    pub groups: Vec<String>,
    /// Segments per respondent (the row stride of `groups`).
    pub segments: usize,
    /// Each respondent's weight, when the survey is weighted.
    pub weights: Option<Vec<f64>>,
}

impl Respondents {
    /// Respondents held (kept responses, in the export's order).
    pub fn len(&self) -> usize {
        self.bytes.len().checked_div(self.items).unwrap_or(0)
    }

    /// Respondent `r`'s answer to item `i`: the code of the option chosen (the response
    /// scale's `codes`, 1 … k by default); `None` when missing, non-substantive (Don't know),
    /// not shown or unrecognised.
    pub fn code(&self, r: usize, i: usize) -> Option<f64> {
        match decode(self.bytes[r * self.items + i]) {
            Coded::Option(o) => self.option_codes[i].get(o).copied(),
            _ => None,
        }
    }

    /// Whether no respondent is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Codes every response of `table` as `score` does, block by block in parallel, in order.
pub fn respondents(
    table: &CleanTable,
    survey: &Survey,
    options: &ScoreOptions,
) -> Result<Respondents> {
    let file = Path::new(&table.source.file);
    let scorer = Scorer::new(&table.columns, table.source.format, file, survey, options)?;
    let blocks: Vec<Result<Respondents>> = table
        .responses
        .par_chunks(crate::ingest::CHUNK_ROWS)
        .map(|rows| {
            let mut chunk = scorer.chunk();
            for r in rows {
                scorer.code(&mut chunk, r);
            }
            let groups = rows
                .iter()
                .flat_map(|r| {
                    scorer
                        .segment_columns
                        .iter()
                        .map(|&c| group_value(&r.scrubbed(c)).to_string())
                })
                .collect();
            block(&scorer, chunk.rows, groups, file, options)
        })
        .collect();
    let mut all = Respondents {
        bytes: Vec::new(),
        items: scorer.scales.len(),
        option_codes: scorer
            .scales
            .iter()
            .map(|s| (0..s.labels.len()).map(|o| s.code(o)).collect())
            .collect(),
        scale_scores: Vec::new(),
        scales: survey.scales.len(),
        groups: Vec::new(),
        segments: scorer.segment_columns.len(),
        weights: options.weight.as_ref().map(|_| Vec::new()),
    };
    for b in blocks {
        let b = b?;
        all.bytes.extend(b.bytes);
        all.scale_scores.extend(b.scale_scores);
        all.groups.extend(b.groups);
        if let (Some(all), Some(b)) = (all.weights.as_mut(), b.weights) {
            all.extend(b);
        }
    }
    Ok(all)
}

fn block(
    scorer: &Scorer,
    rows: CodedRows,
    groups: Vec<String>,
    file: &Path,
    options: &ScoreOptions,
) -> Result<Respondents> {
    // `score` has already stopped on these, so this is for a caller that did not score first.
    if let Some((at, v)) = rows.bad_weights.first() {
        return Err(
            Error::input(file, format!("weight `{v}` is not a non-negative number"))
                .at_row(rows.lines[*at])
                .at_column(options.weight.clone().unwrap_or_default())
                .hint(
                    "every analysed response needs a weight; fix the value or exclude the response",
                ),
        );
    }
    let items = scorer.scales.len();
    let mut shifted = Vec::new();
    let mut scale_scores = Vec::with_capacity(rows.len() * scorer.resolved.len());
    for answers in rows.codes.chunks(items.max(1)).take(rows.len()) {
        for rs in &scorer.resolved {
            shifted.resize(rs.items.len(), 0.0);
            let (answered, total) = rs.gather(answers, &mut shifted);
            // As `tally` scores a respondent: the mean of the keyed values answered.
            scale_scores
                .push((answered >= rs.min_items && answered > 0).then(|| total / answered as f64));
        }
    }
    Ok(Respondents {
        items,
        option_codes: Vec::new(),
        scale_scores,
        scales: scorer.resolved.len(),
        groups,
        segments: scorer.segment_columns.len(),
        weights: options.weight.as_ref().map(|_| rows.weights),
        bytes: rows.codes,
    })
}
