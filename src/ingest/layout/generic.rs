//! One header row of column names (every tool without a layout file of its own). A table saved
//! from a report or a form builder may put a title, or headings over groups of columns (a
//! section, a question over its options), in rows above the names: those rows are read as
//! such, not as the names (`header_row`).

use super::{named, Header};
use crate::ingest::RawColumn;

/// Rows above the names that are looked at for titles and headings.
const MAX_TITLE_ROWS: usize = 3;

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    let at = header_row(h);
    let width = h.width(at + 1);
    let mut heading = String::new();
    let cols = (0..width)
        .map(|i| {
            let name = h.cell(at, i);
            if at == 0 {
                return named(name);
            }
            // The row just above the names heads groups of columns, each heading in the
            // group's first column: the column's question is its group's heading and its name.
            let above = h.cell(at - 1, i);
            if !above.is_empty() {
                heading = above;
            }
            let mut column = named(name.clone());
            if !heading.is_empty() && heading != name {
                column.question = match name.is_empty() {
                    true => heading.clone(),
                    false => format!("{heading} - {name}"),
                };
            }
            column
        })
        .collect();
    (at + 1, cols)
}

/// The row that names the columns: the first, unless the rows above it are titles or headings
/// (each fills at most a quarter of the columns) and it names at least half of them with text,
/// as a name is (at most a tenth of its cells numbers, which a row of data would have more of).
fn header_row(h: &Header) -> usize {
    let width = h.width(MAX_TITLE_ROWS + 1);
    let cells = |r: usize| (0..width).map(move |i| h.cell(r, i));
    let filled = |r: usize| cells(r).filter(|c| !c.is_empty()).count();
    // A table of a few columns cannot be told from its title by how full its rows are.
    if width < 8 {
        return 0;
    }
    for at in 1..=MAX_TITLE_ROWS {
        if filled(at - 1) * 4 > width {
            return 0;
        }
        let names = filled(at);
        let numbers = cells(at).filter(|c| c.parse::<f64>().is_ok()).count();
        if names * 2 >= width && numbers * 10 <= names {
            return at;
        }
    }
    0
}
