//! tables.xlsx: the wave's tables as one workbook, a "Read me" sheet first and then one sheet
//! per CSV table, written from the same typed cells as the CSV files (`tables.rs`).
//!
//! The bytes are the same on every run: the document's creation time is fixed (rust_xlsxwriter
//! would stamp the current time) and rust_xlsxwriter dates every zip entry 1980-01-01.

mod long;
mod splice;

use super::tables::{Cell, Kind, Rows, Table};
use rust_xlsxwriter::utility::cell_autofit_width;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Excel's limits: rows per sheet and UTF-16 units of text per cell. A table longer than a sheet
/// holds is split over several (see `sheet_parts`).
const MAX_ROWS: usize = 1_048_576;
const MAX_CELL_UNITS: usize = 32_767;
/// Rows a column's width is fitted to: measuring every cell of a sheet of a million comments
/// costs seconds, and the rest would barely change the widths.
const FIT_ROWS: usize = 10_000;
/// Rows above which a sheet's rows are written by `long`, on every core, into a sheet that
/// rust_xlsxwriter writes in its constant-memory mode (see `workbook`).
const LONG_ROWS: usize = 10_000;
/// Cells above which the workbook is compressed at a faster deflate level than the default
/// (which costs seconds on a national survey's comments); see `LARGE_COMPRESSION`.
const FAST_COMPRESSION_CELLS: usize = 500_000;
/// zlib-rs's fastest level that still looks for matches (deflate_fast): on a million
/// respondents' comments sheet it deflates 1.75 times as fast as level 3 for a part 7.5 %
/// larger (zlib-ng, the same algorithms, on the sheet's XML); level 1 made it 43 % larger.
const LARGE_COMPRESSION: u8 = 2;
/// The deflate level rust_xlsxwriter's zip writer uses unless told otherwise.
const DEFAULT_COMPRESSION: u8 = 6;
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

/// The workbook's bytes. A long table's sheet is written through a temporary file in
/// `scratch` (the wave's folder, which the run can write to, unlike perhaps the system's
/// temporary folder).
pub fn workbook(
    read_me: &[ReadMeRow],
    tables: &[Table],
    scratch: &Path,
) -> Result<Vec<u8>, XlsxError> {
    let limits = Limits {
        sheet_rows: MAX_ROWS,
        long_rows: LONG_ROWS,
        splice: true,
    };
    workbook_within(read_me, tables, scratch, limits)
}

/// How long a sheet may be, and how long before its rows are written by `long` (tests use
/// small ones).
#[derive(Clone, Copy)]
struct Limits {
    sheet_rows: usize,
    long_rows: usize,
    /// Whether long sheets' rows are written by `long`; else rust_xlsxwriter writes them all.
    splice: bool,
}

/// `workbook` within `limits`. A workbook over 4 GiB, which the long sheets' writer cannot
/// write, is written whole by rust_xlsxwriter, which can.
fn workbook_within(
    read_me: &[ReadMeRow],
    tables: &[Table],
    scratch: &Path,
    limits: Limits,
) -> Result<Vec<u8>, XlsxError> {
    if let Some(book) = workbook_with(read_me, tables, scratch, limits)? {
        return Ok(book);
    }
    let whole = Limits {
        splice: false,
        ..limits
    };
    workbook_with(read_me, tables, scratch, whole)?.ok_or_else(|| {
        XlsxError::IoError(std::io::Error::other("the workbook could not be assembled"))
    })
}

