//! Qualtrics: a row of column ids, a row of question texts and (since 2017) a row of ImportId
//! JSON; or the legacy layout, whose V1…V10 metadata columns are named in the second row.

use super::Header;
use crate::ingest::RawColumn;
use crate::model::ColumnRole;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn layout(h: &Header) -> (usize, Vec<RawColumn>) {
    // As `detect::norm` reads a header: letters and digits (and `#`), any case.
    let first: String = (h.cell(0, 0).chars())
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect();
    if first == "v1" {
        return legacy(h);
    }
    let has_import_row = h.row(2).iter().any(|c| import_id_re().is_match(c));
    let headers = if has_import_row { 3 } else { 2 };
    let cols = (0..h.width(headers))
        .map(|i| {
            let import_id = if has_import_row {
                import_id_re()
                    .captures(&h.cell(2, i))
                    .map(|c| c[1].to_string())
            } else {
                None
            };
            RawColumn {
                name: h.cell(0, i),
                question: h.cell(1, i),
                tool_role: import_id
                    .as_deref()
                    .filter(|id| is_upload_record(id))
                    .map(|_| ColumnRole::Metadata),
                import_id,
                ..Default::default()
            }
        })
        .collect();
    (headers, cols)
}

/// A file-upload question's record of the file, as Qualtrics exports it: the file's id, size
/// and type (`QID221_FILE_ID`, `_FILE_SIZE`, `_FILE_TYPE`), the tool's pointers to what was
/// uploaded, not an answer. Its `_FILE_NAME` is left to the other rules: a name someone gave
/// their file may name them.
fn is_upload_record(import_id: &str) -> bool {
    ["_FILE_ID", "_FILE_SIZE", "_FILE_TYPE"]
        .iter()
        .any(|s| import_id.ends_with(s))
}

/// Legacy layout: V1…V10 stand for metadata whose names are in row 2.
fn legacy(h: &Header) -> (usize, Vec<RawColumn>) {
    let cols = (0..h.width(2))
        .map(|i| {
            let (id, text) = (h.cell(0, i), h.cell(1, i));
            let is_v =
                id.len() > 1 && id.starts_with('V') && id[1..].chars().all(|c| c.is_ascii_digit());
            RawColumn {
                name: if is_v { text.clone() } else { id },
                question: text,
                import_id: None,
                ..Default::default()
            }
        })
        .collect();
    (2, cols)
}

fn import_id_re() -> &'static Regex {
    // expect: a literal pattern, compiled the first time any test runs it; it cannot fail at run time.
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"ImportId['"]\s*:\s*['"]([^'"]+)['"]"#).expect("static regex"))
}
