//! One header row of column names (every tool without a layout file of its own).

use super::{named, Header};
use crate::ingest::RawColumn;

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    let cols = (0..h.width(1)).map(|i| named(h.cell(0, i))).collect();
    (1, cols)
}