/// `workbook` within `limits`; `None` when its long sheets make it too large to assemble
/// (`splice`).
fn workbook_with(
    read_me: &[ReadMeRow],
    tables: &[Table],
    scratch: &Path,
    limits: Limits,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let Limits {
        sheet_rows,
        long_rows,
        splice,
    } = limits;
    let mut book = Workbook::new();
    // A fixed date instead of "now", so that a re-run reproduces the file byte for byte.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("canvass"),
    );
    let cells: usize = tables.iter().map(|t| t.rows.len() * t.header.len()).sum();
    let level = if cells > FAST_COMPRESSION_CELLS {
        book.set_zip_compression_level(LARGE_COMPRESSION);
        LARGE_COMPRESSION
    } else {
        DEFAULT_COMPRESSION
    };
    if tables.iter().any(|t| t.rows.len() > long_rows) {
        book.set_tempdir(scratch)?;
    }
    let formats = Formats::new();
    // Registered first, so that each format's style index is known to `long` before any
    // cell is written.
    for f in formats.all() {
        book.register_format(f);
    }
    let mut long_sheets = Vec::new();
    let mut sheets = 0;
    let split_notes = tables.iter().filter_map(|t| {
        let parts = sheet_parts(t.rows.len(), sheet_rows);
        (parts.len() > 1).then(|| {
            vec![
                Cell::Text(format!("Table \"{}\"", t.name)),
                Cell::Text(format!(
                    "{} rows, over {} sheets (\"{}\" to \"{}\"): a sheet holds {} rows; {}.csv has them all",
                    t.rows.len(),
                    parts.len(),
                    t.name,
                    part_name(t.name, parts.len()),
                    sheet_rows,
                    t.name
                )),
                Cell::Text(String::new()),
            ]
        })
    });
    let read_me = Table {
        name: "Read me",
        header: ["what", "value", "sha256"].map(String::from).to_vec(),
        rows: Rows::Built(
            read_me
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.what.clone()),
                        r.value.clone(),
                        Cell::Text(r.sha256.clone()),
                    ]
                })
                .chain(split_notes)
                .collect(),
        ),
    };
    for t in std::iter::once(&read_me).chain(tables) {
        let parts = sheet_parts(t.rows.len(), sheet_rows);
        let mut dealt = (splice && parts.iter().any(|r| r.len() > long_rows))
            .then(|| deal(t, &parts, long_rows, &formats, level))
            .transpose()?
            .map(Vec::into_iter);
        for (p, rows) in parts.iter().enumerate() {
            sheets += 1;
            let note = (parts.len() > 1).then(|| split_note(t, &parts, p));
            let name = part_name(t.name, p + 1);
            match dealt.as_mut().and_then(Iterator::next) {
                Some(Dealt::Long { body, held }) => {
                    // Text inline rather than in the shared table, as rust_xlsxwriter's
                    // constant-memory mode writes it.
                    let sheet = book.add_worksheet_with_constant_memory()?;
                    sheet.set_name(name)?;
                    write_long_sheet(sheet, t, rows.len(), note, held, &body, &formats)?;
                    long_sheets.push(splice::Long {
                        sheet: sheets,
                        rows: body.deflated,
                        columns: body.columns,
                    });
                }
                Some(Dealt::Short(built)) => {
                    let sheet = book.add_worksheet();
                    sheet.set_name(name)?;
                    let part = Table {
                        name: t.name,
                        header: t.header.clone(),
                        rows: Rows::Built(built),
                    };
                    write_table(sheet, &part, 0..rows.len(), note, &formats)?;
                }
                None => {
                    // rust_xlsxwriter writes every row: a long table's straight to a
                    // temporary file, its text inline.
                    let sheet = if rows.len() > long_rows {
                        book.add_worksheet_with_constant_memory()?
                    } else {
                        book.add_worksheet()
                    };
                    sheet.set_name(name)?;
                    write_table(sheet, t, rows.clone(), note, &formats)?;
                }
            }
        }
    }
    let book = book.save_to_buffer()?;
    if long_sheets.is_empty() {
        return Ok(Some(book));
    }
    splice::splice(&book, long_sheets, u32::from(level))
}

/// A table's rows dealt to the sheets it takes.
enum Dealt<'a> {
    /// A long sheet's rows, written by `long`, but the last row of a table on one sheet,
    /// `held` for rust_xlsxwriter to write (it so gives the sheet its extent).
    Long {
        body: long::Body<'a>,
        held: Option<Vec<Cell>>,
    },
    /// A short sheet's rows, for rust_xlsxwriter.
    Short(Vec<Vec<Cell>>),
}

