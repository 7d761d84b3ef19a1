//! Text exports: UTF-16 decoding, delimiter sniffing and CSV parsing of whole records with their
//! line numbers.

use crate::error::{Error, Result};
use std::path::Path;

/// Decodes a file that starts with a UTF-16 byte-order mark (Excel's and Qualtrics' "Unicode
/// text"); `None` for any other file. UTF-8 and Windows-1252 are decided chunk by chunk as the
/// file streams (see `stream.rs`): UTF-16 cannot be cut on byte values, so it is decoded whole.
pub fn decode_utf16(path: &Path, bytes: &[u8]) -> Result<Option<(String, &'static str)>> {
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "utf-16le"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "utf-16be"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(Error::input(
                    path,
                    format!("is marked {name} but holds bytes that are not valid {name}"),
                )
                .hint("re-export the file from the survey tool"));
            }
            return Ok(Some((text.into_owned(), name)));
        }
    }
    Ok(None)
}

/// Picks the delimiter that splits the first line into the most fields, outside quotes.
pub fn sniff_delimiter(text: &str, path: &Path) -> u8 {
    let first_line = first_record(text);
    let count = |d: char| {
        let mut in_quotes = false;
        let mut n = 0;
        for c in first_line.chars() {
            match c {
                '"' => in_quotes = !in_quotes,
                c if c == d && !in_quotes => n += 1,
                _ => {}
            }
        }
        n
    };
    let tsv_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    if tabs > 0 && (tsv_name || tabs >= commas) {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Line numbers from byte offsets. The csv crate's own line count (and, after a CRLF, its byte
/// offset, which points at the `\n`) is off by one for CRLF files, as Excel and Qualtrics write
/// them, so lines are counted here, incrementally.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8], first_line: usize) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: first_line,
        }
    }

    /// The 1-based line of the record starting at `byte` (offsets must not decrease).
    fn line_at(&mut self, mut byte: usize) -> usize {
        if self.bytes.get(byte) == Some(&b'\n') {
            byte += 1;
        }
        let byte = byte.min(self.bytes.len());
        if byte > self.offset {
            self.line += self.bytes[self.offset..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = byte;
        }
        self.line
    }
}

/// The first record, allowing quoted newlines.
fn first_record(text: &str) -> &str {
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The longest cell accepted. Survey tools cap open answers far below this (Qualtrics at 20,000
/// characters, Excel cells at 32,767), so a longer cell means a damaged file.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// Parses a run of whole records of UTF-8 delimited text that starts on line `first_line`,
/// handing each record with its line to `each` (one record buffer is reused for all).
/// Blank lines (LimeSurvey ends its files with one) are skipped.
pub fn parse_records(
    path: &Path,
    bytes: &[u8],
    first_line: usize,
    delimiter: u8,
    mut each: impl FnMut(usize, &mut csv::StringRecord) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut lines = LineCounter::new(bytes, first_line);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(0, |p| lines.line_at(p.byte() as usize));
                if record.len() == 1 && record[0].trim().is_empty() {
                    continue;
                }
                if record.as_slice().len() > MAX_CELL_BYTES {
                    if let Some(i) = record.iter().position(|f| f.len() > MAX_CELL_BYTES) {
                        return Err(Error::input(
                            path,
                            format!(
                                "has a cell of {} MB; survey answers are never this long",
                                record[i].len() >> 20
                            ),
                        )
                        .at_row(line)
                        .at_column(format!("#{}", i + 1))
                        .hint("the file is damaged or is not a survey export; re-export it"));
                    }
                }
                each(line, &mut record)?;
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or(first_line, |p| lines.line_at(p.byte() as usize));
                return Err(
                    Error::input(path, format!("is not valid delimited text: {e}"))
                        .at_row(line)
                        .hint("check for an unclosed quote near this row"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16_only() {
        let p = Path::new("x.csv");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let (text, encoding) = decode_utf16(p, &utf16).unwrap().unwrap();
        assert_eq!((text.as_str(), encoding), ("a\tb", "utf-16le"));
        assert!(decode_utf16(p, b"\xEF\xBB\xBFa,b").unwrap().is_none());
    }

    #[test]
    fn sniffs_delimiters_outside_quotes() {
        let p = Path::new("x.csv");
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3", p), b';');
        assert_eq!(sniff_delimiter("\"a,b\"\tc\td", p), b'\t');
        assert_eq!(sniff_delimiter("a,b\n", p), b',');
    }
}
