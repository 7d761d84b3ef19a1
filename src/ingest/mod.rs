//! Ingest: an export file as the tool wrote it → a `ResponseTable` with identifiers removed.
//!
//! Two steps, both usable alone: `read_export` gives the raw grid with the detected layout (what
//! `inspect` shows); `into_responses` applies the column roles, hashes the respondent key and
//! drops identifier columns, so nothing identifying travels further down the pipeline.

pub mod detect;
pub mod json;
mod layout;
pub mod limits;
pub mod pseudonym;
pub mod record;
pub mod redcap;
pub mod roles;
mod sheet_size;
pub mod sheets;
mod split;
pub mod stream;
pub mod text;

pub use pseudonym::Pseudonyms;
pub use record::Record;
pub use split::CHUNK_ROWS;
pub use stream::ExportStream;

use crate::error::{Error, Result};
use crate::model::{Cells, Column, ColumnRole, Format, Response, ResponseTable, Row, SourceInfo};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Cells of a file with the line (CSV) or row (sheet) each record started on.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    /// Records in file order, header rows included.
    pub rows: Vec<GridRow>,
}

/// One record of a file: where it started and its cells, as text.
#[derive(Debug, Clone)]
pub struct GridRow {
    /// 1-based line (CSV) or row (sheet) the record started on: what errors and exclusions.csv
    /// cite.
    pub line: usize,
    /// The record's cells, decoded to UTF-8, untrimmed.
    pub cells: Vec<String>,
}

impl Grid {
    /// Appends the record that started on `line`.
    pub fn push(&mut self, line: usize, cells: Vec<String>) {
        self.rows.push(GridRow { line, cells });
    }
}

/// A column as the header rows describe it, before roles are assigned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawColumn {
    /// The column id from the first header row (e.g. `Q1_2`).
    pub name: String,
    /// The question text from the tool's question header row (or data dictionary).
    pub question: String,
    /// Qualtrics' ImportId (`QID1_2`) from the third header row, where present.
    pub import_id: Option<String>,
    /// Marked as identifying by the tool itself (a REDCap data dictionary's `Identifier?`, a
    /// REDCap project's record id), whatever its name.
    pub identifier: bool,
    /// The answer options (code, label) where the tool defines them (REDCap's dictionary).
    pub choices: Vec<(String, String)>,
    /// The header's own name when it repeats an earlier column's (`Q5` for the column told
    /// apart as `Q5 (2)`), so the user can be told once which columns were renamed.
    pub repeats: Option<String>,
    /// The role the tool's layout gives the column by its place, whatever its header says
    /// (Microsoft Forms writes its id, times, e-mail and name first, in the form's language).
    pub tool_role: Option<crate::model::ColumnRole>,
    /// The tool's header marks the column as one answer chosen from options it offered
    /// (SurveyMonkey's "Response" under a multiple-choice or dropdown question, where a text box
    /// has "Open-Ended Response"): numbers in it are the options' labels, not amounts typed.
    pub closed: bool,
    /// The tool's header marks the column as a text box (SurveyMonkey's "Open-Ended Response"):
    /// what respondents typed, however often the same words recur ("the South", a job title).
    pub open: bool,
}

/// An export read and laid out, but not yet stripped of identifiers.
#[derive(Debug, Clone)]
pub struct RawExport {
    /// The file read: path, SHA-256, format, encoding, delimiter, header rows.
    pub source: SourceInfo,
    /// Every column, identifiers included, in file order.
    pub columns: Vec<RawColumn>,
    /// Data rows, each with exactly `columns.len()` cells.
    pub rows: Vec<GridRow>,
}

/// What to read and how.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The workbook sheet to read, by name; `None` for the first sheet. An error for a CSV export.
    pub sheet: Option<String>,
    /// A REDCap data dictionary for the export: question labels, answer options and the
    /// project's own identifier flags.
    pub dictionary: Option<std::path::PathBuf>,
    /// Overrides format detection.
    pub format: Option<Format>,
    /// Skips the file's SHA-256 (then `SourceInfo::sha256` is empty): for commands that
    /// never show it, such as `canvass score`, and for `canvass run`, which hashed the file
    /// for its stage keys and checks after the read that it did not change.
    pub without_checksum: bool,
    /// How far into the file (in bytes of delimited text) reading has got, the furthest of any
    /// read with these options (the reader thread raises it), for a progress display that
    /// polls it; the library never shows it.
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl ReadOptions {
    /// Detect the format; read the named sheet of a workbook (the first when `None`), with the
    /// export's REDCap data dictionary if there is one.
    pub fn new(sheet: Option<String>, dictionary: Option<std::path::PathBuf>) -> ReadOptions {
        ReadOptions {
            sheet,
            dictionary,
            format: None,
            without_checksum: false,
            bytes_read: None,
        }
    }
}

