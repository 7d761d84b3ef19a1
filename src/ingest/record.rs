//! One record of delimited text, and the parser that cuts a chunk into records.
//!
//! Most lines of a survey export hold no quote: codes, dates and short labels. Such a line is
//! split at its delimiters by a plain byte loop. A line with a quote (an open answer with a
//! comma, a quoted newline) goes through csv-core, the state machine behind the csv crate, so
//! quoting follows the csv crate's rules exactly: `"` opens a quoted field only at the start of
//! a field, and `""` inside one is a quote. Per-byte state machines are the slow part of reading
//! a large export; most bytes never need one.

use crate::error::{Error, Result};
use memchr::{memchr, memchr2};
use std::path::Path;

/// A record: its fields as spans of one buffer (reused from record to record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        self.spans.get(i).map(|&(s, e)| &self.text[s..e])
    }

    /// Field `i`'s bytes.
    #[inline]
    pub fn bytes(&self, i: usize) -> &[u8] {
        let (s, e) = self.spans[i];
        &self.text.as_bytes()[s..e]
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(s, e)| &self.text[s..e])
    }

    /// The bytes of all fields together (delimiters included, on the plain path).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn push_field(&mut self, value: &str) {
        let start = self.text.len();
        self.text.push_str(value);
        self.spans.push((start, self.text.len()));
    }

    pub fn truncate(&mut self, fields: usize) {
        self.spans.truncate(fields);
    }

    /// Holds `line` (no quote in it) split at `delimiter`.
    fn split(&mut self, line: &str, delimiter: u8) {
        self.text.clear();
        self.text.push_str(line);
        self.spans.clear();
        let bytes = line.as_bytes();
        let mut start = 0;
        // Eight bytes at a time: a word with a bit set in each byte equal to the delimiter.
        let ones = u64::from_ne_bytes([1; 8]);
        let (low7, high) = (ones * 0x7F, ones * 0x80);
        let pattern = ones * u64::from(delimiter);
        let mut words = bytes.chunks_exact(8);
        let mut base = 0;
        for word in &mut words {
            let mut bits = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            bits ^= pattern;
            // High bit of each byte that is zero (exact: no borrow crosses bytes).
            let mut zero = !(((bits & low7) + low7) | bits) & high;
            while zero != 0 {
                let i = base + zero.trailing_zeros() as usize / 8;
                self.spans.push((start, i));
                start = i + 1;
                zero &= zero - 1;
            }
            base += 8;
        }
        for (i, &b) in words.remainder().iter().enumerate() {
            if b == delimiter {
                self.spans.push((start, base + i));
                start = base + i + 1;
            }
        }
        self.spans.push((start, bytes.len()));
    }
}

impl std::ops::Index<usize> for Record {
    type Output = str;
    #[inline]
    fn index(&self, i: usize) -> &str {
        let (s, e) = self.spans[i];
        &self.text[s..e]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Record {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Record {
        let mut record = Record::default();
        for v in iter {
            record.push_field(v.as_ref());
        }
        record
    }
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
    mut each: impl FnMut(usize, &mut Record) -> Result<()>,
) -> Result<()> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = first_line + memchr::memchr_iter(b'\n', &bytes[..e.valid_up_to()]).count();
        Error::input(path, "is not valid delimited text: it is not UTF-8 here")
            .at_row(line)
            .hint("re-save the file as UTF-8")
    })?;
    let mut quoted = Quoted::new(delimiter);
    let mut record = Record::default();
    let (mut at, mut line) = (0, first_line);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                line += 1;
                at += 1;
                continue;
            }
            b'\r' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let end = memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let body = bytes[at..end]
            .strip_suffix(b"\r")
            .unwrap_or(&bytes[at..end]);
        let start_line = line;
        // A lone `\r` also ends a record (old Mac files): csv-core's rules apply to such a line.
        if memchr2(b'"', b'\r', body).is_none() {
            record.split(&text[at..at + body.len()], delimiter);
            at = end;
        } else {
            let used = quoted.read(&bytes[at..], &mut record).max(1);
            line += memchr::memchr_iter(b'\n', &bytes[at..at + used]).count();
            at += used;
            if record.is_empty() {
                continue;
            }
        }
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        if record.text_len() > MAX_CELL_BYTES {
            if let Some(i) = record.iter().position(|f| f.len() > MAX_CELL_BYTES) {
                return Err(Error::input(
                    path,
                    format!(
                        "has a cell of {} MB; survey answers are never this long",
                        record[i].len() >> 20
                    ),
                )
                .at_row(start_line)
                .at_column(format!("#{}", i + 1))
                .hint("the file is damaged or is not a survey export; re-export it"));
            }
        }
        each(start_line, &mut record)?;
    }
    Ok(())
}

