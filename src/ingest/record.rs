//! One record of delimited text, and the parser that cuts a chunk into records.
//!
//! Most lines of a survey export hold no quote: codes, dates and short labels. Such a line is
//! split at its delimiters by a plain byte loop. A line with a quote (an open answer with a
//! comma, a quoted newline) goes through csv-core, the state machine behind the csv crate, so
//! quoting follows the csv crate's rules exactly: `"` opens a quoted field only at the start of
//! a field, and `""` inside one is a quote. Per-byte state machines are the slow part of reading
//! a large export; most bytes never need one.

use super::split::{line_ends, newlines};
use crate::error::{Error, Result};
use std::borrow::Cow;
use std::path::Path;

/// A record: its fields as spans of one text. The text is borrowed where it can be (a line
/// without quotes is its own fields' text, so parsing copies nothing) and owned otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record<'t> {
    text: Cow<'t, str>,
    spans: Vec<(usize, usize)>,
}

impl Record<'_> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the record has no field.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i`, or `None` past the last.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.spans.get(i).map(|&(s, e)| &self.text[s..e])
    }

    /// Field `i`'s bytes.
    #[inline]
    pub fn bytes(&self, i: usize) -> &[u8] {
        let (s, e) = self.spans[i];
        &self.text.as_bytes()[s..e]
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(s, e)| &self.text[s..e])
    }

    /// The bytes of all fields together (delimiters included, on the plain path).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Appends a field (used to pad a short row to the header's width).
    pub fn push_field(&mut self, value: &str) {
        let start = self.text.len();
        // An empty field (padding a short row) needs no text of its own.
        if !value.is_empty() {
            self.text.to_mut().push_str(value);
        }
        self.spans.push((start, self.text.len()));
    }

    /// Empties every field that is exactly `marker` (a blank the file spelt out).
    pub fn blank(&mut self, marker: &str) {
        let text = &self.text;
        for span in &mut self.spans {
            if &text[span.0..span.1] == marker {
                span.1 = span.0;
            }
        }
    }

    /// Keeps the first `fields` fields (drops trailing cells past the header's width).
    pub fn truncate(&mut self, fields: usize) {
        self.spans.truncate(fields);
    }

    /// The record with a text of its own, to keep beyond the parser's buffer.
    pub fn into_owned(self) -> Record<'static> {
        Record {
            text: Cow::Owned(self.text.into_owned()),
            spans: self.spans,
        }
    }
}

