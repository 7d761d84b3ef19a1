//! Answers coded for scoring: one byte per item, so that what travels from the reader's
//! parallel pass to the tally is a few bytes per response, not the response.

use super::likert::Coded;
use crate::config::survey::{MAX_NON_SUBSTANTIVE, MAX_OPTIONS};
use rustc_hash::FxHashMap;

/// An answer in one byte: option `i` is `i`, non-substantive answer `i` is `NON_SUBSTANTIVE + i`,
/// and the three marks below (the survey's limits `MAX_OPTIONS` and `MAX_NON_SUBSTANTIVE`
/// keep the ranges apart).
pub(super) const NON_SUBSTANTIVE: u8 = 128;
pub(super) const UNKNOWN: u8 = 253;
pub(super) const NOT_SHOWN: u8 = 254;
pub(super) const MISSING: u8 = 255;
const _: () = assert!(MAX_OPTIONS < NON_SUBSTANTIVE as usize);
const _: () = assert!(NON_SUBSTANTIVE as usize + MAX_NON_SUBSTANTIVE <= UNKNOWN as usize);

pub(super) fn encode(c: Coded) -> u8 {
    match c {
        Coded::Missing => MISSING,
        // In range by the limits checked in `Scorer::new`.
        Coded::Option(i) => i as u8,
        Coded::NonSubstantive(i) => NON_SUBSTANTIVE + i as u8,
        Coded::Unknown => UNKNOWN,
        Coded::NotShown => NOT_SHOWN,
    }
}

pub(super) fn decode(b: u8) -> Coded {
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
    pub(super) lines: Vec<usize>,
    /// Row-major: `items` bytes per response.
    pub(super) codes: Vec<u8>,
    pub(super) weights: Vec<f64>,
    /// Row-major: one group number per segment.
    pub(super) groups: Vec<u32>,
    /// Row-major: one group number per raking margin (`[[weights.rake]]`).
    pub(super) margins: Vec<u32>,
    /// Row-major: per choice or number question's source (`questions::Source`), the number of
    /// the row's answer (as the question reads it) in that source's numbering.
    pub(super) answers: Vec<u32>,
    /// (response, item, export column, answer as shown) for answers that match no option.
    pub(super) unknown: Vec<(usize, usize, usize, String)>,
    /// (response, value) for weights that are not non-negative numbers.
    pub(super) bad_weights: Vec<(usize, String)>,
}

impl CodedRows {
    /// Room for `responses` of `items` answers each, so that filling it does not reallocate.
    pub(super) fn with_capacity(responses: usize, items: usize) -> CodedRows {
        CodedRows {
            lines: Vec::with_capacity(responses),
            codes: Vec::with_capacity(responses * items),
            ..CodedRows::default()
        }
    }

    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Moves a chunk's kept responses here (renumbering their groups into the stream-wide
    /// `numbering`), sealing into `blocks` each time `block` responses are held.
    pub(super) fn append_kept(
        &mut self,
        chunk: CodedChunk,
        kept: &[bool],
        numbering: &mut Numberings,
        block: usize,
        blocks: &mut Vec<CodedRows>,
    ) {
        let CodedChunk {
            rows,
            values,
            answer_values,
            margin_values,
        } = chunk;
        let segments = values.len();
        let margins = margin_values.len();
        let sources = answer_values.len();
        let items = rows.codes.len() / rows.len().max(1);
        // Chunk-local group number → stream-wide number, given when a kept response first has
        // the value (so every group has a member).
        let mut renumber = Renumbering::new(&values);
        let mut renumber_answers = Renumbering::new(&answer_values);
        let mut renumber_margins = Renumbering::new(&margin_values);
        let mut unknown = rows.unknown.into_iter().peekable();
        let mut bad_weights = rows.bad_weights.into_iter().peekable();
        for (r, _) in kept.iter().enumerate().filter(|(_, k)| **k) {
            let at = self.len();
            self.lines.push(rows.lines[r]);
            self.codes
                .extend_from_slice(&rows.codes[r * items..(r + 1) * items]);
            if !rows.weights.is_empty() {
                self.weights.push(rows.weights[r]);
            }
            for s in 0..segments {
                let local = rows.groups[r * segments + s];
                let number = renumber.number(s, local, &values, &mut numbering.groups);
                self.groups.push(number);
            }
            for m in 0..margins {
                let local = rows.margins[r * margins + m];
                let number =
                    renumber_margins.number(m, local, &margin_values, &mut numbering.margins);
                self.margins.push(number);
            }
            for s in 0..sources {
                let local = rows.answers[r * sources + s];
                let number =
                    renumber_answers.number(s, local, &answer_values, &mut numbering.answers);
                self.answers.push(number);
            }
            while unknown.peek().is_some_and(|u| u.0 < r) {
                unknown.next();
            }
            while let Some((_, item, column, text)) = unknown.next_if(|u| u.0 == r) {
                self.unknown.push((at, item, column, text));
            }
            while bad_weights.peek().is_some_and(|u| u.0 < r) {
                bad_weights.next();
            }
            if let Some((_, value)) = bad_weights.next_if(|u| u.0 == r) {
                self.bad_weights.push((at, value));
            }
            if self.len() == block {
                let next = CodedRows::with_capacity(block, items);
                blocks.push(std::mem::replace(self, next));
            }
        }
    }
}

