//! Streaming ingest: an export read chunk by chunk, so that memory depends on the chunk size,
//! not on the number of respondents.
//!
//! Delimited text is cut into chunks of `CHUNK_ROWS` records by a quote-aware scan that follows
//! the csv crate's rules (a `"` opens a quoted field only at the start of a field; `""` inside
//! one is an escaped quote), so every chunk parses on its own. The scan (with reading and
//! hashing) runs on its own thread a few chunks ahead; the chunks of a batch are decoded and
//! parsed in parallel. Chunk boundaries depend only on the file's content, so anything
//! accumulated per chunk is the same at any thread count. Workbooks (calamine needs the whole
//! file) and JSON are read whole and handed out in chunks of the same size.

use super::detect;
use super::json;
use super::record::{parse_records, Record, MAX_CELL_BYTES};
use super::sheets;
use super::split::{newlines, Chunk, ChunkFeed, Splitter, BATCH_CHUNKS, CHUNK_ROWS};
use super::text;
use super::{Grid, GridRow, RawColumn, ReadOptions};
use crate::error::{Error, Result};
use crate::model::Format;
use memchr::memchr;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// What is read to detect the format and delimiter.
pub(crate) const HEAD_BYTES: usize = 1 << 20;

/// A data row: its line (CSV) or row (sheet) number and exactly one cell per column.
pub type RawRow = (usize, Record<'static>);

/// An export opened for reading: header rows read, detected and laid out; data rows read on demand.
pub struct ExportStream {
    path: PathBuf,
    /// The survey tool that wrote the export (detected from the header rows).
    pub format: Format,
    /// The field delimiter of a text export; `None` for workbooks and JSON.
    pub delimiter: Option<u8>,
    /// Header rows above the first data row.
    pub header_rows: usize,
    /// Every column, identifiers included, in file order.
    pub columns: Vec<RawColumn>,
    /// About how many data rows the export holds (exact for workbooks and JSON; for text, the
    /// file's size over the first chunk's bytes per row), for sizing what grows per row.
    pub estimated_rows: usize,
    /// The text the file writes for a blank cell (`missing_marker`), read as blank.
    pub missing: Option<&'static str>,
    body: Body,
}

enum Body {
    Text(Box<TextBody>),
    /// A workbook's or JSON file's data rows, already in memory.
    Rows {
        rows: std::vec::IntoIter<GridRow>,
        sha256: String,
        kind: &'static str,
        sheet: Option<String>,
        sheets: Vec<String>,
    },
}

struct TextBody {
    feed: ChunkFeed,
    delimiter: u8,
    /// Data rows of the first chunk, parsed while reading the header rows.
    first: Option<Vec<RawRow>>,
    /// What the text has turned out to be so far (`None`: ASCII only).
    seen: Option<(TextKind, usize)>,
    /// Fixed encoding of a file decoded up front (UTF-16), or the BOM.
    declared: Option<&'static str>,
}

/// How a chunk's bytes decode. Files are UTF-8, or Windows-1252 when they are not; a file whose
/// non-ASCII bytes are partly valid UTF-8 and partly not is mixed, and refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Ascii,
    Utf8,
    Windows1252,
}

/// A chunk's decoding and the line of its first non-ASCII byte.
type Decoding = (TextKind, usize);

impl ExportStream {
    /// Opens an export file. Only the first block is read before the first batch is asked for.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<ExportStream> {
        if let Some(what) = not_a_regular_file(path).map_err(|e| Error::io(path, e))? {
            return Err(not_an_export(path, what));
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let size = file.metadata().map_or(0, |m| m.len());
        Self::from_reader(path, Box::new(file), size, options)
    }

