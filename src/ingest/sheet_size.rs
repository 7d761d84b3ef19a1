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
    // An XLS sheet is checked before its name is read.
    let sheet = if sheet.is_empty() {
        "a sheet".to_string()
    } else {
        format!("sheet `{sheet}`")
    };
    Error::input(
        path,
        format!("{sheet} {what}, more than the limit of {limit} cells per sheet"),
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

/// Refuses an XLS (BIFF) workbook whose sheets would make the reader allocate more than
/// `limit` cells when it opens the file: it reserves room for every sheet's declared
/// `DIMENSIONS` (rows × columns, with the reader's own arithmetic, whose wrap-around turns a
/// last row before the first into four billion rows), and builds each sheet as the dense range
/// between its first and last cell (bounded here by the range between all sheets' cells).
/// Anything that is not a readable compound file is left to the reader to refuse.
pub fn check_xls(path: &Path, bytes: &[u8], limit: u64) -> Result<()> {
    let Some(stream) = compound::stream(bytes, &["Workbook", "Book"]) else {
        return Ok(());
    };
    let mut at = 0;
    let (mut rows, mut columns) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    let mut place = |row: u32, column: u32| {
        rows = (rows.0.min(row), rows.1.max(row));
        columns = (columns.0.min(column), columns.1.max(column));
    };
    while let Some(header) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        at += 4 + len;
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let u32_at = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        match kind {
            // DIMENSIONS: first row, last row + 1, first column, last column + 1.
            0x0200 => {
                let declared = match len {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(cf), Some(cl)) = declared else {
                    continue;
                };
                let cells = reserved_cells(rf, rl, cf, cl);
                if cells > limit {
                    let what = format!("declares a used range of {cells} cells");
                    return Err(too_many_cells(path, "", what, limit));
                }
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, then column.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                    place(r, c);
                }
            }
            // MulRk: row, first column, …, last column.
            0x00BD => {
                if let (Some(r), Some(c), Some(last)) =
                    (u16_at(0), u16_at(2), u16_at(len.saturating_sub(2)))
                {
                    place(r, c);
                    place(r, last);
                }
            }
            _ => {}
        }
    }
    if rows.0 <= rows.1 {
        let cells = u64::from(rows.1 - rows.0 + 1) * u64::from(columns.1 - columns.0 + 1);
        if cells > limit {
            let what = format!(
                "has cells {} rows and {} columns apart ({cells} cells between them)",
                rows.1 - rows.0 + 1,
                columns.1 - columns.0 + 1
            );
            return Err(too_many_cells(path, "", what, limit));
        }
    }
    Ok(())
}

/// The cells the XLS reader reserves for a `DIMENSIONS` record, computed as it computes them
/// (32-bit, wrapping).
fn reserved_cells(rf: u32, rl: u32, cf: u32, cl: u32) -> u64 {
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (end_row, end_column) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    let rows = end_row.wrapping_sub(rf).wrapping_add(1);
    let columns = end_column.wrapping_sub(cf).wrapping_add(1);
    u64::from(rows) * u64::from(columns)
}

/// Just enough of the compound file format (MS-CFB) to find a stream's bytes: the sector
/// allocation table, the directory and the mini stream. Chains are followed once per sector, so
/// a cycle ends them.
mod compound {
    const END: u32 = 0xFFFF_FFFE;