impl<'t> Record<'t> {
    /// The record on the line that starts at `text[at]`, split at `delimiter` (reusing
    /// `spans`' allocation), and where the line ends (its `\n`, `\r\n` or `\r`, or the end of
    /// the text); or, when the line needs csv-core's rules (a quote inside a field, a doubled
    /// quote, a quoted line break), `spans`' allocation back for csv-core's reader. One pass finds the delimiters and
    /// the line's end. A field quoted whole and holding no quote or line break ("Yes, often")
    /// is read here too, as the text between its quotes: exports quote every answer with a
    /// comma, and csv-core's copy of such lines was a sixth of reading one.
    fn split_line(
        text: &'t str,
        at: usize,
        delimiter: u8,
        mut spans: Vec<(usize, usize)>,
    ) -> std::result::Result<(Record<'t>, usize), Vec<(usize, usize)>> {
        spans.clear();
        let bytes = text.as_bytes();
        // Field boundaries relative to `at`.
        let mut start = 0;
        let mut pos = at;
        let end = loop {
            // The first byte at or after `pos` that ends the line or is a quote (or the text's
            // end), with every delimiter before it taken as a field's end.
            let special = match bytes.get(pos..pos + 16) {
                // Sixteen bytes at a time, as bit masks of the delimiters and of the bytes
                // that end the line or are a quote. Bytes past the line's end are looked at,
                // not used.
                Some(word) => {
                    // expect: `word` is `bytes[pos..pos + 16]`, sixteen bytes.
                    let word: &[u8; 16] = word.try_into().expect("sixteen bytes");
                    let (mut found, special) = masks(word, delimiter);
                    if special != 0 {
                        found &= (1 << special.trailing_zeros()) - 1;
                    }
                    while found != 0 {
                        let i = pos - at + found.trailing_zeros() as usize;
                        spans.push((start, i));
                        start = i + 1;
                        found &= found - 1;
                    }
                    if special == 0 {
                        pos += 16;
                        continue;
                    }
                    pos + special.trailing_zeros() as usize
                }
                None => {
                    let rest = &bytes[pos..];
                    let tail = rest.iter().position(|&b| matches!(b, b'\n' | b'\r' | b'"'));
                    for (i, _) in rest[..tail.unwrap_or(rest.len())]
                        .iter()
                        .enumerate()
                        .filter(|(_, &b)| b == delimiter)
                    {
                        spans.push((start, pos - at + i));
                        start = pos - at + i + 1;
                    }
                    tail.map_or(bytes.len(), |t| pos + t)
                }
            };
            if bytes.get(special) != Some(&b'"') {
                break special;
            }
            // A quote: only a field quoted whole, with no quote or line break inside, is read
            // here.
            if special - at != start {
                return Err(spans);
            }
            let inside = special + 1;
            let Some(close) = memchr::memchr3(b'"', b'\n', b'\r', &bytes[inside..])
                .map(|i| inside + i)
                .filter(|&i| bytes[i] == b'"')
            else {
                return Err(spans);
            };
            spans.push((inside - at, close - at));
            match bytes.get(close + 1) {
                Some(&b) if b == delimiter => {
                    start = close + 2 - at;
                    pos = close + 2;
                }
                None | Some(b'\n' | b'\r') => {
                    let record = Record {
                        text: Cow::Borrowed(&text[at..close + 1]),
                        spans,
                    };
                    return Ok((record, close + 1));
                }
                // A doubled quote, or text after the closing quote.
                Some(_) => return Err(spans),
            }
        };
        // A lone `\r` ends a record too (old Mac files), as csv-core reads it.
        let ends_the_line = matches!(bytes.get(end), None | Some(b'\n' | b'\r'));
        if !ends_the_line {
            return Err(spans);
        }
        spans.push((start, end - at));
        let record = Record {
            text: Cow::Borrowed(&text[at..end]),
            spans,
        };
        Ok((record, end))
    }
}

/// Bit masks of `word`'s bytes equal to `delimiter`, and of those that are a quote, a carriage
/// return or a newline: vector compares on x86-64 (SSE2 is part of the architecture).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks(word: &[u8; 16], delimiter: u8) -> (u32, u32) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    // SAFETY: SSE2 is part of every x86-64 processor; `word` is sixteen readable bytes and
    // the load allows any alignment.
    unsafe {
        let v = _mm_loadu_si128(word.as_ptr().cast());
        let equal = |b: u8| _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8))) as u32;
        (equal(delimiter), equal(b'"') | equal(b'\r') | equal(b'\n'))
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn masks(word: &[u8; 16], delimiter: u8) -> (u32, u32) {
    let equal = |byte: u8| {
        word.iter()
            .enumerate()
            .fold(0, |m, (j, &b)| m | (u32::from(b == byte) << j))
    };
    (equal(delimiter), equal(b'"') | equal(b'\r') | equal(b'\n'))
}

impl std::ops::Index<usize> for Record<'_> {
    type Output = str;
    #[inline]
    fn index(&self, i: usize) -> &str {
        let (s, e) = self.spans[i];
        &self.text[s..e]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Record<'static> {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Record<'static> {
        let mut record = Record::default();
        for v in iter {
            record.push_field(v.as_ref());
        }
        record
    }
}