/// Reads a table's rows once, dealing them to its sheets (`parts`) as they come: a later
/// sheet's rows read on their own would make every row before them again (a national
/// survey's comments, each parsed back from the stage cache).
fn deal<'a>(
    t: &Table,
    parts: &[std::ops::Range<usize>],
    long_rows: usize,
    formats: &'a Formats,
    level: u8,
) -> Result<Vec<Dealt<'a>>, XlsxError> {
    let mut dealt: Vec<Dealt> = (parts.iter())
        .map(|rows| match rows.len() > long_rows {
            true => Dealt::Long {
                body: long::Body::new(formats, u32::from(level), 1),
                held: None,
            },
            false => Dealt::Short(Vec::with_capacity(rows.len())),
        })
        .collect();
    let one_sheet = parts.len() == 1;
    let mut at = 0;
    t.rows.batches(0..t.rows.len(), |mut batch| {
        while !batch.is_empty() {
            let Some(p) = parts.iter().position(|r| r.contains(&at)) else {
                break;
            };
            let take = batch.len().min(parts[p].end - at);
            let mut rows: Vec<Vec<Cell>> = batch.drain(..take).collect();
            at += take;
            match &mut dealt[p] {
                Dealt::Long { body, held } => {
                    if one_sheet && at == parts[p].end {
                        *held = rows.pop();
                    }
                    body.push(&rows);
                }
                Dealt::Short(kept) => kept.append(&mut rows),
            }
        }
        Ok::<(), XlsxError>(())
    })?;
    Ok(dealt)
}

/// A long table's sheet of `shown` rows: its header, autofilter and widths, the row `held`
/// back and the note of a table split over sheets, written by rust_xlsxwriter; the rows of
/// `body` are put in place once the workbook is saved (`splice`).
fn write_long_sheet(
    sheet: &mut Worksheet,
    t: &Table,
    shown: usize,
    note: Option<String>,
    held: Option<Vec<Cell>>,
    body: &long::Body,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut widths = write_header(sheet, t, shown, note.is_some(), formats)?;
    for (c, w) in body.widths.iter().enumerate() {
        widths.fit(c, Some(*w).filter(|w| *w > 0));
    }
    if let Some(row) = held {
        let measure = shown <= FIT_ROWS;
        for (c, cell) in row.iter().enumerate() {
            let width = write_cell(sheet, (shown as u32, col(c)), cell, formats, measure)?;
            widths.fit(c, width);
        }
    }
    write_footer(sheet, shown, note, &widths)
}

/// The rows of each sheet a table of `rows` rows takes: one sheet when it fits under its
/// header, else sheets that each keep a row for the note saying where the rest are.
fn sheet_parts(rows: usize, sheet_rows: usize) -> Vec<std::ops::Range<usize>> {
    let whole = sheet_rows - 1;
    if rows <= whole {
        // One sheet holding the rows 0..rows (the lint takes it for a mistyped 0..rows range).
        #[allow(clippy::single_range_in_vec_init)]
        return vec![0..rows];
    }
    let per = sheet_rows - 2;
    (0..rows.div_ceil(per))
        .map(|p| p * per..((p + 1) * per).min(rows))
        .collect()
}

/// Sheet `n` (1-based) of a table: its name, then "name (2)", "name (3)" …, within Excel's 31
/// characters.
fn part_name(name: &str, n: usize) -> String {
    if n == 1 {
        return name.to_string();
    }
    let suffix = format!(" ({n})");
    let kept: String = name.chars().take(31 - suffix.len()).collect();
    kept + &suffix
}