    /// As `open`, for bytes already in memory (`path` names them in messages).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<ExportStream> {
        let size = bytes.len() as u64;
        Self::from_reader(path, Box::new(std::io::Cursor::new(bytes)), size, options)
    }

    fn from_reader(
        path: &Path,
        mut reader: Box<dyn Read + Send>,
        size: u64,
        options: &ReadOptions,
    ) -> Result<ExportStream> {
        let mut head = read_head(path, &mut reader)?;
        if sheets::is_workbook(&head) || json::is_json(&head) {
            reader
                .read_to_end(&mut head)
                .map_err(|e| Error::io(path, e))?;
            return Self::in_memory(path, head, options);
        }
        let TextHead {
            reader,
            bytes: head,
            start,
            declared,
            hasher,
        } = TextHead::decode(path, reader, head, options)?;
        let sniff = String::from_utf8_lossy(&head[start..head.len().min(start + 64 * 1024)]);
        let delimiter = text::sniff_delimiter(&sniff, path);
        let bare_na = quoted_header_with_bare_na(&sniff, delimiter);
        let max_record =
            usize::try_from(super::limits::RECORD_BYTES.value()?).unwrap_or(usize::MAX);
        let mut splitter = Splitter::new(reader, hasher, head, start, delimiter, path, max_record);
        splitter.bytes_read = options.bytes_read.clone();
        let first_chunk = splitter.next_chunk()?;
        let mut body = TextBody {
            feed: ChunkFeed::start(splitter),
            delimiter,
            first: None,
            seen: None,
            declared,
        };
        let (first, estimated_rows) = body.read_first(path, first_chunk, size)?;
        let grid = Grid {
            // Header rows and a few data rows: a second header row is told from a respondent by
            // its labels recurring in no row below (`detect::resaved_surveymonkey`).
            rows: first
                .iter()
                .take(12)
                .map(|(line, r)| GridRow {
                    line: *line,
                    cells: r.iter().map(str::to_string).collect(),
                })
                .collect(),
        };
        let format = options.format.unwrap_or_else(|| detect::detect(&grid));
        let (header_rows, columns) = check_layout(path, format, &grid, options)?;
        for (line, header) in first.iter().take(header_rows) {
            check_cell_sizes(path, &[], *line, header)?;
        }
        let data: Vec<RawRow> = first.into_iter().skip(header_rows).collect();
        let missing = missing_marker(&data).filter(|_| bare_na);
        body.first = Some(data);
        Ok(ExportStream {
            path: path.to_path_buf(),
            format,
            delimiter: Some(delimiter),
            header_rows,
            columns,
            estimated_rows,
            missing,
            body: Body::Text(Box::new(body)),
        })
    }

    /// Workbooks and JSON: formats that are read whole.
    fn in_memory(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<ExportStream> {
        let sha256 = if options.without_checksum {
            String::new()
        } else {
            super::hex(&Sha256::digest(&bytes))
        };
        let sheets::Sheet {
            grid,
            kind,
            name,
            all,
        } = if sheets::is_workbook(&bytes) {
            sheets::read_sheet(path, bytes, options.sheet.as_deref())?
        } else {
            sheets::Sheet {
                grid: json::read_json(path, &bytes)?,
                kind: "json",
                name: String::new(),
                all: Vec::new(),
            }
        };
        let format = options.format.unwrap_or_else(|| detect::detect(&grid));
        // JSON has exactly one header row (the keys), whichever tool wrote it.
        let layout = if kind == "json" {
            Format::Generic
        } else {
            format
        };
        let (header_rows, columns) = check_layout(path, layout, &grid, options)?;
        Ok(ExportStream {
            path: path.to_path_buf(),
            format,
            delimiter: None,
            header_rows,
            columns,
            estimated_rows: grid.rows.len().saturating_sub(header_rows),
            missing: None,
            body: Body::Rows {
                rows: grid
                    .rows
                    .into_iter()
                    .skip(header_rows)
                    .collect::<Vec<_>>()
                    .into_iter(),
                sha256,
                kind,
                sheet: (!name.is_empty()).then_some(name),
                sheets: all,
            },
        })
    }

    /// The next batch of data rows, as one vector per chunk (in file order), each row (its
    /// line and exactly one cell per column) mapped by `map` in parallel. `None` when the file
    /// is done.
    pub fn next_batch<T: Send>(
        &mut self,
        map: impl Fn(usize, &Record) -> T + Sync,
    ) -> Result<Option<Vec<Vec<T>>>> {
        self.next_batch_fold(
            || Vec::with_capacity(CHUNK_ROWS),
            |out, line, record| {
                out.push(map(line, record));
                Ok(())
            },
        )
    }

    /// The next batch of data rows folded chunk by chunk: each chunk (in file order) starts
    /// from `init()` and takes its rows in order through `fold`, in parallel across chunks.
    /// A consumer that keeps a little of each row folds it into one buffer per chunk instead
    /// of allocating per row. `None` when the file is done.
    pub fn next_batch_fold<A: Send>(
        &mut self,
        init: impl Fn() -> A + Sync,
        fold: impl Fn(&mut A, usize, &Record) -> Result<()> + Sync,
    ) -> Result<Option<Vec<A>>> {
        let columns = &self.columns;
        let path = self.path.as_path();
        let missing = self.missing;
        let fit = |acc: &mut A, line: usize, record: &mut Record| {
            check_cell_sizes(path, columns, line, record)?;
            fit_width(path, columns.len(), line, record)?;
            if let Some(marker) = missing {
                record.blank(marker);
            }
            fold(acc, line, record)
        };
        match &mut self.body {
            Body::Rows { rows, .. } => {
                let batch: Vec<Vec<GridRow>> = (0..BATCH_CHUNKS)
                    .map(|_| rows.by_ref().take(CHUNK_ROWS).collect::<Vec<_>>())
                    .filter(|c| !c.is_empty())
                    .collect();
                if batch.is_empty() {
                    return Ok(None);
                }
                batch
                    .into_par_iter()
                    .map(|chunk| {
                        let mut acc = init();
                        for r in chunk {
                            fit(&mut acc, r.line, &mut r.cells.iter().collect())?;
                        }
                        Ok(acc)
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Some)
            }
            Body::Text(body) => {
                let mut chunks = Vec::with_capacity(BATCH_CHUNKS);
                while chunks.len() < BATCH_CHUNKS {
                    match body.feed.next_chunk()? {
                        Some(c) => chunks.push(c),
                        None => break,
                    }
                }
                let first = body.first.take();
                if chunks.is_empty() && first.is_none() {
                    return Ok(None);
                }
                let delimiter = body.delimiter;
                let parsed: Vec<(Decoding, Result<A>)> = chunks
                    .par_iter()
                    .map(|chunk| match classify(path, chunk) {
                        Err(e) => ((TextKind::Ascii, 0), Err(e)),
                        Ok((kind, line)) => {
                            let mut acc = init();
                            let parsed = parse_chunk(path, chunk, kind, delimiter, |l, record| {
                                fit(&mut acc, l, record)
                            });
                            ((kind, line), parsed.map(|()| acc))
                        }
                    })
                    .collect();
                for chunk in chunks {
                    body.feed.recycle(chunk);
                }
                let mut out = Vec::with_capacity(parsed.len() + 1);
                if let Some(rows) = first {
                    let mut acc = init();
                    for (line, mut record) in rows {
                        fit(&mut acc, line, &mut record)?;
                    }
                    out.push(acc);
                }
                for ((kind, line), acc) in parsed {
                    body.note(path, kind, line)?;
                    out.push(acc?);
                }
                Ok(Some(out))
            }
        }
    }

    /// Hashes whatever was not read (so the checksum covers the whole file) and returns the
    /// file's facts. The encoding is what the rows read so far showed.
    pub fn finish(self) -> Result<super::SourceInfo> {
        let (sha256, encoding, sheet, sheets) = match self.body {
            Body::Rows {
                sha256,
                kind,
                sheet,
                sheets,
                ..
            } => (sha256, kind.to_string(), sheet, sheets),
            Body::Text(body) => {
                let encoding = match (body.declared, body.seen) {
                    (Some(d), _) => d,
                    (None, Some((TextKind::Windows1252, _))) => "windows-1252",
                    _ => "utf-8",
                };
                (
                    body.feed.digest(&self.path)?,
                    encoding.to_string(),
                    None,
                    Vec::new(),
                )
            }
        };
        Ok(super::SourceInfo {
            file: self.path.display().to_string(),
            sha256,
            format: self.format,
            encoding,
            delimiter: self.delimiter.map(char::from),
            header_rows: self.header_rows,
            sheet,
            sheets,
            missing: self.missing.map(str::to_string),
        })
    }
}

/// Whether the text looks as R's `write.csv` writes it: the header's every name quoted, and an
/// `NA` left bare where every string is quoted. A survey tool that quotes its fields quotes an
/// answer "NA" (North America, not applicable) like any other.
fn quoted_header_with_bare_na(text: &str, delimiter: u8) -> bool {
    let d = char::from(delimiter);
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return false;
    };
    let header = header.trim_start_matches('\u{feff}');
    let quoted = header.len() >= 2
        && header.starts_with('"')
        && header.ends_with('"')
        && header.matches(d).count() == header.matches(&format!("\"{d}\"")).count();
    let bare = |line: &str| line.split(d).any(|field| field == "NA");
    quoted && lines.any(bare)
}

