//! A long sheet's rows (a national survey's comments) as rust_xlsxwriter's constant-memory mode
//! writes them, but made and deflated on every core: rust_xlsxwriter writes a sheet's cells and
//! deflates its XML on one thread, which left one core idle for most of the report of a
//! million respondents. `splice` puts the deflated rows into the workbook rust_xlsxwriter
//! writes around them.
//!
//! The bytes of each row are rust_xlsxwriter's own (`tests::rows_are_written_as_rust_xlsxwriter_writes_them`):
//! inline strings escaped as it escapes them, figures as `f64` prints them, each figure with the
//! style its format was registered under.

use super::{fit_cell, number_width, text_width, Formats, FIT_ROWS};
use crate::report::tables::Cell;
use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Write;

/// Rows deflated as one piece (about a megabyte of XML): small enough that a batch keeps both
/// cores busy, large enough that restarting the deflate window at each costs nothing visible.
const PIECE_ROWS: usize = 2048;

/// Rows of a sheet, as XML, deflated in pieces each ending on a byte boundary (a sync flush),
/// so that pieces deflated apart are one deflate stream when put one after another.
pub(super) struct Deflated {
    /// The deflated bytes, piece after piece.
    pub bytes: Vec<u8>,
    /// CRC-32 of the XML.
    pub crc: crc32fast::Hasher,
    /// Bytes of XML.
    pub len: u64,
}

impl Deflated {
    pub fn new() -> Deflated {
        Deflated {
            bytes: Vec::new(),
            crc: crc32fast::Hasher::new(),
            len: 0,
        }
    }

    /// Deflates `xml` as the next piece (`last`: the piece that ends the stream).
    pub fn piece(xml: &[u8], level: u32, last: bool) -> Deflated {
        let mut crc = crc32fast::Hasher::new();
        crc.update(xml);
        Deflated {
            bytes: deflate(xml, level, last),
            crc,
            len: xml.len() as u64,
        }
    }

    /// Appends `next`, deflated apart, after these bytes.
    pub fn append(&mut self, next: Deflated) {
        self.bytes.extend_from_slice(&next.bytes);
        self.crc.combine(&next.crc);
        self.len += next.len;
    }
}

/// Raw deflate of `data` at `level`, ending the stream when `last`, else with a sync flush.
fn deflate(data: &[u8], level: u32, last: bool) -> Vec<u8> {
    let mut c = Compress::new(Compression::new(level), false);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let read = c.total_in() as usize;
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        // Deflating memory into memory has no way to fail; a status other than Ok is a bug.
        let status = c
            .compress_vec(&data[read..], &mut out, flush)
            .expect("deflate in memory");
        let all_in = c.total_in() as usize == data.len();
        let flushed = out.len() < out.capacity();
        match status {
            Status::StreamEnd => break,
            _ if all_in && flushed && !last => break,
            _ => {}
        }
    }
    out
}

/// A long sheet's rows, written as they arrive in batches, each batch's pieces made and
/// deflated in parallel.
pub(super) struct Body<'a> {
    formats: &'a Formats,
    level: u32,
    /// The sheet row (0-based) the next row goes to.
    next: u32,
    pub deflated: Deflated,
    /// Each column's widest cell among the first `FIT_ROWS` rows of the table.
    pub widths: Vec<u32>,
    /// Columns up to the last one a cell was written in.
    pub columns: usize,
}

impl<'a> Body<'a> {
    /// Rows from sheet row `first` (0-based; the header is row 0).
    pub fn new(formats: &'a Formats, level: u32, first: u32) -> Body<'a> {
        Body {
            formats,
            level,
            next: first,
            deflated: Deflated::new(),
            widths: Vec::new(),
            columns: 0,
        }
    }

    /// Writes `rows` below the rows written so far.
    pub fn push(&mut self, rows: &[Vec<Cell>]) {
        let first = self.next;
        let pieces: Vec<(Deflated, Vec<u32>, usize)> = rows
            .par_chunks(PIECE_ROWS)
            .enumerate()
            .map(|(p, piece)| {
                let at = first + (p * PIECE_ROWS) as u32;
                let mut xml = Vec::with_capacity(xml_estimate(piece));
                let mut widths = Vec::new();
                let mut columns = 0;
                for (i, row) in piece.iter().enumerate() {
                    let r = at + i as u32;
                    // The header is row 0: data row r is the table's r-th row.
                    let measure = (r as usize) <= FIT_ROWS;
                    let widths = measure.then_some(&mut widths);
                    columns = columns.max(write_row(&mut xml, r, row, self.formats, widths));
                }
                (Deflated::piece(&xml, self.level, false), widths, columns)
            })
            .collect();
        let deflated: usize = pieces.iter().map(|(p, _, _)| p.bytes.len()).sum();
        self.deflated.bytes.reserve(deflated);
        for (piece, widths, columns) in pieces {
            self.deflated.append(piece);
            self.columns = self.columns.max(columns);
            for (c, w) in widths.into_iter().enumerate() {
                if self.widths.len() <= c {
                    self.widths.resize(c + 1, 0);
                }
                self.widths[c] = self.widths[c].max(w);
            }
        }
        self.next += rows.len() as u32;
    }
}

/// About the bytes of XML `rows` make (a little more than most rows need), so that a piece's
/// buffer is allocated once rather than grown as its rows are written. A text cell's markup
/// (`<c r="AB1048576" t="inlineStr"><is><t></t></is></c>`) is under 64 bytes and escaping
/// rarely adds an eighth; a figure's cell is under 48; a row's own tags under 32.
fn xml_estimate(rows: &[Vec<Cell>]) -> usize {
    let cell = |c: &Cell| match c {
        Cell::Text(s) => s.len() + s.len() / 8 + 64,
        _ => 48,
    };
    rows.iter()
        .map(|row| row.iter().map(cell).sum::<usize>() + 32)
        .sum()
}

/// Writes `n` in decimal (`model::decimal`): every cell of a long sheet names its row.
fn push_u32(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 20];
    out.extend_from_slice(crate::model::decimal(u64::from(n), &mut digits));
}

