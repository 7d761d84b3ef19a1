//! A scale's items resolved against the survey: keying, and the keyed value of every option,
//! worked out once so that a respondent's answers become values by table lookup.

use super::coded::NON_SUBSTANTIVE;
use crate::config::ResponseScale;

/// The survey's scales resolved to item indices with keying.
pub(super) struct ResolvedScale {
    pub(super) items: Vec<(usize, bool)>,
    pub(super) min_items: usize,
    /// What option `o` of the scale's item `j` counts as, reverse keying applied, at
    /// `j * stride + o`; and the same less the scale's midpoint (as the co-moments add them).
    keyed: Vec<f64>,
    shifted: Vec<f64>,
    /// `shifted` in half units (2 × shifted, a whole number when the keyed values are), when
    /// every one fits within ±127: the co-moments are then integer dot products (see
    /// `CoMoments::add_multiples`). Empty otherwise. Item `j`'s value for byte code `c` at
    /// `halves[j][c]`, 0 for codes that are not an answer, so a byte needs no range check.
    pub(super) halves: Vec<[i16; 256]>,
    /// 2 × the midpoint (a whole number when `halves` is not empty).
    twice_midpoint: i32,
    stride: usize,
    pub(super) midpoint: f64,
    /// When every keyed value is a whole number: the lowest total of any answered subset of
    /// items and how many totals there can be (a dense table of score counts, see `tally`).
    pub(super) totals: Option<(i64, usize)>,
}

impl ResolvedScale {
    pub(super) fn new(
        items: Vec<(usize, bool)>,
        min_items: usize,
        scales: &[&ResponseScale],
    ) -> Self {
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
        let shifted: Vec<f64> = keyed.iter().map(|v| v - midpoint).collect();
        let integral = keyed.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e6);
        let (lo, hi) = keyed
            .chunks(stride.max(1))
            .fold((0.0, 0.0), |(lo, hi), values| {
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo + min.min(0.0), hi + max.max(0.0))
            });
        let width = (hi - lo) as usize + 1;
        let totals = (integral && width <= 1 << 16).then_some((lo as i64, width));
        let fits = |v: &f64| (2.0 * v).abs() <= 127.0 && (2.0 * v).fract() == 0.0;
        let halves = match totals {
            Some(_) if shifted.iter().all(fits) => shifted
                .chunks(stride.max(1))
                .map(|options| {
                    let mut table = [0i16; 256];
                    for (t, v) in table.iter_mut().zip(options) {
                        *t = (2.0 * v) as i16;
                    }
                    table
                })
                .collect(),
            _ => Vec::new(),
        };
        ResolvedScale {
            items,
            min_items,
            keyed,
            shifted,
            halves,
            twice_midpoint: (2.0 * midpoint) as i32,
            stride,
            midpoint,
            totals,
        }
    }

    /// A respondent's answers to the scale: `shifted` gets each item's shifted keyed value (NaN
    /// where it was not answered substantively); returns how many items were answered and the
    /// total of their keyed values.
    #[inline]
    pub(super) fn gather(&self, codes: &[u8], shifted: &mut [f64]) -> (usize, f64) {
        let mut answered = 0;
        let mut total = 0.0;
        for (j, (&(i, _), x)) in self.items.iter().zip(shifted.iter_mut()).enumerate() {
            let c = usize::from(codes[i]);
            if c < usize::from(NON_SUBSTANTIVE) {
                let at = j * self.stride + c;
                answered += 1;
                *x = self.shifted[at];
                total += self.keyed[at];
            } else {
                *x = f64::NAN;
            }
        }
        (answered, total)
    }
}

impl ResolvedScale {
    /// As `gather`, for a scale with `halves`: the respondent's shifted values in half units
    /// (0 where not answered) go to `columns[j * stride + row]` for item `j`; returns how many
    /// items were answered and the total of their keyed values (a whole number).
    #[inline]
    pub(super) fn gather_halves(
        &self,
        codes: &[u8],
        columns: &mut [i16],
        stride: usize,
        row: usize,
    ) -> (usize, i64) {
        let mut answered = 0;
        let mut sum = 0i32;
        for (j, (&(i, _), table)) in self.items.iter().zip(&self.halves).enumerate() {
            let c = codes[i];
            let y = table[usize::from(c)];
            columns[j * stride + row] = y;
            sum += i32::from(y);
            answered += usize::from(c < NON_SUBSTANTIVE);
        }
        // Σ keyed = Σ (y / 2 + midpoint) over the answered items; a whole number, so exact.
        let total = (sum + answered as i32 * self.twice_midpoint) / 2;
        (answered, i64::from(total))
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
