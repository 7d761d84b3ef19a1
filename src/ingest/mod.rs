//! Ingest: an export file as the tool wrote it → a `ResponseTable` with identifiers removed.
//!
//! Two steps, both usable alone: `read_export` gives the raw grid with the detected layout (what
//! `inspect` shows); `into_responses` applies the column roles, hashes the respondent key and
//! drops identifier columns, so nothing identifying travels further down the pipeline.

pub mod detect;
pub mod roles;
pub mod sheets;
pub mod text;

use crate::error::{Error, Result};
use crate::model::{Column, ColumnRole, Format, Response, ResponseTable, SourceInfo};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Cells of a file with the line (CSV) or row (sheet) each record started on.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone)]
pub struct GridRow {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Grid {
    pub fn push(&mut self, line: usize, cells: Vec<String>) {
        self.rows.push(GridRow { line, cells });
    }
}

/// A column as the header rows describe it, before roles are assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct RawColumn {
    pub name: String,
    pub question: String,
    pub import_id: Option<String>,
}

/// An export read and laid out, but not yet stripped of identifiers.
#[derive(Debug, Clone)]
pub struct RawExport {
    pub source: SourceInfo,
    pub columns: Vec<RawColumn>,
    /// Data rows, each with exactly `columns.len()` cells.
    pub rows: Vec<GridRow>,
}

/// What to read and how.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub sheet: Option<String>,
    /// Overrides format detection.
    pub format: Option<Format>,
}