/// Excel's name of column `c` (0-based): A … Z, AA …
pub(super) fn column_name(c: usize, out: &mut Vec<u8>) {
    let mut n = c + 1;
    let mut letters = [0u8; 4];
    let mut i = letters.len();
    while n > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend_from_slice(&letters[i..]);
}

/// One row (sheet row `r`, 0-based) as rust_xlsxwriter writes it in constant-memory mode:
/// nothing for a row without a cell to show. With `widths`, each cell's width as autofit
/// measures it, widest kept. Returns the columns up to the last cell written.
fn write_row(
    out: &mut Vec<u8>,
    r: u32,
    row: &[Cell],
    formats: &Formats,
    mut widths: Option<&mut Vec<u32>>,
) -> usize {
    let mut columns = 0;
    let excel_row = r + 1;
    let mut opened = false;
    for (c, cell) in row.iter().enumerate() {
        let (text, style, width) = match cell {
            Cell::Empty => continue,
            Cell::Text(s) => {
                let shown = fit_cell(s);
                if shown.is_empty() {
                    continue;
                }
                let width = widths.is_some().then(|| text_width(&shown)).flatten();
                (Shown::Text(shown), 0, width)
            }
            Cell::Count(_) | Cell::Number { .. } => {
                let Some(v) = cell.shown_value() else {
                    continue;
                };
                let style = formats.style(match cell {
                    Cell::Number { kind, .. } => formats.number(*kind),
                    _ => &formats.count,
                });
                let width = widths.is_some().then(|| number_width(v));
                let shown = match v {
                    v if v.is_nan() => Shown::Text(Cow::Borrowed("NAN")),
                    v if v == f64::INFINITY => Shown::Text(Cow::Borrowed("INF")),
                    v if v == f64::NEG_INFINITY => Shown::Text(Cow::Borrowed("-INF")),
                    v => Shown::Figure(v),
                };
                (shown, style, width)
            }
        };
        if !opened {
            out.extend_from_slice(b"<row r=\"");
            push_u32(out, excel_row);
            out.extend_from_slice(b"\">");
            opened = true;
        }
        columns = c + 1;
        out.extend_from_slice(b"<c r=\"");
        column_name(c, out);
        push_u32(out, excel_row);
        out.push(b'"');
        if style > 0 {
            out.extend_from_slice(b" s=\"");
            push_u32(out, style);
            out.push(b'"');
        }
        match text {
            Shown::Figure(v) => {
                let _ = write!(out, "><v>{v}</v></c>");
            }
            Shown::Text(s) => {
                out.extend_from_slice(b" t=\"inlineStr\"><is><t");
                let blank = |b: Option<&u8>| matches!(b, Some(b'\t' | b'\n' | b' '));
                if blank(s.as_bytes().first()) || blank(s.as_bytes().last()) {
                    out.extend_from_slice(b" xml:space=\"preserve\"");
                }
                out.push(b'>');
                escape(&s, out);
                out.extend_from_slice(b"</t></is></c>");
            }
        }
        if let (Some(widths), Some(w)) = (widths.as_deref_mut(), width) {
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(w);
        }
    }
    if opened {
        out.extend_from_slice(b"</row>");
    }
    columns
}

/// What a cell shows: text, or a finite figure.
enum Shown<'a> {
    Text(Cow<'a, str>),
    Figure(f64),
}

/// Text as rust_xlsxwriter writes it in a cell: text that reads as Excel's own `_xHHHH_`
/// escape has its underscore escaped; `&`, `<`, `>` as entities; control characters (but tab
/// and line feed) and U+FFFE, U+FFFF as `_xHHHH_`. Read a byte at a time: every character
/// escaped is ASCII but the two non-characters, whose UTF-8 starts 0xEF, and most comments have
/// none, so they are copied whole.
fn escape(s: &str, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
        i += at;
        match bytes[i] {
            b @ (b'&' | b'<' | b'>') => {
                out.extend_from_slice(&bytes[from..i]);
                out.extend_from_slice(match b {
                    b'&' => b"&amp;",
                    b'<' => b"&lt;",
                    _ => b"&gt;",
                });
                i += 1;
                from = i;
            }
            b'_' => {
                if looks_like_escape(&bytes[i..]) {
                    // The underscore itself stays, after its escape: `_x005F` + `_xHHHH_`.
                    out.extend_from_slice(&bytes[from..i]);
                    out.extend_from_slice(b"_x005F");
                    from = i;
                }
                i += 1;
            }
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xEF => match bytes.get(i + 1..i + 3) {
                Some(&[0xBF, last @ (0xBE | 0xBF)]) => {
                    out.extend_from_slice(&bytes[from..i]);
                    let _ = write!(out, "_x{:04X}_", 0xFF00 | (u32::from(last) + 0x40));
                    i += 3;
                    from = i;
                }
                _ => i += 1,
            },
            control => {
                out.extend_from_slice(&bytes[from..i]);
                let _ = write!(out, "_x{control:04X}_");
                i += 1;
                from = i;
            }
        }
    }
    out.extend_from_slice(&bytes[from..]);
}

/// The bytes `escape` looks at: `&`, `<`, `>`, `_`, control bytes but tab and line feed, and
/// 0xEF (the first byte of U+FFFE and U+FFFF).
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'_' as usize] = true;
    table[0xEF] = true;
    table
};

/// Whether text starts with `_xHHHH_` (four hex digits), Excel's escape of a character.
fn looks_like_escape(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}