/// R's `NA`, when the file spells out every blank with it: `write.csv` writes `NA` for a
/// missing value, and a survey tool writes a blank. Taken as R's when the header is quoted and
/// `NA` bare (`quoted_header_with_bare_na`), the first chunk's data rows hold no empty cell at
/// all, and `NA` fills cells of two columns or more.
fn missing_marker(rows: &[RawRow]) -> Option<&'static str> {
    const NA: &str = "NA";
    let mut columns = std::collections::BTreeSet::new();
    for (_, record) in rows {
        for (i, cell) in record.iter().enumerate() {
            if cell.is_empty() {
                return None;
            }
            if cell == NA {
                columns.insert(i);
            }
        }
    }
    (columns.len() >= 2).then_some(NA)
}

impl TextBody {
    /// Parses the first chunk's records, header rows included, and estimates the data rows
    /// from the file's size over the chunk's bytes per record.
    fn read_first(
        &mut self,
        path: &Path,
        chunk: Option<Chunk>,
        size: u64,
    ) -> Result<(Vec<RawRow>, usize)> {
        let mut first = Vec::new();
        let mut estimated_rows = 0;
        if let Some(chunk) = chunk {
            let (kind, line) = classify(path, &chunk)?;
            self.note(path, kind, line)?;
            parse_chunk(path, &chunk, kind, self.delimiter, |line, record| {
                first.push((line, record.clone().into_owned()));
                Ok(())
            })?;
            estimated_rows =
                (size as f64 * first.len() as f64 / chunk.bytes.len().max(1) as f64) as usize;
        }
        Ok((first, estimated_rows))
    }

