//! SurveyMonkey: row 1 names a matrix question once, in its first column; row 2 names each
//! part ("Response" for a closed question of one part, "Open-Ended Response" for a text box).

use super::{named, Header};
use crate::ingest::RawColumn;

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    let mut question = String::new();
    let cols = (0..h.width(2))
        .map(|i| {
            let q = h.cell(0, i);
            if !q.is_empty() {
                question = q;
            }
            let part = h.cell(1, i);
            let plain = part.is_empty()
                || part.eq_ignore_ascii_case("Response")
                || part.eq_ignore_ascii_case("Open-Ended Response");
            let mut column = named(if plain {
                question.clone()
            } else {
                format!("{question} - {part}")
            });
            column.closed = part.eq_ignore_ascii_case("Response");
            column.open = part.eq_ignore_ascii_case("Open-Ended Response");
            column
        })
        .collect();
    (2, cols)
}
