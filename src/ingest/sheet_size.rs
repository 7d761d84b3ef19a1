//! How many cells reading a workbook's sheet would allocate, found before it is allocated.
//!
//! The spreadsheet reader makes a sheet a dense grid: every cell between the first and the last
//! used one, each a `Data` value. A few kilobytes can claim gigabytes of that grid: an XLSX whose
//! cells sit at A1 and XFD1048576 (17 billion cells between them), an ODS row of one value
//! repeated across 16,384 columns and a million rows. XLSX and XLSB sheets are therefore read
//! cell by cell here, keeping only the rows that hold something; an ODS file (which the reader
//! expands whole when it opens it) has its repeat attributes added up first.

use super::limits::SHEET_CELLS;
use super::Grid;
use crate::error::{Error, Result};
use calamine::Data;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor};
use std::path::Path;

/// The reader's caps on an ODS table (calamine's `MAX_ROWS`, `MAX_COLUMNS`).
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// A sheet over the cell limit: its name, what it claims and the limit with how to raise it.
fn too_many_cells(path: &Path, sheet: &str, what: String, limit: u64) -> Error {
    Error::input(
        path,
        format!("sheet `{sheet}` {what}, more than the limit of {limit} cells per sheet"),
    )
    .hint(SHEET_CELLS.hint(limit))
}