    /// Records what a chunk decoded as, refusing a file that mixes UTF-8 and Windows-1252.
    fn note(&mut self, path: &Path, kind: TextKind, line: usize) -> Result<()> {
        if kind == TextKind::Ascii || self.declared.is_some_and(|d| d.starts_with("utf-16")) {
            return Ok(());
        }
        if kind == TextKind::Windows1252 && self.declared == Some("utf-8-bom") {
            return Err(Error::input(
                path,
                "starts with a UTF-8 byte-order mark but holds bytes that are not valid UTF-8",
            )
            .at_row(line)
            .hint("re-save the file as UTF-8"));
        }
        match self.seen {
            None => {
                self.seen = Some((kind, line));
                Ok(())
            }
            Some((seen, _)) if seen == kind => Ok(()),
            Some((seen, first)) => {
                let (utf8, other) = if seen == TextKind::Utf8 {
                    (first, line)
                } else {
                    (line, first)
                };
                Err(mixed_encodings(path, utf8, other))
            }
        }
    }
}

fn mixed_encodings(path: &Path, utf8_line: usize, other_line: usize) -> Error {
    Error::input(
        path,
        format!("mixes encodings: text near line {utf8_line} is UTF-8 but near line {other_line} it is not (Windows-1252?)"),
    )
    .at_row(other_line)
    .hint("the file was probably pasted together from two exports; re-export it, or save it as UTF-8 in one go")
}

