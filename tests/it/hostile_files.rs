//! Exports built to exhaust memory or time, or to lose rows, run through the real binary: tiny
//! workbooks that claim billions of cells, a record that never ends, a pipe, a device or a
//! folder given as an export, CR-only and mixed line endings, and a very wide file. Each must
//! be read right or refused with a message that names the limit and how to raise it.

use crate::common::{canvass, example_pipeline, stderr, stdout};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `canvass` with one environment variable set.
fn canvass_with(variable: &str, value: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canvass"))
        .env(variable, value)
        .args(args)
        .output()
        .expect("the canvass binary runs")
}

fn zip_file(path: &Path, parts: &[(&str, String)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

/// An XLSX workbook of one sheet holding `cells` (reference, text), with the `<dimension>` the
/// sheet declares, if any: the parts Excel needs, nothing more.
fn xlsx(dir: &Path, name: &str, dimension: Option<&str>, cells: &[(&str, &str)]) -> PathBuf {
    let row_of = |r: &str| -> u32 { r.trim_start_matches(char::is_alphabetic).parse().unwrap() };
    let mut rows: Vec<u32> = cells.iter().map(|(r, _)| row_of(r)).collect();
    rows.dedup();
    let sheet_data: String = rows
        .iter()
        .map(|&row| {
            let row_cells: String = (cells.iter().filter(|(r, _)| row_of(r) == row))
                .map(|(r, v)| format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#))
                .collect();
            format!(r#"<row r="{row}">{row_cells}</row>"#)
        })
        .collect();
    let dimension = dimension.map_or(String::new(), |d| format!(r#"<dimension ref="{d}"/>"#));
    let path = dir.join(name);
    zip_file(
        &path,
        &[
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#)),
        ],
    );
    path
}

/// An ODS workbook whose one table is `rows` (`<table:table-row>` elements, as written).
fn ods(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(name);
    zip_file(
        &path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
            ("META-INF/manifest.xml", r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into()),
            ("content.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#)),
        ],
    );
    path
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn inspect_json(path: &Path) -> serde_json::Value {
    let out = canvass(&["inspect", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Refused with exit 1, the message naming `what`, the limit and the variable that raises it.
fn refused_over_limit(out: &Output, what: &str, variable: &str) {
    let e = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains(what) && e.contains("limit") && e.contains(variable),
        "{e}"
    );
}

/// Before: the reader allocated every cell between A1 and XFD1048576 (512 GiB) and the process
/// aborted. Read cell by cell, the sheet is its two rows with values.
#[test]
fn cells_at_a1_and_xfd1048576_are_two_rows_not_17_billion_cells() {
    let dir = tempfile::tempdir().unwrap();
    let far = xlsx(
        dir.path(),
        "far.xlsx",
        None,
        &[("A1", "q1"), ("XFD1048576", "x")],
    );
    assert!(std::fs::metadata(&far).unwrap().len() < 4096);
    let json = inspect_json(&far);
    assert_eq!(json["rows"], 1);
    assert_eq!(json["columns"].as_array().unwrap().len(), 16_384);
    // ZZ200000 took 4.4 GB: now two rows of 702 columns.
    let zz = xlsx(
        dir.path(),
        "zz.xlsx",
        None,
        &[("A1", "q1"), ("ZZ200000", "x")],
    );
    let json = inspect_json(&zz);
    assert_eq!(json["rows"], 1);
    assert_eq!(json["columns"].as_array().unwrap().len(), 702);
}

#[test]
fn a_sheet_declaring_more_cells_than_the_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let claims = xlsx(
        dir.path(),
        "claims.xlsx",
        Some("A1:XFD1048576"),
        &[("A1", "q1"), ("A2", "1")],
    );
    let out = canvass(&["inspect", claims.to_str().unwrap()]);
    refused_over_limit(
        &out,
        "1048576 rows × 16384 columns",
        "CANVASS_MAX_SHEET_CELLS",
    );
    assert!(stderr(&out).contains("claims.xlsx") && stderr(&out).contains("Sheet1"));
}

/// The limit is declared and can be raised: six cells pass a limit of six, not one of five.
#[test]
fn the_sheet_cell_limit_is_set_by_its_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cells = [
        ("A1", "q1"),
        ("B1", "q2"),
        ("A2", "1"),
        ("B2", "2"),
        ("A3", "3"),
        ("B3", "4"),
    ];
    let small = xlsx(dir.path(), "small.xlsx", Some("A1:B3"), &cells);
    let path = small.to_str().unwrap();
    let out = canvass_with("CANVASS_MAX_SHEET_CELLS", "5", &["inspect", path]);
    refused_over_limit(&out, "5 cells per sheet", "CANVASS_MAX_SHEET_CELLS");
    let out = canvass_with("CANVASS_MAX_SHEET_CELLS", "6", &["inspect", "--json", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = canvass_with("CANVASS_MAX_SHEET_CELLS", "lots", &["inspect", path]);
    assert!(
        stderr(&out).contains("not a positive whole number"),
        "{}",
        stderr(&out)
    );
}

/// Before: 854 bytes of ODS took 3.6 GB as the reader spelled out a row of values repeated
/// across every column and 100,000 rows. LibreOffice's own trailing repeat of a million empty
/// rows is not expanded, and a sheet ending with one reads as before.
#[test]
fn ods_repeats_are_added_up_before_the_reader_expands_them() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = ods(
        dir.path(),
        "bomb.ods",
        &format!(
            r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
            ods_cell("q1")
        ),
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2048);
    let out = canvass(&["inspect", bomb.to_str().unwrap()]);
    refused_over_limit(&out, "repeated rows and columns", "CANVASS_MAX_SHEET_CELLS");

    let libreoffice = ods(
        dir.path(),
        "saved.ods",
        &format!(
            r#"<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
            ods_cell("q1"),
            ods_cell("q2"),
            ods_cell("a"),
            ods_cell("b")
        ),
    );
    assert_eq!(inspect_json(&libreoffice)["rows"], 1);
}

/// Before: a line that never ends grew the reader's buffer until the allocator failed. Now the
/// read stops at the record limit, naming the row the record starts on.
#[test]
fn a_record_without_a_line_end_stops_at_the_record_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("endless.csv");
    let mut text = b"q1,q2\n1,2\n".to_vec();
    text.extend(std::iter::repeat_n(b'7', 3 << 20));
    std::fs::write(&path, text).unwrap();
    let out = canvass_with(
        "CANVASS_MAX_RECORD_BYTES",
        "1000000",
        &["inspect", path.to_str().unwrap()],
    );
    refused_over_limit(&out, "more than 1000000 bytes", "CANVASS_MAX_RECORD_BYTES");
    assert!(stderr(&out).contains("row 3"), "{}", stderr(&out));
}

/// Before: each was reported as "does not exist" by a pipeline, and a FIFO made `inspect` wait
/// for a writer forever.
#[test]
fn a_folder_a_pipe_or_a_device_as_an_export_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("export.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for (path, what) in [
        (dir.path().to_path_buf(), "is a folder"),
        (fifo, "is a named pipe"),
        (PathBuf::from("/dev/zero"), "is a device"),
    ] {
        for command in ["inspect", "init", "score", "themes"] {
            let mut args = vec![command, path.to_str().unwrap()];
            if command == "themes" {
                args.extend(["--text", "comment"]);
            }
            let out = canvass(&args);
            let e = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{command}: {e}");
            assert!(
                e.contains(what) && e.contains("regular file"),
                "{command}: {e}"
            );
        }
    }
    // A pipeline names the wave's key.
    let pipeline = example_pipeline(dir.path());
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let wave_1 = text
        .lines()
        .find_map(|l| l.strip_prefix("export = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap()
        .to_string();
    std::fs::write(&pipeline, text.replace(&wave_1, "/dev/zero")).unwrap();
    let out = canvass(&["run", pipeline.to_str().unwrap()]);
    let e = stderr(&out);
    assert!(
        e.contains("waves[0].export") && e.contains("is a device") && !e.contains("does not exist"),
        "{e}"
    );
}

/// Forty distinct responses without a key column, in a file with the given line ends.
fn forty_rows(ends: &dyn Fn(usize) -> &'static str) -> String {
    let labels = [
        "Strongly disagree",
        "Disagree",
        "Neutral",
        "Agree",
        "Strongly agree",
    ];
    let mut text = format!("q1,q2,q3{}", ends(0));
    for i in 0..40 {
        let row = format!(
            "{},{},{}",
            labels[i % 5],
            labels[(i * 3) % 5],
            labels[(i * 7 + 1) % 5]
        );
        text.push_str(&row);
        text.push_str(ends(i + 1));
    }
    text
}

/// Before: with CR-only line ends every row was "row 1", so without a key column 39 of 40 were
/// excluded as duplicates (13 of 40 with mixed ends), while `inspect` said 40 rows.
#[test]
fn cr_only_and_mixed_line_ends_keep_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let mixed_ends = |i: usize| ["\n", "\r\n", "\r"][i % 3];
    for (name, text) in [
        ("cr.csv", forty_rows(&|_| "\r")),
        ("mixed.csv", forty_rows(&mixed_ends)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        assert_eq!(inspect_json(&path)["rows"], 40, "{name}");
        let out = canvass(&["score", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("40 responses analysed of 40 read"),
            "{name}: {}",
            stdout(&out)
        );
    }
}

/// A matrix of 5,000 rows whose long question texts share their start: `inspect` shows each
/// row's distinguishing end, as when it compared every question with every other one (which
/// took 95 s at 50,000 columns; the test checks the output, not the time).
#[test]
fn a_wide_export_of_long_shared_questions_is_inspected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let stem = "Please indicate how strongly you agree with each of the following statements-";
    let names: Vec<String> = (0..5000).map(|i| format!("{stem}Statement {i}")).collect();
    let mut text = names.join(",");
    text.push('\n');
    text.push_str(&vec!["Agree"; names.len()].join(","));
    text.push('\n');
    let path = dir.path().join("wide.csv");
    std::fs::write(&path, text).unwrap();
    let out = canvass(&["inspect", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(shown.contains("5000 columns"), "{shown}");
    let questions: std::collections::BTreeSet<&str> = shown
        .lines()
        .filter_map(|l| l.split_once('“'))
        .map(|(_, q)| q)
        .collect();
    assert_eq!(questions.len(), 5000, "every row's question reads apart");
    for i in [0, 2500, 4999] {
        let end = format!("… {i}”");
        assert!(questions.iter().any(|q| q.ends_with(&end)), "statement {i}");
    }
}

/// The shipped XLS fixture with one record's bytes replaced: the first record that opens with
/// `record` (its type and length) has `patch` written at `offset` into its data.
fn patched_xls(dir: &Path, name: &str, record: [u8; 4], offset: usize, patch: &[u8]) -> PathBuf {
    let fixture = crate::common::repo().join("tests/fixtures/exports/made/generic.xls");
    let mut bytes = std::fs::read(fixture).unwrap();
    let at = bytes.windows(4).position(|w| w == record).unwrap() + 4 + offset;
    bytes[at..at + patch.len()].copy_from_slice(patch);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Before: an XLS sheet whose DIMENSIONS record claims a million rows by 16,384 columns (or a
/// last row before its first, which the reader's arithmetic wraps to four billion) aborted the
/// process as the reader reserved room for them. The fixture itself still reads.
#[test]
fn an_xls_sheet_claiming_a_huge_range_is_refused_before_the_reader_reserves_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = crate::common::repo().join("tests/fixtures/exports/made/generic.xls");
    assert_eq!(inspect_json(&fixture)["rows"], 4);
    const DIMENSIONS: [u8; 4] = [0x00, 0x02, 0x0E, 0x00];
    let mut huge = 1_048_576u32.to_le_bytes().to_vec();
    huge.extend([0, 0, 0x00, 0x40]);
    let wrapped = [10u32.to_le_bytes(), 5u32.to_le_bytes()].concat();
    for (name, patch, offset) in [("huge.xls", huge, 4), ("wrapped.xls", wrapped, 0)] {
        let path = patched_xls(dir.path(), name, DIMENSIONS, offset, &patch);
        let out = canvass(&["inspect", path.to_str().unwrap()]);
        refused_over_limit(&out, "declares a used range", "CANVASS_MAX_SHEET_CELLS");
    }
    // A label moved to row 65,536, column IV: the sheet's range between its cells is 16.7
    // million cells, within the default limit and over a limit of a million.
    const LABEL_SST: [u8; 4] = [0xFD, 0x00, 0x0A, 0x00];
    let far = patched_xls(
        dir.path(),
        "far.xls",
        LABEL_SST,
        0,
        &[0xFF, 0xFF, 0xFF, 0x00],
    );
    let path = far.to_str().unwrap();
    let out = canvass_with("CANVASS_MAX_SHEET_CELLS", "1000000", &["inspect", path]);
    refused_over_limit(
        &out,
        "65536 rows and 256 columns apart",
        "CANVASS_MAX_SHEET_CELLS",
    );
}

/// Every response of a JSON export gets a cell for every key: 3,000 responses with a key each
/// would be a table of nine million cells, refused over a limit of a million.
#[test]
fn json_responses_with_keys_of_their_own_stay_within_the_cell_limit() {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<String> = (0..3000).map(|i| format!(r#"{{"q{i}": "{i}"}}"#)).collect();
    let path = dir.path().join("keys.json");
    std::fs::write(&path, format!("[{}]", records.join(","))).unwrap();
    let path = path.to_str().unwrap();
    let out = canvass_with("CANVASS_MAX_SHEET_CELLS", "1000000", &["inspect", path]);
    refused_over_limit(
        &out,
        "3000 responses × 3000 keys",
        "CANVASS_MAX_SHEET_CELLS",
    );
    let out = canvass_with(
        "CANVASS_MAX_SHEET_CELLS",
        "10000000",
        &["inspect", "--json", path],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}