impl ReadOptions {
    /// Detect the format; read the named sheet of a workbook (the first when `None`).
    pub fn sheet(sheet: Option<String>) -> ReadOptions {
        ReadOptions {
            sheet,
            format: None,
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
}

/// Reads an export file (text or workbook), detects the tool and lays out its header rows.
pub fn read_export(path: &Path, options: &ReadOptions) -> Result<RawExport> {
    read_export_bytes(path, crate::error::read_file(path)?, options)
}

/// As `read_export`, for bytes already in memory (`path` names them in messages).
pub fn read_export_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions) -> Result<RawExport> {
    let sha256 = hex(&Sha256::digest(&bytes));
    if bytes.is_empty() {
        return Err(
            Error::input(path, "is empty").hint("re-download the export from the survey tool")
        );
    }
    let (grid, encoding, delimiter) = if sheets::is_workbook(&bytes) {
        let (grid, kind) = sheets::read_sheet(path, bytes, options.sheet.as_deref())?;
        (grid, kind.to_string(), None)
    } else {
        let decoded = text::decode(path, &bytes)?;
        let delimiter = text::sniff_delimiter(&decoded.text, path);
        let grid = text::parse_delimited(path, &decoded.text, delimiter)?;
        (grid, decoded.encoding.to_string(), Some(delimiter as char))
    };
    let format = options.format.unwrap_or_else(|| detect::detect(&grid));
    let (header_rows, columns) = detect::layout(format, &grid);
    if grid.rows.len() < header_rows || columns.is_empty() {
        return Err(Error::input(
            path,
            format!("has no header row (read as {})", format.name()),
        )
        .hint("check that this is the export file and not an empty download"));
    }
    check_unique_names(path, &columns)?;
    let width = columns.len();
    let mut rows = Vec::with_capacity(grid.rows.len() - header_rows);
    for mut row in grid.rows.into_iter().skip(header_rows) {
        if row.cells.len() > width {
            if let Some(extra) = row.cells[width..].iter().position(|c| !c.trim().is_empty()) {
                return Err(Error::input(
                    path,
                    format!(
                        "this row has {} cells but the header names {width} columns",
                        row.cells.len()
                    ),
                )
                .at_row(row.line)
                .at_column(format!("#{}", width + extra + 1))
                .hint("the row has more values than questions; check for an unquoted delimiter"));
            }
            row.cells.truncate(width);
        }
        row.cells.resize(width, String::new());
        rows.push(row);
    }
    Ok(RawExport {
        source: SourceInfo {
            file: path.display().to_string(),
            sha256,
            format,
            encoding,
            delimiter,
            header_rows,
        },
        columns,
        rows,
    })
}

/// Duplicate column names would make item mapping ambiguous; name both positions.
fn check_unique_names(path: &Path, columns: &[RawColumn]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for (i, c) in columns.iter().enumerate() {
        if c.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(c.name.as_str(), i) {
            return Err(Error::input(
                path,
                format!(
                    "column name `{}` appears twice (columns {} and {})",
                    c.name,
                    first + 1,
                    i + 1
                ),
            )
            .at_column(c.name.clone())
            .hint("rename one of them in the export so every question has its own column"));
        }
    }
    Ok(())
}

/// Assigns column roles, hashes the respondent key, scrubs each row's own identifying values from
/// its answers, and drops the identifier columns.
pub fn into_responses(
    path: &Path,
    raw: RawExport,
    options: &ResponseOptions,
) -> Result<ResponseTable> {
    let roles: Vec<ColumnRole> = raw
        .columns
        .iter()
        .map(|c| roles::role_of(raw.source.format, &c.name, &options.identifier_columns))
        .collect();
    let key_index = match &options.key_column {
        Some(k) => Some(
            raw.columns
                .iter()
                .position(|c| &c.name == k || c.import_id.as_deref() == Some(k))
                .ok_or_else(|| {
                    Error::input(path, format!("has no column `{k}`, named as the respondent key"))
                        .hint("fix `respondent.key` in the survey file, or remove it to use the tool's response id")
                })?,
        ),
        None => roles::default_key(raw.source.format, &raw.columns),
    };
    let kept: Vec<usize> = (0..raw.columns.len())
        .filter(|&i| roles[i] != ColumnRole::Identifier && Some(i) != key_index)
        .collect();
    let identifiers: Vec<usize> = (0..raw.columns.len())
        .filter(|&i| roles[i] == ColumnRole::Identifier || Some(i) == key_index)
        .collect();
    let responses = raw
        .rows
        .into_iter()
        .map(|mut row| {
            let key_value = key_index
                .map(|k| row.cells[k].trim().to_lowercase())
                .unwrap_or_default();
            let key = if key_value.is_empty() {
                respondent_key(&format!("row {}", row.line))
            } else {
                respondent_key(&key_value)
            };
            let own: Vec<&str> = identifiers
                .iter()
                .map(|&i| row.cells[i].trim())
                .filter(|v| roles::is_redactable_value(v))
                .collect();
            let own: Vec<String> = own.into_iter().map(str::to_string).collect();
            let own: Vec<&str> = own.iter().map(String::as_str).collect();
            let values = kept
                .iter()
                .map(|&i| {
                    let cell = std::mem::take(&mut row.cells[i]);
                    match roles[i] {
                        ColumnRole::Answer => roles::scrub_own_identifiers(cell, &own),
                        _ => cell,
                    }
                })
                .collect();
            Response {
                row: row.line,
                key,
                values,
            }
        })
        .collect();
    let columns = kept
        .iter()
        .map(|&i| {
            let c = &raw.columns[i];
            Column {
                name: c.name.clone(),
                question: c.question.clone(),
                import_id: c.import_id.clone(),
                role: roles[i],
            }
        })
        .collect();
    Ok(ResponseTable {
        source: raw.source,
        columns,
        dropped_identifiers: identifiers
            .iter()
            .map(|&i| raw.columns[i].name.clone())
            .collect(),
        responses,
    })
}

/// Reads an export and returns its responses, identifiers removed.
pub fn ingest(
    path: &Path,
    read: &ReadOptions,
    responses: &ResponseOptions,
) -> Result<ResponseTable> {
    into_responses(path, read_export(path, read)?, responses)
}

/// A short non-reversible key: the first 16 hex digits of SHA-256.
pub fn respondent_key(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes())[..8])
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
        assert_eq!(t.responses[0].values[1], "Ask Mrs [name] or [name]");
        assert_eq!(t.responses[0].key, respondent_key("r_1"));
        assert!(t.dropped_identifiers.contains(&"ResponseId".to_string()));
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
    fn duplicate_column_names_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "d.csv", "a,b,a\n1,2,3\n");
        let e = read_export(&p, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("appears twice"), "{e}");
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