/// What `path` is when it is not a regular file (following symbolic links): a folder, a named
/// pipe, a device… An export is read twice (hashed, then parsed) and its size estimates its
/// rows; a pipe or device has neither a second reading nor an end (`/dev/zero`), and opening a
/// pipe waits for a writer. An error when `path` cannot be looked at (it does not exist).
pub fn not_a_regular_file(path: &Path) -> std::io::Result<Option<&'static str>> {
    let kind = std::fs::metadata(path)?.file_type();
    if kind.is_file() {
        return Ok(None);
    }
    if kind.is_dir() {
        return Ok(Some("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Ok(Some("a named pipe (FIFO)"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Ok(Some("a device"));
        }
        if kind.is_socket() {
            return Ok(Some("a socket"));
        }
    }
    Ok(Some("something other than a regular file"))
}

/// The error for an export that is `what` (see `not_a_regular_file`) instead of a file.
pub fn not_an_export(path: &Path, what: &str) -> Error {
    Error::input(
        path,
        format!("is {what}, not an export file: canvass reads exports only from regular files"),
    )
    .hint(
        "name the export file itself; to read data from a pipe or device, save it to a file first",
    )
}

/// Reads up to `HEAD_BYTES`, enough to tell the format and delimiter; refuses an empty file.
fn read_head(path: &Path, reader: &mut Box<dyn Read + Send>) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    reader
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    if head.is_empty() {
        return Err(
            Error::input(path, "is empty").hint("re-download the export from the survey tool")
        );
    }
    Ok(head)
}

/// A hasher fed with `bytes`, unless checksums are off.
fn checksum(options: &ReadOptions, bytes: &[u8]) -> Option<Sha256> {
    (!options.without_checksum).then(|| {
        let mut hasher = Sha256::new();
        hasher.update(bytes);
        hasher
    })
}

/// A text export's opening bytes with their encoding settled, ready to be split.
struct TextHead {
    /// The rest of the file (empty once a UTF-16 file has been read whole).
    reader: Box<dyn Read + Send>,
    bytes: Vec<u8>,
    /// Where the text begins: past a UTF-8 BOM.
    start: usize,
    declared: Option<&'static str>,
    /// The checksum of the file's bytes read so far (`None` when checksums are off).
    hasher: Option<Sha256>,
}

impl TextHead {
    /// UTF-16 is read whole and transcoded up front, since the splitter scans bytes as UTF-8
    /// or Windows-1252; its checksum is of the original bytes.
    fn decode(
        path: &Path,
        mut reader: Box<dyn Read + Send>,
        mut head: Vec<u8>,
        options: &ReadOptions,
    ) -> Result<TextHead> {
        let mut hasher = checksum(options, &head);
        let mut declared = None;
        let mut start = 0;
        let utf16 = head.starts_with(b"\xFF\xFE")
            || head.starts_with(b"\xFE\xFF")
            || text::looks_like_utf16(&head).is_some();
        if utf16 {
            reader
                .read_to_end(&mut head)
                .map_err(|e| Error::io(path, e))?;
            hasher = checksum(options, &head);
            if let Some((text, encoding)) = text::decode_utf16(path, &head)? {
                declared = Some(encoding);
                head = text.into_bytes();
                reader = Box::new(std::io::empty());
            }
        } else if head.starts_with(b"\xEF\xBB\xBF") {
            declared = Some("utf-8-bom");
            start = 3;
        }
        Ok(TextHead {
            reader,
            bytes: head,
            start,
            declared,
            hasher,
        })
    }
}

/// The header rows of the detected layout, checked (present; a repeated name told apart) and
/// annotated from a REDCap data dictionary when one is given.
fn check_layout(
    path: &Path,
    format: Format,
    grid: &Grid,
    options: &ReadOptions,
) -> Result<(usize, Vec<RawColumn>)> {
    let (header_rows, mut columns) = super::layout::layout(format, grid);
    if grid.rows.len() < header_rows || columns.is_empty() {
        return Err(Error::input(
            path,
            format!("has no header row (read as {})", format.name()),
        )
        .hint("check that this is the export file and not an empty download"));
    }
    super::name_repeated_columns(&mut columns);
    if let Some(dictionary) = &options.dictionary {
        let d = super::redcap::read_dictionary(dictionary)?;
        d.check_describes(dictionary, path, &columns)?;
        d.annotate(&mut columns);
    } else if format == Format::Redcap && !super::redcap::is_dictionary(&columns) {
        // A REDCap project's first field is always its record id.
        columns[0].identifier = true;
    }
    Ok((header_rows, columns))
}