/// How to turn a raw export into responses.
#[derive(Debug, Clone, Default)]
pub struct ResponseOptions {
    /// The column that identifies a respondent; the tool's response id when absent.
    pub key_column: Option<String>,
    /// Extra columns to drop as identifiers.
    pub identifier_columns: Vec<String>,
    /// Columns that look identifying but that the survey analyses on purpose
    /// (`allow_identifying = true` on its item, segment or open question).
    pub allowed_identifying: Vec<String>,
    /// How key values become respondent ids (keyed by the project's secret in a run; the
    /// standalone commands' fixed key by default, for commands that publish no id).
    pub ids: Pseudonyms,
}

/// Reads an export file (text or workbook), detects the tool and lays out its header rows.
pub fn read_export(path: &Path, options: &ReadOptions) -> Result<RawExport> {
    collect_raw(ExportStream::open(path, options)?, usize::MAX)
}

/// As `read_export`, for bytes already in memory (`path` names them in messages).
pub fn read_export_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<RawExport> {
    collect_raw(ExportStream::from_bytes(path, bytes, options)?, usize::MAX)
}

/// The header and the first `rows` data rows (at least; whole batches are read) of an export:
/// enough to infer an instrument without holding a large file in memory.
pub fn read_export_sample(path: &Path, options: &ReadOptions, rows: usize) -> Result<RawExport> {
    collect_raw(ExportStream::open(path, options)?, rows)
}

fn collect_raw(mut stream: ExportStream, limit: usize) -> Result<RawExport> {
    let mut rows = Vec::new();
    while rows.len() < limit {
        let Some(batch) = stream.next_batch(|line, record| GridRow {
            line,
            cells: record.iter().map(str::to_string).collect(),
        })?
        else {
            break;
        };
        rows.extend(batch.into_iter().flatten());
    }
    let columns = stream.columns.clone();
    Ok(RawExport {
        source: stream.finish()?,
        columns,
        rows,
    })
}

/// A column name the header gives again (a questionnaire that asks the same question twice, a
/// tool that repeats a grid's header text) is told apart by its occurrence: the second `Q5`
/// becomes `Q5 (2)`, so every column can be named in a survey file and none is refused or lost.
pub(crate) fn name_repeated_columns(columns: &mut [RawColumn]) {
    let mut taken: std::collections::HashSet<String> =
        columns.iter().map(|c| c.name.clone()).collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for c in columns.iter_mut().filter(|c| !c.name.is_empty()) {
        let n = seen.entry(c.name.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            continue;
        }
        let mut k = *n;
        let mut name = format!("{} ({k})", c.name);
        // A header that already holds "Q5 (2)" keeps it; this one takes the next number.
        while taken.contains(&name) {
            k += 1;
            name = format!("{} ({k})", c.name);
        }
        taken.insert(name.clone());
        c.repeats = Some(std::mem::replace(&mut c.name, name));
    }
}

/// What a user is told when a file's spelt-out blanks are read as blanks.
pub fn missing_note(source: &SourceInfo) -> Option<String> {
    source.missing.as_ref().map(|m| {
        format!("every cell `{m}` is read as a blank: the file spells out each missing value so, as R's write.csv does, and leaves no cell empty")
    })
}

/// One sentence naming the columns whose header repeated an earlier one and the names they
/// were given (`None` when no name repeats), for `inspect` and `init` to say once.
pub fn repeated_names_note(columns: &[RawColumn]) -> Option<String> {
    let renamed: Vec<String> = columns
        .iter()
        .filter_map(|c| {
            c.repeats
                .as_ref()
                .map(|r| format!("`{}` (again `{r}`)", c.name))
        })
        .collect();
    (!renamed.is_empty()).then(|| {
        format!(
            "{} column name(s) repeat an earlier column's, so they are told apart by their occurrence: {}",
            renamed.len(),
            renamed.join(", ")
        )
    })
}

