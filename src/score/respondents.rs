//! Each respondent's coded answers and scale scores, for the respondent-level Parquet table
//! (`report/parquet.rs`). Kept as `score` codes the stream (`score_stream_with`), by the same
//! `Scorer` as the aggregate figures, so a row's codes and scores are exactly those the items
//! and scales tables count — and a national survey's export is read once, not twice.

use super::coded::{decode, CodedChunk, Numbering};
use super::likert::Coded;
use super::tally::Scorer;

/// Respondents in the clean table's order: the kept responses, in the export's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondents {
    /// Each respondent's hashed key, as `Response::key` spells it: never an identifier. Filled
    /// in by the pass that read the export, which hashes each key once for every stage.
    pub keys: Vec<String>,
    /// Respondents held.
    rows: usize,
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
    /// Row-major, one per segment: the group's number in `groups[segment]`.
    group_numbers: Vec<u32>,
    /// Per segment, its groups as the segments table names them (a blank answer is
    /// "(not answered)"), numbered in order of appearance.
    groups: Vec<Numbering>,
    /// Segments per respondent (the row stride of the group numbers).
    pub segments: usize,
    /// Each respondent's weight, when the survey is weighted.
    pub weights: Option<Vec<f64>>,
}

impl Respondents {
    /// None yet, for what `scorer` codes.
    pub(super) fn new(scorer: &Scorer) -> Respondents {
        Respondents {
            keys: Vec::new(),
            rows: 0,
            bytes: Vec::new(),
            items: scorer.scales.len(),
            option_codes: scorer
                .scales
                .iter()
                .map(|s| (0..s.labels.len()).map(|o| s.code(o)).collect())
                .collect(),
            scale_scores: Vec::new(),
            scales: scorer.resolved.len(),
            group_numbers: Vec::new(),
            groups: (0..scorer.segment_columns.len())
                .map(|_| Numbering::default())
                .collect(),
            segments: scorer.segment_columns.len(),
            weights: scorer.weighted().then(Vec::new),
        }
    }

    /// Appends the kept responses of one coded chunk.
    pub(super) fn push_kept(&mut self, scorer: &Scorer, chunk: &CodedChunk, kept: &[bool]) {
        let rows = &chunk.rows;
        let (items, segments) = (self.items, self.segments);
        let mut shifted = Vec::new();
        for r in (0..kept.len()).filter(|&r| kept[r]) {
            self.rows += 1;
            let answers = &rows.codes[r * items..(r + 1) * items];
            self.bytes.extend_from_slice(answers);
            for rs in &scorer.resolved {
                shifted.resize(rs.items.len(), 0.0);
                let (answered, total) = rs.gather(answers, &mut shifted);
                // As `tally` scores a respondent: the mean of the keyed values answered.
                self.scale_scores.push(
                    (answered >= rs.min_items && answered > 0).then(|| total / answered as f64),
                );
            }
            for s in 0..segments {
                let local = rows.groups[r * segments + s] as usize;
                let name = &chunk.values[s].names[local];
                self.group_numbers.push(self.groups[s].number(name));
            }
            // Raked weights are known only once every respondent is read (`ScoreStream::finish`
            // gives them); a weight column's are here.
            if let (Some(weights), Some(&w)) = (self.weights.as_mut(), rows.weights.get(r)) {
                weights.push(w);
            }
        }
    }

    /// Respondents held (kept responses, in the export's order).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no respondent is held.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
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

    /// Names each segment's write-in groups as the segments table does (`foldings`, one per
    /// segment): a respondent's own words are not their group's name.
    pub(super) fn fold_groups(&mut self, foldings: &[super::questions::Folding]) {
        for (numbering, folding) in self.groups.iter_mut().zip(foldings) {
            for name in &mut numbering.names {
                *name = folding.fold(name).to_string();
            }
        }
    }

    /// Respondent `r`'s group in segment `s`, as the segments table names it.
    pub fn group(&self, r: usize, s: usize) -> &str {
        let number = self.group_numbers[r * self.segments + s] as usize;
        &self.groups[s].names[number]
    }
}