/// The last row of sheet `p` of a split table: which rows it holds and where the others are.
fn split_note(t: &Table, parts: &[std::ops::Range<usize>], p: usize) -> String {
    let rows = &parts[p];
    let next = match parts.get(p + 1) {
        Some(_) => format!("continued on sheet \"{}\"", part_name(t.name, p + 2)),
        None => format!("{} sheets in all", parts.len()),
    };
    format!(
        "Rows {} to {} of {}; {}. {}.csv has every row.",
        rows.start + 1,
        rows.end,
        t.rows.len(),
        next,
        t.name
    )
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

    /// The style index rust_xlsxwriter gives `format`, one of these: the formats are
    /// registered with the workbook first, in `all`'s order, after its default (index 0).
    fn style(&self, format: &Format) -> u32 {
        let at = self.all().iter().position(|f| std::ptr::eq(*f, format));
        at.map_or(0, |i| i as u32 + 1)
    }

    /// Every format, in the order they are registered with the workbook (`style`).
    fn all(&self) -> [&Format; 6] {
        [
            &self.header,
            &self.count,
            &self.percent,
            &self.mean,
            &self.coefficient,
            &self.p,
        ]
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

/// A header row (bold, frozen, with an autofilter over the table), the table's `rows` below it
/// and, for a table split over several sheets, a last row saying so.
fn write_table(
    sheet: &mut Worksheet,
    t: &Table,
    rows: std::ops::Range<usize>,
    note: Option<String>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let shown = rows.len();
    let mut widths = write_header(sheet, t, shown, note.is_some(), formats)?;
    for (r, row) in t.rows.range(rows).enumerate() {
        let at = (1 + r) as u32;
        // Columns are fitted to the first `FIT_ROWS` rows of a long table (a national survey's
        // comments), whose widths the rest would barely change.
        let measure = r < FIT_ROWS;
        for (c, cell) in row.iter().enumerate() {
            let width = write_cell(sheet, (at, col(c)), cell, formats, measure)?;
            widths.fit(c, width);
        }
    }
    write_footer(sheet, shown, note, &widths)
}

/// A sheet's header row (bold, frozen, with an autofilter over its `shown` rows and the note
/// of a table split over sheets); the header's widths.
fn write_header(
    sheet: &mut Worksheet,
    t: &Table,
    shown: usize,
    noted: bool,
    formats: &Formats,
) -> Result<Widths, XlsxError> {
    let mut widths = Widths::default();
    for (c, h) in t.header.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), h, &formats.header)?;
        // The header's cells hold the filter's button.
        widths.fit(c, text_width(h).map(|w| w + FILTER_BUTTON_PIXELS));
    }
    let last = (shown + usize::from(noted)) as u32;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, col(t.header.len().max(1) - 1))?;
    Ok(widths)
}

/// The note below a sheet's `shown` rows (for a table split over sheets), and its columns'
/// widths.
fn write_footer(
    sheet: &mut Worksheet,
    shown: usize,
    note: Option<String>,
    widths: &Widths,
) -> Result<(), XlsxError> {
    if let Some(note) = note {
        sheet.write_string(shown as u32 + 1, 0, note)?;
    }
    for (c, w) in widths.0.iter().enumerate() {
        if *w > 0 {
            sheet.set_column_autofit_width(col(c), (*w).min(MAX_WIDTH_PIXELS))?;
        }
    }
    Ok(())
}

/// Each column's widest cell so far, in pixels: what rust_xlsxwriter's `autofit` measures
/// (which sees only the current row of a sheet written in constant memory).
#[derive(Default)]
struct Widths(Vec<u32>);

impl Widths {
    fn fit(&mut self, c: usize, width: Option<u32>) {
        if let Some(w) = width {
            if self.0.len() <= c {
                self.0.resize(c + 1, 0);
            }
            self.0[c] = self.0[c].max(w);
        }
    }
}

/// Pixels of the filter's button in a header cell, as autofit allows them.
const FILTER_BUTTON_PIXELS: u32 = 16;

/// Text's width as autofit measures it: its widest line by Excel's character widths, plus the
/// cell's padding; `None` for text with nothing to show.
fn text_width(s: &str) -> Option<u32> {
    s.lines().filter_map(pixel_width).max()
}

/// Excel's padding either side of a cell's content.
const CELL_PADDING_PIXELS: u32 = 7;

/// The width of text with its padding; `None` for empty text.
fn pixel_width(s: &str) -> Option<u32> {
    (!s.is_empty()).then(|| cell_autofit_width(s))
}