/// Refuses a cell longer than `MAX_CELL_BYTES`, naming its column (by its number where the
/// header gives it no name, or for a header row itself).
fn check_cell_sizes(
    path: &Path,
    columns: &[RawColumn],
    line: usize,
    record: &Record,
) -> Result<()> {
    if record.text_len() <= MAX_CELL_BYTES {
        return Ok(());
    }
    let Some(i) = record.iter().position(|f| f.len() > MAX_CELL_BYTES) else {
        return Ok(());
    };
    let column = match columns.get(i) {
        Some(c) if !c.name.is_empty() => c.name.clone(),
        _ => format!("#{}", i + 1),
    };
    Err(Error::input(
        path,
        format!(
            "has a cell of {} MB; survey answers are never this long",
            record.bytes(i).len() >> 20
        ),
    )
    .at_row(line)
    .at_column(column)
    .hint("the file is damaged or is not a survey export; re-export it"))
}

/// Pads short rows (Excel drops trailing empty cells); a row with more non-empty cells than the
/// header is an error, because its values cannot be assigned to questions.
fn fit_width(path: &Path, width: usize, line: usize, record: &mut Record) -> Result<()> {
    if record.len() > width {
        if let Some(extra) = record.iter().skip(width).position(|c| !c.trim().is_empty()) {
            return Err(Error::input(
                path,
                format!(
                    "this row has {} cells but the header names {width} columns",
                    record.len()
                ),
            )
            .at_row(line)
            .at_column(format!("#{}", width + extra + 1))
            .hint("the row has more values than questions; check for an unquoted delimiter"));
        }
        record.truncate(width);
    }
    while record.len() < width {
        record.push_field("");
    }
    Ok(())
}

/// Decides how a chunk decodes, with the line of its first non-ASCII byte.
fn classify(path: &Path, chunk: &Chunk) -> Result<Decoding> {
    let bytes = &chunk.bytes;
    // NUL is ASCII, so it is looked for first.
    if let Some(at) = memchr(0, bytes) {
        let line = chunk.first_line + newlines(&bytes[..at]);
        return Err(not_text(path, line, "holds NUL bytes"));
    }
    if bytes.is_ascii() {
        return Ok((TextKind::Ascii, chunk.first_line));
    }
    let mut rest = &bytes[..];
    let mut multibyte_at = None;
    let mut invalid_at = None;
    loop {
        let (valid, next) = match std::str::from_utf8(rest) {
            Ok(_) => (rest, None),
            Err(e) => {
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                invalid_at.get_or_insert(bytes.len() - rest.len() + e.valid_up_to());
                (&rest[..e.valid_up_to()], Some(e.valid_up_to() + skip))
            }
        };
        if multibyte_at.is_none() {
            if let Some(i) = valid.iter().position(|b| !b.is_ascii()) {
                multibyte_at = Some(bytes.len() - rest.len() + i);
            }
        }
        match next {
            None => break,
            Some(n) => rest = &rest[n..],
        }
    }
    let line = |at: usize| chunk.first_line + newlines(&bytes[..at]);
    if let Some(w) = invalid_at {
        if let Some(what) = unlike_windows_1252(bytes) {
            return Err(not_text(path, line(w), what));
        }
    }
    match (multibyte_at, invalid_at) {
        (Some(u), None) => Ok((TextKind::Utf8, line(u))),
        (None, Some(w)) => Ok((TextKind::Windows1252, line(w))),
        // Exports pasted together from two files differ line by line; both on one line is
        // what bytes of another encoding (or none) look like.
        (Some(u), Some(w)) if line(u) == line(w) => Err(not_text(
            path,
            line(w),
            "holds bytes that are neither UTF-8 nor Windows-1252 text",
        )),
        (Some(u), Some(w)) => Err(mixed_encodings(path, line(u), line(w))),
        (None, None) => Ok((TextKind::Ascii, chunk.first_line)),
    }
}