/// How a raw row becomes a response: which cells are kept, which column is the respondent key,
/// and which values identify the respondent (to be scrubbed from their own answers).
#[derive(Debug, Clone)]
pub struct RowPlan {
    roles: Vec<ColumnRole>,
    key: Option<usize>,
    kept: Vec<usize>,
    identifiers: Vec<usize>,
    ids: Pseudonyms,
    /// The declared key column, when its ids are the same in every wave (a person's key).
    panel_key: Option<String>,
}

impl RowPlan {
    /// Plans how `columns` become responses: assigns each column a role (identifier, metadata,
    /// answer), finds the respondent key column and the identifying columns whose values are
    /// scrubbed from answers. Errors name the export (`path`) and the key column a survey asks for
    /// that it lacks.
    pub fn new(
        path: &Path,
        format: Format,
        columns: &[RawColumn],
        options: &ResponseOptions,
    ) -> Result<RowPlan> {
        let roles: Vec<ColumnRole> = columns
            .iter()
            .map(|c| {
                roles::column_role(
                    format,
                    c,
                    &options.identifier_columns,
                    &options.allowed_identifying,
                )
            })
            .collect();
        let key = match &options.key_column {
            Some(k) => Some(
                columns
                    .iter()
                    .position(|c| &c.name == k || c.import_id.as_deref() == Some(k))
                    .ok_or_else(|| {
                        Error::input(path, format!("has no column `{k}`, named as the respondent key"))
                            .hint("fix `respondent.key` in the survey file, or remove it to use the tool's response id")
                    })?,
            ),
            None => roles::default_key(format, columns),
        };
        let (identifiers, kept) =
            (0..columns.len()).partition(|&i| roles[i] == ColumnRole::Identifier || Some(i) == key);
        // Waves are paired only on a column a person keeps: never on the tool's own response
        // ids, numbered afresh in each export, nor on row numbers.
        let person_key = key
            .filter(|_| options.key_column.is_some() && options.ids.across_waves())
            .filter(|&k| !roles::is_per_export_id(format, columns, k));
        let ids = match person_key {
            Some(_) => options.ids.clone(),
            None => options.ids.for_one_wave(),
        };
        Ok(RowPlan {
            roles,
            key,
            kept,
            identifiers,
            ids,
            panel_key: person_key.map(|k| columns[k].name.clone()),
        })
    }

    /// The key column that pairs respondents across waves: the survey's declared key when it is
    /// a column a person keeps (not the tool's per-export response id). `None`: ids are this
    /// wave's alone.
    pub fn panel_key(&self) -> Option<&str> {
        self.panel_key.as_deref()
    }

    /// The kept columns, with their roles.
    pub fn columns(&self, raw: &[RawColumn]) -> Vec<Column> {
        self.kept
            .iter()
            .map(|&i| Column {
                name: raw[i].name.clone(),
                question: raw[i].question.clone(),
                import_id: raw[i].import_id.clone(),
                role: self.roles[i],
            })
            .collect()
    }

    /// Names of the columns dropped as identifiers.
    pub fn dropped(&self, raw: &[RawColumn]) -> Vec<String> {
        self.identifiers
            .iter()
            .map(|&i| raw[i].name.clone())
            .collect()
    }