    struct File<'a> {
        bytes: &'a [u8],
        sector: usize,
        fat: Vec<u32>,
    }

    impl File<'_> {
        fn sector(&self, n: u32) -> Option<&[u8]> {
            let start = (n as usize).checked_add(1)?.checked_mul(self.sector)?;
            self.bytes.get(start..start.checked_add(self.sector)?)
        }

        /// The sectors of a chain, in order, each at most once.
        fn chain(&self, table: &[u32], first: u32) -> Vec<u32> {
            let mut seen = vec![false; table.len()];
            let mut out = Vec::new();
            let mut n = first;
            while let Some(next) = table.get(n as usize) {
                if std::mem::replace(&mut seen[n as usize], true) {
                    break;
                }
                out.push(n);
                n = *next;
            }
            out
        }

        fn read(&self, first: u32) -> Vec<u8> {
            self.chain(&self.fat, first)
                .into_iter()
                .filter_map(|n| self.sector(n))
                .flatten()
                .copied()
                .collect()
        }
    }

    fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
        bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
        u32s(bytes.get(at..at + 4)?).next()
    }

    /// The bytes of the first stream named one of `names` (any case), if `bytes` is a compound
    /// file that holds one.
    pub fn stream(bytes: &[u8], names: &[&str]) -> Option<Vec<u8>> {
        if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return None;
        }
        let shift = u16::from_le_bytes([*bytes.get(0x1E)?, *bytes.get(0x1F)?]);
        let mini_shift = u16::from_le_bytes([*bytes.get(0x20)?, *bytes.get(0x21)?]);
        if !(shift == 9 || shift == 12) || mini_shift > shift {
            return None;
        }
        let mut file = File {
            bytes,
            sector: 1 << shift,
            fat: Vec::new(),
        };
        // The allocation table's sectors: 109 in the header, the rest in a chain of sectors.
        let mut fat_sectors: Vec<u32> = u32s(bytes.get(0x4C..0x200)?).collect();
        let mut difat = u32_at(bytes, 0x44)?;
        let mut hops = 0;
        while difat < END && hops < bytes.len() / file.sector {
            let Some(sector) = file.sector(difat) else {
                break;
            };
            let entries: Vec<u32> = u32s(sector).collect();
            let (next, listed) = entries.split_last()?;
            fat_sectors.extend(listed);
            difat = *next;
            hops += 1;
        }
        let fat: Vec<u32> = (fat_sectors.iter().filter(|&&n| n < END))
            .filter_map(|&n| file.sector(n))
            .flat_map(u32s)
            .collect();
        file.fat = fat;
        let directory = file.read(u32_at(bytes, 0x30)?);
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let name = |e: &[u8]| {
            let len = usize::from(u16::from_le_bytes([e[0x40], e[0x41]])).min(64);
            let units: Vec<u16> = (e[..len].chunks_exact(2))
                .map(|u| u16::from_le_bytes([u[0], u[1]]))
                .take_while(|&u| u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        let start_and_size = |e: &[u8]| Some((u32_at(e, 0x74)?, u32_at(e, 0x78)?));
        let root = entries.iter().find(|e| e[0x42] == 5)?;
        let wanted = entries
            .iter()
            .find(|e| e[0x42] == 2 && names.iter().any(|n| name(e).eq_ignore_ascii_case(n)))?;
        let (start, size) = start_and_size(wanted)?;
        let cutoff = u32_at(bytes, 0x38)?;
        let mut data = if size < cutoff {
            let (root_start, _) = start_and_size(root)?;
            let mini_stream = file.read(root_start);
            let mini_fat: Vec<u32> = u32s(&file.read(u32_at(bytes, 0x3C)?)).collect();
            let mini = 1usize << mini_shift;
            file.chain(&mini_fat, start)
                .into_iter()
                .filter_map(|n| mini_stream.get(n as usize * mini..(n as usize + 1) * mini))
                .flatten()
                .copied()
                .collect()
        } else {
            file.read(start)
        };
        data.truncate(size as usize);
        Some(data)
    }
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

    /// Expected: the XLS reader's own arithmetic, by hand. A last row before the first wraps
    /// around to four billion rows.
    #[test]
    fn xls_dimensions_are_counted_as_the_reader_reserves_them() {
        assert_eq!(reserved_cells(0, 5, 0, 5), 25);
        assert_eq!(reserved_cells(0, 1_048_576, 0, 16_384), 1_048_576 * 16_384);
        assert_eq!(reserved_cells(10, 5, 0, 5), (u64::from(u32::MAX) - 4) * 5);
        assert_eq!(reserved_cells(0, 0, 0, 0), 1);
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
