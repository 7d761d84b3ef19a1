//! The workbook rust_xlsxwriter wrote, with each long sheet's rows (`long::Body`) put between
//! its header row and what follows it. Every other part of the workbook is copied as
//! rust_xlsxwriter deflated it; the archive is written anew, dated 1980-01-01 as
//! rust_xlsxwriter dates it, so that the bytes are the same on every run.

use super::long::Deflated;
use rust_xlsxwriter::XlsxError;
use std::io::{Cursor, Read};

/// A long sheet's rows and the sheet they belong in (1-based, in the order sheets were added).
pub(super) struct Long {
    pub sheet: usize,
    pub rows: Deflated,
    /// Columns up to the last one the rows have a cell in.
    pub columns: usize,
}

/// `book` with each long sheet's rows in place; `None` when the workbook would need ZIP64
/// (a part or the whole over 4 GiB), which this writer does not write.
pub(super) fn splice(
    book: &[u8],
    long: Vec<Long>,
    level: u32,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(book))?;
    let room = book.len() + long.iter().map(|l| l.rows.bytes.len()).sum::<usize>();
    let mut long: Vec<Option<Long>> = long.into_iter().map(Some).collect();
    let mut zip = Writer {
        out: Vec::with_capacity(room + 1024),
        central: Vec::new(),
        entries: 0,
    };
    for i in 0..archive.len() {
        let name = match archive.name_for_index(i) {
            Some(name) => name?.into_owned(),
            None => break,
        };
        let rows = long
            .iter_mut()
            .find(|l| l.as_ref().is_some_and(|l| sheet_name(l.sheet) == name))
            .and_then(Option::take);
        let fits = match rows {
            Some(rows) => {
                let mut xml = String::new();
                archive.by_index(i)?.read_to_string(&mut xml)?;
                let xml = widened(xml, rows.columns);
                let Some(at) = after_header(&xml) else {
                    return Err(XlsxError::IoError(std::io::Error::other(format!(
                        "{name} has no header row to write the rows after"
                    ))));
                };
                let mut whole = Deflated::piece(&xml.as_bytes()[..at], level, false);
                whole.append(rows.rows);
                whole.append(Deflated::piece(&xml.as_bytes()[at..], level, true));
                let crc = whole.crc.clone().finalize();
                zip.entry(&name, DEFLATED, crc, &whole.bytes, whole.len)
            }
            None => {
                let mut part = archive.by_index_raw(i)?;
                let method = match part.compression() {
                    zip::CompressionMethod::Stored => STORED,
                    zip::CompressionMethod::Deflated => DEFLATED,
                    other => {
                        return Err(XlsxError::IoError(std::io::Error::other(format!(
                            "{name} is compressed as {other:?}"
                        ))))
                    }
                };
                let (crc, size) = (part.crc32(), part.size());
                let mut raw = Vec::new();
                part.read_to_end(&mut raw)?;
                zip.entry(&name, method, crc, &raw, size)
            }
        };
        if fits.is_none() {
            return Ok(None);
        }
    }
    if long.iter().any(Option::is_some) {
        return Err(XlsxError::IoError(std::io::Error::other(
            "a long sheet is missing from the workbook",
        )));
    }
    Ok(zip.finish())
}

/// The part rust_xlsxwriter writes sheet `n` (1-based) to.
fn sheet_name(n: usize) -> String {
    format!("xl/worksheets/sheet{n}.xml")
}

/// The sheet with its dimension as wide as `columns` where its rows are wider than the cells
/// rust_xlsxwriter wrote (rows wider than their header).
fn widened(xml: String, columns: usize) -> String {
    const OPEN: &str = "<dimension ref=\"";
    let Some(from) = xml.find(OPEN).map(|at| at + OPEN.len()) else {
        return xml;
    };
    let Some(len) = xml[from..].find('"') else {
        return xml;
    };
    let range = &xml[from..from + len];
    let (start, end) = range.split_once(':').unwrap_or((range, range));
    let letters = end.bytes().take_while(u8::is_ascii_uppercase).count();
    let wide = end[..letters]
        .bytes()
        .fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1));
    if columns <= wide {
        return xml;
    }
    let mut name = Vec::new();
    super::long::column_name(columns - 1, &mut name);
    let name = String::from_utf8_lossy(&name);
    let range = format!("{start}:{name}{}", &end[letters..]);
    format!("{}{range}{}", &xml[..from], &xml[from + len..])
}

/// Where a sheet's header row ends.
fn after_header(xml: &str) -> Option<usize> {
    let data = xml.find("<sheetData>")?;
    let end = xml[data..].find("</row>")?;
    Some(data + end + "</row>".len())
}

const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// 1980-01-01 in MS-DOS's form, at 00:00 (time 0).
const DOS_DATE: u16 = (1 << 5) | 1;
/// ZIP 2.0: deflate, no ZIP64.
const VERSION: u16 = 20;

/// A ZIP archive written entry by entry, its central directory kept to the end.
struct Writer {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl Writer {
    /// Writes one entry; `None` when it does not fit a ZIP without ZIP64.
    fn entry(&mut self, name: &str, method: u16, crc: u32, data: &[u8], size: u64) -> Option<()> {
        let offset = u32::try_from(self.out.len()).ok()?;
        let compressed = u32::try_from(data.len()).ok()?;
        let size = u32::try_from(size).ok()?;
        let name_len = u16::try_from(name.len()).ok()?;
        self.entries = self.entries.checked_add(1)?;
        let o = &mut self.out;
        put32(o, 0x0403_4b50);
        for v in [VERSION, 0, method, 0, DOS_DATE] {
            put16(o, v);
        }
        for v in [crc, compressed, size] {
            put32(o, v);
        }
        put16(o, name_len);
        put16(o, 0);
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(data);
        let c = &mut self.central;
        put32(c, 0x0201_4b50);
        for v in [VERSION, VERSION, 0, method, 0, DOS_DATE] {
            put16(c, v);
        }
        for v in [crc, compressed, size] {
            put32(c, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            put16(c, v);
        }
        put32(c, 0);
        put32(c, offset);
        c.extend_from_slice(name.as_bytes());
        u32::try_from(self.out.len()).ok().map(|_| ())
    }

    /// The archive: entries, central directory, end record.
    fn finish(mut self) -> Option<Vec<u8>> {
        let offset = u32::try_from(self.out.len()).ok()?;
        let size = u32::try_from(self.central.len()).ok()?;
        let mut o = self.out;
        o.append(&mut self.central);
        u32::try_from(o.len()).ok()?;
        put32(&mut o, 0x0605_4b50);
        for v in [0, 0, self.entries, self.entries] {
            put16(&mut o, v);
        }
        put32(&mut o, size);
        put32(&mut o, offset);
        put16(&mut o, 0);
        Some(o)
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_past_4_gib_is_refused_not_written_short() {
        let mut zip = Writer {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
        };
        assert!(zip.entry("a.xml", DEFLATED, 0, b"x", 1).is_some());
        assert!(zip
            .entry("b.xml", DEFLATED, 0, b"x", u64::from(u32::MAX) + 1)
            .is_none());
    }
}
