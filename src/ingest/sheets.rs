//! Workbook exports (XLSX, XLSM, XLSB, XLS, ODS) through calamine, as a grid of text cells.

use super::limits::SHEET_CELLS;
use super::Grid;
use crate::error::{Error, Result};
use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::Path;

/// Is this file a workbook? Decided by content (ZIP or OLE signature), not by extension.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// What a file that is not a workbook is, for saying that it has no sheets (`None` for a
/// workbook). Decided by content, as reading it will be.
pub fn not_a_workbook(path: &Path) -> Result<Option<&'static str>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .map_err(|e| Error::io(path, e))?;
    Ok(if is_workbook(&head) {
        None
    } else if super::json::is_json(&head) {
        Some("a JSON file")
    } else {
        Some("a CSV (delimited text) file")
    })
}

/// One sheet of a workbook, read.
#[derive(Debug)]
pub struct Sheet {
    /// The sheet's cells, a record per row with its row number.
    pub grid: Grid,
    /// `xlsx`, `xls`, `ods` …
    pub kind: &'static str,
    /// The sheet's name.
    pub name: String,
    /// Every sheet in the workbook, in file order (recorded, so that nothing is left unread without
    /// saying so).
    pub all: Vec<String>,
}

/// Reads one sheet (by name, or the first) into a grid.
pub fn read_sheet(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet> {
    let kind = workbook_kind(path, &bytes);
    check_archive(path, &bytes)?;
    contain_panics(path, move || read_with_calamine(path, bytes, sheet)).map(|(grid, name, all)| {
        Sheet {
            grid,
            kind,
            name,
            all,
        }
    })
}

/// Runs calamine so that a bug in it on hostile input (fuzzing found an integer overflow on
/// cell references such as `A99999999999`) becomes an input error, not a crash.
fn contain_panics<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    outcome.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::input(
            path,
            format!("is a damaged workbook (the spreadsheet reader failed: {what})"),
        )
        .hint("open it in a spreadsheet program and save it again, or re-download the export"))
    })
}

fn read_with_calamine(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(Grid, String, Vec<String>)> {
    let limit = SHEET_CELLS.value()?;
    // The ODS reader expands every table as it opens the file.
    super::sheet_size::check_ods(path, &bytes, limit)?;
    // So does the XLS reader, reserving room for what each sheet declares.
    super::sheet_size::check_xls(path, &bytes, limit)?;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::input(path, format!("cannot be opened as a workbook: {e}"))
            .hint("the file may be truncated or not a spreadsheet; re-download the export")
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                Error::input(path, format!("has no sheet named `{wanted}`"))
                    .hint(format!("its sheets are: {}", names.join(", ")))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::input(path, "is a workbook with no sheets"))?,
    };
    let grid = read_grid(path, &mut book, &name, limit)?;
    Ok((grid, name, names))
}

/// The sheet's cells as text. XLSX and XLSB sheets are read cell by cell, within the cell limit
/// (`sheet_size`); other kinds through the reader's range of the sheet.
fn read_grid<RS: std::io::Read + std::io::Seek>(
    path: &Path,
    book: &mut calamine::Sheets<RS>,
    name: &str,
    limit: u64,
) -> Result<Grid> {
    use super::sheet_size::{dimensions, owned, read_sparse};
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::input(path, format!("sheet `{name}` cannot be read: {e}"))
            .hint("the file may be truncated; re-download the export")
    };
    match book {
        calamine::Sheets::Xlsx(x) => match x.worksheet_cells_reader(name) {
            // A chart sheet holds no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(Grid::default()),
            Err(e) => Err(unreadable(&e)),
            Ok(mut cells) => {
                let declared = dimensions(cells.dimensions());
                let mut next =
                    || (cells.next_cell().map(|c| c.map(owned))).map_err(|e| e.to_string());
                read_sparse(path, name, declared, &mut next, cell_text, limit)
            }
        },
        calamine::Sheets::Xlsb(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
            let declared = dimensions(cells.dimensions());
            let mut next = || (cells.next_cell().map(|c| c.map(owned))).map_err(|e| e.to_string());
            read_sparse(path, name, declared, &mut next, cell_text, limit)
        }
        _ => {
            let range = book.worksheet_range(name).map_err(|e| unreadable(&e))?;
            let (first_row, _) = range.start().unwrap_or((0, 0));
            let mut grid = Grid::default();
            for (i, row) in range.rows().enumerate() {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                if cells.iter().all(|c| c.is_empty()) {
                    continue;
                }
                grid.push(first_row as usize + i + 1, cells);
            }
            Ok(grid)
        }
    }
}