    /// The respondent key of one row, given its cells by column index: the first 64 bits of
    /// the HMAC-SHA-256 of the key column's value (lower-cased) under the project's secret
    /// (`Pseudonyms`), or of the row number when the row has no usable value. `key_hex` spells
    /// it as `Response::key` does.
    pub fn key<'a>(&self, line: usize, cell: impl Fn(usize) -> &'a str) -> u64 {
        let value = self.key.map_or("", |k| crate::model::trim_cell(cell(k)));
        if value.is_empty() || is_excel_mangled_number(value) {
            self.ids.of_row(line)
        } else if value.is_ascii() && value.len() <= 64 {
            // The usual ids (`R_2Ck…`, `123`): lower-cased on the stack.
            let mut buf = [0u8; 64];
            let buf = &mut buf[..value.len()];
            buf.copy_from_slice(value.as_bytes());
            buf.make_ascii_lowercase();
            self.ids.of_value(buf)
        } else if value.chars().any(char::is_uppercase) {
            self.ids.of_value(value.to_lowercase().as_bytes())
        } else {
            self.ids.of_value(value.as_bytes())
        }
    }

    /// The response for one row, given its cells by column index.
    pub fn response<'a>(&self, line: usize, cell: impl Fn(usize) -> &'a str) -> Response {
        let key = key_hex(self.key(line, &cell));
        let own = self.own_identifiers(&cell);
        let bytes = self.kept.iter().map(|&i| cell(i).len()).sum();
        let mut values = Cells::with_capacity(bytes, self.kept.len());
        for &i in &self.kept {
            match self.roles[i] {
                // Most exports carry no identifying value in a row, and there is nothing to scrub.
                ColumnRole::Answer if !own.is_empty() => {
                    values.push(&roles::scrub_own_identifiers(cell(i), &own))
                }
                _ => values.push(cell(i)),
            }
        }
        Response {
            row: line,
            key,
            values,
        }
    }

    /// The row's own identifying values (name, e-mail …), to be scrubbed from its answers.
    fn own_identifiers<'a>(&self, cell: impl Fn(usize) -> &'a str) -> Vec<&'a str> {
        self.identifiers
            .iter()
            .map(|&i| cell(i).trim())
            .filter(|v| roles::is_redactable_value(v))
            .collect()
    }
}

/// A data row still in the reader's buffer, seen through a `RowPlan`: its kept cells by kept
/// column index (identifier columns are not reachable), its respondent key, and the `Response`
/// it would become, so a consumer that needs only a few cells of each row builds nothing.
pub struct RowView<'a> {
    line: usize,
    record: &'a Record<'a>,
    plan: &'a RowPlan,
    /// Hashed once, however many stages ask (clean for duplicates, the runner for the rows).
    key: std::cell::OnceCell<u64>,
    /// The row's own identifying values, found once for all its scrubbed cells (a scorer asks
    /// for each segment's cell).
    own: std::cell::OnceCell<Vec<&'a str>>,
}

impl RowView<'_> {
    /// The row's respondent key: the keyed hash (`RowPlan::key`) of the key column's value,
    /// lower-cased (of the row number when it is blank or mangled by Excel), as a number. Hashed
    /// once however often it is asked.
    pub fn key(&self) -> u64 {
        *self
            .key
            .get_or_init(|| self.plan.key(self.line, |i| &self.record[i]))
    }

    /// The row as an owned response: kept cells only, answers scrubbed of the row's own identifying
    /// values.
    pub fn to_response(&self) -> Response {
        self.plan.response(self.line, |i| &self.record[i])
    }
}

impl Row for RowView<'_> {
    fn line(&self) -> usize {
        self.line
    }

    #[inline]
    fn value(&self, i: usize) -> &str {
        &self.record[self.plan.kept[i]]
    }

    #[inline]
    fn value_bytes(&self, i: usize) -> &[u8] {
        self.record.bytes(self.plan.kept[i])
    }

    /// As `to_response` would hold the cell.
    fn scrubbed(&self, i: usize) -> Cow<'_, str> {
        let cell = &self.record[self.plan.kept[i]];
        if self.plan.roles[self.plan.kept[i]] != ColumnRole::Answer {
            return Cow::Borrowed(cell);
        }
        // An answer without a letter is never scrubbed (`roles::scrub_own_identifiers` leaves
        // it as it is): a code or a figure, for which the row's identifying values need not be
        // gathered.
        if !cell.chars().any(char::is_alphabetic) {
            return Cow::Borrowed(cell);
        }
        let own = self
            .own
            .get_or_init(|| self.plan.own_identifiers(|c| &self.record[c]));
        if own.is_empty() {
            return Cow::Borrowed(cell);
        }
        roles::scrub_own_identifiers(cell, own)
    }
}

/// Assigns column roles, hashes the respondent key, scrubs each row's own identifying values from
/// its answers, and drops the identifier columns.
pub fn into_responses(
    path: &Path,
    raw: RawExport,
    options: &ResponseOptions,
) -> Result<ResponseTable> {
    let plan = RowPlan::new(path, raw.source.format, &raw.columns, options)?;
    let responses = raw
        .rows
        .iter()
        .map(|row| plan.response(row.line, |i| row.cells[i].as_str()))
        .collect();
    Ok(ResponseTable {
        columns: plan.columns(&raw.columns),
        dropped_identifiers: plan.dropped(&raw.columns),
        source: raw.source,
        responses,
    })
}

