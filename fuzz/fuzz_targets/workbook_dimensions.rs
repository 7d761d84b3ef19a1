//! Workbooks whose sheets claim any size: an XLSX with cells at fuzzed positions under a fuzzed
//! `<dimension>`, or an ODS table of fuzzed row and column repeats. Reading one must end in an
//! error or a table within the sheet-cell limit, never in an allocation of the size a few bytes
//! claim (the case of a 1.7 KB XLSX with cells at A1 and XFD1048576, once 512 GiB).
#![no_main]
use canvass::ingest::{read_export_bytes, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::Path;

/// Low, so that a table at the limit is quick to build and a breach shows at once.
const LIMIT: u64 = 100_000;

fuzz_target!(|data: &[u8]| {
    std::env::set_var("CANVASS_MAX_SHEET_CELLS", LIMIT.to_string());
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let numbers: Vec<u32> = rest
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let (name, bytes) = if kind % 2 == 0 {
        ("fuzz.xlsx", xlsx(&numbers))
    } else {
        ("fuzz.ods", ods(&numbers))
    };
    if let Ok(raw) = read_export_bytes(Path::new(name), bytes, &ReadOptions::default()) {
        let cells = (raw.rows.len() as u64 + raw.source.header_rows as u64)
            .saturating_mul(raw.columns.len() as u64);
        assert!(cells <= LIMIT, "{cells} cells read past a limit of {LIMIT}");
    }
});

/// A1-style reference of a 0-based (row, column), as Excel spells it; any u32 is allowed, so
/// references past XFD1048576 are tried too.
fn reference(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(column) + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), u64::from(row) + 1)
}

fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Numbers, in pairs: the first pair the declared dimension's end (the range starts at A1),
/// the rest cell positions (values `x`).
fn xlsx(numbers: &[u32]) -> Vec<u8> {
    let mut pairs = numbers.chunks_exact(2).map(|p| (p[0] % 2_000_000, p[1] % 20_000));
    let dimension = pairs
        .next()
        .map(|(r, c)| format!(r#"<dimension ref="A1:{}"/>"#, reference(r, c)))
        .unwrap_or_default();
    let cells: String = pairs
        .take(64)
        .map(|(r, c)| {
            format!(
                r#"<row r="{}"><c r="{}" t="inlineStr"><is><t>x</t></is></c></row>"#,
                u64::from(r) + 1,
                reference(r, c)
            )
        })
        .collect();
    zip(&[
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{cells}</sheetData></worksheet>"#)),
    ])
}

/// Numbers, in threes: a row's repeat count, then an empty cell's and a filled cell's column
/// repeat counts.
fn ods(numbers: &[u32]) -> Vec<u8> {
    let rows: String = numbers
        .chunks_exact(3)
        .take(64)
        .map(|t| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="{}"/><table:table-cell table:number-columns-repeated="{}" office:value-type="float" office:value="1"/></table:table-row>"#,
                t[0].max(1),
                t[1].max(1),
                t[2].max(1)
            )
        })
        .collect();
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
        ("META-INF/manifest.xml", r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into()),
        ("content.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#)),
    ])
}
