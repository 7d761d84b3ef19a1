//! A tallying thread's work buffers: a block's answers counted in a histogram, its scale
//! scores in dense tables, and its items' values gathered for the co-moments, then added to the
//! block's `Tally` at once.

use super::super::coded::{decode, NON_SUBSTANTIVE};
use super::super::reliability::{CoMoments, Multiples, MAX_MULTIPLE_ROWS};
use super::super::resolved::ResolvedScale;
use super::super::CHUNK;
use super::{add_score, Tally};

/// A tallying thread's work buffers (see `Scorer::tally`).
#[derive(Default)]
pub(super) struct Scratch {
    histogram: Vec<u16>,
    /// Per scale, respondents by (items answered, total) of an integer-coded scale.
    pub(super) dense: Vec<Vec<u32>>,
    /// Per scale, complete rows' values, row after row.
    pub(super) complete: Vec<Vec<f64>>,
    /// Per scale, incomplete rows' values and answered marks.
    pub(super) incomplete: Vec<Vec<f64>>,
    /// Per scale in half units, its answers item by item.
    pub(super) halves: Vec<HalfColumns>,
}

impl Scratch {
    /// Empty buffers sized for a block of `scales`' and `items`' answers.
    pub(super) fn reset(&mut self, scales: &[ResolvedScale], items: usize, weighted: bool) {
        // Unweighted item counts go to a histogram of bytes first: one increment per answer
        // (u16: a block has at most `CHUNK` responses).
        self.histogram.clear();
        self.histogram
            .resize(if weighted { 0 } else { items * 256 }, 0);
        // Scale scores of integer-coded scales are counted by (items answered, total) in a
        // dense table, turned into scores once per block; others are hashed per respondent.
        self.dense.resize_with(scales.len(), Vec::new);
        for (table, rs) in self.dense.iter_mut().zip(scales) {
            table.clear();
            if let Some((_, width)) = rs.totals {
                table.resize((rs.items.len() + 1) * width, 0);
            }
        }
        for buffers in [&mut self.complete, &mut self.incomplete] {
            buffers.resize_with(scales.len(), Vec::new);
            buffers.iter_mut().for_each(Vec::clear);
        }
        // Scales in half units are gathered item by item (see `HalfColumns`).
        self.halves.resize_with(scales.len(), Default::default);
        for (h, rs) in self.halves.iter_mut().zip(scales) {
            h.reset(if rs.halves.is_empty() {
                0
            } else {
                rs.items.len()
            });
        }
    }

    /// One response's answers, unweighted, to the histogram.
    pub(super) fn count_answers(&mut self, codes: &[u8]) {
        // A byte indexes a 256-entry row: no bounds check.
        let (rows_of_256, _) = self.histogram.as_chunks_mut::<256>();
        for (h, &c) in rows_of_256.iter_mut().zip(codes) {
            h[usize::from(c)] += 1;
        }
    }

    /// What the block gathered, added to `t`: co-moment rows, the histogram, score tables.
    pub(super) fn flush_into(&self, scales: &[ResolvedScale], t: &mut Tally) {
        for (s, st) in t.scales.iter_mut().enumerate() {
            st.moments.add_complete(&self.complete[s]);
            st.moments.add_incomplete(&self.incomplete[s]);
            self.halves[s].add_to(&mut st.moments);
        }
        for (counts, h) in t.items.iter_mut().zip(self.histogram.chunks_exact(256)) {
            for (b, &n) in h.iter().enumerate().filter(|(_, n)| **n > 0) {
                counts.add_many(decode(b as u8), u64::from(n));
            }
        }
        for ((table, rs), st) in self.dense.iter().zip(scales).zip(t.scales.iter_mut()) {
            let Some((lo, width)) = rs.totals else {
                continue;
            };
            for (cell, &n) in table.iter().enumerate().filter(|(_, n)| **n > 0) {
                let (answered, total) = (cell / width, (cell % width) as i64 + lo);
                add_score(&mut st.scores, total as f64, answered, u64::from(n));
            }
        }
    }
}

/// Where item `j`'s column starts in `HalfColumns` (at `j * HALF_STRIDE`): room for `CHUNK`
/// rows, and a little more so that columns are not a multiple of 4 KiB apart (stores to such
/// addresses are mistaken for each other by the processor and wait).
const HALF_STRIDE: usize = CHUNK + 32;

/// One scale's answers in half units, item by item (`CHUNK` rows per item): complete rows,
/// and incomplete ones with their answered marks.
#[derive(Default)]
pub(super) struct HalfColumns {
    complete: Vec<i16>,
    complete_rows: usize,
    incomplete: Vec<i16>,
    answered: Vec<i16>,
    incomplete_rows: usize,
}

impl HalfColumns {
    /// Empty, with room for `items` columns. Only the first rows of each column are read, so
    /// the buffers are not cleared.
    fn reset(&mut self, items: usize) {
        for buffer in [&mut self.complete, &mut self.incomplete, &mut self.answered] {
            buffer.resize(items * HALF_STRIDE, 0);
        }
        (self.complete_rows, self.incomplete_rows) = (0, 0);
    }

    /// Adds a respondent's answers to `scale` (incomplete rows only when `pairwise`); returns
    /// how many items were answered and the total of their keyed values.
    pub(super) fn add(
        &mut self,
        scale: &ResolvedScale,
        codes: &[u8],
        pairwise: bool,
    ) -> (usize, i64) {
        // Gathered into the next complete row's place; an incomplete row is then moved to its
        // own columns (and the place reused).
        let row = self.complete_rows;
        let (answered, whole) = scale.gather_halves(codes, &mut self.complete, HALF_STRIDE, row);
        if answered == scale.items.len() {
            self.complete_rows += 1;
        } else if pairwise {
            let to = self.incomplete_rows;
            for (j, &(i, _)) in scale.items.iter().enumerate() {
                let (at, from) = (j * HALF_STRIDE + to, j * HALF_STRIDE + row);
                self.incomplete[at] = self.complete[from];
                self.answered[at] = i16::from(codes[i] < NON_SUBSTANTIVE);
            }
            self.incomplete_rows += 1;
        }
        (answered, whole)
    }

    /// What the rows add to `moments`.
    fn add_to(&self, moments: &mut CoMoments) {
        let rows = |columns, answered, n| Multiples {
            columns,
            answered,
            stride: HALF_STRIDE,
            n,
            unit: 0.5,
        };
        moments.add_multiples(&rows(&self.complete, None, self.complete_rows));
        let answered = Some(&self.answered[..]);
        moments.add_multiples(&rows(&self.incomplete, answered, self.incomplete_rows));
    }
}

// The histogram counts one block's answers in u16, and a block's half units are summed in i32.
const _: () = assert!(CHUNK <= u16::MAX as usize && CHUNK <= MAX_MULTIPLE_ROWS);