/// An export read batch by batch as responses, identifiers removed: what the streaming
/// ingest → clean → score path consumes.
pub struct ResponseStream {
    export: ExportStream,
    plan: RowPlan,
    /// The kept columns (metadata and answers), in file order.
    pub columns: Vec<Column>,
    /// Names of the identifier columns read and dropped (the manifest lists them).
    pub dropped_identifiers: Vec<String>,
    /// How it was opened, to read the file again from the start (`reopen`).
    source: (PathBuf, ReadOptions, ResponseOptions),
}

impl ResponseStream {
    /// Opens an export for reading as responses: reads the header rows and plans the rows by
    /// `options`. Errors name the export and, where it is one row's, the row.
    pub fn open(path: &Path, read: &ReadOptions, options: &ResponseOptions) -> Result<Self> {
        let export = ExportStream::open(path, read)?;
        let plan = RowPlan::new(path, export.format, &export.columns, options)?;
        Ok(ResponseStream {
            columns: plan.columns(&export.columns),
            dropped_identifiers: plan.dropped(&export.columns),
            export,
            plan,
            source: (path.to_path_buf(), read.clone(), options.clone()),
        })
    }

    /// The survey tool that wrote the export (detected, or as the survey says).
    pub fn format(&self) -> Format {
        self.export.format
    }

    /// The key column that pairs this export's respondents with another wave's (`RowPlan::panel_key`).
    pub fn panel_key(&self) -> Option<&str> {
        self.plan.panel_key()
    }

    /// About how many data rows the export holds (see `ExportStream::estimated_rows`).
    pub fn estimated_rows(&self) -> usize {
        self.export.estimated_rows
    }

    /// The export's file.
    pub fn path(&self) -> &Path {
        &self.source.0
    }

    /// The same export from its first row again (for a second pass over a large file).
    pub fn reopen(&self) -> Result<Self> {
        let (path, read, options) = &self.source;
        Self::open(path, read, options)
    }

    /// The next batch of responses, one vector per chunk of rows, in file order.
    pub fn next_batch(&mut self) -> Result<Option<Vec<Vec<Response>>>> {
        self.next_batch_fold(Vec::new, |rows, r| {
            rows.push(r.to_response());
            Ok(())
        })
    }

    /// The next batch folded chunk by chunk (see `ExportStream::next_batch_fold`), each row
    /// seen as a `RowView`: nothing is built per row unless `fold` builds it.
    pub fn next_batch_fold<A: Send>(
        &mut self,
        init: impl Fn() -> A + Sync,
        fold: impl Fn(&mut A, &RowView) -> Result<()> + Sync,
    ) -> Result<Option<Vec<A>>> {
        let plan = &self.plan;
        self.export.next_batch_fold(init, |acc, line, record| {
            fold(
                acc,
                &RowView {
                    line,
                    record,
                    plan,
                    key: Default::default(),
                    own: Default::default(),
                },
            )
        })
    }

    /// Reads the rest of the file for its checksum and returns its facts.
    pub fn finish(self) -> Result<SourceInfo> {
        self.export.finish()
    }
}

/// Reads an export and returns its responses, identifiers removed.
pub fn ingest(
    path: &Path,
    read: &ReadOptions,
    responses: &ResponseOptions,
) -> Result<ResponseTable> {
    let mut stream = ResponseStream::open(path, read, responses)?;
    let mut rows = Vec::new();
    while let Some(batch) = stream.next_batch()? {
        rows.extend(batch.into_iter().flatten());
    }
    let (columns, dropped_identifiers) =
        (stream.columns.clone(), stream.dropped_identifiers.clone());
    Ok(ResponseTable {
        source: stream.finish()?,
        columns,
        dropped_identifiers,
        responses: rows,
    })
}