/// csv-core's reader for records with quotes, with its output buffers.
struct Quoted {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Quoted {
    fn new(delimiter: u8) -> Quoted {
        Quoted {
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// Reads the record at the start of `input` into `record` (no fields if there is none);
    /// returns the bytes it took.
    fn read(&mut self, input: &[u8], record: &mut Record) -> usize {
        use csv_core::ReadRecordResult as R;
        self.reader.reset();
        let (mut used, mut out, mut ends) = (0, 0, 0);
        let found = loop {
            let (result, nin, nout, nend) = self.reader.read_record(
                &input[used..],
                &mut self.out[out..],
                &mut self.ends[ends..],
            );
            used += nin;
            out += nout;
            ends += nend;
            match result {
                R::InputEmpty if used < input.len() => {}
                // The end of the input is the end of the record: csv-core is told so by an
                // empty input, on the next turn.
                R::InputEmpty => {
                    let (result, _, nout, nend) =
                        self.reader
                            .read_record(&[], &mut self.out[out..], &mut self.ends[ends..]);
                    out += nout;
                    ends += nend;
                    match result {
                        R::OutputFull | R::OutputEndsFull => {
                            self.grow();
                            continue;
                        }
                        result => break matches!(result, R::Record),
                    }
                }
                R::OutputFull | R::OutputEndsFull => self.grow(),
                R::Record => break true,
                R::End => break false,
            }
        };
        record.text.clear();
        record.spans.clear();
        if found {
            // Unquoting removes ASCII quotes only, so UTF-8 stays UTF-8.
            record
                .text
                .push_str(&String::from_utf8_lossy(&self.out[..out]));
            let mut start = 0;
            for &end in &self.ends[..ends] {
                record.spans.push((start, end));
                start = end;
            }
        }
        used
    }

    fn grow(&mut self) {
        let (out, ends) = (self.out.len() * 2, self.ends.len() * 2);
        self.out.resize(out, 0);
        self.ends.resize(ends, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        parse_records(Path::new("x.csv"), text.as_bytes(), 1, b',', |line, r| {
            out.push((line, r.iter().map(str::to_string).collect()));
            Ok(())
        })
        .unwrap();
        out
    }

    /// The same text through the csv crate (flexible, no headers), blank records dropped.
    fn csv_crate(text: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .collect()
    }

    #[test]
    fn agrees_with_the_csv_crate() {
        for text in [
            "a,b,c\n1,2,3\n",
            "a,b\r\n1,2\r\n\r\n3,4",
            "a,\"b, c\",d\n\"multi\nline\",x\n",
            "a,5\" screen,\"he said \"\"hi\"\"\"\n,,\n",
            "old\rmac\rlines\n",
            "x,\"unterminated\n",
            "  \n\n,\n\"\"\n",
            "é,ü\n\"ß\",€\n",
            ",,a,,bcdefgh,ijklmnop,,,,,,,,,q\nlonger line, with spaces ,12345678,9\n",
        ] {
            let ours: Vec<Vec<String>> = records(text).into_iter().map(|(_, r)| r).collect();
            assert_eq!(ours, csv_crate(text), "{text:?}");
        }
    }

    /// By hand: `a` on line 1; the quoted record starts on line 2 and its newline makes line 3;
    /// line 4 is blank; `d` is on line 5 and `e` on line 6.
    #[test]
    fn lines_count_quoted_newlines_and_blank_lines() {
        let lines: Vec<usize> = records("a\n\"b\nc\"\n\nd\r\ne")
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert_eq!(lines, [1, 2, 5, 6]);
    }
}
