//! tables.xlsx: the wave's tables as one workbook, a "Read me" sheet first and then one sheet
//! per CSV table, written from the same typed cells as the CSV files (`tables.rs`).
//!
//! The bytes are the same on every run: the document's creation time is fixed (rust_xlsxwriter
//! would stamp the current time) and rust_xlsxwriter dates every zip entry 1980-01-01.

use super::tables::{Cell, Kind, Table};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Excel's limits: rows per sheet and characters per cell.
const MAX_ROWS: usize = 1_048_576;
const MAX_CELL_CHARS: usize = 32_767;
/// Rows a column's width is fitted to: autofit measures every cell it is given, which on a
/// sheet of a million comments costs seconds.
const FIT_ROWS: usize = 10_000;
/// Cells above which the workbook is compressed at a faster deflate level than the default
/// (which costs seconds on a national survey's comments); see `LARGE_COMPRESSION`.
const FAST_COMPRESSION_CELLS: usize = 500_000;
const LARGE_COMPRESSION: u8 = 3;
/// Widest a fitted column gets, in pixels (about 60 characters), so a comment column does not
/// push the figures off screen.
const MAX_WIDTH_PIXELS: u32 = 420;

/// One row of the "Read me" sheet: what, its value, and a SHA-256 where it is a file.
pub struct ReadMeRow {
    /// What the row states ("Survey", "Respondents kept", "export, wave-1" …).
    pub what: String,
    /// The value: a count, number or text.
    pub value: Cell,
    /// SHA-256 of the file the row names; empty for rows that are not files.
    pub sha256: String,
}

/// The workbook's bytes.
pub fn workbook(read_me: &[ReadMeRow], tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed date instead of "now", so that a re-run reproduces the file byte for byte.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("canvass"),
    );
    let cells: usize = tables.iter().map(|t| t.rows.len() * t.header.len()).sum();
    if cells > FAST_COMPRESSION_CELLS {
        book.set_zip_compression_level(LARGE_COMPRESSION);
    }
    let formats = Formats::new();
    let sheet = book.add_worksheet().set_name("Read me")?;
    let rows: Vec<Vec<Cell>> = read_me
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.what.clone()),
                r.value.clone(),
                Cell::Text(r.sha256.clone()),
            ]
        })
        .collect();
    write_table(sheet, &["what", "value", "sha256"], &rows, &formats)?;
    for t in tables {
        let sheet = book.add_worksheet().set_name(t.name)?;
        let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
        write_table(sheet, &header, &t.rows, &formats)?;
    }
    book.save_to_buffer()
}

struct Formats {
    header: Format,
    count: Format,
    percent: Format,
    mean: Format,
    coefficient: Format,
    p: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            count: Format::new().set_num_format("0"),
            // Percentages are 0–100, as in the CSV; Excel's `%` format would multiply by 100.
            percent: Format::new().set_num_format("0.0\"%\""),
            mean: Format::new().set_num_format("0.0"),
            coefficient: Format::new().set_num_format("0.00"),
            p: Format::new().set_num_format("0.000"),
        }
    }

    fn number(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Percent => &self.percent,
            Kind::Mean => &self.mean,
            Kind::Coefficient => &self.coefficient,
            Kind::P => &self.p,
        }
    }
}

/// A header row (bold, frozen, with an autofilter over the table) and the rows below it.
fn write_table(
    sheet: &mut Worksheet,
    header: &[&str],
    rows: &[Vec<Cell>],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), *h, &formats.header)?;
    }
    // The header takes a row, and a table too long for a sheet ends with a row saying so.
    let room = MAX_ROWS - 2;
    let shown = &rows[..rows.len().min(room)];
    let last = (shown.len() + usize::from(rows.len() > room)) as u32;
    sheet.set_freeze_panes(1, 0)?;
    // Before the fitting, which leaves room for the filter's button in each header.
    sheet.autofilter(0, 0, last, col(header.len().max(1) - 1))?;
    // Columns are fitted to the rows written so far: to the first `FIT_ROWS` of a long table
    // (a national survey's comments), whose widths the rest would barely change.
    let (fitted, rest) = shown.split_at(shown.len().min(FIT_ROWS));
    write_rows(sheet, fitted, 1, formats)?;
    sheet.set_autofit_max_width(MAX_WIDTH_PIXELS).autofit();
    write_rows(sheet, rest, 1 + fitted.len(), formats)?;
    if rows.len() > room {
        let note = format!(
            "… {} more rows: the CSV file of this table has them all",
            rows.len() - room
        );
        sheet.write_string(last, 0, note)?;
    }
    Ok(())
}

/// Writes `rows` from sheet row `first` down.
fn write_rows(
    sheet: &mut Worksheet,
    rows: &[Vec<Cell>],
    first: usize,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (r, row) in rows.iter().enumerate() {
        let at = (first + r) as u32;
        for (c, cell) in row.iter().enumerate() {
            write_cell(sheet, at, col(c), cell, formats)?;
        }
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    // Every table has a few dozen columns at most; Excel allows 16,384.
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Text is written as a string, never a formula, whatever it starts with (comments and labels
/// come from respondents and config); figures as numbers, rounded as the CSV shows them.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    c: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => {
            sheet.write_string(row, c, fit_cell(s))?;
        }
        Cell::Count(_) => {
            let v = cell.shown_value().unwrap_or_default();
            sheet.write_number_with_format(row, c, v, &formats.count)?;
        }
        Cell::Number { kind, .. } => {
            if let Some(v) = cell.shown_value() {
                sheet.write_number_with_format(row, c, v, formats.number(*kind))?;
            }
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// Text cut to what one Excel cell holds, marked where it was cut (the CSV keeps it whole).
fn fit_cell(s: &str) -> String {
    if s.chars().count() <= MAX_CELL_CHARS {
        return s.to_string();
    }
    let mark = " … [cut: the CSV has the full text]";
    let keep = MAX_CELL_CHARS - mark.chars().count();
    s.chars().take(keep).chain(mark.chars()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_fits_a_cell() {
        let long = "a".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with("full text]"));
        assert_eq!(fit_cell("short"), "short");
    }

    #[test]
    fn same_input_same_bytes() {
        let table = Table {
            name: "items",
            header: vec!["id".into(), "n".into()],
            rows: vec![vec![Cell::Text("=1+1".into()), Cell::Count(3)]],
        };
        let a = workbook(&[], std::slice::from_ref(&table)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = workbook(&[], &[table]).unwrap();
        assert!(a == b, "the workbook depends on the time it was written");
    }
}