/// Why bytes that are not UTF-8 are not Windows-1252 text either, if they are not: control
/// characters that text never holds (tab, line breaks, form feed and the vertical tab Excel
/// writes for a line break in a cell apart), or more non-ASCII bytes than text in a Western
/// European language has (Cyrillic, Greek or East Asian encodings, or binary data).
fn unlike_windows_1252(bytes: &[u8]) -> Option<&'static str> {
    let (mut controls, mut high) = (0, 0);
    for &b in bytes {
        controls += usize::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C));
        high += usize::from(b >= 0x80);
    }
    if controls >= 4 && controls * 100 > bytes.len() {
        Some("holds control characters that text does not")
    } else if high * 10 > bytes.len() * 3 {
        Some("holds bytes that are neither UTF-8 nor Windows-1252 text")
    } else {
        None
    }
}

/// A file that is not delimited text in an encoding canvass reads, saying what was expected.
fn not_text(path: &Path, line: usize, what: &str) -> Error {
    let e = Error::input(
        path,
        format!(
            "is not a text export: it {what} (a binary file, or text in an encoding canvass \
             does not read); expected CSV or TSV text in UTF-8, UTF-16 or Windows-1252, an \
             XLSX, XLS or ODS workbook, or JSON"
        ),
    )
    .hint(
        "download the responses from the survey tool again as CSV or Excel (XLSX); text in \
         another encoding can be saved as UTF-8 (\"CSV UTF-8\" in a spreadsheet program)",
    );
    // Line 1 of a binary file says nothing; further down, it points at the damage.
    if line > 1 {
        e.at_row(line)
    } else {
        e
    }
}