/// Chunk-local numbers → stream-wide ones, per numbered column: `u32::MAX` until a kept
/// response first has the value.
struct Renumbering(Vec<Vec<u32>>);

impl Renumbering {
    fn new(values: &[Numbering]) -> Renumbering {
        Renumbering(
            values
                .iter()
                .map(|v| vec![u32::MAX; v.names.len()])
                .collect(),
        )
    }

    /// The stream-wide number of chunk-local value `local` of column `s`.
    fn number(
        &mut self,
        s: usize,
        local: u32,
        values: &[Numbering],
        stream: &mut [Numbering],
    ) -> u32 {
        let number = &mut self.0[s][local as usize];
        if *number == u32::MAX {
            *number = stream[s].number(&values[s].names[local as usize]);
        }
        *number
    }
}

/// The stream-wide numberings: segment groups, and the answers of choice and number questions.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Numberings {
    pub(super) groups: Vec<Numbering>,
    pub(super) answers: Vec<Numbering>,
    /// The raking margins' groups.
    pub(super) margins: Vec<Numbering>,
}

/// Segment values numbered in order of appearance.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Numbering {
    ids: FxHashMap<String, u32>,
    pub(super) names: Vec<String>,
}

impl Numbering {
    pub(super) fn number(&mut self, value: &str) -> u32 {
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
    pub(super) rows: CodedRows,
    pub(super) values: Vec<Numbering>,
    /// Per choice or number question's source, its answers numbered within the chunk.
    pub(super) answer_values: Vec<Numbering>,
    /// Per raking margin, its groups numbered within the chunk.
    pub(super) margin_values: Vec<Numbering>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_survives_its_byte() {
        let all = [
            Coded::Missing,
            Coded::NotShown,
            Coded::Unknown,
            Coded::Option(0),
            Coded::Option(MAX_OPTIONS - 1),
            Coded::NonSubstantive(0),
            Coded::NonSubstantive(MAX_NON_SUBSTANTIVE - 1),
        ];
        for c in all {
            assert_eq!(decode(encode(c)), c);
        }
    }

    /// Two chunks of three responses (two items, one segment), the middle response of each
    /// dropped: kept responses go on in order, sealed in blocks of three, with their unknown
    /// answers and with group numbers shared across chunks.
    #[test]
    fn kept_responses_move_in_order_with_stream_wide_groups() {
        let chunk = |first_line: usize, groups: [&str; 3]| {
            let mut values = vec![Numbering::default()];
            let mut rows = CodedRows::default();
            for (r, g) in groups.iter().enumerate() {
                rows.lines.push(first_line + r);
                rows.codes.extend([r as u8, UNKNOWN]);
                rows.groups.push(values[0].number(g));
                rows.unknown
                    .push((r, 1, 0, format!("odd {}", first_line + r)));
            }
            CodedChunk {
                rows,
                values,
                answer_values: Vec::new(),
                margin_values: Vec::new(),
            }
        };
        let mut numbering = Numberings {
            groups: vec![Numbering::default()],
            answers: Vec::new(),
            margins: Vec::new(),
        };
        let (mut pending, mut blocks) = (CodedRows::default(), Vec::new());
        let kept = [true, false, true];
        pending.append_kept(
            chunk(10, ["b", "x", "a"]),
            &kept,
            &mut numbering,
            3,
            &mut blocks,
        );
        pending.append_kept(
            chunk(20, ["a", "y", "c"]),
            &kept,
            &mut numbering,
            3,
            &mut blocks,
        );
        assert_eq!(blocks.len(), 1);
        let block = &blocks[0];
        assert_eq!(block.lines, [10, 12, 20]);
        assert_eq!(block.codes, [0, UNKNOWN, 2, UNKNOWN, 0, UNKNOWN]);
        assert_eq!(block.groups, [0, 1, 1]);
        let unknown: Vec<(usize, &str)> =
            block.unknown.iter().map(|u| (u.0, u.3.as_str())).collect();
        assert_eq!(unknown, [(0, "odd 10"), (1, "odd 12"), (2, "odd 20")]);
        assert_eq!(pending.lines, [22]);
        assert_eq!(pending.groups, [2]);
        assert_eq!(
            numbering.groups[0].names,
            ["b", "a", "c"],
            "dropped values are not numbered"
        );
    }
}