/// Refuses an ODS workbook whose tables, with their repeated rows and columns expanded as the
/// spreadsheet reader expands them, hold more cells than `limit` (all tables together: the
/// reader expands every table when it opens the file). Not an ODS file: nothing to check.
pub fn check_ods(path: &Path, bytes: &[u8], limit: u64) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.index_for_name("xl/workbook.xml").is_some() {
        return Ok(());
    }
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut total = 0u64;
    let mut table = OdsTable::default();
    loop {
        // A damaged document is left for the reader to refuse with its own message.
        let Ok(event) = reader.read_event_into(&mut buf) else {
            return Ok(());
        };
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                table = OdsTable {
                    name: attribute(&e, "table:name").unwrap_or_default(),
                    ..OdsTable::default()
                };
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                total = total.saturating_add(table.cells());
                if total > limit {
                    let what = format!(
                        "expands to about {} cells (its repeated rows and columns spelled out)",
                        table.cells()
                    );
                    return Err(too_many_cells(path, &table.name, what, limit));
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                table.start_row(repeat(&e, "table:number-rows-repeated"));
            }
            Event::Start(ref e) | Event::Empty(ref e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                // A cell with content (a `<text:p>`) or a value type holds something.
                let filled = matches!(event, Event::Start(_))
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some()
                    || e.try_get_attribute("table:formula")
                        .ok()
                        .flatten()
                        .is_some();
                table.cell(repeat(e, "table:number-columns-repeated"), filled);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    Some(a.value.into_owned())
}

/// A repeat count; an unreadable one counts once (the reader refuses it on its own).
fn repeat(e: &BytesStart, name: &str) -> u64 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// One ODS table's rows as the reader would expand them.
#[derive(Default)]
struct OdsTable {
    name: String,
    /// Rows so far, repeats included (capped as the reader caps them).
    rows: u64,
    /// Cells the reader stores while reading the rows (a row's cells up to its last filled one,
    /// repeats spelled out), before it expands repeated rows.
    read: u64,
    /// The widest row, and the rows from the first to the last that holds a value.
    width: u64,
    first_filled: Option<u64>,
    last_filled: u64,
    /// The current row: its repeat count, its cells so far and up to its last filled one.
    repeats: u64,
    columns: u64,
    filled_to: u64,
}

impl OdsTable {
    fn start_row(&mut self, repeats: u64) {
        self.end_row();
        let repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
        self.repeats = repeats;
        self.rows += repeats;
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        self.columns = self.columns.saturating_add(repeats).min(ODS_MAX_COLUMNS);
        if filled {
            self.filled_to = self.columns;
        }
    }

    fn end_row(&mut self) {
        if self.filled_to > 0 {
            let first_row = self.rows - self.repeats;
            self.first_filled.get_or_insert(first_row);
            self.last_filled = self.rows;
            self.width = self.width.max(self.filled_to);
            self.read = self.read.saturating_add(self.filled_to);
        }
        (self.repeats, self.columns, self.filled_to) = (0, 0, 0);
    }

    /// Cells read plus the expanded grid: rows from the first to the last filled one, as wide
    /// as the widest.
    fn cells(&mut self) -> u64 {
        self.end_row();
        let rows = self
            .first_filled
            .map_or(0, |first| self.last_filled.saturating_sub(first));
        self.read.saturating_add(rows.saturating_mul(self.width))
    }
}

/// The next cell of a sheet with where it is (row, column from 0), as a spreadsheet reader
/// hands them out; `None` after the last.
pub type NextCell<'a> = dyn FnMut() -> std::result::Result<Option<PlacedCell>, String> + 'a;

/// A cell's value with its (row, column), from 0.
pub type PlacedCell = ((u32, u32), Data);

/// A cell reader's cell, owned.
pub fn owned(cell: calamine::Cell<calamine::DataRef<'_>>) -> PlacedCell {
    (cell.get_position(), Data::from(cell.get_value().clone()))
}

/// The used range a sheet declares (its `<dimension>`), as (rows, columns).
pub fn dimensions(d: calamine::Dimensions) -> Option<(u64, u64)> {
    let rows = u64::from(d.end.0).checked_sub(u64::from(d.start.0))? + 1;
    let columns = u64::from(d.end.1).checked_sub(u64::from(d.start.1))? + 1;
    Some((rows, columns))
}

/// Reads a sheet cell by cell into a grid of the rows that hold something, as wide as the used
/// columns (the first used column is the grid's first): the grid the dense range would give,
/// without its empty rows. Refused, naming the limit, when the sheet declares more cells than
/// `limit`, holds more, or its rows with values times its width are more.
pub fn read_sparse(
    path: &Path,
    sheet: &str,
    declared: Option<(u64, u64)>,
    next: &mut NextCell,
    cell_text: impl Fn(&Data) -> String,
    limit: u64,
) -> Result<Grid> {
    if let Some((rows, columns)) = declared {
        if rows.saturating_mul(columns) > limit {
            let what = format!(
                "declares a used range of {rows} rows × {columns} columns ({} cells)",
                rows.saturating_mul(columns)
            );
            return Err(too_many_cells(path, sheet, what, limit));
        }
    }
    let mut cells: Vec<((u32, u32), String)> = Vec::new();
    while let Some((at, value)) = next().map_err(|e| {
        Error::input(path, format!("sheet `{sheet}` cannot be read: {e}"))
            .hint("the file may be truncated; re-download the export")
    })? {
        let text = cell_text(&value);
        if text.is_empty() {
            continue;
        }
        if cells.len() as u64 >= limit {
            let what = format!("holds more than {limit} cells with values");
            return Err(too_many_cells(path, sheet, what, limit));
        }
        cells.push((at, text));
    }
    cells.sort_by_key(|&(at, _)| at);
    let Some(first_column) = cells.iter().map(|&((_, c), _)| c).min() else {
        return Ok(Grid::default());
    };
    let last_column = cells
        .iter()
        .map(|&((_, c), _)| c)
        .max()
        .unwrap_or(first_column);
    let width = (last_column - first_column) as usize + 1;
    let mut rows = cells.iter().map(|&((r, _), _)| r).collect::<Vec<_>>();
    rows.dedup();
    if (rows.len() as u64).saturating_mul(width as u64) > limit {
        let what = format!("has {} rows with values across {width} columns", rows.len());
        return Err(too_many_cells(path, sheet, what, limit));
    }
    let mut grid = Grid::default();
    let mut cells = cells.into_iter().peekable();
    while let Some(&((row, _), _)) = cells.peek() {
        let mut line = vec![String::new(); width];
        while let Some(((_, column), text)) = cells.next_if(|&((r, _), _)| r == row) {
            line[(column - first_column) as usize] = text;
        }
        grid.push(row as usize + 1, line);
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(
        mut cells: Vec<((u32, u32), Data)>,
    ) -> impl FnMut() -> std::result::Result<Option<PlacedCell>, String> {
        cells.reverse();
        move || Ok(cells.pop())
    }

    fn text(d: &Data) -> String {
        super::super::sheets::cell_text(d)
    }

    #[test]
    fn far_apart_cells_make_two_rows_not_a_dense_range() {
        let mut next = cells(vec![
            ((1_048_575, 16_383), Data::String("z".into())),
            ((0, 0), Data::String("a".into())),
        ]);
        let grid = read_sparse(Path::new("x.xlsx"), "S", None, &mut next, text, 40_000).unwrap();
        let lines: Vec<(usize, usize)> =
            grid.rows.iter().map(|r| (r.line, r.cells.len())).collect();
        assert_eq!(lines, [(1, 16_384), (1_048_576, 16_384)]);
        assert_eq!(grid.rows[1].cells[16_383], "z");
        // Two rows as wide as the sheet are 32,768 cells: over a limit of 30,000.
        let mut next = cells(vec![((0, 0), Data::Int(1)), ((9, 16_383), Data::Int(2))]);
        let e = read_sparse(Path::new("x.xlsx"), "S", None, &mut next, text, 30_000)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("30000 cells per sheet") && e.contains("CANVASS_MAX_SHEET_CELLS"),
            "{e}"
        );
    }

    #[test]
    fn a_declared_range_over_the_limit_is_refused_before_reading() {
        let mut read = 0;
        let mut next = || {
            read += 1;
            Ok(None)
        };
        let declared = Some((1_048_576, 16_384));
        let e = read_sparse(Path::new("x.xlsx"), "S", declared, &mut next, text, 1_000)
            .unwrap_err()
            .to_string();
        assert!(e.contains("1048576 rows × 16384 columns"), "{e}");
        assert_eq!(read, 0, "no cell was read");
    }

    #[test]
    fn ods_repeats_are_added_up_as_the_reader_expands_them() {
        let mut t = OdsTable::default();
        // A header row of three values, 998 empty rows, a row of one value repeated across
        // 16,384 columns, then LibreOffice's trailing empty rows (not expanded).
        t.start_row(1);
        t.cell(3, true);
        t.start_row(998);
        t.cell(1024, false);
        t.start_row(1);
        t.cell(20_000, true);
        t.start_row(1_000_000);
        t.cell(1024, false);
        assert_eq!(t.cells(), 3 + 16_384 + 1000 * 16_384);
    }
}