fn parse_chunk(
    path: &Path,
    chunk: &Chunk,
    kind: TextKind,
    delimiter: u8,
    each: impl FnMut(usize, &mut Record) -> Result<()>,
) -> Result<()> {
    match kind {
        TextKind::Windows1252 => {
            // Not UTF-8: Excel on Windows writes the ANSI code page, which is Windows-1252 for
            // the English-speaking and Western European locales these tools export in.
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&chunk.bytes);
            parse_records(path, text.as_bytes(), chunk.first_line, delimiter, each)
        }
        _ => parse_records(path, &chunk.bytes, chunk.first_line, delimiter, each),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<RawRow>> {
        let mut s = ExportStream::from_bytes(
            Path::new("x.csv"),
            text.as_bytes().to_vec(),
            &ReadOptions::default(),
        )?;
        let mut out = Vec::new();
        while let Some(batch) = s.next_batch(|line, r| (line, r.clone().into_owned()))? {
            out.extend(batch.into_iter().flatten());
        }
        Ok(out)
    }

    /// The checksum covers the whole file however far it was read, and is skipped on request.
    /// Expected: `sha2::Sha256` of the same bytes, computed independently here.
    #[test]
    fn checksum_covers_the_file_unless_skipped() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("{i},\"a\"\"b\",x\n").into_bytes())
            .collect();
        let checksum = |without_checksum: bool, read_all: bool| {
            let options = ReadOptions {
                without_checksum,
                ..ReadOptions::default()
            };
            let mut s =
                ExportStream::from_bytes(Path::new("x.csv"), text.clone(), &options).unwrap();
            if read_all {
                while s.next_batch(|_, _| ()).unwrap().is_some() {}
            }
            s.finish().unwrap().sha256
        };
        let expected = super::super::hex(&Sha256::digest(&text));
        assert_eq!(checksum(false, true), expected);
        assert_eq!(checksum(false, false), expected);
        assert_eq!(checksum(true, true), "");
        assert_eq!(checksum(true, false), "");
    }

    #[test]
    fn encodings_are_named_and_nul_bytes_refused() {
        let encoding = |bytes: &[u8]| {
            let mut s = ExportStream::from_bytes(
                Path::new("x.csv"),
                bytes.to_vec(),
                &ReadOptions::default(),
            )
            .unwrap();
            while s.next_batch(|_, _| ()).unwrap().is_some() {}
            s.finish().unwrap().encoding
        };
        assert_eq!(encoding(b"\xEF\xBB\xBFa,b\n1,2\n"), "utf-8-bom");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb\n1\t2\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(encoding(&utf16), "utf-16le");
        assert_eq!(encoding(b"q\ncaf\xE9\n"), "windows-1252");
        let e = ExportStream::from_bytes(
            Path::new("x.csv"),
            b"a\0b".to_vec(),
            &ReadOptions::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("NUL bytes"), "{e}");
    }

    #[test]
    fn unclosed_quote_is_an_error_with_its_row() {
        let e = rows("a,b\n1,\"oops\n2,3\n").unwrap_err().to_string();
        assert!(e.contains("never closed") && e.contains("row 2"), "{e}");
    }

    #[test]
    fn keeps_line_numbers_of_multiline_records() {
        let lines = |t: &str| -> Vec<usize> { rows(t).unwrap().iter().map(|r| r.0).collect() };
        assert_eq!(lines("a,b\n\"x\ny\",1\nz,2\n"), vec![2, 4]);
        assert_eq!(
            lines("a,b\r\n\"x\r\ny\",1\r\nz,2\r\n"),
            vec![2, 4],
            "CRLF, as Excel writes it"
        );
        assert_eq!(
            lines("a,b\r\"x\ry\",1\rz,2\r"),
            vec![2, 4],
            "CR only, as old Mac programs write it"
        );
        assert_eq!(lines("a,b\n1,2\r\n3,4\r5,6\n"), vec![2, 3, 4], "mixed");
    }

    #[test]
    fn chunks_cut_only_between_records() {
        // Quoted newlines, escaped quotes and a literal quote inside an unquoted field, across
        // several chunks: every record must come back whole, with its line.
        let mut text = String::from("id,comment\n");
        let mut line = 2;
        let mut expected = Vec::new();
        for i in 0..(CHUNK_ROWS * 2 + 7) {
            let (cell, written, lines) = match i % 4 {
                0 => ("two\nlines".to_string(), "\"two\nlines\"".to_string(), 2),
                1 => (
                    "say \"hi\"".to_string(),
                    "\"say \"\"hi\"\"\"".to_string(),
                    1,
                ),
                2 => ("5\" screen".to_string(), "5\" screen".to_string(), 1),
                _ => (format!("plain {i}"), format!("plain {i}"), 1),
            };
            text.push_str(&format!("{i},{written}\n"));
            expected.push((line, i.to_string(), cell));
            line += lines;
        }
        let got: Vec<(usize, String, String)> = rows(&text)
            .unwrap()
            .into_iter()
            .map(|(l, r)| (l, r[0].to_string(), r[1].to_string()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn windows_1252_is_decoded_and_mixed_encodings_refused() {
        let mut latin = b"q\n".to_vec();
        latin.extend(std::iter::repeat_n(b"ok\n".as_slice(), CHUNK_ROWS * 2).flatten());
        latin.extend(b"caf\xE9\n");
        let mut s =
            ExportStream::from_bytes(Path::new("x.csv"), latin.clone(), &ReadOptions::default())
                .unwrap();
        let mut last = String::new();
        while let Some(b) = s.next_batch(|_, r| r[0].to_string()).unwrap() {
            last = b.into_iter().flatten().last().unwrap_or(last);
        }
        assert_eq!(last, "café");
        assert_eq!(s.finish().unwrap().encoding, "windows-1252");

        let mut mixed = b"q\ncaf\xC3\xA9\n".to_vec();
        mixed.extend(std::iter::repeat_n(b"ok\n".as_slice(), CHUNK_ROWS * 2).flatten());
        mixed.extend(b"caf\xE9\n");
        let e = rows(&String::from_utf8_lossy(&mixed)).map(|_| ());
        assert!(e.is_ok(), "lossy text is valid UTF-8");
        let mut s =
            ExportStream::from_bytes(Path::new("x.csv"), mixed, &ReadOptions::default()).unwrap();
        let e = loop {
            match s.next_batch(|_, _| ()) {
                Err(e) => break e.to_string(),
                Ok(None) => panic!("mixed encodings accepted"),
                Ok(Some(_)) => {}
            }
        };
        assert!(e.contains("mixes encodings") && e.contains("line 2"), "{e}");
    }
}
