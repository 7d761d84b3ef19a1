//! JSON exports: a list of responses, as KoboToolbox's data API (`{"results": [...]}`),
//! Qualtrics' JSON export (`{"responses": [{"responseId", "values": {...}}]}`) or a plain
//! array of objects give them. Each response becomes one row; nested groups become columns
//! named by their path (`group/question`, as Kobo names them), lists of values are joined by
//! ", " (multi-select), and lists of objects (repeat groups) are kept as their JSON text so
//! that nothing is dropped.

use super::Grid;
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// Does this look like JSON rather than delimited text? An array of objects (`[{`) or an
/// object with a key (`{"`): a CSV header such as `[Q1],[Q2]` is neither.
pub fn is_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut significant = bytes.iter().filter(|b| !b.is_ascii_whitespace());
    matches!(
        (significant.next(), significant.next()),
        (Some(b'['), Some(b'{' | b']')) | (Some(b'{'), Some(b'"' | b'}'))
    )
}

/// Reads the responses into a grid: one header row of column names, then one row per
/// response, numbered from 1 in the order of the file.
pub fn read_json(path: &Path, bytes: &[u8]) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        Error::input(path, format!("is not valid JSON: {e}"))
            .at_row(e.line())
            .hint("the download may be truncated; export it again")
    })?;
    let records = match &value {
        Value::Array(a) => a,
        Value::Object(o) => ["results", "responses", "items", "data"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array))
            .ok_or_else(|| {
                Error::input(path, "holds JSON but no list of responses")
                    .hint("expected a top-level array, or one under `results`, `responses`, `items` or `data`")
            })?,
        _ => {
            return Err(Error::input(path, "holds a single JSON value, not a list of responses"))
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<Vec<(usize, String)>> = Vec::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        let Value::Object(object) = record else {
            return Err(
                Error::input(path, format!("response {} is not a JSON object", i + 1))
                    .at_row(i + 1),
            );
        };
        let mut cells = Vec::new();
        let mut add = |name: String, text: String| {
            let next = names.len();
            let column = *index.entry(name.clone()).or_insert(next);
            if column == next {
                names.push(name);
            }
            cells.push((column, text));
        };
        // Qualtrics: the answers sit under `values`, the id beside them.
        match (object.get("values"), object.get("responseId")) {
            (Some(Value::Object(values)), Some(id)) => {
                add("responseId".into(), scalar(id));
                flatten("", values, &mut add);
            }
            _ => flatten("", object, &mut add),
        }
        rows.push(cells);
    }
    // Every response gets a cell for every key any response has: responses with keys of their
    // own would make a grid of their number squared.
    let limit = super::limits::SHEET_CELLS.value()?;
    let cells = (rows.len() as u64 + 1).saturating_mul(names.len() as u64);
    if cells > limit {
        return Err(Error::input(
            path,
            format!(
                "would make a table of {} responses × {} keys ({cells} cells), more than the limit of {limit} cells",
                rows.len(),
                names.len()
            ),
        )
        .hint(super::limits::SHEET_CELLS.hint(limit)));
    }
    let mut grid = Grid::default();
    grid.push(0, names.clone());
    for (i, cells) in rows.into_iter().enumerate() {
        let mut row = vec![String::new(); names.len()];
        for (column, text) in cells {
            row[column] = text;
        }
        grid.push(i + 1, row);
    }
    Ok(grid)
}

fn flatten(prefix: &str, object: &Map<String, Value>, add: &mut impl FnMut(String, String)) {
    for (key, value) in object {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}/{key}")
        };
        match value {
            Value::Object(inner) => flatten(&name, inner, add),
            Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
                let parts: Vec<String> = items.iter().map(scalar).collect();
                add(name, parts.join(", "));
            }
            Value::Array(_) => add(name, value.to_string()),
            _ => add(name, scalar(value)),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_told_from_csv_headers_in_brackets() {
        assert!(is_json(b"\xEF\xBB\xBF [ {\"a\": 1}]"));
        assert!(is_json(b"{\n  \"results\": []}"));
        assert!(!is_json(b"[Q1],[Q2]\n1,2\n"));
        assert!(!is_json(b"{a},b\n"));
    }

    #[test]
    fn kobo_and_qualtrics_json_become_rows() {
        let kobo = br#"{"count": 2, "results": [
            {"_uuid": "u1", "_submission_time": "2024-03-14T09:51:14", "group/q1": "3",
             "fruit": ["apple", "pear"], "kids": [{"kids/name": "A"}]},
            {"_uuid": "u2", "group": {"q1": 5}, "extra": null}
        ]}"#;
        let g = read_json(Path::new("k.json"), kobo).unwrap();
        assert_eq!(
            g.rows[0].cells,
            [
                "_uuid",
                "_submission_time",
                "group/q1",
                "fruit",
                "kids",
                "extra"
            ]
        );
        assert_eq!(g.rows[1].cells[3], "apple, pear");
        assert_eq!(g.rows[1].cells[4], r#"[{"kids/name":"A"}]"#);
        assert_eq!((g.rows[2].line, g.rows[2].cells[2].as_str()), (2, "5"));

        let qualtrics = br#"{"responses": [{"responseId": "R_1",
            "values": {"startDate": "2025-10-06", "status": 0, "QID1": 4}}]}"#;
        let g = read_json(Path::new("q.json"), qualtrics).unwrap();
        assert_eq!(
            g.rows[0].cells,
            ["responseId", "startDate", "status", "QID1"]
        );
        assert_eq!(g.rows[1].cells, ["R_1", "2025-10-06", "0", "4"]);

        let e = read_json(Path::new("t.json"), b"{\"results\": [1, 2]}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("response 1 is not a JSON object"), "{e}");
        let e = read_json(Path::new("t.json"), b"[{\"a\": 1},\n{\"a\": ")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid JSON") && e.contains("row 2"), "{e}");
    }
}