/// The longest cell accepted (checked where the header is known, so the message can name the
/// column). Survey tools cap open answers far below this (Qualtrics at 20,000 characters, Excel
/// cells at 32,767), so a longer cell means a damaged file.
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
        let line = first_line + newlines(&bytes[..e.valid_up_to()]);
        Error::input(path, "is not valid delimited text: it is not UTF-8 here")
            .at_row(line)
            .hint("re-save the file as UTF-8")
    })?;
    // csv-core's reader is built when a line first needs it (most chunks have none).
    let mut quoted: Option<Quoted> = None;
    // The span buffer moves from record to record, so it is allocated once.
    let mut spans = Vec::new();
    let (mut at, mut line) = (0, first_line);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                line += 1;
                at += 1;
                continue;
            }
            b'\r' => {
                // A lone `\r` ends a line (old Mac files); a `\r\n` ends one at its `\n`.
                if bytes.get(at + 1) != Some(&b'\n') {
                    line += 1;
                }
                at += 1;
                continue;
            }
            _ => {}
        }
        let start_line = line;
        let mut record = match Record::split_line(text, at, delimiter, spans) {
            // `at` is left on the line's `\n`, `\r\n` or `\r`, which the loop steps over.
            Ok((record, end)) => {
                at = end;
                record
            }
            Err(unused) => {
                let quoted = quoted.get_or_insert_with(|| Quoted::new(delimiter));
                let (used, record) = quoted.read(&text[at..], unused);
                line += line_ends(bytes, at, at + used);
                at += used;
                record
            }
        };
        let blank = record.is_empty() || (record.len() == 1 && record[0].trim().is_empty());
        if !blank {
            each(start_line, &mut record)?;
        }
        spans = record.spans;
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

    /// Reads the record at the start of `input` (no fields if there is none), its fields'
    /// spans in `spans`' allocation; returns the bytes it took, and the record.
    fn read(&mut self, input: &str, mut spans: Vec<(usize, usize)>) -> (usize, Record<'_>) {
        use csv_core::ReadRecordResult as R;
        let input = input.as_bytes();
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
        spans.clear();
        if !found {
            out = 0;
        } else {
            let mut start = 0;
            for &end in &self.ends[..ends] {
                spans.push((start, end));
                start = end;
            }
        }
        let unquoted = &self.out[..out];
        debug_assert!(std::str::from_utf8(unquoted).is_ok());
        // SAFETY: `input` is a `str`, and csv-core's output is its bytes with some `"` (ASCII, never inside a multi-byte
        // character) taken out, so it is UTF-8 too. Checking again cost a twentieth of a
        // national survey's score.
        let text = Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(unquoted) });
        (used.max(1), Record { text, spans })
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
            // Past the first sixteen bytes: CRLF, a quote, a lone CR, a newline, the text's end.
            "0123456789abcdef,ghi\r\n0123456789abcdefghij,\"k,l\"\n",
            "0123456789,abcdefghijklmnop\rq,r\n0123456789abcdefghijklmnopq",
            "0123456789abcdefghijklmno\n\n0123456789abcdefghijklmnop,\r\n",
            // Fields quoted whole (read without csv-core) beside those that need it: an empty
            // quoted field, one at the line's or text's end, a doubled quote, text after the
            // closing quote, a quote inside a field, a quoted line break, CRLF after a quote.
            "\"a\",\"b, c\",\"\"\n\"x\"\r\n1,\"2\"\r3,\"4\"",
            "\"\"\"q\"\"\",x\n\"ab\"cd,e\nf\"g\",h\n\"i\nj\",k\n\"0123456789abcdefghij\",\"l\",\n",
            "é,\"ü, ß\",€\n\"0123456789abcdef\",\"0123456789abcdefghijklmnop\",\"\"\"\"\n\"open",
        ] {
            let ours: Vec<Vec<String>> = records(text).into_iter().map(|(_, r)| r).collect();
            assert_eq!(ours, csv_crate(text), "{text:?}");
        }
    }

    /// Texts made of the bytes that matter to the two readers (a delimiter, quotes, line
    /// ends, a multi-byte letter, runs long enough to cross sixteen-byte words), from a fixed
    /// seed: every one is split as the csv crate splits it.
    #[test]
    fn agrees_with_the_csv_crate_on_many_mixed_texts() {
        let pieces = [
            "a",
            ",",
            "\"",
            "\n",
            "\r",
            "é",
            " ",
            "0123456789abcdef",
            "\"\"",
            "\",\"",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            // xorshift64*: a fixed sequence, no dependency.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        };
        for _ in 0..3000 {
            let len = 1 + next(24);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let ours: Vec<Vec<String>> = records(&text).into_iter().map(|(_, r)| r).collect();
            assert_eq!(ours, csv_crate(&text), "{text:?}");
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