/// An id that Excel rewrote in scientific notation (`1.14628E+11`) when the export was opened
/// and saved: its digits are lost, so different respondents share it. Such a value cannot tell
/// respondents apart, and using it would wrongly exclude them as duplicates.
fn is_excel_mangled_number(v: &str) -> bool {
    if !v.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let Some((mantissa, exponent)) = v.split_once(['E', 'e']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.strip_prefix('+').is_some_and(digits)
}

/// A 64-bit respondent key (`RowPlan::key`) as 16 hex digits, as `Response::key` holds it.
pub fn key_hex(key: u64) -> String {
    hex(&key.to_be_bytes())
}

/// Lower-case hexadecimal, without a formatting call per byte (it runs once per response).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn identifiers_are_dropped_and_scrubbed_from_answers() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "e.csv",
            "ResponseId,RecipientEmail,RecipientLastName,Q1,Q2\n\
             R_1,ann@school.org,Okafor,Agree,Ask Mrs Okafor or ann@school.org\n",
        );
        let opts = ResponseOptions {
            key_column: Some("ResponseId".into()),
            ..Default::default()
        };
        let t = ingest(&p, &ReadOptions::default(), &opts).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Q1", "Q2"]);
        assert_eq!(&t.responses[0].values[1], "Ask Mrs [name] or [name]");
        // The key is the first 16 hex digits of the keyed hash of the lower-cased id, never its
        // plain SHA-256 (anyone could compute that from the id).
        assert_eq!(t.responses[0].key, key_hex(opts.ids.of_value(b"r_1")));
        assert_ne!(t.responses[0].key, hex(&Sha256::digest(b"r_1")[..8]));
        assert!(t.dropped_identifiers.contains(&"ResponseId".to_string()));
    }

    #[test]
    fn only_a_declared_person_key_pairs_waves() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "e.csv",
            "ResponseId,RecipientEmail,Q1\nR_1,Ann@School.org,Agree\n,,Agree\n",
        );
        let secret = [3u8; 32];
        let read = |key: Option<&str>, wave: &str| {
            let opts = ResponseOptions {
                key_column: key.map(str::to_string),
                ids: Pseudonyms::new(&secret, wave, true),
                ..Default::default()
            };
            let stream = ResponseStream::open(&p, &ReadOptions::default(), &opts).unwrap();
            let panel = stream.panel_key().map(str::to_string);
            let t = ingest(&p, &ReadOptions::default(), &opts).unwrap();
            let keys: Vec<String> = t.responses.iter().map(|r| r.key.clone()).collect();
            (panel, keys)
        };
        let (panel, one) = read(Some("RecipientEmail"), "w1");
        let (_, two) = read(Some("RecipientEmail"), "w2");
        assert_eq!(panel.as_deref(), Some("RecipientEmail"));
        assert_eq!(one[0], two[0], "the same e-mail, the same id in both waves");
        assert_eq!(
            one[0],
            key_hex(Pseudonyms::new(&secret, "", true).of_value(b"ann@school.org"))
        );
        assert_ne!(one[1], two[1], "a row without a key value never pairs");
        // The tool's own response id, declared or not, is numbered per export: no pairing.
        for key in [Some("ResponseId"), None] {
            let (panel, one) = read(key, "w1");
            let (_, two) = read(key, "w2");
            assert_eq!(panel, None, "{key:?}");
            assert!(one.iter().zip(&two).all(|(a, b)| a != b), "{key:?}");
        }
    }

    #[test]
    fn ids_mangled_by_excel_are_not_respondent_keys() {
        assert!(is_excel_mangled_number("1.14628E+11"));
        assert!(is_excel_mangled_number("2E+5"));
        assert!(!is_excel_mangled_number("114628000000"));
        assert!(!is_excel_mangled_number("R_1E+5x"));
        assert!(!is_excel_mangled_number("E+11"));
    }

    #[test]
    fn ragged_row_with_extra_values_names_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "r.csv", "a,b\n1,2\n3,4,5\n");
        let e = read_export(&p, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 3") && e.contains("#3"), "{e}");
    }

    #[test]
    fn duplicate_column_names_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "d.csv", "a,b,a,a (2)\n1,2,3,4\n");
        let raw = read_export(&p, &ReadOptions::default()).unwrap();
        let names: Vec<&str> = raw.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "a (3)", "a (2)"]);
    }

    #[test]
    fn empty_file_is_an_input_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "empty.csv", "");
        assert!(read_export(&p, &ReadOptions::default())
            .unwrap_err()
            .to_string()
            .contains("is empty"));
    }
}