/// Largest expanded size of one part of a workbook, of all parts, and the compression ratio
/// beyond which a large part is taken for a ZIP bomb. Real survey exports are far below these.
const MAX_PART: u64 = 1 << 30;
const MAX_TOTAL: u64 = 2 << 30;
const MAX_RATIO: u64 = 1000;

/// Reads the ZIP directory of an XLSX/ODS file before anything is inflated, and refuses archives
/// that would expand to an absurd size (a "ZIP bomb" disguised as a workbook).
fn check_archive(path: &Path, bytes: &[u8]) -> Result<()> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::input(path, format!("cannot be opened as a workbook: {e}"))
            .hint("the file may be truncated or not a spreadsheet; re-download the export")
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|e| Error::input(path, format!("has a damaged ZIP entry: {e}")))?;
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        let bomb =
            size > MAX_PART || total > MAX_TOTAL || (size > 64 << 20 && size / packed > MAX_RATIO);
        if bomb {
            return Err(Error::input(
                path,
                format!("would expand part `{}` to {} MB from {} KB; refusing it as a possible ZIP bomb", part.name().map(|n| n.into_owned()).unwrap_or_default(), size >> 20, packed >> 10),
            )
            .hint("survey exports are never this large; re-download the file from the survey tool"));
        }
    }
    Ok(())
}

fn workbook_kind(path: &Path, bytes: &[u8]) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "ods" => "ods",
        "xlsb" => "xlsb",
        "xlsm" => "xlsm",
        "xls" => "xls",
        _ if bytes.starts_with(&[0xD0, 0xCF]) => "xls",
        _ => "xlsx",
    }
}

/// A cell as the text a user would see: whole numbers without `.0`, dates as ISO 8601.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
                if (h, mi, s) == (0, 0, 0) {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }
            } else {
                number_text(dt.as_f64())
            }
        }
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_person_would_type_them() {
        assert_eq!(cell_text(&Data::Float(5.0)), "5");
        assert_eq!(cell_text(&Data::Float(3.5)), "3.5");
        assert_eq!(cell_text(&Data::Int(-1)), "-1");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn a_zip_bomb_disguised_as_xlsx_is_refused_before_inflating() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            w.write_all(&zeros).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 20, "200 MB of zeros packs small");
        let e = read_sheet(Path::new("bomb.xlsx"), bytes, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("bomb.xlsx") && e.contains("ZIP bomb"), "{e}");
    }

    #[test]
    fn a_workbook_that_crashes_the_reader_is_an_input_error() {
        // Found by fuzz/fuzz_targets/sheet_reader.rs: calamine overflows on a huge cell reference.
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/hostile/calamine-cell-reference-overflow.bin"
        ))
        .unwrap();
        let mut data = b"PK\x03\x04".to_vec();
        data.extend_from_slice(&bytes);
        let e = read_sheet(Path::new("crash.xlsx"), data, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("crash.xlsx"), "{e}");
    }

    #[test]
    fn junk_is_not_a_workbook() {
        assert!(!is_workbook(b"a,b,c"));
        let e = read_sheet(Path::new("x.xlsx"), b"PK\x03\x04junk".to_vec(), None).unwrap_err();
        assert!(
            e.to_string().contains("cannot be opened as a workbook"),
            "{e}"
        );
    }
}