fn col(c: usize) -> u16 {
    // Every table has a few dozen columns at most; Excel allows 16,384.
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes one cell: text as a string, never a formula, whatever it starts with (comments and
/// labels come from respondents and config); figures as numbers, rounded as the CSV shows
/// them. With `measure`, returns the cell's width as autofit measures what was written.
fn write_cell(
    sheet: &mut Worksheet,
    (row, c): (u32, u16),
    cell: &Cell,
    formats: &Formats,
    measure: bool,
) -> Result<Option<u32>, XlsxError> {
    let format = match cell {
        Cell::Text(s) => {
            let shown = fit_cell(s);
            let width = measure.then(|| text_width(&shown)).flatten();
            sheet.write_string(row, c, shown.as_ref())?;
            return Ok(width);
        }
        Cell::Count(_) => &formats.count,
        Cell::Number { kind, .. } => formats.number(*kind),
        Cell::Empty => return Ok(None),
    };
    let Some(v) = cell.shown_value() else {
        return Ok(None);
    };
    sheet.write_number_with_format(row, c, v, format)?;
    Ok(measure.then(|| number_width(v)))
}

/// A figure's width as autofit measures it: its digits as Rust writes them, plus the padding.
fn number_width(v: f64) -> u32 {
    7 * v.to_string().len() as u32 + CELL_PADDING_PIXELS
}

/// Text cut to what one Excel cell holds (32,767 UTF-16 units), marked where it was cut (the
/// CSV keeps it whole).
fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL_UNITS || s.encode_utf16().count() <= MAX_CELL_UNITS {
        // Nearly every cell: the text as it is, not a copy (a national survey's comments
        // sheet has millions of cells).
        return std::borrow::Cow::Borrowed(s);
    }
    let mark = " … [cut: the CSV has the full text]";
    let room = MAX_CELL_UNITS - mark.encode_utf16().count();
    let mut units = 0;
    let kept: String = s
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= room
        })
        .collect();
    std::borrow::Cow::Owned(kept + mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(sheet_rows: usize, long_rows: usize) -> Limits {
        Limits {
            sheet_rows,
            long_rows,
            splice: true,
        }
    }

    /// Every part of a workbook, inflated, by name.
    fn parts(book: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).unwrap();
                let mut bytes = Vec::new();
                // Reading to the end checks the part's CRC-32.
                part.read_to_end(&mut bytes).unwrap();
                (part.name().unwrap().into_owned(), bytes)
            })
            .collect()
    }

    /// The workbook with its long sheets' rows written by `long` and by rust_xlsxwriter, as
    /// the parts of each.
    fn both_ways(
        tables: &[Table],
        sheet_rows: usize,
        long_rows: usize,
    ) -> [Vec<(String, Vec<u8>)>; 2] {
        let dir = std::env::temp_dir();
        let ours = limits(sheet_rows, long_rows);
        let theirs = Limits {
            splice: false,
            ..ours
        };
        [ours, theirs].map(|l| parts(&workbook_within(&[], tables, &dir, l).unwrap()))
    }

    #[test]
    fn rows_are_written_as_rust_xlsxwriter_writes_them() {
        // Every kind of cell and text rust_xlsxwriter escapes: entities, Excel's own `_xHHHH_`,
        // control characters, non-characters, white space kept at either end, empty text
        // (no cell), figures of each format, NaN, a row with nothing to show, and columns
        // past Z.
        let texts = [
            "Tom & Jerry <b>",
            "_x0041_ and _x12G4_ and _x00",
            "bell\u{7}\u{1f}end",
            "\u{FFFE}odd\u{FFFF}",
            // Other characters whose UTF-8 starts 0xEF, as the non-characters' does.
            "\u{FFFD}\u{F000}\u{FFEF}x\u{FFFE}",
            "&&<<>>__x0041_x_",
            " leading",
            "trailing\n",
            "\ttab",
            "",
            "=1+1",
            "naïve 😀",
        ];
        let row = |i: usize| -> Vec<Cell> {
            let mut row = vec![
                Cell::Text(texts[i % texts.len()].to_string()),
                Cell::Count(i as u64 * 1000),
                Cell::Number {
                    value: i as f64 / 7.0,
                    decimals: 4,
                    kind: Kind::Percent,
                },
                Cell::Number {
                    value: -(i as f64) / 3.0,
                    decimals: 4,
                    kind: Kind::Mean,
                },
                Cell::Number {
                    value: 1e-7 * i as f64,
                    decimals: 4,
                    kind: Kind::Coefficient,
                },
                Cell::Number {
                    value: f64::NAN,
                    decimals: 6,
                    kind: Kind::P,
                },
                Cell::Empty,
            ];
            if i % 5 == 3 {
                row = vec![Cell::Empty, Cell::Text(String::new())];
            }
            row.resize(30, Cell::Empty);
            row[29] = Cell::Text(format!("col AD {i}"));
            row
        };
        let split = Table::new("split", &["a", "b"], (0..23).map(row).collect());
        let whole = Table {
            name: "whole",
            header: (0..30).map(|c| format!("h{c}")).collect(),
            rows: Rows::Each {
                len: 9,
                row: Box::new(row),
            },
        };
        let [ours, theirs] = both_ways(&[split, whole], 8, 5);
        assert_eq!(ours.len(), theirs.len());
        for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
            assert!(
                a == b,
                "{name} differs:\n{}\n{}",
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            );
        }
    }

    #[test]
    fn a_long_sheet_is_the_same_over_many_batches_and_pieces() {
        // More rows than a batch made ahead and a piece deflated apart, widths fitted to the
        // first rows only: the same sheet as rust_xlsxwriter writes, row for row.
        let n = FIT_ROWS + 3_000;
        let table = Table {
            name: "comments",
            header: vec!["n".into(), "comment".into()],
            rows: Rows::Each {
                len: n,
                row: Box::new(move |i| {
                    let text = if i == n - 10 {
                        "w".repeat(90)
                    } else {
                        format!("comment {}", i * 7919 % 1000)
                    };
                    vec![Cell::Count(i as u64), Cell::Text(text)]
                }),
            },
        };
        let [ours, theirs] = both_ways(&[table], MAX_ROWS, 100);
        assert!(ours == theirs, "the long sheet differs");
    }

    #[test]
    fn a_table_over_several_sheets_is_read_once() {
        // Each row of a streamed table (parsed back from the stage cache) is made once, however
        // many sheets it is split over: a later sheet does not make the rows before it again.
        use std::sync::atomic::{AtomicUsize, Ordering};
        let made = AtomicUsize::new(0);
        let n = 50;
        let table = Table {
            name: "comments",
            header: vec!["n".into()],
            rows: Rows::Stream {
                len: n,
                rows: Box::new(|| {
                    Box::new((0..n).map(|i| {
                        made.fetch_add(1, Ordering::Relaxed);
                        vec![Cell::Count(i as u64)]
                    }))
                }),
            },
        };
        let dir = std::env::temp_dir();
        let book = workbook_within(&[], &[table], &dir, limits(12, 5)).unwrap();
        let sheets = parts(&book)
            .iter()
            .filter(|(name, _)| name.starts_with("xl/worksheets/sheet"))
            .count();
        assert_eq!(sheets, 6, "the Read me and 5 sheets of 10 comments");
        assert_eq!(made.load(Ordering::Relaxed), n);
    }

    #[test]
    fn long_text_fits_a_cell() {
        let long = "a".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cut.ends_with("full text]"));
        assert_eq!(fit_cell("short"), "short");
    }

    #[test]
    fn a_long_table_is_written_whole_row_by_row() {
        use calamine::{Data, Reader, Xlsx};
        let n = FIT_ROWS + 5;
        let table = Table {
            name: "comments",
            header: vec!["id".into(), "text".into()],
            rows: Rows::Each {
                len: n,
                row: Box::new(|i| vec![Cell::Count(i as u64), Cell::Text(format!("comment {i}"))]),
            },
        };
        let bytes = workbook(&[], &[table], &std::env::temp_dir()).unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("comments").unwrap();
        assert_eq!(sheet.height(), n + 1);
        assert_eq!(sheet.get_value((1, 0)), Some(&Data::Float(0.0)));
        let last = format!("comment {}", n - 1);
        assert_eq!(sheet.get_value((n as u32, 1)), Some(&Data::String(last)));
    }

    #[test]
    fn a_table_longer_than_a_sheet_is_split_over_sheets_each_saying_so() {
        use calamine::{Data, Reader, Xlsx};
        // Sheets of 6 rows: a header, 4 rows and the note. 10 rows take 3 sheets (4, 4, 2).
        let table = Table {
            name: "comments",
            header: vec!["n".into()],
            rows: Rows::Each {
                len: 10,
                row: Box::new(|i| vec![Cell::Count(i as u64)]),
            },
        };
        let short = Table::new("themes", &["id"], vec![vec![Cell::Count(1)]; 5]);
        let bytes = workbook_within(
            &[],
            &[table, short],
            &std::env::temp_dir(),
            limits(6, LONG_ROWS),
        )
        .unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        assert_eq!(
            names,
            [
                "Read me",
                "comments",
                "comments (2)",
                "comments (3)",
                "themes"
            ]
        );
        let firsts: Vec<Vec<Data>> = ["comments", "comments (2)", "comments (3)"]
            .iter()
            .map(|n| {
                let sheet = book.worksheet_range(n).unwrap();
                assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("n".into())));
                (1..sheet.height() as u32)
                    .map(|r| sheet.get_value((r, 0)).unwrap().clone())
                    .collect()
            })
            .collect();
        let numbers = |v: &[Data]| -> Vec<f64> {
            v.iter()
                .filter_map(|d| match d {
                    Data::Float(f) => Some(*f),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(numbers(&firsts[0]), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(numbers(&firsts[1]), [4.0, 5.0, 6.0, 7.0]);
        assert_eq!(numbers(&firsts[2]), [8.0, 9.0]);
        let note = |v: &[Data]| v.last().unwrap().to_string();
        assert_eq!(
            note(&firsts[0]),
            "Rows 1 to 4 of 10; continued on sheet \"comments (2)\". comments.csv has every row."
        );
        assert_eq!(
            note(&firsts[2]),
            "Rows 9 to 10 of 10; 3 sheets in all. comments.csv has every row."
        );
        // A table that fits under its header is one sheet with no note.
        assert_eq!(book.worksheet_range("themes").unwrap().height(), 6);
        let read_me = book.worksheet_range("Read me").unwrap();
        let said: Vec<String> = read_me.rows().map(|r| r[1].to_string()).collect();
        assert!(
            said.iter().any(|s| s.starts_with("10 rows, over 3 sheets")
                && s.ends_with("comments.csv has them all")),
            "{said:?}"
        );
    }

    #[test]
    // One sheet of rows 0..n is a one-range list, as the lint cannot tell.
    #[allow(clippy::single_range_in_vec_init)]
    fn sheet_parts_fill_each_sheet_and_name_them_within_excels_limit() {
        assert_eq!(sheet_parts(5, 6), [0..5]);
        assert_eq!(sheet_parts(6, 6), [0..4, 4..6]);
        assert_eq!(sheet_parts(0, 6), [0..0]);
        // Excel's own limit: 1,048,575 rows fit under a header; one more takes two sheets.
        assert_eq!(sheet_parts(MAX_ROWS - 1, MAX_ROWS).len(), 1);
        assert_eq!(
            sheet_parts(1_200_000, MAX_ROWS),
            [0..MAX_ROWS - 2, MAX_ROWS - 2..1_200_000]
        );
        assert_eq!(part_name("comments", 2), "comments (2)");
        assert_eq!(part_name(&"x".repeat(40), 12).chars().count(), 31);
    }

    fn num_cell(value: f64) -> Cell {
        Cell::Number {
            value,
            decimals: 4,
            kind: Kind::Mean,
        }
    }

    #[test]
    fn widths_are_those_autofit_gives() {
        // rust_xlsxwriter's own autofit on the same cells is the reference. The first column is
        // as wide as its header (with the filter's button), the second as its longest line, the
        // third as its widest figure.
        let header = ["respondent", "comment", "n"];
        let rows = vec![
            vec![
                Cell::Text("r1".into()),
                Cell::Text("Staff morale is better".into()),
                Cell::Count(12345),
            ],
            vec![
                Cell::Empty,
                Cell::Text("two\nlines, the second longer".into()),
                num_cell(0.25),
            ],
        ];
        let table = Table {
            name: "t",
            header: header.map(String::from).to_vec(),
            rows: Rows::Built(rows.clone()),
        };
        let formats = Formats::new();
        let mut ours = Worksheet::new();
        write_table(&mut ours, &table, 0..rows.len(), None, &formats).unwrap();
        let xml = |sheet: Worksheet| {
            let mut book = Workbook::new();
            book.push_worksheet(sheet);
            book.save_to_buffer().unwrap()
        };
        assert!(
            xml(ours) == xml(autofitted(&header, &rows)),
            "fitted widths differ from autofit"
        );
    }

    /// rust_xlsxwriter's own autofit of `rows` under `header` (bold, with a filter), on an
    /// ordinary sheet: the reference for canvass's widths.
    fn autofitted(header: &[&str], rows: &[Vec<Cell>]) -> Worksheet {
        let formats = Formats::new();
        let mut sheet = Worksheet::new();
        for (c, h) in header.iter().enumerate() {
            sheet
                .write_string_with_format(0, col(c), *h, &formats.header)
                .unwrap();
        }
        sheet.set_freeze_panes(1, 0).unwrap();
        let last = col(header.len() - 1);
        sheet.autofilter(0, 0, rows.len() as u32, last).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let at = (1 + r as u32, col(c));
                write_cell(&mut sheet, at, cell, &formats, false).unwrap();
            }
        }
        sheet.set_autofit_max_width(MAX_WIDTH_PIXELS).autofit();
        sheet
    }

    /// The `<cols>` element of the workbook's sheet `n` (1-based).
    fn column_widths(book: Vec<u8>, n: usize) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let from = xml.find("<cols>").unwrap();
        let to = xml.find("</cols>").unwrap();
        xml[from..to].to_string()
    }

    #[test]
    fn a_constant_memory_sheet_is_fitted_to_its_first_rows_as_autofit_would() {
        // The widest comment is within the first `FIT_ROWS` rows; a wider one after them is
        // not measured, as autofit of those rows would not see it.
        let rows = LONG_ROWS + 2;
        let row = |i: usize| {
            let text = match i {
                7 => "a comment wider than the others".to_string(),
                i if i == rows - 1 => "w".repeat(50),
                i => format!("comment {i}"),
            };
            vec![Cell::Count(i as u64), Cell::Text(text)]
        };
        let header = ["n", "comment"];
        let table = Table {
            name: "comments",
            header: header.map(String::from).to_vec(),
            rows: Rows::Each {
                len: rows,
                row: Box::new(row),
            },
        };
        let ours = workbook(&[], &[table], &std::env::temp_dir()).unwrap();
        let first: Vec<Vec<Cell>> = (0..FIT_ROWS).map(row).collect();
        let mut book = Workbook::new();
        book.push_worksheet(autofitted(&header, &first));
        let theirs = book.save_to_buffer().unwrap();
        // Sheet 1 is the "Read me".
        assert_eq!(column_widths(ours, 2), column_widths(theirs, 1));
    }

    #[test]
    fn text_is_cut_by_excels_utf16_units() {
        // 17,000 emoji are 34,000 UTF-16 units: over Excel's limit though under 32,767 chars.
        let table = Table {
            name: "comments",
            header: vec!["text".into()],
            rows: Rows::Built(vec![vec![Cell::Text("😀".repeat(17_000))]]),
        };
        assert!(workbook(&[], &[table], &std::env::temp_dir()).is_ok());
        assert!(fit_cell(&"😀".repeat(17_000)).encode_utf16().count() <= MAX_CELL_UNITS);
    }

    #[test]
    fn same_input_same_bytes() {
        let table = Table {
            name: "items",
            header: vec!["id".into(), "n".into()],
            rows: Rows::Built(vec![vec![Cell::Text("=1+1".into()), Cell::Count(3)]]),
        };
        let a = workbook(&[], std::slice::from_ref(&table), &std::env::temp_dir()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = workbook(&[], &[table], &std::env::temp_dir()).unwrap();
        assert!(a == b, "the workbook depends on the time it was written");
    }
}
